/* SPDX-License-Identifier: MIT */
/*
 * segment.h - the backend-neutral segment record and the backend ops table.
 *
 * Subcommands never make IPC syscalls: they call a backend through
 * struct backend_ops.  Both backends fill the same struct segment.
 */
#ifndef SHMTOOL_SEGMENT_H
#define SHMTOOL_SEGMENT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct scan;

enum seg_kind {
	SEG_SYSV,
	SEG_POSIX,
	SEG_MEMFD,	/* memfd_create(2): known only through holders */
	SEG_ANON,	/* MAP_SHARED|MAP_ANONYMOUS or /dev/zero, shared */
};

/* Status bits (ARCHITECTURE.md, Status). */
#define SEG_ST_DEST	(1u << 0)	/* SysV: removed, still attached */
#define SEG_ST_LOCKED	(1u << 1)	/* SysV: SHM_LOCK */
#define SEG_ST_HUGETLB	(1u << 2)	/* backed by hugetlbfs */
#define SEG_ST_DELETED	(1u << 3)	/* POSIX: unlinked, still held */
#define SEG_ST_UNUSED	(1u << 4)
#define SEG_ST_UNVERIFIED (1u << 5)
#define SEG_ST_ORPHAN	(1u << 6)	/* SysV: unused, creator gone */
#define SEG_ST_CREATOR_ALIVE (1u << 7)	/* SysV: unused, creator runs */
#define SEG_ST_CREATOR_UNSEEN (1u << 8)	/* SysV: unused, creator unseen */
#define SEG_ST_KEPT	(1u << 9)	/* never removed by rm --unused */

/*
 * What rm --unused may do with a segment nobody was seen to hold
 * (ARCHITECTURE.md, Verdicts).  Segments that are held, deleted, or memfd/anon are
 * DISP_NONE.
 */
enum seg_disp {
	DISP_NONE,
	DISP_RECLAIMABLE,	/* removed by rm --unused */
	DISP_UNCERTAIN,		/* removed only with --force */
	DISP_KEPT,		/* never removed by --unused */
};

/* Why a segment is kept. */
enum seg_keep {
	KEEP_NONE,
	KEEP_PG_CLUSTER,	/* a live PostgreSQL cluster's (from its data) */
	KEEP_PG_OWNER,		/* a postmaster of its owner runs, whose
				 * segments could not be read */
	KEEP_PG_LEFTOVER,	/* a crashed cluster's, removed together with
				 * the rest of it, which is not removable */
};

/* Kernel SHM mode bits that /proc/sysvipc/shm shows in "perms". */
#define SYSV_MODE_DEST	01000
#define SYSV_MODE_LOCKED 02000

struct segment {
	enum seg_kind kind;

	/* SysV */
	int shmid;
	int32_t key;		/* as key_t; 0 after IPC_RMID */
	pid_t cpid, lpid;
	unsigned long nattch;
	uid_t cuid;
	gid_t cgid;
	time_t atime, dtime;	/* 0 = never */

	/* POSIX: the name without its leading slash; memfd: its name */
	const char *sname;	/* seg_name(); NULL: "" */
	/* POSIX: a named semaphore (its file "sem.NAME"; ls --sem), and,
	 * when has_semval, its value and waiters read from the file */
	bool sem, has_semval;
	bool has_rss, has_swap;	/* (Both) old kernels print no rss/swap */
	uint32_t sem_value, sem_waiters;
	/* memfd/anon: a holder to reach it through (/proc/PID/fd/FD, or
	 * /proc/PID/map_files/START-END when fd is -1) */
	pid_t via_pid;
	int via_fd;
	uint64_t via_start, via_end;
	dev_t dev;
	ino_t ino;

	/* Both */
	uid_t uid;
	gid_t gid;
	unsigned int mode;	/* permission bits, 0777 */
	uint64_t size;
	time_t ctime;		/* SysV: last change; POSIX: st_ctime */
	time_t mtime;		/* POSIX only */
	uint64_t rss, swap;
	unsigned int status;	/* SEG_ST_* */
	enum seg_disp disp;	/* set with the holders (inventory) */
	enum seg_keep keep;	/* DISP_KEPT (or a cluster's group): why */
	int keep_shmid;		/* KEEP_PG_CLUSTER: its main segment */
	/* A crashed PostgreSQL cluster's segments go together (ARCHITECTURE.md, Verdicts):
	 * its control segment and what it lists share pg_group (1, 2, ...);
	 * the unattached SysV segments of an owner with such clusters (its
	 * main segment among them, unread) are pg_tied: they go only after,
	 * and only with, every group of that owner. */
	int pg_group;
	bool pg_control, pg_tied;
	/* Known only through processes (a deleted POSIX segment whose inode
	 * we could not stat): owner, mode, size and times are unknown. */
	bool nostat;
	/* Of another namespace than the caller's (ls --all-namespaces):
	 * shown, never judged for removal here. */
	bool foreign;

	/* The IPC (SysV) or mount (POSIX) namespace it lives in, as the
	 * inode of /proc/PID/ns/ipc or mnt (0: unknown), and whose it is. */
	uint64_t ipcns, mntns;
	const char *nshint;	/* NULL: none; the inventory owns it */

	/* Who maps or holds it: a range of the scan's sorted holdings.
	 * scan is NULL when no /proc scan was made. */
	const struct scan *scan;
	uint32_t hfirst, hcount;	/* segment_set_holders */
};

/* A growable array of segments. */
struct seglist {
	struct segment *v;
	size_t n, cap;
};

/* A segment's name (POSIX without its leading slash, memfd): "" if none. */
static inline const char *seg_name(const struct segment *s)
{
	return s->sname ? s->sname : "";
}

/*
 * Give a segment its name, at most NAME_MAX bytes of it: a copy in the
 * process's name pool, one string arena that lives until exit (a record
 * stays small, 100,000 of them without 256 bytes each; the main thread
 * only).  0, or -ENOMEM (the name is then unchanged).
 */
int segment_set_name(struct segment *s, const char *name);
/* A copy of a string (at most NAME_MAX bytes of it) in that pool; NULL
 * when out of memory. */
const char *segment_pool_str(const char *str);

/* Its holdings: [first, first + count) of the scan (fewer than 2^32). */
static inline void segment_set_holders(struct segment *s, size_t first,
				       size_t count)
{
	s->hfirst = (uint32_t)first;
	s->hcount = (uint32_t)count;
}

struct stat;
/* Owner, mode, size, RSS (st_blocks) and times from a stat. */
void segment_set_stat(struct segment *s, const struct stat *st);

struct segment *seglist_add(struct seglist *l);
void seglist_free(struct seglist *l);

/* What a subcommand asks a backend to create. */
struct create_req {
	int32_t key;		/* SysV; 0 = IPC_PRIVATE */
	const char *name;	/* POSIX, without the leading slash */
	uint64_t size;
	unsigned int mode;
	bool exist_ok;
	bool hugetlb;		/* SysV: SHM_HUGETLB */
	/* Initial content (--from); the segment is removed if copying fails. */
	const void *init;
	size_t init_len;
};

/* A segment that rm --unused moved out of reach before removing it. */
struct claim {
	uint32_t seq;		/* POSIX: its private name meanwhile, by
				 * number (posix_claim_name); 0: none */
	bool leased;		/* the kernel's word was had */
	bool sole;		/* the name removed was its only one */
};

/* What chmod and chown change (backend_ops.set_attr). */
#define ATTR_MODE	(1u << 0)
#define ATTR_UID	(1u << 1)
#define ATTR_GID	(1u << 2)
struct seg_attr {
	unsigned int what;	/* ATTR_* */
	unsigned int mode;	/* permission bits, 0777 */
	uid_t uid;
	gid_t gid;
};

/* An open segment, ready for pread/pwrite. */
struct seghandle {
	enum seg_kind kind;
	int fd;			/* POSIX, memfd; SysV: its file, or -1 */
	void *addr;		/* SysV: shmat address */
	uint64_t size;
	bool writable;
};

/*
 * The ops table.  Every function returns 0 or -errno.  A NULL member means
 * "not supported by this backend".
 */
struct backend_ops {
	int (*list)(struct seglist *out);
	/* Find one segment; -ENOENT if none. */
	int (*lookup_id)(int shmid, struct segment *out);
	int (*lookup_key)(int32_t key, struct segment *out);
	int (*lookup_name)(const char *name, struct segment *out);
	/*
	 * Create.  *created is false when exist_ok found an existing segment
	 * (which is then left untouched).  out describes the segment.
	 */
	int (*create)(const struct create_req *req, struct segment *out,
		      bool *created);
	int (*open)(const struct segment *seg, bool writable,
		    struct seghandle *h);
	/*
	 * Optional: open it through a process that holds it, changing
	 * nothing of it (SysV: no attach, so LPID, ATIME and DTIME stay).
	 * Its holders when seg is linked to a scan, else the few the
	 * backend knows of.  -ENOENT when none could be used (open then
	 * attaches), -EPERM when the kernel refuses the way in, -ENOTSUP
	 * when there is no such way for it.
	 */
	int (*open_held)(const struct segment *seg, bool writable,
			 struct seghandle *h);
	/*
	 * Transfer len bytes at off.  *done is what was transferred, even on
	 * error; pread returns 0 with *done < len when the segment ended
	 * (shrank) first.  pwrite never writes past the segment's end
	 * (-EFBIG, nothing written).
	 */
	int (*pread)(struct seghandle *h, void *buf, size_t len, uint64_t off,
		     size_t *done);
	int (*pwrite)(struct seghandle *h, const void *buf, size_t len,
		      uint64_t off, size_t *done);
	/* Copy [off, off+len) to fd (no intermediate buffer where possible). */
	int (*copy_to_fd)(struct seghandle *h, int fd, uint64_t off,
			  uint64_t len, uint64_t *done);
	/*
	 * Optional: read from fd straight into [off, off+len) until end of
	 * input; *done is what landed (< len at end of input).  Backends
	 * without it are written through a buffer and pwrite.
	 */
	int (*copy_from_fd)(struct seghandle *h, int fd, uint64_t off,
			    uint64_t len, uint64_t *done);
	int (*close)(struct seghandle *h);
	int (*remove)(const struct segment *seg);

	/*
	 * Optional: chmod and chown (shmtool chmod, chown).  Only if the
	 * segment is still the one looked up (-ESTALE otherwise), and on
	 * the very object checked: no name is resolved twice, no symbolic
	 * link followed (-EMEDIUMTYPE: no longer a segment, a symlink or
	 * FIFO in its place).
	 */
	int (*set_attr)(const struct segment *seg, const struct seg_attr *a);
	/* Optional: SHM_LOCK (lock) or SHM_UNLOCK, the same way; -EOPNOTSUPP
	 * when the kernel took SHM_LOCK and locked nothing (huge pages). */
	int (*lock)(const struct segment *seg, bool lock);

	/*
	 * Optional: len bytes at off of a segment, without changing it
	 * and, where the backend can, without attaching it (*got may be
	 * less at its end).  scan (may be NULL) offers the holders to read
	 * through.  -EBUSY when it could be read only by attaching a
	 * segment nobody attaches (which a starting PostgreSQL would take
	 * for "still in use"): then it is not read.
	 */
	int (*peek)(const struct segment *seg, const struct scan *scan,
		    uint64_t off, void *buf, size_t len, size_t *got);
	/* Optional: the kernel's NATTCH of the segment now, in O(1), and
	 * whether it was attached, detached (LPID, ATIME or DTIME moved)
	 * or removed (dest) since it was listed: *touched. */
	int (*nattch_now)(const struct segment *seg, unsigned long *nattch,
			  bool *touched);

	/*
	 * rm --unused's last step (ARCHITECTURE.md, Verdicts).  remove_unused (SysV):
	 * remove the segment only if it is still the judged one and nobody
	 * attaches it, denying new attaches while it makes sure.
	 * remove_leased (POSIX): remove the file only if it is still the
	 * judged one and the kernel grants a write lease on it (nobody has
	 * it open or mapped); -ENOLCK when no lease can be had (nothing
	 * changed), then: hide (move the name to a private one, kept in c,
	 * proving it is the judged file), a second scan, and remove_hidden
	 * (still the same file, and no lease refused: unlink it) or unhide
	 * (put the name back).  Each returns 0 or -errno: -ENOENT gone,
	 * -ESTALE another object has the name or id now, -EBUSY attached,
	 * or (POSIX) the kernel says a process has it open or mapped,
	 * -EINPROGRESS removed while a privileged process attached it at
	 * that very moment (it lives until its last detach), -EEXIST the
	 * name was taken meanwhile (unhide; or the file went back to no
	 * name, in c->hidden).
	 */
	int (*remove_unused)(const struct segment *judged);
	int (*remove_leased)(const struct segment *judged, struct claim *c);
	int (*hide)(const struct segment *judged, struct claim *c);
	int (*unhide)(const struct segment *judged, const struct claim *c);
	int (*remove_hidden)(const struct segment *judged, struct claim *c);
};

/* How deep posix_usage's walk of the shm directory goes, in open
 * directories. */
#define SHM_WALK_MAX_DEPTH 64

/* The shm directory's use: its file system, its semaphores, and what in
 * it is neither (directories, anything in a subdirectory, ...). */
struct shm_usage {
	bool have_vfs;		/* statvfs answered: */
	uint64_t size, used;	/* the file system's bytes, and in use */
	uint64_t files, files_free;	/* its inodes */
	struct shm_files {
		uint64_t count, size, used;
	} other,		/* neither segments nor semaphores */
	  sem;			/* POSIX semaphores (sem.* at the top) */
	size_t deep;		/* directories deeper than the walk goes */
	size_t unopened;	/* directories that could not be opened */
	int err;		/* the first reason for that */
};
/* Fill u (zeroed first); what could not be counted is in deep and
 * unopened, for the caller to say. */
void posix_usage(struct shm_usage *u);

/* The kernel's System V shared memory limits (0 where unknown). */
struct sysv_limits {
	uint64_t shmmax;	/* bytes per segment */
	uint64_t shmmin;	/* bytes per segment, at least (always 1) */
	uint64_t shmmni;	/* segments */
	uint64_t shmall;	/* pages in all */
	uint64_t shmall_bytes;	/* the same in bytes (saturated) */
	uint64_t page;		/* the page size shmall counts in */
	/* What the kernel counts against them (shmctl SHM_INFO), when
	 * have_use: segments (against shmmni) and pages (against shmall,
	 * each segment rounded up to whole pages). */
	bool have_use;
	uint64_t used_ids, used_pages;
};
void sysv_limits(struct sysv_limits *l);

/* Names rm --unused hides files under (".shmtool-rm.*"): never judged. */
bool posix_hidden_name(const char *name);
/* The private name a claim moved a segment to ("" if none), for messages:
 * made again from its number (a claim stays 8 bytes). */
#define CLAIM_NAME_MAX 64
void posix_claim_name(const struct claim *c, char *buf, size_t len);
/* rm --unused keeps the shm directory open from one removal to the next:
 * this closes it (after the last). */
void posix_removal_done(void);
/* An exclusive lock on the shm directory for one rm --unused at a time
 * (waits up to a minute): an fd to close, or -errno. */
int posix_lock_dir(void);
/* Put back the names that an interrupted rm --unused left hidden (under
 * the lock): say(hidden, name, rc) for each, rc 0 or -errno. */
int posix_restore_hidden(void (*say)(const char *hidden, const char *name,
				     int rc));

extern const struct backend_ops sysv_backend;
extern const struct backend_ops posix_backend;

/* The SysV segments of IPC namespace ino, that of process pid (ns.h). */
int sysv_list_ns(pid_t pid, uint64_t ino, struct seglist *out);
/* Read VALUE and WAITERS of the named semaphores among v (of the caller's
 * shm directory, not deleted): has_semval where the file could be read. */
void posix_sem_values(struct segment *v, size_t n);

/* The POSIX segments of another shm directory, open as dfd (closed). */
int posix_list_fd(int dfd, struct seglist *out);

const struct backend_ops *backend_for(enum seg_kind kind);

#endif
