// SPDX-License-Identifier: MIT
/*
 * fuzz_maps.c - a /proc/PID/maps buffer.
 *
 * The input is split at newlines; each line goes to parse_maps_line with
 * its exact length in an exactly-sized heap buffer (no NUL terminator),
 * so any over-read is caught by ASan.  On success: start <= end, only
 * MAPS_* flags, device numbers in range, the path lies inside the line
 * and is followed by " (deleted)" exactly when deleted is set.  The path
 * then goes (copied exactly) to parse_sysv_map_name and to maps_unescape
 * with output buffers of several sizes, small ones included.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static char *dup_exact(const void *p, size_t n)
{
	char *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

/* The reference: "\012" becomes a newline, left to right. */
static size_t unescape_ref(const char *p, size_t len, char *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (len - i >= 4 && p[i] == '\\' && p[i + 1] == '0' &&
		    p[i + 2] == '1' && p[i + 3] == '2') {
			out[o++] = '\n';
			i += 4;
		} else {
			out[o++] = p[i++];
		}
	}
	return o;
}

static void check_path(const char *path, size_t len)
{
	static const size_t outlens[] = { 0, 1, 2, 3, 5, 14 };
	char *p = dup_exact(path, len), *ref, *out;
	size_t reflen, i;
	int32_t key = 0x5a5a5a5a;

	if (!p)
		return;
	if (parse_sysv_map_name(p, len, &key)) {
		char buf[16];

		CHECK(len == 13 && memcmp(p, "/SYSV", 5) == 0);
		snprintf(buf, sizeof(buf), "/SYSV%08x", (uint32_t)key);
		CHECK(strncasecmp(buf, p, 13) == 0);
	} else {
		CHECK(key == 0x5a5a5a5a);
	}

	ref = malloc(len + 1);
	if (!ref)
		goto out;
	reflen = unescape_ref(p, len, ref);
	for (i = 0; i < sizeof(outlens) / sizeof(outlens[0]) + 1; i++) {
		size_t ol = i < sizeof(outlens) / sizeof(outlens[0])
				    ? outlens[i] : len + 1;
		size_t got;

		out = malloc(ol ? ol : 1);
		if (!out)
			break;
		out[0] = 'Z';
		maps_unescape(p, len, out, ol);
		if (ol == 0) {
			CHECK(out[0] == 'Z');
			free(out);
			continue;
		}
		CHECK(memchr(out, '\0', ol) != NULL);
		got = strlen(out);
		CHECK(got <= len);
		/* A prefix of the full result (up to any NUL in the path). */
		CHECK(memcmp(out, ref, got) == 0);
		if (ol == len + 1) {
			size_t reflen_str = strnlen(ref, reflen);

			CHECK(got == reflen_str);
		}
		free(out);
	}
	free(ref);
out:
	free(p);
}

static void check_line(const char *data, size_t len)
{
	char *line = dup_exact(data, len);
	struct maps_entry e, saved;
	int rc;

	if (!line)
		return;
	memset(&e, 0x5a, sizeof(e));
	saved = e;
	rc = parse_maps_line(line, len, &e);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc < 0) {
		CHECK(memcmp(&e, &saved, sizeof(e)) == 0);
		free(line);
		return;
	}
	CHECK(e.start <= e.end);
	CHECK((e.flags & ~(unsigned)(MAPS_R | MAPS_W | MAPS_X | MAPS_SHARED))
	      == 0);
	CHECK(e.dev_major <= 0xfff && e.dev_minor <= 0xfffff);
	CHECK(e.pathlen <= len);
	CHECK(e.path >= line && e.path <= line + len);
	CHECK(e.path + e.pathlen <= line + len);
	if (e.deleted) {
		CHECK(e.path + e.pathlen + 10 == line + len);
		CHECK(memcmp(e.path + e.pathlen, " (deleted)", 10) == 0);
	} else {
		CHECK(e.path + e.pathlen == line + len);
	}
	check_path(e.path, e.pathlen);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		check_line(p, len);
		p += len + 1;
	}
	/* The whole buffer as one line: newlines inside the path. */
	if (size <= 512)
		check_line((const char *)data, size);
	return 0;
}
