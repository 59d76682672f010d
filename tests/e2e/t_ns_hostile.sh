#!/bin/bash
# SPDX-License-Identifier: MIT
# Never trust the target (ARCHITECTURE.md, Namespaces; issue 14): what another mount
# namespace controls -- its /dev/shm, its /proc -- is hostile.  An
# unprivileged user's container (a user and mount namespace of its own,
# made by nobody) tries to make root list, judge and remove what is not a
# segment of its own, with --ns and with ls --all-namespaces; every root
# file and segment must stay as it was.
#
# Only in the private namespace (as root), with unprivileged user
# namespaces allowed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# shmtool runs inside namespaces whose /proc is not its own.
no_leak_check

need_userns() {
	isolated || skip "needs root and the private namespace of the isolated run"
	"${NOBODY[@]}" unshare -Urm true 2>/dev/null ||
		skip "unprivileged user namespaces are not allowed here"
}

# evil SCRIPT: nobody's container (unshare -Urm) runs SCRIPT (sh), then
# waits; sets EVIL (a process inside it, as our namespace numbers it).
evil() {
	local i ready=$E2E_TMP/evil/$(new_counter)
	mkdir -p "$E2E_TMP/evil"
	chmod 0755 "$E2E_TMP"
	chmod 1777 "$E2E_TMP/evil"
	"${NOBODY[@]}" unshare -Urm sh -c "$1 && echo up >$ready && exec sleep 300" \
		>"$ready.log" 2>&1 </dev/null &
	reg_pid $!
	for i in $(seq 1 100); do
		[ -e "$ready" ] && break
		kill -0 $! 2>/dev/null || fail "setup: the container died: $(head -c 300 "$ready.log")"
		sleep 0.05
	done
	[ -e "$ready" ] || fail "setup: the container did not start: $(head -c 300 "$ready.log")"
	# unshare execs sh, which execs sleep: the same process.
	EVIL=$!
}

# A root-owned directory of files nobody may remove, and its checksum.
victims() {
	VICTIM=$E2E_TMP/victim
	mkdir -p "$VICTIM"
	chmod 0755 "$E2E_TMP" "$VICTIM"
	for f in precious passwd "PostgreSQL.1"; do
		echo "root's $f" >"$VICTIM/$f"
	done
	truncate -s 4096 "$VICTIM/precious"
	VICTIM_SUM=$(cd "$VICTIM" && stat -c "%n %s %Y %Z %i" . ./* | sha256sum; cat ./* | sha256sum)
}

expect_victims_intact() {
	counted
	[ "$(cd "$VICTIM" && stat -c "%n %s %Y %Z %i" . ./* | sha256sum; cat ./* | sha256sum)" = "$VICTIM_SUM" ] ||
		fail "root's files changed: $(ls -la "$VICTIM" | tr '\n' ' ')"
}

# --ns into a container whose /dev/shm is a symlink to root's directory:
# nothing is listed from it, nothing removed.
t_ns_shm_symlink() {
	need_userns
	victims
	evil "mount -t tmpfs none /dev && ln -s $VICTIM /dev/shm"
	run --ns "$EVIL" ls
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: ls: listing POSIX segments: the shm directory is a symbolic link there, or under one \(refused\)$'
	run --ns "$EVIL" rm --unused --force -v
	expect_rc 1
	expect_out_empty
	run --ns "$EVIL" rm /precious
	expect_rc 1
	expect_err_line '^shmtool: rm: /precious: the shm directory is a symbolic link there, or under one \(refused\)$'
	run --ns "$EVIL" read /passwd
	expect_rc 1
	expect_out_empty
	expect_victims_intact
}

# A container whose /dev/shm is not a tmpfs (root's directory, bind-
# mounted): refused too.
t_ns_shm_not_tmpfs() {
	need_userns
	victims
	evil "mount -t tmpfs none /dev && mkdir /dev/shm && mount --bind $VICTIM /dev/shm"
	run --ns "$EVIL" rm --unused --force -v
	expect_rc 1
	expect_out_empty
	expect_err_line '^shmtool: rm: /dev/shm: the shm directory is not a tmpfs or hugetlbfs there \(refused\); nothing was judged or removed$'
	run --ns "$EVIL" rm /precious
	expect_rc 1
	expect_victims_intact
}

# ls --all-namespaces walks every mount namespace's /dev/shm: the same
# containers are refused, said, and none of root's files is listed.
t_all_namespaces_hostile() {
	need_userns
	victims
	evil "mount -t tmpfs none /dev && ln -s $VICTIM /dev/shm"
	local sym=$EVIL
	evil "mount -t tmpfs none /dev && mkdir /dev/shm && mount --bind $VICTIM /dev/shm"
	run ls --all-namespaces -J -o SEGMENT,MNTNS,NSHINT
	expect_rc 0
	expect_jq '[.segments[] | select(.segment | test("precious|passwd|PostgreSQL.1"))] | length == 0'
	counted
	grep -q "cannot list /dev/shm of mount namespace $(stat -L -c %i "/proc/$sym/ns/mnt") .*symbolic link" "$ERR" ||
		fail "the symlinked container is not reported: $(err1)"
	counted
	grep -q "cannot list /dev/shm of mount namespace $(stat -L -c %i "/proc/$EVIL/ns/mnt") .*not a tmpfs" "$ERR" ||
		fail "the bind-mounted container is not reported: $(err1)"
	run rm --unused --force -v
	expect_rc 0
	expect_victims_intact
}

# A container that shares our IPC namespace mounts a tmpfs over its /proc
# with a fake sysvipc/shm that says our attached segment has NATTCH 0 and
# a dead creator.  --ns reads our own /proc and the kernel: it stays.
t_ns_fake_proc() {
	need_userns
	local id fake
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id"
	fake=$E2E_TMP/fakeshm
	printf '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n' >"$fake"
	printf '         0 %10d   600                  4096 99999 99999      0     0     0     0     0          0          0 1000000000                     0                     0\n' "$id" >>"$fake"
	chmod 0644 "$fake"
	chmod 0755 "$E2E_TMP"
	evil "mount -t tmpfs none /proc && mkdir -p /proc/sysvipc && cp $fake /proc/sysvipc/shm"
	nsenter -t "$EVIL" -m -U --preserve-credentials -- cat /proc/sysvipc/shm 2>/dev/null | grep -q ' 99999 ' ||
		skip "the container could not fake its /proc"
	run --ns "$EVIL" rm --unused --force -v
	expect_rc 0 1
	expect_sysv_present "$id"
	expect_eq "$(sysv_field "$id" 7)" 1 "NATTCH of the attached segment"
	run --ns "$EVIL" ls -J -o SEGMENT,NATTCH,PIDS
	expect_rc 0 1
	counted
	! jq -e ".segments[] | select(.segment == \"$id\" and .nattch == 0)" "$OUT" >/dev/null 2>&1 ||
		fail "ls took the fake NATTCH 0"
}

# More mount namespaces than any fixed list: every one is listed.
t_many_namespaces() {
	isolated || skip "needs root and the private namespace of the isolated run"
	local i n=20 up=$E2E_TMP/many
	mkdir -p "$up"
	for i in $(seq 1 $n); do
		unshare --mount --fork sh -c "mount -t tmpfs -o size=1m m$i /dev/shm && \
			: >/dev/shm/$E2E_PREFIX-ns$i && echo up >$up/$i && exec sleep 300" \
			</dev/null >/dev/null 2>&1 &
		reg_pid $!
	done
	for i in $(seq 1 100); do
		[ "$(find "$up" -type f | wc -l)" = "$n" ] && break
		sleep 0.05
	done
	run ls --all-namespaces -J -o SEGMENT,MNTNS
	expect_rc 0
	expect_jq "[.segments[] | select(.segment | startswith(\"/$E2E_PREFIX-ns\"))] | length == $n"
}

tcase "--ns: a container's /dev/shm symlinked to root's files: refused, untouched" t_ns_shm_symlink
tcase "--ns: a container's /dev/shm that is no tmpfs: refused, untouched" t_ns_shm_not_tmpfs
tcase "ls --all-namespaces: hostile shm directories refused and said" t_all_namespaces_hostile
tcase "--ns: a container's fake /proc/sysvipc/shm is not believed" t_ns_fake_proc
tcase "ls --all-namespaces: 20 mount namespaces, all listed (no cap)" t_many_namespaces
e2e_done
