// SPDX-License-Identifier: MIT
/*
 * posix.c - the POSIX backend: regular files in the shm directory
 * (/dev/shm, or SHMTOOL_SHM_DIR).  glibc's shm_open() is openat() on that
 * directory with O_NOFOLLOW; we do the same relative to a directory fd so
 * that the directory can be a fixture and no symlink is ever followed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/sendfile.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/xattr.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "paths.h"
#include "segment.h"
#include "util.h"

static void fill_from_stat(struct segment *s, const char *name,
			   const struct stat *st)
{
	memset(s, 0, sizeof(*s));
	s->kind = SEG_POSIX;
	s->shmid = -1;
	snprintf(s->name, sizeof(s->name), "%s", name);
	segment_set_stat(s, st);
}

/* Only regular files that are not semaphores are segments. */
static bool is_segment(const char *name, const struct stat *st)
{
	return S_ISREG(st->st_mode) && !is_semaphore_name(name);
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

static int list_dirfd(int dfd, struct seglist *out)
{
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	for (;;) {
		struct stat st;
		struct segment *s;

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
		if (!is_segment(de->d_name, &st))
			continue;
		s = seglist_add(out);
		if (!s) {
			rc = -ENOMEM;
			break;
		}
		fill_from_stat(s, de->d_name, &st);
	}
	if (!rc && !de && errno)
		rc = -errno;
	closedir(d);
	return rc;
}

static int posix_lookup_name(const char *name, struct segment *out)
{
	struct stat st;
	int dfd = shm_dir_open();
	int rc = 0;

	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -errno;
	else if (!is_segment(name, &st))
		rc = -EMEDIUMTYPE;	/* exists, but is not a segment */
	else
		fill_from_stat(out, name, &st);
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
	int dfd, rc;

	*created = false;
	if (req->size == 0 || req->size > INT64_MAX ||
	    req->init_len > req->size)
		return -EINVAL;
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
	fill_from_stat(out, req->name, &st);
	*created = true;
	return 0;
}

/*
 * An fd just opened for seg: it must be a regular file, and the same inode
 * the lookup described (not one that took the name since).  On success it
 * becomes the handle; on failure it is closed.
 */
static int handle_from_fd(int fd, const struct segment *seg, bool writable,
			  struct seghandle *h)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EMEDIUMTYPE;
		goto out_close;
	}
	if (seg->ino && (st.st_ino != seg->ino || st.st_dev != seg->dev)) {
		rc = -ESTALE;
		goto out_close;
	}
	memset(h, 0, sizeof(*h));
	h->kind = seg->kind;
	h->fd = fd;
	h->size = (uint64_t)st.st_size;
	h->writable = writable;
	return 0;

out_close:
	close(fd);
	return rc;
}

static int posix_open(const struct segment *seg, bool writable,
		      struct seghandle *h)
{
	int fd = open_at_shm(seg->name, writable ? O_RDWR : O_RDONLY, 0);

	if (fd < 0)
		return fd;
	/* The O_NONBLOCK we opened with is for FIFOs only. */
	if (fcntl(fd, F_SETFL, 0) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return handle_from_fd(fd, seg, writable, h);
}

int fdseg_pread(struct seghandle *h, void *buf, size_t len, uint64_t off,
		size_t *done)
{
	return pread_full(h->fd, buf, len, (off_t)off, done);
}

/*
 * Is the file still at least end bytes long?  Another process may have
 * truncated it: a pwrite past its end would grow it again, and write
 * never changes a segment's size.  -ENODATA if it shrank.
 */
static int still_fits(const struct seghandle *h, uint64_t end)
{
	struct stat st;

	if (fstat(h->fd, &st) < 0)
		return -errno;
	return (uint64_t)st.st_size < end ? -ENODATA : 0;
}

/*
 * pwrite, never an mmap store: on a full tmpfs a store into a hole is a
 * SIGBUS, a pwrite is ENOSPC.  1 MiB at a time, each only while the file
 * is still that long.
 */
int fdseg_pwrite(struct seghandle *h, const void *buf, size_t len,
		 uint64_t off, size_t *done)
{
	*done = 0;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	while (*done < len) {
		size_t chunk = len - *done > (1u << 20) ? (1u << 20)
						       : len - *done;
		size_t n = 0;
		int rc = still_fits(h, off + *done + chunk);

		if (rc == 0)
			rc = pwrite_all(h->fd, (const char *)buf + *done, chunk,
					(off_t)(off + *done), &n);
		*done += n;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Copy [off, off + len) with pread and write; *done grows as it goes. */
static int copy_by_read(struct seghandle *h, int fd, uint64_t off,
			uint64_t len, uint64_t *done)
{
	static char buf[1 << 20] __attribute__((aligned(4096)));
	uint64_t n = 0;
	int rc;

	while (n < len) {
		size_t want = len - n > sizeof(buf) ? sizeof(buf)
						    : (size_t)(len - n);
		size_t got;

		rc = pread_full(h->fd, buf, want, (off_t)(off + n), &got);
		if (rc < 0)
			return rc;
		if (got > 0) {
			rc = write_all(fd, buf, got);
			if (rc < 0)
				return rc;
			n += got;
			*done += got;
		}
		if (got < want)
			return -ENODATA;	/* the segment shrank */
	}
	return 0;
}

int fdseg_copy_to_fd(struct seghandle *h, int fd, uint64_t off, uint64_t len,
		     uint64_t *done)
{
	*done = 0;
	while (*done < len) {
		off_t pos = (off_t)(off + *done);
		size_t chunk = len - *done > (1u << 30) ? (1u << 30)
						       : (size_t)(len - *done);
		ssize_t n = sendfile(fd, h->fd, &pos, chunk);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* Output sendfile cannot write to, or offsets past
			 * what it takes (EOVERFLOW near 2^63): copy. */
			if (errno == EINVAL || errno == ENOSYS ||
			    errno == EOVERFLOW)
				return copy_by_read(h, fd, off + *done,
						    len - *done, done);
			return -errno;
		}
		if (n == 0)
			return -ENODATA;	/* the segment shrank */
		*done += (uint64_t)n;
	}
	return 0;
}

/*
 * From a pipe, splice straight into the file (no copy through a buffer):
 * up to len bytes at off, until end of input.  Anything else is -ENOTSUP
 * before any byte moves, and the caller copies through a buffer.
 */
int fdseg_copy_from_fd(struct seghandle *h, int fd, uint64_t off,
		       uint64_t len, uint64_t *done)
{
	struct stat st;

	*done = 0;
	if (off > h->size || len > h->size - off)
		return -EFBIG;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode))
		return -ENOTSUP;
	while (*done < len) {
		loff_t pos = (loff_t)(off + *done);
		size_t chunk = len - *done > (1u << 20) ? (1u << 20)
						       : (size_t)(len - *done);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int rc;

		/* Wait for input first: the size is checked right before
		 * the bytes move, not before a wait of any length. */
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -errno;
		rc = still_fits(h, off + *done + chunk);
		if (rc < 0)
			return rc;
		n = splice(fd, NULL, h->fd, &pos, chunk,
			   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EINVAL && *done == 0)
				return -ENOTSUP;
			return -errno;
		}
		if (n == 0)
			return 0;	/* end of input */
		*done += (uint64_t)n;
	}
	return 0;
}

static int posix_close(struct seghandle *h)
{
	int rc = 0;

	if (h->fd >= 0 && close(h->fd) < 0)
		rc = -errno;
	h->fd = -1;
	return rc;
}

static int posix_remove(const struct segment *seg)
{
	struct segment now;
	int rc = posix_lookup_name(seg->name, &now);

	if (rc < 0)
		return rc;
	/* Never unlink a different file that took the name meanwhile. */
	if (seg->ino && (now.ino != seg->ino || now.dev != seg->dev))
		return -ESTALE;
	return unlink_at_shm(seg->name);
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
	fd = open_at_shm(seg->name, O_RDONLY | O_NOATIME, 0);
	if (fd == -EPERM)
		fd = open_at_shm(seg->name, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	rc = handle_from_fd(fd, seg, false, &h);
	if (rc < 0)
		return rc;
	rc = pread_full(h.fd, buf, len, (off_t)off, got);
	close(h.fd);
	return rc;
}

/*
 * rm --unused's last step (DESIGN §7).  The kernel says whether anybody
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

static void hidden_name(struct claim *c)
{
	static unsigned int seq;
	unsigned int r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) < 0)
		r = (unsigned int)time(NULL) ^ seq;
	snprintf(c->hidden, sizeof(c->hidden), HIDDEN_PREFIX "%d.%u.%08x",
		 (int)getpid(), seq++, r);
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
	struct stat st;
	int dfd, fd, rc = 0;

	c->leased = c->sole = false;
	c->hidden[0] = '\0';
	if (no_lease())
		return -ENOLCK;
	dfd = shm_dir_open();
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, j->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
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
	if (renameat2(dfd, j->name, dfd, c->hidden, RENAME_NOREPLACE) < 0) {
		rc = -errno;
		goto out_unlease;
	}
	if (fstatat(dfd, c->hidden, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !is_judged(&st, j)) {
		/* Swapped between our open and our rename: it goes back. */
		rc = renameat2(dfd, c->hidden, dfd, j->name,
			       RENAME_NOREPLACE) < 0 ? -EEXIST : -ESTALE;
		goto out_unlease;
	}
	if (unlinkat(dfd, c->hidden, 0) < 0) {
		rc = -errno;
		(void)renameat2(dfd, c->hidden, dfd, j->name, RENAME_NOREPLACE);
		goto out_unlease;
	}
	c->sole = st.st_nlink == 1;	/* no other name keeps its memory */
	c->hidden[0] = '\0';
out_unlease:
	(void)fcntl(fd, F_SETLEASE, F_UNLCK);
out_close:
	close(fd);
out:
	close(dfd);
	return rc;
}

static int posix_hide(const struct segment *j, struct claim *c)
{
	struct stat st;
	int dfd = shm_dir_open(), fd, rc = 0;

	if (dfd < 0)
		return dfd;
	hidden_name(c);
	/* The old name on the file itself, for an interrupted run's
	 * successor; where it cannot be set, the name is only said. */
	fd = openat(dfd, j->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		char rel[32];

		snprintf(rel, sizeof(rel), "self/fd/%d", fd);
		if (fstat(fd, &st) == 0 && is_judged(&st, j)) {
			int wfd = proc_open(rel, O_RDONLY | O_NONBLOCK);

			if (wfd >= 0) {
				(void)fsetxattr(wfd, HIDDEN_XATTR, j->name,
						strlen(j->name), 0);
				close(wfd);
			}
		}
		close(fd);
	}
	if (renameat2(dfd, j->name, dfd, c->hidden, RENAME_NOREPLACE) < 0) {
		rc = -errno;
		c->hidden[0] = '\0';
		goto out;
	}
	if (fstatat(dfd, c->hidden, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !is_judged(&st, j)) {
		/* Not the judged file: it goes back, untouched. */
		rc = renameat2(dfd, c->hidden, dfd, j->name,
			       RENAME_NOREPLACE) < 0 ? -EEXIST : -ESTALE;
		if (rc == -ESTALE)
			c->hidden[0] = '\0';
	}
out:
	close(dfd);
	return rc;
}

static int posix_unhide(const struct segment *j, const struct claim *c)
{
	int dfd = shm_dir_open(), rc = 0;

	if (dfd < 0)
		return dfd;
	if (renameat2(dfd, c->hidden, dfd, j->name, RENAME_NOREPLACE) < 0)
		rc = -errno;
	close(dfd);
	return rc;
}

/* The hidden file, after the second scan: the kernel's word too where a
 * lease can be had. */
static int posix_remove_hidden(const struct segment *j, struct claim *c)
{
	struct stat st;
	int dfd = shm_dir_open(), fd, rc = 0;

	c->leased = c->sole = false;
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, c->hidden, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
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
	} else if (fstatat(dfd, c->hidden, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		rc = -errno;	/* not even there any more */
		goto out;
	} else if (!is_judged(&st, j)) {
		rc = -ESTALE;
		goto out;
	}
	if (unlinkat(dfd, c->hidden, 0) < 0)
		rc = -errno;
	else
		c->sole = st.st_nlink == 1;
	if (c->leased)
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
out_close:
	if (fd >= 0)
		close(fd);
out:
	close(dfd);
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
	int dfd = shm_dir_open(), rc = 0;
	DIR *d;

	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		return rc;
	}
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
	.name = "posix",
	.list = posix_list,
	.lookup_name = posix_lookup_name,
	.create = posix_create,
	.open = posix_open,
	.pread = fdseg_pread,
	.pwrite = fdseg_pwrite,
	.copy_to_fd = fdseg_copy_to_fd,
	.copy_from_fd = fdseg_copy_from_fd,
	.close = posix_close,
	.remove = posix_remove,
	.peek = posix_peek,
	.remove_leased = posix_remove_leased,
	.hide = posix_hide,
	.unhide = posix_unhide,
	.remove_hidden = posix_remove_hidden,
};

/* ---- memfd and shared anonymous memory, through a holder --------------- */

static void proc_rel(const struct segment *seg, char *buf, size_t len)
{
	if (seg->via_fd >= 0)
		snprintf(buf, len, "%d/fd/%d", (int)seg->via_pid, seg->via_fd);
	else
		snprintf(buf, len, "%d/map_files/%llx-%llx", (int)seg->via_pid,
			 (unsigned long long)seg->via_start,
			 (unsigned long long)seg->via_end);
}

int procfd_describe(pid_t pid, int fd, uint64_t start, uint64_t end,
		    bool anon, struct segment *out)
{
	char rel[96], link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int pfd;

	memset(out, 0, sizeof(*out));
	out->kind = anon ? SEG_ANON : SEG_MEMFD;
	out->shmid = -1;
	out->via_pid = pid;
	out->via_fd = fd;
	out->via_start = start;
	out->via_end = end;
	proc_rel(out, rel, sizeof(rel));
	pfd = proc_open(rel, O_PATH);
	if (pfd < 0)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	if (fstat(pfd, &st) < 0) {
		int err = errno;

		close(pfd);
		return -err;
	}
	close(pfd);
	if (!S_ISREG(st.st_mode))
		return -EMEDIUMTYPE;
	{
		int dfd = proc_open(".", O_RDONLY | O_DIRECTORY);

		n = dfd < 0 ? -1 : readlinkat(dfd, rel, link, sizeof(link) - 1);
		if (dfd >= 0)
			close(dfd);
	}
	if (n > 0) {
		link[n] = '\0';
		if (n > 10 && strcmp(link + n - 10, " (deleted)") == 0)
			link[n - 10] = '\0';
		if (anon ? strcmp(link, "/dev/zero") != 0
			 : strncmp(link, "/memfd:", 7) != 0)
			return -EMEDIUMTYPE;
		if (!anon) {
			size_t l = strnlen(link + 7, sizeof(out->name) - 1);

			memcpy(out->name, link + 7, l);
			out->name[l] = '\0';
		}
	}
	segment_set_stat(out, &st);
	return 0;
}

static int procfd_open(const struct segment *seg, bool writable,
		       struct seghandle *h)
{
	char rel[96];
	int fd;

	proc_rel(seg, rel, sizeof(rel));
	fd = proc_open(rel, writable ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
	return handle_from_fd(fd, seg, writable, h);
}

/*
 * memfds and shared anonymous memory have no name to list, look up or
 * remove: they live as long as their holders.  Through a holder's fd or
 * mapping they read and write like a file.
 */
const struct backend_ops procfd_backend = {
	.name = "memfd",
	.open = procfd_open,
	.pread = fdseg_pread,
	.pwrite = fdseg_pwrite,
	.copy_to_fd = fdseg_copy_to_fd,
	.close = posix_close,
};
