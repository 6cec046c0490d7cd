/*
 * fetch_write.c - what a fetch keeps in the database, whatever the backend:
 * the query's row and listing state, the pending issues, the members of the
 * search, and each downloaded timeline with its issue (see fetch.h).
 *
 * Every function that writes runs inside a transaction its caller opened
 * (fetch_transaction), except fetch_timelines, which opens one per issue
 * around the write and none around the download.
 */
#include "fetch_internal.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the query's rows --- */

int fetch_ensure_rows(struct fetch *f, struct error *err)
{
	if (!f->repo_id && store_repo_id(f->s, f->counts->repo, 1, &f->repo_id, err))
		return -1;
	if (f->query_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "INSERT INTO fetch_queries (api_url, query, repo_id) "
	                              "VALUES (?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, gh_client_api_url(f->gh));
	store_bind_text(st, 2, f->counts->query);
	sqlite3_bind_int64(st, 3, f->repo_id);
	if (store_step_done(f->s, st, err))
		return -1;
	f->query_id = sqlite3_last_insert_rowid(f->s->db);
	return 0;
}

int fetch_save_state(struct fetch *f, struct error *err)
{
	if (fetch_ensure_rows(f, err))
		return -1;
	sqlite3_stmt *st = store_stmt(
	        f->s, "UPDATE fetch_queries SET started_at = ?, state = ? WHERE id = ?", err);
	if (!st)
		return -1;
	char *text = fetch_state_to_json(&f->st);
	store_bind_text(st, 1, f->started);
	store_bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, f->query_id);
	free(text);
	return store_step_done(f->s, st, err);
}

/* --- members of the search --- */

int fetch_member_status(struct fetch *f, int64_t number, int *live, int *seen, struct error *err)
{
	*live = *seen = 0;
	if (!f->query_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT stopped_at IS NULL, seen_run IS ? FROM fetch_members "
	                              "WHERE query_id = ? AND number = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, f->st.run);
	sqlite3_bind_int64(st, 2, f->query_id);
	sqlite3_bind_int64(st, 3, number);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*live = sqlite3_column_int(st, 0);
		*seen = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	return 0;
}

/* Number matches the search as this run saw it: a live member, and not gone. */
static int member_seen(struct fetch *f, int64_t number, struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "INSERT INTO fetch_members (query_id, number, seen_run) "
	                              "VALUES (?1, ?2, ?3) ON CONFLICT (query_id, number) DO "
	                              "UPDATE SET seen_run = ?3, stopped_at = NULL, "
	                              "stopped_why = NULL",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, number);
	store_bind_text(st, 3, f->st.run);
	if (store_step_done(f->s, st, err))
		return -1;
	st = store_stmt(f->s,
	                "UPDATE issues SET gone = NULL WHERE repo_id = ? AND number = ? AND "
	                "gone IS NOT NULL",
	                err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, number);
	return store_step_done(f->s, st, err);
}

int fetch_member_stopped(struct fetch *f, int64_t number, const char *why, struct error *err)
{
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_stmt *st = store_stmt(f->s,
	                              "UPDATE fetch_members SET stopped_at = ?, stopped_why = ?, "
	                              "seen_run = ? WHERE query_id = ? AND number = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, now);
	store_bind_text(st, 2, why);
	store_bind_text(st, 3, f->st.run);
	sqlite3_bind_int64(st, 4, f->query_id);
	sqlite3_bind_int64(st, 5, number);
	if (store_step_done(f->s, st, err))
		return -1;
	if (!strcmp(why, "changed"))
		return 0;
	st = store_stmt(f->s, "UPDATE issues SET gone = ? WHERE repo_id = ? AND number = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, why);
	sqlite3_bind_int64(st, 2, f->repo_id);
	sqlite3_bind_int64(st, 3, number);
	return store_step_done(f->s, st, err);
}

int fetch_count_members(struct fetch *f, int64_t *n, struct error *err)
{
	*n = 0;
	if (!f->query_id)
		return 0;
	sqlite3_stmt *st = store_stmt(
	        f->s,
	        "SELECT count(*) FROM fetch_members WHERE query_id = ? AND stopped_at IS NULL",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	return store_step_int64(f->s, st, n, NULL, err);
}

int fetch_next_unseen(struct fetch *f, int64_t after, int64_t *number, struct error *err)
{
	*number = 0;
	if (!f->query_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT number FROM fetch_members WHERE query_id = ? AND "
	                              "stopped_at IS NULL AND seen_run IS NOT ? AND number > ? "
	                              "ORDER BY number LIMIT 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	store_bind_text(st, 2, f->st.run);
	sqlite3_bind_int64(st, 3, after);
	return store_step_int64(f->s, st, number, NULL, err);
}

/* --- listed issues --- */

/* True if issue number is stored with a timeline that matches updated_at. */
static int is_unchanged(struct fetch *f, int64_t number, const char *updated_at, int *yes,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT 1 FROM issues i JOIN timeline_state t ON "
	                              "t.issue_id = i.id WHERE i.repo_id = ? AND i.number = ? AND "
	                              "i.updated_at = ? AND t.issue_updated_at = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, number);
	store_bind_text(st, 3, updated_at);
	store_bind_text(st, 4, updated_at);
	int64_t one;
	return store_step_int64(f->s, st, &one, yes, err);
}

int fetch_add_pending(struct fetch *f, int64_t number, json_t *item, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        f->s,
	        "INSERT OR REPLACE INTO fetch_pending (query_id, number, item) VALUES (?, ?, ?)",
	        err);
	if (!st)
		return -1;
	char *text = json_dumps(item, JSON_COMPACT);
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, number);
	store_bind_text(st, 3, text);
	free(text);
	return store_step_done(f->s, st, err);
}

/*
 * Stores an item as the issue: with the node GitHub sent as raw when the item
 * is a translation (FETCH_RAW_MEMBER), else the item itself.
 */
static int upsert_item(struct fetch *f, json_t *item, int flags, int64_t *issue_id,
                       enum store_upsert_result *result, struct error *err)
{
	json_t *raw = json_object_get(item, FETCH_RAW_MEMBER);
	if (json_is_object(raw))
		return store_upsert_issue_raw(f->s, f->repo_id, item, raw, STORE_API_GRAPHQL, flags,
		                              issue_id, result, err);
	return store_upsert_issue(f->s, f->repo_id, item, flags, issue_id, result, err);
}

int fetch_refresh_item(struct fetch *f, int64_t number, json_t *item, struct error *err)
{
	int64_t issue_id;
	enum store_upsert_result result;
	if (fetch_ensure_rows(f, err) ||
	    upsert_item(f, item, STORE_UPSERT_FORCE, &issue_id, &result, err))
		return -1;
	char updated[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(item, "updated_at"));
	int unchanged = 0;
	if (u && !time_normalize(u, updated) && is_unchanged(f, number, updated, &unchanged, err))
		return -1;
	return unchanged ? 0 : fetch_add_pending(f, number, item, err);
}

/* The item's number, checked to be an issue of the repository fetched; 0 on error. */
static int64_t item_number(struct fetch *f, json_t *item, struct error *err)
{
	json_t *jnumber = json_object_get(item, "number");
	if (!json_is_integer(jnumber) || json_integer_value(jnumber) <= 0) {
		error_set(err, "search \"%s\": a result without a positive \"number\"",
		          f->counts->query);
		return 0;
	}
	int64_t number = json_integer_value(jnumber);
	/* Stored under the repository fetched, it must be one of its issues. */
	const char *url = json_string_value(json_object_get(item, "repository_url"));
	char repo[REPO_NAME_MAX];
	if (url && !repo_from_api_url(url, repo) && strcasecmp(repo, f->counts->repo)) {
		error_set(err, "search \"%s\": #%lld is an issue of %s, not of %s",
		          f->counts->query, (long long)number, repo, f->counts->repo);
		return 0;
	}
	return number;
}

int fetch_take_item(struct fetch *f, json_t *item, struct error *err)
{
	int64_t number = item_number(f, item, err);
	if (!number)
		return -1;
	if (fetch_ensure_rows(f, err))
		return -1;
	int live, seen;
	if (fetch_member_status(f, number, &live, &seen, err))
		return -1;
	if (live && seen)
		return 0; /* listed before in this run (a window's overlap, a resumed page) */
	/* The score belongs to the search, not the issue: the stored object must not vary by query.
	 */
	json_object_del(item, "score");
	char updated[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(item, "updated_at"));
	int unchanged = 0;
	if (u && !time_normalize(u, updated) && is_unchanged(f, number, updated, &unchanged, err))
		return -1;
	if (member_seen(f, number, err))
		return -1;
	f->st.listed++;
	f->counts->listed++;
	if (!unchanged)
		return fetch_add_pending(f, number, item, err) ? -1 : 1;
	f->counts->issues_unchanged++;
	return 1;
}

/* --- timelines --- */

/*
 * The backend's saved state of issue number's stored timeline, if it can be
 * trusted (the timeline was stored for the issue's current updated_at); else NULL.
 */
static int stored_pages(struct fetch *f, int64_t number, json_t **pages, struct error *err)
{
	*pages = NULL;
	if (!f->repo_id)
		return 0;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT t.pages FROM issues i JOIN timeline_state t ON "
	                              "t.issue_id = i.id WHERE i.repo_id = ? AND i.number = ? AND "
	                              "i.updated_at = t.issue_updated_at",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, number);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*pages = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	if (*pages && !json_is_array(*pages)) {
		json_decref(*pages);
		*pages = NULL;
	}
	return 0;
}

/* One timeline on its way to the store. */
struct pending {
	struct fetch_timeline t;
	json_t *stored;                  /* owned copy of t.stored */
	enum store_upsert_result result; /* once stored */
};

static void pending_reset(struct pending *p)
{
	json_decref(p->t.chunks);
	json_decref(p->t.pages);
	json_decref(p->t.raws);
	p->t.chunks = p->t.pages = p->t.raws = NULL;
	p->t.events = 0;
}

static void pending_release(struct pending *p)
{
	pending_reset(p);
	json_decref(p->t.item);
	json_decref(p->stored);
	memset(p, 0, sizeof(*p));
}

/*
 * Appends the stored events at positions [first, first + n) to all; 1 if
 * they are not all there.
 */
static int load_stored_events(struct fetch *f, int64_t issue_id, long first, long n, json_t *all,
                              struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT raw FROM events WHERE issue_id = ? AND position >= ? "
	                              "AND position < ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, first + n);
	long got = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *ev = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (ev) {
			json_array_append_new(all, ev);
			got++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	return got == n ? 0 : 1;
}

static int is_keep(json_t *chunk, long *from, long *count)
{
	if (!json_is_object(chunk))
		return 0;
	*from = (long)json_integer_value(json_object_get(chunk, "from"));
	*count = (long)json_integer_value(json_object_get(chunk, "count"));
	return 1;
}

/* The whole timeline from new events and kept stored ones; 1 if the stored ones are not there. */
static int assemble_events(struct fetch *f, const struct fetch_timeline *t, int64_t issue_id,
                           json_t **out, struct error *err)
{
	json_t *all = json_array();
	size_t k;
	json_t *chunk;
	json_array_foreach(t->chunks, k, chunk)
	{
		long from, count;
		int rc = 0;
		if (is_keep(chunk, &from, &count))
			rc = load_stored_events(f, issue_id, from, count, all, err);
		else
			json_array_extend(all, chunk);
		if (rc) {
			json_decref(all);
			return rc;
		}
	}
	*out = all;
	return 0;
}

/* True when the download brought nothing new: only kept stored events (or empty parts). */
static int timeline_unchanged(const struct fetch_timeline *t)
{
	if (!t->stored)
		return 0;
	size_t k;
	json_t *chunk;
	json_array_foreach(t->chunks, k, chunk)
	{
		long from, count;
		if (!is_keep(chunk, &from, &count) && json_array_size(chunk) > 0)
			return 0;
	}
	return 1;
}

static int drop_pending(struct fetch *f, int64_t number, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        f->s, "DELETE FROM fetch_pending WHERE query_id = ? AND number = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, number);
	return store_step_done(f->s, st, err);
}

static int save_timeline_state(struct fetch *f, int64_t issue_id, const struct fetch_timeline *t,
                               struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "INSERT OR REPLACE INTO timeline_state (issue_id, "
	                              "issue_updated_at, pages, event_count, stored_at) "
	                              "VALUES (?, ?, ?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	char updated[ISO_TIME_LEN], now[ISO_TIME_LEN];
	const char *u = json_string_value(json_object_get(t->item, "updated_at"));
	char *pages = t->pages ? json_dumps(t->pages, JSON_COMPACT) : xstrdup("[]");
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, u && !time_normalize(u, updated) ? updated : NULL);
	store_bind_text(st, 3, pages);
	sqlite3_bind_int64(st, 4, t->events);
	store_bind_text(st, 5, now);
	free(pages);
	return store_step_done(f->s, st, err);
}

/*
 * Writes the issue, its labels, its events and its timeline state, and
 * takes it off fetch_pending (run it in a transaction). Returns 1 when
 * events the backend called unchanged are missing from the store, so the
 * caller downloads the timeline again without its saved state.
 */
static int write_issue(struct fetch *f, void *data, struct error *err)
{
	struct pending *p = data;
	struct fetch_timeline *t = &p->t;
	int64_t issue_id;
	json_t *events = NULL;
	if (fetch_ensure_rows(f, err))
		return -1;
	int rc = upsert_item(f, t->item, 0, &issue_id, &p->result, err);
	if (!rc && timeline_unchanged(t)) {
		int64_t stored;
		rc = store_event_count(f->s, issue_id, &stored, err);
		if (!rc && stored != t->events)
			rc = 1; /* not the events the saved state vouches for */
	} else if (!rc) {
		rc = assemble_events(f, t, issue_id, &events, err);
		if (!rc && t->raws)
			rc = store_replace_timeline_raw(f->s, issue_id, events, t->raws,
			                                STORE_API_GRAPHQL, err);
		else if (!rc)
			rc = store_replace_timeline(f->s, issue_id, events, err);
	}
	json_decref(events);
	if (!rc)
		rc = save_timeline_state(f, issue_id, t, err);
	if (!rc)
		rc = drop_pending(f, t->number, err);
	return rc;
}

/*
 * An issue listed whose timeline is gone: off the list, and marked gone if
 * it was stored. It stays a member: the search still lists it (its index
 * lags), so the search's count includes it.
 */
static int forget_issue(struct fetch *f, void *number, struct error *err)
{
	int64_t n = *(int64_t *)number;
	sqlite3_stmt *st = store_stmt(
	        f->s, "UPDATE issues SET gone = 'deleted' WHERE repo_id = ? AND number = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->repo_id);
	sqlite3_bind_int64(st, 2, n);
	if (store_step_done(f->s, st, err))
		return -1;
	return drop_pending(f, n, err);
}

static void count_stored(struct fetch *f, const struct pending *p)
{
	if (p->result == STORE_ISSUE_NEW)
		f->counts->issues_new++;
	else
		f->counts->issues_updated++;
	f->counts->events += p->t.events;
}

/* Stores p's timeline, downloaded; or forgets the issue (gone). 1: as write_issue. */
static int store_pending(struct fetch *f, struct pending *p, int gone, struct error *err)
{
	int rc;
	if (gone) {
		rc = fetch_transaction(f, forget_issue, &p->t.number, err);
		f->counts->issues_gone += !rc;
		return rc;
	}
	rc = fetch_transaction(f, write_issue, p, err);
	if (rc < 0)
		return error_prefix(err, "timeline of %s#%lld", f->counts->repo,
		                    (long long)p->t.number);
	if (!rc)
		count_stored(f, p);
	return rc;
}

/*
 * Downloads p's timeline and stores it, or forgets the issue if it is gone.
 * Returns 0, -1, or 1 when stored events the saved state vouched for are missing.
 */
static int download_and_store(struct fetch *f, struct pending *p, struct error *err)
{
	pending_reset(p);
	p->t.stored = p->stored;
	int rc = f->be->timeline(&f->ctx, &p->t, err);
	if (rc < 0)
		return rc;
	return store_pending(f, p, rc == 1, err);
}

/* Fetches one pending issue: item (taken) is the object fetch_pending kept. */
static int fetch_issue(struct fetch *f, int64_t number, json_t *item, struct error *err)
{
	struct pending p = {{number}};
	p.t.item = item;
	int rc = stored_pages(f, number, &p.stored, err);
	if (!rc)
		rc = download_and_store(f, &p, err);
	if (rc == 1) {
		/* The stored events were not what the saved state described: once more, without. */
		json_decref(p.stored);
		p.stored = NULL;
		rc = download_and_store(f, &p, err);
	}
	pending_release(&p);
	if (rc > 0)
		return error_set(err, "timeline of %s#%lld: stored events changed under the fetch",
		                 f->counts->repo, (long long)number);
	return rc;
}

static int count_pending(struct fetch *f, int64_t *n, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(f->s, "SELECT count(*) FROM fetch_pending WHERE query_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	return store_step_int64(f->s, st, n, NULL, err);
}

int fetch_next_pending(struct fetch_ctx *ctx, int64_t after, int64_t *number, json_t **item,
                       struct error *err)
{
	struct fetch *f = ctx->run;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT number, item FROM fetch_pending WHERE query_id = ? "
	                              "AND number > ? ORDER BY number LIMIT 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, f->query_id);
	sqlite3_bind_int64(st, 2, after);
	int rc = sqlite3_step(st);
	*number = 0;
	*item = NULL;
	if (rc == SQLITE_ROW) {
		*number = sqlite3_column_int64(st, 0);
		*item = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->s, err, NULL);
	if (*number && !json_is_object(*item)) {
		json_decref(*item);
		*item = NULL;
		return error_set(err, "fetch_pending: issue %lld: not a JSON object",
		                 (long long)*number);
	}
	return 0;
}

int fetch_deliver(struct fetch_ctx *ctx, struct fetch_timeline *t, int gone, struct error *err)
{
	struct fetch *f = ctx->run;
	struct pending p = {*t};
	int rc = store_pending(f, &p, gone, err);
	if (rc > 0) /* a batching backend keeps no stored events: nothing can be missing */
		rc = error_set(err, "timeline of %s#%lld: stored events changed under the fetch",
		               f->counts->repo, (long long)t->number);
	if (rc)
		return -1;
	f->counts->issues_done++;
	fetch_report(f, FETCH_TIMELINES);
	return 0;
}

/* The backend takes and hands back the pending issues itself; none may be left. */
static int batched_timelines(struct fetch *f, struct error *err)
{
	if (f->be->timelines(&f->ctx, err))
		return -1;
	int64_t left;
	if (count_pending(f, &left, err))
		return -1;
	if (left)
		return error_set(err, "the %s backend left %lld issues without their timeline",
		                 f->be->name, (long long)left);
	return 0;
}

int fetch_timelines(struct fetch *f, struct error *err)
{
	int64_t pending;
	if (count_pending(f, &pending, err))
		return -1;
	f->counts->issues_total = f->counts->issues_done + (long)pending;
	fetch_report(f, FETCH_TIMELINES);
	if (f->be->timelines)
		return batched_timelines(f, err);
	for (;;) {
		int64_t number;
		json_t *item;
		if (fetch_next_pending(&f->ctx, 0, &number, &item, err))
			return -1;
		if (!number)
			return 0;
		if (fetch_issue(f, number, item, err))
			return -1;
		f->counts->issues_done++;
		fetch_report(f, FETCH_TIMELINES);
	}
}
