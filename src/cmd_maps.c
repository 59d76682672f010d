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

/* What maps was asked: its options, checked. */
struct maps_args {
	struct outopts o;
	bool memfd, anon;
	const char *segarg;	/* --segment TARGET, or NULL */
	pid_t *pids;		/* the PIDs given (malloc'd), or NULL */
	size_t npids;
};

/* EXIT_OK: run it; PARSE_DONE: answered (--list-columns, --help); else
 * a usage error (or EXIT_FAIL: out of memory). */
static int maps_parse(int argc, char **argv, struct maps_args *a)
{
	int c, rc;

	*a = (struct maps_args){ .o = { .sort_col = -1 } };
	memcpy(a->o.cols, default_cols, sizeof(default_cols));
	a->o.ncols = sizeof(default_cols) / sizeof(default_cols[0]);
	while ((c = command_getopt(&cmd_maps_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_SEGMENT:
			a->segarg = optarg;
			break;
		case OPT_LIST_COLUMNS:
			output_list_columns_of(stdout, mcoldefs, NMCOLS);
			return PARSE_DONE;
		case OPT_MEMFD:
			a->memfd = true;
			break;
		case OPT_ANON:
			a->anon = true;
			break;
		default:
			rc = command_output_option(&cmd_maps_command, c, argv, &a->o,
						   mcoldefs, NMCOLS);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	rc = command_output_check(&a->o);
	if (rc != EXIT_OK)
		return rc;
	if (a->segarg) {
		rc = target_parse_arg(a->segarg, TARGET_ANY,
				      &(struct target){ 0 });
		if (rc != EXIT_OK)
			return rc;
	}
	if (optind < argc) {
		rc = parse_pids(argc - optind, argv + optind, &a->pids);
		if (rc != 0)
			return rc < 0 ? EXIT_FAIL : rc;
		a->npids = (size_t)(argc - optind);
	}
	return EXIT_OK;
}

/* Named PIDs that do not exist, or could not be read, fail. */
static int pids_seen(const struct inventory *inv, const struct maps_args *a)
{
	int status = EXIT_OK;
	size_t i;

	for (i = 0; i < a->npids; i++) {
		enum pid_seen ps = inventory_pid(inv, a->pids[i]);

		if (ps == PID_ABSENT)
			msg("%d: no such process", (int)a->pids[i]);
		if (ps != PID_SEEN)
			status = EXIT_FAIL;
	}
	return status;
}

static int maps_run(const struct maps_args *a)
{
	/* what a process maps: semaphores too (KIND sem) */
	struct inv_opts io = { .sysv = true, .posix = true, .sem = true,
			       .scan = true,
			       .scan_required = true, .holders_only = true,
			       .memfd = a->memfd, .anon = a->anon,
			       .pids = a->pids, .npids = a->npids };
	struct inventory inv;
	struct segment seg;
	struct holder *rows = NULL;
	const char *what = "";
	size_t n = 0;
	int rc, status;

	if (a->segarg) {
		rc = target_resolve(a->segarg, TARGET_ANY, &seg);
		if (rc != EXIT_OK)
			return rc;
		io.memfd |= seg.kind == SEG_MEMFD;
		io.anon |= seg.kind == SEG_ANON;
	}
	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	inventory_report(&inv);
	status = pids_seen(&inv, a);
	if (inventory_holders(&inv, a->segarg ? &seg : NULL, &rows, &n) < 0) {
		msg_errno(ENOMEM, "listing");
		status = EXIT_FAIL;
	} else {
		struct table_src t = { .defs = mcoldefs, .ndefs = NMCOLS,
				       .get = holder_get, .rows = rows,
				       .nrows = n, .rowsize = sizeof(*rows) };

		if (output_result(output_table(stdout, &t, &a->o,
					       "mappings")) != EXIT_OK)
			status = EXIT_FAIL;
	}
	free(rows);
	inventory_free(&inv);
	return status;
}

int cmd_maps(int argc, char **argv)
{
	struct maps_args a;
	int rc = maps_parse(argc, argv, &a);

	if (rc == EXIT_OK)
		rc = maps_run(&a);
	else if (rc == PARSE_DONE)
		rc = EXIT_OK;
	free(a.pids);
	return rc;
}
