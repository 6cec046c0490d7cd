/*
 * codes.h - raters, their codes, notes and exclusions, with a record of
 * every change.
 *
 * A code is what one rater said about one issue of one set (a sample) in one
 * dimension of a taxonomy: a category and perhaps a sub-category. A rater has
 * at most one code per set, issue and dimension, one free-text note (any
 * number of lines) per set and issue, and may exclude the issue from coding
 * with one of the taxonomy's reasons and free text (it is not a failure...).
 * An exclusion keeps the rater's codes, but agreement, reconciliation and
 * reports leave them out; removing the exclusion brings them back. Every
 * change also appends a row to code_log (who, what, when, and which tool:
 * "label", "code", "import", "reconcile", "undo"), so the history of a
 * coding effort can be audited. Codes and exclusions record the codebook
 * version in force when they were made (tax_version.h).
 *
 * The writers validate everything (the issue is in the set, the category
 * belongs to the dimension, the sub-category to the category and follows the
 * dimension's rule) and must run inside a transaction; the caller commits.
 */
#ifndef ISSUEMINE_CODES_H
#define ISSUEMINE_CODES_H

#include <stdint.h>

#include "store.h"
#include "taxonomy.h"

/* A rater name: non-empty, at most 100 bytes, no white space or control characters, no ','. */
int rater_name_valid(const char *name);

/* The rater's id, creating the rater if create is set; 0 with no error if absent. */
int rater_id(struct store *s, const char *name, int create, int64_t *id, struct error *err);

/*
 * Sets (or replaces) a code; code->sub may be NULL. A code that changes (or
 * is cleared) loses the confidence an external rater gave the old one.
 */
int code_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
             const struct tax_code *code, const char *origin, struct error *err);

/* Removes the rater's code in a dimension (no error when there is none). */
int code_clear(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
               const struct tax_dimension *dim, const char *origin, struct error *err);

/* Sets the rater's note on the issue; NULL or "" removes it. */
int note_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id, const char *note,
             const char *origin, struct error *err);

/*
 * The rater's code in a dimension: fills *out (with pointers into t) and sets
 * *found; *found is 0 when the rater has not coded that dimension.
 */
int code_get(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t issue_id,
             int64_t rater_id, const struct tax_dimension *dim, struct tax_code *out, int *found,
             struct error *err);

/*
 * Forgets the confidence an external rater's answer gave its code in
 * dimension dim_id (0: in every dimension). It belongs to that code: once
 * the code changes (by hand, or by the rater's next answer) it says
 * nothing, so it goes with it.
 */
int code_confidence_forget(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                           int64_t dim_id, struct error *err);

/* Records the confidence (0 to 1) of answer_id (a rater_answers row) in the code of dim_id. */
int code_confidence_put(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                        int64_t dim_id, double confidence, int64_t answer_id, struct error *err);

/*
 * The confidence (0 to 1) an external rater's answer gave its code in
 * dimension dim_id, into *conf; -1 when it gave none, or the code changed.
 */
int code_confidence_get(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                        int64_t dim_id, double *conf, struct error *err);

/* The rater's note (caller frees), or NULL when there is none. */
int note_get(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id, char **note,
             struct error *err);

/* A rater's exclusion of an issue. */
struct exclusion {
	const struct tax_reason *reason; /* NULL: the issue is not excluded */
	char *detail;                    /* the free text (owned), or NULL */
};

void exclusion_release(struct exclusion *x);

/*
 * Excludes the issue for the rater with reason (from a taxonomy read from
 * the database) and detail (NULL or "" for none), replacing an exclusion
 * there is. The same exclusion again changes nothing.
 */
int exclusion_set(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                  const struct tax_reason *reason, const char *detail, const char *origin,
                  struct error *err);

/* Removes the rater's exclusion of the issue (no error when there is none). */
int exclusion_clear(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                    const char *origin, struct error *err);

/* The rater's exclusion (reason NULL when none); release *out afterwards. */
int exclusion_get(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t issue_id,
                  int64_t rater_id, struct exclusion *out, struct error *err);

/*
 * SQL that is true when the code (or note) in table alias A is not under an
 * exclusion by its rater: agreement, reconciliation and reports use only
 * such codes.
 */
#define CODE_NOT_EXCLUDED(A)                                                                       \
	"NOT EXISTS (SELECT 1 FROM exclusions x_ WHERE x_.set_id = " A ".set_id AND "              \
	"x_.issue_id = " A ".issue_id AND x_.rater_id = " A ".rater_id)"

#endif
