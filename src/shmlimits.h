/* SPDX-License-Identifier: MIT */
/*
 * shmlimits.h - ls --limits: every shared memory limit the kernel has, each
 * with what is counted against it (lsipc -g -m, ipcs -l -m and -u -m).
 */
#ifndef SHMTOOL_SHMLIMITS_H
#define SHMTOOL_SHMLIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "inventory.h"
#include "output.h"

/* The columns of ls --limits (lsipc -g's). */
enum lim_col {
	LIM_RESOURCE,
	LIM_DESCRIPTION,
	LIM_LIMIT,
	LIM_USED,
	LIM_USE,
	NLIMCOLS
};

extern const struct coldef limdefs[NLIMCOLS];

/* One limit.  count: its LIMIT and USED count things (segments, pages,
 * inodes), not bytes. */
struct limrow {
	const char *resource;
	char description[128];
	bool count, has_limit, has_used;
	uint64_t limit, used;
};

/* The rows, in a fixed order: SHMMNI, SHMALL, SHMALL_BYTES, SHMMAX,
 * SHMMIN, SHMDIR_SIZE, SHMDIR_INODES. */
#define NLIMROWS 7

/*
 * The limits of the caller's IPC namespace (sysv_limits) and its shm
 * directory (posix_usage), with their use: the kernel's own count of
 * segments and pages where it gives them, else the inventory's SysV rows
 * (which must be loaded, without --all-namespaces); its largest segment.
 */
void limits_compute(const struct inventory *inv, struct limrow rows[NLIMROWS]);

/* The cell of a column of a row (output.c's getter). */
void limcolumn_get(enum lim_col col, const struct limrow *r, struct cell *c);

/* Print them as o says (table, raw, pairs, JSON {"limits": [...]}): 0
 * or -errno. */
int limits_output(const struct inventory *inv, const struct outopts *o);

#endif
