/* SPDX-License-Identifier: MIT */
/*
 * paths.h - the one place that knows where /proc and the shm directory are.
 * SHMTOOL_PROC_ROOT and SHMTOOL_SHM_DIR point them at a fixture tree.
 */
#ifndef SHMTOOL_PATHS_H
#define SHMTOOL_PATHS_H

#include <stdbool.h>

/* Where the shm directory is when nothing moves it (glibc's). */
#define SHM_DIR_DEFAULT "/dev/shm"

const char *proc_root(void);
const char *shm_dir(void);
/* Is proc_root() the kernel's /proc (not a fixture tree)? */
bool proc_is_live(void);

/*
 * Open /proc (or SHMTOOL_PROC_ROOT) once, as a directory fd that every
 * later /proc access is relative to.  main() calls it before --ns enters
 * another mount namespace, so that the scan reads the caller's own /proc,
 * not one the target mounted (ARCHITECTURE.md, Verdicts).  0 or -errno.
 */
int proc_init(void);
/* That directory fd (opened on first use if proc_init was not called);
 * -errno if /proc cannot be opened. */
int proc_dirfd(void);
/* Open PROC_ROOT/rel (rel without a leading slash); -1 and errno on error. */
int proc_open(const char *rel, int flags);
/*
 * Open the shm directory as a directory fd; -errno on error.  Strictly
 * after shm_dir_strict(true) (main() calls it once --ns entered another
 * mount namespace, whose owner may be hostile): see shm_dir_open_at.
 */
int shm_dir_open(void);
void shm_dir_strict(bool on);

/*
 * Open a shm directory at path, relative to dirfd (or AT_FDCWD).  Strict:
 * no symbolic link in any component (-ELOOP), never above dirfd, and it
 * must be a tmpfs or hugetlbfs (-ENOMEDIUM).  -errno on error;
 * shm_dir_strerror() says these two in words.
 */
int shm_dir_open_at(int dirfd, const char *path, bool strict);
const char *shm_dir_strerror(int rc);

#endif
