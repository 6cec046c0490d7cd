/*
 * validate.c - precision and recall of a query against a truth file (see validate.h).
 */
#include "validate.h"
#include "csv.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int validate_parse_relevant(const char *s, int *yes)
{
	static const char *const truthy[] = {"1", "yes", "true", "y"};
	static const char *const falsy[] = {"0", "no", "false", "n"};
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < 4; i++) {
		if (strlen(truthy[i]) == len && !strncasecmp(s, truthy[i], len)) {
			*yes = 1;
			return 0;
		}
		if (strlen(falsy[i]) == len && !strncasecmp(s, falsy[i], len)) {
			*yes = 0;
			return 0;
		}
	}
	return -1;
}

double validate_precision(const struct validate_counts *c)
{
	return c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : NAN;
}

double validate_recall(const struct validate_counts *c)
{
	return c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : NAN;
}

double validate_f1(const struct validate_counts *c)
{
	double p = validate_precision(c), r = validate_recall(c);
	if (isnan(p) || isnan(r))
		return NAN;
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* A truth row read from the file. */
struct truth {
	struct issueref ref;
	int relevant;
	long line;
};

/* Reads one data row of the truth file into *t; -1 with err naming the file and line. */
static int truth_row(const char *path, const struct csv_record *rec, int issue_col, int rel_col,
                     struct truth *t, struct error *err)
{
	const char *issue = csv_field(rec, issue_col), *rel = csv_field(rec, rel_col);
	t->line = rec->line;
	if (issueref_parse_err(issue, &t->ref, err))
		return error_prefix(err, "%s: line %ld: issue", path, rec->line);
	if (validate_parse_relevant(rel, &t->relevant))
		return error_set(err,
		                 "%s: line %ld: relevant: '%s' is not 1/0, yes/no or true/false",
		                 path, rec->line, rel);
	return 0;
}

/* -1 with err naming both lines when t's issue is already among rows[0..n). */
static int check_unique(const char *path, const struct truth *rows, size_t n, const struct truth *t,
                        struct error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(rows[i].ref.repo, t->ref.repo) &&
		    rows[i].ref.number == t->ref.number)
			return error_set(err, "%s: line %ld: %s#%lld is already on line %ld", path,
			                 t->line, t->ref.repo, (long long)t->ref.number,
			                 rows[i].line);
	return 0;
}

/* The header: the columns issue and relevant into *issue_col and *rel_col. */
static int truth_header(const char *path, struct csv_reader *r, int *issue_col, int *rel_col,
                        struct error *err)
{
	struct csv_record rec;
	int rc = csv_read(r, &rec, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(err, "%s: empty file (expected a header issue,relevant)", path);
	*issue_col = csv_column(&rec, "issue");
	*rel_col = csv_column(&rec, "relevant");
	if (*issue_col < 0 || *rel_col < 0)
		return error_set(err,
		                 "%s: line %ld: no '%s' column (expected a header issue,relevant)",
		                 path, rec.line, *issue_col < 0 ? "issue" : "relevant");
	return 0;
}

static int read_truth(const char *path, struct truth **rows, size_t *n, struct error *err)
{
	*rows = NULL;
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, "%s: %s", path, strerror(errno));
	struct csv_reader *r = csv_open(f, path);
	struct csv_record rec;
	size_t alloc = 0;
	int issue_col = -1, rel_col = -1, rc = truth_header(path, r, &issue_col, &rel_col, err);
	while (!rc && (rc = csv_read(r, &rec, err)) > 0) {
		struct truth t;
		if (truth_row(path, &rec, issue_col, rel_col, &t, err) ||
		    check_unique(path, *rows, *n, &t, err)) {
			rc = -1;
			break;
		}
		xgrow((void **)rows, &alloc, *n + 1, sizeof(**rows));
		(*rows)[(*n)++] = t;
		rc = 0;
	}
	csv_close(r);
	fclose(f);
	if (rc < 0) {
		free(*rows);
		*rows = NULL;
		return -1;
	}
	return 0;
}

static struct validate_counts *repo_counts(struct validate_result *out, const char *repo)
{
	for (size_t i = 0; i < out->nrepos; i++)
		if (!strcasecmp(out->repos[i].repo, repo))
			return &out->repos[i];
	out->repos = xrealloc(out->repos, (out->nrepos + 1) * sizeof(*out->repos));
	struct validate_counts *c = &out->repos[out->nrepos++];
	memset(c, 0, sizeof(*c));
	snprintf(c->repo, sizeof(c->repo), "%s", repo);
	return c;
}

static void count(struct validate_counts *c, int relevant, int matched)
{
	if (relevant)
		*(matched ? &c->tp : &c->fn) += 1;
	else
		*(matched ? &c->fp : &c->tn) += 1;
}

/*
 * The id of a stored (not minimal) issue, or 0, and its repository's name as
 * the database spells it into repo (REPO_NAME_MAX bytes).
 */
static int stored_issue(struct store *s, const struct issueref *ref, int64_t *id, char *repo,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT i.id, r.full_name FROM issues i JOIN repositories r "
	                              "ON r.id = i.repo_id WHERE r.full_name = ? AND i.number = ? "
	                              "AND i.state IS NOT NULL",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, ref->repo);
	sqlite3_bind_int64(st, 2, ref->number);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc == SQLITE_ROW)
		snprintf(repo, REPO_NAME_MAX, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int cmp_repo(const void *a, const void *b)
{
	return strcasecmp(((const struct validate_counts *)a)->repo,
	                  ((const struct validate_counts *)b)->repo);
}

/* Counts issue id in out->without_fix_data when its fixes were never fetched. */
static int note_fix_data(struct store *s, int64_t id, struct validate_result *out,
                         struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM fix_state WHERE issue_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	out->without_fix_data += rc == SQLITE_DONE;
	return 0;
}

static int classify(struct store *s, const struct query *q, sqlite3_stmt *match, int id_param,
                    const struct truth *t, struct validate_result *out, struct error *err)
{
	int64_t id;
	char repo[REPO_NAME_MAX];
	if (stored_issue(s, &t->ref, &id, repo, err))
		return -1;
	if (!id) {
		out->missing = xrealloc(out->missing, (out->nmissing + 1) * sizeof(*out->missing));
		out->missing[out->nmissing++] =
		        xstrfmt("%s#%lld", t->ref.repo, (long long)t->ref.number);
		return 0;
	}
	sqlite3_reset(match);
	sqlite3_bind_int64(match, id_param, id);
	int rc = sqlite3_step(match);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, "query");
	count(repo_counts(out, repo), t->relevant, rc == SQLITE_ROW);
	count(&out->total, t->relevant, rc == SQLITE_ROW);
	return query_uses_fixes(q) ? note_fix_data(s, id, out, err) : 0;
}

int validate_run(struct store *s, const struct query *q, const char *path,
                 struct validate_result *out, struct error *err)
{
	struct truth *rows;
	size_t n;
	memset(out, 0, sizeof(*out));
	if (read_truth(path, &rows, &n, err))
		return -1;
	size_t nparams;
	query_where(q, NULL, &nparams);
	int id_param = (int)nparams + 1;
	char tail[64];
	snprintf(tail, sizeof(tail), "AND i.id = ?%d", id_param);
	sqlite3_stmt *match;
	if (query_prepare(s, q, "1", tail, &match, NULL, err)) {
		free(rows);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = classify(s, q, match, id_param, &rows[i], out, err);
	sqlite3_finalize(match);
	free(rows);
	out->rows = n;
	if (rc) {
		validate_result_release(out);
		return -1;
	}
	if (out->nrepos)
		qsort(out->repos, out->nrepos, sizeof(*out->repos), cmp_repo);
	return 0;
}

void validate_result_release(struct validate_result *r)
{
	for (size_t i = 0; i < r->nmissing; i++)
		free(r->missing[i]);
	free(r->missing);
	free(r->repos);
	memset(r, 0, sizeof(*r));
}
