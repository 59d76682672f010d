/* SPDX-License-Identifier: MIT */
/*
 * util.h - exit codes, the printf attribute, totals that never wrap.
 * Messages are msg.h, I/O loops io.h, text for people text.h.
 */
#ifndef SHMTOOL_UTIL_H
#define SHMTOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define PRINTF(f, a) __attribute__((format(printf, f, a)))

/* a + b, or UINT64_MAX where that does not fit: totals never wrap. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

#endif
