# SPDX-License-Identifier: MIT
# hold.sh - start tests/e2e/shmholder processes (sourced after lib.sh).
#
#   hold ARGS...   start "shmholder ARGS" in the background, wait until it
#                  is ready, register it for cleanup.  Sets HOLD_PID, and
#                  HOLD_VALUE to what it reported ("ready V": the forked
#                  child's PID, or the shmid it created), else empty.

: "${SHMHOLDER:=$(dirname "$0")/shmholder}"

# start_ready PROG ARGS...: start PROG in the background, registered for
# cleanup, and wait until it prints "ready"; HOLD_PID is its PID, HOLD_OUT
# its output file.
start_ready() {
	local out i
	out=$E2E_TMP/hold$(new_counter)
	"$@" >"$out" 2>"$out.err" </dev/null &
	HOLD_PID=$!
	HOLD_OUT=$out
	reg_pid "$HOLD_PID"
	for i in $(seq 1 200); do
		grep -q '^ready' "$out" && return 0
		kill -0 "$HOLD_PID" 2>/dev/null ||
			fail "setup: ${*##*/} died: $(head -c 200 "$out.err")"
		sleep 0.05
	done
	fail "setup: ${*##*/} is not ready"
}

hold() {
	start_ready "$SHMHOLDER" "$@"
	HOLD_VALUE=$(awk '/^ready/ { print $2 }' "$HOLD_OUT")
	# A forked child is a holder too: kill it with its parent.
	case " $* " in *" fork "*) [ -n "$HOLD_VALUE" ] && reg_pid "$HOLD_VALUE" ;; esac
	# A segment it created is the test's to remove.
	[ "$1" = create-sysv ] && [ -n "$HOLD_VALUE" ] && reg_sysv_id "$HOLD_VALUE"
	return 0
}

# unhold PID: SIGKILL it and wait until it is gone (as a crash would).
unhold() {
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	local i
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	fail "process $1 did not die"
}
