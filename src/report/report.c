/*
 * report.c - a coded sample loaded for reporting, and its distribution,
 * joint and over-time grids (see report.h). The release attribution is in
 * report_release.c.
 */
#include "report.h"
#include "sets.h"
#include "tax_version.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const dim_keys[REPORT_NDIMS] = {"symptom", "location", "cause"};

/* --- loading --- */

void report_data_free(struct report_data *d)
{
	if (!d)
		return;
	tax_free(d->tax);
	free(d->sample);
	free(d->rater);
	for (size_t i = 0; i < d->nrepos; i++)
		free(d->repos[i]);
	free(d->repos);
	free(d->issues);
	for (size_t i = 0; i < d->nexcluded; i++) {
		free(d->excluded[i].issue);
		free(d->excluded[i].title);
		free(d->excluded[i].detail);
	}
	free(d->excluded);
	free(d->versions);
	free(d);
}

/* Raters who coded the set, "name" joined by ", " into names; *only gets the id if just one. */
static int coding_raters(struct store *s, int64_t set_id, struct strbuf *names, long *count,
                         int64_t *only, char **only_name, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT r.id, r.name FROM raters r WHERE r.id IN "
	                   "(SELECT rater_id FROM codes WHERE set_id = ?1 UNION "
	                   "SELECT rater_id FROM exclusions WHERE set_id = ?1) ORDER BY r.name",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int rc;
	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		strbuf_addf(names, "%s%s", (*count)++ ? ", " : "", name);
		*only = sqlite3_column_int64(st, 0);
		free(*only_name);
		*only_name = xstrdup(name);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int rater_has_codes(struct store *s, int64_t set_id, const char *name, int64_t *id,
                           struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT r.id FROM raters r WHERE r.name = ?1 AND (EXISTS "
	                              "(SELECT 1 FROM codes c WHERE c.rater_id = r.id AND "
	                              "c.set_id = ?2) OR EXISTS (SELECT 1 FROM exclusions x "
	                              "WHERE x.rater_id = r.id AND x.set_id = ?2))",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, set_id);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* Picks the rater: the one named, or the only one who coded the sample. */
static int pick_rater(struct store *s, const struct report_options *o, int64_t set_id,
                      struct report_data *d, int64_t *rater, struct error *err)
{
	struct strbuf names = STRBUF_INIT;
	long count;
	char *only_name = NULL;
	int rc = coding_raters(s, set_id, &names, &count, rater, &only_name, err);
	if (!rc && count == 0)
		rc = error_set(err,
		               "sample '%s' has no codes yet (see 'issuemine label' and "
		               "'issuemine code')",
		               o->sample);
	if (!rc && o->rater) {
		rc = rater_has_codes(s, set_id, o->rater, rater, err);
		if (!rc && !*rater)
			rc = error_set(err, "rater '%s' has no codes in sample '%s' (raters: %s)",
			               o->rater, o->sample, names.buf);
		if (!rc)
			d->rater = xstrdup(o->rater);
	} else if (!rc && count > 1) {
		rc = error_set(err,
		               "sample '%s' was coded by several raters (%s): choose one with "
		               "--rater",
		               o->sample, names.buf);
	} else if (!rc) {
		d->rater = only_name;
		only_name = NULL;
	}
	free(only_name);
	strbuf_release(&names);
	return rc;
}

/* The taxonomy of the rater's codes in the set (or the one named). */
static int pick_taxonomy(struct store *s, const struct report_options *o, int64_t set_id,
                         int64_t rater, struct report_data *d, struct error *err)
{
	if (o->taxonomy)
		return tax_read(s, o->taxonomy, &d->tax, err);
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT DISTINCT t.name FROM codes c JOIN dimensions d ON "
	                              "d.id = c.dimension_id JOIN taxonomies t ON t.id = "
	                              "d.taxonomy_id WHERE c.set_id = ?1 AND c.rater_id = ?2 "
	                              "UNION SELECT t.name FROM exclusions x JOIN "
	                              "exclusion_reasons er ON er.id = x.reason_id JOIN "
	                              "taxonomies t ON t.id = er.taxonomy_id WHERE x.set_id = ?1 "
	                              "AND x.rater_id = ?2 ORDER BY 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater);
	struct strbuf names = STRBUF_INIT;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strbuf_addf(&names, "%s%s", n++ ? ", " : "", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = store_error(s, err, NULL);
	else if (n > 1)
		rc = error_set(err, "the codes use several taxonomies (%s): choose with --taxonomy",
		               names.buf);
	else
		rc = tax_read(s, names.buf, &d->tax, err);
	strbuf_release(&names);
	return rc;
}

static int in_window(const char *created, const struct report_options *o)
{
	if (!o->from && !o->to)
		return 1;
	if (!*created)
		return 0;
	if (o->from && strncmp(created, o->from, 10) < 0)
		return 0;
	if (o->to && strncmp(created, o->to, 10) > 0)
		return 0;
	return 1;
}

static size_t repo_index(struct report_data *d, size_t *alloc, const char *name)
{
	for (size_t i = 0; i < d->nrepos; i++)
		if (!strcmp(d->repos[i], name))
			return i;
	xgrow((void **)&d->repos, alloc, d->nrepos + 1, sizeof(char *));
	d->repos[d->nrepos] = xstrdup(name);
	return d->nrepos++;
}

/* Keeps an issue the rater excluded (columns 0-2 of load_issues' row, then 4-6) apart. */
static void add_excluded(struct report_data *d, size_t *alloc, sqlite3_stmt *st)
{
	xgrow((void **)&d->excluded, alloc, d->nexcluded + 1, sizeof(*d->excluded));
	struct report_exclusion *x = &d->excluded[d->nexcluded++];
	x->id = sqlite3_column_int64(st, 0);
	x->issue = xstrfmt("%s#%lld", (const char *)sqlite3_column_text(st, 1),
	                   (long long)sqlite3_column_int64(st, 2));
	x->reason = tax_reason_by_id(d->tax, sqlite3_column_int64(st, 4));
	x->detail = store_column_dup(st, 5);
	x->title = store_column_dup(st, 6);
}

static int load_issues(struct store *s, int64_t set_id, int64_t rater,
                       const struct report_options *o, struct report_data *d, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT i.id, r.full_name, i.number, i.created_at, "
	                              "x.reason_id, x.detail, i.title FROM set_members m "
	                              "JOIN issues i ON i.id = m.issue_id JOIN "
	                              "repositories r ON r.id = i.repo_id LEFT JOIN exclusions x "
	                              "ON x.set_id = m.set_id AND x.issue_id = m.issue_id AND "
	                              "x.rater_id = ?2 WHERE m.set_id = ?1 ORDER BY m.position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater);
	size_t alloc = 0, repos_alloc = 0, excluded_alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *created = (const char *)sqlite3_column_text(st, 3);
		if (!in_window(created ? created : "", o)) {
			d->outside_window++;
			continue;
		}
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			add_excluded(d, &excluded_alloc, st);
			continue;
		}
		xgrow((void **)&d->issues, &alloc, d->nissues + 1, sizeof(*d->issues));
		struct report_issue *is = &d->issues[d->nissues++];
		memset(is, 0, sizeof(*is));
		is->id = sqlite3_column_int64(st, 0);
		is->repo = repo_index(d, &repos_alloc, (const char *)sqlite3_column_text(st, 1));
		is->number = sqlite3_column_int64(st, 2);
		snprintf(is->created, sizeof(is->created), "%s", created ? created : "");
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* Repositories in name order (case-insensitive), and the issues' indices to match. */
static void sort_repos(struct report_data *d)
{
	size_t *rank = xcalloc(d->nrepos + 1, sizeof(size_t));
	char **sorted = xcalloc(d->nrepos + 1, sizeof(char *));
	for (size_t i = 0; i < d->nrepos; i++) {
		size_t r = 0;
		for (size_t j = 0; j < d->nrepos; j++) {
			int cmp = strcasecmp(d->repos[j], d->repos[i]);
			if (cmp < 0 || (cmp == 0 && j < i))
				r++;
		}
		rank[i] = r;
		sorted[r] = d->repos[i];
	}
	for (size_t i = 0; i < d->nissues; i++)
		d->issues[i].repo = rank[d->issues[i].repo];
	free(d->repos);
	d->repos = sorted;
	free(rank);
}

struct issue_index {
	int64_t id;
	size_t at;
};

static int compare_index(const void *a, const void *b)
{
	const struct issue_index *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct report_issue *find_issue(struct report_data *d, const struct issue_index *index,
                                       int64_t id)
{
	struct issue_index key = {id, 0};
	const struct issue_index *hit =
	        bsearch(&key, index, d->nissues, sizeof(*index), compare_index);
	return hit ? &d->issues[hit->at] : NULL;
}

/*
 * Sets the issue's code in dimension dim_id. A category that is not a
 * top-level category of the dimension, or a sub-category not under it, is
 * refused: the grids have no line to count it under.
 */
static int apply_code(struct report_data *d, struct report_issue *is, int64_t dim_id,
                      int64_t cat_id, int64_t sub_id, struct error *err)
{
	for (int k = 0; k < REPORT_NDIMS; k++) {
		const struct tax_dimension *dim = d->dims[k];
		if (!dim || dim->id != dim_id)
			continue;
		const struct tax_category *cat = tax_category_by_id(dim, cat_id);
		const struct tax_category *sub = sub_id ? tax_category_by_id(dim, sub_id) : NULL;
		if (!cat || cat->parent)
			return error_set(
			        err,
			        "%s#%lld: the code in dimension '%s' names category id %lld, "
			        "which is not a category of it in taxonomy %s",
			        d->repos[is->repo], (long long)is->number, dim->key,
			        (long long)cat_id, d->tax->name);
		if (sub_id && (!sub || sub->parent != cat))
			return error_set(
			        err,
			        "%s#%lld: the code in dimension '%s' names sub-category id "
			        "%lld, which is not under %s in taxonomy %s",
			        d->repos[is->repo], (long long)is->number, dim->key,
			        (long long)sub_id, cat->name, d->tax->name);
		is->cat[k] = cat;
		is->sub[k] = sub;
	}
	return 0;
}

static int load_codes(struct store *s, int64_t set_id, int64_t rater, struct report_data *d,
                      struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id, dimension_id, category_id, subcategory_id "
	                              "FROM codes WHERE set_id = ? AND rater_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater);
	struct issue_index *index = xcalloc(d->nissues + 1, sizeof(*index));
	for (size_t i = 0; i < d->nissues; i++)
		index[i] = (struct issue_index){d->issues[i].id, i};
	qsort(index, d->nissues, sizeof(*index), compare_index);
	int rc, failed = 0;
	while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Issues outside the window are not loaded; their codes are skipped. */
		struct report_issue *is = find_issue(d, index, sqlite3_column_int64(st, 0));
		if (is)
			failed = apply_code(d, is, sqlite3_column_int64(st, 1),
			                    sqlite3_column_int64(st, 2),
			                    sqlite3_column_int64(st, 3), err) != 0;
	}
	sqlite3_reset(st);
	free(index);
	if (failed)
		return -1;
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

int report_load(struct store *s, const struct report_options *o, struct report_data **out,
                struct error *err)
{
	struct report_data *d = xcalloc(1, sizeof(*d));
	int64_t set_id = 0, rater = 0;
	d->sample = xstrdup(o->sample);
	int rc = set_find(s, o->sample, &set_id, err);
	if (!rc && !set_id)
		rc = error_set(err, "no sample named '%s'", o->sample);
	if (!rc)
		rc = pick_rater(s, o, set_id, d, &rater, err);
	d->set_id = set_id;
	d->rater_id = rater;
	if (!rc)
		rc = pick_taxonomy(s, o, set_id, rater, d, err);
	for (int k = 0; !rc && k < REPORT_NDIMS; k++)
		d->dims[k] = tax_find_dimension(d->tax, dim_keys[k]);
	if (!rc)
		rc = load_issues(s, set_id, rater, o, d, err);
	if (!rc) {
		sort_repos(d);
		rc = load_codes(s, set_id, rater, d, err) ||
		     tax_versions_of_codes(s, set_id, &rater, 1, d->tax->id, &d->versions,
		                           &d->nversions, err);
	}
	if (rc) {
		report_data_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* --- grids --- */

long *report_grid_cell(const struct report_grid *g, size_t r, size_t group, size_t c)
{
	size_t ngroups = g->ngroups ? g->ngroups : 1;
	return &g->counts[(r * ngroups + group) * g->ncols + c];
}

static void free_lines(struct report_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(lines[i].label);
		free(lines[i].sub);
	}
	free(lines);
}

void report_grid_free(struct report_grid *g)
{
	if (!g)
		return;
	free(g->name);
	free(g->title);
	free(g->note);
	free_lines(g->rows, g->nrows);
	free_lines(g->groups, g->ngroups);
	free(g->counts);
	free(g);
}

/*
 * An axis: the lines (rows or column groups) one dimension is counted
 * under, in display order, ending with "(uncoded)".
 */
struct axis {
	enum report_dim dim;
	int with_subs;
	struct report_line *lines;
	size_t n, alloc;
	size_t others;  /* index of "Other", or (size_t)-1 */
	size_t uncoded; /* index of "(uncoded)" */
	char *binned;   /* names of the categories in "Other", or NULL */
};

static struct report_line *axis_add(struct axis *a, enum report_kind kind, const char *label,
                                    const char *sub)
{
	xgrow((void **)&a->lines, &a->alloc, a->n + 1, sizeof(*a->lines));
	struct report_line *l = &a->lines[a->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->label = xstrdup(label);
	l->sub = sub ? xstrdup(sub) : NULL;
	return l;
}

/* Whether some issue has category c without a sub-category. */
static int has_parent_only(const struct report_data *d, enum report_dim dim,
                           const struct tax_category *c)
{
	for (size_t i = 0; i < d->nissues; i++)
		if (d->issues[i].cat[dim] == c && !d->issues[i].sub[dim])
			return 1;
	return 0;
}

static void axis_add_category(struct axis *a, const struct report_data *d,
                              const struct tax_category *c)
{
	const struct tax_dimension *dim = d->dims[a->dim];
	if (!a->with_subs || c->nsubs == 0) {
		axis_add(a, REPORT_LINE_CATEGORY, c->name, a->with_subs ? "" : NULL)->cat = c;
		return;
	}
	for (size_t i = 0; i < c->nsubs; i++) {
		struct report_line *l = axis_add(a, REPORT_LINE_CATEGORY, c->name, c->subs[i].name);
		l->cat = c;
		l->subcat = &c->subs[i];
	}
	/* Required sub-categories leave no parent-only codes, unless coded before the rule. */
	if (dim->sub_rule != TAX_SUB_REQUIRED || has_parent_only(d, a->dim, c))
		axis_add(a, REPORT_LINE_CATEGORY, c->name, "(unspecified)")->cat = c;
}

static size_t category_index(const struct tax_dimension *dim, const struct tax_category *c)
{
	return c ? (size_t)(c - dim->cats) : dim->ncats;
}

struct ranked_cat {
	size_t index;
	long count;
};

static int compare_ranked(const void *a, const void *b)
{
	const struct ranked_cat *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Categories ranked by how many issues have them (ties in taxonomy order). */
static struct ranked_cat *rank_categories(const struct report_data *d, enum report_dim dim)
{
	const struct tax_dimension *td = d->dims[dim];
	struct ranked_cat *r = xcalloc(td->ncats + 1, sizeof(*r));
	for (size_t i = 0; i < td->ncats; i++)
		r[i].index = i;
	for (size_t i = 0; i < d->nissues; i++) {
		size_t c = category_index(td, d->issues[i].cat[dim]);
		if (c < td->ncats)
			r[c].count++;
	}
	qsort(r, td->ncats, sizeof(*r), compare_ranked);
	return r;
}

static void axis_build(const struct report_data *d, enum report_dim dim, int with_subs, size_t top,
                       struct axis *a)
{
	const struct tax_dimension *td = d->dims[dim];
	memset(a, 0, sizeof(*a));
	a->dim = dim;
	a->with_subs = with_subs;
	a->others = (size_t)-1;
	if (top == 0 || top >= td->ncats) {
		for (size_t i = 0; i < td->ncats; i++)
			axis_add_category(a, d, &td->cats[i]);
	} else {
		struct ranked_cat *r = rank_categories(d, dim);
		char *in_other = xcalloc(td->ncats, 1);
		for (size_t i = 0; i < td->ncats; i++) {
			if (i < top)
				axis_add_category(a, d, &td->cats[r[i].index]);
			else
				in_other[r[i].index] = 1;
		}
		struct strbuf names = STRBUF_INIT;
		for (size_t i = 0; i < td->ncats; i++)
			if (in_other[i])
				strbuf_addf(&names, "%s%s", names.len ? ", " : "",
				            td->cats[i].name);
		a->binned = strbuf_detach(&names, NULL);
		a->others = a->n;
		axis_add(a, REPORT_LINE_OTHERS, "Other", with_subs ? "" : NULL);
		free(in_other);
		free(r);
	}
	a->uncoded = a->n;
	axis_add(a, REPORT_LINE_UNCODED, "(uncoded)", with_subs ? "" : NULL);
}

/* The line an issue counts under; every issue has one (others exists when lines are binned). */
static size_t axis_line_of(const struct axis *a, const struct report_issue *is)
{
	const struct tax_category *cat = is->cat[a->dim], *sub = is->sub[a->dim];
	if (!cat)
		return a->uncoded;
	for (size_t i = 0; i < a->n; i++) {
		const struct report_line *l = &a->lines[i];
		if (l->kind != REPORT_LINE_CATEGORY || l->cat != cat)
			continue;
		if (!a->with_subs || cat->nsubs == 0 || l->subcat == sub)
			return i;
	}
	return a->others;
}

/* Frees what the axis still owns once its lines have moved into a grid. */
static void axis_release(struct axis *a)
{
	free(a->binned);
}

/* Moves the axis's lines into a grid's array, adding a final "Total" line. */
static struct report_line *axis_take_lines(struct axis *a, size_t *n, int with_total)
{
	if (with_total)
		axis_add(a, REPORT_LINE_TOTAL, "Total", a->with_subs ? "" : NULL);
	*n = a->n;
	struct report_line *lines = a->lines;
	a->lines = NULL;
	a->n = a->alloc = 0;
	return lines;
}

static int need_dimension(const struct report_data *d, enum report_dim dim, struct error *err)
{
	if (d->dims[dim])
		return 0;
	return error_set(err, "taxonomy %s has no dimension '%s'", d->tax->name, dim_keys[dim]);
}

static char *lowercase(const char *s)
{
	char *out = xstrdup(s);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static struct report_grid *grid_new(const char *name, const char *title, size_t nrepos)
{
	struct report_grid *g = xcalloc(1, sizeof(*g));
	g->name = xstrdup(name);
	g->title = xstrdup(title);
	g->ncols = nrepos + 1;
	return g;
}

static void grid_alloc_counts(struct report_grid *g)
{
	size_t ngroups = g->ngroups ? g->ngroups : 1;
	g->counts = xcalloc(g->nrows * ngroups * g->ncols + 1, sizeof(long));
}

/* Adds one to the cell and to the totals of its row, its column and its group. */
static void grid_count(struct report_grid *g, size_t row, size_t group, size_t repo)
{
	size_t total_row = g->nrows - 1, total_col = g->ncols - 1;
	size_t total_group = g->ngroups ? g->ngroups - 1 : 0;
	size_t rows[2] = {row, total_row}, groups[2] = {group, total_group};
	size_t cols[2] = {repo, total_col};
	for (int r = 0; r < 2; r++)
		for (int gi = 0; gi < (g->ngroups ? 2 : 1); gi++)
			for (int c = 0; c < 2; c++)
				(*report_grid_cell(g, rows[r], groups[gi], cols[c]))++;
}

/* Removes row r (the counts of the rows below move up). */
static void grid_remove_row(struct report_grid *g, size_t r)
{
	size_t per_row = (g->ngroups ? g->ngroups : 1) * g->ncols;
	free(g->rows[r].label);
	free(g->rows[r].sub);
	memmove(&g->rows[r], &g->rows[r + 1], (g->nrows - r - 1) * sizeof(*g->rows));
	memmove(&g->counts[r * per_row], &g->counts[(r + 1) * per_row],
	        (g->nrows - r - 1) * per_row * sizeof(long));
	g->nrows--;
}

static void grid_remove_group(struct report_grid *g, size_t group)
{
	size_t old = g->ngroups;
	long *counts = xcalloc(g->nrows * (old - 1) * g->ncols + 1, sizeof(long));
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t gi = 0, to = 0; gi < old; gi++) {
			if (gi == group)
				continue;
			memcpy(&counts[(r * (old - 1) + to) * g->ncols],
			       &g->counts[(r * old + gi) * g->ncols], g->ncols * sizeof(long));
			to++;
		}
	free(g->counts);
	g->counts = counts;
	free(g->groups[group].label);
	free(g->groups[group].sub);
	memmove(&g->groups[group], &g->groups[group + 1], (old - group - 1) * sizeof(*g->groups));
	g->ngroups--;
}

static int row_is_empty(const struct report_grid *g, size_t r)
{
	for (size_t gi = 0; gi < (g->ngroups ? g->ngroups : 1); gi++)
		if (*report_grid_cell(g, r, gi, g->ncols - 1))
			return 0;
	return 1;
}

static int group_is_empty(const struct report_grid *g, size_t group)
{
	return *report_grid_cell(g, g->nrows - 1, group, g->ncols - 1) == 0;
}

static void add_note(struct report_grid *g, const char *fmt, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	if (g->note)
		strbuf_addf(&sb, "%s; ", g->note);
	strbuf_addf(&sb, fmt, what);
	free(g->note);
	g->note = strbuf_detach(&sb, NULL);
}

static void set_row_keys(struct report_grid *g, const struct tax_dimension *dim, int with_subs)
{
	g->row_key = dim->key;
	g->row_title = dim->name;
	if (with_subs) {
		g->sub_key = "subcategory";
		g->sub_title = "Sub-category";
	}
}

static const char *dist_titles[REPORT_NDIMS] = {"Failure symptoms", "Failure locations",
                                                "Failure causes"};

int report_distribution(const struct report_data *d, enum report_dim dim, int with_subs, size_t top,
                        int hide_empty_uncoded, struct report_grid **out, struct error *err)
{
	if (need_dimension(d, dim, err))
		return -1;
	struct axis a;
	axis_build(d, dim, with_subs, top, &a);
	char *title = with_subs ? xstrfmt("%s and sub-categories", dist_titles[dim])
	                        : xstrdup(dist_titles[dim]);
	char *name = with_subs ? xstrfmt("sub%ss", dim_keys[dim]) : xstrfmt("%ss", dim_keys[dim]);
	struct report_grid *g = grid_new(name, title, d->nrepos);
	free(title);
	free(name);
	set_row_keys(g, d->dims[dim], with_subs);
	g->shares = 1;
	size_t uncoded = a.uncoded;
	if (a.binned)
		add_note(g, "Other: %s", a.binned);
	/* Counting needs the axis lookup; take the lines afterwards. */
	size_t *line_of = xcalloc(d->nissues + 1, sizeof(size_t));
	for (size_t i = 0; i < d->nissues; i++)
		line_of[i] = axis_line_of(&a, &d->issues[i]);
	g->rows = axis_take_lines(&a, &g->nrows, 1);
	grid_alloc_counts(g);
	for (size_t i = 0; i < d->nissues; i++)
		grid_count(g, line_of[i], 0, d->issues[i].repo);
	if (hide_empty_uncoded && row_is_empty(g, uncoded))
		grid_remove_row(g, uncoded);
	free(line_of);
	axis_release(&a);
	*out = g;
	return 0;
}

/* Says what a joint grid's "Other" of dimension dim holds ("Other cause: Typo, ..."). */
static void note_binned(struct report_grid *g, const struct tax_dimension *dim, const char *binned)
{
	if (!binned)
		return;
	char *label = lowercase(dim->name);
	char *fmt = xstrfmt("Other %s: %%s", label);
	add_note(g, fmt, binned);
	free(fmt);
	free(label);
}

static const char *joint_titles[REPORT_NDIMS] = {"symptom", "location", "cause"};

int report_joint(const struct report_data *d, enum report_dim row_dim, enum report_dim col_dim,
                 size_t top_rows, size_t top_cols, int hide_empty_uncoded, struct report_grid **out,
                 struct error *err)
{
	if (need_dimension(d, row_dim, err) || need_dimension(d, col_dim, err))
		return -1;
	struct axis rows, cols;
	axis_build(d, row_dim, 0, top_rows, &rows);
	axis_build(d, col_dim, 0, top_cols, &cols);
	char *name = xstrfmt("%s-%s", dim_keys[row_dim], dim_keys[col_dim]);
	char *title = xstrfmt("%s by %s", dist_titles[row_dim], joint_titles[col_dim]);
	struct report_grid *g = grid_new(name, title, d->nrepos);
	free(name);
	free(title);
	set_row_keys(g, d->dims[row_dim], 0);
	g->group_key = d->dims[col_dim]->key;
	g->group_title = d->dims[col_dim]->name;
	note_binned(g, d->dims[row_dim], rows.binned);
	note_binned(g, d->dims[col_dim], cols.binned);
	size_t *row_of = xcalloc(d->nissues + 1, sizeof(size_t));
	size_t *col_of = xcalloc(d->nissues + 1, sizeof(size_t));
	for (size_t i = 0; i < d->nissues; i++) {
		row_of[i] = axis_line_of(&rows, &d->issues[i]);
		col_of[i] = axis_line_of(&cols, &d->issues[i]);
	}
	size_t uncoded_row = rows.uncoded, uncoded_col = cols.uncoded;
	g->rows = axis_take_lines(&rows, &g->nrows, 1);
	g->groups = axis_take_lines(&cols, &g->ngroups, 1);
	grid_alloc_counts(g);
	for (size_t i = 0; i < d->nissues; i++)
		grid_count(g, row_of[i], col_of[i], d->issues[i].repo);
	if (hide_empty_uncoded && group_is_empty(g, uncoded_col))
		grid_remove_group(g, uncoded_col);
	if (hide_empty_uncoded && row_is_empty(g, uncoded_row))
		grid_remove_row(g, uncoded_row);
	free(row_of);
	free(col_of);
	axis_release(&rows);
	axis_release(&cols);
	*out = g;
	return 0;
}

/* --- causes chosen by the user --- */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

static int parse_one_cause(const struct tax_dimension *dim, char *word, struct report_cause *out,
                           struct error *err)
{
	char *slash = strchr(word, '/');
	if (slash)
		*slash = '\0';
	char *cat = trim(word), *sub = slash ? trim(slash + 1) : NULL;
	out->cat = tax_find_category(dim, cat);
	out->sub = NULL;
	if (!out->cat) {
		struct strbuf valid = STRBUF_INIT;
		for (size_t i = 0; i < dim->ncats; i++)
			strbuf_addf(&valid, "%s%s", i ? ", " : "", dim->cats[i].name);
		error_set(err, "--causes: no cause '%s' (valid: %s)", cat, valid.buf);
		strbuf_release(&valid);
		return -1;
	}
	if (sub && *sub) {
		out->sub = tax_find_subcategory(out->cat, sub);
		if (!out->sub)
			return error_set(err, "--causes: %s has no sub-category '%s'",
			                 out->cat->name, sub);
	}
	return 0;
}

int report_parse_causes(const struct report_data *d, const char *list, struct report_cause **out,
                        size_t *n, struct error *err)
{
	if (need_dimension(d, REPORT_CAUSE, err))
		return -1;
	char *copy = xstrdup(list), *save = NULL;
	struct report_cause *causes = NULL;
	size_t count = 0, alloc = 0;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
		if (!*trim(w))
			continue;
		xgrow((void **)&causes, &alloc, count + 1, sizeof(*causes));
		rc = parse_one_cause(d->dims[REPORT_CAUSE], w, &causes[count++], err);
	}
	if (!rc && count == 0)
		rc = error_set(err, "--causes: no cause given");
	free(copy);
	if (rc) {
		free(causes);
		return -1;
	}
	*out = causes;
	*n = count;
	return 0;
}

int report_issue_has_cause(const struct report_issue *is, const struct report_cause *causes,
                           size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is->cat[REPORT_CAUSE] == causes[i].cat &&
		    (!causes[i].sub || is->sub[REPORT_CAUSE] == causes[i].sub))
			return 1;
	return 0;
}

/* --- quarters --- */

/* Year and quarter of "YYYY-MM-..." as one number (year * 4 + quarter - 1); -1 if not a date. */
static long quarter_number(const char *date)
{
	if (!date || strlen(date) < 7 || !isdigit((unsigned char)date[0]))
		return -1;
	long year = strtol(date, NULL, 10), month = strtol(date + 5, NULL, 10);
	if (month < 1 || month > 12)
		return -1;
	return year * 4 + (month - 1) / 3;
}

void report_quarters(const struct report_data *d, const char *from, const char *to,
                     const struct report_cause *causes, size_t ncauses, struct report_quarters *out)
{
	memset(out, 0, sizeof(*out));
	out->nrepos = d->nrepos;
	long first = quarter_number(from), last = quarter_number(to);
	long lo = -1, hi = -1;
	for (size_t i = 0; i < d->nissues; i++) {
		long q = quarter_number(d->issues[i].created);
		if (q < 0) {
			out->undated++;
			continue;
		}
		lo = lo < 0 || q < lo ? q : lo;
		hi = q > hi ? q : hi;
	}
	if (first < 0)
		first = lo;
	if (last < 0)
		last = hi;
	if (first < 0 || last < first)
		return;
	out->n = (size_t)(last - first + 1);
	out->year = xcalloc(out->n, sizeof(int));
	out->quarter = xcalloc(out->n, sizeof(int));
	out->all = xcalloc(out->n * (d->nrepos + 1), sizeof(long));
	out->selected = xcalloc(out->n * (d->nrepos + 1), sizeof(long));
	for (size_t i = 0; i < out->n; i++) {
		out->year[i] = (int)((first + (long)i) / 4);
		out->quarter[i] = (int)((first + (long)i) % 4) + 1;
	}
	for (size_t i = 0; i < d->nissues; i++) {
		long q = quarter_number(d->issues[i].created);
		if (q < first || q > last)
			continue;
		size_t at = (size_t)(q - first) * d->nrepos + d->issues[i].repo;
		out->all[at]++;
		if (causes && report_issue_has_cause(&d->issues[i], causes, ncauses))
			out->selected[at]++;
	}
}

void report_quarters_free(struct report_quarters *q)
{
	free(q->year);
	free(q->quarter);
	free(q->all);
	free(q->selected);
	memset(q, 0, sizeof(*q));
}

/* Fills the "new" and "cumulative" groups from counts (quarter x repository). */
static void over_time_count(struct report_grid *g, const struct report_quarters *q,
                            const long *counts)
{
	size_t nrepos = q->nrepos;
	for (size_t c = 0; c <= nrepos; c++) {
		long running = 0;
		for (size_t i = 0; i < q->n; i++) {
			long v = 0;
			for (size_t r = 0; r < nrepos; r++)
				if (c == nrepos || c == r)
					v += counts[i * nrepos + r];
			running += v;
			*report_grid_cell(g, i, 0, c) = v;
			*report_grid_cell(g, i, 1, c) = running;
		}
		*report_grid_cell(g, q->n, 0, c) = running;
		*report_grid_cell(g, q->n, 1, c) = running;
	}
}

struct report_grid *report_over_time(const struct report_data *d, const struct report_quarters *q,
                                     const char *restrict_label)
{
	struct report_grid *g =
	        grid_new("over-time", "Failures per quarter of creation", d->nrepos);
	g->row_key = "quarter";
	g->row_title = "Quarter";
	g->group_key = "count";
	g->group_title = ""; /* the groups, "new" and "cumulative", say enough */
	if (restrict_label)
		add_note(g, "causes: %s", restrict_label);
	if (q->undated) {
		char n[32];
		snprintf(n, sizeof(n), "%ld", q->undated);
		add_note(g, "%s issues without a creation time are not counted", n);
	}
	g->nrows = q->n + 1;
	g->rows = xcalloc(g->nrows, sizeof(*g->rows));
	for (size_t i = 0; i < q->n; i++) {
		g->rows[i].kind = REPORT_LINE_CATEGORY;
		g->rows[i].label = xstrfmt("%dQ%d", q->year[i], q->quarter[i]);
	}
	g->rows[q->n].kind = REPORT_LINE_TOTAL;
	g->rows[q->n].label = xstrdup("Total");
	g->ngroups = 2;
	g->groups = xcalloc(2, sizeof(*g->groups));
	g->groups[0].label = xstrdup("new");
	g->groups[1].label = xstrdup("cumulative");
	grid_alloc_counts(g);
	over_time_count(g, q, restrict_label ? q->selected : q->all);
	return g;
}
