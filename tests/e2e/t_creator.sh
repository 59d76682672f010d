#!/bin/bash
# SPDX-License-Identifier: MIT
# Creator and last-user columns (issue 16): CUSER and CGROUP name CUID and
# CGID (the number when there is no name); CCOMM and LCOMM are the commands
# of CPID and LPID while those very processes run: empty (null in JSON)
# once they are gone, or when the PID now names a process that started
# after the segment's creation (or the last attach or detach).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

COLS=SEGMENT,CPID,CUSER,CGROUP,CCOMM,LPID,LCOMM

# row ID: the segment's object of ls -J -o $COLS, on stdout
row() {
	run_scan ls -J -o "$COLS" --sysv
	expect_rc 0
	jq -c ".segments[] | select(.segment == \"$1\")" "$OUT" >"$E2E_TMP/row"
	[ -s "$E2E_TMP/row" ] || fail "shmid $1 not in ls -J"
}

t_live_creator() {
	local id cpid
	hold create-sysv 4096
	id=$HOLD_VALUE cpid=$HOLD_PID
	row "$id"
	expect_jq ".cpid == $cpid and .cuser == \"root\" and .cgroup == \"root\"
		and .ccomm == \"shmholder\" and .lpid == $cpid
		and .lcomm == \"shmholder\"" "$E2E_TMP/row"
	# the table, and stat, say the same
	run_scan ls -n -r -o SEGMENT,CCOMM,LCOMM --sysv
	grep -qx -- "$id shmholder shmholder" "$OUT" ||
		fail "ls -r shows '$(grep -- "^$id " "$OUT")'"
	counted
	run_scan stat "$id"
	expect_rc 0
	grep -qx 'Creator user: root' "$OUT" || fail "stat: no 'Creator user: root'"
	grep -qx 'Creator group: root' "$OUT" || fail "stat: no 'Creator group: root'"
	grep -qx 'Creator command: shmholder' "$OUT" || fail "stat: no 'Creator command'"
	grep -qx 'Last command: shmholder' "$OUT" || fail "stat: no 'Last command'"
	counted
	run_scan stat -J "$id"
	expect_jq ".segments[0] | .ccomm == \"shmholder\" and .cuser == \"root\""
}

# Gone: its PID is still the kernel's CPID and LPID, its command no more.
t_gone_creator() {
	local id cpid
	hold create-sysv 4096
	id=$HOLD_VALUE cpid=$HOLD_PID
	unhold "$cpid"
	row "$id"
	expect_jq ".cpid == $cpid and .lpid == $cpid and .ccomm == null
		and .lcomm == null and .cuser == \"root\"" "$E2E_TMP/row"
	run_scan ls -n -r -o SEGMENT,CCOMM,LCOMM,CUSER --sysv
	grep -qx -- "$id   root" "$OUT" ||
		fail "ls -r shows '$(grep -- "^$id " "$OUT")', want empty CCOMM, LCOMM"
	counted
	run_scan stat "$id"
	grep -q '^Creator command:' "$OUT" && fail "stat shows a creator command"
	grep -qx "Creator PID: $cpid" "$OUT" || fail "stat: no Creator PID"
	counted
}

# The last attacher is another process than the creator, while it runs.
t_last_user() {
	local id cpid apid
	hold create-sysv 4096 detach
	id=$HOLD_VALUE cpid=$HOLD_PID
	# never attached: no last PID, no last command
	row "$id"
	expect_jq ".ccomm == \"shmholder\" and .lpid == 0 and .lcomm == null" \
		"$E2E_TMP/row"
	hold sysv "$id"
	apid=$HOLD_PID
	row "$id"
	expect_jq ".cpid == $cpid and .lpid == $apid and .ccomm == \"shmholder\"
		and .lcomm == \"shmholder\"" "$E2E_TMP/row"
	unhold "$apid"
	row "$id"
	expect_jq ".lpid == $apid and .lcomm == null and .ccomm == \"shmholder\"" \
		"$E2E_TMP/row"
	unhold "$cpid"
	row "$id"
	expect_jq ".ccomm == null and .lcomm == null" "$E2E_TMP/row"
}

# A PID reused by a process started after the segment's creation is not
# its creator: no command, even though a process with that PID runs.
t_reused_pid() {
	local id cpid newpid i
	isolated || skip "only in the private PID namespace"
	[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot set ns_last_pid"
	hold create-sysv 4096
	id=$HOLD_VALUE cpid=$HOLD_PID
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
	# the forked shell becomes sleep at its exec
	for i in $(seq 1 100); do
		[ "$(cat "/proc/$cpid/comm" 2>/dev/null)" = sleep ] && break
		sleep 0.02
	done
	expect_eq "$(cat "/proc/$cpid/comm")" sleep "command of PID $cpid"
	row "$id"
	expect_jq ".cpid == $cpid and .lpid == $cpid and .ccomm == null
		and .lcomm == null" "$E2E_TMP/row"
}

# CUSER and CGROUP are the creator's, not the owner's; a number when the
# id has no name.
t_creator_names() {
	local id mine
	[ "$(id -u)" = 0 ] || skip "needs root to create as other users"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	getent passwd 12345 >/dev/null && skip "uid 12345 has a name here"
	getent group 12346 >/dev/null && skip "gid 12346 has a name here"
	e2e_exec setpriv --reuid=12345 --regid=12346 --clear-groups \
		"$SHMTOOL" create --sysv 4K </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	id=$(cat "$OUT")
	reg_sysv_id "$id"
	row "$id"
	expect_jq ".cuser == \"12345\" and .cgroup == \"12346\"" "$E2E_TMP/row"
	mine=$(mk_sysv 4K) || exit 1
	run chown nobody:nogroup "$mine"
	expect_rc 0
	run_scan ls -J -o SEGMENT,OWNER,GROUP,CUSER,CGROUP --sysv
	expect_jq ".segments[] | select(.segment == \"$mine\") | .owner == \"nobody\"
		and .group == \"nogroup\" and .cuser == \"root\" and .cgroup == \"root\""
}

# POSIX segments have no creator the kernel records: null.
t_posix_null() {
	local p
	p=$(mk_posix 4K) || exit 1
	run_scan ls -J -o "$COLS" --posix
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$p\") | .cpid == null
		and .cuser == null and .cgroup == null and .ccomm == null
		and .lcomm == null"
}

tcase "a live creator: CUSER, CGROUP, CCOMM, LCOMM in ls, ls -J, stat" t_live_creator
tcase "the creator gone: CCOMM and LCOMM empty, null in JSON" t_gone_creator
tcase "LCOMM follows the last attacher while it runs" t_last_user
tcase "a reused PID is not the creator: no CCOMM" t_reused_pid
tcase "CUSER, CGROUP: the creator's, numbers without names" t_creator_names
tcase "POSIX: the creator columns are null" t_posix_null
e2e_done
