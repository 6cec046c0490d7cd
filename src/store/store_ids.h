/*
 * store_ids.h - the ids a query of one integer column gives, as an array.
 */
#ifndef ISSUEMINE_STORE_IDS_H
#define ISSUEMINE_STORE_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Steps st (prepared and bound by the caller) and appends its first column
 * to *ids (*n of *alloc used; grown as needed, caller frees). Resets st.
 * Returns 0, or -1 on a database error, which names what (as store_error;
 * NULL for none). What was appended stays.
 */
int store_collect_ids(struct store *s, sqlite3_stmt *st, int64_t **ids, size_t *n, size_t *alloc,
                      const char *what, struct error *err);

#endif
