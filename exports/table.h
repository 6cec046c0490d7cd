/*
 * table.h - a small model of a count table, and its writers.
 *
 * Every table of "issuemine report" has the same shape: rows named by one or
 * two keys (a category; or a category and its sub-category), value columns
 * (one per repository, then "total"), optionally repeated under column
 * groups (the symptoms of a joint cause x symptom table). Each cell is a
 * count; a table may show each count's share of its column's total (the
 * TABLE_ROW_TOTAL row gives the base).
 *
 * The writers render the same model as aligned text, CSV, JSON, Markdown and
 * LaTeX (booktabs). CSV and JSON are "long" where a table has groups: one
 * record per row and group, with the group as a key column, so that every
 * record has the columns key(s), one per repository, total.
 *
 * CSV records carry a kind column (data, total, uncoded, other) so that
 * scripts can drop totals without matching labels.
 *
 * Layout options for papers: table_hide_empty drops rows, column groups and
 * columns that count nothing; group_totals = 0 leaves out the total column
 * of every group but the total group (text, Markdown and LaTeX);
 * table_repos_as_rows turns a joint table's repository columns into rows,
 * so that the groups become the columns and the table fits a page (in
 * LaTeX their headers are set upright with \\rotatebox: load graphicx); and
 * latex_float wraps the LaTeX tabular in a table float with \caption and
 * \label{tab:NAME}.
 *
 * Ownership: the table owns every string and array it points to (built with
 * the table_* functions below); table_free releases it all.
 */
#ifndef ISSUEMINE_EXPORTS_TABLE_H
#define ISSUEMINE_EXPORTS_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "format.h"

enum table_row_kind {
	TABLE_ROW_CATEGORY, /* a category (key[1], if any, is a sub-category or "") */
	TABLE_ROW_OTHERS,   /* categories binned together ("Others") */
	TABLE_ROW_UNCODED,  /* issues without a code in the dimension */
	TABLE_ROW_TOTAL,    /* the column totals; writers draw a rule above it */
	TABLE_ROW_SUBTOTAL, /* the total of the rows above over repositories (no rule) */
};

struct table_row {
	char *key[2]; /* key[1] is NULL in one-key tables */
	enum table_row_kind kind;
	long *counts; /* ngroups x ncols, group-major */
};

struct table {
	char *name;          /* machine name: "symptoms", "cause-symptom" */
	char *title;         /* "Symptoms" */
	char *note;          /* a line of context under the title, or NULL */
	size_t nkeys;        /* 1 or 2 */
	char *key_names[2];  /* field names in CSV and JSON: "cause", "subcause" */
	char *key_titles[2]; /* column headers in text, Markdown and LaTeX: "Cause" */
	char *group_name;    /* field name of the column groups ("symptom"), NULL for none */
	char *group_title;   /* "Symptom": written in the corner, "Cause \ Symptom" */
	char **groups;       /* group labels; ngroups is 1 and groups NULL without groups */
	size_t ngroups;
	char **cols;       /* column names in CSV and JSON: "owner/name", ..., "total" */
	char **col_titles; /* column headers in text, Markdown and LaTeX */
	size_t ncols;
	int shares; /* show each count's share of its column's total */
	struct table_row *rows;
	size_t nrows, alloc_rows;
	int total_col;    /* the last column totals the others (never hidden) */
	int total_group;  /* the last group totals the others (never hidden) */
	int group_totals; /* 0: text, Markdown and LaTeX leave out each group's total column */
	char *cols_title; /* a title over the value columns in text, Markdown, LaTeX; or NULL */
	int latex_float;  /* wrap the LaTeX tabular in table, \caption and \label */
	int tex_rotate;   /* LaTeX: value column headers set upright (\rotatebox: graphicx) */
};

/*
 * A new empty table. key_names/key_titles hold nkeys strings; cols and
 * col_titles ncols (col_titles may be NULL: the names are used). All are
 * copied.
 */
struct table *table_new(const char *name, const char *title, size_t nkeys,
                        const char *const *key_names, const char *const *key_titles, size_t ncols,
                        const char *const *cols, const char *const *col_titles);

/* Adds column groups (copied); call before adding rows. */
void table_set_groups(struct table *t, const char *group_name, const char *group_title,
                      size_t ngroups, const char *const *groups);

void table_set_note(struct table *t, const char *note);

/* Appends a row with zero counts; key1 is ignored in one-key tables (NULL means ""). */
struct table_row *table_add_row(struct table *t, enum table_row_kind kind, const char *key0,
                                const char *key1);

/* The count cell of row at group g, column c. */
long *table_cell(const struct table *t, struct table_row *row, size_t g, size_t c);

/* The TABLE_ROW_TOTAL row, or NULL. */
const struct table_row *table_total_row(const struct table *t);

/*
 * Leaves out every row (but totals), column group (but the total group) and
 * column (but the total column) whose counts are all zero: "(uncoded)" and
 * "(unspecified)" rows included.
 */
void table_hide_empty(struct table *t);

/*
 * A new table from a table with column groups: its rows are each row of t
 * for each column of t (key[1] "repository" holds the column's title, the
 * total column's rows are subtotals), its columns the groups of t. t is
 * left as it was. with_totals 0 leaves out the rows of the total column
 * but those of the total row.
 */
struct table *table_repos_as_rows(const struct table *t, int with_totals);

void table_free(struct table *t);

/*
 * Writers. Text, Markdown and LaTeX start with the title (a comment in
 * LaTeX). table_to_json returns a new reference. table_write dispatches on
 * the format (JSON pretty-printed). Write errors are left in out's error
 * flag for the caller to check.
 */
json_t *table_to_json(const struct table *t);
void table_write(FILE *out, const struct table *t, enum export_format f);

/* The flags every JSON document of the exports is dumped with. */
#define TABLE_JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

/* "count (share%)" or "count" as the writers show a cell; share rounded half up. */
void table_format_cell(const struct table *t, const struct table_row *row, size_t g, size_t c,
                       char *buf, size_t size);

/*
 * A table of ready-made strings, for tables that are not counts (release
 * bins, correlations). The first nlabels columns are left-aligned labels,
 * the others right-aligned values. It renders as text, CSV (one header row,
 * then the rows), Markdown and LaTeX exactly as a count table does; JSON is
 * the caller's, who knows the values' types. Count tables are rendered
 * through this form too.
 */
struct table_strings_row {
	char **cells;
	int rule_before; /* a rule (midrule) above this row */
};

struct table_strings {
	char *title;
	char *note;         /* or NULL */
	char *tex_title;    /* the title as LaTeX (caption), or NULL: title escaped */
	char *name;         /* for \label{tab:NAME} of a float, or NULL */
	int latex_float;    /* wrap the tabular in table, \caption and \label */
	int tex_rotate;     /* value column headers in \rotatebox{90}{...} (needs graphicx) */
	char **tex_headers; /* NULL, or per column raw LaTeX (NULL: the header escaped) */
	size_t ncols, nlabels;
	char **headers;
	/* Optional column groups: corner spans the label columns, each group span value columns. */
	char *corner;
	char **groups;
	size_t ngroups, span;
	size_t *spans; /* NULL, or per group its own span (groups of unequal width) */
	struct table_strings_row *rows;
	size_t nrows, alloc_rows;
};

struct table_strings *table_strings_new(const char *title, const char *note, size_t ncols,
                                        size_t nlabels, const char *const *headers);
/* Appends a row of ncols cells (copied; NULL is ""). */
void table_strings_add(struct table_strings *t, const char *const *cells, int rule_before);
/* Raw LaTeX for header col ("$\rho$") and for the title; copied. */
void table_strings_set_tex_header(struct table_strings *t, size_t col, const char *tex);
void table_strings_set_tex_title(struct table_strings *t, const char *tex);
void table_strings_free(struct table_strings *t);
/* Any format but JSON (which writes nothing). */
void table_strings_write(FILE *out, const struct table_strings *t, enum export_format f);

#endif
