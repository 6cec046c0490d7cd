/*
 * agree.c - from a sample's codes to agreement statistics (see agree.h).
 *
 * The codes are read once into a grid: for every member of the sample,
 * every dimension of the taxonomy and every compared rater, the index of
 * the class coded (or NO_CODE). Each result (a dimension, in one repository
 * or pooled) is then a few passes over that grid building count tables for
 * stats_agree.c. The grid has one more column than the taxonomy has
 * dimensions: each rater's decision on exclusion, which the exclusion
 * result is computed from like any dimension.
 */
#include "agree.h"
#include "agree_read.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_CODE (-1)

struct member {
	int64_t issue_id;
	size_t repo; /* index into the sorted repository names */
};

/* Everything read from the database, shared by every result. */
struct grid {
	const struct taxonomy *t;
	const struct agree_options *o;
	const struct tax_dimension *exclusion; /* the extra dimension, index t->ndims */
	size_t ndims;                          /* t->ndims + 1 */
	struct member *members;                /* in sample order */
	size_t nmembers;
	char **repos; /* sorted */
	size_t nrepos;
	struct agree_class **classes; /* per dimension: every class of the taxonomy */
	size_t *nclasses;
	int *codes;    /* [member][dim][rater] */
	int *excluded; /* [member][rater]: the reason's index + 1, or 0 */
	int any_excluded;
};

static int *grid_code(const struct grid *g, size_t member, size_t dim, size_t rater)
{
	return &g->codes[(member * g->ndims + dim) * g->o->nraters + rater];
}

static int *grid_excluded(const struct grid *g, size_t member, size_t rater)
{
	return &g->excluded[member * g->o->nraters + rater];
}

static const struct tax_dimension *grid_dim(const struct grid *g, size_t dim)
{
	return dim < g->t->ndims ? &g->t->dims[dim] : g->exclusion;
}

size_t agree_class_count(const struct tax_dimension *d, enum agree_level level)
{
	size_t count = d->ncats;
	if (level == AGREE_LEVEL_SUB)
		for (size_t i = 0; i < d->ncats; i++)
			count += d->cats[i].nsubs;
	return count;
}

int agree_class_of(const struct tax_dimension *d, enum agree_level level, int64_t cat_id,
                   int64_t sub_id)
{
	int k = 0;
	for (size_t i = 0; i < d->ncats; i++) {
		const struct tax_category *c = &d->cats[i];
		if (c->id == cat_id) {
			if (level != AGREE_LEVEL_SUB || !sub_id)
				return k;
			for (size_t j = 0; j < c->nsubs; j++)
				if (c->subs[j].id == sub_id)
					return k + 1 + (int)j;
			return -1; /* a sub-category unknown to the taxonomy is refused */
		}
		k += 1 + (level == AGREE_LEVEL_SUB ? (int)c->nsubs : 0);
	}
	return -1;
}

/* Every class of dimension d at the level asked, in taxonomy order. */
static struct agree_class *dimension_classes(const struct tax_dimension *d, enum agree_level level,
                                             size_t *n)
{
	size_t count = agree_class_count(d, level);
	struct agree_class *classes = xcalloc(count, sizeof(*classes));
	size_t k = 0;
	for (size_t i = 0; i < d->ncats; i++) {
		classes[k++].cat = &d->cats[i];
		if (level != AGREE_LEVEL_SUB)
			continue;
		for (size_t j = 0; j < d->cats[i].nsubs; j++) {
			classes[k].cat = &d->cats[i];
			classes[k++].sub = &d->cats[i].subs[j];
		}
	}
	*n = count;
	return classes;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t repo_index(const struct grid *g, const char *name)
{
	char *const *found = bsearch(&name, g->repos, g->nrepos, sizeof(char *), compare_strings);
	return (size_t)(found - g->repos);
}

static int read_members(struct store *s, struct grid *g, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT sm.issue_id, r.full_name FROM set_members sm "
	                              "JOIN issues i ON i.id = sm.issue_id "
	                              "JOIN repositories r ON r.id = i.repo_id "
	                              "WHERE sm.set_id = ? ORDER BY sm.position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, g->o->set_id);
	size_t alloc = 0, ralloc = 0;
	char **names = NULL; /* per member, until the repositories are sorted */
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&g->members, &alloc, g->nmembers + 1, sizeof(*g->members));
		xgrow((void **)&names, &ralloc, g->nmembers + 1, sizeof(*names));
		g->members[g->nmembers].issue_id = sqlite3_column_int64(st, 0);
		names[g->nmembers++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < g->nmembers; i++)
			free(names[i]);
		free(names);
		return store_error(s, err, "reading the sample");
	}
	/* The distinct repository names, sorted; then each member's index. */
	g->repos = xcalloc(g->nmembers, sizeof(char *));
	for (size_t i = 0; i < g->nmembers; i++) {
		size_t j = 0;
		while (j < g->nrepos && strcmp(g->repos[j], names[i]))
			j++;
		if (j == g->nrepos)
			g->repos[g->nrepos++] = xstrdup(names[i]);
	}
	qsort(g->repos, g->nrepos, sizeof(char *), compare_strings);
	for (size_t i = 0; i < g->nmembers; i++) {
		g->members[i].repo = repo_index(g, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* Members sorted by issue id, with their positions in the sample, to place codes quickly. */
struct member_position {
	int64_t issue_id;
	size_t position;
};

static int compare_positions(const void *a, const void *b)
{
	int64_t x = ((const struct member_position *)a)->issue_id;
	int64_t y = ((const struct member_position *)b)->issue_id;
	return (x > y) - (x < y);
}

static long find_member(const struct member_position *by_id, size_t n, int64_t issue_id)
{
	struct member_position key = {issue_id, 0};
	const struct member_position *m = bsearch(&key, by_id, n, sizeof(key), compare_positions);
	return m ? (long)m->position : -1;
}

static long find_rater(const struct agree_options *o, int64_t rater_id)
{
	for (size_t i = 0; i < o->nraters; i++)
		if (o->rater_ids[i] == rater_id)
			return (long)i;
	return -1;
}

/* What the readers' callbacks place into: the grid, and its members by issue id. */
struct placing {
	struct grid *g;
	const struct member_position *by_id;
};

static int place_code(void *ctx, const struct agree_code_row *row, struct error *err)
{
	const struct placing *p = ctx;
	struct grid *g = p->g;
	long m = find_member(p->by_id, g->nmembers, row->issue_id);
	long r = find_rater(g->o, row->rater_id);
	long d = tax_dimension_index(g->t, row->dimension_id);
	if (m < 0 || r < 0 || d < 0)
		return 0; /* not a member any more, another rater, another taxonomy */
	if (*grid_excluded(g, (size_t)m, (size_t)r))
		return 0; /* the rater excluded the issue: its codes do not count */
	int64_t cat = row->category_id, sub = row->subcategory_id;
	int k = agree_class_of(grid_dim(g, (size_t)d), g->o->level, cat, sub);
	if (k < 0)
		return error_set(
		        err,
		        "a code of issue id %lld in dimension '%s' names category id %lld, "
		        "which taxonomy '%s' does not know",
		        (long long)row->issue_id, g->t->dims[d].key, (long long)(sub ? sub : cat),
		        g->t->name);
	*grid_code(g, (size_t)m, (size_t)d, (size_t)r) = k;
	return 0;
}

static struct member_position *members_by_id(const struct grid *g)
{
	struct member_position *by_id = xcalloc(g->nmembers + 1, sizeof(*by_id));
	for (size_t i = 0; i < g->nmembers; i++) {
		by_id[i].issue_id = g->members[i].issue_id;
		by_id[i].position = i;
	}
	qsort(by_id, g->nmembers, sizeof(*by_id), compare_positions);
	return by_id;
}

static void place_exclusion(void *ctx, int64_t issue_id, int64_t rater_id, size_t reason)
{
	const struct placing *p = ctx;
	struct grid *g = p->g;
	long m = find_member(p->by_id, g->nmembers, issue_id);
	long r = find_rater(g->o, rater_id);
	if (m < 0 || r < 0)
		return;
	*grid_excluded(g, (size_t)m, (size_t)r) = (int)reason + 1;
	g->any_excluded = 1;
}

/*
 * The exclusion column: "excluded" (or its reason's class at the sub level),
 * "included" for a rater who coded the issue in some dimension, else no code.
 */
static void fill_exclusion_column(struct grid *g)
{
	size_t xd = g->t->ndims;
	int sub = g->o->level == AGREE_LEVEL_SUB;
	for (size_t m = 0; m < g->nmembers; m++) {
		for (size_t r = 0; r < g->o->nraters; r++) {
			int reason = *grid_excluded(g, m, r), coded = 0;
			for (size_t d = 0; d < g->t->ndims && !coded; d++)
				coded = *grid_code(g, m, d, r) != NO_CODE;
			/* classes: included, excluded, then (sub level) excluded/<reason>... */
			int k = reason  ? (sub && reason <= (int)g->t->nreasons ? 1 + reason : 1)
			        : coded ? 0
			                : NO_CODE;
			*grid_code(g, m, xd, r) = k;
		}
	}
}

static int read_codes(struct store *s, struct grid *g, struct error *err)
{
	size_t cells = g->nmembers * g->ndims * g->o->nraters;
	g->codes = xmalloc((cells ? cells : 1) * sizeof(int));
	for (size_t i = 0; i < cells; i++)
		g->codes[i] = NO_CODE;
	g->excluded = xcalloc(g->nmembers * g->o->nraters + 1, sizeof(int));
	struct placing p = {g, members_by_id(g)};
	int rc = agree_read_exclusions(s, g->t, g->o->set_id, place_exclusion, &p, err) ||
	         agree_read_codes(s, g->o->set_id, place_code, &p, err);
	free((void *)p.by_id);
	if (!rc)
		fill_exclusion_column(g);
	return rc ? -1 : 0;
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->nrepos; i++)
		free(g->repos[i]);
	free(g->repos);
	if (g->classes)
		for (size_t d = 0; d < g->ndims; d++)
			free(g->classes[d]);
	free(g->classes);
	free(g->nclasses);
	free(g->members);
	free(g->codes);
	free(g->excluded);
}

/* --- one result: a dimension in one repository (repo < nrepos) or pooled --- */

static int in_scope(const struct grid *g, size_t member, size_t repo)
{
	return repo == g->nrepos || g->members[member].repo == repo;
}

static int coded_by_all(const struct grid *g, size_t member, size_t dim)
{
	for (size_t r = 0; r < g->o->nraters; r++)
		if (*grid_code(g, member, dim, r) == NO_CODE)
			return 0;
	return 1;
}

/* Counts the issues, who left which out, and the classes used; fills map (full -> compact). */
static void count_issues(const struct grid *g, size_t repo, size_t dim, struct agree_result *res,
                         int *map)
{
	size_t nfull = g->nclasses[dim];
	int *used = xcalloc(nfull, sizeof(int));
	for (size_t m = 0; m < g->nmembers; m++) {
		if (!in_scope(g, m, repo))
			continue;
		res->sample_issues++;
		for (size_t r = 0; r < g->o->nraters; r++) {
			if (*grid_excluded(g, m, r))
				res->excluded_by[r]++;
			else if (*grid_code(g, m, dim, r) == NO_CODE)
				res->not_coded_by[r]++;
		}
		if (!coded_by_all(g, m, dim))
			continue;
		res->n++;
		for (size_t r = 0; r < g->o->nraters; r++)
			used[*grid_code(g, m, dim, r)] = 1;
	}
	res->left_out = res->sample_issues - res->n;
	res->classes = xcalloc(nfull, sizeof(*res->classes));
	for (size_t k = 0; k < nfull; k++) {
		map[k] = used[k] ? (int)res->nclasses : NO_CODE;
		if (used[k])
			res->classes[res->nclasses++] = g->classes[dim][k];
	}
	free(used);
}

static void compute_pairs(const struct grid *g, size_t repo, size_t dim, const int *map,
                          struct agree_result *res)
{
	size_t nr = g->o->nraters, k = res->nclasses;
	res->npairs = nr * (nr - 1) / 2;
	res->pairs = xcalloc(res->npairs, sizeof(*res->pairs));
	size_t p = 0;
	for (size_t a = 0; a < nr; a++) {
		for (size_t b = a + 1; b < nr; b++, p++) {
			struct agree_pair *pair = &res->pairs[p];
			pair->a = a;
			pair->b = b;
			pair->table = xcalloc(k * k, sizeof(long));
			for (size_t m = 0; m < g->nmembers; m++) {
				if (!in_scope(g, m, repo) || !coded_by_all(g, m, dim))
					continue;
				int i = map[*grid_code(g, m, dim, a)],
				    j = map[*grid_code(g, m, dim, b)];
				pair->table[(size_t)i * k + (size_t)j]++;
			}
			stats_cohen_kappa(pair->table, k, &pair->cohen);
			pair->per_category = xcalloc(k, sizeof(*pair->per_category));
			for (size_t c = 0; c < k; c++)
				stats_category_agreement(pair->table, k, c, &pair->per_category[c]);
		}
	}
}

/* The units x classes table of the n issues every rater coded (caller frees). */
static long *complete_counts(const struct grid *g, size_t repo, size_t dim, const int *map,
                             const struct agree_result *res)
{
	size_t k = res->nclasses, u = 0;
	long *counts = xcalloc((size_t)res->n * k + 1, sizeof(long));
	for (size_t m = 0; m < g->nmembers; m++) {
		if (!in_scope(g, m, repo) || !coded_by_all(g, m, dim))
			continue;
		for (size_t r = 0; r < g->o->nraters; r++)
			counts[u * k + (size_t)map[*grid_code(g, m, dim, r)]]++;
		u++;
	}
	return counts;
}

static void compute_fleiss(const struct grid *g, size_t repo, size_t dim, const int *map,
                           struct agree_result *res)
{
	size_t k = res->nclasses, u = (size_t)res->n;
	long *counts = complete_counts(g, repo, dim, map, res);
	res->ratings = xcalloc(k, sizeof(long));
	for (size_t i = 0; i < u * k; i++)
		res->ratings[i % k] += counts[i];
	stats_fleiss_kappa(counts, u, k, &res->fleiss);
	res->fleiss_per_category = xcalloc(k, sizeof(struct stats_num));
	for (size_t c = 0; c < k; c++)
		res->fleiss_per_category[c] = stats_fleiss_category_kappa(counts, u, k, c);
	free(counts);
}

/* Alpha over every issue in scope with at least one code (single codes are not pairable). */
static void compute_alpha(const struct grid *g, size_t repo, size_t dim, struct agree_result *res)
{
	size_t k = g->nclasses[dim], u = 0;
	long *counts = xcalloc(g->nmembers * k, sizeof(long));
	for (size_t m = 0; m < g->nmembers; m++) {
		if (!in_scope(g, m, repo))
			continue;
		for (size_t r = 0; r < g->o->nraters; r++) {
			int c = *grid_code(g, m, dim, r);
			if (c != NO_CODE)
				counts[u * k + (size_t)c]++;
		}
		u++;
	}
	stats_krippendorff_alpha(counts, u, k, &res->alpha);
	free(counts);
}

/*
 * The units x classes table alpha uses: the issues in scope that two or
 * more raters coded, in sample order (caller frees). Alpha ignores the
 * others anyway; its bootstrap must not resample them, or the interval
 * would widen with every issue nobody (or one rater) has coded yet.
 */
static long *alpha_counts(const struct grid *g, size_t repo, size_t dim, size_t *units)
{
	size_t k = g->nclasses[dim], u = 0;
	long *counts = xcalloc(g->nmembers * k + 1, sizeof(long));
	for (size_t m = 0; m < g->nmembers; m++) {
		if (!in_scope(g, m, repo))
			continue;
		long ratings = 0;
		for (size_t r = 0; r < g->o->nraters; r++) {
			int c = *grid_code(g, m, dim, r);
			if (c != NO_CODE) {
				counts[u * k + (size_t)c]++;
				ratings++;
			}
		}
		if (ratings >= 2)
			u++;
		else
			memset(&counts[u * k], 0, k * sizeof(long));
	}
	*units = u;
	return counts;
}

/* Cohen's kappa of the first two raters, resampled (stats_boot.h). */
static void bootstrap_cohen(const struct grid *g, size_t repo, size_t dim, const int *map,
                            struct agree_result *res)
{
	int *a = xcalloc((size_t)res->n + 1, sizeof(int)),
	    *b = xcalloc((size_t)res->n + 1, sizeof(int));
	size_t u = 0;
	for (size_t m = 0; m < g->nmembers; m++) {
		if (!in_scope(g, m, repo) || !coded_by_all(g, m, dim))
			continue;
		a[u] = map[*grid_code(g, m, dim, 0)];
		b[u++] = map[*grid_code(g, m, dim, 1)];
	}
	stats_bootstrap_cohen(a, b, u, res->nclasses, g->o->bootstrap, g->o->seed,
	                      &res->boot_kappa);
	free(a);
	free(b);
}

/* The statistics beside kappa and alpha: see agree.h. */
static void compute_extras(const struct grid *g, size_t repo, size_t dim, const int *map,
                           struct agree_result *res)
{
	size_t k = res->nclasses, q = g->nclasses[dim];
	res->nscale = q;
	for (size_t p = 0; p < res->npairs; p++) {
		struct agree_pair *pair = &res->pairs[p];
		stats_scott_pi(pair->table, k, &pair->scott);
		stats_gwet_ac1_pair(pair->table, k, q, &pair->ac1);
		stats_pabak(pair->table, k, q, &pair->pabak);
	}
	long *counts = complete_counts(g, repo, dim, map, res);
	stats_fleiss_interval(counts, (size_t)res->n, k, &res->fleiss_se);
	stats_gwet_ac1_units(counts, (size_t)res->n, k, q, &res->ac1);
	struct stats_cohen *kappas = xcalloc(res->npairs + 1, sizeof(*kappas));
	for (size_t p = 0; p < res->npairs; p++)
		kappas[p] = res->pairs[p].cohen;
	res->light = g->o->nraters > 2
	                     ? stats_light_kappa(kappas, res->npairs)
	                     : (struct stats_num){0, "Light's kappa needs three or more raters"};
	free(kappas);
	if (g->o->bootstrap > 0) {
		if (g->o->nraters == 2)
			bootstrap_cohen(g, repo, dim, map, res);
		else
			stats_bootstrap_units(counts, (size_t)res->n, k, STATS_BOOT_FLEISS,
			                      g->o->bootstrap, g->o->seed, &res->boot_kappa);
		size_t units;
		long *all = alpha_counts(g, repo, dim, &units);
		stats_bootstrap_units(all, units, q, STATS_BOOT_ALPHA, g->o->bootstrap, g->o->seed,
		                      &res->boot_alpha);
		free(all);
	}
	free(counts);
}

static void compute_result(const struct grid *g, size_t repo, size_t dim, struct agree_result *res)
{
	res->repository = repo < g->nrepos ? xstrdup(g->repos[repo]) : NULL;
	res->dim = grid_dim(g, dim);
	res->not_coded_by = xcalloc(g->o->nraters, sizeof(long));
	res->excluded_by = xcalloc(g->o->nraters, sizeof(long));
	int *map = xcalloc(g->nclasses[dim], sizeof(int));
	count_issues(g, repo, dim, res, map);
	compute_pairs(g, repo, dim, map, res);
	compute_fleiss(g, repo, dim, map, res);
	compute_alpha(g, repo, dim, res);
	compute_extras(g, repo, dim, map, res);
	free(map);
}

static void set_category(struct tax_category *c, const char *key, const char *name,
                         const struct tax_category *parent)
{
	c->key = xstrdup(key);
	c->name = xstrdup(name);
	c->definition = xstrdup("");
	c->parent = parent;
}

/* A taxonomy of one dimension, the exclusion: Included, Excluded (sub-categories: t's reasons). */
static struct taxonomy *exclusion_taxonomy(const struct taxonomy *t)
{
	struct taxonomy *x = xcalloc(1, sizeof(*x));
	x->name = xstrdup(t->name);
	x->dims = xcalloc(1, sizeof(*x->dims));
	x->ndims = 1;
	struct tax_dimension *d = &x->dims[0];
	d->key = xstrdup(AGREE_EXCLUSION_KEY);
	d->name = xstrdup(AGREE_EXCLUSION_NAME);
	d->sub_rule = TAX_SUB_OPTIONAL;
	d->cats = xcalloc(2, sizeof(*d->cats));
	d->ncats = 2;
	set_category(&d->cats[0], "included", "Included", NULL);
	set_category(&d->cats[1], "excluded", "Excluded", NULL);
	struct tax_category *ex = &d->cats[1];
	ex->subs = xcalloc(t->nreasons + 1, sizeof(*ex->subs));
	for (size_t i = 0; i < t->nreasons; i++)
		set_category(&ex->subs[ex->nsubs++], t->reasons[i].key, t->reasons[i].name, ex);
	return x;
}

static int build_grid(struct store *s, struct grid *g, struct error *err)
{
	size_t nd = g->ndims;
	g->classes = xcalloc(nd, sizeof(*g->classes));
	g->nclasses = xcalloc(nd, sizeof(*g->nclasses));
	for (size_t d = 0; d < nd; d++)
		g->classes[d] = dimension_classes(grid_dim(g, d), g->o->level, &g->nclasses[d]);
	if (read_members(s, g, err) || read_codes(s, g, err))
		return -1;
	return 0;
}

static void count_excluded(const struct grid *g, struct agree_report *r)
{
	r->excluded_by = xcalloc(g->o->nraters, sizeof(long));
	for (size_t m = 0; m < g->nmembers; m++)
		for (size_t k = 0; k < g->o->nraters; k++)
			r->excluded_by[k] += *grid_excluded(g, m, k) != 0;
}

int agree_compute(struct store *s, const struct taxonomy *t, const struct agree_options *o,
                  struct agree_report **out, struct error *err)
{
	if (o->nraters < 2)
		return error_set(err, "agreement needs at least two raters");
	struct agree_report *r = xcalloc(1, sizeof(*r));
	r->exclusion = exclusion_taxonomy(t);
	struct grid g = {t, o, &r->exclusion->dims[0], t->ndims + 1};
	if (build_grid(s, &g, err)) {
		grid_free(&g);
		agree_report_free(r);
		return -1;
	}
	r->level = o->level;
	r->nraters = o->nraters;
	count_excluded(&g, r);
	size_t scopes = o->by_repo ? g.nrepos + 1 : 1;
	int with_exclusion = o->exclusion_only || (!o->dim && g.any_excluded);
	r->results = xcalloc(scopes * g.ndims, sizeof(*r->results));
	for (size_t sc = 0; sc < scopes; sc++) {
		size_t repo = o->by_repo ? sc : g.nrepos; /* the last scope is the pool */
		for (size_t d = 0; d < t->ndims && !o->exclusion_only; d++)
			if (!o->dim || o->dim == &t->dims[d])
				compute_result(&g, repo, d, &r->results[r->nresults++]);
		if (with_exclusion)
			compute_result(&g, repo, t->ndims, &r->results[r->nresults++]);
	}
	grid_free(&g);
	*out = r;
	return 0;
}

void agree_report_free(struct agree_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nresults; i++) {
		struct agree_result *res = &r->results[i];
		for (size_t p = 0; p < res->npairs; p++) {
			free(res->pairs[p].table);
			free(res->pairs[p].per_category);
		}
		free(res->pairs);
		free(res->repository);
		free(res->not_coded_by);
		free(res->excluded_by);
		free(res->classes);
		free(res->fleiss_per_category);
		free(res->ratings);
	}
	free(r->results);
	free(r->excluded_by);
	tax_free(r->exclusion);
	free(r);
}

void agree_class_key(const struct agree_class *c, char *buf, size_t size)
{
	if (c->sub)
		snprintf(buf, size, "%s/%s", c->cat->key, c->sub->key);
	else
		snprintf(buf, size, "%s", c->cat->key);
}

void agree_class_name(const struct agree_class *c, char *buf, size_t size)
{
	if (c->sub)
		snprintf(buf, size, "%s/%s", c->cat->name, c->sub->name);
	else
		snprintf(buf, size, "%s", c->cat->name);
}
