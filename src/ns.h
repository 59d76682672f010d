/* SPDX-License-Identifier: MIT */
/*
 * ns.h - namespaces, in one place: entering a process's (--ns PID),
 * finding every one some process is in (--all-namespaces), naming them
 * for people, and reading a /proc file or a shm directory as another
 * namespace sees it.  Everything goes through the paths layer: the
 * caller's own /proc (opened before any namespace is entered), or a
 * fixture tree (SHMTOOL_PROC_ROOT), where
 *
 *   PID/ns/ipc, PID/ns/mnt   any file or directory: its inode number is
 *                            the namespace
 *   PID/ns/ipc/REL           what REL (e.g. sysvipc/shm) reads in that
 *                            IPC namespace (PID/ns/ipc a directory)
 *   PID/root/dev/shm         that mount namespace's shm directory
 */
#ifndef SHMTOOL_NS_H
#define SHMTOOL_NS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Enter the IPC and mount namespaces of process pid, like nsenter -t PID
 * -i -m; both are opened (through the caller's /proc) before either is
 * entered.  EXIT_OK, or EXIT_FAIL after one line on stderr saying why.
 */
int ns_enter(pid_t pid);

/* One namespace, and the first process seen in it. */
struct nsinfo {
	uint64_t ino;
	pid_t pid;
	char hint[80];		/* "COMM (CGROUP)", for people (raw) */
};

/*
 * Every IPC and every mount namespace some process in /proc is in, each
 * once, with a process in it and a hint of whose it is.  malloc'd arrays;
 * 0 or -errno.
 */
int ns_enumerate(struct nsinfo **ipc, size_t *nipc, struct nsinfo **mnt,
		 size_t *nmnt);

/* The caller's own IPC and mount namespaces (0 if unknown). */
void ns_self(uint64_t *ipc, uint64_t *mnt);

/*
 * Read the /proc file rel as IPC namespace ino (the namespace of process
 * pid, checked to still be ino) sees it: a child enters it with setns and
 * sends the bytes back through a pipe, at most max of them.  *buf is
 * malloc'd.  0; -EPERM if it cannot be entered, -ESRCH if the process
 * left or changed namespace, -EFBIG past max, else -errno or -EIO.
 */
int ns_read_ipc(pid_t pid, uint64_t ino, const char *rel, size_t max,
		char **buf, size_t *len);

/*
 * The shm directory of process pid's mount namespace, opened through its
 * /proc/PID/root with no symlink followed below it (its owner chose every
 * component), and only a tmpfs or hugetlbfs: a directory fd or -errno
 * (shm_dir_strerror says -ELOOP and -ENOMEDIUM in words).
 */
int ns_shm_dir(pid_t pid);

#endif
