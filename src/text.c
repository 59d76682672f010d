// SPDX-License-Identifier: MIT
/*
 * text.c - text for people: escaped names, sizes, user names.
 */
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <bsd/libutil.h>
#define LIBBSD_OPENBSD_VIS
#include <bsd/vis.h>

#include "parse.h"
#include "text.h"

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

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (parse_uid(s, uid) == 0)
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
	/* 5: at most four characters, like "4.0K" or "256B" */
	if (len < 5 || v > INT64_MAX ||
	    humanize_number(buf, 5, (int64_t)v, "", HN_AUTOSCALE,
			    HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
}
