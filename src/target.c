// SPDX-License-Identifier: MIT
/*
 * target.c - TARGET resolution shared by every subcommand (ARCHITECTURE.md, Targets).
 */
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <unistd.h>

#include "commands.h"
#include "inventory.h"
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

int target_ftok_key(const char *path, int proj, int32_t *key)
{
	key_t k = ftok(path, proj);

	if (k == (key_t)-1)
		return -errno;
	*key = (int32_t)k;
	return 0;
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
	int32_t key = 0;
	int rc;

	switch (t->kind) {
	case TARGET_POSIX:
		return lookup_posix(t, seg);
	case TARGET_SYSV_ID:
		return sysv_backend.lookup_id(t->shmid, seg);
	case TARGET_SYSV_KEY:
		return sysv_backend.lookup_key(t->key, seg);
	case TARGET_PROC:
		return procfd_describe(t->pid, t->fd, t->start, t->end, t->via,
				       seg);
	case TARGET_FTOK:
		rc = target_ftok_key(t->path, t->proj, &key);
		return rc < 0 ? rc : sysv_backend.lookup_key(key, seg);
	}
	return -EINVAL;
}

const char *segment_strerror(enum seg_kind kind, int rc)
{
	switch (-rc) {
	case ENOENT:
		if (kind == SEG_MEMFD || kind == SEG_ANON)
			return "no such process, fd or mapping";
		return "no such segment";
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

/* The kind of segment a target names, for messages. */
static enum seg_kind target_seg_kind(const struct target *t)
{
	switch (t->kind) {
	case TARGET_POSIX:
		return SEG_POSIX;
	case TARGET_PROC:
		return t->via;
	default:
		return SEG_SYSV;
	}
}

/* Why a target names nothing, where the kind's words would mislead. */
static void resolve_failed(const char *esc, const struct target *t, int rc)
{
	struct segment other;
	int32_t key = 0;

	if (t->kind == TARGET_FTOK && target_ftok_key(t->path, t->proj,
						      &key) < 0) {
		msg("%s: cannot compute its key: ftok: %s", esc,
		    strerror(-rc));
		return;
	}
	if (t->kind == TARGET_FTOK && rc == -ENOENT) {
		msg("%s: no segment with key 0x%08x", esc, (uint32_t)key);
		return;
	}
	if (t->kind == TARGET_PROC && t->via == SEG_POSIX) {
		if (rc == -ENOENT)
			msg("%s: no such process, fd or mapping", esc);
		else if (rc == -EMEDIUMTYPE)
			msg("%s: not a POSIX shared memory segment (not a "
			    "file of a shm directory's file system)", esc);
		else
			msg("%s: %s", esc, segment_strerror(SEG_POSIX, rc));
		return;
	}
	/* A decimal is a shmid; say so when it is someone's key. */
	if (t->kind == TARGET_SYSV_ID && rc == -ENOENT &&
	    sysv_backend.lookup_key(t->shmid, &other) == 0) {
		msg("%s: no segment with shmid %d; key:%d (0x%08x) exists", esc,
		    t->shmid, t->shmid, (uint32_t)t->shmid);
		return;
	}
	msg("%s: %s", esc, segment_strerror(target_seg_kind(t), rc));
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
	/* As the user wrote it; a bare name read as POSIX (--posix) with
	 * the slash it stands for. */
	esc[0] = '/';
	text_escape(arg, esc + (t.kind == TARGET_POSIX && !t.sem &&
				arg[0] != '/'),
		    sizeof(esc) - 1, ESC_KEEP_BACKSLASH);
	resolve_failed(esc, &t, rc);
	return EXIT_FAIL;
}

/* Its holders from a scan of /proc, to open it through one of them. */
static int open_held_scanned(const struct segment *seg, bool writable,
			     struct seghandle *h)
{
	struct inv_opts io = { .sysv = true, .scan = true,
			       .holders_only = true };
	struct inventory inv;
	const struct segment *s;
	const char *what = "";
	int rc = inventory_load(&inv, &io, &what);

	if (rc == 0) {
		s = inventory_find_sysv(&inv, seg->shmid);
		rc = s && s->scan && s->hcount
			     ? backend_for(s->kind)->open_held(s, writable, h)
			     : -ENOENT;
	}
	inventory_free(&inv);
	return rc;
}

int target_open(const struct segment *seg, bool writable,
		struct seghandle *h)
{
	const struct backend_ops *be = backend_for(seg->kind);
	int rc;

	if (be->open_held) {
		rc = be->open_held(seg, writable, h);
		/* Not its last attacher nor its creator: look for the
		 * others, where map_files may open (as root). */
		if (rc == -ENOENT && seg->nattch > 0 && geteuid() == 0)
			rc = open_held_scanned(seg, writable, h);
		if (rc == 0)
			return 0;
	}
	return be->open(seg, writable, h);
}
