#!/bin/bash
# SPDX-License-Identifier: MIT
# Leaked segments (DESIGN §7): unused/orphan verdicts and rm --unused with
# real processes that crash (SIGKILL), a race between scan and removal, PID
# reuse, an incomplete scan, and a real PostgreSQL server.
#
# rm --unused acts on every segment it can see, so these cases run only in
# the private namespace (as root), where every segment is the tests' own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

need_isolated() {
	isolated || skip "rm --unused needs a private namespace (run as root)"
}

# targets: the TARGETs of an ls -J in $OUT that match a jq filter, sorted.
targets() {
	jq -r ".segments[] | select($1) | .segment" "$OUT" | sort
}

t_crash_then_clean() {
	need_isolated
	local leak_sysv leak_posix live_sysv live_fd live_del crash1 crash2
	leak_posix=$(new_posix)
	hold create-posix "$leak_posix" 8192; crash1=$HOLD_PID
	hold create-sysv 16384; leak_sysv=$HOLD_VALUE; crash2=$HOLD_PID
	# Live ones: attached, fd-only, mapped then unlinked.
	live_sysv=$(mk_sysv 4K) || exit 1
	hold sysv "$live_sysv"
	live_fd=$(mk_posix 4K) || exit 1
	hold posix-fd "$live_fd"
	live_del=$(mk_posix 4K) || exit 1
	hold posix-unlink "$live_del"
	unhold "$crash1"
	unhold "$crash2"

	run ls -J
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$leak_sysv\") | .status == \"unused,orphan\""
	expect_jq ".segments[] | select(.segment == \"$leak_posix\") | .status == \"unused\""
	expect_eq "$(targets '.status | test("unused|orphan")' | tr '\n' ' ')" \
		"$(printf '%s\n' "$leak_sysv" "$leak_posix" | sort | tr '\n' ' ')" \
		"unused/orphan segments"
	run ls --orphans -J -o SEGMENT
	expect_jq "[.segments[].segment] == [\"$leak_sysv\"]"

	snap_take
	run rm --unused --dry-run
	expect_rc 0
	printf '%s\t16384\n%s\t8192\n' "$leak_sysv" "$leak_posix" >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the dry-run list"
	expect_snap_same

	run rm --unused -v
	expect_rc 0
	printf 'removed %s\nremoved %s\n' "$leak_sysv" "$leak_posix" >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the removed list"
	counted
	grep -q '^shmtool: rm: removed 2 segments' "$ERR" || fail "no summary: $(err1)"
	expect_sysv_absent "$leak_sysv"
	expect_posix_absent "$leak_posix"
	expect_sysv_present "$live_sysv"
	expect_posix_present "$live_fd"
	run ls -J -o SEGMENT,STATUS,PIDS
	expect_jq ".segments[] | select(.segment == \"$live_del\") | .status == \"deleted\""
	# And nothing left to do.
	run rm --unused --dry-run
	expect_rc 0
	expect_out_empty
}

# A segment that gains an attacher between the scan and the removal stays.
t_race() {
	need_isolated
	local p id hook rmpid i
	p=$(mk_posix 4K) || exit 1
	id=$(mk_sysv 4K) || exit 1
	hook=$E2E_TMP/hook
	mkdir -p "$hook"
	SHMTOOL_TEST_RM_HOOK=$hook "$SHMTOOL" rm --unused -v >"$OUT" 2>"$ERR" </dev/null &
	rmpid=$!
	reg_pid "$rmpid"
	for i in $(seq 1 200); do
		[ -e "$hook/scanned" ] && break
		sleep 0.05
	done
	[ -e "$hook/scanned" ] || fail "rm --unused never reached the hook"
	hold posix-fd "$p"
	hold sysv "$id"
	touch "$hook/go"
	wait "$rmpid"
	RC=$?
	expect_rc 0
	expect_posix_present "$p"
	expect_sysv_present "$id"
	expect_out_empty
	counted
	grep -q "^shmtool: rm: $p: left alone: mapped or opened meanwhile" "$ERR" ||
		fail "no 'left alone' for $p: $(err1)"
	counted
	grep -q "^shmtool: rm: $id: left alone: attached meanwhile" "$ERR" ||
		fail "no 'left alone' for $id: $(err1)"
}

# PID reuse: the segment's CPID now names a newer process: still orphan.
t_pid_reuse() {
	need_isolated
	local id cpid newpid i
	[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot set ns_last_pid"
	hold create-sysv 4096 detach; id=$HOLD_VALUE; cpid=$HOLD_PID
	# A creator that is alive: unused, not orphan.
	run ls -J -o SEGMENT,CPID,STATUS
	expect_jq ".segments[] | select(.segment == \"$id\") | .status == \"unused\" and .cpid == $cpid"
	unhold "$cpid"
	sleep 2	# the new process must start after ctime + 1 s
	for i in 1 2 3 4 5; do
		echo $((cpid - 1)) >/proc/sys/kernel/ns_last_pid 2>/dev/null ||
			skip "cannot set ns_last_pid"
		sleep 60 &
		newpid=$!
		reg_pid "$newpid"
		[ "$newpid" = "$cpid" ] && break
		kill "$newpid"
	done
	expect_eq "$newpid" "$cpid" "PID of the new process"
	run ls -J -o SEGMENT,CPID,STATUS
	expect_jq ".segments[] | select(.segment == \"$id\") | .status == \"unused,orphan\" and .cpid == $cpid"
}

# As a user who cannot inspect root's processes, POSIX segments without a
# holder found are "unverified": left alone unless --force.
t_incomplete_scan() {
	need_isolated
	local x y nobody=65534 u
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	u=(setpriv --reuid=$nobody --regid=$nobody --clear-groups)
	x=$(new_posix); y=$(new_posix)
	"${u[@]}" "$SHMTOOL" create "$x" 4K >/dev/null || fail "setup: create $x as nobody"
	"${u[@]}" "$SHMTOOL" create "$y" 4K >/dev/null || fail "setup: create $y as nobody"
	hold posix-map "$x"	# a root process maps X
	"${u[@]}" "$SHMTOOL" ls -J -o SEGMENT,STATUS >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	expect_jq "[.segments[] | select(.segment == \"$x\" or .segment == \"$y\") | .status] == [\"unverified\", \"unverified\"]"
	"${u[@]}" "$SHMTOOL" rm --unused >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	expect_posix_present "$x"
	expect_posix_present "$y"
	counted
	grep -q "could not be inspected (permission denied): .*$HOLD_PID (shmholder)" "$ERR" ||
		fail "the uninspectable process is not named: $(err1)"
	counted
	grep -q "skipped 2 POSIX segments .*--force" "$ERR" || fail "no note on skipped segments: $(err1)"
	"${u[@]}" "$SHMTOOL" rm --unused --force -v >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	expect_posix_absent "$x"
	expect_posix_absent "$y"
}

t_older_than_and_user() {
	need_isolated
	local p
	p=$(mk_posix 4K) || exit 1
	run rm --unused --older-than 1h --dry-run
	expect_rc 0
	expect_out_empty
	# Idle for 3 s: older than 2 s, not older than 1 h.
	sleep 3
	run rm --unused --older-than 2s --dry-run
	expect_out "$(printf '%s\t4096' "$p")"
	run rm --unused --older-than 1h --dry-run
	expect_out_empty
	run rm --unused --user 65534 --dry-run
	expect_out_empty
	run rm --unused --older-than 5x
	expect_usage_error rm
	run rm --unused "$p"
	expect_usage_error rm
	expect_posix_present "$p"
}

pg_bin() {
	local d
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
	done
	return 1
}

# A real PostgreSQL server: nothing of a live cluster is removed; after a
# crash (SIGKILL) its SysV segment is an orphan and its PostgreSQL.*
# segments are unused, and rm --unused takes them.
t_postgres() {
	need_isolated
	local bin d pgu=(runuser -u postgres --) before after sysv posix i
	bin=$(pg_bin) || skip "PostgreSQL is not installed (make deps installs it)"
	id postgres >/dev/null 2>&1 || skip "no postgres user"
	d=$(mktemp -d /tmp/shmtool-pg.XXXXXX)
	echo "dir $d" >>"$E2E_TMP/pgdirs"
	chown postgres: "$d"
	"${pgu[@]}" "$bin/initdb" -D "$d/data" -A trust -U postgres --no-sync \
		>"$d/initdb.log" 2>&1 || fail "initdb failed: $(tail -n 3 "$d/initdb.log")"
	"${pgu[@]}" "$bin/pg_ctl" -D "$d/data" -l "$d/log" -w -t 60 -o \
		"-c listen_addresses='' -k $d -c dynamic_shared_memory_type=posix -c shared_memory_type=sysv -c max_parallel_workers_per_gather=2" \
		start >/dev/null 2>&1 || fail "postgres did not start: $(tail -n 5 "$d/log")"
	# A session that stays open, and one that made a parallel query.
	"${pgu[@]}" psql -h "$d" -X -q -c 'select pg_sleep(300)' >/dev/null 2>&1 &
	reg_pid $!
	"${pgu[@]}" psql -h "$d" -X -q -tA -c 'select 1' >"$d/q1" 2>&1 ||
		fail "no answer from postgres: $(cat "$d/q1")"

	run ls -J
	expect_rc 0
	sysv=$(jq -r '[.segments[] | select(.kind == "sysv" and (.commands | index("postgres")))][0].segment // empty' "$OUT")
	[ -n "$sysv" ] || fail "no SysV segment attached by postgres: $(head -c 300 "$OUT")"
	posix=$(jq -r '.segments[] | select(.segment | startswith("/PostgreSQL.")) | .segment' "$OUT" | sort)
	[ -n "$posix" ] || fail "no PostgreSQL.* segment"
	before=$(jq -r '.segments[].segment' "$OUT" | sort)

	run rm --unused -v
	expect_rc 0
	run ls -J
	after=$(jq -r '.segments[].segment' "$OUT" | sort)
	expect_eq "$after" "$before" "segments after rm --unused on a live cluster"
	"${pgu[@]}" psql -h "$d" -X -q -tA -c 'select 42' >"$d/q2" 2>&1
	expect_eq "$(cat "$d/q2")" "42" "a query after rm --unused"

	# Crash: SIGKILL every postgres process.
	pkill -KILL -u postgres
	for i in $(seq 1 100); do
		pgrep -u postgres >/dev/null || break
		sleep 0.05
	done
	run ls -J
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$sysv\") | .status == \"unused,orphan\""
	for p in $posix; do
		expect_jq ".segments[] | select(.segment == \"$p\") | .status == \"unused\""
	done
	run rm --unused
	expect_rc 0
	expect_sysv_absent "$sysv"
	for p in $posix; do
		expect_posix_absent "$p"
	done
}

pg_cleanup() {
	local kind dir
	pkill -KILL -u postgres 2>/dev/null
	[ -s "$E2E_TMP/pgdirs" ] || return 0
	while read -r kind dir; do
		case $dir in /tmp/shmtool-pg.*) rm -rf -- "$dir" ;; esac
	done <"$E2E_TMP/pgdirs"
	: >"$E2E_TMP/pgdirs"
}

tcase "a crash leaves orphan/unused segments; rm --unused takes exactly them" t_crash_then_clean
tcase "an attacher that comes between scan and removal saves the segment" t_race
tcase "PID reuse: the creator's PID is a newer process: orphan" t_pid_reuse
tcase "incomplete scan: unverified, removed only with --force" t_incomplete_scan
tcase "--older-than, --user and usage errors" t_older_than_and_user
tcase "PostgreSQL: a live cluster is untouched, a crashed one is cleaned" t_postgres
isolated && pg_cleanup
e2e_done
