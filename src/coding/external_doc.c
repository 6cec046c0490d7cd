/*
 * external_doc.c - the JSON document an external rater reads (see
 * external.h; the man page documents every member).
 *
 * Blindness is by construction: the only tables read here are issues,
 * labels, events, the fix tables and (through the taxonomy given) the
 * codebook. Codes, notes and exclusions are never read.
 *
 * The taxonomy part is the same for every issue of a run, so it is
 * serialised once and spliced into each document as text.
 */
#include "external.h"

#include "store_fixes.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct external_doc {
	const struct taxonomy *t;
	char *sample, *rater;
	char *taxonomy_json;
	int patches;
};

struct external_doc *external_doc_new(const struct taxonomy *t, const char *sample,
                                      const char *rater, int patches)
{
	struct external_doc *d = xcalloc(1, sizeof(*d));
	d->t = t;
	d->sample = xstrdup(sample);
	d->rater = xstrdup(rater);
	d->patches = patches;
	json_t *tax = tax_to_json(t);
	json_object_set_new(tax, "version", json_integer(t->version));
	json_object_set_new(tax, "hash", t->hash ? json_string(t->hash) : json_null());
	d->taxonomy_json = json_dumps(tax, JSON_COMPACT);
	json_decref(tax);
	return d;
}

void external_doc_free(struct external_doc *d)
{
	if (!d)
		return;
	free(d->sample);
	free(d->rater);
	free(d->taxonomy_json);
	free(d);
}

/* --- text from the database as JSON strings --- */

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80             ? 1
	             : (s[0] & 0xE0) == 0xC0 ? 2
	             : (s[0] & 0xF0) == 0xE0 ? 3
	             : (s[0] & 0xF8) == 0xF0 ? 4
	                                     : 0;
	if (!len || len > n || (len == 2 && s[0] < 0xC2) || (len == 4 && s[0] > 0xF4))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0; /* overlong, or a surrogate */
	if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return len;
}

/* A JSON string of text; bytes that are not UTF-8 become U+FFFD. NULL: null. */
static json_t *jtext(const char *text)
{
	if (!text)
		return json_null();
	json_t *j = json_string(text);
	if (j)
		return j;
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text);
	while (n) {
		size_t len = utf8_sequence(p, n);
		if (len)
			strbuf_add(&sb, p, len);
		else
			strbuf_adds(&sb, "\xEF\xBF\xBD");
		len = len ? len : 1;
		p += len;
		n -= len;
	}
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j ? j : json_string("");
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Sets key to the column's text, leaving it out when NULL. */
static void set_text(json_t *o, const char *key, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) != SQLITE_NULL)
		json_object_set_new(o, key, jtext(col(st, i)));
}

/* --- the issue --- */

static int labels_json(struct store *s, int64_t issue_id, json_t **out, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "SELECT name FROM labels WHERE issue_id = ? ORDER BY name", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, jtext(col(st, 0)));
	sqlite3_reset(st);
	*out = a;
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading labels");
}

static int issue_json(struct store *s, int64_t issue_id, json_t **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "SELECT r.full_name || '#' || i.number, r.full_name, i.number, "
	        "coalesce(i.html_url, "
	        "'https://github.com/' || r.full_name || '/issues/' || i.number), i.title, i.body, "
	        "i.state, i.state_reason, i.author, i.created_at, i.updated_at, i.closed_at, "
	        "i.is_pull_request, i.comment_count FROM issues i JOIN repositories r "
	        "ON r.id = i.repo_id WHERE i.id = ?",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? error_set(err, "issue id %lld is not in the database",
		                                     (long long)issue_id)
		                         : store_error(s, err, "reading the issue");
	}
	json_t *o = json_object();
	static const char *const keys[] = {"ref",    "repository", "number",     "url",
	                                   "title",  "body",       "state",      "state_reason",
	                                   "author", "created_at", "updated_at", "closed_at"};
	for (int i = 0; i < 12; i++) {
		if (i == 2)
			json_object_set_new(o, keys[i], json_integer(sqlite3_column_int64(st, i)));
		else
			json_object_set_new(o, keys[i], jtext(col(st, i)));
	}
	json_object_set_new(o, "is_pull_request", json_boolean(sqlite3_column_int(st, 12)));
	json_object_set_new(o, "comments",
	                    sqlite3_column_type(st, 13) == SQLITE_NULL
	                            ? json_null()
	                            : json_integer(sqlite3_column_int64(st, 13)));
	sqlite3_reset(st);
	json_t *labels;
	if (labels_json(s, issue_id, &labels, err)) {
		json_decref(o);
		return -1;
	}
	json_object_set_new(o, "labels", labels);
	*out = o;
	return 0;
}

/* --- the timeline --- */

/*
 * What an event has beyond the columns, by event type (REST shapes, GraphQL's
 * where they differ). The type is tested first, so raw is parsed only for
 * the few events that need it.
 */
#define EVENT_RAW(TYPES, PATH)                                                                     \
	"CASE WHEN event IN (" TYPES ") THEN CASE WHEN json_valid(raw) THEN " PATH " END END"
#define EVENT_EXTRA_SQL                                                                                                                                                                 \
	EVENT_RAW("'labeled', 'unlabeled'", "json_extract(raw, '$.label.name')")                                                                                                        \
	", " EVENT_RAW("'renamed'",                                                                                                                                                     \
	               "coalesce(json_extract(raw, '$.rename.from'), "                                                                                                                  \
	               "json_extract(raw, '$.previousTitle'))") ", " EVENT_RAW("'renamed'",                                                                                             \
	                                                                       "coalesce(json_"                                                                                         \
	                                                                       "extract(raw, "                                                                                          \
	                                                                       "'$.rename.to'), "                                                                                       \
	                                                                       "json_extract(raw,"                                                                                      \
	                                                                       " '$.currentTitle'"                                                                                      \
	                                                                       "))") ","                                                                                                \
	                                                                             " " EVENT_RAW("'assigned', 'unassigned'", "json_extract(raw, '$.assignee.login')") ", " EVENT_RAW( \
	                                                                                     "'mi"                                                                                      \
	                                                                                     "les"                                                                                      \
	                                                                                     "ton"                                                                                      \
	                                                                                     "ed'"                                                                                      \
	                                                                                     ", "                                                                                       \
	                                                                                     "'de"                                                                                      \
	                                                                                     "mil"                                                                                      \
	                                                                                     "est"                                                                                      \
	                                                                                     "one"                                                                                      \
	                                                                                     "d'",                                                                                      \
	                                                                                     "jso"                                                                                      \
	                                                                                     "n_"                                                                                       \
	                                                                                     "ext"                                                                                      \
	                                                                                     "rac"                                                                                      \
	                                                                                     "t("                                                                                       \
	                                                                                     "raw"                                                                                      \
	                                                                                     ", "                                                                                       \
	                                                                                     "'$."                                                                                      \
	                                                                                     "mil"                                                                                      \
	                                                                                     "est"                                                                                      \
	                                                                                     "one"                                                                                      \
	                                                                                     ".ti"                                                                                      \
	                                                                                     "tle"                                                                                      \
	                                                                                     "')") ", " EVENT_RAW("'reviewed'",                                                         \
	                                                                                                          "json_extract(raw, '$.state')")

static json_t *event_json(sqlite3_stmt *st)
{
	json_t *e = json_object();
	json_object_set_new(e, "event", jtext(col(st, 0)));
	set_text(e, "created_at", st, 1);
	set_text(e, "actor", st, 2);
	set_text(e, "commit_id", st, 3);
	set_text(e, "body", st, 4);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		json_t *src = json_object();
		json_object_set_new(src, "repository", jtext(col(st, 5)));
		json_object_set_new(src, "number",
		                    sqlite3_column_type(st, 6) == SQLITE_NULL
		                            ? json_null()
		                            : json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(src, "state", jtext(col(st, 7)));
		json_object_set_new(src, "is_pull_request",
		                    json_boolean(sqlite3_column_int(st, 8)));
		json_object_set_new(src, "title", jtext(col(st, 9)));
		json_object_set_new(e, "source", src);
	}
	static const char *const extra[] = {"label",    "from",      "to",
	                                    "assignee", "milestone", "state"};
	for (int i = 0; i < 6; i++)
		set_text(e, extra[i], st, 10 + i);
	return e;
}

static int timeline_json(struct store *s, int64_t issue_id, json_t **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT event, created_at, actor, commit_id, body, "
	                              "source_repo, source_number, source_state, source_is_pr, "
	                              "source_title, " EVENT_EXTRA_SQL
	                              " FROM events WHERE issue_id = ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, issue_id);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, event_json(st));
	sqlite3_reset(st);
	*out = a;
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading the timeline");
}

/* --- the fixes --- */

struct fix_walk {
	struct store *s;
	const struct external_doc *d;
	json_t *fixes; /* null until the issue turns out to be resolved */
	json_t *changes;
};

static json_t *jstr_or_null(const char *s)
{
	return s ? jtext(s) : json_null();
}

static json_t *jcount(int64_t n)
{
	return n < 0 ? json_null() : json_integer(n);
}

static int add_file(void *data, const struct fix_file_row *f, struct error *err)
{
	json_t *files = data;
	(void)err;
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "path", jstr_or_null(f->path),
	                      "previous_path", jstr_or_null(f->previous_path), "status",
	                      jstr_or_null(f->status), "additions", jcount(f->additions),
	                      "deletions", jcount(f->deletions));
	json_object_set_new(o, "patch", f->patch && f->has_patch ? jtext(f->patch) : json_null());
	json_array_append_new(files, o);
	return 0;
}

static int change_body(struct store *s, int64_t change_id, json_t **out, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT body FROM fix_changes WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, change_id);
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? jstr_or_null(col(st, 0)) : json_null();
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, "reading a fix");
}

static json_t *change_json(const struct fix_row *r)
{
	json_t *c = json_pack("{s:o, s:o, s:o, s:o}", "role", jstr_or_null(r->role), "via",
	                      jstr_or_null(r->via), "kind", jstr_or_null(r->kind), "repository",
	                      jstr_or_null(r->repo));
	int pr = r->kind && !strcmp(r->kind, "pr");
	json_object_set_new(c, "number", pr ? json_integer(r->number) : json_null());
	json_object_set_new(c, "sha", jstr_or_null(r->sha));
	json_object_set_new(c, "status", jstr_or_null(r->status));
	json_object_set_new(c, "title", jstr_or_null(r->title));
	json_object_set_new(c, "author", jstr_or_null(r->author));
	json_object_set_new(c, "state", jstr_or_null(r->state));
	json_object_set_new(c, "merged", r->merged < 0 ? json_null() : json_boolean(r->merged));
	json_object_set_new(c, "merged_at", jstr_or_null(r->merged_at));
	json_object_set_new(c, "created_at", jstr_or_null(r->created_at));
	json_object_set_new(c, "committed_at", jstr_or_null(r->committed_at));
	json_object_set_new(c, "url", jstr_or_null(r->url));
	json_object_set_new(c, "additions", jcount(r->additions));
	json_object_set_new(c, "deletions", jcount(r->deletions));
	json_object_set_new(c, "file_count", jcount(r->file_count));
	json_object_set_new(c, "truncated", json_boolean(r->truncated));
	return c;
}

static int add_change(void *data, const struct fix_row *r, struct error *err)
{
	struct fix_walk *w = data;
	if (!r->resolved)
		return 0;
	if (!w->changes) {
		w->changes = json_array();
		w->fixes = json_pack("{s:I, s:O}", "connected", (json_int_t)r->connected, "changes",
		                     w->changes);
	}
	if (!r->change_id)
		return 0;
	json_t *c = change_json(r), *body, *files = json_array();
	json_array_append_new(w->changes, c);
	if (change_body(w->s, r->change_id, &body, err)) {
		json_decref(files);
		return -1;
	}
	json_object_set_new(c, "body", body);
	json_object_set_new(c, "files", files);
	if (store_fix_files(w->s, r->change_id, add_file, files, err))
		return -1;
	if (!w->d->patches) {
		size_t i;
		json_t *f;
		json_array_foreach(files, i, f) json_object_del(f, "patch");
	}
	return 0;
}

static int fixes_json(struct store *s, const struct external_doc *d, int64_t issue_id, json_t **out,
                      struct error *err)
{
	struct fix_walk w = {s, d, NULL, NULL};
	int rc = store_fix_rows_of_issue(s, issue_id, add_change, &w, err);
	json_decref(w.changes);
	if (rc) {
		json_decref(w.fixes);
		return -1;
	}
	*out = w.fixes ? w.fixes : json_null();
	return 0;
}

/* --- the whole document --- */

int external_doc_build(struct store *s, struct external_doc *d, int64_t issue_id,
                       struct strbuf *out, struct error *err)
{
	json_t *issue = NULL, *timeline = NULL, *fixes = NULL;
	strbuf_reset(out);
	if (issue_json(s, issue_id, &issue, err) || timeline_json(s, issue_id, &timeline, err) ||
	    fixes_json(s, d, issue_id, &fixes, err)) {
		json_decref(issue);
		json_decref(timeline);
		return -1;
	}
	json_t *doc = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "format", EXTERNAL_FORMAT,
	                        "sample", jtext(d->sample), "rater", jtext(d->rater), "issue",
	                        issue, "timeline", timeline, "fixes", fixes);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return error_set(err, "cannot write the document of issue id %lld",
		                 (long long)issue_id);
	/* text ends with '}': the taxonomy goes before it */
	size_t len = strlen(text);
	strbuf_add(out, text, len - 1);
	strbuf_adds(out, ",\"taxonomy\":");
	strbuf_adds(out, d->taxonomy_json);
	strbuf_addch(out, '}');
	free(text);
	return 0;
}
