/*
 * test_query_words.c - the query language's bare words and "quoted phrases"
 * (searched in titles and bodies, as GitHub's search does), and OR chains of
 * like terms compiled to one IN list, on the corpus of test_query.c
 * (tests/data/filter-corpus.json).
 */
#include "test.h"
#include "teststore.h"

#include "import.h"
#include "query.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>

static struct store *corpus;

static void open_corpus(void)
{
	corpus = test_corpus("filter-corpus.json");
}

/* The numbers of the matching issues in repository and number order, or "(error: ...)". */
static char *numbers(const char *text)
{
	struct query *q;
	struct error err;
	struct strbuf sb = STRBUF_INIT;
	if (query_parse(text, &q, NULL, &err)) {
		strbuf_addf(&sb, "(error: %s)", err.msg);
		return strbuf_detach(&sb, NULL);
	}
	sqlite3_stmt *st;
	if (query_prepare(corpus, q, "i.number", "ORDER BY r.full_name, i.number", &st, NULL,
	                  &err)) {
		strbuf_addf(&sb, "(error: %s)", err.msg);
		query_free(q);
		return strbuf_detach(&sb, NULL);
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&sb, "%s%lld", sb.len ? " " : "",
		            (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	query_free(q);
	return strbuf_detach(&sb, NULL);
}

static void check_matches(int line, const char *text, const char *want)
{
	char *got = numbers(text);
	if (strcmp(got, want))
		test_fail(__FILE__, line, "'%.80s' matches \"%s\", expected \"%s\"", text, got,
		          want);
	free(got);
}

#define CHECK_MATCHES(text, want) check_matches(__LINE__, text, want)

/* Repositories sort onnx/tensorflow-onnx (20-24), other/thing (30-32), pytorch/pytorch. */

static void test_bare_words(void)
{
	/* Titles, ignoring case: "Keras LSTM fails" is onnx/tensorflow-onnx#21. */
	CHECK_MATCHES("lstm", "21");
	CHECK_MATCHES("Keras LSTM", "21");
	CHECK_MATCHES("repo:onnx/tensorflow-onnx lstm", "21");
	CHECK_MATCHES("repo:pytorch/pytorch lstm", "");
	/* Bodies: "Conv2D with groups=2" is #20's body, not its title. */
	CHECK_MATCHES("conv2d", "20");
	/* Whole words only: "exporter" (#31's title) is not "export"... */
	CHECK_MATCHES("exporter", "31");
	CHECK_MATCHES("expo", "");
	/* ...and "export()" in #31's body, "Export of torch.max", "Fix max export" are. */
	CHECK_MATCHES("export", "31 1 13");
	/* Punctuation is literal, never a pattern. */
	CHECK_MATCHES("torch.max", "1");
	CHECK_MATCHES("torch.ma", "");
	CHECK_MATCHES("torch?max", "");
	CHECK_MATCHES("groups=2", "20");
	/* Comments are not searched (text:/RE/ does that): "works now" is #6's comment. */
	CHECK_MATCHES("works", "");
	CHECK_MATCHES("text:/works/", "6");
	/* Negated, ORed, grouped like any term. */
	CHECK_MATCHES("repo:onnx/tensorflow-onnx -lstm is:closed -label:question", "20 23 24");
	CHECK_MATCHES("lstm OR conv2d", "20 21");
	CHECK_MATCHES("NOT (lstm OR export) repo:other/thing", "30 32");
	/* Lower-case operators are refused rather than searched for silently. */
	CHECK_MATCHES("lstm or conv2d",
	              "(error: line 1, column 6: 'or' searches for the word; write OR for the "
	              "operator, or \"or\" for the word)");
	/* Unknown KEY: terms stay errors, with a hint to quote. */
	char *unknown = numbers("colour:red");
	CHECK(strstr(unknown, "quote text with a ':'"));
	free(unknown);
}

static void test_phrases(void)
{
	CHECK_MATCHES("\"lstm fails\"", "21");
	CHECK_MATCHES("\"fails lstm\"", "");
	CHECK_MATCHES("\"keras  lstm\tfails\"", "21"); /* any white space between words */
	CHECK_MATCHES("repo:pytorch/pytorch \"export of\" fails", "1");
	CHECK_MATCHES("\"or\"", "");
	CHECK_MATCHES("\"Segmentation fault when\"", "31");
	CHECK_MATCHES("\"\"", "(error: line 1, column 1: expected words inside the quotes)");
	CHECK_MATCHES("\"  \"", "(error: line 1, column 1: expected words inside the quotes)");
	CHECK_MATCHES("\"lstm", "(error: line 1, column 1: unterminated quoted string (expected a "
	                        "closing '\"'))");
	CHECK_MATCHES("lstm(x)", "(error: line 1, column 5: expected white space before '(' "
	                         "(quote words that hold one))");
	CHECK_MATCHES("\"export()\"", "31");
}

/* OR chains of like terms compile to one IN list with the same meaning. */
static void test_or_chains_merge(void)
{
	struct query *q;
	struct error err;
	CHECK_INT(
	        query_parse("label:bug OR label:docs OR label:question OR is:open", &q, NULL, &err),
	        0);
	const char *where = query_where(q, NULL, NULL);
	CHECK(strstr(where, "l.name IN (?1, ?2, ?3)") != NULL);
	CHECK(strstr(strstr(where, "EXISTS") + 1, "EXISTS") == NULL); /* one probe */
	query_free(q);
	CHECK_INT(query_parse("repo:a/b OR label:x OR repo:c/d", &q, NULL, &err), 0);
	where = query_where(q, NULL, NULL);
	CHECK(strstr(where, "r.full_name IN (?1, ?3)") != NULL);
	CHECK(strstr(where, "l.name = ?2") != NULL);
	query_free(q);
	/* Negated, grouped or ANDed terms are other shapes: they stay as they are. */
	CHECK_INT(query_parse("-label:a OR (label:b) OR label:c is:open", &q, NULL, &err), 0);
	CHECK(strstr(query_where(q, NULL, NULL), " IN (") == NULL);
	query_free(q);
	/* The same issues as the unmerged form (groups are never merged). */
	CHECK_MATCHES("label:bug OR label:docs OR label:question", "21 22 31 32 15");
	CHECK_MATCHES("(label:bug) OR (label:docs) OR (label:question)", "21 22 31 32 15");
	CHECK_MATCHES("author:ALICE OR author:Erin",
	              "20 21 22 23 24 30 31 1 4 6 7 8 9 10 11 12 14 15");
	CHECK_MATCHES("(author:ALICE) OR (author:Erin)",
	              "20 21 22 23 24 30 31 1 4 6 7 8 9 10 11 12 14 15");
	CHECK_MATCHES("repo:other/thing OR repo:onnx/tensorflow-onnx OR label:\"module: jit\"",
	              "20 21 22 23 24 30 31 32 12");
	CHECK_MATCHES("is:open (label:docs OR label:x OR label:y)", "32");
	/* Past 16 labels, one lookup for all issues instead of a probe per issue. */
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "label:bug OR label:docs OR label:question");
	for (int i = 0; i < 20; i++)
		strbuf_addf(&sb, " OR label:x%d", i);
	CHECK_INT(query_parse(sb.buf, &q, NULL, &err), 0);
	CHECK(strstr(query_where(q, NULL, NULL), "i.id IN (SELECT l.issue_id FROM labels l WHERE "
	                                         "l.name IN (?1, ?2, ?3, ?4,") != NULL);
	query_free(q);
	CHECK_MATCHES(sb.buf, "21 22 31 32 15");
	strbuf_adds(&sb, " OR label:\"MODULE: ONNX\""); /* labels compare ignoring case */
	CHECK_MATCHES(sb.buf, "21 22 31 32 1 2 3 4 5 6 7 8 9 10 11 13 14 15");
	strbuf_release(&sb);
	CHECK_MATCHES("-(label:docs OR label:bug) repo:other/thing", "30");
}

/*
 * Ten thousand ORed labels: one IN list, so it compiles and runs at all
 * (bench/filter/orchain.sh measures how fast, against the old shape).
 */
static void test_ten_thousand_terms(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "label:docs");
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, " OR label:x%d", i);
	CHECK_MATCHES(sb.buf, "32");
	strbuf_reset(&sb);
	strbuf_adds(&sb, "repo:other/thing");
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, " OR repo:o/r%d", i);
	CHECK_MATCHES(sb.buf, "30 31 32");
	strbuf_release(&sb);
}

int main(void)
{
	open_corpus();
	TEST(test_bare_words);
	TEST(test_phrases);
	TEST(test_or_chains_merge);
	TEST(test_ten_thousand_terms);
	store_close(corpus);
	return test_done();
}
