/*
 * test_stats_agree.c - agreement statistics against published values:
 * SAS PROC FREQ's kappa example, Krippendorff's reliability data, Fleiss'
 * (1971) psychiatric diagnoses; and the degenerate tables (perfect agreement,
 * one category, one item, no items) that must read "undefined", never NaN.
 */
#include "test.h"

#include "stats_agree.h"

#include <stdlib.h>

#define DEFINED(x)   CHECK((x).undefined == NULL)
#define UNDEFINED(x) CHECK((x).undefined != NULL)

/* The SAS PROC FREQ documentation's example (rows rater A, columns rater B). */
static const long sas_table[9] = {0, 4, 1, 0, 8, 0, 0, 1, 5};

static void test_cohen_sas(void)
{
	struct stats_cohen r;
	stats_cohen_kappa(sas_table, 3, &r);
	CHECK_INT(r.n, 19);
	CHECK_NEAR(r.observed.v, 13.0 / 19, 1e-12);
	CHECK_NEAR(r.expected.v, (5 * 0 + 8 * 13 + 6 * 6) / 361.0, 1e-12);
	CHECK_NEAR(r.kappa.v, 0.4842, 5e-5);
	CHECK_NEAR(r.se.v, 0.1380, 5e-5);
	CHECK_NEAR(r.ci_low.v, 0.2137, 5e-5);
	CHECK_NEAR(r.ci_high.v, 0.7547, 5e-5);
	CHECK_NEAR(r.se0.v, 0.1484, 5e-5);
	CHECK_NEAR(r.z.v, 3.2626, 5e-5);
	CHECK_NEAR(r.p.v, 0.0011, 5e-5);
	DEFINED(r.kappa);
	DEFINED(r.se);
	DEFINED(r.z);
	DEFINED(r.p);
	CHECK_STR(stats_landis_koch(r.kappa.v), "moderate");
	CHECK_STR(stats_mchugh(r.kappa.v), "weak");
}

static void test_category_agreement(void)
{
	struct stats_category_agreement c;
	/* Category 0: A used it 5 times, B never. */
	stats_category_agreement(sas_table, 3, 0, &c);
	CHECK_INT(c.count_a, 5);
	CHECK_INT(c.count_b, 0);
	CHECK_INT(c.both, 0);
	CHECK_NEAR(c.specific.v, 0, 1e-12);
	CHECK_NEAR(c.kappa.v, 0, 1e-12);
	stats_category_agreement(sas_table, 3, 1, &c);
	CHECK_INT(c.count_a, 8);
	CHECK_INT(c.count_b, 13);
	CHECK_NEAR(c.specific.v, 16.0 / 21, 1e-12);
	CHECK_NEAR(c.kappa.v, 0.5026178010, 1e-9);
	stats_category_agreement(sas_table, 3, 2, &c);
	CHECK_NEAR(c.specific.v, 10.0 / 12, 1e-12);
	CHECK_NEAR(c.kappa.v, 0.7564102564, 1e-9);
	/* A category nobody used. */
	const long t[9] = {2, 0, 0, 0, 3, 0, 0, 0, 0};
	stats_category_agreement(t, 3, 2, &c);
	UNDEFINED(c.specific);
	UNDEFINED(c.kappa);
}

static void test_cohen_perfect(void)
{
	const long t[9] = {3, 0, 0, 0, 2, 0, 0, 0, 4};
	struct stats_cohen r;
	stats_cohen_kappa(t, 3, &r);
	CHECK_NEAR(r.observed.v, 1, 1e-12);
	CHECK_NEAR(r.kappa.v, 1, 1e-12);
	CHECK_NEAR(r.se.v, 0, 1e-9);
	CHECK_NEAR(r.ci_low.v, 1, 1e-9);
	CHECK_NEAR(r.ci_high.v, 1, 1e-9);
	DEFINED(r.z);
	CHECK(r.z.v > 3);
	CHECK(r.p.v < 0.01);
	CHECK_STR(stats_landis_koch(r.kappa.v), "almost perfect");
	CHECK_STR(stats_mchugh(r.kappa.v), "almost perfect");
}

static void test_cohen_single_category(void)
{
	/* Both raters put every item in the same one category. */
	const long t[9] = {0, 0, 0, 0, 7, 0, 0, 0, 0};
	struct stats_cohen r;
	stats_cohen_kappa(t, 3, &r);
	CHECK_INT(r.n, 7);
	CHECK_NEAR(r.observed.v, 1, 1e-12);
	CHECK_NEAR(r.expected.v, 1, 1e-12);
	UNDEFINED(r.kappa);
	CHECK(strstr(r.kappa.undefined, "expected agreement is 1") != NULL);
	UNDEFINED(r.se);
	UNDEFINED(r.ci_low);
	UNDEFINED(r.z);
	UNDEFINED(r.p);
	CHECK(!isnan(r.kappa.v));
	const long one[1] = {4};
	stats_cohen_kappa(one, 1, &r);
	UNDEFINED(r.kappa);
}

static void test_cohen_one_item(void)
{
	struct stats_cohen r;
	const long agree[1] = {1};
	stats_cohen_kappa(agree, 1, &r);
	CHECK_INT(r.n, 1);
	CHECK_NEAR(r.observed.v, 1, 0);
	UNDEFINED(r.kappa);
	/* One item the raters disagree on: p_o = 0, p_e = 0, kappa 0, nothing to test. */
	const long differ[4] = {0, 1, 0, 0};
	stats_cohen_kappa(differ, 2, &r);
	CHECK_NEAR(r.observed.v, 0, 0);
	CHECK_NEAR(r.expected.v, 0, 0);
	DEFINED(r.kappa);
	CHECK_NEAR(r.kappa.v, 0, 1e-12);
	CHECK_NEAR(r.se.v, 0, 1e-12);
	UNDEFINED(r.z);
	UNDEFINED(r.p);
	CHECK(!isnan(r.z.v));
}

static void test_cohen_no_items(void)
{
	struct stats_cohen r;
	stats_cohen_kappa(NULL, 0, &r);
	CHECK_INT(r.n, 0);
	UNDEFINED(r.observed);
	UNDEFINED(r.expected);
	UNDEFINED(r.kappa);
	CHECK_STR(r.kappa.undefined, "no items");
	const long zeros[4] = {0, 0, 0, 0};
	stats_cohen_kappa(zeros, 2, &r);
	UNDEFINED(r.kappa);
	UNDEFINED(r.p);
}

/* Krippendorff's reliability data: 4 coders x 12 units, 0 for missing. */
static const int kripp[4][12] = {
        {1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
        {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
        {0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
        {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
};

/* Units x categories counts from a raters x units matrix of values 1..k (0 missing). */
static long *unit_counts(const int *values, size_t raters, size_t units, size_t k)
{
	long *counts = calloc(units * k, sizeof(long));
	for (size_t r = 0; r < raters; r++)
		for (size_t u = 0; u < units; u++)
			if (values[r * units + u])
				counts[u * k + (size_t)values[r * units + u] - 1]++;
	return counts;
}

/*
 * Alpha the long way, straight from its definition over pairs of values
 * (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", sec. C):
 * 1 - D_o / D_e, D_o from the ordered pairs within units weighted 1/(m_u - 1),
 * D_e from all ordered pairs of pairable values.
 */
static double alpha_by_pairs(const int *values, size_t raters, size_t units)
{
	double within = 0;
	size_t n = 0;
	int pool[1024];
	for (size_t u = 0; u < units; u++) {
		int vals[64];
		size_t m = 0;
		for (size_t r = 0; r < raters; r++)
			if (values[r * units + u])
				vals[m++] = values[r * units + u];
		if (m < 2)
			continue;
		for (size_t i = 0; i < m; i++) {
			pool[n++] = vals[i];
			for (size_t j = 0; j < m; j++)
				if (i != j && vals[i] != vals[j])
					within += 1.0 / (double)(m - 1);
		}
	}
	double across = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j && pool[i] != pool[j])
				across++;
	return 1 - (double)(n - 1) * within / across;
}

static void test_krippendorff_published(void)
{
	long *counts = unit_counts(&kripp[0][0], 4, 12, 5);
	struct stats_alpha a;
	stats_krippendorff_alpha(counts, 12, 5, &a);
	CHECK_INT(a.units, 11); /* unit 12 has a single value */
	CHECK_INT(a.values, 40);
	DEFINED(a.alpha);
	CHECK_NEAR(a.alpha.v, 0.743, 5e-4);
	CHECK_NEAR(a.alpha.v, alpha_by_pairs(&kripp[0][0], 4, 12), 1e-12);
	free(counts);
}

/* Fleiss (1971), Table 1 as R's irr::diagnoses holds it: 30 patients, 6 ratings, 5 diagnoses. */
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

static long *diagnoses_counts(void)
{
	long *counts = calloc(30 * 5, sizeof(long));
	for (size_t u = 0; u < 30; u++)
		for (size_t r = 0; r < 6; r++)
			counts[u * 5 + (size_t)diagnoses[u][r] - 1]++;
	return counts;
}

static void test_fleiss_published(void)
{
	long *counts = diagnoses_counts();
	long totals[5] = {0};
	for (size_t i = 0; i < 150; i++)
		totals[i % 5] += counts[i];
	/* The category totals Fleiss' Table 1 prints. */
	CHECK_INT(totals[0], 26);
	CHECK_INT(totals[1], 26);
	CHECK_INT(totals[2], 30);
	CHECK_INT(totals[3], 55);
	CHECK_INT(totals[4], 43);
	struct stats_fleiss f;
	stats_fleiss_kappa(counts, 30, 5, &f);
	CHECK_INT(f.raters, 6);
	DEFINED(f.kappa);
	CHECK_NEAR(f.kappa.v, 0.4302, 5e-5);
	CHECK_NEAR(f.kappa.v, 0.4302445, 5e-7); /* irr::kappam.fleiss */
	CHECK_NEAR(f.z.v, 17.65183, 5e-5);      /* irr's z */
	CHECK_NEAR(f.observed.v, 0.556, 5e-4);  /* Fleiss 1971: P-bar = .556 */
	CHECK_NEAR(f.expected.v, 0.220, 5e-4);  /* P-bar_e = .220 */
	/* Per-category kappas, Fleiss (1971) p. 381: .245 .245 .520 .471 .566. */
	const double per[5] = {0.245, 0.245, 0.520, 0.471, 0.566};
	for (size_t c = 0; c < 5; c++)
		CHECK_NEAR(stats_fleiss_category_kappa(counts, 30, 5, c).v, per[c], 5e-4);
	/* Alpha on the same data agrees with its definition over pairs. */
	int values[6 * 30];
	for (size_t u = 0; u < 30; u++)
		for (size_t r = 0; r < 6; r++)
			values[r * 30 + u] = diagnoses[u][r];
	struct stats_alpha a;
	stats_krippendorff_alpha(counts, 30, 5, &a);
	CHECK_NEAR(a.alpha.v, alpha_by_pairs(values, 6, 30), 1e-12);
	/* With no missing data alpha = 1 - (1 - kappa_Fleiss) (N m - 1) / (N m). */
	CHECK_NEAR(a.alpha.v, 1 - (1 - f.kappa.v) * 179.0 / 180.0, 1e-12);
	free(counts);
}

static void test_two_raters_consistent(void)
{
	/* The SAS table as units: Fleiss with m = 2 is Scott's pi, and alpha follows from it. */
	long counts[19 * 3] = {0};
	size_t u = 0;
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			for (long x = 0; x < sas_table[i * 3 + j]; x++, u++) {
				counts[u * 3 + i]++;
				counts[u * 3 + j]++;
			}
	struct stats_fleiss f;
	stats_fleiss_kappa(counts, 19, 3, &f);
	CHECK_NEAR(f.observed.v, 13.0 / 19, 1e-12);
	/* Scott's pi: p_e from the pooled margins (5+0, 8+13, 6+6) / 38. */
	double pe = (25.0 + 21 * 21 + 12 * 12) / (38.0 * 38);
	CHECK_NEAR(f.kappa.v, (13.0 / 19 - pe) / (1 - pe), 1e-12);
	struct stats_alpha a;
	stats_krippendorff_alpha(counts, 19, 3, &a);
	CHECK_NEAR(a.alpha.v, 1 - (1 - f.kappa.v) * 37.0 / 38.0, 1e-12);
}

static void test_alpha_fleiss_degenerate(void)
{
	struct stats_alpha a;
	struct stats_fleiss f;
	stats_krippendorff_alpha(NULL, 0, 0, &a);
	UNDEFINED(a.alpha);
	stats_fleiss_kappa(NULL, 0, 0, &f);
	UNDEFINED(f.kappa);
	CHECK_STR(f.kappa.undefined, "no items");
	/* One unit, one rating: nothing pairable. */
	const long lone[2] = {1, 0};
	stats_krippendorff_alpha(lone, 1, 2, &a);
	CHECK_INT(a.units, 0);
	UNDEFINED(a.alpha);
	/* Every rating in one category. */
	const long same[6] = {2, 0, 3, 0, 2, 0};
	stats_krippendorff_alpha(same, 3, 2, &a);
	UNDEFINED(a.alpha);
	CHECK(!isnan(a.alpha.v));
	stats_fleiss_kappa(same, 3, 2, &f);
	UNDEFINED(f.kappa);
	/* Perfect agreement with two categories. */
	const long perfect[6] = {2, 0, 0, 2, 2, 0};
	stats_krippendorff_alpha(perfect, 3, 2, &a);
	CHECK_NEAR(a.alpha.v, 1, 1e-12);
	stats_fleiss_kappa(perfect, 3, 2, &f);
	CHECK_NEAR(f.kappa.v, 1, 1e-12);
	/* Units with different numbers of ratings: alpha yes, Fleiss no. */
	const long uneven[6] = {2, 0, 0, 3, 1, 1};
	stats_krippendorff_alpha(uneven, 3, 2, &a);
	DEFINED(a.alpha);
	stats_fleiss_kappa(uneven, 3, 2, &f);
	UNDEFINED(f.kappa);
	CHECK_STR(f.kappa.undefined, "units have different numbers of ratings");
	UNDEFINED(stats_fleiss_category_kappa(uneven, 3, 2, 0));
}

static void test_readings(void)
{
	CHECK_STR(stats_landis_koch(-0.1), "poor");
	CHECK_STR(stats_landis_koch(0), "slight");
	CHECK_STR(stats_landis_koch(0.2), "slight");
	CHECK_STR(stats_landis_koch(0.21), "fair");
	CHECK_STR(stats_landis_koch(0.4), "fair");
	CHECK_STR(stats_landis_koch(0.6), "moderate");
	CHECK_STR(stats_landis_koch(0.61), "substantial");
	CHECK_STR(stats_landis_koch(0.8), "substantial");
	CHECK_STR(stats_landis_koch(0.81), "almost perfect");
	CHECK_STR(stats_landis_koch(0.1 + 0.2 - 0.1), "slight"); /* 0.2000000000000000x */
	CHECK_STR(stats_mchugh(-0.3), "none");
	CHECK_STR(stats_mchugh(0.2), "none");
	CHECK_STR(stats_mchugh(0.21), "minimal");
	CHECK_STR(stats_mchugh(0.4), "weak");
	CHECK_STR(stats_mchugh(0.6), "moderate");
	CHECK_STR(stats_mchugh(0.8), "strong");
	CHECK_STR(stats_mchugh(0.9), "strong"); /* the paper's causes: "strong agreement" */
	CHECK_STR(stats_mchugh(0.95), "almost perfect");
	CHECK_NEAR(stats_normal_two_sided_p(1.959963984540054), 0.05, 1e-12);
	CHECK_NEAR(stats_normal_two_sided_p(0), 1, 0);
}

int main(void)
{
	TEST(test_cohen_sas);
	TEST(test_category_agreement);
	TEST(test_cohen_perfect);
	TEST(test_cohen_single_category);
	TEST(test_cohen_one_item);
	TEST(test_cohen_no_items);
	TEST(test_krippendorff_published);
	TEST(test_fleiss_published);
	TEST(test_two_raters_consistent);
	TEST(test_alpha_fleiss_degenerate);
	TEST(test_readings);
	return test_done();
}
