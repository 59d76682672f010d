/* SPDX-License-Identifier: MIT */
/*
 * inventory.h - segments of both kinds joined with who holds them: the
 * backends' lists, the /proc scan, and the verdicts drawn from both.
 */
#ifndef SHMTOOL_INVENTORY_H
#define SHMTOOL_INVENTORY_H

#include <stdbool.h>

#include "procscan.h"
#include "segment.h"

/*
 * One holding as the inventory joined it (the one join: commands read
 * holders here and never look into the scan themselves).
 */
struct holder {
	const struct holding *h;
	const struct proc_info *p;	/* NULL: the scan did not see it */
	const struct segment *seg;	/* the row it holds; NULL: none (a
					 * file of the shm file system that
					 * is no segment, a SysV segment
					 * newer than the listing) */
	bool deleted;			/* the name is gone (DELETED),
					 * decided here once */
};

struct inventory {
	struct seglist segs;
	struct scan scan;
	bool scanned;
	struct holder *holders;	/* parallel to scan.h: holders[i].h is
				 * &scan.h[i] (a segment's holders are
				 * holders[hfirst..hfirst+hcount)) */
	const struct segment **pidx;	/* POSIX segments by (ino, dev) */
	size_t npidx;
	/* SysV segments attached (NATTCH) with no attacher in sight, and
	 * the first of them */
	size_t nhidden;
	int hidden_shmid;
	unsigned long hidden_nattch;
};

/*
 * List the kinds asked for; with scan, scan /proc, link every segment to
 * its holders, add the POSIX segments found only through processes
 * (deleted), and judge them (STATUS words and dispositions, ARCHITECTURE.md, Verdicts).
 * If the scan fails, that is an error when scan_required, or when
 * shmtool ran out of its own descriptors or memory; otherwise it is
 * reported and the list comes without attachers.  0 or -errno; *what
 * says what failed.
 */
struct inv_opts {
	bool sysv, posix;	/* list these kinds */
	bool sem;		/* and POSIX named semaphores (sem.*) */
	bool no_sem_values;	/* without reading their VALUE/WAITERS */
	bool scan;		/* scan /proc for holders, and judge */
	bool scan_required;	/* a failed scan is an error */
	bool memfd, anon;	/* add memfd / shared anonymous rows */
	bool all_ns;		/* every IPC namespace and shm directory */
	const pid_t *pids;	/* holders among these processes only (no
				 * verdicts then) */
	size_t npids;
	bool holders_only;	/* link holders, draw no verdicts */
};

int inventory_load(struct inventory *inv, const struct inv_opts *o,
		   const char **what);
void inventory_free(struct inventory *inv);

/* Say why inventory_load failed: "WHAT: why[TAIL]". */
void inventory_error(int rc, const char *what, const char *tail);

/* On stderr: the processes the scan could not inspect, and SysV
 * segments whose attachers it could not all see. */
void inventory_report(const struct inventory *inv);

/*
 * Link one segment to a finished scan (NULL: none) and judge it: its
 * holders, its STATUS words and its disposition.  The PostgreSQL rule,
 * which needs every segment, is inventory_load's.
 */
void segment_link(struct segment *seg, const struct scan *scan);

/* Link and judge a segment that is not among the listed ones (a memfd or
 * anon TARGET, one that came since the listing) against the scan. */
void inventory_judge_extra(const struct inventory *inv, struct segment *seg);

/* Every process the scan saw, by PID (none without a scan). */
const struct proc_info *inventory_procs(const struct inventory *inv,
					size_t *n);

/* Why the scan cannot call a POSIX segment unused, in words ("" if it
 * can). */
void inventory_incomplete_why(const struct inventory *inv, char *buf,
			      size_t len);

/* What the scan saw, for metrics: how far its verdicts can be trusted. */
struct inv_scan_info {
	bool scanned;		/* a scan ran (else the rest is zero) */
	bool complete;		/* no SCAN_INC_*: POSIX "unused" is sure */
	bool procs, pidns, hidepid;	/* incomplete: some processes
					 * unreadable, another PID
					 * namespace, /proc with hidepid */
	size_t inspected;	/* processes read completely */
	size_t uninspectable;	/* processes that could not be (EACCES...) */
	size_t sysv_unseen;	/* SysV segments attached by nobody seen */
};
void inventory_scan_info(const struct inventory *inv,
			 struct inv_scan_info *si);

/*
 * A second look for rm --unused, once its POSIX candidates cannot be
 * opened by name: /proc scanned again (0 or -errno; scan_free it), and a
 * candidate judged again against that scan, by the rules of the first.
 */
int inventory_rescan(struct scan *again);
enum seg_disp inventory_rejudge(const struct segment *s,
				const struct scan *again);

/* Why rm --unused keeps (or holds back) a segment, in words; "" if it
 * does not. */
void segment_keep_reason(const struct segment *s, char *buf, size_t len);

/* The listed POSIX segment with this (dev, ino), or NULL. */
const struct segment *inventory_find_posix(struct inventory *inv, dev_t dev,
					   uint64_t ino);

/* The listed SysV segment with this shmid, or NULL. */
const struct segment *inventory_find_sysv(const struct inventory *inv,
					  int shmid);

/* The i-th holder of a segment linked to this inventory's scan. */
static inline const struct holder *
segment_holder(const struct inventory *inv, const struct segment *s, size_t i)
{
	return &inv->holders[s->hfirst + i];
}

/*
 * The holders maps shows, of one segment (of: NULL for all), by process
 * as maps orders them: a malloc'd array of *n copies (NULL when none).
 * A file of the shm file system that is no segment (in a subdirectory)
 * has none.  0 or -ENOMEM.
 */
int inventory_holders(const struct inventory *inv, const struct segment *of,
		      struct holder **out, size_t *n);

/* What the scan knows of a PID that was asked for. */
enum pid_seen {
	PID_SEEN,	/* read (holding something or not) */
	PID_DENIED,	/* there, but could not be read (said already) */
	PID_ABSENT,	/* no such process */
};
enum pid_seen inventory_pid(const struct inventory *inv, pid_t pid);

#endif
