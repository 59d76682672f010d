#!/bin/bash
# SPDX-License-Identifier: MIT
# make check-valgrind: every command and its main options under valgrind
# memcheck, against real segments and holders: zero errors, zero definite
# leaks.  As root it runs in private IPC/mount/PID namespaces with its own
# tmpfs on /dev/shm; otherwise it skips (it creates and removes segments
# and runs rm --unused).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${SHMTOOL:=$root/shmtool}"
: "${SHMHOLDER:=$root/tests/e2e/shmholder}"
export SHMTOOL SHMHOLDER

if [ -z "${SHMTOOL_VG_ISOLATED:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v valgrind >/dev/null ||
	   ! unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null; then
		echo "skip - valgrind run needs root, unshare and valgrind"
		echo "valgrind: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	export SHMTOOL_VG_ISOLATED=1
	exec unshare --ipc --mount --pid --fork --mount-proc "$BASH" "$0" "$@"
fi
mount -t tmpfs -o size=64m,mode=1777 shmtool-vg /dev/shm || exit 1

pass=0 fail=0
tmp=$(mktemp -d)
pids=()
finish() {
	# Reap the holders here, so the shell's "Killed" notes stay quiet.
	kill -KILL "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	rm -rf "$tmp"
}
trap finish EXIT

vg() {	# vg EXPECTED-EXIT ARGS...: one command under memcheck
	local want=$1 rc
	shift
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--track-fds=no "$SHMTOOL" "$@" >"$tmp/out" 2>"$tmp/err" <"${VG_STDIN:-/dev/null}"
	rc=$?
	if [ "$rc" = "$want" ] && ! grep -q '^==[0-9]*==' "$tmp/err"; then
		echo "ok - shmtool $*"
		pass=$((pass + 1))
	else
		echo "FAIL - shmtool $* (exit $rc, want $want):"
		grep -m 20 '' "$tmp/err" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

hold() {
	"$SHMHOLDER" "$@" >"$tmp/hold.out" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 100); do
		grep -q ready "$tmp/hold.out" && return 0
		sleep 0.05
	done
	echo "FAIL - setup: shmholder $*"
	exit 1
}

printf 'hello, valgrind\0more' >"$tmp/in"
head -c 100000 /dev/urandom >"$tmp/big"
head -c 5000 /dev/urandom >"$tmp/small"
"$SHMTOOL" create /held 64K >/dev/null
"$SHMTOOL" create /fdheld 4K >/dev/null
id=$("$SHMTOOL" create --sysv 0x5eed 64K)
hold sysv "$id" twice
hold posix-map /held
hold posix-fd /fdheld
"$SHMTOOL" create /gone 4K >/dev/null
hold posix-unlink /gone
# Holders the scan finds only through threads, private mappings.
for n in zl tf pm; do "$SHMTOOL" create /$n 4K >/dev/null; done
hold zombie-leader /zl
hold thread-files /tf
hold private-map /pm

vg 0 --version
vg 0 help
vg 0 help ls
vg 2 nosuch
vg 0 create /a 128K
vg 0 create --posix b 4K --mode 644
vg 0 create /a 4K --exist-ok
vg 1 create /a 4K
vg 2 create /a 12x
vg 0 create /c --from "$tmp/in"
VG_STDIN=$tmp/small vg 0 create /stdin 8K --from -
VG_STDIN=$tmp/big vg 1 create /stdin2 8K --from -
vg 2 create /stdin3 --from -
vg 0 create --sysv 8K
vg 0 create --sysv 0x1234 8K --mode 600
vg 0 create --sysv --ftok /tmp:7 4K
vg 0 write /a --data hello
vg 0 write /a --file "$tmp/big" --offset 1K
vg 1 write /c --file "$tmp/big"
VG_STDIN=$tmp/small vg 0 write 0x1234 --offset 0
VG_STDIN=$tmp/big vg 1 write /c
vg 0 read /a --length 100000 --offset 1K
vg 0 read --hex /c
vg 0 read --string 0x1234
vg 0 read "$id"
SHMTOOL_NO_MAP_FILES=1 vg 0 read "$id"
SHMTOOL_NO_MAP_FILES=1 VG_STDIN=$tmp/small vg 0 write "$id" --offset 1K
vg 2 read /a --offset 1M
vg 0 stat /a
vg 0 stat -J "$id"
vg 0 stat /held
vg 1 stat /nope
# Issue 15's targets: a deleted segment through its holder, ftok:, keys.
gone=$("$SHMTOOL" ls -r -n -o SEGMENT,STATUS | awk '$2 == "deleted" { print $1; exit }')
vg 0 read --string "$gone"
vg 0 stat -J "$gone"
vg 0 maps --segment "$gone"
vg 1 rm "$gone"
vg 0 read --string ftok:/tmp:7
vg 1 read ftok:/nonexistent:3
vg 1 read 4660
vg 2 create --sysv 1 4K
vg 0 ls
vg 0 ls -J
vg 0 ls -r -n -b -o +PIDS,COMMANDS --sort SIZE
vg 0 ls --summary
vg 0 ls --summary -J
vg 0 ls --unused --posix
vg 0 ls --list-columns
vg 0 ls --limits
vg 0 ls --limits -J
vg 0 ls --limits -y -b
vg 0 ls -P --time-format full
vg 0 ls -y -o +CTIME,ATIME,MTIME --time-format short
vg 0 ls -J --time-format epoch
vg 0 ls -r -o SEGMENT,SIZE "$id" /held /a
vg 1 ls "$id" /nope 2147483000
vg 0 ls --summary -y
vg 2 ls -J -P
vg 0 stat -o SIZE -n -b "$id"
vg 0 stat -r /held
vg 0 stat -y --time-format epoch /held
vg 0 stat -J -o SIZE,CTIME "$id"
vg 0 stat --time-format full "$id"
vg 0 stat --list-columns
vg 0 maps
vg 0 maps -J
vg 0 maps -y --segment /held
vg 0 maps -P -o PID,SEGMENT,HOW
vg 0 maps --segment "$id" -o PID,START,END
vg 0 maps "${pids[0]}"
vg 1 maps 99999
SHMTOOL_NO_PROCMAP_QUERY=1 vg 0 maps -J
vg 0 ls --summary --by process
vg 0 metrics
vg 0 metrics --per-segment
vg 0 metrics --metrics-file "$tmp/shmtool.prom"
vg 1 metrics --metrics-file "$tmp/nodir/shmtool.prom"
vg 2 metrics --metrics-file ""
vg 0 rm --unused --dry-run
vg 0 rm --unused -v
"$SHMTOOL" create /leak1 4K >/dev/null
"$SHMTOOL" create /leak2 4K >/dev/null
vg 0 rm --unused --force --dry-run
vg 0 rm --unused --force -v
SHMTOOL_PROC_ROOT=/nonexistent vg 1 rm --unused
vg 0 chmod 640 /held "$id"
vg 0 chmod -v 600 /held "$id"
vg 2 chmod 999 /held
vg 1 chmod 600 /held /nope
vg 0 chown -v nobody:nogroup /held "$id"
vg 0 chown root: /held "$id"
vg 0 chown :0 /held
vg 2 chown no-such-user-xyzzy /held
vg 0 lock -v "$id"
vg 0 unlock "$id"
vg 1 lock /held
vg 2 unlock
vg 0 rm -v "$id"
vg 1 rm /nope /held
SHMTOOL_PROC_ROOT=/nonexistent vg 0 ls --sysv

echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
