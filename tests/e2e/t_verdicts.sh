#!/bin/bash
# SPDX-License-Identifier: MIT
# Verdicts you can trust (DESIGN §7): every way a real program holds a
# segment without looking like it, and every way a scan can fail to see,
# against rm --unused.  Each case here once made rm --unused remove a
# segment in use.
#
# Only in the private namespace (as root), where every segment is the
# tests' own; POSIX removal is reached with --force there (DESIGN §8),
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
	grep -q "^shmtool: rm: $held: left alone: the kernel says a process has it open or mapped" "$ERR" ||
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
	[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot set ns_last_pid"
	local c init n got i x=/"$E2E_PREFIX"-ctr idle=/"$E2E_PREFIX"-ctr-idle
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
	nsenter -t "$init" -m -i -- "$SHMTOOL" create "$x" 4K >/dev/null ||
		fail "setup: create $x in the container"
	nsenter -t "$init" -m -i -- "$SHMTOOL" create "$idle" 4K >/dev/null ||
		fail "setup: create $idle in the container"
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
	local c init held idle i
	held=$(mk_posix 4K) || exit 1
	idle=$(mk_posix 4K) || exit 1
	hold posix-fd "$held"
	unshare --pid --mount --fork --mount-proc --kill-child bash -c \
		"echo up >$E2E_TMP/ctr.up; exec sleep 600" &
	c=$!
	reg_pid "$c"
	for i in $(seq 1 100); do
		[ -e "$E2E_TMP/ctr.up" ] && break
		sleep 0.05
	done
	init=$(pgrep -P "$c")
	[ -n "$init" ] || fail "the container did not start"
	run --ns "$init" rm --unused --force -v
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
e2e_done
