// SPDX-License-Identifier: MIT
/*
 * test_output.c - rendering of the column table (table, raw, JSON) and of
 * stat's text into a memory stream.
 */
#include "unit.h"

#include <locale.h>

#include <ctype.h>

#include <bsd/libutil.h>

#include "output.h"
#include "text.h"
#include "procscan.h"

/* ---- a small strict JSON checker (RFC 8259 grammar, no semantics) --- */

struct jc {
	const char *p;
	int depth;
};

static bool jc_value(struct jc *j);

static bool jc_lit(struct jc *j, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static void jc_ws(struct jc *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool jc_string(struct jc *j)
{
	if (*j->p != '"')
		return false;
	for (j->p++; *j->p != '"'; j->p++) {
		unsigned char c = (unsigned char)*j->p;

		if (c < 0x20)
			return false;	/* also the terminating NUL */
		if (c != '\\')
			continue;
		j->p++;
		if (*j->p == 'u') {
			int k;

			for (k = 1; k <= 4; k++)
				if (!isxdigit((unsigned char)j->p[k]))
					return false;
			j->p += 4;
		} else if (!strchr("\"\\/bfnrt", *j->p) || !*j->p) {
			return false;
		}
	}
	j->p++;
	return true;
}

static bool jc_number(struct jc *j)
{
	const char *s = j->p;

	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (*j->p >= '1' && *j->p <= '9')
		while (isdigit((unsigned char)*j->p))
			j->p++;
	else
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	return j->p > s;
}

static bool jc_seq(struct jc *j, char close, bool members)
{
	j->p++;
	jc_ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		jc_ws(j);
		if (members) {
			if (!jc_string(j))
				return false;
			jc_ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!jc_value(j))
			return false;
		jc_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p != close)
			return false;
		j->p++;
		return true;
	}
}

static bool jc_value(struct jc *j)
{
	bool ok;

	jc_ws(j);
	if (++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{':
		ok = jc_seq(j, '}', true);
		break;
	case '[':
		ok = jc_seq(j, ']', false);
		break;
	case '"':
		ok = jc_string(j);
		break;
	case 't':
		ok = jc_lit(j, "true");
		break;
	case 'f':
		ok = jc_lit(j, "false");
		break;
	case 'n':
		ok = jc_lit(j, "null");
		break;
	default:
		ok = jc_number(j);
		break;
	}
	j->depth--;
	return ok;
}

static bool jc_valid(const char *s)
{
	struct jc j = { s, 0 };

	if (!jc_value(&j))
		return false;
	jc_ws(&j);
	return *j.p == '\0';
}

static void test_json_checker(void **state)
{
	(void)state;
	/* The checker itself must be able to say no. */
	assert_true(jc_valid("{\"a\": [1, -2.5e3, null, true, \"x\\n\"]}"));
	assert_true(jc_valid("{\"segments\": []}"));
	assert_false(jc_valid("{\"a\": [1, 2}"));
	assert_false(jc_valid("{\"a\": 01}"));
	assert_false(jc_valid("{\"a\": \"x\ny\"}"));
	assert_false(jc_valid("{\"a\": \"\\q\"}"));
	assert_false(jc_valid("{\"a\": 1,}"));
	assert_false(jc_valid("{\"a\": 1} x"));
	assert_false(jc_valid("{a: 1}"));
	assert_false(jc_valid(""));
}

/* ---- fixtures -------------------------------------------------------- */

static void add_sysv(struct seglist *l, int shmid, uint64_t size)
{
	struct segment *s = seglist_add(l);

	assert_non_null(s);
	s->kind = SEG_SYSV;
	s->shmid = shmid;
	s->key = 0x1234;
	s->cpid = 4242;
	s->lpid = 4343;
	s->nattch = 2;
	s->uid = 3999999999u;
	s->gid = 3999999998u;
	s->cuid = 1002;
	s->cgid = 1003;
	s->mode = 0640;
	s->size = size;
	s->ctime = 0;
	s->rss = 8192;
	s->has_rss = s->has_swap = true;
	s->status = SEG_ST_DEST | SEG_ST_LOCKED;
}

static void add_posix(struct seglist *l, const char *name, uint64_t size)
{
	struct segment *s = seglist_add(l);

	assert_non_null(s);
	s->kind = SEG_POSIX;
	s->shmid = -1;
	segment_set_name(s, name);
	s->uid = 3999999999u;
	s->gid = 3999999998u;
	s->mode = 0600;
	s->size = size;
	s->rss = 4096;
	s->has_rss = true;
	s->atime = 60;
	s->mtime = 120;
	s->ctime = 180;
}

static void set_cols(struct outopts *o, const enum col_id *cols, size_t n)
{
	size_t i;

	assert_true(n <= UT_ARRAY_SIZE(o->cols));
	for (i = 0; i < n; i++)
		o->cols[i] = cols[i];
	o->ncols = n;
}

static void all_cols(struct outopts *o)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		o->cols[i] = i;
	o->ncols = NCOLS;
}

/* Render into a malloc'd string. */
static char *render(const struct seglist *l, const struct outopts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const struct segment **rows = calloc(l->n + 1, sizeof(*rows));
	size_t i;

	assert_non_null(f);
	assert_non_null(rows);
	for (i = 0; i < l->n; i++)
		rows[i] = &l->v[i];
	assert_int_equal(output_segments(f, rows, l->n, o, "segments"), 0);
	assert_int_equal(fclose(f), 0);
	free(rows);
	assert_non_null(buf);
	return buf;
}

static char *render_stat(const struct segment *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_stat_text(f, s, TIME_ISO), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void must_contain(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

static void must_not_contain(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("unexpected \"%s\" in:\n%s", needle, hay);
}

static char *saved_tz;

static int group_setup(void **state)
{
	const char *tz = getenv("TZ");

	(void)state;
	saved_tz = tz ? strdup(tz) : NULL;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (saved_tz)
		setenv("TZ", saved_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved_tz);
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

/* Strip blanks outside strings, so checks do not depend on indentation. */
static char *json_compact(const char *s)
{
	char *out = malloc(strlen(s) + 1), *q = out;
	bool in_str = false;

	assert_non_null(out);
	for (; *s; s++) {
		if (in_str) {
			*q++ = *s;
			if (*s == '\\' && s[1])
				*q++ = *++s;
			else if (*s == '"')
				in_str = false;
		} else if (*s == '"') {
			in_str = true;
			*q++ = *s;
		} else if (!isspace((unsigned char)*s)) {
			*q++ = *s;
		}
	}
	*q = '\0';
	return out;
}

static void test_json_shape(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .json = true, .sort_col = -1 };
	char *out, *c;

	(void)state;
	add_sysv(&l, 32769, 4096);
	add_posix(&l, "data.1", 256);
	all_cols(&o);
	out = render(&l, &o);
	if (!jc_valid(out))
		fail_msg("invalid JSON:\n%s", out);
	c = json_compact(out);
	assert_true(strncmp(c, "{\"segments\":[{", 14) == 0);
	assert_true(strcmp(c + strlen(c) - 3, "}]}") == 0);

	/* SysV: numbers unquoted, strings quoted, absent values null. */
	must_contain(c, "\"segment\":\"32769\"");
	must_contain(c, "\"kind\":\"sysv\"");
	must_contain(c, "\"id\":32769,");
	must_contain(c, "\"key\":\"0x00001234\"");
	must_contain(c, "\"name\":null");
	must_contain(c, "\"owner\":\"3999999999\"");
	must_contain(c, "\"uid\":3999999999,");
	must_contain(c, "\"gid\":3999999998,");
	must_contain(c, "\"cuid\":1002,");
	must_contain(c, "\"cgid\":1003,");
	must_contain(c, "\"perms\":\"rw-r-----\"");
	must_contain(c, "\"size\":4096,");
	must_contain(c, "\"rss\":8192,");
	must_contain(c, "\"swap\":0,");
	must_contain(c, "\"nattch\":2,");
	must_contain(c, "\"cpid\":4242,");
	must_contain(c, "\"lpid\":4343,");
	must_contain(c, "\"ctime\":\"1970-01-01T00:00:00+00:00\"");
	must_contain(c, "\"atime\":null");	/* SysV atime 0: never */
	must_contain(c, "\"dtime\":null");
	must_contain(c, "\"status\":\"dest,locked\"");

	/* POSIX. */
	must_contain(c, "\"segment\":\"/data.1\"");
	must_contain(c, "\"kind\":\"posix\"");
	must_contain(c, "\"id\":null");
	must_contain(c, "\"key\":null");
	must_contain(c, "\"name\":\"data.1\"");
	must_contain(c, "\"size\":256,");
	must_contain(c, "\"nattch\":null");
	must_contain(c, "\"cpid\":null");
	must_contain(c, "\"cuid\":null");
	must_contain(c, "\"swap\":null");
	must_contain(c, "\"atime\":\"1970-01-01T00:01:00+00:00\"");
	must_contain(c, "\"mtime\":\"1970-01-01T00:02:00+00:00\"");

	/* Sizes in bytes, never humanized; numbers never quoted. */
	must_not_contain(c, "4.0K");
	must_not_contain(c, "\"size\":\"");
	must_not_contain(c, "\"id\":\"");
	free(c);
	free(out);
	seglist_free(&l);
}

static void test_json_keys_lowercase(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .json = true, .sort_col = -1 };
	char *out, *c;
	int i;

	(void)state;
	add_sysv(&l, 1, 1);
	all_cols(&o);
	out = render(&l, &o);
	c = json_compact(out);
	for (i = 0; i < NCOLS; i++) {
		char key[40];
		size_t k;

		key[0] = '"';
		for (k = 0; coldefs[i].name[k]; k++)
			key[k + 1] = (char)tolower(
				(unsigned char)coldefs[i].name[k]);
		key[k + 1] = '"';
		key[k + 2] = ':';
		key[k + 3] = '\0';
		must_contain(c, key);
		/* Not the upper-case header. */
		snprintf(key, sizeof(key), "\"%s\":", coldefs[i].name);
		must_not_contain(c, key);
	}
	free(c);
	free(out);
	seglist_free(&l);
}

static void test_json_hostile_name(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .json = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_NAME, COL_SIZE };
	const unsigned char *p;
	char *out;

	(void)state;
	add_posix(&l, "q\"uote\\back\nnl\x1b[2J\xff\x01}]", 1);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	if (!jc_valid(out))
		fail_msg("invalid JSON:\n%s", out);
	for (p = (const unsigned char *)out; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p >= 0x7f)
			fail_msg("raw byte %#x in JSON output", *p);
	free(out);
	seglist_free(&l);
}

static void test_json_empty(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .json = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_SIZE };
	char *out, *c;

	(void)state;
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	if (!jc_valid(out))
		fail_msg("invalid JSON:\n%s", out);
	c = json_compact(out);
	assert_string_equal(c, "{\"segments\":[]}");
	free(c);
	free(out);
}

/*
 * ls's holder columns: PIDS and COMMANDS are JSON arrays, PROCS a number,
 * unknown is null.  (stat -J's "holders" array is cmd_stat.c's own printer,
 * reached only through a real inventory: tests/e2e/t_stat.sh checks it.)
 */
static void test_json_holder_columns(void **state)
{
	static struct holding h[3];
	static struct proc_info procs[2] = {
		{ .pid = 100, .comm = "post\"gres" },
		{ .pid = 300, .comm = "worker" },
	};
	static const enum col_id cols[] = { COL_SEGMENT, COL_PROCS, COL_PIDS,
					    COL_COMMANDS };
	struct seglist l = { 0 };
	struct outopts o = { .json = true, .sort_col = -1 };
	struct scan sc;
	char *out, *c;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	memset(h, 0, sizeof(h));
	h[0].pid = 300;
	h[1].pid = 100;
	h[2].pid = 300;
	sc.h = h;
	sc.nh = 3;
	sc.procs = procs;
	sc.nprocs = 2;

	add_sysv(&l, 1, 1);		/* held by 100 and 300 */
	l.v[0].scan = &sc;
	l.v[0].hcount = 3;
	add_sysv(&l, 2, 1);		/* scanned, held by nobody */
	l.v[1].scan = &sc;
	add_sysv(&l, 3, 1);		/* not scanned */
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	if (!jc_valid(out))
		fail_msg("invalid JSON:\n%s", out);
	c = json_compact(out);
	must_contain(c, "{\"segment\":\"1\",\"procs\":2,\"pids\":[100,300],"
			"\"commands\":[\"post\\\"gres\",\"worker\"]}");
	must_contain(c, "{\"segment\":\"2\",\"procs\":0,\"pids\":[],"
			"\"commands\":[]}");
	must_contain(c, "{\"segment\":\"3\",\"procs\":null,\"pids\":null,"
			"\"commands\":null}");
	free(c);
	free(out);

	/* Tables and raw: comma-separated. */
	o.json = false;
	o.raw = true;
	o.noheadings = true;
	out = render(&l, &o);
	must_contain(out, "1 2 100,300 ");
	free(out);
	seglist_free(&l);
}

/* ---- table and raw --------------------------------------------------- */

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_table(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_KIND, COL_SIZE,
					    COL_ID, COL_STATUS };
	char *out;

	(void)state;
	add_sysv(&l, 32769, 4096);
	add_posix(&l, "data.1", 256);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	assert_int_equal(count_lines(out), 3);
	assert_true(strncmp(out, "SEGMENT", 7) == 0);
	must_contain(out, "KIND");
	must_contain(out, "STATUS");
	/* Human sizes in tables. */
	must_contain(out, "4.0K");
	must_contain(out, "256B");
	must_not_contain(out, "4096");
	must_contain(out, "dest,locked");
	must_not_contain(out, "null");
	free(out);

	/* --bytes */
	o.bytes = true;
	out = render(&l, &o);
	must_contain(out, "4096");
	must_not_contain(out, "4.0K");
	free(out);

	/* --noheadings */
	o.noheadings = true;
	out = render(&l, &o);
	assert_int_equal(count_lines(out), 2);
	must_not_contain(out, "SEGMENT");
	assert_true(strncmp(out, "32769", 5) == 0);
	free(out);
	seglist_free(&l);
}

static void test_raw(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .raw = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_KIND, COL_SIZE,
					    COL_NATTCH };
	char *out;

	(void)state;
	add_sysv(&l, 32769, 4096);
	add_posix(&l, "data.1", 256);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	/* One space between cells, exact sizes, null cells empty. */
	assert_string_equal(out, "SEGMENT KIND SIZE NATTCH\n"
				 "32769 sysv 4096 2\n"
				 "/data.1 posix 256 \n");
	free(out);

	o.noheadings = true;
	out = render(&l, &o);
	assert_string_equal(out, "32769 sysv 4096 2\n"
				 "/data.1 posix 256 \n");
	free(out);

	/* A blank in a name cannot split a raw cell; a backslash is
	 * escaped once (libsmartcols' raw mode escaped our escapes again:
	 * "\x5cx5c"). */
	seglist_free(&l);
	add_posix(&l, "a b\\c\x01", 1);
	out = render(&l, &o);
	assert_string_equal(out, "/a\\x20b\\x5cc\\x01 posix 1 \n");
	free(out);
	seglist_free(&l);
}

/* Names as people and programs read them back: valid UTF-8 as it is in
 * a UTF-8 locale (escaped in another), JSON with the real name, invalid
 * UTF-8 escaped everywhere (libsmartcols 2.38 never sees it: it loops on
 * such a cell). */
static void test_names_utf8(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .sort_col = -1, .noheadings = true };
	static const enum col_id cols[] = { COL_SEGMENT };
	char *out;

	(void)state;
	add_posix(&l, "caf\xc3\xa9 \xe6\x97\xa5", 1);
	add_posix(&l, "bad\xff\tx", 1);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));

	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	out = render(&l, &o);
	assert_string_equal(out, "/caf\xc3\xa9 \xe6\x97\xa5\n/bad\\xff\\x09x\n");
	free(out);
	o.raw = true;
	out = render(&l, &o);
	assert_string_equal(out, "/caf\xc3\xa9\\x20\xe6\x97\xa5\n/bad\\xff\\x09x\n");
	free(out);
	o.raw = false;
	o.json = true;
	out = render(&l, &o);
	must_contain(out, "\"segment\": \"/caf\xc3\xa9 \xe6\x97\xa5\"");
	must_contain(out, "\"segment\": \"/bad\\\\xff\\\\x09x\"");
	free(out);

	assert_non_null(setlocale(LC_CTYPE, "C"));
	o.json = false;
	out = render(&l, &o);
	assert_string_equal(out, "/caf\\xc3\\xa9 \\xe6\\x97\\xa5\n/bad\\xff\\x09x\n");
	free(out);
	/* JSON does not depend on the locale. */
	o.json = true;
	out = render(&l, &o);
	must_contain(out, "\"segment\": \"/caf\xc3\xa9 \xe6\x97\xa5\"");
	free(out);
	seglist_free(&l);
}

/* ---- --sort ---------------------------------------------------------- */

/* The rows of a -r -n rendering of SEGMENT, as "a|b|c". */
static char *row_order(const struct seglist *l, int sort_col)
{
	struct outopts o = { .raw = true, .noheadings = true,
			     .sort_col = sort_col };
	char *out, *p;

	o.cols[0] = COL_SEGMENT;
	o.ncols = 1;
	out = render(l, &o);
	for (p = out; *p; p++)
		if (*p == '\n')
			*p = '|';
	return out;
}

static void test_sort(void **state)
{
	struct seglist l = { 0 };
	char *order;

	(void)state;
	add_sysv(&l, 30, 300);
	add_sysv(&l, 100, 100);
	add_posix(&l, "p", 200);
	add_sysv(&l, 9, 1000);

	order = row_order(&l, -1);
	assert_string_equal(order, "30|100|/p|9|");
	free(order);

	order = row_order(&l, COL_SIZE);
	assert_string_equal(order, "100|/p|30|9|");
	free(order);

	/* Numbers numerically; the POSIX segment's null ID first. */
	order = row_order(&l, COL_ID);
	assert_string_equal(order, "/p|9|30|100|");
	free(order);

	/* Sorting renders a copy: the caller's list keeps its order. */
	assert_int_equal(l.v[0].shmid, 30);
	assert_int_equal(l.v[3].shmid, 9);
	seglist_free(&l);
}

/* ---- stat text ------------------------------------------------------- */

static void test_stat_text_sysv(void **state)
{
	struct seglist l = { 0 };
	char *out;

	(void)state;
	add_sysv(&l, 32769, 256);
	out = render_stat(&l.v[0]);
	must_contain(out, "Segment: 32769\n");
	must_contain(out, "Kind: sysv\n");
	must_contain(out, "ID: 32769\n");
	must_contain(out, "Key: 0x00001234\n");
	must_contain(out, "Size: 256\n");
	must_contain(out, "Perms: rw-r----- (0640)\n");
	must_contain(out, "Creator UID: 1002\n");
	must_contain(out, "Creator GID: 1003\n");
	must_contain(out, "Attached: 2\n");
	must_contain(out, "Creator PID: 4242\n");
	must_contain(out, "Changed: 1970-01-01T00:00:00+00:00\n");
	must_contain(out, "Status: dest,locked\n");
	/* Fields that do not apply are omitted. */
	must_not_contain(out, "Name:");
	must_not_contain(out, "Modified:");
	must_not_contain(out, "Attached at:");	/* atime 0 */
	must_not_contain(out, "null");
	free(out);
	seglist_free(&l);
}

static void test_stat_text_posix(void **state)
{
	struct seglist l = { 0 };
	char *out;

	(void)state;
	add_posix(&l, "data\n1", 1 << 20);
	out = render_stat(&l.v[0]);
	must_contain(out, "Segment: /data\\x0a1\n");
	must_contain(out, "Kind: posix\n");
	must_contain(out, "Name: data\\x0a1\n");
	must_contain(out, "Size: 1048576\n");	/* exact bytes */
	must_contain(out, "Perms: rw------- (0600)\n");
	must_contain(out, "Accessed: 1970-01-01T00:01:00+00:00\n");
	must_contain(out, "Modified: 1970-01-01T00:02:00+00:00\n");
	must_not_contain(out, "\nID:");
	must_not_contain(out, "Key:");
	must_not_contain(out, "Creator");
	must_not_contain(out, "Status:");	/* no status words */
	free(out);
	seglist_free(&l);
}

/* ---- pairs (-P) and shell (-y) ---------------------------------------- */

static void test_pair_keys(void **state)
{
	static const struct {
		const char *name;
		bool shell;
		const char *key;
	} cases[] = {
		{ "SEGMENT", false, "SEGMENT" },
		{ "SEGMENT", true, "SEGMENT" },
		{ "USE%", false, "USE%" },	/* -P: the column's name */
		{ "USE%", true, "USE_PCT" },	/* -y: lsipc's name for it */
		{ "use%", true, "USE_PCT" },
		{ "MAJ:MIN", true, "MAJ_MIN" },
		{ "a-b.c d", true, "A_B_C_D" },
		{ "9LIVES", true, "_9LIVES" },	/* no leading digit */
		{ "x_y", true, "X_Y" },
		{ "$(id)", true, "__ID_" },
		/* readonly in bash, setuid/setgid in zsh */
		{ "UID", true, "UID_" },
		{ "uid", true, "UID_" },
		{ "GID", true, "GID_" },
		{ "CUID", true, "CUID" },
		{ "PATH", true, "PATH_" },
		{ "UID", false, "UID" },	/* -P: as it is */
		{ "", true, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char key[64];

		output_pair_key(cases[i].name, cases[i].shell, key,
				sizeof(key));
		assert_string_equal(key, cases[i].key);
	}
	{	/* never past the buffer */
		char small[4];

		output_pair_key("ABCDEFG", true, small, sizeof(small));
		assert_string_equal(small, "ABC");
		output_pair_key("A%", true, small, sizeof(small));
		assert_string_equal(small, "A");
	}
}

static void test_pairs(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .pairs = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_KIND, COL_SIZE,
					    COL_NATTCH, COL_PIDS };
	char *out;

	(void)state;
	add_sysv(&l, 32769, 1 << 20);
	add_posix(&l, "data.1", 256);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	/* No header; sizes in bytes (as -r and -J); a null cell is "". */
	out = render(&l, &o);
	assert_string_equal(out,
		"SEGMENT=\"32769\" KIND=\"sysv\" SIZE=\"1048576\" NATTCH=\"2\" PIDS=\"\"\n"
		"SEGMENT=\"/data.1\" KIND=\"posix\" SIZE=\"256\" NATTCH=\"\" PIDS=\"\"\n");
	free(out);
	/* -y alone: the same pairs (these names are shell names already) */
	o.pairs = false;
	o.shell = true;
	o.noheadings = true;
	out = render(&l, &o);
	must_contain(out, "SEGMENT=\"32769\" KIND=\"sysv\"");
	assert_int_equal(count_lines(out), 2);
	free(out);
	seglist_free(&l);
}

/*
 * Inside "...", a shell still expands $, ` and \ and ends at ": each is
 * \xHH here, with every byte the one escaper escapes (a newline too), so
 * eval assigns and nothing else; \xHH is what a TARGET reads back.
 */
static void test_pairs_hostile(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .shell = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_SEGMENT, COL_NAME };
	char *out;

	(void)state;
	add_posix(&l, "q\"s'$(touch x)`id`\\b\nl${HOME} ,!", 1);
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	out = render(&l, &o);
	assert_string_equal(out,
		"SEGMENT=\"/q\\x22s'\\x24(touch x)\\x60id\\x60\\x5cb\\x0al\\x24{HOME} ,!\" "
		"NAME=\"q\\x22s'\\x24(touch x)\\x60id\\x60\\x5cb\\x0al\\x24{HOME} ,!\"\n");
	must_not_contain(out, "$");
	must_not_contain(out, "`");
	free(out);
	seglist_free(&l);
}

/* ---- --time-format ------------------------------------------------------ */

static void test_time_formats(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .raw = true, .noheadings = true, .sort_col = -1 };
	static const enum col_id cols[] = { COL_CTIME };
	char *out, buf[64];
	enum time_fmt f;

	(void)state;
	assert_int_equal(time_fmt_parse("iso", &f), 0);
	assert_int_equal(f, TIME_ISO);
	assert_int_equal(time_fmt_parse("epoch", &f), 0);
	assert_int_equal(f, TIME_EPOCH);
	assert_int_equal(time_fmt_parse("full", &f), 0);
	assert_int_equal(f, TIME_FULL);
	assert_int_equal(time_fmt_parse("short", &f), 0);
	assert_int_equal(f, TIME_SHORT);
	assert_int_equal(time_fmt_parse("ISO", &f), -EINVAL);
	assert_int_equal(time_fmt_parse("", &f), -EINVAL);

	/* TZ is UTC (group_setup) */
	time_format(180, TIME_ISO, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:03:00+00:00");
	time_format(180, TIME_FULL, buf, sizeof(buf));
	assert_string_equal(buf, "Thu Jan  1 00:03:00 1970");
	time_format(180, TIME_SHORT, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01");	/* another year */
	time_format(180, TIME_EPOCH, buf, sizeof(buf));
	assert_string_equal(buf, "180");
	time_format(time(NULL), TIME_SHORT, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 5);	/* today: HH:MM */
	assert_int_equal(buf[2], ':');

	add_posix(&l, "t", 1);	/* ctime 180 */
	set_cols(&o, cols, UT_ARRAY_SIZE(cols));
	o.tfmt = TIME_EPOCH;
	out = render(&l, &o);
	assert_string_equal(out, "180\n");
	free(out);
	/* raw: the blanks of "full" escaped, as any cell's */
	o.tfmt = TIME_FULL;
	out = render(&l, &o);
	assert_string_equal(out, "Thu\\x20Jan\\x20\\x201\\x2000:03:00\\x201970\n");
	free(out);
	o.raw = false;
	o.pairs = true;
	out = render(&l, &o);
	assert_string_equal(out, "CTIME=\"Thu Jan  1 00:03:00 1970\"\n");
	free(out);
	/* JSON: epoch a number, the other forms strings */
	o.pairs = false;
	o.json = true;
	o.tfmt = TIME_EPOCH;
	out = render(&l, &o);
	must_contain(out, "\"ctime\": 180\n");
	assert_true(jc_valid(out));
	free(out);
	o.tfmt = TIME_SHORT;
	out = render(&l, &o);
	must_contain(out, "\"ctime\": \"1970-01-01\"");
	free(out);
	o.tfmt = TIME_ISO;
	out = render(&l, &o);
	must_contain(out, "\"ctime\": \"1970-01-01T00:03:00+00:00\"");
	free(out);
	seglist_free(&l);
}

/* ---- per-row counts and percentages (ls --limits) ----------------------- */

struct pct_row {
	uint64_t v, pct;
	bool count;
};

static const struct coldef pct_defs[] = {
	{ "VALUE", "Value", CT_SIZE, 1, true, "a size or a count" },
	{ "USE%", "Use", CT_PERCENT, 1, true, "percent" },
};

static void pct_get(int col, const void *row, struct cell *c)
{
	const struct pct_row *r = row;

	memset(c, 0, sizeof(*c));
	c->num = col == 0 ? r->v : r->pct;
	c->count = col == 0 && r->count;
}

static char *render_pct(const struct outopts *o)
{
	static const struct pct_row rows[] = {
		{ 1 << 20, 163, false },	/* 1.63% */
		{ 123, 10000, true },		/* 100.00% */
		{ 5, 7, true },			/* 0.07% */
	};
	struct table_src t = { .defs = pct_defs, .ndefs = 2, .get = pct_get,
			       .rows = rows, .nrows = 3,
			       .rowsize = sizeof(rows[0]) };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_table(f, &t, o, "limits"), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_percent_and_counts(void **state)
{
	struct outopts o = { .raw = true, .noheadings = true, .sort_col = -1,
			     .cols = { 0, 1 }, .ncols = 2 };
	char *out;

	(void)state;
	out = render_pct(&o);
	assert_string_equal(out, "1048576 1.63%\n123 100.00%\n5 0.07%\n");
	free(out);
	/* a table: human sizes, but a count stays a number */
	o.raw = false;
	out = render_pct(&o);
	must_contain(out, "1.0M");
	must_contain(out, "123");
	must_not_contain(out, "123B");
	free(out);
	o.shell = true;
	out = render_pct(&o);
	must_contain(out, "VALUE=\"123\" USE_PCT=\"100.00%\"\n");
	free(out);
	o.shell = false;
	o.json = true;
	out = render_pct(&o);
	assert_true(jc_valid(out));
	must_contain(out, "\"use%\": 1.63");
	must_contain(out, "\"use%\": 0.07");
	must_contain(out, "\"value\": 123,");
	free(out);
}

static void test_list_columns(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	(void)state;
	assert_non_null(f);
	output_list_columns(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(count_lines(buf), NCOLS);
	for (i = 0; i < NCOLS; i++) {
		char line[64];

		snprintf(line, sizeof(line), "%s ", coldefs[i].name);
		if (i == 0)
			assert_true(strncmp(buf, line, strlen(line)) == 0);
		snprintf(line, sizeof(line), "\n%s ", coldefs[i].name);
		if (i > 0)
			must_contain(buf, line);
	}
	free(buf);
}

/* A table of more rows than a batch comes out as libsmartcols prints it
 * whole: the widest cells (a wide CJK name, an escaped byte, a long size)
 * sit in the last batch, so batches measured on their own rows would
 * differ.  In a UTF-8 locale and in C, with headings and without. */
static void seg_row_get(int col, const void *row, struct cell *c)
{
	column_get((enum col_id)col, *(const struct segment *const *)row, c);
}

static char *render_batched(const struct table_src *t, const size_t *order,
			    const struct outopts *o, size_t batch)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(output_scols_stream(f, t, order, o, batch), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	return buf;
}

static void test_table_batches(void **state)
{
	struct seglist l = { 0 };
	struct outopts o = { .sort_col = -1 };
	/* a null cell first and last; a right-aligned last column */
	static const enum col_id cols[] = { COL_KEY, COL_KIND, COL_SEGMENT,
					    COL_SIZE, COL_PERMS, COL_OWNER,
					    COL_KEY };
	static const enum col_id cols2[] = { COL_SEGMENT, COL_SIZE };
	/* right-aligned columns null in most rows (ID: POSIX ones), last
	 * and not */
	static const enum col_id cols3[] = { COL_ID, COL_SEGMENT, COL_ID };
	const struct segment **rows;
	size_t *order, i, n = 2600;
	const char *locales[] = { "C.UTF-8", "C" };
	struct table_src t = { .defs = coldefs, .ndefs = NCOLS,
			       .get = seg_row_get };
	char name[64], *whole, *batched;
	int k, noh;

	(void)state;
	for (i = 0; i < n; i++) {
		if (i % 7 == 0) {
			add_sysv(&l, (int)i, i);
			continue;
		}
		snprintf(name, sizeof(name), "seg%zu", i);
		if (i == 2500)
			snprintf(name, sizeof(name),
				 "\xe6\x97\xa5\xe6\x9c\xac-wide-name-%zu", i);
		if (i == 2550)
			snprintf(name, sizeof(name), "bad\xff-e\xcc\x81-%zu", i);
		add_posix(&l, name, i == 2599 ? 123456789012345ull : i);
	}
	rows = calloc(n, sizeof(*rows));
	order = calloc(n, sizeof(*order));
	assert_non_null(rows);
	assert_non_null(order);
	for (i = 0; i < n; i++) {
		rows[i] = &l.v[i];
		order[i] = (i * 37) % n;	/* a permutation: gcd 1 */
	}
	t.rows = rows;
	t.nrows = n;
	t.rowsize = sizeof(*rows);
	for (k = 0; k < 6; k++) {
		if (k < 2)
			set_cols(&o, cols, UT_ARRAY_SIZE(cols));
		else if (k < 4)
			set_cols(&o, cols2, UT_ARRAY_SIZE(cols2));
		else
			set_cols(&o, cols3, UT_ARRAY_SIZE(cols3));
		assert_non_null(setlocale(LC_CTYPE, locales[k % 2]));
		for (noh = 0; noh < 2; noh++) {
			o.noheadings = noh;
			whole = render_batched(&t, order, &o, 0);
			batched = render_batched(&t, order, &o, 1000);
			assert_string_equal(batched, whole);
			/* and a batch of one row, and one of all */
			free(batched);
			batched = render_batched(&t, order, &o, 1);
			assert_string_equal(batched, whole);
			free(batched);
			batched = render_batched(&t, order, &o, n);
			assert_string_equal(batched, whole);
			free(batched);
			free(whole);
		}
	}
	assert_non_null(setlocale(LC_CTYPE, "C"));
	free(rows);
	free(order);
	seglist_free(&l);
}

/* size_human's own path under 1000 bytes gives what humanize_number gives,
 * and its bigger sizes are humanize_number's. */
static void test_size_human(void **state)
{
	char a[16], b[16];
	uint64_t v;

	(void)state;
	for (v = 0; v < 5000; v++) {
		size_human(v, a, sizeof(a));
		if (humanize_number(b, 5, (int64_t)v, "", HN_AUTOSCALE,
				    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
			snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
		assert_string_equal(a, b);
	}
	size_human(0, a, sizeof(a));
	assert_string_equal(a, "0B");
	size_human(999, a, sizeof(a));
	assert_string_equal(a, "999B");
	size_human(1000, a, sizeof(a));
	assert_string_equal(a, "1.0K");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_keys_lowercase),
		cmocka_unit_test(test_json_hostile_name),
		cmocka_unit_test(test_names_utf8),
		cmocka_unit_test(test_table_batches),
		cmocka_unit_test(test_size_human),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_holder_columns),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_stat_text_sysv),
		cmocka_unit_test(test_stat_text_posix),
		cmocka_unit_test(test_list_columns),
		cmocka_unit_test(test_pair_keys),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_pairs_hostile),
		cmocka_unit_test(test_time_formats),
		cmocka_unit_test(test_percent_and_counts),
	};

	return cmocka_run_group_tests_name("output", tests, group_setup,
					   group_teardown);
}
