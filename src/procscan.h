/* SPDX-License-Identifier: MIT */
/*
 * procscan.h - who maps or holds which segment: one pass over /proc
 * (ARCHITECTURE.md, The scan) building an index keyed by (dev, ino).
 */
#ifndef SHMTOOL_PROCSCAN_H
#define SHMTOOL_PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "segment.h"

enum hold_how {
	HOW_MAP,
	HOW_FD,
	HOW_EXE,	/* the process runs it (/proc/PID/exe) */
};

/* One mapping of, one fd to, or the executable of a process that is, a
 * segment. */
struct holding {
	pid_t pid;
	enum hold_how how;
	enum seg_kind kind;
	dev_t dev;
	uint64_t ino;		/* SysV: the shmid */
	uint64_t start, end, offset;	/* HOW_MAP */
	unsigned int flags;	/* MAPS_R/W/X/SHARED (HOW_MAP; no SHARED:
				 * a private, copy-on-write mapping) */
	int fd;			/* HOW_FD, else -1 */
	bool deleted;		/* POSIX: unlinked */
	bool hugetlb;		/* SysV on a hugetlbfs device */
	int32_t key;		/* SysV: the key its name keeps */
	uint64_t ipcns;		/* SysV: the holder's IPC namespace */
	char *name;		/* POSIX, memfd: the name (unescaped), or NULL */
	bool has_stat;		/* st is valid (fd holders, some maps) */
	struct stat st;
};

/* Order of holdings by process: PID, then maps before fds, by address, by
 * descriptor (the tail of the scan's own order; maps sorts by it). */
int holding_cmp_in_proc(const struct holding *x, const struct holding *y);

/* Every process the scan saw, held something or not. */
struct proc_info {
	pid_t pid;
	uid_t uid;		/* owner: of holders and postmasters only, else 0 */
	char state;		/* of the process: 'Z' when no thread lives */
	bool holds;		/* holds at least one segment */
	bool postmaster;	/* command postgres or postmaster, alive */
	bool gap;		/* could not be fully read */
	uint64_t start_ticks;	/* clock ticks after boot */
	char comm[64];		/* as the kernel has it (escaped when shown) */
};

/* A process that could not be fully read, and why (a positive errno). */
struct scan_gap {
	pid_t pid;
	int err;
	char comm[64];
};

/* Why a scan cannot call a POSIX segment unused (ARCHITECTURE.md, Verdicts). */
#define SCAN_INC_PROCS	(1u << 0)	/* some processes could not be read */
#define SCAN_INC_PIDNS	(1u << 1)	/* not the initial PID namespace */
#define SCAN_INC_HIDEPID (1u << 2)	/* /proc hides other users' processes */
#define SCAN_INC_PIDS	(1u << 3)	/* only some PIDs were asked for */

struct scan {
	struct holding *h;	/* sorted by (kind, ino, ipcns, dev, pid) */
	size_t nh, caph;
	struct proc_info *procs;	/* sorted by PID after the scan */
	size_t nprocs, capprocs;
	struct scan_gap *gaps;	/* processes we could not inspect */
	size_t ngaps, capgaps;
	size_t inspected;	/* processes read completely */
	unsigned int incomplete;	/* SCAN_INC_* */
	bool used_query;	/* PROCMAP_QUERY did the maps part */
	int threads;		/* how many threads scanned */
	bool live;		/* the kernel's /proc, not a fixture */
	/* This /proc numbers processes as our PID namespace does (its
	 * "self" is getpid()): the PIDs the kernel gives us elsewhere
	 * (a SysV creator's) name its entries.  False: another namespace's
	 * /proc, whose numbers mean other processes. */
	bool our_pids;

	dev_t shmem_dev;	/* the kernel's internal shmem mount */
	dev_t huge_dev[4];
	size_t nhuge;
	dev_t shm_dir_dev;	/* the POSIX shm directory's file system */
	bool have_shmem_dev, have_shm_dir_dev;
	uint64_t ipc_ns;	/* our IPC namespace inode, 0 if unknown */
	bool want_memfd, want_anon, all_ns;
	dev_t *shm_devs;	/* other shm directories (all namespaces) */
	size_t nshm_devs;
};

struct scan_opts {
	const pid_t *pids;	/* only these processes (NULL: all) */
	size_t npids;
	bool no_query;		/* force the text parser */
	bool no_fds;		/* skip /proc/PID/fd */
	bool memfd;		/* record memfd holdings too */
	bool anon;		/* record shared anonymous mappings too */
	bool all_ns;		/* SysV attachments in every IPC namespace */
	const dev_t *shm_devs;	/* more shm directories' devices (POSIX) */
	size_t nshm_devs;
	/* The shmids of every listed SysV segment, ascending, when
	 * sysv_ids_known: without memfd and anon, a shared mapping on the
	 * shmem device with another inode can match nothing listed, so its
	 * name (a second PROCMAP_QUERY) is not asked for. */
	const int *sysv_ids;
	size_t nsysv_ids;
	bool sysv_ids_known;
};

/*
 * Scan /proc.  0, or -errno: /proc itself cannot be read, or shmtool ran
 * out of its own resources (EMFILE, ENFILE, ENOMEM) -- then nothing the
 * scan found may be judged (ARCHITECTURE.md, Verdicts).  A process that could not be read
 * for a reason of its own is a gap, not an error.
 */
int procscan(struct scan *s, const struct scan_opts *o);
void scan_free(struct scan *s);
/* The processes born since s listed /proc, scanned with o into *out. */
int scan_newcomers(const struct scan *s, const struct scan_opts *o,
		   struct scan *out);

/* Is this errno a failure of shmtool's own resources? */
bool own_resource_error(int err);

/* May a scan with no holder of a POSIX segment call it unused? */
static inline bool scan_complete(const struct scan *s)
{
	return s->incomplete == 0;
}

/* Holdings of (kind, dev, ino): index of the first and the count. */
size_t scan_find(const struct scan *s, enum seg_kind kind, dev_t dev,
		 uint64_t ino, size_t *count);
/* SysV holdings of a shmid (on the shmem or a hugetlb device) in an IPC
 * namespace (its ns/ipc inode). */
/*
 * SysV holdings are kept whatever the holder's IPC namespace; once the
 * inventory has said whose segment each maps (h->ipcns), this drops those
 * of other namespaces unless the scan is for all of them, and sorts again
 * if resort (an ipcns changed).
 */
void scan_settle_sysv(struct scan *s, bool resort);
size_t scan_find_sysv(const struct scan *s, int shmid, uint64_t ipcns,
		      size_t *count);
const struct proc_info *scan_proc(const struct scan *s, pid_t pid);

/*
 * Is the process that the kernel names as a segment's creator alive?
 * ALIVE: it runs, and started before the segment's ctime (+1 s);
 * DEAD: no such process, a zombie, or its PID now belongs to a process
 * started later; UNSEEN: cpid 0 (another PID namespace), or it could not
 * be looked up (hidepid, a partial scan).
 */
enum creator_state { CREATOR_ALIVE, CREATOR_DEAD, CREATOR_UNSEEN };
enum creator_state scan_creator(const struct scan *s, pid_t cpid,
				time_t ctime);

/*
 * The process the kernel meant when it recorded pid at time t (a SysV
 * creator at ctime, the last attacher at its attach or detach): the
 * scan's record of pid if it runs (not a zombie) and started before t
 * (+1 s: t is rounded down).  NULL when it is gone, a zombie, a later
 * process that got the PID, or out of the scan's sight (0, another PID
 * namespace's numbers, a partial scan).
 */
const struct proc_info *scan_proc_since(const struct scan *s, pid_t pid,
					time_t t);

/* Does a live postmaster (not a zombie) run as this user? */
bool scan_postmaster_runs(const struct scan *s, uid_t uid);

/* The boot time in seconds since the epoch (0 if unknown). */
uint64_t proc_boot_time(void);

/* Say on stderr which processes could not be inspected, and why. */
void scan_report_gaps(const struct scan *s);
/* Why the scan is incomplete, in words ("processes outside this PID
 * namespace cannot be seen; ..."), for messages; "" if complete. */
void scan_incomplete_why(const struct scan *s, char *buf, size_t len);

#endif
