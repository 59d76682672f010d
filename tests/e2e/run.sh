#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - shmtool's end-to-end test runner.
#
#	SHMTOOL=/abs/shmtool SHMHELPER=/abs/shmhelper tests/e2e/run.sh [t_NAME...]
#
# Runs every tests/e2e/t_*.sh (or the ones named), prints one line per case
# (ok / FAIL / skip) and, as its last line, "e2e: N passed, N failed[, N skipped]".
# Exits non-zero if any case failed.
#
# As root it re-executes itself in private IPC, mount and PID namespaces with
# a private tmpfs on /dev/shm (ARCHITECTURE.md, Tests), so every segment and process the
# tests see is theirs.  Otherwise (or if that fails) the tests use unique
# names and touch nothing they did not create.  SHMTOOL_E2E_NO_ISOLATE=1
# forces the unique-name mode.

set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${SHMTOOL:=$PWD/shmtool}"
: "${SHMHELPER:=$PWD/tests/e2e/shmhelper}"
case $SHMTOOL in /*) ;; *) SHMTOOL=$PWD/$SHMTOOL ;; esac
case $SHMHELPER in /*) ;; *) SHMHELPER=$PWD/$SHMHELPER ;; esac
export SHMTOOL SHMHELPER

unshare_args=(--ipc --mount --pid --fork --mount-proc)

if [ "$(id -u)" = 0 ] && [ -z "${SHMTOOL_E2E_ISOLATED:-}" ] &&
	[ -z "${SHMTOOL_E2E_NO_ISOLATE:-}" ] &&
	unshare "${unshare_args[@]}" true 2>/dev/null; then
	export SHMTOOL_E2E_ISOLATED=1
	exec unshare "${unshare_args[@]}" "$BASH" "$0" "$@"
fi

mode=names
note=
if [ "${SHMTOOL_E2E_ISOLATED:-}" = 1 ]; then
	# unshare(1) makes the new mount namespace private, so this tmpfs is
	# seen by nothing outside it.
	if mount -t tmpfs -o size=64m,mode=1777 shmtool-test /dev/shm 2>/dev/null; then
		mode=isolated
	else
		note="cannot mount a private /dev/shm"
	fi
elif [ "$(id -u)" = 0 ] && [ -z "${SHMTOOL_E2E_NO_ISOLATE:-}" ]; then
	note="unshare failed"
fi
export SHMTOOL_E2E_MODE=$mode
echo "# shmtool e2e: $SHMTOOL (mode: $mode${note:+; $note})"

npass=0 nfail=0 nskip=0

setup_fail() {
	echo "FAIL - setup: $1"
	echo "e2e: $npass passed, 1 failed"
	exit 1
}

[ -x "$SHMTOOL" ] || setup_fail "$SHMTOOL is not an executable (build it with make)"
[ -x "$SHMHELPER" ] || setup_fail "$SHMHELPER is not an executable (make builds it from tests/e2e/shmhelper.c)"
for tool in jq hexdump cmp sha256sum; do
	command -v "$tool" >/dev/null ||
		setup_fail "$tool is missing (apt-get install jq bsdextrautils diffutils coreutils)"
done

if [ $# -gt 0 ]; then
	files=()
	for t in "$@"; do
		t=${t##*/}
		t=${t%.sh}
		files+=("$here/$t.sh")
	done
else
	files=("$here"/t_*.sh)
fi

for f in "${files[@]}"; do
	name=$(basename "$f" .sh)
	if [ ! -f "$f" ]; then
		echo "FAIL - $name: no such test file"
		nfail=$((nfail + 1))
		continue
	fi
	finished=
	status=
	while IFS= read -r line; do
		case $line in
		"ok - "*) npass=$((npass + 1)) ;;
		"FAIL - "*) nfail=$((nfail + 1)) ;;
		"skip - "*) nskip=$((nskip + 1)) ;;
		"# $name: "*) finished=1 ;;
		"# exit "*) status=${line#\# exit }; continue ;;
		esac
		printf '%s\n' "$line"
	done < <(cd "$here/../.." && "$BASH" "$f" </dev/null 2>&1; echo "# exit $?")
	if [ -z "$finished" ]; then
		echo "FAIL - $name: the test file stopped early (status $status)"
		nfail=$((nfail + 1))
	fi
done

summary="e2e: $npass passed, $nfail failed"
[ "$nskip" -gt 0 ] && summary+=", $nskip skipped"
echo "$summary"
[ "$nfail" -eq 0 ]
