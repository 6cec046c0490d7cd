/*
 * test_query_merge.c - a differential test of the query compiler's OR
 * merging: OR chains of repo:, label: and author: terms compile to one
 * IN (...) (query.c, join_or), and ISSUEMINE_QUERY_NO_MERGE compiles them
 * as the plain chain they are written as. Both must match the same issues.
 *
 * A seeded generator writes random queries (long chains of like terms mixed
 * with other terms, negations, groups, names in odd case and names that
 * match nothing) and runs each both ways over a real SQLite database filled
 * with random issues; any difference names the query and the seed.
 */
#include "test.h"

#include "query.h"
#include "store.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>

static struct store *db;
static uint64_t rng_state;
static int label_subqueries; /* merged label chains past the probing limit (an IN subquery) */

/* xorshift64*: the same sequence on every machine. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t pick(size_t n)
{
	return (size_t)(rng() % n);
}

static const char *const repos[] = {"onnx/onnx", "pytorch/pytorch", "Other/Thing",
                                    "a/b",       "tf/tf2onnx",      "x/y-z"};
static const char *const labels[] = {
        "bug",      "module: onnx", "Needs Triage",     "high priority",
        "wontfix",  "oncall: jit",  "triaged",          "enhancement",
        "docs",     "question",     "good first issue", "topic: a",
        "topic: b", "topic: c",     "topic: d",         "topic: e",
        "topic: f", "topic: g",     "topic: h",         "topic: i",
        "topic: j", "topic: k",     "topic: l",         "topic: m"};
static const char *const authors[] = {"alice", "Bob", "carol", "dave", "eve", "ghost"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void exec(const char *sql)
{
	struct error err;
	if (store_exec(db, sql, &err)) {
		fprintf(stderr, "cannot build the database: %s\n", err.msg);
		exit(1);
	}
}

/* A name of the pool in random case now and then, or one that matches nothing. */
static void add_name(struct strbuf *sb, const char *const *pool, size_t n)
{
	if (pick(10) == 0) {
		strbuf_adds(sb, "nothing/here");
		return;
	}
	const char *name = pool[pick(n)];
	int upper = pick(4) == 0;
	for (const char *c = name; *c; c++)
		strbuf_addch(sb, upper && *c >= 'a' && *c <= 'z' ? (char)(*c - 32) : *c);
}

static void build_db(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "merge.db");
	struct error err;
	rng_state = 1; /* xorshift must not start at 0 */
	if (store_open(path, STORE_READWRITE, &db, &err)) {
		fprintf(stderr, "cannot open %s: %s\n", path, err.msg);
		exit(1);
	}
	exec("BEGIN");
	for (size_t r = 0; r < COUNT(repos); r++) {
		char *sql = sqlite3_mprintf("INSERT INTO repositories (owner, name, full_name) "
		                            "VALUES ('o', 'n', %Q)",
		                            repos[r]);
		exec(sql);
		sqlite3_free(sql);
	}
	for (int n = 1; n <= 400; n++) {
		const char *state = pick(8) == 0 ? NULL : pick(2) ? "open" : "closed";
		const char *author = pick(7) == 0 ? NULL : authors[pick(COUNT(authors))];
		char *sql = sqlite3_mprintf(
		        "INSERT INTO issues (repo_id, number, title, state, author, created_at, "
		        "is_pull_request, stored_at) VALUES (%d, %d, 'issue %d', %Q, %Q, "
		        "'2023-%02d-01T00:00:00Z', %d, '2024-01-01T00:00:00Z')",
		        (int)pick(COUNT(repos)) + 1, n, n, state, author, (int)pick(12) + 1,
		        (int)pick(2));
		exec(sql);
		sqlite3_free(sql);
		for (size_t k = pick(5); k > 0; k--) {
			sql = sqlite3_mprintf("INSERT OR IGNORE INTO labels VALUES "
			                      "(last_insert_rowid(), %Q)",
			                      labels[pick(COUNT(labels))]);
			exec(sql);
			sqlite3_free(sql);
		}
	}
	exec("UPDATE issues SET gone = 'deleted' WHERE number % 9 = 0");
	exec("COMMIT");
	free(dir);
	free(path);
}

/* One repo:, label: or author: term. */
static void gen_like(struct strbuf *sb)
{
	switch (pick(3)) {
	case 0:
		strbuf_adds(sb, "repo:");
		add_name(sb, repos, COUNT(repos));
		break;
	case 1:
		strbuf_adds(sb, "label:\"");
		add_name(sb, labels, COUNT(labels));
		strbuf_addch(sb, '"');
		break;
	default:
		strbuf_adds(sb, "author:");
		add_name(sb, authors, COUNT(authors));
	}
}

static void gen_other(struct strbuf *sb)
{
	static const char *const other[] = {"is:open",
	                                    "is:closed",
	                                    "is:issue",
	                                    "is:pr",
	                                    "created:>=2023-06-01",
	                                    "title:/1$/",
	                                    "events:0",
	                                    "created:<2023-03-01",
	                                    "is:gone",
	                                    "\"issue 1\"",
	                                    "-issue"};
	strbuf_adds(sb, other[pick(COUNT(other))]);
}

static void gen_expr(struct strbuf *sb, int depth);

/* An OR chain of 1 to 80 operands, most of them like terms. */
static void gen_or(struct strbuf *sb, int depth)
{
	size_t n = pick(5) == 0 ? 17 + pick(64) : 1 + pick(6);
	for (size_t k = 0; k < n; k++) {
		if (k)
			strbuf_adds(sb, " OR ");
		if (pick(6) == 0)
			gen_expr(sb, depth + 1);
		else
			gen_like(sb);
	}
}

static void gen_expr(struct strbuf *sb, int depth)
{
	size_t choice = depth > 3 ? pick(2) : pick(7);
	switch (choice) {
	case 0:
		gen_like(sb);
		break;
	case 1:
		gen_other(sb);
		break;
	case 2:
		strbuf_adds(sb, pick(2) ? "NOT " : "-");
		gen_expr(sb, depth + 1);
		break;
	case 3:
	case 4:
		strbuf_addch(sb, '(');
		gen_or(sb, depth);
		strbuf_addch(sb, ')');
		break;
	case 5:
		gen_expr(sb, depth + 1);
		strbuf_adds(sb, pick(2) ? " " : " AND ");
		gen_expr(sb, depth + 1);
		break;
	default:
		gen_or(sb, depth);
	}
}

/* The ids the query matches, compiled with or without merging; *merged says if any IN was made. */
static char *matches(const char *text, int merge, int *merged)
{
	if (merge)
		unsetenv("ISSUEMINE_QUERY_NO_MERGE");
	else
		setenv("ISSUEMINE_QUERY_NO_MERGE", "1", 1);
	struct query *q;
	struct error err;
	struct query_pos pos;
	if (query_parse(text, &q, &pos, &err)) {
		test_fail(__FILE__, __LINE__, "'%s' does not parse: %s", text, err.msg);
		return strdup("(error)");
	}
	const struct query_param *params;
	size_t n;
	const char *where = query_where(q, &params, &n);
	if (merged) {
		*merged = strstr(where, " IN (") != NULL;
		label_subqueries += strstr(where, "i.id IN (SELECT l.issue_id") != NULL;
	}
	sqlite3_stmt *st;
	struct strbuf sb = STRBUF_INIT;
	if (query_prepare(db, q, "i.id", "ORDER BY i.id", &st, NULL, &err)) {
		test_fail(__FILE__, __LINE__, "'%s' does not prepare: %s", text, err.msg);
		query_free(q);
		return strdup("(error)");
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&sb, " %lld", (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	query_free(q);
	return strbuf_detach(&sb, NULL);
}

static void test_merge_matches_no_merge(void)
{
	const uint64_t seed = 20261201;
	rng_state = seed;
	int queries = 0, merged_queries = 0, nonempty = 0;
	for (; queries < 400; queries++) {
		struct strbuf text = STRBUF_INIT;
		gen_expr(&text, 0);
		int merged = 0;
		char *with = matches(text.buf, 1, &merged);
		char *without = matches(text.buf, 0, NULL);
		if (strcmp(with, without))
			test_fail(__FILE__, __LINE__,
			          "seed %llu, query %d: '%s' matches [%s] merged, [%s] as written",
			          (unsigned long long)seed, queries, text.buf, with, without);
		merged_queries += merged;
		nonempty += *with != '\0';
		free(with);
		free(without);
		strbuf_release(&text);
	}
	unsetenv("ISSUEMINE_QUERY_NO_MERGE");
	/* The generator must exercise what it is for: merged chains, and queries that match. */
	CHECK(merged_queries > queries / 4);
	CHECK(label_subqueries > 10);
	CHECK(nonempty > queries / 2);
}

/* A hand-written case: mixed kinds and case, a label chain past the probing limit. */
static void test_merge_examples(void)
{
	struct strbuf text = STRBUF_INIT;
	strbuf_adds(&text, "repo:ONNX/onnx OR author:bob OR repo:a/b OR -label:bug OR author:Eve");
	for (size_t k = 0; k < COUNT(labels); k++)
		strbuf_addf(&text, " OR label:\"%s\"", labels[k]);
	int merged = 0;
	char *with = matches(text.buf, 1, &merged);
	char *without = matches(text.buf, 0, NULL);
	CHECK(merged);
	CHECK_STR(with, without);
	free(with);
	free(without);
	strbuf_release(&text);
	unsetenv("ISSUEMINE_QUERY_NO_MERGE");
}

int main(void)
{
	build_db();
	TEST(test_merge_examples);
	TEST(test_merge_matches_no_merge);
	store_close(db);
	return test_done();
}
