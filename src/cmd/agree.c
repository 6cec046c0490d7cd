/*
 * agree.c - "issuemine agree": how well raters agree on a sample, per dimension.
 *
 * agree.h computes; this file checks the options and prints the report as
 * readable text (with the confusion table in category names), JSON (one
 * object per dimension, and per repository with --by-repo) or CSV (one row
 * per dimension and rater group).
 */
#include "agree.h"
#include "agree_against.h"
#include "cli.h"
#include "termsafe.h"
#include "codes.h"
#include "commands.h"
#include "csv.h"
#include "sets.h"
#include "settings.h"
#include "strbuf.h"
#include "tax_version.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const agree_usage[] = {
        "issuemine agree --sample S --raters A,B[,C...] [--dimension D] [--level top|sub]",
        "                [--by-repo] [--taxonomy NAME] [--format text|json|csv]",
        "                [--bootstrap N [--seed S]]",
        "issuemine agree --sample S --raters A[,B...] --against NAME [--consensus RATER]",
        "                [--bins EDGES] [--dimension D] [--level top|sub] [--format text|json|csv]",
        NULL,
        "Measure the raters' agreement on a sample, per dimension, over the issues every",
        "one of them coded in it (the others are counted as left out): Cohen's kappa with",
        "its standard error, 95% confidence interval and z test, the confusion table,",
        "per-category agreement and the Landis & Koch and McHugh readings; Fleiss' kappa;",
        "and Krippendorff's alpha (nominal) over every issue two or more raters coded.",
        "With three or more raters, Cohen's kappa is given for every pair.",
        "Also: Scott's pi (Fleiss' kappa of two raters), Gwet's AC1, PABAK for two",
        "raters, Light's kappa (the mean pairwise kappa) for three or more, and the",
        "standard error and interval of Fleiss' kappa. Every 95% Wald interval is",
        "clipped to [-1, 1] (the output says when). --bootstrap N adds percentile",
        "intervals of kappa and alpha from N resamples of the issues, the same for the",
        "same --seed on any machine. Settings agree.format, agree.bootstrap and",
        "agree.seed (issuemine config) give defaults; flags win.",
        "An issue a rater excluded counts as not coded by that rater; when some rater",
        "excluded an issue, agreement on exclusion itself comes last (dimension",
        "'exclusion': included or excluded, at --level sub with the reason; alone with",
        "--dimension exclusion). A note says when the codes span codebook versions.",
        "",
        "--against NAME measures one rater (a program run by 'code --with', say) against",
        "each of --raters (one or more humans) and against their consensus: the codes of",
        "--consensus RATER (e.g. the adjudicator of 'reconcile'), else the code all of",
        "--raters gave where they agree. Per dimension: n, observed agreement and Cohen's",
        "kappa of each comparison, the humans' own pairwise kappas, and agreement split",
        "by the confidence NAME gave its codes (--bins, default 0.5,0.8: [0,0.5),",
        "[0.5,0.8), [0.8,1] and codes without one).",
        NULL,
};

struct agree_cmd {
	const char *sample;
	long sample_size;
	const char **raters; /* names, borrowed from argv or split off --raters */
	size_t nraters;
	const struct agree_report *report;
	long bootstrap; /* resamples, 0 for none */
	uint64_t seed;
	const char *taxonomy;
	int *versions; /* the codebook versions the codes were made under */
	size_t nversions;
};

/* --- numbers --- */

/* v rounded to places decimals, without a "-0" for tiny negatives from rounding error. */
static void print_number(char *buf, size_t size, double v, int places)
{
	snprintf(buf, size, "%.*f", places, fabs(v) < 0.5 * pow(10, -places) ? 0.0 : v);
}

static const char *fmt(struct stats_num x, char *buf, size_t size)
{
	if (x.undefined)
		snprintf(buf, size, "undefined (%s)", x.undefined);
	else
		print_number(buf, size, x.v, 4);
	return buf;
}

/* "p = 0.0123", or "p < 0.0001" for the very small. */
static const char *fmt_p(struct stats_num p, char *buf, size_t size)
{
	char num[64];
	if (p.undefined || p.v >= 0.0001)
		snprintf(buf, size, "p = %s", fmt(p, num, sizeof(num)));
	else
		snprintf(buf, size, "p < 0.0001");
	return buf;
}

/* Display width of UTF-8 text (code points; good enough for category names). */
static int text_width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static void pad(const char *s, int width, int right)
{
	int n = width - text_width(s);
	if (right)
		printf("%*s%s", n > 0 ? n : 0, "", s);
	else
		printf("%s%*s", s, n > 0 ? n : 0, "");
}

/* --- text --- */

static long rater_total(const struct agree_cmd *c, const long *counts)
{
	long n = 0;
	for (size_t i = 0; i < c->nraters; i++)
		n += counts[i];
	return n;
}

/* "not coded by alice: 2, bob: 1" (with "; " before it unless first); nothing when all are 0. */
static void print_by_rater(const struct agree_cmd *c, const char *what, const long *counts,
                           int first)
{
	if (!rater_total(c, counts))
		return;
	printf("%s%s", first ? "" : "; ", what);
	for (size_t i = 0, none = 1; i < c->nraters; i++) {
		if (!counts[i])
			continue;
		printf("%s %s: %ld", none ? "" : ",", c->raters[i], counts[i]);
		none = 0;
	}
}

/* The lines under the title: exclusions, and codes that span codebook versions. */
static void print_notes(const struct agree_cmd *c)
{
	const struct agree_report *rep = c->report;
	if (rater_total(c, rep->excluded_by)) {
		printf("excluded (their codes on those issues left out): ");
		for (size_t i = 0; i < c->nraters; i++)
			printf("%s%s %ld", i ? ", " : "", c->raters[i], rep->excluded_by[i]);
		printf("\n");
	}
	struct strbuf sb = STRBUF_INIT;
	tax_versions_note(c->taxonomy, c->versions, c->nversions, &sb);
	if (sb.len)
		printf("note: %s\n", sb.buf);
	strbuf_release(&sb);
}

static void print_heading(const struct agree_cmd *c, const struct agree_result *r)
{
	printf("%s (%s): %ld issue%s coded by %s%s", cli_text(r->dim->key), cli_text(r->dim->name),
	       r->n, r->n == 1 ? "" : "s", c->nraters == 2 ? "both" : "all",
	       c->nraters == 2 ? " raters" : "");
	if (c->nraters > 2)
		printf(" %zu raters", c->nraters);
	if (r->left_out) {
		printf("; %ld of %ld left out (", r->left_out, r->sample_issues);
		print_by_rater(c, "not coded by", r->not_coded_by, 1);
		print_by_rater(c, "excluded by", r->excluded_by, !rater_total(c, r->not_coded_by));
		printf(")");
	}
	printf("\n");
}

static void print_kappa_line(const char *label, const struct stats_cohen *k)
{
	char a[160], b[64], lo[64], hi[64];
	printf("  %-22s %s", label, fmt(k->kappa, a, sizeof(a)));
	if (k->kappa.undefined) {
		printf("\n");
		return;
	}
	printf(" (SE %s, 95%% CI %s to %s%s)\n", fmt(k->se, b, sizeof(b)),
	       fmt(k->ci_low, lo, sizeof(lo)), fmt(k->ci_high, hi, sizeof(hi)),
	       k->ci_clipped ? ", clipped to [-1, 1]" : "");
	printf("  %-22s %s (Landis & Koch), %s (McHugh)\n", "", stats_landis_koch(k->kappa.v),
	       stats_mchugh(k->kappa.v));
}

static void print_cohen(const struct stats_cohen *k)
{
	char a[160], b[160], z[160];
	print_kappa_line("Cohen's kappa", k);
	printf("  %-22s observed %s, expected %s\n", "agreement", fmt(k->observed, a, sizeof(a)),
	       fmt(k->expected, b, sizeof(b)));
	if (k->kappa.undefined)
		return;
	printf("  %-22s z = %s", "test of kappa = 0", fmt(k->z, z, sizeof(z)));
	if (!k->z.undefined)
		printf(" (SE under H0 %s), %s", fmt(k->se0, a, sizeof(a)),
		       fmt_p(k->p, b, sizeof(b)));
	printf("\n");
}

/* " (SE x, 95% CI a to b)" of a coefficient, when it has a standard error. */
static void print_interval(const struct stats_coef *x)
{
	char se[64], lo[64], hi[64];
	if (x->value.undefined || x->se.undefined)
		return;
	printf(" (SE %s, 95%% CI %s to %s%s)", fmt(x->se, se, sizeof(se)),
	       fmt(x->ci_low, lo, sizeof(lo)), fmt(x->ci_high, hi, sizeof(hi)),
	       x->ci_clipped ? ", clipped to [-1, 1]" : "");
}

static void print_fleiss_alpha(const struct agree_cmd *c, const struct agree_result *r)
{
	char a[160], b[64], z[64];
	/* With two raters Fleiss' kappa is Scott's pi, and is named so. */
	printf("  %-22s %s", c->nraters == 2 ? "Scott's pi" : "Fleiss' kappa",
	       fmt(r->fleiss.kappa, a, sizeof(a)));
	print_interval(c->nraters == 2 ? &r->pairs[0].scott : &r->fleiss_se);
	if (!r->fleiss.z.undefined)
		printf(" (z = %s, %s)", fmt(r->fleiss.z, z, sizeof(z)),
		       fmt_p(r->fleiss.p, b, sizeof(b)));
	printf("\n  %-22s %s; over %ld issue%s coded by two or more raters, %ld codes\n",
	       "Krippendorff's alpha", fmt(r->alpha.alpha, a, sizeof(a)), r->alpha.units,
	       r->alpha.units == 1 ? "" : "s", r->alpha.values);
}

static char **class_names(const struct agree_result *r)
{
	char **names = xcalloc(r->nclasses, sizeof(char *));
	for (size_t i = 0; i < r->nclasses; i++) {
		char buf[512];
		agree_class_name(&r->classes[i], buf, sizeof(buf));
		names[i] = termsafe_dup(buf, 0); /* from a taxonomy file: shown, never sent */
	}
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The width of a label column: its header or its widest name. */
static int label_width(const char *header, char **names, size_t n)
{
	int w = text_width(header);
	for (size_t i = 0; i < n; i++)
		if (text_width(names[i]) > w)
			w = text_width(names[i]);
	return w;
}

/* The width of a count column under a heading: the heading, and at least 5. */
static int count_width(const char *heading)
{
	int w = text_width(heading);
	return w > 5 ? w : 5;
}

static void print_confusion(const struct agree_cmd *c, const struct agree_result *r,
                            const struct agree_pair *p, char **names)
{
	size_t k = r->nclasses;
	int label = label_width("total", names, k);
	printf("\n  rows %s, columns %s\n  ", c->raters[p->a], c->raters[p->b]);
	pad("", label, 0);
	for (size_t j = 0; j < k; j++) {
		printf("  ");
		pad(names[j], count_width(names[j]), 1);
	}
	printf("  total\n");
	long *cols = xcalloc(k + 1, sizeof(long));
	for (size_t i = 0; i <= k; i++) {
		printf("  ");
		pad(i < k ? names[i] : "total", label, 0);
		long row = 0;
		for (size_t j = 0; j < k; j++) {
			char n[32];
			long v = i < k ? p->table[i * k + j] : cols[j];
			snprintf(n, sizeof(n), "%ld", v);
			printf("  ");
			pad(n, count_width(names[j]), 1);
			if (i < k)
				cols[j] += v;
			row += v;
		}
		printf("  %5ld\n", row);
	}
	free(cols);
}

static void print_per_category(const struct agree_cmd *c, const struct agree_result *r,
                               const struct agree_pair *p, char **names)
{
	int label = label_width("category", names, r->nclasses);
	int wa = text_width(c->raters[p->a]), wb = text_width(c->raters[p->b]);
	wa = wa < 5 ? 5 : wa;
	wb = wb < 5 ? 5 : wb;
	printf("\n  ");
	pad("category", label, 0);
	printf("  ");
	pad(c->raters[p->a], wa, 1);
	printf("  ");
	pad(c->raters[p->b], wb, 1);
	printf("   both  specific   kappa\n");
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct stats_category_agreement *a = &p->per_category[i];
		char sp[32] = "-", kp[32] = "-";
		if (!a->specific.undefined)
			print_number(sp, sizeof(sp), a->specific.v, 3);
		if (!a->kappa.undefined)
			print_number(kp, sizeof(kp), a->kappa.v, 3);
		printf("  ");
		pad(names[i], label, 0);
		printf("  %*ld  %*ld  %5ld  %8s  %6s\n", wa, a->count_a, wb, a->count_b, a->both,
		       sp, kp);
	}
}

static void print_pairs(const struct agree_cmd *c, const struct agree_result *r)
{
	printf("  Cohen's kappa per pair:\n");
	for (size_t i = 0; i < r->npairs; i++) {
		const struct agree_pair *p = &r->pairs[i];
		char label[256];
		snprintf(label, sizeof(label), "  %s, %s", c->raters[p->a], c->raters[p->b]);
		print_kappa_line(label, &p->cohen);
	}
}

static void print_fleiss_categories(const struct agree_result *r, char **names)
{
	int label = label_width("category", names, r->nclasses);
	printf("\n  ");
	pad("category", label, 0);
	printf("  ratings  Fleiss' kappa\n");
	for (size_t i = 0; i < r->nclasses; i++) {
		char kp[32] = "-";
		if (!r->fleiss_per_category[i].undefined)
			print_number(kp, sizeof(kp), r->fleiss_per_category[i].v, 3);
		printf("  ");
		pad(names[i], label, 0);
		printf("  %7ld  %13s\n", r->ratings[i], kp);
	}
}

static void print_bootstrap(const char *what, const struct stats_bootstrap *b)
{
	char lo[160], hi[64];
	printf("  %-22s %s", what, b->defined ? "95% CI " : "");
	if (b->defined)
		printf("%s to %s", fmt(b->low, lo, sizeof(lo)), fmt(b->high, hi, sizeof(hi)));
	else
		printf("%s", fmt(b->low, lo, sizeof(lo)));
	if (b->defined < b->replicates)
		printf(" (%ld of %ld resamples had a value)", b->defined, b->replicates);
	printf("\n");
}

/* Gwet's AC1, PABAK, Light's kappa and the bootstrap intervals (agree.h). */
static void print_more(const struct agree_cmd *c, const struct agree_result *r)
{
	char a[160];
	const struct stats_coef *ac1 = c->nraters == 2 ? &r->pairs[0].ac1 : &r->ac1;
	printf("  %-22s %s", "Gwet's AC1", fmt(ac1->value, a, sizeof(a)));
	print_interval(ac1);
	printf("; chance agreement over %zu categories\n", r->nscale);
	if (c->nraters == 2) {
		const struct stats_coef *p = &r->pairs[0].pabak;
		printf("  %-22s %s", "PABAK", fmt(p->value, a, sizeof(a)));
		print_interval(p);
		printf("; (%zu p_o - 1) / %zu\n", r->nscale, r->nscale - 1);
	} else {
		printf("  %-22s %s; the mean of the %zu pairs' Cohen's kappas\n", "Light's kappa",
		       fmt(r->light, a, sizeof(a)), r->npairs);
	}
	if (c->bootstrap <= 0)
		return;
	printf("  bootstrap: %ld resamples of the issues, seed %llu, percentile intervals\n",
	       c->bootstrap, (unsigned long long)c->seed);
	print_bootstrap(c->nraters == 2 ? "  Cohen's kappa" : "  Fleiss' kappa", &r->boot_kappa);
	print_bootstrap("  Krippendorff's alpha", &r->boot_alpha);
}

static void print_result(const struct agree_cmd *c, const struct agree_result *r)
{
	print_heading(c, r);
	char **names = class_names(r);
	if (c->nraters == 2)
		print_cohen(&r->pairs[0].cohen);
	print_fleiss_alpha(c, r);
	print_more(c, r);
	if (c->nraters > 2)
		print_pairs(c, r);
	if (r->n > 0 && c->nraters == 2) {
		print_confusion(c, r, &r->pairs[0], names);
		print_per_category(c, r, &r->pairs[0], names);
	} else if (r->n > 0) {
		print_fleiss_categories(r, names);
	}
	free_names(names, r->nclasses);
}

static void print_text(const struct agree_cmd *c)
{
	const struct agree_report *rep = c->report;
	printf("sample '%s' (%ld issue%s), raters ", c->sample, c->sample_size,
	       c->sample_size == 1 ? "" : "s");
	for (size_t i = 0; i < c->nraters; i++)
		printf("%s%s", i == 0 ? "" : i + 1 == c->nraters ? " and " : ", ", c->raters[i]);
	printf(", %s\n", rep->level == AGREE_LEVEL_SUB ? "categories with sub-categories"
	                                               : "top-level categories");
	print_notes(c);
	for (size_t i = 0; i < rep->nresults; i++) {
		const struct agree_result *r = &rep->results[i];
		if (i > 0 && r->repository == NULL && rep->results[i - 1].repository != NULL)
			printf("\n== all repositories ==");
		else if (r->repository && (i == 0 || !rep->results[i - 1].repository ||
		                           strcmp(r->repository, rep->results[i - 1].repository)))
			printf("\n== %s ==", r->repository);
		printf("\n");
		print_result(c, r);
	}
}

/* --- JSON --- */

static json_t *jnum(struct stats_num x)
{
	return x.undefined ? json_null() : json_real(x.v);
}

static void note_undefined(json_t *why, const char *field, struct stats_num x)
{
	if (x.undefined && !json_object_get(why, field))
		json_object_set_new(why, field, json_string(x.undefined));
}

static json_t *json_categories(const struct agree_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nclasses; i++) {
		char key[512], name[512];
		agree_class_key(&r->classes[i], key, sizeof(key));
		agree_class_name(&r->classes[i], name, sizeof(name));
		json_array_append_new(a, json_pack("{s:s, s:s}", "key", key, "name", name));
	}
	return a;
}

static json_t *json_confusion(const struct agree_cmd *c, const struct agree_result *r,
                              const struct agree_pair *p)
{
	size_t k = r->nclasses;
	json_t *rows = json_array();
	for (size_t i = 0; i < k; i++) {
		json_t *row = json_array();
		for (size_t j = 0; j < k; j++)
			json_array_append_new(row, json_integer(p->table[i * k + j]));
		json_array_append_new(rows, row);
	}
	return json_pack("{s:s, s:s, s:o}", "rows", c->raters[p->a], "columns", c->raters[p->b],
	                 "counts", rows);
}

static json_t *json_pair_categories(const struct agree_cmd *c, const struct agree_result *r,
                                    const struct agree_pair *p)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nclasses; i++) {
		const struct stats_category_agreement *x = &p->per_category[i];
		char key[512], name[512];
		agree_class_key(&r->classes[i], key, sizeof(key));
		agree_class_name(&r->classes[i], name, sizeof(name));
		json_t *counts = json_object();
		json_object_set_new(counts, c->raters[p->a], json_integer(x->count_a));
		json_object_set_new(counts, c->raters[p->b], json_integer(x->count_b));
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:I, s:o, s:o}", "category",
		                                   key, "name", name, "counts", counts, "both",
		                                   (json_int_t)x->both, "specific_agreement",
		                                   jnum(x->specific), "kappa", jnum(x->kappa)));
	}
	return a;
}

static json_t *json_fleiss_categories(const struct agree_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nclasses; i++) {
		char key[512], name[512];
		agree_class_key(&r->classes[i], key, sizeof(key));
		agree_class_name(&r->classes[i], name, sizeof(name));
		json_array_append_new(a,
		                      json_pack("{s:s, s:s, s:I, s:o}", "category", key, "name",
		                                name, "ratings", (json_int_t)r->ratings[i],
		                                "fleiss_kappa", jnum(r->fleiss_per_category[i])));
	}
	return a;
}

/* Cohen's statistics into o (kappa, se, ...), nulls where undefined, with reasons in why. */
static void json_cohen(json_t *o, json_t *why, const struct stats_cohen *k)
{
	const struct {
		const char *name;
		struct stats_num v;
	} f[] = {{"observed", k->observed},
	         {"expected", k->expected},
	         {"kappa", k->kappa},
	         {"se", k->se},
	         {"ci_low", k->ci_low},
	         {"ci_high", k->ci_high},
	         {"se0", k->se0},
	         {"z", k->z},
	         {"p", k->p}};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		json_object_set_new(o, f[i].name, jnum(f[i].v));
		note_undefined(why, f[i].name, f[i].v);
	}
	json_object_set_new(o, "landis_koch",
	                    k->kappa.undefined ? json_null()
	                                       : json_string(stats_landis_koch(k->kappa.v)));
	json_object_set_new(o, "mchugh",
	                    k->kappa.undefined ? json_null()
	                                       : json_string(stats_mchugh(k->kappa.v)));
}

/* A coefficient as {value, se, ci_low, ci_high, ci_clipped, observed, expected}; reasons in why. */
static json_t *json_coef(json_t *why, const char *name, const struct stats_coef *x)
{
	note_undefined(why, name, x->value);
	return json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "value", jnum(x->value), "se",
	                 jnum(x->se), "ci_low", jnum(x->ci_low), "ci_high", jnum(x->ci_high),
	                 "ci_clipped", x->ci_clipped, "observed", jnum(x->observed), "expected",
	                 jnum(x->expected));
}

/* A pair's statistics beside Cohen's kappa. */
static void json_pair_more(json_t *o, json_t *why, const struct agree_pair *p)
{
	json_object_set_new(o, "ci_clipped", json_boolean(p->cohen.ci_clipped));
	json_object_set_new(o, "scott_pi", json_coef(why, "scott_pi", &p->scott));
	json_object_set_new(o, "gwet_ac1", json_coef(why, "gwet_ac1", &p->ac1));
	json_object_set_new(o, "pabak", json_coef(why, "pabak", &p->pabak));
}

static json_t *json_bootstrap(const struct agree_cmd *c, const struct agree_result *r)
{
	if (c->bootstrap <= 0)
		return json_null();
	const struct stats_bootstrap *k = &r->boot_kappa, *a = &r->boot_alpha;
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:I}", "resamples",
	                 (json_int_t)c->bootstrap, "seed", (json_int_t)c->seed, "interval",
	                 "percentile", "kappa_statistic",
	                 c->nraters == 2 ? "cohen_kappa" : "fleiss_kappa", "kappa_ci_low",
	                 jnum(k->low), "kappa_ci_high", jnum(k->high), "kappa_resamples_defined",
	                 (json_int_t)k->defined, "alpha_ci_low", jnum(a->low), "alpha_ci_high",
	                 jnum(a->high), "alpha_resamples_defined", (json_int_t)a->defined);
}

/* The result's statistics beside kappa, Fleiss' kappa and alpha (agree.h). */
static void json_result_more(json_t *o, json_t *why, const struct agree_cmd *c,
                             const struct agree_result *r)
{
	json_object_set_new(o, "ci", json_string("95% Wald interval, clipped to [-1, 1]"));
	json_object_set_new(o, "categories_available", json_integer((json_int_t)r->nscale));
	if (c->nraters == 2) {
		json_pair_more(o, why, &r->pairs[0]);
	} else {
		json_object_set_new(o, "ci_clipped", json_null());
		json_object_set_new(o, "scott_pi", json_null());
		json_object_set_new(o, "gwet_ac1", json_coef(why, "gwet_ac1", &r->ac1));
		json_object_set_new(o, "pabak", json_null());
	}
	json_object_set_new(o, "fleiss_se", jnum(r->fleiss_se.se));
	json_object_set_new(o, "fleiss_ci_low", jnum(r->fleiss_se.ci_low));
	json_object_set_new(o, "fleiss_ci_high", jnum(r->fleiss_se.ci_high));
	json_object_set_new(o, "fleiss_ci_clipped", json_boolean(r->fleiss_se.ci_clipped));
	json_object_set_new(o, "fleiss_se0", jnum(r->fleiss.se0));
	json_object_set_new(o, "light_kappa", jnum(r->light));
	note_undefined(why, "light_kappa", r->light);
	json_object_set_new(o, "bootstrap", json_bootstrap(c, r));
}

static json_t *json_pair(const struct agree_cmd *c, const struct agree_result *r,
                         const struct agree_pair *p)
{
	json_t *o = json_object(), *why = json_object();
	json_object_set_new(o, "raters", json_pack("[s, s]", c->raters[p->a], c->raters[p->b]));
	json_object_set_new(o, "n", json_integer(p->cohen.n));
	json_cohen(o, why, &p->cohen);
	json_object_set_new(o, "confusion", json_confusion(c, r, p));
	json_object_set_new(o, "per_category", json_pair_categories(c, r, p));
	json_pair_more(o, why, p);
	json_object_set_new(o, "undefined", why);
	return o;
}

static void json_null_cohen(json_t *o)
{
	const char *f[] = {"observed", "expected", "kappa", "se",          "ci_low", "ci_high",
	                   "se0",      "z",        "p",     "landis_koch", "mchugh"};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		json_object_set_new(o, f[i], json_null());
}

/* What the result is about: repository, dimension, raters and the issues compared. */
static void json_scope(json_t *o, const struct agree_cmd *c, const struct agree_report *rep,
                       const struct agree_result *r)
{
	json_t *raters = json_array(), *missing = json_object(), *excluded = json_object();
	json_t *versions = json_array();
	for (size_t i = 0; i < c->nraters; i++) {
		json_array_append_new(raters, json_string(c->raters[i]));
		json_object_set_new(missing, c->raters[i], json_integer(r->not_coded_by[i]));
		json_object_set_new(excluded, c->raters[i], json_integer(r->excluded_by[i]));
	}
	for (size_t i = 0; i < c->nversions; i++)
		json_array_append_new(versions, json_integer(c->versions[i]));
	json_object_set_new(o, "repository",
	                    r->repository ? json_string(r->repository) : json_null());
	json_object_set_new(o, "dimension", json_string(r->dim->key));
	json_object_set_new(o, "dimension_name", json_string(r->dim->name));
	json_object_set_new(o, "level", json_string(rep->level == AGREE_LEVEL_SUB ? "sub" : "top"));
	json_object_set_new(o, "raters", raters);
	json_object_set_new(o, "sample_issues", json_integer(r->sample_issues));
	json_object_set_new(o, "n", json_integer(r->n));
	json_object_set_new(o, "left_out", json_integer(r->left_out));
	json_object_set_new(o, "not_coded_by", missing);
	json_object_set_new(o, "excluded_by", excluded);
	json_object_set_new(o, "taxonomy_versions", versions);
}

static json_t *json_result(const struct agree_cmd *c, const struct agree_report *rep,
                           const struct agree_result *r)
{
	json_t *o = json_object(), *why = json_object();
	json_scope(o, c, rep, r);
	if (c->nraters == 2) {
		json_cohen(o, why, &r->pairs[0].cohen);
	} else {
		json_null_cohen(o);
		json_object_set_new(
		        why, "kappa",
		        json_string("more than two raters: Cohen's kappa is in \"pairs\""));
	}
	json_object_set_new(o, "alpha", jnum(r->alpha.alpha));
	note_undefined(why, "alpha", r->alpha.alpha);
	json_object_set_new(o, "alpha_issues", json_integer(r->alpha.units));
	json_object_set_new(o, "alpha_codes", json_integer(r->alpha.values));
	json_object_set_new(o, "fleiss_kappa", jnum(r->fleiss.kappa));
	note_undefined(why, "fleiss_kappa", r->fleiss.kappa);
	json_object_set_new(o, "fleiss_z", jnum(r->fleiss.z));
	json_object_set_new(o, "fleiss_p", jnum(r->fleiss.p));
	json_object_set_new(o, "categories", json_categories(r));
	if (c->nraters == 2) {
		json_object_set_new(o, "confusion", json_confusion(c, r, &r->pairs[0]));
		json_object_set_new(o, "per_category", json_pair_categories(c, r, &r->pairs[0]));
	} else {
		json_t *pairs = json_array();
		for (size_t i = 0; i < r->npairs; i++)
			json_array_append_new(pairs, json_pair(c, r, &r->pairs[i]));
		json_object_set_new(o, "confusion", json_null());
		json_object_set_new(o, "per_category", json_fleiss_categories(r));
		json_object_set_new(o, "pairs", pairs);
	}
	json_result_more(o, why, c, r);
	json_object_set_new(o, "undefined", why);
	return o;
}

static void print_json(const struct agree_cmd *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->report->nresults; i++)
		json_array_append_new(a, json_result(c, c->report, &c->report->results[i]));
	cli_print_json(a);
}

/* --- CSV --- */

enum {
	CSV_REPOSITORY,
	CSV_DIMENSION,
	CSV_LEVEL,
	CSV_RATERS,
	CSV_N,
	CSV_LEFT_OUT,
	CSV_OBSERVED,
	CSV_EXPECTED,
	CSV_KAPPA,
	CSV_SE,
	CSV_CI_LOW,
	CSV_CI_HIGH,
	CSV_Z,
	CSV_P,
	CSV_LANDIS_KOCH,
	CSV_MCHUGH,
	CSV_ALPHA,
	CSV_FLEISS_KAPPA,
	CSV_CI_CLIPPED,
	CSV_SCOTT_PI,
	CSV_AC1,
	CSV_AC1_SE,
	CSV_AC1_CI_LOW,
	CSV_AC1_CI_HIGH,
	CSV_PABAK,
	CSV_FLEISS_SE,
	CSV_FLEISS_CI_LOW,
	CSV_FLEISS_CI_HIGH,
	CSV_LIGHT_KAPPA,
	CSV_BOOT_KAPPA_LOW,
	CSV_BOOT_KAPPA_HIGH,
	CSV_BOOT_ALPHA_LOW,
	CSV_BOOT_ALPHA_HIGH,
	CSV_COLUMNS
};

static const char *const csv_header[CSV_COLUMNS] = {"repository",
                                                    "dimension",
                                                    "level",
                                                    "raters",
                                                    "n",
                                                    "left_out",
                                                    "observed",
                                                    "expected",
                                                    "kappa",
                                                    "se",
                                                    "ci_low",
                                                    "ci_high",
                                                    "z",
                                                    "p",
                                                    "landis_koch",
                                                    "mchugh",
                                                    "alpha",
                                                    "fleiss_kappa",
                                                    "ci_clipped",
                                                    "scott_pi",
                                                    "gwet_ac1",
                                                    "gwet_ac1_se",
                                                    "gwet_ac1_ci_low",
                                                    "gwet_ac1_ci_high",
                                                    "pabak",
                                                    "fleiss_se",
                                                    "fleiss_ci_low",
                                                    "fleiss_ci_high",
                                                    "light_kappa",
                                                    "bootstrap_kappa_ci_low",
                                                    "bootstrap_kappa_ci_high",
                                                    "bootstrap_alpha_ci_low",
                                                    "bootstrap_alpha_ci_high"};

/* A CSV row: text points at borrowed strings or, for numbers, at the row's own cells. */
struct csv_line {
	char cell[CSV_COLUMNS][64];
	const char *text[CSV_COLUMNS];
};

/* s is borrowed: it must outlive the row's writing. */
static void csv_set(struct csv_line *l, int col, const char *s)
{
	l->text[col] = s;
}

static void csv_long(struct csv_line *l, int col, long v)
{
	snprintf(l->cell[col], sizeof(l->cell[col]), "%ld", v);
	l->text[col] = l->cell[col];
}

static void csv_num(struct csv_line *l, int col, struct stats_num x)
{
	if (!x.undefined) {
		print_number(l->cell[col], sizeof(l->cell[col]), x.v, 6);
		l->text[col] = l->cell[col];
	}
}

static void csv_cohen(struct csv_line *l, const struct stats_cohen *k)
{
	csv_num(l, CSV_OBSERVED, k->observed);
	csv_num(l, CSV_EXPECTED, k->expected);
	csv_num(l, CSV_KAPPA, k->kappa);
	csv_num(l, CSV_SE, k->se);
	csv_num(l, CSV_CI_LOW, k->ci_low);
	csv_num(l, CSV_CI_HIGH, k->ci_high);
	csv_num(l, CSV_Z, k->z);
	csv_num(l, CSV_P, k->p);
	if (!k->kappa.undefined) {
		csv_set(l, CSV_LANDIS_KOCH, stats_landis_koch(k->kappa.v));
		csv_set(l, CSV_MCHUGH, stats_mchugh(k->kappa.v));
	}
}

/* A pair's statistics beside Cohen's kappa. */
static void csv_pair_more(struct csv_line *l, const struct agree_pair *p)
{
	if (!p->cohen.kappa.undefined)
		csv_set(l, CSV_CI_CLIPPED, p->cohen.ci_clipped ? "true" : "false");
	csv_num(l, CSV_SCOTT_PI, p->scott.value);
	csv_num(l, CSV_AC1, p->ac1.value);
	csv_num(l, CSV_AC1_SE, p->ac1.se);
	csv_num(l, CSV_AC1_CI_LOW, p->ac1.ci_low);
	csv_num(l, CSV_AC1_CI_HIGH, p->ac1.ci_high);
	csv_num(l, CSV_PABAK, p->pabak.value);
}

/* The result's row: the statistics beside kappa, alpha and Fleiss' kappa. */
static void csv_result_more(struct csv_line *l, const struct agree_cmd *c,
                            const struct agree_result *r)
{
	if (c->nraters == 2) {
		csv_pair_more(l, &r->pairs[0]);
	} else {
		csv_num(l, CSV_AC1, r->ac1.value);
		csv_num(l, CSV_AC1_SE, r->ac1.se);
		csv_num(l, CSV_AC1_CI_LOW, r->ac1.ci_low);
		csv_num(l, CSV_AC1_CI_HIGH, r->ac1.ci_high);
		csv_num(l, CSV_LIGHT_KAPPA, r->light);
	}
	csv_num(l, CSV_FLEISS_SE, r->fleiss_se.se);
	csv_num(l, CSV_FLEISS_CI_LOW, r->fleiss_se.ci_low);
	csv_num(l, CSV_FLEISS_CI_HIGH, r->fleiss_se.ci_high);
	if (c->bootstrap > 0) {
		csv_num(l, CSV_BOOT_KAPPA_LOW, r->boot_kappa.low);
		csv_num(l, CSV_BOOT_KAPPA_HIGH, r->boot_kappa.high);
		csv_num(l, CSV_BOOT_ALPHA_LOW, r->boot_alpha.low);
		csv_num(l, CSV_BOOT_ALPHA_HIGH, r->boot_alpha.high);
	}
}

static void csv_start(struct csv_line *l, const struct agree_report *rep,
                      const struct agree_result *r, const char *raters, long n)
{
	memset(l, 0, sizeof(*l));
	if (r->repository)
		csv_set(l, CSV_REPOSITORY, r->repository);
	csv_set(l, CSV_DIMENSION, r->dim->key);
	csv_set(l, CSV_LEVEL, rep->level == AGREE_LEVEL_SUB ? "sub" : "top");
	csv_set(l, CSV_RATERS, raters);
	csv_long(l, CSV_N, n);
	csv_long(l, CSV_LEFT_OUT, r->left_out);
}

static void print_csv(const struct agree_cmd *c)
{
	csv_write_row(stdout, csv_header, CSV_COLUMNS);
	struct strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < c->nraters; i++)
		strbuf_addf(&all, "%s%s", i ? " " : "", c->raters[i]);
	for (size_t i = 0; i < c->report->nresults; i++) {
		const struct agree_result *r = &c->report->results[i];
		struct csv_line l;
		csv_start(&l, c->report, r, all.buf, r->n);
		if (c->nraters == 2)
			csv_cohen(&l, &r->pairs[0].cohen);
		csv_num(&l, CSV_ALPHA, r->alpha.alpha);
		csv_num(&l, CSV_FLEISS_KAPPA, r->fleiss.kappa);
		csv_result_more(&l, c, r);
		csv_write_row(stdout, l.text, CSV_COLUMNS);
		for (size_t p = 0; c->nraters > 2 && p < r->npairs; p++) {
			char pair[512];
			snprintf(pair, sizeof(pair), "%s %s", c->raters[r->pairs[p].a],
			         c->raters[r->pairs[p].b]);
			csv_start(&l, c->report, r, pair, r->pairs[p].cohen.n);
			csv_cohen(&l, &r->pairs[p].cohen);
			csv_pair_more(&l, &r->pairs[p]);
			csv_write_row(stdout, l.text, CSV_COLUMNS);
		}
	}
	strbuf_release(&all);
}

/* --- options --- */

/*
 * Splits "a,b,c" into names (pointers into a copy the caller frees), at
 * least min of them; usage error on a bad list.
 */
static char *split_raters(const char *list, struct agree_cmd *c, size_t min)
{
	char *copy = xstrdup(list);
	size_t alloc = 0;
	for (char *p = copy, *end; p; p = end ? end + 1 : NULL) {
		end = strchr(p, ',');
		if (end)
			*end = '\0';
		if (!rater_name_valid(p))
			usage_error("agree", "--raters: '%s' is not a rater name", p);
		for (size_t i = 0; i < c->nraters; i++)
			if (!strcmp(c->raters[i], p))
				usage_error("agree", "--raters: '%s' is given twice", p);
		xgrow((void **)&c->raters, &alloc, c->nraters + 1, sizeof(*c->raters));
		c->raters[c->nraters++] = p;
	}
	if (c->nraters < min)
		usage_error("agree", "--raters: give at least two raters, separated by commas");
	return copy;
}

static int rater_ids(struct store *s, const struct agree_cmd *c, int64_t *ids)
{
	struct error err;
	for (size_t i = 0; i < c->nraters; i++) {
		if (rater_id(s, c->raters[i], 0, &ids[i], &err))
			return cli_fail(&err);
		if (!ids[i]) {
			cli_error("no rater named '%s'", c->raters[i]);
			return EXIT_FAILURE;
		}
	}
	return 0;
}

static const struct tax_dimension *find_dimension(const struct taxonomy *t, const char *word)
{
	const struct tax_dimension *d = tax_find_dimension(t, word);
	if (d)
		return d;
	struct strbuf valid = STRBUF_INIT;
	for (size_t i = 0; i < t->ndims; i++)
		strbuf_addf(&valid, "%s%s", i ? ", " : "", t->dims[i].key);
	cli_error("taxonomy '%s' has no dimension '%s' (valid: %s, " AGREE_EXCLUSION_KEY ")",
	          t->name, word, valid.buf);
	strbuf_release(&valid);
	return NULL;
}

struct agree_args {
	const char *sample, *taxonomy, *dimension, *level, *format;
	int by_repo;
	long bootstrap;       /* -1: not given */
	const char *seed;     /* NULL: not given */
	char *setting_format; /* from the settings, owned */
};

/* The bootstrap's seed, 0 to INT64_MAX, as samples take it. */
static int parse_seed(const char *text, uint64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (!isdigit((unsigned char)*text) || errno || *end || v < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/*
 * Fills what the command line left unsaid from the settings (agree.format,
 * agree.bootstrap, agree.seed; see settings.h); flags win.
 */
static int apply_settings(struct store *s, struct agree_args *a, struct agree_cmd *c)
{
	struct error err;
	char *format = NULL, *boot = NULL, *seed = NULL;
	if (settings_get(s, "agree.format", &format, &err) ||
	    settings_get(s, "agree.bootstrap", &boot, &err) ||
	    settings_get(s, "agree.seed", &seed, &err)) {
		free(format);
		free(boot);
		return cli_fail(&err);
	}
	if (!a->format && format)
		a->format = a->setting_format = format;
	else
		free(format);
	if (!a->format)
		a->format = "text";
	c->bootstrap = a->bootstrap >= 0 ? a->bootstrap : boot ? strtol(boot, NULL, 10) : 0;
	if (!a->seed && seed)
		parse_seed(seed, &c->seed);
	free(boot);
	free(seed);
	return 0;
}

static void print_report(const struct agree_cmd *c, const char *format)
{
	if (!strcmp(format, "json")) {
		print_json(c);
	} else if (!strcmp(format, "csv")) {
		struct strbuf sb = STRBUF_INIT;
		tax_versions_note(c->taxonomy, c->versions, c->nversions, &sb);
		if (sb.len)
			cli_warning("%s", sb.buf);
		strbuf_release(&sb);
		print_csv(c);
	} else {
		print_text(c);
	}
}

static int run(struct store *s, struct agree_args *a, struct agree_cmd *c)
{
	struct error err;
	int64_t set_id;
	if (apply_settings(s, a, c))
		return EXIT_FAILURE;
	if (set_find(s, a->sample, &set_id, &err) ||
	    (set_id && set_size(s, set_id, &c->sample_size, &err)))
		return cli_fail(&err);
	if (!set_id) {
		cli_error("no sample named '%s'", a->sample);
		return EXIT_FAILURE;
	}
	int64_t *ids = xcalloc(c->nraters, sizeof(int64_t));
	struct taxonomy *t = NULL;
	int rc = rater_ids(s, c, ids);
	if (!rc && tax_read(s, a->taxonomy, &t, &err))
		rc = cli_fail(&err);
	struct agree_options o = {set_id,
	                          ids,
	                          c->nraters,
	                          NULL,
	                          !strcmp(a->level, "sub") ? AGREE_LEVEL_SUB : AGREE_LEVEL_TOP,
	                          a->by_repo,
	                          c->bootstrap,
	                          c->seed};
	o.exclusion_only = a->dimension && !strcmp(a->dimension, AGREE_EXCLUSION_KEY);
	if (!rc && a->dimension && !o.exclusion_only && !(o.dim = find_dimension(t, a->dimension)))
		rc = EXIT_FAILURE;
	struct agree_report *rep = NULL;
	if (!rc && (agree_compute(s, t, &o, &rep, &err) ||
	            tax_versions_of_codes(s, set_id, ids, c->nraters, t->id, &c->versions,
	                                  &c->nversions, &err)))
		rc = cli_fail(&err);
	if (!rc) {
		c->report = rep;
		c->taxonomy = t->name;
		print_report(c, a->format);
	}
	free(c->versions);
	agree_report_free(rep);
	if (t)
		tax_free(t);
	free(ids);
	return rc;
}

/* --- --against: one rater against the humans and their consensus --- */

struct against_cmd {
	const char *sample, *rater, *consensus; /* consensus NULL: where the humans agree */
	long sample_size;
	const char **humans;
	size_t nhumans;
	enum agree_level level;
	const struct against_report *report;
};

/* "alice", "alice and bob", "alice, bob and carol" */
static void print_names(const char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
}

static void print_against_cell(const char *label, const struct against_cell *c)
{
	char o[160], k[160], lo[64], hi[64];
	printf("  %-22s %6ld %7ld  %8s  %s", label, c->n, c->agreed,
	       c->cohen.observed.undefined ? "-" : fmt(c->cohen.observed, o, sizeof(o)),
	       fmt(c->cohen.kappa, k, sizeof(k)));
	if (!c->cohen.kappa.undefined && !c->cohen.se.undefined)
		printf(" (95%% CI %s to %s)", fmt(c->cohen.ci_low, lo, sizeof(lo)),
		       fmt(c->cohen.ci_high, hi, sizeof(hi)));
	printf("\n");
}

/* The table by confidence: agreed/n of each comparison in each bin. */
static void print_against_bins(const struct against_cmd *c, const struct against_result *r)
{
	const struct against_report *rep = c->report;
	printf("  %-22s", "by confidence");
	for (size_t b = 0; b < rep->nbins; b++) {
		char label[64];
		against_bin_label(rep, b, label, sizeof(label));
		printf(" %14s", label);
	}
	printf("\n");
	for (size_t h = 0; h <= c->nhumans; h++) {
		const struct against_comparison *cmp =
		        h < c->nhumans ? &r->humans[h] : &r->consensus;
		printf("  %-22s", h < c->nhumans ? c->humans[h] : "consensus");
		for (size_t b = 0; b < rep->nbins; b++) {
			char cellbuf[64], o[64];
			const struct against_cell *x = &cmp->bins[b];
			if (x->n)
				snprintf(cellbuf, sizeof(cellbuf), "%s (%ld/%ld)",
				         fmt(x->cohen.observed, o, sizeof(o)), x->agreed, x->n);
			else
				snprintf(cellbuf, sizeof(cellbuf), "-");
			printf(" %14s", cellbuf);
		}
		printf("\n");
	}
}

static void print_against_result(const struct against_cmd *c, const struct against_result *r)
{
	printf("\n%s (%s): %s coded %ld of %ld issues", cli_text(r->dim->key),
	       cli_text(r->dim->name), c->rater, r->rater_coded, r->sample_issues);
	if (!c->consensus && r->no_consensus)
		printf("; the humans differ on %ld (no consensus there)", r->no_consensus);
	printf("\n  %-22s %6s %7s  %8s  %s\n", "against", "n", "agreed", "observed",
	       "Cohen's kappa");
	for (size_t h = 0; h < c->nhumans; h++)
		print_against_cell(c->humans[h], &r->humans[h].all);
	print_against_cell("consensus", &r->consensus.all);
	for (size_t a = 0, p = 0; a < c->nhumans; a++)
		for (size_t b = a + 1; b < c->nhumans; b++, p++) {
			char label[256];
			snprintf(label, sizeof(label), "%s, %s (humans)", c->humans[a],
			         c->humans[b]);
			print_against_cell(label, &r->human_pairs[p]);
		}
	print_against_bins(c, r);
}

static void print_against_text(const struct against_cmd *c)
{
	printf("rater %s against ", c->rater);
	print_names(c->humans, c->nhumans);
	printf(" on sample '%s' (%ld issue%s), %s\n", c->sample, c->sample_size,
	       c->sample_size == 1 ? "" : "s",
	       c->level == AGREE_LEVEL_SUB ? "categories with sub-categories"
	                                   : "top-level categories");
	if (c->consensus) {
		printf("consensus: the codes of %s\n", c->consensus);
	} else {
		printf("consensus: where ");
		print_names(c->humans, c->nhumans);
		printf(c->nhumans > 2 ? " all agree\n" : c->nhumans > 1 ? " agree\n" : " coded\n");
	}
	for (size_t i = 0; i < c->report->nresults; i++)
		print_against_result(c, &c->report->results[i]);
}

static json_t *json_against_cell(const struct against_cell *x)
{
	json_t *o = json_pack("{s:I, s:I}", "n", (json_int_t)x->n, "agreed", (json_int_t)x->agreed);
	json_t *why = json_object();
	json_cohen(o, why, &x->cohen);
	json_object_set_new(o, "ci_clipped", json_boolean(x->cohen.ci_clipped));
	json_object_set_new(o, "landis_koch",
	                    x->cohen.kappa.undefined
	                            ? json_null()
	                            : json_string(stats_landis_koch(x->cohen.kappa.v)));
	json_object_set_new(o, "undefined", why);
	return o;
}

static json_t *json_against_comparison(const struct against_report *rep, const char *against,
                                       const char *kind, const struct against_comparison *c)
{
	json_t *o = json_against_cell(&c->all), *bins = json_array();
	json_object_set_new(o, "against", json_string(against));
	json_object_set_new(o, "kind", json_string(kind));
	for (size_t b = 0; b < rep->nbins; b++) {
		char label[64];
		against_bin_label(rep, b, label, sizeof(label));
		json_t *x = json_against_cell(&c->bins[b]);
		json_object_set_new(x, "bin", json_string(label));
		json_object_set_new(x, "low",
		                    b <= rep->nedges ? json_real(b ? rep->edges[b - 1] : 0)
		                                     : json_null());
		json_object_set_new(x, "high",
		                    b <= rep->nedges
		                            ? json_real(b < rep->nedges ? rep->edges[b] : 1)
		                            : json_null());
		json_array_append_new(bins, x);
	}
	json_object_set_new(o, "bins", bins);
	return o;
}

static json_t *json_against_result(const struct against_cmd *c, const struct against_result *r)
{
	json_t *against = json_array(), *pairs = json_array();
	for (size_t h = 0; h < c->nhumans; h++)
		json_array_append_new(against, json_against_comparison(c->report, c->humans[h],
		                                                       "human", &r->humans[h]));
	json_array_append_new(against, json_against_comparison(c->report, "consensus", "consensus",
	                                                       &r->consensus));
	for (size_t a = 0, p = 0; a < c->nhumans; a++)
		for (size_t b = a + 1; b < c->nhumans; b++, p++) {
			json_t *x = json_against_cell(&r->human_pairs[p]);
			json_object_set_new(x, "raters",
			                    json_pack("[s, s]", c->humans[a], c->humans[b]));
			json_array_append_new(pairs, x);
		}
	return json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o}", "dimension", r->dim->key, "name",
	                 r->dim->name, "sample_issues", (json_int_t)r->sample_issues, "rater_coded",
	                 (json_int_t)r->rater_coded, "no_consensus",
	                 c->consensus ? json_null() : json_integer(r->no_consensus), "against",
	                 against, "humans", pairs);
}

static void print_against_json(const struct against_cmd *c)
{
	json_t *humans = json_array(), *edges = json_array(), *dims = json_array();
	for (size_t h = 0; h < c->nhumans; h++)
		json_array_append_new(humans, json_string(c->humans[h]));
	for (size_t e = 0; e < c->report->nedges; e++)
		json_array_append_new(edges, json_real(c->report->edges[e]));
	for (size_t i = 0; i < c->report->nresults; i++)
		json_array_append_new(dims, json_against_result(c, &c->report->results[i]));
	cli_print_json(json_pack("{s:s, s:s, s:I, s:o, s:o, s:s, s:o, s:o}", "sample", c->sample,
	                         "rater", c->rater, "sample_issues", (json_int_t)c->sample_size,
	                         "humans", humans, "consensus",
	                         c->consensus ? json_string(c->consensus) : json_null(), "level",
	                         c->level == AGREE_LEVEL_SUB ? "sub" : "top", "bin_edges", edges,
	                         "dimensions", dims));
}

static void csv_against_row(const struct against_cmd *c, const struct against_result *r,
                            const char *against, const char *kind, const char *bin,
                            const struct against_cell *x)
{
	char n[32], agreed[32], num[6][64];
	snprintf(n, sizeof(n), "%ld", x->n);
	snprintf(agreed, sizeof(agreed), "%ld", x->agreed);
	const struct stats_num v[6] = {x->cohen.observed, x->cohen.kappa,   x->cohen.se,
	                               x->cohen.ci_low,   x->cohen.ci_high, x->cohen.p};
	const char *row[16] = {r->dim->key, c->level == AGREE_LEVEL_SUB ? "sub" : "top",
	                       c->rater,    against,
	                       kind,        bin,
	                       n,           agreed};
	for (int i = 0; i < 6; i++) {
		row[8 + i] = NULL;
		if (!v[i].undefined) {
			print_number(num[i], sizeof(num[i]), v[i].v, 6);
			row[8 + i] = num[i];
		}
	}
	row[14] = x->cohen.kappa.undefined ? NULL : stats_landis_koch(x->cohen.kappa.v);
	csv_write_row(stdout, row, 15);
}

static void print_against_csv(const struct against_cmd *c)
{
	static const char *const header[] = {
	        "dimension", "level", "rater", "against", "kind",    "bin", "n",          "agreed",
	        "observed",  "kappa", "se",    "ci_low",  "ci_high", "p",   "landis_koch"};
	const struct against_report *rep = c->report;
	csv_write_row(stdout, header, 15);
	for (size_t i = 0; i < rep->nresults; i++) {
		const struct against_result *r = &rep->results[i];
		for (size_t h = 0; h <= c->nhumans; h++) {
			const struct against_comparison *cmp =
			        h < c->nhumans ? &r->humans[h] : &r->consensus;
			const char *who = h < c->nhumans ? c->humans[h] : "consensus";
			const char *kind = h < c->nhumans ? "human" : "consensus";
			csv_against_row(c, r, who, kind, "all", &cmp->all);
			for (size_t b = 0; b < rep->nbins; b++) {
				char label[64];
				against_bin_label(rep, b, label, sizeof(label));
				csv_against_row(c, r, who, kind, label, &cmp->bins[b]);
			}
		}
		for (size_t a = 0, p = 0; a < c->nhumans; a++)
			for (size_t b = a + 1; b < c->nhumans; b++, p++) {
				char pair[512];
				snprintf(pair, sizeof(pair), "%s %s", c->humans[a], c->humans[b]);
				csv_against_row(c, r, pair, "humans", "all", &r->human_pairs[p]);
			}
	}
}

/* "0.5,0.8" into ascending edges in (0, 1); usage error otherwise. */
static void parse_edges(const char *text, struct against_options *o)
{
	char *copy = xstrdup(text);
	for (char *p = copy, *end; p; p = end ? end + 1 : NULL) {
		end = strchr(p, ',');
		if (end)
			*end = '\0';
		char *stop;
		double v = strtod(p, &stop);
		if (!*p || *stop || !(v > 0 && v < 1) ||
		    (o->nedges && v <= o->edges[o->nedges - 1]))
			usage_error("agree",
			            "--bins: '%s' is not a list of ascending numbers between "
			            "0 and 1, e.g. 0.5,0.8",
			            text);
		if (o->nedges == AGAINST_MAX_EDGES)
			usage_error("agree", "--bins: at most %d edges", AGAINST_MAX_EDGES);
		o->edges[o->nedges++] = v;
	}
	free(copy);
}

static int named_rater(struct store *s, const char *name, int64_t *id)
{
	struct error err;
	if (rater_id(s, name, 0, id, &err))
		return cli_fail(&err);
	if (!*id) {
		cli_error("no rater named '%s'", name);
		return EXIT_FAILURE;
	}
	return 0;
}

static int run_against(struct store *s, struct agree_args *a, struct against_cmd *c,
                       struct against_options *o)
{
	struct error err;
	if (apply_settings(s, a, &(struct agree_cmd){0}))
		return EXIT_FAILURE;
	if (set_find(s, a->sample, &o->set_id, &err) ||
	    (o->set_id && set_size(s, o->set_id, &c->sample_size, &err)))
		return cli_fail(&err);
	if (!o->set_id) {
		cli_error("no sample named '%s'", a->sample);
		return EXIT_FAILURE;
	}
	int64_t *ids = xcalloc(c->nhumans, sizeof(int64_t));
	struct taxonomy *t = NULL;
	struct against_report *rep = NULL;
	int rc = named_rater(s, c->rater, &o->rater_id);
	for (size_t i = 0; !rc && i < c->nhumans; i++)
		rc = named_rater(s, c->humans[i], &ids[i]);
	if (!rc && c->consensus)
		rc = named_rater(s, c->consensus, &o->consensus_id);
	o->humans = ids;
	o->nhumans = c->nhumans;
	if (!rc && tax_read(s, a->taxonomy, &t, &err))
		rc = cli_fail(&err);
	o->exclusion_only = a->dimension && !strcmp(a->dimension, AGREE_EXCLUSION_KEY);
	if (!rc && a->dimension && !o->exclusion_only &&
	    !(o->dim = find_dimension(t, a->dimension)))
		rc = EXIT_FAILURE;
	if (!rc && against_compute(s, t, o, &rep, &err))
		rc = cli_fail(&err);
	if (!rc) {
		c->report = rep;
		if (!strcmp(a->format, "json"))
			print_against_json(c);
		else if (!strcmp(a->format, "csv"))
			print_against_csv(c);
		else
			print_against_text(c);
	}
	against_report_free(rep);
	tax_free(t);
	free(ids);
	return rc;
}

static void check_against(const struct agree_cmd *names, const char *against, const char *consensus)
{
	if (!rater_name_valid(against))
		usage_error("agree", "--against: '%s' is not a rater name", against);
	if (consensus && !rater_name_valid(consensus))
		usage_error("agree", "--consensus: '%s' is not a rater name", consensus);
	if (consensus && !strcmp(consensus, against))
		usage_error("agree", "--consensus: the consensus cannot be %s itself", against);
	for (size_t i = 0; i < names->nraters; i++) {
		if (!strcmp(names->raters[i], against))
			usage_error("agree", "--against %s: it is one of --raters too", against);
		if (consensus && !strcmp(names->raters[i], consensus))
			usage_error("agree", "--consensus %s: it is one of --raters too",
			            consensus);
	}
}

static int cmd_agree_against(struct agree_args *a, int argc, const char **argv, const char *raters,
                             const char *against, const char *consensus, const char *bins)
{
	if (argc > 0)
		usage_error("agree", "unexpected argument '%s'", argv[0]);
	if (!a->sample)
		usage_error("agree", "--sample is required");
	if (!raters)
		usage_error("agree", "--raters is required (the humans to compare %s with)",
		            against);
	if (a->by_repo || a->bootstrap >= 0 || a->seed)
		usage_error("agree", "--against does not take --by-repo, --bootstrap or --seed");
	struct agree_cmd names = {0};
	char *copy = split_raters(raters, &names, 1);
	check_against(&names, against, consensus);
	struct against_options o = {0};
	o.level = !strcmp(a->level, "sub") ? AGREE_LEVEL_SUB : AGREE_LEVEL_TOP;
	parse_edges(bins, &o);
	struct against_cmd c = {a->sample,    against,       consensus, 0,
	                        names.raters, names.nraters, o.level,   NULL};
	struct store *s;
	int rc = EXIT_FAILURE;
	if (cli_open_store(STORE_READONLY, &s) == 0) {
		rc = run_against(s, a, &c, &o);
		store_close(s);
	}
	free(names.raters);
	free(copy);
	free(a->setting_format);
	return rc;
}

int cmd_agree(int argc, const char **argv)
{
	struct agree_args a = {NULL, NULL, NULL, "top", NULL, 0, -1, NULL, NULL};
	const char *raters = NULL, *against = NULL, *consensus = NULL, *bins = "0.5,0.8";
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "S", "the sample (required)"},
	        {OPT_STRING, 0, "raters", &raters, "A,B[,C...]",
	         "the raters to compare, two or more (required)"},
	        {OPT_STRING, 0, "dimension", &a.dimension, "D", "only this dimension"},
	        {OPT_CHOICE, 0, "level", &a.level, "top|sub",
	         "compare categories (top, default) or category/sub-category (sub)"},
	        {OPT_BOOL, 0, "by-repo", &a.by_repo, NULL, "per repository, then pooled"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "the taxonomy (default: the only one in the database)"},
	        {OPT_CHOICE, 0, "format", &a.format, "text|json|csv",
	         "output format (default text, or the setting agree.format)"},
	        {OPT_INT, 0, "bootstrap", &a.bootstrap, "N",
	         "bootstrap percentile intervals of kappa and alpha from N resamples"},
	        {OPT_STRING, 0, "seed", &a.seed, "S", "the bootstrap's seed (default 1)"},
	        {OPT_STRING, 0, "against", &against, "NAME",
	         "measure rater NAME against each of --raters and their consensus"},
	        {OPT_STRING, 0, "consensus", &consensus, "RATER",
	         "with --against: the consensus is RATER's codes (default: where --raters agree)"},
	        {OPT_STRING, 0, "bins", &bins, "EDGES",
	         "with --against: confidence bin edges (default 0.5,0.8)"},
	        {OPT_END},
	};
	argc = parse_options("agree", argc, argv, opts, agree_usage);
	if (against)
		return cmd_agree_against(&a, argc, argv, raters, against, consensus, bins);
	if (consensus)
		usage_error("agree", "--consensus goes with --against NAME");
	if (a.bootstrap < -1 || a.bootstrap > 1000000)
		usage_error("agree", "--bootstrap: a whole number of resamples from 0 to 1000000");
	uint64_t seed = 1;
	if (a.seed && parse_seed(a.seed, &seed))
		usage_error("agree", "--seed: '%s' is not a whole number from 0 to %" PRId64,
		            a.seed, INT64_MAX);
	if (argc > 0)
		usage_error("agree", "unexpected argument '%s'", argv[0]);
	if (!a.sample)
		usage_error("agree", "--sample is required");
	if (!raters)
		usage_error("agree", "--raters is required");
	struct agree_cmd c = {a.sample, 0, NULL, 0, NULL, 0, seed, NULL, NULL, 0};
	char *names = split_raters(raters, &c, 2);
	struct store *s;
	int rc = EXIT_FAILURE;
	if (cli_open_store(STORE_READONLY, &s) == 0) {
		rc = run(s, &a, &c);
		store_close(s);
	}
	free(c.raters);
	free(names);
	free(a.setting_format);
	return rc;
}
