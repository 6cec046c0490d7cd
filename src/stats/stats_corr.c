/*
 * stats_corr.c - Spearman's rho, average ranks, and the t distribution's tail
 * through the regularized incomplete beta function (see stats_corr.h).
 */
#include "stats_corr.h"
#include "xalloc.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

struct ranked {
	double value;
	size_t index;
};

static int compare_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->value < y->value)
		return -1;
	if (x->value > y->value)
		return 1;
	/* Equal values: keep input order, so the sort is deterministic. */
	return x->index < y->index ? -1 : x->index > y->index;
}

void stats_rank_average(const double *x, size_t n, double *ranks)
{
	if (n == 0)
		return;
	struct ranked *r = xmalloc(n * sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){x[i], i};
	qsort(r, n, sizeof(*r), compare_ranked);
	size_t start = 0;
	while (start < n) {
		size_t end = start + 1;
		while (end < n && r[end].value == r[start].value)
			end++;
		/* Positions start..end-1 hold ranks start+1..end; each gets their mean. */
		double average = ((double)(start + 1) + (double)end) / 2.0;
		for (size_t i = start; i < end; i++)
			ranks[r[i].index] = average;
		start = end;
	}
	free(r);
}

static int is_constant(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return 0;
	return 1;
}

int stats_pearson(const double *x, const double *y, size_t n, double *r)
{
	if (n < 2 || is_constant(x, n) || is_constant(y, n))
		return -1;
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	double sxy = 0, sxx = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxy += dx * dy;
		sxx += dx * dx;
		syy += dy * dy;
	}
	if (sxx <= 0 || syy <= 0)
		return -1;
	double v = sxy / sqrt(sxx * syy);
	/* Rounding can step just outside [-1, 1]; the t statistic needs it inside. */
	*r = v > 1 ? 1 : v < -1 ? -1 : v;
	return 0;
}

/*
 * The continued fraction of I_x(a, b) (without its front factor), evaluated
 * with the modified Lentz method. It converges quickly for
 * x < (a + 1) / (a + b + 2); the caller uses the symmetry
 * I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
 */
static double beta_continued_fraction(double x, double a, double b)
{
	const double tiny = 1e-300, eps = 1e-16;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	double h = d;
	for (int m = 1; m <= 1000; m++) {
		double two_m = 2.0 * m;
		/* Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)). */
		double term = m * (b - m) * x / ((a + two_m - 1.0) * (a + two_m));
		d = 1.0 + term * d;
		c = 1.0 + term / c;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		if (fabs(c) < tiny)
			c = tiny;
		h *= d * c;
		/* Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)). */
		term = -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1.0));
		d = 1.0 + term * d;
		c = 1.0 + term / c;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		if (fabs(c) < tiny)
			c = tiny;
		double delta = d * c;
		h *= delta;
		if (fabs(delta - 1.0) < eps)
			break;
	}
	return h;
}

double stats_incomplete_beta(double x, double a, double b)
{
	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
		return -1;
	if (x == 0 || x == 1)
		return x;
	double log_front = a * log(x) + b * log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a + b));
	double front = exp(log_front);
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * beta_continued_fraction(x, a, b) / a;
	return 1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b;
}

double stats_t_two_sided(double t, double df)
{
	if (isinf(t))
		return 0.0;
	/* P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2). */
	double p = stats_incomplete_beta(df / (df + t * t), df / 2.0, 0.5);
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/*
 * The exact two-sided p-value of rho over every pairing of the ranks.
 * rho is a linear function of S = sum rx_i ry_p(i), so a pairing is as
 * extreme as the data when |n S - sum rx sum ry| is at least the observed
 * one. Ranks are doubled (average ranks are halves) to keep it all in
 * integers. Heap's algorithm visits the n! pairings, one swap apart, so S
 * is updated in constant time per pairing.
 */
static double spearman_exact_p(const double *rx, const double *ry, size_t n)
{
	long x[STATS_EXACT_MAX], y[STATS_EXACT_MAX], c[STATS_EXACT_MAX] = {0};
	long sx = 0, sy = 0, s = 0;
	for (size_t i = 0; i < n; i++) {
		x[i] = (long)(2 * rx[i]);
		y[i] = (long)(2 * ry[i]);
		sx += x[i];
		sy += y[i];
		s += x[i] * y[i];
	}
	long observed = labs((long)n * s - sx * sy), extreme = 1, total = 1;
	size_t i = 1;
	while (i < n) {
		if (c[i] < (long)i) {
			size_t j = i % 2 == 0 ? 0 : (size_t)c[i];
			s += (x[j] - x[i]) * (y[i] - y[j]);
			long t = y[i];
			y[i] = y[j];
			y[j] = t;
			total++;
			extreme += labs((long)n * s - sx * sy) >= observed;
			c[i]++;
			i = 1;
		} else {
			c[i] = 0;
			i++;
		}
	}
	return (double)extreme / (double)total;
}

void stats_spearman(const double *x, const double *y, size_t n, struct stats_spearman *out)
{
	*out = (struct stats_spearman){.n = n};
	if (n < 2) {
		out->why = "fewer than two pairs";
		return;
	}
	if (is_constant(x, n) || is_constant(y, n)) {
		out->why = is_constant(x, n) ? "x is constant" : "y is constant";
		return;
	}
	double *rx = xmalloc(n * sizeof(double)), *ry = xmalloc(n * sizeof(double));
	stats_rank_average(x, n, rx);
	stats_rank_average(y, n, ry);
	out->defined = stats_pearson(rx, ry, n, &out->rho) == 0;
	if (out->defined && n <= STATS_EXACT_MAX) {
		out->exact_p = spearman_exact_p(rx, ry, n);
		out->exact_defined = 1;
	}
	free(rx);
	free(ry);
	if (!out->defined) {
		out->why = "a variable is constant";
		return;
	}
	if (n < 3) {
		out->why = "fewer than three pairs";
		return;
	}
	double df = (double)n - 2.0, r = out->rho;
	double denom = (1.0 - r) * (1.0 + r);
	out->p = denom <= 0 ? 0.0 : stats_t_two_sided(r * sqrt(df / denom), df);
	out->p_defined = 1;
}
