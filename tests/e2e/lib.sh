# SPDX-License-Identifier: MIT
# lib.sh - helpers for shmtool's end-to-end tests (sourced by tests/e2e/t_*.sh).
#
# A test file defines one function per case and runs it with
#	tcase "what it checks" function_name
# then ends with e2e_done.  Each case runs in a subshell; the expect_* asserts
# stop it at the first failure and record why.  Everything a case creates is
# registered in a cleanup list and removed after the case (and on exit, even
# on failure):
#   - POSIX names come from new_posix (unique prefix, registered at once);
#   - SysV segments are registered by shmid when st/hp created them (found
#     in /proc/sysvipc/shm by creator PID), so only segments the tests
#     created are ever removed;
#   - background processes through reg_pid.
#
# Modes: SHMTOOL_E2E_MODE=isolated (run.sh inside a private IPC/mount/PID
# namespace with its own tmpfs on /dev/shm: every segment is ours) or
# "names" (shared machine: unique names, never assume the tables are empty).

set -u

: "${SHMTOOL:=$PWD/shmtool}"
: "${SHMHELPER:=$PWD/tests/e2e/shmhelper}"
: "${SHMTOOL_E2E_MODE:=names}"
: "${E2E_TIMEOUT:=30}"
# The tool must see the real shm directory and /proc, whatever the caller set.
unset SHMTOOL_SHM_DIR SHMTOOL_PROC_ROOT
export LC_ALL=C

# What shmtool prints for these bytes in the C locale (the one escaper,
# text.c): printable ASCII but the backslash as is, every other byte
# \xHH.  Written apart from the code, so a test can catch it.
shm_escape() {
	LC_ALL=C od -An -v -tx1 | tr -s ' \n' '  ' | {
		read -r -a hex || true
		local h
		for h in "${hex[@]}"; do
			case $h in
			2[0-9a-f]|[3-6][0-9a-f]|7[0-9a-e])
				[ "$h" = 5c ] && { printf '\\x5c'; continue; }
				printf "\\x$h" ;;
			*) printf '\\x%s' "$h" ;;
			esac
		done
	}
}

SHMDIR=/dev/shm
SYSVIPC=/proc/sysvipc/shm
E2E_FILE=$(basename "$0" .sh)
E2E_PREFIX=shmtool-test-$$
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-e2e.XXXXXX") || exit 1
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
RC=
: >"$E2E_TMP/cleanup"
echo 0 >"$E2E_TMP/counter"

isolated() { [ "$SHMTOOL_E2E_MODE" = isolated ]; }

# ---------------------------------------------------------------- cleanup

reg_pid() { echo "pid $1" >>"$E2E_TMP/cleanup"; }
# reg_undo CMD...: a command that puts back what a case changed (a mount
# option, say), run after the case even when it fails.  CMD and its words
# as for exec (no shell syntax: use sh -c "..." for that).
# Each word is shell-quoted (%q), so that a word with a newline still
# makes one line of the list.
reg_undo() {
	local q
	q=$(printf '%q ' "$@")
	printf 'undo %s\n' "$q" >>"$E2E_TMP/cleanup"
}
reg_sysv_id() { echo "sysvid $1" >>"$E2E_TMP/cleanup"; }
# Names are bytes (even newlines): kept shell-quoted, one per line.
reg_posix() { printf 'posix %q\n' "${1#/}" >>"$E2E_TMP/cleanup"; }

e2e_cleanup() {
	local list=$E2E_TMP/cleanup kind arg
	[ -s "$list" ] || return 0
	while read -r kind arg; do
		[ "$kind" = pid ] && kill -KILL "$arg" 2>/dev/null
	done <"$list"
	while read -r kind arg; do
		case $kind in
		undo)
			# A change that cannot be put back poisons the cases
			# after it: say so where the run's log shows it.
			eval "$arg" >/dev/null 2>&1 ||
				echo "# cleanup: could not undo: $arg" >&2 ;;
		pg)
			# Clusters a case started (tests/e2e/pg.sh).
			declare -F pg_cleanup >/dev/null && pg_cleanup ;;
		posix)
			eval "arg=$arg"
			# Only names this run generated.
			case $arg in
			"$E2E_PREFIX"*|sem."$E2E_PREFIX"*)
				rm -rf -- "${SHMDIR:?}/$arg" ;;
			esac ;;
		sysvid)
			"$SHMHELPER" sysv-rm "id:$arg" >/dev/null 2>&1 ;;
		esac
	done <"$list"
	# Once the segments are gone: the huge page pool a case grew
	# (host-wide, not namespaced) shrinks by what the case added, so
	# that a change someone else made meanwhile stays.
	while read -r kind arg; do
		[ "$kind" = hugepages ] || continue
		local now
		now=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null) || continue
		[ "$now" -ge "$arg" ] || arg=$now
		echo $((now - arg)) >/proc/sys/vm/nr_hugepages 2>/dev/null
	done <"$list"
	: >"$list"
}

# Interrupted: stop the running case and the commands it started, register
# the SysV segments they created (creator PID ours, made after we started),
# then exit through the EXIT trap, which removes everything registered.
e2e_abort() {
	local pid key id perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rest
	trap - HUP INT TERM
	[ -n "${E2E_CASE_PID:-}" ] && kill -TERM "$E2E_CASE_PID" 2>/dev/null
	if [ -s "$E2E_TMP/running" ]; then
		while read -r pid; do
			kill -KILL "$pid" 2>/dev/null
		done <"$E2E_TMP/running"
		sleep 0.2
		[ -r "$SYSVIPC" ] &&
		while read -r key id perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rest; do
			[ "$key" = key ] && continue
			[ "$ctime" -ge "$E2E_START" ] || continue
			grep -qx -- "$cpid" "$E2E_TMP/running" && reg_sysv_id "$id"
		done <"$SYSVIPC"
	fi
	exit "$1"
}

E2E_START=$(date +%s)
E2E_CASE_PID=
trap 'e2e_cleanup; rm -rf -- "$E2E_TMP"' EXIT
trap 'e2e_abort 129' HUP
trap 'e2e_abort 130' INT
trap 'e2e_abort 143' TERM

# ---------------------------------------------------------------- running

# SysV shmids currently in the table, as " id id ... ".
sysv_ids() {
	local key id rest ids=" "
	[ -r "$SYSVIPC" ] || { echo " "; return; }
	while read -r key id rest; do
		[ "$key" = key ] && continue
		ids+="$id "
	done <"$SYSVIPC"
	echo "$ids"
}

# e2e_exec CMD ARGS...: run CMD with the caller's stdin/stdout/stderr and a
# timeout; return its status (128+N if killed by signal N, 124 on timeout).
# SysV segments it created (new shmid whose cpid is its PID) are registered
# for cleanup and listed in $E2E_TMP/created.
e2e_exec() {
	local before tp rc pid id cpid
	before=$(sysv_ids)
	: >"$E2E_TMP/created"
	: >"$E2E_TMP/exec.pid"
	# timeout(1) rather than `wait -n` on a sleep: bash 5.2 drops a child
	# that exits before the next background job starts from its job
	# table, and `wait -n` then waited the full timeout.  The command's
	# own PID (it execs from sh) is noted for the SysV registration.
	timeout -k 2 "$E2E_TIMEOUT" sh -c \
		'echo $$ >"$0"; echo $$ >>"$1"; shift; exec "$@"' \
		"$E2E_TMP/exec.pid" "$E2E_TMP/running" "$@" <&0 &
	tp=$!
	echo "$tp" >>"$E2E_TMP/running"
	wait "$tp"
	rc=$?
	[ "$rc" = 124 ] &&
		echo "timed out after ${E2E_TIMEOUT}s: ${*##*/}" >>"$E2E_TMP/timeouts"
	pid=$(cat "$E2E_TMP/exec.pid" 2>/dev/null)
	if [ -n "$pid" ] && [ -r "$SYSVIPC" ]; then
		while read -r _ id _ _ cpid _; do
			[ "$cpid" = "$pid" ] || continue
			case $before in *" $id "*) continue ;; esac
			reg_sysv_id "$id"
			echo "$id" >>"$E2E_TMP/created"
		done <"$SYSVIPC"
	fi
	return "$rc"
}

# st ARGS...: shmtool; hp ARGS...: the helper.  Plain streams, status returned.
st() { e2e_exec "$SHMTOOL" "$@"; }
hp() { e2e_exec "$SHMHELPER" "$@"; }

# On a shared machine some processes (e.g. a PID 1 owned by an outer user
# namespace) cannot be inspected, and the scanner rightly says so on stderr
# (ARCHITECTURE.md, Verdicts).  Outside the private namespace, drop_scan_notes drops those
# notes from $ERR; run_scan is run followed by it (for ls and stat, whose
# scan is not what the case checks).
drop_scan_notes() {
	isolated && return 0
	grep -Ev '^shmtool: [a-z]+: [0-9]+ process(es)? could not be inspected' \
		"$ERR" >"$ERR.kept"
	mv -f "$ERR.kept" "$ERR"
}

# run ARGS...: shmtool with stdin from /dev/null; sets RC, $OUT, $ERR.
run() { st "$@" </dev/null >"$OUT" 2>"$ERR"; RC=$?; }
run_scan() { run "$@"; drop_scan_notes; }
# run_in FILE ARGS...: stdin redirected from FILE.
run_in() { local f=$1; shift; st "$@" <"$f" >"$OUT" 2>"$ERR"; RC=$?; }
# run_piped FILE ARGS...: stdin is a pipe carrying FILE's bytes.
run_piped() {
	local f=$1; shift
	cat -- "$f" | st "$@" >"$OUT" 2>"$ERR"
	RC=${PIPESTATUS[1]}
}

# must CMD...: a setup step that has to work (not the thing under test).
must() {
	"$@" >"$E2E_TMP/must.out" 2>&1 ||
		fail "setup step failed: $*: $(head -c 300 "$E2E_TMP/must.out")"
}

# -------------------------------------------------------------- test cases

E2E_NPASS=0 E2E_NFAIL=0 E2E_NSKIP=0

fail() {
	printf '%s\n' "$*" >"$E2E_TMP/reason"
	exit 1
}

skip() {
	printf '%s\n' "$*" >"$E2E_TMP/reason"
	exit 77
}

counted() { echo x >>"$E2E_TMP/nassert"; }

# tcase NAME FUNCTION [ARGS...]
tcase() {
	local name=$1 status reason
	shift
	: >"$E2E_TMP/reason"
	: >"$E2E_TMP/nassert"
	rm -f "$E2E_TMP/timeouts"
	: >"$E2E_TMP/running"
	# In the background so that a signal reaches e2e_abort at once (note:
	# without job control, bash starts it with SIGINT/SIGQUIT ignored, and
	# what it runs inherits that).
	("$@") </dev/null >"$E2E_TMP/case.log" 2>&1 &
	E2E_CASE_PID=$!
	wait "$E2E_CASE_PID"
	status=$?
	E2E_CASE_PID=
	e2e_cleanup
	reason=$(head -c 1000 "$E2E_TMP/reason")
	if [ -s "$E2E_TMP/timeouts" ]; then
		status=1
		reason="$(head -n 1 "$E2E_TMP/timeouts")${reason:+; }$reason"
	fi
	if [ "$status" -eq 0 ] && [ ! -s "$E2E_TMP/nassert" ]; then
		status=1
		reason="the case made no assertion"
	fi
	case $status in
	0)
		E2E_NPASS=$((E2E_NPASS + 1))
		printf 'ok - %s: %s\n' "$E2E_FILE" "$name" ;;
	77)
		E2E_NSKIP=$((E2E_NSKIP + 1))
		printf 'skip - %s: %s (%s)\n' "$E2E_FILE" "$name" "$reason" ;;
	*)
		[ -n "$reason" ] ||
			reason="exited $status: $(tail -n 3 "$E2E_TMP/case.log" | tr '\n' ' ')"
		E2E_NFAIL=$((E2E_NFAIL + 1))
		printf 'FAIL - %s: %s: %s\n' "$E2E_FILE" "$name" "$reason" ;;
	esac
}

e2e_done() {
	echo "# $E2E_FILE: $E2E_NPASS passed, $E2E_NFAIL failed, $E2E_NSKIP skipped"
	[ "$E2E_NFAIL" -eq 0 ]
}

# ---------------------------------------------------------------- asserts

# What the last run printed on stderr, for failure messages.
err1() { head -n 2 "$ERR" | head -c 300 | tr '\n' '|'; }

expect_rc() {
	counted
	local want
	for want in "$@"; do
		[ "$RC" = "$want" ] && return 0
	done
	fail "exit status $RC, expected $*; stderr: $(err1)"
}

expect_out() {
	counted
	printf '%s\n' "$1" | cmp -s - "$OUT" ||
		fail "stdout is '$(head -c 200 "$OUT")', expected '$1' and a newline"
}

expect_out_file() {
	counted
	cmp -s -- "$1" "$OUT" ||
		fail "stdout differs from ${2:-$1}: $(cmp -- "$1" "$OUT" 2>&1 | head -n 1)"
}

expect_out_empty() {
	counted
	[ ! -s "$OUT" ] || fail "stdout not empty: '$(head -c 200 "$OUT")'"
}

expect_out_nonempty() {
	counted
	[ -s "$OUT" ] || fail "stdout is empty"
}

expect_err_empty() {
	counted
	[ ! -s "$ERR" ] || fail "stderr not empty: '$(err1)'"
}

expect_err_nonempty() {
	counted
	[ -s "$ERR" ] || fail "stderr is empty"
}

# expect_err_line ERE: stderr is exactly one newline-terminated line matching ERE.
expect_err_line() {
	counted
	local lines
	mapfile -t lines <"$ERR"
	[ "${#lines[@]}" -eq 1 ] ||
		fail "stderr has ${#lines[@]} lines, expected 1: '$(err1)'"
	[ "$(tail -c 1 "$ERR" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "stderr does not end with a newline"
	[[ ${lines[0]} =~ $1 ]] ||
		fail "stderr '${lines[0]}' does not match /$1/"
}

# expect_err_is STRING: stderr is exactly STRING and a newline.
expect_err_is() {
	counted
	printf '%s\n' "$1" | cmp -s - "$ERR" ||
		fail "stderr is '$(err1)', expected '$1'"
}

expect_eq() {
	counted
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

# expect_jq FILTER [FILE]: FILE (default stdout) holds one JSON value, and
# FILTER on it gives at least one result, all true.
expect_jq() {
	counted
	jq -e -s "length == 1 and ([.[0] | $1] | length > 0 and all)" \
		"${2:-$OUT}" >/dev/null 2>"$E2E_TMP/jq.err" ||
		fail "jq '$1' not true on $(head -c 300 "${2:-$OUT}" | tr '\n' ' ')$(head -c 200 "$E2E_TMP/jq.err")"
}

# expect_json [FILE]: one valid JSON object.
expect_json() {
	counted
	jq -e -s 'length == 1 and (.[0] | type == "object")' "${1:-$OUT}" \
		>/dev/null 2>&1 ||
		fail "not a JSON object: $(head -c 300 "${1:-$OUT}")"
}

# The usage-error shape: exit 2, one "shmtool: CMD: ..." line, empty stdout.
expect_usage_error() {
	expect_rc 2
	expect_out_empty
	expect_err_line "^shmtool: $1: "
}

# ---------------------------------------------------------------- segments

new_counter() {
	local n
	n=$(($(cat "$E2E_TMP/counter") + 1))
	echo "$n" >"$E2E_TMP/counter"
	echo "$n"
}

# new_posix: a fresh unique POSIX name ("/shmtool-test-PID-N"), registered
# for cleanup.
new_posix() {
	local name
	name=$E2E_PREFIX-$(new_counter)
	reg_posix "$name"
	echo "/$name"
}

# new_key: a SysV key (0x%08x) that no segment uses now.
new_key() {
	local k i
	for i in $(seq 1 100); do
		k=$(((SRANDOM % 0x6fffffff) + 0x10000000))
		sysv_key_exists "$k" || { printf '0x%08x\n' "$k"; return 0; }
	done
	fail "cannot find an unused SysV key"
}

# sysv_key_exists KEY (any form the shell does arithmetic on)
sysv_key_exists() {
	local want=$(($1 & 0xffffffff)) key rest
	[ -r "$SYSVIPC" ] || return 1
	while read -r key rest; do
		[ "$key" = key ] && continue
		[ $((key & 0xffffffff)) = "$want" ] && return 0
	done <"$SYSVIPC"
	return 1
}

# sysv_field ID N: column N (1-based) of the segment's /proc/sysvipc/shm line;
# fails the case if the id is not there.
sysv_field() {
	local line a
	line=$(sysv_line "$1") || fail "shmid $1 not in $SYSVIPC"
	read -r -a a <<<"$line"
	echo "${a[$(($2 - 1))]}"
}

sysv_line() {
	local key id rest
	while read -r key id rest; do
		[ "$id" = "$1" ] && { echo "$key $id $rest"; return 0; }
	done <"$SYSVIPC"
	return 1
}

sysv_present() { sysv_line "$1" >/dev/null; }

expect_sysv_present() {
	counted
	sysv_present "$1" || fail "shmid $1 is not in $SYSVIPC"
}

expect_sysv_absent() {
	counted
	! sysv_present "$1" || fail "shmid $1 is still in $SYSVIPC"
}

expect_posix_present() {
	counted
	[ -f "$SHMDIR/${1#/}" ] || fail "$SHMDIR/${1#/} does not exist"
}

expect_posix_absent() {
	counted
	[ ! -e "$SHMDIR/${1#/}" ] || fail "$SHMDIR/${1#/} exists"
}

# expect_none_created: the last st/hp call created no SysV segment.
expect_none_created() {
	counted
	[ ! -s "$E2E_TMP/created" ] ||
		fail "a SysV segment was created: shmid $(head -n 1 "$E2E_TMP/created")"
}

# The segments a test may see: all of them when isolated, else only ours
# (POSIX names with our prefix, SysV segments of our uid).
snapshot() {
	local uid key id perms size cpid lpid nattch suid gid cuid rest
	uid=$(id -u)
	if isolated; then
		(cd "$SHMDIR" && ls -A --full-time -l .)
	else
		(cd "$SHMDIR" && ls -A --full-time -l . | grep -F -e "$E2E_PREFIX")
	fi
	[ -r "$SYSVIPC" ] || return 0
	while read -r key id perms size cpid lpid nattch suid gid cuid rest; do
		[ "$key" = key ] && continue
		isolated || [ "$cuid" = "$uid" ] || continue
		echo "sysv $key $id $perms $size"
	done <"$SYSVIPC"
}

snap_take() { snapshot >"$E2E_TMP/snap"; }

# expect_snap_same: no segment appeared, went or changed size/mode since snap_take.
expect_snap_same() {
	counted
	snapshot >"$E2E_TMP/snap2"
	cmp -s "$E2E_TMP/snap" "$E2E_TMP/snap2" ||
		fail "segments changed: $(diff "$E2E_TMP/snap" "$E2E_TMP/snap2" | grep '^[<>]' | head -n 3 | tr '\n' ' ')"
}

# seg_dump TARGET FILE: the segment's bytes read without shmtool
# (TARGET is /name or a shmid).
seg_dump() {
	case $1 in
	/*) cat -- "$SHMDIR/${1#/}" >"$2" ;;
	*) "$SHMHELPER" sysv-dump "id:$1" >"$2" ;;
	esac || fail "cannot dump segment $1"
}

# seg_size TARGET: its size, found without shmtool.
seg_size() {
	case $1 in
	/*) stat -c %s -- "$SHMDIR/${1#/}" ;;
	*) sysv_field "$1" 4 ;;
	esac
}

# seg_mode TARGET: its permission bits in octal (e.g. 600), without shmtool.
seg_mode() {
	case $1 in
	/*) stat -c %a -- "$SHMDIR/${1#/}" ;;
	*) printf '%o\n' $((8#$(sysv_field "$1" 3) & 0777)) ;;
	esac
}

# seg_fill TARGET FILE: write FILE at offset 0 without shmtool.
seg_fill() {
	case $1 in
	/*) dd if="$2" of="$SHMDIR/${1#/}" conv=notrunc status=none ;;
	*) "$SHMHELPER" sysv-load "id:$1" <"$2" ;;
	esac || fail "cannot fill segment $1"
}

# seg_chmod TARGET MODE: set its permission bits without shmtool.
seg_chmod() {
	case $1 in
	/*) chmod "$2" -- "$SHMDIR/${1#/}" ;;
	*) "$SHMHELPER" sysv-chmod "id:$1" "$2" ;;
	esac || fail "cannot chmod segment $1"
}

# seg_remember TARGET / expect_seg_unchanged TARGET: bytes and size.
seg_remember() { seg_dump "$1" "$E2E_TMP/remembered.$(echo "$1" | tr / _)"; }
expect_seg_unchanged() {
	counted
	local f
	f=$E2E_TMP/remembered.$(echo "$1" | tr / _)
	seg_dump "$1" "$E2E_TMP/now"
	cmp -s "$f" "$E2E_TMP/now" ||
		fail "segment $1 changed: $(cmp "$f" "$E2E_TMP/now" 2>&1 | head -n 1)"
}

# mk_posix SIZE [MODE]: create a POSIX segment with shmtool (setup), print it.
mk_posix() {
	local n
	n=$(new_posix) || exit 1
	st create "$n" "$1" ${2:+--mode "$2"} >/dev/null 2>"$E2E_TMP/mk.err" ||
		fail "setup: shmtool create $n $1 failed: $(head -c 200 "$E2E_TMP/mk.err")"
	[ -f "$SHMDIR/${n#/}" ] || fail "setup: shmtool create $n made no $SHMDIR/${n#/}"
	echo "$n"
}

# mk_sysv SIZE [MODE]: create an IPC_PRIVATE SysV segment with shmtool, print its id.
mk_sysv() {
	local id
	id=$(st create --sysv "$1" ${2:+--mode "$2"} 2>"$E2E_TMP/mk.err") ||
		fail "setup: shmtool create --sysv $1 failed: $(head -c 200 "$E2E_TMP/mk.err")"
	[[ $id =~ ^[0-9]+$ ]] || fail "setup: create --sysv printed '$id'"
	sysv_present "$id" || fail "setup: shmid $id printed by create is not in $SYSVIPC"
	echo "$id"
}

# mk_sysv_key KEY SIZE [OPTIONS...]: create a SysV segment with KEY with
# shmtool (setup), print its id.
mk_sysv_key() {
	local id
	id=$(st create --sysv "$@" 2>"$E2E_TMP/mk.err") ||
		fail "setup: shmtool create --sysv $* failed: $(head -c 200 "$E2E_TMP/mk.err")"
	[[ $id =~ ^[0-9]+$ ]] || fail "setup: create --sysv printed '$id'"
	sysv_present "$id" || fail "setup: shmid $id printed by create is not in $SYSVIPC"
	echo "$id"
}

# via_mapping CASE ARGS...: run a case with SysV transfers forced through
# the attachment's mapping, as for a caller who may not open
# /proc/self/map_files (no CAP_SYS_ADMIN), instead of the segment's file.
via_mapping() { export SHMTOOL_NO_MAP_FILES=1; "$@"; }

# The ways a transfer goes: POSIX, SysV through its own file (as root),
# SysV through the mapping.  set_variant V sets K (the label of the
# cases), kind (for mk_seg) and via (what tcase runs the case through).
TRANSFER_VARIANTS="posix sysv sysv-mapping"
set_variant() {
	case $1 in
	posix) K=POSIX kind=posix via=() ;;
	sysv) K=SysV kind=sysv via=() ;;
	sysv-mapping) K="SysV through the mapping" kind=sysv via=(via_mapping) ;;
	esac
}

strace_ok() {
	command -v strace >/dev/null || return 1
	strace -qq -o /dev/null true 2>/dev/null
}

# traced LOG SYSCALLS ARGS...: run ARGS (a command) under strace, tracing
# SYSCALLS into LOG; stdin from /dev/null unless redirected, output in
# $OUT and $ERR, RC set.  (LeakSanitizer cannot stop the world of a traced
# process.)
traced() {
	local log=$1 calls=$2
	shift 2
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		e2e_exec strace -qq -s 4096 -o "$log" -e trace="$calls" "$@" \
		>"$OUT" 2>"$ERR"
	RC=$?
}

# no_leak_check: for a case whose shmtool runs where its own /proc is out
# of sight (--ns into a mount namespace with another /proc, a PID
# namespace whose /proc is not mounted).  There the sanitizer build reads
# neither ASAN_OPTIONS (from /proc/self/environ) nor its threads (for the
# leak check at exit, which then fails the run); lsan_forgive below takes
# that failure back.  Leaks are valgrind's to find.
no_leak_check() {
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
}

# lsan_forgive: after a run in such a namespace, a sanitizer build's
# "LeakSanitizer has encountered a fatal error" (exit 1) and its other
# "==PID==" lines are the sanitizer's, not shmtool's: RC 0, lines dropped.
lsan_forgive() {
	grep -q 'LeakSanitizer has encountered a fatal error' "$ERR" || return 0
	grep -v '^==[0-9]*==' "$ERR" >"$ERR.kept"
	mv -f "$ERR.kept" "$ERR"
	[ "$RC" = 1 ] && RC=0
	return 0
}

# mk_seg KIND SIZE [MODE]: mk_posix or mk_sysv.
mk_seg() {
	local kind=$1
	shift
	case $kind in
	posix) mk_posix "$@" ;;
	sysv) mk_sysv "$@" ;;
	esac
}

# ---------------------------------------------------------------- data

new_tmp() { echo "$E2E_TMP/f$(new_counter)"; }

# gen_allbytes [REV]: the 256 byte values 0..255 in order (255..0 with REV).
gen_allbytes() {
	local i o fmt=
	for i in $(if [ -n "${1:-}" ]; then seq 255 -1 0; else seq 0 255; fi); do
		printf -v o '\\%03o' "$i"
		fmt+=$o
	done
	# shellcheck disable=SC2059
	printf "$fmt"
}

# gen_binary FILE N: N bytes: all 256 values, random bytes, all 256 values
# reversed (fewer than 512: the values 255, 254, ...).
gen_binary() {
	if [ "$2" -ge 512 ]; then
		{
			gen_allbytes
			head -c $(($2 - 512)) /dev/urandom
			gen_allbytes rev
		} >"$1"
	else
		gen_allbytes rev | head -c "$2" >"$1"
	fi
	[ "$(stat -c %s "$1")" = "$2" ] || fail "setup: cannot generate $2 bytes"
}

# pad FILE SIZE OUT: FILE followed by zero bytes up to SIZE.
pad() {
	{ cat -- "$1"; head -c $(($2 - $(stat -c %s "$1"))) /dev/zero; } >"$3"
}
