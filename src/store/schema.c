/*
 * schema.c - the database schema, as a list of migrations.
 *
 * schema_migrations[i], a NULL-terminated list of statements, takes a
 * database from user_version i to i + 1. A new
 * release that changes the schema appends a migration; it never edits one that
 * has shipped. store_open() runs the missing ones in a single transaction and
 * refuses a database whose user_version is beyond the last one here.
 *
 * Conventions: times are TEXT in "YYYY-MM-DDTHH:MM:SSZ" (see timeutil.h); raw
 * JSON is kept as GitHub sent it so new predicates never need a refetch; names
 * that GitHub treats case-insensitively (repositories, labels) use NOCASE.
 * docs/schema.md describes every table for users of "issuemine sql".
 */
#include "schema.h"

#include <stddef.h>

static const char *const migration_1[] = {
        /* --- what GitHub holds --- */
        "CREATE TABLE repositories (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  owner TEXT NOT NULL,\n"
        "  name TEXT NOT NULL,\n"
        "  full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,\n" /* "owner/name" */
        "  last_fetch_at TEXT\n"                             /* end of the last complete fetch */
        ")",
        "CREATE TABLE issues (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  repo_id INTEGER NOT NULL REFERENCES repositories(id),\n"
        "  number INTEGER NOT NULL,\n"
        "  github_id INTEGER,\n"
        "  title TEXT NOT NULL DEFAULT '',\n"
        "  body TEXT,\n"
        "  state TEXT CHECK (state IN ('open', 'closed')),\n" /* NULL: a minimal row, unknown */
        "  state_reason TEXT,\n"
        "  author TEXT,\n"
        "  created_at TEXT,\n"
        "  updated_at TEXT,\n"
        "  closed_at TEXT,\n"
        "  is_pull_request INTEGER NOT NULL DEFAULT 0 CHECK (is_pull_request IN (0, 1)),\n"
        "  comment_count INTEGER,\n" /* GitHub's "comments" field */
        "  html_url TEXT,\n"
        "  raw TEXT,\n" /* the issue object as GitHub sent it; NULL for minimal rows */
        "  stored_at TEXT NOT NULL,\n"
        "  UNIQUE (repo_id, number)\n"
        ")",
        "CREATE INDEX issues_created ON issues(created_at)",
        "CREATE INDEX issues_closed ON issues(closed_at)",
        "CREATE INDEX issues_updated ON issues(updated_at)",
        "CREATE INDEX issues_author ON issues(author)",
        "CREATE TABLE labels (\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,\n"
        "  name TEXT NOT NULL COLLATE NOCASE,\n"
        "  PRIMARY KEY (issue_id, name)\n"
        ") WITHOUT ROWID",
        "CREATE INDEX labels_name ON labels(name, issue_id)",
        "CREATE TABLE events (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,\n"
        "  position INTEGER NOT NULL,\n" /* 0-based order in the timeline */
        "  event TEXT NOT NULL,\n"       /* "commented", "closed", "cross-referenced", ... */
        "  github_id INTEGER,\n"
        "  created_at TEXT,\n"
        "  actor TEXT,\n"                      /* actor.login, or user.login for comments */
        "  commit_id TEXT,\n"                  /* closed/referenced/committed */
        "  body TEXT,\n"                       /* comment and review bodies */
        "  source_repo TEXT COLLATE NOCASE,\n" /* cross-referenced: source issue's owner/name */
        "  source_number INTEGER,\n"
        "  source_state TEXT,\n"
        "  source_is_pr INTEGER,\n"
        "  source_title TEXT,\n"
        "  raw TEXT NOT NULL,\n"
        "  UNIQUE (issue_id, position)\n"
        ")",
        "CREATE INDEX events_issue_event ON events(issue_id, event)",
        "CREATE INDEX events_event ON events(event)",
        /* --- what the fetcher remembers between runs (see fetch.c) --- */
        "CREATE TABLE fetch_queries (\n" /* one row per search a fetch ran */
        "  id INTEGER PRIMARY KEY,\n"
        "  api_url TEXT NOT NULL,\n"
        "  query TEXT NOT NULL,\n" /* the search query, without date windows */
        "  repo_id INTEGER NOT NULL REFERENCES repositories(id),\n"
        "  started_at TEXT,\n"       /* start of the run in progress, NULL when none */
        "  state TEXT,\n"            /* JSON: listing progress of the run in progress */
        "  last_complete_at TEXT,\n" /* start of the last run that finished */
        "  UNIQUE (api_url, query)\n"
        ")",
        "CREATE TABLE fetch_pending (\n" /* issues a run listed whose timeline is not stored yet */
        "  query_id INTEGER NOT NULL REFERENCES fetch_queries(id) ON DELETE CASCADE,\n"
        "  number INTEGER NOT NULL,\n"
        "  item TEXT NOT NULL,\n" /* the issue object the search returned */
        "  PRIMARY KEY (query_id, number)\n"
        ")",
        "CREATE TABLE timeline_state (\n" /* one row per issue whose timeline fetch stored */
        "  issue_id INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,\n"
        "  issue_updated_at TEXT,\n" /* the updated_at when the timeline was stored */
        "  pages TEXT NOT NULL DEFAULT '[]',\n" /* JSON: [{"etag": ..., "events": N}] per page */
        "  event_count INTEGER NOT NULL DEFAULT 0,\n"
        "  stored_at TEXT NOT NULL\n"
        ")",
        /* --- named issue sets: filter results and samples --- */
        "CREATE TABLE sets (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  name TEXT NOT NULL UNIQUE,\n"
        "  kind TEXT NOT NULL CHECK (kind IN ('filter', 'sample', 'manual')),\n"
        "  origin TEXT,\n" /* the query text, or a description of the draw */
        "  parent_id INTEGER REFERENCES sets(id),\n" /* a sample's source set */
        "  seed INTEGER,\n"
        "  created_at TEXT NOT NULL\n"
        ")",
        "CREATE TABLE set_members (\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  position INTEGER NOT NULL,\n" /* order of the set (draw order for samples) */
        "  PRIMARY KEY (set_id, issue_id)\n"
        ") WITHOUT ROWID",
        "CREATE INDEX set_members_issue ON set_members(issue_id)",
        /* --- taxonomies: what raters code against --- */
        "CREATE TABLE taxonomies (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  name TEXT NOT NULL UNIQUE,\n"
        "  title TEXT,\n"
        "  description TEXT,\n"
        "  source TEXT,\n" /* file it was loaded from, or "builtin" */
        "  loaded_at TEXT NOT NULL\n"
        ")",
        "CREATE TABLE dimensions (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  taxonomy_id INTEGER NOT NULL REFERENCES taxonomies(id) ON DELETE CASCADE,\n"
        "  key TEXT NOT NULL,\n"
        "  name TEXT NOT NULL,\n"
        "  description TEXT,\n"
        "  subcategories TEXT NOT NULL DEFAULT 'absent'\n"
        "    CHECK (subcategories IN ('required', 'optional', 'absent')),\n"
        "  position INTEGER NOT NULL,\n"
        "  UNIQUE (taxonomy_id, key)\n"
        ")",
        "CREATE TABLE categories (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  dimension_id INTEGER NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,\n"
        "  parent_id INTEGER REFERENCES categories(id),\n" /* NULL for a top-level category */
        "  key TEXT NOT NULL,\n"
        "  name TEXT NOT NULL,\n"
        "  definition TEXT NOT NULL DEFAULT '',\n"
        "  aliases TEXT NOT NULL DEFAULT '[]',\n" /* JSON array of other accepted names */
        "  position INTEGER NOT NULL,\n"
        "  UNIQUE (dimension_id, key)\n"
        ")",
        "CREATE INDEX categories_parent ON categories(parent_id)",
        /* --- coding: who said what about which issue, and when --- */
        "CREATE TABLE raters (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  name TEXT NOT NULL UNIQUE,\n"
        "  created_at TEXT NOT NULL\n"
        ")",
        "CREATE TABLE codes (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id),\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  dimension_id INTEGER NOT NULL REFERENCES dimensions(id),\n"
        "  category_id INTEGER NOT NULL REFERENCES categories(id),\n" /* top-level */
        "  subcategory_id INTEGER REFERENCES categories(id),\n"       /* child of category */
        "  coded_at TEXT NOT NULL,\n"
        "  UNIQUE (set_id, issue_id, rater_id, dimension_id)\n"
        ")",
        "CREATE INDEX codes_rater ON codes(set_id, rater_id)",
        "CREATE INDEX codes_category ON codes(category_id)",
        "CREATE INDEX codes_subcategory ON codes(subcategory_id)",
        "CREATE TABLE notes (\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id),\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  note TEXT NOT NULL,\n"
        "  noted_at TEXT NOT NULL,\n"
        "  PRIMARY KEY (set_id, issue_id, rater_id)\n"
        ")",
        "CREATE TABLE code_log (\n" /* every change to codes and notes, append-only */
        "  id INTEGER PRIMARY KEY,\n"
        "  set_id INTEGER NOT NULL,\n"
        "  issue_id INTEGER NOT NULL,\n"
        "  rater_id INTEGER NOT NULL,\n"
        "  dimension_id INTEGER,\n" /* NULL for a note */
        "  category_id INTEGER,\n"  /* NULL when a code was cleared */
        "  subcategory_id INTEGER,\n"
        "  note TEXT,\n"
        "  origin TEXT NOT NULL,\n" /* "label", "code", "import", "reconcile" */
        "  at TEXT NOT NULL\n"
        ")",
        /* --- release series for the release correlation --- */
        "CREATE TABLE release_series (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  name TEXT NOT NULL UNIQUE,\n"
        "  source TEXT,\n"
        "  loaded_at TEXT NOT NULL\n"
        ")",
        "CREATE TABLE releases (\n"
        "  series_id INTEGER NOT NULL REFERENCES release_series(id) ON DELETE CASCADE,\n"
        "  version TEXT NOT NULL,\n"
        "  date TEXT NOT NULL,\n" /* "YYYY-MM-DD" */
        "  added INTEGER NOT NULL,\n"
        "  updated INTEGER NOT NULL,\n"
        "  position INTEGER NOT NULL,\n"
        "  PRIMARY KEY (series_id, version)\n"
        ")",
        NULL,
};

/* Study settings ("issuemine config"): git-config style keys, see settings.h. */
static const char *const migration_settings[] = {
        "CREATE TABLE settings (\n"
        "  key TEXT PRIMARY KEY COLLATE NOCASE,\n" /* "report.rater", "report.name.o/r" */
        "  value TEXT NOT NULL,\n"                 /* as validated and normalised */
        "  set_at TEXT NOT NULL\n"
        ")",
        NULL,
};

/*
 * Issues and events fetched through the GraphQL API keep the object GraphQL
 * sent as raw, so raw's shape depends on the API: api says which ("rest" for
 * everything stored before, and for imports, whose dumps are REST-shaped).
 */
static const char *const migration_api[] = {
        "ALTER TABLE issues ADD COLUMN api TEXT NOT NULL DEFAULT 'rest' "
        "CHECK (api IN ('rest', 'graphql'))",
        "ALTER TABLE events ADD COLUMN api TEXT NOT NULL DEFAULT 'rest' "
        "CHECK (api IN ('rest', 'graphql'))",
        NULL,
};

/*
 * Fix evidence (issuemine fixes fetch, see fixes.h): the commits and pull
 * requests an issue's timeline points at, their changed files, and which
 * issue each one fixes or is linked to. A change is stored once however many
 * issues point at it; REST and GraphQL fill the same rows, told apart by
 * api (as issues and events are).
 */
static const char *const migration_fixes[] = {
        "CREATE TABLE fix_changes (\n" /* one pull request or commit */
        "  id INTEGER PRIMARY KEY,\n"
        "  kind TEXT NOT NULL CHECK (kind IN ('pr', 'commit')),\n"
        "  repo TEXT NOT NULL COLLATE NOCASE,\n" /* owner/name it lives in (may be a fork) */
        "  number INTEGER,\n"                    /* a pull request's number */
        "  sha TEXT,\n"                          /* a commit's sha; a pull request's head */
        "  status TEXT NOT NULL CHECK (status IN ('stored', 'gone')),\n"
        "  http_status INTEGER,\n" /* gone: what GitHub answered (404, 410, 422, 451) */
        "  title TEXT,\n"          /* the pull request's title, the message's first line */
        "  body TEXT,\n"           /* the pull request's body, the whole commit message */
        "  author TEXT,\n"
        "  state TEXT,\n"                              /* pull request: open or closed */
        "  merged INTEGER CHECK (merged IN (0, 1)),\n" /* pull request */
        "  merged_at TEXT,\n"
        "  merge_commit_sha TEXT,\n"
        "  created_at TEXT,\n"   /* pull request opened; commit authored */
        "  committed_at TEXT,\n" /* commit */
        "  url TEXT,\n"          /* html_url */
        "  additions INTEGER,\n"
        "  deletions INTEGER,\n"
        "  file_count INTEGER,\n"                      /* files changed, as GitHub counts them */
        "  files_stored INTEGER NOT NULL DEFAULT 0,\n" /* rows in fix_files */
        "  truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),\n"
        "  raw TEXT,\n" /* the object as GitHub sent it, without its files */
        "  api TEXT NOT NULL DEFAULT 'rest' CHECK (api IN ('rest', 'graphql')),\n"
        "  etag TEXT,\n"  /* of the commit's first page or of the pull request */
        "  pulls TEXT,\n" /* closing commit: JSON numbers of the pulls it came from */
        "  pulls_etag TEXT,\n"
        "  fetched_at TEXT NOT NULL,\n" /* stored, or found unchanged, last */
        "  checked_run INTEGER,\n"      /* the fixes fetch run that did so */
        "  CHECK ((kind = 'pr') = (number IS NOT NULL)),\n"
        "  CHECK (kind = 'pr' OR sha IS NOT NULL)\n"
        ")",
        "CREATE UNIQUE INDEX fix_changes_pr ON fix_changes(repo, number) WHERE kind = 'pr'",
        "CREATE UNIQUE INDEX fix_changes_commit ON fix_changes(repo, sha) WHERE kind = 'commit'",
        "CREATE TABLE fix_files (\n" /* the files a change touches, in GitHub's order */
        "  change_id INTEGER NOT NULL REFERENCES fix_changes(id) ON DELETE CASCADE,\n"
        "  position INTEGER NOT NULL,\n"
        "  path TEXT NOT NULL,\n"
        "  previous_path TEXT,\n" /* renamed and copied files */
        "  status TEXT,\n"        /* added, removed, modified, renamed, copied, changed */
        "  additions INTEGER,\n"
        "  deletions INTEGER,\n"
        "  patch TEXT,\n" /* the diff GitHub sent; NULL when it sent none */
        "  has_patch INTEGER NOT NULL CHECK (has_patch IN (0, 1)),\n"
        "  UNIQUE (change_id, position)\n"
        ")",
        "CREATE TABLE fixes (\n" /* which changes fix, or are linked to, which issue */
        "  issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,\n"
        "  change_id INTEGER NOT NULL REFERENCES fix_changes(id),\n"
        "  role TEXT NOT NULL CHECK (role IN ('fix', 'linked')),\n"
        "  via TEXT NOT NULL,\n" /* closed, referenced, cross-referenced, merged-from, ... */
        "  api TEXT NOT NULL DEFAULT 'rest' CHECK (api IN ('rest', 'graphql')),\n"
        "  PRIMARY KEY (issue_id, change_id)\n"
        ") WITHOUT ROWID",
        "CREATE INDEX fixes_change ON fixes(change_id)",
        "CREATE TABLE fix_state (\n" /* issues whose fixes were resolved */
        "  issue_id INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,\n"
        "  resolved_at TEXT NOT NULL,\n"
        "  connected INTEGER NOT NULL DEFAULT 0\n" /* connected events REST cannot resolve */
        ")",
        "CREATE VIEW issue_fixes AS SELECT f.issue_id, f.role, f.via, f.api AS link_api, "
        "c.* FROM fixes f JOIN fix_changes c ON c.id = f.change_id",
        NULL,
};

/*
 * The coding workflow (issue 15): codebook versions, exclusion of issues that
 * are not failures, and how each sample was drawn (for --top-up).
 */
static const char *const migration_coding[] = {
        /* one row per load of a taxonomy that changed it: the codebook's history */
        "CREATE TABLE taxonomy_versions (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  taxonomy_id INTEGER NOT NULL REFERENCES taxonomies(id) ON DELETE CASCADE,\n"
        "  version INTEGER NOT NULL,\n"           /* 1, 2, ... per taxonomy */
        "  hash TEXT NOT NULL,\n"                 /* SHA-256 of content, hex */
        "  content TEXT NOT NULL,\n"              /* the taxonomy file, canonical JSON */
        "  changes TEXT NOT NULL DEFAULT '[]',\n" /* JSON: what changed since the previous */
        "  source TEXT,\n"
        "  loaded_at TEXT NOT NULL,\n"
        "  UNIQUE (taxonomy_id, version)\n"
        ")",
        /* the short list of reasons an issue may be excluded for, per taxonomy */
        "CREATE TABLE exclusion_reasons (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  taxonomy_id INTEGER NOT NULL REFERENCES taxonomies(id) ON DELETE CASCADE,\n"
        "  key TEXT NOT NULL,\n"
        "  name TEXT NOT NULL,\n"
        "  definition TEXT NOT NULL DEFAULT '',\n"
        "  position INTEGER NOT NULL,\n"
        "  UNIQUE (taxonomy_id, key)\n"
        ")",
        /* a rater's (or the adjudicator's) decision that an issue is not to be coded */
        "CREATE TABLE exclusions (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id),\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  reason_id INTEGER NOT NULL REFERENCES exclusion_reasons(id),\n"
        "  detail TEXT,\n" /* the rater's free text */
        "  version_id INTEGER REFERENCES taxonomy_versions(id),\n"
        "  excluded_at TEXT NOT NULL,\n"
        "  UNIQUE (set_id, issue_id, rater_id)\n"
        ")",
        "CREATE INDEX exclusions_rater ON exclusions(set_id, rater_id)",
        "CREATE INDEX exclusions_reason ON exclusions(reason_id)",
        /* the codebook version in force when a code was made (NULL: before versions) */
        "ALTER TABLE codes ADD COLUMN version_id INTEGER REFERENCES taxonomy_versions(id)",
        /* the log records exclusions too, and says what each row is */
        "ALTER TABLE code_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'code'",
        "UPDATE code_log SET kind = 'note' WHERE dimension_id IS NULL",
        "ALTER TABLE code_log ADD COLUMN reason_id INTEGER",
        "ALTER TABLE code_log ADD COLUMN detail TEXT",
        "ALTER TABLE code_log ADD COLUMN version_id INTEGER",
        "CREATE INDEX code_log_rater ON code_log(set_id, rater_id)",
        /* how a sample was drawn, so that --top-up can continue the same seeded order */
        "ALTER TABLE sets ADD COLUMN draw_mode TEXT "
        "CHECK (draw_mode IN ('total', 'per-repo', 'tranche'))",
        "ALTER TABLE sets ADD COLUMN draw_count INTEGER",
        /* samples drawn before: their origin text says both (see sample.c's describe) */
        "UPDATE sets SET draw_count = CAST(origin AS INTEGER), draw_mode = CASE "
        "WHEN origin LIKE '% per repository drawn %' THEN 'per-repo' "
        "WHEN origin LIKE '% (a tranche for a drift check) drawn %' THEN 'tranche' "
        "ELSE 'total' END WHERE kind = 'sample' AND seed IS NOT NULL AND origin LIKE '% drawn "
        "uniformly without replacement from %'",
        NULL,
};

/*
 * The fetcher: one run of a search at a time (a lease), and what each
 * search matched, so a refresh can tell the stored issues that stopped
 * matching (reopened, relabelled, transferred, deleted) from the rest.
 */
static const char *const migration_fetch[] = {
        "CREATE TABLE fetch_leases (\n" /* the run of a search in progress, one at a time */
        "  api_url TEXT NOT NULL,\n"
        "  query TEXT NOT NULL,\n"
        "  pid INTEGER NOT NULL,\n"
        "  host TEXT NOT NULL,\n"            /* the machine the run is on (gethostname) */
        "  nonce INTEGER NOT NULL,\n"        /* tells this run from a later one with the same pid */
        "  started_at INTEGER NOT NULL,\n"   /* epoch seconds, the real clock */
        "  heartbeat_at INTEGER NOT NULL,\n" /* epoch seconds, renewed while the run lives */
        "  PRIMARY KEY (api_url, query)\n"
        ")",
        "CREATE TABLE fetch_members (\n" /* the issues a search matched */
        "  query_id INTEGER NOT NULL REFERENCES fetch_queries(id) ON DELETE CASCADE,\n"
        "  number INTEGER NOT NULL,\n"
        "  seen_run TEXT,\n"   /* started_at of the last run that saw it match */
        "  stopped_at TEXT,\n" /* when a run found it no longer matches; NULL while it does */
        "  stopped_why TEXT CHECK (stopped_why IN ('changed', 'transferred', 'deleted')),\n"
        "  PRIMARY KEY (query_id, number)\n"
        ") WITHOUT ROWID",
        "ALTER TABLE issues ADD COLUMN gone TEXT CHECK (gone IN ('transferred', 'deleted'))",
        NULL,
};

/*
 * Replication packages (issuemine archive, see archive.h): a database cut
 * down to one study remembers what its source held but it does not, so that
 * the study's funnel (fetched, matched, sampled...) reads the same from it.
 * Empty in any other database.
 */
static const char *const migration_archive[] = {
        "CREATE TABLE archive_repositories (\n"
        "  repo_id INTEGER PRIMARY KEY REFERENCES repositories(id),\n"
        "  issues INTEGER NOT NULL\n" /* issues and pull requests the source held (not minimal) */
        ")",
        NULL,
};

/*
 * Suggestion rules (issue 14): globs over a fix's changed paths that point at
 * a category of a dimension, kept with the taxonomy in the file's order (the
 * first rule whose glob matches a file decides that file).
 */
static const char *const migration_rules[] = {
        "CREATE TABLE taxonomy_rules (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  taxonomy_id INTEGER NOT NULL REFERENCES taxonomies(id) ON DELETE CASCADE,\n"
        "  position INTEGER NOT NULL,\n" /* 0, 1, ... in the file's order */
        "  dimension_id INTEGER NOT NULL REFERENCES dimensions(id),\n"
        "  category_id INTEGER NOT NULL REFERENCES categories(id),\n" /* top-level */
        "  subcategory_id INTEGER REFERENCES categories(id),\n"       /* or NULL */
        "  paths TEXT NOT NULL,\n" /* JSON array of globs, as fix.path: reads them */
        "  match_all INTEGER NOT NULL DEFAULT 0 CHECK (match_all IN (0, 1)),\n"
        "  source TEXT,\n" /* where the rule comes from */
        "  UNIQUE (taxonomy_id, position)\n"
        ")",
        NULL,
};

/*
 * External raters (issue 17): each run of a command that codes a sample as
 * a rater, what the command answered for each issue (or how it failed), and
 * the confidence its answers gave their codes.
 */
static const char *const migration_raters[] = {
        "CREATE TABLE rater_runs (\n" /* one per "issuemine code --with COMMAND" */
        "  id INTEGER PRIMARY KEY,\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  command TEXT NOT NULL,\n"     /* as given to /bin/sh -c */
        "  protocol INTEGER NOT NULL,\n" /* the version of the document and the answer */
        "  jobs INTEGER NOT NULL,\n"
        "  timeout REAL NOT NULL,\n" /* seconds per issue */
        "  version_id INTEGER REFERENCES taxonomy_versions(id),\n"
        "  to_code INTEGER NOT NULL,\n" /* issues the run set out to code */
        "  coded INTEGER NOT NULL DEFAULT 0,\n"
        "  excluded INTEGER NOT NULL DEFAULT 0,\n"
        "  failed INTEGER NOT NULL DEFAULT 0,\n"
        "  started_at TEXT NOT NULL,\n"
        "  finished_at TEXT\n" /* NULL: still running, or stopped before the end */
        ")",
        "CREATE INDEX rater_runs_rater ON rater_runs(set_id, rater_id)",
        "CREATE TABLE rater_answers (\n" /* what one issue's command answered, or how it failed */
        "  id INTEGER PRIMARY KEY,\n"
        "  run_id INTEGER NOT NULL REFERENCES rater_runs(id) ON DELETE CASCADE,\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  status TEXT NOT NULL CHECK (status IN ('coded', 'excluded', 'failed', 'timeout', "
        "'invalid')),\n"
        "  reason TEXT,\n" /* what went wrong; NULL when the answer was stored */
        "  exit_status INTEGER,\n"
        "  signal INTEGER,\n"
        "  seconds REAL NOT NULL,\n"
        "  answer TEXT,\n"        /* standard output as written (at most 1 MiB) */
        "  stderr TEXT,\n"        /* the end of standard error */
        "  document_hash TEXT,\n" /* SHA-256 of the document the command read */
        "  answered_at TEXT NOT NULL\n"
        ")",
        "CREATE INDEX rater_answers_issue ON rater_answers(set_id, rater_id, issue_id)",
        "CREATE INDEX rater_answers_run ON rater_answers(run_id)",
        "CREATE TABLE code_confidence (\n" /* an answer's confidence in its code */
        "  set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,\n"
        "  issue_id INTEGER NOT NULL REFERENCES issues(id),\n"
        "  rater_id INTEGER NOT NULL REFERENCES raters(id),\n"
        "  dimension_id INTEGER NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,\n"
        "  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),\n"
        "  answer_id INTEGER REFERENCES rater_answers(id) ON DELETE SET NULL,\n"
        "  PRIMARY KEY (set_id, issue_id, rater_id, dimension_id)\n"
        ") WITHOUT ROWID",
        NULL,
};

/*
 * One "code --with" run at a time per rater and sample (lease.h): a second
 * run would ask the command about the same issues as the first.
 */
static const char *const migration_rater_leases[] = {
        "CREATE TABLE rater_leases (\n"
        "  set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,\n"
        "  rater TEXT NOT NULL,\n" /* the rater's name: a new rater has no id yet */
        "  pid INTEGER NOT NULL,\n"
        "  host TEXT NOT NULL,\n"
        "  nonce INTEGER NOT NULL,\n"
        "  started_at INTEGER NOT NULL,\n"   /* epoch seconds, the real clock */
        "  heartbeat_at INTEGER NOT NULL,\n" /* epoch seconds, renewed while the run lives */
        "  PRIMARY KEY (set_id, rater)\n"
        ")",
        NULL,
};

/* One migration a line, so that appends from branches do not clash. */
/* clang-format off */
const char *const *const schema_migrations[] = {
        migration_1,
        migration_settings,
        migration_api,
        migration_fixes,
        migration_coding,
        migration_fetch,
        migration_archive,
        migration_rules,
        migration_raters,
        migration_rater_leases,
};
/* clang-format on */

const int schema_version = (int)(sizeof(schema_migrations) / sizeof(schema_migrations[0]));
