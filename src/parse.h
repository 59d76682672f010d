/* SPDX-License-Identifier: MIT */
/*
 * parse.h - pure parsers: no I/O, no globals, safe to fuzz.
 *
 * Every parser returns 0 on success or a negative errno:
 *   -EINVAL  the text is not of the expected form (empty, sign, garbage)
 *   -ERANGE  well formed but out of range (overflow, too long, zero where
 *            zero is meaningless)
 * On failure *out is left unchanged.
 */
#ifndef SHMTOOL_PARSE_H
#define SHMTOOL_PARSE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "segment.h"

/*
 * A byte count: decimal digits, optionally followed by a unit.
 * K, M, G, T, P, E (either case), KiB..EiB and the same with a trailing
 * "B" only after "i" are powers of 1024; KB, MB, GB, TB, PB, EB are powers
 * of 1000; a lone "B" means bytes.  No sign, no blanks, no fraction.
 * The result must be <= max.
 */
int parse_size(const char *s, uint64_t max, uint64_t *out);

/* Permission bits in octal ("600", "0644"), at most 0777. */
int parse_mode(const char *s, unsigned int *out);

/*
 * A SysV key: "0x" + 1..8 hex digits, or a decimal in
 * [-2147483648, 4294967295] (the kernel prints keys signed).
 * The value is returned as the 32-bit key_t bit pattern.
 */
int parse_key(const char *s, int32_t *out);

/* A SysV shmid: decimal, 0..INT_MAX. */
int parse_shmid(const char *s, int *out);

/*
 * A process ID: decimal, 1..INT_MAX (0 is -ERANGE: no process has it).
 * The kernel's own bound is pid_max (/proc/sys/kernel/pid_max, at most
 * PID_MAX_LIMIT, 2^22, on 64-bit), a run-time setting this parser, which
 * does no I/O, cannot read: above it a PID names no process.  Leading
 * zeros are accepted, as for every decimal here ("007" is 7); /proc's own
 * names never have them.  Also for thread IDs (/proc/PID/task).
 */
int parse_pid(const char *s, pid_t *out);

/* A file descriptor number: decimal, 0..INT_MAX. */
int parse_fd(const char *s, int *out);

/*
 * A numeric user ID: decimal, 0..4294967294; (uid_t)-1 is no user (the
 * "unchanged" of chown(2)): -ERANGE.
 */
int parse_uid(const char *s, uid_t *out);
/* A numeric group ID: the same range, (gid_t)-1 refused alike. */
int parse_gid(const char *s, gid_t *out);

/* The longest USER or GROUP word chown takes (LOGIN_NAME_MAX - 1). */
#define OWNER_WORD_MAX 255

/*
 * chown's OWNER[:GROUP], split into its words (names are not looked up
 * here): "USER", "USER:GROUP", ":GROUP" (the group only), "USER:" (the
 * user's login group, login_group true).  Nothing to change ("" or
 * ":") or a second ':' is -EINVAL; a word longer than OWNER_WORD_MAX is
 * -ERANGE.  An absent word is "".
 */
struct owner_spec {
	char user[OWNER_WORD_MAX + 1];
	char group[OWNER_WORD_MAX + 1];
	bool login_group;
};
int parse_owner_spec(const char *s, struct owner_spec *out);

/*
 * A POSIX segment name as given on the command line: "/name" with one
 * leading slash and no other slash, 1..NAME_MAX bytes after the slash,
 * not "." or "..", and not beginning with "sem." (POSIX semaphores live
 * in the same directory).  out receives the name without the slash.
 * If require_slash is false, a bare "name" is accepted too.
 */
int parse_posix_name(const char *s, bool require_slash,
		     char out[NAME_MAX + 1]);

/* How to read an ambiguous TARGET word. */
enum target_force {
	TARGET_ANY,
	TARGET_FORCE_POSIX,
	TARGET_FORCE_SYSV,
};

enum target_kind {
	TARGET_POSIX,
	TARGET_SYSV_ID,
	TARGET_SYSV_KEY,
	TARGET_PROC,	/* memfd:, anon:, posix: PID:FD or PID:START-END */
	TARGET_FTOK,	/* ftok:PATH[:PROJ]: the key ftok(3) gives */
};

/* The longest TARGET string there is (ftok: with the longest PATH, a
 * ":PROJ"), with its NUL. */
#define TARGET_STR_MAX (PATH_MAX + 16)

struct target {
	enum target_kind kind;
	int shmid;
	int32_t key;
	char name[NAME_MAX + 1];	/* POSIX, without the slash */
	bool sem;			/* sem:/NAME: name is "sem.NAME" */
	/* POSIX, when the word held \xHH escapes and is a valid name as
	 * written too: that reading (name is the unescaped one) */
	bool has_literal;
	char literal[NAME_MAX + 1];
	/* TARGET_PROC: reached through a holder, of this kind: SEG_MEMFD
	 * (memfd:), SEG_ANON (anon:, never an fd) or SEG_POSIX (posix:, a
	 * POSIX segment, deleted or not) */
	enum seg_kind via;
	int pid;
	int fd;			/* -1: through map_files START-END */
	uint64_t start, end;
	/* TARGET_FTOK: the path (shorter than PATH_MAX) and project id */
	char path[PATH_MAX];
	int proj;
};

/*
 * TARGET (ARCHITECTURE.md, Targets):
 *   /name        POSIX segment; \xHH in it is the byte HH, as shmtool
 *                prints names (has_literal: the word as written is a
 *                valid name too)
 *   123          SysV shmid
 *   0x1234       SysV key
 *   id:123, key:0x1234, key:-5   explicit
 *   ftok:PATH[:PROJ]   the SysV key ftok(3) gives (parse_ftok_spec; a
 *                PATH with a ':' needs its :PROJ)
 *   sem:/NAME    a POSIX named semaphore (its file sem.NAME; the slash
 *                may be left out), a POSIX target
 *   with TARGET_FORCE_POSIX, "name" means "/name";
 *   with TARGET_FORCE_SYSV, a decimal is a shmid and 0x a key;
 *   memfd:PID:FD, memfd:PID:START-END, anon:PID:START-END,
 *   posix:PID:FD, posix:PID:START-END (hex addresses, as maps prints
 *   them) reach memory through a holder; posix: is also a POSIX target
 *   under TARGET_FORCE_POSIX.
 * Key 0 is IPC_PRIVATE and names no single segment: -EINVAL.
 * On failure *why (if non-NULL) points to a static explanation.
 */
int parse_target(const char *s, enum target_force force, struct target *t,
		 const char **why);

/* "PATH" or "PATH:PROJ", PROJ 1..255 (decimal or 0x), default 1.  The
 * last ':' starts PROJ, so a PATH with a ':' needs its PROJ. */
int parse_ftok_spec(const char *s, char *path, size_t pathlen, int *proj);

/* A duration: digits and a unit s, m, h, d or w ("30s", "2h"); seconds. */
int parse_duration(const char *s, uint64_t *secs);

/* Is this shm-directory entry name a POSIX semaphore ("sem.*")? */
bool is_semaphore_name(const char *name);

#endif
