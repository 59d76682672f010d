// SPDX-License-Identifier: MIT
/*
 * fuzz_owner.c - parse_owner_spec (chown's OWNER[:GROUP]) and parse_gid:
 * the words it gives back make the input again, and a failure leaves the
 * output alone.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct owner_spec o, sentinel;
	char *s = malloc(size + 1), *again;
	gid_t g = 4242;
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	memset(&sentinel, 0x5a, sizeof(sentinel));
	o = sentinel;
	rc = parse_owner_spec(s, &o);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0) {
		size_t ul = strlen(o.user), gl = strlen(o.group);

		CHECK(ul <= OWNER_WORD_MAX && gl <= OWNER_WORD_MAX);
		CHECK(!strchr(o.user, ':') && !strchr(o.group, ':'));
		/* something to change */
		CHECK(ul > 0 || gl > 0);
		/* USER: is the login group: no group word then */
		CHECK(!o.login_group || (ul > 0 && gl == 0));
		/* the words give the input back */
		again = malloc(ul + gl + 2);
		CHECK(again != NULL);
		snprintf(again, ul + gl + 2, "%s%s%s", o.user,
			 gl || o.login_group ? ":" : "", o.group);
		CHECK(strcmp(again, s) == 0);
		free(again);
	} else {
		CHECK(memcmp(&o, &sentinel, sizeof(o)) == 0);
	}

	rc = parse_gid(s, &g);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0)
		CHECK(g != (gid_t)-1 && (unsigned long long)g == strtoull(s, NULL, 10));
	else
		CHECK(g == 4242);
	free(s);
	return 0;
}
