// SPDX-License-Identifier: MIT
/*
 * main.c - global options, dispatch through the command table, and the
 * exit status.  Only main() exits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#ifndef SHMTOOL_VERSION
#define SHMTOOL_VERSION "0.1.0"
#endif

/* Catch what stdio could not write: `shmtool ls > /dev/full` fails. */
static int finish_stdout(int status)
{
	int err = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (!err && close(STDOUT_FILENO) < 0 && errno != EBADF)
		err = errno;
	/* A closed pipe means the reader had enough: quiet, not a failure. */
	if (err && err != EPIPE) {
		stdout_error(err);
		if (status == EXIT_OK)
			status = EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "list-commands", no_argument, NULL, 'L' },
		{ "list-options", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *c;
	int ch, status, first;
	size_t i;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			shmtool_usage(stdout);
			return finish_stdout(EXIT_OK);
		case 'V':
			printf("shmtool %s\n", SHMTOOL_VERSION);
			return finish_stdout(EXIT_OK);
		case 'L':
			for (i = 0; i < ncommands; i++)
				puts(commands[i].name);
			return finish_stdout(EXIT_OK);
		case 'O':
			c = command_find(optarg);
			if (!c)
				return usage_error("unknown command '%s'", optarg);
			command_list_options(c, stdout);
			return finish_stdout(EXIT_OK);
		default:
			return option_error(ch, optopt, argv, optind);
		}
	}
	if (optind >= argc) {
		shmtool_usage(stderr);
		return EXIT_USAGE;
	}
	c = command_find(argv[optind]);
	if (!c)
		return usage_error("unknown command '%s' (see 'shmtool help')",
				   argv[optind]);
	util_cmdname = c->name;
	/* The command parses its own options, from its own argv[0]. */
	first = optind;
	optind = 0;
	status = c->run(argc - first, argv + first);
	return finish_stdout(status);
}
