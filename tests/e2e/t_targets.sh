#!/bin/bash
# SPDX-License-Identifier: MIT
# Targets (issue 15): a deleted POSIX segment still held is reached through
# its holder (posix:PID:FD, posix:PID:START-END) and never shares a SEGMENT
# value with the live segment that took its name; one key grammar (a bare
# decimal KEY refused by create, a decimal TARGET that is a key says so,
# ftok:PATH[:PROJ] in every command); and root's read/write of a SysV
# segment another process attaches leave its LPID, ATIME and DTIME alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

# The SEGMENT of the deleted row(s) named NAME (without slash), from ls -J.
deleted_targets() {
	st ls -J -o SEGMENT,NAME,STATUS </dev/null 2>/dev/null |
		jq -r --arg n "$1" '.segments[] | select(.name == $n and
			(.status | split(",") | index("deleted"))) | .segment'
}

# A POSIX segment NAME with content OLD, held by `shmholder HOW`, then
# unlinked (by the holder or by rm), and NAME created again with NEW.
# Sets N (the name), HPID, DEL (the deleted row's SEGMENT).
setup_deleted() {
	local how=$1
	N=$(mk_posix 4K) || exit 1
	must "$SHMTOOL" write "$N" --data "old bytes"
	hold "$how" "$N"
	HPID=$HOLD_PID
	[ "$how" = posix-unlink ] || must "$SHMTOOL" rm "$N"
	expect_posix_absent "$N"
	must "$SHMTOOL" create "$N" 8K
	must "$SHMTOOL" write "$N" --data "new bytes"
	DEL=$(deleted_targets "${N#/}")
	[ -n "$DEL" ] || fail "no deleted row named ${N#/} in ls"
	[ "$(printf '%s\n' "$DEL" | wc -l)" = 1 ] ||
		fail "more than one deleted row: $DEL"
}

t_deleted_fd() {
	setup_deleted posix-fd
	[[ $DEL =~ ^posix:$HPID:[0-9]+$ ]] ||
		fail "the deleted row's SEGMENT is '$DEL', not posix:$HPID:FD"
	# Two rows, two objects, two SEGMENT values.
	run_scan ls -r -n -o SEGMENT,NAME,SIZE,STATUS -b
	expect_rc 0
	expect_eq "$(awk -v n="${N#/}" '$2 == n' "$OUT" | wc -l)" 2 "rows named ${N#/}"
	expect_eq "$(awk -v n="${N#/}" '$2 == n { print $1 }' "$OUT" | sort -u | wc -l)" 2 \
		"distinct SEGMENT values of those rows"
	expect_eq "$(awk -v n="${N#/}" '$2 == n && $1 == "'"$N"'" { print $3, $4 }' "$OUT")" \
		"8192 unverified" "the live row"
	expect_eq "$(awk -v n="${N#/}" '$2 == n && $1 == "'"$DEL"'" { print $3, $4 }' "$OUT")" \
		"4096 deleted" "the deleted row"
	# read: the deleted one's bytes through its holder; the name's own.
	run read "$DEL" -s
	expect_rc 0
	expect_out "old bytes"
	run read "$N" -s
	expect_rc 0
	expect_out "new bytes"
	# write goes into the deleted one, not into the live one.
	run write "$DEL" --data "OLD"
	expect_rc 0
	run read "$DEL" -l 9 -s
	expect_out "OLD bytes"
	run read "$N" -l 9 -s
	expect_out "new bytes"
}

t_deleted_map() {
	setup_deleted posix-unlink
	[[ $DEL =~ ^posix:$HPID:[0-9a-f]+-[0-9a-f]+$ ]] ||
		fail "the deleted row's SEGMENT is '$DEL', not posix:$HPID:START-END"
	run read "$DEL" -s
	expect_rc 0
	expect_out "old bytes"
	run read "$N" -s
	expect_out "new bytes"
}

# stat and maps --segment of the printed target name the deleted object.
t_deleted_stat_maps() {
	setup_deleted posix-fd
	run_scan stat "$DEL"
	expect_rc 0
	expect_eq "$(sed -n 's/^Segment: //p' "$OUT")" "$DEL" "stat's Segment"
	expect_eq "$(sed -n 's/^Size: //p' "$OUT")" 4096 "stat's Size"
	grep -q '^Status: .*deleted' "$OUT" || fail "stat does not say deleted: $(cat "$OUT")"
	run_scan stat -J "$DEL"
	expect_rc 0
	expect_jq ".segments[0].segment == \"$DEL\" and .segments[0].size == 4096 and
		(.segments[0].pids == [$HPID])"
	run_scan maps --segment "$DEL" -J
	expect_rc 0
	expect_jq "(.mappings | length) == 1 and .mappings[0].pid == $HPID and
		.mappings[0].how == \"fd\" and .mappings[0].deleted == true and
		.mappings[0].segment == \"$DEL\""
	# The live one is another object: its maps has nobody.
	run_scan maps --segment "$N" -J
	expect_rc 0
	expect_jq '(.mappings // []) | length == 0'
}

# The row's value from ls -J and from ls -r is accepted back as a TARGET.
t_deleted_values_back() {
	local j r
	setup_deleted posix-fd
	j=$(st ls -J -o SEGMENT,STATUS </dev/null 2>/dev/null |
		jq -r '.segments[] | select(.status == "deleted") | .segment')
	r=$(st ls -r -n -o SEGMENT,STATUS </dev/null 2>/dev/null |
		awk '$2 == "deleted" { print $1 }')
	expect_eq "$j" "$DEL" "ls -J's value"
	expect_eq "$r" "$DEL" "ls -r's value"
	for v in "$j" "$r"; do
		run read "$v" -s
		expect_rc 0
		expect_out "old bytes"
		run_scan stat -J "$v"
		expect_rc 0
		expect_jq ".segments[0].segment == \"$v\""
	done
}

# rm of a deleted segment: nothing to unlink, exit 1, one line; the live
# segment of the same name and the held one both stay.
t_deleted_rm() {
	setup_deleted posix-fd
	run rm "$DEL"
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: rm: $DEL: nothing to remove: its name was removed already"
	expect_posix_present "$N"
	run read "$DEL" -s
	expect_out "old bytes"
	run read "$N" -s
	expect_out "new bytes"
	# rm --unused --force (only where every segment is ours) may take
	# the live one, which nobody holds, and leaves the held one alone.
	if isolated; then
		run_scan rm --unused --force --dry-run
		expect_rc 0
		grep -qF -- "$DEL" "$OUT" && fail "the dry run lists $DEL"
		run_scan rm --unused --force
		expect_rc 0
		run read "$DEL" -s
		expect_rc 0
		expect_out "old bytes"
	fi
}

# posix:PID:FD names a live segment too; rm of it removes that file's name,
# and never another file that took the name since.
t_posix_holder_rm_live() {
	local n other fd
	n=$(mk_posix 4K) || exit 1
	hold posix-fd "$n"
	fd=$(st maps "$HOLD_PID" -r -n -o FD,HOW </dev/null 2>/dev/null | awk '$2 == "fd" { print $1; exit }')
	[ -n "$fd" ] || fail "no fd of $HOLD_PID in maps"
	run_scan stat "posix:$HOLD_PID:$fd"
	expect_rc 0
	expect_eq "$(sed -n 's/^Segment: //p' "$OUT")" "$n" "a live segment's Segment"
	# The held file also has a second name; its first name goes to
	# another file.
	other=$(mk_posix 8K) || exit 1
	ln "$SHMDIR/${n#/}" "$SHMDIR/${n#/}.2" || fail "setup: ln"
	reg_posix "${n#/}.2"
	mv -f "$SHMDIR/${other#/}" "$SHMDIR/${n#/}" || fail "setup: mv"
	run rm "posix:$HOLD_PID:$fd"
	expect_rc 1
	expect_err_nonempty
	expect_posix_present "$n"
	expect_eq "$(stat -c %s "$SHMDIR/${n#/}")" 8192 "the file that took the name"
	expect_posix_present "${n#/}.2"
}

# posix: reaches POSIX segments only: a regular file a process holds
# elsewhere is refused, and never written.
t_posix_holder_not_shm() {
	local f pid
	f=$(new_tmp)
	printf 'precious' >"$f"
	sleep 60 9<>"$f" &
	pid=$!
	reg_pid "$pid"
	run write "posix:$pid:9" --data XXXX
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: write: posix:$pid:9: not a POSIX shared memory segment"
	expect_eq "$(cat "$f")" precious "the file"
	run read "posix:$pid:0"
	expect_rc 1
	expect_err_line "^shmtool: read: posix:$pid:0: not a POSIX shared memory segment"
	run stat "posix:$pid:77"
	expect_rc 1
	expect_err_line "^shmtool: stat: posix:$pid:77: no such process, fd or mapping$"
	# A POSIX semaphore lives in the shm directory: it is reached (KIND
	# sem), but never written over.
	f=$SHMDIR/sem.$E2E_PREFIX-$(new_counter)
	reg_posix "${f##*/}"
	printf 'semaphore' >"$f"
	sleep 60 8<>"$f" &
	pid=$!
	reg_pid "$pid"
	run write "posix:$pid:8" --data XXXX
	expect_rc 1
	expect_err_line "^shmtool: write: posix:$pid:8: a semaphore, changed with sem_post\(3\), not written$"
	expect_eq "$(cat "$f")" semaphore "the semaphore's file"
	run read "posix:$pid:x"
	expect_usage_error read
	run read --sysv "posix:$pid:9"
	expect_usage_error read
}

# ---------------------------------------------------------------- keys

t_create_decimal_key() {
	snap_take
	run create --sysv 1 4K
	expect_usage_error create
	expect_err_line "invalid key '1': .*key:1 or 0x1$"
	expect_none_created
	expect_snap_same
	! sysv_key_exists 1 || fail "a segment with key 1 exists"
	run create --sysv 9876 4K
	expect_usage_error create
	expect_err_line "key:9876 or 0x2694$"
	expect_none_created
	run create --sysv -- -5 4K
	expect_usage_error create
	expect_err_line "key:-5 or 0xfffffffb$"
	expect_none_created
	expect_snap_same
}

# key: and ftok: are KEYs of create, as they are TARGETs.
t_create_key_forms() {
	local k id f kf
	k=$(new_key) || exit 1
	run create --sysv "key:$((k))" 4K
	expect_rc 0
	id=$(cat "$OUT")
	expect_eq "$(printf '0x%08x' "$(( $(sysv_field "$id" 1) & 0xffffffff ))")" "$k" "key of key:$((k))"
	f=$(new_tmp)
	: >"$f"
	kf=$("$SHMHELPER" ftok "$f" 5) || fail "setup: shmhelper ftok"
	sysv_key_exists "$kf" && skip "key $kf of ftok $f 5 is taken"
	run create --sysv "ftok:$f:5" 4K
	expect_rc 0
	id=$(cat "$OUT")
	expect_eq "$(( $(sysv_field "$id" 1) & 0xffffffff ))" "$((kf & 0xffffffff))" "key of ftok:$f:5"
	run create --sysv "ftok:$f:0" 4K
	expect_usage_error create
	expect_none_created
}

# A decimal TARGET is a shmid; when it is no shmid but someone's key, the
# error says so.
t_decimal_target_hint() {
	local n=987654 id
	sysv_present "$n" && skip "shmid $n exists here"
	id=$(mk_sysv_key "key:$n" 4K) || exit 1
	for cmd in read stat rm; do
		run "$cmd" "$n"
		expect_rc 1
		expect_out_empty
		expect_err_line "^shmtool: $cmd: $n: no segment with shmid $n; key:$n \\(0x000f1206\\) exists$"
	done
	run write "$n" --data x
	expect_rc 1
	expect_err_line "key:$n \\(0x000f1206\\) exists$"
	expect_sysv_present "$id"
	# Not a key either: the plain message.
	run read 987653
	expect_rc 1
	expect_err_line "^shmtool: read: 987653: no such segment$"
}

# ftok:PATH[:PROJ] in every command, against create --ftok.
t_ftok_targets() {
	local f id t
	f=$(new_tmp)
	: >"$f"
	id=$(mk_sysv_key --ftok "$f:7" 4K) || exit 1
	t="ftok:$f:7"
	run write "$t" --data "by ftok"
	expect_rc 0
	run read "$t" -s
	expect_rc 0
	expect_out "by ftok"
	run_scan stat "$t"
	expect_rc 0
	expect_eq "$(sed -n 's/^Segment: //p' "$OUT")" "$id" "stat's Segment"
	run_scan stat -J --sysv "$t"
	expect_jq ".segments[0].id == $id"
	hold sysv "$id"
	run_scan maps --segment "$t" -J
	expect_rc 0
	expect_jq ".mappings | length == 1 and .[0].pid == $HOLD_PID and .[0].segment == \"$id\""
	# PROJ defaults to 1: another key, no segment.
	run read "ftok:$f" -s
	expect_rc 1
	expect_err_line "^shmtool: read: ftok:$f: no segment with key 0x[0-9a-f]{8}$"
	run read --posix "$t"
	expect_usage_error read
	run rm "$t"
	expect_rc 0
	expect_err_line "still attached"
	unhold "$HOLD_PID"
	expect_sysv_absent "$id"
	# create --ftok PATH without PROJ and ftok:PATH name the same key.
	id=$(mk_sysv_key --ftok "$f" 4K) || exit 1
	run_scan stat -J "ftok:$f"
	expect_rc 0
	expect_jq ".segments[0].id == $id"
	run rm "ftok:$f:1"
	expect_rc 0
	expect_sysv_absent "$id"
}

t_ftok_bad_path() {
	local p=$E2E_TMP/no-such-file
	for cmd in read stat rm; do
		run "$cmd" "ftok:$p:3"
		expect_rc 1
		expect_out_empty
		expect_err_line "^shmtool: $cmd: ftok:$p:3: cannot compute its key: ftok: No such file or directory$"
	done
	run write "ftok:$p:3" --data x
	expect_rc 1
	expect_err_line "^shmtool: write: ftok:$p:3: cannot compute its key"
	run maps --segment "ftok:$p:3"
	expect_rc 1
	expect_err_line "^shmtool: maps: ftok:$p:3: cannot compute its key"
	run read "ftok:$p:256"
	expect_usage_error read
}

# ---------------------------------------------------------------- evidence

# LPID ATIME DTIME of a shmid, from /proc/sysvipc/shm.
evidence() { echo "$(sysv_field "$1" 6) $(sysv_field "$1" 12) $(sysv_field "$1" 13)"; }

# Root's read and write of a segment a shmholder attaches leave its LPID,
# ATIME and DTIME as they were.
t_evidence_kept() {
	local id before f
	[ "$(id -u)" = 0 ] || skip "map_files needs root"
	id=$(mk_sysv 8K) || exit 1
	hold sysv "$id"
	before=$(evidence "$id")
	sleep 1.1	# a change would show in the seconds
	f=$(new_tmp)
	gen_binary "$f" 8192
	run_in "$f" write "$id"
	expect_rc 0
	run read "$id"
	expect_rc 0
	expect_out_file "$f"
	run write "$id" --offset 100 --data "kept"
	expect_rc 0
	run read "$id" --offset 100 -l 4 -s
	expect_out "kept"
	expect_eq "$(evidence "$id")" "$before" "LPID ATIME DTIME"
}

# The attacher is neither the last attacher nor the creator: found by a
# scan, evidence kept all the same.
t_evidence_kept_scan() {
	local id before a
	[ "$(id -u)" = 0 ] || skip "map_files needs root"
	id=$(mk_sysv 4K) || exit 1
	hold sysv "$id"
	a=$HOLD_PID
	hold sysv "$id"
	unhold "$HOLD_PID"	# the last attach/detach is a gone process
	before=$(evidence "$id")
	[ "${before%% *}" != "$a" ] || fail "setup: LPID is still $a"
	sleep 1.1
	run write "$id" --data "scan"
	expect_rc 0
	run read "$id" -l 4 -s
	expect_out "scan"
	expect_eq "$(evidence "$id")" "$before" "LPID ATIME DTIME"
}

# Nothing attaches it: shmtool must attach, and LPID, ATIME and DTIME
# change (as the man page says).  So they do without map_files.
t_evidence_attach() {
	local id before now
	id=$(mk_sysv 4K) || exit 1
	before=$(evidence "$id")
	sleep 1.1
	run read "$id" -l 1
	expect_rc 0
	now=$(evidence "$id")
	[ "$now" != "$before" ] || fail "LPID ATIME DTIME unchanged: $now"
	[ "$(echo "$now" | cut -d' ' -f2)" -gt "$(echo "$before" | cut -d' ' -f2)" ] ||
		fail "ATIME did not advance: $before -> $now"
	hold sysv "$id"
	before=$(evidence "$id")
	sleep 1.1
	export SHMTOOL_NO_MAP_FILES=1
	run write "$id" --data x
	expect_rc 0
	unset SHMTOOL_NO_MAP_FILES
	[ "$(evidence "$id")" != "$before" ] ||
		fail "without map_files, LPID ATIME DTIME did not change"
}

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# With CAP_CHECKPOINT_RESTORE, which opens map_files, and nothing else.
CKPT=("${NOBODY[@]}" --inh-caps=+checkpoint_restore --ambient-caps=+checkpoint_restore)

# Without the capability map_files is refused: read and write attach, as
# they always did, and work.
t_evidence_unprivileged() {
	local id
	[ "$(id -u)" = 0 ] || skip "needs root to start a user of its own"
	id=$(mk_sysv 4K 0666) || exit 1
	hold sysv "$id"
	e2e_exec "${NOBODY[@]}" "$SHMTOOL" write "$id" --data "as nobody" \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_err_empty
	e2e_exec "${NOBODY[@]}" "$SHMTOOL" read "$id" -l 9 -s \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	expect_out "as nobody"
}

# map_files opens whatever the segment's mode: reaching a segment there
# never allows more than attaching it would.  A process of nobody's
# attached it while it was 0666; now it is root's 0600, and nobody with
# CAP_CHECKPOINT_RESTORE (map_files opens) may not read or write it.
t_evidence_no_more_than_shmat() {
	local id
	[ "$(id -u)" = 0 ] || skip "needs root to start a user of its own"
	"${CKPT[@]}" true 2>/dev/null || skip "setpriv cannot give CAP_CHECKPOINT_RESTORE"
	id=$(mk_sysv 4K 0666) || exit 1
	must "$SHMTOOL" write "$id" --data secret
	"${NOBODY[@]}" "$SHMHOLDER" sysv "$id" >"$E2E_TMP/h.out" 2>&1 </dev/null &
	reg_pid "$!"
	for _ in $(seq 1 100); do
		grep -q '^ready' "$E2E_TMP/h.out" && break
		sleep 0.05
	done
	grep -q '^ready' "$E2E_TMP/h.out" || fail "setup: shmholder as nobody"
	seg_chmod "$id" 600
	e2e_exec "${CKPT[@]}" "$SHMTOOL" read "$id" -s </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1
	expect_out_empty
	expect_err_line "^shmtool: read: $id: Permission denied$"
	e2e_exec "${CKPT[@]}" "$SHMTOOL" write "$id" --data XXXXXX </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 1
	run read "$id" -s
	expect_out "secret"
}

tcase "deleted POSIX held by an fd: posix:PID:FD, read/write, two SEGMENTs" t_deleted_fd
tcase "deleted POSIX held by a mapping: posix:PID:START-END reads it" t_deleted_map
tcase "stat and maps --segment of a deleted segment's target" t_deleted_stat_maps
tcase "ls -J and ls -r values of a deleted row are accepted back" t_deleted_values_back
tcase "rm of a deleted segment: nothing to remove, exit 1, nothing removed" t_deleted_rm
tcase "rm posix:PID:FD never unlinks a file that took the name" t_posix_holder_rm_live
tcase "posix:PID:FD of a file that is no segment is refused, unwritten" t_posix_holder_not_shm
tcase "create --sysv 1 4K: refused (exit 2) with key:1 / 0x1, nothing made" t_create_decimal_key
tcase "create --sysv key:K and ftok:PATH:PROJ as KEY" t_create_key_forms
tcase "a decimal TARGET that is a key says key:N exists" t_decimal_target_hint
tcase "ftok: targets in write, read, stat, maps --segment, rm" t_ftok_targets
tcase "ftok: with a missing path: exit 1, one line, every command" t_ftok_bad_path
tcase "root's read/write of an attached SysV segment keep LPID/ATIME/DTIME" t_evidence_kept
tcase "the same when the attacher is found only by a scan" t_evidence_kept_scan
tcase "unattached (or without map_files): read/write attach, times change" t_evidence_attach
tcase "without the capability: read/write attach, and work" t_evidence_unprivileged
tcase "map_files never reaches what attaching would not (mode 0600)" t_evidence_no_more_than_shmat
e2e_done
