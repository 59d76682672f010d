#!/usr/bin/zsh -f
# SPDX-License-Identifier: MIT
# zcomp.zsh FPATH_DIR LINE... - drive zsh's real completion: in an
# interactive `zsh -f` on a pseudo-terminal (zpty) with compinit and
# FPATH_DIR first in fpath, type each LINE and a TAB, then print the edit
# buffer as completion left it, one line per LINE ("TIMEOUT" if the shell
# did not answer).  Exit 3 if zsh/zpty is missing.
zmodload zsh/zpty 2>/dev/null || exit 3
dir=$1
shift
out=$(mktemp -u "${TMPDIR:-/tmp}/zcomp.XXXXXX")
zpty z zsh -f -i || exit 3
# compinit -u: no questions about "insecure" directories; -D: no dump file.
zpty -w z "PS1='> '; PS2=''; unsetopt beep; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D; dump() { print -r -- \"\$BUFFER\" >| ${(q)out}.tmp && mv -f ${(q)out}.tmp ${(q)out}; BUFFER=; }; zle -N dump; bindkey '^X' dump"
for line in "$@"; do
	rm -f $out
	zpty -w -n z "$line"$'\t\x18'
	for i in {1..200}; do
		[[ -e $out ]] && break
		sleep 0.05
	done
	if [[ -e $out ]]; then
		print -r -- "$(<$out)"
	else
		print -r -- TIMEOUT
	fi
done
zpty -d z
rm -f $out $out.tmp
