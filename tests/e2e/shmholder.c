// SPDX-License-Identifier: MIT
/*
 * shmholder.c - a process that holds shared memory the way real programs
 * do, for the scanner's end-to-end tests.  It sets up what it is asked,
 * prints "ready" (and any PIDs it forked) on stdout, and waits to be killed.
 *
 *   shmholder sysv SHMID [ro|twice|split|fork|rmid|unshare-ipc|unshare-twin|
 *                         fork-usr1]
 *                                   fork-usr1: attach (twice, and detach one),
 *                                   print "ready T" (T: the second of that);
 *                                   on SIGUSR1 fork a
 *                                   child that keeps the attachment, detach,
 *                                   and print "forked CHILDPID T" (T: when)
 *                                   unshare-ipc: attach, then leave for a new
 *                                   IPC namespace (still mapping it);
 *                                   unshare-twin: also make and attach there
 *                                   a segment of the same id, key (0), size
 *   shmholder posix-map NAME        mmap MAP_SHARED, then close the fd
 *   shmholder posix-fd NAME         keep only the fd open
 *   shmholder posix-unlink NAME     mmap, then shm_unlink
 *   shmholder posix-ro NAME         mmap PROT_READ from an O_RDONLY fd
 *   shmholder memfd                 a memfd mapped MAP_SHARED (not a segment)
 *   shmholder create-sysv SIZE [detach]
 *                                   create a private SysV segment (print
 *                                   "ready SHMID"), attached unless detach
 *   shmholder create-posix NAME SIZE
 *                                   create, size and map a POSIX segment
 *   shmholder memfd-pass            a memfd, mapped here and passed over a
 *                                   Unix socket to a child that keeps the fd
 *                                   ("ready CHILDPID")
 *   shmholder anon-fork             MAP_SHARED|MAP_ANONYMOUS memory, then
 *                                   fork: both map it ("ready CHILDPID")
 *   shmholder private-map NAME      mmap MAP_PRIVATE (a copy-on-write
 *                                   reader), then close the fd
 *   shmholder zombie-leader NAME    a thread opens and maps NAME, then the
 *                                   main thread exits (pthread_exit): the
 *                                   leader is a zombie, the thread holds it
 *   shmholder thread-files NAME     a thread unshare(CLONE_FILES)s, then
 *                                   opens NAME: only its fd table has it
 *   shmholder zombie-creator SIZE   create a private SysV segment, detached
 *                                   ("ready SHMID"), then the main thread
 *                                   exits and a thread lives on: the
 *                                   creator is alive, its leader a zombie
 *   shmholder pg-fake HANDLE MEMBER a PostgreSQL cluster as shmtool sees
 *                                   one: command "postgres", a SysV main
 *                                   segment with a PGShmemHeader naming
 *                                   control segment /PostgreSQL.HANDLE
 *                                   (attached), that control segment
 *                                   (mapped), listing /PostgreSQL.MEMBER
 *                                   (mapped by nobody); "ready SHMID"
 *   shmholder deep-map NAME DIR DEPTH
 *                                   map NAME, and a file DEPTH directories
 *                                   of 250-byte names below DIR (in the
 *                                   shm directory): a path longer than
 *                                   PATH_MAX
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "shmholder: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* "ready", or "ready V" when there is a value (V >= 0) to report. */
static void ready_and_wait(long v)
{
	if (v >= 0)
		printf("ready %ld\n", v);
	else
		printf("ready\n");
	if (fflush(stdout) != 0)
		die("stdout");
	for (;;)
		pause();
}

/* A child that keeps what we map, pausing until killed: its PID. */
static pid_t fork_keeper(void)
{
	pid_t child = fork();

	if (child < 0)
		die("fork");
	if (child == 0)
		for (;;)
			pause();
	return child;
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* fork-usr1: the child a forking server makes while a scan runs, whose
 * parent lets go of the segment in the same second. */
static _Noreturn void sysv_fork_usr1(int id)
{
	struct sigaction sa;
	sigset_t block, old;
	char *a, *b;
	pid_t child;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	if (sigaction(SIGUSR1, &sa, NULL) < 0 ||
	    sigprocmask(SIG_BLOCK, &block, &old) < 0)
		die("sigaction");
	a = shmat(id, NULL, 0);
	b = shmat(id, NULL, 0);
	/* A second attachment, gone at once: LPID, ATIME and DTIME are
	 * all of this second, as a fork and detach within it leave them. */
	if (a == (void *)-1 || b == (void *)-1 || shmdt(b) < 0)
		die("shmat");
	printf("ready %lld\n", (long long)time(NULL));
	if (fflush(stdout) != 0)
		die("stdout");
	while (!got_usr1)
		sigsuspend(&old);
	child = fork_keeper();
	if (shmdt(a) < 0)
		die("shmdt");
	printf("forked %d %lld\n", (int)child, (long long)time(NULL));
	if (fflush(stdout) != 0)
		die("stdout");
	for (;;)
		pause();
}

static int sysv(int id, const char *how)
{
	int flags = how && strcmp(how, "ro") == 0 ? SHM_RDONLY : 0;
	char *a = shmat(id, NULL, flags);
	pid_t child = -1;

	if (a == (void *)-1)
		die("shmat");
	if (!how)
		ready_and_wait(-1);
	if (strcmp(how, "twice") == 0) {
		if (shmat(id, NULL, 0) == (void *)-1)
			die("shmat");
	} else if (strcmp(how, "split") == 0) {
		/* mprotect splits one attachment into two VMAs. */
		if (mprotect(a, (size_t)sysconf(_SC_PAGESIZE), PROT_READ) < 0)
			die("mprotect");
	} else if (strcmp(how, "fork") == 0) {
		child = fork_keeper();
	} else if (strcmp(how, "rmid") == 0) {
		if (shmctl(id, IPC_RMID, NULL) < 0)
			die("shmctl");
	} else if (strcmp(how, "unshare-ipc") == 0 ||
		   strcmp(how, "unshare-twin") == 0) {
		struct shmid_ds ds;

		if (shmctl(id, IPC_STAT, &ds) < 0)
			die("shmctl");
		if (unshare(CLONE_NEWIPC) < 0)
			die("unshare");
		if (strcmp(how, "unshare-twin") == 0) {
			FILE *f = fopen("/proc/sys/kernel/shm_next_id", "w");

			if (!f || fprintf(f, "%d\n", id) < 0 || fclose(f) != 0)
				die("shm_next_id");
			if (shmget(IPC_PRIVATE, ds.shm_segsz, IPC_CREAT | 0600) != id)
				die("twin shmget");
			if (shmat(id, NULL, 0) == (void *)-1)
				die("twin shmat");
		}
	} else if (strcmp(how, "ro") != 0) {
		errno = EINVAL;
		die(how);
	}
	ready_and_wait(child);
	return 0;
}

static int posix(const char *mode, const char *name)
{
	int ro = strcmp(mode, "posix-ro") == 0;
	int fd = shm_open(name, ro ? O_RDONLY : O_RDWR, 0);
	struct stat st;
	void *a;

	if (fd < 0)
		die("shm_open");
	if (strcmp(mode, "posix-fd") == 0)
		ready_and_wait(-1);
	if (fstat(fd, &st) < 0)
		die("fstat");
	a = mmap(NULL, st.st_size ? (size_t)st.st_size : 1,
		 ro ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	close(fd);
	if (strcmp(mode, "posix-unlink") == 0 && shm_unlink(name) < 0)
		die("shm_unlink");
	ready_and_wait(-1);
	return 0;
}

static int create_sysv(size_t size, bool detach)
{
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);

	if (id < 0)
		die("shmget");
	if (!detach && shmat(id, NULL, 0) == (void *)-1)
		die("shmat");
	ready_and_wait(id);
	return 0;
}

static int create_posix(const char *name, size_t size)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	char *a;

	if (fd < 0)
		die("shm_open");
	if (ftruncate(fd, (off_t)size) < 0)
		die("ftruncate");
	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	a[0] = 1;	/* touch a page: it has RSS */
	close(fd);
	ready_and_wait(-1);
	return 0;
}

static int memfd_pass(void)
{
	char data = 'm', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd;
	pid_t child;
	char *a;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* Receive the fd and keep it: an fd-only holder. */
		close(sv[0]);
		if (recvmsg(sv[1], &mh, 0) != 1)
			die("recvmsg");
		cm = CMSG_FIRSTHDR(&mh);
		if (!cm || cm->cmsg_type != SCM_RIGHTS)
			die("no fd received");
		if (write(sv[1], "k", 1) != 1)
			die("ack");
		for (;;)
			pause();
	}
	close(sv[1]);
	fd = memfd_create("shmholder-pass", 0);
	if (fd < 0 || ftruncate(fd, 65536) < 0)
		die("memfd");
	a = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		die("mmap");
	memcpy(a, "passed through a socket", 24);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &mh, 0) != 1)
		die("sendmsg");
	close(fd);	/* now only the mapping here, the fd there */
	if (read(sv[0], &data, 1) != 1)
		die("ack");
	ready_and_wait(child);
	return 0;
}

static int anon_fork(void)
{
	char *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED)
		die("mmap");
	memset(a, 'a', 8192);
	ready_and_wait(fork_keeper());
	return 0;
}

static int private_map(const char *name)
{
	int fd = shm_open(name, O_RDONLY, 0);
	struct stat st;

	if (fd < 0)
		die("shm_open");
	if (fstat(fd, &st) < 0)
		die("fstat");
	if (mmap(NULL, st.st_size ? (size_t)st.st_size : 1,
		 PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED)
		die("mmap");
	close(fd);
	ready_and_wait(-1);
	return 0;
}

static const char *thread_name;
static bool thread_unshare;
static pthread_mutex_t thread_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thread_cv = PTHREAD_COND_INITIALIZER;
static int thread_state;	/* 0 starting, 1 holds it, -1 failed */

static void *holder_thread(void *arg)
{
	int fd, st = 1;

	(void)arg;
	if (thread_unshare && unshare(CLONE_FILES) < 0)
		st = -1;
	fd = st > 0 ? shm_open(thread_name, O_RDWR, 0) : -1;
	if (fd < 0)
		st = -1;
	else if (!thread_unshare &&
		 mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		st = -1;
	pthread_mutex_lock(&thread_mu);
	thread_state = st;
	pthread_cond_signal(&thread_cv);
	pthread_mutex_unlock(&thread_mu);
	for (;;)
		pause();
	return NULL;
}

/* A thread holds NAME; with leader_exits, the main thread then leaves. */
static int thread_holds(const char *name, bool unshare_files,
			bool leader_exits)
{
	pthread_t t;

	thread_name = name;
	thread_unshare = unshare_files;
	if (pthread_create(&t, NULL, holder_thread, NULL) != 0)
		die("pthread_create");
	pthread_mutex_lock(&thread_mu);
	while (thread_state == 0)
		pthread_cond_wait(&thread_cv, &thread_mu);
	pthread_mutex_unlock(&thread_mu);
	if (thread_state < 0) {
		fprintf(stderr, "shmholder: the thread could not hold %s\n",
			name);
		exit(1);
	}
	if (!leader_exits)
		ready_and_wait(-1);
	printf("ready\n");
	if (fflush(stdout) != 0)
		die("stdout");
	pthread_exit(NULL);
}

static int deep_map(const char *name, const char *dir, int depth)
{
	char part[251];
	int fd, dfd, seg, i;

	memset(part, 'd', 250);
	part[250] = '\0';
	dfd = open("/dev/shm", O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		die("/dev/shm");
	if (mkdirat(dfd, dir, 0700) < 0 && errno != EEXIST)
		die("mkdir");
	fd = openat(dfd, dir, O_RDONLY | O_DIRECTORY);
	close(dfd);
	dfd = fd;
	for (i = 0; i < depth; i++) {
		if (dfd < 0)
			die("openat");
		if (mkdirat(dfd, part, 0700) < 0 && errno != EEXIST)
			die("mkdirat");
		fd = openat(dfd, part, O_RDONLY | O_DIRECTORY);
		close(dfd);
		dfd = fd;
	}
	/* NAME first: mappings grow downwards, so the deep file lies below
	 * it, and a scan in address order meets the long path first. */
	seg = shm_open(name, O_RDWR, 0);
	if (seg < 0)
		die("shm_open");
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, seg, 0) ==
	    MAP_FAILED)
		die("mmap");
	close(seg);
	fd = openat(dfd, "f", O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		die("deep file");
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	    MAP_FAILED)
		die("mmap deep");
	close(fd);
	close(dfd);
	ready_and_wait(-1);
	return 0;
}

static void *pause_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int zombie_creator(size_t size)
{
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	pthread_t t;

	if (id < 0)
		die("shmget");
	if (pthread_create(&t, NULL, pause_thread, NULL) != 0)
		die("pthread_create");
	printf("ready %d\n", id);
	if (fflush(stdout) != 0)
		die("stdout");
	pthread_exit(NULL);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static int pg_fake(uint32_t handle, uint32_t member)
{
	unsigned char ctl[16 + 40] = { 0 }, hdr[56] = { 0 };
	char name[64];
	int fd, id;
	char *main_seg;
	void *m;

	prctl(PR_SET_NAME, "postgres", 0, 0, 0);
	/* The control segment: magic, nitems 1, maxitems 1, one item. */
	put32(ctl, 0x9a503d32u);
	put32(ctl + 4, 1);
	put32(ctl + 8, 1);
	put32(ctl + 16, member);
	put32(ctl + 20, 2);		/* refcnt: live */
	snprintf(name, sizeof(name), "/PostgreSQL.%u", handle);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, ctl, sizeof(ctl)) != (ssize_t)sizeof(ctl))
		die("control segment");
	m = mmap(NULL, sizeof(ctl), PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap control");
	close(fd);
	snprintf(name, sizeof(name), "/PostgreSQL.%u", member);
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		die("member segment");
	close(fd);
	/* The main segment: PGShmemHeader, magic 679834894, dsm_control. */
	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (id < 0)
		die("shmget");
	main_seg = shmat(id, NULL, 0);
	if (main_seg == (void *)-1)
		die("shmat");
	put32(hdr, 679834894u);
	put32(hdr + 4, (uint32_t)getpid());
	put32(hdr + 24, handle);
	memcpy(main_seg, hdr, sizeof(hdr));
	ready_and_wait(id);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && strcmp(argv[1], "sysv") == 0 &&
	    strcmp(argv[3], "fork-usr1") == 0)
		sysv_fork_usr1(atoi(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "sysv") == 0)
		return sysv(atoi(argv[2]), argc > 3 ? argv[3] : NULL);
	if (argc == 3 && strncmp(argv[1], "posix-", 6) == 0)
		return posix(argv[1], argv[2]);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "create-sysv") == 0)
		return create_sysv((size_t)atol(argv[2]), argc == 4);
	if (argc == 4 && strcmp(argv[1], "create-posix") == 0)
		return create_posix(argv[2], (size_t)atol(argv[3]));
	if (argc == 2 && strcmp(argv[1], "memfd-pass") == 0)
		return memfd_pass();
	if (argc == 2 && strcmp(argv[1], "anon-fork") == 0)
		return anon_fork();
	if (argc == 3 && strcmp(argv[1], "private-map") == 0)
		return private_map(argv[2]);
	if (argc == 3 && strcmp(argv[1], "zombie-leader") == 0)
		return thread_holds(argv[2], false, true);
	if (argc == 3 && strcmp(argv[1], "thread-files") == 0)
		return thread_holds(argv[2], true, false);
	if (argc == 3 && strcmp(argv[1], "zombie-creator") == 0)
		return zombie_creator((size_t)atol(argv[2]));
	if (argc == 4 && strcmp(argv[1], "pg-fake") == 0)
		return pg_fake((uint32_t)strtoul(argv[2], NULL, 10),
			       (uint32_t)strtoul(argv[3], NULL, 10));
	if (argc == 5 && strcmp(argv[1], "deep-map") == 0)
		return deep_map(argv[2], argv[3], atoi(argv[4]));
	if (argc == 2 && strcmp(argv[1], "memfd") == 0) {
		int fd = memfd_create("shmholder", 0);

		if (fd < 0 || ftruncate(fd, 4096) < 0)
			die("memfd");
		if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 0) == MAP_FAILED)
			die("mmap");
		ready_and_wait(-1);
	}
	fprintf(stderr, "usage: shmholder sysv SHMID [ro|twice|split|fork|rmid]"
			" | posix-map|posix-fd|posix-unlink|posix-ro NAME"
			" | memfd | create-sysv SIZE [detach]"
			" | create-posix NAME SIZE | memfd-pass | anon-fork"
			" | private-map|zombie-leader|thread-files NAME"
			" | deep-map NAME DIR DEPTH | zombie-creator SIZE"
			" | pg-fake HANDLE MEMBER\n");
	return 2;
}
