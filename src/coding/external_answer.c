/*
 * external_answer.c - an external rater's answer: its JSON read, then
 * checked as "codes import" checks rows (see external.h).
 *
 * Parsing looks at shapes only (which members, of which JSON types), so it
 * needs no database and can be fuzzed on its own; the words in the answer
 * (dimensions, categories, reasons) are resolved by codes_check_row, with
 * its messages, so an answer and a CSV row are refused for the same things
 * in the same words.
 */
#include "external.h"

#include "xalloc.h"

#include <stdarg.h>
#include <string.h>

static int wrong(struct strbuf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int wrong(struct strbuf *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vadd_reason(why, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* Member key of o, when it is a string (or null, when null_ok); *out NULL when absent or null. */
static int string_member(const json_t *o, const char *key, const char *where, const char **out,
                         struct strbuf *why)
{
	const json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return wrong(why, "%s%s: %s, expected a string", where, key, type_name(v));
	*out = json_string_value(v);
	return 0;
}

/* Refuses members of o other than the allowed ones (a NULL-terminated list). */
static int only_members(const json_t *o, const char *where, const char *const *allowed,
                        const char *expected, struct strbuf *why)
{
	const char *key;
	const json_t *v;
	int rc = 0;
	json_object_foreach((json_t *)o, key, v)
	{
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key))
			i++;
		if (!allowed[i])
			rc = wrong(why, "%sunknown member '%s' (expected %s)", where, key,
			           expected);
	}
	return rc;
}

static int parse_confidence(const json_t *v, const char *dim, struct external_code *c,
                            struct strbuf *why)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return wrong(why, "codes.%s.confidence: %s, expected a number from 0 to 1", dim,
		             type_name(v));
	double x = json_number_value(v);
	if (!(x >= 0 && x <= 1))
		return wrong(why, "codes.%s.confidence: %g is not a number from 0 to 1", dim, x);
	c->confidence = x;
	c->has_confidence = 1;
	return 0;
}

static int parse_code(const char *dim, const json_t *v, struct external_code *c, struct strbuf *why)
{
	static const char *const allowed[] = {"category", "subcategory", "confidence", NULL};
	memset(c, 0, sizeof(*c));
	c->dimension = dim;
	if (json_is_string(v)) {
		c->category = json_string_value(v);
		return 0;
	}
	if (!json_is_object(v))
		return wrong(why,
		             "codes.%s: %s, expected a category (a string) or an object with "
		             "\"category\"",
		             dim, type_name(v));
	char where[160];
	snprintf(where, sizeof(where), "codes.%s.", dim);
	int rc = only_members(v, where, allowed, "category, subcategory, confidence", why);
	if (string_member(v, "category", where, &c->category, why) ||
	    string_member(v, "subcategory", where, &c->subcategory, why))
		rc = -1;
	else if (!c->category)
		rc = wrong(why, "codes.%s: no \"category\"", dim);
	if (parse_confidence(json_object_get(v, "confidence"), dim, c, why))
		rc = -1;
	return rc;
}

static int parse_codes(const json_t *codes, struct external_answer *a, struct strbuf *why)
{
	if (!codes || json_is_null(codes))
		return 0;
	if (!json_is_object(codes))
		return wrong(why, "codes: %s, expected an object of dimension: category",
		             type_name(codes));
	a->codes = xcalloc(json_object_size(codes) + 1, sizeof(*a->codes));
	const char *dim;
	json_t *v;
	int rc = 0;
	json_object_foreach((json_t *)codes, dim, v)
	{
		if (parse_code(dim, v, &a->codes[a->ncodes], why))
			rc = -1;
		else
			a->ncodes++;
	}
	return rc;
}

static int parse_exclusion(const json_t *x, struct external_answer *a, struct strbuf *why)
{
	static const char *const allowed[] = {"reason", "note", NULL};
	if (!x || json_is_null(x))
		return 0;
	if (json_is_string(x)) {
		a->exclusion = json_string_value(x);
		return 0;
	}
	if (!json_is_object(x))
		return wrong(why,
		             "exclusion: %s, expected null, a reason (a string) or an object with "
		             "\"reason\"",
		             type_name(x));
	int rc = only_members(x, "exclusion.", allowed, "reason, note", why);
	if (string_member(x, "reason", "exclusion.", &a->exclusion, why) ||
	    string_member(x, "note", "exclusion.", &a->exclusion_note, why))
		return -1;
	if (!a->exclusion)
		return wrong(why, "exclusion: no \"reason\"");
	return rc;
}

static int parse_format(const json_t *f, struct strbuf *why)
{
	if (!f)
		return 0;
	if (!json_is_integer(f))
		return wrong(why, "format: %s, expected %d", type_name(f), EXTERNAL_FORMAT);
	if (json_integer_value(f) != EXTERNAL_FORMAT)
		return wrong(why,
		             "format %" JSON_INTEGER_FORMAT " is not known (this issuemine "
		             "reads format %d)",
		             json_integer_value(f), EXTERNAL_FORMAT);
	return 0;
}

/* The first line of the answer, cut short, for messages about text that is not JSON. */
static void quote_start(const char *text, size_t len, struct strbuf *why)
{
	while (len && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')) {
		text++;
		len--;
	}
	size_t n = 0;
	while (n < len && n < 60 && text[n] != '\n' && text[n] != '\r')
		n++;
	strbuf_adds(why, " (it begins '");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch < 0x20 || ch == 0x7f)
			strbuf_addf(why, "\\x%02x", ch);
		else
			strbuf_addch(why, ch);
	}
	strbuf_adds(why, n < len ? "...')" : "')");
}

static int is_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
			return 0;
	return 1;
}

int external_answer_parse(const char *text, size_t len, struct external_answer *a,
                          struct strbuf *why)
{
	static const char *const allowed[] = {"format", "codes", "note", "exclusion", "meta", NULL};
	memset(a, 0, sizeof(*a));
	if (is_blank(text, len))
		return wrong(why, "wrote no answer on standard output");
	json_error_t jerr;
	a->root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!a->root) {
		wrong(why, "malformed JSON: line %d, column %d: %s", jerr.line, jerr.column,
		      jerr.text);
		quote_start(text, len, why);
		return -1;
	}
	if (!json_is_object(a->root))
		return wrong(why, "the answer is %s, expected a JSON object", type_name(a->root));
	int rc = only_members(a->root, "", allowed, "codes, note, exclusion, format, meta", why);
	if (parse_format(json_object_get(a->root, "format"), why))
		rc = -1;
	if (parse_codes(json_object_get(a->root, "codes"), a, why))
		rc = -1;
	if (string_member(a->root, "note", "", &a->note, why))
		rc = -1;
	if (parse_exclusion(json_object_get(a->root, "exclusion"), a, why))
		rc = -1;
	return rc;
}

void external_answer_release(struct external_answer *a)
{
	json_decref(a->root);
	free(a->codes);
	memset(a, 0, sizeof(*a));
}

/* --- checking against the taxonomy and the sample --- */

void external_checked_release(struct external_checked *c)
{
	for (size_t i = 0; i < c->nrows; i++)
		codes_checked_release(&c->rows[i]);
	free(c->rows);
	free(c->confidence);
	memset(c, 0, sizeof(*c));
}

/* The row of code i (or the note/exclusion row when i == ncodes == 0). */
static void row_of(const char *issue_ref, const char *rater, const struct external_answer *a,
                   size_t i, struct codes_row *row)
{
	memset(row, 0, sizeof(*row));
	row->issue = (char *)issue_ref;
	row->rater = (char *)rater;
	if (i < a->ncodes) {
		row->dimension = (char *)a->codes[i].dimension;
		row->category = (char *)a->codes[i].category;
		row->subcategory = (char *)a->codes[i].subcategory;
	}
	if (i == 0) { /* the note and the exclusion belong to the issue: on the first row */
		row->note = (char *)a->note;
		row->exclusion = (char *)a->exclusion;
		row->exclusion_note = (char *)a->exclusion_note;
	}
}

/* The same dimension named twice ("cause" and "Cause"). */
static void check_repeats(const struct external_checked *c, const struct external_answer *a,
                          struct strbuf *why)
{
	for (size_t i = 1; i < c->nrows; i++)
		for (size_t j = 0; j < i; j++)
			if (c->rows[i].code.dim && c->rows[i].code.dim == c->rows[j].code.dim) {
				wrong(why, "dimension %s is coded twice ('%s' and '%s')",
				      c->rows[i].code.dim->key, a->codes[j].dimension,
				      a->codes[i].dimension);
				break;
			}
}

static void check_complete(const struct taxonomy *t, const struct external_checked *c,
                           struct strbuf *why)
{
	if (c->excluded)
		return;
	for (size_t d = 0; d < t->ndims; d++) {
		size_t i = 0;
		while (i < c->nrows && c->rows[i].code.dim != &t->dims[d])
			i++;
		if (i == c->nrows)
			wrong(why,
			      "no code for dimension %s (an answer codes every dimension, or "
			      "excludes the issue)",
			      t->dims[d].key);
	}
}

int external_answer_check(struct store *s, const struct taxonomy *t, int64_t set_id,
                          const char *sample, const char *issue_ref, const char *rater,
                          const struct external_answer *a, struct external_checked *c,
                          struct strbuf *why, struct error *err)
{
	struct codes_import_options o = {sample, 0, 0};
	memset(c, 0, sizeof(*c));
	if (!a->ncodes && !a->exclusion) {
		wrong(why,
		      "no codes and no exclusion (an answer codes every dimension, or excludes "
		      "the issue)");
		return 0;
	}
	size_t n = a->ncodes ? a->ncodes : 1;
	c->rows = xcalloc(n, sizeof(*c->rows));
	c->confidence = xcalloc(n, sizeof(*c->confidence));
	for (size_t i = 0; i < n; i++) {
		struct codes_row row;
		struct strbuf row_why = STRBUF_INIT;
		row_of(issue_ref, rater, a, i, &row);
		int rc = codes_check_row(s, t, &o, set_id, &row, &c->rows[c->nrows], &row_why, err);
		c->confidence[c->nrows] =
		        i < a->ncodes && a->codes[i].has_confidence ? a->codes[i].confidence : -1;
		c->nrows++;
		if (row_why.len)
			wrong(why, "%s", row_why.buf);
		strbuf_release(&row_why);
		if (rc)
			return -1;
	}
	c->excluded = c->rows[0].reason != NULL;
	if (!why->len && a->ncodes) {
		check_repeats(c, a, why);
		check_complete(t, c, why);
	}
	return 0;
}
