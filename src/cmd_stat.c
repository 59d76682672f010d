// SPDX-License-Identifier: MIT
/*
 * cmd_stat.c - shmtool stat: every field the kernel keeps for a segment.
 */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "output.h"
#include "target.h"
#include "util.h"

enum { OPT_POSIX = 256, OPT_SYSV };

int cmd_stat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "posix", no_argument, NULL, OPT_POSIX },
		{ "sysv", no_argument, NULL, OPT_SYSV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum target_force force = TARGET_ANY;
	struct segment seg;
	bool json = false;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jh", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
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
			return command_help("stat");
		default:
			return option_error(c, optopt, argv, optind);
		}
	}
	if (argc - optind != 1)
		return usage_error(argc - optind < 1 ? "missing TARGET"
						     : "too many arguments");
	rc = target_resolve(argv[optind], force, &seg);
	if (rc != EXIT_OK)
		return rc;
	if (json) {
		struct outopts o = { .json = true, .sort_col = -1 };
		struct seglist l = { .v = &seg, .n = 1, .cap = 1 };
		int i;

		for (i = 0; i < NCOLS; i++)
			o.cols[o.ncols++] = i;
		rc = output_segments(stdout, &l, &o, "segments");
	} else {
		rc = output_stat_text(stdout, &seg);
	}
	/* Write errors on stdout are reported by main(). */
	(void)rc;
	return EXIT_OK;
}
