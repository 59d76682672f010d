#!/bin/bash
# SPDX-License-Identifier: MIT
# t_install.sh - `make install DESTDIR=$tmp PREFIX=/usr` installs exactly the
# binary, the man page, the three completions where the shells look for
# them and the four systemd units (running PREFIX's binary); the installed
# binary runs and each shell finds its completion there; `make uninstall`
# with the same DESTDIR/PREFIX leaves no file behind.
. "$(dirname "$0")/lib.sh"
docs_need_binary

dest=$DOCS_TMP/dest
mkdir -p "$dest"
expected='usr/bin/shmtool
usr/lib/systemd/system/shmtool-clean.service
usr/lib/systemd/system/shmtool-clean.timer
usr/lib/systemd/system/shmtool-metrics.service
usr/lib/systemd/system/shmtool-metrics.timer
usr/share/bash-completion/completions/shmtool
usr/share/fish/vendor_completions.d/shmtool.fish
usr/share/man/man1/shmtool.1
usr/share/zsh/site-functions/_shmtool'

# Not make's own view of the tree: only what is on disk under $dest.
installed() { (cd "$dest" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort); }

if make -s -C "$DOCS_ROOT" install DESTDIR="$dest" PREFIX=/usr \
	>"$DOCS_TMP/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr succeeds"
else
	not_ok "make install fails:"
	tail -20 "$DOCS_TMP/install.log" | sed 's/^/    /'
fi

got=$(installed)
if [ "$got" = "$expected" ]; then
	ok "installs exactly the 9 expected files"
else
	not_ok "installed files differ from the expected list:"
	diff <(printf '%s\n' "$expected") <(printf '%s\n' "$got") | sed 's/^/    /'
fi

# Each file is the one from the tree, with the right mode.
for pair in "usr/share/man/man1/shmtool.1 man/shmtool.1 644" \
	"usr/share/bash-completion/completions/shmtool completions/shmtool.bash 644" \
	"usr/share/zsh/site-functions/_shmtool completions/_shmtool 644" \
	"usr/share/fish/vendor_completions.d/shmtool.fish completions/shmtool.fish 644" \
	"usr/bin/shmtool shmtool 755"; do
	set -- $pair
	if [ -f "$dest/$1" ] && cmp -s "$dest/$1" "$DOCS_ROOT/$2" &&
		[ "$(stat -c %a "$dest/$1")" = "$3" ]; then
		ok "$1 is $2, mode $3"
	else
		not_ok "$1 is not $2 with mode $3"
	fi
done

# The units, mode 644, are the tree's with ExecStart at BINDIR.
for u in shmtool-metrics.service shmtool-metrics.timer shmtool-clean.service \
	shmtool-clean.timer; do
	if [ -f "$dest/usr/lib/systemd/system/$u" ] &&
		[ "$(stat -c %a "$dest/usr/lib/systemd/system/$u")" = 644 ] &&
		cmp -s "$dest/usr/lib/systemd/system/$u" "$DOCS_ROOT/systemd/$u"; then
		ok "usr/lib/systemd/system/$u is systemd/$u, mode 644"
	else
		not_ok "usr/lib/systemd/system/$u is not systemd/$u with mode 644"
	fi
done
local_dest=$DOCS_TMP/local
if make -s -C "$DOCS_ROOT" install DESTDIR="$local_dest" PREFIX=/opt/st \
	>"$DOCS_TMP/install2.log" 2>&1 &&
	grep -qx 'ExecStart=/opt/st/bin/shmtool metrics --metrics-file /var/lib/prometheus/node-exporter/shmtool.prom' \
		"$local_dest/opt/st/lib/systemd/system/shmtool-metrics.service" &&
	grep -qx 'ExecStart=/opt/st/bin/shmtool rm --unused --older-than 1d --verbose' \
		"$local_dest/opt/st/lib/systemd/system/shmtool-clean.service"; then
	ok "PREFIX=/opt/st: the units run /opt/st/bin/shmtool"
else
	not_ok "PREFIX=/opt/st: the units do not run /opt/st/bin/shmtool"
fi

if out=$("$dest/usr/bin/shmtool" --version 2>&1) &&
	[[ $out == "shmtool "[0-9]* ]]; then
	ok "the installed binary runs: $out"
else
	not_ok "the installed binary does not run: $out"
fi

# The shells find the completions at those paths.
if have_bash_completion; then
	out=$(XDG_DATA_DIRS=$dest/usr/share bash --norc --noprofile -c '
		. "$1" >/dev/null 2>&1
		__load_completion shmtool && complete -p shmtool' bash \
		"$BASH_COMPLETION_MAIN" 2>&1)
	if [[ $out == *"-F _shmtool"*shmtool ]]; then
		ok "bash-completion loads the installed completion on demand"
	else
		not_ok "bash-completion does not load it from $dest/usr/share: $out"
	fi
fi
if command -v zsh >/dev/null; then
	out=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D
		print -r -- "${_comps[shmtool]-}"' zsh \
		"$dest/usr/share/zsh/site-functions" 2>&1)
	if [ "$out" = _shmtool ]; then
		ok "zsh compinit finds the installed _shmtool"
	else
		not_ok "zsh compinit does not find _shmtool: $out"
	fi
else
	skip "zsh is not installed"
fi
if command -v fish >/dev/null; then
	out=$(fish --no-config -c 'set -p fish_complete_path $argv[1]
		complete -C "shmtool re"' "$dest/usr/share/fish/vendor_completions.d" \
		2>&1 | cut -f1)
	if [ "$out" = read ]; then
		ok "fish autoloads the installed shmtool.fish"
	else
		not_ok "fish does not autoload it: [$out]"
	fi
else
	skip "fish is not installed"
fi

if make -s -C "$DOCS_ROOT" uninstall DESTDIR="$dest" PREFIX=/usr \
	>"$DOCS_TMP/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=... PREFIX=/usr succeeds"
else
	not_ok "make uninstall fails:"
	tail -20 "$DOCS_TMP/uninstall.log" | sed 's/^/    /'
fi
left=$(installed)
if [ -z "$left" ]; then
	ok "make uninstall leaves no file behind"
else
	not_ok "make uninstall leaves: $(echo $left)"
fi

docs_done
