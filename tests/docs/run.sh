#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - the docs tests: man page lint, drift between the binary and its
# help, man page and completions, completions in real shells, install.
#
#	SHMTOOL=/abs/shmtool tests/docs/run.sh [t_NAME...]
#
# Runs every tests/docs/t_*.sh (or the ones named), shows their ok / FAIL /
# skip lines and, as its last line, "docs: N passed, N failed[, N skipped]"
# over all of them.  Exits non-zero if any case failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${SHMTOOL:=$(cd "$here/../.." && pwd)/shmtool}"
case $SHMTOOL in /*) ;; *) SHMTOOL=$PWD/$SHMTOOL ;; esac
export SHMTOOL

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		t=${t%.sh}
		tests+=("$here/${t##*/}.sh")
	done
else
	tests=("$here"/t_*.sh)
fi

pass=0 fail=0 skip=0
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
for t in "${tests[@]}"; do
	echo "# $(basename "$t")"
	"$BASH" "$t" >"$tmp" 2>&1
	rc=$?
	# Show everything but the file's own closing line.
	grep -v '^docs: ' "$tmp"
	last=$(grep '^docs: ' "$tmp" | tail -n 1)
	if [[ $last =~ ^docs:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		skip=$((skip + ${BASH_REMATCH[4]:-0}))
		if [ "$rc" != 0 ] && [ "${BASH_REMATCH[2]}" = 0 ]; then
			echo "FAIL - $(basename "$t") exited $rc with no failed case"
			fail=$((fail + 1))
		fi
	else
		echo "FAIL - $(basename "$t") ended without its summary line (exit $rc)"
		fail=$((fail + 1))
	fi
done

line="docs: $pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" = 0 ]
