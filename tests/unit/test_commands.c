// SPDX-License-Identifier: MIT
/*
 * test_commands.c - the command table: complete rows, unique names, exact
 * lookup, and every command answering --help / -h.
 */
#include "unit.h"

#include <getopt.h>

static void test_rows_complete(void **state)
{
	size_t i;

	(void)state;
	assert_true(ncommands > 0);
	for (i = 0; i < ncommands; i++) {
		const struct command *c = commands[i];

		assert_non_null(c->name);
		assert_true(c->name[0] != '\0');
		if (!c->run)
			fail_msg("%s: no run function", c->name);
		if (!c->summary || !*c->summary)
			fail_msg("%s: no summary", c->name);
		if (!c->synopsis || !*c->synopsis)
			fail_msg("%s: no synopsis", c->name);
		if (!c->opts || !c->opts[0].name)
			fail_msg("%s: no options", c->name);
	}
}

static void test_names_unique(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < ncommands; i++)
		for (j = i + 1; j < ncommands; j++)
			if (strcmp(commands[i]->name, commands[j]->name) == 0)
				fail_msg("command '%s' twice (rows %zu, %zu)",
					 commands[i]->name, i, j);
}

static void test_names_are_words(void **state)
{
	size_t i;

	(void)state;
	/* Lower-case words: no option-like or blank names. */
	for (i = 0; i < ncommands; i++) {
		const char *p;

		for (p = commands[i]->name; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '-' ||
			      (*p >= '0' && *p <= '9')))
				fail_msg("command name '%s'", commands[i]->name);
		assert_true(commands[i]->name[0] != '-');
	}
}

/* The option help of a command, as --help prints it (malloc'd). */
static char *options_help(const struct command *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	command_options_help(c, f);
	fclose(f);
	return buf;
}

static void test_options_mention_help(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ncommands; i++) {
		char *h = options_help(commands[i]);

		if (!strstr(h, " -h, --help "))
			fail_msg("%s: options do not mention --help",
				 commands[i]->name);
		free(h);
	}
}

/* Every option of the table is in the help text, with its short form and
 * argument, and every option with help text starts a line at column 1. */
static void test_options_help_from_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ncommands; i++) {
		const struct cmd_option *o;
		char *h = options_help(commands[i]);

		for (o = commands[i]->opts; o->name; o++) {
			char want[96];

			if (o->help && o->short_name)
				snprintf(want, sizeof(want), "\n -%c, --%s%s%s",
					 o->short_name, o->name,
					 o->arg ? " " : "", o->arg ? o->arg : "");
			else if (o->help)
				snprintf(want, sizeof(want), "\n     --%s%s%s",
					 o->name, o->arg ? " " : "",
					 o->arg ? o->arg : "");
			else
				snprintf(want, sizeof(want), ", --%s",
					 o->name);
			/* the first line has no newline before it */
			if (!strstr(h, want) &&
			    strncmp(h, want + 1, strlen(want + 1)) != 0)
				fail_msg("%s: help lacks '%s':\n%s",
					 commands[i]->name, want + 1, h);
			if (o->short_name && o->val != o->short_name)
				fail_msg("%s: -%c returns %d", commands[i]->name,
					 o->short_name, o->val);
		}
		free(h);
	}
}

static void test_synopsis_starts_with_name(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ncommands; i++) {
		const char *n = commands[i]->name, *s = commands[i]->synopsis;
		size_t len = strlen(n);

		if (strncmp(s, n, len) != 0 ||
		    (s[len] != ' ' && s[len] != '\0' && s[len] != '\n'))
			fail_msg("%s: synopsis \"%s\"", n, s);
		/* Summaries are short phrases: no newline, no final dot. */
		if (strchr(commands[i]->summary, '\n') ||
		    commands[i]->summary[strlen(commands[i]->summary) - 1] ==
			    '.')
			fail_msg("%s: summary \"%s\"", n,
				 commands[i]->summary);
	}
}

static void test_command_find(void **state)
{
	static const char *const misses[] = {
		"cre", "CREATE", "Create", "create ", " create", "", "c",
		"creates", "ls-", "LS", "rmx", "-h", "--help", "nosuch",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ncommands; i++)
		assert_ptr_equal(command_find(commands[i]->name), commands[i]);
	for (i = 0; i < UT_ARRAY_SIZE(misses); i++)
		if (command_find(misses[i]))
			fail_msg("command_find(\"%s\") found a command",
				 misses[i]);
	/* The commands ARCHITECTURE.md, Targets names. */
	assert_non_null(command_find("create"));
	assert_non_null(command_find("write"));
	assert_non_null(command_find("read"));
	assert_non_null(command_find("stat"));
	assert_non_null(command_find("ls"));
	assert_non_null(command_find("rm"));
	assert_non_null(command_find("maps"));
	assert_non_null(command_find("help"));
}

static void test_command_usage(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ncommands; i++) {
		char *buf = NULL, want[64];
		size_t len = 0, lines = 0, nl = 0;
		FILE *f = open_memstream(&buf, &len);
		const char *p;

		assert_non_null(f);
		command_usage(commands[i], f);
		assert_int_equal(fclose(f), 0);
		snprintf(want, sizeof(want), "Usage: shmtool %s",
			 commands[i]->name);
		if (strncmp(buf, want, strlen(want)) != 0)
			fail_msg("%s: usage \"%s\"", commands[i]->name, buf);
		/* One output line per synopsis line, each "shmtool ...". */
		for (p = commands[i]->synopsis; *p; p++)
			nl += *p == '\n';
		for (p = buf; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, nl + 1);
		assert_int_equal(buf[len - 1], '\n');
		free(buf);
	}
}

/* Run a command with stdout captured into a malloc'd string. */
static int run_captured(const struct command *c, int argc, char **argv,
			char **out)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t len;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);

	optind = 0;	/* a fresh getopt for every call */
	util_cmdname = c->name;
	rc = c->run(argc, argv);
	util_cmdname = NULL;

	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	assert_int_equal(slurp_fd(fileno(tmp), 1 << 20, out, &len), 0);
	*out = realloc(*out, len + 1);
	assert_non_null(*out);
	(*out)[len] = '\0';
	fclose(tmp);
	return rc;
}

static void test_every_command_answers_help(void **state)
{
	static const char *const flags[] = { "--help", "-h" };
	size_t i, k;

	(void)state;
	for (i = 0; i < ncommands; i++) {
		for (k = 0; k < UT_ARRAY_SIZE(flags); k++) {
			char name[32], flag[16], want[64];
			char *argv[] = { name, flag, NULL };
			char *out = NULL;
			int rc;

			snprintf(name, sizeof(name), "%s", commands[i]->name);
			snprintf(flag, sizeof(flag), "%s", flags[k]);
			rc = run_captured(commands[i], 2, argv, &out);
			if (rc != EXIT_OK)
				fail_msg("'%s %s' returned %d", name, flag,
					 rc);
			snprintf(want, sizeof(want), "Usage: shmtool %s", name);
			if (strncmp(out, want, strlen(want)) != 0)
				fail_msg("'%s %s' printed \"%s\"", name, flag,
					 out);
			/* The help shows the summary and the options. */
			char *h = options_help(commands[i]);

			if (!strstr(out, commands[i]->summary) ||
			    !strstr(out, h))
				fail_msg("'%s %s': help lacks summary or "
					 "options", name, flag);
			free(h);
			free(out);
		}
	}
}

static void test_command_help(void **state)
{
	char *out = NULL;
	char *argv[] = { (char *)"help", (char *)"ls", NULL };
	const struct command *help = command_find("help");

	(void)state;
	assert_int_equal(command_help("nosuch"), EXIT_FAIL);
	assert_int_equal(command_help("LS"), EXIT_FAIL);
	assert_non_null(help);
	/* "shmtool help ls" is "shmtool ls --help". */
	assert_int_equal(run_captured(help, 2, argv, &out), EXIT_OK);
	assert_true(strncmp(out, "Usage: shmtool ls", 17) == 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_names_are_words),
		cmocka_unit_test(test_options_mention_help),
		cmocka_unit_test(test_synopsis_starts_with_name),
		cmocka_unit_test(test_command_find),
		cmocka_unit_test(test_options_help_from_table),
		cmocka_unit_test(test_command_usage),
		cmocka_unit_test(test_every_command_answers_help),
		cmocka_unit_test(test_command_help),
	};

	return cmocka_run_group_tests_name("commands", tests, NULL, NULL);
}
