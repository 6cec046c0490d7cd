/*
 * test_rules.c - a taxonomy's suggestion rules: every validation error, the
 * canonical form and versions, storing and reading back, the suggestion
 * algorithm (first rule per file, most files, ties, "all", renames), the
 * changed paths of an issue's fixes, and measuring rules against a rater.
 */
#include "test.h"
#include "teststore.h"

#include "codes.h"
#include "schema.h"
#include "sets.h"
#include "store.h"
#include "store_fixes.h"
#include "strbuf.h"
#include "tax_suggest.h"
#include "tax_rules.h"
#include "tax_version.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

/* A small taxonomy with rules; tests edit it with string replacement. */
static const char good[] =
        "{\"name\": \"mini\", \"dimensions\": ["
        " {\"key\": \"location\", \"name\": \"Location\", \"categories\": ["
        "   {\"key\": \"node\", \"name\": \"Node Conversion\"},"
        "   {\"key\": \"opt\", \"name\": \"Optimization\"},"
        "   {\"key\": \"load\", \"name\": \"Load Model\"}]},"
        " {\"key\": \"cause\", \"name\": \"Cause\", \"subcategory\": \"optional\", \"categories\": "
        "["
        "   {\"key\": \"incompat\", \"name\": \"Incompatibility\", \"subcategories\": ["
        "     {\"key\": \"external\", \"name\": \"External\"}]},"
        "   {\"key\": \"testing\", \"name\": \"Testing\"}]}],"
        " \"rules\": ["
        "  {\"dimension\": \"location\", \"category\": \"node\", \"source\": \"opsets\","
        "   \"paths\": [\"torch/onnx/symbolic_opset*.py\", \"tf2onnx/onnx_opset/\"]},"
        "  {\"dimension\": \"location\", \"category\": \"opt\","
        "   \"paths\": [\"tf2onnx/optimizer/**\", \"torch/csrc/jit/passes/onnx/peephole.*\"]},"
        "  {\"dimension\": \"location\", \"category\": \"node\","
        "   \"paths\": [\"torch/onnx/symbolic_helper.py\"]},"
        "  {\"dimension\": \"Cause\", \"category\": \"Testing\", \"all\": true,"
        "   \"paths\": [\"test/\", \"tests/\"]}]}";

static char *edit(const char *from, const char *to)
{
	return test_replace(good, from, to);
}

static void expect_error(int line, const char *from, const char *to, const char *want)
{
	char *text = edit(from, to);
	struct taxonomy *t = NULL;
	struct error err = {{0}};
	if (!tax_parse(text, strlen(text), "t.json", &t, &err)) {
		test_fail(__FILE__, line, "'%s' -> '%s' was accepted", from, to);
		tax_free(t);
	} else if (!strstr(err.msg, want)) {
		test_fail(__FILE__, line, "error '%s' lacks '%s'", err.msg, want);
	}
	free(text);
}

#define EXPECT_ERROR(from, to, want) expect_error(__LINE__, from, to, want)

static struct taxonomy *parse_good(void)
{
	struct taxonomy *t = NULL;
	struct error err;
	if (tax_parse(good, strlen(good), "t.json", &t, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	return t;
}

static void test_parses_rules(void)
{
	struct taxonomy *t = parse_good();
	if (!t)
		return;
	CHECK_INT(t->nrules, 4);
	CHECK_STR(t->rules[0].dim->key, "location");
	CHECK_STR(t->rules[0].cat->key, "node");
	CHECK_INT(t->rules[0].npaths, 2);
	CHECK_STR(t->rules[0].source, "opsets");
	CHECK_STR(t->rules[3].dim->key, "cause"); /* names resolve to keys */
	CHECK_INT(t->rules[3].all, 1);
	size_t which = 9;
	CHECK(tax_rule_matches(&t->rules[0], "torch/onnx/symbolic_opset9.py", &which));
	CHECK_INT(which, 0);
	CHECK(tax_rule_matches(&t->rules[0], "tf2onnx/onnx_opset/nn.py", &which));
	CHECK_INT(which, 1);
	CHECK(!tax_rule_matches(&t->rules[0], "torch/onnx/symbolic_opset9.pyc", NULL));
	CHECK(!tax_rule_matches(&t->rules[0], "x/torch/onnx/symbolic_opset9.py", NULL));
	CHECK(!tax_rule_matches(&t->rules[0], NULL, NULL));
	CHECK(tax_rule_matches(&t->rules[1], "tf2onnx/optimizer/a/b.py", NULL));
	tax_free(t);
	/* A taxonomy without rules has none, and its canonical text no "rules". */
	char *plain = strdup(good);
	strcpy(strstr(plain, ", \"rules\""), "}");
	struct error err;
	CHECK_INT(tax_parse(plain, strlen(plain), "t.json", &t, &err), 0);
	CHECK_INT(t->nrules, 0);
	char *canon = tax_canonical(t);
	CHECK(strstr(canon, "rules") == NULL);
	free(canon);
	tax_free(t);
	free(plain);
}

static void test_rule_errors(void)
{
	char *bad = strdup(good);
	strcpy(strstr(bad, ", \"rules\""), ", \"rules\": {\"a\": 1}}");
	struct taxonomy *t;
	struct error err;
	CHECK_INT(tax_parse(bad, strlen(bad), "t.json", &t, &err), -1);
	CHECK_STR(err.msg, "t.json: rules: not an array");
	free(bad);
	EXPECT_ERROR("{\"dimension\": \"location\", \"category\": \"node\", \"source\"",
	             "7, {\"x\"", "rules[0]: not an object");
	EXPECT_ERROR("\"dimension\": \"location\", \"category\": \"node\", \"source\"",
	             "\"dimension\": \"where\", \"category\": \"node\", \"source\"",
	             "t.json: rules[0].dimension: no dimension 'where' (valid: location, cause)");
	EXPECT_ERROR("\"category\": \"opt\"", "\"category\": \"fusion\"",
	             "t.json: rules[1].category: location: no category 'fusion' (valid: node, opt, "
	             "load)");
	EXPECT_ERROR("\"category\": \"Testing\"",
	             "\"category\": \"Testing\", \"subcategory\": \"x\"",
	             "rules[3].subcategory: cause: testing has no sub-category 'x' (valid: none)");
	EXPECT_ERROR("\"category\": \"opt\"", "\"category\": \"opt\", \"subcategory\": \"x\"",
	             "rules[1].subcategory: location: opt has no sub-category 'x'");
	EXPECT_ERROR("\"category\": \"opt\",", "", "rules[1].category: missing");
	EXPECT_ERROR("\"dimension\": \"Cause\", ", "", "rules[3].dimension: missing");
	EXPECT_ERROR("\"all\": true", "\"all\": \"yes\"", "rules[3].all: not true or false");
	EXPECT_ERROR("\"source\": \"opsets\"", "\"source\": 3", "rules[0].source: not a non-empty");
	EXPECT_ERROR("\"source\": \"opsets\"", "\"why\": \"opsets\"",
	             "rules[0].why: unknown field");
	EXPECT_ERROR("\"paths\": [\"test/\", \"tests/\"]", "\"paths\": []",
	             "rules[3].paths: not a non-empty list of globs");
	EXPECT_ERROR(",   \"paths\": [\"test/\", \"tests/\"]", "", "rules[3].paths: missing");
	EXPECT_ERROR("\"tests/\"", "7", "rules[3].paths[1]: not a non-empty string");
	EXPECT_ERROR("\"tests/\"", "\"tests/[a-\"",
	             "t.json: rules[3].paths[1]: bad glob 'tests/[a-': expected ']' to close this "
	             "'[' of the glob (at byte 6)");
	EXPECT_ERROR("\"tests/\"", "\"tests/\\\\\"",
	             "a '\\' at the end of the glob quotes nothing");
	EXPECT_ERROR("\"tests/\"", "\"tests/[z-a]\"", "a range of the glob ends before it starts");
	EXPECT_ERROR("\"torch/onnx/symbolic_helper.py\"", "\"tf2onnx/onnx_opset/\"",
	             "rules[2].paths[0]: 'tf2onnx/onnx_opset/' is already a path of rules[0]");
	/* The same glob in another dimension is another rule. */
	char *text = edit("\"tests/\"", "\"tf2onnx/onnx_opset/\"");
	CHECK_INT(tax_parse(text, strlen(text), "t.json", &t, &err), 0);
	tax_free(t);
	free(text);
	/* A required sub-category: a rule without one could never be saved. */
	text = edit("\"subcategory\": \"optional\"", "\"subcategory\": \"required\"");
	char *more = strdup(text);
	free(text);
	const char *from = "\"category\": \"Testing\"";
	char *at = strstr(more, from);
	size_t len = strlen(more) + 64;
	text = malloc(len);
	snprintf(text, len, "%.*s\"category\": \"incompat\"%s", (int)(at - more), more,
	         at + strlen(from));
	CHECK_INT(tax_parse(text, strlen(text), "t.json", &t, &err), -1);
	CHECK(strstr(err.msg, "rules[3]: cause: incompat needs a sub-category") != NULL);
	free(text);
	free(more);
}

static void test_canonical_and_diff(void)
{
	struct taxonomy *a = parse_good();
	char *text = tax_canonical(a);
	CHECK(strstr(text, "\"rules\":[{\"category\":\"node\",\"dimension\":\"location\"") != NULL);
	CHECK(strstr(text, "\"dimension\":\"cause\"") != NULL);
	/* The canonical text reads back to the same taxonomy. */
	struct taxonomy *back;
	struct error err;
	CHECK_INT(tax_parse(text, strlen(text), "canonical", &back, &err), 0);
	char *again = tax_canonical(back);
	CHECK_STR(again, text);
	free(again);
	tax_free(back);
	free(text);
	/* Added, removed, source changed, reordered. */
	char *edited = edit("\"source\": \"opsets\"", "\"source\": \"the opsets\"");
	struct taxonomy *b;
	CHECK_INT(tax_parse(edited, strlen(edited), "t.json", &b, &err), 0);
	json_t *d = tax_diff(a, b);
	CHECK_INT(json_array_size(d), 1);
	struct strbuf sb = STRBUF_INIT;
	tax_change_describe(json_array_get(d, 0), &sb);
	CHECK_STR(sb.buf, "location: rule source changed: torch/onnx/symbolic_opset*.py, "
	                  "tf2onnx/onnx_opset/ \u2192 node");
	json_decref(d);
	tax_free(b);
	free(edited);
	edited = edit("\"tests/\"]", "\"tests/\", \"testing/\"]");
	CHECK_INT(tax_parse(edited, strlen(edited), "t.json", &b, &err), 0);
	d = tax_diff(a, b);
	CHECK_INT(json_array_size(d), 2);
	strbuf_reset(&sb);
	tax_change_describe(json_array_get(d, 0), &sb);
	CHECK_STR(sb.buf, "cause: rule added: test/, tests/, testing/ \u2192 testing (when every "
	                  "file does)");
	strbuf_reset(&sb);
	tax_change_describe(json_array_get(d, 1), &sb);
	CHECK_STR(sb.buf,
	          "cause: rule removed: test/, tests/ \u2192 testing (when every file does)");
	json_decref(d);
	tax_free(b);
	free(edited);
	/* The two location rules of node swap places with opt: reordered. */
	const char *first = "  {\"dimension\": \"location\", \"category\": \"opt\","
	                    "   \"paths\": [\"tf2onnx/optimizer/**\", "
	                    "\"torch/csrc/jit/passes/onnx/peephole.*\"]},";
	char *without = edit(first, "");
	char *swapped = malloc(strlen(good) + 1);
	const char *rules = strstr(without, "\"rules\": [") + strlen("\"rules\": [");
	snprintf(swapped, strlen(good) + 1, "%.*s%s%s", (int)(rules - without), without, first,
	         rules);
	CHECK_INT(tax_parse(swapped, strlen(swapped), "t.json", &b, &err), 0);
	d = tax_diff(a, b);
	CHECK_INT(json_array_size(d), 1);
	strbuf_reset(&sb);
	tax_change_describe(json_array_get(d, 0), &sb);
	CHECK_STR(sb.buf, "location: rules reordered (the first that matches a file decides)");
	json_decref(d);
	tax_free(b);
	free(without);
	free(swapped);
	strbuf_release(&sb);
	tax_free(a);
}

/* Files for suggest_dimension: "path" or "path<-previous". */
static struct suggest_files files_of(int resolved, const char *const *paths, size_t n)
{
	struct suggest_files f = {resolved, calloc(n + 1, sizeof(struct suggest_file)), n, n};
	for (size_t i = 0; i < n; i++) {
		const char *arrow = strstr(paths[i], "<-");
		f.files[i].path =
		        arrow ? strndup(paths[i], (size_t)(arrow - paths[i])) : strdup(paths[i]);
		f.files[i].previous = arrow ? strdup(arrow + 2) : NULL;
	}
	return f;
}

static void check_suggestion(int line, const struct taxonomy *t, const char *dim,
                             const char *const *paths, size_t n, const char *cat, const char *why)
{
	struct suggest_files f = files_of(1, paths, n);
	struct suggestion sg;
	suggest_dimension(t, tax_find_dimension(t, dim), &f, &sg);
	if (cat && (sg.state != SUGGEST_SUGGESTED || strcmp(sg.cat->key, cat)))
		test_fail(__FILE__, line, "expected %s, got state %d (%s)", cat, sg.state, sg.why);
	if (!cat && sg.state == SUGGEST_SUGGESTED)
		test_fail(__FILE__, line, "expected no suggestion, got %s", sg.cat->key);
	if (strcmp(sg.why, why))
		test_fail(__FILE__, line, "why: '%s', expected '%s'", sg.why, why);
	suggest_files_release(&f);
}

#define SUGGESTS(dim, paths, cat, why)                                                             \
	check_suggestion(__LINE__, t, dim, paths, sizeof(paths) / sizeof(paths[0]), cat, why)

static void test_suggestions(void)
{
	struct taxonomy *t = parse_good();
	if (!t)
		return;
	static const char *const three_of_four[] = {
	        "torch/onnx/symbolic_opset9.py", "torch/onnx/symbolic_opset11.py",
	        "torch/onnx/symbolic_opset13.py", "test/onnx/test_ops.py"};
	SUGGESTS("location", three_of_four, "node",
	         "3 of 4 changed files match torch/onnx/symbolic_opset*.py");
	SUGGESTS("cause", three_of_four, NULL, "no rule of Cause matches the 4 changed files");
	/* Most files win; the globs are named by how many files each matched. */
	static const char *const mixed[] = {"tf2onnx/optimizer/a.py", "tf2onnx/optimizer/b.py",
	                                    "torch/onnx/symbolic_helper.py", "README.md"};
	SUGGESTS("location", mixed, "opt", "2 of 4 changed files match tf2onnx/optimizer/**");
	/* Two rules of one category add up; a tie goes to the rule that comes first. */
	static const char *const tie[] = {"tf2onnx/optimizer/a.py", "torch/onnx/symbolic_helper.py",
	                                  "torch/onnx/symbolic_opset9.py",
	                                  "torch/csrc/jit/passes/onnx/peephole.cpp"};
	SUGGESTS("location", tie, "node",
	         "2 of 4 changed files match torch/onnx/symbolic_opset*.py, "
	         "torch/onnx/symbolic_helper.py");
	static const char *const even[] = {"tf2onnx/optimizer/a.py", "tf2onnx/onnx_opset/nn.py"};
	SUGGESTS("location", even, "node", "1 of 2 changed files match tf2onnx/onnx_opset/");
	/* "all": only when every file matches. */
	static const char *const tests_only[] = {"test/onnx/a.py", "tests/b.py"};
	SUGGESTS("cause", tests_only, "testing", "all 2 changed files match test/, tests/");
	static const char *const one[] = {"tests/b.py"};
	SUGGESTS("cause", one, "testing", "the one changed file matches test/, tests/");
	/* A renamed file counts under its old path too. */
	static const char *const renamed[] = {
	        "torch/onnx/opset9.py<-torch/onnx/symbolic_opset9.py"};
	SUGGESTS("location", renamed, "node",
	         "the one changed file matches torch/onnx/symbolic_opset*.py");
	/* The glob list stops at two. */
	struct taxonomy *t2;
	struct error err;
	char *text = edit("\"paths\": [\"torch/onnx/symbolic_helper.py\"]",
	                  "\"paths\": [\"a/\", \"b/\", \"c/\", \"d/\"]");
	CHECK_INT(tax_parse(text, strlen(text), "t.json", &t2, &err), 0);
	static const char *const many[] = {"a/1", "a/2", "b/1", "c/1", "d/1"};
	struct suggest_files f = files_of(1, many, 5);
	struct suggestion sg;
	suggest_dimension(t2, tax_find_dimension(t2, "location"), &f, &sg);
	CHECK_STR(sg.why, "all 5 changed files match a/, b/ and 2 other globs");
	suggest_files_release(&f);
	/* No fix data, no files, no rules. */
	f = files_of(0, many, 0);
	suggest_dimension(t2, tax_find_dimension(t2, "location"), &f, &sg);
	CHECK_INT(sg.state, SUGGEST_NO_DATA);
	CHECK_STR(sg.why, "no fix data (see 'issuemine fixes fetch')");
	f.resolved = 1;
	suggest_dimension(t2, tax_find_dimension(t2, "location"), &f, &sg);
	CHECK_INT(sg.state, SUGGEST_NO_FILES);
	suggest_files_release(&f);
	tax_free(t2);
	free(text);
	text = strdup(good);
	strcpy(strstr(text, ",  {\"dimension\": \"Cause\""), "]}");
	CHECK_INT(tax_parse(text, strlen(text), "t.json", &t2, &err), 0);
	f = files_of(1, many, 1);
	suggest_dimension(t2, tax_find_dimension(t2, "cause"), &f, &sg);
	CHECK_INT(sg.state, SUGGEST_NO_RULES);
	CHECK(!suggest_has_rules(t2, tax_find_dimension(t2, "cause")));
	suggest_files_release(&f);
	tax_free(t2);
	free(text);
	tax_free(t);
}

/* --- with a database --- */

static struct store *open_fresh(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "t.db");
	struct store *s = NULL;
	struct error err;
	if (store_open(path, STORE_READWRITE, &s, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	free(path);
	free(dir);
	return s;
}

static struct taxonomy *store_good(struct store *s, const char *text, int *changed)
{
	struct taxonomy *t;
	struct error err;
	if (tax_parse(text, strlen(text), "t.json", &t, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	CHECK_INT(store_begin(s, &err), 0);
	if (tax_store(s, t, changed, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	CHECK_INT(store_commit(s, &err), 0);
	tax_free(t);
	struct taxonomy *back = NULL;
	if (tax_read(s, "mini", &back, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	return back;
}

static void test_store_and_versions(void)
{
	struct store *s = open_fresh();
	int changed;
	struct taxonomy *t = store_good(s, good, &changed);
	if (!t)
		return;
	CHECK_INT(t->nrules, 4);
	CHECK(t->rules[0].dim->id > 0 && t->rules[0].cat->id > 0);
	CHECK(tax_rule_matches(&t->rules[1], "tf2onnx/optimizer/x.py", NULL));
	CHECK_INT(t->rules[3].all, 1);
	CHECK_STR(t->rules[0].source, "opsets");
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM taxonomy_rules"), 4);
	/* What is read back is what was stored: the same canonical text, no new version. */
	char *canon = tax_canonical(t);
	struct taxonomy *file;
	struct error err;
	CHECK_INT(tax_parse(good, strlen(good), "t.json", &file, &err), 0);
	char *from_file = tax_canonical(file);
	CHECK_STR(canon, from_file);
	free(canon);
	free(from_file);
	tax_free(file);
	tax_free(t);
	t = store_good(s, good, &changed);
	CHECK_INT(changed, 0);
	CHECK_INT(t->version, 1);
	tax_free(t);
	/* A rule changed: a new version, with the change. */
	char *edited = edit("\"tests/\"]", "\"tests/\", \"testing/\"]");
	t = store_good(s, edited, &changed);
	CHECK_INT(changed, 1);
	CHECK_INT(t->version, 2);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM taxonomy_rules"), 4);
	CHECK_INT(test_query_int(s,
	                         "SELECT json_array_length(changes) FROM taxonomy_versions WHERE "
	                         "version = 2"),
	          2);
	CHECK_INT(test_query_int(s,
	                         "SELECT count(*) FROM taxonomy_versions v, json_each(v.changes) c "
	                         "WHERE json_extract(c.value, '$.change') = 'rule-added'"),
	          1);
	tax_free(t);
	free(edited);
	/* Removing the category a rule points at, with the rule: allowed (no codes). */
	edited = edit("  {\"dimension\": \"location\", \"category\": \"opt\","
	              "   \"paths\": [\"tf2onnx/optimizer/**\", "
	              "\"torch/csrc/jit/passes/onnx/peephole.*\"]},",
	              "");
	char *no_opt = strdup(edited);
	free(edited);
	const char *cat = "   {\"key\": \"opt\", \"name\": \"Optimization\"},";
	char *at = strstr(no_opt, cat);
	memmove(at, at + strlen(cat), strlen(at + strlen(cat)) + 1);
	t = store_good(s, no_opt, &changed);
	CHECK_INT(changed, 1);
	CHECK_INT(t->nrules, 3);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM categories WHERE key = 'opt'"), 0);
	tax_free(t);
	free(no_opt);
	store_close(s);
}

static struct fix_key commit_key(const char *repo, const char *sha)
{
	struct fix_key k = {FIX_COMMIT, "", 0, ""};
	snprintf(k.repo, sizeof(k.repo), "%s", repo);
	snprintf(k.sha, sizeof(k.sha), "%s", sha);
	return k;
}

/* Stores a fix (commit) of issue with the given files and links it with role. */
static int64_t put_fix(struct store *s, const char *sha, const char *const *paths, size_t n)
{
	struct fix_key key = commit_key("o/r", sha);
	struct fix_change c;
	struct error err;
	fix_change_init(&c, &key);
	c.api = "rest";
	for (size_t i = 0; i < n; i++) {
		struct fix_file f = {(char *)paths[i],
		                     NULL,
		                     (char *)"modified",
		                     (char *)"@@ -1 +1 @@\n-a\n+b",
		                     1,
		                     1};
		fix_change_add_file(&c, &f);
	}
	int64_t id, run;
	CHECK_INT(store_fix_next_run(s, &run, &err), 0);
	CHECK_INT(store_fix_put(s, &c, run, &id, &err), 0);
	fix_change_release(&c);
	return id;
}

static int64_t add_issue(struct store *s, int64_t number)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO issues (repo_id, number, stored_at) VALUES (1, %lld, "
	         "'2020-01-01T00:00:00Z')",
	         (long long)number);
	struct error err;
	CHECK_INT(store_exec(s, sql, &err), 0);
	return sqlite3_last_insert_rowid(s->db);
}

static void code_as(struct store *s, const struct taxonomy *t, int64_t set, int64_t issue,
                    int64_t rater, const char *dim, const char *cat, const char *origin)
{
	struct tax_code code;
	struct error err;
	CHECK_INT(tax_resolve(t, dim, cat, NULL, &code, &err), 0);
	CHECK_INT(code_set(s, set, issue, rater, &code, origin, &err), 0);
}

static void test_paths_and_evaluation(void)
{
	struct store *s = open_fresh();
	int changed;
	struct taxonomy *t = store_good(s, good, &changed);
	struct error err;
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_exec(s,
	                     "INSERT INTO repositories (owner, name, full_name) VALUES ('o', 'r', "
	                     "'o/r')",
	                     &err),
	          0);
	int64_t issues[5];
	for (int i = 0; i < 5; i++)
		issues[i] = add_issue(s, i + 1);
	static const char *const node[] = {"torch/onnx/symbolic_opset9.py", "test/onnx/t.py"};
	static const char *const opt[] = {"tf2onnx/optimizer/a.py"};
	static const char *const tests[] = {"tests/a.py"};
	/* 1: a fix and its merge commit name the same file twice; a linked change is ignored */
	int64_t a = put_fix(s, "1111111111111111111111111111111111111111", node, 2);
	int64_t b = put_fix(s, "2222222222222222222222222222222222222222", node, 1);
	int64_t c = put_fix(s, "3333333333333333333333333333333333333333", opt, 1);
	struct fix_link l1[] = {
	        {a, "fix", "closed"}, {b, "fix", "merged-from"}, {c, "linked", "referenced"}};
	CHECK_INT(store_fix_link_issue(s, issues[0], "rest", l1, 3, 0, &err), 0);
	/* 2: optimizer; 3: tests only; 4: resolved, no fix; 5: never fetched */
	int64_t d = put_fix(s, "4444444444444444444444444444444444444444", opt, 1);
	struct fix_link l2[] = {{d, "fix", "closed"}};
	CHECK_INT(store_fix_link_issue(s, issues[1], "rest", l2, 1, 0, &err), 0);
	int64_t e = put_fix(s, "5555555555555555555555555555555555555555", tests, 1);
	struct fix_link l3[] = {{e, "fix", "closed"}};
	CHECK_INT(store_fix_link_issue(s, issues[2], "rest", l3, 1, 0, &err), 0);
	CHECK_INT(store_fix_link_issue(s, issues[3], "rest", NULL, 0, 1, &err), 0);
	int64_t set, alice, bob;
	CHECK_INT(set_create(s, "study", "manual", NULL, 0, 0, 0, &set, &err), 0);
	for (int i = 0; i < 5; i++)
		CHECK_INT(set_add_member(s, set, issues[i], &err), 0);
	CHECK_INT(rater_id(s, "alice", 1, &alice, &err), 0);
	CHECK_INT(rater_id(s, "bob", 1, &bob, &err), 0);
	/* alice: #1 node (accepted), #2 node (disagrees), #3 testing, #4 load; bob excludes #2 */
	code_as(s, t, set, issues[0], alice, "location", "opt", "label");
	code_as(s, t, set, issues[0], alice, "location", "node", "suggestion");
	code_as(s, t, set, issues[1], alice, "location", "node", "label");
	code_as(s, t, set, issues[2], alice, "cause", "testing", "suggestion");
	code_as(s, t, set, issues[2], alice, "cause", "incompat", "label"); /* changed her mind, */
	code_as(s, t, set, issues[2], alice, "cause", "testing", "label");  /* and back */
	code_as(s, t, set, issues[3], alice, "location", "load", "label");
	code_as(s, t, set, issues[1], bob, "location", "opt", "suggestion");
	CHECK_INT(exclusion_set(s, set, issues[1], bob, &t->reasons[0], NULL, "label", &err), 0);
	CHECK_INT(store_commit(s, &err), 0);

	struct suggest_files f;
	CHECK_INT(suggest_files_read(s, issues[0], &f, &err), 0);
	CHECK_INT(f.resolved, 1);
	CHECK_INT(f.n, 2);
	CHECK_STR(f.files[0].path, "test/onnx/t.py");
	CHECK_STR(f.files[1].path, "torch/onnx/symbolic_opset9.py");
	suggest_files_release(&f);
	CHECK_INT(suggest_files_read(s, issues[4], &f, &err), 0);
	CHECK_INT(f.resolved, 0);
	suggest_files_release(&f);

	struct suggest_eval ev;
	CHECK_INT(suggest_evaluate(s, t, set, alice, NULL, 0, &ev, &err), 0);
	CHECK_INT(ev.issues, 5);
	CHECK_INT(ev.excluded, 0);
	CHECK_INT(ev.no_data, 1);
	CHECK_INT(ev.ndims, 2);
	const struct suggest_dimension_eval *loc = &ev.dims[0], *cause = &ev.dims[1];
	CHECK_STR(loc->dim->key, "location");
	CHECK_INT(loc->coded, 3);
	CHECK_INT(loc->suggested, 2);
	CHECK_INT(loc->agreed, 1);
	CHECK_INT(loc->accepted, 1);
	CHECK_STR(loc->rows[0].cat->key, "node");
	CHECK_INT(loc->rows[0].suggested, 1);
	CHECK_INT(loc->rows[0].coded, 2);
	CHECK_INT(loc->rows[0].agreed, 1);
	CHECK_INT(loc->rows[0].accepted, 1);
	CHECK_INT(loc->rows[1].suggested, 1); /* opt suggested for #2, alice said node */
	CHECK_INT(loc->rows[1].agreed, 0);
	CHECK_INT(loc->rows[2].coded, 1); /* load: coded, never suggested */
	CHECK_INT(cause->coded, 1);
	CHECK_INT(cause->agreed, 1);
	CHECK_INT(cause->accepted, 0); /* the latest change to the code was not the suggestion */
	suggest_eval_release(&ev);
	CHECK_INT(suggest_evaluate(s, t, set, bob, NULL, 0, &ev, &err), 0);
	CHECK_INT(ev.excluded, 1);
	CHECK_INT(ev.dims[0].coded, 0);
	suggest_eval_release(&ev);
	/* Only some issues: the others count nowhere. */
	int64_t two[] = {issues[0], issues[3]};
	CHECK_INT(suggest_evaluate(s, t, set, alice, two, 2, &ev, &err), 0);
	CHECK_INT(ev.issues, 2);
	CHECK_INT(ev.dims[0].coded, 2);
	CHECK_INT(ev.dims[0].suggested, 1);
	CHECK_INT(ev.dims[1].coded, 0);
	suggest_eval_release(&ev);
	tax_free(t);
	store_close(s);
}

static void test_upgrade_in_place(void)
{
	int mine = test_migration_with("CREATE TABLE taxonomy_rules");
	CHECK(mine != 0);
	if (mine <= 0)
		return;
	char *dir = test_tmpdir(), *path = test_path(dir, "old.db");
	/* A database as the migrations before this one left it. */
	sqlite3_close(test_old_db(path, mine));
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM taxonomy_rules"), 0);
	char *plain = strdup(good);
	strcpy(strstr(plain, ", \"rules\""), "}");
	int changed;
	struct taxonomy *t = store_good(s, plain, &changed);
	CHECK_INT(t->nrules, 0);
	CHECK_INT(t->version, 1);
	tax_free(t);
	/* The same codebook with rules: version 2, whose changes are the rules added. */
	t = store_good(s, good, &changed);
	CHECK_INT(changed, 1);
	CHECK_INT(t->version, 2);
	CHECK_INT(t->nrules, 4);
	CHECK_INT(test_query_int(s,
	                         "SELECT count(*) FROM taxonomy_versions v, json_each(v.changes) c "
	                         "WHERE v.version = 2 AND json_extract(c.value, '$.change') = "
	                         "'rule-added'"),
	          4);
	tax_free(t);
	free(plain);
	store_close(s);
	free(path);
	free(dir);
}

int main(void)
{
	TEST(test_parses_rules);
	TEST(test_rule_errors);
	TEST(test_canonical_and_diff);
	TEST(test_suggestions);
	TEST(test_store_and_versions);
	TEST(test_paths_and_evaluation);
	TEST(test_upgrade_in_place);
	return test_done();
}
