/*
 * rater_progress.c - every rater's progress on a sample (see rater_progress.h).
 */
#include "rater_progress.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void progress_free(struct rater_progress *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].rater);
		free(p[i].last_change);
	}
	free(p);
}

/* Per rater and member: the codes given (n) and whether excluded (ex); then the counts. */
static const char progress_sql[] =
        "WITH raters_of AS ("
        "  SELECT rater_id FROM codes WHERE set_id = ?1 UNION "
        "  SELECT rater_id FROM notes WHERE set_id = ?1 UNION "
        "  SELECT rater_id FROM exclusions WHERE set_id = ?1 UNION "
        "  SELECT rater_id FROM code_log WHERE set_id = ?1), "
        "target AS ("
        "  SELECT c.rater_id, max(dc.n) AS ndims FROM codes c "
        "  JOIN dimensions d ON d.id = c.dimension_id "
        "  JOIN (SELECT taxonomy_id, count(*) AS n FROM dimensions GROUP BY taxonomy_id) dc "
        "    ON dc.taxonomy_id = d.taxonomy_id "
        "  WHERE c.set_id = ?1 GROUP BY c.rater_id), "
        "per AS ("
        "  SELECT r.rater_id, "
        "  (SELECT count(*) FROM codes c WHERE c.set_id = ?1 AND c.issue_id = m.issue_id "
        "    AND c.rater_id = r.rater_id) AS ncodes, "
        "  EXISTS (SELECT 1 FROM exclusions x WHERE x.set_id = ?1 AND x.issue_id = m.issue_id "
        "    AND x.rater_id = r.rater_id) AS ex, "
        "  EXISTS (SELECT 1 FROM notes o WHERE o.set_id = ?1 AND o.issue_id = m.issue_id "
        "    AND o.rater_id = r.rater_id) AS noted "
        "  FROM raters_of r JOIN set_members m ON m.set_id = ?1) "
        "SELECT ra.name, sum(NOT ex AND ncodes > 0 AND ncodes >= coalesce(t.ndims, 1)), "
        "  sum(NOT ex AND ncodes > 0 AND ncodes < coalesce(t.ndims, 1)), sum(ex), sum(NOT ex AND "
        "ncodes = 0), "
        "  sum(noted), (SELECT max(at) FROM code_log l WHERE l.set_id = ?1 "
        "    AND l.rater_id = per.rater_id) "
        "FROM per JOIN raters ra ON ra.id = per.rater_id "
        "LEFT JOIN target t ON t.rater_id = per.rater_id "
        "GROUP BY per.rater_id ORDER BY ra.name";

int progress_read(struct store *s, int64_t set_id, struct rater_progress **out, size_t *n,
                  struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, progress_sql, err);
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct rater_progress *p = &(*out)[(*n)++];
		p->rater = store_column_dup(st, 0);
		p->coded = (long)sqlite3_column_int64(st, 1);
		p->partial = (long)sqlite3_column_int64(st, 2);
		p->excluded = (long)sqlite3_column_int64(st, 3);
		p->not_started = (long)sqlite3_column_int64(st, 4);
		p->notes = (long)sqlite3_column_int64(st, 5);
		p->last_change = store_column_dup(st, 6);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	progress_free(*out, *n);
	*out = NULL;
	*n = 0;
	return store_error(s, err, "reading the raters' progress");
}
