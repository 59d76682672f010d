// SPDX-License-Identifier: MIT
/*
 * text.c - text for people: escaped names, sizes, user names.  The one
 * escaper of what users and other programs chose (ARCHITECTURE.md, Names).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <langinfo.h>
#include <stdbool.h>
#include <wchar.h>
#include <wctype.h>

#include <bsd/libutil.h>

#include "parse.h"
#include "text.h"

/*
 * The length of the UTF-8 sequence at p (at most n bytes) and its code
 * point, or 0 when it is not valid UTF-8: overlong forms, surrogates and
 * code points past U+10FFFF are not.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2, v = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, v = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, v = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

bool text_is_utf8(const char *s)
{
	size_t n = strlen(s);
	uint32_t cp;

	while (n) {
		size_t k = utf8_seq((const unsigned char *)s, n, &cp);

		if (!k)
			return false;
		s += k;
		n -= k;
	}
	return true;
}

size_t text_width(const char *s)
{
	size_t n = strlen(s), w = 0;
	uint32_t cp;

	while (n) {
		size_t k = utf8_seq((const unsigned char *)s, n, &cp);
		int cw;

		if (!k || cp < 0x80) {	/* a byte a column */
			w++;
			k = 1;
		} else {
			cw = wcwidth((wchar_t)cp);
			w += cw > 0 ? (size_t)cw : 0;
		}
		s += k;
		n -= k;
	}
	return w;
}

bool text_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* A character beyond ASCII that may be shown as it is: printable in the
 * locale, and none of the invisible ones that reorder or hide text
 * (bidirectional controls, zero-width characters, the BOM). */
static bool shown_as_is(uint32_t cp)
{
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff)
		return false;
	return iswprint((wint_t)cp) != 0;
}

void text_escape(const char *s, char *out, size_t outlen, unsigned int flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), used = 0;
	bool utf8 = text_utf8_locale();

	if (outlen == 0)
		return;
	while (n) {
		uint32_t cp = 0;
		size_t k = utf8 && p[0] >= 0x80 ? utf8_seq(p, n, &cp) : 0;
		bool plain = p[0] >= 0x20 && p[0] < 0x7f &&
			     !(p[0] == '\\' && !(flags & ESC_KEEP_BACKSLASH)) &&
			     !(p[0] == ' ' && (flags & ESC_BLANK)) &&
			     !(p[0] == ',' && (flags & ESC_COMMA)) &&
			     !((p[0] == '"' || p[0] == '$' || p[0] == '`') &&
			       (flags & ESC_SHELL));

		if (plain || (k && shown_as_is(cp))) {
			size_t m = plain ? 1 : k;

			if (used + m >= outlen)
				break;
			memcpy(out + used, p, m);
			used += m;
			p += m;
			n -= m;
			continue;
		}
		/* Every byte of anything else: \xHH, which TARGETs read
		 * back (parse_target). */
		k = k ? k : 1;
		if (used + 4 * k >= outlen)
			break;
		for (; k; k--, p++, n--) {
			out[used++] = '\\';
			out[used++] = 'x';
			out[used++] = hex[*p >> 4];
			out[used++] = hex[*p & 0xf];
		}
	}
	out[used] = '\0';
}

void name_escape(const char *name, char *out, size_t outlen)
{
	text_escape(name, out, outlen, 0);
}

int user_id(const char *s, uid_t *uid)
{
	struct passwd *pw = getpwnam(s);

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (parse_uid(s, uid) == 0)
		return 0;
	return -EINVAL;
}

int user_login_group(const char *s, gid_t *gid)
{
	struct passwd *pw = getpwnam(s);
	uid_t uid;

	if (!pw && parse_uid(s, &uid) == 0)
		pw = getpwuid(uid);
	if (!pw)
		return -EINVAL;
	*gid = pw->pw_gid;
	return 0;
}

int group_id(const char *s, gid_t *gid)
{
	struct group *gr = getgrnam(s);

	if (gr) {
		*gid = gr->gr_gid;
		return 0;
	}
	if (parse_gid(s, gid) == 0)
		return 0;
	return -EINVAL;
}

void size_human(uint64_t v, char *buf, size_t len)
{
	/* Past what humanize_number takes (int64_t): exbibytes. */
	if (v > INT64_MAX && len >= 5) {
		snprintf(buf, len, "%.0fE", (double)v / 1152921504606846976.0);
		return;
	}
	/* Under 1000 bytes, "NNNB" (what humanize_number gives, without its
	 * snprintf: a listing's every SIZE and RSS cell; from 1000 on it
	 * says "1.0K"). */
	if (v < 1000 && len >= 5) {
		char *p = buf;

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = 'B';
		*p = '\0';
		return;
	}
	/* 5: at most four characters, like "4.0K" or "256B" */
	if (len < 5 || v > INT64_MAX ||
	    humanize_number(buf, 5, (int64_t)v, "", HN_AUTOSCALE,
			    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
}
