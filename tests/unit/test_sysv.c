// SPDX-License-Identifier: MIT
/*
 * test_sysv.c - the System V backend's error paths, with shmget, shmat,
 * shmdt and shmctl intercepted (no real segment is touched) and a fake
 * /proc/sysvipc/shm in a temporary SHMTOOL_PROC_ROOT.
 */
// WRAP: shmget shmat shmdt shmctl
#include "unit.h"

#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "segment.h"

/* ---- the wraps --------------------------------------------------------- */

int __wrap_shmget(key_t key, size_t size, int shmflg);
void *__wrap_shmat(int shmid, const void *shmaddr, int shmflg);
int __wrap_shmdt(const void *shmaddr);
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf);
/* The last IPC_SET argument. */
static struct shmid_ds last_set;
static int nset;

/* will_return: the id, or -errno. */
int __wrap_shmget(key_t key, size_t size, int shmflg)
{
	int rc;

	check_expected(key);
	check_expected(size);
	check_expected(shmflg);
	rc = mock_type(int);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

/* will_return: an errno (0 for success), then on success the address. */
void *__wrap_shmat(int shmid, const void *shmaddr, int shmflg)
{
	int err;

	check_expected(shmid);
	assert_null(shmaddr);
	check_expected(shmflg);
	err = mock_type(int);
	if (err) {
		errno = err;
		return (void *)-1;
	}
	return mock_ptr_type(void *);
}

/* will_return: 0 or -errno. */
int __wrap_shmdt(const void *shmaddr)
{
	int rc;

	check_expected_ptr(shmaddr);
	rc = mock_type(int);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

/*
 * will_return: the result (-errno for failure), then for a successful
 * IPC_STAT/SHM_STAT/SHM_STAT_ANY the struct shmid_ds to report.
 */
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	int rc;

	check_expected(shmid);
	check_expected(cmd);
	rc = mock_type(int);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		assert_non_null(buf);
		memcpy(buf, mock_ptr_type(const struct shmid_ds *),
		       sizeof(*buf));
		break;
	case IPC_SET:
		assert_non_null(buf);
		last_set = *buf;
		nset++;
		break;
	case IPC_RMID:
		break;
	default:
		break;
	}
	return rc;
}

static void expect_shmget(key_t key, size_t size, int flags, int rc)
{
	expect_value(__wrap_shmget, key, key);
	expect_value(__wrap_shmget, size, size);
	expect_value(__wrap_shmget, shmflg, flags);
	will_return(__wrap_shmget, rc);
}

static void expect_shmat_fail(int id, int flags, int err)
{
	expect_value(__wrap_shmat, shmid, id);
	expect_value(__wrap_shmat, shmflg, flags);
	will_return(__wrap_shmat, err);
}

static void expect_shmat_ok(int id, int flags, void *addr)
{
	expect_value(__wrap_shmat, shmid, id);
	expect_value(__wrap_shmat, shmflg, flags);
	will_return(__wrap_shmat, 0);
	will_return(__wrap_shmat, addr);
}

static void expect_shmdt(const void *addr, int rc)
{
	expect_value(__wrap_shmdt, shmaddr, (uintptr_t)addr);
	will_return(__wrap_shmdt, rc);
}

static void expect_shmctl(int id, int cmd, int rc)
{
	expect_value(__wrap_shmctl, shmid, id);
	expect_value(__wrap_shmctl, cmd, cmd);
	will_return(__wrap_shmctl, rc);
}

static void expect_shmctl_stat(int id, int cmd, int rc,
			       const struct shmid_ds *ds)
{
	expect_shmctl(id, cmd, rc);
	will_return(__wrap_shmctl, ds);
}

/*
 * sysv_open: shmat, then SHM_STAT_ANY of the id (at its index) to make
 * sure the segment attached is the one looked up, and its size.
 */
static struct shmid_ds attach_ds[8];
static int nattach_ds;

static void expect_attach(int id, int flags, void *addr,
			  const struct segment *seg)
{
	struct shmid_ds *ds = &attach_ds[nattach_ds++ % 8];

	memset(ds, 0, sizeof(*ds));
	ds->shm_perm.__key = seg->key;
	ds->shm_perm.uid = seg->uid;
	ds->shm_cpid = seg->cpid;
	ds->shm_ctime = seg->ctime;
	ds->shm_segsz = seg->size;
	expect_shmat_ok(id, flags, addr);
	expect_shmctl_stat(id & 0x7fff, SHM_STAT_ANY, id, ds);
}

/* ---- the fake /proc ---------------------------------------------------- */

static char *proc_dir;

#define HEADER                                                              \
	"       key      shmid perms                  size  cpid  lpid "    \
	"nattch   uid   gid  cuid  cgid      atime      dtime      ctime "  \
	"                  rss                  swap\n"

/* key 0x1234 = 4660: shmid 77, 8192 bytes; key -5: shmid 78. */
#define LINE_77                                                             \
	"      4660         77   640                  8192   100   101 "    \
	"     1  1000  1001  1002  1003          5          6          7 "  \
	"                 4096                     0\n"
#define LINE_78                                                             \
	"        -5         78  1600                   100   200   201 "    \
	"     0  2000  2001  2002  2003          0          0          9 "  \
	"                    0                     0\n"

static void write_sysvipc(const char *text)
{
	ut_write_file(proc_dir, "sysvipc/shm", text, strlen(text));
}

static int group_setup(void **state)
{
	(void)state;
	proc_dir = ut_mkdtemp("proc");
	ut_mkdir(proc_dir, "sysvipc");
	return setenv("SHMTOOL_PROC_ROOT", proc_dir, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	ut_rmtree(proc_dir);
	free(proc_dir);
	unsetenv("SHMTOOL_PROC_ROOT");
	return 0;
}

/* Each test starts with no /proc/sysvipc/shm at all. */
static int test_setup(void **state)
{
	char *p = ut_path(proc_dir, "sysvipc/shm");

	(void)state;
	(void)unlink(p);
	free(p);
	/* the fixture, even after a test that failed with the real /proc */
	assert_int_equal(setenv("SHMTOOL_PROC_ROOT", proc_dir, 1), 0);
	nset = 0;
	memset(&last_set, 0, sizeof(last_set));
	return 0;
}

static struct create_req req_for(int32_t key, uint64_t size,
				 unsigned int mode)
{
	struct create_req r = { .key = key, .size = size, .mode = mode };

	return r;
}

/* ---- create ------------------------------------------------------------ */

static void test_create_shmget_errors(void **state)
{
	static const int errs[] = { EEXIST, ENOSPC, EINVAL, EACCES, ENOMEM,
				    EPERM };
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(errs); i++) {
		struct create_req r = req_for(0x1234, 4096, 0640);
		struct segment out;
		bool created = true;

		expect_shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0640,
			      -errs[i]);
		assert_int_equal(sysv_backend.create(&r, &out, &created),
				 -errs[i]);
		assert_false(created);
	}
}

static void test_create_private_and_hugetlb(void **state)
{
	struct create_req r = req_for(IPC_PRIVATE, 1 << 21, 0600);
	struct segment out;
	bool created;

	(void)state;
	r.hugetlb = true;
	expect_shmget(IPC_PRIVATE, 1 << 21,
		      IPC_CREAT | IPC_EXCL | SHM_HUGETLB | 0600, -ENOMEM);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -ENOMEM);

	/* exist_ok means nothing for IPC_PRIVATE: no lookup by key 0. */
	r = req_for(IPC_PRIVATE, 4096, 0600);
	r.exist_ok = true;
	write_sysvipc(HEADER LINE_77);
	expect_shmget(IPC_PRIVATE, 4096, IPC_CREAT | IPC_EXCL | 0600,
		      -EEXIST);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EEXIST);
}

static void test_create_rejects_before_shmget(void **state)
{
	struct create_req r = req_for(0x1234, 0, 0600);
	struct segment out;
	bool created = true;

	(void)state;
	/* No shmget call is expected: strict mocks fail on one. */
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EINVAL);
	assert_false(created);
	r = req_for(0x1234, 2, 0600);
	r.init = "abc";
	r.init_len = 3;
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EINVAL);
}

static void test_create_ok(void **state)
{
	struct create_req r = req_for(0x1234, 4096, 0640);
	struct segment out;
	bool created = false;

	(void)state;
	write_sysvipc(HEADER LINE_77 LINE_78);
	expect_shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0640, 77);
	assert_int_equal(sysv_backend.create(&r, &out, &created), 0);
	assert_true(created);
	/* Described from /proc/sysvipc/shm. */
	assert_int_equal(out.kind, SEG_SYSV);
	assert_int_equal(out.shmid, 77);
	assert_int_equal(out.size, 8192);
	assert_int_equal(out.cpid, 100);

	/* Listed nowhere: described from the request. */
	write_sysvipc(HEADER LINE_78);
	expect_shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0640, 79);
	assert_int_equal(sysv_backend.create(&r, &out, &created), 0);
	assert_true(created);
	assert_int_equal(out.kind, SEG_SYSV);
	assert_int_equal(out.shmid, 79);
	assert_int_equal(out.key, 0x1234);
	assert_int_equal(out.size, 4096);
	assert_int_equal(out.mode, 0640);
}

static void test_create_exist_ok(void **state)
{
	static const struct {
		int32_t key;
		uint64_t size;
		int rc;
	} cases[] = {
		{ 0x1234, 4096, 0 },	/* larger than asked */
		{ 0x1234, 8192, 0 },	/* exactly */
		{ 0x1234, 8193, -EFBIG },	/* smaller than asked */
		{ -5, 100, 0 },		/* a negative key */
		{ 0x9999, 4096, -EEXIST },	/* gone meanwhile */
	};
	size_t i;

	(void)state;
	write_sysvipc(HEADER LINE_77 LINE_78);
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		struct create_req r = req_for(cases[i].key, cases[i].size,
					      0600);
		struct segment out;
		bool created = true;
		int rc;

		r.exist_ok = true;
		expect_shmget(cases[i].key, cases[i].size,
			      IPC_CREAT | IPC_EXCL | 0600, -EEXIST);
		rc = sysv_backend.create(&r, &out, &created);
		if (rc != cases[i].rc)
			fail_msg("exist_ok key %d size %llu: %d, want %d",
				 cases[i].key,
				 (unsigned long long)cases[i].size, rc,
				 cases[i].rc);
		assert_false(created);
		if (rc == 0)
			assert_int_equal(out.shmid, cases[i].key == -5 ? 78
								      : 77);
	}
}

/* The existing segment is looked up through the SHM_STAT fallback too. */
static void test_create_exist_ok_fallback(void **state)
{
	struct create_req r = req_for(0x1234, 4096, 0600);
	struct shmid_ds ds;
	struct segment out;
	bool created = true;

	(void)state;
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.__key = 0x1234;
	ds.shm_perm.mode = 0600;
	ds.shm_segsz = 1024;
	r.exist_ok = true;
	expect_shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0600, -EEXIST);
	expect_shmctl(0, SHM_INFO, 0);
	expect_shmctl_stat(0, SHM_STAT_ANY, 12, &ds);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EFBIG);
	assert_int_equal(out.shmid, 12);
	assert_false(created);
}

/* Content to copy in: shmat failing removes the new segment. */
static void test_create_init_shmat_fails(void **state)
{
	struct create_req r = req_for(0x1234, 4096, 0400);
	struct segment out;
	bool created = true;

	(void)state;
	r.init = "abc";
	r.init_len = 3;
	/* Created writable (0600) until the content is in. */
	expect_shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0600, 77);
	expect_shmat_fail(77, 0, EACCES);
	expect_shmctl(77, IPC_RMID, 0);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EACCES);
	assert_false(created);
}

static void test_create_init_later_failures(void **state)
{
	char mem[16];
	struct create_req r = req_for(0x1234, sizeof(mem), 0440);
	struct shmid_ds ds;
	struct segment out;
	bool created = true;

	(void)state;
	r.init = "abc";
	r.init_len = 3;
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.mode = 0600;

	/* shmdt fails. */
	expect_shmget(0x1234, sizeof(mem), IPC_CREAT | IPC_EXCL | 0600, 77);
	expect_shmat_ok(77, 0, mem);
	expect_shmdt(mem, -EINVAL);
	expect_shmctl(77, IPC_RMID, 0);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EINVAL);
	assert_false(created);

	/* IPC_STAT fails. */
	expect_shmget(0x1234, sizeof(mem), IPC_CREAT | IPC_EXCL | 0600, 77);
	expect_shmat_ok(77, 0, mem);
	expect_shmdt(mem, 0);
	expect_shmctl(77, IPC_STAT, -EIDRM);
	expect_shmctl(77, IPC_RMID, -EINVAL);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EIDRM);
	assert_false(created);

	/* IPC_SET fails. */
	expect_shmget(0x1234, sizeof(mem), IPC_CREAT | IPC_EXCL | 0600, 77);
	expect_shmat_ok(77, 0, mem);
	expect_shmdt(mem, 0);
	expect_shmctl_stat(77, IPC_STAT, 0, &ds);
	expect_shmctl(77, IPC_SET, -EPERM);
	expect_shmctl(77, IPC_RMID, 0);
	assert_int_equal(sysv_backend.create(&r, &out, &created), -EPERM);
	assert_false(created);
}

static void test_create_init_ok(void **state)
{
	char mem[16];
	struct create_req r = req_for(0x1234, sizeof(mem), 0440);
	struct shmid_ds ds;
	struct segment out;
	bool created = false;

	(void)state;
	memset(mem, 0, sizeof(mem));
	r.init = "abc";
	r.init_len = 3;
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.mode = 0600;
	ds.shm_perm.uid = 1000;
	write_sysvipc(HEADER LINE_77);

	expect_shmget(0x1234, sizeof(mem), IPC_CREAT | IPC_EXCL | 0600, 77);
	expect_shmat_ok(77, 0, mem);
	expect_shmdt(mem, 0);
	expect_shmctl_stat(77, IPC_STAT, 0, &ds);
	expect_shmctl(77, IPC_SET, 0);
	assert_int_equal(sysv_backend.create(&r, &out, &created), 0);
	assert_true(created);
	assert_memory_equal(mem, "abc\0", 4);
	/* The final mode, exactly, set once the content is in. */
	assert_int_equal(nset, 1);
	assert_int_equal(last_set.shm_perm.mode & 0777, 0440);
	assert_int_equal(last_set.shm_perm.uid, 1000);
	assert_int_equal(out.shmid, 77);
}

/* ---- open / io / close ------------------------------------------------- */

static void sysv_seg(struct segment *s, int id, uint64_t size)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_SYSV;
	s->shmid = id;
	s->size = size;
}

static void test_open_errors(void **state)
{
	static const int errs[] = { EIDRM, EINVAL, EACCES, ENOMEM };
	struct segment s;
	size_t i;

	(void)state;
	sysv_seg(&s, 77, 4096);
	for (i = 0; i < UT_ARRAY_SIZE(errs); i++) {
		struct seghandle h;

		expect_shmat_fail(77, 0, errs[i]);
		assert_int_equal(sysv_backend.open(&s, true, &h), -errs[i]);
		expect_shmat_fail(77, SHM_RDONLY, errs[i]);
		assert_int_equal(sysv_backend.open(&s, false, &h), -errs[i]);
	}
}

static void test_open_io_close(void **state)
{
	char mem[32], buf[32];
	struct segment s;
	struct seghandle h;
	size_t done;

	(void)state;
	memset(mem, '.', sizeof(mem));
	sysv_seg(&s, 77, sizeof(mem));

	expect_attach(77, 0, mem, &s);
	assert_int_equal(sysv_backend.open(&s, true, &h), 0);
	assert_int_equal(h.kind, SEG_SYSV);
	assert_ptr_equal(h.addr, mem);
	assert_int_equal(h.size, sizeof(mem));
	assert_true(h.writable);

	assert_int_equal(sysv_backend.pwrite(&h, "hello", 5, 10, &done), 0);
	assert_int_equal(done, 5);
	assert_memory_equal(mem + 10, "hello", 5);
	/* Never past the end: nothing written. */
	done = 99;
	assert_int_equal(sysv_backend.pwrite(&h, "XYZ", 3, 30, &done),
			 -EFBIG);
	assert_int_equal(done, 0);
	assert_int_equal(sysv_backend.pwrite(&h, "X", 1, 33, &done), -EFBIG);
	assert_memory_equal(mem + 30, "..", 2);
	/* A write that ends exactly at the end is fine. */
	assert_int_equal(sysv_backend.pwrite(&h, "!!", 2, 30, &done), 0);

	assert_int_equal(sysv_backend.pread(&h, buf, 5, 10, &done), 0);
	assert_int_equal(done, 5);
	assert_memory_equal(buf, "hello", 5);
	/* Reads stop at the end. */
	assert_int_equal(sysv_backend.pread(&h, buf, 8, 28, &done), 0);
	assert_int_equal(done, 4);
	assert_int_equal(sysv_backend.pread(&h, buf, 1, 33, &done), -EINVAL);

	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);
	assert_null(h.addr);
	/* A second close does not detach twice. */
	assert_int_equal(sysv_backend.close(&h), 0);

	/* Read-only: attached SHM_RDONLY, writes refused. */
	expect_attach(77, SHM_RDONLY, mem, &s);
	assert_int_equal(sysv_backend.open(&s, false, &h), 0);
	assert_false(h.writable);
	assert_int_equal(sysv_backend.pwrite(&h, "x", 1, 0, &done), -EBADF);
	assert_int_equal(mem[0], '.');
	expect_shmdt(mem, -EINVAL);
	assert_int_equal(sysv_backend.close(&h), -EINVAL);
}

/*
 * Through the segment's own file.  A shared mapping of a memfd stands in
 * for the attachment: it lives on the same internal shmem mount as a SysV
 * segment, and the fake shmid is its inode number, as a real segment's
 * inode number is its shmid.  /proc/self/map_files reaches it the way
 * sysv_open reaches a real segment's; the wraps see only shmat and shmdt.
 */
static void test_open_through_file(void **state)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), sz = 2 * page;
	struct seghandle h;
	struct segment s;
	char buf[16], probe[64];
	size_t done;
	uint64_t moved;
	int mfd, pfd[2], fd, id;
	struct stat mst;
	char *mem;

	(void)state;
	/* map_files is the kernel's: this test reads the real /proc. */
	unsetenv("SHMTOOL_PROC_ROOT");
	mfd = memfd_create("ut-sysv", MFD_CLOEXEC);
	assert_true(mfd >= 0);
	assert_int_equal(ftruncate(mfd, (off_t)sz), 0);
	assert_int_equal(fstat(mfd, &mst), 0);
	assert_true(mst.st_ino > 0 && mst.st_ino < INT_MAX);
	id = (int)mst.st_ino;
	mem = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	assert_true(mem != MAP_FAILED);
	snprintf(probe, sizeof(probe), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)mem, (unsigned long)(mem + sz));
	fd = open(probe, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* Needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE. */
		assert_true(errno == EPERM || errno == EACCES);
		munmap(mem, sz);
		close(mfd);
		setenv("SHMTOOL_PROC_ROOT", proc_dir, 1);
		skip();
	}
	close(fd);
	memset(mem, '.', sz);
	sysv_seg(&s, id, sz);

	expect_attach(id, 0, mem, &s);
	assert_int_equal(sysv_backend.open(&s, true, &h), 0);
	assert_ptr_equal(h.addr, mem);
	assert_true(h.fd >= 0);
	fd = h.fd;
	/* pwrite goes to the file: the same pages the mapping shows. */
	assert_int_equal(sysv_backend.pwrite(&h, "hello", 5, 10, &done), 0);
	assert_int_equal(done, 5);
	assert_memory_equal(mem + 10, "hello", 5);
	/* Never past the end, and the file does not grow. */
	done = 99;
	assert_int_equal(sysv_backend.pwrite(&h, "XY", 2, sz - 1, &done),
			 -EFBIG);
	assert_int_equal(done, 0);
	assert_int_equal(lseek(mfd, 0, SEEK_END), (off_t)sz);
	assert_int_equal(sysv_backend.pwrite(&h, "!", 1, sz - 1, &done), 0);
	assert_int_equal(mem[sz - 1], '!');
	mem[20] = 'M';
	assert_int_equal(sysv_backend.pread(&h, buf, 11, 10, &done), 0);
	assert_int_equal(done, 11);
	assert_memory_equal(buf, "hello.....M", 11);
	/* Out of range: refused as through the mapping, nothing moved. */
	assert_int_equal(sysv_backend.pread(&h, buf, 1, sz + 1, &done),
			 -EINVAL);
	assert_int_equal(sysv_backend.copy_to_fd(&h, STDOUT_FILENO, sz - 1, 2,
						 &moved), -EINVAL);
	assert_int_equal(moved, 0);
	/* copy_to_fd (sendfile into a pipe) and copy_from_fd (splice). */
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(sysv_backend.copy_to_fd(&h, pfd[1], sz - 3, 3,
						 &moved), 0);
	assert_int_equal(moved, 3);
	assert_int_equal(read(pfd[0], buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "..!", 3);
	assert_int_equal(write(pfd[1], "spliced", 7), 7);
	close(pfd[1]);
	assert_int_equal(sysv_backend.copy_from_fd(&h, pfd[0], 100, 50,
						   &moved), 0);
	assert_int_equal(moved, 7);
	assert_memory_equal(mem + 100, "spliced", 7);
	close(pfd[0]);
	/* close closes the file and detaches. */
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);
	assert_int_equal(h.fd, -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);

	/* Read-only: the file is opened read-only too. */
	expect_attach(id, SHM_RDONLY, mem, &s);
	assert_int_equal(sysv_backend.open(&s, false, &h), 0);
	assert_true(h.fd >= 0);
	assert_int_equal(sysv_backend.pwrite(&h, "x", 1, 0, &done), -EBADF);
	assert_int_equal(mem[0], '.');
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);

	/* Not the size the segment has: through the mapping instead. */
	sysv_seg(&s, id, sz - 1);
	expect_attach(id, 0, mem, &s);
	assert_int_equal(sysv_backend.open(&s, true, &h), 0);
	assert_int_equal(h.fd, -1);
	assert_int_equal(sysv_backend.pwrite(&h, "map", 3, 0, &done), 0);
	assert_memory_equal(mem, "map", 3);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);

	/* Another file than the segment (its inode is not the shmid, as
	 * when /proc is another mount namespace's): the mapping. */
	sysv_seg(&s, id + 1, sz);
	expect_attach(id + 1, 0, mem, &s);
	assert_int_equal(sysv_backend.open(&s, true, &h), 0);
	assert_int_equal(h.fd, -1);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);
	sysv_seg(&s, id, sz);

	/* SHMTOOL_NO_MAP_FILES: the mapping. */
	setenv("SHMTOOL_NO_MAP_FILES", "1", 1);
	expect_attach(id, 0, mem, &s);
	assert_int_equal(sysv_backend.open(&s, true, &h), 0);
	unsetenv("SHMTOOL_NO_MAP_FILES");
	assert_int_equal(h.fd, -1);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.close(&h), 0);

	munmap(mem, sz);
	close(mfd);
	setenv("SHMTOOL_PROC_ROOT", proc_dir, 1);
}

/*
 * The id names another segment by the time it is attached (ids are
 * reused; shm_next_id chooses them): refused, detached, and never the
 * size of the one looked up.
 */
static void test_open_id_reused(void **state)
{
	char mem[64];
	struct seghandle h;
	struct segment s, other;

	(void)state;
	sysv_seg(&s, 77, 16384);
	other = s;
	other.size = 4096;		/* recreated smaller under the same id */
	expect_attach(77, 0, mem, &other);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.open(&s, true, &h), -ESTALE);
	other = s;
	other.ctime = 12345;		/* the same size, another segment */
	expect_attach(77, SHM_RDONLY, mem, &other);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.open(&s, false, &h), -ESTALE);
	/* Gone between shmat and the check (cannot be while attached,
	 * but the answer must still be a refusal). */
	expect_shmat_ok(77, 0, mem);
	expect_shmctl(77, SHM_STAT_ANY, -EINVAL);
	expect_shmctl(77, SHM_STAT_ANY, -EINVAL);
	expect_shmctl(77, IPC_STAT, -EINVAL);
	expect_shmdt(mem, 0);
	assert_int_equal(sysv_backend.open(&s, true, &h), -ESTALE);
}

/* ---- remove ------------------------------------------------------------ */

static void test_remove(void **state)
{
	static const int errs[] = { EPERM, EINVAL, EIDRM };
	struct segment s;
	size_t i;

	(void)state;
	sysv_seg(&s, 77, 1);
	for (i = 0; i < UT_ARRAY_SIZE(errs); i++) {
		expect_shmctl(77, IPC_RMID, -errs[i]);
		assert_int_equal(sysv_backend.remove(&s), -errs[i]);
	}
	expect_shmctl(77, IPC_RMID, 0);
	assert_int_equal(sysv_backend.remove(&s), 0);
}

/* ---- chmod, chown, lock ------------------------------------------------ */

/* The kernel's record of s (with perms mode), for SHM_STAT_ANY. */
static struct shmid_ds same_ds(const struct segment *s, unsigned int mode)
{
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.__key = s->key;
	ds.shm_perm.uid = s->uid;
	ds.shm_perm.gid = 5;
	ds.shm_perm.mode = (unsigned short)mode;
	ds.shm_cpid = s->cpid;
	ds.shm_ctime = s->ctime;
	ds.shm_segsz = s->size;
	return ds;
}

/* These act on the kernel's segments only with the real /proc: every
 * shmctl is intercepted here all the same. */
static void live_proc(void)
{
	assert_int_equal(unsetenv("SHMTOOL_PROC_ROOT"), 0);
}

static void fixture_proc(void)
{
	assert_int_equal(setenv("SHMTOOL_PROC_ROOT", proc_dir, 1), 0);
}

static void test_set_attr(void **state)
{
	struct seg_attr a = { .what = ATTR_MODE, .mode = 0604 };
	struct shmid_ds ds, other;
	struct segment s;

	(void)state;
	sysv_seg(&s, 77, 4096);
	s.key = 0x1234;
	s.uid = 1000;
	s.cpid = 100;
	s.ctime = 7;
	/* a fixture's shmid names no kernel segment: no shmctl at all */
	assert_int_equal(sysv_backend.set_attr(&s, &a), -EOPNOTSUPP);
	assert_int_equal(sysv_backend.lock(&s, true), -EOPNOTSUPP);
	live_proc();

	/* the locked and dest bits stay; only the permission bits change */
	ds = same_ds(&s, SHM_LOCKED | SHM_DEST | 0640);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, IPC_SET, 0);
	assert_int_equal(sysv_backend.set_attr(&s, &a), 0);
	assert_int_equal(nset, 1);
	assert_int_equal(last_set.shm_perm.mode,
			 SHM_LOCKED | SHM_DEST | 0604);
	assert_int_equal(last_set.shm_perm.uid, 1000);
	assert_int_equal(last_set.shm_perm.gid, 5);

	/* owner and group, each alone or both */
	a.what = ATTR_GID;
	a.gid = 42;
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, IPC_SET, 0);
	assert_int_equal(sysv_backend.set_attr(&s, &a), 0);
	assert_int_equal(last_set.shm_perm.uid, 1000);
	assert_int_equal(last_set.shm_perm.gid, 42);
	assert_int_equal(last_set.shm_perm.mode, SHM_LOCKED | SHM_DEST | 0640);
	a.what = ATTR_UID | ATTR_GID;
	a.uid = 65534;
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, IPC_SET, 0);
	assert_int_equal(sysv_backend.set_attr(&s, &a), 0);
	assert_int_equal(last_set.shm_perm.uid, 65534);
	assert_int_equal(last_set.shm_perm.gid, 42);

	/* what the kernel refuses comes back */
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, IPC_SET, -EPERM);
	assert_int_equal(sysv_backend.set_attr(&s, &a), -EPERM);

	/* another segment under the id now: untouched */
	nset = 0;
	other = ds;
	other.shm_ctime = 8;
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &other);
	assert_int_equal(sysv_backend.set_attr(&s, &a), -ESTALE);
	other = ds;
	other.shm_cpid = 101;
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &other);
	assert_int_equal(sysv_backend.set_attr(&s, &a), -ESTALE);
	assert_int_equal(nset, 0);
	/* gone */
	expect_shmctl(77, SHM_STAT_ANY, -EINVAL);
	expect_shmctl(77, SHM_STAT_ANY, -EINVAL);
	expect_shmctl(77, IPC_STAT, -EINVAL);
	assert_int_equal(sysv_backend.set_attr(&s, &a), -ENOENT);
	fixture_proc();
}

static void test_lock(void **state)
{
	struct shmid_ds ds, locked;
	struct segment s;

	(void)state;
	sysv_seg(&s, 77, 4096);
	s.ctime = 7;
	live_proc();
	ds = same_ds(&s, 0600);
	locked = same_ds(&s, SHM_LOCKED | 0600);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, SHM_LOCK, 0);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &locked);
	assert_int_equal(sysv_backend.lock(&s, true), 0);
	/* huge pages: SHM_LOCK says yes and locks nothing */
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, SHM_LOCK, 0);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	assert_int_equal(sysv_backend.lock(&s, true), -EOPNOTSUPP);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &ds);
	expect_shmctl(77, SHM_LOCK, -ENOMEM);
	assert_int_equal(sysv_backend.lock(&s, true), -ENOMEM);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &locked);
	expect_shmctl(77, SHM_UNLOCK, 0);
	assert_int_equal(sysv_backend.lock(&s, false), 0);
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &locked);
	expect_shmctl(77, SHM_UNLOCK, -EPERM);
	assert_int_equal(sysv_backend.lock(&s, false), -EPERM);
	/* another segment under the id: no SHM_LOCK */
	locked.shm_ctime = 9;
	expect_shmctl_stat(77, SHM_STAT_ANY, 77, &locked);
	assert_int_equal(sysv_backend.lock(&s, false), -ESTALE);
	fixture_proc();
}

/* ---- list -------------------------------------------------------------- */

static void test_list_proc(void **state)
{
	struct seglist l = { 0 };

	(void)state;
	/* The header and a malformed line are skipped; no shmctl calls. */
	write_sysvipc(HEADER LINE_77 "garbage line\n" LINE_78);
	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].shmid, 77);
	assert_int_equal(l.v[0].key, 0x1234);
	assert_int_equal(l.v[0].cgid, 1003);
	assert_true(l.v[0].has_rss);
	assert_int_equal(l.v[0].rss, 4096);
	assert_int_equal(l.v[1].shmid, 78);
	assert_int_equal(l.v[1].key, -5);
	assert_int_equal(l.v[1].status, SEG_ST_DEST);
	seglist_free(&l);

	/* The last line need not end in a newline. */
	write_sysvipc(HEADER "1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7");
	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].shmid, 2);
	seglist_free(&l);

	/* Only the header: no segments, and no fallback. */
	write_sysvipc(HEADER);
	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 0);
	seglist_free(&l);
}

static void fill_ds(struct shmid_ds *ds, key_t key, unsigned short mode,
		    unsigned int base)
{
	memset(ds, 0, sizeof(*ds));
	ds->shm_perm.__key = key;
	ds->shm_perm.mode = mode;
	ds->shm_perm.uid = base;
	ds->shm_perm.gid = base + 1;
	ds->shm_perm.cuid = base + 2;
	ds->shm_perm.cgid = base + 3;
	ds->shm_segsz = base * 4;
	ds->shm_cpid = (pid_t)base + 4;
	ds->shm_lpid = (pid_t)base + 5;
	ds->shm_nattch = base + 6;
	ds->shm_atime = base + 7;
	ds->shm_dtime = base + 8;
	ds->shm_ctime = base + 9;
}

static void check_from_ds(const struct segment *s, int id, key_t key,
			  unsigned int mode, unsigned int status,
			  unsigned int base)
{
	assert_int_equal(s->kind, SEG_SYSV);
	assert_int_equal(s->shmid, id);
	assert_int_equal(s->key, key);
	assert_int_equal(s->mode, mode);
	assert_int_equal(s->status, status);
	assert_int_equal(s->uid, base);
	assert_int_equal(s->gid, base + 1);
	assert_int_equal(s->cuid, base + 2);
	/* util-linux copies cuid here; shmtool must not. */
	assert_int_equal(s->cgid, base + 3);
	assert_int_equal(s->size, base * 4);
	assert_int_equal(s->cpid, base + 4);
	assert_int_equal(s->lpid, base + 5);
	assert_int_equal(s->nattch, base + 6);
	assert_int_equal(s->atime, base + 7);
	assert_int_equal(s->dtime, base + 8);
	assert_int_equal(s->ctime, base + 9);
	assert_false(s->has_rss);
}

/* No /proc/sysvipc/shm: SHM_INFO, then SHM_STAT_ANY (SHM_STAT on EINVAL). */
static void test_list_fallback(void **state)
{
	struct shmid_ds ds1, ds2;
	struct seglist l = { 0 };

	(void)state;
	fill_ds(&ds1, 0x1234, 0640 | SHM_DEST, 1000);
	fill_ds(&ds2, -5, 0600 | SHM_LOCKED, 2000);

	expect_shmctl(0, SHM_INFO, 3);		/* highest index in use */
	expect_shmctl_stat(0, SHM_STAT_ANY, 32768, &ds1);
	/* An old kernel: SHM_STAT_ANY unknown, SHM_STAT works. */
	expect_shmctl(1, SHM_STAT_ANY, -EINVAL);
	expect_shmctl_stat(1, SHM_STAT, 65537, &ds2);
	/* A free slot. */
	expect_shmctl(2, SHM_STAT_ANY, -EINVAL);
	expect_shmctl(2, SHM_STAT, -EINVAL);
	/* Not readable: skipped, no SHM_STAT retry. */
	expect_shmctl(3, SHM_STAT_ANY, -EACCES);

	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 2);
	check_from_ds(&l.v[0], 32768, 0x1234, 0640, SEG_ST_DEST, 1000);
	check_from_ds(&l.v[1], 65537, -5, 0600, SEG_ST_LOCKED, 2000);
	seglist_free(&l);
}

/* An empty proc file (no SysV IPC there) falls back too. */
static void test_list_fallback_empty_file(void **state)
{
	struct shmid_ds ds;
	struct seglist l = { 0 };
	struct segment s;

	(void)state;
	write_sysvipc("");
	fill_ds(&ds, 0x42, 0666, 3000);
	expect_shmctl(0, SHM_INFO, 0);
	expect_shmctl_stat(0, SHM_STAT_ANY, 5, &ds);
	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 1);
	check_from_ds(&l.v[0], 5, 0x42, 0666, 0, 3000);
	seglist_free(&l);

	/* lookup_id goes through the same path. */
	expect_shmctl(0, SHM_INFO, 0);
	expect_shmctl_stat(0, SHM_STAT_ANY, 5, &ds);
	assert_int_equal(sysv_backend.lookup_id(5, &s), 0);
	assert_int_equal(s.cgid, 3003);
	expect_shmctl(0, SHM_INFO, 0);
	expect_shmctl_stat(0, SHM_STAT_ANY, 5, &ds);
	assert_int_equal(sysv_backend.lookup_id(6, &s), -ENOENT);
}

static void test_list_shm_info_fails(void **state)
{
	struct seglist l = { 0 };

	(void)state;
	/* No SysV IPC in the kernel: an empty list. */
	expect_shmctl(0, SHM_INFO, -ENOSYS);
	assert_int_equal(sysv_backend.list(&l), 0);
	assert_int_equal(l.n, 0);
	/* Anything else is an error. */
	expect_shmctl(0, SHM_INFO, -EACCES);
	assert_int_equal(sysv_backend.list(&l), -EACCES);
	seglist_free(&l);
}

static void test_lookup(void **state)
{
	struct segment s;

	(void)state;
	write_sysvipc(HEADER LINE_77 LINE_78);
	assert_int_equal(sysv_backend.lookup_id(78, &s), 0);
	assert_int_equal(s.key, -5);
	assert_int_equal(sysv_backend.lookup_key(0x1234, &s), 0);
	assert_int_equal(s.shmid, 77);
	assert_int_equal(sysv_backend.lookup_id(79, &s), -ENOENT);
	assert_int_equal(sysv_backend.lookup_key(0x4321, &s), -ENOENT);
	/* IPC_PRIVATE names no single segment. */
	assert_int_equal(sysv_backend.lookup_key(IPC_PRIVATE, &s), -EINVAL);
}

#define T(f) cmocka_unit_test_setup(f, test_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_set_attr),
		T(test_lock),
		T(test_create_shmget_errors),
		T(test_create_private_and_hugetlb),
		T(test_create_rejects_before_shmget),
		T(test_create_ok),
		T(test_create_exist_ok),
		T(test_create_exist_ok_fallback),
		T(test_create_init_shmat_fails),
		T(test_create_init_later_failures),
		T(test_create_init_ok),
		T(test_open_errors),
		T(test_open_io_close),
		T(test_open_through_file),
		T(test_open_id_reused),
		T(test_remove),
		T(test_list_proc),
		T(test_list_fallback),
		T(test_list_fallback_empty_file),
		T(test_list_shm_info_fails),
		T(test_lookup),
	};

	return cmocka_run_group_tests_name("sysv", tests, group_setup,
					   group_teardown);
}
