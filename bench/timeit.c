// SPDX-License-Identifier: MIT
/*
 * timeit.c - run one command once; print "WALL_MS MAXRSS_KIB STATUS CPU_MS".
 *
 *   timeit 'COMMAND'
 *
 * A command with shell syntax (pipes, redirections, globs, quotes) runs
 * under /bin/sh -c; a plain one ("VAR=value prog arg...") is executed
 * directly, so no shell start-up is timed.  Standard input and output are
 * /dev/null unless the command redirects them; standard error is inherited.
 * Wall time is CLOCK_MONOTONIC around fork..wait4; MAXRSS is wait4's
 * ru_maxrss: the largest resident set of the child or any of its reaped
 * descendants (for a pipeline, its largest member); CPU_MS is its user and
 * system time (and that of its reaped descendants), every thread summed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXARGS 64

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	char *cmd, *args[MAXARGS + 1], *tok, *save = NULL;
	int nargs = 0, status, fd;
	int shell;
	struct rusage ru;
	double t0, t1;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: timeit 'COMMAND'\n");
		return 2;
	}
	shell = strpbrk(argv[1], "|&;<>()$`\\\"'*?[]#~{}") != NULL;
	cmd = strdup(argv[1]);
	if (!cmd)
		return 1;
	if (!shell) {
		for (tok = strtok_r(cmd, " \t", &save); tok && nargs < MAXARGS;
		     tok = strtok_r(NULL, " \t", &save))
			args[nargs++] = tok;
		args[nargs] = NULL;
		if (nargs == 0)
			return 2;
	}
	fflush(stdout);
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 1;
	}
	if (pid == 0) {
		char **a = args;

		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		if (shell) {
			execl("/bin/sh", "sh", "-c", argv[1], (char *)NULL);
			_exit(127);
		}
		/* Leading NAME=VALUE words set the environment. */
		while (*a && strchr(*a, '=') && **a != '=') {
			putenv(*a);
			a++;
		}
		if (!*a)
			_exit(2);
		execvp(a[0], a);
		perror(a[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("timeit: wait4");
		return 1;
	}
	t1 = now_ms();
	printf("%.3f %ld %d %.3f\n", t1 - t0, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status)
				 : 128 + WTERMSIG(status),
	       (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
	return 0;
}
