/*
 * graphql_page.c - search pages and timeline continuations through gh_graphql() (see graphql.h).
 *
 * Answers are outside input: every member is checked before use, and a
 * malformed answer is an error naming where it is. A query GitHub refuses as
 * too big (the node limit, other resource limits) or gives up on in time is
 * asked again for less: half the issues, then half the timeline items, and
 * for continuations half the aliases, down to one. A partial answer (errors
 * beside data) is never taken: it is asked again after a backoff, a few
 * times, then it is an error. NOT_FOUND is not an error: a search result or
 * an issue that no longer resolves was deleted or moved meanwhile.
 */
#include "graphql.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static json_t *member(json_t *obj, const char *key)
{
	return json_object_get(obj, key);
}

void graphql_issue_release(struct graphql_issue *gi)
{
	if (!gi)
		return;
	json_decref(gi->issue);
	json_decref(gi->raw);
	json_decref(gi->events);
	json_decref(gi->raw_events);
	free(gi->cursor);
	for (size_t i = 0; i < gi->nthreads; i++) {
		json_decref(gi->threads[i].comments);
		free(gi->threads[i].cursor);
	}
	free(gi->threads);
	memset(gi, 0, sizeof(*gi));
}

void graphql_page_release(struct graphql_page *p)
{
	for (size_t i = 0; i < p->nissues; i++)
		graphql_issue_release(&p->issues[i]);
	free(p->issues);
	free(p->end_cursor);
	memset(p, 0, sizeof(*p));
}

/* --- errors at a path --- */

/* True if an error's path begins with the elements of prefix (strings and indices). */
static int path_starts_with(json_t *path, json_t *prefix)
{
	if (!json_is_array(path) || json_array_size(path) < json_array_size(prefix))
		return 0;
	for (size_t i = 0; i < json_array_size(prefix); i++)
		if (!json_equal(json_array_get(path, i), json_array_get(prefix, i)))
			return 0;
	return 1;
}

/*
 * The errors at or under prefix: 0 when none, 1 when all are NOT_FOUND, -1
 * when some other error is there.
 */
static int errors_at(json_t *errors, json_t *prefix)
{
	int found = 0;
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		if (!path_starts_with(member(e, "path"), prefix))
			continue;
		const char *type = json_string_value(member(e, "type"));
		if (!type || strcmp(type, "NOT_FOUND"))
			return -1;
		found = 1;
	}
	return found;
}

/*
 * The type and message of the first error that is not NOT_FOUND, for a
 * one-line error; the token scrubbed before the line is cut short.
 */
static void describe_errors(const struct gh_client *gh, json_t *errors, struct strbuf *out)
{
	json_t *e = json_array_get(errors, 0);
	size_t i;
	json_t *x;
	json_array_foreach(errors, i, x)
	{
		const char *t = json_string_value(member(x, "type"));
		if (!t || strcmp(t, "NOT_FOUND")) {
			e = x;
			break;
		}
	}
	const char *type = json_string_value(member(e, "type"));
	const char *msg = json_string_value(member(e, "message"));
	strbuf_addf(out, "%s%s%s", type ? type : "", type && msg ? ": " : "", msg ? msg : "");
	if (json_array_size(errors) > 1)
		strbuf_addf(out, " (and %zu more)", json_array_size(errors) - 1);
	gh_client_scrub(gh, out);
	for (size_t k = 0; k < out->len; k++)
		if ((unsigned char)out->buf[k] < 32)
			out->buf[k] = ' ';
	if (out->len > 300) {
		strbuf_setlen(out, 300);
		strbuf_adds(out, "...");
	}
}

/* --- one timeline page --- */

/* A timeline page read from a timelineItems connection, before it is appended. */
struct timeline_page {
	json_t *events; /* translated */
	json_t *raws;   /* as sent */
	size_t nodes;   /* items the page held, those dropped included */
	long total;
	char *cursor; /* NULL: the last page */
};

static void timeline_page_release(struct timeline_page *t)
{
	json_decref(t->events);
	json_decref(t->raws);
	free(t->cursor);
	memset(t, 0, sizeof(*t));
}

static int read_page_info(json_t *conn, char **cursor, struct error *err)
{
	json_t *info = member(conn, "pageInfo");
	json_t *has_next = member(info, "hasNextPage");
	const char *end = json_string_value(member(info, "endCursor"));
	*cursor = NULL;
	if (!json_is_boolean(has_next))
		return error_set(err, "pageInfo without hasNextPage");
	if (!json_is_true(has_next))
		return 0;
	if (!end || !*end)
		return error_set(err, "pageInfo says a page follows but gives no endCursor");
	*cursor = xstrdup(end);
	return 0;
}

/* Reads a timelineItems connection into t (zeroed by the caller). */
static int read_timeline(json_t *conn, struct timeline_page *t, struct error *err)
{
	json_t *nodes = member(conn, "nodes");
	if (!json_is_object(conn) || !json_is_array(nodes))
		return error_set(err, "no timelineItems with nodes");
	json_t *total = member(conn, "totalCount");
	t->total = json_is_integer(total) ? (long)json_integer_value(total) : -1;
	t->events = json_array();
	t->raws = json_array();
	size_t i;
	json_t *item;
	t->nodes = json_array_size(nodes);
	json_array_foreach(nodes, i, item)
	{
		if (!graphql_item_in_rest(json_string_value(json_object_get(item, "__typename"))))
			continue; /* the REST timeline does not have it: neither do we */
		json_t *ev = graphql_item_to_rest(item, err);
		if (!ev) {
			error_prefix(err, "timeline item %zu", i + 1);
			goto fail;
		}
		json_array_append_new(t->events, ev);
		json_array_append(t->raws, item);
	}
	if (read_page_info(conn, &t->cursor, err))
		goto fail;
	return 0;
fail:
	timeline_page_release(t);
	return -1;
}

/* A review or commit thread whose comments the item does not carry. */
static int wants_comments(json_t *raw)
{
	const char *type = json_string_value(member(raw, "__typename"));
	if (!type || (strcmp(type, "PullRequestReviewThread") &&
	              strcmp(type, "PullRequestCommitCommentThread")))
		return 0;
	return !member(raw, "comments") && json_string_value(member(raw, "id"));
}

/* Notes the threads of gi's events from position from on. */
static void note_threads(struct graphql_issue *gi, size_t from)
{
	for (size_t i = from; i < json_array_size(gi->raw_events); i++) {
		if (!wants_comments(json_array_get(gi->raw_events, i)))
			continue;
		xgrow((void **)&gi->threads, &gi->alloc, gi->nthreads + 1, sizeof(*gi->threads));
		struct graphql_thread th = {i, json_array(), NULL};
		gi->threads[gi->nthreads++] = th;
	}
}

/* Appends t to gi (taking what t holds). */
static void append_page(struct graphql_issue *gi, struct timeline_page *t)
{
	size_t from = json_array_size(gi->raw_events);
	json_array_extend(gi->events, t->events);
	json_array_extend(gi->raw_events, t->raws);
	gi->total = t->total;
	free(gi->cursor);
	gi->cursor = t->cursor;
	t->cursor = NULL;
	timeline_page_release(t);
	note_threads(gi, from);
}

int graphql_issue_complete(const struct graphql_issue *gi)
{
	return gi->gone || (!gi->cursor && !gi->nthreads);
}

/* --- search pages --- */

int graphql_issue_read(json_t *node, struct graphql_issue *gi, struct error *err)
{
	memset(gi, 0, sizeof(*gi));
	struct timeline_page t = {0};
	json_t *issue = graphql_issue_to_rest(node, err);
	if (!issue)
		return -1;
	gi->number = (int64_t)json_integer_value(member(node, "number"));
	if (read_timeline(member(node, "timelineItems"), &t, err)) {
		json_decref(issue);
		return error_prefix(err, "#%lld", (long long)gi->number);
	}
	gi->is_pr = json_object_get(issue, "pull_request") != NULL;
	gi->issue = issue;
	gi->raw = json_incref(node);
	gi->events = json_array();
	gi->raw_events = json_array();
	append_page(gi, &t);
	return 0;
}

static int read_search_header(json_t *search, struct graphql_page *out, struct error *err)
{
	json_t *count = member(search, "issueCount");
	if (!json_is_object(search) || !json_is_array(member(search, "nodes")))
		return error_set(err, "answer without search nodes");
	out->issue_count = json_is_integer(count) ? (long)json_integer_value(count) : -1;
	if (read_page_info(search, &out->end_cursor, err))
		return error_prefix(err, "search");
	out->has_next = out->end_cursor != NULL;
	return 0;
}

/* A null search result: skipped when GitHub says it is not found, else an error. */
static int null_result(json_t *errors, size_t k, struct graphql_page *out, struct error *err)
{
	json_t *path = json_pack("[s,s,I]", "search", "nodes", (json_int_t)k);
	int at = errors_at(errors, path);
	json_decref(path);
	if (at != 1)
		return error_set(err, "search result %zu is null", k + 1);
	out->skipped++;
	return 0;
}

int graphql_page_parse(json_t *data, json_t *errors, struct graphql_page *out, struct error *err)
{
	json_t *search = member(data, "search");
	if (read_search_header(search, out, err))
		goto fail;
	json_t *nodes = member(search, "nodes");
	out->issues = xcalloc(json_array_size(nodes) + 1, sizeof(*out->issues));
	size_t k;
	json_t *node;
	json_array_foreach(nodes, k, node)
	{
		if (json_is_null(node)) {
			if (null_result(errors, k, out, err))
				goto fail;
			continue;
		}
		if (graphql_issue_read(node, &out->issues[out->nissues], err)) {
			error_prefix(err, "search result %zu", k + 1);
			goto fail;
		}
		out->nissues++;
	}
	return 0;
fail:
	graphql_page_release(out);
	return -1;
}

/* Asks for less after a query was too big or too slow: 0 when it cannot be smaller. */
static int ask_for_less(int *first, int *second)
{
	if (*first > 1) {
		*first /= 2;
		return 1;
	}
	if (*second > 1) {
		*second /= 2;
		return 1;
	}
	return 0;
}

static int clamp_first(int n)
{
	return n < 1 ? 1 : n > GRAPHQL_FIRST_MAX ? GRAPHQL_FIRST_MAX : n;
}

int graphql_ask(struct gh_client *gh, const char *query, json_t *vars,
                struct gh_graphql_response *resp, struct error *err)
{
	for (int tries = 1;; tries++) {
		if (gh_graphql(gh, query, vars, resp, err)) {
			int smaller = resp->status == GH_GRAPHQL_TIMEOUT ||
			              resp->status == GH_GRAPHQL_TOO_BIG;
			gh_graphql_release(resp);
			return smaller ? 1 : -1;
		}
		if (resp->status != GH_GRAPHQL_PARTIAL)
			return 0;
		if (tries >= GRAPHQL_PARTIAL_TRIES) {
			struct strbuf msg = STRBUF_INIT;
			describe_errors(gh, resp->errors, &msg);
			error_set(err, "a partial answer %d times in a row: %s", tries, msg.buf);
			strbuf_release(&msg);
			gh_graphql_release(resp);
			return -1;
		}
		gh_graphql_release(resp);
		gh_backoff_wait(gh, tries - 1, "partial GraphQL answer");
	}
}

int graphql_search_page(struct gh_client *gh, const struct graphql_schema *schema,
                        const struct graphql_search_request *req, struct graphql_page *out,
                        struct error *err)
{
	struct graphql_search_request r = *req;
	r.first = clamp_first(r.first);
	r.timeline_first = clamp_first(r.timeline_first);
	char *query = graphql_search_query(schema, r.include_prs);
	int rc;
	for (;;) {
		struct gh_graphql_response resp;
		json_t *vars = graphql_search_variables(&r);
		rc = graphql_ask(gh, query, vars, &resp, err);
		json_decref(vars);
		if (rc == 1 && ask_for_less(&r.first, &r.timeline_first))
			continue;
		if (rc == 1) /* one issue with one item is too much: nothing smaller to ask */
			rc = -1;
		if (rc == 0) {
			rc = graphql_page_parse(resp.data, resp.errors, out, err);
			out->first = r.first;
			out->timeline_first = r.timeline_first;
			gh_graphql_release(&resp);
		}
		break;
	}
	free(query);
	return rc ? -1 : 0;
}

/* --- continuations --- */

/* The node of alias name in holder; *gone when GitHub says it no longer resolves. */
static int alias_node(json_t *holder, json_t *errors, json_t *path, json_t **node, int *gone,
                      struct error *err)
{
	*gone = 0;
	*node = member(holder, json_string_value(json_array_get(path, json_array_size(path) - 1)));
	if (json_is_object(*node))
		return 0;
	if (errors_at(errors, path) != 1)
		return error_set(err, "no answer");
	*gone = 1;
	return 0;
}

/* Reads alias t<i> for gi into t; *gone when GitHub no longer finds it. */
static int read_alias(json_t *repo, json_t *errors, size_t i, const struct graphql_issue *gi,
                      struct timeline_page *t, int *gone, struct error *err)
{
	char alias[32];
	snprintf(alias, sizeof(alias), "t%zu", i);
	json_t *path = json_pack("[s,s]", "repository", alias);
	json_t *node;
	int rc = alias_node(repo, errors, path, &node, gone, err);
	json_decref(path);
	if (rc)
		return error_prefix(err, "#%lld", (long long)gi->number);
	if (*gone)
		return 0;
	json_t *number = member(node, "number");
	if (!json_is_integer(number) || json_integer_value(number) != gi->number)
		return error_set(err, "#%lld: the answer is for another issue",
		                 (long long)gi->number);
	if (read_timeline(member(node, "timelineItems"), t, err))
		return error_prefix(err, "#%lld", (long long)gi->number);
	/* A page that follows must move on, or a loop would never end. */
	if (t->cursor && (!t->nodes || (gi->cursor && !strcmp(t->cursor, gi->cursor)))) {
		timeline_page_release(t);
		return error_set(err, "#%lld: the timeline does not advance",
		                 (long long)gi->number);
	}
	return 0;
}

/* A thread's comments as they came: nodes, and where they continue. */
struct thread_page {
	json_t *nodes; /* borrowed from the answer */
	char *cursor;
	long total;
	int gone;
};

/* Reads alias h<i>, the comments of thread ref, into p. */
static int read_thread(json_t *data, json_t *errors, size_t i, const struct graphql_thread_ref *ref,
                       struct thread_page *p, struct error *err)
{
	char alias[32];
	snprintf(alias, sizeof(alias), "h%zu", i);
	json_t *path = json_pack("[s]", alias);
	json_t *node;
	memset(p, 0, sizeof(*p));
	int rc = alias_node(data, errors, path, &node, &p->gone, err);
	json_decref(path);
	if (rc || p->gone)
		return rc ? error_prefix(err, "#%lld: a thread", (long long)ref->gi->number) : 0;
	json_t *comments = member(node, "comments");
	p->nodes = member(comments, "nodes");
	if (!json_is_array(p->nodes))
		return error_set(err, "#%lld: a thread without comments",
		                 (long long)ref->gi->number);
	json_t *total = member(comments, "totalCount");
	p->total = json_is_integer(total) ? (long)json_integer_value(total) : -1;
	if (read_page_info(comments, &p->cursor, err))
		return error_prefix(err, "#%lld: a thread", (long long)ref->gi->number);
	const struct graphql_thread *th = &ref->gi->threads[ref->k];
	if (p->cursor &&
	    (!json_array_size(p->nodes) || (th->cursor && !strcmp(p->cursor, th->cursor)))) {
		free(p->cursor);
		p->cursor = NULL;
		return error_set(err, "#%lld: a thread's comments do not advance",
		                 (long long)ref->gi->number);
	}
	return 0;
}

/* The thread's comments are all there: into its item, and its event translated again. */
static int finish_thread(struct graphql_issue *gi, struct graphql_thread *th, long total,
                         struct error *err)
{
	json_t *raw = json_array_get(gi->raw_events, th->position);
	json_t *comments =
	        json_pack("{s:I, s:O}", "totalCount",
	                  (json_int_t)(total >= 0 ? total : (long)json_array_size(th->comments)),
	                  "nodes", th->comments);
	json_object_set_new(raw, "comments", comments);
	json_t *ev = graphql_item_to_rest(raw, err);
	if (!ev)
		return error_prefix(err, "#%lld", (long long)gi->number);
	json_array_set_new(gi->events, th->position, ev);
	return 0;
}

/* Takes the comments of p into the thread; finishes it when they are all there. */
static int take_thread(const struct graphql_thread_ref *ref, struct thread_page *p,
                       struct error *err)
{
	struct graphql_thread *th = &ref->gi->threads[ref->k];
	if (!p->gone)
		json_array_extend(th->comments, p->nodes);
	free(th->cursor);
	th->cursor = p->cursor;
	p->cursor = NULL;
	/* A thread deleted since the timeline was read has no comments to show. */
	if (th->cursor)
		return 0;
	return finish_thread(ref->gi, th, p->gone ? 0 : p->total, err);
}

/* Drops the finished threads (cursor NULL after an answer) of gi. */
static void drop_finished(struct graphql_issue *gi, const char *done)
{
	size_t k = 0;
	for (size_t i = 0; i < gi->nthreads; i++) {
		if (done[i]) {
			json_decref(gi->threads[i].comments);
			free(gi->threads[i].cursor);
			continue;
		}
		gi->threads[k++] = gi->threads[i];
	}
	gi->nthreads = k;
}

static int take_threads(json_t *data, json_t *errors, const struct graphql_thread_ref *threads,
                        size_t m, struct error *err)
{
	struct thread_page *pages = xcalloc(m + 1, sizeof(*pages));
	int rc = 0;
	for (size_t i = 0; i < m && !rc; i++)
		rc = read_thread(data, errors, i, &threads[i], &pages[i], err);
	for (size_t i = 0; i < m && !rc; i++)
		rc = take_thread(&threads[i], &pages[i], err);
	for (size_t i = 0; i < m; i++)
		free(pages[i].cursor);
	free(pages);
	if (rc)
		return -1;
	/* Finished threads go; indices of the refs are no longer needed. */
	for (size_t i = 0; i < m; i++) {
		struct graphql_issue *gi = threads[i].gi;
		int earlier = 0; /* each issue once: dropping moves its threads */
		for (size_t j = 0; j < i && !earlier; j++)
			earlier = threads[j].gi == gi;
		if (earlier || !gi->nthreads)
			continue;
		char *done = xcalloc(gi->nthreads + 1, 1);
		int any = 0;
		for (size_t j = 0; j < m; j++) {
			if (threads[j].gi != gi)
				continue;
			struct graphql_thread *th = &gi->threads[threads[j].k];
			done[threads[j].k] = !th->cursor;
			any |= !th->cursor;
		}
		if (any)
			drop_finished(gi, done);
		free(done);
	}
	return 0;
}

int graphql_timelines_parse(json_t *data, json_t *errors, struct graphql_issue *const *issues,
                            size_t n, const struct graphql_thread_ref *threads, size_t m,
                            struct error *err)
{
	json_t *repo = member(data, "repository");
	if (n && !json_is_object(repo))
		return error_set(err, "repository not found");
	struct timeline_page *pages = xcalloc(n + 1, sizeof(*pages));
	int *gone = xcalloc(n + 1, sizeof(*gone));
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = read_alias(repo, errors, i, issues[i], &pages[i], &gone[i], err);
	for (size_t i = 0; i < m && !rc; i++)
		if (threads[i].k >= threads[i].gi->nthreads)
			rc = error_set(err, "#%lld: no such thread",
			               (long long)threads[i].gi->number);
	/* Threads first: an issue's events positions do not move while they are read. */
	if (!rc && m)
		rc = take_threads(data, errors, threads, m, err);
	for (size_t i = 0; i < n; i++) {
		if (rc) {
			timeline_page_release(&pages[i]);
		} else if (gone[i]) {
			issues[i]->gone = 1;
			free(issues[i]->cursor);
			issues[i]->cursor = NULL;
		} else {
			append_page(issues[i], &pages[i]);
		}
	}
	free(pages);
	free(gone);
	return rc;
}

/* What one continuation query asks for. */
struct round {
	struct graphql_issue **todo; /* issues whose timeline continues */
	struct graphql_continuation *c;
	size_t n;
	struct graphql_thread_ref *refs; /* threads whose comments come */
	struct graphql_thread_request *h;
	size_t m;
};

static void round_release(struct round *r)
{
	free(r->todo);
	free(r->c);
	free(r->refs);
	free(r->h);
}

/* Fills r with up to aliases aliases: timelines first, then threads. */
static void plan_round(struct graphql_issue *const *issues, size_t n, size_t aliases,
                       struct round *r)
{
	size_t threads = 0;
	for (size_t i = 0; i < n; i++)
		threads += issues[i]->gone ? 0 : issues[i]->nthreads;
	r->todo = xcalloc(n + 1, sizeof(*r->todo));
	r->c = xcalloc(n + 1, sizeof(*r->c));
	r->refs = xcalloc(threads + 1, sizeof(*r->refs));
	r->h = xcalloc(threads + 1, sizeof(*r->h));
	r->n = r->m = 0;
	for (size_t i = 0; i < n && r->n < aliases; i++) {
		struct graphql_issue *gi = issues[i];
		if (gi->gone || !gi->cursor)
			continue;
		r->todo[r->n] = gi;
		/* An empty cursor: the timeline is asked for from its start. */
		r->c[r->n++] = (struct graphql_continuation){gi->number, gi->is_pr,
		                                             *gi->cursor ? gi->cursor : NULL};
	}
	for (size_t i = 0; i < n && r->n + r->m < aliases; i++) {
		struct graphql_issue *gi = issues[i];
		for (size_t k = 0; !gi->gone && k < gi->nthreads && r->n + r->m < aliases; k++) {
			json_t *raw = json_array_get(gi->raw_events, gi->threads[k].position);
			r->refs[r->m] = (struct graphql_thread_ref){gi, k};
			r->h[r->m++] = (struct graphql_thread_request){
			        json_string_value(member(raw, "id")), gi->threads[k].cursor};
		}
	}
}

/* One continuation query for r; 1 when it should ask for less. */
static int ask_round(struct gh_client *gh, const struct graphql_schema *schema, const char *repo,
                     struct round *r, int first, struct error *err)
{
	char *query = graphql_timelines_query(schema, r->c, r->n, r->h, r->m);
	json_t *vars = graphql_timelines_variables(repo, r->c, r->n, r->h, r->m, first);
	struct gh_graphql_response resp;
	int rc = graphql_ask(gh, query, vars, &resp, err);
	if (rc == 0) {
		rc = graphql_timelines_parse(resp.data, resp.errors, r->todo, r->n, r->refs, r->m,
		                             err);
		gh_graphql_release(&resp);
	}
	json_decref(vars);
	free(query);
	return rc;
}

int graphql_continue(struct gh_client *gh, const struct graphql_schema *schema, const char *repo,
                     struct graphql_issue *const *issues, size_t n, int *aliases, int *first,
                     struct error *err)
{
	*aliases = *aliases < 1 ? 1 : *aliases > GRAPHQL_BATCH_MAX ? GRAPHQL_BATCH_MAX : *aliases;
	*first = clamp_first(*first);
	for (;;) {
		struct round r;
		plan_round(issues, n, (size_t)*aliases, &r);
		int rc = r.n + r.m ? ask_round(gh, schema, repo, &r, *first, err) : 0;
		round_release(&r);
		if (rc != 1)
			return rc;
		if (!ask_for_less(aliases, first))
			return error_set(err, "GitHub cannot answer even one timeline item of one "
			                      "issue in time");
	}
}

int graphql_complete_timelines(struct gh_client *gh, const struct graphql_schema *schema,
                               const char *repo, struct graphql_issue *const *issues, size_t n,
                               int first, struct error *err)
{
	int aliases = GRAPHQL_BATCH_MAX;
	for (;;) {
		int left = 0;
		for (size_t i = 0; i < n; i++)
			left |= !graphql_issue_complete(issues[i]);
		if (!left)
			return 0;
		if (graphql_continue(gh, schema, repo, issues, n, &aliases, &first, err))
			return -1;
	}
}
