// SPDX-License-Identifier: MIT
/*
 * parse.c - pure parsers for shmtool.  No I/O, no allocation, no globals:
 * everything here is unit-tested and fuzzed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The one hex loop: hex digits (no prefix) filling [s, s + len), at least
 * one and at most maxdigits of them, the value at most max.  All of them
 * are checked first: garbage (-EINVAL) wins over overflow (-ERANGE), as
 * for decimals.
 */
static int hex_u64(const char *s, size_t len, size_t maxdigits, uint64_t max,
		   uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > maxdigits)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (hexval(s[i]) < 0)
			return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int h = (unsigned int)hexval(s[i]);

		if (h > max || v > (max - h) / 16)
			return -ERANGE;
		v = v * 16 + h;
	}
	*out = v;
	return 0;
}

/* Hex digits to the end of a NUL-terminated s (as many as it has). */
static int hex_str(const char *s, uint64_t max, uint64_t *out)
{
	return hex_u64(s, strlen(s), SIZE_MAX, max, out);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * The one decimal loop: the decimal digits at the start of [s, s + len),
 * at least one.  *used always gets their number, so that callers can
 * check what follows even when the value overflowed uint64_t (-ERANGE):
 * garbage (-EINVAL) wins over overflow in every parser here.
 */
static int dec_u64(const char *s, size_t len, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	bool over = false;
	size_t i;

	for (i = 0; i < len && is_digit(s[i]); i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (over || v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	*used = i;
	if (i == 0)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

/* A whole NUL-terminated string of decimal digits, at most max. */
static int dec_str(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t used;
	int rc;

	if (!s)
		return -EINVAL;
	rc = dec_u64(s, strlen(s), &v, &used);
	if (rc == -EINVAL || s[used] != '\0')
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * A decimal field of a /proc line: digits at *p, then end or one of the
 * nstops bytes of stops (not consumed); *p moves past the digits.
 */
static int dec_field(const char **p, const char *end, const char *stops,
		     size_t nstops, uint64_t *out)
{
	uint64_t v = 0;
	size_t used;
	int rc = dec_u64(*p, (size_t)(end - *p), &v, &used);

	if (rc == -EINVAL)
		return rc;
	if (*p + used < end && !memchr(stops, (*p)[used], nstops))
		return -EINVAL;
	if (rc < 0)
		return rc;
	*p += used;
	*out = v;
	return 0;
}

/* Parse a unit suffix; *mult gets its multiplier.  "" means 1. */
static int size_unit(const char *u, uint64_t *mult)
{
	static const char letters[] = "kmgtpe";
	const char *p;
	uint64_t base, m = 1;
	int exp;

	if (u[0] == '\0') {
		*mult = 1;
		return 0;
	}
	if ((u[0] == 'B' || u[0] == 'b') && u[1] == '\0') {
		*mult = 1;
		return 0;
	}
	p = strchr(letters, lower(u[0]));
	if (!p)
		return -EINVAL;
	exp = (int)(p - letters) + 1;

	if (u[1] == '\0')
		base = 1024;
	else if (u[1] == 'i' && (u[2] == 'B' || u[2] == 'b') && u[3] == '\0')
		base = 1024;
	else if ((u[1] == 'B' || u[1] == 'b') && u[2] == '\0')
		base = 1000;
	else
		return -EINVAL;

	while (exp-- > 0)
		m *= base;	/* at most 1024^6 = 2^60: no overflow */
	*mult = m;
	return 0;
}

int parse_size(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0, mult;
	size_t used;
	int rc;

	if (!s)
		return -EINVAL;
	rc = dec_u64(s, strlen(s), &v, &used);
	if (rc == -EINVAL)
		return rc;
	/* Check the suffix even on overflow: "99..9x" is garbage, not big. */
	if (size_unit(s + used, &mult) < 0)
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (v != 0 && mult > UINT64_MAX / v)
		return -ERANGE;
	v *= mult;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_mode(const char *s, unsigned int *out)
{
	unsigned int v = 0;
	size_t i;

	if (!s || s[0] == '\0')
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		v = v * 8 + (unsigned int)(s[i] - '0');
		if (v > 0777)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

int parse_key(const char *s, int32_t *out)
{
	uint64_t v = 0;
	size_t used;
	bool neg = false;
	int rc;

	if (!s || s[0] == '\0')
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		rc = hex_str(s + 2, UINT32_MAX, &v);
		if (rc < 0)
			return rc;
		*out = (int32_t)(uint32_t)v;
		return 0;
	}
	if (s[0] == '-') {
		neg = true;
		s++;
	}
	rc = dec_u64(s, strlen(s), &v, &used);
	if (rc == -EINVAL || s[used] != '\0')
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (neg) {
		if (v > (uint64_t)INT32_MAX + 1)
			return -ERANGE;
		*out = (int32_t)(-(int64_t)v);
		return 0;
	}
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

int parse_shmid(const char *s, int *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, INT_MAX, &v);

	if (rc < 0)
		return rc;
	*out = (int)v;
	return 0;
}

int parse_pid(const char *s, pid_t *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, INT_MAX, &v);

	if (rc < 0)
		return rc;
	if (v == 0)
		return -ERANGE;
	*out = (pid_t)v;
	return 0;
}

int parse_fd(const char *s, int *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, INT_MAX, &v);

	if (rc < 0)
		return rc;
	*out = (int)v;
	return 0;
}

int parse_uid(const char *s, uid_t *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, (uint64_t)(uid_t)-1 - 1, &v);

	if (rc < 0)
		return rc;
	*out = (uid_t)v;
	return 0;
}

bool is_semaphore_name(const char *name)
{
	return strncmp(name, "sem.", 4) == 0;
}

int parse_posix_name(const char *s, bool require_slash,
		     char out[NAME_MAX + 1])
{
	size_t len;

	if (!s)
		return -EINVAL;
	if (s[0] == '/')
		s++;
	else if (require_slash)
		return -EINVAL;
	len = strlen(s);
	if (len == 0 || strchr(s, '/'))
		return -EINVAL;
	if (len > NAME_MAX)
		return -ERANGE;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return -EINVAL;
	if (is_semaphore_name(s))
		return -EINVAL;
	memcpy(out, s, len + 1);
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

static int target_key(const char *s, struct target *t, const char **why)
{
	int32_t key;
	int rc = parse_key(s, &key);

	if (rc < 0) {
		*why = rc == -ERANGE ? "key out of range (32 bits)"
				     : "not a valid key";
		return rc;
	}
	if (key == 0) {
		*why = "key 0 is IPC_PRIVATE and names no single segment";
		return -EINVAL;
	}
	t->kind = TARGET_SYSV_KEY;
	t->key = key;
	return 0;
}

static int target_id(const char *s, struct target *t, const char **why)
{
	int id;
	int rc = parse_shmid(s, &id);

	if (rc < 0) {
		*why = rc == -ERANGE ? "shmid out of range"
				     : "not a valid shmid";
		return rc;
	}
	t->kind = TARGET_SYSV_ID;
	t->shmid = id;
	return 0;
}

static int target_name(const char *s, bool require_slash, struct target *t,
		       const char **why)
{
	int rc = parse_posix_name(s, require_slash, t->name);

	if (rc == -ERANGE) {
		*why = "name longer than 255 bytes";
	} else if (rc < 0) {
		const char *n = s[0] == '/' ? s + 1 : s;

		if (*n && strchr(n, '/') == NULL && is_semaphore_name(n))
			*why = "names beginning with 'sem.' are POSIX semaphores";
		else
			*why = "a POSIX name is '/' followed by 1-255 bytes "
			       "without '/'";
	}
	if (rc < 0)
		return rc;
	t->kind = TARGET_POSIX;
	return 0;
}

/* "PID:FD" or "PID:START-END" after memfd: / anon: */
static int target_proc(const char *s, bool anon, struct target *t,
		       const char **why)
{
	const char *colon = strchr(s, ':'), *dash;
	char pidbuf[16];
	size_t plen;
	pid_t pid;

	*why = "expected memfd:PID:FD, memfd:PID:START-END or "
	       "anon:PID:START-END";
	if (!colon || (plen = (size_t)(colon - s)) == 0 ||
	    plen >= sizeof(pidbuf))
		return -EINVAL;
	memcpy(pidbuf, s, plen);
	pidbuf[plen] = '\0';
	if (parse_pid(pidbuf, &pid) < 0)
		return -EINVAL;
	t->kind = TARGET_PROC;
	t->anon = anon;
	t->pid = pid;
	t->fd = -1;
	s = colon + 1;
	dash = strchr(s, '-');
	if (!dash) {
		int fd;

		if (anon || parse_fd(s, &fd) < 0)
			return -EINVAL;
		t->fd = fd;
		return 0;
	}
	{
		uint64_t a, b;

		/* Addresses as maps prints them: at most 16 hex digits. */
		if (hex_u64(s, (size_t)(dash - s), 16, UINT64_MAX, &a) < 0 ||
		    hex_u64(dash + 1, strlen(dash + 1), 16, UINT64_MAX, &b) < 0 ||
		    b <= a)
			return -EINVAL;
		t->start = a;
		t->end = b;
	}
	return 0;
}

int parse_target(const char *s, enum target_force force, struct target *t,
		 const char **why)
{
	const char *dummy;
	struct target tmp;
	int rc;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!s || s[0] == '\0') {
		*why = "empty target";
		return -EINVAL;
	}
	memset(&tmp, 0, sizeof(tmp));

	if (strncmp(s, "memfd:", 6) == 0 || strncmp(s, "anon:", 5) == 0) {
		if (force != TARGET_ANY)
			goto conflict;
		rc = s[0] == 'a' ? target_proc(s + 5, true, &tmp, why)
				 : target_proc(s + 6, false, &tmp, why);
	} else if (strncmp(s, "id:", 3) == 0) {
		if (force == TARGET_FORCE_POSIX)
			goto conflict;
		rc = target_id(s + 3, &tmp, why);
	} else if (strncmp(s, "key:", 4) == 0) {
		if (force == TARGET_FORCE_POSIX)
			goto conflict;
		rc = target_key(s + 4, &tmp, why);
	} else if (s[0] == '/') {
		if (force == TARGET_FORCE_SYSV)
			goto conflict;
		rc = target_name(s, true, &tmp, why);
	} else if (force == TARGET_FORCE_POSIX) {
		rc = target_name(s, false, &tmp, why);
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		rc = target_key(s, &tmp, why);
	} else if (all_digits(s)) {
		rc = target_id(s, &tmp, why);
	} else if (force == TARGET_FORCE_SYSV) {
		*why = "a System V target is a shmid, 0xKEY, id:N or key:K";
		rc = -EINVAL;
	} else {
		*why = "POSIX names start with '/' (or use --posix); "
		       "System V targets are a shmid or 0xKEY";
		rc = -EINVAL;
	}
	if (rc < 0)
		return rc;
	*t = tmp;
	return 0;

conflict:
	*why = "target kind conflicts with --posix/--sysv";
	return -EINVAL;
}

void target_format(const struct target *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TARGET_POSIX:
		snprintf(buf, len, "/%s", t->name);
		break;
	case TARGET_SYSV_ID:
		snprintf(buf, len, "%d", t->shmid);
		break;
	case TARGET_SYSV_KEY:
		snprintf(buf, len, "0x%08x", (uint32_t)t->key);
		break;
	case TARGET_PROC:
		if (t->fd >= 0)
			snprintf(buf, len, "%s:%d:%d", t->anon ? "anon" : "memfd",
				 t->pid, t->fd);
		else
			snprintf(buf, len, "%s:%d:%llx-%llx",
				 t->anon ? "anon" : "memfd", t->pid,
				 (unsigned long long)t->start,
				 (unsigned long long)t->end);
		break;
	}
}

int parse_ftok_spec(const char *s, char *path, size_t pathlen, int *proj)
{
	const char *colon;
	size_t plen;
	int p = 1;

	if (!s || s[0] == '\0')
		return -EINVAL;
	colon = strrchr(s, ':');
	if (colon) {
		const char *v = colon + 1;
		uint64_t n = 0;
		int rc;

		if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
			rc = hex_str(v + 2, 255, &n);
		else
			rc = dec_str(v, 255, &n);
		if (rc < 0)
			return rc;
		if (n < 1)
			return -ERANGE;
		p = (int)n;
		plen = (size_t)(colon - s);
	} else {
		plen = strlen(s);
	}
	if (plen == 0)
		return -EINVAL;
	if (plen >= pathlen)
		return -ERANGE;
	memcpy(path, s, plen);
	path[plen] = '\0';
	*proj = p;
	return 0;
}

/* Field scanners for /proc/sysvipc/shm; p advances past blanks and field. */
static void skip_blanks(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
}

static int field_u64(const char **p, const char *end, uint64_t *out)
{
	skip_blanks(p, end);
	return dec_field(p, end, " \t\n", 3, out);
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

	if (!q || hex_u64(*p, (size_t)(q - *p), 16, UINT64_MAX, out) < 0)
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
	if (dec_field(&p, end, " ", 1, &m.ino) < 0)
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
	    hex_u64(path + 5, 8, 8, UINT32_MAX, &v) < 0)
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
	return dec_field(pp, end, " \n", 2, out);
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
			return dec_field(&q, p + ll, "", 0, btime);
		}
		p += ll + 1;
	}
	return -ENOENT;
}

int parse_duration(const char *s, uint64_t *secs)
{
	uint64_t v, mult;
	size_t used;
	int rc;

	if (!s)
		return -EINVAL;
	rc = dec_u64(s, strlen(s), &v, &used);
	if (rc == -EINVAL)
		return rc;
	switch (s[used]) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	case 'w': mult = 7 * 86400; break;
	default: return -EINVAL;
	}
	if (s[used + 1] != '\0')
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (v > UINT64_MAX / mult || v * mult > (uint64_t)INT64_MAX)
		return -ERANGE;
	*secs = v * mult;
	return 0;
}
