// SPDX-License-Identifier: MIT
/*
 * cmd_metrics.c - shmtool metrics: the numbers of `ls --summary` as
 * Prometheus metrics, on standard output or, for node_exporter's textfile
 * collector, replacing a file atomically.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "inventory.h"
#include "io.h"
#include "metrics.h"
#include "msg.h"
#include "paths.h"
#include "summary.h"
#include "text.h"
#include "util.h"
#include "version.h"

enum { OPT_PER_SEGMENT = OPT_CMD_FIRST, OPT_METRICS_FILE };

static const struct cmd_option opts[] = {
	{ "per-segment", 0, NULL, OPT_PER_SEGMENT,
	  "add one series per System V and POSIX segment\n"
	  "(labels kind and segment: as many series as\n"
	  "segments)" },
	{ "metrics-file", 0, "PATH", OPT_METRICS_FILE,
	  "write to PATH instead of standard output, atomically\n"
	  "(a temporary file in PATH's directory, renamed\n"
	  "over PATH)" },
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

/* clang-format off */
const struct command cmd_metrics_command = {
	"metrics", cmd_metrics,
	"the summary as Prometheus metrics (textfile collector)",
	"metrics [--per-segment] [--metrics-file PATH]",
	opts,
	"The numbers are those of 'shmtool ls --summary', in the Prometheus text\n"
	"format; every metric is a gauge named shmtool_*.  For node_exporter:\n"
	"  shmtool metrics --metrics-file /var/lib/prometheus/node-exporter/shmtool.prom\n"
	"(shmtool-metrics.timer does this every minute).\n",
};
/* clang-format on */

struct metrics_args {
	bool per_segment;
	const char *file;	/* NULL: standard output */
};

/* EXIT_OK: run it; PARSE_DONE: help was printed; else a usage error. */
static int metrics_parse(int argc, char **argv, struct metrics_args *a)
{
	size_t len;
	int c, rc;

	memset(a, 0, sizeof(*a));
	while ((c = command_getopt(&cmd_metrics_command, argc, argv)) != -1) {
		switch (c) {
		case OPT_PER_SEGMENT:
			a->per_segment = true;
			break;
		case OPT_METRICS_FILE:
			len = strlen(optarg);
			if (len == 0 || optarg[len - 1] == '/')
				return usage_error("--metrics-file needs the "
						   "path of a file");
			a->file = optarg;
			break;
		default:
			rc = command_option(&cmd_metrics_command, c, argv, NULL);
			if (rc != EXIT_OK)
				return rc;
			break;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

static double seconds_between(const struct timespec *a,
			      const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Write the metrics to a->file atomically: 0, or EXIT_FAIL (said). */
static int write_file(const struct metrics_args *a,
		      const struct metrics_src *src)
{
	struct atomic_file af;
	const char *step = "write";
	char esc[NAME_ESC_MAX];
	int rc;

	name_escape(a->file, esc, sizeof(esc));
	rc = atomic_file_open(&af, a->file);
	if (rc < 0) {
		msg_errno(-rc, "%s: cannot create a temporary file beside it",
			  esc);
		return EXIT_FAIL;
	}
	if (metrics_write(af.f, src) < 0) {
		rc = errno ? -errno : -EIO;
		atomic_file_abort(&af);
		msg_errno(-rc, "%s: write", esc);
		return EXIT_FAIL;
	}
	rc = atomic_file_commit(&af, &step);
	if (rc < 0) {
		msg_errno(-rc, "%s: %s", esc, step);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int metrics_run(const struct metrics_args *a)
{
	struct inv_opts io = { .sysv = true, .posix = true, .scan = true,
			       .memfd = true, .anon = true };
	struct metrics_src src = {
		.shm_dir = shm_dir(),
		.version = shmtool_version,
		.describe = shmtool_git_describe,
	};
	struct inventory inv;
	struct summary sum;
	struct timespec t0, t1;
	const char *what = "";
	int rc, status = EXIT_OK;

	clock_gettime(CLOCK_REALTIME, &src.when);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = inventory_load(&inv, &io, &what);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		inventory_error(rc, what, NULL);
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	inventory_report(&inv);
	rc = summary_compute(&inv, BY_NONE, &sum);
	if (rc < 0) {
		msg_errno(-rc, "summary");
		inventory_free(&inv);
		return EXIT_FAIL;
	}
	src.sum = &sum;
	src.duration = seconds_between(&t0, &t1);
	inventory_scan_info(&inv, &src.scan);
	src.segs = a->per_segment ? &inv.segs : NULL;
	if (a->file)
		status = write_file(a, &src);
	else
		(void)metrics_write(stdout, &src);
	/* Write errors on standard output are reported by main(). */
	summary_free(&sum);
	inventory_free(&inv);
	return status;
}

int cmd_metrics(int argc, char **argv)
{
	struct metrics_args a;
	int rc = metrics_parse(argc, argv, &a);

	return COMMAND_PARSE_RUN(rc, metrics_run(&a));
}
