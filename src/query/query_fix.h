/*
 * query_fix.h - the query language's terms over fix evidence (fixes fetch).
 *
 *	fix:pr  fix:commit  fix:merged  fix:gone     has a fix of that kind
 *	fixes:N  linked:N                            how many fixes, linked changes
 *	fix.path:GLOB  fix.path:/RE/[i]              a file of a fix matches
 *	fix.files:N  fix.additions:N  fix.deletions:N  a fix changes that many
 *
 * N is a count as for events: (N, >=N, >N, <=N, <N, N..M, N..*). The terms
 * look only at fixes (changes with role 'fix'), except linked:. On an issue
 * whose fixes were never fetched (no fix_state row) a term does not hold,
 * whatever it says (fixes:0 too), and its negation does, as for a term on a
 * NULL column; query_fix_unknowns counts the issues this leaves undecided. A path term
 * matches a file's path or its previous path (a rename from there counts).
 * In a GLOB, '*' is any run of characters but '/', '**' any run including
 * '/' (torch/onnx/ then '**' is everything under torch/onnx), '**' then '/'
 * any number of directories, '?' one character but '/', [abc], [a-z] and
 * [!abc] classes, and '\' quotes the next character; a glob without '/'
 * matches the file name in any directory ("*.py"), one ending in '/'
 * everything under that directory. Globs become
 * anchored PCRE2 patterns, so both forms run through regexp().
 *
 * The parser (query.c) owns tokens, positions and errors; it lends this file
 * what it needs through struct query_fix_host, so the fix terms stay in one
 * place of their own.
 */
#ifndef ISSUEMINE_QUERY_FIX_H
#define ISSUEMINE_QUERY_FIX_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct query_fix_host {
	void *data;
	int assume; /* the parameter (?N) that stands for a term's value without fix data */
	/* Adds a bound parameter; returns its number (?N). */
	int (*param_text)(void *data, const char *text);
	/* Appends "expr OP ?N" (or a BETWEEN) for the term's value read as a count; -1 after
	 * failing. */
	int (*count)(void *data, struct strbuf *sql, const char *expr);
	/* Reads the term's value as /RE/ or /RE/i: the pattern's and flags' parameters; -1 after
	 * failing. */
	int (*pattern)(void *data, int *pat, int *flags);
	/* Fails at byte offset at of the term's value with msg; returns -1. */
	int (*fail)(void *data, size_t at, const char *msg);
};

/* True if the term key (len bytes) is one of the fix terms above. */
int query_fix_is_key(const char *key, size_t len);

/* True if the key's value may be a /pattern/ (which may hold spaces and parentheses). */
int query_fix_takes_pattern(const char *key, size_t len);

/*
 * Compiles KEY:VALUE (key NUL-terminated; value is the raw text of len
 * bytes, quotes included) into a condition on issue i appended to sql.
 * Returns 0, or -1 after h->fail (or the host's count/pattern) has said why.
 */
int query_fix_compile(const char *key, const char *value, size_t len,
                      const struct query_fix_host *h, struct strbuf *sql);

/*
 * The anchored PCRE2 pattern for a GLOB (raw text without quotes) into out.
 * On a bad glob returns -1 with *at the byte offset and *why the reason
 * (static).
 */
int query_fix_glob_to_regex(const char *glob, size_t len, struct strbuf *out, size_t *at,
                            const char **why);

/* The condition that issue i has fix data (its fixes were resolved). */
#define QUERY_FIX_RESOLVED "EXISTS (SELECT 1 FROM fix_state fs WHERE fs.issue_id = i.id)"

struct query;
struct store;
struct error;

/*
 * For a query with fix terms: *without gets how many of its matches have no
 * fix data, *might how many other issues without fix data would match if
 * the fix terms held for them, and their negations too (they might, once
 * their fixes are fetched; see query_assume_fixes). Leaves the query as it
 * was.
 */
int query_fix_unknowns(struct store *s, struct query *q, long *without, long *might,
                       struct error *err);

#endif
