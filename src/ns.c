/* SPDX-License-Identifier: MIT */
/*
 * ns.c - namespaces in one place (see ns.h): entering, enumerating,
 * hinting, and reading as another namespace sees it.  Every path goes
 * through paths.c, so the caller's own /proc is used after --ns entered
 * a namespace whose owner may have mounted another, and a fixture tree
 * works as /proc does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ns.h"
#include "parse.h"
#include "paths.h"
#include "io.h"
#include "msg.h"
#include "text.h"
#include "util.h"

int ns_enter(pid_t pid)
{
	char rel[64];
	int ipc, mnt, rc = EXIT_OK;

	/* The caller's /proc: opened before either namespace is entered
	 * (the mount namespace changes what /proc shows). */
	snprintf(rel, sizeof(rel), "%d/ns/ipc", (int)pid);
	ipc = proc_open(rel, O_RDONLY);
	if (ipc < 0) {
		if (errno == ENOENT)
			msg("--ns %d: no such process", (int)pid);
		else
			msg_errno(errno, "--ns %d: %s/%s", (int)pid,
				  proc_root(), rel);
		return EXIT_FAIL;
	}
	snprintf(rel, sizeof(rel), "%d/ns/mnt", (int)pid);
	mnt = proc_open(rel, O_RDONLY);
	if (mnt < 0) {
		msg_errno(errno, "--ns %d: %s/%s", (int)pid, proc_root(), rel);
		close(ipc);
		return EXIT_FAIL;
	}
	if (setns(ipc, CLONE_NEWIPC) < 0 || setns(mnt, CLONE_NEWNS) < 0) {
		msg_errno(errno, "--ns %d: cannot enter its namespaces%s",
			  (int)pid,
			  errno == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
		rc = EXIT_FAIL;
	}
	close(ipc);
	close(mnt);
	return rc;
}

void ns_self(uint64_t *ipc, uint64_t *mnt)
{
	struct stat st;
	int pfd = proc_dirfd();

	*ipc = *mnt = 0;
	if (pfd < 0)
		return;
	if (fstatat(pfd, "self/ns/ipc", &st, 0) == 0)
		*ipc = st.st_ino;
	if (fstatat(pfd, "self/ns/mnt", &st, 0) == 0)
		*mnt = st.st_ino;
}

/* A short first line of pidfd/name, or "" (NUL-terminated). */
static void first_line(int pidfd, const char *name, char *out, size_t len)
{
	int fd = openat(pidfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;
	char *nl;

	if (fd >= 0) {
		n = read_full(fd, out, len - 1);
		close(fd);
	}
	out[n > 0 ? n : 0] = '\0';
	if ((nl = strchr(out, '\n')))
		*nl = '\0';
}

/* "COMM (CGROUP PATH)", whatever of the cgroup fits (as the kernel has
 * them: the renderer escapes). */
static void ns_hint(int pidfd, char *out, size_t len)
{
	char comm[32], cg[256];
	const char *path;
	int w;

	first_line(pidfd, "comm", comm, sizeof(comm));
	if (!*comm)
		snprintf(comm, sizeof(comm), "?");
	first_line(pidfd, "cgroup", cg, sizeof(cg));
	/* "0::/path" (cgroup v2): keep the path */
	path = strstr(cg, "::");
	path = path ? path + 2 : cg;
	w = snprintf(out, len, "%s", comm);
	if (*path && w > 0 && (size_t)w + 4 < len) {
		size_t room = len - (size_t)w - 4;
		size_t el = strnlen(path, room);

		out[w] = ' ';
		out[w + 1] = '(';
		memcpy(out + w + 2, path, el);
		out[w + 2 + el] = ')';
		out[w + 3 + el] = '\0';
	}
}

static int ns_add(struct nsinfo **v, size_t *n, uint64_t ino, pid_t pid,
		  int pidfd)
{
	struct nsinfo *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].ino == ino)
			return 0;
	nv = reallocarray(*v, *n + 1, sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n].ino = ino;
	nv[*n].pid = pid;
	ns_hint(pidfd, nv[*n].hint, sizeof(nv[*n].hint));
	(*n)++;
	return 0;
}

int ns_enumerate(struct nsinfo **ipc, size_t *nipc, struct nsinfo **mnt,
		 size_t *nmnt)
{
	struct dirent *de;
	int dfd = proc_open(".", O_RDONLY | O_DIRECTORY);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	int rc = 0;

	*ipc = *mnt = NULL;
	*nipc = *nmnt = 0;
	if (!d) {
		rc = -errno;
		if (dfd >= 0)
			close(dfd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		pid_t pid;
		int pidfd;

		if (parse_pid(de->d_name, &pid) < 0)
			continue;
		pidfd = openat(dirfd(d), de->d_name,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pidfd < 0)
			continue;	/* it left */
		if (fstatat(pidfd, "ns/ipc", &st, 0) == 0)
			rc = ns_add(ipc, nipc, st.st_ino, (pid_t)pid, pidfd);
		if (rc == 0 && fstatat(pidfd, "ns/mnt", &st, 0) == 0)
			rc = ns_add(mnt, nmnt, st.st_ino, (pid_t)pid, pidfd);
		close(pidfd);
	}
	closedir(d);
	if (rc < 0) {
		free(*ipc);
		free(*mnt);
		*ipc = *mnt = NULL;
		*nipc = *nmnt = 0;
	}
	return rc;
}

/* A fixture tree: PID/ns/ipc is a directory holding what it reads. */
static int read_fixture(pid_t pid, uint64_t ino, const char *rel,
			size_t max, char **buf, size_t *len)
{
	char path[128];
	struct stat st;
	int fd, rc;

	snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
	if (fstatat(proc_dirfd(), path, &st, 0) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if ((uint64_t)st.st_ino != ino)
		return -ESRCH;
	if (snprintf(path, sizeof(path), "%d/ns/ipc/%s", (int)pid, rel) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = proc_open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	rc = slurp_fd(fd, max, buf, len);
	close(fd);
	return rc;
}

int ns_read_ipc(pid_t pid, uint64_t ino, const char *rel, size_t max,
		char **buf, size_t *len)
{
	char path[64];
	struct stat st;
	int nsfd, pfd[2], status, rc;
	pid_t child;

	*buf = NULL;
	*len = 0;
	if (!proc_is_live())
		return read_fixture(pid, ino, rel, max, buf, len);
	snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
	nsfd = proc_open(path, O_RDONLY);
	if (nsfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* Still that namespace: not a process that took the PID since. */
	if (fstat(nsfd, &st) < 0 || (uint64_t)st.st_ino != ino) {
		close(nsfd);
		return -ESRCH;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = -errno;
		close(nsfd);
		return rc;
	}
	child = fork();
	if (child < 0) {
		rc = -errno;
		close(nsfd);
		close(pfd[0]);
		close(pfd[1]);
		return rc;
	}
	if (child == 0) {
		char *b;
		size_t n;
		int fd;

		close(pfd[0]);
		if (setns(nsfd, CLONE_NEWIPC) < 0)
			_exit(2);
		/* /proc/sysvipc shows the namespace of whoever opens it. */
		fd = proc_open(rel, O_RDONLY);
		if (fd < 0 || slurp_fd(fd, max, &b, &n) < 0)
			_exit(3);
		_exit(write_all(pfd[1], b, n) < 0 ? 4 : 0);
	}
	close(nsfd);
	close(pfd[1]);
	rc = slurp_fd(pfd[0], max, buf, len);
	close(pfd[0]);
	/* SIGCHLD is not ignored (main), so the child is ours to reap. */
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	if (rc == 0 && (status == -1 || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0))
		rc = status != -1 && WIFEXITED(status) &&
			     WEXITSTATUS(status) == 2
			     ? -EPERM : -EIO;
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}

int ns_shm_dir(pid_t pid)
{
	const char *rel = proc_is_live() ? shm_dir() : SHM_DIR_DEFAULT;
	char root[32];
	int rfd, dfd;

	snprintf(root, sizeof(root), "%d/root", (int)pid);
	rfd = proc_open(root, O_PATH | O_DIRECTORY);
	if (rfd < 0)
		return -errno;
	while (*rel == '/')
		rel++;
	dfd = shm_dir_open_at(rfd, *rel ? rel : ".", true);
	close(rfd);
	return dfd;
}
