/*
 * test_labeling.c - what the labeling and reconcile UIs read: the sample with
 * one rater's progress, an issue with its timeline, the disagreements of two
 * raters, and copying what they agree on to the adjudicator.
 */
#include "test.h"

#include "codes.h"
#include "import.h"
#include "labeling.h"
#include "reconcile.h"
#include "sets.h"
#include "store.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

static struct store *s;
static struct taxonomy *t;
static int64_t set_id, alice, bob, consensus;
static int64_t issues[4]; /* pytorch#201, pytorch#203, tf-onnx#31, tf-onnx#32, in sample order */

static long long count(const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void code(int64_t rater, int64_t issue, const char *spec)
{
	struct error err;
	struct tax_code c;
	if (store_begin(s, &err) || tax_resolve_spec(t, spec, &c, &err) ||
	    code_set(s, set_id, issue, rater, &c, "code", &err) || store_commit(s, &err))
		test_fail(__FILE__, __LINE__, "%s: %s", spec, err.msg);
}

static void setup(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "l.db");
	char data[4096];
	snprintf(data, sizeof(data), "%s/../tui/data/issues.json", ISSUEMINE_TEST_DATA);
	struct error err;
	struct import_options opt = {0};
	struct import_counts counts = {0};
	if (store_open(path, STORE_READWRITE, &s, &err) ||
	    import_file(s, data, &opt, &counts, &err) || tax_read(s, NULL, &t, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	/* The sample's order differs from the import order, on purpose. */
	store_issue_id(s, "pytorch/pytorch", 201, &issues[0], &err);
	store_issue_id(s, "pytorch/pytorch", 203, &issues[1], &err);
	store_issue_id(s, "onnx/tensorflow-onnx", 31, &issues[2], &err);
	store_issue_id(s, "onnx/tensorflow-onnx", 32, &issues[3], &err);
	store_begin(s, &err);
	set_create(s, "study", "sample", "test", 0, 0, 0, &set_id, &err);
	for (int i = 3; i >= 0; i--)
		set_add_member(s, set_id, issues[i], &err);
	rater_id(s, "alice", 1, &alice, &err);
	rater_id(s, "bob", 1, &bob, &err);
	rater_id(s, "consensus", 1, &consensus, &err);
	store_commit(s, &err);
	free(path);
	free(dir);
}

static void test_list(void)
{
	struct error err;
	struct label_list l;
	code(alice, issues[1], "symptom=crash");
	code(alice, issues[1], "location=export");
	code(alice, issues[1], "cause=typo");
	code(alice, issues[2], "symptom=hang");
	code(bob, issues[3], "symptom=hang"); /* another rater's codes count for nothing here */
	CHECK_INT(label_list_load(s, set_id, alice, t, &l, &err), 0);
	CHECK_INT(l.n, 4);
	CHECK_INT(l.items[0].issue_id, issues[3]);
	CHECK_STR(label_entry_repo(&l, 0), "onnx/tensorflow-onnx");
	CHECK_INT(l.items[0].number, 32);
	CHECK_STR(label_entry_title(&l, 3), "Export of aten::max fails with opset 13");
	CHECK_INT(label_entry_status(&l.items[0]), LABEL_NONE);
	CHECK_INT(label_entry_status(&l.items[1]), LABEL_PARTIAL);
	CHECK_INT(label_entry_status(&l.items[2]), LABEL_DONE);
	CHECK_INT(l.items[2].ncoded, 3);
	CHECK_INT(l.items[2].ntarget, 3);
	CHECK_INT(label_list_done(&l), 1);
	CHECK_INT(label_list_resume(&l), 0);
	CHECK_INT(label_list_find(&l, issues[2]), 1);
	CHECK_INT(label_list_find(&l, 999999), 4);

	label_list_release(&l);

	/* A change shows when the list is read again. */
	code(alice, issues[3], "symptom=crash");
	CHECK_INT(label_list_load(s, set_id, alice, t, &l, &err), 0);
	CHECK_INT(label_entry_status(&l.items[0]), LABEL_PARTIAL);

	/* Keeping some entries keeps their order. */
	int64_t keep[] = {issues[0], issues[3]};
	label_list_keep(&l, keep, 2);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.items[0].issue_id, issues[3]);
	CHECK_INT(l.items[1].issue_id, issues[0]);
	CHECK_STR(label_entry_title(&l, 1), "Export of aten::max fails with opset 13");
	label_list_release(&l);

	/* Bob sees only his own progress. */
	CHECK_INT(label_list_load(s, set_id, bob, t, &l, &err), 0);
	CHECK_INT(l.items[0].ncoded, 1);
	CHECK_INT(l.items[1].ncoded, 0);
	CHECK_INT(l.items[2].ncoded, 0);
	label_list_release(&l);
}

static void test_resume_all_done(void)
{
	struct error err;
	struct label_list l;
	int64_t nobody;
	rater_id(s, "nobody", 1, &nobody, &err);
	CHECK_INT(label_list_load(s, set_id, nobody, t, &l, &err), 0);
	CHECK_INT(label_list_done(&l), 0);
	for (size_t i = 0; i < l.n; i++)
		l.items[i].ncoded = 3;
	CHECK_INT(label_list_resume(&l), l.n);
	label_list_release(&l);
}

static void test_issue(void)
{
	struct error err;
	struct label_issue *is;
	CHECK_INT(label_issue_load(s, issues[0], &is, &err), 0);
	CHECK_STR(is->repo, "pytorch/pytorch");
	CHECK_INT(is->number, 201);
	CHECK_STR(is->author, "alice");
	CHECK_STR(is->state, "closed");
	CHECK_STR(is->state_reason, "completed");
	CHECK_STR(is->created_at, "2021-03-02T10:00:00Z");
	CHECK_INT(is->nlabels, 2);
	CHECK_STR(is->labels[0], "module: onnx");
	CHECK_STR(is->labels[1], "triaged");
	CHECK_INT(is->nevents, 6);
	CHECK_STR(is->events[0].event, "labeled");
	CHECK_STR(is->events[0].detail, "module: onnx");
	CHECK_STR(is->events[1].event, "commented");
	CHECK_STR(is->events[1].actor, "bob");
	CHECK(is->events[1].body && strstr(is->events[1].body, "ReduceMax"));
	CHECK_STR(is->events[2].event, "cross-referenced");
	CHECK_STR(is->events[2].source_repo, "pytorch/pytorch");
	CHECK_INT(is->events[2].source_number, 202);
	CHECK_STR(is->events[2].source_state, "closed");
	CHECK_INT(is->events[2].source_is_pr, 1);
	CHECK_STR(is->events[2].source_title, "[ONNX] Fix export of max with dim");
	CHECK_STR(is->events[4].event, "closed");
	CHECK_STR(is->events[4].commit_id, "3f786850e387550fdab836ed7e6dc881de23001b");
	label_issue_free(is);

	CHECK_INT(label_issue_load(s, issues[3], &is, &err), 0);
	CHECK_STR(is->events[1].event, "renamed");
	CHECK_STR(is->events[1].detail, "変換に失敗 → 変換に失敗 😀 CJK title");
	label_issue_free(is);

	CHECK_INT(label_issue_load(s, 424242, &is, &err), -1);
	CHECK(strstr(err.msg, "424242") != NULL);
}

static void test_reconcile(void)
{
	struct error err;
	struct recon_list l;
	/* issue 0: agree on symptom, differ in sub-category of cause; bob alone coded location */
	code(alice, issues[0], "symptom=crash");
	code(bob, issues[0], "symptom=crash");
	code(alice, issues[0], "cause=incompatibility/external");
	code(bob, issues[0], "cause=incompatibility/internal");
	code(bob, issues[0], "location=export");
	/* issue 1 (alice: crash, export, typo): bob differs in symptom only */
	code(bob, issues[1], "symptom=hang");
	code(bob, issues[1], "location=export");
	code(bob, issues[1], "cause=typo");
	CHECK_INT(recon_list_load(s, t, set_id, alice, bob, consensus, &l, &err), 0);
	CHECK_INT(l.n, 3);
	/* In sample order (the reverse of issues[]); tf-onnx#32: alice crash, bob hang (test_list)
	 */
	CHECK_INT(l.rows[0].issue_id, issues[3]);
	CHECK_INT(l.rows[1].issue_id, issues[1]);
	CHECK_STR(l.rows[1].a.dim->key, "symptom");
	CHECK_STR(l.rows[1].a.cat->key, "crash");
	CHECK_STR(l.rows[1].b.cat->key, "hang");
	CHECK(l.rows[1].as.cat == NULL);
	CHECK_INT(l.rows[2].issue_id, issues[0]);
	CHECK_STR(l.rows[2].a.dim->key, "cause");
	CHECK_STR(l.rows[2].a.sub->key, "external");
	CHECK_STR(l.rows[2].b.sub->key, "internal");
	CHECK_STR(l.rows[2].repo, "pytorch/pytorch");
	CHECK_INT(l.rows[2].number, 201);
	/* issue 0's location (bob only) and tf-onnx#31's symptom (alice only) are not compared */
	CHECK_INT(l.one_sided, 2);
	int64_t *ids;
	CHECK_INT(recon_list_issues(&l, &ids), 3);
	CHECK_INT(ids[1], issues[1]);
	free(ids);
	recon_list_release(&l);

	/* Agreed codes go to the adjudicator, once, without overwriting a decision. */
	code(consensus, issues[1], "location=validation");
	long copied;
	store_begin(s, &err);
	CHECK_INT(recon_copy_agreed(s, t, set_id, alice, bob, consensus, &copied, &err), 0);
	store_commit(s, &err);
	/* issue 0's symptom and issue 1's cause; issue 1's location is decided already */
	CHECK_INT(copied, 2);
	CHECK_INT(count("SELECT count(*) FROM codes WHERE rater_id = 3"), 3);
	CHECK_INT(
	        count("SELECT count(*) FROM code_log WHERE rater_id = 3 AND origin = 'reconcile'"),
	        2);
	CHECK_INT(count("SELECT count(*) FROM codes c JOIN categories k ON k.id = c.category_id "
	                "WHERE c.rater_id = 3 AND k.key = 'validation'"),
	          1);
	store_begin(s, &err);
	CHECK_INT(recon_copy_agreed(s, t, set_id, alice, bob, consensus, &copied, &err), 0);
	store_commit(s, &err);
	CHECK_INT(copied, 0);

	/* The adjudicator's decision shows in the list. */
	code(consensus, issues[1], "symptom=hang");
	CHECK_INT(recon_list_load(s, t, set_id, alice, bob, consensus, &l, &err), 0);
	CHECK_STR(l.rows[1].as.cat->key, "hang");
	CHECK(l.rows[0].as.cat == NULL);
	recon_list_release(&l);
}

int main(void)
{
	setup();
	TEST(test_list);
	TEST(test_resume_all_done);
	TEST(test_issue);
	TEST(test_reconcile);
	tax_free(t);
	store_close(s);
	return test_done();
}
