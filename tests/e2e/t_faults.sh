#!/bin/bash
# SPDX-License-Identifier: MIT
# Faults (issue 6, item 3): a full tmpfs, a segment truncated or removed
# while in use, standard output closed / full / a pipe closed early, and
# signals during long transfers.  The tool must fail cleanly (one line,
# exit 1) or succeed byte-exact, and never die of a signal (SIGBUS above all).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/hold.sh"

# tests/e2e/shmstress (data generator, signal sender); built here if make
# has not built it.
: "${SHMSTRESS:=$(dirname "$0")/shmstress}"
if [ ! -x "$SHMSTRESS" ]; then
	SHMSTRESS=$E2E_TMP/shmstress
	cc -std=gnu11 -O2 -o "$SHMSTRESS" "$(dirname "$0")/shmstress.c" -lrt \
		>/dev/null 2>&1 || SHMSTRESS=
fi
need_stress() {
	[ -n "$SHMSTRESS" ] ||
		fail "setup: tests/e2e/shmstress is not built (make tests/e2e/shmstress)"
}

# ---------------------------------------------------------------- helpers

# run_dir DIR ARGS...: shmtool with SHMTOOL_SHM_DIR=DIR (lib.sh unsets it
# for st/run).
run_dir() {
	local d=$1
	shift
	e2e_exec env SHMTOOL_SHM_DIR="$d" "$SHMTOOL" "$@" \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
}

# expect_no_signal [pipe]: the last command was not killed by a signal
# (SIGPIPE allowed with "pipe").
expect_no_signal() {
	counted
	[ "$RC" -lt 128 ] && return 0
	[ "$RC" = 141 ] && [ "${1:-}" = pipe ] && return 0
	fail "killed by signal $((RC - 128)) (status $RC); stderr: $(err1)"
}

# new_tmpfs SIZE: mount a private tmpfs of SIZE on a new directory, print
# it.  The case unmounts it when done (unmount "$d"); the end of this file
# unmounts what a failed case left.  (No EXIT trap in a case: a subshell of
# e2e_exec killed before its exec would run it.)
new_tmpfs() {
	local d
	d=$E2E_TMP/mnt-$(new_counter)
	mkdir -p "$d" || fail "setup: mkdir $d"
	mount -t tmpfs -o "size=$1,mode=1777" shmtool-e2e "$d" ||
		fail "setup: cannot mount a $1 tmpfs on $d"
	echo "$d"
}
unmount() { umount -l "$1" 2>/dev/null; }

# wrote_bytes: N from "wrote N bytes" on stderr.
wrote_bytes() {
	grep -Eo 'wrote [0-9]+ bytes' "$ERR" | head -n 1 | tr -dc 0-9
}

# big_dir SIZE: a directory for POSIX segments of SIZE bytes: a private
# tmpfs when isolated (run.sh's /dev/shm holds 64 MiB), else /dev/shm.
big_dir() {
	if isolated; then
		new_tmpfs "$(($1 / 1048576 + 16))m"
	else
		echo "$SHMDIR"
	fi
}

# ------------------------------------------------------------ full tmpfs

t_full_write() {
	local how=$1 d n f size n_wrote
	isolated || skip "needs a private mount namespace for a small tmpfs"
	d=$(new_tmpfs 1m) || exit 1
	n=$(new_posix) || exit 1
	f=$E2E_TMP/in
	head -c 3145728 /dev/urandom >"$f"
	# 4 MiB on a 1 MiB tmpfs: a sparse file, so create succeeds.
	run_dir "$d" create "$n" 4M
	expect_rc 0
	expect_eq "$(stat -c %s "$d/${n#/}")" 4194304 "size of the sparse segment"
	case $how in
	file) run_dir "$d" write "$n" --file "$f" ;;
	pipe)
		cat "$f" | e2e_exec env SHMTOOL_SHM_DIR="$d" "$SHMTOOL" write "$n" \
			>"$OUT" 2>"$ERR"
		RC=${PIPESTATUS[1]} ;;
	esac
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: write: $n: .*No space left on device$"
	n_wrote=$(wrote_bytes)
	counted
	[ -n "$n_wrote" ] || fail "the message does not say how many bytes were written: $(err1)"
	counted
	[ "$n_wrote" -lt 3145728 ] || fail "claims all $n_wrote bytes were written"
	counted
	cmp -s -n "$n_wrote" "$f" "$d/${n#/}" ||
		fail "the $n_wrote bytes reported written are not in the segment: $(cmp -n "$n_wrote" "$f" "$d/${n#/}" 2>&1)"
	size=$(stat -c %s "$d/${n#/}")
	expect_eq "$size" 4194304 "segment size after the failed write"
	unmount "$d"
}

# A store into a hole of a full tmpfs is where an mmap would SIGBUS.
t_full_hole() {
	local d n
	isolated || skip "needs a private mount namespace for a small tmpfs"
	d=$(new_tmpfs 1m) || exit 1
	n=$(new_posix) || exit 1
	run_dir "$d" create "$n" 4M
	expect_rc 0
	# Fill the file system with something else.
	head -c 2M /dev/zero >"$d/filler" 2>/dev/null
	run_dir "$d" write "$n" --offset 2M --data "hello"
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: write: $n: .*No space left on device$"
	run_dir "$d" read "$n" --offset 2M --length 5
	expect_no_signal
	expect_rc 0
	head -c 5 /dev/zero >"$E2E_TMP/zeros"
	expect_out_file "$E2E_TMP/zeros" "five zero bytes (nothing was stored)"
	run_dir "$d" read "$n" --offset 2M --length 4096 --hex
	expect_no_signal
	expect_rc 0
	unmount "$d"
}

t_full_create_from() {
	local d n
	isolated || skip "needs a private mount namespace for a small tmpfs"
	d=$(new_tmpfs 1m) || exit 1
	n=$(new_posix) || exit 1
	head -c 2M /dev/urandom >"$E2E_TMP/in"
	run_dir "$d" create "$n" --from "$E2E_TMP/in"
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: create: .*No space left on device$"
	counted
	[ ! -e "$d/${n#/}" ] || fail "the failed create left $d/${n#/} behind"
	unmount "$d"
}

# ------------------------------------------- truncated or removed while read

# read_slowly TARGET [ARGS...]: shmtool read into a reader that waits 1 s;
# while it waits, "$MEANWHILE" runs (0.3 s in).  Sets RC, $OUT, $ERR.
read_slowly() {
	(
		st read "$@" </dev/null 2>"$ERR" |
			(sleep 1; cat >"$OUT")
		echo "${PIPESTATUS[0]}" >"$E2E_TMP/slow.rc"
	) &
	local p=$!
	sleep 0.3
	eval "$MEANWHILE"
	wait "$p"
	RC=$(cat "$E2E_TMP/slow.rc")
}

t_truncated_during_read() {
	local fmt=$1 t size=4194304 got want
	need_stress
	t=$(mk_posix $size) || exit 1
	"$SHMSTRESS" gen 11 $size | tr '\0' '\1' >"$E2E_TMP/base"
	seg_fill "$t" "$E2E_TMP/base"
	MEANWHILE="truncate -s 4096 -- '$SHMDIR/${t#/}'"
	read_slowly "$t" $fmt
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: read: $t: .*shrank"
	got=$(stat -c %s "$OUT")
	case $fmt in
	"") want=$E2E_TMP/base ;;
	--hex) want=$E2E_TMP/want; hexdump -C "$E2E_TMP/base" >"$want" ;;
	--string) want=$E2E_TMP/base ;;
	esac
	counted
	[ "$got" -lt "$(stat -c %s "$want")" ] ||
		fail "all $got bytes came out although the segment shrank"
	counted
	cmp -s -n "$got" "$want" "$OUT" ||
		fail "what came out ($got bytes) is not the start of the segment"
}

t_removed_during_read() {
	local kind=$1 t size=16777216
	need_stress
	t=$(mk_seg "$kind" $size) || exit 1
	"$SHMSTRESS" gen 12 $size >"$E2E_TMP/base"
	seg_fill "$t" "$E2E_TMP/base"
	case $kind in
	posix) MEANWHILE="rm -f -- '$SHMDIR/${t#/}'" ;;
	sysv) MEANWHILE="'$SHMHELPER' sysv-rm id:$t" ;;
	esac
	read_slowly "$t"
	expect_no_signal
	expect_rc 0
	expect_err_empty
	expect_out_file "$E2E_TMP/base" "the bytes of the segment removed during the read"
	case $kind in
	posix) expect_posix_absent "$t" ;;
	sysv) expect_sysv_absent "$t" ;;
	esac
}

# ------------------------------------------------- removed before its use

t_stale() {
	local kind=$1 cmd=$2 t want
	t=$(mk_seg "$kind" 4K) || exit 1
	case $kind in
	posix)
		rm -f -- "$SHMDIR/${t#/}"
		want="^shmtool: $cmd: $t: no such segment$" ;;
	sysv)
		must "$SHMHELPER" sysv-rm "id:$t"
		want="^shmtool: $cmd: $t: no such segment" ;;
	esac
	case $cmd in
	read) run read "$t" ;;
	write) run write "$t" --data x ;;
	stat) run_scan stat "$t" ;;
	rm) run rm "$t" ;;
	esac
	expect_no_signal
	expect_rc 1
	expect_out_empty
	expect_err_line "$want"
	expect_none_created
	[ "$kind" = posix ] && expect_posix_absent "$t"
	return 0
}

# nth_call SYSCALL MATCH ARGS...: in a dry run of shmtool ARGS, the ordinal
# of the first SYSCALL whose strace line contains MATCH.
nth_call() {
	local sc=$1 match=$2 k
	shift 2
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -qq -o "$E2E_TMP/dry.log" -e trace="$sc" "$SHMTOOL" "$@" \
		</dev/null >/dev/null 2>&1
	k=$(grep "^$sc(" "$E2E_TMP/dry.log" | grep -n -F -- "$match" |
		head -n 1 | cut -d: -f1)
	[ -n "$k" ] || fail "setup: no $sc call with $match in shmtool $*"
	echo "$k"
}

# held SYSCALL WHEN MATCH ARGS...: start shmtool ARGS under strace with the
# WHEN-th SYSCALL held on entry for 0.8 s; return once it is held (the lookup
# is done, the use not yet).  held_wait then sets RC, $OUT, $ERR.
held() {
	local sc=$1 when=$2 match=$3 i line
	shift 3
	: >"$E2E_TMP/held.log"
	(
		# (LeakSanitizer cannot stop the world of a traced process.)
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		E2E_TIMEOUT=15 e2e_exec strace -qq -o "$E2E_TMP/held.log" \
			-e trace="$sc" -e inject="$sc:delay_enter=800000:when=$when" \
			"$SHMTOOL" "$@" </dev/null >"$OUT" 2>"$ERR"
		echo $? >"$E2E_TMP/held.rc"
	) &
	HELD_PID=$!
	for i in $(seq 1 100); do
		line=$(grep "^$sc(" "$E2E_TMP/held.log" | sed -n "${when}p")
		[ -n "$line" ] && break
		sleep 0.05
	done
	[ -n "$line" ] || fail "setup: shmtool never reached $sc #$when"
	case $line in
	*"$match"*) ;;
	*) fail "setup: held the wrong call: $line" ;;
	esac
}

held_wait() {
	wait "$HELD_PID"
	RC=$(cat "$E2E_TMP/held.rc")
}

t_sysv_removed_before_attach() {
	local cmd=$1 id
	strace_ok || skip "strace is missing or cannot trace here"
	id=$(mk_sysv 4K) || exit 1
	case $cmd in
	read) held shmat 1 "shmat($id," read "$id" ;;
	write) held shmat 1 "shmat($id," write "$id" --data hello ;;
	esac
	must "$SHMHELPER" sysv-rm "id:$id"
	held_wait
	expect_no_signal
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: $cmd: $id: .*(no such segment|removed)"
}

# posix_swapped CMD HOW: between lookup and open, the segment is removed
# (gone) or replaced by another file, a symlink to a file outside the shm
# directory, or a FIFO.
t_posix_swapped() {
	local cmd=$1 how=$2 t p args k
	strace_ok || skip "strace is missing or cannot trace here"
	t=$(mk_posix 4K) || exit 1
	p=$SHMDIR/${t#/}
	printf 'outside, must stay' >"$E2E_TMP/outside"
	cp "$E2E_TMP/outside" "$E2E_TMP/outside.orig"
	case $cmd in
	read) args=(read "$t") ;;
	write) args=(write "$t" --data CHANGED) ;;
	esac
	k=$(nth_call openat "\"${t#/}\", " "${args[@]}") || exit 1
	held openat "$k" "\"${t#/}\", " "${args[@]}"
	rm -f -- "$p"
	case $how in
	gone) ;;
	replaced) printf 'new file' >"$p"; cp "$p" "$E2E_TMP/new.orig" ;;
	symlink) ln -s -- "$E2E_TMP/outside" "$p" ;;
	fifo) mkfifo -- "$p" ;;
	esac
	held_wait
	expect_no_signal
	expect_rc 1
	expect_out_empty
	case $how in
	gone) expect_err_line "^shmtool: $cmd: $t: no such segment$"
		expect_posix_absent "$t" ;;
	replaced) expect_err_line "^shmtool: $cmd: $t: .*replaced"
		counted
		cmp -s "$p" "$E2E_TMP/new.orig" || fail "the file that took the name was changed" ;;
	symlink|fifo) expect_err_line "^shmtool: $cmd: $t: not a shared memory segment" ;;
	esac
	counted
	cmp -s "$E2E_TMP/outside" "$E2E_TMP/outside.orig" ||
		fail "the file outside the shm directory was changed"
	rm -f -- "$p"
}

# rm: the name is swapped for a symlink right before the unlink.
t_rm_swapped_symlink() {
	local t p
	strace_ok || skip "strace is missing or cannot trace here"
	t=$(mk_posix 4K) || exit 1
	p=$SHMDIR/${t#/}
	printf 'outside, must stay' >"$E2E_TMP/outside"
	held unlinkat 1 "\"${t#/}\"" rm "$t"
	rm -f -- "$p"
	ln -s -- "$E2E_TMP/outside" "$p"
	held_wait
	expect_no_signal
	expect_rc 0 1
	counted
	[ "$(cat "$E2E_TMP/outside" 2>/dev/null)" = "outside, must stay" ] ||
		fail "rm unlinked or changed the symlink's target"
	rm -f -- "$p"
}

# ------------------------------------------------------- standard output

# The many small segments out_setup makes for ls (the end of this file
# removes them too, should a case fail).
rm_many() { rm -f -- "$SHMDIR/$E2E_PREFIX"-many-*; }

# out_setup CMD: segments and a holder for the stdout cases; sets ARGS.
out_setup() {
	local t id i
	t=$(mk_posix 1M) || exit 1
	id=$(mk_sysv 1M) || exit 1
	# Printable bytes first, so --string has something to write.
	{ head -c 4096 /dev/zero | tr '\0' 's'; head -c $((1048576 - 4096)) /dev/urandom; } >"$E2E_TMP/base"
	seg_fill "$t" "$E2E_TMP/base"
	seg_fill "$id" "$E2E_TMP/base"
	case $1 in
	maps*|stat*) hold posix-map "$t"; hold sysv "$id" ;;
	esac
	SEG_P=$t SEG_S=$id
	case $1 in
	read-posix) ARGS=(read "$t") ;;
	read-posix-hex) ARGS=(read "$t" --hex) ;;
	read-posix-string) ARGS=(read "$t" --string) ;;
	read-sysv) ARGS=(read "$id") ;;
	read-sysv-hex) ARGS=(read "$id" --hex) ;;
	read-sysv-string) ARGS=(read "$id" --string) ;;
	ls|ls-J)
		# Over 64 KiB of output, so a closed pipe is really met.
		for i in $(seq 1 800); do
			: >"$SHMDIR/$E2E_PREFIX-many-$i"
		done
		ARGS=(ls)
		[ "$1" = ls-J ] && ARGS=(ls -J) ;;
	maps) ARGS=(maps) ;;
	maps-J) ARGS=(maps -J) ;;
	stat) ARGS=(stat "$t") ;;
	stat-J) ARGS=(stat -J "$id") ;;
	esac
}

t_out_full() {
	out_setup "$1"
	st "${ARGS[@]}" </dev/null >/dev/full 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: ${ARGS[0]}: .*No space left on device$"
	rm_many
}

t_out_closed() {
	out_setup "$1"
	seg_remember "$SEG_P"
	seg_remember "$SEG_S"
	st "${ARGS[@]}" </dev/null >&- 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: ${ARGS[0]}: "
	# Nothing went into a segment through a descriptor 1 it opened itself.
	expect_seg_unchanged "$SEG_P"
	expect_seg_unchanged "$SEG_S"
	rm_many
}

t_out_pipe() {
	local ignore=$1
	out_setup "$2"
	if [ "$ignore" = ignored ]; then
		(
			trap '' PIPE
			st "${ARGS[@]}" </dev/null 2>"$ERR" | head -c 1 >"$OUT"
			exit "${PIPESTATUS[0]}"
		)
		RC=$?
	else
		st "${ARGS[@]}" </dev/null 2>"$ERR" | head -c 1 >"$OUT"
		RC=${PIPESTATUS[0]}
	fi
	drop_scan_notes
	expect_no_signal pipe
	if [ "$ignore" = ignored ]; then
		expect_rc 0
	else
		expect_rc 0 141
	fi
	expect_err_empty
	expect_eq "$(stat -c %s "$OUT")" 1 "bytes through head -c1"
	rm_many
}

# stdin closed: write reads nothing it opened itself as fd 0.
t_stdin_closed() {
	local kind=$1 t
	t=$(mk_seg "$kind" 4K) || exit 1
	head -c 4096 /dev/urandom >"$E2E_TMP/base"
	seg_fill "$t" "$E2E_TMP/base"
	seg_remember "$t"
	st write "$t" <&- >"$OUT" 2>"$ERR"
	RC=$?
	expect_no_signal
	expect_rc 1
	expect_err_line "^shmtool: write: "
	expect_seg_unchanged "$t"
}

# Standard error closed: the message about input left over has nowhere to
# go, and must not land in the segment (whose file would otherwise take
# descriptor 2).  Exactly the first 4096 bytes of the input are there.
t_stderr_closed() {
	local kind=$1 t
	t=$(mk_seg "$kind" 4K) || exit 1
	head -c 5000 /dev/urandom >"$E2E_TMP/in"
	head -c 4096 "$E2E_TMP/in" >"$E2E_TMP/want"
	cat "$E2E_TMP/in" | st write "$t" >"$OUT" 2>&-
	RC=${PIPESTATUS[1]}
	expect_no_signal
	expect_rc 1
	expect_out_empty
	counted
	seg_dump "$t" "$E2E_TMP/now"
	cmp -s "$E2E_TMP/want" "$E2E_TMP/now" ||
		fail "segment is not the input's first 4096 bytes: $(cmp "$E2E_TMP/want" "$E2E_TMP/now" 2>&1 | head -n 1)"
}

# ------------------------------------------------- signals during transfers

# watchdog PID SECS: SIGKILL PID if it still runs after SECS; ends as soon
# as PID is gone (short sleeps: nothing outlives the case for long).
watchdog() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		sleep 0.1
		kill -0 "$1" 2>/dev/null || exit 0
	done
	kill -KILL "$1" 2>/dev/null
}

# pestered_read DIR TARGET SIZE SEED: shmtool read TARGET (SHMTOOL_SHM_DIR=DIR)
# into a slow reader and cmp against the generator while shmstress pester stops, continues
# and signals it; sets RC, $ERR, and SIGNALS.
pestered_read() {
	local d=$1 t=$2 size=$3 seed=$4 tp wd pp
	mkfifo "$E2E_TMP/fifo"
	# A reader at about SIZE/1.5 s: the transfer lasts long enough to be
	# pestered, wherever it runs.
	(
		"$SHMSTRESS" slowcat $((size * 2 / 3)) <"$E2E_TMP/fifo" |
			cmp - <("$SHMSTRESS" gen "$seed" "$size") >"$E2E_TMP/cmp.out" 2>&1
		echo "${PIPESTATUS[1]}" >"$E2E_TMP/cmp.rc"
	) &
	local cp=$!
	SHMTOOL_SHM_DIR=$d "$SHMTOOL" read "$t" </dev/null >"$E2E_TMP/fifo" 2>"$ERR" &
	tp=$!
	reg_pid "$tp"
	watchdog "$tp" 40 &
	wd=$!
	reg_pid "$wd"
	"$SHMSTRESS" pester "$tp" 30 >"$E2E_TMP/pester" &
	pp=$!
	wait "$tp"
	RC=$?
	kill "$wd" 2>/dev/null
	wait "$pp"
	wait "$cp"
	SIGNALS=$(tr -dc 0-9 <"$E2E_TMP/pester")
}

t_signals_read_sysv() {
	local id size=1073741824
	need_stress
	id=$(mk_sysv $size) || exit 1
	"$SHMSTRESS" gen 21 $size | "$SHMHELPER" sysv-load "id:$id" ||
		fail "setup: cannot fill the segment"
	pestered_read "$SHMDIR" "$id" $size 21
	expect_no_signal
	expect_rc 0
	expect_err_empty
	counted
	[ "$(cat "$E2E_TMP/cmp.rc")" = 0 ] ||
		fail "output differs from the segment: $(head -c 200 "$E2E_TMP/cmp.out")"
	counted
	[ "${SIGNALS:-0}" -ge 100 ] || fail "only ${SIGNALS:-0} signals were sent"
}

t_signals_read_posix() {
	local d n size=268435456
	need_stress
	d=$(big_dir $size) || exit 1
	n=$(new_posix) || exit 1
	run_dir "$d" create "$n" $size
	expect_rc 0
	"$SHMSTRESS" gen 22 $size 1<>"$d/${n#/}" || fail "setup: fill"
	pestered_read "$d" "$n" $size 22
	expect_no_signal
	expect_rc 0
	expect_err_empty
	counted
	[ "$(cat "$E2E_TMP/cmp.rc")" = 0 ] ||
		fail "output differs from the segment: $(head -c 200 "$E2E_TMP/cmp.out")"
	counted
	[ "${SIGNALS:-0}" -ge 100 ] || fail "only ${SIGNALS:-0} signals were sent"
	isolated && unmount "$d"
	return 0
}

# A long write from a pipe while the tool is stopped, continued, signalled.
t_signals_write() {
	local kind=$1 d n size=268435456 tp wd pp
	need_stress
	case $kind in
	sysv) d=$SHMDIR; n=$(mk_sysv $size) || exit 1 ;;
	posix)
		d=$(big_dir $size) || exit 1
			n=$(new_posix) || exit 1
		run_dir "$d" create "$n" $size
		expect_rc 0 ;;
	esac
	"$SHMSTRESS" gen 23 $size | "$SHMSTRESS" slowcat $((size * 2 / 3)) |
		SHMTOOL_SHM_DIR=$d "$SHMTOOL" write "$n" >"$OUT" 2>"$ERR" &
	tp=$!
	reg_pid "$tp"
	watchdog "$tp" 40 &
	wd=$!
	reg_pid "$wd"
	"$SHMSTRESS" pester "$tp" 30 >"$E2E_TMP/pester" &
	pp=$!
	wait "$tp"
	RC=$?
	kill "$wd" 2>/dev/null
	wait "$pp"
	SIGNALS=$(tr -dc 0-9 <"$E2E_TMP/pester")
	expect_no_signal
	expect_rc 0
	expect_err_empty
	counted
	case $kind in
	sysv) "$SHMHELPER" sysv-dump "id:$n" ;;
	posix) cat -- "$d/${n#/}" ;;
	esac | cmp -s - <("$SHMSTRESS" gen 23 $size) ||
		fail "the segment does not hold the bytes written"
	counted
	[ "${SIGNALS:-0}" -ge 100 ] || fail "only ${SIGNALS:-0} signals were sent"
	[ "$kind" = posix ] && isolated && unmount "$d"
	return 0
}

# A SysV id reused between the lookup and shmat (the segment removed and
# another made with the same id through shm_next_id, which the root of any
# user-namespace container may write): the 4 KiB segment attached is not
# the 16 KiB one looked up.  Refused; no byte of shmtool's own memory
# reaches stdout, nothing is written past the new segment's end.
t_sysv_id_reused() {
	local cmd=$1 id id2 rmpid
	isolated || skip "needs the private namespace (shm_next_id)"
	strace_ok || skip "strace cannot trace here"
	[ -w /proc/sys/kernel/shm_next_id ] || skip "cannot write shm_next_id"
	id=$(mk_sysv 16K) || exit 1
	head -c 16384 /dev/urandom >"$E2E_TMP/in16k"
	case $cmd in
	write) set -- write "$id" --file "$E2E_TMP/in16k" ;;
	hex) set -- read --hex "$id" ;;
	*) set -- read "$id" ;;
	esac
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -o /dev/null -e trace=shmat \
		-e inject=shmat:delay_enter=1000000:when=1 \
		"$SHMTOOL" "$@" >"$OUT" 2>"$ERR" </dev/null &
	rmpid=$!
	reg_pid "$rmpid"
	sleep 0.4
	"$SHMHELPER" sysv-rm "id:$id" >/dev/null || fail "setup: remove $id"
	echo "$id" >/proc/sys/kernel/shm_next_id
	id2=$(mk_sysv 4K) || exit 1
	expect_eq "$id2" "$id" "the new segment's id"
	wait "$rmpid"
	RC=$?
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: (read|write): $id: the segment was replaced while in use$"
	expect_eq "$(sysv_field "$id" 4)" 4096 "the new segment's size"
}

tcase "full tmpfs: write --file: ENOSPC, exit 1, bytes reported are there" t_full_write file
tcase "full tmpfs: write from a pipe: ENOSPC, exit 1, bytes reported are there" t_full_write pipe
tcase "full tmpfs: write into a hole: ENOSPC, never SIGBUS" t_full_hole
tcase "full tmpfs: create --from: ENOSPC, nothing left behind" t_full_create_from
tcase "POSIX truncated during read: 'shrank', exit 1" t_truncated_during_read ""
tcase "POSIX truncated during read --hex: 'shrank', exit 1" t_truncated_during_read --hex
tcase "POSIX truncated during read --string: 'shrank', exit 1" t_truncated_during_read --string
tcase "POSIX unlinked during read: all bytes, exit 0" t_removed_during_read posix
tcase "SysV removed during read: all bytes, exit 0" t_removed_during_read sysv
tcase "SysV removed during read through the mapping: all bytes, exit 0" via_mapping t_removed_during_read sysv
for kind in posix sysv; do
	for cmd in read write stat rm; do
		tcase "$kind removed before $cmd: one line, exit 1" t_stale "$kind" "$cmd"
	done
done
tcase "SysV removed between lookup and attach: read" t_sysv_removed_before_attach read
tcase "SysV removed between lookup and attach: write" t_sysv_removed_before_attach write
for cmd in read write; do
	for how in gone replaced symlink fifo; do
		tcase "POSIX $how between lookup and open: $cmd fails cleanly" t_posix_swapped "$cmd" "$how"
	done
done
tcase "POSIX swapped for a symlink before unlink: rm never unlinks through" t_rm_swapped_symlink
for c in read-posix read-posix-hex read-posix-string read-sysv read-sysv-hex \
	read-sysv-string ls ls-J maps maps-J stat stat-J; do
	tcase "$c > /dev/full: exit 1, one message" t_out_full "$c"
	tcase "$c >&-: exit 1, one message" t_out_closed "$c"
	tcase "$c | head -c1: quiet" t_out_pipe default "$c"
	tcase "$c | head -c1, SIGPIPE ignored: quiet, exit 0" t_out_pipe ignored "$c"
done
tcase "POSIX write with stdin closed: exit 1, unchanged" t_stdin_closed posix
tcase "SysV write with stdin closed: exit 1, unchanged" t_stdin_closed sysv
tcase "SysV through the mapping, stdin closed: exit 1, unchanged" via_mapping t_stdin_closed sysv
for kind in posix sysv; do
	tcase "$kind write with stderr closed: no message lands in the segment" t_stderr_closed "$kind"
done
tcase "signals during a 1 GiB SysV read: byte-exact, exit 0" t_signals_read_sysv
tcase "signals during a 1 GiB SysV read through the mapping: byte-exact, exit 0" via_mapping t_signals_read_sysv
tcase "signals during a 256 MiB POSIX read: byte-exact, exit 0" t_signals_read_posix
tcase "signals during a 256 MiB SysV write from a pipe: exact, exit 0" t_signals_write sysv
tcase "signals during a 256 MiB SysV write through the mapping: exact, exit 0" via_mapping t_signals_write sysv
tcase "signals during a 256 MiB POSIX write from a pipe: exact, exit 0" t_signals_write posix
# Out of file descriptors (nofile 4..9: the loader needs 3): every command
# either works or says "Too many open files" -- never another errno (it
# once said "Bad file descriptor"), never a signal.
t_emfile() {
	local n p id c wrong=0
	p=$(mk_posix 4K) || exit 1
	id=$(mk_sysv 4K) || exit 1
	: >"$E2E_TMP/wrong"
	for n in 4 5 6 7 8 9; do
		for c in "ls" "ls -J" "ls --summary" "stat $p" "stat $id" "read $p" \
			"read $id" "read --hex $id" "write $p --data x" "maps $$" \
			"create --posix $p-new 4K" "rm --unused --dry-run --force"; do
			# shellcheck disable=SC2086
			prlimit --nofile=$n "$SHMTOOL" $c </dev/null >/dev/null 2>"$ERR"
			RC=$?
			rm -f "$SHMDIR/${p#/}-new"
			if [ "$RC" -gt 2 ]; then
				echo "nofile $n $c: exit $RC" >>"$E2E_TMP/wrong"
			elif [ "$RC" != 0 ] && ! grep -q 'Too many open files' "$ERR"; then
				echo "nofile $n $c: $(err1)" >>"$E2E_TMP/wrong"
			fi
		done
	done
	wrong=$(wc -l <"$E2E_TMP/wrong")
	expect_eq "$wrong" 0 "wrong outcomes: $(head -c 300 "$E2E_TMP/wrong")"
}

tcase "out of file descriptors: 'Too many open files' from every command" t_emfile
tcase "SysV id reused between lookup and shmat: read refused" t_sysv_id_reused read
tcase "SysV id reused between lookup and shmat: read --hex refused" t_sysv_id_reused hex
tcase "SysV id reused between lookup and shmat: write refused" t_sysv_id_reused write
# What failed cases left: mounts and the many small segments (ours only).
for m in "$E2E_TMP"/mnt-*; do
	[ -d "$m" ] && unmount "$m"
done
rm_many
e2e_done
