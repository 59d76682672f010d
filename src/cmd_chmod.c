// SPDX-License-Identifier: MIT
/*
 * cmd_chmod.c - shmtool chmod: a segment's permission bits, System V
 * through IPC_SET, POSIX through the file (never through a symlink).
 */
#include <stdio.h>

#include "change.h"
#include "columns.h"
#include "commands.h"
#include "msg.h"
#include "parse.h"
#include "segment.h"
#include "text.h"
#include "util.h"

static const struct cmd_option opts[] = {
	{ "verbose", 'v', NULL, 'v', "say each change" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_chmod_command = {
	"chmod", cmd_chmod, "change the permissions of segments",
	"chmod MODE TARGET... [--verbose] [--posix|--sysv]",
	opts,
	"MODE is octal (0-0777), as for create --mode. Every TARGET is found\n"
	"before any is changed; a change that fails is said and the rest go on.\n",
};
/* clang-format on */

static int apply(const struct segment *seg, const void *arg)
{
	const struct seg_attr *a = arg;

	return backend_for(seg->kind)->set_attr(seg, a);
}

static void say(const struct segment *was, const void *arg)
{
	const struct seg_attr *a = arg;
	char tn[NAME_ESC_MAX + 2], from[10], to[10];

	segment_target(was, tn, sizeof(tn));
	mode_string(was->mode, from);
	mode_string(a->mode, to);
	printf("mode of %s: %04o (%s) -> %04o (%s)\n", tn, was->mode, from,
	       a->mode, to);
}

struct chmod_args {
	struct seg_attr attr;
	struct change ch;
	int first;		/* the first TARGET in argv */
};

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int chmod_parse(int argc, char **argv, struct chmod_args *a)
{
	int c, rc;

	while ((c = command_getopt(&cmd_chmod_command, argc, argv)) != -1) {
		switch (c) {
		case 'v':
			a->ch.verbose = true;
			break;
		default:
			rc = command_option(&cmd_chmod_command, c, argv,
					    &a->ch.force);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return usage_error("missing MODE");
	if (parse_mode(argv[optind], &a->attr.mode) < 0)
		return usage_error("invalid mode '%s': expected octal "
				   "permissions 0-0777", argv[optind]);
	a->attr.what = ATTR_MODE;
	a->first = optind + 1;
	return change_parse(&a->ch, argc, argv, a->first);
}

int cmd_chmod(int argc, char **argv)
{
	struct chmod_args a = {
		.ch = { .force = TARGET_ANY, .refuse = change_refuse_holder,
			.apply = apply, .say = say },
	};
	int rc = chmod_parse(argc, argv, &a);

	a.ch.arg = &a.attr;
	return COMMAND_PARSE_RUN(rc, change_run(&a.ch, argc, argv, a.first));
}
