/*
 * main.c - the issuemine command: global options and dispatch to src/cmd/.
 *
 * "issuemine [--db PATH] <command> [options]". Adding a command means adding
 * src/cmd/<name>.c, its declaration in src/cli/commands.h and a row below.
 */
#include "cli.h"
#include "commands.h"

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
        {NULL, NULL, NULL},
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void print_version(void)
{
	printf("issuemine %s\n", ISSUEMINE_VERSION);
}

/* Consumes global options before the command; returns the command's index or -1. */
static int global_options(int argc, const char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			print_version();
			exit(EXIT_SUCCESS);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			return -1;
		} else if (!strcmp(a, "--db") && i + 1 < argc) {
			opt_set_db_path(argv[++i]);
		} else if (!strncmp(a, "--db=", 5)) {
			opt_set_db_path(a + 5);
		} else {
			fprintf(stderr, "issuemine: unknown option '%s'\nsee 'issuemine help'\n",
			        a);
			exit(EXIT_USAGE);
		}
		i++;
	}
	return i < argc ? i : -1;
}

int main(int argc, const char **argv)
{
	setlocale(LC_ALL, "");
	int first = global_options(argc, argv);
	if (first < 0) {
		const char *help[] = {"help", NULL};
		return cmd_help(1, help);
	}
	const struct command *cmd = command_find(argv[first]);
	if (!cmd) {
		fprintf(stderr,
		        "issuemine: '%s' is not an issuemine command\nsee 'issuemine help'\n",
		        argv[first]);
		return EXIT_USAGE;
	}
	return cmd->fn(argc - first, argv + first);
}
