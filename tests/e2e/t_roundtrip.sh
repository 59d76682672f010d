#!/bin/bash
# SPDX-License-Identifier: MIT
# The full life of a segment, both kinds: create, write, read, stat, rm, gone.
. "$(dirname "$0")/lib.sh"

t_roundtrip() {
	local kind=$1 t data
	data=$(new_tmp)
	gen_binary "$data" 3500
	pad "$data" 4096 "$E2E_TMP/want"

	if [ "$kind" = posix ]; then
		run create "$(new_posix)" 4K
	else
		run create --sysv 4K
	fi
	expect_rc 0
	t=$(cat "$OUT")
	[ -n "$t" ] || fail "create printed nothing"

	run_in "$data" write "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	seg_dump "$t" "$E2E_TMP/dump"
	counted
	cmp -s "$E2E_TMP/want" "$E2E_TMP/dump" ||
		fail "bytes in the segment (read by another program) differ"

	run read "$t"
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/want" "the data then zeros"
	run read "$t" --length 3500
	expect_rc 0
	expect_out_file "$data" "the data"
	expect_eq "$(st read "$t" </dev/null | sha256sum)" \
		"$(sha256sum <"$E2E_TMP/want")" "sha256 of read | sha256sum"

	run_scan stat -J "$t"
	expect_rc 0
	expect_err_empty
	expect_json
	expect_jq '.segments | length == 1'
	expect_jq ".segments[0] | .segment == \"$t\" and .kind == \"$kind\"
		and .size == 4096 and .perms == \"rw-------\""

	run rm "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	if [ "$kind" = posix ]; then
		expect_posix_absent "$t"
	else
		expect_sysv_absent "$t"
	fi
	run_scan stat "$t"
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: stat: '
	run read "$t"
	expect_rc 1
	expect_out_empty
}

# Many pipe-sized chunks: an odd size filled exactly from a pipe.
t_big_pipe_roundtrip() {
	local kind=$1 t data
	data=$(new_tmp)
	gen_binary "$data" 300007
	t=$(mk_seg "$kind" 300007) || exit 1
	run_piped "$data" write "$t"
	expect_rc 0
	expect_err_empty
	run read "$t"
	expect_rc 0
	expect_out_file "$data" "the data"
}

tcase "POSIX: create, write, read byte-exact, stat, rm, gone" t_roundtrip posix
tcase "SysV: create, write, read byte-exact, stat, rm, gone" t_roundtrip sysv
tcase "POSIX: 300007 bytes through a pipe and back" t_big_pipe_roundtrip posix
tcase "SysV: 300007 bytes through a pipe and back" t_big_pipe_roundtrip sysv
tcase "SysV through the mapping: create, write, read, stat, rm, gone" via_mapping t_roundtrip sysv
tcase "SysV through the mapping: 300007 bytes through a pipe and back" via_mapping t_big_pipe_roundtrip sysv
e2e_done
