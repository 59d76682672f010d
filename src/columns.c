// SPDX-License-Identifier: MIT
/*
 * columns.c - what each column shows, one getter per column.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "columns.h"

/* clang-format off */
const struct coldef coldefs[NCOLS] = {
	[COL_SEGMENT] = { "SEGMENT", "Segment", CT_STRING, 0.1, false, "the TARGET: /name (POSIX) or shmid (SysV)" },
	[COL_KIND]    = { "KIND",    "Kind",    CT_STRING, 1, false, "sysv or posix" },
	[COL_ID]      = { "ID",      "ID",      CT_NUMBER, 1, true,  "SysV shmid" },
	[COL_KEY]     = { "KEY",     "Key",     CT_STRING, 1, false, "SysV key" },
	[COL_NAME]    = { "NAME",    "Name",    CT_STRING, 0.1, false, "POSIX name (without the slash)" },
	[COL_OWNER]   = { "OWNER",   "Owner",   CT_STRING, 1, false, "owner's user name" },
	[COL_UID]     = { "UID",     "UID",     CT_NUMBER, 1, true,  "owner's user ID" },
	[COL_GROUP]   = { "GROUP",   "Group",   CT_STRING, 1, false, "owner's group name" },
	[COL_GID]     = { "GID",     "GID",     CT_NUMBER, 1, true,  "owner's group ID" },
	[COL_CUID]    = { "CUID",    "Creator UID", CT_NUMBER, 1, true, "SysV creator's user ID" },
	[COL_CGID]    = { "CGID",    "Creator GID", CT_NUMBER, 1, true, "SysV creator's group ID" },
	[COL_PERMS]   = { "PERMS",   "Perms",   CT_STRING, 1, false, "permissions" },
	[COL_SIZE]    = { "SIZE",    "Size",    CT_SIZE,   1, true,  "size" },
	[COL_RSS]     = { "RSS",     "RSS",     CT_SIZE,   1, true,  "memory in use (SysV rss; POSIX blocks)" },
	[COL_SWAP]    = { "SWAP",    "Swap",    CT_SIZE,   1, true,  "SysV memory swapped out" },
	[COL_NATTCH]  = { "NATTCH",  "Attached", CT_NUMBER, 1, true, "SysV number of attachments (mappings)" },
	[COL_CPID]    = { "CPID",    "Creator PID", CT_NUMBER, 1, true, "SysV creator's PID" },
	[COL_LPID]    = { "LPID",    "Last PID", CT_NUMBER, 1, true,  "SysV PID of the last attach or detach" },
	[COL_CTIME]   = { "CTIME",   "Changed", CT_TIME,   1, false, "last change" },
	[COL_ATIME]   = { "ATIME",   "Attached at", CT_TIME, 1, false, "last attach (SysV), last access (POSIX)" },
	[COL_DTIME]   = { "DTIME",   "Detached at", CT_TIME, 1, false, "SysV last detach" },
	[COL_MTIME]   = { "MTIME",   "Modified", CT_TIME,  1, false, "POSIX last modification" },
	[COL_STATUS]  = { "STATUS",  "Status",  CT_STRING, 1, false, "dest, locked, hugetlb, deleted, unused, unverified, orphan" },
};
/* clang-format on */

void mode_string(unsigned int mode, char buf[10])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	for (i = 0; i < 9; i++)
		buf[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	buf[9] = '\0';
}

void time_iso(time_t t, char *buf, size_t len)
{
	struct tm tm;
	char tmp[64];
	size_t n;

	if (!localtime_r(&t, &tm) ||
	    (n = strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S%z", &tm)) < 5) {
		snprintf(buf, len, "%lld", (long long)t);
		return;
	}
	/* +0100 -> +01:00 */
	snprintf(buf, len, "%.*s:%s", (int)(n - 2), tmp, tmp + n - 2);
}

void segment_target(const struct segment *s, char *buf, size_t len)
{
	char esc[NAME_ESC_MAX];

	if (s->kind == SEG_SYSV) {
		snprintf(buf, len, "%d", s->shmid);
		return;
	}
	name_escape(s->name, esc, sizeof(esc));
	snprintf(buf, len, "/%s", esc);
}

static void status_string(unsigned int st, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *word;
	} words[] = {
		{ SEG_ST_DEST, "dest" },	 { SEG_ST_LOCKED, "locked" },
		{ SEG_ST_HUGETLB, "hugetlb" },	 { SEG_ST_DELETED, "deleted" },
		{ SEG_ST_UNUSED, "unused" },	 { SEG_ST_UNVERIFIED, "unverified" },
		{ SEG_ST_ORPHAN, "orphan" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n;

		if (!(st & words[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
			     words[i].word);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		name_escape(pw->pw_name, buf, len);
	else
		snprintf(buf, len, "%u", (unsigned int)uid);
}

static void group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr)
		name_escape(gr->gr_name, buf, len);
	else
		snprintf(buf, len, "%u", (unsigned int)gid);
}

void column_get(enum col_id col, const struct segment *s, struct cell *c)
{
	bool sysv = s->kind == SEG_SYSV;

	memset(c, 0, offsetof(struct cell, str));
	c->str[0] = '\0';
	switch (col) {
	case COL_SEGMENT:
		segment_target(s, c->str, sizeof(c->str));
		break;
	case COL_KIND:
		snprintf(c->str, sizeof(c->str), "%s", sysv ? "sysv" : "posix");
		break;
	case COL_ID:
		c->null = !sysv;
		c->num = (uint64_t)s->shmid;
		break;
	case COL_KEY:
		c->null = !sysv;
		snprintf(c->str, sizeof(c->str), "0x%08x", (uint32_t)s->key);
		break;
	case COL_NAME:
		c->null = sysv;
		name_escape(s->name, c->str, sizeof(c->str));
		break;
	case COL_OWNER:
		user_name(s->uid, c->str, sizeof(c->str));
		break;
	case COL_UID:
		c->num = s->uid;
		break;
	case COL_GROUP:
		group_name(s->gid, c->str, sizeof(c->str));
		break;
	case COL_GID:
		c->num = s->gid;
		break;
	case COL_CUID:
		c->null = !sysv;
		c->num = s->cuid;
		break;
	case COL_CGID:
		c->null = !sysv;
		c->num = s->cgid;
		break;
	case COL_PERMS:
		mode_string(s->mode, c->str);
		break;
	case COL_SIZE:
		c->num = s->size;
		break;
	case COL_RSS:
		c->null = !s->has_rss;
		c->num = s->rss;
		break;
	case COL_SWAP:
		c->null = !s->has_swap;
		c->num = s->swap;
		break;
	case COL_NATTCH:
		c->null = !sysv;
		c->num = s->nattch;
		break;
	case COL_CPID:
		c->null = !sysv;
		c->num = (uint64_t)s->cpid;
		break;
	case COL_LPID:
		c->null = !sysv;
		c->num = (uint64_t)s->lpid;
		break;
	case COL_CTIME:
		c->time = s->ctime;
		break;
	case COL_ATIME:
		c->null = s->atime == 0;
		c->time = s->atime;
		break;
	case COL_DTIME:
		c->null = !sysv || s->dtime == 0;
		c->time = s->dtime;
		break;
	case COL_MTIME:
		c->null = sysv;
		c->time = s->mtime;
		break;
	case COL_STATUS:
		status_string(s->status, c->str, sizeof(c->str));
		break;
	case NCOLS:
		c->null = true;
		break;
	}
}

int column_by_name(const char *name, size_t len)
{
	int i;

	for (i = 0; i < NCOLS; i++)
		if (strlen(coldefs[i].name) == len &&
		    strncasecmp(coldefs[i].name, name, len) == 0)
			return i;
	return -1;
}

int columns_parse(const char *spec, int *cols, size_t *ncols, size_t max,
		  const char **bad, size_t *badlen)
{
	int tmp[4 * NCOLS];
	size_t n = 0;
	const char *p = spec;

	if (max > sizeof(tmp) / sizeof(tmp[0]))
		max = sizeof(tmp) / sizeof(tmp[0]);
	*bad = spec;
	*badlen = 0;
	if (*p == '+') {
		if (*ncols > max)
			return -EINVAL;
		memcpy(tmp, cols, *ncols * sizeof(*cols));
		n = *ncols;
		p++;
	}
	if (*p == '\0')
		return -EINVAL;
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int c = column_by_name(p, len);

		if (c < 0 || n >= max) {
			*bad = p;
			*badlen = len;
			return -EINVAL;
		}
		tmp[n++] = c;
		if (!e)
			break;
		p = e + 1;
	}
	memcpy(cols, tmp, n * sizeof(*cols));
	*ncols = n;
	return 0;
}

int column_compare(enum col_id col, const struct segment *a,
		   const struct segment *b)
{
	struct cell ca, cb;

	column_get(col, a, &ca);
	column_get(col, b, &cb);
	if (ca.null || cb.null)
		return (int)cb.null - (int)ca.null;
	switch (coldefs[col].type) {
	case CT_NUMBER:
	case CT_SIZE:
		return (ca.num > cb.num) - (ca.num < cb.num);
	case CT_TIME:
		return (ca.time > cb.time) - (ca.time < cb.time);
	case CT_STRING:
		break;
	}
	return strcmp(ca.str, cb.str);
}
