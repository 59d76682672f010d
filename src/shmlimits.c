// SPDX-License-Identifier: MIT
/*
 * shmlimits.c - ls --limits: the kernel's shared memory limits and their use.
 *
 * System V: SHMMNI (segments), SHMALL (pages, and the same in bytes),
 * SHMMAX (bytes per segment: used is the largest segment), SHMMIN (fixed
 * at 1 byte: no use).  The shm directory: its file system's bytes and
 * inodes (statvfs), the limits POSIX segments run into.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "shmlimits.h"
#include "paths.h"
#include "util.h"

/* clang-format off */
const struct coldef limdefs[NLIMCOLS] = {
	[LIM_RESOURCE]    = { "RESOURCE",    "Resource",    CT_STRING,  1, false, "the limit: SHMMNI, SHMALL, SHMALL_BYTES, SHMMAX, SHMMIN, SHMDIR_SIZE, SHMDIR_INODES" },
	[LIM_DESCRIPTION] = { "DESCRIPTION", "Description", CT_STRING,  0.1, false, "what it limits" },
	[LIM_LIMIT]       = { "LIMIT",       "Limit",       CT_SIZE,    1, true,  "the limit (bytes, or a count: segments, pages, inodes)" },
	[LIM_USED]        = { "USED",        "Used",        CT_SIZE,    1, true,  "what is counted against it now" },
	[LIM_USE]         = { "USE%",        "Use",         CT_PERCENT, 1, true,  "USED in percent of LIMIT" },
};
/* clang-format on */

static struct limrow *row(struct limrow *r, const char *res, bool count,
			  const char *desc)
{
	memset(r, 0, sizeof(*r));
	r->resource = res;
	r->count = count;
	snprintf(r->description, sizeof(r->description), "%s", desc);
	return r;
}

static void set(struct limrow *r, bool has_limit, uint64_t limit,
		bool has_used, uint64_t used)
{
	r->has_limit = has_limit;
	r->limit = limit;
	r->has_used = has_used;
	r->used = used;
}

static uint64_t pages_of(uint64_t size, uint64_t page)
{
	return size / page + (size % page != 0);
}

void limits_compute(const struct inventory *inv, struct limrow rows[NLIMROWS])
{
	struct sysv_limits lim;
	struct shm_usage use;
	uint64_t nseg = 0, pages = 0, largest = 0, page;
	size_t i;

	sysv_limits(&lim);
	page = lim.page ? lim.page : 4096;
	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];

		if (s->kind != SEG_SYSV || s->foreign)
			continue;
		nseg++;
		pages = sat_add(pages, pages_of(s->size, page));
		if (s->size > largest)
			largest = s->size;
	}
	/* The kernel's own count is what it checks the limits against. */
	if (lim.have_use) {
		nseg = lim.used_ids;
		pages = lim.used_pages;
	}
	posix_usage(&use);

	set(row(&rows[0], "SHMMNI", true, "System V segments"),
	    lim.shmmni != 0, lim.shmmni, true, nseg);
	set(row(&rows[1], "SHMALL", true, "System V pages, all segments"),
	    lim.shmall != 0, lim.shmall, true, pages);
	set(row(&rows[2], "SHMALL_BYTES", false,
		"System V bytes, all segments (SHMALL pages)"),
	    lim.shmall != 0, lim.shmall_bytes, true,
	    pages > UINT64_MAX / page ? UINT64_MAX : pages * page);
	set(row(&rows[3], "SHMMAX", false,
		"System V segment size, at most (used: the largest)"),
	    lim.shmmax != 0, lim.shmmax, true, largest);
	set(row(&rows[4], "SHMMIN", false,
		"System V segment size, at least"),
	    true, lim.shmmin, false, 0);
	row(&rows[5], "SHMDIR_SIZE", false, "");
	snprintf(rows[5].description, sizeof(rows[5].description),
		 "%s: bytes (statvfs)", shm_dir());
	set(&rows[5], use.have_vfs, use.size, use.have_vfs, use.used);
	row(&rows[6], "SHMDIR_INODES", true, "");
	snprintf(rows[6].description, sizeof(rows[6].description),
		 "%s: inodes (statvfs)", shm_dir());
	/* a tmpfs mounted with nr_inodes=0 has no inode limit: 0 files */
	set(&rows[6], use.have_vfs && use.files, use.files,
	    use.have_vfs && use.files, use.files - use.files_free);
}

/* used in hundredths of a percent of limit, rounded. */
static uint64_t percent(uint64_t used, uint64_t limit)
{
	unsigned __int128 v = (unsigned __int128)used * 20000 + limit;

	v /= (unsigned __int128)limit * 2;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

void limcolumn_get(enum lim_col col, const struct limrow *r, struct cell *c)
{
	memset(c, 0, offsetof(struct cell, str));
	c->str[0] = '\0';
	c->list = NULL;
	c->listlen = 0;
	switch (col) {
	case LIM_RESOURCE:
		snprintf(c->str, sizeof(c->str), "%s", r->resource);
		break;
	case LIM_DESCRIPTION:
		snprintf(c->str, sizeof(c->str), "%s", r->description);
		break;
	case LIM_LIMIT:
		c->null = !r->has_limit;
		c->num = r->limit;
		c->count = r->count;
		break;
	case LIM_USED:
		c->null = !r->has_used;
		c->num = r->used;
		c->count = r->count;
		break;
	case LIM_USE:
		c->null = !r->has_used || !r->has_limit || r->limit == 0;
		if (!c->null)
			c->num = percent(r->used, r->limit);
		break;
	case NLIMCOLS:
		c->null = true;
		break;
	}
}

static void lim_get(int col, const void *r, struct cell *c)
{
	limcolumn_get((enum lim_col)col, r, c);
}

int limits_output(const struct inventory *inv, const struct outopts *base)
{
	struct limrow rows[NLIMROWS];
	struct outopts o = *base;
	struct table_src t = {
		.defs = limdefs,
		.ndefs = NLIMCOLS,
		.get = lim_get,
		.rows = rows,
		.nrows = NLIMROWS,
		.rowsize = sizeof(rows[0]),
	};
	int i;

	limits_compute(inv, rows);
	o.ncols = 0;
	for (i = 0; i < NLIMCOLS; i++)
		o.cols[o.ncols++] = i;
	o.sort_col = -1;
	return output_table(stdout, &t, &o, "limits");
}
