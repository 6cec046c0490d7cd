/*
 * agree_read.h - the codes and exclusions of a sample, row by row, as
 * agree.c and agree_against.c read them into their grids (internal to
 * src/stats/).
 */
#ifndef ISSUEMINE_AGREE_READ_H
#define ISSUEMINE_AGREE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "taxonomy.h"

/* One stored code: its issue, rater, dimension, category and sub-category (0: none). */
struct agree_code_row {
	int64_t issue_id, rater_id, dimension_id, category_id, subcategory_id;
};

/*
 * Calls fn for every code of sample set_id; a non-zero return from fn (it
 * filled err) stops and is returned as -1. -1 also on a database error.
 */
int agree_read_codes(struct store *s, int64_t set_id,
                     int (*fn)(void *ctx, const struct agree_code_row *row, struct error *err),
                     void *ctx, struct error *err);

/*
 * Calls fn for every exclusion of sample set_id with its issue, its rater
 * and the index of its reason in t (t->nreasons for a reason of another
 * taxonomy: excluded, for no known reason). -1 on a database error.
 */
int agree_read_exclusions(struct store *s, const struct taxonomy *t, int64_t set_id,
                          void (*fn)(void *ctx, int64_t issue_id, int64_t rater_id, size_t reason),
                          void *ctx, struct error *err);

#endif
