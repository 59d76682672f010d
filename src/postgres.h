/* SPDX-License-Identifier: MIT */
/*
 * postgres.h - which segments belong to a PostgreSQL cluster, from
 * PostgreSQL's own data (ARCHITECTURE.md, Verdicts).
 *
 * A cluster's main System V segment (with shared_memory_type=mmap, the
 * default, a 56-byte "interlock" segment) begins with a PGShmemHeader
 * whose dsm_control names its dynamic shared memory control segment:
 * /PostgreSQL.<handle> (dynamic_shared_memory_type=posix) or the SysV
 * segment keyed by the handle (=sysv).  The control segment lists the
 * handles of every dynamic segment of the cluster.  A cluster is live
 * while its main segment is attached: the rule PostgreSQL itself applies
 * when it starts (src/backend/port/sysv_shmem.c).  Layouts of PostgreSQL
 * 13 to 18 on 64-bit Linux (pg_shmem.h, dsm.c).
 */
#ifndef SHMTOOL_POSTGRES_H
#define SHMTOOL_POSTGRES_H

#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

#define PG_SHMEM_MAGIC		679834894	/* PGShmemMagic, 0x2885750e */
#define PG_SHMEM_HDR_SIZE	56		/* sizeof(PGShmemHeader), LP64 */
#define PG_DSM_CONTROL_MAGIC	0x9a503d32u	/* PG_DYNSHMEM_CONTROL_MAGIC */
#define PG_DSM_HDR_SIZE		16		/* magic, nitems, maxitems */
#define PG_DSM_MAX_ITEMS	(64 + 5 * 262143)	/* MAX_BACKENDS */

struct pg_shmem_hdr {
	int32_t creator_pid;	/* in the postmaster's PID namespace */
	uint64_t totalsize;
	uint32_t dsm_control;	/* 0: none (yet, or shut down cleanly) */
	uint64_t device, inode;	/* of the data directory */
};

/* The first PG_SHMEM_HDR_SIZE bytes of a segment: -EINVAL unless they
 * are a PGShmemHeader. */
int pg_parse_shmem_header(const void *buf, size_t len,
			  struct pg_shmem_hdr *out);

/*
 * A DSM control segment's header (the first PG_DSM_HDR_SIZE bytes) and
 * the segment's size: the number of items in use (the high-water mark)
 * and the size of one item (40 bytes from PostgreSQL 14, 24 before),
 * which the size gives.  -EINVAL unless it is one (maxitems above
 * PG_DSM_MAX_ITEMS included).
 */
int pg_parse_dsm_header(const void *buf, size_t len, uint64_t segsize,
			uint32_t *nitems, size_t *itemsize);

/*
 * The handles of the live items of a control segment (reference count
 * not 0: 1 is "being destroyed", which PostgreSQL still cleans up), from
 * its first PG_DSM_HDR_SIZE + nitems * itemsize bytes.  out holds up to
 * nitems.  Returns how many.
 */
size_t pg_dsm_handles(const void *buf, size_t len, uint32_t nitems,
		      size_t itemsize, uint32_t *out);

/* The SysV key of a DSM handle, as dsm_impl_sysv() derives it. */
int32_t pg_dsm_sysv_key(uint32_t handle);

/* The handle of a "PostgreSQL.<handle>" name; false for other names. */
bool pg_dsm_name_handle(const char *name, uint32_t *handle);

/*
 * Keep what live clusters own, and hold a crashed cluster's segments
 * together (ARCHITECTURE.md, Verdicts): sets disp, keep and the kept/unverified STATUS
 * words of the listed segments of the caller's namespaces.  Needs the
 * inventory's scan.  -ENOMEM or 0.
 */
int pg_attribute(struct inventory *inv);

#endif
