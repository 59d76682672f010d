#!/bin/bash
# SPDX-License-Identifier: MIT
# Output formats for scripts (issue 16): -P/--pairs and -y/--shell eval'd
# by real shells (bash and dash) on a hostile name; --time-format against
# the kernel's and the file's own times; one value of one segment (stat -o
# with -n -r -b, like lsipc -i -o); ls TARGET... .
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

# A name that runs commands wherever a shell expands it: a double and a
# single quote, $(...), backticks, ${...}, a backslash and a newline.  No
# slash (a POSIX name has none): the commands touch files in the current
# directory, which the eval's directory shows.
HOSTILE_TAIL=$(printf '%s' 'q"s'"'"'$(touch pwned1)`touch pwned2`${HOME}$((1+1))\b' &&
	printf '\n%s' 'l;touch pwned3;x')

# shellesc: what -P/-y print for these bytes: shm_escape, and '"', '$',
# '`' as \xHH too.
shellesc() { shm_escape | sed 's/"/\\x22/g; s/\$/\\x24/g; s/`/\\x60/g'; }

# eval_in SHELL FILE VARS...: eval FILE's lines in SHELL in an empty
# directory ($E2E_TMP/eval.SHELL), then write each VAR's value to
# $E2E_TMP/eval.SHELL/=VAR (printf %s: exactly its bytes).
eval_in() {
	local sh=$1 file=$2 dir v script
	shift 2
	dir=$E2E_TMP/eval.$sh
	rm -rf "$dir"
	mkdir "$dir" || fail "setup: mkdir $dir"
	script='eval "$(cat "$0")" || exit 1'
	for v in "$@"; do
		script+="; printf '%s' \"\$$v\" >=$v"
	done
	(cd "$dir" && "$sh" -c "$script" "$file") >"$E2E_TMP/eval.out" 2>&1 ||
		fail "$sh could not eval the output: $(head -c 300 "$E2E_TMP/eval.out")"
	# nothing ran: only the variables' files are there
	local extra
	extra=$(cd "$dir" && ls -A | grep -v '^=')
	counted
	[ -z "$extra" ] || fail "$sh: eval made files: $extra"
}

# var SHELL VAR: what eval_in recorded.
var() { cat "$E2E_TMP/eval.$1/=$2"; }

t_eval_hostile() {
	local fmt=$1 name seg want sh
	name=$E2E_PREFIX-$(new_counter)-$HOSTILE_TAIL
	reg_posix "$name"
	must st create "/$name" 4K
	hold posix-map "/$name"
	want=$(printf '%s' "/$name" | shellesc)

	# Control: the check sees a command that an unescaped value runs.
	mkdir "$E2E_TMP/control"
	(cd "$E2E_TMP/control" && bash -c 'eval "X=\"\$(touch pwned1)\""')
	counted
	[ -e "$E2E_TMP/control/pwned1" ] || fail "control: an unescaped \$(...) ran nothing"

	run_scan ls "$fmt" -o SEGMENT,NAME,KIND,SIZE,PROCS,PIDS "/$name"
	expect_rc 0
	expect_eq "$(wc -l <"$OUT")" 1 "lines of ls $fmt (the newline is escaped)"
	cp "$OUT" "$E2E_TMP/pairs"
	for sh in bash dash; do
		eval_in "$sh" "$E2E_TMP/pairs" SEGMENT NAME KIND SIZE PROCS PIDS
		expect_eq "$(var $sh SEGMENT)" "$want" "$sh: \$SEGMENT"
		expect_eq "$(var $sh NAME)" "${want#/}" "$sh: \$NAME"
		expect_eq "$(var $sh KIND)" posix "$sh: \$KIND"
		expect_eq "$(var $sh SIZE)" 4096 "$sh: \$SIZE"
		expect_eq "$(var $sh PROCS)" 1 "$sh: \$PROCS"
		expect_eq "$(var $sh PIDS)" "$HOLD_PID" "$sh: \$PIDS"
	done
	# The value is a TARGET: shmtool takes it back.
	seg=$(var bash SEGMENT)
	run_scan stat -o SEGMENT,SIZE -r -n "$seg"
	expect_rc 0
	expect_out "$(printf '%s' "/$name" | shm_escape | sed 's/ /\\x20/g') 4096"

	# maps: its SEGMENT too
	run maps "$fmt" -o PID,SEGMENT,HOW --segment "/$name"
	expect_rc 0
	cp "$OUT" "$E2E_TMP/pairs"
	for sh in bash dash; do
		eval_in "$sh" "$E2E_TMP/pairs" PID SEGMENT HOW
		expect_eq "$(var $sh SEGMENT)" "$want" "maps, $sh: \$SEGMENT"
		expect_eq "$(var $sh PID)" "$HOLD_PID" "maps, $sh: \$PID"
		expect_eq "$(var $sh HOW)" map "maps, $sh: \$HOW"
	done

	# stat: every column as pairs with -y (whose keys UID_ and GID_ are
	# no shell's own: bash's UID is readonly); -P's keys are the
	# columns' names, UID too: some columns only
	if [ "$fmt" = --shell ]; then
		run_scan stat "$fmt" "/$name"
	else
		run_scan stat "$fmt" -o SEGMENT,SIZE,MTIME "/$name"
	fi
	expect_rc 0
	cp "$OUT" "$E2E_TMP/pairs"
	for sh in bash dash; do
		if [ "$fmt" = --shell ]; then
			eval_in "$sh" "$E2E_TMP/pairs" SEGMENT SIZE MTIME UID_ GID_
			expect_eq "$(var $sh UID_)" "$(stat -c %u "$SHMDIR/$name")" "stat, $sh: \$UID_"
			expect_eq "$(var $sh GID_)" "$(stat -c %g "$SHMDIR/$name")" "stat, $sh: \$GID_"
		else
			eval_in "$sh" "$E2E_TMP/pairs" SEGMENT SIZE MTIME
		fi
		expect_eq "$(var $sh SEGMENT)" "$want" "stat, $sh: \$SEGMENT"
		expect_eq "$(var $sh MTIME)" \
			"$(date -d "@$(stat -c %Y "$SHMDIR/$name")" +%Y-%m-%dT%H:%M:%S%:z)" \
			"stat, $sh: \$MTIME"
	done
}

# ls --summary and ls --limits as pairs: a line a row, each eval'd.
t_eval_summary_limits() {
	local line res lim
	mk_sysv 64K >/dev/null
	run_scan ls --summary -y
	expect_rc 0
	while IFS= read -r line; do
		(AREA='' WHAT='' COUNT=''; eval "$line" && [ -n "$AREA" ] && [ -n "$WHAT" ]) ||
			fail "ls --summary -y: a line bash cannot eval: $line"
	done <"$OUT"
	counted
	grep -q '^AREA="sysv" WHAT="total" COUNT="[1-9]' "$OUT" ||
		fail "ls --summary -y has no sysv total: $(head -c 300 "$OUT")"

	run ls --limits -y
	expect_rc 0
	expect_eq "$(wc -l <"$OUT")" 7 "rows of ls --limits -y"
	while IFS= read -r line; do
		res=$(dash -c "eval \"\$1\" && printf '%s %s %s' \"\$RESOURCE\" \"\$LIMIT\" \"\$USE_PCT\"" sh "$line") ||
			fail "ls --limits -y: a line dash cannot eval: $line"
		case $res in
		"SHMMNI "*)
			lim=${res#SHMMNI }
			expect_eq "${lim%% *}" "$(cat /proc/sys/kernel/shmmni)" "\$LIMIT of SHMMNI"
			[[ ${lim#* } =~ ^[0-9]+\.[0-9][0-9]%$ ]] ||
				fail "USE_PCT of SHMMNI is '${lim#* }'" ;;
		esac
	done <"$OUT"
	# -P keeps the column's own name, USE%
	run ls --limits -P
	expect_rc 0
	counted
	grep -q '^RESOURCE="SHMMNI" DESCRIPTION="[^"]*" LIMIT="[0-9]*" USED="[0-9]*" USE%="[0-9.]*%"$' "$OUT" ||
		fail "ls --limits -P: $(head -n 1 "$OUT")"
}

t_exclusive() {
	local cmd
	for cmd in "ls -J -P" "ls -r -y" "ls -J -y" "maps -P -r" "stat -J -P 0" \
		"ls --summary -J --shell" "ls --limits -r --pairs"; do
		# shellcheck disable=SC2086
		run $cmd
		expect_usage_error "${cmd%% *}"
	done
	run ls --time-format=ISO
	expect_usage_error ls
	counted
	grep -q "short, full, iso or epoch" "$ERR" || fail "bad --time-format: $(err1)"
	# -P and -y together are one format (lsblk -P -y)
	run ls -P -y -o SEGMENT --sysv
	expect_rc 0
}

# --time-format: every time column, in every format, against the
# kernel's numbers (/proc/sysvipc/shm) and the file's (stat(1)).
t_time_format() {
	local id p ctime f z
	id=$(mk_sysv 4K) || exit 1
	p=$(mk_posix 4K) || exit 1
	f=$SHMDIR/${p#/}
	ctime=$(sysv_field "$id" 14)

	run ls -r -n -o CTIME --time-format epoch "$id"
	expect_rc 0
	expect_out "$ctime"
	run ls -r -n -o CTIME,ATIME,MTIME --time-format epoch "$p"
	expect_rc 0
	expect_out "$(stat -c '%Z %X %Y' "$f")"
	run stat -o MTIME -n --time-format epoch "$p"
	expect_out "$(stat -c %Y "$f")"
	# JSON: epoch as numbers, the other forms as strings
	run ls -J --time-format epoch -o SEGMENT,CTIME,DTIME "$id"
	expect_jq ".segments[0].ctime == $ctime and .segments[0].dtime == null"
	run_scan stat -J --time-format epoch "$p"
	expect_jq ".segments[0].mtime == $(stat -c %Y "$f") and (.segments[0].ctime | type) == \"number\""
	run ls -J --time-format full -o CTIME "$id"
	expect_jq ".segments[0].ctime == \"$(date -d "@$ctime" '+%a %b %e %H:%M:%S %Y')\""
	# The table and the default (iso)
	run ls -n -o CTIME "$id"
	expect_out "$(date -d "@$ctime" +%Y-%m-%dT%H:%M:%S%:z)"
	run ls -n -o CTIME --time-format iso "$id"
	expect_out "$(date -d "@$ctime" +%Y-%m-%dT%H:%M:%S%:z)"
	run ls -n -o CTIME --time-format full "$id"
	expect_out "$(date -d "@$ctime" '+%a %b %e %H:%M:%S %Y')"
	# short: made today, so the time of day (unless midnight just passed)
	run ls -n -o CTIME --time-format short "$id"
	if [ "$(date -d "@$ctime" +%F)" = "$(date +%F)" ]; then
		expect_out "$(date -d "@$ctime" +%H:%M)"
	fi
	# raw: the blanks of full escaped like any cell's
	run ls -r -n -o CTIME --time-format full "$id"
	expect_out "$(date -d "@$ctime" '+%a %b %e %H:%M:%S %Y' | sed 's/ /\\x20/g')"
	run ls -y -o CTIME --time-format full "$id"
	expect_out "CTIME=\"$(date -d "@$ctime" '+%a %b %e %H:%M:%S %Y')\""
	# stat's labels
	run_scan stat --time-format epoch "$id"
	expect_rc 0
	z=$(sed -n 's/^Changed: //p' "$OUT")
	expect_eq "$z" "$ctime" "stat --time-format epoch: Changed"
}

# One value of one segment: stat -o COLS with -n, -r, -b (and -J).
t_stat_one_value() {
	local id p
	id=$(mk_sysv 4K 0640) || exit 1
	p=$(mk_posix 64K) || exit 1
	run stat -o SIZE -n -b "$id"
	expect_rc 0
	expect_out 4096
	expect_err_empty
	if command -v lsipc >/dev/null; then
		expect_eq "$(lsipc -m -i "$id" -o SIZE -b -r --noheadings)" \
			"$(cat "$OUT")" "lsipc -m -i $id -o SIZE -b -r --noheadings"
	fi
	run stat -o SIZE -n "$id"
	expect_out 4.0K
	run stat -o SIZE -n -b "$p"
	expect_out 65536
	run stat -o SEGMENT,KIND,ID,PERMS,SIZE -r "$id"
	expect_out "SEGMENT KIND ID PERMS SIZE
$id sysv $id rw-r----- 4096"
	run stat -o SEGMENT,NATTCH -r -n "$p"
	expect_out "$p "	# NATTCH is SysV's: an empty cell
	run stat -o SIZE,KEY -P "$id"
	expect_out "SIZE=\"4096\" KEY=\"0x00000000\""
	# -o with -J: just those columns, no holders
	run stat -o SIZE,NATTCH -J "$id"
	expect_jq '.segments == [{"size": 4096, "nattch": 0}]'
	# without -o, -J is what it was: every column and the holders
	run_scan stat -J "$id"
	expect_jq '.segments[0] | has("holders") and has("status") and .size == 4096'
	run stat -o NOSUCH "$id"
	expect_usage_error stat
}

# ls TARGET...: just those, in the order given, once each; the filters
# still apply; a TARGET that names nothing: exit 1, one line, the others
# listed.
t_ls_targets() {
	local a b key p
	key=$(new_key)
	a=$(mk_sysv 4K) || exit 1
	b=$(mk_sysv_key "$key" 8K) || exit 1
	p=$(mk_posix 12K) || exit 1
	run ls -r -n -o SEGMENT,SIZE "$b" "$p" "$a" "$b"
	expect_rc 0
	expect_out "$b 8192
$p 12288
$a 4096"
	expect_err_empty
	# every TARGET form
	run ls -r -n -o SEGMENT "$key" "id:$a" "key:$key" --sort SEGMENT
	expect_out "$(printf '%s\n' "$a" "$b" | sort)"
	# --posix reads an ambiguous word as a POSIX name
	run ls -r -n -o SEGMENT --posix "${p#/}"
	expect_out "$p"
	run ls -r -n -o SEGMENT --sysv "${p#/}"
	expect_usage_error ls
	# unknown ones: said, and exit 1, after the others
	run ls -r -n -o SEGMENT "$a" 2147483000 "$p-nosuch" "$p"
	expect_rc 1
	expect_out "$a
$p"
	counted
	[ "$(wc -l <"$ERR")" = 2 ] && grep -q '^shmtool: ls: 2147483000: no such segment$' "$ERR" ||
		fail "stderr for two unknown TARGETs: $(err1)"
	# the filters still apply
	hold sysv "$a"
	run_scan ls -r -n -o SEGMENT --unused "$a" "$b"
	expect_rc 0
	expect_out "$b"
	run ls -J -o SEGMENT,SIZE "$a"
	expect_jq ".segments == [{\"segment\": \"$a\", \"size\": 4096}]"
	run ls --summary "$a"
	expect_usage_error ls
	run ls --limits "$a"
	expect_usage_error ls
	run ls not/a/target
	expect_usage_error ls
}

# More rows than a batch (1024), to what is no terminal, are streamed past
# libsmartcols (which would hold every cell): the bytes must be those it
# prints on a terminal wide enough to fit the table (script(1) gives one),
# with a wide CJK name, an escaped byte and a right-aligned last column.
t_table_stream() {
	local base i want loc o
	command -v script >/dev/null || skip "no script(1)"
	base=$E2E_PREFIX-$(new_counter)-stream
	for (( i = 0; i < 1100; i++ )); do
		reg_posix "$base-$i"
		printf '%*s' $(( i % 9 * 1000 )) '' >"$SHMDIR/$base-$i" ||
			fail "setup: cannot make $SHMDIR/$base-$i"
	done
	reg_posix "$base-日本語"
	: >"$SHMDIR/$base-日本語"
	reg_posix "$base-bad$(printf '\377')"
	: >"$SHMDIR/$base-bad$(printf '\377')"
	for loc in C C.UTF-8; do
		for o in "" "-o NAME,SIZE" "-n -o SIZE,SEGMENT,KIND" "-o SEGMENT,ID"; do
			# shellcheck disable=SC2086
			LC_ALL=$loc run ls --posix --name "$base-*" $o
			expect_rc 0
			counted
			[ "$(wc -l <"$OUT")" -ge 1102 ] || fail "ls $o: $(wc -l <"$OUT") lines"
			# shellcheck disable=SC2086
			want=$(LC_ALL=$loc script -qec "stty cols 1000; $(printf '%q' "$SHMTOOL") ls --posix --name '$base-*' $o" /dev/null </dev/null | tr -d '\r')
			counted
			[ "$(cat "$OUT")" = "$want" ] ||
				fail "LC_ALL=$loc ls $o to a pipe differs from libsmartcols' table on a terminal: $(diff <(printf '%s\n' "$want") "$OUT" | head -n 4)"
		done
	done
}

tcase "ls/maps/stat --pairs: eval'd by bash and dash, hostile name: nothing runs, values exact" t_eval_hostile --pairs
tcase "ls/maps/stat --shell: eval'd by bash and dash, hostile name: nothing runs, values exact" t_eval_hostile --shell
tcase "ls --summary -y and ls --limits -y/-P: every line evals, keys as documented" t_eval_summary_limits
tcase "-J, -r and -P/-y exclude each other; --time-format takes four words" t_exclusive
tcase "--time-format epoch|iso|full|short in tables, raw, pairs, JSON and stat" t_time_format
tcase "stat -o COLS -n -r -b: one value of one segment (like lsipc -i -o)" t_stat_one_value
tcase "ls TARGET...: those segments, in order, once; unknown ones exit 1" t_ls_targets
tcase "ls of 1,100 rows to a pipe: streamed, the bytes of libsmartcols' table" t_table_stream
e2e_done
