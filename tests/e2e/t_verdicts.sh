#!/bin/bash
# SPDX-License-Identifier: MIT
# Verdicts you can trust (ARCHITECTURE.md, Verdicts): every way a real program holds a
# segment without looking like it, and every way a scan can fail to see,
# against rm --unused.  Each case here once made rm --unused remove a
# segment in use.
#
# Only in the private namespace (as root), where every segment is the
# tests' own; POSIX removal is reached with --force there (ARCHITECTURE.md, Tests),
# which must still spare every held segment.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

need_isolated() {
	isolated || skip "rm --unused needs a private namespace (run as root)"
}

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# jq on the row of TARGET in an ls -J in $OUT.
expect_row() {
	expect_jq ".segments[] | select(.segment == \"$1\") | $2"
}

# A Kubernetes pod: the app and its sidecar share the IPC namespace and
# /dev/shm, each in its own PID namespace.  Seen from the sidecar, the
# app's segments have no holder; they are unverified, never removed
# without --force (and with it, not while the kernel says someone has
# them open), and the attached SysV segment is reported.
t_sibling_pid_namespace() {
	need_isolated
	local held idle sv app
	held=$(mk_posix 4K) || exit 1
	idle=$(mk_posix 4K) || exit 1
	sv=$(mk_sysv 4K) || exit 1
	app=$E2E_TMP/app
	printf '#!/bin/sh\nexec unshare --pid --fork --mount-proc --kill-child "%s" "$@"\n' \
		"$SHMHOLDER" >"$app"
	chmod +x "$app"
	SHMHOLDER=$app hold posix-map "$held"
	SHMHOLDER=$app hold sysv "$sv"
	sidecar() {
		unshare --pid --fork --mount-proc "$SHMTOOL" "$@" </dev/null \
			>"$OUT" 2>"$ERR"
		RC=$?
	}
	sidecar ls -J
	expect_rc 0
	expect_row "$held" '.status == "unverified" and .procs == 0'
	expect_row "$idle" '.status == "unverified"'
	expect_row "$sv" '.nattch == 1 and .procs == 0 and .status == ""'
	counted
	grep -q "^shmtool: ls: 1 System V segment is attached, but the scan found none of its attachers (e.g. $sv: NATTCH 1)" "$ERR" ||
		fail "no word on the attacher out of sight: $(err1)"
	sidecar rm --unused -v
	expect_rc 0
	expect_out_empty
	expect_posix_present "$held"
	expect_posix_present "$idle"
	expect_sysv_present "$sv"
	counted
	grep -q '^shmtool: rm: skipped 2 POSIX segments that no visible process holds but some process might (processes outside this PID namespace cannot be seen)' "$ERR" ||
		fail "no reason given: $(err1)"
	# With --force the sidecar takes the idle one; the held one it cannot
	# see, but the kernel can: no write lease on a file somebody has open
	# or mapped.  It stays.
	sidecar rm --unused --force -v
	expect_rc 0
	expect_out "removed $idle"
	expect_posix_present "$held"
	counted
	grep -q "^shmtool: rm: $held: left alone: in use: the kernel says a process has it open or mapped" "$ERR" ||
		fail "no word on the held one: $(err1)"
	# From the parent namespace, which sees the app, it is held.
	run ls -J
	expect_row "$held" '.procs == 1'
}

# --ns into a container with its own PID namespace, where the holder's PID
# (in the container) is shmtool's own PID (outside): the scan reads the
# caller's /proc, and never skips a process by comparing PID numbers of two
# namespaces.
t_ns_pid_collision() {
	need_isolated
	no_leak_check
	[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot set ns_last_pid"
	local c init n got i x=/"$E2E_PREFIX"-ctr idle=/"$E2E_PREFIX"-ctr-idle
	rm -f "$E2E_TMP/ctr.up"
	unshare --pid --ipc --mount --fork --mount-proc --kill-child bash -c \
		"mount -t tmpfs -o size=8m ctr /dev/shm && echo up >$E2E_TMP/ctr.up && exec sleep 600" &
	c=$!
	reg_pid "$c"
	for i in $(seq 1 100); do
		[ -e "$E2E_TMP/ctr.up" ] && break
		sleep 0.05
	done
	init=$(pgrep -P "$c")
	[ -n "$init" ] || fail "the container did not start"
	for t in "$x" "$idle"; do
		nsenter -t "$init" -m -i -- "$SHMTOOL" create "$t" 4K \
			>/dev/null 2>"$ERR"
		RC=$?
		lsan_forgive
		[ "$RC" = 0 ] || fail "setup: create $t in the container: $(err1)"
	done
	# A PID free in both namespaces.
	n=$(($(cat /proc/sys/kernel/ns_last_pid) + 400))
	nsenter -t "$init" -m -i -p -- sh -c \
		"echo $((n - 1)) >/proc/sys/kernel/ns_last_pid; \"$SHMHOLDER\" posix-fd $x >$E2E_TMP/ctr.ready & echo \$! >$E2E_TMP/ctr.pid; wait" &
	reg_pid "$!"
	for i in $(seq 1 100); do
		grep -q ready "$E2E_TMP/ctr.ready" 2>/dev/null && break
		sleep 0.05
	done
	expect_eq "$(cat "$E2E_TMP/ctr.pid")" "$n" "the holder's PID in the container"
	# shmtool with PID n out here.
	for i in 1 2 3 4 5; do
		echo $((n - 1)) >/proc/sys/kernel/ns_last_pid
		sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$E2E_TMP/self.pid" \
			"$SHMTOOL" --ns "$init" rm --unused --force -v \
			</dev/null >"$OUT" 2>"$ERR"
		RC=$?
		got=$(cat "$E2E_TMP/self.pid")
		[ "$got" = "$n" ] && break
	done
	lsan_forgive
	expect_eq "$got" "$n" "shmtool's own PID"
	expect_rc 0
	expect_out "removed $idle"
	nsenter -t "$init" -m -- test -e "/dev/shm${x}" ||
		fail "$x, held in the container, was removed"
	counted
}

# --ns into a container that shares /dev/shm with us: its holders are ours
# too, outside its PID namespace; the scan sees them.
t_ns_shared_shm() {
	need_isolated
	no_leak_check
	local c init held idle i
	held=$(mk_posix 4K) || exit 1
	idle=$(mk_posix 4K) || exit 1
	hold posix-fd "$held"
	# A file of its own: the case before leaves its ctr.up behind, and
	# finding that one raced the container's start.
	rm -f "$E2E_TMP/ctr2.up"
	unshare --pid --mount --fork --mount-proc --kill-child bash -c \
		"echo up >$E2E_TMP/ctr2.up; exec sleep 600" &
	c=$!
	reg_pid "$c"
	for i in $(seq 1 100); do
		[ -e "$E2E_TMP/ctr2.up" ] && break
		sleep 0.05
	done
	init=$(pgrep -P "$c")
	[ -n "$init" ] || fail "the container did not start"
	run --ns "$init" rm --unused --force -v
	lsan_forgive
	expect_rc 0
	expect_out "removed $idle"
	expect_posix_present "$held"
	expect_posix_absent "$idle"
}

# A program run from the shm directory, and a copy-on-write reader that
# closed its fd: private mappings (and the executable) hold a file.
t_exec_and_private() {
	need_isolated
	local exe cow idle pid
	exe=$(new_posix)
	cp /bin/sleep "$SHMDIR/${exe#/}"
	chmod 0755 "$SHMDIR/${exe#/}"
	"$SHMDIR/${exe#/}" 600 &
	pid=$!
	reg_pid "$pid"
	cow=$(mk_posix 4K) || exit 1
	hold private-map "$cow"
	idle=$(mk_posix 4K) || exit 1
	sleep 0.2
	run ls -J -o SEGMENT,PIDS,STATUS
	expect_row "$exe" ".pids == [$pid] and .status == \"\""
	expect_row "$cow" ".pids == [$HOLD_PID] and .status == \"\""
	run maps -J "$pid" "$HOLD_PID"
	expect_rc 0
	expect_jq "[.mappings[] | select(.segment == \"$exe\" and .how == \"exe\")] | length == 1"
	expect_jq "[.mappings[] | select(.segment == \"$exe\" and .how == \"map\" and (.perms | endswith(\"p\")))] | length >= 1"
	expect_jq "[.mappings[] | select(.segment == \"$cow\" and .how == \"map\")][0].perms == \"rw-p\""
	run rm --unused --force -v
	expect_rc 0
	expect_out "removed $idle"
	counted
	grep -q 'memory freed' "$ERR" || fail "no summary: $(err1)"
	expect_posix_present "$exe"
	expect_posix_present "$cow"
}

# A SysV segment whose creator is alive but detached for a moment: it may
# attach again any moment.  Left alone unless --force.
t_detached_live_creator() {
	need_isolated
	local id creator
	hold create-sysv 4096 detach; id=$HOLD_VALUE; creator=$HOLD_PID
	run ls -J -o SEGMENT,CPID,STATUS
	expect_row "$id" ".cpid == $creator and .status == \"unused,creator-alive\""
	run rm --unused -v
	expect_rc 0
	expect_out_empty
	expect_sysv_present "$id"
	counted
	grep -q '^shmtool: rm: skipped 1 System V segment that nobody attaches but whose creator is alive' "$ERR" ||
		fail "no reason given: $(err1)"
	# The creator (or anyone) can still attach it.
	hold sysv "$id"
	expect_eq "$(sysv_field "$id" 7)" 1 "NATTCH after the attach"
	unhold "$HOLD_PID"
	run rm --unused --force -v
	expect_rc 0
	expect_out "removed $id"
	expect_sysv_absent "$id"
}

# The main thread left (pthread_exit) while another thread maps the
# segment and keeps an fd: the leader is a zombie, /proc/PID/maps and fd
# are empty; the threads hold it.
t_zombie_leader() {
	need_isolated
	local p
	p=$(mk_posix 4K) || exit 1
	hold zombie-leader "$p"
	expect_eq "$(awk '{ print $3 }' "/proc/$HOLD_PID/stat")" Z "the leader's state"
	counted
	[ ! -s "/proc/$HOLD_PID/maps" ] || fail "the zombie leader's maps are not empty"
	run ls -J -o SEGMENT,PIDS
	expect_row "$p" ".pids == [$HOLD_PID]"
	run maps -J "$HOLD_PID"
	expect_rc 0
	expect_jq '[.mappings[].how] | sort == ["fd", "map"]'
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	expect_posix_present "$p"
}

# A thread with its own fd table (unshare(CLONE_FILES)) holds the segment;
# the process's /proc/PID/fd does not show it.
t_thread_files() {
	need_isolated
	local p
	p=$(mk_posix 4K) || exit 1
	hold thread-files "$p"
	counted
	! ls -l "/proc/$HOLD_PID/fd/" | grep -qF -- "${p#/}" ||
		fail "the leader's table has it: the case proves nothing"
	run ls -J -o SEGMENT,PIDS
	expect_row "$p" ".pids == [$HOLD_PID]"
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	expect_posix_present "$p"
}

# Too few file descriptors: the scan cannot read processes, and that is
# shmtool's own failure, not an incomplete scan: exit 1, nothing removed.
# Whatever the limit, a held segment is never removed.  (At 3 the dynamic
# loader itself cannot start shmtool.)
t_nofile() {
	need_isolated
	local n mapped fdonly sv leak wrong=0 ok=0 failed=0
	mapped=$(mk_posix 4K) || exit 1
	hold posix-map "$mapped"
	fdonly=$(mk_posix 4K) || exit 1
	hold posix-fd "$fdonly"
	sv=$(mk_sysv 4K) || exit 1
	hold sysv "$sv"
	for n in 4 5 6 7 8 9 10 12 16 24 64; do
		leak=$(mk_posix 4K) || exit 1
		snap_take
		prlimit --nofile="$n" "$SHMTOOL" rm --unused --force \
			</dev/null >"$OUT" 2>"$ERR"
		RC=$?
		for t in "$mapped" "$fdonly"; do
			[ -e "$SHMDIR/${t#/}" ] || { wrong=$((wrong + 1)); echo "nofile $n removed $t" >>"$E2E_TMP/wrong"; }
		done
		sysv_present "$sv" || { wrong=$((wrong + 1)); echo "nofile $n removed $sv" >>"$E2E_TMP/wrong"; }
		case $RC in
		0)
			ok=$((ok + 1))
			[ ! -e "$SHMDIR/${leak#/}" ] || echo "nofile $n: exit 0 but $leak stays" >>"$E2E_TMP/wrong" ;;
		1)
			failed=$((failed + 1))
			grep -q 'Too many open files' "$ERR" ||
				echo "nofile $n: exit 1 without the reason: $(err1)" >>"$E2E_TMP/wrong"
			snapshot >"$E2E_TMP/snap2"
			cmp -s "$E2E_TMP/snap" "$E2E_TMP/snap2" ||
				echo "nofile $n: failed, but removed something" >>"$E2E_TMP/wrong"
			rm -f -- "$SHMDIR/${leak#/}" ;;
		*)
			echo "nofile $n: exit $RC: $(err1)" >>"$E2E_TMP/wrong" ;;
		esac
	done
	expect_eq "$wrong" 0 "held segments removed"
	counted
	[ ! -s "$E2E_TMP/wrong" ] || fail "$(head -n 3 "$E2E_TMP/wrong" | tr '\n' ' ')"
	counted
	[ "$ok" -gt 0 ] && [ "$failed" -gt 0 ] ||
		fail "expected both outcomes over the limits: $ok succeeded, $failed failed"
}

# /proc mounted hidepid=invisible: an unprivileged user does not see root's
# processes, not even as uninspectable; its own 0666 segment that a root
# process holds is unverified, and stays.
t_hidepid() {
	need_isolated
	local x
	x=$(new_posix)
	"${NOBODY[@]}" "$SHMTOOL" create "$x" 4K --mode 0666 >/dev/null ||
		fail "setup: create $x as nobody"
	hold posix-map "$x"
	mount -o remount,hidepid=invisible /proc || skip "cannot remount /proc with hidepid"
	reg_undo mount -o remount,hidepid=0 /proc
	"${NOBODY[@]}" "$SHMTOOL" ls -J -o SEGMENT,PIDS,STATUS </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_row "$x" '.pids == [] and .status == "unverified"'
	"${NOBODY[@]}" "$SHMTOOL" rm --unused -v </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_out_empty
	expect_posix_present "$x"
	counted
	grep -q 'hidepid' "$ERR" || fail "the reason (hidepid) is not given: $(err1)"
	# Root sees through hidepid.
	run ls -J -o SEGMENT,PIDS
	expect_row "$x" ".pids == [$HOLD_PID]"
	mount -o remount,hidepid=0 /proc
}

# A mapping whose path is longer than PATH_MAX: PROCMAP_QUERY cannot name
# it (ENAMETOOLONG).  The scan reads that process's maps as text instead,
# and still finds its segment.
t_long_path() {
	need_isolated
	local p dir
	p=$(mk_posix 4K) || exit 1
	dir=$E2E_PREFIX-deep
	reg_posix "$dir"
	hold deep-map "$p" "$dir" 18
	SHMTOOL_DEBUG_SCAN=1 st ls -J -o SEGMENT,PIDS </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_row "$p" ".pids == [$HOLD_PID]"
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	expect_posix_present "$p"
}

# A /proc of another PID namespace than ours (a PID namespace entered
# without mounting its /proc, as chroot-style containers do): the kernel
# gives a creator's PID in our numbering, which names another process
# there, or none.  The creator is unseen, never dead.
t_creator_numbering() {
	need_isolated
	no_leak_check
	[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot set ns_last_pid"
	local out=$E2E_TMP/inner
	unshare --pid --fork sh -c '
		echo 61233 >/proc/sys/kernel/ns_last_pid
		"$1" create-sysv 4096 detach >"$2.hold" &
		for i in 1 2 3 4 5 6 7 8 9 10; do
			grep -q ready "$2.hold" 2>/dev/null && break; sleep 0.1; done
		"$3" ls --sysv -n -r -o SEGMENT,CPID,STATUS >"$2.ls" 2>/dev/null
		"$3" rm --unused --sysv -v >"$2.rm" 2>/dev/null
		"$3" ls --sysv -n -r -o SEGMENT >"$2.after" 2>/dev/null
		kill %1' sh "$SHMHOLDER" "$out" "$SHMTOOL" </dev/null >/dev/null 2>&1
	local id
	id=$(awk '/^ready/ { print $2 }' "$out.hold")
	[ -n "$id" ] && reg_sysv_id "$id"
	expect_eq "$(cat "$out.ls")" "$id 61234 unused,creator-unseen" "ls in the inner namespace"
	counted
	! grep -q "^removed" "$out.rm" || fail "removed a segment whose creator lives: $(cat "$out.rm")"
	expect_eq "$(cat "$out.after")" "$id" "the segment after rm --unused"
}

# A creator alive only in a thread (its leader exited), under too few
# descriptors: the scan cannot read the thread, which is our own
# failure, not the creator's death.
t_zombie_creator_nofile() {
	need_isolated
	local id n wrong=0
	hold zombie-creator 4096; id=$HOLD_VALUE
	reg_sysv_id "$id"
	run ls -J -o SEGMENT,STATUS
	expect_row "$id" '.status == "unused,creator-alive"'
	for n in 4 5 6 7 8 9 10 12 16; do
		prlimit --nofile="$n" "$SHMTOOL" rm --unused --sysv -v \
			</dev/null >"$OUT" 2>"$ERR"
		sysv_present "$id" || { wrong=$((wrong + 1)); echo "nofile $n: $(cat "$OUT" "$ERR")" >>"$E2E_TMP/wrong"; break; }
	done
	expect_eq "$wrong" 0 "limits under which the live creator's segment went"
}

# A PostgreSQL cluster whose postmaster is out of sight (a sibling PID
# namespace: a pod's database container): its main segment is attached
# (NATTCH) by nobody the scan sees; it is read all the same, and the
# dormant segment its control segment lists is kept -- --force or not.
t_pg_out_of_sight() {
	need_isolated
	local app=$E2E_TMP/app h=3000000001 m=3000000003 main
	printf '#!/bin/sh\nexec unshare --pid --fork --mount-proc --kill-child "%s" "$@"\n' \
		"$SHMHOLDER" >"$app"
	chmod +x "$app"
	reg_undo rm -f "$SHMDIR/PostgreSQL.$h" "$SHMDIR/PostgreSQL.$m"
	SHMHOLDER=$app hold pg-fake "$h" "$m"; main=$HOLD_VALUE
	reg_sysv_id "$main"
	unshare --pid --fork --mount-proc "$SHMTOOL" ls -J -o SEGMENT,NATTCH,PROCS,STATUS \
		</dev/null >"$OUT" 2>"$ERR"
	expect_row "/PostgreSQL.$m" '.procs == 0 and .status == "unverified,kept"'
	unshare --pid --fork --mount-proc "$SHMTOOL" rm --unused --force -v \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_out_empty
	expect_posix_present "/PostgreSQL.$m"
	expect_posix_present "/PostgreSQL.$h"
	expect_sysv_present "$main"
}

# A crashed cluster goes whole: --sysv (or --posix, --older-than) that
# would take only part of it takes none of it, and a full run takes all.
t_pg_crashed_whole() {
	need_isolated
	local h=3000000005 m=3000000007 main
	reg_undo rm -f "$SHMDIR/PostgreSQL.$h" "$SHMDIR/PostgreSQL.$m"
	hold pg-fake "$h" "$m"; main=$HOLD_VALUE
	reg_sysv_id "$main"
	unhold "$HOLD_PID"		# crashed: detached, creator gone
	run ls -J -o SEGMENT,STATUS
	expect_row "$main" '.status == "unused,orphan,unverified"'
	run rm --unused --sysv --force -v
	expect_rc 0
	expect_out_empty
	expect_sysv_present "$main"
	counted
	grep -q '^shmtool: rm: kept 1 segment of crashed PostgreSQL clusters that go only with the rest of their cluster' "$ERR" ||
		fail "no word on the cluster held back: $(err1)"
	run rm --unused --posix --force -v
	expect_rc 0
	# The dynamic segments may go alone (PostgreSQL's restart copes);
	# the control segment only with what it lists, which goes too.
	expect_posix_absent "/PostgreSQL.$m"
	expect_posix_absent "/PostgreSQL.$h"
	expect_sysv_present "$main"
	run rm --unused --force -v
	expect_rc 0
	expect_out "removed $main"
}

# A planted "control segment" as large as a real one can be (1,310,779
# items, sparse) costs bounded memory; one larger than any is none.
t_planted_control() {
	need_isolated
	local big=$SHMDIR/PostgreSQL.11 huge=$SHMDIR/PostgreSQL.13 rss
	reg_undo rm -f "$big" "$huge"
	printf '\062\075\120\232\033\000\024\000\073\000\024\000\000\000\000\000' >"$big"
	truncate -s $((16 + 1310779 * 40)) "$big"
	printf '\062\075\120\232\377\377\377\377\377\377\377\377\000\000\000\000' >"$huge"
	truncate -s $((16 + 40 * 0xffffffff)) "$huge"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$E2E_TMP/rss" "$SHMTOOL" ls -o SEGMENT,STATUS \
			</dev/null >"$OUT" 2>"$ERR"
		RC=$?
		rss=$(tail -n 1 "$E2E_TMP/rss")
		counted
		case $SHMTOOL in
		*build-san*) ;;	# ASan's own memory is not ours to judge
		*) [ "$rss" -lt 32768 ] || fail "ls took $rss KiB for a planted control segment" ;;
		esac
	else
		run ls -o SEGMENT,STATUS
	fi
	expect_rc 0
	counted
	grep -q "^/PostgreSQL.13 " "$OUT" || fail "the oversized one is not listed: $(head -c 200 "$OUT")"
	run rm --unused --force --dry-run
	expect_rc 0
}

tcase "a sibling PID namespace sharing IPC and /dev/shm: unverified, held ones never removed, NATTCH reported" t_sibling_pid_namespace
tcase "--ns into a container whose holder has shmtool's own PID: spared" t_ns_pid_collision
tcase "--ns into a container sharing /dev/shm: holders outside it spare theirs" t_ns_shared_shm
tcase "a program run from /dev/shm and a MAP_PRIVATE reader hold their files" t_exec_and_private
tcase "a detached SysV segment of a live creator: creator-alive, only --force" t_detached_live_creator
tcase "a zombie thread-group leader with a live thread: held" t_zombie_leader
tcase "a thread after unshare(CLONE_FILES): held" t_thread_files
tcase "prlimit --nofile 4..64: a failed scan removes nothing, a held segment never goes" t_nofile
tcase "hidepid=invisible: unverified for the user, left alone" t_hidepid
tcase "a mapping path longer than PATH_MAX: the text parser takes over" t_long_path
tcase "a /proc of another PID namespace: the creator is unseen, never dead" t_creator_numbering
tcase "a creator alive in a thread, at nofile 4..16: never taken for dead" t_zombie_creator_nofile
tcase "a PostgreSQL cluster whose postmaster is out of sight: its dormant segment kept" t_pg_out_of_sight
tcase "a crashed cluster goes whole: --sysv or --posix alone never splits it" t_pg_crashed_whole
tcase "a planted PostgreSQL control segment: bounded memory, oversized ones ignored" t_planted_control
e2e_done
