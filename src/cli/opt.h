/*
 * opt.h - the one option parser every command uses.
 *
 * Options are declared as data (like git's parse-options), so help text,
 * unknown-option errors and exit codes are the same everywhere:
 *
 *	static const char *const usage[] = {
 *		"issuemine import [--repo OWNER/NAME] FILE...",
 *		NULL,
 *		"Import JSON dumps of GitHub issues into the database.",
 *		NULL,
 *	};
 *	struct option opts[] = {
 *		{OPT_STRING, 0, "repo", &repo, "OWNER/NAME", "repository of every issue"},
 *		{OPT_BOOL, 'q', "quiet", &quiet, NULL, "no progress line"},
 *		{OPT_END},
 *	};
 *	argc = parse_options("import", argc, argv, opts, usage);
 *
 * usage holds usage lines, then NULL, then description lines, then NULL.
 * Options and positional arguments may be mixed; "--" ends the options.
 * Every command also takes --db PATH and -h/--help. --help prints the usage
 * to stdout and exits 0; a usage error prints one line naming the option to
 * stderr and exits 2. On return argv[0..argc) holds the positional arguments.
 */
#ifndef ISSUEMINE_OPT_H
#define ISSUEMINE_OPT_H

#include <stddef.h>

enum opt_type {
	OPT_END,
	OPT_BOOL,        /* int: set to 1 (--no-NAME sets 0) */
	OPT_STRING,      /* const char *; argh names the value */
	OPT_INT,         /* long: a whole number */
	OPT_DOUBLE,      /* double */
	OPT_STRING_LIST, /* struct string_list: repeatable */
	OPT_CHOICE,      /* const char *: one of the '|'-separated words in argh */
};

struct option {
	enum opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh; /* placeholder for the value ("NAME"), or the choices */
	const char *help;
};

struct string_list {
	const char **items; /* borrowed from argv */
	size_t nr, alloc;
};

void string_list_append(struct string_list *list, const char *item);
void string_list_clear(struct string_list *list);

/* Parses argv (argv[0] is the command name); see the top of this file. */
int parse_options(const char *cmd, int argc, const char **argv, const struct option *opts,
                  const char *const *usage);

/* Prints the usage (to stdout, as --help does). */
void print_usage(const char *cmd, const struct option *opts, const char *const *usage);

/* Prints "issuemine CMD: MSG" and a pointer to --help on stderr, and exits 2. */
void usage_error(const char *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3), noreturn));

/*
 * Shell completion (src/cmd/complete.c) learns a command's options by running
 * the command with a hook set: parse_options then hands the hook the options
 * and usage it was given instead of parsing them (cmd is the command as
 * parse_options names it, "codes import"). The hook must not return.
 */
typedef void (*opt_hook_fn)(const char *cmd, const struct option *opts, const char *const *usage);
void opt_set_hook(opt_hook_fn hook);

/* The --db given to a command or before it, or NULL. */
const char *opt_db_path(void);
void opt_set_db_path(const char *path);

#endif
