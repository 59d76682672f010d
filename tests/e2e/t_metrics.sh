#!/bin/bash
# SPDX-License-Identifier: MIT
# shmtool metrics (issue 19): the numbers of `ls --summary -J` on the same
# state, in the Prometheus text format; --per-segment; what the scan could
# not see; --metrics-file replaced atomically; usage and write errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hold.sh"

MiB=1048576

need_isolated() {
	isolated || skip "needs the private tmpfs of the isolated run (root)"
}

# value FILE NAME [LABELS]: the value of the sample NAME{LABELS} in FILE
# (exactly one such line), else the case fails.
value() {
	local f=$1 name=$2 labels=${3:-} line n
	if [ -n "$labels" ]; then
		line="$name{$labels} "
	else
		line="$name "
	fi
	n=$(awk -v p="$line" 'index($0, p) == 1' "$f" | wc -l)
	[ "$n" = 1 ] || fail "$n samples '$line' in the metrics"
	awk -v p="$line" 'index($0, p) == 1 { print $NF }' "$f"
}

# A state with something in every bucket: named segments (one filled, one
# held), a deleted one still held, a file that is no segment, SysV held and
# not, a memfd and shared anonymous memory.
make_state() {
	local big idle id held child
	big=$(mk_posix 2M) || exit 1
	head -c $((2 * MiB)) /dev/urandom >"$E2E_TMP/big"
	st write "$big" --file "$E2E_TMP/big" || fail "setup: fill $big"
	idle=$(mk_posix 64K) || exit 1
	hold posix-map "$big"
	held=$(mk_posix 1M) || exit 1
	hold posix-unlink "$held"
	mkdir "$SHMDIR/$E2E_PREFIX-dir"
	reg_posix "$E2E_PREFIX-dir"
	head -c 12345 /dev/zero >"$SHMDIR/$E2E_PREFIX-dir/file"
	# a named semaphore (its own state, not a segment)
	"$SHMHELPER" sem-hold "/$E2E_PREFIX-sem" 1 >/dev/null &
	reg_pid $!
	reg_posix "sem.$E2E_PREFIX-sem"
	for _ in $(seq 100); do
		[ -e "$SHMDIR/sem.$E2E_PREFIX-sem" ] && break
		sleep 0.05
	done
	id=$(mk_sysv 1M) || exit 1
	hold sysv "$id"
	head -c 100000 /dev/zero | st write "$id" >/dev/null 2>&1
	mk_sysv 64K >/dev/null || exit 1
	hold memfd-pass; child=$HOLD_VALUE
	reg_pid "$child"
	hold anon-fork
}

# The mapping metrics <- summary rows: NAME LABEL-VALUE AREA WHAT JQ-FIELD
# (label "-": none; the label's name comes from the metric's family).
mapping() {
	local s=/dev/shm w d
	echo "shmtool_shm_fs_size_bytes - $s total .maxsize"
	echo "shmtool_shm_fs_used_bytes - $s total .used"
	for w in named deleted semaphore not-segment; do
		echo "shmtool_shm_files state=$w $s $w .count"
		echo "shmtool_shm_size_bytes state=$w $s $w .size"
		echo "shmtool_shm_used_bytes state=$w $s $w .used"
	done
	echo "shmtool_shm_used_bytes state=unexplained $s unexplained .used"
	echo "shmtool_shm_deleted_processes - $s deleted (.pids|length)"
	for d in reclaimable uncertain kept; do
		echo "shmtool_shm_unheld_files disposition=$d $s $d .count"
		echo "shmtool_shm_unheld_size_bytes disposition=$d $s $d .size"
		echo "shmtool_shm_unheld_used_bytes disposition=$d $s $d .used"
		echo "shmtool_sysv_unheld_segments disposition=$d sysv $d .count"
		echo "shmtool_sysv_unheld_size_bytes disposition=$d sysv $d .size"
		echo "shmtool_sysv_unheld_used_bytes disposition=$d sysv $d .used"
	done
	echo "shmtool_sysv_segments - sysv total .count"
	echo "shmtool_sysv_segments_limit - sysv total .maxcount"
	echo "shmtool_sysv_size_bytes - sysv total .size"
	echo "shmtool_sysv_size_limit_bytes - sysv total .maxsize"
	echo "shmtool_sysv_segment_size_limit_bytes - sysv per-segment-max .maxsize"
	echo "shmtool_sysv_used_bytes - sysv total .used"
	echo "shmtool_sysv_swap_bytes - sysv total .swap"
	for w in memfd anon; do
		echo "shmtool_${w}_objects - $w total .count"
		echo "shmtool_${w}_size_bytes - $w total .size"
		echo "shmtool_${w}_used_bytes - $w total .used"
		echo "shmtool_${w}_processes - $w total (.pids|length)"
	done
}

t_equals_summary() {
	need_isolated
	local name label area what field v lab seen=$E2E_TMP/seen
	make_state
	run ls --summary -J
	expect_rc 0
	cp "$OUT" "$E2E_TMP/summary.json"
	run metrics
	expect_rc 0
	expect_err_empty
	cp "$OUT" "$E2E_TMP/m"
	: >"$seen"
	while read -r name label area what field; do
		lab=
		if [ "$label" != - ]; then
			lab="${label%%=*}=\"${label#*=}\""
		fi
		v=$(value "$E2E_TMP/m" "$name" "$lab") || exit 1
		counted
		jq -e --arg a "$area" --arg w "$what" --argjson v "$v" \
			".summary[] | select(.area == \$a and .what == \$w) | $field == \$v" \
			"$E2E_TMP/summary.json" >/dev/null ||
			fail "$name{$lab} is $v, ls --summary -J $area $what $field is $(jq -c --arg a "$area" --arg w "$what" ".summary[] | select(.area == \$a and .what == \$w) | $field" "$E2E_TMP/summary.json")"
		echo "$name" >>"$seen"
	done < <(mapping)
	# Not vacuous: the state put something in every kind of bucket.
	expect_eq "$(value "$E2E_TMP/m" shmtool_shm_files 'state="deleted"')" 1 "deleted files"
	expect_eq "$(value "$E2E_TMP/m" shmtool_shm_files 'state="not-segment"')" 2 "not-segment files"
	expect_eq "$(value "$E2E_TMP/m" shmtool_shm_files 'state="semaphore"')" 1 "semaphore files"
	expect_eq "$(value "$E2E_TMP/m" shmtool_shm_size_bytes 'state="semaphore"')" 32 "semaphore bytes"
	expect_eq "$(value "$E2E_TMP/m" shmtool_sysv_segments)" 2 "SysV segments"
	expect_eq "$(value "$E2E_TMP/m" shmtool_memfd_objects)" 1 "memfd objects"
	expect_eq "$(value "$E2E_TMP/m" shmtool_anon_objects)" 1 "anon objects"
	expect_eq "$(value "$E2E_TMP/m" shmtool_shm_unheld_files 'disposition="uncertain"')" 1 "uncertain POSIX"
	# Every summary metric is checked above: none escaped the mapping.
	local missing
	missing=$(grep -v '^#' "$E2E_TMP/m" | sed 's/[{ ].*//' | sort -u |
		grep -Ev '^shmtool_(scan_|build_info|sysv_unseen_attached_segments)' |
		grep -vxFf <(sort -u "$seen"))
	counted
	[ -z "$missing" ] || fail "metrics not compared with the summary: $missing"
}

t_per_segment() {
	need_isolated
	local p id seg kind size n
	p=$(mk_posix 8K) || exit 1
	id=$(mk_sysv 64K) || exit 1
	hold posix-map "$p"
	run metrics
	expect_rc 0
	counted
	if grep -q '^shmtool_segment_' "$OUT"; then
		fail "per-segment series without --per-segment"
	fi
	run ls -J -b -o SEGMENT,KIND,SIZE,RSS,PROCS
	expect_rc 0
	cp "$OUT" "$E2E_TMP/ls.json"
	run metrics --per-segment
	expect_rc 0
	cp "$OUT" "$E2E_TMP/m"
	n=0
	while read -r seg kind size; do
		expect_eq "$(value "$E2E_TMP/m" shmtool_segment_size_bytes "kind=\"$kind\",segment=\"$seg\"")" "$size" "size of $seg"
		n=$((n + 1))
	done < <(jq -r '.segments[] | select(.kind == "sysv" or .kind == "posix") | "\(.segment) \(.kind) \(.size)"' "$E2E_TMP/ls.json")
	expect_eq "$n" 2 "segments listed"
	expect_eq "$(value "$E2E_TMP/m" shmtool_segment_processes "kind=\"posix\",segment=\"$p\"")" 1 "holders of $p"
	expect_eq "$(value "$E2E_TMP/m" shmtool_segment_processes "kind=\"sysv\",segment=\"$id\"")" 0 "holders of $id"
	expect_eq "$(grep -c '^shmtool_segment_size_bytes' "$E2E_TMP/m")" 2 "size series"
}

t_scan_seen() {
	need_isolated
	local before after ts n said
	hold posix-map "$(mk_posix 4K)"
	before=$(date +%s)
	run metrics
	after=$(date +%s)
	expect_rc 0
	ts=$(value "$OUT" shmtool_scan_timestamp_seconds) || exit 1
	counted
	[ "${ts%.*}" -ge "$before" ] && [ "${ts%.*}" -le "$after" ] ||
		fail "scan timestamp $ts is not within [$before, $after]"
	# The tests' PID namespace has a parent: never a complete scan.
	expect_eq "$(value "$OUT" shmtool_scan_complete)" 0 "complete"
	expect_eq "$(value "$OUT" shmtool_scan_incomplete 'reason="pid-namespace"')" 1 "pid-namespace"
	expect_eq "$(value "$OUT" shmtool_scan_uninspectable_processes)" 0 "uninspectable (root)"
	# As nobody, root's holder cannot be read: counted, as stderr says.
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SHMTOOL" metrics \
		</dev/null >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0
	n=$(value "$OUT" shmtool_scan_uninspectable_processes) || exit 1
	said=$(sed -n 's/^shmtool: metrics: \([0-9]*\) process\(es\)\{0,1\} could not be inspected.*/\1/p' "$ERR" |
		awk '{ s += $1 } END { print s + 0 }')
	counted
	[ "$n" -ge 1 ] || fail "as nobody, no process is uninspectable"
	expect_eq "$n" "$said" "uninspectable vs stderr"
	expect_eq "$(value "$OUT" shmtool_scan_incomplete 'reason="uninspectable-processes"')" 1 "uninspectable reason"
	# No scan at all: said on stderr, and the metrics say incomplete.
	SHMTOOL_PROC_ROOT=/nonexistent run metrics
	expect_rc 0
	expect_err_line "^shmtool: metrics: cannot scan processes in /nonexistent: No such file or directory$"
	expect_eq "$(value "$OUT" shmtool_scan_complete)" 0 "complete without a scan"
	counted
	if grep -q '^shmtool_scan_processes' "$OUT"; then
		fail "scan numbers without a scan"
	fi
}

# The hidden temporary files of --metrics-file in DIR.
temps() { find "$1" -maxdepth 1 -name '.*.prom.*' | wc -l; }

t_metrics_file() {
	local dir=$E2E_TMP/textfile f ino
	mkdir -p "$dir"
	f=$dir/shmtool.prom
	(umask 022 && exec "$SHMTOOL" metrics --metrics-file "$f") </dev/null >"$OUT" 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_rc 0
	expect_out_empty
	expect_err_empty
	counted
	[ -f "$f" ] || fail "no $f"
	expect_eq "$(stat -c %a "$f")" 644 "mode under umask 022"
	expect_eq "$(temps "$dir")" 0 "temporary files left"
	grep -q '^# TYPE shmtool_shm_fs_size_bytes gauge$' "$f" || fail "not the metrics: $(head -c 200 "$f")"
	# The same families as on standard output.
	run_scan metrics
	expect_rc 0
	expect_eq "$(grep '^# TYPE' "$f")" "$(grep '^# TYPE' "$OUT")" "families in the file"
	# A second run replaces it: a new inode, never the old one rewritten.
	ino=$(stat -c %i "$f")
	run_scan metrics --metrics-file "$f"
	expect_rc 0
	counted
	[ "$(stat -c %i "$f")" != "$ino" ] || fail "$f was rewritten in place"
	cp "$f" "$E2E_TMP/old"

	# Failures: exit 1, one line, nothing half-made, the old file intact.
	run metrics --metrics-file "$dir/nodir/x.prom"
	expect_rc 1
	expect_out_empty
	drop_scan_notes
	expect_err_line "^shmtool: metrics: $dir/nodir/x.prom: cannot create a temporary file beside it: No such file or directory$"
	counted
	[ -e "$dir/nodir" ] && fail "$dir/nodir was made"
	mkdir "$dir/d.prom"
	run metrics --metrics-file "$dir/d.prom"
	expect_rc 1
	drop_scan_notes
	expect_err_line "^shmtool: metrics: $dir/d.prom: rename: Is a directory$"
	expect_eq "$(temps "$dir")" 0 "temporary files left after a failed rename"
	cmp -s "$f" "$E2E_TMP/old" || fail "$f changed"
	if isolated; then
		# A read-only file system: nothing can be made there.
		mkdir "$dir/ro"
		mount -t tmpfs -o ro,size=1m shmtool-ro "$dir/ro" || fail "setup: mount"
		reg_undo umount "$dir/ro"
		run metrics --metrics-file "$dir/ro/x.prom"
		expect_rc 1
		expect_err_line "^shmtool: metrics: $dir/ro/x.prom: cannot create a temporary file beside it: Read-only file system$"
		expect_eq "$(find "$dir/ro" -mindepth 1 | wc -l)" 0 "files on the read-only mount"
		# A full file system: the write fails, the temporary goes.
		mkdir "$dir/full"
		mount -t tmpfs -o size=4k shmtool-full "$dir/full" || fail "setup: mount"
		reg_undo umount "$dir/full"
		head -c 4096 /dev/zero >"$dir/full/filler" 2>/dev/null
		echo old >"$dir/full/x.prom" 2>/dev/null
		run metrics --metrics-file "$dir/full/x.prom"
		expect_rc 1
		expect_err_line "^shmtool: metrics: $dir/full/x.prom: (write|cannot create a temporary file beside it): No space left on device$"
		expect_eq "$(temps "$dir/full")" 0 "temporary files left on a full file system"
	fi
}

t_usage() {
	run metrics --help
	expect_rc 0
	expect_err_empty
	counted
	grep -q '^Usage: shmtool metrics' "$OUT" || fail "no usage line"
	run metrics extra
	expect_usage_error metrics
	run metrics --metrics-file
	expect_usage_error metrics
	run metrics --metrics-file ''
	expect_usage_error metrics
	run metrics --metrics-file "$E2E_TMP/"
	expect_usage_error metrics
	run metrics --no-such-option
	expect_usage_error metrics
	# A write error on standard output fails the command.
	st metrics </dev/null >/dev/full 2>"$ERR"
	RC=$?
	drop_scan_notes
	expect_rc 1
	expect_err_line "^shmtool: metrics: write error on standard output: No space left on device$"
}

tcase "metrics equal ls --summary -J on the same state" t_equals_summary
tcase "--per-segment: one series per SysV and POSIX segment, as ls -J" t_per_segment
tcase "scan timestamp and completeness, uninspectable processes counted" t_scan_seen
tcase "--metrics-file: replaced atomically, failures leave nothing" t_metrics_file
tcase "metrics --help, usage errors, a write error on stdout" t_usage
e2e_done
