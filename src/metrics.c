// SPDX-License-Identifier: MIT
/*
 * metrics.c - the summary as Prometheus metrics (text exposition format
 * 0.0.4): one family per quantity, `# HELP` and `# TYPE` before its
 * samples, every sample of a family together, base units in the names
 * (`_bytes`, `_seconds`), labels only with a fixed set of values (state,
 * disposition, reason, kind) except the per-segment series that
 * --per-segment asks for.  Every value is a gauge: they are levels, not
 * counts since a start.
 *
 * The numbers come from summary_compute(), the rows `ls --summary`
 * prints: a row's number that does not apply (HAS() unset) is no sample.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "columns.h"
#include "metrics.h"
#include "text.h"

size_t prom_label_escape(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in; in++) {
		const char *rep = NULL;
		size_t k;

		if (*in == '\\')
			rep = "\\\\";
		else if (*in == '"')
			rep = "\\\"";
		else if (*in == '\n')
			rep = "\\n";
		k = rep ? 2 : 1;
		if (n + k >= len)
			break;
		if (rep)
			memcpy(out + n, rep, 2);
		else
			out[n] = *in;
		n += k;
	}
	out[n] = '\0';
	return n;
}

/* One metric family; its header is written before its first sample. */
struct fam {
	const char *name;
	const char *help;
};

struct writer {
	FILE *out;
	const struct fam *cur;	/* the family whose header is out */
};

struct label {
	const char *name, *value;
};

/* HELP text escapes backslash and newline. */
static void put_help(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void begin(struct writer *w, const struct fam *f)
{
	if (w->cur == f)
		return;
	w->cur = f;
	fprintf(w->out, "# HELP %s ", f->name);
	put_help(w->out, f->help);
	fprintf(w->out, "\n# TYPE %s gauge\n", f->name);
}

static void put_labels(struct writer *w, const struct label *l, size_t n)
{
	char esc[2 * NAME_ESC_MAX + 32], shown[NAME_ESC_MAX + 32];
	size_t i;

	if (!n)
		return;
	fputc('{', w->out);
	for (i = 0; i < n; i++) {
		/* The exposition format is UTF-8: a value that is not
		 * (a segment's name) goes as shmtool shows it, \xHH. */
		const char *v = l[i].value;

		if (!text_is_utf8(v)) {
			name_escape(v, shown, sizeof(shown));
			v = shown;
		}
		prom_label_escape(v, esc, sizeof(esc));
		fprintf(w->out, "%s%s=\"%s\"", i ? "," : "", l[i].name, esc);
	}
	fputc('}', w->out);
}

static void sample(struct writer *w, const struct fam *f,
		   const struct label *l, size_t nl, uint64_t v)
{
	begin(w, f);
	fputs(f->name, w->out);
	put_labels(w, l, nl);
	fprintf(w->out, " %" PRIu64 "\n", v);
}

/* A summary row's number, if it has one. */
static bool row_value(const struct sumrow *r, enum sum_col c, uint64_t *v)
{
	if (!r || !(r->has & HAS(c)))
		return false;
	switch (c) {
	case SUM_COUNT:
		*v = r->count;
		break;
	case SUM_MAXCOUNT:
		*v = r->maxcount;
		break;
	case SUM_SIZE:
		*v = r->size;
		break;
	case SUM_MAXSIZE:
		*v = r->maxsize;
		break;
	case SUM_USED:
		*v = r->used;
		break;
	case SUM_SWAP:
		*v = r->swap;
		break;
	case SUM_PIDS:
		*v = r->npid;
		break;
	default:
		return false;
	}
	return true;
}

/*
 * A family made of summary rows: AREA's rows WHAT... (NULL-terminated),
 * their column COL; with LABEL, each row is one sample labelled
 * LABEL="WHAT", without, the one row is the unlabelled sample.
 */
struct rowfam {
	struct fam f;
	int area;		/* AREA_* */
	const char *label;
	enum sum_col col;
	const char *what[6];
};

enum { AREA_SHM, AREA_SYSV, AREA_MEMFD, AREA_ANON };

#define SHM_STATES "named", "deleted", "semaphore", "not-segment"
#define DISPOSITIONS "reclaimable", "uncertain", "kept"
#define UNHELD_SHM							\
	"named POSIX segments nobody was seen to map or hold, by what "	\
	"rm --unused does with them: reclaimable (removed), uncertain "	\
	"(only with --force: the scan was incomplete), kept (a live "	\
	"PostgreSQL cluster's)"
#define UNHELD_SYSV							\
	"System V segments nobody attaches, by what rm --unused does "	\
	"with them: reclaimable (the creator is gone), uncertain (the "	\
	"creator lives or is out of sight), kept (a live PostgreSQL "	\
	"cluster's)"
#define ANON_WHAT							\
	"shared anonymous mappings (MAP_SHARED|MAP_ANONYMOUS) that two "	\
	"or more processes share"

/* clang-format off */
static const struct rowfam rowfams[] = {
	{ { "shmtool_shm_fs_size_bytes",
	    "Size of the shm directory's file system (statvfs): the most "
	    "POSIX shared memory there can be." },
	  AREA_SHM, NULL, SUM_MAXSIZE, { "total" } },
	{ { "shmtool_shm_fs_used_bytes",
	    "Bytes used in the shm directory's file system (statvfs)." },
	  AREA_SHM, NULL, SUM_USED, { "total" } },
	{ { "shmtool_shm_files",
	    "Files in the shm directory by state: named segments, deleted "
	    "segments still held (found through processes), POSIX named "
	    "semaphores (sem.*), files that are neither (directories, "
	    "...)." },
	  AREA_SHM, "state", SUM_COUNT, { SHM_STATES } },
	{ { "shmtool_shm_size_bytes",
	    "Apparent size (st_size) of the shm directory's files by state." },
	  AREA_SHM, "state", SUM_SIZE, { SHM_STATES } },
	{ { "shmtool_shm_used_bytes",
	    "Memory used (st_blocks) in the shm directory by state; "
	    "unexplained is what statvfs counts and no file explains. The "
	    "states add up to shmtool_shm_fs_used_bytes." },
	  AREA_SHM, "state", SUM_USED, { SHM_STATES, "unexplained" } },
	{ { "shmtool_shm_deleted_processes",
	    "Processes that hold deleted POSIX segments." },
	  AREA_SHM, NULL, SUM_PIDS, { "deleted" } },
	{ { "shmtool_shm_unheld_files", "Number of " UNHELD_SHM "." },
	  AREA_SHM, "disposition", SUM_COUNT, { DISPOSITIONS } },
	{ { "shmtool_shm_unheld_size_bytes", "Apparent size of the " UNHELD_SHM "." },
	  AREA_SHM, "disposition", SUM_SIZE, { DISPOSITIONS } },
	{ { "shmtool_shm_unheld_used_bytes", "Memory used by the " UNHELD_SHM "." },
	  AREA_SHM, "disposition", SUM_USED, { DISPOSITIONS } },
	{ { "shmtool_sysv_segments", "System V shared memory segments." },
	  AREA_SYSV, NULL, SUM_COUNT, { "total" } },
	{ { "shmtool_sysv_segments_limit",
	    "The most System V segments there can be (kernel.shmmni)." },
	  AREA_SYSV, NULL, SUM_MAXCOUNT, { "total" } },
	{ { "shmtool_sysv_size_bytes", "Size of all System V segments." },
	  AREA_SYSV, NULL, SUM_SIZE, { "total" } },
	{ { "shmtool_sysv_size_limit_bytes",
	    "The most System V shared memory there can be (kernel.shmall, "
	    "in bytes)." },
	  AREA_SYSV, NULL, SUM_MAXSIZE, { "total" } },
	{ { "shmtool_sysv_segment_size_limit_bytes",
	    "The largest System V segment there can be (kernel.shmmax)." },
	  AREA_SYSV, NULL, SUM_MAXSIZE, { "per-segment-max" } },
	{ { "shmtool_sysv_used_bytes",
	    "Memory used (resident) by System V segments." },
	  AREA_SYSV, NULL, SUM_USED, { "total" } },
	{ { "shmtool_sysv_swap_bytes",
	    "Swapped-out memory of System V segments." },
	  AREA_SYSV, NULL, SUM_SWAP, { "total" } },
	{ { "shmtool_sysv_unheld_segments", "Number of " UNHELD_SYSV "." },
	  AREA_SYSV, "disposition", SUM_COUNT, { DISPOSITIONS } },
	{ { "shmtool_sysv_unheld_size_bytes", "Size of the " UNHELD_SYSV "." },
	  AREA_SYSV, "disposition", SUM_SIZE, { DISPOSITIONS } },
	{ { "shmtool_sysv_unheld_used_bytes", "Memory used by the " UNHELD_SYSV "." },
	  AREA_SYSV, "disposition", SUM_USED, { DISPOSITIONS } },
	{ { "shmtool_memfd_objects",
	    "memfd_create(2) objects that processes hold." },
	  AREA_MEMFD, NULL, SUM_COUNT, { "total" } },
	{ { "shmtool_memfd_size_bytes", "Size of the memfd objects." },
	  AREA_MEMFD, NULL, SUM_SIZE, { "total" } },
	{ { "shmtool_memfd_used_bytes", "Memory used by the memfd objects." },
	  AREA_MEMFD, NULL, SUM_USED, { "total" } },
	{ { "shmtool_memfd_processes", "Processes that hold memfd objects." },
	  AREA_MEMFD, NULL, SUM_PIDS, { "total" } },
	{ { "shmtool_anon_objects", "Number of " ANON_WHAT "." },
	  AREA_ANON, NULL, SUM_COUNT, { "total" } },
	{ { "shmtool_anon_size_bytes", "Size of the " ANON_WHAT "." },
	  AREA_ANON, NULL, SUM_SIZE, { "total" } },
	{ { "shmtool_anon_used_bytes", "Memory used by the " ANON_WHAT "." },
	  AREA_ANON, NULL, SUM_USED, { "total" } },
	{ { "shmtool_anon_processes", "Processes in the " ANON_WHAT "." },
	  AREA_ANON, NULL, SUM_PIDS, { "total" } },
};

static const struct fam
	f_unseen = { "shmtool_sysv_unseen_attached_segments",
		     "System V segments attached (NATTCH > 0) by no process "
		     "the scan could see: attachers out of sight." },
	f_complete = { "shmtool_scan_complete",
		       "1 if the /proc scan saw every process, so that a "
		       "POSIX segment nobody holds is surely unused; else 0." },
	f_incomplete = { "shmtool_scan_incomplete",
			 "Why the scan was incomplete, one series per "
			 "reason (1: applies)." },
	f_procs = { "shmtool_scan_processes",
		    "Processes the /proc scan read completely." },
	f_gaps = { "shmtool_scan_uninspectable_processes",
		   "Processes the /proc scan could not inspect (permission "
		   "denied, ...): their holdings are unknown." },
	f_time = { "shmtool_scan_timestamp_seconds",
		   "When the scan started, in seconds since the epoch." },
	f_dur = { "shmtool_scan_duration_seconds",
		  "How long listing the segments and scanning /proc took." },
	f_build = { "shmtool_build_info",
		    "shmtool's version and the git describe it was built "
		    "from; always 1." },
	f_seg_size = { "shmtool_segment_size_bytes",
		       "Size of one segment (--per-segment)." },
	f_seg_used = { "shmtool_segment_used_bytes",
		       "Memory used by one segment (--per-segment)." },
	f_seg_procs = { "shmtool_segment_processes",
			"Processes that map or hold one segment "
			"(--per-segment)." };
/* clang-format on */

static void rows_family(struct writer *w, const struct metrics_src *src,
			const struct rowfam *rf)
{
	static const char *const areas[] = { NULL, "sysv", "memfd", "anon" };
	const char *area = rf->area == AREA_SHM ? src->shm_dir
						: areas[rf->area];
	size_t i;

	for (i = 0; i < sizeof(rf->what) / sizeof(rf->what[0]) && rf->what[i];
	     i++) {
		const struct sumrow *r = summary_find(src->sum, area,
						      rf->what[i]);
		struct label l = { rf->label, rf->what[i] };
		uint64_t v;

		if (row_value(r, rf->col, &v))
			sample(w, &rf->f, &l, rf->label ? 1 : 0, v);
	}
}

static void per_segment(struct writer *w, const struct seglist *segs,
			const struct fam *f, enum col_id col)
{
	size_t i;

	for (i = 0; i < segs->n; i++) {
		const struct segment *s = &segs->v[i];
		struct cell target, v;
		struct label l[2];

		if (s->kind != SEG_SYSV && s->kind != SEG_POSIX)
			continue;
		column_get(col, s, &v);
		if (v.null)
			continue;
		column_get(COL_SEGMENT, s, &target);
		l[0] = (struct label){ "kind", kind_name(s->kind) };
		l[1] = (struct label){ "segment", target.str };
		sample(w, f, l, 2, v.num);
		cell_release(&v);
		cell_release(&target);
	}
}

int metrics_write(FILE *out, const struct metrics_src *src)
{
	struct writer w = { .out = out };
	const struct inv_scan_info *si = &src->scan;
	struct label l[2];
	size_t i;

	for (i = 0; i < sizeof(rowfams) / sizeof(rowfams[0]); i++)
		rows_family(&w, src, &rowfams[i]);
	if (si->scanned) {
		sample(&w, &f_unseen, NULL, 0, si->sysv_unseen);
		sample(&w, &f_complete, NULL, 0, si->complete);
		l[0] = (struct label){ "reason", "uninspectable-processes" };
		sample(&w, &f_incomplete, l, 1, si->procs);
		l[0] = (struct label){ "reason", "pid-namespace" };
		sample(&w, &f_incomplete, l, 1, si->pidns);
		l[0] = (struct label){ "reason", "hidepid" };
		sample(&w, &f_incomplete, l, 1, si->hidepid);
		sample(&w, &f_procs, NULL, 0, si->inspected);
		sample(&w, &f_gaps, NULL, 0, si->uninspectable);
	} else {
		/* The scan failed (said on stderr): nothing is complete. */
		sample(&w, &f_complete, NULL, 0, 0);
	}
	begin(&w, &f_time);
	fprintf(out, "%s %lld.%03ld\n", f_time.name,
		(long long)src->when.tv_sec, src->when.tv_nsec / 1000000);
	begin(&w, &f_dur);
	fprintf(out, "%s %.6f\n", f_dur.name, src->duration);
	l[0] = (struct label){ "version", src->version };
	l[1] = (struct label){ "describe", src->describe };
	sample(&w, &f_build, l, 2, 1);
	if (src->segs) {
		per_segment(&w, src->segs, &f_seg_size, COL_SIZE);
		per_segment(&w, src->segs, &f_seg_used, COL_RSS);
		per_segment(&w, src->segs, &f_seg_procs, COL_PROCS);
	}
	return ferror(out) ? -EIO : 0;
}
