/*
 * stats_chance.h - the chance-corrected agreement coefficients a methods
 * section asks for beyond Cohen's kappa, Fleiss' kappa and alpha.
 *
 * Plain functions over the same count tables as stats_agree.h:
 *
 *  - from a k x k confusion table of two raters: Scott's pi (1955) and
 *    Gwet's AC1 (2008) with the standard errors of Gwet's Handbook of
 *    Inter-Rater Reliability (4th ed., 2014; as his R package irrCAC
 *    computes them), and PABAK, the prevalence-adjusted bias-adjusted kappa
 *    of Byrt, Bishop & Carlin (1993), 2 p_o - 1 for two categories and
 *    (q p_o - 1) / (q - 1) for q (Brennan & Prediger 1981);
 *  - from a units x k table with the same number m of ratings in every
 *    unit: Gwet's AC1 for m raters and the standard error of Fleiss' kappa
 *    that a confidence interval needs (Gwet 2014; the standard error under
 *    H0 of Fleiss, Nee & Landis 1979, for the z test, is in stats_agree.h);
 *  - Light's (1971) kappa: the mean of the pairwise Cohen's kappas.
 *
 * AC1 and PABAK depend on q, the number of categories the raters could
 * choose from (not only those they used): callers pass it. Every 95%
 * interval here is a Wald interval clipped to [-1, 1], as Cohen's is.
 */
#ifndef ISSUEMINE_STATS_CHANCE_H
#define ISSUEMINE_STATS_CHANCE_H

#include <stddef.h>

#include "stats_agree.h"

/* A coefficient with its standard error and 95% Wald interval. */
struct stats_coef {
	struct stats_num value;
	struct stats_num observed; /* p_o */
	struct stats_num expected; /* p_e, chance agreement as the coefficient defines it */
	struct stats_num se;
	struct stats_num ci_low, ci_high; /* value -+ 1.96 se, clipped to [-1, 1] */
	int ci_clipped;                   /* 1 when clipping moved an end */
};

/* Scott's pi of a k x k table (rows rater A, columns rater B). */
void stats_scott_pi(const long *table, size_t k, struct stats_coef *out);

/* Gwet's AC1 of a k x k table; q >= k categories could have been chosen (q >= 2). */
void stats_gwet_ac1_pair(const long *table, size_t k, size_t q, struct stats_coef *out);

/* PABAK of a k x k table over q >= 2 categories: (q p_o - 1) / (q - 1); no standard error. */
void stats_pabak(const long *table, size_t k, size_t q, struct stats_coef *out);

/*
 * Gwet's AC1 for m raters from a units x k table (counts[u * k + c]: raters
 * who put unit u in category c), every unit with the same m >= 2 ratings;
 * q >= k categories could have been chosen.
 */
void stats_gwet_ac1_units(const long *counts, size_t units, size_t k, size_t q,
                          struct stats_coef *out);

/*
 * Fleiss' kappa of the same table with Gwet's (2014) standard error and
 * interval (conditional on the raters, as irrCAC's fleiss.kappa.dist).
 */
void stats_fleiss_interval(const long *counts, size_t units, size_t k, struct stats_coef *out);

/* Light's kappa: the mean of npairs Cohen's kappas; undefined when any of them is. */
struct stats_num stats_light_kappa(const struct stats_cohen *pairs, size_t npairs);

/*
 * The Wald interval v -+ 1.96 se clipped to [-1, 1]; *clipped tells
 * whether an end moved. Used for every kappa-like coefficient.
 */
void stats_wald_clipped(double v, double se, struct stats_num *low, struct stats_num *high,
                        int *clipped);

#endif
