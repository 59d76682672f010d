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
};

/*
 * List the kinds asked for; with scan, scan /proc, link every segment to
 * its holders, add the POSIX segments found only through processes
 * (deleted), and set the STATUS words.  If the scan fails, that is an
 * error only when scan_required; otherwise it is reported and the list
 * comes without attachers.  0 or -errno; *what says what failed.
 */
struct inv_opts {
	bool sysv, posix;	/* list these kinds */
	bool scan;		/* scan /proc for holders */
	bool scan_required;	/* a failed scan is an error */
	bool memfd, anon;	/* add memfd / shared anonymous rows */
	bool all_ns;		/* every IPC namespace and shm directory */
	bool no_orphan_check;	/* STATUS not shown: skip the orphan test */
};

int inventory_load(struct inventory *inv, const struct inv_opts *o,
		   const char **what);
void inventory_free(struct inventory *inv);

/*
 * Link one segment to a finished scan (NULL: none) and set its STATUS
 * words; without verdicts, skip the orphan check (a read of the creator's
 * /proc/PID/stat) when no one will look at STATUS.
 */
void segment_link(struct segment *seg, const struct scan *scan,
		  bool verdicts);

/* The listed POSIX segment with this (dev, ino), or NULL. */
const struct segment *inventory_find_posix(struct inventory *inv, dev_t dev,
					   uint64_t ino);

/* The listed SysV segment with this shmid, or NULL. */
const struct segment *inventory_find_sysv(const struct inventory *inv,
					  int shmid);

/* The TARGET a holding refers to, escaped. */
void holding_target(struct inventory *inv, const struct holding *h,
		    char *buf, size_t len);

#endif
