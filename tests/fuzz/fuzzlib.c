/*
 * fuzzlib.c - helpers of the fuzz harnesses (see fuzzlib.h).
 */
#include "fuzzlib.h"
#include "strbuf.h"
#include "termsafe.h"
#include "xalloc.h"

#include <string.h>
#include <unistd.h>

char *fuzz_string(const uint8_t *data, size_t size)
{
	return xstrndup((const char *)data, size);
}

const char *fuzz_dir(void)
{
	static char *dir;
	if (dir)
		return dir;
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xstrfmt("%s/issuemine-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(tmpl), "cannot make a scratch directory");
	dir = tmpl;
	return dir;
}

const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s",
	           path);
	return path;
}

FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	static const char nothing[1];
	/* fmemopen refuses an empty buffer: an empty input is one byte read as nothing. */
	FILE *f = size ? fmemopen((void *)data, size, "r") : fmemopen((void *)nothing, 1, "r");
	FUZZ_CHECK(f, "fmemopen failed");
	if (!size)
		fgetc(f);
	return f;
}

struct store *fuzz_store(void)
{
	struct store *s;
	struct error err;
	FUZZ_CHECK(!store_open(":memory:", STORE_READWRITE, &s, &err), "store: %s", err.msg);
	return s;
}

struct store *fuzz_store_copy(const char *template_path)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/copy.db", fuzz_dir());
	struct strbuf sb = STRBUF_INIT;
	struct error err;
	FUZZ_CHECK(!strbuf_read_file(&sb, template_path, &err), "%s", err.msg);
	unlink(path);
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f && fwrite(sb.buf, 1, sb.len, f) == sb.len && fclose(f) == 0, "copy %s", path);
	strbuf_release(&sb);
	struct store *s;
	FUZZ_CHECK(!store_open(path, STORE_READWRITE, &s, &err), "store: %s", err.msg);
	return s;
}

long long fuzz_count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	FUZZ_CHECK(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	           sqlite3_errmsg(s->db));
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(s->db));
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

void fuzz_check_message(const char *what, const char *msg, const uint8_t *input, size_t size)
{
	FUZZ_CHECK(msg && *msg, "%s: an empty message", what);
	for (const char *c = msg; *c; c++) {
		unsigned char b = (unsigned char)*c;
		if (b >= 0x20 && b != 0x7f)
			continue;
		/* JSON writes control characters as escapes: \n, \u000a. */
		FUZZ_CHECK(memchr(input, b, size) || memchr(input, '\\', size),
		           "%s: control character 0x%02x the input lacks: %s", what, b, msg);
	}
	struct strbuf shown = STRBUF_INIT;
	termsafe_add(&shown, msg, strlen(msg), 0);
	FUZZ_CHECK(termsafe_is_clean(shown.buf, shown.len, 0), "%s: printed with controls: %s",
	           what, shown.buf);
	strbuf_release(&shown);
}
