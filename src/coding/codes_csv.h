/*
 * codes_csv.h - raters' codes in and out of the database as CSV rows.
 *
 * So raters can code on separate machines and existing spreadsheets can be
 * brought in. The format (RFC 4180, header required, columns in any order):
 *
 *	issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note
 *	pytorch/pytorch#101,alice,cause,incompatibility,external,"opset 13 only",,
 *	pytorch/pytorch#102,alice,,,,,not-a-failure,"a question"
 *
 * issue is "owner/name#N" or a GitHub issue URL; dimension, category and
 * subcategory match a key, a display name or an alias, ignoring case;
 * subcategory, note, exclusion and exclusion_note may be empty or absent. A
 * row with an empty dimension and category carries the note or exclusion
 * alone. The note belongs to the rater and the issue (not to one
 * dimension), and so does the exclusion (a reason of the taxonomy, by key or
 * name, with free text): an empty one says nothing about it, and the same
 * issue and rater may not be given two different ones. Notes may hold line
 * breaks (quoted, as RFC 4180 says).
 *
 * An import checks the whole file before it writes anything and collects
 * every bad row with its line and reason; only a clean file is imported, in
 * one transaction. Codes and notes equal to the stored ones are left alone,
 * so importing a file twice changes nothing (not even code_log). An export
 * writes keys in the same format, so an export imported into another
 * database gives back the same export.
 */
#ifndef ISSUEMINE_CODES_CSV_H
#define ISSUEMINE_CODES_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "issueref.h"
#include "store.h"
#include "strbuf.h"
#include "taxonomy.h"

/* The columns, in the order an export writes them. */
#define CODES_CSV_NCOLUMNS 8
extern const char *const codes_csv_columns[CODES_CSV_NCOLUMNS];

struct codes_import_options {
	const char *sample; /* the set the codes belong to */
	int add_to_sample;  /* add issues to it (and create it) instead of refusing them */
	int create_missing; /* create minimal rows for issues the database lacks */
};

struct codes_row_error {
	long line;
	char *reason; /* owned */
};

struct codes_import_result {
	long rows;            /* data rows read */
	long codes_new;       /* codes where the rater had none in that dimension */
	long codes_changed;   /* codes replacing a different one */
	long codes_unchanged; /* codes equal to the stored one */
	long notes_set;       /* notes new or changed */
	long notes_unchanged;
	long exclusions_set; /* exclusions new or changed */
	long exclusions_unchanged;
	long issues_created; /* minimal issue rows (--create-missing) */
	long members_added;  /* issues added to the sample (--add-to-sample) */
	long raters_created;
	int sample_created;
	struct codes_row_error *errors; /* the bad rows, in file order */
	size_t nerrors;
};

/*
 * Imports the CSV read from f (name is used in messages) into sample
 * o->sample, against taxonomy t. Returns 0 when the file was imported;
 * -1 when it was not: either res->nerrors > 0 (the bad rows; err gives the
 * count) or a problem with the whole file or the database (err alone).
 * Nothing is written unless 0 is returned. Release res afterwards.
 */
int codes_import(struct store *s, const struct taxonomy *t, FILE *f, const char *name,
                 const struct codes_import_options *o, struct codes_import_result *res,
                 struct error *err);

void codes_import_result_release(struct codes_import_result *res);

/* One row, as exported or as given to codes_check_row; NULL members are empty fields. */
struct codes_row {
	char *issue; /* "owner/name#N" */
	char *rater;
	char *dimension; /* keys */
	char *category;
	char *subcategory;
	char *note;
	char *exclusion; /* a reason's key */
	char *exclusion_note;
};

/* A row checked and resolved (pointers into the taxonomy). */
struct codes_checked {
	struct issueref ref;
	int64_t issue_id; /* 0 when the database does not hold the issue */
	int in_sample;
	char *rater;                     /* owned, trimmed */
	struct tax_code code;            /* code.dim NULL when the row has no code */
	char *note;                      /* owned; NULL when empty */
	const struct tax_reason *reason; /* NULL when the row excludes nothing */
	char *exclusion_note;            /* owned; NULL when empty */
};

void codes_checked_release(struct codes_checked *c);

/*
 * Checks one row as an import does (the issue, the rater, the code against
 * taxonomy t, the exclusion reason, the sample set_id, 0 when it is still to
 * be created, under options o), resolving it into *out. What is wrong goes
 * into why ("; "-separated, empty when the row is good); -1 only on a
 * database error. Callable on its own, for rows from other sources than a
 * CSV file. Release *out afterwards.
 */
int codes_check_row(struct store *s, const struct taxonomy *t, const struct codes_import_options *o,
                    int64_t set_id, const struct codes_row *row, struct codes_checked *out,
                    struct strbuf *why, struct error *err);

/*
 * The codes, notes and exclusions of sample set_id under taxonomy t, one
 * row per code, in sample order, then rater name, then dimension order; a
 * rater's note and exclusion go on the first row of the issue (a row of its
 * own when there are no codes). rater_id 0 means every rater. Caller frees with codes_rows_free.
 */
int codes_export(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t rater_id,
                 struct codes_row **rows, size_t *nrows, struct error *err);

void codes_rows_free(struct codes_row *rows, size_t n);

#endif
