/*
 * fetch_graphql.c - the GraphQL backend of the fetcher (see struct
 * fetch_backend in fetch.h, and graphql.h for the queries and answers).
 *
 * The repository: one query names it and, by introspection, the timeline
 * item types the server has; every other query is built for that schema.
 *
 * Listing: search(type: ISSUE) sorted by creation, always the first page of
 * a window, continued by keyset as the REST backend does ({"after": T,
 * "seen": [numbers], "left": N}): GitHub's search cursors are offsets, so
 * an issue that stops matching while a window is listed would shift the
 * later ones past a page boundary. Each result comes with its first timeline items, so the
 * listed item carries the node GitHub sent (FETCH_RAW_MEMBER) into
 * fetch_pending: an issue of up to 100 items costs no query of its own, and
 * a run killed after the listing resumes from these rows. A query costs
 * what its first: values could bring, not what comes, so a window is first
 * counted (1 point, where a page costs 3): an empty window costs no page,
 * one over the 1,000-result cap is split without one, and a page asks for
 * no more issues than the count (or the cursor's "left") says. A second that
 * fills a page is listed whole by paging its one-second search with
 * endCursor (at most 1,000 results; beyond that, by the REST backend's
 * repository issues endpoint, which --query's qualifiers rule out). A search with the user's own
 * created: is paged by endCursor ({"endCursor": C}).
 *
 * Timelines: the backend takes the pending issues itself (timelines): an
 * issue whose first items are its whole timeline is stored at once; the
 * others join a batch of up to GRAPHQL_BATCH_MAX, and each query continues
 * every timeline of the batch from its endCursor (one alias per issue, and
 * per review or commit thread whose comments are due), issues from many
 * listing pages together, refilled from the pending list as issues
 * complete. Each complete issue is stored in its own transaction. An issue
 * listed without its first items (by the REST backend, or by a REST run
 * this one resumes) is continued from the start.
 *
 * Refresh: GraphQL has no 304. The run skips the listed issues whose
 * updatedAt matches their stored timeline (fetch_take_item), so only issues
 * that changed are stored again; their timelines are fetched whole. There
 * is nothing to save per page (timeline_state.pages is []).
 *
 * Rate limits, secondary limits, faults, timeouts (which halve the page, then
 * the batch, then the items asked for), partial answers (asked again, never
 * stored) are gh_graphql's and graphql_page.c's; the sizes GitHub answered
 * stay for the rest of the run.
 */
#include "fetch.h"
#include "graphql.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Events a batch of continuing timelines may hold before no more issues join it. */
#define GRAPHQL_HELD_MAX 2500

struct gql {
	struct graphql_schema schema;
	int first;          /* issues per search page */
	int timeline_first; /* timeline items per issue and per continuation */
	int aliases;        /* aliases per continuation */
};

static struct gql *state(struct fetch_ctx *ctx)
{
	if (!ctx->data) {
		struct gql *g = xcalloc(1, sizeof(*g));
		g->first = GRAPHQL_FIRST_MAX;
		g->timeline_first = GRAPHQL_FIRST_MAX;
		g->aliases = GRAPHQL_BATCH_MAX;
		ctx->data = g;
	}
	return ctx->data;
}

static void gql_release(struct fetch_ctx *ctx)
{
	struct gql *g = ctx->data;
	if (!g)
		return;
	graphql_schema_release(&g->schema);
	free(g);
	ctx->data = NULL;
}

/* {"owner": O, "name": N} of "O/N" (new reference). */
static json_t *repo_variables(const char *repo)
{
	const char *slash = strchr(repo, '/');
	return json_pack("{s:s%, s:s}", "owner", repo,
	                 slash ? (size_t)(slash - repo) : strlen(repo), "name",
	                 slash ? slash + 1 : "");
}

/* One query through graphql_ask; a query too big to ask for less of is a failure. */
static int ask(struct fetch_ctx *ctx, const char *query, json_t *vars,
               struct gh_graphql_response *resp, struct error *err)
{
	int rc = graphql_ask(ctx->gh, query, vars, resp, err);
	fetch_tick(ctx);
	if (rc == 1)
		return error_set(err, "GitHub cannot answer the query in time");
	return rc;
}

/* --- the repository --- */

static int gql_check_repo(struct fetch_ctx *ctx, char *full_name, struct error *err)
{
	struct gql *g = state(ctx);
	const char *repo = ctx->opt->repo;
	char *query = graphql_repository_query();
	json_t *vars = repo_variables(repo);
	struct gh_graphql_response resp;
	int rc = ask(ctx, query, vars, &resp, err);
	json_decref(vars);
	free(query);
	if (rc)
		return error_prefix(err, "repository %s", repo);
	char *name = NULL;
	graphql_schema_release(&g->schema);
	rc = graphql_schema_parse(resp.data, &name, &g->schema, err);
	gh_graphql_release(&resp);
	if (rc)
		return error_prefix(err, "repository %s", repo);
	if (!name)
		return error_set(err,
		                 "repository %s (no such repository, or the token cannot see it)",
		                 repo);
	snprintf(full_name, REPO_NAME_MAX, "%s", repo_name_valid(name) ? name : repo);
	free(name);
	return 0;
}

/* --- the search --- */

/*
 * One search page at the sizes that answered last (they stay lowered after
 * a timeout), or of expect issues when fewer are expected: a query costs
 * what its first: values could bring, whatever comes.
 */
static int search(struct fetch_ctx *ctx, const char *text, const char *after, long expect,
                  struct graphql_page *out, struct error *err)
{
	struct gql *g = state(ctx);
	int first = expect > 0 && expect < g->first ? (int)expect : g->first;
	struct graphql_search_request req = {text, after, first, g->timeline_first,
	                                     ctx->opt->include_prs};
	memset(out, 0, sizeof(*out));
	int rc = graphql_search_page(ctx->gh, &g->schema, &req, out, err);
	fetch_tick(ctx);
	if (rc)
		return error_prefix(err, "search \"%s\"", ctx->query);
	if (out->first < first)
		g->first = out->first;
	g->timeline_first = out->timeline_first;
	return 0;
}

static int count_text(struct fetch_ctx *ctx, const char *text, long *total, struct error *err);

/* The REST-shaped item of a search result, carrying the node GitHub sent (new reference). */
static json_t *item_of(const struct graphql_issue *gi)
{
	json_t *item = json_copy(gi->issue);
	json_object_set(item, FETCH_RAW_MEMBER, gi->raw);
	return item;
}

/* The page's results as items (new reference). */
static json_t *items_of(const struct graphql_page *gp)
{
	json_t *items = json_array();
	for (size_t i = 0; i < gp->nissues; i++)
		json_array_append_new(items, item_of(&gp->issues[i]));
	return items;
}

/* A search with the user's own created: (no keyset possible): paged by endCursor. */
static int list_by_cursor(struct fetch_ctx *ctx, const struct fetch_search *q, const json_t *cursor,
                          struct fetch_page *page, struct error *err)
{
	const char *after = cursor ? json_string_value(json_object_get(cursor, "endCursor")) : NULL;
	char *text = fetch_search_text(q, &q->window);
	struct graphql_page gp;
	int rc = search(ctx, text, after, -1, &gp, err);
	free(text);
	if (rc)
		return -1;
	page->items = items_of(&gp);
	page->total = gp.issue_count;
	page->hidden = gp.issue_count > FETCH_SEARCH_CAP;
	page->gone = (long)gp.skipped;
	if (gp.has_next)
		page->cursor = json_pack("{s:s}", "endCursor", gp.end_cursor);
	graphql_page_release(&gp);
	return 0;
}

/*
 * A window's first page, when the count says it is empty or over the cap:
 * no page is asked for (1 point where a page costs 3): nothing to take, or
 * the run splits the window. Returns 1 when the page is answered so, with
 * *expect the count otherwise.
 */
static int window_known(struct fetch_ctx *ctx, const char *text, struct fetch_page *page,
                        long *expect, struct error *err)
{
	long total;
	if (count_text(ctx, text, &total, err))
		return -1;
	*expect = total;
	if (total > 0 && total <= FETCH_SEARCH_CAP)
		return 0;
	page->items = json_array();
	page->total = total;
	page->hidden = total > FETCH_SEARCH_CAP;
	return 1;
}

/* How many issues the next page of a keyset cursor expects, or -1. */
static long cursor_expect(const json_t *cursor)
{
	json_t *left = json_object_get(cursor, "left");
	return json_is_integer(left) ? (long)json_integer_value(left) : -1;
}

/* A keyset search page into page: its new items, and where the window continues. */
static void take_keyset_page(const struct graphql_page *gp, const json_t *cursor, time_t after,
                             struct fetch_page *page)
{
	json_t *items = items_of(gp);
	page->total = gp->issue_count;
	page->hidden = gp->issue_count > FETCH_SEARCH_CAP;
	page->gone = (long)gp->skipped;
	page->items = fetch_keyset_items(items, cursor, after);
	/* More than this answer holds: continue from its last second. */
	if (json_array_size(items) > 0 && gp->has_next)
		fetch_keyset_next(items, after, json_array_size(page->items) > 0, gp->first, page);
	/* What the next page holds: the rest, and this page's last second again. */
	if (page->cursor) {
		json_int_t seen =
		        (json_int_t)json_array_size(json_object_get(page->cursor, "seen"));
		json_int_t left = gp->issue_count - (json_int_t)json_array_size(items) + seen;
		json_object_set_new(page->cursor, "left", json_integer(left));
	}
	json_decref(items);
}

static int gql_list(struct fetch_ctx *ctx, const struct fetch_search *q, const json_t *cursor,
                    struct fetch_page *page, struct error *err)
{
	memset(page, 0, sizeof(*page));
	page->total = -1;
	if (q->window.from < 0)
		return list_by_cursor(ctx, q, cursor, page, err);
	/* A cursor of another kind (a REST run's page URL) starts the window again. */
	json_t *jafter = cursor ? json_object_get(cursor, "after") : NULL;
	time_t after =
	        json_is_integer(jafter) ? (time_t)json_integer_value(jafter) : q->window.from;
	struct fetch_window w = {after > q->window.from ? after : q->window.from, q->window.to};
	if (!jafter)
		cursor = NULL;
	char *text = fetch_search_text(q, &w);
	long expect = cursor ? cursor_expect(cursor) : -1;
	int rc = cursor ? 0 : window_known(ctx, text, page, &expect, err);
	struct graphql_page gp;
	if (!rc)
		rc = search(ctx, text, NULL, expect, &gp, err);
	free(text);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (!gp.nissues && gp.has_next) {
		graphql_page_release(&gp);
		return error_set(err, "search \"%s\": a page of only results GitHub cannot resolve",
		                 ctx->query);
	}
	take_keyset_page(&gp, cursor, after, page);
	graphql_page_release(&gp);
	return 0;
}

/* Every result of q's one-second window, paged by endCursor, added to out. */
static int collect_second(struct fetch_ctx *ctx, const struct fetch_search *q, json_t *out,
                          struct error *err)
{
	char *text = fetch_search_text(q, &q->window);
	char *after = NULL;
	int rc = 0;
	for (int pages = 0; !rc; pages++) {
		struct graphql_page gp;
		rc = search(ctx, text, after, -1, &gp, err);
		if (rc)
			break;
		json_t *items = items_of(&gp);
		fetch_add_new(out, items);
		json_decref(items);
		free(after);
		after = gp.has_next && pages < FETCH_SEARCH_CAP ? xstrdup(gp.end_cursor) : NULL;
		graphql_page_release(&gp);
		if (!after)
			break;
	}
	free(after);
	free(text);
	return rc;
}

static int gql_list_second(struct fetch_ctx *ctx, const struct fetch_search *q, long expected,
                           json_t **items, struct error *err)
{
	*items = NULL;
	/* Beyond what one search pages through: the repository's issues, over REST. */
	if (expected > FETCH_SEARCH_CAP && !q->filter->extra)
		return fetch_rest_backend.list_second(ctx, q, expected, items, err);
	return fetch_second_tries(ctx, q, expected, collect_second, items, err);
}

static int gql_count(struct fetch_ctx *ctx, const struct fetch_search *q, long *total,
                     struct error *err)
{
	char *text = fetch_search_text(q, &q->window);
	int rc = count_text(ctx, text, total, err);
	free(text);
	return rc;
}

/* How many issues the search text matches (a query of 1 point). */
static int count_text(struct fetch_ctx *ctx, const char *text, long *total, struct error *err)
{
	char *query = graphql_count_query();
	json_t *vars = json_pack("{s:s}", "q", text);
	struct gh_graphql_response resp;
	int rc = ask(ctx, query, vars, &resp, err);
	json_decref(vars);
	free(query);
	if (rc)
		return error_prefix(err, "search \"%s\"", ctx->query);
	json_t *count = json_object_get(json_object_get(resp.data, "search"), "issueCount");
	rc = json_is_integer(count)
	             ? 0
	             : error_set(err, "search \"%s\": the answer has no issueCount", ctx->query);
	if (!rc)
		*total = (long)json_integer_value(count);
	gh_graphql_release(&resp);
	return rc;
}

/* --- one issue --- */

/* The node of a get_issue answer: the issue, or NULL (*repo_gone when the repository is). */
static json_t *answered_issue(json_t *data, int *repo_gone)
{
	json_t *repo = json_object_get(data, "repository");
	*repo_gone = !json_is_object(repo);
	json_t *node = json_object_get(repo, "issueOrPullRequest");
	if (!node)
		node = json_object_get(repo, "issue");
	return json_is_object(node) ? node : NULL;
}

/*
 * The verdict on a node: 0 still here, 1 transferred (GitHub follows an
 * issue to the repository it moved to, as REST's 301 does).
 */
static int verdict_of(struct fetch_ctx *ctx, json_t *node)
{
	const char *where = json_string_value(
	        json_object_get(json_object_get(node, "repository"), "nameWithOwner"));
	return where && strcasecmp(where, ctx->repo) ? 1 : 0;
}

static int gql_get_issue(struct fetch_ctx *ctx, int64_t number, json_t **item, struct error *err)
{
	struct gql *g = state(ctx);
	*item = NULL;
	char *query = graphql_issue_query(&g->schema, ctx->opt->include_prs);
	json_t *vars = repo_variables(ctx->repo);
	json_object_set_new(vars, "number", json_integer(number));
	json_object_set_new(vars, "timeline", json_integer(g->timeline_first));
	struct gh_graphql_response resp;
	int rc = ask(ctx, query, vars, &resp, err);
	json_decref(vars);
	free(query);
	if (rc)
		return -1;
	int repo_gone;
	json_t *node = answered_issue(resp.data, &repo_gone);
	if (!node) {
		gh_graphql_release(&resp);
		if (repo_gone)
			return error_set(err, "repository %s no longer answers", ctx->repo);
		return 2; /* NOT_FOUND: deleted, or hidden from the token */
	}
	struct graphql_issue gi;
	rc = graphql_issue_read(node, &gi, err);
	if (!rc) {
		*item = item_of(&gi);
		rc = verdict_of(ctx, node);
	}
	graphql_issue_release(&gi);
	gh_graphql_release(&resp);
	return rc;
}

/* --- timelines --- */

/* An issue of the batch: what fetch_pending kept, and its timeline as it comes. */
struct slot {
	int64_t number;
	json_t *item;
	struct graphql_issue gi;
};

static void slot_release(struct slot *s)
{
	json_decref(s->item);
	graphql_issue_release(&s->gi);
	memset(s, 0, sizeof(*s));
}

/* Reads a pending item: its node's first timeline items, or none (continue from the start). */
static int slot_open(struct slot *s, int64_t number, json_t *item, struct error *err)
{
	memset(s, 0, sizeof(*s));
	s->number = number;
	s->item = item;
	json_t *node = json_object_get(item, FETCH_RAW_MEMBER);
	if (json_is_object(node)) {
		if (graphql_issue_read(node, &s->gi, err))
			return error_prefix(err, "fetch_pending: issue %lld", (long long)number);
		if (s->gi.number != number)
			return error_set(err, "fetch_pending: issue %lld holds #%lld",
			                 (long long)number, (long long)s->gi.number);
		return 0;
	}
	s->gi.number = number;
	s->gi.is_pr = store_is_pull_request(item);
	s->gi.events = json_array();
	s->gi.raw_events = json_array();
	s->gi.cursor = xstrdup(""); /* continued from before its first item */
	return 0;
}

/* Stores a complete (or gone) issue of the batch and empties its slot. */
static int deliver(struct fetch_ctx *ctx, struct slot *s, struct error *err)
{
	struct fetch_timeline t = {s->number, s->item};
	t.chunks = json_pack("[O]", s->gi.events);
	t.pages = json_array();
	t.raws = json_incref(s->gi.raw_events);
	t.events = (long)json_array_size(s->gi.events);
	int rc = fetch_deliver(ctx, &t, s->gi.gone, err);
	json_decref(t.chunks);
	json_decref(t.pages);
	json_decref(t.raws);
	slot_release(s);
	return rc;
}

static long held_events(const struct slot *set, size_t n)
{
	long held = 0;
	for (size_t i = 0; i < n; i++)
		held += (long)json_array_size(set[i].gi.events);
	return held;
}

/* The batch of continuing timelines and where the pending list was read up to. */
struct batch {
	struct slot set[GRAPHQL_BATCH_MAX];
	size_t n;
	int64_t after;
	int exhausted;
};

/* Takes pending issues until the batch is full: those already complete are stored at once. */
static int refill(struct fetch_ctx *ctx, struct batch *b, struct error *err)
{
	while (!b->exhausted && b->n < GRAPHQL_BATCH_MAX &&
	       held_events(b->set, b->n) < GRAPHQL_HELD_MAX) {
		int64_t number;
		json_t *item;
		if (fetch_next_pending(ctx, b->after, &number, &item, err))
			return -1;
		if (!number) {
			b->exhausted = 1;
			break;
		}
		b->after = number;
		struct slot *s = &b->set[b->n];
		if (slot_open(s, number, item, err)) {
			slot_release(s);
			return -1;
		}
		if (!graphql_issue_complete(&s->gi)) {
			b->n++;
			continue;
		}
		if (deliver(ctx, s, err))
			return -1;
	}
	return 0;
}

/* Stores the issues of the batch that are complete now, keeping the rest in order. */
static int deliver_complete(struct fetch_ctx *ctx, struct batch *b, struct error *err)
{
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!graphql_issue_complete(&b->set[i].gi)) {
			if (k != i)
				b->set[k] = b->set[i];
			k++;
			continue;
		}
		if (deliver(ctx, &b->set[i], err)) {
			/* Keep the slots still owned in place for the caller to release. */
			for (size_t j = i + 1; j < b->n; j++)
				b->set[k++] = b->set[j];
			b->n = k;
			return -1;
		}
	}
	b->n = k;
	return 0;
}

/* One continuation query for the whole batch. */
static int continue_batch(struct fetch_ctx *ctx, struct batch *b, struct error *err)
{
	struct gql *g = state(ctx);
	struct graphql_issue *issues[GRAPHQL_BATCH_MAX];
	for (size_t i = 0; i < b->n; i++)
		issues[i] = &b->set[i].gi;
	int rc = graphql_continue(ctx->gh, &g->schema, ctx->repo, issues, b->n, &g->aliases,
	                          &g->timeline_first, err);
	fetch_tick(ctx);
	if (rc)
		return error_prefix(err, "timelines of %s", ctx->repo);
	return 0;
}

static int gql_timelines(struct fetch_ctx *ctx, struct error *err)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	int rc = 0;
	for (;;) {
		rc = refill(ctx, b, err);
		if (rc || !b->n)
			break;
		rc = continue_batch(ctx, b, err);
		if (!rc)
			rc = deliver_complete(ctx, b, err);
		if (rc)
			break;
	}
	for (size_t i = 0; i < b->n; i++)
		slot_release(&b->set[i]);
	free(b);
	return rc;
}

const struct fetch_backend fetch_graphql_backend = {
        "graphql",     gql_check_repo, gql_list,      gql_list_second, gql_count,
        gql_get_issue, NULL,           gql_timelines, gql_release,
};
