// SPDX-License-Identifier: MIT
/*
 * cmd_rm.c - shmtool rm: remove segments by TARGET, like ipcrm and
 * shm_unlink (the name goes now, the memory at the last detach); or, with
 * --unused, the leaked ones, safely (DESIGN §7).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "commands.h"
#include "inventory.h"
#include "parse.h"
#include "target.h"
#include "util.h"

enum { OPT_POSIX = 256, OPT_SYSV, OPT_UNUSED, OPT_USER, OPT_OLDER,
       OPT_DRY_RUN };

struct rm_opts {
	enum target_force force_kind;
	bool verbose, unused, dry_run, force;
	bool sysv, posix;
	bool by_user;
	uid_t user;
	bool by_age;
	uint64_t older_than;
};

static int rm_one(const char *arg, const struct rm_opts *o)
{
	char tname[NAME_ESC_MAX + 2];
	struct segment seg;
	int rc = target_resolve(arg, o->force_kind, &seg);

	if (rc != EXIT_OK)
		return rc;
	segment_target(&seg, tname, sizeof(tname));
	if (!backend_for(seg.kind)->remove) {
		msg("%s: a %s has no name to remove: it lives until its last "
		    "holder closes or unmaps it", tname, kind_name(seg.kind));
		return EXIT_FAIL;
	}
	rc = backend_for(seg.kind)->remove(&seg);
	if (rc < 0) {
		msg("%s: %s", tname, segment_strerror(seg.kind, rc));
		return EXIT_FAIL;
	}
	if (o->verbose)
		printf("removed %s\n", tname);
	if (seg.kind == SEG_SYSV && seg.nattch > 0)
		msg("%s: still attached (%lu mapping%s); memory is freed at "
		    "the last detach", tname, seg.nattch,
		    seg.nattch == 1 ? "" : "s");
	return EXIT_OK;
}

/* ---- rm --unused ----------------------------------------------------- */

/* When was the segment last used or changed? */
static time_t last_activity(const struct segment *s)
{
	time_t t = s->ctime;

	if (s->kind == SEG_SYSV) {
		if (s->atime > t)
			t = s->atime;
		if (s->dtime > t)
			t = s->dtime;
	} else if (s->mtime > t) {
		t = s->mtime;
	}
	return t;
}

/*
 * Could we remove it?  Root can; others only their own (SysV: owner or
 * creator; POSIX: the owner, the shm directory being sticky).  What is
 * not ours is not a candidate: trying would only fail with EPERM.
 */
static bool may_remove(const struct segment *s)
{
	uid_t me = geteuid();

	if (me == 0)
		return true;
	if (s->kind == SEG_SYSV)
		return s->uid == me || s->cuid == me;
	return s->uid == me;
}

static bool is_postgres_name(const struct segment *s)
{
	return s->kind == SEG_POSIX &&
	       strncmp(s->name, "PostgreSQL.", 11) == 0;
}

/*
 * Test hook (SHMTOOL_TEST_RM_HOOK=DIR): after the scan, create DIR/scanned
 * and wait (at most a minute) for DIR/go, so a test can change the world
 * between the scan and the re-check.
 */
static void test_hook(void)
{
	const char *dir = getenv("SHMTOOL_TEST_RM_HOOK");
	char path[4096];
	int fd, i;

	if (!dir || !*dir)
		return;
	snprintf(path, sizeof(path), "%s/scanned", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "%s/go", dir);
	for (i = 0; i < 6000 && access(path, F_OK) != 0; i++)
		usleep(10000);
}

/* Is the SysV candidate still the same segment, and still unattached? */
static bool sysv_still_free(const struct segment *c, const char **why)
{
	struct segment now;

	if (sysv_backend.lookup_id(c->shmid, &now) < 0) {
		*why = "gone";
		return false;
	}
	if (now.key != c->key || now.cpid != c->cpid ||
	    now.ctime != c->ctime) {
		*why = "changed";
		return false;
	}
	if (now.nattch != 0) {
		*why = "attached meanwhile";
		return false;
	}
	return true;
}

/* Is the POSIX candidate still the same file, and still held by nobody? */
static bool posix_still_free(const struct segment *c, const struct scan *s,
			     bool force, const char **why)
{
	struct segment now;
	size_t n;

	if (posix_backend.lookup_name(c->name, &now) < 0) {
		*why = "gone";
		return false;
	}
	if (now.dev != c->dev || now.ino != c->ino) {
		*why = "replaced";
		return false;
	}
	scan_find(s, SEG_POSIX, c->dev, c->ino, &n);
	if (n) {
		*why = "mapped or opened meanwhile";
		return false;
	}
	if (s->ndenied && !force) {
		*why = "some process could not be inspected";
		return false;
	}
	if (strncmp(c->name, "PostgreSQL.", 11) == 0 &&
	    scan_postgres_runs(s, c->uid)) {
		*why = "a postgres server of its owner is running";
		return false;
	}
	return true;
}

static int rm_unused(const struct rm_opts *o)
{
	struct inventory inv;
	struct scan again;
	struct segment **cand = NULL;
	const char *what = "";
	size_t i, ncand = 0, nunverified = 0, npg = 0, nremoved = 0;
	size_t nchanged = 0, nothers = 0;
	uint64_t size_total = 0, rss_total = 0;
	time_t now = time(NULL);
	bool posix_cand = false, rescanned = false;
	int rc, status = EXIT_OK;
	char buf[64];

	{
		struct inv_opts io = { .sysv = o->sysv, .posix = o->posix,
				       .scan = true, .scan_required = true };

		rc = inventory_load(&inv, &io, &what);
	}
	if (rc < 0) {
		msg_errno(-rc, "%s", what);
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	scan_report_denied(&inv.scan);
	cand = calloc(inv.segs.n + 1, sizeof(*cand));
	if (!cand) {
		msg_errno(ENOMEM, "candidates");
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	for (i = 0; i < inv.segs.n; i++) {
		struct segment *s = &inv.segs.v[i];

		if (s->status & SEG_ST_DELETED)
			continue;	/* its name is gone already */
		if (o->by_user && s->uid != o->user)
			continue;
		if (o->by_age && now - last_activity(s) < (time_t)o->older_than)
			continue;
		if (!may_remove(s)) {
			if (s->status & (SEG_ST_UNUSED | SEG_ST_ORPHAN |
					 SEG_ST_UNVERIFIED))
				nothers++;
			continue;
		}
		if (s->status & (SEG_ST_UNUSED | SEG_ST_ORPHAN)) {
			cand[ncand++] = s;
		} else if (s->status & SEG_ST_UNVERIFIED) {
			if (o->force)
				cand[ncand++] = s;
			else
				nunverified++;
		} else if (is_postgres_name(s) && s->hcount == 0) {
			npg++;
		}
	}

	if (o->dry_run) {
		for (i = 0; i < ncand; i++) {
			char t[NAME_ESC_MAX + 2];

			segment_target(cand[i], t, sizeof(t));
			printf("%s\t%llu\n", t,
			       (unsigned long long)cand[i]->size);
			size_total += cand[i]->size;
			rss_total += cand[i]->rss + cand[i]->swap;
		}
		size_human(size_total, buf, sizeof(buf));
		msg("would remove %zu segment%s (%s)", ncand,
		    ncand == 1 ? "" : "s", buf);
		goto summary_skips;
	}

	test_hook();
	for (i = 0; i < ncand; i++)
		posix_cand |= cand[i]->kind == SEG_POSIX;
	if (posix_cand) {
		/* One more pass over /proc: who holds them now? */
		rc = procscan(&again, NULL);
		if (rc < 0) {
			msg_errno(-rc, "scanning processes again");
			status = EXIT_FAIL;
			goto out;
		}
		rescanned = true;
	}
	for (i = 0; i < ncand; i++) {
		struct segment *s = cand[i];
		const char *why = NULL;
		char t[NAME_ESC_MAX + 2];
		bool ok;

		segment_target(s, t, sizeof(t));
		if (s->kind == SEG_SYSV)
			ok = sysv_still_free(s, &why);
		else
			ok = posix_still_free(s, &again, o->force, &why);
		if (!ok) {
			msg("%s: left alone: %s since the scan", t, why);
			nchanged++;
			continue;
		}
		rc = backend_for(s->kind)->remove(s);
		if (rc == -ENOENT || rc == -ESTALE || rc == -EIDRM) {
			msg("%s: left alone: %s", t,
			    segment_strerror(s->kind, rc));
			nchanged++;
			continue;
		}
		if (rc < 0) {
			msg("%s: %s", t, segment_strerror(s->kind, rc));
			status = EXIT_FAIL;
			continue;
		}
		if (o->verbose)
			printf("removed %s\n", t);
		nremoved++;
		size_total += s->size;
		rss_total += s->rss + s->swap;
	}
	size_human(size_total, buf, sizeof(buf));
	{
		char rbuf[64];

		size_human(rss_total, rbuf, sizeof(rbuf));
		msg("removed %zu segment%s (%s; %s of memory freed)",
		    nremoved, nremoved == 1 ? "" : "s", buf, rbuf);
	}
	if (nchanged)
		msg("skipped %zu that changed since the scan", nchanged);
summary_skips:
	if (nothers)
		msg("skipped %zu unused segment%s of other users (not yours "
		    "to remove)", nothers, nothers == 1 ? "" : "s");
	if (nunverified)
		msg("skipped %zu POSIX segment%s that no inspected process "
		    "holds, because some processes could not be inspected "
		    "(use --force to remove them anyway)", nunverified,
		    nunverified == 1 ? "" : "s");
	if (npg)
		msg("skipped %zu PostgreSQL segment%s: a postgres server of "
		    "the same owner is running", npg, npg == 1 ? "" : "s");
out:
	if (rescanned)
		scan_free(&again);
	free(cand);
	inventory_free(&inv);
	return status;
}

const struct option cmd_rm_options[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "posix", no_argument, NULL, OPT_POSIX },
	{ "sysv", no_argument, NULL, OPT_SYSV },
	{ "unused", no_argument, NULL, OPT_UNUSED },
	{ "user", required_argument, NULL, OPT_USER },
	{ "older-than", required_argument, NULL, OPT_OLDER },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_rm(int argc, char **argv)
{
	struct rm_opts o = { .force_kind = TARGET_ANY };
	int c, i, rc, status = EXIT_OK;
	struct target t;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vfh", cmd_rm_options, NULL)) != -1) {
		switch (c) {
		case 'v':
			o.verbose = true;
			break;
		case OPT_POSIX:
		case OPT_SYSV:
			rc = target_force_set(&o.force_kind, c == OPT_POSIX);
			if (rc != EXIT_OK)
				return rc;
			break;
		case OPT_UNUSED:
			o.unused = true;
			break;
		case OPT_USER:
			if (user_id(optarg, &o.user) < 0)
				return usage_error("unknown user '%s'", optarg);
			o.by_user = true;
			break;
		case OPT_OLDER:
			if (parse_duration(optarg, &o.older_than) < 0)
				return usage_error("invalid duration '%s': "
						   "expected a number and s, m, "
						   "h, d or w (30s, 10m, 2h, 7d)",
						   optarg);
			o.by_age = true;
			break;
		case OPT_DRY_RUN:
			o.dry_run = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'h':
			return command_help("rm");
		default:
			return option_error(c, optopt, argv, optind);
		}
	}
	if (o.unused) {
		if (optind < argc)
			return usage_error("--unused takes no TARGET");
		o.sysv = o.force_kind != TARGET_FORCE_POSIX;
		o.posix = o.force_kind != TARGET_FORCE_SYSV;
		return rm_unused(&o);
	}
	if (o.dry_run || o.force || o.by_user || o.by_age)
		return usage_error("--dry-run, --force, --user and --older-than "
				   "go with --unused");
	if (optind >= argc)
		return usage_error("missing TARGET (or --unused)");
	/* A malformed TARGET anywhere is a usage error before any removal. */
	for (i = optind; i < argc; i++) {
		rc = target_parse_arg(argv[i], o.force_kind, &t);
		if (rc != EXIT_OK)
			return rc;
	}
	for (i = optind; i < argc; i++) {
		rc = rm_one(argv[i], &o);
		if (rc != EXIT_OK)
			status = EXIT_FAIL;
	}
	return status;
}
