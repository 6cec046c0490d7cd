/*
 * graphql.h - issues and complete timelines through GitHub's GraphQL API.
 *
 * Three layers, one header:
 *
 *  - graphql_query.c: the query texts and their variables. A first query
 *    names the repository and which timeline item types the server has
 *    (introspection); the other texts are built for that schema. A search
 *    page asks for up to 100 issues of a search (a created: window, say)
 *    with their labels and first timeline items of every type; a
 *    continuation asks for the next timeline items of many issues at once,
 *    one alias per issue, and for the comments of review and commit
 *    threads, one alias per thread. The texts depend only on their shape
 *    (the schema, PRs or not, how many aliases): everything that comes from
 *    outside is a variable, and type names from the schema are checked to
 *    be GraphQL names.
 *  - graphql.c: the translation of a GraphQL Issue or PullRequest node into
 *    the REST-shaped issue object, and of each timeline item into the
 *    REST-shaped event object, that the store extracts its columns from
 *    (the top of graphql.c says where REST and GraphQL differ).
 *  - graphql_page.c: running those queries through gh_graphql(), reading the
 *    answers into struct graphql_issue, asking for less when GitHub says a
 *    query is too big or took too long, and retrying partial answers.
 *
 * A caller stores a struct graphql_issue once graphql_issue_complete() says
 * so (its timeline and threads are whole) with store_upsert_issue_raw(issue,
 * raw, STORE_API_GRAPHQL) and store_replace_timeline_raw(events, raw_events,
 * STORE_API_GRAPHQL): the columns come from the translations, raw keeps what
 * GitHub sent (a thread's comments put into its item, as if asked inline).
 * The fetcher's GraphQL backend (fetch_graphql.c) is the caller.
 */
#ifndef ISSUEMINE_GRAPHQL_H
#define ISSUEMINE_GRAPHQL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "gh.h"

#define GRAPHQL_FIRST_MAX     100 /* GitHub's bound on first: per connection */
#define GRAPHQL_PARTIAL_TRIES 4   /* tries of a query whose answer came back partial */
#define GRAPHQL_BATCH_MAX     100 /* aliases one continuation query asks for (about a point) */

/* --- the server's schema (graphql_query.c) --- */

/*
 * The timeline item types a server has, as one introspection query told
 * (GitHub Enterprise Server lags behind github.com; github.com adds types
 * every few months). issue and pr are JSON objects mapping each member type
 * of IssueTimelineItems and PullRequestTimelineItems to an object holding
 * its field names. The queries ask for the fields the table in
 * graphql_query.c names for a type the server has, and for any other type
 * for its actor, createdAt and databaseId, whichever it has; they name no
 * type the server lacks, so no query fails validation over a type.
 */
struct graphql_schema {
	json_t *issue, *pr;
};

/* The query text of the repository's name and the schema's timeline item types; caller frees. */
char *graphql_repository_query(void);

/*
 * Reads an answer of graphql_repository_query into *name (owned; NULL when
 * the repository does not resolve) and out (zeroed by the caller). Type and
 * field names that are not GraphQL names are refused. Returns 0 or -1.
 */
int graphql_schema_parse(json_t *data, char **name, struct graphql_schema *out, struct error *err);

void graphql_schema_release(struct graphql_schema *s);

/* --- the queries (graphql_query.c) --- */

/*
 * Every query leaves out timelineItems' itemTypes: GitHub then returns
 * items of every type, also of types added after this was written, as the
 * REST timeline does. The few types the REST timeline does not return are
 * dropped on reading (graphql_item_in_rest).
 */

/* One search page: the search, where to continue, how much to ask for. */
struct graphql_search_request {
	const char *query;  /* e.g. "repo:o/r is:issue is:closed created:A..B"; " sort:created-asc"
	                       is added */
	const char *after;  /* endCursor of the previous page, or NULL for the first */
	int first;          /* issues per page, 1..100 */
	int timeline_first; /* timeline items per issue, 1..100 */
	int include_prs; /* ask for pull requests' timelines too; without, query must say is:issue
	                  */
};

/*
 * The text of the search query (the same for every page) for a server of
 * schema (NULL: every type of the table in graphql_query.c); caller frees.
 */
char *graphql_search_query(const struct graphql_schema *schema, int include_prs);

/* Its variables for req (new reference). */
json_t *graphql_search_variables(const struct graphql_search_request *req);

/* The text of a query of a search's count only ($q: the search); caller frees. */
char *graphql_count_query(void);

/*
 * The text of a query of one issue (or, with include_prs, issue or pull
 * request) of a repository, with its first timeline items: variables
 * $owner, $name, $number and $timeline. Caller frees.
 */
char *graphql_issue_query(const struct graphql_schema *schema, int include_prs);

/* One issue's timeline to continue: which issue, and the endCursor to continue after. */
struct graphql_continuation {
	int64_t number;
	int is_pr; /* a pull request: asked for as pullRequest(number) */
	const char *after;
};

/* A review or commit thread whose comments to ask for: its node id, and where to continue. */
struct graphql_thread_request {
	const char *id;
	const char *after; /* NULL: the first comments */
};

/*
 * The text of a continuation of n timelines and m threads' comments:
 * aliases t0 .. t{n-1} under repository(owner, name), each an
 * issue(number) or pullRequest(number) with its timelineItems(first,
 * after), then h0 .. h{m-1}, each a node(id) with the thread's
 * comments(first, after). It depends only on the schema, on which of c
 * are pull requests, and on n and m (numbers, ids and cursors are
 * variables). Caller frees.
 */
char *graphql_timelines_query(const struct graphql_schema *schema,
                              const struct graphql_continuation *c, size_t n,
                              const struct graphql_thread_request *h, size_t m);

/* Its variables: owner/name of repo ("owner/name"), the continuations and threads, first each. */
json_t *graphql_timelines_variables(const char *repo, const struct graphql_continuation *c,
                                    size_t n, const struct graphql_thread_request *h, size_t m,
                                    int first);

/* --- translation into the REST shape (graphql.c) --- */

/*
 * The REST-shaped issue object of a GraphQL Issue or PullRequest node (new
 * reference, without timeline), or NULL with err set when the node lacks
 * what the store needs (a __typename of Issue or PullRequest, a number).
 */
json_t *graphql_issue_to_rest(json_t *node, struct error *err);

/*
 * The REST-shaped timeline event of a GraphQL timeline item (new reference),
 * or NULL with err set when the item is not an object with a __typename.
 * Types GraphQL added after this was written get an event name made from
 * their type name (FooBarEvent is "foo_bar").
 */
json_t *graphql_item_to_rest(json_t *item, struct error *err);

/* The REST event name of a timeline item type ("IssueComment" is "commented"), or NULL. */
const char *graphql_event_name(const char *typename_);

/*
 * False for the few timeline item types GraphQL has and the REST timeline
 * does not return (a pull request's revision marker, base ref changes,
 * automatic base changes, deployment environment changes): reading drops
 * them, so both APIs store the same events.
 */
int graphql_item_in_rest(const char *typename_);

/* --- asking GitHub (graphql_page.c) --- */

/*
 * A review or commit thread of a timeline whose comments are still to come:
 * the search and continuation queries do not ask for them (inside a
 * timeline, a comments connection would cost a point per hundred items of
 * every page); continuations ask each thread by its node id.
 */
struct graphql_thread {
	size_t position;  /* of the thread in the issue's events */
	json_t *comments; /* the comment nodes so far (owned array) */
	char *cursor;     /* where they continue; NULL before the first answer */
};

/* An issue as GraphQL gave it, translated, with as much of its timeline as has come. */
struct graphql_issue {
	int64_t number;
	int is_pr;
	json_t *issue;  /* REST-shaped (owned) */
	json_t *raw;    /* the node as GitHub sent it (owned; the store drops its timelineItems) */
	json_t *events; /* REST-shaped events so far (owned array) */
	json_t *raw_events; /* the items as sent, parallel to events (owned array) */
	long total;         /* timelineItems.totalCount, as last told */
	char *cursor;       /* endCursor to continue after; NULL when the timeline is complete */
	int gone;           /* a continuation found it no more (NOT_FOUND): forget it */
	struct graphql_thread *threads; /* threads whose comments are still to come */
	size_t nthreads, alloc;
};

void graphql_issue_release(struct graphql_issue *gi);

/*
 * Reads an Issue or PullRequest node with its first timeline items into gi
 * (zeroed by the caller); its threads are noted for their comments. 0 or -1.
 */
int graphql_issue_read(json_t *node, struct graphql_issue *gi, struct error *err);

/* True when gi needs nothing more: its whole timeline and every thread's comments are there. */
int graphql_issue_complete(const struct graphql_issue *gi);

/* One page of a search. */
struct graphql_page {
	struct graphql_issue *issues; /* in the search's order (created, oldest first) */
	size_t nissues;
	size_t skipped;   /* results GitHub could not resolve (NOT_FOUND): deleted meanwhile */
	long issue_count; /* every match of the search, also beyond the 1,000 it pages through */
	int has_next;     /* another page follows ... */
	char *end_cursor; /* ... after this cursor */
	int first;        /* the page size that was answered (smaller than asked after a timeout) */
	int timeline_first;
};

void graphql_page_release(struct graphql_page *p);

/*
 * Sends query with vars, asking again for partial answers. Returns 0 with
 * resp filled (OK or NOT_FOUND: release it), 1 when the query is too big or
 * too slow and should ask for less, -1 on failure (resp released in both of
 * those cases). A partial answer is asked again after a backoff up to
 * GRAPHQL_PARTIAL_TRIES times: partial data is never taken.
 */
int graphql_ask(struct gh_client *gh, const char *query, json_t *vars,
                struct gh_graphql_response *resp, struct error *err);

/*
 * Reads one search page (out zeroed by the caller) through req->schema's
 * query. A query GitHub finds too big or too slow is asked again with half
 * the page size (then half the timeline items) down to 1. Returns 0, or -1
 * with err set.
 */
int graphql_search_page(struct gh_client *gh, const struct graphql_schema *schema,
                        const struct graphql_search_request *req, struct graphql_page *out,
                        struct error *err);

/*
 * One continuation of issues[0..n) of repo ("owner/name"): one query for the
 * next timeline items of each whose cursor is set and the comments of the
 * threads they hold, at most *aliases aliases (timelines first) of at most
 * *first items each. A query too big or too slow is asked again with half
 * *aliases, then half *first (both stay lowered for the caller's next
 * rounds). What came is appended; an issue NOT_FOUND is marked gone.
 * Returns 0, or -1 with err set.
 */
int graphql_continue(struct gh_client *gh, const struct graphql_schema *schema, const char *repo,
                     struct graphql_issue *const *issues, size_t n, int *aliases, int *first,
                     struct error *err);

/*
 * graphql_continue until every one of issues[0..n) is complete or gone.
 * Returns 0, or -1 with err set (what came before stays appended).
 */
int graphql_complete_timelines(struct gh_client *gh, const struct graphql_schema *schema,
                               const char *repo, struct graphql_issue *const *issues, size_t n,
                               int first, struct error *err);

/* --- reading answers (graphql_page.c; exposed for tests and the fuzzer) --- */

/*
 * Reads the data of a search answer into out (zeroed by the caller); errors is
 * the answer's "errors" (NULL if none): results with a NOT_FOUND error at
 * their path are skipped, any other error fails. Returns 0 or -1.
 */
int graphql_page_parse(json_t *data, json_t *errors, struct graphql_page *out, struct error *err);

/* A thread alias of a continuation: the issue and which of its threads. */
struct graphql_thread_ref {
	struct graphql_issue *gi;
	size_t k;
};

/*
 * Appends the data of a continuation answer for issues[0..n) (aliases t0..)
 * and threads[0..m) (aliases h0..) to them: new events, the new cursor, or
 * gone for an alias NOT_FOUND; comments of threads, each thread's event
 * translated again once they are all there. Returns 0 or -1 (then nothing
 * was appended).
 */
int graphql_timelines_parse(json_t *data, json_t *errors, struct graphql_issue *const *issues,
                            size_t n, const struct graphql_thread_ref *threads, size_t m,
                            struct error *err);

#endif
