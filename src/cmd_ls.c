// SPDX-License-Identifier: MIT
/*
 * cmd_ls.c - shmtool ls: segments of both kinds in one table, with the
 * processes that map or hold them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inventory.h"
#include "output.h"
#include "parse.h"
#include "summary.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_USER = OPT_CMD_FIRST,
       OPT_UNUSED, OPT_ORPHANS, OPT_SUMMARY, OPT_BY, OPT_MEMFD, OPT_ANON, OPT_ALLNS };

static const int default_cols[] = {
	COL_SEGMENT, COL_KIND, COL_KEY, COL_OWNER, COL_PERMS, COL_SIZE,
	COL_RSS, COL_NATTCH, COL_PROCS, COL_PIDS, COL_COMMANDS, COL_STATUS,
};

/* Columns whose values come from the /proc scan. */
static bool needs_scan(int col)
{
	return col == COL_PROCS || col == COL_PIDS || col == COL_COMMANDS ||
	       col == COL_STATUS;
}

static const struct cmd_option opts[] = {
	{ "sysv", 0, NULL, OPT_SYSV, "System V segments only" },
	{ "posix", 0, NULL, OPT_POSIX, "POSIX segments only" },
	{ "user", 0, "USER", OPT_USER, "segments owned by USER (name or uid)" },
	{ "unused", 0, NULL, OPT_UNUSED,
	  "segments nobody was seen to map or hold" },
	{ "orphans", 0, NULL, OPT_ORPHANS,
	  "SysV segments unused and whose creator is gone" },
	{ "summary", 0, NULL, OPT_SUMMARY,
	  "where the memory went: the shm directory's use\n"
	  "(statvfs) by named, deleted, not-segment and\n"
	  "unexplained; SysV against its limits; memfd\n"
	  "and shared anonymous totals; what rm --unused\n"
	  "could reclaim" },
	{ "by", 0, "user|process", OPT_BY,
	  "--summary grouped by owner or holding process" },
	{ "memfd", 0, NULL, OPT_MEMFD, "add memfd_create(2) objects (KIND memfd)" },
	{ "anon", 0, NULL, OPT_ANON,
	  "add MAP_SHARED anonymous memory shared by two or\n"
	  "more processes (KIND anon)" },
	{ "all-namespaces", 0, NULL, OPT_ALLNS,
	  "SysV segments of every IPC namespace and POSIX ones\n"
	  "of every shm directory (columns IPCNS, MNTNS, NSHINT)" },
	CMD_OUTPUT_OPTIONS("segments"),
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_ls_command = {
	"ls", cmd_ls, "list segments of both kinds, with who holds them",
	"ls [--sysv|--posix] [-o COLS] [-J|-r] [-n] [-b] [--sort COL] [--list-columns]\n"
	"   [--user USER] [--unused] [--orphans] [--memfd] [--anon] [--all-namespaces]\n"
	"ls --summary [--by user|process] [-J|-r] [-n] [-b]",
	opts,
	NULL,
};
/* clang-format on */

int cmd_ls(int argc, char **argv)
{
	struct outopts o = { .sort_col = -1 };
	struct inventory inv;
	struct seglist shown = { 0 };
	bool want_sysv = true, want_posix = true, kind_given = false;
	bool scan = false, by_user = false, unused = false, orphans = false;
	bool summary = false;
	enum summary_by by = BY_NONE;
	bool memfd = false, anon = false, all_ns = false, cols_given = false;
	const char *what = "";
	uid_t user = 0;
	size_t i;
	int c, rc, status = EXIT_OK;

	memcpy(o.cols, default_cols, sizeof(default_cols));
	o.ncols = sizeof(default_cols) / sizeof(default_cols[0]);

	while ((c = command_getopt(&cmd_ls_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_SYSV:
		case OPT_POSIX:
			if (!kind_given)
				want_sysv = want_posix = false;
			kind_given = true;
			if (c == OPT_SYSV)
				want_sysv = true;
			else
				want_posix = true;
			break;
		case OPT_LIST_COLUMNS:
			output_list_columns(stdout);
			return EXIT_OK;
		case OPT_USER:
			if (user_id(optarg, &user) < 0)
				return usage_error("unknown user '%s'", optarg);
			by_user = true;
			break;
		case OPT_UNUSED:
			unused = true;
			break;
		case OPT_ORPHANS:
			orphans = true;
			break;
		case OPT_SUMMARY:
			summary = true;
			break;
		case OPT_MEMFD:
			memfd = true;
			break;
		case OPT_ANON:
			anon = true;
			break;
		case OPT_ALLNS:
			all_ns = true;
			break;
		case OPT_BY:
			if (strcmp(optarg, "user") == 0)
				by = BY_USER;
			else if (strcmp(optarg, "process") == 0)
				by = BY_PROCESS;
			else
				return usage_error("invalid --by '%s': user or "
						   "process", optarg);
			break;
		default:
			cols_given |= c == 'o';
			rc = output_option(c, optarg, &o, coldefs, NCOLS);
			if (rc >= 0) {
				if (rc != EXIT_OK)
					return rc;
				break;
			}
			return command_option(&cmd_ls_command, c, argv, NULL);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	rc = options_exclusive("--json", o.json, "--raw", o.raw);
	if (rc != EXIT_OK)
		return rc;
	if (by != BY_NONE && !summary)
		return usage_error("--by goes with --summary");
	if (summary && (kind_given || unused || orphans || by_user))
		return usage_error("--summary takes no filter (it shows "
				   "every area; --by groups it)");
	if (summary && (cols_given || o.sort_col >= 0))
		return usage_error("--summary has its own columns: no -o or "
				   "--sort");

	/* Scan /proc only when something shown or filtered needs it. */
	scan = unused || orphans || summary ||
	       (o.sort_col >= 0 && needs_scan(o.sort_col));
	for (i = 0; i < o.ncols && !scan; i++)
		scan = needs_scan(o.cols[i]);

	{
		struct inv_opts io = { .sysv = want_sysv, .posix = want_posix,
				       .scan = scan, .memfd = memfd || summary,
				       .anon = anon || summary, .all_ns = all_ns };

		rc = inventory_load(&inv, &io, &what);
	}
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	inventory_report(&inv);

	for (i = 0; i < inv.segs.n; i++) {
		const struct segment *s = &inv.segs.v[i];
		struct segment *d;

		if (by_user && (s->nostat || s->uid != user))
			continue;
		if (unused && s->disp == DISP_NONE)
			continue;
		if (orphans && !(s->status & SEG_ST_ORPHAN))
			continue;
		d = seglist_add(&shown);
		if (!d) {
			msg_errno(ENOMEM, "listing");
			status = EXIT_FAIL;
			goto out;
		}
		*d = *s;
	}
	if (summary)
		rc = summary_output(&inv, &o, by);
	else
		rc = output_segments(stdout, &shown, &o, "segments");
	if (rc < 0 && rc != -EIO) {
		msg_errno(-rc, "output");
		status = EXIT_FAIL;
	}
	/* Write errors on standard output are reported by main(). */
out:
	seglist_free(&shown);
	inventory_free(&inv);
	return status;
}
