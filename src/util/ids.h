/*
 * ids.h - sorted arrays of database ids (int64_t), for "is this issue one
 * of those" without a query per issue.
 */
#ifndef ISSUEMINE_IDS_H
#define ISSUEMINE_IDS_H

#include <stddef.h>
#include <stdint.h>

/* Sorts ids[0..n) in ascending order. */
void ids_sort(int64_t *ids, size_t n);

/* Whether sorted[0..n) (ascending) holds id. */
int ids_has(const int64_t *sorted, size_t n, int64_t id);

#endif
