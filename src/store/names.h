/*
 * names.h - the names a user types on the command line: sets, raters,
 * taxonomies, release series, queries, repositories, dimensions. Shell
 * completion (issuemine __complete) offers them.
 *
 * Shipped names (the built-in taxonomy, release series and queries) are
 * listed even without a database.
 */
#ifndef ISSUEMINE_NAMES_H
#define ISSUEMINE_NAMES_H

#include "error.h"
#include "store.h"

enum names_kind {
	NAMES_SETS,            /* every named set */
	NAMES_SAMPLES,         /* sets raters code: samples and manual sets */
	NAMES_RATERS,          /* raters who have coded */
	NAMES_TAXONOMIES,      /* loaded and shipped taxonomies */
	NAMES_RELEASES,        /* loaded and shipped release series */
	NAMES_QUERIES,         /* shipped queries and the queries of filter sets */
	NAMES_SHIPPED_QUERIES, /* shipped queries alone */
	NAMES_REPOSITORIES,    /* owner/name of every stored repository */
	NAMES_DIMENSIONS,      /* the dimension keys of the loaded taxonomies */
};

typedef void (*names_fn)(const char *name, void *data);

/*
 * Calls fn for each name of kind: those in s (NULL: none) and the shipped
 * ones, each once, in order. Returns 0 or -1 with err set.
 */
int names_list(struct store *s, enum names_kind kind, names_fn fn, void *data, struct error *err);

#endif
