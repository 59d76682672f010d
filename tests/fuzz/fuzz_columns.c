// SPDX-License-Identifier: MIT
/*
 * fuzz_columns.c - -o/--output column lists: columns_parse (the ls table)
 * and columns_parse_in on the maps table, plus column_find on raw bytes.
 *
 * Input: one control byte (how many default columns, a small max), then
 * the spec.  The cols array is allocated with exactly max entries, so a
 * write past max is caught by ASan.  Checks: success gives 1..max valid
 * column numbers, one per word (after the kept defaults for "+"); each
 * word names its column; failure leaves cols and ncols alone and points
 * *bad inside the spec.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

static void run(const struct coldef *defs, size_t ndefs, const char *spec,
		size_t max, uint8_t ctl)
{
	size_t n0 = max ? (size_t)(ctl >> 3) % (max + 1) : 0;
	size_t n = n0, i, words = 1, badlen = 12345;
	int *cols = malloc(max ? max * sizeof(int) : 1);
	int *saved = malloc(max ? max * sizeof(int) : 1);
	const char *bad = NULL, *p, *w;
	bool plus = spec[0] == '+';
	int rc;

	if (!cols || !saved)
		goto out;
	for (i = 0; i < max; i++)
		cols[i] = (int)((i * 7) % ndefs);
	memcpy(saved, cols, max * sizeof(int));

	if (defs == coldefs && ndefs == NCOLS)
		rc = columns_parse_in(coldefs, NCOLS, spec, cols, &n, max, &bad, &badlen);
	else
		rc = columns_parse_in(defs, ndefs, spec, cols, &n, max, &bad,
				      &badlen);
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0) {
		CHECK(n == n0);
		CHECK(memcmp(cols, saved, max * sizeof(int)) == 0);
		CHECK(bad != NULL && bad >= spec);
		CHECK(bad + badlen <= spec + strlen(spec));
		goto out;
	}
	for (p = spec; *p; p++)
		if (*p == ',')
			words++;
	CHECK(n >= 1 && n <= max);
	CHECK(n == (plus ? n0 : 0) + words);
	for (i = 0; i < n; i++)
		CHECK(cols[i] >= 0 && (size_t)cols[i] < ndefs);
	if (plus)
		CHECK(memcmp(cols, saved, n0 * sizeof(int)) == 0);
	/* Each word names the column it became. */
	w = spec + plus;
	for (i = plus ? n0 : 0; i < n; i++) {
		const char *e = strchr(w, ',');
		size_t len = e ? (size_t)(e - w) : strlen(w);
		const char *name = defs[cols[i]].name;

		CHECK(strlen(name) == len && strncasecmp(name, w, len) == 0);
		w = e ? e + 1 : w + len;
	}
out:
	free(cols);
	free(saved);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t big = 4 * NCOLS;
	uint8_t ctl;
	char *spec, *raw;
	size_t len;
	int c;

	if (size < 1)
		return 0;
	ctl = data[0];
	len = size - 1;
	/* columns_parse reads a C string: NUL-terminated heap copy. */
	spec = malloc(len + 1);
	/* column_find reads exactly len bytes: no terminator. */
	raw = malloc(len ? len : 1);
	if (!spec || !raw)
		goto out;
	memcpy(spec, data + 1, len);
	spec[len] = '\0';
	memcpy(raw, data + 1, len);

	run(coldefs, NCOLS, spec, big, ctl);
	run(coldefs, NCOLS, spec, NCOLS, ctl);
	run(coldefs, NCOLS, spec, ctl & 7, ctl);
	run(mcoldefs, NMCOLS, spec, big, ctl);
	run(mcoldefs, NMCOLS, spec, NMCOLS, ctl);
	run(mcoldefs, NMCOLS, spec, ctl & 7, ctl);

	c = column_find(coldefs, NCOLS, raw, len);
	CHECK(c >= -1 && c < (int)NCOLS);
	CHECK(column_find(coldefs, NCOLS, raw, len) == c);
	c = column_find(mcoldefs, NMCOLS, raw, len);
	CHECK(c >= -1 && c < (int)NMCOLS);
out:
	free(spec);
	free(raw);
	return 0;
}
