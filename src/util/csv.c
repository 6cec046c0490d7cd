/*
 * csv.c - RFC 4180 reader and writer (see csv.h).
 */
#include "csv.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct csv_reader {
	FILE *in;
	char *name;
	long line;
	int started;
	struct strbuf text; /* the record's fields, NUL-separated */
	size_t *offsets;    /* start of each field in text */
	size_t noffsets, alloc_offsets;
	char **fields;
	size_t alloc_fields;
};

struct csv_reader *csv_open(FILE *f, const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->in = f;
	r->name = xstrdup(name);
	r->line = 1;
	strbuf_init(&r->text, 256);
	return r;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->name);
	strbuf_release(&r->text);
	free(r->offsets);
	free(r->fields);
	free(r);
}

static void skip_bom(struct csv_reader *r)
{
	int c = getc(r->in);
	if (c == 0xEF) {
		int c2 = getc(r->in), c3 = getc(r->in);
		if (c2 == 0xBB && c3 == 0xBF)
			return;
		/* Not a BOM after all: a field cannot start with these bytes alone. */
		if (c3 != EOF)
			ungetc(c3, r->in);
		c = c2;
	}
	if (c != EOF)
		ungetc(c, r->in);
}

static void start_field(struct csv_reader *r)
{
	xgrow((void **)&r->offsets, &r->alloc_offsets, r->noffsets + 1, sizeof(size_t));
	r->offsets[r->noffsets++] = r->text.len;
}

static void end_field(struct csv_reader *r)
{
	strbuf_addch(&r->text, '\0');
}

/* Reads a quoted field's content after its opening quote. */
static int read_quoted(struct csv_reader *r, long start_line, struct error *err)
{
	for (;;) {
		int c = getc(r->in);
		if (c == EOF)
			return error_set(err, "%s: line %ld: unterminated quoted field", r->name,
			                 start_line);
		if (c == '\n')
			r->line++;
		if (c != '"') {
			strbuf_addch(&r->text, c);
			continue;
		}
		c = getc(r->in);
		if (c == '"') {
			strbuf_addch(&r->text, '"');
			continue;
		}
		if (c != EOF)
			ungetc(c, r->in);
		return 0;
	}
}

/* Reads up to and including the record end; returns 1, 0 at EOF, -1 on error. */
static int read_fields(struct csv_reader *r, struct error *err)
{
	int c = getc(r->in);
	if (c == EOF)
		return 0;
	ungetc(c, r->in);
	start_field(r);
	for (;;) {
		c = getc(r->in);
		if (c == '"' && r->text.len == r->offsets[r->noffsets - 1]) {
			if (read_quoted(r, r->line, err))
				return -1;
			c = getc(r->in);
			if (c != ',' && c != '\n' && c != '\r' && c != EOF)
				return error_set(
				        err,
				        "%s: line %ld: unexpected character after closing quote",
				        r->name, r->line);
		}
		if (c == ',') {
			end_field(r);
			start_field(r);
			continue;
		}
		if (c == '\r') {
			int next = getc(r->in);
			if (next != '\n' && next != EOF)
				ungetc(next, r->in);
			c = '\n';
		}
		if (c == '\n' || c == EOF) {
			end_field(r);
			if (c == '\n')
				r->line++;
			return 1;
		}
		strbuf_addch(&r->text, c);
	}
}

static int record_is_blank(struct csv_reader *r)
{
	return r->noffsets == 1 && r->text.buf[r->offsets[0]] == '\0';
}

int csv_read(struct csv_reader *r, struct csv_record *rec, struct error *err)
{
	if (!r->started) {
		skip_bom(r);
		r->started = 1;
	}
	for (;;) {
		strbuf_reset(&r->text);
		r->noffsets = 0;
		long line = r->line;
		int rc = read_fields(r, err);
		if (rc <= 0)
			return rc;
		if (record_is_blank(r))
			continue;
		xgrow((void **)&r->fields, &r->alloc_fields, r->noffsets, sizeof(char *));
		for (size_t i = 0; i < r->noffsets; i++)
			r->fields[i] = r->text.buf + r->offsets[i];
		rec->nfields = r->noffsets;
		rec->fields = r->fields;
		rec->line = line;
		return 1;
	}
}

static int same_name_trimmed(const char *field, const char *name)
{
	while (isspace((unsigned char)*field))
		field++;
	size_t len = strlen(field);
	while (len && isspace((unsigned char)field[len - 1]))
		len--;
	return len == strlen(name) && !strncasecmp(field, name, len);
}

int csv_column(const struct csv_record *header, const char *name)
{
	for (size_t i = 0; i < header->nfields; i++)
		if (same_name_trimmed(header->fields[i], name))
			return (int)i;
	return -1;
}

const char *csv_field(const struct csv_record *rec, int i)
{
	if (i < 0 || (size_t)i >= rec->nfields)
		return "";
	return rec->fields[i];
}

void csv_write_field(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n") &&
	    !(*s && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1])))) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

void csv_end_row(FILE *out)
{
	fputs("\r\n", out);
}

void csv_write_row(FILE *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', out);
		csv_write_field(out, fields[i]);
	}
	csv_end_row(out);
}
