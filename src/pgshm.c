// SPDX-License-Identifier: MIT
/*
 * pgshm.c - PostgreSQL's shared memory layouts (postgres.h): pure
 * parsers, no I/O, fuzzed (tests/fuzz/fuzz_pgshm.c).  Fields are read in
 * the host's byte order, at the offsets of 64-bit Linux (pg_shmem.h,
 * dsm.c of PostgreSQL 13 to 18).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "postgres.h"

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int pg_parse_shmem_header(const void *buf, size_t len,
			  struct pg_shmem_hdr *out)
{
	const unsigned char *p = buf;

#if __SIZEOF_POINTER__ != 8 || __SIZEOF_SIZE_T__ != 8
	(void)p;
	(void)len;
	(void)out;
	return -ENOTSUP;	/* the layout below is LP64's */
#else
	if (!buf || len < PG_SHMEM_HDR_SIZE ||
	    (int32_t)rd32(p) != PG_SHMEM_MAGIC)
		return -EINVAL;
	out->creator_pid = (int32_t)rd32(p + 4);
	out->totalsize = rd64(p + 8);
	out->dsm_control = rd32(p + 24);
	out->device = rd64(p + 40);
	out->inode = rd64(p + 48);
	return 0;
#endif
}

int pg_parse_dsm_header(const void *buf, size_t len, uint64_t segsize,
			uint32_t *nitems, size_t *itemsize)
{
	static const size_t sizes[] = { 40, 24 };	/* PG >= 14, PG 13 */
	const unsigned char *p = buf;
	uint32_t n, max;
	size_t i;

	if (!buf || len < PG_DSM_HDR_SIZE || rd32(p) != PG_DSM_CONTROL_MAGIC)
		return -EINVAL;
	n = rd32(p + 4);
	max = rd32(p + 8);
	/* maxitems is 64 + 5 * MaxBackends, and MaxBackends < 2^18: more is
	 * no control segment of PostgreSQL's (and would cost us memory). */
	if (max == 0 || max > PG_DSM_MAX_ITEMS || n > max ||
	    segsize < PG_DSM_HDR_SIZE)
		return -EINVAL;
	/* dsm_control_bytes_needed(maxitems) is the segment's exact size. */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if ((segsize - PG_DSM_HDR_SIZE) == (uint64_t)max * sizes[i]) {
			*nitems = n;
			*itemsize = sizes[i];
			return 0;
		}
	}
	return -EINVAL;
}

size_t pg_dsm_handles(const void *buf, size_t len, uint32_t nitems,
		      size_t itemsize, uint32_t *out)
{
	const unsigned char *p = buf;
	size_t i, n = 0;

	for (i = 0; i < nitems; i++) {
		size_t off = PG_DSM_HDR_SIZE + i * itemsize;

		if (off + 8 > len)
			break;
		if (rd32(p + off + 4) != 0)	/* refcnt */
			out[n++] = rd32(p + off);
	}
	return n;
}

int32_t pg_dsm_sysv_key(uint32_t handle)
{
	int32_t key = (int32_t)handle;

	/* dsm_impl_sysv(): "if (key < 1) key = -key" (INT_MIN stays). */
	if (key < 1 && key != INT32_MIN)
		key = -key;
	return key;
}

bool pg_dsm_name_handle(const char *name, uint32_t *handle)
{
	uint64_t v = 0;
	const char *p;

	if (strncmp(name, "PostgreSQL.", 11) != 0 || !name[11])
		return false;
	for (p = name + 11; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	if (name[11] == '0' && name[12])
		return false;	/* "%u" never pads */
	*handle = (uint32_t)v;
	return true;
}
