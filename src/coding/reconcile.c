/*
 * reconcile.c - disagreements between two raters, and copying what they
 * agree on to the adjudicator (see reconcile.h).
 *
 * The dimensions' disagreements and the exclusion disagreements come from
 * two queries; the rows are then put in one order: sample position, then
 * the taxonomy's dimensions, then the exclusion row.
 */
#include "reconcile.h"
#include "codes.h"
#include "ids.h"
#include "store_ids.h"
#include "xalloc.h"

#include <stdio.h>
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

/*
 * Columns 0-3 of both queries: the issue; in the dimensions' query, column
 * 11 its position in the sample, 12 and 13 the confidence of a's and b's codes.
 */
static void read_issue(sqlite3_stmt *st, struct recon_row *row)
{
	row->issue_id = sqlite3_column_int64(st, 0);
	row->repo = store_column_dup(st, 1);
	row->number = sqlite3_column_int64(st, 2);
	row->title = store_column_dup(st, 3);
}

#define ORDER(position, dim) ((size_t)(position) * (TAX_MAX_DIMENSIONS + 1) + (size_t)(dim))

static int read_row(sqlite3_stmt *st, const struct taxonomy *t, struct recon_row *row,
                    struct error *err)
{
	const struct tax_dimension *d = tax_dimension_by_id(t, sqlite3_column_int64(st, 4));
	if (!d)
		return no_dimension(t, sqlite3_column_int64(st, 4), err);
	read_issue(st, row);
	row->order = ORDER(sqlite3_column_int64(st, 11), d - t->dims);
	row->conf_a = sqlite3_column_double(st, 12);
	row->conf_b = sqlite3_column_double(st, 13);
	return code_from_ids(t, d, sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
	                     &row->a, err) ||
	       code_from_ids(t, d, sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
	                     &row->b, err) ||
	       code_from_ids(t, d, sqlite3_column_int64(st, 9), sqlite3_column_int64(st, 10),
	                     &row->as, err);
}

/* A rater decided on issue m: excluded it, or coded it in a dimension of taxonomy ?5. */
#define DECIDED(X, RATER)                                                                          \
	"(" X ".id IS NOT NULL OR EXISTS (SELECT 1 FROM codes c JOIN dimensions d ON "             \
	"d.id = c.dimension_id AND d.taxonomy_id = ?5 WHERE c.set_id = m.set_id AND "              \
	"c.issue_id = m.issue_id AND c.rater_id = " RATER "))"

#define EXCLUSION_JOINS                                                                            \
	"FROM set_members m JOIN issues i ON i.id = m.issue_id "                                   \
	"JOIN repositories r ON r.id = i.repo_id "                                                 \
	"LEFT JOIN exclusions xa ON xa.set_id = m.set_id AND xa.issue_id = m.issue_id "            \
	"  AND xa.rater_id = ?2 "                                                                  \
	"LEFT JOIN exclusions xb ON xb.set_id = m.set_id AND xb.issue_id = m.issue_id "            \
	"  AND xb.rater_id = ?3 "                                                                  \
	"LEFT JOIN exclusions xc ON xc.set_id = m.set_id AND xc.issue_id = m.issue_id "            \
	"  AND xc.rater_id = ?4 "

static const struct tax_reason *reason_of(const struct taxonomy *t, int64_t id)
{
	return id ? tax_reason_by_id(t, id) : NULL;
}

static int read_exclusion_row(sqlite3_stmt *st, const struct taxonomy *t, struct recon_row *row,
                              struct error *err)
{
	read_issue(st, row);
	row->exclusion = 1;
	row->conf_a = row->conf_b = -1;
	int64_t ra = sqlite3_column_int64(st, 4), rb = sqlite3_column_int64(st, 5),
	        rc = sqlite3_column_int64(st, 6);
	row->xa = reason_of(t, ra);
	row->xb = reason_of(t, rb);
	row->xas = reason_of(t, rc);
	row->as_coded = sqlite3_column_int(st, 7);
	row->order = ORDER(sqlite3_column_int64(st, 8), TAX_MAX_DIMENSIONS);
	if ((ra && !row->xa) || (rb && !row->xb) || (rc && !row->xas))
		return error_set(err, "a stored exclusion names a reason taxonomy %s does not have",
		                 t->name);
	return 0;
}

/* The exclusion rows: both raters decided, differently. */
static int load_exclusion_rows(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                               int64_t b, int64_t as, struct recon_list *out, size_t *alloc,
                               struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT m.issue_id, r.full_name, i.number, i.title, coalesce(xa.reason_id, 0), "
	        "coalesce(xb.reason_id, 0), coalesce(xc.reason_id, 0), EXISTS (SELECT 1 FROM codes "
	        "c WHERE c.set_id = m.set_id AND c.issue_id = m.issue_id AND c.rater_id = ?4), "
	        "m.position " EXCLUSION_JOINS "WHERE m.set_id = ?1 AND xa.reason_id IS NOT "
	        "xb.reason_id AND " DECIDED("xa", "?2") " AND " DECIDED("xb", "?3"),
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	sqlite3_bind_int64(st, 4, as);
	sqlite3_bind_int64(st, 5, t->id);
	int rc = SQLITE_DONE, bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&out->rows, alloc, out->n + 1, sizeof(*out->rows));
		struct recon_row *row = &out->rows[out->n++];
		memset(row, 0, sizeof(*row));
		bad = read_exclusion_row(st, t, row, err);
	}
	sqlite3_reset(st);
	if (!bad && rc != SQLITE_DONE)
		return store_error(s, err, "reading exclusions");
	return bad ? -1 : 0;
}

static void bind_five(sqlite3_stmt *st, int64_t set_id, int64_t a, int64_t b, int64_t as,
                      int64_t taxonomy_id)
{
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	sqlite3_bind_int64(st, 4, as);
	sqlite3_bind_int64(st, 5, taxonomy_id);
}

/*
 * Issues left out: a dimension coded (not under an exclusion) by one rater
 * only, or excluded by one while the other has not decided; not those in
 * the list for an exclusion disagreement.
 */
static int count_one_sided(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                           int64_t b, struct recon_list *l, struct error *err)
{
	sqlite3_stmt *dims = store_stmt(
	        s,
	        "SELECT DISTINCT m.issue_id FROM set_members m "
	        "JOIN dimensions d ON d.taxonomy_id = ?5 "
	        "LEFT JOIN codes ca ON ca.set_id = m.set_id AND ca.issue_id = m.issue_id "
	        "  AND ca.rater_id = ?2 AND ca.dimension_id = d.id AND " CODE_NOT_EXCLUDED(
	                "ca") " "
	                      "LEFT JOIN codes cb ON cb.set_id = m.set_id AND cb.issue_id = "
	                      "m.issue_id "
	                      "  AND cb.rater_id = ?3 AND cb.dimension_id = d.id "
	                      "AND " CODE_NOT_EXCLUDED("cb") " "
	                                                     "WHERE m.set_id = ?1 AND (ca.id IS "
	                                                     "NULL) <> (cb.id IS NULL)",
	        err);
	if (!dims)
		return -1;
	bind_five(dims, set_id, a, b, 0, t->id);
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	int rc = store_collect_ids(s, dims, &ids, &n, &alloc, NULL, err);
	sqlite3_stmt *excl =
	        rc ? NULL
	           : store_stmt(s,
	                        "SELECT m.issue_id " EXCLUSION_JOINS
	                        "WHERE m.set_id = ?1 AND ((xa.id IS NOT "
	                        "NULL AND NOT " DECIDED("xb", "?3") ") OR (xb.id IS "
	                                                            "NOT NULL AND NOT " DECIDED(
	                                                                    "xa", "?2") "))",
	                        err);
	if (excl) {
		bind_five(excl, set_id, a, b, 0, t->id);
		rc = store_collect_ids(s, excl, &ids, &n, &alloc, NULL, err);
	} else {
		rc = -1;
	}
	if (!rc) {
		ids_sort(ids, n);
		for (size_t i = 0; i < n; i++) {
			int in_list = 0;
			for (size_t r = 0; r < l->n && !in_list; r++)
				in_list = l->rows[r].exclusion && l->rows[r].issue_id == ids[i];
			l->one_sided += !in_list && (i == 0 || ids[i] != ids[i - 1]);
		}
	}
	free(ids);
	return rc;
}

static int compare_rows(const void *x, const void *y)
{
	const struct recon_row *a = x, *b = y;
	return (a->order > b->order) - (a->order < b->order);
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
	        "coalesce(cc.category_id, 0), coalesce(cc.subcategory_id, 0), m.position, "
	        "coalesce(ka.confidence, -1), coalesce(kb.confidence, -1) "
	        "FROM set_members m JOIN issues i ON i.id = m.issue_id "
	        "JOIN repositories r ON r.id = i.repo_id "
	        "JOIN dimensions d ON d.taxonomy_id = ?5 "
	        "JOIN codes ca ON ca.set_id = m.set_id AND ca.issue_id = m.issue_id "
	        "  AND ca.rater_id = ?2 AND ca.dimension_id = d.id "
	        "JOIN codes cb ON cb.set_id = m.set_id AND cb.issue_id = m.issue_id "
	        "  AND cb.rater_id = ?3 AND cb.dimension_id = d.id "
	        "LEFT JOIN codes cc ON cc.set_id = m.set_id AND cc.issue_id = m.issue_id "
	        "  AND cc.rater_id = ?4 AND cc.dimension_id = d.id "
	        "LEFT JOIN code_confidence ka ON ka.set_id = m.set_id AND ka.issue_id = m.issue_id "
	        "  AND ka.rater_id = ?2 AND ka.dimension_id = d.id "
	        "LEFT JOIN code_confidence kb ON kb.set_id = m.set_id AND kb.issue_id = m.issue_id "
	        "  AND kb.rater_id = ?3 AND kb.dimension_id = d.id "
	        "WHERE m.set_id = ?1 AND (ca.category_id <> cb.category_id "
	        "  OR ca.subcategory_id IS NOT cb.subcategory_id) "
	        "  AND " CODE_NOT_EXCLUDED("ca") " AND " CODE_NOT_EXCLUDED(
	                "cb") " "
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
	if (!bad && rc != SQLITE_DONE)
		bad = store_error(s, err, "reading codes");
	if (bad || load_exclusion_rows(s, t, set_id, a, b, as, out, &alloc, err) ||
	    count_one_sided(s, t, set_id, a, b, out, err)) {
		recon_list_release(out);
		return -1;
	}
	if (out->n)
		qsort(out->rows, out->n, sizeof(*out->rows), compare_rows);
	return 0;
}

void recon_code_label(const struct tax_code *c, double conf, char *buf, size_t size)
{
	tax_code_label(c, buf, size);
	size_t n = strlen(buf);
	if (conf >= 0 && n < size)
		snprintf(buf + n, size - n, " (%.0f%% sure)", conf * 100);
}

int recon_row_resolved(const struct recon_row *row)
{
	return row->exclusion ? row->xas != NULL || row->as_coded : row->as.cat != NULL;
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
	        "  AND " CODE_NOT_EXCLUDED("ca") " AND " CODE_NOT_EXCLUDED(
	                "cb") " "
	                      "  AND ca.subcategory_id IS cb.subcategory_id AND NOT EXISTS (SELECT "
	                      "1 FROM codes "
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

struct agreed_exclusion {
	int64_t issue_id, reason_id;
	char *detail;
};

/* Exclusions a and b both made for one reason, where as has neither exclusion nor code. */
static int read_agreed_exclusions(struct store *s, const struct taxonomy *t, int64_t set_id,
                                  int64_t a, int64_t b, int64_t as, struct agreed_exclusion **out,
                                  size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT xa.issue_id, xa.reason_id, CASE WHEN xa.detail IS xb.detail THEN xa.detail "
	        "END FROM exclusions xa JOIN exclusions xb ON xb.set_id = xa.set_id AND "
	        "xb.issue_id = xa.issue_id AND xb.rater_id = ?3 AND xb.reason_id = xa.reason_id "
	        "JOIN exclusion_reasons er ON er.id = xa.reason_id AND er.taxonomy_id = ?5 "
	        "WHERE xa.set_id = ?1 AND xa.rater_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
	        "exclusions xc WHERE xc.set_id = xa.set_id AND xc.issue_id = xa.issue_id AND "
	        "xc.rater_id = ?4) AND NOT EXISTS (SELECT 1 FROM codes cc WHERE cc.set_id = "
	        "xa.set_id AND cc.issue_id = xa.issue_id AND cc.rater_id = ?4)",
	        err);
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	bind_five(st, set_id, a, b, as, t->id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct agreed_exclusion *x = &(*out)[(*n)++];
		x->issue_id = sqlite3_column_int64(st, 0);
		x->reason_id = sqlite3_column_int64(st, 1);
		x->detail = store_column_dup(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading exclusions");
}

static int copy_agreed_exclusions(struct store *s, const struct taxonomy *t, int64_t set_id,
                                  int64_t a, int64_t b, int64_t as, long *copied, struct error *err)
{
	struct agreed_exclusion *rows;
	size_t n;
	int rc = read_agreed_exclusions(s, t, set_id, a, b, as, &rows, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		const struct tax_reason *reason = tax_reason_by_id(t, rows[i].reason_id);
		rc = !reason ? error_set(err,
		                         "an exclusion names a reason taxonomy %s does not have",
		                         t->name)
		             : exclusion_set(s, set_id, rows[i].issue_id, as, reason,
		                             rows[i].detail, "reconcile", err);
		*copied += !rc;
	}
	for (size_t i = 0; i < n; i++)
		free(rows[i].detail);
	free(rows);
	return rc ? -1 : 0;
}

int recon_copy_agreed(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                      int64_t b, int64_t as, long *copied, struct error *err)
{
	struct agreed *rows;
	size_t n;
	*copied = 0;
	if (copy_agreed_exclusions(s, t, set_id, a, b, as, copied, err) ||
	    read_agreed(s, t, set_id, a, b, as, &rows, &n, err))
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
