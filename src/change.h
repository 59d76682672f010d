/* SPDX-License-Identifier: MIT */
/*
 * change.h - what chmod, chown, lock and unlock share (change.c): every
 * TARGET read and found before anything is changed, then each changed in
 * turn, going on past a failure like chmod(1).
 */
#ifndef SHMTOOL_CHANGE_H
#define SHMTOOL_CHANGE_H

#include <stdbool.h>

#include "parse.h"
#include "segment.h"

struct change {
	enum target_force force;	/* --posix, --sysv */
	bool verbose;			/* -v: one line per change */
	/* NULL, or why this segment cannot be changed so (its kind) */
	const char *(*refuse)(const struct segment *seg);
	/* Change one segment: 0 or -errno. */
	int (*apply)(const struct segment *seg, const void *arg);
	/* NULL, or words for an -errno of apply (NULL: the usual ones) */
	const char *(*why)(int rc);
	/* -v: what was done (after "changed ..."), on standard output */
	void (*say)(const struct segment *was, const void *arg);
	const void *arg;
};

/* chmod's and chown's refusal: memfd and shared anonymous memory. */
const char *change_refuse_holder(const struct segment *seg);

/*
 * The TARGETs argv[first..argc): a malformed one is a usage error
 * (EXIT_USAGE, said), before anything else; else EXIT_OK.
 */
int change_parse(const struct change *ch, int argc, char **argv, int first);

/*
 * Find every TARGET; if one cannot be found or refuses the change, say
 * so for each and change nothing (EXIT_FAIL).  Then change each in turn;
 * one that fails is said and the rest go on: EXIT_FAIL at the end.
 */
int change_run(const struct change *ch, int argc, char **argv, int first);

/*
 * lock and unlock (lock false), all but their command table: SHM_LOCK or
 * SHM_UNLOCK of every TARGET, System V only.  Returns the exit status.
 */
struct command;
int change_lock_main(const struct command *cmd, bool lock, int argc,
		     char **argv);

#endif
