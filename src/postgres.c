// SPDX-License-Identifier: MIT
/*
 * postgres.c - which segments belong to a PostgreSQL cluster (ARCHITECTURE.md, Verdicts).
 *
 * A live cluster keeps every segment it owns, attached or not: its main
 * segment, its DSM control segment and every segment the control lists
 * (the statistics segment of PostgreSQL 15 is attached by nobody when
 * autovacuum and logical replication are off).  A crashed cluster's
 * segments go together: PostgreSQL finds its dynamic segments on restart
 * only through the main segment's header, so the main segment never goes
 * while some of them stay.  Attribution comes from PostgreSQL's own data;
 * where it cannot be read, a running server of the segments' owner keeps
 * them all.
 *
 * Reading is careful: a main segment is read only while attached (as root
 * through an attacher's /proc/PID/map_files, without attaching it); a
 * segment nobody attaches is never attached, since a PostgreSQL starting
 * at that moment would find its old segment "still in use".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"
#include "segment.h"

/* ---- the pass over an inventory ------------------------------------- */

struct pgref {
	uint32_t id;		/* POSIX: the handle; SysV: the key */
	struct segment *seg;
};

struct pgctx {
	struct inventory *inv;
	struct pgref *posix, *sysv;	/* sorted by id */
	size_t nposix, nsysv;
	bool *touched;		/* a live cluster's segment (by index) */
	uid_t *fallback;	/* owners with a server we could not read */
	size_t nfallback;
	struct {
		uid_t uid;
		enum seg_disp w;
	} *left;		/* crashed clusters' weakest, per owner */
	size_t nleft;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct pgref *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static struct segment *find_ref(const struct pgref *v, size_t n, uint32_t id,
				uid_t uid)
{
	struct pgref key = { .id = id };
	const struct pgref *r = bsearch(&key, v, n, sizeof(*v), cmp_ref);

	if (!r)
		return NULL;
	/* Equal ids sit together: the one of this owner. */
	while (r > v && r[-1].id == id)
		r--;
	for (; r < v + n && r->id == id; r++)
		if (r->seg->uid == uid)
			return r->seg;
	return NULL;
}

/* Is this segment one that rm --unused might consider? */
static bool unheld(const struct segment *s)
{
	return s->disp == DISP_RECLAIMABLE || s->disp == DISP_UNCERTAIN;
}

static void keep(struct pgctx *c, struct segment *s, enum seg_keep why,
		 int shmid)
{
	c->touched[s - c->inv->segs.v] = true;
	if (!unheld(s))
		return;
	s->disp = DISP_KEPT;
	s->status |= SEG_ST_KEPT;
	s->keep = why;
	s->keep_shmid = shmid;
}

/* How strongly a group member holds its group back: held or kept is
 * "kept", then uncertain, then reclaimable. */
static enum seg_disp level(const struct segment *s)
{
	return s->disp == DISP_NONE ? DISP_KEPT : s->disp;
}

/* Hold a segment back to the level w of the rest of its cluster. */
static void weaken(struct segment *s, enum seg_disp w)
{
	if (!unheld(s) || w <= s->disp)
		return;
	s->keep = KEEP_PG_LEFTOVER;
	if (w == DISP_KEPT) {
		s->disp = DISP_KEPT;
		s->status |= SEG_ST_KEPT;
	} else {
		s->disp = DISP_UNCERTAIN;
		s->status |= SEG_ST_UNVERIFIED;
	}
}

static int build_index(struct pgctx *c)
{
	struct seglist *l = &c->inv->segs;
	size_t i;

	c->posix = calloc(l->n + 1, sizeof(*c->posix));
	c->sysv = calloc(l->n + 1, sizeof(*c->sysv));
	c->touched = calloc(l->n + 1, sizeof(*c->touched));
	if (!c->posix || !c->sysv || !c->touched)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		struct segment *s = &l->v[i];
		uint32_t h;

		if (s->foreign)
			continue;
		if (s->kind == SEG_POSIX && !(s->status & SEG_ST_DELETED) &&
		    pg_dsm_name_handle(seg_name(s), &h))
			c->posix[c->nposix++] = (struct pgref){ h, s };
		else if (s->kind == SEG_SYSV && s->key != 0)
			c->sysv[c->nsysv++] = (struct pgref){ (uint32_t)s->key,
							      s };
	}
	qsort(c->posix, c->nposix, sizeof(*c->posix), cmp_ref);
	qsort(c->sysv, c->nsysv, sizeof(*c->sysv), cmp_ref);
	return 0;
}

static int peek(const struct inventory *inv, const struct segment *s,
		uint64_t off, void *buf, size_t len)
{
	const struct backend_ops *ops = backend_for(s->kind);
	size_t got = 0;
	int rc;

	if (!ops || !ops->peek)
		return -ENOTSUP;
	rc = ops->peek(s, &inv->scan, off, buf, len, &got);
	if (rc < 0)
		return rc;
	return got < len ? -EINVAL : 0;
}

/* Items of a control segment read at a time: 160 KiB. */
#define ITEMS_PER_READ 4096

/* The handles a control segment lists (malloc'd).  0 or -errno. */
static int read_control(const struct inventory *inv, const struct segment *ctl,
			uint32_t **handles, size_t *n)
{
	unsigned char hdr[PG_DSM_HDR_SIZE], *buf;
	uint32_t nitems = 0, done;
	size_t itemsize = 0;
	int rc;

	*handles = NULL;
	*n = 0;
	rc = peek(inv, ctl, 0, hdr, sizeof(hdr));
	if (rc == 0)
		rc = pg_parse_dsm_header(hdr, sizeof(hdr), ctl->size, &nitems,
					 &itemsize);
	if (rc < 0)
		return rc;
	buf = malloc(PG_DSM_HDR_SIZE + ITEMS_PER_READ * itemsize);
	*handles = calloc((size_t)nitems + 1, sizeof(**handles));
	if (!buf || !*handles) {
		free(buf);
		free(*handles);
		*handles = NULL;
		return -ENOMEM;
	}
	/* In chunks: a planted "control segment" costs us no more than a
	 * real one could. */
	for (done = 0; rc == 0 && done < nitems;) {
		uint32_t k = nitems - done > ITEMS_PER_READ ? ITEMS_PER_READ
							    : nitems - done;

		rc = peek(inv, ctl, PG_DSM_HDR_SIZE + (uint64_t)done * itemsize,
			  buf + PG_DSM_HDR_SIZE, (size_t)k * itemsize);
		if (rc == 0)
			*n += pg_dsm_handles(buf, PG_DSM_HDR_SIZE +
						  (size_t)k * itemsize,
					     k, itemsize, *handles + *n);
		done += k;
	}
	free(buf);
	return rc;
}

/* The control segment of a handle, of this owner: POSIX or SysV. */
static struct segment *control_of(struct pgctx *c, uint32_t h, uid_t uid)
{
	struct segment *s = find_ref(c->posix, c->nposix, h, uid);

	return s ? s : find_ref(c->sysv, c->nsysv,
				(uint32_t)pg_dsm_sysv_key(h), uid);
}

static void members_apply(struct pgctx *c, const uint32_t *hv, size_t n,
			  uid_t uid, int shmid, enum seg_disp *w, int group)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct segment *m[2] = {
			find_ref(c->posix, c->nposix, hv[i], uid),
			find_ref(c->sysv, c->nsysv,
				 (uint32_t)pg_dsm_sysv_key(hv[i]), uid),
		};
		size_t k;

		for (k = 0; k < 2; k++) {
			if (!m[k])
				continue;
			if (w) {	/* a crashed cluster: its weakest */
				if (level(m[k]) > *w)
					*w = level(m[k]);
				if (!m[k]->pg_group &&
				    !c->touched[m[k] - c->inv->segs.v])
					m[k]->pg_group = group;
			} else {
				keep(c, m[k], KEEP_PG_CLUSTER, shmid);
			}
		}
	}
}

static int add_uid(uid_t **v, size_t *n, uid_t uid)
{
	uid_t *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == uid)
			return 0;
	nv = reallocarray(*v, *n + 1, sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = uid;
	return 0;
}

/* Is the segment attached by a PostgreSQL process? */
static bool pg_attached(const struct inventory *inv, const struct segment *s)
{
	size_t i;

	for (i = 0; s->scan && i < s->hcount; i++) {
		const struct proc_info *p =
			scan_proc(&inv->scan, inv->scan.h[s->hfirst + i].pid);

		if (p && p->postmaster)
			return true;
	}
	return false;
}

/*
 * Live clusters: a main segment attached by PostgreSQL processes.  Its
 * control segment and what that lists are kept.  The attaching processes
 * are marked attributed (their owner needs no fallback).
 */
static int live_clusters(struct pgctx *c, bool *attributed)
{
	struct inventory *inv = c->inv;
	size_t i, k;
	int rc;

	for (i = 0; i < inv->segs.n; i++) {
		struct segment *s = &inv->segs.v[i], *ctl;
		unsigned char buf[PG_SHMEM_HDR_SIZE];
		struct pg_shmem_hdr hdr;
		uint32_t *hv;
		size_t n;

		/* Attached by PostgreSQL processes, or by processes out of
		 * sight (a postmaster in another PID namespace). */
		if (s->kind != SEG_SYSV || s->foreign || s->nattch == 0 ||
		    s->size < PG_SHMEM_HDR_SIZE ||
		    (s->status & SEG_ST_DEST) ||
		    (!pg_attached(inv, s) && s->hcount != 0))
			continue;
		if (peek(inv, s, 0, buf, sizeof(buf)) < 0 ||
		    pg_parse_shmem_header(buf, sizeof(buf), &hdr) < 0)
			continue;	/* not PostgreSQL's, or unreadable */
		ctl = hdr.dsm_control ? control_of(c, hdr.dsm_control, s->uid)
				      : NULL;
		hv = NULL;
		n = 0;
		if (ctl) {
			rc = read_control(inv, ctl, &hv, &n);
			if (rc == -ENOMEM)
				return rc;
			if (rc < 0)
				continue;	/* unread: the fallback */
			keep(c, ctl, KEEP_PG_CLUSTER, s->shmid);
			members_apply(c, hv, n, s->uid, s->shmid, NULL, 0);
			free(hv);
		}
		/* Without a control segment in the shm directory or SysV
		 * (dynamic_shared_memory_type=mmap), it has none here. */
		keep(c, s, KEEP_PG_CLUSTER, s->shmid);
		for (k = 0; k < s->hcount; k++) {
			const struct proc_info *p = scan_proc(
				&inv->scan, inv->scan.h[s->hfirst + k].pid);

			if (p)
				attributed[p - inv->scan.procs] = true;
		}
	}
	return 0;
}

static int note_left(struct pgctx *c, uid_t uid, enum seg_disp w)
{
	size_t i;
	void *nv;

	for (i = 0; i < c->nleft; i++) {
		if (c->left[i].uid == uid) {
			if (w > c->left[i].w)
				c->left[i].w = w;
			return 0;
		}
	}
	nv = reallocarray(c->left, c->nleft + 1, sizeof(*c->left));
	if (!nv)
		return -ENOMEM;
	c->left = nv;
	c->left[c->nleft].uid = uid;
	c->left[c->nleft].w = w;
	c->nleft++;
	return 0;
}

/*
 * Crashed clusters, known by their POSIX control segments: a control
 * segment stays while some segment it lists stays; and the owner's
 * unattached SysV segments (its main segment among them, which cannot be
 * read without attaching it) stay as long as any of that is held back.
 */
static int crashed_clusters(struct pgctx *c)
{
	size_t i;
	int rc, group = 0;

	for (i = 0; i < c->nposix; i++) {
		struct segment *p = c->posix[i].seg;
		enum seg_disp w;
		uint32_t *hv;
		size_t n;

		if (c->touched[p - c->inv->segs.v] || p->disp == DISP_KEPT)
			continue;
		rc = read_control(c->inv, p, &hv, &n);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0)
			continue;	/* a plain dynamic segment */
		w = level(p);
		p->pg_group = ++group;
		p->pg_control = true;
		members_apply(c, hv, n, p->uid, -1, &w, group);
		free(hv);
		weaken(p, w);
		rc = note_left(c, p->uid, w);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < c->nleft; i++) {
		size_t k;

		for (k = 0; k < c->inv->segs.n; k++) {
			struct segment *s = &c->inv->segs.v[k];

			if (s->kind != SEG_SYSV || s->foreign ||
			    s->uid != c->left[i].uid || c->touched[k] ||
			    !unheld(s))
				continue;
			s->pg_tied = true;
			weaken(s, c->left[i].w);
		}
	}
	return 0;
}

/* Owners with a running server whose segments we could not attribute:
 * every unattached SysV and PostgreSQL.* segment of theirs is kept. */
static int owner_fallback(struct pgctx *c, const bool *attributed)
{
	const struct scan *sc = &c->inv->scan;
	size_t i, k;
	int rc;

	for (i = 0; i < sc->nprocs; i++) {
		if (!sc->procs[i].postmaster || attributed[i])
			continue;
		rc = add_uid(&c->fallback, &c->nfallback, sc->procs[i].uid);
		if (rc < 0)
			return rc;
	}
	for (k = 0; k < c->inv->segs.n; k++) {
		struct segment *s = &c->inv->segs.v[k];
		uint32_t h;

		if (s->foreign || !unheld(s))
			continue;
		if (s->kind != SEG_SYSV &&
		    !(s->kind == SEG_POSIX && pg_dsm_name_handle(seg_name(s), &h)))
			continue;
		for (i = 0; i < c->nfallback; i++)
			if (s->uid == c->fallback[i] ||
			    (s->kind == SEG_SYSV && s->cuid == c->fallback[i]))
				keep(c, s, KEEP_PG_OWNER, -1);
	}
	return 0;
}

int pg_attribute(struct inventory *inv)
{
	struct pgctx c = { .inv = inv };
	bool *attributed;
	int rc;

	if (!inv->scanned)
		return 0;
	attributed = calloc(inv->scan.nprocs + 1, sizeof(*attributed));
	rc = attributed ? build_index(&c) : -ENOMEM;
	if (rc == 0)
		rc = live_clusters(&c, attributed);
	if (rc == 0)
		rc = crashed_clusters(&c);
	if (rc == 0)
		rc = owner_fallback(&c, attributed);
	free(attributed);
	free(c.posix);
	free(c.sysv);
	free(c.touched);
	free(c.fallback);
	free(c.left);
	return rc;
}
