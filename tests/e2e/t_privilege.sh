#!/bin/bash
# SPDX-License-Identifier: MIT
# Privilege (issue 6, item 6): as an unprivileged user (uid/gid 65534),
# every command on a segment it may not touch fails with one clear line and
# exit 1 and changes nothing; its own segments need no privilege at all.
# Only as root (to switch users) and in the private namespace (where the
# segments and processes are all ours).
. "$(dirname "$0")/lib.sh"

NOBODY=65534

# as_nobody ARGS...: shmtool as uid/gid 65534 with no groups; sets RC,
# $OUT, $ERR.
as_nobody() {
	e2e_exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		"$SHMTOOL" "$@" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
}

# The scan notes about root's processes it cannot inspect are expected.
drop_notes() {
	grep -Ev '^shmtool: [a-z]+: [0-9]+ process(es)? could not be inspected' \
		"$ERR" >"$ERR.kept"
	mv -f "$ERR.kept" "$ERR"
}

need_root_ns() {
	[ "$(id -u)" = 0 ] || skip "needs root to switch to an unprivileged user"
	isolated || skip "only in the private namespace"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups test -x "$SHMTOOL" \
		2>/dev/null || skip "uid $NOBODY cannot run $SHMTOOL"
}

# filled KIND MODE: a root-owned segment of known bytes with MODE.
filled() {
	local t
	t=$(mk_seg "$1" 4K "$2") || exit 1
	head -c 4096 /dev/urandom >"$E2E_TMP/base.$1"
	seg_fill "$t" "$E2E_TMP/base.$1"
	echo "$t"
}

# Permission denied (EACCES) or, for removal, Operation not permitted
# (EPERM: what unlink in a sticky directory and IPC_RMID return).
DENIED='(Permission denied|Operation not permitted)$'

t_denied() {
	local kind=$1 t
	need_root_ns
	t=$(filled "$kind" 600) || exit 1
	seg_remember "$t"
	snap_take

	as_nobody read "$t"
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: read: $t: Permission denied$"

	as_nobody read "$t" --hex
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: read: $t: Permission denied$"

	as_nobody write "$t" --data CHANGED
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: write: $t: Permission denied$"

	as_nobody write "$t" --offset 100 --data x
	expect_rc 1
	expect_err_line "^shmtool: write: $t: Permission denied$"

	as_nobody rm "$t"
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: rm: $t: $DENIED"

	as_nobody rm -v "$t" "$t"
	expect_rc 1
	expect_out_empty

	expect_seg_unchanged "$t"
	expect_snap_same
	expect_eq "$(seg_mode "$t")" 600 "mode"
}

# stat needs no access to the bytes: it may describe the segment.
t_stat_other() {
	local kind=$1 t
	need_root_ns
	t=$(filled "$kind" 600) || exit 1
	as_nobody stat -J "$t"
	drop_notes
	expect_rc 0
	expect_err_empty
	expect_jq ".segments[0].segment == \"$t\" and .segments[0].uid == 0 and .segments[0].perms == \"rw-------\" and .segments[0].size == 4096"
	as_nobody ls -J -o SEGMENT,OWNER,STATUS
	drop_notes
	expect_rc 0
	expect_err_empty
	expect_jq "[.segments[] | select(.segment == \"$t\")] | length == 1"
}

# Read permission only: read works, write is refused.
t_read_only() {
	local kind=$1 t
	need_root_ns
	t=$(filled "$kind" 644) || exit 1
	seg_remember "$t"
	as_nobody read "$t"
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base.$kind" "the bytes, read by uid $NOBODY"
	as_nobody write "$t" --data CHANGED
	expect_rc 1
	expect_err_line "^shmtool: write: $t: Permission denied$"
	as_nobody rm "$t"
	expect_rc 1
	expect_err_line "^shmtool: rm: $t: $DENIED"
	expect_seg_unchanged "$t"
}

# create --exist-ok on someone else's segment: nothing changes.
t_create_over_other() {
	local t k id
	need_root_ns
	t=$(filled posix 600) || exit 1
	seg_remember "$t"
	as_nobody create "$t" 4K
	expect_rc 1
	expect_err_line "^shmtool: create: "
	as_nobody create "$t" 8K --exist-ok
	expect_rc 1
	expect_seg_unchanged "$t"
	expect_eq "$(stat -c %u "$SHMDIR/${t#/}")" 0 "owner"
	k=$(new_key) || exit 1
	id=$(mk_sysv_key "$k" 4K) || exit 1
	as_nobody create --sysv "$k" 4K
	expect_rc 1
	expect_err_line "^shmtool: create: "
	as_nobody create --sysv "$k" 4K --exist-ok
	counted
	# Exists and big enough: fine to say so, but only as root's, unchanged.
	[ "$RC" = 0 ] || [ "$RC" = 1 ] || fail "create --exist-ok exited $RC"
	expect_eq "$(sysv_field "$id" 8)" 0 "owner uid"
	expect_eq "$(seg_mode "$id")" 600 "mode"
}

# rm --unused as nobody never removes root's unused segments.
t_rm_unused_other() {
	local t id
	need_root_ns
	t=$(filled posix 600) || exit 1
	id=$(filled sysv 600) || exit 1
	as_nobody rm --unused --dry-run
	drop_notes
	expect_rc 0
	counted
	! grep -qE "^($t|$id)	" "$OUT" || fail "offers root's segments: $(head -c 200 "$OUT")"
	as_nobody rm --unused --force
	expect_rc 0 1
	expect_posix_present "$t"
	expect_sysv_present "$id"
}

# Its own segments: create, write, read, stat, rm, no privilege needed.
t_own() {
	local kind=$1 t
	need_root_ns
	case $kind in
	posix) t=$(new_posix) || exit 1; as_nobody create "$t" 4K ;;
	sysv) as_nobody create --sysv 4K ;;
	esac
	expect_rc 0
	expect_err_empty
	[ "$kind" = sysv ] && t=$(cat "$OUT")
	case $kind in
	posix)
		expect_eq "$(stat -c %u:%g:%a "$SHMDIR/${t#/}")" "$NOBODY:$NOBODY:600" "owner and mode" ;;
	sysv)
		expect_sysv_present "$t"
		expect_eq "$(sysv_field "$t" 8):$(sysv_field "$t" 9):$(sysv_field "$t" 10)" \
			"$NOBODY:$NOBODY:$NOBODY" "uid, gid, cuid" ;;
	esac
	as_nobody write "$t" --data "nobody's"
	expect_rc 0
	expect_err_empty
	as_nobody read "$t" --string
	expect_rc 0
	expect_out "nobody's"
	as_nobody stat -J "$t"
	drop_notes
	expect_rc 0
	expect_jq ".segments[0].uid == $NOBODY and .segments[0].owner == \"nobody\""
	as_nobody rm "$t"
	expect_rc 0
	expect_err_empty
	case $kind in
	posix) expect_posix_absent "$t" ;;
	sysv) expect_sysv_absent "$t" ;;
	esac
}

# The binary asks for no privilege: no set-id bit, no file capabilities, and
# a process of it has none beyond the caller's.
t_no_privilege() {
	local caps
	counted
	[ ! -u "$SHMTOOL" ] && [ ! -g "$SHMTOOL" ] || fail "$SHMTOOL is set-id"
	if command -v getcap >/dev/null; then
		caps=$(getcap "$SHMTOOL" 2>/dev/null)
		expect_eq "$caps" "" "file capabilities"
	fi
	need_root_ns
	# Under no_new_privs (no set-id, no file capabilities can apply).
	e2e_exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		--no-new-privs "$SHMTOOL" ls -J </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	drop_notes
	expect_rc 0
	expect_json
}

for kind in posix sysv; do
	tcase "$kind 0600 root: read, write, rm by uid $NOBODY denied, unchanged" t_denied "$kind"
	tcase "$kind 0600 root: stat and ls by uid $NOBODY describe it" t_stat_other "$kind"
	tcase "$kind 0644 root: uid $NOBODY reads, cannot write or rm" t_read_only "$kind"
	tcase "$kind: uid $NOBODY creates, uses and removes its own" t_own "$kind"
done
tcase "create over root's segment by uid $NOBODY: refused, unchanged" t_create_over_other
tcase "rm --unused by uid $NOBODY leaves root's segments" t_rm_unused_other
tcase "no set-id bit, no capabilities, runs with no-new-privs" t_no_privilege
e2e_done
