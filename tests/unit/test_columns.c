// SPDX-License-Identifier: MIT
/*
 * test_columns.c - the column table: -o parsing, per-kind getters, null
 * cells, status words, escaping of names and ISO 8601 times.
 */
#include "unit.h"

#include <ctype.h>
#include <locale.h>
#include <pwd.h>

#include "columns.h"
#include "parse.h"
#include "procscan.h"

static void sysv_seg(struct segment *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_SYSV;
	s->shmid = 32769;
	s->key = 0x1234;
	s->cpid = 4242;
	s->lpid = 4343;
	s->nattch = 3;
	s->uid = 0;
	s->gid = 0;
	s->cuid = 1002;
	s->cgid = 1003;
	s->mode = 0640;
	s->size = 4096;
	s->atime = 0;
	s->dtime = 1700000002;
	s->ctime = 1700000003;
	s->rss = 8192;
	s->has_rss = true;
	s->swap = 0;
	s->has_swap = true;
}

static void posix_seg(struct segment *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	segment_set_name(s, name);
	s->dev = 23;
	s->ino = 77;
	s->uid = 0;
	s->gid = 0;
	s->mode = 0600;
	s->size = 256;
	s->rss = 4096;
	s->has_rss = true;
	s->atime = 1700000000;
	s->mtime = 1700000001;
	s->ctime = 1700000002;
}

/* ---- columns_parse / column_by_name -------------------------------- */

static void test_column_find(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NCOLS; i++) {
		char lowered[32];
		size_t k, len = strlen(coldefs[i].name);

		assert_int_equal(column_find(coldefs, NCOLS, coldefs[i].name, len), i);
		for (k = 0; k <= len; k++)
			lowered[k] = (char)tolower(
				(unsigned char)coldefs[i].name[k]);
		assert_int_equal(column_find(coldefs, NCOLS, lowered, len), i);
	}
	assert_int_equal(column_find(coldefs, NCOLS, "Size", 4), COL_SIZE);
	/* Only name[0..len) counts. */
	assert_int_equal(column_find(coldefs, NCOLS, "SIZE,RSS", 4), COL_SIZE);
	assert_int_equal(column_find(coldefs, NCOLS, "SIZ", 3), -1);
	assert_int_equal(column_find(coldefs, NCOLS, "SIZEX", 5), -1);
	assert_int_equal(column_find(coldefs, NCOLS, "", 0), -1);
	assert_int_equal(column_find(coldefs, NCOLS, "NOSUCH", 6), -1);
}

static void test_columns_parse_replace(void **state)
{
	int cols[4 * NCOLS] = { COL_SEGMENT, COL_KIND };
	size_t n = 2;
	const char *bad = NULL;
	size_t badlen = 99;

	(void)state;
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "ID,key,Size", cols, &n,
				       UT_ARRAY_SIZE(cols), &bad, &badlen),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(cols[0], COL_ID);
	assert_int_equal(cols[1], COL_KEY);
	assert_int_equal(cols[2], COL_SIZE);

	/* A single column. */
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "status", cols, &n,
				       UT_ARRAY_SIZE(cols), &bad, &badlen),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(cols[0], COL_STATUS);

	/* The same column twice is allowed. */
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "ID,ID", cols, &n, UT_ARRAY_SIZE(cols),
				       &bad, &badlen),
			 0);
	assert_int_equal(n, 2);
}

static void test_columns_parse_append(void **state)
{
	int cols[4 * NCOLS] = { COL_SEGMENT, COL_KIND };
	size_t n = 2;
	const char *bad;
	size_t badlen;

	(void)state;
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "+size,RSS", cols, &n,
				       UT_ARRAY_SIZE(cols), &bad, &badlen),
			 0);
	assert_int_equal(n, 4);
	assert_int_equal(cols[0], COL_SEGMENT);
	assert_int_equal(cols[1], COL_KIND);
	assert_int_equal(cols[2], COL_SIZE);
	assert_int_equal(cols[3], COL_RSS);

	assert_int_equal(columns_parse_in(coldefs, NCOLS, "+MTIME", cols, &n,
				       UT_ARRAY_SIZE(cols), &bad, &badlen),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(cols[4], COL_MTIME);
}

struct bad_spec {
	const char *spec;
	const char *bad;	/* the word reported */
	size_t badlen;
};

static void test_columns_parse_errors(void **state)
{
	static const struct bad_spec cases[] = {
		{ "ID,BOGUS,KEY", "BOGUS", 5 },
		{ "BOGUS", "BOGUS", 5 },
		{ "+ID,nope", "nope", 4 },
		{ "ID,", "", 0 },		/* trailing comma */
		{ ",ID", "", 0 },		/* leading comma */
		{ "ID,,KEY", "", 0 },
		{ "ID KEY", "ID KEY", 6 },
		{ " ID", " ID", 3 },
		{ "++ID", "+ID", 3 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		int cols[4 * NCOLS] = { COL_SEGMENT, COL_KIND };
		size_t n = 2, badlen = 99;
		const char *bad = NULL;
		int rc = columns_parse_in(coldefs, NCOLS, cases[i].spec, cols, &n,
				       UT_ARRAY_SIZE(cols), &bad, &badlen);

		if (rc != -EINVAL)
			fail_msg("columns_parse_in(coldefs, NCOLS, \"%s\") = %d", cases[i].spec,
				 rc);
		assert_non_null(bad);
		if (badlen != cases[i].badlen ||
		    strncmp(bad, cases[i].bad, badlen) != 0)
			fail_msg("columns_parse_in(coldefs, NCOLS, \"%s\"): bad word \"%.*s\", "
				 "want \"%s\"",
				 cases[i].spec, (int)badlen, bad, cases[i].bad);
		/* bad points into the spec. */
		assert_true(bad >= cases[i].spec &&
			    bad <= cases[i].spec + strlen(cases[i].spec));
		/* The list is unchanged on error. */
		assert_int_equal(n, 2);
		assert_int_equal(cols[0], COL_SEGMENT);
		assert_int_equal(cols[1], COL_KIND);
	}
}

static void test_columns_parse_empty(void **state)
{
	static const char *const specs[] = { "", "+" };
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(specs); i++) {
		int cols[4 * NCOLS] = { COL_SEGMENT };
		size_t n = 1, badlen = 99;
		const char *bad = NULL;

		assert_int_equal(columns_parse_in(coldefs, NCOLS, specs[i], cols, &n,
					       UT_ARRAY_SIZE(cols), &bad,
					       &badlen),
				 -EINVAL);
		assert_int_equal(n, 1);
		assert_int_equal(badlen, 0);
	}
}

static void test_columns_parse_max(void **state)
{
	int cols[8] = { COL_SEGMENT, COL_KIND };
	size_t n = 2, badlen;
	const char *bad;

	(void)state;
	/* max 2: the third word is one too many. */
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "ID,KEY,SIZE", cols, &n, 2, &bad,
				       &badlen),
			 -EINVAL);
	assert_int_equal(badlen, 4);
	assert_memory_equal(bad, "SIZE", 4);
	assert_int_equal(n, 2);
	assert_int_equal(cols[0], COL_SEGMENT);
	/* Appending to a full list. */
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "+ID", cols, &n, 2, &bad, &badlen),
			 -EINVAL);
	assert_int_equal(n, 2);
	assert_int_equal(columns_parse_in(coldefs, NCOLS, "ID,KEY", cols, &n, 2, &bad, &badlen),
			 0);
	assert_int_equal(n, 2);
}

/* ---- column_get ---------------------------------------------------- */

static void test_column_get_sysv(void **state)
{
	struct segment s;
	struct cell c;

	(void)state;
	sysv_seg(&s);

	column_get(COL_SEGMENT, &s, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "32769");
	column_get(COL_KIND, &s, &c);
	assert_string_equal(c.str, "sysv");
	column_get(COL_ID, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 32769);
	column_get(COL_KEY, &s, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "0x00001234");
	column_get(COL_CUID, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 1002);
	column_get(COL_CGID, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 1003);
	column_get(COL_NATTCH, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 3);
	column_get(COL_CPID, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 4242);
	column_get(COL_LPID, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 4343);
	column_get(COL_PERMS, &s, &c);
	assert_string_equal(c.str, "rw-r-----");
	column_get(COL_SIZE, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 4096);
	column_get(COL_RSS, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 8192);
	column_get(COL_SWAP, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 0);
	column_get(COL_CTIME, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.time, 1700000003);
	column_get(COL_DTIME, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.time, 1700000002);

	/* Null for SysV: NAME, MTIME; ATIME 0 means never. */
	column_get(COL_NAME, &s, &c);
	assert_true(c.null);
	column_get(COL_MTIME, &s, &c);
	assert_true(c.null);
	column_get(COL_ATIME, &s, &c);
	assert_true(c.null);
	s.atime = 1700000001;
	column_get(COL_ATIME, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.time, 1700000001);
	s.dtime = 0;
	column_get(COL_DTIME, &s, &c);
	assert_true(c.null);

	/* Old kernels: no rss/swap. */
	s.has_rss = s.has_swap = false;
	column_get(COL_RSS, &s, &c);
	assert_true(c.null);
	column_get(COL_SWAP, &s, &c);
	assert_true(c.null);

	/* A key printed negative by the kernel reads as 32-bit hex. */
	s.key = -563392222;
	column_get(COL_KEY, &s, &c);
	assert_string_equal(c.str, "0xde6b5122");
}

static void test_column_get_posix(void **state)
{
	static const enum col_id nulls[] = {
		COL_ID, COL_KEY, COL_NATTCH, COL_CPID, COL_LPID, COL_CUID,
		COL_CGID, COL_DTIME, COL_SWAP,
	};
	struct segment s;
	struct cell c;
	size_t i;

	(void)state;
	posix_seg(&s, "data.1");
	for (i = 0; i < UT_ARRAY_SIZE(nulls); i++) {
		column_get(nulls[i], &s, &c);
		if (!c.null)
			fail_msg("POSIX column %s is not null",
				 coldefs[nulls[i]].name);
	}
	column_get(COL_SEGMENT, &s, &c);
	assert_string_equal(c.str, "/data.1");
	column_get(COL_KIND, &s, &c);
	assert_string_equal(c.str, "posix");
	column_get(COL_NAME, &s, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "data.1");
	column_get(COL_MTIME, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.time, 1700000001);
	column_get(COL_ATIME, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.time, 1700000000);
	column_get(COL_RSS, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 4096);
	column_get(COL_SIZE, &s, &c);
	assert_int_equal(c.num, 256);
	column_get(COL_PERMS, &s, &c);
	assert_string_equal(c.str, "rw-------");
}

static void test_column_get_owner(void **state)
{
	struct segment s;
	struct cell c;
	struct passwd *pw;

	(void)state;
	sysv_seg(&s);
	/* A uid with no passwd entry shows as its number. */
	s.uid = 3999999999u;
	s.gid = 3999999998u;
	column_get(COL_OWNER, &s, &c);
	assert_false(c.null);
	assert_string_equal(c.str, "3999999999");
	column_get(COL_GROUP, &s, &c);
	assert_string_equal(c.str, "3999999998");
	column_get(COL_UID, &s, &c);
	assert_int_equal(c.num, 3999999999u);
	column_get(COL_GID, &s, &c);
	assert_int_equal(c.num, 3999999998u);

	pw = getpwuid(0);
	if (pw) {
		s.uid = 0;
		column_get(COL_OWNER, &s, &c);
		assert_string_equal(c.str, pw->pw_name);
	}
}

/*
 * A cell as text, by its column's type, for comparing with an expected
 * value: "(null)" for a null cell.
 */
/* A list cell as "item\nitem\n" (its items end with NULs). */
static const char *list_str(const struct cell *c)
{
	static char buf[4096];
	size_t i;

	assert_true(c->listlen < sizeof(buf));
	for (i = 0; i < c->listlen; i++)
		buf[i] = c->list[i] ? c->list[i] : '\n';
	buf[c->listlen] = '\0';
	return buf;
}

static void cell_as_text(enum col_type type, const struct cell *c,
			 char *buf, size_t len)
{
	if (c->null) {
		snprintf(buf, len, "(null)");
		return;
	}
	switch (type) {
	case CT_STRING:
		/* c->str must be NUL-terminated within the cell. */
		if (!memchr(c->str, '\0', sizeof(c->str)))
			fail_msg("string cell not NUL-terminated");
		snprintf(buf, len, "%s", c->str);
		break;
	case CT_TIME:
		snprintf(buf, len, "%lld", (long long)c->time);
		break;
	case CT_NUMLIST:
	case CT_STRLIST:
		snprintf(buf, len, "%s", c->list ? list_str(c) : "(no list)");
		break;
	default:
		snprintf(buf, len, "%llu", (unsigned long long)c->num);
		break;
	}
}

/*
 * Every column of both kinds, each cell exactly: its null flag and its
 * value, read from the field it names.  The fixtures set the fields a
 * kind does not have (a SysV NAME and MTIME, POSIX CPID, NATTCH...) so
 * that a null cell is null because of the kind, not because of a zero.
 * A column added without a line here fails.
 */
static void test_column_get_all(void **state)
{
	static const struct {
		const char *sysv, *posix;
	} want[NCOLS] = {
		[COL_SEGMENT]  = { "32769",       "/x" },
		[COL_KIND]     = { "sysv",        "posix" },
		[COL_ID]       = { "32769",       "(null)" },
		[COL_KEY]      = { "0x00001234",  "(null)" },
		[COL_NAME]     = { "(null)",      "x" },
		[COL_OWNER]    = { "3999999999",  "3999999997" },
		[COL_UID]      = { "3999999999",  "3999999997" },
		[COL_GROUP]    = { "3999999998",  "3999999996" },
		[COL_GID]      = { "3999999998",  "3999999996" },
		[COL_CUID]     = { "3999999995",  "(null)" },
		[COL_CUSER]    = { "3999999995",  "(null)" },
		[COL_CGID]     = { "3999999994",  "(null)" },
		[COL_CGROUP]   = { "3999999994",  "(null)" },
		[COL_PERMS]    = { "rw-r-----",   "rw-------" },
		[COL_SIZE]     = { "4096",        "256" },
		[COL_RSS]      = { "8192",        "4096" },
		[COL_SWAP]     = { "0",           "(null)" },
		[COL_NATTCH]   = { "3",           "(null)" },
		/* no scan: who holds it is unknown */
		[COL_PROCS]    = { "(null)",      "(null)" },
		[COL_PIDS]     = { "(null)",      "(null)" },
		[COL_COMMANDS] = { "(null)",      "(null)" },
		[COL_CPID]     = { "4242",        "(null)" },
		[COL_CCOMM]    = { "(null)",      "(null)" },
		[COL_LPID]     = { "4343",        "(null)" },
		[COL_LCOMM]    = { "(null)",      "(null)" },
		[COL_CTIME]    = { "1700000003",  "1700000002" },
		[COL_ATIME]    = { "(null)",      "1700000000" },
		[COL_DTIME]    = { "1700000002",  "(null)" },
		[COL_MTIME]    = { "(null)",      "1700000001" },
		[COL_STATUS]   = { "dest,locked", "unused" },
		[COL_IPCNS]    = { "4026531839",  "(null)" },
		[COL_MNTNS]    = { "(null)",      "4026531841" },
		[COL_NSHINT]   = { "pid 1",       "(null)" },
		/* semaphores only (test_column_sem) */
		[COL_VALUE]    = { "(null)",      "(null)" },
		[COL_WAITERS]  = { "(null)",      "(null)" },
	};
	struct segment segs[2];
	size_t k;
	int i;

	(void)state;
	sysv_seg(&segs[0]);
	segs[0].uid = 3999999999u;	/* no passwd entry: shown as numbers */
	segs[0].gid = 3999999998u;
	segs[0].cuid = 3999999995u;	/* the creator's, by number too */
	segs[0].cgid = 3999999994u;
	segs[0].status = SEG_ST_DEST | SEG_ST_LOCKED;
	segs[0].ipcns = 4026531839u;
	segs[0].mntns = 4026531840u;	/* not a SysV column */
	segs[0].nshint = "pid 1";
	segment_set_name(&segs[0], "SYSV00001234");
	segs[0].mtime = 1700000009;
	posix_seg(&segs[1], "x");
	segs[1].uid = 3999999997u;
	segs[1].gid = 3999999996u;
	segs[1].status = SEG_ST_UNUSED;
	segs[1].mntns = 4026531841u;
	segs[1].ipcns = 4026531842u;	/* not a POSIX column */
	segs[1].key = 0x4321;
	segs[1].cpid = 11;
	segs[1].lpid = 12;
	segs[1].nattch = 13;
	segs[1].cuid = 14;
	segs[1].cgid = 15;
	segs[1].dtime = 1700000010;
	segs[1].swap = 16;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < NCOLS; i++) {
			const char *w = k ? want[i].posix : want[i].sysv;
			char got[sizeof(((struct cell *)0)->str) + 32];
			struct cell c;

			if (!w)
				fail_msg("column %s: no expected value here",
					 coldefs[i].name);
			memset(&c, 0x5a, sizeof(c));
			column_get((enum col_id)i, &segs[k], &c);
			cell_as_text(coldefs[i].type, &c, got, sizeof(got));
			if (strcmp(got, w) != 0)
				fail_msg("%s column %s: got \"%s\", want \"%s\"",
					 k ? "POSIX" : "SysV", coldefs[i].name,
					 got, w);
			cell_release(&c);
		}
	}
}

/* ---- PROCS / PIDS / COMMANDS ---------------------------------------- */

/* A scan by hand: holdings of pids 300, 100, 300, 200 and their commands. */
static struct holding fake_h[4];
static struct proc_info fake_procs[3] = {
	{ .pid = 100, .comm = "postgres" },
	{ .pid = 200, .comm = "psql" },
	{ .pid = 300, .comm = "postgres" },
};

static void fake_scan(struct scan *sc)
{
	static const pid_t pids[] = { 300, 100, 300, 200 };
	size_t i;

	memset(sc, 0, sizeof(*sc));
	memset(fake_h, 0, sizeof(fake_h));
	for (i = 0; i < UT_ARRAY_SIZE(pids); i++) {
		fake_h[i].pid = pids[i];
		fake_h[i].fd = -1;
	}
	sc->h = fake_h;
	sc->nh = UT_ARRAY_SIZE(fake_h);
	sc->procs = fake_procs;
	sc->nprocs = UT_ARRAY_SIZE(fake_procs);
}

static void test_column_holders(void **state)
{
	struct segment s;
	struct scan sc;
	struct cell c;

	(void)state;
	sysv_seg(&s);
	/* No scan: unknown, so null. */
	column_get(COL_PROCS, &s, &c);
	assert_true(c.null);
	column_get(COL_PIDS, &s, &c);
	assert_true(c.null);
	assert_null(c.list);
	column_get(COL_COMMANDS, &s, &c);
	assert_true(c.null);

	/* The first three holdings: pids 300, 100, 300. */
	fake_scan(&sc);
	s.scan = &sc;
	s.hfirst = 0;
	s.hcount = 3;
	column_get(COL_PROCS, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 2);
	cell_release(&c);
	column_get(COL_PIDS, &s, &c);
	assert_false(c.null);
	assert_non_null(c.list);
	assert_string_equal(list_str(&c), "100\n300\n");	/* distinct, sorted */
	cell_release(&c);
	assert_null(c.list);
	column_get(COL_COMMANDS, &s, &c);
	assert_string_equal(list_str(&c), "postgres\n");	/* distinct */
	cell_release(&c);

	/* A range in the middle: pids 100, 300, 200. */
	s.hfirst = 1;
	s.hcount = 3;
	column_get(COL_PIDS, &s, &c);
	assert_string_equal(list_str(&c), "100\n200\n300\n");
	cell_release(&c);
	column_get(COL_COMMANDS, &s, &c);
	assert_string_equal(list_str(&c), "postgres\npsql\n");
	cell_release(&c);

	/* Scanned, nobody holds it: zero and empty lists, not null. */
	s.hcount = 0;
	column_get(COL_PROCS, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 0);
	column_get(COL_PIDS, &s, &c);
	assert_false(c.null);
	assert_non_null(c.list);
	assert_string_equal(list_str(&c), "");
	cell_release(&c);
}

/* ---- status words -------------------------------------------------- */

static void test_status_words(void **state)
{
	static const struct {
		unsigned int st;
		const char *want;
	} cases[] = {
		{ 0, "" },
		{ SEG_ST_DEST, "dest" },
		{ SEG_ST_LOCKED, "locked" },
		{ SEG_ST_LOCKED | SEG_ST_DEST, "dest,locked" },
		{ SEG_ST_ORPHAN | SEG_ST_UNUSED, "unused,orphan" },
		{ SEG_ST_DELETED | SEG_ST_UNVERIFIED, "deleted,unverified" },
		{ SEG_ST_HUGETLB, "hugetlb" },
		{ SEG_ST_UNUSED | SEG_ST_CREATOR_ALIVE, "unused,creator-alive" },
		{ SEG_ST_UNUSED | SEG_ST_CREATOR_UNSEEN,
		  "unused,creator-unseen" },
		{ SEG_ST_UNUSED | SEG_ST_ORPHAN | SEG_ST_KEPT,
		  "unused,orphan,kept" },
		{ SEG_ST_UNVERIFIED | SEG_ST_KEPT, "unverified,kept" },
		{ SEG_ST_UNUSED | SEG_ST_ORPHAN | SEG_ST_UNVERIFIED,
		  "unused,orphan,unverified" },
		{ SEG_ST_DEST | SEG_ST_LOCKED | SEG_ST_HUGETLB |
			  SEG_ST_DELETED | SEG_ST_UNUSED | SEG_ST_UNVERIFIED |
			  SEG_ST_ORPHAN | SEG_ST_CREATOR_ALIVE |
			  SEG_ST_CREATOR_UNSEEN | SEG_ST_KEPT,
		  "dest,locked,hugetlb,deleted,unused,orphan,creator-alive,"
		  "creator-unseen,unverified,kept" },
	};
	struct segment s;
	size_t i;

	(void)state;
	sysv_seg(&s);
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		struct cell c;

		s.status = cases[i].st;
		column_get(COL_STATUS, &s, &c);
		assert_string_equal(c.str, cases[i].want);
	}
}

/* ---- mode_string --------------------------------------------------- */

static void test_mode_string(void **state)
{
	static const struct {
		unsigned int mode;
		const char *want;
	} cases[] = {
		{ 0, "---------" },
		{ 0777, "rwxrwxrwx" },
		{ 0600, "rw-------" },
		{ 0640, "rw-r-----" },
		{ 0755, "rwxr-xr-x" },
		{ 0421, "r---w---x" },
		{ 0124, "--x-w-r--" },
		{ 01600, "rw-------" },	/* SHM_DEST: not a permission */
		{ 03666, "rw-rw-rw-" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char buf[10 + 4];

		memset(buf, '#', sizeof(buf));
		mode_string(cases[i].mode, buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(buf[10], '#');
	}
}

/* ---- name_escape / segment_target ---------------------------------- */

static void test_name_escape(void **state)
{
	static const struct {
		const char *in;
		const char *want;	/* C locale */
		const char *want_utf8;	/* C.UTF-8 */
	} cases[] = {
		{ "plain.name-1_x", "plain.name-1_x", "plain.name-1_x" },
		{ "a b,c", "a b,c", "a b,c" },
		{ "a\nb", "a\\x0ab", "a\\x0ab" },
		{ "a\tb", "a\\x09b", "a\\x09b" },
		{ "\x1b[31mred", "\\x1b[31mred", "\\x1b[31mred" },
		{ "back\\slash", "back\\x5cslash", "back\\x5cslash" },
		{ "\xff\xfe", "\\xff\\xfe", "\\xff\\xfe" },
		{ "\x7f", "\\x7f", "\\x7f" },
		{ "\x01", "\\x01", "\\x01" },
		{ "caf\xc3\xa9", "caf\\xc3\\xa9", "caf\xc3\xa9" },
		/* CJK, an emoji */
		{ "\xe6\x97\xa5\xf0\x9f\x98\x80", "\\xe6\\x97\\xa5\\xf0\\x9f\\x98\\x80",
		  "\xe6\x97\xa5\xf0\x9f\x98\x80" },
		/* invalid: a lone continuation byte, an overlong '/', a
		 * surrogate, a cut sequence */
		{ "a\x80", "a\\x80", "a\\x80" },
		{ "\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80" },
		{ "\xe6\x97", "\\xe6\\x97", "\\xe6\\x97" },
		/* C1 control U+0085, right-to-left override U+202E */
		{ "\xc2\x85", "\\xc2\\x85", "\\xc2\\x85" },
		{ "x\xe2\x80\xaey", "x\\xe2\\x80\\xaey", "x\\xe2\\x80\\xaey" },
		{ "", "", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char out[NAME_ESC_MAX];

		assert_non_null(setlocale(LC_CTYPE, "C"));
		name_escape(cases[i].in, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
		assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
		name_escape(cases[i].in, out, sizeof(out));
		assert_string_equal(out, cases[i].want_utf8);
	}
	assert_non_null(setlocale(LC_CTYPE, "C"));
	/* The flags: the space (raw), the comma (list items), and text
	 * whose backslashes are escapes already (messages). */
	{
		char out[64];

		text_escape("a b,c\\x41", out, sizeof(out), ESC_BLANK);
		assert_string_equal(out, "a\\x20b,c\\x5cx41");
		text_escape("a b,c", out, sizeof(out), ESC_COMMA);
		assert_string_equal(out, "a b\\x2cc");
		text_escape("a\\x41\n", out, sizeof(out), ESC_KEEP_BACKSLASH);
		assert_string_equal(out, "a\\x41\\x0a");
	}
}

/* The worst NAME_MAX name fits NAME_ESC_MAX exactly. */
static void test_name_escape_worst_case(void **state)
{
	char name[NAME_MAX + 1], *out;
	size_t i;

	(void)state;
	memset(name, 0x01, NAME_MAX);
	name[NAME_MAX] = '\0';
	/* Heap, exact size: ASan reports a write past the end. */
	out = malloc(NAME_ESC_MAX);
	assert_non_null(out);
	name_escape(name, out, NAME_ESC_MAX);
	assert_int_equal(strlen(out), 4 * NAME_MAX);
	for (i = 0; i < NAME_MAX; i++)
		assert_memory_equal(out + 4 * i, "\\x01", 4);
	free(out);
}

/*
 * A name whose escape does not fit is cut, and name_escape() must stay
 * within outlen: its callers escape arbitrary command-line words (a
 * TARGET of any length) into NAME_ESC_MAX buffers on the stack.
 *
 * Regression: libbsd 0.11.7's strnvis() writes dlen characters and then a
 * NUL, one byte past the buffer, whenever the escaped text is dlen
 * characters or longer; name_escape() no longer uses it.
 */
static void test_name_escape_truncates_within_buffer(void **state)
{
	static const struct {
		const char *in;
		size_t outlen;
	} cases[] = {
		{ "abcdefgh", 8 },
		{ "abcdefghijklmnopqrstuvwxyz", 16 },
		{ "\x01\x01\x01\x01", 6 },
		{ "x", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char buf[64];
		size_t outlen = cases[i].outlen;

		memset(buf, '#', sizeof(buf));
		name_escape(cases[i].in, buf, outlen);
		if (buf[outlen] != '#')
			fail_msg("name_escape(\"%s\", %zu) wrote past the "
				 "buffer: byte %zu is %#x",
				 cases[i].in, outlen, outlen,
				 (unsigned char)buf[outlen]);
		assert_non_null(memchr(buf, '\0', outlen));
	}
}

static void test_name_escape_long_word(void **state)
{
	/* A TARGET word longer than any name, as target.c escapes it. */
	char word[2 * NAME_ESC_MAX], buf[NAME_ESC_MAX + 8];

	(void)state;
	memset(word, 'w', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	memset(buf, '#', sizeof(buf));
	name_escape(word, buf, NAME_ESC_MAX);
	assert_int_equal(buf[NAME_ESC_MAX], '#');	/* regression, above */
	assert_true(strlen(buf) < NAME_ESC_MAX);
}

static void assert_clean(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			fail_msg("byte %#x at %zu in \"%s\"", *p,
				 (size_t)(p - (const unsigned char *)s), s);
}

static void test_segment_target(void **state)
{
	struct segment s;
	char buf[NAME_ESC_MAX + 16];
	char name[NAME_MAX + 1];
	int b;

	(void)state;
	sysv_seg(&s);
	segment_target(&s, buf, sizeof(buf));
	assert_string_equal(buf, "32769");

	posix_seg(&s, "plain");
	segment_target(&s, buf, sizeof(buf));
	assert_string_equal(buf, "/plain");

	posix_seg(&s, "evil\n\x1b]0;title\x07\t\xff\x80\x7f");
	segment_target(&s, buf, sizeof(buf));
	assert_int_equal(buf[0], '/');
	assert_clean(buf);
	assert_string_equal(buf, "/evil\\x0a\\x1b]0;title\\x07\\x09\\xff\\x80\\x7f");

	/* Every byte value, in one name. */
	for (b = 1; b < 256; b++)
		name[b - 1] = (char)b;
	name[255] = '\0';
	posix_seg(&s, name);
	segment_target(&s, buf, sizeof(buf));
	assert_clean(buf);
	{
		/* The getters give the bytes as they are: the renderer
		 * escapes (output.c), once. */
		struct cell c;
		char want[NAME_MAX + 2];

		column_get(COL_NAME, &s, &c);
		assert_string_equal(c.str, name);
		column_get(COL_SEGMENT, &s, &c);
		snprintf(want, sizeof(want), "/%s", name);
		assert_string_equal(c.str, want);
	}

	/* The longest name of control bytes fits the escape. */
	memset(name, 0x01, NAME_MAX);
	name[NAME_MAX] = '\0';
	posix_seg(&s, name);
	segment_target(&s, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 1 + 4 * NAME_MAX);
	assert_clean(buf);
}

/* A deleted POSIX segment's TARGET is its holder (its name is gone, and
 * may be another segment's), and parses back as that holder. */
static void test_segment_target_deleted(void **state)
{
	struct segment s;
	struct target t;
	char buf[TARGET_STR_MAX];

	(void)state;
	posix_seg(&s, "gone");
	s.status = SEG_ST_DELETED;
	s.via_pid = 42;
	s.via_fd = 5;
	segment_target(&s, buf, sizeof(buf));
	assert_string_equal(buf, "posix:42:5");
	assert_int_equal(parse_target(buf, TARGET_ANY, &t, NULL), 0);
	assert_true(t.kind == TARGET_PROC && t.via == SEG_POSIX &&
		    t.pid == 42 && t.fd == 5);

	s.via_fd = -1;
	s.via_start = 0x7f0000001000;
	s.via_end = 0x7f0000003000;
	segment_target(&s, buf, sizeof(buf));
	assert_string_equal(buf, "posix:42:7f0000001000-7f0000003000");
	assert_int_equal(parse_target(buf, TARGET_FORCE_POSIX, &t, NULL), 0);
	assert_true(t.kind == TARGET_PROC && t.via == SEG_POSIX &&
		    t.fd == -1 && t.start == 0x7f0000001000 &&
		    t.end == 0x7f0000003000);

	/* Reached through a holder but not deleted: its name. */
	s.status = 0;
	segment_target(&s, buf, sizeof(buf));
	assert_string_equal(buf, "/gone");
}

/* ---- time_iso ------------------------------------------------------ */

static char *saved_tz;

static void set_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static int tz_setup(void **state)
{
	const char *tz = getenv("TZ");

	(void)state;
	saved_tz = tz ? strdup(tz) : NULL;
	return 0;
}

static int tz_teardown(void **state)
{
	(void)state;
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	saved_tz = NULL;
	return 0;
}

/* YYYY-MM-DDTHH:MM:SS+HH:MM */
static bool iso_shape(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd+dd:dd";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++) {
		if (pat[i] == 'd') {
			if (!isdigit((unsigned char)s[i]))
				return false;
		} else if (pat[i] == '+') {
			if (s[i] != '+' && s[i] != '-')
				return false;
		} else if (s[i] != pat[i]) {
			return false;
		}
	}
	return true;
}

static void test_time_iso(void **state)
{
	static const struct {
		const char *tz;
		time_t t;
		const char *want;
	} cases[] = {
		{ "UTC", 0, "1970-01-01T00:00:00+00:00" },
		{ "UTC", 1700000000, "2023-11-14T22:13:20+00:00" },
		{ "UTC", 1795365340, "2026-11-22T16:35:40+00:00" },
		{ "IST-5:30", 0, "1970-01-01T05:30:00+05:30" },
		{ "EST5", 0, "1969-12-31T19:00:00-05:00" },
		{ "<+0545>-5:45", 1700000000, "2023-11-15T03:58:20+05:45" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char buf[64];

		set_tz(cases[i].tz);
		memset(buf, '#', sizeof(buf));
		time_iso(cases[i].t, buf, sizeof(buf));
		if (!iso_shape(buf))
			fail_msg("time_iso(%lld) in %s = \"%s\": not ISO 8601",
				 (long long)cases[i].t, cases[i].tz, buf);
		assert_string_equal(buf, cases[i].want);
	}

	/* A short buffer is cut, NUL-terminated. */
	{
		char small[11 + 4];

		set_tz("UTC");
		memset(small, '#', sizeof(small));
		time_iso(0, small, 11);
		assert_string_equal(small, "1970-01-01");
		assert_int_equal(small[11], '#');
	}
}

/* ---- cell_compare, as sorting uses it -------------------------------- */

/* Two segments by a column, through cell_compare (what --sort does). */
static int column_compare(enum col_id col, const struct segment *a,
			  const struct segment *b)
{
	struct cell ca, cb;
	int r;

	column_get(col, a, &ca);
	column_get(col, b, &cb);
	r = cell_compare(coldefs[col].type, &ca, &cb);
	cell_release(&ca);
	cell_release(&cb);
	return r;
}

static void test_column_compare(void **state)
{
	struct segment a, b, p;

	(void)state;
	sysv_seg(&a);
	sysv_seg(&b);
	a.size = 9;
	b.size = 100;
	assert_true(column_compare(COL_SIZE, &a, &b) < 0);
	assert_true(column_compare(COL_SIZE, &b, &a) > 0);
	assert_int_equal(column_compare(COL_SIZE, &a, &a), 0);
	/* Numerically, not as text ("9" > "100"). */
	a.shmid = 9;
	b.shmid = 100;
	assert_true(column_compare(COL_ID, &a, &b) < 0);
	a.ctime = 5;
	b.ctime = 6;
	assert_true(column_compare(COL_CTIME, &a, &b) < 0);
	/* Nulls first: a POSIX segment has no ID. */
	posix_seg(&p, "z");
	assert_true(column_compare(COL_ID, &p, &a) < 0);
	assert_true(column_compare(COL_ID, &a, &p) > 0);
	assert_int_equal(column_compare(COL_ID, &p, &p), 0);
	/* Strings: "posix" < "sysv". */
	assert_true(column_compare(COL_KIND, &p, &a) < 0);
}

/* A semaphore's row: KIND sem, SEGMENT sem:/NAME (what sem_open takes),
 * NAME without "sem.", VALUE and WAITERS when they were read. */
static void test_column_sem(void **state)
{
	struct segment s;
	struct cell c;

	(void)state;
	posix_seg(&s, "sem.jobs");
	s.sem = true;
	column_get(COL_KIND, &s, &c);
	assert_string_equal(c.str, "sem");
	column_get(COL_SEGMENT, &s, &c);
	assert_string_equal(c.str, "sem:/jobs");
	column_get(COL_NAME, &s, &c);
	assert_string_equal(c.str, "jobs");
	/* not read (another user's, or an unknown layout): null, not 0 */
	column_get(COL_VALUE, &s, &c);
	assert_true(c.null);
	s.has_semval = true;
	s.sem_value = 5;
	s.sem_waiters = 2;
	column_get(COL_VALUE, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 5);
	column_get(COL_WAITERS, &s, &c);
	assert_false(c.null);
	assert_int_equal(c.num, 2);
	/* --name matches the name sem_open takes, without "sem." */
	assert_true(segment_name_matches(&s, "jobs"));
	assert_true(segment_name_matches(&s, "j*"));
	assert_false(segment_name_matches(&s, "sem.*"));
}

/* --name GLOB: what each kind's name is. */
static void test_name_matches(void **state)
{
	struct segment s;

	(void)state;
	posix_seg(&s, "psm_0123");
	assert_true(segment_name_matches(&s, "psm_*"));
	assert_false(segment_name_matches(&s, "/psm_*"));
	assert_false(segment_name_matches(&s, "torch_*"));
	sysv_seg(&s);	/* key 0x1234 */
	assert_true(segment_name_matches(&s, "0x00001234"));
	assert_true(segment_name_matches(&s, "0x0000*"));
	assert_false(segment_name_matches(&s, "SYSV*"));
	memset(&s, 0, sizeof(s));
	s.kind = SEG_ANON;
	assert_true(segment_name_matches(&s, "*"));
	assert_false(segment_name_matches(&s, "?*"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_find),
		cmocka_unit_test(test_columns_parse_replace),
		cmocka_unit_test(test_columns_parse_append),
		cmocka_unit_test(test_columns_parse_errors),
		cmocka_unit_test(test_columns_parse_empty),
		cmocka_unit_test(test_columns_parse_max),
		cmocka_unit_test(test_column_get_sysv),
		cmocka_unit_test(test_column_get_posix),
		cmocka_unit_test(test_column_get_owner),
		cmocka_unit_test(test_column_get_all),
		cmocka_unit_test(test_column_sem),
		cmocka_unit_test(test_name_matches),
		cmocka_unit_test(test_column_holders),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_mode_string),
		cmocka_unit_test(test_name_escape),
		cmocka_unit_test(test_name_escape_worst_case),
		cmocka_unit_test(test_name_escape_truncates_within_buffer),
		cmocka_unit_test(test_name_escape_long_word),
		cmocka_unit_test(test_segment_target),
		cmocka_unit_test(test_segment_target_deleted),
		cmocka_unit_test_setup_teardown(test_time_iso, tz_setup,
						tz_teardown),
		cmocka_unit_test(test_column_compare),
	};

	return cmocka_run_group_tests_name("columns", tests, NULL, NULL);
}
