/*
 * store.h - the SQLite database that holds everything issuemine knows.
 *
 * One file (./issuemine.db unless --db or $ISSUEMINE_DB say otherwise), in WAL
 * mode with foreign keys on and a busy timeout, so that two raters' processes
 * can share it. store_open() creates and migrates it; a database written by a
 * newer issuemine, or a SQLite file of some other program, is refused and left
 * untouched.
 *
 * Writers wrap their work in store_begin()/store_commit(): a transaction is
 * taken with BEGIN IMMEDIATE so that two writers queue on the busy timeout
 * instead of failing with "database is locked".
 *
 * store_issues.c adds the writes of GitHub data: an issue with its labels, and
 * an issue's timeline.
 */
#ifndef ISSUEMINE_STORE_H
#define ISSUEMINE_STORE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "error.h"

/*
 * A command that only reads opens the database STORE_READONLY, so that it
 * works on a database it may not write (a 0444 file, a directory of someone
 * else's, a read-only mount); one that writes gets a one-line error naming
 * the database and why it is read-only.
 */
enum store_mode {
	STORE_READWRITE,        /* create and migrate as needed */
	STORE_READONLY,         /* the file must exist; nothing is ever written */
	STORE_PREFER_READWRITE, /* read-write, or read-only (s->readonly) if it cannot be written */
};

struct store_stmt_cache;

struct store {
	sqlite3 *db;
	char *path;
	int readonly;
	int created; /* this open made the file (see store_close_failed) */
	struct store_stmt_cache *cache;
};

/* The path used when no --db is given: $ISSUEMINE_DB, else "issuemine.db". */
const char *store_default_path(void);

/* Opens (creating and migrating in STORE_READWRITE mode) the database at path. */
int store_open(const char *path, enum store_mode mode, struct store **out, struct error *err);
void store_close(struct store *s);

/*
 * Closes s for a command that failed: a database file this open created and
 * that still holds no row of anything is removed with its -wal, -shm and
 * -journal, so a failed command leaves no new file behind. Only for failure
 * paths: a blank database a command succeeded on is the user's to keep.
 */
void store_close_failed(struct store *s);

/* Fills err with "path: <SQLite's message>" (with what in between when given); returns -1. */
int store_error(struct store *s, struct error *err, const char *what);

int store_begin(struct store *s, struct error *err); /* BEGIN IMMEDIATE */
int store_commit(struct store *s, struct error *err);
void store_rollback(struct store *s); /* safe to call when no transaction is open */

/* Runs SQL without results (may hold several statements). */
int store_exec(struct store *s, const char *sql, struct error *err);

/*
 * A prepared statement for sql, cached for the store's lifetime (borrowed:
 * do not finalize). It comes reset, with its bindings cleared. sql should be
 * a string literal; the cache is keyed on its text.
 */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct error *err);

/* Runs a cached statement that returns no rows (after binding); returns 0 or -1. */
int store_step_done(struct store *s, sqlite3_stmt *st, struct error *err);

/*
 * Steps a cached statement that yields at most one row and reads its first
 * column as an integer into *out (0 when there is no row; *found, if given,
 * says which). Resets the statement. Returns 0 or -1.
 */
int store_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out, int *found,
                     struct error *err);

/* A copy of a text column (caller frees), or NULL for SQL NULL. */
char *store_column_dup(sqlite3_stmt *st, int col);

/* Binds text (NULL binds NULL). */
void store_bind_text(sqlite3_stmt *st, int i, const char *text);

/* The id of repository "owner/name", creating the row if create is set; 0 with no error if absent.
 */
int store_repo_id(struct store *s, const char *full_name, int create, int64_t *id,
                  struct error *err);

/* The id of issue number in repo "owner/name", or 0 with no error if it is not stored. */
int store_issue_id(struct store *s, const char *repo, int64_t number, int64_t *id,
                   struct error *err);

/* The schema version of the open database (PRAGMA user_version). */
int store_user_version(struct store *s);

/* --- store_issues.c --- */

enum store_upsert_result {
	STORE_ISSUE_NEW,
	STORE_ISSUE_UPDATED,
	STORE_ISSUE_UNCHANGED,
};

/*
 * True when a GitHub issue object (or a cross-reference's source issue) is a
 * pull request: it has a "pull_request" member that is not null and, if an
 * object with URL members (url, html_url, diff_url, patch_url), not all of
 * them null (GitHub's older API put such an object on plain issues).
 */
int store_is_pull_request(json_t *obj);

/* Flags of store_upsert_issue. */
#define STORE_UPSERT_FORCE 1 /* rewrite even when updated_at did not move */

/*
 * Stores a GitHub issue object (the REST API's shape) under repository
 * repo_id, with its labels. An existing row is replaced only when the
 * object's updated_at is newer than the stored one (or the stored row is a
 * minimal one, or STORE_UPSERT_FORCE is given). A "timeline" member, if any,
 * is not stored here: see store_replace_timeline. Must run in a transaction.
 */
int store_upsert_issue(struct store *s, int64_t repo_id, json_t *issue, int flags,
                       int64_t *issue_id, enum store_upsert_result *result, struct error *err);

/*
 * Replaces issue_id's timeline with events, an array of GitHub timeline
 * event objects in timeline order. Extracts the columns the filters need
 * (type, time, actor, commit id, cross-reference source) and keeps each raw
 * object. Must run in a transaction.
 */
int store_replace_timeline(struct store *s, int64_t issue_id, json_t *events, struct error *err);

/* How many timeline events issue_id has stored, into *n. */
int store_event_count(struct store *s, int64_t issue_id, int64_t *n, struct error *err);

/*
 * *blank is set when no table of the database holds a row: a file a failed
 * command created can then go without losing anything.
 */
int store_is_blank(struct store *s, int *blank, struct error *err);

/* Appends events at positions first, first+1, ... without deleting (for paged fetches). */
int store_append_events(struct store *s, int64_t issue_id, json_t *events, int64_t first,
                        struct error *err);

/*
 * The API an object came from: the columns are always extracted from a
 * REST-shaped object, but raw keeps what GitHub sent, whose shape depends on
 * the API (issues.api and events.api record which).
 */
enum store_api {
	STORE_API_REST,
	STORE_API_GRAPHQL,
};

/*
 * store_upsert_issue with the raw object given apart: issue is the REST-shaped
 * object the columns are extracted from (for GraphQL, graphql_issue_to_rest's
 * translation), raw the object GitHub sent (borrowed; NULL: issue itself).
 * raw is stored without its "timeline" (REST) or "timelineItems" (GraphQL).
 */
int store_upsert_issue_raw(struct store *s, int64_t repo_id, json_t *issue, json_t *raw,
                           enum store_api api, int flags, int64_t *issue_id,
                           enum store_upsert_result *result, struct error *err);

/*
 * store_append_events and store_replace_timeline with raw objects: events are
 * REST-shaped (the columns come from them), raws (NULL: events themselves)
 * an array of as many objects as GitHub sent them, in the same order.
 */
int store_append_events_raw(struct store *s, int64_t issue_id, json_t *events, json_t *raws,
                            int64_t first, enum store_api api, struct error *err);
int store_replace_timeline_raw(struct store *s, int64_t issue_id, json_t *events, json_t *raws,
                               enum store_api api, struct error *err);

#endif
