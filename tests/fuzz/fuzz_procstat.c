// SPDX-License-Identifier: MIT
/*
 * fuzz_procstat.c - /proc/PID/stat and /proc/stat.
 *
 * The input, in an exactly-sized heap buffer (no NUL terminator), goes to
 * parse_pid_stat, parse_pid_stat_starttime and parse_proc_stat_btime.
 * Then a real-looking /proc/PID/stat line is built whose command (field 2)
 * is the input itself -- blanks, parentheses, newlines, anything -- and
 * whose start time comes from the input: the parser must find exactly that
 * start time, that command (up to 63 bytes), the state, the parent and the
 * number of threads.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "procfmt.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

#define SENTINEL UINT64_C(0xa5a5a5a5a5a5a5a5)

static char *dup_exact(const void *p, size_t n)
{
	char *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

static void check_raw(const uint8_t *data, size_t size)
{
	char *buf = dup_exact(data, size);
	uint64_t v = SENTINEL;
	int rc;

	if (!buf)
		return;
	rc = parse_pid_stat_starttime(buf, size, &v);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc < 0)
		CHECK(v == SENTINEL);
	{
		struct pid_stat ps = { .starttime = SENTINEL };

		rc = parse_pid_stat(buf, size, &ps);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		if (rc < 0)
			CHECK(ps.starttime == SENTINEL);
		else
			CHECK(ps.comm[sizeof(ps.comm) - 1] == '\0' &&
			      ps.state != ' ');
	}
	v = SENTINEL;
	rc = parse_proc_stat_btime(buf, size, &v);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE || rc == -ENOENT);
	if (rc < 0)
		CHECK(v == SENTINEL);
	free(buf);
}

static void check_synthetic(const uint8_t *data, size_t size)
{
	static const char head[] = "4242 (";
	static const char mid[] = ") S 1 4242 4242 0 -1 4194560 1234 0 0 0 "
				  "12 34 0 0 20 0 1 0 ";
	static const char tail[] = " 10874880 1234 18446744073709551615 1 1 "
				   "0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	uint64_t start = 0, got = SENTINEL;
	char num[24], *buf;
	size_t n, len, off = 0;
	int rc;

	if (size >= 8)
		memcpy(&start, data, 8);
	n = (size_t)snprintf(num, sizeof(num), "%" PRIu64, start);
	len = sizeof(head) - 1 + size + sizeof(mid) - 1 + n + sizeof(tail) - 1;
	buf = malloc(len);
	if (!buf)
		return;
#define PUT(p, l) (memcpy(buf + off, (p), (l)), off += (l))
	PUT(head, sizeof(head) - 1);
	if (size)
		PUT(data, size);
	PUT(mid, sizeof(mid) - 1);
	PUT(num, n);
	PUT(tail, sizeof(tail) - 1);
#undef PUT
	rc = parse_pid_stat_starttime(buf, len, &got);
	if (rc != 0 || got != start) {
		fprintf(stderr, "stat line with comm of %zu bytes: rc %d, "
			"start %" PRIu64 " want %" PRIu64 "\n", size, rc, got,
			start);
		abort();
	}
	{
		struct pid_stat ps;
		size_t k = size < sizeof(ps.comm) - 1 ? size
						      : sizeof(ps.comm) - 1;

		CHECK(parse_pid_stat(buf, len, &ps) == 0);
		CHECK(ps.starttime == start && ps.state == 'S' &&
		      ps.ppid == 1 && ps.num_threads == 1 &&
		      ps.flags == 4194560);
		CHECK(k == 0 || memcmp(ps.comm, data, k) == 0);
	}
	/* Without the trailing fields and newline, too. */
	got = SENTINEL;
	rc = parse_pid_stat_starttime(buf, len - (sizeof(tail) - 1), &got);
	CHECK(rc == 0 && got == start);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_raw(data, size);
	check_synthetic(data, size);
	return 0;
}
