// SPDX-License-Identifier: MIT
/*
 * summary.c - ls --summary: a df for shared memory.
 *
 * For the shm directory, statvfs says how much is used; the buckets say
 * by what: named segments, deleted segments still held, things that are
 * not segments, and what is left unexplained (shown, never hidden).  The
 * buckets count st_blocks, the same pages statvfs counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "columns.h"
#include "paths.h"
#include "summary.h"
#include "msg.h"
#include "text.h"
#include "util.h"

/* The most rows one summarize() adds. */
#define ROWS_PER_GROUP 24

/*
 * Room for one more group of rows at once: summarize() keeps pointers to
 * the rows it adds, which a realloc in the middle would leave dangling.
 */
static int rows_reserve(struct summary *r)
{
	size_t cap = r->cap;
	struct sumrow *v;

	if (r->cap - r->n >= ROWS_PER_GROUP)
		return 0;
	while (cap - r->n < ROWS_PER_GROUP)
		cap = cap ? 2 * cap : 32;
	v = reallocarray(r->v, cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->v = v;
	r->cap = cap;
	return 0;
}

static struct sumrow *row_add(struct summary *r, const char *group,
			      const char *area, const char *what)
{
	if (r->n == r->cap)
		return NULL;	/* rows_reserve() makes room beforehand */
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	snprintf(r->v[r->n].group, sizeof(r->v[0].group), "%s", group);
	r->v[r->n].area = area;
	r->v[r->n].what = what;
	return &r->v[r->n++];
}

static void row_get(int col, const void *row, struct cell *c)
{
	scolumn_get((enum sum_col)col, row, c);
}

/* Add a segment to a row's totals. */
static void row_count(struct sumrow *r, const struct segment *s)
{
	r->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
	r->count++;
	/* Four 4 EiB segments are no 0 B: sums saturate. */
	r->size = sat_add(r->size, s->size);
	r->used = sat_add(r->used, s->rss);
	if (s->kind == SEG_SYSV) {
		r->has |= HAS(SUM_SWAP);
		r->swap = sat_add(r->swap, s->swap);
	}
}

/* Add the holders of a segment to a row's PIDS (each PID once). */
static int row_pids(struct sumrow *r, const struct segment *s)
{
	size_t i, k;

	r->has |= HAS(SUM_PIDS);
	for (i = 0; s->scan && i < s->hcount; i++) {
		pid_t pid = s->scan->h[s->hfirst + i].pid;

		for (k = 0; k < r->npid && r->pidv[k] != pid; k++)
			;
		if (k < r->npid)
			continue;
		if (r->npid == r->cappid) {
			size_t cap = r->cappid ? 2 * r->cappid : 8;
			pid_t *v = reallocarray(r->pidv, cap, sizeof(*v));

			if (!v)
				return -ENOMEM;
			r->pidv = v;
			r->cappid = cap;
		}
		r->pidv[r->npid++] = pid;
	}
	return 0;
}

static void say_walk_gaps(const struct shm_usage *u)
{
	if (u->deep)
		msg("%s: %zu director%s nested deeper than %d levels: what "
		    "lies below counts as unexplained", shm_dir(), u->deep,
		    u->deep == 1 ? "y is" : "ies are", SHM_WALK_MAX_DEPTH);
	if (u->unopened)
		msg("%s: %zu director%s could not be read (%s): what lies "
		    "below counts as unexplained", shm_dir(), u->unopened,
		    u->unopened == 1 ? "y" : "ies", strerror(u->err));
}

/* What rm --unused would do here (never with another namespace's). */
static bool reclaimable(const struct segment *s)
{
	return s->disp == DISP_RECLAIMABLE && !s->foreign;
}

static bool uncertain(const struct segment *s)
{
	return s->disp == DISP_UNCERTAIN && !s->foreign;
}

static bool kept(const struct segment *s)
{
	return s->disp == DISP_KEPT && !s->foreign;
}

/* The plain summary: shm directory, SysV, reclaimable. */
static int summarize(struct inventory *inv, struct summary *rows,
		     const char *group, const struct segment **only,
		     size_t nonly, bool whole)
{
	const char *dir = shm_dir();
	struct sumrow *total = NULL, *named, *deleted, *notseg = NULL;
	struct sumrow *semr = NULL;
	struct sumrow *unexpl = NULL, *rec, *unver, *keptr, *stotal, *srec;
	struct sumrow *sunc, *skept, *smax;
	struct sumrow *mtotal, *atotal;
	struct shm_usage use = { 0 };
	size_t i;

	if (rows_reserve(rows) < 0)
		return -ENOMEM;
	if (whole) {
		total = row_add(rows, group, dir, "total");
		if (!total)
			return -ENOMEM;
		posix_usage(&use);
		if (use.have_vfs) {
			total->has |= HAS(SUM_MAXSIZE) | HAS(SUM_USED);
			total->maxsize = use.size;
			total->used = use.used;
		}
	}
	named = row_add(rows, group, dir, "named");
	deleted = row_add(rows, group, dir, "deleted");
	if (!named || !deleted)
		return -ENOMEM;
	named->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
	deleted->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
			HAS(SUM_PIDS);
	if (whole) {
		semr = row_add(rows, group, dir, "semaphore");
		notseg = row_add(rows, group, dir, "not-segment");
		unexpl = row_add(rows, group, dir, "unexplained");
		if (!semr || !notseg || !unexpl)
			return -ENOMEM;
		semr->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
		semr->count = use.sem.count;
		semr->size = use.sem.size;
		semr->used = use.sem.used;
		notseg->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
		notseg->count = use.other.count;
		notseg->size = use.other.size;
		notseg->used = use.other.used;
		say_walk_gaps(&use);
	}
	rec = row_add(rows, group, dir, "reclaimable");
	unver = row_add(rows, group, dir, "uncertain");
	keptr = row_add(rows, group, dir, "kept");
	stotal = row_add(rows, group, "sysv", "total");
	srec = row_add(rows, group, "sysv", "reclaimable");
	sunc = row_add(rows, group, "sysv", "uncertain");
	skept = row_add(rows, group, "sysv", "kept");
	smax = whole ? row_add(rows, group, "sysv", "per-segment-max") : NULL;
	/* memfds and shared anonymous memory: no file listing shows them */
	mtotal = row_add(rows, group, "memfd", "total");
	atotal = row_add(rows, group, "anon", "total");
	if (!rec || !unver || !keptr || !stotal || !srec || !sunc || !skept ||
	    (whole && !smax) || !mtotal || !atotal)
		return -ENOMEM;
	mtotal->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		       HAS(SUM_PIDS);
	atotal->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		       HAS(SUM_PIDS);
	rec->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
	unver->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
	keptr->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED);
	sunc->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		     HAS(SUM_SWAP);
	skept->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		      HAS(SUM_SWAP);
	stotal->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		       HAS(SUM_SWAP);
	srec->has |= HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED) |
		     HAS(SUM_SWAP);
	if (whole) {
		struct sysv_limits lim;

		sysv_limits(&lim);
		stotal->has |= HAS(SUM_MAXCOUNT) | HAS(SUM_MAXSIZE);
		stotal->maxcount = lim.shmmni;
		stotal->maxsize = lim.shmall_bytes;
		smax->has |= HAS(SUM_MAXSIZE);
		smax->maxsize = lim.shmmax;
	}

	for (i = 0; i < (only ? nonly : inv->segs.n); i++) {
		const struct segment *s = only ? only[i] : &inv->segs.v[i];

		if (s->kind == SEG_SYSV) {
			row_count(stotal, s);
			if (reclaimable(s))
				row_count(srec, s);
			else if (uncertain(s))
				row_count(sunc, s);
			else if (kept(s))
				row_count(skept, s);
			continue;
		}
		if (s->kind == SEG_MEMFD || s->kind == SEG_ANON) {
			struct sumrow *r = s->kind == SEG_MEMFD ? mtotal : atotal;

			row_count(r, s);
			if (row_pids(r, s) < 0)
				return -ENOMEM;
			continue;
		}
		if (s->status & SEG_ST_DELETED) {
			row_count(deleted, s);
			if (row_pids(deleted, s) < 0)
				return -ENOMEM;
			continue;
		}
		row_count(named, s);
		if (reclaimable(s))
			row_count(rec, s);
		else if (uncertain(s))
			row_count(unver, s);
		else if (kept(s))
			row_count(keptr, s);
	}
	if (whole && total->has & HAS(SUM_USED)) {
		uint64_t known = sat_add(sat_add(named->used, deleted->used),
					 sat_add(notseg->used, semr->used));

		unexpl->has |= HAS(SUM_USED);
		unexpl->used = total->used > known ? total->used - known : 0;
	}
	return 0;
}

void summary_free(struct summary *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].pidv);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static const char *user_of(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, len, "%s", pw->pw_name);
	else
		snprintf(buf, len, "%u", (unsigned int)uid);
	return buf;
}

/* Does the segment have a holding by this PID? */
static bool held_by(const struct segment *s, pid_t pid)
{
	size_t i;

	for (i = 0; s->scan && i < s->hcount; i++)
		if (s->scan->h[s->hfirst + i].pid == pid)
			return true;
	return false;
}

int summary_compute(struct inventory *inv, enum summary_by by,
		    struct summary *rows)
{
	const struct segment **only = NULL;
	size_t i, j, n;
	int rc;

	memset(rows, 0, sizeof(*rows));
	rc = summarize(inv, rows, "all", NULL, 0, true);
	if (rc == 0 && by != BY_NONE && inv->segs.n) {
		only = calloc(inv->segs.n, sizeof(*only));
		if (!only)
			rc = -ENOMEM;
	}
	if (rc == 0 && by == BY_USER) {
		/* One group per owner, in the order owners first appear. */
		for (i = 0; rc == 0 && i < inv->segs.n; i++) {
			uid_t uid = inv->segs.v[i].uid;
			char name[64];
			bool seen = false;

			for (j = 0; j < i && !seen; j++)
				seen = inv->segs.v[j].uid == uid;
			if (seen)
				continue;
			for (n = 0, j = i; j < inv->segs.n; j++)
				if (inv->segs.v[j].uid == uid &&
				    !inv->segs.v[j].nostat)
					only[n++] = &inv->segs.v[j];
			if (n)
				rc = summarize(inv, rows,
					       user_of(uid, name, sizeof(name)),
					       only, n, false);
		}
	} else if (rc == 0 && by == BY_PROCESS) {
		size_t np;
		const struct proc_info *procs = inventory_procs(inv, &np);

		for (i = 0; rc == 0 && i < np; i++) {
			const struct proc_info *p = &procs[i];
			char name[96];

			if (!p->holds)
				continue;

			for (n = 0, j = 0; j < inv->segs.n; j++)
				if (held_by(&inv->segs.v[j], p->pid))
					only[n++] = &inv->segs.v[j];
			snprintf(name, sizeof(name), "%d (%s)", (int)p->pid,
				 p->comm);
			if (n)
				rc = summarize(inv, rows, name, only, n, false);
		}
	}
	if (rc == 0 && by != BY_NONE) {
		/* In the groups, only the buckets that hold something. */
		for (i = j = 0; i < rows->n; i++) {
			struct sumrow *r = &rows->v[i];

			if (strcmp(r->group, "all") != 0 &&
			    (r->has & HAS(SUM_COUNT)) && r->count == 0) {
				free(r->pidv);
				continue;
			}
			rows->v[j++] = *r;
		}
		rows->n = j;
	}
	free(only);
	if (rc < 0)
		summary_free(rows);
	return rc;
}

const struct sumrow *summary_find(const struct summary *rows,
				  const char *area, const char *what)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].group, "all") == 0 &&
		    strcmp(rows->v[i].area, area) == 0 &&
		    strcmp(rows->v[i].what, what) == 0)
			return &rows->v[i];
	return NULL;
}

int summary_output(struct inventory *inv, const struct outopts *base,
		   enum summary_by by)
{
	struct summary rows;
	struct outopts o = *base;
	struct table_src t = {
		.defs = sumdefs,
		.ndefs = NSUMCOLS,
		.get = row_get,
		.rowsize = sizeof(struct sumrow),
	};
	size_t i;
	int rc;

	rc = summary_compute(inv, by, &rows);
	if (rc < 0)
		return rc;
	t.rows = rows.v;
	t.nrows = rows.n;
	o.ncols = 0;
	for (i = by == BY_NONE ? SUM_AREA : SUM_GROUP; i < NSUMCOLS; i++)
		o.cols[o.ncols++] = (int)i;
	o.sort_col = -1;
	rc = output_table(stdout, &t, &o, "summary");
	summary_free(&rows);
	return rc;
}
