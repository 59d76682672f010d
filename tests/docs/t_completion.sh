#!/bin/bash
# SPDX-License-Identifier: MIT
# t_completion.sh - the completions work in real shells.
#   bash: bash-completion and completions/shmtool.bash loaded, COMP_WORDS,
#         COMP_CWORD, COMP_LINE and COMP_POINT set, COMPREPLY checked;
#   zsh:  completions/_shmtool through compinit, driven by zpty (zcomp.zsh);
#   fish: completions/shmtool.fish, `complete -C`.
# Each completes a subcommand prefix, an option, a column after -o, a column
# after a comma, and a live segment that the test created (and no longer
# offers it once removed).  zsh and fish are skipped where not installed.
DOCS_WANT_ISOLATION=1
. "$(dirname "$0")/lib.sh"
docs_need_binary
here=$(cd "$(dirname "$0")" && pwd)

# A POSIX segment and a System V segment of our own.  In a private
# namespace nothing else is there; otherwise the name is unique and both
# are removed on exit.
name=/shmtool-docs-$$-$RANDOM
sysv_id=
sem=${name#/}-sem	# a POSIX named semaphore's name: file sem.NAME
cleanup_segments() {
	[ -n "$name" ] && "$SHMTOOL" rm "$name" 2>/dev/null
	rm -f "/dev/shm/sem.$sem"
	[ -n "$sysv_id" ] && "$SHMTOOL" rm "id:$sysv_id" 2>/dev/null
	return 0
}
DOCS_CLEANUP=cleanup_segments
if isolated; then
	echo "# private IPC namespace and /dev/shm"
else
	echo "# shared machine: unique names ($name), removed on exit"
fi
if [ "$("$SHMTOOL" create --posix "$name" 1K 2>&1)" = "$name" ]; then
	ok "setup: created $name"
else
	not_ok "setup: cannot create $name"
	name=
fi
sysv_id=$("$SHMTOOL" create --sysv 4K 2>/dev/null) || sysv_id=
case $sysv_id in
'' | *[!0-9]*) not_ok "setup: cannot create a System V segment"; sysv_id= ;;
*) ok "setup: created System V segment $sysv_id" ;;
esac
prefix=${name%-*}    # /shmtool-docs-PID: unique enough to name only ours
# A semaphore's file, as sem_open(3) leaves it (ls --sem lists it).
if head -c 32 /dev/zero >"/dev/shm/sem.$sem"; then
	ok "setup: made the semaphore sem:/$sem"
else
	not_ok "setup: cannot make /dev/shm/sem.$sem"
fi
# ftok:PATH completes PATH as a file name.
mkdir -p "$DOCS_TMP/ftokdir" && : >"$DOCS_TMP/ftokdir/projfile"
ftokpre=ftok:$DOCS_TMP/ftokdir/proj
# A file for metrics --metrics-file, which completes file names.
mkdir -p "$DOCS_TMP/textfile" && : >"$DOCS_TMP/textfile/shmtool.prom"
promfile=$DOCS_TMP/textfile/shmtool.prom

# ---------------------------------------------------------------- bash

# bexpect DESC WANT WORD...: bash completion of WORD... offers WANT.
bexpect() {
	local desc=$1 want=$2 got
	shift 2
	got=$(bash_complete "$@")
	if printf '%s\n' "$got" | in_list "$want"; then
		ok "bash: $desc"
	else
		not_ok "bash: $desc: want '$want' in [$(echo $got)]"
	fi
}
# bexact DESC WANT WORD...: bash completion of WORD... is exactly WANT.
bexact() {
	local desc=$1 want=$2 got
	shift 2
	got=$(bash_complete "$@")
	if [ "$(echo $got)" = "$want" ]; then
		ok "bash: $desc"
	else
		not_ok "bash: $desc: want [$want], got [$(echo $got)]"
	fi
}

if have_bash_completion; then
	bexact "'shmtool re' completes to read" read shmtool re
	bexact "'shmtool ls --so' completes to --sort" --sort shmtool ls --so
	bexpect "'shmtool rm --dr' completes to --dry-run" --dry-run shmtool rm --dr
	bexact "'shmtool ls -o SEG' completes to SEGMENT" SEGMENT shmtool ls -o SEG
	bexact "'shmtool ls -o SEGMENT,SI' completes to SEGMENT,SIZE" SEGMENT,SIZE \
		shmtool ls -o SEGMENT,SI
	bexact "'shmtool ls --output=+STA' completes to +STATUS" +STATUS \
		shmtool ls --output = +STA
	bexact "'shmtool ls --sort nat' (any case) completes to NATTCH" NATTCH \
		shmtool ls --sort nat
	bexact "'shmtool maps -o MAP' completes to a maps column, MAPSIZE" MAPSIZE \
		shmtool maps -o MAP
	bexact "'shmtool help cr' completes to create" create shmtool help cr
	bexact "'shmtool metrics --metrics-file DIR/shm' completes the file" \
		"$promfile" shmtool metrics --metrics-file "${promfile%tool.prom}"
	bexact "'shmtool ls --summary --by p' completes to process" process \
		shmtool ls --summary --by p
	bexact "'shmtool ls --time-format e' completes to epoch" epoch \
		shmtool ls --time-format e
	bexact "'shmtool stat --time-format ' offers the four forms" \
		"short full iso epoch" shmtool stat --time-format ""
	bexact "'shmtool ls --lim' completes to --limits" --limits shmtool ls --lim
	bexact "'shmtool stat -o SI' completes to SIZE" SIZE shmtool stat -o SI
	if [ -n "$name" ]; then
		bexact "'shmtool read $prefix' completes to the live segment" "$name" \
			shmtool read "$prefix"
		bexpect "'shmtool stat ' offers the live segment" "$name" shmtool stat ""
		bexpect "'shmtool stat ' offers the semaphore" "sem:/$sem" shmtool stat ""
		got=$(bash_complete shmtool stat --sysv "")
		if printf '%s\n' "$got" | in_list "sem:/$sem"; then
			not_ok "bash: 'shmtool stat --sysv ' offers a semaphore"
		else
			ok "bash: 'shmtool stat --sysv ' offers no semaphore"
		fi
		bexpect "'shmtool ls $name ' offers a TARGET again (ls TARGET...)" "$name" \
			shmtool ls "$name" ""
		bexact "'shmtool ls --limits ' offers no TARGET" "" \
			shmtool ls --limits ""
		bexpect "'shmtool rm $name ' offers it again (several TARGETs)" "$name" \
			shmtool rm "$name" ""
		bexpect "'shmtool maps --segment /' offers the live segment" "$name" \
			shmtool maps --segment /
		bexact "'shmtool read $name ' offers nothing more (one TARGET)" "" \
			shmtool read "$name" ""
		bexpect "'shmtool chmod 600 ' offers the live segment" "$name" \
			shmtool chmod 600 ""
		bexact "'shmtool chmod ' offers no TARGET in place of MODE" "" \
			shmtool chmod ""
		bexpect "'shmtool chown nobody ' offers the live segment" "$name" \
			shmtool chown nobody ""
		bexpect "'shmtool chown nob' completes a user name" nobody \
			shmtool chown nob
		bexact "'shmtool rm --unused ' offers no TARGET" "" \
			shmtool rm --unused ""
		if isolated; then
			bexact "'shmtool --ns \$\$ read $prefix' completes in that namespace" \
				"$name" shmtool --ns "$$" read "$prefix"
		fi
	fi
	if [ -n "$sysv_id" ]; then
		bexpect "'shmtool write ' offers the System V shmid" "$sysv_id" \
			shmtool write ""
		bexpect "'shmtool lock ' offers the System V shmid" "$sysv_id" \
			shmtool lock ""
		got=$(bash_complete shmtool lock "")
		if [ -n "$name" ] && printf '%s\n' "$got" | in_list "$name"; then
			not_ok "bash: 'shmtool lock ' offers a POSIX segment"
		else
			ok "bash: 'shmtool lock ' offers no POSIX segment"
		fi
		bexpect "'shmtool unlock $sysv_id ' offers it again (several TARGETs)" \
			"$sysv_id" shmtool unlock "$sysv_id" ""
		got=$(bash_complete shmtool stat --posix "")
		if printf '%s\n' "$got" | in_list "$sysv_id"; then
			not_ok "bash: 'shmtool stat --posix ' offers a System V shmid"
		else
			ok "bash: 'shmtool stat --posix ' offers no System V shmid"
		fi
	fi
	bexact "'shmtool read ftok:DIR/proj' completes the file name" \
		"$DOCS_TMP/ftokdir/projfile" shmtool read "$ftokpre"
	bexact "'shmtool read --posix ftok:DIR/proj' offers no file" "" \
		shmtool read --posix "$ftokpre"
	bexpect "'shmtool maps ' offers PIDs (this shell's $$)" "$$" shmtool maps ""
	bexact "'shmtool --n' completes to the global --ns" --ns shmtool --n
else
	not_ok "bash-completion is not installed ($BASH_COMPLETION_MAIN; make deps)"
fi

# ---------------------------------------------------------------- zsh

if command -v zsh >/dev/null; then
	if zsh -n "$COMPDIR/_shmtool"; then
		ok "zsh: _shmtool parses (zsh -n)"
	else
		not_ok "zsh: _shmtool has syntax errors"
	fi
	mkdir -p "$DOCS_TMP/zfunc"
	cp "$COMPDIR/_shmtool" "$DOCS_TMP/zfunc/_shmtool"
	out=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D
		print -r -- "${_comps[shmtool]-}"' zsh "$DOCS_TMP/zfunc" 2>&1)
	if [ "$out" = _shmtool ]; then
		ok "zsh: compinit in zsh -f loads _shmtool for shmtool, no errors"
	else
		not_ok "zsh: compinit does not bind _shmtool cleanly: $out"
	fi

	lines=("shmtool re" "shmtool ls --so" "shmtool ls -o SEG"
		"shmtool ls -o SEGMENT,SI" "shmtool rm --unused --dr"
		"shmtool ls --summary --by p" "shmtool stat $ftokpre"
		"shmtool ls --time-format ep" "shmtool ls --lim")
	want=("shmtool read " "shmtool ls --sort=" "shmtool ls -o SEGMENT,"
		"shmtool ls -o SEGMENT,SIZE," "shmtool rm --unused --dry-run "
		"shmtool ls --summary --by process "
		"shmtool stat ${ftokpre}file " "shmtool ls --time-format epoch "
		"shmtool ls --limits ")
	desc=("subcommand prefix re -> read" "option --so -> --sort"
		"column after -o: SEG -> SEGMENT" "column after a comma: SI -> SIZE"
		"option of rm --unused: --dr -> --dry-run"
		"value of ls --by: p -> process"
		"file name after ftok:"
		"value of --time-format: ep -> epoch" "option --lim -> --limits")
	lines+=("shmtool metrics --metrics-file=${promfile%tool.prom}")
	want+=("shmtool metrics --metrics-file=$promfile ")
	desc+=("file after metrics --metrics-file=")
	if [ -n "$name" ]; then
		lines+=("shmtool read $prefix")
		want+=("shmtool read $name ")
		desc+=("live segment $name")
		lines+=("shmtool chmod 600 $prefix")
		want+=("shmtool chmod 600 $name ")
		desc+=("chmod MODE, then the live segment $name")
		lines+=("shmtool stat sem:/${sem%-sem}")
		want+=("shmtool stat sem:/$sem ")
		desc+=("the semaphore sem:/$sem")
	fi
	if [ -n "$sysv_id" ]; then
		lines+=("shmtool stat --sysv $sysv_id")
		want+=("shmtool stat --sysv $sysv_id ")
		desc+=("live System V shmid $sysv_id")
		lines+=("shmtool lock --sysv $sysv_id")
		want+=("shmtool lock --sysv $sysv_id ")
		desc+=("lock: live System V shmid $sysv_id")
	fi
	mapfile -t got < <(timeout 120 zsh -f "$here/zcomp.zsh" "$DOCS_TMP/zfunc" "${lines[@]}")
	if [ ${#got[@]} = 0 ]; then
		not_ok "zsh: zpty harness gave no output (zsh/zpty missing?)"
	else
		for i in "${!lines[@]}"; do
			if [ "${got[i]-}" = "${want[i]}" ]; then
				ok "zsh: ${desc[i]}"
			else
				not_ok "zsh: ${desc[i]}: '${lines[i]}<TAB>' gave '${got[i]-}', want '${want[i]}'"
			fi
		done
	fi
else
	skip "zsh is not installed"
fi

# ---------------------------------------------------------------- fish

# fexact DESC WANT LINE: fish's completions of LINE (first fields) are
# exactly WANT.
fcomplete() {
	fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
		"$COMPDIR/shmtool.fish" "$1" 2>&1 | cut -f1
}
fexact() {
	local got
	got=$(fcomplete "$3")
	if [ "$(echo $got)" = "$2" ]; then
		ok "fish: $1"
	else
		not_ok "fish: $1: want [$2], got [$(echo $got)]"
	fi
}
if command -v fish >/dev/null; then
	if fish --no-execute "$COMPDIR/shmtool.fish" 2>"$DOCS_TMP/err"; then
		ok "fish: shmtool.fish parses (fish -n)"
	else
		not_ok "fish: shmtool.fish has syntax errors: $(head -c 300 "$DOCS_TMP/err")"
	fi
	fexact "'shmtool re' completes to read" read "shmtool re"
	# Descriptions whole: a help text of several lines is joined, not
	# cut after its first.
	for o in "ls --summary" "rm --force" "ls --anon"; do
		# The help column is 24: what follows it on the option's
		# line and on the lines that go on.
		want=$("$SHMTOOL" ${o% *} --help | awk -v o="${o#* }" '
			found && substr($0, 1, 24) ~ /^ +$/ &&
			    substr($0, 25, 1) ~ /[^ ]/ { d = d " " substr($0, 25); next }
			found { exit }
			substr($0, 1, 24) ~ ("^ +(-[a-zA-Z], )?" o "( [^ ]+)? +$") {
				found = 1; d = substr($0, 25) }
			END { print d }')
		got=$(fish --no-config -c 'source $argv[1]; complete -C $argv[2]' \
			"$COMPDIR/shmtool.fish" "shmtool $o" 2>&1 |
			awk -F '\t' -v o="${o#* }" '$1 == o { print $2 }')
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			ok "fish: the description of '$o' is its whole help"
		else
			not_ok "fish: '$o': want [$want], got [$got]"
		fi
	done
	fexact "'shmtool ls --so' completes to --sort" --sort "shmtool ls --so"
	fexact "'shmtool ls -o SEG' completes to SEGMENT" SEGMENT "shmtool ls -o SEG"
	fexact "'shmtool ls -o SEGMENT,SI' completes to SEGMENT,SIZE" SEGMENT,SIZE \
		"shmtool ls -o SEGMENT,SI"
	fexact "'shmtool maps --sort PI' completes to PID" PID "shmtool maps --sort PI"
	fexact "'shmtool ls --summary --by p' completes to process" process \
		"shmtool ls --summary --by p"
	fexact "'shmtool read ftok:DIR/proj' completes the file name" \
		"${ftokpre}file" "shmtool read $ftokpre"
	fexact "'shmtool ls --time-format e' completes to epoch" epoch \
		"shmtool ls --time-format e"
	fexact "'shmtool ls --lim' completes to --limits" --limits "shmtool ls --lim"
	fexact "'shmtool stat -o SI' completes to SIZE" SIZE "shmtool stat -o SI"
	fexact "'shmtool metrics --metrics-file DIR/shm' completes the file" \
		"$promfile" "shmtool metrics --metrics-file ${promfile%tool.prom}"
	if [ -n "$name" ]; then
		fexact "'shmtool read $prefix' completes to the live segment" "$name" \
			"shmtool read $prefix"
		fexact "'shmtool rm --unused $prefix' offers no TARGET" "" \
			"shmtool rm --unused $prefix"
		fexact "'shmtool chmod 600 $prefix' completes to the live segment" \
			"$name" "shmtool chmod 600 $prefix"
		fexact "'shmtool chmod $prefix' offers no TARGET in place of MODE" "" \
			"shmtool chmod $prefix"
		fexact "'shmtool lock $prefix' offers no POSIX segment" "" \
			"shmtool lock $prefix"
		fexact "'shmtool stat sem:$prefix' completes to the semaphore" \
			"sem:/$sem" "shmtool stat sem:/${sem%-sem}"
	fi
	if [ -n "$sysv_id" ]; then
		got=$(fcomplete "shmtool stat ")
		if printf '%s\n' "$got" | in_list "$sysv_id"; then
			ok "fish: 'shmtool stat ' offers the System V shmid"
		else
			not_ok "fish: 'shmtool stat ' does not offer shmid $sysv_id: [$(echo $got)]"
		fi
		got=$(fcomplete "shmtool unlock ")
		if printf '%s\n' "$got" | in_list "$sysv_id"; then
			ok "fish: 'shmtool unlock ' offers the System V shmid"
		else
			not_ok "fish: 'shmtool unlock ' does not offer shmid $sysv_id: [$(echo $got)]"
		fi
	fi
else
	skip "fish is not installed"
fi

# ---------------------------------------------------------------- gone

# Targets are live: once removed, no shell offers the segment any more
# (nor the semaphore, whose name fish would match too).
if [ -n "$name" ] && "$SHMTOOL" rm "$name" "sem:/$sem"; then
	gone=$name
	name=
	if have_bash_completion; then
		bexact "a removed segment is no longer offered" "" shmtool read "$prefix"
	fi
	if command -v fish >/dev/null; then
		fexact "a removed segment is no longer offered" "" "shmtool read $prefix"
	fi
	: "$gone"
fi

docs_done
