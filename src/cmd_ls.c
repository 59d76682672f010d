// SPDX-License-Identifier: MIT
/*
 * cmd_ls.c - shmtool ls: segments of both kinds in one table, with the
 * processes that map or hold them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "inventory.h"
#include "shmlimits.h"
#include "output.h"
#include "parse.h"
#include "summary.h"
#include "target.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_USER = OPT_CMD_FIRST,
       OPT_UNUSED, OPT_ORPHANS, OPT_SUMMARY, OPT_BY, OPT_MEMFD, OPT_ANON, OPT_ALLNS,
       OPT_LIMITS, OPT_SEM, OPT_NAME };

static const int default_cols[] = {
	COL_SEGMENT, COL_KIND, COL_KEY, COL_OWNER, COL_PERMS, COL_SIZE,
	COL_RSS, COL_NATTCH, COL_PROCS, COL_PIDS, COL_COMMANDS, COL_STATUS,
};

/* Columns whose values come from the /proc scan. */
static bool needs_scan(int col)
{
	return col == COL_PROCS || col == COL_PIDS || col == COL_COMMANDS ||
	       col == COL_STATUS || col == COL_CCOMM || col == COL_LCOMM;
}

static const struct cmd_option opts[] = {
	{ "sysv", 0, NULL, OPT_SYSV, "System V segments only" },
	{ "posix", 0, NULL, OPT_POSIX, "POSIX segments only" },
	{ "user", 0, "USER", OPT_USER, "segments owned by USER (name or uid)" },
	{ "unused", 0, NULL, OPT_UNUSED,
	  "segments nobody was seen to map or hold" },
	{ "orphans", 0, NULL, OPT_ORPHANS,
	  "SysV segments unused and whose creator is gone" },
	{ "summary", 0, NULL, OPT_SUMMARY,
	  "where the memory went: the shm directory's use\n"
	  "(statvfs) by named, deleted, semaphore,\n"
	  "not-segment and unexplained; SysV against its\n"
	  "limits; memfd and shared anonymous totals; what\n"
	  "rm --unused could reclaim" },
	{ "limits", 0, NULL, OPT_LIMITS,
	  "every shared memory limit with its use: SHMMNI,\n"
	  "SHMALL (pages, bytes), SHMMAX, SHMMIN, the shm\n"
	  "directory's bytes and inodes (like lsipc -g -m)" },
	{ "by", 0, "user|process", OPT_BY,
	  "--summary grouped by owner or holding process" },
	{ "sem", 0, NULL, OPT_SEM,
	  "add POSIX named semaphores (KIND sem, SEGMENT\n"
	  "sem:/NAME; columns VALUE and WAITERS)" },
	{ "name", 0, "GLOB", OPT_NAME,
	  "segments whose name matches GLOB (fnmatch(3)):\n"
	  "NAME (POSIX and semaphores: no slash), a memfd's\n"
	  "name, SysV the KEY as printed (0x0000abcd)" },
	{ "memfd", 0, NULL, OPT_MEMFD, "add memfd_create(2) objects (KIND memfd)" },
	{ "anon", 0, NULL, OPT_ANON,
	  "add MAP_SHARED anonymous memory shared by two or\n"
	  "more processes (KIND anon)" },
	{ "all-namespaces", 0, NULL, OPT_ALLNS,
	  "SysV segments of every IPC namespace and POSIX ones\n"
	  "of every shm directory (columns IPCNS, MNTNS, NSHINT)" },
	CMD_OUTPUT_OPTIONS("segments"),
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_ls_command = {
	"ls", cmd_ls, "list segments of both kinds, with who holds them",
	"ls [--sysv|--posix] [--sem] [-o COLS] [-J|-r|-P|-y] [-n] [-b] [--sort COL]\n"
	"   [--reverse] [--time-format FMT] [--list-columns] [--user USER]\n"
	"   [--name GLOB] [--unused] [--orphans] [--memfd] [--anon]\n"
	"   [--all-namespaces] [TARGET...]\n"
	"ls --summary [--by user|process] [-J|-r|-P|-y] [-n] [-b]\n"
	"ls --limits [-J|-r|-P|-y] [-n] [-b]",
	opts,
	"With TARGETs, only those segments (and the filters still apply); a\n"
	"TARGET that names no segment is said on stderr and makes the exit\n"
	"status 1, after the others are listed.\n",
};
/* clang-format on */

/* What ls was asked: its options, checked. */
struct ls_args {
	struct outopts o;
	bool want_sysv, want_posix;
	bool by_user, unused, orphans, summary;
	enum summary_by by;
	bool memfd, anon, all_ns, limits, sem;
	const char *name_glob;		/* --name, or NULL */
	uid_t user;
	enum target_force force;	/* how TARGETs read (one kind given) */
	char **targets;			/* the TARGETs, or none */
	size_t ntargets;
};

/*
 * Columns an option brings (IPCNS, MNTNS, NSHINT with --all-namespaces:
 * rows of different namespaces can read the same; VALUE, WAITERS with
 * --sem) go at column at, after the default ones, unless -o COLS chose
 * the columns (-o +COLS keeps the default, and gets them too).  Returns
 * where the next ones go.
 */
static size_t add_columns(struct outopts *o, size_t at, const int *cols,
			  size_t n)
{
	size_t ndef = sizeof(default_cols) / sizeof(default_cols[0]), i, j;

	if (o->ncols < ndef ||
	    memcmp(o->cols, default_cols, sizeof(default_cols)) != 0)
		return at;
	for (i = 0; i < n; i++) {
		for (j = 0; j < o->ncols && o->cols[j] != cols[i]; j++)
			;
		if (j < o->ncols ||
		    o->ncols == sizeof(o->cols) / sizeof(o->cols[0]))
			continue;	/* there already (or no room) */
		memmove(o->cols + at + 1, o->cols + at,
			(o->ncols - at) * sizeof(o->cols[0]));
		o->cols[at++] = cols[i];
		o->ncols++;
	}
	return at;
}

/* EXIT_OK: run it; PARSE_DONE: answered (--list-columns, --help); else
 * a usage error. */
static int ls_parse(int argc, char **argv, struct ls_args *a)
{
	bool kind_given = false, cols_given = false;
	int c, rc;

	*a = (struct ls_args){ .o = { .sort_col = -1 }, .want_sysv = true,
			       .want_posix = true, .by = BY_NONE };
	memcpy(a->o.cols, default_cols, sizeof(default_cols));
	a->o.ncols = sizeof(default_cols) / sizeof(default_cols[0]);

	while ((c = command_getopt(&cmd_ls_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_SYSV:
		case OPT_POSIX:
			/* One kind, as create and rm take it (both is what
			 * ls lists without either). */
			if (kind_given) {
				rc = options_exclusive(
					"--posix", c == OPT_POSIX || a->want_posix,
					"--sysv", c == OPT_SYSV || a->want_sysv);
				if (rc != EXIT_OK)
					return rc;
			}
			kind_given = true;
			a->want_sysv = c == OPT_SYSV;
			a->want_posix = c == OPT_POSIX;
			break;
		case OPT_LIST_COLUMNS:
			output_list_columns(stdout);
			return PARSE_DONE;
		case OPT_USER:
			if (user_id(optarg, &a->user) < 0)
				return usage_error("unknown user '%s'", optarg);
			a->by_user = true;
			break;
		case OPT_UNUSED:
			a->unused = true;
			break;
		case OPT_ORPHANS:
			a->orphans = true;
			break;
		case OPT_SUMMARY:
			a->summary = true;
			break;
		case OPT_MEMFD:
			a->memfd = true;
			break;
		case OPT_ANON:
			a->anon = true;
			break;
		case OPT_ALLNS:
			a->all_ns = true;
			break;
		case OPT_LIMITS:
			a->limits = true;
			break;
		case OPT_SEM:
			a->sem = true;
			break;
		case OPT_NAME:
			a->name_glob = optarg;
			break;
		case OPT_BY:
			if (strcmp(optarg, "user") == 0)
				a->by = BY_USER;
			else if (strcmp(optarg, "process") == 0)
				a->by = BY_PROCESS;
			else
				return usage_error("invalid --by '%s': user or "
						   "process", optarg);
			break;
		default:
			cols_given |= c == 'o';
			rc = command_output_option(&cmd_ls_command, c, argv, &a->o,
						   coldefs, NCOLS);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	rc = command_output_check(&a->o);
	if (rc != EXIT_OK)
		return rc;
	if (a->limits && a->summary)
		return usage_error("--limits and --summary exclude each other");
	if (a->limits && (kind_given || a->unused || a->orphans || a->by_user ||
			  a->memfd || a->anon || a->all_ns || a->sem ||
			  a->name_glob || optind < argc))
		return usage_error("--limits takes no filter nor TARGET (the "
				   "limits are the namespace's)");
	if (a->limits && (cols_given || a->o.sort_col >= 0 || a->o.reverse))
		return usage_error("--limits has its own columns: no -o, "
				   "--sort or --reverse");
	/* Semaphores are POSIX files. */
	rc = options_exclusive("--sem", a->sem, "--sysv",
			       kind_given && a->want_sysv);
	if (rc != EXIT_OK)
		return rc;
	/* One kind asked: an ambiguous TARGET is read as that kind. */
	a->force = TARGET_ANY;
	if (kind_given && a->want_sysv != a->want_posix)
		a->force = a->want_posix ? TARGET_FORCE_POSIX
					 : TARGET_FORCE_SYSV;
	if (optind < argc && (a->summary || a->all_ns))
		return usage_error("TARGETs and %s exclude each other",
				   a->summary ? "--summary" : "--all-namespaces");
	a->targets = argv + optind;
	a->ntargets = (size_t)(argc - optind);
	for (size_t i = 0; i < a->ntargets; i++) {
		rc = target_parse_arg(a->targets[i], a->force,
				      &(struct target){ 0 });
		if (rc != EXIT_OK)
			return rc;
	}
	if (a->by != BY_NONE && !a->summary)
		return usage_error("--by goes with --summary");
	if (a->summary && (kind_given || a->unused || a->orphans ||
			   a->by_user || a->name_glob || a->sem))
		return usage_error("--summary takes no filter (it shows "
				   "every area, semaphores too; --by groups it)");
	if (a->summary && (cols_given || a->o.sort_col >= 0 || a->o.reverse))
		return usage_error("--summary has its own columns: no -o, "
				   "--sort or --reverse");
	{
		static const int ns_cols[] = { COL_IPCNS, COL_MNTNS,
					       COL_NSHINT };
		static const int sem_cols[] = { COL_VALUE, COL_WAITERS };
		size_t at = sizeof(default_cols) / sizeof(default_cols[0]);

		if (a->all_ns && !a->summary)
			at = add_columns(&a->o, at, ns_cols, 3);
		if (a->sem)
			add_columns(&a->o, at, sem_cols, 2);
	}
	return EXIT_OK;
}

/* Is this row one ls was asked to show? */
static bool ls_shows(const struct ls_args *a, const struct segment *s)
{
	if (a->by_user && (s->nostat || s->uid != a->user))
		return false;
	if (a->unused && s->disp == DISP_NONE)
		return false;
	if (a->orphans && !(s->status & SEG_ST_ORPHAN))
		return false;
	if (a->name_glob && !segment_name_matches(s, a->name_glob))
		return false;
	return true;
}

/*
 * ls TARGET...: each TARGET resolved (an unknown one said now: *status
 * becomes EXIT_FAIL) into segs[i], valid[i] saying which were found.
 * memfd and anon TARGETs need their kind listed: *memfd, *anon.
 */
static int resolve_targets(const struct ls_args *a, struct segment *segs,
			   bool *valid, bool *memfd, bool *anon, bool *sem)
{
	int status = EXIT_OK;
	size_t i;

	for (i = 0; i < a->ntargets; i++) {
		valid[i] = target_resolve(a->targets[i], a->force, &segs[i]) ==
			   EXIT_OK;
		if (!valid[i]) {
			status = EXIT_FAIL;
			continue;
		}
		*memfd |= segs[i].kind == SEG_MEMFD;
		*anon |= segs[i].kind == SEG_ANON;
		*sem |= segs[i].sem;
	}
	return status;
}

/* The row of the inventory a resolved TARGET is, judged as ls judges
 * every row; memfd/anon memory (or a segment that came since the
 * lookup) judged on its own. */
static const struct segment *target_row(struct inventory *inv,
					struct segment *seg)
{
	const struct segment *s = NULL;

	if (seg->kind == SEG_SYSV)
		s = inventory_find_sysv(inv, seg->shmid);
	else if (seg->kind == SEG_POSIX)
		s = inventory_find_posix(inv, seg->dev, seg->ino);
	if (s)
		return s;
	inventory_judge_extra(inv, seg);
	return seg;
}

/* Is this row one ls was asked to show (the kinds as filters too, for
 * TARGETs)? */
static bool ls_shows_target(const struct ls_args *a, const struct segment *s)
{
	if ((s->kind == SEG_SYSV && !a->want_sysv) ||
	    (s->kind == SEG_POSIX && !a->want_posix))
		return false;
	return ls_shows(a, s);
}

/* The rows shown, by reference (the inventory or segs keeps them): in
 * the order of the TARGETs, each once, or every row. */
static size_t ls_rows(const struct ls_args *a, struct inventory *inv,
		      struct segment *segs, const bool *valid,
		      const struct segment **shown)
{
	size_t i, j, n = 0;

	if (!a->ntargets) {
		for (i = 0; i < inv->segs.n; i++)
			if (ls_shows(a, &inv->segs.v[i]))
				shown[n++] = &inv->segs.v[i];
		return n;
	}
	for (i = 0; i < a->ntargets; i++) {
		const struct segment *s;

		if (!valid[i])
			continue;
		s = target_row(inv, &segs[i]);
		for (j = 0; j < n && shown[j] != s; j++)
			;
		if (j == n && ls_shows_target(a, s))
			shown[n++] = s;
	}
	return n;
}

static int ls_run(const struct ls_args *a)
{
	struct inventory inv;
	const struct segment **shown = NULL;
	struct segment *segs = NULL;
	bool *valid = NULL, memfd = a->memfd, anon = a->anon, sem = a->sem;
	size_t i, n = 0;
	bool scan, sem_values;
	const char *what = "";
	int rc, status = EXIT_OK;

	/* Scan /proc only when something shown or filtered needs it. */
	scan = a->unused || a->orphans || a->summary ||
	       (a->o.sort_col >= 0 && needs_scan(a->o.sort_col));
	for (i = 0; i < a->o.ncols && !scan && !a->limits; i++)
		scan = needs_scan(a->o.cols[i]);
	/* A semaphore's value is read (open, fstat, pread, close) only
	 * when shown or sorted by. */
	sem_values = a->summary || a->o.sort_col == COL_VALUE ||
		     a->o.sort_col == COL_WAITERS;
	for (i = 0; i < a->o.ncols && !sem_values; i++)
		sem_values = a->o.cols[i] == COL_VALUE ||
			     a->o.cols[i] == COL_WAITERS;

	if (a->ntargets) {
		segs = calloc(a->ntargets, sizeof(*segs));
		valid = calloc(a->ntargets, sizeof(*valid));
		if (!segs || !valid) {
			msg_errno(ENOMEM, "listing");
			status = EXIT_FAIL;
			goto out;
		}
		status = resolve_targets(a, segs, valid, &memfd, &anon, &sem);
	}
	{
		struct inv_opts io = { .sysv = a->want_sysv || a->limits,
				       .posix = a->want_posix && !a->limits,
				       .sem = sem,
				       .no_sem_values = !sem_values,
				       .scan = scan,
				       .memfd = memfd || a->summary,
				       .anon = anon || a->summary,
				       .all_ns = a->all_ns };

		rc = inventory_load(&inv, &io, &what);
	}
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		status = EXIT_FAIL;
		goto out_inv;
	}
	inventory_report(&inv);

	if (a->summary) {
		rc = summary_output(&inv, &a->o, a->by);
	} else if (a->limits) {
		rc = limits_output(&inv, &a->o);
	} else {
		size_t max = inv.segs.n + a->ntargets;

		if (max) {
			shown = malloc(max * sizeof(*shown));
			if (!shown) {
				msg_errno(ENOMEM, "listing");
				status = EXIT_FAIL;
				goto out_inv;
			}
		}
		n = ls_rows(a, &inv, segs, valid, shown);
		rc = output_segments(stdout, shown, n, &a->o, "segments");
	}
	if (output_result(rc) != EXIT_OK)
		status = EXIT_FAIL;
out_inv:
	free(shown);
	inventory_free(&inv);
out:
	free(segs);
	free(valid);
	return status;
}

int cmd_ls(int argc, char **argv)
{
	struct ls_args a;
	int rc = ls_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, ls_run(&a));
}
