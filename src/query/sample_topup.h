/*
 * sample_topup.h - replacing a sample's excluded issues from the same seeded
 * order, so that it again holds N included issues (per repository).
 *
 * About 6 in 100 sampled issues turn out not to be failures; raters exclude
 * them (codes.h) and the sample is topped up. The replacements are the next
 * issues of the very order the sample was drawn in, so the same command on
 * any machine draws the same ones, and topping up twice draws what topping
 * up once by as many would have. Exactly (with the steps of sample.h):
 *
 *  - --n and --tranche: step 4 is run on for the issues the sample holds
 *    and those it needs: members c .. c+m-1 of the draw of c + m are added,
 *    c being the issues the sample holds (excluded ones too) and m the
 *    excluded ones not yet replaced. The first c must be the sample's
 *    members in order, or the source changed and nothing is drawn.
 *  - --per-repo N: the draw of step 5 is replayed; then each repository's
 *    shuffle goes on from step N with a generator of its own, xoshiro256**
 *    seeded by SplitMix64 at S xor ((j + 1) * 0x9E3779B97F4A7C15) (mod
 *    2^64), j being the repository's index in the order of step 3. Its
 *    first members must again be the sample's.
 *
 * Whose exclusions count is the rater's given (the adjudicator, usually);
 * the set's origin records every top-up.
 */
#ifndef ISSUEMINE_SAMPLE_TOPUP_H
#define ISSUEMINE_SAMPLE_TOPUP_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "store.h"

struct topup_repo {
	char *repo;    /* "owner/name"; NULL for the whole sample (--n, --tranche) */
	long held;     /* issues of the sample, excluded ones included */
	long excluded; /* of those, excluded by the rater */
	long added;
};

struct topup_plan {
	int64_t set_id;
	char *sample, *from, *rater;
	enum sample_mode mode;
	long count; /* N: the included issues wanted (per repository) */
	uint64_t seed;
	int64_t *added; /* the replacements, in the order drawn */
	size_t nadded;
	struct topup_repo *repos;
	size_t nrepos;
};

/*
 * Works out the replacements for sample's excluded issues (rater NULL: the
 * only rater with exclusions in it) without writing. Fails, naming why, when
 * the set is not a sample drawn by "issuemine sample", when the source set
 * changed since the draw, or when it holds too few issues.
 */
int topup_plan(struct store *s, const char *sample, const char *rater, struct topup_plan *out,
               struct error *err);

/* Adds the plan's issues to the sample and records the top-up in its origin, in one transaction. */
int topup_save(struct store *s, const struct topup_plan *plan, struct error *err);

void topup_plan_release(struct topup_plan *p);

/* The generator of repository index j's continuation (see above). */
void topup_rng_seed(struct sample_rng *r, uint64_t seed, size_t j);

#endif
