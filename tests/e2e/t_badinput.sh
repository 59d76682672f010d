#!/bin/bash
# SPDX-License-Identifier: MIT
# Usage errors: exit 2, one "shmtool: CMD: ..." line on stderr, nothing on
# stdout, and nothing created or changed.
. "$(dirname "$0")/lib.sh"

# In the arguments of t_bad / t_bad_on_seg:
#   @N a fresh POSIX name ("/shmtool-test-PID-N"), @P the same without the
#   slash, @L a 256-byte name starting with it (257 with the slash),
#   @K a SysV key nobody uses, @F a 100-byte file, @E an empty file,
#   @T the existing segment (t_bad_on_seg).
expand_args() {
	local a
	ARGS=()
	for a in "$@"; do
		a=${a//@N/$N}
		a=${a//@P/${N#/}}
		a=${a//@L/$L}
		a=${a//@K/$K}
		a=${a//@F/$F}
		a=${a//@E/$EMPTY}
		a=${a//@T/${T:-}}
		ARGS+=("$a")
	done
}

setup_names() {
	N=$(new_posix)
	reg_posix "sem.${N#/}"
	L=$N$(head -c $((257 - ${#N})) /dev/zero | tr '\0' a)
	K=$(new_key) || exit 1
	F=$(new_tmp)
	gen_binary "$F" 100
	EMPTY=$(new_tmp)
	: >"$EMPTY"
}

expect_names_unused() {
	expect_posix_absent "$N"
	counted
	[ ! -e "$SHMDIR/sem.${N#/}" ] || fail "$SHMDIR/sem.${N#/} was created"
	counted
	! sysv_key_exists "$K" || fail "a segment with key $K was created"
}

# t_bad CMD ARGS...: a usage error that must create nothing.
t_bad() {
	local cmd=$1
	shift
	setup_names
	expand_args "$@"
	snap_take
	run "$cmd" "${ARGS[@]}"
	expect_usage_error "$cmd"
	expect_none_created
	expect_snap_same
	expect_names_unused
}

# t_bad_on_seg KIND CMD ARGS...: a usage error naming an existing 4K
# segment (@T) full of known bytes: it stays as it was, and still exists.
t_bad_on_seg() {
	local kind=$1 cmd=$2
	shift 2
	setup_names
	T=$(mk_seg "$kind" 4K) || exit 1
	gen_binary "$E2E_TMP/base" 4096
	seg_fill "$T" "$E2E_TMP/base"
	seg_remember "$T"
	expand_args "$@"
	snap_take
	run "$cmd" "${ARGS[@]}"
	expect_usage_error "$cmd"
	expect_none_created
	expect_snap_same
	expect_seg_unchanged "$T"
	expect_eq "$(seg_mode "$T")" 600 "mode"
	expect_names_unused
}

show() {
	local a s=
	for a in "$@"; do
		case $a in
		''|*' '*) s+=" '$a'" ;;
		*) s+=" $a" ;;
		esac
	done
	echo "${s# }"
}

bad() { tcase "$(show "$@")" t_bad "$@"; }
bad_seg() { tcase "$(show "${@:2}") ($1 segment)" t_bad_on_seg "$@"; }

# Sizes
for s in -1 0 '' 12x 1.5M ' 12' '12 ' 18446744073709551616 99999999999999999999K \
	16E +12 -0 0x10 1KK K 1e3 4k4; do
	bad create @N "$s"
done
for s in -1 0 '' 12x 1.5M ' 12' 18446744073709551616 99999999999999999999K; do
	bad create --sysv "$s"
	bad create --sysv @K "$s"
done

# Offsets and lengths
for kind in posix sysv; do
	for s in -1 '' 12x 1.5K ' 12' 99999999999999999999K; do
		bad_seg "$kind" read @T --offset "$s"
		bad_seg "$kind" read @T --length "$s"
		bad_seg "$kind" write @T --offset "$s" --data abc
	done
done

# POSIX names
for name in @N/b /@N / @L /sem.@P @P /. /..; do
	bad create "$name" 4K
done
bad create --posix @N/b 4K
bad create --posix /sem.@P 4K
bad create --posix sem.@P 4K
for cmd in read stat rm; do
	for name in @N/b /@N / @L /sem.@P @P; do
		bad "$cmd" "$name"
	done
done
bad write @P --data x
bad write /@N --data x
# A malformed spelling of an existing name touches nothing.
bad_seg posix rm /@T
bad_seg posix write /@T --data x
bad_seg posix rm @T/
bad_seg posix read @T/x

# SysV keys and ids
for k in 0x 0xfffffffff 0x100000000 0xZZ 0x1g; do
	bad create --sysv "$k" 4K
done
for k in 0x 0xfffffffff 0x0 0x00000000 key:0 key:0x0 key: key:abc key:4294967296 \
	key:-2147483649 id: id:-1 id:abc id:2147483648 4294967296 2147483648 0x1g; do
	bad read "$k"
	bad rm "$k"
done
bad stat 0x0
bad write 0x0 --data x

# Modes
for m in 999 8 -1 01000 '' 0x1ff rw-r--r-- 1777 0o644 ' 644' 6444; do
	bad create @N 4K --mode "$m"
done
for m in 999 8 01000; do
	bad create --sysv 4K --mode "$m"
	bad create --sysv @K 4K -m "$m"
done

# Unknown options
bad create @N 4K --bogus
bad create @N 4K -Z
bad create --sysv 4K --bogus
bad ls --bogus
for kind in posix sysv; do
	bad_seg "$kind" write @T --data x --bogus
	bad_seg "$kind" read @T --bogus
	bad_seg "$kind" stat @T --bogus
	bad_seg "$kind" rm @T --bogus
	bad_seg "$kind" rm -Z @T
done

# Conflicting options
for kind in posix sysv; do
	bad_seg "$kind" write @T --data x --file @F
	bad_seg "$kind" write @T -f @F -d x
	bad_seg "$kind" read @T --hex --string
	bad_seg "$kind" read @T -s -x
done

# Ranges past the end (the segment is 4096 bytes)
for kind in posix sysv; do
	bad_seg "$kind" read @T --offset 4097
	bad_seg "$kind" read @T --offset 1M
	bad_seg "$kind" read @T --length 4097
	bad_seg "$kind" read @T --offset 4000 --length 97
	bad_seg "$kind" read @T --offset 4096 --length 1
	bad_seg "$kind" read @T --string --offset 4097
	bad_seg "$kind" write @T --offset 4097 --data a
	bad_seg "$kind" write @T --offset 4097
	bad_seg "$kind" write @T --offset 4097 --file @F
done

# create --from and --ftok
bad create @N 99 --from @F
bad create @N --from @E
bad create --posix @N --from @E
for p in @F:0 @F:256 @F:abc @F: @F:-1; do
	bad create --sysv --ftok "$p" 4K
done

# Missing or extra arguments
bad create
bad create @N
bad create --posix @N
bad create --sysv
bad create --posix @N 4K 8K
bad create --sysv @K 4K 8K
bad write
bad read
bad stat
bad rm
for kind in posix sysv; do
	bad_seg "$kind" read @T @N
	bad_seg "$kind" stat @T @N
	bad_seg "$kind" write @T @N --data x
done
e2e_done
