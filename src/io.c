// SPDX-License-Identifier: MIT
/*
 * io.c - I/O loops that never lose a byte: short counts and EINTR retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

/*
 * The one transfer loop: len bytes between buf and fd (at off when
 * positioned), retrying EINTR and short counts.  A read that returns 0
 * is the end of the file (0, *done short); a write that returns 0 is
 * -EIO.  0 or -errno; *done is what moved.
 */
static int io_loop(int fd, char *buf, size_t len, off_t off, bool positioned,
		   bool writing, size_t *done)
{
	*done = 0;
	while (*done < len) {
		char *p = buf + *done;
		size_t left = len - *done;
		off_t at = off + (off_t)*done;
		ssize_t n;

		if (writing)
			n = positioned ? pwrite(fd, p, left, at)
				       : write(fd, p, left);
		else
			n = positioned ? pread(fd, p, left, at)
				       : read(fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return writing ? -EIO : 0;
		*done += (size_t)n;
	}
	return 0;
}

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got;
	int rc = io_loop(fd, buf, len, 0, false, false, &got);

	return rc < 0 ? rc : (ssize_t)got;
}

int write_all(int fd, const void *buf, size_t len)
{
	size_t done;

	/* io_loop writes only: the cast drops a const it keeps */
	return io_loop(fd, (char *)buf, len, 0, false, true, &done);
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done)
{
	return io_loop(fd, (char *)buf, len, off, true, true, done);
}

int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done)
{
	return io_loop(fd, buf, len, off, true, false, done);
}

int slurp_fd(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

void pipe_grow(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

static void atomic_file_free(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	memset(af, 0, sizeof(*af));
}

int atomic_file_open(struct atomic_file *af, const char *path)
{
	char *d = NULL, *b = NULL;
	int fd, err;

	memset(af, 0, sizeof(*af));
	af->path = strdup(path);
	d = strdup(path);
	b = strdup(path);
	if (!af->path || !d || !b)
		goto out_nomem;
	af->dir = strdup(dirname(d));
	if (!af->dir ||
	    asprintf(&af->tmp, "%s/.%s.XXXXXX", af->dir, basename(b)) < 0) {
		af->tmp = NULL;
		goto out_nomem;
	}
	free(d);
	free(b);
	fd = mkostemp(af->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		atomic_file_free(af);
		return -err;
	}
	af->f = fdopen(fd, "w");
	if (!af->f) {
		err = errno;
		close(fd);
		unlink(af->tmp);
		atomic_file_free(af);
		return -err;
	}
	return 0;

out_nomem:
	free(d);
	free(b);
	atomic_file_free(af);
	return -ENOMEM;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	if (af->tmp)
		unlink(af->tmp);
	atomic_file_free(af);
}

/* The mode open(2) gives a new file: 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

int atomic_file_commit(struct atomic_file *af, const char **step)
{
	int fd = fileno(af->f), dfd, err = 0;

	*step = "write";
	if (fflush(af->f) != 0)
		err = errno;
	else if (ferror(af->f))
		err = EIO;
	if (!err && (*step = "chmod", fchmod(fd, new_file_mode()) < 0))
		err = errno;
	if (!err && (*step = "fsync", fsync(fd) < 0))
		err = errno;
	if (fclose(af->f) != 0 && !err) {
		*step = "close";
		err = errno;
	}
	af->f = NULL;
	if (!err && (*step = "rename", rename(af->tmp, af->path) < 0))
		err = errno;
	if (err) {
		unlink(af->tmp);
		atomic_file_free(af);
		return -err;
	}
	/* The rename is durable once the directory is on disk too; the file
	 * is in place already, so a failure here is no failure to write. */
	dfd = open(af->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	atomic_file_free(af);
	return 0;
}
