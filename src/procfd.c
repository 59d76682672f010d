// SPDX-License-Identifier: MIT
/*
 * procfd.c - memfds and shared anonymous memory, which have no name to
 * list, look up or remove: they live as long as their holders, and are
 * reached through a holder's /proc/PID/fd/FD or map_files/START-END.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdseg.h"
#include "paths.h"
#include "procfd.h"
#include "segment.h"

static void proc_rel(const struct segment *seg, char *buf, size_t len)
{
	if (seg->via_fd >= 0)
		snprintf(buf, len, "%d/fd/%d", (int)seg->via_pid, seg->via_fd);
	else
		snprintf(buf, len, "%d/map_files/%llx-%llx", (int)seg->via_pid,
			 (unsigned long long)seg->via_start,
			 (unsigned long long)seg->via_end);
}

int procfd_describe(pid_t pid, int fd, uint64_t start, uint64_t end,
		    bool anon, struct segment *out)
{
	char rel[96], link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int pfd;

	memset(out, 0, sizeof(*out));
	out->kind = anon ? SEG_ANON : SEG_MEMFD;
	out->shmid = -1;
	out->via_pid = pid;
	out->via_fd = fd;
	out->via_start = start;
	out->via_end = end;
	proc_rel(out, rel, sizeof(rel));
	pfd = proc_open(rel, O_PATH);
	if (pfd < 0)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	if (fstat(pfd, &st) < 0) {
		int err = errno;

		close(pfd);
		return -err;
	}
	close(pfd);
	if (!S_ISREG(st.st_mode))
		return -EMEDIUMTYPE;
	{
		int dfd = proc_open(".", O_RDONLY | O_DIRECTORY);

		n = dfd < 0 ? -1 : readlinkat(dfd, rel, link, sizeof(link) - 1);
		if (dfd >= 0)
			close(dfd);
	}
	if (n > 0) {
		link[n] = '\0';
		if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0)
			link[n - 10] = '\0';
		if (anon ? strcmp(link, "/dev/zero") != 0
			 : strncmp(link, "/memfd:", 7) != 0)
			return -EMEDIUMTYPE;
		if (!anon) {
			size_t l = strnlen(link + 7, sizeof(out->name) - 1);

			memcpy(out->name, link + 7, l);
			out->name[l] = '\0';
		}
	}
	segment_set_stat(out, &st);
	return 0;
}

static int procfd_open(const struct segment *seg, bool writable,
		       struct seghandle *h)
{
	char rel[96];
	int fd;

	proc_rel(seg, rel, sizeof(rel));
	fd = proc_open(rel, writable ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
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
