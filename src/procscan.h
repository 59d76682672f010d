/* SPDX-License-Identifier: MIT */
/*
 * procscan.h - who maps or holds which segment: one pass over /proc
 * (DESIGN §6) building an index keyed by (dev, ino).
 */
#ifndef SHMTOOL_PROCSCAN_H
#define SHMTOOL_PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "segment.h"

enum hold_how {
	HOW_MAP,
	HOW_FD,
};

/* One mapping of, or one fd to, a segment. */
struct holding {
	pid_t pid;
	enum hold_how how;
	enum seg_kind kind;
	dev_t dev;
	uint64_t ino;		/* SysV: the shmid */
	uint64_t start, end, offset;	/* HOW_MAP */
	unsigned int flags;	/* MAPS_R/W/X/SHARED (HOW_MAP) */
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

struct proc_info {
	pid_t pid;
	uid_t uid;
	char comm[64];		/* escaped for display */
};

struct scan {
	struct holding *h;	/* sorted by (dev, ino, pid) after the scan */
	size_t nh, caph;
	struct proc_info *procs;	/* processes holding something */
	size_t nprocs, capprocs;
	struct proc_info *denied;	/* processes we could not inspect */
	size_t ndenied, capdenied;
	size_t inspected;	/* processes read completely */
	uid_t *pg_uids;		/* owners of running "postgres" processes */
	size_t npg, cappg;
	bool used_query;	/* PROCMAP_QUERY did the maps part */

	dev_t shmem_dev;	/* the kernel's internal shmem mount */
	dev_t huge_dev[4];
	size_t nhuge;
	dev_t shm_dir_dev;	/* the POSIX shm directory's file system */
	bool have_shmem_dev, have_shm_dir_dev;
	uint64_t ipc_ns;	/* our IPC namespace inode, 0 if unknown */
	bool want_memfd, want_anon, all_ns;
	dev_t shm_devs[16];	/* other shm directories (all namespaces) */
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
};

/* Scan /proc.  0 or -errno (only if /proc itself cannot be read). */
int procscan(struct scan *s, const struct scan_opts *o);
void scan_free(struct scan *s);

/* Holdings of (kind, dev, ino): index of the first and the count. */
size_t scan_find(const struct scan *s, enum seg_kind kind, dev_t dev,
		 uint64_t ino, size_t *count);
/* SysV holdings of a shmid (on the shmem or a hugetlb device) in an IPC
 * namespace (its ns/ipc inode). */
size_t scan_find_sysv(const struct scan *s, int shmid, uint64_t ipcns,
		      size_t *count);
const struct proc_info *scan_proc(const struct scan *s, pid_t pid);

/* Does a process named postgres run as this user? */
bool scan_postgres_runs(const struct scan *s, uid_t uid);

/*
 * When did PID start, in seconds since the epoch (from PROC_ROOT/PID/stat
 * and the boot time in PROC_ROOT/stat)?  The result is never later than
 * the true start.  -ENOENT if there is no such process.
 */
int proc_start_time(pid_t pid, double *epoch);

/* Say on stderr which processes could not be inspected (if any). */
void scan_report_denied(const struct scan *s);

#endif
