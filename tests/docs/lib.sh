# SPDX-License-Identifier: MIT
# lib.sh - helpers for the docs tests (sourced by tests/docs/t_*.sh).
#
#   ok MSG / not_ok MSG / skip MSG      one result line each
#   check MSG CMD...                    ok if CMD succeeds, else not_ok
#   docs_done                           print "docs: N passed, N failed[,
#                                       N skipped]" and exit 1 on failure
#
# SHMTOOL is the binary under test (default: ./shmtool of the repository).
# $DOCS_BIN is a directory holding a `shmtool` symlink to it, put first on
# PATH, so completions that call `shmtool` call the binary under test.

set -u
export LC_ALL=C
# The tool must see the real shm directory and /proc, whatever the caller set.
unset SHMTOOL_SHM_DIR SHMTOOL_PROC_ROOT

# As root, a test that sets DOCS_WANT_ISOLATION=1 before sourcing this file
# re-executes itself inside private IPC and mount namespaces with a private
# tmpfs on /dev/shm, so the segments it creates and lists are its own.
# Otherwise it uses unique names and removes what it creates.
if [ "${DOCS_WANT_ISOLATION:-}" = 1 ] && [ "$(id -u)" = 0 ] &&
	[ -z "${SHMTOOL_DOCS_ISOLATED:-}" ] &&
	unshare --ipc --mount --fork true 2>/dev/null; then
	export SHMTOOL_DOCS_ISOLATED=1
	exec unshare --ipc --mount --fork "$BASH" -c \
		'mount -t tmpfs -o size=16m,mode=1777 shmtool-docs /dev/shm ||
		 SHMTOOL_DOCS_ISOLATED=failed; exec "$BASH" "$0" "$@"' \
		"$0" "$@"
fi
isolated() { [ "${SHMTOOL_DOCS_ISOLATED:-}" = 1 ]; }

DOCS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${SHMTOOL:=$DOCS_ROOT/shmtool}"
case $SHMTOOL in /*) ;; *) SHMTOOL=$PWD/$SHMTOOL ;; esac
export SHMTOOL
MAN=$DOCS_ROOT/man/shmtool.1
COMPDIR=$DOCS_ROOT/completions

DOCS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-docs.XXXXXX") || exit 1
DOCS_BIN=$DOCS_TMP/bin
mkdir -p "$DOCS_BIN"
ln -s "$SHMTOOL" "$DOCS_BIN/shmtool"
export PATH="$DOCS_BIN:$PATH"

# Extra cleanup a test registers (a function name), run before the tmp dir
# goes.
DOCS_CLEANUP=
docs_exit() {
	[ -n "$DOCS_CLEANUP" ] && "$DOCS_CLEANUP"
	rm -rf "$DOCS_TMP"
}
trap docs_exit EXIT
trap 'exit 130' INT TERM

npass=0 nfail=0 nskip=0

ok() { echo "ok - $1"; npass=$((npass + 1)); }
not_ok() { echo "FAIL - $1"; nfail=$((nfail + 1)); }
skip() { echo "skip - $1"; nskip=$((nskip + 1)); }

check() {
	local msg=$1
	shift
	if "$@"; then ok "$msg"; else not_ok "$msg"; fi
}

docs_done() {
	local line="docs: $npass passed, $nfail failed"
	[ "$nskip" -gt 0 ] && line="$line, $nskip skipped"
	echo "$line"
	[ "$nfail" = 0 ]
	exit
}

# Stop the file when the binary is missing: nothing else can be checked.
docs_need_binary() {
	if [ ! -x "$SHMTOOL" ]; then
		not_ok "$SHMTOOL is not an executable (build it with make)"
		docs_done
	fi
}

# The man page rendered as plain text, wide enough that nothing wraps in
# the middle of an option list.
man_text() {
	mandoc -Tascii -O width=250 "$MAN" 2>/dev/null | col -bx
}

# Lines of a rendered section (a heading at column 0) or subsection
# (a heading indented by 3), from the heading up to the next heading of the
# same or a higher level.  Reads the rendered text on stdin.
man_section() {
	awk -v h="$1" '
		/^[^ ]/ { if (in_s) exit; if ($0 == h) { in_s = 1; next } }
		in_s { print }'
}
man_subsection() {
	awk -v h="   $1" '
		/^[^ ]/ || /^   [^ ]/ {
			if (in_s) exit
			if ($0 == h) { in_s = 1; next }
		}
		in_s { print }'
}

# Does the text on stdin contain WORD as a whole word (an option or a
# column name: not a prefix of a longer name)?
has_word() {
	grep -qE -- "(^|[^A-Za-z0-9_-])$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g')([^A-Za-z0-9_-]|$)"
}

# ---------------------------------------------------------------- bash
#
# bash_complete WORD...: complete the last WORD of the command line WORD...
# (as bash splits it: "--output=SE" is the three words --output = SE) with
# completions/shmtool.bash in a fresh bash that loaded bash-completion; print
# COMPREPLY one per line.  Exit 3 if bash-completion or the file cannot be
# loaded, 4 if the file registers no function for shmtool.
BASH_COMPLETION_MAIN=${BASH_COMPLETION_MAIN:-/usr/share/bash-completion/bash_completion}

bash_complete() {
	bash --norc --noprofile -c '
		. "$1" >/dev/null 2>&1 || exit 3
		. "$2" || exit 3
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE=
		prev=
		for w in "$@"; do
			if [ -n "$COMP_LINE" ] && [ "$w" != = ] && [ "$prev" != = ]; then
				COMP_LINE+=" "
			fi
			COMP_LINE+=$w
			prev=$w
		done
		COMP_POINT=${#COMP_LINE}
		COMP_TYPE=9
		COMP_KEY=9
		spec=$(complete -p shmtool 2>/dev/null) || exit 4
		fn=${spec#*-F }
		fn=${fn%% *}
		[ -n "$fn" ] && [ "$fn" != "$spec" ] || exit 4
		COMPREPLY=()
		"$fn" shmtool "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' bash "$BASH_COMPLETION_MAIN" "$COMPDIR/shmtool.bash" "$@"
}

have_bash_completion() { [ -r "$BASH_COMPLETION_MAIN" ]; }

# in_list ITEM: is ITEM one of the lines on stdin?
in_list() { grep -qxF -- "$1"; }
