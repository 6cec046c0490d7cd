/*
 * test_versions.c - codebook versions: SHA-256 against the standard's test
 * vectors, what tax_diff finds and how it is told, and a database of the
 * schema before the coding migration upgraded in place (its taxonomy gets
 * version 1 and exclusion reasons, its codes that version, its samples how
 * they were drawn).
 */
#include "test.h"
#include "teststore.h"

#include "codes.h"
#include "schema.h"
#include "sha256.h"
#include "store.h"
#include "tax_version.h"
#include "taxonomy.h"

#include <stdio.h>
#include <stdlib.h>

static void test_sha256(void)
{
	char hex[SHA256_HEX_LEN];
	sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 448 bits */
	sha256_hex(two, strlen(two), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	char *million = malloc(1000000);
	memset(million, 'a', 1000000);
	sha256_hex(million, 1000000, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
	/* Lengths around the padding's edge: 55, 56 and 64 bytes. */
	char buf[64];
	memset(buf, 'a', sizeof(buf));
	sha256_hex(buf, 55, hex);
	CHECK_STR(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	sha256_hex(buf, 56, hex);
	CHECK_STR(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	sha256_hex(buf, 64, hex);
	CHECK_STR(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static struct taxonomy *parse(const char *text)
{
	struct taxonomy *t;
	struct error err;
	if (tax_parse(text, strlen(text), "test", &t, &err)) {
		test_fail(__FILE__, __LINE__, "%s", err.msg);
		exit(1);
	}
	return t;
}

static void changes_text(const json_t *changes, struct strbuf *sb)
{
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c)
	{
		tax_change_describe(c, sb);
		strbuf_addch(sb, '\n');
	}
}

static void test_diff(void)
{
	struct taxonomy *a = parse(
	        "{\"name\": \"t\", \"dimensions\": [{\"key\": \"d\", \"name\": \"D\", "
	        "\"categories\": ["
	        "{\"key\": \"x\", \"name\": \"X\", \"definition\": \"one\"},"
	        "{\"key\": \"y\", \"name\": \"Y\", \"subcategories\": [{\"key\": \"y1\", \"name\": "
	        "\"Y1\"}]},"
	        "{\"key\": \"z\", \"name\": \"Z\"}]},"
	        "{\"key\": \"gone\", \"name\": \"Gone\", \"categories\": [{\"key\": \"g\", "
	        "\"name\": "
	        "\"G\"}]}]}");
	struct taxonomy *b = parse(
	        "{\"name\": \"t\", \"title\": \"T\", \"dimensions\": [{\"key\": \"d\", \"name\": "
	        "\"Dee\", \"subcategory\": \"required\", \"categories\": ["
	        "{\"key\": \"z\", \"name\": \"Z\", \"aliases\": [\"zed\"]},"
	        "{\"key\": \"x\", \"name\": \"Ex\", \"definition\": \"two\"},"
	        "{\"key\": \"y\", \"name\": \"Y\", \"subcategories\": [{\"key\": \"y2\", \"name\": "
	        "\"Y2\"}]}]},"
	        "{\"key\": \"new\", \"name\": \"New\", \"categories\": [{\"key\": \"n\", \"name\": "
	        "\"N\"}]}],"
	        "\"exclusions\": [{\"key\": \"not-a-failure\", \"name\": \"No failure\"}]}");
	json_t *changes = tax_diff(a, b);
	struct strbuf sb = STRBUF_INIT;
	changes_text(changes, &sb);
	CHECK_STR(sb.buf,
	          "title changed: (none) \u2192 'T'\n"
	          "d: dimension renamed: 'D' \u2192 'Dee'\n"
	          "d: sub-category rule: optional \u2192 required\n"
	          "d: sub-category added: y/y2 (Y2)\n"
	          "d: sub-category removed: y/y1 (Y1)\n"
	          "d: z: aliases changed: '' \u2192 'zed'\n"
	          "d: x renamed: 'X' \u2192 'Ex'\n"
	          "d: x: definition reworded\n"
	          "d: categories reordered\n"
	          "dimension added: new (New)\n"
	          "dimension removed: gone (Gone)\n"
	          "exclusion reason not-a-failure renamed: 'Not a failure' \u2192 'No failure'\n"
	          "exclusion reason not-a-failure: definition reworded\n"
	          "exclusion reason removed: out-of-scope (Out of scope)\n"
	          "exclusion reason removed: not-enough-information (Not enough "
	          "information)\n");
	json_decref(changes);
	changes = tax_diff(a, a);
	CHECK_INT(json_array_size(changes), 0);
	json_decref(changes);
	/* The canonical text reads back into the same taxonomy: same text again. */
	char *text = tax_canonical(b);
	struct taxonomy *again = parse(text);
	char *text2 = tax_canonical(again);
	CHECK_STR(text2, text);
	free(text);
	free(text2);
	tax_free(again);
	strbuf_release(&sb);
	tax_free(a);
	tax_free(b);
}

static long long one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -999;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_upgrade_in_place(void)
{
	/* The coding workflow's migration: the one that creates taxonomy_versions. */
	int mine = test_migration_with("CREATE TABLE taxonomy_versions");
	CHECK(mine != 0);
	if (mine <= 0)
		return;
	char *dir = test_tmpdir(), *path = test_path(dir, "old.db");
	/* A database as the migrations before this one left it, with a coded sample. */
	sqlite3 *db = test_old_db(path, mine);
	const char *data =
	        "INSERT INTO repositories (id, owner, name, full_name) VALUES (1, 'a', 'b', 'a/b');"
	        "INSERT INTO issues (id, repo_id, number, stored_at) VALUES (1, 1, 1, 'x'), (2, 1, "
	        "2, "
	        "'x');"
	        "INSERT INTO taxonomies (id, name, source, loaded_at) VALUES (1, "
	        "'onnx-converters', 'builtin', 'x');"
	        "INSERT INTO dimensions (id, taxonomy_id, key, name, position) VALUES (1, 1, "
	        "'symptom', 'Symptom', 0);"
	        "INSERT INTO categories (id, dimension_id, key, name, position) VALUES (1, 1, "
	        "'crash', 'Crash', 0);"
	        "INSERT INTO raters (id, name, created_at) VALUES (1, 'alice', 'x');"
	        "INSERT INTO sets (id, name, kind, origin, created_at) VALUES (1, 'all', 'filter', "
	        "'is:issue', 'x');"
	        "INSERT INTO sets (id, name, kind, origin, parent_id, seed, created_at) VALUES (2, "
	        "'study', 'sample', '1 issue per repository drawn uniformly without replacement "
	        "from ''all'' with seed 7 (xoshiro256** seeded by SplitMix64; partial Fisher-Yates "
	        "over the members ordered by repository and number)', 1, 7, 'x');"
	        "INSERT INTO set_members VALUES (1, 1, 0), (1, 2, 1), (2, 1, 0);"
	        "INSERT INTO codes (set_id, issue_id, rater_id, dimension_id, category_id, "
	        "coded_at) "
	        "VALUES (2, 1, 1, 1, 1, 'x');"
	        "INSERT INTO code_log (set_id, issue_id, rater_id, dimension_id, category_id, "
	        "origin, at) VALUES (2, 1, 1, 1, 1, 'label', 'x'), (2, 1, 1, NULL, NULL, 'label', "
	        "'x')";
	CHECK_INT(sqlite3_exec(db, data, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	CHECK_INT(store_user_version(s), schema_version);
	/* The migration: how the sample was drawn, from its origin; what each log row is. */
	CHECK_INT(one(s->db, "SELECT draw_count FROM sets WHERE name = 'study'"), 1);
	CHECK_INT(one(s->db, "SELECT draw_mode = 'per-repo' FROM sets WHERE name = 'study'"), 1);
	CHECK_INT(one(s->db, "SELECT draw_mode IS NULL FROM sets WHERE name = 'all'"), 1);
	CHECK_INT(one(s->db, "SELECT count(*) FROM code_log WHERE kind = 'note'"), 1);
	CHECK_INT(one(s->db, "SELECT count(*) FROM codes WHERE version_id IS NULL"), 1);
	/* Reading the taxonomy (writable) records version 1, its reasons, and the codes' version.
	 */
	struct taxonomy *t;
	CHECK_INT(tax_read(s, NULL, &t, &err), 0);
	CHECK_INT(t->version, 1);
	CHECK(t->hash && strlen(t->hash) == 64);
	CHECK_INT(t->nreasons, 3);
	CHECK_STR(t->reasons[1].key, "not-the-converter"); /* the built-in file's list */
	CHECK_INT(one(s->db, "SELECT count(*) FROM codes WHERE version_id IS NULL"), 0);
	CHECK_INT(one(s->db, "SELECT count(*) FROM taxonomy_versions"), 1);
	tax_free(t);
	/* Read again: nothing more is recorded. */
	CHECK_INT(tax_read(s, NULL, &t, &err), 0);
	CHECK_INT(one(s->db, "SELECT count(*) FROM taxonomy_versions"), 1);
	/* A code made now records the version in force. */
	int64_t rater;
	struct tax_code code = {&t->dims[0], &t->dims[0].cats[0], NULL};
	CHECK_INT(store_begin(s, &err) || rater_id(s, "bob", 1, &rater, &err) ||
	                  code_set(s, 2, 1, rater, &code, "code", &err) ||
	                  exclusion_set(s, 2, 1, rater, &t->reasons[0], "why", "code", &err) ||
	                  store_commit(s, &err),
	          0);
	CHECK_INT(one(s->db, "SELECT version_id FROM codes WHERE rater_id = 2"), t->version_id);
	CHECK_INT(one(s->db, "SELECT version_id FROM exclusions"), t->version_id);
	CHECK_INT(one(s->db, "SELECT count(*) FROM code_log WHERE kind = 'exclusion' AND detail = "
	                     "'why' AND reason_id IS NOT NULL"),
	          1);
	tax_free(t);
	store_close(s);
	free(path);
	free(dir);
}

int main(void)
{
	TEST(test_sha256);
	TEST(test_diff);
	TEST(test_upgrade_in_place);
	return test_done();
}
