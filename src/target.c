// SPDX-License-Identifier: MIT
/*
 * target.c - TARGET resolution shared by every subcommand (ARCHITECTURE.md, Targets).
 */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "procfd.h"
#include "paths.h"
#include "target.h"
#include "msg.h"
#include "text.h"
#include "util.h"

int target_parse_arg(const char *arg, enum target_force force,
		     struct target *t)
{
	const char *why = NULL;
	char esc[NAME_ESC_MAX];

	if (parse_target(arg, force, t, &why) == 0)
		return EXIT_OK;
	text_escape(arg, esc, sizeof(esc), ESC_KEEP_BACKSLASH);
	return usage_error("invalid target '%s': %s", esc,
			   why ? why : "not a TARGET");
}

int target_force_set(enum target_force *force, bool posix)
{
	enum target_force want = posix ? TARGET_FORCE_POSIX : TARGET_FORCE_SYSV;

	int rc = options_exclusive("--posix", posix || *force == TARGET_FORCE_POSIX,
				   "--sysv", !posix || *force == TARGET_FORCE_SYSV);

	if (rc != EXIT_OK)
		return rc;
	*force = want;
	return EXIT_OK;
}

/*
 * A POSIX TARGET: the name its \xHH escapes spell, or, if none has that
 * name, the name as written (a name from JSON, unescaped); both existing
 * is -ENOTUNIQ: shmtool does not guess which was meant.
 */
static int lookup_posix(const struct target *t, struct segment *seg)
{
	struct segment lit;
	int rc = posix_backend.lookup_name(t->name, seg), lrc;

	if (!t->has_literal)
		return rc;
	lrc = posix_backend.lookup_name(t->literal, &lit);
	if (lrc == 0 && rc == 0)
		return -ENOTUNIQ;
	if (lrc == 0) {
		*seg = lit;
		return 0;
	}
	return rc;
}

int target_lookup(const struct target *t, struct segment *seg)
{
	switch (t->kind) {
	case TARGET_POSIX:
		return lookup_posix(t, seg);
	case TARGET_SYSV_ID:
		return sysv_backend.lookup_id(t->shmid, seg);
	case TARGET_SYSV_KEY:
		return sysv_backend.lookup_key(t->key, seg);
	case TARGET_PROC:
		return procfd_describe(t->pid, t->fd, t->start, t->end, t->anon,
				       seg);
	}
	return -EINVAL;
}

const char *segment_strerror(enum seg_kind kind, int rc)
{
	switch (-rc) {
	case ENOENT:
		if (kind == SEG_MEMFD || kind == SEG_ANON)
			return "no such process, fd or mapping";
		return kind == SEG_SYSV ? "no such segment"
					: strerror(ENOENT);
	case EMEDIUMTYPE:
		return kind == SEG_MEMFD || kind == SEG_ANON
			       ? "not a memfd or shared anonymous memory"
			       : "not a shared memory segment (not a "
				 "regular file)";
	case ESTALE:
		return "the segment was replaced while in use";
	case ENOTUNIQ:
		return "two segments answer to it: one named by its \\xHH "
		       "escapes, one named as written (write each backslash "
		       "of that one as \\x5c)";
	case EFAULT:
		/* from a transfer: the only address in it is the mapping */
		return "its memory cannot be had (a huge-page segment made "
		       "with SHM_NORESERVE, and no free huge pages left?)";
	case EIDRM:
		return "the segment was removed";
	case ELOOP:
	case ENOMEDIUM:
		/* the shm directory, opened strictly (--ns) */
		return kind == SEG_POSIX ? shm_dir_strerror(rc) : strerror(-rc);
	case EINVAL:
		/* shmat/shmctl on an id that went away. */
		return kind == SEG_SYSV ? "no such segment (removed?)"
					: strerror(EINVAL);
	default:
		return strerror(-rc);
	}
}

int target_resolve(const char *arg, enum target_force force,
		   struct segment *seg)
{
	struct target t;
	char esc[NAME_ESC_MAX];
	int rc = target_parse_arg(arg, force, &t);

	if (rc != EXIT_OK)
		return rc;
	rc = target_lookup(&t, seg);
	if (rc == 0)
		return EXIT_OK;
	text_escape(arg, esc, sizeof(esc), ESC_KEEP_BACKSLASH);
	msg("%s: %s", esc,
	    segment_strerror(t.kind == TARGET_POSIX ? SEG_POSIX
			     : t.kind == TARGET_PROC ? SEG_MEMFD : SEG_SYSV,
			     rc));
	return EXIT_FAIL;
}
