#!/bin/bash
# SPDX-License-Identifier: MIT
# Concurrency (issue 6, item 5): racing creates of one name or key, writes
# to disjoint ranges of one segment, and ls / maps / rm --unused --dry-run
# while other processes create, attach, detach and remove segments and
# fork and exit at a high rate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

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

NPAR=20

# The gate: a FIFO every racer opens and reads; it is held open for
# writing until all are waiting on it, then closed: all see EOF at once.
gate_new() {
	rm -f "$E2E_TMP"/r.* "$E2E_TMP/gate"
	mkfifo "$E2E_TMP/gate"
	exec 7<>"$E2E_TMP/gate"
	RACERS=()
}

# gate_wait I: in racer I: wait at the gate.
gate_wait() {
	exec 3<"$E2E_TMP/gate"
	: >"$E2E_TMP/r.$1.ready"
	read -r _ <&3
	exec 3<&-
}

# racing I CMD...: start racer I (shmtool CMD...) in the background, waiting
# at the gate.  Its status, stdout and stderr go to $E2E_TMP/r.I.{rc,out,err}.
# (timeout(1), not e2e_exec: those run side by side.)
racing() {
	local i=$1
	shift
	(
		exec 7>&-
		gate_wait "$i"
		timeout 20 "$SHMTOOL" "$@" >"$E2E_TMP/r.$i.out" 2>"$E2E_TMP/r.$i.err"
		echo $? >"$E2E_TMP/r.$i.rc"
	) </dev/null &
	RACERS+=("$!")
}

# Open the gate once every racer waits at it; wait for all of them.
gate_open() {
	local p i
	for i in $(seq 1 200); do
		[ "$(find "$E2E_TMP" -maxdepth 1 -name 'r.*.ready' | wc -l)" -ge "${#RACERS[@]}" ] && break
		sleep 0.02
	done
	exec 7>&-
	for p in "${RACERS[@]}"; do
		wait "$p"
	done
	rm -f "$E2E_TMP/gate"
}

# sysv_id_of_key KEY: the shmid that has KEY now, if any.
sysv_id_of_key() {
	local key id rest
	while read -r key id rest; do
		[ "$key" = key ] && continue
		[ $((key & 0xffffffff)) = $(($1)) ] && { echo "$id"; return 0; }
	done <"$SYSVIPC"
	return 1
}

# winners: the indexes whose status is 0, one a line.
winners() {
	local i
	for i in $(seq 1 "$NPAR"); do
		[ "$(cat "$E2E_TMP/r.$i.rc" 2>/dev/null)" = 0 ] && echo "$i"
	done
}

# expect_losers_exist CMD WINNER: every other job exited 1 with one line
# saying the segment exists.
expect_losers_exist() {
	local i rc
	counted
	for i in $(seq 1 "$NPAR"); do
		[ "$i" = "$2" ] && continue
		rc=$(cat "$E2E_TMP/r.$i.rc" 2>/dev/null)
		[ "$rc" = 1 ] || fail "job $i exited '$rc': $(head -c 200 "$E2E_TMP/r.$i.err")"
		[ "$(wc -l <"$E2E_TMP/r.$i.err")" = 1 ] &&
			grep -Eq "^shmtool: $1: .*[Ee]xists" "$E2E_TMP/r.$i.err" ||
			fail "job $i: stderr '$(head -c 200 "$E2E_TMP/r.$i.err")' is not one 'exists' line"
		[ ! -s "$E2E_TMP/r.$i.out" ] || fail "job $i printed '$(head -c 100 "$E2E_TMP/r.$i.out")'"
	done
}

t_create_same_posix() {
	local n i w
	n=$(new_posix) || exit 1
	gate_new
	for i in $(seq 1 "$NPAR"); do
		racing "$i" create "$n" $((i * 4096 + i))
	done
	gate_open
	w=$(winners)
	expect_eq "$(echo "$w" | grep -c .)" 1 "number of creates that succeeded"
	expect_eq "$(cat "$E2E_TMP/r.$w.out")" "$n" "what the winner printed"
	expect_losers_exist create "$w"
	expect_eq "$(seg_size "$n")" $((w * 4096 + w)) "size (the winner's)"
	expect_eq "$(seg_mode "$n")" 600 "mode"
}

# Each job brings different bytes: the segment must hold the winner's,
# whole, and no loser's.
t_create_same_posix_from() {
	local n i w
	n=$(new_posix) || exit 1
	for i in $(seq 1 "$NPAR"); do
		head -c $((i * 1000 + 7)) /dev/urandom >"$E2E_TMP/from.$i"
	done
	gate_new
	for i in $(seq 1 "$NPAR"); do
		racing "$i" create "$n" --from "$E2E_TMP/from.$i"
	done
	gate_open
	w=$(winners)
	expect_eq "$(echo "$w" | grep -c .)" 1 "number of creates that succeeded"
	expect_losers_exist create "$w"
	seg_dump "$n" "$E2E_TMP/now"
	counted
	cmp -s "$E2E_TMP/now" "$E2E_TMP/from.$w" ||
		fail "the segment does not hold exactly the winner's bytes"
}

t_create_same_sysv_size() {
	local k i w id
	k=$(new_key) || exit 1
	gate_new
	for i in $(seq 1 "$NPAR"); do
		racing "$i" create --sysv "$k" $((i * 4096 + i))
	done
	gate_open
	id=$(sysv_id_of_key "$k") && reg_sysv_id "$id"
	w=$(winners)
	expect_eq "$(echo "$w" | grep -c .)" 1 "number of creates that succeeded"
	expect_eq "$(cat "$E2E_TMP/r.$w.out")" "$id" "what the winner printed"
	expect_losers_exist create "$w"
	expect_sysv_present "$id"
	expect_eq "$(sysv_field "$id" 4)" $((w * 4096 + w)) "size (the winner's)"
	expect_eq "$(printf '0x%08x' $(($(sysv_field "$id" 1) & 0xffffffff)))" "$k" "key"
}

# NPAR writers to disjoint ranges of odd sizes: half from --file (known
# size), half from a pipe (streamed).
t_write_disjoint() {
	local kind=$1 t i total=0 lens=() offs=() rc
	for i in $(seq 1 "$NPAR"); do
		lens[i]=$((65536 + i * 4099))
		offs[i]=$total
		total=$((total + lens[i]))
	done
	t=$(mk_seg "$kind" "$total") || exit 1
	head -c "$total" /dev/urandom >"$E2E_TMP/all"
	for i in $(seq 1 "$NPAR"); do
		tail -c +$((offs[i] + 1)) "$E2E_TMP/all" | head -c "${lens[i]}" >"$E2E_TMP/part.$i"
	done
	gate_new
	for i in $(seq 1 "$NPAR"); do
		if [ $((i % 2)) = 0 ]; then
			racing "$i" write "$t" --offset "${offs[i]}" --file "$E2E_TMP/part.$i"
		else
			(
				exec 7>&-
				gate_wait "$i"
				cat "$E2E_TMP/part.$i" |
					timeout 20 "$SHMTOOL" write "$t" --offset "${offs[i]}" \
						>"$E2E_TMP/r.$i.out" 2>"$E2E_TMP/r.$i.err"
				echo "${PIPESTATUS[1]}" >"$E2E_TMP/r.$i.rc"
			) </dev/null &
			RACERS+=("$!")
		fi
	done
	gate_open
	counted
	for i in $(seq 1 "$NPAR"); do
		rc=$(cat "$E2E_TMP/r.$i.rc" 2>/dev/null)
		[ "$rc" = 0 ] && [ ! -s "$E2E_TMP/r.$i.err" ] ||
			fail "writer $i exited '$rc': $(head -c 200 "$E2E_TMP/r.$i.err")"
	done
	seg_dump "$t" "$E2E_TMP/now"
	counted
	cmp -s "$E2E_TMP/all" "$E2E_TMP/now" ||
		fail "not every byte landed: $(cmp "$E2E_TMP/all" "$E2E_TMP/now" 2>&1 | head -n 1)"
}

# NPAR parallel rm of one segment: exactly one removes it.
t_rm_same() {
	local kind=$1 t w i rc
	t=$(mk_seg "$kind" 4K) || exit 1
	gate_new
	for i in $(seq 1 "$NPAR"); do
		racing "$i" rm "$t"
	done
	gate_open
	w=$(winners)
	expect_eq "$(echo "$w" | grep -c .)" 1 "number of rm that succeeded"
	counted
	for i in $(seq 1 "$NPAR"); do
		[ "$i" = "$w" ] && continue
		rc=$(cat "$E2E_TMP/r.$i.rc")
		[ "$rc" = 1 ] && [ "$(wc -l <"$E2E_TMP/r.$i.err")" = 1 ] &&
			grep -Eq "^shmtool: rm: $t: (No such file or directory|no such segment)" "$E2E_TMP/r.$i.err" ||
			fail "rm $i exited '$rc': $(head -c 200 "$E2E_TMP/r.$i.err")"
	done
	case $kind in
	posix) expect_posix_absent "$t" ;;
	sysv) expect_sysv_absent "$t" ;;
	esac
}

# ---------------------------------------------------------- scans vs churn

# scan_loop NAME ARGS...: run shmtool ARGS over and over until
# $E2E_TMP/churn.done exists; each run's output, stderr and status go to
# $E2E_TMP/scan/NAME.N.{out,err,rc}.
scan_loop() {
	local name=$1 k=0
	shift
	while [ ! -e "$E2E_TMP/churn.done" ]; do
		k=$((k + 1))
		timeout 20 "$SHMTOOL" "$@" </dev/null >"$E2E_TMP/scan/$name.$k.out" \
			2>"$E2E_TMP/scan/$name.$k.err"
		echo $? >"$E2E_TMP/scan/$name.$k.rc"
	done
}

# Stderr a scan may print: nothing when isolated; elsewhere, the note about
# processes it could not inspect.  rm --dry-run ends with its summary and
# says what it leaves out (unverified, creator alive).
bad_stderr() {
	grep -Ev '^shmtool: [a-z]+: [0-9]+ process(es)? could not be inspected|^shmtool: rm: would remove [0-9]+ segments? \(|^shmtool: rm: skipped [0-9]+ ' "$1"
}

# expect_all_json NAME KEY ROW: every $E2E_TMP/scan/NAME.*.out is one JSON
# object whose KEY is an array of rows on which ROW is true.
expect_all_json() {
	local f filter=".$2 | type == \"array\" and all($3)" row
	counted
	if jq -e -n "[inputs | ($filter)] | all" "$E2E_TMP/scan/$1".*.out >/dev/null 2>&1 &&
		[ "$(cat "$E2E_TMP/scan/$1".*.out | jq -n '[inputs] | length')" = \
			"$(find "$E2E_TMP/scan" -name "$1.*.out" | wc -l)" ]; then
		return 0
	fi
	for f in "$E2E_TMP/scan/$1".*.out; do
		jq -e -s "length == 1 and (.[0] | $filter)" "$f" >/dev/null 2>&1 && continue
		row=$(jq -c ".$2[] | select(($3) | not)" "$f" 2>&1 | head -n 1)
		fail "$1 -J during the churn: invalid, or a row that cannot be: ${row:-$(head -c 300 "$f")}"
	done
	fail "$1 -J during the churn: outputs do not parse one value each"
}

t_scan_under_churn() {
	local pre k f secs=6 events=1500 loops=(ls maps) bad n left
	need_stress
	mkdir -p "$E2E_TMP/scan"
	rm -f "$E2E_TMP/churn.done" "$E2E_TMP/churn.log"
	pre=$(sysv_ids)
	for k in 1 2; do
		"$SHMSTRESS" churn "$E2E_PREFIX-churn$k" "$secs" "$events" \
			"$E2E_TMP/churn.log" >"$E2E_TMP/churn$k.out" 2>&1 &
		CHURN[k]=$!
		reg_pid "$!"
	done
	scan_loop ls ls -J -b -o SEGMENT,KIND,ID,NAME,SIZE,NATTCH,PROCS,PIDS,STATUS &
	SCANS=("$!")
	scan_loop maps maps -J &
	SCANS+=("$!")
	if isolated; then
		loops+=(rm)
		scan_loop rm rm --unused --dry-run &
		SCANS+=("$!")
	fi
	for k in 1 2; do
		wait "${CHURN[k]}"
		echo $? >"$E2E_TMP/churn$k.rc"
	done
	: >"$E2E_TMP/churn.done"
	for k in "${SCANS[@]}"; do
		wait "$k"
	done
	# The churners remove all they made (checked at the end).
	left=$(find "$SHMDIR" -maxdepth 1 -name "$E2E_PREFIX-churn*" | head -n 3)
	rm -f -- "$SHMDIR/$E2E_PREFIX"-churn* 2>/dev/null
	counted
	for k in 1 2; do
		[ "$(cat "$E2E_TMP/churn$k.rc")" = 0 ] ||
			fail "churner $k failed (a segment only it removes was gone?): $(cat "$E2E_TMP/churn$k.out")"
	done
	n=$(awk '{ s += $2 } END { print s }' "$E2E_TMP"/churn[12].out)
	counted
	[ "${n:-0}" -ge 2000 ] || fail "only ${n:-0} churn events"

	for k in "${loops[@]}"; do
		n=$(find "$E2E_TMP/scan" -name "$k.*.rc" | wc -l)
		counted
		[ "$n" -ge 5 ] || fail "$k ran only $n times during the churn"
		counted
		f=$(grep -Lx 0 "$E2E_TMP/scan/$k".*.rc | head -n 1)
		[ -z "$f" ] ||
			fail "$k exited $(cat "$f") during the churn: $(head -c 300 "${f%.rc}.err")"
		counted
		bad=$(cat "$E2E_TMP/scan/$k".*.err | bad_stderr -)
		[ -z "$bad" ] || fail "$k printed on stderr during the churn: $(echo "$bad" | head -c 300)"
	done
	echo "$pre" | tr ' ' '\n' | grep . | sed 's/$/ pre/' >"$E2E_TMP/known"
	awk '{ print $2, $3 }' "$E2E_TMP/churn.log" >>"$E2E_TMP/known"

	# ls -J: valid, every row whole and plausible (one jq for all runs;
	# on failure, find the run).
	# (The size of a deleted POSIX segment lives only in its inode: without
	# privilege over /proc/PID/map_files it is unknown, null.)
	LS_OK='(.kind == "sysv" or .kind == "posix")
		and ((.size | type) == "number" or (.size == null and .kind == "posix" and (.status | test("deleted"))))
		and (.segment | type) == "string" and (.pids | type) == "array"
		and all(.pids[]; type == "number" and . > 0)
		and .procs == (.pids | length)
		and (if .kind == "sysv" then (.id | type) == "number" and .segment == (.id | tostring) and (.nattch | type) == "number"
		     elif (.status | test("deleted")) then .id == null
			and (.segment | test("^posix:[0-9]+:([0-9]+|[0-9a-f]+-[0-9a-f]+)$"))
			and ((.segment | split(":")[1] | tonumber) as $p | .pids | index($p) != null)
		     else .id == null and .segment == "/" + .name end)'
	expect_all_json ls segments "$LS_OK"
	# Every SysV row was a segment that existed, with its size.
	jq -r '.segments[] | select(.kind == "sysv") | "\(.id) \(.size)"' "$E2E_TMP"/scan/ls.*.out |
		sort -u >"$E2E_TMP/seen.sysv"
	counted
	bad=$(awk 'NR == FNR { if ($2 == "pre") pre[$1] = 1; else size[$1] = $2; next }
		($1 in size) { if (size[$1] != $2) print; next }
		!($1 in pre) { print }' "$E2E_TMP/known" "$E2E_TMP/seen.sysv")
	if isolated; then
		[ -z "$bad" ] || fail "ls showed SysV rows no process made: $(echo "$bad" | head -n 3 | tr '\n' ' ')"
	else
		# Elsewhere others create segments too: check only the churn's.
		bad=$(awk 'NR == FNR { if ($2 != "pre") size[$1] = $2; next }
			($1 in size) && size[$1] != $2 { print }' "$E2E_TMP/known" "$E2E_TMP/seen.sysv")
		[ -z "$bad" ] || fail "ls showed churn SysV rows with a wrong size: $(echo "$bad" | head -n 3 | tr '\n' ' ')"
	fi
	# Every churn POSIX row had its size (or 0, before its ftruncate).
	counted
	bad=$(jq -r '.segments[] | select(.kind == "posix" and .size != null) | "\(.name) \(.size)"' "$E2E_TMP"/scan/ls.*.out |
		grep -F -- "$E2E_PREFIX-churn" | sort -u |
		awk '{ n = split($1, p, "-"); if ($2 != 0 && $2 != p[n]) print }')
	[ -z "$bad" ] || fail "ls showed churn POSIX rows with a wrong size: $(echo "$bad" | head -n 3 | tr '\n' ' ')"

	# maps -J: valid, every mapping whole.
	MAPS_OK='(.pid | type) == "number" and .pid > 0
		and (.kind == "sysv" or .kind == "posix")
		and (.segment | type) == "string" and (.segment | length) > 0
		and (.how == "map" or .how == "fd")
		and (if .how == "map" then (.start | type) == "number" and .end > .start and .mapsize == .end - .start
		     else (.fd | type) == "number" end)'
	expect_all_json maps mappings "$MAPS_OK"
	if isolated; then
		jq -r '.mappings[] | select(.kind == "sysv") | .segment' "$E2E_TMP"/scan/maps.*.out |
			sort -u >"$E2E_TMP/seen.maps"
		counted
		bad=$(awk 'NR == FNR { k[$1] = 1; next } !($1 in k)' "$E2E_TMP/known" "$E2E_TMP/seen.maps")
		[ -z "$bad" ] || fail "maps showed SysV segments no process made: $(echo "$bad" | head -n 3 | tr '\n' ' ')"

		# rm --unused --dry-run: TARGET, size, STATUS, owner, idle time
		# lines of real segments.
		counted
		bad=$(cat "$E2E_TMP"/scan/rm.*.out | grep -Ev '^(/[^/	]+|[0-9]+)	[0-9]+	[a-z,-]+	[^	]+	[0-9]+[smhd]([0-9]+[smh])?$' | head -n 3)
		[ -z "$bad" ] || fail "rm --unused --dry-run printed: $(echo "$bad" | tr '\n' ' ')"
		counted
		bad=$(cat "$E2E_TMP"/scan/rm.*.out | grep -E '^[0-9]+	' | sort -u |
			awk -F '\t' 'NR == FNR { split($0, a, " "); if (a[2] == "pre") pre[a[1]] = 1; else size[a[1]] = a[2]; next }
				($1 in size) { if (size[$1] != $2) print; next } !($1 in pre) { print }' "$E2E_TMP/known" -)
		[ -z "$bad" ] || fail "rm --dry-run offered SysV segments no process made: $(echo "$bad" | head -n 3 | tr '\n' ' ')"
	fi
	# Nothing of the churn was left (no scan removed or kept anything).
	expect_eq "$left" "" "churn segments left behind"
}

# ---------------------------------------------------- born during the scan

# A forking server's child, born after the scan listed /proc, inherits the
# parent's attachment; the parent detaches in the second it attached:
# NATTCH counts the child, LPID, ATIME and DTIME have not moved (the holder
# attached and detached a second mapping in that second).  strace holds the
# scan at the parent (after its /proc/PID pin, before its maps) while that
# happens, so the scan finds neither.  The processes born since are looked
# at before ls says an attacher is out of sight.  Conclusive only when the
# fork came in the second of the attach and the scan missed the child; up
# to 6 tries, each started just after a second began.
t_born_during_scan() {
	isolated || skip "needs the private namespace (the note names any segment)"
	strace_ok || skip "strace cannot trace here"
	local id try t0 t1 child lspid tracee conclusive=0 i s0
	for try in 1 2 3 4 5 6; do
		id=$(mk_sysv 4K) || exit 1
		reg_sysv_id "$id"
		s0=$(date +%s)
		while [ "$(date +%s)" = "$s0" ]; do sleep 0.01; done
		hold sysv "$id" fork-usr1
		t0=$(awk '/^ready/ { print $2 }' "$HOLD_OUT")
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		SHMTOOL_SCAN_THREADS=1 timeout 20 strace -f -qq -o /dev/null -P "/proc/$HOLD_PID" \
			-e trace=openat -e inject=openat:delay_enter=600000:when=1 \
			"$SHMTOOL" ls --sysv -J -o SEGMENT,NATTCH,PROCS >"$OUT" 2>"$ERR" </dev/null &
		lspid=$!
		reg_pid "$lspid"
		# Signal once the scan holds the holder's /proc/PID open.
		for i in $(seq 1 200); do
			tracee=$(pgrep -n -x shmtool -P "$(pgrep -n -x strace -P "$lspid")" 2>/dev/null)
			[ -n "$tracee" ] && ls -l "/proc/$tracee/fd" 2>/dev/null |
				grep -q -- "-> /proc/$HOLD_PID\$" && break
			sleep 0.01
		done
		kill -USR1 "$HOLD_PID"
		wait "$lspid"
		RC=$?
		for i in $(seq 1 100); do
			grep -q '^forked' "$HOLD_OUT" && break
			sleep 0.05
		done
		read -r _ child t1 < <(grep '^forked' "$HOLD_OUT")
		[ -n "$child" ] && reg_pid "$child"
		pkill -KILL -P "$HOLD_PID" 2>/dev/null
		kill -KILL "$HOLD_PID" 2>/dev/null
		wait "$HOLD_PID" 2>/dev/null
		"$SHMHELPER" sysv-rm "id:$id" >/dev/null 2>&1
		[ -n "$child" ] || fail "setup: the holder did not fork: $(head -c 200 "$HOLD_OUT.err")"
		expect_rc 0
		if [ "$t0" = "$t1" ] &&
			jq -e ".segments[] | select(.segment == \"$id\") | .nattch == 1 and .procs == 0" \
				"$OUT" >/dev/null 2>&1; then
			conclusive=$((conclusive + 1))
			counted
			! grep -q "found none of its attachers" "$ERR" ||
				fail "a child born during the scan is called out of sight: $(err1)"
		fi
		[ "$conclusive" -ge 2 ] && break
	done
	[ "$conclusive" -ge 1 ] ||
		skip "no try forked within the second of the attach while the scan waited"
}

tcase "$NPAR parallel create of one POSIX name: one wins, size untouched" t_create_same_posix
tcase "$NPAR parallel create --from of one POSIX name: the winner's bytes" t_create_same_posix_from
tcase "$NPAR parallel create of one SysV key: one wins, its size" t_create_same_sysv_size
tcase "$NPAR parallel writes to disjoint ranges: POSIX" t_write_disjoint posix
tcase "$NPAR parallel writes to disjoint ranges: SysV" t_write_disjoint sysv
tcase "$NPAR parallel rm of one POSIX segment: one succeeds" t_rm_same posix
tcase "$NPAR parallel rm of one SysV segment: one succeeds" t_rm_same sysv
tcase "ls, maps, rm --unused --dry-run during create/attach/remove/fork churn" t_scan_under_churn
tcase "a child forked during the scan, its parent detached: not called out of sight" t_born_during_scan
e2e_done
