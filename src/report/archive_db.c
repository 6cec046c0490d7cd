/*
 * archive_db.c - the slim database of a replication package (see archive.h).
 *
 * The rule of what an archive carries, table by table (archive_rules):
 *
 *  - the study's sets: the sample and every set it was drawn from (the
 *    parent chain), with their members, and every row that belongs to one
 *    of them: codes, notes, exclusions, the whole code_log;
 *  - the sample's issues in full: the issue, its labels, its timeline and
 *    timeline state, its fixes with their changes and changed files;
 *  - the other members of the parent sets as outlines: the issue row
 *    without body and raw JSON, with its labels, no timeline, so that the
 *    sample can be drawn again from the same seed and the funnel counted;
 *  - what those rows refer to: repositories (with their fetch queries and
 *    dates, not the fetch's resume state; whether each search still matched
 *    each archived issue), raters, and the taxonomies of the codes and
 *    exclusions with every version;
 *  - what belongs to the study as a whole: release series, settings;
 *  - never: the state of runs in progress (fetch_pending, fetch_leases,
 *    rater_leases).
 *
 * A new table gets a row in archive_rules: a condition on its columns over
 * the temp.archive_* id lists below. A table of the schema without a rule
 * stops the archive (and the test suite), so none is left out by accident;
 * a rule whose table the schema lacks (one of a branch not merged yet) is
 * passed over.
 */
#include "archive.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* A table's rule: which rows, and columns whose value is replaced. */
struct archive_rule {
	const char *table;
	const char *where;           /* "" every row; NULL none */
	const char *overrides[4][2]; /* {column, SQL expression}, ending with {NULL} */
};

#define IN_SETS       "IN (SELECT id FROM temp.archive_sets)"
#define IN_ISSUES     "IN (SELECT id FROM temp.archive_issues)"
#define IN_FULL       "IN (SELECT id FROM temp.archive_issues WHERE full)"
#define IN_TAXONOMIES "IN (SELECT id FROM temp.archive_taxonomies)"

static const struct archive_rule archive_rules[] = {
        /* what GitHub holds */
        {"repositories", "id IN (SELECT id FROM temp.archive_repos)", {{NULL}}},
        {"issues",
         "id " IN_ISSUES,
         {{"body", "CASE WHEN id " IN_FULL " THEN body END"},
          {"raw", "CASE WHEN id " IN_FULL " THEN raw END"},
          {NULL}}},
        {"labels", "issue_id " IN_ISSUES, {{NULL}}},
        {"events", "issue_id " IN_FULL, {{NULL}}},
        /* what the fetcher remembers: the queries and dates, not a run's progress */
        {"fetch_queries",
         "repo_id IN (SELECT id FROM temp.archive_repos)",
         {{"started_at", "NULL"}, {"state", "NULL"}, {NULL}}},
        {"fetch_pending", NULL, {{NULL}}},
        {"fetch_leases", NULL, {{NULL}}},
        {"rater_leases", NULL, {{NULL}}},
        /* whether a search still matched each issue the archive holds */
        {"fetch_members",
         "query_id IN (SELECT id FROM src.fetch_queries WHERE repo_id IN (SELECT id FROM "
         "temp.archive_repos)) AND EXISTS (SELECT 1 FROM src.fetch_queries q JOIN src.issues i ON "
         "i.repo_id = q.repo_id WHERE q.id = query_id AND i.number = fetch_members.number AND "
         "i.id " IN_ISSUES ")",
         {{NULL}}},
        {"timeline_state", "issue_id " IN_FULL, {{NULL}}},
        /* fix evidence of the sample's issues */
        {"fix_changes", "id IN (SELECT id FROM temp.archive_changes)", {{NULL}}},
        {"fix_files", "change_id IN (SELECT id FROM temp.archive_changes)", {{NULL}}},
        {"fixes", "issue_id " IN_FULL, {{NULL}}},
        {"fix_state", "issue_id " IN_FULL, {{NULL}}},
        /* the study's sets and everything raters did on them */
        {"sets", "id " IN_SETS, {{NULL}}},
        {"set_members", "set_id " IN_SETS, {{NULL}}},
        {"raters", "id IN (SELECT id FROM temp.archive_raters)", {{NULL}}},
        {"codes", "set_id " IN_SETS, {{NULL}}},
        {"notes", "set_id " IN_SETS, {{NULL}}},
        {"exclusions", "set_id " IN_SETS, {{NULL}}},
        {"code_log", "set_id " IN_SETS, {{NULL}}},
        /* the codebooks the codes are of, with their history */
        {"taxonomies", "id " IN_TAXONOMIES, {{NULL}}},
        {"taxonomy_versions", "taxonomy_id " IN_TAXONOMIES, {{NULL}}},
        {"dimensions", "taxonomy_id " IN_TAXONOMIES, {{NULL}}},
        {"categories",
         "dimension_id IN (SELECT id FROM src.dimensions WHERE taxonomy_id " IN_TAXONOMIES ")",
         {{NULL}}},
        {"exclusion_reasons", "taxonomy_id " IN_TAXONOMIES, {{NULL}}},
        /* external raters (issue 17): their runs, answers and confidences, as codes are */
        {"rater_runs", "set_id " IN_SETS, {{NULL}}},
        {"rater_answers", "set_id " IN_SETS, {{NULL}}},
        {"code_confidence", "set_id " IN_SETS, {{NULL}}},
        /* a codebook's path rules (issue 14), as its categories are */
        {"taxonomy_rules", "taxonomy_id " IN_TAXONOMIES, {{NULL}}},
        /* the study as a whole */
        {"release_series", "", {{NULL}}},
        {"releases", "", {{NULL}}},
        {"settings", "", {{NULL}}},
        /* filled apart (fill_archive_repositories): what the source held */
        {"archive_repositories", NULL, {{NULL}}},
        {NULL, NULL, {{NULL}}},
};

static const struct archive_rule *find_rule(const char *table)
{
	for (const struct archive_rule *r = archive_rules; r->table; r++)
		if (!strcmp(r->table, table))
			return r;
	return NULL;
}

const char *archive_db_rule(const char *table, int *known)
{
	const struct archive_rule *r = find_rule(table);
	*known = r != NULL;
	return r ? r->where : NULL;
}

/*
 * The id lists the rules use, from the source: the sample's lineage, its
 * members (full: the sample's own), and what their rows refer to.
 */
static const char *const id_lists[] = {
        "CREATE TEMP TABLE archive_sets (id INTEGER PRIMARY KEY)",
        "WITH RECURSIVE lineage(id, parent, depth) AS (SELECT id, parent_id, 0 FROM src.sets "
        "WHERE name = ?1 UNION SELECT s.id, s.parent_id, l.depth + 1 FROM src.sets s JOIN "
        "lineage l ON s.id = l.parent WHERE l.depth < 64) "
        "INSERT OR IGNORE INTO temp.archive_sets SELECT id FROM lineage",
        "CREATE TEMP TABLE archive_issues (id INTEGER PRIMARY KEY, full INTEGER NOT NULL)",
        "INSERT INTO temp.archive_issues SELECT m.issue_id, max(s.name = ?1) FROM src.set_members "
        "m JOIN src.sets s ON s.id = m.set_id WHERE m.set_id IN (SELECT id FROM "
        "temp.archive_sets) GROUP BY m.issue_id",
        "CREATE TEMP TABLE archive_repos (id INTEGER PRIMARY KEY)",
        "INSERT INTO temp.archive_repos SELECT DISTINCT repo_id FROM src.issues WHERE id IN "
        "(SELECT id FROM temp.archive_issues)",
        "CREATE TEMP TABLE archive_raters (id INTEGER PRIMARY KEY)",
        "INSERT OR IGNORE INTO temp.archive_raters SELECT rater_id FROM src.codes WHERE "
        "set_id " IN_SETS " UNION SELECT rater_id FROM src.notes WHERE set_id " IN_SETS
        " UNION SELECT rater_id FROM src.exclusions WHERE set_id " IN_SETS
        " UNION SELECT rater_id FROM src.code_log WHERE set_id " IN_SETS
        " UNION SELECT rater_id FROM src.rater_runs WHERE set_id " IN_SETS,
        "CREATE TEMP TABLE archive_taxonomies (id INTEGER PRIMARY KEY)",
        "INSERT OR IGNORE INTO temp.archive_taxonomies SELECT d.taxonomy_id FROM src.dimensions d "
        "WHERE d.id IN (SELECT dimension_id FROM src.codes WHERE set_id " IN_SETS
        " UNION SELECT dimension_id FROM src.code_log WHERE set_id " IN_SETS
        ") UNION SELECT x.taxonomy_id FROM src.exclusion_reasons x WHERE x.id IN (SELECT "
        "reason_id FROM src.exclusions WHERE set_id " IN_SETS
        " UNION SELECT reason_id FROM src.code_log WHERE set_id " IN_SETS
        ") UNION SELECT v.taxonomy_id FROM src.taxonomy_versions v WHERE v.id IN (SELECT "
        "version_id FROM src.rater_runs WHERE set_id " IN_SETS ")",
        "CREATE TEMP TABLE archive_changes (id INTEGER PRIMARY KEY)",
        "INSERT OR IGNORE INTO temp.archive_changes SELECT change_id FROM src.fixes WHERE "
        "issue_id " IN_FULL,
        NULL,
};

/* What the source held of each repository, or what its own source held if it is an archive. */
static const char fill_archive_repositories[] =
        "INSERT INTO main.archive_repositories (repo_id, issues) SELECT r.id, coalesce((SELECT "
        "a.issues FROM src.archive_repositories a WHERE a.repo_id = r.id), (SELECT count(*) "
        "FROM src.issues i WHERE i.repo_id = r.id AND i.state IS NOT NULL)) FROM "
        "temp.archive_repos r";

/*
 * A built-in series stored here was not loaded by anyone: it gets the time
 * of the study's last recorded change rather than the clock's, so that the
 * same database always gives the same archive.
 */
static const char series_time[] =
        "UPDATE main.release_series SET loaded_at = coalesce((SELECT max(t) FROM (SELECT "
        "max(at) AS t FROM main.code_log UNION ALL SELECT max(created_at) FROM main.sets)), "
        "loaded_at) WHERE name = ?1";

static int exec_bound(struct store *s, const char *sql, const char *sample, struct error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_text(st, 1, sample, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_error(s, err, NULL);
}

/* The tables of the source (no views, no SQLite's own), each checked for a rule. */
static int check_rules(struct store *s, char ***tables, size_t *n, struct error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT name FROM src.sqlite_schema WHERE type = 'table' AND name "
	                       "NOT LIKE 'sqlite_%' ORDER BY name",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	size_t alloc = 0;
	int rc;
	*n = 0;
	*tables = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		xgrow((void **)tables, &alloc, *n + 1, sizeof(char *));
		(*tables)[(*n)++] = xstrdup(name);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	for (size_t i = 0; i < *n; i++)
		if (!find_rule((*tables)[i]))
			return error_set(
			        err,
			        "table '%s' has no archive rule (add one to archive_rules in "
			        "src/report/archive_db.c)",
			        (*tables)[i]);
	return 0;
}

static const char *override_of(const struct archive_rule *r, const char *column)
{
	for (size_t i = 0; i < 4 && r->overrides[i][0]; i++)
		if (!strcmp(r->overrides[i][0], column))
			return r->overrides[i][1];
	return NULL;
}

static int source_has_table(struct store *s, const char *table)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT 1 FROM src.sqlite_schema WHERE type = 'table' AND name = ?",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* "INSERT INTO main.T (a, b) SELECT a, <override of b> FROM src.T WHERE ..." */
static int copy_table(struct store *s, const struct archive_rule *r, struct error *err)
{
	if (!r->where || !source_has_table(s, r->table))
		return 0;
	char *info =
	        xstrfmt("SELECT name FROM pragma_table_info('%s', 'main') ORDER BY cid", r->table);
	sqlite3_stmt *st;
	int prc = sqlite3_prepare_v2(s->db, info, -1, &st, NULL);
	free(info);
	if (prc != SQLITE_OK)
		return store_error(s, err, NULL);
	struct strbuf cols = STRBUF_INIT, exprs = STRBUF_INIT;
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 0);
		const char *expr = override_of(r, col);
		strbuf_addf(&cols, "%s\"%s\"", n ? ", " : "", col);
		if (expr)
			strbuf_addf(&exprs, "%s%s", n ? ", " : "", expr);
		else
			strbuf_addf(&exprs, "%s\"%s\"", n ? ", " : "", col);
		n++;
	}
	sqlite3_finalize(st);
	int failed = rc != SQLITE_DONE;
	if (!failed) {
		char *sql = xstrfmt("INSERT INTO main.\"%s\" (%s) SELECT %s FROM src.\"%s\"%s%s",
		                    r->table, cols.buf, exprs.buf, r->table,
		                    *r->where ? " WHERE " : "", r->where);
		failed = sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK;
		free(sql);
	}
	strbuf_release(&cols);
	strbuf_release(&exprs);
	return failed ? store_error(s, err, r->table) : 0;
}

/* Every copied row's references must be copied too: a rule that misses some is a bug. */
static int check_foreign_keys(struct store *s, struct error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA main.foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		error_set(err,
		          "%s: a row of table '%s' refers to a row of '%s' the archive lacks (an "
		          "archive rule misses it)",
		          s->path, (const char *)sqlite3_column_text(st, 0),
		          (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return -1;
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static long count_rows(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	long n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void count_result(struct store *s, struct archive_result *res)
{
	res->issues = count_rows(s, "SELECT count(*) FROM temp.archive_issues WHERE full");
	res->outline = count_rows(s, "SELECT count(*) FROM temp.archive_issues WHERE NOT full");
	res->events = count_rows(s, "SELECT count(*) FROM main.events");
	res->changes = count_rows(s, "SELECT count(*) FROM main.fix_changes");
	res->log_rows = count_rows(s, "SELECT count(*) FROM main.code_log");
}

/* The copy itself: one transaction on the new database, the source attached as src. */
static int copy_all(struct store *s, const char *sample, const struct release_series *extra,
                    struct archive_result *res, struct error *err)
{
	char **tables = NULL;
	size_t ntables = 0;
	int rc = check_rules(s, &tables, &ntables, err);
	for (size_t i = 0; i < ntables; i++)
		free(tables[i]);
	free(tables);
	if (rc || store_exec(s, "PRAGMA foreign_keys = OFF", err) || store_begin(s, err))
		return -1;
	for (const char *const *sql = id_lists; *sql && !rc; sql++)
		rc = exec_bound(s, *sql, sample, err);
	if (!rc && count_rows(s, "SELECT count(*) FROM temp.archive_sets") == 0)
		rc = error_set(err, "no sample named '%s'", sample);
	for (const struct archive_rule *r = archive_rules; r->table && !rc; r++)
		rc = copy_table(s, r, err);
	if (!rc)
		rc = exec_bound(s, fill_archive_repositories, NULL, err);
	if (!rc && extra) {
		int replaced;
		rc = release_series_store(s, extra, &replaced, err) ||
		     exec_bound(s, series_time, extra->name, err);
	}
	if (!rc)
		rc = check_foreign_keys(s, err);
	if (!rc)
		count_result(s, res);
	if (rc) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

/* One file, compact: no WAL beside it, so that read-only media and read-only opens work. */
static int finish_file(struct store *s, struct error *err)
{
	return store_exec(s, "DETACH src", err) || store_exec(s, "PRAGMA foreign_keys = ON", err) ||
	       store_exec(s, "VACUUM", err) || store_exec(s, "PRAGMA journal_mode = DELETE", err);
}

int archive_db_write(const char *src_path, const char *dst_path, const char *sample,
                     const struct release_series *extra, struct archive_result *res,
                     struct error *err)
{
	struct stat sb;
	if (stat(dst_path, &sb) == 0)
		return error_set(err, "%s: exists already", dst_path);
	struct store *s;
	if (store_open(dst_path, STORE_READWRITE, &s, err))
		return -1;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "ATTACH ? AS src", -1, &st, NULL) == SQLITE_OK ? 0 : -1;
	if (!rc) {
		sqlite3_bind_text(st, 1, src_path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	if (rc)
		store_error(s, err, src_path);
	else if (count_rows(s, "PRAGMA src.user_version") != store_user_version(s))
		rc = error_set(err, "%s: not at this issuemine's schema version %d", src_path,
		               store_user_version(s));
	if (!rc)
		rc = copy_all(s, sample, extra, res, err);
	if (!rc)
		rc = finish_file(s, err);
	store_close(s);
	return rc;
}
