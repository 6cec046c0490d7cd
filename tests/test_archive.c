/*
 * test_archive.c - the pieces of replication packages and REFI-QDA
 * projects that can be checked alone: every table of the schema has an
 * archive rule, file names made of names, directory helpers, the GUIDs of
 * QDA projects, and the cleaning and counting of source text.
 */
#include "archive_int.h"
#include "fsutil.h"
#include "qda.h"
#include "strbuf.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* A table added to the schema without an archive rule fails here, not in a user's hands. */
static void test_every_table_has_a_rule(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "fresh.db");
	struct store *s;
	struct error err;
	CHECK(store_open(path, STORE_READWRITE, &s, &err) == 0);
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(s->db,
	                         "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
	                         "LIKE 'sqlite_%'",
	                         -1, &st, NULL) == SQLITE_OK);
	int tables = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int known = 0;
		archive_db_rule(name, &known);
		if (!known)
			test_fail(__FILE__, __LINE__, "table '%s' has no archive rule", name);
		tables++;
	}
	sqlite3_finalize(st);
	CHECK(tables >= 25);
	/* The rules the README promises: the whole log, no fetch progress, every setting. */
	int known;
	CHECK_STR(archive_db_rule("code_log", &known),
	          "set_id IN (SELECT id FROM temp.archive_sets)");
	CHECK(archive_db_rule("fetch_pending", &known) == NULL && known);
	CHECK_STR(archive_db_rule("settings", &known), "");
	CHECK(archive_db_rule("no_such_table", &known) == NULL && !known);
	store_close(s);
	free(path);
	free(dir);
}

static void test_file_names(void)
{
	char *n = archive_file_name("alice");
	CHECK_STR(n, "alice");
	free(n);
	n = archive_file_name("a/b c");
	CHECK_STR(n, "a%2Fb%20c");
	free(n);
	n = archive_file_name(".hidden..x");
	CHECK_STR(n, "%2Ehidden..x");
	free(n);
	n = archive_file_name("caf\xc3\xa9");
	CHECK_STR(n, "caf%C3%A9");
	free(n);
}

static void test_directories(void)
{
	char *dir = test_tmpdir();
	char *deep = test_path(dir, "a/b/c");
	struct error err;
	CHECK(fs_mkdirs(deep, &err) == 0);
	CHECK(fs_mkdirs(deep, &err) == 0); /* already there */
	char *file = test_path(deep, "f.txt");
	CHECK(fs_write_file(file, "text\n", 0666, &err) == 0);
	char *copy = test_path(dir, "copy.txt");
	CHECK(fs_copy_file(file, copy, &err) == 0);
	struct strbuf sb = STRBUF_INIT;
	CHECK(strbuf_read_file(&sb, copy, &err) == 0);
	CHECK_STR(sb.buf, "text\n");
	strbuf_release(&sb);
	size_t n = 0;
	CHECK(fs_count_files(dir, &n, &err) == 0);
	CHECK_INT(n, 2);
	int empty = 1;
	CHECK(fs_dir_is_empty(dir, &empty, &err) == 0);
	CHECK(!empty);
	CHECK(fs_mkdirs(file, &err) != 0); /* a file in the way */
	CHECK(strstr(err.msg, "f.txt") != NULL);
	char *a = test_path(dir, "a");
	CHECK(fs_remove_tree(a, &err) == 0);
	struct stat sb2;
	CHECK(stat(a, &sb2) != 0);
	CHECK(fs_remove_tree(a, &err) == 0); /* gone already: nothing to do */
	char *rest = test_path(dir, "copy.txt");
	CHECK(fs_remove_tree(rest, &err) == 0);
	CHECK(fs_dir_is_empty(dir, &empty, &err) == 0);
	CHECK(empty);
	free(rest);
	free(a);
	free(copy);
	free(file);
	free(deep);
	free(dir);
}

/* RFC 9562: 8-4-4-4-12 lower-case hex, version 8 in the 13th digit, variant 10xx in the 17th. */
static void test_guids(void)
{
	char a[QDA_GUID_LEN], b[QDA_GUID_LEN], c[QDA_GUID_LEN];
	qda_guid("issuemine\nrater\nalice", a);
	qda_guid("issuemine\nrater\nalice", b);
	qda_guid("issuemine\nrater\nbob", c);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	CHECK_INT(strlen(a), 36);
	for (size_t i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		CHECK(dash ? a[i] == '-'
		           : (a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
	}
	CHECK(a[14] == '8');
	CHECK(strchr("89ab", a[19]) != NULL);
	/* SHA-256("abc") begins ba7816bf 8f01cfea 414140de 5dae2223: the GUID's bytes. */
	qda_guid("abc", a);
	CHECK_STR(a, "ba7816bf-8f01-8fea-8141-40de5dae2223");
}

static char *clean(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	qda_clean_text(&sb, text);
	return strbuf_detach(&sb, NULL);
}

static void check_clean(const char *in, const char *want)
{
	char *got = clean(in);
	CHECK_STR(got, want);
	free(got);
}

static void test_clean_text(void)
{
	check_clean("plain\ttext\n", "plain\ttext\n");
	check_clean("a\r\nb\rc", "a\nb\nc");                       /* line ends */
	check_clean("esc \x1b[31mred", "esc \xEF\xBF\xBD[31mred"); /* terminal colours */
	check_clean("caf\xc3\xa9 \xe2\x98\x95 \xf0\x9d\x84\x9e",
	            "caf\xc3\xa9 \xe2\x98\x95 \xf0\x9d\x84\x9e");
	check_clean("bad \xff end", "bad \xEF\xBF\xBD end");
	check_clean("overlong \xc0\xaf", "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
	check_clean("surrogate \xed\xa0\x80", "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	check_clean("cut \xe2\x98", "cut \xEF\xBF\xBD\xEF\xBF\xBD");
	check_clean("", "");
	check_clean(NULL, "");
}

static void test_code_points(void)
{
	const char *t = "a\xc3\xa9\xe2\x98\x95\xf0\x9d\x84\x9e"; /* a é ☕ 𝄞 */
	CHECK_INT(qda_code_points(t, strlen(t)), 4);
	CHECK_INT(qda_code_points("", 0), 0);
}

int main(void)
{
	TEST(test_every_table_has_a_rule);
	TEST(test_file_names);
	TEST(test_directories);
	TEST(test_guids);
	TEST(test_clean_text);
	TEST(test_code_points);
	return test_done();
}
