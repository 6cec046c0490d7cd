/*
 * sample.h - reproducible uniform random samples of issue sets.
 *
 * The same seed draws the same sample on any machine, so a paper can state
 * "issuemine sample --from relevant --per-repo 100 --seed 7" and a reader can
 * redraw it. The procedure, exactly:
 *
 * 1. The generator is xoshiro256** (Blackman and Vigna, 2018). Its 256-bit
 *    state is the first four outputs of SplitMix64 started at the seed (0 to
 *    2^63 - 1, so that it is stored and printed as given).
 * 2. A number below a bound b is drawn by rejection: take the next 64-bit
 *    output x, reject it while x < (2^64 - b) mod b, and return x mod b. No
 *    bias, no floating point.
 * 3. The members of the source set are listed by repository full name
 *    (case-insensitive) and then issue number, ascending.
 * 4. k of n members are drawn by a partial Fisher-Yates shuffle: for
 *    i = 0 .. k-1, j = i + below(n - i), swap members i and j. Members
 *    0 .. k-1 are the sample, in draw order.
 * 5. --per-repo N applies step 4 to each repository's members in turn (in
 *    the order of step 3), with the one generator continuing across them.
 *
 * Step 4 is prefix-stable: drawing k + m gives the k of drawing k, then m
 * more. A top-up (sample_topup.h) relies on it to draw replacements from
 * the same seeded order.
 */
#ifndef ISSUEMINE_SAMPLE_H
#define ISSUEMINE_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct sample_rng {
	uint64_t s[4];
};

void sample_rng_seed(struct sample_rng *r, uint64_t seed);
uint64_t sample_rng_next(struct sample_rng *r);
/* A uniform number in [0, bound); bound must be positive. */
uint64_t sample_rng_below(struct sample_rng *r, uint64_t bound);

/* Step 4 above: afterwards items[0..k) is the sample in draw order (k <= n). */
void sample_shuffle_prefix(struct sample_rng *r, int64_t *items, size_t n, size_t k);

enum sample_mode {
	SAMPLE_TOTAL,    /* count issues from the whole set */
	SAMPLE_PER_REPO, /* count issues from each repository of the set */
	SAMPLE_TRANCHE,  /* count issues of a sample, for a second rater's drift check */
};

struct sample_request {
	const char *from; /* the source set; a sample for SAMPLE_TRANCHE */
	enum sample_mode mode;
	long count;
	uint64_t seed;
};

/*
 * Draws the sample: *ids (caller frees) gets the issue ids in sample order.
 * Fails, saying how many there are, when the set (or a repository of it)
 * holds fewer than asked.
 */
int sample_draw(struct store *s, const struct sample_request *req, int64_t **ids, size_t *n,
                struct error *err);

/*
 * Saves ids as a new sample set name (kind "sample", with its source set,
 * seed, mode, size and a description of the draw) in one transaction.
 */
int sample_save(struct store *s, const struct sample_request *req, const char *name,
                const int64_t *ids, size_t n, struct error *err);

/* "total", "per-repo", "tranche": how the sets table names a mode; parse returns 0 or -1. */
const char *sample_mode_name(enum sample_mode mode);
int sample_mode_parse(const char *name, enum sample_mode *mode);

/*
 * The members of set_id in the order of step 3, with each one's repository
 * id: *ids and *repos (caller frees both), *n of them.
 */
int sample_members(struct store *s, int64_t set_id, int64_t **ids, int64_t **repos, size_t *n,
                   struct error *err);

#endif
