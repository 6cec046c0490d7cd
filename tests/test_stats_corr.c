/*
 * test_stats_corr.c - Spearman's rho, average ranks, the incomplete beta and t tails.
 *
 * Reference values come from closed forms (I_x(a, 1) = x^a, the Cauchy and
 * df = 2 t tails, binomial sums) and from scipy.stats.spearmanr for the
 * example of the release-correlation issue.
 */
#include "test.h"

#include "stats_corr.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void test_ranks_average_ties(void)
{
	double x[] = {3, 1, 2, 2, 5, 2};
	double r[6];
	stats_rank_average(x, 6, r);
	/* Sorted: 1 | 2 2 2 | 3 | 5 -> ranks 1 | 3 3 3 | 5 | 6. */
	CHECK_NEAR(r[0], 5, 0);
	CHECK_NEAR(r[1], 1, 0);
	CHECK_NEAR(r[2], 3, 0);
	CHECK_NEAR(r[3], 3, 0);
	CHECK_NEAR(r[4], 6, 0);
	CHECK_NEAR(r[5], 3, 0);
	double y[] = {1, 2, 2, 3};
	double s[4];
	stats_rank_average(y, 4, s);
	CHECK_NEAR(s[1], 2.5, 0);
	CHECK_NEAR(s[2], 2.5, 0);
	CHECK_NEAR(s[3], 4, 0);
}

static void test_incomplete_beta_closed_forms(void)
{
	const double xs[] = {0.01, 0.2, 0.5, 0.73, 0.999};
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		double x = xs[i];
		CHECK_NEAR(stats_incomplete_beta(x, 1, 1), x, 1e-14);
		CHECK_NEAR(stats_incomplete_beta(x, 3.5, 1), pow(x, 3.5), 1e-13);
		CHECK_NEAR(stats_incomplete_beta(x, 1, 4), 1 - pow(1 - x, 4), 1e-13);
		CHECK_NEAR(stats_incomplete_beta(x, 0.5, 0.5), 2 / M_PI * asin(sqrt(x)), 1e-13);
	}
	CHECK_NEAR(stats_incomplete_beta(0.5, 2, 3), 11.0 / 16.0, 1e-15);
	CHECK_NEAR(stats_incomplete_beta(0, 2, 3), 0, 0);
	CHECK_NEAR(stats_incomplete_beta(1, 2, 3), 1, 0);
	CHECK_NEAR(stats_incomplete_beta(-0.1, 2, 3), -1, 0);
	CHECK_NEAR(stats_incomplete_beta(0.5, 0, 3), -1, 0);
}

/* I_x(a, b) for whole a, b is P(Binomial(a + b - 1, x) >= a). */
static double binomial_upper_tail(int a, int b, double x)
{
	int n = a + b - 1;
	double sum = 0;
	for (int j = a; j <= n; j++)
		sum += exp(lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0) + j * log(x) +
		           (n - j) * log1p(-x));
	return sum;
}

static void test_incomplete_beta_binomial(void)
{
	const int params[][2] = {{10, 20}, {20, 10}, {3, 40}, {60, 60}, {1, 200}};
	const double xs[] = {0.05, 0.33, 0.4, 0.5, 0.66, 0.95};
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		for (size_t j = 0; j < sizeof(xs) / sizeof(xs[0]); j++) {
			int a = params[i][0], b = params[i][1];
			CHECK_NEAR(stats_incomplete_beta(xs[j], a, b),
			           binomial_upper_tail(a, b, xs[j]), 1e-12);
		}
}

static void test_t_tails(void)
{
	const double ts[] = {0, 0.3, 1, 2.5, -4, 30};
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		double t = ts[i];
		/* df = 1 is the Cauchy distribution; df = 2 has a closed form too. */
		CHECK_NEAR(stats_t_two_sided(t, 1), 1 - 2 / M_PI * atan(fabs(t)), 1e-13);
		CHECK_NEAR(stats_t_two_sided(t, 2), 1 - fabs(t) / sqrt(2 + t * t), 1e-13);
	}
	CHECK_NEAR(stats_t_two_sided(INFINITY, 5), 0, 0);
}

static void test_spearman_issue_example(void)
{
	double x[] = {1, 2, 3, 4, 5}, y[] = {5, 6, 7, 8, 7};
	struct stats_spearman s;
	stats_spearman(x, y, 5, &s);
	CHECK(s.defined);
	CHECK(s.p_defined);
	CHECK_INT(s.n, 5);
	CHECK_NEAR(s.rho, 0.8207826816681233, 1e-15);
	CHECK_NEAR(s.p, 0.08858700531354381, 1e-14);
	/* Symmetric in x and y. */
	stats_spearman(y, x, 5, &s);
	CHECK_NEAR(s.rho, 0.8207826816681233, 1e-15);
}

static void test_spearman_without_ties(void)
{
	/* No ties: rho = 1 - 6 sum(d^2) / (n (n^2 - 1)); here sum(d^2) = 16. */
	double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	double y[] = {2, 1, 4, 3, 7, 5, 6, 9, 10, 8};
	struct stats_spearman s;
	stats_spearman(x, y, 10, &s);
	CHECK_NEAR(s.rho, 1 - 6.0 * 16 / (10 * 99), 1e-14);
	CHECK(s.p > 0 && s.p < 0.001);
	/* Monotone transforms do not change it. */
	double z[10];
	for (int i = 0; i < 10; i++)
		z[i] = exp(y[i]);
	stats_spearman(x, z, 10, &s);
	CHECK_NEAR(s.rho, 1 - 6.0 * 16 / (10 * 99), 1e-14);
}

static void test_spearman_perfect_and_reversed(void)
{
	double x[] = {10, 20, 30, 40}, up[] = {1, 5, 9, 100}, down[] = {4, 3, 2, 1};
	struct stats_spearman s;
	stats_spearman(x, up, 4, &s);
	CHECK_NEAR(s.rho, 1, 1e-15);
	CHECK_NEAR(s.p, 0, 1e-12);
	stats_spearman(x, down, 4, &s);
	CHECK_NEAR(s.rho, -1, 1e-15);
	CHECK_NEAR(s.p, 0, 1e-12);
}

static void test_spearman_undefined(void)
{
	double x[] = {1, 2, 3, 4}, c[] = {7, 7, 7, 7};
	struct stats_spearman s;
	stats_spearman(x, c, 4, &s);
	CHECK(!s.defined);
	CHECK(!s.p_defined);
	CHECK_STR(s.why, "y is constant");
	CHECK(!isnan(s.rho) && !isnan(s.p));
	stats_spearman(c, x, 4, &s);
	CHECK_STR(s.why, "x is constant");
	stats_spearman(x, x, 1, &s);
	CHECK(!s.defined);
	CHECK_STR(s.why, "fewer than two pairs");
	stats_spearman(x, c, 0, &s);
	CHECK(!s.defined);
	/* Two pairs: rho exists (it is +-1), a p-value does not. */
	stats_spearman(x, x, 2, &s);
	CHECK(s.defined);
	CHECK(!s.p_defined);
	CHECK_NEAR(s.rho, 1, 1e-15);
	CHECK_STR(s.why, "fewer than three pairs");
}

static void test_pearson(void)
{
	double x[] = {1, 2, 3}, y[] = {2, 4, 7}, r;
	CHECK_INT(stats_pearson(x, y, 3, &r), 0);
	/* By hand: dx = -1, 0, 1; dy = -7/3, -1/3, 8/3; sxy = 5, sxx = 2, syy = 38/3. */
	CHECK_NEAR(r, 5 / sqrt(2 * 38.0 / 3), 1e-15);
	double c[] = {1, 1, 1};
	CHECK_INT(stats_pearson(x, c, 3, &r), -1);
}

int main(void)
{
	TEST(test_ranks_average_ties);
	TEST(test_incomplete_beta_closed_forms);
	TEST(test_incomplete_beta_binomial);
	TEST(test_t_tails);
	TEST(test_spearman_issue_example);
	TEST(test_spearman_without_ties);
	TEST(test_spearman_perfect_and_reversed);
	TEST(test_spearman_undefined);
	TEST(test_pearson);
	return test_done();
}
