/*
 * stats_boot.c - the seeded percentile bootstrap of stats_boot.h.
 */
#include "stats_boot.h"

#include "sample.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The 1-based rank ceil(permille / 1000 * d), at least 1. */
static size_t quantile_rank(long permille, long d)
{
	long r = (permille * d + 999) / 1000;
	return (size_t)(r < 1 ? 1 : r);
}

/* Sorts the d defined values and reads the interval (step 4). */
static void finish(double *values, long d, struct stats_bootstrap *out)
{
	out->defined = d;
	if (d == 0) {
		out->low.undefined = out->high.undefined = "no resample had a value";
		out->low.v = out->high.v = 0;
		return;
	}
	qsort(values, (size_t)d, sizeof(double), compare_doubles);
	out->low.v = values[quantile_rank(25, d) - 1];
	out->high.v = values[quantile_rank(975, d) - 1];
	out->low.undefined = out->high.undefined = NULL;
}

static void start(struct stats_bootstrap *out, long replicates, uint64_t seed)
{
	memset(out, 0, sizeof(*out));
	out->replicates = replicates;
	out->seed = seed;
}

void stats_bootstrap_cohen(const int *a, const int *b, size_t units, size_t k, long replicates,
                           uint64_t seed, struct stats_bootstrap *out)
{
	start(out, replicates, seed);
	if (units == 0 || replicates <= 0) {
		finish(NULL, 0, out);
		return;
	}
	struct sample_rng rng;
	sample_rng_seed(&rng, seed);
	long *table = xcalloc(k * k, sizeof(long));
	double *values = xcalloc((size_t)replicates, sizeof(double));
	long d = 0;
	for (long r = 0; r < replicates; r++) {
		memset(table, 0, k * k * sizeof(long));
		for (size_t i = 0; i < units; i++) {
			size_t u = (size_t)sample_rng_below(&rng, units);
			table[(size_t)a[u] * k + (size_t)b[u]]++;
		}
		struct stats_cohen c;
		stats_cohen_kappa(table, k, &c);
		if (!c.kappa.undefined)
			values[d++] = c.kappa.v;
	}
	finish(values, d, out);
	free(values);
	free(table);
}

void stats_bootstrap_units(const long *counts, size_t units, size_t k, enum stats_boot_units what,
                           long replicates, uint64_t seed, struct stats_bootstrap *out)
{
	start(out, replicates, seed);
	if (units == 0 || replicates <= 0) {
		finish(NULL, 0, out);
		return;
	}
	struct sample_rng rng;
	sample_rng_seed(&rng, seed);
	long *resample = xcalloc(units * k, sizeof(long));
	double *values = xcalloc((size_t)replicates, sizeof(double));
	long d = 0;
	for (long r = 0; r < replicates; r++) {
		for (size_t i = 0; i < units; i++) {
			size_t u = (size_t)sample_rng_below(&rng, units);
			memcpy(&resample[i * k], &counts[u * k], k * sizeof(long));
		}
		struct stats_num v;
		if (what == STATS_BOOT_ALPHA) {
			struct stats_alpha a;
			stats_krippendorff_alpha(resample, units, k, &a);
			v = a.alpha;
		} else {
			struct stats_fleiss f;
			stats_fleiss_kappa(resample, units, k, &f);
			v = f.kappa;
		}
		if (!v.undefined)
			values[d++] = v.v;
	}
	finish(values, d, out);
	free(values);
	free(resample);
}
