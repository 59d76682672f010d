#!/bin/bash
# SPDX-License-Identifier: MIT
# Tight removal (ARCHITECTURE.md, Verdicts): what changes between rm --unused's scan and
# its act must never make it remove a segment in use.  First each race made
# deterministic (the test hook and strace's delay injection hold rm at the
# worst moment), then bounded stress loops that count wrong outcomes and
# require none: a held file renamed over the judged name, and a System V
# segment attached and detached by an unprivileged process over and over.
#
# E2E_STRESS_SECS (default 20) is how long each stress loop runs.  Only in
# the private namespace (as root).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

: "${SHMSTRESS:=$(dirname "$0")/shmstress}"
: "${E2E_STRESS_SECS:=20}"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

need_isolated() {
	isolated || skip "rm --unused needs a private namespace (run as root)"
	[ -x "$SHMSTRESS" ] || fail "setup: $SHMSTRESS is not built (make tests/e2e/shmstress)"
}

# The link count of the file a holder keeps open as fd 3.
links_of_held() { stat -L -c %h "/proc/$1/fd/3" 2>/dev/null; }

# run_hooked ARGS...: rm with the test hook in the background; returns when
# it has scanned and waits; go_hooked lets it go on and waits for it.
run_hooked() {
	HOOK=$E2E_TMP/hook$(new_counter)
	mkdir -p "$HOOK"
	SHMTOOL_TEST_RM_HOOK=$HOOK "$SHMTOOL" "$@" >"$OUT" 2>"$ERR" </dev/null &
	HOOKED=$!
	reg_pid "$HOOKED"
	for i in $(seq 1 200); do
		[ -e "$HOOK/scanned" ] && return 0
		sleep 0.05
	done
	fail "rm --unused never reached the hook"
}

go_hooked() {
	touch "$HOOK/go"
	wait "$HOOKED"
	RC=$?
}

# After the scan judged /cand unused, a held file is renamed over it: the
# file under the name is no longer the judged one; it stays, linked.
t_rename_over_judged() {
	need_isolated
	local cand held n
	[ "${1:-}" = scan ] && export SHMTOOL_NO_LEASE=1
	cand=$(mk_posix 4K) || exit 1
	held=$(mk_posix 4K) || exit 1
	hold posix-fd "$held"
	run_hooked rm --unused --force -v
	mv -f -- "$SHMDIR/${held#/}" "$SHMDIR/${cand#/}"
	go_hooked
	expect_rc 0
	expect_out_empty
	n=$(links_of_held "$HOLD_PID")
	expect_eq "$n" 1 "links of the held file"
	expect_posix_present "$cand"
	counted
	grep -q "^shmtool: rm: $cand: left alone: replaced since the scan" "$ERR" ||
		fail "no word on the replaced name: $(err1)"
}

# A process opens the candidate after the scan: the second scan, made once
# the name is out of reach, finds it; the name comes back.
t_opened_after_scan() {
	need_isolated
	local cand
	[ "${1:-}" = scan ] && export SHMTOOL_NO_LEASE=1
	cand=$(mk_posix 4K) || exit 1
	run_hooked rm --unused --force -v
	hold posix-fd "$cand"
	go_hooked
	expect_rc 0
	expect_out_empty
	expect_posix_present "$cand"
	expect_eq "$(links_of_held "$HOLD_PID")" 1 "links of the opened file"
}

# strace holds IPC_RMID back (the 4th shmctl of the removal: stat, set the
# mode to 0, stat, remove) for a second: meanwhile an unprivileged process
# cannot attach; then the segment goes.
t_sysv_denied_before_rmid() {
	need_isolated
	strace_ok || skip "strace cannot trace here"
	local id
	id=$("${NOBODY[@]}" "$SHMTOOL" create --sysv 4K --mode 0666) ||
		fail "setup: create as nobody"
	reg_sysv_id "$id"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o "$E2E_TMP/rmid.log" -e trace=shmctl \
		-e inject=shmctl:delay_enter=2000000:when=4 \
		"$SHMTOOL" rm --unused -v >"$OUT" 2>"$ERR" </dev/null &
	local rmpid=$! i
	reg_pid "$rmpid"
	# Attach once rm sits in the delayed IPC_RMID (strace writes a
	# call's entry before the delay): not after a guessed sleep, which a
	# loaded machine outran.
	for i in $(seq 1 200); do
		grep -q 'IPC_RMID' "$E2E_TMP/rmid.log" 2>/dev/null && break
		sleep 0.05
	done
	counted
	grep -q 'IPC_RMID' "$E2E_TMP/rmid.log" ||
		fail "rm never reached IPC_RMID: $(head -c 300 "$E2E_TMP/rmid.log")"
	"${NOBODY[@]}" "$SHMHOLDER" sysv "$id" >"$E2E_TMP/att.out" 2>&1 &
	local att=$!
	reg_pid "$att"
	wait "$rmpid"
	RC=$?
	sleep 0.1
	counted
	! grep -q ready "$E2E_TMP/att.out" ||
		fail "an unprivileged process attached between the last check and IPC_RMID"
	counted
	grep -q 'Permission denied' "$E2E_TMP/att.out" ||
		fail "the attach was not refused: $(head -c 200 "$E2E_TMP/att.out")"
	expect_rc 0
	expect_out "removed $id"
	expect_sysv_absent "$id"
}

# strace holds the mode change back: an unprivileged process attaches
# before it; the check after it sees NATTCH 1, the mode goes back and the
# segment stays.
t_sysv_attached_before_deny() {
	need_isolated
	strace_ok || skip "strace cannot trace here"
	local id perms
	id=$("${NOBODY[@]}" "$SHMTOOL" create --sysv 4K --mode 0640) ||
		fail "setup: create as nobody"
	reg_sysv_id "$id"
	perms=$(sysv_field "$id" 3)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o /dev/null -e trace=shmctl -e inject=shmctl:delay_enter=1000000:when=2 \
		"$SHMTOOL" rm --unused -v >"$OUT" 2>"$ERR" </dev/null &
	local rmpid=$!
	reg_pid "$rmpid"
	sleep 0.5
	"${NOBODY[@]}" "$SHMHOLDER" sysv "$id" >"$E2E_TMP/att.out" 2>&1 &
	reg_pid "$!"
	wait "$rmpid"
	RC=$?
	expect_rc 0
	expect_out_empty
	expect_sysv_present "$id"
	expect_eq "$(sysv_field "$id" 3)" "$perms" "its mode, put back"
	counted
	grep -q "^shmtool: rm: $id: left alone: attached meanwhile" "$ERR" ||
		fail "no word on the attach: $(err1)"
}

# Killed (SIGKILL: nothing can block it) while names are hidden for the
# second scan: the next rm --unused puts them back before it judges
# anything, and no run ever judges a hidden name.  Other signals wait.
t_interrupted_restore() {
	need_isolated
	strace_ok || skip "strace cannot trace here"
	local a b rmpid left
	a=$(mk_posix 4K) || exit 1
	b=$(mk_posix 4K) || exit 1
	hold posix-fd "$b"
	# Hold rm right after its first rename (the hide) for 2 s.
	SHMTOOL_NO_LEASE=1 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -o /dev/null -e trace=renameat2 \
		-e inject=renameat2:delay_exit=2000000:when=1 \
		"$SHMTOOL" rm --unused --force -v >"$OUT" 2>"$ERR" </dev/null &
	rmpid=$!
	reg_pid "$rmpid"
	sleep 1
	left=$(find "$SHMDIR" -maxdepth 1 -name '.shmtool-rm.*' | wc -l)
	expect_eq "$left" 1 "names hidden in the window"
	pkill -USR1 -P "$rmpid" -x shmtool
	wait "$rmpid"
	RC=$?
	# It finished, said all, then the signal waiting for it acted.
	expect_rc 138
	expect_out "removed $a"
	expect_posix_present "$b"
	expect_eq "$(find "$SHMDIR" -maxdepth 1 -name '.shmtool-rm.*' | wc -l)" 0 "hidden names after a run that USR1 did not stop"
	# Again, killed in the window.
	a=$(mk_posix 4K) || exit 1
	SHMTOOL_NO_LEASE=1 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -o /dev/null -e trace=renameat2 \
		-e inject=renameat2:delay_exit=5000000:when=1 \
		"$SHMTOOL" rm --unused --force -v >/dev/null 2>&1 </dev/null &
	rmpid=$!
	reg_pid "$rmpid"
	sleep 1
	pkill -KILL -P "$rmpid" -x shmtool
	wait "$rmpid"
	expect_posix_absent "$a"
	left=$(find "$SHMDIR" -maxdepth 1 -name '.shmtool-rm.*' -printf '%f\n')
	[ -n "$left" ] || fail "the killed run left no hidden name: the case proves nothing"
	run rm --unused --force --dry-run
	expect_rc 0
	counted
	! grep -q '^/.shmtool-rm' "$OUT" || fail "a dry run offers the hidden name: $(head -c 200 "$OUT")"
	counted
	grep -q 'skipped 1 file named .shmtool-rm' "$ERR" || fail "no word on the hidden name: $(err1)"
	run rm --unused -v
	expect_rc 0
	counted
	grep -q "^shmtool: rm: /$left: put back as $a" "$ERR" || fail "not put back: $(err1)"
	expect_posix_present "$a"
}

# The caller's own file without read permission: no lease can be had;
# the name is hidden, the second scan decides, and whatever happens the
# name is never left hidden.
t_unreadable_own() {
	need_isolated
	local x y pid
	x=$(new_posix); y=$(new_posix)
	"${NOBODY[@]}" "$SHMTOOL" create "$x" 4K >/dev/null || fail "setup: create"
	"${NOBODY[@]}" "$SHMTOOL" create "$y" 4K >/dev/null || fail "setup: create"
	"${NOBODY[@]}" sh -c "exec 3<\"$SHMDIR/${y#/}\"; chmod 0000 \"$SHMDIR/${y#/}\"; exec sleep 300" &
	pid=$!
	reg_pid "$pid"
	chmod 0000 "$SHMDIR/${x#/}"
	sleep 0.3
	"${NOBODY[@]}" "$SHMTOOL" rm --unused --force -v </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_out "removed $x"
	expect_posix_present "$y"
	expect_eq "$(find "$SHMDIR" -maxdepth 1 -name '.shmtool-rm.*' | wc -l)" 0 "hidden names left"
}

# Two names of one file (a hard link): removing one frees nothing; the
# message says so.
t_hard_link() {
	need_isolated
	local a b
	a=$(mk_posix 4K) || exit 1
	head -c 4096 /dev/urandom >"$E2E_TMP/fill"
	seg_fill "$a" "$E2E_TMP/fill"
	b=$(new_posix)
	ln "$SHMDIR/${a#/}" "$SHMDIR/${b#/}"
	run rm --unused --force -v
	expect_rc 0
	counted
	grep -q '^shmtool: rm: removed 2 segments (8.0K; 4.0K of memory freed)' "$ERR" ||
		fail "the memory of one file counted as freed twice, or not at all: $(err1)"
}

# For E2E_STRESS_SECS: a held file and an unheld one swap names over and
# over while rm --unused --force runs again and again.  The unheld one may
# go (it is made again); the held one must never be unlinked.
t_stress_rename_swap() {
	need_isolated
	local a b swapper end runs=0 removed=0 replaced=0 wrong=0 how=${1:-lease}
	[ "$how" = scan ] && export SHMTOOL_NO_LEASE=1
	a=$(mk_posix 4K) || exit 1
	b=$(mk_posix 4K) || exit 1
	hold posix-fd "$b"
	"$SHMSTRESS" exchange "$SHMDIR" "${a#/}" "${b#/}" "$E2E_STRESS_SECS" \
		>"$E2E_TMP/swap.out" 2>&1 &
	swapper=$!
	reg_pid "$swapper"
	end=$((SECONDS + E2E_STRESS_SECS))
	while [ "$SECONDS" -lt "$end" ]; do
		"$SHMTOOL" rm --unused --force -v >"$OUT" 2>"$ERR" </dev/null
		runs=$((runs + 1))
		[ "$(links_of_held "$HOLD_PID")" = 1 ] || { wrong=$((wrong + 1)); break; }
		grep -q '^removed' "$OUT" && removed=$((removed + 1))
		grep -q 'replaced since the scan' "$ERR" && replaced=$((replaced + 1))
		# The unheld file is gone: a new one takes its name.
		[ -e "$SHMDIR/${a#/}" ] && [ -e "$SHMDIR/${b#/}" ] ||
			"$SHMTOOL" create "$a" 4K >/dev/null 2>&1 ||
			"$SHMTOOL" create "$b" 4K >/dev/null 2>&1
	done
	wait "$swapper"
	echo "# rename swap, $how ($E2E_STRESS_SECS s): $runs runs, $removed removed the unheld file, $replaced saw a replaced name, $(cat "$E2E_TMP/swap.out"), $wrong unlinked the held one" >"$E2E_TMP/stats.swap-$how"
	expect_eq "$wrong" 0 "runs that unlinked the held file"
	counted
	[ "$removed" -gt 0 ] || fail "no run removed the unheld file: the stress proves nothing"
}

# For E2E_STRESS_SECS: a System V segment whose creator is gone, attached
# and detached over and over by an unprivileged process, while rm --unused
# runs again and again; when it goes, a new one takes over.  It must never
# be removed while attached.
t_stress_attach_loop() {
	need_isolated
	local id att end runs=0 gone=0 wrong=0 attaches=0 denied=0 line
	end=$((SECONDS + E2E_STRESS_SECS))
	while [ "$SECONDS" -lt "$end" ]; do
		id=$("${NOBODY[@]}" "$SHMTOOL" create --sysv 4K --mode 0666) ||
			fail "setup: create as nobody"
		reg_sysv_id "$id"
		"${NOBODY[@]}" "$SHMSTRESS" attach-loop "$id" 5 >"$E2E_TMP/att.out" 2>&1 &
		att=$!
		reg_pid "$att"
		while kill -0 "$att" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do
			"$SHMTOOL" rm --unused >/dev/null 2>&1 </dev/null
			runs=$((runs + 1))
		done
		kill "$att" 2>/dev/null
		wait "$att"
		line=$(cat "$E2E_TMP/att.out")
		read -r _ a _ d _ w _ g <<<"$line"
		attaches=$((attaches + ${a:-0}))
		denied=$((denied + ${d:-0}))
		wrong=$((wrong + ${w:-0}))
		gone=$((gone + ${g:-0}))
		"$SHMHELPER" sysv-rm "id:$id" >/dev/null 2>&1
	done
	echo "# attach loop ($E2E_STRESS_SECS s): $runs rm runs, $attaches attaches, $denied refused while rm made sure, $gone segments removed while detached, $wrong while attached" >"$E2E_TMP/stats.attach"
	expect_eq "$wrong" 0 "removals while attached"
	counted
	[ "$gone" -gt 0 ] || fail "no segment was removed: the stress proves nothing"
}

tcase "a held file renamed over the judged name after the scan: not unlinked" t_rename_over_judged
tcase "... without a lease (hidden, second scan): not unlinked" t_rename_over_judged scan
tcase "the candidate opened after the scan: the kernel refuses the lease, kept" t_opened_after_scan
tcase "... without a lease: found by the second scan, kept" t_opened_after_scan scan
tcase "SysV: no unprivileged attach between the last check and IPC_RMID" t_sysv_denied_before_rmid
tcase "SysV: attached before its mode was taken: left alone, mode put back" t_sysv_attached_before_deny
tcase "killed with names hidden: the next run puts them back; other signals wait" t_interrupted_restore
tcase "the caller's own unreadable files: no lease, second scan, no name left hidden" t_unreadable_own
tcase "a hard link: removing both names frees the file once" t_hard_link
tcase "stress: held and unheld files swapping names: the held one never unlinked" t_stress_rename_swap
tcase "stress: the same without a lease (hidden names, second scan)" t_stress_rename_swap scan
tcase "stress: an unprivileged attach/detach loop: never removed while attached" t_stress_attach_loop
cat "$E2E_TMP"/stats.* 2>/dev/null
e2e_done
