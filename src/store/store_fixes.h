/*
 * store_fixes.h - fix evidence in the store: changes, their files, and links.
 *
 * A change is a pull request or a commit, stored once (fix_changes) with the
 * files it touches (fix_files) however many issues point at it; an issue's
 * links (fixes) say which changes fix it and which are only linked to it,
 * and fix_state marks the issues whose fixes were resolved. The rows come
 * from struct fix_change, which the REST fetcher (fixes.c) fills today and a
 * GraphQL backend can fill the same way: only raw and api differ.
 *
 * Writers must run in a transaction; readers iterate with callbacks, so a
 * listing of thousands of issues never sits in memory.
 */
#ifndef ISSUEMINE_STORE_FIXES_H
#define ISSUEMINE_STORE_FIXES_H

#include <stdint.h>

#include "issueref.h"
#include "store.h"

#define FIX_SHA_MAX 41 /* a 40-digit sha and its NUL */

enum fix_kind { FIX_PR, FIX_COMMIT };

/* What names a change: a pull request by repository and number, a commit by repository and sha. */
struct fix_key {
	enum fix_kind kind;
	char repo[REPO_NAME_MAX];
	int64_t number;        /* FIX_PR */
	char sha[FIX_SHA_MAX]; /* FIX_COMMIT */
};

/* "pr" or "commit". */
const char *fix_kind_name(enum fix_kind kind);

/* "O/R#N" or "O/R@SHA7" into out (REPO_NAME_MAX + 48 bytes). */
void fix_key_format(const struct fix_key *key, char *out, size_t size);

/* A changed file. Strings are owned; patch is NULL when GitHub sent none. */
struct fix_file {
	char *path, *previous_path, *status, *patch;
	int64_t additions, deletions;
};

/* A change as GitHub described it. Strings are owned (NULL when unknown). */
struct fix_change {
	struct fix_key key;
	const char *api; /* the API that described it: "rest" or "graphql" (static) */
	char *title, *body, *author, *state, *merged_at, *merge_commit_sha;
	char *created_at, *committed_at, *url, *head_sha;
	int merged;                   /* 0, 1, or -1 when not a pull request */
	int64_t additions, deletions; /* -1 when unknown */
	int64_t file_count;           /* files changed as GitHub counts them; -1 unknown */
	int truncated;                /* GitHub listed fewer files than changed */
	char *raw;                    /* the object's JSON without its files */
	char *etag;                   /* for If-None-Match next time */
	struct fix_file *files;
	size_t nfiles, alloc;
};

void fix_change_init(struct fix_change *c, const struct fix_key *key);
void fix_change_release(struct fix_change *c);
/* Appends a file (takes ownership of nothing: the strings are copied). */
void fix_change_add_file(struct fix_change *c, const struct fix_file *f);

/* What the store holds of a change. Strings are owned. */
struct fix_stored {
	int64_t id;
	int gone;    /* status 'gone' */
	int merged;  /* -1: not a pull request, or unknown */
	char *etag;  /* NULL when none */
	char *pulls; /* a closing commit's pulls (JSON array of numbers); NULL: not looked up */
	char *pulls_etag;
	int64_t checked_run; /* the fixes run that last stored or checked it */
};

void fix_stored_release(struct fix_stored *st);

/* The stored change of key into *out; *found 0 when there is none. */
int store_fix_find(struct store *s, const struct fix_key *key, struct fix_stored *out, int *found,
                   struct error *err);

/*
 * Stores c (status 'stored') with its files, replacing what was stored of
 * it; *id gets its id. run marks it as checked by that run.
 */
int store_fix_put(struct store *s, const struct fix_change *c, int64_t run, int64_t *id,
                  struct error *err);

/*
 * Records that GitHub answered http_status (404, 410, 422, 451) for key:
 * status 'gone', keeping whatever was stored of it before. *id gets its id.
 */
int store_fix_put_gone(struct store *s, const struct fix_key *key, long http_status, int64_t run,
                       int64_t *id, struct error *err);

/* Notes that change id was found unchanged (a 304) by run. */
int store_fix_touch(struct store *s, int64_t id, int64_t run, struct error *err);

/* Keeps a closing commit's pulls (a JSON array of numbers) and the answer's ETag. */
int store_fix_set_pulls(struct store *s, int64_t id, const char *pulls, const char *etag,
                        struct error *err);

/* A number no earlier run of fixes fetch used, to mark what this run checked. */
int store_fix_next_run(struct store *s, int64_t *run, struct error *err);

/* One link of an issue to a change. */
struct fix_link {
	int64_t change_id;
	const char *role; /* "fix" or "linked" (static) */
	const char
	        *via; /* "closed", "referenced", "cross-referenced", "merged-from", ... (static) */
};

/*
 * Replaces issue_id's links made through api ("rest", "graphql") with links, and
 * marks the issue resolved with connected unresolvable connected events.
 */
int store_fix_link_issue(struct store *s, int64_t issue_id, const char *api,
                         const struct fix_link *links, size_t n, long connected, struct error *err);

/* Removes issue_id's links made through api. */
int store_fix_unlink(struct store *s, int64_t issue_id, const char *api, struct error *err);

/* How many links of issue_id api made, into *n. */
int store_fix_link_count(struct store *s, int64_t issue_id, const char *api, int64_t *n,
                         struct error *err);

/*
 * Sets *same when issue_id is resolved with exactly links (in any order) of
 * api and connected: writing them again would change nothing.
 */
int store_fix_links_equal(struct store *s, int64_t issue_id, const char *api,
                          const struct fix_link *links, size_t n, long connected, int *same,
                          struct error *err);

/* --- reading --- */

/* One link of an issue of a set, or an issue with no links. Strings are borrowed. */
struct fix_row {
	const char *issue_repo;
	int64_t issue_number, issue_id;
	int resolved;      /* the issue's fixes were resolved (fix_state) */
	long connected;    /* its connected events */
	int64_t change_id; /* 0: the issue has no links (the fields below are unset) */
	const char *role, *via, *kind, *repo, *sha, *status, *title, *state, *merged_at, *url;
	const char *created_at, *committed_at, *author;
	int64_t number;
	long http_status;
	int merged; /* -1 unknown */
	int64_t additions, deletions, file_count, files_stored;
	int truncated;
};

typedef int (*fix_row_fn)(void *data, const struct fix_row *row, struct error *err);

/*
 * Calls fn for each link of each member of set set_id, in the set's order
 * (fixes first, then linked changes), and once with change_id 0 for a member
 * without links. A non-zero return from fn stops and is returned.
 */
int store_fix_rows_of_set(struct store *s, int64_t set_id, fix_row_fn fn, void *data,
                          struct error *err);

/* The same for one issue. */
int store_fix_rows_of_issue(struct store *s, int64_t issue_id, fix_row_fn fn, void *data,
                            struct error *err);

/* A stored file of a change. Strings are borrowed. */
struct fix_file_row {
	int64_t position;
	const char *path, *previous_path, *status, *patch;
	int has_patch;
	int64_t additions, deletions;
};

typedef int (*fix_file_fn)(void *data, const struct fix_file_row *f, struct error *err);

/* Calls fn for each file of change_id in GitHub's order. */
int store_fix_files(struct store *s, int64_t change_id, fix_file_fn fn, void *data,
                    struct error *err);

typedef int (*fix_path_fn)(void *data, const char *path, const char *previous_path,
                           struct error *err);

/*
 * The files the fixes of issue_id (role 'fix', not linked changes) changed:
 * fn once per distinct path (with its previous path, for a rename; strings
 * borrowed), in path order. *resolved is set when the issue's fixes were
 * resolved at all (fix_state): without that there is nothing to say.
 */
int store_fix_paths_of_issue(struct store *s, int64_t issue_id, int *resolved, fix_path_fn fn,
                             void *data, struct error *err);

#endif
