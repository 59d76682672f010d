#!/bin/bash
# SPDX-License-Identifier: MIT
# create --hugetlb and transfers through a SysV segment on real huge pages.
# The pool (vm.nr_hugepages) is host-wide, not namespaced: a case that must
# grow it registers how many pages it adds, and the cleanup takes them off
# again even when the case fails.  Only root in the private namespace
# grows it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

HP_KB=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# Huge pages neither in use nor promised to a segment.
hp_avail() { echo $(($(meminfo HugePages_Free) - $(meminfo HugePages_Rsvd))); }

# need_hugepages N: N available huge pages, growing the pool if we may.
need_hugepages() {
	local want=$1 have total
	[ -n "$HP_KB" ] && [ -w /proc/sys/vm/nr_hugepages ] ||
		skip "no writable huge page pool here"
	have=$(hp_avail)
	[ "$have" -ge "$want" ] && return 0
	isolated || skip "only grows the huge page pool as root in the private namespace"
	total=$(cat /proc/sys/vm/nr_hugepages)
	echo $((total + want - have)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	# What the kernel really added (it may find fewer free pages).
	echo "hugepages $(($(cat /proc/sys/vm/nr_hugepages) - total))" \
		>>"$E2E_TMP/cleanup"
	[ "$(hp_avail)" -ge "$want" ] || skip "cannot reserve $want huge pages"
}

# Two huge pages: reserved at create, then written and read byte-exact
# through the mapping (hugetlbfs has no write(2), so not through its file).
t_roundtrip() {
	local id before size=$((2 * HP_KB * 1024)) log=$E2E_TMP/trace
	need_hugepages 2
	before=$(hp_avail)
	run create --sysv --hugetlb "$((2 * HP_KB))K"
	expect_rc 0
	expect_err_empty
	id=$(cat "$OUT")
	expect_eq "$(hp_avail)" $((before - 2)) "huge pages available after create"
	expect_eq "$(sysv_field "$id" 4)" "$size" "size"
	head -c "$size" /dev/urandom >"$E2E_TMP/data"
	run_piped "$E2E_TMP/data" write "$id"
	expect_rc 0
	expect_err_empty
	seg_dump "$id" "$E2E_TMP/dump"
	counted
	cmp -s "$E2E_TMP/data" "$E2E_TMP/dump" || fail "the segment does not hold the bytes written"
	strace_ok || skip "strace is missing or cannot trace here"
	traced "$log" openat,sendfile,write "$SHMTOOL" read "$id" </dev/null
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/data" "the bytes, read back"
	counted
	! grep -q '^sendfile(' "$log" || fail "sendfile from a hugetlbfs file"
	grep -q '^write(1, ' "$log" || fail "no write from the mapping"
	run write "$id" --offset 1K --file "$E2E_TMP/data"
	expect_rc 1
	expect_err_line "(does|do) not fit"
}

# A size that is not a whole number of huge pages: the kernel takes one
# whole page, the segment keeps the size asked for, nothing past it.
t_odd_size() {
	local id before
	need_hugepages 1
	before=$(hp_avail)
	run create --sysv --hugetlb 1000
	expect_rc 0
	id=$(cat "$OUT")
	expect_eq "$(hp_avail)" $((before - 1)) "huge pages available after create"
	expect_eq "$(sysv_field "$id" 4)" 1000 "size"
	head -c 1000 /dev/urandom >"$E2E_TMP/data"
	run write "$id" --file "$E2E_TMP/data"
	expect_rc 0
	run read "$id"
	expect_rc 0
	expect_out_file "$E2E_TMP/data" "the 1000 bytes"
	run write "$id" --offset 1000 --data x
	expect_rc 1
	expect_err_line "(does|do) not fit"
}

# More than the pool has free: one line saying so, no segment made.
# (With vm.nr_overcommit_hugepages the kernel would take surplus pages.)
t_pool_exhausted() {
	local n
	[ "$(cat /proc/sys/vm/nr_overcommit_hugepages 2>/dev/null || echo 0)" = 0 ] ||
		skip "vm.nr_overcommit_hugepages is set: the pool can grow"
	need_hugepages 1
	n=$(($(hp_avail) + 1))
	run create --sysv --hugetlb "$((n * HP_KB))K"
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: create: .*Cannot allocate memory \(not enough free huge pages"
	expect_none_created
}

# Attached by another process, it shows as hugetlb (its mappings are on
# the hugetlbfs device), and rm --unused leaves it.
t_attached_status() {
	local id
	need_hugepages 1
	run create --sysv --hugetlb "${HP_KB}K"
	expect_rc 0
	id=$(cat "$OUT")
	hold sysv "$id"
	run_scan stat -J "$id"
	expect_rc 0
	expect_jq '.segments[0].status | split(",") | index("hugetlb") != null'
	expect_jq ".segments[0].nattch == 1 and .segments[0].pids == [$HOLD_PID]"
	run_scan rm --unused --dry-run
	expect_rc 0
	counted
	! grep -q "^$id	" "$OUT" || fail "offers an attached segment: $(head -c 200 "$OUT")"
}

# A SHM_NORESERVE huge-page segment promised no pages, with none free:
# touching it would be SIGBUS (memcpy) or EFAULT (write from it).  Every
# transfer is one line blaming the segment -- not stdout, not stdin --
# exit 1, no signal, nothing written.
noreserve_starved() {
	[ -n "$HP_KB" ] || skip "no huge pages on this kernel"
	[ "$(hp_avail)" = 0 ] || skip "free huge pages here: the segment would get them"
	[ "$(cat /proc/sys/vm/nr_overcommit_hugepages 2>/dev/null || echo 0)" = 0 ] ||
		skip "vm.nr_overcommit_hugepages is set: the pool can grow"
	NR_ID=$("$SHMHELPER" sysv-create-noreserve "$((HP_KB * 1024))") ||
		fail "setup: shmget(SHM_HUGETLB|SHM_NORESERVE) failed"
	reg_sysv_id "$NR_ID"
}

t_noreserve_transfers() {
	local id fmt why="its memory cannot be had \\(a huge-page segment"
	noreserve_starved
	id=$NR_ID
	for fmt in "" --hex --string "--offset 4097 --length 10"; do
		# shellcheck disable=SC2086
		run read "$id" $fmt
		expect_rc 1
		expect_out_empty
		expect_err_line "^shmtool: read: $id: reading: $why"
	done
	printf 'data' >"$E2E_TMP/in"
	run_piped "$E2E_TMP/in" write "$id"
	expect_rc 1
	expect_err_line "^shmtool: write: $id: wrote 0 bytes, then failed: $why"
	run write "$id" --data hello --offset 3M
	expect_rc 2
	run write "$id" --data hello --offset 1M
	expect_rc 1
	expect_err_line "^shmtool: write: $id: wrote 0 bytes, then failed: $why"
	run write "$id" --file "$E2E_TMP/in"
	expect_rc 1
	expect_err_line "^shmtool: write: $id: wrote 0 bytes, then failed: $why"
	expect_eq "$(sysv_field "$id" 4)" "$((HP_KB * 1024))" "size"
}

# Attached by a process out of sight, the segment is peeked at (is it a
# PostgreSQL main segment?) through shmat: no SIGBUS there either.
t_noreserve_peek() {
	local id i
	need_isolated
	noreserve_starved
	id=$NR_ID
	"$SHMHELPER" sysv-hold "id:$id" >"$E2E_TMP/h.out" 2>&1 </dev/null &
	reg_pid $!
	for i in $(seq 1 100); do
		[ "$(sysv_field "$id" 7)" = 1 ] && break
		sleep 0.05
	done
	[ "$(sysv_field "$id" 7)" = 1 ] || fail "setup: the holder did not attach"
	unshare --pid --fork --mount-proc "$SHMTOOL" ls --sysv -J -o SEGMENT,NATTCH,PROCS \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	lsan_forgive
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$id\") | .nattch == 1 and .procs == 0"
	unshare --pid --fork --mount-proc "$SHMTOOL" rm --unused --force --dry-run \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	lsan_forgive
	expect_rc 0
	counted
	! grep -q "^$id	" "$OUT" || fail "offers an attached segment"
}

# SHM_LOCK on huge pages succeeds and locks nothing: lock says so, exit 1.
t_lock_refused() {
	local id
	need_hugepages 1
	run create --sysv --hugetlb "${HP_KB}K"
	expect_rc 0
	id=$(cat "$OUT")
	run lock "$id"
	expect_rc 1
	expect_out_empty
	expect_err_is "shmtool: lock: $id: a huge-page segment cannot be locked (SHM_LOCK locks nothing there; huge pages are never swapped)"
	counted
	(( 8#$(sysv_field "$id" 3) & 02000 )) && fail "perms $(sysv_field "$id" 3): locked"
	run unlock "$id"
	expect_rc 0
}

tcase "create --hugetlb: whole huge pages reserved; bytes through the mapping" t_roundtrip
tcase "create --hugetlb 1000: one huge page, size 1000" t_odd_size
tcase "create --hugetlb past the free pool: exit 1, one line, nothing made" t_pool_exhausted
tcase "hugetlb segment attached by another process: STATUS hugetlb, kept" t_attached_status
tcase "NORESERVE huge pages, none free: read/write exit 1, one line, no SIGBUS" t_noreserve_transfers
tcase "lock of a hugetlb segment: refused, not locked" t_lock_refused
tcase "NORESERVE huge pages attached out of sight: ls peeks without SIGBUS" t_noreserve_peek
e2e_done
