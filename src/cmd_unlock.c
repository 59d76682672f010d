// SPDX-License-Identifier: MIT
/*
 * cmd_unlock.c - shmtool unlock: undo lock (SHM_UNLOCK).  The work is
 * change.c's, shared with lock.
 */
#include "change.h"
#include "commands.h"

static const struct cmd_option opts[] = {
	{ "verbose", 'v', NULL, 'v', "say each segment unlocked" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_unlock_command = {
	"unlock", cmd_unlock, "let locked System V segments be swapped again",
	"unlock TARGET... [--verbose] [--posix|--sysv]",
	opts,
	"SHM_UNLOCK. Every TARGET is found before any is unlocked; one that\n"
	"fails is said and the rest go on.\n",
};
/* clang-format on */

int cmd_unlock(int argc, char **argv)
{
	return change_lock_main(&cmd_unlock_command, false, argc, argv);
}
