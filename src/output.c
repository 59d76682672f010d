// SPDX-License-Identifier: MIT
/*
 * output.c - the column table rendered by libsmartcols.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <bsd/libutil.h>
#include <libsmartcols/libsmartcols.h>

#include "output.h"

/* Format a cell as text; returns NULL for null cells. */
static const char *cell_text(enum col_id col, const struct cell *c,
			     bool json, bool bytes, bool raw, char *buf,
			     size_t len)
{
	if (c->null)
		return NULL;
	switch (coldefs[col].type) {
	case CT_STRING:
		return c->str;
	case CT_NUMBER:
		snprintf(buf, len, "%llu", (unsigned long long)c->num);
		return buf;
	case CT_SIZE:
		if (json || bytes || raw ||
		    len < 5 || c->num > INT64_MAX ||
		    /* 5: at most four characters, like "4.0K" or "256B" */
		    humanize_number(buf, 5, (int64_t)c->num, "",
				    HN_AUTOSCALE,
				    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
			snprintf(buf, len, "%llu", (unsigned long long)c->num);
		return buf;
	case CT_TIME:
		time_iso(c->time, buf, len);
		return buf;
	}
	return NULL;
}

static int json_type(enum col_id col)
{
	switch (coldefs[col].type) {
	case CT_NUMBER:
	case CT_SIZE:
		return SCOLS_JSON_NUMBER;
	default:
		return SCOLS_JSON_STRING;
	}
}

static const struct outopts *sort_opts;

static int cmp_seg(const void *a, const void *b)
{
	return column_compare((enum col_id)sort_opts->sort_col, a, b);
}

int output_segments(FILE *out, const struct seglist *l,
		    const struct outopts *o, const char *array)
{
	struct libscols_table *tb;
	struct segment *v = NULL;
	size_t i, j;
	int rc = -ENOMEM;

	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	if (scols_table_set_name(tb, array) < 0)
		goto out;

	for (i = 0; i < o->ncols; i++) {
		const struct coldef *d = &coldefs[o->cols[i]];
		struct libscols_column *cl;
		char key[32];
		size_t k;

		cl = scols_table_new_column(tb, d->name, d->whint,
					    d->right ? SCOLS_FL_RIGHT : 0);
		if (!cl)
			goto out;
		for (k = 0; d->name[k] && k < sizeof(key) - 1; k++)
			key[k] = (char)tolower((unsigned char)d->name[k]);
		key[k] = '\0';
		if (o->json &&
		    (scols_column_set_json_type(cl, json_type(o->cols[i])) < 0 ||
		     scols_cell_set_data(scols_column_get_header(cl), key) < 0))
			goto out;
	}

	if (l->n) {
		v = malloc(l->n * sizeof(*v));
		if (!v)
			goto out;
		memcpy(v, l->v, l->n * sizeof(*v));
		if (o->sort_col >= 0) {
			sort_opts = o;
			qsort(v, l->n, sizeof(*v), cmp_seg);
		}
	}
	for (j = 0; j < l->n; j++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			goto out;
		for (i = 0; i < o->ncols; i++) {
			struct cell c;
			char buf[128];
			const char *t;

			column_get((enum col_id)o->cols[i], &v[j], &c);
			t = cell_text((enum col_id)o->cols[i], &c, o->json,
				      o->bytes, o->raw, buf, sizeof(buf));
			if (t && scols_line_set_data(ln, i, t) < 0)
				goto out;
		}
	}
	scols_table_set_stream(tb, out);
	rc = scols_print_table(tb);
out:
	free(v);
	scols_unref_table(tb);
	return rc < 0 ? rc : 0;
}

int output_stat_text(FILE *out, const struct segment *s)
{
	int i;

	for (i = 0; i < NCOLS; i++) {
		struct cell c;
		char buf[128];
		const char *t;

		column_get((enum col_id)i, s, &c);
		t = cell_text((enum col_id)i, &c, false, true, false, buf,
			      sizeof(buf));
		if (!t)
			continue;
		if (i == COL_STATUS && !*t)
			continue;
		if (i == COL_PERMS)
			fprintf(out, "%s: %s (%04o)\n", coldefs[i].label, t,
				s->mode);
		else if (i == COL_ATIME && s->kind == SEG_POSIX)
			fprintf(out, "Accessed: %s\n", t);
		else
			fprintf(out, "%s: %s\n", coldefs[i].label, t);
	}
	return ferror(out) ? -EIO : 0;
}

void output_list_columns(FILE *out)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		fprintf(out, "%-8s %s\n", coldefs[i].name, coldefs[i].help);
}
