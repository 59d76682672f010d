#!/bin/bash
# SPDX-License-Identifier: MIT
# t_man_lint.sh - man/shmtool.1 is clean roff: mandoc -Tlint -W style and
# groff -man -ww -z report nothing, and man(1) renders it.
. "$(dirname "$0")/lib.sh"

if command -v mandoc >/dev/null; then
	out=$(mandoc -Tlint -W style "$MAN" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && [ -z "$out" ]; then
		ok "mandoc -Tlint -W style reports nothing"
	else
		not_ok "mandoc -Tlint -W style (exit $rc):"
		printf '%s\n' "$out" | head -20 | sed 's/^/    /'
	fi
else
	not_ok "mandoc is not installed (make deps)"
fi

if command -v groff >/dev/null; then
	out=$(groff -man -ww -z "$MAN" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && [ -z "$out" ]; then
		ok "groff -man -ww -z is silent"
	else
		not_ok "groff -man -ww -z (exit $rc):"
		printf '%s\n' "$out" | head -20 | sed 's/^/    /'
	fi
else
	not_ok "groff is not installed (make deps)"
fi

# The sections the issue asks for, in the rendered page.
text=$(man_text)
for sec in NAME SYNOPSIS DESCRIPTION COMMANDS TARGETS "OUTPUT COLUMNS" \
	"JSON OUTPUT" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	if printf '%s\n' "$text" | grep -qx -- "$sec"; then
		ok "man page has section $sec"
	else
		not_ok "man page lacks section $sec"
	fi
done

if command -v man >/dev/null; then
	out=$(MANWIDTH=80 man -l "$MAN" 2>&1 </dev/null)
	if [ $? = 0 ] && printf '%s\n' "$out" | grep -q '^SHMTOOL(1)' &&
		printf '%s\n' "$out" | grep -q '^NAME'; then
		ok "man -l renders the page"
	else
		not_ok "man -l does not render the page:"
		printf '%s\n' "$out" | head -5 | sed 's/^/    /'
	fi
else
	skip "man is not installed"
fi

docs_done
