/*
 * import.c - "issuemine import FILE...": JSON dumps of issues into the database.
 */
#include "cli.h"
#include "commands.h"
#include "import.h"
#include "issueref.h"
#include "progress.h"

#include <jansson.h>
#include <string.h>

static const char *const import_usage[] = {
        "issuemine import [--repo OWNER/NAME] [--quiet] [--format text|json] FILE...",
        NULL,
        "Import JSON dumps of GitHub issues: each FILE holds an array of issue objects",
        "as the REST API returns them, each optionally with a \"timeline\" array of",
        "timeline events. FILE '-' reads standard input. The repository comes from each",
        "issue's repository_url or html_url unless --repo says. Each file is imported",
        "in one transaction: a malformed file is refused whole. Re-importing is safe:",
        "an issue is replaced only when its updated_at is newer.",
        NULL,
};

static void show_progress(void *data, const char *file, long long done, long long total,
                          const struct import_counts *c)
{
	struct progress *p = data;
	if (total > 0)
		progress_update(p, "import %s: %lld%% (%ld issues)", file, done * 100 / total,
		                c->items);
	else
		progress_update(p, "import %s: %ld issues", file, c->items);
}

static void print_summary(const char *format, int files, const struct import_counts *c)
{
	if (!strcmp(format, "json")) {
		cli_print_json(
		        json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I}", "files", files, "items",
		                  (json_int_t)c->items, "new", (json_int_t)c->issues_new, "updated",
		                  (json_int_t)c->issues_updated, "unchanged",
		                  (json_int_t)c->issues_unchanged, "pull_requests",
		                  (json_int_t)c->pull_requests, "events", (json_int_t)c->events));
		return;
	}
	printf("imported %d file%s: %ld issue%s (%ld new, %ld updated, %ld unchanged), "
	       "%ld pull request%s among them, %ld timeline events\n",
	       files, files == 1 ? "" : "s", c->items, c->items == 1 ? "" : "s", c->issues_new,
	       c->issues_updated, c->issues_unchanged, c->pull_requests,
	       c->pull_requests == 1 ? "" : "s", c->events);
}

int cmd_import(int argc, const char **argv)
{
	const char *repo = NULL, *format = "text";
	int quiet = 0;
	struct option opts[] = {
	        {OPT_STRING, 0, "repo", &repo, "OWNER/NAME", "the repository of every issue"},
	        {OPT_BOOL, 'q', "quiet", &quiet, NULL, "no progress line"},
	        {OPT_CHOICE, 0, "format", &format, "text|json", "summary format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("import", argc, argv, opts, import_usage);
	if (argc == 0)
		usage_error("import", "no FILE given");
	if (repo && !repo_name_valid(repo))
		usage_error("import", "--repo: '%s' is not OWNER/NAME", repo);

	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct progress *p = progress_start(quiet);
	struct import_options io = {repo, show_progress, p};
	struct import_counts counts = {0};
	struct error err;
	int rc = EXIT_SUCCESS, done = 0;
	for (; done < argc; done++) {
		if (import_file(s, argv[done], &io, &counts, &err)) {
			progress_clear(p);
			cli_error("%s (nothing of this file was imported)", err.msg);
			rc = EXIT_FAILURE;
			break;
		}
	}
	progress_done(p);
	if (rc == EXIT_SUCCESS)
		store_close(s);
	else
		store_close_failed(s); /* a database it created goes if nothing was imported */
	if (done > 0 || rc == EXIT_SUCCESS)
		print_summary(format, done, &counts);
	return rc;
}
