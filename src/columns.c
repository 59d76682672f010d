// SPDX-License-Identifier: MIT
/*
 * columns.c - what each column shows, one getter per column.
 */
#include <errno.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "inventory.h"
#include "parse.h"
#include "procfmt.h"
#include "procscan.h"

#include "columns.h"

/* clang-format off */
const struct coldef coldefs[NCOLS] = {
	[COL_SEGMENT] = { "SEGMENT", "Segment", CT_STRING, 0.1, false, "the TARGET: /name (POSIX), shmid (SysV), memfd:PID:FD, anon:PID:START-END, posix:PID:FD (deleted)" },
	[COL_KIND]    = { "KIND",    "Kind",    CT_STRING, 1, false, "sysv, posix, memfd or anon" },
	[COL_ID]      = { "ID",      "ID",      CT_NUMBER, 1, true,  "SysV shmid" },
	[COL_KEY]     = { "KEY",     "Key",     CT_STRING, 1, false, "SysV key" },
	[COL_NAME]    = { "NAME",    "Name",    CT_STRING, 0.1, false, "POSIX name (without the slash)" },
	[COL_OWNER]   = { "OWNER",   "Owner",   CT_STRING, 1, false, "owner's user name" },
	[COL_UID]     = { "UID",     "UID",     CT_NUMBER, 1, true,  "owner's user ID" },
	[COL_GROUP]   = { "GROUP",   "Group",   CT_STRING, 1, false, "owner's group name" },
	[COL_GID]     = { "GID",     "GID",     CT_NUMBER, 1, true,  "owner's group ID" },
	[COL_CUID]    = { "CUID",    "Creator UID", CT_NUMBER, 1, true, "SysV creator's user ID" },
	[COL_CUSER]   = { "CUSER",   "Creator user", CT_STRING, 1, false, "SysV creator's user name (its ID if it has none)" },
	[COL_CGID]    = { "CGID",    "Creator GID", CT_NUMBER, 1, true, "SysV creator's group ID" },
	[COL_CGROUP]  = { "CGROUP",  "Creator group", CT_STRING, 1, false, "SysV creator's group name (its ID if it has none)" },
	[COL_PERMS]   = { "PERMS",   "Perms",   CT_STRING, 1, false, "permissions" },
	[COL_SIZE]    = { "SIZE",    "Size",    CT_SIZE,   1, true,  "size" },
	[COL_RSS]     = { "RSS",     "RSS",     CT_SIZE,   1, true,  "memory in use (SysV rss; POSIX blocks)" },
	[COL_SWAP]    = { "SWAP",    "Swap",    CT_SIZE,   1, true,  "SysV memory swapped out" },
	[COL_NATTCH]  = { "NATTCH",  "Attached", CT_NUMBER, 1, true, "SysV number of attachments (mappings)" },
	[COL_PROCS]   = { "PROCS",   "Processes", CT_NUMBER, 1, true, "processes that map it or hold an fd to it" },
	[COL_PIDS]    = { "PIDS",    "PIDs",    CT_NUMLIST, 0.1, false, "their PIDs" },
	[COL_COMMANDS] = { "COMMANDS", "Commands", CT_STRLIST, 0.1, false, "their command names" },
	[COL_CPID]    = { "CPID",    "Creator PID", CT_NUMBER, 1, true, "SysV creator's PID" },
	[COL_CCOMM]   = { "CCOMM",   "Creator command", CT_STRING, 0.1, false, "SysV creator's command while it runs (empty once gone or its PID reused)" },
	[COL_LPID]    = { "LPID",    "Last PID", CT_NUMBER, 1, true,  "SysV PID of the last attach or detach" },
	[COL_LCOMM]   = { "LCOMM",   "Last command", CT_STRING, 0.1, false, "command of LPID while it runs (empty once gone or its PID reused)" },
	[COL_CTIME]   = { "CTIME",   "Changed", CT_TIME,   1, false, "last change" },
	[COL_ATIME]   = { "ATIME",   "Attached at", CT_TIME, 1, false, "last attach (SysV), last access (POSIX)" },
	[COL_DTIME]   = { "DTIME",   "Detached at", CT_TIME, 1, false, "SysV last detach" },
	[COL_MTIME]   = { "MTIME",   "Modified", CT_TIME,  1, false, "POSIX last modification" },
	[COL_STATUS]  = { "STATUS",  "Status",  CT_STRING, 1, false, "dest, locked, hugetlb, deleted, unused, unverified, orphan, creator-alive, creator-unseen, kept" },
	[COL_IPCNS]   = { "IPCNS",   "IPC namespace", CT_NUMBER, 1, true, "SysV: its IPC namespace (inode of /proc/PID/ns/ipc)" },
	[COL_MNTNS]   = { "MNTNS",   "Mount namespace", CT_NUMBER, 1, true, "POSIX: the mount namespace its shm directory was found in" },
	[COL_NSHINT]  = { "NSHINT",  "Namespace of", CT_STRING, 0.1, false, "whose namespace: a process in it (command, cgroup)" },
	[COL_VALUE]   = { "VALUE",   "Value",   CT_NUMBER, 1, true,  "semaphore's value (ls --sem)" },
	[COL_WAITERS] = { "WAITERS", "Waiters", CT_NUMBER, 1, true,  "semaphore's waiting threads (ls --sem)" },
};

const struct coldef mcoldefs[NMCOLS] = {
	[MCOL_PID]     = { "PID",     "PID",     CT_NUMBER, 1, true,  "process ID" },
	[MCOL_COMM]    = { "COMM",    "Command", CT_STRING, 0.1, false, "command name" },
	[MCOL_USER]    = { "USER",    "User",    CT_STRING, 1, false, "the process's user" },
	[MCOL_SEGMENT] = { "SEGMENT", "Segment", CT_STRING, 0.1, false, "the TARGET: /name, shmid, memfd:PID:FD, anon:PID:START-END or posix:PID:FD (deleted)" },
	[MCOL_KIND]    = { "KIND",    "Kind",    CT_STRING, 1, false, "sysv, posix, memfd or anon" },
	[MCOL_START]   = { "START",   "Start",   CT_HEX,    1, true,  "first address of the mapping" },
	[MCOL_END]     = { "END",     "End",     CT_HEX,    1, true,  "address after the mapping" },
	[MCOL_PERMS]   = { "PERMS",   "Perms",   CT_STRING, 1, false, "mapping permissions (rw-s)" },
	[MCOL_OFFSET]  = { "OFFSET",  "Offset",  CT_NUMBER, 1, true,  "offset of the mapping in the segment" },
	[MCOL_MAPSIZE] = { "MAPSIZE", "Map size", CT_SIZE,  1, true,  "size of the mapping" },
	[MCOL_HOW]     = { "HOW",     "How",     CT_STRING, 1, false, "map (a mapping), fd (an open file descriptor) or exe (the program it runs)" },
	[MCOL_FD]      = { "FD",      "FD",      CT_NUMBER, 1, true,  "the file descriptor (HOW fd)" },
	[MCOL_DELETED] = { "DELETED", "Deleted", CT_BOOL,   1, false, "the segment's name is gone (unlinked or IPC_RMID)" },
};

/* clang-format on */

/* clang-format off */
const struct coldef sumdefs[NSUMCOLS] = {
	[SUM_GROUP]    = { "GROUP",    "Group",    CT_STRING, 1, false, "user or process (--by)" },
	[SUM_AREA]     = { "AREA",     "Area",     CT_STRING, 1, false, "the shm directory, sysv" },
	[SUM_WHAT]     = { "WHAT",     "What",     CT_STRING, 1, false, "the bucket" },
	[SUM_COUNT]    = { "COUNT",    "Count",    CT_NUMBER, 1, true,  "how many" },
	[SUM_MAXCOUNT] = { "MAXCOUNT", "Max count", CT_NUMBER, 1, true, "the limit on how many (SysV shmmni)" },
	[SUM_SIZE]     = { "SIZE",     "Size",     CT_SIZE,   1, true,  "their total size" },
	[SUM_MAXSIZE]  = { "MAXSIZE",  "Max size", CT_SIZE,   1, true,  "the limit (file system size; SysV shmall, shmmax)" },
	[SUM_USED]     = { "USED",     "Used",     CT_SIZE,   1, true,  "memory they really use" },
	[SUM_SWAP]     = { "SWAP",     "Swap",     CT_SIZE,   1, true,  "SysV: swapped out" },
	[SUM_PIDS]     = { "PIDS",     "PIDs",     CT_NUMLIST, 0.1, false, "who holds them" },
};
/* clang-format on */


void cell_release(struct cell *c)
{
	free(c->list);
	c->list = NULL;
	c->listlen = 0;
}

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

int time_fmt_parse(const char *s, enum time_fmt *f)
{
	static const char *const names[] = {
		[TIME_ISO] = "iso", [TIME_FULL] = "full",
		[TIME_SHORT] = "short", [TIME_EPOCH] = "epoch",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum time_fmt)i;
			return 0;
		}
	return -EINVAL;
}

/* "Today", once per run: every cell of one table is shown against the
 * same day (a table streamed in two passes prints what it measured), and
 * localtime_r is not paid per cell.  NULL if localtime cannot say. */
static const struct tm *today_tm(void)
{
	static struct tm today;
	static int known;	/* 0: not yet, 1: today, -1: cannot say */

	if (!known) {
		time_t now = time(NULL);

		known = localtime_r(&now, &today) ? 1 : -1;
	}
	return known > 0 ? &today : NULL;
}

void time_format(time_t t, enum time_fmt f, char *buf, size_t len)
{
	const struct tm *today;
	struct tm tm;
	size_t n = 0;

	if (f == TIME_ISO) {
		time_iso(t, buf, len);
		return;
	}
	if (f != TIME_EPOCH && localtime_r(&t, &tm)) {
		if (f == TIME_FULL)
			n = strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
		else if (!(today = today_tm()))
			n = 0;
		else if (tm.tm_year != today->tm_year)
			n = strftime(buf, len, "%Y-%m-%d", &tm);
		else if (tm.tm_yday != today->tm_yday)
			n = strftime(buf, len, "%b%d", &tm);
		else
			n = strftime(buf, len, "%H:%M", &tm);
	}
	if (n == 0)	/* epoch, or a time localtime cannot take */
		snprintf(buf, len, "%lld", (long long)t);
}

const char *kind_name(enum seg_kind kind)
{
	switch (kind) {
	case SEG_SYSV:
		return "sysv";
	case SEG_POSIX:
		return "posix";
	case SEG_MEMFD:
		return "memfd";
	case SEG_ANON:
		return "anon";
	}
	return "?";
}

/* buf = prefix + s, cut to len (snprintf's result without its format
 * parsing: the getters run for every cell of 100,000 rows). */
static void copy_str(char *buf, size_t len, const char *prefix,
		     const char *s)
{
	size_t p = strlen(prefix), n = strlen(s);

	if (!len)
		return;
	if (p >= len)
		p = len - 1;
	memcpy(buf, prefix, p);
	if (n > len - 1 - p)
		n = len - 1 - p;
	memcpy(buf + p, s, n);
	buf[p + n] = '\0';
}

/* "sem:/NAME" for a semaphore's file "sem.NAME", else "/NAME". */
static void posix_target(const char *name, char *buf, size_t len)
{
	if (is_semaphore_name(name))
		copy_str(buf, len, "sem:/", name + 4);
	else
		copy_str(buf, len, "/", name);
}

/* The TARGET of a segment as it is, unescaped (the renderer escapes). */
static void target_of(const struct segment *s, char *buf, size_t len)
{
	if (s->kind == SEG_SYSV) {
		snprintf(buf, len, "%d", s->shmid);
		return;
	}
	/* memfd and anon memory have no name; a deleted POSIX segment's is
	 * gone, and may be another segment's now: through a holder. */
	if (s->kind == SEG_MEMFD || s->kind == SEG_ANON ||
	    (s->kind == SEG_POSIX && (s->status & SEG_ST_DELETED) &&
	     s->via_pid > 0)) {
		if (s->via_fd >= 0)
			snprintf(buf, len, "%s:%d:%d", kind_name(s->kind),
				 (int)s->via_pid, s->via_fd);
		else
			snprintf(buf, len, "%s:%d:%llx-%llx",
				 kind_name(s->kind), (int)s->via_pid,
				 (unsigned long long)s->via_start,
				 (unsigned long long)s->via_end);
		return;
	}
	posix_target(seg_name(s), buf, len);
}

static void holder_target_of(const struct holder *r, char *buf, size_t len)
{
	const struct holding *h = r->h;

	if (h->kind == SEG_MEMFD || h->kind == SEG_ANON ||
	    (h->kind == SEG_POSIX && !r->seg && h->deleted &&
	     h->how != HOW_EXE)) {
		if (h->how == HOW_FD)
			snprintf(buf, len, "%s:%d:%d", kind_name(h->kind),
				 (int)h->pid, h->fd);
		else
			snprintf(buf, len, "%s:%d:%llx-%llx",
				 kind_name(h->kind), (int)h->pid,
				 (unsigned long long)h->start,
				 (unsigned long long)h->end);
		return;
	}
	if (r->seg) {
		target_of(r->seg, buf, len);
		return;
	}
	if (h->kind == SEG_SYSV) {
		snprintf(buf, len, "%d", (int)h->ino);
		return;
	}
	posix_target(h->name ? h->name : "", buf, len);
}

bool segment_name_matches(const struct segment *s, const char *glob)
{
	char key[16];
	const char *name = seg_name(s);

	if (s->kind == SEG_SYSV) {
		snprintf(key, sizeof(key), "0x%08x", (uint32_t)s->key);
		name = key;
	} else if (s->kind == SEG_ANON) {
		name = "";
	} else if (s->sem) {
		name += 4;	/* "sem." */
	}
	return fnmatch(glob, name, 0) == 0;
}

void segment_target(const struct segment *s, char *buf, size_t len)
{
	char raw[NAME_MAX + 64];

	target_of(s, raw, sizeof(raw));
	name_escape(raw, buf, len);
}

void holder_target(const struct holder *r, char *buf, size_t len)
{
	char raw[NAME_MAX + 64];

	holder_target_of(r, raw, sizeof(raw));
	name_escape(raw, buf, len);
}

static void status_string(unsigned int st, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *word;
	} words[] = {
		{ SEG_ST_DEST, "dest" },	 { SEG_ST_LOCKED, "locked" },
		{ SEG_ST_HUGETLB, "hugetlb" },	 { SEG_ST_DELETED, "deleted" },
		{ SEG_ST_UNUSED, "unused" },	 { SEG_ST_ORPHAN, "orphan" },
		{ SEG_ST_CREATOR_ALIVE, "creator-alive" },
		{ SEG_ST_CREATOR_UNSEEN, "creator-unseen" },
		{ SEG_ST_UNVERIFIED, "unverified" },
		{ SEG_ST_KEPT, "kept" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n;

		if (!(st & words[i].bit))
			continue;
		n = strlen(words[i].word) + (used ? 1 : 0);
		if (n >= len - used)
			break;
		copy_str(buf + used, len - used, used ? "," : "",
			 words[i].word);
		used += n;
	}
}

/*
 * uid/gid -> name, remembered: getpwuid() reads /etc/passwd on
 * every call, and a listing asks the same few ids thousands of times.
 */
struct idname {
	bool used;
	unsigned int id;
	char name[64];
};

static const char *id_name(struct idname *cache, size_t n, unsigned int id,
			   bool group)
{
	struct idname *e = &cache[id % n];

	if (!e->used || e->id != id) {
		const char *nm = NULL;

		if (group) {
			struct group *gr = getgrgid((gid_t)id);

			nm = gr ? gr->gr_name : NULL;
		} else {
			struct passwd *pw = getpwuid((uid_t)id);

			nm = pw ? pw->pw_name : NULL;
		}
		if (nm && strlen(nm) < sizeof(e->name))
			snprintf(e->name, sizeof(e->name), "%s", nm);
		else
			snprintf(e->name, sizeof(e->name), "%u", id);
		e->used = true;
		e->id = id;
	}
	return e->name;
}

static void user_name(uid_t uid, char *buf, size_t len)
{
	static struct idname cache[64];

	copy_str(buf, len, "", id_name(cache, 64, (unsigned int)uid, false));
}

static void group_name(gid_t gid, char *buf, size_t len)
{
	static struct idname cache[64];

	copy_str(buf, len, "", id_name(cache, 64, (unsigned int)gid, true));
}

/* Append an item (with its NUL) to a cell's malloc'd list; false on
 * ENOMEM. */
static bool list_add(struct cell *c, const char *item)
{
	size_t n = strlen(item) + 1;
	char *nl = realloc(c->list, c->listlen + n);

	if (!nl)
		return false;
	memcpy(nl + c->listlen, item, n);
	c->list = nl;
	c->listlen += n;
	return true;
}

/* Distinct PIDs among a segment's holdings, in ascending order. */
static size_t holder_pids(const struct segment *s, pid_t *out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->hcount; i++) {
		pid_t pid = s->scan->h[s->hfirst + i].pid;

		for (j = 0; j < n && out[j] != pid; j++)
			;
		if (j < n)
			continue;
		if (n == max)
			break;
		/* insertion sort: lists are short */
		for (j = n; j > 0 && out[j - 1] > pid; j--)
			out[j] = out[j - 1];
		out[j] = pid;
		n++;
	}
	return n;
}

static void holders_cell(enum col_id col, const struct segment *s,
			 struct cell *c)
{
	size_t n, i;
	pid_t *pids;

	if (!s->scan) {
		c->null = true;
		return;
	}
	pids = s->hcount ? malloc(s->hcount * sizeof(*pids)) : NULL;
	n = pids ? holder_pids(s, pids, s->hcount) : 0;
	if (col == COL_PROCS) {
		c->num = n;
	} else {
		c->list = malloc(1);	/* an empty list, not a null cell */
		for (i = 0; c->list && i < n; i++) {
			const struct proc_info *p = scan_proc(s->scan, pids[i]);
			char num[16];
			const char *item = num;
			size_t k;
			bool dup = false;

			if (col == COL_PIDS) {
				snprintf(num, sizeof(num), "%d", (int)pids[i]);
			} else {
				item = p ? p->comm : "?";
				/* one entry per distinct command */
				for (k = 0; k < i && !dup; k++) {
					const struct proc_info *q =
						scan_proc(s->scan, pids[k]);

					dup = strcmp(q ? q->comm : "?",
						     item) == 0;
				}
				if (dup)
					continue;
			}
			if (!list_add(c, item)) {
				free(c->list);
				c->list = NULL;
			}
		}
		if (!c->list)
			c->null = true;
	}
	free(pids);
}

/*
 * CCOMM, LCOMM: the command of the process the kernel recorded as pid at
 * time t, while that very process runs (ARCHITECTURE.md, Verdicts: a PID
 * now naming a process started later is another process); null when it
 * is gone, reused, unseen, or there was no scan.
 */
static void comm_cell(const struct segment *s, pid_t pid, time_t t,
		      struct cell *c)
{
	const struct proc_info *p = NULL;

	if (s->kind == SEG_SYSV && s->scan && !s->foreign && t)
		p = scan_proc_since(s->scan, pid, t);
	c->null = !p;
	if (p)
		copy_str(c->str, sizeof(c->str), "", p->comm);
}

void column_get(enum col_id col, const struct segment *s, struct cell *c)
{
	bool sysv = s->kind == SEG_SYSV;

	memset(c, 0, offsetof(struct cell, str));
	c->str[0] = '\0';
	c->list = NULL;
	c->listlen = 0;
	if (s->nostat) {
		switch (col) {
		case COL_OWNER: case COL_UID: case COL_GROUP: case COL_GID:
		case COL_PERMS: case COL_SIZE: case COL_RSS: case COL_CTIME:
		case COL_ATIME: case COL_MTIME:
			c->null = true;
			return;
		default:
			break;
		}
	}
	switch (col) {
	case COL_SEGMENT:
		target_of(s, c->str, sizeof(c->str));
		break;
	case COL_KIND:
		copy_str(c->str, sizeof(c->str), "",
			 s->sem ? "sem" : kind_name(s->kind));
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
		/* a semaphore's as sem_open takes it, without the slash */
		c->null = sysv || s->kind == SEG_ANON;
		copy_str(c->str, sizeof(c->str), "",
			 s->sem ? seg_name(s) + 4 : seg_name(s));
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
	case COL_CUSER:
		c->null = !sysv;
		user_name(s->cuid, c->str, sizeof(c->str));
		break;
	case COL_CGID:
		c->null = !sysv;
		c->num = s->cgid;
		break;
	case COL_CGROUP:
		c->null = !sysv;
		group_name(s->cgid, c->str, sizeof(c->str));
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
	case COL_PROCS:
	case COL_PIDS:
	case COL_COMMANDS:
		holders_cell(col, s, c);
		break;
	case COL_CPID:
		c->null = !sysv;
		c->num = (uint64_t)s->cpid;
		break;
	case COL_CCOMM:
		/* the creator started before the segment was made */
		comm_cell(s, s->cpid, s->ctime, c);
		break;
	case COL_LPID:
		c->null = !sysv;
		c->num = (uint64_t)s->lpid;
		break;
	case COL_LCOMM:
		/* and the last attacher before its attach or detach */
		comm_cell(s, s->lpid, s->atime > s->dtime ? s->atime : s->dtime,
			  c);
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
		c->null = sysv || s->nostat;
		c->time = s->mtime;
		break;
	case COL_STATUS:
		status_string(s->status, c->str, sizeof(c->str));
		break;
	case COL_IPCNS:
		c->null = !sysv || !s->ipcns;
		c->num = s->ipcns;
		break;
	case COL_MNTNS:
		c->null = s->kind != SEG_POSIX || !s->mntns;
		c->num = s->mntns;
		break;
	case COL_NSHINT:
		c->null = !s->nshint || !s->nshint[0];
		copy_str(c->str, sizeof(c->str), "", s->nshint ? s->nshint : "");
		break;
	case COL_VALUE:
		c->null = !s->has_semval;
		c->num = s->sem_value;
		break;
	case COL_WAITERS:
		c->null = !s->has_semval;
		c->num = s->sem_waiters;
		break;
	case NCOLS:
		c->null = true;
		break;
	}
}

int column_find(const struct coldef *defs, size_t ndefs, const char *name,
		size_t len)
{
	size_t i;

	for (i = 0; i < ndefs; i++)
		if (strlen(defs[i].name) == len &&
		    strncasecmp(defs[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

int columns_parse_in(const struct coldef *defs, size_t ndefs,
		     const char *spec, int *cols, size_t *ncols, size_t max,
		     const char **bad, size_t *badlen)
{
	int tmp[4 * ((int)NCOLS > (int)NMCOLS ? (int)NCOLS : (int)NMCOLS)];
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
		int c = column_find(defs, ndefs, p, len);

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

void mcolumn_get(enum mcol_id col, const struct holder *r, struct cell *c)
{
	const struct holding *h = r->h;
	bool map = h->how == HOW_MAP;

	memset(c, 0, offsetof(struct cell, str));
	c->str[0] = '\0';
	c->list = NULL;
	c->listlen = 0;
	switch (col) {
	case MCOL_PID:
		c->num = (uint64_t)h->pid;
		break;
	case MCOL_COMM:
		copy_str(c->str, sizeof(c->str), "", r->p ? r->p->comm : "?");
		break;
	case MCOL_USER:
		if (r->p)
			user_name(r->p->uid, c->str, sizeof(c->str));
		else
			c->null = true;
		break;
	case MCOL_SEGMENT:
		holder_target_of(r, c->str, sizeof(c->str));
		break;
	case MCOL_KIND:
		copy_str(c->str, sizeof(c->str), "",
			 h->kind == SEG_POSIX && h->name &&
				 is_semaphore_name(h->name)
				 ? "sem"
				 : kind_name(h->kind));
		break;
	case MCOL_START:
		c->null = !map;
		c->num = h->start;
		break;
	case MCOL_END:
		c->null = !map;
		c->num = h->end;
		break;
	case MCOL_PERMS:
		c->null = !map;
		snprintf(c->str, sizeof(c->str), "%c%c%c%c",
			 h->flags & MAPS_R ? 'r' : '-',
			 h->flags & MAPS_W ? 'w' : '-',
			 h->flags & MAPS_X ? 'x' : '-',
			 h->flags & MAPS_SHARED ? 's' : 'p');
		break;
	case MCOL_OFFSET:
		c->null = !map;
		c->num = h->offset;
		break;
	case MCOL_MAPSIZE:
		c->null = !map;
		c->num = h->end - h->start;
		break;
	case MCOL_HOW:
		copy_str(c->str, sizeof(c->str), "",
			 map ? "map" : h->how == HOW_FD ? "fd" : "exe");
		break;
	case MCOL_FD:
		c->null = h->how != HOW_FD;
		c->num = (uint64_t)h->fd;
		break;
	case MCOL_DELETED:
		c->num = r->deleted;
		break;
	case NMCOLS:
		c->null = true;
		break;
	}
}

int cell_compare(enum col_type type, const struct cell *a,
		 const struct cell *b)
{
	if (a->null || b->null)
		return (int)b->null - (int)a->null;
	switch (type) {
	case CT_NUMBER:
	case CT_SIZE:
	case CT_HEX:
	case CT_BOOL:
	case CT_PERCENT:
		return (a->num > b->num) - (a->num < b->num);
	case CT_TIME:
		return (a->time > b->time) - (a->time < b->time);
	case CT_NUMLIST:
	case CT_STRLIST:
	{
		size_t n = a->listlen < b->listlen ? a->listlen : b->listlen;
		int r = n ? memcmp(a->list, b->list, n) : 0;

		return r ? r : (a->listlen > b->listlen) - (a->listlen < b->listlen);
	}
	case CT_STRING:
		break;
	}
	/* Natural order: shmid 9 before 10, psm_2 before psm_10. */
	return strverscmp(a->str, b->str);
}

void scolumn_get(enum sum_col col, const struct sumrow *r, struct cell *c)
{

	memset(c, 0, offsetof(struct cell, str));
	c->str[0] = '\0';
	c->list = NULL;
	c->listlen = 0;
	switch (col) {
	case SUM_GROUP:
		copy_str(c->str, sizeof(c->str), "", r->group);
		return;
	case SUM_AREA:
		copy_str(c->str, sizeof(c->str), "", r->area);
		return;
	case SUM_WHAT:
		copy_str(c->str, sizeof(c->str), "", r->what);
		return;
	case SUM_PIDS: {
		size_t i, len = 0;

		c->null = !(r->has & HAS(SUM_PIDS));
		if (c->null)
			return;
		c->list = malloc(r->npid * 12 + 1);
		if (!c->list) {
			c->null = true;
			return;
		}
		for (i = 0; i < r->npid; i++)
			len += (size_t)sprintf(c->list + len, "%d",
					       (int)r->pidv[i]) + 1;
		c->listlen = len;
		return;
	}
	case SUM_COUNT: c->num = r->count; break;
	case SUM_MAXCOUNT: c->num = r->maxcount; break;
	case SUM_SIZE: c->num = r->size; break;
	case SUM_MAXSIZE: c->num = r->maxsize; break;
	case SUM_USED: c->num = r->used; break;
	case SUM_SWAP: c->num = r->swap; break;
	case NSUMCOLS: break;
	}
	c->null = !(r->has & HAS(col));
}
