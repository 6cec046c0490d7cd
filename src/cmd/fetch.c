/*
 * fetch.c - "issuemine fetch OWNER/NAME": issues and complete timelines from GitHub.
 *
 * Parses the options, decides the API URL (--api-url, --hostname, $GH_HOST),
 * the token (as the gh CLI finds it, for that host) and the API (--api;
 * GraphQL when there is a token, REST without), refuses to send a token
 * over plain http off this machine, and runs fetch_run() with a
 * progress line (issues done/total, requests, the rate limit left, waits
 * with a countdown, ETA) and a summary at the end. The database is opened
 * only once GitHub has answered, and a database this command created is
 * removed again when the run stored nothing in it.
 */
#include "cli.h"
#include "commands.h"
#include "fetch.h"
#include "gh.h"
#include "ghtoken.h"
#include "progress.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const fetch_usage[] = {
        "issuemine fetch [--label NAME]... [--state closed|open|all] [--query QUALIFIERS]",
        "                [--include-prs] [--since DATE] [--max-issues N] [--api graphql|rest]",
        "                [--api-url URL | --hostname HOST] [--insecure-http] [--wait]",
        "                [--quiet] [--format text|json] OWNER/NAME",
        NULL,
        "Download the issues of a repository that match a GitHub search, each with its",
        "complete timeline (comments included), into the database. The search is",
        "'repo:OWNER/NAME is:issue is:closed' plus one label:\"NAME\" per --label and the",
        "qualifiers of --query. Killed or failed, the same command resumes where it",
        "stopped; run again later, it only fetches what changed, and updates stored",
        "issues that no longer match. One fetch of a search runs at a time: another",
        "one refuses, or waits with --wait.",
        "With a token the GraphQL API is used: 100 issues with their first 100 timeline",
        "items per query, long timelines continued many at once, for a small fraction",
        "of the rate limit and of the time. Without a token, or with --api rest, the",
        "REST API: a request per timeline page (and ETags, so a refresh of unchanged",
        "pages costs little). Both store the same rows.",
        "The token is found as the gh CLI finds it: $GH_TOKEN, then $GITHUB_TOKEN for",
        "github.com ($GH_ENTERPRISE_TOKEN, then $GITHUB_ENTERPRISE_TOKEN for any other",
        "host), then 'gh auth token --hostname HOST'. --hostname HOST (or $GH_HOST) is",
        "short for --api-url https://HOST/api/v3.",
        NULL,
};

struct fetch_ui {
	struct progress *p;
	struct gh_client *gh;
	const char *api;  /* "graphql" or "rest" */
	const char *repo; /* as given, until GitHub's spelling is known */
	enum fetch_phase phase;
	struct fetch_counts last;
	int have_counts;
	struct timespec start;
	long done_at_start; /* issues done when the timeline phase began (for the ETA) */
	int timing;
};

/* ", core limit 4321/5000 left" for the resource the phase uses (GraphQL: its points), or "". */
static void rate_text(struct fetch_ui *ui, char *out, size_t size)
{
	int graphql = !strcmp(ui->api, "graphql");
	const char *resource = graphql ? "graphql" : ui->phase == FETCH_LISTING ? "search" : "core";
	struct gh_rate r = gh_client_rate(ui->gh, resource);
	char points[48] = "";
	if (graphql)
		snprintf(points, sizeof(points), ", %ld points", gh_client_stats(ui->gh)->points);
	if (r.known)
		snprintf(out, size, "%s, %s limit %ld/%ld left", points, resource, r.remaining,
		         r.limit);
	else
		snprintf(out, size, "%s", points);
}

/* What has been done, without the wait or ETA. */
static void state_text(struct fetch_ui *ui, char *out, size_t size)
{
	const struct fetch_counts *c = &ui->last;
	const struct gh_stats *st = gh_client_stats(ui->gh);
	char rate[96];
	rate_text(ui, rate, sizeof(rate));
	const char *repo = ui->have_counts && c->repo[0] ? c->repo : ui->repo;
	switch (ui->phase) {
	case FETCH_CHECKING:
		snprintf(out, size, "fetch %s: looking up the repository", repo);
		break;
	case FETCH_WAITING:
		snprintf(out, size,
		         "fetch %s: waiting for the fetch of this search by pid %ld on %s", repo,
		         c->lease_pid, c->lease_host);
		break;
	case FETCH_RECONCILING:
		snprintf(out, size,
		         "fetch %s: looking for stored issues that no longer match, %ld found, %ld "
		         "requests%s",
		         repo, c->issues_stopped, st->requests, rate);
		break;
	case FETCH_LISTING:
		snprintf(out, size, "fetch %s: listing, %ld issues found, %ld requests%s", repo,
		         c->listed, st->requests, rate);
		break;
	case FETCH_TIMELINES:
		snprintf(out, size, "fetch %s: %ld/%ld issues, %ld requests%s", repo,
		         c->issues_done, c->issues_total, st->requests, rate);
		break;
	}
}

static void show(struct fetch_ui *ui, int force)
{
	char line[400], eta[48] = "";
	state_text(ui, line, sizeof(line));
	long done = ui->last.issues_done - ui->done_at_start;
	long left = ui->last.issues_total - ui->last.issues_done;
	if (ui->phase == FETCH_TIMELINES && ui->timing && done > 0 && left > 0) {
		char d[32];
		progress_duration(progress_seconds_since(&ui->start) / (double)done * (double)left,
		                  d, sizeof(d));
		snprintf(eta, sizeof(eta), ", ETA %s", d);
	}
	if (force)
		progress_force(ui->p, "%s%s", line, eta);
	else
		progress_update(ui->p, "%s%s", line, eta);
}

static void on_progress(void *data, enum fetch_phase phase, const struct fetch_counts *c)
{
	struct fetch_ui *ui = data;
	if (phase == FETCH_TIMELINES && !ui->timing) {
		ui->timing = 1;
		ui->done_at_start = c->issues_done;
		clock_gettime(CLOCK_MONOTONIC, &ui->start);
	}
	/* Waiting for another run is news worth a line, even in a log. */
	int force = phase == FETCH_WAITING && ui->phase != FETCH_WAITING;
	ui->phase = phase;
	ui->last = *c;
	ui->have_counts = 1;
	show(ui, force);
}

static void on_wait(void *data, const char *why, double left)
{
	struct fetch_ui *ui = data;
	char line[400] = "";
	if (why)
		state_text(ui, line, sizeof(line));
	progress_wait(ui->p, line, why, left);
}

static void print_text(const struct fetch_counts *c, const struct gh_stats *st)
{
	long issues = c->issues_new + c->issues_updated + c->issues_unchanged;
	char cost[64];
	if (!strcmp(c->api, "graphql"))
		snprintf(cost, sizeof(cost), "%ld GraphQL points", st->points);
	else
		snprintf(cost, sizeof(cost), "%ld not modified", st->not_modified);
	printf("fetched %s: %ld issue%s (%ld new, %ld updated, %ld unchanged), %ld timeline "
	       "events; %ld requests (%s), %ld %s, %.0f s waited\n",
	       c->repo, issues, issues == 1 ? "" : "s", c->issues_new, c->issues_updated,
	       c->issues_unchanged, c->events, st->requests, cost, st->retries,
	       st->retries == 1 ? "retry" : "retries", st->waited);
	if (c->resumed)
		printf("resumed an interrupted fetch\n");
	if (!c->complete)
		printf("stopped at --max-issues: not a complete fetch, the next run lists "
		       "everything again\n");
	if (c->issues_gone)
		printf("%ld issue%s listed by the search but gone from GitHub (deleted, "
		       "transferred or hidden): skipped\n",
		       c->issues_gone, c->issues_gone == 1 ? "" : "s");
	if (c->issues_stopped)
		printf("%ld stored issue%s no longer match%s the search (reopened, relabelled, "
		       "transferred or deleted; %ld gone from the repository): stored state "
		       "updated\n",
		       c->issues_stopped, c->issues_stopped == 1 ? "" : "s",
		       c->issues_stopped == 1 ? "es" : "", c->issues_removed);
	if (c->missed)
		printf("warning: %ld issues created within one second could not be listed "
		       "(with --query, a second holding more than the 1,000 results a search "
		       "returns; without, the repository's issues list did not show them)\n",
		       c->missed);
}

static void print_json(const struct fetch_counts *c, const struct gh_stats *st)
{
	json_t *issues = json_pack(
	        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "listed", (json_int_t)c->listed, "new",
	        (json_int_t)c->issues_new, "updated", (json_int_t)c->issues_updated, "unchanged",
	        (json_int_t)c->issues_unchanged, "gone", (json_int_t)c->issues_gone, "stopped",
	        (json_int_t)c->issues_stopped, "removed", (json_int_t)c->issues_removed);
	json_t *j = json_pack(
	        "{s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I}",
	        "repository", c->repo, "query", c->query, "api", c->api, "complete", c->complete,
	        "resumed", c->resumed, "refresh", c->refresh, "issues", issues, "events",
	        (json_int_t)c->events, "requests", (json_int_t)st->requests, "not_modified",
	        (json_int_t)st->not_modified, "retries", (json_int_t)st->retries, "waited_seconds",
	        st->waited, "windows", (json_int_t)c->windows, "crowded", (json_int_t)c->crowded,
	        "missed", (json_int_t)c->missed);
	json_object_set_new(j, "graphql_queries", json_integer(st->graphql_queries));
	json_object_set_new(j, "points", json_integer(st->points));
	cli_print_json(j);
}

/* One line: what failed, and whether a rerun has something to resume. */
static void print_failure(const char *repo, const struct fetch_counts *c, const struct error *err)
{
	if (c->issues_done || c->listed)
		cli_error("fetch %s: %s (%ld issues stored; run the same command again to resume)",
		          repo, err->msg, c->issues_done);
	else
		cli_error("fetch %s: %s", repo, err->msg);
}

static void check_options(const struct fetch_options *fo, const char *api_url)
{
	char host[GH_HOST_MAX];
	if (!repo_name_valid(fo->repo))
		usage_error("fetch", "'%s' is not OWNER/NAME", fo->repo);
	if ((strncasecmp(api_url, "http://", 7) && strncasecmp(api_url, "https://", 8)) ||
	    gh_token_host(api_url, host, sizeof(host)))
		usage_error("fetch", "--api-url: '%s' is not an http:// or https:// URL", api_url);
	if (gh_url_has_userinfo(api_url))
		usage_error("fetch", "%s", GH_USERINFO_REFUSED);
	time_t t;
	if (fo->since && time_parse_iso(fo->since, &t))
		usage_error("fetch", "--since: '%s' is not a date (YYYY-MM-DD or ISO 8601)",
		            fo->since);
	if (fo->max_issues < 0)
		usage_error("fetch", "--max-issues: %ld is negative", fo->max_issues);
	/* Labels and qualifiers the search cannot take are the command line's fault. */
	struct strbuf query = STRBUF_INIT;
	struct error err;
	int bad = fetch_build_query(fo, fo->repo, &query, &err);
	strbuf_release(&query);
	if (bad)
		usage_error("fetch", "%s", err.msg);
}

/* The database, opened once GitHub has answered. */
struct lazy_store {
	const char *path;
	struct store *s;
};

static int open_lazily(void *data, struct store **s, struct error *err)
{
	struct lazy_store *ls = data;
	if (store_open(ls->path, STORE_READWRITE, &ls->s, err))
		return -1;
	*s = ls->s;
	return 0;
}

/*
 * The token, and the API: --api's, else GraphQL when there is a token (it
 * needs one), else REST. NULL with *refused set when the command cannot go on.
 */
static struct gh_token *choose_api(const char *context, const char *api, const char *api_url,
                                   int insecure, char *source, size_t size,
                                   const struct fetch_backend **be, int *refused)
{
	struct gh_token *token;
	if (api && !strcmp(api, "graphql"))
		token = cli_github_token_required(context, api_url, insecure, "--api graphql",
		                                  source, size, refused);
	else
		token = cli_github_token(context, api_url, insecure, source, size, refused);
	int graphql = api ? !strcmp(api, "graphql") : token != NULL;
	*be = graphql ? &fetch_graphql_backend : &fetch_rest_backend;
	return token;
}

static int run_fetch(struct fetch_options *fo, const char *api, const char *api_url, int insecure,
                     int quiet, const char *format)
{
	char source[64], context[REPO_NAME_MAX + 8];
	int refused;
	snprintf(context, sizeof(context), "fetch %s", fo->repo);
	struct gh_token *token = choose_api(context, api, api_url, insecure, source, sizeof(source),
	                                    &fo->backend, &refused);
	if (refused)
		return EXIT_FAILURE;
	struct fetch_ui ui = {0};
	ui.api = fo->backend->name;
	ui.repo = fo->repo;
	struct gh_options go = {api_url, token, cli_wait_scale(),     0,
	                        on_wait, &ui,   token ? source : NULL};
	struct error err;
	struct lazy_store ls = {cli_db_path()};
	int rc = EXIT_FAILURE;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct gh_client *gh = gh_client_new(&go, &err);
	if (!gh) {
		cli_fail(&err);
		goto out;
	}
	ui.gh = gh;
	ui.p = progress_start(quiet);
	fo->progress = on_progress;
	fo->progress_data = &ui;
	fo->open_store = open_lazily;
	fo->open_data = &ls;
	struct fetch_counts counts = {0};
	int failed = fetch_run(NULL, gh, fo, &counts, &err);
	progress_done(ui.p);
	if (failed) {
		gh_client_scrub_error(gh, &err); /* messages built from GitHub's text too */
		print_failure(fo->repo, &counts, &err);
		store_close_failed(ls.s); /* a database it created and left blank goes */
		ls.s = NULL;
		goto out;
	}
	if (!strcmp(format, "json"))
		print_json(&counts, gh_client_stats(gh));
	else
		print_text(&counts, gh_client_stats(gh));
	rc = EXIT_SUCCESS;
out:
	store_close(ls.s);
	gh_client_free(gh);
	gh_token_free(token);
	curl_global_cleanup();
	return rc;
}

/* --api-url, else --hostname, else $GH_HOST, else github.com; caller frees. */
static char *choose_api_url(const char *api_url, const char *hostname)
{
	if (api_url && hostname)
		usage_error("fetch", "--api-url and --hostname name the same thing: give one");
	const char *bad;
	char *url = gh_choose_api_url(api_url, hostname, &bad);
	if (!url)
		usage_error("fetch", "%s '%s' is not a host name", bad,
		            hostname ? hostname : getenv("GH_HOST"));
	return url;
}

int cmd_fetch(int argc, const char **argv)
{
	struct string_list labels = {0};
	const char *state = "closed", *query = NULL, *since = NULL, *format = "text";
	const char *api_url = NULL, *hostname = NULL, *api = NULL;
	int include_prs = 0, quiet = 0, wait = 0, insecure = 0;
	long max_issues = 0;
	struct option opts[] = {
	        {OPT_STRING_LIST, 'l', "label", &labels, "NAME",
	         "only issues with this label "
	         "(repeatable: all of them)"},
	        {OPT_CHOICE, 0, "state", &state, "closed|open|all", "issue state (default closed)"},
	        {OPT_STRING, 0, "query", &query, "QUALIFIERS", "more GitHub search qualifiers"},
	        {OPT_BOOL, 0, "include-prs", &include_prs, NULL, "keep pull requests too"},
	        {OPT_STRING, 0, "since", &since, "DATE", "only issues created on or after DATE"},
	        {OPT_INT, 0, "max-issues", &max_issues, "N", "list at most N issues (a trial)"},
	        {OPT_CHOICE, 0, "api", &api, "graphql|rest",
	         "GitHub's API (default graphql with a token, rest without)"},
	        {OPT_STRING, 0, "api-url", &api_url, "URL",
	         "GitHub API (default " GH_DEFAULT_API_URL ")"},
	        {OPT_STRING, 0, "hostname", &hostname, "HOST",
	         "GitHub host: --api-url https://HOST/api/v3 (default $GH_HOST)"},
	        {OPT_BOOL, 0, "insecure-http", &insecure, NULL,
	         "send the token over plain http to another machine"},
	        {OPT_BOOL, 0, "wait", &wait, NULL, "wait for another fetch of the search to end"},
	        {OPT_BOOL, 'q', "quiet", &quiet, NULL, "no progress line"},
	        {OPT_CHOICE, 0, "format", &format, "text|json", "summary format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("fetch", argc, argv, opts, fetch_usage);
	if (argc != 1)
		usage_error("fetch", argc ? "one repository at a time" : "no OWNER/NAME given");
	struct fetch_options fo = {
	        .repo = argv[0],
	        .labels = labels.items,
	        .nlabels = labels.nr,
	        .state = state,
	        .query = query,
	        .include_prs = include_prs,
	        .since = since,
	        .max_issues = max_issues,
	        .wait_lease = wait,
	};
	char *url = choose_api_url(api_url, hostname);
	check_options(&fo, url);
	int rc = run_fetch(&fo, api, url, insecure, quiet, format);
	free(url);
	string_list_clear(&labels);
	return rc;
}
