// SPDX-License-Identifier: MIT
/*
 * fdseg.c - a segment read and written as a file: the handle over an open
 * fd that POSIX segments, memfd and shared anonymous memory (through a
 * holder) and, as root, SysV segments (through map_files) all use; and the
 * kernel's internal shmem device, learnt from a memfd of our own.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdseg.h"
#include "segment.h"
#include "io.h"

/*
 * An fd just opened for seg: it must be a regular file, and the same inode
 * the lookup described (not one that took the name since).  On success it
 * becomes the handle; on failure it is closed.
 */
int fdseg_handle(int fd, const struct segment *seg, bool writable,
		 struct seghandle *h)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EMEDIUMTYPE;
		goto out_close;
	}
	if (seg->ino && (st.st_ino != seg->ino || st.st_dev != seg->dev)) {
		rc = -ESTALE;
		goto out_close;
	}
	memset(h, 0, sizeof(*h));
	h->kind = seg->kind;
	h->fd = fd;
	h->size = (uint64_t)st.st_size;
	h->writable = writable;
	return 0;

out_close:
	close(fd);
	return rc;
}

int fdseg_pread(struct seghandle *h, void *buf, size_t len, uint64_t off,
		size_t *done)
{
	return pread_full(h->fd, buf, len, (off_t)off, done);
}

/*
 * Is the file still at least end bytes long?  Another process may have
 * truncated it: a pwrite past its end would grow it again, and write
 * never changes a segment's size.  -ENODATA if it shrank.
 */
static int still_fits(const struct seghandle *h, uint64_t end)
{
	struct stat st;

	if (fstat(h->fd, &st) < 0)
		return -errno;
	return (uint64_t)st.st_size < end ? -ENODATA : 0;
}

/*
 * pwrite, never an mmap store: on a full tmpfs a store into a hole is a
 * SIGBUS, a pwrite is ENOSPC.  1 MiB at a time, each only while the file
 * is still that long.
 */
int fdseg_pwrite(struct seghandle *h, const void *buf, size_t len,
		 uint64_t off, size_t *done)
{
	*done = 0;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	while (*done < len) {
		size_t chunk = len - *done > (1u << 20) ? (1u << 20)
						       : len - *done;
		size_t n = 0;
		int rc = still_fits(h, off + *done + chunk);

		if (rc == 0)
			rc = pwrite_all(h->fd, (const char *)buf + *done, chunk,
					(off_t)(off + *done), &n);
		*done += n;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Copy [off, off + len) with pread and write; *done grows as it goes. */
static int copy_by_read(struct seghandle *h, int fd, uint64_t off,
			uint64_t len, uint64_t *done)
{
	static char buf[1 << 20] __attribute__((aligned(4096)));
	uint64_t n = 0;
	int rc;

	while (n < len) {
		size_t want = len - n > sizeof(buf) ? sizeof(buf)
						    : (size_t)(len - n);
		size_t got;

		rc = pread_full(h->fd, buf, want, (off_t)(off + n), &got);
		if (rc < 0)
			return rc;
		if (got > 0) {
			rc = write_all(fd, buf, got);
			if (rc < 0)
				return rc;
			n += got;
			*done += got;
		}
		if (got < want)
			return -ENODATA;	/* the segment shrank */
	}
	return 0;
}

int fdseg_copy_to_fd(struct seghandle *h, int fd, uint64_t off, uint64_t len,
		     uint64_t *done)
{
	*done = 0;
	while (*done < len) {
		off_t pos = (off_t)(off + *done);
		size_t chunk = len - *done > (1u << 30) ? (1u << 30)
						       : (size_t)(len - *done);
		ssize_t n = sendfile(fd, h->fd, &pos, chunk);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Output sendfile cannot write to, or offsets past
			 * what it takes (EOVERFLOW near 2^63): copy. */
			if (errno == EINVAL || errno == ENOSYS ||
			    errno == EOVERFLOW)
				return copy_by_read(h, fd, off + *done,
						    len - *done, done);
			return -errno;
		}
		if (n == 0)
			return -ENODATA;	/* the segment shrank */
		*done += (uint64_t)n;
	}
	return 0;
}

/*
 * From a pipe, splice straight into the file (no copy through a buffer):
 * up to len bytes at off, until end of input.  Anything else is -ENOTSUP
 * before any byte moves, and the caller copies through a buffer.
 */
int fdseg_copy_from_fd(struct seghandle *h, int fd, uint64_t off,
		       uint64_t len, uint64_t *done)
{
	struct stat st;

	*done = 0;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return -ENOTSUP;
	while (*done < len) {
		loff_t pos = (loff_t)(off + *done);
		size_t chunk = len - *done > (1u << 20) ? (1u << 20)
						       : (size_t)(len - *done);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int rc;

		/* Wait for input first: the size is checked right before
		 * the bytes move, not before a wait of any length. */
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -errno;
		rc = still_fits(h, off + *done + chunk);
		if (rc < 0)
			return rc;
		n = splice(fd, NULL, h->fd, &pos, chunk,
			   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && *done == 0)
				return -ENOTSUP;
			return -errno;
		}
		if (n == 0)
			return 0;	/* end of input */
		*done += (uint64_t)n;
	}
	return 0;
}

int fdseg_close(struct seghandle *h)
{
	int rc = 0;

	if (h->fd >= 0 && close(h->fd) < 0)
		rc = -errno;
	h->fd = -1;
	return rc;
}

/*
 * The device of a fresh memfd made with flags (MFD_HUGETLB and a size for
 * a hugetlbfs one): memfds, shared anonymous memory and SysV segments
 * live on the kernel's internal shmem mount, hugetlb ones on its
 * hugetlbfs mounts.
 */
bool memfd_device(unsigned int flags, dev_t *out)
{
	struct stat st;
	int fd = (int)syscall(SYS_memfd_create, "shmtool-probe",
			      flags | 1u /* MFD_CLOEXEC */);
	bool ok;

	if (fd < 0)
		return false;
	ok = fstat(fd, &st) == 0;
	close(fd);
	if (ok)
		*out = st.st_dev;
	return ok;
}
