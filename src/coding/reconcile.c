/*
 * reconcile.c - disagreements between two raters, and copying what they
 * agree on to the adjudicator (see reconcile.h).
 */
#include "reconcile.h"
#include "codes.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A code from stored ids (cat_id 0: no code, out->cat NULL); -1 when it is not in t. */
static int code_from_ids(const struct taxonomy *t, const struct tax_dimension *d, int64_t cat_id,
                         int64_t sub_id, struct tax_code *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->dim = d;
	return cat_id ? tax_code_from_ids(t, d, cat_id, sub_id, out, err) : 0;
}

static int no_dimension(const struct taxonomy *t, int64_t id, struct error *err)
{
	return error_set(err, "a stored code's dimension %lld is not in taxonomy %s", (long long)id,
	                 t->name);
}

static int read_row(sqlite3_stmt *st, const struct taxonomy *t, struct recon_row *row,
                    struct error *err)
{
	const struct tax_dimension *d = tax_dimension_by_id(t, sqlite3_column_int64(st, 4));
	if (!d)
		return no_dimension(t, sqlite3_column_int64(st, 4), err);
	row->issue_id = sqlite3_column_int64(st, 0);
	row->repo = store_column_dup(st, 1);
	row->number = sqlite3_column_int64(st, 2);
	row->title = store_column_dup(st, 3);
	return code_from_ids(t, d, sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
	                     &row->a, err) ||
	       code_from_ids(t, d, sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
	                     &row->b, err) ||
	       code_from_ids(t, d, sqlite3_column_int64(st, 9), sqlite3_column_int64(st, 10),
	                     &row->as, err);
}

static int count_one_sided(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                           int64_t b, size_t *count, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT count(DISTINCT m.issue_id) FROM set_members m "
	        "JOIN dimensions d ON d.taxonomy_id = ?4 "
	        "LEFT JOIN codes ca ON ca.set_id = m.set_id AND ca.issue_id = m.issue_id "
	        "  AND ca.rater_id = ?2 AND ca.dimension_id = d.id "
	        "LEFT JOIN codes cb ON cb.set_id = m.set_id AND cb.issue_id = m.issue_id "
	        "  AND cb.rater_id = ?3 AND cb.dimension_id = d.id "
	        "WHERE m.set_id = ?1 AND (ca.id IS NULL) <> (cb.id IS NULL)",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	sqlite3_bind_int64(st, 4, t->id);
	int rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, err, NULL);
}

int recon_list_load(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a, int64_t b,
                    int64_t as, struct recon_list *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT m.issue_id, r.full_name, i.number, i.title, d.id, "
	        "ca.category_id, coalesce(ca.subcategory_id, 0), "
	        "cb.category_id, coalesce(cb.subcategory_id, 0), "
	        "coalesce(cc.category_id, 0), coalesce(cc.subcategory_id, 0) "
	        "FROM set_members m JOIN issues i ON i.id = m.issue_id "
	        "JOIN repositories r ON r.id = i.repo_id "
	        "JOIN dimensions d ON d.taxonomy_id = ?5 "
	        "JOIN codes ca ON ca.set_id = m.set_id AND ca.issue_id = m.issue_id "
	        "  AND ca.rater_id = ?2 AND ca.dimension_id = d.id "
	        "JOIN codes cb ON cb.set_id = m.set_id AND cb.issue_id = m.issue_id "
	        "  AND cb.rater_id = ?3 AND cb.dimension_id = d.id "
	        "LEFT JOIN codes cc ON cc.set_id = m.set_id AND cc.issue_id = m.issue_id "
	        "  AND cc.rater_id = ?4 AND cc.dimension_id = d.id "
	        "WHERE m.set_id = ?1 AND (ca.category_id <> cb.category_id "
	        "  OR ca.subcategory_id IS NOT cb.subcategory_id) "
	        "ORDER BY m.position, d.position",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	sqlite3_bind_int64(st, 4, as);
	sqlite3_bind_int64(st, 5, t->id);
	size_t alloc = 0;
	int rc = SQLITE_DONE, bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&out->rows, &alloc, out->n + 1, sizeof(*out->rows));
		struct recon_row *row = &out->rows[out->n++];
		memset(row, 0, sizeof(*row));
		bad = read_row(st, t, row, err);
	}
	sqlite3_reset(st);
	if (bad || rc != SQLITE_DONE) {
		if (!bad)
			store_error(s, err, "reading codes");
		recon_list_release(out);
		return -1;
	}
	if (count_one_sided(s, t, set_id, a, b, &out->one_sided, err)) {
		recon_list_release(out);
		return -1;
	}
	return 0;
}

void recon_list_release(struct recon_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->rows[i].repo);
		free(l->rows[i].title);
	}
	free(l->rows);
	memset(l, 0, sizeof(*l));
}

size_t recon_list_issues(const struct recon_list *l, int64_t **ids)
{
	size_t n = 0;
	*ids = xmalloc((l->n ? l->n : 1) * sizeof(**ids));
	for (size_t i = 0; i < l->n; i++)
		if (!n || (*ids)[n - 1] != l->rows[i].issue_id)
			(*ids)[n++] = l->rows[i].issue_id;
	return n;
}

struct agreed {
	int64_t issue_id, dim_id, cat_id, sub_id;
};

/* The codes a and b agree on where as has none; read fully before anything is written. */
static int read_agreed(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                       int64_t b, int64_t as, struct agreed **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT ca.issue_id, ca.dimension_id, ca.category_id, "
	        "coalesce(ca.subcategory_id, 0) FROM codes ca "
	        "JOIN codes cb ON cb.set_id = ca.set_id AND cb.issue_id = ca.issue_id "
	        "  AND cb.dimension_id = ca.dimension_id AND cb.rater_id = ?3 "
	        "JOIN dimensions d ON d.id = ca.dimension_id AND d.taxonomy_id = ?5 "
	        "WHERE ca.set_id = ?1 AND ca.rater_id = ?2 AND ca.category_id = cb.category_id "
	        "  AND ca.subcategory_id IS cb.subcategory_id AND NOT EXISTS (SELECT 1 FROM codes "
	        "  cc WHERE cc.set_id = ca.set_id AND cc.issue_id = ca.issue_id "
	        "  AND cc.rater_id = ?4 AND cc.dimension_id = ca.dimension_id)",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	sqlite3_bind_int64(st, 4, as);
	sqlite3_bind_int64(st, 5, t->id);
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct agreed *g = &(*out)[(*n)++];
		g->issue_id = sqlite3_column_int64(st, 0);
		g->dim_id = sqlite3_column_int64(st, 1);
		g->cat_id = sqlite3_column_int64(st, 2);
		g->sub_id = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*out);
	*out = NULL;
	return store_error(s, err, "reading codes");
}

int recon_copy_agreed(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                      int64_t b, int64_t as, long *copied, struct error *err)
{
	struct agreed *rows;
	size_t n;
	*copied = 0;
	if (read_agreed(s, t, set_id, a, b, as, &rows, &n, err))
		return -1;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct tax_code code;
		const struct tax_dimension *d = tax_dimension_by_id(t, rows[i].dim_id);
		rc = !d ? no_dimension(t, rows[i].dim_id, err)
		        : code_from_ids(t, d, rows[i].cat_id, rows[i].sub_id, &code, err) ||
		                     code_set(s, set_id, rows[i].issue_id, as, &code, "reconcile",
		                              err);
		*copied += !rc;
	}
	free(rows);
	return rc ? -1 : 0;
}
