/*
 * report.h - what "issuemine report" computes from a coded sample.
 *
 * report_load reads a sample's issues and one rater's codes, leaving out the
 * issues that rater excluded (listed apart, with their reasons). From them:
 *
 *  - distribution grids: one dimension's categories (in taxonomy order, or
 *    the K most frequent with the rest binned into "Other"), optionally with
 *    sub-categories, counted per repository and in total, with an
 *    "(uncoded)" row for issues the rater left without a code in that
 *    dimension (paper Tables 8, 9, 14);
 *  - joint grids: rows of one dimension, column groups of another (paper
 *    Tables 10 and 16);
 *  - issues per quarter of creation, per repository, plain and cumulative,
 *    all causes and the selected ones (paper Figure 6);
 *  - the release attribution and Spearman correlations of paper section
 *    6.1.1 (report_releases).
 *
 * Grids hold counts and labels only; exports/ renders them.
 */
#ifndef ISSUEMINE_REPORT_H
#define ISSUEMINE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "releases.h"
#include "stats_corr.h"
#include "store.h"
#include "taxonomy.h"

/* The dimensions the report tables use, found by key in the taxonomy. */
enum report_dim {
	REPORT_SYMPTOM,
	REPORT_LOCATION,
	REPORT_CAUSE,
	REPORT_NDIMS,
};

struct report_issue {
	int64_t id;
	size_t repo; /* index into report_data.repos */
	int64_t number;
	char created[21]; /* "YYYY-MM-DDTHH:MM:SSZ", or "" when unknown */
	const struct tax_category *cat[REPORT_NDIMS]; /* NULL: uncoded */
	const struct tax_category *sub[REPORT_NDIMS]; /* NULL: no sub-category */
};

/* An issue the reporting rater excluded: it counts in no table. */
struct report_exclusion {
	int64_t id;
	char *issue; /* "owner/name#N" */
	char *title;
	const struct tax_reason *reason; /* NULL when the taxonomy does not know it */
	char *detail;                    /* the rater's free text, or NULL */
};

struct report_data {
	int64_t set_id, rater_id; /* the sample's and the reporting rater's ids */
	struct taxonomy *tax;
	const struct tax_dimension *dims[REPORT_NDIMS]; /* NULL when the taxonomy lacks one */
	char *sample;
	char *rater;
	char **repos; /* "owner/name", sorted */
	size_t nrepos;
	struct report_issue *issues; /* the sample's issues inside the window, in sample order */
	size_t nissues;
	long outside_window;               /* issues left out by from/to */
	struct report_exclusion *excluded; /* inside the window, in sample order */
	size_t nexcluded;
	int *versions; /* the codebook versions the rater's codes span, ascending */
	size_t nversions;
};

struct report_options {
	const char *sample;
	const char *rater;    /* NULL: the only rater with codes in the sample */
	const char *taxonomy; /* NULL: the taxonomy of the rater's codes */
	const char *from;     /* "YYYY-MM-DD" or NULL: issues created on or after */
	const char *to;       /* "YYYY-MM-DD" or NULL: issues created on or before */
};

/*
 * Loads the sample and the rater's codes. Fails (naming what is wrong) when
 * the sample does not exist, has no codes, when no rater is given and
 * several have coded it (the error lists them), or when the rater has not
 * coded it. The caller frees *out with report_data_free.
 */
int report_load(struct store *s, const struct report_options *o, struct report_data **out,
                struct error *err);
void report_data_free(struct report_data *d);

/* --- grids --- */

enum report_kind {
	REPORT_LINE_CATEGORY, /* a category, or a quarter */
	REPORT_LINE_OTHERS,   /* binned categories */
	REPORT_LINE_UNCODED,
	REPORT_LINE_TOTAL,
};

struct report_line {
	enum report_kind kind;
	char *label; /* "Crash", "Other", "(uncoded)", "Total", "2021Q3" */
	char *sub;   /* with sub-categories: the sub-category, "(unspecified)" or ""; else NULL */
	const struct tax_category *cat;    /* the category, NULL for other kinds */
	const struct tax_category *subcat; /* the sub-category of a sub row, else NULL */
};

struct report_grid {
	char *name;  /* "symptoms", "cause-symptom", "over-time" */
	char *title; /* "Symptoms" */
	char *note;  /* what "Other" holds, the selected causes...; NULL when nothing to say */
	const char *row_key, *row_title; /* "cause", "Cause" */
	const char *sub_key,
	        *sub_title; /* "subcause", "Sub-cause" when rows have subs, else NULL */
	const char *group_key, *group_title; /* "symptom", "Symptom" for joint grids, else NULL */
	struct report_line *rows;
	size_t nrows;
	struct report_line *groups; /* NULL and 0 without column groups */
	size_t ngroups;
	size_t ncols; /* repositories, then the total */
	long *counts; /* [row][group][col]; one group when there are none */
	int shares;   /* distribution grids: show shares of the column total */
};

/* The count at row r, group g, column c. */
long *report_grid_cell(const struct report_grid *g, size_t r, size_t group, size_t c);
void report_grid_free(struct report_grid *g);

/*
 * The distribution of one dimension. with_subs expands categories that have
 * sub-categories into one row per sub-category (and "(unspecified)" for codes
 * naming only the parent, unless sub-categories are required). top > 0 keeps
 * the top most frequent categories (ties in taxonomy order), sorted by
 * frequency, and bins the others into "Other". hide_empty_uncoded leaves out
 * the "(uncoded)" row when it counts nothing. Fails when the taxonomy lacks
 * the dimension.
 */
int report_distribution(const struct report_data *d, enum report_dim dim, int with_subs, size_t top,
                        int hide_empty_uncoded, struct report_grid **out, struct error *err);

/*
 * The joint distribution: rows of row_dim (top_rows as above), column groups
 * of col_dim (top_cols), each group split per repository, a "Total" group last.
 */
int report_joint(const struct report_data *d, enum report_dim row_dim, enum report_dim col_dim,
                 size_t top_rows, size_t top_cols, int hide_empty_uncoded, struct report_grid **out,
                 struct error *err);

/* A cause chosen by the user: a category and, perhaps, one of its sub-categories. */
struct report_cause {
	const struct tax_category *cat;
	const struct tax_category *sub; /* NULL: any sub-category */
};

/*
 * Resolves a comma-separated list of causes ("Incompatibility,Type Problem",
 * keys, names or aliases; "Incompatibility/External" for a sub-category).
 * The caller frees *out.
 */
int report_parse_causes(const struct report_data *d, const char *list, struct report_cause **out,
                        size_t *n, struct error *err);

/* Whether an issue's cause is one of causes. */
int report_issue_has_cause(const struct report_issue *is, const struct report_cause *causes,
                           size_t n);

/* Issues per quarter of creation and per repository: all, and those with the selected causes. */
struct report_quarters {
	size_t n;       /* quarters, consecutive, none missing */
	int *year;      /* n */
	int *quarter;   /* n, 1..4 */
	long *all;      /* n x nrepos: new issues in the quarter */
	long *selected; /* n x nrepos */
	size_t nrepos;
	long undated; /* issues without a creation time */
};

/*
 * Counts issues per quarter from the quarter of from (else of the first
 * issue) to that of to (else of the last issue). causes may be NULL (then
 * selected counts are all zero).
 */
void report_quarters(const struct report_data *d, const char *from, const char *to,
                     const struct report_cause *causes, size_t ncauses,
                     struct report_quarters *out);
void report_quarters_free(struct report_quarters *q);

/*
 * The over-time grid: rows are quarters, column groups "new" and
 * "cumulative", a total row. restrict_label, when not NULL, says the counts
 * are of the selected causes only (taken from q->selected).
 */
struct report_grid *report_over_time(const struct report_data *d, const struct report_quarters *q,
                                     const char *restrict_label);

/* --- release correlation (paper 6.1.1) --- */

enum report_size {
	REPORT_SIZE_CHANGES, /* added + updated */
	REPORT_SIZE_ADDED,
	REPORT_SIZE_UPDATED,
};

struct report_release_options {
	const char *from, *to; /* the issue window (as given to report_load) */
	int drop_first, drop_last;
	const char *const *merges; /* "A-B": versions A..B into one bin */
	size_t nmerges;
	enum report_size size;
	const struct report_cause *causes; /* the selected causes */
	size_t ncauses;
};

struct report_bin {
	char *label;                 /* "8", or "2-7" for shared dates and merges */
	char date[RELEASE_DATE_LEN]; /* the first release's date */
	long added, updated, size;
	long issues, selected;
	int has_share; /* issues > 0 */
	double share;  /* selected / issues */
};

struct report_correlation {
	const char *x, *y; /* "size", "issues" | "selected" | "selected_share" */
	struct stats_spearman s;
};

struct report_releases {
	struct report_bin *bins; /* the bins kept, in date order */
	size_t nbins;
	long attributed;   /* issues counted in the kept bins */
	long before_first; /* created before the series' first release */
	long in_dropped;   /* attributed to a bin dropped (--drop-first/-last, window) */
	long undated;      /* without a creation time */
	long outside_window;
	struct report_correlation corr[3];
};

/*
 * Attributes each issue to the latest release dated on or before its
 * creation day; releases sharing a date are one bin (sizes summed); merges
 * join the bins holding versions A..B; bins whose period lies outside the
 * window are left out; then the first and last bins are dropped if asked.
 * A bad --merge (unknown version, reversed or overlapping ranges) is an
 * error naming it. Caller frees *out with report_releases_free.
 */
int report_releases(const struct report_data *d, const struct release_series *rs,
                    const struct report_release_options *o, struct report_releases **out,
                    struct error *err);
void report_releases_free(struct report_releases *r);

/* A release's size as size counts it (changes: added + updated). */
long report_release_size(const struct release *r, enum report_size size);

/* "changes", "added", "updated"; report_size_parse returns 0 or -1. */
const char *report_size_name(enum report_size size);
int report_size_parse(const char *name, enum report_size *out);

#endif
