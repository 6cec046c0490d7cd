/*
 * fixes.c - "issuemine fixes": the commits and pull requests that fixed a
 * set's issues, fetched from GitHub (fixes fetch), listed per set (fixes
 * list) or shown with their files and patches per issue (fixes show).
 *
 * fetch runs fixes_run() with a progress line (issues done/total, changes
 * fetched, requests, the rate limit left, waits with a countdown, ETA) and a
 * summary at the end; list and show read the store.
 */
#include "cli.h"
#include "commands.h"
#include "csv.h"
#include "fixes.h"
#include "gh.h"
#include "ghtoken.h"
#include "issueref.h"
#include "progress.h"
#include "sets.h"
#include "store_fixes.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char *const fixes_usage[] = {
        "issuemine fixes fetch --set SET [--refresh] [--api-url URL | --hostname HOST]",
        "                      [--insecure-http] [--quiet] [--format text|json]",
        "issuemine fixes list --set SET [--format table|csv|json]",
        "issuemine fixes show ISSUE [--patch] [--format text|json]",
        NULL,
        "fetch: for every issue of SET, the changes its stored timeline points at: the",
        "commit of a closed or referenced event, the pull request of a cross-reference,",
        "and the pull request a closing commit was merged from, each with every changed",
        "file and its patch. A closing commit, or a merged pull request of the issue's",
        "own repository, is a fix; any other change is linked. Killed or failed, the same",
        "command resumes; run again, it asks only about pull requests that may still",
        "change (an unchanged one costs a 304). --refresh asks about everything stored",
        "and retries what GitHub said was gone. The API is --api-url's or --hostname's,",
        "else the one the set's issues were fetched from, else $GH_HOST's, else",
        "github.com's; its token is found as for 'issuemine fetch' (the gh CLI's rules,",
        "per host; no token over plain http to another machine without --insecure-http).",
        "list: each issue of SET with its fixes and linked changes. show: one issue's",
        "changes with their files (--patch: and patches).",
        NULL,
};

struct fixes_cli {
	const char *set, *api_url, *hostname, *format;
	int refresh, quiet, patch, insecure;
};

/* --- fetch: progress --- */

struct fetch_ui {
	struct progress *p;
	struct gh_client *gh;
	const char *set;
	struct fixes_counts last;
	char doing[320];
	struct timespec start;
};

/* What has been done, without the wait or ETA. */
static void state_text(struct fetch_ui *ui, char *out, size_t size)
{
	const struct fixes_counts *c = &ui->last;
	const struct gh_stats *st = gh_client_stats(ui->gh);
	struct gh_rate rate = gh_client_rate(ui->gh, "core");
	char limit[96] = "";
	if (rate.known)
		snprintf(limit, sizeof(limit), ", core limit %ld/%ld left", rate.remaining,
		         rate.limit);
	snprintf(out, size, "fixes %s: %ld/%ld issues, %ld changes fetched, %ld requests%s%s%s",
	         ui->set, c->issues_done, c->issues_total, c->fetched, st->requests, limit,
	         ui->doing[0] ? "; " : "", ui->doing);
}

static void on_progress(void *data, const struct fixes_counts *c, const char *doing)
{
	struct fetch_ui *ui = data;
	ui->last = *c;
	snprintf(ui->doing, sizeof(ui->doing), "%s", doing ? doing : "");
	char line[512], eta[48] = "";
	state_text(ui, line, sizeof(line));
	long done = c->issues_done, left = c->issues_total - c->issues_done;
	if (done > 0 && left > 0) {
		char d[32];
		progress_duration(progress_seconds_since(&ui->start) / (double)done * (double)left,
		                  d, sizeof(d));
		snprintf(eta, sizeof(eta), ", ETA %s", d);
	}
	progress_update(ui->p, "%s%s", line, eta);
}

static void on_wait(void *data, const char *why, double left)
{
	struct fetch_ui *ui = data;
	char line[512] = "";
	if (why)
		state_text(ui, line, sizeof(line));
	progress_wait(ui->p, line, why, left);
}

/* --- fetch: the summary --- */

static const char connected_note[] =
        "connected events name no pull request over REST; fetched with --api graphql, their "
        "timelines name it";

static void print_text(const char *set, const struct fixes_counts *c, const struct gh_stats *st)
{
	printf("fixes of set '%s': %ld issue%s: %ld with a fix, %ld with linked changes only, "
	       "%ld with none\n",
	       set, c->issues_done, c->issues_done == 1 ? "" : "s", c->with_fix, c->linked_only,
	       c->without);
	printf("%ld fix%s and %ld linked change%s; %ld change%s fetched (%ld commit%s, %ld pull "
	       "request%s, %ld files, %ld without a patch, %ld truncated at GitHub's 3,000 "
	       "files), %ld unchanged, %ld gone\n",
	       c->fixes, c->fixes == 1 ? "" : "es", c->linked, c->linked == 1 ? "" : "s",
	       c->fetched, c->fetched == 1 ? "" : "s", c->commits, c->commits == 1 ? "" : "s",
	       c->pulls, c->pulls == 1 ? "" : "s", c->files, c->patchless, c->truncated,
	       c->unchanged, c->gone);
	printf("%ld requests (%ld not modified), %ld %s, %.0f s waited\n", st->requests,
	       st->not_modified, st->retries, st->retries == 1 ? "retry" : "retries", st->waited);
	if (c->connected)
		printf("%ld connected event%s not resolved: %s\n", c->connected,
		       c->connected == 1 ? "" : "s", connected_note);
}

static void print_json(const char *set, const struct fixes_counts *c, const struct gh_stats *st)
{
	json_t *issues = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "total",
	                           (json_int_t)c->issues_total, "done", (json_int_t)c->issues_done,
	                           "with_fix", (json_int_t)c->with_fix, "linked_only",
	                           (json_int_t)c->linked_only, "without", (json_int_t)c->without,
	                           "resolved_before", (json_int_t)c->resolved_before);
	json_t *changes = json_pack(
	        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "fetched", (json_int_t)c->fetched,
	        "commits", (json_int_t)c->commits, "pulls", (json_int_t)c->pulls, "unchanged",
	        (json_int_t)c->unchanged, "gone", (json_int_t)c->gone, "lookups",
	        (json_int_t)c->lookups, "files", (json_int_t)c->files, "patchless",
	        (json_int_t)c->patchless, "truncated", (json_int_t)c->truncated);
	json_t *connected =
	        json_pack("{s:I, s:s}", "events", (json_int_t)c->connected, "note", connected_note);
	cli_print_json(json_pack("{s:s, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:f}", "set", set,
	                         "issues", issues, "fixes", (json_int_t)c->fixes, "linked",
	                         (json_int_t)c->linked, "changes", changes, "connected", connected,
	                         "requests", (json_int_t)st->requests, "not_modified",
	                         (json_int_t)st->not_modified, "retries", (json_int_t)st->retries,
	                         "waited_seconds", st->waited));
}

/* --- fetch --- */

/* The set must exist before any request is made. */
static int check_set(struct store *s, const char *name, int64_t *id_out)
{
	int64_t id;
	struct error err;
	if (set_find(s, name, &id, &err))
		return cli_fail(&err);
	if (!id) {
		cli_error("fixes: no set named '%s' (see 'issuemine sets')", name);
		return EXIT_FAILURE;
	}
	*id_out = id;
	return 0;
}

static void print_failure(const struct fetch_ui *ui, const struct error *err)
{
	if (ui->last.issues_done)
		cli_error("fixes fetch: %s (%ld issues done; run the same command again to resume)",
		          err->msg, ui->last.issues_done);
	else
		cli_error("fixes fetch: %s", err->msg);
}

static int run_fetch(struct store *s, const struct fixes_cli *o, struct gh_token *token,
                     const char *source)
{
	struct fetch_ui ui = {0};
	ui.set = o->set;
	clock_gettime(CLOCK_MONOTONIC, &ui.start);
	struct gh_options go = {o->api_url, token, cli_wait_scale(), 0, on_wait, &ui, source};
	struct error err;
	struct gh_client *gh = gh_client_new(&go, &err);
	if (!gh)
		return cli_fail(&err);
	ui.gh = gh;
	ui.p = progress_start(o->quiet);
	struct fixes_options fo = {o->set, o->refresh, on_progress, &ui};
	struct fixes_counts counts = {0};
	int failed = fixes_run(s, gh, &fo, &counts, &err);
	progress_done(ui.p);
	ui.p = NULL;
	ui.last = counts;
	int rc = EXIT_SUCCESS;
	if (failed) {
		gh_client_scrub_error(gh, &err); /* messages built from GitHub's text too */
		print_failure(&ui, &err);
		rc = EXIT_FAILURE;
	} else if (!strcmp(o->format, "json")) {
		print_json(o->set, &counts, gh_client_stats(gh));
	} else {
		print_text(o->set, &counts, gh_client_stats(gh));
	}
	gh_client_free(gh);
	return rc;
}

/*
 * The API to ask when neither --api-url nor --hostname names one: the one
 * the set's repositories were fetched from, else $GH_HOST's, else
 * github.com's. NULL after a message when it cannot be told.
 */
static char *default_api_url(struct store *s, const char *set, int64_t set_id)
{
	char *url;
	int several;
	struct error err;
	if (set_fetch_api(s, set_id, &url, &several, &err)) {
		cli_fail(&err);
		return NULL;
	}
	if (several) {
		cli_error("fixes fetch: the issues of set '%s' were fetched from more than one "
		          "API; name the one to ask with --api-url or --hostname",
		          set);
		return NULL;
	}
	if (url)
		return url;
	const char *bad;
	url = gh_choose_api_url(NULL, NULL, &bad);
	if (!url)
		cli_error("fixes fetch: GH_HOST '%s' is not a host name", getenv("GH_HOST"));
	return url;
}

static int fetch_with_token(struct store *s, const struct fixes_cli *o)
{
	/* The token as "issuemine fetch" finds it: the gh CLI's rules, per host. */
	char source[64];
	int refused;
	struct gh_token *token = cli_github_token("fixes fetch", o->api_url, o->insecure, source,
	                                          sizeof(source), &refused);
	if (refused)
		return EXIT_FAILURE;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = run_fetch(s, o, token, token ? source : NULL);
	curl_global_cleanup();
	gh_token_free(token);
	return rc;
}

static int cmd_fetch_fixes(struct fixes_cli *o)
{
	/* Fixes come from stored timelines: a database that does not exist is a wrong path. */
	struct stat sb;
	if (stat(cli_db_path(), &sb)) {
		cli_error("%s: %s (nothing fetched or imported yet?)", cli_db_path(),
		          strerror(errno));
		return EXIT_FAILURE;
	}
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	int64_t set_id = 0;
	int rc = check_set(s, o->set, &set_id);
	char *url = NULL;
	if (!rc && !o->api_url) {
		o->api_url = url = default_api_url(s, o->set, set_id);
		rc = url ? 0 : EXIT_FAILURE;
	}
	if (!rc)
		rc = fetch_with_token(s, o);
	store_close(s);
	free(url);
	return rc;
}

/* --- list --- */

static json_t *str_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *count_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* "O/R#N" or "O/R@SHA7" for a row's change, into out. */
static void change_name(const struct fix_row *r, char *out, size_t size)
{
	if (r->kind && !strcmp(r->kind, "pr"))
		snprintf(out, size, "%s#%lld", r->repo, (long long)r->number);
	else
		snprintf(out, size, "%s@%.7s", r->repo, r->sha ? r->sha : "");
}

/* The state of a change as one word: merged, open, closed, commit, or gone (404). */
static void change_state(const struct fix_row *r, char *out, size_t size)
{
	if (r->status && !strcmp(r->status, "gone"))
		snprintf(out, size, "gone (%ld)", r->http_status);
	else if (!strcmp(r->kind, "commit"))
		snprintf(out, size, "commit");
	else if (r->merged == 1)
		snprintf(out, size, "merged");
	else
		snprintf(out, size, "%s", r->state ? r->state : "?");
}

static json_t *change_json(const struct fix_row *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "role", str_or_null(r->role));
	json_object_set_new(o, "via", str_or_null(r->via));
	json_object_set_new(o, "kind", str_or_null(r->kind));
	json_object_set_new(o, "repository", str_or_null(r->repo));
	json_object_set_new(o, "number",
	                    !strcmp(r->kind, "pr") ? json_integer(r->number) : json_null());
	json_object_set_new(o, "sha", str_or_null(r->sha));
	json_object_set_new(o, "status", str_or_null(r->status));
	json_object_set_new(o, "http_status",
	                    r->http_status ? json_integer(r->http_status) : json_null());
	json_object_set_new(o, "title", str_or_null(r->title));
	json_object_set_new(o, "author", str_or_null(r->author));
	json_object_set_new(o, "state", str_or_null(r->state));
	json_object_set_new(o, "merged", r->merged < 0 ? json_null() : json_boolean(r->merged));
	json_object_set_new(o, "merged_at", str_or_null(r->merged_at));
	json_object_set_new(o, "created_at", str_or_null(r->created_at));
	json_object_set_new(o, "committed_at", str_or_null(r->committed_at));
	json_object_set_new(o, "url", str_or_null(r->url));
	json_object_set_new(o, "additions", count_or_null(r->additions));
	json_object_set_new(o, "deletions", count_or_null(r->deletions));
	json_object_set_new(o, "file_count", count_or_null(r->file_count));
	json_object_set_new(o, "files_stored", json_integer(r->files_stored));
	json_object_set_new(o, "truncated", json_boolean(r->truncated));
	return o;
}

struct lister {
	const char *format;
	struct store *s;
	int patch;
	json_t *all;   /* json: the issues so far */
	json_t *issue; /* json: the issue being listed */
	int64_t issue_id;
	long rows;
};

static json_t *issue_json(const struct fix_row *r)
{
	char ref[REPO_NAME_MAX + 24];
	snprintf(ref, sizeof(ref), "%s#%lld", r->issue_repo, (long long)r->issue_number);
	return json_pack("{s:s, s:s, s:I, s:b, s:I, s:[]}", "issue", ref, "repository",
	                 r->issue_repo, "number", (json_int_t)r->issue_number, "resolved",
	                 r->resolved, "connected", (json_int_t)r->connected, "changes");
}

static void print_table_row(const struct fix_row *r)
{
	char ref[REPO_NAME_MAX + 24], name[REPO_NAME_MAX + 48], state[32];
	snprintf(ref, sizeof(ref), "%s#%lld", r->issue_repo, (long long)r->issue_number);
	if (!r->change_id) {
		printf("%-28s  %s\n", ref,
		       r->resolved ? "-       (no commit or pull request in its timeline)"
		                   : "?       (no fix data: run 'issuemine fixes fetch')");
		return;
	}
	change_name(r, name, sizeof(name));
	change_state(r, state, sizeof(state));
	printf("%-28s  %-6s  %-16s  %-34s  %-10s  %5lld  +%-7lld -%-7lld  %s\n", ref, r->role,
	       r->via, name, state, (long long)(r->files_stored),
	       (long long)(r->additions < 0 ? 0 : r->additions),
	       (long long)(r->deletions < 0 ? 0 : r->deletions), r->title ? r->title : "");
}

static void print_csv_row(const struct fix_row *r)
{
	char ref[REPO_NAME_MAX + 24], number[24] = "", files[24], adds[24] = "", dels[24] = "";
	snprintf(ref, sizeof(ref), "%s#%lld", r->issue_repo, (long long)r->issue_number);
	snprintf(files, sizeof(files), "%lld", (long long)r->files_stored);
	if (r->change_id && !strcmp(r->kind, "pr"))
		snprintf(number, sizeof(number), "%lld", (long long)r->number);
	if (r->additions >= 0)
		snprintf(adds, sizeof(adds), "%lld", (long long)r->additions);
	if (r->deletions >= 0)
		snprintf(dels, sizeof(dels), "%lld", (long long)r->deletions);
	const char *merged = r->merged < 0 ? "" : r->merged ? "1" : "0";
	const char *row[] = {ref,
	                     r->resolved ? "1" : "0",
	                     r->role,
	                     r->via,
	                     r->kind,
	                     r->repo,
	                     number,
	                     r->sha,
	                     r->status,
	                     r->state,
	                     merged,
	                     r->change_id ? files : "",
	                     adds,
	                     dels,
	                     r->change_id ? (r->truncated ? "1" : "0") : "",
	                     r->title,
	                     r->url};
	csv_write_row(stdout, row, sizeof(row) / sizeof(row[0]));
}

static int list_row(void *data, const struct fix_row *r, struct error *err)
{
	struct lister *l = data;
	l->rows++;
	if (!strcmp(l->format, "table")) {
		print_table_row(r);
	} else if (!strcmp(l->format, "csv")) {
		print_csv_row(r);
	} else {
		if (!l->issue || l->issue_id != r->issue_id) {
			l->issue = issue_json(r);
			l->issue_id = r->issue_id;
			json_array_append_new(l->all, l->issue);
		}
		if (r->change_id)
			json_array_append_new(json_object_get(l->issue, "changes"), change_json(r));
	}
	return 0;
}

static int cmd_list_fixes(const struct fixes_cli *o)
{
	if (!strcmp(o->format, "text"))
		usage_error("fixes", "list comes as a table, CSV or JSON");
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	int64_t set_id;
	struct error err;
	int rc = EXIT_FAILURE;
	if (set_find(s, o->set, &set_id, &err)) {
		cli_fail(&err);
	} else if (!set_id) {
		cli_error("fixes list: no set named '%s' (see 'issuemine sets')", o->set);
	} else {
		struct lister l = {o->format, s, 0, json_array(), NULL, 0, 0};
		static const char *const header[] = {
		        "issue",     "resolved",  "role",      "via",   "kind",   "repository",
		        "number",    "sha",       "status",    "state", "merged", "files",
		        "additions", "deletions", "truncated", "title", "url"};
		if (!strcmp(o->format, "csv"))
			csv_write_row(stdout, header, sizeof(header) / sizeof(header[0]));
		else if (!strcmp(o->format, "table"))
			printf("%-28s  %-6s  %-16s  %-34s  %-10s  %5s  %-8s %-8s  %s\n", "ISSUE",
			       "ROLE", "VIA", "CHANGE", "STATE", "FILES", "+ADDED", "-DELETED",
			       "TITLE");
		if (store_fix_rows_of_set(s, set_id, list_row, &l, &err)) {
			cli_fail(&err);
		} else {
			rc = EXIT_SUCCESS;
			if (!strcmp(o->format, "json"))
				cli_print_json(json_incref(l.all));
		}
		json_decref(l.all);
	}
	store_close(s);
	return rc;
}

/* --- show --- */

static const char *file_letter(const char *status)
{
	static const char *const names[][2] = {{"added", "A"},    {"removed", "D"},
	                                       {"modified", "M"}, {"renamed", "R"},
	                                       {"copied", "C"},   {"changed", "T"}};
	for (size_t i = 0; status && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(status, names[i][0]))
			return names[i][1];
	return "?";
}

static int show_file_text(void *data, const struct fix_file_row *f, struct error *err)
{
	const struct lister *l = data;
	printf("    %s %s", file_letter(f->status), f->path);
	if (f->previous_path)
		printf(" (from %s)", f->previous_path);
	printf("  +%lld -%lld%s\n", (long long)(f->additions < 0 ? 0 : f->additions),
	       (long long)(f->deletions < 0 ? 0 : f->deletions),
	       f->has_patch ? "" : "  (no patch: binary or too large)");
	if (l->patch && f->patch) {
		for (const char *line = f->patch; *line;) {
			size_t len = strcspn(line, "\n");
			printf("        %.*s\n", (int)len, line);
			line += len + (line[len] == '\n');
		}
	}
	return 0;
}

static int show_file_json(void *data, const struct fix_file_row *f, struct error *err)
{
	json_t *files = data;
	json_t *o = json_object();
	json_object_set_new(o, "path", str_or_null(f->path));
	json_object_set_new(o, "previous_path", str_or_null(f->previous_path));
	json_object_set_new(o, "status", str_or_null(f->status));
	json_object_set_new(o, "additions", count_or_null(f->additions));
	json_object_set_new(o, "deletions", count_or_null(f->deletions));
	json_object_set_new(o, "has_patch", json_boolean(f->has_patch));
	json_object_set_new(o, "patch", str_or_null(f->patch));
	json_array_append_new(files, o);
	return 0;
}

static void print_issue_header(const struct fix_row *r)
{
	printf("%s#%lld: %s", r->issue_repo, (long long)r->issue_number,
	       r->resolved ? "fixes resolved" : "no fix data (run 'issuemine fixes fetch')");
	if (r->connected)
		printf(", %ld connected event%s not resolved (%s)", r->connected,
		       r->connected == 1 ? "" : "s", "REST names no pull request");
	printf("\n");
}

static int show_row(void *data, const struct fix_row *r, struct error *err)
{
	struct lister *l = data;
	if (!l->rows++) {
		if (strcmp(l->format, "json"))
			print_issue_header(r);
		else
			l->issue = issue_json(r);
	}
	if (!r->change_id)
		return 0;
	if (!strcmp(l->format, "json")) {
		json_t *c = change_json(r);
		json_t *files = json_array();
		json_object_set_new(c, "files", files);
		json_array_append_new(json_object_get(l->issue, "changes"), c);
		return store_fix_files(l->s, r->change_id, show_file_json, files, err);
	}
	char name[REPO_NAME_MAX + 48], state[32];
	change_name(r, name, sizeof(name));
	change_state(r, state, sizeof(state));
	printf("\n%s  %s %s  %s  (via %s)\n", r->role, r->kind, name, state, r->via);
	if (r->title)
		printf("    %s\n", r->title);
	if (r->url)
		printf("    %s\n", r->url);
	if (r->change_id && r->status && strcmp(r->status, "gone"))
		printf("    %lld file%s%s, +%lld -%lld\n", (long long)r->files_stored,
		       r->files_stored == 1 ? "" : "s",
		       r->truncated ? " (truncated: GitHub lists at most 3,000)" : "",
		       (long long)(r->additions < 0 ? 0 : r->additions),
		       (long long)(r->deletions < 0 ? 0 : r->deletions));
	return store_fix_files(l->s, r->change_id, show_file_text, l, err);
}

static int cmd_show_fixes(const struct fixes_cli *o, const char *ref)
{
	if (!strcmp(o->format, "table") || !strcmp(o->format, "csv"))
		usage_error("fixes", "show comes as text or JSON");
	struct issueref ir;
	if (issueref_parse(ref, &ir))
		usage_error("fixes", "'%s' is not an issue (OWNER/NAME#N or a URL)", ref);
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	int64_t id;
	struct error err;
	int rc = EXIT_FAILURE;
	if (store_issue_id(s, ir.repo, ir.number, &id, &err)) {
		cli_fail(&err);
	} else if (!id) {
		cli_error("fixes show: %s#%lld: not in the database", ir.repo,
		          (long long)ir.number);
	} else {
		struct lister l = {o->format, s, o->patch, NULL, NULL, 0, 0};
		if (store_fix_rows_of_issue(s, id, show_row, &l, &err))
			cli_fail(&err);
		else
			rc = EXIT_SUCCESS;
		if (!rc && !strcmp(o->format, "json"))
			cli_print_json(json_incref(l.issue));
		json_decref(l.issue);
	}
	store_close(s);
	return rc;
}

/* fetch, at the API --api-url or --hostname names, else as default_api_url finds it. */
static int fetch_fixes_at(struct fixes_cli *o)
{
	if (o->api_url && o->hostname)
		usage_error("fixes", "--api-url and --hostname name the same thing: give one");
	char *url = NULL;
	if (o->hostname) {
		const char *bad;
		url = gh_choose_api_url(NULL, o->hostname, &bad);
		if (!url)
			usage_error("fixes", "--hostname '%s' is not a host name", o->hostname);
		o->api_url = url;
	}
	if (o->api_url && strncasecmp(o->api_url, "http://", 7) &&
	    strncasecmp(o->api_url, "https://", 8))
		usage_error("fixes", "--api-url: '%s' is not an http:// or https:// URL",
		            o->api_url);
	if (o->api_url && gh_url_has_userinfo(o->api_url))
		usage_error("fixes", "%s", GH_USERINFO_REFUSED);
	int rc = cmd_fetch_fixes(o);
	free(url);
	return rc;
}

int cmd_fixes(int argc, const char **argv)
{
	struct fixes_cli o = {0};
	struct option opts[] = {
	        {OPT_STRING, 0, "set", &o.set, "SET",
	         "the set whose issues' fixes to fetch or list"},
	        {OPT_BOOL, 0, "refresh", &o.refresh, NULL,
	         "fetch: ask about every stored change, retry gone ones"},
	        {OPT_STRING, 0, "api-url", &o.api_url, "URL",
	         "fetch: GitHub API (default: the one the set was fetched from)"},
	        {OPT_STRING, 0, "hostname", &o.hostname, "HOST",
	         "fetch: GitHub host: --api-url https://HOST/api/v3"},
	        {OPT_BOOL, 0, "insecure-http", &o.insecure, NULL,
	         "fetch: send the token over plain http to another machine"},
	        {OPT_BOOL, 'q', "quiet", &o.quiet, NULL, "fetch: no progress line"},
	        {OPT_BOOL, 0, "patch", &o.patch, NULL, "show: print each file's patch"},
	        {OPT_CHOICE, 0, "format", &o.format, "text|table|csv|json",
	         "output (fetch, show: text or json; list: table, csv or json)"},
	        {OPT_END},
	};
	argc = parse_options("fixes", argc, argv, opts, fixes_usage);
	if (!argc)
		usage_error("fixes", "no action given (expected fetch, list or show)");
	const char *action = argv[0];
	int fetch = !strcmp(action, "fetch"), list = !strcmp(action, "list");
	int show = !strcmp(action, "show");
	if (!fetch && !list && !show)
		usage_error("fixes", "unknown action '%s' (expected fetch, list or show)", action);
	if (show ? argc != 2 : argc != 1)
		usage_error("fixes", show ? "show takes one ISSUE" : "unexpected argument '%s'",
		            show ? action : argv[1]);
	if (!show && !o.set)
		usage_error("fixes", "%s needs --set SET", action);
	if (show && o.set)
		usage_error("fixes", "show takes an ISSUE, not --set");
	if (!fetch && (o.refresh || o.quiet || o.api_url || o.hostname || o.insecure))
		usage_error("fixes", "--refresh, --quiet, --api-url, --hostname and "
		                     "--insecure-http go with fetch");
	if (o.patch && !show)
		usage_error("fixes", "--patch goes with show");
	if (!o.format)
		o.format = list ? "table" : "text";
	if (fetch && strcmp(o.format, "text") && strcmp(o.format, "json"))
		usage_error("fixes", "fetch's summary comes as text or JSON");
	if (fetch)
		return fetch_fixes_at(&o);
	return list ? cmd_list_fixes(&o) : cmd_show_fixes(&o, argv[1]);
}
