// SPDX-License-Identifier: MIT
/*
 * fuzz_sysvipc.c - a /proc/sysvipc/shm buffer.
 *
 * Each line goes to parse_sysvipc_line in an exactly-sized heap buffer,
 * once without and once with its newline; the whole buffer goes too (only
 * its first line counts, so the verdict must match the first line's).  On
 * success: a SysV record with mode <= 0777, only the DEST/LOCKED status
 * bits, a shmid and PIDs in range, rss and swap together; the line the
 * kernel would print for that record parses back to the same record.
 * On failure the record is untouched.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
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

static char *dup_exact(const void *p, size_t n)
{
	char *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

static bool same_seg(const struct segment *a, const struct segment *b)
{
	return a->kind == b->kind && a->key == b->key &&
	       a->shmid == b->shmid && a->mode == b->mode &&
	       a->status == b->status && a->size == b->size &&
	       a->cpid == b->cpid && a->lpid == b->lpid &&
	       a->nattch == b->nattch && a->uid == b->uid &&
	       a->gid == b->gid && a->cuid == b->cuid && a->cgid == b->cgid &&
	       a->atime == b->atime && a->dtime == b->dtime &&
	       a->ctime == b->ctime && a->has_rss == b->has_rss &&
	       a->has_swap == b->has_swap &&
	       (!a->has_rss || a->rss == b->rss) &&
	       (!a->has_swap || a->swap == b->swap);
}

static int parse_exact(const char *data, size_t len, struct segment *s)
{
	char *line = dup_exact(data, len);
	struct segment saved;
	int rc;

	if (!line)
		return -ENOMEM;
	memset(s, 0x5a, sizeof(*s));
	saved = *s;
	rc = parse_sysvipc_line(line, len, s);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc < 0)
		CHECK(memcmp(s, &saved, sizeof(saved)) == 0);
	free(line);
	return rc;
}

/* Print s as the kernel does (ipc/shm.c sysvipc_shm_proc_show). */
static void check_roundtrip(const struct segment *s)
{
	char buf[512];
	struct segment t;
	unsigned int perms = s->mode;
	int n;

	if (s->status & SEG_ST_DEST)
		perms |= SYSV_MODE_DEST;
	if (s->status & SEG_ST_LOCKED)
		perms |= SYSV_MODE_LOCKED;
	n = snprintf(buf, sizeof(buf),
		     "%10d %10d  %4o %21" PRIu64 " %5u %5u  %5lu %5u %5u %5u "
		     "%5u %10lld %10lld %10lld",
		     s->key, s->shmid, perms, s->size, (unsigned)s->cpid,
		     (unsigned)s->lpid, s->nattch, (unsigned)s->uid,
		     (unsigned)s->gid, (unsigned)s->cuid, (unsigned)s->cgid,
		     (long long)s->atime, (long long)s->dtime,
		     (long long)s->ctime);
	if (s->has_rss)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      " %21" PRIu64 " %21" PRIu64, s->rss, s->swap);
	buf[n++] = '\n';
	if (parse_exact(buf, (size_t)n, &t) != 0) {
		fprintf(stderr, "kernel-style line does not parse: %.*s",
			n, buf);
		abort();
	}
	CHECK(same_seg(s, &t));
}

static int check_line(const char *p, size_t len, bool has_nl)
{
	struct segment s, s2;
	int rc = parse_exact(p, len, &s);

	if (has_nl) {
		int rc2 = parse_exact(p, len + 1, &s2);

		CHECK(rc2 == rc || (rc < 0 && rc2 < 0));
		if (rc == 0)
			CHECK(same_seg(&s, &s2));
	}
	if (rc != 0)
		return rc;
	CHECK(s.kind == SEG_SYSV);
	CHECK(s.mode <= 0777);
	CHECK((s.status & ~(SEG_ST_DEST | SEG_ST_LOCKED)) == 0);
	CHECK(s.shmid >= 0 && s.cpid >= 0 && s.lpid >= 0);
	CHECK(s.has_rss == s.has_swap);
	check_roundtrip(&s);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	int first_rc = 1;
	struct segment whole;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		rc = check_line(p, len, nl != NULL);
		if (first_rc == 1)
			first_rc = rc;
		p += len + 1;
	}
	/* The whole buffer: parse_sysvipc_line stops at the first newline. */
	rc = parse_exact((const char *)data, size, &whole);
	if (size > 0)
		CHECK(rc == first_rc || (rc < 0 && first_rc < 0));
	return 0;
}
