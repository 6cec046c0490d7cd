/*
 * releases.c - release series from CSV, the database and the binary (see releases.h).
 */
#include "releases.h"
#include "builtin.h"
#include "csv.h"
#include "number.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Room for the list of bad rows in a struct error, leaving space for the file name. */
#define PROBLEMS_MAX 800

int release_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (!len || len > 100 || !isalnum((unsigned char)name[0]))
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			return 0;
	return 1;
}

void release_series_free(struct release_series *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		free(rs->releases[i].version);
	free(rs->releases);
	free(rs->name);
	free(rs->source);
	free(rs);
}

static struct release_series *series_new(const char *name, const char *source)
{
	struct release_series *rs = xcalloc(1, sizeof(*rs));
	rs->name = xstrdup(name);
	rs->source = xstrdup(source);
	return rs;
}

static void series_append(struct release_series *rs, size_t *alloc, const char *version,
                          const char *date, long added, long updated)
{
	xgrow((void **)&rs->releases, alloc, rs->n + 1, sizeof(*rs->releases));
	struct release *r = &rs->releases[rs->n++];
	r->version = xstrdup(version);
	snprintf(r->date, sizeof(r->date), "%s", date);
	r->added = added;
	r->updated = updated;
}

/* The bad rows of a file, collected so that one message can name them all. */
struct problems {
	struct strbuf text; /* "line 3: ...; line 9: ..." */
	long rows;          /* bad rows seen */
	long unlisted;      /* bad rows that did not fit in the message */
};

static void problems_add_row(struct problems *p, long line, const struct strbuf *what)
{
	p->rows++;
	if (p->text.len + what->len + 20 > PROBLEMS_MAX) {
		p->unlisted++;
		return;
	}
	strbuf_addf(&p->text, "%sline %ld: %s", p->text.len ? "; " : "", line, what->buf);
}

/* Release sizes are counts of operators, not money: 0 to RELEASE_COUNT_MAX. */
#define RELEASE_COUNT_MAX 999999999

/* A size field: 0 with *out set, else a number_parse result. */
static int parse_count(const char *s, long *out)
{
	int64_t v;
	int rc = number_parse(s, 0, RELEASE_COUNT_MAX, &v);
	if (!rc)
		*out = (long)v;
	return rc;
}

/* "added 'x' is not a whole number" or "added '-4' is out of range (0 to 999999999)". */
static void count_problem(struct strbuf *row, const char *name, const char *s, int rc)
{
	struct error err;
	number_error(&err, NULL, s, rc, 0, RELEASE_COUNT_MAX);
	strbuf_addf(row, "%s%s %s", row->len ? ", " : "", name, err.msg);
}

/*
 * Copies s without surrounding blanks into buf (size bytes), as spreadsheets
 * may pad; returns the trimmed length, which is size or more when it was cut.
 */
static size_t trimmed(const char *s, char *buf, size_t size)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	size_t whole = len;
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return whole;
}

static void add_problem(struct strbuf *row, const char *fmt, const char *value)
{
	if (row->len)
		strbuf_adds(row, ", ");
	strbuf_addf(row, fmt, value);
}

struct columns {
	int version, date, added, updated;
};

static int find_columns(const struct csv_record *header, const char *file, struct columns *c,
                        struct error *err)
{
	c->version = csv_column(header, "version");
	c->date = csv_column(header, "date");
	c->added = csv_column(header, "added");
	c->updated = csv_column(header, "updated");
	struct strbuf missing = STRBUF_INIT;
	const char *names[] = {"version", "date", "added", "updated"};
	const int idx[] = {c->version, c->date, c->added, c->updated};
	for (int i = 0; i < 4; i++)
		if (idx[i] < 0)
			strbuf_addf(&missing, "%s%s", missing.len ? ", " : "", names[i]);
	if (!missing.len)
		return 0;
	error_set(err,
	          "%s: line %ld: the header lacks %s (expected the columns version,date,added,"
	          "updated)",
	          file, header->line, missing.buf);
	strbuf_release(&missing);
	return -1;
}

/* Whether version already appears among the first n releases; *line gets its line. */
static int version_seen(const struct release_series *rs, const long *lines, const char *version,
                        long *line)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->releases[i].version, version)) {
			*line = lines[i];
			return 1;
		}
	return 0;
}

/*
 * Checks one data row. Good rows are appended to rs (with their line in
 * *lines); bad ones are described in p. prev_date is the date of the last
 * good row, for the date-order check.
 */
static void check_row(const struct csv_record *rec, const struct columns *c,
                      struct release_series *rs, size_t *alloc, long **lines, size_t *lines_alloc,
                      struct problems *p)
{
	struct strbuf row = STRBUF_INIT;
	char version[256], date[64], added_s[64], updated_s[64];
	size_t version_len = trimmed(csv_field(rec, c->version), version, sizeof(version));
	trimmed(csv_field(rec, c->date), date, sizeof(date));
	trimmed(csv_field(rec, c->added), added_s, sizeof(added_s));
	trimmed(csv_field(rec, c->updated), updated_s, sizeof(updated_s));
	long added = 0, updated = 0, seen_line;
	if (!*version)
		add_problem(&row, "%s", "version is empty");
	else if (version_len >= sizeof(version))
		add_problem(&row, "version '%.20s...' is longer than 255 bytes", version);
	else if (version_seen(rs, *lines, version, &seen_line)) {
		add_problem(&row, "version '%s' ", version);
		strbuf_addf(&row, "repeats line %ld", seen_line);
	}
	if (!time_is_date_only(date))
		add_problem(&row, "date '%s' is not a day (YYYY-MM-DD)", date);
	else if (rs->n && strcmp(date, rs->releases[rs->n - 1].date) < 0) {
		add_problem(&row, "date %s ", date);
		strbuf_addf(&row, "is before line %ld's %s (rows must be in date order)",
		            (*lines)[rs->n - 1], rs->releases[rs->n - 1].date);
	}
	int rc;
	if ((rc = parse_count(added_s, &added)))
		count_problem(&row, "added", added_s, rc);
	if ((rc = parse_count(updated_s, &updated)))
		count_problem(&row, "updated", updated_s, rc);
	if (row.len) {
		problems_add_row(p, rec->line, &row);
	} else {
		xgrow((void **)lines, lines_alloc, rs->n + 1, sizeof(long));
		(*lines)[rs->n] = rec->line;
		series_append(rs, alloc, version, date, added, updated);
	}
	strbuf_release(&row);
}

static int problems_error(struct problems *p, const char *file, struct error *err)
{
	if (p->unlisted)
		strbuf_addf(&p->text, "; and %ld more bad row%s", p->unlisted,
		            p->unlisted == 1 ? "" : "s");
	error_set(err, "%s: %s", file, p->text.buf);
	return -1;
}

int release_parse_csv(FILE *f, const char *file_name, const char *series_name,
                      struct release_series **out, struct error *err)
{
	struct csv_reader *r = csv_open(f, file_name);
	struct csv_record rec;
	struct release_series *rs = series_new(series_name, file_name);
	struct problems p = {STRBUF_INIT, 0, 0};
	struct columns c = {-1, -1, -1, -1};
	size_t alloc = 0, lines_alloc = 0;
	long *lines = NULL;
	int rc = csv_read(r, &rec, err);
	if (rc == 0)
		rc = error_set(err,
		               "%s: empty file (expected the header version,date,added,updated)",
		               file_name);
	if (rc > 0)
		rc = find_columns(&rec, file_name, &c, err);
	while (rc == 0 && (rc = csv_read(r, &rec, err)) > 0) {
		check_row(&rec, &c, rs, &alloc, &lines, &lines_alloc, &p);
		rc = 0;
	}
	if (rc == 0 && p.rows)
		rc = problems_error(&p, file_name, err);
	else if (rc == 0 && rs->n == 0)
		rc = error_set(err, "%s: no releases after the header", file_name);
	csv_close(r);
	strbuf_release(&p.text);
	free(lines);
	if (rc) {
		release_series_free(rs);
		return -1;
	}
	*out = rs;
	return 0;
}

static int parse_builtin(const char *name, const struct builtin_file *file,
                         struct release_series **out, struct error *err)
{
	FILE *f = fmemopen((void *)file->data, file->len, "r");
	if (!f)
		return error_set(err, "%s: %s", file->path, strerror(errno));
	int rc = release_parse_csv(f, file->path, name, out, err);
	fclose(f);
	if (rc == 0) {
		free((*out)->source);
		(*out)->source = xstrdup("builtin");
	}
	return rc;
}

static int64_t stored_series_id(struct store *s, const char *name, struct error *err, int *failed)
{
	*failed = 0;
	if (!s)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM release_series WHERE name = ?", err);
	if (!st) {
		*failed = 1;
		return 0;
	}
	store_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_error(s, err, NULL);
		*failed = 1;
	}
	return id;
}

static int insert_release(struct store *s, int64_t series_id, const struct release *r,
                          size_t position, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT INTO releases (series_id, version, date, added, "
	                              "updated, position) VALUES (?, ?, ?, ?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, series_id);
	store_bind_text(st, 2, r->version);
	store_bind_text(st, 3, r->date);
	sqlite3_bind_int64(st, 4, r->added);
	sqlite3_bind_int64(st, 5, r->updated);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)position);
	return store_step_done(s, st, err);
}

int release_series_store(struct store *s, const struct release_series *rs, int *replaced,
                         struct error *err)
{
	int failed;
	int64_t old = stored_series_id(s, rs->name, err, &failed);
	if (failed)
		return -1;
	*replaced = old != 0;
	if (old) {
		sqlite3_stmt *del = store_stmt(s, "DELETE FROM release_series WHERE id = ?", err);
		if (!del)
			return -1;
		sqlite3_bind_int64(del, 1, old);
		if (store_step_done(s, del, err))
			return -1;
	}
	sqlite3_stmt *st = store_stmt(
	        s, "INSERT INTO release_series (name, source, loaded_at) VALUES (?, ?, ?)", err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	store_bind_text(st, 1, rs->name);
	store_bind_text(st, 2, rs->source);
	store_bind_text(st, 3, now);
	if (store_step_done(s, st, err))
		return -1;
	int64_t id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < rs->n; i++)
		if (insert_release(s, id, &rs->releases[i], i, err))
			return -1;
	return 0;
}

static int read_stored(struct store *s, int64_t id, const char *name, struct release_series **out,
                       struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT source FROM release_series WHERE id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	const char *source =
	        sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	struct release_series *rs = series_new(name, source ? source : "");
	sqlite3_reset(st);
	st = store_stmt(s,
	                "SELECT version, date, added, updated FROM releases WHERE series_id = ? "
	                "ORDER BY position",
	                err);
	if (!st) {
		release_series_free(rs);
		return -1;
	}
	sqlite3_bind_int64(st, 1, id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		series_append(rs, &alloc, (const char *)sqlite3_column_text(st, 0),
		              (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
		              sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		release_series_free(rs);
		return store_error(s, err, NULL);
	}
	*out = rs;
	return 0;
}

static int unknown_series(struct store *s, const char *name, struct error *err)
{
	struct release_series_info *infos;
	size_t n;
	if (release_series_list(s, &infos, &n, err))
		return -1;
	struct strbuf known = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", infos[i].name);
	error_set(err, "no release series '%s' (known: %s; see 'issuemine releases import')", name,
	          known.len ? known.buf : "none");
	strbuf_release(&known);
	release_series_infos_free(infos, n);
	return -1;
}

int release_series_read(struct store *s, const char *name, struct release_series **out,
                        struct error *err)
{
	int failed;
	int64_t id = stored_series_id(s, name, err, &failed);
	if (failed)
		return -1;
	if (id)
		return read_stored(s, id, name, out, err);
	const struct builtin_file *file = builtin_find("queries", name, "csv");
	if (file)
		return parse_builtin(name, file, out, err);
	return unknown_series(s, name, err);
}

/* --- listing --- */

struct info_list {
	struct release_series_info *items;
	size_t n, alloc;
};

static struct release_series_info *info_find(struct info_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].name, name))
			return &l->items[i];
	return NULL;
}

static void info_append(struct info_list *l, const struct release_series *rs)
{
	xgrow((void **)&l->items, &l->alloc, l->n + 1, sizeof(*l->items));
	struct release_series_info *info = &l->items[l->n++];
	memset(info, 0, sizeof(*info));
	info->name = xstrdup(rs->name);
	info->source = xstrdup(rs->source);
	info->n = rs->n;
	if (rs->n) {
		memcpy(info->first, rs->releases[0].date, RELEASE_DATE_LEN);
		memcpy(info->last, rs->releases[rs->n - 1].date, RELEASE_DATE_LEN);
	}
}

static int list_builtin(const char *name, const struct builtin_file *file, void *data)
{
	struct info_list *l = data;
	struct release_series_info *stored = info_find(l, name);
	if (stored) {
		stored->hides_builtin = 1;
		return 0;
	}
	struct release_series *rs = NULL;
	struct error ignored;
	/* A shipped series is tested at build time; a broken one is simply not listed. */
	if (parse_builtin(name, file, &rs, &ignored))
		return 0;
	info_append(l, rs);
	release_series_free(rs);
	return 0;
}

static int compare_info(const void *a, const void *b)
{
	return strcmp(((const struct release_series_info *)a)->name,
	              ((const struct release_series_info *)b)->name);
}

static int list_stored(struct store *s, struct info_list *l, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name FROM release_series ORDER BY name", err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		char *name = xstrdup((const char *)sqlite3_column_text(st, 1));
		struct release_series *rs;
		/* read_stored reuses other cached statements, not this one. */
		int failed = read_stored(s, id, name, &rs, err);
		free(name);
		if (failed) {
			sqlite3_reset(st);
			release_series_infos_free(l->items, l->n);
			return -1;
		}
		info_append(l, rs);
		release_series_free(rs);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		release_series_infos_free(l->items, l->n);
		return store_error(s, err, NULL);
	}
	return 0;
}

int release_series_list(struct store *s, struct release_series_info **out, size_t *n,
                        struct error *err)
{
	struct info_list l = {0};
	if (s && list_stored(s, &l, err))
		return -1;
	builtin_each("queries", "csv", list_builtin, &l);
	if (l.n)
		qsort(l.items, l.n, sizeof(*l.items), compare_info);
	*out = l.items;
	*n = l.n;
	return 0;
}

void release_series_infos_free(struct release_series_info *infos, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(infos[i].name);
		free(infos[i].source);
	}
	free(infos);
}
