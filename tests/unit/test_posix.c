// SPDX-License-Identifier: MIT
/*
 * test_posix.c - the POSIX backend in a temporary SHMTOOL_SHM_DIR: exact
 * sizes and modes, no partial creates, what is (not) a segment, and the
 * inode checks that keep it from touching a file that took a name over.
 * ftruncate, fchmod and pwrite are wrapped to inject failures, fstatat
 * to make an entry vanish between readdir() and its fstatat().
 */
// WRAP: ftruncate fchmod pwrite fstatat
#include "unit.h"

#include <signal.h>
#include <sys/types.h>

#include "segment.h"

int __wrap_ftruncate(int fd, off_t length);
int __real_ftruncate(int fd, off_t length);
int __wrap_fchmod(int fd, mode_t mode);
int __real_fchmod(int fd, mode_t mode);
ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t __real_pwrite(int fd, const void *buf, size_t n, off_t off);
int __wrap_fstatat(int dfd, const char *path, struct stat *st, int flags);
int __real_fstatat(int dfd, const char *path, struct stat *st, int flags);

/* Set to an errno to make the next calls fail. */
static int ftruncate_err, fchmod_err, pwrite_err;
/* fstatat of this name says ENOENT (removed since readdir). */
static const char *vanish_name;

int __wrap_ftruncate(int fd, off_t length)
{
	if (ftruncate_err) {
		errno = ftruncate_err;
		return -1;
	}
	return __real_ftruncate(fd, length);
}

int __wrap_fchmod(int fd, mode_t mode)
{
	if (fchmod_err) {
		errno = fchmod_err;
		return -1;
	}
	return __real_fchmod(fd, mode);
}

ssize_t __wrap_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (pwrite_err) {
		errno = pwrite_err;
		return -1;
	}
	return __real_pwrite(fd, buf, n, off);
}

int __wrap_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	if (vanish_name && strcmp(path, vanish_name) == 0) {
		errno = ENOENT;
		return -1;
	}
	return __real_fstatat(dfd, path, st, flags);
}

static char *shm;
static mode_t saved_umask;

static int group_setup(void **state)
{
	(void)state;
	shm = ut_mkdtemp("shm");
	/* A umask that would spoil the modes if the backend honoured it. */
	saved_umask = umask(077);
	return setenv("SHMTOOL_SHM_DIR", shm, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	umask(saved_umask);
	ut_rmtree(shm);
	free(shm);
	unsetenv("SHMTOOL_SHM_DIR");
	return 0;
}

/* Each test starts with an empty shm directory and no injected failure. */
static int test_setup(void **state)
{
	(void)state;
	ut_empty_dir(shm);
	ftruncate_err = fchmod_err = pwrite_err = 0;
	vanish_name = NULL;
	alarm(10);	/* a blocking open kills the test, not the suite */
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	alarm(0);
	return 0;
}

static bool exists(const char *name)
{
	char *p = ut_path(shm, name);
	struct stat st;
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static void stat_name(const char *name, struct stat *st)
{
	char *p = ut_path(shm, name);

	assert_int_equal(lstat(p, st), 0);
	free(p);
}

static void make_fifo(const char *name)
{
	char *p = ut_path(shm, name);

	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
}

static void make_symlink(const char *target, const char *name)
{
	char *p = ut_path(shm, name);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static struct create_req req_for(const char *name, uint64_t size,
				 unsigned int mode)
{
	struct create_req r = { .name = name, .size = size, .mode = mode };

	return r;
}

/* ---- create ------------------------------------------------------------ */

static void test_create(void **state)
{
	static const unsigned int modes[] = { 0600, 0640, 0644, 0666, 0777,
					      0400, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(modes); i++) {
		char name[16];
		struct create_req r;
		struct segment out;
		struct stat st;
		bool created = false;

		snprintf(name, sizeof(name), "seg%zu", i);
		r = req_for(name, 4096 + i, modes[i]);
		assert_int_equal(posix_backend.create(&r, &out, &created), 0);
		assert_true(created);
		stat_name(name, &st);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_size, 4096 + i);
		/* Exactly the mode asked for: the umask is ignored. */
		if ((st.st_mode & 07777) != modes[i])
			fail_msg("mode %04o, want %04o",
				 (unsigned int)(st.st_mode & 07777), modes[i]);
		/* out describes the new file. */
		assert_int_equal(out.kind, SEG_POSIX);
		assert_string_equal(seg_name(&out), name);
		assert_int_equal(out.size, 4096 + i);
		assert_int_equal(out.mode, modes[i]);
		assert_int_equal(out.ino, st.st_ino);
		assert_int_equal(out.dev, st.st_dev);
	}
}

static void test_create_with_content(void **state)
{
	struct create_req r = req_for("init", 16, 0600);
	struct segment out;
	bool created;
	size_t len;
	char *data;

	(void)state;
	r.init = "abc";
	r.init_len = 3;
	assert_int_equal(posix_backend.create(&r, &out, &created), 0);
	data = ut_read_file(shm, "init", &len);
	assert_int_equal(len, 16);
	assert_memory_equal(data, "abc\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	free(data);
}

static void test_create_invalid(void **state)
{
	struct create_req r = req_for("bad", 0, 0600);
	struct segment out;
	bool created = true;

	(void)state;
	assert_int_equal(posix_backend.create(&r, &out, &created), -EINVAL);
	assert_false(created);
	r = req_for("bad", 2, 0600);
	r.init = "abc";
	r.init_len = 3;
	assert_int_equal(posix_backend.create(&r, &out, &created), -EINVAL);
	r = req_for("bad", (uint64_t)INT64_MAX + 1, 0600);
	assert_int_equal(posix_backend.create(&r, &out, &created), -EINVAL);
	assert_false(exists("bad"));
}

static void test_create_existing(void **state)
{
	struct create_req r = req_for("old", 4096, 0600);
	struct segment out;
	struct stat before, after;
	bool created = true;
	size_t len;
	char *data;

	(void)state;
	ut_write_file(shm, "old", "hello", 5);
	stat_name("old", &before);
	assert_int_equal(posix_backend.create(&r, &out, &created), -EEXIST);
	assert_false(created);
	/* Untouched: size, bytes, mode, inode. */
	stat_name("old", &after);
	assert_int_equal(after.st_size, 5);
	assert_int_equal(after.st_mode, before.st_mode);
	assert_int_equal(after.st_ino, before.st_ino);
	data = ut_read_file(shm, "old", &len);
	assert_string_equal(data, "hello");
	free(data);
}

static void test_create_exist_ok(void **state)
{
	struct segment out;
	struct stat st;
	bool created = true;
	struct create_req r;

	(void)state;
	ut_write_file(shm, "old", "hello", 5);

	r = req_for("old", 4, 0600);
	r.exist_ok = true;
	assert_int_equal(posix_backend.create(&r, &out, &created), 0);
	assert_false(created);
	assert_int_equal(out.size, 5);
	assert_string_equal(seg_name(&out), "old");

	r.size = 5;
	assert_int_equal(posix_backend.create(&r, &out, &created), 0);

	r.size = 6;
	assert_int_equal(posix_backend.create(&r, &out, &created), -EFBIG);
	assert_false(created);

	stat_name("old", &st);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(st.st_mode & 0777, 0644);

	/* An existing name that is not a segment is not "ok". */
	make_fifo("fifo");
	r = req_for("fifo", 1, 0600);
	r.exist_ok = true;
	assert_int_equal(posix_backend.create(&r, &out, &created),
			 -EMEDIUMTYPE);
}

/* A failure after the file exists removes it: no partial create. */
static void test_create_failure_removes(void **state)
{
	struct create_req r = req_for("partial", 1 << 20, 0644);
	struct segment out;
	bool created = true;

	(void)state;
	ftruncate_err = ENOSPC;
	assert_int_equal(posix_backend.create(&r, &out, &created), -ENOSPC);
	assert_false(created);
	assert_false(exists("partial"));
	ftruncate_err = 0;

	fchmod_err = EPERM;
	assert_int_equal(posix_backend.create(&r, &out, &created), -EPERM);
	assert_false(exists("partial"));
	fchmod_err = 0;

	r.init = "data";
	r.init_len = 4;
	pwrite_err = ENOSPC;
	assert_int_equal(posix_backend.create(&r, &out, &created), -ENOSPC);
	assert_false(created);
	assert_false(exists("partial"));
	pwrite_err = 0;

	/* And then it works. */
	assert_int_equal(posix_backend.create(&r, &out, &created), 0);
	assert_true(created);
	assert_true(exists("partial"));
}

/* O_EXCL and O_NOFOLLOW: a dangling symlink is never followed. */
static void test_create_over_symlink(void **state)
{
	struct create_req r = req_for("link", 4096, 0600);
	struct segment out;
	bool created = true;

	(void)state;
	make_symlink("target", "link");
	assert_int_equal(posix_backend.create(&r, &out, &created), -EEXIST);
	assert_false(created);
	assert_false(exists("target"));
}

/* ---- list / lookup ----------------------------------------------------- */

static void make_zoo(void)
{
	ut_write_file(shm, "a", "0123456789", 10);
	ut_write_file(shm, "b", "", 0);
	ut_write_file(shm, "sem.x", "semaphore", 9);
	ut_mkdir(shm, "d");
	make_symlink("a", "l");
	make_symlink("/nonexistent", "dangling");
	make_fifo("f");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(seg_name((const struct segment *)a),
		      seg_name((const struct segment *)b));
}

static void test_list(void **state)
{
	struct seglist l = { 0 };
	struct stat st;

	(void)state;
	make_zoo();
	assert_int_equal(posix_backend.list(&l), 0);
	/* regular files only: a, b and the semaphore (flagged as one, for
	 * ls --sem to show and the rest to leave out) */
	if (l.n != 3) {
		size_t i;

		for (i = 0; i < l.n; i++)
			print_error("listed \"%s\"\n", seg_name(&l.v[i]));
		fail_msg("listed %zu entries, want 3 (a, b, sem.x)", l.n);
	}
	qsort(l.v, l.n, sizeof(l.v[0]), by_name);
	assert_string_equal(seg_name(&l.v[0]), "a");
	assert_string_equal(seg_name(&l.v[1]), "b");
	assert_string_equal(seg_name(&l.v[2]), "sem.x");
	assert_false(l.v[0].sem);
	assert_false(l.v[1].sem);
	assert_true(l.v[2].sem);
	assert_int_equal(l.v[2].kind, SEG_POSIX);
	assert_int_equal(l.v[2].size, 9);
	stat_name("a", &st);
	assert_int_equal(l.v[0].kind, SEG_POSIX);
	assert_int_equal(l.v[0].size, 10);
	assert_int_equal(l.v[0].mode, 0644);
	assert_int_equal(l.v[0].ino, st.st_ino);
	assert_int_equal(l.v[0].dev, st.st_dev);
	assert_int_equal(l.v[0].uid, st.st_uid);
	assert_true(l.v[0].has_rss);
	assert_int_equal(l.v[0].rss, (uint64_t)st.st_blocks * 512);
	assert_int_equal(l.v[1].size, 0);
	seglist_free(&l);
}

/*
 * A segment removed between readdir() and fstatat() is skipped, and the
 * listing still succeeds.
 *
 * Regression (posix.c posix_list): the failed fstatat() left errno set
 * (ENOENT), nothing resets it before the next readdir(), and when that
 * readdir() returns NULL at the end of the directory the loop's
 * "if (!rc && errno)" check turns the stale ENOENT into a failure of the
 * whole listing.  It happens whenever no segment follows the vanished
 * entry in readdir order; here the vanished entry is the only one.
 */
static void test_list_entry_vanishes(void **state)
{
	struct seglist l = { 0 };

	(void)state;
	ut_write_file(shm, "vanishing", "x", 1);
	vanish_name = "vanishing";
	assert_int_equal(posix_backend.list(&l), 0);
	assert_int_equal(l.n, 0);
	seglist_free(&l);
}

static void test_list_no_dir(void **state)
{
	struct seglist l = { 0 };
	char *missing = ut_path(shm, "missing");

	(void)state;
	assert_int_equal(setenv("SHMTOOL_SHM_DIR", missing, 1), 0);
	assert_int_equal(posix_backend.list(&l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(setenv("SHMTOOL_SHM_DIR", shm, 1), 0);
	seglist_free(&l);
	free(missing);
}

static void test_lookup(void **state)
{
	static const struct {
		const char *name;
		int rc;
	} cases[] = {
		{ "a", 0 },
		{ "b", 0 },
		{ "l", -EMEDIUMTYPE },		/* symlink */
		{ "dangling", -EMEDIUMTYPE },
		{ "f", -EMEDIUMTYPE },		/* FIFO */
		{ "d", -EMEDIUMTYPE },		/* directory */
		{ "sem.x", 0 },			/* a semaphore (sem:/x) */
		{ "missing", -ENOENT },
	};
	size_t i;

	(void)state;
	make_zoo();
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		struct segment s;
		int rc = posix_backend.lookup_name(cases[i].name, &s);

		if (rc != cases[i].rc)
			fail_msg("lookup \"%s\" = %d, want %d", cases[i].name,
				 rc, cases[i].rc);
		if (rc == 0) {
			assert_string_equal(seg_name(&s), cases[i].name);
			assert_int_equal(s.sem, cases[i].name[0] == 's');
		}
	}
}

/* ---- open ---------------------------------------------------------------- */

static void seg_named(struct segment *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	segment_set_name(s, name);
}

static void test_open_not_a_file(void **state)
{
	struct seghandle h;
	struct segment s;

	(void)state;
	make_zoo();
	/* A FIFO with no writer: must not block (the alarm would fire). */
	seg_named(&s, "f");
	assert_int_equal(posix_backend.open(&s, false, &h), -EMEDIUMTYPE);
	assert_int_equal(posix_backend.open(&s, true, &h), -EMEDIUMTYPE);
	/* Symlinks are never followed. */
	seg_named(&s, "l");
	assert_int_equal(posix_backend.open(&s, false, &h), -EMEDIUMTYPE);
	assert_int_equal(posix_backend.open(&s, true, &h), -EMEDIUMTYPE);
	seg_named(&s, "d");
	assert_int_equal(posix_backend.open(&s, false, &h), -EMEDIUMTYPE);
	seg_named(&s, "missing");
	assert_int_equal(posix_backend.open(&s, false, &h), -ENOENT);
}

static void test_open_io(void **state)
{
	struct create_req r = req_for("io", 32, 0600);
	struct segment s;
	struct seghandle h;
	char buf[32];
	size_t done;
	bool created;
	int flags;

	(void)state;
	assert_int_equal(posix_backend.create(&r, &s, &created), 0);
	assert_int_equal(posix_backend.open(&s, true, &h), 0);
	assert_int_equal(h.kind, SEG_POSIX);
	assert_int_equal(h.size, 32);
	/* O_NONBLOCK was only for the open. */
	flags = fcntl(h.fd, F_GETFL);
	assert_true(flags >= 0);
	assert_false(flags & O_NONBLOCK);

	assert_int_equal(posix_backend.pwrite(&h, "hello", 5, 27, &done), 0);
	assert_int_equal(done, 5);
	/* Never past the end, never growing the file. */
	assert_int_equal(posix_backend.pwrite(&h, "x", 1, 32, &done), -EFBIG);
	assert_int_equal(done, 0);
	assert_int_equal(posix_backend.pwrite(&h, "xy", 2, 31, &done),
			 -EFBIG);
	assert_int_equal(posix_backend.pread(&h, buf, sizeof(buf), 27, &done),
			 0);
	assert_int_equal(done, 5);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(posix_backend.close(&h), 0);
	assert_int_equal(h.fd, -1);
	{
		struct stat st;

		stat_name("io", &st);
		assert_int_equal(st.st_size, 32);
	}
}

/* ---- replaced names: ESTALE ---------------------------------------------- */

/* Replace shm/name with a new file (a new inode) under the same name. */
static void replace(const char *name)
{
	char *tmp = ut_path(shm, "replacement.tmp"), *p = ut_path(shm, name);

	ut_write_file(shm, "replacement.tmp", "new!", 4);
	assert_int_equal(rename(tmp, p), 0);
	free(tmp);
	free(p);
}

static void test_remove(void **state)
{
	struct segment s;

	(void)state;
	ut_write_file(shm, "r", "old", 3);
	assert_int_equal(posix_backend.lookup_name("r", &s), 0);
	assert_int_equal(posix_backend.remove(&s), 0);
	assert_false(exists("r"));
	/* Already gone. */
	assert_int_equal(posix_backend.remove(&s), -ENOENT);
}

static void test_remove_replaced(void **state)
{
	struct segment s, now;
	size_t len;
	char *data, *p;

	(void)state;
	ut_write_file(shm, "r", "old", 3);
	assert_int_equal(posix_backend.lookup_name("r", &s), 0);
	replace("r");
	assert_int_equal(posix_backend.lookup_name("r", &now), 0);
	assert_true(now.ino != s.ino);

	assert_int_equal(posix_backend.remove(&s), -ESTALE);
	/* The new file is untouched. */
	data = ut_read_file(shm, "r", &len);
	assert_string_equal(data, "new!");
	free(data);

	/* A name that is no longer a segment is not removed either. */
	p = ut_path(shm, "r");
	assert_int_equal(unlink(p), 0);
	free(p);
	make_fifo("r");
	assert_int_equal(posix_backend.remove(&now), -EMEDIUMTYPE);
	assert_true(exists("r"));
}

static void test_open_replaced(void **state)
{
	struct segment s;
	struct seghandle h;

	(void)state;
	ut_write_file(shm, "o", "old", 3);
	assert_int_equal(posix_backend.lookup_name("o", &s), 0);
	replace("o");
	assert_int_equal(posix_backend.open(&s, false, &h), -ESTALE);
	assert_int_equal(posix_backend.open(&s, true, &h), -ESTALE);
}

/* ---- chmod, chown ------------------------------------------------------ */

static void test_set_attr(void **state)
{
	struct seg_attr a = { .what = ATTR_MODE, .mode = 0640 };
	struct segment s;
	struct stat st;

	(void)state;
	ut_write_file(shm, "c", "abc", 3);
	assert_int_equal(posix_backend.lookup_name("c", &s), 0);
	assert_int_equal(posix_backend.set_attr(&s, &a), 0);
	stat_name("c", &st);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* no read permission needed: nothing is opened for reading */
	a.mode = 0;
	assert_int_equal(posix_backend.set_attr(&s, &a), 0);
	stat_name("c", &st);
	assert_int_equal(st.st_mode & 07777, 0);
	/* the owner's and group's IDs, each alone */
	a.what = ATTR_GID;
	a.gid = getgid();
	assert_int_equal(posix_backend.set_attr(&s, &a), 0);
	a.what = ATTR_UID | ATTR_GID;
	a.uid = getuid();
	assert_int_equal(posix_backend.set_attr(&s, &a), 0);
	stat_name("c", &st);
	assert_int_equal(st.st_uid, getuid());
	assert_int_equal(st.st_mode & 07777, 0);
}

/*
 * The name changed between the lookup and the change: a symlink to a file
 * outside (never followed), a FIFO (never opened, so no hang), another
 * file (not the one looked up): refused, and nothing changes.
 */
static void test_set_attr_swapped(void **state)
{
	struct seg_attr a = { .what = ATTR_MODE | ATTR_UID, .mode = 0666,
			      .uid = 65534 };
	struct segment s;
	struct stat st;
	char *p, *outside, *keep;

	(void)state;
	ut_write_file(shm, "out", "secret", 6);
	outside = ut_path(shm, "out");
	assert_int_equal(chmod(outside, 0600), 0);
	ut_write_file(shm, "w", "abc", 3);
	assert_int_equal(posix_backend.lookup_name("w", &s), 0);
	p = ut_path(shm, "w");
	/* keep its inode alive: a new file must not get its number */
	keep = ut_path(shm, "keep");
	assert_int_equal(link(p, keep), 0);

	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(outside, p), 0);
	assert_int_equal(posix_backend.set_attr(&s, &a), -EMEDIUMTYPE);
	stat_name("out", &st);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, getuid());

	assert_int_equal(unlink(p), 0);
	make_fifo("w");
	assert_int_equal(posix_backend.set_attr(&s, &a), -EMEDIUMTYPE);
	stat_name("w", &st);
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_int_equal(unlink(p), 0);
	ut_write_file(shm, "w", "xyz", 3);
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(posix_backend.set_attr(&s, &a), -ESTALE);
	stat_name("w", &st);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, getuid());

	assert_int_equal(unlink(p), 0);
	assert_int_equal(posix_backend.set_attr(&s, &a), -ENOENT);
	/* the file looked up, under its other name, kept its mode too */
	stat_name("keep", &st);
	assert_int_equal(st.st_mode & 07777, s.mode);
	free(keep);
	free(p);
	free(outside);
}

#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create),
		T(test_create_with_content),
		T(test_create_invalid),
		T(test_create_existing),
		T(test_create_exist_ok),
		T(test_create_failure_removes),
		T(test_create_over_symlink),
		T(test_list),
		T(test_list_entry_vanishes),
		T(test_list_no_dir),
		T(test_lookup),
		T(test_open_not_a_file),
		T(test_open_io),
		T(test_remove),
		T(test_remove_replaced),
		T(test_open_replaced),
		T(test_set_attr),
		T(test_set_attr_swapped),
	};

	return cmocka_run_group_tests_name("posix", tests, group_setup,
					   group_teardown);
}
