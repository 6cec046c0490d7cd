/*
 * codes.c - raters, codes, notes and exclusions, with their change log, and
 * the confidence external raters gave their codes (see codes.h).
 *
 * Writing a value that is already stored is a no-op (no new coded_at, no log
 * row), so importing the same codes twice, or pressing the same key twice in
 * the UI, changes nothing.
 */
#include "codes.h"
#include "sets.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int rater_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (!len || len > 100)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (isspace(*p) || *p < 0x20 || *p == 0x7f || *p == ',')
			return 0;
	return 1;
}

int rater_id(struct store *s, const char *name, int create, int64_t *id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM raters WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	if (store_step_int64(s, st, id, NULL, err))
		return -1;
	if (*id || !create)
		return 0;
	if (!rater_name_valid(name))
		return error_set(err, "'%s': not a valid rater name (no spaces or commas)", name);
	st = store_stmt(s, "INSERT INTO raters (name, created_at) VALUES (?, ?)", err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, now);
	if (store_step_done(s, st, err))
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int check_member(struct store *s, int64_t set_id, int64_t issue_id, struct error *err)
{
	int yes;
	if (set_has_member(s, set_id, issue_id, &yes, err))
		return -1;
	return yes ? 0 : error_set(err, "the issue is not in the sample");
}

/* The code must come from a taxonomy read from the database, and hang together. */
static int check_code(const struct tax_code *c, struct error *err)
{
	if (!c->dim || !c->cat || !c->dim->id || !c->cat->id || (c->sub && !c->sub->id))
		return error_set(err, "internal error: a code from a taxonomy not read from the "
		                      "database");
	if (c->cat->parent)
		return error_set(err, "%s: '%s' is a sub-category", c->dim->key, c->cat->name);
	if (c->sub && c->sub->parent != c->cat)
		return error_set(err, "%s: '%s' is not a sub-category of '%s'", c->dim->key,
		                 c->sub->name, c->cat->name);
	if (c->sub && c->dim->sub_rule == TAX_SUB_ABSENT)
		return error_set(err, "%s: sub-categories are not used in this dimension",
		                 c->dim->key);
	if (!c->sub && c->dim->sub_rule == TAX_SUB_REQUIRED && c->cat->nsubs)
		return error_set(err, "%s: %s needs a sub-category", c->dim->key, c->cat->name);
	return 0;
}

/* One row of code_log: a code (dim_id set), a note, or an exclusion (reason_id, or cleared). */
struct log_row {
	const char *kind; /* "code", "note", "exclusion" */
	int64_t set_id, issue_id, rater_id;
	int64_t dim_id, cat_id, sub_id; /* 0 for none */
	const char *note;
	int64_t reason_id;
	const char *detail;
	const char *origin;
};

/* The version in force: the latest of the taxonomy of the row's dimension or reason. */
#define LOG_VERSION_SQL                                                                            \
	"(SELECT max(v.id) FROM taxonomy_versions v WHERE v.taxonomy_id = coalesce("               \
	"(SELECT taxonomy_id FROM dimensions WHERE id = ?4), "                                     \
	"(SELECT taxonomy_id FROM exclusion_reasons WHERE id = ?8)))"

static int log_change(struct store *s, const struct log_row *r, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO code_log (set_id, issue_id, rater_id, dimension_id, category_id, "
	        "subcategory_id, note, reason_id, detail, kind, origin, at, version_id) "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, " LOG_VERSION_SQL ")",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, r->set_id);
	sqlite3_bind_int64(st, 2, r->issue_id);
	sqlite3_bind_int64(st, 3, r->rater_id);
	if (r->dim_id)
		sqlite3_bind_int64(st, 4, r->dim_id);
	if (r->cat_id)
		sqlite3_bind_int64(st, 5, r->cat_id);
	if (r->sub_id)
		sqlite3_bind_int64(st, 6, r->sub_id);
	store_bind_text(st, 7, r->note);
	if (r->reason_id)
		sqlite3_bind_int64(st, 8, r->reason_id);
	store_bind_text(st, 9, r->detail);
	store_bind_text(st, 10, r->kind);
	store_bind_text(st, 11, r->origin);
	store_bind_text(st, 12, now);
	return store_step_done(s, st, err);
}

static int log_code(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                    int64_t dim_id, int64_t cat_id, int64_t sub_id, const char *origin,
                    struct error *err)
{
	struct log_row r = {"code", set_id, issue_id, rater_id, dim_id, cat_id,
	                    sub_id, NULL,   0,        NULL,     origin};
	return log_change(s, &r, err);
}

/* Binds ?1 to ?4 of st: the set, issue, rater and dimension a code is stored under. */
static void bind_code_key(sqlite3_stmt *st, int64_t set_id, int64_t issue_id, int64_t rater_id,
                          int64_t dim_id)
{
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, rater_id);
	sqlite3_bind_int64(st, 4, dim_id);
}

/* The stored category and sub-category ids (0 when none); *found says whether a code exists. */
static int stored_code(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                       int64_t dim_id, int64_t *cat_id, int64_t *sub_id, int *found,
                       struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT category_id, coalesce(subcategory_id, 0) FROM codes "
	                              "WHERE set_id = ? AND issue_id = ? AND rater_id = ? AND "
	                              "dimension_id = ?",
	                              err);
	if (!st)
		return -1;
	bind_code_key(st, set_id, issue_id, rater_id, dim_id);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*cat_id = *found ? sqlite3_column_int64(st, 0) : 0;
	*sub_id = *found ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int code_confidence_forget(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                           int64_t dim_id, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "DELETE FROM code_confidence WHERE set_id = ?1 AND issue_id = ?2 "
	                   "AND rater_id = ?3 AND (?4 = 0 OR dimension_id = ?4)",
	                   err);
	if (!st)
		return -1;
	bind_code_key(st, set_id, issue_id, rater_id, dim_id);
	return store_step_done(s, st, err);
}

int code_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
             const struct tax_code *code, const char *origin, struct error *err)
{
	int64_t old_cat, old_sub, sub_id = code->sub ? code->sub->id : 0;
	int found;
	if (check_code(code, err) || check_member(s, set_id, issue_id, err) ||
	    stored_code(s, set_id, issue_id, rater_id, code->dim->id, &old_cat, &old_sub, &found,
	                err))
		return -1;
	if (found && old_cat == code->cat->id && old_sub == sub_id)
		return 0;
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO codes (set_id, issue_id, rater_id, dimension_id, category_id, "
	        "subcategory_id, coded_at, version_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	        "(SELECT max(v.id) FROM taxonomy_versions v JOIN dimensions d ON "
	        "d.taxonomy_id = v.taxonomy_id WHERE d.id = ?4)) "
	        "ON CONFLICT (set_id, issue_id, rater_id, dimension_id) DO UPDATE SET "
	        "category_id = excluded.category_id, subcategory_id = excluded.subcategory_id, "
	        "coded_at = excluded.coded_at, version_id = excluded.version_id",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	bind_code_key(st, set_id, issue_id, rater_id, code->dim->id);
	sqlite3_bind_int64(st, 5, code->cat->id);
	if (sub_id)
		sqlite3_bind_int64(st, 6, sub_id);
	store_bind_text(st, 7, now);
	if (store_step_done(s, st, err) ||
	    code_confidence_forget(s, set_id, issue_id, rater_id, code->dim->id, err))
		return -1;
	return log_code(s, set_id, issue_id, rater_id, code->dim->id, code->cat->id, sub_id, origin,
	                err);
}

int code_clear(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
               const struct tax_dimension *dim, const char *origin, struct error *err)
{
	int64_t old_cat, old_sub;
	int found;
	if (stored_code(s, set_id, issue_id, rater_id, dim->id, &old_cat, &old_sub, &found, err))
		return -1;
	if (!found)
		return 0;
	sqlite3_stmt *st = store_stmt(s,
	                              "DELETE FROM codes WHERE set_id = ? AND issue_id = ? AND "
	                              "rater_id = ? AND dimension_id = ?",
	                              err);
	if (!st)
		return -1;
	bind_code_key(st, set_id, issue_id, rater_id, dim->id);
	if (store_step_done(s, st, err) ||
	    code_confidence_forget(s, set_id, issue_id, rater_id, dim->id, err))
		return -1;
	return log_code(s, set_id, issue_id, rater_id, dim->id, 0, 0, origin, err);
}

int note_get(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id, char **note,
             struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT note FROM notes WHERE set_id = ? AND issue_id = ? AND rater_id = ?",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, rater_id);
	int rc = sqlite3_step(st);
	const unsigned char *text = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	*note = text ? xstrdup((const char *)text) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int note_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id, const char *note,
             const char *origin, struct error *err)
{
	char *old;
	if (note && !*note)
		note = NULL;
	if (check_member(s, set_id, issue_id, err) ||
	    note_get(s, set_id, issue_id, rater_id, &old, err))
		return -1;
	int same = (!old && !note) || (old && note && !strcmp(old, note));
	free(old);
	if (same)
		return 0;
	sqlite3_stmt *st = store_stmt(
	        s,
	        note ? "INSERT INTO notes (set_id, issue_id, rater_id, note, noted_at) VALUES "
	               "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (set_id, issue_id, rater_id) DO UPDATE "
	               "SET note = excluded.note, noted_at = excluded.noted_at"
	             : "DELETE FROM notes WHERE set_id = ?1 AND issue_id = ?2 AND rater_id = ?3",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, rater_id);
	if (note) {
		store_bind_text(st, 4, note);
		store_bind_text(st, 5, now);
	}
	if (store_step_done(s, st, err))
		return -1;
	struct log_row r = {"note", set_id,           issue_id, rater_id, 0,     0,
	                    0,      note ? note : "", 0,        NULL,     origin};
	return log_change(s, &r, err);
}

int code_get(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t issue_id,
             int64_t rater_id, const struct tax_dimension *dim, struct tax_code *out, int *found,
             struct error *err)
{
	int64_t cat_id, sub_id;
	memset(out, 0, sizeof(*out));
	if (stored_code(s, set_id, issue_id, rater_id, dim->id, &cat_id, &sub_id, found, err))
		return -1;
	if (!*found)
		return 0;
	return tax_code_from_ids(t, dim, cat_id, sub_id, out, err);
}

int code_confidence_put(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                        int64_t dim_id, double confidence, int64_t answer_id, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "INSERT INTO code_confidence (set_id, issue_id, rater_id, "
	                   "dimension_id, confidence, answer_id) VALUES (?, ?, ?, ?, ?, ?)",
	                   err);
	if (!st)
		return -1;
	bind_code_key(st, set_id, issue_id, rater_id, dim_id);
	sqlite3_bind_double(st, 5, confidence);
	sqlite3_bind_int64(st, 6, answer_id);
	return store_step_done(s, st, err);
}

int code_confidence_get(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                        int64_t dim_id, double *conf, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT confidence FROM code_confidence WHERE set_id = ? AND "
	                              "issue_id = ? AND rater_id = ? AND dimension_id = ?",
	                              err);
	if (!st)
		return -1;
	bind_code_key(st, set_id, issue_id, rater_id, dim_id);
	int rc = sqlite3_step(st);
	*conf = rc == SQLITE_ROW ? sqlite3_column_double(st, 0) : -1;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* --- exclusions --- */

void exclusion_release(struct exclusion *x)
{
	free(x->detail);
	memset(x, 0, sizeof(*x));
}

/* The stored reason id (0 when not excluded) and detail (caller frees). */
static int stored_exclusion(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                            int64_t *reason_id, char **detail, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT reason_id, detail FROM exclusions WHERE set_id = ? "
	                              "AND issue_id = ? AND rater_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, rater_id);
	int rc = sqlite3_step(st);
	*reason_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	*detail = rc == SQLITE_ROW ? store_column_dup(st, 1) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

static int log_exclusion(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                         int64_t reason_id, const char *detail, const char *origin,
                         struct error *err)
{
	struct log_row r = {"exclusion", set_id, issue_id,  rater_id, 0,     0,
	                    0,           NULL,   reason_id, detail,   origin};
	return log_change(s, &r, err);
}

int exclusion_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                  const struct tax_reason *reason, const char *detail, const char *origin,
                  struct error *err)
{
	int64_t old_reason;
	char *old_detail;
	if (!reason || !reason->id)
		return error_set(err, "internal error: an exclusion reason not read from the "
		                      "database");
	if (detail && !*detail)
		detail = NULL;
	if (check_member(s, set_id, issue_id, err) ||
	    stored_exclusion(s, set_id, issue_id, rater_id, &old_reason, &old_detail, err))
		return -1;
	int same =
	        old_reason == reason->id &&
	        ((!old_detail && !detail) || (old_detail && detail && !strcmp(old_detail, detail)));
	free(old_detail);
	if (same)
		return 0;
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO exclusions (set_id, issue_id, rater_id, reason_id, detail, "
	        "excluded_at, version_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT max(v.id) FROM "
	        "taxonomy_versions v JOIN exclusion_reasons r ON r.taxonomy_id = v.taxonomy_id "
	        "WHERE r.id = ?4)) ON CONFLICT (set_id, issue_id, rater_id) DO UPDATE SET "
	        "reason_id = excluded.reason_id, detail = excluded.detail, excluded_at = "
	        "excluded.excluded_at, version_id = excluded.version_id",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	bind_code_key(st, set_id, issue_id, rater_id, reason->id);
	store_bind_text(st, 5, detail);
	store_bind_text(st, 6, now);
	if (store_step_done(s, st, err))
		return -1;
	return log_exclusion(s, set_id, issue_id, rater_id, reason->id, detail, origin, err);
}

int exclusion_clear(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                    const char *origin, struct error *err)
{
	int64_t old_reason;
	char *old_detail;
	if (stored_exclusion(s, set_id, issue_id, rater_id, &old_reason, &old_detail, err))
		return -1;
	free(old_detail);
	if (!old_reason)
		return 0;
	sqlite3_stmt *st = store_stmt(
	        s, "DELETE FROM exclusions WHERE set_id = ? AND issue_id = ? AND rater_id = ?",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, rater_id);
	if (store_step_done(s, st, err))
		return -1;
	return log_exclusion(s, set_id, issue_id, rater_id, 0, NULL, origin, err);
}

int exclusion_get(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t issue_id,
                  int64_t rater_id, struct exclusion *out, struct error *err)
{
	int64_t reason_id;
	memset(out, 0, sizeof(*out));
	if (stored_exclusion(s, set_id, issue_id, rater_id, &reason_id, &out->detail, err))
		return -1;
	if (!reason_id)
		return 0;
	out->reason = tax_reason_by_id(t, reason_id);
	if (!out->reason) {
		exclusion_release(out);
		return error_set(err,
		                 "a stored exclusion names reason %lld, which taxonomy %s "
		                 "does not have",
		                 (long long)reason_id, t->name);
	}
	return 0;
}
