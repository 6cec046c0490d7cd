/*
 * test_agree.c - gathering a sample's codes into agreement tables: which
 * issues are compared and which left out, top and sub levels, per repository,
 * three raters; on a real SQLite file with the built-in taxonomy.
 */
#include "test.h"

#include "agree.h"
#include "codes.h"
#include "sets.h"
#include "store.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

static struct store *s;
static struct taxonomy *t;
static const struct tax_dimension *cause;
static int64_t set_id, other_set, alice, bob, carol;

static void code(int64_t set, int64_t issue, int64_t rater, const char *cat, const char *sub)
{
	struct error err;
	struct tax_code c;
	if (tax_resolve(t, "cause", cat, sub, &c, &err) ||
	    code_set(s, set, issue, rater, &c, "test", &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
}

/*
 * Issues 1-3 in a/b, 4-6 in c/d, all in the sample. Cause codes (alice, bob):
 * 1 incompatibility/internal vs incompatibility/external, 2 incompatibility/
 * external twice, 3 typo twice, 4 typo vs incompatibility, 5 incompatibility vs
 * incompatibility/internal; 6 alice only (typo). carol codes 1 and 2.
 */
static void setup(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "a.db");
	struct error err;
	if (store_open(path, STORE_READWRITE, &s, &err) || tax_read(s, NULL, &t, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	cause = tax_find_dimension(t, "cause");
	store_exec(s,
	           "INSERT INTO repositories (owner, name, full_name) VALUES ('c', 'd', 'c/d'), "
	           "('a', 'b', 'a/b');"
	           "INSERT INTO issues (repo_id, number, stored_at) VALUES (2, 1, 'x'), "
	           "(2, 2, 'x'), (2, 3, 'x'), (1, 4, 'x'), (1, 5, 'x'), (1, 6, 'x'), (1, 7, 'x')",
	           &err);
	store_begin(s, &err);
	set_create(s, "study", "sample", "test", 0, 0, 0, &set_id, &err);
	set_create(s, "other", "manual", NULL, 0, 0, 0, &other_set, &err);
	for (int64_t i = 1; i <= 6; i++)
		set_add_member(s, set_id, i, &err);
	set_add_member(s, other_set, 7, &err);
	rater_id(s, "alice", 1, &alice, &err);
	rater_id(s, "bob", 1, &bob, &err);
	rater_id(s, "carol", 1, &carol, &err);
	code(set_id, 1, alice, "incompatibility", "internal");
	code(set_id, 1, bob, "incompatibility", "external");
	code(set_id, 2, alice, "incompatibility", "external");
	code(set_id, 2, bob, "incompatibility", "external");
	code(set_id, 3, alice, "typo", NULL);
	code(set_id, 3, bob, "typo", NULL);
	code(set_id, 4, alice, "typo", NULL);
	code(set_id, 4, bob, "incompatibility", NULL);
	code(set_id, 5, alice, "incompatibility", NULL);
	code(set_id, 5, bob, "incompatibility", "internal");
	code(set_id, 6, alice, "typo", NULL);
	code(set_id, 1, carol, "incompatibility", NULL);
	code(set_id, 2, carol, "typo", NULL);
	code(other_set, 7, alice, "typo", NULL); /* another set: never counted */
	code(other_set, 7, bob, "typo", NULL);
	if (store_commit(s, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	free(path);
	free(dir);
}

static struct agree_report *compute(const int64_t *raters, size_t n, enum agree_level level,
                                    int by_repo)
{
	struct agree_options o = {set_id, raters, n, cause, level, by_repo};
	struct agree_report *r = NULL;
	struct error err;
	if (agree_compute(s, t, &o, &r, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	return r;
}

static const char *key(const struct agree_result *r, size_t i)
{
	static char buf[256];
	agree_class_key(&r->classes[i], buf, sizeof(buf));
	return buf;
}

static void test_top_level(void)
{
	const int64_t raters[] = {alice, bob};
	struct agree_report *rep = compute(raters, 2, AGREE_LEVEL_TOP, 0);
	CHECK_INT(rep->nresults, 1);
	const struct agree_result *r = &rep->results[0];
	CHECK(r->repository == NULL);
	CHECK(r->dim == cause);
	CHECK_INT(r->sample_issues, 6);
	CHECK_INT(r->n, 5);
	CHECK_INT(r->left_out, 1);
	CHECK_INT(r->not_coded_by[0], 0);
	CHECK_INT(r->not_coded_by[1], 1);
	CHECK_INT(r->nclasses, 2);
	CHECK_STR(key(r, 0), "incompatibility");
	CHECK_STR(key(r, 1), "typo");
	CHECK_INT(r->npairs, 1);
	const long want[4] = {3, 0, 1, 1};
	for (int i = 0; i < 4; i++)
		CHECK_INT(r->pairs[0].table[i], want[i]);
	/* p_o 4/5, p_e (3*4 + 2*1)/25: kappa 6/11. */
	CHECK_NEAR(r->pairs[0].cohen.kappa.v, 6.0 / 11, 1e-12);
	CHECK_INT(r->pairs[0].per_category[1].count_a, 2);
	CHECK_INT(r->pairs[0].per_category[1].count_b, 1);
	CHECK_INT(r->alpha.units, 5); /* issue 6 has one code: not pairable */
	CHECK_INT(r->alpha.values, 10);
	CHECK_INT(r->fleiss.units, 5);
	CHECK_INT(r->ratings[0], 7);
	CHECK_INT(r->ratings[1], 3);
	agree_report_free(rep);
}

static void test_sub_level(void)
{
	const int64_t raters[] = {alice, bob};
	struct agree_report *rep = compute(raters, 2, AGREE_LEVEL_SUB, 0);
	const struct agree_result *r = &rep->results[0];
	/* Taxonomy order; a code without a sub-category is a class of its own. */
	CHECK_INT(r->nclasses, 4);
	CHECK_STR(key(r, 0), "incompatibility");
	CHECK_STR(key(r, 1), "incompatibility/internal");
	CHECK_STR(key(r, 2), "incompatibility/external");
	CHECK_STR(key(r, 3), "typo");
	char name[256];
	agree_class_name(&r->classes[2], name, sizeof(name));
	CHECK_STR(name, "Incompatibility/External");
	/* Only issues 2 and 3 agree now. */
	CHECK_NEAR(r->pairs[0].cohen.observed.v, 2.0 / 5, 1e-12);
	CHECK_INT(r->pairs[0].table[0 * 4 + 1], 1); /* issue 5 */
	CHECK_INT(r->pairs[0].table[1 * 4 + 2], 1); /* issue 1 */
	CHECK_INT(r->pairs[0].table[3 * 4 + 0], 1); /* issue 4 */
	agree_report_free(rep);
}

static void test_by_repo(void)
{
	const int64_t raters[] = {alice, bob};
	struct agree_report *rep = compute(raters, 2, AGREE_LEVEL_TOP, 1);
	CHECK_INT(rep->nresults, 3);
	CHECK_STR(rep->results[0].repository, "a/b");
	CHECK_STR(rep->results[1].repository, "c/d");
	CHECK(rep->results[2].repository == NULL);
	CHECK_INT(rep->results[0].n, 3);
	CHECK_INT(rep->results[0].left_out, 0);
	CHECK_INT(rep->results[1].n, 2);
	CHECK_INT(rep->results[1].left_out, 1);
	CHECK_INT(rep->results[2].n, 5);
	/* a/b: issues 1-3 agree at the top level, over two categories. */
	CHECK_NEAR(rep->results[0].pairs[0].cohen.kappa.v, 1, 1e-12);
	agree_report_free(rep);
}

static void test_three_raters(void)
{
	const int64_t raters[] = {alice, bob, carol};
	struct agree_report *rep = compute(raters, 3, AGREE_LEVEL_TOP, 0);
	const struct agree_result *r = &rep->results[0];
	CHECK_INT(r->n, 2);
	CHECK_INT(r->left_out, 4);
	CHECK_INT(r->not_coded_by[2], 4);
	CHECK_INT(r->npairs, 3);
	CHECK_INT(r->pairs[0].a, 0);
	CHECK_INT(r->pairs[0].b, 1);
	CHECK_INT(r->pairs[2].a, 1);
	CHECK_INT(r->pairs[2].b, 2);
	CHECK_INT(r->pairs[1].cohen.n, 2);
	CHECK_INT(r->fleiss.raters, 3);
	/* Alpha keeps every issue with two or more codes, whoever made them. */
	CHECK_INT(r->alpha.units, 5);
	CHECK_INT(r->alpha.values, 12);
	agree_report_free(rep);
}

static void test_every_dimension(void)
{
	const int64_t raters[] = {alice, bob};
	struct agree_options o = {set_id, raters, 2, NULL, AGREE_LEVEL_TOP, 0};
	struct agree_report *rep = NULL;
	struct error err;
	CHECK_INT(agree_compute(s, t, &o, &rep, &err), 0);
	CHECK_INT(rep->nresults, t->ndims);
	for (size_t i = 0; i < rep->nresults; i++) {
		CHECK(rep->results[i].dim == &t->dims[i]);
		if (rep->results[i].dim != cause) {
			CHECK_INT(rep->results[i].n, 0);
			CHECK(rep->results[i].pairs[0].cohen.kappa.undefined != NULL);
		}
	}
	agree_report_free(rep);
	o.nraters = 1;
	CHECK_INT(agree_compute(s, t, &o, &rep, &err), -1);
}

int main(void)
{
	setup();
	TEST(test_top_level);
	TEST(test_sub_level);
	TEST(test_by_repo);
	TEST(test_three_raters);
	TEST(test_every_dimension);
	tax_free(t);
	store_close(s);
	return test_done();
}
