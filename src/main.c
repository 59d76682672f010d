// SPDX-License-Identifier: MIT
/*
 * main.c - global options, dispatch through the command table, and the
 * exit status.  Only main() exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "parse.h"
#include "ns.h"
#include "paths.h"
#include "msg.h"
#include "util.h"
#include "version.h"

/*
 * --ns PID: act inside that process's IPC and mount namespaces, like
 * nsenter -t PID -i -m (ns_enter).  Paths on the command line are then
 * resolved inside, as with nsenter.
 */
static int enter_namespaces(const char *arg)
{
	pid_t pid;

	if (parse_pid(arg, &pid) < 0)
		return usage_error("invalid --ns PID '%s'", arg);
	return ns_enter(pid);
}

/*
 * A closed standard descriptor is the next one open() hands out, and a
 * segment's file could then become "standard input" (write <&- would copy
 * the segment onto itself) or "standard error" (a message would land in
 * it).  Hold each closed one with /dev/null opened the wrong way round:
 * using it still fails with EBADF, as using a closed descriptor does.
 */
static void hold_std_fds(void)
{
	int fd, n;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lower ones are open: this is the lowest free one. */
		n = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
		if (n >= 0 && n != fd)
			close(n);
	}
}

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
		{ "ns", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *c;
	const char *ns = NULL;
	int ch, status, first;
	size_t i;

	hold_std_fds();
	/* Inherited SIG_IGN would have the kernel reap our children, and
	 * waitpid fail with ECHILD: the exit status of the child that lists
	 * another IPC namespace's segments is what says they are whole. */
	signal(SIGCHLD, SIG_DFL);
	/* The character set only (names print as UTF-8 where the terminal
	 * takes it); numbers, times and messages stay the C locale's. */
	setlocale(LC_CTYPE, "");
	/* Only the main thread writes standard output (the scan's threads
	 * are joined before any row): no lock around each character. */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			shmtool_usage(stdout);
			return finish_stdout(EXIT_OK);
		case 'V':
			/* From git: also which commit (baked in by make). */
			if (shmtool_git_describe[0])
				printf("shmtool %s (git %s)\n", shmtool_version,
				       shmtool_git_describe);
			else
				printf("shmtool %s\n", shmtool_version);
			return finish_stdout(EXIT_OK);
		case 'L':
			for (i = 0; i < ncommands; i++)
				puts(commands[i]->name);
			return finish_stdout(EXIT_OK);
		case 'N':
			ns = optarg;
			break;
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
	/* Our own /proc, before --ns can enter a mount namespace whose
	 * /proc its owner controls: every scan reads this one. */
	(void)proc_init();
	if (ns) {
		status = enter_namespaces(ns);
		if (status != EXIT_OK)
			return status;
		/* Its owner chose its /dev/shm: no symlink is followed, and
		 * only a tmpfs or hugetlbfs is a shm directory. */
		shm_dir_strict(true);
	}
	util_cmdname = c->name;
	/* The command parses its own options, from its own argv[0]. */
	first = optind;
	optind = 0;
	status = c->run(argc - first, argv + first);
	return finish_stdout(status);
}
