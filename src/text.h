/* SPDX-License-Identifier: MIT */
/*
 * text.h - text for people (text.c).
 */
#ifndef SHMTOOL_TEXT_H
#define SHMTOOL_TEXT_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include <stdbool.h>

/*
 * The one escaper (ARCHITECTURE.md, Names): text as shown to people.
 * Printable ASCII as is; valid UTF-8 that is printable, as is, when the
 * locale's charset is UTF-8; every other byte (control bytes, DEL,
 * invalid UTF-8, invisible characters, anything beyond ASCII in another
 * locale) and the backslash as \xHH, which a TARGET reads back.  Never
 * runs past outlen, never cuts an escape or a character.
 */
enum {
	ESC_BLANK = 1,		/* also the space (raw output) */
	ESC_COMMA = 2,		/* also ',' (an item of a list cell) */
	ESC_KEEP_BACKSLASH = 4,	/* leave '\' alone (text escaped already) */
	ESC_SHELL = 8,		/* also '"', '$' and '`': what a shell still
				 * reads inside double quotes (-P, -y) */
};
void text_escape(const char *s, char *out, size_t outlen, unsigned int flags);
/* text_escape(name, out, outlen, 0) */
void name_escape(const char *name, char *out, size_t outlen);
/* Enough room for name_escape() of a NAME_MAX name. */
#define NAME_ESC_MAX (4 * 255 + 1)

/* Is s valid UTF-8 (JSON carries it as it is)? */
bool text_is_utf8(const char *s);
/* Is the locale's charset UTF-8 (setlocale(LC_CTYPE, "") in main)? */
bool text_utf8_locale(void);

/* The columns a terminal gives text that text_escape made (valid UTF-8
 * in a UTF-8 locale, ASCII else): wcwidth of each character. */
size_t text_width(const char *s);

/* "s" unless n is 1: "%llu byte%s", n, PLURAL_S(n). */
#define PLURAL_S(n) ((n) == 1 ? "" : "s")

/* A size for people: "256B", "4.0K", "1.5M" (at least 5 bytes). */
void size_human(uint64_t v, char *buf, size_t len);

/* USER as a name or a numeric uid (--user): 0, or -EINVAL. */
int user_id(const char *s, uid_t *uid);
/* GROUP as a name or a numeric gid: 0, or -EINVAL. */
int group_id(const char *s, gid_t *gid);
/* The login group of USER (a name or a uid with a passwd entry): 0, or
 * -EINVAL. */
int user_login_group(const char *s, gid_t *gid);

#endif
