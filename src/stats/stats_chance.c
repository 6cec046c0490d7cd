/*
 * stats_chance.c - Scott's pi, Gwet's AC1, PABAK, the standard error of
 * Fleiss' kappa and Light's kappa (see stats_chance.h).
 *
 * Formulas (unweighted; p_kl = n_kl / n, pi_k = (p_k. + p_.k) / 2):
 *  - Scott: p_e = sum_k pi_k^2.
 *  - Gwet AC1: p_e = sum_k pi_k (1 - pi_k) / (q - 1).
 *  - Their variances for two raters (Gwet 2014, as irrCAC's scott2.table and
 *    gwet.ac1.table): var = (sum_kl p_kl (d_kl - (1 - c) a_kl)^2
 *    - (p_o - 2 (1 - c) p_e)^2) / (n (1 - p_e)^2), with d_kl 1 on the
 *    diagonal, c the coefficient, a_kl = pi_k + pi_l for Scott and
 *    2 (1 - (pi_k + pi_l) / 2) / (q - 1) for AC1.
 *  - PABAK = Brennan-Prediger: p_e = 1 / q; var = p_o (1 - p_o) / (n (1 - p_e)^2).
 *  - m raters (Gwet 2014, as irrCAC's gwet.ac1.dist and fleiss.kappa.dist):
 *    per unit i, p_o,i = sum_k r_ik (r_ik - 1) / (m (m - 1)),
 *    c_i = (p_o,i - p_e) / (1 - p_e), p_e,i = sum_k r_ik w_k / m with
 *    w_k = pi_k (Fleiss) or (1 - pi_k) / (q - 1) (AC1), and
 *    c*_i = c_i - 2 (1 - c) (p_e,i - p_e) / (1 - p_e);
 *    var = sum_i (c*_i - c)^2 / (n (n - 1)).
 */
#include "stats_chance.h"

#include "xalloc.h"

#include <math.h>
#include <stdlib.h>

static void coef_undefined(struct stats_coef *out, const char *why)
{
	out->value = out->se = out->ci_low = out->ci_high = stats_undefined(why);
	out->ci_clipped = 0;
}

void stats_wald_clipped(double v, double se, struct stats_num *low, struct stats_num *high,
                        int *clipped)
{
	double lo = v - STATS_Z975 * se, hi = v + STATS_Z975 * se;
	*clipped = lo < -1 || hi > 1;
	*low = stats_value(lo < -1 ? -1 : lo);
	*high = stats_value(hi > 1 ? 1 : hi);
}

/* Sets value, se and the interval from the coefficient and its variance. */
static void coef_finish(struct stats_coef *out, double value, double var)
{
	out->value = stats_value(value);
	/* Rounding can leave -1e-17 for perfect tables. */
	out->se = stats_value(var > 0 ? sqrt(var) : 0);
	stats_wald_clipped(value, out->se.v, &out->ci_low, &out->ci_high, &out->ci_clipped);
}

/* n, p_o and pi_k (caller frees) of a k x k table; returns n. */
static long pair_margins(const long *table, size_t k, double *po, double **pi)
{
	long n = 0, diag = 0;
	for (size_t i = 0; i < k * k; i++)
		n += table[i];
	for (size_t i = 0; i < k; i++)
		diag += table[i * k + i];
	*pi = xcalloc(k ? k : 1, sizeof(double));
	*po = n ? (double)diag / (double)n : 0;
	for (size_t i = 0; i < k && n; i++)
		for (size_t j = 0; j < k; j++)
			(*pi)[i] += ((double)table[i * k + j] + (double)table[j * k + i]) /
			            (2.0 * (double)n);
	return n;
}

/* The two-rater variance of Gwet (2014) for Scott's pi (ac1 = 0) or AC1 (ac1 = 1). */
static double pair_variance(const long *table, size_t k, size_t q, const double *pi, long n,
                            double po, double pe, double c, int ac1)
{
	double sum = 0;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / (double)n;
			double a = ac1 ? 2.0 * (1 - (pi[i] + pi[j]) / 2) / (double)(q - 1)
			               : pi[i] + pi[j];
			double t = (i == j ? 1.0 : 0.0) - (1 - c) * a;
			sum += p * t * t;
		}
	}
	double last = po - 2 * (1 - c) * pe;
	return (sum - last * last) / ((double)n * (1 - pe) * (1 - pe));
}

static void pair_coefficient(const long *table, size_t k, size_t q, int ac1, struct stats_coef *out)
{
	double po, *pi;
	long n = pair_margins(table, k, &po, &pi);
	if (n == 0) {
		out->observed = out->expected = stats_undefined("no items");
		coef_undefined(out, "no items");
		free(pi);
		return;
	}
	double pe = 0;
	for (size_t i = 0; i < k; i++)
		pe += ac1 ? pi[i] * (1 - pi[i]) / (double)(q - 1) : pi[i] * pi[i];
	out->observed = stats_value(po);
	out->expected = stats_value(pe);
	if (pe >= 1 - 1e-12) {
		coef_undefined(out,
		               "expected agreement is 1: both raters used one single category");
	} else {
		double c = (po - pe) / (1 - pe);
		coef_finish(out, c, pair_variance(table, k, q, pi, n, po, pe, c, ac1));
	}
	free(pi);
}

void stats_scott_pi(const long *table, size_t k, struct stats_coef *out)
{
	pair_coefficient(table, k, k, 0, out);
}

void stats_gwet_ac1_pair(const long *table, size_t k, size_t q, struct stats_coef *out)
{
	if (q < 2 || q < k) {
		out->observed = out->expected = stats_undefined("fewer than two categories");
		coef_undefined(out, "fewer than two categories");
		return;
	}
	pair_coefficient(table, k, q, 1, out);
}

void stats_pabak(const long *table, size_t k, size_t q, struct stats_coef *out)
{
	double po, *pi;
	long n = pair_margins(table, k, &po, &pi);
	free(pi);
	const char *why = n == 0 ? "no items" : q < 2 || q < k ? "fewer than two categories" : NULL;
	if (why) {
		out->observed = out->expected = stats_undefined(why);
		coef_undefined(out, why);
		return;
	}
	double pe = 1.0 / (double)q;
	out->observed = stats_value(po);
	out->expected = stats_value(pe);
	coef_finish(out, (po - pe) / (1 - pe), po * (1 - po) / ((double)n * (1 - pe) * (1 - pe)));
}

/* Why an m-rater coefficient of this table is undefined, or NULL. */
static const char *units_problem(const long *counts, size_t units, size_t k, long *m)
{
	*m = stats_ratings_per_unit(counts, units, k);
	if (units == 0)
		return "no items";
	if (*m < 0)
		return "units have different numbers of ratings";
	if (*m < 2)
		return "fewer than two ratings per unit";
	return NULL;
}

/*
 * The m-rater coefficient: Fleiss' kappa (ac1 = 0) or AC1 (ac1 = 1), with
 * Gwet's linearised variance (see the top of this file).
 */
static void units_coefficient(const long *counts, size_t units, size_t k, size_t q, int ac1,
                              struct stats_coef *out)
{
	long m;
	const char *why = units_problem(counts, units, k, &m);
	if (!why && ac1 && (q < 2 || q < k))
		why = "fewer than two categories";
	if (why) {
		out->observed = out->expected = stats_undefined(why);
		coef_undefined(out, why);
		return;
	}
	double n = (double)units, dm = (double)m;
	double *pi = xcalloc(k, sizeof(double)), *w = xcalloc(k, sizeof(double));
	double *poi = xcalloc(units, sizeof(double)), po = 0, pe = 0;
	for (size_t u = 0; u < units; u++) {
		for (size_t c = 0; c < k; c++) {
			double r = (double)counts[u * k + c];
			pi[c] += r / (dm * n);
			poi[u] += r * (r - 1) / (dm * (dm - 1));
		}
		po += poi[u] / n;
	}
	for (size_t c = 0; c < k; c++) {
		w[c] = ac1 ? (1 - pi[c]) / (double)(q - 1) : pi[c];
		pe += pi[c] * w[c];
	}
	out->observed = stats_value(po);
	out->expected = stats_value(pe);
	if (pe >= 1 - 1e-12) {
		coef_undefined(out, "expected agreement is 1: every rating is in one category");
	} else if (units < 2) {
		out->value = stats_value((po - pe) / (1 - pe));
		out->se = out->ci_low = out->ci_high = stats_undefined("fewer than two items");
		out->ci_clipped = 0;
	} else {
		double value = (po - pe) / (1 - pe), sum = 0;
		for (size_t u = 0; u < units; u++) {
			double pei = 0;
			for (size_t c = 0; c < k; c++)
				pei += (double)counts[u * k + c] * w[c] / dm;
			double ci = (poi[u] - pe) / (1 - pe);
			double x = ci - 2 * (1 - value) * (pei - pe) / (1 - pe) - value;
			sum += x * x;
		}
		coef_finish(out, value, sum / (n * (n - 1)));
	}
	free(pi);
	free(w);
	free(poi);
}

void stats_gwet_ac1_units(const long *counts, size_t units, size_t k, size_t q,
                          struct stats_coef *out)
{
	units_coefficient(counts, units, k, q, 1, out);
}

void stats_fleiss_interval(const long *counts, size_t units, size_t k, struct stats_coef *out)
{
	units_coefficient(counts, units, k, k, 0, out);
}

struct stats_num stats_light_kappa(const struct stats_cohen *pairs, size_t npairs)
{
	if (npairs == 0)
		return stats_undefined("no pairs of raters");
	double sum = 0;
	for (size_t i = 0; i < npairs; i++) {
		if (pairs[i].kappa.undefined)
			return stats_undefined("a pair's Cohen's kappa is undefined");
		sum += pairs[i].kappa.v;
	}
	return stats_value(sum / (double)npairs);
}
