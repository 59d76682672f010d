/* SPDX-License-Identifier: MIT */
/*
 * procfmt.h - pure parsers of /proc's line formats (procfmt.c).  Every
 * parser returns 0 or a negative errno, as in parse.h.
 */
#ifndef SHMTOOL_PROCFMT_H
#define SHMTOOL_PROCFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "segment.h"

/*
 * One data line of /proc/sysvipc/shm:
 *   key shmid perms size cpid lpid nattch uid gid cuid cgid
 *   atime dtime ctime [rss swap]
 * key is signed decimal, perms octal (with SHM_DEST/SHM_LOCKED bits).
 * Fills a SysV struct segment (status gets DEST/LOCKED).  The header line
 * and malformed lines give -EINVAL.  len bytes of line are read; the line
 * need not be NUL-terminated and may end in '\n'.
 */
int parse_sysvipc_line(const char *line, size_t len, struct segment *out);

/* One line of /proc/PID/maps. */
#define MAPS_R		0x1
#define MAPS_W		0x2
#define MAPS_X		0x4
#define MAPS_SHARED	0x8

struct maps_entry {
	uint64_t start, end, offset;
	unsigned int flags;		/* MAPS_* */
	unsigned int dev_major, dev_minor;
	uint64_t ino;
	const char *path;		/* into the line; not NUL-terminated */
	size_t pathlen;			/* without " (deleted)" */
	bool deleted;			/* the path ended in " (deleted)" */
};

/*
 * "start-end perms offset maj:min inode [path]" (hex, hex, rwxs/p, hex,
 * hex:hex, decimal).  len bytes of line, without its newline.  The path
 * keeps the kernel's escaping (only newline, as \012).
 */
int parse_maps_line(const char *line, size_t len, struct maps_entry *e);

/*
 * "/SYSV%08x": a System V mapping's name; *key gets the key.
 * false for anything else (memfd, /dev/zero, files).
 */
bool parse_sysv_map_name(const char *path, size_t len, int32_t *key);

/* Unescape the kernel's \012 (and only that) in a maps path into out. */
void maps_unescape(const char *path, size_t len, char *out, size_t outlen);

/*
 * /proc/PID/stat.  The command (field 2) may hold blanks and parentheses:
 * it runs from the first '(' to the last ')', and fields are counted after
 * that.  Of the rest: the state (3), the parent (4), the flags (9), the
 * number of threads (20) and the start time in clock ticks after boot (22).
 */
struct pid_stat {
	char comm[64];		/* raw bytes, NUL-terminated (cut at 63) */
	char state;		/* R S D Z X T t I ... */
	int ppid;
	uint64_t flags;		/* PF_*: PF_KTHREAD 0x00200000 */
	uint64_t num_threads;
	uint64_t starttime;
};
#define PID_STAT_PF_KTHREAD 0x00200000u
int parse_pid_stat(const char *buf, size_t len, struct pid_stat *out);
/* Only field 22, the start time. */
int parse_pid_stat_starttime(const char *buf, size_t len, uint64_t *ticks);

/* /proc/stat: the "btime SECONDS" line (boot time, since the epoch). */
int parse_proc_stat_btime(const char *buf, size_t len, uint64_t *btime);

/* A number file of /proc/sys ("18446744073692774399\n"): decimal digits,
 * one optional newline. */
int parse_proc_number(const char *buf, size_t len, uint64_t *out);

#endif
