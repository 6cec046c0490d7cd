/*
 * fetch_rest.c - the REST backend of the fetcher (see struct fetch_backend
 * in fetch.h).
 *
 * Listing: GET /search/issues with sort=created&order=asc, always the first
 * page, continued by keyset. The cursor is {"after": T, "seen": [numbers]}:
 * the next request asks for created:T..END and leaves out the issues of
 * second T it already gave. So an issue that stops matching while a window
 * is listed shifts nothing (page numbers would: every later issue moves up
 * one, and one crosses a page boundary unseen), and each request is the
 * first page of a search, far from its 1,000-result cap. When a whole page
 * shares one second, the keyset cannot move: the page is "crowded" and the
 * run has that second listed whole by list_second, from the repository
 * issues endpoint (no cap: found by bisecting its page numbers, checked
 * against the search's count; with --query's qualifiers, which that endpoint
 * cannot take, the second's own search, which stops at 1,000). A search
 * with the user's own created:
 * cannot take ours; it is paged by the Link headers' URLs ({"next": URL}).
 *
 * Timelines: GET /repos/O/R/issues/N/timeline, every page (Link
 * rel="next"), each sent with the ETag it had when stored; a 304 keeps the
 * stored events of that page. The saved state is one {"etag", "events"}
 * per page.
 */
#include "fetch.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the repository --- */

static int rest_check_repo(struct fetch_ctx *ctx, char *full_name, struct error *err)
{
	const char *repo = ctx->opt->repo;
	char *path = xstrfmt("/repos/%s", repo);
	struct gh_response r;
	int rc = gh_get(ctx->gh, path, NULL, &r, err);
	free(path);
	if (rc) {
		if (r.status == 404)
			return error_prefix(err,
			                    "repository %s (no such repository, or the "
			                    "token cannot see it)",
			                    repo);
		return error_prefix(err, "repository %s", repo);
	}
	const char *name = json_string_value(json_object_get(r.body, "full_name"));
	snprintf(full_name, REPO_NAME_MAX, "%s", name && repo_name_valid(name) ? name : repo);
	gh_response_release(&r);
	return 0;
}

/* --- the search --- */

char *fetch_search_text(const struct fetch_search *q, const struct fetch_window *w)
{
	struct strbuf text = STRBUF_INIT;
	strbuf_adds(&text, q->text);
	fetch_window_qualifier(w, &text);
	if (q->updated_since >= 0) {
		char since[32];
		fetch_search_time(q->updated_since, since);
		strbuf_addf(&text, " updated:>=%s", since);
	}
	return strbuf_detach(&text, NULL);
}

static char *search_url(const struct fetch_search *q, const struct fetch_window *w, int per_page)
{
	struct strbuf url = STRBUF_INIT;
	char *text = fetch_search_text(q, w);
	strbuf_adds(&url, "/search/issues?q=");
	gh_query_escape(&url, text);
	strbuf_addf(&url, "&sort=created&order=asc&per_page=%d", per_page);
	free(text);
	return strbuf_detach(&url, NULL);
}

/* One search page; a page GitHub could not complete in time is asked for again. */
static int search_page(struct fetch_ctx *ctx, const char *url, struct gh_response *r,
                       struct error *err)
{
	for (int attempt = 0;; attempt++) {
		if (gh_get(ctx->gh, url, NULL, r, err))
			return error_prefix(err, "search \"%s\"", ctx->query);
		fetch_tick(ctx);
		if (!json_is_array(json_object_get(r->body, "items")) ||
		    !json_is_integer(json_object_get(r->body, "total_count"))) {
			gh_response_release(r);
			return error_set(err,
			                 "search \"%s\": the answer has no items or total_count",
			                 ctx->query);
		}
		if (!json_is_true(json_object_get(r->body, "incomplete_results")))
			return 0;
		gh_response_release(r);
		if (attempt + 1 >= FETCH_INCOMPLETE_TRIES)
			return error_set(
			        err,
			        "search \"%s\": GitHub's results stayed incomplete after %d "
			        "tries; run the same command again later",
			        ctx->query, FETCH_INCOMPLETE_TRIES);
		gh_backoff_wait(ctx->gh, attempt, "search results incomplete");
	}
}

time_t fetch_created_of(json_t *item)
{
	time_t t;
	const char *s = json_string_value(json_object_get(item, "created_at"));
	return s && !time_parse_iso(s, &t) ? t : -1;
}

static int in_numbers(json_t *numbers, json_int_t n)
{
	size_t i;
	json_t *v;
	json_array_foreach(numbers, i, v)
	{
		if (json_integer_value(v) == n)
			return 1;
	}
	return 0;
}

json_t *fetch_keyset_items(json_t *items, const json_t *cursor, time_t after)
{
	json_t *seen = cursor ? json_object_get(cursor, "seen") : NULL, *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		json_int_t n = json_integer_value(json_object_get(item, "number"));
		if (seen && fetch_created_of(item) == after && in_numbers(seen, n))
			continue;
		json_array_append(out, item);
	}
	return out;
}

void fetch_keyset_next(json_t *items, time_t after, int brought, int page_size,
                       struct fetch_page *page)
{
	size_t n = json_array_size(items);
	time_t first = fetch_created_of(json_array_get(items, 0));
	time_t last = fetch_created_of(json_array_get(items, n - 1));
	if (first == last && n >= (size_t)page_size) {
		page->crowded = last; /* the keyset cannot move past a second a page fills */
		return;
	}
	if (last < after || (last == after && !brought))
		return;
	json_t *seen = json_array();
	for (size_t i = n; i-- > 0;) {
		json_t *item = json_array_get(items, i);
		if (fetch_created_of(item) != last)
			break;
		json_array_append_new(
		        seen, json_integer(json_integer_value(json_object_get(item, "number"))));
	}
	page->cursor = json_pack("{s:I, s:o}", "after", (json_int_t)last, "seen", seen);
}

/* A search with the user's created: (no keyset possible): paged by its Link URLs. */
static int list_by_pages(struct fetch_ctx *ctx, const struct fetch_search *q, const json_t *cursor,
                         struct fetch_page *page, struct error *err)
{
	const char *next = cursor ? json_string_value(json_object_get(cursor, "next")) : NULL;
	char *url = next ? xstrdup(next) : search_url(q, &q->window, FETCH_PER_PAGE);
	struct gh_response r;
	int rc = search_page(ctx, url, &r, err);
	free(url);
	if (rc)
		return -1;
	page->items = json_incref(json_object_get(r.body, "items"));
	page->total = (long)json_integer_value(json_object_get(r.body, "total_count"));
	page->hidden = fetch_search_capped(page->total, r.last_url);
	if (r.next_url)
		page->cursor = json_pack("{s:s}", "next", r.next_url);
	gh_response_release(&r);
	return 0;
}

static int rest_list(struct fetch_ctx *ctx, const struct fetch_search *q, const json_t *cursor,
                     struct fetch_page *page, struct error *err)
{
	memset(page, 0, sizeof(*page));
	page->total = -1;
	if (q->window.from < 0 || (cursor && json_object_get(cursor, "next")))
		return list_by_pages(ctx, q, cursor, page, err);
	json_t *jafter = cursor ? json_object_get(cursor, "after") : NULL;
	time_t after = jafter ? (time_t)json_integer_value(jafter) : q->window.from;
	struct fetch_window w = {after > q->window.from ? after : q->window.from, q->window.to};
	char *url = search_url(q, &w, FETCH_PER_PAGE);
	struct gh_response r;
	int rc = search_page(ctx, url, &r, err);
	free(url);
	if (rc)
		return -1;
	json_t *items = json_object_get(r.body, "items");
	page->total = (long)json_integer_value(json_object_get(r.body, "total_count"));
	page->hidden = fetch_search_capped(page->total, r.last_url);
	page->items = fetch_keyset_items(items, cursor, after);
	/* More than this answer holds: continue from its last second. */
	if (json_array_size(items) > 0 && page->total > (long)json_array_size(items))
		fetch_keyset_next(items, after, json_array_size(page->items) > 0, FETCH_PER_PAGE,
		                  page);
	gh_response_release(&r);
	return 0;
}

static int rest_count(struct fetch_ctx *ctx, const struct fetch_search *q, long *total,
                      struct error *err)
{
	char *url = search_url(q, &q->window, 1);
	struct gh_response r;
	int rc = search_page(ctx, url, &r, err);
	free(url);
	if (rc)
		return -1;
	*total = (long)json_integer_value(json_object_get(r.body, "total_count"));
	gh_response_release(&r);
	return 0;
}

/* --- a crowded second, from the repository issues endpoint --- */

/* Whether item belongs to q's filter and second (the endpoint filters less than search). */
static int second_matches(const struct fetch_search *q, json_t *item)
{
	const struct fetch_filter *fl = q->filter;
	if (fetch_created_of(item) != q->window.from)
		return 0;
	if (fl->issues_only && store_is_pull_request(item))
		return 0;
	const char *state = json_string_value(json_object_get(item, "state"));
	if (fl->state && (!state || strcmp(state, fl->state)))
		return 0;
	time_t updated;
	const char *u = json_string_value(json_object_get(item, "updated_at"));
	if (q->updated_since >= 0 &&
	    (!u || time_parse_iso(u, &updated) || updated < q->updated_since))
		return 0;
	json_t *labels = json_object_get(item, "labels");
	for (size_t k = 0; k < fl->nlabels; k++) {
		int found = 0;
		size_t i;
		json_t *l;
		json_array_foreach(labels, i, l)
		{
			const char *name = json_string_value(json_object_get(l, "name"));
			found |= name && !strcasecmp(name, fl->labels[k]);
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* The endpoint's URL for page p (p >= 1) of q's issues, oldest first. */
static char *issues_url(struct fetch_ctx *ctx, const struct fetch_search *q, long p)
{
	struct strbuf url = STRBUF_INIT;
	strbuf_addf(&url, "/repos/%s/issues?state=%s", ctx->repo,
	            q->filter->state ? q->filter->state : "all");
	/* Names with commas cannot be given; second_matches checks every label anyway. */
	int any = 0;
	for (size_t k = 0; k < q->filter->nlabels; k++) {
		if (strchr(q->filter->labels[k], ','))
			continue;
		strbuf_adds(&url, any ? "," : "&labels=");
		gh_query_escape(&url, q->filter->labels[k]);
		any = 1;
	}
	if (q->updated_since >= 0) {
		char since[ISO_TIME_LEN];
		time_format_iso(q->updated_since, since);
		strbuf_adds(&url, "&since=");
		gh_query_escape(&url, since);
	}
	strbuf_addf(&url, "&sort=created&direction=asc&per_page=%d&page=%ld", FETCH_PER_PAGE, p);
	return strbuf_detach(&url, NULL);
}

/* Page p of the endpoint into *items (owned); *last gets the last page number when known. */
static int issues_page(struct fetch_ctx *ctx, const struct fetch_search *q, long p, json_t **items,
                       long *last, struct error *err)
{
	char *url = issues_url(ctx, q, p);
	struct gh_response r;
	int rc = gh_get(ctx->gh, url, NULL, &r, err);
	free(url);
	if (rc)
		return error_prefix(err, "issues of %s", ctx->repo);
	fetch_tick(ctx);
	if (!json_is_array(r.body)) {
		gh_response_release(&r);
		return error_set(err, "issues of %s: not a JSON array", ctx->repo);
	}
	if (last && r.last_url)
		*last = gh_url_page(r.last_url);
	else if (last && !r.next_url)
		*last = p;
	*items = json_incref(r.body);
	gh_response_release(&r);
	return 0;
}

/* The first page whose last issue was created at or after second (binary search). */
static int first_page_reaching(struct fetch_ctx *ctx, const struct fetch_search *q, long last,
                               long *found, struct error *err)
{
	long lo = 1, hi = last;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		json_t *items;
		if (issues_page(ctx, q, mid, &items, NULL, err))
			return -1;
		size_t n = json_array_size(items);
		time_t t = n ? fetch_created_of(json_array_get(items, n - 1)) : q->window.from;
		json_decref(items);
		if (t < q->window.from)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo;
	return 0;
}

/* One pass over the endpoint: every issue of the second that q's filter takes, added to out. */
static int collect_second(struct fetch_ctx *ctx, const struct fetch_search *q, json_t *out,
                          struct error *err)
{
	json_t *items;
	long last = 1, p = 1;
	if (issues_page(ctx, q, 1, &items, &last, err))
		return -1;
	json_decref(items);
	if (first_page_reaching(ctx, q, last, &p, err))
		return -1;
	for (; p <= last; p++) {
		if (issues_page(ctx, q, p, &items, NULL, err))
			return -1;
		int past = 0;
		json_t *matching = json_array();
		size_t i;
		json_t *item;
		json_array_foreach(items, i, item)
		{
			past |= fetch_created_of(item) > q->window.from;
			if (second_matches(q, item))
				json_array_append(matching, item);
		}
		fetch_add_new(out, matching);
		json_decref(matching);
		size_t n = json_array_size(items);
		json_decref(items);
		if (past || n < FETCH_PER_PAGE)
			break;
	}
	return 0;
}

/*
 * One pass over the second's own search, paged by its Link URLs, added to
 * out: for --query's qualifiers, which the issues endpoint cannot take. It
 * brings at most the 1,000 results a search returns.
 */
static int search_second(struct fetch_ctx *ctx, const struct fetch_search *q, json_t *out,
                         struct error *err)
{
	char *url = search_url(q, &q->window, FETCH_PER_PAGE);
	for (int pages = 0; url && pages < FETCH_SEARCH_CAP / FETCH_PER_PAGE; pages++) {
		struct gh_response r;
		int rc = search_page(ctx, url, &r, err);
		free(url);
		url = NULL;
		if (rc)
			return -1;
		fetch_add_new(out, json_object_get(r.body, "items"));
		if (r.next_url)
			url = xstrdup(r.next_url);
		gh_response_release(&r);
	}
	free(url);
	return 0;
}

static int rest_list_second(struct fetch_ctx *ctx, const struct fetch_search *q, long expected,
                            json_t **items, struct error *err)
{
	return fetch_second_tries(ctx, q, expected,
	                          q->filter->extra ? search_second : collect_second, items, err);
}

/* --- a crowded second, as both backends list one --- */

static json_int_t number_of(json_t *item)
{
	return json_integer_value(json_object_get(item, "number"));
}

void fetch_add_new(json_t *out, json_t *more)
{
	size_t i, k;
	json_t *it, *have;
	json_array_foreach(more, i, it)
	{
		int seen = 0;
		json_array_foreach(out, k, have)
		{
			seen |= number_of(have) == number_of(it);
		}
		if (!seen)
			json_array_append(out, it);
	}
}

int fetch_second_tries(struct fetch_ctx *ctx, const struct fetch_search *q, long expected,
                       fetch_collect_fn collect, json_t **items, struct error *err)
{
	*items = json_array();
	for (int attempt = 0; attempt < FETCH_SECOND_TRIES; attempt++) {
		if (collect(ctx, q, *items, err)) {
			json_decref(*items);
			*items = NULL;
			return -1;
		}
		/* Short of the search's count: something moved under the paging; once more. */
		if ((long)json_array_size(*items) >= expected)
			break;
	}
	return 0; /* the run counts what is still short as missed */
}

/* --- one issue --- */

static int rest_get_issue(struct fetch_ctx *ctx, int64_t number, json_t **item, struct error *err)
{
	*item = NULL;
	char *path = xstrfmt("/repos/%s/issues/%lld", ctx->repo, (long long)number);
	struct gh_response r;
	int rc = gh_get(ctx->gh, path, NULL, &r, err);
	free(path);
	fetch_tick(ctx);
	if (rc) {
		if (r.status == 410)
			return 2;
		if (r.status == 301)
			return 1;
		if (r.status == 404) {
			char name[REPO_NAME_MAX];
			return rest_check_repo(ctx, name, err) ? -1 : 2;
		}
		return -1;
	}
	if (!json_is_object(r.body)) {
		gh_response_release(&r);
		return error_set(err, "issue %s#%lld: not a JSON object", ctx->repo,
		                 (long long)number);
	}
	*item = json_incref(r.body);
	gh_response_release(&r);
	/* libcurl followed GitHub's 301 for a transferred issue: it answers from elsewhere. */
	const char *url = json_string_value(json_object_get(*item, "repository_url"));
	char repo[REPO_NAME_MAX];
	if (url && !repo_from_api_url(url, repo) && strcasecmp(repo, ctx->repo))
		return 1;
	return 0;
}

/* --- timelines --- */

/* A saved timeline page: its ETag and how many events it held. */
static const char *page_etag(json_t *pages, size_t k)
{
	return json_string_value(json_object_get(json_array_get(pages, k), "etag"));
}

static long page_events(json_t *pages, size_t k)
{
	return (long)json_integer_value(json_object_get(json_array_get(pages, k), "events"));
}

/* Where stored page k began: the events of the pages before it. */
static long page_start(json_t *pages, size_t k)
{
	long at = 0;
	for (size_t i = 0; i < k; i++)
		at += page_events(pages, i);
	return at;
}

static char *timeline_url(struct fetch_ctx *ctx, int64_t number, long page)
{
	if (page <= 1)
		return xstrfmt("/repos/%s/issues/%lld/timeline?per_page=%d", ctx->repo,
		               (long long)number, FETCH_PER_PAGE);
	return xstrfmt("/repos/%s/issues/%lld/timeline?per_page=%d&page=%ld", ctx->repo,
	               (long long)number, FETCH_PER_PAGE, page);
}

/* Notes page k of t from answer r; returns the URL of the next page (owned) or NULL. */
static char *take_page(struct fetch_ctx *ctx, struct fetch_timeline *t, size_t k,
                       struct gh_response *r)
{
	if (r->status == 304) {
		long n = page_events(t->stored, k);
		json_array_append_new(t->chunks, json_pack("{s:I, s:I}", "from",
		                                           (json_int_t)page_start(t->stored, k),
		                                           "count", (json_int_t)n));
		json_array_append_new(t->pages,
		                      json_pack("{s:s?, s:I}", "etag", page_etag(t->stored, k),
		                                "events", (json_int_t)n));
		t->events += n;
		if (r->next_url)
			return xstrdup(r->next_url);
		/* Without a Link, a full page may have a successor: ask for it. */
		return n >= FETCH_PER_PAGE ? timeline_url(ctx, t->number, (long)k + 2) : NULL;
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
static int timeline_gone(struct fetch_ctx *ctx, long status, struct error *err)
{
	if (status == 410)
		return 1;
	/* A 404 says the issue is gone only while the repository still answers. */
	char name[REPO_NAME_MAX];
	return rest_check_repo(ctx, name, err) ? -1 : 1;
}

static int rest_timeline(struct fetch_ctx *ctx, struct fetch_timeline *t, struct error *err)
{
	char *url = timeline_url(ctx, t->number, 1);
	t->chunks = json_array();
	t->pages = json_array();
	t->events = 0;
	for (size_t k = 0; url; k++) {
		if (k >= FETCH_MAX_TIMELINE_PAGE) {
			free(url);
			return error_set(err, "timeline of %s#%lld: more than %d pages", ctx->repo,
			                 (long long)t->number, FETCH_MAX_TIMELINE_PAGE);
		}
		const char *etag = k < json_array_size(t->stored) ? page_etag(t->stored, k) : NULL;
		struct gh_response r;
		int rc = gh_get(ctx->gh, url, etag, &r, err);
		free(url);
		url = NULL;
		if (rc) {
			if (r.status == 410 || r.status == 404)
				return timeline_gone(ctx, r.status, err);
			return error_prefix(err, "timeline of %s#%lld", ctx->repo,
			                    (long long)t->number);
		}
		if (r.status == 200 && !json_is_array(r.body)) {
			gh_response_release(&r);
			return error_set(err, "timeline of %s#%lld: not a JSON array", ctx->repo,
			                 (long long)t->number);
		}
		url = take_page(ctx, t, k, &r);
		gh_response_release(&r);
		fetch_tick(ctx);
	}
	return 0;
}

const struct fetch_backend fetch_rest_backend = {
        "rest",     rest_check_repo, rest_list,     rest_list_second,
        rest_count, rest_get_issue,  rest_timeline, NULL,
        NULL,
};
