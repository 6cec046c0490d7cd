/*
 * stats_corr.h - Spearman's rank correlation and the distributions behind its p-value.
 *
 * Spearman's rho is Pearson's correlation of the ranks, tied values getting
 * the average of the ranks they span (as scipy.stats.spearmanr and pandas'
 * rank(method="average") do). Its two-sided p-value comes from Student's t
 * with n - 2 degrees of freedom, t = rho * sqrt((n - 2) / (1 - rho^2)), the
 * same test scipy uses; the t tail is computed through the regularized
 * incomplete beta function, evaluated here with a continued fraction.
 *
 * For n <= STATS_EXACT_MAX pairs the p-value is also computed exactly, by
 * permutation: the share of the n! pairings of the y ranks with the x ranks
 * whose |rho| is at least the observed one (ties keep their average ranks,
 * and the comparison is made in integers, so no rounding decides it).
 *
 * A correlation can be undefined: fewer than two pairs, or a constant
 * variable (every rank the same) leaves rho without a value; the caller must
 * say so in words rather than print a NaN. A p-value needs three pairs or more.
 */
#ifndef ISSUEMINE_STATS_CORR_H
#define ISSUEMINE_STATS_CORR_H

#include <stddef.h>

struct stats_spearman {
	size_t n;          /* pairs used */
	int defined;       /* 0: rho has no value (see why) */
	double rho;        /* in [-1, 1] when defined */
	int p_defined;     /* 0: no p-value (rho undefined, or n < 3) */
	double p;          /* two-sided, in [0, 1] when p_defined */
	const char *why;   /* when !defined or !p_defined: a short reason ("x is constant") */
	int exact_defined; /* 0: no exact p (rho undefined, or n > STATS_EXACT_MAX) */
	double exact_p;    /* two-sided permutation p-value, in (0, 1] */
};

/* The most pairs the exact p-value is computed for (10! = 3,628,800 pairings). */
#define STATS_EXACT_MAX 10

/*
 * Writes the ranks of x[0..n) to ranks (1-based; ties share the average of
 * the ranks they span, so 1, 2, 2, 3 ranks as 1, 2.5, 2.5, 4).
 */
void stats_rank_average(const double *x, size_t n, double *ranks);

/* Pearson's correlation of x and y; returns 0, or -1 when either has zero variance or n < 2. */
int stats_pearson(const double *x, const double *y, size_t n, double *r);

/* Spearman's rho of x and y (n pairs) with its two-sided p-values; never fails. */
void stats_spearman(const double *x, const double *y, size_t n, struct stats_spearman *out);

/*
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in
 * [0, 1]; returns -1 for arguments outside that domain.
 */
double stats_incomplete_beta(double x, double a, double b);

/* Two-sided tail probability P(|T| >= |t|) of Student's t with df > 0 degrees of freedom. */
double stats_t_two_sided(double t, double df);

#endif
