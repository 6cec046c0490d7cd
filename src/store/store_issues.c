/*
 * store_issues.c - writing GitHub issues, labels and timelines to the store.
 *
 * Both "issuemine import" and "issuemine fetch" hand GitHub's JSON objects to
 * these functions, so the columns are extracted in one place. The raw object
 * is kept beside the columns (see schema.c), with the API it came from: a
 * GraphQL answer is translated into the REST shape for the extraction (see
 * graphql.c), while raw keeps the GraphQL object as it was sent.
 */
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A string member, or NULL when absent or not a string. */
static const char *str_member(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* obj.key.login, for "user" and "actor" members. */
static const char *login_member(json_t *obj, const char *key)
{
	return str_member(json_object_get(obj, key), "login");
}

/* A time member normalised into buf (ISO_TIME_LEN bytes); NULL if absent or malformed. */
static const char *time_member(json_t *obj, const char *key, char *buf)
{
	const char *s = str_member(obj, key);
	if (!s || time_normalize(s, buf))
		return NULL;
	return buf;
}

int store_is_pull_request(json_t *obj)
{
	json_t *pr = json_object_get(obj, "pull_request");
	if (!pr || json_is_null(pr))
		return 0;
	if (!json_is_object(pr))
		return 1;
	/*
	 * GitHub's older API put {"html_url": null, ...} on plain issues: URLs,
	 * all of them null. Any other object (even {}, as hand-made dumps mark
	 * pull requests) is one.
	 */
	static const char *const urls[] = {"url", "html_url", "diff_url", "patch_url"};
	int urls_seen = 0;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		json_t *v = json_object_get(pr, urls[i]);
		if (v && !json_is_null(v))
			return 1;
		urls_seen += v != NULL;
	}
	return urls_seen == 0;
}

static void bind_int_member(sqlite3_stmt *st, int i, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v))
		sqlite3_bind_int64(st, i, json_integer_value(v));
	else
		sqlite3_bind_null(st, i);
}

/* The object as JSON text without its member key (the timeline); caller frees. */
static char *raw_without(json_t *issue, const char *key)
{
	if (!json_object_get(issue, key))
		return json_dumps(issue, JSON_COMPACT);
	json_t *copy = json_copy(issue);
	json_object_del(copy, key);
	char *text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	return text;
}

static const char *api_name(enum store_api api)
{
	return api == STORE_API_GRAPHQL ? "graphql" : "rest";
}

/* Where a row's raw comes from: the object GitHub sent, and through which API. */
struct origin {
	json_t *raw; /* NULL: the REST-shaped object itself */
	enum store_api api;
};

static char *origin_raw_text(const struct origin *o, json_t *obj)
{
	if (!o->raw)
		return raw_without(obj, "timeline");
	return raw_without(o->raw, o->api == STORE_API_GRAPHQL ? "timelineItems" : "timeline");
}

struct existing_issue {
	int64_t id;
	int minimal;
	char updated_at[ISO_TIME_LEN];
};

static int find_existing(struct store *s, int64_t repo_id, int64_t number,
                         struct existing_issue *ex, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, raw IS NULL, updated_at FROM issues "
	                              "WHERE repo_id = ? AND number = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, repo_id);
	sqlite3_bind_int64(st, 2, number);
	memset(ex, 0, sizeof(*ex));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 2);
		ex->id = sqlite3_column_int64(st, 0);
		ex->minimal = sqlite3_column_int(st, 1);
		if (u)
			snprintf(ex->updated_at, sizeof(ex->updated_at), "%s", u);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

static const char insert_issue_sql[] =
        "INSERT INTO issues (repo_id, number, github_id, title, body, state, state_reason, "
        "author, created_at, updated_at, closed_at, is_pull_request, comment_count, html_url, "
        "raw, stored_at, api) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14, ?15, ?16, ?17)";

static const char update_issue_sql[] =
        "UPDATE issues SET github_id = ?3, title = ?4, body = ?5, state = ?6, state_reason = ?7, "
        "author = ?8, created_at = ?9, updated_at = ?10, closed_at = ?11, is_pull_request = ?12, "
        "comment_count = ?13, html_url = ?14, raw = ?15, stored_at = ?16, api = ?17 "
        "WHERE repo_id = ?1 AND number = ?2";

static int write_issue_row(struct store *s, int64_t repo_id, int64_t existing_id, json_t *issue,
                           const struct origin *o, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, existing_id ? update_issue_sql : insert_issue_sql, err);
	if (!st)
		return -1;
	char created[ISO_TIME_LEN], updated[ISO_TIME_LEN], closed[ISO_TIME_LEN], now[ISO_TIME_LEN];
	const char *state = str_member(issue, "state");
	if (state && strcmp(state, "open") && strcmp(state, "closed"))
		state = NULL;
	char *raw = origin_raw_text(o, issue);
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, repo_id);
	sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(issue, "number")));
	bind_int_member(st, 3, issue, "id");
	store_bind_text(st, 4, str_member(issue, "title") ? str_member(issue, "title") : "");
	store_bind_text(st, 5, str_member(issue, "body"));
	store_bind_text(st, 6, state);
	store_bind_text(st, 7, str_member(issue, "state_reason"));
	store_bind_text(st, 8, login_member(issue, "user"));
	store_bind_text(st, 9, time_member(issue, "created_at", created));
	store_bind_text(st, 10, time_member(issue, "updated_at", updated));
	store_bind_text(st, 11, time_member(issue, "closed_at", closed));
	sqlite3_bind_int(st, 12, store_is_pull_request(issue));
	bind_int_member(st, 13, issue, "comments");
	store_bind_text(st, 14, str_member(issue, "html_url"));
	store_bind_text(st, 15, raw);
	store_bind_text(st, 16, now);
	store_bind_text(st, 17, api_name(o->api));
	int rc = store_step_done(s, st, err);
	free(raw);
	return rc;
}

static int replace_labels(struct store *s, int64_t issue_id, json_t *labels, struct error *err)
{
	sqlite3_stmt *del = store_stmt(s, "DELETE FROM labels WHERE issue_id = ?", err);
	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, issue_id);
	if (store_step_done(s, del, err))
		return -1;
	size_t i;
	json_t *label;
	json_array_foreach(labels, i, label)
	{
		/* Labels are objects with a name; some dumps flatten them to strings. */
		const char *name = json_is_string(label) ? json_string_value(label)
		                                         : str_member(label, "name");
		if (!name)
			continue;
		sqlite3_stmt *st = store_stmt(
		        s, "INSERT OR IGNORE INTO labels (issue_id, name) VALUES (?, ?)", err);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, issue_id);
		store_bind_text(st, 2, name);
		if (store_step_done(s, st, err))
			return -1;
	}
	return 0;
}

static int issue_is_newer(json_t *issue, const struct existing_issue *ex)
{
	char updated[ISO_TIME_LEN];
	const char *u = time_member(issue, "updated_at", updated);
	return u && strcmp(u, ex->updated_at) > 0;
}

int store_upsert_issue_raw(struct store *s, int64_t repo_id, json_t *issue, json_t *raw,
                           enum store_api api, int flags, int64_t *issue_id,
                           enum store_upsert_result *result, struct error *err)
{
	struct origin o = {raw, api};
	json_t *number = json_object_get(issue, "number");
	if (!json_is_integer(number) || json_integer_value(number) <= 0)
		return error_set(err, "issue object without a positive \"number\"");
	struct existing_issue ex;
	if (find_existing(s, repo_id, json_integer_value(number), &ex, err))
		return -1;
	if (ex.id && !ex.minimal && !(flags & STORE_UPSERT_FORCE) && !issue_is_newer(issue, &ex)) {
		*issue_id = ex.id;
		*result = STORE_ISSUE_UNCHANGED;
		return 0;
	}
	if (write_issue_row(s, repo_id, ex.id, issue, &o, err))
		return -1;
	*issue_id = ex.id ? ex.id : sqlite3_last_insert_rowid(s->db);
	*result = ex.id ? STORE_ISSUE_UPDATED : STORE_ISSUE_NEW;
	return replace_labels(s, *issue_id, json_object_get(issue, "labels"), err);
}

int store_upsert_issue(struct store *s, int64_t repo_id, json_t *issue, int flags,
                       int64_t *issue_id, enum store_upsert_result *result, struct error *err)
{
	return store_upsert_issue_raw(s, repo_id, issue, NULL, STORE_API_REST, flags, issue_id,
	                              result, err);
}

/*
 * line-commented and commit-commented events carry no time, author or text
 * of their own: those are in their "comments" array (review comments and
 * commit comments), of which the first says who and when.
 */
static json_t *first_comment(json_t *ev)
{
	return json_array_get(json_object_get(ev, "comments"), 0);
}

/* When the event happened: events differ in where they say so. */
static const char *event_time(json_t *ev, char *buf)
{
	const char *t = time_member(ev, "created_at", buf);
	if (!t)
		t = time_member(ev, "submitted_at", buf); /* reviewed */
	if (!t)
		t = time_member(json_object_get(ev, "committer"), "date", buf); /* committed */
	if (!t)
		t = time_member(json_object_get(ev, "author"), "date", buf);
	if (!t)
		t = time_member(first_comment(ev), "created_at", buf);
	return t;
}

static const char *event_actor(json_t *ev)
{
	const char *a = login_member(ev, "actor");
	if (!a)
		a = login_member(ev, "user"); /* commented and reviewed name a user */
	return a ? a : login_member(first_comment(ev), "user");
}

static const char *event_commit(json_t *ev)
{
	const char *c = str_member(ev, "commit_id");
	if (!c)
		c = str_member(ev, "sha"); /* committed */
	return c ? c : str_member(first_comment(ev), "commit_id");
}

/*
 * The event's text: its body, or the bodies of all its comments one after
 * the other (a line-commented event may hold a whole review thread); caller
 * frees.
 */
static char *event_body(json_t *ev)
{
	const char *b = str_member(ev, "body");
	if (b)
		return xstrdup(b);
	json_t *comments = json_object_get(ev, "comments");
	size_t i, n = 0, len = 0;
	json_t *c;
	json_array_foreach(comments, i, c)
	{
		const char *cb = str_member(c, "body");
		if (cb)
			len += strlen(cb) + 2, n++;
	}
	if (!n)
		return NULL;
	char *out = xmalloc(len + 1), *p = out;
	json_array_foreach(comments, i, c)
	{
		const char *cb = str_member(c, "body");
		if (!cb)
			continue;
		if (p != out)
			memcpy(p, "\n\n", 2), p += 2;
		size_t k = strlen(cb);
		memcpy(p, cb, k);
		p += k;
	}
	*p = '\0';
	return out;
}

/* The cross-referenced source's repository as owner/name, into buf. */
static const char *source_repo(json_t *source_issue, char *buf, size_t size)
{
	const char *full = str_member(json_object_get(source_issue, "repository"), "full_name");
	if (full) {
		snprintf(buf, size, "%s", full);
		return buf;
	}
	const char *url = str_member(source_issue, "repository_url");
	const char *p = url ? strstr(url, "/repos/") : NULL;
	if (!p)
		return NULL;
	snprintf(buf, size, "%s", p + 7);
	return buf;
}

static void bind_source(sqlite3_stmt *st, json_t *ev)
{
	json_t *src = json_object_get(json_object_get(ev, "source"), "issue");
	char repo[512];
	if (!json_is_object(src))
		return;
	store_bind_text(st, 8, source_repo(src, repo, sizeof(repo)));
	bind_int_member(st, 9, src, "number");
	store_bind_text(st, 10, str_member(src, "state"));
	sqlite3_bind_int(st, 11, store_is_pull_request(src));
	store_bind_text(st, 12, str_member(src, "title"));
}

static int insert_event(struct store *s, int64_t issue_id, int64_t position, json_t *ev,
                        const struct origin *o, struct error *err)
{
	const char *type = str_member(ev, "event");
	if (!json_is_object(ev) || !type)
		return error_set(err, "timeline item %lld has no \"event\" type",
		                 (long long)position + 1);
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO events (issue_id, position, event, github_id, created_at, actor, "
	        "commit_id, source_repo, source_number, source_state, source_is_pr, source_title, "
	        "body, raw, api) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	        "?14, "
	        "?15)",
	        err);
	if (!st)
		return -1;
	char when[ISO_TIME_LEN];
	char *raw = json_dumps(o->raw ? o->raw : ev, JSON_COMPACT);
	char *body = event_body(ev);
	sqlite3_bind_int64(st, 1, issue_id);
	sqlite3_bind_int64(st, 2, position);
	store_bind_text(st, 3, type);
	bind_int_member(st, 4, ev, "id");
	store_bind_text(st, 5, event_time(ev, when));
	store_bind_text(st, 6, event_actor(ev));
	store_bind_text(st, 7, event_commit(ev));
	bind_source(st, ev);
	store_bind_text(st, 13, body);
	store_bind_text(st, 14, raw);
	store_bind_text(st, 15, api_name(o->api));
	int rc = store_step_done(s, st, err);
	free(body);
	free(raw);
	return rc;
}

/* Events must be an array, and raws (if given) one raw object for each. */
static int check_events(json_t *events, json_t *raws, struct error *err)
{
	if (!json_is_array(events))
		return error_set(err, "timeline is not an array");
	if (raws && (!json_is_array(raws) || json_array_size(raws) != json_array_size(events)))
		return error_set(err, "timeline of %zu events with %zu raw objects",
		                 json_array_size(events), json_array_size(raws));
	return 0;
}

int store_append_events_raw(struct store *s, int64_t issue_id, json_t *events, json_t *raws,
                            int64_t first, enum store_api api, struct error *err)
{
	if (check_events(events, raws, err))
		return -1;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		struct origin o = {raws ? json_array_get(raws, i) : NULL, api};
		if (insert_event(s, issue_id, first + (int64_t)i, ev, &o, err))
			return -1;
	}
	return 0;
}

int store_append_events(struct store *s, int64_t issue_id, json_t *events, int64_t first,
                        struct error *err)
{
	return store_append_events_raw(s, issue_id, events, NULL, first, STORE_API_REST, err);
}

int store_event_count(struct store *s, int64_t issue_id, int64_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM events WHERE issue_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	return store_step_int64(s, st, n, NULL, err);
}

int store_replace_timeline_raw(struct store *s, int64_t issue_id, json_t *events, json_t *raws,
                               enum store_api api, struct error *err)
{
	if (check_events(events, raws, err))
		return -1;
	sqlite3_stmt *del = store_stmt(s, "DELETE FROM events WHERE issue_id = ?", err);
	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, issue_id);
	if (store_step_done(s, del, err))
		return -1;
	return store_append_events_raw(s, issue_id, events, raws, 0, api, err);
}

int store_replace_timeline(struct store *s, int64_t issue_id, json_t *events, struct error *err)
{
	return store_replace_timeline_raw(s, issue_id, events, NULL, STORE_API_REST, err);
}

int store_is_blank(struct store *s, int *blank, struct error *err)
{
	sqlite3_stmt *tables;
	*blank = 0;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
	                       "LIKE 'sqlite\\_%' ESCAPE '\\'",
	                       -1, &tables, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	int rows = 0;
	while (!rows && sqlite3_step(tables) == SQLITE_ROW) {
		char *sql = sqlite3_mprintf("SELECT EXISTS (SELECT 1 FROM \"%w\")",
		                            (const char *)sqlite3_column_text(tables, 0));
		sqlite3_stmt *st = NULL;
		int ok = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
		         sqlite3_step(st) == SQLITE_ROW;
		rows = !ok || sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		sqlite3_free(sql);
	}
	sqlite3_finalize(tables);
	*blank = !rows;
	return 0;
}
