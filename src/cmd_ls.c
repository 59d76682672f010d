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

enum { OPT_POSIX = 256, OPT_SYSV, OPT_LIST_COLUMNS, OPT_USER,
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

const struct option cmd_ls_options[] = {
	{ "sysv", no_argument, NULL, OPT_SYSV },
	{ "posix", no_argument, NULL, OPT_POSIX },
	OUTPUT_LONG_OPTIONS,
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "unused", no_argument, NULL, OPT_UNUSED },
	{ "orphans", no_argument, NULL, OPT_ORPHANS },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "by", required_argument, NULL, OPT_BY },
	{ "memfd", no_argument, NULL, OPT_MEMFD },
	{ "anon", no_argument, NULL, OPT_ANON },
	{ "all-namespaces", no_argument, NULL, OPT_ALLNS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:Jrnbh", cmd_ls_options, NULL)) != -1) {
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
		case 'h':
			return command_help("ls");
		default:
			cols_given |= c == 'o';
			rc = output_option(c, optarg, &o, coldefs, NCOLS);
			if (rc >= 0) {
				if (rc != EXIT_OK)
					return rc;
				break;
			}
			return option_error(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o.json && o.raw)
		return usage_error("--json and --raw exclude each other");
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
