/*
 * graphql_fetch.c - a test driver: fetches a search's issues and complete
 * timelines through GraphQL (graphql.h) into a database, the way the fetcher's
 * GraphQL backend will, so tests can compare the rows with a REST fetch.
 *
 *   graphql_fetch --api-url URL --db PATH [--include-prs] [--first N]
 *                 [--timeline N] OWNER/NAME QUERY
 *
 * It pages through QUERY (no created: windows: the tests' corpora stay
 * under the search cap), completes each page's long timelines in batched
 * continuations, and stores each issue with its timeline in one transaction,
 * keeping GraphQL's raw objects. The token comes from GH_TOKEN or
 * GITHUB_TOKEN; ISSUEMINE_WAIT_SCALE scales waits as for issuemine. It prints
 * one JSON line of counts (the client's stats included) and exits 0, or
 * prints "graphql_fetch: <what>" and exits 1.
 */
#include "gh.h"
#include "graphql.h"
#include "store.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct options {
	const char *api_url, *db, *repo, *query;
	int include_prs, first, timeline;
};

struct counts {
	long issues, events, skipped, gone, pages;
	int first, timeline;
};

static int usage(void)
{
	fprintf(stderr, "usage: graphql_fetch --api-url URL --db PATH [--include-prs] [--first N] "
	                "[--timeline N] OWNER/NAME QUERY\n");
	return 2;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){NULL, NULL, NULL, NULL, 0, 100, 100};
	int i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--include-prs"))
			o->include_prs = 1;
		else if (i + 1 < argc && !strcmp(argv[i], "--api-url"))
			o->api_url = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--db"))
			o->db = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--first"))
			o->first = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--timeline"))
			o->timeline = atoi(argv[++i]);
		else
			return -1;
	}
	if (argc - i != 2 || !o->api_url || !o->db)
		return -1;
	o->repo = argv[i];
	o->query = argv[i + 1];
	return 0;
}

static int store_issue(struct store *s, const char *repo, struct graphql_issue *gi,
                       struct error *err)
{
	int64_t repo_id, issue_id;
	enum store_upsert_result result;
	if (store_begin(s, err))
		return -1;
	if (store_repo_id(s, repo, 1, &repo_id, err) ||
	    store_upsert_issue_raw(s, repo_id, gi->issue, gi->raw, STORE_API_GRAPHQL,
	                           STORE_UPSERT_FORCE, &issue_id, &result, err) ||
	    store_replace_timeline_raw(s, issue_id, gi->events, gi->raw_events, STORE_API_GRAPHQL,
	                               err) ||
	    store_commit(s, err)) {
		store_rollback(s);
		return error_prefix(err, "%s#%lld", repo, (long long)gi->number);
	}
	return 0;
}

/* Completes the timelines of a page and stores its issues. */
static int finish_page(struct store *s, struct gh_client *gh, const struct options *o,
                       struct graphql_page *p, struct counts *c, struct error *err)
{
	struct graphql_issue **all = calloc(p->nissues + 1, sizeof(*all));
	for (size_t i = 0; i < p->nissues; i++)
		all[i] = &p->issues[i];
	int rc = graphql_complete_timelines(gh, o->repo, all, p->nissues, o->timeline, err);
	free(all);
	for (size_t i = 0; !rc && i < p->nissues; i++) {
		struct graphql_issue *gi = &p->issues[i];
		if (gi->gone) {
			c->gone++;
			continue;
		}
		rc = store_issue(s, o->repo, gi, err);
		c->issues++;
		c->events += (long)json_array_size(gi->events);
	}
	return rc;
}

static int fetch(struct store *s, struct gh_client *gh, const struct options *o, struct counts *c,
                 struct error *err)
{
	struct graphql_search_request req = {o->query, NULL, o->first, o->timeline, o->include_prs};
	char *after = NULL;
	int rc = 0;
	for (;;) {
		struct graphql_page p = {0};
		req.after = after;
		if (graphql_search_page(gh, &req, &p, err)) {
			rc = -1;
			break;
		}
		c->pages++;
		c->skipped += (long)p.skipped;
		req.first = c->first = p.first; /* stay at a size GitHub answered */
		req.timeline_first = c->timeline = p.timeline_first;
		rc = finish_page(s, gh, o, &p, c, err);
		free(after);
		after = p.has_next ? strdup(p.end_cursor) : NULL;
		graphql_page_release(&p);
		if (rc || !after)
			break;
	}
	free(after);
	return rc;
}

static void print_counts(const struct counts *c, struct gh_client *gh)
{
	const struct gh_stats *st = gh_client_stats(gh);
	struct gh_rate rate = gh_client_rate(gh, "graphql");
	printf("{\"issues\": %ld, \"events\": %ld, \"skipped\": %ld, \"gone\": %ld, ", c->issues,
	       c->events, c->skipped, c->gone);
	printf("\"pages\": %ld, \"first\": %d, \"timeline\": %d, ", c->pages, c->first,
	       c->timeline);
	printf("\"requests\": %ld, \"graphql_queries\": %ld, \"points\": %ld, \"retries\": %ld, ",
	       st->requests, st->graphql_queries, st->points, st->retries);
	printf("\"graphql_remaining\": %ld}\n", rate.known ? rate.remaining : -1L);
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse_options(argc, argv, &o))
		return usage();
	struct error err = {{0}};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const char *source = NULL;
	struct gh_token *token = gh_token_from_env(&source);
	const char *scale = getenv("ISSUEMINE_WAIT_SCALE");
	struct gh_options gopt = {o.api_url, token, scale ? atof(scale) : 1.0, 0, NULL,
	                          NULL,      source};
	struct gh_client *gh = gh_client_new(&gopt, &err);
	struct store *s = NULL;
	struct counts c = {0, 0, 0, 0, 0, o.first, o.timeline};
	int rc = -1;
	if (gh && !store_open(o.db, STORE_READWRITE, &s, &err))
		rc = fetch(s, gh, &o, &c, &err);
	if (rc)
		fprintf(stderr, "graphql_fetch: %s\n", err.msg);
	else
		print_counts(&c, gh);
	store_close(s);
	gh_client_free(gh);
	gh_token_free(token);
	curl_global_cleanup();
	return rc ? 1 : 0;
}
