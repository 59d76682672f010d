// SPDX-License-Identifier: MIT
/*
 * inventory.c - join the segment lists with the /proc scan.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "inventory.h"
#include "ns.h"
#include "parse.h"
#include "paths.h"
#include "postgres.h"
#include "msg.h"

/* The SysV verdict of an unattached segment: by its creator. */
static void sysv_verdict(struct segment *seg, const struct scan *scan)
{
	enum creator_state cs = scan_creator(scan, seg->cpid, seg->ctime);

	seg->status |= SEG_ST_UNUSED;
	if (cs == CREATOR_DEAD) {
		seg->status |= SEG_ST_ORPHAN;
		seg->disp = DISP_RECLAIMABLE;
	} else {
		/* A creator that lives may attach again any moment; one out
		 * of sight may be another namespace's (ARCHITECTURE.md, Verdicts). */
		seg->status |= cs == CREATOR_ALIVE ? SEG_ST_CREATOR_ALIVE
						   : SEG_ST_CREATOR_UNSEEN;
		seg->disp = DISP_UNCERTAIN;
	}
}

void segment_link(struct segment *seg, const struct scan *scan)
{
	size_t i, first, count;

	if (seg->kind == SEG_MEMFD || seg->kind == SEG_ANON) {
		/* Linked by their holdings when listed; through a target,
		 * find them by (dev, ino). */
		if (scan) {
			seg->scan = scan;
			first = scan_find(scan, seg->kind, seg->dev, seg->ino,
					  &count);
			segment_set_holders(seg, first, count);
		}
		return;
	}
	seg->status &= ~(SEG_ST_UNUSED | SEG_ST_UNVERIFIED | SEG_ST_ORPHAN |
			 SEG_ST_CREATOR_ALIVE | SEG_ST_CREATOR_UNSEEN |
			 SEG_ST_KEPT);
	seg->disp = DISP_NONE;
	seg->keep = KEEP_NONE;
	if (!scan)
		return;
	seg->scan = scan;
	if (seg->kind == SEG_SYSV) {
		first = scan_find_sysv(scan, seg->shmid,
				       seg->ipcns ? seg->ipcns : scan->ipc_ns,
				       &count);
		segment_set_holders(seg, first, count);
		for (i = 0; i < seg->hcount; i++)
			if (scan->h[seg->hfirst + i].hugetlb)
				seg->status |= SEG_ST_HUGETLB;
		/* The kernel's count is authoritative (ARCHITECTURE.md, Verdicts): it sees
		 * attachers of every PID namespace. */
		if (seg->nattch == 0)
			sysv_verdict(seg, scan);
		return;
	}
	first = scan_find(scan, SEG_POSIX, seg->dev, seg->ino, &count);
	segment_set_holders(seg, first, count);
	if (seg->hcount || (seg->status & SEG_ST_DELETED))
		return;
	/* Nobody was seen to hold it: unused only if all was seen. */
	if (scan_complete(scan)) {
		seg->status |= SEG_ST_UNUSED;
		seg->disp = DISP_RECLAIMABLE;
	} else {
		seg->status |= SEG_ST_UNVERIFIED;
		seg->disp = DISP_UNCERTAIN;
	}
}

static int fill_deleted(struct segment *s, const struct scan *scan,
			size_t first, size_t n)
{
	const struct holding *h = &scan->h[first];
	const struct stat *st = NULL;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	if (segment_set_name(s, h->name ? h->name : "") < 0)
		return -ENOMEM;
	s->sem = is_semaphore_name(seg_name(s));
	s->dev = h->dev;
	s->ino = (ino_t)h->ino;
	s->status = SEG_ST_DELETED;
	for (i = 0; i < n && !st; i++)
		if (scan->h[first + i].has_stat)
			st = &scan->h[first + i].st;
	if (st)
		segment_set_stat(s, st);
	else
		s->nostat = true;
	/* Its name is gone (and may be another file's now): its TARGET is
	 * a holder, an fd where one has it, else a mapping (ARCHITECTURE.md,
	 * Targets).  The first of them, as the scan sorts them. */
	for (i = 0; i < n; i++) {
		const struct holding *x = &scan->h[first + i];

		if (x->how == HOW_EXE ||
		    (s->via_pid > 0 && (s->via_fd >= 0 || x->how != HOW_FD)))
			continue;
		s->via_pid = x->pid;
		s->via_fd = x->how == HOW_FD ? x->fd : -1;
		s->via_start = x->start;
		s->via_end = x->end;
	}
	s->scan = scan;
	segment_set_holders(s, first, n);
	return 0;
}

/*
 * The end of the run of holdings of one object (same kind, inode and
 * device) that starts at i: the scan sorts them together.
 */
static size_t group_end(const struct scan *scan, size_t i)
{
	const struct holding *h = &scan->h[i];
	size_t j = i + 1;

	while (j < scan->nh && scan->h[j].kind == h->kind &&
	       scan->h[j].ino == h->ino && scan->h[j].dev == h->dev)
		j++;
	return j;
}

/* POSIX holdings that no listed segment claimed and that are unlinked
 * (semaphores among them only with sem). */
static int add_deleted(struct inventory *inv, const bool *claimed, bool sem)
{
	const struct scan *scan = &inv->scan;
	size_t i = 0;

	while (i < scan->nh) {
		const struct holding *h = &scan->h[i];
		size_t j = group_end(scan, i), k;
		bool deleted = false;

		for (k = i; k < j; k++)
			deleted |= scan->h[k].deleted;
		if (h->kind == SEG_POSIX && !claimed[i] && deleted &&
		    (sem || !h->name || !is_semaphore_name(h->name))) {
			struct segment *s = seglist_add(&inv->segs);

			if (!s || fill_deleted(s, scan, i, j - i) < 0)
				return -ENOMEM;
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
	r = strcmp(seg_name(x), seg_name(y));
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
		size_t j = group_end(scan, i), npids = 0;
		uint64_t extent = 0;
		pid_t last = -1;
		struct segment *s;

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
		if (segment_set_name(s, h->name ? h->name : "") < 0)
			return -ENOMEM;
		s->dev = h->dev;
		s->ino = (ino_t)h->ino;
		s->via_pid = via->pid;
		s->via_fd = via->how == HOW_FD ? via->fd : -1;
		s->via_start = via->start;
		s->via_end = via->end;
		if (st) {
			segment_set_stat(s, st);
		} else {
			s->nostat = true;
			s->size = extent;
		}
		s->scan = scan;
		segment_set_holders(s, i, j - i);
		i = j;
	}
	return 0;
}

static int add_dev(dev_t **v, size_t *n, dev_t d)
{
	dev_t *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == d)
			return 0;
	nv = reallocarray(*v, *n + 1, sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = d;
	return 1;
}

/* A shm directory listed already (by device and inode: one tmpfs may be
 * mounted, or bound in part, in several places)?  1 if new, 0, -ENOMEM. */
struct dirid {
	dev_t dev;
	ino_t ino;
};

static int add_dir(struct dirid **v, size_t *n, const struct stat *st)
{
	struct dirid *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].dev == st->st_dev && (*v)[i].ino == st->st_ino)
			return 0;
	nv = reallocarray(*v, *n + 1, sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n].dev = st->st_dev;
	nv[(*n)++].ino = st->st_ino;
	return 1;
}

/*
 * Add the segments of the other namespaces: SysV of every other IPC
 * namespace, POSIX of every other shm directory (by directory) seen through
 * /proc/PID/root.  Rows are tagged with their namespace and a hint of
 * whose it is, and marked foreign.  *devs gets the other shm directories'
 * devices (malloc'd).  Every namespace that cannot be listed is said.
 */
static int add_other_namespaces(struct inventory *inv, dev_t **devs,
				size_t *ndevs)
{
	struct nsinfo *ipc = NULL, *mnt = NULL;
	struct dirid *dirs = NULL;
	size_t nipc = 0, nmnt = 0, ndirs = 0, i, k;
	struct stat st;
	uint64_t my_ipc = 0, my_mnt = 0;
	const char *hint;
	int rc = 0, dfd;

	ns_self(&my_ipc, &my_mnt);
	dfd = shm_dir_open();
	if (dfd >= 0) {
		if (fstat(dfd, &st) == 0 &&
		    (add_dev(devs, ndevs, st.st_dev) < 0 ||
		     add_dir(&dirs, &ndirs, &st) < 0))
			rc = -ENOMEM;
		close(dfd);
	}
	if (rc < 0) {
		free(dirs);
		return rc;
	}
	/* Ours first: tag what is already listed. */
	for (i = 0; i < inv->segs.n; i++) {
		struct segment *s = &inv->segs.v[i];

		if (s->kind == SEG_SYSV)
			s->ipcns = my_ipc;
		else if (s->kind == SEG_POSIX)
			s->mntns = my_mnt;
		s->nshint = "current";
	}
	rc = ns_enumerate(&ipc, &nipc, &mnt, &nmnt);
	for (i = 0; rc == 0 && i < nipc; i++) {
		size_t before = inv->segs.n;
		int lrc;

		if (ipc[i].ino == my_ipc)
			continue;
		lrc = sysv_list_ns(ipc[i].pid, ipc[i].ino, &inv->segs);
		if (lrc == -ESRCH)
			continue;	/* it left, and maybe the namespace */
		if (lrc == -ENOMEM) {
			rc = lrc;
			break;
		}
		if (lrc < 0)
			msg_errno(-lrc, "cannot list the SysV segments of IPC "
				  "namespace %llu (%s)",
				  (unsigned long long)ipc[i].ino, ipc[i].hint);
		hint = segment_pool_str(ipc[i].hint);
		if (!hint) {
			rc = -ENOMEM;
			break;
		}
		for (k = before; k < inv->segs.n; k++) {
			inv->segs.v[k].foreign = true;
			inv->segs.v[k].ipcns = ipc[i].ino;
			inv->segs.v[k].nshint = hint;
		}
	}
	for (i = 0; rc == 0 && i < nmnt; i++) {
		size_t before = inv->segs.n;
		int added, lrc;

		if (mnt[i].ino == my_mnt)
			continue;
		dfd = ns_shm_dir(mnt[i].pid);
		if (dfd == -ENOENT || dfd == -ESRCH)
			continue;	/* no shm directory there, or it left */
		if (dfd < 0) {
			msg("cannot list %s of mount namespace %llu (%s): %s",
			    shm_dir(), (unsigned long long)mnt[i].ino,
			    mnt[i].hint, shm_dir_strerror(dfd));
			continue;
		}
		added = fstat(dfd, &st) < 0 ? -errno
					    : add_dir(&dirs, &ndirs, &st);
		if (added > 0 && add_dev(devs, ndevs, st.st_dev) < 0)
			added = -ENOMEM;
		if (added <= 0) {
			close(dfd);	/* the same directory as one listed */
			if (added == -ENOMEM)
				rc = added;
			continue;
		}
		lrc = posix_list_fd(dfd, &inv->segs);
		if (lrc == -ENOMEM) {
			rc = lrc;
			break;
		}
		if (lrc < 0)
			msg_errno(-lrc, "cannot list the shm directory %s of "
				  "mount namespace %llu (%s)", shm_dir(),
				  (unsigned long long)mnt[i].ino, mnt[i].hint);
		hint = segment_pool_str(mnt[i].hint);
		if (!hint) {
			rc = -ENOMEM;
			break;
		}
		for (k = before; k < inv->segs.n; k++) {
			inv->segs.v[k].foreign = true;
			inv->segs.v[k].mntns = mnt[i].ino;
			inv->segs.v[k].nshint = hint;
		}
	}
	free(ipc);
	free(mnt);
	free(dirs);
	return rc;
}

/* Keep only the kinds asked for (both are listed for the verdicts). */
static void drop_kinds(struct inventory *inv, bool sysv, bool posix,
		       bool sem)
{
	size_t i, j;

	for (i = j = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];

		if ((s->kind == SEG_SYSV && !sysv) ||
		    (s->kind == SEG_POSIX && (s->sem ? !sem : !posix)))
			continue;
		inv->segs.v[j++] = *s;
	}
	inv->segs.n = j;
}

/*
 * Rehoming SysV holdings.  A process that attached a segment and then
 * entered another IPC namespace (unshare(CLONE_NEWIPC)) still maps it,
 * and the kernel still counts it in NATTCH; its mapping names the shmid
 * and key, not the namespace.  Such a mapping is given to a listed
 * segment of another namespace only when that cannot be wrong by
 * much: the holder's own namespace has no attached segment of that id
 * and key (asked of the kernel there: one nobody attaches cannot be what
 * it maps), exactly one listed segment has them and a size the mapping
 * fits in, and its NATTCH counts more processes than were seen.
 */
struct ns_list {
	uint64_t ino;
	int rc;			/* 0: listed */
	struct seglist segs;
};

static bool maps_segment(const struct holding *h, const struct segment *s)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), unit, len;

	if (s->kind != SEG_SYSV || (uint64_t)s->shmid != h->ino)
		return false;
	if (s->key != h->key && !((s->status & SEG_ST_DEST) && s->key == 0))
		return false;
	unit = h->hugetlb ? (1ull << 30) : page;	/* largest huge page */
	len = h->end - h->start;
	return h->how == HOW_MAP && len <= (s->size + unit - 1) / unit * unit;
}

/* The holder's IPC namespace, listed once (by its inode) and cached. */
static const struct ns_list *holder_ns(struct ns_list **cache, size_t *n,
				       const struct holding *h)
{
	struct ns_list *l, *grown;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*cache)[i].ino == h->ipcns)
			return &(*cache)[i];
	grown = realloc(*cache, (*n + 1) * sizeof(**cache));
	if (!grown)
		return NULL;
	*cache = grown;
	l = &grown[(*n)++];
	memset(l, 0, sizeof(*l));
	l->ino = h->ipcns;
	l->rc = sysv_list_ns(h->pid, h->ipcns, &l->segs);
	return l;
}

static size_t pids_seen(const struct scan *sc, const struct segment *s)
{
	size_t first, count, i, n = 0;

	first = scan_find_sysv(sc, s->shmid, s->ipcns ? s->ipcns : sc->ipc_ns,
			       &count);
	for (i = 0; i < count; i++)
		n += i == 0 || sc->h[first + i].pid != sc->h[first + i - 1].pid;
	return n;
}

static int rehome_sysv(struct inventory *inv)
{
	struct scan *sc = &inv->scan;
	struct ns_list *cache = NULL;
	uint64_t *to = NULL;	/* new namespaces, applied after the loop:
				 * the lookups need the scan's order */
	size_t ncache = 0, i, k;
	bool moved = false;
	int rc = 0;

	for (i = 0; i < sc->nh && rc == 0; i++) {
		const struct holding *h = &sc->h[i];
		const struct segment *cand = NULL;
		const struct ns_list *own;
		size_t ncand = 0;

		if (h->kind != SEG_SYSV || h->ipcns == sc->ipc_ns ||
		    sc->ipc_ns == 0)
			continue;
		/* Already a listed segment of its own namespace? */
		for (k = 0; k < inv->segs.n; k++) {
			const struct segment *s = &inv->segs.v[k];
			uint64_t ns = s->ipcns ? s->ipcns : sc->ipc_ns;

			if (!maps_segment(h, s))
				continue;
			if (ns == h->ipcns) {
				if (s->nattch == 0)
					continue;	/* not mapped by anyone */
				ncand = 0;
				cand = NULL;
				break;
			}
			if (s->nattch > pids_seen(sc, s)) {
				cand = s;
				ncand++;
			}
		}
		if (ncand != 1)
			continue;
		own = holder_ns(&cache, &ncache, h);
		if (!own) {
			rc = -ENOMEM;
			break;
		}
		if (own->rc < 0)
			continue;	/* cannot tell: leave it out */
		for (k = 0; k < own->segs.n; k++)
			if (maps_segment(h, &own->segs.v[k]) &&
			    own->segs.v[k].nattch > 0)
				break;
		if (k < own->segs.n)
			continue;	/* its own namespace has one like it */
		if (!to) {
			to = calloc(sc->nh, sizeof(*to));
			if (!to) {
				rc = -ENOMEM;
				break;
			}
		}
		to[i] = cand->ipcns ? cand->ipcns : sc->ipc_ns;
		moved = true;
	}
	for (i = 0; to && i < sc->nh; i++)
		if (to[i])
			sc->h[i].ipcns = to[i];
	free(to);
	for (i = 0; i < ncache; i++)
		seglist_free(&cache[i].segs);
	free(cache);
	scan_settle_sysv(sc, moved);
	return rc;
}

/* Does a process born since the scan (born: their own scan) map s, in
 * s's IPC namespace (ipcns: ours when s's is unknown)? */
static bool born_maps(const struct scan *born, const struct segment *s,
		      uint64_t ipcns)
{
	size_t k;

	for (k = 0; k < born->nh; k++)
		if (maps_segment(&born->h[k], s) &&
		    (born->h[k].ipcns == ipcns || ipcns == 0))
			return true;
	return false;
}

/*
 * Still attached, untouched, after a moment?  A process's memory outlives
 * it while another reader of its /proc files (a second scan, preempted
 * in the middle of a read) holds it: NATTCH counts the dead process's
 * attachments, with no process in sight, until that reader runs again.
 * The first segment left waits twice (5 then 20 ms), the others are
 * read once more: at most 25 ms, and only when shmtool would say attachers
 * are out of sight.
 */
static bool still_attached(const struct segment *s, int *waits)
{
	static const long wait_ns[] = { 5000000, 20000000 };
	unsigned long now;
	bool touched;

	for (;;) {
		struct timespec ts = { 0, 0 };

		if (sysv_backend.nattch_now(s, &now, &touched) < 0 ||
		    now == 0 || touched)
			return false;
		if (*waits >= 2 || !proc_is_live())
			return true;	/* a fixture's table does not move */
		ts.tv_nsec = wait_ns[(*waits)++];
		nanosleep(&ts, NULL);	/* shorter if interrupted: fine */
	}
}

/*
 * SysV segments the kernel counts as attached (NATTCH) but of which the
 * scan found no attacher at all: what the PROCS column would make look
 * unused.  NATTCH is read before the scan and once more after it, so that
 * processes which came and went during the scan (a forking server's
 * children) do not count: neither does a segment attached or detached
 * while the scan ran (its LPID, ATIME or DTIME moved: the attacher the
 * kernel counts may have come after the scan passed it), nor one being
 * destroyed (dest, when listed or since).  A child forked after the scan
 * listed /proc inherits its parent's attachment without moving LPID, nor
 * ATIME within the second: the processes born since are scanned too
 * (maps only), once, when a segment is left.  And what is left must
 * still be attached a moment later (still_attached).
 */
static void count_hidden(struct inventory *inv)
{
	static const struct scan_opts maps_only = { .no_fds = true };
	struct scan born;
	bool looked = false;
	int waits = 0;
	size_t i;

	memset(&born, 0, sizeof(born));
	inv->nhidden = 0;
	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];
		unsigned long now;
		bool touched;
		size_t k, n = 0;

		if (s->kind != SEG_SYSV || s->foreign || !s->scan ||
		    (s->status & SEG_ST_DEST))
			continue;
		for (k = 0; k < s->hcount; k++)
			n += s->scan->h[s->hfirst + k].how == HOW_MAP;
		if (n || s->nattch == 0 ||
		    sysv_backend.nattch_now(s, &now, &touched) < 0 ||
		    now <= n || touched)
			continue;
		if (!looked) {
			looked = true;
			/* Not looked at (an error): as if none were born. */
			if (scan_newcomers(&inv->scan, &maps_only, &born) < 0)
				memset(&born, 0, sizeof(born));
		}
		if (born_maps(&born, s, s->ipcns ? s->ipcns
						   : inv->scan.ipc_ns) ||
		    !still_attached(s, &waits))
			continue;
		if (!inv->nhidden++) {
			inv->hidden_shmid = s->shmid;
			inv->hidden_nattch = s->nattch;
		}
	}
	scan_free(&born);
}

/*
 * The join, once every row is in place and sorted: each holding's process,
 * the row it holds and whether that row's name is gone.  A segment
 * linked to the scan claims holdings [hfirst, hfirst + hcount).
 */
static int join_holders(struct inventory *inv)
{
	const struct scan *sc = &inv->scan;
	size_t i, k;

	if (!inv->scanned || !sc->nh)
		return 0;
	inv->holders = calloc(sc->nh, sizeof(*inv->holders));
	if (!inv->holders)
		return -ENOMEM;
	for (i = 0; i < sc->nh; i++) {
		inv->holders[i].h = &sc->h[i];
		inv->holders[i].p = scan_proc(sc, sc->h[i].pid);
	}
	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];

		if (s->scan != sc)
			continue;
		for (k = 0; k < s->hcount && s->hfirst + k < sc->nh; k++)
			inv->holders[s->hfirst + k].seg = s;
	}
	for (i = 0; i < sc->nh; i++) {
		struct holder *hv = &inv->holders[i];
		const struct segment *s = hv->seg;

		if (hv->h->kind == SEG_SYSV)
			/* removed while attached: still listed, key 0 */
			hv->deleted = s && (s->status & SEG_ST_DEST);
		else if (hv->h->kind == SEG_POSIX && s)
			/* A listed name is not gone, whatever " (deleted)"
			 * the name itself may end in. */
			hv->deleted = (s->status & SEG_ST_DELETED) != 0;
		else
			hv->deleted = hv->h->deleted;
	}
	return 0;
}

static int cmp_shmid(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* The shmids of the listed SysV segments, ascending (for the scan). */
static int listed_shmids(const struct seglist *l, int **out, size_t *n)
{
	size_t i;

	*n = 0;
	*out = malloc((l->n ? l->n : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == SEG_SYSV)
			(*out)[(*n)++] = l->v[i].shmid;
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_shmid);
	return 0;
}

int inventory_load(struct inventory *inv, const struct inv_opts *o,
		   const char **what)
{
	dev_t *devs = NULL;
	int *ids = NULL;
	size_t ndevs = 0;
	struct scan_opts so = { .memfd = o->memfd, .anon = o->anon,
				.pids = o->pids, .npids = o->npids };
	bool scan = o->scan || o->memfd || o->anon;
	/* PostgreSQL's segments are of both kinds: judge with both. */
	bool judge = scan && !o->pids && !o->holders_only;
	bool sysv = o->sysv || judge, posix = o->posix || o->sem || judge;
	bool *claimed = NULL;
	size_t i, nlisted;
	int rc;

	memset(inv, 0, sizeof(*inv));
	if (sysv) {
		rc = sysv_backend.list(&inv->segs);
		if (rc < 0) {
			*what = "listing System V segments";
			return rc;
		}
	}
	if (posix) {
		rc = posix_backend.list(&inv->segs);
		if (rc < 0) {
			*what = "listing POSIX segments";
			return rc;
		}
	}
	if (o->all_ns) {
		rc = add_other_namespaces(inv, &devs, &ndevs);
		if (rc < 0) {
			free(devs);
			*what = "listing other namespaces";
			return rc;
		}
		so.all_ns = true;
		so.shm_devs = devs;
		so.nshm_devs = ndevs;
	}
	if (scan && sysv) {
		rc = listed_shmids(&inv->segs, &ids, &so.nsysv_ids);
		if (rc < 0) {
			free(devs);
			*what = "memory";
			return rc;
		}
		so.sysv_ids = ids;
		so.sysv_ids_known = true;
	}
	if (scan) {
		rc = procscan(&inv->scan, &so);
		free(ids);
		ids = NULL;
		/* Out of our own descriptors or memory: no verdict may be
		 * drawn from what it found (ARCHITECTURE.md, Verdicts). */
		if (rc < 0 && (o->scan_required || own_resource_error(-rc))) {
			*what = "scanning processes";
			return rc;
		}
		if (rc < 0) {
			/* Still list what the kernel says; no verdicts that
			 * need the scan, and say why. */
			msg_errno(-rc, "cannot scan processes in %s",
				  proc_root());
			scan = judge = false;
		} else {
			inv->scanned = true;
			rc = rehome_sysv(inv);
			if (rc < 0) {
				free(devs);
				*what = "scanning processes";
				return rc;
			}
		}
	}
	free(devs);
	nlisted = inv->segs.n;
	for (i = 0; i < nlisted; i++)
		segment_link(&inv->segs.v[i], judge ? &inv->scan : NULL);
	if (scan && !judge) {
		/* Holders only (maps PID...): no verdicts. */
		for (i = 0; i < nlisted; i++) {
			struct segment *s = &inv->segs.v[i];
			size_t first, count;

			s->scan = &inv->scan;
			first = s->kind == SEG_SYSV
				? scan_find_sysv(&inv->scan, s->shmid,
						 s->ipcns ? s->ipcns
							  : inv->scan.ipc_ns,
						 &count)
				: scan_find(&inv->scan, s->kind, s->dev,
					    s->ino, &count);
			segment_set_holders(s, first, count);
		}
	}
	rc = 0;
	if (scan && posix && inv->scan.nh) {
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
		rc = add_deleted(inv, claimed, o->sem);
		free(claimed);
	}
	if (rc == 0 && scan && (o->memfd || o->anon))
		rc = add_shmem_rows(inv);
	/* Before the PostgreSQL rule's peek, which attaches segments
	 * whose attachers are out of sight, and so moves their LPID. */
	if (rc == 0 && judge)
		count_hidden(inv);
	if (rc == 0 && judge)
		rc = pg_attribute(inv);
	if (rc < 0) {
		*what = "memory";
		return rc;
	}
	drop_kinds(inv, o->sysv, o->posix, o->sem);
	if (o->sem && !o->holders_only && !o->no_sem_values)
		posix_sem_values(inv->segs.v, inv->segs.n);
	/* SysV by shmid, then POSIX by name, memfd, anon: the order ls
	 * shows (and inventory_find_sysv's binary search relies on). */
	if (inv->segs.n > 1)
		qsort(inv->segs.v, inv->segs.n, sizeof(*inv->segs.v), cmp_seg);
	if (join_holders(inv) < 0) {
		*what = "memory";
		return -ENOMEM;
	}
	return 0;
}

void inventory_error(int rc, const char *what, const char *tail)
{
	msg("%s: %s%s", what, shm_dir_strerror(rc), tail ? tail : "");
}

void inventory_report(const struct inventory *inv)
{
	if (!inv->scanned)
		return;
	scan_report_gaps(&inv->scan);
	if (!inv->nhidden)
		return;
	msg("%zu System V segment%s %s attached, but the scan found none of "
	    "%s attachers (e.g. %d: NATTCH %lu): they are out of sight (in "
	    "another PID namespace, not inspectable, or gone to another IPC "
	    "namespace since they attached)", inv->nhidden,
	    inv->nhidden == 1 ? "" : "s", inv->nhidden == 1 ? "is" : "are",
	    inv->nhidden == 1 ? "its" : "their", inv->hidden_shmid,
	    inv->hidden_nattch);
}

void inventory_free(struct inventory *inv)
{
	free(inv->holders);
	inv->holders = NULL;
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

/* maps' order: by process, then as the scan orders a process's holdings */
static int cmp_holder(const void *a, const void *b)
{
	return holding_cmp_in_proc(((const struct holder *)a)->h,
				   ((const struct holder *)b)->h);
}

/* Does a holder hold the segment a TARGET resolved to? */
static bool holder_of(const struct holder *hv, const struct segment *seg)
{
	const struct holding *h = hv->h;

	if (h->kind != seg->kind)
		return false;
	if (seg->kind == SEG_SYSV)
		return h->ino == (uint64_t)seg->shmid;
	/* POSIX, memfd and anon: the same (dev, ino) */
	return h->ino == (uint64_t)seg->ino && h->dev == seg->dev;
}

int inventory_holders(const struct inventory *inv, const struct segment *of,
		      struct holder **out, size_t *n)
{
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (!inv->holders || !inv->scan.nh)
		return 0;
	*out = calloc(inv->scan.nh, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < inv->scan.nh; i++) {
		const struct holder *hv = &inv->holders[i];

		/* A file on the shm file system that is neither listed nor
		 * unlinked sits in a subdirectory: not a segment; nor is a
		 * semaphore, unless semaphores were listed. */
		if (hv->h->kind == SEG_POSIX && !hv->seg &&
		    (!hv->h->deleted ||
		     (hv->h->name && is_semaphore_name(hv->h->name))))
			continue;
		if (of && !holder_of(hv, of))
			continue;
		(*out)[k++] = *hv;
	}
	if (k > 1)
		qsort(*out, k, sizeof(**out), cmp_holder);
	*n = k;
	return 0;
}

enum pid_seen inventory_pid(const struct inventory *inv, pid_t pid)
{
	char rel[16];
	size_t k;
	int fd;

	for (k = 0; inv->scanned && k < inv->scan.ngaps; k++)
		if (inv->scan.gaps[k].pid == pid)
			return PID_DENIED;
	if (inv->scanned && scan_proc(&inv->scan, pid))
		return PID_SEEN;
	snprintf(rel, sizeof(rel), "%d", (int)pid);
	fd = proc_open(rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return PID_ABSENT;
	close(fd);
	return PID_SEEN;
}

void inventory_judge_extra(const struct inventory *inv, struct segment *seg)
{
	segment_link(seg, inv->scanned ? &inv->scan : NULL);
}

const struct proc_info *inventory_procs(const struct inventory *inv,
					size_t *n)
{
	*n = inv->scanned ? inv->scan.nprocs : 0;
	return *n ? inv->scan.procs : NULL;
}

void inventory_incomplete_why(const struct inventory *inv, char *buf,
			      size_t len)
{
	buf[0] = '\0';
	if (inv->scanned)
		scan_incomplete_why(&inv->scan, buf, len);
}

void inventory_scan_info(const struct inventory *inv,
			 struct inv_scan_info *si)
{
	memset(si, 0, sizeof(*si));
	if (!inv->scanned)
		return;
	si->scanned = true;
	si->complete = inv->scan.incomplete == 0;
	si->procs = inv->scan.incomplete & SCAN_INC_PROCS;
	si->pidns = inv->scan.incomplete & SCAN_INC_PIDNS;
	si->hidepid = inv->scan.incomplete & SCAN_INC_HIDEPID;
	si->inspected = inv->scan.inspected;
	si->uninspectable = inv->scan.ngaps;
	si->sysv_unseen = inv->nhidden;
}

int inventory_rescan(struct scan *again)
{
	return procscan(again, NULL);
}

enum seg_disp inventory_rejudge(const struct segment *s,
				const struct scan *again)
{
	struct segment now = *s;

	segment_link(&now, again);
	return now.disp;
}

void segment_keep_reason(const struct segment *s, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (s->keep) {
	case KEEP_PG_CLUSTER:
		snprintf(buf, len, "it belongs to a live PostgreSQL cluster "
			 "(main segment %d)", s->keep_shmid);
		break;
	case KEEP_PG_OWNER:
		snprintf(buf, len, "a PostgreSQL server of its owner runs, "
			 "whose segments could not be read");
		break;
	case KEEP_PG_LEFTOVER:
		snprintf(buf, len, "it goes only together with the rest of its "
			 "crashed PostgreSQL cluster, which is %s",
			 s->disp == DISP_KEPT ? "in use or kept"
					      : "unverified");
		break;
	case KEEP_NONE:
		break;
	}
}
