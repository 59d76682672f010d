#!/bin/bash
# SPDX-License-Identifier: MIT
# ls: typed JSON, kind filters, column selection, raw output, what is not a
# segment.
. "$(dirname "$0")/lib.sh"

# two_segments: a 256-byte POSIX segment P and a 1000-byte SysV segment ID
# with key K.
two_segments() {
	P=$(mk_posix 256) || exit 1
	K=$(new_key) || exit 1
	ID=$(mk_sysv_key "$K" 1000 --mode 0640) || exit 1
}

ALLCOLS=SEGMENT,KIND,ID,KEY,NAME,OWNER,UID,GROUP,GID,CUID,CGID,PERMS,SIZE,RSS,SWAP,NATTCH,CPID,LPID,CTIME,ATIME,DTIME,MTIME,STATUS

# Default columns: valid JSON, sizes are numbers in bytes, keys are column names.
t_json_default() {
	two_segments
	run_scan ls -J
	expect_rc 0
	expect_err_empty
	expect_json
	expect_jq ".segments[] | select(.segment == \"$P\") | .size == 256"
	expect_jq ".segments[] | select(.segment == \"$ID\") | .size == 1000"
	# Every key is the lower-case name of a column --list-columns lists.
	st ls --list-columns </dev/null >"$E2E_TMP/cols" 2>/dev/null ||
		fail "ls --list-columns failed"
	local known
	known=$(tr 'A-Z' 'a-z' <"$E2E_TMP/cols" | cut -d' ' -f1 | jq -R . | jq -sc .)
	expect_jq "all(.segments[]; keys - $known == [])"
	expect_jq "all(.segments[]; keys | length > 2)"
}

t_json() {
	local uid
	uid=$(id -u)
	two_segments
	run_scan ls -J -o "$ALLCOLS"
	expect_rc 0
	expect_err_empty
	expect_json
	expect_jq '.segments | type == "array"'
	expect_jq "[.segments[] | select(.segment == \"$P\")] | length == 1"
	expect_jq ".segments[] | select(.segment == \"$P\") | .size == 256
		and .kind == \"posix\" and .perms == \"rw-------\" and .uid == $uid
		and .id == null and .key == null and .nattch == null"
	expect_jq "[.segments[] | select(.segment == \"$ID\")] | length == 1"
	expect_jq ".segments[] | select(.segment == \"$ID\") | .size == 1000
		and .kind == \"sysv\" and .id == $ID and .key == \"$K\"
		and .perms == \"rw-r-----\" and .uid == $uid and .cuid == $uid
		and .nattch == 0 and (.cpid | type == \"number\")"
}

# Numbers are numbers, strings are strings, in every element.
t_json_types() {
	two_segments
	run_scan ls -J -o "$ALLCOLS"
	expect_rc 0
	expect_jq '.segments | length >= 2'
	expect_jq 'all(.segments[];
		(.segment | type == "string") and (.kind | type == "string")
		and (.size | type == "number") and (.uid | type == "number")
		and (.gid | type == "number") and (.perms | type == "string")
		and ((.id, .nattch, .cpid, .lpid, .cuid, .cgid)
			| type == "number" or type == "null")
		and ((.key, .name, .owner, .group, .status)
			| type == "string" or type == "null"))'
	expect_jq 'all(.segments[] | select(.kind == "sysv");
		(.id | type == "number") and (.key | test("^0x[0-9a-f]{8}$")))'
}

t_kind_filter() {
	local kind=$1 other
	other=$([ "$kind" = posix ] && echo sysv || echo posix)
	two_segments
	run_scan ls "--$kind" -J
	expect_rc 0
	expect_json
	expect_jq "all(.segments[]; .kind == \"$kind\")"
	if [ "$kind" = posix ]; then
		expect_jq "any(.segments[]; .segment == \"$P\")"
		expect_jq "all(.segments[]; .segment != \"$ID\")"
	else
		expect_jq "any(.segments[]; .segment == \"$ID\")"
		expect_jq "all(.segments[]; .segment != \"$P\")"
	fi
}

t_output_columns_json() {
	two_segments
	run_scan ls -J -o SEGMENT,SIZE
	expect_rc 0
	expect_jq 'all(.segments[]; keys == ["segment", "size"])'
	expect_jq ".segments[] | select(.segment == \"$P\") | .size == 256"
}

t_raw_noheadings() {
	two_segments
	run_scan ls -o SEGMENT,SIZE -n -r -b
	expect_rc 0
	expect_err_empty
	counted
	grep -qx -- "$P 256" "$OUT" || fail "no line '$P 256' in: $(head -c 300 "$OUT" | tr '\n' '|')"
	counted
	grep -qx -- "$ID 1000" "$OUT" || fail "no line '$ID 1000' in: $(head -c 300 "$OUT" | tr '\n' '|')"
	counted
	! grep -q SEGMENT "$OUT" || fail "-n still prints the header"
	local line
	while IFS= read -r line; do
		[[ $line =~ ^[^\ ]+\ [0-9]+$ ]] || fail "not 'SEGMENT SIZE' in bytes: '$line'"
	done <"$OUT"
	if isolated; then
		printf '%s 256\n%s 1000\n' "$P" "$ID" | sort >"$E2E_TMP/want"
		sort "$OUT" >"$E2E_TMP/got"
		expect_eq "$(cat "$E2E_TMP/got")" "$(cat "$E2E_TMP/want")" "the whole list"
	fi
}

# -r alone (no -b) prints sizes in bytes, as the man page says; the table
# prints them human-readable (256 -> 256B, 1000 -> 1.0K: at most four
# characters).  Each of our rows exactly, both ways.
t_raw_human() {
	two_segments
	run_scan ls -o SEGMENT,SIZE -n -r
	expect_rc 0
	expect_err_empty
	counted
	grep -qx -- "$P 256" "$OUT" ||
		fail "-r: no line '$P 256' in: $(head -c 300 "$OUT" | tr '\n' '|')"
	counted
	grep -qx -- "$ID 1000" "$OUT" ||
		fail "-r: no line '$ID 1000' in: $(head -c 300 "$OUT" | tr '\n' '|')"
	if isolated; then
		printf '%s 256\n%s 1000\n' "$P" "$ID" | sort >"$E2E_TMP/want"
		sort "$OUT" >"$E2E_TMP/got"
		expect_eq "$(cat "$E2E_TMP/got")" "$(cat "$E2E_TMP/want")" "-r: the whole list"
	fi
	run_scan ls -o SEGMENT,SIZE -n
	expect_rc 0
	expect_err_empty
	counted
	grep -qxE -- "$P +256B" "$OUT" ||
		fail "table: no line '$P 256B' in: $(head -c 300 "$OUT" | tr '\n' '|')"
	counted
	grep -qxE -- "$ID +1\.0K" "$OUT" ||
		fail "table: no line '$ID 1.0K' in: $(head -c 300 "$OUT" | tr '\n' '|')"
}

t_header() {
	two_segments
	run_scan ls -o SEGMENT,KIND
	expect_rc 0
	expect_eq "$(head -n 1 "$OUT" | tr -s ' ' | sed 's/ $//')" "SEGMENT KIND" "header"
	counted
	grep -q -- "^$P  *posix *\$" "$OUT" || fail "no '$P posix' row"
	counted
	grep -q -- "^$ID  *sysv *\$" "$OUT" || fail "no '$ID sysv' row"
}

t_plain() {
	two_segments
	run_scan ls
	expect_rc 0
	expect_err_empty
	counted
	grep -qF -- "$P" "$OUT" || fail "$P not listed"
}

t_list_columns() {
	local c
	run_scan ls --list-columns
	expect_rc 0
	expect_err_empty
	for c in SEGMENT KIND ID KEY NAME OWNER UID GROUP GID CUID CGID PERMS SIZE \
		RSS SWAP NATTCH CPID LPID CTIME ATIME DTIME MTIME STATUS; do
		counted
		grep -qw -- "$c" "$OUT" || fail "--list-columns lacks $c"
	done
}

t_dev_full() {
	two_segments
	st ls </dev/null >/dev/full 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_rc 1
	expect_err_line '^shmtool: ls: '
}

# sem.* files and non-regular files in the shm directory are not segments.
t_not_segments() {
	local sem dir p
	p=$(mk_posix 64) || exit 1
	sem=sem.$(new_posix | cut -c2-)
	reg_posix "$sem"
	dir=$(new_posix | cut -c2-)
	printf 'x' >"$SHMDIR/$sem" || fail "setup: cannot create $SHMDIR/$sem"
	mkdir "$SHMDIR/$dir" || fail "setup: cannot mkdir $SHMDIR/$dir"
	run_scan ls -J
	expect_rc 0
	expect_json
	expect_jq "any(.segments[]; .segment == \"$p\")"
	expect_jq "all(.segments[]; .segment != \"/$sem\" and .segment != \"/$dir\")"
}

# Names are bytes: control characters and invalid UTF-8 cannot break the
# JSON or reach the terminal.
t_weird_name() {
	local n
	n=$(new_posix)$'-\e[31m-\n-\xff-\t'
	reg_posix "$n"
	printf 'x' >"$SHMDIR/${n#/}" || fail "setup: cannot create the file"
	run_scan ls -J
	expect_rc 0
	expect_json
	run_scan ls -r -o SEGMENT,SIZE -n
	expect_rc 0
	counted
	! LC_ALL=C grep -q $'[\e\xff]' "$OUT" || fail "raw ESC or 0xff byte in the output"
	counted
	grep -q -- "^$E2E_PREFIX\\|^/$E2E_PREFIX" "$OUT" || fail "the name is not listed"
	expect_eq "$(grep -c -- "$E2E_PREFIX" "$OUT")" 1 "lines naming the segment"
}

tcase "-J: valid JSON, sizes in bytes, keys are column names" t_json_default
tcase "-J -o ALL: both segments with typed fields" t_json
tcase "-J -o ALL: every element has the right JSON types" t_json_types
tcase "--posix lists only POSIX segments" t_kind_filter posix
tcase "--sysv lists only SysV segments" t_kind_filter sysv
tcase "-J -o SEGMENT,SIZE: exactly those keys" t_output_columns_json
tcase "-o SEGMENT,SIZE -n -r -b: 'SEGMENT SIZE' lines, no header" t_raw_noheadings
tcase "-o SEGMENT,SIZE -n: -r sizes in bytes, the table human ones" t_raw_human
tcase "-o SEGMENT,KIND: header then rows" t_header
tcase "plain ls lists the segment" t_plain
tcase "--list-columns names every column" t_list_columns
tcase "ls > /dev/full: exit 1" t_dev_full
tcase "sem.* files and directories are not segments" t_not_segments
tcase "control characters and invalid UTF-8 in a name are escaped" t_weird_name
e2e_done
