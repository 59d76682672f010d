/* SPDX-License-Identifier: MIT */
/*
 * num.h - digits into numbers, for the parsers (num.c).  Each returns 0 or
 * -EINVAL (not digits) / -ERANGE (too large); garbage wins over overflow.
 */
#ifndef SHMTOOL_NUM_H
#define SHMTOOL_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool num_is_digit(char c);
/* The value of a hex digit, or -1. */
int num_hexval(char c);
/* Hex digits (no prefix) filling [s, s + len): 1..maxdigits, value <= max. */
int num_hex(const char *s, size_t len, size_t maxdigits, uint64_t max,
	    uint64_t *out);
/* The decimal digits at the start of [s, s + len), at least one; *used
 * gets their number even on -ERANGE. */
int num_dec(const char *s, size_t len, uint64_t *out, size_t *used);
/* A decimal field of a /proc line: digits at *p, then end or one of the
 * nstops bytes of stops (not consumed); *p moves past the digits. */
int num_field(const char **p, const char *end, const char *stops,
	      size_t nstops, uint64_t *out);

#endif
