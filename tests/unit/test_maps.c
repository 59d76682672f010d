// SPDX-License-Identifier: MIT
/*
 * test_maps.c - the /proc/PID/maps line parser, SysV mapping names, the
 * kernel's \012 escaping, and the scanner on a fake /proc.
 */
#include "unit.h"

#include <sys/sysmacros.h>

#include "parse.h"
#include "procfmt.h"
#include "paths.h"
#include "procscan.h"

static int parse(const char *line, struct maps_entry *e)
{
	return parse_maps_line(line, strlen(line), e);
}

static void test_maps_sysv_line(void **state)
{
	struct maps_entry e;

	(void)state;
	assert_int_equal(parse("7f0000000000-7f0000002000 rw-s 00000000 00:01 "
			       "32769                      /SYSV00001234 "
			       "(deleted)", &e), 0);
	assert_true(e.start == UINT64_C(0x7f0000000000));
	assert_true(e.end == UINT64_C(0x7f0000002000));
	assert_int_equal(e.flags, MAPS_R | MAPS_W | MAPS_SHARED);
	assert_int_equal(e.offset, 0);
	assert_int_equal(e.dev_major, 0);
	assert_int_equal(e.dev_minor, 1);
	assert_int_equal(e.ino, 32769);
	assert_true(e.deleted);
	assert_int_equal(e.pathlen, 13);
	assert_memory_equal(e.path, "/SYSV00001234", 13);
}

static void test_maps_paths(void **state)
{
	struct maps_entry e;

	(void)state;
	/* A path with spaces keeps them; only the suffix is cut. */
	assert_int_equal(parse("1000-2000 r--s 00001000 fe:01 7 "
			       "/dev/shm/with space (deleted)", &e), 0);
	assert_true(e.deleted);
	assert_int_equal(e.offset, 0x1000);
	assert_int_equal(e.dev_major, 0xfe);
	assert_int_equal(e.pathlen, strlen("/dev/shm/with space"));
	/* " (deleted)" inside a name is not the suffix. */
	assert_int_equal(parse("1000-2000 rw-s 0 0:1 7 /dev/shm/a (deleted)b",
			       &e), 0);
	assert_false(e.deleted);
	/* No path at all (anonymous). */
	assert_int_equal(parse("1000-2000 rw-p 00000000 00:00 0", &e), 0);
	assert_int_equal(e.pathlen, 0);
	assert_int_equal(e.flags, MAPS_R | MAPS_W);
	/* Trailing blanks only. */
	assert_int_equal(parse("1000-2000 ---p 00000000 00:00 0      ", &e), 0);
	assert_int_equal(e.pathlen, 0);
	assert_int_equal(e.flags, 0);
	assert_int_equal(parse("ffffffffff600000-ffffffffff601000 --xp "
			       "00000000 00:00 0 [vsyscall]", &e), 0);
	assert_int_equal(e.flags, MAPS_X);
	/* Escaped newline is kept escaped by the parser. */
	assert_int_equal(parse("1000-2000 r--s 0 0:2f 9 /dev/shm/a\\012b", &e),
			 0);
	assert_int_equal(e.pathlen, strlen("/dev/shm/a\\012b"));
}

static void test_maps_bad_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"1000",
		"1000-",
		"1000-2000",
		"1000-2000 rw-s",
		"1000-2000 rw-s 0",
		"1000-2000 rw-s 0 00:01",
		"1000-2000 rw-x 0 00:01 5",	/* 4th perm must be s/p */
		"1000-2000 rwxsz 0 00:01 5",
		"1000-2000 qw-s 0 00:01 5",
		"2000-1000 rw-s 0 00:01 5",	/* end before start */
		"g000-2000 rw-s 0 00:01 5",
		"1000-2000 rw-s 0 0001 5",
		"1000-2000 rw-s 0 00:01 x",
		"1000-2000 rw-s 0 00:01 5x",
		"10000000000000000-2000 rw-s 0 00:01 5",	/* 17 digits */
		"1000-2000 rw-s 0 00:01 99999999999999999999999",
		"1000-2000 rw-s 0 1000:01 5",	/* major > 12 bits */
	};
	struct maps_entry e;
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(bad); i++) {
		memset(&e, 0x5a, sizeof(e));
		if (parse(bad[i], &e) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
	assert_int_equal(parse_maps_line(NULL, 0, &e), -EINVAL);
}

static void test_maps_not_terminated(void **state)
{
	/* Only len bytes count: what follows must not be read as path. */
	const char buf[] = "1000-2000 rw-s 0 00:01 42 /SYSV00000001GARBAGE";
	size_t len = strlen(buf) - strlen("GARBAGE");
	struct maps_entry e;

	(void)state;
	assert_int_equal(parse_maps_line(buf, len, &e), 0);
	assert_int_equal(e.ino, 42);
	assert_int_equal(e.pathlen, 13);
	/* Cut in the middle of the inode: 4 instead of 42. */
	assert_int_equal(parse_maps_line(buf, strlen("1000-2000 rw-s 0 00:01 4"),
					 &e), 0);
	assert_int_equal(e.ino, 4);
}

static void test_sysv_map_name(void **state)
{
	int32_t key = 0;

	(void)state;
	assert_true(parse_sysv_map_name("/SYSV00001234", 13, &key));
	assert_int_equal(key, 0x1234);
	assert_true(parse_sysv_map_name("/SYSVdeadbeef", 13, &key));
	assert_int_equal((uint32_t)key, 0xdeadbeefu);
	assert_false(parse_sysv_map_name("/SYSV0000123", 12, &key));
	assert_false(parse_sysv_map_name("/SYSV0000123g", 13, &key));
	assert_false(parse_sysv_map_name("/memfd:SYSV00", 13, &key));
	assert_false(parse_sysv_map_name("/dev/zero", 9, &key));
	assert_false(parse_sysv_map_name("/SYSV000012345", 14, &key));
}

static void test_maps_unescape(void **state)
{
	char out[32];

	(void)state;
	maps_unescape("a\\012b", 6, out, sizeof(out));
	assert_string_equal(out, "a\nb");
	/* Other backslashes are the name's own bytes. */
	maps_unescape("a\\n\\01", 6, out, sizeof(out));
	assert_string_equal(out, "a\\n\\01");
	/* Truncation keeps the terminator inside the buffer. */
	maps_unescape("abcdefgh", 8, out, 4);
	assert_string_equal(out, "abc");
}

/* ---- the scanner on a fake /proc --------------------------------- */

struct fx {
	char *root, *proc, *shm;
	ino_t seg_ino;
	dev_t dev;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char line[512], *p;
	struct stat st;

	assert_non_null(f);
	f->root = ut_mkdtemp("maps");
	ut_mkdir(f->root, "proc");
	ut_mkdir(f->root, "shm");
	f->proc = ut_path(f->root, "proc");
	f->shm = ut_path(f->root, "shm");
	ut_write_file(f->shm, "seg", "0123456789", 10);
	ut_write_file(f->shm, "sem.x", "s", 1);
	p = ut_path(f->shm, "seg");
	assert_int_equal(stat(p, &st), 0);
	free(p);
	f->seg_ino = st.st_ino;
	f->dev = st.st_dev;
	ut_mkdir(f->proc, "10");
	ut_mkdir(f->proc, "10/fd");
	ut_write_file(f->proc, "10/comm", "srv\n", 4);
	snprintf(line, sizeof(line), "10 (srv) S 1 10 10 0 -1 4194560 1 0 0 0 "
		 "0 0 0 0 20 0 1 0 100 0 0\n");
	ut_write_file(f->proc, "10/stat", line, strlen(line));
	snprintf(line, sizeof(line),
		 "1000-3000 rw-s 00000000 00:01 7 /SYSV000000aa (deleted)\n"
		 "4000-5000 rw-s 00000000 00:01 7 /memfd:x (deleted)\n"
		 "6000-7000 rw-s 00000000 %02x:%02x %lu /dev/shm/seg\n"
		 "8000-9000 rw-p 00000000 %02x:%02x %lu /dev/shm/seg\n"
		 "a000-b000 rw-s 00000000 %02x:%02x 999 /dev/shm/sem.x\n"
		 "garbage line\n",
		 major(f->dev), minor(f->dev), (unsigned long)f->seg_ino,
		 major(f->dev), minor(f->dev), (unsigned long)f->seg_ino,
		 major(f->dev), minor(f->dev));
	ut_write_file(f->proc, "10/maps", line, strlen(line));
	p = ut_path(f->proc, "10/fd/5");
	assert_int_equal(symlink("../../../shm/seg", p), 0);
	free(p);
	/* A directory that is not a process. */
	ut_mkdir(f->proc, "sys");
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

static void test_scan_fixture(void **state)
{
	struct fx *f = *state;
	struct scan s;
	size_t first, n;

	assert_int_equal(procscan(&s, NULL), 0);
	/* SysV shmid 7 once (the memfd on the same inode is not it). */
	first = scan_find_sysv(&s, 7, s.ipc_ns, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s.h[first].pid, 10);
	assert_int_equal(s.h[first].key, 0xaa);
	assert_int_equal(s.h[first].how, HOW_MAP);
	/* POSIX seg: the shared mapping, the private (copy-on-write) one,
	 * which holds the file just as well, and the fd. */
	first = scan_find(&s, SEG_POSIX, f->dev, f->seg_ino, &n);
	assert_int_equal(n, 3);
	assert_int_equal(s.h[first].how, HOW_MAP);
	assert_int_equal(s.h[first].start, 0x6000);
	assert_true(s.h[first].flags & MAPS_SHARED);
	assert_int_equal(s.h[first + 1].how, HOW_MAP);
	assert_int_equal(s.h[first + 1].start, 0x8000);
	assert_false(s.h[first + 1].flags & MAPS_SHARED);
	assert_int_equal(s.h[first + 2].how, HOW_FD);
	assert_int_equal(s.h[first + 2].fd, 5);
	assert_string_equal(s.h[first + 2].name, "seg");
	/* The semaphore's mapping is a holding too: rm --unused --sem must
	 * see who has it open (inode 999 in the maps line). */
	first = scan_find(&s, SEG_POSIX, f->dev, 999, &n);
	assert_int_equal(n, 1);
	assert_int_equal(s.h[first].how, HOW_MAP);
	assert_int_equal(s.h[first].start, 0xa000);
	assert_int_equal(s.nh, 5);
	assert_non_null(scan_proc(&s, 10));
	assert_string_equal(scan_proc(&s, 10)->comm, "srv");
	assert_true(scan_proc(&s, 10)->holds);
	assert_null(scan_proc(&s, 11));
	assert_int_equal(s.ngaps, 0);
	assert_int_equal(s.inspected, 1);
	/* A fixture is all there is: complete. */
	assert_true(scan_complete(&s));
	scan_free(&s);
}

static void test_scan_pid_filter(void **state)
{
	struct scan s;
	const pid_t pids[] = { 11 };	/* not there */
	struct scan_opts o = { .pids = pids, .npids = 1 };

	(void)state;
	assert_int_equal(procscan(&s, &o), 0);
	assert_int_equal(s.nh, 0);
	assert_int_equal(s.inspected, 0);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_maps_sysv_line),
		cmocka_unit_test(test_maps_paths),
		cmocka_unit_test(test_maps_bad_lines),
		cmocka_unit_test(test_maps_not_terminated),
		cmocka_unit_test(test_sysv_map_name),
		cmocka_unit_test(test_maps_unescape),
	};
	const struct CMUnitTest scan[] = {
		cmocka_unit_test(test_scan_fixture),
		cmocka_unit_test(test_scan_pid_filter),
	};
	int rc = cmocka_run_group_tests_name("maps parser", pure, NULL, NULL);

	return rc | cmocka_run_group_tests_name("scanner (fixture)", scan,
						fx_setup, fx_teardown);
}
