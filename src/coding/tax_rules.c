/*
 * tax_rules.c - parsing, compiling, storing and comparing a taxonomy's
 * suggestion rules (see tax_rules.h).
 *
 * A glob becomes the anchored PCRE2 pattern the query language's fix.path:
 * makes of it (query_fix_glob_to_regex), so a rule and a query term with
 * the same glob always match the same files. Patterns are compiled once,
 * when the taxonomy is parsed or read, and matched without JIT: a fix has
 * at most a few thousand files and a pattern fails at its first literal.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tax_rules.h"
#include "query_fix.h"
#include "xalloc.h"

#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- compiling --- */

/* Compiles glob; NULL with why and *at (byte offset in glob) when it is not one. */
static pcre2_code *compile_glob(const char *glob, size_t *at, const char **why)
{
	struct strbuf re = STRBUF_INIT;
	if (query_fix_glob_to_regex(glob, strlen(glob), &re, at, why)) {
		strbuf_release(&re);
		return NULL;
	}
	int code;
	PCRE2_SIZE off;
	pcre2_code *p = pcre2_compile((PCRE2_SPTR)re.buf, re.len,
	                              PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	strbuf_release(&re);
	if (!p) {
		*at = 0;
		*why = "the glob makes no valid pattern";
	}
	return p;
}

int tax_rule_matches(const struct tax_rule *r, const char *path, size_t *which)
{
	if (!path)
		return 0;
	/* One pair of offsets is enough: only whether it matches counts. */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t len = strlen(path);
	int found = 0;
	for (size_t i = 0; i < r->npaths && !found; i++) {
		found = pcre2_match(r->patterns[i], (PCRE2_SPTR)path, len, 0, 0, md, NULL) >= 0;
		if (found && which)
			*which = i;
	}
	pcre2_match_data_free(md);
	return found;
}

static void free_rule(struct tax_rule *r)
{
	for (size_t i = 0; i < r->npaths; i++) {
		free(r->paths[i]);
		if (r->patterns)
			pcre2_code_free(r->patterns[i]);
	}
	free(r->paths);
	free(r->patterns);
	free(r->source);
}

void tax_rules_free(struct taxonomy *t)
{
	for (size_t i = 0; i < t->nrules; i++)
		free_rule(&t->rules[i]);
	free(t->rules);
	t->rules = NULL;
	t->nrules = 0;
}

/* --- parsing --- */

struct rule_path {
	const char *source;
	char text[64]; /* "rules[3]" */
};

static int rule_error(const struct rule_path *p, struct error *err, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int rule_error(const struct rule_path *p, struct error *err, const char *field,
                      const char *fmt, ...)
{
	char what[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (field)
		return error_set(err, "%s: %s.%s: %s", p->source, p->text, field, what);
	return error_set(err, "%s: %s: %s", p->source, p->text, what);
}

const char *tax_unknown_field(json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, key);
		if (!ok)
			return key;
	}
	return NULL;
}

static int check_fields(json_t *obj, const struct rule_path *p, struct error *err)
{
	static const char *const allowed[] = {"dimension", "category", "subcategory", "paths",
	                                      "all",       "source",   NULL};
	const char *key = tax_unknown_field(obj, allowed);
	if (key)
		return rule_error(p, err, key,
		                  "unknown field (a rule has dimension, "
		                  "category, subcategory, paths, all, source)");
	return 0;
}

/* A string field: present and non-empty when required. */
static int string_field(json_t *obj, const char *field, int required, const struct rule_path *p,
                        const char **out, struct error *err)
{
	json_t *v = json_object_get(obj, field);
	*out = NULL;
	if (!v)
		return required ? rule_error(p, err, field, "missing") : 0;
	if (!json_is_string(v) || !*json_string_value(v))
		return rule_error(p, err, field, "not a non-empty string");
	*out = json_string_value(v);
	return 0;
}

static void list_dimensions(const struct taxonomy *t, struct strbuf *sb)
{
	for (size_t i = 0; i < t->ndims; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", t->dims[i].key);
}

static void list_categories(const struct tax_category *cats, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", cats[i].key);
}

static int resolve_target(json_t *obj, const struct rule_path *p, const struct taxonomy *t,
                          struct tax_rule *r, struct error *err)
{
	const char *dim, *cat, *sub;
	if (string_field(obj, "dimension", 1, p, &dim, err) ||
	    string_field(obj, "category", 1, p, &cat, err) ||
	    string_field(obj, "subcategory", 0, p, &sub, err))
		return -1;
	struct strbuf valid = STRBUF_INIT;
	int rc = 0;
	r->dim = tax_find_dimension(t, dim);
	if (!r->dim) {
		list_dimensions(t, &valid);
		rc = rule_error(p, err, "dimension", "no dimension '%s' (valid: %s)", dim,
		                valid.buf);
	} else if (!(r->cat = tax_find_category(r->dim, cat))) {
		list_categories(r->dim->cats, r->dim->ncats, &valid);
		rc = rule_error(p, err, "category", "%s: no category '%s' (valid: %s)", r->dim->key,
		                cat, valid.buf);
	} else if (sub && !(r->sub = tax_find_subcategory(r->cat, sub))) {
		list_categories(r->cat->subs, r->cat->nsubs, &valid);
		rc = rule_error(p, err, "subcategory",
		                "%s: %s has no sub-category '%s' (valid: %s)", r->dim->key,
		                r->cat->key, sub, r->cat->nsubs ? valid.buf : "none");
	} else if (sub && r->dim->sub_rule == TAX_SUB_ABSENT) {
		rc = rule_error(p, err, "subcategory", "%s: sub-categories are not used",
		                r->dim->key);
	} else if (!sub && r->dim->sub_rule == TAX_SUB_REQUIRED && r->cat->nsubs) {
		list_categories(r->cat->subs, r->cat->nsubs, &valid);
		rc = rule_error(p, err, NULL,
		                "%s: %s needs a sub-category, or a suggestion could not be "
		                "saved (valid: %s)",
		                r->dim->key, r->cat->key, valid.buf);
	}
	strbuf_release(&valid);
	return rc;
}

/* The earlier rule of the same dimension that already has glob, or -1. */
static long earlier_path(const struct taxonomy *t, size_t upto, const struct tax_rule *r,
                         const char *glob)
{
	for (size_t i = 0; i < upto; i++) {
		if (t->rules[i].dim != r->dim)
			continue;
		for (size_t j = 0; j < t->rules[i].npaths; j++)
			if (!strcmp(t->rules[i].paths[j], glob))
				return (long)i;
	}
	return -1;
}

static int parse_paths(json_t *obj, const struct rule_path *p, const struct taxonomy *t,
                       size_t index, struct tax_rule *r, struct error *err)
{
	json_t *arr = json_object_get(obj, "paths");
	if (!arr)
		return rule_error(p, err, "paths",
		                  "missing (a list of globs, e.g. [\"torch/onnx/**\"])");
	if (!json_is_array(arr) || !json_array_size(arr))
		return rule_error(p, err, "paths", "not a non-empty list of globs");
	size_t n = json_array_size(arr);
	r->paths = xcalloc(n, sizeof(*r->paths));
	r->patterns = xcalloc(n, sizeof(*r->patterns));
	for (size_t i = 0; i < n; i++) {
		char field[32];
		snprintf(field, sizeof(field), "paths[%zu]", i);
		const char *glob = json_string_value(json_array_get(arr, i));
		if (!glob || !*glob)
			return rule_error(p, err, field, "not a non-empty string");
		size_t at = 0;
		const char *why = NULL;
		pcre2_code *code = compile_glob(glob, &at, &why);
		if (!code)
			return rule_error(p, err, field, "bad glob '%s': %s (at byte %zu)", glob,
			                  why, at);
		r->paths[r->npaths] = xstrdup(glob);
		r->patterns[r->npaths++] = code;
		long before = earlier_path(t, index, r, glob);
		if (before >= 0)
			return rule_error(p, err, field,
			                  "'%s' is already a path of rules[%ld] (for each file the "
			                  "first rule that matches decides)",
			                  glob, before);
	}
	return 0;
}

static int parse_rule(json_t *obj, const struct rule_path *p, struct taxonomy *t, size_t index,
                      struct error *err)
{
	struct tax_rule *r = &t->rules[index];
	if (!json_is_object(obj))
		return rule_error(p, err, NULL, "not an object");
	if (check_fields(obj, p, err) || resolve_target(obj, p, t, r, err))
		return -1;
	json_t *all = json_object_get(obj, "all");
	if (all && !json_is_boolean(all))
		return rule_error(p, err, "all", "not true or false");
	r->all = all && json_is_true(all);
	const char *source;
	if (string_field(obj, "source", 0, p, &source, err))
		return -1;
	r->source = source ? xstrdup(source) : NULL;
	return parse_paths(obj, p, t, index, r, err);
}

int tax_rules_parse(json_t *root, const char *source, struct taxonomy *t, struct error *err)
{
	json_t *arr = json_object_get(root, "rules");
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return error_set(err, "%s: rules: not an array", source);
	size_t n = json_array_size(arr);
	t->rules = xcalloc(n ? n : 1, sizeof(*t->rules));
	for (size_t i = 0; i < n; i++) {
		struct rule_path p = {source, ""};
		snprintf(p.text, sizeof(p.text), "rules[%zu]", i);
		t->nrules++;
		if (parse_rule(json_array_get(arr, i), &p, t, i, err))
			return -1;
	}
	return 0;
}

/* --- the file form --- */

static json_t *rule_to_json(const struct tax_rule *r)
{
	json_t *o = json_pack("{s:s, s:s}", "dimension", r->dim->key, "category", r->cat->key);
	if (r->sub)
		json_object_set_new(o, "subcategory", json_string(r->sub->key));
	json_t *paths = json_array();
	for (size_t i = 0; i < r->npaths; i++)
		json_array_append_new(paths, json_string(r->paths[i]));
	json_object_set_new(o, "paths", paths);
	/* Only when set, so that a rule without it has one canonical form. */
	if (r->all)
		json_object_set_new(o, "all", json_true());
	if (r->source)
		json_object_set_new(o, "source", json_string(r->source));
	return o;
}

json_t *tax_rules_to_json(const struct taxonomy *t)
{
	if (!t->nrules)
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < t->nrules; i++)
		json_array_append_new(arr, rule_to_json(&t->rules[i]));
	return arr;
}

void tax_rule_paths_text(const struct tax_rule *r, struct strbuf *sb)
{
	for (size_t i = 0; i < r->npaths; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", r->paths[i]);
}

/* --- the database --- */

int tax_rules_clear(struct store *s, int64_t taxonomy_id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM taxonomy_rules WHERE taxonomy_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, taxonomy_id);
	return store_step_done(s, st, err);
}

static char *paths_json(const struct tax_rule *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->npaths; i++)
		json_array_append_new(arr, json_string(r->paths[i]));
	char *text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return text;
}

int tax_rules_store(struct store *s, const struct taxonomy *t, struct error *err)
{
	if (tax_rules_clear(s, t->id, err))
		return -1;
	for (size_t i = 0; i < t->nrules; i++) {
		const struct tax_rule *r = &t->rules[i];
		sqlite3_stmt *st = store_stmt(s,
		                              "INSERT INTO taxonomy_rules (taxonomy_id, position, "
		                              "dimension_id, category_id, subcategory_id, paths, "
		                              "match_all, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		                              err);
		if (!st)
			return -1;
		char *paths = paths_json(r);
		sqlite3_bind_int64(st, 1, t->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, r->dim->id);
		sqlite3_bind_int64(st, 4, r->cat->id);
		if (r->sub)
			sqlite3_bind_int64(st, 5, r->sub->id);
		store_bind_text(st, 6, paths);
		sqlite3_bind_int(st, 7, r->all);
		store_bind_text(st, 8, r->source);
		int rc = store_step_done(s, st, err);
		free(paths);
		if (rc)
			return -1;
	}
	return 0;
}

/* Fills r's globs from a stored JSON array, compiling each; -1 when one does not compile. */
static int read_paths(const char *text, struct tax_rule *r)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	size_t n = json_array_size(arr);
	r->paths = xcalloc(n ? n : 1, sizeof(*r->paths));
	r->patterns = xcalloc(n ? n : 1, sizeof(*r->patterns));
	int rc = n ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *glob = json_string_value(json_array_get(arr, i));
		size_t at;
		const char *why;
		pcre2_code *code = glob ? compile_glob(glob, &at, &why) : NULL;
		if (!code) {
			rc = -1;
			break;
		}
		r->paths[r->npaths] = xstrdup(glob);
		r->patterns[r->npaths++] = code;
	}
	json_decref(arr);
	return rc;
}

/* Finds the dimension and categories of a stored rule by id; -1 when they do not fit. */
static int resolve_ids(const struct taxonomy *t, int64_t dim_id, int64_t cat_id, int64_t sub_id,
                       struct tax_rule *r)
{
	r->dim = tax_dimension_by_id(t, dim_id);
	r->cat = r->dim ? tax_category_by_id(r->dim, cat_id) : NULL;
	r->sub = r->cat && sub_id ? tax_category_by_id(r->dim, sub_id) : NULL;
	if (!r->cat || r->cat->parent || (sub_id && (!r->sub || r->sub->parent != r->cat)))
		return -1;
	return 0;
}

int tax_rules_read(struct store *s, struct taxonomy *t, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT dimension_id, category_id, coalesce(subcategory_id, "
	                              "0), paths, match_all, source, position FROM taxonomy_rules "
	                              "WHERE taxonomy_id = ? ORDER BY position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, t->id);
	size_t alloc = 0;
	int rc, bad = 0;
	long position = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !bad) {
		xgrow((void **)&t->rules, &alloc, t->nrules + 1, sizeof(*t->rules));
		struct tax_rule *r = &t->rules[t->nrules++];
		memset(r, 0, sizeof(*r));
		position = (long)sqlite3_column_int64(st, 6);
		bad = resolve_ids(t, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                  sqlite3_column_int64(st, 2), r) ||
		      read_paths((const char *)sqlite3_column_text(st, 3), r);
		r->all = sqlite3_column_int(st, 4) != 0;
		r->source = store_column_dup(st, 5);
	}
	sqlite3_reset(st);
	if (bad)
		return error_set(err,
		                 "taxonomy %s: stored rule %ld does not fit the taxonomy (load "
		                 "its file again)",
		                 t->name, position);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "reading taxonomy rules");
}

/* --- what changed --- */

/* What identifies a rule between versions: its target, "all" and globs (caller frees). */
static char *rule_identity(const struct tax_rule *r)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s=%s%s%s%s ", r->dim->key, r->cat->key, r->sub ? "/" : "",
	            r->sub ? r->sub->key : "", r->all ? " all" : "");
	tax_rule_paths_text(r, &sb);
	return strbuf_detach(&sb, NULL);
}

/* The index of the rule of t with identity id, or t->nrules. */
static size_t find_rule(const struct taxonomy *t, const char *id)
{
	for (size_t i = 0; i < t->nrules; i++) {
		char *other = rule_identity(&t->rules[i]);
		int same = !strcmp(other, id);
		free(other);
		if (same)
			return i;
	}
	return t->nrules;
}

static json_t *rule_change(const char *what, const struct tax_rule *r)
{
	struct strbuf paths = STRBUF_INIT;
	tax_rule_paths_text(r, &paths);
	char *target = r->sub ? xstrfmt("%s/%s", r->cat->key, r->sub->key) : xstrdup(r->cat->key);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "change", what, "dimension", r->dim->key,
	                      "category", target, "paths", paths.buf);
	if (r->all)
		json_object_set_new(o, "all", json_true());
	free(target);
	strbuf_release(&paths);
	return o;
}

static int differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

/* Whether the rules a and b have in common come in another order within a dimension. */
static int reordered_in(const struct taxonomy *a, const struct taxonomy *b, const char *dim)
{
	size_t last = 0;
	int seen = 0;
	for (size_t i = 0; i < a->nrules; i++) {
		if (strcmp(a->rules[i].dim->key, dim))
			continue;
		char *id = rule_identity(&a->rules[i]);
		size_t j = find_rule(b, id);
		free(id);
		if (j == b->nrules)
			continue;
		if (seen && j < last)
			return 1;
		last = j;
		seen = 1;
	}
	return 0;
}

void tax_rules_diff(const struct taxonomy *a, const struct taxonomy *b, json_t *out)
{
	for (size_t i = 0; i < b->nrules; i++) {
		char *id = rule_identity(&b->rules[i]);
		size_t j = find_rule(a, id);
		free(id);
		if (j == a->nrules)
			json_array_append_new(out, rule_change("rule-added", &b->rules[i]));
		else if (differ(a->rules[j].source, b->rules[i].source))
			json_array_append_new(out, rule_change("rule-sourced", &b->rules[i]));
	}
	for (size_t i = 0; i < a->nrules; i++) {
		char *id = rule_identity(&a->rules[i]);
		size_t j = find_rule(b, id);
		free(id);
		if (j == b->nrules)
			json_array_append_new(out, rule_change("rule-removed", &a->rules[i]));
	}
	for (size_t d = 0; d < b->ndims; d++)
		if (reordered_in(a, b, b->dims[d].key))
			json_array_append_new(out,
			                      json_pack("{s:s, s:s}", "change", "rules-reordered",
			                                "dimension", b->dims[d].key));
}

static const char *field(const json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));
	return v ? v : "";
}

int tax_rules_describe(const json_t *c, struct strbuf *sb)
{
	const char *what = field(c, "change"), *dim = field(c, "dimension");
	const char *all = json_is_true(json_object_get(c, "all")) ? " (when every file does)" : "";
	if (!strcmp(what, "rules-reordered")) {
		strbuf_addf(sb, "%s: rules reordered (the first that matches a file decides)", dim);
		return 1;
	}
	const char *verb = !strcmp(what, "rule-added")     ? "added"
	                   : !strcmp(what, "rule-removed") ? "removed"
	                   : !strcmp(what, "rule-sourced") ? "source changed"
	                                                   : NULL;
	if (!verb)
		return 0;
	strbuf_addf(sb, "%s: rule %s: %s \u2192 %s%s", dim, verb, field(c, "paths"),
	            field(c, "category"), all);
	return 1;
}
