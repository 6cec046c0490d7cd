/*
 * test_settings.c - study settings: the key and value checks, the table,
 * and the migration that adds it to a database of the version before.
 */
#include "test.h"
#include "teststore.h"

#include "schema.h"
#include "settings.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>

/* A database made by the migrations before the settings one, as an older issuemine left it. */
static char *old_db(void)
{
	char *path = test_fresh_db();
	int old = test_migration_with("CREATE TABLE settings");
	sqlite3 *db = test_old_db(path, old < 0 ? schema_version : old);
	CHECK(sqlite3_exec(db, "INSERT INTO raters (name, created_at) VALUES ('alice', 'now')",
	                   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	return path;
}

static void test_check_keys_and_values(void)
{
	struct error err;
	char *v = NULL;
	CHECK_INT(settings_check("report.rater", "consensus", &v, &err), 0);
	CHECK_STR(v, "consensus");
	free(v);
	CHECK_INT(settings_check("Report.Top", "5", NULL, &err), 0);
	CHECK(settings_check("report.top", "-1", NULL, &err) != 0);
	CHECK_STR(err.msg, "report.top: '-1' is not a whole number >= 0");
	CHECK(settings_check("report.top", "5x", NULL, &err) != 0);
	CHECK(settings_check("report.top", "", NULL, &err) != 0);
	CHECK(settings_check("report.nope", "1", NULL, &err) != 0);
	CHECK_STR(err.msg, "unknown key 'report.nope' (see 'issuemine config --help')");
	CHECK(settings_check("report.format", "xml", NULL, &err) != 0);
	CHECK_STR(err.msg, "report.format: 'xml' is not one of text|csv|json|markdown|latex");
	CHECK_INT(settings_check("report.format", "markdown", NULL, &err), 0);
	CHECK(settings_check("report.rater", "two words", NULL, &err) != 0);
	CHECK(settings_check("report.rater", "a,b", NULL, &err) != 0);
	CHECK(settings_check("report.causes", "a\nb", NULL, &err) != 0);
	/* Booleans are stored normalised. */
	CHECK_INT(settings_check("report.compact", "Yes", &v, &err), 0);
	CHECK_STR(v, "true");
	free(v);
	CHECK_INT(settings_check("report.float", "0", &v, &err), 0);
	CHECK_STR(v, "false");
	free(v);
	CHECK(settings_check("report.float", "maybe", NULL, &err) != 0);
	CHECK(settings_bool("true") && !settings_bool("false") && !settings_bool(NULL));
	/* The family report.name.OWNER/NAME. */
	CHECK_INT(settings_check("report.name.pytorch/pytorch", "torch.onnx", NULL, &err), 0);
	CHECK_INT(settings_check("report.name.onnx/tensorflow-onnx", "tf2onnx", NULL, &err), 0);
	CHECK(settings_check("report.name.", "x", NULL, &err) != 0);
	CHECK(settings_check("report.name.pytorch", "x", NULL, &err) != 0);
	CHECK(settings_check("report.name.a/b/c", "x", NULL, &err) != 0);
	CHECK(settings_check("report.name.a b/c", "x", NULL, &err) != 0);
	/* Seeds: 0 to 2^63 - 1. */
	CHECK_INT(settings_check("agree.seed", "9223372036854775807", NULL, &err), 0);
	CHECK(settings_check("agree.seed", "9223372036854775808", NULL, &err) != 0);
	/* Every key of the table checks as a key. */
	for (const struct setting_key *k = settings_keys; k->key; k++) {
		char key[128];
		snprintf(key, sizeof(key), "%s%s", k->key,
		         k->key[strlen(k->key) - 1] == '.' ? "o/r" : "");
		CHECK(settings_find_key(key) == k);
	}
}

static void test_table(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	char *v = NULL;
	CHECK_INT(settings_get(s, "report.rater", &v, &err), 0);
	CHECK(v == NULL);
	CHECK_INT(settings_set(s, "report.rater", "alice", &err), 0);
	CHECK_INT(settings_set(s, "REPORT.RATER", "bob", &err), 0); /* the same key */
	CHECK_INT(settings_set(s, "report.hide-empty", "on", &err), 0);
	CHECK_INT(settings_set(s, "report.name.a/b", "AB", &err), 0);
	CHECK(settings_set(s, "report.top", "x", &err) != 0);
	CHECK(settings_set(s, "nope", "x", &err) != 0);
	CHECK_INT(settings_get(s, "report.rater", &v, &err), 0);
	CHECK_STR(v, "bob");
	free(v);
	struct setting *all;
	size_t n;
	CHECK_INT(settings_list(s, &all, &n, &err), 0);
	CHECK_INT(n, 3);
	CHECK_STR(all[0].key, "report.hide-empty");
	CHECK_STR(all[0].value, "true");
	CHECK_STR(all[1].key, "report.name.a/b");
	CHECK_STR(all[2].value, "bob");
	settings_free(all, n);
	int removed;
	CHECK_INT(settings_unset(s, "report.rater", &removed, &err), 0);
	CHECK(removed);
	CHECK_INT(settings_unset(s, "report.rater", &removed, &err), 0);
	CHECK(!removed);
	CHECK(settings_unset(s, "nope", &removed, &err) != 0);
	store_close(s);
	free(path);
}

static void test_migrates_previous_version(void)
{
	char *path = old_db();
	struct store *s;
	struct error err;
	/* Read-only, an older database is refused (nothing may change it)... */
	CHECK(store_open(path, STORE_READONLY, &s, &err) != 0);
	CHECK(strstr(err.msg, "older") != NULL);
	/* ...and a writing open migrates it, keeping what it held. */
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	CHECK_INT(settings_set(s, "report.rater", "alice", &err), 0);
	char *v = NULL;
	CHECK_INT(settings_get(s, "report.rater", &v, &err), 0);
	CHECK_STR(v, "alice");
	free(v);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM raters", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	store_close(s);
	free(path);
}

int main(void)
{
	TEST(test_check_keys_and_values);
	TEST(test_table);
	TEST(test_migrates_previous_version);
	return test_done();
}
