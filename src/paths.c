// SPDX-License-Identifier: MIT
/*
 * paths.c - where /proc and the shm directory are.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paths.h"

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return (v && *v) ? v : def;
}

const char *proc_root(void)
{
	return env_or("SHMTOOL_PROC_ROOT", "/proc");
}

const char *shm_dir(void)
{
	return env_or("SHMTOOL_SHM_DIR", "/dev/shm");
}

int proc_open(const char *rel, int flags)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", proc_root(), rel);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, flags | O_CLOEXEC);
}

int shm_dir_open(void)
{
	int fd = open(shm_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}
