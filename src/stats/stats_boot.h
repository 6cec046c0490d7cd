/*
 * stats_boot.h - seeded bootstrap percentile intervals for kappa and alpha.
 *
 * The units (issues) are resampled with replacement, the statistic is
 * computed on each resample, and the interval is read off the sorted
 * values. The same seed gives the same interval on any machine:
 *
 * 1. The generator is the one samples are drawn with (sample.h):
 *    xoshiro256** seeded by SplitMix64 from the seed.
 * 2. Replicate b = 1..B draws n unit indices in turn, each
 *    sample_rng_below(n), over the units in the order given (the sample's
 *    order), and computes the statistic on those units.
 * 3. Replicates where the statistic is undefined (every resampled code in
 *    one category...) are left out and counted; the d others are sorted.
 * 4. The 95% interval is the pair of order statistics v_(ceil(0.025 d)) and
 *    v_(ceil(0.975 d)) (1-based; the empirical distribution's 2.5% and
 *    97.5% quantiles, computed in integers).
 */
#ifndef ISSUEMINE_STATS_BOOT_H
#define ISSUEMINE_STATS_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "stats_agree.h"

struct stats_bootstrap {
	long replicates; /* B, as asked */
	long defined;    /* replicates where the statistic had a value */
	uint64_t seed;
	struct stats_num low, high; /* the percentile interval */
};

/*
 * Cohen's kappa of two raters: a[u] and b[u] are the classes (0..k-1) the
 * raters gave unit u.
 */
void stats_bootstrap_cohen(const int *a, const int *b, size_t units, size_t k, long replicates,
                           uint64_t seed, struct stats_bootstrap *out);

enum stats_boot_units {
	STATS_BOOT_FLEISS, /* Fleiss' kappa: every unit has the same number of ratings */
	STATS_BOOT_ALPHA,  /* Krippendorff's alpha: any number of ratings per unit */
};

/* Fleiss' kappa or alpha of a units x k table (counts[u * k + c]). */
void stats_bootstrap_units(const long *counts, size_t units, size_t k, enum stats_boot_units what,
                           long replicates, uint64_t seed, struct stats_bootstrap *out);

#endif
