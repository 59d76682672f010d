// SPDX-License-Identifier: MIT
/*
 * commands.c - the command table: one row per subcommand.  Help, dispatch,
 * the hidden --list-commands and the tests all read this table.
 */
#include <string.h>

#include "commands.h"
#include "msg.h"
#include "util.h"

/* clang-format off */
const struct command commands[] = {
	{ "create", cmd_create, "create a segment",
	  "create --posix /NAME SIZE [--mode MODE] [--exist-ok] [--from FILE]\n"
	  "create --sysv [KEY] SIZE [--mode MODE] [--exist-ok] [--ftok PATH[:PROJ]]\n"
	  "       [--hugetlb] [--from FILE]",
	  "    --posix             create a POSIX segment (a leading '/' implies it)\n"
	  "    --sysv              create a System V segment (no KEY: IPC_PRIVATE)\n"
	  " -m, --mode MODE        octal permissions (default 0600; the umask is ignored)\n"
	  "    --exist-ok          succeed, untouched, if it exists and is large enough\n"
	  "    --from FILE         copy FILE in; SIZE defaults to its size\n"
	  "    --ftok PATH[:PROJ]  System V key from ftok(3) (PROJ 1-255, default 1)\n"
	  "    --hugetlb           System V: back it with huge pages (SHM_HUGETLB)\n"
	  " -h, --help             show this help\n"
	  "\nPrints the new segment's TARGET. An existing segment is never changed.\n",
	  cmd_create_options },
	{ "write", cmd_write, "write bytes into a segment",
	  "write TARGET [--offset OFF] [--data STRING | --file FILE]",
	  "    --offset OFF        start at byte OFF (default 0)\n"
	  " -d, --data STRING      write STRING (no newline added)\n"
	  " -f, --file FILE        write the contents of FILE\n"
	  "    --posix, --sysv     how to read an ambiguous TARGET\n"
	  " -h, --help             show this help\n"
	  "\nReads standard input by default. Input that does not fit is refused\n"
	  "before any byte changes when its size is known; from a pipe, writing\n"
	  "stops at the segment's end and fails, saying how many bytes it wrote.\n",
	  cmd_write_options },
	{ "read", cmd_read, "read bytes from a segment",
	  "read TARGET [--offset OFF] [--length LEN] [--hex | --string]",
	  "    --offset OFF        start at byte OFF (default 0)\n"
	  " -l, --length LEN       read LEN bytes (default: to the end)\n"
	  " -x, --hex              canonical hex dump (like hexdump -C)\n"
	  " -s, --string           up to the first NUL byte, then a newline\n"
	  "    --posix, --sysv     how to read an ambiguous TARGET\n"
	  " -h, --help             show this help\n"
	  "\nWrites raw bytes to standard output by default.\n",
	  cmd_read_options },
	{ "stat", cmd_stat, "show everything known about a segment",
	  "stat TARGET [--json]",
	  " -J, --json             JSON: {\"segments\": [{...}]}\n"
	  "    --posix, --sysv     how to read an ambiguous TARGET\n"
	  " -h, --help             show this help\n",
	  cmd_stat_options },
	{ "ls", cmd_ls, "list segments of both kinds, with who holds them",
	  "ls [--sysv|--posix] [-o COLS] [-J|-r] [-n] [-b] [--sort COL] [--list-columns]\n"
	  "   [--user USER] [--unused] [--orphans] [--memfd] [--anon] [--all-namespaces]\n"
	  "ls --summary [--by user|process] [-J|-r] [-n] [-b]",
	  "    --sysv              System V segments only\n"
	  "    --posix             POSIX segments only\n"
	  "    --user USER         segments owned by USER (name or uid)\n"
	  "    --unused            segments nobody was seen to map or hold\n"
	  "    --orphans           SysV segments unused and whose creator is gone\n"
	  "    --summary           where the memory went: the shm directory's use\n"
	  "                        (statvfs) by named, deleted, not-segment and\n"
	  "                        unexplained; SysV against its limits; memfd\n"
	  "                        and shared anonymous totals; what rm --unused\n"
	  "                        could reclaim\n"
	  "    --by user|process   --summary grouped by owner or holding process\n"
	  "    --memfd             add memfd_create(2) objects (KIND memfd)\n"
	  "    --anon              add MAP_SHARED anonymous memory shared by two or\n"
	  "                        more processes (KIND anon)\n"
	  "    --all-namespaces    SysV segments of every IPC namespace and POSIX ones\n"
	  "                        of every shm directory (columns IPCNS, MNTNS, NSHINT)\n"
	  " -o, --output COLS      columns to show; +COLS adds to the default\n"
	  " -J, --json             JSON: {\"segments\": [...]}\n"
	  " -r, --raw              raw output (no alignment)\n"
	  " -n, --noheadings       no header line\n"
	  " -b, --bytes            sizes in bytes\n"
	  "    --sort COL          sort by column COL\n"
	  "    --list-columns      list the columns and exit\n"
	  " -h, --help             show this help\n",
	  cmd_ls_options },
	{ "maps", cmd_maps, "show which segments processes map or hold",
	  "maps [PID...] [--segment TARGET] [-o COLS] [-J|-r] [-n] [-b] [--sort COL]\n"
	  "     [--list-columns] [--memfd] [--anon]",
	  "    --segment TARGET    only mappings of this segment\n"
	  " -o, --output COLS      columns to show; +COLS adds to the default\n"
	  " -J, --json             JSON: {\"mappings\": [...]}\n"
	  " -r, --raw              raw output (no alignment)\n"
	  " -n, --noheadings       no header line\n"
	  " -b, --bytes            sizes in bytes\n"
	  "    --sort COL          sort by column COL\n"
	  "    --list-columns      list the columns and exit\n"
	  " -h, --help             show this help\n"
	  "\nWithout PIDs, every process that can be inspected.\n",
	  cmd_maps_options },
	{ "rm", cmd_rm, "remove segments, or the leaked ones",
	  "rm TARGET... [--verbose] [--posix|--sysv]\n"
	  "rm --unused [--sysv|--posix] [--user USER] [--older-than DURATION]\n"
	  "   [--dry-run] [--force] [--verbose]",
	  " -v, --verbose          say what was removed\n"
	  "    --posix, --sysv     how to read ambiguous TARGETs; with --unused,\n"
	  "                        only that kind\n"
	  "    --unused            remove what leaked: nobody maps, holds or runs it\n"
	  "                        (STATUS unused), proven again right before\n"
	  "    --user USER         only segments owned by USER\n"
	  "    --older-than DUR    only segments idle for DUR (30s, 10m, 2h, 7d, 1w)\n"
	  "    --dry-run           print what would go (TARGET, size, STATUS, owner,\n"
	  "                        idle time; tab-separated); change nothing\n"
	  " -f, --force            also remove the uncertain ones: STATUS unverified\n"
	  "                        (the scan could not see every process),\n"
	  "                        creator-alive or creator-unseen\n"
	  " -h, --help             show this help\n"
	  "\nThe name goes at once; the memory when the last attacher detaches.\n"
	  "--unused never removes a segment some process maps, holds or runs, nor\n"
	  "one that is kept (a live PostgreSQL cluster's), --force or not.\n",
	  cmd_rm_options },
	{ "help", cmd_help, "show help for shmtool or a command",
	  "help [COMMAND]",
	  " -h, --help             show this help\n",
	  cmd_help_options },
};
/* clang-format on */

const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

const struct option cmd_help_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void command_list_options(const struct command *c, FILE *out)
{
	const struct option *o;

	for (o = c->longopts; o && o->name; o++)
		fprintf(out, "--%s%s\n", o->name,
			o->has_arg == required_argument ? "=" : "");
}

const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
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
	printf("\n%s.\n\nOptions:\n%s", c->summary, c->options);
	return EXIT_OK;
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
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nTARGET: /name (POSIX), a shmid, 0xKEY, id:N or key:K "
	      "(System V);\n"
	      "memfd:PID:FD, memfd:PID:START-END, anon:PID:START-END "
	      "(through a holder).\n"
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
