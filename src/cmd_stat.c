// SPDX-License-Identifier: MIT
/*
 * cmd_stat.c - shmtool stat: every field the kernel keeps for a segment,
 * and every process that maps it or holds it open.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "inventory.h"
#include "output.h"
#include "target.h"
#include "msg.h"
#include "util.h"


/* What stat shows: the segment, and its holders from the inventory that
 * judged it (a row of the tables below). */
struct stat_row {
	const struct segment *s;
	const struct holder *held;
	size_t nheld;
};

static void holder_get(int col, const void *row, struct cell *c)
{
	mcolumn_get((enum mcol_id)col, row, c);
}

/* stat -J: "holders": [...], the columns and keys of maps -J (its
 * SEGMENT, KIND and USER are the segment's own: left out) */
static int json_holders(FILE *out, const void *row, int depth)
{
	static const int cols[] = { MCOL_PID, MCOL_COMM, MCOL_HOW, MCOL_START,
				    MCOL_END, MCOL_PERMS, MCOL_OFFSET,
				    MCOL_FD, MCOL_DELETED };
	const struct stat_row *r = row;
	struct table_src t = { .defs = mcoldefs, .ndefs = NMCOLS,
			       .get = holder_get, .rows = r->held,
			       .nrows = r->nheld,
			       .rowsize = sizeof(*r->held) };

	json_member(out, depth, "holders");
	if (!r->s->scan) {
		fputs("null", out);
		return 0;
	}
	return output_json_inline(out, &t, cols, sizeof(cols) / sizeof(*cols)) ==
			       -ENOMEM
		       ? -ENOMEM
		       : 0;
}

static void seg_get(int col, const void *row, struct cell *c)
{
	column_get((enum col_id)col, ((const struct stat_row *)row)->s, c);
}

static const struct cmd_option opts[] = {
	CMD_FORMAT_OPTIONS("segments"),
	{ "list-columns", 0, NULL, OPT_LIST_COLUMNS,
	  "list the columns (those of ls) and exit" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_stat_command = {
	"stat", cmd_stat, "show everything known about a segment",
	"stat TARGET [-J|-r|-P|-y] [-o COLS] [-n] [-b] [--time-format FMT]",
	opts,
	"Without -o, -J, -r, -P, -y or -n: a \"Label: value\" line per field\n"
	"and one per holder.  With them: the columns of ls (every one unless\n"
	"-o), one row; -J adds the holders unless -o is given.\n",
};
/* clang-format on */

/*
 * The segment as the inventory judged it (holders, STATUS, and the
 * PostgreSQL rule, which needs every segment): the same verdict as ls
 * and rm --unused.  memfd and anon memory have no verdict: their holders
 * are enough.
 */
static const struct segment *judged(struct inventory *inv,
				    struct segment *seg)
{
	const struct segment *s = NULL;

	if (seg->kind == SEG_SYSV)
		s = inventory_find_sysv(inv, seg->shmid);
	else if (seg->kind == SEG_POSIX)
		s = inventory_find_posix(inv, seg->dev, seg->ino);
	if (s)
		return s;
	/* memfd/anon, or a segment that came or went since the lookup */
	inventory_judge_extra(inv, seg);
	return seg;
}

/* What stat was asked: its options, checked. */
struct stat_args {
	enum target_force force;
	struct outopts o;
	bool cols_given;	/* -o */
	bool table;		/* the column table, not the labels */
	const char *target;
};

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int stat_parse(int argc, char **argv, struct stat_args *a)
{
	int c, rc;

	*a = (struct stat_args){ .force = TARGET_ANY, .o = { .sort_col = -1 } };
	for (c = 0; c < NCOLS; c++)
		a->o.cols[a->o.ncols++] = c;
	while ((c = command_getopt(&cmd_stat_command, argc, argv)) != -1) {
		if (c == OPT_LIST_COLUMNS) {
			output_list_columns(stdout);
			return PARSE_DONE;
		}
		if (c == OPT_POSIX || c == OPT_SYSV) {
			rc = command_option(&cmd_stat_command, c, argv,
					    &a->force);
		} else {
			a->cols_given |= c == 'o';
			rc = command_output_option(&cmd_stat_command, c, argv,
						   &a->o, coldefs, NCOLS);
		}
		if (rc != EXIT_OK)
			return rc;
	}
	rc = command_output_check(&a->o);
	if (rc != EXIT_OK)
		return rc;
	a->table = a->cols_given || a->o.json || a->o.raw || a->o.pairs ||
		   a->o.shell || a->o.noheadings;
	rc = command_one_target(argc, argv);
	if (rc != EXIT_OK)
		return rc;
	a->target = argv[optind];
	return target_parse_arg(a->target, a->force, &(struct target){ 0 });
}

static void stat_print(const struct stat_args *a, const struct stat_row *row)
{
	if (a->table) {
		struct table_src t = {
			.defs = coldefs,
			.ndefs = NCOLS,
			.get = seg_get,
			.rows = row,
			.nrows = 1,
			.rowsize = sizeof(*row),
			/* every column: and who holds it */
			.json_extra = a->cols_given ? NULL : json_holders,
		};

		(void)output_table(stdout, &t, &a->o, "segments");
	} else {
		char why[160];

		(void)output_stat_text(stdout, row->s, a->o.tfmt);
		segment_keep_reason(row->s, why, sizeof(why));
		if (*why && row->s->disp == DISP_KEPT)
			printf("Kept: %s\n", why);
		if (row->s->scan)
			(void)output_holders_text(stdout, row->held,
						  row->nheld);
	}
	/* Write errors on standard output are reported by main(). */
}

/* Who holds it matters unless -o asked only for what the kernel says
 * (stat -o SIZE reads no /proc). */
static bool stat_needs_scan(const struct stat_args *a)
{
	size_t i;

	if (!a->cols_given)
		return true;
	for (i = 0; i < a->o.ncols; i++)
		if (a->o.cols[i] == COL_PROCS || a->o.cols[i] == COL_PIDS ||
		    a->o.cols[i] == COL_COMMANDS || a->o.cols[i] == COL_STATUS)
			return true;
	return false;
}

static int stat_run(const struct stat_args *a)
{
	struct inventory inv;
	struct segment seg;
	struct stat_row row;
	const char *what = "";
	int rc = target_resolve(a->target, a->force, &seg);

	if (rc != EXIT_OK)
		return rc;
	/* Who holds it: a scan failure still leaves the kernel's fields,
	 * unless shmtool itself ran out of descriptors or memory. */
	{
		struct inv_opts io = { .sysv = true, .posix = true,
				       .sem = seg.sem,
				       .scan = stat_needs_scan(a),
				       .memfd = seg.kind == SEG_MEMFD,
				       .anon = seg.kind == SEG_ANON };

		rc = inventory_load(&inv, &io, &what);
	}
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	inventory_report(&inv);
	row.s = judged(&inv, &seg);
	row.held = row.s->scan && row.s->hcount
			   ? segment_holder(&inv, row.s, 0) : NULL;
	row.nheld = row.s->scan ? row.s->hcount : 0;
	stat_print(a, &row);
	inventory_free(&inv);
	return EXIT_OK;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args a;
	int rc = stat_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, stat_run(&a));
}
