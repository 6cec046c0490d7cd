/*
 * sample_topup.c - topping a sample up from the same seeded order (see
 * sample_topup.h).
 *
 * The draw is replayed from the source set and the seed, checked against
 * the sample's members, then continued: nothing is kept between runs but
 * the members themselves, so a top-up can be redone (or checked) anywhere.
 */
#include "sample_topup.h"
#include "ids.h"
#include "sets.h"
#include "store_ids.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void topup_rng_seed(struct sample_rng *r, uint64_t seed, size_t j)
{
	sample_rng_seed(r, seed ^ ((uint64_t)(j + 1) * 0x9e3779b97f4a7c15ULL));
}

void topup_plan_release(struct topup_plan *p)
{
	free(p->sample);
	free(p->from);
	free(p->rater);
	free(p->added);
	for (size_t i = 0; i < p->nrepos; i++)
		free(p->repos[i].repo);
	free(p->repos);
	memset(p, 0, sizeof(*p));
}

/* The rater whose exclusions count: the one named, or the only one who excluded. */
static int pick_rater(struct store *s, int64_t set_id, const char *name, int64_t *id,
                      struct topup_plan *p, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT r.id, r.name FROM raters r WHERE r.id IN (SELECT "
	                              "rater_id FROM exclusions WHERE set_id = ?) ORDER BY r.name",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	struct strbuf names = STRBUF_INIT;
	int rc, n = 0, named = 0;
	*id = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 1);
		strbuf_addf(&names, "%s%s", n++ ? ", " : "", r);
		if (!name || !strcmp(name, r)) {
			*id = sqlite3_column_int64(st, 0);
			free(p->rater);
			p->rater = xstrdup(r);
			named = 1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		rc = store_error(s, err, NULL);
	else if (n == 0)
		rc = error_set(err, "no issue of sample '%s' is excluded: nothing to top up",
		               p->sample);
	else if (name && !named)
		rc = error_set(err,
		               "rater '%s' excluded no issue of sample '%s' (raters who did: %s)",
		               name, p->sample, names.buf);
	else if (!name && n > 1)
		rc = error_set(err,
		               "several raters excluded issues of sample '%s' (%s): say whose "
		               "exclusions count with --rater",
		               p->sample, names.buf);
	else
		rc = 0;
	strbuf_release(&names);
	return rc;
}

/* The issue ids the rater excluded in the sample, sorted. */
static int read_excluded(struct store *s, int64_t set_id, int64_t rater, int64_t **ids, size_t *n,
                         struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT issue_id FROM exclusions WHERE set_id = ? AND rater_id = ?", err);
	*ids = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater);
	size_t alloc = 0;
	int rc = store_collect_ids(s, st, ids, n, &alloc, NULL, err);
	ids_sort(*ids, *n);
	return rc;
}

/* What the plan is computed from. */
struct topup_input {
	int64_t *pool, *pool_repos; /* the source set in the order of step 3 */
	size_t npool;
	int64_t *members; /* the sample, in its order */
	size_t nmembers;
	int64_t *excluded; /* sorted */
	size_t nexcluded;
};

static void input_release(struct topup_input *in)
{
	free(in->pool);
	free(in->pool_repos);
	free(in->members);
	free(in->excluded);
}

static int is_excluded(const struct topup_input *in, int64_t id)
{
	return ids_has(in->excluded, in->nexcluded, id);
}

static int read_members(struct store *s, int64_t set_id, struct topup_input *in, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT issue_id FROM set_members WHERE set_id = ? ORDER BY position", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&in->members, &alloc, in->nmembers + 1, sizeof(*in->members));
		in->members[in->nmembers++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int changed(const struct topup_plan *p, struct error *err)
{
	return error_set(err,
	                 "sample '%s' no longer follows the seeded order of set '%s' (the set "
	                 "changed since the draw, or the sample was edited): cannot top up "
	                 "reproducibly",
	                 p->sample, p->from);
}

static int too_few(const struct topup_plan *p, const char *repo, size_t pool, size_t want,
                   struct error *err)
{
	return error_set(err,
	                 "set '%s' holds only %zu issue%s%s%s; sample '%s' would need %zu to "
	                 "replace its excluded ones",
	                 p->from, pool, pool == 1 ? "" : "s", repo ? " of " : "", repo ? repo : "",
	                 p->sample, want);
}

/*
 * One shuffle run on: arr (n members, k steps already taken) continued with
 * rng to `to` steps; checks that arr starts with the sample's members held
 * (held of them) and appends what comes after them, up to `to`, to p->added.
 */
static int continue_shuffle(struct topup_plan *p, struct sample_rng *rng, int64_t *arr, size_t n,
                            size_t k, const int64_t *held, size_t nheld, size_t to,
                            struct error *err)
{
	for (size_t i = k; i < to; i++) {
		size_t j = i + (size_t)sample_rng_below(rng, (uint64_t)(n - i));
		int64_t t = arr[i];
		arr[i] = arr[j];
		arr[j] = t;
	}
	if (nheld > to || memcmp(arr, held, nheld * sizeof(*arr)))
		return changed(p, err);
	p->added = xrealloc(p->added, (p->nadded + (to - nheld) + 1) * sizeof(*p->added));
	for (size_t i = nheld; i < to; i++)
		p->added[p->nadded++] = arr[i];
	return 0;
}

/* --n and --tranche: one order over the whole source set. */
static int plan_total(struct topup_plan *p, struct topup_input *in, struct error *err)
{
	long excluded = 0;
	for (size_t i = 0; i < in->nmembers; i++)
		excluded += is_excluded(in, in->members[i]);
	long need = p->count - ((long)in->nmembers - excluded);
	p->repos = xcalloc(1, sizeof(*p->repos));
	p->nrepos = 1;
	p->repos->held = (long)in->nmembers;
	p->repos->excluded = excluded;
	if (need <= 0)
		return 0;
	size_t to = in->nmembers + (size_t)need;
	if (to > in->npool)
		return too_few(p, NULL, in->npool, to, err);
	struct sample_rng rng;
	sample_rng_seed(&rng, p->seed);
	if (continue_shuffle(p, &rng, in->pool, in->npool, 0, in->members, in->nmembers, to, err))
		return -1;
	p->repos->added = need;
	return 0;
}

/* The sample's members of repository repo, in the sample's order, into out (caller frees). */
static size_t members_of_repo(const struct topup_input *in, int64_t repo, int64_t **out)
{
	size_t n = 0;
	*out = xmalloc((in->nmembers + 1) * sizeof(**out));
	for (size_t i = 0; i < in->nmembers; i++)
		for (size_t j = 0; j < in->npool; j++)
			if (in->pool[j] == in->members[i] && in->pool_repos[j] == repo)
				(*out)[n++] = in->members[i];
	return n;
}

static int repo_name(struct store *s, int64_t id, char **name, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT full_name FROM repositories WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	*name = rc == SQLITE_ROW ? store_column_dup(st, 0) : xstrdup("?");
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* --per-repo: replay step 5 over every repository, then continue each that needs it. */
static int plan_per_repo(struct store *s, struct topup_plan *p, struct topup_input *in,
                         struct error *err)
{
	size_t k = (size_t)p->count, placed = 0;
	struct sample_rng rng;
	sample_rng_seed(&rng, p->seed);
	p->repos = xcalloc(in->npool + 1, sizeof(*p->repos));
	for (size_t start = 0, end, j = 0; start < in->npool; start = end, j++) {
		for (end = start; end < in->npool && in->pool_repos[end] == in->pool_repos[start];)
			end++;
		struct topup_repo *r = &p->repos[p->nrepos++];
		if (repo_name(s, in->pool_repos[start], &r->repo, err))
			return -1;
		if (end - start < k)
			return changed(p, err); /* the draw could not have taken k from it */
		sample_shuffle_prefix(&rng, in->pool + start, end - start, k);
		int64_t *held;
		size_t nheld = members_of_repo(in, in->pool_repos[start], &held);
		placed += nheld;
		r->held = (long)nheld;
		for (size_t i = 0; i < nheld; i++)
			r->excluded += is_excluded(in, held[i]);
		long need = p->count - (r->held - r->excluded);
		size_t to = nheld + (size_t)(need > 0 ? need : 0);
		struct sample_rng own;
		topup_rng_seed(&own, p->seed, j);
		int rc = to > end - start ? too_few(p, r->repo, end - start, to, err)
		                          : continue_shuffle(p, &own, in->pool + start, end - start,
		                                             k, held, nheld, to, err);
		free(held);
		if (rc)
			return -1;
		r->added = (long)(to - nheld);
	}
	return placed == in->nmembers ? 0 : changed(p, err);
}

/* The sample's set row: a sample drawn by "issuemine sample", with its source. */
static int read_sample(struct store *s, const char *sample, struct topup_plan *p, int64_t *parent,
                       struct error *err)
{
	struct set_info info;
	int found;
	if (set_get(s, sample, &info, &found, err))
		return -1;
	if (!found)
		return error_set(err, "no set named '%s' (see 'issuemine sets')", sample);
	int rc = 0;
	if (strcmp(info.kind, "sample") || !info.has_seed)
		rc = error_set(err,
		               "set '%s' is not a sample (it is a %s set): --top-up adds to a "
		               "sample drawn by 'issuemine sample'",
		               sample, info.kind);
	else if (!info.draw_mode || sample_mode_parse(info.draw_mode, &p->mode) ||
	         info.draw_count <= 0)
		rc = error_set(err, "sample '%s' does not record how it was drawn: cannot top up",
		               sample);
	else if (!info.parent)
		rc = error_set(err, "the set sample '%s' was drawn from is gone: cannot top up",
		               sample);
	if (!rc) {
		p->set_id = info.id;
		p->sample = xstrdup(sample);
		p->from = xstrdup(info.parent);
		p->count = info.draw_count;
		p->seed = (uint64_t)info.seed;
		rc = set_find(s, info.parent, parent, err);
	}
	set_info_release(&info);
	return rc;
}

int topup_plan(struct store *s, const char *sample, const char *rater, struct topup_plan *out,
               struct error *err)
{
	memset(out, 0, sizeof(*out));
	struct topup_input in = {0};
	int64_t parent = 0, rater_id = 0;
	int rc = read_sample(s, sample, out, &parent, err) ||
	         pick_rater(s, out->set_id, rater, &rater_id, out, err) ||
	         sample_members(s, parent, &in.pool, &in.pool_repos, &in.npool, err) ||
	         read_members(s, out->set_id, &in, err) ||
	         read_excluded(s, out->set_id, rater_id, &in.excluded, &in.nexcluded, err);
	if (!rc)
		rc = out->mode == SAMPLE_PER_REPO ? plan_per_repo(s, out, &in, err)
		                                  : plan_total(out, &in, err);
	input_release(&in);
	if (rc)
		topup_plan_release(out);
	return rc ? -1 : 0;
}

/* "topped up on ...: 2 issues (a/b 1, c/d 1) in place of those alice excluded". */
static char *origin_line(const struct topup_plan *p)
{
	struct strbuf sb = STRBUF_INIT;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	strbuf_addf(&sb, "topped up on %s: %zu issue%s", now, p->nadded, p->nadded == 1 ? "" : "s");
	if (p->mode == SAMPLE_PER_REPO) {
		strbuf_adds(&sb, " (");
		for (size_t i = 0, n = 0; i < p->nrepos; i++)
			if (p->repos[i].added)
				strbuf_addf(&sb, "%s%s %ld", n++ ? ", " : "", p->repos[i].repo,
				            p->repos[i].added);
		strbuf_adds(&sb, ")");
	}
	strbuf_addf(&sb,
	            " in place of those %s excluded, drawn on from the same seeded order "
	            "(issuemine sample --top-up)",
	            p->rater);
	return strbuf_detach(&sb, NULL);
}

int topup_save(struct store *s, const struct topup_plan *p, struct error *err)
{
	if (store_begin(s, err))
		return -1;
	int rc = 0;
	for (size_t i = 0; !rc && i < p->nadded; i++)
		rc = set_add_member(s, p->set_id, p->added[i], err);
	char *line = origin_line(p);
	sqlite3_stmt *st =
	        rc ? NULL
	           : store_stmt(s,
	                        "UPDATE sets SET origin = coalesce(origin || char(10), '') || ? "
	                        "WHERE id = ?",
	                        err);
	if (!rc && st) {
		store_bind_text(st, 1, line);
		sqlite3_bind_int64(st, 2, p->set_id);
		rc = store_step_done(s, st, err);
	} else if (!rc) {
		rc = -1;
	}
	free(line);
	if (rc || store_commit(s, err)) {
		store_rollback(s);
		return -1;
	}
	return 0;
}
