/* SPDX-License-Identifier: MIT */
/*
 * unit.h - shared helpers for shmtool's cmocka unit tests: cmocka itself,
 * temporary fixture trees (a fake /proc or shm directory), and small
 * file helpers.  Every test binary includes it once.
 */
#ifndef SHMTOOL_UNIT_H
#define SHMTOOL_UNIT_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands.h"
#include "io.h"
#include "msg.h"
#include "text.h"
#include "util.h"

#define UT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A fresh directory under $TMPDIR (or /tmp); malloc'd path. */
static inline char *ut_mkdtemp(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	assert_true(asprintf(&path, "%s/shmtool-unit-%s.XXXXXX", tmp, tag) >
		    0);
	assert_non_null(mkdtemp(path));
	return path;
}

static inline int ut_rm_cb(const char *path, const struct stat *st,
			   int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

/* rm -rf path (never follows symlinks). */
static inline void ut_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	assert_int_equal(nftw(path, ut_rm_cb, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Empty a directory, keeping the directory itself. */
static inline void ut_empty_dir(const char *path)
{
	ut_rmtree(path);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* dir/rel as a malloc'd string. */
static inline char *ut_path(const char *dir, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, rel) > 0);
	return p;
}

/* Write len bytes to dir/rel (created or truncated, mode 0644 whatever
 * the umask). */
static inline void ut_write_file(const char *dir, const char *rel,
				 const void *data, size_t len)
{
	char *p = ut_path(dir, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, data, len), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(p, 0644), 0);
	free(p);
}

/* mkdir dir/rel (mode 0755, whatever the umask). */
static inline void ut_mkdir(const char *dir, const char *rel)
{
	char *p = ut_path(dir, rel);

	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(chmod(p, 0755), 0);
	free(p);
}

/* Read dir/rel into a malloc'd NUL-terminated buffer; *len its size. */
static inline char *ut_read_file(const char *dir, const char *rel,
				 size_t *len)
{
	char *p = ut_path(dir, rel), *buf;
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(slurp_fd(fd, 1 << 20, &buf, len), 0);
	close(fd);
	free(p);
	/* slurp_fd allocates at least 64 KiB; keep room for the NUL. */
	buf = realloc(buf, *len + 1);
	assert_non_null(buf);
	buf[*len] = '\0';
	return buf;
}

#endif
