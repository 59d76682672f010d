#!/bin/bash
# SPDX-License-Identifier: MIT
# stat: text and typed JSON, every TARGET form, values checked against the
# kernel's own view.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

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

# iso EPOCH: as stat prints times (local time, ISO 8601 with an offset).
iso() { date -d "@$1" +%Y-%m-%dT%H:%M:%S%:z; }

# The whole text, line by line, from the kernel's and the file's own
# values: the fields a kind has, in column order, nothing else.  Nobody
# holds the segment.  SysV: "unused,orphan" (the kernel's nattch is 0,
# its creator shmtool is gone).  POSIX: "unused" only if the scan saw
# every process, which only the initial PID namespace does (run.sh's
# private one does not): there it is "unverified".  On a shared machine
# (names mode) hidepid may hide processes: "unverified" is accepted there.
t_text() {
	local t f uid gid user group status pstatus=unverified
	uid=$(id -u) gid=$(id -g) user=$(id -un) group=$(id -gn)
	# PROC_PID_INIT_INO: the initial PID namespace.
	[ "$(stat -L -c %i /proc/self/ns/pid)" = 4026531836 ] && pstatus=unused
	t=$(mk_seg "$1" 4K 0640) || exit 1
	run_scan stat "$t"
	expect_rc 0
	expect_err_empty
	status=$(sed -n 's/^Status: //p' "$OUT")
	case $1 in
	posix) f=$SHMDIR/${t#/}
		isolated || [ "$status" != unverified ] || status=$pstatus
		{
			echo "Segment: $t"
			echo "Kind: posix"
			echo "Name: ${t#/}"
			echo "Owner: $user"
			echo "UID: $uid"
			echo "Group: $group"
			echo "GID: $gid"
			echo "Perms: rw-r----- (0640)"
			echo "Size: 4096"
			echo "RSS: $(($(stat -c '%b * %B' "$f")))"
			echo "Processes: 0"
			echo "PIDs: -"
			echo "Commands: -"
			echo "Changed: $(iso "$(stat -c %Z "$f")")"
			echo "Accessed: $(iso "$(stat -c %X "$f")")"
			echo "Modified: $(iso "$(stat -c %Y "$f")")"
			echo "Status: $pstatus"
			echo "Holders: 0"
		} >"$E2E_TMP/want" ;;
	sysv)
		isolated || [ "$status" != unverified ] || status=unused,orphan
		{
			echo "Segment: $t"
			echo "Kind: sysv"
			echo "ID: $t"
			echo "Key: 0x00000000"
			echo "Owner: $user"
			echo "UID: $uid"
			echo "Group: $group"
			echo "GID: $gid"
			echo "Creator UID: $uid"
			echo "Creator user: $user"
			echo "Creator GID: $gid"
			echo "Creator group: $group"
			echo "Perms: rw-r----- (0640)"
			echo "Size: 4096"
			echo "RSS: $(sysv_field "$t" 15)"
			echo "Swap: $(sysv_field "$t" 16)"
			echo "Attached: 0"
			echo "Processes: 0"
			echo "PIDs: -"
			echo "Commands: -"
			echo "Creator PID: $(sysv_field "$t" 5)"
			echo "Last PID: $(sysv_field "$t" 6)"
			echo "Changed: $(iso "$(sysv_field "$t" 14)")"
			echo "Status: unused,orphan"
			echo "Holders: 0"
		} >"$E2E_TMP/want" ;;
	esac
	# The one value a shared machine may change, put back as expected.
	sed "s/^Status: .*/Status: $status/" "$OUT" >"$E2E_TMP/got"
	counted
	cmp -s "$E2E_TMP/want" "$E2E_TMP/got" ||
		fail "stat text differs: $(diff "$E2E_TMP/want" "$E2E_TMP/got" | grep '^[<>]' | head -n 4 | tr '\n' '|')"
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

# ---------------------------------------------------------------- holders
#
# stat -J's "holders" (cmd_stat.c's own JSON printer) against maps -J and
# the kernel.  Their keys are maps -J's keys for the same holding (what
# the holding's row has beyond the segment's own fields), so the case
# holds whatever the command key is called; their values are what
# /proc/PID/maps, /proc/PID/fd and /proc/PID/comm say.

# The key maps -J gives the command name (COMM today).
comm_key() {
	st maps --list-columns </dev/null |
		awk '$2 == "command" && $3 == "name" { print tolower($1) }'
}

# holders_vs_maps TARGET N: stat -J TARGET has N holders, and each is
# one row of maps -J (every column) --segment TARGET: the same keys,
# less at most segment/kind/user/mapsize, and the same value for each.
holders_vs_maps() {
	local cols
	cols=$(st maps --list-columns </dev/null | awk '{ print $1 }' | paste -sd, -)
	[ -n "$cols" ] || fail "maps --list-columns printed nothing"
	run_scan maps -J -o "$cols" --segment "$1"
	expect_rc 0
	expect_err_empty
	cp "$OUT" "$E2E_TMP/maps.json"
	expect_jq ".mappings | length == $2"
	run_scan stat -J "$1"
	expect_rc 0
	expect_err_empty
	expect_json
	cp "$OUT" "$E2E_TMP/stat.json"
	expect_jq ".segments[0].holders | type == \"array\" and length == $2"
	counted
	jq -e --slurpfile m "$E2E_TMP/maps.json" '
		.segments[0].holders | all(.[]; . as $h
		| [$m[0].mappings[] | select(.pid == $h.pid and .how == $h.how
			and .fd == $h.fd and .start == $h.start)] as $rows
		| ($rows | length) == 1 and ($rows[0] as $r
		| ($h | keys) - ($r | keys) == []
		and ($r | keys) - ($h | keys)
			- ["segment", "kind", "user", "mapsize"] == []
		and all($h | keys[]; $h[.] == $r[.])))' \
		"$E2E_TMP/stat.json" >/dev/null ||
		fail "stat -J holders are not maps -J's rows: $(jq -c '.segments[0].holders' "$E2E_TMP/stat.json" | head -c 400) vs $(jq -c .mappings "$E2E_TMP/maps.json" | head -c 400)"
}

# holder_is PID FILTER: stat -J's holders (in $E2E_TMP/stat.json) have
# exactly one element with .pid == PID, and FILTER on it is true.
holder_is() {
	counted
	jq -e "[.segments[0].holders[] | select(.pid == $1)]
		| length == 1 and (.[0] | $2)" "$E2E_TMP/stat.json" >/dev/null ||
		fail "holder $1: not ($2): $(jq -c "[.segments[0].holders[] | select(.pid == $1)]" "$E2E_TMP/stat.json" | head -c 300)"
}

# map_line PID MATCH: the one line of /proc/PID/maps for which the awk
# condition MATCH holds, as "START END PERMS OFFSET" in decimal (perms as
# they are).
map_line() {
	local a
	a=$(awk "$2 { print \$1, \$2, \$3 }" "/proc/$1/maps")
	[ -n "$a" ] && [ "$(printf '%s\n' "$a" | wc -l)" = 1 ] ||
		fail "/proc/$1/maps: not one line for $2: '$a'"
	local range perms off
	read -r range perms off <<<"$a"
	echo "$((16#${range%-*})) $((16#${range#*-})) $perms $((16#$off))"
}

# map_holder_is PID START END PERMS OFFSET: its mapping, as the kernel has it.
map_holder_is() {
	local ck
	ck=$(comm_key)
	[ -n "$ck" ] || fail "maps --list-columns names no command column"
	holder_is "$1" ".how == \"map\" and .start == $2 and .end == $3
		and .perms == \"$4\" and .offset == $5 and .fd == null
		and .deleted == false
		and .\"$ck\" == \"$(cat "/proc/$1/comm")\""
}

t_json_holders_posix() {
	local t p_map p_fd fd f got s e perms off
	t=$(mk_posix 8192) || exit 1
	hold posix-map "$t"
	p_map=$HOLD_PID
	hold posix-fd "$t"
	p_fd=$HOLD_PID
	holders_vs_maps "$t" 2
	read -r s e perms off <<<"$(map_line "$p_map" "\$6 == \"$SHMDIR$t\"")"
	expect_eq "$((e - s))" 8192 "the mapping's length in /proc/$p_map/maps"
	map_holder_is "$p_map" "$s" "$e" "$perms" "$off"
	# The descriptor that reaches the segment, in /proc/PID/fd.
	fd=
	for f in /proc/"$p_fd"/fd/*; do
		[ "$(readlink "$f")" = "$SHMDIR$t" ] && { fd=${f##*/}; break; }
	done
	[ -n "$fd" ] || fail "no fd of $p_fd reaches $SHMDIR$t"
	got=$(jq -c "[.segments[0].holders[] | select(.pid == $p_fd)][0]
		| [.how, .fd, .start, .end, .perms, .offset, .deleted]" \
		"$E2E_TMP/stat.json")
	expect_eq "$got" "[\"fd\",$fd,null,null,null,null,false]" "the fd holder"
	holder_is "$p_fd" ".\"$(comm_key)\" == \"$(cat "/proc/$p_fd/comm")\""
}

t_json_holders_sysv() {
	local id p s e perms off
	id=$(mk_sysv 12288) || exit 1
	hold sysv "$id"
	p=$HOLD_PID
	holders_vs_maps "$id" 1
	# A SysV mapping: /SYSV<key>, its inode the shmid.
	read -r s e perms off <<<"$(map_line "$p" "\$5 == $id && \$6 ~ /^\\/SYSV/")"
	map_holder_is "$p" "$s" "$e" "$perms" "$off"
	expect_eq "$(jq '.segments[0].nattch' "$E2E_TMP/stat.json")" 1 "nattch"
}

for kind in posix sysv; do
	K=$([ "$kind" = posix ] && echo POSIX || echo SysV)
	tcase "$K: text is exactly the kernel's fields, in order" t_text "$kind"
	tcase "$K: -J has one element with every column" t_json_all_columns "$kind"
done
tcase "POSIX: -J typed values match the file" t_json_posix
tcase "SysV: -J typed values match the kernel" t_json_sysv
tcase "SysV: IPC_PRIVATE key is \"0x00000000\"" t_json_private_key
tcase "SysV: atime/dtime set after an attach" t_json_sysv_times
tcase "SysV: shmid, id:, 0xKEY, key:hex/signed/unsigned, --sysv all work" t_target_forms_sysv
tcase "POSIX: --posix NAME before or after" t_target_forms_posix
tcase "POSIX: -J holders: a mapping and a descriptor, as maps -J and /proc say" t_json_holders_posix
tcase "SysV: -J holders: an attachment, as maps -J and /proc say" t_json_holders_sysv
tcase "stat > /dev/full: exit 1" t_dev_full
e2e_done
