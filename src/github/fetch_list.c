/*
 * fetch_list.c - the listing steps of a run (see fetch.h, "Listing" and
 * "Reconciling"), one piece of work per call, each ending in the
 * transaction that saves where the listing stands:
 *
 *   LIST   the search (a refresh: updated:>= the last run), window by window;
 *   COUNT  (a refresh) the search's count against the members still matching;
 *   BROAD  when they differ: the repository's issues updated since the last
 *          run, without the filters: members among them that the LIST did
 *          not see stopped matching;
 *   SWEEP  when the count still differs: the whole search once more;
 *   PROBE  (after a complete LIST or a SWEEP) each member still unseen,
 *          asked about on its own: changed, transferred or deleted.
 *
 * A window whose first page says it holds more than a search returns is
 * bisected; a second that holds more than a page is listed whole by the
 * backend's list_second.
 */
#include "fetch_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* What a listing step searches: the search itself, or the broad one. */
struct step_search {
	struct fetch_filter filter;
	struct strbuf text;
	struct fetch_search q;
};

static void step_search_init(struct fetch *f, struct step_search *ss)
{
	strbuf_init(&ss->text, 0);
	ss->filter = f->filter;
	if (f->st.step == FETCH_STEP_BROAD) {
		/* Everything recently updated, whether it still matches or not. */
		struct fetch_filter broad = {f->filter.issues_only};
		ss->filter = broad;
	}
	fetch_filter_text(&ss->filter, f->counts->repo, &ss->text);
	ss->q.text = ss->text.buf;
	ss->q.filter = &ss->filter;
	ss->q.window = f->st.windows[f->st.nwindows - 1];
	ss->q.updated_since = -1;
	if (f->st.updated_since && f->st.step != FETCH_STEP_SWEEP)
		time_parse_iso(f->st.updated_since, &ss->q.updated_since);
}

/* --- moving on --- */

/* Starts step with one window of every creation time. */
static int begin_step(struct fetch *f, enum fetch_step step, struct error *err)
{
	struct fetch_window all;
	if (fetch_all_window(f, &all, err))
		return -1;
	f->st.step = step;
	f->st.nwindows = 0;
	json_decref(f->st.cursor);
	f->st.cursor = NULL;
	if (step == FETCH_STEP_BROAD || step == FETCH_STEP_SWEEP)
		fetch_state_push(&f->st, all);
	return 0;
}

/* After the members changed: do they now add up to the search's count? */
static int members_match_count(struct fetch *f, int *yes, struct error *err)
{
	int64_t members;
	if (fetch_count_members(f, &members, err))
		return -1;
	*yes = f->st.expected >= 0 && members == f->st.expected;
	return 0;
}

/* The step after a listing step whose last window is done. */
static int after_listing(struct fetch *f, struct error *err)
{
	int match;
	switch (f->st.step) {
	case FETCH_STEP_LIST:
		if (f->st.limited)
			return begin_step(f, FETCH_STEP_DONE,
			                  err); /* a trial: nothing to reconcile */
		return begin_step(f, f->st.updated_since ? FETCH_STEP_COUNT : FETCH_STEP_PROBE,
		                  err);
	case FETCH_STEP_BROAD:
		if (members_match_count(f, &match, err))
			return -1;
		return begin_step(f, match ? FETCH_STEP_DONE : FETCH_STEP_SWEEP, err);
	case FETCH_STEP_SWEEP:
		return begin_step(f, FETCH_STEP_PROBE, err);
	default:
		return begin_step(f, FETCH_STEP_DONE, err);
	}
}

/* The last window is done: the next window, or the next step. */
static int pop_window(struct fetch *f, struct error *err)
{
	json_decref(f->st.cursor);
	f->st.cursor = NULL;
	f->st.nwindows--;
	return f->st.nwindows ? 0 : after_listing(f, err);
}

/* --- items --- */

/* A BROAD item: a member this run did not see in the search stopped matching. */
static int take_broad_item(struct fetch *f, json_t *item, struct error *err)
{
	json_t *jn = json_object_get(item, "number");
	if (!json_is_integer(jn))
		return 0;
	int64_t number = json_integer_value(jn);
	int live, seen;
	if (fetch_member_status(f, number, &live, &seen, err))
		return -1;
	if (!live || seen)
		return 0;
	json_object_del(item, "score");
	if (fetch_member_stopped(f, number, "changed", err) ||
	    fetch_refresh_item(f, number, item, err))
		return -1;
	f->counts->issues_stopped++;
	return 0;
}

/* Takes the items of a page, up to max_issues in a LIST. */
static int take_items(struct fetch *f, json_t *items, struct error *err)
{
	int trial = f->st.step == FETCH_STEP_LIST && f->opt->max_issues > 0;
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		if (trial && f->st.listed >= f->opt->max_issues) {
			f->st.limited = 1;
			break;
		}
		int rc = f->st.step == FETCH_STEP_BROAD ? take_broad_item(f, item, err)
		                                        : fetch_take_item(f, item, err);
		if (rc < 0)
			return -1;
	}
	/* Reaching max_issues ends the listing, even if nothing was left: a trial is never
	 * complete. */
	if (trial && f->st.listed >= f->opt->max_issues)
		f->st.limited = 1;
	return 0;
}

/* --- one page --- */

struct page_write {
	struct fetch_page *page;
	json_t *items;   /* what to take (the page's, or a whole second's) */
	int window_done; /* whatever the page's cursor says */
};

/* Takes a page's items and moves the listing on. */
static int write_page(struct fetch *f, void *data, struct error *err)
{
	struct page_write *pw = data;
	if (fetch_ensure_rows(f, err) || take_items(f, pw->items, err))
		return -1;
	f->counts->issues_gone += pw->page->gone;
	if (f->st.limited) {
		f->st.nwindows = 0;
		json_decref(f->st.cursor);
		f->st.cursor = NULL;
		if (after_listing(f, err))
			return -1;
	} else if (pw->window_done || !pw->page->cursor) {
		if (pop_window(f, err))
			return -1;
	} else {
		json_decref(f->st.cursor);
		f->st.cursor = json_incref(pw->page->cursor);
	}
	return fetch_save_state(f, err);
}

static int write_state_only(struct fetch *f, void *data, struct error *err)
{
	return fetch_save_state(f, err);
}

/* Replaces the last window by its two halves (the earlier on top). */
static int split_last_window(struct fetch *f, struct error *err)
{
	struct fetch_window w = f->st.windows[--f->st.nwindows], left = w, right = w;
	fetch_window_split(&w, &left, &right);
	fetch_state_push(&f->st, right);
	fetch_state_push(&f->st, left);
	json_decref(f->st.cursor);
	f->st.cursor = NULL;
	return fetch_transaction(f, write_state_only, NULL, err);
}

/*
 * The last window's second crowded holds more than a page: the window
 * before it is done, the second is listed on its own, then the rest.
 */
static int isolate_second(struct fetch *f, time_t crowded, struct error *err)
{
	struct fetch_window w = f->st.windows[--f->st.nwindows];
	if (crowded < w.to) {
		struct fetch_window rest = {crowded + 1, w.to};
		fetch_state_push(&f->st, rest);
	}
	struct fetch_window second = {crowded, crowded};
	fetch_state_push(&f->st, second);
	json_decref(f->st.cursor);
	f->st.cursor = NULL;
	return fetch_transaction(f, write_state_only, NULL, err);
}

/*
 * A one-second window with more issues than a page: all of them from the
 * backend's list_second; or, when the backend cannot, what the page shows.
 * What falls short of the search's count is counted as missed.
 */
static int list_whole_second(struct fetch *f, struct step_search *ss, struct fetch_page *page,
                             struct error *err)
{
	long expected = page->total;
	json_t *items = NULL;
	int rc = 1;
	f->counts->crowded++;
	if (f->be->list_second)
		rc = f->be->list_second(&f->ctx, &ss->q, expected, &items, err);
	if (rc < 0)
		return -1;
	long got = (long)json_array_size(rc == 1 ? page->items : items);
	f->counts->missed += expected > got ? expected - got : 0;
	struct page_write pw = {page, rc == 1 ? page->items : items, 1};
	rc = fetch_transaction(f, write_page, &pw, err);
	json_decref(items);
	return rc;
}

/*
 * The first page of the last window says the window holds more than one
 * search lists. Returns 1 when the window was split (list its halves
 * instead), 0 when it cannot be (one second: list_second takes it), -1 when
 * --query's own created: forbids splitting.
 */
static int split_capped_window(struct fetch *f, const struct fetch_page *page, struct error *err)
{
	const struct fetch_window *w = &f->st.windows[f->st.nwindows - 1];
	struct fetch_window left, right;
	if (page->total <= FETCH_SEARCH_CAP && !page->hidden)
		return 0;
	if (!fetch_window_split(w, &left, &right))
		return split_last_window(f, err) ? -1 : 1;
	if (w->from < 0)
		return error_set(err,
		                 "search \"%s\": %ld results, more than GitHub returns for one "
		                 "search, and --query sets created: so it cannot be split by "
		                 "creation date; narrow --query",
		                 f->counts->query, page->total);
	return 0;
}

static void page_release(struct fetch_page *page)
{
	json_decref(page->items);
	json_decref(page->cursor);
	memset(page, 0, sizeof(*page));
}

/* Lists the next page of the last window, or splits it, or lists a crowded second whole. */
static int list_one_page(struct fetch *f, struct step_search *ss, struct error *err)
{
	const struct fetch_window *w = &ss->q.window;
	int first_page = !f->st.cursor;
	struct fetch_page page = {NULL, -1};
	if (f->be->list(&f->ctx, &ss->q, f->st.cursor, &page, err))
		return -1;
	if (!json_is_array(page.items)) {
		page_release(&page);
		return error_set(err, "search \"%s\": the backend gave no items", f->counts->query);
	}
	int rc = 0, one_second = w->from >= 0 && w->from == w->to;
	if (first_page) {
		f->counts->windows++;
		rc = split_capped_window(f, &page, err);
		/* A second over the cap: more than the backend's pages would ever show. */
		if (!rc && one_second && (page.total > FETCH_SEARCH_CAP || page.hidden))
			page.crowded = w->from;
	}
	if (!rc && page.crowded > 0 && !(one_second && w->from == page.crowded))
		rc = isolate_second(f, page.crowded, err) ? -1 : 1;
	else if (!rc && page.crowded > 0)
		rc = list_whole_second(f, ss, &page, err) ? -1 : 1;
	if (!rc) {
		struct page_write pw = {&page, page.items, 0};
		rc = fetch_transaction(f, write_page, &pw, err);
	}
	page_release(&page);
	return rc < 0 ? -1 : 0;
}

/* --- the other steps --- */

static int write_count(struct fetch *f, void *data, struct error *err)
{
	f->st.expected = *(long *)data;
	int match;
	if (fetch_ensure_rows(f, err) || members_match_count(f, &match, err) ||
	    begin_step(f, match ? FETCH_STEP_DONE : FETCH_STEP_BROAD, err))
		return -1;
	return fetch_save_state(f, err);
}

/* COUNT: how many issues the whole search matches now, against the members. */
static int count_step(struct fetch *f, struct error *err)
{
	struct fetch_search q = {f->base, &f->filter, {0, 0}, -1};
	if (fetch_all_window(f, &q.window, err))
		return -1;
	long total;
	if (f->be->count(&f->ctx, &q, &total, err))
		return -1;
	return fetch_transaction(f, write_count, &total, err);
}

struct probe_write {
	int64_t number;
	int verdict; /* get_issue's: 0 here, 1 transferred, 2 deleted */
	json_t *item;
};

static int write_probe(struct fetch *f, void *data, struct error *err)
{
	struct probe_write *pw = data;
	static const char *const why[] = {"changed", "transferred", "deleted"};
	if (fetch_member_stopped(f, pw->number, why[pw->verdict], err))
		return -1;
	/* Still in the repository: its stored state is brought up to date, timeline too. */
	if (pw->verdict == 0 && pw->item && fetch_refresh_item(f, pw->number, pw->item, err))
		return -1;
	return fetch_save_state(f, err);
}

/* PROBE: one member no listing of this run saw, asked about on its own. */
static int probe_step(struct fetch *f, struct error *err)
{
	int64_t number;
	if (fetch_next_unseen(f, 0, &number, err))
		return -1;
	if (!number) {
		if (begin_step(f, FETCH_STEP_DONE, err))
			return -1;
		return fetch_transaction(f, write_state_only, NULL, err);
	}
	struct probe_write pw = {number, 0, NULL};
	int rc = f->be->get_issue(&f->ctx, number, &pw.item, err);
	if (rc < 0)
		return error_prefix(err, "%s#%lld", f->counts->repo, (long long)number);
	pw.verdict = rc;
	if (pw.item)
		json_object_del(pw.item, "score");
	rc = fetch_transaction(f, write_probe, &pw, err);
	json_decref(pw.item);
	if (rc)
		return -1;
	f->counts->issues_stopped++;
	f->counts->issues_removed += pw.verdict != 0;
	return 0;
}

int fetch_list_step(struct fetch *f, struct error *err)
{
	int rc;
	switch (f->st.step) {
	case FETCH_STEP_LIST:
	case FETCH_STEP_BROAD:
	case FETCH_STEP_SWEEP: {
		if (!f->st.nwindows)
			return after_listing(f, err)
			               ? -1
			               : fetch_transaction(f, write_state_only, NULL, err);
		struct step_search ss;
		step_search_init(f, &ss);
		fetch_report(f, f->st.step == FETCH_STEP_LIST ? FETCH_LISTING : FETCH_RECONCILING);
		rc = list_one_page(f, &ss, err);
		strbuf_release(&ss.text);
		break;
	}
	case FETCH_STEP_COUNT:
		fetch_report(f, FETCH_RECONCILING);
		rc = count_step(f, err);
		break;
	case FETCH_STEP_PROBE:
		fetch_report(f, FETCH_RECONCILING);
		rc = probe_step(f, err);
		break;
	default:
		return 0;
	}
	if (!rc)
		fetch_report(f, f->phase);
	return rc;
}
