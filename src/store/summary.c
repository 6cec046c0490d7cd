/*
 * summary.c - per-repository counts for "issuemine stats" (see summary.h).
 */
#include "summary.h"

/*
 * Issues and pull requests with data (a minimal row, made from a bare
 * reference such as codes import --create-missing, has a NULL state and is
 * counted apart).
 */
static const char repos_sql[] = "SELECT r.id, r.full_name, r.last_fetch_at,"
                                " count(i.state),"
                                " coalesce(sum(i.is_pull_request AND i.state IS NOT NULL), 0),"
                                " coalesce(sum(i.state = 'open'), 0),"
                                " coalesce(sum(i.state = 'closed'), 0),"
                                " min(i.created_at), max(i.created_at),"
                                " coalesce(sum(i.gone IS NOT NULL), 0),"
                                " count(i.id) - count(i.state)"
                                " FROM repositories r LEFT JOIN issues i ON i.repo_id = r.id"
                                " GROUP BY r.id ORDER BY r.full_name";

/*
 * Stored issues that a fetch found no longer matching its search (and that
 * no search of a fetch still matches).
 */
static const char stopped_sql[] =
        "SELECT count(DISTINCT m.number) FROM fetch_members m"
        " JOIN fetch_queries q ON q.id = m.query_id"
        " JOIN issues i ON i.repo_id = q.repo_id AND i.number = m.number"
        " WHERE q.repo_id = ?1 AND m.stopped_at IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM fetch_members m2 JOIN fetch_queries q2 ON q2.id = m2.query_id"
        " WHERE q2.repo_id = ?1 AND m2.number = m.number AND m2.stopped_at IS NULL)";

static const char events_sql[] =
        "SELECT e.event, count(*) FROM events e"
        " JOIN issues i ON i.id = e.issue_id"
        " WHERE i.repo_id = ? GROUP BY e.event ORDER BY count(*) DESC, e.event";

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? json_string((const char *)t) : json_null();
}

static int add_events(struct store *s, int64_t repo_id, json_t *repo, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, events_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, repo_id);
	json_t *by_type = json_object();
	json_int_t total = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_int_t n = sqlite3_column_int64(st, 1);
		json_object_set_new(by_type, (const char *)sqlite3_column_text(st, 0),
		                    json_integer(n));
		total += n;
	}
	sqlite3_reset(st);
	json_object_set_new(repo, "events", json_integer(total));
	json_object_set_new(repo, "events_by_type", by_type);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int add_stopped(struct store *s, int64_t repo_id, json_t *repo, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, stopped_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, repo_id);
	int64_t n;
	if (store_step_int64(s, st, &n, NULL, err))
		return -1;
	json_object_set_new(repo, "no_longer_matching", json_integer(n));
	return 0;
}

static json_t *repo_row(sqlite3_stmt *st)
{
	json_int_t all = sqlite3_column_int64(st, 3), prs = sqlite3_column_int64(st, 4);
	json_t *repo = json_object();
	json_object_set_new(repo, "repository", text_or_null(st, 1));
	json_object_set_new(repo, "issues", json_integer(all - prs));
	json_object_set_new(repo, "pull_requests", json_integer(prs));
	json_object_set_new(repo, "open", json_integer(sqlite3_column_int64(st, 5)));
	json_object_set_new(repo, "closed", json_integer(sqlite3_column_int64(st, 6)));
	json_object_set_new(repo, "oldest", text_or_null(st, 7));
	json_object_set_new(repo, "newest", text_or_null(st, 8));
	json_object_set_new(repo, "last_fetch", text_or_null(st, 2));
	json_object_set_new(repo, "gone", json_integer(sqlite3_column_int64(st, 9)));
	json_object_set_new(repo, "minimal", json_integer(sqlite3_column_int64(st, 10)));
	return repo;
}

int summary_build(struct store *s, json_t **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, repos_sql, err);
	if (!st)
		return -1;
	json_t *repos = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *repo = repo_row(st);
		json_array_append_new(repos, repo);
		if (add_events(s, sqlite3_column_int64(st, 0), repo, err) ||
		    add_stopped(s, sqlite3_column_int64(st, 0), repo, err)) {
			sqlite3_reset(st);
			json_decref(repos);
			return -1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(repos);
		return store_error(s, err, NULL);
	}
	*out = json_pack("{s:s, s:o}", "database", s->path, "repositories", repos);
	return 0;
}
