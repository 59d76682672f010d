#!/bin/bash
# SPDX-License-Identifier: MIT
# Beyond one namespace (issue 8): ls --all-namespaces, --ns PID, memfd and
# shared anonymous memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

need_root_isolated() {
	isolated || skip "needs root and the private namespace of the isolated run"
}

# box NAME [--mount]: start a "container" in its own IPC namespace (and,
# with --mount, its own mount namespace with a private tmpfs on /dev/shm)
# that creates SysV shmid 0 and $SAME (the same name in both) holding DATA,
# attaches both
# with shmholder, and waits.  Sets BOX_PID (a process inside) and
# BOX_HOLDERS (the holders' PIDs: SysV, then POSIX).
box() {
	local name=$1 mount=${2:-} out=$E2E_TMP/box-$1 args=(--ipc --fork)
	[ "$mount" = --mount ] && args+=(--mount)
	SHMTOOL_BOX_MOUNT=$mount SHMTOOL_BOX_DATA="data of $name" SAME=$SAME \
	unshare "${args[@]}" bash -c '
		set -e
		if [ -n "$SHMTOOL_BOX_MOUNT" ]; then
			mount -t tmpfs -o size=8m box /dev/shm
		fi
		id=$("$SHMTOOL" create --sysv 4K)
		"$SHMTOOL" create "$SAME" 4K >/dev/null
		"$SHMTOOL" write "$SAME" --data "$SHMTOOL_BOX_DATA"
		"$SHMTOOL" write "$id" --data "$SHMTOOL_BOX_DATA"
		"$SHMHOLDER" sysv "$id" >/dev/null & a=$!
		"$SHMHOLDER" posix-map "$SAME" >/dev/null & b=$!
		sleep 0.3
		echo "ready $$ $id $a $b"
		exec sleep 300' >"$out" 2>"$out.err" </dev/null &
	reg_pid $!
	local i
	for i in $(seq 1 100); do
		grep -q '^ready' "$out" && break
		sleep 0.05
	done
	grep -q '^ready' "$out" || fail "setup: box $name: $(head -c 300 "$out.err")"
	read -r _ BOX_PID BOX_ID BOX_SYSV_HOLDER BOX_POSIX_HOLDER <"$out"
	reg_pid "$BOX_SYSV_HOLDER"
	reg_pid "$BOX_POSIX_HOLDER"
}

t_all_namespaces() {
	need_root_isolated
	local hid hs hp cid cs cp hipc cipc hmnt cmnt
	SAME=$(new_posix same)	# registered: the host's copy is removed
	# "host": its own IPC namespace, our /dev/shm; "container": its own
	# IPC and mount namespaces and /dev/shm.  Both have shmid 0 and $SAME.
	box host; hid=$BOX_ID; hs=$BOX_SYSV_HOLDER; hp=$BOX_POSIX_HOLDER
	hipc=$(stat -L -c %i "/proc/$BOX_PID/ns/ipc")
	hmnt=$(stat -L -c %i /proc/self/ns/mnt)
	box container --mount; cid=$BOX_ID; cs=$BOX_SYSV_HOLDER; cp=$BOX_POSIX_HOLDER
	cipc=$(stat -L -c %i "/proc/$BOX_PID/ns/ipc")
	cmnt=$(stat -L -c %i "/proc/$BOX_PID/ns/mnt")
	expect_eq "$hid" 0 "the host's shmid"
	expect_eq "$cid" 0 "the container's shmid"
	run ls --all-namespaces -J -o SEGMENT,KIND,IPCNS,MNTNS,PIDS,NSHINT
	expect_rc 0
	expect_jq "[.segments[] | select(.segment == \"0\" and .kind == \"sysv\")] | length == 2"
	expect_jq "[.segments[] | select(.segment == \"$SAME\")] | length == 2"
	expect_jq ".segments[] | select(.segment == \"0\" and .ipcns == $hipc) | .pids == [$hs]"
	expect_jq ".segments[] | select(.segment == \"0\" and .ipcns == $cipc) | .pids == [$cs]"
	expect_jq ".segments[] | select(.segment == \"$SAME\" and .mntns == $hmnt) | .pids == [$hp]"
	expect_jq ".segments[] | select(.segment == \"$SAME\" and .mntns == $cmnt) | .pids == [$cp] and (.nshint | type == \"string\")"
	# Without --all-namespaces: only our /same, with only its own holder
	# (the container's file has the same path, not the same inode).
	run ls -J -o SEGMENT,PIDS
	expect_jq "[.segments[] | select(.segment == \"$SAME\")] | length == 1"
	expect_jq ".segments[] | select(.segment == \"$SAME\") | .pids == [$hp]"
	# --ns PID reads the container's data, not the host's.
	run --ns "$BOX_PID" read --string "$SAME"
	expect_rc 0
	expect_out "data of container"
	run --ns "$BOX_PID" read --string 0
	expect_out "data of container"
	run read --string "$SAME"
	expect_out "data of host"
	run --ns 999999 ls
	expect_rc 1
	run --ns x ls
	expect_rc 2
	expect_err_line "^shmtool: invalid --ns PID 'x'$"
}

# Started with SIGCHLD ignored (inherited across exec, as from some
# supervisors), the child that lists another IPC namespace is still
# reaped by us: no "cannot list" beside the rows it did list.
t_sigchld_ignored() {
	need_root_isolated
	local cipc
	SAME=$(new_posix same)
	box container --mount
	cipc=$(stat -L -c %i "/proc/$BOX_PID/ns/ipc")
	bash -c 'trap "" CHLD; exec "$@"' sh "$SHMTOOL" ls --all-namespaces -J \
		-o SEGMENT,KIND,IPCNS,PIDS </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	drop_scan_notes
	expect_err_empty
	expect_jq ".segments[] | select(.segment == \"0\" and .ipcns == $cipc) | .pids == [$BOX_SYSV_HOLDER]"
}

# A holder that attached a segment, then unshare(CLONE_NEWIPC): it still
# maps it (NATTCH 1) and is shown as its attacher -- in ls, stat and
# ls --all-namespaces -- and the segment is never offered for removal.
t_unshared_holder() {
	need_root_isolated
	local id me
	me=$(stat -L -c %i /proc/self/ns/ipc)
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id" unshare-ipc
	counted
	[ "$(stat -L -c %i "/proc/$HOLD_PID/ns/ipc")" != "$me" ] ||
		fail "setup: the holder did not leave our IPC namespace"
	run_scan ls --sysv -J -o SEGMENT,NATTCH,PROCS,PIDS
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$id\") | .nattch == 1 and .procs == 1 and .pids == [$HOLD_PID]"
	run_scan stat -J "$id"
	expect_jq ".segments[0].pids == [$HOLD_PID]"
	run_scan ls --sysv --all-namespaces -J -o SEGMENT,IPCNS,PROCS,PIDS
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$id\" and .ipcns == $me) | .pids == [$HOLD_PID]"
	run_scan rm --unused --force -v
	expect_sysv_present "$id"
}

# The same, but in its new namespace the holder made and attached a
# segment of the same id, key and size: which one a mapping is cannot be
# told, so neither gets it from the other -- the twin keeps its attacher,
# ours is reported out of sight.
t_unshared_twin() {
	need_root_isolated
	local id me them
	me=$(stat -L -c %i /proc/self/ns/ipc)
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id" unshare-twin
	them=$(stat -L -c %i "/proc/$HOLD_PID/ns/ipc")
	run ls --sysv -J -o SEGMENT,NATTCH,PROCS
	expect_rc 0
	expect_jq ".segments[] | select(.segment == \"$id\") | .nattch == 1 and .procs == 0"
	counted
	grep -q "found none of its attachers (e.g. $id: NATTCH 1)" "$ERR" ||
		fail "not said out of sight: $(err1)"
	run_scan ls --sysv --all-namespaces -J -o SEGMENT,IPCNS,NATTCH,PROCS,PIDS
	expect_jq ".segments[] | select(.segment == \"$id\" and .ipcns == $me) | .procs == 0"
	expect_jq ".segments[] | select(.segment == \"$id\" and .ipcns == $them) | .nattch == 1 and .pids == [$HOLD_PID]"
}

t_memfd_passed() {
	need_root_isolated
	local child
	hold memfd-pass; child=$HOLD_VALUE
	reg_pid "$child"
	run ls --memfd -J -o SEGMENT,KIND,NAME,SIZE,PIDS
	expect_rc 0
	expect_jq "[.segments[] | select(.kind == \"memfd\" and .name == \"shmholder-pass\")] | length == 1"
	expect_jq ".segments[] | select(.kind == \"memfd\") | (.pids | sort) == ([$HOLD_PID, $child] | sort) and .size == 65536"
	local t
	t=$(jq -r '.segments[] | select(.kind == "memfd") | .segment' "$OUT")
	run read --string "$t"
	expect_rc 0
	expect_out "passed through a socket"
	run maps --memfd -J
	expect_jq "[.mappings[] | select(.kind == \"memfd\")] | length == 2"
	run rm "$t"
	expect_rc 1
	run ls -J -o SEGMENT,KIND
	expect_jq '[.segments[] | select(.kind == "memfd")] | length == 0'
}

t_anon_fork() {
	need_root_isolated
	local child
	hold anon-fork; child=$HOLD_VALUE
	run ls --anon -J -o SEGMENT,KIND,SIZE,PIDS
	expect_rc 0
	expect_jq "[.segments[] | select(.kind == \"anon\")] | length == 1"
	expect_jq ".segments[] | select(.kind == \"anon\") | (.pids | sort) == ([$HOLD_PID, $child] | sort) and .size == 1048576"
	local t
	t=$(jq -r '.segments[] | select(.kind == "anon") | .segment' "$OUT")
	run read "$t" --length 4
	expect_rc 0
	printf aaaa >"$E2E_TMP/want"
	expect_out_file "$E2E_TMP/want" "the first 4 bytes"
}

# --all-namespaces says which row is which by default, NSHINT tells two
# namespaces apart, and the summary counts as reclaimable only what
# rm --unused would remove (the current namespace's).
t_all_namespaces_columns() {
	need_root_isolated
	local h1 h2 n1 n2 rec unc dry
	SAME=$(new_posix same)
	box one; h1=$(stat -L -c %i "/proc/$BOX_PID/ns/ipc")
	box two --mount; h2=$(stat -L -c %i "/proc/$BOX_PID/ns/ipc")
	# Ours, leaked: the one reclaimable segment in sight.
	run create --sysv 4K
	expect_rc 0
	reg_sysv_id "$(cat "$OUT")"
	run_scan ls --all-namespaces
	expect_rc 0
	expect_eq "$(head -n 1 "$OUT" | tr -s ' ')" \
		"SEGMENT KIND KEY OWNER PERMS SIZE RSS NATTCH PROCS PIDS COMMANDS STATUS IPCNS MNTNS NSHINT" \
		"the default columns with --all-namespaces"
	run_scan ls --all-namespaces -J -o +CPID
	expect_jq ".segments | all(has(\"ipcns\") and has(\"mntns\") and has(\"nshint\") and has(\"cpid\"))"
	run_scan ls --all-namespaces -J -o SEGMENT
	expect_jq ".segments | all(keys == [\"segment\"])"
	run_scan ls --all-namespaces -J -o SEGMENT,KIND,IPCNS,NSHINT
	n1=$(jq -r ".segments[] | select(.kind == \"sysv\" and .ipcns == $h1) | .nshint" "$OUT")
	n2=$(jq -r ".segments[] | select(.kind == \"sysv\" and .ipcns == $h2) | .nshint" "$OUT")
	counted
	[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" != "$n2" ] ||
		fail "NSHINT does not tell the two namespaces apart: '$n1' / '$n2'"
	# The summary agrees with the dry run.
	run_scan ls --summary --all-namespaces -J
	expect_rc 0
	rec=$(jq '[.summary[] | select(.what == "reclaimable") | .count] | add' "$OUT")
	unc=$(jq '[.summary[] | select(.what == "uncertain") | .count] | add' "$OUT")
	run rm --unused --dry-run
	dry=$(grep -c . "$OUT")
	expect_eq "$rec" "$dry" "reclaimable in the summary vs the dry run"
	run rm --unused --force --dry-run
	dry=$(grep -c . "$OUT")
	expect_eq "$((rec + unc))" "$dry" "reclaimable and uncertain vs the dry run with --force"
}

tcase "ls --all-namespaces: shmid 0 and one name in two namespaces are four rows; --ns" t_all_namespaces
tcase "ls --all-namespaces: IPCNS, MNTNS, NSHINT by default, namespaces told apart, summary = dry run" t_all_namespaces_columns
tcase "holder gone to a new IPC namespace: still its segment's attacher" t_unshared_holder
tcase "holder gone to a new IPC namespace with a twin segment: not guessed" t_unshared_twin
tcase "ls --all-namespaces with SIGCHLD ignored: other namespaces listed, no error" t_sigchld_ignored
tcase "a memfd passed over a Unix socket: one row, both PIDs" t_memfd_passed
tcase "MAP_SHARED|MAP_ANONYMOUS across fork: one anon row, both PIDs" t_anon_fork
e2e_done
