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

/* The summary's rows: group "all" first, then one group per owner or
 * holding process with --by. */
struct summary {
	struct sumrow *v;
	size_t n, cap;
};

/*
 * Compute the summary of an inventory loaded with a scan (both kinds,
 * memfd and anon): what summary_output prints and what metrics exports,
 * from this one computation.  0 or -errno (nothing to free then).
 */
int summary_compute(struct inventory *inv, enum summary_by by,
		    struct summary *rows);
void summary_free(struct summary *rows);

/* The row AREA/WHAT of group "all" (the shm directory's area is its
 * path, shm_dir()), or NULL. */
const struct sumrow *summary_find(const struct summary *rows,
				  const char *area, const char *what);

/*
 * Print the summary of an inventory loaded with a scan (both kinds): the
 * shm directory's use from statvfs broken into named segments, deleted
 * ones still held, what is not a segment and the unexplained rest; System
 * V against its limits; what rm --unused could reclaim.  0 or -errno.
 */
int summary_output(struct inventory *inv, const struct outopts *o,
		   enum summary_by by);

#endif
