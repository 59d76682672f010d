// SPDX-License-Identifier: MIT
/*
 * shmholder.c - a process that holds shared memory the way real programs
 * do, for the scanner's end-to-end tests.  It sets up what it is asked,
 * prints "ready" (and any PIDs it forked) on stdout, and waits to be killed.
 *
 *   shmholder sysv SHMID [ro|twice|split|fork|rmid]
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
 */
#define _GNU_SOURCE
#include <errno.h>
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
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0)
			for (;;)
				pause();
	} else if (strcmp(how, "rmid") == 0) {
		if (shmctl(id, IPC_RMID, NULL) < 0)
			die("shmctl");
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
	pid_t child;

	if (a == MAP_FAILED)
		die("mmap");
	memset(a, 'a', 8192);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0)
		for (;;)
			pause();
	ready_and_wait(child);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
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
			" | create-posix NAME SIZE | memfd-pass | anon-fork\n");
	return 2;
}
