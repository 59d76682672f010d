// SPDX-License-Identifier: MIT
/*
 * fuzz_ftok.c - parse_ftok_spec ("PATH" or "PATH:PROJ") into path buffers
 * of several sizes, each allocated exactly, so writing the NUL one byte
 * too far is caught.  A PROJ that is not decimal or 0x-hex is garbage
 * (-EINVAL), never "out of range".
 */
#include <errno.h>
#include <limits.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t lens[] = { PATH_MAX, 64, 16, 8, 2, 1, 0 };
	char *s = malloc(size + 1);
	const char *colon;
	size_t i;
	bool malformed = false;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	colon = strrchr(s, ':');
	if (colon) {
		/* PROJ must be 0x + hex digits or decimal digits: anything
		 * else is garbage (-EINVAL), however big its digits are. */
		const char *v = colon + 1;
		const char *d = (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
				? v + 2 : v;
		const char *set = d == v ? "0123456789"
					 : "0123456789abcdefABCDEF";

		malformed = !*d || strspn(d, set) != strlen(d);
	}

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t pl = lens[i];
		char *path = malloc(pl ? pl : 1);
		int proj = -77, rc;

		if (!path)
			break;
		memset(path, 0x5a, pl ? pl : 1);
		rc = parse_ftok_spec(s, path, pl, &proj);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		if (malformed)
			CHECK(rc == -EINVAL);
		if (rc == 0) {
			size_t plen = colon ? (size_t)(colon - s) : strlen(s);

			CHECK(pl > 0 && memchr(path, '\0', pl) != NULL);
			CHECK(proj >= 1 && proj <= 255);
			CHECK(strlen(path) == plen && plen > 0);
			CHECK(memcmp(path, s, plen) == 0);
			if (!colon)
				CHECK(proj == 1);
			else
				CHECK(proj == (int)strtol(colon + 1, NULL,
					(colon[1] == '0' && (colon[2] | 0x20) == 'x') ? 16 : 10));
		} else {
			CHECK(proj == -77);
			CHECK((unsigned char)path[0] == 0x5a);
		}
		free(path);
	}
	free(s);
	return 0;
}
