/*
 * funnel.h - how a study narrowed its data down, per repository: the
 * paper's Figure 4 as counts.
 *
 * The stages, in order:
 *
 *  - fetched: the issues (and pull requests) the database holds of the
 *    repository, not counting minimal rows made from bare references; in a
 *    database written by "issuemine archive", what its source held
 *    (archive_repositories), since the archive keeps only the study's issues;
 *  - one stage per set the sample was drawn from, outermost first (the
 *    filter set of a query, then samples), and the sample itself;
 *  - excluded: the sample's issues the rater excluded;
 *  - incomplete: those the rater neither excluded nor coded in every
 *    dimension of the taxonomy;
 *  - coded: those the rater coded in every dimension and did not exclude.
 *
 * Excluded, incomplete and coded add up to the sample.
 */
#ifndef ISSUEMINE_FUNNEL_H
#define ISSUEMINE_FUNNEL_H

#include <stddef.h>

#include "report.h"
#include "store.h"

struct funnel_stage {
	char *key;   /* a column name for CSV and JSON: "fetched", a set's name, "coded" */
	char *title; /* a column header: "fetched", "relevant (filter)" */
};

struct report_funnel {
	char **repos; /* "owner/name", sorted as report_data's */
	size_t nrepos;
	struct funnel_stage *stages;
	size_t nstages;
	long *counts; /* nrepos x nstages, repository-major */
	char *note;   /* what the stages are, for the table's note */
};

/*
 * The funnel of the sample and rater d was loaded for (its window is not
 * applied: the funnel is the whole study's). Caller frees with
 * report_funnel_free.
 */
int report_funnel(struct store *s, const struct report_data *d, struct report_funnel **out,
                  struct error *err);
void report_funnel_free(struct report_funnel *f);

/* The count of repository r at stage i. */
long report_funnel_count(const struct report_funnel *f, size_t r, size_t i);

#endif
