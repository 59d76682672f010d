// SPDX-License-Identifier: MIT
/*
 * cmd_lock.c - shmtool lock: keep System V segments in memory (SHM_LOCK),
 * as ipcs shows with "locked".  The work is change.c's, shared with unlock.
 */
#include "change.h"
#include "commands.h"

static const struct cmd_option opts[] = {
	{ "verbose", 'v', NULL, 'v', "say each segment locked" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_lock_command = {
	"lock", cmd_lock, "keep System V segments from being swapped out",
	"lock TARGET... [--verbose] [--posix|--sysv]",
	opts,
	"SHM_LOCK: the pages stay in memory once touched (STATUS locked).\n"
	"Every TARGET is found before any is locked; one that fails is said and\n"
	"the rest go on.\n",
};
/* clang-format on */

int cmd_lock(int argc, char **argv)
{
	return change_lock_main(&cmd_lock_command, true, argc, argv);
}
