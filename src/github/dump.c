/*
 * dump.c - streaming reader of JSON issue dumps (see dump.h).
 *
 * jansson parses one value at a time from a callback we feed byte by byte,
 * so it never reads past the end of an element and we always know the exact
 * byte offset, line and column we are at, for progress and for errors.
 */
#include "dump.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DUMP_BUFSIZE 65536

struct dump_reader {
	FILE *in;
	int close_in;
	char *name;
	unsigned char buf[DUMP_BUFSIZE];
	size_t pos, len;
	int eof;
	long long offset; /* bytes consumed */
	long line, column;
	long long size; /* -1 when unknown (a pipe) */
	long items;
	int in_array; /* the top level is an array (else: a sequence of objects) */
	int finished;
	int read_errno; /* why reading stopped, when it was not the end of the file */
};

static int fill(struct dump_reader *r)
{
	if (r->eof)
		return 0;
	r->len = fread(r->buf, 1, sizeof(r->buf), r->in);
	r->pos = 0;
	if (r->len == 0) {
		r->eof = 1;
		if (ferror(r->in))
			r->read_errno = errno ? errno : EIO;
	}
	return r->len > 0;
}

static int peek(struct dump_reader *r)
{
	if (r->pos == r->len && !fill(r))
		return EOF;
	return r->buf[r->pos];
}

static int next(struct dump_reader *r)
{
	int c = peek(r);
	if (c == EOF)
		return EOF;
	r->pos++;
	r->offset++;
	if (c == '\n') {
		r->line++;
		r->column = 0;
	} else {
		r->column++;
	}
	return c;
}

/* jansson's input callback: one byte per call, so it never over-reads. */
static size_t feed_one(void *buffer, size_t buflen, void *data)
{
	struct dump_reader *r = data;
	int c = buflen ? next(r) : EOF;
	if (c == EOF)
		return 0;
	*(unsigned char *)buffer = (unsigned char)c;
	return 1;
}

static void skip_space(struct dump_reader *r)
{
	for (;;) {
		int c = peek(r);
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		next(r);
	}
}

/* An error at the current position; a failed read (a directory, EIO) is said as such. */
static int where(struct dump_reader *r, struct error *err, const char *what)
{
	if (r->read_errno)
		return error_set(err, "%s: byte %lld: cannot read: %s", r->name, r->offset,
		                 strerror(r->read_errno));
	return error_set(err, "%s: line %ld, column %ld (byte %lld): %s", r->name, r->line,
	                 r->column + 1, r->offset, what);
}

static long long file_size(FILE *f)
{
	struct stat sb;
	if (fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode))
		return -1;
	return (long long)sb.st_size;
}

int dump_open(const char *path, struct dump_reader **out, struct error *err)
{
	int is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return error_set(err, "%s: %s", path, strerror(errno));
	struct dump_reader *r = xcalloc(1, sizeof(*r));
	r->in = f;
	r->close_in = !is_stdin;
	r->name = xstrdup(is_stdin ? "<stdin>" : path);
	r->line = 1;
	r->size = file_size(f);
	/* Skip a UTF-8 byte-order mark. */
	if (peek(r) == 0xEF && r->len >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3)) {
		r->pos = 3;
		r->offset = 3;
	}
	skip_space(r);
	int c = peek(r);
	if (c == '[') {
		next(r);
		r->in_array = 1;
	} else if (c != '{') {
		int rc = where(r, err,
		               c == EOF ? "empty file, expected a JSON array of issues"
		                        : "expected a JSON array of issue objects ('[')");
		dump_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

void dump_close(struct dump_reader *r)
{
	if (!r)
		return;
	if (r->close_in)
		fclose(r->in);
	free(r->name);
	free(r);
}

/* After an element of the array: ',' continues, ']' ends (and nothing may follow). */
static int after_element(struct dump_reader *r, struct error *err)
{
	skip_space(r);
	int c = next(r);
	if (c == ',')
		return 1;
	if (c == ']') {
		skip_space(r);
		if (peek(r) != EOF)
			return where(r, err, "unexpected data after the closing ']'");
		return 0;
	}
	return where(r, err,
	             c == EOF ? "unexpected end of file, ',' or ']' expected (truncated?)"
	                      : "',' or ']' expected after an issue object");
}

static int parse_element(struct dump_reader *r, json_t **item, struct error *err)
{
	json_error_t jerr;
	long long start = r->offset;
	*item = json_load_callback(feed_one, r, JSON_DISABLE_EOF_CHECK, &jerr);
	if (*item)
		return 1;
	const char *what = jerr.text[0] ? jerr.text : "malformed JSON";
	if (r->offset == start)
		return where(r, err, "an issue object ('{') expected");
	return where(r, err, what);
}

int dump_next(struct dump_reader *r, json_t **item, struct error *err)
{
	*item = NULL;
	if (r->finished)
		return 0;
	skip_space(r);
	int c = peek(r);
	if (r->in_array && r->items == 0 && c == ']') {
		r->items = -1; /* an empty array: let after_element see the ']' */
	} else if (!r->in_array && c == EOF) {
		r->finished = 1;
		return 0;
	} else {
		if (c == EOF)
			return where(r, err,
			             "unexpected end of file, an issue object expected "
			             "(truncated?)");
		if (c != '{')
			return where(r, err, "an issue object ('{') expected");
		int rc = parse_element(r, item, err);
		if (rc <= 0)
			return rc;
		r->items++;
	}
	if (!r->in_array)
		return 1;
	int more = after_element(r, err);
	if (more < 0) {
		json_decref(*item);
		*item = NULL;
		return -1;
	}
	if (!more)
		r->finished = 1;
	if (r->items < 0) {
		r->items = 0;
		return 0;
	}
	return 1;
}

long long dump_offset(const struct dump_reader *r)
{
	return r->offset;
}

long long dump_size(const struct dump_reader *r)
{
	return r->size;
}

const char *dump_name(const struct dump_reader *r)
{
	return r->name;
}
