#!/bin/bash
# SPDX-License-Identifier: MIT
# rm: every TARGET form, -v, several targets, still-attached segments.
. "$(dirname "$0")/lib.sh"

t_rm_posix() {
	local t
	t=$(mk_posix 4K) || exit 1
	run rm "$t"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_posix_absent "$t"
}

t_rm_posix_forced() {
	local t
	t=$(mk_posix 4K) || exit 1
	run rm --posix "${t#/}"
	expect_rc 0
	expect_posix_absent "$t"
}

t_rm_sysv() {
	local form=$1 id k target
	k=$(new_key) || exit 1
	id=$(mk_sysv_key "$k" 4K) || exit 1
	case $form in
	id) target=$id ;;
	id:) target=id:$id ;;
	key) target=$k ;;
	key:) target=key:$k ;;
	esac
	run rm "$target"
	expect_rc 0
	expect_out_empty
	expect_err_empty
	expect_sysv_absent "$id"
}

t_rm_verbose() {
	local t id
	t=$(mk_posix 4K) || exit 1
	id=$(mk_sysv 4K) || exit 1
	run rm -v "$t" "$id"
	expect_rc 0
	expect_err_empty
	printf 'removed %s\nremoved %s\n' "$t" "$id" >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "'removed TARGET' lines"
	expect_posix_absent "$t"
	expect_sysv_absent "$id"
}

t_rm_several_one_bad() {
	local a b c missing
	a=$(mk_posix 4K) || exit 1
	b=$(mk_sysv 4K) || exit 1
	c=$(mk_posix 4K) || exit 1
	missing=$(new_posix)
	run rm "$a" "$missing" "$b" "$c"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: rm: $missing: no such segment"
	expect_posix_absent "$a"
	expect_sysv_absent "$b"
	expect_posix_absent "$c"
}

t_rm_missing() {
	local missing
	missing=$(new_posix)
	run rm "$missing"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: rm: $missing: no such segment"
}

# start_holder ID: a helper process attaching the segment; prints its PID
# once it is attached.
start_holder() {
	local pid i
	"$SHMHELPER" sysv-hold "id:$1" </dev/null >"$E2E_TMP/hold.out" 2>&1 &
	pid=$!
	reg_pid "$pid"
	for i in $(seq 1 100); do
		grep -qx ready "$E2E_TMP/hold.out" 2>/dev/null && { echo "$pid"; return 0; }
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	fail "setup: the holder did not attach: $(head -c 200 "$E2E_TMP/hold.out")"
}

t_rm_attached() {
	local id pid i perms
	id=$(mk_sysv 4K) || exit 1
	start_holder "$id" >"$E2E_TMP/pid" || exit 1
	pid=$(cat "$E2E_TMP/pid")
	expect_eq "$(sysv_field "$id" 7)" 1 "nattch with the holder"
	run rm "$id"
	expect_rc 0
	expect_out_empty
	expect_err_line "^shmtool: rm: $id: still attached \(1 mappings?\)"
	perms=$(sysv_field "$id" 3)
	expect_eq "$(( (8#$perms & 01000) != 0 ))" 1 "SHM_DEST in the kernel's perms"
	expect_eq "$(sysv_field "$id" 1)" 0 "key after IPC_RMID"
	run_scan stat -J "$id"
	expect_rc 0
	expect_jq '.segments[0].status | split(",") | index("dest") != null'
	expect_jq '.segments[0].nattch == 1'
	kill "$pid"
	wait "$pid" 2>/dev/null
	for i in $(seq 1 50); do
		sysv_present "$id" || break
		sleep 0.1
	done
	expect_sysv_absent "$id"
	run_scan stat "$id"
	expect_rc 1
	expect_err_line '^shmtool: stat: '
}

# rm -v of an attached segment still says "removed" on stdout.
t_rm_attached_verbose() {
	local id
	id=$(mk_sysv 4K) || exit 1
	start_holder "$id" >/dev/null || exit 1
	run rm -v "$id"
	expect_rc 0
	expect_out "removed $id"
	expect_err_line "^shmtool: rm: $id: still attached"
}

# A POSIX segment made by another program (shm_open + ftruncate + mmap).
t_rm_posix_mapped() {
	local t
	t=$(new_posix)
	hp posix-write "$t" "mapped" </dev/null >/dev/null || fail "setup: helper failed"
	run rm "$t"
	expect_rc 0
	expect_out_empty
	expect_posix_absent "$t"
}

# rm --unused's system calls per removed file (issue 18): what it costs
# beyond a run with nothing to remove, counted by strace -c (a count, not
# a time).  8 today: the listing's fstatat, then open, fstat, lease,
# rename to a private name, fstatat, unlink, close -- each a check the
# safety contract needs; a regression that reopens the directory or asks
# for randomness per file fails here.
t_rm_unused_syscalls() {
	isolated || skip "needs the private tmpfs and PID namespace (root)"
	strace_ok || skip "strace cannot run here"
	local n=200 i base with per
	# LeakSanitizer cannot stop the world of a traced process
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	strace -f -c -o "$E2E_TMP/base" "$SHMTOOL" rm --unused --posix --force \
		</dev/null >/dev/null 2>&1
	for i in $(seq 1 $n); do
		: >"$SHMDIR/$E2E_PREFIX-sc$i"
		reg_posix "$E2E_PREFIX-sc$i"
	done
	strace -f -c -o "$E2E_TMP/with" "$SHMTOOL" rm --unused --posix --force \
		</dev/null >/dev/null 2>&1
	counted
	[ -z "$(find "$SHMDIR" -maxdepth 1 -name "$E2E_PREFIX-sc*")" ] ||
		fail "rm --unused --force left some of the $n files"
	base=$(awk '$NF == "total" { print $4 }' "$E2E_TMP/base")
	with=$(awk '$NF == "total" { print $4 }' "$E2E_TMP/with")
	per=$(( (with - base) / n ))
	counted
	[ "$per" -le 8 ] ||
		fail "$per system calls per file ($with with $n files, $base without): $(sort -k4 -n -r "$E2E_TMP/with" | head -n 6 | tr -s ' \n' ' ')"
}

tcase "POSIX /name: removed, silent" t_rm_posix
tcase "POSIX --posix NAME: removed" t_rm_posix_forced
tcase "SysV by shmid: removed" t_rm_sysv id
tcase "SysV by id:SHMID: removed" t_rm_sysv id:
tcase "SysV by 0xKEY: removed" t_rm_sysv key
tcase "SysV by key:0xKEY: removed" t_rm_sysv key:
tcase "-v prints 'removed TARGET' per target" t_rm_verbose
tcase "several targets, a missing one in the middle: others removed, exit 1" t_rm_several_one_bad
tcase "missing POSIX target: exit 1, exact message" t_rm_missing
tcase "SysV still attached: exit 0, note, dest, gone after the last detach" t_rm_attached
tcase "SysV still attached with -v" t_rm_attached_verbose
tcase "POSIX segment made by another program: removed" t_rm_posix_mapped
tcase "rm --unused: at most 8 system calls per file removed" t_rm_unused_syscalls
e2e_done
