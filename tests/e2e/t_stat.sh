#!/bin/bash
# SPDX-License-Identifier: MIT
# stat: text and typed JSON, every TARGET form, values checked against the
# kernel's own view.
. "$(dirname "$0")/lib.sh"

COLUMNS_ALL="segment kind id key name owner uid group gid cuid cgid perms size
rss swap nattch cpid lpid ctime atime dtime mtime status"
ISO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$'

# expect_time_is FIELD EPOCH: .segments[0].FIELD is ISO 8601 with an offset
# and names the instant EPOCH.
expect_time_is() {
	local v
	v=$(jq -r ".segments[0].$1" "$OUT")
	[[ $v =~ $ISO ]] || fail "$1 is '$v', not ISO 8601 with an offset"
	expect_eq "$(date -d "$v" +%s)" "$2" "$1 as seconds since the epoch"
}

t_text() {
	local t
	t=$(mk_seg "$1" 4K) || exit 1
	run_scan stat "$t"
	expect_rc 0
	expect_err_empty
	expect_out_nonempty
	local line
	while IFS= read -r line; do
		[[ $line =~ ^[A-Za-z][A-Za-z0-9\ /_()-]*:(\ .*)?$ ]] ||
			fail "not a 'Field: value' line: '$line'"
	done <"$OUT"
	grep -q 4096 "$OUT" || grep -q 4K "$OUT" || grep -q 4.0K "$OUT" ||
		fail "the size does not appear"
}

t_json_all_columns() {
	local t c
	t=$(mk_seg "$1" 4K) || exit 1
	run_scan stat -J "$t"
	expect_rc 0
	expect_err_empty
	expect_json
	expect_jq '.segments | type == "array" and length == 1'
	for c in $COLUMNS_ALL; do
		expect_jq ".segments[0] | has(\"$c\")"
	done
}

t_json_posix() {
	local t uid gid
	uid=$(id -u)
	gid=$(id -g)
	t=$(mk_posix 100 0640) || exit 1
	run_scan stat --json "$t"
	expect_rc 0
	expect_json
	expect_jq ".segments[0] | .segment == \"$t\" and .kind == \"posix\"
		and .size == 100 and .perms == \"rw-r-----\"
		and .uid == $uid and .gid == $gid
		and (.owner | type == \"string\") and (.group | type == \"string\")
		and (.status | type == \"string\" or type == \"null\")
		and .id == null and .key == null and .nattch == null
		and .cpid == null and .lpid == null"
	expect_time_is ctime "$(stat -c %Z "$SHMDIR/${t#/}")"
	expect_time_is mtime "$(stat -c %Y "$SHMDIR/${t#/}")"
}

t_json_sysv() {
	local id k uid gid
	uid=$(id -u)
	gid=$(id -g)
	k=$(new_key) || exit 1
	run create --sysv "$k" 1000 --mode 0604
	expect_rc 0
	id=$(cat "$OUT")
	run_scan stat -J "$id"
	expect_rc 0
	expect_json
	expect_jq ".segments[0] | .segment == \"$id\" and .kind == \"sysv\"
		and .id == $id and .key == \"$k\"
		and .size == 1000 and .perms == \"rw----r--\"
		and .uid == $uid and .gid == $gid and .cuid == $uid and .cgid == $gid
		and .nattch == 0
		and (.cpid | type == \"number\") and (.lpid | type == \"number\")
		and (.rss | type == \"number\") and (.swap | type == \"number\")
		and (.status | type == \"string\" or type == \"null\")
		and .mtime == null"
	expect_time_or_null atime "$(sysv_field "$id" 12)"
	expect_time_or_null dtime "$(sysv_field "$id" 13)"
	expect_eq "$(jq '.segments[0].cpid' "$OUT")" "$(sysv_field "$id" 5)" "cpid"
	expect_time_is ctime "$(sysv_field "$id" 14)"
}

t_json_private_key() {
	local id
	id=$(mk_sysv 4K) || exit 1
	run_scan stat -J "$id"
	expect_rc 0
	expect_jq '.segments[0].key == "0x00000000"'
}

# expect_time_or_null FIELD EPOCH: null when EPOCH is 0 (never), else the instant.
expect_time_or_null() {
	if [ "$2" = 0 ]; then
		expect_jq ".segments[0].$1 == null"
	else
		expect_time_is "$@"
	fi
}

# After an attach (shmtool write attaches), atime and dtime are set.
t_json_sysv_times() {
	local id
	id=$(mk_sysv 4K) || exit 1
	st write "$id" --data x </dev/null || fail "write failed"
	run_scan stat -J "$id"
	expect_rc 0
	expect_time_is atime "$(sysv_field "$id" 12)"
	expect_time_is dtime "$(sysv_field "$id" 13)"
}

# Every TARGET form names the same segment.
t_target_forms_sysv() {
	local k id dec form
	k=$(new_key) || exit 1
	id=$(hp sysv-create "$k" 512 0600) || fail "helper sysv-create failed"
	dec=$(sysv_field "$id" 1)
	for form in "$id" "id:$id" "$k" "key:$k" "key:$dec" "key:$((k))" "--sysv $id"; do
		# shellcheck disable=SC2086
		run_scan stat -J $form
		expect_rc 0
		expect_jq ".segments[0].id == $id"
	done
}

t_target_forms_posix() {
	local t
	t=$(mk_posix 512) || exit 1
	run_scan stat -J --posix "${t#/}"
	expect_rc 0
	expect_jq ".segments[0].segment == \"$t\""
	run_scan stat -J "${t#/}" --posix
	expect_rc 0
	expect_jq ".segments[0].segment == \"$t\""
}

t_dev_full() {
	local t
	t=$(mk_posix 512) || exit 1
	st stat -J "$t" </dev/null >/dev/full 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_rc 1
	expect_err_line '^shmtool: stat: '
}

for kind in posix sysv; do
	K=$([ "$kind" = posix ] && echo POSIX || echo SysV)
	tcase "$K: text is 'Field: value' lines with the size" t_text "$kind"
	tcase "$K: -J has one element with every column" t_json_all_columns "$kind"
done
tcase "POSIX: -J typed values match the file" t_json_posix
tcase "SysV: -J typed values match the kernel" t_json_sysv
tcase "SysV: IPC_PRIVATE key is \"0x00000000\"" t_json_private_key
tcase "SysV: atime/dtime set after an attach" t_json_sysv_times
tcase "SysV: shmid, id:, 0xKEY, key:hex/signed/unsigned, --sysv all work" t_target_forms_sysv
tcase "POSIX: --posix NAME before or after" t_target_forms_posix
tcase "stat > /dev/full: exit 1" t_dev_full
e2e_done
