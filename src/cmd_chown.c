// SPDX-License-Identifier: MIT
/*
 * cmd_chown.c - shmtool chown: a segment's owner and group, System V
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
const struct command cmd_chown_command = {
	"chown", cmd_chown, "change the owner and group of segments",
	"chown OWNER[:GROUP] TARGET... [--verbose] [--posix|--sysv]\n"
	"chown :GROUP TARGET... [--verbose] [--posix|--sysv]",
	opts,
	"OWNER and GROUP are names or numbers; OWNER: is OWNER's login group.\n"
	"Every TARGET is found before any is changed; a change that fails is\n"
	"said and the rest go on.\n",
};
/* clang-format on */

static int apply(const struct segment *seg, const void *arg)
{
	return backend_for(seg->kind)->set_attr(seg, arg);
}

/* "OWNER:GROUP" of a segment, as OWNER and GROUP show them. */
static void owner_text(const struct segment *s, char *buf, size_t len)
{
	struct cell u, g;

	column_get(COL_OWNER, s, &u);
	column_get(COL_GROUP, s, &g);
	snprintf(buf, len, "%s:%s", u.str, g.str);
}

static void say(const struct segment *was, const void *arg)
{
	const struct seg_attr *a = arg;
	char tn[NAME_ESC_MAX + 2], from[2 * sizeof(((struct cell *)0)->str) + 2],
	     to[sizeof(from)];
	struct segment now = *was;

	if (a->what & ATTR_UID)
		now.uid = a->uid;
	if (a->what & ATTR_GID)
		now.gid = a->gid;
	segment_target(was, tn, sizeof(tn));
	owner_text(was, from, sizeof(from));
	owner_text(&now, to, sizeof(to));
	printf("owner of %s: %s -> %s\n", tn, from, to);
}

struct chown_args {
	struct seg_attr attr;
	struct change ch;
	int first;		/* the first TARGET in argv */
};

/* OWNER[:GROUP] into attr; a usage error when malformed or unknown. */
static int owner_arg(const char *s, struct seg_attr *a)
{
	struct owner_spec o;
	char esc[NAME_ESC_MAX];

	name_escape(s, esc, sizeof(esc));
	if (parse_owner_spec(s, &o) < 0)
		return usage_error("invalid owner '%s': expected OWNER, "
				   "OWNER:GROUP, OWNER: or :GROUP", esc);
	if (o.user[0]) {
		if (user_id(o.user, &a->uid) < 0)
			return usage_error("unknown user '%s'", esc);
		a->what |= ATTR_UID;
	}
	if (o.login_group) {
		if (user_login_group(o.user, &a->gid) < 0)
			return usage_error("'%s': user has no login group "
					   "(give :GROUP)", esc);
		a->what |= ATTR_GID;
	} else if (o.group[0]) {
		if (group_id(o.group, &a->gid) < 0)
			return usage_error("unknown group in '%s'", esc);
		a->what |= ATTR_GID;
	}
	return EXIT_OK;
}

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int chown_parse(int argc, char **argv, struct chown_args *a)
{
	int c, rc;

	while ((c = command_getopt(&cmd_chown_command, argc, argv)) != -1) {
		switch (c) {
		case 'v':
			a->ch.verbose = true;
			break;
		default:
			rc = command_option(&cmd_chown_command, c, argv,
					    &a->ch.force);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind >= argc)
		return usage_error("missing OWNER");
	rc = owner_arg(argv[optind], &a->attr);
	if (rc != EXIT_OK)
		return rc;
	a->first = optind + 1;
	return change_parse(&a->ch, argc, argv, a->first);
}

int cmd_chown(int argc, char **argv)
{
	struct chown_args a = {
		.ch = { .force = TARGET_ANY, .refuse = change_refuse_holder,
			.apply = apply, .say = say },
	};
	int rc = chown_parse(argc, argv, &a);

	a.ch.arg = &a.attr;
	return COMMAND_PARSE_RUN(rc, change_run(&a.ch, argc, argv, a.first));
}
