#!/bin/bash
# SPDX-License-Identifier: MIT
# The classic demo programs (shmhelper) and shmtool talking to each other.
. "$(dirname "$0")/lib.sh"

t_posix_helper_to_shmtool() {
	local n
	n=$(new_posix)
	hp posix-write "$n" "hello from the demo" </dev/null ||
		fail "helper posix-write failed"
	run read "$n" --string
	expect_rc 0
	expect_err_empty
	expect_out "hello from the demo"
	run_scan stat -J "$n"
	expect_rc 0
	expect_jq '.segments[0] | .size == 4096 and .kind == "posix"'
}

t_posix_shmtool_to_helper() {
	local n
	n=$(mk_posix 4K) || exit 1
	printf 'written by shmtool\0' | st write "$n" 2>"$ERR"
	RC=${PIPESTATUS[1]}
	expect_rc 0
	expect_err_empty
	expect_eq "$("$SHMHELPER" posix-read "$n")" "written by shmtool" "helper posix-read"
}

# helper_segment: a SysV segment made by the helper with a fixed key and
# holding a string; sets K and ID.
helper_segment() {
	K=$(new_key) || exit 1
	ID=$(hp sysv-create "$K" 1024 0600 </dev/null) || fail "helper sysv-create failed"
	[[ $ID =~ ^[0-9]+$ ]] || fail "helper printed '$ID'"
	"$SHMHELPER" sysv-write "$K" "hello from sysv" || fail "helper sysv-write failed"
}

t_sysv_helper_to_shmtool() {
	local form=$1 target
	helper_segment
	case $form in
	hexkey) target=$K ;;
	key:hex) target=key:$K ;;
	key:dec) target=key:$(sysv_field "$ID" 1) ;;
	shmid) target=$ID ;;
	id:) target=id:$ID ;;
	esac
	run read "$target" --string
	expect_rc 0
	expect_err_empty
	expect_out "hello from sysv"
}

t_sysv_shmtool_to_helper() {
	helper_segment
	run write "$K" --data "shmtool was here"
	expect_rc 0
	expect_err_empty
	# --data writes no NUL: the 16 bytes are followed by byte 16, still 0.
	expect_eq "$("$SHMHELPER" sysv-read "$K")" "shmtool was here" "helper sysv-read"
	printf 'with its own NUL\0' | st write "$ID" 2>"$ERR"
	RC=${PIPESTATUS[1]}
	expect_rc 0
	expect_eq "$("$SHMHELPER" sysv-read "id:$ID")" "with its own NUL" "helper sysv-read"
}

t_sysv_shmtool_created_helper_reads() {
	local k id
	k=$(new_key) || exit 1
	id=$(mk_sysv_key "$k" 4K) || exit 1
	st write "$k" --data "from shmtool, key $k" </dev/null || fail "write failed"
	expect_eq "$("$SHMHELPER" sysv-read "$k")" "from shmtool, key $k" "helper sysv-read"
	expect_eq "$("$SHMHELPER" sysv-read "id:$id")" "from shmtool, key $k" "helper sysv-read by id"
}

t_sysv_helper_stat() {
	helper_segment
	run_scan stat -J "$K"
	expect_rc 0
	expect_jq ".segments[0] | .id == $ID and .key == \"$K\" and .size == 1024
		and .cpid == $(sysv_field "$ID" 5)"
}

tcase "POSIX: demo writer (shm_open+mmap), shmtool read --string" t_posix_helper_to_shmtool
tcase "POSIX: shmtool write, demo reader" t_posix_shmtool_to_helper
tcase "SysV: demo segment read by 0xKEY" t_sysv_helper_to_shmtool hexkey
tcase "SysV: demo segment read by key:0xKEY" t_sysv_helper_to_shmtool key:hex
tcase "SysV: demo segment read by key:DECIMAL" t_sysv_helper_to_shmtool key:dec
tcase "SysV: demo segment read by shmid" t_sysv_helper_to_shmtool shmid
tcase "SysV: demo segment read by id:SHMID" t_sysv_helper_to_shmtool id:
tcase "SysV: shmtool writes the demo segment, demo reader sees it" t_sysv_shmtool_to_helper
tcase "SysV: shmtool creates and writes by key, demo reader sees it" t_sysv_shmtool_created_helper_reads
tcase "SysV: stat of the demo segment shows its id, key, size, cpid" t_sysv_helper_stat
e2e_done
