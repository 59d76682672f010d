// SPDX-License-Identifier: MIT
/*
 * cmd_maps.c - shmtool maps: per process, every segment it maps or holds
 * an fd to, where, and how.
 */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "inventory.h"
#include "output.h"
#include "parse.h"
#include "paths.h"
#include "target.h"
#include "msg.h"
#include "util.h"

enum { OPT_SEGMENT = OPT_CMD_FIRST, OPT_MEMFD, OPT_ANON };

static const int default_cols[] = {
	MCOL_PID,   MCOL_COMM,    MCOL_USER, MCOL_SEGMENT, MCOL_KIND,
	MCOL_START, MCOL_END,     MCOL_PERMS, MCOL_MAPSIZE, MCOL_HOW,
	MCOL_FD,    MCOL_DELETED,
};

static void holder_get(int col, const void *row, struct cell *c)
{
	mcolumn_get((enum mcol_id)col, row, c);
}

static int parse_pids(int n, char **args, pid_t **out)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int i;

	if (!pids)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		pid_t v;

		if (parse_pid(args[i], &v) < 0) {
			free(pids);
			return usage_error("invalid PID '%s'", args[i]);
		}
		pids[i] = v;
	}
	*out = pids;
	return 0;
}

static const struct cmd_option opts[] = {
	{ "segment", 0, "TARGET", OPT_SEGMENT, "only mappings of this segment" },
	{ "memfd", 0, NULL, OPT_MEMFD, "also memfd_create(2) objects (KIND memfd)" },
	{ "anon", 0, NULL, OPT_ANON,
	  "also MAP_SHARED anonymous memory (KIND anon)" },
	CMD_OUTPUT_OPTIONS("mappings"),
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_maps_command = {
	"maps", cmd_maps, "show which segments processes map or hold",
	"maps [PID...] [--segment TARGET] [-o COLS] [-J|-r] [-n] [-b] [--sort COL]\n"
	"     [--list-columns] [--memfd] [--anon]",
	opts,
	"Without PIDs, every process that can be inspected.\n",
};
/* clang-format on */

int cmd_maps(int argc, char **argv)
{
	struct outopts o = { .sort_col = -1 };
	struct inv_opts io = { .sysv = true, .posix = true, .scan = true,
			       .scan_required = true,
			       .holders_only = true };
	struct inventory inv;
	struct segment seg;
	struct holder *rows = NULL;
	struct table_src t = { 0 };
	const char *segarg = NULL, *what = "";
	pid_t *pids = NULL;
	size_t i, n = 0;
	int c, rc, status = EXIT_OK;

	memcpy(o.cols, default_cols, sizeof(default_cols));
	o.ncols = sizeof(default_cols) / sizeof(default_cols[0]);
	while ((c = command_getopt(&cmd_maps_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_SEGMENT:
			segarg = optarg;
			break;
		case OPT_LIST_COLUMNS:
			output_list_columns_of(stdout, mcoldefs, NMCOLS);
			return EXIT_OK;
		case OPT_MEMFD:
			io.memfd = true;
			break;
		case OPT_ANON:
			io.anon = true;
			break;
		default:
			rc = output_option(c, optarg, &o, mcoldefs, NMCOLS);
			if (rc >= 0) {
				if (rc != EXIT_OK)
					return rc;
				break;
			}
			return command_option(&cmd_maps_command, c, argv, NULL);
		}
	}
	rc = options_exclusive("--json", o.json, "--raw", o.raw);
	if (rc != EXIT_OK)
		return rc;
	if (optind < argc) {
		rc = parse_pids(argc - optind, argv + optind, &pids);
		if (rc != 0)
			return rc < 0 ? EXIT_FAIL : rc;
		io.pids = pids;
		io.npids = (size_t)(argc - optind);
	}
	if (segarg) {
		rc = target_resolve(segarg, TARGET_ANY, &seg);
		if (rc != EXIT_OK) {
			free(pids);
			return rc;
		}
		io.memfd |= seg.kind == SEG_MEMFD;
		io.anon |= seg.kind == SEG_ANON;
	}

	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		status = EXIT_FAIL;
		goto out;
	}
	inventory_report(&inv);

	/* Named PIDs that do not exist, or could not be read, fail. */
	for (i = 0; i < io.npids; i++) {
		enum pid_seen ps = inventory_pid(&inv, pids[i]);

		if (ps == PID_ABSENT)
			msg("%d: no such process", (int)pids[i]);
		if (ps != PID_SEEN)
			status = EXIT_FAIL;
	}

	if (inventory_holders(&inv, segarg ? &seg : NULL, &rows, &n) < 0) {
		msg_errno(ENOMEM, "listing");
		status = EXIT_FAIL;
		goto out;
	}
	t.defs = mcoldefs;
	t.ndefs = NMCOLS;
	t.get = holder_get;
	t.rows = rows;
	t.nrows = n;
	t.rowsize = sizeof(*rows);
	rc = output_table(stdout, &t, &o, "mappings");
	if (rc < 0 && rc != -EIO) {
		msg_errno(-rc, "output");
		status = EXIT_FAIL;
	}
out:
	free(rows);
	free(pids);
	inventory_free(&inv);
	return status;
}
