#!/bin/bash
# SPDX-License-Identifier: MIT
# SHMTOOL_SHM_DIR: every POSIX operation uses that directory instead of /dev/shm.
. "$(dirname "$0")/lib.sh"

# A private shm directory holding one 3-byte "segment"; sets D and NAME.
fixture_dir() {
	D=$(mktemp -d "$E2E_TMP/shmdir.XXXXXX") || fail "setup: mktemp"
	NAME=$E2E_PREFIX-fixture
	printf 'abc' >"$D/$NAME"
	chmod 600 "$D/$NAME"
}

t_env_ls() {
	fixture_dir
	SHMTOOL_SHM_DIR=$D run_scan ls --posix -J -o SEGMENT,SIZE
	expect_rc 0
	expect_jq ".segments == [{\"segment\": \"/$NAME\", \"size\": 3}]"
}

t_env_stat() {
	fixture_dir
	SHMTOOL_SHM_DIR=$D run_scan stat -J "/$NAME"
	expect_rc 0
	expect_jq ".segments[0] | .segment == \"/$NAME\" and .size == 3"
	expect_posix_absent "/$NAME"
}

t_env_read() {
	fixture_dir
	SHMTOOL_SHM_DIR=$D run read "/$NAME"
	expect_rc 0
	expect_err_empty
	printf 'abc' >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the fixture's bytes"
}

t_env_write() {
	fixture_dir
	SHMTOOL_SHM_DIR=$D run write "/$NAME" --data XY --offset 1
	expect_rc 0
	expect_eq "$(cat "$D/$NAME")" aXY "fixture content"
}

t_env_create_rm() {
	local n
	fixture_dir
	n=$(new_posix)
	SHMTOOL_SHM_DIR=$D run create "$n" 10
	expect_rc 0
	expect_out "$n"
	counted
	[ -f "$D/${n#/}" ] || fail "not created in SHMTOOL_SHM_DIR"
	expect_posix_absent "$n"
	SHMTOOL_SHM_DIR=$D run rm "$n"
	expect_rc 0
	counted
	[ ! -e "$D/${n#/}" ] || fail "not removed from SHMTOOL_SHM_DIR"
}

tcase "SHMTOOL_SHM_DIR: ls lists exactly that directory" t_env_ls
tcase "SHMTOOL_SHM_DIR: stat finds the segment there" t_env_stat
tcase "SHMTOOL_SHM_DIR: read reads it" t_env_read
tcase "SHMTOOL_SHM_DIR: write writes it" t_env_write
tcase "SHMTOOL_SHM_DIR: create and rm work there, not in /dev/shm" t_env_create_rm
e2e_done
