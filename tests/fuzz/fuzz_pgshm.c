// SPDX-License-Identifier: MIT
/*
 * fuzz_pgshm.c - PostgreSQL's shared memory layouts (src/pgshm.c).
 *
 * The input, in an exactly-sized heap buffer, is read as a main segment's
 * header and as a DSM control segment whose size comes from the input's
 * first bytes: no read past the buffer (ASan), no more handles than items,
 * and a header that parses reads back the bytes it came from.  Then the
 * input as a name: pg_dsm_name_handle accepts exactly the names that
 * "PostgreSQL.%u" prints.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postgres.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

static void check_layouts(const uint8_t *data, size_t size)
{
	unsigned char *buf = malloc(size ? size : 1);
	struct pg_shmem_hdr h;
	uint64_t segsize = 0;
	uint32_t nitems = 0, *out;
	size_t itemsize = 0, n;
	int rc;

	if (!buf)
		return;
	if (size)
		memcpy(buf, data, size);
	rc = pg_parse_shmem_header(buf, size, &h);
	CHECK(rc == 0 || rc == -EINVAL || rc == -ENOTSUP);
	if (rc == 0) {
		uint32_t v;

		CHECK(size >= PG_SHMEM_HDR_SIZE);
		memcpy(&v, buf + 24, 4);
		CHECK(v == h.dsm_control);
	}
	if (size >= 8)
		memcpy(&segsize, buf + size - 8, 8);
	rc = pg_parse_dsm_header(buf, size, segsize, &nitems, &itemsize);
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		CHECK(itemsize == 24 || itemsize == 40);
		CHECK(segsize >= PG_DSM_HDR_SIZE);
		/* Only as many items as the bytes given hold are read. */
		if (nitems > 1u << 16)
			nitems = 1u << 16;
		out = calloc((size_t)nitems + 1, sizeof(*out));
		if (out) {
			n = pg_dsm_handles(buf, size, nitems, itemsize, out);
			CHECK(n <= nitems);
			CHECK(n == 0 ||
			      PG_DSM_HDR_SIZE + (n - 1) * itemsize + 8 <= size);
			free(out);
		}
	}
	free(buf);
}

static void check_name(const uint8_t *data, size_t size)
{
	char name[64], again[32];
	uint32_t h = 0;
	size_t n = size < sizeof(name) - 12 ? size : sizeof(name) - 12;

	memcpy(name, "PostgreSQL.", 11);
	memcpy(name + 11, data, n);
	name[11 + n] = '\0';
	if (pg_dsm_name_handle(name, &h)) {
		snprintf(again, sizeof(again), "PostgreSQL.%u", h);
		CHECK(strcmp(again, name) == 0);
	}
	/* Handle 0 is DSM_HANDLE_INVALID; every other gives a key >= 1
	 * (but 0x80000000, which stays INT_MIN as in dsm_impl_sysv). */
	CHECK(h == 0 ? pg_dsm_sysv_key(h) == 0
		     : pg_dsm_sysv_key(h) >= 1 || pg_dsm_sysv_key(h) == INT32_MIN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_layouts(data, size);
	check_name(data, size);
	return 0;
}
