// SPDX-License-Identifier: MIT
/*
 * io.c - I/O loops that never lose a byte: short counts and EINTR retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done)
{
	const char *p = buf;

	*done = 0;
	while (*done < len) {
		ssize_t n = pwrite(fd, p + *done, len - *done,
				   off + (off_t)*done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		*done += (size_t)n;
	}
	return 0;
}

int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done)
{
	char *p = buf;

	*done = 0;
	while (*done < len) {
		ssize_t n = pread(fd, p + *done, len - *done,
				  off + (off_t)*done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		*done += (size_t)n;
	}
	return 0;
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
