/*
 * test_query.c - the query language: every term and condition, precedence,
 * quoting, comments, bound parameters, and syntax errors with their carets.
 *
 * Semantics are checked by running compiled queries against a real database
 * imported from tests/data/filter-corpus.json (see make-filter-corpus.py for
 * what each issue is for).
 */
#include "test.h"
#include "teststore.h"

#include "import.h"
#include "query.h"
#include "regexp.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>

static struct store *corpus;

static void open_corpus(void)
{
	corpus = test_corpus("filter-corpus.json");
}

/* The numbers of the matching issues, "1 2 15" in repository and number order. */
static char *numbers(const char *text)
{
	struct query *q;
	struct error err;
	struct query_pos pos;
	if (query_parse(text, &q, &pos, &err)) {
		test_fail(__FILE__, __LINE__, "'%s' does not parse: %s", text, err.msg);
		return strdup("(error)");
	}
	sqlite3_stmt *st;
	struct strbuf sb = STRBUF_INIT;
	if (query_prepare(corpus, q, "i.number", "ORDER BY r.full_name, i.number", &st, NULL,
	                  &err)) {
		test_fail(__FILE__, __LINE__, "'%s' does not prepare: %s", text, err.msg);
		query_free(q);
		return strdup("(error)");
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&sb, "%s%lld", sb.len ? " " : "",
		            (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	query_free(q);
	return strbuf_detach(&sb, NULL);
}

#define CHECK_MATCHES(text, want)                                                                  \
	do {                                                                                       \
		char *got_ = numbers(text);                                                        \
		if (strcmp(got_, want))                                                            \
			test_fail(__FILE__, __LINE__, "'%s' matches \"%s\", expected \"%s\"",      \
			          text, got_, want);                                               \
		free(got_);                                                                        \
	} while (0)

/* Repositories sort onnx/tensorflow-onnx (20-24), other/thing (30-32), pytorch/pytorch. */

static void test_repo_and_is(void)
{
	CHECK_MATCHES("repo:other/thing", "30 31 32");
	CHECK_MATCHES("repo:Other/THING", "30 31 32");
	CHECK_MATCHES("is:pr", "13");
	CHECK_MATCHES("is:open", "32 14");
	CHECK_MATCHES("is:closed repo:other/thing", "30 31");
	CHECK_MATCHES("is:issue repo:pytorch/pytorch is:closed label:question", "15");
}

/* Issues GitHub no longer serves keep their rows; is:gone finds them. */
static void test_gone(void)
{
	struct error err;
	CHECK_MATCHES("is:gone", "");
	CHECK(!store_exec(corpus,
	                  "UPDATE issues SET gone = CASE number WHEN 30 THEN 'transferred' "
	                  "ELSE 'deleted' END WHERE number IN (30, 2)",
	                  &err));
	CHECK_MATCHES("is:gone", "30 2");
	CHECK_MATCHES("-is:gone repo:other/thing", "31 32");
	CHECK_MATCHES("is:closed is:gone", "30 2");
	CHECK(!store_exec(corpus, "UPDATE issues SET gone = NULL", &err));
}

static void test_label_author_quoting(void)
{
	CHECK_MATCHES("label:\"pending on user response\"", "23");
	CHECK_MATCHES("label:\"MODULE: ONNX\" is:open", "14");
	CHECK_MATCHES("label:\"module:\" ", "");
	CHECK_MATCHES("label:docs", "32");
	CHECK_MATCHES("label:do\"cs\"", "32"); /* quoted and bare parts join */
	CHECK_MATCHES("author:CAROL", "3");
	CHECK_MATCHES("author:\"erin\"", "31");
	/* Escapes inside quotes. */
	CHECK_MATCHES("label:\"a\\\"b\"", "");
}

static void test_dates(void)
{
	CHECK_MATCHES("created:<2020-06-01", "20 2");
	CHECK_MATCHES("created:>2022-12-31", "32");
	CHECK_MATCHES("created:<=2022-12-31 created:>=2022-12-31", "31");
	CHECK_MATCHES("created:2022-12-31..2023-01-01", "31 32");
	CHECK_MATCHES("created:*..2020-01-15", "20");
	CHECK_MATCHES("created:2023-01-01..*", "32");
	CHECK_MATCHES("created:2022-12-31T23:30:00Z", "31");
	CHECK_MATCHES("created:<2022-12-31T23:30:00Z repo:other/thing", "30");
	CHECK_MATCHES("created:>=2023-01-01T01:00:00+02:00",
	              "31 32"); /* the offset makes it 2022-12-31T23:00Z */
	CHECK_MATCHES("closed:>=2023-01-01", "31");
	CHECK_MATCHES("updated:2021-07-01", "14");
}

static void test_patterns(void)
{
	CHECK_MATCHES("title:/^Export/", "1");
	CHECK_MATCHES("title:/segfault/", "");
	CHECK_MATCHES("title:/SEGFAULT/i", "31");
	CHECK_MATCHES("body:/groups=\\d/", "20");
	CHECK_MATCHES("comments:/SEGFAULT/", "31");
	CHECK_MATCHES("text:/segmentation/i", "31");
	CHECK_MATCHES("text:/works now/", "6");
	CHECK_MATCHES("title:/\\[ONNX\\]/", "13");
	CHECK_MATCHES("title:/x\\/y|Docs/", "32");
	CHECK_MATCHES("-body:/./ repo:other/thing", "30 32"); /* "" and NULL bodies */
}

static void test_counts(void)
{
	CHECK_MATCHES("comments:>=3", "31");
	CHECK_MATCHES("comments:1..2", "6");
	CHECK_MATCHES("comments:0 repo:other/thing", "30 32");
	CHECK_MATCHES("events:5", "31");
	CHECK_MATCHES("events:>1 repo:pytorch/pytorch", "6 10");
	CHECK_MATCHES("events:<1", "32");
	CHECK_MATCHES("events:2..*", "31 6 10");
}

static void test_events(void)
{
	CHECK_MATCHES("event:connected", "4");
	CHECK_MATCHES("event:closed[commit] repo:other/thing", "30 31");
	CHECK_MATCHES("event:closed[-commit]", "6");
	CHECK_MATCHES("event:cross-referenced[-pr]", "5");
	CHECK_MATCHES("event:cross-referenced[pr, state=open]", "9 10");
	CHECK_MATCHES("event:cross-referenced[repo=pytorch]", "3 9 10");
	CHECK_MATCHES("event:cross-referenced[repo=pytorch/vision]", "10");
	CHECK_MATCHES("event:cross-referenced[repo=TENSORFLOW-ONNX]", "21 5");
	/* One event meets every condition. */
	CHECK_MATCHES("event:cross-referenced[state=closed, repo=pytorch]", "3");
	CHECK_MATCHES("event:cross-referenced[state=closed]  event:cross-referenced[repo=pytorch]",
	              "3 10");
	/* Dotted paths of the raw event. */
	CHECK_MATCHES("event:cross-referenced[source.issue.number=900]", "3");
	CHECK_MATCHES("event:cross-referenced[source.issue.number=\"900\"]", ""); /* a string */
	CHECK_MATCHES("event:cross-referenced[source.issue.number=900|901]", "3 9");
	CHECK_MATCHES("event:closed[state_reason=completed]", "6");
	CHECK_MATCHES("event:closed[state_reason!=completed] repo:pytorch/pytorch", "1 12 13 15");
	CHECK_MATCHES("event:closed[state_reason!=null]", "6");
	CHECK_MATCHES("event:closed[state_reason=null, -commit]", "");
	CHECK_MATCHES("event:labeled[label.name=bug]", "31");
	/* An array index before a later condition (the lexer must not stop at its ']'). */
	CHECK_MATCHES("event:labeled[label.name[0]!=x, label.name=bug]", "31");
	CHECK_MATCHES("event:commented[body=\"fixed by #3\"]", "31");
	CHECK_MATCHES("event:cross-referenced[source.issue.pull_request!=null, -pr]", "");
	CHECK_MATCHES("event:cross-referenced[source.issue.pull_request=null]", "5");
}

static void test_precedence(void)
{
	/* NOT binds tighter than AND, AND tighter than OR. */
	CHECK_MATCHES("label:docs OR label:bug is:open", "32");
	CHECK_MATCHES("(label:docs OR label:bug) is:closed", "21 31");
	CHECK_MATCHES("label:docs OR label:bug AND is:closed", "21 31 32");
	CHECK_MATCHES("NOT label:bug repo:other/thing", "30 32");
	CHECK_MATCHES("-(label:bug OR label:docs) repo:other/thing", "30");
	CHECK_MATCHES("NOT (label:bug) OR label:bug repo:other/thing",
	              "20 22 23 24 30 31 32 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
	CHECK_MATCHES("--label:docs", "32");
	CHECK_MATCHES("((((label:docs))))", "32");
	CHECK_MATCHES("repo:other/thing (is:open OR (label:bug -is:open))", "31 32");
}

static void test_comments_and_newlines(void)
{
	CHECK_MATCHES("# a comment\nrepo:other/thing # another\n\tis:open\n", "32");
	CHECK_MATCHES("repo:other/thing\nOR\nrepo:onnx/tensorflow-onnx\r\nis:open", "30 31 32");
	CHECK_MATCHES("label:\"#not a comment\" OR label:docs", "32");
}

/* A statement's SQL holds no user text: only ?N placeholders. */
static void test_bound_parameters(void)
{
	struct query *q;
	struct error err;
	const char *text =
	        "label:\"it's\" author:'x' title:/a'b/ event:closed[actor.login=\"o'k\"]";
	CHECK_INT(query_parse(text, &q, NULL, &err), 0);
	const struct query_param *params;
	size_t n;
	const char *where = query_where(q, &params, &n);
	CHECK(!strstr(where, "it's"));
	CHECK(!strstr(where, "o'k"));
	CHECK(!strstr(where, "a'b"));
	CHECK_INT(n, 7); /* label, author, pattern, flags, event type, path, value */
	CHECK_STR(params[0].text, "it's");
	CHECK_STR(params[1].text, "'x'");
	CHECK_STR(params[5].text, "$.\"actor\".\"login\"");
	CHECK_STR(params[6].text, "o'k");
	CHECK_STR(query_text(q), text);
	query_free(q);
	/* Typed values: numbers and booleans unquoted, text quoted. */
	CHECK_INT(query_parse("event:x[a=12, b=true, c=1.5, d=\"12\", e=abc]", &q, NULL, &err), 0);
	query_where(q, &params, &n);
	CHECK_INT(n, 11);
	CHECK(params[2].type == QUERY_PARAM_INT && params[2].integer == 12);
	CHECK(params[4].type == QUERY_PARAM_INT && params[4].integer == 1);
	CHECK(params[6].type == QUERY_PARAM_REAL && params[6].real == 1.5);
	CHECK(params[8].type == QUERY_PARAM_TEXT);
	CHECK(params[10].type == QUERY_PARAM_TEXT);
	query_free(q);
	/* Only decimal numbers are numbers: strtod's hex, inf and nan stay text. */
	CHECK_INT(query_parse("event:x[a=0x10, b=inf, c=nan, d=-2.5e3, e=1.]", &q, NULL, &err), 0);
	query_where(q, &params, &n);
	CHECK_INT(n, 11);
	CHECK(params[2].type == QUERY_PARAM_TEXT && !strcmp(params[2].text, "0x10"));
	CHECK(params[4].type == QUERY_PARAM_TEXT && !strcmp(params[4].text, "inf"));
	CHECK(params[6].type == QUERY_PARAM_TEXT && !strcmp(params[6].text, "nan"));
	CHECK(params[8].type == QUERY_PARAM_REAL && params[8].real == -2500);
	CHECK(params[10].type == QUERY_PARAM_REAL && params[10].real == 1);
	query_free(q);
}

/* parse_error TEXT: the message of the error, and its caret display. */
static void check_error(int line, const char *text, int eline, int ecol, const char *msg,
                        const char *caret)
{
	struct query *q = NULL;
	struct error err;
	struct query_pos pos = {-1, -1};
	if (query_parse(text, &q, &pos, &err) == 0) {
		test_fail(__FILE__, line, "'%s' parsed, expected an error", text);
		query_free(q);
		return;
	}
	if (pos.line != eline || pos.column != ecol)
		test_fail(__FILE__, line, "'%s': error at %d:%d, expected %d:%d (%s)", text,
		          pos.line, pos.column, eline, ecol, err.msg);
	if (!strstr(err.msg, msg))
		test_fail(__FILE__, line, "'%s': message \"%s\" lacks \"%s\"", text, err.msg, msg);
	if (strchr(err.msg, '\n'))
		test_fail(__FILE__, line, "'%s': message is not one line", text);
	if (caret) {
		struct strbuf sb = STRBUF_INIT;
		query_caret(text, &pos, 2, &sb);
		if (strcmp(sb.buf, caret))
			test_fail(__FILE__, line, "'%s': caret display\n%s\nexpected\n%s", text,
			          sb.buf, caret);
		strbuf_release(&sb);
	}
}

#define CHECK_ERROR(text, l, c, msg, caret) check_error(__LINE__, text, l, c, msg, caret)

static void test_syntax_errors(void)
{
	CHECK_ERROR("", 1, 1, "line 1, column 1: empty query", "  \n  ^\n");
	CHECK_ERROR("is:issue (label:bug", 1, 20,
	            "expected ')' to close the '(' of line 1, column 10, found the end",
	            "  is:issue (label:bug\n                     ^\n");
	CHECK_ERROR("is:issue\n  OR OR is:open", 2, 6,
	            "line 2, column 6: expected a term or '(', "
	            "found 'OR'",
	            "    OR OR is:open\n       ^\n");
	CHECK_ERROR("a:b)", 1, 1, "unknown term 'a:'", NULL);
	CHECK_ERROR("is:open)", 1, 8, "unexpected ')'", NULL);
	CHECK_ERROR("()", 1, 2, "unexpected ')'", NULL);
	CHECK_ERROR("is:closed or is:open", 1, 11,
	            "'or' searches for the word; write OR for the operator, or \"or\" for the word",
	            NULL);
	CHECK_ERROR("label:", 1, 7, "expected a name after label:", NULL);
	CHECK_ERROR("repo:", 1, 6, "expected a repository OWNER/NAME after repo:", NULL);
	CHECK_ERROR("repo:a/b/c", 1, 6, "expected a repository OWNER/NAME, found 'a/b/c'", NULL);
	CHECK_ERROR("is:", 1, 4, "expected issue, pr, open, closed or gone", NULL);
	CHECK_ERROR("label:\"x", 1, 7, "unterminated quoted string", NULL);
	CHECK_ERROR("created:", 1, 9, "expected a date or a range", NULL);
	CHECK_ERROR("created:2021-02-30", 1, 9, "expected a date", NULL);
	CHECK_ERROR("created:>=yesterday", 1, 11, "found 'yesterday'", NULL);
	CHECK_ERROR("created:*..*", 1, 9, "at least one date", NULL);
	CHECK_ERROR("events:>=-1", 1, 10, "expected a whole number", NULL);
	CHECK_ERROR("comments:1..x", 1, 13, "expected a whole number, found 'x'", NULL);
	CHECK_ERROR("comments: is:open", 1, 10,
	            "expected a count (N, >=N, <N, N..M) after 'comments:'", NULL);
	CHECK_ERROR("events:", 1, 8, "expected a count (N, >=N, <N, N..M) after 'events:'", NULL);
	CHECK_ERROR("title:/a", 1, 7, "unterminated pattern", NULL);
	CHECK_ERROR("title:/a(/", 1, 10, "bad pattern /a(/: missing closing parenthesis", NULL);
	CHECK_ERROR("body:/[z-a]/", 1, 10, "bad pattern /[z-a]/: range out of order", NULL);
	CHECK_ERROR("title:/a/x", 1, 10, "unknown pattern flag 'x'", NULL);
	CHECK_ERROR("text:abc", 1, 6, "expected /PATTERN/", NULL);
	CHECK_ERROR("event:", 1, 7, "expected an event type", NULL);
	CHECK_ERROR("event:closed[", 1, 13, "expected ']' to close this '['", NULL);
	CHECK_ERROR("event:closed[]", 1, 14, "expected a condition", NULL);
	CHECK_ERROR("event:closed[commit,]", 1, 21, "expected a condition", NULL);
	CHECK_ERROR("event:closed[commit pr]", 1, 21, "expected ',' or ']'", NULL);
	CHECK_ERROR("event:closed[commit]x", 1, 21, "after ']'", NULL);
	CHECK_ERROR("event:closed(commit)", 1, 13, "expected white space before '('", NULL);
	CHECK_ERROR("event:closed{commit}", 1, 13, "expected '[' or the end of the term", NULL);
	CHECK_ERROR("event:closed[pr=1]", 1, 16, "'pr' takes no value", NULL);
	CHECK_ERROR("event:closed[state!=open]", 1, 19, "'state' takes '=' only", NULL);
	CHECK_ERROR("event:closed[-a.b=1]", 1, 14, "'-' negates only commit and pr", NULL);
	CHECK_ERROR("event:closed[a.b]", 1, 17, "expected '=' or '!=' after 'a.b'", NULL);
	CHECK_ERROR("event:closed[a.b=]", 1, 18, "expected a value", NULL);
	CHECK_ERROR("event:closed[a..b=1]", 1, 16, "expected a condition", NULL);
	CHECK_ERROR("event:closed[a[x]=1]", 1, 16, "expected an array index", NULL);
	CHECK_ERROR("event:closed[a=null|1]", 1, 16, "null cannot be one of several", NULL);
	CHECK_ERROR("event:closed[repo=a b]", 1, 21, "expected ',' or ']'", NULL);
	CHECK_ERROR("- is:open", 1, 1, "right after '-'", NULL);
	CHECK_ERROR("NOT", 1, 4, "expected a term or '(', found the end", NULL);
	/* Columns count characters; tabs stay tabs in the caret line. */
	CHECK_ERROR("title:/é/ \tlabel:", 1, 18, "expected a name",
	            "  title:/é/ \tlabel:\n            \t      ^\n");
	/* The end of the query is where the last token ends, not past blanks and comments. */
	CHECK_ERROR(
	        "is:issue\n(label:bug OR\n  label:docs # the end\n\n", 3, 13,
	        "line 3, column 13: expected ')' to close the '(' of line 2, column 1, found the "
	        "end of the query",
	        "    label:docs # the end\n              ^\n");
	CHECK_ERROR("is:issue OR\n# nothing more\n", 1, 12, "found the end of the query",
	            "  is:issue OR\n             ^\n");
	CHECK_ERROR("\n  # only a comment\n", 1, 1, "empty query", "  \n  ^\n");
	/* The line shown is the line of the error. */
	CHECK_ERROR("# one\nis:issue\n\n  author:", 4, 10, "line 4, column 10",
	            "    author:\n           ^\n");
}

/* text repeated n times, then middle, then close repeated n times. */
static char *nested(const char *open, int n, const char *middle, const char *close)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < n; i++)
		strbuf_adds(&sb, open);
	strbuf_adds(&sb, middle);
	for (int i = 0; i < n; i++)
		strbuf_adds(&sb, close);
	return strbuf_detach(&sb, NULL);
}

/* Checks that text matches what simpler matches (both run on the corpus). */
static void check_same(int line, char *text, const char *simpler)
{
	char *want = numbers(simpler), *got = numbers(text);
	if (strcmp(got, want))
		test_fail(__FILE__, line, "%.60s... matches \"%s\", expected \"%s\"", text, got,
		          want);
	free(want);
	free(got);
	free(text);
}

#define CHECK_SAME(text, simpler) check_same(__LINE__, text, simpler)

/* The costliest innermost term: an event with conditions (see QUERY_MAX_DEPTH). */
#define DEEP_TERM "event:cross-referenced[state=closed, repo=pytorch|tensorflow-onnx, -pr]"

static void test_deep_nesting(void)
{
	struct query *q = NULL;
	struct error err;
	/* Beyond the bound: a syntax error with the bound in it, not SQLite's overflow. */
	char *text = nested("(", 200, "is:open", ")");
	CHECK(query_parse(text, &q, NULL, &err) != 0);
	CHECK_STR(err.msg, "line 1, column 17: nested too deeply (at most 16 levels of "
	                   "parentheses and negations)");
	free(text);
	text = nested("NOT ", 100000, "is:open", "");
	CHECK(query_parse(text, &q, NULL, &err) != 0);
	CHECK(strstr(err.msg, "line 1, column 65: nested too deeply") != NULL);
	free(text);
	text = nested("is:open OR -(", 9, DEEP_TERM, ")");
	CHECK(query_parse(text, &q, NULL, &err) != 0);
	CHECK(strstr(err.msg, "nested too deeply") != NULL);
	free(text);
	/* At the bound, the costliest shapes compile and mean what they say. */
	CHECK_SAME(nested("is:open OR (", 16, DEEP_TERM, ")"), "is:open OR " DEEP_TERM);
	CHECK_SAME(nested("is:issue (", 16, DEEP_TERM, ")"), "is:issue " DEEP_TERM);
	/* pr OR -(pr OR -X) is pr OR X */
	CHECK_SAME(nested("is:pr OR -(", 8, DEEP_TERM, ")"), "is:pr OR " DEEP_TERM);
	CHECK_SAME(nested("-(", 8, DEEP_TERM, ")"), DEEP_TERM);
	CHECK_SAME(nested("-", 16, DEEP_TERM, ""), DEEP_TERM);
	CHECK_SAME(nested("(is:pr OR (is:open ", 8, DEEP_TERM, "))"),
	           "is:pr OR is:open " DEEP_TERM);
}

/* Long chains of AND and OR compile: SQLite refuses a tree 1000 deep. */
static void test_long_chains(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "label:docs");
	for (int i = 0; i < 1500; i++)
		strbuf_addf(&sb, " OR label:x%d", i);
	CHECK_MATCHES(sb.buf, "32");
	strbuf_reset(&sb);
	strbuf_adds(&sb, "repo:other/thing");
	for (int i = 0; i < 1500; i++)
		strbuf_addf(&sb, " -label:x%d", i);
	CHECK_MATCHES(sb.buf, "30 31 32");
	/* Inside a group, and each run as long as the last. */
	strbuf_reset(&sb);
	strbuf_adds(&sb, "is:open (");
	for (int i = 0; i < 100; i++)
		strbuf_addf(&sb, "label:x%d OR ", i);
	strbuf_adds(&sb, "label:docs)");
	CHECK_MATCHES(sb.buf, "32");
	strbuf_release(&sb);
}

static void test_regexp_function(void)
{
	sqlite3 *db;
	struct error err;
	CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
	CHECK_INT(regexp_register(db, &err), 0);
	sqlite3_stmt *st;
	const char *sql = "SELECT regexp('^a.c$', 'abc'), regexp('B', 'abc'), regexp('B', 'abc', "
	                  "'i'), 'xyz' REGEXP 'y', regexp('a', NULL), regexp('é+', 'caféé'), "
	                  "regexp('\\d', x) FROM (SELECT 'n1' AS x UNION ALL SELECT 'n')";
	CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	CHECK_INT(sqlite3_column_int(st, 1), 0);
	CHECK_INT(sqlite3_column_int(st, 2), 1);
	CHECK_INT(sqlite3_column_int(st, 3), 1);
	CHECK_INT(sqlite3_column_type(st, 4), SQLITE_NULL);
	CHECK_INT(sqlite3_column_int(st, 5), 1);
	CHECK_INT(sqlite3_column_int(st, 6), 1);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 6), 0);
	sqlite3_finalize(st);
	/* A bad pattern is an error naming it. */
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT regexp('(x', 'x')", -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ERROR);
	CHECK(strstr(sqlite3_errmsg(db), "bad pattern /(x/") != NULL);
	sqlite3_finalize(st);
	/* Patterns that change per row are compiled per row. */
	CHECK_INT(sqlite3_prepare_v2(db,
	                             "SELECT sum(regexp(p, 'abc')) FROM (SELECT 'a' AS p UNION ALL "
	                             "SELECT 'z' UNION ALL SELECT 'c$')",
	                             -1, &st, NULL),
	          SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	/* Flags that change per row under a constant pattern are honoured per row. */
	CHECK_INT(sqlite3_prepare_v2(
	                  db,
	                  "SELECT group_concat(regexp('b', 'ABC', f), ' ') FROM (SELECT '' "
	                  "AS f UNION ALL SELECT 'i' UNION ALL SELECT '')",
	                  -1, &st, NULL),
	          SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "0 1 0");
	sqlite3_finalize(st);
	/* Subjects that are not valid UTF-8 still match where they are valid. */
	CHECK_INT(sqlite3_prepare_v2(db, "SELECT regexp('ok', CAST(x'ff6f6b' AS TEXT))", -1, &st,
	                             NULL),
	          SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	size_t off = 0;
	CHECK_INT(regexp_check("a(b", "", &off, &err), -1);
	CHECK_INT(off, 3);
	CHECK(strstr(err.msg, "/a(b/") != NULL);
	CHECK_INT(regexp_check("ab", "q", NULL, &err), -1);
	CHECK_INT(regexp_check("ab", "i", NULL, &err), 0);
}

static void test_lookup(void)
{
	char *text;
	const char *origin;
	struct error err;
	CHECK_INT(query_lookup(NULL, "onnx-converters", &text, &origin, &err), 0);
	CHECK_STR(origin, "shipped");
	CHECK(strstr(text, "event:cross-referenced[state=closed, repo=pytorch|tensorflow-onnx]"));
	/* The shipped query selects exactly the corpus's eight relevant issues. */
	CHECK_MATCHES(text, "20 21 1 2 3 4 5 15");
	free(text);
	CHECK_INT(query_lookup(NULL, "nope", &text, &origin, &err), -1);
	CHECK(strstr(err.msg, "no query named 'nope'") != NULL);
}

int main(void)
{
	open_corpus();
	TEST(test_repo_and_is);
	TEST(test_gone);
	TEST(test_label_author_quoting);
	TEST(test_dates);
	TEST(test_patterns);
	TEST(test_counts);
	TEST(test_events);
	TEST(test_precedence);
	TEST(test_comments_and_newlines);
	TEST(test_bound_parameters);
	TEST(test_syntax_errors);
	TEST(test_deep_nesting);
	TEST(test_long_chains);
	TEST(test_regexp_function);
	TEST(test_lookup);
	store_close(corpus);
	return test_done();
}
