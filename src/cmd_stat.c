// SPDX-License-Identifier: MIT
/*
 * cmd_stat.c - shmtool stat: every field the kernel keeps for a segment,
 * and every process that maps it or holds it open.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "inventory.h"
#include "output.h"
#include "target.h"
#include "util.h"

enum { OPT_POSIX = 256, OPT_SYSV };

/* The inventory the segment shown comes from (for the holders' cells). */
static struct inventory *stat_inv;

static void holding_cells(const struct segment *s, size_t i,
			  struct maprow *r)
{
	r->h = &s->scan->h[s->hfirst + i];
	r->p = scan_proc(s->scan, r->h->pid);
	r->segment[0] = '\0';
	r->deleted = holding_deleted(stat_inv, r->h);
}

/* stat -J: "holders": [{pid, comm, how, start, end, perms, fd}...], the
 * same keys as maps -J */
static int json_holders(FILE *out, const void *row, const char *indent)
{
	static const int cols[] = { MCOL_PID, MCOL_COMM, MCOL_HOW, MCOL_START,
				    MCOL_END, MCOL_PERMS, MCOL_OFFSET,
				    MCOL_FD, MCOL_DELETED };
	static const char *const keys[] = { "pid", "comm", "how", "start",
					    "end", "perms", "offset", "fd",
					    "deleted" };
	const struct segment *s = row;
	size_t i, k;

	fprintf(out, ",\n%s\"holders\": ", indent);
	if (!s->scan) {
		fputs("null", out);
		return 0;
	}
	fputc('[', out);
	for (i = 0; i < s->hcount; i++) {
		struct maprow r;

		holding_cells(s, i, &r);
		fprintf(out, "%s{", i ? ", " : "");
		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			struct cell c;

			mcolumn_get((enum mcol_id)cols[k], &r, &c);
			fprintf(out, "%s\"%s\": ", k ? ", " : "", keys[k]);
			if (c.null)
				fputs("null", out);
			else if (mcoldefs[cols[k]].type == CT_STRING)
				json_string(out, c.str);
			else if (mcoldefs[cols[k]].type == CT_BOOL)
				fputs(c.num ? "true" : "false", out);
			else
				fprintf(out, "%llu", (unsigned long long)c.num);
		}
		fputc('}', out);
	}
	fputc(']', out);
	return 0;
}

static void text_holders(FILE *out, const struct segment *s)
{
	size_t i;

	if (!s->scan)
		return;
	fprintf(out, "Holders: %zu\n", s->hcount);
	for (i = 0; i < s->hcount; i++) {
		struct maprow r;

		holding_cells(s, i, &r);
		if (r.h->how == HOW_MAP)
			fprintf(out, "  %d (%s) map %llx-%llx %c%c%c%c\n",
				(int)r.h->pid, r.p ? r.p->comm : "?",
				(unsigned long long)r.h->start,
				(unsigned long long)r.h->end,
				r.h->flags & MAPS_R ? 'r' : '-',
				r.h->flags & MAPS_W ? 'w' : '-',
				r.h->flags & MAPS_X ? 'x' : '-',
				r.h->flags & MAPS_SHARED ? 's' : 'p');
		else if (r.h->how == HOW_FD)
			fprintf(out, "  %d (%s) fd %d\n", (int)r.h->pid,
				r.p ? r.p->comm : "?", r.h->fd);
		else
			fprintf(out, "  %d (%s) exe\n", (int)r.h->pid,
				r.p ? r.p->comm : "?");
	}
}

static void seg_get(int col, const void *row, struct cell *c)
{
	column_get((enum col_id)col, row, c);
}

const struct option cmd_stat_options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "posix", no_argument, NULL, OPT_POSIX },
	{ "sysv", no_argument, NULL, OPT_SYSV },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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
	segment_link(seg, inv->scanned ? &inv->scan : NULL);
	return seg;
}

int cmd_stat(int argc, char **argv)
{
	enum target_force force = TARGET_ANY;
	struct inventory inv;
	struct segment seg;
	const struct segment *s;
	const char *what = "";
	bool json = false;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jh", cmd_stat_options, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case OPT_POSIX:
		case OPT_SYSV:
			rc = target_force_set(&force, c == OPT_POSIX);
			if (rc != EXIT_OK)
				return rc;
			break;
		case 'h':
			return command_help("stat");
		default:
			return option_error(c, optopt, argv, optind);
		}
	}
	if (argc - optind != 1)
		return usage_error(argc - optind < 1 ? "missing TARGET"
						     : "too many arguments");
	rc = target_resolve(argv[optind], force, &seg);
	if (rc != EXIT_OK)
		return rc;

	/* Who holds it: a scan failure still leaves the kernel's fields,
	 * unless shmtool itself ran out of descriptors or memory. */
	{
		struct inv_opts io = { .sysv = true, .posix = true,
				       .scan = true,
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
	s = judged(&inv, &seg);
	stat_inv = &inv;

	if (json) {
		struct outopts o = { .json = true, .sort_col = -1 };
		struct table_src t = {
			.defs = coldefs,
			.ndefs = NCOLS,
			.get = seg_get,
			.rows = s,
			.nrows = 1,
			.rowsize = sizeof(*s),
			.json_extra = json_holders,
		};
		int i;

		for (i = 0; i < NCOLS; i++)
			o.cols[o.ncols++] = i;
		(void)output_table(stdout, &t, &o, "segments");
	} else {
		char why[160];

		(void)output_stat_text(stdout, s);
		segment_keep_reason(s, why, sizeof(why));
		if (*why && s->disp == DISP_KEPT)
			printf("Kept: %s\n", why);
		text_holders(stdout, s);
	}
	/* Write errors on standard output are reported by main(). */
	inventory_free(&inv);
	return EXIT_OK;
}
