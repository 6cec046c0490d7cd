/*
 * agree_read.c - a sample's codes and exclusions, row by row (see agree_read.h).
 */
#include "agree_read.h"

int agree_read_codes(struct store *s, int64_t set_id,
                     int (*fn)(void *ctx, const struct agree_code_row *row, struct error *err),
                     void *ctx, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id, rater_id, dimension_id, category_id, "
	                              "coalesce(subcategory_id, 0) FROM codes WHERE set_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int rc, failed = 0;
	while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct agree_code_row row = {
		        sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		        sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
		        sqlite3_column_int64(st, 4)};
		failed = fn(ctx, &row, err) != 0;
	}
	sqlite3_reset(st);
	if (failed)
		return -1;
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading codes");
}

static size_t reason_index(const struct taxonomy *t, int64_t reason_id)
{
	const struct tax_reason *r = tax_reason_by_id(t, reason_id);
	return r ? (size_t)(r - t->reasons) : t->nreasons;
}

int agree_read_exclusions(struct store *s, const struct taxonomy *t, int64_t set_id,
                          void (*fn)(void *ctx, int64_t issue_id, int64_t rater_id, size_t reason),
                          void *ctx, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT issue_id, rater_id, reason_id FROM exclusions WHERE set_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		   reason_index(t, sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading exclusions");
}
