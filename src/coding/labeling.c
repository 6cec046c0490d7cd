/*
 * labeling.c - the labeling UI's reads: a sample's issues with a rater's
 * progress, and one issue with its timeline (see labeling.h).
 *
 * The list keeps its strings in one arena so that a sample of ten thousand
 * issues costs two allocations, not twenty thousand.
 */
#include "labeling.h"
#include "ids.h"
#include "store_ids.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static size_t arena_add(struct label_list *l, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	xgrow((void **)&l->arena, &l->arena_alloc, l->arena_len + len + 1, 1);
	size_t at = l->arena_len;
	if (len)
		memcpy(l->arena + at, s, len);
	l->arena[at + len] = '\0';
	l->arena_len += len + 1;
	return at;
}

static const char *column_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

int label_list_load(struct store *s, int64_t set_id, int64_t rater_id, const struct taxonomy *t,
                    struct label_list *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->tax = t;
	out->ndims = t->ndims;
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT m.issue_id, i.number, r.full_name, i.title "
	                              "FROM set_members m JOIN issues i ON i.id = m.issue_id "
	                              "JOIN repositories r ON r.id = i.repo_id "
	                              "WHERE m.set_id = ?1 ORDER BY m.position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&out->items, &alloc, out->n + 1, sizeof(*out->items));
		struct label_entry *e = &out->items[out->n];
		memset(e, 0, sizeof(*e));
		e->issue_id = sqlite3_column_int64(st, 0);
		e->number = sqlite3_column_int64(st, 1);
		e->repo = arena_add(out, column_text(st, 2));
		e->title = arena_add(out, column_text(st, 3));
		e->ntarget = (int)t->ndims;
		e->position = out->n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		label_list_release(out);
		return store_error(s, err, "reading the sample");
	}
	if (label_list_refresh(s, set_id, rater_id, out, err)) {
		label_list_release(out);
		return -1;
	}
	return 0;
}

void label_list_release(struct label_list *l)
{
	free(l->items);
	free(l->arena);
	free(l->cats);
	free(l->subs);
	memset(l, 0, sizeof(*l));
}

/* Entries sorted by issue id, to place codes quickly. */
struct by_id {
	int64_t issue_id;
	size_t index;
};

static int compare_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct by_id *)a)->issue_id, y = ((const struct by_id *)b)->issue_id;
	return (x > y) - (x < y);
}

static long entry_of(const struct by_id *index, size_t n, int64_t issue_id)
{
	struct by_id key = {issue_id, 0};
	const struct by_id *hit = bsearch(&key, index, n, sizeof(key), compare_by_id);
	return hit ? (long)hit->index : -1;
}

/* Places one stored code (issue, dimension, category, sub-category) in the list. */
static void place_code(struct label_list *l, const struct by_id *index, sqlite3_stmt *st)
{
	long i = entry_of(index, l->n, sqlite3_column_int64(st, 0));
	long d = tax_dimension_index(l->tax, sqlite3_column_int64(st, 1));
	if (i < 0 || d < 0)
		return;
	struct tax_code code;
	struct error ignored;
	if (tax_code_from_ids(l->tax, &l->tax->dims[d], sqlite3_column_int64(st, 2),
	                      sqlite3_column_int64(st, 3), &code, &ignored))
		return; /* a code the taxonomy does not know: shown as none, as the reader shows it
		         */
	size_t at = (size_t)i * l->ndims + (size_t)d;
	l->items[i].ncoded += !l->cats[at];
	l->cats[at] = code.cat;
	l->subs[at] = code.sub;
}

static int read_list_codes(struct store *s, int64_t set_id, int64_t rater_id, struct label_list *l,
                           const struct by_id *index, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id, dimension_id, category_id, "
	                              "coalesce(subcategory_id, 0) FROM codes "
	                              "WHERE set_id = ? AND rater_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		place_code(l, index, st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading codes");
}

static int read_list_exclusions(struct store *s, int64_t set_id, int64_t rater_id,
                                struct label_list *l, const struct by_id *index, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id, reason_id FROM exclusions "
	                              "WHERE set_id = ? AND rater_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long i = entry_of(index, l->n, sqlite3_column_int64(st, 0));
		if (i >= 0)
			l->items[i].excluded =
			        tax_reason_by_id(l->tax, sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading exclusions");
}

int label_list_refresh(struct store *s, int64_t set_id, int64_t rater_id, struct label_list *l,
                       struct error *err)
{
	size_t cells = l->n * l->ndims + 1;
	free(l->cats);
	free(l->subs);
	l->cats = xcalloc(cells, sizeof(*l->cats));
	l->subs = xcalloc(cells, sizeof(*l->subs));
	struct by_id *index = xmalloc((l->n + 1) * sizeof(*index));
	for (size_t i = 0; i < l->n; i++) {
		l->items[i].ncoded = 0;
		l->items[i].excluded = NULL;
		index[i] = (struct by_id){l->items[i].issue_id, i};
	}
	qsort(index, l->n, sizeof(*index), compare_by_id);
	int rc = read_list_codes(s, set_id, rater_id, l, index, err) ||
	         read_list_exclusions(s, set_id, rater_id, l, index, err);
	free(index);
	return rc ? -1 : 0;
}

const struct tax_category *label_entry_cat(const struct label_list *l, size_t i, size_t d)
{
	return l->cats[i * l->ndims + d];
}

const struct tax_category *label_entry_sub(const struct label_list *l, size_t i, size_t d)
{
	return l->subs[i * l->ndims + d];
}

void label_entry_set(struct label_list *l, size_t i, const struct tax_code *codes,
                     const struct tax_reason *excluded)
{
	struct label_entry *e = &l->items[i];
	e->ncoded = 0;
	for (size_t d = 0; d < l->ndims; d++) {
		l->cats[i * l->ndims + d] = codes[d].cat;
		l->subs[i * l->ndims + d] = codes[d].cat ? codes[d].sub : NULL;
		e->ncoded += codes[d].cat != NULL;
	}
	e->excluded = excluded;
}

const char *label_entry_repo(const struct label_list *l, size_t i)
{
	return l->arena + l->items[i].repo;
}

const char *label_entry_title(const struct label_list *l, size_t i)
{
	return l->arena + l->items[i].title;
}

enum label_status label_entry_status(const struct label_entry *e)
{
	if (e->excluded)
		return LABEL_EXCLUDED;
	if (e->ncoded >= e->ntarget)
		return LABEL_DONE;
	return e->ncoded ? LABEL_PARTIAL : LABEL_NONE;
}

int label_entry_to_do(const struct label_entry *e)
{
	enum label_status st = label_entry_status(e);
	return st != LABEL_DONE && st != LABEL_EXCLUDED;
}

size_t label_list_done(const struct label_list *l)
{
	size_t done = 0;
	for (size_t i = 0; i < l->n; i++)
		done += label_entry_status(&l->items[i]) == LABEL_DONE;
	return done;
}

size_t label_list_excluded(const struct label_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].excluded != NULL;
	return n;
}

size_t label_list_resume(const struct label_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (label_entry_to_do(&l->items[i]))
			return i;
	return l->n;
}

size_t label_list_find(const struct label_list *l, int64_t issue_id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].issue_id == issue_id)
			return i;
	return l->n;
}

void label_list_keep(struct label_list *l, const int64_t *ids, size_t n)
{
	int64_t *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	if (n)
		memcpy(sorted, ids, n * sizeof(*sorted));
	ids_sort(sorted, n);
	size_t kept = 0, nd = l->ndims;
	for (size_t i = 0; i < l->n; i++) {
		if (!ids_has(sorted, n, l->items[i].issue_id))
			continue;
		l->items[kept] = l->items[i];
		l->items[kept].position = kept;
		if (nd) {
			memmove(&l->cats[kept * nd], &l->cats[i * nd], nd * sizeof(*l->cats));
			memmove(&l->subs[kept * nd], &l->subs[i * nd], nd * sizeof(*l->subs));
		}
		kept++;
	}
	l->n = kept;
	free(sorted);
}

int label_search(struct store *s, int64_t set_id, int64_t rater_id, const char *pattern,
                 int64_t **ids, size_t *n, struct error *err)
{
	/* instr() of lower() folds ASCII case only, as text_find does on screen. */
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT m.issue_id FROM set_members m JOIN issues i ON i.id = m.issue_id "
	        "JOIN repositories r ON r.id = i.repo_id "
	        "LEFT JOIN notes n ON n.set_id = m.set_id AND n.issue_id = m.issue_id "
	        "  AND n.rater_id = ?2 "
	        "LEFT JOIN exclusions x ON x.set_id = m.set_id AND x.issue_id = m.issue_id "
	        "  AND x.rater_id = ?2 "
	        "WHERE m.set_id = ?1 AND (instr(lower(i.title), lower(?3)) "
	        "  OR instr(lower(coalesce(i.body, '')), lower(?3)) "
	        "  OR instr(lower(r.full_name || '#' || i.number), lower(?3)) "
	        "  OR instr(lower(coalesce(n.note, '')), lower(?3)) "
	        "  OR instr(lower(coalesce(x.detail, '')), lower(?3))) ORDER BY m.issue_id",
	        err);
	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	store_bind_text(st, 3, pattern);
	size_t alloc = 0;
	if (!store_collect_ids(s, st, ids, n, &alloc, "searching the sample", err))
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return -1;
}

static int load_issue_row(struct store *s, int64_t issue_id, struct label_issue *issue,
                          struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT i.number, r.full_name, i.title, i.body, i.state, i.state_reason, "
	        "i.author, i.created_at, i.closed_at, i.html_url, i.is_pull_request "
	        "FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE i.id = ?",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		issue->id = issue_id;
		issue->number = sqlite3_column_int64(st, 0);
		issue->repo = store_column_dup(st, 1);
		issue->title = store_column_dup(st, 2);
		issue->body = store_column_dup(st, 3);
		issue->state = store_column_dup(st, 4);
		issue->state_reason = store_column_dup(st, 5);
		issue->author = store_column_dup(st, 6);
		issue->created_at = store_column_dup(st, 7);
		issue->closed_at = store_column_dup(st, 8);
		issue->html_url = store_column_dup(st, 9);
		issue->is_pull_request = sqlite3_column_int(st, 10);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, "issue %lld is not in the database", (long long)issue_id);
	return rc == SQLITE_ROW ? 0 : store_error(s, err, NULL);
}

static int load_labels(struct store *s, struct label_issue *issue, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "SELECT name FROM labels WHERE issue_id = ? ORDER BY name", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue->id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&issue->labels, &alloc, issue->nlabels + 1, sizeof(*issue->labels));
		issue->labels[issue->nlabels++] = store_column_dup(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* The few words worth showing of events that have no column of their own. */
#define EVENT_DETAIL_SQL                                                                           \
	"CASE WHEN NOT json_valid(raw) THEN NULL "                                                 \
	"WHEN event IN ('labeled', 'unlabeled') THEN json_extract(raw, '$.label.name') "           \
	"WHEN event = 'renamed' THEN json_extract(raw, '$.rename.from') || ' → ' || "            \
	"json_extract(raw, '$.rename.to') "                                                        \
	"WHEN event IN ('assigned', 'unassigned') THEN json_extract(raw, '$.assignee.login') "     \
	"WHEN event IN ('milestoned', 'demilestoned') THEN json_extract(raw, "                     \
	"'$.milestone.title') "                                                                    \
	"WHEN event = 'reviewed' THEN json_extract(raw, '$.state') "                               \
	"ELSE NULL END"

static int load_events(struct store *s, struct label_issue *issue, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT event, created_at, actor, commit_id, body, " EVENT_DETAIL_SQL
	                   ", source_repo, source_number, source_state, source_is_pr, "
	                   "source_title FROM events WHERE issue_id = ? ORDER BY position",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue->id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&issue->events, &alloc, issue->nevents + 1, sizeof(*issue->events));
		struct label_event *e = &issue->events[issue->nevents++];
		e->event = store_column_dup(st, 0);
		e->created_at = store_column_dup(st, 1);
		e->actor = store_column_dup(st, 2);
		e->commit_id = store_column_dup(st, 3);
		e->body = store_column_dup(st, 4);
		e->detail = store_column_dup(st, 5);
		e->source_repo = store_column_dup(st, 6);
		e->source_number = sqlite3_column_int64(st, 7);
		e->source_state = store_column_dup(st, 8);
		e->source_is_pr = sqlite3_column_int(st, 9);
		e->source_title = store_column_dup(st, 10);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

int label_issue_load(struct store *s, int64_t issue_id, struct label_issue **out, struct error *err)
{
	struct label_issue *issue = xcalloc(1, sizeof(*issue));
	if (load_issue_row(s, issue_id, issue, err) || load_labels(s, issue, err) ||
	    load_events(s, issue, err)) {
		label_issue_free(issue);
		return -1;
	}
	*out = issue;
	return 0;
}

static void free_event(struct label_event *e)
{
	free(e->event);
	free(e->created_at);
	free(e->actor);
	free(e->commit_id);
	free(e->body);
	free(e->detail);
	free(e->source_repo);
	free(e->source_state);
	free(e->source_title);
}

void label_issue_free(struct label_issue *issue)
{
	if (!issue)
		return;
	for (size_t i = 0; i < issue->nlabels; i++)
		free(issue->labels[i]);
	free(issue->labels);
	for (size_t i = 0; i < issue->nevents; i++)
		free_event(&issue->events[i]);
	free(issue->events);
	free(issue->repo);
	free(issue->title);
	free(issue->body);
	free(issue->state);
	free(issue->state_reason);
	free(issue->author);
	free(issue->created_at);
	free(issue->closed_at);
	free(issue->html_url);
	free(issue);
}
