// SPDX-License-Identifier: MIT
/*
 * posixsem.c - the value and waiters of POSIX named semaphores.
 *
 * sem_open(3) makes "sem.NAME" in the shm directory: a file the size of
 * a sem_t that every process using the semaphore maps.  Its layout is
 * glibc's (nptl's struct new_sem, internaltypes.h), which has two forms:
 *
 *   with 64-bit atomics (every 64-bit architecture glibc supports):
 *     uint64_t data;        value in the low 32 bits, waiters in the high
 *     int private, pad;
 *   without (32-bit architectures):
 *     unsigned int value;   value << 1, bit 0: someone may be waiting
 *     int private, pad;
 *     unsigned int nwaiters;
 *
 * in the machine's byte order.  shmtool reads the form of the machine it
 * was built for: a semaphore made by a 32-bit program on a 64-bit machine
 * (or by another C library) is read wrongly, and the man page says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "paths.h"
#include "posixsem.h"
#include "segment.h"

bool sem_decode(const unsigned char *buf, size_t len, uint32_t *value,
		uint32_t *waiters)
{
#if UINTPTR_MAX > 0xffffffffu
	uint64_t data;

	if (len < sizeof(data) + 2 * sizeof(int))
		return false;
	memcpy(&data, buf, sizeof(data));
	*value = (uint32_t)data;
	*waiters = (uint32_t)(data >> 32);
#else
	uint32_t v, nw;

	if (len < 4 * sizeof(uint32_t))
		return false;
	memcpy(&v, buf, sizeof(v));
	memcpy(&nw, buf + 3 * sizeof(uint32_t), sizeof(nw));
	*value = v >> 1;
	*waiters = nw;
#endif
	return true;
}

/* One semaphore: the file it names, if it is still the one listed. */
static void sem_value(int dfd, struct segment *s)
{
	unsigned char buf[SEM_FILE_BYTES];
	struct stat st;
	size_t got = 0;
	int fd;

	/* O_NONBLOCK: never wait for a lease holder (rm --unused), nor
	 * open a FIFO put in its place; O_NOATIME where we may. */
	fd = openat(dfd, seg_name(s), O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				  O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = openat(dfd, seg_name(s),
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == s->ino &&
	    st.st_dev == s->dev && pread_full(fd, buf, sizeof(buf), 0, &got) == 0)
		s->has_semval = sem_decode(buf, got, &s->sem_value,
					   &s->sem_waiters);
	close(fd);
}

void posix_sem_values(struct segment *v, size_t n)
{
	int dfd = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		struct segment *s = &v[i];

		if (s->kind != SEG_POSIX || !s->sem || s->foreign ||
		    (s->status & SEG_ST_DELETED))
			continue;
		if (dfd < 0)
			dfd = shm_dir_open();
		if (dfd < 0)
			return;
		sem_value(dfd, s);
	}
	if (dfd >= 0)
		close(dfd);
}
