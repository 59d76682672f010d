// SPDX-License-Identifier: MIT
/*
 * workload.c - the data the benchmarks measure (bench/run.sh).
 *
 *   workload scan PROCS SEGS    S SysV + S POSIX segments (64 KiB each) and
 *                               PROCS processes with about 80 mappings each:
 *                               private file maps, anonymous maps, a few
 *                               shared anonymous maps and a memfd map.  Every
 *                               10th process (i % 10 == 0) attaches SysV
 *                               segment (i/10) % S and maps POSIX segment
 *                               (i/10) % S; every process with i % 10 == 5
 *                               only holds an fd to POSIX segment (i/10) % S.
 *   workload scan PROCS SEGS plain
 *                               the same without the shared anonymous maps
 *                               and the memfd map (issue 18 counts the
 *                               scan's syscalls on both populations).
 *   workload xfer MB            one POSIX (/bench-xfer) and one SysV segment
 *                               of MB MiB, filled with a pattern.
 *   workload leak N             N SysV segments of 4 KiB (IPC_PRIVATE) that
 *                               nobody attaches, then exit at once: leaks
 *                               whose creator is gone, for rm --unused.
 *
 * It prints "ready" (xfer: "ready SHMID") once everything is in place, waits
 * for SIGTERM/SIGINT/SIGHUP, then kills its children and removes every
 * segment it created.  Children die with it (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEG_SIZE	(64 * 1024)
#define FILE_MAPS	15	/* files, each mapped twice (private) */
#define ANON_MAPS	25
#define SHARED_ANON	3
#define LIBDIR		"/usr/lib/x86_64-linux-gnu"

static int nsegs;
static int *shmids;
static pid_t *kids;
static int nkids;
static volatile sig_atomic_t stop;
static int in_child;
static int plain;	/* no shared anonymous or memfd maps */
static char xfer_name[] = "/bench-xfer";
static int xfer_id = -1;

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	if (in_child)
		_exit(1);	/* never the parent's atexit cleanup */
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void posix_name(char *buf, size_t len, int i)
{
	snprintf(buf, len, "/bench-%05d", i);
}

static void cleanup(void)
{
	char name[64];
	int i;

	for (i = 0; i < nkids; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (i = 0; i < nkids; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	for (i = 0; i < nsegs; i++) {
		if (shmids && shmids[i] >= 0)
			shmctl(shmids[i], IPC_RMID, NULL);
		posix_name(name, sizeof(name), i);
		shm_unlink(name);
	}
	if (xfer_id >= 0) {
		shmctl(xfer_id, IPC_RMID, NULL);
		shm_unlink(xfer_name);
	}
}

static void wait_for_signal(void)
{
	sigset_t none, block;

	sigemptyset(&none);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
	printf("ready%s", xfer_id >= 0 ? " " : "\n");
	if (xfer_id >= 0)
		printf("%d\n", xfer_id);
	fflush(stdout);
	while (!stop)
		sigsuspend(&none);
}

/*
 * The mappings every process shares (set up once, inherited by fork):
 * 30 private file maps, 25 anonymous VMAs, 3 shared anonymous maps (they sit
 * on the shmem device like SysV segments: a trap for the matcher) and one
 * memfd map, besides the program's own ~20 (exe, libc, ld.so, stack, ...).
 */
static void common_maps(void)
{
	DIR *d = opendir(LIBDIR);
	struct dirent *e;
	long pg = sysconf(_SC_PAGESIZE);
	int files = 0, i, fd;
	char *anon;

	if (!d)
		die(LIBDIR);
	while (files < FILE_MAPS && (e = readdir(d))) {
		struct stat st;

		if (!strstr(e->d_name, ".so"))
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size >= 4 * pg &&
		    mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0) != MAP_FAILED &&
		    mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 2 * pg) != MAP_FAILED)
			files++;
		close(fd);
	}
	closedir(d);

	/* One region, alternating permissions so it stays ANON_MAPS VMAs. */
	anon = mmap(NULL, ANON_MAPS * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anon");
	for (i = 0; i < ANON_MAPS; i++) {
		anon[i * pg] = 1;
		if (i % 2 && mprotect(anon + i * pg, pg, PROT_READ) < 0)
			die("mprotect");
	}
	if (plain)
		return;
	for (i = 0; i < SHARED_ANON; i++)
		if (mmap(NULL, pg, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
			die("mmap shared anon");
	fd = (int)syscall(SYS_memfd_create, "bench-memfd", 1u);
	if (fd < 0 || ftruncate(fd, pg) < 0 ||
	    mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
		die("memfd");
	close(fd);
}

static void child(int i, int ready_fd, pid_t parent)
{
	char name[64];
	int k = (i / 10) % nsegs, fd;
	struct sigaction sa = { .sa_handler = SIG_DFL };

	in_child = 1;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	posix_name(name, sizeof(name), k);
	if (i % 10 == 0) {
		if (shmat(shmids[k], NULL, 0) == (void *)-1)
			die("shmat");
		fd = shm_open(name, O_RDWR, 0);
		if (fd < 0 ||
		    mmap(NULL, SEG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0) == MAP_FAILED)
			die("map POSIX segment");
		close(fd);
	} else if (i % 10 == 5) {
		fd = shm_open(name, O_RDWR, 0);	/* kept open: an fd holder */
		if (fd < 0)
			die("shm_open");
	}
	if (write(ready_fd, "", 1) != 1)
		_exit(1);
	close(ready_fd);
	for (;;)
		pause();
}

static int scan(int procs, int segs)
{
	int pfd[2], i;
	char name[64], c;
	pid_t self = getpid();

	nsegs = segs;
	shmids = calloc((size_t)segs, sizeof(*shmids));
	kids = calloc((size_t)procs, sizeof(*kids));
	if (!shmids || !kids)
		die("calloc");
	for (i = 0; i < segs; i++)
		shmids[i] = -1;
	atexit(cleanup);
	for (i = 0; i < segs; i++) {
		int fd;

		shmids[i] = shmget(IPC_PRIVATE, SEG_SIZE, IPC_CREAT | 0600);
		if (shmids[i] < 0)
			die("shmget");
		posix_name(name, sizeof(name), i);
		fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || ftruncate(fd, SEG_SIZE) < 0)
			die("shm_open");
		close(fd);
	}
	common_maps();
	if (pipe(pfd) < 0)
		die("pipe");
	for (i = 0; i < procs && !stop; i++) {
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (p == 0) {
			close(pfd[0]);
			child(i, pfd[1], self);
		}
		kids[nkids++] = p;
	}
	close(pfd[1]);
	for (i = 0; i < nkids && !stop; i++)
		if (read(pfd[0], &c, 1) != 1) {
			fprintf(stderr, "workload: a child failed\n");
			return 1;
		}
	close(pfd[0]);
	if (!stop)
		wait_for_signal();
	return 0;
}

static int xfer(long mb)
{
	size_t len = (size_t)mb << 20;
	char *p;
	int fd;

	atexit(cleanup);
	xfer_id = shmget(IPC_PRIVATE, len, IPC_CREAT | 0600);
	if (xfer_id < 0)
		die("shmget");
	p = shmat(xfer_id, NULL, 0);
	if (p == (void *)-1)
		die("shmat");
	memset(p, 0x5a, len);
	shmdt(p);
	fd = shm_open(xfer_name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)len) < 0)
		die("shm_open");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0xa5, len);
	munmap(p, len);
	close(fd);
	wait_for_signal();
	return 0;
}

static int leak(int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600) < 0)
			die("shmget");
	printf("ready %d\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if ((argc == 4 || (argc == 5 && strcmp(argv[4], "plain") == 0)) &&
	    strcmp(argv[1], "scan") == 0 && atoi(argv[2]) > 0 &&
	    atoi(argv[3]) > 0) {
		plain = argc == 5;
		return scan(atoi(argv[2]), atoi(argv[3]));
	}
	if (argc == 3 && strcmp(argv[1], "xfer") == 0 && atol(argv[2]) > 0)
		return xfer(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "leak") == 0 && atoi(argv[2]) > 0)
		return leak(atoi(argv[2]));
	fprintf(stderr, "usage: workload scan PROCS SEGS [plain] | "
		"workload xfer MB | workload leak N\n");
	return 2;
}
