/* SPDX-License-Identifier: MIT */
/*
 * paths.h - the one place that knows where /proc and the shm directory are.
 * SHMTOOL_PROC_ROOT and SHMTOOL_SHM_DIR point them at a fixture tree.
 */
#ifndef SHMTOOL_PATHS_H
#define SHMTOOL_PATHS_H

const char *proc_root(void);
const char *shm_dir(void);
/* Open PROC_ROOT/rel (rel without a leading slash); -1 and errno on error. */
int proc_open(const char *rel, int flags);
/* Open the shm directory as a directory fd; -errno on error. */
int shm_dir_open(void);

#endif
