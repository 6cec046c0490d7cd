/*
 * ids.c - sorted arrays of database ids (see ids.h).
 */
#include "ids.h"

#include <stdlib.h>

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void ids_sort(int64_t *ids, size_t n)
{
	if (n)
		qsort(ids, n, sizeof(*ids), compare_ids);
}

int ids_has(const int64_t *sorted, size_t n, int64_t id)
{
	return n && bsearch(&id, sorted, n, sizeof(id), compare_ids) != NULL;
}
