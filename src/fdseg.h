/* SPDX-License-Identifier: MIT */
/*
 * fdseg.h - a segment handled as a file descriptor (fdseg.c).
 */
#ifndef SHMTOOL_FDSEG_H
#define SHMTOOL_FDSEG_H

#include <stdbool.h>
#include <sys/types.h>

#include "segment.h"

/*
 * An fd just opened for seg: it must be a regular file, and the same
 * inode the lookup described (not one that took the name since).  On
 * success it becomes the handle h; on failure it is closed.  0 or -errno.
 */
int fdseg_handle(int fd, const struct segment *seg, bool writable,
		 struct seghandle *h);
int fdseg_close(struct seghandle *h);

/*
 * The transfer ops of a handle that is a file descriptor (h->fd): POSIX
 * segments, memfds, and SysV segments reached through their own file.
 */
int fdseg_pread(struct seghandle *h, void *buf, size_t len, uint64_t off,
		size_t *done);
int fdseg_pwrite(struct seghandle *h, const void *buf, size_t len,
		 uint64_t off, size_t *done);
int fdseg_copy_to_fd(struct seghandle *h, int fd, uint64_t off, uint64_t len,
		     uint64_t *done);
int fdseg_copy_from_fd(struct seghandle *h, int fd, uint64_t off,
		       uint64_t len, uint64_t *done);

/* The device of a new memfd made with flags (the kernel's internal shmem
 * mount, or a hugetlbfs one); false if none can be made. */
bool memfd_device(unsigned int flags, dev_t *out);

#endif
