// SPDX-License-Identifier: MIT
/*
 * shmstress.c - load and data generators for shmtool's hardening tests
 * (tests/e2e/t_faults.sh, t_concurrency.sh).
 *
 *   shmstress gen SEED BYTES
 *       write BYTES pseudo-random bytes (xorshift64*, seeded by SEED) to
 *       stdout: the same SEED gives the same bytes, so a test can hash the
 *       stream twice instead of keeping a large file.
 *   shmstress slowcat BYTES_PER_SEC
 *       copy stdin to stdout in 64 KiB pieces at about that rate (a slow
 *       reader keeps the writer blocked on a full pipe).
 *   shmstress pester PID MAX_SECONDS
 *       until PID exits (or becomes a zombie) or MAX_SECONDS pass, send it
 *       SIGSTOP/SIGCONT, SIGWINCH and SIGCHLD over and over; it always
 *       leaves PID continued.  Prints "signals N".
 *   shmstress churn PREFIX SECONDS MAX_EVENTS LOG
 *       create, attach, detach and remove System V segments (IPC_PRIVATE)
 *       and POSIX segments (/PREFIX-c-N-SIZE), and fork short-lived
 *       children that hold them, at about MAX_EVENTS/SECONDS events per
 *       second, for SECONDS or MAX_EVENTS events.  Every SysV segment is
 *       logged to LOG as "sysv SHMID SIZE" as soon as it exists.  Removes
 *       all it made before it exits (also on SIGTERM/SIGINT).  Prints
 *       "events N sysv S posix P forks F errors E"; E counts its own
 *       operations that failed (e.g. a segment gone that only it removes).
 *
 *   shmstress exchange DIR A B SECONDS
 *       swap the names A and B in DIR (renameat2 RENAME_EXCHANGE) over and
 *       over for SECONDS, going on when one of them is missing for a
 *       moment.  Prints "exchanges N".
 *   shmstress attach-loop SHMID SECONDS
 *       attach and detach the System V segment over and over, for SECONDS
 *       or until it is gone; while attached, check (SHM_STAT_ANY, which
 *       needs no permission) that it was not removed meanwhile.  Prints
 *       "attaches N denied D wrong W gone G": D attaches refused with
 *       EACCES (its mode taken away for a moment), W times it was marked
 *       for removal (SHM_DEST) while attached, G 1 if it went while
 *       detached.
 *
 *   shmstress nest DIR NAME N
 *       make N directories NAME, each inside the last, below DIR
 *       (openat/mkdirat: no path grows with the depth).
 *
 * Exit status: 0 ok, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "shmstress: %s: %s\n", what, strerror(errno));
	exit(1);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: shmstress gen SEED BYTES | slowcat RATE | "
		"pester PID MAX_SECONDS | churn PREFIX SECONDS MAX_EVENTS LOG | "
		"exchange DIR A B SECONDS | attach-loop SHMID SECONDS | "
		"nest DIR NAME N\n");
	exit(2);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		usage();
	switch (*end) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	}
	if (*end)
		usage();
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int gen(unsigned long long seed, unsigned long long bytes)
{
	static uint64_t buf[8192];
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;

	while (bytes > 0) {
		size_t n = bytes > sizeof(buf) ? sizeof(buf) : (size_t)bytes;
		size_t i;

		for (i = 0; i < sizeof(buf) / 8; i++) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			buf[i] = x * 0x2545f4914f6cdd1dULL;
		}
		if (write_all(STDOUT_FILENO, buf, n) < 0)
			die("write");
		bytes -= n;
	}
	return 0;
}

static int slowcat(unsigned long long rate)
{
	static char buf[65536];
	double start = now();
	unsigned long long total = 0;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (n == 0)
			return 0;
		if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
			die("write");
		total += (unsigned long long)n;
		if (rate)
			nap(start + (double)total / (double)rate - now());
	}
}

/* Is PID gone or a zombie? */
static int finished(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return !p || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X';
}

static int pester(pid_t pid, double max)
{
	double end = now() + max;
	unsigned long n = 0;

	while (now() < end && !finished(pid)) {
		if (kill(pid, SIGSTOP) < 0)
			break;
		nap(0.0002);
		kill(pid, SIGCONT);
		kill(pid, SIGWINCH);
		kill(pid, SIGCHLD);
		n += 4;
		nap(0.0005);
	}
	kill(pid, SIGCONT);
	printf("signals %lu\n", n);
	return 0;
}

/* ------------------------------------------------------------- churn */

#define RING 8
#define MAXKIDS 32

struct sseg { int id; void *addr; };
struct pseg { char name[200]; void *addr; size_t size; };

static volatile sig_atomic_t stop;
static struct sseg sring[RING];
static struct pseg pring[RING];
static unsigned long nev, nsysv, nposix, nfork, nerr;
static int nkids;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void reap(int block)
{
	while (nkids > 0 && waitpid(-1, NULL, block ? 0 : WNOHANG) > 0) {
		nkids--;
		nev++;		/* a process exited */
	}
}

/* A child that keeps what the parent maps for a moment, then exits. */
static void spawn(unsigned r)
{
	pid_t c;

	if (nkids >= MAXKIDS)
		reap(1);
	c = fork();
	if (c < 0) {
		nerr++;
		return;
	}
	if (c == 0) {
		nap((double)(r % 20) / 1000.0);
		_exit(0);
	}
	nkids++;
	nfork++;
	nev++;
}

static void sysv_drop(struct sseg *s)
{
	if (s->addr && shmdt(s->addr) < 0)
		nerr++;
	if (s->addr)
		nev++;
	s->addr = NULL;
	if (s->id >= 0) {
		if (shmctl(s->id, IPC_RMID, NULL) < 0)
			nerr++;
		nev++;
	}
	s->id = -1;
}

static void posix_drop(struct pseg *p)
{
	if (p->addr && munmap(p->addr, p->size) < 0)
		nerr++;
	if (p->addr)
		nev++;
	p->addr = NULL;
	if (p->name[0]) {
		if (shm_unlink(p->name) < 0)
			nerr++;
		nev++;
	}
	p->name[0] = '\0';
}

static int churn(const char *prefix, double secs, unsigned long maxev,
		 const char *logpath)
{
	struct sigaction sa;
	double start = now(), end = start + secs, per = secs / (double)maxev;
	FILE *log = fopen(logpath, "a");
	unsigned long i;
	int k;

	if (!log)
		die(logpath);
	setvbuf(log, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (k = 0; k < RING; k++)
		sring[k].id = -1;
	srand((unsigned)getpid());

	for (i = 0; !stop && nev < maxev && now() < end; i++) {
		unsigned r = (unsigned)rand();
		int slot = (int)(i / 2 % RING);

		if (i % 2 == 0) {
			struct sseg *s = &sring[slot];
			size_t size = 4096 * (1 + r % 7);

			sysv_drop(s);
			s->id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
			if (s->id < 0) {
				nerr++;
				continue;
			}
			fprintf(log, "sysv %d %zu\n", s->id, size);
			nev++;
			nsysv++;
			/* Some stay detached: NATTCH 0, a candidate for --unused. */
			if (r % 4 != 0) {
				s->addr = shmat(s->id, NULL, 0);
				if (s->addr == (void *)-1) {
					s->addr = NULL;
					nerr++;
				} else {
					nev++;
					spawn(r >> 8);
				}
			}
		} else {
			struct pseg *p = &pring[slot];
			size_t size = 4096 * (1 + r % 5);
			int fd;

			posix_drop(p);
			snprintf(p->name, sizeof(p->name), "/%s-c-%lu-%zu",
				 prefix, i, size);
			fd = shm_open(p->name, O_RDWR | O_CREAT | O_EXCL, 0600);
			if (fd < 0) {
				p->name[0] = '\0';
				nerr++;
				continue;
			}
			nev++;
			nposix++;
			if (ftruncate(fd, (off_t)size) < 0)
				nerr++;
			if (r % 4 != 0) {
				p->addr = mmap(NULL, size, PROT_READ | PROT_WRITE,
					       MAP_SHARED, fd, 0);
				if (p->addr == MAP_FAILED) {
					p->addr = NULL;
					nerr++;
				} else {
					p->size = size;
					nev++;
					spawn(r >> 8);
				}
			}
			close(fd);
		}
		reap(0);
		nap(start + (double)nev * per - now());
	}
	for (k = 0; k < RING; k++) {
		sysv_drop(&sring[k]);
		posix_drop(&pring[k]);
	}
	reap(1);
	fclose(log);
	printf("events %lu sysv %lu posix %lu forks %lu errors %lu\n", nev,
	       nsysv, nposix, nfork, nerr);
	return nerr ? 1 : 0;
}

static int nest(const char *dir, const char *name, unsigned long n)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), next;
	unsigned long i;

	if (fd < 0)
		die(dir);
	for (i = 0; i < n; i++) {
		if (mkdirat(fd, name, 0755) < 0 && errno != EEXIST)
			die("mkdirat");
		next = openat(fd, name, O_RDONLY | O_DIRECTORY);
		if (next < 0)
			die("openat");
		close(fd);
		fd = next;
	}
	close(fd);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exchange(const char *dir, const char *a, const char *b,
		    double secs)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	unsigned long n = 0;
	double end = now_s() + secs;

	if (dfd < 0)
		die(dir);
	while (now_s() < end) {
		if (renameat2(dfd, a, dfd, b, RENAME_EXCHANGE) == 0)
			n++;
		else if (errno != ENOENT)
			die("renameat2");
	}
	printf("exchanges %lu\n", n);
	return 0;
}

/* Is the segment marked for removal?  -1 if it is gone. */
static int dest(int id)
{
	struct shmid_ds ds;
	int got;

	memset(&ds, 0, sizeof(ds));
	got = shmctl(id & 0x7fff, SHM_STAT_ANY, &ds);
	if (got != id)
		return -1;
	return (ds.shm_perm.mode & SHM_DEST) != 0;
}

static int attach_loop(int id, double secs)
{
	unsigned long n = 0, denied = 0, wrong = 0, gone = 0;
	unsigned r = (unsigned)getpid();
	double end = now_s() + secs;

	while (now_s() < end) {
		void *a = shmat(id, NULL, SHM_RDONLY);
		struct timespec nap = { 0, 0 };

		if (a == (void *)-1) {
			if (errno == EACCES) {
				denied++;
				continue;
			}
			if (errno == EINVAL || errno == EIDRM) {
				gone = 1;
				break;
			}
			die("shmat");
		}
		n++;
		if (dest(id) == 1)
			wrong++;
		r = r * 1103515245u + 12345u;
		nap.tv_nsec = (long)(r % 200) * 1000;
		nanosleep(&nap, NULL);
		if (dest(id) == 1)
			wrong++;
		if (shmdt(a) < 0)
			die("shmdt");
		r = r * 1103515245u + 12345u;
		nap.tv_nsec = (long)(r % 200) * 1000;
		nanosleep(&nap, NULL);
	}
	printf("attaches %lu denied %lu wrong %lu gone %lu\n", n, denied, wrong,
	       gone);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_DFL);
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(num(argv[2]), num(argv[3]));
	if (argc == 3 && strcmp(argv[1], "slowcat") == 0)
		return slowcat(num(argv[2]));
	if (argc == 4 && strcmp(argv[1], "pester") == 0)
		return pester((pid_t)num(argv[2]), (double)num(argv[3]));
	if (argc == 6 && strcmp(argv[1], "churn") == 0)
		return churn(argv[2], (double)num(argv[3]), num(argv[4]),
			     argv[5]);
	if (argc == 5 && strcmp(argv[1], "nest") == 0)
		return nest(argv[2], argv[3], num(argv[4]));
	if (argc == 6 && strcmp(argv[1], "exchange") == 0)
		return exchange(argv[2], argv[3], argv[4], (double)num(argv[5]));
	if (argc == 4 && strcmp(argv[1], "attach-loop") == 0)
		return attach_loop((int)num(argv[2]), (double)num(argv[3]));
	usage();
}
