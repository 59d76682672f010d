#!/bin/bash
# SPDX-License-Identifier: MIT
# t_drift.sh - help, man page and bash completion never drift from the
# binary: every command (--list-commands) and every long option
# (--list-options CMD) appears in the man page (in that command's section),
# in what the bash completion offers, and in `shmtool CMD --help`; every
# command answers --help with exit 0 and empty stderr; every ls and maps
# column, STATUS word, summary column and class, and SHMTOOL_* variable of
# the binary appears in the man page.
. "$(dirname "$0")/lib.sh"
docs_need_binary

mantext=$(man_text)
if [ -z "$mantext" ]; then
	not_ok "cannot render $MAN with mandoc"
	docs_done
fi
commands_sec=$(printf '%s\n' "$mantext" | man_section COMMANDS)

# Controls: the searches can fail (a made-up option or column is not found).
if printf '%s\n' "$mantext" | has_word --no-such-option-xyzzy; then
	not_ok "control: has_word finds a made-up option in the man page"
else
	ok "control: a made-up option is not found in the man page"
fi
if printf '%s\n' "$mantext" | has_word --sor; then
	not_ok "control: has_word matches a prefix (--sor) of an option"
else
	ok "control: an option's prefix (--sor) does not count as the option"
fi

cmds=$("$SHMTOOL" --list-commands 2>"$DOCS_TMP/err")
if [ $? = 0 ] && [ -n "$cmds" ] && [ ! -s "$DOCS_TMP/err" ]; then
	ok "--list-commands lists $(printf '%s\n' "$cmds" | wc -l) commands"
else
	not_ok "--list-commands fails or lists nothing"
	docs_done
fi

# Every command in `shmtool help`'s list and vice versa.
helplist=$("$SHMTOOL" help | awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1 } c && /^$/ { exit }')
if [ "$helplist" = "$cmds" ]; then
	ok "shmtool help lists exactly the commands of --list-commands"
else
	not_ok "shmtool help lists [$(echo $helplist)], --list-commands [$(echo $cmds)]"
fi

if have_bash_completion; then
	bash_cmds=$(bash_complete shmtool "")
	rc=$?
	[ "$rc" = 0 ] || not_ok "bash completion cannot be loaded (exit $rc)"
else
	not_ok "bash-completion is not installed ($BASH_COMPLETION_MAIN; make deps)"
	bash_cmds=
fi

for cmd in $cmds; do
	# --help: exit 0, empty stderr, usage on stdout.
	"$SHMTOOL" "$cmd" --help >"$DOCS_TMP/help" 2>"$DOCS_TMP/err"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$DOCS_TMP/err" ] &&
		grep -q "^Usage: shmtool $cmd" "$DOCS_TMP/help"; then
		ok "$cmd --help: exit 0, usage on stdout, empty stderr"
	else
		not_ok "$cmd --help: exit $rc, stderr: $(head -c 200 "$DOCS_TMP/err")"
	fi
	"$SHMTOOL" "$cmd" -h >"$DOCS_TMP/help-h" 2>"$DOCS_TMP/err"
	if [ $? = 0 ] && [ ! -s "$DOCS_TMP/err" ] &&
		cmp -s "$DOCS_TMP/help" "$DOCS_TMP/help-h"; then
		ok "$cmd -h prints the same help"
	else
		not_ok "$cmd -h differs from $cmd --help or fails"
	fi

	section=$(printf '%s\n' "$commands_sec" | man_subsection "$cmd")
	if [ -n "$section" ]; then
		ok "man page has a section for $cmd"
	else
		not_ok "man page has no COMMANDS subsection for $cmd"
	fi
	if [ -n "$bash_cmds" ]; then
		if printf '%s\n' "$bash_cmds" | in_list "$cmd"; then
			ok "bash completion offers command $cmd"
		else
			not_ok "bash completion does not offer command $cmd"
		fi
	fi

	opts=$("$SHMTOOL" --list-options "$cmd" 2>"$DOCS_TMP/err")
	if [ $? != 0 ] || [ -z "$opts" ] || [ -s "$DOCS_TMP/err" ]; then
		not_ok "--list-options $cmd fails or lists nothing"
		continue
	fi
	bash_opts=
	if have_bash_completion; then
		bash_opts=$(bash_complete shmtool "$cmd" --)
	fi
	missing_man='' missing_help='' missing_bash=''
	for o in $opts; do
		case $o in --*) ;; *) not_ok "--list-options $cmd: '$o' is not a long option"; continue ;; esac
		o=${o%=}
		printf '%s\n' "$section" | has_word "$o" || missing_man+=" $o"
		has_word "$o" <"$DOCS_TMP/help" || missing_help+=" $o"
		if have_bash_completion; then
			printf '%s\n' "$bash_opts" | in_list "$o" || missing_bash+=" $o"
		fi
	done
	n=$(printf '%s\n' "$opts" | wc -l)
	if [ -z "$missing_man" ]; then
		ok "man page section $cmd has all $n options"
	else
		not_ok "man page section $cmd lacks:$missing_man"
	fi
	if [ -z "$missing_help" ]; then
		ok "$cmd --help has all $n options"
	else
		not_ok "$cmd --help lacks:$missing_help"
	fi
	if have_bash_completion; then
		if [ -z "$missing_bash" ]; then
			ok "bash completion offers all $n options of $cmd"
		else
			not_ok "bash completion of '$cmd --' lacks:$missing_bash"
		fi
	fi
done

# Columns: ls and maps, each in its own subsection of OUTPUT COLUMNS.
columns_sec=$(printf '%s\n' "$mantext" | man_section "OUTPUT COLUMNS")
check_columns() {
	local cmd=$1 sub=$2 cols text missing='' c
	cols=$("$SHMTOOL" "$cmd" --list-columns | awk '{ print $1 }')
	if [ -z "$cols" ]; then
		not_ok "$cmd --list-columns lists nothing"
		return
	fi
	text=$(printf '%s\n' "$columns_sec" | man_subsection "$sub")
	for c in $cols; do
		printf '%s\n' "$text" | has_word "$c" || missing+=" $c"
	done
	if [ -z "$missing" ]; then
		ok "man page \"$sub\" has all $(echo $cols | wc -w) $cmd columns"
	else
		not_ok "man page \"$sub\" lacks $cmd columns:$missing"
	fi
}
check_columns ls "ls and stat columns"
check_columns maps "maps columns"

# STATUS words, as --list-columns describes STATUS.
words=$("$SHMTOOL" ls --list-columns | awk '$1 == "STATUS" { $1 = ""; print }' | tr -d ',')
text=$(printf '%s\n' "$columns_sec" | man_subsection "ls and stat columns")
missing=
for w in $words; do
	printf '%s\n' "$text" | grep -qE "^ +$w( |\$)" || missing+=" $w"
done
if [ -n "$words" ] && [ -z "$missing" ]; then
	ok "man page defines every STATUS word ($(echo $words))"
else
	not_ok "man page does not define STATUS words:$missing (from: $words)"
fi

# ls --summary: its columns (with --by, GROUP too) and its buckets (WHAT),
# from the binary, are defined in the man page.
summary=$("$SHMTOOL" ls --summary -r 2>/dev/null)
byhead=$("$SHMTOOL" ls --summary --by user -r 2>/dev/null | head -n 1)
if [ -n "$summary" ] && [ -n "$byhead" ]; then
	text=$(printf '%s\n' "$columns_sec" | man_subsection "Summary columns")
	missing=
	for c in $byhead; do
		printf '%s\n' "$text" | grep -qE "^ +$c( |\$)" || missing+=" $c"
	done
	for w in $(printf '%s\n' "$summary" | awk 'NR > 1 { print $2 }' | sort -u); do
		printf '%s\n' "$text" | grep -qE "^ +$w( |\$)" || missing+=" $w"
	done
	if [ -z "$missing" ]; then
		ok "man page \"Summary columns\" defines every ls --summary column and bucket"
	else
		not_ok "man page \"Summary columns\" does not define:$missing"
	fi
else
	not_ok "ls --summary -r or --summary --by user -r prints nothing"
fi

# Options whose help lists fixed values ("--by user|process"): each value
# is in the man page's section of the command.
for cmd in $cmds; do
	section=$(printf '%s\n' "$commands_sec" | man_subsection "$cmd")
	"$SHMTOOL" "$cmd" --help | sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z-]*\) \([a-z]*|[a-z|]*\) .*/\2 \3/p' |
	while read -r opt vals; do
		missing=
		for v in ${vals//|/ }; do
			printf '%s\n' "$section" | grep -qE -- "$opt.*\b$v\b" || missing+=" $v"
		done
		if [ -z "$missing" ]; then
			echo "ok - man page section $cmd gives the values of $opt: $vals"
		else
			echo "FAIL - man page section $cmd lacks values of $opt:$missing"
		fi
	done
done >"$DOCS_TMP/choices"
while read -r status rest; do
	case $status in
	ok) ok "${rest#- }" ;;
	*) not_ok "${rest#- }" ;;
	esac
done <"$DOCS_TMP/choices"

# Every SHMTOOL_* variable the binary reads is in ENVIRONMENT.
env_sec=$(printf '%s\n' "$mantext" | man_section ENVIRONMENT)
vars=$(grep -aoE 'SHMTOOL_[A-Z_]+[A-Z]' "$SHMTOOL" | sort -u)
missing=
for v in $vars; do
	printf '%s\n' "$env_sec" | has_word "$v" || missing+=" $v"
done
if [ -n "$vars" ] && [ -z "$missing" ]; then
	ok "man page ENVIRONMENT has every variable of the binary ($(echo $vars))"
else
	not_ok "man page ENVIRONMENT lacks:$missing (binary: $(echo $vars))"
fi

# Every JSON key the README and the man page show is one the binary writes:
# a column of ls, maps or the summary, lower case, or one of the arrays
# ("segments", "mappings", "summary", "holders").
known=$({ "$SHMTOOL" ls --list-columns; "$SHMTOOL" maps --list-columns; } |
	awk '{ print tolower($1) }'
	printf '%s\n' segments mappings summary holders group area what count \
		maxcount size maxsize used swap pids)
keys=$({ awk '/^```text$/ { c = 1; next } /^```$/ { c = 0 } c' "$DOCS_ROOT/README.md"
	 printf '%s\n' "$mantext"; } | grep -oE '"[a-z_]+": ' | tr -d '": ' | sort -u)
missing=
for k in $keys; do
	printf '%s\n' "$known" | grep -qx -- "$k" || missing+=" $k"
done
if [ -n "$keys" ] && [ -z "$missing" ]; then
	ok "every JSON key in the README and the man page is one shmtool writes ($(echo $keys | wc -w) keys)"
else
	not_ok "JSON keys in the docs that shmtool does not write:$missing"
fi

docs_done
