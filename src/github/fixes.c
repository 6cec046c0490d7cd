/*
 * fixes.c - resolving, fetching and storing the fixes of a set's issues (see fixes.h).
 *
 * The run walks the set in batches of members, so a set of any size costs
 * the same memory. For one issue it reads the events that name changes
 * (refs), makes sure each change is stored (ensure_change: from the store,
 * or from GitHub), looks up the pull requests a closing commit came from,
 * and writes the issue's links. Every write is its own transaction, and none
 * is open while a request is in flight.
 */
#include "fixes.h"
#include "fixes_json.h"
#include "sets.h"
#include "store_fixes.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MEMBER_BATCH 256

/* A change a timeline names, and how. */
struct ref {
	struct fix_key key;
	const char *via;
	int merged_hint;  /* a cross-reference's source says merged_at: 1, else -1 */
	int closer_known; /* a closing commit whose pull request the timeline names (GraphQL) */
};

struct refs {
	struct ref *items;
	size_t n, alloc;
	long connected; /* connected events that name no pull request */
};

struct links {
	struct fix_link *items;
	size_t n, alloc;
};

struct member {
	int64_t position, issue_id, number;
	char repo[REPO_NAME_MAX];
};

struct run {
	struct store *s;
	struct gh_client *gh;
	const struct fixes_options *opt;
	struct fixes_counts *c;
	int64_t set_id;
	int64_t run_id; /* marks the changes this run stored or checked */
	char doing[REPO_NAME_MAX + 64];
};

static void report(struct run *r)
{
	if (r->opt->progress)
		r->opt->progress(r->opt->progress_data, r->c, r->doing);
}

static int transaction(struct run *r, int (*fn)(struct run *, void *, struct error *), void *data,
                       struct error *err)
{
	if (store_begin(r->s, err))
		return -1;
	int rc = fn(r, data, err);
	if (rc) {
		store_rollback(r->s);
		return rc;
	}
	return store_commit(r->s, err);
}

/* --- what a timeline names --- */

/* Strongest first: the link of an issue to a change is the strongest event that names it. */
static int via_rank(const char *via)
{
	static const char *const order[] = {"closed",    "closer",           "merged-from",
	                                    "connected", "cross-referenced", "referenced"};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(via, order[i]))
			return (int)i;
	return (int)(sizeof(order) / sizeof(order[0]));
}

static int same_key(const struct fix_key *a, const struct fix_key *b)
{
	if (a->kind != b->kind || strcasecmp(a->repo, b->repo))
		return 0;
	return a->kind == FIX_PR ? a->number == b->number : !strcasecmp(a->sha, b->sha);
}

/* Adds a ref, or strengthens the one already there for the same change. */
static void add_ref(struct refs *refs, const struct ref *ref)
{
	for (size_t i = 0; i < refs->n; i++) {
		struct ref *old = &refs->items[i];
		if (!same_key(&old->key, &ref->key))
			continue;
		if (via_rank(ref->via) < via_rank(old->via))
			old->via = ref->via;
		if (ref->merged_hint > old->merged_hint)
			old->merged_hint = ref->merged_hint;
		old->closer_known |= ref->closer_known;
		return;
	}
	xgrow((void **)&refs->items, &refs->alloc, refs->n + 1, sizeof(*refs->items));
	refs->items[refs->n++] = *ref;
}

static const char *static_via(const char *event)
{
	if (!strcmp(event, "closed"))
		return "closed";
	if (!strcmp(event, "referenced"))
		return "referenced";
	return "cross-referenced";
}

/*
 * A closed or referenced event's commit; nothing when GitHub's data is not a
 * commit. Its repository: REST's commit_url names it, GraphQL's
 * commitRepository or closer.repository (repo), else the issue's.
 */
static void commit_ref(struct refs *refs, const char *event, const char *sha, const char *url,
                       const char *repo, const char *issue_repo, int closer_known)
{
	struct ref ref = {{FIX_COMMIT, "", 0, ""}, static_via(event), -1, closer_known};
	if (!fixes_sha_valid(sha))
		return;
	if (repo && repo_name_valid(repo))
		snprintf(ref.key.repo, sizeof(ref.key.repo), "%s", repo);
	else if (!url || fixes_commit_url_repo(url, ref.key.repo))
		snprintf(ref.key.repo, sizeof(ref.key.repo), "%s", issue_repo);
	snprintf(ref.key.sha, sizeof(ref.key.sha), "%s", sha);
	for (char *p = ref.key.sha; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
	add_ref(refs, &ref);
}

static void pull_ref(struct refs *refs, const char *repo, int64_t number, int merged,
                     const char *via)
{
	struct ref ref = {{FIX_PR, "", number, ""}, via, merged ? 1 : -1, 0};
	if (!repo || !repo_name_valid(repo) || number <= 0)
		return;
	snprintf(ref.key.repo, sizeof(ref.key.repo), "%s", repo);
	add_ref(refs, &ref);
}

/*
 * The columns of an event that names a change. REST's and GraphQL's events
 * have the same extracted columns; what else names a change is in raw, in
 * each API's shape: REST's commit_url and source.issue.pull_request, and
 * GraphQL's commitRepository, closer (the pull request or commit that closed
 * the issue) and a connected event's subject (which REST leaves out).
 */
static const char refs_sql[] =
        "SELECT event, commit_id, api, json_extract(raw, '$.commit_url'), "
        "coalesce(json_extract(raw, '$.commitRepository.nameWithOwner'), "
        "json_extract(raw, '$.closer.repository.nameWithOwner')), source_repo, source_number, "
        "CASE api WHEN 'graphql' THEN json_extract(raw, '$.source.mergedAt') IS NOT NULL "
        "ELSE json_extract(raw, '$.source.issue.pull_request.merged_at') IS NOT NULL END, "
        "json_extract(raw, '$.closer.__typename'), json_extract(raw, '$.closer.number'), "
        "json_extract(raw, '$.closer.mergedAt') IS NOT NULL OR "
        "json_extract(raw, '$.closer.prState') = 'MERGED', "
        "json_extract(raw, '$.subject.__typename'), json_extract(raw, '$.subject.number'), "
        "json_extract(raw, '$.subject.repository.nameWithOwner'), "
        "json_extract(raw, '$.subject.mergedAt') IS NOT NULL "
        "FROM events WHERE issue_id = ? AND (event IN ('closed', 'referenced') AND "
        "commit_id IS NOT NULL OR event = 'cross-referenced' AND source_is_pr = 1 OR "
        "event = 'connected') ORDER BY position";

static const char *text_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int is_pull_request_type(sqlite3_stmt *st, int i)
{
	const char *t = text_col(st, i);
	return t && !strcmp(t, "PullRequest");
}

/* A connected event: over GraphQL its subject, a pull request; over REST nothing to resolve. */
static void connected_ref(struct refs *refs, sqlite3_stmt *st)
{
	int graphql = !strcmp(text_col(st, 2), "graphql");
	if (graphql && is_pull_request_type(st, 11) && sqlite3_column_int64(st, 12) > 0)
		pull_ref(refs, text_col(st, 13), sqlite3_column_int64(st, 12),
		         sqlite3_column_int(st, 14), "connected");
	else
		refs->connected++;
}

/* A closed or referenced event: its commit, and over GraphQL the pull request that closed. */
static void closing_ref(struct refs *refs, sqlite3_stmt *st, const struct member *m)
{
	const char *event = text_col(st, 0);
	int graphql = !strcmp(text_col(st, 2), "graphql");
	int closer_pr = graphql && !strcmp(event, "closed") && is_pull_request_type(st, 8) &&
	                sqlite3_column_int64(st, 9) > 0;
	commit_ref(refs, event, text_col(st, 1), text_col(st, 3), graphql ? text_col(st, 4) : NULL,
	           m->repo, closer_pr);
	if (closer_pr)
		pull_ref(refs, text_col(st, 4), sqlite3_column_int64(st, 9),
		         sqlite3_column_int(st, 10), "closer");
}

/* The changes issue m's stored timeline names, in timeline order. */
static int read_refs(struct run *r, const struct member *m, struct refs *refs, struct error *err)
{
	sqlite3_stmt *st = store_stmt(r->s, refs_sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, m->issue_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *event = text_col(st, 0);
		if (!strcmp(event, "connected"))
			connected_ref(refs, st);
		else if (!strcmp(event, "cross-referenced"))
			pull_ref(refs, text_col(st, 5), sqlite3_column_int64(st, 6),
			         sqlite3_column_int(st, 7), "cross-referenced");
		else
			closing_ref(refs, st, m);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(r->s, err, NULL);
}

/* The API issue m's timeline came through ("rest" when it has no events): its links'. */
static int timeline_api(struct run *r, const struct member *m, const char **api, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        r->s, "SELECT count(*) FROM events WHERE issue_id = ? AND api = 'graphql'", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, m->issue_id);
	int64_t n;
	if (store_step_int64(r->s, st, &n, NULL, err))
		return -1;
	*api = n ? "graphql" : "rest";
	return 0;
}

/* --- fetching one change --- */

/* True when GitHub's answer says the change is gone for good (not a fault, not a limit). */
static int gone_status(const struct fix_key *key, long status)
{
	if (status == 404 || status == 410 || status == 451)
		return 1;
	/* "No commit found for SHA": a force-push or a deleted branch took it. */
	return key->kind == FIX_COMMIT && status == 422;
}

static void doing(struct run *r, const char *what, const struct fix_key *key)
{
	char name[REPO_NAME_MAX + 48];
	fix_key_format(key, name, sizeof(name));
	snprintf(r->doing, sizeof(r->doing), "%s %s", what, name);
	report(r);
}

struct put {
	struct fix_change *c;
	const struct fix_key *key;
	long status;
	int64_t id;
};

static int write_change(struct run *r, void *data, struct error *err)
{
	struct put *p = data;
	return store_fix_put(r->s, p->c, r->run_id, &p->id, err);
}

static int write_gone(struct run *r, void *data, struct error *err)
{
	struct put *p = data;
	return store_fix_put_gone(r->s, p->key, p->status, r->run_id, &p->id, err);
}

static int write_touch(struct run *r, void *data, struct error *err)
{
	struct put *p = data;
	return store_fix_touch(r->s, p->id, r->run_id, err);
}

static int record_gone(struct run *r, const struct fix_key *key, long status, struct error *err)
{
	struct put p = {NULL, key, status, 0};
	r->c->gone++;
	return transaction(r, write_gone, &p, err);
}

static int record_unchanged(struct run *r, int64_t id, struct error *err)
{
	struct put p = {NULL, NULL, 0, id};
	r->c->unchanged++;
	return transaction(r, write_touch, &p, err);
}

static int record_change(struct run *r, struct fix_change *c, struct error *err)
{
	struct put p = {c, &c->key, 0, 0};
	fixes_json_finish(c);
	if (transaction(r, write_change, &p, err))
		return -1;
	r->c->fetched++;
	if (c->key.kind == FIX_PR)
		r->c->pulls++;
	else
		r->c->commits++;
	r->c->files += (long)c->nfiles;
	for (size_t i = 0; i < c->nfiles; i++)
		r->c->patchless += c->files[i].patch == NULL;
	r->c->truncated += c->truncated;
	return 0;
}

/*
 * One page of a change. Returns 0 with *resp filled (a 200, or a 304 when
 * etag was sent), 1 when GitHub says the change is gone (*status), -1 on
 * failure.
 */
static int get_page(struct run *r, const struct fix_key *key, const char *url, const char *etag,
                    struct gh_response *resp, long *status, struct error *err)
{
	if (gh_get(r->gh, url, etag, resp, err)) {
		*status = resp->status;
		return gone_status(key, resp->status) ? 1 : -1;
	}
	if (resp->status == 200 && !json_is_object(resp->body) && !json_is_array(resp->body)) {
		gh_response_release(resp);
		return error_set(err, "not a JSON object");
	}
	return 0;
}

/* How the pages of one change are read: the first, and each after it (Link rel="next"). */
struct pager {
	const char *etag; /* sent with the first page, or NULL */
	int keep_etag;    /* the first answer's ETag goes into c */
	int (*first)(json_t *body, struct fix_change *c, struct error *err);
	int (*more)(json_t *body, struct fix_change *c, struct error *err);
};

/* Every page from url (taken) on into c; 1 when gone (*status), 2 on a 304. */
static int download_pages(struct run *r, struct fix_change *c, char *url, const struct pager *pg,
                          long *status, struct error *err)
{
	for (int k = 0; url; k++) {
		if (k >= FIXES_MAX_PAGES) {
			free(url);
			return error_set(err, "more than %d pages of files", FIXES_MAX_PAGES);
		}
		struct gh_response resp;
		int rc = get_page(r, &c->key, url, k ? NULL : pg->etag, &resp, status, err);
		free(url);
		url = NULL;
		if (rc)
			return rc;
		if (resp.status == 304) {
			gh_response_release(&resp);
			return 2;
		}
		rc = (k ? pg->more : pg->first)(resp.body, c, err);
		if (!rc && !k && pg->keep_etag && resp.etag)
			c->etag = xstrdup(resp.etag);
		if (!rc && resp.next_url)
			url = xstrdup(resp.next_url);
		gh_response_release(&resp);
		if (rc)
			return -1;
		report(r);
	}
	return 0;
}

/* Downloads every page of a commit's files into c; 1 when gone (*status), 2 on a 304. */
static int download_commit(struct run *r, struct fix_change *c, const char *etag, long *status,
                           struct error *err)
{
	struct pager pg = {etag, 1, fixes_json_commit, fixes_json_commit_page};
	char *url = xstrfmt("/repos/%s/commits/%s", c->key.repo, c->key.sha);
	return download_pages(r, c, url, &pg, status, err);
}

/* Every page of a pull request's files into c; 1 when gone (*status). */
static int download_pull_files(struct run *r, struct fix_change *c, long *status, struct error *err)
{
	struct pager pg = {NULL, 0, fixes_json_files, fixes_json_files};
	char *url = xstrfmt("/repos/%s/pulls/%lld/files?per_page=%d", c->key.repo,
	                    (long long)c->key.number, FIXES_PULL_FILES_PER_PAGE);
	return download_pages(r, c, url, &pg, status, err);
}

/* The pull request into c, then its files; 1 when gone (*status), 2 on a 304. */
static int download_pull(struct run *r, struct fix_change *c, const char *etag, long *status,
                         struct error *err)
{
	char *url = xstrfmt("/repos/%s/pulls/%lld", c->key.repo, (long long)c->key.number);
	struct gh_response resp;
	int rc = get_page(r, &c->key, url, etag, &resp, status, err);
	free(url);
	if (rc)
		return rc;
	if (resp.status == 304) {
		gh_response_release(&resp);
		return 2;
	}
	rc = fixes_json_pull(resp.body, c, err);
	if (!rc && resp.etag)
		c->etag = xstrdup(resp.etag);
	gh_response_release(&resp);
	if (rc)
		return -1;
	report(r);
	/* No files changed: nothing to ask for. */
	return c->file_count == 0 ? 0 : download_pull_files(r, c, status, err);
}

/*
 * Downloads key (conditionally when etag is given) and stores what GitHub
 * said: the change, that it is gone, or (a 304) that it did not change.
 */
static int fetch_change(struct run *r, const struct fix_key *key, const char *etag,
                        int64_t stored_id, struct error *err)
{
	struct fix_change c;
	long status = 0;
	fix_change_init(&c, key);
	doing(r, key->kind == FIX_PR ? "pull request" : "commit", key);
	int rc = key->kind == FIX_PR ? download_pull(r, &c, etag, &status, err)
	                             : download_commit(r, &c, etag, &status, err);
	if (rc == 0)
		rc = record_change(r, &c, err);
	else if (rc == 1)
		rc = record_gone(r, key, status, err);
	else if (rc == 2)
		rc = record_unchanged(r, stored_id, err);
	fix_change_release(&c);
	if (rc) {
		char name[REPO_NAME_MAX + 48];
		fix_key_format(key, name, sizeof(name));
		return error_prefix(err, "%s %s", key->kind == FIX_PR ? "pull request" : "commit",
		                    name);
	}
	return 0;
}

/* True when a stored change must be asked about again by this run. */
static int needs_asking(const struct run *r, const struct fix_key *key, const struct fix_stored *st)
{
	if (st->checked_run == r->run_id)
		return 0; /* another issue of this run already did */
	if (r->opt->refresh)
		return 1;
	if (st->gone)
		return 0;
	/* Commits never change; a merged pull request is done. */
	return key->kind == FIX_PR && st->merged != 1;
}

/*
 * Makes sure key is stored (from GitHub if need be); *st gets what is stored
 * of it, *asked whether GitHub was asked just now.
 */
static int ensure_change(struct run *r, const struct fix_key *key, struct fix_stored *st,
                         int *asked, struct error *err)
{
	int found;
	*asked = 0;
	if (store_fix_find(r->s, key, st, &found, err))
		return -1;
	if (found && !needs_asking(r, key, st))
		return 0;
	*asked = 1;
	/* A change that was gone is asked for again in full. */
	const char *etag = found && !st->gone ? st->etag : NULL;
	int rc = fetch_change(r, key, etag, found ? st->id : 0, err);
	fix_stored_release(st);
	if (rc)
		return -1;
	if (store_fix_find(r->s, key, st, &found, err))
		return -1;
	return found ? 0 : error_set(err, "a change just stored is not in the store");
}

/* --- the pull requests a closing commit came from --- */

struct pulls_write {
	int64_t id;
	const char *pulls, *etag;
};

static int write_pulls(struct run *r, void *data, struct error *err)
{
	struct pulls_write *w = data;
	return store_fix_set_pulls(r->s, w->id, w->pulls, w->etag, err);
}

/* Adds the numbers in a stored JSON array as merged-from refs. */
static void add_pull_refs(struct refs *refs, const char *repo, const char *pulls)
{
	json_t *arr = json_loads(pulls, 0, NULL);
	size_t i;
	json_t *n;
	json_array_foreach(arr, i, n)
	{
		if (json_is_integer(n) && i < FIXES_MAX_PULLS)
			pull_ref(refs, repo, (int64_t)json_integer_value(n), 0, "merged-from");
	}
	json_decref(arr);
}

/* The numbers GitHub lists as a JSON array text (caller frees), from its answer. */
static char *numbers_text(json_t *body, struct error *err)
{
	int64_t numbers[FIXES_MAX_PULLS];
	size_t n;
	if (fixes_json_pull_numbers(body, numbers, FIXES_MAX_PULLS, &n, err))
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_integer(numbers[i]));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

/* Asks GitHub for the pull requests of a closing commit, and keeps the answer in st. */
static int lookup_pulls(struct run *r, const struct fix_key *key, struct fix_stored *st,
                        struct error *err)
{
	char *url = xstrfmt("/repos/%s/commits/%s/pulls?per_page=100", key->repo, key->sha);
	struct gh_response resp;
	long status = 0;
	doing(r, "pull requests of commit", key);
	r->c->lookups++;
	int rc = get_page(r, key, url, st->pulls ? st->pulls_etag : NULL, &resp, &status, err);
	free(url);
	if (rc < 0 || (rc == 0 && resp.status == 304)) {
		gh_response_release(&resp);
		return rc < 0 ? -1 : 0;
	}
	/* A commit gone since it was stored came from no pull request we can see. */
	char *pulls = rc == 1 ? xstrdup("[]") : numbers_text(resp.body, err);
	struct pulls_write w = {st->id, pulls, rc == 1 ? NULL : resp.etag};
	rc = pulls ? transaction(r, write_pulls, &w, err) : -1;
	gh_response_release(&resp);
	if (rc) {
		free(pulls);
		return -1;
	}
	free(st->pulls);
	st->pulls = pulls;
	return 0;
}

/*
 * For a closing commit: the pull requests it came from, as refs. They are
 * asked for once, and again (conditionally) when --refresh asked about the
 * commit.
 */
static int pulls_of_commit(struct run *r, const struct fix_key *key, struct fix_stored *st,
                           int asked, struct refs *refs, struct error *err)
{
	int ask = !st->pulls || (r->opt->refresh && asked);
	if (ask && lookup_pulls(r, key, st, err)) {
		char name[REPO_NAME_MAX + 48];
		fix_key_format(key, name, sizeof(name));
		return error_prefix(err, "pull requests of commit %s", name);
	}
	add_pull_refs(refs, key->repo, st->pulls);
	return 0;
}

/* --- one issue --- */

/* Adds a link, or makes the one already there for the change stronger. */
static void add_link(struct links *links, int64_t change_id, const char *role, const char *via)
{
	for (size_t i = 0; i < links->n; i++) {
		struct fix_link *l = &links->items[i];
		if (l->change_id != change_id)
			continue;
		int fix = !strcmp(role, "fix"), was_fix = !strcmp(l->role, "fix");
		if ((fix && !was_fix) || (fix == was_fix && via_rank(via) < via_rank(l->via))) {
			l->role = role;
			l->via = via;
		}
		return;
	}
	xgrow((void **)&links->items, &links->alloc, links->n + 1, sizeof(*links->items));
	struct fix_link l = {change_id, role, via};
	links->items[links->n++] = l;
}

/* Stores the change ref names and links it to m. */
static int resolve_ref(struct run *r, const struct member *m, struct refs *refs, size_t i,
                       struct links *links, struct error *err)
{
	struct ref ref = refs->items[i]; /* a copy: refs may grow below */
	struct fix_stored st;
	int asked;
	if (ensure_change(r, &ref.key, &st, &asked, err))
		return -1;
	int rc = 0;
	/* GraphQL's closer named the pull request: nothing to look up. */
	if (ref.key.kind == FIX_COMMIT && !strcmp(ref.via, "closed") && !st.gone &&
	    !ref.closer_known)
		rc = pulls_of_commit(r, &ref.key, &st, asked, refs, err);
	/* Of a pull request that is gone, the timeline alone says whether it was merged. */
	int merged = ref.key.kind == FIX_PR && st.gone ? ref.merged_hint : st.merged;
	add_link(links, st.id, fixes_role(ref.key.kind, ref.via, merged, ref.key.repo, m->repo),
	         ref.via);
	fix_stored_release(&st);
	return rc;
}

struct issue_write {
	const struct member *m;
	const struct links *links;
	long connected;
	const char *api; /* of the timeline the links were read from */
};

/* The other API's links go: they were read from a timeline the store no longer has. */
static const char *other_api(const char *api)
{
	return !strcmp(api, "graphql") ? "rest" : "graphql";
}

static int write_links(struct run *r, void *data, struct error *err)
{
	struct issue_write *w = data;
	if (store_fix_unlink(r->s, w->m->issue_id, other_api(w->api), err))
		return -1;
	return store_fix_link_issue(r->s, w->m->issue_id, w->api, w->links->items, w->links->n,
	                            w->connected, err);
}

static void count_issue(struct run *r, const struct links *links, long connected)
{
	long fixes = 0;
	for (size_t i = 0; i < links->n; i++)
		fixes += !strcmp(links->items[i].role, "fix");
	r->c->links += (long)links->n;
	r->c->fixes += fixes;
	r->c->linked += (long)links->n - fixes;
	r->c->connected += connected;
	if (fixes)
		r->c->with_fix++;
	else if (links->n)
		r->c->linked_only++;
	else
		r->c->without++;
}

static int resolve_issue(struct run *r, const struct member *m, struct error *err)
{
	struct refs refs = {0};
	struct links links = {0};
	const char *api = "rest";
	int rc = timeline_api(r, m, &api, err);
	if (!rc)
		rc = read_refs(r, m, &refs, err);
	for (size_t i = 0; !rc && i < refs.n; i++)
		rc = resolve_ref(r, m, &refs, i, &links, err);
	struct issue_write w = {m, &links, refs.connected, api};
	int same = 0;
	int64_t others = 0;
	if (!rc)
		rc = store_fix_links_equal(r->s, m->issue_id, api, links.items, links.n,
		                           refs.connected, &same, err);
	if (!rc && same)
		rc = store_fix_link_count(r->s, m->issue_id, other_api(api), &others, err);
	same = same && !others;
	if (!rc && !same)
		rc = transaction(r, write_links, &w, err);
	if (!rc)
		count_issue(r, &links, refs.connected);
	free(refs.items);
	free(links.items);
	if (rc)
		return error_prefix(err, "%s#%lld", m->repo, (long long)m->number);
	return 0;
}

/* --- the set --- */

/* Up to max members after position after, in the set's order. */
static int next_members(struct run *r, int64_t after, struct member *out, size_t max, size_t *n,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(r->s,
	                              "SELECT m.position, i.id, i.number, r.full_name FROM "
	                              "set_members m JOIN issues i ON i.id = m.issue_id JOIN "
	                              "repositories r ON r.id = i.repo_id WHERE m.set_id = ? AND "
	                              "m.position > ? ORDER BY m.position LIMIT ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->set_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (int64_t)max);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct member *m = &out[(*n)++];
		m->position = sqlite3_column_int64(st, 0);
		m->issue_id = sqlite3_column_int64(st, 1);
		m->number = sqlite3_column_int64(st, 2);
		snprintf(m->repo, sizeof(m->repo), "%s", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(r->s, err, NULL);
}

static int count_resolved(struct run *r, struct error *err)
{
	sqlite3_stmt *st = store_stmt(r->s,
	                              "SELECT count(*) FROM set_members m JOIN fix_state f ON "
	                              "f.issue_id = m.issue_id WHERE m.set_id = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->set_id);
	int64_t n;
	if (store_step_int64(r->s, st, &n, NULL, err))
		return -1;
	r->c->resolved_before = (long)n;
	return 0;
}

static int start(struct run *r, struct error *err)
{
	long size;
	if (set_find(r->s, r->opt->set, &r->set_id, err))
		return -1;
	if (!r->set_id)
		return error_set(err, "no set named '%s' (see 'issuemine sets')", r->opt->set);
	if (set_size(r->s, r->set_id, &size, err) || count_resolved(r, err) ||
	    store_fix_next_run(r->s, &r->run_id, err))
		return -1;
	r->c->issues_total = size;
	return 0;
}

int fixes_run(struct store *s, struct gh_client *gh, const struct fixes_options *opt,
              struct fixes_counts *counts, struct error *err)
{
	struct run r = {s, gh, opt, counts, 0, 0, ""};
	if (start(&r, err))
		return -1;
	report(&r);
	struct member *batch = xcalloc(MEMBER_BATCH, sizeof(*batch));
	int64_t after = -1;
	int rc = 0;
	for (;;) {
		size_t n;
		if ((rc = next_members(&r, after, batch, MEMBER_BATCH, &n, err)) || !n)
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			rc = resolve_issue(&r, &batch[i], err);
			counts->issues_done += !rc;
			snprintf(r.doing, sizeof(r.doing), "%s", "");
			report(&r);
		}
		if (rc)
			break;
		after = batch[n - 1].position;
	}
	free(batch);
	return rc ? -1 : 0;
}
