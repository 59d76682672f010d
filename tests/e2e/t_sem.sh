#!/bin/bash
# SPDX-License-Identifier: MIT
# POSIX named semaphores (issue 16): sem.* files of the shm directory,
# made by real sem_open(3) calls (shmhelper sem-*).  ls --sem lists them
# as KIND sem, SEGMENT sem:/NAME, with holders, VALUE and WAITERS as the
# C library's own sem_getvalue sees them; stat, rm and rm --unused --sem
# take them under the same verdicts as segments; write never touches one.
# And the --name GLOB filter and --reverse of the same issue.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

need_isolated() {
	isolated || skip "needs the private tmpfs and PID namespace (root)"
}

# new_sem: a fresh semaphore name (as sem_open takes it: "/NAME"), its
# file registered for cleanup.
new_sem() {
	local n=/$E2E_PREFIX-sem$(new_counter)
	reg_posix "sem.${n#/}"
	echo "$n"
}

# sem_bg OP NAME [ARG]: "shmhelper OP NAME ARG" in the background, once
# it says ready; SEM_PID is its PID.
sem_bg() {
	start_ready "$SHMHELPER" "$@"
	SEM_PID=$HOLD_PID
}

row() { expect_jq ".segments[] | select(.segment == \"$1\") | $2"; }
no_row() { expect_jq "[.segments[] | select(.segment == \"$1\")] == []"; }

t_sem_listed() {
	local s holder
	s=$(new_sem)
	sem_bg sem-hold "$s" 3; holder=$SEM_PID
	hp sem-post "$s" 2 || fail "setup: sem_post"
	expect_eq "$(hp sem-value "$s")" 5 "sem_getvalue"
	run ls --sem -J -o +NAME
	expect_rc 0
	row "sem:$s" ".kind == \"sem\" and .name == \"${s#/}\" and .value == 5 and .waiters == 0 and .pids == [$holder] and .size == 32"
	# Not a segment: not listed without --sem, nor counted as one.
	run ls -J
	expect_rc 0
	no_row "sem:$s"
	expect_jq '[.segments[] | select(.kind == "sem")] == []'
	# The table gains VALUE and WAITERS; -o chooses.
	run ls --sem
	expect_rc 0
	head -1 "$OUT" | grep -q ' VALUE WAITERS$' || fail "header: $(head -1 "$OUT")"
	counted
	run ls --sem --posix -r -n -o SEGMENT,VALUE "sem:$s"
	expect_rc 0
	expect_out "sem:$s 5"
	# The file is read for VALUE (and WAITERS, --sort) only.
	if strace_ok; then
		traced "$E2E_TMP/sem.strace" openat "$SHMTOOL" ls --sem -r -n -o SEGMENT,VALUE
		expect_rc 0
		counted
		grep -q "sem\.${s#/}\"" "$E2E_TMP/sem.strace" ||
			fail "ls -o VALUE did not open the semaphore"
		traced "$E2E_TMP/sem.strace" openat "$SHMTOOL" ls --sem -r -n -o SEGMENT,SIZE
		expect_rc 0
		grep -q "sem:$s " "$OUT" || fail "ls -o SEGMENT,SIZE: no row"
		counted
		! grep -q "sem\.${s#/}\"" "$E2E_TMP/sem.strace" ||
			fail "ls -o SEGMENT,SIZE opened the semaphore: $(grep "sem\.${s#/}" "$E2E_TMP/sem.strace")"
		traced "$E2E_TMP/sem.strace" openat "$SHMTOOL" ls --sem -r -n -o SEGMENT --sort WAITERS
		expect_rc 0
		counted
		grep -q "sem\.${s#/}\"" "$E2E_TMP/sem.strace" ||
			fail "ls --sort WAITERS did not open the semaphore"
	fi
	# What maps shows for the process: its semaphore, KIND sem.
	run maps -J "$holder"
	expect_rc 0
	expect_jq "[.mappings[] | select(.segment == \"sem:$s\" and .kind == \"sem\" and .how == \"map\")] | length == 1"
}

t_sem_waiters() {
	local s waiter i w
	s=$(new_sem)
	sem_bg sem-hold "$s" 0
	sem_bg sem-wait "$s"; waiter=$SEM_PID
	# sem_wait blocks in the kernel a moment after "ready": bounded wait.
	for i in $(seq 1 100); do
		w=$(st ls --sem -J -o SEGMENT,WAITERS "sem:$s" |
			jq '.segments[0].waiters')
		[ "$w" = 1 ] && break
		sleep 0.05
	done
	run ls --sem -J -o SEGMENT,VALUE,WAITERS,PIDS "sem:$s"
	expect_rc 0
	row "sem:$s" ".value == 0 and .waiters == 1 and (.pids | index($waiter) != null)"
	hp sem-post "$s" 1 || fail "setup: sem_post"
	wait "$waiter" 2>/dev/null
	expect_eq "$?" 0 "the waiter's exit status (it got the semaphore)"
	run ls --sem -J -o SEGMENT,VALUE,WAITERS "sem:$s"
	expect_rc 0
	row "sem:$s" ".value == 0 and .waiters == 0"
}

t_sem_stat() {
	local s
	s=$(new_sem)
	sem_bg sem-hold "$s" 7
	run stat "sem:$s"
	expect_rc 0
	grep -qx 'Kind: sem' "$OUT" || fail "no 'Kind: sem' line"
	grep -qx 'Value: 7' "$OUT" || fail "no 'Value: 7' line"
	grep -qx 'Waiters: 0' "$OUT" || fail "no 'Waiters: 0' line"
	grep -qx "Holders: 1" "$OUT" || fail "no 'Holders: 1' line"
	counted
	# without the slash, as sem_open's own examples name it
	run stat -o VALUE -n -r "sem:${s#/}"
	expect_rc 0
	expect_out 7
	run stat -J "sem:$s"
	expect_rc 0
	expect_jq ".segments[0].segment == \"sem:$s\" and .segments[0].value == 7 and (.segments[0].holders | length) == 1"
	# The file's name is no TARGET of a segment: the hint says how.
	run stat "/sem.${s#/}"
	expect_rc 2
	expect_err_line "^shmtool: stat: invalid target '/sem\\.${s#/}': names beginning with 'sem\\.' are POSIX semaphores: write sem:/NAME$"
	run stat "sem:/$E2E_PREFIX-nosuch"
	expect_rc 1
	expect_err_line "^shmtool: stat: sem:/$E2E_PREFIX-nosuch: no such segment$"
	run stat "sem:$E2E_PREFIX-nosuch"
	expect_rc 1
	expect_err_line "^shmtool: stat: sem:$E2E_PREFIX-nosuch: no such segment$"
	run stat --sysv "sem:$s"
	expect_rc 2
}

# Bytes written over a sem_t would break every process that waits on it.
t_sem_write_refused() {
	local s
	s=$(new_sem)
	sem_bg sem-hold "$s" 4
	run write "sem:$s" --data XXXXXXXX
	expect_rc 1
	expect_err_line "^shmtool: write: sem:$s: a semaphore, changed with sem_post\\(3\\), not written$"
	expect_eq "$(hp sem-value "$s")" 4 "the value after the refused write"
	run write --posix "sem.${s#/}" --data X
	expect_rc 2
	expect_eq "$(hp sem-value "$s")" 4 "the value after the refused write"
	# read shows its bytes, changing nothing
	run read "sem:$s"
	expect_rc 0
	expect_eq "$(wc -c <"$OUT")" 32 "bytes read"
}

# rm of a semaphore: like sem_unlink(3); a held one says so.
t_sem_rm() {
	local s t holder
	s=$(new_sem)
	sem_bg sem-hold "$s" 1
	unhold "$SEM_PID"
	run rm -v "sem:$s"
	expect_rc 0
	expect_out "removed sem:$s"
	[ ! -e "$SHMDIR/sem.${s#/}" ] || fail "sem.${s#/} still exists"
	counted
	t=$(new_sem)
	sem_bg sem-hold "$t" 1; holder=$SEM_PID
	run rm "sem:$t"
	expect_rc 0
	expect_err_line "^shmtool: rm: sem:$t: still held \\(1 process\\)"
	[ ! -e "$SHMDIR/sem.${t#/}" ] || fail "sem.${t#/} still exists"
	counted
	# Deleted and still mapped: a row of its own, reachable by its target.
	run ls --sem -J -o SEGMENT,KIND,STATUS,PIDS
	expect_rc 0
	local dt
	dt=$(jq -r ".segments[] | select(.kind == \"sem\" and .status == \"deleted\" and .pids == [$holder]) | .segment" "$OUT")
	[[ $dt == posix:$holder:* ]] || fail "deleted semaphore's row: '$dt'"
	counted
	run stat -J "$dt"
	expect_rc 0
	expect_jq ".segments[0].kind == \"sem\" and .segments[0].segment == \"$dt\""
	run rm "sem:$t"
	expect_rc 1
}

# rm --unused --sem: a semaphore whose holders were killed leaked;
# held ones stay, and without --sem no semaphore is touched.
t_sem_unused() {
	need_isolated
	local leaked held waiter p
	leaked=$(new_sem)
	held=$(new_sem)
	waiter=$(new_sem)
	sem_bg sem-hold "$leaked" 1
	unhold "$SEM_PID"
	sem_bg sem-hold "$held" 2
	sem_bg sem-hold "$waiter" 0
	sem_bg sem-wait "$waiter"
	p=$(mk_posix 4K) || exit 1
	# In the tests' PID namespace nothing is proven unused: --force.
	run rm --unused --force --dry-run --sem
	expect_rc 0
	grep -q "^sem:$leaked	32	unverified	" "$OUT" || fail "dry run: $(head -c 300 "$OUT")"
	! grep -q "^sem:$held	\|^sem:$waiter	" "$OUT" || fail "a held semaphore would go"
	counted
	run rm --unused --force -v
	expect_rc 0
	expect_out "removed $p"
	[ -e "$SHMDIR/sem.${leaked#/}" ] || fail "rm --unused without --sem removed a semaphore"
	counted
	run rm --unused --force --sem -v
	expect_rc 0
	expect_out "removed sem:$leaked"
	[ ! -e "$SHMDIR/sem.${leaked#/}" ] || fail "the leaked semaphore is still there"
	[ -e "$SHMDIR/sem.${held#/}" ] && [ -e "$SHMDIR/sem.${waiter#/}" ] ||
		fail "a held semaphore was removed"
	counted
	expect_eq "$(hp sem-value "$held")" 2 "the held semaphore's value"
	run rm --unused --sem --sysv
	expect_usage_error rm
	run ls --sysv --sem
	expect_usage_error ls
}

# A semaphore whose holder died while another process still waits on it
# is held: the waiter maps it.
t_sem_waiter_holds() {
	need_isolated
	local s p
	s=$(new_sem)
	sem_bg sem-hold "$s" 0
	p=$SEM_PID
	sem_bg sem-wait "$s"
	unhold "$p"
	run rm --unused --force --sem -v
	expect_rc 0
	expect_out_empty
	[ -e "$SHMDIR/sem.${s#/}" ] || fail "a semaphore someone waits on was removed"
	counted
}

# --name GLOB for ls and rm --unused: the name without the slash.
t_name_filter() {
	need_isolated
	local a b c s x
	a=/$E2E_PREFIX-psm_$(new_counter); reg_posix "$a"
	b=/$E2E_PREFIX-psm_$(new_counter); reg_posix "$b"
	c=/$E2E_PREFIX-torch_$(new_counter); reg_posix "$c"
	for x in "$a" "$b" "$c"; do
		st create "$x" 4K >/dev/null || fail "setup: create $x"
	done
	s=$(new_sem)
	sem_bg sem-hold "$s" 1
	unhold "$SEM_PID"
	run ls -J -o SEGMENT --name "$E2E_PREFIX-psm_*"
	expect_rc 0
	expect_jq "[.segments[].segment] | sort == ([\"$a\", \"$b\"] | sort)"
	# the slash is not part of the name
	run ls -J -o SEGMENT --name "/$E2E_PREFIX-psm_*"
	expect_rc 0
	expect_jq '.segments == []'
	run ls --sem -J -o SEGMENT --name "${s#/}"
	expect_rc 0
	expect_jq "[.segments[].segment] == [\"sem:$s\"]"
	run rm --unused --force --sem --dry-run --name "$E2E_PREFIX-psm_*"
	expect_rc 0
	expect_eq "$(cut -f1 "$OUT" | sort | tr '\n' ' ')" "$(printf '%s\n' "$a" "$b" | sort | tr '\n' ' ')" "dry run"
	run rm --unused --force --sem -v --name "$E2E_PREFIX-psm_*"
	expect_rc 0
	expect_posix_absent "$a"
	expect_posix_absent "$b"
	expect_posix_present "$c"
	[ -e "$SHMDIR/sem.${s#/}" ] || fail "--name removed a semaphore it does not match"
	counted
	# SysV: the KEY as ls prints it
	local k id
	k=$(new_key) || exit 1
	id=$(mk_sysv_key "$k" 4K) || exit 1
	run ls --sysv -J -o SEGMENT,KEY --name "$(printf '0x%08x' "$k")"
	expect_rc 0
	expect_jq "[.segments[].segment] == [\"$id\"]"
	run rm --name x
	expect_usage_error rm
	run rm --sem
	expect_usage_error rm
}

# --reverse: the order of --sort COL (or as listed) turned round.
t_reverse() {
	local a b c
	a=$(mk_posix 1K) || exit 1
	b=$(mk_posix 3K) || exit 1
	c=$(mk_posix 2K) || exit 1
	run ls --posix -r -n -b -o SEGMENT,SIZE --sort SIZE
	expect_rc 0
	grep -F -e "$a " -e "$b " -e "$c " "$OUT" >"$E2E_TMP/fwd"
	run ls --posix -r -n -b -o SEGMENT,SIZE --sort SIZE --reverse
	expect_rc 0
	grep -F -e "$a " -e "$b " -e "$c " "$OUT" >"$E2E_TMP/rev"
	expect_eq "$(tac "$E2E_TMP/fwd" | tr '\n' ' ')" "$(tr '\n' ' ' <"$E2E_TMP/rev")" "reversed"
	expect_eq "$(head -1 "$E2E_TMP/rev")" "$b 3072" "the largest first"
	run ls --summary --reverse
	expect_usage_error ls
}

tcase "ls --sem: KIND sem, SEGMENT sem:/NAME, VALUE as sem_getvalue, holders" t_sem_listed
tcase "WAITERS counts a blocked sem_wait, 0 once posted" t_sem_waiters
tcase "stat sem:/NAME: Value, Waiters, holders; -o VALUE; /sem.NAME refused" t_sem_stat
tcase "write of a semaphore: refused, value unchanged" t_sem_write_refused
tcase "rm sem:/NAME: removed; a held one said and reachable as deleted" t_sem_rm
tcase "rm --unused --sem: the leaked one goes, held ones stay, none without --sem" t_sem_unused
tcase "a semaphore only a waiter maps is held" t_sem_waiter_holds
tcase "--name GLOB: ls and rm --unused, POSIX, semaphores, SysV keys" t_name_filter
tcase "ls --sort COL --reverse" t_reverse
e2e_done
