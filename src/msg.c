// SPDX-License-Identifier: MIT
/*
 * msg.c - what shmtool says on standard error: one line per message,
 * "shmtool: CMD: ...", with every byte a user or another program chose
 * escaped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "text.h"
#include "util.h"

const char *util_cmdname;

static void vmsg(int err, const char *fmt, va_list ap)
{
	char buf[4096], esc[4 * sizeof(buf)];

	fflush(stdout);
	/*
	 * Messages quote what users and other programs chose (paths,
	 * names, arguments): no byte of them may reach the terminal raw.
	 */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* The names in it came through name_escape (their backslashes
	 * are escapes); whatever else came raw is escaped here. */
	text_escape(buf, esc, sizeof(esc), ESC_KEEP_BACKSLASH);
	fputs("shmtool: ", stderr);
	if (util_cmdname)
		fprintf(stderr, "%s: ", util_cmdname);
	fputs(esc, stderr);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void msg_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(err, fmt, ap);
	va_end(ap);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static bool stdout_reported;

void stdout_error(int err)
{
	if (stdout_reported || err == EPIPE)
		return;
	stdout_reported = true;
	msg_errno(err, "write error on standard output");
}
