// SPDX-License-Identifier: MIT
/*
 * test_metrics.c - the Prometheus writer (metrics.c) on made-up summary
 * rows: label escaping, the exposition format's rules (HELP and TYPE
 * before a family's samples, each family together, no header without a
 * sample, numbers and labels as written), and the atomic file (io.c):
 * replaced whole, mode from the umask, no temporary file left on success
 * or failure.
 */
#include "unit.h"

#include <dirent.h>
#include <regex.h>

#include "columns.h"
#include "metrics.h"

/* ------------------------------------------------------------ escaping */

static void test_label_escape(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(prom_label_escape("plain /x", buf, sizeof(buf)), 8);
	assert_string_equal(buf, "plain /x");
	prom_label_escape("a\"b\\c\nd", buf, sizeof(buf));
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	/* cut short, never inside an escape: "ab" then \" does not fit 4 */
	assert_int_equal(prom_label_escape("ab\"c", buf, 4), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(prom_label_escape("ab\"c", buf, 5), 4);
	assert_string_equal(buf, "ab\\\"");
	assert_int_equal(prom_label_escape("", buf, 1), 0);
	assert_string_equal(buf, "");
}

/* ------------------------------------------------------- fake summary */

static struct sumrow rows[16];
static struct summary sum;

static struct sumrow *row(const char *area, const char *what, unsigned has)
{
	struct sumrow *r = &rows[sum.n++];

	memset(r, 0, sizeof(*r));
	snprintf(r->group, sizeof(r->group), "all");
	r->area = area;
	r->what = what;
	r->has = has;
	return r;
}

#define CSU (HAS(SUM_COUNT) | HAS(SUM_SIZE) | HAS(SUM_USED))

static void fake_summary(void)
{
	struct sumrow *r;

	sum.v = rows;
	sum.n = 0;
	sum.cap = UT_ARRAY_SIZE(rows);
	r = row("/shm", "total", HAS(SUM_MAXSIZE) | HAS(SUM_USED));
	r->maxsize = 1 << 30;
	r->used = 12288;
	r = row("/shm", "named", CSU);
	r->count = 2, r->size = 5000, r->used = 8192;
	r = row("/shm", "deleted", CSU | HAS(SUM_PIDS));
	r->count = 1, r->size = 4096, r->used = 4096, r->npid = 3;
	r = row("/shm", "not-segment", CSU);
	r = row("/shm", "unexplained", HAS(SUM_USED));
	r = row("/shm", "reclaimable", CSU);
	r->count = 1, r->size = 1000, r->used = 4096;
	r = row("sysv", "total", CSU | HAS(SUM_SWAP) | HAS(SUM_MAXCOUNT) |
				 HAS(SUM_MAXSIZE));
	r->count = 4, r->maxcount = 4096;
	r->size = UINT64_MAX;	/* saturated sums stay exact in the text */
	r->maxsize = 18446744073692774399ULL;
	r = row("sysv", "per-segment-max", HAS(SUM_MAXSIZE));
	r->maxsize = 33554432;
	r = row("memfd", "total", CSU | HAS(SUM_PIDS));
	r->count = 1, r->size = 65536, r->npid = 2;
	/* no anon row: its families must not appear at all */
}

static char *render(const struct metrics_src *src)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(metrics_write(f, src), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static struct metrics_src base_src(void)
{
	struct metrics_src src = {
		.sum = &sum,
		.shm_dir = "/shm",
		.when = { 1700000000, 42000000 },
		.duration = 0.25,
		.version = "0.1.0",
		.describe = "v0.1-3-g\"x\\",
	};

	fake_summary();
	return src;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n'))
			return true;
		p++;
	}
	return false;
}

/*
 * The exposition format, line by line: comments are "# HELP NAME text" or
 * "# TYPE NAME gauge" (HELP then TYPE, once per family, before its
 * samples); a sample is NAME{LABELS} VALUE of the family last declared,
 * and no family comes back once another began.
 */
static void check_format(const char *text)
{
	regex_t sample_re;
	char seen[64][96];
	size_t nseen = 0, i;
	char fam[96] = "", help[96] = "";
	const char *p = text;

	assert_int_equal(regcomp(&sample_re,
				 "^([a-z_][a-z0-9_]*)"
				 "(\\{[a-z_]+=\"([^\"\\\\]|\\\\.)*\""
				 "(,[a-z_]+=\"([^\"\\\\]|\\\\.)*\")*\\})?"
				 " [0-9]+(\\.[0-9]+)?$",
				 REG_EXTENDED),
			 0);
	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[1024], name[96];
		regmatch_t m[2];

		assert_non_null(nl);	/* every line ends with a newline */
		assert_true((size_t)(nl - p) < sizeof(line));
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		p = nl + 1;
		if (sscanf(line, "# HELP %95s", name) == 1) {
			for (i = 0; i < nseen; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(nseen < UT_ARRAY_SIZE(seen));
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
			snprintf(help, sizeof(help), "%s", name);
			continue;
		}
		if (sscanf(line, "# TYPE %95s", name) == 1) {
			assert_string_equal(name, help);
			assert_non_null(strstr(line, " gauge"));
			snprintf(fam, sizeof(fam), "%s", name);
			continue;
		}
		if (regexec(&sample_re, line, 2, m, 0) != 0)
			fail_msg("not a sample line: [%s]", line);
		snprintf(name, sizeof(name), "%.*s",
			 (int)(m[1].rm_eo - m[1].rm_so), line);
		assert_string_equal(name, fam);
	}
	regfree(&sample_re);
}

static void test_summary_rows(void **state)
{
	struct metrics_src src = base_src();
	char *t;

	(void)state;
	t = render(&src);
	check_format(t);
	assert_true(has_line(t, "shmtool_shm_fs_size_bytes 1073741824"));
	assert_true(has_line(t, "shmtool_shm_fs_used_bytes 12288"));
	assert_true(has_line(t, "shmtool_shm_files{state=\"named\"} 2"));
	assert_true(has_line(t, "shmtool_shm_files{state=\"deleted\"} 1"));
	assert_true(has_line(t, "shmtool_shm_files{state=\"not-segment\"} 0"));
	assert_true(has_line(t, "shmtool_shm_size_bytes{state=\"named\"} 5000"));
	assert_true(has_line(t, "shmtool_shm_used_bytes{state=\"unexplained\"} 0"));
	/* unexplained has no count: no such sample */
	assert_null(strstr(t, "shmtool_shm_files{state=\"unexplained\"}"));
	assert_true(has_line(t, "shmtool_shm_deleted_processes 3"));
	assert_true(has_line(t, "shmtool_shm_unheld_files{disposition=\"reclaimable\"} 1"));
	assert_true(has_line(t, "shmtool_shm_unheld_used_bytes{disposition=\"reclaimable\"} 4096"));
	/* rows that do not exist make no sample */
	assert_null(strstr(t, "disposition=\"kept\""));
	assert_true(has_line(t, "shmtool_sysv_segments 4"));
	assert_true(has_line(t, "shmtool_sysv_segments_limit 4096"));
	assert_true(has_line(t, "shmtool_sysv_size_bytes 18446744073709551615"));
	assert_true(has_line(t, "shmtool_sysv_size_limit_bytes 18446744073692774399"));
	assert_true(has_line(t, "shmtool_sysv_segment_size_limit_bytes 33554432"));
	assert_true(has_line(t, "shmtool_memfd_objects 1"));
	assert_true(has_line(t, "shmtool_memfd_size_bytes 65536"));
	assert_true(has_line(t, "shmtool_memfd_processes 2"));
	/* a family without samples has no header either */
	assert_null(strstr(t, "shmtool_anon_"));
	/* no scan (it failed): incomplete, and no numbers of one */
	assert_true(has_line(t, "shmtool_scan_complete 0"));
	assert_null(strstr(t, "shmtool_scan_processes"));
	assert_true(has_line(t, "shmtool_scan_timestamp_seconds 1700000000.042"));
	assert_true(has_line(t, "shmtool_scan_duration_seconds 0.250000"));
	assert_true(has_line(t, "shmtool_build_info{version=\"0.1.0\",describe=\"v0.1-3-g\\\"x\\\\\"} 1"));
	assert_true(has_line(t, "# TYPE shmtool_shm_files gauge"));
	assert_null(strstr(t, "shmtool_segment_"));
	free(t);
}

static void test_scan_info(void **state)
{
	struct metrics_src src = base_src();
	char *t;

	(void)state;
	src.scan = (struct inv_scan_info){ .scanned = true, .complete = false,
					   .procs = true, .pidns = true,
					   .inspected = 120,
					   .uninspectable = 3,
					   .sysv_unseen = 1 };
	t = render(&src);
	check_format(t);
	assert_true(has_line(t, "shmtool_scan_complete 0"));
	assert_true(has_line(t, "shmtool_scan_processes 120"));
	assert_true(has_line(t, "shmtool_scan_uninspectable_processes 3"));
	assert_true(has_line(t, "shmtool_scan_incomplete{reason=\"uninspectable-processes\"} 1"));
	assert_true(has_line(t, "shmtool_scan_incomplete{reason=\"pid-namespace\"} 1"));
	assert_true(has_line(t, "shmtool_scan_incomplete{reason=\"hidepid\"} 0"));
	assert_true(has_line(t, "shmtool_sysv_unseen_attached_segments 1"));
	free(t);
	src.scan = (struct inv_scan_info){ .scanned = true, .complete = true,
					   .inspected = 5 };
	t = render(&src);
	check_format(t);
	assert_true(has_line(t, "shmtool_scan_complete 1"));
	assert_true(has_line(t, "shmtool_scan_uninspectable_processes 0"));
	free(t);
}

static void test_per_segment(void **state)
{
	struct metrics_src src = base_src();
	struct seglist segs = { 0 };
	struct segment *s;
	char target[NAME_MAX + 2], esc[600], want[800];
	char *t;

	(void)state;
	s = seglist_add(&segs);
	assert_non_null(s);
	memset(s, 0, sizeof(*s));
	s->kind = SEG_SYSV;
	s->shmid = 32769;
	s->size = 4096;
	s->rss = 8192;
	s->has_rss = true;
	s = seglist_add(&segs);
	assert_non_null(s);
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	segment_set_name(s, "we\"ird\\name\nx");
	s->size = 100;
	s = seglist_add(&segs);
	assert_non_null(s);
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	segment_set_name(s, "bad\xff");
	s->size = 7;
	s = seglist_add(&segs);
	assert_non_null(s);
	memset(s, 0, sizeof(*s));
	s->kind = SEG_MEMFD;	/* totals only */
	s->via_pid = 77;
	s->via_fd = 3;
	s->size = 1;
	src.segs = &segs;
	t = render(&src);
	check_format(t);
	assert_true(has_line(t, "shmtool_segment_size_bytes{kind=\"sysv\",segment=\"32769\"} 4096"));
	assert_true(has_line(t, "shmtool_segment_used_bytes{kind=\"sysv\",segment=\"32769\"} 8192"));
	/* the POSIX label is its TARGET as JSON carries it (the name as it
	 * is: valid UTF-8), escaped for the format only */
	snprintf(target, sizeof(target), "/%s", seg_name(&segs.v[1]));
	prom_label_escape(target, esc, sizeof(esc));
	assert_non_null(strstr(esc, "name\\nx"));
	snprintf(want, sizeof(want),
		 "shmtool_segment_size_bytes{kind=\"posix\",segment=\"%s\"} 100",
		 esc);
	assert_true(has_line(t, want));
	/* not UTF-8, which the format must be: as shmtool shows it */
	assert_true(has_line(t, "shmtool_segment_size_bytes{kind=\"posix\",segment=\"/bad\\\\xff\"} 7"));
	assert_null(strstr(t, "kind=\"memfd\""));
	free(t);
	seglist_free(&segs);
}

static void test_write_error(void **state)
{
	struct metrics_src src = base_src();
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	assert_int_equal(metrics_write(f, &src), -EIO);
	fclose(f);
}

/* ------------------------------------------------------- atomic file */

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_atomic_file(void **state)
{
	char *dir = ut_mkdtemp("metrics");
	char path[PATH_MAX], sub[PATH_MAX], buf[64];
	struct atomic_file af;
	const char *step = NULL;
	struct stat st, st2;
	mode_t old;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/shmtool.prom", dir);
	old = umask(022);
	assert_int_equal(atomic_file_open(&af, path), 0);
	fputs("first\n", af.f);
	/* before the commit the name does not exist; the temporary does */
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(atomic_file_commit(&af, &step), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(entries(dir), 1);

	/* replaced by a new inode, whole */
	assert_int_equal(atomic_file_open(&af, path), 0);
	fputs("second\n", af.f);
	assert_int_equal(atomic_file_commit(&af, &step), 0);
	assert_int_equal(stat(path, &st2), 0);
	assert_true(st.st_ino != st2.st_ino);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "second\n");
	fclose(f);
	umask(old);

	/* abort: the temporary goes, the file stays */
	assert_int_equal(atomic_file_open(&af, path), 0);
	fputs("never\n", af.f);
	atomic_file_abort(&af);
	assert_int_equal(entries(dir), 1);

	/* a directory in the way: rename fails, no temporary left */
	snprintf(sub, sizeof(sub), "%s/d.prom", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(atomic_file_open(&af, sub), 0);
	fputs("x\n", af.f);
	assert_int_equal(atomic_file_commit(&af, &step), -EISDIR);
	assert_string_equal(step, "rename");
	assert_int_equal(entries(dir), 2);
	assert_int_equal(rmdir(sub), 0);

	/* no such directory: nothing made */
	snprintf(sub, sizeof(sub), "%s/nodir/x.prom", dir);
	assert_int_equal(atomic_file_open(&af, sub), -ENOENT);
	assert_int_equal(entries(dir), 1);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escape),
		cmocka_unit_test(test_summary_rows),
		cmocka_unit_test(test_scan_info),
		cmocka_unit_test(test_per_segment),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_atomic_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
