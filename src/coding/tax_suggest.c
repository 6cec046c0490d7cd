/*
 * tax_suggest.c - suggestions from a taxonomy's rules, and their agreement with
 * a rater (see tax_suggest.h).
 */
#include "tax_suggest.h"
#include "store_fixes.h"
#include "strbuf.h"
#include "tax_rules.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the changed files --- */

static int add_path(void *data, const char *path, const char *previous, struct error *err)
{
	struct suggest_files *f = data;
	xgrow((void **)&f->files, &f->alloc, f->n + 1, sizeof(*f->files));
	f->files[f->n].path = xstrdup(path ? path : "");
	f->files[f->n++].previous = previous ? xstrdup(previous) : NULL;
	return 0;
}

int suggest_files_read(struct store *s, int64_t issue_id, struct suggest_files *out,
                       struct error *err)
{
	memset(out, 0, sizeof(*out));
	if (store_fix_paths_of_issue(s, issue_id, &out->resolved, add_path, out, err)) {
		suggest_files_release(out);
		return -1;
	}
	return 0;
}

void suggest_files_release(struct suggest_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->files[i].path);
		free(f->files[i].previous);
	}
	free(f->files);
	memset(f, 0, sizeof(*f));
}

/* --- one dimension --- */

int suggest_has_rules(const struct taxonomy *t, const struct tax_dimension *dim)
{
	for (size_t i = 0; i < t->nrules; i++)
		if (t->rules[i].dim == dim)
			return 1;
	return 0;
}

/* Whether file i matches r (its path, or the path it was renamed from); *which the glob. */
static int file_matches(const struct tax_rule *r, const struct suggest_files *f, size_t i,
                        size_t *which)
{
	return tax_rule_matches(r, f->files[i].path, which) ||
	       tax_rule_matches(r, f->files[i].previous, which);
}

/* "3 of 4 changed files match", "all 3 ...", "the one changed file matches". */
static void files_phrase(long matched, long files, struct strbuf *sb)
{
	if (files == 1)
		strbuf_adds(sb, "the one changed file matches ");
	else if (matched == files)
		strbuf_addf(sb, "all %ld changed files match ", files);
	else
		strbuf_addf(sb, "%ld of %ld changed files match ", matched, files);
}

static void set_why(struct suggestion *out, const struct strbuf *sb)
{
	snprintf(out->why, sizeof(out->why), "%s", sb->buf);
}

/* A rule with "all" that every file matches: the first such rule wins outright. */
static int try_all_rules(const struct taxonomy *t, const struct tax_dimension *dim,
                         const struct suggest_files *f, struct suggestion *out)
{
	for (size_t r = 0; r < t->nrules; r++) {
		const struct tax_rule *rule = &t->rules[r];
		if (rule->dim != dim || !rule->all)
			continue;
		size_t i = 0, which;
		while (i < f->n && file_matches(rule, f, i, &which))
			i++;
		if (i < f->n)
			continue;
		struct strbuf sb = STRBUF_INIT, globs = STRBUF_INIT;
		tax_rule_paths_text(rule, &globs);
		files_phrase((long)f->n, (long)f->n, &sb);
		strbuf_adds(&sb, globs.buf);
		snprintf(out->globs, sizeof(out->globs), "%s", globs.buf);
		strbuf_release(&globs);
		out->state = SUGGEST_SUGGESTED;
		out->cat = rule->cat;
		out->sub = rule->sub;
		out->matched = (long)f->n;
		set_why(out, &sb);
		strbuf_release(&sb);
		return 1;
	}
	return 0;
}

/* What each glob of each rule of the dimension counted, file by file. */
struct tally {
	long **hits; /* [rule][glob] */
	long *votes; /* [rule]: files the rule decided */
};

static void count_files(const struct taxonomy *t, const struct tax_dimension *dim,
                        const struct suggest_files *f, struct tally *ty)
{
	ty->hits = xcalloc(t->nrules, sizeof(*ty->hits));
	ty->votes = xcalloc(t->nrules, sizeof(*ty->votes));
	for (size_t r = 0; r < t->nrules; r++)
		ty->hits[r] = xcalloc(t->rules[r].npaths, sizeof(**ty->hits));
	for (size_t i = 0; i < f->n; i++) {
		for (size_t r = 0; r < t->nrules; r++) {
			const struct tax_rule *rule = &t->rules[r];
			size_t which;
			if (rule->dim != dim || rule->all || !file_matches(rule, f, i, &which))
				continue;
			ty->hits[r][which]++;
			ty->votes[r]++;
			break; /* the first rule that matches decides the file */
		}
	}
}

static void tally_free(const struct taxonomy *t, struct tally *ty)
{
	for (size_t r = 0; r < t->nrules; r++)
		free(ty->hits[r]);
	free(ty->hits);
	free(ty->votes);
}

static int same_target(const struct tax_rule *a, const struct tax_rule *b)
{
	return a->cat == b->cat && a->sub == b->sub;
}

/* Files whose deciding rule points where rule r does. */
static long target_votes(const struct taxonomy *t, const struct tally *ty, size_t r)
{
	long n = 0;
	for (size_t k = 0; k < t->nrules; k++)
		if (t->rules[k].dim == t->rules[r].dim && same_target(&t->rules[k], &t->rules[r]))
			n += ty->votes[k];
	return n;
}

/* The globs that counted for rule r's target, most files first (two, then how many more). */
static void name_globs(const struct taxonomy *t, const struct tally *ty, size_t r,
                       struct strbuf *sb)
{
	size_t listed = 0, more = 0;
	for (;;) {
		/* the glob with the most files not named yet (the first of equals) */
		long best = 0;
		size_t best_rule = 0, best_glob = 0;
		for (size_t k = 0; k < t->nrules; k++) {
			if (t->rules[k].dim != t->rules[r].dim ||
			    !same_target(&t->rules[k], &t->rules[r]))
				continue;
			for (size_t g = 0; g < t->rules[k].npaths; g++) {
				long h = ty->hits[k][g];
				if (h > best) {
					best = h;
					best_rule = k;
					best_glob = g;
				}
			}
		}
		if (!best)
			break;
		ty->hits[best_rule][best_glob] = 0; /* named: the tally is not used after this */
		if (listed < 2)
			strbuf_addf(sb, "%s%s", listed++ ? ", " : "",
			            t->rules[best_rule].paths[best_glob]);
		else
			more++;
	}
	if (more)
		strbuf_addf(sb, " and %zu other glob%s", more, more == 1 ? "" : "s");
}

void suggest_dimension(const struct taxonomy *t, const struct tax_dimension *dim,
                       const struct suggest_files *f, struct suggestion *out)
{
	memset(out, 0, sizeof(*out));
	out->dim = dim;
	out->files = (long)f->n;
	if (!suggest_has_rules(t, dim)) {
		out->state = SUGGEST_NO_RULES;
		snprintf(out->why, sizeof(out->why), "the taxonomy has no rules for %s", dim->name);
		return;
	}
	if (!f->resolved) {
		out->state = SUGGEST_NO_DATA;
		snprintf(out->why, sizeof(out->why), "no fix data (see 'issuemine fixes fetch')");
		return;
	}
	if (!f->n) {
		out->state = SUGGEST_NO_FILES;
		snprintf(out->why, sizeof(out->why), "no fix with changed files");
		return;
	}
	if (try_all_rules(t, dim, f, out))
		return;
	struct tally ty;
	count_files(t, dim, f, &ty);
	long best = 0;
	size_t winner = 0;
	for (size_t r = 0; r < t->nrules; r++) {
		long v = t->rules[r].dim == dim && !t->rules[r].all ? target_votes(t, &ty, r) : 0;
		if (v > best) {
			best = v;
			winner = r;
		}
	}
	if (!best) {
		out->state = SUGGEST_NO_MATCH;
		snprintf(out->why, sizeof(out->why), "no rule of %s matches the %ld changed file%s",
		         dim->name, (long)f->n, f->n == 1 ? "" : "s");
	} else {
		struct strbuf sb = STRBUF_INIT, globs = STRBUF_INIT;
		name_globs(t, &ty, winner, &globs);
		files_phrase(best, (long)f->n, &sb);
		strbuf_adds(&sb, globs.buf);
		snprintf(out->globs, sizeof(out->globs), "%s", globs.buf);
		strbuf_release(&globs);
		out->state = SUGGEST_SUGGESTED;
		out->cat = t->rules[winner].cat;
		out->sub = t->rules[winner].sub;
		out->matched = best;
		set_why(out, &sb);
		strbuf_release(&sb);
	}
	tally_free(t, &ty);
}

/* --- measuring --- */

/* A rater's code or acceptance per member and dimension, read in bulk. */
struct member {
	int64_t issue_id;
	int excluded;
	const struct tax_category **cats; /* [dimension index of t]: top-level code, or NULL */
	unsigned char *accepted;          /* [dimension index of t] */
};

static int compare_members(const void *a, const void *b)
{
	int64_t x = ((const struct member *)a)->issue_id, y = ((const struct member *)b)->issue_id;
	return (x > y) - (x < y);
}

static struct member *find_member(struct member *m, size_t n, int64_t issue_id)
{
	struct member key = {issue_id, 0, NULL, NULL};
	return bsearch(&key, m, n, sizeof(*m), compare_members);
}

static int read_members(struct store *s, const struct taxonomy *t, int64_t set_id,
                        struct member **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT issue_id FROM set_members WHERE set_id = ?", err);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct member *m = &(*out)[(*n)++];
		m->issue_id = sqlite3_column_int64(st, 0);
		m->excluded = 0;
		m->cats = xcalloc(t->ndims + 1, sizeof(*m->cats));
		m->accepted = xcalloc(t->ndims + 1, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, "reading the set's members");
	if (*n)
		qsort(*out, *n, sizeof(**out), compare_members);
	return 0;
}

/* Runs sql (?1 set, ?2 rater) and calls fn for each row (issue id, then two more columns). */
static int each_coding_row(struct store *s, const char *sql, int64_t set_id, int64_t rater_id,
                           void (*fn)(void *ctx, int64_t issue, int64_t a, int64_t b), void *ctx,
                           struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		   sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading the rater's codes");
}

struct coding_ctx {
	const struct taxonomy *t;
	struct member *members;
	size_t n;
};

static void note_exclusion(void *ctx, int64_t issue, int64_t a, int64_t b)
{
	struct coding_ctx *c = ctx;
	struct member *m = find_member(c->members, c->n, issue);
	if (m)
		m->excluded = 1;
}

static void note_code(void *ctx, int64_t issue, int64_t dim_id, int64_t cat_id)
{
	struct coding_ctx *c = ctx;
	struct member *m = find_member(c->members, c->n, issue);
	long d = tax_dimension_index(c->t, dim_id);
	if (m && d >= 0)
		m->cats[d] = tax_category_by_id(&c->t->dims[d], cat_id);
}

static void note_accepted(void *ctx, int64_t issue, int64_t dim_id, int64_t unused)
{
	struct coding_ctx *c = ctx;
	struct member *m = find_member(c->members, c->n, issue);
	long d = tax_dimension_index(c->t, dim_id);
	if (m && d >= 0)
		m->accepted[d] = 1;
}

static int read_coding(struct store *s, int64_t set_id, int64_t rater_id, struct coding_ctx *c,
                       struct error *err)
{
	return each_coding_row(s,
	                       "SELECT issue_id, 0, 0 FROM exclusions WHERE set_id = ?1 AND "
	                       "rater_id = ?2",
	                       set_id, rater_id, note_exclusion, c, err) ||
	       each_coding_row(s,
	                       "SELECT issue_id, dimension_id, category_id FROM codes WHERE "
	                       "set_id = ?1 AND rater_id = ?2",
	                       set_id, rater_id, note_code, c, err) ||
	       /* the latest change to each code: was it accepting a suggestion? */
	       each_coding_row(s,
	                       "SELECT l.issue_id, l.dimension_id, 0 FROM code_log l WHERE "
	                       "l.set_id = ?1 AND l.rater_id = ?2 AND l.kind = 'code' AND "
	                       "l.origin = 'suggestion' AND l.category_id IS NOT NULL AND l.id = "
	                       "(SELECT max(m.id) FROM code_log m WHERE m.set_id = l.set_id AND "
	                       "m.rater_id = l.rater_id AND m.issue_id = l.issue_id AND "
	                       "m.kind = 'code' AND m.dimension_id = l.dimension_id)",
	                       set_id, rater_id, note_accepted, c, err);
}

static struct suggest_row *row_of(struct suggest_dimension_eval *de, const struct tax_category *c)
{
	for (size_t i = 0; i < de->nrows; i++)
		if (de->rows[i].cat == c)
			return &de->rows[i];
	return NULL;
}

static void count_issue(const struct taxonomy *t, const struct member *m,
                        const struct suggest_files *f, struct suggest_eval *e)
{
	for (size_t k = 0; k < e->ndims; k++) {
		struct suggest_dimension_eval *de = &e->dims[k];
		size_t d = (size_t)(de->dim - t->dims);
		const struct tax_category *coded = m->cats[d];
		if (!coded)
			continue; /* nothing to compare with */
		struct suggestion sg;
		suggest_dimension(t, de->dim, f, &sg);
		struct suggest_row *rc = row_of(de, coded);
		de->coded++;
		if (rc)
			rc->coded++;
		if (sg.state != SUGGEST_SUGGESTED)
			continue;
		struct suggest_row *rs = row_of(de, sg.cat);
		int agree = sg.cat == coded;
		de->suggested++;
		de->agreed += agree;
		if (rs) {
			rs->suggested++;
			rs->agreed += agree;
		}
		if (agree && m->accepted[d]) {
			de->accepted++;
			if (rs)
				rs->accepted++;
		}
	}
}

static void setup_dimensions(const struct taxonomy *t, struct suggest_eval *e)
{
	e->dims = xcalloc(t->ndims + 1, sizeof(*e->dims));
	for (size_t d = 0; d < t->ndims; d++) {
		if (!suggest_has_rules(t, &t->dims[d]))
			continue;
		struct suggest_dimension_eval *de = &e->dims[e->ndims++];
		de->dim = &t->dims[d];
		de->nrows = t->dims[d].ncats;
		de->rows = xcalloc(de->nrows + 1, sizeof(*de->rows));
		for (size_t c = 0; c < de->nrows; c++)
			de->rows[c].cat = &t->dims[d].cats[c];
	}
}

static void free_members(struct member *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].cats);
		free(m[i].accepted);
	}
	free(m);
}

/* Whether id is one of the n ids (all are, when ids is NULL). */
static int wanted(const int64_t *ids, size_t n, int64_t id)
{
	if (!ids)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int suggest_evaluate(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t rater_id,
                     const int64_t *only, size_t nonly, struct suggest_eval *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	setup_dimensions(t, out);
	struct coding_ctx c = {t, NULL, 0};
	if (read_members(s, t, set_id, &c.members, &c.n, err) ||
	    read_coding(s, set_id, rater_id, &c, err)) {
		free_members(c.members, c.n);
		suggest_eval_release(out);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < c.n && !rc; i++) {
		if (!wanted(only, nonly, c.members[i].issue_id))
			continue;
		out->issues++;
		if (c.members[i].excluded) {
			out->excluded++;
			continue;
		}
		struct suggest_files f;
		rc = suggest_files_read(s, c.members[i].issue_id, &f, err);
		if (rc)
			break;
		out->no_data += !f.resolved;
		count_issue(t, &c.members[i], &f, out);
		suggest_files_release(&f);
	}
	free_members(c.members, c.n);
	if (rc)
		suggest_eval_release(out);
	return rc;
}

void suggest_eval_release(struct suggest_eval *e)
{
	for (size_t i = 0; i < e->ndims; i++)
		free(e->dims[i].rows);
	free(e->dims);
	memset(e, 0, sizeof(*e));
}
