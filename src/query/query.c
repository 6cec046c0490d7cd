/*
 * query.c - parsing the filter language and compiling it to SQL (see query.h).
 *
 * The parser is a recursive descent over tokens (parentheses, OR, AND, NOT,
 * '-', and KEY:VALUE terms) that compiles as it goes: each rule appends its
 * SQL to a strbuf and its values to the parameter list, so the tree never
 * needs to exist. Precedence, tightest first: NOT and '-', then AND (also
 * written as juxtaposition), then OR.
 *
 * Every leaf is a condition on one issue row i (with its repository r):
 * columns of issues, EXISTS over labels, or EXISTS over events e. Negation
 * is "(X) IS NOT 1", so an unknown value (a NULL column) counts as "does not
 * hold" and its negation as "holds": -X is always the complement of X.
 *
 * Positions are byte offsets into the text until an error turns one into a
 * line and a column (counted in characters).
 */
#include "query.h"
#include "builtin.h"
#include "issueref.h"
#include "number.h"
#include "query_fix.h"
#include "regexp.h"
#include "termsafe.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct query {
	char *text;
	struct strbuf where;
	struct query_param *params;
	size_t nparams, alloc;
	/*
	 * The parameters fix terms take without fix data (0: none yet): one for
	 * the terms under an even number of negations, one for those under an
	 * odd number (see query_assume_fixes).
	 */
	int fix_assume, fix_assume_negated;
	int uses_gone; /* has an is:gone term */
};

/* --- tokens --- */

enum tok_type {
	TOK_EOF,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_OR,
	TOK_AND,
	TOK_NOT,
	TOK_MINUS,
	TOK_TERM,
	TOK_TEXT, /* a bare word or a "quoted phrase": searched in titles and bodies */
};

struct token {
	enum tok_type type;
	size_t start, end;       /* the whole token */
	size_t key_end;          /* TERM: the key is [start, key_end) */
	size_t value, value_end; /* TERM: the value after ':' */
};

/*
 * A term that OR chains of its kind can merge into one IN (...): which kind,
 * and the parameter holding its value. Kind 0 is any other operand.
 */
enum like_kind { LIKE_NONE, LIKE_REPO, LIKE_LABEL, LIKE_AUTHOR, LIKE_KINDS };

struct like {
	enum like_kind kind;
	int param;
};

struct parser {
	struct query *q;
	const char *text;
	size_t pos;       /* next unread byte */
	struct token tok; /* the current token */
	struct error *err;
	size_t err_at; /* byte offset of the error */
	int depth;
	int negated;      /* under an odd number of NOTs */
	struct like like; /* what the operand just compiled was */
};

/* Fails at byte offset at with a message; returns -1. */
static int fail_at(struct parser *p, size_t at, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(p->err->msg)];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->err_at = at;
	return error_set(p->err, "%s", msg);
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Ends a bare value or a keyword. */
static int is_stop(int c)
{
	return !c || is_space(c) || c == '(' || c == ')';
}

static void skip_blanks_and_comments(struct parser *p)
{
	const char *t = p->text;
	for (;;) {
		while (is_space((unsigned char)t[p->pos]))
			p->pos++;
		if (t[p->pos] != '#')
			return;
		while (t[p->pos] && t[p->pos] != '\n')
			p->pos++;
	}
}

/*
 * Skips text from *at (on the opening delimiter) past the closing one, a
 * backslash quoting the next character; -1 with "unterminated what" if none.
 */
static int skip_delimited(struct parser *p, size_t *at, char delim, const char *what)
{
	size_t start = *at, i = start + 1;
	for (; p->text[i] && p->text[i] != delim; i++)
		if (p->text[i] == '\\' && p->text[i + 1])
			i++;
	if (!p->text[i])
		return fail_at(p, start, "unterminated %s (expected a closing '%c')", what, delim);
	*at = i + 1;
	return 0;
}

/* Skips a quoted string starting at *at (on the '"'); -1 if unterminated. */
static int skip_quoted(struct parser *p, size_t *at)
{
	return skip_delimited(p, at, '"', "quoted string");
}

/*
 * Skips a [...] group starting at *at, honouring quotes and the array
 * indexes of paths inside it (a[0]); -1 if unclosed.
 */
static int skip_brackets(struct parser *p, size_t *at)
{
	size_t start = *at, i = start + 1;
	int depth = 1;
	while (p->text[i] && depth) {
		if (p->text[i] == '"') {
			if (skip_quoted(p, &i))
				return -1;
			continue;
		}
		depth += p->text[i] == '[' ? 1 : p->text[i] == ']' ? -1 : 0;
		i++;
	}
	if (depth)
		return fail_at(p, start, "expected ']' to close this '['");
	*at = i;
	return 0;
}

/* Skips /pattern/flags starting at *at (on the first '/'). */
static int skip_regex(struct parser *p, size_t *at)
{
	if (skip_delimited(p, at, '/', "pattern"))
		return -1;
	while (isalpha((unsigned char)p->text[*at]))
		(*at)++;
	return 0;
}

static int key_takes_regex(const char *key, size_t len)
{
	static const char *const keys[] = {"title", "body", "comments", "text"};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strlen(keys[k]) == len && !strncmp(key, keys[k], len))
			return 1;
	return 0;
}

/*
 * Reads a bare word (up to white space, a parenthesis or a quote) or a
 * "quoted phrase" at p->pos, as GitHub's search does.
 */
static int lex_text(struct parser *p, struct token *t)
{
	const char *s = p->text;
	size_t i = p->pos;
	if (s[i] == '"') {
		if (skip_quoted(p, &i))
			return -1;
	} else {
		while (!is_stop((unsigned char)s[i]) && s[i] != '"')
			i++;
	}
	if (s[i] == '(')
		return fail_at(p, i, "expected white space before '(' (quote words that hold one)");
	t->type = TOK_TEXT;
	t->start = t->value = p->pos;
	t->end = t->value_end = t->key_end = i;
	p->pos = i;
	return 0;
}

/* Reads a KEY:VALUE term whose key starts at p->pos, or else a word. */
static int lex_term(struct parser *p, struct token *t)
{
	const char *s = p->text;
	size_t i = p->pos;
	/* '.' for the fix terms' keys (fix.path:) */
	while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.')
		i++;
	if (s[i] != ':' || i == p->pos)
		return lex_text(p, t);
	t->type = TOK_TERM;
	t->start = p->pos;
	t->key_end = i;
	t->value = ++i;
	size_t key_len = t->key_end - t->start;
	if (s[i] == '/' && (key_takes_regex(s + t->start, key_len) ||
	                    query_fix_takes_pattern(s + t->start, key_len))) {
		if (skip_regex(p, &i))
			return -1;
	}
	while (!is_stop((unsigned char)s[i])) {
		if (s[i] == '"') {
			if (skip_quoted(p, &i))
				return -1;
		} else if (s[i] == '[') {
			if (skip_brackets(p, &i))
				return -1;
		} else {
			i++;
		}
	}
	if (s[i] == '(')
		return fail_at(p, i,
		               "expected white space before '(' (quote a value that holds one)");
	t->value_end = t->end = i;
	p->pos = i;
	return 0;
}

static int is_keyword(const char *s, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(s, word, n) && is_stop((unsigned char)s[n]);
}

/* Reads the next token into p->tok. */
static int next_token(struct parser *p)
{
	struct token *t = &p->tok;
	size_t last_end = p->pos;
	skip_blanks_and_comments(p);
	const char *s = p->text + p->pos;
	memset(t, 0, sizeof(*t));
	t->start = p->pos;
	if (!*s) {
		/*
		 * The end sits right after the last token, so that "expected ...,
		 * found the end" points at a line of the query rather than past a
		 * trailing newline or comment.
		 */
		t->type = TOK_EOF;
		t->start = p->pos = last_end;
	} else if (*s == '(' || *s == ')') {
		t->type = *s == '(' ? TOK_LPAREN : TOK_RPAREN;
		p->pos++;
	} else if (is_keyword(s, "OR") || is_keyword(s, "AND") || is_keyword(s, "NOT")) {
		t->type = s[0] == 'O' ? TOK_OR : s[0] == 'A' ? TOK_AND : TOK_NOT;
		p->pos += s[0] == 'O' ? 2 : 3;
	} else if (*s == '-') {
		if (is_stop((unsigned char)s[1]) && s[1] != '(')
			return fail_at(p, p->pos,
			               "expected a term or '(' right after '-' (no space between)");
		t->type = TOK_MINUS;
		p->pos++;
	} else {
		return lex_term(p, t);
	}
	t->end = p->pos;
	return 0;
}

/* --- parameters and SQL --- */

static int add_param(struct query *q, struct query_param param)
{
	xgrow((void **)&q->params, &q->alloc, q->nparams + 1, sizeof(*q->params));
	q->params[q->nparams++] = param;
	return (int)q->nparams;
}

/* Adds a text parameter (copied); returns its number. */
static int param_text(struct query *q, const char *text)
{
	struct query_param param = {QUERY_PARAM_TEXT, xstrdup(text), 0, 0};
	return add_param(q, param);
}

static int param_int(struct query *q, int64_t v)
{
	struct query_param param = {QUERY_PARAM_INT, NULL, v, 0};
	return add_param(q, param);
}

static int param_real(struct query *q, double v)
{
	struct query_param param = {QUERY_PARAM_REAL, NULL, 0, v};
	return add_param(q, param);
}

/* --- values --- */

/*
 * The text of a value span: quoted parts unescaped (\" and \\), bare parts as
 * they are. Caller frees.
 */
static char *value_text(const char *s, size_t start, size_t end)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = start; i < end; i++) {
		if (s[i] != '"') {
			strbuf_addch(&sb, s[i]);
			continue;
		}
		for (i++; i < end && s[i] != '"'; i++) {
			if (s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
				i++;
			strbuf_addch(&sb, s[i]);
		}
	}
	return strbuf_detach(&sb, NULL);
}

static int span_is(const char *s, size_t start, size_t end, const char *word)
{
	return end - start == strlen(word) && !strncmp(s + start, word, end - start);
}

/* --- dates and counts --- */

enum cmp { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ };

static const char *cmp_sql(enum cmp c)
{
	static const char *const ops[] = {">=", ">", "<=", "<", "="};
	return ops[c];
}

/* Reads a leading >=, >, <=, < or = from s+*i; CMP_EQ when there is none. */
static enum cmp read_cmp(const char *s, size_t *i)
{
	if (s[*i] == '>' || s[*i] == '<') {
		int gt = s[*i] == '>';
		(*i)++;
		if (s[*i] == '=') {
			(*i)++;
			return gt ? CMP_GE : CMP_LE;
		}
		return gt ? CMP_GT : CMP_LT;
	}
	if (s[*i] == '=')
		(*i)++;
	return CMP_EQ;
}

/* Finds ".." in [start, end); returns its offset or 0. */
static size_t find_range(const char *s, size_t start, size_t end)
{
	for (size_t i = start; i + 1 < end; i++)
		if (s[i] == '.' && s[i + 1] == '.')
			return i;
	return 0;
}

/* Appends "col OP ?N" for a time bound given as written (a day or a full time). */
static int time_bound(struct parser *p, struct strbuf *sql, const char *col, enum cmp cmp,
                      size_t start, size_t end)
{
	char *text = xstrndup(p->text + start, end - start);
	char iso[ISO_TIME_LEN];
	time_t t;
	if (time_parse_iso(text, &t)) {
		fail_at(p, start, "expected a date (YYYY-MM-DD or an ISO 8601 time), found '%s'",
		        text);
		free(text);
		return -1;
	}
	if (time_is_date_only(text)) {
		/* A day stands for all of it: > and <= move to the start of the next day. */
		if (cmp == CMP_GT || cmp == CMP_LE)
			t += 86400;
		cmp = cmp == CMP_GT ? CMP_GE : cmp == CMP_LE ? CMP_LT : cmp;
	}
	time_format_iso(t, iso);
	if (cmp == CMP_EQ && time_is_date_only(text)) {
		char next[ISO_TIME_LEN];
		time_format_iso(t + 86400, next);
		int a = param_text(p->q, iso), b = param_text(p->q, next);
		strbuf_addf(sql, "(%s >= ?%d AND %s < ?%d)", col, a, col, b);
	} else {
		strbuf_addf(sql, "%s %s ?%d", col, cmp_sql(cmp), param_text(p->q, iso));
	}
	free(text);
	return 0;
}

/* created:, closed:, updated: with >=D, >D, <=D, <D, D, D..D, D..*, *..D. */
static int compile_date(struct parser *p, struct strbuf *sql, const char *col, size_t start,
                        size_t end)
{
	const char *s = p->text;
	if (start == end)
		return fail_at(p, start, "expected a date or a range (>=D, <D, D..D) after '%.*s'",
		               (int)(start - p->tok.start), s + p->tok.start);
	size_t dots = find_range(s, start, end);
	if (!dots) {
		size_t i = start;
		enum cmp cmp = read_cmp(s, &i);
		return time_bound(p, sql, col, cmp, i, end);
	}
	int lower = !span_is(s, start, dots, "*"), upper = !span_is(s, dots + 2, end, "*");
	if (!lower && !upper)
		return fail_at(p, start, "expected at least one date in the range '*..*'");
	strbuf_addch(sql, '(');
	if (lower && time_bound(p, sql, col, CMP_GE, start, dots))
		return -1;
	if (lower && upper)
		strbuf_adds(sql, " AND ");
	if (upper && time_bound(p, sql, col, CMP_LE, dots + 2, end))
		return -1;
	strbuf_addch(sql, ')');
	return 0;
}

static int read_count(struct parser *p, size_t start, size_t end, int64_t *out)
{
	int rc = number_parse_span(p->text + start, end - start, 0, INT64_MAX, out);
	if (rc == NUMBER_RANGE && p->text[start] != '-')
		return fail_at(p, start, "the count '%.*s' is out of range (0 to %" PRId64 ")",
		               (int)(end - start), p->text + start, INT64_MAX);
	if (rc)
		return fail_at(p, start, "expected a whole number, found '%.*s'",
		               (int)(end - start), p->text + start);
	return 0;
}

/* events:, comments: with >=N, >N, <=N, <N, N, N..M, N..*. */
static int compile_count(struct parser *p, struct strbuf *sql, const char *expr, size_t start,
                         size_t end)
{
	const char *s = p->text;
	size_t dots = find_range(s, start, end);
	int64_t lo, hi;
	if (start == end)
		return fail_at(p, start, "expected a count (N, >=N, <N, N..M) after '%.*s'",
		               (int)(start - p->tok.start), s + p->tok.start);
	if (!dots) {
		size_t i = start;
		enum cmp cmp = read_cmp(s, &i);
		if (read_count(p, i, end, &lo))
			return -1;
		strbuf_addf(sql, "%s %s ?%d", expr, cmp_sql(cmp), param_int(p->q, lo));
		return 0;
	}
	if (read_count(p, start, dots, &lo))
		return -1;
	if (span_is(s, dots + 2, end, "*")) {
		strbuf_addf(sql, "%s >= ?%d", expr, param_int(p->q, lo));
		return 0;
	}
	if (read_count(p, dots + 2, end, &hi))
		return -1;
	int a = param_int(p->q, lo), b = param_int(p->q, hi);
	strbuf_addf(sql, "%s BETWEEN ?%d AND ?%d", expr, a, b);
	return 0;
}

/* --- patterns --- */

/*
 * title:, body:, comments:, text: with /RE/ or /RE/i. Checks the pattern now,
 * so a bad one is a syntax error with a caret; adds the pattern and flags as
 * parameters *pat and *flags.
 */
static int compile_pattern(struct parser *p, size_t start, size_t end, int *pat, int *flags)
{
	const char *s = p->text;
	if (start == end || s[start] != '/')
		return fail_at(p, start, "expected /PATTERN/ or /PATTERN/i after '%.*s'",
		               (int)(start - p->tok.start), s + p->tok.start);
	struct strbuf re = STRBUF_INIT;
	size_t i = start + 1;
	for (; s[i] != '/'; i++) {
		if (s[i] == '\\' && s[i + 1] == '/')
			i++; /* \/ is a slash in the pattern */
		else if (s[i] == '\\')
			strbuf_addch(&re, s[i++]);
		strbuf_addch(&re, s[i]);
	}
	size_t flags_at = i + 1;
	char *fl = xstrndup(s + flags_at, end - flags_at);
	struct error perr;
	size_t off = 0;
	int rc = 0;
	if (strspn(fl, "i") != strlen(fl)) {
		rc = fail_at(p, flags_at, "unknown pattern flag '%s' (expected nothing or 'i')",
		             fl);
	} else if (regexp_check(re.buf, fl, &off, &perr)) {
		/* Map PCRE2's offset in the pattern back to the text (escaped slashes). */
		size_t at = start + 1;
		for (size_t k = 0; k < off && at < i; k++, at++)
			if (s[at] == '\\' && s[at + 1] == '/')
				at++;
		rc = fail_at(p, at, "%s", perr.msg);
	} else {
		*pat = param_text(p->q, re.buf);
		*flags = param_text(p->q, fl);
	}
	free(fl);
	strbuf_release(&re);
	return rc;
}

#define COMMENTS_EXISTS                                                                            \
	"EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event IN ('commented', "     \
	"'line-commented', 'commit-commented') AND regexp(?%d, e.body, ?%d, i.id))"

static int compile_regex_term(struct parser *p, struct strbuf *sql, const char *key, size_t start,
                              size_t end)
{
	int pat, fl;
	if (compile_pattern(p, start, end, &pat, &fl))
		return -1;
	if (!strcmp(key, "title"))
		strbuf_addf(sql, "regexp(?%d, i.title, ?%d, i.id)", pat, fl);
	else if (!strcmp(key, "body"))
		strbuf_addf(sql, "regexp(?%d, i.body, ?%d, i.id)", pat, fl);
	else if (!strcmp(key, "comments"))
		strbuf_addf(sql, COMMENTS_EXISTS, pat, fl);
	else
		strbuf_addf(sql,
		            "(coalesce(regexp(?%d, i.title, ?%d, i.id), 0) OR coalesce(regexp(?%d, "
		            "i.body, ?%d, i.id), 0) OR " COMMENTS_EXISTS ")",
		            pat, fl, pat, fl, pat, fl);
	return 0;
}

/* --- event conditions --- */

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Reads a dotted path (a.b[0].c) at *i into a JSON path ($."a"."b"[0]."c"). */
static int read_path(struct parser *p, size_t *i, struct strbuf *path)
{
	const char *s = p->text;
	strbuf_adds(path, "$");
	for (;;) {
		if (!is_ident_start((unsigned char)s[*i]))
			return fail_at(p, *i,
			               "expected a condition (commit, pr, state=, repo= or "
			               "a JSON path such as source.issue.state=closed)");
		size_t from = *i;
		while (is_ident_char((unsigned char)s[*i]))
			(*i)++;
		strbuf_addf(path, ".\"%.*s\"", (int)(*i - from), s + from);
		while (s[*i] == '[') {
			size_t n = ++(*i);
			while (isdigit((unsigned char)s[*i]))
				(*i)++;
			if (n == *i || s[*i] != ']')
				return fail_at(p, n, "expected an array index such as [0]");
			strbuf_addf(path, "[%.*s]", (int)(*i - n), s + n);
			(*i)++;
		}
		if (s[*i] != '.')
			return 0;
		(*i)++;
	}
}

struct alt {
	size_t start, end; /* the value as written */
	int quoted;
};

/* Reads VALUE|VALUE... (each bare or quoted) at *i, up to ',' or ']'. */
static int read_alternatives(struct parser *p, size_t *i, struct alt *alts, size_t max, size_t *n)
{
	const char *s = p->text;
	*n = 0;
	for (;;) {
		struct alt a = {*i, *i, s[*i] == '"'};
		if (a.quoted) {
			if (skip_quoted(p, i))
				return -1;
		} else {
			while (s[*i] && !is_space((unsigned char)s[*i]) && !strchr(",]|\"", s[*i]))
				(*i)++;
		}
		a.end = *i;
		if (a.start == a.end)
			return fail_at(p, *i, "expected a value");
		if (*n == max)
			return fail_at(p, a.start, "too many alternatives (at most %zu)", max);
		alts[(*n)++] = a;
		if (s[*i] != '|')
			return 0;
		(*i)++;
	}
}

/* "col IN (?a, ?b...)" with each alternative as text. */
static void in_list(struct parser *p, struct strbuf *sql, const char *col, const struct alt *alts,
                    size_t n)
{
	strbuf_addf(sql, "%s IN (", col);
	for (size_t k = 0; k < n; k++) {
		char *v = value_text(p->text, alts[k].start, alts[k].end);
		strbuf_addf(sql, "%s?%d", k ? ", " : "", param_text(p->q, v));
		free(v);
	}
	strbuf_addch(sql, ')');
}

/* repo=NAME|OWNER/NAME: the source repository by full name or by name alone. */
static int repo_condition(struct parser *p, struct strbuf *sql, const struct alt *alts, size_t n)
{
	strbuf_addch(sql, '(');
	for (size_t k = 0; k < n; k++) {
		char *v = value_text(p->text, alts[k].start, alts[k].end);
		int full = strchr(v, '/') != NULL;
		int bad = full ? !repo_name_valid(v)
		               : strspn(v, "abcdefghijklmnopqrstuvwxyz"
		                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                           "0123456789-_.") != strlen(v);
		if (bad) {
			fail_at(p, alts[k].start,
			        "expected a repository NAME or OWNER/NAME, found '%s'", v);
			free(v);
			return -1;
		}
		int id = param_text(p->q, v);
		if (k)
			strbuf_adds(sql, " OR ");
		if (full)
			strbuf_addf(sql, "e.source_repo = ?%d", id);
		else
			strbuf_addf(sql,
			            "substr(e.source_repo, instr(e.source_repo, '/') + 1) = ?%d "
			            "COLLATE NOCASE",
			            id);
		free(v);
	}
	strbuf_addch(sql, ')');
	return 0;
}

/* Binds an unquoted value as a number or boolean when it looks like one, else as text. */
static int typed_param(struct parser *p, const struct alt *a)
{
	char *v = value_text(p->text, a->start, a->end);
	int id;
	char *endp;
	errno = 0;
	long long iv = strtoll(v, &endp, 10);
	if (a->quoted) {
		id = param_text(p->q, v);
	} else if (*v && !*endp && !errno) {
		id = param_int(p->q, iv);
	} else if (!strcmp(v, "true") || !strcmp(v, "false")) {
		id = param_int(p->q, !strcmp(v, "true")); /* json_extract gives 1 or 0 */
	} else {
		/* Decimal only: strtod would also take 0x10, inf and nan for numbers. */
		int decimal = strspn(v, "0123456789+-.eE") == strlen(v);
		double dv = strtod(v, &endp);
		id = decimal && *v && !*endp ? param_real(p->q, dv) : param_text(p->q, v);
	}
	free(v);
	return id;
}

/* PATH=V|V, PATH!=V|V, PATH=null, PATH!=null over the raw event. */
static int path_condition(struct parser *p, struct strbuf *sql, const char *path, int negate,
                          const struct alt *alts, size_t n)
{
	int pid = param_text(p->q, path);
	int is_null =
	        n == 1 && !alts[0].quoted && span_is(p->text, alts[0].start, alts[0].end, "null");
	if (is_null) {
		strbuf_addf(sql, "json_extract(e.raw, ?%d) IS %sNULL", pid, negate ? "NOT " : "");
		return 0;
	}
	for (size_t k = 0; k < n; k++)
		if (!alts[k].quoted && span_is(p->text, alts[k].start, alts[k].end, "null"))
			return fail_at(p, alts[k].start,
			               "null cannot be one of several alternatives");
	strbuf_addf(sql,
	            negate ? "coalesce(json_extract(e.raw, ?%d) NOT IN ("
	                   : "json_extract(e.raw, ?%d) IN (",
	            pid);
	for (size_t k = 0; k < n; k++)
		strbuf_addf(sql, "%s?%d", k ? ", " : "", typed_param(p, &alts[k]));
	strbuf_adds(sql, negate ? "), 1)" : ")");
	return 0;
}

static void skip_spaces(const char *s, size_t *i)
{
	while (is_space((unsigned char)s[*i]))
		(*i)++;
}

/* commit, -commit, pr, -pr: what an event has or not; at is just after the name. */
static int flag_condition(struct parser *p, struct strbuf *sql, size_t name, size_t name_end,
                          int minus, size_t at)
{
	const char *s = p->text;
	int len = (int)(name_end - name);
	if (s[at] == '=' || s[at] == '!')
		return fail_at(p, at, "'%.*s' takes no value (write %.*s or -%.*s)", len, s + name,
		               len, s + name, len, s + name);
	if (s[name] == 'c')
		strbuf_addf(sql, "e.commit_id IS %sNULL", minus ? "" : "NOT ");
	else
		strbuf_addf(sql, "e.source_is_pr = %d", !minus);
	return 0;
}

/* NAME=V|V... or NAME!=V|V... from *i (on the operator): state=, repo= or a JSON path. */
static int value_condition(struct parser *p, struct strbuf *sql, size_t name, size_t name_end,
                           const char *path, size_t *i)
{
	const char *s = p->text;
	int len = (int)(name_end - name);
	int negate = s[*i] == '!';
	if (s[*i + negate] != '=')
		return fail_at(p, *i, "expected '=' or '!=' after '%.*s'", len, s + name);
	*i += negate + 1;
	skip_spaces(s, i);
	struct alt alts[32];
	size_t n;
	if (read_alternatives(p, i, alts, 32, &n))
		return -1;
	int state = span_is(s, name, name_end, "state"), repo = span_is(s, name, name_end, "repo");
	if ((state || repo) && negate)
		return fail_at(p, name_end, "'%.*s' takes '=' only", len, s + name);
	if (state) {
		in_list(p, sql, "e.source_state", alts, n);
		return 0;
	}
	if (repo)
		return repo_condition(p, sql, alts, n);
	return path_condition(p, sql, path, negate, alts, n);
}

/* One condition inside [...], starting at *i. */
static int compile_condition(struct parser *p, struct strbuf *sql, size_t *i)
{
	const char *s = p->text;
	size_t start = *i;
	int minus = s[*i] == '-';
	*i += minus;
	size_t name = *i;
	struct strbuf path = STRBUF_INIT;
	int rc = read_path(p, i, &path);
	size_t name_end = *i;
	int flag = span_is(s, name, name_end, "commit") || span_is(s, name, name_end, "pr");
	skip_spaces(s, i);
	if (!rc && flag)
		rc = flag_condition(p, sql, name, name_end, minus, *i);
	else if (!rc && minus)
		rc = fail_at(p, start, "'-' negates only commit and pr (use != for a path)");
	else if (!rc)
		rc = value_condition(p, sql, name, name_end, path.buf, i);
	strbuf_release(&path);
	return rc;
}

/* event:TYPE or event:TYPE[COND, ...]: one event meeting every condition. */
static int compile_event(struct parser *p, struct strbuf *sql, size_t start, size_t end)
{
	const char *s = p->text;
	size_t i = start;
	while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
		i++;
	if (i == start)
		return fail_at(p, start,
		               "expected an event type after event: (closed, referenced, "
		               "cross-referenced, connected, ...)");
	char *type = xstrndup(s + start, i - start);
	strbuf_addf(sql, "EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = ?%d",
	            param_text(p->q, type));
	free(type);
	if (i < end && s[i] != '[')
		return fail_at(p, i, "expected '[' or the end of the term after the event type");
	if (i < end) {
		i++;
		for (;;) {
			skip_spaces(s, &i);
			strbuf_adds(sql, " AND ");
			if (compile_condition(p, sql, &i))
				return -1;
			skip_spaces(s, &i);
			if (s[i] == ']')
				break;
			if (s[i] != ',')
				return fail_at(p, i, "expected ',' or ']' after a condition");
			i++;
		}
		if (i + 1 != end)
			return fail_at(p, i + 1, "expected white space or ')' after ']'");
	}
	strbuf_addch(sql, ')');
	return 0;
}

/* --- terms --- */

static int compile_is(struct parser *p, struct strbuf *sql, size_t start, size_t end)
{
	const char *s = p->text;
	if (span_is(s, start, end, "issue"))
		strbuf_adds(sql, "i.is_pull_request = 0");
	else if (span_is(s, start, end, "pr"))
		strbuf_adds(sql, "i.is_pull_request = 1");
	else if (span_is(s, start, end, "open"))
		strbuf_adds(sql, "i.state = 'open'");
	else if (span_is(s, start, end, "closed"))
		strbuf_adds(sql, "i.state = 'closed'");
	else if (span_is(s, start, end, "gone"))
		strbuf_adds(sql, "i.gone IS NOT NULL"); /* transferred or deleted on GitHub */
	else
		return fail_at(p, start, "expected issue, pr, open, closed or gone after is:");
	p->q->uses_gone |= span_is(s, start, end, "gone");
	return 0;
}

/*
 * Up to this many labels are probed per issue (EXISTS with an IN list over
 * the labels primary key); more are looked up once for all issues (an IN
 * subquery over labels), since probing every issue for each of thousands
 * of labels costs issues times labels.
 */
#define LABELS_PROBED 16

/*
 * The condition of a repo:, label: or author: term whose value is parameter
 * params[0] (n 1), or of n of them ORed together (an IN list). Either holds
 * for the same issues.
 */
static void like_sql(struct strbuf *sql, enum like_kind kind, const int *params, size_t n)
{
	static const char *const head[] = {
	        [LIKE_REPO] = "r.full_name",
	        [LIKE_LABEL] = "EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.name",
	        [LIKE_AUTHOR] = "i.author COLLATE NOCASE",
	};
	int subquery = kind == LIKE_LABEL && n > LABELS_PROBED;
	strbuf_adds(sql, subquery ? "i.id IN (SELECT l.issue_id FROM labels l WHERE l.name"
	                          : head[kind]);
	if (n == 1) {
		strbuf_addf(sql, " = ?%d", params[0]);
	} else {
		strbuf_adds(sql, " IN (");
		for (size_t k = 0; k < n; k++)
			strbuf_addf(sql, "%s?%d", k ? ", " : "", params[k]);
		strbuf_addch(sql, ')');
	}
	if (kind == LIKE_LABEL)
		strbuf_addch(sql, ')');
}

/* Compiles one repo:, label: or author: term, noting it for parse_or. */
static int like_term(struct parser *p, struct strbuf *sql, enum like_kind kind, int param)
{
	like_sql(sql, kind, &param, 1);
	p->like.kind = kind;
	p->like.param = param;
	return 0;
}

/* label:, author:, repo: take a name (bare or quoted). */
static int compile_name(struct parser *p, struct strbuf *sql, const char *key, size_t start,
                        size_t end)
{
	char *v = value_text(p->text, start, end);
	int rc = 0;
	if (!*v) {
		rc = fail_at(p, start, "expected a %s after %s:",
		             !strcmp(key, "repo") ? "repository OWNER/NAME" : "name", key);
	} else if (!strcmp(key, "repo")) {
		if (!repo_name_valid(v))
			rc = fail_at(p, start, "expected a repository OWNER/NAME, found '%s'", v);
		else
			rc = like_term(p, sql, LIKE_REPO, param_text(p->q, v));
	} else if (!strcmp(key, "label")) {
		rc = like_term(p, sql, LIKE_LABEL, param_text(p->q, v));
	} else {
		rc = like_term(p, sql, LIKE_AUTHOR, param_text(p->q, v));
	}
	free(v);
	return rc;
}

/* --- terms over fixes: compiled in query_fix.c, with the parser's help --- */

static int fix_param_text(void *data, const char *text)
{
	return param_text(((struct parser *)data)->q, text);
}

static int fix_count(void *data, struct strbuf *sql, const char *expr)
{
	struct parser *p = data;
	return compile_count(p, sql, expr, p->tok.value, p->tok.value_end);
}

static int fix_pattern(void *data, int *pat, int *flags)
{
	struct parser *p = data;
	return compile_pattern(p, p->tok.value, p->tok.value_end, pat, flags);
}

static int fix_fail(void *data, size_t at, const char *msg)
{
	struct parser *p = data;
	return fail_at(p, p->tok.value + at, "%s", msg);
}

static int compile_fix(struct parser *p, struct strbuf *sql, const char *key)
{
	/* Made on first use: a parameter the SQL does not use cannot be bound. */
	int *assume = p->negated ? &p->q->fix_assume_negated : &p->q->fix_assume;
	if (!*assume)
		*assume = param_int(p->q, 0);
	struct query_fix_host h = {p, *assume, fix_param_text, fix_count, fix_pattern, fix_fail};
	return query_fix_compile(key, p->text + p->tok.value, p->tok.value_end - p->tok.value, &h,
	                         sql);
}

static int compile_term(struct parser *p, struct strbuf *sql)
{
	const struct token *t = &p->tok;
	const char *s = p->text;
	char *key = xstrndup(s + t->start, t->key_end - t->start);
	size_t v = t->value, end = t->value_end;
	int rc;
	if (!strcmp(key, "repo") || !strcmp(key, "label") || !strcmp(key, "author"))
		rc = compile_name(p, sql, key, v, end);
	else if (!strcmp(key, "is"))
		rc = compile_is(p, sql, v, end);
	else if (!strcmp(key, "created") || !strcmp(key, "closed") || !strcmp(key, "updated")) {
		char col[32];
		snprintf(col, sizeof(col), "i.%s_at", key);
		rc = compile_date(p, sql, col, v, end);
	} else if (!strcmp(key, "comments") && (v == end || s[v] != '/'))
		rc = compile_count(p, sql,
		                   "coalesce(i.comment_count, (SELECT count(*) FROM events e WHERE "
		                   "e.issue_id = i.id AND e.event = 'commented'))",
		                   v, end);
	else if (key_takes_regex(key, strlen(key)))
		rc = compile_regex_term(p, sql, key, v, end);
	else if (!strcmp(key, "event"))
		rc = compile_event(p, sql, v, end);
	else if (!strcmp(key, "events"))
		rc = compile_count(
		        p, sql, "(SELECT count(*) FROM events e WHERE e.issue_id = i.id)", v, end);
	else if (query_fix_is_key(key, strlen(key)))
		rc = compile_fix(p, sql, key);
	else
		rc = fail_at(p, t->start,
		             "unknown term '%s:' (expected repo:, is:, label:, author:, created:, "
		             "closed:, updated:, title:, body:, comments:, text:, event:, events:, "
		             "fix:, fixes:, linked:, fix.path:, fix.files:, fix.additions: or "
		             "fix.deletions:; quote text with a ':' to search for it)",
		             key);
	free(key);
	return rc;
}

/* --- words and phrases --- */

/* Appends text to a PCRE2 pattern as a literal, white space as \s+. */
static void literal_pattern(struct strbuf *re, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (is_space((unsigned char)*c)) {
			strbuf_adds(re, "\\s+");
			while (is_space((unsigned char)c[1]))
				c++;
		} else if ((unsigned char)*c < 0x80 && !isalnum((unsigned char)*c)) {
			strbuf_addch(re, '\\');
			strbuf_addch(re, *c);
		} else {
			strbuf_addch(re, *c);
		}
	}
}

static int is_word_byte(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/*
 * A bare word or "a phrase": the words in that order, whole, in the title or
 * the body, ignoring case (as GitHub's search does). Whole means not inside
 * a longer word: "export" does not find "exports".
 */
static int compile_text(struct parser *p, struct strbuf *sql)
{
	const struct token *t = &p->tok;
	const char *s = p->text;
	int quoted = s[t->start] == '"';
	char *words = value_text(s, t->start, t->end);
	size_t from = 0, len = strlen(words);
	while (from < len && is_space((unsigned char)words[from]))
		from++;
	while (len > from && is_space((unsigned char)words[len - 1]))
		len--;
	words[len] = '\0';
	if (from == len) {
		free(words);
		return fail_at(p, t->start, "expected words inside the quotes");
	}
	if (!quoted && (!strcmp(words, "or") || !strcmp(words, "and") || !strcmp(words, "not"))) {
		int rc = fail_at(p, t->start,
		                 "'%s' searches for the word; write %s for the operator, or \"%s\" "
		                 "for the word",
		                 words,
		                 !strcmp(words, "or")    ? "OR"
		                 : !strcmp(words, "and") ? "AND"
		                                         : "NOT",
		                 words);
		free(words);
		return rc;
	}
	struct strbuf re = STRBUF_INIT;
	/* \b would not do: a word may start or end with punctuation (c++, .onnx). */
	if (is_word_byte((unsigned char)words[from]))
		strbuf_adds(&re, "(?<!\\w)");
	literal_pattern(&re, words + from);
	if (is_word_byte((unsigned char)words[len - 1]))
		strbuf_adds(&re, "(?!\\w)");
	free(words);
	struct error perr;
	if (regexp_check(re.buf, "i", NULL, &perr)) {
		strbuf_release(&re);
		return fail_at(p, t->start, "%s", perr.msg);
	}
	int pat = param_text(p->q, re.buf), fl = param_text(p->q, "i");
	strbuf_release(&re);
	strbuf_addf(sql,
	            "(coalesce(regexp(?%d, i.title, ?%d, i.id), 0) OR coalesce(regexp(?%d, i.body, "
	            "?%d, i.id), 0))",
	            pat, fl, pat, fl);
	return 0;
}

/* --- the grammar --- */

static void offset_to_pos(const char *text, size_t at, struct query_pos *pos);
static int parse_or(struct parser *p, struct strbuf *sql);

/* "what followed" for messages: the token's text, or "the end of the query". */
static void describe(const struct parser *p, char *buf, size_t size)
{
	const struct token *t = &p->tok;
	if (t->type == TOK_EOF)
		snprintf(buf, size, "the end of the query");
	else
		snprintf(buf, size, "'%.*s'",
		         (int)(t->end - t->start > 40 ? 40 : t->end - t->start),
		         p->text + t->start);
}

/*
 * How deep parentheses and negations may nest, together. The bound is
 * SQLite's, not ours: its parser (before 3.46) gives up with "parser stack
 * overflow" at a depth of 100 grammar symbols, and a group after another
 * operand ("x OR (y OR (...") costs three of them per level, on top of what
 * the innermost term needs; with 3.40, 22 such levels around an
 * event:TYPE[...] term are the most that compile. test_deep_nesting runs the
 * costly shapes at this bound.
 */
#define QUERY_MAX_DEPTH 16

/* Enters one level of nesting at offset at; -1 past QUERY_MAX_DEPTH. */
static int nest(struct parser *p, size_t at)
{
	if (++p->depth > QUERY_MAX_DEPTH)
		return fail_at(p, at,
		               "nested too deeply (at most %d levels of parentheses and negations)",
		               QUERY_MAX_DEPTH);
	return 0;
}

static int parse_unary(struct parser *p, struct strbuf *sql);

/*
 * NOT X or -X: "(X) IS NOT 1", so an unknown value (NULL) counts as "does
 * not hold" and its negation as "holds": -X is always the complement of X.
 */
static int parse_not(struct parser *p, struct strbuf *sql)
{
	if (nest(p, p->tok.start) || next_token(p))
		return -1;
	strbuf_addch(sql, '(');
	p->negated = !p->negated;
	if (parse_unary(p, sql))
		return -1;
	p->negated = !p->negated;
	strbuf_adds(sql, ") IS NOT 1");
	p->depth--;
	return 0;
}

/* ( OR-expression ) */
static int parse_group(struct parser *p, struct strbuf *sql)
{
	size_t open = p->tok.start;
	if (nest(p, open) || next_token(p) || parse_or(p, sql))
		return -1;
	if (p->tok.type != TOK_RPAREN) {
		char found[64];
		struct query_pos at;
		describe(p, found, sizeof(found));
		offset_to_pos(p->text, open, &at);
		return fail_at(p, p->tok.start,
		               "expected ')' to close the '(' of line %d, column %d, found %s",
		               at.line, at.column, found);
	}
	p->depth--;
	return next_token(p);
}

/* One operand; p->like says afterwards whether it was a lone repo:, label: or author: term. */
static int parse_unary(struct parser *p, struct strbuf *sql)
{
	char found[64];
	int rc;
	p->like.kind = LIKE_NONE;
	switch (p->tok.type) {
	case TOK_NOT:
	case TOK_MINUS:
		rc = parse_not(p, sql);
		p->like.kind = LIKE_NONE;
		return rc;
	case TOK_LPAREN:
		rc = parse_group(p, sql);
		p->like.kind = LIKE_NONE;
		return rc;
	case TOK_TERM:
		return compile_term(p, sql) ? -1 : next_token(p);
	case TOK_TEXT:
		return compile_text(p, sql) ? -1 : next_token(p);
	case TOK_RPAREN:
		return fail_at(p, p->tok.start, "unexpected ')' (no '(' to close)");
	default:
		describe(p, found, sizeof(found));
		return fail_at(p, p->tok.start, "expected a term or '(', found %s", found);
	}
}

static int starts_unary(enum tok_type t)
{
	return t == TOK_NOT || t == TOK_MINUS || t == TOK_LPAREN || t == TOK_TERM || t == TOK_TEXT;
}

/* The operands of one AND or OR, compiled one after another. */
struct chain {
	struct strbuf sql;
	size_t *starts;     /* where each operand begins in sql */
	struct like *likes; /* what each operand is (OR chains) */
	size_t n, alloc, likes_alloc;
};

#define CHAIN_INIT                                                                                 \
	{                                                                                          \
		STRBUF_INIT, NULL, NULL, 0, 0, 0                                                   \
	}

/* Marks the start of the next operand. */
static void chain_next(struct chain *c)
{
	xgrow((void **)&c->starts, &c->alloc, c->n + 1, sizeof(*c->starts));
	c->starts[c->n++] = c->sql.len;
}

/* Notes what the operand just compiled was. */
static void chain_note(struct chain *c, struct like like)
{
	xgrow((void **)&c->likes, &c->likes_alloc, c->n, sizeof(*c->likes));
	c->likes[c->n - 1] = like;
}

static void chain_release(struct chain *c)
{
	strbuf_release(&c->sql);
	free(c->starts);
	free(c->likes);
}

/* The SQL of operand k of c. */
static void chain_operand(const struct chain *c, size_t k, const char **sql, size_t *len)
{
	size_t end = k + 1 < c->n ? c->starts[k + 1] : c->sql.len;
	*sql = c->sql.buf + c->starts[k];
	*len = end - c->starts[k];
}

/* Operands per parenthesised run of a long chain: about the square root. */
static size_t run_length(size_t n)
{
	size_t run = 1;
	while (run * run < n)
		run++;
	return run;
}

/*
 * Appends the operands joined by op, in parentheses when there are several.
 * SQLite builds "a OR b OR c ..." into a tree as deep as the chain is long
 * and refuses one deeper than 1000, so a chain of more than 64 operands goes
 * in parenthesised runs of about sqrt(n): a tree about 2 sqrt(n) deep.
 */
static void join_chain(struct strbuf *sql, const struct chain *c, const char *op)
{
	size_t run = c->n > 64 ? run_length(c->n) : c->n;
	if (c->n > 1)
		strbuf_addch(sql, '(');
	for (size_t k = 0; k < c->n; k++) {
		const char *operand;
		size_t len;
		chain_operand(c, k, &operand, &len);
		if (k)
			strbuf_adds(sql, op);
		if (run < c->n && k % run == 0)
			strbuf_addch(sql, '(');
		strbuf_add(sql, operand, len);
		if (run < c->n && (k % run == run - 1 || k + 1 == c->n))
			strbuf_addch(sql, ')');
	}
	if (c->n > 1)
		strbuf_addch(sql, ')');
}

/* Unary expressions side by side, or joined by AND. */
static int parse_and(struct parser *p, struct strbuf *sql)
{
	struct chain c = CHAIN_INIT;
	int rc = 0;
	do {
		if (c.n && p->tok.type == TOK_AND && next_token(p)) {
			rc = -1;
			break;
		}
		chain_next(&c);
		rc = parse_unary(p, &c.sql);
	} while (!rc && (starts_unary(p->tok.type) || p->tok.type == TOK_AND));
	if (!rc)
		join_chain(sql, &c, " AND ");
	if (c.n > 1)
		p->like.kind = LIKE_NONE; /* a conjunction is no lone term */
	chain_release(&c);
	return rc;
}

/*
 * Joins an OR chain. Terms of one kind (repo:, label: or author:) ORed
 * together become one IN (...) where the first of them stood: SQLite plans
 * a chain of thousands of ORs in time quadratic in its length, an IN list in
 * about linear time. Every other operand stays as it was.
 */
static void join_or(struct strbuf *sql, const struct chain *c)
{
	/* For bench/filter/orchain.sh alone: the chain as it was compiled before. */
	const char *no_merge = getenv("ISSUEMINE_QUERY_NO_MERGE");
	if (no_merge && *no_merge) {
		join_chain(sql, c, " OR ");
		return;
	}
	size_t count[LIKE_KINDS] = {0};
	for (size_t k = 0; k < c->n; k++)
		count[c->likes[k].kind]++;
	struct chain merged = CHAIN_INIT;
	int *params = xcalloc(c->n, sizeof(*params));
	for (size_t k = 0; k < c->n; k++) {
		enum like_kind kind = c->likes[k].kind;
		const char *operand;
		size_t len;
		if (kind == LIKE_NONE || count[kind] < 2) {
			chain_operand(c, k, &operand, &len);
			chain_next(&merged);
			strbuf_add(&merged.sql, operand, len);
			continue;
		}
		if (count[kind] == (size_t)-1)
			continue; /* already merged at its first term */
		size_t n = 0;
		for (size_t j = k; j < c->n; j++)
			if (c->likes[j].kind == kind)
				params[n++] = c->likes[j].param;
		chain_next(&merged);
		like_sql(&merged.sql, kind, params, n);
		count[kind] = (size_t)-1;
	}
	join_chain(sql, &merged, " OR ");
	free(params);
	chain_release(&merged);
}

static int parse_or(struct parser *p, struct strbuf *sql)
{
	struct chain c = CHAIN_INIT;
	int rc;
	do {
		chain_next(&c);
		rc = parse_and(p, &c.sql);
		if (!rc)
			chain_note(&c, p->like);
	} while (!rc && p->tok.type == TOK_OR && !(rc = next_token(p)));
	if (!rc)
		join_or(sql, &c);
	chain_release(&c);
	return rc;
}

/* --- positions --- */

static void offset_to_pos(const char *text, size_t at, struct query_pos *pos)
{
	pos->line = 1;
	pos->column = 1;
	for (size_t i = 0; i < at && text[i]; i++) {
		if (text[i] == '\n') {
			pos->line++;
			pos->column = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			pos->column++;
		}
	}
}

void query_caret(const char *text, const struct query_pos *pos, int indent, struct strbuf *out)
{
	const char *line = text;
	for (int l = 1; l < pos->line && line; l++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		return;
	size_t len = strcspn(line, "\n");
	if (len && line[len - 1] == '\r')
		len--;
	/* The line as a terminal may show it: control characters escaped, tabs kept. */
	struct strbuf caret = STRBUF_INIT;
	strbuf_addf(out, "%*s", indent, "");
	int col = 1;
	for (size_t i = 0; i < len;) {
		size_t n = termsafe_utf8_len(line + i, len - i, NULL);
		n = n ? n : 1;
		size_t before = out->len;
		termsafe_add(out, line + i, n, TERMSAFE_KEEP_TABS);
		if (col < pos->column) {
			size_t shown = out->len - before;
			int escaped = shown > n || (unsigned char)line[i] < 0x80;
			if (line[i] == '\t')
				strbuf_addch(&caret, '\t');
			else
				strbuf_addf(&caret, "%*s", escaped ? (int)shown : 1, "");
		}
		/* Columns count characters, as offset_to_pos does: not continuation bytes. */
		col += ((unsigned char)line[i] & 0xC0) != 0x80;
		i += n;
	}
	strbuf_addf(out, "\n%*s%s^\n", indent, "", caret.buf);
	strbuf_release(&caret);
}

/* --- the API --- */

void query_free(struct query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->nparams; i++)
		free((char *)q->params[i].text);
	free(q->params);
	strbuf_release(&q->where);
	free(q->text);
	free(q);
}

int query_parse(const char *text, struct query **out, struct query_pos *pos, struct error *err)
{
	struct query *q = xcalloc(1, sizeof(*q));
	struct parser p = {q, text, 0, {0}, err, 0, 0, 0, {LIKE_NONE, 0}};
	struct strbuf expr = STRBUF_INIT;
	q->text = xstrdup(text);
	strbuf_init(&q->where, 256);
	int rc = next_token(&p);
	if (!rc && p.tok.type == TOK_EOF)
		rc = fail_at(&p, p.tok.start,
		             "empty query (expected a term such as is:issue or "
		             "repo:OWNER/NAME)");
	if (!rc)
		rc = parse_or(&p, &expr);
	if (!rc && p.tok.type != TOK_EOF) {
		char found[64];
		describe(&p, found, sizeof(found));
		rc = p.tok.type == TOK_RPAREN
		             ? fail_at(&p, p.tok.start, "unexpected ')' (no '(' to close)")
		             : fail_at(&p, p.tok.start, "expected a term, OR or the end, found %s",
		                       found);
	}
	if (rc) {
		struct query_pos where;
		offset_to_pos(text, p.err_at, &where);
		if (pos)
			*pos = where;
		error_prefix(err, "line %d, column %d", where.line, where.column);
		strbuf_release(&expr);
		query_free(q);
		return -1;
	}
	/* Issues known only by reference (no data yet) never match. */
	strbuf_addf(&q->where, "i.state IS NOT NULL AND (%s)", expr.buf);
	strbuf_release(&expr);
	if (pos)
		pos->line = pos->column = 0;
	*out = q;
	return 0;
}

const char *query_text(const struct query *q)
{
	return q->text;
}

int query_uses_fixes(const struct query *q)
{
	return q->fix_assume || q->fix_assume_negated;
}

int query_uses_gone(const struct query *q)
{
	return q->uses_gone;
}

void query_assume_fixes(struct query *q, int holds)
{
	if (q->fix_assume)
		q->params[q->fix_assume - 1].integer = holds ? 1 : 0;
	if (q->fix_assume_negated)
		q->params[q->fix_assume_negated - 1].integer = 0;
}

const char *query_where(const struct query *q, const struct query_param **params, size_t *n)
{
	if (params)
		*params = q->params;
	if (n)
		*n = q->nparams;
	return q->where.buf;
}

int query_bind(const struct query *q, sqlite3_stmt *st)
{
	for (size_t i = 0; i < q->nparams; i++) {
		const struct query_param *pa = &q->params[i];
		int idx = (int)i + 1, rc;
		if (pa->type == QUERY_PARAM_TEXT)
			rc = sqlite3_bind_text(st, idx, pa->text, -1, SQLITE_STATIC);
		else if (pa->type == QUERY_PARAM_INT)
			rc = sqlite3_bind_int64(st, idx, pa->integer);
		else
			rc = sqlite3_bind_double(st, idx, pa->real);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

int query_prepare(struct store *s, const struct query *q, const char *columns, const char *tail,
                  sqlite3_stmt **out, char **sql, struct error *err)
{
	if (regexp_register(s->db, err))
		return -1;
	char *text = xstrfmt("SELECT %s FROM issues i JOIN repositories r ON r.id = i.repo_id "
	                     "WHERE %s%s%s",
	                     columns, q->where.buf, tail ? " " : "", tail ? tail : "");
	if (sqlite3_prepare_v2(s->db, text, -1, out, NULL) != SQLITE_OK) {
		free(text);
		return store_error(s, err, "query");
	}
	if (query_bind(q, *out)) {
		sqlite3_finalize(*out);
		*out = NULL;
		free(text);
		return store_error(s, err, "query");
	}
	if (sql)
		*sql = text;
	else
		free(text);
	return 0;
}

int query_count(struct store *s, const struct query *q, const char *tail, long *n,
                struct error *err)
{
	sqlite3_stmt *st;
	if (query_prepare(s, q, "count(*)", tail, &st, NULL, err))
		return -1;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, err, "query");
}

int query_count_gone(struct store *s, const struct query *q, long *n, struct error *err)
{
	return query_count(s, q, "AND i.gone IS NOT NULL", n, err);
}

int query_fill_set(struct store *s, const struct query *q, int64_t set_id, long *added,
                   struct error *err)
{
	if (regexp_register(s->db, err))
		return -1;
	char *text =
	        xstrfmt("INSERT INTO set_members (set_id, issue_id, position) "
	                "SELECT ?%zu, i.id, row_number() OVER (ORDER BY r.full_name, i.number) - 1 "
	                "FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE %s",
	                q->nparams + 1, q->where.buf);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, text, -1, &st, NULL);
	free(text);
	if (rc != SQLITE_OK)
		return store_error(s, err, "query");
	rc = query_bind(q, st) || sqlite3_bind_int64(st, (int)q->nparams + 1, set_id) != SQLITE_OK
	             ? SQLITE_ERROR
	             : sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		store_error(s, err, "query");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	*added = (long)sqlite3_changes(s->db);
	return 0;
}

int query_lookup(struct store *s, const char *name, char **text, const char **origin,
                 struct error *err)
{
	const struct builtin_file *f = builtin_find("queries", name, "query");
	if (f) {
		*text = xstrndup(f->data, f->len);
		*origin = "shipped";
		return 0;
	}
	if (s) {
		sqlite3_stmt *st = store_stmt(
		        s, "SELECT origin FROM sets WHERE name = ? AND kind = 'filter'", err);
		if (!st)
			return -1;
		store_bind_text(st, 1, name);
		int rc = sqlite3_step(st);
		const char *o = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		*text = o ? xstrdup(o) : NULL;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_error(s, err, NULL);
		if (*text) {
			*origin = "set";
			return 0;
		}
	}
	return error_set(err,
	                 "no query named '%s' (neither a shipped query nor a filter set; "
	                 "see 'issuemine queries' and 'issuemine sets')",
	                 name);
}
