// SPDX-License-Identifier: MIT
/*
 * fuzz_mode.c - parse_mode (--mode): octal permission bits, at most 0777.
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

#define SENTINEL 0xa5a5a5a5u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	unsigned int m = SENTINEL;
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	rc = parse_mode(s, &m);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0) {
		char buf[16];
		unsigned int again = SENTINEL;
		size_t i;

		CHECK(m <= 0777);
		CHECK(s[0] != '\0');
		for (i = 0; s[i]; i++)
			CHECK(s[i] >= '0' && s[i] <= '7');
		CHECK(m == (unsigned int)strtoul(s, NULL, 8));
		snprintf(buf, sizeof(buf), "%o", m);
		CHECK(parse_mode(buf, &again) == 0 && again == m);
		snprintf(buf, sizeof(buf), "%04o", m);
		CHECK(parse_mode(buf, &again) == 0 && again == m);
	} else {
		CHECK(m == SENTINEL);
	}
	free(s);
	return 0;
}
