#!/bin/bash
# SPDX-License-Identifier: MIT
# ls --limits (issue 16): every shared memory limit with its use, checked
# against ipcs -l -m, ipcs -u -m, lsipc -g -m and statvfs on the same
# machine.  The limits are per IPC namespace: in the tests' private one
# (isolated mode) they are set to values no kernel has by default with
# sysctl -w, and put back by reg_undo.
. "$(dirname "$0")/lib.sh"

PAGE=$(getconf PAGESIZE)

# lim RESOURCE: that row of ls --limits -J in $OUT, compact.
lim() { jq -c --arg r "$1" '.limits[] | select(.resource == $r)' "$E2E_TMP/limits.json"; }

# ipcs_l TEXT: the number after "TEXT = " in ipcs -l -m.
ipcs_l() { ipcs -l -m | sed -n "s/^$1 = //p"; }
# ipcs_u TEXT: the number after "TEXT" in ipcs -u -m.
ipcs_u() { ipcs -u -m | sed -n "s/^$1 *//p"; }
# lsipc_g RESOURCE COL: lsipc -g -m's COL of RESOURCE, in bytes.
lsipc_g() {
	lsipc -g -m --raw -b --noheadings -o RESOURCE,"$2" |
		awk -v r="$1" '$1 == r { print $2 }'
}

# set_limit NAME VALUE: sysctl -w kernel.NAME=VALUE, put back after.
set_limit() {
	local old
	old=$(cat "/proc/sys/kernel/$1") || fail "setup: no kernel.$1"
	reg_undo sysctl -q -w "kernel.$1=$old"
	must sysctl -q -w "kernel.$1=$2"
}

need_tools() {
	command -v ipcs >/dev/null && command -v lsipc >/dev/null ||
		skip "ipcs and lsipc (util-linux) are needed"
}

# Limits not the defaults, segments of known sizes (whole pages, so that
# lsipc, which divides the sum of the sizes by the page size, counts as
# the kernel does), and a POSIX file with blocks.
t_limits_vs_peers() {
	isolated || skip "sets kernel.shm* in the private IPC namespace (root)"
	need_tools
	local n pages blocks bfree bsize files ffree
	set_limit shmmni 321
	set_limit shmmax $((3 * 1048576))
	set_limit shmall 6000
	mk_sysv 1M >/dev/null
	mk_sysv 64K >/dev/null
	mk_sysv $((2 * PAGE)) >/dev/null
	p=$(mk_posix 1M) || exit 1
	head -c 300000 /dev/urandom | st write "$p" >/dev/null ||
		fail "setup: write $p"
	n=$(($(wc -l <"$SYSVIPC") - 1))
	pages=$(awk -v pg="$PAGE" 'NR > 1 { s += int(($4 + pg - 1) / pg) } END { print s }' "$SYSVIPC")

	run ls --limits -J
	expect_rc 0
	expect_err_empty
	cp "$OUT" "$E2E_TMP/limits.json"
	expect_jq '[.limits[].resource] == ["SHMMNI", "SHMALL", "SHMALL_BYTES", "SHMMAX", "SHMMIN", "SHMDIR_SIZE", "SHMDIR_INODES"]'
	# The values set, the kernel's counts
	lim SHMMNI >"$E2E_TMP/r"
	expect_jq ".limit == 321 and .used == $n and .\"use%\" == ((.used * 10000 / .limit + 0.5 | floor) / 100)" "$E2E_TMP/r"
	lim SHMALL >"$E2E_TMP/r"
	expect_jq ".limit == 6000 and .used == $pages and .\"use%\" == ((.used * 10000 / .limit + 0.5 | floor) / 100)" "$E2E_TMP/r"
	lim SHMALL_BYTES >"$E2E_TMP/r"
	expect_jq ".limit == $((6000 * PAGE)) and .used == $((pages * PAGE))" "$E2E_TMP/r"
	lim SHMMAX >"$E2E_TMP/r"
	expect_jq ".limit == $((3 * 1048576)) and .used == 1048576 and .\"use%\" == 33.33" "$E2E_TMP/r"
	lim SHMMIN >"$E2E_TMP/r"
	expect_jq '.limit == 1 and .used == null and ."use%" == null' "$E2E_TMP/r"

	# ipcs -l -m and -u -m
	expect_eq "$(ipcs_l 'max number of segments')" 321 "ipcs: max number of segments"
	expect_eq "$(ipcs_l 'max seg size (kbytes)')" "$(lim SHMMAX | jq '.limit / 1024')" "ipcs: max seg size (kbytes)"
	expect_eq "$(ipcs_l 'max total shared memory (kbytes)')" "$(lim SHMALL_BYTES | jq '.limit / 1024')" "ipcs: max total shared memory (kbytes)"
	expect_eq "$(ipcs_l 'min seg size (bytes)')" "$(lim SHMMIN | jq .limit)" "ipcs: min seg size"
	expect_eq "$(ipcs_u 'segments allocated')" "$(lim SHMMNI | jq .used)" "ipcs -u: segments allocated"
	expect_eq "$(ipcs_u 'pages allocated')" "$(lim SHMALL | jq .used)" "ipcs -u: pages allocated"
	# lsipc -g -m: LIMIT and USED of the same rows
	for r in SHMMNI SHMALL SHMMAX SHMMIN; do
		expect_eq "$(lsipc_g $r LIMIT)" "$(lim $r | jq .limit)" "lsipc -g: LIMIT of $r"
	done
	run ls --limits -r -n
	for r in SHMMNI SHMALL; do
		expect_eq "$(lsipc_g $r USED)" "$(lim $r | jq .used)" "lsipc -g: USED of $r"
		expect_eq "$(lsipc_g $r USE%)" "$(awk -v r=$r '$1 == r { print $5 }' "$OUT")" \
			"lsipc -g: USE% of $r"
	done
	# the shm directory, as statvfs says (df's numbers)
	read -r blocks bfree bsize files ffree < <(stat -f -c '%b %f %S %c %d' "$SHMDIR")
	lim SHMDIR_SIZE >"$E2E_TMP/r"
	expect_jq ".limit == $((blocks * bsize)) and .used == $(((blocks - bfree) * bsize)) and .used >= 300000" "$E2E_TMP/r"
	lim SHMDIR_INODES >"$E2E_TMP/r"
	expect_jq ".limit == $files and .used == $((files - ffree))" "$E2E_TMP/r"
	expect_jq '.description | startswith("/dev/shm")' "$E2E_TMP/r"

	# The other formats: the same numbers
	run ls --limits -r -n
	expect_rc 0
	expect_eq "$(awk '$1 == "SHMMAX" { print $3, $4, $5 }' "$OUT")" "3145728 1048576 33.33%" "ls --limits -r: SHMMAX"
	expect_eq "$(awk '$1 == "SHMMIN" { print $3 "|" $4 "|" $5 }' "$OUT")" "1||" "ls --limits -r: SHMMIN"
	run ls --limits -n
	expect_rc 0
	# a table: sizes for people, counts as numbers
	expect_eq "$(awk '$1 == "SHMMAX" { print $(NF - 2), $(NF - 1) }' "$OUT")" "3.0M 1.0M" "ls --limits: SHMMAX"
	expect_eq "$(awk '$1 == "SHMMNI" { print $(NF - 2), $(NF - 1) }' "$OUT")" "321 $n" "ls --limits: SHMMNI"
	run ls --limits -n -b
	expect_eq "$(awk '$1 == "SHMMAX" { print $(NF - 2), $(NF - 1) }' "$OUT")" "3145728 1048576" "ls --limits -b: SHMMAX"
	run ls --limits -y
	expect_rc 0
	counted
	grep -qx 'RESOURCE="SHMALL" DESCRIPTION="[^"]*" LIMIT="6000" USED="'"$pages"'" USE_PCT="[0-9.]*%"' "$OUT" ||
		fail "ls --limits -y: $(grep SHMALL "$OUT")"
}

# Anywhere (a shared machine too): the limits are the namespace's and
# stable; what is used is not (others create segments), so only the
# limits are compared.
t_limits_anywhere() {
	need_tools
	run ls --limits -J
	expect_rc 0
	cp "$OUT" "$E2E_TMP/limits.json"
	expect_jq "(.limits[] | select(.resource == \"SHMMNI\") | .limit) == $(ipcs_l 'max number of segments')"
	expect_jq "(.limits[] | select(.resource == \"SHMMAX\") | .limit) == $(cat /proc/sys/kernel/shmmax)"
	expect_jq "(.limits[] | select(.resource == \"SHMALL\") | .limit) == $(cat /proc/sys/kernel/shmall)"
	expect_eq "$(lim SHMMIN | jq .limit)" "$(lsipc_g SHMMIN LIMIT)" "lsipc -g: SHMMIN"
	run ls --limits --posix
	expect_usage_error ls
	run ls --limits -o RESOURCE
	expect_usage_error ls
	run ls --limits --summary
	expect_usage_error ls
}

tcase "ls --limits: set limits and use equal ipcs -l/-u -m, lsipc -g -m and statvfs, in every format" t_limits_vs_peers
tcase "ls --limits: the limits equal ipcs' and lsipc's; no filters, no -o" t_limits_anywhere
e2e_done
