// SPDX-License-Identifier: MIT
/*
 * io.c - I/O loops that never lose a byte: short counts and EINTR retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
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
