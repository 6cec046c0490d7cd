/*
 * main.c - the issuemine command: global options and dispatch to src/cmd/.
 *
 * "issuemine [--db PATH] <command> [options]". Adding a command means adding
 * src/cmd/<name>.c, its declaration in src/cli/commands.h and a row below.
 */
#include "cli.h"
#include "commands.h"
#include "strbuf.h"
#include "suggest.h"
#include "xalloc.h"

#include <locale.h>
#include <string.h>

const struct command commands[] = {
        {"fetch", cmd_fetch, "download issues and complete timelines from GitHub"},
        {"import", cmd_import, "import JSON dumps of GitHub issues and timelines"},
        {"stats", cmd_stats, "summarise what the database holds, per repository"},
        {"sql", cmd_sql, "run read-only SQL against the database, print CSV"},
        {"filter", cmd_filter, "list, count or save the issues a query matches"},
        {"queries", cmd_queries, "list the shipped queries, or show one"},
        {"sets", cmd_sets, "list named sets of issues, show or drop one"},
        {"sample", cmd_sample, "draw a reproducible random sample from a set"},
        {"fixes", cmd_fixes, "the commits and pull requests that fixed a set's issues"},
        {"validate", cmd_validate, "measure a query's precision and recall against a truth file"},
        {"taxonomy", cmd_taxonomy, "load, list and show failure taxonomies (codebooks)"},
        {"code", cmd_code, "set a rater's codes on an issue without the UI"},
        {"label", cmd_label, "code a sample's issues, blind, in a terminal UI"},
        {"codes", cmd_codes, "import and export raters' codes as CSV"},
        {"agree", cmd_agree, "measure inter-rater agreement (kappa, alpha) per dimension"},
        {"reconcile", cmd_reconcile, "settle where two raters disagree, as a third rater"},
        {"report", cmd_report, "tables, release correlation and figures from a coded sample"},
        {"releases", cmd_releases,
         "import, list and show release series for the release correlation"},
        {"config", cmd_config, "get and set study settings (report defaults, display names)"},
        {"archive", cmd_archive, "write a study's replication package, with reproduce.sh"},
        {"help", cmd_help, "list the commands, or show one command's help"},
        /* Hidden (no summary): what the shell completion scripts ask. */
        {"__complete", cmd_complete, NULL},
        {NULL, NULL, NULL},
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const char **command_names(size_t *n)
{
	const char **names = xcalloc(sizeof(commands) / sizeof(commands[0]), sizeof(*names));
	*n = 0;
	for (const struct command *c = commands; c->name; c++)
		if (c->summary) /* hidden commands are never suggested */
			names[(*n)++] = c->name;
	return names;
}

static void print_version(void)
{
	printf("issuemine %s\n", ISSUEMINE_VERSION);
}

/* Fails with msg (which names word), suggesting the closest of names, as git does. */
static void unknown(const char *msg, const char *word, const char *const *names, size_t n,
                    const char *prefix) __attribute__((noreturn));

static void unknown(const char *msg, const char *word, const char *const *names, size_t n,
                    const char *prefix)
{
	struct strbuf hint = STRBUF_INIT;
	suggest_append(&hint, word + strlen(prefix), names, n, prefix);
	cli_error("%s%s", msg, hint.buf);
	strbuf_release(&hint);
	fprintf(stderr, "see 'issuemine help'\n");
	exit(EXIT_USAGE);
}

static void unknown_option(const char *arg)
{
	static const char *const names[] = {"db", "help", "version"};
	const char *eq = strchr(arg, '=');
	char *word = xstrndup(arg, eq ? (size_t)(eq - arg) : strlen(arg));
	char *msg = xstrfmt("unknown option '%s'", word);
	if (strncmp(word, "--", 2))
		unknown(msg, word, names, 0, "");
	unknown(msg, word, names, 3, "--");
}

static void unknown_command(const char *name)
{
	size_t n;
	const char **names = command_names(&n);
	char *msg = xstrfmt("'%s' is not an issuemine command", name);
	unknown(msg, name, names, n, "");
}

/*
 * Consumes global options before the command; returns the command's index,
 * 0 for --help, or -1 when no command is given.
 */
static int global_options(int argc, const char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			print_version();
			exit(EXIT_SUCCESS);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return 0;
		} else if (!strcmp(a, "--db")) {
			if (i + 1 >= argc) {
				cli_error("--db needs a value (PATH, the database file)");
				fprintf(stderr, "see 'issuemine help'\n");
				exit(EXIT_USAGE);
			}
			opt_set_db_path(argv[++i]);
		} else if (!strncmp(a, "--db=", 5)) {
			opt_set_db_path(a + 5);
		} else {
			unknown_option(a);
		}
		i++;
	}
	return i < argc ? i : -1;
}

int main(int argc, const char **argv)
{
	setlocale(LC_ALL, "");
	int first = global_options(argc, argv);
	if (first <= 0) {
		/* "issuemine" alone is a usage error that shows the help, as git does. */
		const char *help[] = {"help", NULL};
		int rc = cmd_help(1, help);
		return first == 0 ? rc : EXIT_FAILURE;
	}
	const struct command *cmd = command_find(argv[first]);
	if (!cmd)
		unknown_command(argv[first]);
	return cli_finish_stdout(cmd->fn(argc - first, argv + first));
}
