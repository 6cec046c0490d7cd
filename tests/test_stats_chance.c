/*
 * test_stats_chance.c - Scott's pi, Gwet's AC1, PABAK, the standard error
 * of Fleiss' kappa, Light's kappa, the clipped Wald interval, the seeded
 * bootstrap and Spearman's exact p-value, each against a published worked
 * example:
 *
 *  - cont3x3abstractors and distrib.6raters: the worked examples of Gwet,
 *    Handbook of Inter-Rater Reliability (4th ed., 2014), as the README of
 *    his R package irrCAC 1.0 prints them (kappa2.table, scott2.table,
 *    gwet.ac1.table, bp2.table, pa2.table, gwet.ac1.dist,
 *    fleiss.kappa.dist); distrib.6raters is the first 15 patients of
 *    Fleiss (1971), Table 1.
 *  - PABAK: Byrt, Bishop & Carlin (1993) define it as 2 p_o - 1; the 2 x 2
 *    example [[95, 4], [1, 0]] is Figure 2 of Cunningham (2009), "More
 *    than just the kappa coefficient", SAS Global Forum paper 242-2009:
 *    PABAK 0.90 where kappa is below 0.
 *  - Light (1971): R's irr::kappam.light on irr's diagnoses data (Fleiss
 *    1971, six raters as columns) prints Kappa = 0.459.
 *  - Spearman: Hollander & Wolfe (1973), p. 187, the tuna data of R's
 *    cor.test example: rho = 0.6, S = 48, exact two-sided p = 0.0968.
 */
#include "test.h"

#include "sample.h"
#include "stats_agree.h"
#include "stats_boot.h"
#include "stats_chance.h"
#include "stats_corr.h"

#include <stdlib.h>

#define DEFINED(x)   CHECK((x).undefined == NULL)
#define UNDEFINED(x) CHECK((x).undefined != NULL)

/* Gwet (2014) / irrCAC: two abstractors, three categories (Ectopic, AIU, NIU). */
static const long abstractors[9] = {13, 0, 0, 0, 20, 7, 0, 4, 56};

static void test_cohen_gwet_example(void)
{
	/* irrCAC's kappa2.table uses the same variance as SAS's ASE. */
	struct stats_cohen k;
	stats_cohen_kappa(abstractors, 3, &k);
	CHECK_NEAR(k.kappa.v, 0.7964094, 5e-8);
	CHECK_NEAR(k.se.v, 0.05891072, 5e-9);
	CHECK_NEAR(k.observed.v, 0.89, 1e-12);
	CHECK(!k.ci_clipped);
}

static void test_scott_pi(void)
{
	struct stats_coef s;
	stats_scott_pi(abstractors, 3, &s);
	DEFINED(s.value);
	CHECK_NEAR(s.value.v, 0.7962397, 5e-8);
	CHECK_NEAR(s.se.v, 0.05905473, 5e-9);
	CHECK_NEAR(s.ci_low.v, 0.7962397 - 1.959964 * 0.05905473, 1e-6);
	/* Scott's pi is Fleiss' kappa with two ratings per unit. */
	long units[100 * 3] = {0};
	size_t u = 0;
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			for (long x = 0; x < abstractors[i * 3 + j]; x++, u++) {
				units[u * 3 + i]++;
				units[u * 3 + j]++;
			}
	struct stats_fleiss f;
	stats_fleiss_kappa(units, 100, 3, &f);
	CHECK_NEAR(f.kappa.v, s.value.v, 1e-12);
}

static void test_gwet_ac1_pair(void)
{
	struct stats_coef a;
	stats_gwet_ac1_pair(abstractors, 3, 3, &a);
	DEFINED(a.value);
	CHECK_NEAR(a.value.v, 0.8493305, 5e-8);
	CHECK_NEAR(a.se.v, 0.04321747, 5e-9);
	/* Unused categories change AC1's chance agreement (1 / (q - 1)). */
	struct stats_coef wider;
	stats_gwet_ac1_pair(abstractors, 3, 5, &wider);
	CHECK(wider.value.v > a.value.v);
	stats_gwet_ac1_pair(abstractors, 3, 1, &wider);
	UNDEFINED(wider.value);
}

static void test_pabak(void)
{
	/* Cunningham (2009), Figure 2: kappa is negative, PABAK = 2 (95/100) - 1. */
	const long rare[4] = {95, 4, 1, 0};
	struct stats_coef p;
	stats_pabak(rare, 2, 2, &p);
	CHECK_NEAR(p.value.v, 0.90, 1e-12);
	struct stats_cohen k;
	stats_cohen_kappa(rare, 2, &k);
	CHECK(k.kappa.v < 0);
	/* Three categories: Brennan-Prediger, irrCAC's bp2.table: 0.835, SE 0.04693346. */
	stats_pabak(abstractors, 3, 3, &p);
	CHECK_NEAR(p.value.v, 0.835, 1e-12);
	CHECK_NEAR(p.se.v, 0.04693346, 5e-9);
	stats_pabak(NULL, 0, 3, &p);
	UNDEFINED(p.value);
}

/* irrCAC's distrib.6raters: 15 patients x 5 diagnoses, 6 ratings each. */
static const long six_raters[15 * 5] = {
        0, 0, 0, 6, 0, 0, 3, 0, 0, 3, 0, 1, 4, 0, 1, 0, 0, 0, 0, 6, 0, 3, 0, 3, 0,
        2, 0, 4, 0, 0, 0, 0, 4, 0, 2, 2, 0, 3, 1, 0, 2, 0, 0, 4, 0, 0, 0, 0, 0, 6,
        1, 0, 0, 5, 0, 1, 1, 0, 4, 0, 0, 3, 3, 0, 0, 1, 0, 0, 5, 0, 0, 2, 0, 3, 1,
};

static void test_gwet_ac1_units(void)
{
	struct stats_coef a;
	stats_gwet_ac1_units(six_raters, 15, 5, 5, &a);
	DEFINED(a.value);
	CHECK_NEAR(a.value.v, 0.4448007, 5e-8);
	CHECK_NEAR(a.se.v, 0.08418757, 5e-9);
	CHECK_NEAR(a.observed.v, 0.5511111, 5e-8);
	CHECK_NEAR(a.expected.v, 0.1914815, 5e-8);
	const long uneven[4] = {2, 0, 1, 2};
	stats_gwet_ac1_units(uneven, 2, 2, 2, &a);
	UNDEFINED(a.value);
}

static void test_fleiss_interval(void)
{
	struct stats_coef f;
	stats_fleiss_interval(six_raters, 15, 5, &f);
	DEFINED(f.value);
	CHECK_NEAR(f.value.v, 0.4139265, 5e-8);
	CHECK_NEAR(f.se.v, 0.08119291, 5e-9);
	CHECK_NEAR(f.expected.v, 0.2340741, 5e-8);
	CHECK_NEAR(f.ci_high.v, 0.4139265 + 1.959964 * 0.08119291, 1e-6);
	/* The same value as stats_fleiss_kappa. */
	struct stats_fleiss k;
	stats_fleiss_kappa(six_raters, 15, 5, &k);
	CHECK_NEAR(k.kappa.v, f.value.v, 1e-12);
	/* One unit: a value, but no standard error. */
	stats_fleiss_interval(six_raters + 5, 1, 5, &f);
	UNDEFINED(f.se);
}

/* Fleiss (1971) as irr's diagnoses: 30 patients, raters 1-6 as columns, diagnoses 1-5. */
static const int diagnoses[30][6] = {
        {4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5},
        {2, 2, 2, 4, 4, 4}, {1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4},
        {1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5}, {1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4},
        {2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5}, {3, 3, 3, 3, 3, 5},
        {1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
        {5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4},
        {1, 4, 4, 4, 4, 5}, {2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4},
        {1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5},
};

static void test_light_kappa(void)
{
	struct stats_cohen pairs[15];
	size_t p = 0;
	for (size_t a = 0; a < 6; a++)
		for (size_t b = a + 1; b < 6; b++, p++) {
			long table[25] = {0};
			for (size_t u = 0; u < 30; u++)
				table[(diagnoses[u][a] - 1) * 5 + diagnoses[u][b] - 1]++;
			stats_cohen_kappa(table, 5, &pairs[p]);
		}
	struct stats_num l = stats_light_kappa(pairs, 15);
	DEFINED(l);
	CHECK_NEAR(l.v, 0.459, 5e-4);
	pairs[3].kappa.undefined = "test";
	UNDEFINED(stats_light_kappa(pairs, 15));
	UNDEFINED(stats_light_kappa(pairs, 0));
}

static void test_wald_clipped(void)
{
	/* 19 of 20 agree on a 2 x 2 table: kappa 0.9 with SE about 0.1, so 0.9 + 1.96 SE > 1. */
	const long t[4] = {9, 1, 0, 10};
	struct stats_cohen k;
	stats_cohen_kappa(t, 2, &k);
	CHECK(k.kappa.v + STATS_Z975 * k.se.v > 1);
	CHECK(k.ci_clipped);
	CHECK_NEAR(k.ci_high.v, 1, 0);
	CHECK_NEAR(k.ci_low.v, k.kappa.v - STATS_Z975 * k.se.v, 1e-12);
	struct stats_num lo, hi;
	int clipped;
	stats_wald_clipped(-0.9, 0.2, &lo, &hi, &clipped);
	CHECK(clipped);
	CHECK_NEAR(lo.v, -1, 0);
	CHECK_NEAR(hi.v, -0.9 + STATS_Z975 * 0.2, 1e-12);
	stats_wald_clipped(0.5, 0.1, &lo, &hi, &clipped);
	CHECK(!clipped);
}

/*
 * The bootstrap, recomputed here from its definition (stats_boot.h) with
 * the project's generator, must give the same interval; and a seed is a
 * seed: the same one twice gives the same interval, another one another.
 */
static void test_bootstrap_cohen(void)
{
	int a[100], b[100];
	size_t u = 0;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			for (long x = 0; x < abstractors[i * 3 + j]; x++, u++) {
				a[u] = i;
				b[u] = j;
			}
	struct stats_bootstrap r, again, other;
	stats_bootstrap_cohen(a, b, 100, 3, 200, 42, &r);
	stats_bootstrap_cohen(a, b, 100, 3, 200, 42, &again);
	stats_bootstrap_cohen(a, b, 100, 3, 200, 43, &other);
	CHECK_INT(r.replicates, 200);
	CHECK_INT(r.defined, 200);
	DEFINED(r.low);
	CHECK(r.low.v == again.low.v && r.high.v == again.high.v);
	CHECK(r.low.v != other.low.v || r.high.v != other.high.v);
	/* The interval brackets the estimate and is near the Wald one (0.681, 0.912). */
	CHECK(r.low.v < 0.7964094 && r.high.v > 0.7964094);
	CHECK_NEAR(r.low.v, 0.68, 0.05);
	CHECK_NEAR(r.high.v, 0.91, 0.05);
	/* From the definition. */
	struct sample_rng rng;
	sample_rng_seed(&rng, 42);
	double values[200];
	for (int rep = 0; rep < 200; rep++) {
		long table[9] = {0};
		for (int i = 0; i < 100; i++) {
			size_t k = (size_t)sample_rng_below(&rng, 100);
			table[a[k] * 3 + b[k]]++;
		}
		struct stats_cohen c;
		stats_cohen_kappa(table, 3, &c);
		values[rep] = c.kappa.v;
	}
	for (int i = 1; i < 200; i++)
		for (int j = i; j > 0 && values[j - 1] > values[j]; j--) {
			double t = values[j];
			values[j] = values[j - 1];
			values[j - 1] = t;
		}
	CHECK(r.low.v == values[4]);    /* ceil(0.025 * 200) = 5th */
	CHECK(r.high.v == values[194]); /* ceil(0.975 * 200) = 195th */
}

static void test_bootstrap_units(void)
{
	struct stats_bootstrap f, a;
	stats_bootstrap_units(six_raters, 15, 5, STATS_BOOT_FLEISS, 500, 7, &f);
	stats_bootstrap_units(six_raters, 15, 5, STATS_BOOT_ALPHA, 500, 7, &a);
	CHECK_INT(f.defined, 500);
	CHECK(f.low.v < 0.4139265 && f.high.v > 0.4139265);
	CHECK(a.low.v < 0.4204384 && a.high.v > 0.4204384);
	/* Every rating in one category: no resample has a value. */
	const long same[4] = {2, 0, 2, 0};
	stats_bootstrap_units(same, 2, 2, STATS_BOOT_ALPHA, 10, 1, &a);
	CHECK_INT(a.defined, 0);
	UNDEFINED(a.low);
	stats_bootstrap_units(NULL, 0, 2, STATS_BOOT_FLEISS, 10, 1, &f);
	UNDEFINED(f.low);
}

static void test_spearman_exact(void)
{
	/* Hollander & Wolfe (1973), p. 187: R's cor.test gives S = 48, p-value = 0.0968. */
	const double x[9] = {44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1};
	const double y[9] = {2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8};
	struct stats_spearman s;
	stats_spearman(x, y, 9, &s);
	CHECK_NEAR(s.rho, 0.6, 1e-12);
	CHECK(s.exact_defined);
	CHECK_NEAR(s.exact_p, 0.0968, 5e-5);
	CHECK(s.p_defined);
	CHECK(s.p != s.exact_p);
	/* Perfect order of 5: only the identity and its reverse are as extreme. */
	const double a[5] = {1, 2, 3, 4, 5}, b[5] = {2, 4, 6, 8, 10};
	stats_spearman(a, b, 5, &s);
	CHECK_NEAR(s.exact_p, 2.0 / 120, 1e-15);
	/* Too many pairs for enumeration: only the t p-value. */
	double big_x[11], big_y[11];
	for (int i = 0; i < 11; i++) {
		big_x[i] = i;
		big_y[i] = (i * 7) % 11;
	}
	stats_spearman(big_x, big_y, 11, &s);
	CHECK(!s.exact_defined);
	/* Ties keep their average ranks; a constant variable has no p at all. */
	const double t[4] = {1, 1, 2, 3}, c[4] = {5, 5, 5, 5};
	stats_spearman(t, a, 4, &s);
	CHECK(s.exact_defined);
	CHECK(s.exact_p > 0 && s.exact_p <= 1);
	stats_spearman(t, c, 4, &s);
	CHECK(!s.exact_defined);
}

int main(void)
{
	TEST(test_cohen_gwet_example);
	TEST(test_scott_pi);
	TEST(test_gwet_ac1_pair);
	TEST(test_pabak);
	TEST(test_gwet_ac1_units);
	TEST(test_fleiss_interval);
	TEST(test_light_kappa);
	TEST(test_wald_clipped);
	TEST(test_bootstrap_cohen);
	TEST(test_bootstrap_units);
	TEST(test_spearman_exact);
	return test_done();
}
