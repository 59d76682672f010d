// SPDX-License-Identifier: MIT
/*
 * procscan.c - one pass over /proc: every mapping of, every fd to, and
 * every executable that is, a shared memory segment, indexed by (kind,
 * inode, device); and whether the pass saw everything (ARCHITECTURE.md, Verdicts).
 *
 * Per process: open /proc/PID once as a directory and read stat, maps,
 * exe and fd/ relative to it, so a reused PID fails instead of reading
 * another process.  maps comes from the PROCMAP_QUERY ioctl (Linux 6.11)
 * asking only for file-backed VMAs, or from the text when the kernel
 * lacks it or the ioctl fails on one mapping.  A process's threads share
 * its memory but not always its fds (unshare(CLONE_FILES)); a leader that
 * exited while its threads run has neither: both are read through
 * /proc/PID/task/TID.  SysV mappings are told from memfd and shared
 * anonymous memory (same device) by their /SYSV name; POSIX ones by the
 * shm directory's device, shared or private.
 *
 * Every error is one of three things: the process left (skip it), the
 * process could not be read (a gap: the scan is incomplete, and says
 * why), or shmtool itself ran out of descriptors or memory (the scan
 * fails: nothing it found may be judged).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdseg.h"
#include "parse.h"
#include "procfmt.h"
#include "paths.h"
#include "procscan.h"
#include "io.h"
#include "msg.h"
#include "text.h"

/* uapi/linux/fs.h (Linux 6.11); Debian 12's headers predate it. */
struct shmtool_procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
#define SHMTOOL_PROCMAP_QUERY _IOWR('f', 17, struct shmtool_procmap_query)
#define PMQ_VMA_READABLE	0x01
#define PMQ_VMA_WRITABLE	0x02
#define PMQ_VMA_EXECUTABLE	0x04
#define PMQ_VMA_SHARED		0x08
#define PMQ_COVERING_OR_NEXT	0x10
#define PMQ_FILE_BACKED		0x20

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#define MFD_HUGE_SHIFT 26

/* The fixed inode numbers of the initial namespaces (include/linux/
 * proc_ns.h): a PID namespace with another one has a parent. */
#define PROC_PID_INIT_INO	0xEFFFFFFCU
#define PROC_USER_INIT_INO	0xEFFFFFFDU

/* 0 unknown, 1 works, -1 unsupported; scan threads share it */
static _Atomic int query_state;

bool own_resource_error(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM;
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* ---- growable arrays ---------------------------------------------- */

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 64;
	nv = reallocarray(v, ncap, size);
	if (nv)
		*cap = ncap;
	return nv;
}

static struct holding *add_holding(struct scan *s)
{
	struct holding *h = grow(s->h, &s->caph, s->nh, sizeof(*s->h));

	if (!h)
		return NULL;
	s->h = h;
	h = &s->h[s->nh++];
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	return h;
}

/* Forget the holdings recorded since mark. */
static void drop_holdings(struct scan *s, size_t mark)
{
	while (s->nh > mark) {
		free(s->h[s->nh - 1].name);
		s->nh--;
	}
}

static int add_proc(struct scan *s, const struct proc_info *p)
{
	struct proc_info *nv = grow(s->procs, &s->capprocs, s->nprocs,
				    sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	s->procs = nv;
	nv[s->nprocs++] = *p;
	return 0;
}

static int add_gap(struct scan *s, const struct proc_info *p, int err)
{
	struct scan_gap *nv = grow(s->gaps, &s->capgaps, s->ngaps,
				   sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	s->gaps = nv;
	nv[s->ngaps].pid = p->pid;
	nv[s->ngaps].err = err;
	snprintf(nv[s->ngaps].comm, sizeof(nv[s->ngaps].comm), "%s",
		 p->comm);
	s->ngaps++;
	s->incomplete |= SCAN_INC_PROCS;
	return 0;
}

/* ---- devices -------------------------------------------------------- */

static bool parse_dev(const char *s, dev_t *out)
{
	unsigned int ma, mi;
	char extra;

	if (!s || sscanf(s, "%x:%x%c", &ma, &mi, &extra) != 2)
		return false;
	*out = makedev(ma, mi);
	return true;
}

/*
 * The kernel's internal shmem mount holds SysV segments, memfds and shared
 * anonymous memory; learn its device from a memfd (SHMTOOL_SHMEM_DEV,
 * "maj:min" in hex as maps prints it, overrides it for fixture trees).
 * hugetlb SysV segments sit on one internal hugetlbfs mount per page size.
 */
static void learn_devices(struct scan *s, int procfd)
{
	static const unsigned int huge[] = { 0, 21, 30 };	/* 2M, 1G */
	struct stat st;
	size_t i;

	if (parse_dev(getenv("SHMTOOL_SHMEM_DEV"), &s->shmem_dev) ||
	    memfd_device(0, &s->shmem_dev))
		s->have_shmem_dev = true;
	for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		dev_t d;
		size_t j;

		if (!memfd_device(MFD_HUGETLB | (huge[i] << MFD_HUGE_SHIFT), &d))
			continue;
		for (j = 0; j < s->nhuge && s->huge_dev[j] != d; j++)
			;
		if (j == s->nhuge && s->nhuge < 4)
			s->huge_dev[s->nhuge++] = d;
	}
	{
		int dfd = shm_dir_open();

		if (dfd >= 0 && fstat(dfd, &st) == 0) {
			s->shm_dir_dev = st.st_dev;
			s->have_shm_dir_dev = true;
		}
		if (dfd >= 0)
			close(dfd);
	}
	/* Our IPC namespace (the entered one, under --ns), through our own
	 * /proc, as the inventory takes it (ns_self): a fixture's
	 * self/ns/ipc if it has one; without, every holder counts as ours. */
	s->ipc_ns = 0;
	if (fstatat(procfd, "self/ns/ipc", &st, 0) == 0)
		s->ipc_ns = st.st_ino;
}

/* A device of a shm directory we list (ours, or others' with all_ns)? */
static bool is_shm_dev(const struct scan *s, dev_t d)
{
	size_t i;

	if (s->have_shm_dir_dev && d == s->shm_dir_dev)
		return true;
	for (i = 0; i < s->nshm_devs; i++)
		if (s->shm_devs[i] == d)
			return true;
	return false;
}

static bool is_huge_dev(const struct scan *s, dev_t d)
{
	size_t i;

	for (i = 0; i < s->nhuge; i++)
		if (s->huge_dev[i] == d)
			return true;
	return false;
}

/* ---- can the scan see every process? ---------------------------------- */

/* Does this process have CAP_SYS_PTRACE in the initial user namespace
 * (so that hidepid hides nothing from it)? */
static bool sees_through_hidepid(int procfd)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	struct stat st;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	if (!(data[CAP_SYS_PTRACE / 32].effective &
	      (1u << (CAP_SYS_PTRACE % 32))))
		return false;
	return fstatat(procfd, "self/ns/user", &st, 0) == 0 &&
	       st.st_ino == PROC_USER_INIT_INO;
}

/*
 * Is this /proc mounted with hidepid (other users' processes hidden or
 * inaccessible)?  The mount is found in mountinfo by the mount ID of our
 * directory fd; when it cannot be found, by its mount point "/proc".
 */
static bool proc_hidepid(int procfd)
{
	struct statx stx;
	char *buf = NULL, *line, *save = NULL, want[24] = "";
	size_t len;
	bool hidden = false;
	int fd, rc;

	if (statx(procfd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) == 0 &&
	    (stx.stx_mask & STATX_MNT_ID))
		snprintf(want, sizeof(want), "%llu ",
			 (unsigned long long)stx.stx_mnt_id);
	fd = openat(procfd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	rc = slurp_fd(fd, 1u << 24, &buf, &len);
	close(fd);
	if (rc < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *sep = strstr(line, " - proc ");
		const char *opt;

		if (!sep)
			continue;
		if (*want ? strncmp(line, want, strlen(want)) != 0
			  : !strstr(line, " /proc "))
			continue;
		opt = strstr(sep, "hidepid=");
		if (opt && strncmp(opt + 8, "off", 3) != 0 && opt[8] != '0')
			hidden = true;
		break;
	}
	free(buf);
	return hidden;
}

/*
 * Our PID as this /proc numbers it (its "self" link), or -1 when we are
 * not in its PID namespace at all.  The scan skips that entry (itself),
 * and compares no PID number of another namespace with getpid().
 */
static pid_t proc_self_pid(int procfd)
{
	char buf[24];
	ssize_t n = readlinkat(procfd, "self", buf, sizeof(buf) - 1);
	pid_t v;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return parse_pid(buf, &v) == 0 ? v : -1;
}

static void learn_completeness(struct scan *s, int procfd)
{
	struct stat st;

	if (!s->live)
		return;		/* a fixture: what it shows is all there is */
	/* Processes of other PID namespaces can share our IPC namespace and
	 * shm directory, and only the initial one sees them all. */
	if (fstatat(procfd, "self/ns/pid", &st, 0) < 0 ||
	    st.st_ino != PROC_PID_INIT_INO)
		s->incomplete |= SCAN_INC_PIDNS;
	if (proc_hidepid(procfd) && !sees_through_hidepid(procfd))
		s->incomplete |= SCAN_INC_HIDEPID;
}

/* ---- one process ---------------------------------------------------- */

struct pctx {
	struct scan *s;
	const struct scan_opts *o;
	int pidfd;		/* /proc/PID */
	pid_t pid;
	int ipc_same;		/* -1 unknown, 0 other namespace, 1 ours */
	uint64_t ipc_ino;	/* its IPC namespace (valid once ipc_same >= 0) */
	bool holds;		/* holds at least one segment */
	bool kcmp_ok;		/* PIDs of this /proc are ours: kcmp works */
	char *dents;		/* DENT_BUF bytes for getdents64 */
};

static bool same_ipc_ns(struct pctx *c)
{
	struct stat st;

	if (c->ipc_same < 0) {
		/* Unknown (no ns file, e.g. a fixture): assume ours. */
		if (c->s->ipc_ns == 0 || fstatat(c->pidfd, "ns/ipc", &st, 0) < 0)
			c->ipc_ino = c->s->ipc_ns;
		else
			c->ipc_ino = st.st_ino;
		c->ipc_same = c->ipc_ino == c->s->ipc_ns;
	}
	return c->ipc_same;
}

static char *basename_dup(const char *path, size_t len)
{
	char buf[PATH_MAX];
	const char *b;

	maps_unescape(path, len, buf, sizeof(buf));
	b = strrchr(buf, '/');
	return strdup(b ? b + 1 : buf);
}

static bool has_prefix(const char *p, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(p, prefix, n) == 0;
}

static void fill_map(struct holding *h, struct pctx *c,
		     const struct maps_entry *m, dev_t dev)
{
	h->pid = c->pid;
	h->how = HOW_MAP;
	h->dev = dev;
	h->ino = m->ino;
	h->start = m->start;
	h->end = m->end;
	h->offset = m->offset;
	h->flags = m->flags;
	c->holds = true;
}

/* fstatat of map_files/START-END of the mapping (its inode's size). */
static bool stat_mapping(int dirfd, const struct maps_entry *m,
			 struct stat *st)
{
	char link[64];

	snprintf(link, sizeof(link), "map_files/%llx-%llx",
		 (unsigned long long)m->start, (unsigned long long)m->end);
	return fstatat(dirfd, link, st, 0) == 0;
}

/* A non-SysV mapping on the shmem device: a memfd or shared anon memory. */
static int consider_shmem(struct pctx *c, int dirfd,
			  const struct maps_entry *m, dev_t dev)
{
	struct scan *s = c->s;
	struct holding *h;
	enum seg_kind kind;

	if (s->want_memfd && has_prefix(m->path, m->pathlen, "/memfd:"))
		kind = SEG_MEMFD;
	else if (s->want_anon && m->pathlen == 9 &&
		 memcmp(m->path, "/dev/zero", 9) == 0)
		kind = SEG_ANON;	/* MAP_SHARED|MAP_ANONYMOUS reads so */
	else
		return 0;
	h = add_holding(s);
	if (!h)
		return -ENOMEM;
	h->kind = kind;
	if (kind == SEG_MEMFD) {
		char buf[NAME_MAX + 8];

		maps_unescape(m->path + 7, m->pathlen - 7, buf, sizeof(buf));
		h->name = strdup(buf);
		if (!h->name)
			return -ENOMEM;
	}
	fill_map(h, c, m, dev);
	/* Its size and pages live in the inode: stat it if we may. */
	h->has_stat = stat_mapping(dirfd, m, &h->st);
	return 0;
}

/* Is this mapping on a device that can hold a segment at all? */
static bool interesting_dev(const struct scan *s, dev_t dev, bool shared)
{
	if (is_shm_dev(s, dev))
		return true;	/* POSIX, shared or private */
	return shared && ((s->have_shmem_dev && dev == s->shmem_dev) ||
			  is_huge_dev(s, dev));
}

static int cmp_int(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* Is ino the shmid of a listed SysV segment? */
static bool listed_shmid(const struct scan_opts *o, uint64_t ino)
{
	int id;

	if (ino > INT32_MAX || !o->nsysv_ids)
		return false;
	id = (int)ino;
	return bsearch(&id, o->sysv_ids, o->nsysv_ids, sizeof(id),
		       cmp_int) != NULL;
}

/*
 * Consider one file mapping.  Returns 0, or -ENOMEM.  name/namelen may be
 * NULL/0 when the caller has not fetched the name yet: then *need_name is
 * set and nothing is recorded.  Private mappings count for POSIX files
 * only (a copy-on-write reader, a program run from the shm directory):
 * SysV segments are always shared, memfds are not segments.
 */
static int consider_map(struct pctx *c, int dirfd,
			const struct maps_entry *m, bool *need_name)
{
	struct scan *s = c->s;
	dev_t dev = makedev(m->dev_major, m->dev_minor);
	bool shared = m->flags & MAPS_SHARED;
	struct holding *h;
	int32_t key;
	bool huge;

	*need_name = false;
	if (!interesting_dev(s, dev, shared))
		return 0;
	if (shared && !s->want_memfd && !s->want_anon && c->o->sysv_ids_known &&
	    ((s->have_shmem_dev && dev == s->shmem_dev) || is_huge_dev(s, dev)) &&
	    !listed_shmid(c->o, m->ino))
		return 0;	/* no listed segment, and no memfd or anon asked */
	if (!m->path) {
		*need_name = true;
		return 0;
	}
	huge = is_huge_dev(s, dev);
	if (shared && ((s->have_shmem_dev && dev == s->shmem_dev) || huge)) {
		if (!parse_sysv_map_name(m->path, m->pathlen, &key)) {
			/* memfd, /dev/zero, shared anonymous memory */
			return consider_shmem(c, dirfd, m, dev);
		}
		/* Kept whatever its namespace: a process may have attached
		 * before it left for another one (unshare(CLONE_NEWIPC));
		 * inventory decides whose segment it maps, then drops what
		 * is not of a listed namespace (scan_settle_sysv). */
		(void)same_ipc_ns(c);
		h = add_holding(s);
		if (!h)
			return -ENOMEM;
		h->kind = SEG_SYSV;
		h->ipcns = c->ipc_ino;
		h->key = key;
		h->hugetlb = huge;
		/* " (deleted)" is always there for SysV: whether the
		 * segment was removed is its SHM_DEST bit, not this. */
		h->deleted = false;
	} else {
		char *name = basename_dup(m->path, m->pathlen);

		if (!name)
			return -ENOMEM;
		h = add_holding(s);
		if (!h) {
			free(name);
			return -ENOMEM;
		}
		h->kind = SEG_POSIX;
		h->name = name;
		h->deleted = m->deleted;
		/* Its size lives only in the inode: stat it. */
		if (m->deleted)
			h->has_stat = stat_mapping(dirfd, m, &h->st);
	}
	fill_map(h, c, m, dev);
	return 0;
}

/*
 * maps through PROCMAP_QUERY: 1 done, 0 unsupported, -errno.  It asks for
 * every file-backed VMA (private ones can hold a POSIX file too) and
 * fetches a name only for mappings on a device that matters.
 */
static int maps_query(struct pctx *c, int dirfd, int fd)
{
	struct shmtool_procmap_query q;
	char name[PATH_MAX];
	uint64_t addr = 0;
	int rc;

	for (;;) {
		struct maps_entry m;
		bool need;

		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PMQ_COVERING_OR_NEXT | PMQ_FILE_BACKED;
		q.query_addr = addr;
		if (ioctl(fd, SHMTOOL_PROCMAP_QUERY, &q) < 0) {
			if (errno == ENOENT)
				return 1;	/* no more VMAs */
			if ((errno == ENOTTY || errno == EINVAL) && addr == 0 &&
			    query_state == 0)
				return 0;
			return -errno;
		}
		memset(&m, 0, sizeof(m));
		m.start = q.vma_start;
		m.end = q.vma_end;
		m.offset = q.vma_offset;
		m.ino = q.inode;
		m.dev_major = q.dev_major;
		m.dev_minor = q.dev_minor;
		m.flags = (q.vma_flags & PMQ_VMA_SHARED ? MAPS_SHARED : 0) |
			  (q.vma_flags & PMQ_VMA_READABLE ? MAPS_R : 0) |
			  (q.vma_flags & PMQ_VMA_WRITABLE ? MAPS_W : 0) |
			  (q.vma_flags & PMQ_VMA_EXECUTABLE ? MAPS_X : 0);
		rc = consider_map(c, dirfd, &m, &need);
		if (rc < 0)
			return rc;
		if (need) {
			q.query_addr = q.vma_start;
			q.query_flags = 0;
			q.vma_name_size = sizeof(name);
			q.vma_name_addr = (uint64_t)(uintptr_t)name;
			/* The kernel fills it; tools like valgrind can't
			 * know that, so give them defined bytes. */
			memset(name, 0, sizeof(name));
			if (ioctl(fd, SHMTOOL_PROCMAP_QUERY, &q) < 0) {
				if (errno == ENOENT)
					goto next;	/* unmapped meanwhile */
				return -errno;
			}
			name[sizeof(name) - 1] = '\0';
			m.path = name;
			m.pathlen = strlen(name);
			if (m.pathlen >= 10 &&
			    strcmp(name + m.pathlen - 10, " (deleted)") == 0) {
				m.deleted = true;
				m.pathlen -= 10;
			}
			rc = consider_map(c, dirfd, &m, &need);
			if (rc < 0)
				return rc;
		}
next:
		if (q.vma_end <= addr)
			return 1;
		addr = q.vma_end;
	}
}

/* maps as text: 0 (*empty when it had no line), or -errno. */
static int maps_text(struct pctx *c, int dirfd, int fd, bool *empty)
{
	char *buf, *p, *end;
	size_t len;
	int rc = slurp_fd(fd, 1u << 30, &buf, &len);

	if (rc < 0)
		return rc;
	*empty = len == 0;
	for (p = buf, end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct maps_entry m;
		bool need;

		if (parse_maps_line(p, ll, &m) == 0) {
			rc = consider_map(c, dirfd, &m, &need);
			if (rc < 0)
				break;
		}
		p += ll + 1;
	}
	free(buf);
	return rc;
}

/*
 * The mappings of the memory that dirfd (/proc/PID or .../task/TID)
 * shows.  0, or -errno; -ESRCH also when there is no memory to show (the
 * task exited, or is a zombie leader: the caller finds out which).
 */
static int scan_maps(struct pctx *c, int dirfd)
{
	struct scan *s = c->s;
	size_t mark = s->nh;
	bool empty = false;
	int fd = openat(dirfd, "maps", O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (!c->o->no_query && query_state >= 0) {
		rc = maps_query(c, dirfd, fd);
		if (rc == 0) {
			query_state = -1;	/* not on this kernel */
		} else if (rc > 0) {
			query_state = 1;
			s->used_query = true;
			close(fd);
			return 0;
		} else if (gone(-rc) || own_resource_error(-rc)) {
			close(fd);
			return rc;
		}
		/* Failed on one mapping (a name too long, ...): the text
		 * has them all. */
		drop_holdings(s, mark);
	}
	rc = maps_text(c, dirfd, fd, &empty);
	close(fd);
	if (rc == 0 && empty)
		rc = -ESRCH;	/* no memory: gone, or a zombie leader */
	return rc;
}

static int add_memfd_fd(struct pctx *c, int fdnum, char *link,
			const struct stat *st)
{
	struct holding *h = add_holding(c->s);
	size_t n = strlen(link);

	if (!h)
		return -ENOMEM;
	if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0)
		link[n - 10] = '\0';
	h->kind = SEG_MEMFD;
	h->name = strdup(link + 7);
	if (!h->name)
		return -ENOMEM;
	h->pid = c->pid;
	h->how = HOW_FD;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	h->fd = fdnum;
	h->has_stat = true;
	h->st = *st;
	c->holds = true;
	return 0;
}

/* A POSIX holding through a link ("/dev/shm/NAME[ (deleted)]"). */
static int add_posix_link(struct pctx *c, enum hold_how how, int fd,
			  char *link, size_t n, const struct stat *st)
{
	struct holding *h;
	char *name;
	bool del = false;

	if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0) {
		del = true;
		link[n - 10] = '\0';
	}
	name = strrchr(link, '/');
	name = strdup(name ? name + 1 : link);
	if (!name)
		return -ENOMEM;
	h = add_holding(c->s);
	if (!h) {
		free(name);
		return -ENOMEM;
	}
	h->pid = c->pid;
	h->how = how;
	h->kind = SEG_POSIX;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	h->fd = fd;
	h->deleted = del;
	h->name = name;
	h->has_stat = true;
	h->st = *st;
	c->holds = true;
	return 0;
}

/*
 * Call fn for every entry of the directory open at dfd, through raw
 * getdents64 into buf (DENT_BUF bytes): no DIR, so none of fdopendir's
 * fstat and two fcntl.  It reads until getdents64 returns 0, never
 * stopping at a short return: proc's fd and task readdir stop early
 * when a signal is pending (filldir64 gives up after the first entry
 * once signal_pending(): a stop and continue, the cgroup freezer, a
 * tracer), so a short return is not the end, and a list cut short would
 * be a missed holder.  0, fn's nonzero return, or -errno.
 */
#define DENT_BUF	65536

struct dent64 {			/* struct linux_dirent64 */
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int each_dirent(int dfd, char *buf,
		       int (*fn)(void *arg, const char *name), void *arg)
{
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, DENT_BUF);
		long off;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 0;
		for (off = 0; off < n;) {
			const struct dent64 *d = (const void *)(buf + off);
			int rc;

			if (d->d_reclen == 0 || d->d_reclen > n - off)
				return -EIO;	/* cannot happen */
			off += d->d_reclen;
			rc = fn(arg, d->d_name);
			if (rc)
				return rc;
		}
	}
}

struct fdwalk {
	struct pctx *c;
	int dfd;
};

/* One entry of fd/: a holding if it is a segment.  0 or -errno. */
static int one_fd(void *arg, const char *name)
{
	struct fdwalk *w = arg;
	struct pctx *c = w->c;
	struct scan *s = c->s;
	char link[PATH_MAX + 1];
	struct stat st;
	ssize_t n;
	int fdnum;

	if (parse_fd(name, &fdnum) < 0)
		return 0;	/* ".", "..": fd/ holds numbers only */
	if (fstatat(w->dfd, name, &st, 0) < 0)
		return gone(errno) ? 0 : -errno;	/* closed meanwhile */
	if (!S_ISREG(st.st_mode))
		return 0;
	if (!is_shm_dev(s, st.st_dev) &&
	    !(s->want_memfd && s->have_shmem_dev &&
	      (st.st_dev == s->shmem_dev || is_huge_dev(s, st.st_dev))))
		return 0;
	n = readlinkat(w->dfd, name, link, sizeof(link) - 1);
	if (n < 0)
		return gone(errno) ? 0 : -errno;
	link[n] = '\0';
	if (!is_shm_dev(s, st.st_dev)) {
		/* Only memfds: not files of other tmpfs mounts. */
		if (strncmp(link, "/memfd:", 7) != 0)
			return 0;
		return add_memfd_fd(c, fdnum, link, &st);
	}
	return add_posix_link(c, HOW_FD, fdnum, link, (size_t)n, &st);
}

/* The fd table that dirfd (/proc/PID or .../task/TID) shows.  0 or
 * -errno. */
static int scan_fds(struct pctx *c, int dirfd)
{
	struct scan *s = c->s;
	struct fdwalk w = { .c = c };
	int rc;

	if (!s->have_shm_dir_dev && !s->nshm_devs && !s->want_memfd)
		return 0;
	w.dfd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.dfd < 0)
		return -errno;
	rc = each_dirent(w.dfd, c->dents, one_fd, &w);
	close(w.dfd);
	return rc;
}

/* Does the process run a file of the shm directory?  0 or -errno. */
static int scan_exe(struct pctx *c, int dirfd)
{
	char link[PATH_MAX + 1];
	struct stat st;
	ssize_t n;

	if (fstatat(dirfd, "exe", &st, 0) < 0)
		return errno == ENOENT ? 0 : -errno;	/* ENOENT: none */
	if (!S_ISREG(st.st_mode) || !is_shm_dev(c->s, st.st_dev))
		return 0;
	n = readlinkat(dirfd, "exe", link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	return add_posix_link(c, HOW_EXE, -1, link, (size_t)n, &st);
}

/*
 * stat in one read(): the kernel's stat is a seq_file of one record
 * (single_open), which a read with room for it returns whole, so a short
 * read is the end and no second read is needed to see 0.  A fixture's
 * regular file reads whole too.  0 or -errno.
 */
static int read_stat(int dirfd, struct pid_stat *ps)
{
	char buf[1024];
	ssize_t n;
	int fd = openat(dirfd, "stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ESRCH;
	return parse_pid_stat(buf, (size_t)n, ps) < 0 ? -EPROTO : 0;
}

static bool zombie_state(char st)
{
	return st == 'Z' || st == 'X';
}

struct tidlist {
	pid_t *v;
	size_t n, cap;
};

static int one_task(void *arg, const char *name)
{
	struct tidlist *l = arg;
	pid_t *v, tid;

	if (parse_pid(name, &tid) < 0)
		return 0;
	v = grow(l->v, &l->cap, l->n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n++] = tid;
	return 0;
}

/* The thread IDs of a process (in directory order).  0 or -errno. */
static int list_tasks(struct pctx *c, pid_t **out, size_t *n)
{
	struct tidlist l = { 0 };
	int dfd = openat(c->pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	*out = NULL;
	*n = 0;
	if (dfd < 0)
		return -errno;
	rc = each_dirent(dfd, c->dents, one_task, &l);
	close(dfd);
	if (rc < 0) {
		free(l.v);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

static int open_task(int pidfd, pid_t tid)
{
	char rel[32];

	snprintf(rel, sizeof(rel), "task/%d", (int)tid);
	return openat(pidfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Is this thread of the process still there? */
static bool thread_alive(struct pctx *c, pid_t tid)
{
	struct stat st;
	char rel[32];

	snprintf(rel, sizeof(rel), "task/%d", (int)tid);
	return fstatat(c->pidfd, rel, &st, 0) == 0;
}

/* Do two tasks share one fd table?  1 yes, 0 no, -errno (cannot tell). */
static int same_files(pid_t a, pid_t b)
{
	long r = syscall(SYS_kcmp, a, b, KCMP_FILES, 0, 0);

	if (r < 0)
		return -errno;
	return r == 0;
}

static int cmp_fd_holding(const void *a, const void *b)
{
	const struct holding *x = a, *y = b;

	if (x->how != y->how)
		return (int)x->how - (int)y->how;
	if (x->fd != y->fd)
		return x->fd - y->fd;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->dev > y->dev) - (x->dev < y->dev);
}

/* Holdings of one process from two fd tables that are copies of each
 * other (unshare(CLONE_FILES) copies the table) count once. */
static void dedupe_fds(struct scan *s, size_t mark)
{
	size_t i, j;

	if (s->nh - mark < 2)
		return;
	qsort(s->h + mark, s->nh - mark, sizeof(*s->h), cmp_fd_holding);
	for (i = j = mark; i < s->nh; i++) {
		if (j > mark && s->h[i].how == HOW_FD &&
		    cmp_fd_holding(&s->h[j - 1], &s->h[i]) == 0) {
			free(s->h[i].name);
			continue;
		}
		s->h[j++] = s->h[i];
	}
	s->nh = j;
}

/*
 * The fd tables of a multi-threaded process: the leader's (unless it is
 * a zombie), and each thread's that is not one already read.  Threads
 * that exited meanwhile are skipped.  0 or -errno (a gap).
 */
static int scan_thread_fds(struct pctx *c, const pid_t *tids, size_t n,
			   bool leader_zombie)
{
	pid_t reps[64];
	size_t nreps = 0, i, k, mark = c->s->nh;
	bool copies = false;
	int rc;

	if (!leader_zombie) {
		rc = scan_fds(c, c->pidfd);
		if (rc < 0)
			return rc;
		reps[nreps++] = c->pid;
	}
	for (i = 0; i < n; i++) {
		bool seen = false, left = false;
		int tfd;

		if (tids[i] == c->pid)
			continue;
		for (k = 0; k < nreps && !seen && !left && c->kcmp_ok; k++) {
			rc = same_files(reps[k], tids[i]);
			if (rc == -ESRCH) {
				/* One of the two left: if it is the table we
				 * compare with, that table is no more. */
				if (thread_alive(c, tids[i])) {
					reps[k--] = reps[--nreps];
					continue;
				}
				left = true;
				continue;
			}
			if (rc < 0)
				c->kcmp_ok = false;
			seen = rc == 1;
		}
		if (seen || left)
			continue;
		tfd = open_task(c->pidfd, tids[i]);
		if (tfd < 0) {
			if (gone(errno))
				continue;
			return -errno;
		}
		rc = scan_fds(c, tfd);
		close(tfd);
		if (rc < 0 && !gone(-rc))
			return rc;
		if (nreps < sizeof(reps) / sizeof(reps[0]))
			reps[nreps++] = tids[i];
		else
			copies = true;
		copies |= !c->kcmp_ok;
	}
	/* Without kcmp every thread's table was read: copies collapse. */
	if (copies || !c->kcmp_ok || nreps > 1)
		dedupe_fds(c->s, mark);
	return 0;
}

/*
 * A live thread of a process whose leader is a zombie, as an open
 * task/TID directory (*state gets its state); -ESRCH if none lives (the
 * process is dead), or the -errno that kept us from telling (a gap, or
 * our own shortage of descriptors or memory).
 */
static int live_thread(struct pctx *c, const pid_t *tids, size_t n,
		       char *state)
{
	int err = -ESRCH;
	size_t i;

	for (i = 0; i < n; i++) {
		struct pid_stat ts;
		int tfd, rc;

		if (tids[i] == c->pid)
			continue;
		tfd = open_task(c->pidfd, tids[i]);
		if (tfd < 0) {
			if (!gone(errno))
				err = -errno;	/* not known dead */
			if (own_resource_error(errno))
				return err;
			continue;
		}
		rc = read_stat(tfd, &ts);
		if (rc == 0 && !zombie_state(ts.state)) {
			*state = ts.state;
			return tfd;
		}
		close(tfd);
		if (rc < 0 && !gone(-rc)) {
			err = rc;
			if (own_resource_error(-rc))
				return err;
		}
	}
	return err;
}

/*
 * Read a process's memory, executable and fds.  0, 1 when it turned out
 * to be gone (forget it), or -errno (a gap, or a fatal error).
 */
static int scan_body(struct pctx *c, struct proc_info *pi,
		     const struct pid_stat *ps0)
{
	struct pid_stat ps = *ps0;
	pid_t *tids = NULL;
	size_t ntids = 0, mark = c->s->nh;
	int attempt, rc = 0;

	for (attempt = 0; attempt < 3; attempt++) {
		bool lz = zombie_state(ps.state);
		int mm = c->pidfd;

		free(tids);
		tids = NULL;
		ntids = 0;
		if (ps.num_threads > 1 || lz) {
			rc = list_tasks(c, &tids, &ntids);
			if (rc < 0)
				break;
		}
		if (lz) {
			/* The process lives as long as a thread does. */
			mm = live_thread(c, tids, ntids, &pi->state);
			if (mm == -ESRCH) {
				pi->state = 'Z';	/* nothing lives */
				rc = 0;
				break;
			}
			if (mm < 0) {
				rc = mm;	/* cannot tell: a gap */
				break;
			}
		}
		rc = scan_maps(c, mm);
		if (rc == 0)
			rc = scan_exe(c, mm);
		if (mm != c->pidfd)
			close(mm);
		if (rc == 0 && !c->o->no_fds) {
			if (ntids > 1 || lz)
				rc = scan_thread_fds(c, tids, ntids, lz);
			else
				rc = scan_fds(c, c->pidfd);
		}
		if (rc == 0 || !gone(-rc))
			break;
		/* Gone, or its leader exited just now: look again. */
		if (read_stat(c->pidfd, &ps) < 0) {
			rc = 1;
			break;
		}
		if (!zombie_state(ps.state) || ps.num_threads <= 1) {
			if (zombie_state(ps.state)) {
				pi->state = 'Z';
				rc = 0;
			} else {
				rc = -EAGAIN;	/* changing under us */
			}
			break;
		}
		/* Its leader exited while we read it: read it again, through
		 * its threads, from scratch. */
		drop_holdings(c->s, mark);
		c->holds = false;
	}
	if (attempt == 3)
		rc = -EAGAIN;
	free(tids);
	return rc;
}

/* A process known only by its PID: a gap, and listed as unknown. */
static int unknown_proc(struct scan *s, struct proc_info *pi, int err)
{
	int rc = add_gap(s, pi, err);

	pi->state = '?';
	pi->gap = true;
	return rc < 0 ? rc : add_proc(s, pi);
}

/*
 * Its owner, for a holder (maps shows its USER) or a postmaster (the
 * PostgreSQL rule goes by owner): nobody asks for anyone else's, so it
 * is read only for them, through the pin.  0, 1 when the process left,
 * or -errno.
 */
static int read_owner(struct pctx *c, struct proc_info *pi)
{
	struct stat st;

	if (fstat(c->pidfd, &st) < 0)
		return gone(errno) ? 1 : -errno;
	pi->uid = st.st_uid;
	return 0;
}

static int scan_pid(struct scan *s, int procfd, pid_t pid,
		    const struct scan_opts *o, bool kcmp_ok, char *dents)
{
	struct pctx c = { .s = s, .o = o, .pid = pid, .ipc_same = -1,
			  .kcmp_ok = kcmp_ok, .dents = dents };
	struct proc_info pi = { .pid = pid, .comm = "?" };
	size_t mark = s->nh;
	struct pid_stat ps;
	char num[16];
	int rc;

	snprintf(num, sizeof(num), "%d", (int)pid);
	c.pidfd = openat(procfd, num, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.pidfd < 0) {
		rc = errno;
		if (gone(rc))
			return 0;
		if (own_resource_error(rc))
			return -rc;
		return unknown_proc(s, &pi, rc);
	}
	rc = read_stat(c.pidfd, &ps);
	if (rc < 0) {
		close(c.pidfd);
		if (gone(-rc))
			return 0;
		if (own_resource_error(-rc))
			return rc;
		return unknown_proc(s, &pi, -rc);
	}
	pi.state = ps.state;
	pi.start_ticks = ps.starttime;
	snprintf(pi.comm, sizeof(pi.comm), "%s", ps.comm);

	if (ps.flags & PID_STAT_PF_KTHREAD) {
		rc = 0;		/* a kernel thread maps nothing */
	} else if (zombie_state(ps.state) && ps.num_threads <= 1) {
		pi.state = 'Z';	/* exited: holds nothing, is not alive */
		rc = 0;
	} else {
		rc = scan_body(&c, &pi, &ps);
	}
	pi.postmaster = !zombie_state(pi.state) &&
			(strcmp(ps.comm, "postgres") == 0 ||
			 strcmp(ps.comm, "postmaster") == 0);
	if (rc != 1 && ((c.holds && s->nh > mark) || pi.postmaster)) {
		int orc = read_owner(&c, &pi);

		if (orc != 0 && rc == 0)
			rc = orc;	/* left (1), or cannot tell (a gap) */
	}
	close(c.pidfd);
	if (rc == 1) {
		drop_holdings(s, mark);	/* it left while we read it */
		return 0;
	}
	if (rc < 0 && own_resource_error(-rc))
		return rc;
	if (rc < 0) {
		pi.gap = true;
		rc = add_gap(s, &pi, -rc);
		if (rc < 0)
			return rc;
	} else {
		s->inspected++;
	}
	pi.holds = c.holds && s->nh > mark;
	return add_proc(s, &pi);
}

/* ---- the index ------------------------------------------------------- */

int holding_cmp_in_proc(const struct holding *x, const struct holding *y)
{
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->how != y->how)
		return (int)x->how - (int)y->how;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->fd - y->fd;
}

static int cmp_holding(const void *a, const void *b)
{
	const struct holding *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->ipcns != y->ipcns)
		return x->ipcns < y->ipcns ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return holding_cmp_in_proc(x, y);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct proc_info *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_gap(const void *a, const void *b)
{
	const struct scan_gap *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every PID in /proc but the scanner's own, in procfs's order (ascending).
 * 0 or -errno. */
static int list_pids(int procfd, pid_t self, pid_t **out, size_t *n)
{
	struct dirent *de;
	int dfd = dup(procfd), rc = 0;
	pid_t *v = NULL;
	size_t cap = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	/* fdopendir reads from the shared offset: start at the beginning. */
	rewinddir(d);
	for (;;) {
		pid_t pid, *nv;

		errno = 0;
		de = readdir(d);
		if (!de) {
			rc = -errno;
			break;
		}
		/* PIDs only (procfs writes them without leading zeros) */
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    parse_pid(de->d_name, &pid) < 0)
			continue;
		if (pid == self)
			continue;	/* not our own probes */
		nv = grow(v, &cap, *n, sizeof(*v));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		v = nv;
		v[(*n)++] = pid;
	}
	closedir(d);
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return 0;
}

/*
 * How many threads scan: SHMTOOL_SCAN_THREADS if set (1 or 2), else two
 * when two CPUs are free for us (the CPUs we may run on, less the tasks
 * that run besides us, as /proc/loadavg counts them) and there are enough
 * processes to share, else one; never more than the CPUs we may run on.
 * One look often catches a task for an instant (half of all runs on an
 * idle machine chose one thread): when it sees others, it looks twice
 * more, yielding between, and takes the fewest.  A task that keeps a CPU
 * busy is there at every look.
 */
#define SCAN_MAX_THREADS 2
#define SCAN_CHUNK	 16		/* PIDs a thread takes at a time */
#define SCAN_MIN_SHARED	 (8 * SCAN_CHUNK)
#define RUNNABLE_SAMPLES 2		/* more looks when one sees others */

/* A small file of /proc, whole, NUL-terminated: 0 or -errno. */
static int read_small(const char *rel, char *buf, size_t size, size_t *len)
{
	int fd = proc_open(rel, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read_full(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* The tasks runnable at one look, us among them ("0.00 0.01 0.05 R/T
 * last" in /proc/loadavg); 0 if unknown. */
static unsigned int runnable_once(void)
{
	char buf[128];
	unsigned int running;
	size_t len;

	if (read_small("loadavg", buf, sizeof(buf), &len) < 0 ||
	    sscanf(buf, "%*s %*s %*s %u/", &running) != 1)
		return 0;
	return running;
}

static unsigned int runnable_now(void)
{
	unsigned int least = runnable_once(), r;
	int i;

	for (i = 0; i < RUNNABLE_SAMPLES && least > 1; i++) {
		sched_yield();
		r = runnable_once();
		if (r && r < least)
			least = r;
	}
	return least;
}

static int scan_nthreads(const struct scan *s, size_t npids)
{
	const char *e = getenv("SHMTOOL_SCAN_THREADS");
	int ncpu = 1, want = 1;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		ncpu = CPU_COUNT(&set);
	if (e && *e) {
		want = e[0] == '2' && e[1] == '\0' ? 2 : 1;
	} else if (s->live && npids >= SCAN_MIN_SHARED && ncpu >= 2) {
		unsigned int running = runnable_now();
		if (running >= 1 && (int)(running - 1) + 2 <= ncpu)
			want = 2;
	}
	if (want > ncpu)
		want = ncpu;
	if (want > SCAN_MAX_THREADS)
		want = SCAN_MAX_THREADS;
	return want < 1 ? 1 : want;
}

/* One scanning thread: its own part of the scan, PIDs taken a chunk at a
 * time from the shared list. */
struct scan_worker {
	struct scan *part;	/* the scan itself for the first thread */
	const struct scan_opts *o;
	const pid_t *pids;
	size_t npids;
	size_t *next;		/* shared, atomic: the next PID to take */
	int *stop;		/* shared, atomic: a thread failed */
	int procfd;
	bool kcmp_ok;
	int rc;
	pthread_t tid;
};

static void *scan_worker_run(void *arg)
{
	struct scan_worker *w = arg;
	char *dents = malloc(DENT_BUF);

	if (!dents) {
		w->rc = -ENOMEM;
		__atomic_store_n(w->stop, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	while (w->rc == 0 && !__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		size_t i = __atomic_fetch_add(w->next, SCAN_CHUNK,
					      __ATOMIC_RELAXED);
		size_t end = i + SCAN_CHUNK < w->npids ? i + SCAN_CHUNK
						       : w->npids;

		if (i >= w->npids)
			break;
		for (; i < end && w->rc == 0; i++)
			w->rc = scan_pid(w->part, w->procfd, w->pids[i], w->o,
					 w->kcmp_ok, dents);
	}
	if (w->rc)
		__atomic_store_n(w->stop, 1, __ATOMIC_RELAXED);
	free(dents);
	return NULL;
}

/* dst (n elements of size) with src's m appended, into *out: 0, or
 * -ENOMEM with dst untouched. */
static int append(void *dst, size_t n, const void *src, size_t m,
		  size_t size, void **out)
{
	void *v;

	*out = dst;
	if (!m)
		return 0;
	v = reallocarray(dst, n + m, size);
	if (!v)
		return -ENOMEM;
	memcpy((char *)v + n * size, src, m * size);
	*out = v;
	return 0;
}

/* Append what part found to s, emptying part.  0 or -ENOMEM. */
static int scan_merge(struct scan *s, struct scan *part)
{
	void *v;

	if (append(s->h, s->nh, part->h, part->nh, sizeof(*s->h), &v) < 0)
		return -ENOMEM;
	s->h = v;
	s->nh += part->nh;
	if (part->nh)
		s->caph = s->nh;
	part->nh = 0;		/* the names moved with the holdings */
	if (append(s->procs, s->nprocs, part->procs, part->nprocs,
		   sizeof(*s->procs), &v) < 0)
		return -ENOMEM;
	s->procs = v;
	s->nprocs += part->nprocs;
	if (part->nprocs)
		s->capprocs = s->nprocs;
	if (append(s->gaps, s->ngaps, part->gaps, part->ngaps,
		   sizeof(*s->gaps), &v) < 0)
		return -ENOMEM;
	s->gaps = v;
	s->ngaps += part->ngaps;
	if (part->ngaps)
		s->capgaps = s->ngaps;
	s->inspected += part->inspected;
	s->incomplete |= part->incomplete;
	s->used_query |= part->used_query;
	return 0;
}

/*
 * Every process in /proc, but the scanner itself, by one or two threads
 * (scan_nthreads).  Each thread fills a scan of its own, merged into s
 * before procscan sorts: the result is the same whichever thread read
 * which process.  0 or -errno.
 */
static int scan_all(struct scan *s, int procfd, const struct scan_opts *o,
		    pid_t self, bool kcmp_ok)
{
	struct scan parts[SCAN_MAX_THREADS];
	struct scan_worker w[SCAN_MAX_THREADS];
	size_t npids, next = 0;
	int nt, t, started, stop = 0, rc;
	pid_t *pids;

	rc = list_pids(procfd, self, &pids, &npids);
	if (rc < 0)
		return rc;
	nt = scan_nthreads(s, npids);
	s->threads = nt;
	for (t = 0; t < nt; t++) {
		parts[t] = *s;
		parts[t].h = NULL;
		parts[t].procs = NULL;
		parts[t].gaps = NULL;
		parts[t].nh = parts[t].caph = 0;
		parts[t].nprocs = parts[t].capprocs = 0;
		parts[t].ngaps = parts[t].capgaps = 0;
		parts[t].inspected = 0;
		parts[t].incomplete = 0;
		parts[t].used_query = false;
		parts[t].shm_devs = NULL;	/* s's, read only */
		w[t] = (struct scan_worker){ .part = t ? &parts[t] : s,
					     .o = o, .pids = pids,
					     .npids = npids, .next = &next,
					     .stop = &stop, .procfd = procfd,
					     .kcmp_ok = kcmp_ok };
	}
	/* The others read s's devices and options through their copies;
	 * the first thread is this one, on s itself. */
	for (started = 1; started < nt; started++) {
		parts[started].shm_devs = s->shm_devs;
		if (pthread_create(&w[started].tid, NULL, scan_worker_run,
				   &w[started]) != 0)
			break;
	}
	scan_worker_run(&w[0]);
	rc = w[0].rc;
	for (t = 1; t < started; t++) {
		pthread_join(w[t].tid, NULL);
		parts[t].shm_devs = NULL;
		if (rc == 0)
			rc = w[t].rc;
		if (rc == 0)
			rc = scan_merge(s, &parts[t]);
		scan_free(&parts[t]);
	}
	free(pids);
	return rc;
}

int procscan(struct scan *s, const struct scan_opts *o)
{
	static const struct scan_opts none = { 0 };
	pid_t self;
	bool kcmp_ok;
	int procfd, rc = 0;
	char *dents;
	size_t k;

	if (!o)
		o = &none;
	memset(s, 0, sizeof(*s));
	s->live = proc_is_live();
	s->want_memfd = o->memfd;
	s->want_anon = o->anon;
	s->all_ns = o->all_ns;
	if (o->nshm_devs) {
		s->shm_devs = calloc(o->nshm_devs, sizeof(*s->shm_devs));
		if (!s->shm_devs)
			return -ENOMEM;
		memcpy(s->shm_devs, o->shm_devs,
		       o->nshm_devs * sizeof(*s->shm_devs));
		s->nshm_devs = o->nshm_devs;
	}
	/* Fixture trees have no ioctl; tests force the text path too. */
	if (!s->live || getenv("SHMTOOL_NO_PROCMAP_QUERY"))
		query_state = -1;
	procfd = proc_dirfd();
	if (procfd < 0) {
		scan_free(s);
		return procfd;
	}
	learn_devices(s, procfd);
	learn_completeness(s, procfd);
	self = s->live ? proc_self_pid(procfd) : -1;
	/* kcmp(2) takes PIDs of our own namespace: only when this /proc
	 * numbers us as the kernel does for us. */
	kcmp_ok = s->live && self > 0 && self == getpid();
	s->our_pids = kcmp_ok || !s->live;
	if (o->pids) {
		/* The processes asked for, in order, by this thread. */
		s->incomplete |= SCAN_INC_PIDS;
		s->threads = 1;
		dents = malloc(DENT_BUF);
		if (!dents)
			rc = -ENOMEM;
		for (k = 0; dents && k < o->npids && rc == 0; k++)
			rc = scan_pid(s, procfd, o->pids[k], o, kcmp_ok,
				      dents);
		free(dents);
	} else {
		rc = scan_all(s, procfd, o, self, kcmp_ok);
	}
	if (rc < 0) {
		scan_free(s);
		return rc;
	}
	if (s->nh)
		qsort(s->h, s->nh, sizeof(*s->h), cmp_holding);
	/* For tests and the curious: which maps path ran. */
	if (getenv("SHMTOOL_DEBUG_SCAN"))
		fprintf(stderr, "shmtool: scan: %zu inspected, %zu denied, "
			"%zu holdings, maps via %s, incomplete 0x%x, "
			"%d threads\n",
			s->inspected, s->ngaps, s->nh,
			s->used_query ? "PROCMAP_QUERY" : "text", s->incomplete,
			s->threads);
	if (s->nprocs)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
	if (s->ngaps)
		qsort(s->gaps, s->ngaps, sizeof(*s->gaps), cmp_gap);
	return 0;
}

/*
 * The processes of /proc that s did not see: those born since it listed
 * /proc (a forking server's children inherit its attachments).  They are
 * scanned with o, whose pids it replaces, into *out: empty when there are
 * none.  0 or -errno.
 */
int scan_newcomers(const struct scan *s, const struct scan_opts *o,
		   struct scan *out)
{
	struct scan_opts only = *o;
	size_t n, i, k = 0;
	pid_t *pids;
	int procfd, rc;

	memset(out, 0, sizeof(*out));
	procfd = proc_dirfd();
	if (procfd < 0)
		return procfd;
	rc = list_pids(procfd, s->live ? proc_self_pid(procfd) : -1, &pids,
		       &n);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (!scan_proc(s, pids[i]))
			pids[k++] = pids[i];
	if (k) {
		only.pids = pids;
		only.npids = k;
		rc = procscan(out, &only);
	}
	free(pids);
	return rc;
}

void scan_settle_sysv(struct scan *s, bool resort)
{
	size_t i, n = 0;

	for (i = 0; i < s->nh; i++) {
		struct holding *h = &s->h[i];

		if (h->kind == SEG_SYSV && !s->all_ns && h->ipcns != s->ipc_ns) {
			free(h->name);
			continue;
		}
		if (n != i)
			s->h[n] = *h;
		n++;
	}
	s->nh = n;
	if (resort && s->nh)
		qsort(s->h, s->nh, sizeof(*s->h), cmp_holding);
}

void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nh; i++)
		free(s->h[i].name);
	free(s->h);
	free(s->procs);
	free(s->gaps);
	free(s->shm_devs);
	memset(s, 0, sizeof(*s));
}

/* First holding with (kind, ino) >= the key. */
static size_t lower_bound(const struct scan *s, enum seg_kind kind,
			  uint64_t ino)
{
	size_t lo = 0, hi = s->nh;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct holding *h = &s->h[mid];

		if (h->kind < kind || (h->kind == kind && h->ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t scan_find(const struct scan *s, enum seg_kind kind, dev_t dev,
		 uint64_t ino, size_t *count)
{
	size_t i = lower_bound(s, kind, ino), first;

	while (i < s->nh && s->h[i].kind == kind && s->h[i].ino == ino &&
	       s->h[i].dev < dev)
		i++;
	first = i;
	while (i < s->nh && s->h[i].kind == kind && s->h[i].ino == ino &&
	       s->h[i].dev == dev)
		i++;
	*count = i - first;
	return first;
}

size_t scan_find_sysv(const struct scan *s, int shmid, uint64_t ipcns,
		      size_t *count)
{
	size_t i = lower_bound(s, SEG_SYSV, (uint64_t)shmid), first;

	while (i < s->nh && s->h[i].kind == SEG_SYSV &&
	       s->h[i].ino == (uint64_t)shmid && s->h[i].ipcns < ipcns)
		i++;
	first = i;
	while (i < s->nh && s->h[i].kind == SEG_SYSV &&
	       s->h[i].ino == (uint64_t)shmid && s->h[i].ipcns == ipcns)
		i++;
	*count = i - first;
	return first;
}

const struct proc_info *scan_proc(const struct scan *s, pid_t pid)
{
	struct proc_info key = { .pid = pid };

	if (!s->nprocs)
		return NULL;
	return bsearch(&key, s->procs, s->nprocs, sizeof(*s->procs),
		       cmp_proc);
}

bool scan_postmaster_runs(const struct scan *s, uid_t uid)
{
	size_t i;

	for (i = 0; i < s->nprocs; i++)
		if (s->procs[i].postmaster && s->procs[i].uid == uid)
			return true;
	return false;
}

uint64_t proc_boot_time(void)
{
	static uint64_t btime;
	static bool tried;
	char buf[8192];
	size_t len;

	if (!tried) {
		tried = true;
		if (read_small("stat", buf, sizeof(buf), &len) < 0 ||
		    parse_proc_stat_btime(buf, len, &btime) < 0)
			btime = 0;
	}
	return btime;
}

/* The start of a process in seconds since the epoch; never later than
 * the truth (btime is rounded down).  false if unknown. */
static bool start_epoch(uint64_t ticks, double *epoch)
{
	uint64_t btime = proc_boot_time();
	long hz = sysconf(_SC_CLK_TCK);

	if (!btime)
		return false;
	*epoch = (double)btime + (double)ticks / (double)(hz > 0 ? hz : 100);
	return true;
}

/* A creator looked up by itself (the scan did not list every process). */
static enum creator_state creator_direct(pid_t cpid, time_t ctime)
{
	char rel[32], buf[1024];
	struct pid_stat ps;
	size_t len;
	double start;
	int rc;

	snprintf(rel, sizeof(rel), "%d/stat", (int)cpid);
	rc = read_small(rel, buf, sizeof(buf), &len);
	if (rc < 0)
		return gone(-rc) ? CREATOR_DEAD : CREATOR_UNSEEN;
	if (parse_pid_stat(buf, len, &ps) < 0 || !start_epoch(ps.starttime,
							       &start))
		return CREATOR_UNSEEN;
	if (zombie_state(ps.state) && ps.num_threads <= 1)
		return CREATOR_DEAD;
	return start >= (double)ctime + 1.0 ? CREATOR_DEAD : CREATOR_ALIVE;
}

enum creator_state scan_creator(const struct scan *s, pid_t cpid,
				time_t ctime)
{
	const struct proc_info *p;
	double start;

	if (cpid <= 0)
		return CREATOR_UNSEEN;	/* in a PID namespace we cannot see */
	/* The kernel gives cpid in our PID namespace; a /proc of another
	 * one numbers other processes with it. */
	if (!s->our_pids)
		return CREATOR_UNSEEN;
	if (s->incomplete & SCAN_INC_PIDS)
		return creator_direct(cpid, ctime);
	p = scan_proc(s, cpid);
	if (!p) {
		/* Every process that existed throughout the scan was
		 * listed: unless /proc hides some, this one is gone. */
		return s->incomplete & SCAN_INC_HIDEPID ? CREATOR_UNSEEN
							: CREATOR_DEAD;
	}
	if (p->state == '?')
		return CREATOR_UNSEEN;	/* its stat could not be read */
	if (p->state == 'Z')
		return CREATOR_DEAD;
	if (!start_epoch(p->start_ticks, &start))
		return CREATOR_UNSEEN;
	/* ctime is rounded down: the creator started before ctime + 1. */
	return start >= (double)ctime + 1.0 ? CREATOR_DEAD : CREATOR_ALIVE;
}

const struct proc_info *scan_proc_since(const struct scan *s, pid_t pid,
					time_t t)
{
	const struct proc_info *p;
	double start;

	if (pid <= 0 || !s->our_pids || (s->incomplete & SCAN_INC_PIDS))
		return NULL;
	p = scan_proc(s, pid);
	if (!p || p->state == '?' || p->state == 'Z' ||
	    !start_epoch(p->start_ticks, &start))
		return NULL;
	return start >= (double)t + 1.0 ? NULL : p;
}

static const char *gap_reason(int err)
{
	return err == EACCES || err == EPERM ? "permission denied"
					     : strerror(err);
}

void scan_report_gaps(const struct scan *s)
{
	bool *done;
	size_t i, j;

	if (!s->ngaps)
		return;
	done = calloc(s->ngaps, sizeof(*done));
	/* One line per reason, naming up to 32 processes. */
	for (i = 0; i < s->ngaps; i++) {
		const char *why = gap_reason(s->gaps[i].err);
		char list[2048], ecomm[4 * 64];
		size_t used = 0, n = 0, shown = 0;

		if (done && done[i])
			continue;
		list[0] = '\0';
		for (j = i; j < s->ngaps; j++) {
			int w;

			if (strcmp(gap_reason(s->gaps[j].err), why) != 0)
				continue;
			if (done)
				done[j] = true;
			n++;
			if (shown == 32)
				continue;
			name_escape(s->gaps[j].comm, ecomm, sizeof(ecomm));
			w = snprintf(list + used, sizeof(list) - used,
				     "%s%d (%s)", shown ? ", " : "",
				     (int)s->gaps[j].pid, ecomm);
			if (w < 0 || (size_t)w >= sizeof(list) - used) {
				shown = 32;
				continue;
			}
			used += (size_t)w;
			shown++;
		}
		msg("%zu process%s could not be inspected (%s): %s%s", n,
		    n == 1 ? "" : "es", why, list, n > shown ? ", ..." : "");
		if (!done)
			break;
	}
	free(done);
}

void scan_incomplete_why(const struct scan *s, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
#define ADD(cond, text)							\
	do {								\
		if ((cond) && used < len) {				\
			int w = snprintf(buf + used, len - used, "%s%s", \
					 used ? "; " : "", text);	\
			if (w > 0)					\
				used += (size_t)w;			\
		}							\
	} while (0)
	ADD(s->incomplete & SCAN_INC_PIDNS,
	    "processes outside this PID namespace cannot be seen");
	ADD(s->incomplete & SCAN_INC_HIDEPID,
	    "/proc is mounted with hidepid: other users' processes are "
	    "hidden");
	ADD(s->incomplete & SCAN_INC_PROCS,
	    "some processes could not be inspected");
	ADD(s->incomplete & SCAN_INC_PIDS, "only some processes were read");
#undef ADD
}
