/*
 * fetch_internal.h - the run of a fetch, as fetch.c, fetch_list.c and
 * fetch_write.c share it. Not for backends (they see struct fetch_ctx) nor
 * for anyone outside src/github/fetch*.c.
 */
#ifndef ISSUEMINE_FETCH_INTERNAL_H
#define ISSUEMINE_FETCH_INTERNAL_H

#include "fetch.h"
#include "timeutil.h"

struct fetch {
	struct store *s;
	struct gh_client *gh;
	const struct fetch_options *opt;
	const struct fetch_backend *be;
	struct fetch_counts *counts;
	struct fetch_ctx ctx;
	struct fetch_filter filter; /* the search's, as fields */
	char *base;                 /* its text, without --since or windows */
	int64_t repo_id;            /* 0 until the first write */
	int64_t query_id;           /* 0 until the first write */
	char started[ISO_TIME_LEN]; /* the run's start: fetch_queries.started_at, seen_run */
	struct fetch_state st;
	struct lease lease;
	enum fetch_phase phase; /* what fetch_tick reports */
};

/* Calls the progress callback with the run's counts. */
void fetch_report(struct fetch *f, enum fetch_phase phase);

/* The window of every creation time the search covers (from --since; unbounded with created:). */
int fetch_all_window(struct fetch *f, struct fetch_window *w, struct error *err);

typedef int (*fetch_write_fn)(struct fetch *f, void *data, struct error *err);

/*
 * Runs write(f, data, err) in one transaction and returns what it returned:
 * anything but 0 (-1, or a positive "try otherwise") rolls back.
 */
int fetch_transaction(struct fetch *f, fetch_write_fn write, void *data, struct error *err);

/* --- fetch_write.c: what the run keeps in the database --- */

/* Creates the repository and query rows if they are not there yet (in a transaction). */
int fetch_ensure_rows(struct fetch *f, struct error *err);

/* Saves the listing state and the run's start in fetch_queries (in a transaction). */
int fetch_save_state(struct fetch *f, struct error *err);

/*
 * One issue a listing (or a probe) found matching: pending unless its stored
 * timeline matches its updated_at, and a member seen by this run. Items this
 * run already saw are skipped (0). Returns 1 when the item was taken.
 */
int fetch_take_item(struct fetch *f, json_t *item, struct error *err);

/* Puts an issue on fetch_pending with item (an issue object) as what to store. */
int fetch_add_pending(struct fetch *f, int64_t number, json_t *item, struct error *err);

/*
 * A stored issue found no longer matching: its row and labels become item's
 * at once (even when its updated_at did not move, as when a label is
 * renamed), and its timeline is fetched again unless it matches.
 */
int fetch_refresh_item(struct fetch *f, int64_t number, json_t *item, struct error *err);

/* Marks member number as no longer matching, for why; and the issue gone, if why says so. */
int fetch_member_stopped(struct fetch *f, int64_t number, const char *why, struct error *err);

/* Whether number is a member matching so far, and whether this run saw it. */
int fetch_member_status(struct fetch *f, int64_t number, int *live, int *seen, struct error *err);

/* Members still matching (stopped_at NULL), into *n. */
int fetch_count_members(struct fetch *f, int64_t *n, struct error *err);

/* The live member with the lowest number above after that this run has not seen; 0 if none. */
int fetch_next_unseen(struct fetch *f, int64_t after, int64_t *number, struct error *err);

/* Downloads and stores the timeline of every pending issue. */
int fetch_timelines(struct fetch *f, struct error *err);

/* --- fetch_list.c: the listing steps --- */

/* Does the listing state's next piece of work (one page, one count, one probe). */
int fetch_list_step(struct fetch *f, struct error *err);

#endif
