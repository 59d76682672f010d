#!/bin/bash
# SPDX-License-Identifier: MIT
# selftest.sh - check.sh can fail: each rule, broken once in a copy of src/,
# must be reported by name (and the untouched copy must pass).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../../src
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-layers-self.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT
fail=0

# break RULE FILE LINE: append LINE to a fresh copy's FILE; check.sh must
# report RULE.
break_one() {
	local rule=$1 file=$2 line=$3 out
	rm -rf "$tmp/src"
	cp -r "$src" "$tmp/src"
	printf '%s\n' "$line" >>"$tmp/src/$file"
	if out=$(SRC=$tmp/src "$here/check.sh") ||
		! grep -q "^not ok - $rule" <<<"$out"; then
		echo "not ok - self-test: $rule broken in $file was not reported"
		fail=1
	else
		echo "ok - self-test: $rule broken in $file is reported"
	fi
}

rm -rf "$tmp/src"
cp -r "$src" "$tmp/src"
if SRC=$tmp/src "$here/check.sh" >/dev/null; then
	echo "ok - self-test: the tree as it is passes"
else
	echo "not ok - self-test: the tree as it is fails"
	fail=1
fi
break_one ipc cmd_read.c 'static int x(void) { return shmget(0, 1, 0); }'
break_one paths cmd_ls.c 'static int y(void) { return open("/proc/self/maps", 0); }'
break_one paths posix.c 'static const char *z(void) { return getenv("SHMTOOL_SHM_DIR"); }'
break_one smartcols columns.c 'static void w(void) { scols_new_table(); }'
break_one parsers-no-io parse.c 'static void v(void) { fopen("x", "r"); }'
break_one commands-no-scan cmd_maps.c 'static void u(struct inventory *inv) { (void)inv->scan; }'
# A message or a comment naming /proc is no violation.
rm -rf "$tmp/src"
cp -r "$src" "$tmp/src"
printf '%s\n' '/* open("/proc/x") in a comment */' >>"$tmp/src/cmd_ls.c"
if SRC=$tmp/src "$here/check.sh" >/dev/null; then
	echo "ok - self-test: a comment naming /proc passes"
else
	echo "not ok - self-test: a comment naming /proc is reported"
	fail=1
fi
exit $fail
