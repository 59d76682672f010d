// SPDX-License-Identifier: MIT
/*
 * num.c - the one decimal and the one hex loop every parser uses
 * (parse.c: command-line words; procfmt.c: /proc's line formats).  Pure:
 * no I/O, no allocation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "num.h"

bool num_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int num_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The one hex loop: hex digits (no prefix) filling [s, s + len), at least
 * one and at most maxdigits of them, the value at most max.  All of them
 * are checked first: garbage (-EINVAL) wins over overflow (-ERANGE), as
 * for decimals.
 */
int num_hex(const char *s, size_t len, size_t maxdigits, uint64_t max,
		   uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > maxdigits)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (num_hexval(s[i]) < 0)
			return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int h = (unsigned int)num_hexval(s[i]);

		if (h > max || v > (max - h) / 16)
			return -ERANGE;
		v = v * 16 + h;
	}
	*out = v;
	return 0;
}



/*
 * The one decimal loop: the decimal digits at the start of [s, s + len),
 * at least one.  *used always gets their number, so that callers can
 * check what follows even when the value overflowed uint64_t (-ERANGE):
 * garbage (-EINVAL) wins over overflow in every parser here.
 */
int num_dec(const char *s, size_t len, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	bool over = false;
	size_t i;

	for (i = 0; i < len && num_is_digit(s[i]); i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (over || v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	*used = i;
	if (i == 0)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}


/*
 * A decimal field of a /proc line: digits at *p, then end or one of the
 * nstops bytes of stops (not consumed); *p moves past the digits.
 */
int num_field(const char **p, const char *end, const char *stops,
		     size_t nstops, uint64_t *out)
{
	uint64_t v = 0;
	size_t used;
	int rc = num_dec(*p, (size_t)(end - *p), &v, &used);

	if (rc == -EINVAL)
		return rc;
	if (*p + used < end && !memchr(stops, (*p)[used], nstops))
		return -EINVAL;
	if (rc < 0)
		return rc;
	*p += used;
	*out = v;
	return 0;
}

/* Parse a unit suffix; *mult gets its multiplier.  "" means 1. */
