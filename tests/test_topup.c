/*
 * test_topup.c - samples are prefix-stable, and a top-up draws the next
 * issues of the same seeded order: the same as a bigger draw (--n), the
 * same when done in steps, refused when the source changed.
 */
#include "test.h"

#include "codes.h"
#include "import.h"
#include "query.h"
#include "sample.h"
#include "sample_topup.h"
#include "sets.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

static void shuffled(uint64_t seed, size_t n, size_t k, int64_t *out)
{
	struct sample_rng r;
	for (size_t i = 0; i < n; i++)
		out[i] = (int64_t)i;
	sample_rng_seed(&r, seed);
	sample_shuffle_prefix(&r, out, n, k);
}

/*
 * Step 4 of sample.h is prefix-stable: for every seed, size and k1 < k2, the
 * first k1 of drawing k2 are the draw of k1. (Each step i draws below(n - i)
 * and nothing else: step i does not depend on how many steps follow.)
 */
static void test_prefix_stable(void)
{
	int64_t a[40], b[40];
	long pairs = 0;
	for (uint64_t seed = 0; seed < 60; seed++) {
		for (size_t n = 1; n <= 40; n += 3) {
			for (size_t k1 = 0; k1 <= n; k1 += 2) {
				for (size_t k2 = k1; k2 <= n; k2 += 5) {
					shuffled(seed, n, k1, a);
					shuffled(seed, n, k2, b);
					CHECK(!memcmp(a, b, k1 * sizeof(*a)));
					pairs++;
				}
			}
		}
	}
	CHECK(pairs > 10000);
}

static struct store *corpus(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "t.db");
	char *data = test_data_path("filter-corpus.json");
	struct store *s;
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	struct query *q;
	int64_t id;
	long added;
	struct taxonomy *t;
	if (store_open(path, STORE_READWRITE, &s, &err) ||
	    import_file(s, data, &io, &counts, &err) || query_parse("is:issue", &q, NULL, &err) ||
	    store_begin(s, &err) ||
	    set_create(s, "all", "filter", "is:issue", 0, 0, 0, &id, &err) ||
	    query_fill_set(s, q, id, &added, &err) || store_commit(s, &err) ||
	    tax_read(s, NULL, &t, &err)) {
		fprintf(stderr, "cannot build the corpus: %s\n", err.msg);
		exit(1);
	}
	tax_free(t);
	query_free(q);
	free(dir);
	free(path);
	free(data);
	return s;
}

static void save(struct store *s, const struct sample_request *req, const char *name)
{
	int64_t *ids;
	size_t n;
	struct error err;
	if (sample_draw(s, req, &ids, &n, &err) || sample_save(s, req, name, ids, n, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	free(ids);
}

/* The sample's members in order. */
static size_t members(struct store *s, const char *name, int64_t *out, size_t max)
{
	int64_t id;
	struct error err;
	struct set_member *m;
	size_t n;
	set_find(s, name, &id, &err);
	if (set_members(s, id, &m, &n, &err))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i < max)
			out[i] = m[i].issue_id;
		set_member_release(&m[i]);
	}
	free(m);
	return n;
}

static void exclude(struct store *s, const char *sample, int64_t issue, const char *rater)
{
	struct taxonomy *t;
	struct error err;
	int64_t set_id, r;
	if (tax_read(s, NULL, &t, &err) || set_find(s, sample, &set_id, &err) ||
	    store_begin(s, &err) || rater_id(s, rater, 1, &r, &err) ||
	    exclusion_set(s, set_id, issue, r, &t->reasons[0], NULL, "code", &err) ||
	    store_commit(s, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	tax_free(t);
}

static int topup(struct store *s, const char *sample, const char *rater, struct topup_plan *p,
                 struct error *err)
{
	if (topup_plan(s, sample, rater, p, err))
		return -1;
	return p->nadded ? topup_save(s, p, err) : 0;
}

/* --n: topping up m equals drawing N + m at once (the sample's order goes on). */
static void test_total_equals_bigger_draw(void)
{
	struct store *s = corpus();
	struct sample_request small = {"all", SAMPLE_TOTAL, 5, 3},
	                      big = {"all", SAMPLE_TOTAL, 8, 3};
	save(s, &small, "five");
	int64_t *want, got[20];
	size_t nwant;
	struct error err;
	CHECK_INT(sample_draw(s, &big, &want, &nwant, &err), 0);
	CHECK_INT(members(s, "five", got, 20), 5);
	CHECK(!memcmp(got, want, 5 * sizeof(*got))); /* prefix-stable through sample_draw */
	exclude(s, "five", got[1], "consensus");
	exclude(s, "five", got[3], "consensus");
	struct topup_plan p;
	CHECK_INT(topup(s, "five", NULL, &p, &err), 0);
	CHECK_INT(p.nadded, 2);
	CHECK_STR(p.rater, "consensus");
	topup_plan_release(&p);
	CHECK_INT(members(s, "five", got, 20), 7);
	CHECK(!memcmp(got, want, 7 * sizeof(*got)));
	/* A replacement excluded in turn is replaced by the next one. */
	exclude(s, "five", got[6], "consensus");
	CHECK_INT(topup(s, "five", NULL, &p, &err), 0);
	CHECK_INT(p.nadded, 1);
	topup_plan_release(&p);
	CHECK_INT(members(s, "five", got, 20), 8);
	CHECK(!memcmp(got, want, 8 * sizeof(*got)));
	/* Nothing left to replace: nothing added, nothing written. */
	CHECK_INT(topup(s, "five", NULL, &p, &err), 0);
	CHECK_INT(p.nadded, 0);
	topup_plan_release(&p);
	free(want);
	store_close(s);
}

/* --per-repo: two top-ups of one issue each draw what one top-up of two does. */
static void test_per_repo_in_steps(void)
{
	struct store *a = corpus(), *b = corpus();
	struct sample_request req = {"all", SAMPLE_PER_REPO, 2, 9};
	save(a, &req, "study");
	save(b, &req, "study");
	int64_t ma[20], mb[20];
	CHECK_INT(members(a, "study", ma, 20), 6);
	CHECK_INT(members(b, "study", mb, 20), 6);
	CHECK(!memcmp(ma, mb, 6 * sizeof(*ma))); /* same corpus, same ids */
	struct topup_plan p;
	struct error err;
	/* a: exclude one pytorch issue, top up; then the other, top up again. */
	exclude(a, "study", ma[4], "alice");
	CHECK_INT(topup(a, "study", "alice", &p, &err), 0);
	CHECK_INT(p.nadded, 1);
	topup_plan_release(&p);
	exclude(a, "study", ma[5], "alice");
	CHECK_INT(topup(a, "study", "alice", &p, &err), 0);
	CHECK_INT(p.nadded, 1);
	topup_plan_release(&p);
	/* b: exclude both, top up once. */
	exclude(b, "study", mb[4], "alice");
	exclude(b, "study", mb[5], "alice");
	CHECK_INT(topup(b, "study", "alice", &p, &err), 0);
	CHECK_INT(p.nadded, 2);
	CHECK_INT(p.repos[2].added, 2);
	CHECK_INT(p.repos[0].added, 0);
	topup_plan_release(&p);
	CHECK_INT(members(a, "study", ma, 20), 8);
	CHECK_INT(members(b, "study", mb, 20), 8);
	CHECK(!memcmp(ma, mb, 8 * sizeof(*ma)));
	/* The other repositories' samples are untouched. */
	int64_t first[20];
	struct store *c = corpus();
	save(c, &req, "study");
	CHECK_INT(members(c, "study", first, 20), 6);
	CHECK(!memcmp(first, ma, 6 * sizeof(*ma)));
	store_close(a);
	store_close(b);
	store_close(c);
}

static void test_refusals(void)
{
	struct store *s = corpus();
	struct sample_request req = {"all", SAMPLE_TOTAL, 4, 1};
	save(s, &req, "four");
	struct topup_plan p;
	struct error err;
	CHECK_INT(topup_plan(s, "all", NULL, &p, &err), -1);
	CHECK_STR(err.msg, "set 'all' is not a sample (it is a filter set): --top-up adds to a "
	                   "sample drawn by 'issuemine sample'");
	CHECK_INT(topup_plan(s, "nope", NULL, &p, &err), -1);
	CHECK_INT(topup_plan(s, "four", NULL, &p, &err), -1);
	CHECK_STR(err.msg, "no issue of sample 'four' is excluded: nothing to top up");
	int64_t m[10];
	members(s, "four", m, 10);
	exclude(s, "four", m[0], "alice");
	exclude(s, "four", m[1], "bob");
	CHECK_INT(topup_plan(s, "four", NULL, &p, &err), -1);
	CHECK(strstr(err.msg, "several raters excluded issues of sample 'four' (alice, bob)"));
	CHECK_INT(topup_plan(s, "four", "carol", &p, &err), -1);
	CHECK(strstr(err.msg, "rater 'carol' excluded no issue"));
	/* The source changed since the draw: the order is another one, nothing is drawn. */
	int64_t all, extra;
	set_find(s, "all", &all, &err);
	store_exec(s,
	           "INSERT INTO issues (repo_id, number, title, stored_at) VALUES (1, 999, 'new', "
	           "'x')",
	           &err);
	extra = sqlite3_last_insert_rowid(s->db);
	store_begin(s, &err);
	set_add_member(s, all, extra, &err);
	store_commit(s, &err);
	CHECK_INT(topup_plan(s, "four", "alice", &p, &err), -1);
	CHECK(strstr(err.msg, "no longer follows the seeded order of set 'all'"));
	CHECK_INT(members(s, "four", m, 10), 4);
	store_close(s);
}

int main(void)
{
	TEST(test_prefix_stable);
	TEST(test_total_equals_bigger_draw);
	TEST(test_per_repo_in_steps);
	TEST(test_refusals);
	return test_done();
}
