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

# 3. Every captured output block ("```text" with "$ shmtool ..." lines) is
#    what the "Usage by example" block really prints at that point: the
#    block runs again, in a private namespace with the shell as PID 1 and
#    a 64 MiB shm directory (as the README says), each shmtool call logged
#    (its words, stdout, stderr); each "$ cmd" line, expanded in that shell
#    at the end, is matched to the first call with the same words after
#    the one matched before, and its output compared with the lines under
#    it.  Normalised: times (and a dry run's idle times), the PIDs of
#    shmtool's own processes (CPID, LPID), and trailing blanks.
cap=$tmp/cap
mkdir -p "$cap/log"
awk -v dir="$cap" '
	/^```text$/ { inb = 1; cur = 0; next }
	inb && /^```$/ { inb = 0; if (cur) close(dir "/exp" k); next }
	inb && /^\$ shmtool / { k++; cur = 1; print substr($0, 3) > (dir "/cmd" k); close(dir "/cmd" k); printf "" > (dir "/exp" k); next }
	inb && /^\$ / { cur = 0; next }
	inb && cur { print >> (dir "/exp" k) }
' "$root/README.md"
ncap=$(ls "$cap"/cmd* 2>/dev/null | wc -l)
norm() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:?[0-9]{2}/TIME/g' \
	       -e 's/^((Creator|Last) PID: )[0-9]+$/\1PID/' \
	       -e 's/\t[0-9]+[smhdw]([0-9]+[smhdw])?$/\tIDLE/' \
	       -e 's/[[:space:]]+$//' "$1"
}
if [ "$ncap" = 0 ]; then
	not_ok "README has no captured output block"
elif [ "$(id -u)" != 0 ] || ! unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null; then
	echo "skip - captured output blocks need root (private namespace)"
	skip=$((skip + 1))
else
	cat >"$cap/prelude.sh" <<'PRELUDE'
echo 0 >"$CAP/log/n"
shmtool() {
	local n rc
	read -r n <"$CAP/log/n"
	n=$((n + 1))
	echo "$n" >"$CAP/log/n"
	printf '%s\0' "$@" >"$CAP/log/$n.args"
	command shmtool "$@" >"$CAP/log/$n.out" 2>"$CAP/log/$n.err"
	rc=$?
	cat "$CAP/log/$n.out"
	cat "$CAP/log/$n.err" >&2
	return $rc
}
PRELUDE
	cat >"$cap/match.sh" <<'MATCH'
last=0
read -r total <"$CAP/log/n"
k=1
while [ -e "$CAP/cmd$k" ]; do
	read -r line <"$CAP/cmd$k"
	eval "set -- ${line#shmtool }"
	printf '%s\0' "$@" >"$CAP/want.args"
	: >"$CAP/act$k"
	echo "(no call of: $line)" >"$CAP/act$k"
	j=$((last + 1))
	while [ "$j" -le "$total" ]; do
		if cmp -s "$CAP/want.args" "$CAP/log/$j.args"; then
			cat "$CAP/log/$j.out" "$CAP/log/$j.err" >"$CAP/act$k"
			last=$j
			break
		fi
		j=$((j + 1))
	done
	k=$((k + 1))
done
MATCH
	run='export PATH="'"$tmp"'/bin:$PATH" CAP="'"$cap"'" TZ=UTC LC_ALL=C; . "$CAP/prelude.sh"; set -e -o pipefail; . "'"$tmp"'/examples1.sh"; set +e; . "$CAP/match.sh"'
	if unshare --ipc --mount --pid --fork --mount-proc bash -c \
		"mount -t tmpfs -o size=64m readme-test /dev/shm && $run" \
		>"$cap/run.out" 2>&1; then
		k=1
		while [ -e "$cap/cmd$k" ]; do
			what="README captured output of '$(cat "$cap/cmd$k")'"
			if diff -u <(norm "$cap/exp$k") <(norm "$cap/act$k") >"$cap/diff"; then
				ok "$what is true"
			else
				not_ok "$what differs from the real output:"
				sed 's/^/    /' "$cap/diff" | head -30
			fi
			k=$((k + 1))
		done
	else
		not_ok "the Usage by example block fails when replayed:"
		tail -20 "$cap/run.out" | sed 's/^/    /'
	fi
fi

echo "readme: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
