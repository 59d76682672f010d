// SPDX-License-Identifier: MIT
/*
 * fuzz_target.c - keys, shmids, POSIX names and TARGETs.
 *
 * parse_key, parse_shmid, parse_posix_name (with and without the slash)
 * and parse_target with each force value (POSIX, SysV id and key, ftok:,
 * and the memfd:/anon:/posix: holder targets), then the round trip: the
 * TARGET that target_format() prints for a parsed target must parse (with
 * TARGET_ANY and with the same force) to the same target.  Also
 * target_format() into exactly-sized small buffers.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "../unit/target_format.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

static bool same_target(const struct target *a, const struct target *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TARGET_POSIX:
		return a->sem == b->sem && strcmp(a->name, b->name) == 0;
	case TARGET_SYSV_ID:
		return a->shmid == b->shmid;
	case TARGET_SYSV_KEY:
		return a->key == b->key;
	case TARGET_PROC:
		return a->via == b->via && a->pid == b->pid &&
		       a->fd == b->fd &&
		       (a->fd >= 0 || (a->start == b->start &&
					a->end == b->end));
	case TARGET_FTOK:
		return strcmp(a->path, b->path) == 0 && a->proj == b->proj;
	}
	return false;
}

/* A POSIX segment's file name never begins with "sem."; a semaphore's
 * (sem:/NAME) always does, with 1-251 bytes of NAME after it. */
static void check_name(const char *name, bool sem)
{
	size_t len = strnlen(name, NAME_MAX + 1);

	CHECK(len >= 1 && len <= NAME_MAX);
	CHECK(strchr(name, '/') == NULL);
	if (sem) {
		CHECK(strncmp(name, "sem.", 4) == 0 && len >= 5);
		return;
	}
	CHECK(strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
	CHECK(strncmp(name, "sem.", 4) != 0);
}

static bool all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* What parse_key should say, from strtoll/strtoull. */
static int key_oracle(const char *s, int32_t *k)
{
	const char *hex = "0123456789abcdefABCDEF";
	unsigned long long u;
	long long v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!all_of(s + 2, hex))
			return -EINVAL;
		errno = 0;
		u = strtoull(s + 2, NULL, 16);
		if (errno == ERANGE || u > UINT32_MAX)
			return -ERANGE;
		*k = (int32_t)(uint32_t)u;
		return 0;
	}
	if (!all_of(s[0] == '-' ? s + 1 : s, "0123456789"))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < INT32_MIN || v > (long long)UINT32_MAX)
		return -ERANGE;
	*k = v < 0 ? (int32_t)v : (int32_t)(uint32_t)v;
	return 0;
}

static int shmid_oracle(const char *s, int *id)
{
	unsigned long long u;

	if (!all_of(s, "0123456789"))
		return -EINVAL;
	errno = 0;
	u = strtoull(s, NULL, 10);
	if (errno == ERANGE || u > INT_MAX)
		return -ERANGE;
	*id = (int)u;
	return 0;
}

static void check_key_id(const char *s)
{
	int32_t kwant = 0;
	int idwant = 0;
	int32_t k = 0x5a5a5a5a, k2 = 0;
	int id = 0x5a5a5a5a, id2 = -1;
	char buf[32];
	int rc;

	rc = parse_key(s, &k);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	CHECK(rc == key_oracle(s, &kwant));
	if (rc == 0) {
		CHECK(k == kwant);
		snprintf(buf, sizeof(buf), "0x%08x", (uint32_t)k);
		CHECK(parse_key(buf, &k2) == 0 && k2 == k);
		snprintf(buf, sizeof(buf), "%d", k);
		CHECK(parse_key(buf, &k2) == 0 && k2 == k);
	} else {
		CHECK(k == 0x5a5a5a5a);
	}

	rc = parse_shmid(s, &id);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	CHECK(rc == shmid_oracle(s, &idwant));
	if (rc == 0) {
		CHECK(id == idwant);
		CHECK(id >= 0);
		snprintf(buf, sizeof(buf), "%d", id);
		CHECK(parse_shmid(buf, &id2) == 0 && id2 == id);
	} else {
		CHECK(id == 0x5a5a5a5a);
	}
}

static void check_posix_name(const char *s)
{
	char *name = malloc(NAME_MAX + 1);	/* exactly as declared */
	int pass;

	if (!name)
		return;
	for (pass = 0; pass < 2; pass++) {
		int rc;

		memset(name, 0x5a, NAME_MAX + 1);
		rc = parse_posix_name(s, pass == 0, name);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		if (rc == 0) {
			check_name(name, false);
			CHECK(strcmp(name, s[0] == '/' ? s + 1 : s) == 0);
		} else {
			CHECK(name[0] == 0x5a);
		}
	}
	free(name);
}

/* target_format() into buffers of every small size, exactly allocated. */
static void check_format_sizes(const struct target *t, const char *full)
{
	size_t flen = strlen(full), n;

	for (n = 0; n <= flen + 1 && n <= 12; n++) {
		char *b = malloc(n ? n : 1);

		if (!b)
			return;
		b[0] = 'Z';
		target_format(t, b, n);
		if (n == 0) {
			CHECK(b[0] == 'Z');
		} else {
			size_t bl;

			CHECK(memchr(b, '\0', n) != NULL);
			/* a prefix, cut before an escape that does not fit */
			bl = strlen(b);
			CHECK(strncmp(b, full, bl) == 0);
			CHECK(bl + 4 >= n || bl == flen);
		}
		free(b);
	}
}

static const enum target_force forces[] = {
	TARGET_ANY, TARGET_FORCE_POSIX, TARGET_FORCE_SYSV,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target res[3];
	int rcs[3];
	char *s = malloc(size + 1);
	size_t f;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_key_id(s);
	check_posix_name(s);

	for (f = 0; f < 3; f++) {
		struct target t, saved, u;
		const char *why = NULL;
		/* an escaped name (4 bytes a byte) or an ftok: path */
		char buf[TARGET_STR_MAX > 4 * NAME_MAX + 2 ? TARGET_STR_MAX
							  : 4 * NAME_MAX + 2];
		int rc;

		memset(&t, 0x5a, sizeof(t));
		saved = t;
		rc = parse_target(s, forces[f], &t, &why);
		rcs[f] = rc;
		CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		if (rc < 0) {
			CHECK(why != NULL && why[0] != '\0');
			CHECK(memcmp(&t, &saved, sizeof(t)) == 0);
			/* NULL why is allowed */
			CHECK(parse_target(s, forces[f], &u, NULL) == rc);
			continue;
		}
		res[f] = t;
		switch (t.kind) {
		case TARGET_POSIX:
			CHECK(forces[f] != TARGET_FORCE_SYSV);
			check_name(t.name, t.sem);
			CHECK(t.sem == (strncmp(s, "sem:", 4) == 0));
			break;
		case TARGET_SYSV_ID:
			CHECK(forces[f] != TARGET_FORCE_POSIX);
			CHECK(t.shmid >= 0);
			break;
		case TARGET_SYSV_KEY:
			CHECK(forces[f] != TARGET_FORCE_POSIX);
			CHECK(t.key != 0);
			break;
		case TARGET_PROC:
			/* posix: is a POSIX target; memfd:, anon: are
			 * neither kind */
			CHECK(forces[f] == TARGET_ANY ||
			      (t.via == SEG_POSIX &&
			       forces[f] == TARGET_FORCE_POSIX));
			CHECK(t.via == SEG_MEMFD || t.via == SEG_ANON ||
			      t.via == SEG_POSIX);
			CHECK(t.pid > 0 && t.fd >= -1);
			if (t.fd < 0)
				CHECK(t.start < t.end);
			if (t.via == SEG_ANON)
				CHECK(t.fd == -1);
			break;
		case TARGET_FTOK:
			CHECK(forces[f] != TARGET_FORCE_POSIX);
			CHECK(t.proj >= 1 && t.proj <= 255);
			CHECK(t.path[0] != '\0');
			CHECK(strnlen(t.path, sizeof(t.path)) < sizeof(t.path));
			CHECK(strcmp(s, "ftok:") > 0 && strncmp(s, "ftok:", 5) == 0);
			break;
		default:
			CHECK(!"unknown target kind");
		}

		/* The round trip. */
		memset(buf, 0x5a, sizeof(buf));
		target_format(&t, buf, sizeof(buf));
		CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
		memset(&u, 0, sizeof(u));
		why = NULL;
		if (parse_target(buf, TARGET_ANY, &u, &why) != 0) {
			fprintf(stderr, "formatted '%s' does not parse: %s\n",
				buf, why ? why : "?");
			abort();
		}
		CHECK(same_target(&t, &u));
		memset(&u, 0, sizeof(u));
		CHECK(parse_target(buf, forces[f], &u, NULL) == 0);
		CHECK(same_target(&t, &u));
		check_format_sizes(&t, buf);
	}

	/* A word ANY reads as POSIX/SysV reads the same when forced so. */
	if (rcs[0] == 0 && res[0].kind != TARGET_PROC) {
		size_t g = res[0].kind == TARGET_POSIX ? 1 : 2;

		CHECK(rcs[g] == 0 && same_target(&res[0], &res[g]));
	}
	free(s);
	return 0;
}
