/* SPDX-License-Identifier: MIT */
/*
 * text.h - text for people (text.c).
 */
#ifndef SHMTOOL_TEXT_H
#define SHMTOOL_TEXT_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

/* Escape a name for display (strvis): no control bytes, valid ASCII. */
void name_escape(const char *name, char *out, size_t outlen);
/* Enough room for name_escape() of a NAME_MAX name. */
#define NAME_ESC_MAX (4 * 255 + 1)

/* A size for people: "256B", "4.0K", "1.5M" (at least 5 bytes). */
void size_human(uint64_t v, char *buf, size_t len);

/* USER as a name or a numeric uid (--user): 0, or -EINVAL. */
int user_id(const char *s, uid_t *uid);

#endif
