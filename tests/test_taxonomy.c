/*
 * test_taxonomy.c - taxonomy files: every validation error, lookups, storing and reloading.
 */
#include "test.h"

#include "codes.h"
#include "sets.h"
#include "store.h"
#include "strbuf.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

/* A small valid taxonomy; tests edit it with string replacement. */
static const char good[] =
        "{\"name\": \"mini\", \"title\": \"Mini\", \"dimensions\": ["
        " {\"key\": \"symptom\", \"name\": \"Symptom\", \"categories\": ["
        "   {\"key\": \"crash\", \"name\": \"Crash\", \"definition\": \"It stops.\"},"
        "   {\"key\": \"wrong\", \"name\": \"Wrong Model\", \"aliases\": [\"Wrong\"]}]},"
        " {\"key\": \"cause\", \"name\": \"Cause\", \"subcategory\": \"optional\", \"categories\": "
        "["
        "   {\"key\": \"incompat\", \"name\": \"Incompatibility\", \"subcategories\": ["
        "     {\"key\": \"internal\", \"name\": \"Internal\"},"
        "     {\"key\": \"external\", \"name\": \"External\"}]},"
        "   {\"key\": \"typo\", \"name\": \"Typo\"}]}]}";

/* good with the first occurrence of from replaced by to; caller frees. */
static char *edit(const char *from, const char *to)
{
	return test_replace(good, from, to);
}

/* Parses good edited by from->to and expects an error containing want. */
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

static void test_parses_good(void)
{
	struct taxonomy *t;
	struct error err;
	CHECK_INT(tax_parse(good, strlen(good), "t.json", &t, &err), 0);
	CHECK_STR(t->name, "mini");
	CHECK_INT(t->ndims, 2);
	CHECK_INT(t->dims[0].sub_rule, TAX_SUB_ABSENT);
	CHECK_INT(t->dims[1].sub_rule, TAX_SUB_OPTIONAL);
	CHECK_INT(t->dims[1].cats[0].nsubs, 2);
	CHECK(t->dims[1].cats[0].subs[1].parent == &t->dims[1].cats[0]);
	CHECK_STR(t->dims[0].cats[1].definition, "");
	tax_free(t);
}

static void test_every_error(void)
{
	EXPECT_ERROR("{\"name\"", "[{\"name\"", "t.json: line 1");
	EXPECT_ERROR("\"name\": \"mini\"", "\"name\": \"mini\", \"name\": \"x\"", "duplicate");
	EXPECT_ERROR("\"title\": \"Mini\"", "\"titel\": \"Mini\"", "titel: unknown field");
	EXPECT_ERROR("\"name\": \"mini\", ", "", "name: missing");
	EXPECT_ERROR("\"name\": \"mini\"", "\"name\": \"  \"", "name: empty");
	EXPECT_ERROR("\"name\": \"mini\"", "\"name\": 3", "name: not a string");
	EXPECT_ERROR("\"name\": \"mini\"", "\"name\": \"a b\"", "name: only letters");
	EXPECT_ERROR("\"title\": \"Mini\"", "\"title\": []", "title: not a string");
	EXPECT_ERROR("{\"key\": \"symptom\"", "3, {\"key\": \"symptom\"",
	             "dimensions[0]: not an object");
	EXPECT_ERROR("\"key\": \"symptom\", ", "", "dimensions[0].key: missing");
	EXPECT_ERROR("\"key\": \"symptom\"", "\"key\": \"Symptom\"",
	             "dimensions[0].key: only lowercase");
	EXPECT_ERROR("\"name\": \"Symptom\"", "\"name\": \"\"", "dimensions[0].name: empty");
	EXPECT_ERROR("\"name\": \"Symptom\"", "\"name\": \"Symptom\", \"colour\": 1",
	             "dimensions[0].colour: unknown field");
	EXPECT_ERROR("\"key\": \"cause\"", "\"key\": \"symptom\"",
	             "dimensions[1]: duplicate dimension key or name: 'symptom' is already used by "
	             "dimensions[0]");
	/* A key that is another dimension's name would make lookups find the wrong one. */
	EXPECT_ERROR("\"key\": \"cause\", \"name\": \"Cause\"",
	             "\"key\": \"cause\", \"name\": \"SYMPTOM\"", "'SYMPTOM' is already used");
	/* A long alias list is compared in full. */
	EXPECT_ERROR("\"aliases\": [\"Wrong\"]",
	             "\"aliases\": [\"a1\", \"a2\", \"a3\", \"a4\", \"a5\", \"a6\", \"a7\", "
	             "\"a8\", \"a9\", \"a10\", \"a11\", \"a12\", \"a13\", \"a14\", \"a15\", "
	             "\"a16\", \"a17\", \"a18\", \"a19\", \"a20\", \"a21\", \"a22\", \"a23\", "
	             "\"a24\", \"a25\", \"a26\", \"a27\", \"a28\", \"a29\", \"a30\", \"a31\", "
	             "\"a32\", \"a33\", \"a34\", \"a35\", \"a36\", \"a37\", \"a38\", \"a39\", "
	             "\"a40\", \"a41\", \"a42\", \"a43\", \"a44\", \"a45\", \"a46\", \"a47\", "
	             "\"a48\", \"a49\", \"a50\", \"a51\", \"a52\", \"a53\", \"a54\", \"a55\", "
	             "\"a56\", \"a57\", \"a58\", \"a59\", \"a60\", \"a61\", \"a62\", \"a63\", "
	             "\"CRASH\"]",
	             "'CRASH' is already used by categories[0]");
	EXPECT_ERROR("\"subcategory\": \"optional\"", "\"subcategory\": \"sometimes\"",
	             "dimensions[1].subcategory: not one of");
	EXPECT_ERROR("\"subcategory\": \"optional\"", "\"subcategory\": \"absent\"",
	             "\"absent\", but a category has sub-categories");
	EXPECT_ERROR("\"name\": \"Symptom\", \"categories\": [",
	             "\"name\": \"Symptom\", \"categories\": [], \"description\": [",
	             "dimensions[0].description: not a string");
	EXPECT_ERROR("\"categories\": [   {\"key\": \"incompat\"",
	             "\"categories\": [], \"x\": [   {\"key\": \"incompat\"", "x: unknown field");
	EXPECT_ERROR("\"definition\": \"It stops.\"", "\"definition\": 42",
	             "dimensions[0].categories[0].definition: not a string");
	EXPECT_ERROR("\"name\": \"Crash\"", "\"name\": \"\"",
	             "dimensions[0].categories[0].name: empty");
	EXPECT_ERROR("{\"key\": \"crash\", ", "{", "dimensions[0].categories[0].key: missing");
	EXPECT_ERROR("\"aliases\": [\"Wrong\"]", "\"aliases\": \"Wrong\"",
	             "dimensions[0].categories[1].aliases: not an array");
	EXPECT_ERROR("\"aliases\": [\"Wrong\"]", "\"aliases\": [\"\"]",
	             "categories[1].aliases[0]: not a non-empty string");
	EXPECT_ERROR("\"aliases\": [\"Wrong\"]", "\"aliases\": [\"crash\"]",
	             "dimensions[0].categories[1]: 'crash' is already used by categories[0]");
	EXPECT_ERROR("\"name\": \"Wrong Model\"", "\"name\": \"CRASH\"", "is already used");
	EXPECT_ERROR("{\"key\": \"external\", \"name\": \"External\"}",
	             "{\"key\": \"external\", \"name\": \"Internal\"}",
	             "categories[0].subcategories[1]: 'Internal' is already used");
	EXPECT_ERROR("{\"key\": \"external\"", "{\"key\": \"typo\"",
	             "subcategories[1].key: duplicate key within the dimension");
	EXPECT_ERROR("{\"key\": \"internal\", \"name\": \"Internal\"}",
	             "{\"key\": \"internal\", \"name\": \"Internal\", \"subcategories\": "
	             "[{\"key\": \"deep\", \"name\": \"Deep\"}]}",
	             "a sub-category cannot have sub-categories");
	EXPECT_ERROR("{\"key\": \"typo\", \"name\": \"Typo\"}", "\"typo\"",
	             "dimensions[1].categories[1]: not an object");
}

static void test_empty_categories(void)
{
	const char text[] = "{\"name\": \"x\", \"dimensions\": [{\"key\": \"a\", \"name\": \"A\", "
	                    "\"categories\": []}]}";
	struct taxonomy *t;
	struct error err;
	CHECK_INT(tax_parse(text, strlen(text), "e.json", &t, &err), -1);
	CHECK_STR(err.msg, "e.json: dimensions[0].categories: empty");
	const char none[] = "{\"name\": \"x\", \"dimensions\": []}";
	CHECK_INT(tax_parse(none, strlen(none), "e.json", &t, &err), -1);
	CHECK_STR(err.msg, "e.json: dimensions: empty");
	const char notarray[] = "{\"name\": \"x\", \"dimensions\": {}}";
	CHECK_INT(tax_parse(notarray, strlen(notarray), "e.json", &t, &err), -1);
	CHECK_STR(err.msg, "e.json: dimensions: not an array");
	const char subs[] =
	        "{\"name\": \"x\", \"dimensions\": [{\"key\": \"a\", \"name\": \"A\", "
	        "\"categories\": [{\"key\": \"b\", \"name\": \"B\", \"subcategories\": 1}]}]}";
	CHECK_INT(tax_parse(subs, strlen(subs), "e.json", &t, &err), -1);
	CHECK_STR(err.msg, "e.json: dimensions[0].categories[0].subcategories: not an array");
	struct strbuf many = STRBUF_INIT;
	strbuf_adds(&many, "{\"name\": \"x\", \"dimensions\": [");
	for (int i = 0; i <= TAX_MAX_DIMENSIONS; i++)
		strbuf_addf(&many,
		            "%s{\"key\": \"d%d\", \"name\": \"D%d\", \"categories\": "
		            "[{\"key\": \"a\", \"name\": \"A\"}]}",
		            i ? ", " : "", i, i);
	strbuf_adds(&many, "]}");
	CHECK_INT(tax_parse(many.buf, many.len, "e.json", &t, &err), -1);
	CHECK(strstr(err.msg, "e.json: dimensions: more than 9") != NULL);
	strbuf_release(&many);
	CHECK_INT(tax_parse("[]", 2, "e.json", &t, &err), -1);
	CHECK_STR(err.msg, "e.json: top level: a taxonomy must be a JSON object");
	CHECK_INT(tax_load_file("/nonexistent.json", &t, &err), -1);
	CHECK(strstr(err.msg, "/nonexistent.json: No such file") != NULL);
}

static void test_builtin_and_lookups(void)
{
	struct taxonomy *t;
	struct error err;
	CHECK_INT(tax_load_builtin("onnx-converters", &t, &err), 0);
	CHECK_STR(t->source, "builtin");
	const struct tax_dimension *cause = tax_find_dimension(t, "Cause");
	CHECK(cause != NULL);
	CHECK_INT(cause->ncats, 14);
	CHECK_INT(tax_find_dimension(t, "symptom")->ncats, 6);
	CHECK_INT(tax_find_dimension(t, "LOCATION")->ncats, 6);
	const struct tax_category *c = tax_find_category(cause, "tensor shape problem");
	CHECK(c && !strcmp(c->key, "shape-problem"));
	/* The paper swapped Testing and Documentation; the shipped file has them right. */
	CHECK(strstr(tax_find_category(cause, "Testing")->definition, "tests") != NULL);
	CHECK(strstr(tax_find_category(cause, "docs")->definition, "documentation") != NULL);
	struct tax_code code;
	CHECK_INT(tax_resolve_spec(t, "cause=type problem/NODE", &code, &err), 0);
	CHECK_STR(code.sub->name, "Node");
	char label[100];
	tax_code_label(&code, label, sizeof(label));
	CHECK_STR(label, "Type Problem/Node");
	CHECK_INT(tax_resolve_spec(t, "cause=Incompatibility", &code, &err), 0);
	CHECK(code.sub == NULL);
	CHECK_INT(tax_resolve_spec(t, "cause=Nope", &code, &err), -1);
	CHECK(strstr(err.msg, "valid: API Misuse, Incompatibility") != NULL);
	CHECK_INT(tax_resolve_spec(t, "symptom=crash/x", &code, &err), -1);
	CHECK_INT(tax_resolve_spec(t, "symptom", &code, &err), -1);
	CHECK(strstr(err.msg, "expected dimension=category") != NULL);
	CHECK_INT(tax_resolve_spec(t, "mood=happy", &code, &err), -1);
	CHECK(strstr(err.msg, "valid: symptom, location, cause") != NULL);
	CHECK_INT(tax_load_builtin("nope", &t, &err) == 0 ? 1 : 0, 0);
	tax_free(t);
}

static void test_required_rule(void)
{
	char *text = edit("\"subcategory\": \"optional\"", "\"subcategory\": \"required\"");
	struct taxonomy *t;
	struct error err;
	struct tax_code code;
	CHECK_INT(tax_parse(text, strlen(text), "t.json", &t, &err), 0);
	CHECK_INT(tax_resolve(t, "cause", "incompat", NULL, &code, &err), -1);
	CHECK(strstr(err.msg, "needs a sub-category (valid: Internal, External)") != NULL);
	CHECK_INT(tax_resolve(t, "cause", "typo", "", &code, &err), 0); /* has none to require */
	tax_free(t);
	free(text);
}

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

static int store_text(struct store *s, const char *text, struct error *err)
{
	struct taxonomy *t;
	if (tax_parse(text, strlen(text), "t.json", &t, err))
		return -1;
	int rc = store_begin(s, err) || tax_store(s, t, NULL, err) || store_commit(s, err);
	if (rc)
		store_rollback(s);
	tax_free(t);
	return rc ? -1 : 0;
}

static void test_default_on_first_use(void)
{
	struct store *s = open_fresh();
	struct taxonomy *t;
	struct error err;
	CHECK_INT(tax_read(s, NULL, &t, &err), 0);
	CHECK_STR(t->name, "onnx-converters");
	CHECK(t->dims[0].id > 0 && t->dims[0].cats[0].id > 0);
	CHECK_INT(tax_find_dimension(t, "cause")->ncats, 14);
	/* Stored ids back to a code: the sub-category must be one of the category's. */
	const struct tax_dimension *cause = tax_find_dimension(t, "cause");
	const struct tax_category *incompat = tax_find_category(cause, "incompatibility");
	const struct tax_category *node =
	        tax_find_subcategory(tax_find_category(cause, "type-problem"), "node");
	struct tax_code code;
	CHECK(tax_dimension_by_id(t, cause->id) == cause);
	CHECK(tax_dimension_by_id(t, 999999) == NULL);
	CHECK_INT(tax_code_from_ids(t, cause, incompat->id, incompat->subs[1].id, &code, &err), 0);
	CHECK(code.cat == incompat && code.sub == &incompat->subs[1]);
	CHECK_INT(tax_code_from_ids(t, cause, incompat->id, 0, &code, &err), 0);
	CHECK(code.sub == NULL);
	CHECK_INT(tax_code_from_ids(t, cause, incompat->id, node->id, &code, &err), -1);
	CHECK(strstr(err.msg, "does not fit taxonomy onnx-converters") != NULL);
	CHECK_INT(tax_code_from_ids(t, cause, node->id, 0, &code, &err), -1);
	CHECK_INT(tax_code_from_ids(t, cause, 999999, 0, &code, &err), -1);
	CHECK_STR(tax_sub_rule_name(cause->sub_rule), "optional");
	enum tax_sub_rule rule;
	CHECK_INT(tax_sub_rule_parse("required", &rule), 0);
	CHECK_INT(rule, TAX_SUB_REQUIRED);
	CHECK_INT(tax_sub_rule_parse("sometimes", &rule), -1);
	tax_free(t);
	/* A second taxonomy makes the choice ambiguous. */
	CHECK_INT(store_text(s, good, &err), 0);
	CHECK_INT(tax_read(s, NULL, &t, &err), -1);
	CHECK(strstr(err.msg, "several taxonomies (mini, onnx-converters)") != NULL);
	CHECK_INT(tax_read(s, "none", &t, &err), -1);
	CHECK(strstr(err.msg, "no taxonomy named 'none'") != NULL);
	store_close(s);
}

/* Codes one issue with cause=typo under rater r, so that removing typo is refused. */
static void code_typo(struct store *s, const struct taxonomy *t)
{
	struct error err;
	int64_t repo, issue, set, rater;
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(
	        store_exec(s,
	                   "INSERT INTO repositories (owner, name, full_name) VALUES ('a', 'b', "
	                   "'a/b'); INSERT INTO issues (repo_id, number, stored_at) VALUES (1, 1, "
	                   "'2020-01-01T00:00:00Z')",
	                   &err),
	        0);
	repo = 1;
	issue = 1;
	(void)repo;
	CHECK_INT(set_create(s, "s", "manual", NULL, 0, 0, 0, &set, &err), 0);
	CHECK_INT(set_add_member(s, set, issue, &err), 0);
	CHECK_INT(rater_id(s, "r", 1, &rater, &err), 0);
	struct tax_code code;
	CHECK_INT(tax_resolve(t, "cause", "typo", NULL, &code, &err), 0);
	CHECK_INT(code_set(s, set, issue, rater, &code, "test", &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
}

static void test_reload_keeps_ids(void)
{
	struct store *s = open_fresh();
	struct taxonomy *t, *t2;
	struct error err;
	CHECK_INT(store_text(s, good, &err), 0);
	CHECK_INT(tax_read(s, "mini", &t, &err), 0);
	int64_t typo_id = tax_find_category(tax_find_dimension(t, "cause"), "typo")->id;
	code_typo(s, t);
	/* Reword a definition, rename a category, add one: ids stay. */
	char *edited = edit("\"name\": \"Typo\"}",
	                    "\"name\": \"Typing Error\", \"definition\": \"new words\"}, "
	                    "{\"key\": \"docs\", \"name\": \"Documentation\"}");
	CHECK_INT(store_text(s, edited, &err), 0);
	CHECK_INT(tax_read(s, "mini", &t2, &err), 0);
	const struct tax_category *typo =
	        tax_find_category(tax_find_dimension(t2, "cause"), "typo");
	CHECK(typo != NULL);
	CHECK_INT(typo->id, typo_id);
	CHECK_STR(typo->name, "Typing Error");
	CHECK_STR(typo->definition, "new words");
	CHECK_INT(tax_find_dimension(t2, "cause")->ncats, 3);
	tax_free(t2);
	/* Removing the coded category is refused with the count; removing an unused one works. */
	char *without_typo = edit(",   {\"key\": \"typo\", \"name\": \"Typo\"}", "");
	CHECK_INT(store_text(s, without_typo, &err), -1);
	CHECK(strstr(err.msg, "category 'typo' (Typing Error) is used by 1 code;") != NULL);
	char *without_external = edit(",     {\"key\": \"external\", \"name\": \"External\"}", "");
	CHECK_INT(store_text(s, without_external, &err), 0);
	CHECK_INT(tax_read(s, "mini", &t2, &err), 0);
	CHECK_INT(tax_find_category(tax_find_dimension(t2, "cause"), "incompat")->nsubs, 1);
	CHECK(tax_find_category(tax_find_dimension(t2, "cause"), "docs") == NULL);
	tax_free(t2);
	tax_free(t);
	free(edited);
	free(without_typo);
	free(without_external);
	store_close(s);
}

/* The cause dimension of good with the given sub-categories of incompat and of typo. */
static char *mini_cause(const char *incompat_subs, const char *typo_subs)
{
	static const char fmt[] =
	        "{\"name\": \"mini\", \"dimensions\": [{\"key\": \"cause\", \"name\": "
	        "\"Cause\", \"subcategory\": \"optional\", \"categories\": ["
	        "{\"key\": \"incompat\", \"name\": \"Incompatibility\", \"subcategories\": [%s]},"
	        "{\"key\": \"typo\", \"name\": \"Typo\"%s%s%s}]}]}";
	size_t len = sizeof(fmt) + strlen(incompat_subs) + strlen(typo_subs) + 32;
	char *text = malloc(len);
	snprintf(text, len, fmt, incompat_subs, *typo_subs ? ", \"subcategories\": [" : "",
	         typo_subs, *typo_subs ? "]" : "");
	return text;
}

/* A used category cannot move to another parent, nor a used dimension go; unused ones may. */
static void test_reload_refuses_moving_used(void)
{
	static const char internal[] = "{\"key\": \"internal\", \"name\": \"Internal\"}";
	static const char external[] = "{\"key\": \"external\", \"name\": \"External\"}";
	struct store *s = open_fresh();
	struct taxonomy *t, *t2;
	struct error err;
	CHECK_INT(store_text(s, good, &err), 0);
	CHECK_INT(tax_read(s, "mini", &t, &err), 0);
	code_typo(s, t);
	struct tax_code code;
	int64_t set, rater;
	CHECK_INT(set_find(s, "s", &set, &err), 0);
	CHECK_INT(rater_id(s, "r", 0, &rater, &err), 0);
	CHECK_INT(tax_resolve(t, "cause", "incompat", "external", &code, &err), 0);
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(code_set(s, set, 1, rater, &code, "test", &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	/* external (used under incompat) moved under typo: refused, nothing changes. */
	char *moved = mini_cause(internal, external);
	CHECK_INT(store_text(s, moved, &err), -1);
	CHECK(strstr(err.msg, "category 'external' is used by 1 code and cannot move") != NULL);
	CHECK_INT(tax_read(s, "mini", &t2, &err), 0);
	CHECK_INT(tax_find_category(tax_find_dimension(t2, "cause"), "incompat")->nsubs, 2);
	tax_free(t2);
	/* internal (unused) may move. */
	char *moved_unused = mini_cause(external, internal);
	CHECK_INT(store_text(s, moved_unused, &err), 0);
	CHECK_INT(tax_read(s, "mini", &t2, &err), 0);
	CHECK_INT(tax_find_category(tax_find_dimension(t2, "cause"), "typo")->nsubs, 1);
	CHECK_INT(t2->ndims, 1); /* the unused symptom dimension is gone */
	tax_free(t2);
	/* A dimension that codes use cannot go. */
	const char only_symptom[] = "{\"name\": \"mini\", \"dimensions\": [{\"key\": \"symptom\", "
	                            "\"name\": \"Symptom\", \"categories\": [{\"key\": \"crash\", "
	                            "\"name\": \"Crash\"}]}]}";
	CHECK_INT(store_text(s, only_symptom, &err), -1);
	CHECK(strstr(err.msg, "taxonomy mini: dimension 'cause' (Cause) is used by 1 code; it "
	                      "cannot be removed") != NULL);
	free(moved_unused);
	free(moved);
	tax_free(t);
	store_close(s);
}

int main(void)
{
	TEST(test_parses_good);
	TEST(test_every_error);
	TEST(test_empty_categories);
	TEST(test_builtin_and_lookups);
	TEST(test_required_rule);
	TEST(test_default_on_first_use);
	TEST(test_reload_keeps_ids);
	TEST(test_reload_refuses_moving_used);
	return test_done();
}
