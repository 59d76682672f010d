/* SPDX-License-Identifier: MIT */
/*
 * summary.h - ls --summary: where the shared memory went, df-style.
 */
#ifndef SHMTOOL_SUMMARY_H
#define SHMTOOL_SUMMARY_H

#include "inventory.h"
#include "output.h"

enum summary_by {
	BY_NONE,
	BY_USER,
	BY_PROCESS,
};

/*
 * Print the summary of an inventory loaded with a scan (both kinds): the
 * shm directory's use from statvfs broken into named segments, deleted
 * ones still held, what is not a segment and the unexplained rest; System
 * V against its limits; what rm --unused could reclaim.  0 or -errno.
 */
int summary_output(struct inventory *inv, const struct outopts *o,
		   enum summary_by by);

#endif
