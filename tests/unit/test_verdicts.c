// SPDX-License-Identifier: MIT
/*
 * test_verdicts.c - what the verdicts are made of (ARCHITECTURE.md, Verdicts): the
 * /proc/PID/stat parser, PostgreSQL's layouts, and the scanner on fake
 * /proc trees with a zombie leader, a thread with its own fd table, a
 * zombie, a kernel thread and a program run from the shm directory; then
 * the dispositions segment_link draws from such a scan.
 */
#include "unit.h"

#include <sys/sysmacros.h>

#include "columns.h"
#include "inventory.h"
#include "parse.h"
#include "procfmt.h"
#include "postgres.h"
#include "procscan.h"

/* ---- /proc/PID/stat ------------------------------------------------ */

static void test_pid_stat(void **state)
{
	static const char line[] =
		"4242 (a) (b) c) Z 1 4242 4242 0 -1 4194564 9 0 0 0 0 0 0 0 "
		"20 0 3 0 123456 1000 10 18446744073709551615\n";
	struct pid_stat ps;

	(void)state;
	assert_int_equal(parse_pid_stat(line, sizeof(line) - 1, &ps), 0);
	assert_string_equal(ps.comm, "a) (b) c");
	assert_int_equal(ps.state, 'Z');
	assert_int_equal(ps.ppid, 1);
	assert_int_equal(ps.flags, 4194564);
	assert_int_equal(ps.num_threads, 3);
	assert_int_equal(ps.starttime, 123456);
	/* A kernel thread's flags carry PF_KTHREAD. */
	assert_int_equal(parse_pid_stat("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 "
					"0 0 0 0 0 0 20 0 1 0 1 0 0", 63, &ps),
			 0);
	assert_true(ps.flags & PID_STAT_PF_KTHREAD);
}

static void test_pid_stat_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"12 noparen S 1",
		"12 (x S 1 2 3",
		"12 (x) S",			/* fields missing */
		"12 (x) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 x 0 5",
		"12 (x) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5x",
		"12 (x) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 "
		"99999999999999999999999",
	};
	struct pid_stat ps = { .state = 'Q' };
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(bad); i++)
		assert_true(parse_pid_stat(bad[i], strlen(bad[i]), &ps) < 0);
	assert_int_equal(ps.state, 'Q');	/* untouched on failure */
	assert_true(parse_pid_stat(NULL, 0, &ps) < 0);
}

/* ---- PostgreSQL's layouts ------------------------------------------ */

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void test_pg_header(void **state)
{
	unsigned char b[PG_SHMEM_HDR_SIZE] = { 0 };
	struct pg_shmem_hdr h;

	(void)state;
	put32(b, PG_SHMEM_MAGIC);
	put32(b + 4, 12607);
	put64(b + 8, 149520384);
	put32(b + 24, 3723293056u);
	put64(b + 40, 65024);
	put64(b + 48, 11010107);
	assert_int_equal(pg_parse_shmem_header(b, sizeof(b), &h), 0);
	assert_int_equal(h.creator_pid, 12607);
	assert_int_equal(h.totalsize, 149520384);
	assert_int_equal(h.dsm_control, 3723293056u);
	assert_int_equal(h.device, 65024);
	assert_int_equal(h.inode, 11010107);
	/* Short, or another magic (PostgreSQL 8's): not a header. */
	assert_int_equal(pg_parse_shmem_header(b, sizeof(b) - 1, &h), -EINVAL);
	put32(b, 679834893);
	assert_int_equal(pg_parse_shmem_header(b, sizeof(b), &h), -EINVAL);
	assert_int_equal(pg_parse_shmem_header(NULL, 56, &h), -EINVAL);
}

static void test_pg_control(void **state)
{
	/* PostgreSQL 15: 40-byte items; maxitems 4, 3 used, one free. */
	unsigned char b[16 + 4 * 40] = { 0 };
	uint32_t n, out[4];
	size_t isz;

	(void)state;
	put32(b, PG_DSM_CONTROL_MAGIC);
	put32(b + 4, 3);
	put32(b + 8, 4);
	put32(b + 16, 1825289834u);	/* handle, refcnt 3 */
	put32(b + 20, 3);
	put32(b + 56, 77);		/* a free slot: refcnt 0 */
	put32(b + 96, 3900170964u);	/* being destroyed: refcnt 1 */
	put32(b + 100, 1);
	assert_int_equal(pg_parse_dsm_header(b, 16, sizeof(b), &n, &isz), 0);
	assert_int_equal(n, 3);
	assert_int_equal(isz, 40);
	assert_int_equal(pg_dsm_handles(b, sizeof(b), n, isz, out), 2);
	assert_int_equal(out[0], 1825289834u);
	assert_int_equal(out[1], 3900170964u);
	/* The same header in a segment of PostgreSQL 13's size: 24-byte
	 * items; a size that fits neither is no control segment. */
	assert_int_equal(pg_parse_dsm_header(b, 16, 16 + 4 * 24, &n, &isz), 0);
	assert_int_equal(isz, 24);
	assert_int_equal(pg_parse_dsm_header(b, 16, 16 + 4 * 40 + 8, &n, &isz),
			 -EINVAL);
	/* nitems above maxitems, a wrong magic, too short. */
	put32(b + 4, 5);
	assert_int_equal(pg_parse_dsm_header(b, 16, sizeof(b), &n, &isz),
			 -EINVAL);
	put32(b + 4, 3);
	put32(b, 0x9a503d33u);
	assert_int_equal(pg_parse_dsm_header(b, 16, sizeof(b), &n, &isz),
			 -EINVAL);
	put32(b, PG_DSM_CONTROL_MAGIC);
	assert_int_equal(pg_parse_dsm_header(b, 15, sizeof(b), &n, &isz),
			 -EINVAL);
	/* Items beyond the bytes given are not read. */
	assert_int_equal(pg_dsm_handles(b, 16 + 40, 3, 40, out), 1);
}

static void test_pg_keys_and_names(void **state)
{
	uint32_t h;

	(void)state;
	/* dsm_impl_sysv: key = handle, negated when it is below 1. */
	assert_int_equal(pg_dsm_sysv_key(136633956u), 136633956);
	assert_int_equal(pg_dsm_sysv_key(3900170964u), 394796332);
	assert_int_equal(pg_dsm_sysv_key(0x80000000u), INT32_MIN);
	assert_true(pg_dsm_name_handle("PostgreSQL.3723293056", &h));
	assert_int_equal(h, 3723293056u);
	assert_true(pg_dsm_name_handle("PostgreSQL.0", &h));
	assert_int_equal(h, 0);
	assert_false(pg_dsm_name_handle("PostgreSQL.", &h));
	assert_false(pg_dsm_name_handle("PostgreSQL.01", &h));
	assert_false(pg_dsm_name_handle("PostgreSQL.4294967296", &h));
	assert_false(pg_dsm_name_handle("PostgreSQL.12x", &h));
	assert_false(pg_dsm_name_handle("postgresql.12", &h));
}

/* ---- the scanner on a fake /proc ------------------------------------ */

struct fx {
	char *root, *proc, *shm;
	dev_t dev;
	ino_t held, zl, tf, exe, idle;
};

static ino_t make_seg(struct fx *f, const char *name)
{
	struct stat st;
	char *p;

	ut_write_file(f->shm, name, "0123456789", 10);
	p = ut_path(f->shm, name);
	assert_int_equal(stat(p, &st), 0);
	free(p);
	f->dev = st.st_dev;
	return st.st_ino;
}

static void proc_file(struct fx *f, const char *rel, const char *text)
{
	ut_write_file(f->proc, rel, text, strlen(text));
}

static void stat_line(struct fx *f, const char *dir, int pid,
		      const char *comm, char state, int threads,
		      unsigned long flags)
{
	char rel[64], line[256];

	snprintf(rel, sizeof(rel), "%s/stat", dir);
	snprintf(line, sizeof(line),
		 "%d (%s) %c 1 %d %d 0 -1 %lu 0 0 0 0 0 0 0 0 20 0 %d 0 100 "
		 "0 0\n", pid, comm, state, pid, pid, flags, threads);
	proc_file(f, rel, line);
}

static void maps_line(struct fx *f, const char *dir, const char *name,
		      ino_t ino, const char *perms)
{
	char rel[64], line[256];

	snprintf(rel, sizeof(rel), "%s/maps", dir);
	snprintf(line, sizeof(line),
		 "7f0000000000-7f0000001000 %s 00000000 %02x:%02x %lu "
		 "/dev/shm/%s\n", perms, major(f->dev), minor(f->dev),
		 (unsigned long)ino, name);
	proc_file(f, rel, line);
}

static void fd_link(struct fx *f, const char *dir, int fd, const char *name)
{
	char rel[64], target[64], *p;

	snprintf(rel, sizeof(rel), "%s/fd/%d", dir, fd);
	snprintf(target, sizeof(target), "%s/%s", f->shm, name);
	p = ut_path(f->proc, rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *p;

	assert_non_null(f);
	f->root = ut_mkdtemp("verdicts");
	ut_mkdir(f->root, "proc");
	ut_mkdir(f->root, "shm");
	f->proc = ut_path(f->root, "proc");
	f->shm = ut_path(f->root, "shm");
	f->held = make_seg(f, "held");
	f->zl = make_seg(f, "zl");
	f->tf = make_seg(f, "tf");
	f->exe = make_seg(f, "exe");
	f->idle = make_seg(f, "idle");
	proc_file(f, "stat", "cpu 0\nbtime 1700000000\n");

	/* 10: an ordinary process mapping "held". */
	ut_mkdir(f->proc, "10");
	ut_mkdir(f->proc, "10/fd");
	stat_line(f, "10", 10, "srv", 'S', 1, 4194560);
	maps_line(f, "10", "held", f->held, "rw-s");

	/* 20: its main thread left (zombie, empty maps and fd), thread 21
	 * maps "zl" and keeps an fd to it. */
	ut_mkdir(f->proc, "20");
	ut_mkdir(f->proc, "20/fd");
	ut_mkdir(f->proc, "20/task");
	ut_mkdir(f->proc, "20/task/20");
	ut_mkdir(f->proc, "20/task/21");
	ut_mkdir(f->proc, "20/task/21/fd");
	stat_line(f, "20", 20, "zl", 'Z', 2, 4194564);
	proc_file(f, "20/maps", "");
	stat_line(f, "20/task/20", 20, "zl", 'Z', 2, 4194564);
	stat_line(f, "20/task/21", 21, "zl", 'S', 2, 4194560);
	maps_line(f, "20/task/21", "zl", f->zl, "r--s");
	fd_link(f, "20/task/21", 7, "zl");

	/* 30: two threads; thread 31 has its own fd table with "tf" (a
	 * fixture has no kcmp: both tables are read). */
	ut_mkdir(f->proc, "30");
	ut_mkdir(f->proc, "30/fd");
	ut_mkdir(f->proc, "30/task");
	ut_mkdir(f->proc, "30/task/30");
	ut_mkdir(f->proc, "30/task/31");
	ut_mkdir(f->proc, "30/task/31/fd");
	stat_line(f, "30", 30, "tf", 'S', 2, 4194560);
	proc_file(f, "30/maps", "55d0c0000000-55d0c0001000 r--p 00000000 08:01 1 /usr/bin/tf\n");
	fd_link(f, "30/task/31", 4, "tf");

	/* 40: runs "exe" (no mapping of it left: only /proc/PID/exe). */
	ut_mkdir(f->proc, "40");
	ut_mkdir(f->proc, "40/fd");
	stat_line(f, "40", 40, "exe", 'S', 1, 4194560);
	proc_file(f, "40/maps", "55d0c0000000-55d0c0001000 r--p 00000000 08:01 1 /usr/bin/x\n");
	p = ut_path(f->proc, "40/exe");
	{
		char *t = ut_path(f->shm, "exe");

		assert_int_equal(symlink(t, p), 0);
		free(t);
	}
	free(p);

	/* 50: a zombie whose maps still name "idle" (never read: a zombie
	 * holds nothing); 2: a kernel thread. */
	ut_mkdir(f->proc, "50");
	ut_mkdir(f->proc, "50/fd");
	stat_line(f, "50", 50, "dead", 'Z', 1, 4194564);
	maps_line(f, "50", "idle", f->idle, "rw-s");
	ut_mkdir(f->proc, "2");
	stat_line(f, "2", 2, "kthreadd", 'S', 1, 0x00208040);

	setenv("SHMTOOL_PROC_ROOT", f->proc, 1);
	setenv("SHMTOOL_SHM_DIR", f->shm, 1);
	setenv("SHMTOOL_SHMEM_DEV", "00:01", 1);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	unsetenv("SHMTOOL_PROC_ROOT");
	unsetenv("SHMTOOL_SHM_DIR");
	unsetenv("SHMTOOL_SHMEM_DEV");
	ut_rmtree(f->root);
	free(f->root);
	free(f->proc);
	free(f->shm);
	free(f);
	return 0;
}

static size_t holders(const struct scan *s, const struct fx *f, ino_t ino,
		      pid_t *pid)
{
	size_t first, n = 0;

	first = scan_find(s, SEG_POSIX, f->dev, ino, &n);
	if (n)
		*pid = s->h[first].pid;
	return n;
}

static void test_scan_threads_and_zombies(void **state)
{
	struct fx *f = *state;
	const struct proc_info *p;
	struct scan s;
	pid_t pid = 0;

	assert_int_equal(procscan(&s, NULL), 0);
	assert_true(scan_complete(&s));
	assert_int_equal(s.ngaps, 0);
	assert_int_equal(holders(&s, f, f->held, &pid), 1);
	assert_int_equal(pid, 10);
	/* The zombie leader's thread: its mapping and its fd, as PID 20. */
	assert_int_equal(holders(&s, f, f->zl, &pid), 2);
	assert_int_equal(pid, 20);
	p = scan_proc(&s, 20);
	assert_non_null(p);
	assert_true(p->holds);
	assert_int_not_equal(p->state, 'Z');
	/* The thread's own fd table. */
	assert_int_equal(holders(&s, f, f->tf, &pid), 1);
	assert_int_equal(pid, 30);
	/* The executable. */
	assert_int_equal(holders(&s, f, f->exe, &pid), 1);
	assert_int_equal(pid, 40);
	assert_int_equal(s.h[scan_find(&s, SEG_POSIX, f->dev, f->exe, &(size_t){ 0 })].how,
			 HOW_EXE);
	/* The zombie holds nothing; it is listed, as dead. */
	assert_int_equal(holders(&s, f, f->idle, &pid), 0);
	p = scan_proc(&s, 50);
	assert_non_null(p);
	assert_int_equal(p->state, 'Z');
	assert_false(p->holds);
	assert_non_null(scan_proc(&s, 2));
	scan_free(&s);
}

/* Creators: alive, a zombie, a PID started after the segment, unseen. */
static void test_scan_creator(void **state)
{
	struct scan s;

	(void)state;
	assert_int_equal(procscan(&s, NULL), 0);
	/* Processes started at btime + 1 s (100 ticks). */
	assert_int_equal(scan_creator(&s, 10, 1700000100), CREATOR_ALIVE);
	assert_int_equal(scan_creator(&s, 10, 1700000000), CREATOR_DEAD);
	assert_int_equal(scan_creator(&s, 50, 1700000100), CREATOR_DEAD);
	assert_int_equal(scan_creator(&s, 77, 1700000100), CREATOR_DEAD);
	assert_int_equal(scan_creator(&s, 0, 1700000100), CREATOR_UNSEEN);
	/* A leader that is a zombie with a live thread is alive. */
	assert_int_equal(scan_creator(&s, 20, 1700000100), CREATOR_ALIVE);
	scan_free(&s);
}

/* The process a PID named at a time, and CCOMM/LCOMM from it. */
static void test_scan_proc_since(void **state)
{
	struct segment seg = { .kind = SEG_SYSV, .shmid = 1 };
	struct cell c;
	struct scan s;

	(void)state;
	assert_int_equal(procscan(&s, NULL), 0);
	/* 10 started at btime + 1 s: before 1700000100, after 1700000000 */
	assert_non_null(scan_proc_since(&s, 10, 1700000100));
	assert_string_equal(scan_proc_since(&s, 10, 1700000100)->comm, "srv");
	/* ctime rounded down: the same second still counts */
	assert_non_null(scan_proc_since(&s, 10, 1700000001));
	assert_null(scan_proc_since(&s, 10, 1700000000));
	assert_null(scan_proc_since(&s, 50, 1700000100));	/* a zombie */
	assert_null(scan_proc_since(&s, 77, 1700000100));	/* gone */
	assert_null(scan_proc_since(&s, 0, 1700000100));
	assert_non_null(scan_proc_since(&s, 20, 1700000100)); /* threads live */

	seg.scan = &s;
	seg.cpid = 10;
	seg.ctime = 1700000100;
	seg.lpid = 50;
	seg.atime = 1700000200;
	column_get(COL_CCOMM, &seg, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "srv");
	column_get(COL_LCOMM, &seg, &c);
	assert_true(c.null);
	/* the last attacher by the later of atime and dtime */
	seg.lpid = 10;
	seg.atime = 0;
	seg.dtime = 1700000200;
	column_get(COL_LCOMM, &seg, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "srv");
	seg.dtime = 0;		/* never attached */
	column_get(COL_LCOMM, &seg, &c);
	assert_true(c.null);
	/* made before 10 started: its PID names another process now */
	seg.ctime = 1700000000;
	column_get(COL_CCOMM, &seg, &c);
	assert_true(c.null);
	/* POSIX has no creator; nor does a row of another namespace */
	seg.ctime = 1700000100;
	seg.foreign = true;
	column_get(COL_CCOMM, &seg, &c);
	assert_true(c.null);
	seg.foreign = false;
	seg.kind = SEG_POSIX;
	column_get(COL_CCOMM, &seg, &c);
	assert_true(c.null);
	/* without a scan: unknown */
	seg.kind = SEG_SYSV;
	seg.scan = NULL;
	column_get(COL_CCOMM, &seg, &c);
	assert_true(c.null);
	scan_free(&s);
}

/* The dispositions segment_link draws from that scan. */
static void test_dispositions(void **state)
{
	struct fx *f = *state;
	struct segment seg;
	struct scan s;

	assert_int_equal(procscan(&s, NULL), 0);
	memset(&seg, 0, sizeof(seg));
	seg.kind = SEG_POSIX;
	seg.dev = f->dev;
	seg.ino = f->idle;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_RECLAIMABLE);
	assert_int_equal(seg.status, SEG_ST_UNUSED);
	seg.ino = f->zl;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_NONE);
	assert_int_equal(seg.status, 0);
	/* An incomplete scan: unverified, uncertain. */
	s.incomplete |= SCAN_INC_PIDNS;
	seg.ino = f->idle;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_UNCERTAIN);
	assert_int_equal(seg.status, SEG_ST_UNVERIFIED);
	s.incomplete = 0;
	/* SysV, NATTCH 0: by its creator. */
	memset(&seg, 0, sizeof(seg));
	seg.kind = SEG_SYSV;
	seg.shmid = 5;
	seg.cpid = 10;
	seg.ctime = 1700000100;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_UNCERTAIN);
	assert_int_equal(seg.status, SEG_ST_UNUSED | SEG_ST_CREATOR_ALIVE);
	seg.cpid = 50;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_RECLAIMABLE);
	assert_int_equal(seg.status, SEG_ST_UNUSED | SEG_ST_ORPHAN);
	seg.cpid = 0;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_UNCERTAIN);
	assert_int_equal(seg.status, SEG_ST_UNUSED | SEG_ST_CREATOR_UNSEEN);
	/* Attached: held, whatever the scan saw. */
	seg.nattch = 1;
	segment_link(&seg, &s);
	assert_int_equal(seg.disp, DISP_NONE);
	assert_int_equal(seg.status, 0);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_pid_stat),
		cmocka_unit_test(test_pid_stat_rejects),
		cmocka_unit_test(test_pg_header),
		cmocka_unit_test(test_pg_control),
		cmocka_unit_test(test_pg_keys_and_names),
	};
	const struct CMUnitTest scan[] = {
		cmocka_unit_test(test_scan_threads_and_zombies),
		cmocka_unit_test(test_scan_creator),
		cmocka_unit_test(test_scan_proc_since),
		cmocka_unit_test(test_dispositions),
	};
	int rc = cmocka_run_group_tests_name("parsers", pure, NULL, NULL);

	return rc | cmocka_run_group_tests_name("scanner (threads, zombies)",
						scan, fx_setup, fx_teardown);
}
