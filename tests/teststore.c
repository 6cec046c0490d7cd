/*
 * teststore.c - databases for the unit tests (see teststore.h).
 */
#include "teststore.h"
#include "import.h"
#include "schema.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

char *test_fresh_db(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "t.db");
	free(dir);
	return path;
}

int test_migration_with(const char *marker)
{
	for (int v = 0; v < schema_version; v++)
		if (strstr(schema_migrations[v][0], marker))
			return v;
	test_fail(__FILE__, __LINE__, "no migration does '%s'", marker);
	return -1;
}

sqlite3 *test_old_db(const char *path, int version)
{
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (int v = 0; v < version; v++)
		for (const char *const *sql = schema_migrations[v]; *sql; sql++)
			CHECK_INT(sqlite3_exec(db, *sql, NULL, NULL, NULL), SQLITE_OK);
	char pragmas[128];
	snprintf(pragmas, sizeof(pragmas), "PRAGMA user_version = %d; PRAGMA application_id = %d",
	         version, SCHEMA_APPLICATION_ID);
	CHECK_INT(sqlite3_exec(db, pragmas, NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	return db;
}

long long test_query_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -999;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct store *test_corpus(const char *name)
{
	char *path = test_fresh_db();
	char *data = test_data_path(name);
	struct store *s;
	struct error err;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0};
	if (store_open(path, STORE_READWRITE, &s, &err) ||
	    import_file(s, data, &io, &counts, &err)) {
		fprintf(stderr, "cannot build the corpus: %s\n", err.msg);
		exit(1);
	}
	free(path);
	free(data);
	return s;
}
