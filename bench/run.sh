#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh - shmtool against lsof, fuser, lsipc, ipcs and cat on the
# same data, in one run, alternating the commands (round-robin); medians.
#
#   make bench                      (or: SHMTOOL=/path/to/shmtool bench/run.sh)
#
# Everything runs inside new IPC, mount and PID namespaces with a private
# tmpfs on /dev/shm and on /tmp: nothing outside is seen or touched, every
# process in the namespace is visible (though shmtool, in a child PID
# namespace, rightly calls its POSIX verdicts unverified), and whatever
# happens (Ctrl-C included) the kernel drops the segments, the mounts and
# the processes when the namespace's last process exits.  Needs root.
#
# Environment (defaults in brackets):
#   SHMTOOL            the binary under test [../shmtool next to bench/]
#   BENCH_PROCS        processes of the main scan workload [1000]
#   BENCH_SEGS         SysV segments and POSIX segments (each) [100]
#   BENCH_REPS         rounds of the main scan run [11]
#   BENCH_SIZES        scaling runs, "PROCS:SEGS ..." [500:100 2000:4000]
#   BENCH_SCALE_REPS   rounds of each scaling run [7]
#   BENCH_XFER_MB      size of the transfer segments in MiB [1024]
#   BENCH_XFER_REPS    rounds of the transfer run [7]
#   BENCH_RM_SEGS      SysV leaks of the rm --unused run [4000]
#   BENCH_RM_REPS      rounds of the rm --unused run [5]
#   BENCH_MANY         POSIX files of the 100,000-segment run [100000]
#   BENCH_MANY_REPS    rounds of that run [3]
#   BENCH_PARTS        which parts run [scan scale xfer rm many]
#   BENCH_CC           compiler for the helpers [cc]

set -u -o pipefail

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_PROCS=${BENCH_PROCS:-1000}
export BENCH_SEGS=${BENCH_SEGS:-100}
export BENCH_REPS=${BENCH_REPS:-11}
export BENCH_SIZES=${BENCH_SIZES:-500:100 2000:4000}
export BENCH_SCALE_REPS=${BENCH_SCALE_REPS:-7}
export BENCH_XFER_MB=${BENCH_XFER_MB:-1024}
export BENCH_XFER_REPS=${BENCH_XFER_REPS:-7}
export BENCH_RM_SEGS=${BENCH_RM_SEGS:-4000}
export BENCH_RM_REPS=${BENCH_RM_REPS:-5}
export BENCH_MANY=${BENCH_MANY:-100000}
export BENCH_MANY_REPS=${BENCH_MANY_REPS:-3}
export BENCH_PARTS=${BENCH_PARTS:-scan scale xfer rm many}

bench_die() { echo "bench: $*" >&2; exit 1; }

# ---- outside the namespaces: check, build, re-enter ----------------------

if [ -z "${BENCH_IN_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || bench_die "must run as root (namespaces, tmpfs mounts)"
	command -v unshare >/dev/null || bench_die "unshare (util-linux) is missing"
	SHMTOOL=${SHMTOOL:-$BENCH_HERE/../shmtool}
	[ -x "$SHMTOOL" ] || bench_die "no shmtool binary at $SHMTOOL (run make)"
	SHMTOOL=$(realpath "$SHMTOOL")
	export SHMTOOL
	for n in $BENCH_PROCS $BENCH_SEGS $BENCH_REPS $BENCH_SCALE_REPS \
		 $BENCH_XFER_MB $BENCH_XFER_REPS $BENCH_RM_SEGS $BENCH_RM_REPS; do
		case $n in ''|*[!0-9]*|0) bench_die "not a positive number: '$n'" ;; esac
	done
	for s in $BENCH_SIZES; do
		case $s in [1-9]*:[1-9]*) ;; *) bench_die "BENCH_SIZES: '$s' is not PROCS:SEGS" ;; esac
	done
	# The helpers: up to date, built with cc -O2 (bench.mk does the same).
	for h in workload timeit floor; do
		if [ ! -x "$BENCH_HERE/$h" ] || [ "$BENCH_HERE/$h.c" -nt "$BENCH_HERE/$h" ]; then
			"${BENCH_CC:-cc}" -std=gnu11 -O2 -Wall -Wextra \
				-o "$BENCH_HERE/$h" "$BENCH_HERE/$h.c" -lrt ||
				bench_die "cannot build bench/$h"
		fi
	done
	# --kill-child: if unshare dies, the namespace's init dies, and with
	# it every process, segment and mount of the run.
	BENCH_IN_NS=1 exec unshare --ipc --mount --pid --fork --mount-proc \
		--propagation private --kill-child "$0" "$@"
fi

# ---- inside: PID 1 of a fresh PID namespace ------------------------------

WORKLOAD=$BENCH_HERE/workload
TIMEIT=$BENCH_HERE/timeit
FLOOR=$BENCH_HERE/floor
WL_PID=
WL_OUT=/tmp/bench-workload.out
ERRDIR=/tmp/bench-err

bench_cleanup() {
	if [ -n "$WL_PID" ]; then
		kill -TERM "$WL_PID" 2>/dev/null
		wait "$WL_PID" 2>/dev/null
		WL_PID=
	fi
}
trap 'bench_cleanup' EXIT
trap 'echo "bench: interrupted" >&2; bench_cleanup; exit 130' INT TERM HUP

# A private tmpfs for POSIX segments, big enough for the transfer segment
# and its rewrite by `cat > /dev/shm/x`; another (/tmp) for the transfer's
# source and output files.
shm_mb=$(( BENCH_XFER_MB * 2 + 1024 ))
[ "$shm_mb" -lt 3072 ] && shm_mb=3072
mount -t tmpfs -o "size=${shm_mb}m,mode=1777" bench-shm /dev/shm ||
	bench_die "cannot mount a tmpfs on /dev/shm"
mount -t tmpfs -o "size=$(( BENCH_XFER_MB * 2 + 256 ))m,mode=1777" bench-tmp /tmp ||
	bench_die "cannot mount a tmpfs on /tmp"
mkdir -p "$ERRDIR"
# SysV segment limit of this IPC namespace (4096 by default).
max_segs=$BENCH_SEGS
for s in $BENCH_SIZES; do [ "${s#*:}" -gt "$max_segs" ] && max_segs=${s#*:}; done
[ "$BENCH_RM_SEGS" -gt "$max_segs" ] && max_segs=$BENCH_RM_SEGS
if [ "$max_segs" -gt 4000 ]; then
	echo $(( max_segs + 64 )) > /proc/sys/kernel/shmmni ||
		bench_die "cannot raise kernel.shmmni to $(( max_segs + 64 ))"
fi

# ---- helpers --------------------------------------------------------------

median() {
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2];
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
# fdiv A B [FORMAT]: A / B, or "-" when B is zero or missing.
fdiv() {
	awk -v a="${1:-}" -v b="${2:-}" -v f="${3:-%.2f}" \
		'BEGIN { if (b == "" || a == "" || b + 0 == 0) print "-";
			 else printf f "\n", a / b }'
}

start_workload() {	# ARGS...: start bench/workload, wait for "ready"
	local i
	: > "$WL_OUT"
	"$WORKLOAD" "$@" > "$WL_OUT" &
	WL_PID=$!
	for (( i = 0; i < 1200; i++ )); do
		grep -q '^ready' "$WL_OUT" && return 0
		kill -0 "$WL_PID" 2>/dev/null || break
		sleep 0.1
	done
	bench_die "the workload ($*) did not get ready"
}

stop_workload() { bench_cleanup; }

# Commands of one run: parallel arrays of label, command line, reference.
declare -a C_LABEL C_CMD C_REF
declare -A MED MIN RSS STAT CPU	# "RUN|LABEL" -> median ms, min ms, max KiB, worst exit, median CPU ms

add() { C_LABEL+=("$1"); C_CMD+=("$2"); C_REF+=("${3:-}"); }
reset_cmds() { C_LABEL=(); C_CMD=(); C_REF=(); }

# run_rounds RUN REPS: one warm-up round, then REPS rounds, each running
# every command once, starting one command later each round.
run_rounds() {
	local run=$1 reps=$2 n=${#C_LABEL[@]} r k i out ms kb st cpu
	local -a times rsses stats cpus
	for (( k = 0; k < n; k++ )); do times[k]=; rsses[k]=; stats[k]=0; cpus[k]=; done
	for (( r = 0; r <= reps; r++ )); do
		for (( k = 0; k < n; k++ )); do
			i=$(( (k + r) % n ))
			out=$("$TIMEIT" "${C_CMD[i]}" 2> "$ERRDIR/$i") ||
				bench_die "timeit failed on: ${C_CMD[i]}"
			read -r ms kb st cpu <<< "$out"
			[ "$r" = 0 ] && continue	# warm-up
			times[i]+=" $ms"
			cpus[i]+=" $cpu"
			rsses[i]+=" $kb"
			[ "$st" -gt "${stats[i]}" ] && stats[i]=$st
		done
	done
	for (( k = 0; k < n; k++ )); do
		# shellcheck disable=SC2086
		MED["$run|${C_LABEL[k]}"]=$(median ${times[k]})
		# shellcheck disable=SC2086
		CPU["$run|${C_LABEL[k]}"]=$(median ${cpus[k]})
		# shellcheck disable=SC2086
		MIN["$run|${C_LABEL[k]}"]=$(printf '%s\n' ${times[k]} | sort -g | head -n 1)
		# shellcheck disable=SC2086
		RSS["$run|${C_LABEL[k]}"]=$(maxof ${rsses[k]})
		STAT["$run|${C_LABEL[k]}"]=${stats[k]}
	done
}

# Exit statuses that are not failures: lsof exits 1 when some search
# item found nothing, and grep/fuser when nothing matched.
status_note() {
	local run=$1 k=$2 st=${STAT["$1|${C_LABEL[$2]}"]}
	[ "$st" = 0 ] && return
	case ${C_CMD[k]} in lsof*|fuser*) [ "$st" = 1 ] && return ;; esac
	printf '   ! exit %s: %s\n' "$st" "$(head -c 200 "$ERRDIR/$k" | head -n 1)"
}

# ---- scan workload ------------------------------------------------------

SH=$SHMTOOL
NOQ=SHMTOOL_NO_PROCMAP_QUERY=1
NOMF=SHMTOOL_NO_MAP_FILES=1	# SysV through the mapping, as without CAP_SYS_ADMIN
L_LS="shmtool ls"
ONE=SHMTOOL_SCAN_THREADS=1
L_LS1="$ONE shmtool ls"
L_LSO="shmtool ls -o SEGMENT,SIZE,NATTCH"
L_FLOOR="cat /proc/[0-9]*/maps > /dev/null"
L_MIN="floor: minimal scanner (bench/floor.c)"
L_MINC="floor -C: the same with the contract's reads"
L_LSOFD="lsof -n -P +D /dev/shm"
L_FUSER="fuser -m /dev/shm"
L_LSIPC="lsipc -m"
declare -A UNITS UNITS_PM UNITS_S	# RUN -> processes + mappings (+ segments)

scan_cmds() {
	reset_cmds
	add "$L_LS"				"$SH ls"
	add "$L_LS1"				"$ONE $SH ls"
	add "$NOQ shmtool ls"			"$NOQ $SH ls"
	add "$L_LSO"				"$SH ls -o SEGMENT,SIZE,NATTCH"
	add "shmtool maps"			"$SH maps"
	add "$NOQ shmtool maps"			"$NOQ $SH maps"
	add "$L_LSOFD"				"lsof -n -P +D /dev/shm"
	add "lsof -n -P | grep -e /dev/shm -e SYSV" \
						"lsof -n -P | grep -e /dev/shm -e SYSV"
	add "$L_FUSER"				"fuser -m /dev/shm"
	add "$L_LSIPC"				"lsipc -m"
	add "ipcs -m -p"			"ipcs -m -p"
	add "$L_FLOOR"				"cat /proc/[0-9]*/maps > /dev/null"
	add "$L_MIN"				"$FLOOR -q"
	add "$L_MINC"				"$FLOOR -q -C"
}

# scan_run RUN PROCS SEGS REPS
scan_run() {
	local run=$1 procs=$2 segs=$3 reps=$4 nproc nmaps nsegs got want k
	local ls_ms floor_ms ms
	start_workload scan "$procs" "$segs"
	nproc=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
	nmaps=$(cat /proc/[0-9]*/maps 2>/dev/null | wc -l)
	nsegs=$(( $(find /dev/shm -mindepth 1 -maxdepth 1 | wc -l) + $(tail -n +2 /proc/sysvipc/shm | wc -l) ))
	UNITS[$run]=$(( nproc + nmaps + nsegs ))
	UNITS_PM[$run]=$(( nproc + nmaps ))
	UNITS_S[$run]=$nsegs
	# Holdings expected: every 10th process maps a SysV and a POSIX
	# segment, every (10k+5)th holds a POSIX fd.
	want=$(( 2 * ((procs + 9) / 10) + (procs + 4) / 10 ))
	got=$("$SH" ls -r -n -o PROCS | awk '{ s += $1 } END { print s + 0 }')
	echo
	echo "== scan: $procs processes, $segs SysV + $segs POSIX segments" \
	     "($nproc processes, $nmaps mappings, $nsegs segments in the namespace;" \
	     "$reps rounds)"
	echo "   check: shmtool ls finds $got process-segment holdings, $want expected" \
	     "$([ "$got" = "$want" ] && echo '(ok)' || echo '(MISMATCH)')"
	got=$("$FLOOR" -c -q 2>&1 >/dev/null)
	echo "   check: the minimal scanner finds $got, $want expected" \
	     "$([ "$got" = "$want" ] && echo '(ok)' || echo '(MISMATCH)')"
	got=$("$FLOOR" -c -q -C 2>&1 >/dev/null)
	echo "   check: the minimal scanner with the contract's reads finds $got, $want expected" \
	     "$([ "$got" = "$want" ] && echo '(ok)' || echo '(MISMATCH)')"
	scan_cmds
	run_rounds "$run" "$reps"
	stop_workload
	ls_ms=${MED["$run|$L_LS"]}
	floor_ms=${MED["$run|$L_FLOOR"]}
	printf '   %-46s %10s %8s %7s %7s %8s %10s\n' command "median ms" "min ms" "CPU ms" "× ls" "× floor" "max RSS"
	for (( k = 0; k < ${#C_LABEL[@]}; k++ )); do
		ms=${MED["$run|${C_LABEL[k]}"]}
		printf '   %-46s %10.1f %8.1f %7.1f %7s %8s %6.1f MiB\n' "${C_LABEL[k]}" "$ms" \
			"${MIN["$run|${C_LABEL[k]}"]}" "${CPU["$run|${C_LABEL[k]}"]}" \
			"$(fdiv "$ms" "$ls_ms")" "$(fdiv "$ms" "$floor_ms")" \
			"$(fdiv "${RSS["$run|${C_LABEL[k]}"]}" 1024 %.1f)"
		status_note "$run" "$k"
	done
	echo "   shmtool ls, one scan thread / minimal scanner: CPU $(fdiv "${CPU["$run|$L_LS1"]}" "${CPU["$run|$L_MIN"]}")," \
	     "wall $(fdiv "${MED["$run|$L_LS1"]}" "${MED["$run|$L_MIN"]}"); shmtool ls (two threads" \
	     "where two CPUs are free) / minimal scanner: wall $(fdiv "$ls_ms" "${MED["$run|$L_MIN"]}")"
	echo "   the contract's reads (floor -C / floor): CPU $(fdiv "${CPU["$run|$L_MINC"]}" "${CPU["$run|$L_MIN"]}");" \
	     "shmtool ls, one scan thread / floor -C: CPU $(fdiv "${CPU["$run|$L_LS1"]}" "${CPU["$run|$L_MINC"]}")," \
	     "wall $(fdiv "${MED["$run|$L_LS1"]}" "${MED["$run|$L_MINC"]}")"
	echo "   (floor -C adds what ARCHITECTURE.md, Verdicts demands of every process: the /proc/PID pin," \
	     "its stat, its executable)"
	echo "   (× ls: this command's time / shmtool ls's; lsof +D, fuser -m see only POSIX segments;"
	echo "    lsipc, ipcs and ls -o list segments without looking for attachers)"
}

# ---- transfer workload --------------------------------------------------

xfer_run() {
	local run=xfer reps=$BENCH_XFER_REPS mb=$BENCH_XFER_MB id src=/tmp/bench-src k ms ref
	local seg=/dev/shm/bench-xfer dst=/tmp/bench-out
	start_workload xfer "$mb"
	id=$(awk '/^ready/ { print $2 }' "$WL_OUT")
	dd if=/dev/zero of="$src" bs=1M count="$mb" status=none ||
		bench_die "cannot write $src"
	echo
	echo "== transfer: ${mb} MiB POSIX segment /bench-xfer and SysV segment $id" \
	     "($reps rounds; source file $src on tmpfs)"
	reset_cmds
	local CP="cat $seg > /dev/null" CPP="cat $seg | cat > /dev/null" CPF="cat $seg > $dst"
	local CW="cat $src > $seg" CWP="cat $src | cat > $seg"
	add "$CP"					"cat $seg"
	add "$CPP"					"$CPP"
	add "$CPF"					"$CPF"
	add "dd if=$seg of=/dev/null bs=1M"		"dd if=$seg of=/dev/null bs=1M status=none" "$CP"
	add "shmtool read /bench-xfer > /dev/null"	"$SH read /bench-xfer"	"$CP"
	add "shmtool read /bench-xfer | cat > /dev/null" \
							"$SH read /bench-xfer | cat > /dev/null" "$CPP"
	add "shmtool read /bench-xfer > $dst"		"$SH read /bench-xfer > $dst" "$CPF"
	add "shmtool read $id > /dev/null"		"$SH read $id"		"$CP"
	add "shmtool read $id | cat > /dev/null"	"$SH read $id | cat > /dev/null" "$CPP"
	add "shmtool read $id > $dst"			"$SH read $id > $dst" "$CPF"
	add "$NOMF shmtool read $id | cat > /dev/null"	"$NOMF $SH read $id | cat > /dev/null" "$CPP"
	add "$NOMF shmtool read $id > $dst"		"$NOMF $SH read $id > $dst" "$CPF"
	add "$CW"					"$CW"
	add "$CWP"					"$CWP"
	add "dd if=$src of=$seg bs=1M conv=notrunc"	"dd if=$src of=$seg bs=1M conv=notrunc status=none" "$CW"
	add "shmtool write /bench-xfer --file $src"	"$SH write /bench-xfer --file $src" "$CW"
	add "shmtool write /bench-xfer < $src"		"$SH write /bench-xfer < $src" "$CW"
	add "cat $src | shmtool write /bench-xfer"	"cat $src | $SH write /bench-xfer" "$CWP"
	add "shmtool write $id --file $src"		"$SH write $id --file $src" "$CW"
	add "cat $src | shmtool write $id"		"cat $src | $SH write $id" "$CWP"
	add "$NOMF shmtool write $id --file $src"	"$NOMF $SH write $id --file $src" "$CW"
	add "cat $src | $NOMF shmtool write $id"	"cat $src | $NOMF $SH write $id" "$CWP"
	run_rounds "$run" "$reps"
	# The bytes are right: write a pattern through each kind, read it back.
	head -c $(( mb << 20 )) /dev/urandom > "$src"
	local okp=bad oks=bad
	"$SH" write /bench-xfer --file "$src" && "$SH" read /bench-xfer | cmp -s - "$src" && okp=ok
	# shellcheck disable=SC2002 # the pipe is the point: the streaming path
	cat "$src" | "$SH" write "$id" && "$SH" read "$id" | cmp -s - "$src" && oks=ok
	stop_workload
	rm -f "$src" "$dst"
	echo "   check: write then read back ${mb} MiB of random bytes: POSIX $okp, SysV $oks"
	printf '   %-62s %10s %8s %8s %7s %10s\n' command "median ms" "min ms" "MB/s" "× cat" "max RSS"
	for (( k = 0; k < ${#C_LABEL[@]}; k++ )); do
		ms=${MED["$run|${C_LABEL[k]}"]}
		ref=${C_REF[k]}
		printf '   %-62s %10.1f %8.1f %8s %7s %7.1f MiB\n' "${C_LABEL[k]}" "$ms" \
			"${MIN["$run|${C_LABEL[k]}"]}" \
			"$(awk -v mb="$mb" -v ms="$ms" 'BEGIN { printf "%.0f", mb * 1048576 / 1e6 / (ms / 1000) }')" \
			"$([ -n "$ref" ] && fdiv "${MED["$run|$ref"]}" "$ms")" \
			"$(fdiv "${RSS["$run|${C_LABEL[k]}"]}" 1024 %.1f)"
		status_note "$run" "$k"
	done
	echo "   (× cat: throughput / that of the cat command of the same shape (to /dev/null, to a"
	echo "    file, through a pipe, from a file, from a pipe) on the POSIX segment; cat cannot"
	echo "    reach SysV.  To /dev/null, a zero-copy path (sendfile, or write() of a mapping the"
	echo "    null device never reads) moves no bytes: the file and pipe rows measure copying."
	echo "    $NOMF: SysV through the attachment's mapping, the path of a caller"
	echo "    who may not open /proc/self/map_files (no CAP_SYS_ADMIN))"
}

# ---- rounds with the data made again -----------------------------------

# remade_rounds TAG REPS SETUP CMD...: REPS + 1 rounds (the first warms
# up) of every CMD once, SETUP K (a function: makes the data again,
# untimed) before CMD K.  A CMD that fails ends the run.  R_TIMES[K] and
# R_RSS[K]: the wall times (ms) and peak RSSes (KiB) of CMD K.
declare -a R_TIMES R_RSS
remade_rounds() {
	local tag=$1 reps=$2 setup=$3 r k out ms kb st
	shift 3
	local -a cmds=("$@")
	R_TIMES=()
	R_RSS=()
	for (( r = 0; r <= reps; r++ )); do
		for (( k = 0; k < ${#cmds[@]}; k++ )); do
			"$setup" "$k"
			out=$("$TIMEIT" "${cmds[k]}" 2>"$ERRDIR/$tag$k") ||
				bench_die "timeit failed on: ${cmds[k]}"
			read -r ms kb st _ <<< "$out"
			[ "$st" = 0 ] || bench_die "exit $st: ${cmds[k]}: $(head -n 1 "$ERRDIR/$tag$k")"
			[ "$r" = 0 ] && continue
			R_TIMES[k]+=" $ms"
			R_RSS[k]+=" $kb"
		done
	done
}

# ---- rm --unused: the re-check cost -------------------------------------

# N SysV leaks (their creator gone), then one command, timed; the leaks are
# made again before each command (not timed).  rm --unused re-checks each
# candidate right before removing it (DESIGN §7: O(1) each); against ls of
# the same set, the difference is the cost of the checks and removals.
# rm_leaks K: BENCH_RM_SEGS leaks again, on a clean slate.
rm_leaks() {
	local left
	ipcrm --all=shm 2>/dev/null
	left=$(tail -n +2 /proc/sysvipc/shm | wc -l)
	[ "$left" = 0 ] || bench_die "$left segments left after ipcrm --all=shm"
	"$WORKLOAD" leak "$BENCH_RM_SEGS" >/dev/null ||
		bench_die "cannot make $BENCH_RM_SEGS SysV segments"
}

rm_run() {
	local n=$BENCH_RM_SEGS reps=$BENCH_RM_REPS k ms left
	local -a labels=("shmtool ls --sysv" "shmtool rm --unused --sysv" "ipcrm --all=shm")
	local -a cmds=("$SH ls --sysv" "$SH rm --unused --sysv" "ipcrm --all=shm")
	echo
	echo "== rm --unused: $n SysV segments nobody attaches, creator gone ($reps rounds;" \
	     "the leaks are made again before each command, untimed)"
	remade_rounds rm "$reps" rm_leaks "${cmds[@]}"
	rm_leaks 0
	"$SH" rm --unused --sysv 2>/dev/null
	left=$(tail -n +2 /proc/sysvipc/shm | wc -l)
	echo "   check: rm --unused --sysv leaves $left of $n $([ "$left" = 0 ] && echo '(ok)' || echo '(MISMATCH)')"
	printf '   %-46s %10s %7s
' command "median ms" "× ls"
	local ls_ms
	# shellcheck disable=SC2086
	ls_ms=$(median ${R_TIMES[0]})
	for (( k = 0; k < ${#cmds[@]}; k++ )); do
		# shellcheck disable=SC2086
		ms=$(median ${R_TIMES[k]})
		MED["rm|${labels[k]}"]=$ms
		printf '   %-46s %10.1f %7s
' "${labels[k]}" "$ms" "$(fdiv "$ms" "$ls_ms")"
	done
	echo "   rm --unused per segment: $(awk -v a="${MED["rm|${labels[1]}"]}" -v n="$n" \
		'BEGIN { printf "%.1f", a * 1000 / n }') µs (the whole run, scan included, over $n)"
	echo "   (ipcrm --all=shm removes every segment, checking nothing: the floor for removal)"
}

# ---- 100,000 POSIX files -------------------------------------------------

# many_files N: N empty files in /dev/shm, made untimed (what ML runners
# leak: nobody holds them; in this PID namespace they are unverified, so
# rm --unused needs --force, as in the tests).
many_files() {
	local i
	find /dev/shm -mindepth 1 -delete 2>/dev/null
	for (( i = 0; i < $1; i++ )); do : > "/dev/shm/leak_$i"; done
}

# many_again K: the BENCH_MANY files again where a removal took them.
many_again() {
	[ "$(find /dev/shm -mindepth 1 -maxdepth 1 | wc -l)" = "$BENCH_MANY" ] ||
		many_files "$BENCH_MANY"
}

many_run() {
	local n=$BENCH_MANY reps=$BENCH_MANY_REPS k ms left sc
	local -a labels=("shmtool ls" "shmtool ls -J" "ls -l /dev/shm"
			 "shmtool rm --unused --posix --force"
			 "find /dev/shm -type f -delete")
	local -a cmds=("$SH ls" "$SH ls -J" "ls -l /dev/shm"
		       "$SH rm --unused --posix --force"
		       "find /dev/shm -type f -delete")
	echo
	echo "== $n POSIX files nobody holds ($reps rounds; made again before each removal, untimed)"
	many_files "$n"
	remade_rounds many "$reps" many_again "${cmds[@]}"
	many_files "$n"
	"$SH" rm --unused --posix --force 2>/dev/null
	left=$(find /dev/shm -mindepth 1 -maxdepth 1 | wc -l)
	echo "   check: rm --unused --posix --force leaves $left of $n $([ "$left" = 0 ] && echo '(ok)' || echo '(MISMATCH)')"
	if command -v strace >/dev/null; then
		many_files "$n"
		strace -f -c -o "$ERRDIR/many.strace" "$SH" rm --unused --posix --force >/dev/null 2>&1
		sc=$(awk '$NF == "total" { print $4 }' "$ERRDIR/many.strace")
		MANY_SYSCALLS=$(fdiv "$sc" "$n" %.1f)
		echo "   rm --unused: $sc system calls, $MANY_SYSCALLS per file (strace -c; listing, scan and every re-check included)"
	fi
	printf '   %-46s %10s %8s %10s\n' command "median ms" "× find" "max RSS"
	for (( k = 0; k < ${#cmds[@]}; k++ )); do
		# shellcheck disable=SC2086
		ms=$(median ${R_TIMES[k]})
		MED["many|${labels[k]}"]=$ms
		# shellcheck disable=SC2086
		RSS["many|${labels[k]}"]=$(maxof ${R_RSS[k]})
	done
	for (( k = 0; k < ${#cmds[@]}; k++ )); do
		printf '   %-46s %10.1f %8s %6.1f MiB\n' "${labels[k]}" "${MED["many|${labels[k]}"]}" \
			"$(fdiv "${MED["many|${labels[k]}"]}" "${MED["many|${labels[4]}"]}")" \
			"$(fdiv "${RSS["many|${labels[k]}"]}" 1024 %.1f)"
	done
	find /dev/shm -mindepth 1 -delete 2>/dev/null
}

# ---- the run ------------------------------------------------------------

has_part() { case " $BENCH_PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

echo "shmtool benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(uname -sr), $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "shmtool: $SHMTOOL ($("$SHMTOOL" --version 2>/dev/null | head -n 1))"
echo "peers: $(lsof -v 2>&1 | awk '/revision/ { print "lsof " $2; exit }'), $(fuser -V 2>&1 | head -n 1), $(lsipc --version), $(cat --version | head -n 1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)$(awk '$1 > 0.5 { printf " (not idle: other work skews the times)" }' /proc/loadavg)"
if probe=$(SHMTOOL_DEBUG_SCAN=1 "$SHMTOOL" ls 2>&1 >/dev/null | grep -o 'maps via .*'); then
	echo "scanner: $probe"
fi

if has_part scan; then
	scan_run main "$BENCH_PROCS" "$BENCH_SEGS" "$BENCH_REPS"
fi

if has_part scale; then
	runs=()
	for s in $BENCH_SIZES; do
		scan_run "scale-$s" "${s%:*}" "${s#*:}" "$BENCH_SCALE_REPS"
		runs+=("scale-$s")
	done
	if [ "${#runs[@]}" -ge 2 ]; then
		a=${runs[0]} b=${runs[${#runs[@]} - 1]}
		echo
		gpm=$(fdiv "${UNITS_PM[$b]}" "${UNITS_PM[$a]}")
		gs=$(fdiv "${UNITS_S[$b]}" "${UNITS_S[$a]}")
		gu=$(fdiv "${UNITS[$b]}" "${UNITS[$a]}")
		echo "== scaling: ${a#scale-} -> ${b#scale-} (PROCS:SEGS).  Units = processes + mappings + segments:" \
		     "${UNITS[$a]} -> ${UNITS[$b]} (× $gu);"
		echo "   processes + mappings × $gpm, segments × $gs, their product × $(fdiv "$(awk -v a="$gpm" -v b="$gs" 'BEGIN { print a * b }')" 1)"
		printf '   %-46s %9s %9s %8s %8s %7s  %s\n' "command (median ms, µs per unit)" "${a#scale-}" "${b#scale-}" \
			"${a#scale-}" "${b#scale-}" "× time" verdict
		scan_cmds
		for l in "${C_LABEL[@]}"; do
			ta=${MED["$a|$l"]} tb=${MED["$b|$l"]}
			read -r g verdict < <(awk -v ta="$ta" -v tb="$tb" -v gu="$gu" \
				-v gp="$gpm" -v gs="$gs" 'BEGIN {
				t = tb / ta; big = gp > gs ? gp : gs
				if (t <= 1.25 * gu) v = "linear"
				else if (t <= 1.25 * big)
					v = gs > gp ? "linear, segment-heavy" : "linear, process-heavy"
				else if (t < gp * gs / 2) v = "SUPERLINEAR"
				else v = "PRODUCT-LIKE"
				printf "%.2f %s\n", t, v }')
			printf '   %-46s %9.1f %9.1f %8.3f %8.3f %7s  %s\n' "$l" "$ta" "$tb" \
				"$(awk -v t="$ta" -v u="${UNITS[$a]}" 'BEGIN { print t * 1000 / u }')" \
				"$(awk -v t="$tb" -v u="${UNITS[$b]}" 'BEGIN { print t * 1000 / u }')" "$g" "$verdict"
		done
		echo "   (× time: how much longer the big run took.  linear: it grew no more than the units"
		echo "    (× $gu, +25%); linear, segment-heavy: more than the units but no more than the"
		echo "    segments (× $gs): a per-segment cost above the per-mapping cost, still linear;"
		echo "    SUPERLINEAR: more than any input grew; PRODUCT-LIKE: as processes × segments.)"
	fi
fi

if has_part xfer; then
	xfer_run
fi

if has_part rm; then
	rm_run
fi
if has_part many; then
	many_run
fi

# ---- targets (issue 7) --------------------------------------------------

verdict() { awk -v v="$1" -v op="$2" -v lim="$3" 'BEGIN {
	if (v == "-") { print "n/a"; exit }
	ok = (op == "<=") ? v + 0 <= lim + 0 : v + 0 >= lim + 0
	print ok ? "met" : "MISSED" }'; }
target() {	# TEXT VALUE OP LIMIT
	printf '   %-62s %8s  %s %-5s %s\n' "$1" "$2" "$3" "$4" "$(verdict "$2" "$3" "$4")"
}

echo
echo "== targets (issues 7 and 18)"
if has_part scan; then
	m=main
	target "shmtool ls / lsof +D /dev/shm ($BENCH_PROCS procs)" \
		"$(fdiv "${MED["$m|$L_LS"]}" "${MED["$m|$L_LSOFD"]}")" "<=" 0.15
	target "shmtool ls / fuser -m /dev/shm" \
		"$(fdiv "${MED["$m|$L_LS"]}" "${MED["$m|$L_FUSER"]}")" "<=" 0.5
	target "shmtool ls / cat /proc/[0-9]*/maps" \
		"$(fdiv "${MED["$m|$L_LS"]}" "${MED["$m|$L_FLOOR"]}")" "<=" 0.6
	target "shmtool ls, one thread / minimal scanner (CPU)" \
		"$(fdiv "${CPU["$m|$L_LS1"]}" "${CPU["$m|$L_MIN"]}")" "<=" 1.05
	target "shmtool ls, two threads / minimal scanner (one; wall)" \
		"$(fdiv "${MED["$m|$L_LS"]}" "${MED["$m|$L_MIN"]}")" "<=" 0.65
	target "shmtool ls, one thread / floor -C, the contract's reads (CPU)" \
		"$(fdiv "${CPU["$m|$L_LS1"]}" "${CPU["$m|$L_MINC"]}")" "<=" 1.05
fi
if has_part scale; then
	last=
	for s in $BENCH_SIZES; do last=scale-$s; done
	target "shmtool ls -o SEGMENT,SIZE,NATTCH / lsipc -m (${last#scale-})" \
		"$(fdiv "${MED["$last|$L_LSO"]}" "${MED["$last|$L_LSIPC"]}")" "<=" 1.5
	target "peak RSS of shmtool ls, MiB (${last#scale-})" \
		"$(fdiv "${RSS["$last|$L_LS"]}" 1024 %.1f)" "<=" 32
fi
if has_part many; then
	for l in "shmtool ls" "shmtool ls -J" "shmtool rm --unused --posix --force"; do
		target "peak RSS of $l, $BENCH_MANY files, MiB" \
			"$(fdiv "${RSS["many|$l"]}" 1024 %.1f)" "<=" 32
	done
	target "shmtool ls / ls -l /dev/shm ($BENCH_MANY files)" \
		"$(fdiv "${MED["many|shmtool ls"]}" "${MED["many|ls -l /dev/shm"]}")" "<=" 0.7
	target "rm --unused / find -type f -delete ($BENCH_MANY files)" \
		"$(fdiv "${MED["many|shmtool rm --unused --posix --force"]}" "${MED["many|find /dev/shm -type f -delete"]}")" "<=" 2.0
	target "rm --unused system calls per file" "${MANY_SYSCALLS:--}" "<=" 4
fi
if has_part xfer; then
	for (( k = 0; k < ${#C_LABEL[@]}; k++ )); do
		case ${C_LABEL[k]} in *shmtool*) ;; *) continue ;; esac
		ref=${C_REF[k]}
		target "${C_LABEL[k]/\/tmp\/bench-src/FILE} vs cat (throughput)" \
			"$(fdiv "${MED["xfer|$ref"]}" "${MED["xfer|${C_LABEL[k]}"]}")" ">=" 1.0
	done
fi
