// SPDX-License-Identifier: MIT
/*
 * fuzz_duration.c - parse_duration (rm --unused --older-than).
 *
 * Checks: only 0/-EINVAL/-ERANGE; *secs untouched on failure; the result
 * fits in time_t (<= INT64_MAX) and matches a 128-bit evaluation.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

#define SENTINEL UINT64_C(0xa5a5a5a5a5a5a5a5)

static int oracle(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0, m;
	const char *u;
	bool big = false;

	for (u = s; *u >= '0' && *u <= '9'; u++) {
		v = v * 10 + (unsigned)(*u - '0');
		if (v > UINT64_MAX)
			big = true, v = UINT64_MAX;
	}
	if (u == s)
		return -EINVAL;
	switch (*u) {
	case 's': m = 1; break;
	case 'm': m = 60; break;
	case 'h': m = 3600; break;
	case 'd': m = 86400; break;
	case 'w': m = 7 * 86400; break;
	default: return -EINVAL;
	}
	if (u[1] != '\0')
		return -EINVAL;
	if (big || v * m > INT64_MAX)
		return -ERANGE;
	*out = (uint64_t)(v * m);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t v = SENTINEL, want = SENTINEL;
	int rc, rwant;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	rc = parse_duration(s, &v);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	rwant = oracle(s, &want);
	CHECK(rc == rwant);
	if (rc == 0) {
		char buf[32];
		uint64_t again = SENTINEL;

		CHECK(v == want && v <= (uint64_t)INT64_MAX);
		snprintf(buf, sizeof(buf), "%llus", (unsigned long long)v);
		CHECK(parse_duration(buf, &again) == 0 && again == v);
	} else {
		CHECK(v == SENTINEL);
	}
	free(s);
	return 0;
}
