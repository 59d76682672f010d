#!/bin/bash
# SPDX-License-Identifier: MIT
# Names that are not plain ASCII (issue 15): escaped once, in the renderer;
# valid UTF-8 as it is where the locale is UTF-8; the real name in JSON;
# and every SEGMENT value shmtool prints (table, raw, JSON, dry run) taken
# back as a TARGET by stat, read and rm, naming the same segment.
. "$(dirname "$0")/lib.sh"

# The name part of each kind (after a unique prefix).
name_part() {
	case $1 in
	space) printf 'a b' ;;
	backslash) printf 'a\\b\\x41' ;;
	tab) printf 'a\tb' ;;
	esc) printf 'a\033[31m' ;;
	newline) printf 'a\nb' ;;
	invalid) printf 'a\377\303' ;;
	latin) printf 'caf\303\251' ;;
	cjk) printf '\346\227\245\346\234\254' ;;
	emoji) printf '\360\237\230\200' ;;
	esac
}

# The value of our row from stdout: the line (or JSON object) whose
# SEGMENT starts with our prefix.
row_value() {
	local how=$1 p=$2
	case $how in
	json) jq -j --arg p "$p" '.segments[] | select(.segment | startswith($p)) | .segment' "$OUT" ;;
	dry) LC_ALL=C grep -a -- "^$p" "$OUT" | cut -f1 | tr -d '\n' ;;
	*) LC_ALL=C grep -a -- "^$p" "$OUT" | sed 's/ *$//' | tr -d '\n' ;;
	esac
}

# The printed value V names our segment: stat says so, read gives its
# mark.
names_ours() {
	local v=$1 mark=$2 how=$3
	run_scan stat "$v"
	expect_rc 0
	counted
	[ "$(grep -c '^Segment: ' "$OUT")" = 1 ] ||
		fail "$how: stat of the printed value '$v': $(err1)"
	run read --string --length "${#mark}" "$v"
	expect_rc 0
	expect_eq "$(cat "$OUT")" "$mark" "$how: read of the printed value"
}

t_name_roundtrip() {
	local kind=$1 p name v mark=mark-$1 shown
	p=$E2E_PREFIX-$(new_counter)-
	name=$p$(name_part "$kind")
	reg_posix "$name"
	{ printf %s "$mark"; head -c $((4096 - ${#mark})) /dev/zero; } >"$SHMDIR/$name" ||
		fail "setup: cannot create the name"

	# A table in a UTF-8 locale: valid UTF-8 as it is, nothing raw
	# that is not.
	LC_ALL=C.UTF-8 run_scan ls --posix -n -o SEGMENT
	expect_rc 0
	v=$(row_value table "/$p")
	case $kind in
	latin | cjk | emoji) expect_eq "$v" "/$name" "UTF-8 table: the name as it is" ;;
	*) expect_eq "$v" "/$(printf %s "$name" | shm_escape)" "UTF-8 table: escaped once" ;;
	esac
	names_ours "$v" "$mark" "UTF-8 table"

	# The C locale: only ASCII out, escaped once.
	run_scan ls --posix -n -o SEGMENT
	expect_rc 0
	v=$(row_value table "/$p")
	expect_eq "$v" "/$(printf %s "$name" | shm_escape)" "C table: escaped once"
	names_ours "$v" "$mark" "C table"

	# Raw: the space escaped too, nothing escaped twice.
	run_scan ls --posix -r -n -o SEGMENT,SIZE
	expect_rc 0
	v=$(row_value raw "/$p")
	shown=$(printf %s "$name" | shm_escape | sed 's/ /\\x20/g')
	expect_eq "$v" "/$shown 4096" "raw: one escape"
	names_ours "${v% *}" "$mark" "raw"

	# JSON: the real name where it is UTF-8, the escapes where not.
	run_scan ls --posix -J -o SEGMENT,NAME
	expect_rc 0
	expect_json
	v=$(row_value json "/$p")
	if [ "$kind" = invalid ]; then
		expect_eq "$v" "/$(printf %s "$name" | shm_escape)" "JSON: invalid UTF-8 escaped"
	else
		expect_eq "$v" "/$name" "JSON: the real name"
	fi
	expect_jq "[.segments[] | select(.segment | startswith(\"/$p\")) | .name == .segment[1:]] == [true]"
	names_ours "$v" "$mark" "JSON"

	# The dry run's TARGET field, then rm of it.
	if isolated; then
		run rm --unused --force --dry-run
		expect_rc 0
		v=$(row_value dry "/$p")
		expect_eq "$v" "/$(printf %s "$name" | shm_escape)" "dry run: escaped once"
		names_ours "$v" "$mark" "dry run"
		run rm "$v"
		expect_rc 0
		counted
		[ ! -e "$SHMDIR/$name" ] || fail "rm of the dry run's TARGET left the segment"
	fi
}

# A word that reads two ways, both existing: refused, nothing removed.
t_name_ambiguous() {
	local p
	p=$E2E_PREFIX-$(new_counter)-
	reg_posix "${p}lit\\x41"
	reg_posix "${p}litA"
	: >"$SHMDIR/${p}lit\\x41"
	: >"$SHMDIR/${p}litA"
	run stat "/${p}lit\\x41"
	expect_rc 1
	expect_err_line "two segments answer to it"
	run rm "/${p}lit\\x41"
	expect_rc 1
	counted
	[ -e "$SHMDIR/${p}lit\\x41" ] && [ -e "$SHMDIR/${p}litA" ] ||
		fail "an ambiguous rm removed something"
	# Each by the value ls prints for it.
	run rm "/${p}lit\\x5cx41"
	expect_rc 0
	counted
	[ ! -e "$SHMDIR/${p}lit\\x41" ] && [ -e "$SHMDIR/${p}litA" ] ||
		fail "rm of the escaped value removed the wrong one"
	# Only one left: the word as written names it.
	run stat "/${p}lit\\x41"
	expect_rc 0
	expect_out_nonempty
}

for k in space backslash tab esc newline invalid latin cjk emoji; do
	tcase "name with $k: table (UTF-8 and C), raw, JSON, dry run back into stat, read, rm" \
		t_name_roundtrip "$k"
done
tcase "a TARGET that names two segments (escapes, or as written): refused" t_name_ambiguous
e2e_done
