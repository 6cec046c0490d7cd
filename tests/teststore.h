/*
 * teststore.h - databases for the unit tests: fresh ones, ones an older
 * issuemine left (to test a migration), and the filter corpus.
 */
#ifndef ISSUEMINE_TESTSTORE_H
#define ISSUEMINE_TESTSTORE_H

#include <sqlite3.h>

#include "store.h"

/* A path for a new database in a new temporary directory (caller frees). */
char *test_fresh_db(void);

/*
 * The index of the first migration whose first statement holds marker: a
 * migration is found by what it does, since other topics' migrations may
 * come before or after it. -1, and a test failure, when there is none.
 */
int test_migration_with(const char *marker);

/*
 * A new database at path as the migrations before version left it (stamped
 * with version, as an older issuemine would), open for the test to add its
 * rows; the caller closes it.
 */
sqlite3 *test_old_db(const char *path, int version);

/* The first column of the first row of sql; -1 when there is no row, -999 when it fails. */
long long test_query_int(struct store *s, const char *sql);

/* A new database holding the test data file name (e.g. "filter-corpus.json"); exits on failure. */
struct store *test_corpus(const char *name);

#endif
