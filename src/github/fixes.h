/*
 * fixes.h - fetching the fix evidence of a set's issues: the commits and pull
 * requests their timelines point at, with every changed file and its patch.
 *
 * For each issue of the set, in the set's order, the stored timeline names
 * the changes (nothing is asked of GitHub for that):
 *
 *  - a commit: a closed or referenced event with a commit_id, in the
 *    repository of its commit_url (a fork or another repository, maybe);
 *  - a pull request: a cross-referenced event whose source is one, and the
 *    pull requests a closing commit came from (GET .../commits/SHA/pulls);
 *  - a connected event names no pull request over REST: it is counted.
 *
 * Each change not yet stored is downloaded (GET .../commits/SHA with every
 * page of its files; GET .../pulls/N and every page of .../pulls/N/files) and
 * stored with its files in one transaction; then the issue's links, each a
 * fix or a linked change (fixes_role), in another. A change is stored once
 * however many issues name it. Killed at any moment, a rerun finds what is
 * stored and fetches the rest.
 *
 * A rerun asks GitHub only about what can still change: pull requests not
 * merged (open, or closed unmerged), with If-None-Match, so an unchanged one
 * costs a 304; commits and merged pull requests are final. --refresh asks
 * about everything stored, conditionally, and retries changes GitHub
 * answered 404, 410, 422 ("No commit found") or 451 for: those are recorded
 * as gone and otherwise never asked for again.
 *
 * The client (gh.c) handles rate limits, secondary limits, retries and
 * backoff. Memory holds one change with its files at a time.
 */
#ifndef ISSUEMINE_FIXES_H
#define ISSUEMINE_FIXES_H

#include "error.h"
#include "gh.h"
#include "store.h"

#define FIXES_PULL_FILES_PER_PAGE 100
#define FIXES_MAX_PAGES           200 /* a sanity bound on one change's file pages */
#define FIXES_MAX_PULLS           16  /* pull requests taken from one commit's list */

struct fixes_counts {
	long issues_total, issues_done;
	long with_fix, linked_only, without; /* issues by what their links are */
	long links, fixes, linked;           /* links written */
	long connected;                      /* connected events REST cannot resolve */
	long fetched;                        /* changes downloaded (200) */
	long unchanged;                      /* changes GitHub answered 304 for */
	long gone;                           /* changes GitHub answered 404/410/422/451 for */
	long commits, pulls;                 /* changes downloaded, by kind */
	long files, patchless, truncated;    /* of the changes downloaded */
	long lookups;                        /* pull requests of closing commits asked for */
	long resolved_before;                /* issues resolved by an earlier run */
};

typedef void (*fixes_progress_fn)(void *data, const struct fixes_counts *counts, const char *doing);

struct fixes_options {
	const char *set; /* the set's name */
	int refresh;     /* ask about everything stored, and retry what was gone */
	fixes_progress_fn progress;
	void *progress_data;
};

/*
 * Resolves and fetches the fixes of every issue of set opt->set into s
 * through gh, adding to *counts (zeroed by the caller). Returns 0, or -1
 * with err set; what was stored before a failure stays, and the same call
 * resumes.
 */
int fixes_run(struct store *s, struct gh_client *gh, const struct fixes_options *opt,
              struct fixes_counts *counts, struct error *err);

#endif
