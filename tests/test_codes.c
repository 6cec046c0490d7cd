/*
 * test_codes.c - raters, codes and notes: validation, idempotence and the change log.
 */
#include "test.h"

#include "codes.h"
#include "sets.h"
#include "store.h"
#include "taxonomy.h"

#include <stdlib.h>

static struct store *s;
static struct taxonomy *t;
static int64_t set_id, other_set, issue1, issue2, alice;

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

static void setup(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "c.db");
	struct error err;
	if (store_open(path, STORE_READWRITE, &s, &err) || tax_read(s, NULL, &t, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	store_exec(
	        s,
	        "INSERT INTO repositories (owner, name, full_name) VALUES ('a', 'b', 'a/b');"
	        "INSERT INTO issues (repo_id, number, stored_at) VALUES (1, 1, 'x'), (1, 2, 'x')",
	        &err);
	issue1 = 1;
	issue2 = 2;
	store_begin(s, &err);
	set_create(s, "study", "sample", "test", 0, 1, 7, &set_id, &err);
	set_create(s, "other", "manual", NULL, 0, 0, 0, &other_set, &err);
	set_add_member(s, set_id, issue1, &err);
	set_add_member(s, set_id, issue2, &err);
	rater_id(s, "alice", 1, &alice, &err);
	store_commit(s, &err);
	free(path);
	free(dir);
}

static void test_raters(void)
{
	struct error err;
	int64_t id;
	CHECK(rater_name_valid("alice"));
	CHECK(rater_name_valid("r\xc3\xa9mi"));
	CHECK(!rater_name_valid(""));
	CHECK(!rater_name_valid("a b"));
	CHECK(!rater_name_valid("a,b"));
	CHECK_INT(rater_id(s, "alice", 0, &id, &err), 0);
	CHECK_INT(id, alice);
	CHECK_INT(rater_id(s, "nobody", 0, &id, &err), 0);
	CHECK_INT(id, 0);
	CHECK_INT(rater_id(s, "bad name", 1, &id, &err), -1);
}

static void test_set_get_clear(void)
{
	struct error err;
	struct tax_code code, got;
	int found;
	const struct tax_dimension *cause = tax_find_dimension(t, "cause");
	CHECK_INT(tax_resolve(t, "cause", "incompatibility", "external", &code, &err), 0);
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(code_set(s, set_id, issue1, alice, &code, "test", &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(code_get(s, t, set_id, issue1, alice, cause, &got, &found, &err), 0);
	CHECK(found && got.cat == code.cat && got.sub == code.sub);
	CHECK_INT(count("SELECT count(*) FROM code_log"), 1);
	/* The same code again changes nothing, not even the log. */
	CHECK_INT(code_set(s, set_id, issue1, alice, &code, "test", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_log"), 1);
	/* A different one replaces it. */
	CHECK_INT(tax_resolve(t, "cause", "incompatibility", NULL, &code, &err), 0);
	CHECK_INT(code_set(s, set_id, issue1, alice, &code, "test", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM codes"), 1);
	CHECK_INT(count("SELECT count(*) FROM codes WHERE subcategory_id IS NULL"), 1);
	CHECK_INT(count("SELECT count(*) FROM code_log"), 2);
	CHECK_INT(code_clear(s, set_id, issue1, alice, cause, "test", &err), 0);
	CHECK_INT(code_get(s, t, set_id, issue1, alice, cause, &got, &found, &err), 0);
	CHECK(!found);
	CHECK_INT(count("SELECT count(*) FROM code_log WHERE category_id IS NULL"), 1);
	CHECK_INT(code_clear(s, set_id, issue1, alice, cause, "test", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_log"), 3);
}

static void test_refusals(void)
{
	struct error err;
	struct tax_code code;
	CHECK_INT(tax_resolve(t, "symptom", "crash", NULL, &code, &err), 0);
	CHECK_INT(code_set(s, other_set, issue1, alice, &code, "test", &err), -1);
	CHECK(strstr(err.msg, "not in the sample") != NULL);
	/* A mismatched sub-category is caught even if a caller builds the code by hand. */
	struct tax_code bad;
	CHECK_INT(tax_resolve(t, "cause", "type-problem", NULL, &bad, &err), 0);
	bad.sub = &tax_find_category(bad.dim, "incompatibility")->subs[0];
	CHECK_INT(code_set(s, set_id, issue2, alice, &bad, "test", &err), -1);
	CHECK(strstr(err.msg, "is not a sub-category of 'Type Problem'") != NULL);
	/* A code from a parsed (not stored) taxonomy has no ids. */
	struct taxonomy *parsed;
	CHECK_INT(tax_load_builtin("onnx-converters", &parsed, &err), 0);
	CHECK_INT(tax_resolve(parsed, "symptom", "crash", NULL, &code, &err), 0);
	CHECK_INT(code_set(s, set_id, issue2, alice, &code, "test", &err), -1);
	tax_free(parsed);
}

static void test_notes(void)
{
	struct error err;
	char *note;
	CHECK_INT(note_set(s, set_id, issue2, alice, "see #3", "test", &err), 0);
	CHECK_INT(note_get(s, set_id, issue2, alice, &note, &err), 0);
	CHECK_STR(note, "see #3");
	free(note);
	long long logged = count("SELECT count(*) FROM code_log");
	CHECK_INT(note_set(s, set_id, issue2, alice, "see #3", "test", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_log"), logged);
	CHECK_INT(note_set(s, set_id, issue2, alice, "", "test", &err), 0);
	CHECK_INT(note_get(s, set_id, issue2, alice, &note, &err), 0);
	CHECK(note == NULL);
	CHECK_INT(note_set(s, other_set, issue2, alice, "x", "test", &err), -1);
}

int main(void)
{
	setup();
	TEST(test_raters);
	TEST(test_set_get_clear);
	TEST(test_refusals);
	TEST(test_notes);
	tax_free(t);
	store_close(s);
	return test_done();
}
