/*
 * sets.c - named issue sets (see sets.h).
 */
#include "sets.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int set_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (!len || len > 200 || isspace((unsigned char)name[0]) ||
	    isspace((unsigned char)name[len - 1]))
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int set_find(struct store *s, const char *name, int64_t *id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM sets WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	return store_step_int64(s, st, id, NULL, err);
}

int set_create(struct store *s, const char *name, const char *kind, const char *origin,
               int64_t parent_id, int has_seed, int64_t seed, int64_t *id, struct error *err)
{
	int64_t existing;
	if (!set_name_valid(name))
		return error_set(err, "'%s': not a valid set name", name);
	if (set_find(s, name, &existing, err))
		return -1;
	if (existing)
		return error_set(err, "a set named '%s' already exists", name);
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT INTO sets (name, kind, origin, parent_id, seed, "
	                              "created_at) VALUES (?, ?, ?, ?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, origin);
	if (parent_id)
		sqlite3_bind_int64(st, 4, parent_id);
	if (has_seed)
		sqlite3_bind_int64(st, 5, seed);
	store_bind_text(st, 6, now);
	if (store_step_done(s, st, err))
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int set_add_member(struct store *s, int64_t set_id, int64_t issue_id, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "INSERT OR IGNORE INTO set_members (set_id, issue_id, position) "
	                   "SELECT ?1, ?2, coalesce(max(position) + 1, 0) FROM set_members "
	                   "WHERE set_id = ?1",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	return store_step_done(s, st, err);
}

int set_has_member(struct store *s, int64_t set_id, int64_t issue_id, int *yes, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT count(*) FROM set_members WHERE set_id = ? AND issue_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	int64_t n;
	if (store_step_int64(s, st, &n, NULL, err))
		return -1;
	*yes = n > 0;
	return 0;
}

int set_size(struct store *s, int64_t set_id, long *size, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM set_members WHERE set_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int64_t n;
	if (store_step_int64(s, st, &n, NULL, err))
		return -1;
	*size = (long)n;
	return 0;
}

int set_fetch_api(struct store *s, int64_t set_id, char **api_url, int *several, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT DISTINCT q.api_url FROM fetch_queries q "
	                              "WHERE q.repo_id IN (SELECT i.repo_id FROM set_members m "
	                              "JOIN issues i ON i.id = m.issue_id WHERE m.set_id = ?) "
	                              "ORDER BY q.api_url LIMIT 2",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	*api_url = NULL;
	*several = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*api_url) {
			free(*api_url);
			*api_url = NULL;
			*several = 1;
			break;
		}
		*api_url = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(*api_url);
		*api_url = NULL;
		return store_error(s, err, NULL);
	}
	return 0;
}

void set_info_release(struct set_info *info)
{
	free(info->name);
	free(info->kind);
	free(info->origin);
	free(info->parent);
	free(info->created_at);
	free(info->draw_mode);
	memset(info, 0, sizeof(*info));
}

#define SET_INFO_SQL                                                                               \
	"SELECT s.id, s.name, s.kind, s.origin, p.name, s.created_at, s.seed, "                    \
	"(SELECT count(*) FROM set_members m WHERE m.set_id = s.id), "                             \
	"(SELECT count(*) FROM codes c WHERE c.set_id = s.id), "                                   \
	"(SELECT count(*) FROM notes n WHERE n.set_id = s.id), "                                   \
	"(SELECT count(*) FROM exclusions x WHERE x.set_id = s.id), s.draw_mode, s.draw_count "    \
	"FROM sets s LEFT JOIN sets p ON p.id = s.parent_id "

static void info_from_row(sqlite3_stmt *st, struct set_info *info)
{
	info->id = sqlite3_column_int64(st, 0);
	info->name = store_column_dup(st, 1);
	info->kind = store_column_dup(st, 2);
	info->origin = store_column_dup(st, 3);
	info->parent = store_column_dup(st, 4);
	info->created_at = store_column_dup(st, 5);
	info->has_seed = sqlite3_column_type(st, 6) != SQLITE_NULL;
	info->seed = sqlite3_column_int64(st, 6);
	info->size = (long)sqlite3_column_int64(st, 7);
	info->codes = (long)sqlite3_column_int64(st, 8);
	info->notes = (long)sqlite3_column_int64(st, 9);
	info->exclusions = (long)sqlite3_column_int64(st, 10);
	info->draw_mode = store_column_dup(st, 11);
	info->draw_count = (long)sqlite3_column_int64(st, 12);
}

int set_list(struct store *s, struct set_info **infos, size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, SET_INFO_SQL "ORDER BY s.name", err);
	size_t alloc = 0;
	int rc;
	*infos = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)infos, &alloc, *n + 1, sizeof(**infos));
		info_from_row(st, &(*infos)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		store_error(s, err, NULL);
		while (*n)
			set_info_release(&(*infos)[--*n]);
		free(*infos);
		*infos = NULL;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int set_get(struct store *s, const char *name, struct set_info *info, int *found, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, SET_INFO_SQL "WHERE s.name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		info_from_row(st, info);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

/* The names of the sets drawn from set_id, comma-separated (caller frees), or NULL. */
static char *children_of(struct store *s, int64_t set_id, struct error *err, int *failed)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT group_concat(name, ', ') FROM (SELECT name FROM sets WHERE parent_id = ? "
	        "ORDER BY name)",
	        err);
	*failed = !st;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, set_id);
	int rc = sqlite3_step(st);
	char *names = rc == SQLITE_ROW ? store_column_dup(st, 0) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*failed = 1;
		store_error(s, err, NULL);
	}
	return names;
}

int set_drop(struct store *s, const char *name, struct error *err)
{
	struct set_info info;
	int found, failed;
	if (set_get(s, name, &info, &found, err))
		return -1;
	if (!found)
		return error_set(err, "no set named '%s' (see 'issuemine sets')", name);
	if (info.codes || info.notes || info.exclusions) {
		error_set(err,
		          "set '%s' has %ld code%s, %ld note%s and %ld exclusion%s by raters; "
		          "refusing to drop it",
		          name, info.codes, info.codes == 1 ? "" : "s", info.notes,
		          info.notes == 1 ? "" : "s", info.exclusions,
		          info.exclusions == 1 ? "" : "s");
		set_info_release(&info);
		return -1;
	}
	char *children = children_of(s, info.id, err, &failed);
	if (failed || children) {
		if (children)
			error_set(err, "samples were drawn from set '%s' (%s); drop them first",
			          name, children);
		free(children);
		set_info_release(&info);
		return -1;
	}
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM set_members WHERE set_id = ?", err);
	int rc = -1;
	if (st) {
		sqlite3_bind_int64(st, 1, info.id);
		rc = store_step_done(s, st, err);
	}
	if (!rc) {
		st = store_stmt(s, "DELETE FROM sets WHERE id = ?", err);
		rc = st ? 0 : -1;
		if (st) {
			sqlite3_bind_int64(st, 1, info.id);
			rc = store_step_done(s, st, err);
		}
	}
	set_info_release(&info);
	return rc;
}

void set_member_release(struct set_member *m)
{
	free(m->repo);
	free(m->title);
	free(m->state);
	free(m->created_at);
	free(m->url);
	memset(m, 0, sizeof(*m));
}

void set_member_from_row(sqlite3_stmt *st, struct set_member *m)
{
	m->issue_id = sqlite3_column_int64(st, 0);
	m->repo = store_column_dup(st, 1);
	m->number = sqlite3_column_int64(st, 2);
	m->title = store_column_dup(st, 3);
	m->state = store_column_dup(st, 4);
	m->created_at = store_column_dup(st, 5);
	m->url = store_column_dup(st, 6);
}

int set_members(struct store *s, int64_t set_id, struct set_member **members, size_t *n,
                struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT " SET_MEMBER_COLUMNS " FROM set_members m "
	                              "JOIN issues i ON i.id = m.issue_id "
	                              "JOIN repositories r ON r.id = i.repo_id "
	                              "WHERE m.set_id = ? ORDER BY m.position",
	                              err);
	size_t alloc = 0;
	int rc;
	*members = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)members, &alloc, *n + 1, sizeof(**members));
		set_member_from_row(st, &(*members)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		store_error(s, err, NULL);
		while (*n)
			set_member_release(&(*members)[--*n]);
		free(*members);
		*members = NULL;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
