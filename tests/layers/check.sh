#!/bin/bash
# SPDX-License-Identifier: MIT
# check.sh - the layer rules of docs/ARCHITECTURE.md, checked at grep level
# over src/ (comments and string literals stripped first, so that a message
# naming /proc or a comment naming libsmartcols is no violation).  Prints
# one line per rule and per violation; exits 1 if any rule is broken.
#
#   SRC=DIR tests/layers/check.sh    check another tree (the self-test does)
set -u
SRC=${SRC:-$(cd "$(dirname "$0")/../../src" && pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-layers.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT

# Code only: /* */ and // comments, string and character literals blanked
# (line numbers kept).
for f in "$SRC"/*.[ch]; do
	sed -E ':a; s@/\*([^*]|\*+[^*/])*\*+/@ @g; ta' "$f" |
		perl -0pe 's{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse;
			   s{//[^\n]*}{}g;
			   s{"(\\.|[^"\\\n])*"}{""}g;
			   s{'"'"'(\\.|[^'"'"'\\\n])*'"'"'}{0}g' >"$tmp/${f##*/}"
done

fail=0
# rule NAME ALLOWED-FILES REGEX: REGEX may match only in ALLOWED-FILES
# (space-separated basenames); WHY says the rule.
rule() {
	local name=$1 allowed=$2 re=$3 why=$4 f base hits bad=0
	for f in "$tmp"/*; do
		base=${f##*/}
		case " $allowed " in *" $base "*) continue ;; esac
		hits=$(grep -nE -- "$re" "$f") || continue
		while IFS= read -r h; do
			echo "not ok - $name: src/$base:${h%%:*}: $why"
		done <<<"$hits"
		bad=1
	done
	if [ "$bad" = 0 ]; then
		echo "ok - $name"
	else
		fail=1
	fi
}

rule ipc "sysv.c" '\<shm(get|at|dt|ctl)[[:space:]]*\(' \
	"System V IPC calls belong in the SysV backend (sysv.c)"
# Path literals are looked for with the strings kept (comments still out).
for f in "$SRC"/*.c; do
	base=${f##*/}
	[ "$base" = paths.c ] && continue
	perl -0pe 's{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse;
		   s{(?<!:)//[^\n]*}{}g' "$f" |
		grep -nE '"(/proc/|/proc"|/dev/shm)|getenv\("SHMTOOL_(PROC_ROOT|SHM_DIR)"' |
		while IFS= read -r h; do
			echo "not ok - paths: src/$base:${h%%:*}: a literal /proc or shm directory path, or the variables that move them: reach them through the paths layer (paths.h)"
		done
done >"$tmp/paths.out"
if [ -s "$tmp/paths.out" ]; then
	cat "$tmp/paths.out"
	fail=1
else
	echo "ok - paths"
fi
rule smartcols "output.c" '(\<scols_|<libsmartcols)' \
	"libsmartcols is output.c's alone"
# The parsers are pure: bytes in, values out.
for f in parse.c num.c procfmt.c pgshm.c; do
	if grep -nE '\<(open|openat|close|read|write|pread|pwrite|fopen|fclose|printf|fprintf|puts|fputs|msg|msg_errno|usage_error|stat|fstat|fstatat|getenv|malloc|calloc|realloc)[[:space:]]*\(' "$tmp/$f" >"$tmp/hits"; then
		while IFS= read -r h; do
			echo "not ok - parsers-no-io: src/$f:${h%%:*}: a parser does no I/O and allocates nothing"
		done <"$tmp/hits"
		fail=1
	else
		echo "ok - parsers-no-io: $f"
	fi
done
# Commands ask the inventory; they never touch the scan.
others=$(cd "$tmp" && ls *.c *.h | grep -v '^cmd_' | tr '\n' ' ')
rule commands-no-scan "$others" '(\<procscan[[:space:]]*\(|\<scan_(find|find_sysv|proc|settle_sysv)[[:space:]]*\(|\<segment_link[[:space:]]*\(|\<inv(\.|->)scan\>)' \
	"commands read holders and verdicts from the inventory (inventory.h), never from the scan"
exit $fail
