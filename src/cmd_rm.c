// SPDX-License-Identifier: MIT
/*
 * cmd_rm.c - shmtool rm: remove segments by TARGET, like ipcrm and
 * shm_unlink: the name goes now, the memory at the last detach.
 */
#include <getopt.h>
#include <stdio.h>

#include "columns.h"
#include "commands.h"
#include "target.h"
#include "util.h"

enum { OPT_POSIX = 256, OPT_SYSV };

static int rm_one(const char *arg, enum target_force force, bool verbose)
{
	char tname[NAME_ESC_MAX + 2];
	struct segment seg;
	int rc = target_resolve(arg, force, &seg);

	if (rc != EXIT_OK)
		return rc;
	segment_target(&seg, tname, sizeof(tname));
	rc = backend_for(seg.kind)->remove(&seg);
	if (rc < 0) {
		msg("%s: %s", tname, segment_strerror(seg.kind, rc));
		return EXIT_FAIL;
	}
	if (verbose)
		printf("removed %s\n", tname);
	if (seg.kind == SEG_SYSV && seg.nattch > 0)
		msg("%s: still attached (%lu mapping%s); memory is freed at "
		    "the last detach", tname, seg.nattch,
		    seg.nattch == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "posix", no_argument, NULL, OPT_POSIX },
		{ "sysv", no_argument, NULL, OPT_SYSV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum target_force force = TARGET_ANY;
	bool verbose = false;
	int c, i, rc, status = EXIT_OK;
	struct target t;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case OPT_POSIX:
		case OPT_SYSV:
			if (force != TARGET_ANY &&
			    force != (c == OPT_POSIX ? TARGET_FORCE_POSIX
						     : TARGET_FORCE_SYSV))
				return usage_error("--posix and --sysv "
						   "exclude each other");
			force = c == OPT_POSIX ? TARGET_FORCE_POSIX
					       : TARGET_FORCE_SYSV;
			break;
		case 'h':
			return command_help("rm");
		default:
			return option_error(c, optopt, argv, optind);
		}
	}
	if (optind >= argc)
		return usage_error("missing TARGET");
	/* A malformed TARGET anywhere is a usage error before any removal. */
	for (i = optind; i < argc; i++) {
		rc = target_parse_arg(argv[i], force, &t);
		if (rc != EXIT_OK)
			return rc;
	}
	for (i = optind; i < argc; i++) {
		rc = rm_one(argv[i], force, verbose);
		if (rc != EXIT_OK)
			status = EXIT_FAIL;
	}
	return status;
}
