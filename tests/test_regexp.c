/*
 * test_regexp.c - regexp() on real-sized bodies: long Python tracebacks with
 * the patterns researchers write for them ((.|\n)*, (\w|\s)+), on the JIT
 * path and on the interpreter (ISSUEMINE_NO_JIT, as the valgrind run uses),
 * and the errors a match that cannot finish gives, naming the issue.
 */
#include "test.h"

#include "import.h"
#include "query.h"
#include "strbuf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static struct store *db;

/* A Python traceback of about size bytes ending in "RuntimeError: ...". */
static void traceback(struct strbuf *sb, size_t size)
{
	static const char *const frames[] = {
	        "  File \"/home/user/project/export.py\", line 42, in <module>\n"
	        "    torch.onnx.export(model, dummy, \"model.onnx\", opset_version=13)\n",
	        "  File \"/usr/lib/python3/dist-packages/torch/onnx/utils.py\", line 504, in "
	        "export\n    _export(model, args, f, export_params, verbose, training,\n",
	        "  File \"/usr/lib/python3/dist-packages/torch/onnx/utils.py\", line 1529, in "
	        "_export\n    graph, params_dict, torch_out = _model_to_graph(\n",
	        "  File \"/usr/lib/python3/dist-packages/torch/onnx/symbolic_helper.py\", line "
	        "306, in wrapper\n    return fn(g, *args, **kwargs)  # type: ignore[arg-type]\n",
	};
	strbuf_adds(sb, "When I export my model, the export fails:\n\n```\n"
	                "Traceback (most recent call last):\n");
	for (size_t i = 0; sb->len < size; i++)
		strbuf_adds(sb, frames[i % 4]);
	strbuf_adds(sb, "RuntimeError: Exporting the operator 'aten::unflatten' to ONNX opset "
	                "version 13 is not supported.\n```\n");
}

/* Adds issue o/r#number with body to the dump array. */
static void add_issue(json_t *dump, int number, const char *body)
{
	char url[128], html[128];
	snprintf(url, sizeof(url), "https://api.github.com/repos/o/r/issues/%d", number);
	snprintf(html, sizeof(html), "https://github.com/o/r/issues/%d", number);
	json_array_append_new(
	        dump, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:[]}", "url", url,
	                        "repository_url", "https://api.github.com/repos/o/r", "html_url",
	                        html, "number", number, "title", "Export fails", "state", "closed",
	                        "created_at", "2021-01-01T00:00:00Z", "updated_at",
	                        "2021-01-02T00:00:00Z", "body", body, "labels"));
}

static void open_db(void)
{
	char *dir = test_tmpdir(), *path = test_path(dir, "r.db"), *dump = test_path(dir, "d.json");
	json_t *issues = json_array();
	struct strbuf body = STRBUF_INIT;
	/*
	 * 1: the 2.9 KB traceback of the report; 2: 60 KB; 3: GitHub's longest
	 * body; 6 (below): 600 KB, past what the JIT's stack holds, so the
	 * interpreter takes over.
	 */
	const size_t sizes[] = {2900, 60000, 65000};
	for (int i = 0; i < 3; i++) {
		strbuf_reset(&body);
		traceback(&body, sizes[i]);
		add_issue(issues, i + 1, body.buf);
	}
	/* 4: 2,000 characters of words and spaces, no Z in them. */
	strbuf_reset(&body);
	while (body.len < 2000)
		strbuf_adds(&body, "shape inference fails ");
	add_issue(issues, 4, body.buf);
	/* 5: what makes (a+)+$ backtrack beyond any limit. */
	add_issue(issues, 5, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac");
	strbuf_reset(&body);
	traceback(&body, 600 * 1000);
	add_issue(issues, 6, body.buf);
	strbuf_release(&body);
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	if (json_dump_file(issues, dump, 0) || store_open(path, STORE_READWRITE, &db, &err) ||
	    import_file(db, dump, &io, &counts, &err)) {
		fprintf(stderr, "cannot build the database: %s\n", err.msg);
		exit(1);
	}
	json_decref(issues);
	free(dir);
	free(path);
	free(dump);
}

/* The numbers of the issues text matches, or the error message after "error: ". */
static char *run(const char *text)
{
	struct query *q;
	struct error err;
	struct strbuf sb = STRBUF_INIT;
	if (query_parse(text, &q, NULL, &err)) {
		strbuf_addf(&sb, "parse error: %s", err.msg);
		return strbuf_detach(&sb, NULL);
	}
	sqlite3_stmt *st;
	if (query_prepare(db, q, "i.number", "ORDER BY i.number", &st, NULL, &err)) {
		query_free(q);
		strbuf_addf(&sb, "error: %s", err.msg);
		return strbuf_detach(&sb, NULL);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strbuf_addf(&sb, "%s%lld", sb.len ? " " : "",
		            (long long)sqlite3_column_int64(st, 0));
	if (rc != SQLITE_DONE) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "error: %s", sqlite3_errmsg(db->db));
	}
	sqlite3_finalize(st);
	query_free(q);
	return strbuf_detach(&sb, NULL);
}

#define CHECK_RUN(text, want)                                                                      \
	do {                                                                                       \
		char *got_ = run(text);                                                            \
		if (strcmp(got_, want))                                                            \
			test_fail(__FILE__, __LINE__, "'%s' gives \"%s\", expected \"%s\"", text,  \
			          got_, want);                                                     \
		free(got_);                                                                        \
	} while (0)

/* The patterns of the report, on every body size. */
static void long_bodies(void)
{
	CHECK_RUN("body:/Traceback(.|\\n)*RuntimeError/", "1 2 3 6");
	CHECK_RUN("body:/(.|\\n)*aten::unflatten/", "1 2 3 6");
	CHECK_RUN("body:/(\\w|\\s)+Z/", "");
	CHECK_RUN("body:/(.|\\n)*Z/", "");
	CHECK_RUN("text:/Traceback(.|\\n)*not supported/i", "1 2 3 6");
	CHECK_RUN("body:/Traceback(.|\\n)*RuntimeError/ OR body:/(\\w|\\s)+fails\\s*$/",
	          "1 2 3 4 6");
}

static void test_jit(void)
{
	unsetenv("ISSUEMINE_NO_JIT");
	long_bodies();
}

static void test_interpreter(void)
{
	setenv("ISSUEMINE_NO_JIT", "1", 1);
	long_bodies();
	unsetenv("ISSUEMINE_NO_JIT");
}

/* A match PCRE2 gives up on fails the query with a message naming the pattern and the issue. */
static void test_limit_names_the_issue(void)
{
	for (int jit = 0; jit < 2; jit++) {
		if (jit)
			unsetenv("ISSUEMINE_NO_JIT");
		else
			setenv("ISSUEMINE_NO_JIT", "1", 1);
		char *got = run("body:/(a+)+$/");
		CHECK(strstr(got, "regexp /(a+)+$/ on o/r#5: match limit exceeded") != NULL);
		CHECK(strchr(got, '\n') == NULL);
		if (!strstr(got, "o/r#5"))
			test_fail(__FILE__, __LINE__, "got \"%s\"", got);
		free(got);
	}
	unsetenv("ISSUEMINE_NO_JIT");
}

int main(void)
{
	open_db();
	TEST(test_jit);
	TEST(test_interpreter);
	TEST(test_limit_names_the_issue);
	store_close(db);
	return test_done();
}
