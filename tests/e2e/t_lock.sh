#!/bin/bash
# SPDX-License-Identifier: MIT
# lock and unlock (issue 16): SHM_LOCK and SHM_UNLOCK as the kernel shows
# them (SHM_LOCKED, 02000, in the perms of /proc/sysvipc/shm, and STATUS
# locked); what cannot be locked is refused before anything is locked;
# an unprivileged user that may not is refused and changes nothing.
. "$(dirname "$0")/lib.sh"

NOBODY=65534
NOBODY_RUN=(setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups)

as_nobody() {
	e2e_exec "${NOBODY_RUN[@]}" "$SHMTOOL" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
}

need_root_ns() {
	[ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
	isolated || skip "only in the private namespace"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	"${NOBODY_RUN[@]}" test -x "$SHMTOOL" 2>/dev/null ||
		skip "uid $NOBODY cannot run $SHMTOOL"
}

# locked ID: is SHM_LOCKED set in the kernel's perms?
locked() { (( 8#$(sysv_field "$1" 3) & 02000 )); }
expect_locked() {
	counted
	locked "$1" || fail "shmid $1 is not locked: perms $(sysv_field "$1" 3)"
}
expect_unlocked() {
	counted
	! locked "$1" || fail "shmid $1 is locked: perms $(sysv_field "$1" 3)"
}

t_lock_unlock() {
	local a b
	a=$(mk_sysv 64K) || exit 1
	b=$(mk_sysv 4K 644) || exit 1
	run lock "$a" "$b"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_locked "$a"
	expect_locked "$b"
	expect_eq "$(seg_mode "$b")" 644 "mode after lock"
	run_scan stat "$a"
	grep -qx 'Status: locked.*' "$OUT" || fail "stat says $(grep Status "$OUT")"
	counted
	# again: still locked, no error
	run lock "$a"
	expect_rc 0
	expect_locked "$a"
	run unlock "$a"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_unlocked "$a"
	expect_locked "$b"
	# again: nothing to undo, no error
	run unlock "$a"
	expect_rc 0
	expect_unlocked "$a"
	run_scan ls -n -r -o SEGMENT,STATUS --sysv
	grep -q "^$b locked" "$OUT" || fail "ls shows $(grep -- "^$b " "$OUT")"
	grep -q "^$a locked" "$OUT" && fail "ls shows $a locked"
	counted
}

t_verbose_and_forms() {
	local a key
	key=$(new_key) || exit 1
	a=$(mk_sysv_key "$key" 4K) || exit 1
	run lock -v "key:$key"
	expect_rc 0
	expect_out "locked $a"
	expect_locked "$a"
	run unlock --verbose "$key"
	expect_rc 0
	expect_out "unlocked $a"
	expect_unlocked "$a"
	run lock --sysv "$a"
	expect_rc 0
	expect_locked "$a"
}

# Nothing but System V can be locked: said, and nothing is locked.
t_refused_kinds() {
	local p s
	p=$(mk_posix 4K) || exit 1
	s=$(mk_sysv 4K) || exit 1
	run lock "$s" "$p"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: lock: $p: only System V segments can be locked (POSIX, memfd and shared anonymous memory: mlock(2) in the process that maps it)"
	expect_unlocked "$s"
	run lock --posix "${p#/}"
	expect_rc 1
	expect_err_line "^shmtool: lock: $p: only System V segments can be locked"
	run unlock "$p"
	expect_rc 1
	expect_err_line "^shmtool: unlock: $p: only System V segments can be locked"
	# a missing one: nothing locked either
	run lock "$s" 2147483000
	expect_rc 1
	expect_err_is "shmtool: lock: 2147483000: no such segment"
	expect_unlocked "$s"
}

t_usage() {
	local c s
	s=$(mk_sysv 4K) || exit 1
	for c in lock unlock; do
		run "$c"
		expect_usage_error "$c"
		expect_err_is "shmtool: $c: missing TARGET"
		run "$c" "$s" 'no/such'
		expect_usage_error "$c"
		run "$c" --bogus "$s"
		expect_usage_error "$c"
		run "$c" --help
		expect_rc 0
		expect_err_empty
		grep -q "^Usage: shmtool $c TARGET" "$OUT" || fail "$c --help: no usage"
		counted
	done
	expect_unlocked "$s"
}

# As nobody, root's segment: not the owner and no CAP_IPC_LOCK.
t_unprivileged() {
	local s mine
	need_root_ns
	s=$(mk_sysv 4K 666) || exit 1
	as_nobody lock "$s"
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: lock: $s: Operation not permitted \(it takes CAP_IPC_LOCK"
	expect_unlocked "$s"
	run lock "$s"
	expect_rc 0
	as_nobody unlock "$s"
	expect_rc 1
	expect_err_line "^shmtool: unlock: $s: Operation not permitted"
	expect_locked "$s"
	# its own segment, with no memlock allowance at all: refused
	as_nobody create --sysv 4K
	expect_rc 0
	mine=$(cat "$OUT")
	e2e_exec prlimit --memlock=0:0 "${NOBODY_RUN[@]}" "$SHMTOOL" lock "$mine" \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1
	expect_err_line "^shmtool: lock: $mine: Operation not permitted"
	expect_unlocked "$mine"
	# and with the default allowance, allowed
	as_nobody lock "$mine"
	expect_rc 0
	expect_locked "$mine"
}

tcase "SysV: lock and unlock, as the kernel and ls/stat show" t_lock_unlock
tcase "SysV: -v, key:, 0xKEY and --sysv forms" t_verbose_and_forms
tcase "POSIX: refused, and nothing else is locked" t_refused_kinds
tcase "usage errors and --help" t_usage
tcase "as nobody: root's segment refused; its own by RLIMIT_MEMLOCK" t_unprivileged
e2e_done
