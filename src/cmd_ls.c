// SPDX-License-Identifier: MIT
/*
 * cmd_ls.c - shmtool ls: segments of both kinds in one table.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "util.h"

enum { OPT_POSIX = 256, OPT_SYSV, OPT_SORT, OPT_LIST_COLUMNS };

static const int default_cols[] = {
	COL_SEGMENT, COL_KIND, COL_KEY, COL_OWNER, COL_PERMS,
	COL_SIZE,    COL_RSS,  COL_NATTCH, COL_CPID, COL_STATUS,
};

int cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysv", no_argument, NULL, OPT_SYSV },
		{ "posix", no_argument, NULL, OPT_POSIX },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct outopts o = { .sort_col = -1 };
	struct seglist l = { 0 };
	bool want_sysv = true, want_posix = true, kind_given = false;
	const char *bad;
	size_t badlen;
	int c, rc;

	memcpy(o.cols, default_cols, sizeof(default_cols));
	o.ncols = sizeof(default_cols) / sizeof(default_cols[0]);

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:Jrnbh", opts, NULL)) != -1) {
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
		case 'o':
			if (columns_parse(optarg, o.cols, &o.ncols,
					  sizeof(o.cols) / sizeof(o.cols[0]),
					  &bad, &badlen) < 0)
				return usage_error("unknown column '%.*s' "
						   "(see --list-columns)",
						   (int)badlen, bad);
			break;
		case 'J':
			o.json = true;
			break;
		case 'r':
			o.raw = true;
			break;
		case 'n':
			o.noheadings = true;
			break;
		case 'b':
			o.bytes = true;
			break;
		case OPT_SORT:
			o.sort_col = column_by_name(optarg, strlen(optarg));
			if (o.sort_col < 0)
				return usage_error("unknown column '%s' "
						   "(see --list-columns)",
						   optarg);
			break;
		case OPT_LIST_COLUMNS:
			output_list_columns(stdout);
			return EXIT_OK;
		case 'h':
			return command_help("ls");
		default:
			return option_error(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (o.json && o.raw)
		return usage_error("--json and --raw exclude each other");

	if (want_sysv) {
		rc = sysv_backend.list(&l);
		if (rc < 0) {
			msg_errno(-rc, "listing System V segments");
			seglist_free(&l);
			return EXIT_FAIL;
		}
	}
	if (want_posix) {
		rc = posix_backend.list(&l);
		if (rc < 0) {
			msg_errno(-rc, "listing POSIX segments");
			seglist_free(&l);
			return EXIT_FAIL;
		}
	}
	rc = output_segments(stdout, &l, &o, "segments");
	seglist_free(&l);
	if (rc < 0 && rc != -EPIPE) {
		msg_errno(-rc, "output");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
