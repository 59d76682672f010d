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

struct command {
	const char *name;
	/* Returns the exit status: EXIT_OK, EXIT_FAIL or EXIT_USAGE. */
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *synopsis;	/* after "shmtool "; lines split by '\n' */
	const char *options;	/* option help, one per line */
	const struct option *longopts;	/* what getopt_long parses */
};

extern const struct command commands[];
extern const size_t ncommands;

/* The global usage: synopsis and the command list. */
void shmtool_usage(FILE *out);

const struct command *command_find(const char *name);
void command_usage(const struct command *c, FILE *out);
/* Print the command's help on stdout; returns EXIT_OK. */
int command_help(const char *name);

/*
 * The common end of a getopt_long switch: report an unknown option or a
 * missing argument for the current command; returns EXIT_USAGE.
 */
int option_error(int c, int optopt_, char **argv, int optind_);

int cmd_create(int argc, char **argv);
int cmd_write(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_maps(int argc, char **argv);
int cmd_help(int argc, char **argv);

extern const struct option cmd_create_options[], cmd_write_options[],
	cmd_read_options[], cmd_stat_options[], cmd_ls_options[],
	cmd_maps_options[], cmd_rm_options[], cmd_help_options[];

/* Hidden: each command's long options, for completion and drift tests. */
void command_list_options(const struct command *c, FILE *out);

#endif
