/*
 * test_external.c - external raters: parsing and checking answers, the
 * document (blind, UTF-8 repaired, fixes), the command pool (input and
 * output larger than a pipe, exit statuses, signals, timeouts, the output
 * limit, stderr's end), storing an outcome all or nothing, and the
 * migration that adds the rater tables to a database of the version before.
 */
#include "test.h"
#include "teststore.h"

#include "codes.h"
#include "external.h"
#include "external_proc.h"
#include "schema.h"
#include "sets.h"
#include "store.h"
#include "store_fixes.h"
#include "taxonomy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static struct store *s;
static struct taxonomy *t;
static int64_t set_id, bot, human;

static long long count(const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void setup(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "x.db");
	struct error err;
	if (store_open(path, STORE_READWRITE, &s, &err) || tax_read(s, NULL, &t, &err))
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	store_exec(s,
	           "INSERT INTO repositories (owner, name, full_name) VALUES ('a', 'b', 'a/b');"
	           "INSERT INTO issues (repo_id, number, title, body, state, stored_at) VALUES "
	           "(1, 1, 'T1', 'bad \xff\xfe utf-8 \xe2\x82', 'closed', 'x'), "
	           "(1, 2, 'T2', NULL, 'closed', 'x')",
	           &err);
	store_begin(s, &err);
	set_create(s, "study", "sample", "test", 0, 1, 7, &set_id, &err);
	set_add_member(s, set_id, 1, &err);
	set_add_member(s, set_id, 2, &err);
	rater_id(s, "bot", 1, &bot, &err);
	rater_id(s, "human", 1, &human, &err);
	store_commit(s, &err);
	free(path);
	free(dir);
}

/* --- parsing --- */

static int parse(const char *text, struct external_answer *a, struct strbuf *why)
{
	strbuf_reset(why);
	external_answer_release(a);
	return external_answer_parse(text, strlen(text), a, why);
}

static void test_parse_good(void)
{
	struct external_answer a = {0};
	struct strbuf why = STRBUF_INIT;
	CHECK_INT(parse(" {\"format\": 1, \"codes\": {\"symptom\": \"crash\", \"cause\": "
	                "{\"category\": \"Incompatibility\", \"subcategory\": \"external\", "
	                "\"confidence\": 0.5}}, \"note\": \"n\", \"meta\": [1]}\n",
	                &a, &why),
	          0);
	CHECK_INT(a.ncodes, 2);
	CHECK_STR(a.codes[0].dimension, "symptom");
	CHECK_STR(a.codes[0].category, "crash");
	CHECK_INT(a.codes[0].has_confidence, 0);
	CHECK_STR(a.codes[1].subcategory, "external");
	CHECK_NEAR(a.codes[1].confidence, 0.5, 1e-12);
	CHECK_STR(a.note, "n");
	CHECK(a.exclusion == NULL);
	CHECK_INT(parse("{\"exclusion\": \"not-a-failure\"}", &a, &why), 0);
	CHECK_STR(a.exclusion, "not-a-failure");
	CHECK_INT(parse("{\"exclusion\": {\"reason\": \"x\", \"note\": \"why\"}, \"codes\": null, "
	                "\"note\": null}",
	                &a, &why),
	          0);
	CHECK_STR(a.exclusion_note, "why");
	CHECK_INT(a.ncodes, 0);
	CHECK_INT(parse("{\"codes\": {\"s\": {\"category\": \"c\", \"confidence\": 1}}}", &a, &why),
	          0);
	CHECK_NEAR(a.codes[0].confidence, 1, 0);
	external_answer_release(&a);
	strbuf_release(&why);
}

/* Each bad answer, and the start of what is said about it. */
static void test_parse_bad(void)
{
	static const char *const cases[][2] = {
	        {"", "wrote no answer on standard output"},
	        {" \n\t", "wrote no answer on standard output"},
	        {"crash", "malformed JSON: line 1, column 5: invalid token"},
	        {"{\"codes\": {}} trailing", "malformed JSON"},
	        {"{\"note\": \"a\", \"note\": \"b\"}", "malformed JSON"},
	        {"[1]", "the answer is an array, expected a JSON object"},
	        {"42", "the answer is a number, expected a JSON object"},
	        {"{\"cods\": {}}", "unknown member 'cods' (expected codes, note, exclusion"},
	        {"{\"format\": 2}", "format 2 is not known (this issuemine reads format 1)"},
	        {"{\"format\": \"1\"}", "format: a string, expected 1"},
	        {"{\"codes\": []}", "codes: an array, expected an object"},
	        {"{\"codes\": {\"s\": 3}}", "codes.s: a number, expected a category"},
	        {"{\"codes\": {\"s\": {}}}", "codes.s: no \"category\""},
	        {"{\"codes\": {\"s\": {\"category\": \"c\", \"why\": 1}}}",
	         "codes.s.unknown member 'why'"},
	        {"{\"codes\": {\"s\": {\"category\": \"c\", \"confidence\": 1.5}}}",
	         "codes.s.confidence: 1.5 is not a number from 0 to 1"},
	        {"{\"codes\": {\"s\": {\"category\": \"c\", \"confidence\": -0.1}}}",
	         "codes.s.confidence: -0.1 is not"},
	        {"{\"codes\": {\"s\": {\"category\": \"c\", \"confidence\": \"high\"}}}",
	         "codes.s.confidence: a string, expected a number"},
	        {"{\"codes\": {\"s\": {\"category\": 1}}}", "codes.s.category: a number"},
	        {"{\"note\": 1}", "note: a number, expected a string"},
	        {"{\"exclusion\": 1}", "exclusion: a number, expected null"},
	        {"{\"exclusion\": {}}", "exclusion: no \"reason\""},
	        {"{\"exclusion\": {\"reason\": \"r\", \"detail\": 1}}",
	         "exclusion.unknown member 'detail'"},
	};
	struct external_answer a = {0};
	struct strbuf why = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i][0], &a, &why);
		if (rc != -1 || strncmp(why.buf, cases[i][1], strlen(cases[i][1])))
			test_fail(__FILE__, __LINE__, "answer '%s': rc %d, '%s', expected '%s'",
			          cases[i][0], rc, why.buf, cases[i][1]);
	}
	/* Text that is not JSON is quoted, control characters escaped. */
	parse("oops\x01 and more", &a, &why);
	CHECK(strstr(why.buf, "(it begins 'oops\\x01 and more')") != NULL);
	external_answer_release(&a);
	strbuf_release(&why);
}

/* --- checking --- */

static int check(const char *text, struct external_checked *c, struct strbuf *why)
{
	struct external_answer a;
	struct error err;
	strbuf_reset(why);
	external_checked_release(c);
	if (external_answer_parse(text, strlen(text), &a, why)) {
		external_answer_release(&a);
		return -2;
	}
	int rc = external_answer_check(s, t, set_id, "study", "a/b#1", "bot", &a, c, why, &err);
	external_answer_release(&a);
	return rc;
}

static void test_check(void)
{
	struct external_checked c = {0};
	struct strbuf why = STRBUF_INIT;
	CHECK_INT(check("{\"codes\": {\"Symptom\": \"Crashes\", \"location\": \"node\", \"cause\": "
	                "{\"category\": \"incompatibility\", \"subcategory\": \"External\", "
	                "\"confidence\": 0.7}}, \"note\": \"because\"}",
	                &c, &why),
	          0);
	CHECK_STR(why.buf, "");
	CHECK_INT(c.nrows, 3);
	CHECK_STR(c.rows[0].code.cat->key, "crash");
	CHECK_STR(c.rows[1].code.cat->key, "node-conversion");
	CHECK_STR(c.rows[2].code.sub->key, "external");
	CHECK_NEAR(c.confidence[2], 0.7, 1e-12);
	CHECK(c.confidence[0] < 0);
	CHECK_STR(c.rows[0].note, "because");
	CHECK_INT(c.excluded, 0);
	/* The words are checked as codes import checks them, in its words. */
	CHECK_INT(check("{\"codes\": {\"symptom\": \"crash\", \"location\": \"export\", \"cause\": "
	                "\"Nope\"}}",
	                &c, &why),
	          0);
	CHECK(!strncmp(why.buf, "cause: no category 'Nope' (valid: API Misuse", 44));
	CHECK_INT(check("{\"codes\": {\"mood\": \"sad\"}}", &c, &why), 0);
	CHECK(strstr(why.buf, "no dimension 'mood'") != NULL);
	CHECK_INT(check("{\"codes\": {\"symptom\": {\"category\": \"crash\", \"subcategory\": "
	                "\"sudden\"}, \"location\": \"export\", \"cause\": \"typo\"}}",
	                &c, &why),
	          0);
	CHECK(strstr(why.buf, "symptom: Crash has no sub-categories") != NULL);
	CHECK_INT(check("{\"codes\": {\"symptom\": \"crash\"}}", &c, &why), 0);
	CHECK_STR(why.buf, "no code for dimension location (an answer codes every dimension, or "
	                   "excludes the issue); no code for dimension cause (an answer codes "
	                   "every dimension, or excludes the issue)");
	CHECK_INT(check("{\"codes\": {\"symptom\": \"crash\", \"Symptom\": \"hang\", \"location\": "
	                "\"export\", \"cause\": \"typo\"}}",
	                &c, &why),
	          0);
	CHECK_STR(why.buf, "dimension symptom is coded twice ('symptom' and 'Symptom')");
	CHECK_INT(check("{\"note\": \"only a note\"}", &c, &why), 0);
	CHECK(!strncmp(why.buf, "no codes and no exclusion", 25));
	CHECK_INT(
	        check("{\"exclusion\": {\"reason\": \"Not a failure\", \"note\": \"a question\"}}",
	              &c, &why),
	        0);
	CHECK_STR(why.buf, "");
	CHECK_INT(c.excluded, 1);
	CHECK_STR(c.rows[0].reason->key, "not-a-failure");
	CHECK_STR(c.rows[0].exclusion_note, "a question");
	CHECK_INT(check("{\"exclusion\": \"spam\"}", &c, &why), 0);
	CHECK(strstr(why.buf, "no reason 'spam'") != NULL);
	/* Excluded with some codes: kept, as codes import keeps them. */
	CHECK_INT(check("{\"exclusion\": \"not-a-failure\", \"codes\": {\"symptom\": \"hang\"}}",
	                &c, &why),
	          0);
	CHECK_STR(why.buf, "");
	CHECK_INT(c.nrows, 1);
	external_checked_release(&c);
	strbuf_release(&why);
}

/* --- storing --- */

static void test_store_outcome(void)
{
	struct error err;
	struct external_checked c = {0};
	struct strbuf why = STRBUF_INIT;
	int64_t run;
	struct external_run_row row = {set_id, bot, "cmd", 1, 5, t->version_id, 2};
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(external_run_begin(s, &row, &run, &err), 0);
	CHECK_INT(check("{\"codes\": {\"symptom\": {\"category\": \"crash\", \"confidence\": 0.2}, "
	                "\"location\": \"export\", \"cause\": \"typo\"}, \"note\": \"n\"}",
	                &c, &why),
	          0);
	const char answer[] = "{...}";
	struct external_outcome o = {1,   EXTERNAL_CODED, NULL, 0,          0,
	                             0.5, answer,         5,    "err tail", "h"};
	CHECK_INT(external_store_outcome(s, run, set_id, bot, &o, &c, &err), 0);
	/* A failure stores its record and nothing else. */
	struct external_outcome f = {
	        2, EXTERNAL_INVALID, "invalid answer: x", 0, 0, 0.1, "junk", 4, NULL, "h2"};
	CHECK_INT(external_store_outcome(s, run, set_id, bot, &f, NULL, &err), 0);
	CHECK_INT(external_run_update(s, run, 1, 0, 1, 1, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(count("SELECT count(*) FROM codes WHERE issue_id = 1"), 3);
	CHECK_INT(count("SELECT count(*) FROM codes WHERE issue_id = 2"), 0);
	CHECK_INT(count("SELECT count(*) FROM code_log WHERE origin = 'external'"), 4);
	CHECK_INT(count("SELECT count(*) FROM code_confidence WHERE confidence = 0.2"), 1);
	/* The confidence is the code's: the same code again keeps it, another drops it. */
	const struct tax_dimension *symptom = &t->dims[0];
	struct tax_code same = {symptom, tax_find_category(symptom, "crash"), NULL};
	struct tax_code other = {symptom, tax_find_category(symptom, "hang"), NULL};
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(code_set(s, set_id, 1, bot, &same, "code", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_confidence WHERE confidence = 0.2"), 1);
	CHECK_INT(code_set(s, set_id, 1, bot, &other, "code", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_confidence WHERE confidence = 0.2"), 0);
	store_rollback(s);
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(code_clear(s, set_id, 1, bot, symptom, "code", &err), 0);
	CHECK_INT(count("SELECT count(*) FROM code_confidence WHERE confidence = 0.2"), 0);
	store_rollback(s);
	CHECK_INT(count("SELECT count(*) FROM code_confidence WHERE confidence = 0.2"), 1);
	CHECK_INT(count("SELECT count(*) FROM rater_answers WHERE status = 'invalid' AND "
	                "stderr IS NULL AND answer = 'junk'"),
	          1);
	CHECK_INT(count("SELECT count(*) FROM rater_runs WHERE finished_at IS NOT NULL"), 1);
	int yes;
	long hand;
	CHECK_INT(external_rater_has_runs(s, set_id, bot, &yes, &err), 0);
	CHECK_INT(yes, 1);
	CHECK_INT(external_hand_codes(s, set_id, bot, &hand, &err), 0);
	CHECK_INT(hand, 0);
	/*
	 * Every other origin is a person's change: a rater who only accepted
	 * suggestions and undid one, or an adjudicator whose codes reconcile
	 * copied, is not an external rater's name to take over.
	 */
	const struct tax_code crash = {&t->dims[0], tax_find_category(&t->dims[0], "crash"), NULL};
	static const char *const human_origins[] = {"suggestion", "undo", "reconcile"};
	CHECK_INT(external_hand_codes(s, set_id, human, &hand, &err), 0);
	CHECK_INT(hand, 0);
	for (long i = 0; i < 3; i++) {
		CHECK_INT(store_begin(s, &err), 0);
		CHECK_INT(code_set(s, set_id, 1, human, &crash, human_origins[i], &err), 0);
		CHECK_INT(code_clear(s, set_id, 1, human, &t->dims[0], human_origins[i], &err), 0);
		CHECK_INT(store_commit(s, &err), 0);
		CHECK_INT(external_hand_codes(s, set_id, human, &hand, &err), 0);
		CHECK_INT(hand, 2 * (i + 1));
	}
	/* All or nothing: an outcome whose codes the store refuses leaves no trace. */
	CHECK_INT(store_begin(s, &err), 0);
	store_exec(s, "DELETE FROM set_members WHERE issue_id = 2", &err);
	o.issue_id = 2;
	long long answers = count("SELECT count(*) FROM rater_answers");
	CHECK_INT(external_store_outcome(s, run, set_id, bot, &o, &c, &err), -1);
	CHECK(strstr(err.msg, "not in the sample") != NULL);
	CHECK_INT(count("SELECT count(*) FROM rater_answers"), answers);
	CHECK_INT(count("SELECT count(*) FROM codes WHERE issue_id = 2"), 0);
	store_rollback(s);
	external_checked_release(&c);
	strbuf_release(&why);
}

/* --- the document --- */

static void test_document(void)
{
	struct error err;
	/* A human's codes, note and exclusion must never reach the document. */
	struct tax_code code;
	CHECK_INT(tax_resolve_spec(t, "symptom=hang", &code, &err), 0);
	store_begin(s, &err);
	code_set(s, set_id, 1, human, &code, "code", &err);
	note_set(s, set_id, 1, human, "SECRET-HUMAN-NOTE", "code", &err);
	exclusion_set(s, set_id, 1, human, &t->reasons[0], "SECRET-EXCLUSION", "code", &err);
	/* A resolved fix with a file. */
	struct fix_key key = {FIX_PR, "a/b", 9, ""};
	struct fix_change ch;
	fix_change_init(&ch, &key);
	ch.api = "rest";
	ch.title = strdup("Fix the converter");
	ch.body = strdup("Fixes #1");
	ch.merged = 1;
	struct fix_file file = {"src/conv.py", NULL, "modified", "@@ -1 +1 @@\n-a\n+b", 1, 1};
	fix_change_add_file(&ch, &file);
	int64_t change;
	CHECK_INT(store_fix_put(s, &ch, 1, &change, &err), 0);
	struct fix_link link = {change, "fix", "cross-referenced"};
	CHECK_INT(store_fix_link_issue(s, 1, "rest", &link, 1, 0, &err), 0);
	store_commit(s, &err);
	fix_change_release(&ch);

	struct external_doc *d = external_doc_new(t, "study", "bot", 1);
	struct strbuf doc = STRBUF_INIT;
	CHECK_INT(external_doc_build(s, d, 1, &doc, &err), 0);
	CHECK(strstr(doc.buf, "SECRET") == NULL);
	CHECK(strstr(doc.buf, "human") == NULL);
	json_error_t jerr;
	json_t *j = json_loads(doc.buf, 0, &jerr);
	CHECK(j != NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "format")), EXTERNAL_FORMAT);
	json_t *issue = json_object_get(j, "issue");
	CHECK_STR(json_string_value(json_object_get(issue, "ref")), "a/b#1");
	/* Bytes that are not UTF-8 became U+FFFD; the JSON is valid. */
	CHECK_STR(json_string_value(json_object_get(issue, "body")),
	          "bad \xef\xbf\xbd\xef\xbf\xbd utf-8 \xef\xbf\xbd\xef\xbf\xbd");
	json_t *fixes = json_object_get(j, "fixes");
	json_t *c0 = json_array_get(json_object_get(fixes, "changes"), 0);
	CHECK_STR(json_string_value(json_object_get(c0, "title")), "Fix the converter");
	CHECK_STR(json_string_value(json_object_get(c0, "body")), "Fixes #1");
	CHECK_INT(json_integer_value(json_object_get(c0, "number")), 9);
	json_t *f0 = json_array_get(json_object_get(c0, "files"), 0);
	CHECK_STR(json_string_value(json_object_get(f0, "path")), "src/conv.py");
	CHECK_STR(json_string_value(json_object_get(f0, "patch")), "@@ -1 +1 @@\n-a\n+b");
	json_t *tax = json_object_get(j, "taxonomy");
	CHECK_STR(json_string_value(json_object_get(tax, "name")), "onnx-converters");
	CHECK_INT(json_array_size(json_object_get(tax, "dimensions")), 3);
	json_decref(j);
	/* Without patches; an issue without fix data has "fixes": null. */
	external_doc_free(d);
	d = external_doc_new(t, "study", "bot", 0);
	CHECK_INT(external_doc_build(s, d, 1, &doc, &err), 0);
	CHECK(strstr(doc.buf, "@@ -1") == NULL);
	CHECK(strstr(doc.buf, "\"path\":\"src/conv.py\"") != NULL);
	CHECK_INT(external_doc_build(s, d, 2, &doc, &err), 0);
	CHECK(strstr(doc.buf, "\"fixes\":null") != NULL);
	CHECK_INT(external_doc_build(s, d, 99, &doc, &err), -1);
	external_doc_free(d);
	strbuf_release(&doc);
}

/* --- the command pool --- */

/* Runs one command to its end with input; fills *r. */
static void run_one(const char *command, const char *input, size_t len, double timeout,
                    size_t out_max, struct external_proc_result *r)
{
	struct error err;
	struct external_pool *p = external_pool_new(out_max, &err);
	char *copy = malloc(len + 1);
	memcpy(copy, input, len);
	CHECK_INT(external_pool_start(p, command, copy, len, timeout, (void *)command, &err), 0);
	struct external_proc_result *done = NULL;
	size_t n = 0;
	while (!n)
		CHECK_INT(external_pool_wait(p, 1000, &done, &n, &err), 0);
	CHECK_INT(n, 1);
	*r = done[0];
	free(done);
	CHECK(r->tag == (void *)command);
	external_pool_free(p, NULL);
}

static void test_pool(void)
{
	struct external_proc_result r;
	/* A document far larger than a pipe goes in and comes back out whole. */
	size_t big = 3 * 1024 * 1024;
	char *input = malloc(big);
	for (size_t i = 0; i < big; i++)
		input[i] = (char)('a' + i % 26);
	run_one("cat", input, big, 30, big + 1, &r);
	CHECK_INT(r.exit_status, 0);
	CHECK_INT(r.out_len, big);
	CHECK(r.out && !memcmp(r.out, input, big));
	external_proc_result_release(&r);
	/* A command that reads nothing of it is fine (its stdin closes: EPIPE). */
	run_one("echo '{}'; exit 0", input, big, 30, 100, &r);
	CHECK_INT(r.exit_status, 0);
	CHECK_STR(r.out, "{}\n");
	external_proc_result_release(&r);
	free(input);
	/* Exit statuses and stderr's end. */
	run_one("echo oops >&2; exit 7", "", 0, 30, 100, &r);
	CHECK_INT(r.exit_status, 7);
	CHECK_STR(r.err_tail, "oops\n");
	external_proc_result_release(&r);
	run_one("head -c 10000 /dev/zero | tr '\\0' x >&2; echo END >&2", "", 0, 30, 100, &r);
	CHECK_INT(strlen(r.err_tail), EXTERNAL_STDERR_TAIL);
	CHECK(strstr(r.err_tail, "xEND\n") != NULL);
	external_proc_result_release(&r);
	/* Killed by a signal (the shell execs the last command). */
	run_one("exec kill -SEGV $$", "", 0, 30, 100, &r);
	CHECK_INT(r.signal, SIGSEGV);
	CHECK_INT(r.exit_status, -1);
	external_proc_result_release(&r);
	/* Past the timeout; past the output limit. */
	run_one("sleep 30", "", 0, 0.2, 100, &r);
	CHECK_INT(r.timed_out, 1);
	CHECK(r.seconds < 10);
	external_proc_result_release(&r);
	run_one("yes", "", 0, 30, 1000, &r);
	CHECK_INT(r.too_long, 1);
	external_proc_result_release(&r);
	/* No shell at all. */
	run_one("exit 0", "", 0, 30, 100, &r);
	CHECK_STR(r.problem, "");
	external_proc_result_release(&r);
}

static void test_pool_many(void)
{
	struct error err;
	struct external_pool *p = external_pool_new(100, &err);
	static const char *const cmds[] = {"sleep 0.2; echo a", "echo b", "sleep 0.1; echo c",
	                                   "sleep 0.3; echo d"};
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(external_pool_start(p, cmds[i], NULL, 0, 30, (void *)cmds[i], &err), 0);
	CHECK_INT(external_pool_running(p), 4);
	struct external_proc_result *done = NULL;
	size_t n = 0;
	while (n < 4)
		CHECK_INT(external_pool_wait(p, 1000, &done, &n, &err), 0);
	CHECK_INT(external_pool_running(p), 0);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(done[i].exit_status, 0);
		CHECK_INT(done[i].out_len, 2);
		external_proc_result_release(&done[i]);
	}
	free(done);
	/* Killing them all drops their results and gives back their tags. */
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(external_pool_start(p, "sleep 30", NULL, 0, 30, malloc(8), &err), 0);
	external_pool_free(p, free);
}

/* --- the migration --- */

/*
 * A database of the version before the migration that runs `marker`, with
 * a rater, opened (and so migrated) read-write; NULL when no migration runs
 * it. *dir and *path are the caller's to free.
 */
static struct store *open_migrated(const char *marker, char **dir, char **path)
{
	int v = test_migration_with(marker);
	if (v < 0)
		v = schema_version; /* a failure already: the checks go on with a new database */
	*dir = test_tmpdir();
	*path = test_path(*dir, "old.db");
	sqlite3 *db = test_old_db(*path, v);
	CHECK_INT(sqlite3_exec(db, "INSERT INTO raters (name, created_at) VALUES ('alice', 'x')",
	                       NULL, NULL, NULL),
	          SQLITE_OK);
	sqlite3_close(db);
	struct store *old;
	struct error err;
	CHECK_INT(store_open(*path, STORE_READWRITE, &old, &err), 0);
	CHECK_INT(store_user_version(old), schema_version);
	return old;
}

/* The database has `tables` of the tables named in `names` (a quoted list), and one rater. */
static void check_tables(struct store *db, const char *names, int tables)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM sqlite_schema WHERE name IN (%s) UNION ALL SELECT count(*) "
	         "FROM raters",
	         names);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db->db, sql, -1, &st, NULL);
	sqlite3_step(st);
	CHECK_INT(sqlite3_column_int(st, 0), tables);
	sqlite3_step(st);
	CHECK_INT(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
}

static void test_migration(void)
{
	char *dir, *path;
	struct store *old = open_migrated("CREATE TABLE rater_runs", &dir, &path);
	check_tables(old, "'rater_runs', 'rater_answers', 'code_confidence', 'rater_leases'", 4);
	store_close(old);
	free(path);
	free(dir);
	old = open_migrated("CREATE TABLE rater_leases", &dir, &path);
	check_tables(old, "'rater_leases'", 1);
	store_close(old);
	free(path);
	free(dir);
}

int main(void)
{
	setup();
	TEST(test_parse_good);
	TEST(test_parse_bad);
	TEST(test_check);
	TEST(test_store_outcome);
	TEST(test_document);
	TEST(test_pool);
	TEST(test_pool_many);
	TEST(test_migration);
	tax_free(t);
	store_close(s);
	return test_done();
}
