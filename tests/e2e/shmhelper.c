/* SPDX-License-Identifier: MIT */
/*
 * shmhelper - "the other program" for shmtool's end-to-end tests.
 *
 * It does what a user's program would do with shared memory, with plain
 * syscalls, so the tests can check shmtool against an independent party.
 *
 * A SysV SEG argument is a key ("0x1234", "4660", "-5") or "id:SHMID".
 *
 *   sysv-create KEY SIZE MODE   shmget(KEY, IPC_CREAT|IPC_EXCL|MODE); print shmid
 *   sysv-create-noreserve SIZE  shmget(IPC_PRIVATE, SIZE, 0600|SHM_HUGETLB|
 *                               SHM_NORESERVE): huge pages promised to nobody,
 *                               so touching it may SIGBUS; print shmid
 *   sysv-write SEG STRING       copy STRING and its NUL to offset 0
 *   sysv-read SEG               print the string at offset 0 (up to NUL) + \n
 *   sysv-dump SEG               write the whole segment to stdout
 *   sysv-load SEG               copy stdin to offset 0 (must fit)
 *   sysv-hold SEG               attach, print "ready", sleep until killed
 *   sysv-rm SEG                 IPC_RMID (cleanup)
 *   sysv-chmod SEG MODE         IPC_SET the permission bits (octal)
 *   posix-write NAME STRING     shm_open(O_CREAT|O_RDWR, 0600), ftruncate 4096,
 *                               mmap, copy STRING and its NUL
 *   posix-read NAME             print the string at offset 0 (up to NUL) + \n
 *   ftok PATH PROJ              print ftok(PATH, PROJ) as 0x%08x
 *   sem-hold NAME VALUE         sem_open(O_CREAT|O_EXCL, 0600, VALUE), print
 *                               "ready", sleep until killed (SIGKILL leaks it)
 *   sem-open NAME               sem_open an existing one, print "ready", sleep
 *   sem-post NAME N             sem_post it N times, close, exit
 *   sem-wait NAME               sem_open it, print "ready", sem_wait (a
 *                               waiter), exit once it got the semaphore
 *   sem-value NAME              print sem_getvalue
 *   sem-unlink NAME             sem_unlink (cleanup)
 *
 * Exit status: 0 ok, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define POSIX_DEMO_SIZE 4096

static const char *prog = "shmhelper";

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	exit(1);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: %s sysv-create|sysv-create-noreserve|"
		"sysv-write|sysv-read|sysv-dump|sysv-load|sysv-hold|sysv-rm|sysv-chmod|posix-write|posix-read|ftok|sem-* ...\n",
		prog);
	exit(2);
}

static long long parse_num(const char *s, int base, long long min,
			   long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, base);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		exit(2);
	}
	return v;
}

static key_t parse_key(const char *s)
{
	long long v = parse_num(s, 0, INT_MIN, UINT_MAX);

	return (key_t)(unsigned int)(v & 0xffffffffLL);
}

/* SEG: "id:N" or a key. */
static int seg_id(const char *s)
{
	int id;

	if (strncmp(s, "id:", 3) == 0)
		return (int)parse_num(s + 3, 10, 0, INT_MAX);
	id = shmget(parse_key(s), 0, 0);
	if (id < 0)
		die("shmget");
	return id;
}

static size_t seg_size(int id)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		die("shmctl(IPC_STAT)");
	return ds.shm_segsz;
}

static char *attach(int id, int flags)
{
	void *p = shmat(id, NULL, flags);

	if (p == (void *)-1)
		die("shmat");
	return p;
}

static void detach(const void *p)
{
	if (shmdt(p) < 0)
		die("shmdt");
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Print the string at p (at most len bytes, up to a NUL) and a newline. */
static void print_string(const char *p, size_t len)
{
	write_all(STDOUT_FILENO, p, strnlen(p, len));
	write_all(STDOUT_FILENO, "\n", 1);
}

static int sysv_create(char **av)
{
	key_t key = parse_key(av[0]);
	size_t size = (size_t)parse_num(av[1], 0, 1, LLONG_MAX);
	int mode = (int)parse_num(av[2], 8, 0, 0777);
	int id = shmget(key, size, IPC_CREAT | IPC_EXCL | mode);

	if (id < 0)
		die("shmget");
	printf("%d\n", id);
	return 0;
}

#ifndef SHM_NORESERVE
#define SHM_NORESERVE 010000
#endif

static int sysv_create_noreserve(char **av)
{
	size_t size = (size_t)parse_num(av[0], 0, 1, LLONG_MAX);
	int id = shmget(IPC_PRIVATE, size,
			IPC_CREAT | 0600 | SHM_HUGETLB | SHM_NORESERVE);

	if (id < 0)
		die("shmget");
	printf("%d\n", id);
	return 0;
}

static int sysv_write(char **av)
{
	int id = seg_id(av[0]);
	size_t len = strlen(av[1]) + 1;
	char *p;

	if (len > seg_size(id)) {
		fprintf(stderr, "%s: string does not fit\n", prog);
		return 1;
	}
	p = attach(id, 0);
	memcpy(p, av[1], len);
	detach(p);
	return 0;
}

static int sysv_read(char **av)
{
	int id = seg_id(av[0]);
	size_t size = seg_size(id);
	char *p = attach(id, SHM_RDONLY);

	print_string(p, size);
	detach(p);
	return 0;
}

static int sysv_dump(char **av)
{
	int id = seg_id(av[0]);
	size_t size = seg_size(id);
	char *p = attach(id, SHM_RDONLY);

	write_all(STDOUT_FILENO, p, size);
	detach(p);
	return 0;
}

static int sysv_load(char **av)
{
	int id = seg_id(av[0]);
	size_t size = seg_size(id), off = 0;
	char *p = attach(id, 0);

	for (;;) {
		char c;
		ssize_t n;

		if (off == size) {
			n = read(STDIN_FILENO, &c, 1);
			if (n < 0)
				die("read");
			if (n > 0) {
				fprintf(stderr, "%s: input does not fit\n", prog);
				return 1;
			}
			break;
		}
		n = read(STDIN_FILENO, p + off, size - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	detach(p);
	return 0;
}

static int sysv_hold(char **av)
{
	int id = seg_id(av[0]);
	char *p = attach(id, 0);

	(void)p;
	printf("ready\n");
	if (fflush(stdout) == EOF)
		die("stdout");
	for (;;)
		pause();
}

static int sysv_rm(char **av)
{
	if (shmctl(seg_id(av[0]), IPC_RMID, NULL) < 0)
		die("shmctl(IPC_RMID)");
	return 0;
}

static int sysv_chmod(char **av)
{
	int id = seg_id(av[0]);
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		die("shmctl(IPC_STAT)");
	ds.shm_perm.mode = (unsigned short)parse_num(av[1], 8, 0, 0777);
	if (shmctl(id, IPC_SET, &ds) < 0)
		die("shmctl(IPC_SET)");
	return 0;
}

static int posix_write(char **av)
{
	size_t len = strlen(av[1]) + 1;
	char *p;
	int fd;

	if (len > POSIX_DEMO_SIZE) {
		fprintf(stderr, "%s: string does not fit\n", prog);
		return 1;
	}
	fd = shm_open(av[0], O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		die("shm_open");
	if (ftruncate(fd, POSIX_DEMO_SIZE) < 0)
		die("ftruncate");
	p = mmap(NULL, POSIX_DEMO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	memcpy(p, av[1], len);
	if (munmap(p, POSIX_DEMO_SIZE) < 0)
		die("munmap");
	if (close(fd) < 0)
		die("close");
	return 0;
}

static int posix_read(char **av)
{
	struct stat st;
	char *p;
	int fd;

	fd = shm_open(av[0], O_RDONLY, 0);
	if (fd < 0)
		die("shm_open");
	if (fstat(fd, &st) < 0)
		die("fstat");
	if (st.st_size == 0) {
		print_string("", 0);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	print_string(p, (size_t)st.st_size);
	if (munmap(p, (size_t)st.st_size) < 0)
		die("munmap");
	if (close(fd) < 0)
		die("close");
	return 0;
}

static int do_ftok(char **av)
{
	int proj = (int)parse_num(av[1], 0, 1, 255);
	key_t key = ftok(av[0], proj);

	if (key == (key_t)-1)
		die("ftok");
	printf("0x%08x\n", (unsigned int)key);
	return 0;
}

static sem_t *sem(const char *name, int oflag, unsigned int value)
{
	sem_t *s = oflag ? sem_open(name, oflag, 0600, value)
			 : sem_open(name, 0);

	if (s == SEM_FAILED)
		die("sem_open");
	return s;
}

static _Noreturn void ready_and_sleep(void)
{
	printf("ready\n");
	if (fflush(stdout) == EOF)
		die("stdout");
	for (;;)
		pause();
}

static int sem_hold(char **av)
{
	(void)sem(av[0], O_CREAT | O_EXCL,
		  (unsigned int)parse_num(av[1], 10, 0, SEM_VALUE_MAX));
	ready_and_sleep();
}

static int sem_hold_existing(char **av)
{
	(void)sem(av[0], 0, 0);
	ready_and_sleep();
}

static int sem_post_n(char **av)
{
	sem_t *s = sem(av[0], 0, 0);
	long long n = parse_num(av[1], 10, 0, 1000000);

	while (n-- > 0)
		if (sem_post(s) < 0)
			die("sem_post");
	return sem_close(s) < 0 ? 1 : 0;
}

static int sem_wait_once(char **av)
{
	sem_t *s = sem(av[0], 0, 0);

	printf("ready\n");
	if (fflush(stdout) == EOF)
		die("stdout");
	while (sem_wait(s) < 0)
		if (errno != EINTR)
			die("sem_wait");
	return 0;
}

static int sem_value(char **av)
{
	sem_t *s = sem(av[0], 0, 0);
	int v;

	if (sem_getvalue(s, &v) < 0)
		die("sem_getvalue");
	printf("%d\n", v);
	return 0;
}

static int sem_remove(char **av)
{
	if (sem_unlink(av[0]) < 0)
		die("sem_unlink");
	return 0;
}

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **av);
} cmds[] = {
	{ "sysv-create", 3, sysv_create },
	{ "sysv-create-noreserve", 1, sysv_create_noreserve },
	{ "sysv-write", 2, sysv_write },
	{ "sysv-read", 1, sysv_read },
	{ "sysv-dump", 1, sysv_dump },
	{ "sysv-load", 1, sysv_load },
	{ "sysv-hold", 1, sysv_hold },
	{ "sysv-rm", 1, sysv_rm },
	{ "sysv-chmod", 2, sysv_chmod },
	{ "posix-write", 2, posix_write },
	{ "posix-read", 1, posix_read },
	{ "ftok", 2, do_ftok },
	{ "sem-hold", 2, sem_hold },
	{ "sem-open", 1, sem_hold_existing },
	{ "sem-post", 2, sem_post_n },
	{ "sem-wait", 1, sem_wait_once },
	{ "sem-value", 1, sem_value },
	{ "sem-unlink", 1, sem_remove },
};

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		if (argc - 2 != cmds[i].nargs)
			usage();
		rc = cmds[i].fn(argv + 2);
		if (fflush(stdout) == EOF || ferror(stdout)) {
			fprintf(stderr, "%s: write error\n", prog);
			return 1;
		}
		return rc;
	}
	usage();
}
