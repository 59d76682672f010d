// SPDX-License-Identifier: MIT
/*
 * fuzz_name_escape.c - name_escape, the display escaping of segment names.
 *
 * The input is the name (NUL-terminated, so it stops at its first NUL).
 * It is escaped into output buffers of several sizes, tiny ones included,
 * each allocated exactly, so a one-byte overflow is caught.  Checks: the
 * output is NUL-terminated inside the buffer and holds only printable
 * ASCII (0x20-0x7e); a short buffer gives a prefix of the full escape cut
 * between two escape sequences; with NAME_ESC_MAX bytes a name of up to
 * NAME_MAX bytes is escaped whole, and strunvis() gives the name back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIBBSD_NETBSD_VIS	/* strunvis() only; silences vis.h */
#include <bsd/vis.h>

#include "text.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

static char *escape(const char *name, size_t outlen)
{
	char *out = malloc(outlen ? outlen : 1);
	const char *nul;
	size_t i;

	if (!out)
		abort();
	out[0] = 'Z';
	name_escape(name, out, outlen);
	if (outlen == 0) {
		CHECK(out[0] == 'Z');
		return out;
	}
	nul = memchr(out, '\0', outlen);
	CHECK(nul != NULL);
	for (i = 0; out + i < nul; i++)
		CHECK(out[i] >= 0x20 && out[i] <= 0x7e);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 64 };
	char *name = malloc(size + 1), *full, *back;
	size_t len, fulllen, i;

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	len = strlen(name);

	/* Room for everything: 4 bytes per input byte and the NUL. */
	full = escape(name, 4 * len + 1);
	fulllen = strlen(full);
	back = malloc(len + 1);
	if (!back)
		abort();
	if (strunvis(back, full) != (int)len || memcmp(back, name, len) != 0) {
		fprintf(stderr, "name_escape is not reversible: \"%s\"\n",
			full);
		abort();
	}
	free(back);

	if (len <= 255) {
		char *o = escape(name, NAME_ESC_MAX);

		CHECK(strcmp(o, full) == 0);
		free(o);
	}

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) + 1; i++) {
		size_t n = i < sizeof(sizes) / sizeof(sizes[0]) ? sizes[i]
								: fulllen;
		char *o = escape(name, n), *b;
		size_t ol;

		if (n == 0) {
			free(o);
			continue;
		}
		ol = strlen(o);
		CHECK(ol < n && ol <= fulllen);
		CHECK(memcmp(o, full, ol) == 0);
		/* Cut between escape sequences: the prefix decodes. */
		b = malloc(ol + 1);
		if (!b)
			abort();
		CHECK(strunvis(b, o) >= 0);
		/* And nothing that would fit was dropped: the next sequence
		 * (at most 4 bytes) did not fit. */
		if (ol < fulllen)
			CHECK(ol + 4 >= n);
		free(b);
		free(o);
	}
	free(full);
	free(name);
	return 0;
}
