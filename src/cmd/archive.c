/*
 * archive.c - "issuemine archive": a study's replication package.
 *
 * What goes in it and how it is made whole is in src/report/archive.h; this
 * file reads the options, finds the binary that writes the results (this
 * one), and prints what was written.
 */
#include "archive.h"
#include "cli.h"
#include "commands.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static const char *const archive_usage[] = {
        "issuemine archive --sample S [--rater R] [--raters A,B] [--releases NAME]",
        "                  [--drop-first] [--drop-last] [--merge A-B]... [--force] DIR",
        NULL,
        "Write a self-contained replication package of sample S into the directory DIR:",
        "a slim database with only what the study needs (the sample's issues with their",
        "labels, timelines and fixes; the sets it was drawn from, with their queries and",
        "seeds, the other issues of those only as outlines; raters, codes, notes,",
        "exclusions and the whole change log; the codebook and its versions; release",
        "series; settings), every table of 'report' in every format, the funnel and the",
        "release correlation, both figures, each rater's codes as CSV, the agreement",
        "between the raters, the codebook, the sets and the sample drawn again from",
        "its seed; a README with the provenance (issuemine version, fetch dates and",
        "searches, APIs, sets and seeds, codebook versions, raters, agreement, the",
        "funnel, settings); and reproduce.sh, which makes every one of those files",
        "again from the slim database with issuemine and compares them with the",
        "shipped ones (exit 0: the same; 1: they differ, with the differences).",
        "",
        "The files are written by running this issuemine on the slim database with the",
        "very commands reproduce.sh runs, in a fixed locale and time zone: nothing in",
        "them depends on when or where they were made. DIR is written whole or not at",
        "all (built beside it, renamed at the end); a DIR that is not empty is refused",
        "unless --force replaces it.",
        "",
        "--rater: whose codes the tables show (default: the report.rater setting, else",
        "the only rater). --raters: whose agreement is measured (default: every other",
        "rater who coded the sample, when there are two or more; else the two raters).",
        "--releases (default: the report.releases setting) and --drop-first,",
        "--drop-last, --merge are those of 'report --spearman'; without a series there",
        "is no release correlation and no release figure.",
        NULL,
};

/* This process's own binary: the commands of the archive run it. */
static int own_program(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void print_result(const struct archive_options *o, const struct archive_result *r,
                         const char *format)
{
	if (!strcmp(format, "json")) {
		json_t *j = json_pack(
		        "{s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I, s:I}", "directory",
		        o->dir, "sample", o->sample, "rater", o->rater, "raters",
		        o->raters && *o->raters ? o->raters : NULL, "releases", o->releases,
		        "files", (json_int_t)r->files, "issues", (json_int_t)r->issues,
		        "outline_issues", (json_int_t)r->outline, "events", (json_int_t)r->events,
		        "changes", (json_int_t)r->changes, "code_log", (json_int_t)r->log_rows);
		cli_print_json(j);
		return;
	}
	printf("archived sample '%s' in %s: %zu files from the codes of %s", o->sample, o->dir,
	       r->files, o->rater);
	if (o->raters && *o->raters)
		printf(", agreement of %s", o->raters);
	printf("\n  issuemine.db: %ld issues with %ld events and %ld fix changes, %ld outline "
	       "issues of the parent sets, %ld code_log rows\n",
	       r->issues, r->events, r->changes, r->outline, r->log_rows);
	if (!o->releases)
		printf("  no release series (--releases or report.releases): no release "
		       "correlation "
		       "or release figure\n");
	printf("  check it: %s/reproduce.sh\n", o->dir);
}

int cmd_archive(int argc, const char **argv)
{
	struct archive_options o = {0};
	struct string_list merges = {0};
	const char *format = "text";
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &o.sample, "S", "the coded sample (required)"},
	        {OPT_STRING, 0, "rater", &o.rater, "R", "whose codes the tables show"},
	        {OPT_STRING, 0, "raters", &o.raters, "A,B[,C...]", "whose agreement is measured"},
	        {OPT_STRING, 0, "taxonomy", &o.taxonomy, "NAME",
	         "the taxonomy (default: that of the codes)"},
	        {OPT_STRING, 0, "releases", &o.releases, "NAME",
	         "release series of the correlation and the figure"},
	        {OPT_BOOL, 0, "drop-first", &o.drop_first, NULL,
	         "correlation: leave out the first bin"},
	        {OPT_BOOL, 0, "drop-last", &o.drop_last, NULL,
	         "correlation: leave out the last bin"},
	        {OPT_STRING_LIST, 0, "merge", &merges, "A-B",
	         "correlation: merge releases A..B into one bin (repeatable)"},
	        {OPT_BOOL, 0, "force", &o.force, NULL, "replace DIR when it is not empty"},
	        {OPT_CHOICE, 0, "format", &format, "text|json", "summary format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("archive", argc, argv, opts, archive_usage);
	if (!o.sample)
		usage_error("archive", "--sample is required");
	if (argc != 1)
		usage_error("archive", argc ? "one DIR at a time" : "no DIR given");
	o.dir = argv[0];
	if (!*o.dir)
		usage_error("archive", "DIR: give a directory");
	o.merges = merges.items;
	o.nmerges = merges.nr;
	char program[PATH_MAX];
	if (own_program(program, sizeof(program))) {
		cli_error("archive: cannot find this program's binary (/proc/self/exe): %s",
		          strerror(errno));
		string_list_clear(&merges);
		return EXIT_FAILURE;
	}
	o.program = program;
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s)) {
		string_list_clear(&merges);
		return EXIT_FAILURE;
	}
	struct error err;
	char **owned = NULL;
	size_t nowned = 0;
	struct archive_result res;
	int rc = EXIT_SUCCESS;
	if (archive_resolve(s, &o, &owned, &nowned, &err) || archive_write(s, &o, &res, &err))
		rc = cli_fail(&err);
	else
		print_result(&o, &res, format);
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	store_close(s);
	string_list_clear(&merges);
	return rc;
}
