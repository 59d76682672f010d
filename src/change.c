// SPDX-License-Identifier: MIT
/*
 * change.c - chmod, chown, lock and unlock: every TARGET found before the
 * first change, then the changes one by one (change.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "change.h"
#include "columns.h"
#include "commands.h"
#include "msg.h"
#include "paths.h"
#include "target.h"
#include "text.h"
#include "util.h"

int change_parse(const struct change *ch, int argc, char **argv, int first)
{
	struct target t;
	int i, rc;

	if (first >= argc)
		return usage_error("missing TARGET");
	for (i = first; i < argc; i++) {
		rc = target_parse_arg(argv[i], ch->force, &t);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

const char *change_refuse_holder(const struct segment *seg)
{
	if (seg->kind == SEG_MEMFD || seg->kind == SEG_ANON)
		return "cannot change memory reached through a holder (only "
		       "System V and POSIX segments)";
	return NULL;
}

static const char *change_strerror(const struct change *ch,
				   const struct segment *seg, int rc)
{
	const char *w = ch->why ? ch->why(rc) : NULL;

	if (w)
		return w;
	if (rc == -EOPNOTSUPP && !proc_is_live())
		return seg->kind == SEG_SYSV
			       ? "SHMTOOL_PROC_ROOT is set (a test fixture): "
				 "no System V segment is changed"
			       : "SHMTOOL_PROC_ROOT is set (a test fixture): "
				 "a mode is changed through the kernel's /proc";
	return segment_strerror(seg->kind, rc);
}

int change_run(const struct change *ch, int argc, char **argv, int first)
{
	char tn[NAME_ESC_MAX + 2];
	struct segment *segs;
	int i, n = argc - first, rc, status = EXIT_OK;

	segs = calloc((size_t)n, sizeof(*segs));
	if (!segs) {
		msg_errno(ENOMEM, "targets");
		return EXIT_FAIL;
	}
	/* First find them all: a TARGET that is not there, or of a kind
	 * that cannot be changed so, changes nothing at all. */
	for (i = 0; i < n; i++) {
		const char *no;

		rc = target_resolve(argv[first + i], ch->force, &segs[i]);
		if (rc != EXIT_OK) {
			status = rc;
			continue;
		}
		no = ch->refuse ? ch->refuse(&segs[i]) : NULL;
		if (no) {
			segment_target(&segs[i], tn, sizeof(tn));
			msg("%s: %s", tn, no);
			status = EXIT_FAIL;
		}
	}
	if (status != EXIT_OK)
		goto out;
	for (i = 0; i < n; i++) {
		segment_target(&segs[i], tn, sizeof(tn));
		rc = ch->apply(&segs[i], ch->arg);
		if (rc < 0) {
			msg("%s: %s", tn, change_strerror(ch, &segs[i], rc));
			status = EXIT_FAIL;
			continue;
		}
		if (ch->verbose && ch->say)
			ch->say(&segs[i], ch->arg);
	}
out:
	free(segs);
	return status;
}

/* ---- lock, unlock ---------------------------------------------------- */

static const char *refuse_not_sysv(const struct segment *seg)
{
	if (seg->kind == SEG_SYSV)
		return NULL;
	return "only System V segments can be locked (POSIX, memfd and "
	       "shared anonymous memory: mlock(2) in the process that maps it)";
}

static int apply_lock(const struct segment *seg, const void *arg)
{
	const bool *lock = arg;

	return backend_for(seg->kind)->lock(seg, *lock);
}

static const char *lock_why(int rc)
{
	switch (-rc) {
	case EPERM:
		return "Operation not permitted (it takes CAP_IPC_LOCK, or "
		       "being its owner or creator with a RLIMIT_MEMLOCK "
		       "above 0)";
	case ENOMEM:
		return "more locked memory than RLIMIT_MEMLOCK allows (see "
		       "ulimit -l)";
	case EOPNOTSUPP:
		if (!proc_is_live())
			return NULL;
		return "a huge-page segment cannot be locked (SHM_LOCK locks "
		       "nothing there; huge pages are never swapped)";
	default:
		return NULL;
	}
}

static void say_lock(const struct segment *was, const void *arg)
{
	const bool *lock = arg;
	char tn[NAME_ESC_MAX + 2];

	segment_target(was, tn, sizeof(tn));
	printf("%s %s\n", *lock ? "locked" : "unlocked", tn);
}

static const struct change lock_change = {
	.force = TARGET_ANY,
	.refuse = refuse_not_sysv,
	.apply = apply_lock,
	.why = lock_why,
	.say = say_lock,
};

int change_lock_main(const struct command *cmd, bool lock, int argc,
		     char **argv)
{
	struct change ch = lock_change;
	int c, rc;

	while ((c = command_getopt(cmd, argc, argv)) != -1) {
		switch (c) {
		case 'v':
			ch.verbose = true;
			break;
		default:
			rc = command_option(cmd, c, argv, &ch.force);
			if (rc != EXIT_OK)
				return COMMAND_PARSE_RUN(rc, EXIT_OK);
			break;
		}
	}
	rc = change_parse(&ch, argc, argv, optind);
	ch.arg = &lock;
	return COMMAND_PARSE_RUN(rc, change_run(&ch, argc, argv, optind));
}
