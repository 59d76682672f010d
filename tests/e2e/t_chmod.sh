#!/bin/bash
# SPDX-License-Identifier: MIT
# chmod and chown (issue 16): checked against the kernel's own view, the
# perms/uid/gid columns of /proc/sysvipc/shm and stat(2) of the POSIX file;
# a symlink in the shm directory is never followed; a bad MODE or OWNER is
# a usage error, a missing or refused TARGET changes nothing; as an
# unprivileged user, what the kernel refuses fails and changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

NOBODY=65534
NOBODY_RUN=(setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups)

# as_nobody ARGS...: shmtool as uid/gid 65534 with no groups; sets RC,
# $OUT, $ERR.
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

# The kernel's word: perms (octal, with SHM_DEST/SHM_LOCKED), uid, gid.
sysv_perms() { sysv_field "$1" 3; }
sysv_owner() { echo "$(sysv_field "$1" 8):$(sysv_field "$1" 9)"; }
posix_owner() { stat -c '%u:%g' -- "$SHMDIR/${1#/}"; }
# owner_of TARGET: uid:gid, without shmtool
owner_of() {
	case $1 in
	/*) posix_owner "$1" ;;
	*) sysv_owner "$1" ;;
	esac
}

t_chmod_kind() {
	local kind=$1 t
	t=$(mk_seg "$kind" 4K 600) || exit 1
	seg_remember "$t"
	run chmod 640 "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_eq "$(seg_mode "$t")" 640 "mode after chmod 640"
	run chmod 0 "$t"
	expect_rc 0
	expect_eq "$(seg_mode "$t")" 0 "mode after chmod 0"
	run chmod 0777 "$t"
	expect_rc 0
	expect_eq "$(seg_mode "$t")" 777 "mode after chmod 0777"
	# the bytes are not the mode's business
	expect_seg_unchanged "$t"
	# and what shmtool shows is what the kernel has
	run_scan ls -n -r -o SEGMENT,PERMS
	expect_rc 0
	grep -qx -- "$t rwxrwxrwx" "$OUT" || fail "ls shows $(grep -- "^$t " "$OUT")"
}

t_chmod_sysv_keeps_locked() {
	local t
	t=$(mk_sysv 4K 600) || exit 1
	run lock "$t"
	expect_rc 0
	expect_eq "$(sysv_perms "$t")" 2600 "perms after lock"
	run chmod 644 "$t"
	expect_rc 0
	expect_eq "$(sysv_perms "$t")" 2644 "perms after chmod of a locked segment"
	run unlock "$t"
	expect_rc 0
	expect_eq "$(sysv_perms "$t")" 644 "perms after unlock"
}

t_chmod_verbose() {
	local p s
	p=$(mk_posix 4K 600) || exit 1
	s=$(mk_sysv 4K 644) || exit 1
	run chmod -v 640 "$p" "$s"
	expect_rc 0
	expect_err_empty
	printf '%s\n' "mode of $p: 0600 (rw-------) -> 0640 (rw-r-----)" \
		"mode of $s: 0644 (rw-r--r--) -> 0640 (rw-r-----)" >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the -v lines"
	expect_eq "$(seg_mode "$p") $(seg_mode "$s")" "640 640" "modes"
}

t_chmod_posix_forms() {
	local p n
	p=$(mk_posix 4K 600) || exit 1
	n=${p#/}
	run chmod --posix 604 "$n"
	expect_rc 0
	expect_eq "$(seg_mode "$p")" 604 "mode after chmod --posix NAME"
	run chmod 606 "$n" --posix
	expect_rc 0
	expect_eq "$(seg_mode "$p")" 606 "mode after chmod NAME --posix"
	run chmod --posix --sysv 600 "$n"
	expect_usage_error chmod
	expect_eq "$(seg_mode "$p")" 606 "mode after a usage error"
}

t_chmod_bad_mode() {
	local p s m
	p=$(mk_posix 4K 600) || exit 1
	s=$(mk_sysv 4K 600) || exit 1
	for m in 999 8 1777 07777 -1 u+x a=r 6x 0x1 "" " 600"; do
		run chmod "$m" "$p" "$s"
		expect_usage_error chmod
		expect_err_line "^shmtool: chmod: "
	done
	run chmod
	expect_usage_error chmod
	expect_err_is "shmtool: chmod: missing MODE"
	run chmod 600
	expect_usage_error chmod
	expect_err_is "shmtool: chmod: missing TARGET"
	run chmod 640 "$p" 'no/such' "$s"
	expect_usage_error chmod
	expect_eq "$(seg_mode "$p") $(seg_mode "$s")" "600 600" "modes after usage errors"
}

# One TARGET missing or refused: nothing changes, the others neither.
t_chmod_all_or_nothing() {
	local p s n
	p=$(mk_posix 4K 600) || exit 1
	s=$(mk_sysv 4K 600) || exit 1
	n=$(new_posix) || exit 1
	run chmod 640 "$p" "$n" "$s"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: chmod: $n: no such segment"
	run chmod 640 "$p" 2147483000 "$s"
	expect_rc 1
	expect_err_is "shmtool: chmod: 2147483000: no such segment"
	expect_eq "$(seg_mode "$p") $(seg_mode "$s")" "600 600" "modes after a missing TARGET"
	expect_posix_absent "$n"
}

t_chmod_memfd_refused() {
	local t p
	p=$(mk_posix 4K 600) || exit 1
	hold memfd
	run ls --memfd -n -r -o SEGMENT,KIND
	t=$(awk '$2 == "memfd" { print $1; exit }' "$OUT")
	[ -n "$t" ] || fail "setup: no memfd row in ls --memfd"
	run chmod 644 "$p" "$t"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: chmod: $t: cannot change memory reached through a holder (only System V and POSIX segments)"
	expect_eq "$(seg_mode "$p")" 600 "the other TARGET's mode"
	run chown nobody "$t"
	expect_rc 1
	expect_err_line "^shmtool: chown: $t: cannot change memory reached through a holder"
}

# A name in the shm directory that is a symlink to a file outside: neither
# followed nor changed, and what it points to keeps its mode and owner.
t_symlink_not_followed() {
	local n out p
	n=$(new_posix) || exit 1
	p=$(mk_posix 4K 600) || exit 1
	out=$E2E_TMP/outside
	echo secret >"$out"
	chmod 600 "$out"
	ln -s "$out" "$SHMDIR/${n#/}" || fail "setup: ln -s"
	run chmod 666 "$n"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: chmod: $n: not a shared memory segment (not a regular file)"
	run chown nobody:nogroup "$n"
	expect_rc 1
	expect_err_is "shmtool: chown: $n: not a shared memory segment (not a regular file)"
	run chmod 666 "$p" "$n"
	expect_rc 1
	expect_eq "$(stat -c '%a %u:%g' -- "$out")" "600 0:0" "the outside file"
	expect_eq "$(seg_mode "$p")" 600 "the real segment beside it"
	[ -L "$SHMDIR/${n#/}" ] || fail "the symlink is gone"
	counted

	# a symlink to a real segment in the same directory: refused too
	rm -f -- "$SHMDIR/${n#/}"
	ln -s "${p#/}" "$SHMDIR/${n#/}" || fail "setup: ln -s"
	run chmod 644 "$n"
	expect_rc 1
	expect_eq "$(seg_mode "$p")" 600 "the segment a symlink points to"
}

t_fifo_refused() {
	local n
	n=$(new_posix) || exit 1
	mkfifo -m 600 "$SHMDIR/${n#/}" || fail "setup: mkfifo"
	run chmod 666 "$n"
	expect_rc 1
	expect_err_is "shmtool: chmod: $n: not a shared memory segment (not a regular file)"
	expect_eq "$(stat -c %a -- "$SHMDIR/${n#/}")" 600 "the FIFO's mode"
}

t_chown_kind() {
	local kind=$1 t
	t=$(mk_seg "$kind" 4K 600) || exit 1
	run chown nobody:nogroup "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_eq "$(owner_of "$t")" "65534:65534" "owner after chown nobody:nogroup"
	run chown 0 "$t"
	expect_rc 0
	expect_eq "$(owner_of "$t")" "0:65534" "owner after chown 0 (the group stays)"
	run chown :0 "$t"
	expect_rc 0
	expect_eq "$(owner_of "$t")" "0:0" "owner after chown :0"
	run chown 65534:65534 "$t"
	expect_rc 0
	expect_eq "$(owner_of "$t")" "65534:65534" "owner after chown 65534:65534"
	run chown root: "$t"
	expect_rc 0
	expect_eq "$(owner_of "$t")" "0:0" "owner after chown root: (its login group)"
	# the mode is not chown's business
	expect_eq "$(seg_mode "$t")" 600 "mode after chown"
	run_scan ls -n -r -o SEGMENT,OWNER,GROUP,UID,GID
	grep -qx -- "$t root root 0 0" "$OUT" || fail "ls shows $(grep -- "^$t " "$OUT")"
	counted
}

t_chown_verbose() {
	local s
	s=$(mk_sysv 4K) || exit 1
	run chown -v nobody:nogroup "$s"
	expect_rc 0
	expect_out "owner of $s: root:root -> nobody:nogroup"
}

t_chown_bad_owner() {
	local p s o
	p=$(mk_posix 4K 600) || exit 1
	s=$(mk_sysv 4K 600) || exit 1
	for o in no-such-user-xyzzy root:no-such-group-xyzzy :no-such-group-xyzzy \
		"" : a:b:c root:: 4294967295 :4294967295 -1; do
		run chown "$o" "$p" "$s"
		expect_usage_error chown
	done
	run chown no-such-user-xyzzy "$p"
	expect_err_is "shmtool: chown: unknown user 'no-such-user-xyzzy'"
	run chown
	expect_usage_error chown
	expect_err_is "shmtool: chown: missing OWNER"
	run chown nobody
	expect_err_is "shmtool: chown: missing TARGET"
	expect_eq "$(owner_of "$p") $(owner_of "$s")" "0:0 0:0" "owners after usage errors"
}

# As nobody, on root's segments: the kernel says no, nothing changes.
t_unprivileged_refused() {
	local kind=$1 t
	need_root_ns
	t=$(mk_seg "$kind" 4K 666) || exit 1
	as_nobody chmod 600 "$t"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: chmod: $t: Operation not permitted"
	as_nobody chown nobody "$t"
	expect_rc 1
	expect_err_is "shmtool: chown: $t: Operation not permitted"
	as_nobody chown :nogroup "$t"
	expect_rc 1
	expect_err_is "shmtool: chown: $t: Operation not permitted"
	expect_eq "$(seg_mode "$t")" 666 "mode"
	expect_eq "$(owner_of "$t")" "0:0" "owner"
}

# Its own segments need no privilege, even with no permission bit left
# (no read permission: the POSIX file is not opened for reading, the SysV
# segment is looked at with SHM_STAT_ANY).
t_unprivileged_own() {
	local p s
	need_root_ns
	p=$(new_posix) || exit 1
	as_nobody create "$p" 4K
	expect_rc 0
	as_nobody create --sysv 4K
	expect_rc 0
	s=$(cat "$OUT")
	as_nobody chmod 0 "$p" "$s"
	expect_rc 0
	expect_err_empty
	expect_eq "$(seg_mode "$p") $(seg_mode "$s")" "0 0" "modes after chmod 0"
	as_nobody chmod 640 "$p" "$s"
	expect_rc 0
	expect_err_empty
	expect_eq "$(seg_mode "$p") $(seg_mode "$s")" "640 640" "modes after chmod 640"
	# giving a POSIX file away takes privilege; the group, one of ours
	as_nobody chown root "$p"
	expect_rc 1
	expect_err_is "shmtool: chown: $p: Operation not permitted"
	expect_eq "$(owner_of "$p")" "65534:65534" "POSIX owner"
}

# Several TARGETs, one the kernel refuses: like chmod(1), the others are
# changed and the exit status is 1.
t_unprivileged_goes_on() {
	local mine root
	need_root_ns
	root=$(mk_posix 4K 644) || exit 1
	mine=$(new_posix) || exit 1
	as_nobody create "$mine" 4K
	expect_rc 0
	as_nobody chmod 640 "$root" "$mine"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: chmod: $root: Operation not permitted"
	expect_eq "$(seg_mode "$root") $(seg_mode "$mine")" "644 640" "modes"
}

# With a fixture /proc, nothing is changed through it: a SysV shmid of the
# kernel's table is not what the fixture names.
t_fixture_proc_refused() {
	local s p
	s=$(mk_sysv 4K 600) || exit 1
	p=$(mk_posix 4K 600) || exit 1
	mkdir -p "$E2E_TMP/proc/sysvipc"
	cp /proc/sysvipc/shm "$E2E_TMP/proc/sysvipc/shm"
	SHMTOOL_PROC_ROOT=$E2E_TMP/proc run chmod 640 "$s"
	expect_rc 1
	expect_err_is "shmtool: chmod: $s: SHMTOOL_PROC_ROOT is set (a test fixture): no System V segment is changed"
	SHMTOOL_PROC_ROOT=$E2E_TMP/proc run lock "$s"
	expect_rc 1
	SHMTOOL_PROC_ROOT=$E2E_TMP/proc run chmod 640 "$p"
	expect_rc 1
	expect_err_is "shmtool: chmod: $p: SHMTOOL_PROC_ROOT is set (a test fixture): a mode is changed through the kernel's /proc"
	expect_eq "$(seg_mode "$s") $(seg_mode "$p")" "600 600" "modes"
	expect_eq "$(sysv_perms "$s")" 600 "perms (not locked)"
	# chown of the POSIX file needs no /proc
	SHMTOOL_PROC_ROOT=$E2E_TMP/proc run chown nobody "$p"
	expect_rc 0
	expect_eq "$(owner_of "$p")" "65534:0" "owner"
}

t_help() {
	local c
	for c in chmod chown; do
		run "$c" --help
		expect_rc 0
		expect_err_empty
		grep -q "^Usage: shmtool $c " "$OUT" || fail "$c --help: no usage line"
		counted
		run "$c" --no-such-option
		expect_usage_error "$c"
	done
}

for k in posix sysv; do
	K=$([ $k = posix ] && echo POSIX || echo SysV)
	tcase "$K: chmod sets the mode the kernel shows" t_chmod_kind $k
	tcase "$K: chown by name, number, :GROUP and USER: as the kernel shows" t_chown_kind $k
	tcase "$K: as nobody on root's segment: refused, nothing changed" t_unprivileged_refused $k
done
tcase "SysV: chmod keeps the locked bit" t_chmod_sysv_keeps_locked
tcase "chmod -v: one line per change" t_chmod_verbose
tcase "chmod --posix NAME, before or after" t_chmod_posix_forms
tcase "chmod: a bad MODE or TARGET is exit 2, nothing changed" t_chmod_bad_mode
tcase "chmod: a missing TARGET changes none of the others" t_chmod_all_or_nothing
tcase "chmod, chown of a memfd: refused, nothing changed" t_chmod_memfd_refused
tcase "a symlink in the shm directory is not followed" t_symlink_not_followed
tcase "a FIFO in the shm directory: refused, no hang" t_fifo_refused
tcase "chown -v: one line per change" t_chown_verbose
tcase "chown: a bad or unknown OWNER is exit 2, nothing changed" t_chown_bad_owner
tcase "as nobody: its own segments, even of mode 0" t_unprivileged_own
tcase "as nobody: one TARGET refused, the rest changed, exit 1" t_unprivileged_goes_on
tcase "with a fixture /proc: SysV and POSIX modes refused, nothing changed" t_fixture_proc_refused
tcase "chmod, chown --help; unknown option" t_help
e2e_done
