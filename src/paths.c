// SPDX-License-Identifier: MIT
/*
 * paths.c - where /proc and the shm directory are.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

static int procfd = -1;

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return (v && *v) ? v : def;
}

const char *proc_root(void)
{
	return env_or("SHMTOOL_PROC_ROOT", "/proc");
}

bool proc_is_live(void)
{
	return strcmp(proc_root(), "/proc") == 0;
}

const char *shm_dir(void)
{
	return env_or("SHMTOOL_SHM_DIR", "/dev/shm");
}

int proc_init(void)
{
	static char *opened;	/* the path procfd is (tests change it) */
	const char *root = proc_root();

	if (procfd >= 0 && opened && strcmp(opened, root) == 0)
		return 0;
	if (procfd >= 0)
		close(procfd);
	free(opened);
	opened = strdup(root);
	procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return procfd < 0 ? -errno : 0;
}

int proc_dirfd(void)
{
	int rc = proc_init();

	return rc < 0 ? rc : procfd;
}

int proc_open(const char *rel, int flags)
{
	int dfd = proc_dirfd();

	if (dfd < 0) {
		errno = -dfd;
		return -1;
	}
	return openat(dfd, rel, flags | O_CLOEXEC);
}

int shm_dir_open(void)
{
	int fd = open(shm_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}
