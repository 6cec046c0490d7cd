/*
 * commands.h - every subcommand's entry point, and the table that names them.
 *
 * Each command lives in src/cmd/<name>.c as cmd_<name>(argc, argv), where
 * argv[0] is the command's name. It returns the process exit code. It calls
 * parse_options (src/cli/opt.h) before it does anything else: shell
 * completion runs a command up to that call to learn its options.
 */
#ifndef ISSUEMINE_COMMANDS_H
#define ISSUEMINE_COMMANDS_H

#include <stddef.h>

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv);
	const char *summary; /* NULL hides the command from help, suggestions and completion */
};

/* The table in src/main.c, in the order "issuemine help" lists it; ends with a NULL name. */
extern const struct command commands[];

const struct command *command_find(const char *name);

/* The names of the commands help lists (hidden ones left out), in *n; caller frees the array. */
const char **command_names(size_t *n);

int cmd_agree(int argc, const char **argv);
int cmd_archive(int argc, const char **argv);
int cmd_codes(int argc, const char **argv);
int cmd_config(int argc, const char **argv);
int cmd_fetch(int argc, const char **argv);
int cmd_fixes(int argc, const char **argv);
int cmd_help(int argc, const char **argv);
int cmd_import(int argc, const char **argv);
int cmd_stats(int argc, const char **argv);
int cmd_sql(int argc, const char **argv);
int cmd_taxonomy(int argc, const char **argv);
int cmd_code(int argc, const char **argv);
int cmd_complete(int argc, const char **argv);
int cmd_releases(int argc, const char **argv);
int cmd_report(int argc, const char **argv);
int cmd_filter(int argc, const char **argv);
int cmd_queries(int argc, const char **argv);
int cmd_sets(int argc, const char **argv);
int cmd_sample(int argc, const char **argv);
int cmd_validate(int argc, const char **argv);
int cmd_label(int argc, const char **argv);
int cmd_reconcile(int argc, const char **argv);

#endif
