/* SPDX-License-Identifier: MIT */
/*
 * commands.h - the command table.
 */
#ifndef SHMTOOL_COMMANDS_H
#define SHMTOOL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>

/*
 * One option of a command, declared once: getopt_long's tables, the help
 * text and --list-options are all made from it.
 */
struct cmd_option {
	const char *name;	/* the long option, without "--" */
	int short_name;		/* its one-letter form, or 0 */
	const char *arg;	/* the argument's name in help; NULL: none */
	int val;		/* what command_getopt returns: short_name,
				 * or a value >= 256 */
	const char *help;	/* lines split by '\n'; NULL: shown on the
				 * line of the option before it
				 * ("--posix, --sysv") */
};

/* Values of long-only options start here in every command: --posix and
 * --sysv first (the same values everywhere, for command_option), a
 * command's own from OPT_CMD_FIRST. */
#define OPT_FIRST 256
enum { OPT_POSIX = OPT_FIRST, OPT_SYSV, OPT_CMD_FIRST };

/* The output format options of ls, maps and stat (-o, -J, -r, -P, -y,
 * -n, -b, --time-format); ARRAY is the name of -J's array. */
#define CMD_FORMAT_OPTIONS(ARRAY)                                             \
	{ "output", 'o', "COLS", 'o',                                         \
	  "columns to show; +COLS adds to the default" },                     \
	{ "json", 'J', NULL, 'J', "JSON: {\"" ARRAY "\": [...]}" },            \
	{ "raw", 'r', NULL, 'r', "raw output (no alignment)" },               \
	{ "pairs", 'P', NULL, 'P', "KEY=\"value\" pairs, a line a row" },     \
	{ "shell", 'y', NULL, 'y',                                            \
	  "pairs keyed as shell variable names (USE% as\n"                    \
	  "USE_PCT), safe to eval" },                                         \
	{ "noheadings", 'n', NULL, 'n', "no header line" },                   \
	{ "bytes", 'b', NULL, 'b', "sizes in bytes" },                        \
	{ "time-format", 0, "short|full|iso|epoch", OUTPUT_OPT_TIME_FORMAT,   \
	  "how times are written (default iso; JSON: epoch\n"                 \
	  "as numbers, the others as strings)" }
/* The output options of ls and maps: the format options, --sort and
 * --list-columns. */
#define CMD_OUTPUT_OPTIONS(ARRAY)                                             \
	CMD_FORMAT_OPTIONS(ARRAY),                                            \
	{ "sort", 0, "COL", OUTPUT_OPT_SORT, "sort by column COL" },          \
	{ "reverse", 0, NULL, OUTPUT_OPT_REVERSE,                             \
	  "rows in the reverse order (of --sort COL, or as listed)" },       \
	{ "list-columns", 0, NULL, OPT_LIST_COLUMNS,                          \
	  "list the columns and exit" }
/* --posix, --sysv: how read, write and stat take an ambiguous TARGET */
#define CMD_TARGET_KIND_OPTIONS                                               \
	{ "posix", 0, NULL, OPT_POSIX, "how to read an ambiguous TARGET" },   \
	{ "sysv", 0, NULL, OPT_SYSV, NULL }
#define CMD_HELP_OPTION { "help", 'h', NULL, 'h', "show this help" }
#define CMD_OPTIONS_END { NULL, 0, NULL, 0, NULL }

/* getopt value of --list-columns (ls, maps). */
#define OPT_LIST_COLUMNS 999

struct command {
	const char *name;
	/* Returns the exit status: EXIT_OK, EXIT_FAIL or EXIT_USAGE. */
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *synopsis;	/* after "shmtool "; lines split by '\n' */
	const struct cmd_option *opts;	/* ends with CMD_OPTIONS_END */
	const char *notes;	/* after the options in --help, or NULL */
};

/* Every command, each declared in its own cmd_NAME.c. */
extern const struct command *const commands[];
extern const size_t ncommands;
extern const struct command cmd_create_command, cmd_write_command,
	cmd_read_command, cmd_stat_command, cmd_ls_command, cmd_rm_command,
	cmd_maps_command, cmd_metrics_command, cmd_chmod_command,
	cmd_chown_command, cmd_lock_command, cmd_unlock_command,
	cmd_help_command;

/* The global usage: synopsis and the command list. */
void shmtool_usage(FILE *out);

const struct command *command_find(const char *name);
void command_usage(const struct command *c, FILE *out);
/* The "Options:" lines of --help, made from the option table. */
void command_options_help(const struct command *c, FILE *out);
/* Print the command's help on stdout; returns EXIT_OK. */
int command_help(const char *name);

/*
 * getopt_long over the command's option table (opterr off, ':' first: a
 * missing argument returns ':'); -1 at the end.  The tables are made
 * once per command.
 */
int command_getopt(const struct command *c, int argc, char **argv);

/* What a command's parse step returns when it has answered by itself
 * (--help, --list-columns): exit 0 without running. */
#define PARSE_DONE (-1)

/*
 * The options every command shares, for the default: of its switch:
 * --posix and --sysv (how to read an ambiguous TARGET) into *force when
 * force is not NULL, -h (help), and the errors (unknown option, missing
 * argument).  EXIT_OK: handled, go on; PARSE_DONE: help was printed;
 * otherwise the exit status to return.
 */
enum target_force;
int command_option(const struct command *cmd, int c, char **argv,
		   enum target_force *force);

/* command_option for ls and maps, after their output options (-o, -J,
 * -r, -n, -b, --sort over the column table defs): the same returns. */
struct outopts;
struct coldef;
int command_output_option(const struct command *cmd, int c, char **argv,
			  struct outopts *o, const struct coldef *defs,
			  size_t ndefs);

/* The body of cmd_NAME: the exit status of its parse step rc, or of the
 * run (an expression, evaluated only when rc is EXIT_OK). */
#define COMMAND_PARSE_RUN(rc, run)                                            \
	((rc) == PARSE_DONE ? EXIT_OK : (rc) != EXIT_OK ? (rc) : (run))

/* Exactly one argument, the TARGET, after the options: EXIT_OK, or a
 * usage error ("missing TARGET", "too many arguments"). */
int command_one_target(int argc, char **argv);

/*
 * The common end of a getopt_long switch: report an unknown option or a
 * missing argument for the current command; returns EXIT_USAGE.
 */
int option_error(int c, int optopt_, char **argv, int optind_);

/*
 * Two options that exclude each other, both given: "A and B exclude each
 * other" and EXIT_USAGE; else EXIT_OK.  a and b are the options as users
 * type them ("--json").
 */
int options_exclusive(const char *a, bool has_a, const char *b, bool has_b);

/* -J, -r and -P/-y (one output format each) exclude each other:
 * EXIT_OK or a usage error. */
int command_output_check(const struct outopts *o);

int cmd_create(int argc, char **argv);
int cmd_write(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_maps(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_chmod(int argc, char **argv);
int cmd_chown(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_unlock(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Hidden: each command's long options, for completion and drift tests. */
void command_list_options(const struct command *c, FILE *out);

#endif
