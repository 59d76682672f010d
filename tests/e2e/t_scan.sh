#!/bin/bash
# SPDX-License-Identifier: MIT
# The /proc scanner (ARCHITECTURE.md, The scan): ls, maps and stat against real processes
# that attach SysV segments and map or hold POSIX ones (tests/e2e/shmholder),
# cross-checked with lsof, ipcs and lsipc.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/hold.sh"

# The row of TARGET in ls -J, compact.
ls_row() {
	run ls -J -b -o +ID,NAME,PROCS,PIDS,COMMANDS,STATUS,LPID
	expect_rc 0
	jq -c --arg t "$1" '.segments[] | select(.segment == $t)' "$OUT"
}

t_sysv_attach() {
	local how=$1 id row want_perms=rw-s want_vmas=1
	id=$(mk_sysv 8K) || exit 1
	case $how in
	ro) hold sysv "$id" ro; want_perms=r--s ;;
	twice) hold sysv "$id" twice; want_vmas=2 ;;
	split) hold sysv "$id" split; want_vmas=2 ;;
	plain) hold sysv "$id" ;;
	esac
	row=$(ls_row "$id")
	expect_jq ".pids == [$HOLD_PID] and .procs == 1 and .nattch == $want_vmas" <(echo "$row")
	run maps "$HOLD_PID" -J
	expect_rc 0
	expect_jq "[.mappings[] | select(.segment == \"$id\")] | length == $want_vmas"
	expect_jq "[.mappings[] | select(.segment == \"$id\")][0] | .kind == \"sysv\" and .how == \"map\" and .pid == $HOLD_PID and .deleted == false and .mapsize > 0"
	[ "$how" = ro ] &&
		expect_jq ".mappings[] | select(.segment == \"$id\") | .perms == \"$want_perms\""
	run stat -J "$id"
	expect_rc 0
	expect_jq ".segments[0].holders | length == $want_vmas and all(.pid == $HOLD_PID and .how == \"map\")"
}

t_sysv_fork() {
	local id
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id" fork
	HOLD_CHILD=$HOLD_VALUE
	[ -n "$HOLD_CHILD" ] || fail "setup: no child"
	ls_row "$id" >"$E2E_TMP/row"
	expect_jq ".procs == 2 and .nattch == 2 and (.pids | sort) == ([$HOLD_PID, $HOLD_CHILD] | sort)" "$E2E_TMP/row"
}

t_sysv_dest() {
	local id
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id" rmid
	ls_row "$id" >"$E2E_TMP/row"
	expect_jq '.status == "dest" and .key == "0x00000000"' "$E2E_TMP/row"
	expect_jq ".pids == [$HOLD_PID]" "$E2E_TMP/row"
	run maps --segment "$id" -J
	expect_rc 0
	expect_jq ".mappings | length == 1 and .[0].deleted == true and .[0].pid == $HOLD_PID"
	kill -KILL "$HOLD_PID"
	wait "$HOLD_PID" 2>/dev/null
	expect_sysv_absent "$id"
}

t_posix_map() {
	local t name
	t=$(mk_posix 4K) || exit 1
	hold posix-map "$t"
	ls_row "$t" >"$E2E_TMP/row"
	expect_jq ".pids == [$HOLD_PID] and .procs == 1 and .kind == \"posix\" and .status == \"\"" "$E2E_TMP/row"
	run maps --segment "$t" -J
	expect_rc 0
	expect_jq ".mappings | length == 1 and .[0].how == \"map\" and .[0].perms == \"rw-s\" and .[0].fd == null and .[0].mapsize == 4096"
}

t_posix_fd() {
	local t
	t=$(mk_posix 4K) || exit 1
	hold posix-fd "$t"
	ls_row "$t" >"$E2E_TMP/row"
	expect_jq ".pids == [$HOLD_PID]" "$E2E_TMP/row"
	run maps "$HOLD_PID" -J
	expect_rc 0
	expect_jq ".mappings | length == 1 and .[0].how == \"fd\" and (.[0].fd | type) == \"number\" and .[0].start == null and .[0].segment == \"$t\""
	run stat "$t"
	expect_rc 0
	grep -q "^  $HOLD_PID (shmholder) fd [0-9]" "$OUT" || fail "stat does not list the fd holder: $(tail -n 3 "$OUT")"
}

t_posix_deleted() {
	local t
	t=$(mk_posix 8K) || exit 1
	st write "$t" --data "still here" || fail "setup: write"
	hold posix-unlink "$t"
	expect_posix_absent "$t"
	# Its name is gone: its TARGET is its holder's mapping.
	run ls -J -b -o +ID,NAME,PROCS,PIDS,COMMANDS,STATUS,LPID
	expect_rc 0
	jq -c --arg n "${t#/}" '.segments[] | select(.name == $n)' "$OUT" >"$E2E_TMP/row"
	expect_jq ".status == \"deleted\" and .pids == [$HOLD_PID] and .kind == \"posix\" and (.segment | test(\"^posix:$HOLD_PID:[0-9a-f]+-[0-9a-f]+$\"))" "$E2E_TMP/row"
	run maps "$HOLD_PID" -J
	expect_jq ".mappings | length == 1 and .[0].deleted == true and (.[0].segment | startswith(\"posix:$HOLD_PID:\"))"
	run read "$(jq -r .segment "$E2E_TMP/row")" -s
	expect_rc 0
	expect_out "still here"
}

# In the tests' own PID namespace every process is the tests', but the
# tool cannot know that no process outside it shares the shm directory
# (ARCHITECTURE.md: Verdicts, Tests): nobody holds it, and it is "unverified", not "unused".
t_posix_unused() {
	local t
	isolated || skip "only a private namespace sees every process"
	t=$(mk_posix 4K) || exit 1
	ls_row "$t" >"$E2E_TMP/row"
	expect_jq '.status == "unverified" and .pids == [] and .procs == 0' "$E2E_TMP/row"
	run ls --unused -J -o SEGMENT
	expect_jq ".segments | map(.segment) | index(\"$t\") != null"
}

t_memfd_not_a_segment() {
	local before
	isolated || skip "only a private namespace sees every process"
	run maps -J
	before=$(jq '.mappings | length' "$OUT")
	hold memfd
	run maps -J
	expect_rc 0
	expect_jq ".mappings | length == $before"
	run ls -J -o SEGMENT,PIDS
	expect_jq "[.segments[] | select(.pids | index($HOLD_PID))] | length == 0"
}

t_scan_only_when_needed() {
	local id
	id=$(mk_sysv 4K) || exit 1
	SHMTOOL_DEBUG_SCAN=1 st ls -o SEGMENT,SIZE,NATTCH >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	counted
	! grep -q 'scan:' "$ERR" || fail "ls -o SEGMENT,SIZE,NATTCH scanned /proc"
	SHMTOOL_DEBUG_SCAN=1 st ls -o SEGMENT,PIDS >"$OUT" 2>"$ERR"
	counted
	grep -q 'scan:' "$ERR" || fail "ls -o SEGMENT,PIDS did not scan"
}

# Both maps paths must find the same thing.
t_query_and_text_agree() {
	local id t k
	id=$(mk_sysv 4K) || exit 1
	t=$(mk_posix 4K) || exit 1
	hold sysv "$id" twice
	hold posix-map "$t"
	SHMTOOL_DEBUG_SCAN=1 st maps -J >"$E2E_TMP/q.json" 2>"$E2E_TMP/q.err" ||
		fail "maps failed"
	SHMTOOL_NO_PROCMAP_QUERY=1 SHMTOOL_DEBUG_SCAN=1 st maps -J \
		>"$E2E_TMP/t.json" 2>"$E2E_TMP/t.err" || fail "maps (text) failed"
	counted
	cmp -s "$E2E_TMP/q.json" "$E2E_TMP/t.json" ||
		fail "PROCMAP_QUERY and text differ: $(diff "$E2E_TMP/q.json" "$E2E_TMP/t.json" | head -n 4 | tr '\n' ' ')"
	counted
	grep -q 'maps via text' "$E2E_TMP/t.err" || fail "text path not used when forced"
	k=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	if [ "$k" -ge 6011 ]; then
		counted
		grep -q 'maps via PROCMAP_QUERY' "$E2E_TMP/q.err" ||
			fail "kernel $(uname -r) has PROCMAP_QUERY but it was not used: $(cat "$E2E_TMP/q.err")"
	fi
	expect_jq '[.mappings[] | select(.kind == "sysv")] | length >= 2' "$E2E_TMP/q.json"
}

# lsof must see the same attachers: POSIX by name, SysV as DEL with NODE = shmid.
t_lsof_agrees() {
	local id1 id2 t1 t2 t3
	command -v lsof >/dev/null || skip "lsof is not installed"
	isolated || skip "only a private namespace sees every process"
	id1=$(mk_sysv 4K) || exit 1
	id2=$(mk_sysv 4K) || exit 1
	t1=$(mk_posix 4K) || exit 1
	t2=$(mk_posix 4K) || exit 1
	t3=$(mk_posix 4K) || exit 1
	hold sysv "$id1"; hold sysv "$id1" fork; hold sysv "$id2" ro
	hold posix-map "$t1"; hold posix-fd "$t1"; hold posix-fd "$t2"
	hold posix-map "$t3"
	# lsof: pid, fd, inode, name
	lsof -n -P -w -F pfin 2>/dev/null | awk '
		/^p/ { pid = substr($0, 2) }
		/^i/ { ino = substr($0, 2) }
		/^n/ { n = substr($0, 2)
		       if (n ~ /^\/SYSV[0-9a-f]+/) print "sysv " ino, pid
		       else if (n ~ /^\/dev\/shm\//) { sub(/^\/dev\/shm/, "", n); sub(/ \(deleted\)$/, "", n); print "posix " n, pid } }' |
		sort -u >"$E2E_TMP/lsof"
	run ls -J
	expect_rc 0
	jq -r '.segments[] | . as $s | .pids[] | (if $s.kind == "sysv" then "sysv \($s.segment)" else "posix \($s.segment)" end) + " \(.)"' "$OUT" |
		sort -u >"$E2E_TMP/ours"
	counted
	diff "$E2E_TMP/lsof" "$E2E_TMP/ours" >"$E2E_TMP/d" ||
		fail "lsof and shmtool disagree: $(tr '\n' ' ' <"$E2E_TMP/d" | head -c 300)"
	counted
	[ "$(wc -l <"$E2E_TMP/ours")" -ge 7 ] || fail "too few attachers: $(cat "$E2E_TMP/ours")"
}

# With every process readable, the VMAs found equal the kernel's NATTCH.
t_nattch_matches_vmas() {
	local id
	isolated || skip "only a private namespace sees every process"
	id=$(mk_sysv 8K) || exit 1
	hold sysv "$id" twice; hold sysv "$id" split; hold sysv "$id" fork
	run ls -J --sysv
	expect_rc 0
	expect_jq "[.segments[] | select(.segment == \"$id\")][0].nattch == 6"
	run maps -J --segment "$id"
	expect_jq '.mappings | length == 6'
}

# The SysV rows agree with lsipc -m field by field.
t_lsipc_agrees() {
	local id1 id2 k
	command -v lsipc >/dev/null || skip "lsipc is not installed"
	isolated || skip "only a private namespace has a table of our own"
	k=$(new_key) || exit 1
	id1=$(st create --sysv "$k" 8K --mode 640) || fail "setup"
	id2=$(mk_sysv 4K) || exit 1
	hold sysv "$id1"
	hold sysv "$id2" rmid
	lsipc -m -b -J -o KEY,ID,OWNER,PERMS,SIZE,NATTCH,CPID,LPID,STATUS |
		jq -c '[.sharedmemory[] | {key, id: (.id | tonumber), owner, perms,
			size: (.size | tonumber), nattch: (.nattch | tonumber),
			cpid: (.cpid | tonumber), lpid: (.lpid | tonumber),
			status: (.status // "")}] | sort_by(.id)' >"$E2E_TMP/lsipc"
	run ls --sysv -J -b -o KEY,ID,OWNER,PERMS,SIZE,NATTCH,CPID,LPID,STATUS
	expect_rc 0
	jq -c '[.segments[] | .status = (.status | split(",") | map(select(. == "dest" or . == "locked" or . == "hugetlb")) | join(","))] | sort_by(.id)' \
		"$OUT" >"$E2E_TMP/ours"
	counted
	cmp -s "$E2E_TMP/lsipc" "$E2E_TMP/ours" ||
		fail "lsipc: $(head -c 300 "$E2E_TMP/lsipc") shmtool: $(head -c 300 "$E2E_TMP/ours")"
	counted
	ipcs -m | grep -q "^$k " || fail "ipcs -m does not show key $k"
}

# As an unprivileged user, a root-owned attacher cannot be inspected: the
# segment is still listed, stderr says why, and it is never "unused".
t_unprivileged() {
	local t id nobody=65534
	[ "$(id -u)" = 0 ] || skip "needs root to start a root-owned attacher"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	t=$(mk_posix 4K 644) || exit 1
	id=$(mk_sysv 4K 644) || exit 1
	hold posix-map "$t"
	hold sysv "$id"
	setpriv --reuid=$nobody --regid=$nobody --clear-groups \
		"$SHMTOOL" ls -J -o SEGMENT,PIDS,STATUS >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$t\") | .status == \"unverified\""
	expect_jq ".segments[] | select(.segment == \"$id\") | .status != \"unused\""
	counted
	# On a shared machine the list is long and cut after 8 PIDs: only in
	# the private namespace must our holder be among those named.
	# The note names 32 processes at most: past that our holder may be
	# among those left out.
	local named="$HOLD_PID \\(shmholder\\)" n
	n=$(sed -En 's/^shmtool: ls: ([0-9]+) process(es)? could not be inspected \(permission denied\).*/\1/p' "$ERR" | head -n 1)
	{ isolated && [ "${n:-0}" -le 32 ]; } || named=
	grep -Eq "^shmtool: ls: [0-9]+ process(es)? could not be inspected \(permission denied\): .*$named" "$ERR" ||
		fail "no note about uninspectable processes: $(head -c 300 "$ERR")"
	run ls --unused -J -o SEGMENT
	expect_jq ".segments | map(.segment) | index(\"$id\") == null"
}

# Two scan threads (issue 18) find exactly what one finds: on the same
# population of every kind of holder, ls, maps and the summary print the
# same bytes with SHMTOOL_SCAN_THREADS=1 and =2; never more threads than
# the CPUs the scan may run on.
t_scan_threads_same() {
	isolated || skip "needs the private PID namespace (root)"
	local id t i p
	[ "$(nproc)" -ge 2 ] || skip "one CPU: a second thread is never started"
	id=$(mk_sysv 4K) || exit 1
	t=$(mk_posix 4K) || exit 1
	hold sysv "$id" twice
	hold posix-map "$t"
	hold posix-fd "$t"
	hold memfd
	hold memfd-pass; reg_pid "$HOLD_VALUE"	# its child holds the fd
	hold anon-fork; reg_pid "$HOLD_VALUE"
	# enough processes that both threads take chunks: 200 fd holders
	for i in $(seq 1 200); do
		sleep 300 3<"$SHMDIR/${t#/}" &
		reg_pid $!
	done
	for p in "ls -J --memfd --anon --sem" "maps -J --memfd --anon" \
		"ls --summary -J" "ls --unused -J"; do
		# shellcheck disable=SC2086
		SHMTOOL_SCAN_THREADS=1 SHMTOOL_DEBUG_SCAN=1 st $p \
			>"$E2E_TMP/one" 2>"$E2E_TMP/one.err" || fail "$p failed"
		# shellcheck disable=SC2086
		SHMTOOL_SCAN_THREADS=2 SHMTOOL_DEBUG_SCAN=1 st $p \
			>"$E2E_TMP/two" 2>"$E2E_TMP/two.err" || fail "$p failed"
		counted
		grep -q ', 1 threads$' "$E2E_TMP/one.err" ||
			fail "$p: not one thread: $(grep scan: "$E2E_TMP/one.err")"
		counted
		grep -q ', 2 threads$' "$E2E_TMP/two.err" ||
			fail "$p: not two threads: $(grep scan: "$E2E_TMP/two.err")"
		counted
		cmp -s "$E2E_TMP/one" "$E2E_TMP/two" ||
			fail "$p: one and two threads differ: $(diff "$E2E_TMP/one" "$E2E_TMP/two" | head -n 4 | tr '\n' ' ')"
	done
	# and it is the whole population: 200 sleepers and two holders
	run ls -J -o SEGMENT,PROCS "$t"
	expect_jq '.segments[0].procs == 202'
	# Left alone, two threads only when two CPUs are free: with all
	# CPUs but one busy, one (a busy loop is runnable at every look).
	local n b busy=()
	n=$(nproc)
	if [ "$n" -ge 2 ]; then
		for (( b = 1; b < n; b++ )); do
			sh -c 'while :; do :; done' &
			busy+=("$!")
			reg_pid "$!"
		done
		sleep 0.3
		SHMTOOL_DEBUG_SCAN=1 "$SHMTOOL" ls >/dev/null 2>"$E2E_TMP/busy.err" </dev/null
		kill "${busy[@]}" 2>/dev/null
		wait "${busy[@]}" 2>/dev/null
		counted
		grep -q ', 1 threads$' "$E2E_TMP/busy.err" ||
			fail "$((n - 1)) of $n CPUs busy: $(grep scan: "$E2E_TMP/busy.err")"
	fi
	# Bound to one CPU, asking for two still scans with one.
	command -v taskset >/dev/null || return 0
	SHMTOOL_SCAN_THREADS=2 SHMTOOL_DEBUG_SCAN=1 taskset -c 0 "$SHMTOOL" ls \
		>/dev/null 2>"$E2E_TMP/cpu.err" </dev/null
	counted
	grep -q ', 1 threads$' "$E2E_TMP/cpu.err" ||
		fail "on one CPU: $(grep scan: "$E2E_TMP/cpu.err")"
}

tcase "SysV attach: ls, maps, stat agree" t_sysv_attach plain
tcase "SysV attach SHM_RDONLY: r--s" t_sysv_attach ro
tcase "SysV attached twice in one process" t_sysv_attach twice
tcase "SysV attachment split by mprotect" t_sysv_attach split
tcase "SysV attachment inherited across fork" t_sysv_fork
tcase "SysV IPC_RMID while attached: dest, then gone" t_sysv_dest
tcase "POSIX mapping" t_posix_map
tcase "POSIX fd-only holder" t_posix_fd
tcase "POSIX mapped then unlinked: deleted" t_posix_deleted
tcase "POSIX nobody holds: unverified in a child PID namespace" t_posix_unused
tcase "a memfd is not a segment" t_memfd_not_a_segment
tcase "ls scans /proc only when a column needs it" t_scan_only_when_needed
tcase "PROCMAP_QUERY and text maps agree" t_query_and_text_agree
tcase "attachers agree with lsof" t_lsof_agrees
tcase "VMAs found equal NATTCH" t_nattch_matches_vmas
tcase "SysV rows agree with lsipc and ipcs" t_lsipc_agrees
tcase "unprivileged: uninspectable attacher reported, never unused" t_unprivileged
tcase "two scan threads print what one prints" t_scan_threads_same
e2e_done
