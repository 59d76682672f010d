// SPDX-License-Identifier: MIT
/*
 * floor.c - the minimal scanner: the floor that `shmtool ls` is measured
 * against (issue 18).  It computes the answer `shmtool ls` gives on the
 * benchmark's population -- every SysV and POSIX segment, and the PIDs and
 * commands of the processes that map it (shared or private) or hold an fd
 * to it -- with as few system calls as it can, on one thread:
 *
 *   once          the SysV shmids (/proc/sysvipc/shm)
 *   per process   openat PID/maps; PROCMAP_QUERY over every file-backed
 *                 VMA (a private mapping of a shm file holds it too), a
 *                 name asked only for a shared VMA of the shmem device
 *                 whose inode is a listed shmid (a SysV segment is told
 *                 from a memfd or shared anonymous memory by its name);
 *                 close;
 *                 openat PID/fd, getdents64 into 64 KiB until it returns
 *                 0, fstatat per fd, close
 *   per holder    its comm (openat, read, close)
 *
 * What it leaves out, and shmtool does not: the /proc/PID pin (a reused
 * PID makes shmtool fail instead of read another process), the process's
 * stat (state, threads, start time, for zombies, thread fd tables and
 * verdicts), its executable, other threads' fd tables, the text fallback,
 * and every completeness and error rule of ARCHITECTURE.md, Verdicts.  So it is a floor,
 * not a tool: it prints "KIND ID PID(COMM)..." per segment and, on
 * standard error with -c, the number of process-segment holdings.
 *
 * With -C it adds the reads ARCHITECTURE.md, Verdicts demands of every
 * process, and nothing else: the pin (openat /proc/PID, through which
 * maps and fd are opened; close), the stat (openat, read, close) and an
 * fstatat of the executable.  shmtool's one-thread scan over this floor
 * is what shmtool itself costs beyond the contract.
 *
 *   floor [-c] [-q] [-C]     -q: no output but the count (for timing)
 *
 * Names go in a second query, only for the VMAs that need one: a name
 * buffer in every query makes the kernel build the path of every
 * file-backed VMA, which cost this floor 27% more CPU (1,000 processes).
 * Kernels without PROCMAP_QUERY (< 6.11) fail with a message: the text
 * path has its own floor (cat /proc/[0-9]*\/maps).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct pmq {			/* uapi/linux/fs.h, struct procmap_query */
	uint64_t size, query_flags, query_addr, vma_start, vma_end;
	uint64_t vma_flags, vma_page_size, vma_offset, inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PMQ_IOCTL	_IOWR('f', 17, struct pmq)
#define PMQ_SHARED	0x08
#define PMQ_NEXT	0x10
#define PMQ_FILE	0x20

enum { SYSV, POSIX };

struct hold {
	int kind;
	uint64_t ino;
	int pid;
};

static struct hold *holds;
static size_t nholds, caph;
static dev_t shmem_dev, shm_dev;
static int *shmids;		/* the SysV segments, ascending */
static size_t nshmids;

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void add(int kind, uint64_t ino, int pid)
{
	size_t i;

	/* One holding per (segment, process): a process's VMAs of one
	 * segment come in a row, its fds after them. */
	for (i = nholds; i-- > 0 && holds[i].pid == pid;)
		if (holds[i].kind == kind && holds[i].ino == ino)
			return;
	if (nholds == caph) {
		caph = caph ? caph * 2 : 1024;
		holds = realloc(holds, caph * sizeof(*holds));
		if (!holds)
			die("realloc");
	}
	holds[nholds++] = (struct hold){ kind, ino, pid };
}

static ssize_t read_some(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* The shmids of /proc/sysvipc/shm (the second column). */
static void list_sysv(void)
{
	size_t len = 0, size = 1 << 16, cap = 0;
	char *buf = malloc(size), *p, *nl;
	ssize_t n;
	int fd = open("/proc/sysvipc/shm", O_RDONLY | O_CLOEXEC);

	if (!buf)
		die("malloc");
	if (fd < 0) {
		free(buf);
		return;
	}
	while ((n = read_some(fd, buf + len, size - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == size - 1) {
			size *= 2;
			buf = realloc(buf, size);
			if (!buf)
				die("realloc");
		}
	}
	if (n < 0)
		die("/proc/sysvipc/shm");
	close(fd);
	buf[len] = '\0';
	p = strchr(buf, '\n');		/* the header */
	for (; p && *++p; p = nl) {
		long key, id;

		nl = strchr(p, '\n');
		if (sscanf(p, "%ld %ld", &key, &id) != 2)
			break;
		if (nshmids == cap) {
			cap = cap ? cap * 2 : 256;
			shmids = realloc(shmids, cap * sizeof(*shmids));
			if (!shmids)
				die("realloc");
		}
		shmids[nshmids++] = (int)id;
		if (!nl)
			break;
	}
	free(buf);
	qsort(shmids, nshmids, sizeof(*shmids), cmp_int);
}

static bool is_shmid(uint64_t ino)
{
	int id = (int)ino;

	return ino <= INT32_MAX &&
	       bsearch(&id, shmids, nshmids, sizeof(id), cmp_int);
}

/* dirfd and rel: /proc and "PID/maps", or the pin and "maps". */
static void scan_maps(int dirfd, const char *rel, const char *pid)
{
	char name[64];
	struct pmq q;
	uint64_t addr = 0;
	int fd;

	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		dev_t dev;

		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PMQ_NEXT | PMQ_FILE;
		q.query_addr = addr;
		if (ioctl(fd, PMQ_IOCTL, &q) < 0) {
			if (errno == ENOTTY || errno == EINVAL)
				die("PROCMAP_QUERY");
			break;		/* ENOENT: no more; ESRCH: no mm */
		}
		addr = q.vma_end;
		dev = makedev(q.dev_major, q.dev_minor);
		if (dev == shm_dev) {
			add(POSIX, q.inode, atoi(pid));
		} else if (dev == shmem_dev && (q.vma_flags & PMQ_SHARED) &&
			   is_shmid(q.inode)) {
			q.query_addr = q.vma_start;
			q.query_flags = 0;
			q.vma_name_size = sizeof(name);
			q.vma_name_addr = (uint64_t)(uintptr_t)name;
			if (ioctl(fd, PMQ_IOCTL, &q) == 0 &&
			    strncmp(name, "/SYSV", 5) == 0)
				add(SYSV, q.inode, atoi(pid));
		}
	}
	close(fd);
}

static void scan_fds(int dirfd, const char *rel, const char *pid)
{
	static char buf[65536];
	struct stat st;
	long n, off;
	int fd;

	fd = openat(dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Until getdents64 returns 0: a short return is not the end (proc
	 * stops early when a signal is pending). */
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			const char *d_name = buf + off + 19;
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (*d_name < '0' || *d_name > '9')
				continue;
			if (fstatat(fd, d_name, &st, 0) == 0 &&
			    S_ISREG(st.st_mode) && st.st_dev == shm_dev)
				add(POSIX, st.st_ino, atoi(pid));
		}
	}
	close(fd);
}

static void scan_pid(int procfd, const char *pid)
{
	char rel[32];

	snprintf(rel, sizeof(rel), "%s/maps", pid);
	scan_maps(procfd, rel, pid);
	snprintf(rel, sizeof(rel), "%s/fd", pid);
	scan_fds(procfd, rel, pid);
}

/* -C: the same through the pin, with the stat and the executable. */
static void scan_pinned(int procfd, const char *pid)
{
	char buf[1024];
	struct stat st;
	int pin = openat(procfd, pid, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd;

	if (pin < 0)
		return;
	fd = openat(pin, "stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_some(fd, buf, sizeof(buf)) <= 0) {
		if (fd >= 0)
			close(fd);
		close(pin);
		return;
	}
	close(fd);
	scan_maps(pin, "maps", pid);
	if (fstatat(pin, "exe", &st, 0) == 0 && st.st_dev == shm_dev)
		add(POSIX, st.st_ino, atoi(pid));
	scan_fds(pin, "fd", pid);
	close(pin);
}

static int cmp_hold(const void *a, const void *b)
{
	const struct hold *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->pid - y->pid;
}

static void comm_of(int procfd, int pid, char *out, size_t len)
{
	char rel[32];
	ssize_t n;
	int fd;

	snprintf(out, len, "?");
	snprintf(rel, sizeof(rel), "%d/comm", pid);
	fd = openat(procfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read_some(fd, out, len - 1);
	close(fd);
	if (n > 0) {
		out[n] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
}

int main(int argc, char **argv)
{
	static char buf[65536];
	int procfd, fd, opt, count = 0, quiet = 0, contract = 0;
	struct stat st;
	size_t i, j;
	long n;

	while ((opt = getopt(argc, argv, "cqC")) != -1) {
		if (opt == 'c')
			count = 1;
		else if (opt == 'C')
			contract = 1;
		else if (opt == 'q')
			quiet = 1;
		else
			return 2;
	}
	fd = (int)syscall(SYS_memfd_create, "floor", 1u);
	if (fd < 0 || fstat(fd, &st) < 0)
		die("memfd");
	shmem_dev = st.st_dev;
	close(fd);
	if (stat("/dev/shm", &st) < 0)
		die("/dev/shm");
	shm_dev = st.st_dev;
	list_sysv();

	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		die("/proc");
	while ((n = syscall(SYS_getdents64, procfd, buf, sizeof(buf))) > 0) {
		long off;

		for (off = 0; off < n;) {
			const char *d_name = buf + off + 19;
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (*d_name < '1' || *d_name > '9')
				continue;
			if (contract)
				scan_pinned(procfd, d_name);
			else
				scan_pid(procfd, d_name);
		}
	}
	if (n < 0)
		die("getdents64 /proc");
	qsort(holds, nholds, sizeof(*holds), cmp_hold);
	for (i = 0; i < nholds; i = j) {
		char line[8192];
		size_t used;

		used = (size_t)snprintf(line, sizeof(line), "%s %llu",
					holds[i].kind == SYSV ? "sysv" : "posix",
					(unsigned long long)holds[i].ino);
		for (j = i; j < nholds && holds[j].kind == holds[i].kind &&
			    holds[j].ino == holds[i].ino; j++) {
			char comm[64];

			comm_of(procfd, holds[j].pid, comm, sizeof(comm));
			if (used < sizeof(line))
				used += (size_t)snprintf(line + used,
							 sizeof(line) - used,
							 " %d(%s)", holds[j].pid,
							 comm);
		}
		if (!quiet)
			puts(line);
	}
	if (count)
		fprintf(stderr, "%zu\n", nholds);
	return 0;
}
