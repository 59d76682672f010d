/* SPDX-License-Identifier: MIT */
/*
 * util.h - messages, exit codes and I/O loops that never lose a byte.
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

/* The running subcommand, for "shmtool: CMD: ..." messages (NULL: none). */
extern const char *util_cmdname;

/* "shmtool: CMD: <msg>\n" on stderr. */
void msg(const char *fmt, ...) PRINTF(1, 2);
/* "shmtool: CMD: <msg>: strerror(err)\n" on stderr; err is positive. */
void msg_errno(int err, const char *fmt, ...) PRINTF(2, 3);
/* A usage error: the message, and return EXIT_USAGE. */
int usage_error(const char *fmt, ...) PRINTF(1, 2);

/*
 * Read until len bytes or end of file; retries EINTR and short reads.
 * Returns bytes read (< len only at EOF) or -errno.
 */
ssize_t read_full(int fd, void *buf, size_t len);
/* Write all len bytes; retries EINTR and short writes. 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Same, at an offset; *done receives the bytes written even on error. */
int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done);
/* Read up to len bytes at off; *done < len only at end of file. */
int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done);

/* Read a whole file (at most max bytes; -EFBIG beyond) into malloc'd *buf. */
int slurp_fd(int fd, size_t max, char **buf, size_t *len);

/* Escape a name for display (strvis): no control bytes, valid ASCII. */
void name_escape(const char *name, char *out, size_t outlen);
/* Enough room for name_escape() of a NAME_MAX name. */
#define NAME_ESC_MAX (4 * 255 + 1)

/*
 * If fd is a pipe, make its buffer as large as the system allows (up to
 * 1 MiB): a bulk transfer then switches between writer and reader 16
 * times less often.  Only a hint: errors are ignored.
 */
void pipe_grow(int fd);

/* USER as a name or a numeric uid (--user): 0, or -EINVAL. */
int user_id(const char *s, uid_t *uid);

/* a + b, or UINT64_MAX where that does not fit: totals never wrap. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A size for people: "256B", "4.0K", "1.5M" (at least 5 bytes). */
void size_human(uint64_t v, char *buf, size_t len);

/* Standard output failed with err: report (unless EPIPE), once. */
void stdout_error(int err);
/* Has a standard output error been reported already? */
bool stdout_error_reported(void);

/* The device of a new memfd made with flags; false if none can be made. */
bool memfd_device(unsigned int flags, dev_t *out);

#endif
