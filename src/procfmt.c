// SPDX-License-Identifier: MIT
/*
 * procfmt.c - pure parsers of /proc's formats: a line of
 * /proc/sysvipc/shm, of /proc/PID/maps, /proc/PID/stat and /proc/stat's
 * btime.  No I/O, no allocation; fuzzed (tests/fuzz).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "procfmt.h"

/* Field scanners for /proc/sysvipc/shm; p advances past blanks and field. */
static void skip_blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

static int field_u64(const char **p, const char *end, uint64_t *out)
{
	skip_blanks(p, end);
	return num_field(p, end, " \t\n", 3, out);
}

static int field_i64(const char **p, const char *end, int64_t *out)
{
	uint64_t v;
	bool neg = false;
	int rc;

	skip_blanks(p, end);
	if (*p < end && **p == '-') {
		neg = true;
		(*p)++;
	}
	rc = field_u64(p, end, &v);
	if (rc < 0)
		return rc;
	if (v > (uint64_t)INT64_MAX)
		return -ERANGE;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int field_octal(const char **p, const char *end, unsigned int *out)
{
	unsigned int v = 0;
	const char *q;

	skip_blanks(p, end);
	q = *p;
	if (q >= end || *q < '0' || *q > '7')
		return -EINVAL;
	for (; q < end && *q >= '0' && *q <= '7'; q++) {
		v = v * 8 + (unsigned int)(*q - '0');
		if (v > 07777777)
			return -ERANGE;
	}
	if (q < end && *q != ' ' && *q != '\t' && *q != '\n')
		return -EINVAL;
	*p = q;
	*out = v;
	return 0;
}

#define GET_U64(dst, lim)                                                    \
	do {                                                                 \
		uint64_t v_;                                                 \
		if (field_u64(&p, end, &v_) < 0 || v_ > (uint64_t)(lim))     \
			return -EINVAL;                                      \
		(dst) = v_;                                                  \
	} while (0)

int parse_sysvipc_line(const char *line, size_t len, struct segment *out)
{
	const char *p = line, *end = line + len;
	struct segment s;
	int64_t key, t;
	unsigned int perms;

	if (!line)
		return -EINVAL;
	/* Ignore one trailing newline (and anything after it). */
	{
		const char *nl = memchr(line, '\n', len);

		if (nl)
			end = nl;
	}
	memset(&s, 0, sizeof(s));
	s.kind = SEG_SYSV;

	if (field_i64(&p, end, &key) < 0 || key < INT32_MIN ||
	    key > (int64_t)UINT32_MAX)
		return -EINVAL;
	s.key = (int32_t)(uint32_t)(uint64_t)key;
	GET_U64(s.shmid, INT_MAX);
	if (field_octal(&p, end, &perms) < 0)
		return -EINVAL;
	s.mode = perms & 0777;
	if (perms & SYSV_MODE_DEST)
		s.status |= SEG_ST_DEST;
	if (perms & SYSV_MODE_LOCKED)
		s.status |= SEG_ST_LOCKED;
	GET_U64(s.size, UINT64_MAX);
	GET_U64(s.cpid, INT_MAX);
	GET_U64(s.lpid, INT_MAX);
	GET_U64(s.nattch, ULONG_MAX);
	GET_U64(s.uid, UINT32_MAX);
	GET_U64(s.gid, UINT32_MAX);
	GET_U64(s.cuid, UINT32_MAX);
	GET_U64(s.cgid, UINT32_MAX);
	if (field_i64(&p, end, &t) < 0)
		return -EINVAL;
	s.atime = (time_t)t;
	if (field_i64(&p, end, &t) < 0)
		return -EINVAL;
	s.dtime = (time_t)t;
	if (field_i64(&p, end, &t) < 0)
		return -EINVAL;
	s.ctime = (time_t)t;

	skip_blanks(&p, end);
	if (p < end) {
		/* 16-column kernels: rss and swap in bytes. */
		GET_U64(s.rss, UINT64_MAX);
		GET_U64(s.swap, UINT64_MAX);
		s.has_rss = s.has_swap = true;
		skip_blanks(&p, end);
		if (p < end)
			return -EINVAL;
	}
	*out = s;
	return 0;
}

/* 1..16 hex digits at *p up to the byte stop, which *p moves past. */
static int hex_field(const char **p, const char *end, char stop,
		     uint64_t *out)
{
	const char *q = memchr(*p, stop, (size_t)(end - *p));

	if (!q || num_hex(*p, (size_t)(q - *p), 16, UINT64_MAX, out) < 0)
		return -EINVAL;
	*p = q + 1;
	return 0;
}

int parse_maps_line(const char *line, size_t len, struct maps_entry *e)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof(deleted) - 1;
	const char *p = line, *end = line + len;
	struct maps_entry m;
	uint64_t v;

	if (!line)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	if (hex_field(&p, end, '-', &m.start) < 0 ||
	    hex_field(&p, end, ' ', &m.end) < 0 || m.end < m.start)
		return -EINVAL;
	if (end - p < 5 || p[4] != ' ')
		return -EINVAL;
	if (p[0] == 'r')
		m.flags |= MAPS_R;
	else if (p[0] != '-')
		return -EINVAL;
	if (p[1] == 'w')
		m.flags |= MAPS_W;
	else if (p[1] != '-')
		return -EINVAL;
	if (p[2] == 'x')
		m.flags |= MAPS_X;
	else if (p[2] != '-')
		return -EINVAL;
	if (p[3] == 's')
		m.flags |= MAPS_SHARED;
	else if (p[3] != 'p')
		return -EINVAL;
	p += 5;
	if (hex_field(&p, end, ' ', &m.offset) < 0)
		return -EINVAL;
	if (hex_field(&p, end, ':', &v) < 0 || v > 0xfff)
		return -EINVAL;
	m.dev_major = (unsigned int)v;
	if (hex_field(&p, end, ' ', &v) < 0 || v > 0xfffff)
		return -EINVAL;
	m.dev_minor = (unsigned int)v;
	/* The inode is decimal, then blanks, then the path (if any). */
	if (num_field(&p, end, " ", 1, &m.ino) < 0)
		return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	m.path = p;
	m.pathlen = (size_t)(end - p);
	if (m.pathlen >= dlen &&
	    memcmp(end - dlen, deleted, dlen) == 0) {
		m.deleted = true;
		m.pathlen -= dlen;
	}
	*e = m;
	return 0;
}

bool parse_sysv_map_name(const char *path, size_t len, int32_t *key)
{
	uint64_t v;

	if (len != 13 || memcmp(path, "/SYSV", 5) != 0 ||
	    num_hex(path + 5, 8, 8, UINT32_MAX, &v) < 0)
		return false;
	*key = (int32_t)(uint32_t)v;
	return true;
}

void maps_unescape(const char *path, size_t len, char *out, size_t outlen)
{
	size_t i = 0, o = 0;

	if (outlen == 0)
		return;
	while (i < len && o + 1 < outlen) {
		if (len - i >= 4 && memcmp(path + i, "\\012", 4) == 0) {
			out[o++] = '\n';
			i += 4;
		} else {
			out[o++] = path[i++];
		}
	}
	out[o] = '\0';
}

/* Digits of [p, end) up to the next blank: an unsigned decimal. */
static int stat_field_u64(const char **pp, const char *end, uint64_t *out)
{
	return num_field(pp, end, " \n", 2, out);
}

int parse_pid_stat(const char *buf, size_t len, struct pid_stat *out)
{
	const char *p = NULL, *open, *end = buf + len;
	struct pid_stat r;
	uint64_t v;
	size_t i, n;
	int field, rc;

	if (!buf || len == 0)
		return -EINVAL;
	open = memchr(buf, '(', len);
	for (i = len; i > 0; i--) {
		if (buf[i - 1] == ')') {
			p = buf + i;
			break;
		}
	}
	if (!open || !p || p - 1 <= open)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	n = (size_t)(p - 1 - open - 1);
	if (n >= sizeof(r.comm))
		n = sizeof(r.comm) - 1;
	memcpy(r.comm, open + 1, n);
	r.comm[n] = '\0';
	/* After ')' come " S ppid ...": field 3 is the state. */
	for (field = 3; field <= 22; field++) {
		if (p >= end || *p != ' ')
			return -EINVAL;
		p++;
		if (field == 3) {
			if (p >= end || *p == ' ' || *p == '\n')
				return -EINVAL;
			r.state = *p;
		}
		if (field == 4 || field == 9 || field == 20 || field == 22) {
			rc = stat_field_u64(&p, end, &v);
			if (rc < 0)
				return rc;
			if (field == 4)
				r.ppid = v > INT32_MAX ? -1 : (int)v;
			else if (field == 9)
				r.flags = v;
			else if (field == 20)
				r.num_threads = v;
			else
				r.starttime = v;
			continue;
		}
		while (p < end && *p != ' ' && *p != '\n')
			p++;
	}
	*out = r;
	return 0;
}

int parse_pid_stat_starttime(const char *buf, size_t len, uint64_t *ticks)
{
	struct pid_stat ps;
	int rc = parse_pid_stat(buf, len, &ps);

	if (rc == 0)
		*ticks = ps.starttime;
	return rc;
}

int parse_proc_stat_btime(const char *buf, size_t len, uint64_t *btime)
{
	const char *p = buf, *end = buf + len;

	if (!buf)
		return -EINVAL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (ll > 6 && memcmp(p, "btime ", 6) == 0) {
			const char *q = p + 6;

			/* Digits to the end of the line, nothing else. */
			return num_field(&q, p + ll, "", 0, btime);
		}
		p += ll + 1;
	}
	return -ENOENT;
}

int parse_proc_number(const char *buf, size_t len, uint64_t *out)
{
	const char *p = buf, *end = buf + len;

	if (!buf)
		return -EINVAL;
	if (len && buf[len - 1] == '\n')
		end--;
	/* Digits and nothing else (no unit: /proc/sys writes none). */
	return num_field(&p, end, "", 0, out);
}
