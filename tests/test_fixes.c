/*
 * test_fixes.c - fix evidence: GitHub's commit and pull request shapes, the
 * fix-or-linked rule, the store's fix tables and their migration, and the
 * query terms over fixes (globs, patterns, errors).
 */
#include "test.h"
#include "teststore.h"

#include "fixes_json.h"
#include "query.h"
#include "query_fix.h"
#include "schema.h"
#include "store.h"
#include "store_fixes.h"

#include <stdio.h>
#include <stdlib.h>

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		test_fail(__FILE__, __LINE__, "bad test JSON: %s", e.text);
	return j;
}

static struct fix_key commit_key(const char *repo, const char *sha)
{
	struct fix_key k = {FIX_COMMIT, "", 0, ""};
	snprintf(k.repo, sizeof(k.repo), "%s", repo);
	snprintf(k.sha, sizeof(k.sha), "%s", sha);
	return k;
}

static struct fix_key pull_key(const char *repo, int64_t number)
{
	struct fix_key k = {FIX_PR, "", number, ""};
	snprintf(k.repo, sizeof(k.repo), "%s", repo);
	return k;
}

#define SHA "0a4f9d9a57c89dd1d93c902145754e154240945a"

static const char commit_page1[] =
        "{\"sha\": \"" SHA "\", \"commit\": {\"author\": {\"name\": \"Bob\", \"date\": "
        "\"2021-03-01T10:00:00Z\"}, \"committer\": {\"date\": \"2021-03-02T10:00:00+01:00\"}, "
        "\"message\": \"Fix Resize export\\n\\nSigned-off-by: Bob\"}, \"author\": {\"login\": "
        "\"bob\"}, \"html_url\": \"https://github.com/o/r/commit/" SHA "\", \"stats\": "
        "{\"additions\": 12, \"deletions\": 3, \"total\": 15}, \"files\": ["
        "{\"filename\": \"torch/onnx/utils.py\", \"status\": \"modified\", \"additions\": 10, "
        "\"deletions\": 3, \"patch\": \"@@ -1 +1 @@\\n-a\\n+b\"},"
        "{\"filename\": \"docs/img/x.png\", \"status\": \"added\", \"additions\": 0, "
        "\"deletions\": 0},"
        "{\"filename\": \"torch/onnx/new.py\", \"previous_filename\": \"torch/onnx/old.py\", "
        "\"status\": \"renamed\", \"additions\": 2, \"deletions\": 0, \"patch\": \"@@\"}]}";

static void test_commit_json(void)
{
	struct fix_key key = commit_key("o/r", SHA);
	struct fix_change c;
	struct error err;
	fix_change_init(&c, &key);
	json_t *j = parse(commit_page1);
	CHECK_INT(fixes_json_commit(j, &c, &err), 0);
	CHECK_STR(c.title, "Fix Resize export");
	CHECK(strstr(c.body, "Signed-off-by") != NULL);
	CHECK_STR(c.author, "bob");
	CHECK_STR(c.created_at, "2021-03-01T10:00:00Z");
	CHECK_STR(c.committed_at, "2021-03-02T09:00:00Z");
	CHECK_INT(c.additions, 12);
	CHECK_INT(c.deletions, 3);
	CHECK_INT(c.nfiles, 3);
	CHECK_STR(c.files[0].path, "torch/onnx/utils.py");
	CHECK(c.files[0].patch != NULL);
	CHECK(c.files[1].patch == NULL); /* binary: counts only */
	CHECK_STR(c.files[2].previous_path, "torch/onnx/old.py");
	CHECK(strstr(c.raw, "\"files\"") == NULL);
	/* A second page adds its files; the commit must be the same one. */
	json_t *page2 = parse("{\"sha\": \"" SHA "\", \"files\": [{\"filename\": \"a.c\", "
	                      "\"status\": \"removed\", \"additions\": 0, \"deletions\": 9, "
	                      "\"patch\": \"@@\"}]}");
	CHECK_INT(fixes_json_commit_page(page2, &c, &err), 0);
	CHECK_INT(c.nfiles, 4);
	fixes_json_finish(&c);
	CHECK_INT(c.file_count, 4);
	CHECK_INT(c.truncated, 0);
	json_t *other = parse("{\"sha\": \"ffff\", \"files\": []}");
	CHECK_INT(fixes_json_commit_page(other, &c, &err), -1);
	CHECK(strstr(err.msg, "ffff") != NULL);
	json_decref(j);
	json_decref(page2);
	json_decref(other);
	fix_change_release(&c);
}

static void test_commit_json_bad(void)
{
	struct fix_key key = commit_key("o/r", SHA);
	struct fix_change c;
	struct error err;
	const char *bad[] = {"[]",
	                     "{}",
	                     "{\"sha\": 5}",
	                     "{\"sha\": \"" SHA "\", \"files\": {}}",
	                     "{\"sha\": \"" SHA "\", \"files\": [{\"status\": \"added\"}]}",
	                     "{\"sha\": \"" SHA "\", \"files\": [7]}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fix_change_init(&c, &key);
		json_t *j = parse(bad[i]);
		CHECK_INT(fixes_json_commit(j, &c, &err), -1);
		json_decref(j);
		fix_change_release(&c);
	}
	/* Members of the wrong type are taken as absent. */
	fix_change_init(&c, &key);
	json_t *j = parse("{\"sha\": \"" SHA "\", \"commit\": {\"message\": 3, \"author\": []}, "
	                  "\"stats\": {\"additions\": \"x\", \"deletions\": -2}}");
	CHECK_INT(fixes_json_commit(j, &c, &err), 0);
	CHECK(c.title == NULL);
	CHECK_INT(c.additions, -1);
	CHECK_INT(c.deletions, -1);
	json_decref(j);
	fix_change_release(&c);
}

static void test_pull_json(void)
{
	struct fix_key key = pull_key("o/r", 42);
	struct fix_change c;
	struct error err;
	fix_change_init(&c, &key);
	json_t *j =
	        parse("{\"number\": 42, \"title\": \"Fix LSTM\", \"body\": null, \"user\": "
	              "{\"login\": \"carol\"}, \"state\": \"closed\", \"merged\": true, "
	              "\"merged_at\": \"2021-04-01T00:00:00Z\", \"merge_commit_sha\": \"abc\", "
	              "\"head\": {\"sha\": \"def\"}, \"additions\": 5, \"deletions\": 1, "
	              "\"changed_files\": 3100, \"html_url\": \"https://github.com/o/r/pull/42\"}");
	CHECK_INT(fixes_json_pull(j, &c, &err), 0);
	CHECK_STR(c.title, "Fix LSTM");
	CHECK(c.body == NULL);
	CHECK_INT(c.merged, 1);
	CHECK_STR(c.head_sha, "def");
	CHECK_INT(c.file_count, 3100);
	json_t *files = parse("[{\"filename\": \"a\", \"status\": \"added\", \"additions\": 1, "
	                      "\"deletions\": 0, \"patch\": \"+x\"}]");
	for (int i = 0; i < 3000; i++)
		CHECK_INT(fixes_json_files(files, &c, &err), 0);
	fixes_json_finish(&c);
	CHECK_INT(c.truncated, 1); /* GitHub stops at 3,000 of the 3,100 */
	json_decref(j);
	json_decref(files);
	fix_change_release(&c);
	/* Another pull request than the one asked for is an error. */
	fix_change_init(&c, &key);
	j = parse("{\"number\": 43}");
	CHECK_INT(fixes_json_pull(j, &c, &err), -1);
	json_decref(j);
	/* The list shape has no "merged": merged_at tells it. */
	j = parse("{\"number\": 42, \"merged_at\": \"2021-04-01T00:00:00Z\"}");
	CHECK_INT(fixes_json_pull(j, &c, &err), 0);
	CHECK_INT(c.merged, 1);
	json_decref(j);
	fix_change_release(&c);
}

static void test_pull_numbers(void)
{
	int64_t n[4];
	size_t count;
	struct error err;
	json_t *j = parse("[{\"number\": 7}, {\"number\": -1}, {\"x\": 1}, 5, {\"number\": 9}]");
	CHECK_INT(fixes_json_pull_numbers(j, n, 4, &count, &err), 0);
	CHECK_INT(count, 2);
	CHECK_INT(n[0], 7);
	CHECK_INT(n[1], 9);
	json_decref(j);
	j = parse("{}");
	CHECK_INT(fixes_json_pull_numbers(j, n, 4, &count, &err), -1);
	json_decref(j);
}

static void test_names(void)
{
	char repo[REPO_NAME_MAX];
	CHECK(fixes_sha_valid(SHA));
	CHECK(fixes_sha_valid("abc1234"));
	CHECK(!fixes_sha_valid("abc123"));
	CHECK(!fixes_sha_valid("g0a4f9d9a"));
	CHECK(!fixes_sha_valid(SHA "0"));
	CHECK(!fixes_sha_valid(NULL));
	CHECK_INT(fixes_commit_url_repo("https://api.github.com/repos/someone/pytorch/commits/" SHA,
	                                repo),
	          0);
	CHECK_STR(repo, "someone/pytorch");
	CHECK_INT(fixes_commit_url_repo("https://ghe.example/api/v3/repos/a/b/commits/x", repo), 0);
	CHECK_STR(repo, "a/b");
	CHECK_INT(fixes_commit_url_repo("https://api.github.com/users/x", repo), -1);
	CHECK_INT(fixes_commit_url_repo("https://api.github.com/repos/a%2F../b/commits/x", repo),
	          -1);
}

static void test_role(void)
{
	CHECK_STR(fixes_role(FIX_COMMIT, "closed", -1, "o/r", "o/r"), "fix");
	CHECK_STR(fixes_role(FIX_COMMIT, "closed", -1, "fork/r", "o/r"), "fix");
	CHECK_STR(fixes_role(FIX_COMMIT, "referenced", -1, "o/r", "o/r"), "linked");
	CHECK_STR(fixes_role(FIX_PR, "cross-referenced", 1, "O/R", "o/r"), "fix");
	CHECK_STR(fixes_role(FIX_PR, "merged-from", 1, "o/r", "o/r"), "fix");
	CHECK_STR(fixes_role(FIX_PR, "cross-referenced", 0, "o/r", "o/r"), "linked");
	CHECK_STR(fixes_role(FIX_PR, "cross-referenced", -1, "o/r", "o/r"), "linked");
	CHECK_STR(fixes_role(FIX_PR, "cross-referenced", 1, "someone/r", "o/r"), "linked");
}

/* --- globs --- */

static char *glob(const char *g)
{
	struct strbuf out = STRBUF_INIT;
	size_t at;
	const char *why;
	if (query_fix_glob_to_regex(g, strlen(g), &out, &at, &why)) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

static void check_glob(const char *g, const char *want)
{
	char *got = glob(g);
	CHECK_STR(got, want);
	free(got);
}

static void test_globs(void)
{
	check_glob("torch/onnx/**", "^torch/onnx/.*$");
	check_glob("torch/onnx/", "^torch/onnx/.*$");
	check_glob("*.py", "^(?:.*/)?[^/]*\\.py$");
	check_glob("**/test_*.py", "^(?:.*/)?test_[^/]*\\.py$");
	check_glob("a/?.c", "^a/[^/]\\.c$");
	check_glob("a/[0-9].py", "^a/[0-9]\\.py$");
	check_glob("a/[!x]b", "^a/[^/x]b$");
	check_glob("a/[]]", "^a/[\\]]$");
	check_glob("a/\\*b", "^a/\\*b$");
	check_glob("a/(x)+{y}", "^a/\\(x\\)\\+\\{y\\}$");
	check_glob("dir/ü*.md", "^dir/ü[^/]*\\.md$");
	check_glob("a/[ä-ö]", "^a/[ä-ö]$");
	check_glob("a/[\\]-\\^]", "^a/[\\]-\\^]$");
	CHECK(glob("") == NULL);
	CHECK(glob("a/[bc") == NULL);
	CHECK(glob("a\\") == NULL);
	CHECK(glob("a/[d-c]") == NULL);        /* a range backwards (found by fuzz_fixterms) */
	CHECK(glob("a/\xe5/") == NULL);        /* not UTF-8 (found by fuzz_fixterms) */
	CHECK(glob("a/\xed\xa0\x80") == NULL); /* a surrogate is not UTF-8 either */
}

/* --- the store --- */

static int64_t add_issue(struct store *s, const char *repo, int64_t number)
{
	struct error err;
	int64_t repo_id, id;
	enum store_upsert_result r;
	char text[256];
	snprintf(text, sizeof(text),
	         "{\"number\": %lld, \"title\": \"t\", \"state\": \"closed\", \"updated_at\": "
	         "\"2021-01-01T00:00:00Z\"}",
	         (long long)number);
	json_t *j = parse(text);
	store_begin(s, &err);
	CHECK_INT(store_repo_id(s, repo, 1, &repo_id, &err), 0);
	CHECK_INT(store_upsert_issue(s, repo_id, j, 0, &id, &r, &err), 0);
	store_commit(s, &err);
	json_decref(j);
	return id;
}

static int count_rows(void *data, const struct fix_row *row, struct error *err)
{
	long *n = data;
	(*n)++;
	if (row->change_id && (!row->role || !row->kind))
		return error_set(err, "a link row without its role or kind");
	return 0;
}

static void test_store_changes(void)
{
	char *path = test_fresh_db();
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	int64_t issue = add_issue(s, "o/r", 1);
	struct fix_key key = commit_key("o/r", SHA);
	struct fix_change c;
	fix_change_init(&c, &key);
	json_t *j = parse(commit_page1);
	CHECK_INT(fixes_json_commit(j, &c, &err), 0);
	fixes_json_finish(&c);
	int64_t run, id, again;
	CHECK_INT(store_fix_next_run(s, &run, &err), 0);
	CHECK_INT(run, 1);
	store_begin(s, &err);
	CHECK_INT(store_fix_put(s, &c, run, &id, &err), 0);
	CHECK_INT(store_fix_put(s, &c, run, &again, &err), 0); /* replaces, never doubles */
	store_commit(s, &err);
	CHECK_INT(again, id);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fix_files"), 3);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fix_files WHERE has_patch = 0"), 1);
	CHECK_INT(test_query_int(s, "SELECT file_count FROM fix_changes"), 3);
	struct fix_stored st;
	int found;
	struct fix_key upper = commit_key("O/R", SHA);
	CHECK_INT(store_fix_find(s, &upper, &st, &found, &err), 0); /* names are case-blind */
	CHECK_INT(found, 1);
	CHECK_INT(st.id, id);
	CHECK_INT(st.checked_run, run);
	CHECK(st.pulls == NULL);
	fix_stored_release(&st);
	/* Gone keeps what was stored; pulls are kept apart. */
	store_begin(s, &err);
	CHECK_INT(store_fix_set_pulls(s, id, "[7]", "W/\"e\"", &err), 0);
	CHECK_INT(store_fix_put_gone(s, &key, 404, run + 1, &again, &err), 0);
	store_commit(s, &err);
	CHECK_INT(again, id);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fix_changes WHERE status = 'gone' AND "
	                            "http_status = 404 AND title = 'Fix Resize export'"),
	          1);
	CHECK_INT(store_fix_find(s, &key, &st, &found, &err), 0);
	CHECK_INT(st.gone, 1);
	CHECK_STR(st.pulls, "[7]");
	fix_stored_release(&st);
	CHECK_INT(store_fix_next_run(s, &run, &err), 0);
	CHECK_INT(run, 3);
	/* A pull request gone before it was ever stored. */
	struct fix_key pk = pull_key("x/y", 9);
	int64_t pid;
	store_begin(s, &err);
	CHECK_INT(store_fix_put_gone(s, &pk, 451, run, &pid, &err), 0);
	struct fix_link links[] = {{id, "fix", "closed"}, {pid, "linked", "cross-referenced"}};
	CHECK_INT(store_fix_link_issue(s, issue, "rest", links, 2, 3, &err), 0);
	store_commit(s, &err);
	int same;
	CHECK_INT(store_fix_links_equal(s, issue, "rest", links, 2, 3, &same, &err), 0);
	CHECK_INT(same, 1);
	CHECK_INT(store_fix_links_equal(s, issue, "rest", links, 1, 3, &same, &err), 0);
	CHECK_INT(same, 0);
	CHECK_INT(store_fix_links_equal(s, issue, "rest", links, 2, 2, &same, &err), 0);
	CHECK_INT(same, 0);
	long rows = 0;
	CHECK_INT(store_fix_rows_of_issue(s, issue, count_rows, &rows, &err), 0);
	CHECK_INT(rows, 2);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM issue_fixes WHERE role = 'fix'"), 1);
	/* A link GraphQL made survives a REST rewrite. */
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "DELETE FROM fixes WHERE change_id = %lld; INSERT INTO fixes (issue_id, "
	         "change_id, role, via, api) VALUES (%lld, %lld, 'fix', 'closer', 'graphql')",
	         (long long)pid, (long long)issue, (long long)pid);
	store_begin(s, &err);
	CHECK_INT(store_exec(s, sql, &err), 0);
	CHECK_INT(store_fix_link_issue(s, issue, "rest", links, 2, 3, &err), 0);
	store_commit(s, &err);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fixes WHERE api = 'graphql'"), 1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fixes"), 2);
	json_decref(j);
	fix_change_release(&c);
	store_close(s);
	free(path);
}

/* A database of the schema just before the fix tables, with one issue. */
static void make_old_db(const char *path, int version, const char *extra)
{
	sqlite3 *db = test_old_db(path, version);
	sqlite3_exec(db,
	             "INSERT INTO repositories (owner, name, full_name) VALUES ('o', 'r', 'o/r');"
	             "INSERT INTO issues (repo_id, number, title, state, stored_at) VALUES (1, 5, "
	             "'old', 'closed', '2020-01-01T00:00:00Z')",
	             NULL, NULL, NULL);
	if (extra)
		sqlite3_exec(db, extra, NULL, NULL, NULL);
	sqlite3_close(db);
}

static void test_migrates_older_database(void)
{
	int v = test_migration_with("CREATE TABLE fix_changes");
	CHECK(v >= 0);
	char *path = test_fresh_db();
	make_old_db(path, v, NULL);
	struct store *s;
	struct error err;
	/* Read-only, an older database is refused; a writer migrates it. */
	CHECK_INT(store_open(path, STORE_READONLY, &s, &err), -1);
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM issues WHERE title = 'old'"), 1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM fix_changes"), 0);
	CHECK_INT(test_query_int(s,
	                         "SELECT count(*) FROM sqlite_schema WHERE name IN ('fix_changes', "
	                         "'fix_files', 'fixes', 'fix_state', 'issue_fixes')"),
	          5);
	store_close(s);
	free(path);
}

static void test_failed_migration_changes_nothing(void)
{
	int v = test_migration_with("CREATE TABLE fix_changes");
	char *path = test_fresh_db();
	/* A table in the way makes the migration fail half-way. */
	make_old_db(path, v, "CREATE TABLE fix_state (x)");
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), -1);
	CHECK(strstr(err.msg, "migration failed") != NULL);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(
	        db,
	        "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) "
	        "FROM sqlite_schema WHERE name = 'fix_changes')",
	        -1, &st, NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), v);
	CHECK_INT(sqlite3_column_int(st, 1), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

/* --- query terms --- */

static void check_bad(const char *text, int column, const char *what)
{
	struct query *q = NULL;
	struct query_pos pos;
	struct error err;
	CHECK_INT(query_parse(text, &q, &pos, &err), -1);
	CHECK_INT(pos.column, column);
	if (!strstr(err.msg, what))
		test_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'", text, err.msg, what);
}

static void test_query_terms(void)
{
	const char *good[] = {"fix:pr",
	                      "fix:commit",
	                      "fix:merged",
	                      "fix:gone",
	                      "fixes:>=1",
	                      "fixes:0..2",
	                      "linked:>3",
	                      "fix.path:torch/onnx/**",
	                      "fix.path:/symbolic_opset\\d+\\.py/",
	                      "fix.path:/a b (c)/i",
	                      "fix.path:\"docs/my file.md\"",
	                      "fix.files:<=5",
	                      "fix.additions:>100",
	                      "fix.deletions:10..*",
	                      "-fix:pr OR (fix:commit -fix.path:*.md)"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct query *q;
		struct error err;
		if (query_parse(good[i], &q, NULL, &err)) {
			test_fail(__FILE__, __LINE__, "'%s': %s", good[i], err.msg);
			continue;
		}
		CHECK(query_uses_fixes(q));
		query_free(q);
	}
	struct query *q;
	struct error err;
	CHECK_INT(query_parse("is:issue label:bug", &q, NULL, &err), 0);
	CHECK(!query_uses_fixes(q));
	query_free(q);
	check_bad("fix:foo", 5, "expected pr, commit, merged or gone");
	check_bad("is:issue fix.path:a\\", 20, "quotes nothing");
	check_bad("fix.path:\"a[bc\"", 12, "to close this '['");
	check_bad("fix.path:/a(/", 13, "missing closing parenthesis");
	check_bad("fix.path:/a/x", 13, "unknown pattern flag");
	check_bad("fix.path:", 10, "or a /PATTERN/");
	check_bad("fixes:many", 7, "expected a whole number");
	check_bad("fix.files:", 11, "expected a count");
	check_bad("fix.size:3", 1, "unknown term 'fix.size:'");
}

int main(void)
{
	TEST(test_commit_json);
	TEST(test_commit_json_bad);
	TEST(test_pull_json);
	TEST(test_pull_numbers);
	TEST(test_names);
	TEST(test_role);
	TEST(test_globs);
	TEST(test_store_changes);
	TEST(test_migrates_older_database);
	TEST(test_failed_migration_changes_nothing);
	TEST(test_query_terms);
	return test_done();
}
