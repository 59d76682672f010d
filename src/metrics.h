/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - the summary in the Prometheus text exposition format
 * (version 0.0.4), for node_exporter's textfile collector.  Not a table:
 * a small writer of its own, fed by summary_compute(), so that every
 * number is the one `ls --summary` prints.
 */
#ifndef SHMTOOL_METRICS_H
#define SHMTOOL_METRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "inventory.h"
#include "summary.h"

struct metrics_src {
	const struct summary *sum;	/* group "all" is read */
	const char *shm_dir;		/* the shm directory's area name */
	struct inv_scan_info scan;
	struct timespec when;		/* when the scan started (realtime) */
	double duration;		/* seconds the listing and scan took */
	const char *version, *describe;	/* shmtool_build_info's labels */
	/* With --per-segment: every System V and POSIX segment gets its
	 * own series (memfd and anon stay totals: their TARGETs name a
	 * holder's PID, which would make the labels churn).  NULL: none. */
	const struct seglist *segs;
};

/* Write every family; 0, or -EIO when out failed. */
int metrics_write(FILE *out, const struct metrics_src *src);

/*
 * A label value as the exposition format wants it: backslash, double
 * quote and newline escaped (\\, \", \n).  The result is cut short, but
 * never inside an escape, to fit len (len > 0).  Returns its length.
 */
size_t prom_label_escape(const char *in, char *out, size_t len);

#endif
