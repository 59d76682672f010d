/* SPDX-License-Identifier: MIT */
/*
 * output.h - table, raw and JSON output of a column table.  Tables and raw
 * output are rendered by libsmartcols (output.c is the only file that
 * includes it); JSON is written here from the same columns and getters,
 * because libsmartcols 2.38 cannot print an empty array ([] comes out as
 * [null]) nor nest the attacher list that stat -J carries.
 */
#ifndef SHMTOOL_OUTPUT_H
#define SHMTOOL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "segment.h"

struct outopts {
	bool json, raw, noheadings, bytes;
	bool pairs;		/* -P: KEY="value" pairs, a line a row */
	bool shell;		/* -y: pairs keyed as shell variable names */
	enum time_fmt tfmt;	/* --time-format (TIME_ISO by default) */
	int sort_col;		/* -1: keep the order given */
	bool reverse;		/* --reverse: that order backwards */
	int cols[4 * NCOLS];
	size_t ncols;
};

/* getopt values of --sort and --time-format in every command that has
 * output options. */
#define OUTPUT_OPT_SORT 1000
#define OUTPUT_OPT_TIME_FORMAT 1001
#define OUTPUT_OPT_REVERSE 1002

/*
 * The output options shared by ls, maps and stat: -o COLS, -J, -r, -P,
 * -y, -n, -b, --time-format, --sort COL (OUTPUT_OPT_SORT) over the
 * column table defs.  Returns -1 when c is none of them, else EXIT_OK or
 * EXIT_USAGE (reported).
 */
int output_option(int c, const char *arg, struct outopts *o,
		  const struct coldef *defs, size_t ndefs);

/* Rows of any kind, described by a column table and a getter. */
struct table_src {
	const struct coldef *defs;
	size_t ndefs;
	void (*get)(int col, const void *row, struct cell *c);
	const void *rows;
	size_t nrows, rowsize;
	/*
	 * JSON only: write extra members of a row's object, at depth (each
	 * begun with json_member; a nested array of rows through
	 * output_json_inline).  May be NULL.
	 */
	int (*json_extra)(FILE *out, const void *row, int depth);
};

/* Render rows: a table, raw, or JSON {"<array>": [...]}.  0 or -errno. */
int output_table(FILE *out, const struct table_src *t,
		 const struct outopts *o, const char *array);

/* A table of rows order[0..nrows): by libsmartcols, or, when the output
 * is no terminal and the rows are more than `stream' (0: never), streamed
 * in the bytes libsmartcols would print.  output_table streams past
 * SCOLS_STREAM rows; open for the tests that compare the two. */
#define SCOLS_STREAM 1024
int output_scols_stream(FILE *out, const struct table_src *t,
			const size_t *order, const struct outopts *o,
			size_t stream);

/* Rows as one JSON array of objects on one line, [{...}, {...}]: the
 * members of each are the columns cols, keyed as in every JSON output. */
int output_json_inline(FILE *out, const struct table_src *t, const int *cols,
		       size_t ncols);

/* What an output_* call returned (0 or -errno) as an exit status:
 * EXIT_FAIL with the error said, or EXIT_OK (a write error on standard
 * output, -EIO, is main()'s to report). */
int output_result(int rc);

/* The segment table: output_table over n segments (rows[i] points to
 * the i-th; they stay where they are). */
int output_segments(FILE *out, const struct segment *const *rows, size_t n,
		    const struct outopts *o, const char *array);

/* "Label: value" lines for one segment, every applicable column; times
 * as tf says. */
int output_stat_text(FILE *out, const struct segment *s, enum time_fmt tf);

/*
 * A pair's key and value as -P and -y write them (KEY="value"): the key
 * is the column's name, or with shell (-y) a shell variable name (upper
 * case, '%' as "_PCT", any other byte outside [A-Za-z0-9_] as '_', a '_'
 * before a leading digit, and after a name a shell keeps for itself:
 * UID_, GID_, PATH_).  The value, text as a table cell shows it, is
 * escaped by the one escaper with '"', '$' and '`' too (ESC_SHELL), so
 * that inside the double quotes no shell finds anything to expand.
 */
void output_pair_key(const char *name, bool shell, char *buf, size_t len);

/* stat's "Holders: N" and a line per holder, "  PID (COMM) map
 * START-END PERMS", "  ... fd FD", "  ... exe": the cells of maps'
 * columns, escaped as in a table. */
struct holder;
int output_holders_text(FILE *out, const struct holder *v, size_t n);

/* NAME  description, one per line, for --list-columns. */
void output_list_columns(FILE *out);
void output_list_columns_of(FILE *out, const struct coldef *defs, size_t n);

/* Begin one more member of a JSON object at depth ("," and the line
 * break or ", "), and write its key: json_extra's helper. */
void json_member(FILE *out, int depth, const char *name);

/* A JSON string literal (escaped) on out. */
void json_string(FILE *out, const char *s);

#endif
