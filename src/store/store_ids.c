/*
 * store_ids.c - the ids a query of one integer column gives (see store_ids.h).
 */
#include "store_ids.h"
#include "xalloc.h"

int store_collect_ids(struct store *s, sqlite3_stmt *st, int64_t **ids, size_t *n, size_t *alloc,
                      const char *what, struct error *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)ids, alloc, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, what);
}
