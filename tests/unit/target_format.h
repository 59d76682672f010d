/* SPDX-License-Identifier: MIT */
/*
 * target_format.h - the tests' oracle for TARGETs: a parsed target as the
 * TARGET string it came from ("/name", "sem:/name", "123", "0x0000002a"), written apart
 * from the code that prints TARGETs (columns.c) so that the round trips of
 * test_parse.c and fuzz_target.c can fail.  Tests only.
 */
#ifndef SHMTOOL_TEST_TARGET_FORMAT_H
#define SHMTOOL_TEST_TARGET_FORMAT_H

#include <stdio.h>
#include <string.h>

#include "parse.h"

/* Not inlined: the tests cut it short on purpose (-Wformat-truncation). */
__attribute__((noinline, unused)) static void
target_format(const struct target *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TARGET_POSIX: {
		/* As shmtool prints names in the C locale: printable ASCII
		 * but the backslash as is, every other byte as \xHH. */
		size_t o = 0;
		const unsigned char *p;

		if (len == 0)
			break;
		p = (const unsigned char *)t->name;
		if (t->sem) {
			/* a semaphore: sem:/NAME for the file sem.NAME */
			o = (size_t)snprintf(buf, len, "sem:");
			if (o >= len)
				o = len - 1;
			p += 4;
		}
		if (o + 1 < len)
			buf[o++] = '/';
		for (; *p; p++) {
			char e[5];
			size_t n;

			if (*p >= 0x20 && *p < 0x7f && *p != '\\')
				e[0] = (char)*p, e[1] = '\0';
			else
				snprintf(e, sizeof(e), "\\x%02x", *p);
			n = strlen(e);
			if (o + n >= len)
				break;
			memcpy(buf + o, e, n);
			o += n;
		}
		buf[o < len ? o : len - 1] = '\0';
		break;
	}
	case TARGET_SYSV_ID:
		snprintf(buf, len, "%d", t->shmid);
		break;
	case TARGET_SYSV_KEY:
		snprintf(buf, len, "0x%08x", (uint32_t)t->key);
		break;
	case TARGET_PROC: {
		const char *via = t->via == SEG_ANON    ? "anon"
				  : t->via == SEG_POSIX ? "posix"
							: "memfd";

		if (t->fd >= 0)
			snprintf(buf, len, "%s:%d:%d", via, t->pid, t->fd);
		else
			snprintf(buf, len, "%s:%d:%llx-%llx", via, t->pid,
				 (unsigned long long)t->start,
				 (unsigned long long)t->end);
		break;
	}
	case TARGET_FTOK:
		/* Always with its PROJ: a PATH with a ':' needs it. */
		snprintf(buf, len, "ftok:%s:%d", t->path, t->proj);
		break;
	}
}

#endif
