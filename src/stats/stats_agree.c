/*
 * stats_agree.c - Cohen's kappa, Krippendorff's alpha and Fleiss' kappa over
 * count tables, with the readings of kappa (see stats_agree.h).
 *
 * Formulas:
 *  - Cohen (1960): kappa = (p_o - p_e) / (1 - p_e).
 *  - Its variance, Fleiss, Cohen & Everitt (1969), as SAS PROC FREQ prints
 *    it: var = (A + B - C) / ((1 - p_e)^2 n) with
 *      A = sum_i p_ii (1 - (p_i. + p_.i)(1 - kappa))^2,
 *      B = (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2,
 *      C = (kappa - p_e (1 - kappa))^2;
 *    under H0: var0 = (p_e + p_e^2 - sum_i p_i. p_.i (p_i. + p_.i)) / ((1 - p_e)^2 n).
 *    The 95% Wald interval kappa -+ 1.96 se is clipped to [-1, 1].
 *  - Krippendorff's alpha, nominal, from the coincidence matrix:
 *      alpha = ((n - 1) sum_c o_cc - sum_c n_c (n_c - 1))
 *              / (n (n - 1) - sum_c n_c (n_c - 1)),
 *    where o_cc = sum_u n_uc (n_uc - 1) / (m_u - 1) over pairable units.
 *  - Fleiss (1971) kappa; its standard error under H0 from Fleiss, Nee &
 *    Landis (1979), as R's irr::kappam.fleiss reports it.
 */
#include "stats_agree.h"

#include "stats_chance.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>

double stats_normal_two_sided_p(double z)
{
	return erfc(fabs(z) / sqrt(2.0));
}

static void cohen_undefined(struct stats_cohen *out, const char *why)
{
	out->ci_clipped = 0;
	out->kappa = out->se = out->ci_low = out->ci_high = stats_undefined(why);
	out->se0 = out->z = out->p = stats_undefined(why);
}

/* The test of kappa = 0; needs kappa, p_e and the margins. */
static void cohen_null_test(const double *rows, const double *cols, size_t k,
                            struct stats_cohen *out)
{
	double pe = out->expected.v, sum = 0;
	for (size_t i = 0; i < k; i++)
		sum += rows[i] * cols[i] * (rows[i] + cols[i]);
	double var0 = (pe + pe * pe - sum) / ((1 - pe) * (1 - pe) * (double)out->n);
	if (!(var0 > 0)) {
		out->se0 = stats_value(0);
		out->z = out->p = stats_undefined("standard error under H0 is 0");
		return;
	}
	out->se0 = stats_value(sqrt(var0));
	out->z = stats_value(out->kappa.v / out->se0.v);
	out->p = stats_value(stats_normal_two_sided_p(out->z.v));
}

/* The asymptotic standard error and the Wald interval; needs kappa, p_e and the margins. */
static void cohen_interval(const long *table, const double *rows, const double *cols, size_t k,
                           struct stats_cohen *out)
{
	double n = (double)out->n, kappa = out->kappa.v, pe = out->expected.v;
	double a = 0, b = 0;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			double p = (double)table[i * k + j] / n;
			if (i == j) {
				double t = 1 - (rows[i] + cols[i]) * (1 - kappa);
				a += p * t * t;
			} else {
				double t = cols[i] + rows[j];
				b += p * t * t;
			}
		}
	}
	b *= (1 - kappa) * (1 - kappa);
	double c = kappa - pe * (1 - kappa);
	double var = (a + b - c * c) / ((1 - pe) * (1 - pe) * n);
	double se = var > 0 ? sqrt(var) : 0; /* rounding can leave -1e-17 for perfect tables */
	out->se = stats_value(se);
	/* kappa lies in [-1, 1]; so does its interval (a Wald interval can step past 1). */
	stats_wald_clipped(kappa, se, &out->ci_low, &out->ci_high, &out->ci_clipped);
}

void stats_cohen_kappa(const long *table, size_t k, struct stats_cohen *out)
{
	long n = 0, diag = 0;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++)
			n += table[i * k + j];
		diag += table[i * k + i];
	}
	out->n = n;
	if (n == 0) {
		out->observed = out->expected = stats_undefined("no items");
		cohen_undefined(out, "no items");
		return;
	}
	double *rows = xcalloc(k, sizeof(*rows)), *cols = xcalloc(k, sizeof(*cols));
	double pe = 0;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			rows[i] += (double)table[i * k + j] / (double)n;
			cols[i] += (double)table[j * k + i] / (double)n;
		}
		pe += rows[i] * cols[i];
	}
	double po = (double)diag / (double)n;
	out->observed = stats_value(po);
	out->expected = stats_value(pe);
	if (pe >= 1 - 1e-12) {
		cohen_undefined(out,
		                "expected agreement is 1: both raters used one single category");
	} else {
		out->kappa = stats_value((po - pe) / (1 - pe));
		cohen_interval(table, rows, cols, k, out);
		cohen_null_test(rows, cols, k, out);
	}
	free(rows);
	free(cols);
}

void stats_category_agreement(const long *table, size_t k, size_t c,
                              struct stats_category_agreement *out)
{
	long n = 0, row = 0, col = 0;
	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < k; j++)
			n += table[i * k + j];
		row += table[c * k + i];
		col += table[i * k + c];
	}
	out->count_a = row;
	out->count_b = col;
	out->both = table[c * k + c];
	if (row + col == 0) {
		out->specific = out->kappa = stats_undefined("category not used");
		return;
	}
	out->specific = stats_value(2.0 * (double)out->both / (double)(row + col));
	/* The 2 x 2 table: this category or not, for each rater. */
	long two[4] = {out->both, row - out->both, col - out->both, n - row - col + out->both};
	struct stats_cohen r;
	stats_cohen_kappa(two, 2, &r);
	out->kappa = r.kappa;
}

void stats_krippendorff_alpha(const long *counts, size_t units, size_t k, struct stats_alpha *out)
{
	double *nc = xcalloc(k, sizeof(*nc));
	double agree = 0; /* sum_c o_cc */
	long n = 0, pairable = 0;
	for (size_t u = 0; u < units; u++) {
		long m = 0;
		for (size_t c = 0; c < k; c++)
			m += counts[u * k + c];
		if (m < 2)
			continue;
		pairable++;
		n += m;
		for (size_t c = 0; c < k; c++) {
			double x = (double)counts[u * k + c];
			nc[c] += x;
			agree += x * (x - 1) / (double)(m - 1);
		}
	}
	out->units = pairable;
	out->values = n;
	double dn = (double)n, same = 0; /* sum_c n_c (n_c - 1) */
	for (size_t c = 0; c < k; c++)
		same += nc[c] * (nc[c] - 1);
	free(nc);
	if (n < 2) {
		out->observed_disagreement = out->expected_disagreement = out->alpha =
		        stats_undefined("fewer than two pairable ratings");
		return;
	}
	out->observed_disagreement = stats_value((dn - agree) / dn);
	double de = (dn * (dn - 1) - same) / (dn * (dn - 1));
	out->expected_disagreement = stats_value(de);
	if (!(de > 0)) {
		out->alpha = stats_undefined(
		        "every rating is in one category: no expected disagreement");
		return;
	}
	out->alpha = stats_value(((dn - 1) * agree - same) / (dn * (dn - 1) - same));
}

long stats_ratings_per_unit(const long *counts, size_t units, size_t k)
{
	long first = 0;
	for (size_t u = 0; u < units; u++) {
		long m = 0;
		for (size_t c = 0; c < k; c++)
			m += counts[u * k + c];
		if (u == 0)
			first = m;
		else if (m != first)
			return -1;
	}
	return first;
}

static void fleiss_undefined(struct stats_fleiss *out, const char *why)
{
	out->observed = out->expected = out->kappa = stats_undefined(why);
	out->se0 = out->z = out->p = stats_undefined(why);
}

/* Fleiss, Nee & Landis (1979): the standard error of kappa under H0. */
static void fleiss_null_test(const double *p, size_t k, struct stats_fleiss *out)
{
	double pq = 0, pqqp = 0;
	for (size_t c = 0; c < k; c++) {
		double q = 1 - p[c];
		pq += p[c] * q;
		pqqp += p[c] * q * (q - p[c]);
	}
	double nm = (double)out->units * (double)out->raters * (double)(out->raters - 1);
	double inner = pq * pq - pqqp;
	if (!(inner > 0)) {
		out->se0 = stats_value(0);
		out->z = out->p = stats_undefined("standard error under H0 is 0");
		return;
	}
	out->se0 = stats_value(sqrt(2.0) / (pq * sqrt(nm)) * sqrt(inner));
	out->z = stats_value(out->kappa.v / out->se0.v);
	out->p = stats_value(stats_normal_two_sided_p(out->z.v));
}

void stats_fleiss_kappa(const long *counts, size_t units, size_t k, struct stats_fleiss *out)
{
	out->units = (long)units;
	long m = stats_ratings_per_unit(counts, units, k);
	out->raters = m;
	const char *why = units == 0 ? "no items"
	                  : m < 0    ? "units have different numbers of ratings"
	                  : m < 2    ? "fewer than two ratings per unit"
	                             : NULL;
	if (why) {
		fleiss_undefined(out, why);
		return;
	}
	double *p = xcalloc(k, sizeof(*p)), pbar = 0, pe = 0, total = (double)units * (double)m;
	for (size_t u = 0; u < units; u++) {
		double sq = 0;
		for (size_t c = 0; c < k; c++) {
			double x = (double)counts[u * k + c];
			sq += x * x;
			p[c] += x / total;
		}
		pbar += (sq - (double)m) / ((double)m * (double)(m - 1));
	}
	pbar /= (double)units;
	for (size_t c = 0; c < k; c++)
		pe += p[c] * p[c];
	out->observed = stats_value(pbar);
	out->expected = stats_value(pe);
	if (pe >= 1 - 1e-12) {
		out->kappa = out->se0 = out->z = out->p =
		        stats_undefined("expected agreement is 1: every rating is in one category");
	} else {
		out->kappa = stats_value((pbar - pe) / (1 - pe));
		fleiss_null_test(p, k, out);
	}
	free(p);
}

struct stats_num stats_fleiss_category_kappa(const long *counts, size_t units, size_t k, size_t c)
{
	long m = stats_ratings_per_unit(counts, units, k);
	if (units == 0)
		return stats_undefined("no items");
	if (m < 2)
		return stats_undefined(m < 0 ? "units have different numbers of ratings"
		                             : "fewer than two ratings per unit");
	double total = (double)units * (double)m, p = 0, disagree = 0;
	for (size_t u = 0; u < units; u++) {
		double x = (double)counts[u * k + c];
		p += x / total;
		disagree += x * ((double)m - x);
	}
	double pq = p * (1 - p);
	if (!(pq > 0))
		return stats_undefined(p > 0 ? "every rating is in this category"
		                             : "category not used");
	return stats_value(1 - disagree / (total * (double)(m - 1) * pq));
}

/* Readings are taken on kappa rounded to 1e-9, so 0.2 computed as 0.2000000001 reads as 0.20. */
static double settle(double kappa)
{
	return round(kappa * 1e9) / 1e9;
}

const char *stats_landis_koch(double kappa)
{
	kappa = settle(kappa);
	if (kappa < 0)
		return "poor";
	if (kappa <= 0.20)
		return "slight";
	if (kappa <= 0.40)
		return "fair";
	if (kappa <= 0.60)
		return "moderate";
	if (kappa <= 0.80)
		return "substantial";
	return "almost perfect";
}

const char *stats_mchugh(double kappa)
{
	kappa = settle(kappa);
	if (kappa <= 0.20)
		return "none";
	if (kappa < 0.40)
		return "minimal";
	if (kappa < 0.60)
		return "weak";
	if (kappa < 0.80)
		return "moderate";
	if (kappa <= 0.90)
		return "strong";
	return "almost perfect";
}
