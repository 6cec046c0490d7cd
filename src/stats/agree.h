/*
 * agree.h - inter-rater agreement of a sample's codes, per dimension.
 *
 * Gathers what the compared raters coded in a sample into the count tables
 * of stats_agree.h and computes, per dimension (and, when asked, per
 * repository before the pooled result):
 *
 *  - over the issues that EVERY compared rater coded in the dimension (the
 *    others are left out and counted by the rater who did not code them):
 *    Cohen's kappa for each pair of raters with its confusion table and
 *    per-category agreement, and Fleiss' kappa over all raters;
 *  - over every issue that at least two of them coded: Krippendorff's alpha
 *    (nominal), which allows missing codes.
 *
 * Beside those: Scott's pi, Gwet's AC1 and PABAK for each pair; Gwet's AC1
 * and Fleiss' kappa with its standard error and interval over all raters;
 * Light's kappa (the mean of the pairs' kappas) for three or more; and,
 * when asked, seeded bootstrap intervals of the kappa (Cohen's for two
 * raters, Fleiss' for more) and of alpha (stats_boot.h). AC1 and PABAK
 * take q, the number of classes of the dimension at the level compared.
 *
 * The categories compared are the top-level ones (AGREE_LEVEL_TOP) or the
 * full category/sub-category (AGREE_LEVEL_SUB, where a code without a
 * sub-category is a class of its own). Confusion tables list only the
 * classes some rater used on the compared issues, in taxonomy order.
 *
 * Exclusions: the codes of an issue a rater excluded are left out of that
 * rater's codes (counted in excluded_by). Agreement on exclusion itself is
 * one more result, of the dimension "exclusion" (AGREE_EXCLUSION_KEY): an
 * issue is "included" by a rater who coded it in some dimension and did
 * not exclude it, "excluded" by one who excluded it (at AGREE_LEVEL_SUB,
 * "excluded/<reason>"), and not decided otherwise. It comes after the
 * dimensions when some compared rater excluded an issue of the sample, or
 * when asked for alone.
 */
#ifndef ISSUEMINE_AGREE_H
#define ISSUEMINE_AGREE_H

#include <stddef.h>
#include <stdint.h>

#include "stats_agree.h"
#include "stats_boot.h"
#include "stats_chance.h"
#include "store.h"
#include "taxonomy.h"

enum agree_level {
	AGREE_LEVEL_TOP, /* parent categories */
	AGREE_LEVEL_SUB, /* category/sub-category */
};

/*
 * The classes of dimension d at level: its categories in taxonomy order,
 * each followed (AGREE_LEVEL_SUB) by its sub-categories. agree_class_count
 * is how many; agree_class_of the index of a stored code (category id,
 * sub-category id or 0), or -1 when the taxonomy does not know it (at
 * AGREE_LEVEL_TOP a sub-category is not looked at).
 */
size_t agree_class_count(const struct tax_dimension *d, enum agree_level level);
int agree_class_of(const struct tax_dimension *d, enum agree_level level, int64_t cat_id,
                   int64_t sub_id);

/* The key and name of the exclusion result's dimension. */
#define AGREE_EXCLUSION_KEY  "exclusion"
#define AGREE_EXCLUSION_NAME "Exclusion"

struct agree_options {
	int64_t set_id;
	const int64_t *rater_ids; /* at least two, distinct */
	size_t nraters;
	const struct tax_dimension *dim; /* NULL: every dimension of the taxonomy */
	enum agree_level level;
	int by_repo;        /* one result per repository (by name) before the pooled one */
	long bootstrap;     /* resamples for the bootstrap intervals; 0: none */
	uint64_t seed;      /* of the bootstrap */
	int exclusion_only; /* only the agreement on exclusion (dim must be NULL) */
};

/* A class compared: a category, or (at AGREE_LEVEL_SUB) a category/sub-category. */
struct agree_class {
	const struct tax_category *cat;
	const struct tax_category *sub; /* NULL when none */
};

/* Cohen's kappa of one pair of raters, over the issues every rater coded. */
struct agree_pair {
	size_t a, b; /* indexes into the options' raters */
	long *table; /* nclasses x nclasses, rows rater a, columns rater b */
	struct stats_cohen cohen;
	struct stats_category_agreement *per_category; /* nclasses entries */
	struct stats_coef scott, ac1, pabak;
};

struct agree_result {
	char *repository; /* NULL for all repositories pooled */
	const struct tax_dimension *dim;
	long sample_issues; /* issues of the sample (in the repository) */
	long n;             /* issues every rater coded in the dimension */
	long left_out;      /* sample_issues - n */
	long *not_coded_by; /* per rater: issues of the sample the rater neither coded nor excluded
	                     */
	long *excluded_by;  /* per rater: issues of the sample the rater excluded */
	size_t nclasses;
	struct agree_class *classes;           /* the classes used on the n issues */
	size_t npairs;                         /* nraters (nraters - 1) / 2 */
	struct agree_pair *pairs;              /* (0,1), (0,2), ..., (1,2), ... */
	struct stats_fleiss fleiss;            /* over the n issues */
	struct stats_num *fleiss_per_category; /* nclasses entries */
	long *ratings;                         /* per class: codes of all raters on the n issues */
	struct stats_alpha alpha;              /* over the issues at least two raters coded */
	size_t nscale;               /* q: the classes of the dimension at the level compared */
	struct stats_coef fleiss_se; /* Fleiss' kappa with Gwet's standard error and interval */
	struct stats_coef ac1;       /* Gwet's AC1 over all raters, the n issues */
	struct stats_num light;      /* Light's kappa: the mean of the pairs' Cohen's kappas */
	struct stats_bootstrap boot_kappa; /* Cohen's (two raters) or Fleiss' kappa; if asked */
	struct stats_bootstrap boot_alpha; /* alpha, over the same issues as alpha; if asked */
};

struct agree_report {
	enum agree_level level;
	size_t nraters;
	size_t nresults;
	struct agree_result *results; /* per dimension; with by_repo, per repository then pooled */
	long *excluded_by;            /* per rater: issues of the sample excluded */
	struct taxonomy *exclusion;   /* the exclusion result's dimension (owned), or NULL */
};

/*
 * Computes the agreement of o->raters on the sample o->set_id under
 * taxonomy t (borrowed: results point into it, so t must outlive the
 * report). Codes of other taxonomies' dimensions are ignored. Fails only on
 * database errors or a code whose category t does not know.
 */
int agree_compute(struct store *s, const struct taxonomy *t, const struct agree_options *o,
                  struct agree_report **out, struct error *err);

void agree_report_free(struct agree_report *r);

/* The class's key ("cause" level: "incompatibility"; sub level: "incompatibility/external"). */
void agree_class_key(const struct agree_class *c, char *buf, size_t size);

/* The class's display name ("Incompatibility" or "Incompatibility/External"). */
void agree_class_name(const struct agree_class *c, char *buf, size_t size);

#endif
