// SPDX-License-Identifier: MIT
/*
 * cmd_rm.c - shmtool rm: remove segments by TARGET, like ipcrm and
 * shm_unlink (the name goes now, the memory at the last detach); or, with
 * --unused, the leaked ones, safely (ARCHITECTURE.md, Verdicts).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
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
#include "paths.h"
#include "target.h"
#include "msg.h"
#include "text.h"
#include "util.h"

enum { OPT_UNUSED = OPT_CMD_FIRST, OPT_USER, OPT_OLDER, OPT_SEM, OPT_NAME,
       OPT_DRY_RUN };

struct rm_opts {
	enum target_force force_kind;
	bool verbose, unused, dry_run, force;
	bool sysv, posix, sem;
	const char *name_glob;	/* --name, or NULL */
	bool by_user;
	uid_t user;
	bool by_age;
	uint64_t older_than;
	char **targets;		/* rm TARGET...: the words, parsed once */
	int ntargets;
};

/* POSIX segments rm TARGET removed: (dev, ino) and the TARGET shown, to
 * say afterwards which some process still holds. */
struct removed_posix {
	dev_t dev;
	uint64_t ino;
	char tname[NAME_ESC_MAX + 2];
};

static int rm_one(const char *arg, const struct rm_opts *o,
		  struct removed_posix *gone)
{
	char tname[NAME_ESC_MAX + 2];
	struct segment seg;
	int rc = target_resolve(arg, o->force_kind, &seg);

	if (rc != EXIT_OK)
		return rc;
	segment_target(&seg, tname, sizeof(tname));
	if (seg.kind == SEG_POSIX && (seg.status & SEG_ST_DELETED)) {
		msg("%s: nothing to remove: its name was removed already "
		    "(deleted); the memory is freed when its last holder "
		    "closes or unmaps it", tname);
		return EXIT_FAIL;
	}
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
	if (seg.kind == SEG_POSIX && gone) {
		gone->dev = seg.dev;
		gone->ino = seg.ino;
		memcpy(gone->tname, tname, sizeof(gone->tname));
	}
	return EXIT_OK;
}

/*
 * The POSIX counterpart of "still attached": removed names whose file a
 * process still maps or holds open (one scan for all of them; nothing is
 * said when it cannot be made).
 */
static void say_still_held(const struct removed_posix *gone, size_t n)
{
	static const struct inv_opts io = { .posix = true, .sem = true,
					    .scan = true,
					    .holders_only = true };
	struct inventory inv;
	const char *what = "";
	size_t i;

	if (!n || inventory_load(&inv, &io, &what) < 0) {
		if (n)
			inventory_free(&inv);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct segment *s =
			inventory_find_posix(&inv, gone[i].dev, gone[i].ino);
		size_t procs = 0, k, j;

		if (!s || !s->scan)
			continue;
		for (k = 0; k < s->hcount; k++) {
			pid_t pid = segment_holder(&inv, s, k)->h->pid;

			for (j = 0; j < k &&
				    segment_holder(&inv, s, j)->h->pid != pid;
			     j++)
				;
			procs += j == k;
		}
		if (procs)
			msg("%s: still held (%zu process%s); memory is freed "
			    "when the last closes or unmaps it", gone[i].tname,
			    procs, procs == 1 ? "" : "es");
	}
	inventory_free(&inv);
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

/* "45s", "12m5s", "3h12m", "2d4h": how long a segment has been idle. */
static void idle_human(time_t secs, char *buf, size_t len)
{
	static const struct {
		time_t unit;
		char c;
	} u[] = { { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	size_t i;

	if (secs < 0)
		secs = 0;
	for (i = 0; i < 3 && secs < u[i].unit; i++)
		;
	if (i == 3)
		snprintf(buf, len, "%llds", (long long)secs);
	else
		snprintf(buf, len, "%lld%c%lld%c", (long long)(secs / u[i].unit),
			 u[i].c, (long long)(secs % u[i].unit / u[i + 1].unit),
			 u[i + 1].c);
}

/*
 * Could we remove it?  Root can; others only their own (SysV: owner or
 * creator; POSIX: the owner, the shm directory being sticky).  What is
 * not ours is not a candidate: trying would only fail with EPERM.
 */
static bool may_remove(const struct segment *s)
{
	static uid_t me = (uid_t)-1;

	if (me == (uid_t)-1)
		me = geteuid();	/* once, not per candidate */

	if (me == 0)
		return true;
	if (s->kind == SEG_SYSV)
		return s->uid == me || s->cuid == me;
	return s->uid == me;
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

struct cand {
	struct segment *s;
	struct claim claim;
	bool hidden;		/* POSIX: moved to its claim's private name, for the
				 * second scan */
	bool done;		/* removed, or left alone with a message */
	bool kept_back;		/* left alone (or failed): its group stays */
};

struct tally {
	size_t removed, changed, failed, others, hidden_names, unleased;
	size_t uncertain_posix, uncertain_sysv, kept[4], grouped;
	uint64_t size, freed, maybe_freed;
};

static void left_alone(struct cand *c, struct tally *t, const char *why)
{
	char tn[NAME_ESC_MAX + 2];

	segment_target(c->s, tn, sizeof(tn));
	msg("%s: left alone: %s", tn, why);
	c->done = c->kept_back = true;
	t->changed++;
}

static void failed(struct cand *c, struct tally *t, const char *fmt, ...)
	PRINTF(3, 4);

static void failed(struct cand *c, struct tally *t, const char *fmt, ...)
{
	char tn[NAME_ESC_MAX + 2], text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	segment_target(c->s, tn, sizeof(tn));
	msg("%s: %s", tn, text);
	c->done = c->kept_back = true;
	t->failed++;
}

/*
 * Removed: say so, and count the memory that is surely freed (nobody
 * held it: NATTCH 0, or a lease granted on the file's only name) apart
 * from what a process out of sight may still hold, and from nothing at
 * all (another name of the file keeps it).
 */
static void removed(struct cand *c, struct tally *t, const struct rm_opts *o,
		    bool surely, bool other_names)
{
	char tn[NAME_ESC_MAX + 2];
	uint64_t mem = c->s->rss + c->s->swap;

	segment_target(c->s, tn, sizeof(tn));
	if (o->verbose)
		printf("removed %s\n", tn);
	c->done = true;
	t->removed++;
	t->size = sat_add(t->size, c->s->size);
	if (other_names)
		return;
	if (surely)
		t->freed = sat_add(t->freed, mem);
	else
		t->maybe_freed = sat_add(t->maybe_freed, mem);
}

/* One TARGET line of --dry-run: TARGET, size, STATUS, owner, idle. */
static void dry_run_line(const struct segment *s, time_t now)
{
	char tn[NAME_ESC_MAX + 2], idle[64];
	struct cell st, owner;

	segment_target(s, tn, sizeof(tn));
	column_get(COL_STATUS, s, &st);
	column_get(COL_OWNER, s, &owner);
	idle_human(now - last_activity(s), idle, sizeof(idle));
	printf("%s\t%llu\t%s\t%s\t%s\n", tn, (unsigned long long)s->size,
	       st.str, owner.str, idle);
	cell_release(&st);
	cell_release(&owner);
}

static bool kind_wanted(const struct rm_opts *o, const struct segment *s)
{
	if (s->sem)
		return o->sem;
	return s->kind == SEG_SYSV ? o->sysv : o->posix;
}

/* The candidates, and what is left out and why. */
static size_t select_cands(struct inventory *inv, const struct rm_opts *o,
			   struct cand *cv, struct tally *t, time_t now)
{
	size_t i, n = 0;

	for (i = 0; i < inv->segs.n; i++) {
		struct segment *s = &inv->segs.v[i];

		if (s->disp == DISP_NONE || s->foreign)
			continue;	/* held, deleted, memfd/anon */
		if (!kind_wanted(o, s))
			continue;
		if (o->by_user && s->uid != o->user)
			continue;
		if (o->name_glob && !segment_name_matches(s, o->name_glob))
			continue;
		if (o->by_age && now - last_activity(s) < (time_t)o->older_than)
			continue;
		if (s->kind == SEG_POSIX && posix_hidden_name(seg_name(s))) {
			t->hidden_names++;
			continue;
		}
		if (s->disp == DISP_KEPT) {
			t->kept[s->keep]++;
			continue;
		}
		if (s->disp == DISP_UNCERTAIN && !o->force) {
			if (s->kind == SEG_SYSV)
				t->uncertain_sysv++;
			else
				t->uncertain_posix++;
			continue;
		}
		/* What this run would remove, were it the caller's. */
		if (!may_remove(s)) {
			t->others++;
			continue;
		}
		cv[n++].s = s;
	}
	return n;
}

static bool is_cand(const struct cand *cv, size_t n, const struct segment *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cv[i].s == s)
			return true;
	return false;
}

/*
 * A crashed PostgreSQL cluster goes whole or not at all (ARCHITECTURE.md, Verdicts): its
 * control segment only with every segment it lists, the owner's tied
 * SysV segments (its main segment among them) only with all its groups.
 * What --sysv, --posix, --user, --older-than or a verdict leaves out of a
 * group holds the rest of it back.
 */
static size_t whole_groups(struct inventory *inv, struct cand *cv, size_t n,
			   struct tally *t)
{
	size_t i, k;

	for (i = 0; i < inv->segs.n; i++) {
		const struct segment *m = &inv->segs.v[i];

		if (!m->pg_group || is_cand(cv, n, m))
			continue;
		/* m stays: so do its group's control and its owner's ties */
		for (k = 0; k < n;) {
			const struct segment *s = cv[k].s;

			if ((s->pg_control && s->pg_group == m->pg_group) ||
			    (s->pg_tied && s->uid == m->uid && s != m)) {
				cv[k] = cv[--n];
				t->grouped++;
				continue;
			}
			k++;
		}
	}
	return n;
}

/* Is some segment of the same crashed cluster (or owner, for ties) kept
 * back during the removal? */
static bool group_kept_back(const struct cand *cv, size_t n,
			    const struct segment *s)
{
	size_t i;

	if (!s->pg_control && !s->pg_tied)
		return false;
	for (i = 0; i < n; i++) {
		const struct segment *x = cv[i].s;

		if (!cv[i].kept_back || x == s || !x->pg_group)
			continue;
		if (s->pg_control && x->pg_group == s->pg_group)
			return true;
		if (s->pg_tied && x->uid == s->uid)
			return true;
	}
	return false;
}

/* The order of removal: POSIX before SysV, a group's members before its
 * control segment, a tied SysV segment last. */
static int removal_rank(const struct segment *s)
{
	if (s->kind == SEG_POSIX)
		return s->pg_control ? 1 : 0;
	return s->pg_tied ? 3 : 2;
}

static int cmp_rank(const void *a, const void *b)
{
	return removal_rank(((const struct cand *)a)->s) -
	       removal_rank(((const struct cand *)b)->s);
}

/* The private name a candidate was moved to, into buf. */
static const char *hidden_of(const struct cand *c, char *buf, size_t len)
{
	posix_claim_name(&c->claim, buf, len);
	return buf;
}

/* Put a hidden candidate's name back. */
static void unhide(struct cand *c, struct tally *t, const char *why)
{
	char tn[NAME_ESC_MAX + 2], hn[CLAIM_NAME_MAX];
	int rc = posix_backend.unhide(c->s, &c->claim);

	c->hidden = false;
	if (rc == 0) {
		left_alone(c, t, why);
		return;
	}
	segment_target(c->s, tn, sizeof(tn));
	failed(c, t, "left alone (%s), but its name could not be put back: "
	       "%s; it is /%s now (the next rm --unused puts it back)", why,
	       strerror(-rc), hidden_of(c, hn, sizeof(hn)));
}

static const char held_by_kernel[] =
	"in use: the kernel says a process has it open or mapped";

/* The kernel's word first; -ENOLCK: no lease to be had, hide it for the
 * second scan. */
static void try_leased(struct cand *c, const struct rm_opts *o,
		       struct tally *t)
{
	char hn[CLAIM_NAME_MAX];
	int rc = posix_backend.remove_leased(c->s, &c->claim);

	switch (rc) {
	case 0:
		removed(c, t, o, c->claim.sole, !c->claim.sole);
		return;
	case -EBUSY:
		left_alone(c, t, held_by_kernel);
		return;
	case -ESTALE:
		left_alone(c, t, "replaced since the scan");
		return;
	case -ENOENT:
		left_alone(c, t, "gone since the scan");
		return;
	case -ENOLCK:
		break;		/* the second scan decides */
	case -EEXIST:
		failed(c, t, "replaced since the scan, and its name was taken "
		       "meanwhile: the file that had it is now /%s",
		       hidden_of(c, hn, sizeof(hn)));
		return;
	default:
		failed(c, t, "%s", segment_strerror(SEG_POSIX, rc));
		return;
	}
	rc = posix_backend.hide(c->s, &c->claim);
	if (rc == 0) {
		c->hidden = true;
		return;
	}
	if (rc == -ENOENT)
		left_alone(c, t, "gone since the scan");
	else if (rc == -ESTALE)
		left_alone(c, t, "replaced since the scan");
	else if (rc == -EEXIST)
		failed(c, t, "replaced since the scan, and its name was taken "
		       "meanwhile: the file that had it is now /%s",
		       hidden_of(c, hn, sizeof(hn)));
	else
		failed(c, t, "%s", segment_strerror(SEG_POSIX, rc));
}

/*
 * The last check of a hidden POSIX candidate, with the scan made after
 * hiding it (nobody could open it by name since): the same verdict as
 * the inventory's, the kernel's word where it can be had, then the unlink
 * of that very file.  Whatever fails, the name goes back.
 */
static void finish_hidden(struct cand *c, const struct scan *again,
			  const struct rm_opts *o, struct tally *t)
{
	enum seg_disp now = inventory_rejudge(c->s, again);
	char hn[CLAIM_NAME_MAX];
	int rc;

	if (now == DISP_NONE) {
		unhide(c, t, "mapped or opened meanwhile");
		return;
	}
	if (now == DISP_UNCERTAIN && !o->force) {
		unhide(c, t, "the second scan was incomplete");
		return;
	}
	rc = posix_backend.remove_hidden(c->s, &c->claim);
	if (rc == 0) {
		c->hidden = false;
		if (!c->claim.leased)
			t->unleased++;
		removed(c, t, o, c->claim.leased && c->claim.sole &&
				    now == DISP_RECLAIMABLE,
			!c->claim.sole);
		return;
	}
	if (rc == -ENOENT) {
		c->hidden = false;
		failed(c, t, "its hidden name /%s was taken away meanwhile: "
		       "where the file is now, shmtool cannot say",
		       hidden_of(c, hn, sizeof(hn)));
		return;
	}
	unhide(c, t, rc == -EBUSY ? held_by_kernel
		   : rc == -ESTALE ? "replaced since the scan"
				   : strerror(-rc));
}

static void finish_sysv(struct cand *c, const struct rm_opts *o,
			struct tally *t)
{
	int rc = sysv_backend.remove_unused(c->s);

	switch (rc) {
	case 0:
		/* Destroyed at NATTCH 0: its memory is free. */
		removed(c, t, o, true, false);
		return;
	case -ENOENT:
		left_alone(c, t, "gone since the scan");
		return;
	case -ESTALE:
		left_alone(c, t, "changed since the scan (its id names "
			   "another segment now)");
		return;
	case -EBUSY:
		left_alone(c, t, "attached meanwhile");
		return;
	case -EINPROGRESS:
		/* Removed, but not freed: say so, truthfully. */
		failed(c, t, "a privileged process attached it at the moment "
		       "of removal: its key is gone, its memory goes at its "
		       "last detach");
		t->failed--;
		t->removed++;
		t->size = sat_add(t->size, c->s->size);
		return;
	}
	failed(c, t, "%s", segment_strerror(SEG_SYSV, rc));
}

static void report_skips(const struct inventory *inv, const struct tally *t)
{
	char why[512];

	if (t->others)
		msg("skipped %zu segment%s of other users that this run "
		    "would remove (not yours to remove)", t->others,
		    PLURAL_S(t->others));
	if (t->uncertain_posix) {
		inventory_incomplete_why(inv, why, sizeof(why));
		msg("skipped %zu POSIX segment%s that no visible process "
		    "holds but some process might (%s): status unverified; "
		    "use --force to remove them anyway (never one the kernel "
		    "says is open)", t->uncertain_posix,
		    t->uncertain_posix == 1 ? "" : "s", why);
	}
	if (t->uncertain_sysv)
		msg("skipped %zu System V segment%s that nobody attaches but "
		    "whose creator is alive or out of sight, or whose "
		    "PostgreSQL cluster is unverified (status creator-alive, "
		    "creator-unseen, unverified): use --force to remove them "
		    "anyway", t->uncertain_sysv,
		    t->uncertain_sysv == 1 ? "" : "s");
	if (t->kept[KEEP_PG_CLUSTER])
		msg("kept %zu segment%s of live PostgreSQL clusters (never "
		    "removed by --unused; 'shmtool stat' names the cluster)",
		    t->kept[KEEP_PG_CLUSTER],
		    t->kept[KEEP_PG_CLUSTER] == 1 ? "" : "s");
	if (t->kept[KEEP_PG_OWNER])
		msg("kept %zu segment%s of users running a PostgreSQL server "
		    "whose segments could not be read (run as root or as "
		    "that user to tell them apart)", t->kept[KEEP_PG_OWNER],
		    t->kept[KEEP_PG_OWNER] == 1 ? "" : "s");
	if (t->kept[KEEP_PG_LEFTOVER])
		msg("kept %zu segment%s of crashed PostgreSQL clusters whose "
		    "other segments are still in use (they go together)",
		    t->kept[KEEP_PG_LEFTOVER],
		    t->kept[KEEP_PG_LEFTOVER] == 1 ? "" : "s");
	if (t->grouped)
		msg("kept %zu segment%s of crashed PostgreSQL clusters that "
		    "go only with the rest of their cluster, which this run "
		    "leaves (--sysv, --posix, --user, --older-than or a "
		    "verdict)", t->grouped, t->grouped == 1 ? "" : "s");
	if (t->hidden_names)
		msg("skipped %zu file%s named .shmtool-rm.*: hidden by an rm "
		    "--unused at work, or put back by the next", t->hidden_names,
		    t->hidden_names == 1 ? "" : "s");
}

/* Signals that would stop or end us with names hidden wait until we are
 * done (SIGKILL cannot: the next run puts such names back). */
static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigfillset(&set);
	sigdelset(&set, SIGSEGV);
	sigdelset(&set, SIGBUS);
	sigdelset(&set, SIGFPE);
	sigdelset(&set, SIGILL);
	sigdelset(&set, SIGABRT);
	sigprocmask(SIG_BLOCK, &set, old);
	/* A lease we hold for a moment is broken by an open(2) with SIGIO,
	 * whose default is to terminate: we let go at once anyway. */
	signal(SIGIO, SIG_IGN);
}

static void say_restored(const char *hidden, const char *name, int rc)
{
	char eh[NAME_ESC_MAX], en[NAME_ESC_MAX];

	name_escape(hidden, eh, sizeof(eh));
	name_escape(name, en, sizeof(en));
	if (rc == 0)
		msg("/%s: put back as /%s (an rm --unused that did not finish "
		    "had hidden it)", eh, en);
	else if (*name)
		msg("/%s: left by an rm --unused that did not finish; its name "
		    "/%s could not be put back: %s", eh, en, strerror(-rc));
	else
		msg("/%s: left by an rm --unused that did not finish; its old "
		    "name is not known (%s): left alone", eh, strerror(-rc));
}

static int remove_cands(struct cand *cv, size_t n, const struct rm_opts *o,
			struct tally *t)
{
	struct scan again;
	bool any_hidden = false;
	size_t i;
	int rc;

	qsort(cv, n, sizeof(*cv), cmp_rank);
	for (i = 0; i < n; i++) {
		if (cv[i].s->kind != SEG_POSIX)
			continue;
		if (group_kept_back(cv, n, cv[i].s)) {
			left_alone(&cv[i], t, "the rest of its crashed "
				   "PostgreSQL cluster stays");
			continue;
		}
		try_leased(&cv[i], o, t);
		any_hidden |= cv[i].hidden;
	}
	if (any_hidden) {
		/* One more pass over /proc: nobody can open them by name
		 * now, so what it finds holding them is everyone it sees. */
		rc = inventory_rescan(&again);
		if (rc < 0) {
			msg_errno(-rc, "scanning processes again");
			for (i = 0; i < n; i++)
				if (cv[i].hidden)
					unhide(&cv[i], t, "the second scan "
					       "failed");
			return EXIT_FAIL;
		}
		for (i = 0; i < n; i++)
			if (cv[i].hidden)
				finish_hidden(&cv[i], &again, o, t);
		scan_free(&again);
	}
	for (i = 0; i < n; i++) {
		if (cv[i].done || cv[i].s->kind != SEG_SYSV)
			continue;
		if (group_kept_back(cv, n, cv[i].s)) {
			left_alone(&cv[i], t, "the rest of its owner's crashed "
				   "PostgreSQL cluster stays");
			continue;
		}
		finish_sysv(&cv[i], o, t);
	}
	return t->failed ? EXIT_FAIL : EXIT_OK;
}

/*
 * Before rm --unused judges anything: one run at a time (the shm
 * directory's lock, *lock; -1 when none), and what a run that was killed
 * left hidden back in place.  EXIT_OK or EXIT_FAIL (said).
 */
static int rm_unused_begin(const struct rm_opts *o, int *lock)
{
	*lock = -1;
	if (!proc_is_live() && !o->dry_run) {
		msg("SHMTOOL_PROC_ROOT is set (a test fixture, not the "
		    "processes that run): only --dry-run");
		return EXIT_FAIL;
	}
	if (o->dry_run || !o->posix)
		return EXIT_OK;
	*lock = posix_lock_dir();
	if (*lock < 0 && *lock != -ENOENT) {
		msg("%s: %s; nothing was judged or removed", shm_dir(),
		    *lock == -ETIMEDOUT
			    ? "another rm --unused has held it for a minute"
			    : shm_dir_strerror(*lock));
		return EXIT_FAIL;
	}
	if (*lock >= 0)
		(void)posix_restore_hidden(say_restored);
	return EXIT_OK;
}

/* --dry-run: a line per candidate, and the total. */
static void dry_run(const struct cand *cv, size_t n, struct tally *t,
		    time_t now)
{
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		dry_run_line(cv[i].s, now);
		t->size = sat_add(t->size, cv[i].s->size);
	}
	size_human(t->size, buf, sizeof(buf));
	msg("would remove %zu segment%s (%s)", n, n == 1 ? "" : "s", buf);
}

/* What a removal run did, in totals. */
static void say_removed(const struct tally *t)
{
	char buf[64], rbuf[64];

	size_human(t->size, buf, sizeof(buf));
	size_human(t->freed, rbuf, sizeof(rbuf));
	if (t->maybe_freed) {
		char mbuf[64];

		size_human(t->maybe_freed, mbuf, sizeof(mbuf));
		msg("removed %zu segment%s (%s; %s of memory freed, %s more "
		    "once no process out of sight holds it)", t->removed,
		    t->removed == 1 ? "" : "s", buf, rbuf, mbuf);
	} else {
		msg("removed %zu segment%s (%s; %s of memory freed)",
		    t->removed, t->removed == 1 ? "" : "s", buf, rbuf);
	}
	if (t->changed)
		msg("left %zu alone, as said above", t->changed);
	if (t->unleased)
		msg("%zu of them removed on the scans' word alone: the kernel "
		    "could not be asked (no lease on the file)", t->unleased);
}

static int rm_unused(const struct rm_opts *o)
{
	/* Both kinds, whatever --sysv or --posix: a crashed cluster's
	 * segments are of both (whole_groups). */
	const struct inv_opts io = { .sysv = true, .posix = true,
				     .sem = o->sem, .no_sem_values = true,
				     .scan = true,
				     .scan_required = true };
	struct inventory inv = { 0 };
	struct cand *cv = NULL;
	struct tally t = { 0 };
	const char *what = "";
	time_t now = time(NULL);
	sigset_t old;
	size_t n;
	int rc, lock, status;

	status = rm_unused_begin(o, &lock);
	if (status != EXIT_OK)
		return status;
	rc = inventory_load(&inv, &io, &what);
	if (rc < 0) {
		inventory_error(rc, what, "; nothing was judged or removed");
		status = EXIT_FAIL;
		goto out;
	}
	inventory_report(&inv);
	cv = calloc(inv.segs.n + 1, sizeof(*cv));
	if (!cv) {
		msg_errno(ENOMEM, "candidates");
		status = EXIT_FAIL;
		goto out;
	}
	n = select_cands(&inv, o, cv, &t, now);
	n = whole_groups(&inv, cv, n, &t);
	if (o->dry_run) {
		dry_run(cv, n, &t, now);
	} else {
		test_hook();
		block_signals(&old);
		status = remove_cands(cv, n, o, &t);
		posix_removal_done();
		say_removed(&t);
	}
	report_skips(&inv, &t);
	if (!o->dry_run) {
		/* What we blocked, if it came, acts now: after all is
		 * said. */
		fflush(stdout);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
out:
	if (lock >= 0)
		close(lock);
	free(cv);
	inventory_free(&inv);
	return status;
}

static const struct cmd_option opts[] = {
	{ "verbose", 'v', NULL, 'v', "say what was removed" },
	{ "posix", 0, NULL, OPT_POSIX,
	  "how to read ambiguous TARGETs; with --unused,\n"
	  "only that kind" },
	{ "sysv", 0, NULL, OPT_SYSV, NULL },
	{ "unused", 0, NULL, OPT_UNUSED,
	  "remove what leaked: nobody maps, holds or runs it\n"
	  "(STATUS unused), proven again right before" },
	{ "sem", 0, NULL, OPT_SEM,
	  "with --unused, POSIX named semaphores too (sem.*\n"
	  "files nobody maps or holds open)" },
	{ "user", 0, "USER", OPT_USER, "only segments owned by USER" },
	{ "name", 0, "GLOB", OPT_NAME,
	  "only segments whose name matches GLOB (fnmatch(3),\n"
	  "as ls --name: a POSIX NAME has no slash)" },
	{ "older-than", 0, "DUR", OPT_OLDER,
	  "only segments idle for DUR (30s, 10m, 2h, 7d, 1w)" },
	{ "dry-run", 0, NULL, OPT_DRY_RUN,
	  "print what would go (TARGET, size, STATUS, owner,\n"
	  "idle time; tab-separated); change nothing" },
	{ "force", 'f', NULL, 'f',
	  "also remove the uncertain ones: STATUS unverified\n"
	  "(the scan could not see every process),\n"
	  "creator-alive or creator-unseen" },
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_rm_command = {
	"rm", cmd_rm, "remove segments, or the leaked ones",
	"rm TARGET... [--verbose] [--posix|--sysv]\n"
	"rm --unused [--sysv|--posix] [--sem] [--user USER] [--name GLOB]\n"
	"   [--older-than DURATION] [--dry-run] [--force] [--verbose]",
	opts,
	"The name goes at once; the memory when the last attacher detaches.\n"
	"--unused never removes a segment some process maps, holds or runs, nor\n"
	"one that is kept (a live PostgreSQL cluster's), --force or not.\n",
};
/* clang-format on */

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int rm_parse(int argc, char **argv, struct rm_opts *o)
{
	struct target t;
	int c, i, rc;

	*o = (struct rm_opts){ .force_kind = TARGET_ANY };
	while ((c = command_getopt(&cmd_rm_command, argc, argv)) != -1) {
		switch (c) {
		case 'v':
			o->verbose = true;
			break;
		case OPT_UNUSED:
			o->unused = true;
			break;
		case OPT_USER:
			if (user_id(optarg, &o->user) < 0)
				return usage_error("unknown user '%s'", optarg);
			o->by_user = true;
			break;
		case OPT_OLDER:
			if (parse_duration(optarg, &o->older_than) < 0)
				return usage_error("invalid duration '%s': "
						   "expected a number and s, m, "
						   "h, d or w (30s, 10m, 2h, 7d)",
						   optarg);
			o->by_age = true;
			break;
		case OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OPT_SEM:
			o->sem = true;
			break;
		case OPT_NAME:
			o->name_glob = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		default:
			rc = command_option(&cmd_rm_command, c, argv,
					    &o->force_kind);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	o->targets = argv + optind;
	o->ntargets = argc - optind;
	if (o->unused) {
		if (o->ntargets)
			return usage_error("--unused takes no TARGET");
		/* Semaphores are POSIX files. */
		rc = options_exclusive("--sem", o->sem, "--sysv",
				       o->force_kind == TARGET_FORCE_SYSV);
		if (rc != EXIT_OK)
			return rc;
		o->sysv = o->force_kind != TARGET_FORCE_POSIX;
		o->posix = o->force_kind != TARGET_FORCE_SYSV;
		return EXIT_OK;
	}
	if (o->dry_run || o->force || o->by_user || o->by_age || o->sem ||
	    o->name_glob)
		return usage_error("--dry-run, --force, --user, --name, --sem "
				   "and --older-than go with --unused");
	if (!o->ntargets)
		return usage_error("missing TARGET (or --unused)");
	/* A malformed TARGET anywhere is a usage error before any removal. */
	for (i = 0; i < o->ntargets; i++) {
		rc = target_parse_arg(o->targets[i], o->force_kind, &t);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

static int rm_run(const struct rm_opts *o)
{
	int i, status = EXIT_OK;

	struct removed_posix *gone;
	size_t ngone = 0;

	if (o->unused)
		return rm_unused(o);
	gone = calloc((size_t)o->ntargets, sizeof(*gone));
	for (i = 0; i < o->ntargets; i++) {
		if (gone)
			gone[ngone].ino = 0;
		if (rm_one(o->targets[i], o, gone ? &gone[ngone] : NULL) !=
		    EXIT_OK)
			status = EXIT_FAIL;
		else if (gone && gone[ngone].ino)
			ngone++;
	}
	say_still_held(gone, ngone);
	free(gone);
	return status;
}

int cmd_rm(int argc, char **argv)
{
	struct rm_opts o;
	int rc = rm_parse(argc, argv, &o);

	return COMMAND_PARSE_RUN(rc, rm_run(&o));
}
