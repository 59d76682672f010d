#!/bin/bash
# A newcomer's check: the README's quick-start line works from a fresh clone,
# and every ```sh block ("Usage by example" first) runs as written against
# the built binary.
#
# Usage: tests/readme/check.sh   (from the repository root)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0 skip=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "FAIL - $1"; fail=$((fail + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The quick start, copied from the README, in a fresh clone of HEAD
#    (committed work only, as CI and a newcomer see it).
quick=$(grep -m1 '^make deps && make && ./shmtool ls' "$root/README.md")
checkline=$(grep -m1 '^make check  ' "$root/README.md")
if [ -n "$quick" ] && [ -n "$checkline" ]; then
	ok "README has both quick-start lines"
else
	not_ok "README lost a quick-start line"
fi
if git -C "$root" rev-parse -q --verify HEAD >/dev/null &&
   git clone -q "$root" "$tmp/clone" 2>"$tmp/clone.err"; then
	quick_cmd=${quick%%#*}
	# As a newcomer types it: no make variables inherited from a parent
	# make (make check SANITIZE=1 would build build-san/shmtool instead).
	if (cd "$tmp/clone" &&
	    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE \
		bash -c "$quick_cmd") >"$tmp/quick.out" 2>&1
	then
		ok "fresh clone: '$quick_cmd' works"
	else
		not_ok "fresh clone: '$quick_cmd' failed:"
		tail -20 "$tmp/quick.out" | sed 's/^/    /'
	fi
else
	not_ok "cannot clone the repository: $(cat "$tmp/clone.err")"
fi

# 2. Every ```sh block of the README, each run as written against the
#    built binary (`shmtool` on PATH), in a private IPC namespace and shm
#    directory when root (they create /demo).  The first is "Usage by
#    example".
awk -v dir="$tmp" '/^```sh$/ { n++; f = dir "/examples" n ".sh"; c = 1; next }
     c && /^```$/ { c = 0; close(f); next }
     c { print > f }' "$root/README.md"
blocks=$(ls "$tmp"/examples*.sh 2>/dev/null | sort -V)
if ! grep -A3 '^## Usage by example' "$root/README.md" | grep -q . ||
   [ ! -s "$tmp/examples1.sh" ]; then
	not_ok "README has no Usage by example block"
fi
mkdir -p "$tmp/bin"
ln -s "${SHMTOOL:-$root/shmtool}" "$tmp/bin/shmtool"
for f in $blocks; do
	n=${f##*/examples}
	n=${n%.sh}
	what="README sh block $n (line $(awk -v n="$n" '/^```sh$/ && ++k == n { print NR; exit }' "$root/README.md"))"
	run='set -e -o pipefail; export PATH="'"$tmp"'/bin:$PATH"; . "'"$f"'"'
	if [ "$(id -u)" = 0 ] && unshare --ipc --mount --pid --fork \
		--mount-proc true 2>/dev/null; then
		cmd=(unshare --ipc --mount --pid --fork --mount-proc bash -c
		     "mount -t tmpfs readme-test /dev/shm && $run")
	else
		cmd=()
	fi
	if [ ${#cmd[@]} = 0 ]; then
		# Outside a private namespace they would use the host's /demo.
		echo "skip - $what needs root (private namespace)"
		skip=$((skip + 1))
	elif "${cmd[@]}" >"$tmp/ex.out" 2>&1; then
		ok "$what runs as written"
	else
		not_ok "$what fails:"
		tail -20 "$tmp/ex.out" | sed 's/^/    /'
	fi
done

echo "readme: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
