/*
 * stats_agree.h - inter-rater agreement statistics over count tables.
 *
 * Plain functions, no database: agree.c gathers the codes into tables and
 * calls these.
 *
 *  - Cohen's kappa for two raters, from a k x k confusion table (rows rater
 *    A, columns rater B): observed and expected agreement, the large-sample
 *    standard error of Fleiss, Cohen & Everitt (1969) (SAS PROC FREQ's
 *    "ASE"), a 95% Wald interval clipped to [-1, 1], and the z test of
 *    kappa = 0 with the standard error under that hypothesis and a
 *    two-sided p-value.
 *  - Per-category agreement from the same table: specific agreement
 *    2 n_ii / (n_i. + n_.i) and the kappa of the category against the rest.
 *  - Krippendorff's alpha (nominal) and Fleiss' kappa, from a units x k
 *    table holding, per unit, how many raters chose each category. Alpha
 *    allows any number of ratings per unit (units with fewer than two are
 *    not pairable and are skipped); Fleiss' kappa needs the same number of
 *    ratings (at least two) in every unit.
 *  - The verbal readings of a kappa by Landis & Koch (1977) and McHugh (2012).
 *
 * Every value is a struct stats_num: a statistic that is not defined (no
 * items, expected agreement 1, a zero standard error...) carries the reason
 * instead of a NaN, so callers can print "undefined (...)" or JSON null.
 */
#ifndef ISSUEMINE_STATS_AGREE_H
#define ISSUEMINE_STATS_AGREE_H

#include <stddef.h>

/* A value, or the reason it is undefined (a static string; NULL when defined). */
struct stats_num {
	double v;
	const char *undefined;
};

/* A defined value, and an undefined one with its reason (for the stats_*.c files). */
static inline struct stats_num stats_value(double v)
{
	struct stats_num n = {v, NULL};
	return n;
}

static inline struct stats_num stats_undefined(const char *why)
{
	struct stats_num n = {0, why};
	return n;
}

/* The 97.5% quantile of the standard normal distribution, for 95% Wald intervals. */
#define STATS_Z975 1.959963984540054

struct stats_cohen {
	long n;                    /* items in the table */
	struct stats_num observed; /* p_o, the share of items on the diagonal */
	struct stats_num expected; /* p_e, chance agreement from the margins */
	struct stats_num kappa;
	struct stats_num se;      /* asymptotic standard error (ASE) */
	struct stats_num ci_low;  /* kappa - 1.96 se, at least -1 */
	struct stats_num ci_high; /* kappa + 1.96 se, at most 1 */
	int ci_clipped;           /* 1 when clipping to [-1, 1] moved an end */
	struct stats_num se0;     /* standard error under H0: kappa = 0 */
	struct stats_num z;       /* kappa / se0 */
	struct stats_num p;       /* two-sided p-value of z */
};

/*
 * Cohen's kappa of table, k x k counts in row-major order (table[i * k + j]:
 * rater A said i, rater B said j). Always fills *out; k may be 0 (no items).
 */
void stats_cohen_kappa(const long *table, size_t k, struct stats_cohen *out);

struct stats_category_agreement {
	long count_a;              /* items rater A put in the category (row total) */
	long count_b;              /* items rater B put in it (column total) */
	long both;                 /* items both put in it (the diagonal cell) */
	struct stats_num specific; /* 2 both / (count_a + count_b) */
	struct stats_num kappa;    /* Cohen's kappa of the category against all others */
};

/* Agreement on category c (0 <= c < k) of the k x k table. */
void stats_category_agreement(const long *table, size_t k, size_t c,
                              struct stats_category_agreement *out);

struct stats_alpha {
	long units;  /* pairable units: those with at least two ratings */
	long values; /* ratings in pairable units */
	struct stats_num observed_disagreement; /* D_o */
	struct stats_num expected_disagreement; /* D_e */
	struct stats_num alpha;                 /* 1 - D_o / D_e */
};

/*
 * Krippendorff's alpha for nominal data. counts[u * k + c] is how many
 * raters put unit u in category c; units may hold any number of ratings.
 */
void stats_krippendorff_alpha(const long *counts, size_t units, size_t k, struct stats_alpha *out);

struct stats_fleiss {
	long units;
	long raters;               /* ratings per unit, m */
	struct stats_num observed; /* P-bar, mean agreement per unit */
	struct stats_num expected; /* P-bar_e, from the category proportions */
	struct stats_num kappa;
	struct stats_num se0; /* standard error under H0 (Fleiss, Nee & Landis 1979) */
	struct stats_num z;
	struct stats_num p;
};

/*
 * Fleiss' kappa from the same units x k table as alpha. Undefined unless
 * every unit has the same number of ratings, at least two.
 */
void stats_fleiss_kappa(const long *counts, size_t units, size_t k, struct stats_fleiss *out);

/*
 * The number of ratings every unit of a units x k table has, or -1 when
 * units differ (no units: 0): the m of the m-rater coefficients.
 */
long stats_ratings_per_unit(const long *counts, size_t units, size_t k);

/* Fleiss' kappa of category c against the rest (Fleiss 1971, eq. 9). */
struct stats_num stats_fleiss_category_kappa(const long *counts, size_t units, size_t k, size_t c);

/* "poor", "slight", "fair", "moderate", "substantial" or "almost perfect". */
const char *stats_landis_koch(double kappa);

/* "none", "minimal", "weak", "moderate", "strong" or "almost perfect". */
const char *stats_mchugh(double kappa);

/* The two-sided p-value of a standard normal z. */
double stats_normal_two_sided_p(double z);

#endif
