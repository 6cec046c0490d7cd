/*
 * querysource.h - where a command's filter query comes from, and its errors.
 *
 * "filter" and "validate" take a query as arguments, as --query NAME (a
 * shipped query or a filter set's stored query) or as --query-file FILE.
 * A syntax error is printed as one line naming the source, line and column,
 * followed by the offending line with a caret under the column.
 */
#ifndef ISSUEMINE_QUERYSOURCE_H
#define ISSUEMINE_QUERYSOURCE_H

#include "query.h"
#include "store.h"

struct query_source {
	int argc; /* the positional arguments, joined with spaces */
	const char **argv;
	const char *name; /* --query */
	const char *file; /* --query-file ('-' is standard input) */
};

/*
 * Checks that exactly one source is given (a usage error otherwise, which
 * exits 2), reads it and parses it. s may be NULL (then --query finds only
 * shipped queries). Prints any error; returns 0 with *q set, or -1.
 */
int cli_query_load(const char *cmd, const struct query_source *src, struct store *s,
                   struct query **q);

/* Checks the usage rule alone (before opening the database). */
void cli_query_check_usage(const char *cmd, const struct query_source *src);

#endif
