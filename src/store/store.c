/*
 * store.c - opening, migrating and transacting on the database (see store.h).
 */
#include "store.h"
#include "schema.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Long enough for a rater to wait out another's write or a fetch's commit. */
#define STORE_BUSY_TIMEOUT_MS 60000

struct store_stmt_cache {
	struct cached_stmt {
		const char *sql;
		sqlite3_stmt *stmt;
	} * items;
	size_t nr, alloc;
};

const char *store_default_path(void)
{
	const char *env = getenv("ISSUEMINE_DB");
	return (env && *env) ? env : "issuemine.db";
}

int store_error(struct store *s, struct error *err, const char *what)
{
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "out of memory";
	if (what)
		return error_set(err, "%s: %s: %s", s->path, what, msg);
	return error_set(err, "%s: %s", s->path, msg);
}

int store_exec(struct store *s, const char *sql, struct error *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	return 0;
}

static int pragma_int(struct store *s, const char *sql, int *out, struct error *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int store_user_version(struct store *s)
{
	int v = 0;
	pragma_int(s, "PRAGMA user_version", &v, NULL);
	return v;
}

/* Reads the schema version, application id and table count from one snapshot. */
static int read_header(struct store *s, int *version, int *app_id, int *tables, struct error *err)
{
	sqlite3_stmt *st;
	/* One statement, so a database another process is creating is seen whole or empty. */
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT (SELECT user_version FROM pragma_user_version), "
	                       "(SELECT application_id FROM pragma_application_id), "
	                       "(SELECT count(*) FROM sqlite_schema)",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		*app_id = sqlite3_column_int(st, 1);
		*tables = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, err, NULL);
}

/* Reads the schema once; returns 0, or -1 leaving SQLite's error on the connection. */
static int read_header_probe(struct store *s)
{
	return sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) ==
	                       SQLITE_OK
	               ? 0
	               : -1;
}

/* Refuses files that are not ours, or are ours but newer than this build. */
static int check_ownership(struct store *s, struct error *err)
{
	int version = 0, app_id = 0, tables = 0;
	if (read_header(s, &version, &app_id, &tables, err))
		return -1;
	if (app_id != 0 && app_id != SCHEMA_APPLICATION_ID)
		return error_set(err, "%s: not an issuemine database (application id %#x)", s->path,
		                 (unsigned)app_id);
	if (app_id == 0 && tables > 0)
		return error_set(err,
		                 "%s: not an issuemine database (it has tables of another "
		                 "program)",
		                 s->path);
	if (version > schema_version)
		return error_set(err,
		                 "%s: database schema version %d is newer than this issuemine "
		                 "supports (%d); upgrade issuemine to use it",
		                 s->path, version, schema_version);
	return 0;
}

static int migrate(struct store *s, struct error *err)
{
	if (store_begin(s, err))
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	int version = store_user_version(s);
	if (check_ownership(s, err))
		goto fail;
	for (int v = version; v < schema_version; v++) {
		for (const char *const *sql = schema_migrations[v]; *sql; sql++) {
			if (sqlite3_exec(s->db, *sql, NULL, NULL, NULL) != SQLITE_OK) {
				store_error(s, err, "migration failed");
				goto fail;
			}
		}
	}
	if (version < schema_version) {
		char sql[96];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA application_id = %d",
		         schema_version, SCHEMA_APPLICATION_ID);
		if (store_exec(s, sql, err))
			goto fail;
	}
	return store_commit(s, err);
fail:
	store_rollback(s);
	return -1;
}

/* A "file:" URI for path (SQLite's URI rules: '%', '?' and '#' are escaped). */
static char *file_uri(const char *path, const char *params)
{
	struct strbuf sb = STRBUF_INIT;
	/* "file:///abs" has an empty authority; "file:rel" is relative. */
	strbuf_adds(&sb, path[0] == '/' ? "file://" : "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addf(&sb, "?%s", params);
	return strbuf_detach(&sb, NULL);
}

/* The directory path is in ("." for a bare name); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* True if this process may write path (errno says why not). */
static int writable(const char *path)
{
	return access(path, W_OK) == 0;
}

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* True if path exists and holds at least a byte. */
static int nonempty(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && sb.st_size > 0;
}

/*
 * The one line for a WAL database whose log holds changes but has no -shm
 * file, in a directory SQLite may not create one in: it cannot be read
 * without losing those changes (immutable would ignore the log).
 */
static int unreadable_log_error(struct store *s, const char *dir, struct error *err)
{
	return error_set(err,
	                 "%s: cannot be read here: its write-ahead log %s-wal holds changes, and "
	                 "SQLite needs a %s-shm file to read it, which it cannot create in %s; "
	                 "open it once as a user who may write there, or copy the database with "
	                 "its -wal file to a writable directory",
	                 s->path, s->path, s->path, dir);
}

/* Opens the database read-only, as an immutable file when immutable is set. */
static int open_ro_connection(struct store *s, int immutable, struct error *err)
{
	char *uri = file_uri(s->path, immutable ? "mode=ro&immutable=1" : "mode=ro");
	int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return store_error(s, err, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	return 0;
}

/* True when SQLite could not read for want of write access (to the -shm file). */
static int needs_write_access(struct store *s)
{
	int code = sqlite3_errcode(s->db) & 0xff;
	return code == SQLITE_READONLY || code == SQLITE_CANTOPEN;
}

/*
 * Reading a WAL database takes its -shm file, which SQLite creates next to
 * it when it is missing; without write access to the file or its directory
 * (a 0444 file, a directory of someone else's, a read-only mount) it cannot.
 * With no -wal file beside it (or an empty one), every committed change is
 * in the database file itself, so it is read as immutable then (no locks, no
 * -shm: a writer that starts while this one reads is not seen). With a log
 * the normal read-only way must serve, as it needs the log; it can when the
 * -shm file exists, even read-only (SQLite 3.22+), and cannot without one.
 */
static int open_readonly_connection(struct store *s, struct error *err)
{
	char *wal = xstrfmt("%s-wal", s->path), *shm = xstrfmt("%s-shm", s->path);
	char *dir = dir_of(s->path);
	int has_log = nonempty(wal);
	int immutable = !has_log && (!writable(s->path) || !writable(dir));
	int rc = open_ro_connection(s, immutable, err);
	/* With a log and a -shm file, whatever failed is not for want of write access. */
	if (!rc && !immutable && !(has_log && exists(shm)) && read_header_probe(s) &&
	    needs_write_access(s)) {
		sqlite3_close(s->db);
		s->db = NULL;
		rc = has_log ? unreadable_log_error(s, dir, err) : open_ro_connection(s, 1, err);
	}
	free(wal);
	free(shm);
	free(dir);
	return rc;
}

static int open_readonly(struct store *s, struct error *err)
{
	struct stat sb;
	if (stat(s->path, &sb) < 0)
		return error_set(err, "%s: %s (nothing fetched or imported yet?)", s->path,
		                 strerror(errno));
	if (open_readonly_connection(s, err))
		return -1;
	if (check_ownership(s, err))
		return -1;
	int version = store_user_version(s);
	if (version == 0)
		return error_set(err, "%s: empty database (nothing fetched or imported yet)",
		                 s->path);
	if (version < schema_version)
		return error_set(err,
		                 "%s: database schema version %d is older than this issuemine's "
		                 "(%d); any command that writes to it (import, fetch, code) "
		                 "upgrades it",
		                 s->path, version, schema_version);
	return store_exec(s, "PRAGMA query_only = 1", err);
}

/* What open_readwrite returns for a database that exists but cannot be written. */
#define STORE_DENIED (-2)

/*
 * Fills err with the one line a command that writes gets for a database it
 * cannot write: where, and why (the file, its directory, the file system).
 * Returns STORE_DENIED when the database cannot be written, else -1.
 */
static int readonly_error(struct store *s, struct error *err)
{
	char *dir = dir_of(s->path);
	int rc = STORE_DENIED;
	if (exists(s->path) && !writable(s->path))
		error_set(err,
		          "%s: the database is read-only (%s); commands that only read it work",
		          s->path, strerror(errno));
	else if (exists(s->path) && !writable(dir))
		error_set(err,
		          "%s: the database is read-only: its directory %s is not writable (%s), "
		          "and SQLite keeps its write-ahead log there; commands that only read it "
		          "work",
		          s->path, dir, strerror(errno));
	else
		rc = store_error(s, err, NULL);
	free(dir);
	return rc;
}

/*
 * Switching to WAL needs an exclusive lock, and SQLite does not call the busy
 * handler for it: two processes creating the same database at once would see
 * "database is locked". So wait here, as the busy timeout would.
 */
static int enter_wal_mode(struct store *s, struct error *err)
{
	const struct timespec pause = {0, 10 * 1000 * 1000};
	for (int waited_ms = 0;; waited_ms += 10) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= STORE_BUSY_TIMEOUT_MS)
			return store_error(s, err, NULL);
		nanosleep(&pause, NULL);
	}
}

/* Creating a database in a directory that cannot be written fails clearly. */
static int check_creatable(struct store *s, struct error *err)
{
	if (exists(s->path))
		return 0;
	char *dir = dir_of(s->path);
	int rc = 0;
	if (!writable(dir))
		rc = error_set(err, "%s: cannot create the database: directory %s: %s", s->path,
		               dir, strerror(errno));
	free(dir);
	return rc;
}

static int open_readwrite(struct store *s, struct error *err)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (check_creatable(s, err))
		return -1;
	if (sqlite3_open_v2(s->path, &s->db, flags, NULL) != SQLITE_OK)
		return store_error(s, err, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	/* SQLite opens a file it may not write read-only, and says so. */
	if (sqlite3_db_readonly(s->db, "main") == 1)
		return readonly_error(s, err);
	/* Check before anything writes: a refused file must stay byte-for-byte as it was. */
	if (check_ownership(s, err))
		return needs_write_access(s) ? readonly_error(s, err) : -1;
	if (enter_wal_mode(s, err) || store_exec(s, "PRAGMA synchronous = FULL", err))
		return needs_write_access(s) ? readonly_error(s, err) : -1;
	if (migrate(s, err))
		return needs_write_access(s) ? readonly_error(s, err) : -1;
	return 0;
}

int store_open(const char *path, enum store_mode mode, struct store **out, struct error *err)
{
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return error_set(err,
		                 "%s: is a directory, not a database file (e.g. --db "
		                 "%s%sissuemine.db)",
		                 path, path, path[strlen(path) - 1] == '/' ? "" : "/");
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->readonly = mode == STORE_READONLY;
	s->created = !s->readonly && stat(path, &sb) != 0 && errno == ENOENT;
	s->cache = xcalloc(1, sizeof(*s->cache));
	int rc = s->readonly ? open_readonly(s, err) : open_readwrite(s, err);
	if (rc == STORE_DENIED && mode == STORE_PREFER_READWRITE) {
		sqlite3_close(s->db);
		s->db = NULL;
		s->readonly = 1;
		rc = open_readonly(s, err);
	}
	if (!rc)
		rc = store_exec(s, "PRAGMA foreign_keys = ON", err);
	if (rc) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cache->nr; i++)
		sqlite3_finalize(s->cache->items[i].stmt);
	free(s->cache->items);
	free(s->cache);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

void store_close_failed(struct store *s)
{
	int blank = 0;
	struct error err;
	if (!s || !s->created || store_is_blank(s, &blank, &err) || !blank) {
		store_close(s);
		return;
	}
	char *path = xstrdup(s->path);
	store_close(s);
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *file = xstrfmt("%s%s", path, suffixes[i]);
		unlink(file);
		free(file);
	}
	free(path);
}

int store_begin(struct store *s, struct error *err)
{
	return store_exec(s, "BEGIN IMMEDIATE", err);
}

int store_commit(struct store *s, struct error *err)
{
	if (store_exec(s, "COMMIT", err)) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct error *err)
{
	struct store_stmt_cache *c = s->cache;
	for (size_t i = 0; i < c->nr; i++) {
		if (c->items[i].sql == sql || !strcmp(c->items[i].sql, sql)) {
			sqlite3_stmt *st = c->items[i].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_error(s, err, NULL);
		return NULL;
	}
	xgrow((void **)&c->items, &c->alloc, c->nr + 1, sizeof(*c->items));
	c->items[c->nr].sql = sql;
	c->items[c->nr].stmt = st;
	c->nr++;
	return st;
}

int store_step_done(struct store *s, sqlite3_stmt *st, struct error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(s, err, NULL);
	return 0;
}

char *store_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *text = sqlite3_column_text(st, col);
	return text ? xstrdup((const char *)text) : NULL;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int store_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out, int *found, struct error *err)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (found)
		*found = rc == SQLITE_ROW;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

int store_repo_id(struct store *s, const char *full_name, int create, int64_t *id,
                  struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM repositories WHERE full_name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, full_name);
	if (store_step_int64(s, st, id, NULL, err))
		return -1;
	if (*id || !create)
		return 0;
	const char *slash = strchr(full_name, '/');
	if (!slash)
		return error_set(err, "%s: not a repository name (owner/name expected)", full_name);
	st = store_stmt(s, "INSERT INTO repositories (owner, name, full_name) VALUES (?, ?, ?)",
	                err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, full_name, (int)(slash - full_name), SQLITE_TRANSIENT);
	store_bind_text(st, 2, slash + 1);
	store_bind_text(st, 3, full_name);
	if (store_step_done(s, st, err))
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int store_issue_id(struct store *s, const char *repo, int64_t number, int64_t *id,
                   struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT i.id FROM issues i JOIN repositories r ON r.id = "
	                              "i.repo_id WHERE r.full_name = ? AND i.number = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, repo);
	sqlite3_bind_int64(st, 2, number);
	return store_step_int64(s, st, id, NULL, err);
}
