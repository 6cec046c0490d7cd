/*
 * validate.h - measuring a filter query against hand-labelled truth.
 *
 * The truth file is CSV with (at least) the columns issue and relevant:
 * issue as owner/name#N or a GitHub URL, relevant as 1/0, yes/no or
 * true/false. Each issue of the truth file that is in the database is
 * classed by whether the query matches it: true or false positive, false or
 * true negative; counts, precision, recall and F1 follow per repository and
 * in total. Issues not in the database are listed, never silently dropped;
 * those without fix data, for a query over fixes, are counted.
 */
#ifndef ISSUEMINE_VALIDATE_H
#define ISSUEMINE_VALIDATE_H

#include <stddef.h>

#include "issueref.h"
#include "query.h"
#include "store.h"

struct validate_counts {
	char repo[REPO_NAME_MAX]; /* "" for the total */
	long tp, fp, fn, tn;
};

struct validate_result {
	struct validate_counts *repos; /* by repository name */
	size_t nrepos;
	struct validate_counts total;
	char **missing; /* "owner/name#N" of truth rows not in the database, in file order */
	size_t nmissing;
	size_t rows; /* rows of the truth file */
	/*
	 * For a query with fix terms: how many classed issues have no fix data
	 * (the terms do not hold there, so their negations do); 0 otherwise.
	 */
	size_t without_fix_data;
};

/*
 * Reads the truth file at path and classes its issues by q. A malformed file
 * (missing column, bad issue reference, bad relevant value, an issue listed
 * twice) fails with err naming the file, line and what was expected.
 */
int validate_run(struct store *s, const struct query *q, const char *path,
                 struct validate_result *out, struct error *err);
void validate_result_release(struct validate_result *r);

/* TP / (TP + FP), TP / (TP + FN) and their harmonic mean; NaN when undefined. */
double validate_precision(const struct validate_counts *c);
double validate_recall(const struct validate_counts *c);
double validate_f1(const struct validate_counts *c);

/* Parses 1/0, yes/no, true/false (any case, blanks around ignored) into *yes; -1 otherwise. */
int validate_parse_relevant(const char *s, int *yes);

#endif
