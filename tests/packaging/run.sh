#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh - make check-packaging: shmtool as a Debian package and a
# Prometheus/systemd citizen, on this machine (issue 19).
#
#	SHMTOOL=/abs/shmtool tests/packaging/run.sh
#
#  1. debian/control's Build-Depends are the Makefile's DEB_BUILD_PKGS, and
#     debian/changelog's version is the Makefile's;
#  2. make dist: the tarball builds by itself without git, and -V says the
#     describe of this tree;
#  3. make deb: dist/shmtool_VERSION_ARCH.deb; lintian says no E: and no W:
#     (and does say E: on a broken package: the check can fail); the files
#     are where Debian puts them;
#  4. dpkg -i on this machine: shmtool ls and metrics from the installed
#     binary, man, bash, zsh and fish find their files, the units are not
#     enabled, systemd-analyze verify (and security --offline) accept them;
#     then dpkg --purge leaves the machine as it was found;
#  5. make install PREFIX=tmp: systemd-analyze verify on those units (and
#     rejects a unit whose ExecStart does not exist);
#  6. promtool check metrics on shmtool's output, hostile segment names and
#     --per-segment included (in a private IPC namespace and /dev/shm);
#  7. a real prometheus-node-exporter on 127.0.0.1, its textfile collector
#     pointed at shmtool's file: /metrics serves the shmtool series and
#     node_textfile_scrape_error 0.
#
# Needs root (dpkg -i, unshare) and the packages of `make deps`.  Prints
# ok / FAIL / skip lines and, last, "packaging: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${SHMTOOL:=$root/shmtool}"
export LC_ALL=C
unset SHMTOOL_SHM_DIR SHMTOOL_PROC_ROOT

pass=0 fail=0 skip=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "FAIL - $*"; fail=$((fail + 1)); }
skipped() { echo "skip - $*"; skip=$((skip + 1)); }
# check DESC CMD...: ok if CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
finish() {
	local line="packaging: $pass passed, $fail failed"
	[ "$skip" -gt 0 ] && line="$line, $skip skipped"
	echo "$line"
	[ "$fail" = 0 ]
	exit
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-pkg.XXXXXX") || exit 1
NE_PID=
INSTALLED=
cleanup() {
	if [ -n "$NE_PID" ]; then
		kill "$NE_PID" 2>/dev/null
		wait "$NE_PID" 2>/dev/null
	fi
	if [ -n "$INSTALLED" ]; then
		dpkg --purge shmtool >/dev/null 2>&1 ||
			echo "# cleanup: dpkg --purge shmtool failed" >&2
	fi
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
	skipped "check-packaging needs root (dpkg -i, unshare)"
	finish
fi
missing=
for c in dpkg-buildpackage dh lintian promtool prometheus-node-exporter \
	systemd-analyze systemctl curl jq man zsh fish unshare; do
	command -v "$c" >/dev/null || missing+=" $c"
done
if [ -n "$missing" ]; then
	not_ok "missing tools:$missing (make deps installs them)"
	finish
fi
[ -x "$SHMTOOL" ] || { not_ok "$SHMTOOL is not built"; finish; }

version=$(sed -n 's/^VERSION *:= *//p' "$root/Makefile")
arch=$(dpkg --print-architecture)
deb=$root/dist/shmtool_${version}_$arch.deb
units="shmtool-metrics.service shmtool-metrics.timer shmtool-clean.service shmtool-clean.timer"

# ------------------------------------------------- 1. control and Makefile

bd=$(awk '/^Build-Depends:/ { f = 1; sub(/^Build-Depends:/, ""); print; next }
	f && /^[ \t]/ { print; next } { f = 0 }' "$root/debian/control" | tr ',' '\n' |
	sed 's/([^)]*)//; s/^ *//; s/ *$//' | grep -v '^$' |
	grep -vx 'debhelper-compat' | sort | tr '\n' ' ')
mk=$(make -s -C "$root" print-deb-build-pkgs | tr ' ' '\n' | grep -v '^$' | sort | tr '\n' ' ')
if [ -n "$bd" ] && [ "$bd" = "$mk" ]; then
	ok "Build-Depends are the Makefile's DEB_BUILD_PKGS ($bd)"
else
	not_ok "Build-Depends [$bd] differ from DEB_BUILD_PKGS [$mk]"
fi
grep -q 'debhelper-compat (= 13)' "$root/debian/control" &&
	ok "debhelper compat 13" || not_ok "debian/control does not say debhelper-compat (= 13)"
clv=$(cd "$root" && dpkg-parsechangelog -S Version)
[ "$clv" = "$version" ] && ok "debian/changelog's version is the Makefile's ($version)" ||
	not_ok "debian/changelog says $clv, the Makefile $version"

# --------------------------------------------------------------- 2. dist

describe=$(cd "$root" && git describe --tags --always --dirty 2>/dev/null)
if make -s -C "$root" dist >"$tmp/dist.log" 2>&1 &&
	[ -f "$root/dist/shmtool-$version.tar.gz" ]; then
	ok "make dist makes dist/shmtool-$version.tar.gz"
else
	not_ok "make dist fails: $(tail -5 "$tmp/dist.log")"
	finish
fi
mkdir -p "$tmp/dist/bin"
# A git that says it was called: the tarball's build must not need one.
printf '#!/bin/sh\necho "$@" >>"%s/git-called"\nexit 1\n' "$tmp" >"$tmp/dist/bin/git"
chmod +x "$tmp/dist/bin/git"
tar -C "$tmp/dist" -xzf "$root/dist/shmtool-$version.tar.gz"
t=$tmp/dist/shmtool-$version
check "the tarball has no .git, and has debian/ and systemd/" \
	test ! -e "$t/.git" -a -f "$t/debian/control" -a -f "$t/systemd/shmtool-clean.timer"
if (cd "$t" && PATH=$tmp/dist/bin:$PATH make -j2 >"$tmp/dist-build.log" 2>&1); then
	ok "make in the unpacked tarball builds"
else
	not_ok "make in the unpacked tarball fails: $(tail -5 "$tmp/dist-build.log")"
fi
check "the tarball's build never ran git" test ! -e "$tmp/git-called"
out=$("$t/shmtool" -V 2>&1)
if [ -n "$describe" ] && [ "$out" = "shmtool $version (git $describe)" ]; then
	ok "the tarball's shmtool -V says the describe: $out"
else
	not_ok "the tarball's shmtool -V says '$out', want 'shmtool $version (git $describe)'"
fi

# ---------------------------------------------------------------- 3. deb

if make -s -C "$root" deb >"$tmp/deb.log" 2>&1 && [ -f "$deb" ]; then
	ok "make deb makes ${deb#"$root"/}"
else
	not_ok "make deb fails: $(tail -15 "$tmp/deb.log")"
	finish
fi
check "the package's version is $version" \
	test "$(dpkg-deb -f "$deb" Version)" = "$version"
lintian --pedantic -I -E "$root/dist/shmtool_${version}_$arch.changes" \
	>"$tmp/lintian" 2>&1
if grep -E '^[EW]: ' "$tmp/lintian" >"$tmp/lintian.ew"; then
	not_ok "lintian: $(wc -l <"$tmp/lintian.ew") E:/W: lines:"
	sed 's/^/    /' "$tmp/lintian.ew"
else
	ok "lintian: no E: and no W: line ($(grep -cE '^[IPX]: ' "$tmp/lintian") info/pedantic)"
fi
# Control: lintian on a broken package does print E: lines.
mkdir -p "$tmp/bad/DEBIAN" "$tmp/bad/usr/bin"
cp "$SHMTOOL" "$tmp/bad/usr/bin/bad"
printf 'Package: bad\nVersion: 1\nArchitecture: %s\nMaintainer: x <x@example.com>\nDescription: bad\n' \
	"$arch" >"$tmp/bad/DEBIAN/control"
dpkg-deb -b "$tmp/bad" "$tmp/bad.deb" >/dev/null 2>&1
if lintian "$tmp/bad.deb" 2>&1 | grep -qE '^E: '; then
	ok "control: lintian prints E: lines for a broken package"
else
	not_ok "control: lintian finds nothing wrong with a broken package"
fi
want_files="/lib/systemd/system/shmtool-clean.service
/lib/systemd/system/shmtool-clean.timer
/lib/systemd/system/shmtool-metrics.service
/lib/systemd/system/shmtool-metrics.timer
/usr/bin/shmtool
/usr/share/bash-completion/completions/shmtool
/usr/share/doc/shmtool/README.md.gz
/usr/share/doc/shmtool/changelog.gz
/usr/share/doc/shmtool/copyright
/usr/share/fish/vendor_completions.d/shmtool.fish
/usr/share/man/man1/shmtool.1.gz
/usr/share/zsh/vendor-completions/_shmtool"
got_files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print substr($6, 2) }' | sort)
if [ "$got_files" = "$want_files" ]; then
	ok "the package holds exactly the $(echo "$want_files" | wc -l) files, where Debian puts them"
else
	not_ok "the package's files differ:"
	diff <(echo "$want_files") <(echo "$got_files") | sed 's/^/    /'
fi

# ------------------------------------------------------ 4. dpkg -i and -r

# What dpkg -i/--purge and the units could touch, to compare after.
machine_state() {
	{
		find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
			/var/lib/systemd/deb-systemd-helper-masked 2>/dev/null | sort
		ls -la /usr/bin/shmtool /lib/systemd/system/shmtool-* 2>&1
		dpkg-query -W -f='${Status}\n' shmtool 2>&1
	} | sed 's/[0-9]\{2\}:[0-9]\{2\}//g'
}
if dpkg-query -W -f='${Status}' shmtool 2>/dev/null | grep -q 'installed'; then
	skipped "shmtool is installed on this machine already: no dpkg -i/-r (it would not be left as found)"
elif [ -e /usr/bin/shmtool ]; then
	skipped "/usr/bin/shmtool exists (not from a package): no dpkg -i/-r"
else
	machine_state >"$tmp/state.before"
	if dpkg -i "$deb" >"$tmp/dpkg-i.log" 2>&1; then
		INSTALLED=1
		ok "dpkg -i ${deb##*/}"
	else
		INSTALLED=1
		not_ok "dpkg -i fails: $(tail -5 "$tmp/dpkg-i.log")"
	fi
	if /usr/bin/shmtool ls >"$tmp/ls.out" 2>"$tmp/ls.err"; then
		ok "the installed /usr/bin/shmtool ls runs"
	else
		not_ok "the installed shmtool ls fails: $(head -3 "$tmp/ls.err")"
	fi
	out=$(/usr/bin/shmtool -V)
	check "the installed shmtool -V says the describe: $out" \
		test "$out" = "shmtool $version (git $describe)"
	check "the installed shmtool metrics passes promtool check metrics" \
		bash -c '/usr/bin/shmtool metrics 2>/dev/null | promtool check metrics >/dev/null 2>&1'
	missing=
	for f in $want_files; do
		[ -f "$f" ] || missing+=" $f"
	done
	[ -z "$missing" ] && ok "every file of the package is on disk" ||
		not_ok "not on disk:$missing"
	check "dpkg -L shmtool lists them" \
		bash -c 'dpkg -L shmtool | grep -qx /usr/bin/shmtool'
	check "man -w shmtool finds the installed page" \
		test "$(man -w shmtool 2>/dev/null)" = /usr/share/man/man1/shmtool.1.gz
	out=$(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion
		__load_completion shmtool && complete -p shmtool' 2>&1)
	[[ $out == *"-F _shmtool"*shmtool ]] && ok "bash-completion loads the installed completion" ||
		not_ok "bash-completion does not load it: $out"
	out=$(zsh -f -c 'autoload -Uz compinit; compinit -u -D; print -r -- "${_comps[shmtool]-}"' 2>&1)
	[ "$out" = _shmtool ] && ok "zsh finds _shmtool in its default fpath" ||
		not_ok "zsh does not find _shmtool: [$out]"
	# Not --no-config: that leaves fish_complete_path empty.  A scratch
	# HOME keeps anyone's own configuration out.
	out=$(HOME=$tmp/fishhome XDG_CONFIG_HOME=$tmp/fishhome/cfg \
		XDG_DATA_HOME=$tmp/fishhome/data \
		fish -c 'complete -C "shmtool re"' 2>&1 | cut -f1)
	[ "$out" = read ] && ok "fish autoloads the installed completion" ||
		not_ok "fish does not complete from the installed file: [$out]"
	bad=
	for u in $units; do
		s=$(systemctl --root=/ is-enabled "$u" 2>&1)
		case $u in
		*.timer) [ "$s" = disabled ] || bad+=" $u:$s" ;;
		*.service) [ "$s" = static ] || bad+=" $u:$s" ;;
		esac
	done
	[ -z "$bad" ] && ok "the units are installed, not enabled (timers disabled, services static)" ||
		not_ok "units in an unexpected state:$bad"
	check "no shmtool unit is linked into /etc/systemd/system" \
		bash -c '! find /etc/systemd/system -name "shmtool-*" | grep -q .'
	if systemd-analyze verify $(printf '/lib/systemd/system/%s ' $units) \
		>"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then
		ok "systemd-analyze verify accepts the installed units"
	else
		not_ok "systemd-analyze verify: $(head -5 "$tmp/verify")"
	fi
	for u in shmtool-metrics.service shmtool-clean.service; do
		systemd-analyze security --offline=yes "/lib/systemd/system/$u" \
			>"$tmp/sec" 2>&1
		score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$tmp/sec")
		if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'; then
			ok "systemd-analyze security: $u exposure $score (<= 3.0)"
		else
			not_ok "systemd-analyze security: $u exposure '${score:-?}': $(tail -2 "$tmp/sec")"
		fi
	done
	if dpkg --purge shmtool >"$tmp/dpkg-r.log" 2>&1; then
		INSTALLED=
		ok "dpkg --purge shmtool"
	else
		not_ok "dpkg --purge fails: $(tail -5 "$tmp/dpkg-r.log")"
	fi
	machine_state >"$tmp/state.after"
	if cmp -s "$tmp/state.before" "$tmp/state.after"; then
		ok "the machine is as it was found (no file, unit link or dpkg state left)"
	else
		not_ok "the machine changed:"
		diff "$tmp/state.before" "$tmp/state.after" | sed 's/^/    /'
	fi
fi

# ------------------------------------- 5. the units of make install PREFIX

pfx=$tmp/prefix
if make -s -C "$root" install PREFIX="$pfx" >"$tmp/install.log" 2>&1; then
	ok "make install PREFIX=$pfx"
else
	not_ok "make install PREFIX=$pfx fails: $(tail -5 "$tmp/install.log")"
fi
check "its units run $pfx/bin/shmtool" \
	grep -q "^ExecStart=$pfx/bin/shmtool metrics " "$pfx/lib/systemd/system/shmtool-metrics.service"
# The man page of Documentation= is found through MANPATH.
if MANPATH=$pfx/share/man systemd-analyze verify \
	$(printf "$pfx/lib/systemd/system/%s " $units) >"$tmp/verify" 2>&1 &&
	[ ! -s "$tmp/verify" ]; then
	ok "systemd-analyze verify accepts the units make install wrote"
else
	not_ok "systemd-analyze verify: $(head -5 "$tmp/verify")"
fi
mkdir -p "$tmp/badunit"
sed "s|^ExecStart=$pfx/bin/shmtool|ExecStart=$tmp/no/such/shmtool|" \
	"$pfx/lib/systemd/system/shmtool-clean.service" >"$tmp/badunit/shmtool-clean.service"
if MANPATH=$pfx/share/man systemd-analyze verify "$tmp/badunit/shmtool-clean.service" >/dev/null 2>&1; then
	not_ok "control: systemd-analyze verify accepts a unit whose program is missing"
else
	ok "control: systemd-analyze verify rejects a unit whose program is missing"
fi

# ------------------------------------------------------------ 6. promtool

promcheck() {	# promcheck DESC FILE: promtool finds no problem in FILE
	if promtool check metrics <"$2" >"$tmp/promtool" 2>&1 && [ ! -s "$tmp/promtool" ]; then
		ok "promtool check metrics: $1"
	else
		not_ok "promtool check metrics: $1: $(head -5 "$tmp/promtool")"
	fi
}
"$SHMTOOL" metrics >"$tmp/host.prom" 2>/dev/null
promcheck "shmtool metrics on this machine" "$tmp/host.prom"
printf '# TYPE x counter\nx 1\n' >"$tmp/bad.prom"
if promtool check metrics <"$tmp/bad.prom" >/dev/null 2>&1; then
	not_ok "control: promtool accepts a counter without _total and help"
else
	ok "control: promtool rejects a counter without _total and help"
fi
# Hostile names and --per-segment, in a private IPC namespace and shm
# directory: quotes, backslashes, a newline, UTF-8 and invalid bytes.
cat >"$tmp/hostile.sh" <<'EOF'
set -e
mount -t tmpfs -o size=16m,mode=1777 shmtool-pkg /dev/shm
st=$1 out=$2
"$st" create '/q"uote' 4K >/dev/null
"$st" create '/back\slash' 4K >/dev/null
"$st" create "/new
line" 4K >/dev/null
"$st" create "/$(printf 'caf\xc3\xa9-\xff')" 4K >/dev/null
"$st" create --sysv 64K >/dev/null
sleep 30 </dev/shm/q\"uote &
"$st" metrics --per-segment --metrics-file "$out"
kill $!
EOF
if unshare --ipc --mount --pid --fork --mount-proc bash "$tmp/hostile.sh" "$SHMTOOL" \
	"$tmp/hostile.prom" >"$tmp/hostile.log" 2>&1; then
	ok "setup: --per-segment metrics of hostile names in a private namespace"
else
	not_ok "setup: hostile names: $(tail -3 "$tmp/hostile.log")"
fi
n=$(grep -c '^shmtool_segment_size_bytes{' "$tmp/hostile.prom" 2>/dev/null)
check "5 segments, 5 size series (got ${n:-0})" test "${n:-0}" = 5
promcheck "--per-segment with hostile names" "$tmp/hostile.prom"

# ------------------------------------------------------ 7. node_exporter

textdir=$tmp/textfile
mkdir -p "$textdir"
"$SHMTOOL" metrics --metrics-file "$textdir/shmtool.prom" 2>/dev/null
# A free port of 127.0.0.1: none listening in /proc/net/tcp.
listening() { awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
start_exporter() {
	local try port i
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		listening | grep -qix "$(printf '%04X' "$port")" && continue
		prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$textdir" \
			>"$tmp/ne.log" 2>&1 &
		NE_PID=$!
		# Bounded wait: at most 10 s for /metrics to answer.
		for i in $(seq 1 100); do
			if curl -fsS --max-time 2 "http://127.0.0.1:$port/metrics" \
				>"$tmp/scrape" 2>/dev/null; then
				NE_PORT=$port
				return 0
			fi
			kill -0 "$NE_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$NE_PID" 2>/dev/null
		wait "$NE_PID" 2>/dev/null
		NE_PID=
	done
	return 1
}
scrape_ok() {	# scrape_ok DESC PROMFILE: the scrape has PROMFILE's series
	local name v want missing=
	curl -fsS --max-time 5 "http://127.0.0.1:$NE_PORT/metrics" >"$tmp/scrape" ||
		{ not_ok "$1: scrape failed"; return; }
	v=$(awk '$1 == "node_textfile_scrape_error" { print $2 }' "$tmp/scrape")
	[ "$v" = 0 ] && ok "$1: node_textfile_scrape_error 0" ||
		not_ok "$1: node_textfile_scrape_error is '$v': $(grep -i error "$tmp/ne.log" | tail -2)"
	for name in $(grep '^# TYPE shmtool_' "$2" | awk '{ print $3 }'); do
		grep -q "^$name[{ ]" "$tmp/scrape" || missing+=" $name"
	done
	[ -z "$missing" ] && ok "$1: /metrics serves all $(grep -c '^# TYPE shmtool_' "$2") shmtool families" ||
		not_ok "$1: /metrics lacks:$missing"
	want=$(awk '$1 == "shmtool_sysv_segments_limit" { print $2 }' "$2")
	v=$(awk '$1 == "shmtool_sysv_segments_limit" { print $2 }' "$tmp/scrape")
	[ -n "$want" ] && [ "$v" = "$want" ] && ok "$1: a value came through unchanged ($want)" ||
		not_ok "$1: shmtool_sysv_segments_limit is '$v', the file says '$want'"
}
if start_exporter; then
	ok "prometheus-node-exporter answers on 127.0.0.1:$NE_PORT (pid $NE_PID)"
	scrape_ok "this machine's metrics" "$textdir/shmtool.prom"
	# The hostile names, escaped, parse too (the file replaced).
	cp "$tmp/hostile.prom" "$textdir/.tmp" && mv -f "$textdir/.tmp" "$textdir/shmtool.prom"
	scrape_ok "hostile names with --per-segment" "$textdir/shmtool.prom"
	grep -q '^shmtool_segment_size_bytes{kind="posix",segment="/q\\"uote"} 4096' "$tmp/scrape" &&
		ok "a quoted name's series is served as written" ||
		not_ok "no series for /q\"uote in the scrape: $(grep -m3 '^shmtool_segment_size' "$tmp/scrape")"
	kill "$NE_PID" 2>/dev/null
	wait "$NE_PID" 2>/dev/null
	NE_PID=
	check "node_exporter stopped" bash -c "! curl -fs --max-time 1 http://127.0.0.1:$NE_PORT/metrics >/dev/null"
else
	not_ok "prometheus-node-exporter did not answer within 10 s: $(tail -3 "$tmp/ne.log")"
fi

finish
