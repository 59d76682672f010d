// SPDX-License-Identifier: MIT
/*
 * commands.c - the command table: one row per subcommand.  Help, dispatch,
 * the hidden --list-commands and the tests all read this table.
 */
#include <string.h>

#include "commands.h"
#include "output.h"
#include "msg.h"
#include "target.h"
#include "util.h"

const struct command *const commands[] = {
	&cmd_create_command, &cmd_write_command, &cmd_read_command,
	&cmd_stat_command,   &cmd_ls_command,    &cmd_rm_command,
	&cmd_maps_command,   &cmd_metrics_command, &cmd_chmod_command,
	&cmd_chown_command,  &cmd_lock_command,    &cmd_unlock_command,
	&cmd_help_command,
};

const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static const struct cmd_option help_opts[] = {
	CMD_HELP_OPTION,
	CMD_OPTIONS_END,
};

const struct command cmd_help_command = {
	"help", cmd_help, "show help for shmtool or a command",
	"help [COMMAND]", help_opts, NULL,
};

/* getopt_long's tables of one command, made from its option table. */
#define MAX_CMD_OPTS 48
struct getopt_tables {
	const struct command *c;
	struct option longopts[MAX_CMD_OPTS + 1];
	char shortopts[2 + 2 * MAX_CMD_OPTS + 1];
};

static void make_tables(const struct command *c, struct getopt_tables *t)
{
	const struct cmd_option *o;
	size_t n = 0, k = 0;

	memset(t, 0, sizeof(*t));
	t->c = c;
	t->shortopts[k++] = ':';
	for (o = c->opts; o->name && n < MAX_CMD_OPTS; o++, n++) {
		t->longopts[n].name = o->name;
		t->longopts[n].has_arg = o->arg ? required_argument
						: no_argument;
		t->longopts[n].val = o->val;
		if (o->short_name) {
			t->shortopts[k++] = (char)o->short_name;
			if (o->arg)
				t->shortopts[k++] = ':';
		}
	}
}

int command_getopt(const struct command *c, int argc, char **argv)
{
	static struct getopt_tables t;

	if (t.c != c)
		make_tables(c, &t);
	opterr = 0;
	return getopt_long(argc, argv, t.shortopts, t.longopts, NULL);
}

int options_exclusive(const char *a, bool has_a, const char *b, bool has_b)
{
	if (has_a && has_b)
		return usage_error("%s and %s exclude each other", a, b);
	return EXIT_OK;
}

int command_output_check(const struct outopts *o)
{
	/* -P and -y go together (lsblk -P -y); -y alone means both */
	const char *name[] = { "--json", "--raw",
			       o->pairs ? "--pairs" : "--shell" };
	bool has[] = { o->json, o->raw, o->pairs || o->shell };
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if (has[i] && has[j])
				return options_exclusive(name[i], true,
							 name[j], true);
	return EXIT_OK;
}

/* Where the help text of an option starts. */
#define HELP_COL 24

void command_options_help(const struct command *c, FILE *out)
{
	const struct cmd_option *o;

	for (o = c->opts; o->name; o++) {
		const struct cmd_option *x;
		const char *p;
		int w;

		if (!o->help)
			continue;
		if (o->short_name)
			w = fprintf(out, " -%c, --%s", o->short_name, o->name);
		else
			w = fprintf(out, "     --%s", o->name);
		if (o->arg)
			w += fprintf(out, " %s", o->arg);
		/* options shown on this line ("--posix, --sysv") */
		for (x = o + 1; x->name && !x->help; x++)
			w += fprintf(out, ", --%s", x->name);
		for (p = o->help; *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);

			if (w >= HELP_COL) {
				fputc('\n', out);
				w = 0;
			}
			fprintf(out, "%*s%.*s\n", HELP_COL - w, "", len, p);
			w = 0;
			p += len + (nl ? 1 : 0);
		}
	}
}

void command_list_options(const struct command *c, FILE *out)
{
	const struct cmd_option *o;

	for (o = c->opts; o->name; o++)
		fprintf(out, "--%s%s\n", o->name, o->arg ? "=" : "");
}

const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

void command_usage(const struct command *c, FILE *out)
{
	const char *p = c->synopsis;
	bool first = true;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (*p == ' ')	/* a continuation of the line before */
			fprintf(out, "       %*s%.*s\n", 8, "", len, p);
		else
			fprintf(out, "%s shmtool %.*s\n",
				first ? "Usage:" : "      ", len, p);
		first = false;
		p += len + (nl ? 1 : 0);
	}
}

int command_help(const char *name)
{
	const struct command *c = command_find(name);

	if (!c)
		return EXIT_FAIL;
	command_usage(c, stdout);
	printf("\n%s.\n\nOptions:\n", c->summary);
	command_options_help(c, stdout);
	if (c->notes)
		printf("\n%s", c->notes);
	return EXIT_OK;
}

int command_option(const struct command *cmd, int c, char **argv,
		   enum target_force *force)
{
	int rc;

	if (force && (c == OPT_POSIX || c == OPT_SYSV))
		return target_force_set(force, c == OPT_POSIX);
	if (c == 'h') {
		rc = command_help(cmd->name);
		return rc == EXIT_OK ? PARSE_DONE : rc;
	}
	return option_error(c, optopt, argv, optind);
}

int command_output_option(const struct command *cmd, int c, char **argv,
			  struct outopts *o, const struct coldef *defs,
			  size_t ndefs)
{
	int rc = output_option(c, optarg, o, defs, ndefs);

	return rc >= 0 ? rc : command_option(cmd, c, argv, NULL);
}

int command_one_target(int argc, char **argv)
{
	(void)argv;
	if (argc - optind == 1)
		return EXIT_OK;
	return usage_error(argc - optind < 1 ? "missing TARGET"
					     : "too many arguments");
}

int option_error(int c, int optopt_, char **argv, int optind_)
{
	const char *opt = argv[optind_ - 1];
	char see[64];

	snprintf(see, sizeof(see), "see 'shmtool %s%s--help'",
		 util_cmdname ? util_cmdname : "", util_cmdname ? " " : "");
	if (c == ':')
		return usage_error("option '%s' needs an argument (%s)", opt,
				   see);
	if (opt[0] == '-' && opt[1] >= '0' && opt[1] <= '9')
		/* "create /e -1": getopt takes a negative number for an
		 * option */
		return usage_error("'%s' is no option: sizes, offsets and "
				   "lengths are never negative (a negative KEY "
				   "goes after '--')", opt);
	if (optopt_ && strncmp(opt, "--", 2) != 0)
		return usage_error("unknown option '-%c' (%s)", optopt_, see);
	return usage_error("unknown option '%s' (%s)", opt, see);
}

void shmtool_usage(FILE *out)
{
	size_t i;

	fputs("Usage: shmtool [-h|--help] [-V|--version] [--ns PID] COMMAND "
	      "[OPTIONS] [ARGS]\n"
	      "       shmtool help [COMMAND]\n\n"
	      "System V and POSIX shared memory: create, inspect, read, write,"
	      " remove.\n\nCommands:\n",
	      out);
	for (i = 0; i < ncommands; i++)
		fprintf(out, "  %-8s %s\n", commands[i]->name,
			commands[i]->summary);
	fputs("\nTARGET: /name (POSIX), a shmid, 0xKEY, id:N, key:K or "
	      "ftok:PATH[:PROJ] (System V);\n"
	      "memfd:PID:FD, memfd:PID:START-END, anon:PID:START-END, "
	      "posix:PID:FD,\n"
	      "posix:PID:START-END (through a holder; a deleted POSIX "
	      "segment).\n"
	      "--ns PID: act in that process's IPC and mount namespaces "
	      "(like nsenter -i -m).\n"
	      "See 'shmtool COMMAND --help' and shmtool(1).\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0))
		return command_help("help");
	if (argc > 2)
		return usage_error("too many arguments");
	if (argc == 2) {
		if (!command_find(argv[1])) {
			/* The same words as `shmtool nosuch`. */
			util_cmdname = NULL;
			return usage_error("unknown command '%s' "
					   "(see 'shmtool help')", argv[1]);
		}
		return command_help(argv[1]);
	}
	shmtool_usage(stdout);
	return EXIT_OK;
}
