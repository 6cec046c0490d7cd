/*
 * test_sample.c - reproducible sampling: the generator's pinned outputs,
 * same seed same sample, different seed different sample, per-repository
 * balance, and chi-square checks that every member, and every subset, is
 * drawn equally often.
 */
#include "test.h"

#include "import.h"
#include "query.h"
#include "sample.h"
#include "sets.h"

#include <stdio.h>
#include <stdlib.h>

/* Outputs of the reference algorithms (SplitMix64 seeding xoshiro256**), computed apart. */
static void test_generator_is_pinned(void)
{
	struct sample_rng r;
	sample_rng_seed(&r, 0);
	/* SplitMix64's first output from 0 is its published 0xe220a8397b1dcdaf. */
	CHECK(r.s[0] == 0xe220a8397b1dcdafULL);
	CHECK(sample_rng_next(&r) == 0x99ec5f36cb75f2b4ULL);
	CHECK(sample_rng_next(&r) == 0xbf6e1f784956452aULL);
	CHECK(sample_rng_next(&r) == 0x1a5f849d4933e6e0ULL);
}

static void test_below_stays_below(void)
{
	struct sample_rng r;
	sample_rng_seed(&r, 99);
	for (int i = 0; i < 1000; i++) {
		CHECK(sample_rng_below(&r, 1) == 0);
		CHECK(sample_rng_below(&r, 7) < 7);
		CHECK(sample_rng_below(&r, UINT64_MAX) < UINT64_MAX);
	}
}

static void draw(uint64_t seed, size_t n, size_t k, int64_t *out)
{
	struct sample_rng r;
	for (size_t i = 0; i < n; i++)
		out[i] = (int64_t)i;
	sample_rng_seed(&r, seed);
	sample_shuffle_prefix(&r, out, n, k);
}

static void test_same_seed_same_sample(void)
{
	int64_t a[50], b[50], c[50];
	draw(7, 50, 10, a);
	draw(7, 50, 10, b);
	draw(8, 50, 10, c);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(memcmp(a, c, 10 * sizeof(a[0])) != 0);
	/* Without replacement: the prefix has no repeats, and the whole is a permutation. */
	int seen[50] = {0};
	for (int i = 0; i < 50; i++)
		seen[a[i]]++;
	for (int i = 0; i < 50; i++)
		CHECK_INT(seen[i], 1);
	/* Different seeds give different samples nearly always. */
	int same = 0;
	for (uint64_t s = 0; s < 200; s++) {
		draw(s, 50, 10, a);
		draw(s + 1, 50, 10, b);
		same += memcmp(a, b, 10 * sizeof(a[0])) == 0;
	}
	CHECK_INT(same, 0);
}

/*
 * Over many seeds, each of n members is drawn about k/n of the time, and is
 * first in draw order about 1/n of the time. Pearson's chi-square with n-1 = 19
 * degrees of freedom stays below 43.82 (p = 0.001) for a uniform draw; the
 * seeds are fixed, so the test is deterministic.
 */
static void test_chi_square_uniformity(void)
{
	enum { N = 20, K = 5, SEEDS = 20000 };
	long drawn[N] = {0}, first[N] = {0};
	int64_t items[N];
	for (uint64_t s = 0; s < SEEDS; s++) {
		draw(s * 7919 + 1, N, K, items);
		for (int i = 0; i < K; i++)
			drawn[items[i]]++;
		first[items[0]]++;
	}
	double chi_drawn = 0, chi_first = 0;
	double e_drawn = (double)SEEDS * K / N, e_first = (double)SEEDS / N;
	for (int i = 0; i < N; i++) {
		chi_drawn += (drawn[i] - e_drawn) * (drawn[i] - e_drawn) / e_drawn;
		chi_first += (first[i] - e_first) * (first[i] - e_first) / e_first;
	}
	if (!(chi_drawn < 43.82))
		test_fail(__FILE__, __LINE__, "chi-square of members drawn %.2f >= 43.82",
		          chi_drawn);
	if (!(chi_first < 43.82))
		test_fail(__FILE__, __LINE__, "chi-square of first draws %.2f >= 43.82", chi_first);
	/* And a biased draw would be caught: always skipping member 0 fails the bound. */
	double chi_biased = 0;
	for (int i = 0; i < N; i++) {
		double o = i == 0 ? 0 : e_drawn * N / (N - 1);
		chi_biased += (o - e_drawn) * (o - e_drawn) / e_drawn;
	}
	CHECK(chi_biased > 43.82);
}

/*
 * A systematic sample, every (n/k)th member from a random start: each member
 * is drawn equally often, yet most subsets never are. For the test below.
 */
static void systematic_prefix(struct sample_rng *r, int64_t *items, size_t n, size_t k)
{
	size_t step = n / k, start = (size_t)sample_rng_below(r, step);
	for (size_t i = 0; i < k; i++)
		items[i] = (int64_t)(start + i * step);
}

/* Pearson's chi-square of how often each 3-subset of 6 members is drawn over many seeds. */
static double subset_chi_square(void (*shuffle)(struct sample_rng *, int64_t *, size_t, size_t))
{
	enum { N = 6, K = 3, SEEDS = 20000 };
	long count[1 << N] = {0};
	for (uint64_t s = 0; s < SEEDS; s++) {
		struct sample_rng r;
		int64_t items[N] = {0, 1, 2, 3, 4, 5};
		sample_rng_seed(&r, s * 7919 + 1);
		shuffle(&r, items, N, K);
		count[(1 << items[0]) | (1 << items[1]) | (1 << items[2])]++;
	}
	double chi = 0, expected = SEEDS / 20.0; /* C(6, 3) = 20 subsets */
	for (int mask = 0; mask < 1 << N; mask++) {
		int members = 0;
		for (int b = 0; b < N; b++)
			members += (mask >> b) & 1;
		if (members == K)
			chi += (count[mask] - expected) * (count[mask] - expected) / expected;
	}
	return chi;
}

/*
 * A uniform sample makes every subset of k members equally likely, which is
 * more than every member being drawn equally often: a systematic sample does
 * that too. Over the 20 subsets (19 degrees of freedom) the bound is again
 * 43.82, p = 0.001, and the systematic sample goes far past it.
 */
static void test_subsets_are_uniform(void)
{
	double chi = subset_chi_square(sample_shuffle_prefix);
	if (!(chi < 43.82))
		test_fail(__FILE__, __LINE__, "chi-square of subsets drawn %.2f >= 43.82", chi);
	CHECK(subset_chi_square(systematic_prefix) > 43.82);
}

static struct store *corpus_with_set(const char *query, const char *name)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "s.db");
	char *data = test_data_path("filter-corpus.json");
	struct store *s;
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	struct query *q;
	int64_t id;
	long added;
	if (store_open(path, STORE_READWRITE, &s, &err) ||
	    import_file(s, data, &io, &counts, &err) || query_parse(query, &q, NULL, &err) ||
	    store_begin(s, &err) || set_create(s, name, "filter", query, 0, 0, 0, &id, &err) ||
	    query_fill_set(s, q, id, &added, &err) || store_commit(s, &err)) {
		fprintf(stderr, "cannot build the corpus: %s\n", err.msg);
		exit(1);
	}
	query_free(q);
	free(dir);
	free(path);
	free(data);
	return s;
}

static long count_repo(struct store *s, const int64_t *ids, size_t n, const char *repo)
{
	long c = 0;
	for (size_t i = 0; i < n; i++) {
		struct error err;
		char ref[64];
		sqlite3_stmt *st =
		        store_stmt(s,
		                   "SELECT r.full_name FROM issues i JOIN repositories r "
		                   "ON r.id = i.repo_id WHERE i.id = ?",
		                   &err);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(ref, sizeof(ref), "%s", (const char *)sqlite3_column_text(st, 0));
			c += !strcmp(ref, repo);
		}
		sqlite3_reset(st);
	}
	return c;
}

static void test_per_repo_balance(void)
{
	struct store *s = corpus_with_set("is:issue", "all");
	struct sample_request req = {"all", SAMPLE_PER_REPO, 3, 11};
	int64_t *ids, *again;
	size_t n, n2;
	struct error err;
	CHECK_INT(sample_draw(s, &req, &ids, &n, &err), 0);
	CHECK_INT(n, 9);
	CHECK_INT(count_repo(s, ids, n, "pytorch/pytorch"), 3);
	CHECK_INT(count_repo(s, ids, n, "onnx/tensorflow-onnx"), 3);
	CHECK_INT(count_repo(s, ids, n, "other/thing"), 3);
	CHECK_INT(sample_draw(s, &req, &again, &n2, &err), 0);
	CHECK(n == n2 && !memcmp(ids, again, n * sizeof(*ids)));
	free(again);
	/* Saved, it becomes a sample with its seed and source. */
	CHECK_INT(sample_save(s, &req, "study", ids, n, &err), 0);
	struct set_info info;
	int found;
	CHECK_INT(set_get(s, "study", &info, &found, &err), 0);
	CHECK(found);
	CHECK_STR(info.kind, "sample");
	CHECK_STR(info.parent, "all");
	CHECK_INT(info.seed, 11);
	CHECK_INT(info.size, 9);
	set_info_release(&info);
	free(ids);
	/* other/thing holds 3 issues: 4 per repository is refused, saying so. */
	req.count = 4;
	CHECK_INT(sample_draw(s, &req, &ids, &n, &err), -1);
	CHECK_STR(err.msg, "set 'all' holds only 3 issues of other/thing; cannot draw 4 per "
	                   "repository");
	/* A tranche comes from a sample only, and from its members. */
	struct sample_request tr = {"study", SAMPLE_TRANCHE, 4, 5};
	CHECK_INT(sample_draw(s, &tr, &ids, &n, &err), 0);
	CHECK_INT(n, 4);
	for (size_t i = 0; i < n; i++) {
		int64_t study;
		int yes = 0;
		set_find(s, "study", &study, &err);
		set_has_member(s, study, ids[i], &yes, &err);
		CHECK(yes);
	}
	free(ids);
	tr.from = "all";
	CHECK_INT(sample_draw(s, &tr, &ids, &n, &err), -1);
	CHECK(strstr(err.msg, "is not a sample") != NULL);
	struct sample_request big = {"all", SAMPLE_TOTAL, 23, 1};
	CHECK_INT(sample_draw(s, &big, &ids, &n, &err), -1);
	CHECK_STR(err.msg, "set 'all' holds only 22 issues; cannot draw 23");
	store_close(s);
}

/* An empty set has no repository to draw from: that is an error, not an empty sample. */
static void test_empty_set(void)
{
	struct store *s = corpus_with_set("label:no-such-label", "none");
	int64_t *ids;
	size_t n;
	struct error err;
	struct sample_request per_repo = {"none", SAMPLE_PER_REPO, 1, 3};
	CHECK_INT(sample_draw(s, &per_repo, &ids, &n, &err), -1);
	CHECK_STR(err.msg, "set 'none' holds no issues; cannot draw 1 per repository");
	CHECK(ids == NULL && n == 0);
	struct sample_request total = {"none", SAMPLE_TOTAL, 1, 3};
	CHECK_INT(sample_draw(s, &total, &ids, &n, &err), -1);
	CHECK_STR(err.msg, "set 'none' holds no issues; cannot draw 1");
	store_close(s);
}

int main(void)
{
	TEST(test_generator_is_pinned);
	TEST(test_below_stays_below);
	TEST(test_same_seed_same_sample);
	TEST(test_chi_square_uniformity);
	TEST(test_subsets_are_uniform);
	TEST(test_per_repo_balance);
	TEST(test_empty_set);
	return test_done();
}
