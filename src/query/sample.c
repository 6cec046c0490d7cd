/*
 * sample.c - reproducible sampling (see sample.h for the exact procedure).
 */
#include "sample.h"
#include "sets.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void sample_rng_seed(struct sample_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t sample_rng_next(struct sample_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t sample_rng_below(struct sample_rng *r, uint64_t bound)
{
	/* (2^64 - bound) mod bound: outputs below it would favour small results. */
	uint64_t threshold = (0 - bound) % bound;
	for (;;) {
		uint64_t x = sample_rng_next(r);
		if (x >= threshold)
			return x % bound;
	}
}

void sample_shuffle_prefix(struct sample_rng *r, int64_t *items, size_t n, size_t k)
{
	for (size_t i = 0; i < k && i < n; i++) {
		size_t j = i + (size_t)sample_rng_below(r, (uint64_t)(n - i));
		int64_t t = items[i];
		items[i] = items[j];
		items[j] = t;
	}
}

/* A set's members in the order of step 3, with each one's repository id. */
struct members {
	int64_t *ids;
	int64_t *repos;
	size_t n, alloc_ids, alloc_repos;
};

static void members_release(struct members *m)
{
	free(m->ids);
	free(m->repos);
}

static int load_members(struct store *s, int64_t set_id, struct members *m, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT i.id, i.repo_id FROM set_members sm "
	                              "JOIN issues i ON i.id = sm.issue_id "
	                              "JOIN repositories r ON r.id = i.repo_id "
	                              "WHERE sm.set_id = ? ORDER BY r.full_name COLLATE NOCASE, "
	                              "i.number",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&m->ids, &m->alloc_ids, m->n + 1, sizeof(*m->ids));
		xgrow((void **)&m->repos, &m->alloc_repos, m->n + 1, sizeof(*m->repos));
		m->ids[m->n] = sqlite3_column_int64(st, 0);
		m->repos[m->n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int sample_members(struct store *s, int64_t set_id, int64_t **ids, int64_t **repos, size_t *n,
                   struct error *err)
{
	struct members m = {0};
	if (load_members(s, set_id, &m, err)) {
		members_release(&m);
		return -1;
	}
	*ids = m.ids;
	*repos = m.repos;
	*n = m.n;
	return 0;
}

static const char *const mode_names[] = {"total", "per-repo", "tranche"};

const char *sample_mode_name(enum sample_mode mode)
{
	return mode_names[mode];
}

int sample_mode_parse(const char *name, enum sample_mode *mode)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (name && !strcmp(name, mode_names[i])) {
			*mode = (enum sample_mode)i;
			return 0;
		}
	}
	return -1;
}

static int repo_name(struct store *s, int64_t repo_id, char *buf, size_t size, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT full_name FROM repositories WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, repo_id);
	int rc = sqlite3_step(st);
	snprintf(buf, size, "%s",
	         rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "?");
	sqlite3_reset(st);
	return 0;
}

/* Draws count from each run of members of one repository (they are contiguous). */
static int draw_per_repo(struct store *s, const struct sample_request *req, struct members *m,
                         struct sample_rng *rng, int64_t *out, size_t *n, struct error *err)
{
	size_t start = 0;
	*n = 0;
	while (start < m->n) {
		size_t end = start;
		while (end < m->n && m->repos[end] == m->repos[start])
			end++;
		if (end - start < (size_t)req->count) {
			char name[512];
			repo_name(s, m->repos[start], name, sizeof(name), err);
			return error_set(
			        err,
			        "set '%s' holds only %zu issue%s of %s; cannot draw %ld per "
			        "repository",
			        req->from, end - start, end - start == 1 ? "" : "s", name,
			        req->count);
		}
		sample_shuffle_prefix(rng, m->ids + start, end - start, (size_t)req->count);
		memcpy(out + *n, m->ids + start, (size_t)req->count * sizeof(*out));
		*n += (size_t)req->count;
		start = end;
	}
	return 0;
}

int sample_draw(struct store *s, const struct sample_request *req, int64_t **ids, size_t *n,
                struct error *err)
{
	struct set_info info;
	int found;
	*ids = NULL;
	*n = 0;
	if (req->count <= 0)
		return error_set(err, "the sample size must be positive");
	if (set_get(s, req->from, &info, &found, err))
		return -1;
	if (!found)
		return error_set(err, "no set named '%s' (see 'issuemine sets')", req->from);
	int is_sample = !strcmp(info.kind, "sample");
	int64_t set_id = info.id;
	set_info_release(&info);
	if (req->mode == SAMPLE_TRANCHE && !is_sample)
		return error_set(err, "set '%s' is not a sample (a tranche is drawn from a sample)",
		                 req->from);
	struct members m = {0};
	if (load_members(s, set_id, &m, err))
		return -1;
	struct sample_rng rng;
	sample_rng_seed(&rng, req->seed);
	int rc = 0;
	if (!m.n) {
		/* Per repository, an empty set would give an empty sample and no error. */
		rc = error_set(err, "set '%s' holds no issues; cannot draw %ld%s", req->from,
		               req->count, req->mode == SAMPLE_PER_REPO ? " per repository" : "");
	} else if (req->mode == SAMPLE_PER_REPO) {
		*ids = xmalloc(m.n * sizeof(**ids));
		rc = draw_per_repo(s, req, &m, &rng, *ids, n, err);
	} else if (m.n < (size_t)req->count) {
		rc = error_set(err, "set '%s' holds only %zu issue%s; cannot draw %ld", req->from,
		               m.n, m.n == 1 ? "" : "s", req->count);
	} else {
		sample_shuffle_prefix(&rng, m.ids, m.n, (size_t)req->count);
		*n = (size_t)req->count;
		*ids = xmalloc(*n * sizeof(**ids));
		memcpy(*ids, m.ids, *n * sizeof(**ids));
	}
	members_release(&m);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

static char *describe(const struct sample_request *req)
{
	const char *how = req->mode == SAMPLE_PER_REPO  ? " per repository"
	                  : req->mode == SAMPLE_TRANCHE ? " (a tranche for a drift check)"
	                                                : "";
	return xstrfmt("%ld issue%s%s drawn uniformly without replacement from '%s' with seed "
	               "%llu (xoshiro256** seeded by SplitMix64; partial Fisher-Yates over the "
	               "members ordered by repository and number)",
	               req->count, req->count == 1 ? "" : "s", how, req->from,
	               (unsigned long long)req->seed);
}

static int add_member_at(struct store *s, int64_t set_id, int64_t issue_id, size_t position,
                         struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "INSERT INTO set_members (set_id, issue_id, position) VALUES (?, ?, ?)", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, issue_id);
	sqlite3_bind_int64(st, 3, (int64_t)position);
	return store_step_done(s, st, err);
}

/* The mode and size, so that a top-up can draw on from the same order. */
static int record_draw(struct store *s, int64_t set_id, const struct sample_request *req,
                       struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "UPDATE sets SET draw_mode = ?, draw_count = ? WHERE id = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, sample_mode_name(req->mode));
	sqlite3_bind_int64(st, 2, req->count);
	sqlite3_bind_int64(st, 3, set_id);
	return store_step_done(s, st, err);
}

int sample_save(struct store *s, const struct sample_request *req, const char *name,
                const int64_t *ids, size_t n, struct error *err)
{
	int64_t parent, id;
	if (store_begin(s, err))
		return -1;
	char *origin = describe(req);
	int rc = set_find(s, req->from, &parent, err) ||
	         set_create(s, name, "sample", origin, parent, 1, (int64_t)req->seed, &id, err) ||
	         record_draw(s, id, req, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = add_member_at(s, id, ids[i], i, err);
	free(origin);
	if (rc) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}
