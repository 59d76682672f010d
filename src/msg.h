/* SPDX-License-Identifier: MIT */
/*
 * msg.h - messages on standard error (msg.c).
 */
#ifndef SHMTOOL_MSG_H
#define SHMTOOL_MSG_H

#include "util.h"

/* The running subcommand, for "shmtool: CMD: ..." messages (NULL: none). */
extern const char *util_cmdname;

/* "shmtool: CMD: <msg>\n" on stderr. */
void msg(const char *fmt, ...) PRINTF(1, 2);
/* "shmtool: CMD: <msg>: strerror(err)\n" on stderr; err is positive. */
void msg_errno(int err, const char *fmt, ...) PRINTF(2, 3);
/* A usage error: the message, and return EXIT_USAGE. */
int usage_error(const char *fmt, ...) PRINTF(1, 2);

/* Standard output failed with err: report (unless EPIPE), once. */
void stdout_error(int err);

#endif
