/* SPDX-License-Identifier: MIT */
/*
 * output.h - table, raw and JSON output of the column table.  output.c is
 * the only file that includes libsmartcols.
 */
#ifndef SHMTOOL_OUTPUT_H
#define SHMTOOL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "segment.h"

struct outopts {
	bool json, raw, noheadings, bytes;
	int sort_col;		/* -1: keep the order given */
	int cols[4 * NCOLS];
	size_t ncols;
};

/*
 * Render segments as a table (or raw, or JSON {"<array>": [...]}) on out.
 * 0 or -errno.
 */
int output_segments(FILE *out, const struct seglist *l,
		    const struct outopts *o, const char *array);

/* "Label: value" lines for one segment, every applicable column. */
int output_stat_text(FILE *out, const struct segment *s);

/* NAME  description, one per line, for --list-columns. */
void output_list_columns(FILE *out);

#endif
