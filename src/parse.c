// SPDX-License-Identifier: MIT
/*
 * parse.c - pure parsers for shmtool.  No I/O, no allocation, no globals:
 * everything here is unit-tested and fuzzed.
 */
#include <errno.h>
#include <string.h>

#include "num.h"
#include "parse.h"

/* Hex digits to the end of a NUL-terminated s (as many as it has). */
static int hex_str(const char *s, uint64_t max, uint64_t *out)
{
	return num_hex(s, strlen(s), SIZE_MAX, max, out);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* A whole NUL-terminated string of decimal digits, at most max. */
static int dec_str(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t used;
	int rc;

	if (!s)
		return -EINVAL;
	rc = num_dec(s, strlen(s), &v, &used);
	if (rc == -EINVAL || s[used] != '\0')
		return -EINVAL;
	if (rc < 0)
		return rc;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

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
	rc = num_dec(s, strlen(s), &v, &used);
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
	rc = num_dec(s, strlen(s), &v, &used);
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

/* A decimal 0..INT_MAX: shmids, and the PIDs and fds below. */
static int dec_int(const char *s, int *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, INT_MAX, &v);

	if (rc < 0)
		return rc;
	*out = (int)v;
	return 0;
}

int parse_shmid(const char *s, int *out)
{
	return dec_int(s, out);
}

int parse_pid(const char *s, pid_t *out)
{
	int v = -1;
	int rc = dec_int(s, &v);

	if (rc < 0)
		return rc;
	if (v == 0)
		return -ERANGE;
	*out = (pid_t)v;
	return 0;
}

int parse_fd(const char *s, int *out)
{
	return dec_int(s, out);
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

int parse_gid(const char *s, gid_t *out)
{
	uint64_t v = 0;
	int rc = dec_str(s, (uint64_t)(gid_t)-1 - 1, &v);

	if (rc < 0)
		return rc;
	*out = (gid_t)v;
	return 0;
}

/* Copy [s, s + len) into out (OWNER_WORD_MAX + 1 bytes); -ERANGE if long. */
static int owner_word(const char *s, size_t len, char *out)
{
	if (len > OWNER_WORD_MAX)
		return -ERANGE;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int parse_owner_spec(const char *s, struct owner_spec *out)
{
	struct owner_spec o = { .login_group = false };
	const char *colon;
	size_t ulen;
	int rc;

	if (!s || !*s)
		return -EINVAL;
	colon = strchr(s, ':');
	ulen = colon ? (size_t)(colon - s) : strlen(s);
	if (colon && strchr(colon + 1, ':'))
		return -EINVAL;
	if (ulen == 0 && (!colon || colon[1] == '\0'))
		return -EINVAL;	/* "" or ":": nothing to change */
	rc = owner_word(s, ulen, o.user);
	if (rc < 0)
		return rc;
	if (colon) {
		rc = owner_word(colon + 1, strlen(colon + 1), o.group);
		if (rc < 0)
			return rc;
		o.login_group = colon[1] == '\0';
	}
	*out = o;
	return 0;
}

bool is_semaphore_name(const char *name)
{
	return strncmp(name, "sem.", 4) == 0;
}

/*
 * "/NAME" (or "NAME" unless require_slash) into out: a POSIX segment's
 * file name, or with sem a named semaphore's ("sem.NAME": NAME as
 * sem_open(3) takes it, at most NAME_MAX - 4 bytes).
 */
static int posix_name(const char *s, bool require_slash, bool sem,
		      char out[NAME_MAX + 1])
{
	size_t len, pre = sem ? 4 : 0;

	if (!s)
		return -EINVAL;
	if (s[0] == '/')
		s++;
	else if (require_slash)
		return -EINVAL;
	len = strlen(s);
	if (len == 0 || strchr(s, '/'))
		return -EINVAL;
	if (len + pre > NAME_MAX)
		return -ERANGE;
	if (!sem && (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
		     is_semaphore_name(s)))
		return -EINVAL;
	memcpy(out, "sem.", pre);
	memcpy(out + pre, s, len + 1);
	return 0;
}

int parse_posix_name(const char *s, bool require_slash,
		     char out[NAME_MAX + 1])
{
	return posix_name(s, require_slash, false, out);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!num_is_digit(*s))
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

/*
 * A name as shmtool prints it back into its bytes: each \xHH (two hex
 * digits) is the byte HH, everything else is itself.  false if it does
 * not fit in len bytes or would hold a NUL.
 */
static bool unescape_name(const char *s, char *out, size_t len)
{
	size_t o = 0;

	while (*s) {
		int hi, lo;

		if (s[0] == '\\' && s[1] == 'x' &&
		    (hi = num_hexval(s[2])) >= 0 && (lo = num_hexval(s[3])) >= 0) {
			if (hi == 0 && lo == 0)
				return false;
			if (o + 1 >= len)
				return false;
			out[o++] = (char)(hi << 4 | lo);
			s += 4;
			continue;
		}
		if (o + 1 >= len)
			return false;
		out[o++] = *s++;
	}
	out[o] = '\0';
	return true;
}

/* A POSIX name, or with sem a semaphore's (after "sem:"). */
static int target_name(const char *s, bool require_slash, bool sem,
		       struct target *t, const char **why)
{
	char bytes[3 * NAME_MAX + 2];	/* room to see a name run long */
	int rc = posix_name(s, require_slash, sem, t->name);
	const char *n = s[0] == '/' ? s + 1 : s;

	/* Escapes in it: the name they spell is the target; the name as
	 * written too, if it is a valid one (JSON carries names unescaped:
	 * target_lookup takes whichever exists, and refuses if both do). */
	if (strstr(n, "\\x") && unescape_name(n, bytes + 1, sizeof(bytes) - 1) &&
	    strcmp(bytes + 1, n) != 0) {
		char spelled[NAME_MAX + 1];

		bytes[0] = '/';
		if (posix_name(bytes, true, sem, spelled) == 0) {
			t->has_literal = rc == 0;
			if (rc == 0)
				memcpy(t->literal, t->name, sizeof(t->literal));
			memcpy(t->name, spelled, sizeof(t->name));
			rc = 0;
		}
	}
	if (rc == -ERANGE) {
		*why = sem ? "semaphore name longer than 251 bytes"
			   : "name longer than 255 bytes";
	} else if (rc < 0) {
		if (sem)
			*why = "a semaphore is sem:/NAME, NAME 1-251 bytes "
			       "without '/'";
		else if (*n && strchr(n, '/') == NULL && is_semaphore_name(n))
			*why = "names beginning with 'sem.' are POSIX "
			       "semaphores: write sem:/NAME";
		else
			*why = "a POSIX name is '/' followed by 1-255 bytes "
			       "without '/'";
	}
	if (rc < 0)
		return rc;
	t->kind = TARGET_POSIX;
	t->sem = sem;
	return 0;
}

/* "PID:FD" or "PID:START-END" after memfd:, anon: or posix: */
static int target_proc(const char *s, enum seg_kind via, struct target *t,
		       const char **why)
{
	const char *colon = strchr(s, ':'), *dash;
	char pidbuf[16];
	size_t plen;
	pid_t pid;

	*why = via == SEG_POSIX
		       ? "expected posix:PID:FD or posix:PID:START-END"
		       : "expected memfd:PID:FD, memfd:PID:START-END or "
			 "anon:PID:START-END";
	if (!colon || (plen = (size_t)(colon - s)) == 0 ||
	    plen >= sizeof(pidbuf))
		return -EINVAL;
	memcpy(pidbuf, s, plen);
	pidbuf[plen] = '\0';
	if (parse_pid(pidbuf, &pid) < 0)
		return -EINVAL;
	t->kind = TARGET_PROC;
	t->via = via;
	t->pid = pid;
	t->fd = -1;
	s = colon + 1;
	dash = strchr(s, '-');
	if (!dash) {
		int fd;

		if (via == SEG_ANON || parse_fd(s, &fd) < 0)
			return -EINVAL;
		t->fd = fd;
		return 0;
	}
	{
		uint64_t a, b;

		/* Addresses as maps prints them: at most 16 hex digits. */
		if (num_hex(s, (size_t)(dash - s), 16, UINT64_MAX, &a) < 0 ||
		    num_hex(dash + 1, strlen(dash + 1), 16, UINT64_MAX, &b) < 0 ||
		    b <= a)
			return -EINVAL;
		t->start = a;
		t->end = b;
	}
	return 0;
}

/* "PATH[:PROJ]" after ftok: */
static int target_ftok(const char *s, struct target *t, const char **why)
{
	int rc = parse_ftok_spec(s, t->path, sizeof(t->path), &t->proj);

	if (rc < 0) {
		*why = rc == -ERANGE && strlen(s) >= sizeof(t->path)
			       ? "ftok path too long"
			       : "expected ftok:PATH or ftok:PATH:PROJ, PROJ "
				 "1-255 (a PATH with ':' needs its :PROJ)";
		return rc;
	}
	t->kind = TARGET_FTOK;
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
		rc = s[0] == 'a' ? target_proc(s + 5, SEG_ANON, &tmp, why)
				 : target_proc(s + 6, SEG_MEMFD, &tmp, why);
	} else if (strncmp(s, "posix:", 6) == 0) {
		/* A POSIX segment through a holder: a POSIX target. */
		if (force == TARGET_FORCE_SYSV)
			goto conflict;
		rc = target_proc(s + 6, SEG_POSIX, &tmp, why);
	} else if (strncmp(s, "sem:", 4) == 0) {
		/* A named semaphore: its file "sem.NAME" in the shm
		 * directory, a POSIX target. */
		if (force == TARGET_FORCE_SYSV)
			goto conflict;
		rc = target_name(s + 4, false, true, &tmp, why);
	} else if (strncmp(s, "ftok:", 5) == 0) {
		if (force == TARGET_FORCE_POSIX)
			goto conflict;
		rc = target_ftok(s + 5, &tmp, why);
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
		rc = target_name(s, true, false, &tmp, why);
	} else if (force == TARGET_FORCE_POSIX) {
		rc = target_name(s, false, false, &tmp, why);
	} else if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		rc = target_key(s, &tmp, why);
	} else if (all_digits(s)) {
		rc = target_id(s, &tmp, why);
	} else if (force == TARGET_FORCE_SYSV) {
		*why = "a System V target is a shmid, 0xKEY, id:N, key:K or "
		       "ftok:PATH[:PROJ]";
		rc = -EINVAL;
	} else {
		*why = "POSIX names start with '/' (or use --posix); "
		       "System V targets are a shmid or 0xKEY";
		rc = -EINVAL;
	}
	if (rc < 0)
		return rc;
	*why = NULL;
	*t = tmp;
	return 0;

conflict:
	*why = "target kind conflicts with --posix/--sysv";
	return -EINVAL;
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


int parse_duration(const char *s, uint64_t *secs)
{
	uint64_t v, mult;
	size_t used;
	int rc;

	if (!s)
		return -EINVAL;
	rc = num_dec(s, strlen(s), &v, &used);
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
