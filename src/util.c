// SPDX-License-Identifier: MIT
/*
 * util.c - messages and I/O loops.
 */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bsd/libutil.h>
#define LIBBSD_OPENBSD_VIS
#include <bsd/vis.h>

#include "parse.h"
#include "util.h"

const char *util_cmdname;

/*
 * Control bytes, DEL and bytes >= 0x80 as \ooo; everything else as is
 * (so text that name_escape() already escaped is not escaped twice).
 */
static void ctrl_escape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 5 <= outlen; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, outlen - o, "\\%03o", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static void vmsg(int err, const char *fmt, va_list ap)
{
	char buf[4096], esc[4 * sizeof(buf)];

	fflush(stdout);
	/*
	 * Messages quote what users and other programs chose (paths,
	 * names, arguments): no byte of them may reach the terminal raw.
	 */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	ctrl_escape(buf, esc, sizeof(esc));
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

ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off, size_t *done)
{
	const char *p = buf;

	*done = 0;
	while (*done < len) {
		ssize_t n = pwrite(fd, p + *done, len - *done,
				   off + (off_t)*done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		*done += (size_t)n;
	}
	return 0;
}

int pread_full(int fd, void *buf, size_t len, off_t off, size_t *done)
{
	char *p = buf;

	*done = 0;
	while (*done < len) {
		ssize_t n = pread(fd, p + *done, len - *done,
				  off + (off_t)*done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		*done += (size_t)n;
	}
	return 0;
}

int slurp_fd(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(buf);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

void name_escape(const char *name, char *out, size_t outlen)
{
	size_t used = 0;

	if (outlen == 0)
		return;
	/*
	 * vis(3) one byte at a time, so the output never runs past outlen
	 * (libbsd's strnvis writes its NUL one byte beyond a full buffer).
	 * The C locale is in force (shmtool never calls setlocale), so
	 * every byte outside printable ASCII becomes \ooo or a C escape:
	 * no name can carry a control sequence or invalid UTF-8 out.
	 */
	for (; *name; name++) {
		char one[5];	/* vis() writes at most 4 bytes and a NUL */
		unsigned char c = (unsigned char)*name;
		size_t n;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			/* Printable: as is (and no vis() call per byte). */
			if (used + 1 >= outlen)
				break;
			out[used++] = (char)c;
			continue;
		}
		vis(one, c, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL, name[1]);
		n = strlen(one);
		if (used + n >= outlen)
			break;
		memcpy(out + used, one, n);
		used += n;
	}
	out[used] = '\0';
}

int user_id(const char *s, uid_t *uid)
{
	struct passwd *pw = getpwnam(s);
	uint64_t v;

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	/* Digits only: parse_size would also take "1K". */
	if (s[0] && strspn(s, "0123456789") == strlen(s) &&
	    parse_size(s, UINT32_MAX - 1, &v) == 0) {
		*uid = (uid_t)v;
		return 0;
	}
	return -EINVAL;
}

void pipe_grow(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

void size_human(uint64_t v, char *buf, size_t len)
{
	/* Past what humanize_number takes (int64_t): exbibytes. */
	if (v > INT64_MAX && len >= 5) {
		snprintf(buf, len, "%.0fE", (double)v / 1152921504606846976.0);
		return;
	}
	/* 5: at most four characters, like "4.0K" or "256B" */
	if (len < 5 || v > INT64_MAX ||
	    humanize_number(buf, 5, (int64_t)v, "", HN_AUTOSCALE,
			    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static bool stdout_reported;

void stdout_error(int err)
{
	if (stdout_reported || err == EPIPE)
		return;
	stdout_reported = true;
	msg_errno(err, "write error on standard output");
}

bool stdout_error_reported(void)
{
	return stdout_reported;
}

/*
 * The device of a fresh memfd made with flags (MFD_HUGETLB and a size for
 * a hugetlbfs one): memfds, shared anonymous memory and SysV segments
 * live on the kernel's internal shmem mount, hugetlb ones on its
 * hugetlbfs mounts.
 */
bool memfd_device(unsigned int flags, dev_t *out)
{
	struct stat st;
	int fd = (int)syscall(SYS_memfd_create, "shmtool-probe",
			      flags | 1u /* MFD_CLOEXEC */);
	bool ok;

	if (fd < 0)
		return false;
	ok = fstat(fd, &st) == 0;
	close(fd);
	if (ok)
		*out = st.st_dev;
	return ok;
}
