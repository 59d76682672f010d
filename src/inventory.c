// SPDX-License-Identifier: MIT
/*
 * inventory.c - join the segment lists with the /proc scan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "paths.h"
#include "util.h"

/*
 * Is the creator of a SysV segment gone?  Its PID does not exist, or
 * belongs to a process that started after the segment last changed (PID
 * reuse: the creator started before it created the segment).  A cpid of 0
 * (a creator outside our PID namespace) tells nothing.
 */
static bool creator_gone(const struct segment *seg)
{
	double start;
	int rc;

	if (seg->cpid <= 0)
		return false;
	rc = proc_start_time(seg->cpid, &start);
	if (rc == -ENOENT)
		return true;
	/* ctime is rounded down: the creator started before ctime + 1. */
	return rc == 0 && start >= (double)seg->ctime + 1.0;
}

static bool postgres_pinned(const struct segment *seg,
			    const struct scan *scan)
{
	return scan && seg->kind == SEG_POSIX &&
	       strncmp(seg->name, "PostgreSQL.", 11) == 0 &&
	       scan_postgres_runs(scan, seg->uid);
}

void segment_link(struct segment *seg, const struct scan *scan)
{
	size_t i;

	if (seg->kind == SEG_MEMFD || seg->kind == SEG_ANON) {
		/* Linked by their holdings when listed; through a target,
		 * find them by (dev, ino). */
		if (scan) {
			seg->scan = scan;
			seg->hfirst = scan_find(scan, seg->kind, seg->dev,
						seg->ino, &seg->hcount);
		}
		return;
	}
	seg->status &= ~(SEG_ST_UNUSED | SEG_ST_UNVERIFIED | SEG_ST_ORPHAN);
	if (seg->kind == SEG_SYSV) {
		/* The kernel's count is authoritative (DESIGN §7). */
		if (seg->nattch == 0) {
			seg->status |= SEG_ST_UNUSED;
			if (creator_gone(seg))
				seg->status |= SEG_ST_ORPHAN;
		}
	}
	if (!scan)
		return;
	seg->scan = scan;
	if (seg->kind == SEG_SYSV) {
		seg->hfirst = scan_find_sysv(scan, seg->shmid, &seg->hcount);
		for (i = 0; i < seg->hcount; i++)
			if (scan->h[seg->hfirst + i].hugetlb)
				seg->status |= SEG_ST_HUGETLB;
		return;
	}
	seg->hfirst = scan_find(scan, SEG_POSIX, seg->dev, seg->ino,
				&seg->hcount);
	if (seg->hcount == 0 && !(seg->status & SEG_ST_DELETED) &&
	    !postgres_pinned(seg, scan))
		seg->status |= scan->ndenied ? SEG_ST_UNVERIFIED
					     : SEG_ST_UNUSED;
}

static void fill_deleted(struct segment *s, const struct scan *scan,
			 size_t first, size_t n)
{
	const struct holding *h = &scan->h[first];
	const struct stat *st = NULL;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	snprintf(s->name, sizeof(s->name), "%s", h->name ? h->name : "");
	s->dev = h->dev;
	s->ino = (ino_t)h->ino;
	s->status = SEG_ST_DELETED;
	for (i = 0; i < n && !st; i++)
		if (scan->h[first + i].has_stat)
			st = &scan->h[first + i].st;
	if (st) {
		s->uid = st->st_uid;
		s->gid = st->st_gid;
		s->mode = st->st_mode & 0777;
		s->size = (uint64_t)st->st_size;
		s->rss = (uint64_t)st->st_blocks * 512;
		s->has_rss = true;
		s->atime = st->st_atime;
		s->mtime = st->st_mtime;
		s->ctime = st->st_ctime;
	} else {
		s->nostat = true;
	}
	s->scan = scan;
	s->hfirst = first;
	s->hcount = n;
}

/* POSIX holdings that no listed segment claimed and that are unlinked. */
static int add_deleted(struct inventory *inv, const bool *claimed)
{
	const struct scan *scan = &inv->scan;
	size_t i = 0;

	while (i < scan->nh) {
		const struct holding *h = &scan->h[i];
		size_t j = i + 1;
		bool deleted = h->deleted;

		while (j < scan->nh && scan->h[j].kind == h->kind &&
		       scan->h[j].ino == h->ino && scan->h[j].dev == h->dev) {
			deleted |= scan->h[j].deleted;
			j++;
		}
		if (h->kind == SEG_POSIX && !claimed[i] && deleted) {
			struct segment *s = seglist_add(&inv->segs);

			if (!s)
				return -ENOMEM;
			fill_deleted(s, scan, i, j - i);
		}
		i = j;
	}
	return 0;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct segment *x = a, *y = b;

	int r;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->kind == SEG_SYSV)
		return (x->shmid > y->shmid) - (x->shmid < y->shmid);
	r = strcmp(x->name, y->name);
	if (r == 0)
		r = (x->ino > y->ino) - (x->ino < y->ino);
	return r;
}

/* One row per memfd or shared anonymous region, from its holdings. */
static int add_shmem_rows(struct inventory *inv)
{
	const struct scan *scan = &inv->scan;
	size_t i = 0;

	while (i < scan->nh) {
		const struct holding *h = &scan->h[i], *via = NULL;
		const struct stat *st = NULL;
		size_t j = i, npids = 0;
		uint64_t extent = 0;
		pid_t last = -1;
		struct segment *s;

		while (j < scan->nh && scan->h[j].kind == h->kind &&
		       scan->h[j].ino == h->ino && scan->h[j].dev == h->dev)
			j++;
		if (h->kind != SEG_MEMFD && h->kind != SEG_ANON) {
			i = j;
			continue;
		}
		for (size_t k = i; k < j; k++) {
			const struct holding *x = &scan->h[k];

			/* sorted by pid within the group */
			if (x->pid != last)
				npids++;
			last = x->pid;
			if (!st && x->has_stat)
				st = &x->st;
			if (x->how == HOW_FD && (!via || via->how != HOW_FD))
				via = x;
			if (!via)
				via = x;
			if (x->how == HOW_MAP && x->offset + (x->end - x->start) >
						       extent)
				extent = x->offset + (x->end - x->start);
		}
		/* Anonymous memory counts only when processes share it. */
		if (h->kind == SEG_ANON && npids < 2) {
			i = j;
			continue;
		}
		s = seglist_add(&inv->segs);
		if (!s)
			return -ENOMEM;
		s->kind = h->kind;
		s->shmid = -1;
		snprintf(s->name, sizeof(s->name), "%s", h->name ? h->name : "");
		s->dev = h->dev;
		s->ino = (ino_t)h->ino;
		s->via_pid = via->pid;
		s->via_fd = via->how == HOW_FD ? via->fd : -1;
		s->via_start = via->start;
		s->via_end = via->end;
		if (st) {
			s->uid = st->st_uid;
			s->gid = st->st_gid;
			s->mode = st->st_mode & 0777;
			s->size = (uint64_t)st->st_size;
			s->rss = (uint64_t)st->st_blocks * 512;
			s->has_rss = true;
			s->atime = st->st_atime;
			s->mtime = st->st_mtime;
			s->ctime = st->st_ctime;
		} else {
			s->nostat = true;
			s->size = extent;
		}
		s->scan = scan;
		s->hfirst = i;
		s->hcount = j - i;
		i = j;
	}
	return 0;
}

int inventory_load(struct inventory *inv, const struct inv_opts *o,
		   const char **what)
{
	struct scan_opts so = { .memfd = o->memfd, .anon = o->anon };
	bool scan = o->scan || o->memfd || o->anon;
	bool *claimed = NULL;
	size_t i, nlisted;
	int rc;

	memset(inv, 0, sizeof(*inv));
	if (o->sysv) {
		rc = sysv_backend.list(&inv->segs);
		if (rc < 0) {
			*what = "listing System V segments";
			return rc;
		}
	}
	if (o->posix) {
		rc = posix_backend.list(&inv->segs);
		if (rc < 0) {
			*what = "listing POSIX segments";
			return rc;
		}
	}
	if (scan) {
		rc = procscan(&inv->scan, &so);
		if (rc < 0 && o->scan_required) {
			*what = "scanning processes";
			return rc;
		}
		if (rc < 0) {
			/* Still list what the kernel says; no verdicts that
			 * need the scan, and say why. */
			msg_errno(-rc, "cannot scan processes in %s",
				  proc_root());
			scan = false;
		} else {
			inv->scanned = true;
		}
	}
	nlisted = inv->segs.n;
	for (i = 0; i < nlisted; i++)
		segment_link(&inv->segs.v[i], scan ? &inv->scan : NULL);
	rc = 0;
	if (scan && o->posix && inv->scan.nh) {
		claimed = calloc(inv->scan.nh, sizeof(*claimed));
		if (!claimed) {
			*what = "memory";
			return -ENOMEM;
		}
		for (i = 0; i < nlisted; i++) {
			const struct segment *s = &inv->segs.v[i];
			size_t k;

			for (k = 0; k < s->hcount; k++)
				claimed[s->hfirst + k] = true;
		}
		rc = add_deleted(inv, claimed);
		free(claimed);
	}
	if (rc == 0 && scan && (o->memfd || o->anon))
		rc = add_shmem_rows(inv);
	if (rc < 0) {
		*what = "memory";
		return rc;
	}
	/* SysV by shmid, then POSIX by name, memfd, anon: the order ls
	 * shows (and inventory_find_sysv's binary search relies on). */
	if (inv->segs.n > 1)
		qsort(inv->segs.v, inv->segs.n, sizeof(*inv->segs.v), cmp_seg);
	return 0;
}

void inventory_free(struct inventory *inv)
{
	free(inv->pidx);
	inv->pidx = NULL;
	inv->npidx = 0;
	seglist_free(&inv->segs);
	if (inv->scanned)
		scan_free(&inv->scan);
	inv->scanned = false;
}

static int cmp_posix(const void *a, const void *b)
{
	const struct segment *x = *(const struct segment *const *)a;
	const struct segment *y = *(const struct segment *const *)b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->dev > y->dev) - (x->dev < y->dev);
}

const struct segment *inventory_find_posix(struct inventory *inv, dev_t dev,
					   uint64_t ino)
{
	struct segment key = { .dev = dev, .ino = (ino_t)ino };
	const struct segment *kp = &key, **hit;
	size_t i;

	if (!inv->pidx && inv->segs.n) {
		inv->pidx = malloc(inv->segs.n * sizeof(*inv->pidx));
		if (!inv->pidx)
			return NULL;
		for (i = 0; i < inv->segs.n; i++)
			if (inv->segs.v[i].kind == SEG_POSIX)
				inv->pidx[inv->npidx++] = &inv->segs.v[i];
		qsort(inv->pidx, inv->npidx, sizeof(*inv->pidx), cmp_posix);
	}
	if (!inv->npidx)
		return NULL;
	hit = bsearch(&kp, inv->pidx, inv->npidx, sizeof(*inv->pidx),
		      cmp_posix);
	return hit ? *hit : NULL;
}

const struct segment *inventory_find_sysv(const struct inventory *inv,
					  int shmid)
{
	size_t lo = 0, hi = inv->segs.n;

	/* The list is sorted by cmp_seg: SysV first, by shmid. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct segment *s = &inv->segs.v[mid];

		if (s->kind == SEG_SYSV && s->shmid < shmid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < inv->segs.n && inv->segs.v[lo].kind == SEG_SYSV &&
	    inv->segs.v[lo].shmid == shmid)
		return &inv->segs.v[lo];
	return NULL;
}

void holding_target(struct inventory *inv, const struct holding *h,
		    char *buf, size_t len)
{
	const struct segment *s;
	char esc[NAME_ESC_MAX];

	if (h->kind == SEG_SYSV) {
		snprintf(buf, len, "%d", (int)h->ino);
		return;
	}
	if (h->kind == SEG_MEMFD || h->kind == SEG_ANON) {
		const char *k = h->kind == SEG_MEMFD ? "memfd" : "anon";

		if (h->how == HOW_FD)
			snprintf(buf, len, "%s:%d:%d", k, (int)h->pid, h->fd);
		else
			snprintf(buf, len, "%s:%d:%llx-%llx", k, (int)h->pid,
				 (unsigned long long)h->start,
				 (unsigned long long)h->end);
		return;
	}
	s = inventory_find_posix(inv, h->dev, h->ino);
	name_escape(s ? s->name : h->name ? h->name : "", esc, sizeof(esc));
	snprintf(buf, len, "/%s", esc);
}
