// SPDX-License-Identifier: MIT
/*
 * procscan.c - one pass over /proc: every mapping of, and every fd to, a
 * shared memory segment, indexed by (kind, inode, device).
 *
 * Per process: open /proc/PID once as a directory and read maps, fd/,
 * comm relative to it, so a reused PID fails instead of reading another
 * process.  maps comes from the PROCMAP_QUERY ioctl (Linux 6.11) asking
 * only for shared file-backed VMAs, or from the text when the kernel lacks
 * it.  SysV mappings are told from memfd and shared anonymous memory (same
 * device) by their /SYSV name; POSIX ones by the shm directory's device.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "parse.h"
#include "paths.h"
#include "procscan.h"
#include "util.h"

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

static int query_state;		/* 0 unknown, 1 works, -1 unsupported */

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

static int add_proc(struct proc_info **v, size_t *n, size_t *cap,
		    const struct proc_info *p)
{
	struct proc_info *nv = grow(*v, cap, *n, sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = *p;
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
static void learn_devices(struct scan *s)
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
	if (stat(shm_dir(), &st) == 0) {
		s->shm_dir_dev = st.st_dev;
		s->have_shm_dir_dev = true;
	}
	s->ipc_ns = 0;
	if (stat("/proc/self/ns/ipc", &st) == 0)
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

/* ---- one process ---------------------------------------------------- */

struct pctx {
	struct scan *s;
	int pidfd;
	pid_t pid;
	int ipc_same;		/* -1 unknown, 0 other namespace, 1 ours */
	uint64_t ipc_ino;	/* its IPC namespace (valid once ipc_same >= 0) */
	bool holds;		/* holds at least one segment */
	bool denied;
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

/* A non-SysV mapping on the shmem device: a memfd or shared anon memory. */
static int consider_shmem(struct pctx *c, const struct maps_entry *m,
			  dev_t dev)
{
	struct scan *s = c->s;
	struct holding *h;
	enum seg_kind kind;
	char link[64];

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
	snprintf(link, sizeof(link), "map_files/%llx-%llx",
		 (unsigned long long)m->start, (unsigned long long)m->end);
	h->has_stat = fstatat(c->pidfd, link, &h->st, 0) == 0;
	return 0;
}

/*
 * Consider one shared file mapping.  Returns 0, or -ENOMEM.  name/namelen
 * may be NULL/0 when the caller has not fetched the name yet: then
 * *need_name is set and nothing is recorded.
 */
static int consider_map(struct pctx *c, const struct maps_entry *m,
			bool *need_name)
{
	struct scan *s = c->s;
	dev_t dev = makedev(m->dev_major, m->dev_minor);
	struct holding *h;
	int32_t key;
	bool huge;

	*need_name = false;
	if (!(m->flags & MAPS_SHARED))
		return 0;
	huge = is_huge_dev(s, dev);
	if ((s->have_shmem_dev && dev == s->shmem_dev) || huge) {
		if (!m->path) {
			*need_name = true;
			return 0;
		}
		if (!parse_sysv_map_name(m->path, m->pathlen, &key)) {
			/* memfd, /dev/zero, shared anonymous memory */
			return consider_shmem(c, m, dev);
		}
		if (!same_ipc_ns(c) && !s->all_ns)
			return 0;
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
	} else if (is_shm_dev(s, dev)) {
		char *name;

		if (!m->path) {
			*need_name = true;
			return 0;
		}
		name = basename_dup(m->path, m->pathlen);
		if (!name)
			return -ENOMEM;
		if (is_semaphore_name(name)) {
			free(name);
			return 0;
		}
		h = add_holding(s);
		if (!h) {
			free(name);
			return -ENOMEM;
		}
		h->kind = SEG_POSIX;
		h->name = name;
		h->deleted = m->deleted;
		if (m->deleted) {
			char link[64];

			/* Its size lives only in the inode: stat it. */
			snprintf(link, sizeof(link), "map_files/%llx-%llx",
				 (unsigned long long)m->start,
				 (unsigned long long)m->end);
			h->has_stat = fstatat(c->pidfd, link, &h->st, 0) == 0;
		}
	} else {
		return 0;
	}
	fill_map(h, c, m, dev);
	return 0;
}

/* maps through PROCMAP_QUERY: 1 done, 0 unsupported, -errno. */
static int maps_query(struct pctx *c, int fd)
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
		q.query_flags = PMQ_COVERING_OR_NEXT | PMQ_FILE_BACKED |
				PMQ_VMA_SHARED;
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
		m.flags = MAPS_SHARED |
			  (q.vma_flags & PMQ_VMA_READABLE ? MAPS_R : 0) |
			  (q.vma_flags & PMQ_VMA_WRITABLE ? MAPS_W : 0) |
			  (q.vma_flags & PMQ_VMA_EXECUTABLE ? MAPS_X : 0);
		rc = consider_map(c, &m, &need);
		if (rc < 0)
			return rc;
		if (need) {
			/* Names only for mappings on a device we care about. */
			q.query_addr = q.vma_start;
			q.query_flags = PMQ_VMA_SHARED;
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
			rc = consider_map(c, &m, &need);
			if (rc < 0)
				return rc;
		}
next:
		if (q.vma_end <= addr)
			return 1;
		addr = q.vma_end;
	}
}

static int maps_text(struct pctx *c, int fd)
{
	char *buf, *p, *end;
	size_t len;
	int rc = slurp_fd(fd, 1u << 30, &buf, &len);

	if (rc < 0)
		return rc;
	for (p = buf, end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct maps_entry m;
		bool need;

		if (parse_maps_line(p, ll, &m) == 0 && (m.flags & MAPS_SHARED)) {
			rc = consider_map(c, &m, &need);
			if (rc < 0)
				break;
		}
		p += ll + 1;
	}
	free(buf);
	return rc;
}

static int scan_maps(struct pctx *c, const struct scan_opts *o)
{
	int fd = openat(c->pidfd, "maps", O_RDONLY | O_CLOEXEC);
	int rc = 1;

	if (fd < 0)
		return -errno;
	if (!o->no_query && query_state >= 0) {
		rc = maps_query(c, fd);
		if (rc == 0) {
			query_state = -1;	/* not on this kernel */
		} else if (rc > 0) {
			query_state = 1;
			c->s->used_query = true;
		}
	}
	if (rc == 0 || o->no_query || query_state < 0)
		rc = maps_text(c, fd);
	close(fd);
	return rc < 0 ? rc : 0;
}

static int add_memfd_fd(struct pctx *c, const char *fdname, char *link,
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
	h->fd = atoi(fdname);
	h->has_stat = true;
	h->st = *st;
	c->holds = true;
	return 0;
}

static int scan_fds(struct pctx *c)
{
	struct scan *s = c->s;
	struct dirent *de;
	DIR *d;
	int dfd, rc = 0;

	if (!s->have_shm_dir_dev && !s->nshm_devs && !s->want_memfd)
		return 0;
	dfd = openat(c->pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		char link[PATH_MAX + 1];
		struct holding *h;
		struct stat st;
		ssize_t n;
		char *name;
		bool del = false;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (fstatat(dfd, de->d_name, &st, 0) < 0) {
			if (errno == EACCES || errno == EPERM) {
				rc = -errno;
				break;
			}
			continue;	/* closed meanwhile */
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (!is_shm_dev(s, st.st_dev) &&
		    !(s->want_memfd && s->have_shmem_dev &&
		      (st.st_dev == s->shmem_dev || is_huge_dev(s, st.st_dev))))
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (!is_shm_dev(s, st.st_dev)) {
			/* Only memfds: not files of other tmpfs mounts. */
			if (strncmp(link, "/memfd:", 7) != 0)
				continue;
			rc = add_memfd_fd(c, de->d_name, link, &st);
			if (rc < 0)
				break;
			continue;
		}
		if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0) {
			del = true;
			link[n - 10] = '\0';
		}
		name = strrchr(link, '/');
		name = strdup(name ? name + 1 : link);
		if (!name) {
			rc = -ENOMEM;
			break;
		}
		if (is_semaphore_name(name)) {
			free(name);
			continue;
		}
		h = add_holding(s);
		if (!h) {
			free(name);
			rc = -ENOMEM;
			break;
		}
		h->pid = c->pid;
		h->how = HOW_FD;
		h->kind = SEG_POSIX;
		h->dev = st.st_dev;
		h->ino = st.st_ino;
		h->fd = atoi(de->d_name);
		h->deleted = del;
		h->name = name;
		h->has_stat = true;
		h->st = st;
		c->holds = true;
	}
	closedir(d);
	return rc;
}

static void read_comm(int pidfd, char *out, size_t len)
{
	char buf[64];
	ssize_t n = -1;
	int fd = openat(pidfd, "comm", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read_full(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(out, len, "?");
		return;
	}
	if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	name_escape(buf, out, len);
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

static bool refused(int err)
{
	return err == EACCES || err == EPERM;
}

static int scan_pid(struct scan *s, int procfd, pid_t pid,
		    const struct scan_opts *o)
{
	struct pctx c = { .s = s, .pid = pid, .ipc_same = -1 };
	size_t nh_before = s->nh;
	struct proc_info pi = { .pid = pid };
	char num[16];
	struct stat st;
	int rc = 0, mrc, frc = 0;

	snprintf(num, sizeof(num), "%d", (int)pid);
	c.pidfd = openat(procfd, num, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.pidfd < 0)
		return 0;	/* gone (or not a process) */
	if (fstat(c.pidfd, &st) == 0)
		pi.uid = st.st_uid;
	read_comm(c.pidfd, pi.comm, sizeof(pi.comm));
	/* A live PostgreSQL server pins its segments (DESIGN §7). */
	if (strcmp(pi.comm, "postgres") == 0) {
		uid_t *nv = grow(s->pg_uids, &s->cappg, s->npg, sizeof(uid_t));

		if (!nv) {
			close(c.pidfd);
			return -ENOMEM;
		}
		s->pg_uids = nv;
		nv[s->npg++] = pi.uid;
	}

	mrc = scan_maps(&c, o);
	if (mrc == -ENOMEM)
		goto nomem;
	if (!o->no_fds) {
		frc = scan_fds(&c);
		if (frc == -ENOMEM)
			goto nomem;
	}
	if (gone(-mrc) || gone(-frc)) {
		/* It exited while we read it: forget it, and what we had
		 * recorded of it. */
		while (s->nh > nh_before) {
			free(s->h[s->nh - 1].name);
			s->nh--;
		}
		goto out;
	}
	if (refused(-mrc) || refused(-frc)) {
		c.denied = true;
		rc = add_proc(&s->denied, &s->ndenied, &s->capdenied, &pi);
	} else if (mrc == 0 && frc == 0) {
		s->inspected++;
	}
	if (rc == 0 && c.holds)
		rc = add_proc(&s->procs, &s->nprocs, &s->capprocs, &pi);
out:
	close(c.pidfd);
	return rc;
nomem:
	close(c.pidfd);
	return -ENOMEM;
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

int procscan(struct scan *s, const struct scan_opts *o)
{
	static const struct scan_opts none = { 0 };
	pid_t self = getpid();
	bool live = strcmp(proc_root(), "/proc") == 0;
	int procfd, rc = 0;

	if (!o)
		o = &none;
	memset(s, 0, sizeof(*s));
	s->want_memfd = o->memfd;
	s->want_anon = o->anon;
	s->all_ns = o->all_ns;
	for (size_t k = 0; k < o->nshm_devs && k < 16; k++)
		s->shm_devs[s->nshm_devs++] = o->shm_devs[k];
	/* Fixture trees have no ioctl; tests force the text path too. */
	if (!live || getenv("SHMTOOL_NO_PROCMAP_QUERY"))
		query_state = -1;
	learn_devices(s);
	procfd = open(proc_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	if (o->pids) {
		size_t i;

		for (i = 0; i < o->npids && rc == 0; i++)
			rc = scan_pid(s, procfd, o->pids[i], o);
	} else {
		struct dirent *de;
		DIR *d = fdopendir(dup(procfd));

		if (!d) {
			rc = -errno;
			close(procfd);
			return rc;
		}
		while (rc == 0 && (de = readdir(d)) != NULL) {
			char *e;
			long pid;

			if (de->d_name[0] < '1' || de->d_name[0] > '9')
				continue;
			pid = strtol(de->d_name, &e, 10);
			if (*e || pid <= 0 || pid > INT32_MAX)
				continue;
			if (live && pid == self)
				continue;	/* not our own probe */
			rc = scan_pid(s, procfd, (pid_t)pid, o);
		}
		closedir(d);
	}
	close(procfd);
	if (rc < 0)
		return rc;
	if (s->nh)
		qsort(s->h, s->nh, sizeof(*s->h), cmp_holding);
	/* For tests and the curious: which maps path ran. */
	if (getenv("SHMTOOL_DEBUG_SCAN"))
		fprintf(stderr, "shmtool: scan: %zu inspected, %zu denied, "
			"%zu holdings, maps via %s\n", s->inspected,
			s->ndenied, s->nh,
			s->used_query ? "PROCMAP_QUERY" : "text");
	if (s->nprocs)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
	if (s->ndenied)
		qsort(s->denied, s->ndenied, sizeof(*s->denied), cmp_proc);
	return 0;
}

void scan_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nh; i++)
		free(s->h[i].name);
	free(s->h);
	free(s->procs);
	free(s->denied);
	free(s->pg_uids);
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

bool scan_postgres_runs(const struct scan *s, uid_t uid)
{
	size_t i;

	for (i = 0; i < s->npg; i++)
		if (s->pg_uids[i] == uid)
			return true;
	return false;
}

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

/* Start times already read: a listing asks for the same creators often. */
struct start_cache {
	pid_t pid;		/* 0: empty */
	int rc;
	double epoch;
};

static int proc_start_time_uncached(pid_t pid, double *epoch);

int proc_start_time(pid_t pid, double *epoch)
{
	static struct start_cache cache[1024];
	struct start_cache *e;

	if (pid <= 0)
		return -ENOENT;
	e = &cache[(unsigned int)pid % 1024];
	if (e->pid != pid) {
		e->rc = proc_start_time_uncached(pid, &e->epoch);
		e->pid = pid;
	}
	*epoch = e->epoch;
	return e->rc;
}

static int proc_start_time_uncached(pid_t pid, double *epoch)
{
	static uint64_t btime;
	char buf[4096], rel[32];
	uint64_t ticks;
	size_t len;
	long hz = sysconf(_SC_CLK_TCK);
	int rc;

	if (pid <= 0)
		return -ENOENT;
	if (!btime) {
		rc = read_small("stat", buf, sizeof(buf), &len);
		if (rc == 0)
			rc = parse_proc_stat_btime(buf, len, &btime);
		if (rc < 0)
			return -ENODATA;	/* not "no such process" */
	}
	snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
	rc = read_small(rel, buf, sizeof(buf), &len);
	if (rc < 0)
		return rc == -ESRCH ? -ENOENT : rc;
	rc = parse_pid_stat_starttime(buf, len, &ticks);
	if (rc < 0)
		return rc;
	/* btime is rounded down: this estimate is never after the truth. */
	*epoch = (double)btime + (double)ticks / (double)(hz > 0 ? hz : 100);
	return 0;
}

void scan_report_denied(const struct scan *s)
{
	char list[2048];
	size_t i, used = 0;

	if (!s->ndenied)
		return;
	list[0] = '\0';
	for (i = 0; i < s->ndenied && i < 32; i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%d (%s)",
				 i ? ", " : "", (int)s->denied[i].pid,
				 s->denied[i].comm);

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	msg("%zu process%s could not be inspected (permission denied): "
	    "%s%s", s->ndenied, s->ndenied == 1 ? "" : "es", list,
	    s->ndenied > 32 ? ", ..." : "");
}
