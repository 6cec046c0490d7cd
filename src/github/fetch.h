/*
 * fetch.h - downloading a repository's issues and complete timelines into the store.
 *
 * A fetch runs a GitHub search ("repo:O/R is:issue is:closed label:..."),
 * then downloads every listed issue's whole timeline. It is built to be
 * killed at any moment and run again:
 *
 *  1. Listing. Search pages (100 results each) are read in creation order.
 *     The search API returns at most 1,000 results per query, so a query
 *     with more is split into created: date windows, bisected until each
 *     window is under the cap. Each page is one transaction: its issues go
 *     to fetch_pending (unless stored and unchanged) together with the
 *     listing's progress (fetch_queries.state), so a killed run resumes at
 *     the page it was reading.
 *  2. Timelines. For each pending issue, every timeline page (Link
 *     rel="next"), then one transaction writes the issue, its labels, its
 *     events and its ETags and takes it off fetch_pending. A finished issue
 *     is never fetched again by a resumed run.
 *  3. When nothing is pending, the run is complete: fetch_queries remembers
 *     when it started, and the next run of the same query is a refresh that
 *     only searches issues updated since then (updated:>=, with a margin),
 *     only fetches timelines of issues whose updated_at moved, and sends
 *     each stored page's ETag (If-None-Match) so unchanged pages cost a 304.
 *
 * Memory holds one search page, or one issue's timeline, at a time.
 */
#ifndef ISSUEMINE_FETCH_H
#define ISSUEMINE_FETCH_H

#include <stddef.h>
#include <time.h>

#include "error.h"
#include "gh.h"
#include "issueref.h"
#include "store.h"

#define FETCH_PER_PAGE          100
#define FETCH_SEARCH_CAP        1000 /* results GitHub returns for one search query */
#define FETCH_INCOMPLETE_TRIES  6    /* tries of a search page that says incomplete_results */
#define FETCH_MAX_TIMELINE_PAGE 1000 /* a sanity bound: 100,000 events */
#define FETCH_REFRESH_MARGIN    600  /* seconds a refresh reaches back before the last run */
#define FETCH_QUERY_MAX         1024 /* bytes of a search query, with " created:>=" --since */

enum fetch_phase {
	FETCH_CHECKING,  /* looking up the repository */
	FETCH_LISTING,   /* paging through search results */
	FETCH_TIMELINES, /* downloading timelines */
};

struct fetch_counts {
	char repo[REPO_NAME_MAX];    /* the repository as GitHub spells it */
	char query[FETCH_QUERY_MAX]; /* the search query, without date windows */
	int resumed;                 /* this run continued an interrupted one */
	int refresh;                 /* this run only searched issues updated since the last one */
	int complete;                /* the run finished (not cut short by max_issues) */
	long listed;                 /* search results read by this process */
	long windows;                /* created: windows searched */
	long missed;                 /* results beyond the cap in a window that cannot be split */
	long issues_total;           /* issues to fetch in this run: done + pending */
	long issues_done;            /* timelines stored by this process */
	long issues_new, issues_updated, issues_unchanged, issues_gone;
	long events; /* timeline events in the timelines stored */
};

typedef void (*fetch_progress_fn)(void *data, enum fetch_phase phase,
                                  const struct fetch_counts *counts);

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
};

/*
 * Fetches (or resumes, or refreshes) what opt describes into s through gh,
 * adding to *counts (which the caller zeroes). Returns 0 when the run is
 * over (complete, or cut short by max_issues), -1 with err set otherwise;
 * whatever was stored before a failure stays, and the same call resumes.
 */
int fetch_run(struct store *s, struct gh_client *gh, const struct fetch_options *opt,
              struct fetch_counts *counts, struct error *err);

/* --- pieces exposed for tests --- */

/*
 * The search query for opt and repo (without windows) into out; -1 on a label
 * it cannot quote, a --query that widens the search, or a query too long.
 */
int fetch_build_query(const struct fetch_options *opt, const char *repo, struct strbuf *out,
                      struct error *err);

/* A span of creation times, both ends included; from < 0 means "no created: qualifier". */
struct fetch_window {
	time_t from, to;
};

/* Splits w in two halves; returns -1 when it cannot be split (unbounded, or one second). */
int fetch_window_split(const struct fetch_window *w, struct fetch_window *left,
                       struct fetch_window *right);

/* Appends " created:FROM..TO" for a bounded window (nothing for an unbounded one). */
void fetch_window_qualifier(const struct fetch_window *w, struct strbuf *out);

/*
 * True when a search answer hides results: more than the cap, or more than
 * the pages its Link rel="last" offers (last_url may be NULL).
 */
int fetch_search_capped(long total_count, const char *last_url);

/* The progress of a listing, as kept in fetch_queries.state. */
struct fetch_state {
	char *updated_since; /* ISO time of a refresh's updated:>= bound, or NULL */
	struct fetch_window *windows;
	size_t nwindows, alloc; /* a stack: the last is being listed */
	char *next_url;         /* the next page of the last window; NULL: its first page */
	long listed;
	int listing_done;
	int limited; /* listing stopped at max_issues */
};

/* JSON text of st; caller frees. */
char *fetch_state_to_json(const struct fetch_state *st);
/* Parses text into st (zeroed by the caller); returns 0 or -1. */
int fetch_state_from_json(const char *text, struct fetch_state *st, struct error *err);
void fetch_state_release(struct fetch_state *st);
void fetch_state_push(struct fetch_state *st, struct fetch_window w);

#endif
