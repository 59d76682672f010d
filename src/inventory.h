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

struct inventory {
	struct seglist segs;
	struct scan scan;
	bool scanned;
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
 * (deleted), and judge them (STATUS words and dispositions, DESIGN §7).
 * If the scan fails, that is an error when scan_required, or when
 * shmtool ran out of its own descriptors or memory; otherwise it is
 * reported and the list comes without attachers.  0 or -errno; *what
 * says what failed.
 */
struct inv_opts {
	bool sysv, posix;	/* list these kinds */
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

/* Why rm --unused keeps (or holds back) a segment, in words; "" if it
 * does not. */
void segment_keep_reason(const struct segment *s, char *buf, size_t len);

/* The listed POSIX segment with this (dev, ino), or NULL. */
const struct segment *inventory_find_posix(struct inventory *inv, dev_t dev,
					   uint64_t ino);

/* The listed SysV segment with this shmid, or NULL. */
const struct segment *inventory_find_sysv(const struct inventory *inv,
					  int shmid);

/* Is the name of the segment a holding refers to gone (DELETED: a POSIX
 * segment unlinked, a SysV segment removed while attached)? */
bool holding_deleted(struct inventory *inv, const struct holding *h);

/* The TARGET a holding refers to, escaped. */
void holding_target(struct inventory *inv, const struct holding *h,
		    char *buf, size_t len);

#endif
