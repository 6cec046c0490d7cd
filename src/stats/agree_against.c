/*
 * agree_against.c - a rater against the humans and their consensus, by
 * confidence (see agree_against.h).
 *
 * Like agree.c, the codes are read once into a grid: per member of the
 * sample, per dimension (and one more column, the decision on exclusion)
 * and per side (the rater, each human, the consensus rater if any), the
 * index of the class coded or NO_CODE; beside it the rater's confidence per
 * member and dimension. Every comparison is then one pass over the grid
 * filling a k x k table per confidence bin.
 */
#include "agree_against.h"
#include "agree_read.h"
#include "ids.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_CODE (-1)

struct grid {
	const struct taxonomy *t;
	const struct against_options *o;
	size_t ndims;  /* t->ndims + 1: the exclusion column last */
	size_t nsides; /* the rater, the humans, the consensus rater if any */
	int64_t *members;
	size_t nmembers;
	size_t *nclasses; /* per dimension */
	int *codes;       /* [member][dim][side] */
	int *excluded;    /* [member][side]: reason index + 1, or 0 */
	double *conf;     /* [member][dim]: the rater's confidence, or -1 */
	int any_excluded;
};

static int *cell(const struct grid *g, size_t m, size_t d, size_t side)
{
	return &g->codes[(m * g->ndims + d) * g->nsides + side];
}

static long side_of(const struct grid *g, int64_t rater_id)
{
	if (rater_id == g->o->rater_id)
		return 0;
	for (size_t i = 0; i < g->o->nhumans; i++)
		if (g->o->humans[i] == rater_id)
			return (long)(1 + i);
	if (g->o->consensus_id && rater_id == g->o->consensus_id)
		return (long)(1 + g->o->nhumans);
	return -1;
}

static long member_of(const struct grid *g, int64_t issue_id)
{
	size_t lo = 0, hi = g->nmembers;
	while (lo < hi) { /* members are sorted by issue id here; positions do not matter */
		size_t mid = (lo + hi) / 2;
		if (g->members[mid] == issue_id)
			return (long)mid;
		if (g->members[mid] < issue_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int read_members(struct store *s, struct grid *g, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT issue_id FROM set_members WHERE set_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, g->o->set_id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&g->members, &alloc, g->nmembers + 1, sizeof(*g->members));
		g->members[g->nmembers++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, "reading the sample");
	ids_sort(g->members, g->nmembers);
	return 0;
}

static void place_exclusion(void *ctx, int64_t issue_id, int64_t rater_id, size_t reason)
{
	struct grid *g = ctx;
	long m = member_of(g, issue_id);
	long side = side_of(g, rater_id);
	if (m < 0 || side < 0)
		return;
	g->excluded[(size_t)m * g->nsides + (size_t)side] = (int)reason + 1;
	g->any_excluded = 1;
}

static int place_code(void *ctx, const struct agree_code_row *row, struct error *err)
{
	struct grid *g = ctx;
	long m = member_of(g, row->issue_id);
	long side = side_of(g, row->rater_id);
	long d = tax_dimension_index(g->t, row->dimension_id);
	if (m < 0 || side < 0 || d < 0 || g->excluded[(size_t)m * g->nsides + (size_t)side])
		return 0;
	int k = agree_class_of(&g->t->dims[d], g->o->level, row->category_id, row->subcategory_id);
	if (k == NO_CODE)
		return error_set(err,
		                 "a code in dimension '%s' names a category that taxonomy '%s' "
		                 "does not know",
		                 g->t->dims[d].key, g->t->name);
	*cell(g, (size_t)m, (size_t)d, (size_t)side) = k;
	return 0;
}

static int read_confidence(struct store *s, struct grid *g, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id, dimension_id, confidence FROM "
	                              "code_confidence WHERE set_id = ? AND rater_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, g->o->set_id);
	sqlite3_bind_int64(st, 2, g->o->rater_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long m = member_of(g, sqlite3_column_int64(st, 0));
		long d = tax_dimension_index(g->t, sqlite3_column_int64(st, 1));
		if (m >= 0 && d >= 0)
			g->conf[(size_t)m * g->ndims + (size_t)d] = sqlite3_column_double(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading confidence");
}

/* The exclusion column: included (0) when coded, excluded (1, or 2 + reason at the sub level). */
static void fill_exclusion(struct grid *g)
{
	size_t xd = g->t->ndims;
	int sub = g->o->level == AGREE_LEVEL_SUB;
	for (size_t m = 0; m < g->nmembers; m++)
		for (size_t side = 0; side < g->nsides; side++) {
			int reason = g->excluded[m * g->nsides + side], coded = 0;
			for (size_t d = 0; d < xd && !coded; d++)
				coded = *cell(g, m, d, side) != NO_CODE;
			*cell(g, m, xd, side) =
			        reason  ? (sub && reason <= (int)g->t->nreasons ? 1 + reason : 1)
			        : coded ? 0
			                : NO_CODE;
		}
}

static int build_grid(struct store *s, struct grid *g, struct error *err)
{
	g->nsides = 1 + g->o->nhumans + (g->o->consensus_id ? 1 : 0);
	g->ndims = g->t->ndims + 1;
	g->nclasses = xcalloc(g->ndims, sizeof(size_t));
	for (size_t d = 0; d < g->t->ndims; d++)
		g->nclasses[d] = agree_class_count(&g->t->dims[d], g->o->level);
	g->nclasses[g->t->ndims] = 2 + (g->o->level == AGREE_LEVEL_SUB ? g->t->nreasons : 0);
	if (read_members(s, g, err))
		return -1;
	size_t cells = g->nmembers * g->ndims * g->nsides;
	g->codes = xmalloc((cells + 1) * sizeof(int));
	for (size_t i = 0; i < cells; i++)
		g->codes[i] = NO_CODE;
	g->excluded = xcalloc(g->nmembers * g->nsides + 1, sizeof(int));
	g->conf = xmalloc((g->nmembers * g->ndims + 1) * sizeof(double));
	for (size_t i = 0; i < g->nmembers * g->ndims; i++)
		g->conf[i] = -1;
	if (agree_read_exclusions(s, g->t, g->o->set_id, place_exclusion, g, err) ||
	    agree_read_codes(s, g->o->set_id, place_code, g, err) || read_confidence(s, g, err))
		return -1;
	fill_exclusion(g);
	return 0;
}

static void grid_free(struct grid *g)
{
	free(g->members);
	free(g->nclasses);
	free(g->codes);
	free(g->excluded);
	free(g->conf);
}

/* --- comparisons --- */

/* The consensus code of member m in dimension d, or NO_CODE; *split when the humans differ. */
static int consensus_code(const struct grid *g, size_t m, size_t d, int *split)
{
	*split = 0;
	if (g->o->consensus_id)
		return *cell(g, m, d, 1 + g->o->nhumans);
	int code = *cell(g, m, d, 1);
	for (size_t h = 1; h < g->o->nhumans && code != NO_CODE; h++) {
		int other = *cell(g, m, d, 1 + h);
		if (other == NO_CODE)
			return NO_CODE;
		if (other != code) {
			*split = 1;
			return NO_CODE;
		}
	}
	return code;
}

static size_t bin_of(const struct against_options *o, double conf)
{
	if (conf < 0)
		return o->nedges + 1; /* no confidence given */
	size_t b = 0;
	while (b < o->nedges && conf >= o->edges[b])
		b++;
	return b;
}

/* Tables for one comparison: nbins + 1 of k x k (the last is all issues). */
struct tables {
	size_t k, nbins;
	long *t;
};

static void tables_init(struct tables *tb, size_t k, size_t nbins)
{
	tb->k = k;
	tb->nbins = nbins;
	tb->t = xcalloc((nbins + 1) * k * k + 1, sizeof(long));
}

static void tables_add(struct tables *tb, size_t bin, int a, int b)
{
	size_t at = (size_t)a * tb->k + (size_t)b;
	tb->t[bin * tb->k * tb->k + at]++;
	tb->t[tb->nbins * tb->k * tb->k + at]++;
}

static void cell_from(const long *table, size_t k, struct against_cell *c)
{
	stats_cohen_kappa(table, k, &c->cohen);
	c->n = c->cohen.n;
	c->agreed = 0;
	for (size_t i = 0; i < k; i++)
		c->agreed += table[i * k + i];
}

static void comparison_from(const struct tables *tb, struct against_comparison *c)
{
	size_t kk = tb->k * tb->k;
	c->bins = xcalloc(tb->nbins, sizeof(*c->bins));
	for (size_t b = 0; b < tb->nbins; b++)
		cell_from(tb->t + b * kk, tb->k, &c->bins[b]);
	cell_from(tb->t + tb->nbins * kk, tb->k, &c->all);
}

/* The rater (side 0) against side, or against the consensus when side is 0. */
static void compare(const struct grid *g, size_t d, size_t side, size_t nbins,
                    struct against_comparison *c, long *no_consensus)
{
	struct tables tb;
	tables_init(&tb, g->nclasses[d], nbins);
	for (size_t m = 0; m < g->nmembers; m++) {
		int split = 0, a = *cell(g, m, d, 0);
		int b = side ? *cell(g, m, d, side) : consensus_code(g, m, d, &split);
		if (no_consensus)
			*no_consensus += split;
		if (a == NO_CODE || b == NO_CODE)
			continue;
		double conf = d < g->t->ndims ? g->conf[m * g->ndims + d] : -1;
		tables_add(&tb, bin_of(g->o, conf), a, b);
	}
	comparison_from(&tb, c);
	free(tb.t);
}

static void compare_humans(const struct grid *g, size_t d, size_t a, size_t b,
                           struct against_cell *c)
{
	size_t k = g->nclasses[d];
	long *table = xcalloc(k * k + 1, sizeof(long));
	for (size_t m = 0; m < g->nmembers; m++) {
		int x = *cell(g, m, d, a), y = *cell(g, m, d, b);
		if (x != NO_CODE && y != NO_CODE)
			table[(size_t)x * k + (size_t)y]++;
	}
	cell_from(table, k, c);
	free(table);
}

static void compute_result(const struct grid *g, size_t d, const struct tax_dimension *dim,
                           size_t nbins, struct against_result *res)
{
	size_t nh = g->o->nhumans;
	res->dim = dim;
	res->sample_issues = (long)g->nmembers;
	for (size_t m = 0; m < g->nmembers; m++)
		res->rater_coded += *cell(g, m, d, 0) != NO_CODE;
	res->humans = xcalloc(nh, sizeof(*res->humans));
	for (size_t h = 0; h < nh; h++)
		compare(g, d, 1 + h, nbins, &res->humans[h], NULL);
	compare(g, d, 0, nbins, &res->consensus, &res->no_consensus);
	res->npairs = nh * (nh - 1) / 2;
	res->human_pairs = xcalloc(res->npairs + 1, sizeof(*res->human_pairs));
	size_t p = 0;
	for (size_t a = 0; a < nh; a++)
		for (size_t b = a + 1; b < nh; b++)
			compare_humans(g, d, 1 + a, 1 + b, &res->human_pairs[p++]);
}

static struct taxonomy *exclusion_dimension(const struct taxonomy *t)
{
	struct taxonomy *x = xcalloc(1, sizeof(*x));
	x->name = xstrdup(t->name);
	x->dims = xcalloc(1, sizeof(*x->dims));
	x->ndims = 1;
	x->dims[0].key = xstrdup(AGREE_EXCLUSION_KEY);
	x->dims[0].name = xstrdup(AGREE_EXCLUSION_NAME);
	return x;
}

int against_compute(struct store *s, const struct taxonomy *t, const struct against_options *o,
                    struct against_report **out, struct error *err)
{
	if (!o->nhumans)
		return error_set(err, "--against needs one or more raters to compare with");
	struct grid g = {t, o};
	if (build_grid(s, &g, err)) {
		grid_free(&g);
		return -1;
	}
	struct against_report *r = xcalloc(1, sizeof(*r));
	r->nhumans = o->nhumans;
	r->nedges = o->nedges;
	memcpy(r->edges, o->edges, sizeof(r->edges));
	r->nbins = o->nedges + 2;
	r->exclusion = exclusion_dimension(t);
	r->results = xcalloc(t->ndims + 1, sizeof(*r->results));
	for (size_t d = 0; d < t->ndims && !o->exclusion_only; d++)
		if (!o->dim || o->dim == &t->dims[d])
			compute_result(&g, d, &t->dims[d], r->nbins, &r->results[r->nresults++]);
	if (o->exclusion_only || (!o->dim && g.any_excluded))
		compute_result(&g, t->ndims, &r->exclusion->dims[0], r->nbins,
		               &r->results[r->nresults++]);
	grid_free(&g);
	*out = r;
	return 0;
}

static void comparison_free(struct against_comparison *c)
{
	free(c->bins);
}

void against_report_free(struct against_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nresults; i++) {
		struct against_result *res = &r->results[i];
		for (size_t h = 0; h < r->nhumans; h++)
			comparison_free(&res->humans[h]);
		free(res->humans);
		comparison_free(&res->consensus);
		free(res->human_pairs);
	}
	free(r->results);
	tax_free(r->exclusion);
	free(r);
}

void against_bin_label(const struct against_report *r, size_t b, char *buf, size_t size)
{
	if (b > r->nedges) {
		snprintf(buf, size, "none");
		return;
	}
	double lo = b ? r->edges[b - 1] : 0, hi = b < r->nedges ? r->edges[b] : 1;
	snprintf(buf, size, "%g-%g", lo, hi);
}
