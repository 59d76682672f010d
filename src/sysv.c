// SPDX-License-Identifier: MIT
/*
 * sysv.c - the System V backend: /proc/sysvipc/shm, shmget, shmat, shmdt,
 * shmctl.  The only file that makes SysV IPC calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdseg.h"
#include "parse.h"
#include "procfmt.h"
#include "ns.h"
#include "paths.h"
#include "procscan.h"
#include "segment.h"
#include "io.h"

/* Largest /proc/sysvipc/shm we accept (32768 segments * ~160 bytes). */
#define SYSVIPC_MAX (256u << 20)

/* Parse a whole /proc/sysvipc/shm in buf into out; all or none. */
static int list_from_buf(const char *buf, size_t len, struct seglist *out)
{
	const char *p = buf, *end = buf + len;
	size_t had = out->n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct segment seg, *s;

		/* The header and malformed lines do not parse: skip them. */
		if (parse_sysvipc_line(p, ll, &seg) == 0) {
			s = seglist_add(out);
			if (!s) {
				out->n = had;
				return -ENOMEM;
			}
			*s = seg;
		}
		p += ll + 1;
	}
	return 0;
}

/* The same, read from fd; *found says whether it had any bytes. */
static int list_from_fd(int fd, struct seglist *out, bool *found)
{
	char *buf;
	size_t len;
	int rc = slurp_fd(fd, SYSVIPC_MAX, &buf, &len);

	*found = false;
	if (rc < 0)
		return rc;
	*found = len > 0;
	rc = list_from_buf(buf, len, out);
	free(buf);
	return rc;
}

static int list_proc(struct seglist *out, bool *found)
{
	int fd, rc;

	*found = false;
	fd = proc_open("sysvipc/shm", O_RDONLY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	rc = list_from_fd(fd, out, found);
	close(fd);
	return rc;
}

/*
 * The SysV segments of another IPC namespace (that of process pid, still
 * ino): /proc/sysvipc/shm as it reads there (ns_read_ipc).  All of them,
 * or none and an error.
 */
int sysv_list_ns(pid_t pid, uint64_t ino, struct seglist *out)
{
	char *buf;
	size_t len;
	int rc = ns_read_ipc(pid, ino, "sysvipc/shm", SYSVIPC_MAX, &buf, &len);

	if (rc < 0)
		return rc;
	rc = list_from_buf(buf, len, out);
	free(buf);
	return rc;
}

static void fill_from_ds(struct segment *s, int shmid,
			 const struct shmid_ds *ds)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_SYSV;
	s->shmid = shmid;
	s->key = (int32_t)ds->shm_perm.__key;
	s->mode = ds->shm_perm.mode & 0777;
	if (ds->shm_perm.mode & SHM_DEST)
		s->status |= SEG_ST_DEST;
	if (ds->shm_perm.mode & SHM_LOCKED)
		s->status |= SEG_ST_LOCKED;
	s->size = ds->shm_segsz;
	s->cpid = ds->shm_cpid;
	s->lpid = ds->shm_lpid;
	s->nattch = ds->shm_nattch;
	s->uid = ds->shm_perm.uid;
	s->gid = ds->shm_perm.gid;
	s->cuid = ds->shm_perm.cuid;
	s->cgid = ds->shm_perm.cgid;
	s->atime = ds->shm_atime;
	s->dtime = ds->shm_dtime;
	s->ctime = ds->shm_ctime;
}

/*
 * Without /proc/sysvipc/shm: walk the kernel's index with SHM_STAT_ANY
 * (Linux 4.17, no read permission needed), SHM_STAT before that.
 */
static int list_shmctl(struct seglist *out)
{
	struct shm_info info;
	int maxidx, i;

	maxidx = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info);
	if (maxidx < 0)
		return errno == ENOSYS ? 0 : -errno;
	for (i = 0; i <= maxidx; i++) {
		struct shmid_ds ds;
		struct segment *s;
		int id;

		/* valgrind does not know SHM_STAT_ANY fills ds. */
		memset(&ds, 0, sizeof(ds));
		id = shmctl(i, SHM_STAT_ANY, &ds);

		if (id < 0 && errno == EINVAL)
			id = shmctl(i, SHM_STAT, &ds);
		if (id < 0)
			continue;	/* free slot, removed, or not ours */
		s = seglist_add(out);
		if (!s)
			return -ENOMEM;
		fill_from_ds(s, id, &ds);
	}
	return 0;
}

static int sysv_list(struct seglist *out)
{
	bool found;
	int rc = list_proc(out, &found);

	/* No sysvipc/shm (also in a fixture tree without one, as the unit
	 * tests use): ask the kernel. */
	if (rc < 0 || found)
		return rc;
	return list_shmctl(out);
}

static int find(bool by_id, int shmid, int32_t key, struct segment *out)
{
	struct seglist l = { 0 };
	size_t i;
	int rc = sysv_list(&l);

	if (rc < 0)
		return rc;
	rc = -ENOENT;
	for (i = 0; i < l.n; i++) {
		if (by_id ? l.v[i].shmid == shmid : l.v[i].key == key) {
			*out = l.v[i];
			rc = 0;
			break;
		}
	}
	seglist_free(&l);
	return rc;
}

static int sysv_lookup_id(int shmid, struct segment *out)
{
	return find(true, shmid, 0, out);
}

static int sysv_lookup_key(int32_t key, struct segment *out)
{
	if (key == IPC_PRIVATE)
		return -EINVAL;
	return find(false, 0, key, out);
}

/* Copy the initial content, then give the segment its final mode. */
static int sysv_init(int id, const struct create_req *req)
{
	struct shmid_ds ds;
	void *addr = shmat(id, NULL, 0);

	if (addr == (void *)-1)
		return -errno;
	memcpy(addr, req->init, req->init_len);
	if (shmdt(addr) < 0)
		return -errno;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return -errno;
	ds.shm_perm.mode = (ds.shm_perm.mode & ~0777u) | (req->mode & 0777);
	return shmctl(id, IPC_SET, &ds) < 0 ? -errno : 0;
}

static int sysv_create(const struct create_req *req, struct segment *out,
		       bool *created)
{
	unsigned int mode = req->mode & 0777;
	int flags, id, rc;

	*created = false;
	if (req->size == 0 || req->size > SIZE_MAX ||
	    req->init_len > req->size)
		return -EINVAL;
	/* With content to copy, we need write access until it is in. */
	if (req->init_len)
		mode = 0600;
	flags = IPC_CREAT | IPC_EXCL | (int)mode;
	if (req->hugetlb)
		flags |= SHM_HUGETLB;
	id = shmget((key_t)req->key, (size_t)req->size, flags);
	if (id < 0) {
		rc = -errno;
		if (rc != -EEXIST || !req->exist_ok || req->key == IPC_PRIVATE)
			return rc;
		rc = sysv_lookup_key(req->key, out);
		if (rc < 0)
			return rc == -ENOENT ? -EEXIST : rc;
		return out->size < req->size ? -EFBIG : 0;
	}
	if (req->init_len) {
		rc = sysv_init(id, req);
		if (rc < 0) {
			(void)shmctl(id, IPC_RMID, NULL);
			return rc;
		}
	}
	*created = true;
	rc = sysv_lookup_id(id, out);
	if (rc < 0) {
		/* Listed nowhere (no /proc, no SHM_STAT): describe it. */
		memset(out, 0, sizeof(*out));
		out->kind = SEG_SYSV;
		out->shmid = id;
		out->key = req->key;
		out->size = req->size;
		out->mode = req->mode;
	}
	return 0;
}

/*
 * The segment's own file, reached through our attachment's entry in
 * /proc/self/map_files: transfers then go as a POSIX segment's do
 * (sendfile, splice, pwrite) and never fault a page into our mapping, so
 * a 1 GiB copy neither pays 262,144 page-table entries nor shows 1 GiB of
 * resident memory.  Opening map_files takes CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE in the initial user namespace.  What opens must
 * be this very segment: the kernel numbers a SysV segment's inode with
 * its shmid, on its internal shmem mount.  /proc is our own, opened
 * before --ns entered any namespace, and the check stands anyway: nobody
 * else may choose the file we write.  Otherwise (no privilege, a fixture
 * /proc, SHM_HUGETLB on
 * hugetlbfs, which has no write(2)) it is -1 and the copy goes through
 * the mapping.  Either way the attachment stays for the handle's life, so
 * NATTCH counts us and rm --unused leaves us alone.
 * SHMTOOL_NO_MAP_FILES forces the mapping, so that tests cover both paths.
 */
static int sysv_file(const struct segment *seg, const void *addr,
		     bool writable)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = (uint64_t)(uintptr_t)addr;
	char path[64];
	struct stat st;
	dev_t shmem;
	int fd;

	if (getenv("SHMTOOL_NO_MAP_FILES") || !memfd_device(0, &shmem))
		return -1;
	snprintf(path, sizeof(path), "self/map_files/%llx-%llx",
		 (unsigned long long)start,
		 (unsigned long long)((start + seg->size + page - 1) &
				      ~(page - 1)));
	fd = proc_open(path, writable ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_dev != shmem || st.st_ino != (ino_t)seg->shmid ||
	    (uint64_t)st.st_size != seg->size) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The kernel's record of one shmid, in O(1): SHM_STAT_ANY at the id's
 * index needs no read permission (an owner may have set mode 0), and
 * says which id sits there; IPC_STAT where it is missing.  -ENOENT if
 * the id is gone.
 */
static int stat_id(int shmid, struct shmid_ds *ds)
{
	static const int masks[] = { 0x7fff, 0xffffff };	/* ipcmni_extend */
	size_t i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		int id;

		memset(ds, 0, sizeof(*ds));
		id = shmctl(shmid & masks[i], SHM_STAT_ANY, ds);
		if (id == shmid)
			return 0;
		if (id < 0 && errno != EINVAL && errno != EIDRM &&
		    errno != EACCES && errno != EPERM)
			return -errno;
	}
	memset(ds, 0, sizeof(*ds));
	if (shmctl(shmid, IPC_STAT, ds) == 0)
		return 0;
	return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
}

static int sysv_nattch_now(const struct segment *seg, unsigned long *nattch,
			   bool *touched)
{
	struct shmid_ds ds;
	int rc;

	*touched = false;
	/* A fixture's shmid is no kernel segment: its table is all. */
	if (!proc_is_live()) {
		*nattch = seg->nattch;
		return 0;
	}
	rc = stat_id(seg->shmid, &ds);
	if (rc == 0) {
		*nattch = ds.shm_nattch;
		/* Removed, attached or detached since it was listed (read
		 * before the PostgreSQL rule's peek, which attaches). */
		*touched = (ds.shm_perm.mode & SHM_DEST) ||
			   ds.shm_lpid != seg->lpid ||
			   ds.shm_atime != seg->atime ||
			   ds.shm_dtime != seg->dtime;
	}
	return rc;
}

/* Is the kernel's record still the segment that was judged? */
static bool same_segment(const struct segment *j, const struct shmid_ds *ds)
{
	return (int32_t)ds->shm_perm.__key == j->key &&
	       ds->shm_cpid == j->cpid && ds->shm_ctime == j->ctime &&
	       ds->shm_perm.uid == j->uid;
}

static int sysv_open(const struct segment *seg, bool writable,
		     struct seghandle *h)
{
	void *addr = shmat(seg->shmid, NULL, writable ? 0 : SHM_RDONLY);
	struct shmid_ds ds;

	if (addr == (void *)-1)
		return -errno;
	/*
	 * The id may name another segment than the one looked up: ids are
	 * reused, and whoever may write shm_next_id chooses one.  Attached,
	 * it cannot change any more: use it only if it is the same segment,
	 * and only as large as it really is.
	 */
	if (stat_id(seg->shmid, &ds) < 0 || !same_segment(seg, &ds) ||
	    ds.shm_segsz != seg->size) {
		(void)shmdt(addr);
		return -ESTALE;
	}
	memset(h, 0, sizeof(*h));
	h->kind = SEG_SYSV;
	h->addr = addr;
	h->size = ds.shm_segsz;
	h->writable = writable;
	h->fd = sysv_file(seg, addr, writable);
	return 0;
}

/*
 * Would the kernel let us attach it so (ipcperms)?  A holder's map_files
 * entry opens for whoever has CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE,
 * whatever the segment's mode: reaching it there must never allow more
 * than shmat would.  Root is taken to have CAP_IPC_OWNER.
 */
static bool may_attach(const struct segment *seg, bool writable)
{
	unsigned int want = writable ? 06 : 04, bits = seg->mode;
	uid_t me = geteuid();
	gid_t groups[256];
	int n, i;

	if (me == 0)
		return true;
	if (me == seg->uid || me == seg->cuid) {
		bits >>= 6;
	} else {
		bool in = getegid() == seg->gid || getegid() == seg->cgid;

		n = getgroups((int)(sizeof(groups) / sizeof(groups[0])),
			      groups);
		for (i = 0; !in && i < n; i++)
			in = groups[i] == seg->gid || groups[i] == seg->cgid;
		if (in)
			bits >>= 3;
	}
	return (bits & want) == want;
}

/*
 * Open the segment's file through a holder's /proc/PID/map_files entry
 * for its attachment START-END, read through a pinned /proc/PID in our
 * IPC namespace (another namespace's segment may have the same shmid,
 * hence the same inode).  What opens must be this segment's file: a
 * regular file on the shmem device whose inode is the shmid and whose
 * size is the segment's.  An fd, -ENOENT (not this segment, or gone),
 * -EPERM (map_files refused: no use trying other holders).
 */
static int holder_file(const struct segment *seg, int pfd, uint64_t start,
		       uint64_t end, dev_t shmem, bool writable)
{
	char rel[64];
	struct stat st, ns, self;
	int fd;

	if (fstatat(pfd, "ns/ipc", &ns, 0) == 0 &&
	    fstatat(proc_dirfd(), "self/ns/ipc", &self, 0) == 0 &&
	    ns.st_ino != self.st_ino)
		return -ENOENT;
	snprintf(rel, sizeof(rel), "map_files/%llx-%llx",
		 (unsigned long long)start, (unsigned long long)end);
	fd = openat(pfd, rel, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno == EPERM || errno == EACCES ? -EPERM : -ENOENT;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_dev != shmem || st.st_ino != (ino_t)seg->shmid ||
	    (uint64_t)st.st_size != seg->size) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* Its attachment in process pid, found in that process's maps: an fd as
 * holder_file gives, -ENOENT, -EPERM. */
static int holder_file_of(const struct segment *seg, pid_t pid, dev_t shmem,
			  bool writable)
{
	char rel[16], *buf = NULL;
	size_t len = 0, at = 0;
	int pfd, mfd, rc = -ENOENT;

	if (pid <= 0)
		return -ENOENT;
	snprintf(rel, sizeof(rel), "%d", (int)pid);
	pfd = proc_open(rel, O_RDONLY | O_DIRECTORY);
	if (pfd < 0)
		return -ENOENT;
	mfd = openat(pfd, "maps", O_RDONLY | O_CLOEXEC);
	if (mfd < 0 || slurp_fd(mfd, 64u << 20, &buf, &len) < 0)
		len = 0;
	if (mfd >= 0)
		close(mfd);
	while (at < len && rc == -ENOENT) {
		const char *line = buf + at, *nl = memchr(line, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - line) : len - at;
		struct maps_entry e;
		int32_t key;

		at += ll + 1;
		if (parse_maps_line(line, ll, &e) < 0 ||
		    e.ino != (uint64_t)seg->shmid ||
		    e.dev_major != major(shmem) ||
		    e.dev_minor != minor(shmem) ||
		    !parse_sysv_map_name(e.path, e.pathlen, &key))
			continue;
		rc = holder_file(seg, pfd, e.start, e.end, shmem, writable);
	}
	free(buf);
	close(pfd);
	return rc;
}

/*
 * Open a segment another process attaches through that process's
 * map_files entry, without attaching it ourselves: its LPID, ATIME and
 * DTIME stay what they were (the evidence ipcs -p and --older-than read).
 * The holders are the segment's own, when it is linked to a scan, else
 * its last attacher and its creator.  As for our own file (sysv_file):
 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE in the initial user namespace,
 * the kernel's /proc, the shmem device (not hugetlbfs, whose files cannot
 * be written).  -ENOENT when no holder could be used, -EPERM when
 * map_files is refused, -ENOTSUP when this way is closed from the start,
 * -ESTALE when the id names another segment now.
 */
static int sysv_open_held(const struct segment *seg, bool writable,
			  struct seghandle *h)
{
	const struct scan *sc = seg->scan;
	struct shmid_ds ds;
	dev_t shmem;
	int fd = -ENOENT;
	size_t i;

	if (seg->nattch == 0)
		return -ENOENT;
	if (getenv("SHMTOOL_NO_MAP_FILES") || !proc_is_live() ||
	    !may_attach(seg, writable) || !memfd_device(0, &shmem))
		return -ENOTSUP;
	for (i = 0; sc && fd == -ENOENT && i < seg->hcount; i++) {
		const struct holding *x = &sc->h[seg->hfirst + i];
		char rel[16];
		int pfd;

		if (x->how != HOW_MAP || x->kind != SEG_SYSV ||
		    x->dev != shmem || (x->ipcns && sc->ipc_ns &&
					x->ipcns != sc->ipc_ns))
			continue;
		snprintf(rel, sizeof(rel), "%d", (int)x->pid);
		pfd = proc_open(rel, O_RDONLY | O_DIRECTORY);
		if (pfd < 0)
			continue;
		fd = holder_file(seg, pfd, x->start, x->end, shmem, writable);
		close(pfd);
	}
	if (!sc && fd == -ENOENT)
		fd = holder_file_of(seg, seg->lpid, shmem, writable);
	if (!sc && fd == -ENOENT && seg->cpid != seg->lpid)
		fd = holder_file_of(seg, seg->cpid, shmem, writable);
	if (fd < 0)
		return fd;
	/* The id may name another segment than the one looked up (ids are
	 * reused); the file we hold stays the one it is. */
	if (stat_id(seg->shmid, &ds) < 0 || !same_segment(seg, &ds) ||
	    ds.shm_segsz != seg->size) {
		close(fd);
		return -ESTALE;
	}
	memset(h, 0, sizeof(*h));
	h->kind = SEG_SYSV;
	h->fd = fd;
	h->size = ds.shm_segsz;
	h->writable = writable;
	return 0;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14 */
#define MADV_POPULATE_WRITE 23
#endif
#ifndef EHWPOISON
#define EHWPOISON 133
#endif

/*
 * Transfers go in 1 MiB chunks whose pages are faulted in with one call:
 * the size of a grown pipe (pipe_grow), which measured best into pipes.
 */
#define XFER_CHUNK (1u << 20)

/*
 * Fault in [p, p + len) at once instead of one page at a time (a 1 GiB
 * segment is 262,144 page faults otherwise).  It is also how we learn,
 * before touching them, that the pages cannot be had: a SHM_NORESERVE
 * huge-page segment with no free huge pages left would kill us with
 * SIGBUS in memcpy.  -EFAULT then (as write(2) from such a mapping says);
 * older kernels know no MADV_POPULATE_* (EINVAL), and the copy faults the
 * pages itself.
 */
static int populate(const void *p, size_t len, bool write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(page - 1);

	if (len == 0)
		return 0;
	if (madvise((void *)a, len + ((uintptr_t)p - a),
		    write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0)
		return 0;
	switch (errno) {
	case EFAULT:
	case ENOMEM:
	case EHWPOISON:
		return -EFAULT;
	default:
		return 0;
	}
}

static int sysv_pread(struct seghandle *h, void *buf, size_t len,
		      uint64_t off, size_t *done)
{
	*done = 0;
	if (off > h->size)
		return -EINVAL;
	if (len > h->size - off)
		len = (size_t)(h->size - off);
	if (h->fd >= 0)
		return fdseg_pread(h, buf, len, off, done);
	if (populate((const char *)h->addr + off, len, false) < 0)
		return -EFAULT;
	memcpy(buf, (const char *)h->addr + off, len);
	*done = len;
	return 0;
}

static int sysv_pwrite(struct seghandle *h, const void *buf, size_t len,
		       uint64_t off, size_t *done)
{
	if (h->fd >= 0)
		return fdseg_pwrite(h, buf, len, off, done);
	*done = 0;
	if (!h->writable)
		return -EBADF;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	if (populate((char *)h->addr + off, len, true) < 0)
		return -EFAULT;
	memcpy((char *)h->addr + off, buf, len);
	*done = len;
	return 0;
}

static int sysv_copy_to_fd(struct seghandle *h, int fd, uint64_t off,
			   uint64_t len, uint64_t *done)
{
	const char *p;
	int rc;

	*done = 0;
	if (off > h->size || len > h->size - off)
		return -EINVAL;
	if (h->fd >= 0)
		return fdseg_copy_to_fd(h, fd, off, len, done);
	p = (const char *)h->addr + off;
	/* One copy, straight from the mapping; write_all handles EINTR. */
	while (*done < len) {
		size_t chunk = len - *done > XFER_CHUNK ? XFER_CHUNK
						       : (size_t)(len - *done);

		rc = populate(p + *done, chunk, false);
		if (rc == 0)
			rc = write_all(fd, p + *done, chunk);
		if (rc < 0)
			return rc;
		*done += chunk;
	}
	return 0;
}

/*
 * Read from fd straight into the mapping (one copy): up to len bytes at
 * off, until end of input.  *done is what landed, even on error.
 */
static int sysv_copy_from_fd(struct seghandle *h, int fd, uint64_t off,
			     uint64_t len, uint64_t *done)
{
	char *p;

	if (h->fd >= 0)
		return fdseg_copy_from_fd(h, fd, off, len, done);
	p = (char *)h->addr + off;
	*done = 0;
	if (!h->writable)
		return -EBADF;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	while (*done < len) {
		size_t chunk = len - *done > XFER_CHUNK ? XFER_CHUNK
						       : (size_t)(len - *done);
		size_t got = 0;

		if (populate(p + *done, chunk, true) < 0)
			return -EFAULT;
		while (got < chunk) {
			ssize_t n = read(fd, p + *done + got, chunk - got);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				*done += got;
				return -errno;
			}
			if (n == 0) {
				*done += got;
				return 0;	/* end of input */
			}
			got += (size_t)n;
		}
		*done += got;
	}
	return 0;
}

static int sysv_close(struct seghandle *h)
{
	int rc = 0;

	if (h->fd >= 0 && close(h->fd) < 0)
		rc = -errno;
	h->fd = -1;
	if (h->addr && shmdt(h->addr) < 0 && !rc)
		rc = -errno;
	h->addr = NULL;
	return rc;
}

static int sysv_remove(const struct segment *seg)
{
	return shmctl(seg->shmid, IPC_RMID, NULL) < 0 ? -errno : 0;
}

static int set_mode(int shmid, const struct shmid_ds *was, unsigned int mode)
{
	struct shmid_ds ds = *was;

	ds.shm_perm.mode = (unsigned short)(mode & 0777);
	return shmctl(shmid, IPC_SET, &ds) < 0 ? -errno : 0;
}

/*
 * Remove a judged segment only while nobody attaches it.  Between the
 * last NATTCH check and IPC_RMID a process could attach; so first take
 * every permission bit away (no process without CAP_IPC_OWNER can attach
 * then), check NATTCH again, and only then remove it.  If someone did
 * attach meanwhile, the mode goes back and the segment stays.
 */
static int sysv_remove_unused(const struct segment *j)
{
	struct shmid_ds ds, now;
	int rc;

	rc = stat_id(j->shmid, &ds);
	if (rc < 0)
		return rc;
	if (!same_segment(j, &ds))
		return -ESTALE;
	if (ds.shm_nattch != 0)
		return -EBUSY;
	rc = set_mode(j->shmid, &ds, 0);
	if (rc < 0)
		return rc;
	rc = stat_id(j->shmid, &now);
	if (rc == 0 && now.shm_nattch != 0) {
		(void)set_mode(j->shmid, &ds, ds.shm_perm.mode);
		return -EBUSY;
	}
	if (rc < 0)
		return rc;
	if (shmctl(j->shmid, IPC_RMID, NULL) < 0) {
		rc = -errno;
		(void)set_mode(j->shmid, &ds, ds.shm_perm.mode);
		return rc;
	}
	/* Still there: a process with CAP_IPC_OWNER attached in the last
	 * microseconds; the kernel frees it at its last detach. */
	if (stat_id(j->shmid, &now) == 0)
		return -EINPROGRESS;
	return 0;
}

/*
 * The kernel's record of a segment, if it is still the one looked up.
 * SHM_STAT_ANY needs no read permission: an owner may chmod a segment of
 * mode 0.  A fixture's shmid names no kernel segment: nothing is changed.
 */
static int stat_same(const struct segment *seg, struct shmid_ds *ds)
{
	int rc;

	if (!proc_is_live())
		return -EOPNOTSUPP;
	rc = stat_id(seg->shmid, ds);
	if (rc < 0)
		return rc;
	return same_segment(seg, ds) ? 0 : -ESTALE;
}

static int sysv_set_attr(const struct segment *seg, const struct seg_attr *a)
{
	struct shmid_ds ds;
	int rc = stat_same(seg, &ds);

	if (rc < 0)
		return rc;
	/* IPC_SET takes uid, gid and the permission bits, nothing else. */
	if (a->what & ATTR_MODE)
		ds.shm_perm.mode = (unsigned short)((ds.shm_perm.mode & ~0777u) |
						    (a->mode & 0777));
	if (a->what & ATTR_UID)
		ds.shm_perm.uid = a->uid;
	if (a->what & ATTR_GID)
		ds.shm_perm.gid = a->gid;
	return shmctl(seg->shmid, IPC_SET, &ds) < 0 ? -errno : 0;
}

static int sysv_lock(const struct segment *seg, bool lock)
{
	struct shmid_ds ds;
	int rc = stat_same(seg, &ds);

	if (rc < 0)
		return rc;
	if (shmctl(seg->shmid, lock ? SHM_LOCK : SHM_UNLOCK, NULL) < 0)
		return -errno;
	/* On huge pages SHM_LOCK succeeds and locks nothing. */
	if (lock && stat_id(seg->shmid, &ds) == 0 &&
	    !(ds.shm_perm.mode & SHM_LOCKED))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Read through a holder's /proc/PID/map_files entry for the attachment,
 * checked to be this very segment (its inode is the shmid, on the shmem
 * or a hugetlb mount): no shmat, so no change to NATTCH, the last PID or
 * the attach time.  Opening map_files takes CAP_SYS_ADMIN.
 */
static int peek_via_holder(const struct segment *seg, const struct scan *sc,
			   uint64_t off, void *buf, size_t len, size_t *got)
{
	size_t i;

	for (i = 0; sc && seg->scan == sc && i < seg->hcount; i++) {
		const struct holding *h = &sc->h[seg->hfirst + i];
		char rel[96];
		struct stat st;
		int fd, rc;

		if (h->how != HOW_MAP || h->offset != 0)
			continue;
		snprintf(rel, sizeof(rel), "%d/map_files/%llx-%llx",
			 (int)h->pid, (unsigned long long)h->start,
			 (unsigned long long)h->end);
		fd = proc_open(rel, O_RDONLY);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_ino != (ino_t)seg->shmid || st.st_dev != h->dev) {
			close(fd);
			continue;
		}
		rc = pread_full(fd, buf, len, (off_t)off, got);
		close(fd);
		if (rc == 0)
			return 0;
	}
	return -ENOENT;
}

static int sysv_peek(const struct segment *seg, const struct scan *sc,
		     uint64_t off, void *buf, size_t len, size_t *got)
{
	struct shmid_ds ds;
	void *addr;
	int rc;

	*got = 0;
	if (peek_via_holder(seg, sc, off, buf, len, got) == 0)
		return 0;
	/* Attaching is the only other way in.  Never for a segment nobody
	 * attaches: a PostgreSQL starting at that moment would find its old
	 * segment "still in use" and refuse to start.  Never for another IPC
	 * namespace's: the id would name one of ours. */
	if (seg->nattch == 0)
		return -EBUSY;
	/* A fixture's shmid is no kernel segment of ours. */
	if (!proc_is_live())
		return -ENOENT;
	if (sc && seg->ipcns && sc->ipc_ns && seg->ipcns != sc->ipc_ns)
		return -EXDEV;
	/* ... and still attached right now. */
	if (stat_id(seg->shmid, &ds) < 0 || ds.shm_nattch == 0)
		return -EBUSY;
	addr = shmat(seg->shmid, NULL, SHM_RDONLY);
	if (addr == (void *)-1)
		return -errno;
	/* The id may name another segment since the listing: read only
	 * what the segment attached really holds. */
	rc = stat_id(seg->shmid, &ds);
	if (rc == 0 && !same_segment(seg, &ds))
		rc = -ESTALE;
	if (rc == 0 && off < ds.shm_segsz) {
		size_t n = len < ds.shm_segsz - off ? len : ds.shm_segsz - off;

		/* A huge-page segment whose pages cannot be had: no SIGBUS. */
		rc = populate((const char *)addr + off, n, false);
		if (rc == 0) {
			memcpy(buf, (const char *)addr + off, n);
			*got = n;
		}
	}
	(void)shmdt(addr);
	return rc;
}

const struct backend_ops sysv_backend = {
	.list = sysv_list,
	.lookup_id = sysv_lookup_id,
	.lookup_key = sysv_lookup_key,
	.create = sysv_create,
	.open = sysv_open,
	.open_held = sysv_open_held,
	.pread = sysv_pread,
	.pwrite = sysv_pwrite,
	.copy_to_fd = sysv_copy_to_fd,
	.copy_from_fd = sysv_copy_from_fd,
	.close = sysv_close,
	.remove = sysv_remove,
	.set_attr = sysv_set_attr,
	.lock = sysv_lock,
	.peek = sysv_peek,
	.nattch_now = sysv_nattch_now,
	.remove_unused = sysv_remove_unused,
};

/* ---- limits ------------------------------------------------------------ */

static uint64_t read_proc_u64(const char *rel)
{
	char buf[64];
	ssize_t n;
	uint64_t v = 0;
	int fd = proc_open(rel, O_RDONLY);

	if (fd < 0)
		return 0;
	n = read_full(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || parse_proc_number(buf, (size_t)n, &v) < 0)
		return 0;
	return v;
}

void sysv_limits(struct sysv_limits *l)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct shm_info info;

	memset(l, 0, sizeof(*l));
	l->page = page;
	memset(&info, 0, sizeof(info));
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&info) >= 0) {
		l->have_use = true;
		l->used_ids = (uint64_t)info.used_ids;
		l->used_pages = (uint64_t)info.shm_tot;
	}

	l->shmmax = read_proc_u64("sys/kernel/shmmax");
	l->shmmin = 1;	/* SHMMIN: fixed in the kernel */
	l->shmmni = read_proc_u64("sys/kernel/shmmni");
	l->shmall = read_proc_u64("sys/kernel/shmall");
	/* shmall counts pages; it may be huge: do not overflow. */
	l->shmall_bytes = l->shmall > UINT64_MAX / page ? UINT64_MAX
							: l->shmall * page;
}
