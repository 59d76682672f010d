// SPDX-License-Identifier: MIT
/*
 * output.c - a column table rendered as a table or raw (libsmartcols) or
 * as typed JSON.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols/libsmartcols.h>

#include "inventory.h"
#include "output.h"
#include "msg.h"
#include "text.h"
#include "util.h"

/*
 * The escaping of every table and raw cell, done here once
 * (ARCHITECTURE.md, Names): the getters give text as it is.  Raw output
 * escapes the space too (columns are split at spaces).
 */
static char *escaped(const char *s, unsigned int flags)
{
	size_t n = 4 * strlen(s) + 1;
	char *o = malloc(n);

	if (o)
		text_escape(s, o, n, flags);
	return o;
}

/* How a cell becomes text: sizes in bytes or for people, what more the
 * escaper escapes (ESC_*), how times are written. */
struct cellfmt {
	bool bytes;
	unsigned int esc;
	enum time_fmt tf;
};

/* The text form of each output mode: a table, raw (-r), pairs (-P, -y);
 * raw and pairs give sizes in bytes, like JSON. */
static struct cellfmt fmt_of(const struct outopts *o)
{
	struct cellfmt f = { .bytes = o->bytes, .tf = o->tfmt };

	if (o->raw) {
		f.bytes = true;
		f.esc = ESC_BLANK;
	} else if (o->pairs || o->shell) {
		f.bytes = true;
		f.esc = ESC_SHELL;
	}
	return f;
}

/* v in decimal into buf (len >= 21), as "%llu" would. */
static const char *u64_text(uint64_t v, char *buf, size_t len)
{
	char tmp[21];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

static void percent_text(uint64_t v, char *buf, size_t len, bool sign)
{
	snprintf(buf, len, "%llu.%02llu%s", (unsigned long long)(v / 100),
		 (unsigned long long)(v % 100), sign ? "%" : "");
}

/*
 * A cell as text for tables, raw output and pairs; NULL for null cells.
 * Strings and lists come out escaped into *heap (which the caller frees);
 * list items comma-separated, a comma inside one escaped.
 */
static const char *cell_text(const struct coldef *d, const struct cell *c,
			     const struct cellfmt *f, char *buf, size_t len,
			     char **heap)
{
	*heap = NULL;
	if (c->null)
		return NULL;
	switch (d->type) {
	case CT_STRING:
		*heap = escaped(c->str, f->esc);
		return *heap;
	case CT_NUMBER:
		return u64_text(c->num, buf, len);
	case CT_SIZE:
		if (f->bytes || c->count)
			u64_text(c->num, buf, len);
		else
			size_human(c->num, buf, len);
		return buf;
	case CT_TIME:
		time_format(c->time, f->tf, buf, len);
		if (f->esc) {	/* "full" and "short" may have spaces */
			*heap = escaped(buf, f->esc);
			return *heap;
		}
		return buf;
	case CT_HEX:
		snprintf(buf, len, "%llx", (unsigned long long)c->num);
		return buf;
	case CT_BOOL:
		return c->num ? "yes" : "no";
	case CT_PERCENT:
		percent_text(c->num, buf, len, true);
		return buf;
	case CT_NUMLIST:
	case CT_STRLIST: {
		size_t off, used = 0;
		char *o;

		if (!c->list)
			return NULL;
		*heap = o = malloc(4 * c->listlen + 1);
		if (!o)
			return NULL;
		o[0] = '\0';
		for (off = 0; off < c->listlen; off += strlen(c->list + off) + 1) {
			if (used)
				o[used++] = ',';
			text_escape(c->list + off, o + used,
				    4 * c->listlen + 1 - used,
				    f->esc | ESC_COMMA);
			used += strlen(o + used);
		}
		o[used] = '\0';
		return o;
	}
	}
	return NULL;
}

int output_result(int rc)
{
	/* -EIO: a write error on standard output, main()'s to report */
	if (rc >= 0 || rc == -EIO)
		return EXIT_OK;
	msg_errno(-rc, "output");
	return EXIT_FAIL;
}

int output_option(int c, const char *arg, struct outopts *o,
		  const struct coldef *defs, size_t ndefs)
{
	const char *bad;
	size_t badlen;

	switch (c) {
	case 'o':
		if (columns_parse_in(defs, ndefs, arg, o->cols, &o->ncols,
				     sizeof(o->cols) / sizeof(o->cols[0]), &bad,
				     &badlen) < 0)
			return usage_error("unknown column '%.*s' (see "
					   "--list-columns)", (int)badlen, bad);
		return EXIT_OK;
	case 'J':
		o->json = true;
		return EXIT_OK;
	case 'r':
		o->raw = true;
		return EXIT_OK;
	case 'n':
		o->noheadings = true;
		return EXIT_OK;
	case 'b':
		o->bytes = true;
		return EXIT_OK;
	case 'P':
		o->pairs = true;
		return EXIT_OK;
	case 'y':
		o->shell = true;
		return EXIT_OK;
	case OUTPUT_OPT_TIME_FORMAT:
		if (time_fmt_parse(arg, &o->tfmt) < 0)
			return usage_error("invalid --time-format '%s': short, "
					   "full, iso or epoch", arg);
		return EXIT_OK;
	case OUTPUT_OPT_REVERSE:
		o->reverse = true;
		return EXIT_OK;
	case OUTPUT_OPT_SORT:
		o->sort_col = column_find(defs, ndefs, arg, strlen(arg));
		if (o->sort_col < 0)
			return usage_error("unknown column '%s' (see "
					   "--list-columns)", arg);
		return EXIT_OK;
	default:
		return -1;
	}
}

/* A JSON string literal of bytes that are valid UTF-8. */
static void json_utf8(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		size_t run;

		/* what needs no escape goes in one write */
		for (run = 0; (unsigned char)s[run] >= 0x20 &&
			      (unsigned char)s[run] != 0x7f &&
			      s[run] != '"' && s[run] != '\\'; run++)
			;
		if (run) {
			fwrite(s, 1, run, out);
			s += run - 1;
			continue;
		}
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", out);
		else if (ch == '\t')
			fputs("\\t", out);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

void json_string(FILE *out, const char *s)
{
	char *e;

	/* Valid UTF-8 as it is (jq -r gives the name back); anything
	 * else, which JSON cannot carry, as shown in a table: \xHH. */
	if (text_is_utf8(s)) {
		json_utf8(out, s);
		return;
	}
	e = escaped(s, 0);
	json_utf8(out, e ? e : "");
	free(e);
}

static void json_value(FILE *out, const struct coldef *d, const struct cell *c,
		       enum time_fmt tf)
{
	char buf[64];

	if (c->null) {
		fputs("null", out);
		return;
	}
	switch (d->type) {
	case CT_STRING:
		json_string(out, c->str);
		break;
	case CT_NUMBER:
	case CT_SIZE:
	case CT_HEX:
		fprintf(out, "%llu", (unsigned long long)c->num);
		break;
	case CT_BOOL:
		fputs(c->num ? "true" : "false", out);
		break;
	case CT_TIME:
		/* epoch: a number; the other forms: the string a table
		 * shows */
		time_format(c->time, tf, buf, sizeof(buf));
		if (tf == TIME_EPOCH)
			fputs(buf, out);
		else
			json_string(out, buf);
		break;
	case CT_PERCENT:
		percent_text(c->num, buf, sizeof(buf), false);
		fputs(buf, out);
		break;
	case CT_NUMLIST:
	case CT_STRLIST: {
		size_t off;

		fputc('[', out);
		for (off = 0; c->list && off < c->listlen;
		     off += strlen(c->list + off) + 1) {
			fputs(off ? ", " : "", out);
			if (d->type == CT_NUMLIST)
				fputs(c->list + off, out);
			else
				json_string(out, c->list + off);
		}
		fputc(']', out);
		break;
	}
	}
}

static void json_sep(FILE *out, bool first, int depth)
{
	int i;

	if (!first)
		fputc(',', out);
	if (depth <= 0) {
		if (!first)
			fputc(' ', out);
		return;
	}
	fputc('\n', out);
	for (i = 0; i < depth; i++)
		fputs("   ", out);
}

/* "key": , keyed as every JSON output keys a column (lower case). */
static void json_key(FILE *out, const char *name)
{
	char key[32];
	size_t k;

	for (k = 0; name[k] && k < sizeof(key) - 1; k++)
		key[k] = (char)tolower((unsigned char)name[k]);
	key[k] = '\0';
	json_string(out, key);
	fputs(": ", out);
}

void json_member(FILE *out, int depth, const char *name)
{
	json_sep(out, false, depth);
	json_key(out, name);
}

static const void *row_at(const struct table_src *t, size_t i)
{
	return (const char *)t->rows + i * t->rowsize;
}

/* A row's members, "key": value in the order of cols. */
static void json_members(FILE *out, const struct table_src *t,
			 const void *row, const int *cols, size_t ncols,
			 int depth, enum time_fmt tf)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		const struct coldef *d = &t->defs[cols[i]];
		struct cell c;

		t->get(cols[i], row, &c);
		json_sep(out, i == 0, depth);
		json_key(out, d->name);
		json_value(out, d, &c, tf);
		cell_release(&c);
	}
}

int output_json_inline(FILE *out, const struct table_src *t, const int *cols,
		       size_t ncols)
{
	size_t j;

	fputc('[', out);
	for (j = 0; j < t->nrows; j++) {
		json_sep(out, j == 0, 0);
		fputc('{', out);
		json_members(out, t, row_at(t, j), cols, ncols, 0, TIME_ISO);
		fputc('}', out);
	}
	fputc(']', out);
	return ferror(out) ? -EIO : 0;
}

/* {"<array>": [{...},{...}]}, one member a line. */
static int output_json(FILE *out, const struct table_src *t,
		       const size_t *order, const struct outopts *o,
		       const char *array)
{
	size_t j;

	fputc('{', out);
	json_sep(out, true, 1);
	json_key(out, array);
	fputc('[', out);
	for (j = 0; j < t->nrows; j++) {
		const void *row = row_at(t, order[j]);

		if (j)
			fputc(',', out);
		else
			json_sep(out, true, 2);
		fputc('{', out);
		json_members(out, t, row, o->cols, o->ncols, 3, o->tfmt);
		if (t->json_extra && t->json_extra(out, row, 3) < 0)
			return -ENOMEM;
		json_sep(out, true, 2);
		fputc('}', out);
	}
	if (t->nrows)
		json_sep(out, true, 1);
	fputc(']', out);
	fputs("\n}\n", out);
	return ferror(out) ? -EIO : 0;
}

static int output_scols(FILE *out, const struct table_src *t,
			const size_t *order, const struct outopts *o)
{
	struct cellfmt f = fmt_of(o);
	struct libscols_table *tb;
	size_t i, j;
	int rc = -ENOMEM;

	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	/* The cells come escaped (cell_text): libsmartcols must not escape
	 * them again, nor see a byte that is not valid UTF-8 (2.38 loops
	 * on one). */
	scols_table_enable_noencoding(tb, 1);
	scols_table_enable_noheadings(tb, o->noheadings);
	/* libsmartcols asks isatty of standard output; ours may be another
	 * stream (the tests' memory streams) */
	if (!isatty(fileno(out)))
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (i = 0; i < o->ncols; i++) {
		const struct coldef *d = &t->defs[o->cols[i]];

		if (!scols_table_new_column(tb, d->name, d->whint,
					    d->right ? SCOLS_FL_RIGHT : 0))
			goto out;
	}
	for (j = 0; j < t->nrows; j++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			goto out;
		for (i = 0; i < o->ncols; i++) {
			const struct coldef *d = &t->defs[o->cols[i]];
			struct cell c;
			char buf[128], *heap;
			const char *txt;
			int src;

			t->get(o->cols[i], row_at(t, order[j]), &c);
			txt = cell_text(d, &c, &f, buf, sizeof(buf), &heap);
			src = txt ? scols_line_set_data(ln, i, txt) : 0;
			free(heap);
			cell_release(&c);
			if (src < 0)
				goto out;
		}
	}
	scols_table_set_stream(tb, out);
	rc = scols_print_table(tb);
out:
	scols_unref_table(tb);
	return rc < 0 ? rc : 0;
}

/* Spaces from width w to width to. */
static void pad(FILE *out, size_t w, size_t to)
{
	static const char spaces[] = "                                ";

	while (w < to) {
		size_t n = to - w < sizeof(spaces) - 1 ? to - w
						       : sizeof(spaces) - 1;

		fwrite(spaces, 1, n, out);
		w += n;
	}
}

/* One line of a streamed table: cells padded to their columns' widths and
 * parted by a space, right-aligned ones padded before, nothing after the
 * last column's text: libsmartcols' way where it fits no terminal. */
static void stream_line(FILE *out, const struct table_src *t,
			const struct outopts *o, const char *const *txt,
			const size_t *widths)
{
	size_t i, w;

	for (i = 0; i < o->ncols; i++) {
		bool right = t->defs[o->cols[i]].right;
		bool last = i + 1 == o->ncols;

		w = txt[i] ? text_width(txt[i]) : 0;
		/* libsmartcols pads an empty cell after (not at all in the
		 * last column), whatever its alignment */
		if (right && w)
			pad(out, w, widths[i]);
		if (txt[i])
			fputs(txt[i], out);
		if ((!right || !w) && !last)
			pad(out, w, widths[i]);
		fputc(last ? '\n' : ' ', out);
	}
}

/* The texts of row j's cells into txt[] (heap[] to free after). */
static void row_texts(const struct table_src *t, const struct outopts *o,
		      const struct cellfmt *f, size_t row, const char **txt,
		      char **heap, char (*bufs)[128])
{
	size_t i;

	for (i = 0; i < o->ncols; i++) {
		struct cell c;

		t->get(o->cols[i], row_at(t, row), &c);
		txt[i] = cell_text(&t->defs[o->cols[i]], &c, f, bufs[i],
				   sizeof(bufs[i]), &heap[i]);
		cell_release(&c);
	}
}

static void row_texts_free(const struct outopts *o, char **heap)
{
	size_t i;

	for (i = 0; i < o->ncols; i++)
		free(heap[i]);
}

/*
 * A table.  libsmartcols holds every cell of every row (some 800 bytes a
 * row) and measures each character of each twice: 100,000 rows take
 * 80 MiB and most of a second.  So where it fits no terminal and the rows
 * are more than `stream' (0: never), they are streamed in the same bytes
 * it would print: each column as wide as its header (which it counts
 * even under --noheadings) and its widest cell, measured in a first pass,
 * in constant memory.  On a terminal, where widths depend on the terminal
 * and the whole table, and for fewer rows, libsmartcols prints it.
 */
#define NCOLS_MAX (sizeof(((struct outopts *)0)->cols) / sizeof(int))

int output_scols_stream(FILE *out, const struct table_src *t,
			const size_t *order, const struct outopts *o,
			size_t stream)
{
	struct cellfmt f = fmt_of(o);
	const char *txt[NCOLS_MAX];
	char *heap[NCOLS_MAX], bufs[NCOLS_MAX][128];
	size_t widths[NCOLS_MAX], i, j, w;

	if (!stream || t->nrows <= stream || o->ncols == 0 ||
	    o->ncols > NCOLS_MAX || isatty(fileno(out)))
		return output_scols(out, t, order, o);
	for (i = 0; i < o->ncols; i++)
		widths[i] = text_width(t->defs[o->cols[i]].name);
	for (j = 0; j < t->nrows; j++) {
		row_texts(t, o, &f, order[j], txt, heap, bufs);
		for (i = 0; i < o->ncols; i++) {
			w = txt[i] ? text_width(txt[i]) : 0;
			if (w > widths[i])
				widths[i] = w;
		}
		row_texts_free(o, heap);
	}
	if (!o->noheadings) {
		for (i = 0; i < o->ncols; i++)
			txt[i] = t->defs[o->cols[i]].name;
		stream_line(out, t, o, txt, widths);
	}
	for (j = 0; j < t->nrows; j++) {
		row_texts(t, o, &f, order[j], txt, heap, bufs);
		stream_line(out, t, o, txt, widths);
		row_texts_free(o, heap);
	}
	return ferror(out) ? -EIO : 0;
}

/*
 * Raw output: a line a row, cells separated by one space, escaped with the
 * space (libsmartcols' raw mode would escape the escapes again); a null
 * cell is empty.
 */
static int output_raw(FILE *out, const struct table_src *t,
		      const size_t *order, const struct outopts *o)
{
	struct cellfmt f = fmt_of(o);
	size_t i, j;

	for (i = 0; i < o->ncols && !o->noheadings; i++)
		fprintf(out, "%s%s", i ? " " : "", t->defs[o->cols[i]].name);
	if (!o->noheadings)
		fputc('\n', out);
	for (j = 0; j < t->nrows; j++) {
		for (i = 0; i < o->ncols; i++) {
			const struct coldef *d = &t->defs[o->cols[i]];
			struct cell c;
			char buf[128], *heap;
			const char *txt;

			t->get(o->cols[i], row_at(t, order[j]), &c);
			txt = cell_text(d, &c, &f, buf, sizeof(buf), &heap);
			fprintf(out, "%s%s", i ? " " : "", txt ? txt : "");
			free(heap);
			cell_release(&c);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

/* Names a shell keeps for itself: readonly in bash (UID, EUID, PPID), or
 * whose assignment does something in zsh (UID, GID: setuid, setgid) or
 * in any of them (PATH, IFS, ...).  -y writes them with a '_' after. */
static bool shell_reserved(const char *key)
{
	static const char *const names[] = {
		"BASHOPTS", "BASHPID", "CDPATH", "EGID", "ENV", "EPOCHREALTIME",
		"EPOCHSECONDS", "EUID", "FUNCNAME", "GID", "GROUPS", "HISTCMD",
		"HOME", "IFS", "LINENO", "MAIL", "MAILPATH", "OLDPWD", "OPTARG",
		"OPTIND", "PATH", "PPID", "PS1", "PS2", "PS4", "PWD", "RANDOM",
		"SECONDS", "SHELLOPTS", "SRANDOM", "UID", "USERNAME",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

void output_pair_key(const char *name, bool shell, char *buf, size_t len)
{
	size_t k = 0;

	if (len == 0)
		return;
	if (shell && *name >= '0' && *name <= '9' && k + 1 < len)
		buf[k++] = '_';
	for (; *name && k + 1 < len; name++) {
		unsigned char ch = (unsigned char)*name;

		if (!shell)
			buf[k++] = (char)ch;
		else if (isalnum(ch) || ch == '_')
			buf[k++] = (char)toupper(ch);
		else if (ch == '%') {
			if (k + 4 >= len)
				break;	/* no half a replacement */
			memcpy(buf + k, "_PCT", 4);	/* lsipc's USE_PCT */
			k += 4;
		} else
			buf[k++] = '_';
	}
	buf[k] = '\0';
	if (shell && shell_reserved(buf) && k + 1 < len) {
		buf[k++] = '_';
		buf[k] = '\0';
	}
}

/*
 * Pairs (-P, -y): a line a row, KEY="value" separated by one space, as
 * lsblk -P; a null cell is "".  What eval can make of it is only
 * assignments (output_pair_key).
 */
static int output_pairs(FILE *out, const struct table_src *t,
			const size_t *order, const struct outopts *o)
{
	struct cellfmt f = fmt_of(o);
	size_t i, j;

	for (j = 0; j < t->nrows; j++) {
		for (i = 0; i < o->ncols; i++) {
			const struct coldef *d = &t->defs[o->cols[i]];
			struct cell c;
			char buf[128], key[64], *heap;
			const char *txt;

			t->get(o->cols[i], row_at(t, order[j]), &c);
			txt = cell_text(d, &c, &f, buf, sizeof(buf), &heap);
			output_pair_key(d->name, o->shell, key, sizeof(key));
			fprintf(out, "%s%s=\"%s\"", i ? " " : "", key,
				txt ? txt : "");
			free(heap);
			cell_release(&c);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

/* What a sort compares by (qsort_r's context). */
struct sort_by {
	const struct table_src *src;
	int col;
};

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sort_by *by = arg;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	struct cell ca, cb;
	int r;

	by->src->get(by->col, row_at(by->src, ia), &ca);
	by->src->get(by->col, row_at(by->src, ib), &cb);
	r = cell_compare(by->src->defs[by->col].type, &ca, &cb);
	cell_release(&ca);
	cell_release(&cb);
	if (r == 0)	/* stable: keep the given order among equals */
		r = (ia > ib) - (ia < ib);
	return r;
}

int output_table(FILE *out, const struct table_src *t,
		 const struct outopts *o, const char *array)
{
	size_t *order = NULL, i;
	int rc;

	if (t->nrows) {
		order = malloc(t->nrows * sizeof(*order));
		if (!order)
			return -ENOMEM;
	}
	for (i = 0; i < t->nrows; i++)
		order[i] = i;
	if (o->sort_col >= 0 && t->nrows > 1) {
		struct sort_by by = { t, o->sort_col };

		qsort_r(order, t->nrows, sizeof(*order), cmp_rows, &by);
	}
	for (i = 0; o->reverse && i < t->nrows / 2; i++) {
		size_t x = order[i];

		order[i] = order[t->nrows - 1 - i];
		order[t->nrows - 1 - i] = x;
	}
	if (o->json)
		rc = output_json(out, t, order, o, array);
	else if (o->raw)
		rc = output_raw(out, t, order, o);
	else if (o->pairs || o->shell)
		rc = output_pairs(out, t, order, o);
	else
		rc = output_scols_stream(out, t, order, o, SCOLS_STREAM);
	free(order);
	return rc;
}

static void seg_get(int col, const void *row, struct cell *c)
{
	column_get((enum col_id)col, *(const struct segment *const *)row, c);
}

int output_segments(FILE *out, const struct segment *const *rows, size_t n,
		    const struct outopts *o, const char *array)
{
	struct table_src t = {
		.defs = coldefs,
		.ndefs = NCOLS,
		.get = seg_get,
		.rows = rows,
		.nrows = n,
		.rowsize = sizeof(*rows),
	};

	return output_table(out, &t, o, array);
}

int output_stat_text(FILE *out, const struct segment *s, enum time_fmt tf)
{
	struct cellfmt f = { .bytes = true, .tf = tf };
	int i;

	for (i = 0; i < NCOLS; i++) {
		struct cell c;
		char buf[128], *heap;
		const char *t;

		column_get((enum col_id)i, s, &c);
		t = cell_text(&coldefs[i], &c, &f, buf, sizeof(buf), &heap);
		if (t && !(i == COL_STATUS && !*t)) {
			if (i == COL_PERMS)
				fprintf(out, "%s: %s (%04o)\n",
					coldefs[i].label, t, s->mode);
			else if (i == COL_ATIME && s->kind != SEG_SYSV)
				fprintf(out, "Accessed: %s\n", t);
			else
				fprintf(out, "%s: %s\n", coldefs[i].label,
					(coldefs[i].type == CT_NUMLIST ||
					 coldefs[i].type == CT_STRLIST) && !*t
						? "-" : t);
		}
		free(heap);
		cell_release(&c);
	}
	return ferror(out) ? -EIO : 0;
}

/* One cell of a holder, as a table shows it (escaped), into buf. */
static void holder_text(const struct holder *r, enum mcol_id col, char *buf,
			size_t len)
{
	struct cellfmt f = { .bytes = true };
	struct cell c;
	char tmp[128], *heap;
	const char *t;

	mcolumn_get(col, r, &c);
	t = cell_text(&mcoldefs[col], &c, &f, tmp, sizeof(tmp), &heap);
	snprintf(buf, len, "%s", t ? t : "");
	free(heap);
	cell_release(&c);
}

int output_holders_text(FILE *out, const struct holder *v, size_t n)
{
	size_t i;

	fprintf(out, "Holders: %zu\n", n);
	for (i = 0; i < n; i++) {
		const struct holder *r = &v[i];
		char pid[32], comm[NAME_ESC_MAX], how[32], a[64], b[64];

		holder_text(r, MCOL_PID, pid, sizeof(pid));
		holder_text(r, MCOL_COMM, comm, sizeof(comm));
		holder_text(r, MCOL_HOW, how, sizeof(how));
		fprintf(out, "  %s (%s) %s", pid, comm, how);
		if (r->h->how == HOW_MAP) {
			holder_text(r, MCOL_START, a, sizeof(a));
			holder_text(r, MCOL_END, b, sizeof(b));
			fprintf(out, " %s-%s", a, b);
			holder_text(r, MCOL_PERMS, a, sizeof(a));
			fprintf(out, " %s", a);
		} else if (r->h->how == HOW_FD) {
			holder_text(r, MCOL_FD, a, sizeof(a));
			fprintf(out, " %s", a);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

void output_list_columns_of(FILE *out, const struct coldef *defs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%-8s %s\n", defs[i].name, defs[i].help);
}

void output_list_columns(FILE *out)
{
	output_list_columns_of(out, coldefs, NCOLS);
}
