/*
 * store_fixes.c - changes, their files and issues' links in the store (see store_fixes.h).
 */
#include "store_fixes.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fix_kind_name(enum fix_kind kind)
{
	return kind == FIX_PR ? "pr" : "commit";
}

void fix_key_format(const struct fix_key *key, char *out, size_t size)
{
	if (key->kind == FIX_PR)
		snprintf(out, size, "%s#%lld", key->repo, (long long)key->number);
	else
		snprintf(out, size, "%s@%.7s", key->repo, key->sha);
}

void fix_change_init(struct fix_change *c, const struct fix_key *key)
{
	memset(c, 0, sizeof(*c));
	c->key = *key;
	c->api = "rest";
	c->merged = -1;
	c->additions = c->deletions = c->file_count = -1;
}

static void fix_file_release(struct fix_file *f)
{
	free(f->path);
	free(f->previous_path);
	free(f->status);
	free(f->patch);
}

void fix_change_release(struct fix_change *c)
{
	char **strings[] = {&c->title,      &c->body,         &c->author,
	                    &c->state,      &c->merged_at,    &c->merge_commit_sha,
	                    &c->created_at, &c->committed_at, &c->url,
	                    &c->head_sha,   &c->raw,          &c->etag};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	for (size_t i = 0; i < c->nfiles; i++)
		fix_file_release(&c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

static const char *text_col(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void fix_change_add_file(struct fix_change *c, const struct fix_file *f)
{
	xgrow((void **)&c->files, &c->alloc, c->nfiles + 1, sizeof(*c->files));
	struct fix_file *to = &c->files[c->nfiles++];
	to->path = dup_or_null(f->path);
	to->previous_path = dup_or_null(f->previous_path);
	to->status = dup_or_null(f->status);
	to->patch = dup_or_null(f->patch);
	to->additions = f->additions;
	to->deletions = f->deletions;
}

void fix_stored_release(struct fix_stored *st)
{
	free(st->etag);
	free(st->pulls);
	free(st->pulls_etag);
	memset(st, 0, sizeof(*st));
}

/* --- finding --- */

static const char find_pr_sql[] =
        "SELECT id, status = 'gone', coalesce(merged, -1), etag, pulls, pulls_etag, "
        "coalesce(checked_run, 0) FROM fix_changes WHERE kind = 'pr' AND repo = ?1 AND "
        "number = ?2";

static const char find_commit_sql[] =
        "SELECT id, status = 'gone', coalesce(merged, -1), etag, pulls, pulls_etag, "
        "coalesce(checked_run, 0) FROM fix_changes WHERE kind = 'commit' AND repo = ?1 AND "
        "sha = ?2";

int store_fix_find(struct store *s, const struct fix_key *key, struct fix_stored *out, int *found,
                   struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, key->kind == FIX_PR ? find_pr_sql : find_commit_sql, err);
	if (!st)
		return -1;
	store_bind_text(st, 1, key->repo);
	if (key->kind == FIX_PR)
		sqlite3_bind_int64(st, 2, key->number);
	else
		store_bind_text(st, 2, key->sha);
	memset(out, 0, sizeof(*out));
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		out->id = sqlite3_column_int64(st, 0);
		out->gone = sqlite3_column_int(st, 1);
		out->merged = sqlite3_column_int(st, 2);
		out->etag = store_column_dup(st, 3);
		out->pulls = store_column_dup(st, 4);
		out->pulls_etag = store_column_dup(st, 5);
		out->checked_run = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

static int find_id(struct store *s, const struct fix_key *key, int64_t *id, struct error *err)
{
	struct fix_stored st;
	int found;
	if (store_fix_find(s, key, &st, &found, err))
		return -1;
	*id = found ? st.id : 0;
	fix_stored_release(&st);
	return 0;
}

/* --- writing --- */

static void bind_count(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static const char insert_change_sql[] =
        "INSERT INTO fix_changes (kind, repo, number, sha, status, http_status, title, body, "
        "author, state, merged, merged_at, merge_commit_sha, created_at, committed_at, url, "
        "additions, deletions, file_count, files_stored, truncated, raw, api, etag, "
        "fetched_at, checked_run) VALUES (?1, ?2, ?3, ?4, 'stored', NULL, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)";

/* Keeps pulls and pulls_etag: a commit's pulls are looked up apart from the commit. */
static const char update_change_sql[] =
        "UPDATE fix_changes SET kind = ?1, repo = ?2, number = ?3, sha = ?4, status = "
        "'stored', http_status = NULL, title = ?5, body = ?6, author = ?7, state = ?8, "
        "merged = ?9, merged_at = ?10, merge_commit_sha = ?11, created_at = ?12, "
        "committed_at = ?13, url = ?14, additions = ?15, deletions = ?16, file_count = ?17, "
        "files_stored = ?18, truncated = ?19, raw = ?20, api = ?21, etag = ?22, "
        "fetched_at = ?23, checked_run = ?24 WHERE id = ?25";

static void bind_change(sqlite3_stmt *st, const struct fix_change *c, int64_t run)
{
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	store_bind_text(st, 1, fix_kind_name(c->key.kind));
	store_bind_text(st, 2, c->key.repo);
	if (c->key.kind == FIX_PR)
		sqlite3_bind_int64(st, 3, c->key.number);
	store_bind_text(st, 4, c->key.kind == FIX_PR ? c->head_sha : c->key.sha);
	store_bind_text(st, 5, c->title);
	store_bind_text(st, 6, c->body);
	store_bind_text(st, 7, c->author);
	store_bind_text(st, 8, c->state);
	if (c->merged >= 0)
		sqlite3_bind_int(st, 9, c->merged);
	store_bind_text(st, 10, c->merged_at);
	store_bind_text(st, 11, c->merge_commit_sha);
	store_bind_text(st, 12, c->created_at);
	store_bind_text(st, 13, c->committed_at);
	store_bind_text(st, 14, c->url);
	bind_count(st, 15, c->additions);
	bind_count(st, 16, c->deletions);
	bind_count(st, 17, c->file_count);
	sqlite3_bind_int64(st, 18, (int64_t)c->nfiles);
	sqlite3_bind_int(st, 19, c->truncated ? 1 : 0);
	store_bind_text(st, 20, c->raw);
	store_bind_text(st, 21, c->api ? c->api : "rest");
	store_bind_text(st, 22, c->etag);
	store_bind_text(st, 23, now);
	sqlite3_bind_int64(st, 24, run);
}

static int replace_files(struct store *s, int64_t id, const struct fix_change *c, struct error *err)
{
	sqlite3_stmt *del = store_stmt(s, "DELETE FROM fix_files WHERE change_id = ?", err);
	if (!del)
		return -1;
	sqlite3_bind_int64(del, 1, id);
	if (store_step_done(s, del, err))
		return -1;
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct fix_file *f = &c->files[i];
		sqlite3_stmt *st = store_stmt(
		        s,
		        "INSERT INTO fix_files (change_id, position, path, previous_path, status, "
		        "additions, deletions, patch, has_patch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
		        "?)",
		        err);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		store_bind_text(st, 3, f->path ? f->path : "");
		store_bind_text(st, 4, f->previous_path);
		store_bind_text(st, 5, f->status);
		bind_count(st, 6, f->additions);
		bind_count(st, 7, f->deletions);
		store_bind_text(st, 8, f->patch);
		sqlite3_bind_int(st, 9, f->patch != NULL);
		if (store_step_done(s, st, err))
			return -1;
	}
	return 0;
}

int store_fix_put(struct store *s, const struct fix_change *c, int64_t run, int64_t *id,
                  struct error *err)
{
	int64_t existing;
	if (find_id(s, &c->key, &existing, err))
		return -1;
	sqlite3_stmt *st = store_stmt(s, existing ? update_change_sql : insert_change_sql, err);
	if (!st)
		return -1;
	bind_change(st, c, run);
	if (existing)
		sqlite3_bind_int64(st, 25, existing);
	if (store_step_done(s, st, err))
		return -1;
	*id = existing ? existing : sqlite3_last_insert_rowid(s->db);
	return replace_files(s, *id, c, err);
}

int store_fix_put_gone(struct store *s, const struct fix_key *key, long http_status, int64_t run,
                       int64_t *id, struct error *err)
{
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	if (find_id(s, key, id, err))
		return -1;
	sqlite3_stmt *st;
	if (*id) {
		st = store_stmt(s,
		                "UPDATE fix_changes SET status = 'gone', http_status = ?1, "
		                "fetched_at = ?2, checked_run = ?3 WHERE id = ?4",
		                err);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 4, *id);
	} else {
		st = store_stmt(s,
		                "INSERT INTO fix_changes (status, http_status, fetched_at, "
		                "checked_run, kind, repo, number, sha) VALUES ('gone', ?1, ?2, ?3, "
		                "?4, ?5, ?6, ?7)",
		                err);
		if (!st)
			return -1;
		store_bind_text(st, 4, fix_kind_name(key->kind));
		store_bind_text(st, 5, key->repo);
		if (key->kind == FIX_PR)
			sqlite3_bind_int64(st, 6, key->number);
		else
			store_bind_text(st, 7, key->sha);
	}
	sqlite3_bind_int64(st, 1, http_status);
	store_bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, run);
	if (store_step_done(s, st, err))
		return -1;
	if (!*id)
		*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_fix_touch(struct store *s, int64_t id, int64_t run, struct error *err)
{
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_stmt *st = store_stmt(
	        s, "UPDATE fix_changes SET fetched_at = ?, checked_run = ? WHERE id = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_int64(st, 3, id);
	return store_step_done(s, st, err);
}

int store_fix_set_pulls(struct store *s, int64_t id, const char *pulls, const char *etag,
                        struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "UPDATE fix_changes SET pulls = ?, pulls_etag = ? WHERE id = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, pulls);
	store_bind_text(st, 2, etag);
	sqlite3_bind_int64(st, 3, id);
	return store_step_done(s, st, err);
}

int store_fix_next_run(struct store *s, int64_t *run, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "SELECT coalesce(max(checked_run), 0) + 1 FROM fix_changes", err);
	if (!st)
		return -1;
	return store_step_int64(s, st, run, NULL, err);
}

int store_fix_link_issue(struct store *s, int64_t issue_id, const char *api,
                         const struct fix_link *links, size_t n, long connected, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM fixes WHERE issue_id = ? AND api = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, api);
	if (store_step_done(s, st, err))
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* A link the other API made stays as it made it. */
		st = store_stmt(s,
		                "INSERT OR IGNORE INTO fixes (issue_id, change_id, role, via, "
		                "api) VALUES (?, ?, ?, ?, ?)",
		                err);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, issue_id);
		sqlite3_bind_int64(st, 2, links[i].change_id);
		store_bind_text(st, 3, links[i].role);
		store_bind_text(st, 4, links[i].via);
		store_bind_text(st, 5, api);
		if (store_step_done(s, st, err))
			return -1;
	}
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	st = store_stmt(s,
	                "INSERT OR REPLACE INTO fix_state (issue_id, resolved_at, connected) "
	                "VALUES (?, ?, ?)",
	                err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, connected);
	return store_step_done(s, st, err);
}

int store_fix_unlink(struct store *s, int64_t issue_id, const char *api, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM fixes WHERE issue_id = ? AND api = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, api);
	return store_step_done(s, st, err);
}

int store_fix_link_count(struct store *s, int64_t issue_id, const char *api, int64_t *n,
                         struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "SELECT count(*) FROM fixes WHERE issue_id = ? AND api = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, api);
	return store_step_int64(s, st, n, NULL, err);
}

static int stored_link_is(const struct fix_link *links, size_t n, int64_t change_id,
                          const char *role, const char *via)
{
	for (size_t i = 0; i < n; i++)
		if (links[i].change_id == change_id)
			return !strcmp(links[i].role, role) && !strcmp(links[i].via, via);
	return 0;
}

int store_fix_links_equal(struct store *s, int64_t issue_id, const char *api,
                          const struct fix_link *links, size_t n, long connected, int *same,
                          struct error *err)
{
	int64_t stored_connected;
	int found;
	sqlite3_stmt *st = store_stmt(s, "SELECT connected FROM fix_state WHERE issue_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	if (store_step_int64(s, st, &stored_connected, &found, err))
		return -1;
	*same = found && stored_connected == connected;
	if (!*same)
		return 0;
	st = store_stmt(s, "SELECT change_id, role, via FROM fixes WHERE issue_id = ? AND api = ?",
	                err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	store_bind_text(st, 2, api);
	size_t rows = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		if (!stored_link_is(links, n, sqlite3_column_int64(st, 0), text_col(st, 1),
		                    text_col(st, 2)))
			*same = 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	*same = *same && rows == n;
	return 0;
}

/* --- reading --- */

#define ROW_COLUMNS                                                                                \
	"r.full_name, i.number, i.id, fs.issue_id IS NOT NULL, coalesce(fs.connected, 0), "        \
	"coalesce(c.id, 0), f.role, f.via, c.kind, c.repo, c.number, c.sha, c.status, "            \
	"c.http_status, c.title, c.state, coalesce(c.merged, -1), c.merged_at, c.url, "            \
	"coalesce(c.additions, -1), coalesce(c.deletions, -1), coalesce(c.file_count, -1), "       \
	"coalesce(c.files_stored, 0), coalesce(c.truncated, 0), c.created_at, c.committed_at, "    \
	"c.author"

#define ROW_JOINS                                                                                  \
	"JOIN repositories r ON r.id = i.repo_id LEFT JOIN fix_state fs ON fs.issue_id = i.id "    \
	"LEFT JOIN fixes f ON f.issue_id = i.id LEFT JOIN fix_changes c ON c.id = f.change_id "

#define ROW_ORDER "f.role, c.kind DESC, c.repo, c.number, c.sha"

static void row_from_stmt(sqlite3_stmt *st, struct fix_row *row)
{
	memset(row, 0, sizeof(*row));
	row->issue_repo = text_col(st, 0);
	row->issue_number = sqlite3_column_int64(st, 1);
	row->issue_id = sqlite3_column_int64(st, 2);
	row->resolved = sqlite3_column_int(st, 3);
	row->connected = (long)sqlite3_column_int64(st, 4);
	row->change_id = sqlite3_column_int64(st, 5);
	row->role = text_col(st, 6);
	row->via = text_col(st, 7);
	row->kind = text_col(st, 8);
	row->repo = text_col(st, 9);
	row->number = sqlite3_column_int64(st, 10);
	row->sha = text_col(st, 11);
	row->status = text_col(st, 12);
	row->http_status = (long)sqlite3_column_int64(st, 13);
	row->title = text_col(st, 14);
	row->state = text_col(st, 15);
	row->merged = sqlite3_column_int(st, 16);
	row->merged_at = text_col(st, 17);
	row->url = text_col(st, 18);
	row->additions = sqlite3_column_int64(st, 19);
	row->deletions = sqlite3_column_int64(st, 20);
	row->file_count = sqlite3_column_int64(st, 21);
	row->files_stored = sqlite3_column_int64(st, 22);
	row->truncated = sqlite3_column_int(st, 23);
	row->created_at = text_col(st, 24);
	row->committed_at = text_col(st, 25);
	row->author = text_col(st, 26);
}

/* Steps st (bound, not cached) calling fn per row; finalizes it. */
static int each_row(struct store *s, sqlite3_stmt *st, fix_row_fn fn, void *data, struct error *err)
{
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fix_row row;
		row_from_stmt(st, &row);
		stop = fn(data, &row, err);
	}
	if (!stop && rc != SQLITE_DONE)
		stop = store_error(s, err, NULL);
	sqlite3_finalize(st);
	return stop;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st, struct error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	return 0;
}

int store_fix_rows_of_set(struct store *s, int64_t set_id, fix_row_fn fn, void *data,
                          struct error *err)
{
	sqlite3_stmt *st;
	/* Not a cached statement: fn may use the cache while this one steps. */
	if (prepare(s,
	            "SELECT " ROW_COLUMNS
	            " FROM set_members m JOIN issues i ON i.id = m.issue_id " ROW_JOINS
	            "WHERE m.set_id = ? ORDER BY m.position, " ROW_ORDER,
	            &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	return each_row(s, st, fn, data, err);
}

int store_fix_rows_of_issue(struct store *s, int64_t issue_id, fix_row_fn fn, void *data,
                            struct error *err)
{
	sqlite3_stmt *st;
	if (prepare(s,
	            "SELECT " ROW_COLUMNS " FROM issues i " ROW_JOINS
	            "WHERE i.id = ? ORDER BY " ROW_ORDER,
	            &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	return each_row(s, st, fn, data, err);
}

int store_fix_files(struct store *s, int64_t change_id, fix_file_fn fn, void *data,
                    struct error *err)
{
	sqlite3_stmt *st;
	if (prepare(s,
	            "SELECT position, path, previous_path, status, patch, has_patch, "
	            "coalesce(additions, -1), coalesce(deletions, -1) FROM fix_files WHERE "
	            "change_id = ? ORDER BY position",
	            &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, change_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fix_file_row f = {
		        sqlite3_column_int64(st, 0),
		        text_col(st, 1),
		        text_col(st, 2),
		        text_col(st, 3),
		        text_col(st, 4),
		        sqlite3_column_int(st, 5),
		        sqlite3_column_int64(st, 6),
		        sqlite3_column_int64(st, 7),
		};
		stop = fn(data, &f, err);
	}
	if (!stop && rc != SQLITE_DONE)
		stop = store_error(s, err, NULL);
	sqlite3_finalize(st);
	return stop;
}

int store_fix_paths_of_issue(struct store *s, int64_t issue_id, int *resolved, fix_path_fn fn,
                             void *data, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM fix_state WHERE issue_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	int64_t one = 0;
	if (store_step_int64(s, st, &one, resolved, err))
		return -1;
	if (!*resolved)
		return 0;
	/* A merged pull request and its merge commit are both fixes: each path counts once. */
	if (prepare(s,
	            "SELECT ff.path, min(ff.previous_path) FROM fixes fx JOIN fix_files ff ON "
	            "ff.change_id = fx.change_id WHERE fx.issue_id = ? AND fx.role = 'fix' "
	            "GROUP BY ff.path ORDER BY ff.path",
	            &st, err))
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	int rc = SQLITE_DONE, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = fn(data, text_col(st, 0), text_col(st, 1), err);
	if (!stop && rc != SQLITE_DONE)
		stop = store_error(s, err, NULL);
	sqlite3_finalize(st);
	return stop;
}
