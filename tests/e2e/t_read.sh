#!/bin/bash
# SPDX-License-Identifier: MIT
# read: raw bytes, ranges, --string, --hex, read-only access, stdout errors.
# The segments are filled without shmtool.
. "$(dirname "$0")/lib.sh"

# filled KIND SIZE [MODE]: a segment holding $E2E_TMP/base (SIZE known
# bytes), then given MODE.
filled() {
	local t
	t=$(mk_seg "$1" "$2") || exit 1
	gen_binary "$E2E_TMP/base" "$2"
	seg_fill "$t" "$E2E_TMP/base"
	[ -z "${3:-}" ] || seg_chmod "$t" "$3"
	echo "$t"
}

# filled_with KIND SIZE FILE: a segment holding FILE at offset 0.
filled_with() {
	local t
	t=$(mk_seg "$1" "$2") || exit 1
	seg_fill "$t" "$3"
	echo "$t"
}

# range FILE OFF LEN: LEN bytes of FILE from OFF.
range() { tail -c +$(($2 + 1)) "$1" | head -c "$3"; }

t_raw() {
	local t
	t=$(filled "$1" 5000) || exit 1
	run read "$t"
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base" "the segment's bytes"
}

t_range() {
	local t
	t=$(filled "$1" 5000) || exit 1
	range "$E2E_TMP/base" 100 1234 >"$E2E_TMP/want"
	run read "$t" --offset 100 --length 1234
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/want" "bytes 100..1333"
	run read "$t" --offset 100 -l 1234
	expect_rc 0
	expect_out_file "$E2E_TMP/want" "bytes 100..1333 (-l)"
}

t_offset_only() {
	local t
	t=$(filled "$1" 5000) || exit 1
	range "$E2E_TMP/base" 4000 1000 >"$E2E_TMP/want"
	run read "$t" --offset 4000
	expect_rc 0
	expect_out_file "$E2E_TMP/want" "bytes 4000 to the end"
}

t_length_only() {
	local t
	t=$(filled "$1" 5000) || exit 1
	head -c 1K "$E2E_TMP/base" >"$E2E_TMP/want"
	run read "$t" --length 1K
	expect_rc 0
	expect_out_file "$E2E_TMP/want" "the first 1024 bytes"
}

t_offset_at_end() {
	local t
	t=$(filled "$1" 5000) || exit 1
	run read "$t" --offset 5000
	expect_rc 0
	expect_out_empty
	expect_err_empty
	run read "$t" --offset 4999 --length 1
	expect_rc 0
	range "$E2E_TMP/base" 4999 1 >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the last byte"
}

t_string() {
	local t
	printf 'hello\0world\0' >"$E2E_TMP/in"
	t=$(filled_with "$1" 4096 "$E2E_TMP/in") || exit 1
	run read "$t" --string
	expect_rc 0
	expect_err_empty
	expect_out "hello"
	run read "$t" -s --offset 6
	expect_rc 0
	expect_out "world"
}

t_string_no_nul() {
	local t
	printf 'hello world' >"$E2E_TMP/in"
	t=$(filled_with "$1" 11 "$E2E_TMP/in") || exit 1
	run read "$t" --string
	expect_rc 0
	expect_out "hello world"
	run read "$t" --string --length 5
	expect_rc 0
	expect_out "hello"
}

t_string_empty() {
	local t
	t=$(mk_seg "$1" 64) || exit 1
	run read "$t" --string
	expect_rc 0
	expect_out ""
}

t_hex() {
	local t
	gen_binary "$E2E_TMP/in" 1000
	t=$(filled_with "$1" 4096 "$E2E_TMP/in") || exit 1
	pad "$E2E_TMP/in" 4096 "$E2E_TMP/want"
	hexdump -C "$E2E_TMP/want" >"$E2E_TMP/hex"
	grep -qx '\*' "$E2E_TMP/hex" || fail "setup: the dump has no '*' line"
	run read "$t" --hex
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/hex" "hexdump -C of the bytes"
}

t_hex_odd_size() {
	local t
	t=$(filled "$1" 100) || exit 1
	hexdump -C "$E2E_TMP/base" >"$E2E_TMP/hex"
	run read "$t" -x
	expect_rc 0
	expect_out_file "$E2E_TMP/hex" "hexdump -C of 100 bytes"
}

# Offsets in the dump are segment offsets (same as hexdump -s).
t_hex_range() {
	local t
	t=$(filled "$1" 1024) || exit 1
	hexdump -C -s 16 -n 48 "$E2E_TMP/base" >"$E2E_TMP/hex"
	run read "$t" --hex --offset 16 --length 48
	expect_rc 0
	expect_out_file "$E2E_TMP/hex" "hexdump -C -s 16 -n 48"
}

t_read_only_segment() {
	local t
	t=$(filled "$1" 4096 0400) || exit 1
	expect_eq "$(seg_mode "$t")" 400 "mode"
	run read "$t"
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base" "the bytes of a 0400 segment"
}

# As root: another user with read permission only can read.
t_read_only_other_user() {
	local t
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v setpriv >/dev/null || skip "no setpriv"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$SHMTOOL" \
		2>/dev/null || skip "uid 65534 cannot run $SHMTOOL"
	t=$(filled "$1" 4096 0444) || exit 1
	e2e_exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SHMTOOL" read "$t" </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base" "the bytes, read by uid 65534"
}

t_dev_full() {
	local t
	t=$(filled "$1" 4096) || exit 1
	st read "$t" </dev/null >/dev/full 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_rc 1
	expect_err_line '^shmtool: read: '
}

t_closed_pipe() {
	local t rc
	t=$(filled "$1" 1048576) || exit 1
	st read "$t" </dev/null 2>"$ERR" | head -c 1 >"$OUT"
	rc=${PIPESTATUS[0]}
	RC=$rc
	expect_rc 0 141
	expect_err_empty
	expect_eq "$(stat -c %s "$OUT")" 1 "bytes through head -c1"
}

t_closed_pipe_sigpipe_ignored() {
	local t
	t=$(filled "$1" 1048576) || exit 1
	(
		trap '' PIPE
		st read "$t" </dev/null 2>"$ERR" | head -c 1 >"$OUT"
		exit "${PIPESTATUS[0]}"
	)
	RC=$?
	expect_rc 0
	expect_err_empty
	expect_eq "$(stat -c %s "$OUT")" 1 "bytes through head -c1"
}

# Which way a SysV read goes.  As root, through the segment's own file:
# /proc/self/map_files of the attachment, then sendfile, so not a page of
# the segment is faulted into the tool.  With SHMTOOL_NO_MAP_FILES (what a
# caller without CAP_SYS_ADMIN gets, as uid 65534 shows), write(2)
# straight from the mapping.
t_sysv_read_path() {
	local how=$1 t log=$E2E_TMP/trace
	strace_ok || skip "strace is missing or cannot trace here"
	t=$(filled sysv 300000 0444) || exit 1
	case $how in
	mapping) export SHMTOOL_NO_MAP_FILES=1 ;&
	file) traced "$log" openat,sendfile,write "$SHMTOOL" read "$t" </dev/null ;;
	nobody)
		[ "$(id -u)" = 0 ] || skip "needs root"
		traced "$log" openat,sendfile,write setpriv --reuid=65534 \
			--regid=65534 --clear-groups "$SHMTOOL" read "$t" </dev/null ;;
	esac
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base" "the segment's bytes"
	counted
	case $how in
	file)
		grep -Eq '^openat\(.*"(/proc/)?self/map_files/[0-9a-f]+-[0-9a-f]+", O_RDONLY\|O_CLOEXEC\) = [0-9]+$' "$log" ||
			fail "did not open its file: $(grep map_files "$log" | head -c 300)"
		grep -q '^sendfile(1, ' "$log" || fail "no sendfile to stdout"
		! grep -q '^write(1, ' "$log" || fail "wrote to stdout from memory" ;;
	mapping | nobody)
		if [ "$how" = nobody ]; then
			grep -Eq '^openat\(.*"(/proc/)?self/map_files/.* = -1 EPERM' "$log" ||
				fail "map_files not refused: $(grep map_files "$log" | head -c 300)"
		else
			! grep -q map_files "$log" || fail "opened map_files anyway"
		fi
		grep -q '^write(1, ' "$log" || fail "no write from the mapping"
		! grep -q '^sendfile(' "$log" || fail "sendfile without the file" ;;
	esac
}

for variant in $TRANSFER_VARIANTS; do
	set_variant "$variant"
	tcase "$K: raw read is byte-exact" "${via[@]}" t_raw "$kind"
	tcase "$K: --offset with --length / -l" "${via[@]}" t_range "$kind"
	tcase "$K: --offset alone reads to the end" "${via[@]}" t_offset_only "$kind"
	tcase "$K: --length alone reads from 0 (1K suffix)" "${via[@]}" t_length_only "$kind"
	tcase "$K: --offset SIZE reads nothing; the last byte" "${via[@]}" t_offset_at_end "$kind"
	tcase "$K: --string stops at NUL, adds a newline; -s --offset" "${via[@]}" t_string "$kind"
	tcase "$K: --string without a NUL in range" "${via[@]}" t_string_no_nul "$kind"
	tcase "$K: --string of zeros is an empty line" "${via[@]}" t_string_empty "$kind"
	tcase "$K: --hex equals hexdump -C (with '*')" "${via[@]}" t_hex "$kind"
	tcase "$K: -x of 100 bytes equals hexdump -C" "${via[@]}" t_hex_odd_size "$kind"
	tcase "$K: --hex --offset 16 --length 48 equals hexdump -C -s 16 -n 48" "${via[@]}" t_hex_range "$kind"
	tcase "$K: a 0400 segment is readable" "${via[@]}" t_read_only_segment "$kind"
	tcase "$K: 0444 root segment readable by another user" "${via[@]}" t_read_only_other_user "$kind"
	tcase "$K: read > /dev/full: exit 1, one error line" "${via[@]}" t_dev_full "$kind"
	tcase "$K: read | head -c1 ends quietly" "${via[@]}" t_closed_pipe "$kind"
	tcase "$K: read | head -c1 with SIGPIPE ignored: exit 0, quiet" "${via[@]}" t_closed_pipe_sigpipe_ignored "$kind"
done
tcase "SysV as root: read through its own file (sendfile), not the mapping" t_sysv_read_path file
tcase "SysV with SHMTOOL_NO_MAP_FILES: read by write(2) from the mapping" t_sysv_read_path mapping
tcase "SysV by uid 65534: map_files refused, read from the mapping" t_sysv_read_path nobody
e2e_done
