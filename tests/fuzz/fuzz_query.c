/*
 * fuzz_query.c - the query language: parser and compiler (query_parse,
 * query_caret, query_prepare).
 *
 * A rejected query gets a one-line message, a position inside the text and a
 * two-line caret display with no control character but tabs. An accepted
 * query compiles to SQL that SQLite prepares and runs on a database holding a
 * few issues: the parser promises that anything it accepts can run.
 */
#include "fuzzlib.h"
#include "import.h"
#include "query.h"
#include "strbuf.h"
#include "termsafe.h"

#include <string.h>

static struct store *db;

static const char issues[] =
        "[{\"url\": \"https://api.github.com/repos/o/r/issues/1\", \"repository_url\": "
        "\"https://api.github.com/repos/o/r\", \"number\": 1, \"title\": \"Export fails\", "
        "\"state\": \"closed\", \"user\": {\"login\": \"alice\"}, \"labels\": [{\"name\": "
        "\"bug\"}], \"created_at\": \"2021-01-01T00:00:00Z\", \"updated_at\": "
        "\"2021-01-02T00:00:00Z\", \"closed_at\": \"2021-01-02T00:00:00Z\", \"body\": "
        "\"Traceback\\nRuntimeError: x\", \"timeline\": [{\"event\": \"closed\", "
        "\"commit_id\": \"abc\", \"created_at\": \"2021-01-02T00:00:00Z\"}, {\"event\": "
        "\"commented\", \"body\": \"me too\"}, {\"event\": \"cross-referenced\", \"source\": "
        "{\"issue\": {\"number\": 2, \"state\": \"closed\", \"repository\": {\"full_name\": "
        "\"o/r\"}, \"pull_request\": {}}}}]}]";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	db = fuzz_store();
	const char *path = fuzz_file("issues.json", (const uint8_t *)issues, strlen(issues));
	FUZZ_CHECK(!import_file(db, path, &io, &counts, &err), "setup: %s", err.msg);
	return 0;
}

static void check_rejected(const char *text, const struct query_pos *pos, const char *msg,
                           const uint8_t *data, size_t size)
{
	fuzz_check_message("query error", msg, data, size);
	FUZZ_CHECK(pos->line >= 1 && pos->column >= 1, "position %d:%d", pos->line, pos->column);
	FUZZ_CHECK(!strncmp(msg, "line ", 5), "the message does not start with the line: %s", msg);
	struct strbuf caret = STRBUF_INIT;
	query_caret(text, pos, 4, &caret);
	size_t lines = 0;
	for (size_t i = 0; i < caret.len; i++)
		lines += caret.buf[i] == '\n';
	FUZZ_CHECK(lines == 2, "the caret display has %zu lines: %s", lines, caret.buf);
	FUZZ_CHECK(termsafe_is_clean(caret.buf, caret.len,
	                             TERMSAFE_KEEP_TABS | TERMSAFE_KEEP_NEWLINES),
	           "the caret display has control characters");
	FUZZ_CHECK(caret.buf[caret.len - 2] == '^', "no caret: %s", caret.buf);
	strbuf_release(&caret);
}

static void check_accepted(struct query *q)
{
	sqlite3_stmt *st;
	struct error err;
	FUZZ_CHECK(!query_prepare(db, q, "count(*)", NULL, &st, NULL, &err),
	           "an accepted query does not compile: %s\n%s", err.msg,
	           query_where(q, NULL, NULL));
	int rc = sqlite3_step(st);
	/* A pattern PCRE2 gives up on is the one failure a run may have; it names the pattern. */
	FUZZ_CHECK(rc == SQLITE_ROW || strstr(sqlite3_errmsg(db->db), "regexp /"),
	           "an accepted query fails: %s", sqlite3_errmsg(db->db));
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct query *q;
	struct query_pos pos;
	struct error err;
	if (query_parse(text, &q, &pos, &err))
		check_rejected(text, &pos, err.msg, data, size);
	else {
		check_accepted(q);
		query_free(q);
	}
	free(text);
	return 0;
}
