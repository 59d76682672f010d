// SPDX-License-Identifier: MIT
/*
 * procfd.c - memory reached through a holder's /proc/PID/fd/FD or
 * map_files/START-END: memfds and shared anonymous memory, which have no
 * name to list, look up or remove and live as long as their holders, and
 * POSIX segments through a process that holds them (the only way to a
 * deleted one).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdseg.h"
#include "parse.h"
#include "paths.h"
#include "procfd.h"
#include "segment.h"

/* The holder's entry, relative to its /proc/PID directory. */
static void via_rel(const struct segment *seg, char *buf, size_t len)
{
	if (seg->via_fd >= 0)
		snprintf(buf, len, "fd/%d", seg->via_fd);
	else
		snprintf(buf, len, "map_files/%llx-%llx",
			 (unsigned long long)seg->via_start,
			 (unsigned long long)seg->via_end);
}

/* /proc/PID as a directory fd: what is read through it is that process's
 * or fails (ESRCH), never a later process's with the same PID. */
static int pid_dir(pid_t pid)
{
	char rel[16];
	int fd;

	snprintf(rel, sizeof(rel), "%d", (int)pid);
	fd = proc_open(rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	return fd;
}

/*
 * Is dev the file system of a shm directory: ours (or the one --ns
 * entered), or the one the holder sees below its own root (opened
 * strictly: no symbolic link, a tmpfs or hugetlbfs)?  A POSIX segment
 * lives there and nowhere else; any other file a process holds is none.
 */
static bool shm_dev(int pfd, dev_t dev)
{
	const char *rel = shm_dir();
	struct stat st;
	bool same = false;
	int dfd = shm_dir_open(), rfd;

	if (dfd >= 0) {
		same = fstat(dfd, &st) == 0 && st.st_dev == dev;
		close(dfd);
	}
	if (same || !proc_is_live())
		return same;
	rfd = openat(pfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0)
		return false;
	while (*rel == '/')
		rel++;
	dfd = shm_dir_open_at(rfd, *rel ? rel : ".", true);
	close(rfd);
	if (dfd >= 0) {
		same = fstat(dfd, &st) == 0 && st.st_dev == dev;
		close(dfd);
	}
	return same;
}

/* What the link says the holder holds: a memfd's name, or a POSIX
 * segment's last path component ("" if it cannot be read).  false if it
 * is not of the kind asked. */
/* Its name from the link, if the link is of its kind: 0, -EMEDIUMTYPE
 * (another kind), or -ENOMEM. */
static int via_link(int pfd, const char *rel, struct segment *out)
{
	char link[PATH_MAX];
	const char *name;
	ssize_t n = readlinkat(pfd, rel, link, sizeof(link) - 1);

	if (n <= 0)
		return 0;	/* the kind was checked by other means */
	link[n] = '\0';
	if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0)
		link[n - 10] = '\0';
	switch (out->kind) {
	case SEG_ANON:
		return strcmp(link, "/dev/zero") == 0 ? 0 : -EMEDIUMTYPE;
	case SEG_MEMFD:
		if (strncmp(link, "/memfd:", 7) != 0)
			return -EMEDIUMTYPE;
		name = link + 7;
		break;
	case SEG_POSIX:
		name = strrchr(link, '/');
		name = name ? name + 1 : link;
		break;
	default:
		return -EMEDIUMTYPE;
	}
	if (segment_set_name(out, name) < 0)
		return -ENOMEM;
	out->sem = out->kind == SEG_POSIX && is_semaphore_name(seg_name(out));
	return 0;
}

int procfd_describe(pid_t pid, int fd, uint64_t start, uint64_t end,
		    enum seg_kind kind, struct segment *out)
{
	char rel[96];
	struct stat st;
	int pfd, rc = 0;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->shmid = -1;
	out->via_pid = pid;
	out->via_fd = fd;
	out->via_start = start;
	out->via_end = end;
	via_rel(out, rel, sizeof(rel));
	pfd = pid_dir(pid);
	if (pfd < 0)
		return pfd;
	if (fstatat(pfd, rel, &st, 0) < 0) {
		rc = errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
		goto out;
	}
	rc = S_ISREG(st.st_mode) ? via_link(pfd, rel, out) : -EMEDIUMTYPE;
	if (rc == 0 && kind == SEG_POSIX && !shm_dev(pfd, st.st_dev))
		rc = -EMEDIUMTYPE;
	if (rc < 0)
		goto out;
	segment_set_stat(out, &st);
	/* Unlinked: reached only through its holders. */
	if (kind == SEG_POSIX && st.st_nlink == 0)
		out->status |= SEG_ST_DELETED;
out:
	close(pfd);
	return rc;
}

int procfd_open(const struct segment *seg, bool writable,
		struct seghandle *h)
{
	char rel[96];
	int pfd, fd;

	via_rel(seg, rel, sizeof(rel));
	pfd = pid_dir(seg->via_pid);
	if (pfd < 0)
		return pfd;
	fd = openat(pfd, rel, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC |
				      O_NONBLOCK);
	if (fd < 0) {
		int err = errno;

		close(pfd);
		return err == ENOENT || err == ESRCH ? -ENOENT : -err;
	}
	close(pfd);
	/* O_NONBLOCK was against a FIFO's block; a segment is no FIFO. */
	if (fcntl(fd, F_SETFL, 0) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	/* The very object described: same device and inode. */
	return fdseg_handle(fd, seg, writable, h);
}

/*
 * memfds and shared anonymous memory have no name to list, look up or
 * remove: they live as long as their holders.  Through a holder's fd or
 * mapping they read and write like a file.
 */
const struct backend_ops procfd_backend = {
	.open = procfd_open,
	.pread = fdseg_pread,
	.pwrite = fdseg_pwrite,
	.copy_to_fd = fdseg_copy_to_fd,
	.close = fdseg_close,
};
