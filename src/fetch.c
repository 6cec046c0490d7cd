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

/* --- the query --- */

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
	if (opt->query && *opt->query)
		strbuf_addf(out, " %s", opt->query);
	return 0;
}

/* True if the query text has qualifier (e.g. "created:"), as a word of its own. */
static int has_qualifier(const char *query, const char *qualifier)
{
	for (const char *p = strstr(query, qualifier); p; p = strstr(p + 1, qualifier))
		if (p == query || p[-1] == ' ' || p[-1] == '-')
			return 1;
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

/* Loads the query's row; starts a new run's state, or takes up the interrupted one. */
static int load_run(struct fetch *f, struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT q.id, q.started_at, q.state, q.last_complete_at, "
	                              "q.repo_id FROM fetch_queries q WHERE q.api_url = ? AND "
	                              "q.query = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, gh_client_api_url(f->gh));
	store_bind_text(st, 2, f->counts->query);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	const char *started = NULL, *state = NULL, *last = NULL;
	char last_complete[ISO_TIME_LEN] = "";
	if (rc == SQLITE_ROW) {
		f->query_id = sqlite3_column_int64(st, 0);
		f->repo_id = sqlite3_column_int64(st, 4);
		started = (const char *)sqlite3_column_text(st, 1);
		state = (const char *)sqlite3_column_text(st, 2);
		last = (const char *)sqlite3_column_text(st, 3);
		if (last)
			snprintf(last_complete, sizeof(last_complete), "%s", last);
	}
	if (started && state) {
		snprintf(f->started, sizeof(f->started), "%s", started);
		int prc = fetch_state_from_json(state, &f->st, err);
		sqlite3_reset(st);
		f->counts->resumed = 1;
		f->counts->refresh = f->st.updated_since != NULL;
		return prc;
	}
	sqlite3_reset(st);

	time_t now = time(NULL); /* GitHub's clock, never ISSUEMINE_NOW */
	time_format_iso(now, f->started);
	struct fetch_window all = {0, now + 86400};
	if (f->opt->since && time_parse_iso(f->opt->since, &all.from))
		return error_set(err, "--since %s: not a date", f->opt->since);
	if (has_qualifier(f->base, "created:")) {
		if (f->opt->since)
			return error_set(err, "--since and a created: qualifier in --query "
			                      "cannot be combined");
		all.from = all.to = -1;
	}
	fetch_state_push(&f->st, all);
	time_t t;
	if (*last_complete && !has_qualifier(f->base, "updated:") &&
	    !time_parse_iso(last_complete, &t)) {
		char since[32];
		search_time(t - FETCH_REFRESH_MARGIN, since);
		f->st.updated_since = xstrdup(since);
		f->counts->refresh = 1;
	}
	return 0;
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

/* Runs write(f, data) and save_state in one transaction. */
static int in_transaction(struct fetch *f, int (*write)(struct fetch *, void *, struct error *),
                          void *data, struct error *err)
{
	if (store_begin(f->s, err))
		return -1;
	if (ensure_rows(f, err) || (write && write(f, data, err)) || save_state(f, err)) {
		store_rollback(f->s);
		return -1;
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
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	*yes = rc == SQLITE_ROW;
	return 0;
}

static int list_item(struct fetch *f, json_t *item, struct error *err)
{
	json_t *number = json_object_get(item, "number");
	if (!json_is_integer(number) || json_integer_value(number) <= 0)
		return error_set(err, "search \"%s\": a result without a positive \"number\"",
		                 f->counts->query);
	/* The score belongs to the search, not the issue: the stored object must not vary by query.
	 */
	json_object_del(item, "score");
	char updated[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(item, "updated_at"));
	int unchanged = 0;
	if (u && !time_normalize(u, updated) &&
	    is_unchanged(f, json_integer_value(number), updated, &unchanged, err))
		return -1;
	f->st.listed++;
	if (unchanged) {
		f->counts->issues_unchanged++;
		return 0;
	}
	sqlite3_stmt *st = store_stmt(
	        f->s,
	        "INSERT OR REPLACE INTO fetch_pending (query_id, number, item) VALUES (?, ?, ?)",
	        err);
	if (!st)
		return -1;
	char *text = json_dumps(item, JSON_COMPACT);
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, json_integer_value(number));
	store_bind_text(st, 3, text);
	free(text);
	return store_step_done(f->s, st, err);
}

struct page_write {
	json_t *items;
	char *next_url; /* borrowed */
};

/* Stores a search page's items and moves the listing on, in one transaction (see in_transaction).
 */
static int write_page(struct fetch *f, void *data, struct error *err)
{
	struct page_write *pw = data;
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

/* Replaces the last window by its two halves, the earlier one on top. */
static void split_last_window(struct fetch *f)
{
	struct fetch_window w = f->st.windows[--f->st.nwindows], left = w, right = w;
	fetch_window_split(&w, &left, &right);
	fetch_state_push(&f->st, right);
	fetch_state_push(&f->st, left);
}

static int list_one_page(struct fetch *f, struct error *err)
{
	const struct fetch_window *w = &f->st.windows[f->st.nwindows - 1];
	int first_page = !f->st.next_url;
	char *url = first_page ? search_url(f, w) : xstrdup(f->st.next_url);
	struct gh_response r;
	int rc = search_page(f, url, &r, err);
	free(url);
	struct fetch_window l, rt;
	if (rc && r.status == 422 && !first_page && !fetch_window_split(w, &l, &rt)) {
		/* The window grew past the cap while being paged: list its halves instead. */
		free(f->st.next_url);
		f->st.next_url = NULL;
		split_last_window(f);
		return in_transaction(f, NULL, NULL, err);
	}
	if (rc)
		return -1;
	if (first_page) {
		f->counts->windows++;
		long total = (long)json_integer_value(json_object_get(r.body, "total_count"));
		if (fetch_search_capped(total, r.last_url)) {
			if (!fetch_window_split(w, &l, &rt)) {
				gh_response_release(&r);
				split_last_window(f);
				return in_transaction(f, NULL, NULL, err);
			}
			if (w->from < 0) {
				gh_response_release(&r);
				return error_set(
				        err,
				        "search \"%s\": %ld results, more than GitHub returns "
				        "for one search, and --query sets created: so it cannot "
				        "be split by creation date; narrow --query",
				        f->counts->query, total);
			}
			long last = r.last_url ? gh_url_page(r.last_url) : 0;
			long reachable = last > 0 ? last * FETCH_PER_PAGE : FETCH_SEARCH_CAP;
			f->counts->missed +=
			        total -
			        (reachable < FETCH_SEARCH_CAP ? reachable : FETCH_SEARCH_CAP);
		}
	}
	struct page_write pw = {json_object_get(r.body, "items"), r.next_url};
	rc = in_transaction(f, write_page, &pw, err);
	gh_response_release(&r);
	return rc;
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

/* Downloads every page of t's timeline; returns 0, -1, or 1 when the issue is gone (410). */
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
			if (r.status == 410)
				return 1;
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

/* True when every page answered 304 and the page count is the stored one. */
static int timeline_unchanged(const struct timeline *t)
{
	if (!t->stored || json_array_size(t->chunks) != json_array_size(t->stored))
		return 0;
	size_t k;
	json_t *chunk;
	json_array_foreach(t->chunks, k, chunk) if (!json_is_null(chunk)) return 0;
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
 * takes it off fetch_pending, in one transaction. Returns 1 (nothing
 * written) when pages the server called unchanged are missing from the
 * store, so the caller downloads the timeline again without ETags.
 */
static int write_issue(struct fetch *f, struct timeline *t, struct error *err)
{
	if (store_begin(f->s, err))
		return -1;
	int64_t issue_id;
	enum store_upsert_result res;
	json_t *events = NULL;
	int rc = store_upsert_issue(f->s, f->repo_id, t->item, 0, &issue_id, &res, err);
	if (!rc && !timeline_unchanged(t)) {
		rc = assemble_events(f, t, issue_id, &events, err);
		if (!rc)
			rc = store_replace_timeline(f->s, issue_id, events, err);
	}
	json_decref(events);
	if (!rc)
		rc = save_timeline_state(f, issue_id, t, err);
	if (!rc)
		rc = drop_pending(f, t->number, err);
	if (rc) {
		store_rollback(f->s);
		return rc;
	}
	if (store_commit(f->s, err))
		return -1;
	if (res == STORE_ISSUE_NEW)
		f->counts->issues_new++;
	else
		f->counts->issues_updated++;
	f->counts->events += t->events;
	return 0;
}

static int forget_gone_issue(struct fetch *f, int64_t number, struct error *err)
{
	if (store_begin(f->s, err))
		return -1;
	if (drop_pending(f, number, err)) {
		store_rollback(f->s);
		return -1;
	}
	f->counts->issues_gone++;
	return store_commit(f->s, err);
}

static int fetch_issue(struct fetch *f, int64_t number, const char *item_text, struct error *err)
{
	struct timeline t = {number};
	t.item = json_loads(item_text, 0, NULL);
	if (!json_is_object(t.item))
		return error_set(err, "fetch_pending: issue %lld: not a JSON object",
		                 (long long)number);
	int rc = stored_pages(f, number, &t.stored, err);
	for (int tries = 0; !rc && tries < 2; tries++) {
		rc = download_timeline(f, &t, err);
		if (rc == 1) {
			rc = forget_gone_issue(f, number, err);
			break;
		}
		if (!rc)
			rc = write_issue(f, &t, err);
		if (rc != 1)
			break;
		/* The stored pages were not what the ETags described: start afresh. */
		json_decref(t.stored);
		json_decref(t.chunks);
		json_decref(t.pages);
		t.stored = t.chunks = t.pages = NULL;
		rc = 0;
	}
	timeline_release(&t);
	return rc > 0 ? error_set(err, "timeline of %s#%lld: stored events changed under the fetch",
	                          f->counts->repo, (long long)number)
	              : rc;
}

static int count_pending(struct fetch *f, long *n, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(f->s, "SELECT count(*) FROM fetch_pending WHERE query_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_error(f->s, err, NULL);
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
	long pending;
	if (count_pending(f, &pending, err))
		return -1;
	f->counts->issues_total = f->counts->issues_done + pending;
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

/* Ends the run: remembers when it started, so the next one is a refresh. */
static int finish_run(struct fetch *f, struct error *err)
{
	int complete = !f->st.limited;
	if (store_begin(f->s, err))
		return -1;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "UPDATE fetch_queries SET started_at = NULL, state = NULL, "
	                              "last_complete_at = CASE WHEN ?1 THEN ?2 ELSE "
	                              "last_complete_at END WHERE id = ?3",
	                              err);
	if (!st)
		goto fail;
	sqlite3_bind_int(st, 1, complete);
	store_bind_text(st, 2, f->started);
	sqlite3_bind_int64(st, 3, f->query_id);
	if (store_step_done(f->s, st, err))
		goto fail;
	if (complete) {
		char now[ISO_TIME_LEN];
		time_now_iso(now);
		st = store_stmt(f->s, "UPDATE repositories SET last_fetch_at = ? WHERE id = ?",
		                err);
		if (!st)
			goto fail;
		store_bind_text(st, 1, now);
		sqlite3_bind_int64(st, 2, f->repo_id);
		if (store_step_done(f->s, st, err))
			goto fail;
	}
	if (store_commit(f->s, err))
		return -1;
	f->counts->complete = complete;
	return 0;
fail:
	store_rollback(f->s);
	return -1;
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
	snprintf(f->counts->query, sizeof(f->counts->query), "%s%s%s", f->base,
	         *since ? " created:>=" : "", since);
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
