/*
 * stats.c - "issuemine stats": what the database holds, per repository.
 */
#include "cli.h"
#include "commands.h"
#include "summary.h"

#include <string.h>

static const char *const stats_usage[] = {
        "issuemine stats [--format text|json]",
        NULL,
        "Per repository: issues, pull requests, open and closed, timeline events (in",
        "all and by type), the oldest and newest issue, the last complete fetch, and",
        "stored issues that no longer match their fetch's search or are gone from GitHub.",
        "Issues known only by number (made by 'codes import --create-missing', say) are",
        "counted apart, as references.",
        NULL,
};

static long long int_member(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* A string member for text output, its control characters escaped (it came from GitHub). */
static const char *str_or(json_t *obj, const char *key, const char *fallback)
{
	const char *v = json_string_value(json_object_get(obj, key));
	return v ? cli_text(v) : fallback;
}

static void print_repo(json_t *repo)
{
	printf("%s\n", str_or(repo, "repository", "?"));
	printf("  %-15s %lld\n", "issues", int_member(repo, "issues"));
	printf("  %-15s %lld\n", "pull requests", int_member(repo, "pull_requests"));
	printf("  %-15s %lld open, %lld closed\n", "state", int_member(repo, "open"),
	       int_member(repo, "closed"));
	if (int_member(repo, "minimal"))
		printf("  %-15s %lld known only by number (no data fetched or imported)\n",
		       "references", int_member(repo, "minimal"));
	printf("  %-15s %s .. %s\n", "created", str_or(repo, "oldest", "-"),
	       str_or(repo, "newest", "-"));
	printf("  %-15s %s\n", "last fetch", str_or(repo, "last_fetch", "never"));
	if (int_member(repo, "no_longer_matching") || int_member(repo, "gone"))
		printf("  %-15s %lld no longer match their fetch's search, %lld gone from GitHub "
		       "(transferred or deleted)\n",
		       "stale", int_member(repo, "no_longer_matching"), int_member(repo, "gone"));
	printf("  %-15s %lld\n", "events", int_member(repo, "events"));
	const char *type;
	json_t *n;
	json_object_foreach(json_object_get(repo, "events_by_type"), type, n)
	        printf("    %-25s %lld\n", cli_text(type), (long long)json_integer_value(n));
}

static void print_text(json_t *summary)
{
	json_t *repos = json_object_get(summary, "repositories");
	if (json_array_size(repos) == 0) {
		printf("%s: no repositories yet (see 'issuemine fetch' and 'issuemine import')\n",
		       str_or(summary, "database", "?"));
		return;
	}
	size_t i;
	json_t *repo;
	json_array_foreach(repos, i, repo)
	{
		if (i)
			printf("\n");
		print_repo(repo);
	}
}

int cmd_stats(int argc, const char **argv)
{
	const char *format = "text";
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "text|json", "output format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("stats", argc, argv, opts, stats_usage);
	if (argc > 0)
		usage_error("stats", "unexpected argument '%s'", argv[0]);
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	json_t *summary;
	struct error err;
	int rc = summary_build(s, &summary, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "json")) {
		cli_print_json(summary);
		return EXIT_SUCCESS;
	}
	print_text(summary);
	json_decref(summary);
	return EXIT_SUCCESS;
}
