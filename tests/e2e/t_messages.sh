#!/bin/bash
# SPDX-License-Identifier: MIT
# Messages that say what happened in the user's terms (issue 15): each of
# these once misled (an option never given, a kind of error for another,
# "1 bytes", a count that counted other things, silence where SysV speaks).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

t_negative_size() {
	run create "$(new_posix)" -1
	expect_usage_error create
	expect_err_line "^shmtool: create: '-1' is no option: sizes, offsets and lengths are never negative"
	expect_none_created
}

t_hugetlb_posix() {
	run create "$(new_posix)" --hugetlb 2M
	expect_usage_error create
	expect_err_is "shmtool: create: --hugetlb is for System V segments"
	expect_none_created
}

t_key_without_size() {
	run create --sysv 0x2695
	expect_usage_error create
	expect_err_is "shmtool: create: missing SIZE after the KEY '0x2695'"
	expect_none_created
}

t_size_units() {
	run create "$(new_posix)" 4Q
	expect_usage_error create
	counted
	grep -Fq "K, M, G, T, P, E or KiB...EiB (powers of 1024), KB...EB (powers of 1000), B" "$ERR" ||
		fail "the units are not all listed: $(err1)"
}

t_one_byte() {
	local t
	t=$(mk_posix 1) || exit 1
	run read "$t" --length 2
	expect_usage_error read
	expect_err_is "shmtool: read: 2 bytes at offset 0 run past the end of $t (1 byte)"
	run write "$t" --data ab
	expect_rc 1
	expect_err_is "shmtool: write: $t: 2 bytes at offset 0 do not fit in the 1-byte segment (1 too many); nothing written"
	run write "$t" --offset 1 --data a
	expect_rc 1
	expect_err_is "shmtool: write: $t: 1 byte at offset 1 does not fit in the 1-byte segment (1 too many); nothing written"
}

t_forced_posix_name() {
	local t
	t=$(new_posix)
	run write "${t#/}" --posix --data x
	expect_rc 1
	expect_err_is "shmtool: write: $t: no such segment"
}

t_ls_both_kinds() {
	run ls --sysv --posix
	expect_usage_error ls
	expect_err_is "shmtool: ls: --posix and --sysv exclude each other"
	run_scan ls --sysv --sysv -n -o SEGMENT
	expect_rc 0
}

# shmids 0..10 in this IPC namespace: 9 before 10, not after "1".
t_sort_natural() {
	need_root_isolated
	local i ids=() got
	for i in $(seq 1 11); do
		ids+=("$(mk_sysv 4K)") || exit 1
		reg_sysv_id "${ids[-1]}"
	done
	run_scan ls --sysv -r -n -o SEGMENT --sort SEGMENT
	expect_rc 0
	got=$(tr '\n' ' ' <"$OUT")
	expect_eq "$got" "$(printf '%s\n' "${ids[@]}" | sort -n | tr '\n' ' ')" \
		"SEGMENT sorted as numbers"
}

# rm of a POSIX segment some process maps says so, as SysV's "still
# attached" does.
t_rm_still_held() {
	local t
	t=$(mk_posix 4K) || exit 1
	hold posix-map "$t"
	run rm "$t"
	expect_rc 0
	expect_out_empty
	expect_err_is "shmtool: rm: $t: still held (1 process); memory is freed when the last closes or unmaps it"
	unhold "$HOLD_PID"
	t=$(mk_posix 4K) || exit 1
	run rm "$t"
	expect_rc 0
	expect_err_empty
}

# As a user: a root segment that only --force would remove is not counted
# among "other users' segments this run would remove" without --force.
t_others_counted() {
	need_root_isolated
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	local t
	t=$(mk_posix 4K) || exit 1	# root's, unverified in this namespace
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SHMTOOL" rm --unused --dry-run >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	counted
	! grep -q 'of other users' "$ERR" ||
		fail "an unverified segment was counted as another user's to remove: $(err1)"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SHMTOOL" rm --unused --dry-run --force >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	expect_rc 0
	counted
	grep -Eq "^shmtool: rm: skipped [0-9]+ segments? of other users that this run would remove \(not yours to remove\)$" "$ERR" ||
		fail "no count of other users' segments: $(cat "$ERR" | head -c 400)"
	expect_posix_present "$t"
}

tcase "create /e -1: a negative size, not an unknown option" t_negative_size
tcase "create /x --hugetlb: names --hugetlb, not --ftok" t_hugetlb_posix
tcase "create --sysv 0xKEY without SIZE: missing SIZE" t_key_without_size
tcase "a bad size lists every unit" t_size_units
tcase "1 byte, not 1 bytes" t_one_byte
tcase "write NAME --posix: the message names /NAME" t_forced_posix_name
tcase "ls --sysv --posix: refused like create and rm" t_ls_both_kinds
tcase "ls --sort SEGMENT: shmids in numeric order" t_sort_natural
tcase "rm of a mapped POSIX segment: still held" t_rm_still_held
tcase "rm --unused as a user: other users' count is what would go" t_others_counted
e2e_done
