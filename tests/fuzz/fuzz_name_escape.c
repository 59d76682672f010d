// SPDX-License-Identifier: MIT
/*
 * fuzz_name_escape.c - name_escape, the one escaper of what users and
 * other programs chose (names, commands), in the C locale and in C.UTF-8.
 *
 * The input is the name (NUL-terminated, so it stops at its first NUL).
 * It is escaped into output buffers of several sizes, tiny ones included,
 * each allocated exactly, so a one-byte overflow is caught.  Checks: the
 * output is NUL-terminated inside the buffer; it holds no control byte
 * and, in the C locale, only printable ASCII, in C.UTF-8 only valid UTF-8;
 * every backslash in it begins a \xHH; decoding the \xHH escapes gives
 * the name back (what parse_target does with a printed name); a short
 * buffer gives a prefix of the full escape, cut between two escapes or
 * characters, that drops nothing that would have fit.
 */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",     \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The escapes of s decoded into out (strlen(s) + 1 bytes); every
 * backslash must begin one. */
static void decode(const char *s, char *out)
{
	size_t o = 0;

	while (*s) {
		if (*s == '\\') {
			CHECK(s[1] == 'x' && hexval(s[2]) >= 0 &&
			      hexval(s[3]) >= 0);
			out[o++] = (char)(hexval(s[2]) << 4 | hexval(s[3]));
			s += 4;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
}

static char *escape(const char *name, size_t outlen, bool utf8)
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
	for (i = 0; out + i < nul; i++) {
		unsigned char c = (unsigned char)out[i];

		CHECK(c >= 0x20 && c != 0x7f);
		CHECK(utf8 || c < 0x7f);
	}
	CHECK(!utf8 || text_is_utf8(out));
	return out;
}

static void one_locale(const char *name, bool utf8)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 64 };
	size_t len = strlen(name), fulllen, i;
	char *full, *back;

	/* Room for everything: 4 bytes per input byte and the NUL. */
	full = escape(name, 4 * len + 1, utf8);
	fulllen = strlen(full);
	back = malloc(fulllen + 1);
	if (!back)
		abort();
	decode(full, back);
	if (strcmp(back, name) != 0) {
		fprintf(stderr, "name_escape is not reversible: \"%s\"\n",
			full);
		abort();
	}
	free(back);
	if (len <= 255) {
		char *o = escape(name, NAME_ESC_MAX, utf8);

		CHECK(strcmp(o, full) == 0);
		free(o);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) + 1; i++) {
		size_t n = i < sizeof(sizes) / sizeof(sizes[0]) ? sizes[i]
								: fulllen;
		char *o = escape(name, n, utf8), *b;
		size_t ol;

		if (n == 0) {
			free(o);
			continue;
		}
		ol = strlen(o);
		CHECK(ol < n && ol <= fulllen);
		CHECK(memcmp(o, full, ol) == 0);
		/* Cut between escapes and characters: the prefix decodes. */
		b = malloc(ol + 1);
		if (!b)
			abort();
		decode(o, b);
		/* Nothing that would fit was dropped: the next piece (one
		 * escape; in UTF-8 a character of up to 4 bytes, shown or
		 * escaped whole) did not fit. */
		if (ol < fulllen)
			CHECK(ol + (utf8 ? 16 : 4) >= n);
		free(b);
		free(o);
	}
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1);

	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	CHECK(setlocale(LC_CTYPE, "C") != NULL);
	one_locale(name, false);
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		one_locale(name, true);
		setlocale(LC_CTYPE, "C");
	}
	free(name);
	return 0;
}
