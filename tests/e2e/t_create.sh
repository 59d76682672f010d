#!/bin/bash
# SPDX-License-Identifier: MIT
# create: printed TARGET, modes, exclusivity, --exist-ok, --from, --ftok.
. "$(dirname "$0")/lib.sh"

t_posix_prints_target() {
	local n
	n=$(new_posix)
	run create --posix "$n" 4K
	expect_rc 0
	expect_out "$n"
	expect_err_empty
	expect_posix_present "$n"
	expect_eq "$(seg_size "$n")" 4096 "file size"
}

t_posix_slash_implies_posix() {
	local n
	n=$(new_posix)
	run create "$n" 100
	expect_rc 0
	expect_out "$n"
	expect_eq "$(seg_size "$n")" 100 "file size"
}

t_posix_bare_name_with_posix() {
	local n
	n=$(new_posix)
	run create --posix "${n#/}" 1K
	expect_rc 0
	expect_out "$n"
	expect_eq "$(seg_size "$n")" 1024 "file size"
}

t_posix_new_is_zeroed() {
	local n
	n=$(mk_posix 8K) || exit 1
	head -c 8192 /dev/zero >"$E2E_TMP/zero"
	seg_dump "$n" "$E2E_TMP/d"
	counted
	cmp -s "$E2E_TMP/zero" "$E2E_TMP/d" || fail "a new segment is not all zeros"
}

t_posix_255_byte_name() {
	local n pad
	n=$(new_posix)
	pad=$(head -c $((256 - ${#n})) /dev/zero | tr '\0' a)
	n=$n$pad
	reg_posix "$n"
	expect_eq "${#n}" 256 "test name length with the slash"
	run create "$n" 64
	expect_rc 0
	expect_out "$n"
	expect_posix_present "$n"
}

# SIZE units: K M G … (any case) and KiB … are powers of 1024, KB MB … of
# 1000, B is bytes.
t_size_unit() {
	local kind=$1 size=$2 want=$3 t
	t=$(mk_seg "$kind" "$size") || exit 1
	expect_eq "$(seg_size "$t")" "$want" "size of $size"
}

t_sysv_private() {
	run create --sysv 4K
	expect_rc 0
	expect_err_empty
	[[ $(cat "$OUT") =~ ^[0-9]+$ ]] || fail "stdout is '$(head -c 100 "$OUT")', not a shmid"
	expect_out "$(cat "$E2E_TMP/created")"
	local id
	id=$(cat "$E2E_TMP/created")
	expect_eq "$(sysv_field "$id" 1)" 0 "key of an IPC_PRIVATE segment"
	expect_eq "$(seg_size "$id")" 4096 "size"
}

t_sysv_private_twice() {
	local a b
	a=$(mk_sysv 4K) || exit 1
	b=$(mk_sysv 4K) || exit 1
	counted
	[ "$a" != "$b" ] || fail "two IPC_PRIVATE creates gave the same shmid $a"
}

t_sysv_key() {
	local k id
	k=$(new_key) || exit 1
	run create --sysv "$k" 8K
	expect_rc 0
	expect_err_empty
	id=$(cat "$E2E_TMP/created")
	expect_out "$id"
	expect_eq "$(($(sysv_field "$id" 1) & 0xffffffff))" "$((k))" "key in $SYSVIPC"
	expect_eq "$(seg_size "$id")" 8192 "size"
}

# The printed TARGET is usable by the next command.
t_target_usable() {
	local kind=$1 t
	if [ "$kind" = posix ]; then
		t=$(st create "$(new_posix)" 4K) || fail "create failed"
	else
		t=$(st create --sysv 4K) || fail "create failed"
	fi
	st write "$t" --data "via printed target" </dev/null 2>"$ERR" ||
		fail "write \"$t\" failed: $(err1)"
	run read "$t" --string
	expect_rc 0
	expect_out "via printed target"
}

t_default_mode() {
	local kind=$1 t
	t=$( (umask 000 && mk_seg "$kind" 4K)) || exit 1
	expect_eq "$(seg_mode "$t")" 600 "mode with umask 000"
	t=$( (umask 077 && mk_seg "$kind" 4K)) || exit 1
	expect_eq "$(seg_mode "$t")" 600 "mode with umask 077"
}

t_mode_exact() {
	local kind=$1 mode=$2 want=$3 t
	t=$( (umask 077 && mk_seg "$kind" 4K "$mode")) || exit 1
	expect_eq "$(seg_mode "$t")" "$want" "mode with --mode $mode and umask 077"
}

t_mode_short_option() {
	local t
	t=$(new_posix)
	run create "$t" 4K -m 640
	expect_rc 0
	expect_eq "$(seg_mode "$t")" 640 "mode with -m 640"
}

# existing KIND: a 4K segment of KIND holding known bytes, remembered.
# Sets T, the target, and NAME, how create names it (the POSIX name, or
# --sysv and the key).
existing() {
	local data k
	data=$(new_tmp)
	gen_binary "$data" 1000
	if [ "$1" = posix ]; then
		T=$(mk_posix 4K) || exit 1
		NAME=("$T")
	else
		k=$(new_key) || exit 1
		T=$(mk_sysv_key "$k" 4K) || exit 1
		NAME=(--sysv "$k")
	fi
	seg_fill "$T" "$data"
	seg_remember "$T"
}

# An existing segment makes create fail and stay as it is.
t_exists_fails() {
	local size
	existing "$1"
	for size in 8K 2K 4K; do
		run create "${NAME[@]}" "$size"
		expect_rc 1
		expect_out_empty
		expect_err_line '^shmtool: create: .*File exists'
		expect_none_created
		expect_eq "$(seg_size "$T")" 4096 "size after create $size"
		expect_seg_unchanged "$T"
	done
}

t_exist_ok() {
	local size
	existing "$1"
	for size in 4K 1K; do
		run create "${NAME[@]}" "$size" --exist-ok --mode 0644
		expect_rc 0
		expect_out "$T"
		expect_err_empty
		expect_none_created
		expect_eq "$(seg_size "$T")" 4096 "size after --exist-ok $size"
		expect_eq "$(seg_mode "$T")" 600 "mode after --exist-ok --mode 0644"
		expect_seg_unchanged "$T"
	done
}

t_exist_ok_smaller() {
	existing "$1"
	run create "${NAME[@]}" 8K --exist-ok
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: create: '
	expect_eq "$(seg_size "$T")" 4096 "size"
	expect_seg_unchanged "$T"
}

t_exist_ok_new() {
	local n
	n=$(new_posix)
	run create "$n" 4K --exist-ok
	expect_rc 0
	expect_out "$n"
	expect_posix_present "$n"
}

# Another create of the same name, stopped before it sized the segment
# (strace holds its ftruncate): the name is not there yet -- a segment is
# named only once whole -- and a concurrent --exist-ok creates it; the
# stopped one then finds it and accepts it.  Both exit 0, one segment.
t_exist_ok_concurrent() {
	local n a
	strace_ok || skip "strace is missing or cannot trace here"
	n=$(new_posix)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -qq -f -o /dev/null -e inject=ftruncate:delay_enter=1000000 \
		"$SHMTOOL" create "$n" 4K --exist-ok </dev/null \
		>"$E2E_TMP/a.out" 2>"$E2E_TMP/a.err" &
	a=$!
	reg_pid "$a"
	sleep 0.3	# well inside its one-second ftruncate
	counted
	[ ! -e "$SHMDIR/${n#/}" ] || [ -s "$SHMDIR/${n#/}" ] ||
		fail "an empty segment is visible before it is sized"
	run create "$n" 4K --exist-ok
	expect_rc 0
	expect_out "$n"
	wait "$a"
	expect_eq "$?" 0 "exit status of the stopped create ($(head -c 200 "$E2E_TMP/a.err"))"
	expect_eq "$(cat "$E2E_TMP/a.out")" "$n" "what the stopped create printed"
	expect_eq "$(seg_size "$n")" 4096 "size"
}

# Another program's shm_open(O_CREAT) then ftruncate, caught in between
# (size 0): --exist-ok waits a moment for the size instead of failing.
t_exist_ok_foreign_midcreate() {
	local n h i
	strace_ok || skip "strace is missing or cannot trace here"
	n=$(new_posix)
	reg_undo rm -f "$SHMDIR/${n#/}"
	strace -qq -o /dev/null -e inject=ftruncate:delay_enter=150000 \
		"$SHMHELPER" posix-write "$n" hello </dev/null >/dev/null 2>&1 &
	h=$!
	reg_pid "$h"
	for i in $(seq 1 200); do
		[ -e "$SHMDIR/${n#/}" ] && break
		sleep 0.005
	done
	counted
	[ -e "$SHMDIR/${n#/}" ] && [ ! -s "$SHMDIR/${n#/}" ] ||
		skip "could not catch the other program between shm_open and ftruncate"
	run create "$n" 4K --exist-ok
	expect_rc 0
	expect_out "$n"
	wait "$h" || fail "the other program failed"
	run read --string "$n"
	expect_out hello
}

# Bounded stress: pairs of concurrent --exist-ok creates of one new name.
t_exist_ok_stress() {
	local i n bad=0 rounds=100
	for i in $(seq 1 $rounds); do
		n=$(new_posix)
		"$SHMTOOL" create "$n" 4K --exist-ok </dev/null >/dev/null 2>>"$E2E_TMP/s.err" &
		"$SHMTOOL" create "$n" 4K --exist-ok </dev/null >/dev/null 2>>"$E2E_TMP/s.err" || bad=$((bad + 1))
		wait $! || bad=$((bad + 1))
		[ "$(seg_size "$n")" = 4096 ] || bad=$((bad + 1))
	done
	expect_eq "$bad" 0 "failed creates in $rounds rounds ($(head -c 200 "$E2E_TMP/s.err"))"
}

# The printed name is escaped as ls and every message show it.
t_printed_name_escaped() {
	local n
	n=$(new_posix)-$'\e[31m\n'
	reg_undo rm -f "$SHMDIR/${n#/}"
	run create "$n" 4K
	expect_rc 0
	expect_out "${n%-*}-\\x1b[31m\\x0a"
	counted
	[ "$(wc -l <"$OUT")" = 1 ] || fail "more than one line printed"
}

t_from_file() {
	local n data
	n=$(new_posix)
	data=$(new_tmp)
	gen_binary "$data" 3001
	run create "$n" --from "$data"
	expect_rc 0
	expect_out "$n"
	expect_err_empty
	expect_eq "$(seg_size "$n")" 3001 "size"
	seg_dump "$n" "$E2E_TMP/d"
	counted
	cmp -s "$data" "$E2E_TMP/d" || fail "content differs from --from file"
}

t_from_file_larger_size() {
	local n data
	n=$(new_posix)
	data=$(new_tmp)
	gen_binary "$data" 700
	run create --posix "$n" 2K --from "$data"
	expect_rc 0
	expect_out "$n"
	expect_eq "$(seg_size "$n")" 2048 "size"
	pad "$data" 2048 "$E2E_TMP/want"
	seg_dump "$n" "$E2E_TMP/d"
	counted
	cmp -s "$E2E_TMP/want" "$E2E_TMP/d" || fail "content is not the file then zeros"
}

t_from_missing_file() {
	local n
	n=$(new_posix)
	snap_take
	run create "$n" --from "$E2E_TMP/no-such-file"
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: create: '
	expect_posix_absent "$n"
	expect_snap_same
}

t_ftok() {
	local f proj key id
	f=$(new_tmp)
	: >"$f"
	for proj in 7 8 9 10 11 12; do
		key=$("$SHMHELPER" ftok "$f" "$proj") || fail "helper ftok failed"
		sysv_key_exists "$key" || break
	done
	run create --sysv --ftok "$f:$proj" 4K
	expect_rc 0
	expect_err_empty
	id=$(cat "$E2E_TMP/created")
	expect_out "$id"
	expect_eq "$(printf '0x%08x' $(($(sysv_field "$id" 1) & 0xffffffff)))" "$key" \
		"key of --ftok $f:$proj"
	run_scan stat -J "$id"
	expect_rc 0
	expect_jq ".segments[0].key == \"$key\""
	# The same spec again names the same key: it exists.
	run create --sysv --ftok "$f:$proj" 4K
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: create: .*File exists'
	expect_none_created
}

t_ftok_default_proj() {
	local f key id
	f=$(new_tmp)
	: >"$f"
	key=$("$SHMHELPER" ftok "$f" 1) || fail "helper ftok failed"
	sysv_key_exists "$key" && skip "key $key of $f is in use"
	run create --sysv --ftok "$f" 4K
	expect_rc 0
	id=$(cat "$E2E_TMP/created")
	expect_out "$id"
	expect_eq "$(printf '0x%08x' $(($(sysv_field "$id" 1) & 0xffffffff)))" "$key" \
		"key of --ftok $f"
}

t_ftok_missing_path() {
	snap_take
	run create --sysv --ftok "$E2E_TMP/no-such-file:3" 4K
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: create: '
	expect_none_created
	expect_snap_same
}

t_high_bit_key() {
	local id
	sysv_key_exists 0x80000001 && skip "key 0x80000001 is in use"
	run create --sysv 0x80000001 4K
	expect_rc 0
	id=$(cat "$E2E_TMP/created")
	expect_out "$id"
	expect_eq "$(sysv_field "$id" 1)" -2147483647 "signed key in $SYSVIPC"
	run_scan stat -J key:-2147483647
	expect_rc 0
	expect_jq ".segments[0].key == \"0x80000001\" and .segments[0].id == $id"
	run_scan stat -J key:2147483649
	expect_rc 0
	expect_jq ".segments[0].id == $id"
}

# --from a file without end: never more than SIZE is read (it used to read
# /dev/zero until the machine ran out of memory).
t_from_endless() {
	local t
	t=$(new_posix)
	run create "$t" 4K --from /dev/zero
	expect_usage_error create
	expect_err_line "^shmtool: create: /dev/zero does not fit in SIZE 4096$"
	expect_posix_absent "$t"
	run create "$t" --from /dev/zero
	expect_usage_error create
	expect_err_line "^shmtool: create: /dev/zero has more than 256M and no end in sight: give a SIZE$"
	expect_posix_absent "$t"
	run create --sysv 4K --from /dev/zero
	expect_usage_error create
	expect_none_created
}

# --from - (standard input): SIZE from the argument, the input read whole
# before anything is made; short input is zero-filled, as --from FILE.
# from_stdin_kind KIND N SIZE: create KIND with N bytes piped in; sets T.
from_stdin_kind() {
	local data
	data=$(new_tmp)
	gen_binary "$data" "$2"
	if [ "$1" = posix ]; then
		T=$(new_posix)
		run_piped "$data" create "$T" "$3" --from -
	else
		run_piped "$data" create --sysv "$3" --from -
		T=$(cat "$OUT")
	fi
	FROM_DATA=$data
}

t_from_stdin() {
	local kind=$1
	# exactly SIZE
	from_stdin_kind "$kind" 3000 3000
	expect_rc 0
	expect_err_empty
	[ "$kind" = posix ] && expect_out "$T"
	expect_eq "$(seg_size "$T")" 3000 "size"
	seg_dump "$T" "$E2E_TMP/d"
	cmp -s "$FROM_DATA" "$E2E_TMP/d" || fail "content differs from the input"
	counted
	# short: the input, then zeros
	from_stdin_kind "$kind" 700 4K
	expect_rc 0
	expect_eq "$(seg_size "$T")" 4096 "size"
	pad "$FROM_DATA" 4096 "$E2E_TMP/want"
	seg_dump "$T" "$E2E_TMP/d"
	cmp -s "$E2E_TMP/want" "$E2E_TMP/d" || fail "content is not the input then zeros"
	counted
	# none at all: all zeros
	from_stdin_kind "$kind" 0 1K
	expect_rc 0
	head -c 1024 /dev/zero >"$E2E_TMP/want"
	seg_dump "$T" "$E2E_TMP/d"
	cmp -s "$E2E_TMP/want" "$E2E_TMP/d" || fail "an empty input is not all zeros"
	counted
}

# One byte more than SIZE: exit 1, and no segment exists afterwards.
t_from_stdin_too_much() {
	local kind=$1 data n
	data=$(new_tmp)
	gen_binary "$data" 4097
	snap_take
	if [ "$kind" = posix ]; then
		n=$(new_posix)
		run_piped "$data" create "$n" 4K --from -
		expect_posix_absent "$n"
	else
		run_piped "$data" create --sysv 4K --from -
		expect_none_created
	fi
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: create: standard input has more than SIZE 4096 bytes; nothing was created"
	expect_snap_same
	# an endless input: the same, at once
	if [ "$kind" = posix ]; then
		run_in /dev/zero create "$n" 64K --from -
		expect_posix_absent "$n"
	else
		run_in /dev/zero create --sysv 64K --from -
		expect_none_created
	fi
	expect_rc 1
	expect_err_is "shmtool: create: standard input has more than SIZE 65536 bytes; nothing was created"
	expect_snap_same
}

# A pipe that delivers in pieces (short reads), and stdin a regular file.
t_from_stdin_pieces() {
	local n data
	n=$(new_posix)
	{ printf 'ab'; sleep 0.2; printf 'cd'; sleep 0.2; printf 'e'; } |
		st create "$n" 8 --from - >"$OUT" 2>"$ERR"
	RC=${PIPESTATUS[1]}
	expect_rc 0
	expect_out "$n"
	printf 'abcde\0\0\0' >"$E2E_TMP/want"
	seg_dump "$n" "$E2E_TMP/d"
	cmp -s "$E2E_TMP/want" "$E2E_TMP/d" || fail "content is not 'abcde' and zeros"
	counted
	n=$(new_posix)
	data=$(new_tmp)
	gen_binary "$data" 5000
	run_in "$data" create "$n" 5000 --from -
	expect_rc 0
	seg_dump "$n" "$E2E_TMP/d"
	cmp -s "$data" "$E2E_TMP/d" || fail "content differs from the redirected file"
	counted
}

t_from_stdin_needs_size() {
	local n
	n=$(new_posix)
	snap_take
	run create "$n" --from -
	expect_usage_error create
	expect_err_is "shmtool: create: --from - needs a SIZE (standard input has none to take)"
	expect_posix_absent "$n"
	run create --sysv --from -
	expect_usage_error create
	expect_none_created
	expect_snap_same
}

tcase "POSIX: prints /NAME, file of SIZE in /dev/shm" t_posix_prints_target
tcase "POSIX: a leading slash implies --posix" t_posix_slash_implies_posix
tcase "POSIX: --posix NAME means /NAME" t_posix_bare_name_with_posix
tcase "POSIX: a new segment is all zeros" t_posix_new_is_zeroed
tcase "POSIX: a 255-byte name works" t_posix_255_byte_name
for spec in 1:1 100B:100 1k:1024 3K:3072 1KiB:1024 1KB:1000 2MB:2000000 \
	1M:1048576 1m:1048576 2MiB:2097152; do
	tcase "POSIX: SIZE ${spec%%:*} is ${spec#*:} bytes" t_size_unit posix "${spec%%:*}" "${spec#*:}"
done
for spec in 5:5 1KB:1000 1k:1024 1MiB:1048576; do
	tcase "SysV: SIZE ${spec%%:*} is ${spec#*:} bytes" t_size_unit sysv "${spec%%:*}" "${spec#*:}"
done
tcase "SysV: no KEY is IPC_PRIVATE, prints the shmid it created" t_sysv_private
tcase "SysV: IPC_PRIVATE makes a new segment every time" t_sysv_private_twice
tcase "SysV: KEY is used as given" t_sysv_key
tcase "POSIX: printed TARGET works for write and read" t_target_usable posix
tcase "SysV: printed TARGET works for write and read" t_target_usable sysv
tcase "POSIX: default mode 0600 whatever the umask" t_default_mode posix
tcase "SysV: default mode 0600 whatever the umask" t_default_mode sysv
tcase "POSIX: --mode 0644 exact under umask 077" t_mode_exact posix 0644 644
tcase "SysV: --mode 0644 exact under umask 077" t_mode_exact sysv 0644 644
tcase "POSIX: --mode 0777 exact under umask 077" t_mode_exact posix 0777 777
tcase "SysV: --mode 0 exact" t_mode_exact sysv 0 0
tcase "POSIX: -m 640" t_mode_short_option
tcase "POSIX: existing segment: exit 1, size and bytes unchanged" t_exists_fails posix
tcase "SysV: existing key: exit 1, size and bytes unchanged" t_exists_fails sysv
tcase "POSIX: --exist-ok on an existing segment: exit 0, untouched" t_exist_ok posix
tcase "SysV: --exist-ok on an existing key: exit 0, untouched" t_exist_ok sysv
tcase "POSIX: --exist-ok with a larger SIZE: exit 1, untouched" t_exist_ok_smaller posix
tcase "SysV: --exist-ok with a larger SIZE: exit 1, untouched" t_exist_ok_smaller sysv
tcase "POSIX: --exist-ok on a new name creates it" t_exist_ok_new
tcase "POSIX: --exist-ok beside a create stopped before ftruncate: both exit 0" t_exist_ok_concurrent
tcase "POSIX: --exist-ok on another program's segment not yet sized: waits" t_exist_ok_foreign_midcreate
tcase "POSIX: 100 pairs of concurrent --exist-ok creates: none fails" t_exist_ok_stress
tcase "POSIX: the printed name is escaped (ESC, newline)" t_printed_name_escaped
tcase "--from FILE: size is the file size, bytes copied" t_from_file
tcase "--from FILE with a larger SIZE: file then zeros" t_from_file_larger_size
tcase "--from a missing file: exit 1, nothing created" t_from_missing_file
tcase "--ftok PATH:PROJ: the key ftok(3) gives; again: exit 1" t_ftok
tcase "--ftok PATH: PROJ defaults to 1" t_ftok_default_proj
tcase "--ftok with a missing PATH: exit 1, nothing created" t_ftok_missing_path
tcase "SysV key with the high bit: signed in the table, all key forms" t_high_bit_key
tcase "--from /dev/zero: refused at once, nothing created" t_from_endless
tcase "POSIX: --from -: exact, short and empty input" t_from_stdin posix
tcase "SysV: --from -: exact, short and empty input" t_from_stdin sysv
tcase "POSIX: --from -: too much input: exit 1, nothing created" t_from_stdin_too_much posix
tcase "SysV: --from -: too much input: exit 1, nothing created" t_from_stdin_too_much sysv
tcase "--from -: a pipe in pieces, a redirected file" t_from_stdin_pieces
tcase "--from - without SIZE: exit 2, nothing created" t_from_stdin_needs_size
e2e_done
