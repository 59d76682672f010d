/* SPDX-License-Identifier: MIT */
/*
 * io.h - I/O loops that never lose a byte (io.c).
 */
#ifndef SHMTOOL_IO_H
#define SHMTOOL_IO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Read until len bytes or end of file; retries EINTR and short reads.
 * Returns bytes read (< len only at EOF) or -errno.
 */
ssize_t read_full(int fd, void *buf, size_t len);
/* Write all len bytes; retries EINTR and short writes. 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Same, at an offset; *done receives the bytes written even on error. */
int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done);
/* Read up to len bytes at off; *done < len only at end of file. */
int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done);

/* Read a whole file (at most max bytes; -EFBIG beyond) into malloc'd *buf. */
int slurp_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * If fd is a pipe, make its buffer as large as the system allows (up to
 * 1 MiB): a bulk transfer then switches between writer and reader 16
 * times less often.  Only a hint: errors are ignored.
 */
void pipe_grow(int fd);

#endif
