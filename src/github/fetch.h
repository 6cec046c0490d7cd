/*
 * fetch.h - downloading a repository's issues and complete timelines into the store.
 *
 * A fetch runs a GitHub search ("repo:O/R is:issue is:closed label:..."),
 * then downloads every listed issue's whole timeline. It is built to be
 * killed at any moment and run again, and to miss nothing:
 *
 *  0. A lease. A run holds a row of fetch_leases (pid, host, heartbeat) for
 *     its search, taken in a transaction; a second run of the same search
 *     refuses, or waits with wait_lease. A lease whose process is gone (the
 *     same host, no such pid) or whose heartbeat stopped is taken over, so
 *     a run killed with kill -9 is resumed by the next.
 *  1. Listing. The search is split into created: windows, bisected while a
 *     window holds more than the 1,000 results one search returns. Each
 *     window is listed in creation order and continued from the last
 *     created_at seen (keyset, not page numbers): an issue that stops
 *     matching while the window is listed cannot shift the later ones past
 *     a page boundary, and the issues of the cursor's own second are read
 *     again and told apart by number. A second that alone holds more than a
 *     page is listed whole another way (the REST backend: the repository
 *     issues endpoint, which has no cap) and checked against the search's
 *     count. Each page is one transaction: its issues go to fetch_pending
 *     (unless stored and unchanged) and to fetch_members, together with the
 *     listing's progress (fetch_queries.state).
 *  2. Reconciling. Issues stored by an earlier run that no longer match (a
 *     reopened issue in a search of closed ones, a removed label, a
 *     transfer) never show in the search again. A complete run asks about
 *     every member it did not see; a refresh first compares the search's
 *     count with its members, and only when they differ lists the
 *     repository's recently updated issues (without the filters), then if
 *     needed the whole search, then asks about the members still unseen.
 *     Those that stopped matching get their stored state updated and are
 *     counted (issues_stopped); transferred and deleted ones are marked in
 *     issues.gone.
 *  3. Timelines. For each pending issue, the whole timeline (the backend
 *     pages it), then one transaction writes the issue, its labels, its
 *     events and its timeline state and takes it off fetch_pending.
 *  4. When nothing is pending, the run is complete: fetch_queries remembers
 *     when it started, and the next run of the same query is a refresh that
 *     only searches issues updated since then (updated:>=, with a margin),
 *     only fetches timelines of issues whose updated_at moved, and lets the
 *     backend skip what it knows is unchanged (REST: ETags and 304s).
 *
 * One fetcher, pluggable backends: the run above (windows, resume state,
 * lease, progress, refresh bounds, reconciling) and the store writer are
 * shared; a backend (struct fetch_backend, below) only turns "list this
 * window from this cursor", "the rest of this timeline" and a few
 * questions into REST-shaped issue and event objects. fetch_rest.c is the
 * REST backend, fetch_graphql.c the GraphQL one (a token is needed).
 *
 * What a backend needed of the run beyond that, and why: GraphQL answers a
 * listing page with each issue's first timeline items, so its items carry
 * the node GitHub sent (FETCH_RAW_MEMBER) into fetch_pending, and the store
 * keeps that node as the issue's raw; its events are translations, so a
 * timeline may come with the objects GitHub sent beside them (raws); and
 * it continues many timelines in one query, so it may take the pending
 * issues itself and hand them back one by one (timelines,
 * fetch_next_pending, fetch_deliver) instead of one timeline per call.
 *
 * Memory holds one listing page, or one issue's timeline, at a time; a
 * batching backend at most the timelines of one batch (GraphQL: 100 issues
 * whose timelines continue, and fewer when they are long).
 */
#ifndef ISSUEMINE_FETCH_H
#define ISSUEMINE_FETCH_H

#include <stddef.h>
#include <time.h>

#include "error.h"
#include "gh.h"
#include "issueref.h"
#include "lease.h"
#include "store.h"

#define FETCH_PER_PAGE          100
#define FETCH_SEARCH_CAP        1000 /* results GitHub returns for one search query */
#define FETCH_INCOMPLETE_TRIES  6    /* tries of a search page that says incomplete_results */
#define FETCH_MAX_TIMELINE_PAGE 1000 /* a sanity bound: 100,000 events */
#define FETCH_REFRESH_MARGIN    600  /* seconds a refresh reaches back before the last run */
#define FETCH_QUERY_MAX         1024 /* bytes of a search query, with " created:>=" --since */
#define FETCH_SECOND_TRIES      3    /* listings of a crowded second that fall short, at most */
#define FETCH_HOST_MAX          LEASE_HOST_MAX

enum fetch_phase {
	FETCH_CHECKING,    /* looking up the repository */
	FETCH_WAITING,     /* another run holds the lease (wait_lease) */
	FETCH_LISTING,     /* paging through search results */
	FETCH_RECONCILING, /* looking for stored issues that stopped matching */
	FETCH_TIMELINES,   /* downloading timelines */
};

struct fetch_counts {
	char api[16];                /* the backend's name: "rest" or "graphql" */
	char repo[REPO_NAME_MAX];    /* the repository as GitHub spells it */
	char query[FETCH_QUERY_MAX]; /* the search query, without date windows */
	int resumed;                 /* this run continued an interrupted one */
	int refresh;                 /* this run only searched issues updated since the last one */
	int complete;                /* the run finished (not cut short by max_issues) */
	long listed;                 /* search results read by this process */
	long windows;                /* created: windows searched */
	long crowded;                /* seconds listed whole because one page could not hold them */
	long missed;                 /* results in a crowded second that could not be listed */
	long issues_total;           /* issues to fetch in this run: done + pending */
	long issues_done;            /* timelines stored by this process */
	long issues_new, issues_updated, issues_unchanged;
	long issues_gone; /* listed, but gone from GitHub (its timeline, or the result): skipped */
	long issues_stopped; /* stored issues found no longer matching the search */
	long issues_removed; /* of those, found transferred or deleted */
	long events;         /* timeline events in the timelines stored */
	/* While FETCH_WAITING: the run that holds the lease. */
	long lease_pid;
	char lease_host[FETCH_HOST_MAX];
};

typedef void (*fetch_progress_fn)(void *data, enum fetch_phase phase,
                                  const struct fetch_counts *counts);

/* Opens the database the run writes to (owned by the caller afterwards). */
typedef int (*fetch_open_fn)(void *data, struct store **s, struct error *err);

struct fetch_backend;

struct fetch_options {
	const char *repo; /* "owner/name" */
	const char *const *labels;
	size_t nlabels;
	const char *state; /* "closed" (default when NULL), "open" or "all" */
	const char *query; /* more search qualifiers, or NULL */
	int include_prs;   /* keep pull requests (drops is:issue) */
	const char *since; /* only issues created at or after this ISO time, or NULL */
	long max_issues;   /* list at most this many issues (a trial); 0: all */
	fetch_progress_fn progress;
	void *progress_data;
	int wait_lease;                      /* wait for another run of the search to end */
	const struct fetch_backend *backend; /* NULL: fetch_rest_backend */
	/*
	 * With fetch_run(NULL, ...): opens the database once GitHub has answered,
	 * so a run that never reached it creates no file. The caller closes it.
	 */
	fetch_open_fn open_store;
	void *open_data;
};

/*
 * Fetches (or resumes, or refreshes) what opt describes into s through gh,
 * adding to *counts (which the caller zeroes). s may be NULL: then
 * opt->open_store opens it after the repository was found. Returns 0 when
 * the run is over (complete, or cut short by max_issues), -1 with err set
 * otherwise, and 1 when another run holds the lease (err names it) and
 * wait_lease is not set. Whatever was stored before a failure stays, and
 * the same call resumes.
 */
int fetch_run(struct store *s, struct gh_client *gh, const struct fetch_options *opt,
              struct fetch_counts *counts, struct error *err);

/* --- the search --- */

/* A span of creation times, both ends included; from < 0 means "no created: qualifier". */
struct fetch_window {
	time_t from, to;
};

/* Which issues a listing asks for, as fields (backends that cannot search need them). */
struct fetch_filter {
	int issues_only;           /* is:issue: pull requests are left out */
	const char *state;         /* "closed", "open", or NULL for both */
	const char *const *labels; /* the issue has all of them (case-insensitive) */
	size_t nlabels;
	const char *extra; /* more search qualifiers (--query), or NULL */
};

/* One listing: the search text of a filter, one window of it, and a refresh's bound. */
struct fetch_search {
	const char *text; /* "repo:O/R is:issue ...", without created:/updated: */
	const struct fetch_filter *filter;
	struct fetch_window window;
	time_t updated_since; /* only issues updated at or after; -1: no bound */
};

/*
 * The search query for opt and repo (without windows) into out; -1 on a label
 * it cannot quote, a --query that widens the search, or a query too long.
 */
int fetch_build_query(const struct fetch_options *opt, const char *repo, struct strbuf *out,
                      struct error *err);

/* The search text of filter for repo into out (no checks: see fetch_build_query). */
void fetch_filter_text(const struct fetch_filter *filter, const char *repo, struct strbuf *out);

/* Splits w in two halves; returns -1 when it cannot be split (unbounded, or one second). */
int fetch_window_split(const struct fetch_window *w, struct fetch_window *left,
                       struct fetch_window *right);

/* Appends " created:FROM..TO" for a bounded window (nothing for an unbounded one). */
void fetch_window_qualifier(const struct fetch_window *w, struct strbuf *out);

/* GitHub's search time form of t, "2023-07-07T12:34:56+00:00", into out (32 bytes). */
void fetch_search_time(time_t t, char *out);

/*
 * True when a search answer hides results: more than the cap, or more than
 * the pages its Link rel="last" offers (last_url may be NULL).
 */
int fetch_search_capped(long total_count, const char *last_url);

/* --- backends --- */

/* What a backend sees of the run. */
struct fetch_ctx {
	struct gh_client *gh;
	const struct fetch_options *opt;
	const char *repo;  /* OWNER/NAME as GitHub spells it, once check_repo found it */
	const char *query; /* the run's search, for messages */
	void *run;         /* the run's own (fetch_tick's) */
	void *data;        /* the backend's own for the run (its release frees it) */
};

/*
 * The member of an item (an issue object a backend lists) holding the object
 * GitHub sent when the item is a translation (GraphQL's Issue or
 * PullRequest node, its first timeline items included): the store keeps it
 * as the issue's raw, with api 'graphql'. Items without it are stored as
 * they are.
 */
#define FETCH_RAW_MEMBER "_graphql"

/* A backend calls this after each answer: progress and the lease's heartbeat. */
void fetch_tick(struct fetch_ctx *ctx);

/* One answer of a listing. */
struct fetch_page {
	json_t *items;  /* REST-shaped issue objects, in creation order (owned) */
	long total;     /* results the listing's search holds from the cursor on; -1 unknown */
	int hidden;     /* the answer says it cannot show them all (a cap), on a first page */
	json_t *cursor; /* where the window continues (owned, saved in the state); NULL: done */
	time_t crowded; /* > 0: this second holds more than one page shows: list it whole */
	long gone;      /* results the search listed but GitHub no longer resolves (deleted
	                   since it indexed them; GraphQL): counted as gone */
};

/*
 * One issue's timeline, as a backend delivers it. The run fills number,
 * item and stored; the backend fills the rest.
 */
struct fetch_timeline {
	int64_t number;
	json_t *item;   /* the listed issue object (borrowed; may carry a first part) */
	json_t *stored; /* what the backend saved for the stored timeline (its "pages"),
	                   when that timeline matches item's updated_at; else NULL (borrowed) */
	json_t *chunks; /* owned: in order, an array of new events, or {"from": P, "count": N}:
	                   "the N stored events from position P stay as they are" */
	json_t *pages;  /* owned: what to save for the next run (timeline_state.pages) */
	json_t *raws;   /* owned, or NULL: when the events are translations, the objects GitHub
	                   sent for them, in the same order (chunks then holds no kept parts) */
	long events;    /* events in the whole timeline */
};

/*
 * The operations of a backend. Each returns 0 on success, -1 with err set on
 * failure; some may return 1 as said. Answers are never stored by a
 * backend: the run does that, in its transactions.
 */
struct fetch_backend {
	const char *name; /* "rest" */
	/* The repository exists: its name as GitHub spells it into full_name (REPO_NAME_MAX). */
	int (*check_repo)(struct fetch_ctx *ctx, char *full_name, struct error *err);
	/* One page of q's window from cursor (NULL: its start) into page. */
	int (*list)(struct fetch_ctx *ctx, const struct fetch_search *q, const json_t *cursor,
	            struct fetch_page *page, struct error *err);
	/*
	 * Every issue q matches that was created in the one second of q's window,
	 * which holds expected by the search's count, into *items (owned); the
	 * run counts any shortfall as missed (with --query's qualifiers a second
	 * past 1,000 results: only a search can take them). 1: this backend
	 * cannot list such a second for q (the run keeps the first page, and
	 * counts the rest missed). May be NULL.
	 */
	int (*list_second)(struct fetch_ctx *ctx, const struct fetch_search *q, long expected,
	                   json_t **items, struct error *err);
	/* How many issues q (window and bound included) matches, into *total. */
	int (*count)(struct fetch_ctx *ctx, const struct fetch_search *q, long *total,
	             struct error *err);
	/*
	 * Issue number of the repository now, into *item (owned). 1: it was
	 * transferred (*item is where it went, or NULL); 2: it was deleted or
	 * cannot be seen (*item NULL).
	 */
	int (*get_issue)(struct fetch_ctx *ctx, int64_t number, json_t **item, struct error *err);
	/* The whole timeline of t (see struct fetch_timeline). 1: the issue is gone. */
	int (*timeline)(struct fetch_ctx *ctx, struct fetch_timeline *t, struct error *err);
	/*
	 * Optional; when set, used instead of timeline: the timelines of every
	 * pending issue, batched as the backend likes. It takes the pending
	 * issues with fetch_next_pending and hands each one back, whole, with
	 * fetch_deliver, in any order; one it took and did not hand back stays
	 * pending (a failure, a kill: the next run takes it again).
	 */
	int (*timelines)(struct fetch_ctx *ctx, struct error *err);
	/* Optional: frees ctx->data at the end of the run. */
	void (*release)(struct fetch_ctx *ctx);
};

/* The REST backend (fetch_rest.c). */
extern const struct fetch_backend fetch_rest_backend;

/* The GraphQL backend (fetch_graphql.c). */
extern const struct fetch_backend fetch_graphql_backend;

/*
 * For a backend's timelines: the pending issue with the lowest number above
 * after, into *number and *item (owned: the issue object fetch_pending
 * kept); *number is 0 when none is left.
 */
int fetch_next_pending(struct fetch_ctx *ctx, int64_t after, int64_t *number, json_t **item,
                       struct error *err);

/*
 * For a backend's timelines: stores t (number, item, chunks, raws, pages,
 * events filled) with its issue in one transaction and takes it off the
 * pending list; with gone, forgets the issue instead (its timeline is gone
 * from GitHub). Counts it and reports progress.
 */
int fetch_deliver(struct fetch_ctx *ctx, struct fetch_timeline *t, int gone, struct error *err);

/* --- keyset listing, as both backends page a window (fetch_rest.c) --- */

/* q's search text for window w, with a refresh's updated: bound; caller frees. */
char *fetch_search_text(const struct fetch_search *q, const struct fetch_window *w);

/* An item's creation time ("created_at"), or -1. */
time_t fetch_created_of(json_t *item);

/*
 * The items of a keyset answer (new reference) without those of second
 * after the cursor ({"after": T, "seen": [numbers]}; NULL: none) gave already.
 */
json_t *fetch_keyset_items(json_t *items, const json_t *cursor, time_t after);

/*
 * Where a keyset listing continues after items (a non-empty answer of at
 * most page_size), into page->cursor, or page->crowded when one second fills
 * the page; nothing when the answer neither moves on nor brought anything
 * new (an answer that contradicts its own count must not loop).
 */
void fetch_keyset_next(json_t *items, time_t after, int brought, int page_size,
                       struct fetch_page *page);

/* --- a crowded second, as both backends list one (fetch_rest.c) --- */

/* One pass over a listing of q's one second, adding to out the issues it has not yet. */
typedef int (*fetch_collect_fn)(struct fetch_ctx *ctx, const struct fetch_search *q, json_t *out,
                                struct error *err);

/* Appends to out the items of more whose numbers out has not. */
void fetch_add_new(json_t *out, json_t *more);

/*
 * A backend's list_second: passes of collect, up to FETCH_SECOND_TRIES,
 * while what they found together falls short of expected (an issue that
 * moved under one pass's paging is found by another). *items is owned.
 */
int fetch_second_tries(struct fetch_ctx *ctx, const struct fetch_search *q, long expected,
                       fetch_collect_fn collect, json_t **items, struct error *err);

/* --- the listing state (fetch_queries.state) --- */

enum fetch_step {
	FETCH_STEP_LIST,  /* list the search (a refresh: only recently updated issues) */
	FETCH_STEP_COUNT, /* compare the search's count with its members */
	FETCH_STEP_BROAD, /* list the repository's recently updated issues, unfiltered */
	FETCH_STEP_SWEEP, /* list the whole search again */
	FETCH_STEP_PROBE, /* ask about each member the listings did not see */
	FETCH_STEP_DONE,
};

struct fetch_state {
	enum fetch_step step;
	char *updated_since; /* "YYYY-MM-DDTHH:MM:SS+00:00" of a refresh's updated:>= bound, or NULL
	                      */
	struct fetch_window *windows;
	size_t nwindows, alloc; /* a stack: the last is being listed */
	json_t *cursor; /* where the last window continues (the backend's); NULL: its start */
	char *run;      /* names this run in fetch_members.seen_run */
	long listed;
	long expected; /* the search's count at the COUNT step; -1 before */
	int limited;   /* listing stopped at max_issues */
};

/* JSON text of st; caller frees. */
char *fetch_state_to_json(const struct fetch_state *st);
/* Parses text into st (zeroed by the caller); returns 0 or -1. */
int fetch_state_from_json(const char *text, struct fetch_state *st, struct error *err);
void fetch_state_release(struct fetch_state *st);
void fetch_state_push(struct fetch_state *st, struct fetch_window w);

/* --- the lease (fetch_lease.c; lease.h renews and gives it back) --- */

/*
 * Takes the lease of (api_url, query) in fetch_leases, as lease_take does:
 * 0 taken, 1 held by another live run (*other), -1 a database error.
 */
int fetch_lease_take(struct store *s, const char *api_url, const char *query, struct lease *lease,
                     struct lease *other, struct error *err);

#endif
