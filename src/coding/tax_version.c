/*
 * tax_version.c - codebook versions: recording them, their history, and
 * what changed between two (see tax_version.h).
 *
 * What changed is worked out from the contents, matched by key, the way
 * taxonomy_store.c matches what it stores: a category whose key stays is
 * the same category, renamed or reworded; a key that goes is a removal.
 */
#include "tax_version.h"
#include "tax_rules.h"
#include "timeutil.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* --- what changed --- */

static int differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

static json_t *change(const char *what, const char *dimension, const char *key)
{
	json_t *o = json_pack("{s:s}", "change", what);
	if (dimension)
		json_object_set_new(o, "dimension", json_string(dimension));
	if (key)
		json_object_set_new(o, strncmp(what, "reason", 6) ? "category" : "reason",
		                    json_string(key));
	return o;
}

static void from_to(json_t *o, const char *from, const char *to)
{
	json_object_set_new(o, "from", from ? json_string(from) : json_null());
	json_object_set_new(o, "to", to ? json_string(to) : json_null());
}

/* "parent/key" for a sub-category, "key" for a category (caller frees). */
static char *category_path(const struct tax_category *c)
{
	return c->parent ? xstrfmt("%s/%s", c->parent->key, c->key) : xstrdup(c->key);
}

static const struct tax_category *category_by_key(const struct tax_dimension *d, const char *key)
{
	for (size_t i = 0; i < d->ncats; i++) {
		if (!strcmp(d->cats[i].key, key))
			return &d->cats[i];
		for (size_t j = 0; j < d->cats[i].nsubs; j++)
			if (!strcmp(d->cats[i].subs[j].key, key))
				return &d->cats[i].subs[j];
	}
	return NULL;
}

static char *aliases_text(const struct tax_category *c)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < c->naliases; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", c->aliases[i]);
	return strbuf_detach(&sb, NULL);
}

/* Calls fn for every category of d, top-level ones each followed by their subs. */
static void each_category(const struct tax_dimension *d,
                          void (*fn)(const struct tax_category *c, void *ctx), void *ctx)
{
	for (size_t i = 0; i < d->ncats; i++) {
		fn(&d->cats[i], ctx);
		for (size_t j = 0; j < d->cats[i].nsubs; j++)
			fn(&d->cats[i].subs[j], ctx);
	}
}

struct category_diff {
	const struct tax_dimension *other; /* the dimension compared with */
	json_t *out;
	int removed; /* report categories missing from other as removed (else as added) */
};

static void added_or_removed(const struct tax_category *c, void *ctx)
{
	struct category_diff *cd = ctx;
	if (category_by_key(cd->other, c->key))
		return;
	char *path = category_path(c);
	json_t *o = change(cd->removed ? "removed" : "added", cd->other->key, path);
	json_object_set_new(o, "name", json_string(c->name));
	json_array_append_new(cd->out, o);
	free(path);
}

static void compare_category(const struct tax_category *c, void *ctx)
{
	struct category_diff *cd = ctx; /* other: the old dimension; c: the new category */
	const struct tax_category *old = category_by_key(cd->other, c->key);
	if (!old)
		return;
	char *path = category_path(c);
	const char *dim = cd->other->key;
	if (differ(old->name, c->name)) {
		json_t *o = change("renamed", dim, path);
		from_to(o, old->name, c->name);
		json_array_append_new(cd->out, o);
	}
	if (differ(old->definition, c->definition))
		json_array_append_new(cd->out, change("reworded", dim, path));
	char *a = aliases_text(old), *b = aliases_text(c);
	if (strcmp(a, b)) {
		json_t *o = change("aliases", dim, path);
		from_to(o, a, b);
		json_array_append_new(cd->out, o);
	}
	free(a);
	free(b);
	const char *pa = old->parent ? old->parent->key : NULL,
	           *pb = c->parent ? c->parent->key : NULL;
	if (differ(pa, pb)) {
		json_t *o = change("moved", dim, c->key);
		from_to(o, pa, pb);
		json_array_append_new(cd->out, o);
	}
	free(path);
}

struct key_order {
	const struct tax_dimension *other;
	const char **keys;
	size_t n;
};

static void collect_common(const struct tax_category *c, void *ctx)
{
	struct key_order *k = ctx;
	if (category_by_key(k->other, c->key))
		k->keys[k->n++] = c->key;
}

static size_t count_categories(const struct tax_dimension *d)
{
	size_t n = d->ncats;
	for (size_t i = 0; i < d->ncats; i++)
		n += d->cats[i].nsubs;
	return n;
}

/* Whether the categories both have appear in another order. */
static int reordered(const struct tax_dimension *a, const struct tax_dimension *b)
{
	struct key_order ka = {b, xcalloc(count_categories(a) + 1, sizeof(char *)), 0};
	struct key_order kb = {a, xcalloc(count_categories(b) + 1, sizeof(char *)), 0};
	each_category(a, collect_common, &ka);
	each_category(b, collect_common, &kb);
	int moved = 0;
	for (size_t i = 0; i < ka.n && i < kb.n && !moved; i++)
		moved = strcmp(ka.keys[i], kb.keys[i]) != 0;
	free(ka.keys);
	free(kb.keys);
	return moved;
}

static const struct tax_dimension *dimension_by_key(const struct taxonomy *t, const char *key)
{
	for (size_t i = 0; i < t->ndims; i++)
		if (!strcmp(t->dims[i].key, key))
			return &t->dims[i];
	return NULL;
}

static void diff_dimension(const struct tax_dimension *a, const struct tax_dimension *b,
                           json_t *out)
{
	if (differ(a->name, b->name)) {
		json_t *o = change("dimension-renamed", b->key, NULL);
		from_to(o, a->name, b->name);
		json_array_append_new(out, o);
	}
	if (differ(a->description, b->description))
		json_array_append_new(out, change("dimension-described", b->key, NULL));
	if (a->sub_rule != b->sub_rule) {
		json_t *o = change("rule", b->key, NULL);
		from_to(o, tax_sub_rule_name(a->sub_rule), tax_sub_rule_name(b->sub_rule));
		json_array_append_new(out, o);
	}
	struct category_diff added = {a, out, 0}, removed = {b, out, 1}, compared = {a, out, 0};
	each_category(b, added_or_removed, &added);
	each_category(a, added_or_removed, &removed);
	each_category(b, compare_category, &compared);
	if (reordered(a, b))
		json_array_append_new(out, change("reordered", b->key, NULL));
}

static const struct tax_reason *reason_by_key(const struct taxonomy *t, const char *key)
{
	for (size_t i = 0; i < t->nreasons; i++)
		if (!strcmp(t->reasons[i].key, key))
			return &t->reasons[i];
	return NULL;
}

static void diff_reasons(const struct taxonomy *a, const struct taxonomy *b, json_t *out)
{
	for (size_t i = 0; i < b->nreasons; i++) {
		const struct tax_reason *r = &b->reasons[i], *old = reason_by_key(a, r->key);
		if (!old) {
			json_t *o = change("reason-added", NULL, r->key);
			json_object_set_new(o, "name", json_string(r->name));
			json_array_append_new(out, o);
			continue;
		}
		if (differ(old->name, r->name)) {
			json_t *o = change("reason-renamed", NULL, r->key);
			from_to(o, old->name, r->name);
			json_array_append_new(out, o);
		}
		if (differ(old->definition, r->definition))
			json_array_append_new(out, change("reason-reworded", NULL, r->key));
	}
	for (size_t i = 0; i < a->nreasons; i++) {
		if (reason_by_key(b, a->reasons[i].key))
			continue;
		json_t *o = change("reason-removed", NULL, a->reasons[i].key);
		json_object_set_new(o, "name", json_string(a->reasons[i].name));
		json_array_append_new(out, o);
	}
}

json_t *tax_diff(const struct taxonomy *a, const struct taxonomy *b)
{
	json_t *out = json_array();
	if (differ(a->title, b->title)) {
		json_t *o = change("title", NULL, NULL);
		from_to(o, a->title, b->title);
		json_array_append_new(out, o);
	}
	if (differ(a->description, b->description))
		json_array_append_new(out, change("description", NULL, NULL));
	for (size_t i = 0; i < b->ndims; i++) {
		const struct tax_dimension *old = dimension_by_key(a, b->dims[i].key);
		if (old) {
			diff_dimension(old, &b->dims[i], out);
			continue;
		}
		json_t *o = change("dimension-added", b->dims[i].key, NULL);
		json_object_set_new(o, "name", json_string(b->dims[i].name));
		json_array_append_new(out, o);
	}
	for (size_t i = 0; i < a->ndims; i++) {
		if (dimension_by_key(b, a->dims[i].key))
			continue;
		json_t *o = change("dimension-removed", a->dims[i].key, NULL);
		json_object_set_new(o, "name", json_string(a->dims[i].name));
		json_array_append_new(out, o);
	}
	diff_reasons(a, b, out);
	tax_rules_diff(a, b, out);
	return out;
}

static const char *field(const json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));
	return v ? v : "";
}

static void quoted_from_to(const json_t *c, struct strbuf *sb)
{
	const json_t *from = json_object_get(c, "from"), *to = json_object_get(c, "to");
	if (json_is_string(from))
		strbuf_addf(sb, "'%s'", json_string_value(from));
	else
		strbuf_adds(sb, "(none)");
	strbuf_adds(sb, " \u2192 ");
	if (json_is_string(to))
		strbuf_addf(sb, "'%s'", json_string_value(to));
	else
		strbuf_adds(sb, "(none)");
}

/* "category" or "sub-category", from the path's shape. */
static const char *category_word(const char *path)
{
	return strchr(path, '/') ? "sub-category" : "category";
}

void tax_change_describe(const json_t *c, struct strbuf *sb)
{
	const char *what = field(c, "change"), *dim = field(c, "dimension");
	const char *cat = field(c, "category"), *reason = field(c, "reason");
	const char *name = field(c, "name");
	if (!strcmp(what, "title")) {
		strbuf_adds(sb, "title changed: ");
		quoted_from_to(c, sb);
	} else if (!strcmp(what, "description")) {
		strbuf_adds(sb, "description changed");
	} else if (!strcmp(what, "dimension-added") || !strcmp(what, "dimension-removed")) {
		strbuf_addf(sb, "dimension %s: %s (%s)", what + 10, dim, name);
	} else if (!strcmp(what, "dimension-renamed")) {
		strbuf_addf(sb, "%s: dimension renamed: ", dim);
		quoted_from_to(c, sb);
	} else if (!strcmp(what, "dimension-described")) {
		strbuf_addf(sb, "%s: description changed", dim);
	} else if (!strcmp(what, "rule")) {
		strbuf_addf(sb, "%s: sub-category rule: %s \u2192 %s", dim, field(c, "from"),
		            field(c, "to"));
	} else if (!strcmp(what, "added") || !strcmp(what, "removed")) {
		strbuf_addf(sb, "%s: %s %s: %s (%s)", dim, category_word(cat), what, cat, name);
	} else if (!strcmp(what, "renamed")) {
		strbuf_addf(sb, "%s: %s renamed: ", dim, cat);
		quoted_from_to(c, sb);
	} else if (!strcmp(what, "reworded")) {
		strbuf_addf(sb, "%s: %s: definition reworded", dim, cat);
	} else if (!strcmp(what, "aliases")) {
		strbuf_addf(sb, "%s: %s: aliases changed: ", dim, cat);
		quoted_from_to(c, sb);
	} else if (!strcmp(what, "moved")) {
		const json_t *from = json_object_get(c, "from"), *to = json_object_get(c, "to");
		strbuf_addf(sb, "%s: %s moved: %s \u2192 %s", dim, cat,
		            json_is_string(from) ? json_string_value(from) : "(top level)",
		            json_is_string(to) ? json_string_value(to) : "(top level)");
	} else if (!strcmp(what, "reordered")) {
		strbuf_addf(sb, "%s: categories reordered", dim);
	} else if (!strcmp(what, "reason-added") || !strcmp(what, "reason-removed")) {
		strbuf_addf(sb, "exclusion reason %s: %s (%s)", what + 7, reason, name);
	} else if (!strcmp(what, "reason-renamed")) {
		strbuf_addf(sb, "exclusion reason %s renamed: ", reason);
		quoted_from_to(c, sb);
	} else if (!strcmp(what, "reason-reworded")) {
		strbuf_addf(sb, "exclusion reason %s: definition reworded", reason);
	} else if (tax_rules_describe(c, sb)) {
		/* rule-added, rule-removed, rule-sourced, rules-reordered */
	} else {
		strbuf_addf(sb, "%s", what);
	}
}

/* --- recording --- */

/* The latest version's id, number, hash and content (caller frees); *found 0 when none. */
static int latest_version(struct store *s, int64_t taxonomy_id, int64_t *id, int *version,
                          char **hash, char **content, int *found, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT id, version, hash, content FROM taxonomy_versions "
	                              "WHERE taxonomy_id = ? ORDER BY version DESC LIMIT 1",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, taxonomy_id);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*id = *found ? sqlite3_column_int64(st, 0) : 0;
	*version = *found ? sqlite3_column_int(st, 1) : 0;
	*hash = *found ? store_column_dup(st, 2) : NULL;
	*content = *found ? store_column_dup(st, 3) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static void set_version(struct taxonomy *t, int64_t id, int version, const char *hash)
{
	t->version_id = id;
	t->version = version;
	free(t->hash);
	t->hash = xstrdup(hash);
}

/* What changed from the stored content old_content to t: a new array. */
static json_t *changes_since(const char *old_content, const struct taxonomy *t, struct error *err)
{
	struct taxonomy *old;
	if (tax_parse(old_content, strlen(old_content), "the latest version", &old, err))
		return NULL;
	json_t *changes = tax_diff(old, t);
	tax_free(old);
	return changes;
}

static int insert_version(struct store *s, struct taxonomy *t, int version, const char *hash,
                          const char *content, json_t *changes, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT INTO taxonomy_versions (taxonomy_id, version, hash, "
	                              "content, changes, source, loaded_at) VALUES (?, ?, ?, ?, ?, "
	                              "?, ?)",
	                              err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	char *text = json_dumps(changes, JSON_COMPACT);
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int(st, 2, version);
	store_bind_text(st, 3, hash);
	store_bind_text(st, 4, content);
	store_bind_text(st, 5, text);
	store_bind_text(st, 6, t->source);
	store_bind_text(st, 7, now);
	int rc = store_step_done(s, st, err);
	free(text);
	if (!rc)
		set_version(t, sqlite3_last_insert_rowid(s->db), version, hash);
	return rc;
}

int tax_version_record(struct store *s, struct taxonomy *t, int *changed, struct error *err)
{
	char *content = tax_canonical(t), *old_hash = NULL, *old_content = NULL;
	char hash[SHA256_HEX_LEN];
	sha256_hex(content, strlen(content), hash);
	int64_t id;
	int version, found, rc = -1;
	if (changed)
		*changed = 0;
	if (latest_version(s, t->id, &id, &version, &old_hash, &old_content, &found, err))
		goto out;
	if (found && !strcmp(old_hash, hash)) {
		set_version(t, id, version, hash);
		rc = 0;
		goto out;
	}
	json_t *changes = found ? changes_since(old_content, t, err) : json_array();
	if (!changes)
		goto out;
	rc = insert_version(s, t, version + 1, hash, content, changes, err);
	json_decref(changes);
	if (!rc && changed)
		*changed = 1;
out:
	free(content);
	free(old_hash);
	free(old_content);
	return rc;
}

/* --- reading the history --- */

static int taxonomy_id(struct store *s, const char *name, int64_t *id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM taxonomies WHERE name = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, name);
	if (store_step_int64(s, st, id, NULL, err))
		return -1;
	if (!*id)
		return error_set(err, "no taxonomy named '%s' (see 'issuemine taxonomy list')",
		                 name);
	return 0;
}

void tax_versions_free(struct tax_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source);
		free(v[i].loaded_at);
		json_decref(v[i].changes);
	}
	free(v);
}

int tax_versions(struct store *s, const char *name, struct tax_version **out, size_t *n,
                 struct error *err)
{
	int64_t id;
	*out = NULL;
	*n = 0;
	if (taxonomy_id(s, name, &id, err))
		return -1;
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT v.version, v.hash, v.source, v.loaded_at, v.changes, "
	                   "(SELECT count(*) FROM codes c WHERE c.version_id = v.id), "
	                   "(SELECT count(*) FROM exclusions x WHERE x.version_id = v.id) "
	                   "FROM taxonomy_versions v WHERE v.taxonomy_id = ? ORDER BY v.version",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct tax_version *v = &(*out)[(*n)++];
		memset(v, 0, sizeof(*v));
		v->version = sqlite3_column_int(st, 0);
		snprintf(v->hash, sizeof(v->hash), "%s", (const char *)sqlite3_column_text(st, 1));
		v->source = store_column_dup(st, 2);
		v->loaded_at = store_column_dup(st, 3);
		const char *changes = (const char *)sqlite3_column_text(st, 4);
		v->changes = json_loads(changes ? changes : "[]", 0, NULL);
		if (!json_is_array(v->changes)) {
			json_decref(v->changes);
			v->changes = json_array();
		}
		v->codes = (long)sqlite3_column_int64(st, 5);
		v->exclusions = (long)sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	tax_versions_free(*out, *n);
	*out = NULL;
	*n = 0;
	return store_error(s, err, "reading taxonomy versions");
}

int tax_version_read(struct store *s, const char *name, int version, struct taxonomy **out,
                     struct error *err)
{
	int64_t id;
	if (taxonomy_id(s, name, &id, err))
		return -1;
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT content, (SELECT max(version) FROM taxonomy_versions "
	                              "WHERE taxonomy_id = ?1) FROM taxonomy_versions "
	                              "WHERE taxonomy_id = ?1 AND version = ?2",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	int rc = sqlite3_step(st);
	char *content = rc == SQLITE_ROW ? store_column_dup(st, 0) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	if (!content) {
		st = store_stmt(
		        s, "SELECT max(version) FROM taxonomy_versions WHERE taxonomy_id = ?", err);
		int64_t last = 0;
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		if (store_step_int64(s, st, &last, NULL, err))
			return -1;
		if (!last)
			return error_set(err, "taxonomy %s has no recorded versions yet", name);
		return error_set(err, "taxonomy %s has no version %d (versions: 1 to %lld)", name,
		                 version, (long long)last);
	}
	char source[300];
	snprintf(source, sizeof(source), "version %d of taxonomy %s", version, name);
	rc = tax_parse(content, strlen(content), source, out, err);
	free(content);
	return rc;
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int wanted(const int64_t *raters, size_t n, int64_t rater)
{
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (raters[i] == rater)
			return 1;
	return 0;
}

int tax_versions_of_codes(struct store *s, int64_t set_id, const int64_t *raters, size_t nraters,
                          int64_t taxonomy_id, int **versions, size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT DISTINCT c.rater_id, v.version FROM codes c "
	                              "JOIN dimensions d ON d.id = c.dimension_id "
	                              "JOIN taxonomy_versions v ON v.id = c.version_id "
	                              "WHERE c.set_id = ?1 AND d.taxonomy_id = ?2 UNION "
	                              "SELECT DISTINCT x.rater_id, v.version FROM exclusions x "
	                              "JOIN taxonomy_versions v ON v.id = x.version_id "
	                              "WHERE x.set_id = ?1 AND v.taxonomy_id = ?2",
	                              err);
	*versions = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, taxonomy_id);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!wanted(raters, nraters, sqlite3_column_int64(st, 0)))
			continue;
		int v = sqlite3_column_int(st, 1), seen = 0;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = (*versions)[i] == v;
		if (seen)
			continue;
		xgrow((void **)versions, &alloc, *n + 1, sizeof(**versions));
		(*versions)[(*n)++] = v;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*versions);
		*versions = NULL;
		*n = 0;
		return store_error(s, err, "reading the codes' versions");
	}
	if (*n)
		qsort(*versions, *n, sizeof(**versions), compare_ints);
	return 0;
}

void tax_versions_note(const char *taxonomy, const int *versions, size_t n, struct strbuf *sb)
{
	if (n < 2)
		return;
	strbuf_adds(sb, "the codes span versions ");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%d", i == 0 ? "" : i + 1 == n ? " and " : ", ", versions[i]);
	strbuf_addf(sb, " of taxonomy %s (see 'issuemine taxonomy diff %s %d %d')", taxonomy,
	            taxonomy, versions[0], versions[n - 1]);
}
