#!/bin/bash
# SPDX-License-Identifier: MIT
# Global command line: help, version, unknown commands, exit codes.
. "$(dirname "$0")/lib.sh"

COMMANDS="create write read stat ls rm"

t_no_args() {
	run
	expect_rc 2
	expect_out_empty
	expect_err_nonempty
}

t_help() {
	run "$1"
	expect_rc 0
	expect_err_empty
	expect_out_nonempty
	local c
	for c in $COMMANDS; do
		grep -qw -- "$c" "$OUT" || fail "the command list lacks '$c'"
	done
}

t_help_cmd() {
	run "$@"
	expect_rc 0
	expect_err_empty
	expect_out_nonempty
}

# Each command's help is its own, not the global one.
t_help_cmd_differs() {
	local c
	run help
	cp "$OUT" "$E2E_TMP/global"
	for c in $COMMANDS; do
		run help "$c"
		expect_rc 0
		cmp -s "$OUT" "$E2E_TMP/global" &&
			fail "'help $c' prints the global help"
		grep -qw -- "$c" "$OUT" || fail "'help $c' does not mention '$c'"
	done
}

t_version() {
	run "$1"
	expect_rc 0
	expect_err_empty
	# "shmtool X.Y.Z", and " (git DESCRIBE)" when built from a git tree:
	# then the describe of the tree it was built from.
	[[ $(cat "$OUT") =~ ^shmtool\ [0-9]+\.[0-9]+\.[0-9]+(\ \(git\ ([^\)]+)\))?$ ]] ||
		fail "version line is '$(head -c 100 "$OUT")'"
	expect_eq "$(wc -l <"$OUT")" 1 "version lines"
	local src
	src=$(dirname "$(readlink -f "$SHMTOOL")")
	while [ "$src" != / ] && [ ! -f "$src/Makefile" ]; do src=$(dirname "$src"); done
	if [ -d "$src/.git" ] && command -v git >/dev/null; then
		expect_eq "${BASH_REMATCH[2]}" \
			"$(git -C "$src" describe --tags --always --dirty)" \
			"-V's describe"
	fi
}

t_unknown_command() {
	run "$@"
	expect_rc 2
	expect_out_empty
	expect_err_is "shmtool: unknown command 'nosuch' (see 'shmtool help')"
}

t_unknown_global_option() {
	run --bogus-option
	expect_rc 2
	expect_out_empty
	expect_err_nonempty
}

t_list_commands() {
	run --list-commands
	expect_rc 0
	expect_err_empty
	local c
	for c in $COMMANDS; do
		grep -qx -- "$c" "$OUT" || fail "--list-commands lacks a '$c' line"
	done
}

t_help_to_full() {
	st "$@" </dev/null >/dev/full 2>"$ERR"
	RC=$?
	expect_rc 1
	expect_err_nonempty
}

tcase "no arguments: usage on stderr, exit 2" t_no_args
tcase "-h: usage on stdout, exit 0" t_help -h
tcase "--help: usage on stdout, exit 0" t_help --help
tcase "help: usage on stdout, exit 0" t_help help
for c in $COMMANDS; do
	tcase "help $c: exit 0, stdout only" t_help_cmd help "$c"
	tcase "$c --help: exit 0, stdout only" t_help_cmd "$c" --help
	tcase "$c -h: exit 0, stdout only" t_help_cmd "$c" -h
done
tcase "help CMD prints that command's help" t_help_cmd_differs
tcase "-V prints 'shmtool X.Y.Z (git DESCRIBE)'" t_version -V
tcase "--version prints 'shmtool X.Y.Z (git DESCRIBE)'" t_version --version
tcase "unknown command: exit 2 and the exact message" t_unknown_command nosuch
tcase "help of an unknown command: exit 2 and the exact message" t_unknown_command help nosuch
tcase "unknown global option: exit 2" t_unknown_global_option
tcase "--list-commands lists every command" t_list_commands
tcase "--help > /dev/full: exit 1 with a message" t_help_to_full --help
tcase "--version > /dev/full: exit 1 with a message" t_help_to_full --version
e2e_done
