/*
 * fuzz_codes_csv.c - raters' codes as CSV (codes_import) into a database
 * with a few issues, a sample of them and the built-in taxonomy.
 *
 * The input's first byte picks the options (bit 0: --add-to-sample, bit 1:
 * --create-missing); the rest is the file. A refused file writes nothing and
 * every bad row's reason is one line; an accepted one imported again
 * changes nothing.
 */
#include "codes_csv.h"
#include "fuzzlib.h"
#include "import.h"
#include "sets.h"
#include "taxonomy.h"
#include "xalloc.h"

#include <string.h>

static char *template_path;

static const char issues[] =
        "[{\"repository_url\": \"https://api.github.com/repos/o/r\", \"number\": 1, \"title\": "
        "\"a\", \"state\": \"closed\", \"updated_at\": \"2021-01-01T00:00:00Z\"}, "
        "{\"repository_url\": \"https://api.github.com/repos/o/r\", \"number\": 2, \"title\": "
        "\"b\", \"state\": \"closed\", \"updated_at\": \"2021-01-01T00:00:00Z\"}, "
        "{\"repository_url\": \"https://api.github.com/repos/p/q\", \"number\": 3, \"title\": "
        "\"c\", \"state\": \"open\", \"updated_at\": \"2021-01-01T00:00:00Z\"}]";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The template: issues o/r#1, o/r#2 and p/q#3, sample "study" of the first two. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct store *s;
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	template_path = xstrfmt("%s/template.db", fuzz_dir());
	FUZZ_CHECK(!store_open(template_path, STORE_READWRITE, &s, &err), "%s", err.msg);
	const char *path = fuzz_file("issues.json", (const uint8_t *)issues, strlen(issues));
	FUZZ_CHECK(!import_file(s, path, &io, &counts, &err), "setup: %s", err.msg);
	int64_t set_id, id;
	FUZZ_CHECK(!store_begin(s, &err) && !tax_ensure_default(s, &err) &&
	                   !set_create(s, "study", "sample", "fuzz", 0, 0, 0, &set_id, &err),
	           "setup: %s", err.msg);
	for (int n = 1; n <= 2; n++)
		FUZZ_CHECK(!store_issue_id(s, "o/r", n, &id, &err) &&
		                   !set_add_member(s, set_id, id, &err),
		           "setup: %s", err.msg);
	FUZZ_CHECK(!store_commit(s, &err), "setup: %s", err.msg);
	store_close(s);
	return 0;
}

static long long written(struct store *s)
{
	return fuzz_count(s, "SELECT (SELECT count(*) FROM codes) + (SELECT count(*) FROM notes) + "
	                     "(SELECT count(*) FROM code_log) + (SELECT count(*) FROM raters) + "
	                     "(SELECT count(*) FROM set_members) + (SELECT count(*) FROM sets) + "
	                     "(SELECT count(*) FROM issues)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct codes_import_options o = {"study", data[0] & 1, (data[0] >> 1) & 1};
	struct store *s = fuzz_store_copy(template_path);
	struct taxonomy *t;
	struct error err;
	FUZZ_CHECK(!tax_read(s, NULL, &t, &err), "%s", err.msg);
	long long before = written(s);
	struct codes_import_result res;
	FILE *f = fuzz_stream(data + 1, size - 1);
	int rc = codes_import(s, t, f, "codes.csv", &o, &res, &err);
	fclose(f);
	if (rc) {
		fuzz_check_message("codes import", err.msg, data, size);
		for (size_t i = 0; i < res.nerrors; i++)
			fuzz_check_message("bad row", res.errors[i].reason, data, size);
		FUZZ_CHECK(written(s) == before, "a refused file wrote rows: %s", err.msg);
	} else {
		struct codes_import_result again;
		f = fuzz_stream(data + 1, size - 1);
		FUZZ_CHECK(!codes_import(s, t, f, "codes.csv", &o, &again, &err),
		           "a second import fails: %s", err.msg);
		fclose(f);
		FUZZ_CHECK(again.codes_new == 0 && again.codes_changed == 0 && again.notes_set == 0,
		           "a second import changed codes (%ld new, %ld changed, %ld notes)",
		           again.codes_new, again.codes_changed, again.notes_set);
		codes_import_result_release(&again);
	}
	codes_import_result_release(&res);
	tax_free(t);
	store_close(s);
	return 0;
}
