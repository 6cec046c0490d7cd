/*
 * taxonomy_store.c - taxonomies in the database (see taxonomy.h).
 *
 * Categories are matched by key when a taxonomy is stored again, so their
 * ids, and the codes that point at them, survive edits of names and
 * definitions. Removing a category (or a dimension) that codes use is
 * refused; removing an unused one deletes it. Exclusion reasons are kept the
 * same way, by key. tax_version.c records the versions.
 */
#include "taxonomy.h"
#include "builtin.h"
#include "strbuf.h"
#include "tax_rules.h"
#include "tax_version.h"
#include "timeutil.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int upsert_taxonomy(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM taxonomies WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, t->name);
	if (store_step_int64(s, st, &t->id, NULL, err))
		return -1;
	st = store_stmt(s,
	                t->id ? "UPDATE taxonomies SET title = ?2, description = ?3, "
	                        "source = ?4, loaded_at = ?5 WHERE name = ?1"
	                      : "INSERT INTO taxonomies (name, title, description, source, "
	                        "loaded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	                err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	store_bind_text(st, 1, t->name);
	store_bind_text(st, 2, t->title);
	store_bind_text(st, 3, t->description);
	store_bind_text(st, 4, t->source);
	store_bind_text(st, 5, now);
	if (store_step_done(s, st, err))
		return -1;
	if (!t->id)
		t->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int upsert_dimension(struct store *s, int64_t tax_id, struct tax_dimension *d,
                            size_t position, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s, "SELECT id FROM dimensions WHERE taxonomy_id = ? AND key = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tax_id);
	store_bind_text(st, 2, d->key);
	if (store_step_int64(s, st, &d->id, NULL, err))
		return -1;
	st = store_stmt(
	        s,
	        d->id ? "UPDATE dimensions SET name = ?3, description = ?4, "
	                "subcategories = ?5, position = ?6 WHERE taxonomy_id = ?1 AND key = ?2"
	              : "INSERT INTO dimensions (taxonomy_id, key, name, description, "
	                "subcategories, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	        err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tax_id);
	store_bind_text(st, 2, d->key);
	store_bind_text(st, 3, d->name);
	store_bind_text(st, 4, d->description);
	store_bind_text(st, 5, tax_sub_rule_name(d->sub_rule));
	sqlite3_bind_int64(st, 6, (sqlite3_int64)position);
	if (store_step_done(s, st, err))
		return -1;
	if (!d->id)
		d->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static char *aliases_json(const struct tax_category *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->naliases; i++)
		json_array_append_new(arr, json_string(c->aliases[i]));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

/* The count(*) of a query with one id parameter. */
static int count_of(struct store *s, const char *sql, int64_t id, long *count, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int64_t n;
	if (store_step_int64(s, st, &n, NULL, err))
		return -1;
	*count = (long)n;
	return 0;
}

static int count_codes_of(struct store *s, int64_t category_id, long *count, struct error *err)
{
	return count_of(s,
	                "SELECT count(*) FROM codes WHERE category_id = ?1 OR subcategory_id = ?1",
	                category_id, count, err);
}

/* Existing category with this key: its id and parent. */
static int existing_category(struct store *s, int64_t dim_id, const char *key, int64_t *id,
                             int64_t *parent, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, coalesce(parent_id, 0) FROM categories WHERE "
	                              "dimension_id = ? AND key = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, dim_id);
	store_bind_text(st, 2, key);
	int rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	*parent = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

/*
 * A used category keeps its parent: a code names a top-level category and,
 * perhaps, one of its sub-categories, so moving a used category to the top
 * level, under a category or under another one would leave codes whose
 * sub-category is not a sub-category of their category.
 */
static int check_move(struct store *s, const struct tax_dimension *d, const struct tax_category *c,
                      int64_t old_parent, int64_t new_parent, struct error *err)
{
	long used;
	if (old_parent == new_parent)
		return 0;
	if (count_codes_of(s, c->id, &used, err))
		return -1;
	if (used)
		return error_set(err,
		                 "%s: category '%s' is used by %ld code%s and cannot move to "
		                 "another parent category or level",
		                 d->key, c->key, used, used == 1 ? "" : "s");
	return 0;
}

static int upsert_category(struct store *s, const struct tax_dimension *d, struct tax_category *c,
                           int64_t parent_id, size_t position, struct error *err)
{
	int64_t old_parent;
	if (existing_category(s, d->id, c->key, &c->id, &old_parent, err))
		return -1;
	if (c->id && check_move(s, d, c, old_parent, parent_id, err))
		return -1;
	sqlite3_stmt *st = store_stmt(
	        s,
	        c->id ? "UPDATE categories SET parent_id = ?3, name = ?4, definition = ?5, "
	                "aliases = ?6, position = ?7 WHERE dimension_id = ?1 AND key = ?2"
	              : "INSERT INTO categories (dimension_id, key, parent_id, name, definition, "
	                "aliases, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	        err);
	if (!st)
		return -1;
	char *aliases = aliases_json(c);
	sqlite3_bind_int64(st, 1, d->id);
	store_bind_text(st, 2, c->key);
	if (parent_id)
		sqlite3_bind_int64(st, 3, parent_id);
	store_bind_text(st, 4, c->name);
	store_bind_text(st, 5, c->definition);
	store_bind_text(st, 6, aliases);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)position);
	int rc = store_step_done(s, st, err);
	free(aliases);
	if (rc)
		return -1;
	if (!c->id)
		c->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int store_categories(struct store *s, struct tax_dimension *d, struct error *err)
{
	size_t position = 0;
	for (size_t i = 0; i < d->ncats; i++) {
		struct tax_category *c = &d->cats[i];
		if (upsert_category(s, d, c, 0, position++, err))
			return -1;
		for (size_t j = 0; j < c->nsubs; j++)
			if (upsert_category(s, d, &c->subs[j], c->id, position++, err))
				return -1;
	}
	return 0;
}

static int delete_row(struct store *s, const char *sql, int64_t id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return store_step_done(s, st, err);
}

struct stored_row {
	int64_t id;
	char *key;
	char *name;
};

static void free_rows(struct stored_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].key);
		free(rows[i].name);
	}
	free(rows);
}

/* Reads (id, key, name) rows of a query with one id parameter. */
static int load_rows(struct store *s, const char *sql, int64_t param, struct stored_row **out,
                     size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, param);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		(*out)[*n].id = sqlite3_column_int64(st, 0);
		(*out)[*n].key = xstrdup((const char *)sqlite3_column_text(st, 1));
		(*out)[*n].name = xstrdup((const char *)sqlite3_column_text(st, 2));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free_rows(*out, *n);
		return store_error(s, err, NULL);
	}
	return 0;
}

/*
 * The stored rows of one kind (categories of a dimension, dimensions or
 * exclusion reasons of a taxonomy) that the taxonomy being stored no longer
 * has: each is deleted, unless something uses it.
 */
struct prune {
	const char *rows_sql;   /* (id, key, name) of the owner's stored rows */
	const char *used_sql;   /* count(*) of what uses a row (?1: its id) */
	const char *delete_sql; /* ?1: its id */
	const char *scope;      /* "" or what the message names first (a dimension's key) */
	const char *what;       /* "category" */
	const char *users;      /* what uses one: "code" */
	int (*has)(const void *owner, const char *key); /* whether the new owner keeps key */
	const void *owner;
};

static int prune_rows(struct store *s, const struct prune *p, int64_t owner_id, struct error *err)
{
	struct stored_row *rows;
	size_t n;
	if (load_rows(s, p->rows_sql, owner_id, &rows, &n, err))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		long used;
		if (p->has(p->owner, rows[i].key))
			continue;
		rc = count_of(s, p->used_sql, rows[i].id, &used, err);
		if (!rc && used)
			rc = error_set(err,
			               "%s%s%s '%s' (%s) is used by %ld %s%s; it cannot be removed",
			               p->scope, p->scope[0] ? ": " : "", p->what, rows[i].key,
			               rows[i].name, used, p->users, used == 1 ? "" : "s");
		if (!rc)
			rc = delete_row(s, p->delete_sql, rows[i].id, err);
	}
	free_rows(rows, n);
	return rc;
}

static int dimension_has_key(const void *dim, const char *key)
{
	const struct tax_dimension *d = dim;
	for (size_t i = 0; i < d->ncats; i++) {
		if (!strcmp(d->cats[i].key, key))
			return 1;
		for (size_t j = 0; j < d->cats[i].nsubs; j++)
			if (!strcmp(d->cats[i].subs[j].key, key))
				return 1;
	}
	return 0;
}

/* Deletes the dimension's stored categories that d no longer has; refuses used ones. */
static int prune_categories(struct store *s, const struct tax_dimension *d, struct error *err)
{
	const struct prune p = {
	        /* Sub-categories first, so that no parent is deleted under a child. */
	        "SELECT id, key, name FROM categories WHERE dimension_id = ? "
	        "ORDER BY parent_id IS NULL, position",
	        "SELECT count(*) FROM codes WHERE category_id = ?1 OR subcategory_id = ?1",
	        "DELETE FROM categories WHERE id = ?",
	        d->key,
	        "category",
	        "code",
	        dimension_has_key,
	        d};
	return prune_rows(s, &p, d->id, err);
}

static int taxonomy_has_dimension(const void *tax, const char *key)
{
	const struct taxonomy *t = tax;
	for (size_t i = 0; i < t->ndims; i++)
		if (!strcmp(t->dims[i].key, key))
			return 1;
	return 0;
}

static int prune_dimensions(struct store *s, const struct taxonomy *t, struct error *err)
{
	const struct prune p = {"SELECT id, key, name FROM dimensions WHERE taxonomy_id = ?",
	                        "SELECT count(*) FROM codes WHERE dimension_id = ?",
	                        "DELETE FROM dimensions WHERE id = ?",
	                        "",
	                        "dimension",
	                        "code",
	                        taxonomy_has_dimension,
	                        t};
	return prune_rows(s, &p, t->id, err);
}

static int upsert_reason(struct store *s, int64_t tax_id, struct tax_reason *r, size_t position,
                         struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT id FROM exclusion_reasons WHERE taxonomy_id = ? AND key = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tax_id);
	store_bind_text(st, 2, r->key);
	if (store_step_int64(s, st, &r->id, NULL, err))
		return -1;
	st = store_stmt(s,
	                r->id ? "UPDATE exclusion_reasons SET name = ?3, definition = ?4, "
	                        "position = ?5 WHERE taxonomy_id = ?1 AND key = ?2"
	                      : "INSERT INTO exclusion_reasons (taxonomy_id, key, name, "
	                        "definition, position) VALUES (?1, ?2, ?3, ?4, ?5)",
	                err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tax_id);
	store_bind_text(st, 2, r->key);
	store_bind_text(st, 3, r->name);
	store_bind_text(st, 4, r->definition ? r->definition : "");
	sqlite3_bind_int64(st, 5, (sqlite3_int64)position);
	if (store_step_done(s, st, err))
		return -1;
	if (!r->id)
		r->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int taxonomy_has_reason(const void *tax, const char *key)
{
	const struct taxonomy *t = tax;
	for (size_t i = 0; i < t->nreasons; i++)
		if (!strcmp(t->reasons[i].key, key))
			return 1;
	return 0;
}

/* Stores t's reasons and deletes the stored ones it no longer has; refuses used ones. */
static int store_reasons(struct store *s, struct taxonomy *t, struct error *err)
{
	for (size_t i = 0; i < t->nreasons; i++)
		if (upsert_reason(s, t->id, &t->reasons[i], i, err))
			return -1;
	const struct prune p = {"SELECT id, key, name FROM exclusion_reasons WHERE taxonomy_id = ?",
	                        "SELECT count(*) FROM exclusions WHERE reason_id = ?",
	                        "DELETE FROM exclusion_reasons WHERE id = ?",
	                        "",
	                        "exclusion reason",
	                        "exclusion",
	                        taxonomy_has_reason,
	                        t};
	return prune_rows(s, &p, t->id, err);
}

static int ensure_version_of(struct store *s, const char *name, struct error *err);

int tax_store(struct store *s, struct taxonomy *t, int *changed, struct error *err)
{
	if (changed)
		*changed = 0;
	/* A taxonomy stored before versions were kept: its present state is version 1. */
	if (ensure_version_of(s, t->name, err) || upsert_taxonomy(s, t, err))
		return -1;
	/* Rules point at categories: they go first, and come back once those are stored. */
	if (tax_rules_clear(s, t->id, err))
		return error_prefix(err, "taxonomy %s", t->name);
	for (size_t i = 0; i < t->ndims; i++) {
		struct tax_dimension *d = &t->dims[i];
		if (upsert_dimension(s, t->id, d, i, err) || store_categories(s, d, err) ||
		    prune_categories(s, d, err))
			return error_prefix(err, "taxonomy %s", t->name);
	}
	if (prune_dimensions(s, t, err) || store_reasons(s, t, err) || tax_rules_store(s, t, err))
		return error_prefix(err, "taxonomy %s", t->name);
	return tax_version_record(s, t, changed, err);
}

/* --- reading back --- */

static void read_aliases(const char *text, struct tax_category *c)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	size_t n = json_array_size(arr);
	c->aliases = xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *a = json_string_value(json_array_get(arr, i));
		if (a)
			c->aliases[c->naliases++] = xstrdup(a);
	}
	json_decref(arr);
}

static void fill_category(sqlite3_stmt *st, struct tax_category *c,
                          const struct tax_category *parent)
{
	c->id = sqlite3_column_int64(st, 0);
	c->key = store_column_dup(st, 2);
	c->name = store_column_dup(st, 3);
	c->definition = store_column_dup(st, 4);
	if (!c->definition)
		c->definition = xstrdup("");
	read_aliases((const char *)sqlite3_column_text(st, 5), c);
	c->parent = parent;
}

static const char categories_sql[] =
        "SELECT id, coalesce(parent_id, 0), key, name, definition, aliases FROM categories "
        "WHERE dimension_id = ?1 AND coalesce(parent_id, 0) = ?2 ORDER BY position";

/* Reads the categories under parent (NULL: the top level) of dimension dim_id. */
static int read_categories(struct store *s, int64_t dim_id, const struct tax_category *parent,
                           struct tax_category **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, categories_sql, err);
	size_t alloc = 0;
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, dim_id);
	sqlite3_bind_int64(st, 2, parent ? parent->id : 0);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		memset(&(*out)[*n], 0, sizeof(**out));
		fill_category(st, &(*out)[(*n)++], parent);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	/*
	 * The statement is shared, so children are read after the parents' scan
	 * ends, when the parents no longer move (their children point to them).
	 */
	for (size_t i = 0; i < *n && !parent; i++)
		if (read_categories(s, dim_id, &(*out)[i], &(*out)[i].subs, &(*out)[i].nsubs, err))
			return -1;
	return 0;
}

static int read_dimensions(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, key, name, description, subcategories "
	                              "FROM dimensions WHERE taxonomy_id = ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&t->dims, &alloc, t->ndims + 1, sizeof(*t->dims));
		struct tax_dimension *d = &t->dims[t->ndims++];
		memset(d, 0, sizeof(*d));
		d->id = sqlite3_column_int64(st, 0);
		d->key = store_column_dup(st, 1);
		d->name = store_column_dup(st, 2);
		d->description = store_column_dup(st, 3);
		if (tax_sub_rule_parse((const char *)sqlite3_column_text(st, 4), &d->sub_rule))
			d->sub_rule = TAX_SUB_ABSENT; /* the schema's CHECK allows no other value */
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	for (size_t i = 0; i < t->ndims; i++)
		if (read_categories(s, t->dims[i].id, NULL, &t->dims[i].cats, &t->dims[i].ncats,
		                    err))
			return -1;
	return 0;
}

static int read_reasons(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, key, name, definition FROM exclusion_reasons "
	                              "WHERE taxonomy_id = ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&t->reasons, &alloc, t->nreasons + 1, sizeof(*t->reasons));
		struct tax_reason *r = &t->reasons[t->nreasons++];
		r->id = sqlite3_column_int64(st, 0);
		r->key = store_column_dup(st, 1);
		r->name = store_column_dup(st, 2);
		r->definition = store_column_dup(st, 3);
		if (!r->definition)
			r->definition = xstrdup("");
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int read_version(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, version, hash FROM taxonomy_versions WHERE "
	                              "taxonomy_id = ? ORDER BY version DESC LIMIT 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->version_id = sqlite3_column_int64(st, 0);
		t->version = sqlite3_column_int(st, 1);
		free(t->hash);
		t->hash = store_column_dup(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

/* Names of all stored taxonomies, comma-separated, into sb; returns how many. */
static int taxonomy_names(struct store *s, struct strbuf *sb, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT name FROM taxonomies ORDER BY name", err);
	if (!st)
		return -1;
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strbuf_addf(sb, "%s%s", n++ ? ", " : "", sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return n;
}

static int pick_name(struct store *s, const char *name, char **out, struct error *err)
{
	struct strbuf names = STRBUF_INIT;
	int n = taxonomy_names(s, &names, err);
	int rc = 0;
	if (n < 0)
		rc = -1;
	else if (name)
		*out = xstrdup(name);
	else if (n == 1)
		*out = xstrdup(names.buf);
	else if (n == 0)
		rc = error_set(err, "%s: no taxonomy loaded (see 'issuemine taxonomy load')",
		               s->path);
	else
		rc = error_set(err, "several taxonomies (%s): say which with --taxonomy",
		               names.buf);
	strbuf_release(&names);
	return rc;
}

/* Fills t's columns from the taxonomies row of t->name; errors list the loaded names. */
static int read_taxonomy_row(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT id, title, description, source FROM taxonomies WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, t->name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(st, 0);
		t->title = store_column_dup(st, 1);
		t->description = store_column_dup(st, 2);
		t->source = store_column_dup(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	struct strbuf names = STRBUF_INIT;
	taxonomy_names(s, &names, err);
	error_set(err, "no taxonomy named '%s' (loaded: %s)", t->name,
	          names.len ? names.buf : "none");
	strbuf_release(&names);
	return -1;
}

/* Reads the stored taxonomy called name (which must exist in the database). */
static int read_stored(struct store *s, const char *name, struct taxonomy **out, struct error *err)
{
	struct taxonomy *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	if (read_taxonomy_row(s, t, err) || read_dimensions(s, t, err) || read_reasons(s, t, err) ||
	    tax_rules_read(s, t, err) || read_version(s, t, err)) {
		tax_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

/* The reasons a taxonomy stored before they existed gets: its built-in file's, or the default. */
static int add_missing_reasons(struct store *s, struct taxonomy *t, struct error *err)
{
	struct taxonomy *file = NULL;
	struct error ignored;
	if (t->source && !strcmp(t->source, "builtin") &&
	    !tax_load_builtin(t->name, &file, &ignored)) {
		t->reasons = file->reasons;
		t->nreasons = file->nreasons;
		file->reasons = NULL;
		file->nreasons = 0;
		tax_free(file);
	} else {
		tax_default_reasons(t);
	}
	return store_reasons(s, t, err);
}

/* Version 1 of a taxonomy stored before versions were kept (no-op otherwise). In a transaction. */
static int record_first_version(struct store *s, const char *name, struct error *err)
{
	int64_t versions;
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT (SELECT count(*) FROM taxonomy_versions v WHERE "
	                              "v.taxonomy_id = t.id) FROM taxonomies t WHERE t.name = ?",
	                              err);
	int found;
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	if (store_step_int64(s, st, &versions, &found, err))
		return -1;
	if (!found || versions)
		return 0;
	struct taxonomy *t;
	if (read_stored(s, name, &t, err))
		return -1;
	int rc = (t->nreasons ? 0 : add_missing_reasons(s, t, err)) ||
	         tax_version_record(s, t, NULL, err);
	/* Codes made before then are counted as made under version 1. */
	if (!rc) {
		st = store_stmt(
		        s,
		        "UPDATE codes SET version_id = ?1 WHERE version_id IS NULL AND "
		        "dimension_id IN (SELECT id FROM dimensions WHERE taxonomy_id = ?2)",
		        err);
		rc = !st ? -1 : 0;
		if (st) {
			sqlite3_bind_int64(st, 1, t->version_id);
			sqlite3_bind_int64(st, 2, t->id);
			rc = store_step_done(s, st, err);
		}
	}
	tax_free(t);
	return rc ? -1 : 0;
}

static int ensure_version_of(struct store *s, const char *name, struct error *err)
{
	return record_first_version(s, name, err);
}

/* ensure_version_of in a transaction of its own, unless one is open; only when needed. */
static int ensure_version_outside(struct store *s, const char *name, struct error *err)
{
	if (!sqlite3_get_autocommit(s->db))
		return ensure_version_of(s, name, err);
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT count(*) FROM taxonomies t WHERE t.name = ? AND NOT "
	                              "EXISTS (SELECT 1 FROM taxonomy_versions v WHERE "
	                              "v.taxonomy_id = t.id)",
	                              err);
	int64_t missing;
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	if (store_step_int64(s, st, &missing, NULL, err))
		return -1;
	if (!missing)
		return 0;
	if (store_begin(s, err))
		return -1;
	if (ensure_version_of(s, name, err)) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

int tax_read(struct store *s, const char *name, struct taxonomy **out, struct error *err)
{
	char *chosen = NULL;
	if ((!s->readonly && tax_ensure_default(s, err)) || pick_name(s, name, &chosen, err))
		return -1;
	struct taxonomy *probe = xcalloc(1, sizeof(*probe));
	probe->name = chosen;
	/* First, so that an unknown name gets the error that lists the loaded ones. */
	int rc = read_taxonomy_row(s, probe, err) ||
	         (!s->readonly && ensure_version_outside(s, chosen, err)) ||
	         read_stored(s, chosen, out, err);
	tax_free(probe);
	return rc ? -1 : 0;
}

static int store_default_if_empty(struct store *s, struct error *err)
{
	struct strbuf names = STRBUF_INIT;
	int n = taxonomy_names(s, &names, err);
	strbuf_release(&names);
	if (n != 0)
		return n < 0 ? -1 : 0;
	struct taxonomy *t;
	if (tax_load_builtin(TAX_DEFAULT_NAME, &t, err))
		return -1;
	int rc = tax_store(s, t, NULL, err);
	tax_free(t);
	return rc;
}

int tax_ensure_default(struct store *s, struct error *err)
{
	if (!sqlite3_get_autocommit(s->db))
		return store_default_if_empty(s, err);
	struct strbuf names = STRBUF_INIT;
	int n = taxonomy_names(s, &names, err);
	strbuf_release(&names);
	if (n != 0)
		return n < 0 ? -1 : 0;
	/* Decide again inside the transaction: another process may be doing the same. */
	if (store_begin(s, err))
		return -1;
	if (store_default_if_empty(s, err)) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}
