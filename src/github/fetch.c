/*
 * fetch.c - listing, timeline download, resume and refresh (see fetch.h).
 *
 * The state of a run lives in the database, never only in memory:
 * fetch_queries.state says which created: windows are left to list and the
 * URL of the next search page; fetch_pending holds the issues listed but not
 * yet stored; timeline_state holds, per stored issue, the updated_at its
 * timeline matches and each page's ETag and event count.
 */
#include "fetch.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the query --- */

/* True if the query text has qualifier (e.g. "created:"), as a word of its own. */
static int has_qualifier(const char *query, const char *qualifier)
{
	for (const char *p = strstr(query, qualifier); p; p = strstr(p + 1, qualifier))
		if (p == query || p[-1] == ' ' || p[-1] == '-')
			return 1;
	return 0;
}

/*
 * The first word of query that would widen the search beyond one repository
 * (repo:, org:, user:), or NULL; *len gets its length. Its results would be
 * stored under the repository being fetched.
 */
static const char *scope_qualifier(const char *query, int *len)
{
	static const char *const widening[] = {"repo:", "org:", "user:"};
	for (const char *w = query; *w; w += strcspn(w, " ")) {
		w += strspn(w, " ");
		for (size_t i = 0; i < sizeof(widening) / sizeof(widening[0]); i++) {
			if (!strncasecmp(w, widening[i], strlen(widening[i]))) {
				*len = (int)strcspn(w, " ");
				return w;
			}
		}
	}
	return NULL;
}

/* Refuses --query qualifiers that clash with how a fetch searches. */
static int check_extra_qualifiers(const struct fetch_options *opt, const char *repo,
                                  struct error *err)
{
	if (opt->since && has_qualifier(opt->query, "created:"))
		return error_set(err, "--since and a created: qualifier in --query cannot be "
		                      "combined");
	int len;
	const char *scope = scope_qualifier(opt->query, &len);
	if (scope)
		return error_set(err,
		                 "--query: %.*s would search beyond %s; fetch one repository at "
		                 "a time",
		                 len, scope, repo);
	return 0;
}

int fetch_build_query(const struct fetch_options *opt, const char *repo, struct strbuf *out,
                      struct error *err)
{
	strbuf_addf(out, "repo:%s", repo);
	if (!opt->include_prs)
		strbuf_adds(out, " is:issue");
	const char *state = opt->state ? opt->state : "closed";
	if (!strcmp(state, "closed"))
		strbuf_adds(out, " is:closed");
	else if (!strcmp(state, "open"))
		strbuf_adds(out, " is:open");
	else if (strcmp(state, "all"))
		return error_set(err, "state '%s': closed, open or all expected", state);
	for (size_t i = 0; i < opt->nlabels; i++) {
		const char *label = opt->labels[i];
		if (!*label || strchr(label, '"'))
			return error_set(err,
			                 "label '%s' cannot be searched for (empty, or has a \")",
			                 label);
		strbuf_addf(out, " label:\"%s\"", label);
	}
	if (opt->query && check_extra_qualifiers(opt, repo, err))
		return -1;
	if (opt->query && *opt->query)
		strbuf_addf(out, " %s", opt->query);
	/* The query names the run in fetch_queries: cut short, two searches would share one. */
	if (out->len + sizeof(" created:>=") + ISO_TIME_LEN > FETCH_QUERY_MAX)
		return error_set(err, "the search is %zu bytes long, more than GitHub takes",
		                 out->len);
	return 0;
}

/* --- created: windows --- */

int fetch_window_split(const struct fetch_window *w, struct fetch_window *left,
                       struct fetch_window *right)
{
	if (w->from < 0 || w->to <= w->from)
		return -1;
	time_t mid = w->from + (w->to - w->from) / 2;
	left->from = w->from;
	left->to = mid;
	right->from = mid + 1;
	right->to = w->to;
	return 0;
}

/* GitHub's search reads times as "2023-07-07T12:34:56+00:00". */
static void search_time(time_t t, char *out)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

void fetch_window_qualifier(const struct fetch_window *w, struct strbuf *out)
{
	if (w->from < 0)
		return;
	char from[32], to[32];
	search_time(w->from, from);
	search_time(w->to, to);
	strbuf_addf(out, " created:%s..%s", from, to);
}

int fetch_search_capped(long total_count, const char *last_url)
{
	if (total_count > FETCH_SEARCH_CAP)
		return 1;
	long last = last_url ? gh_url_page(last_url) : 0;
	return last > 0 && total_count > last * FETCH_PER_PAGE;
}

/* --- the listing state --- */

void fetch_state_push(struct fetch_state *st, struct fetch_window w)
{
	xgrow((void **)&st->windows, &st->alloc, st->nwindows + 1, sizeof(*st->windows));
	st->windows[st->nwindows++] = w;
}

void fetch_state_release(struct fetch_state *st)
{
	free(st->updated_since);
	free(st->windows);
	free(st->next_url);
	memset(st, 0, sizeof(*st));
}

char *fetch_state_to_json(const struct fetch_state *st)
{
	json_t *windows = json_array();
	for (size_t i = 0; i < st->nwindows; i++)
		json_array_append_new(windows, json_pack("[I, I]", (json_int_t)st->windows[i].from,
		                                         (json_int_t)st->windows[i].to));
	json_t *j = json_pack("{s:s?, s:o, s:s?, s:I, s:b, s:b}", "updated_since",
	                      st->updated_since, "windows", windows, "next_url", st->next_url,
	                      "listed", (json_int_t)st->listed, "listing_done", st->listing_done,
	                      "limited", st->limited);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

int fetch_state_from_json(const char *text, struct fetch_state *st, struct error *err)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	json_t *windows = json_object_get(j, "windows");
	if (!json_is_array(windows)) {
		json_decref(j);
		return error_set(err, "fetch_queries.state: not a fetch state");
	}
	const char *since = json_string_value(json_object_get(j, "updated_since"));
	const char *next = json_string_value(json_object_get(j, "next_url"));
	st->updated_since = since ? xstrdup(since) : NULL;
	st->next_url = next ? xstrdup(next) : NULL;
	st->listed = (long)json_integer_value(json_object_get(j, "listed"));
	st->listing_done = json_is_true(json_object_get(j, "listing_done"));
	st->limited = json_is_true(json_object_get(j, "limited"));
	size_t i;
	json_t *w;
	json_array_foreach(windows, i, w)
	{
		struct fetch_window win = {(time_t)json_integer_value(json_array_get(w, 0)),
		                           (time_t)json_integer_value(json_array_get(w, 1))};
		fetch_state_push(st, win);
	}
	json_decref(j);
	return 0;
}

/* --- a run --- */

struct fetch {
	struct store *s;
	struct gh_client *gh;
	const struct fetch_options *opt;
	struct fetch_counts *counts;
	char *base;       /* the search qualifiers, without --since or windows */
	int64_t repo_id;  /* 0 until the first write */
	int64_t query_id; /* 0 until the first write */
	char started[ISO_TIME_LEN];
	struct fetch_state st;
};

static void report(struct fetch *f, enum fetch_phase phase)
{
	if (f->opt->progress)
		f->opt->progress(f->opt->progress_data, phase, f->counts);
}

/* GET /repos/O/R: the repository exists, and how GitHub spells it. */
static int check_repository(struct fetch *f, struct error *err)
{
	char *path = xstrfmt("/repos/%s", f->opt->repo);
	struct gh_response r;
	int rc = gh_get(f->gh, path, NULL, &r, err);
	free(path);
	if (rc) {
		if (r.status == 404)
			return error_prefix(err,
			                    "repository %s (no such repository, or the "
			                    "token cannot see it)",
			                    f->opt->repo);
		return error_prefix(err, "repository %s", f->opt->repo);
	}
	const char *name = json_string_value(json_object_get(r.body, "full_name"));
	snprintf(f->counts->repo, sizeof(f->counts->repo), "%s",
	         name && repo_name_valid(name) ? name : f->opt->repo);
	gh_response_release(&r);
	return 0;
}

/*
 * A new run: one window of every creation time (from --since, if given), and
 * when the query has completed before, the updated:>= bound of a refresh.
 */
static int start_run(struct fetch *f, const char *last_complete, struct error *err)
{
	time_t now = time(NULL); /* GitHub's clock, never ISSUEMINE_NOW */
	time_format_iso(now, f->started);
	struct fetch_window all = {0, now + 86400};
	if (f->opt->since && time_parse_iso(f->opt->since, &all.from))
		return error_set(err, "--since %s: not a date", f->opt->since);
	if (has_qualifier(f->base, "created:"))
		all.from = all.to = -1; /* the user's created: cannot be combined with ours */
	fetch_state_push(&f->st, all);
	time_t t;
	if (last_complete && !has_qualifier(f->base, "updated:") &&
	    !time_parse_iso(last_complete, &t)) {
		char since[32];
		search_time(t - FETCH_REFRESH_MARGIN, since);
		f->st.updated_since = xstrdup(since);
		f->counts->refresh = 1;
	}
	return 0;
}

/* Loads the query's row; takes up its interrupted run, or starts a new one. */
static int load_run(struct fetch *f, struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT id, repo_id, started_at, state, last_complete_at "
	                              "FROM fetch_queries WHERE api_url = ? AND query = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, gh_client_api_url(f->gh));
	store_bind_text(st, 2, f->counts->query);
	int rc = sqlite3_step(st);
	char *started = NULL, *state = NULL, *last_complete = NULL;
	if (rc == SQLITE_ROW) {
		f->query_id = sqlite3_column_int64(st, 0);
		f->repo_id = sqlite3_column_int64(st, 1);
		started = store_column_dup(st, 2);
		state = store_column_dup(st, 3);
		last_complete = store_column_dup(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_error(f->s, err, NULL);
	} else if (started && state) {
		snprintf(f->started, sizeof(f->started), "%s", started);
		rc = fetch_state_from_json(state, &f->st, err);
		f->counts->resumed = 1;
		f->counts->refresh = f->st.updated_since != NULL;
	} else {
		rc = start_run(f, last_complete, err);
	}
	free(started);
	free(state);
	free(last_complete);
	return rc;
}

/* Creates the repository and query rows on the run's first write. */
static int ensure_rows(struct fetch *f, struct error *err)
{
	if (!f->repo_id && store_repo_id(f->s, f->counts->repo, 1, &f->repo_id, err))
		return -1;
	if (f->query_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "INSERT INTO fetch_queries (api_url, query, repo_id) "
	                              "VALUES (?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, gh_client_api_url(f->gh));
	store_bind_text(st, 2, f->counts->query);
	sqlite3_bind_int64(st, 3, f->repo_id);
	if (store_step_done(f->s, st, err))
		return -1;
	f->query_id = sqlite3_last_insert_rowid(f->s->db);
	return 0;
}

static int save_state(struct fetch *f, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        f->s, "UPDATE fetch_queries SET started_at = ?, state = ? WHERE id = ?", err);
	if (!st)
		return -1;
	char *text = fetch_state_to_json(&f->st);
	store_bind_text(st, 1, f->started);
	store_bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, f->query_id);
	free(text);
	return store_step_done(f->s, st, err);
}

typedef int (*fetch_write_fn)(struct fetch *f, void *data, struct error *err);

/*
 * Runs write(f, data, err) in one transaction and returns what it returned:
 * anything but 0 (-1, or a positive "try otherwise") rolls back.
 */
static int transaction(struct fetch *f, fetch_write_fn write, void *data, struct error *err)
{
	if (store_begin(f->s, err))
		return -1;
	int rc = write(f, data, err);
	if (rc) {
		store_rollback(f->s);
		return rc;
	}
	return store_commit(f->s, err);
}

/* --- listing --- */

static char *search_url(struct fetch *f, const struct fetch_window *w)
{
	struct strbuf q = STRBUF_INIT, url = STRBUF_INIT;
	strbuf_adds(&q, f->base);
	fetch_window_qualifier(w, &q); /* its lower bound is --since, if given */
	if (f->st.updated_since)
		strbuf_addf(&q, " updated:>=%s", f->st.updated_since);
	strbuf_adds(&url, "/search/issues?q=");
	gh_query_escape(&url, q.buf);
	strbuf_addf(&url, "&sort=created&order=asc&per_page=%d", FETCH_PER_PAGE);
	strbuf_release(&q);
	return strbuf_detach(&url, NULL);
}

/* One search page; a page GitHub could not complete in time is asked for again. */
static int search_page(struct fetch *f, const char *url, struct gh_response *r, struct error *err)
{
	for (int attempt = 0;; attempt++) {
		if (gh_get(f->gh, url, NULL, r, err))
			return error_prefix(err, "search \"%s\"", f->counts->query);
		if (!json_is_array(json_object_get(r->body, "items")) ||
		    !json_is_integer(json_object_get(r->body, "total_count"))) {
			gh_response_release(r);
			return error_set(err,
			                 "search \"%s\": the answer has no items or total_count",
			                 f->counts->query);
		}
		if (!json_is_true(json_object_get(r->body, "incomplete_results")))
			return 0;
		gh_response_release(r);
		if (attempt + 1 >= FETCH_INCOMPLETE_TRIES)
			return error_set(
			        err,
			        "search \"%s\": GitHub's results stayed incomplete after %d "
			        "tries; run the same command again later",
			        f->counts->query, FETCH_INCOMPLETE_TRIES);
		gh_backoff_wait(f->gh, attempt, "search results incomplete");
	}
}

/* True if issue number is stored with a timeline that matches updated_at. */
static int is_unchanged(struct fetch *f, int64_t number, const char *updated_at, int *yes,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT 1 FROM issues i JOIN timeline_state t ON "
	                              "t.issue_id = i.id WHERE i.repo_id = ? AND i.number = ? AND "
	                              "i.updated_at = ? AND t.issue_updated_at = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, number);
	store_bind_text(st, 3, updated_at);
	store_bind_text(st, 4, updated_at);
	int64_t one;
	return store_step_int64(f->s, st, &one, yes, err);
}

/* Puts a listed issue on fetch_pending, with the search result as its item. */
static int add_pending(struct fetch *f, int64_t number, json_t *item, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        f->s,
	        "INSERT OR REPLACE INTO fetch_pending (query_id, number, item) VALUES (?, ?, ?)",
	        err);
	if (!st)
		return -1;
	char *text = json_dumps(item, JSON_COMPACT);
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, number);
	store_bind_text(st, 3, text);
	free(text);
	return store_step_done(f->s, st, err);
}

/* One search result: pending, unless its stored timeline matches its updated_at. */
static int list_item(struct fetch *f, json_t *item, struct error *err)
{
	json_t *jnumber = json_object_get(item, "number");
	if (!json_is_integer(jnumber) || json_integer_value(jnumber) <= 0)
		return error_set(err, "search \"%s\": a result without a positive \"number\"",
		                 f->counts->query);
	int64_t number = json_integer_value(jnumber);
	/* Stored under the repository fetched, it must be one of its issues. */
	const char *url = json_string_value(json_object_get(item, "repository_url"));
	char repo[REPO_NAME_MAX];
	if (url && !repo_from_api_url(url, repo) && strcasecmp(repo, f->counts->repo))
		return error_set(err, "search \"%s\": #%lld is an issue of %s, not of %s",
		                 f->counts->query, (long long)number, repo, f->counts->repo);
	/* The score belongs to the search, not the issue: the stored object must not vary by query.
	 */
	json_object_del(item, "score");
	char updated[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(item, "updated_at"));
	int unchanged = 0;
	if (u && !time_normalize(u, updated) && is_unchanged(f, number, updated, &unchanged, err))
		return -1;
	f->st.listed++;
	if (!unchanged)
		return add_pending(f, number, item, err);
	f->counts->issues_unchanged++;
	return 0;
}

struct page_write {
	json_t *items;
	char *next_url; /* borrowed */
};

/* Puts a search page's items on fetch_pending and moves the listing on. */
static int write_page(struct fetch *f, const struct page_write *pw, struct error *err)
{
	size_t i;
	json_t *item;
	json_array_foreach(pw->items, i, item)
	{
		if (f->opt->max_issues > 0 && f->st.listed >= f->opt->max_issues) {
			f->st.limited = 1;
			break;
		}
		if (list_item(f, item, err))
			return -1;
		f->counts->listed++;
	}
	/* Reaching max_issues ends the listing, even if nothing was left: a trial is never
	 * complete. */
	if (f->opt->max_issues > 0 && f->st.listed >= f->opt->max_issues)
		f->st.limited = 1;
	free(f->st.next_url);
	f->st.next_url = NULL;
	if (pw->next_url && !f->st.limited)
		f->st.next_url = xstrdup(pw->next_url);
	else
		f->st.nwindows--; /* this window is done */
	if (f->st.nwindows == 0 || f->st.limited)
		f->st.listing_done = 1;
	return 0;
}

/* Stores a search page's items (none when data is NULL), then the listing's state. */
static int write_listing(struct fetch *f, void *data, struct error *err)
{
	if (ensure_rows(f, err) || (data && write_page(f, data, err)))
		return -1;
	return save_state(f, err);
}

/* Replaces the last window by its two halves (the earlier on top), and saves the listing. */
static int split_last_window(struct fetch *f, struct error *err)
{
	struct fetch_window w = f->st.windows[--f->st.nwindows], left = w, right = w;
	fetch_window_split(&w, &left, &right);
	fetch_state_push(&f->st, right);
	fetch_state_push(&f->st, left);
	free(f->st.next_url);
	f->st.next_url = NULL;
	return transaction(f, write_listing, NULL, err);
}

/*
 * The first page of the last window says it holds more than one search
 * lists. Returns 1 when the window was split (list its halves instead), 0
 * when it cannot be (one second: list what GitHub gives, count the rest as
 * missed), -1 when --query's own created: forbids splitting.
 */
static int split_capped_window(struct fetch *f, const struct gh_response *r, struct error *err)
{
	const struct fetch_window *w = &f->st.windows[f->st.nwindows - 1];
	long total = (long)json_integer_value(json_object_get(r->body, "total_count"));
	struct fetch_window left, right;
	if (!fetch_search_capped(total, r->last_url))
		return 0;
	if (!fetch_window_split(w, &left, &right))
		return split_last_window(f, err) ? -1 : 1;
	if (w->from < 0)
		return error_set(err,
		                 "search \"%s\": %ld results, more than GitHub returns for one "
		                 "search, and --query sets created: so it cannot be split by "
		                 "creation date; narrow --query",
		                 f->counts->query, total);
	long last = r->last_url ? gh_url_page(r->last_url) : 0;
	long reachable = last > 0 ? last * FETCH_PER_PAGE : FETCH_SEARCH_CAP;
	f->counts->missed += total - (reachable < FETCH_SEARCH_CAP ? reachable : FETCH_SEARCH_CAP);
	return 0;
}

/* Lists the next search page of the last window, or splits the window. */
static int list_one_page(struct fetch *f, struct error *err)
{
	const struct fetch_window *w = &f->st.windows[f->st.nwindows - 1];
	int first_page = !f->st.next_url;
	char *url = first_page ? search_url(f, w) : xstrdup(f->st.next_url);
	struct gh_response r;
	int rc = search_page(f, url, &r, err);
	free(url);
	struct fetch_window left, right;
	/* A window that grew past the cap while being paged: GitHub refuses the pages past it. */
	if (rc && r.status == 422 && !first_page && !fetch_window_split(w, &left, &right))
		return split_last_window(f, err);
	if (rc)
		return -1;
	if (first_page) {
		f->counts->windows++;
		rc = split_capped_window(f, &r, err);
	}
	if (!rc) {
		struct page_write pw = {json_object_get(r.body, "items"), r.next_url};
		rc = transaction(f, write_listing, &pw, err);
	}
	gh_response_release(&r);
	return rc < 0 ? -1 : 0;
}

/* --- timelines --- */

/* A stored timeline page: its ETag and how many events it held. */
static const char *page_etag(json_t *pages, size_t k)
{
	return json_string_value(json_object_get(json_array_get(pages, k), "etag"));
}

static long page_events(json_t *pages, size_t k)
{
	return (long)json_integer_value(json_object_get(json_array_get(pages, k), "events"));
}

/*
 * The pages of issue number's stored timeline, if its ETags can be trusted
 * (the timeline was stored for the issue's current updated_at); else NULL.
 */
static int stored_pages(struct fetch *f, int64_t number, json_t **pages, struct error *err)
{
	*pages = NULL;
	if (!f->repo_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT t.pages FROM issues i JOIN timeline_state t ON "
	                              "t.issue_id = i.id WHERE i.repo_id = ? AND i.number = ? AND "
	                              "i.updated_at = t.issue_updated_at",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, number);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pages = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	if (*pages && !json_is_array(*pages)) {
		json_decref(*pages);
		*pages = NULL;
	}
	return 0;
}

/* What the download of one issue's timeline brought. */
struct timeline {
	int64_t number;
	json_t *item;   /* the search result */
	json_t *stored; /* stored pages (ETags, counts), or NULL */
	json_t *chunks; /* per page: the events, or null for "304, keep the stored ones" */
	json_t *pages;  /* per page: {"etag", "events"} to store */
	long events;
	enum store_upsert_result result; /* once stored */
};

static void timeline_release(struct timeline *t)
{
	json_decref(t->item);
	json_decref(t->stored);
	json_decref(t->chunks);
	json_decref(t->pages);
	memset(t, 0, sizeof(*t));
}

static char *timeline_url(struct fetch *f, int64_t number, long page)
{
	if (page <= 1)
		return xstrfmt("/repos/%s/issues/%lld/timeline?per_page=%d", f->counts->repo,
		               (long long)number, FETCH_PER_PAGE);
	return xstrfmt("/repos/%s/issues/%lld/timeline?per_page=%d&page=%ld", f->counts->repo,
	               (long long)number, FETCH_PER_PAGE, page);
}

/* Notes page k of t from answer r; returns the URL of the next page (owned) or NULL. */
static char *take_page(struct fetch *f, struct timeline *t, size_t k, struct gh_response *r)
{
	if (r->status == 304) {
		long n = page_events(t->stored, k);
		json_array_append_new(t->chunks, json_null());
		json_array_append_new(t->pages,
		                      json_pack("{s:s?, s:I}", "etag", page_etag(t->stored, k),
		                                "events", (json_int_t)n));
		t->events += n;
		if (r->next_url)
			return xstrdup(r->next_url);
		/* Without a Link, a full page may have a successor: ask for it. */
		return n >= FETCH_PER_PAGE ? timeline_url(f, t->number, (long)k + 2) : NULL;
	}
	json_array_append(t->chunks, r->body);
	json_array_append_new(t->pages, json_pack("{s:s?, s:I}", "etag", r->etag, "events",
	                                          (json_int_t)json_array_size(r->body)));
	t->events += (long)json_array_size(r->body);
	return r->next_url ? xstrdup(r->next_url) : NULL;
}

/*
 * After a 404 or 410 on an issue's timeline: 1 when the issue is gone
 * (deleted, transferred, or hidden from the token) and is to be skipped; -1
 * when the repository itself no longer answers. The search index lags behind
 * GitHub, so it may list such issues; stopping at one would stop every rerun
 * at it too.
 */
static int timeline_gone(struct fetch *f, long status, struct error *err)
{
	if (status == 410)
		return 1;
	/* A 404 says the issue is gone only while the repository still answers. */
	return check_repository(f, err) ? -1 : 1;
}

/* Downloads every page of t's timeline; returns 0, -1, or 1 when the issue is gone. */
static int download_timeline(struct fetch *f, struct timeline *t, struct error *err)
{
	char *url = timeline_url(f, t->number, 1);
	t->chunks = json_array();
	t->pages = json_array();
	t->events = 0;
	for (size_t k = 0; url; k++) {
		if (k >= FETCH_MAX_TIMELINE_PAGE) {
			free(url);
			return error_set(err, "timeline of %s#%lld: more than %d pages",
			                 f->counts->repo, (long long)t->number,
			                 FETCH_MAX_TIMELINE_PAGE);
		}
		const char *etag = k < json_array_size(t->stored) ? page_etag(t->stored, k) : NULL;
		struct gh_response r;
		int rc = gh_get(f->gh, url, etag, &r, err);
		free(url);
		url = NULL;
		if (rc) {
			if (r.status == 410 || r.status == 404)
				return timeline_gone(f, r.status, err);
			return error_prefix(err, "timeline of %s#%lld", f->counts->repo,
			                    (long long)t->number);
		}
		if (r.status == 200 && !json_is_array(r.body)) {
			gh_response_release(&r);
			return error_set(err, "timeline of %s#%lld: not a JSON array",
			                 f->counts->repo, (long long)t->number);
		}
		url = take_page(f, t, k, &r);
		gh_response_release(&r);
		report(f, FETCH_TIMELINES);
	}
	return 0;
}

/* Appends the stored events at positions [first, first + n) to all; -1 if they are not all there.
 */
static int load_stored_events(struct fetch *f, int64_t issue_id, long first, long n, json_t *all,
                              struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT raw FROM events WHERE issue_id = ? AND position >= ? "
	                              "AND position < ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, first + n);
	long got = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *ev = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (ev)
			json_array_append_new(all, ev), got++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	return got == n ? 0 : 1;
}

/* The whole timeline from new pages and kept stored ones; 1 if the stored ones are not there. */
static int assemble_events(struct fetch *f, struct timeline *t, int64_t issue_id, json_t **out,
                           struct error *err)
{
	json_t *all = json_array();
	long offset = 0;
	size_t k;
	json_t *chunk;
	json_array_foreach(t->chunks, k, chunk)
	{
		int rc = 0;
		if (json_is_null(chunk))
			rc = load_stored_events(f, issue_id, offset, page_events(t->stored, k), all,
			                        err);
		else
			json_array_extend(all, chunk);
		if (rc) {
			json_decref(all);
			return rc;
		}
		offset += k < json_array_size(t->stored) ? page_events(t->stored, k) : 0;
	}
	*out = all;
	return 0;
}

/*
 * True when the download brought nothing new: every stored page answered 304,
 * and any page past them was empty (asked for because the last stored page
 * was full and a 304 carries no Link to say whether another follows).
 */
static int timeline_unchanged(const struct timeline *t)
{
	size_t stored = json_array_size(t->stored);
	if (!t->stored || json_array_size(t->chunks) < stored)
		return 0;
	size_t k;
	json_t *chunk;
	json_array_foreach(t->chunks, k, chunk)
	{
		if (k < stored ? !json_is_null(chunk) : json_array_size(chunk) > 0)
			return 0;
	}
	return 1;
}

static int drop_pending(struct fetch *f, int64_t number, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        f->s, "DELETE FROM fetch_pending WHERE query_id = ? AND number = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, number);
	return store_step_done(f->s, st, err);
}

static int save_timeline_state(struct fetch *f, int64_t issue_id, struct timeline *t,
                               struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "INSERT OR REPLACE INTO timeline_state (issue_id, "
	                              "issue_updated_at, pages, event_count, stored_at) "
	                              "VALUES (?, ?, ?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	char updated[ISO_TIME_LEN], now[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(t->item, "updated_at"));
	char *pages = json_dumps(t->pages, JSON_COMPACT);
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, u && !time_normalize(u, updated) ? updated : NULL);
	store_bind_text(st, 3, pages);
	sqlite3_bind_int64(st, 4, t->events);
	store_bind_text(st, 5, now);
	free(pages);
	return store_step_done(f->s, st, err);
}

/*
 * Writes the issue, its labels, its events and its timeline state, and
 * takes it off fetch_pending (run it in a transaction). Returns 1 when pages
 * the server called unchanged are missing from the store, so the caller
 * downloads the timeline again without ETags.
 */
static int write_issue(struct fetch *f, void *data, struct error *err)
{
	struct timeline *t = data;
	int64_t issue_id;
	json_t *events = NULL;
	int rc = store_upsert_issue(f->s, f->repo_id, t->item, 0, &issue_id, &t->result, err);
	if (!rc && timeline_unchanged(t)) {
		int64_t stored;
		rc = store_event_count(f->s, issue_id, &stored, err);
		if (!rc && stored != t->events)
			rc = 1; /* not the events the ETags vouch for */
	} else if (!rc) {
		rc = assemble_events(f, t, issue_id, &events, err);
		if (!rc)
			rc = store_replace_timeline(f->s, issue_id, events, err);
	}
	json_decref(events);
	if (!rc)
		rc = save_timeline_state(f, issue_id, t, err);
	if (!rc)
		rc = drop_pending(f, t->number, err);
	return rc;
}

static int forget_issue(struct fetch *f, void *number, struct error *err)
{
	return drop_pending(f, *(int64_t *)number, err);
}

static void count_stored(struct fetch *f, const struct timeline *t)
{
	if (t->result == STORE_ISSUE_NEW)
		f->counts->issues_new++;
	else
		f->counts->issues_updated++;
	f->counts->events += t->events;
}

/*
 * Downloads t's timeline and stores it, or forgets the issue if it is gone.
 * Returns 0, -1, or 1 when stored pages the ETags vouched for are missing.
 */
static int download_and_store(struct fetch *f, struct timeline *t, struct error *err)
{
	int rc = download_timeline(f, t, err);
	if (rc == 1) {
		rc = transaction(f, forget_issue, &t->number, err);
		f->counts->issues_gone += !rc;
		return rc;
	}
	if (rc)
		return rc;
	rc = transaction(f, write_issue, t, err);
	if (rc < 0)
		return error_prefix(err, "timeline of %s#%lld", f->counts->repo,
		                    (long long)t->number);
	if (!rc)
		count_stored(f, t);
	return rc;
}

/* Fetches one pending issue: its item is the search result fetch_pending kept. */
static int fetch_issue(struct fetch *f, int64_t number, const char *item_text, struct error *err)
{
	struct timeline t = {number};
	t.item = json_loads(item_text, 0, NULL);
	int rc = json_is_object(t.item)
	                 ? stored_pages(f, number, &t.stored, err)
	                 : error_set(err, "fetch_pending: issue %lld: not a JSON object",
	                             (long long)number);
	if (!rc)
		rc = download_and_store(f, &t, err);
	if (rc == 1) {
		/* The stored events were not what the ETags described: once more, without. */
		json_decref(t.stored);
		json_decref(t.chunks);
		json_decref(t.pages);
		t.stored = t.chunks = t.pages = NULL;
		rc = download_and_store(f, &t, err);
	}
	timeline_release(&t);
	if (rc > 0)
		return error_set(err, "timeline of %s#%lld: stored events changed under the fetch",
		                 f->counts->repo, (long long)number);
	return rc;
}

static int count_pending(struct fetch *f, int64_t *n, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(f->s, "SELECT count(*) FROM fetch_pending WHERE query_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	return store_step_int64(f->s, st, n, NULL, err);
}

/* The pending issue with the lowest number: *number 0 when none is left; caller frees *item. */
static int next_pending(struct fetch *f, int64_t *number, char **item, struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT number, item FROM fetch_pending WHERE query_id = ? "
	                              "ORDER BY number LIMIT 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	int rc = sqlite3_step(st);
	*number = 0;
	*item = NULL;
	if (rc == SQLITE_ROW) {
		*number = sqlite3_column_int64(st, 0);
		*item = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	return 0;
}

static int fetch_timelines(struct fetch *f, struct error *err)
{
	int64_t pending;
	if (count_pending(f, &pending, err))
		return -1;
	f->counts->issues_total = f->counts->issues_done + (long)pending;
	report(f, FETCH_TIMELINES);
	for (;;) {
		int64_t number;
		char *item;
		if (next_pending(f, &number, &item, err))
			return -1;
		if (!number)
			return 0;
		int rc = fetch_issue(f, number, item, err);
		free(item);
		if (rc)
			return -1;
		f->counts->issues_done++;
		report(f, FETCH_TIMELINES);
	}
}

/* Clears the run's state; a complete run is remembered for the next refresh. */
static int write_finish(struct fetch *f, void *data, struct error *err)
{
	int complete = *(int *)data;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "UPDATE fetch_queries SET started_at = NULL, state = NULL, "
	                              "last_complete_at = CASE WHEN ?1 THEN ?2 ELSE "
	                              "last_complete_at END WHERE id = ?3",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, complete);
	store_bind_text(st, 2, f->started);
	sqlite3_bind_int64(st, 3, f->query_id);
	if (store_step_done(f->s, st, err))
		return -1;
	if (!complete)
		return 0;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	st = store_stmt(f->s, "UPDATE repositories SET last_fetch_at = ? WHERE id = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, f->repo_id);
	return store_step_done(f->s, st, err);
}

/* Ends the run: remembers when it started, so the next one is a refresh. */
static int finish_run(struct fetch *f, struct error *err)
{
	int complete = !f->st.limited;
	if (transaction(f, write_finish, &complete, err))
		return -1;
	f->counts->complete = complete;
	return 0;
}

static int run(struct fetch *f, struct error *err)
{
	report(f, FETCH_CHECKING);
	if (check_repository(f, err))
		return -1;
	struct strbuf q = STRBUF_INIT;
	if (fetch_build_query(f->opt, f->counts->repo, &q, err)) {
		strbuf_release(&q);
		return -1;
	}
	f->base = strbuf_detach(&q, NULL);
	/*
	 * The query as fetch_queries knows it says which issues it covers, so a
	 * run with --since never passes for a complete run of all issues.
	 */
	char since[ISO_TIME_LEN] = "";
	if (f->opt->since && time_normalize(f->opt->since, since))
		return error_set(err, "--since %s: not a date", f->opt->since);
	if (snprintf(f->counts->query, sizeof(f->counts->query), "%s%s%s", f->base,
	             *since ? " created:>=" : "", since) >= (int)sizeof(f->counts->query))
		return error_set(err, "the search is too long");
	if (load_run(f, err))
		return -1;
	while (!f->st.listing_done) {
		if (list_one_page(f, err))
			return -1;
		report(f, FETCH_LISTING);
	}
	if (fetch_timelines(f, err))
		return -1;
	return finish_run(f, err);
}

int fetch_run(struct store *s, struct gh_client *gh, const struct fetch_options *opt,
              struct fetch_counts *counts, struct error *err)
{
	if (!repo_name_valid(opt->repo))
		return error_set(err, "'%s' is not OWNER/NAME", opt->repo);
	struct fetch f = {s, gh, opt, counts};
	int rc = run(&f, err);
	fetch_state_release(&f.st);
	free(f.base);
	return rc;
}
