/*
 * codes.h - raters, their codes and notes, with a record of every change.
 *
 * A code is what one rater said about one issue of one set (a sample) in one
 * dimension of a taxonomy: a category and perhaps a sub-category. A rater has
 * at most one code per set, issue and dimension, and one free-text note per
 * set and issue. Every change also appends a row to code_log (who, what,
 * when, and which tool: "label", "code", "import", "reconcile"), so the
 * history of a coding effort can be audited.
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

/* Sets (or replaces) a code; code->sub may be NULL. */
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

/* The rater's note (caller frees), or NULL when there is none. */
int note_get(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id, char **note,
             struct error *err);

#endif
