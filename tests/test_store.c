/*
 * test_store.c - the database: migrations, refusals, issue and timeline writes.
 */
#include "test.h"
#include "teststore.h"

#include "schema.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static void test_migrates_from_empty(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	CHECK_INT(test_query_int(s, "PRAGMA application_id"), SCHEMA_APPLICATION_ID);
	CHECK_INT(test_query_int(s, "PRAGMA foreign_keys"), 1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'codes'"), 1);
	store_close(s);
	/* Opening again finds it current and changes nothing. */
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	store_close(s);
	CHECK_INT(store_open(path, STORE_READONLY, &s, &err), 0);
	CHECK(store_exec(s, "CREATE TABLE x (y)", &err) != 0);
	store_close(s);
	free(path);
}

static void test_wal_mode(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	store_close(s);
	free(path);
}

/* Makes a SQLite file by hand with the given pragmas and a table. */
static void make_raw_db(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) ? -1 : (long)sb.st_size;
}

static void test_refuses_newer_schema(void)
{
	char *path = test_fresh_db();
	char sql[200];
	snprintf(sql, sizeof(sql),
	         "CREATE TABLE future (x); PRAGMA application_id = %d; PRAGMA user_version = %d",
	         SCHEMA_APPLICATION_ID, schema_version + 1);
	make_raw_db(path, sql);
	long before = file_size(path);
	struct store *s = NULL;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), -1);
	CHECK(strstr(err.msg, "newer") != NULL);
	CHECK(strstr(err.msg, path) != NULL);
	CHECK_INT(store_open(path, STORE_READONLY, &s, &err), -1);
	CHECK_INT(file_size(path), before);
	/* Still the newer version, never altered. */
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	sqlite3_step(st);
	CHECK_INT(sqlite3_column_int(st, 0), schema_version + 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

static void test_refuses_foreign_files(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	make_raw_db(path, "CREATE TABLE songs (title)");
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), -1);
	CHECK(strstr(err.msg, "not an issuemine database") != NULL);
	test_write_file(path, "this is not a database, just text that is long enough to matter "
	                      "for sqlite's header check........................................");
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), -1);
	CHECK(strstr(err.msg, "not a database") != NULL);
	remove(path);
	CHECK_INT(store_open(path, STORE_READONLY, &s, &err), -1);
	free(path);
}

static void test_migrates_api_column(void)
{
	/* The migration that adds issues.api and events.api. */
	int v = test_migration_with("ADD COLUMN api");
	if (v < 0)
		return;
	/* A database of the version before: its migrations only, with a fetched issue. */
	char *path = test_fresh_db();
	sqlite3 *db = test_old_db(path, v);
	CHECK_INT(
	        sqlite3_exec(db,
	                     "INSERT INTO repositories (owner, name, full_name) VALUES ('a', 'b', "
	                     "'a/b'); "
	                     "INSERT INTO issues (repo_id, number, title, raw, stored_at) "
	                     "VALUES (1, 5, 't', '{}', 'now'); "
	                     "INSERT INTO events (issue_id, position, event, raw) VALUES (1, 0, "
	                     "'closed', '{}')",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	sqlite3_close(db);
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	/* What was there came through REST. */
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM issues WHERE api = 'rest'"), 1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events WHERE api = 'rest'"), 1);
	/* Only the two APIs. */
	CHECK(store_exec(s, "UPDATE issues SET api = 'soap'", &err) != 0);
	store_close(s);
	free(path);
}

static json_t *load_json(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	if (!v)
		test_fail(__FILE__, __LINE__, "bad test JSON: %s", jerr.text);
	return v;
}

static const char issue_json[] =
        "{\"number\": 5, \"id\": 55, \"title\": \"Crash\", \"body\": \"b\", \"state\": \"closed\","
        " \"user\": {\"login\": \"alice\"}, \"created_at\": \"2021-01-01T00:00:00Z\","
        " \"updated_at\": \"2021-01-02T00:00:00Z\", \"closed_at\": \"2021-01-02T00:00:00Z\","
        " \"labels\": [{\"name\": \"module: onnx\"}, {\"name\": \"bug\"}], \"comments\": 1}";

static const char timeline_json[] =
        "[{\"event\": \"commented\", \"id\": 1, \"user\": {\"login\": \"bob\"},"
        "  \"created_at\": \"2021-01-01T01:00:00Z\", \"body\": \"me too\"},"
        " {\"event\": \"cross-referenced\", \"actor\": {\"login\": \"bob\"},"
        "  \"created_at\": \"2021-01-01T02:00:00Z\", \"source\": {\"type\": \"issue\", \"issue\":"
        "  {\"number\": 9, \"state\": \"closed\", \"title\": \"Fix\", \"pull_request\": {},"
        "   \"repository\": {\"full_name\": \"onnx/tensorflow-onnx\"}}}},"
        " {\"event\": \"closed\", \"id\": 2, \"actor\": {\"login\": \"bob\"},"
        "  \"commit_id\": \"abc\", \"created_at\": \"2021-01-02T00:00:00Z\"}]";

static void test_upsert_and_timeline(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	int64_t repo, id, id2;
	enum store_upsert_result res;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	json_t *issue = load_json(issue_json), *tl = load_json(timeline_json);
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_repo_id(s, "pytorch/pytorch", 1, &repo, &err), 0);
	CHECK_INT(store_upsert_issue(s, repo, issue, 0, &id, &res, &err), 0);
	CHECK_INT(res, STORE_ISSUE_NEW);
	CHECK_INT(store_replace_timeline(s, id, tl, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM labels"), 2);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events"), 3);
	CHECK_INT(test_query_int(
	                  s, "SELECT source_is_pr FROM events WHERE event = 'cross-referenced'"),
	          1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events WHERE source_repo = "
	                            "'ONNX/tensorflow-onnx' AND source_state = 'closed'"),
	          1);
	CHECK_INT(test_query_int(s, "SELECT position FROM events WHERE commit_id = 'abc'"), 2);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events WHERE actor = 'bob'"), 3);

	/* Same updated_at: unchanged. Newer: updated, labels replaced. */
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_upsert_issue(s, repo, issue, 0, &id2, &res, &err), 0);
	CHECK_INT(res, STORE_ISSUE_UNCHANGED);
	CHECK_INT(id2, id);
	json_object_set_new(issue, "updated_at", json_string("2021-02-01T00:00:00Z"));
	json_object_set_new(issue, "labels", json_pack("[{s:s}]", "name", "bug"));
	CHECK_INT(store_upsert_issue(s, repo, issue, 0, &id2, &res, &err), 0);
	CHECK_INT(res, STORE_ISSUE_UPDATED);
	json_t *empty = json_array();
	CHECK_INT(store_replace_timeline(s, id, empty, &err), 0);
	json_decref(empty);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM labels"), 1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events"), 0);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM issues"), 1);
	json_decref(issue);
	json_decref(tl);
	store_close(s);
	free(path);
}

static void test_bad_timeline_rolls_back(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	int64_t repo, id;
	enum store_upsert_result res;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	json_t *issue = load_json(issue_json);
	json_t *bad = load_json("[{\"event\": \"closed\"}, {\"no_event\": true}]");
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_repo_id(s, "a/b", 1, &repo, &err), 0);
	CHECK_INT(store_upsert_issue(s, repo, issue, 0, &id, &res, &err), 0);
	CHECK_INT(store_replace_timeline(s, id, bad, &err), -1);
	CHECK(strstr(err.msg, "item 2") != NULL);
	store_rollback(s);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM issues"), 0);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM repositories"), 0);
	json_decref(issue);
	json_decref(bad);
	store_close(s);
	free(path);
}

static void test_statement_cache(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	sqlite3_stmt *a = store_stmt(s, "SELECT 1", &err);
	sqlite3_stmt *b = store_stmt(s, "SELECT 1", &err);
	CHECK(a != NULL && a == b);
	CHECK(store_stmt(s, "SELEC nonsense", &err) == NULL);
	CHECK(strstr(err.msg, "syntax error") != NULL);
	store_close(s);
	free(path);
}

int main(void)
{
	TEST(test_migrates_from_empty);
	TEST(test_wal_mode);
	TEST(test_refuses_newer_schema);
	TEST(test_refuses_foreign_files);
	TEST(test_migrates_api_column);
	TEST(test_upsert_and_timeline);
	TEST(test_bad_timeline_rolls_back);
	TEST(test_statement_cache);
	return test_done();
}
