// SPDX-License-Identifier: MIT
/*
 * cmd_write.c - shmtool write: bytes from --data, --file or standard input
 * into a segment, never past its end, never resizing it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "columns.h"
#include "commands.h"
#include "parse.h"
#include "segment.h"
#include "target.h"
#include "io.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_OFFSET = OPT_CMD_FIRST };

/*
 * Regular files whose st_size says nothing about their content: sysfs
 * gives every attribute 4096, procfs 0.  Their input is streamed like a
 * pipe's, not checked against a size first.
 */
static bool size_is_fiction(int fd)
{
	static const long pseudo[] = {
		0x9fa0,		/* PROC_SUPER_MAGIC */
		0x62656572,	/* SYSFS_MAGIC */
		0x64626720,	/* DEBUGFS_MAGIC */
		0x74726163,	/* TRACEFS_MAGIC */
		0x27e0eb,	/* CGROUP_SUPER_MAGIC */
		0x63677270,	/* CGROUP2_SUPER_MAGIC */
		0x73636673,	/* SECURITYFS_MAGIC */
		0x62656570,	/* CONFIGFS_MAGIC */
		0xcafe4a11,	/* BPF_FS_MAGIC */
		0x6165676c,	/* PSTOREFS_MAGIC */
		0xde5e81e4,	/* EFIVARFS_MAGIC */
	};
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf) < 0)
		return false;
	for (i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if ((long)sf.f_type == pseudo[i])
			return true;
	return false;
}

#define CHUNK (1u << 20)
#define CHUNK_ALIGN 4096

struct wctx {
	const struct backend_ops *be;
	struct seghandle h;
	const char *tname;	/* the target, escaped, for messages */
	uint64_t off;		/* where the next byte goes */
	uint64_t written;
};

/* A write that failed after `written` bytes: say which, and why. */
static int write_failed(struct wctx *w, int rc)
{
	if (rc == -ENODATA)
		msg("%s: the segment shrank while being written (another "
		    "process truncated it): wrote %llu byte%s, and never "
		    "past its new end", w->tname,
		    (unsigned long long)w->written,
		    PLURAL_S(w->written));
	else if (rc == -EFAULT)
		msg("%s: wrote %llu byte%s, then failed: %s", w->tname,
		    (unsigned long long)w->written,
		    PLURAL_S(w->written), segment_strerror(w->h.kind, rc));
	else
		msg_errno(-rc, "%s: wrote %llu byte%s, then failed", w->tname,
			  (unsigned long long)w->written,
		    PLURAL_S(w->written));
	return EXIT_FAIL;
}

static int put(struct wctx *w, const void *buf, size_t len)
{
	size_t done;
	int rc = w->be->pwrite(&w->h, buf, len, w->off, &done);

	w->off += done;
	w->written += done;
	return rc < 0 ? write_failed(w, rc) : EXIT_OK;
}

/* Input of a known size that ended early: it shrank while we read it. */
static int shrank(struct wctx *w, const char *src, uint64_t size)
{
	msg("%s: %s shrank while being copied: wrote %llu of %llu bytes",
	    w->tname, src, (unsigned long long)w->written,
	    (unsigned long long)size);
	return EXIT_FAIL;
}

/*
 * Copy from fd.  With a known size, exactly that many bytes (it was
 * checked to fit), then make sure the input did not grow.  Otherwise,
 * stream until EOF or the end of the segment.
 */
static int copy_in(struct wctx *w, int fd, const char *src, bool known,
		   uint64_t size)
{
	uint64_t room = w->h.size - w->off;
	uint64_t limit = known ? size : room;
	int rc = EXIT_OK;
	char *buf;

	/* Page-aligned, as dd's: malloc puts a 1 MiB block 16 bytes past a
	 * page boundary, and the kernel's copies into and out of a
	 * misaligned buffer are slower on some CPUs. */
	if (posix_memalign((void **)&buf, CHUNK_ALIGN, CHUNK) != 0) {
		msg_errno(ENOMEM, "buffer");
		return EXIT_FAIL;
	}
	if (!known && limit >= (1u << 20))
		pipe_grow(fd);
	if (w->be->copy_from_fd && limit > 0) {
		/* Straight into the segment: one copy, no buffer. */
		uint64_t done;
		int crc = w->be->copy_from_fd(&w->h, fd, w->off, limit, &done);

		w->off += done;
		w->written += done;
		if (crc == -ENOTSUP && done == 0)
			goto buffered;	/* not this input: copy it below */
		if (crc == -ENODATA || crc == -EFAULT) {
			rc = write_failed(w, crc);
			goto out;
		}
		if (crc < 0) {
			msg_errno(-crc, "%s: reading %s (wrote %llu byte%s)",
				  w->tname, src, (unsigned long long)w->written,
				  PLURAL_S(w->written));
			rc = EXIT_FAIL;
			goto out;
		}
		if (done < limit) {
			if (known)
				rc = shrank(w, src, size);
			goto out;	/* end of input */
		}
		limit = 0;
	}
buffered:
	while (limit > 0) {
		size_t want = limit > CHUNK ? CHUNK : (size_t)limit;
		ssize_t n = read_full(fd, buf, want);

		if (n < 0) {
			msg_errno((int)-n, "reading %s (wrote %llu byte%s)", src,
				  (unsigned long long)w->written,
				  PLURAL_S(w->written));
			rc = EXIT_FAIL;
			goto out;
		}
		if (n > 0) {
			rc = put(w, buf, (size_t)n);
			if (rc != EXIT_OK)
				goto out;
			limit -= (uint64_t)n;
		}
		if ((size_t)n < want) {
			if (known)
				rc = shrank(w, src, size);
			goto out;	/* end of input */
		}
	}
	/* Input left over?  Read one more byte to know. */
	{
		ssize_t n = read_full(fd, buf, 1);

		if (n > 0) {
			if (known)
				msg("%s: %s grew while being copied: wrote "
				    "%llu byte%s", w->tname, src,
				    (unsigned long long)w->written,
				  PLURAL_S(w->written));
			else
				msg("%s: input continues past the end of the "
				    "segment: wrote %llu byte%s",
				    w->tname, (unsigned long long)w->written,
				  PLURAL_S(w->written));
			rc = EXIT_FAIL;
		} else if (n < 0) {
			msg_errno((int)-n, "reading %s", src);
			rc = EXIT_FAIL;
		}
	}
out:
	free(buf);
	return rc;
}

static int too_big(const char *tname, uint64_t len, uint64_t off,
		   uint64_t size)
{
	msg("%s: %llu byte%s at offset %llu do%s not fit in the %llu-byte "
	    "segment (%llu too many); nothing written",
	    tname, (unsigned long long)len, PLURAL_S(len),
	    (unsigned long long)off, len == 1 ? "es" : "",
	    (unsigned long long)size,
	    (unsigned long long)(len - (size - off)));
	return EXIT_FAIL;
}

static const struct cmd_option opts[] = {
	{ "offset", 0, "OFF", OPT_OFFSET, "start at byte OFF (default 0)" },
	{ "data", 'd', "STRING", 'd', "write STRING (no newline added)" },
	{ "file", 'f', "FILE", 'f', "write the contents of FILE" },
	CMD_TARGET_KIND_OPTIONS,
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_write_command = {
	"write", cmd_write, "write bytes into a segment",
	"write TARGET [--offset OFF] [--data STRING | --file FILE]",
	opts,
	"Reads standard input by default. Input that does not fit is refused\n"
	"before any byte changes when its size is known; from a pipe, writing\n"
	"stops at the segment's end and fails, saying how many bytes it wrote.\n",
};
/* clang-format on */

/* What write was asked: its options, checked. */
struct write_args {
	enum target_force force;
	const char *data, *file;	/* --data, --file; NULL: not given */
	uint64_t off;
	const char *target;
};

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int write_parse(int argc, char **argv, struct write_args *a)
{
	const char *off_s = NULL;
	int c, rc;

	*a = (struct write_args){ .force = TARGET_ANY };
	while ((c = command_getopt(&cmd_write_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_OFFSET:
			off_s = optarg;
			break;
		case 'd':
			a->data = optarg;
			break;
		case 'f':
			a->file = optarg;
			break;
		default:
			rc = command_option(&cmd_write_command, c, argv,
					    &a->force);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	rc = command_one_target(argc, argv);
	if (rc != EXIT_OK)
		return rc;
	rc = options_exclusive("--data", a->data, "--file", a->file);
	if (rc != EXIT_OK)
		return rc;
	if (off_s && parse_size(off_s, UINT64_MAX, &a->off) < 0)
		return usage_error("invalid offset '%s'", off_s);
	a->target = argv[optind];
	return target_parse_arg(a->target, a->force, &(struct target){ 0 });
}

/* How much the input holds, when that is known before reading it (--data,
 * a regular file that tells its size): *known and *insize. */
static void input_size(const struct write_args *a, int fd, bool *known,
		       uint64_t *insize)
{
	struct stat st;

	*known = false;
	*insize = 0;
	if (a->data) {
		*known = true;
		*insize = strlen(a->data);
	} else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		   !size_is_fiction(fd)) {
		off_t pos = lseek(fd, 0, SEEK_CUR);

		*known = true;
		*insize = pos >= 0 && pos < st.st_size
				  ? (uint64_t)(st.st_size - pos) : 0;
	}
}

/* Into the segment resolved as seg, from fd or --data. */
static int write_into(const struct write_args *a, struct segment *seg, int fd)
{
	char tname[NAME_ESC_MAX + 2];
	struct wctx w = { 0 };
	uint64_t insize;
	bool known;
	int rc, crc;

	input_size(a, fd, &known, &insize);
	segment_target(seg, tname, sizeof(tname));
	if (a->off > seg->size)
		return usage_error("offset %llu is past the end of %s (%llu "
				   "byte%s)", (unsigned long long)a->off, tname,
				   (unsigned long long)seg->size,
				   PLURAL_S(seg->size));
	if (known && insize > seg->size - a->off)
		return too_big(tname, insize, a->off, seg->size);

	w.be = backend_for(seg->kind);
	w.tname = tname;
	w.off = a->off;
	rc = target_open(seg, true, &w.h);
	if (rc < 0) {
		msg("%s: %s", tname, segment_strerror(seg->kind, rc));
		return EXIT_FAIL;
	}
	/* The size the kernel has now is the one that counts. */
	if (a->off > w.h.size || (known && insize > w.h.size - a->off))
		rc = too_big(tname, insize, a->off, w.h.size);
	else if (a->data)
		rc = put(&w, a->data, (size_t)insize);
	else
		rc = copy_in(&w, fd, a->file ? a->file : "standard input",
			     known, insize);
	crc = w.be->close(&w.h);
	if (crc < 0 && rc == EXIT_OK) {
		msg_errno(-crc, "%s: closing", tname);
		rc = EXIT_FAIL;
	}
	return rc;
}

static int write_run(const struct write_args *a)
{
	struct segment seg;
	int rc, fd = STDIN_FILENO;

	/* Open the input before touching the segment. */
	if (a->file) {
		fd = open(a->file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			msg_errno(errno, "%s", a->file);
			return EXIT_FAIL;
		}
	}
	rc = target_resolve(a->target, a->force, &seg);
	if (rc == EXIT_OK && seg.sem) {
		char esc[NAME_ESC_MAX];

		/* Bytes written over a sem_t would break every process
		 * that waits on it.  Named as the user wrote it. */
		text_escape(a->target, esc, sizeof(esc), ESC_KEEP_BACKSLASH);
		msg("%s: a semaphore, changed with sem_post(3), not "
		    "written", esc);
		rc = EXIT_FAIL;
	} else if (rc == EXIT_OK) {
		rc = write_into(a, &seg, fd);
	}
	if (a->file)
		close(fd);
	return rc;
}

int cmd_write(int argc, char **argv)
{
	struct write_args a;
	int rc = write_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, write_run(&a));
}
