#!/bin/bash
# SPDX-License-Identifier: MIT
# rm --unused against real PostgreSQL clusters (ARCHITECTURE.md, Verdicts): a live
# cluster's segments are kept, attached or not, whichever binary started
# it and whichever kinds of shared memory it uses; a crashed cluster's go,
# together, whether its processes were reaped or are zombies; and a live
# cluster never shields a crashed one of the same user.
#
# In the tests' PID namespace POSIX verdicts are "unverified" (ARCHITECTURE.md, Tests),
# so removal is reached with --force, which must still spare every kept
# and every held segment.  Only in the private namespace (as root).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"
. "$(dirname "$0")/pg.sh"

# segs_json: ls -J of everything, into $OUT.
segs_json() {
	run ls -J -o SEGMENT,KIND,KEY,OWNER,SIZE,NATTCH,PIDS,COMMANDS,CPID,STATUS
	expect_rc 0
}

status_of() {
	jq -r --arg s "$1" '.segments[] | select(.segment == $s) | .status' "$OUT"
}

# expect_all_present LIST: every TARGET in LIST (lines) still exists.
expect_all_present() {
	local t
	for t in $1; do
		case $t in
		/*) expect_posix_present "$t" ;;
		*) expect_sysv_present "$t" ;;
		esac
	done
}

expect_all_absent() {
	local t
	for t in $1; do
		case $t in
		/*) expect_posix_absent "$t" ;;
		*) expect_sysv_absent "$t" ;;
		esac
	done
}

# A live cluster, PostgreSQL's defaults but for a SysV main segment and
# POSIX dynamic segments; a parallel query made some.  Nothing of it goes,
# with --force either, and it answers afterwards.
t_live_posix() {
	local all
	pg_need
	pg_new a
	pg_start a -c shared_memory_type=sysv -c dynamic_shared_memory_type=posix \
		-c max_parallel_workers_per_gather=2
	expect_eq "$(pg_query a 'select 1')" 1 "a query"
	all=$(pg_segments | sort)
	[ -n "$all" ] || fail "the cluster has no segment"
	segs_json
	# Its PostgreSQL.* segments nobody maps are kept, and say so.
	for t in $(echo "$all" | grep '^/'); do
		case $(status_of "$t") in
		""|*kept*) ;;
		*) fail "$t: status '$(status_of "$t")', expected kept (or held)" ;;
		esac
	done
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	expect_all_present "$all"
	expect_eq "$(pg_query a 'select 42')" 42 "a query after rm --unused --force"
	# stat names the cluster of a kept one.
	t=$(jq -r '[.segments[] | select(.status | test("kept"))][0].segment // empty' "$OUT")
	if [ -n "$t" ]; then
		run stat "$t"
		expect_rc 0
		counted
		grep -q '^Kept: it belongs to a live PostgreSQL cluster (main segment [0-9]*)$' "$OUT" ||
			fail "stat $t does not say why it is kept: $(grep -i -e status -e kept "$OUT" | tr '\n' ' ')"
	fi
}

# dynamic_shared_memory_type=sysv with autovacuum and logical replication
# off: the statistics segment (PostgreSQL 15) is attached by nobody and its
# creator, the startup process, has exited.  It was "unused,orphan" and
# removed once, and every new connection then failed.
t_live_sysv_dsm() {
	local all pgstat
	pg_need
	pg_new b
	pg_start b -c dynamic_shared_memory_type=sysv -c autovacuum=off \
		-c max_logical_replication_workers=0
	expect_eq "$(pg_query b 'select 1')" 1 "a query"
	all=$(pg_segments | sort)
	segs_json
	pgstat=$(jq -r '.segments[] | select(.kind == "sysv" and .owner == "postgres" and .nattch == 0) | .segment' "$OUT")
	[ -n "$pgstat" ] ||
		skip "no unattached SysV segment of the cluster (PostgreSQL < 15 keeps no statistics segment)"
	for t in $pgstat; do
		expect_eq "$(status_of "$t")" "unused,orphan,kept" "status of $t (nobody attaches it, its creator exited)"
	done
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	counted
	grep -q '^shmtool: rm: kept [0-9]* segments\? of live PostgreSQL clusters' "$ERR" ||
		fail "no note on the kept segments: $(err1)"
	expect_all_present "$all"
	expect_eq "$(pg_query b 'select count(*) > 0 from pg_stat_database')" t \
		"a new connection that reads the statistics"
}

# Started through the postmaster binary: every process's command is
# "postmaster".  Its segments are PostgreSQL's all the same, the dormant
# statistics segment (autovacuum and logical replication off: nobody maps
# it) included.
t_live_postmaster() {
	local all pm
	pg_need
	pg_new c
	pg_start c --postmaster -c autovacuum=off -c max_logical_replication_workers=0
	pm=$(pg_pm c)
	expect_eq "$(cat "/proc/$pm/comm")" postmaster "its command"
	expect_eq "$(pg_query c 'select 1')" 1 "a query"
	all=$(pg_segments | sort)
	segs_json
	expect_jq '[.segments[] | select(.kind == "posix" and .pids == [])] | length > 0 and all(.status == "unverified,kept")' 
	run rm --unused --force -v
	expect_rc 0
	expect_out_empty
	expect_all_present "$all"
	expect_eq "$(pg_query c 'select 7')" 7 "a new connection after rm --unused --force"
}

# A cluster killed inside a PID namespace whose init never reaps: its
# processes stay zombies.  Zombies hold nothing and are no live server:
# the cluster is crashed, and its segments go together.  Then the same
# after the init is gone and the zombies reaped.
t_crashed_zombies() {
	local all init pm pids i
	pg_need
	pg_new z
	# PID 1 of the inner namespace: a shell that starts PostgreSQL, then
	# becomes sleep(1), which never waits for a child.
	unshare --pid --fork --kill-child bash -c '
		'"${PGU[*]}"' '"$PGBIN"'/pg_ctl -D '"$PGROOT"'/z/data -l '"$PGROOT"'/z/log \
			-w -t 60 -o "-c listen_addresses= -c unix_socket_directories='"$PGROOT"'/z" \
			start >/dev/null 2>&1 || exit 1
		echo ready >'"$PGROOT"'/z/ready
		exec sleep 600' &
	init=$!
	reg_pid "$init"
	echo "pg z" >>"$E2E_TMP/cleanup"
	for i in $(seq 1 300); do
		[ -e "$PGROOT/z/ready" ] && break
		kill -0 "$init" 2>/dev/null || fail "the inner namespace died: $(tail -n 3 "$PGROOT/z/log")"
		sleep 0.1
	done
	[ -e "$PGROOT/z/ready" ] || fail "postgres did not start in the inner namespace"
	expect_eq "$(pg_query z 'select 1')" 1 "a query"
	all=$(pg_segments | sort)
	[ -n "$all" ] || fail "no segment"
	# The postmaster as our namespace numbers it.
	pm=$(pgrep -u postgres -x postgres -o)
	pids=$(pgrep -u postgres)
	kill -KILL $pids
	for i in $(seq 1 100); do
		# shellcheck disable=SC2086
		[ "$(ps -o stat= -p "$(echo $pids | tr ' ' ,)" | grep -vc Z)" = 0 ] && break
		sleep 0.05
	done
	expect_eq "$(awk '{ print $3 }' "/proc/$pm/stat")" Z "the postmaster's state"

	segs_json
	# SysV: orphans (their creators are zombies), held back as unverified
	# with the cluster's unverified dynamic segments.
	for t in $(echo "$all" | grep -v '^/'); do
		expect_eq "$(status_of "$t")" unused,orphan,unverified "status of $t"
	done
	for t in $(echo "$all" | grep '^/'); do
		expect_eq "$(status_of "$t")" unverified "status of $t"
	done
	# Without --force nothing goes: the dynamic segments are unverified
	# here, and the main segment waits for them.
	run rm --unused -v
	expect_rc 0
	expect_out_empty
	expect_all_present "$all"
	run rm --unused --force -v
	expect_rc 0
	expect_all_absent "$all"

	# Once more, reaped: the init goes, the zombies with it.
	kill -KILL "$init"
	wait "$init" 2>/dev/null
	rm -f "$PGROOT/z/ready" "$PGROOT/z/data/postmaster.pid"
	pg_start z
	all=$(pg_segments | sort)
	pg_kill z
	run rm --unused --force -v
	expect_rc 0
	expect_all_absent "$all"
	rm -f "$PGROOT/z/data/postmaster.pid"
	pg_start z
	expect_eq "$(pg_query z 'select 3')" 3 "the cluster starts again after the cleanup"
}

# Two clusters of one user, one crashed.  The live one keeps its own
# segments and never shields the crashed one's; the crashed one's main
# segment never goes without its dynamic segments.
t_two_clusters() {
	local live all dead dead_main
	pg_need
	pg_new live
	pg_new dead
	pg_start live
	expect_eq "$(pg_query live 'select 1')" 1 "live answers"
	live=$(pg_segments | sort)
	pg_start dead -c max_parallel_workers_per_gather=2
	expect_eq "$(pg_query dead 'select 1')" 1 "dead answers (yet)"
	all=$(pg_segments | sort)
	dead=$(comm -13 <(echo "$live") <(echo "$all"))
	dead_main=$(pg_sysv_of dead)
	[ -n "$dead_main" ] || fail "no main segment of the second cluster"
	pg_kill dead

	segs_json
	for t in $live; do
		counted
		case $(status_of "$t") in
		""|*kept*) ;;
		*) fail "live $t: status '$(status_of "$t")', expected held or kept" ;;
		esac
	done
	for t in $dead; do
		counted
		case $(status_of "$t") in
		*kept*) fail "crashed $t: kept ($(status_of "$t")): the live cluster shields it" ;;
		esac
	done
	# Without --force: nothing of either (the crashed one's dynamic
	# segments are unverified here, and its main segment waits for them).
	run rm --unused -v
	expect_rc 0
	expect_out_empty
	expect_all_present "$all"
	# With --force: the crashed cluster's, all of them; the live one's, none.
	run rm --unused --force -v
	expect_rc 0
	expect_all_absent "$dead"
	expect_all_present "$live"
	expect_eq "$(pg_query live 'select 5')" 5 "the live cluster after rm --unused --force"
	pg_start dead
	expect_eq "$(pg_query dead 'select 6')" 6 "the crashed cluster starts again"
}

tcase "a live cluster (SysV main, POSIX DSM): nothing removed, it answers" t_live_posix
tcase "a live cluster with SysV DSM, autovacuum off: its unattached statistics segment is kept" t_live_sysv_dsm
tcase "a live cluster started as postmaster: kept" t_live_postmaster
tcase "a crashed cluster whose zombies no init reaps, then reaped: removed together" t_crashed_zombies
tcase "two clusters of one user, one crashed: only the crashed one's go, together" t_two_clusters
e2e_done
