/*
 * sets.h - named sets of issues: filter results and samples.
 *
 * A set has a unique name, a kind ("filter", "sample" or "manual"), the text
 * that made it (a query, or a description of the draw), optionally the set
 * it was drawn from and the seed, and its members in order.
 */
#ifndef ISSUEMINE_SETS_H
#define ISSUEMINE_SETS_H

#include <stdint.h>

#include "store.h"

/* The id of the set called name, or 0 (and no error) when there is none. */
int set_find(struct store *s, const char *name, int64_t *id, struct error *err);

/*
 * Creates an empty set; fails if the name is taken. parent_id 0 means none;
 * seed is stored only when has_seed is set. Must run in a transaction.
 */
int set_create(struct store *s, const char *name, const char *kind, const char *origin,
               int64_t parent_id, int has_seed, int64_t seed, int64_t *id, struct error *err);

/* Appends an issue to the set (after the current last member); a member already there is kept. */
int set_add_member(struct store *s, int64_t set_id, int64_t issue_id, struct error *err);

/* Sets *yes when issue_id is in the set. */
int set_has_member(struct store *s, int64_t set_id, int64_t issue_id, int *yes, struct error *err);

/* Number of members. */
int set_size(struct store *s, int64_t set_id, long *size, struct error *err);

/* A set name must be non-empty, printable, without white space at either end. */
int set_name_valid(const char *name);

#endif
