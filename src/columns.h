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
#include "text.h"

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
	COL_CUSER,
	COL_CGID,
	COL_CGROUP,
	COL_PERMS,
	COL_SIZE,
	COL_RSS,
	COL_SWAP,
	COL_NATTCH,
	COL_PROCS,
	COL_PIDS,
	COL_COMMANDS,
	COL_CPID,
	COL_CCOMM,
	COL_LPID,
	COL_LCOMM,
	COL_CTIME,
	COL_ATIME,
	COL_DTIME,
	COL_MTIME,
	COL_STATUS,
	COL_IPCNS,
	COL_MNTNS,
	COL_NSHINT,
	COL_VALUE,
	COL_WAITERS,
	NCOLS
};

/* The columns of `maps`: one row per mapping or fd. */
enum mcol_id {
	MCOL_PID,
	MCOL_COMM,
	MCOL_USER,
	MCOL_SEGMENT,
	MCOL_KIND,
	MCOL_START,
	MCOL_END,
	MCOL_PERMS,
	MCOL_OFFSET,
	MCOL_MAPSIZE,
	MCOL_HOW,
	MCOL_FD,
	MCOL_DELETED,
	NMCOLS
};

enum col_type {
	CT_STRING,
	CT_NUMBER,	/* unsigned integer */
	CT_SIZE,	/* bytes; human-readable in tables unless --bytes */
	CT_TIME,	/* seconds since the epoch */
	CT_HEX,		/* an address: hex in tables, a number in JSON */
	CT_BOOL,	/* num != 0 */
	CT_NUMLIST,	/* list: numbers (PIDs) */
	CT_STRLIST,	/* list: strings */
	CT_PERCENT,	/* num is hundredths of a percent: 1.63% */
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
extern const struct coldef mcoldefs[NMCOLS];

/* One cell's value; null means "does not apply / unknown". */
struct cell {
	bool null;
	bool count;		/* CT_SIZE: in this row, a count of things,
				 * not bytes (shown as a plain number) */
	uint64_t num;		/* CT_NUMBER, CT_SIZE, CT_HEX, CT_BOOL */
	time_t time;		/* CT_TIME */
	char str[NAME_ESC_MAX + 16];	/* CT_STRING */
	char *list;		/* CT_*LIST: malloc'd items, each ending '\0' */
	size_t listlen;		/* their bytes, the NULs counted */
};

/* Free what a getter allocated (lists). */
void cell_release(struct cell *c);

void column_get(enum col_id col, const struct segment *s, struct cell *c);

/* The columns of ls --summary. */
enum sum_col {
	SUM_GROUP,
	SUM_AREA,
	SUM_WHAT,
	SUM_COUNT,
	SUM_MAXCOUNT,
	SUM_SIZE,
	SUM_MAXSIZE,
	SUM_USED,
	SUM_SWAP,
	SUM_PIDS,
	NSUMCOLS
};

extern const struct coldef sumdefs[NSUMCOLS];

/* One row of ls --summary; has: HAS(SUM_*) for the numbers that apply. */
#define HAS(c) (1u << (c))

struct sumrow {
	char group[64];
	const char *area;
	const char *what;
	unsigned int has;	/* HAS(SUM_*) for the numbers that apply */
	uint64_t count, maxcount, size, maxsize, used, swap;
	pid_t *pidv;		/* holders (deleted bucket), each once */
	size_t npid, cappid;
};

void scolumn_get(enum sum_col col, const struct sumrow *r, struct cell *c);

/* One row of `maps` and of stat's holders: an inventory's holder. */
struct holder;
void mcolumn_get(enum mcol_id col, const struct holder *r, struct cell *c);

/* Column by name in any table, case-insensitive; -1 if unknown. */
int column_find(const struct coldef *defs, size_t ndefs, const char *name,
		size_t len);
/*
 * Columns of the table defs: "COL,COL" replaces the list, "+COL,COL"
 * appends to it.  cols/ncols hold the current (default) list on entry.
 * -EINVAL with *bad set to the offending word (not NUL-terminated;
 * *badlen bytes) on error.
 */
int columns_parse_in(const struct coldef *defs, size_t ndefs,
		     const char *spec, int *cols, size_t *ncols, size_t max,
		     const char **bad, size_t *badlen);

/* Order two cells of a type: numbers numerically, nulls first. */
int cell_compare(enum col_type type, const struct cell *a,
		 const struct cell *b);

/* "sysv", "posix", "memfd", "anon" */
const char *kind_name(enum seg_kind kind);

/* Does the segment's NAME match the fnmatch(3) GLOB (--name)?  POSIX:
 * its name without the slash; a semaphore's as sem_open takes it, without
 * the slash; memfd: its name; SysV: its KEY as 0x%08x; anon: "". */
bool segment_name_matches(const struct segment *s, const char *glob);

/* The TARGET string of a segment, escaped as every message shows it
 * (name_escape); the getters give it unescaped, for the renderer. */
void segment_target(const struct segment *s, char *buf, size_t len);
/* The TARGET a holder reaches: its segment's, or (memfd, anon) through
 * this very holder (memfd:PID:FD, anon:PID:START-END). */
void holder_target(const struct holder *r, char *buf, size_t len);

/* "rw-r-----" */
void mode_string(unsigned int mode, char buf[10]);

/* ISO 8601 with offset: 2026-11-22T16:45:00+00:00 */
void time_iso(time_t t, char *buf, size_t len);

/* --time-format: how every time column is written, in every format. */
enum time_fmt {
	TIME_ISO,	/* 2026-11-22T16:45:00+00:00 (the default) */
	TIME_FULL,	/* Sun Nov 22 16:45:00 2026 (ctime(3)) */
	TIME_SHORT,	/* 16:45 today, Nov22 this year, 2025-11-22 before */
	TIME_EPOCH,	/* 1795365900: seconds since the epoch */
};
/* "short", "full", "iso", "epoch": 0, or -EINVAL. */
int time_fmt_parse(const char *s, enum time_fmt *f);
/* t written as f says (local time; LC_TIME is C: English names). */
void time_format(time_t t, enum time_fmt f, char *buf, size_t len);

#endif
