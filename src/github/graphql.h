/*
 * graphql.h - issues and complete timelines through GitHub's GraphQL API.
 *
 * Three layers, one header:
 *
 *  - graphql_query.c: the query texts and their variables. A search page
 *    asks for up to 100 issues of a search (a created: window, say) with
 *    their labels and first timeline items of every type; a continuation
 *    asks for the next timeline items of many issues at once, one alias per
 *    issue. The texts depend only on their shape (PRs or not, how many
 *    aliases): everything that comes from outside is a variable.
 *  - graphql.c: the translation of a GraphQL Issue or PullRequest node into
 *    the REST-shaped issue object, and of each timeline item into the
 *    REST-shaped event object, that the store extracts its columns from
 *    (the top of graphql.c says where REST and GraphQL differ).
 *  - graphql_page.c: running those queries through gh_graphql(), reading the
 *    answers into struct graphql_issue, asking for less when GitHub says a
 *    query is too big or took too long, and retrying partial answers.
 *
 * A caller stores a struct graphql_issue once its cursor is NULL (its
 * timeline is complete) with store_upsert_issue_raw(issue, raw,
 * STORE_API_GRAPHQL) and store_replace_timeline_raw(events, raw_events,
 * STORE_API_GRAPHQL): the columns come from the translations, raw keeps what
 * GitHub sent.
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
#define GRAPHQL_BATCH_MAX     100 /* issues one continuation query asks for */

/* --- the queries (graphql_query.c) --- */

/*
 * The timeline item types asked for, NULL-terminated: every value of
 * IssueTimelineItemsItemType / PullRequestTimelineItemsItemType in GitHub's
 * published schema whose REST counterpart the REST timeline returns (see
 * graphql_query.c for the few left out and why).
 */
extern const char *const graphql_issue_item_types[];
extern const char *const graphql_pr_item_types[];

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

/* The text of the search query (the same for every page); caller frees. */
char *graphql_search_query(int include_prs);

/* Its variables for req (new reference). */
json_t *graphql_search_variables(const struct graphql_search_request *req);

/* One issue's timeline to continue: which issue, and the endCursor to continue after. */
struct graphql_continuation {
	int64_t number;
	int is_pr; /* a pull request: asked for as pullRequest(number), with its own item types */
	const char *after;
};

/*
 * The text of a continuation of n timelines: aliases t0 .. t{n-1} under
 * repository(owner, name), each an issue(number) or pullRequest(number) with
 * its timelineItems(first, after). It depends only on which of c are pull
 * requests (their numbers and cursors are variables). Caller frees.
 */
char *graphql_timelines_query(const struct graphql_continuation *c, size_t n);

/* Its variables: owner/name of repo ("owner/name"), the n continuations, first items each. */
json_t *graphql_timelines_variables(const char *repo, const struct graphql_continuation *c,
                                    size_t n, int first);

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

/* --- asking GitHub (graphql_page.c) --- */

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
};

void graphql_issue_release(struct graphql_issue *gi);

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
 * Reads one search page (out zeroed by the caller). A query GitHub finds too
 * big or too slow is asked again with half the page size (then half the
 * timeline items) down to 1; a partial answer is asked again after a backoff
 * up to GRAPHQL_PARTIAL_TRIES times. Returns 0, or -1 with err set.
 */
int graphql_search_page(struct gh_client *gh, const struct graphql_search_request *req,
                        struct graphql_page *out, struct error *err);

/*
 * Asks for the next timeline items of n issues of repo ("owner/name") whose
 * cursor is set, in queries of at most GRAPHQL_BATCH_MAX aliases and first
 * items each (halved when too big or slow), until every one is complete or
 * gone. Returns 0, or -1 with err set (what came before stays appended).
 */
int graphql_complete_timelines(struct gh_client *gh, const char *repo,
                               struct graphql_issue *const *issues, size_t n, int first,
                               struct error *err);

/* --- reading answers (graphql_page.c; exposed for tests and the fuzzer) --- */

/*
 * Reads the data of a search answer into out (zeroed by the caller); errors is
 * the answer's "errors" (NULL if none): results with a NOT_FOUND error at
 * their path are skipped, any other error fails. Returns 0 or -1.
 */
int graphql_page_parse(json_t *data, json_t *errors, struct graphql_page *out, struct error *err);

/*
 * Appends the data of a continuation answer for issues[0..n) (aliases t0..)
 * to them: new events, the new cursor, or gone for an alias NOT_FOUND.
 * Returns 0 or -1 (then nothing was appended).
 */
int graphql_timelines_parse(json_t *data, json_t *errors, struct graphql_issue *const *issues,
                            size_t n, struct error *err);

#endif
