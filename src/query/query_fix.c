/*
 * query_fix.c - compiling the terms over fix evidence to SQL (see query_fix.h).
 *
 * Each term is a condition on issue i over the tables fixes fx (an issue's
 * links), fix_changes fc and fix_files ff, reached through fx's primary key
 * (issue_id, change_id) and fix_files' (change_id, position) index, so a term
 * costs a few index lookups per issue whatever the size of the tables.
 */
#include "query_fix.h"
#include "query.h"
#include "regexp.h"
#include "store.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A fix of issue i (through fx and fc) for which cond holds. */
#define FIX_EXISTS                                                                                 \
	"EXISTS (SELECT 1 FROM fixes fx JOIN fix_changes fc ON fc.id = fx.change_id WHERE "        \
	"fx.issue_id = i.id AND fx.role = 'fix' AND "

/* A file of a fix of issue i whose path or previous path matches ?pat with ?flags. */
#define FIX_PATH_EXISTS                                                                            \
	"EXISTS (SELECT 1 FROM fixes fx JOIN fix_files ff ON ff.change_id = fx.change_id WHERE "   \
	"fx.issue_id = i.id AND fx.role = 'fix' AND "                                              \
	"(coalesce(regexp(?%d, ff.path, ?%d, i.id), 0) OR "                                        \
	"coalesce(regexp(?%d, ff.previous_path, ?%d, i.id), 0)))"

static const char *const keys[] = {"fix",       "fixes",         "linked",       "fix.path",
                                   "fix.files", "fix.additions", "fix.deletions"};

static int key_is(const char *key, size_t len, const char *want)
{
	return strlen(want) == len && !strncmp(key, want, len);
}

int query_fix_is_key(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (key_is(key, len, keys[i]))
			return 1;
	return 0;
}

int query_fix_takes_pattern(const char *key, size_t len)
{
	return key_is(key, len, "fix.path");
}

/* --- globs --- */

static void add_literal(struct strbuf *out, unsigned char c)
{
	/* In PCRE2 a backslash before any ASCII punctuation makes it literal. */
	if (c < 0x80 && !isalnum(c) && c != '/' && c != '_')
		strbuf_addch(out, '\\');
	strbuf_addch(out, c);
}

/* Bytes of the UTF-8 character at s[0..len), or 0 when it is not one (as PCRE2 sees it). */
static size_t utf8_char(const unsigned char *s, size_t len)
{
	static const struct {
		unsigned char lo, hi, second_lo, second_hi;
		size_t n;
	} leads[] = {
	        {0x00, 0x7F, 0, 0, 1},       {0xC2, 0xDF, 0x80, 0xBF, 2},
	        {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
	        {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3},
	        {0xF0, 0xF0, 0x90, 0xBF, 4}, {0xF1, 0xF3, 0x80, 0xBF, 4},
	        {0xF4, 0xF4, 0x80, 0x8F, 4},
	};
	for (size_t k = 0; k < sizeof(leads) / sizeof(leads[0]); k++) {
		if (s[0] < leads[k].lo || s[0] > leads[k].hi)
			continue;
		size_t n = leads[k].n;
		if (n == 1)
			return s[0] ? 1 : 0;
		if (len < n || s[1] < leads[k].second_lo || s[1] > leads[k].second_hi)
			return 0;
		for (size_t i = 2; i < n; i++)
			if (s[i] < 0x80 || s[i] > 0xBF)
				return 0;
		return n;
	}
	return 0;
}

/* The offset of the first byte of glob that is not part of UTF-8 text, or len. */
static size_t utf8_invalid_at(const char *glob, size_t len)
{
	const unsigned char *s = (const unsigned char *)glob;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_char(s + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

/* The code point of the n-byte UTF-8 character at s (n from utf8_char). */
static uint32_t code_point(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	uint32_t cp = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	return cp;
}

/* Appends the character of n bytes at s, quoted for a pattern if need be. */
static void add_char(struct strbuf *out, const char *s, size_t n)
{
	if (n == 1)
		add_literal(out, (unsigned char)s[0]);
	else
		strbuf_add(out, s, n);
}

/* The character at glob[*k] (after a '\' that quotes it): *n its bytes, its code point. */
static uint32_t class_char(const char *glob, size_t len, size_t *k, size_t *n)
{
	if (glob[*k] == '\\' && *k + 1 < len)
		(*k)++;
	*n = utf8_char((const unsigned char *)glob + *k, len - *k);
	return code_point((const unsigned char *)glob + *k, *n);
}

/*
 * A [...] class at glob[*i] (on the '['), never matching '/' when negated.
 * Returns -1 with *why when it is not closed or holds a range backwards.
 */
static int add_class(const char *glob, size_t len, size_t *i, struct strbuf *out, const char **why)
{
	size_t k = *i + 1;
	int negate = k < len && (glob[k] == '!' || glob[k] == '^');
	k += negate;
	size_t first = k;
	strbuf_adds(out, negate ? "[^/" : "[");
	while (k < len && (glob[k] != ']' || k == first)) {
		size_t n, m;
		uint32_t lo = class_char(glob, len, &k, &n);
		add_char(out, glob + k, n);
		k += n;
		if (k + 1 >= len || glob[k] != '-' || glob[k + 1] == ']')
			continue;
		k++; /* a range */
		uint32_t hi = class_char(glob, len, &k, &m);
		if (hi < lo) {
			*why = "a range of the glob ends before it starts";
			return -1;
		}
		strbuf_addch(out, '-');
		add_char(out, glob + k, m);
		k += m;
	}
	if (k >= len) {
		*why = "expected ']' to close this '[' of the glob";
		return -1;
	}
	strbuf_addch(out, ']');
	*i = k;
	return 0;
}

/* '*' runs at glob[*i]: one star is a name's characters, two or more any path. */
static void add_stars(const char *glob, size_t len, size_t *i, struct strbuf *out)
{
	size_t k = *i;
	while (k < len && glob[k] == '*')
		k++;
	if (k - *i == 1) {
		strbuf_adds(out, "[^/]*");
	} else if (k < len && glob[k] == '/') {
		/* '**' and '/': any number of directories, none too */
		strbuf_adds(out, "(?:.*/)?");
		k++;
	} else {
		strbuf_adds(out, ".*");
	}
	*i = k - 1;
}

int query_fix_glob_to_regex(const char *glob, size_t len, struct strbuf *out, size_t *at,
                            const char **why)
{
	size_t bad = utf8_invalid_at(glob, len);
	if (bad < len) {
		*at = bad;
		*why = "the glob is not UTF-8 text here";
		return -1;
	}
	if (!len) {
		*at = 0;
		*why = "expected a glob (torch/onnx/**) or a /PATTERN/ after fix.path:";
		return -1;
	}
	strbuf_adds(out, "^");
	if (!memchr(glob, '/', len))
		strbuf_adds(out, "(?:.*/)?"); /* a bare name: in any directory */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)glob[i];
		if (c == '*') {
			add_stars(glob, len, &i, out);
		} else if (c == '?') {
			strbuf_adds(out, "[^/]");
		} else if (c == '[') {
			size_t open = i;
			if (add_class(glob, len, &i, out, why)) {
				*at = open;
				return -1;
			}
		} else if (c == '\\') {
			if (i + 1 == len) {
				*at = i;
				*why = "a '\\' at the end of the glob quotes nothing";
				return -1;
			}
			add_literal(out, (unsigned char)glob[++i]);
		} else {
			add_literal(out, c);
		}
	}
	if (glob[len - 1] == '/')
		strbuf_adds(out, ".*"); /* a directory: everything under it */
	strbuf_adds(out, "$");
	return 0;
}

/* --- terms --- */

/*
 * The value with its quoted parts unquoted (\" and \\ inside them), and
 * for each byte of it the offset it came from.
 */
static char *unquote(const char *value, size_t len, size_t **from)
{
	struct strbuf sb = STRBUF_INIT;
	*from = xcalloc(len + 1, sizeof(**from));
	for (size_t i = 0; i < len; i++) {
		if (value[i] != '"') {
			(*from)[sb.len] = i;
			strbuf_addch(&sb, value[i]);
			continue;
		}
		for (i++; i < len && value[i] != '"'; i++) {
			if (value[i] == '\\' && i + 1 < len &&
			    (value[i + 1] == '"' || value[i + 1] == '\\'))
				i++;
			(*from)[sb.len] = i;
			strbuf_addch(&sb, value[i]);
		}
	}
	(*from)[sb.len] = len;
	return strbuf_detach(&sb, NULL);
}

static int compile_path(const char *value, size_t len, const struct query_fix_host *h,
                        struct strbuf *sql)
{
	int pat, flags;
	if (len && value[0] == '/') {
		if (h->pattern(h->data, &pat, &flags))
			return -1;
	} else {
		size_t *from, at = 0;
		const char *why = NULL;
		struct strbuf re = STRBUF_INIT;
		char *glob = unquote(value, len, &from);
		int rc = query_fix_glob_to_regex(glob, strlen(glob), &re, &at, &why);
		struct error err;
		if (!rc && regexp_check(re.buf, "", NULL, &err))
			rc = h->fail(h->data, 0, err.msg); /* a glob always makes a valid pattern */
		else if (rc)
			rc = h->fail(h->data, from[at], why);
		if (!rc) {
			pat = h->param_text(h->data, re.buf);
			flags = h->param_text(h->data, "");
		}
		free(glob);
		free(from);
		strbuf_release(&re);
		if (rc)
			return -1;
	}
	strbuf_addf(sql, FIX_PATH_EXISTS, pat, flags, pat, flags);
	return 0;
}

static int compile_kind(const char *value, size_t len, const struct query_fix_host *h,
                        struct strbuf *sql)
{
	static const char *const words[][2] = {
	        {"pr", "fc.kind = 'pr'"},
	        {"commit", "fc.kind = 'commit'"},
	        {"merged", "fc.kind = 'pr' AND fc.merged = 1"},
	        {"gone", "fc.status = 'gone'"},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (key_is(value, len, words[i][0])) {
			strbuf_addf(sql, FIX_EXISTS "%s)", words[i][1]);
			return 0;
		}
	}
	return h->fail(h->data, 0, "expected pr, commit, merged or gone after fix:");
}

/* fix.files:, fix.additions:, fix.deletions: a fix with that many. */
static int compile_size(const char *column, const struct query_fix_host *h, struct strbuf *sql)
{
	strbuf_adds(sql, FIX_EXISTS);
	if (h->count(h->data, sql, column))
		return -1;
	strbuf_addch(sql, ')');
	return 0;
}

static int compile_known(const char *key, const char *value, size_t len,
                         const struct query_fix_host *h, struct strbuf *sql)
{
	size_t n = strlen(key);
	if (key_is(key, n, "fix"))
		return compile_kind(value, len, h, sql);
	if (key_is(key, n, "fixes"))
		return h->count(h->data, sql,
		                "(SELECT count(*) FROM fixes fx WHERE fx.issue_id = i.id AND "
		                "fx.role = 'fix')");
	if (key_is(key, n, "linked"))
		return h->count(h->data, sql,
		                "(SELECT count(*) FROM fixes fx WHERE fx.issue_id = i.id AND "
		                "fx.role = 'linked')");
	if (key_is(key, n, "fix.path"))
		return compile_path(value, len, h, sql);
	if (key_is(key, n, "fix.files"))
		return compile_size("fc.file_count", h, sql);
	if (key_is(key, n, "fix.additions"))
		return compile_size("fc.additions", h, sql);
	if (key_is(key, n, "fix.deletions"))
		return compile_size("fc.deletions", h, sql);
	return h->fail(h->data, 0, "not a term over fixes");
}

int query_fix_compile(const char *key, const char *value, size_t len,
                      const struct query_fix_host *h, struct strbuf *sql)
{
	/* Without fix data the term is whatever the assumption parameter says. */
	strbuf_adds(sql, "(CASE WHEN " QUERY_FIX_RESOLVED " THEN ");
	if (compile_known(key, value, len, h, sql))
		return -1;
	strbuf_addf(sql, " ELSE ?%d END)", h->assume);
	return 0;
}

/* --- issues the fix terms leave undecided --- */

/* Issues without fix data that match when fix terms hold, but not as they are. */
static int count_might(struct store *s, struct query *q, long *might, struct error *err)
{
	sqlite3_stmt *assumed, *actual;
	query_assume_fixes(q, 1);
	int rc = query_prepare(s, q, "i.id", "AND NOT " QUERY_FIX_RESOLVED, &assumed, NULL, err);
	query_assume_fixes(q, 0);
	if (rc)
		return -1;
	size_t n;
	query_where(q, NULL, &n);
	char tail[64];
	snprintf(tail, sizeof(tail), "AND i.id = ?%zu", n + 1);
	if (query_prepare(s, q, "1", tail, &actual, NULL, err)) {
		sqlite3_finalize(assumed);
		return -1;
	}
	*might = 0;
	while ((rc = sqlite3_step(assumed)) == SQLITE_ROW) {
		sqlite3_reset(actual);
		sqlite3_bind_int64(actual, (int)n + 1, sqlite3_column_int64(assumed, 0));
		int hit = sqlite3_step(actual);
		if (hit == SQLITE_DONE)
			(*might)++;
		else if (hit != SQLITE_ROW)
			break;
	}
	int ok = rc == SQLITE_DONE;
	sqlite3_finalize(assumed);
	sqlite3_finalize(actual);
	return ok ? 0 : store_error(s, err, "query");
}

int query_fix_unknowns(struct store *s, struct query *q, long *without, long *might,
                       struct error *err)
{
	*without = *might = 0;
	if (!query_uses_fixes(q))
		return 0;
	if (query_count(s, q, "AND NOT " QUERY_FIX_RESOLVED, without, err))
		return -1;
	return count_might(s, q, might, err);
}
