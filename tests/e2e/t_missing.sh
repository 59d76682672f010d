#!/bin/bash
# SPDX-License-Identifier: MIT
# Targets that do not exist: exit 1, one "shmtool: CMD: TARGET: why" line,
# and nothing gets created.
. "$(dirname "$0")/lib.sh"

# An id no segment has.
unused_id() {
	local id
	for id in 2147483647 2147483646 2147483645; do
		sysv_present "$id" || { echo "$id"; return 0; }
	done
	skip "no unused shmid found"
}

# cmd_args CMD TARGET: the arguments for CMD on TARGET.
cmd_args() {
	case $1 in
	write) echo "write $2 --data x" ;;
	*) echo "$1 $2" ;;
	esac
}

t_missing() {
	local cmd=$1 form=$2 target why
	case $form in
	posix)
		target=$(new_posix)
		why="no such segment" ;;
	posix-forced)
		target=$(new_posix)
		target=${target#/}
		why="no such segment" ;;
	key)
		target=$(new_key) || exit 1
		why="no such segment" ;;
	key:)
		target=key:$(new_key) || exit 1
		why="no such segment" ;;
	id)
		target=$(unused_id) || exit 1
		why="no such segment" ;;
	id:)
		target=id:$(unused_id) || exit 1
		why="no such segment" ;;
	esac
	snap_take
	if [ "$form" = posix-forced ]; then
		# shellcheck disable=SC2046
		run $(cmd_args "$cmd" "$target") --posix
		expect_rc 1
		expect_out_empty
		expect_err_line "^shmtool: $cmd: /$target: $why\$"
	else
		# shellcheck disable=SC2046
		run $(cmd_args "$cmd" "$target")
		expect_rc 1
		expect_out_empty
		case $form in
		key:|id:)
			# The explicit prefix may be shown or not.
			expect_err_line "^shmtool: $cmd: (${form})?${target#*:}: $why\$" ;;
		*)
			expect_err_is "shmtool: $cmd: $target: $why" ;;
		esac
	fi
	expect_none_created
	expect_snap_same
	case $form in posix*) expect_posix_absent "/${target#/}" ;; esac
}

for cmd in write read stat rm; do
	for form in posix posix-forced key key: id id:; do
		tcase "$cmd of a missing $form target: exit 1, one line" t_missing "$cmd" "$form"
	done
done
e2e_done
