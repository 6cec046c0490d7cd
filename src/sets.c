/*
 * sets.c - named issue sets (see sets.h).
 */
#include "sets.h"
#include "timeutil.h"

#include <ctype.h>
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

static int single_int64(struct store *s, sqlite3_stmt *st, int64_t *out, struct error *err)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int set_find(struct store *s, const char *name, int64_t *id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM sets WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	return single_int64(s, st, id, err);
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
	if (single_int64(s, st, &n, err))
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
	if (single_int64(s, st, &n, err))
		return -1;
	*size = (long)n;
	return 0;
}
