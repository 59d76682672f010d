// SPDX-License-Identifier: MIT
/*
 * fuzz_size.c - parse_size (SIZE, --offset, --length) under several limits.
 *
 * Checks, besides memory safety: only 0/-EINVAL/-ERANGE; *out untouched
 * on failure; the result never exceeds max; the verdict for each max
 * agrees with the verdict for UINT64_MAX; the value matches an
 * independent 128-bit evaluation of the grammar; "%llu" round trip.
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

/* The grammar of parse.h, evaluated in 128 bits. */
static int oracle(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0, m = 1, base = 1;
	const char *u;
	int exp = 0;
	bool big = false;

	for (u = s; *u >= '0' && *u <= '9'; u++) {
		v = v * 10 + (unsigned)(*u - '0');
		if (v > UINT64_MAX)
			big = true, v = UINT64_MAX;	/* stays "too big" */
	}
	if (u == s)
		return -EINVAL;
	if (*u == '\0' || ((u[0] == 'B' || u[0] == 'b') && u[1] == '\0')) {
		m = 1;
	} else {
		const char *p = strchr("kmgtpe", u[0] | 0x20);

		if (!p || !*p || !(u[0] >= 'A'))
			return -EINVAL;
		exp = (int)(p - "kmgtpe") + 1;
		if (u[1] == '\0')
			base = 1024;
		else if (u[1] == 'i' && (u[2] == 'B' || u[2] == 'b') &&
			 u[3] == '\0')
			base = 1024;
		else if ((u[1] == 'B' || u[1] == 'b') && u[2] == '\0')
			base = 1000;
		else
			return -EINVAL;
		while (exp-- > 0)
			m *= base;
	}
	if (big)
		return -ERANGE;
	v *= m;
	if (v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t maxes[] = {
		UINT64_MAX, (uint64_t)INT64_MAX + 1, INT64_MAX, SIZE_MAX,
		UINT64_C(1) << 40, UINT32_MAX, 4096, 1, 0,
	};
	char *s = malloc(size + 1);
	uint64_t full = SENTINEL, want = SENTINEL;
	int rfull, rwant;
	size_t i;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	rfull = parse_size(s, UINT64_MAX, &full);
	CHECK(rfull == 0 || rfull == -EINVAL || rfull == -ERANGE);
	if (rfull != 0)
		CHECK(full == SENTINEL);
	rwant = oracle(s, &want);
	CHECK(rfull == rwant);
	if (rfull == 0)
		CHECK(full == want);

	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		uint64_t v = SENTINEL;
		int rc = parse_size(s, maxes[i], &v);

		CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		if (rc == 0)
			CHECK(v <= maxes[i] && rfull == 0 && v == full);
		else
			CHECK(v == SENTINEL);
		if (rfull == 0)
			CHECK(rc == (full <= maxes[i] ? 0 : -ERANGE));
		else
			CHECK(rc == rfull);
	}

	if (rfull == 0) {
		char buf[32];
		uint64_t again = SENTINEL;

		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)full);
		CHECK(parse_size(buf, UINT64_MAX, &again) == 0);
		CHECK(again == full);
	}
	free(s);
	return 0;
}
