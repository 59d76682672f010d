/* SPDX-License-Identifier: MIT */
/*
 * target.h - from a TARGET word to a segment, for every subcommand.
 */
#ifndef SHMTOOL_TARGET_H
#define SHMTOOL_TARGET_H

#include "parse.h"
#include "segment.h"

/*
 * Parse a TARGET word; on a syntax error print a usage message and
 * return EXIT_USAGE, else EXIT_OK.
 */
int target_parse_arg(const char *arg, enum target_force force,
		     struct target *t);

/*
 * --posix or --sysv (posix false): set *force, or a usage error when the
 * other one was given already.  EXIT_OK or EXIT_USAGE.
 */
int target_force_set(enum target_force *force, bool posix);

/* The key ftok(3) gives for path and proj: 0 or -errno (path cannot be
 * stat'ed). */
int target_ftok_key(const char *path, int proj, int32_t *key);

/* Find the segment a parsed target names: 0 or -errno. */
int target_lookup(const struct target *t, struct segment *seg);

/* An explanation for a backend's -errno about a segment. */
const char *segment_strerror(enum seg_kind kind, int rc);

/*
 * Parse and look up; on failure print "CMD: ARG: why" and return the exit
 * status (2 for syntax, 1 for lookup), else EXIT_OK.
 */
int target_resolve(const char *arg, enum target_force force,
		   struct segment *seg);

/*
 * Open a resolved segment for a transfer: through a process that holds
 * it where the backend can (a SysV segment another process attaches, as
 * root: its LPID, ATIME and DTIME stay), else as its backend opens it (a
 * SysV segment is then attached).  0 or -errno, as the backend's open.
 */
int target_open(const struct segment *seg, bool writable,
		struct seghandle *h);

#endif
