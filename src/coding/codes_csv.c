/*
 * codes_csv.c - importing and exporting codes as CSV (see codes_csv.h).
 *
 * An import runs in two passes. The check reads every row, resolves its
 * issue, rater and code and collects what is wrong with it (without
 * writing); then it looks across rows for conflicting duplicates. Only when
 * no row is bad does the write pass run, in one transaction, through the
 * codes API (codes.h), skipping codes and notes already stored as given.
 */
#include "codes_csv.h"

#include "codes.h"
#include "csv.h"
#include "issueref.h"
#include "sets.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const codes_csv_columns[CODES_CSV_NCOLUMNS] = {
        "issue",       "rater", "dimension", "category",
        "subcategory", "note",  "exclusion", "exclusion_note"};

enum {
	COL_ISSUE,
	COL_RATER,
	COL_DIMENSION,
	COL_CATEGORY,
	COL_SUBCATEGORY,
	COL_NOTE,
	COL_EXCLUSION,
	COL_EXCLUSION_NOTE,
	NCOLS
};

#define COLUMN_LIST                                                                                \
	"issue, rater, dimension, category, subcategory, note, exclusion, exclusion_note"

struct parsed_row {
	long line;
	struct strbuf why; /* what is wrong with the row, "; "-separated; empty when good */
	struct codes_checked c;
};

struct import {
	struct store *s;
	const struct taxonomy *t;
	const struct codes_import_options *o;
	const char *name;
	int64_t set_id; /* 0 when the sample is still to be created */
	int cols[NCOLS];
	size_t header_fields;
	struct parsed_row *rows;
	size_t nrows, alloc;
	struct codes_import_result *res;
};

static void complain(struct strbuf *why, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void complain(struct strbuf *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vadd_reason(why, fmt, ap);
	va_end(ap);
}

/* A copy of s without the white space around it. */
static char *trimmed(const char *s)
{
	if (!s)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static int is_blank(const char *s)
{
	if (!s)
		return 1;
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/* --- the header --- */

static int column_of(const char *word)
{
	for (int i = 0; i < NCOLS; i++)
		if (!strcasecmp(word, codes_csv_columns[i]))
			return i;
	return -1;
}

static int check_header(struct import *im, const struct csv_record *rec, struct error *err)
{
	for (int i = 0; i < NCOLS; i++)
		im->cols[i] = -1;
	for (size_t f = 0; f < rec->nfields; f++) {
		char *word = trimmed(rec->fields[f]);
		int c = column_of(word);
		if (c < 0 || im->cols[c] >= 0) {
			error_set(err, "%s: line %ld: %s column '%s' in the header (expected %s)",
			          im->name, rec->line, c < 0 ? "unknown" : "repeated", word,
			          COLUMN_LIST);
			free(word);
			return -1;
		}
		im->cols[c] = (int)f;
		free(word);
	}
	for (int c = COL_ISSUE; c <= COL_CATEGORY; c++)
		if (im->cols[c] < 0)
			return error_set(
			        err,
			        "%s: line %ld: the header has no '%s' column (expected %s; "
			        "subcategory, note, exclusion and exclusion_note may be left out)",
			        im->name, rec->line, codes_csv_columns[c], COLUMN_LIST);
	im->header_fields = rec->nfields;
	return 0;
}

/* --- one row --- */

static int check_issue(struct store *s, const struct codes_import_options *o, int64_t set_id,
                       struct codes_checked *c, const char *text, struct strbuf *why,
                       struct error *err)
{
	if (!*text) {
		complain(why, "no issue");
		return 0;
	}
	struct error bad;
	if (issueref_parse_err(text, &c->ref, &bad)) {
		complain(why, "issue %s", bad.msg);
		return 0;
	}
	if (store_issue_id(s, c->ref.repo, c->ref.number, &c->issue_id, err))
		return -1;
	if (!c->issue_id) {
		if (!o->create_missing)
			complain(why,
			         "issue %s#%lld is not in the database (fetch or import it, or use "
			         "--create-missing)",
			         c->ref.repo, (long long)c->ref.number);
		else if (!o->add_to_sample)
			complain(why,
			         "issue %s#%lld is not in sample '%s' (--add-to-sample adds it)",
			         c->ref.repo, (long long)c->ref.number, o->sample);
		return 0;
	}
	if (set_id && set_has_member(s, set_id, c->issue_id, &c->in_sample, err))
		return -1;
	if (!c->in_sample && !o->add_to_sample)
		complain(why, "issue %s#%lld is not in sample '%s' (--add-to-sample adds it)",
		         c->ref.repo, (long long)c->ref.number, o->sample);
	return 0;
}

static void check_code(const struct taxonomy *t, struct codes_checked *c, const char *dim,
                       const char *cat, const char *sub, struct strbuf *why)
{
	if (!*dim && !*cat && !*sub) {
		if (!c->note && !c->reason && !why->len)
			complain(why, "no dimension, category, note or exclusion");
		return; /* a note-only or exclusion-only row */
	}
	if (!*dim) {
		complain(why, "no dimension");
		return;
	}
	if (!*cat) {
		complain(why, "no category");
		return;
	}
	struct error e;
	if (tax_resolve(t, dim, cat, sub, &c->code, &e)) {
		memset(&c->code, 0, sizeof(c->code));
		complain(why, "%s", e.msg);
	}
}

static void check_exclusion(const struct taxonomy *t, struct codes_checked *c, const char *reason,
                            const char *note, struct strbuf *why)
{
	struct error e;
	c->exclusion_note = is_blank(note) ? NULL : xstrdup(note);
	if (!*reason) {
		if (c->exclusion_note)
			complain(why, "an exclusion_note, but no exclusion (a reason)");
		return;
	}
	if (tax_resolve_reason(t, reason, &c->reason, &e))
		complain(why, "%s", e.msg);
}

void codes_checked_release(struct codes_checked *c)
{
	free(c->rater);
	free(c->note);
	free(c->exclusion_note);
	memset(c, 0, sizeof(*c));
}

int codes_check_row(struct store *s, const struct taxonomy *t, const struct codes_import_options *o,
                    int64_t set_id, const struct codes_row *row, struct codes_checked *c,
                    struct strbuf *why, struct error *err)
{
	memset(c, 0, sizeof(*c));
	c->note = is_blank(row->note) ? NULL : xstrdup(row->note);
	char *issue = trimmed(row->issue), *dim = trimmed(row->dimension);
	char *cat = trimmed(row->category), *sub = trimmed(row->subcategory);
	char *reason = trimmed(row->exclusion);
	int rc = check_issue(s, o, set_id, c, issue, why, err);
	c->rater = trimmed(row->rater);
	if (!*c->rater)
		complain(why, "no rater");
	else if (!rater_name_valid(c->rater))
		complain(why,
		         "rater '%s' is not a valid name (no spaces, commas or control "
		         "characters, at most 100 bytes)",
		         c->rater);
	check_exclusion(t, c, reason, row->exclusion_note, why);
	check_code(t, c, dim, cat, sub, why);
	free(issue);
	free(dim);
	free(cat);
	free(sub);
	free(reason);
	return rc;
}

static const char *field(const struct import *im, const struct csv_record *rec, int col)
{
	return im->cols[col] < 0 ? "" : csv_field(rec, im->cols[col]);
}

static int check_row(struct import *im, const struct csv_record *rec, struct parsed_row *row,
                     struct error *err)
{
	row->line = rec->line;
	strbuf_init(&row->why, 0);
	if (rec->nfields > im->header_fields) {
		complain(&row->why, "%zu fields, but the header names %zu", rec->nfields,
		         im->header_fields);
		row->c.rater = xstrdup("");
		return 0;
	}
	struct codes_row fields = {
	        (char *)field(im, rec, COL_ISSUE),       (char *)field(im, rec, COL_RATER),
	        (char *)field(im, rec, COL_DIMENSION),   (char *)field(im, rec, COL_CATEGORY),
	        (char *)field(im, rec, COL_SUBCATEGORY), (char *)field(im, rec, COL_NOTE),
	        (char *)field(im, rec, COL_EXCLUSION),   (char *)field(im, rec, COL_EXCLUSION_NOTE),
	};
	return codes_check_row(im->s, im->t, im->o, im->set_id, &fields, &row->c, &row->why, err);
}

/* --- across rows: the same issue, rater and dimension twice, differently --- */

static int same_issue(const struct parsed_row *a, const struct parsed_row *b)
{
	return a->c.ref.number == b->c.ref.number && !strcasecmp(a->c.ref.repo, b->c.ref.repo);
}

static int compare_rows(const void *x, const void *y)
{
	const struct parsed_row *a = *(struct parsed_row *const *)x;
	const struct parsed_row *b = *(struct parsed_row *const *)y;
	int c = strcasecmp(a->c.ref.repo, b->c.ref.repo);
	if (c)
		return c;
	if (a->c.ref.number != b->c.ref.number)
		return a->c.ref.number < b->c.ref.number ? -1 : 1;
	if ((c = strcmp(a->c.rater, b->c.rater)))
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

static int texts_differ(const char *a, const char *b)
{
	return a && b && strcmp(a, b);
}

/* What two rows of one issue and rater disagree on into why (of b); 1 when they do. */
static int rows_conflict(const struct parsed_row *a, struct parsed_row *b)
{
	const struct codes_checked *x = &a->c, *y = &b->c;
	if (x->code.dim && x->code.dim == y->code.dim &&
	    (x->code.cat != y->code.cat || x->code.sub != y->code.sub)) {
		char la[256], lb[256];
		tax_code_label(&x->code, la, sizeof(la));
		tax_code_label(&y->code, lb, sizeof(lb));
		complain(&b->why, "%s: '%s' conflicts with '%s' on line %ld", y->code.dim->key, lb,
		         la, a->line);
		return 1;
	}
	if (texts_differ(x->note, y->note)) {
		complain(&b->why, "note conflicts with the note on line %ld", a->line);
		return 1;
	}
	if ((x->reason && y->reason && x->reason != y->reason) ||
	    texts_differ(x->exclusion_note, y->exclusion_note)) {
		complain(&b->why, "exclusion conflicts with the exclusion on line %ld", a->line);
		return 1;
	}
	return 0;
}

/* Among rows of one issue and rater (in line order), finds what disagrees. */
static void check_group(struct parsed_row **g, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (rows_conflict(g[j], g[i]))
				break;
}

static void check_conflicts(struct import *im)
{
	struct parsed_row **good = xcalloc(im->nrows, sizeof(*good));
	size_t n = 0;
	for (size_t i = 0; i < im->nrows; i++)
		if (!im->rows[i].why.len)
			good[n++] = &im->rows[i];
	qsort(good, n, sizeof(*good), compare_rows);
	for (size_t start = 0, end; start < n; start = end) {
		for (end = start + 1; end < n && same_issue(good[start], good[end]) &&
		                      !strcmp(good[start]->c.rater, good[end]->c.rater);
		     end++)
			;
		check_group(good + start, end - start);
	}
	free(good);
}

/* --- reading and checking the whole file --- */

static int read_rows(struct import *im, FILE *f, struct error *err)
{
	struct csv_reader *r = csv_open(f, im->name);
	struct csv_record rec;
	int rc = csv_read(r, &rec, err);
	if (rc == 0)
		rc = error_set(err, "%s: empty file (a header is required: %s)", im->name,
		               COLUMN_LIST);
	else if (rc > 0)
		rc = check_header(im, &rec, err);
	while (rc == 0 && (rc = csv_read(r, &rec, err)) > 0) {
		xgrow((void **)&im->rows, &im->alloc, im->nrows + 1, sizeof(*im->rows));
		struct parsed_row *row = &im->rows[im->nrows++];
		memset(row, 0, sizeof(*row));
		rc = check_row(im, &rec, row, err);
	}
	csv_close(r);
	return rc < 0 ? -1 : 0;
}

static void collect_errors(struct import *im)
{
	struct codes_import_result *res = im->res;
	for (size_t i = 0; i < im->nrows; i++) {
		if (!im->rows[i].why.len)
			continue;
		res->errors = xrealloc(res->errors, (res->nerrors + 1) * sizeof(*res->errors));
		res->errors[res->nerrors].line = im->rows[i].line;
		res->errors[res->nerrors++].reason = strbuf_detach(&im->rows[i].why, NULL);
	}
}

/* --- writing --- */

static int create_minimal_issue(struct store *s, const struct issueref *ref, int64_t *id,
                                struct error *err)
{
	int64_t repo_id;
	if (store_repo_id(s, ref->repo, 1, &repo_id, err))
		return -1;
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT INTO issues (repo_id, number, title, stored_at) "
	                              "VALUES (?, ?, '', ?)",
	                              err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, repo_id);
	sqlite3_bind_int64(st, 2, ref->number);
	store_bind_text(st, 3, now);
	if (store_step_done(s, st, err))
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Makes sure the row's issue exists and is in the sample (earlier rows may have done it). */
static int place_issue(struct import *im, struct codes_checked *row, struct error *err)
{
	if (!row->issue_id) {
		if (store_issue_id(im->s, row->ref.repo, row->ref.number, &row->issue_id, err))
			return -1;
		if (!row->issue_id) {
			if (create_minimal_issue(im->s, &row->ref, &row->issue_id, err))
				return -1;
			im->res->issues_created++;
		}
	}
	if (set_has_member(im->s, im->set_id, row->issue_id, &row->in_sample, err))
		return -1;
	if (row->in_sample)
		return 0;
	im->res->members_added++;
	return set_add_member(im->s, im->set_id, row->issue_id, err);
}

static int write_code(struct import *im, struct codes_checked *row, int64_t rater,
                      struct error *err)
{
	struct tax_code old;
	int found;
	if (code_get(im->s, im->t, im->set_id, row->issue_id, rater, row->code.dim, &old, &found,
	             err))
		return -1;
	if (found && old.cat == row->code.cat && old.sub == row->code.sub) {
		im->res->codes_unchanged++;
		return 0;
	}
	if (found)
		im->res->codes_changed++;
	else
		im->res->codes_new++;
	return code_set(im->s, im->set_id, row->issue_id, rater, &row->code, "import", err);
}

static int write_note(struct import *im, struct codes_checked *row, int64_t rater,
                      struct error *err)
{
	char *old;
	if (note_get(im->s, im->set_id, row->issue_id, rater, &old, err))
		return -1;
	int same = old && !strcmp(old, row->note);
	free(old);
	if (same) {
		im->res->notes_unchanged++;
		return 0;
	}
	im->res->notes_set++;
	return note_set(im->s, im->set_id, row->issue_id, rater, row->note, "import", err);
}

static int write_exclusion(struct import *im, struct codes_checked *row, int64_t rater,
                           struct error *err)
{
	struct exclusion old;
	if (exclusion_get(im->s, im->t, im->set_id, row->issue_id, rater, &old, err))
		return -1;
	int same =
	        old.reason == row->reason &&
	        ((!old.detail && !row->exclusion_note) ||
	         (old.detail && row->exclusion_note && !strcmp(old.detail, row->exclusion_note)));
	exclusion_release(&old);
	if (same) {
		im->res->exclusions_unchanged++;
		return 0;
	}
	im->res->exclusions_set++;
	return exclusion_set(im->s, im->set_id, row->issue_id, rater, row->reason,
	                     row->exclusion_note, "import", err);
}

static int write_row(struct import *im, struct codes_checked *row, struct error *err)
{
	int64_t rater;
	if (place_issue(im, row, err) || rater_id(im->s, row->rater, 0, &rater, err))
		return -1;
	if (!rater) {
		if (rater_id(im->s, row->rater, 1, &rater, err))
			return -1;
		im->res->raters_created++;
	}
	if (row->code.dim && write_code(im, row, rater, err))
		return -1;
	if (row->note && write_note(im, row, rater, err))
		return -1;
	if (row->reason && write_exclusion(im, row, rater, err))
		return -1;
	return 0;
}

static int write_rows(struct import *im, struct error *err)
{
	if (store_begin(im->s, err))
		return -1;
	int rc = 0;
	if (!im->set_id) {
		char *origin = xstrfmt("codes import %s", im->name);
		rc = set_create(im->s, im->o->sample, "manual", origin, 0, 0, 0, &im->set_id, err);
		free(origin);
		im->res->sample_created = 1;
	}
	for (size_t i = 0; rc == 0 && i < im->nrows; i++)
		if (write_row(im, &im->rows[i].c, err))
			rc = error_prefix(err, "%s: line %ld", im->name, im->rows[i].line);
	if (rc == 0 && store_commit(im->s, err))
		rc = -1;
	if (rc)
		store_rollback(im->s);
	return rc;
}

static void free_rows(struct import *im)
{
	for (size_t i = 0; i < im->nrows; i++) {
		strbuf_release(&im->rows[i].why);
		codes_checked_release(&im->rows[i].c);
	}
	free(im->rows);
}

int codes_import(struct store *s, const struct taxonomy *t, FILE *f, const char *name,
                 const struct codes_import_options *o, struct codes_import_result *res,
                 struct error *err)
{
	memset(res, 0, sizeof(*res));
	struct import im = {s, t, o, name, 0, {0}, 0, NULL, 0, 0, res};
	if (set_find(s, o->sample, &im.set_id, err))
		return -1;
	if (!im.set_id && !o->add_to_sample)
		return error_set(err, "no sample named '%s' (--add-to-sample creates it)",
		                 o->sample);
	int rc = read_rows(&im, f, err);
	if (rc == 0) {
		res->rows = (long)im.nrows;
		check_conflicts(&im);
		collect_errors(&im);
		if (res->nerrors)
			rc = error_set(err, "%s: %zu bad row%s; nothing imported", name,
			               res->nerrors, res->nerrors == 1 ? "" : "s");
		else
			rc = write_rows(&im, err);
	}
	free_rows(&im);
	return rc;
}

void codes_import_result_release(struct codes_import_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++)
		free(res->errors[i].reason);
	free(res->errors);
	res->errors = NULL;
	res->nerrors = 0;
}

/* --- export --- */

struct export
{
	struct store *s;
	const struct taxonomy *t;
	int64_t set_id;
	struct codes_row *rows;
	size_t nrows, alloc;
};

static struct codes_row *new_row(struct export *ex, const char *issue, const char *rater)
{
	xgrow((void **)&ex->rows, &ex->alloc, ex->nrows + 1, sizeof(*ex->rows));
	struct codes_row *row = &ex->rows[ex->nrows++];
	memset(row, 0, sizeof(*row));
	row->issue = xstrdup(issue);
	row->rater = xstrdup(rater);
	return row;
}

/* The rows of one rater on one issue: a row per code, the note and exclusion on the first. */
static int export_issue_rater(struct export *ex, int64_t issue_id, const char *issue, int64_t rater,
                              const char *rater_name, struct error *err)
{
	char *note;
	struct exclusion x;
	if (note_get(ex->s, ex->set_id, issue_id, rater, &note, err))
		return -1;
	if (exclusion_get(ex->s, ex->t, ex->set_id, issue_id, rater, &x, err)) {
		free(note);
		return -1;
	}
	size_t first = ex->nrows;
	for (size_t d = 0; d < ex->t->ndims; d++) {
		struct tax_code code;
		int found;
		if (code_get(ex->s, ex->t, ex->set_id, issue_id, rater, &ex->t->dims[d], &code,
		             &found, err)) {
			free(note);
			exclusion_release(&x);
			return -1;
		}
		if (!found)
			continue;
		struct codes_row *row = new_row(ex, issue, rater_name);
		row->dimension = xstrdup(code.dim->key);
		row->category = xstrdup(code.cat->key);
		row->subcategory = code.sub ? xstrdup(code.sub->key) : NULL;
	}
	if ((note || x.reason) && ex->nrows == first)
		new_row(ex, issue, rater_name);
	if (note)
		ex->rows[first].note = note;
	if (x.reason) {
		ex->rows[first].exclusion = xstrdup(x.reason->key);
		ex->rows[first].exclusion_note = x.detail;
		x.detail = NULL;
	}
	exclusion_release(&x);
	return 0;
}

int codes_export(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t rater_id,
                 struct codes_row **rows, size_t *nrows, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT i.id, r.full_name || '#' || i.number, ra.id, ra.name "
	        "FROM set_members sm JOIN issues i ON i.id = sm.issue_id "
	        "JOIN repositories r ON r.id = i.repo_id JOIN raters ra "
	        "WHERE sm.set_id = ?1 AND (?2 = 0 OR ra.id = ?2) AND ("
	        " EXISTS (SELECT 1 FROM codes c WHERE c.set_id = ?1 AND c.issue_id = i.id "
	        "  AND c.rater_id = ra.id) OR"
	        " EXISTS (SELECT 1 FROM notes n WHERE n.set_id = ?1 AND n.issue_id = i.id "
	        "  AND n.rater_id = ra.id) OR"
	        " EXISTS (SELECT 1 FROM exclusions x WHERE x.set_id = ?1 AND x.issue_id = i.id "
	        "  AND x.rater_id = ra.id)) "
	        "ORDER BY sm.position, ra.name",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	/* Collect the pairs first: code_get and note_get use the statement cache too. */
	struct pair {
		int64_t issue_id, rater_id;
		char *issue, *rater;
	} *pairs = NULL;
	size_t npairs = 0, alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&pairs, &alloc, npairs + 1, sizeof(*pairs));
		pairs[npairs].issue_id = sqlite3_column_int64(st, 0);
		pairs[npairs].issue = xstrdup((const char *)sqlite3_column_text(st, 1));
		pairs[npairs].rater_id = sqlite3_column_int64(st, 2);
		pairs[npairs++].rater = xstrdup((const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	struct export ex = {s, t, set_id, NULL, 0, 0};
	int failed = rc != SQLITE_DONE ? store_error(s, err, "reading codes") : 0;
	for (size_t i = 0; i < npairs; i++) {
		if (!failed)
			failed = export_issue_rater(&ex, pairs[i].issue_id, pairs[i].issue,
			                            pairs[i].rater_id, pairs[i].rater, err);
		free(pairs[i].issue);
		free(pairs[i].rater);
	}
	free(pairs);
	if (failed) {
		codes_rows_free(ex.rows, ex.nrows);
		return -1;
	}
	*rows = ex.rows;
	*nrows = ex.nrows;
	return 0;
}

void codes_rows_free(struct codes_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].issue);
		free(rows[i].rater);
		free(rows[i].dimension);
		free(rows[i].category);
		free(rows[i].subcategory);
		free(rows[i].note);
		free(rows[i].exclusion);
		free(rows[i].exclusion_note);
	}
	free(rows);
}
