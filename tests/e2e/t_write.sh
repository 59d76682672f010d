#!/bin/bash
# SPDX-License-Identifier: MIT
# write: every input, --offset, all-or-nothing for known sizes, streaming
# from pipes, never a size change.  Checked by reading the segment without
# shmtool.
. "$(dirname "$0")/lib.sh"

# prefilled KIND SIZE: a segment of SIZE full of known bytes (in $E2E_TMP/base).
prefilled() {
	local t
	t=$(mk_seg "$1" "$2") || exit 1
	gen_binary "$E2E_TMP/base" "$2"
	seg_fill "$t" "$E2E_TMP/base"
	echo "$t"
}

# expect_bytes TARGET FILE: the whole segment equals FILE.
expect_bytes() {
	counted
	seg_dump "$1" "$E2E_TMP/dump"
	cmp -s "$2" "$E2E_TMP/dump" ||
		fail "segment bytes differ from expected: $(cmp "$2" "$E2E_TMP/dump" 2>&1 | head -n 1)"
}

# splice BASE OFF FILE OUT: BASE with FILE's bytes written at OFF.
splice() {
	local len
	len=$(stat -c %s "$3")
	{
		head -c "$2" "$1"
		cat "$3"
		tail -c +$(($2 + len + 1)) "$1"
	} >"$4"
}

t_data() {
	local t
	t=$(prefilled "$1" 4096) || exit 1
	run write "$t" --data "hello, world"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	printf 'hello, world' >"$E2E_TMP/in"
	splice "$E2E_TMP/base" 0 "$E2E_TMP/in" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
	expect_eq "$(seg_size "$t")" 4096 "size"
}

t_data_short() {
	local t
	t=$(prefilled "$1" 4096) || exit 1
	run write "$t" -d "xyz" --offset 4093
	expect_rc 0
	printf 'xyz' >"$E2E_TMP/in"
	splice "$E2E_TMP/base" 4093 "$E2E_TMP/in" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_data_offset() {
	local t
	t=$(prefilled "$1" 4096) || exit 1
	run write "$t" --offset 1000 --data "in the middle"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	printf 'in the middle' >"$E2E_TMP/in"
	splice "$E2E_TMP/base" 1000 "$E2E_TMP/in" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_offset_suffix() {
	local t
	t=$(prefilled "$1" 8192) || exit 1
	run write "$t" --offset 4K --data "at 4096"
	expect_rc 0
	printf 'at 4096' >"$E2E_TMP/in"
	splice "$E2E_TMP/base" 4096 "$E2E_TMP/in" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_file() {
	local t data
	t=$(prefilled "$1" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 2000
	run write "$t" --file "$data"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	splice "$E2E_TMP/base" 0 "$data" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_file_short_offset() {
	local t data
	t=$(prefilled "$1" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 600
	run write "$t" -f "$data" --offset 3496
	expect_rc 0
	splice "$E2E_TMP/base" 3496 "$data" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_stdin_file() {
	local t data
	t=$(prefilled "$1" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 4096
	run_in "$data" write "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_bytes "$t" "$data"
}

t_stdin_pipe() {
	local t data
	t=$(prefilled "$1" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 1500
	run_piped "$data" write "$t" --offset 7
	expect_rc 0
	expect_out_empty
	expect_err_empty
	splice "$E2E_TMP/base" 7 "$data" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
}

t_stdin_pipe_exact_fit() {
	local t data
	t=$(prefilled "$1" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 4096
	run_piped "$data" write "$t"
	expect_rc 0
	expect_err_empty
	expect_bytes "$t" "$data"
}

# Known input size that does not fit: exit 1, no byte changes.
t_too_big() {
	local kind=$1 how=$2 t data
	t=$(prefilled "$kind" 16) || exit 1
	data=$(new_tmp)
	printf '0123456789abcdefg' >"$data"
	case $how in
	data) run write "$t" --data 0123456789abcdefg ;;
	data-offset) run write "$t" --offset 10 --data 1234567 ;;
	file) run write "$t" --file "$data" ;;
	stdin) run_in "$data" write "$t" ;;
	stdin-offset) run_in "$E2E_TMP/base" write "$t" --offset 1 ;;
	esac
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: write: '
	expect_bytes "$t" "$E2E_TMP/base"
	expect_eq "$(seg_size "$t")" 16 "size"
}

# Pipe that overflows: exit 1, "wrote N bytes", the first N bytes landed.
t_pipe_overflow() {
	local kind=$1 off=$2 t n
	t=$(prefilled "$kind" 16) || exit 1
	printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' >"$E2E_TMP/in"
	run_piped "$E2E_TMP/in" write "$t" --offset "$off"
	n=$((16 - off))
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: write: (.*[^0-9])?wrote $n bytes([^0-9]|$)"
	head -c "$n" "$E2E_TMP/in" >"$E2E_TMP/landed"
	splice "$E2E_TMP/base" "$off" "$E2E_TMP/landed" "$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
	expect_eq "$(seg_size "$t")" 16 "size"
}

t_pipe_overflow_big() {
	local kind=$1 t data
	t=$(prefilled "$kind" 4096) || exit 1
	data=$(new_tmp)
	gen_binary "$data" 1048576
	run_piped "$data" write "$t"
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: write: (.*[^0-9])?wrote 4096 bytes([^0-9]|$)'
	head -c 4096 "$data" >"$E2E_TMP/want"
	expect_bytes "$t" "$E2E_TMP/want"
	expect_eq "$(seg_size "$t")" 4096 "size"
}

t_empty_pipe() {
	local t
	t=$(prefilled "$1" 64) || exit 1
	: >"$E2E_TMP/empty"
	run_piped "$E2E_TMP/empty" write "$t"
	expect_rc 0
	expect_err_empty
	expect_bytes "$t" "$E2E_TMP/base"
}

# Which way a SysV write goes: as root through the segment's own file
# (pwrite of a buffer for a file, splice from a pipe); with
# SHMTOOL_NO_MAP_FILES, read(2) straight into the mapping.
t_sysv_write_path() {
	local how=$1 from=$2 t log=$E2E_TMP/trace infd
	strace_ok || skip "strace is missing or cannot trace here"
	t=$(prefilled sysv 300000) || exit 1
	gen_binary "$E2E_TMP/in" 200000
	splice "$E2E_TMP/base" 100 "$E2E_TMP/in" "$E2E_TMP/want"
	[ "$how" = mapping ] && export SHMTOOL_NO_MAP_FILES=1
	case $from in
	file) traced "$log" openat,read,pwrite64,splice "$SHMTOOL" write "$t" \
		--offset 100 --file "$E2E_TMP/in"
		infd=$(sed -n "s|^openat(AT_FDCWD, \"$E2E_TMP/in\", .*) = \([0-9]*\)\$|\1|p" "$log") ;;
	pipe) traced "$log" openat,read,pwrite64,splice "$SHMTOOL" write "$t" \
		--offset 100 < <(cat "$E2E_TMP/in")
		infd=0 ;;
	esac
	[ -n "$infd" ] || fail "setup: no open of the input in the trace"
	expect_rc 0
	expect_err_empty
	expect_bytes "$t" "$E2E_TMP/want"
	counted
	case $how:$from in
	file:*)
		grep -Eq '^openat\(.*"(/proc/)?self/map_files/[0-9a-f]+-[0-9a-f]+", O_RDWR\|O_CLOEXEC\) = [0-9]+$' "$log" ||
			fail "did not open its file: $(grep map_files "$log" | head -c 300)" ;;&
	file:file)
		grep -q '^pwrite64(' "$log" || fail "no pwrite to its file" ;;
	file:pipe)
		grep -q '^splice(0, NULL, ' "$log" || fail "no splice from the pipe"
		! grep -q '^pwrite64(' "$log" || fail "pwrite from a buffer" ;;
	mapping:*)
		! grep -q map_files "$log" || fail "opened map_files anyway"
		! grep -Eq '^(pwrite64|splice)\(' "$log" || fail "wrote through a file"
		grep -Eq "^read\\($infd, .* = [1-9]" "$log" ||
			fail "no read of the input (fd $infd) into the mapping" ;;
	esac
}

for variant in $TRANSFER_VARIANTS; do
	set_variant "$variant"
	# --file whose file shrinks during the copy: not a silent short write.
t_input_shrinks() {
	local t
	strace_ok || skip "strace cannot trace here"
	t=$(mk_posix 4M) || exit 1
	head -c 4194304 /dev/urandom >"$E2E_TMP/in4m"
	# Hold the second 1 MiB write back while the file shrinks to 1.5 MB:
	# 2 MiB were read by then, and written; the rest is missing.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -o /dev/null -e trace=pwrite64 \
		-e inject=pwrite64:delay_enter=1000000:when=2 \
		"$SHMTOOL" write "$t" --file "$E2E_TMP/in4m" </dev/null >"$OUT" 2>"$ERR" &
	local pid=$!
	reg_pid "$pid"
	sleep 0.5
	truncate -s 1500000 "$E2E_TMP/in4m"
	wait "$pid"
	RC=$?
	expect_rc 1
	expect_err_line "^shmtool: write: $t: $E2E_TMP/in4m shrank while being copied: wrote 2097152 of 4194304 bytes$"
	expect_eq "$(stat -c %s "$SHMDIR/${t#/}")" 4194304 "the segment's size"
}

# A sysfs or procfs file: its st_size (4096, 0) says nothing; it is read
# like a pipe, not refused as too big.
t_pseudo_file() {
	local t f
	t=$(mk_posix 256) || exit 1
	for f in /sys/kernel/mm/transparent_hugepage/enabled /proc/version; do
		[ -r "$f" ] || continue
		run write "$t" --file "$f"
		expect_rc 0
		expect_err_empty
		head -c "$(wc -c <"$f")" "$SHMDIR/${t#/}" | cmp -s - "$f" ||
			fail "$f was not copied"
		counted
	done
}

# The segment truncated by another process while a pipe feeds it: the
# write stops, never growing it back.
t_segment_truncated() {
	local t
	t=$(mk_posix 1M) || exit 1
	(printf HELLO; sleep 1; printf WORLD) | st write "$t" --offset 512K >"$OUT" 2>"$ERR" &
	local pid=$!
	sleep 0.5
	truncate -s 0 "$SHMDIR/${t#/}"
	wait "$pid"
	RC=$?
	expect_rc 1
	expect_err_line "^shmtool: write: $t: the segment shrank while being written \(another process truncated it\): wrote 5 bytes, and never past its new end$"
	expect_eq "$(stat -c %s "$SHMDIR/${t#/}")" 0 "the size the other process set"
}

tcase "$K: --data writes at offset 0, the rest unchanged" "${via[@]}" t_data "$kind"
	tcase "$K: -d at the last bytes" "${via[@]}" t_data_short "$kind"
	tcase "$K: --offset places the bytes" "${via[@]}" t_data_offset "$kind"
	tcase "$K: --offset takes a size suffix (4K)" "${via[@]}" t_offset_suffix "$kind"
	tcase "$K: --file, binary" "${via[@]}" t_file "$kind"
	tcase "$K: -f with --offset up to the end" "${via[@]}" t_file_short_offset "$kind"
	tcase "$K: stdin from a regular file, binary" "${via[@]}" t_stdin_file "$kind"
	tcase "$K: stdin from a pipe with --offset" "${via[@]}" t_stdin_pipe "$kind"
	tcase "$K: a pipe that fills the segment exactly: exit 0" "${via[@]}" t_stdin_pipe_exact_fit "$kind"
	tcase "$K: an empty pipe writes nothing, exit 0" "${via[@]}" t_empty_pipe "$kind"
	for how in data data-offset file stdin stdin-offset; do
		tcase "$K: too big ($how): exit 1, no byte changes" "${via[@]}" t_too_big "$kind" "$how"
	done
	tcase "$K: pipe overflow: exit 1, 'wrote 16 bytes', they landed" "${via[@]}" t_pipe_overflow "$kind" 0
	tcase "$K: pipe overflow at --offset 10: 'wrote 6 bytes'" "${via[@]}" t_pipe_overflow "$kind" 10
	tcase "$K: 1 MiB pipe into 4K: 'wrote 4096 bytes'" "${via[@]}" t_pipe_overflow_big "$kind"
done
for how in file mapping; do
	tcase "SysV write --file, $how path" t_sysv_write_path "$how" file
	tcase "SysV write from a pipe, $how path" t_sysv_write_path "$how" pipe
done
tcase "--file that shrinks during the copy: exit 1, says how much" t_input_shrinks
tcase "--file from sysfs and procfs: read whole, not refused by st_size" t_pseudo_file
tcase "the segment truncated meanwhile: the write stops, the size stays" t_segment_truncated
e2e_done
