// SPDX-License-Identifier: MIT
/*
 * fuzz_inventory.c - the whole inventory on a generated fixture tree.
 *
 * Each input is decoded into a small fake /proc and shm directory in a
 * private directory (mkdtemp under $TMPDIR or /tmp, made once per process;
 * emptied and written again for every input, its inodes reused through a
 * pool), and the inventory runs on it in-process, as the commands do:
 *
 *   ls            scan + judge, both kinds: every column as a table, raw
 *                 (sorted by a column the input picks) and JSON; stat's
 *                 text of every segment; the keep reasons; the lookups
 *   ls --summary  memfd and anon rows too: by segment, user and process
 *   maps          holders only, every column, table and JSON
 * and as the input's flags ask (each pass costs a scan):
 *   k  ls (no scan), ls --sysv, ls --posix (one kind listed, both judged)
 *   P  maps PID...: the PIDs of the tree (and one that is not there)
 *   a  ls --all-namespaces: the other IPC and mount namespaces
 *
 * Output goes to /dev/null, and so do shmtool's messages (stderr;
 * FUZZ_INVENTORY_VERBOSE=1 keeps them).  Any crash, sanitizer report,
 * leak or failed invariant is a finding.  SHMTOOL_PROC_ROOT makes the
 * tree a fixture (proc_is_live() false): no kcmp, no PROCMAP_QUERY, no
 * SysV call is meant to reach the kernel.
 *
 * Input: text, one directive per line; a line that does not decode is
 * skipped.  Fields are separated by one space; TEXT is the rest of the
 * line.  Every field and TEXT take the escapes \n \t \\ \xHH and these
 * substitutions:
 *   @D@    the tree's device as maps prints it ("fe:00", hex maj:min)
 *   @S@    the shmem device (SHMTOOL_SHMEM_DEV): "00:01", or @D@ with
 *          flag t
 *   @In@   the inode (decimal) of object n (0-31), objects numbered in
 *          the order f, h, k, l, q and R create them (a SysV shmid that
 *          is a file's inode lets map_files/ reach it, with flag t)
 * Numbers are decimal (or 0x hex); START, END and LEN of mappings are hex.
 *
 * Global:
 *   o FLAGS [SORT]  flags: k, P, a (above); t shmem device = the tree's
 *                   (SysV map_files peeks then work; shared POSIX maps
 *                   count as shmem), H no header line in sysvipc/shm, u
 *                   no "self" entry, m memfd and anon rows in maps; SORT:
 *                   the column (number) ls -r sorts by
 * The shm directory (names may hold '/': parents are made; no "." or
 * ".." component):
 *   f SIZE NAME     a regular file (sparse, at most 1 MiB)
 *   h SIZE NAME     the same outside the shm directory (hidden/): an
 *                   unlinked segment still held ("gone (deleted)")
 *   k NAME          a directory         l NAME TEXT  a symbolic link
 *   q NAME          a FIFO              c N MODE     chmod object N
 *   w N OFF TEXT    write TEXT into object N at OFF (64 KiB in all)
 * SysV (proc/sysvipc/shm gets a header line, unless flag H, and is never
 * empty nor missing: shmtool then lists the kernel's own segments):
 *   y TEXT          a line of proc/sysvipc/shm
 *   Y V TEXT        a line of sysvipc/shm in IPC namespace V (0-7)
 *   K NAME TEXT     proc/sys/kernel/NAME: shmmni, shmall or shmmax
 * Processes (at most 12, 4 threads each); the lines after p or t go to
 * that directory:
 *   p NAME          proc/NAME (any name: "100", "0", "-1", "abc")
 *   t TID           proc/<current p>/task/TID
 *   S STATE THREADS START FLAGS COMM   a well-formed stat (and fd/ and
 *                   a first maps line if missing); START in clock ticks
 *   s TEXT          stat, verbatim
 *   m TEXT          a maps line, verbatim (64 lines a file)
 *   M N START LEN PERMS OFF       a maps line of object N: on @D@, its
 *                   inode, /dev/shm/NAME (newline as \012)
 *   V SHMID KEY START LEN PERMS   a SysV attachment on @S@:
 *                   /SYSV%08x (deleted)
 *   F FD N          fd/FD -> object N (a relative link)
 *   L FD TEXT       fd/FD -> TEXT (no "..", no leading '/')
 *   x N             exe -> object N
 *   A START END N   map_files/START-END -> object N (not a FIFO)
 *   n ipc|mnt V     ns/ipc or ns/mnt -> the tree's namespace V (0-7;
 *                   "self" is in 0 and 0)
 *   R SIZE NAME     a file in root/dev/shm (its mount namespace's)
 *   C TEXT, G TEXT  comm, cgroup
 *   X NAME KIND     replace NAME (e.g. maps, fd, fd/3, stat, task) by: d
 *                   a directory, l a symlink to itself, g a dangling
 *                   symlink, e an empty file, z a mode 000 file, r nothing
 * proc/stat (btime) is always the same: shmtool reads it once a process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "columns.h"
#include "inventory.h"
#include "output.h"
#include "paths.h"
#include "procscan.h"
#include "segment.h"
#include "summary.h"
#include "io.h"
#include "msg.h"

#define INPUT_MAX	16384
#define MAX_DIRECTIVES	512
#define MAX_OBJS	32
#define MAX_PROCS	12
#define MAX_TASKS	4
#define MAX_MAPS_LINES	64
#define MAX_SYSV_LINES	64
#define MAX_FILE_SIZE	(1u << 20)
#define MAX_WRITTEN	(64u << 10)
#define MAX_NS		8
#define MAX_PIDS	8
#define FIELD_MAX	1024
/* Every open for writing: never a FIFO's wait for a reader (objects can
 * be FIFOs), never through a symlink. */
#define WRITE_FLAGS	(O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

static FILE *real_stderr;

#define CHECK(c)                                                             \
	do {                                                                 \
		if (!(c)) {                                                  \
			fprintf(real_stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #c);                     \
			abort();                                             \
		}                                                            \
	} while (0)

/* The private tree, and its top directories (kept open, emptied). */
static char tree[PATH_MAX];
static int treefd = -1;
static FILE *devnull;
static char shmdev_hex[16];

enum { TOP_PROC, TOP_SHM, TOP_HIDDEN, TOP_NS, NTOP };
static const char *const top_names[NTOP] = { "proc", "shm", "hidden", "ns" };
static int topfd[NTOP];

/* ---- removing what one input made ------------------------------------ */

static void rm_entries(int dfd, int depth);

/* Remove dfd/name, a directory with all it holds if dir (or when
 * unlinking says it is one). */
static void rm_at(int dfd, const char *name, bool dir, int depth)
{
	int sub;

	if (!dir && (unlinkat(dfd, name, 0) == 0 || errno != EISDIR))
		return;
	if (depth > 32)
		return;
	/* A directory (ours: made by this file, in the private tree). */
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				O_CLOEXEC);
	if (sub < 0 && errno == EACCES && fchmodat(dfd, name, 0700, 0) == 0)
		sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
	if (sub >= 0) {
		rm_entries(sub, depth + 1);
		close(sub);
	}
	(void)unlinkat(dfd, name, AT_REMOVEDIR);
}

static void rm_entries(int dfd, int depth)
{
	int round;

	/* Removing while reading a directory may skip entries (not in the
	 * one getdents a small directory takes): again after a big one. */
	for (round = 0; round < 4; round++) {
		struct dirent *de;
		size_t n = 0;
		int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd < 0 ? NULL : fdopendir(fd);

		if (!d) {
			if (fd >= 0)
				close(fd);
			return;
		}
		while ((de = readdir(d)) != NULL) {
			const char *nm = de->d_name;

			if (nm[0] == '.' &&
			    (!nm[1] || (nm[1] == '.' && !nm[2])))
				continue;
			rm_at(dirfd(d), nm, de->d_type == DT_DIR, depth);
			n++;
		}
		closedir(d);
		if (n < 64)
			return;
	}
}

/* ---- the decoder's state --------------------------------------------- */

struct obj {
	char rel[PATH_MAX];	/* relative to the tree */
	char name[NAME_MAX + 1];	/* as given (relative to its dir) */
};

struct ctx {
	struct obj obj[MAX_OBJS];
	size_t nobj;
	/* the current process or thread directory, relative to the tree */
	char cur[PATH_MAX];
	size_t curdepth;	/* its components */
	size_t curlines;	/* maps lines written there */
	size_t nprocs, ntasks;
	size_t written;
	size_t nsysv;
	size_t nsyslines[MAX_NS];
	bool flag_t, flag_H, flag_a, flag_u, flag_m, flag_k, flag_P;
	int sort_col;
	pid_t pids[MAX_PIDS];
	size_t npids;
};

static void dev_hex(dev_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x", major(d), minor(d));
}

static bool obj_ino(const struct obj *o, unsigned long long *ino)
{
	struct stat st;

	if (fstatat(treefd, o->rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	*ino = (unsigned long long)st.st_ino;
	return true;
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
 * Decode the escapes and substitutions of in[0..len) into out (cap bytes,
 * NUL-terminated; may hold NULs before it: *olen says).  false when it
 * does not fit.
 */
static bool decode(const struct ctx *c, const char *in, size_t len,
		   char *out, size_t cap, size_t *olen)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char tmp[32];
		const char *put = NULL;
		size_t plen = 1;
		char ch = in[i];

		if (ch == '\\' && i + 1 < len) {
			char e = in[i + 1];

			if (e == 'n') {
				ch = '\n';
				i += 2;
			} else if (e == 't') {
				ch = '\t';
				i += 2;
			} else if (e == '\\') {
				ch = '\\';
				i += 2;
			} else if (e == 'x' && i + 3 < len &&
				   hexval(in[i + 2]) >= 0 &&
				   hexval(in[i + 3]) >= 0) {
				ch = (char)(hexval(in[i + 2]) * 16 +
					    hexval(in[i + 3]));
				i += 4;
			} else {
				i++;
			}
		} else if (ch == '@' && i + 2 < len && in[i + 2] == '@' &&
			   (in[i + 1] == 'D' || in[i + 1] == 'S')) {
			if (in[i + 1] == 'D' || c->flag_t)
				put = shmdev_hex;
			else
				put = "00:01";
			plen = strlen(put);
			i += 3;
		} else if (ch == '@' && i + 3 < len && in[i + 1] == 'I') {
			size_t j = i + 2, n = 0;
			unsigned long long ino = 0;

			while (j < len && j < i + 4 && in[j] >= '0' &&
			       in[j] <= '9')
				n = n * 10 + (size_t)(in[j++] - '0');
			if (j > i + 2 && j < len && in[j] == '@' &&
			    n < c->nobj && obj_ino(&c->obj[n], &ino)) {
				snprintf(tmp, sizeof(tmp), "%llu", ino);
				put = tmp;
				plen = strlen(tmp);
				i = j + 1;
			} else {
				i++;
			}
		} else {
			i++;
		}
		if (o + plen + 1 > cap)
			return false;
		if (put) {
			memcpy(out + o, put, plen);
			o += plen;
		} else {
			out[o++] = ch;
		}
	}
	out[o] = '\0';
	*olen = o;
	return true;
}

/* Split off the next space-separated field of *p (len *n), decoded. */
static bool field(const struct ctx *c, const char **p, size_t *n, char *out,
		  size_t cap)
{
	const char *sp = memchr(*p, ' ', *n);
	size_t fl = sp ? (size_t)(sp - *p) : *n, ol;

	if (!*n || !decode(c, *p, fl, out, cap, &ol) || strlen(out) != ol)
		return false;
	*p += fl + (sp ? 1 : 0);
	*n -= fl + (sp ? 1 : 0);
	return true;
}

static bool num(const char *s, int base, unsigned long long max,
		unsigned long long *v)
{
	char *e;

	if (!*s)
		return false;
	errno = 0;
	*v = strtoull(s, &e, base);
	return !*e && !errno && *v <= max;
}

static bool field_num(const struct ctx *c, const char **p, size_t *n,
		      int base, unsigned long long max, unsigned long long *v)
{
	char buf[64];

	return field(c, p, n, buf, sizeof(buf)) && num(buf, base, max, v);
}

/* A name relative to a directory: components neither empty, "." nor
 * "..", at most 4 of them. */
static bool good_name(const char *name)
{
	const char *p = name;
	int depth = 0;

	if (!*name || strlen(name) > 200)
		return false;
	while (*p) {
		const char *sl = strchr(p, '/');
		size_t l = sl ? (size_t)(sl - p) : strlen(p);

		if (l == 0 || l > NAME_MAX || (l == 1 && p[0] == '.') ||
		    (l == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (++depth > 4)
			return false;
		p += l + (sl ? 1 : 0);
		if (sl && !*p)
			return false;
	}
	return true;
}

/*
 * Making and removing inodes is what a run costs on a disk file system
 * (about 130 us a file, 270 us a directory on ext4, against 10 us a
 * rename): what an input made is kept in a pool (pool/, outside proc/ and
 * shm/) and renamed back into place for the next input.  Every entry made
 * is recorded, so that it goes back to the pool, children first.
 */
#define REL_MAX		512
#define MADE_MAX	4096
#define POOL_MAX	256

enum mk_kind { MK_DIR, MK_FILE, MK_LINK, MK_FIFO, NMK };

struct made {
	char rel[REL_MAX];
	enum mk_kind kind;
	char *target;		/* links */
};

static struct made made[MADE_MAX];
static size_t nmade;
static bool made_lost;		/* some entry was not recorded */

struct pooled {
	unsigned int id;
	char *target;		/* links: theirs */
};

static const char pool_letter[NMK] = { 'd', 'f', 'l', 'q' };
static struct pooled pool[NMK][POOL_MAX];
static size_t npool[NMK];
static unsigned int pool_next;
static int poolfd = -1;

static void pool_name(enum mk_kind k, unsigned int id, char *buf, size_t len)
{
	snprintf(buf, len, "%c%u", pool_letter[k], id);
}

static void record(const char *rel, enum mk_kind kind, const char *target)
{
	struct made *m;

	if (nmade == MADE_MAX) {
		made_lost = true;
		return;
	}
	m = &made[nmade];
	m->target = target ? strdup(target) : NULL;
	if (target && !m->target) {
		made_lost = true;
		return;
	}
	snprintf(m->rel, sizeof(m->rel), "%s", rel);
	m->kind = kind;
	nmade++;
}

/* Move a pooled entry of kind (a link: with that target) to rel; false
 * if none is pooled or it cannot go there (errno). */
static bool from_pool(const char *rel, enum mk_kind kind, const char *target)
{
	char name[24];
	size_t i;

	for (i = npool[kind]; i-- > 0;) {
		struct pooled *e = &pool[kind][i];

		if (kind == MK_LINK && strcmp(e->target, target) != 0)
			continue;
		pool_name(kind, e->id, name, sizeof(name));
		if (renameat2(poolfd, name, treefd, rel, RENAME_NOREPLACE) < 0)
			return false;
		free(e->target);
		*e = pool[kind][--npool[kind]];
		errno = 0;
		return true;
	}
	errno = ENOSPC;		/* none pooled */
	return false;
}

/* Give back (or remove) what one input made; its entries last first. */
static void to_pool(void)
{
	char name[24];

	while (nmade > 0) {
		struct made *m = &made[--nmade];
		enum mk_kind k = m->kind;
		bool kept = false;

		/* A directory with an unrecorded entry in it stays out. */
		if (npool[k] < POOL_MAX && !(made_lost && k == MK_DIR)) {
			unsigned int id = pool_next++;

			pool_name(k, id, name, sizeof(name));
			if (renameat2(treefd, m->rel, poolfd, name,
				      RENAME_NOREPLACE) == 0) {
				pool[k][npool[k]].id = id;
				pool[k][npool[k]].target = m->target;
				npool[k]++;
				m->target = NULL;
				kept = true;
			}
		}
		if (!kept)
			rm_at(treefd, m->rel, k == MK_DIR, 0);
		free(m->target);
		m->target = NULL;
	}
}

/* Make the parents of rel (relative to the tree). */
static void make_parents(const char *rel)
{
	char buf[REL_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", rel) >= (int)sizeof(buf))
		return;
	for (p = strchr(buf, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (!from_pool(buf, MK_DIR, NULL) &&
		    (errno == EEXIST || mkdirat(treefd, buf, 0755) < 0)) {
			*p = '/';
			continue;
		}
		(void)fchmodat(treefd, buf, 0755, 0);
		record(buf, MK_DIR, NULL);
		*p = '/';
	}
}

/* "dir/name" relative to the tree; false if too long. */
static bool tree_path(char *out, size_t len, const char *dir,
		      const char *name)
{
	return snprintf(out, len, "%s/%s", dir, name) < (int)len &&
	       strlen(out) < REL_MAX;
}

/* Make rel new (from the pool, or made): 0, or -1 and errno. */
static int mk_new(const char *rel, enum mk_kind kind, const char *target,
		  mode_t mode)
{
	int r;

	if (from_pool(rel, kind, target)) {
		if (kind == MK_FILE) {
			r = openat(treefd, rel, WRITE_FLAGS | O_TRUNC);
			if (r >= 0)
				close(r);
		}
		if (kind != MK_LINK)
			(void)fchmodat(treefd, rel, mode, 0);
		record(rel, kind, target);
		return 0;
	}
	if (errno != ENOSPC)
		return -1;
	switch (kind) {
	case MK_DIR:
		r = mkdirat(treefd, rel, mode);
		break;
	case MK_FILE:
		r = openat(treefd, rel, WRITE_FLAGS | O_CREAT | O_EXCL, mode);
		if (r >= 0) {
			close(r);
			r = 0;
		}
		break;
	case MK_LINK:
		r = symlinkat(target, treefd, rel);
		break;
	default:
		r = mkfifoat(treefd, rel, mode);
		break;
	}
	if (r == 0)
		record(rel, kind, target);
	return r;
}

/*
 * Make rel (relative to the tree), its parents when missing.  MK_FILE: an
 * fd open for writing (flags: O_EXCL, O_TRUNC or O_APPEND; an existing
 * file is opened unless O_EXCL); the others 0.  A link replaces what is
 * there if replace.  -1 and errno on error.
 */
static int mk(const char *rel, enum mk_kind kind, const char *target,
	      mode_t mode, int flags, bool replace)
{
	int attempt, r = -1;

	if (strlen(rel) >= REL_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (kind == MK_FILE && !(flags & O_EXCL)) {
		r = openat(treefd, rel, WRITE_FLAGS | flags);
		if (r >= 0 || errno != ENOENT)
			return r;
	}
	for (attempt = 0; attempt < 3; attempt++) {
		r = mk_new(rel, kind, target, mode);
		if (r == 0 && kind == MK_FILE) {
			r = openat(treefd, rel,
				   WRITE_FLAGS | (flags & O_APPEND));
		}
		if (r >= 0)
			return r;
		if (errno == ENOENT)
			make_parents(rel);
		else if (errno == EEXIST && kind == MK_LINK && replace)
			rm_at(treefd, rel, false, 0);
		else
			break;
	}
	return -1;
}

/* A symlink at dir/name (relative to the tree) to target (relative to
 * the tree too), written relative. */
static void link_rel(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX], to[PATH_MAX];
	size_t depth = 1, used = 0;
	const char *p;

	if (!tree_path(path, sizeof(path), dir, name))
		return;
	/* Components of the link's own directory. */
	for (p = path; *p; p++)
		depth += *p == '/';
	depth--;
	to[0] = '\0';
	while (depth-- > 0 && used + 3 < sizeof(to)) {
		memcpy(to + used, "../", 4);
		used += 3;
	}
	if (snprintf(to + used, sizeof(to) - used, "%s", target) >=
	    (int)(sizeof(to) - used))
		return;
	(void)mk(path, MK_LINK, to, 0, 0, true);
}

static void write_file(const char *rel, const char *data, size_t len,
		       bool append)
{
	int fd = mk(rel, MK_FILE, NULL, 0644, append ? O_APPEND : O_TRUNC,
		    false);

	if (fd < 0)
		return;
	(void)write_all(fd, data, len);
	close(fd);
}

static bool exists(const char *rel)
{
	struct stat st;

	return fstatat(treefd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* A new object dir/name, made (exclusively) by kind; NULL if not. */
static struct obj *new_obj(struct ctx *c, const char *dir, const char *name,
			   enum mk_kind kind, const char *target, mode_t mode)
{
	struct obj *o;
	int r;

	if (c->nobj == MAX_OBJS || !good_name(name))
		return NULL;
	o = &c->obj[c->nobj];
	if (!tree_path(o->rel, sizeof(o->rel), dir, name))
		return NULL;
	r = mk(o->rel, kind, target, mode, O_EXCL, false);
	if (r < 0)
		return NULL;
	if (kind == MK_FILE)
		close(r);
	snprintf(o->name, sizeof(o->name), "%s", name);
	c->nobj++;
	return o;
}

static struct obj *get_obj(struct ctx *c, const char **p, size_t *n)
{
	unsigned long long v;

	if (!field_num(c, p, n, 10, MAX_OBJS - 1, &v) || v >= c->nobj)
		return NULL;
	return &c->obj[v];
}

static void make_file(struct ctx *c, const char *dir, const char **p,
		      size_t *n)
{
	char name[FIELD_MAX];
	unsigned long long size;
	struct obj *o;
	size_t ol;
	int fd;

	if (!field_num(c, p, n, 0, MAX_FILE_SIZE, &size) ||
	    !decode(c, *p, *n, name, sizeof(name), &ol) ||
	    strlen(name) != ol)
		return;
	o = new_obj(c, dir, name, MK_FILE, NULL, 0600);
	if (!o || !size)
		return;
	fd = openat(treefd, o->rel, WRITE_FLAGS);
	if (fd < 0)
		return;
	(void)ftruncate(fd, (off_t)size);
	close(fd);
}

/* ---- directives ------------------------------------------------------ */

static void set_env(const struct ctx *c)
{
	char path[PATH_MAX + 8];

	snprintf(path, sizeof(path), "%s/proc", tree);
	setenv("SHMTOOL_PROC_ROOT", path, 1);
	snprintf(path, sizeof(path), "%s/shm", tree);
	setenv("SHMTOOL_SHM_DIR", path, 1);
	setenv("SHMTOOL_SHMEM_DEV", c->flag_t ? shmdev_hex : "00:01", 1);
}

static void do_options(struct ctx *c, const char *p, size_t n)
{
	char flags[64];
	unsigned long long v;

	if (!field(c, &p, &n, flags, sizeof(flags)))
		return;
	c->flag_t = strchr(flags, 't') != NULL;
	c->flag_H = strchr(flags, 'H') != NULL;
	c->flag_a = strchr(flags, 'a') != NULL;
	c->flag_u = strchr(flags, 'u') != NULL;
	c->flag_m = strchr(flags, 'm') != NULL;
	c->flag_k = strchr(flags, 'k') != NULL;
	c->flag_P = strchr(flags, 'P') != NULL;
	if (field_num(c, &p, &n, 10, NCOLS - 1, &v))
		c->sort_col = (int)v;
}

static void do_sysv_line(struct ctx *c, const char *p, size_t n)
{
	char text[FIELD_MAX + 1];
	size_t ol;

	if (c->nsysv >= MAX_SYSV_LINES ||
	    !decode(c, p, n, text, sizeof(text) - 1, &ol))
		return;
	text[ol++] = '\n';
	write_file("proc/sysvipc/shm", text, ol, true);
	c->nsysv++;
}

/* proc/sys/kernel/shmmni, shmall or shmmax (the summary's limits). */
static void do_limit(struct ctx *c, const char *p, size_t n)
{
	char name[16], text[FIELD_MAX], rel[64];
	size_t ol;

	if (!field(c, &p, &n, name, sizeof(name)) ||
	    (strcmp(name, "shmmni") != 0 && strcmp(name, "shmall") != 0 &&
	     strcmp(name, "shmmax") != 0) ||
	    !decode(c, p, n, text, sizeof(text), &ol))
		return;
	snprintf(rel, sizeof(rel), "proc/sys/kernel/%s", name);
	write_file(rel, text, ol, false);
}

static void do_ns_sysv_line(struct ctx *c, const char *p, size_t n)
{
	char text[FIELD_MAX + 1], rel[64];
	unsigned long long v;
	size_t ol;

	if (!field_num(c, &p, &n, 10, MAX_NS - 1, &v) ||
	    c->nsyslines[v] >= MAX_SYSV_LINES ||
	    !decode(c, p, n, text, sizeof(text) - 1, &ol))
		return;
	text[ol++] = '\n';
	snprintf(rel, sizeof(rel), "ns/ipc-%llu/sysvipc/shm", v);
	write_file(rel, text, ol, true);
	c->nsyslines[v]++;
}

static void do_process(struct ctx *c, const char *p, size_t n)
{
	char name[64];
	unsigned long long v;

	if (c->nprocs >= MAX_PROCS || !field(c, &p, &n, name, sizeof(name)) ||
	    strchr(name, '/') || !good_name(name))
		return;
	/* Not the tree's own entries. */
	if (strcmp(name, "stat") == 0 || strcmp(name, "sysvipc") == 0)
		return;
	snprintf(c->cur, sizeof(c->cur), "proc/%s", name);
	(void)mk(c->cur, MK_DIR, NULL, 0755, 0, false);
	c->curdepth = 2;
	c->curlines = 0;
	c->ntasks = 0;
	c->nprocs++;
	if (num(name, 10, INT_MAX, &v) && v > 0 && c->npids < MAX_PIDS - 1)
		c->pids[c->npids++] = (pid_t)v;
}

static void do_task(struct ctx *c, const char *p, size_t n)
{
	char name[64], rel[PATH_MAX];
	const char *slash;

	if (!c->cur[0] || c->ntasks >= MAX_TASKS ||
	    !field(c, &p, &n, name, sizeof(name)) || strchr(name, '/') ||
	    !good_name(name))
		return;
	/* Threads go in the process's task/, not in a thread's. */
	slash = strstr(c->cur, "/task/");
	if (slash)
		c->cur[slash - c->cur] = '\0';
	if (snprintf(rel, sizeof(rel), "%s/task/%s", c->cur, name) >=
	    (int)sizeof(rel))
		return;
	(void)mk(rel, MK_DIR, NULL, 0755, 0, false);
	snprintf(c->cur, sizeof(c->cur), "%s", rel);
	c->curdepth = 4;
	c->curlines = 0;
	c->ntasks++;
}

/* The directory's own name: its PID or TID. */
static const char *cur_id(const struct ctx *c)
{
	const char *s = strrchr(c->cur, '/');

	return s ? s + 1 : c->cur;
}

static void cur_file(const struct ctx *c, const char *name, char *out,
		     size_t len)
{
	snprintf(out, len, "%s/%s", c->cur, name);
}

static void do_stat(struct ctx *c, const char *p, size_t n)
{
	char state[8], comm[FIELD_MAX], line[FIELD_MAX + 512], rel[PATH_MAX];
	unsigned long long threads, start, flags;
	size_t ol;
	int w;

	if (!field(c, &p, &n, state, sizeof(state)) ||
	    !field_num(c, &p, &n, 10, 100000, &threads) ||
	    !field_num(c, &p, &n, 0, UINT64_MAX, &start) ||
	    !field_num(c, &p, &n, 0, UINT32_MAX, &flags) ||
	    !decode(c, p, n, comm, sizeof(comm), &ol))
		return;
	w = snprintf(line, sizeof(line),
		     "%s (%s) %c 1 %s %s 0 -1 %llu 1 0 0 0 0 0 0 0 20 0 %llu "
		     "0 %llu 1000000 100 18446744073709551615 1 1 0 0 0 0 0 "
		     "0 0 0 0 0 17 0 0 0 0 0 0\n",
		     cur_id(c), comm, state[0] ? state[0] : 'S', cur_id(c),
		     cur_id(c), flags, threads, start);
	if (w < 0 || (size_t)w >= sizeof(line))
		return;
	cur_file(c, "stat", rel, sizeof(rel));
	write_file(rel, line, (size_t)w, false);
	cur_file(c, "fd", rel, sizeof(rel));
	(void)mk(rel, MK_DIR, NULL, 0755, 0, false);
	cur_file(c, "maps", rel, sizeof(rel));
	if (!exists(rel)) {
		static const char first[] =
			"55d0c0000000-55d0c0001000 r--p 00000000 08:01 1234"
			"                       /usr/bin/prog\n";

		write_file(rel, first, sizeof(first) - 1, false);
		c->curlines++;
	}
}

static void do_text_file(struct ctx *c, const char *name, const char *p,
			 size_t n, bool append)
{
	char text[FIELD_MAX + 1], rel[PATH_MAX];
	size_t ol;

	if (!decode(c, p, n, text, sizeof(text) - 1, &ol))
		return;
	if (append)
		text[ol++] = '\n';
	cur_file(c, name, rel, sizeof(rel));
	write_file(rel, text, ol, append);
}

static void maps_line(struct ctx *c, const char *line, size_t len)
{
	char rel[PATH_MAX];

	if (c->curlines >= MAX_MAPS_LINES)
		return;
	cur_file(c, "maps", rel, sizeof(rel));
	write_file(rel, line, len, true);
	c->curlines++;
}

static void do_map_obj(struct ctx *c, const char *p, size_t n)
{
	char perms[16], line[PATH_MAX + 256], esc[NAME_MAX * 4 + 1];
	unsigned long long start, len, off, ino;
	struct obj *o = get_obj(c, &p, &n);
	size_t e = 0, i;
	int w;

	if (!o || !field_num(c, &p, &n, 16, UINT64_MAX, &start) ||
	    !field_num(c, &p, &n, 16, UINT64_MAX, &len) ||
	    !field(c, &p, &n, perms, sizeof(perms)) ||
	    !field_num(c, &p, &n, 16, UINT64_MAX, &off) || !obj_ino(o, &ino))
		return;
	/* The kernel escapes only the newline. */
	for (i = 0; o->name[i] && e + 5 < sizeof(esc); i++) {
		if (o->name[i] == '\n') {
			memcpy(esc + e, "\\012", 4);
			e += 4;
		} else {
			esc[e++] = o->name[i];
		}
	}
	esc[e] = '\0';
	w = snprintf(line, sizeof(line),
		     "%llx-%llx %s %08llx %s %llu                          "
		     "/dev/shm/%s\n",
		     start, start + len, perms, off, shmdev_hex, ino, esc);
	if (w > 0 && (size_t)w < sizeof(line))
		maps_line(c, line, (size_t)w);
}

static void do_map_sysv(struct ctx *c, const char *p, size_t n)
{
	char perms[16], line[256];
	unsigned long long shmid, key, start, len;
	int w;

	if (!field_num(c, &p, &n, 0, UINT64_MAX, &shmid) ||
	    !field_num(c, &p, &n, 0, UINT64_MAX, &key) ||
	    !field_num(c, &p, &n, 16, UINT64_MAX, &start) ||
	    !field_num(c, &p, &n, 16, UINT64_MAX, &len) ||
	    !field(c, &p, &n, perms, sizeof(perms)))
		return;
	w = snprintf(line, sizeof(line),
		     "%llx-%llx %s 00000000 %s %llu                          "
		     "/SYSV%08llx (deleted)\n",
		     start, start + len, perms,
		     c->flag_t ? shmdev_hex : "00:01", shmid, key);
	if (w > 0 && (size_t)w < sizeof(line))
		maps_line(c, line, (size_t)w);
}

static void do_fd(struct ctx *c, const char *p, size_t n, bool raw)
{
	char fd[32], name[40], text[FIELD_MAX];
	struct obj *o = NULL;
	size_t ol;

	if (!field(c, &p, &n, fd, sizeof(fd)) || strchr(fd, '/') ||
	    !good_name(fd))
		return;
	snprintf(name, sizeof(name), "fd/%s", fd);
	if (!raw) {
		o = get_obj(c, &p, &n);
		if (o)
			link_rel(c->cur, name, o->rel);
		return;
	}
	if (!decode(c, p, n, text, sizeof(text), &ol) || !ol ||
	    strlen(text) != ol || strstr(text, "..") || text[0] == '/')
		return;
	{
		char path[PATH_MAX];

		if (!tree_path(path, sizeof(path), c->cur, name))
			return;
		(void)mk(path, MK_LINK, text, 0, 0, true);
	}
}

static void do_exe(struct ctx *c, const char *p, size_t n)
{
	struct obj *o = get_obj(c, &p, &n);

	if (o)
		link_rel(c->cur, "exe", o->rel);
}

static void do_map_files(struct ctx *c, const char *p, size_t n)
{
	unsigned long long start, end;
	char name[64];
	struct stat st;
	struct obj *o;

	if (!field_num(c, &p, &n, 16, UINT64_MAX, &start) ||
	    !field_num(c, &p, &n, 16, UINT64_MAX, &end))
		return;
	o = get_obj(c, &p, &n);
	/* Not a FIFO: the kernel's map_files name mapped files, and opening
	 * one (a SysV peek does) would wait for a writer. */
	if (!o || fstatat(treefd, o->rel, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    S_ISFIFO(st.st_mode))
		return;
	snprintf(name, sizeof(name), "map_files/%llx-%llx", start, end);
	link_rel(c->cur, name, o->rel);
}

static void do_ns(struct ctx *c, const char *p, size_t n)
{
	char which[8], target[32], name[16];
	unsigned long long v;

	if (!field(c, &p, &n, which, sizeof(which)) ||
	    !field_num(c, &p, &n, 10, MAX_NS - 1, &v))
		return;
	if (strcmp(which, "ipc") != 0 && strcmp(which, "mnt") != 0)
		return;
	snprintf(target, sizeof(target), "ns/%s-%llu", which, v);
	(void)mk(target, MK_DIR, NULL, 0755, 0, false);
	snprintf(name, sizeof(name), "ns/%s", which);
	link_rel(c->cur, name, target);
}

static void do_root_file(struct ctx *c, const char *p, size_t n)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/root/dev/shm", c->cur) >=
	    (int)sizeof(dir))
		return;
	make_file(c, dir, &p, &n);
}

static void do_odd(struct ctx *c, const char *p, size_t n)
{
	char name[64], kind[8], rel[PATH_MAX];
	int fd;

	if (!field(c, &p, &n, name, sizeof(name)) || !good_name(name) ||
	    !field(c, &p, &n, kind, sizeof(kind)) ||
	    !tree_path(rel, sizeof(rel), c->cur, name))
		return;
	rm_at(treefd, rel, false, 0);
	switch (kind[0]) {
	case 'd':
		(void)mk(rel, MK_DIR, NULL, 0755, 0, false);
		break;
	case 'l':
		(void)mk(rel, MK_LINK, strrchr(rel, '/') + 1, 0, 0, true);
		break;
	case 'g':
		(void)mk(rel, MK_LINK, "nowhere/at/all", 0, 0, true);
		break;
	case 'e':
	case 'z':
		fd = mk(rel, MK_FILE, NULL, kind[0] == 'z' ? 0 : 0644, O_EXCL,
			false);
		if (fd >= 0)
			close(fd);
		break;
	default:
		break;
	}
}

static void do_write(struct ctx *c, const char *p, size_t n)
{
	static char data[FIELD_MAX];
	unsigned long long off;
	struct obj *o = get_obj(c, &p, &n);
	struct stat st;
	size_t ol, done;
	int fd;

	if (!o || !field_num(c, &p, &n, 0, MAX_FILE_SIZE, &off) ||
	    !decode(c, p, n, data, sizeof(data), &ol) ||
	    c->written + ol > MAX_WRITTEN)
		return;
	fd = openat(treefd, o->rel, WRITE_FLAGS);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		(void)pwrite_all(fd, data, ol, (off_t)off, &done);
	close(fd);
	c->written += ol;
}

static void do_chmod(struct ctx *c, const char *p, size_t n)
{
	unsigned long long mode;
	struct obj *o = get_obj(c, &p, &n);

	if (o && field_num(c, &p, &n, 8, 07777, &mode))
		(void)fchmodat(treefd, o->rel, (mode_t)mode, 0);
}

static void directive(struct ctx *c, const char *line, size_t len)
{
	const char *p = line + 2;
	size_t n = len - 2;
	char name[FIELD_MAX], text[FIELD_MAX];
	size_t ol;

	if (len < 2 || line[1] != ' ')
		return;
	/* Lines of a process need one. */
	if (strchr("tSsmMVFLxAnRCGX", line[0]) && !c->cur[0])
		return;
	switch (line[0]) {
	case 'f':
		make_file(c, "shm", &p, &n);
		break;
	case 'h':
		make_file(c, "hidden", &p, &n);
		break;
	case 'k':
		if (decode(c, p, n, name, sizeof(name), &ol) &&
		    strlen(name) == ol)
			(void)new_obj(c, "shm", name, MK_DIR, NULL, 0755);
		break;
	case 'l':
		if (field(c, &p, &n, name, sizeof(name)) &&
		    decode(c, p, n, text, sizeof(text), &ol) && ol &&
		    strlen(text) == ol && !strstr(text, "..") &&
		    text[0] != '/')
			(void)new_obj(c, "shm", name, MK_LINK, text, 0);
		break;
	case 'q':
		if (decode(c, p, n, name, sizeof(name), &ol) &&
		    strlen(name) == ol)
			(void)new_obj(c, "shm", name, MK_FIFO, NULL, 0600);
		break;
	case 'c':
		do_chmod(c, p, n);
		break;
	case 'w':
		do_write(c, p, n);
		break;
	case 'y':
		do_sysv_line(c, p, n);
		break;
	case 'Y':
		do_ns_sysv_line(c, p, n);
		break;
	case 'K':
		do_limit(c, p, n);
		break;
	case 'p':
		do_process(c, p, n);
		break;
	case 't':
		do_task(c, p, n);
		break;
	case 'S':
		do_stat(c, p, n);
		break;
	case 's':
		do_text_file(c, "stat", p, n, false);
		break;
	case 'm':
		if (c->curlines < MAX_MAPS_LINES) {
			do_text_file(c, "maps", p, n, true);
			c->curlines++;
		}
		break;
	case 'M':
		do_map_obj(c, p, n);
		break;
	case 'V':
		do_map_sysv(c, p, n);
		break;
	case 'F':
		do_fd(c, p, n, false);
		break;
	case 'L':
		do_fd(c, p, n, true);
		break;
	case 'x':
		do_exe(c, p, n);
		break;
	case 'A':
		do_map_files(c, p, n);
		break;
	case 'n':
		do_ns(c, p, n);
		break;
	case 'R':
		do_root_file(c, p, n);
		break;
	case 'C':
		do_text_file(c, "comm", p, n, true);
		break;
	case 'G':
		do_text_file(c, "cgroup", p, n, true);
		break;
	case 'X':
		do_odd(c, p, n);
		break;
	default:
		break;
	}
}

/* Empty the tree and build the input's. */
static void build_tree(struct ctx *c, const uint8_t *data, size_t size)
{
	static const char stat_text[] = "cpu  1 2 3 4\nbtime 1699990000\n"
					"processes 400\n";
	static const char header[] =
		"       key      shmid perms                  size  cpid  "
		"lpid nattch   uid   gid  cuid  cgid      atime      dtime "
		"     ctime                   rss                  swap\n";
	const char *p = (const char *)data, *end = p + size;
	size_t i, ndir = 0;

	to_pool();
	/* Whatever is left (nothing, unless an entry went unrecorded). */
	for (i = 0; i < NTOP; i++)
		rm_entries(topfd[i], 0);
	made_lost = false;
	memset(c, 0, sizeof(*c));
	c->sort_col = COL_SIZE;
	set_env(c);

	/* The flags first: they decide what the substitutions say. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (len >= 2 && p[0] == 'o' && p[1] == ' ') {
			do_options(c, p + 2, len - 2);
			set_env(c);
			break;
		}
		p += len + 1;
	}
	write_file("proc/stat", stat_text, sizeof(stat_text) - 1, false);
	/* Never empty nor missing: shmtool would list the kernel's own
	 * segments then (sysv_list falls back to SHM_STAT). */
	(void)mk("proc/sysvipc", MK_DIR, NULL, 0755, 0, false);
	if (c->flag_H)
		write_file("proc/sysvipc/shm", "\n", 1, false);
	else
		write_file("proc/sysvipc/shm", header, sizeof(header) - 1,
			   false);
	if (!c->flag_u) {
		(void)mk("ns/ipc-0", MK_DIR, NULL, 0755, 0, false);
		(void)mk("ns/mnt-0", MK_DIR, NULL, 0755, 0, false);
		(void)mk("proc/self", MK_DIR, NULL, 0755, 0, false);
		link_rel("proc/self", "ns/ipc", "ns/ipc-0");
		link_rel("proc/self", "ns/mnt", "ns/mnt-0");
	}
	for (p = (const char *)data; p < end && ndir < MAX_DIRECTIVES;
	     ndir++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (len >= 2 && p[0] != 'o')	/* o: read first, above */
			directive(c, p, len);
		p += len + 1;
	}
	/* One PID that is not there, for maps PID. */
	c->pids[c->npids++] = 4194304;
}

/* ---- running the inventory ------------------------------------------- */

static void check_inventory(const struct inventory *inv, bool verdicts)
{
	size_t i;

	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];

		if (i > 0)
			CHECK(inv->segs.v[i - 1].kind <= s->kind);
		if (s->scan) {
			CHECK(s->scan == &inv->scan);
			CHECK(s->hfirst <= inv->scan.nh);
			CHECK(s->hcount <= inv->scan.nh - s->hfirst);
		}
		if (!verdicts)
			CHECK(s->disp == DISP_NONE);
		/* Held, or unlinked: never a candidate for removal. */
		if (s->kind == SEG_POSIX && (s->hcount || s->status &
						  SEG_ST_DELETED))
			CHECK(s->disp == DISP_NONE);
		if (s->kind == SEG_MEMFD || s->kind == SEG_ANON)
			CHECK(s->disp == DISP_NONE);
	}
}

static void all_cols(struct outopts *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		o->cols[i] = (int)i;
	o->ncols = n;
}

static void show_segments(struct inventory *inv, int sort_col)
{
	struct outopts o = { .sort_col = -1 };
	const struct segment **rows = calloc(inv->segs.n + 1, sizeof(*rows));
	char buf[512];
	size_t i;

	CHECK(rows != NULL);
	for (i = 0; i < inv->segs.n; i++)
		rows[i] = &inv->segs.v[i];
	all_cols(&o, NCOLS);
	(void)output_segments(devnull, rows, inv->segs.n, &o, "segments");
	o.json = true;
	(void)output_segments(devnull, rows, inv->segs.n, &o, "segments");
	o.json = false;
	o.raw = o.bytes = o.noheadings = true;
	o.sort_col = sort_col;
	(void)output_segments(devnull, rows, inv->segs.n, &o, "segments");
	free(rows);
	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *s = &inv->segs.v[i];

		(void)output_stat_text(devnull, s, TIME_ISO);
		segment_keep_reason(s, buf, sizeof(buf));
		if (s->kind == SEG_SYSV)
			CHECK(inventory_find_sysv(inv, s->shmid) != NULL);
		else if (s->kind == SEG_POSIX)
			CHECK(inventory_find_posix(inv, s->dev, s->ino) !=
			      NULL);
	}
	scan_incomplete_why(&inv->scan, buf, sizeof(buf));
}

static void run_ls(const struct ctx *c, bool sysv, bool posix, bool scan,
		   bool all_ns)
{
	struct inv_opts io = { .sysv = sysv, .posix = posix, .scan = scan,
			       .all_ns = all_ns };
	struct inventory inv;
	const char *what = "";
	int rc;

	util_cmdname = "ls";
	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
	} else {
		check_inventory(&inv, scan);
		inventory_report(&inv);
		show_segments(&inv, c->sort_col);
	}
	inventory_free(&inv);
}

static void run_summary(void)
{
	struct inv_opts io = { .sysv = true, .posix = true, .scan = true,
			       .memfd = true, .anon = true };
	struct outopts o = { .sort_col = -1 };
	struct inventory inv;
	const char *what = "";
	int rc;

	util_cmdname = "ls";
	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
	} else {
		check_inventory(&inv, true);
		(void)summary_output(&inv, &o, BY_NONE);
		o.json = true;
		(void)summary_output(&inv, &o, BY_USER);
		o.json = false;
		o.raw = o.bytes = true;
		(void)summary_output(&inv, &o, BY_PROCESS);
	}
	inventory_free(&inv);
}

static void holder_get(int col, const void *row, struct cell *cl)
{
	mcolumn_get((enum mcol_id)col, row, cl);
}

/* maps [PID...]: holders only, no verdicts; rows as cmd_maps makes them. */
static void run_maps(const struct ctx *c, bool with_pids)
{
	struct inv_opts io = { .sysv = true, .posix = true, .scan = true,
			       .scan_required = true, .holders_only = true,
			       .memfd = c->flag_m, .anon = c->flag_m };
	struct outopts o = { .sort_col = -1 };
	struct table_src t = { 0 };
	struct holder *rows = NULL;
	struct inventory inv;
	const char *what = "";
	size_t i, n = 0;
	int rc;

	if (with_pids) {
		io.pids = c->pids;
		io.npids = c->npids;
	}
	util_cmdname = "maps";
	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		goto out;
	}
	check_inventory(&inv, false);
	inventory_report(&inv);
	if (inventory_holders(&inv, NULL, &rows, &n) < 0)
		goto out;
	/* Every holder shown is joined to the holding it copies, in maps'
	 * order, and a deleted one is of a kind that can be. */
	for (i = 0; i < n; i++) {
		if (rows[i].h < inv.scan.h || rows[i].h >= inv.scan.h + inv.scan.nh)
			abort();
		if (i && holding_cmp_in_proc(rows[i - 1].h, rows[i].h) > 0)
			abort();
	}
	t.defs = mcoldefs;
	t.ndefs = NMCOLS;
	t.get = holder_get;
	t.rows = rows;
	t.nrows = n;
	t.rowsize = sizeof(*rows);
	all_cols(&o, NMCOLS);
	(void)output_table(devnull, &t, &o, "mappings");
	o.json = true;
	(void)output_table(devnull, &t, &o, "mappings");
out:
	free(rows);
	inventory_free(&inv);
}

/* The tree goes at exit (FUZZ_INVENTORY_KEEP=1 keeps the last input's). */
static void remove_tree(void)
{
	size_t i;

	if (treefd < 0 || getenv("FUZZ_INVENTORY_KEEP"))
		return;
	for (i = 0; i < NTOP; i++)
		rm_at(treefd, top_names[i], true, 0);
	rm_at(treefd, "pool", true, 0);
	close(treefd);
	treefd = -1;
	(void)rmdir(tree);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	size_t i;

	(void)argc;
	(void)argv;
	real_stderr = stderr;
	if (snprintf(tree, sizeof(tree), "%s/shmtool-fuzz-inventory.XXXXXX",
		     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(tree) ||
	    !mkdtemp(tree)) {
		perror("fuzz_inventory: mkdtemp");
		exit(1);
	}
	treefd = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (i = 0; treefd >= 0 && i < NTOP; i++) {
		(void)mkdirat(treefd, top_names[i], 0755);
		topfd[i] = openat(treefd, top_names[i],
				  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (topfd[i] < 0)
			treefd = -1;
	}
	if (treefd >= 0) {
		(void)mkdirat(treefd, "pool", 0700);
		poolfd = openat(treefd, "pool", O_RDONLY | O_DIRECTORY |
						 O_CLOEXEC);
		if (poolfd < 0)
			treefd = -1;
	}
	devnull = fopen("/dev/null", "w");
	if (treefd < 0 || fstat(treefd, &st) < 0 || !devnull ||
	    !freopen("/dev/null", "w", stdout)) {
		perror("fuzz_inventory: setup");
		exit(1);
	}
	dev_hex(st.st_dev, shmdev_hex, sizeof(shmdev_hex));
	atexit(remove_tree);
	setenv("TZ", "UTC", 1);
	unsetenv("SHMTOOL_NO_PROCMAP_QUERY");
	unsetenv("SHMTOOL_DEBUG_SCAN");
	/* shmtool's messages: to /dev/null (libFuzzer and the sanitizers
	 * write elsewhere: their own copy of stderr, and fd 2). */
	if (!getenv("FUZZ_INVENTORY_VERBOSE"))
		stderr = devnull;
	fprintf(real_stderr, "fuzz_inventory: tree in %s\n", tree);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx c;

	if (size > INPUT_MAX)
		size = INPUT_MAX;
	build_tree(&c, data, size);
	/* proc_init() reopens on a changed root; the root is the same
	 * directory every time, emptied and rewritten. */
	if (proc_init() < 0)
		return 0;

	run_ls(&c, true, true, true, false);
	run_summary();
	run_maps(&c, false);
	if (c.flag_k) {
		run_ls(&c, true, true, false, false);
		run_ls(&c, true, false, true, false);
		run_ls(&c, false, true, true, false);
	}
	if (c.flag_P)
		run_maps(&c, true);
	/* Other IPC namespaces are read from the tree (PID/ns/ipc/...),
	 * never from the kernel, in a fixture. */
	if (c.flag_a)
		run_ls(&c, true, true, true, true);
	util_cmdname = NULL;
	return 0;
}
