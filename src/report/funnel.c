/*
 * funnel.c - the study's funnel, per repository (see funnel.h).
 */
#include "funnel.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A set of the sample's lineage: its id, name and kind. */
struct lineage_set {
	int64_t id;
	char *name, *kind;
};

/* More than any real study nests; guards against a cycle a hand edit could make. */
#define MAX_LINEAGE 64

void report_funnel_free(struct report_funnel *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nrepos; i++)
		free(f->repos[i]);
	free(f->repos);
	for (size_t i = 0; i < f->nstages; i++) {
		free(f->stages[i].key);
		free(f->stages[i].title);
	}
	free(f->stages);
	free(f->counts);
	free(f->note);
	free(f);
}

long report_funnel_count(const struct report_funnel *f, size_t r, size_t i)
{
	return f->counts[r * f->nstages + i];
}

static void free_lineage(struct lineage_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sets[i].name);
		free(sets[i].kind);
	}
	free(sets);
}

/* The sample and the sets it was drawn from, outermost first. */
static int read_lineage(struct store *s, const char *sample, struct lineage_set **out, size_t *n,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, name, kind, parent_id FROM sets WHERE "
	                              "(?1 IS NOT NULL AND name = ?1) OR id = ?2",
	                              err);
	if (!st)
		return -1;
	struct lineage_set *sets = xcalloc(MAX_LINEAGE, sizeof(*sets));
	size_t count = 0;
	int64_t next = 0;
	const char *name = sample;
	while (count < MAX_LINEAGE && (name || next)) {
		store_bind_text(st, 1, name);
		sqlite3_bind_int64(st, 2, next);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc == SQLITE_DONE && count)
				break; /* a parent that is gone ends the lineage */
			free_lineage(sets, count);
			return rc == SQLITE_DONE ? error_set(err, "no sample named '%s'", sample)
			                         : store_error(s, err, NULL);
		}
		sets[count].id = sqlite3_column_int64(st, 0);
		sets[count].name = store_column_dup(st, 1);
		sets[count].kind = store_column_dup(st, 2);
		next = sqlite3_column_int64(st, 3);
		count++;
		name = NULL;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	for (size_t i = 0; i < count / 2; i++) {
		struct lineage_set t = sets[i];
		sets[i] = sets[count - 1 - i];
		sets[count - 1 - i] = t;
	}
	*out = sets;
	*n = count;
	return 0;
}

/* The repositories of every set of the lineage, sorted. */
static int read_repos(struct store *s, const struct lineage_set *sets, size_t n,
                      struct report_funnel *f, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT DISTINCT r.full_name FROM set_members m JOIN issues "
	                              "i ON i.id = m.issue_id JOIN repositories r ON r.id = "
	                              "i.repo_id WHERE m.set_id = ?",
	                              err);
	if (!st)
		return -1;
	size_t alloc = 0;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, sets[i].id);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *repo = (const char *)sqlite3_column_text(st, 0);
			size_t k = 0;
			while (k < f->nrepos && strcasecmp(f->repos[k], repo))
				k++;
			if (k < f->nrepos)
				continue;
			xgrow((void **)&f->repos, &alloc, f->nrepos + 1, sizeof(char *));
			f->repos[f->nrepos++] = xstrdup(repo);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, err, NULL);
	}
	for (size_t i = 1; i < f->nrepos; i++)
		for (size_t j = i; j > 0 && strcasecmp(f->repos[j - 1], f->repos[j]) > 0; j--) {
			char *t = f->repos[j];
			f->repos[j] = f->repos[j - 1];
			f->repos[j - 1] = t;
		}
	return 0;
}

static void add_stage(struct report_funnel *f, const char *key, const char *title)
{
	f->stages = xrealloc(f->stages, (f->nstages + 1) * sizeof(*f->stages));
	f->stages[f->nstages].key = xstrdup(key);
	f->stages[f->nstages].title = xstrdup(title);
	f->nstages++;
}

static size_t repo_index(const struct report_funnel *f, const char *repo)
{
	for (size_t i = 0; i < f->nrepos; i++)
		if (!strcasecmp(f->repos[i], repo))
			return i;
	return f->nrepos;
}

/*
 * Fills stage column `stage` from a statement yielding (full_name, count)
 * rows, with ?1 the set, ?2 the rater and ?3 the number of dimensions
 * (parameters a statement does not use are left alone).
 */
static int count_stage(struct store *s, struct report_funnel *f, size_t stage, const char *sql,
                       int64_t set_id, int64_t rater_id, size_t ndims, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	sqlite3_bind_int64(st, 3, (int64_t)ndims);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t r = repo_index(f, (const char *)sqlite3_column_text(st, 0));
		if (r < f->nrepos)
			f->counts[r * f->nstages + stage] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* Issues stored per repository; an archive's count of its source instead. */
static const char fetched_sql[] =
        "SELECT r.full_name, coalesce((SELECT a.issues FROM archive_repositories a WHERE "
        "a.repo_id = r.id), (SELECT count(*) FROM issues i WHERE i.repo_id = r.id AND "
        "i.state IS NOT NULL)) FROM repositories r";

static const char members_sql[] =
        "SELECT r.full_name, count(*) FROM set_members m JOIN issues i ON i.id = m.issue_id "
        "JOIN repositories r ON r.id = i.repo_id WHERE m.set_id = ?1 "
        "GROUP BY r.id";

static const char excluded_sql[] =
        "SELECT r.full_name, count(*) FROM set_members m JOIN issues i ON i.id = m.issue_id "
        "JOIN repositories r ON r.id = i.repo_id JOIN exclusions x ON x.set_id = m.set_id AND "
        "x.issue_id = m.issue_id AND x.rater_id = ?2 WHERE m.set_id = ?1 "
        "GROUP BY r.id";

/* Members the rater did not exclude and coded in ?3 (every) dimensions. */
static const char coded_sql[] =
        "SELECT r.full_name, count(*) FROM set_members m JOIN issues i ON i.id = m.issue_id "
        "JOIN repositories r ON r.id = i.repo_id WHERE m.set_id = ?1 AND NOT EXISTS (SELECT 1 "
        "FROM exclusions x WHERE x.set_id = m.set_id AND x.issue_id = m.issue_id AND "
        "x.rater_id = ?2) AND (SELECT count(DISTINCT c.dimension_id) FROM codes c WHERE "
        "c.set_id = m.set_id AND c.issue_id = m.issue_id AND c.rater_id = ?2) >= ?3 "
        "GROUP BY r.id";

static int rater_id_of(struct store *s, const char *name, int64_t *id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM raters WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	return store_step_int64(s, st, id, NULL, err);
}

/* The stages' columns; a set named like a fixed stage is keyed "set:NAME". */
static void add_stages(struct report_funnel *f, const struct lineage_set *sets, size_t n)
{
	static const char *const fixed[] = {"fetched", "excluded", "incomplete", "coded", NULL};
	add_stage(f, "fetched", "fetched");
	for (size_t i = 0; i < n; i++) {
		int clash = 0;
		for (size_t k = 0; fixed[k]; k++)
			clash |= !strcmp(fixed[k], sets[i].name);
		char *key = clash ? xstrfmt("set:%s", sets[i].name) : xstrdup(sets[i].name);
		char *title = xstrfmt("%s (%s)", sets[i].name, sets[i].kind);
		add_stage(f, key, title);
		free(key);
		free(title);
	}
	add_stage(f, "excluded", "excluded");
	add_stage(f, "incomplete", "incomplete");
	add_stage(f, "coded", "coded");
}

static char *funnel_note(const struct report_data *d, const struct lineage_set *sets, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "sample %s, rater %s; fetched: the issues stored per repository",
	            d->sample, d->rater);
	if (n > 1)
		strbuf_addf(&sb, "; then the sets the sample was drawn from");
	strbuf_addf(&sb,
	            "; excluded, incomplete and coded (in all %zu dimensions of %s) by %s "
	            "add up to the sample",
	            d->tax->ndims, d->tax->name, d->rater);
	return strbuf_detach(&sb, NULL);
}

static int fill_counts(struct store *s, const struct report_data *d, struct report_funnel *f,
                       const struct lineage_set *sets, size_t n, struct error *err)
{
	int64_t rater = 0;
	if (rater_id_of(s, d->rater, &rater, err))
		return -1;
	int64_t sample = sets[n - 1].id;
	size_t ndims = d->tax->ndims, last = f->nstages - 1;
	if (count_stage(s, f, 0, fetched_sql, 0, 0, 0, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (count_stage(s, f, 1 + i, members_sql, sets[i].id, 0, 0, err))
			return -1;
	if (count_stage(s, f, last - 2, excluded_sql, sample, rater, ndims, err) ||
	    count_stage(s, f, last, coded_sql, sample, rater, ndims, err))
		return -1;
	for (size_t r = 0; r < f->nrepos; r++) {
		long *row = &f->counts[r * f->nstages];
		row[last - 1] = row[n] - row[last - 2] - row[last];
	}
	return 0;
}

int report_funnel(struct store *s, const struct report_data *d, struct report_funnel **out,
                  struct error *err)
{
	struct lineage_set *sets = NULL;
	size_t n = 0;
	if (read_lineage(s, d->sample, &sets, &n, err))
		return -1;
	struct report_funnel *f = xcalloc(1, sizeof(*f));
	int rc = read_repos(s, sets, n, f, err);
	if (!rc) {
		add_stages(f, sets, n);
		f->counts = xcalloc(f->nrepos * f->nstages + 1, sizeof(long));
		f->note = funnel_note(d, sets, n);
		rc = fill_counts(s, d, f, sets, n, err);
	}
	free_lineage(sets, n);
	if (rc) {
		report_funnel_free(f);
		return -1;
	}
	*out = f;
	return 0;
}
