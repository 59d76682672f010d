/* SPDX-License-Identifier: MIT */
/*
 * columns.h - the column table: one getter per column, shared by ls, stat
 * and every output mode.  No libsmartcols here (that is output.c).
 */
#ifndef SHMTOOL_COLUMNS_H
#define SHMTOOL_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "segment.h"
#include "util.h"

enum col_id {
	COL_SEGMENT,
	COL_KIND,
	COL_ID,
	COL_KEY,
	COL_NAME,
	COL_OWNER,
	COL_UID,
	COL_GROUP,
	COL_GID,
	COL_CUID,
	COL_CGID,
	COL_PERMS,
	COL_SIZE,
	COL_RSS,
	COL_SWAP,
	COL_NATTCH,
	COL_CPID,
	COL_LPID,
	COL_CTIME,
	COL_ATIME,
	COL_DTIME,
	COL_MTIME,
	COL_STATUS,
	NCOLS
};

enum col_type {
	CT_STRING,
	CT_NUMBER,	/* unsigned integer */
	CT_SIZE,	/* bytes; human-readable in tables unless --bytes */
	CT_TIME,	/* seconds since the epoch */
};

struct coldef {
	const char *name;	/* header and (lower-cased) JSON key */
	const char *label;	/* stat's "Label: value" */
	enum col_type type;
	double whint;
	bool right;
	const char *help;
};

extern const struct coldef coldefs[NCOLS];

/* One cell's value; null means "does not apply / unknown". */
struct cell {
	bool null;
	uint64_t num;		/* CT_NUMBER, CT_SIZE */
	time_t time;		/* CT_TIME */
	char str[NAME_ESC_MAX + 16];	/* CT_STRING */
};

void column_get(enum col_id col, const struct segment *s, struct cell *c);

/* Column by name, case-insensitive, name[0..len); -1 if unknown. */
int column_by_name(const char *name, size_t len);

/*
 * "COL,COL" replaces the list, "+COL,COL" appends to it.  cols/ncols
 * hold the current (default) list on entry.  -EINVAL with *bad set to
 * the offending word (not NUL-terminated; *badlen bytes) on error.
 */
int columns_parse(const char *spec, int *cols, size_t *ncols, size_t max,
		  const char **bad, size_t *badlen);

/* Order two segments by a column: numbers numerically, nulls first. */
int column_compare(enum col_id col, const struct segment *a,
		   const struct segment *b);

/* The TARGET string of a segment, escaped for display. */
void segment_target(const struct segment *s, char *buf, size_t len);

/* "rw-r-----" */
void mode_string(unsigned int mode, char buf[10]);

/* ISO 8601 with offset: 2026-11-22T16:45:00+00:00 */
void time_iso(time_t t, char *buf, size_t len);

#endif
