/* SPDX-License-Identifier: MIT */
/*
 * procfd.h - memory reached through a holder (procfd.c).
 */
#ifndef SHMTOOL_PROCFD_H
#define SHMTOOL_PROCFD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "segment.h"

extern const struct backend_ops procfd_backend;

/*
 * Describe what a holder holds, of kind SEG_MEMFD, SEG_ANON or SEG_POSIX:
 * /proc/PID/fd/FD, or /proc/PID/map_files/START-END when fd is -1, read
 * through a pinned /proc/PID.  A regular file only, and of that kind (a
 * memfd, /dev/zero, a file of a shm directory's file system): else
 * -EMEDIUMTYPE; -ENOENT if the process, fd or mapping is gone.  A POSIX
 * segment that is unlinked gets SEG_ST_DELETED.
 */
int procfd_describe(pid_t pid, int fd, uint64_t start, uint64_t end,
		    enum seg_kind kind, struct segment *out);

/* Open what procfd_describe described, through the same holder; it must
 * still be that object (same device and inode: -ESTALE). */
int procfd_open(const struct segment *seg, bool writable,
		struct seghandle *h);

#endif
