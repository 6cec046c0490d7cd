/*
 * query.h - the filter query language: parsing, and compiling to SQL.
 *
 * A query is modelled on GitHub's search syntax plus timeline predicates:
 *
 *	# comment to the end of the line
 *	is:issue is:closed                     terms side by side are ANDed
 *	(repo:a/b label:"module: onnx") OR ... OR, NOT or a leading '-' negate
 *	event:cross-referenced[state=closed, repo=pytorch|tensorflow-onnx]
 *
 * The terms (see issuemine.1, "QUERY LANGUAGE", for the reference):
 * repo:, is: (issue, pr, open, closed, gone), label:, author:,
 * created:/closed:/updated: date ranges,
 * title:/body:/comments:/text: PCRE2 patterns, event:TYPE[COND, ...] (one
 * event meeting every condition), events: and comments: counts, and the
 * terms over fix evidence of query_fix.h (fix:, fixes:, fix.path:...).
 *
 * query_parse() turns the text into a tree and checks everything that can be
 * checked without a database (dates, numbers, patterns, repository names);
 * a syntax error names the line and column and what was expected there.
 * query_sql() compiles the tree into a WHERE clause over
 *	issues i JOIN repositories r ON r.id = i.repo_id
 * whose values are bound parameters (?1, ?2, ...), never spliced text:
 * query_prepare() prepares a full statement around it and binds them.
 */
#ifndef ISSUEMINE_QUERY_H
#define ISSUEMINE_QUERY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"
#include "strbuf.h"

struct query;

/* Where a syntax error is: 1-based line and column (in characters); 0 when unknown. */
struct query_pos {
	int line;
	int column;
};

/*
 * Parses text into *out (free with query_free). On a syntax error returns -1
 * with err holding one line, "line L, column C: <what was expected>", and
 * *pos (if given) set to that place. The query keeps a copy of text.
 */
int query_parse(const char *text, struct query **out, struct query_pos *pos, struct error *err);
void query_free(struct query *q);

/* The text the query was parsed from (borrowed). */
const char *query_text(const struct query *q);

/* True if the query has a term over fix evidence (fix:, fixes:, fix.path:..., see query_fix.h). */
int query_uses_fixes(const struct query *q);

/* True if the query has an is:gone term (issues GitHub no longer serves). */
int query_uses_gone(const struct query *q);

/*
 * What a fix term says of an issue without fix data: by default it does not
 * hold (as a term on a NULL column), so its negation does; holds 1 makes
 * the query match all it could there: every fix term under an even number
 * of negations holds, every one under an odd number does not (so that
 * "fix:pr -fix:merged" may match an issue whose fixes are not fetched yet;
 * see query_fix_unknowns). Takes effect at the next query_bind.
 */
void query_assume_fixes(struct query *q, int holds);

/*
 * Appends to out the source line that pos points into and a second line
 * with a caret under the column, each indented by indent spaces and ending
 * in a newline. Tabs are kept so the caret lines up on a terminal.
 */
void query_caret(const char *text, const struct query_pos *pos, int indent, struct strbuf *out);

/* A bound parameter of the compiled SQL. */
enum query_param_type { QUERY_PARAM_TEXT, QUERY_PARAM_INT, QUERY_PARAM_REAL };

struct query_param {
	enum query_param_type type;
	const char *text; /* QUERY_PARAM_TEXT */
	int64_t integer;  /* QUERY_PARAM_INT */
	double real;      /* QUERY_PARAM_REAL */
};

/*
 * The WHERE condition (borrowed) over issues i and repositories r, with
 * parameters ?1..?n; *params (borrowed) gets n entries. Issues known only by
 * reference (state NULL, no data) never match.
 */
const char *query_where(const struct query *q, const struct query_param **params, size_t *n);

/* Binds the query's parameters to st (which must use ?1..?n as query_where's SQL does). */
int query_bind(const struct query *q, sqlite3_stmt *st);

/*
 * Prepares "SELECT <columns> FROM issues i JOIN repositories r ON r.id =
 * i.repo_id WHERE <query> <tail>" on s with the parameters bound and the
 * regexp() function registered; tail (may be NULL) is trusted SQL such as an
 * ORDER BY. *sql (if given) receives the statement's text (caller frees).
 * The caller finalizes *out.
 */
int query_prepare(struct store *s, const struct query *q, const char *columns, const char *tail,
                  sqlite3_stmt **out, char **sql, struct error *err);

/*
 * *n gets how many issues match q; tail (may be NULL) is trusted SQL that
 * narrows the WHERE clause ("AND ...").
 */
int query_count(struct store *s, const struct query *q, const char *tail, long *n,
                struct error *err);

/* *n gets how many issues matching q GitHub no longer serves (issues.gone set). */
int query_count_gone(struct store *s, const struct query *q, long *n, struct error *err);

/*
 * Adds every issue matching q to set set_id, ordered by repository and
 * number (positions from 0). Must run in a transaction; *added gets the count.
 */
int query_fill_set(struct store *s, const struct query *q, int64_t set_id, long *added,
                   struct error *err);

/*
 * Reads a query given by name: a shipped query (queries/NAME.query compiled
 * in), else the query stored with a filter set of that name (s may be NULL
 * to skip sets). *text is the caller's to free; *origin (borrowed, static)
 * says "shipped" or "set".
 */
int query_lookup(struct store *s, const char *name, char **text, const char **origin,
                 struct error *err);

#endif
