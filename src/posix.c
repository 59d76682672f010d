// SPDX-License-Identifier: MIT
/*
 * posix.c - the POSIX backend: regular files in the shm directory
 * (/dev/shm, or SHMTOOL_SHM_DIR).  glibc's shm_open() is openat() on that
 * directory with O_NOFOLLOW; we do the same relative to a directory fd so
 * that the directory can be a fixture and no symlink is ever followed.
 * Listing, lookup, create, open (then a file handle: fdseg.c), and the
 * careful removal of rm --unused (leases, hidden names).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/xattr.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fdseg.h"
#include "parse.h"
#include "paths.h"
#include "procfd.h"
#include "segment.h"
#include "util.h"
#include "io.h"

/* s from a stat of the file; sname: its name, in the name pool
 * (segment_pool_str), so that nothing here can fail. */
static void fill_from_stat(struct segment *s, const char *sname,
			   const struct stat *st)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	s->sname = sname;
	s->sem = is_semaphore_name(sname);
	segment_set_stat(s, st);
}

/* Regular files are segments, or named semaphores (sem.*, listed as
 * such: shown only when asked for, ls --sem). */
static bool is_segment(const struct stat *st)
{
	return S_ISREG(st->st_mode);
}

static int list_dirfd(int dfd, struct seglist *out);

static int posix_list(struct seglist *out)
{
	return list_dirfd(shm_dir_open(), out);
}

/* The POSIX segments of another shm directory (another mount namespace's
 * /dev/shm, opened strictly through /proc/PID/root); takes dfd. */
int posix_list_fd(int dfd, struct seglist *out)
{
	return list_dirfd(dfd, out);
}

/*
 * A directory stream on dfd, which it takes (closed on failure): 0 with
 * *d, or 0 with *d NULL when there is no shm directory (dfd -ENOENT: an
 * empty list), or -errno.
 */
static int dir_stream(int dfd, DIR **d)
{
	int rc;

	*d = NULL;
	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	*d = fdopendir(dfd);
	if (!*d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	return 0;
}

static int list_dirfd(int dfd, struct seglist *out)
{
	struct dirent *de;
	DIR *d;
	int rc = dir_stream(dfd, &d);

	if (!d)
		return rc;
	for (;;) {
		struct stat st;
		struct segment *s;
		const char *nm;

		errno = 0;	/* readdir() leaves it alone at the end */
		de = readdir(d);
		if (!de)
			break;

		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
		     (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* removed meanwhile */
		if (!is_segment(&st))
			continue;
		s = seglist_add(out);
		nm = segment_pool_str(de->d_name);
		if (!s || !nm) {
			rc = -ENOMEM;
			break;
		}
		fill_from_stat(s, nm, &st);
	}
	if (!rc && !de && errno)
		rc = -errno;
	closedir(d);
	return rc;
}

static int posix_lookup_name(const char *name, struct segment *out)
{
	const char *nm;
	struct stat st;
	int dfd = shm_dir_open();
	int rc = 0;

	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -errno;
	else if (!is_segment(&st))
		rc = -EMEDIUMTYPE;	/* exists, but is not a segment */
	else if (!(nm = segment_pool_str(name)))
		rc = -ENOMEM;
	else
		fill_from_stat(out, nm, &st);
	close(dfd);
	return rc;
}

/* Open a name in the shm directory: never a symlink, never a FIFO's block. */
static int open_at_shm(const char *name, int flags, mode_t mode)
{
	int dfd = shm_dir_open();
	int fd, err;

	if (dfd < 0)
		return dfd;
	fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		    mode);
	err = errno;
	close(dfd);
	if (fd < 0)
		return err == ELOOP || err == EISDIR ? -EMEDIUMTYPE : -err;
	return fd;
}

static int unlink_at_shm(const char *name)
{
	int dfd = shm_dir_open();
	int rc = 0;

	if (dfd < 0)
		return dfd;
	if (unlinkat(dfd, name, 0) < 0)
		rc = -errno;
	close(dfd);
	return rc;
}

/* Size it, fill it, give it its mode: a segment ready to be seen. */
static int fill_new(int fd, const struct create_req *req, struct stat *st)
{
	size_t done;
	int rc;

	if (ftruncate(fd, (off_t)req->size) < 0)
		return -errno;
	if (req->init_len) {
		rc = pwrite_all(fd, req->init, req->init_len, 0, &done);
		if (rc < 0)
			return rc;
	}
	/* The mode asked for, exactly: shm_open() would apply the umask. */
	if (fchmod(fd, req->mode & 0777) < 0 || fstat(fd, st) < 0)
		return -errno;
	return 0;
}

/*
 * Create the segment nameless (O_TMPFILE), make it whole, and only then
 * give it its name with linkat, which fails if the name exists: nobody
 * ever sees it empty or half-written, and a failure leaves no name behind.
 * -EOPNOTSUPP where the file system or the links cannot do it.
 */
static int create_whole(int dfd, const struct create_req *req,
			struct stat *st)
{
	char rel[32];
	int fd, rc;

	fd = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return -EOPNOTSUPP;	/* say why through the other way */
	rc = fill_new(fd, req, st);
	if (rc < 0)
		goto out;
	/* With CAP_DAC_READ_SEARCH, the fd itself; else through /proc. */
	if (linkat(fd, "", dfd, req->name, AT_EMPTY_PATH) == 0)
		goto out;
	rc = -errno;
	if (rc == -EEXIST || !proc_is_live())
		goto out;
	snprintf(rel, sizeof(rel), "self/fd/%d", fd);
	rc = linkat(proc_dirfd(), rel, dfd, req->name, AT_SYMLINK_FOLLOW) < 0
		     ? -errno : 0;
	if (rc == -ENOENT || rc == -EPERM || rc == -EXDEV || rc == -EBADF)
		rc = -EOPNOTSUPP;
out:
	close(fd);
	return rc;
}

/* Without O_TMPFILE: create it exclusively, and remove it on failure. */
static int create_excl(int dfd, const struct create_req *req,
		       struct stat *st)
{
	struct stat mine;
	int fd, rc;

	fd = openat(dfd, req->name,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == ELOOP || errno == EISDIR ? -EMEDIUMTYPE
							 : -errno;
	rc = fill_new(fd, req, st);
	/* Only our file: the name may have been taken meanwhile. */
	if (rc < 0 && fstat(fd, &mine) == 0 &&
	    fstatat(dfd, req->name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st->st_dev == mine.st_dev && st->st_ino == mine.st_ino)
		(void)unlinkat(dfd, req->name, 0);
	close(fd);
	return rc;
}

/*
 * --exist-ok: the segment under that name, if large enough.  Another
 * program creating it this moment may not have sized it yet (shm_open
 * O_EXCL, then ftruncate): a size of 0 gets a little while to change.
 */
static int existing(const struct create_req *req, struct segment *out)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int i, rc;

	for (i = 0;; i++) {
		rc = posix_lookup_name(req->name, out);
		if (rc < 0)
			return rc == -ENOENT ? -EEXIST : rc;
		if (out->size >= req->size)
			return 0;
		if (out->size != 0 || i == 20)
			return -EFBIG;
		nanosleep(&pause, NULL);
	}
}

static int posix_create(const struct create_req *req, struct segment *out,
			bool *created)
{
	struct stat st;
	const char *nm;
	int dfd, rc;

	*created = false;
	if (req->size == 0 || req->size > INT64_MAX ||
	    req->init_len > req->size)
		return -EINVAL;
	/* The name's copy first: nothing may fail once the file exists. */
	nm = segment_pool_str(req->name);
	if (!nm)
		return -ENOMEM;
	dfd = shm_dir_open();
	if (dfd < 0)
		return dfd;
	rc = create_whole(dfd, req, &st);
	if (rc == -EOPNOTSUPP)
		rc = create_excl(dfd, req, &st);
	close(dfd);
	if (rc == -EEXIST && req->exist_ok)
		return existing(req, out);
	if (rc < 0)
		return rc;
	fill_from_stat(out, nm, &st);
	*created = true;
	return 0;
}

static int posix_open(const struct segment *seg, bool writable,
		      struct seghandle *h)
{
	int fd;

	/* Reached through a holder (posix:PID:...): through it again, never
	 * by a name that may belong to another file now, or to none. */
	if (seg->via_pid > 0)
		return procfd_open(seg, writable, h);
	fd = open_at_shm(seg_name(seg), writable ? O_RDWR : O_RDONLY, 0);

	if (fd < 0)
		return fd;
	/* The O_NONBLOCK we opened with is for FIFOs only. */
	if (fcntl(fd, F_SETFL, 0) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fdseg_handle(fd, seg, writable, h);
}

static int posix_remove(const struct segment *seg)
{
	struct segment now;
	int rc;

	/* Unlinked already: no name of it is left to remove (the name it
	 * had may be another file's now). */
	if (seg->status & SEG_ST_DELETED)
		return -ENOENT;
	rc = posix_lookup_name(seg_name(seg), &now);

	if (rc < 0)
		return rc;
	/* Never unlink a different file that took the name meanwhile. */
	if (seg->ino && (now.ino != seg->ino || now.dev != seg->dev))
		return -ESTALE;
	return unlink_at_shm(seg_name(seg));
}

/*
 * chmod and chown of a POSIX segment: the name opened once, relative to
 * the shm directory, without following a symbolic link (O_PATH with
 * O_NOFOLLOW gives the link itself, refused below; nothing is opened for
 * reading, so no FIFO blocks and no read permission is needed), checked
 * to be the segment looked up, and changed through that descriptor.
 */
static int posix_set_attr(const struct segment *seg, const struct seg_attr *a)
{
	struct stat st;
	char rel[32];
	int dfd, fd, rc = 0;

	/* The mode goes through /proc/self: not a fixture's. */
	if ((a->what & ATTR_MODE) && !proc_is_live())
		return -EOPNOTSUPP;
	dfd = shm_dir_open();
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, seg_name(seg), O_PATH | O_NOFOLLOW | O_CLOEXEC);
	rc = fd < 0 ? -errno : 0;
	close(dfd);
	if (rc < 0)
		return rc;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!is_segment(&st)) {
		rc = -EMEDIUMTYPE;
		goto out;
	}
	if (seg->ino && (st.st_ino != seg->ino || st.st_dev != seg->dev)) {
		rc = -ESTALE;
		goto out;
	}
	if ((a->what & (ATTR_UID | ATTR_GID)) &&
	    fchownat(fd, "", a->what & ATTR_UID ? a->uid : (uid_t)-1,
		     a->what & ATTR_GID ? a->gid : (gid_t)-1,
		     AT_EMPTY_PATH) < 0) {
		rc = -errno;
		goto out;
	}
	if (a->what & ATTR_MODE) {
		/* fchmod() takes no O_PATH descriptor; its /proc link is
		 * that very file, not a name looked up again. */
		int pfd = proc_dirfd();

		if (pfd < 0) {
			rc = pfd;
			goto out;
		}
		snprintf(rel, sizeof(rel), "self/fd/%d", fd);
		if (fchmodat(pfd, rel, a->mode & 0777, 0) < 0)
			rc = -errno;
	}
out:
	close(fd);
	return rc;
}

/* Read the first bytes of a segment by name, checked to be the listed
 * file; O_NOATIME where we may, so reading changes nothing. */
static int posix_peek(const struct segment *seg, const struct scan *sc,
		      uint64_t off, void *buf, size_t len, size_t *got)
{
	struct seghandle h;
	int fd, rc;

	(void)sc;
	*got = 0;
	fd = open_at_shm(seg_name(seg), O_RDONLY | O_NOATIME, 0);
	if (fd == -EPERM)
		fd = open_at_shm(seg_name(seg), O_RDONLY, 0);
	if (fd < 0)
		return fd;
	rc = fdseg_handle(fd, seg, false, &h);
	if (rc < 0)
		return rc;
	rc = pread_full(h.fd, buf, len, (off_t)off, got);
	close(h.fd);
	return rc;
}

/*
 * rm --unused's last step (ARCHITECTURE.md, Verdicts).  The kernel says whether anybody
 * has a file open: a write lease (F_SETLEASE F_WRLCK) is granted only
 * while no other open file refers to the inode -- no descriptor, no
 * mapping (shared or private: its file stays open), no running program,
 * no descriptor in flight in a socket -- in any PID namespace, seen by
 * the scan or not; and while we hold it, an open(2) of the file waits for
 * us.  So: open the judged name, prove it is the judged inode, take the
 * lease, move the name to a private one (a rename(2) onto the old name
 * can no longer make us unlink another file), prove again, unlink, let
 * go.  Nothing is renamed when the kernel says it is in use.
 *
 * Where no lease can be had (not the owner and no CAP_LEASE, no read
 * permission, fs.leases-enable=0), hide, unhide and remove_hidden do the
 * same with a second scan of /proc instead: the names of all such
 * candidates stay private until the scan is done, each marked with its
 * old name (the xattr user.shmtool.name) so that an rm killed meanwhile
 * can be undone by the next (posix_restore_hidden).
 */

#define HIDDEN_PREFIX ".shmtool-rm."
#define HIDDEN_XATTR "user.shmtool.name"

bool posix_hidden_name(const char *name)
{
	return strncmp(name, HIDDEN_PREFIX, sizeof(HIDDEN_PREFIX) - 1) == 0;
}

/*
 * A private name no other run of shmtool takes: our PID, a sequence number
 * and a random-looking tag, from one getrandom(2) per process rather than
 * one per candidate (rm --unused of 100,000 files).  Guessing the next one
 * gains nothing: a name taken first makes RENAME_NOREPLACE fail, and the
 * segment is left alone.
 */
static uint64_t hidden_key;
static uint32_t hidden_seq;
static pid_t hidden_pid;

static void hidden_name(struct claim *c)
{
	if (!hidden_pid) {
		hidden_pid = getpid();
		if (getrandom(&hidden_key, sizeof(hidden_key),
			      GRND_NONBLOCK) < 0)
			hidden_key = (uint64_t)time(NULL) *
				     0x9e3779b97f4a7c15u ^
				     (uint64_t)hidden_pid;
	}
	if (++hidden_seq == 0)	/* 0 is "none": past 2^32 claims, wrap to 1
				 * (RENAME_NOREPLACE refuses a name in use) */
		hidden_seq = 1;
	c->seq = hidden_seq;
}

void posix_claim_name(const struct claim *c, char *buf, size_t len)
{
	uint64_t z;

	if (!c->seq) {
		snprintf(buf, len, "%s", "");
		return;
	}
	/* splitmix64 of key + seq */
	z = hidden_key + 0x9e3779b97f4a7c15u * c->seq;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	snprintf(buf, len, HIDDEN_PREFIX "%d.%llu.%08x", (int)hidden_pid,
		 (unsigned long long)c->seq, (unsigned int)z);
}

/*
 * The shm directory for removals: opened once and kept, since rm --unused
 * removes candidate after candidate from it (and every check is against
 * the judged device and inode, never the path).  Opened again only when
 * the directory asked for changed (tests; strictness).  posix_removal_done
 * closes it.
 */
static int rm_dfd = -1;
static char rm_dpath[PATH_MAX];

static int removal_dir(void)
{
	const char *path = shm_dir();
	int fd;

	if (rm_dfd >= 0 && strcmp(path, rm_dpath) == 0)
		return rm_dfd;
	posix_removal_done();
	fd = shm_dir_open();
	if (fd < 0)
		return fd;
	if (strlen(path) < sizeof(rm_dpath)) {
		memcpy(rm_dpath, path, strlen(path) + 1);
		rm_dfd = fd;
	}
	return fd;
}

/* Let go of a removal_dir fd: the cached one stays until done. */
static void removal_dir_put(int dfd)
{
	if (dfd != rm_dfd)
		close(dfd);
}

void posix_removal_done(void)
{
	if (rm_dfd >= 0)
		close(rm_dfd);
	rm_dfd = -1;
	rm_dpath[0] = '\0';
}

static bool is_judged(const struct stat *st, const struct segment *j)
{
	return S_ISREG(st->st_mode) && st->st_ino == j->ino &&
	       st->st_dev == j->dev;
}

/* SHMTOOL_NO_LEASE (tests): as if no lease could be had. */
static bool no_lease(void)
{
	return getenv("SHMTOOL_NO_LEASE") != NULL;
}

static int posix_remove_leased(const struct segment *j, struct claim *c)
{
	char hidden[CLAIM_NAME_MAX];
	struct stat st;
	int dfd, fd, rc = 0;

	c->leased = c->sole = false;
	c->seq = 0;
	if (no_lease())
		return -ENOLCK;
	dfd = removal_dir();
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, seg_name(j), O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				  O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == EWOULDBLOCK ? -EBUSY	/* another's lease */
		   : errno == ELOOP ? -ESTALE		/* a symlink now */
		   : errno == EACCES || errno == EPERM ? -ENOLCK : -errno;
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (!is_judged(&st, j)) {
		rc = -ESTALE;
		goto out_close;
	}
	if (fcntl(fd, F_SETLEASE, F_WRLCK) < 0) {
		rc = errno == EAGAIN ? -EBUSY : -ENOLCK;
		goto out_close;
	}
	c->leased = true;
	hidden_name(c);
	posix_claim_name(c, hidden, sizeof(hidden));
	if (renameat2(dfd, seg_name(j), dfd, hidden, RENAME_NOREPLACE) < 0) {
		rc = -errno;
		goto out_unlease;
	}
	if (fstatat(dfd, hidden, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !is_judged(&st, j)) {
		/* Swapped between our open and our rename: it goes back. */
		rc = renameat2(dfd, hidden, dfd, seg_name(j),
			       RENAME_NOREPLACE) < 0 ? -EEXIST : -ESTALE;
		goto out_unlease;
	}
	if (unlinkat(dfd, hidden, 0) < 0) {
		rc = -errno;
		(void)renameat2(dfd, hidden, dfd, seg_name(j), RENAME_NOREPLACE);
		goto out_unlease;
	}
	c->sole = st.st_nlink == 1;	/* no other name keeps its memory */
	c->seq = 0;
out_unlease:
	/* The lease ends with the file's last descriptor: no F_UNLCK. */
out_close:
	close(fd);
out:
	removal_dir_put(dfd);
	return rc;
}

static int posix_hide(const struct segment *j, struct claim *c)
{
	char hidden[CLAIM_NAME_MAX];
	struct stat st;
	int dfd = removal_dir(), fd, rc = 0;

	if (dfd < 0)
		return dfd;
	hidden_name(c);
	posix_claim_name(c, hidden, sizeof(hidden));
	/* The old name on the file itself, for an interrupted run's
	 * successor; where it cannot be set, the name is only said. */
	fd = openat(dfd, seg_name(j), O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		char rel[32];

		snprintf(rel, sizeof(rel), "self/fd/%d", fd);
		if (fstat(fd, &st) == 0 && is_judged(&st, j)) {
			int wfd = proc_open(rel, O_RDONLY | O_NONBLOCK);

			if (wfd >= 0) {
				(void)fsetxattr(wfd, HIDDEN_XATTR, seg_name(j),
						strlen(seg_name(j)), 0);
				close(wfd);
			}
		}
		close(fd);
	}
	if (renameat2(dfd, seg_name(j), dfd, hidden, RENAME_NOREPLACE) < 0) {
		rc = -errno;
		c->seq = 0;
		goto out;
	}
	if (fstatat(dfd, hidden, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !is_judged(&st, j)) {
		/* Not the judged file: it goes back, untouched. */
		rc = renameat2(dfd, hidden, dfd, seg_name(j),
			       RENAME_NOREPLACE) < 0 ? -EEXIST : -ESTALE;
		if (rc == -ESTALE)
			c->seq = 0;
	}
out:
	removal_dir_put(dfd);
	return rc;
}

static int posix_unhide(const struct segment *j, const struct claim *c)
{
	char hidden[CLAIM_NAME_MAX];
	int dfd = removal_dir(), rc = 0;

	if (dfd < 0)
		return dfd;
	posix_claim_name(c, hidden, sizeof(hidden));
	if (renameat2(dfd, hidden, dfd, seg_name(j), RENAME_NOREPLACE) < 0)
		rc = -errno;
	removal_dir_put(dfd);
	return rc;
}

/* The hidden file, after the second scan: the kernel's word too where a
 * lease can be had. */
static int posix_remove_hidden(const struct segment *j, struct claim *c)
{
	char hidden[CLAIM_NAME_MAX];
	struct stat st;
	int dfd = removal_dir(), fd, rc = 0;

	c->leased = c->sole = false;
	if (dfd < 0)
		return dfd;
	posix_claim_name(c, hidden, sizeof(hidden));
	fd = openat(dfd, hidden, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				    O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == EWOULDBLOCK) {
		rc = -EBUSY;
		goto out;
	}
	if (fd >= 0) {
		if (fstat(fd, &st) < 0 || !is_judged(&st, j)) {
			rc = -ESTALE;
			goto out_close;
		}
		if (!no_lease() && fcntl(fd, F_SETLEASE, F_WRLCK) == 0) {
			c->leased = true;
		} else if (!no_lease() && errno == EAGAIN) {
			rc = -EBUSY;
			goto out_close;
		}
	} else if (fstatat(dfd, hidden, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = -errno;	/* not even there any more */
		goto out;
	} else if (!is_judged(&st, j)) {
		rc = -ESTALE;
		goto out;
	}
	if (unlinkat(dfd, hidden, 0) < 0)
		rc = -errno;
	else
		c->sole = st.st_nlink == 1;
	/* A lease ends with the file's last descriptor. */
out_close:
	if (fd >= 0)
		close(fd);
out:
	removal_dir_put(dfd);
	return rc;
}

int posix_lock_dir(void)
{
	int dfd = shm_dir_open(), i;

	if (dfd < 0)
		return dfd;
	/* Another rm --unused may be at work: wait for it, a while. */
	for (i = 0; flock(dfd, LOCK_EX | LOCK_NB) < 0; i++) {
		if (errno != EWOULDBLOCK || i == 600) {
			int err = errno == EWOULDBLOCK ? ETIMEDOUT : errno;

			close(dfd);
			return -err;
		}
		usleep(100000);
	}
	return dfd;
}

int posix_restore_hidden(void (*say)(const char *hidden, const char *name,
				     int rc))
{
	struct dirent *de;
	DIR *d;
	int rc = dir_stream(shm_dir_open(), &d);

	if (!d)
		return rc;
	while ((de = readdir(d)) != NULL) {
		char name[NAME_MAX + 1];
		ssize_t n;
		int fd, r = 0;

		if (!posix_hidden_name(de->d_name))
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW |
						   O_NONBLOCK | O_CLOEXEC);
		n = fd < 0 ? -1 : fgetxattr(fd, HIDDEN_XATTR, name,
					    sizeof(name) - 1);
		if (n <= 0) {
			r = fd < 0 ? -errno : -ENODATA;
			name[0] = '\0';
		} else {
			name[n] = '\0';
			if (strchr(name, '/') || !strcmp(name, ".") ||
			    !strcmp(name, "..") || posix_hidden_name(name))
				r = -EINVAL;
			else if (renameat2(dirfd(d), de->d_name, dirfd(d), name,
					   RENAME_NOREPLACE) < 0)
				r = -errno;
			else
				(void)fremovexattr(fd, HIDDEN_XATTR);
		}
		if (fd >= 0)
			close(fd);
		say(de->d_name, name, r);
	}
	closedir(d);
	return 0;
}

const struct backend_ops posix_backend = {
	.list = posix_list,
	.lookup_name = posix_lookup_name,
	.create = posix_create,
	.open = posix_open,
	.pread = fdseg_pread,
	.pwrite = fdseg_pwrite,
	.copy_to_fd = fdseg_copy_to_fd,
	.copy_from_fd = fdseg_copy_from_fd,
	.close = fdseg_close,
	.remove = posix_remove,
	.set_attr = posix_set_attr,
	.peek = posix_peek,
	.remove_leased = posix_remove_leased,
	.hide = posix_hide,
	.unhide = posix_unhide,
	.remove_hidden = posix_remove_hidden,
};

/* ---- the shm directory's use (ls --summary) ---------------------------- */

static void count_file(struct shm_files *f, const struct stat *st)
{
	f->count++;
	if (S_ISREG(st->st_mode))
		f->size = sat_add(f->size, (uint64_t)st->st_size);
	f->used = sat_add(f->used, (uint64_t)st->st_blocks * 512);
}

/*
 * Things in the shm directory that are not segments, in every
 * subdirectory: depth first, with an explicit stack of at most
 * SHM_WALK_MAX_DEPTH open directories -- no recursion (nested directories by
 * the thousand, made by anyone, once crashed it) and a bounded number of
 * descriptors.  What lies deeper counts as unexplained, and is said.
 */
static void walk_not_segments(int dfd, struct shm_usage *g)
{
	DIR *stack[SHM_WALK_MAX_DEPTH];
	size_t depth = 0;

	stack[0] = fdopendir(dfd);
	if (!stack[0]) {
		close(dfd);
		return;
	}
	depth = 1;
	while (depth > 0) {
		DIR *d = stack[depth - 1];
		struct dirent *de = readdir(d);
		struct stat st;
		const char *n;
		int sub;

		if (!de) {
			closedir(d);
			depth--;
			continue;
		}
		n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		/* Top-level regular files are segments, or semaphores. */
		if (depth == 1 && S_ISREG(st.st_mode) && !is_semaphore_name(n))
			continue;
		count_file(depth == 1 && S_ISREG(st.st_mode) ? &g->sem
							     : &g->other, &st);
		if (!S_ISDIR(st.st_mode))
			continue;
		if (depth == SHM_WALK_MAX_DEPTH) {
			g->deep++;
			continue;
		}
		sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					  O_CLOEXEC);
		stack[depth] = sub < 0 ? NULL : fdopendir(sub);
		if (!stack[depth]) {
			if (!g->unopened++)
				g->err = errno;
			if (sub >= 0)
				close(sub);
			continue;
		}
		depth++;
	}
}

void posix_usage(struct shm_usage *u)
{
	struct statvfs vfs;
	int dfd;

	memset(u, 0, sizeof(*u));
	dfd = shm_dir_open();
	if (dfd < 0)
		return;
	if (fstatvfs(dfd, &vfs) == 0) {
		u->have_vfs = true;
		u->size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
		u->used = (uint64_t)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
		u->files = (uint64_t)vfs.f_files;
		u->files_free = (uint64_t)vfs.f_ffree;
	}
	walk_not_segments(dfd, u);	/* closes dfd */
}
