// SPDX-License-Identifier: MIT
/*
 * paths.c - where /proc and the shm directory are.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
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
	return env_or("SHMTOOL_SHM_DIR", SHM_DIR_DEFAULT);
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

static bool strict_shm;

void shm_dir_strict(bool on)
{
	strict_shm = on;
}

/* openat2 without any symlink, component by component when the kernel
 * lacks openat2 (Linux < 5.6). */
static int open_nofollow(int dirfd, const char *path, bool beneath)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   (beneath ? RESOLVE_BENEATH : 0),
	};
	char buf[4096], *part, *save = NULL;
	int fd, next;
	long r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (r >= 0)
		return (int)r;
	if (errno != ENOSYS)
		return -errno;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	fd = path[0] == '/' ? open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			    : fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	for (part = strtok_r(buf, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		if (strcmp(part, "..") == 0) {
			close(fd);
			return -EXDEV;
		}
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
		close(fd);
		if (next < 0)
			return errno == ENOTDIR ? -ELOOP : -errno;
		fd = next;
	}
	return fd;
}

int shm_dir_open_at(int dirfd, const char *path, bool strict)
{
	struct statfs sf;
	int fd;

	if (!strict) {
		fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	fd = open_nofollow(dirfd, path, dirfd != AT_FDCWD);
	if (fd < 0)
		return fd;
	/* A fixture tree (SHMTOOL_PROC_ROOT) lives on any file system. */
	if (proc_is_live() &&
	    (fstatfs(fd, &sf) < 0 || (sf.f_type != TMPFS_MAGIC &&
				      sf.f_type != HUGETLBFS_MAGIC))) {
		close(fd);
		return -ENOMEDIUM;
	}
	return fd;
}

const char *shm_dir_strerror(int rc)
{
	if (rc == -ELOOP)
		return "the shm directory is a symbolic link there, or under "
		       "one (refused)";
	if (rc == -ENOMEDIUM)
		return "the shm directory is not a tmpfs or hugetlbfs there "
		       "(refused)";
	return strerror(-rc);
}

int shm_dir_open(void)
{
	return shm_dir_open_at(AT_FDCWD, shm_dir(), strict_shm);
}
