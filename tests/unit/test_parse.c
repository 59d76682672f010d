// SPDX-License-Identifier: MIT
/*
 * test_parse.c - table-driven tests of the pure parsers in src/parse.h.
 */
#include "unit.h"

#include "parse.h"
#include "target_format.h"
#include "procfmt.h"

#define SENT64 UINT64_C(0xdeadbeefcafef00d)

/* ---- parse_size ---------------------------------------------------- */

struct size_case {
	const char *in;
	uint64_t max;
	int rc;
	uint64_t want;
};

#define KI UINT64_C(1024)

static void test_parse_size(void **state)
{
	static const struct size_case cases[] = {
		/* plain bytes */
		{ "0", UINT64_MAX, 0, 0 },
		{ "1", UINT64_MAX, 0, 1 },
		{ "4096", UINT64_MAX, 0, 4096 },
		{ "007", UINT64_MAX, 0, 7 },
		/* binary units, either case */
		{ "1K", UINT64_MAX, 0, KI },
		{ "1k", UINT64_MAX, 0, KI },
		{ "2M", UINT64_MAX, 0, 2 * KI * KI },
		{ "2m", UINT64_MAX, 0, 2 * KI * KI },
		{ "3G", UINT64_MAX, 0, 3 * KI * KI * KI },
		{ "3g", UINT64_MAX, 0, 3 * KI * KI * KI },
		{ "1T", UINT64_MAX, 0, KI * KI * KI * KI },
		{ "1t", UINT64_MAX, 0, KI * KI * KI * KI },
		{ "1P", UINT64_MAX, 0, KI * KI * KI * KI * KI },
		{ "1p", UINT64_MAX, 0, KI * KI * KI * KI * KI },
		{ "1E", UINT64_MAX, 0, KI * KI * KI * KI * KI * KI },
		{ "1e", UINT64_MAX, 0, KI * KI * KI * KI * KI * KI },
		/* KiB .. EiB */
		{ "1KiB", UINT64_MAX, 0, KI },
		{ "1kib", UINT64_MAX, 0, KI },
		{ "5MiB", UINT64_MAX, 0, 5 * KI * KI },
		{ "1GiB", UINT64_MAX, 0, KI * KI * KI },
		{ "1TiB", UINT64_MAX, 0, KI * KI * KI * KI },
		{ "1PiB", UINT64_MAX, 0, KI * KI * KI * KI * KI },
		{ "1EiB", UINT64_MAX, 0, KI * KI * KI * KI * KI * KI },
		/* KB .. EB are powers of 1000 */
		{ "1KB", UINT64_MAX, 0, 1000 },
		{ "1kb", UINT64_MAX, 0, 1000 },
		{ "3MB", UINT64_MAX, 0, 3000000 },
		{ "1GB", UINT64_MAX, 0, UINT64_C(1000000000) },
		{ "1TB", UINT64_MAX, 0, UINT64_C(1000000000000) },
		{ "1PB", UINT64_MAX, 0, UINT64_C(1000000000000000) },
		{ "1EB", UINT64_MAX, 0, UINT64_C(1000000000000000000) },
		{ "18EB", UINT64_MAX, 0, UINT64_C(18000000000000000000) },
		{ "19EB", UINT64_MAX, -ERANGE, 0 },
		/* a lone B */
		{ "1B", UINT64_MAX, 0, 1 },
		{ "10b", UINT64_MAX, 0, 10 },
		/* the max bound */
		{ "1024", 1024, 0, 1024 },
		{ "1K", 1024, 0, 1024 },
		{ "1025", 1024, -ERANGE, 0 },
		{ "2K", 1024, -ERANGE, 0 },
		{ "1", 0, -ERANGE, 0 },
		{ "0", 0, 0, 0 },
		/* near 2^64 */
		{ "18446744073709551615", UINT64_MAX, 0, UINT64_MAX },
		{ "18446744073709551615", UINT64_MAX - 1, -ERANGE, 0 },
		{ "18446744073709551616", UINT64_MAX, -ERANGE, 0 },
		{ "99999999999999999999", UINT64_MAX, -ERANGE, 0 },
		{ "99999999999999999999K", UINT64_MAX, -ERANGE, 0 },
		{ "16E", UINT64_MAX, -ERANGE, 0 },
		{ "16384P", UINT64_MAX, -ERANGE, 0 },
		{ "15E", UINT64_MAX, 0, 15 * KI * KI * KI * KI * KI * KI },
		{ "17179869184G", UINT64_MAX, -ERANGE, 0 },
		{ "17179869183G", UINT64_MAX, 0,
		  UINT64_C(17179869183) * KI * KI * KI },
		/* malformed: -EINVAL */
		{ "", UINT64_MAX, -EINVAL, 0 },
		{ "-1", UINT64_MAX, -EINVAL, 0 },
		{ "+1", UINT64_MAX, -EINVAL, 0 },
		{ " 1", UINT64_MAX, -EINVAL, 0 },
		{ "1 ", UINT64_MAX, -EINVAL, 0 },
		{ "1 K", UINT64_MAX, -EINVAL, 0 },
		{ "1\n", UINT64_MAX, -EINVAL, 0 },
		{ "1.5M", UINT64_MAX, -EINVAL, 0 },
		{ "12x", UINT64_MAX, -EINVAL, 0 },
		{ "0x10", UINT64_MAX, -EINVAL, 0 },
		{ "K", UINT64_MAX, -EINVAL, 0 },
		{ "KiB", UINT64_MAX, -EINVAL, 0 },
		{ "1KiBB", UINT64_MAX, -EINVAL, 0 },
		{ "1iB", UINT64_MAX, -EINVAL, 0 },
		{ "1KIB", UINT64_MAX, -EINVAL, 0 },
		{ "1Ki", UINT64_MAX, -EINVAL, 0 },
		{ "1KK", UINT64_MAX, -EINVAL, 0 },
		{ "1BB", UINT64_MAX, -EINVAL, 0 },
		{ "1Z", UINT64_MAX, -EINVAL, 0 },
		{ "1Y", UINT64_MAX, -EINVAL, 0 },
		/* garbage beats overflow */
		{ "99999999999999999999x", UINT64_MAX, -EINVAL, 0 },
		{ "18446744073709551616 ", UINT64_MAX, -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		const struct size_case *c = &cases[i];
		uint64_t out = SENT64;
		int rc = parse_size(c->in, c->max, &out);

		if (rc != c->rc)
			fail_msg("parse_size(\"%s\", %llu) = %d, want %d",
				 c->in, (unsigned long long)c->max, rc, c->rc);
		if (c->rc == 0 && out != c->want)
			fail_msg("parse_size(\"%s\") = %llu, want %llu", c->in,
				 (unsigned long long)out,
				 (unsigned long long)c->want);
		if (c->rc != 0 && out != SENT64)
			fail_msg("parse_size(\"%s\") changed out on failure",
				 c->in);
	}
}

static void test_parse_size_null(void **state)
{
	uint64_t out = SENT64;

	(void)state;
	assert_int_equal(parse_size(NULL, UINT64_MAX, &out), -EINVAL);
	assert_true(out == SENT64);
}

/* ---- parse_mode ---------------------------------------------------- */

struct mode_case {
	const char *in;
	int rc;
	unsigned int want;
};

static void test_parse_mode(void **state)
{
	static const struct mode_case cases[] = {
		{ "600", 0, 0600 },
		{ "0644", 0, 0644 },
		{ "0", 0, 0 },
		{ "777", 0, 0777 },
		{ "0777", 0, 0777 },
		{ "0000400", 0, 0400 },
		{ "1000", -ERANGE, 0 },
		{ "7777", -ERANGE, 0 },
		{ "01000", -ERANGE, 0 },
		{ "-1", -EINVAL, 0 },
		{ "8", -EINVAL, 0 },
		{ "999", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "0x1", -EINVAL, 0 },
		{ "6a", -EINVAL, 0 },
		{ " 600", -EINVAL, 0 },
		{ "600 ", -EINVAL, 0 },
		{ "+600", -EINVAL, 0 },
		{ "rw", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		unsigned int out = 0xdead;
		int rc = parse_mode(cases[i].in, &out);

		if (rc != cases[i].rc)
			fail_msg("parse_mode(\"%s\") = %d, want %d",
				 cases[i].in, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].want)
			fail_msg("parse_mode(\"%s\") = %#o, want %#o",
				 cases[i].in, out, cases[i].want);
		if (rc != 0 && out != 0xdead)
			fail_msg("parse_mode(\"%s\") changed out on failure",
				 cases[i].in);
	}
	assert_int_equal(parse_mode(NULL, &(unsigned int){ 0 }), -EINVAL);
}

/* ---- parse_key ----------------------------------------------------- */

struct key_case {
	const char *in;
	int rc;
	int32_t want;
};

static void test_parse_key(void **state)
{
	static const struct key_case cases[] = {
		{ "0x1234", 0, 0x1234 },
		{ "0XABCDEF", 0, 0xabcdef },
		{ "0xabcdef", 0, 0xabcdef },
		{ "0x7fffffff", 0, INT32_MAX },
		{ "0x80000000", 0, INT32_MIN },
		{ "0xffffffff", 0, -1 },
		{ "0x00000001", 0, 1 },
		{ "-1", 0, -1 },
		{ "-2147483648", 0, INT32_MIN },
		{ "2147483647", 0, INT32_MAX },
		{ "2147483648", 0, INT32_MIN },
		{ "4294967295", 0, -1 },
		{ "305419896", 0, 0x12345678 },
		{ "-563392222", 0, -563392222 },
		{ "0", 0, 0 },
		{ "0x0", 0, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0X", -EINVAL, 0 },
		{ "0x1ffffffff", -ERANGE, 0 },
		{ "0x100000000", -ERANGE, 0 },
		{ "4294967296", -ERANGE, 0 },
		{ "-2147483649", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "12a", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
		{ "--1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "0xg", -EINVAL, 0 },
		{ "0x12 ", -EINVAL, 0 },
		{ " 12", -EINVAL, 0 },
		{ "-0x1", -EINVAL, 0 },
		{ "99999999999999999999x", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		int32_t out = 0x5a5a5a5a;
		int rc = parse_key(cases[i].in, &out);

		if (rc != cases[i].rc)
			fail_msg("parse_key(\"%s\") = %d, want %d",
				 cases[i].in, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].want)
			fail_msg("parse_key(\"%s\") = %d, want %d",
				 cases[i].in, out, cases[i].want);
		if (rc != 0 && out != 0x5a5a5a5a)
			fail_msg("parse_key(\"%s\") changed out on failure",
				 cases[i].in);
	}
	assert_int_equal(parse_key(NULL, &(int32_t){ 0 }), -EINVAL);
}

/* ---- parse_shmid --------------------------------------------------- */

static void test_parse_shmid(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int want;
	} cases[] = {
		{ "0", 0, 0 },
		{ "1", 0, 1 },
		{ "32768", 0, 32768 },
		{ "2147483647", 0, INT_MAX },
		{ "2147483648", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1a", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		int out = -77;
		int rc = parse_shmid(cases[i].in, &out);

		if (rc != cases[i].rc)
			fail_msg("parse_shmid(\"%s\") = %d, want %d",
				 cases[i].in, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].want)
			fail_msg("parse_shmid(\"%s\") = %d, want %d",
				 cases[i].in, out, cases[i].want);
		if (rc != 0 && out != -77)
			fail_msg("parse_shmid(\"%s\") changed out on failure",
				 cases[i].in);
	}
	assert_int_equal(parse_shmid(NULL, &(int){ 0 }), -EINVAL);
}

/* ---- parse_pid / parse_fd / parse_uid -------------------------------- */

struct id_case {
	const char *in;
	int rc;
	uint64_t want;
};

/* The forms none of the decimal-ID parsers takes, whatever the range. */
static const struct id_case id_bad_forms[] = {
	{ "", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "-0", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ "+0", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "\t1", -EINVAL, 0 },
	{ "1\n", -EINVAL, 0 },
	{ "1a", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "1e3", -EINVAL, 0 },
	{ "1K", -EINVAL, 0 },
	{ "1.0", -EINVAL, 0 },
	{ "1,2", -EINVAL, 0 },
	/* garbage wins over overflow */
	{ "99999999999999999999x", -EINVAL, 0 },
	{ "18446744073709551616 ", -EINVAL, 0 },
};

/* Overflowing every range, int's and uint64_t's. */
static const struct id_case id_too_big[] = {
	{ "4294967296", -ERANGE, 0 },
	{ "18446744073709551615", -ERANGE, 0 },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "99999999999999999999999999", -ERANGE, 0 },
};

enum id_parser { ID_PID, ID_FD, ID_UID, ID_GID };

static int run_id_parser(enum id_parser which, const char *in, uint64_t *got)
{
	int rc;

	switch (which) {
	case ID_PID: {
		pid_t v = -77;

		rc = parse_pid(in, &v);
		if (rc != 0 && v != -77)
			fail_msg("parse_pid(\"%s\") changed out on failure",
				 in);
		*got = (uint64_t)v;
		return rc;
	}
	case ID_FD: {
		int v = -77;

		rc = parse_fd(in, &v);
		if (rc != 0 && v != -77)
			fail_msg("parse_fd(\"%s\") changed out on failure", in);
		*got = (uint64_t)v;
		return rc;
	}
	case ID_UID: {
		uid_t v = 77777;

		rc = parse_uid(in, &v);
		if (rc != 0 && v != 77777)
			fail_msg("parse_uid(\"%s\") changed out on failure",
				 in);
		*got = v;
		return rc;
	}
	case ID_GID: {
		gid_t v = 77777;

		rc = parse_gid(in, &v);
		if (rc != 0 && v != 77777)
			fail_msg("parse_gid(\"%s\") changed out on failure",
				 in);
		*got = v;
		return rc;
	}
	}
	return -1;
}

static void check_id_cases(enum id_parser which, const char *name,
			   const struct id_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t got = 0;
		int rc = run_id_parser(which, cases[i].in, &got);

		if (rc != cases[i].rc)
			fail_msg("%s(\"%s\") = %d, want %d", name, cases[i].in,
				 rc, cases[i].rc);
		if (rc == 0 && got != cases[i].want)
			fail_msg("%s(\"%s\") gave %llu, want %llu", name,
				 cases[i].in, (unsigned long long)got,
				 (unsigned long long)cases[i].want);
	}
}

static void check_id_parser(enum id_parser which, const char *name,
			    const struct id_case *own, size_t nown)
{
	uint64_t got;

	check_id_cases(which, name, id_bad_forms, UT_ARRAY_SIZE(id_bad_forms));
	check_id_cases(which, name, id_too_big, UT_ARRAY_SIZE(id_too_big));
	check_id_cases(which, name, own, nown);
	assert_int_equal(run_id_parser(which, NULL, &got), -EINVAL);
}

static void test_parse_pid(void **state)
{
	static const struct id_case cases[] = {
		{ "0", -ERANGE, 0 },	/* no process has PID 0 */
		{ "00", -ERANGE, 0 },
		{ "1", 0, 1 },
		{ "007", 0, 7 },
		{ "32768", 0, 32768 },
		{ "4194304", 0, 4194304 },	/* PID_MAX_LIMIT */
		{ "2147483647", 0, INT_MAX },
		{ "2147483648", -ERANGE, 0 },
	};

	(void)state;
	check_id_parser(ID_PID, "parse_pid", cases, UT_ARRAY_SIZE(cases));
}

static void test_parse_fd(void **state)
{
	static const struct id_case cases[] = {
		{ "0", 0, 0 },
		{ "00", 0, 0 },
		{ "1", 0, 1 },
		{ "1048576", 0, 1048576 },
		{ "2147483647", 0, INT_MAX },
		{ "2147483648", -ERANGE, 0 },
	};

	(void)state;
	check_id_parser(ID_FD, "parse_fd", cases, UT_ARRAY_SIZE(cases));
}

static void test_parse_uid(void **state)
{
	static const struct id_case cases[] = {
		{ "0", 0, 0 },
		{ "1000", 0, 1000 },
		{ "65534", 0, 65534 },
		{ "2147483648", 0, UINT64_C(2147483648) },
		{ "4294967294", 0, UINT64_C(4294967294) },
		{ "4294967295", -ERANGE, 0 },	/* (uid_t)-1: no user */
	};

	(void)state;
	check_id_parser(ID_UID, "parse_uid", cases, UT_ARRAY_SIZE(cases));
}

static void test_parse_gid(void **state)
{
	static const struct id_case cases[] = {
		{ "0", 0, 0 },
		{ "65534", 0, 65534 },
		{ "4294967294", 0, UINT64_C(4294967294) },
		{ "4294967295", -ERANGE, 0 },	/* (gid_t)-1: no group */
	};

	(void)state;
	check_id_parser(ID_GID, "parse_gid", cases, UT_ARRAY_SIZE(cases));
}

/* ---- parse_owner_spec (chown's OWNER[:GROUP]) ------------------------ */

static void test_parse_owner_spec(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *user, *group;
		bool login_group;
	} cases[] = {
		{ "root", 0, "root", "", false },
		{ "0", 0, "0", "", false },
		{ "root:wheel", 0, "root", "wheel", false },
		{ "1000:100", 0, "1000", "100", false },
		{ ":staff", 0, "", "staff", false },
		{ ":0", 0, "", "0", false },
		{ "alice:", 0, "alice", "", true },
		/* what a name may hold: anything but ':' and NUL */
		{ "a.b-c_d$", 0, "a.b-c_d$", "", false },
		{ "u ser:g\001", 0, "u ser", "g\001", false },
		{ "", -EINVAL, NULL, NULL, false },
		{ ":", -EINVAL, NULL, NULL, false },
		{ "a:b:c", -EINVAL, NULL, NULL, false },
		{ "a::", -EINVAL, NULL, NULL, false },
		{ "::", -EINVAL, NULL, NULL, false },
		{ ":a:", -EINVAL, NULL, NULL, false },
	};
	char longw[OWNER_WORD_MAX + 2], spec[2 * OWNER_WORD_MAX + 8];
	struct owner_spec o;
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		int rc;

		memset(&o, 0x5a, sizeof(o));
		rc = parse_owner_spec(cases[i].in, &o);
		if (rc != cases[i].rc)
			fail_msg("parse_owner_spec(\"%s\") = %d, want %d",
				 cases[i].in, rc, cases[i].rc);
		if (rc != 0) {
			/* left unchanged on failure */
			assert_int_equal((unsigned char)o.user[0], 0x5a);
			continue;
		}
		assert_string_equal(o.user, cases[i].user);
		assert_string_equal(o.group, cases[i].group);
		assert_int_equal(o.login_group, cases[i].login_group);
	}
	assert_int_equal(parse_owner_spec(NULL, &o), -EINVAL);

	/* OWNER_WORD_MAX bytes fit, one more is -ERANGE, on either side */
	memset(longw, 'u', OWNER_WORD_MAX);
	longw[OWNER_WORD_MAX] = '\0';
	assert_int_equal(parse_owner_spec(longw, &o), 0);
	assert_int_equal(strlen(o.user), OWNER_WORD_MAX);
	snprintf(spec, sizeof(spec), "%s:%s", longw, longw);
	assert_int_equal(parse_owner_spec(spec, &o), 0);
	assert_int_equal(strlen(o.group), OWNER_WORD_MAX);
	longw[OWNER_WORD_MAX] = 'u';
	longw[OWNER_WORD_MAX + 1] = '\0';
	assert_int_equal(parse_owner_spec(longw, &o), -ERANGE);
	snprintf(spec, sizeof(spec), "u:%s", longw);
	assert_int_equal(parse_owner_spec(spec, &o), -ERANGE);
}

/* ---- the digit loops read only the bytes they are given -------------- */

/* A copy of the first len bytes of s in a buffer of exactly len bytes
 * (no NUL after it: ASan sees any read past the end). */
static char *exact(const char *s, size_t len)
{
	char *b = malloc(len ? len : 1);

	assert_non_null(b);
	memcpy(b, s, len);
	return b;
}

static int maps_str(const char *line, struct maps_entry *e)
{
	return parse_maps_line(line, strlen(line), e);
}

static int btime_str(const char *buf, uint64_t *v)
{
	return parse_proc_stat_btime(buf, strlen(buf), v);
}

static int procnum_str(const char *buf, uint64_t *v)
{
	return parse_proc_number(buf, strlen(buf), v);
}

/* /proc/sys numbers: digits and one newline, no unit (parse_size would
 * read "4K" or "1M" as a limit). */
static void test_proc_number(void **state)
{
	uint64_t v = SENT64;

	(void)state;
	assert_int_equal(procnum_str("4096\n", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(procnum_str("18446744073692774399", &v), 0);
	assert_int_equal(v, 18446744073692774399ULL);
	v = SENT64;
	assert_int_equal(procnum_str("4K\n", &v), -EINVAL);
	assert_int_equal(procnum_str("1M", &v), -EINVAL);
	assert_int_equal(procnum_str("", &v), -EINVAL);
	assert_int_equal(procnum_str("\n", &v), -EINVAL);
	assert_int_equal(procnum_str("12\n\n", &v), -EINVAL);
	assert_int_equal(procnum_str("-1", &v), -EINVAL);
	assert_int_equal(procnum_str("18446744073709551616", &v), -ERANGE);
	assert_int_equal(v, SENT64);
}

static void test_cgroup(void **state)
{
	static const struct {
		const char *in, *path, *id;
	} cases[] = {
		{ "0::/user.slice/session-1.scope\n", "/user.slice/session-1.scope", NULL },
		/* v1: systemd's line, not the first */
		{ "12:cpu:/x\n9:name=systemd:/system.slice/docker-"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		  ".scope\n", "/system.slice/docker-"
		  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		  ".scope", "0123456789ab" },
		/* hybrid: the unified line wins */
		{ "9:name=systemd:/a\n0::/kubepods/besteffort/pod1/"
		  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
		  "/kubepods/besteffort/pod1/"
		  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
		  "fedcba987654" },
		{ "3:memory:/\n", "/", NULL },
		/* 65 hex digits are no id; 63 neither */
		{ "0::/x-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\n",
		  "/x-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", NULL },
		{ "0::/x-123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
		  "/x-123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL },
	};
	const char *p;
	size_t i, n;
	char id[13];

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse_cgroup(cases[i].in, strlen(cases[i].in),
					      &p, &n), 0);
		assert_int_equal(n, strlen(cases[i].path));
		assert_memory_equal(p, cases[i].path, n);
		if (cases[i].id) {
			assert_int_equal(cgroup_container_id(p, n, id), 0);
			assert_string_equal(id, cases[i].id);
		} else {
			assert_int_equal(cgroup_container_id(p, n, id), -ENOENT);
		}
	}
	assert_int_equal(parse_cgroup("garbage", 7, &p, &n), -EINVAL);
	assert_int_equal(parse_cgroup("", 0, &p, &n), -EINVAL);
}

static void test_digits_length_bounded(void **state)
{
	static const char line[] = "00400000-00452000 r-xp 00000000 08:02 "
				   "173521";
	static const char stat[] = "cpu 0\nbtime 1700000000";
	struct maps_entry e;
	uint64_t v = SENT64;
	char *b;
	size_t n;

	(void)state;
	/* The inode ends where the line does, even before more digits. */
	for (n = sizeof(line) - 4; n < sizeof(line); n++) {
		b = exact(line, n);
		assert_int_equal(parse_maps_line(b, n, &e), 0);
		assert_int_equal(e.ino, n == sizeof(line) - 4 ? 173
					: n == sizeof(line) - 3 ? 1735
					: n == sizeof(line) - 2 ? 17352
								: 173521);
		assert_int_equal(e.pathlen, 0);
		free(b);
	}
	/* No digit of the inode left: refused. */
	n = sizeof(line) - 7;
	b = exact(line, n);
	assert_int_equal(parse_maps_line(b, n, &e), -EINVAL);
	free(b);

	/* btime: the digits up to len. */
	n = sizeof(stat) - 1 - 8;	/* "btime 17" */
	b = exact(stat, n);
	assert_int_equal(parse_proc_stat_btime(b, n, &v), 0);
	assert_int_equal(v, 17);
	free(b);
	n = sizeof(stat) - 1;
	b = exact(stat, n);
	assert_int_equal(parse_proc_stat_btime(b, n, &v), 0);
	assert_int_equal(v, 1700000000);
	free(b);
	/* btime: garbage, then overflow (garbage wins), then nothing. */
	v = SENT64;
	assert_int_equal(btime_str("btime 12x", &v), -EINVAL);
	assert_int_equal(btime_str("btime 99999999999999999999x", &v), -EINVAL);
	assert_int_equal(btime_str("btime 99999999999999999999", &v), -ERANGE);
	assert_int_equal(btime_str("btime 18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	v = SENT64;
	assert_int_equal(btime_str("btime -1", &v), -EINVAL);
	assert_int_equal(btime_str("btime +1", &v), -EINVAL);
	assert_int_equal(btime_str("btime  1", &v), -EINVAL);
	assert_true(v == SENT64);
}

/* The one hex loop: 1..16 digits for addresses, exactly 8 for SysV names. */
static void test_hex_digits(void **state)
{
	struct maps_entry e;
	struct target t;
	int32_t key = 0;

	(void)state;
	assert_int_equal(maps_str("0000000000001000-ffffffffffffffff "
					 "rw-s 00000000 00:01 1", &e), 0);
	assert_true(e.start == 0x1000 && e.end == UINT64_MAX);
	assert_int_equal(maps_str("00000000000001000-0000000000002000 "
					 "rw-s 00000000 00:01 1", &e),
			 -EINVAL);
	assert_int_equal(maps_str("-2000 rw-s 00000000 00:01 1", &e), -EINVAL);
	assert_int_equal(maps_str("1000-2g00 rw-s 00000000 00:01 1", &e),
			 -EINVAL);

	assert_int_equal(parse_target("anon:1:0000000000001000-fffffffffffffff"
				      "f", TARGET_ANY, &t, NULL), 0);
	assert_true(t.start == 0x1000 && t.end == UINT64_MAX && t.fd == -1);
	assert_int_equal(parse_target("anon:1:00000000000001000-2000",
				      TARGET_ANY, &t, NULL), -EINVAL);
	assert_int_equal(parse_target("anon:1:1000-00000000000002000",
				      TARGET_ANY, &t, NULL), -EINVAL);
	assert_int_equal(parse_target("anon:1:-2000", TARGET_ANY, &t, NULL),
			 -EINVAL);
	assert_int_equal(parse_target("anon:1:1000-", TARGET_ANY, &t, NULL),
			 -EINVAL);
	assert_int_equal(parse_target("anon:1:+1000-2000", TARGET_ANY, &t,
				      NULL), -EINVAL);
	/* PID and FD through parse_pid / parse_fd. */
	assert_int_equal(parse_target("memfd:0:3", TARGET_ANY, &t, NULL),
			 -EINVAL);
	assert_int_equal(parse_target("memfd:2147483647:0", TARGET_ANY, &t,
				      NULL), 0);
	assert_true(t.pid == INT_MAX && t.fd == 0);
	assert_int_equal(parse_target("memfd:2147483648:0", TARGET_ANY, &t,
				      NULL), -EINVAL);
	assert_int_equal(parse_target("memfd:1:2147483648", TARGET_ANY, &t,
				      NULL), -EINVAL);
	assert_int_equal(parse_target("memfd:1:+3", TARGET_ANY, &t, NULL),
			 -EINVAL);
	assert_int_equal(parse_target("memfd:+1:3", TARGET_ANY, &t, NULL),
			 -EINVAL);

	assert_true(parse_sysv_map_name("/SYSVffffffff", 13, &key));
	assert_int_equal(key, -1);
	assert_true(parse_sysv_map_name("/SYSV0000aBcD", 13, &key));
	assert_int_equal(key, 0xabcd);
	assert_false(parse_sysv_map_name("/SYSV0000123g", 13, &key));
	assert_false(parse_sysv_map_name("/SYSV-0001234", 13, &key));
	assert_false(parse_sysv_map_name("/SYSV000012345", 14, &key));
	assert_false(parse_sysv_map_name("/SYSV0000123", 12, &key));
}

/* ---- parse_posix_name ---------------------------------------------- */

static void test_parse_posix_name(void **state)
{
	static const struct {
		const char *in;
		bool require_slash;
		int rc;
		const char *want;
	} cases[] = {
		{ "/foo", true, 0, "foo" },
		{ "/foo", false, 0, "foo" },
		{ "foo", false, 0, "foo" },
		{ "/...", true, 0, "..." },
		{ "/.x", true, 0, ".x" },
		{ "/sem", true, 0, "sem" },
		{ "/semx", true, 0, "semx" },
		{ "/x.sem.y", true, 0, "x.sem.y" },
		{ "/a b\n", true, 0, "a b\n" },
		{ "foo", true, -EINVAL, NULL },
		{ "/", true, -EINVAL, NULL },
		{ "/", false, -EINVAL, NULL },
		{ "", false, -EINVAL, NULL },
		{ "", true, -EINVAL, NULL },
		{ "//x", true, -EINVAL, NULL },
		{ "/a/b", true, -EINVAL, NULL },
		{ "/a/", true, -EINVAL, NULL },
		{ "a/b", false, -EINVAL, NULL },
		{ "/.", true, -EINVAL, NULL },
		{ "/..", true, -EINVAL, NULL },
		{ ".", false, -EINVAL, NULL },
		{ "/sem.x", true, -EINVAL, NULL },
		{ "/sem.", true, -EINVAL, NULL },
		{ "sem.x", false, -EINVAL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char out[NAME_MAX + 1];
		int rc;

		strcpy(out, "untouched");
		rc = parse_posix_name(cases[i].in, cases[i].require_slash,
				      out);
		if (rc != cases[i].rc)
			fail_msg("parse_posix_name(\"%s\", %d) = %d, want %d",
				 cases[i].in, cases[i].require_slash, rc,
				 cases[i].rc);
		if (rc == 0)
			assert_string_equal(out, cases[i].want);
		else
			assert_string_equal(out, "untouched");
	}
}

static void test_parse_posix_name_length(void **state)
{
	char in[NAME_MAX + 3], out[NAME_MAX + 1];

	(void)state;
	/* "/" + 255 bytes: the longest name. */
	in[0] = '/';
	memset(in + 1, 'n', NAME_MAX);
	in[NAME_MAX + 1] = '\0';
	assert_int_equal(parse_posix_name(in, true, out), 0);
	assert_int_equal(strlen(out), NAME_MAX);
	assert_memory_equal(out, in + 1, NAME_MAX + 1);
	/* Without the slash too. */
	assert_int_equal(parse_posix_name(in + 1, false, out), 0);
	assert_int_equal(strlen(out), NAME_MAX);

	/* 256 bytes: too long. */
	in[NAME_MAX + 1] = 'n';
	in[NAME_MAX + 2] = '\0';
	strcpy(out, "untouched");
	assert_int_equal(parse_posix_name(in, true, out), -ERANGE);
	assert_string_equal(out, "untouched");
	assert_int_equal(parse_posix_name(in + 1, false, out), -ERANGE);
	assert_int_equal(parse_posix_name(NULL, false, out), -EINVAL);
}

/* sem:/NAME: NAME may be 251 bytes, its file "sem.NAME" 255. */
static void test_parse_sem_name_length(void **state)
{
	char in[5 + NAME_MAX + 2];
	const char *why = NULL;
	struct target t;

	(void)state;
	memcpy(in, "sem:/", 5);
	memset(in + 5, 's', NAME_MAX - 4);
	in[5 + NAME_MAX - 4] = '\0';
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), 0);
	assert_true(t.sem);
	assert_int_equal(strlen(t.name), NAME_MAX);
	assert_memory_equal(t.name, "sem.sss", 7);
	in[5 + NAME_MAX - 4] = 's';
	in[5 + NAME_MAX - 3] = '\0';
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), -ERANGE);
	assert_non_null(why);
	assert_non_null(strstr(why, "251"));
	/* a POSIX segment's name is never a semaphore's */
	assert_int_equal(parse_target("/x", TARGET_ANY, &t, &why), 0);
	assert_false(t.sem);
}

/* ---- parse_target / target_format ---------------------------------- */


struct target_case {
	const char *in;
	enum target_force force;
	int rc;
	enum target_kind kind;
	long long val;		/* shmid or key */
	const char *name;
	const char *fmt;	/* target_format of the result */
};

static const char *force_name(enum target_force f)
{
	return f == TARGET_ANY ? "ANY"
	       : f == TARGET_FORCE_POSIX ? "POSIX" : "SYSV";
}

static void test_parse_target(void **state)
{
	static const struct target_case cases[] = {
		/* /name */
		{ "/x", TARGET_ANY, 0, TARGET_POSIX, 0, "x", "/x" },
		{ "/x", TARGET_FORCE_POSIX, 0, TARGET_POSIX, 0, "x", "/x" },
		{ "/x", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		/* decimal: a shmid, unless --posix */
		{ "123", TARGET_ANY, 0, TARGET_SYSV_ID, 123, NULL, "123" },
		{ "123", TARGET_FORCE_SYSV, 0, TARGET_SYSV_ID, 123, NULL,
		  "123" },
		{ "123", TARGET_FORCE_POSIX, 0, TARGET_POSIX, 0, "123",
		  "/123" },
		{ "0", TARGET_ANY, 0, TARGET_SYSV_ID, 0, NULL, "0" },
		{ "2147483648", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		/* 0x: a key, unless --posix */
		{ "0x10", TARGET_ANY, 0, TARGET_SYSV_KEY, 0x10, NULL,
		  "0x00000010" },
		{ "0x10", TARGET_FORCE_SYSV, 0, TARGET_SYSV_KEY, 0x10, NULL,
		  "0x00000010" },
		{ "0x10", TARGET_FORCE_POSIX, 0, TARGET_POSIX, 0, "0x10",
		  "/0x10" },
		{ "0XfFfFfFfF", TARGET_ANY, 0, TARGET_SYSV_KEY, -1, NULL,
		  "0xffffffff" },
		{ "0x1ffffffff", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		{ "0xzz", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* id: */
		{ "id:5", TARGET_ANY, 0, TARGET_SYSV_ID, 5, NULL, "5" },
		{ "id:5", TARGET_FORCE_SYSV, 0, TARGET_SYSV_ID, 5, NULL, "5" },
		{ "id:5", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		{ "id:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "id:-1", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "id:0x5", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "id:2147483648", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		/* key: */
		{ "key:0x10", TARGET_ANY, 0, TARGET_SYSV_KEY, 0x10, NULL,
		  "0x00000010" },
		{ "key:0x10", TARGET_FORCE_SYSV, 0, TARGET_SYSV_KEY, 0x10,
		  NULL, "0x00000010" },
		{ "key:0x10", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		{ "key:-5", TARGET_ANY, 0, TARGET_SYSV_KEY, -5, NULL,
		  "0xfffffffb" },
		{ "key:16", TARGET_ANY, 0, TARGET_SYSV_KEY, 16, NULL,
		  "0x00000010" },
		{ "key:4294967295", TARGET_ANY, 0, TARGET_SYSV_KEY, -1, NULL,
		  "0xffffffff" },
		{ "key:4294967296", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		{ "key:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "key:x", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* key 0 is IPC_PRIVATE */
		{ "0x0", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "0x00000000", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		{ "key:0", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "key:0x0", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		{ "key:-0", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* a bare word: only with --posix */
		{ "foo", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "foo", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		{ "foo", TARGET_FORCE_POSIX, 0, TARGET_POSIX, 0, "foo",
		  "/foo" },
		{ "-5", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "12a", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "a/b", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		/* POSIX name rules apply */
		{ "/", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "//x", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "/a/b", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "/.", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "/..", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		{ "/sem.x", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "sem.x", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		/* sem:/NAME: a POSIX named semaphore, the file sem.NAME */
		{ "sem:/x", TARGET_ANY, 0, TARGET_POSIX, 0, "sem.x",
		  "sem:/x" },
		{ "sem:x", TARGET_ANY, 0, TARGET_POSIX, 0, "sem.x",
		  "sem:/x" },
		{ "sem:/x", TARGET_FORCE_POSIX, 0, TARGET_POSIX, 0, "sem.x",
		  "sem:/x" },
		{ "sem:/x", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		{ "sem:/sem.x", TARGET_ANY, 0, TARGET_POSIX, 0, "sem.sem.x",
		  "sem:/sem.x" },
		{ "sem:/", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "sem:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "sem:/a/b", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "sem://a", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* posix: a POSIX segment through a holder (deleted or not):
		 * a POSIX target, so --posix takes it and --sysv refuses */
		{ "posix:12:3", TARGET_ANY, 0, TARGET_PROC, 0, NULL,
		  "posix:12:3" },
		{ "posix:12:3", TARGET_FORCE_POSIX, 0, TARGET_PROC, 0, NULL,
		  "posix:12:3" },
		{ "posix:12:3", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:12:7f00aa000000-7f00aa002000", TARGET_ANY, 0,
		  TARGET_PROC, 0, NULL, "posix:12:7f00aa000000-7f00aa002000" },
		{ "posix:12:0001000-2000", TARGET_ANY, 0, TARGET_PROC, 0, NULL,
		  "posix:12:1000-2000" },
		{ "posix:12:2000-1000", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:0:3", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:12", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:12:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix::3", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "posix:1:-3", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* memfd: and anon: stay neither kind */
		{ "memfd:12:3", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		{ "anon:12:1000-2000", TARGET_ANY, 0, TARGET_PROC, 0, NULL,
		  "anon:12:1000-2000" },
		/* ftok:PATH[:PROJ]: a SysV key, PROJ 1..255, default 1 */
		{ "ftok:/tmp", TARGET_ANY, 0, TARGET_FTOK, 1, "/tmp",
		  "ftok:/tmp:1" },
		{ "ftok:/tmp:7", TARGET_FORCE_SYSV, 0, TARGET_FTOK, 7, "/tmp",
		  "ftok:/tmp:7" },
		{ "ftok:/tmp:0xff", TARGET_ANY, 0, TARGET_FTOK, 255, "/tmp",
		  "ftok:/tmp:255" },
		{ "ftok:rel/x:255", TARGET_ANY, 0, TARGET_FTOK, 255, "rel/x",
		  "ftok:rel/x:255" },
		{ "ftok:/a:b:3", TARGET_ANY, 0, TARGET_FTOK, 3, "/a:b",
		  "ftok:/a:b:3" },
		{ "ftok:/tmp:7", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL,
		  NULL },
		{ "ftok:/tmp:0", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		{ "ftok:/tmp:256", TARGET_ANY, -ERANGE, 0, 0, NULL, NULL },
		{ "ftok:/tmp:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "ftok:/a:b", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "ftok::3", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "ftok:", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		/* empty */
		{ "", TARGET_ANY, -EINVAL, 0, 0, NULL, NULL },
		{ "", TARGET_FORCE_POSIX, -EINVAL, 0, 0, NULL, NULL },
		{ "", TARGET_FORCE_SYSV, -EINVAL, 0, 0, NULL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		const struct target_case *c = &cases[i];
		struct target t, sentinel;
		const char *why = (const char *)&why;	/* not NULL */
		char buf[NAME_MAX + 8];
		int rc;

		memset(&t, 0xa5, sizeof(t));
		sentinel = t;
		rc = parse_target(c->in, c->force, &t, &why);
		if (rc != c->rc)
			fail_msg("parse_target(\"%s\", %s) = %d, want %d "
				 "(why: %s)",
				 c->in, force_name(c->force), rc, c->rc,
				 rc && why ? why : "-");
		if (rc != 0) {
			if (!why || !*why)
				fail_msg("parse_target(\"%s\", %s): no reason",
					 c->in, force_name(c->force));
			if (memcmp(&t, &sentinel, sizeof(t)) != 0)
				fail_msg("parse_target(\"%s\") changed *t on "
					 "failure", c->in);
			continue;
		}
		assert_null(why);
		if (t.kind != c->kind)
			fail_msg("parse_target(\"%s\", %s): kind %d, want %d",
				 c->in, force_name(c->force), t.kind, c->kind);
		if (t.kind == TARGET_SYSV_ID) {
			assert_int_equal(t.shmid, c->val);
		} else if (t.kind == TARGET_SYSV_KEY) {
			assert_int_equal(t.key, (int32_t)c->val);
		} else if (t.kind == TARGET_FTOK) {
			assert_string_equal(t.path, c->name);
			assert_int_equal(t.proj, c->val);
		} else if (t.kind == TARGET_POSIX) {
			assert_string_equal(t.name, c->name);
		}
		target_format(&t, buf, sizeof(buf));
		assert_string_equal(buf, c->fmt);
	}
}

/* posix:, memfd:, anon: fill the holder; the kind says which. */
static void test_parse_target_holders(void **state)
{
	struct target t;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse_target("posix:77:5", TARGET_ANY, &t, &why), 0);
	assert_int_equal(t.kind, TARGET_PROC);
	assert_int_equal(t.via, SEG_POSIX);
	assert_int_equal(t.pid, 77);
	assert_int_equal(t.fd, 5);
	assert_int_equal(parse_target("posix:77:a000-c000", TARGET_FORCE_POSIX,
				      &t, &why), 0);
	assert_int_equal(t.via, SEG_POSIX);
	assert_int_equal(t.fd, -1);
	assert_true(t.start == 0xa000 && t.end == 0xc000);
	assert_int_equal(parse_target("memfd:77:5", TARGET_ANY, &t, &why), 0);
	assert_int_equal(t.via, SEG_MEMFD);
	assert_int_equal(parse_target("anon:77:a000-c000", TARGET_ANY, &t,
				      &why), 0);
	assert_int_equal(t.via, SEG_ANON);
	/* anon memory has no fd */
	assert_int_equal(parse_target("anon:77:5", TARGET_ANY, &t, &why),
			 -EINVAL);
	assert_int_equal(parse_target("posix:77:x", TARGET_ANY, &t, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "posix:PID:FD"));
	assert_int_equal(parse_target("ftok:/a:b", TARGET_ANY, &t, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "ftok:PATH"));
	assert_int_equal(parse_target("ftok:/x:1", TARGET_FORCE_POSIX, &t,
				      &why), -EINVAL);
	assert_non_null(strstr(why, "conflict"));
	assert_int_equal(parse_target("nope", TARGET_FORCE_SYSV, &t, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "ftok:"));
}

/* The longest ftok path there is formats within TARGET_STR_MAX and
 * comes back the same; one byte more is too long. */
static void test_parse_target_ftok_longest(void **state)
{
	static char in[PATH_MAX + 16], buf[TARGET_STR_MAX];
	struct target t, u;
	const char *why = NULL;

	(void)state;
	memcpy(in, "ftok:/", 6);
	memset(in + 6, 'p', PATH_MAX - 2);	/* the path: PATH_MAX - 1 */
	strcpy(in + 6 + PATH_MAX - 2, ":255");
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), 0);
	assert_int_equal(strlen(t.path), PATH_MAX - 1);
	target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, in);
	assert_int_equal(parse_target(buf, TARGET_ANY, &u, &why), 0);
	assert_string_equal(u.path, t.path);
	assert_int_equal(u.proj, 255);
	memset(in + 6, 'p', PATH_MAX - 1);
	strcpy(in + 6 + PATH_MAX - 1, ":255");
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), -ERANGE);
	assert_non_null(strstr(why, "too long"));
}

static void test_parse_target_why(void **state)
{
	struct target t;
	const char *why = NULL;

	(void)state;
	/* The reasons say what is wrong. */
	assert_int_equal(parse_target("0x0", TARGET_ANY, &t, &why), -EINVAL);
	assert_non_null(strstr(why, "IPC_PRIVATE"));
	assert_int_equal(parse_target("/sem.x", TARGET_ANY, &t, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "sem."));
	assert_int_equal(parse_target("/x", TARGET_FORCE_SYSV, &t, &why),
			 -EINVAL);
	assert_non_null(strstr(why, "conflict"));
	assert_int_equal(parse_target("foo", TARGET_ANY, &t, &why), -EINVAL);
	assert_non_null(strstr(why, "--posix"));
	/* why may be NULL. */
	assert_int_equal(parse_target("foo", TARGET_ANY, &t, NULL), -EINVAL);
	assert_int_equal(parse_target(NULL, TARGET_ANY, &t, NULL), -EINVAL);
	assert_int_equal(parse_target("/ok", TARGET_ANY, &t, NULL), 0);
	assert_string_equal(t.name, "ok");
}

static void test_parse_target_longest_name(void **state)
{
	char in[NAME_MAX + 3], buf[NAME_MAX + 2];
	struct target t, t2;
	const char *why;

	(void)state;
	in[0] = '/';
	memset(in + 1, 'z', NAME_MAX);
	in[NAME_MAX + 1] = '\0';
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), 0);
	target_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, in);
	assert_int_equal(parse_target(buf, TARGET_ANY, &t2, &why), 0);
	assert_string_equal(t2.name, t.name);

	in[NAME_MAX + 1] = 'z';
	in[NAME_MAX + 2] = '\0';
	assert_int_equal(parse_target(in, TARGET_ANY, &t, &why), -ERANGE);
	assert_non_null(why);
}

/* target_format's output parses back to the same target. */
/* \xHH in a POSIX TARGET is the byte HH (how names are printed); the
 * word as written stays a second reading when it is a valid name too. */
static void test_target_escapes(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *name;	/* the name the escapes spell */
		const char *literal;	/* NULL: no second reading */
	} cases[] = {
		{ "/caf\\xc3\\xa9", 0, "caf\xc3\xa9", "caf\\xc3\\xa9" },
		{ "/A\\x5cB", 0, "A\\B", "A\\x5cB" },
		{ "/a\\x09\\x0ab", 0, "a\t\nb", "a\\x09\\x0ab" },
		{ "/bad\\xFF", 0, "bad\xff", "bad\\xFF" },
		/* not escapes: as written */
		{ "/a\\b", 0, "a\\b", NULL },
		{ "/a\\x4", 0, "a\\x4", NULL },
		{ "/a\\xg1", 0, "a\\xg1", NULL },
		/* a slash or NUL spelled: only the word as written */
		{ "/a\\x2fb", 0, "a\\x2fb", NULL },
		{ "/a\\x00b", 0, "a\\x00b", NULL },
		/* too long as written, 255 bytes when unescaped */
		{ NULL, 0, NULL, NULL },
	};
	char longw[2 + 4 * 255 + 1];
	struct target t;
	size_t i;

	(void)state;
	for (i = 0; cases[i].in; i++) {
		memset(&t, 0, sizeof(t));
		assert_int_equal(parse_target(cases[i].in, TARGET_ANY, &t, NULL),
				 cases[i].rc);
		assert_int_equal(t.kind, TARGET_POSIX);
		assert_string_equal(t.name, cases[i].name);
		assert_int_equal(t.has_literal, cases[i].literal != NULL);
		if (cases[i].literal)
			assert_string_equal(t.literal, cases[i].literal);
	}
	longw[0] = '/';
	for (i = 0; i < 255; i++)
		memcpy(longw + 1 + 4 * i, "\\x41", 4);
	longw[1 + 4 * 255] = '\0';
	assert_int_equal(parse_target(longw, TARGET_ANY, &t, NULL), 0);
	assert_int_equal(strlen(t.name), 255);
	assert_false(t.has_literal);
	memcpy(longw + 1 + 4 * 254, "\\x41A", 6);	/* 256 bytes */
	assert_int_equal(parse_target(longw, TARGET_ANY, &t, NULL), -ERANGE);
	/* --posix: a bare word, the same rules */
	assert_int_equal(parse_target("x\\x20y", TARGET_FORCE_POSIX, &t, NULL), 0);
	assert_string_equal(t.name, "x y");
}

static void test_target_format_roundtrip(void **state)
{
	static const char *const ins[] = {
		"/x", "123", "0x10", "id:7", "key:-1", "key:305419896",
		"0", "2147483647", "/a.b-c_d",
		"/caf\\xc3\\xa9", "/back\\x5cslash", "/sp\\x20ace",
		"posix:9:4", "posix:9:1000-3000", "ftok:/tmp", "ftok:/x:y:0x7",
		"memfd:3:1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(ins); i++) {
		struct target a, b;
		char buf[NAME_MAX + 8], buf2[NAME_MAX + 8];

		assert_int_equal(parse_target(ins[i], TARGET_ANY, &a, NULL), 0);
		target_format(&a, buf, sizeof(buf));
		assert_int_equal(parse_target(buf, TARGET_ANY, &b, NULL), 0);
		assert_int_equal(a.kind, b.kind);
		target_format(&b, buf2, sizeof(buf2));
		assert_string_equal(buf, buf2);
	}
	/* A small buffer is truncated, NUL-terminated. */
	{
		struct target t;
		char small[4];

		assert_int_equal(parse_target("0x10", TARGET_ANY, &t, NULL),
				 0);
		target_format(&t, small, sizeof(small));
		assert_string_equal(small, "0x0");
	}
}

/* ---- parse_ftok_spec ----------------------------------------------- */

static void test_parse_ftok_spec(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *path;
		int proj;
	} cases[] = {
		{ "/tmp", 0, "/tmp", 1 },
		{ "/tmp:7", 0, "/tmp", 7 },
		{ "/tmp:1", 0, "/tmp", 1 },
		{ "/tmp:255", 0, "/tmp", 255 },
		{ "/tmp:0x41", 0, "/tmp", 0x41 },
		{ "/tmp:0XfF", 0, "/tmp", 255 },
		{ "/a:b:3", 0, "/a:b", 3 },
		{ "rel/path:2", 0, "rel/path", 2 },
		{ ":3", -EINVAL, NULL, 0 },
		{ "/tmp:0", -ERANGE, NULL, 0 },
		{ "/tmp:0x0", -ERANGE, NULL, 0 },
		{ "/tmp:256", -ERANGE, NULL, 0 },
		{ "/tmp:0x100", -ERANGE, NULL, 0 },
		{ "/tmp:99999999999999999999", -ERANGE, NULL, 0 },
		{ "/tmp:", -EINVAL, NULL, 0 },
		{ "/tmp:x", -EINVAL, NULL, 0 },
		{ "/tmp:0x", -EINVAL, NULL, 0 },
		{ "/tmp:0xg", -EINVAL, NULL, 0 },
		{ "/tmp:-1", -EINVAL, NULL, 0 },
		{ "/tmp:1 ", -EINVAL, NULL, 0 },
		{ "/a:b", -EINVAL, NULL, 0 },
		{ "", -EINVAL, NULL, 0 },
		{ ":", -EINVAL, NULL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char path[64];
		int proj = -9, rc;

		strcpy(path, "untouched");
		rc = parse_ftok_spec(cases[i].in, path, sizeof(path), &proj);
		if (rc != cases[i].rc)
			fail_msg("parse_ftok_spec(\"%s\") = %d, want %d",
				 cases[i].in, rc, cases[i].rc);
		if (rc == 0) {
			assert_string_equal(path, cases[i].path);
			assert_int_equal(proj, cases[i].proj);
		} else {
			assert_string_equal(path, "untouched");
			assert_int_equal(proj, -9);
		}
	}
	assert_int_equal(parse_ftok_spec(NULL, (char[8]){ 0 }, 8, &(int){ 0 }),
			 -EINVAL);
}

static void test_parse_ftok_spec_buffer(void **state)
{
	/* A 5-byte buffer holds "/tmp" and its NUL, not one byte more. */
	char path[5 + 8];
	int proj = 0;

	(void)state;
	memset(path, '#', sizeof(path));
	assert_int_equal(parse_ftok_spec("/tmp:9", path, 5, &proj), 0);
	assert_string_equal(path, "/tmp");
	assert_int_equal(proj, 9);
	assert_int_equal(path[5], '#');

	memset(path, '#', sizeof(path));
	proj = 0;
	assert_int_equal(parse_ftok_spec("/tmpx", path, 5, &proj), -ERANGE);
	assert_int_equal(parse_ftok_spec("/tmpx:2", path, 5, &proj), -ERANGE);
	assert_int_equal(path[0], '#');
	assert_int_equal(path[5], '#');
	assert_int_equal(proj, 0);
}

/* ---- parse_sysvipc_line -------------------------------------------- */

/* As the kernel prints it: ipc/shm.c sysvipc_shm_proc_show(). */
#define SYSVIPC_HEADER                                                      \
	"       key      shmid perms                  size  cpid  lpid "    \
	"nattch   uid   gid  cuid  cgid      atime      dtime      ctime "  \
	"                  rss                  swap\n"

/* Captured from a live /proc/sysvipc/shm after `ipcmk -M 100`. */
#define LIVE_LINE                                                           \
	" 215256484          1   644                   100  5123     0 "    \
	"     0     0     0     0     0          0          0 1795365340 "  \
	"                    0                     0\n"

static void sysvipc_line(char *buf, size_t len, long key, int shmid,
			 unsigned int perms, bool rss)
{
	int n = snprintf(buf, len,
			 "%10ld %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u "
			 "%10llu %10llu %10llu",
			 key, shmid, perms, 4096UL, 1234U, 5678U, 2UL, 1000U,
			 1001U, 1002U, 1003U, 1700000001ULL, 1700000002ULL,
			 1700000003ULL);

	assert_true(n > 0 && (size_t)n < len);
	if (rss)
		n += snprintf(buf + n, len - (size_t)n, " %21lu %21lu",
			      8192UL, 12288UL);
	assert_true((size_t)n + 1 < len);
	strcat(buf, "\n");
}

static void test_sysvipc_live_line(void **state)
{
	struct segment s;

	(void)state;
	assert_int_equal(parse_sysvipc_line(LIVE_LINE, strlen(LIVE_LINE), &s),
			 0);
	assert_int_equal(s.kind, SEG_SYSV);
	assert_int_equal(s.key, 215256484);
	assert_int_equal(s.shmid, 1);
	assert_int_equal(s.mode, 0644);
	assert_int_equal(s.status, 0);
	assert_int_equal(s.size, 100);
	assert_int_equal(s.cpid, 5123);
	assert_int_equal(s.lpid, 0);
	assert_int_equal(s.nattch, 0);
	assert_int_equal(s.atime, 0);
	assert_int_equal(s.ctime, 1795365340);
	assert_true(s.has_rss);
	assert_true(s.has_swap);
	assert_int_equal(s.rss, 0);
}

static void test_sysvipc_full_line(void **state)
{
	char line[256];
	struct segment s;

	(void)state;
	sysvipc_line(line, sizeof(line), -563392222, 32769, 0600, true);
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(parse_sysvipc_line(line, strlen(line), &s), 0);
	assert_int_equal(s.kind, SEG_SYSV);
	assert_int_equal(s.key, (int32_t)-563392222);
	assert_int_equal(s.shmid, 32769);
	assert_int_equal(s.mode, 0600);
	assert_int_equal(s.status, 0);
	assert_int_equal(s.size, 4096);
	assert_int_equal(s.cpid, 1234);
	assert_int_equal(s.lpid, 5678);
	assert_int_equal(s.nattch, 2);
	assert_int_equal(s.uid, 1000);
	assert_int_equal(s.gid, 1001);
	assert_int_equal(s.cuid, 1002);
	assert_int_equal(s.cgid, 1003);
	assert_int_equal(s.atime, 1700000001);
	assert_int_equal(s.dtime, 1700000002);
	assert_int_equal(s.ctime, 1700000003);
	assert_true(s.has_rss);
	assert_true(s.has_swap);
	assert_int_equal(s.rss, 8192);
	assert_int_equal(s.swap, 12288);
	/* Fields the SysV record does not use are cleared. */
	assert_int_equal(seg_name(&s)[0], '\0');
	assert_int_equal(s.mtime, 0);

	/* Without the trailing newline too. */
	line[strlen(line) - 1] = '\0';
	assert_int_equal(parse_sysvipc_line(line, strlen(line), &s), 0);
	assert_int_equal(s.swap, 12288);
}

static void test_sysvipc_old_kernel(void **state)
{
	char line[256];
	struct segment s;

	(void)state;
	sysvipc_line(line, sizeof(line), 4660, 7, 0644, false);
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(parse_sysvipc_line(line, strlen(line), &s), 0);
	assert_int_equal(s.key, 4660);
	assert_int_equal(s.shmid, 7);
	assert_int_equal(s.ctime, 1700000003);
	assert_false(s.has_rss);
	assert_false(s.has_swap);
	assert_int_equal(s.rss, 0);
	assert_int_equal(s.swap, 0);
}

static void test_sysvipc_keys(void **state)
{
	static const struct {
		long key;
		int rc;
		int32_t want;
	} cases[] = {
		{ 0, 0, 0 },
		{ -1, 0, -1 },
		{ -563392222, 0, -563392222 },
		{ -2147483648L, 0, INT32_MIN },
		{ 2147483647L, 0, INT32_MAX },
		{ 4294967295L, 0, -1 },	/* an unsigned print */
		{ 4294967296L, -EINVAL, 0 },
		{ -2147483649L, -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char line[256];
		struct segment s;
		int rc;

		sysvipc_line(line, sizeof(line), cases[i].key, 1, 0600, true);
		s.key = 77;
		rc = parse_sysvipc_line(line, strlen(line), &s);
		if (rc != cases[i].rc)
			fail_msg("key %ld: rc %d, want %d", cases[i].key, rc,
				 cases[i].rc);
		if (rc == 0)
			assert_int_equal(s.key, cases[i].want);
		else
			assert_int_equal(s.key, 77);
	}
}

static void test_sysvipc_perms(void **state)
{
	static const struct {
		unsigned int perms;
		unsigned int mode, status;
	} cases[] = {
		{ 0600, 0600, 0 },
		{ 01600, 0600, SEG_ST_DEST },
		{ 02600, 0600, SEG_ST_LOCKED },
		{ 03666, 0666, SEG_ST_DEST | SEG_ST_LOCKED },
		{ 0, 0, 0 },
		{ 0777, 0777, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(cases); i++) {
		char line[256];
		struct segment s;

		sysvipc_line(line, sizeof(line), 99, 3, cases[i].perms, true);
		assert_int_equal(parse_sysvipc_line(line, strlen(line), &s), 0);
		if (s.mode != cases[i].mode || s.status != cases[i].status)
			fail_msg("perms %o: mode %o status %#x, want %o %#x",
				 cases[i].perms, s.mode, s.status,
				 cases[i].mode, cases[i].status);
	}
}

static void test_sysvipc_rejects(void **state)
{
	static const char *const bad[] = {
		SYSVIPC_HEADER,
		"",
		"\n",
		"   \t  \n",
		/* truncated after each field */
		"1",
		"1 2",
		"1 2 600",
		"1 2 600 4096",
		"1 2 600 4096 10",
		"1 2 600 4096 10 11",
		"1 2 600 4096 10 11 0",
		"1 2 600 4096 10 11 0 1000",
		"1 2 600 4096 10 11 0 1000 1000",
		"1 2 600 4096 10 11 0 1000 1000 1000",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6",
		/* 15 columns: rss without swap */
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8",
		/* 17 columns */
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8 9 10",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8 9 x",
		/* garbage fields */
		"x 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 x 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 -2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2147483648 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 680 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 6x0 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 -600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 600 4k 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 600 -4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 600 99999999999999999999 10 11 0 1000 1000 1000 1000 "
		"5 6 7",
		"1 2 600 4096 2147483648 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 600 4096 10 11 0 4294967296 1000 1000 1000 5 6 7",
		"1 2 600 4096 10 11 0 1000 1000 1000 4294967296 5 6 7",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7x",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8x 9",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8 -9",
		"1,2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"--1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(bad); i++) {
		struct segment s;
		int rc;

		memset(&s, 0xa5, sizeof(s));
		rc = parse_sysvipc_line(bad[i], strlen(bad[i]), &s);
		if (rc != -EINVAL)
			fail_msg("parse_sysvipc_line(\"%s\") = %d, want "
				 "-EINVAL", bad[i], rc);
		assert_int_equal(s.shmid, (int)0xa5a5a5a5);
	}
	assert_int_equal(parse_sysvipc_line(NULL, 10, &(struct segment){ 0 }),
			 -EINVAL);
}

static void test_sysvipc_blanks(void **state)
{
	static const char *const good[] = {
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7\n",
		"1\t2\t600\t4096\t10\t11\t0\t1000\t1000\t1000\t1000\t5\t6\t7",
		"   1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7   ",
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7 8 9  \n",
		/* everything after the newline is not this line */
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7\nxx yy",
	};
	size_t i;

	(void)state;
	for (i = 0; i < UT_ARRAY_SIZE(good); i++) {
		struct segment s;

		if (parse_sysvipc_line(good[i], strlen(good[i]), &s) != 0)
			fail_msg("rejected \"%s\"", good[i]);
		assert_int_equal(s.ctime, 7);
	}
}

/* len bytes are read, never one more: the line need not end in a NUL. */
static void test_sysvipc_not_terminated(void **state)
{
	static const char line[] =
		"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 7";
	char buf[sizeof(line) + 32];
	struct segment s;
	char *exact;

	(void)state;
	/* Garbage after len that would add (bogus) rss/swap columns. */
	memset(buf, '#', sizeof(buf));
	memcpy(buf, line, strlen(line));
	memcpy(buf + strlen(line), " 8 9 junk", 9);
	assert_int_equal(parse_sysvipc_line(buf, strlen(line), &s), 0);
	assert_int_equal(s.ctime, 7);
	assert_false(s.has_rss);

	/* Digits right after len must not extend the last field. */
	memcpy(buf + strlen(line), "999", 3);
	assert_int_equal(parse_sysvipc_line(buf, strlen(line), &s), 0);
	assert_int_equal(s.ctime, 7);

	/* A cut inside the last field reads only the digits before it. */
	{
		static const char big[] =
			"1 2 600 4096 10 11 0 1000 1000 1000 1000 5 6 1234";

		assert_int_equal(parse_sysvipc_line(big, strlen(big) - 2, &s),
				 0);
		assert_int_equal(s.ctime, 12);
	}

	/* An exact-size heap copy: ASan catches any read past the end. */
	exact = malloc(strlen(line));
	assert_non_null(exact);
	memcpy(exact, line, strlen(line));
	assert_int_equal(parse_sysvipc_line(exact, strlen(line), &s), 0);
	assert_int_equal(s.ctime, 7);
	/* Every shorter prefix lacks a column (ctime is one digit). */
	for (size_t n = 0; n < strlen(line); n++) {
		int rc = parse_sysvipc_line(exact, n, &s);

		if (rc != -EINVAL)
			fail_msg("prefix of %zu bytes: rc %d", n, rc);
	}
	free(exact);
}

/* ---- is_semaphore_name --------------------------------------------- */

static void test_is_semaphore_name(void **state)
{
	(void)state;
	assert_true(is_semaphore_name("sem.x"));
	assert_true(is_semaphore_name("sem."));
	assert_true(is_semaphore_name("sem.sem.y"));
	assert_false(is_semaphore_name("sem"));
	assert_false(is_semaphore_name("semx"));
	assert_false(is_semaphore_name("sem_x"));
	assert_false(is_semaphore_name("SEM.x"));
	assert_false(is_semaphore_name("xsem.x"));
	assert_false(is_semaphore_name(""));
	assert_false(is_semaphore_name("/sem.x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_size_null),
		cmocka_unit_test(test_parse_mode),
		cmocka_unit_test(test_parse_key),
		cmocka_unit_test(test_parse_shmid),
		cmocka_unit_test(test_parse_pid),
		cmocka_unit_test(test_parse_fd),
		cmocka_unit_test(test_parse_uid),
		cmocka_unit_test(test_parse_gid),
		cmocka_unit_test(test_parse_owner_spec),
		cmocka_unit_test(test_digits_length_bounded),
		cmocka_unit_test(test_proc_number),
		cmocka_unit_test(test_cgroup),
		cmocka_unit_test(test_hex_digits),
		cmocka_unit_test(test_parse_posix_name),
		cmocka_unit_test(test_parse_posix_name_length),
		cmocka_unit_test(test_parse_sem_name_length),
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test(test_parse_target_why),
		cmocka_unit_test(test_parse_target_holders),
		cmocka_unit_test(test_parse_target_ftok_longest),
		cmocka_unit_test(test_parse_target_longest_name),
		cmocka_unit_test(test_target_escapes),
		cmocka_unit_test(test_target_format_roundtrip),
		cmocka_unit_test(test_parse_ftok_spec),
		cmocka_unit_test(test_parse_ftok_spec_buffer),
		cmocka_unit_test(test_sysvipc_live_line),
		cmocka_unit_test(test_sysvipc_full_line),
		cmocka_unit_test(test_sysvipc_old_kernel),
		cmocka_unit_test(test_sysvipc_keys),
		cmocka_unit_test(test_sysvipc_perms),
		cmocka_unit_test(test_sysvipc_rejects),
		cmocka_unit_test(test_sysvipc_blanks),
		cmocka_unit_test(test_sysvipc_not_terminated),
		cmocka_unit_test(test_is_semaphore_name),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
