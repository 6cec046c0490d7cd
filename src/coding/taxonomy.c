/*
 * taxonomy.c - parsing and validating taxonomy files, and lookups (see taxonomy.h).
 *
 * Validation is strict on purpose: a typo in a field name or a duplicated
 * key in a codebook silently changes what raters see, so every problem is an
 * error that names its JSON path. taxonomy_store.c keeps taxonomies in the
 * database.
 */
#include "taxonomy.h"
#include "builtin.h"
#include "tax_rules.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where in the file we are, for error messages: "dimensions[1].categories[0]". */
struct path {
	const char *source;
	char text[256];
};

static int path_error(const struct path *p, struct error *err, const char *field, const char *what)
{
	if (field)
		return error_set(err, "%s: %s%s%s: %s", p->source, p->text, p->text[0] ? "." : "",
		                 field, what);
	return error_set(err, "%s: %s: %s", p->source, p->text[0] ? p->text : "top level", what);
}

static void path_child(const struct path *parent, struct path *child, const char *field,
                       size_t index)
{
	child->source = parent->source;
	snprintf(child->text, sizeof(child->text), "%s%s%s[%zu]", parent->text,
	         parent->text[0] ? "." : "", field, index);
}

/* Fails on members other than the allowed ones: a misspelt field must not pass silently. */
static int only_fields(json_t *obj, const char *const *allowed, const struct path *p,
                       struct error *err)
{
	const char *key = tax_unknown_field(obj, allowed);
	return key ? path_error(p, err, key, "unknown field") : 0;
}

/* A string member: required ones must be present and non-blank. */
static int get_string(json_t *obj, const char *field, int required, const struct path *p,
                      char **out, struct error *err)
{
	json_t *v = json_object_get(obj, field);
	*out = NULL;
	if (!v) {
		if (required)
			return path_error(p, err, field, "missing");
		return 0;
	}
	if (!json_is_string(v))
		return path_error(p, err, field, "not a string");
	const char *s = json_string_value(v);
	int blank = 1;
	for (const char *c = s; *c; c++)
		blank &= isspace((unsigned char)*c) != 0;
	if (required && blank)
		return path_error(p, err, field, "empty");
	*out = xstrdup(s);
	return 0;
}

static int valid_key(const char *key)
{
	if (!*key)
		return 0;
	for (const char *c = key; *c; c++)
		if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '-' &&
		    *c != '_')
			return 0;
	return 1;
}

static int get_key(json_t *obj, const struct path *p, char **out, struct error *err)
{
	if (get_string(obj, "key", 1, p, out, err))
		return -1;
	if (!valid_key(*out))
		return path_error(p, err, "key",
		                  "only lowercase letters, digits, '-' and '_' are allowed");
	return 0;
}

static int get_aliases(json_t *obj, const struct path *p, struct tax_category *c, struct error *err)
{
	json_t *arr = json_object_get(obj, "aliases");
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return path_error(p, err, "aliases", "not an array");
	c->aliases = xcalloc(json_array_size(arr), sizeof(char *));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		char field[32];
		snprintf(field, sizeof(field), "aliases[%zu]", i);
		if (!json_is_string(v) || !*json_string_value(v))
			return path_error(p, err, field, "not a non-empty string");
		c->aliases[c->naliases++] = xstrdup(json_string_value(v));
	}
	return 0;
}

static int parse_categories(json_t *arr, const struct path *p, const char *field,
                            struct tax_category **out, size_t *n, const struct tax_category *parent,
                            struct error *err);

static int parse_category(json_t *obj, const struct path *p, struct tax_category *c,
                          const struct tax_category *parent, struct error *err)
{
	static const char *const fields[] = {"key",     "name",          "definition",
	                                     "aliases", "subcategories", NULL};
	c->parent = parent;
	if (!json_is_object(obj))
		return path_error(p, err, NULL, "not an object");
	if (only_fields(obj, fields, p, err) || get_key(obj, p, &c->key, err) ||
	    get_string(obj, "name", 1, p, &c->name, err) ||
	    get_string(obj, "definition", 0, p, &c->definition, err) || get_aliases(obj, p, c, err))
		return -1;
	if (!c->definition)
		c->definition = xstrdup("");
	json_t *subs = json_object_get(obj, "subcategories");
	if (!subs)
		return 0;
	if (parent)
		return path_error(p, err, "subcategories",
		                  "a sub-category cannot have sub-categories");
	return parse_categories(subs, p, "subcategories", &c->subs, &c->nsubs, c, err);
}

static int parse_categories(json_t *arr, const struct path *p, const char *field,
                            struct tax_category **out, size_t *n, const struct tax_category *parent,
                            struct error *err)
{
	if (!json_is_array(arr))
		return path_error(p, err, field, arr ? "not an array" : "missing");
	if (json_array_size(arr) == 0)
		return path_error(p, err, field, "empty");
	*out = xcalloc(json_array_size(arr), sizeof(**out));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		struct path child;
		path_child(p, &child, field, i);
		(*n)++;
		if (parse_category(v, &child, &(*out)[i], parent, err))
			return -1;
	}
	return 0;
}

static const char *const sub_rule_names[] = {"absent", "optional", "required"};

const char *tax_sub_rule_name(enum tax_sub_rule rule)
{
	return sub_rule_names[rule];
}

int tax_sub_rule_parse(const char *name, enum tax_sub_rule *rule)
{
	for (size_t i = 0; i < sizeof(sub_rule_names) / sizeof(sub_rule_names[0]); i++) {
		if (name && !strcmp(name, sub_rule_names[i])) {
			*rule = (enum tax_sub_rule)i;
			return 0;
		}
	}
	return -1;
}

static int parse_sub_rule(json_t *obj, const struct path *p, struct tax_dimension *d,
                          struct error *err)
{
	char *rule;
	if (get_string(obj, "subcategory", 0, p, &rule, err))
		return -1;
	int has_subs = 0;
	for (size_t i = 0; i < d->ncats; i++)
		has_subs |= d->cats[i].nsubs > 0;
	int rc = 0;
	if (!rule)
		d->sub_rule = has_subs ? TAX_SUB_OPTIONAL : TAX_SUB_ABSENT;
	else if (tax_sub_rule_parse(rule, &d->sub_rule))
		rc = path_error(p, err, "subcategory", "not one of required, optional, absent");
	free(rule);
	if (!rc && d->sub_rule == TAX_SUB_ABSENT && has_subs)
		rc = path_error(p, err, "subcategory",
		                "\"absent\", but a category has sub-categories");
	return rc;
}

static int category_matches(const struct tax_category *c, const char *word)
{
	if (!strcasecmp(c->key, word) || !strcasecmp(c->name, word))
		return 1;
	for (size_t i = 0; i < c->naliases; i++)
		if (!strcasecmp(c->aliases[i], word))
			return 1;
	return 0;
}

/*
 * Two categories (or sub-categories of one parent) must not share a key,
 * name or alias, or a lookup would find the first: the word of a that b
 * also answers to, or NULL.
 */
static const char *shared_word(const struct tax_category *a, const struct tax_category *b)
{
	if (category_matches(b, a->key))
		return a->key;
	if (category_matches(b, a->name))
		return a->name;
	for (size_t i = 0; i < a->naliases; i++)
		if (category_matches(b, a->aliases[i]))
			return a->aliases[i];
	return NULL;
}

static int check_siblings(const struct tax_category *cats, size_t n, const struct path *p,
                          const char *field, struct error *err)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++) {
			const char *word = shared_word(&cats[i], &cats[j]);
			if (!word)
				continue;
			struct path child;
			char what[300];
			path_child(p, &child, field, i);
			snprintf(what, sizeof(what),
			         "'%s' is already used by %s[%zu] (keys, names "
			         "and aliases must be unique)",
			         word, field, j);
			return path_error(&child, err, NULL, what);
		}
	}
	return 0;
}

/* Keys are unique within a dimension, sub-categories included (the database relies on it). */
static int check_dimension_keys(const struct tax_dimension *d, const struct path *p,
                                struct error *err)
{
	if (check_siblings(d->cats, d->ncats, p, "categories", err))
		return -1;
	for (size_t i = 0; i < d->ncats; i++) {
		struct path cp;
		path_child(p, &cp, "categories", i);
		if (check_siblings(d->cats[i].subs, d->cats[i].nsubs, &cp, "subcategories", err))
			return -1;
		for (size_t j = 0; j < d->cats[i].nsubs; j++) {
			const char *key = d->cats[i].subs[j].key;
			for (size_t k = 0; k < d->ncats; k++) {
				int dup = !strcmp(d->cats[k].key, key);
				for (size_t m = 0; m < d->cats[k].nsubs && !dup; m++)
					dup = (k != i || m != j) &&
					      !strcmp(d->cats[k].subs[m].key, key);
				if (!dup)
					continue;
				struct path sp;
				path_child(&cp, &sp, "subcategories", j);
				return path_error(&sp, err, "key",
				                  "duplicate key within the dimension");
			}
		}
	}
	return 0;
}

static int parse_dimension(json_t *obj, const struct path *p, struct tax_dimension *d,
                           struct error *err)
{
	static const char *const fields[] = {"key",         "name",       "description",
	                                     "subcategory", "categories", NULL};
	if (!json_is_object(obj))
		return path_error(p, err, NULL, "not an object");
	if (only_fields(obj, fields, p, err) || get_key(obj, p, &d->key, err) ||
	    get_string(obj, "name", 1, p, &d->name, err) ||
	    get_string(obj, "description", 0, p, &d->description, err) ||
	    parse_categories(json_object_get(obj, "categories"), p, "categories", &d->cats,
	                     &d->ncats, NULL, err) ||
	    parse_sub_rule(obj, p, d, err))
		return -1;
	return check_dimension_keys(d, p, err);
}

static int dimension_matches(const struct tax_dimension *d, const char *word)
{
	return !strcasecmp(d->key, word) || !strcasecmp(d->name, word);
}

static int parse_dimensions(json_t *root, const struct path *p, struct taxonomy *t,
                            struct error *err)
{
	json_t *arr = json_object_get(root, "dimensions");
	if (!json_is_array(arr))
		return path_error(p, err, "dimensions", arr ? "not an array" : "missing");
	if (json_array_size(arr) == 0)
		return path_error(p, err, "dimensions", "empty");
	if (json_array_size(arr) > TAX_MAX_DIMENSIONS)
		return path_error(p, err, "dimensions",
		                  "more than 9 (the labeling UI codes a dimension with the keys "
		                  "1 to 9)");
	t->dims = xcalloc(json_array_size(arr), sizeof(*t->dims));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		struct path child;
		path_child(p, &child, "dimensions", i);
		t->ndims++;
		if (parse_dimension(v, &child, &t->dims[i], err))
			return -1;
		for (size_t j = 0; j < i; j++) {
			const struct tax_dimension *d = &t->dims[i];
			const char *word = dimension_matches(&t->dims[j], d->key)    ? d->key
			                   : dimension_matches(&t->dims[j], d->name) ? d->name
			                                                             : NULL;
			if (!word)
				continue;
			char what[300];
			snprintf(what, sizeof(what),
			         "duplicate dimension key or name: '%s' is already used by "
			         "dimensions[%zu]",
			         word, j);
			return path_error(&child, err, NULL, what);
		}
	}
	return 0;
}

static int valid_taxonomy_name(const char *name)
{
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return 0;
	return *name != '\0';
}

/* --- exclusion reasons --- */

static const struct {
	const char *key, *name, *definition;
} default_reasons[] = {
        {"not-a-failure", "Not a failure",
         "The issue reports no failure of the software: a question, a feature request, a "
         "usage problem or a discussion."},
        {"out-of-scope", "Out of scope",
         "A failure, but not of the software the study is about (another project, the "
         "user's own code or environment)."},
        {"not-enough-information", "Not enough information",
         "The issue, its discussion and its fix do not tell enough to code it."},
};

void tax_default_reasons(struct taxonomy *t)
{
	for (size_t i = 0; i < t->nreasons; i++) {
		free(t->reasons[i].key);
		free(t->reasons[i].name);
		free(t->reasons[i].definition);
	}
	free(t->reasons);
	size_t n = sizeof(default_reasons) / sizeof(default_reasons[0]);
	t->reasons = xcalloc(n, sizeof(*t->reasons));
	for (size_t i = 0; i < n; i++) {
		t->reasons[i].key = xstrdup(default_reasons[i].key);
		t->reasons[i].name = xstrdup(default_reasons[i].name);
		t->reasons[i].definition = xstrdup(default_reasons[i].definition);
	}
	t->nreasons = n;
}

static int reason_matches(const struct tax_reason *r, const char *word)
{
	return !strcasecmp(r->key, word) || !strcasecmp(r->name, word);
}

static int parse_reason(json_t *obj, const struct path *p, struct tax_reason *r, struct error *err)
{
	static const char *const fields[] = {"key", "name", "definition", NULL};
	if (!json_is_object(obj))
		return path_error(p, err, NULL, "not an object");
	if (only_fields(obj, fields, p, err) || get_key(obj, p, &r->key, err) ||
	    get_string(obj, "name", 1, p, &r->name, err) ||
	    get_string(obj, "definition", 0, p, &r->definition, err))
		return -1;
	if (!r->definition)
		r->definition = xstrdup("");
	return 0;
}

static int parse_exclusions(json_t *root, const struct path *p, struct taxonomy *t,
                            struct error *err)
{
	json_t *arr = json_object_get(root, "exclusions");
	if (!arr) {
		tax_default_reasons(t);
		return 0;
	}
	if (!json_is_array(arr))
		return path_error(p, err, "exclusions", "not an array");
	if (json_array_size(arr) == 0)
		return path_error(
		        p, err, "exclusions",
		        "empty (leave it out for the default reasons: " TAX_DEFAULT_REASONS ")");
	t->reasons = xcalloc(json_array_size(arr), sizeof(*t->reasons));
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		struct path child;
		path_child(p, &child, "exclusions", i);
		t->nreasons++;
		if (parse_reason(v, &child, &t->reasons[i], err))
			return -1;
		for (size_t j = 0; j < i; j++) {
			const struct tax_reason *r = &t->reasons[i];
			const char *word = reason_matches(&t->reasons[j], r->key)    ? r->key
			                   : reason_matches(&t->reasons[j], r->name) ? r->name
			                                                             : NULL;
			if (!word)
				continue;
			char what[300];
			snprintf(what, sizeof(what), "'%s' is already used by exclusions[%zu]",
			         word, j);
			return path_error(&child, err, NULL, what);
		}
	}
	return 0;
}

static int parse_root(json_t *root, const struct path *p, struct taxonomy *t, struct error *err)
{
	static const char *const fields[] = {"name",       "title", "description", "dimensions",
	                                     "exclusions", "rules", NULL};
	if (!json_is_object(root))
		return path_error(p, err, NULL, "a taxonomy must be a JSON object");
	if (only_fields(root, fields, p, err) || get_string(root, "name", 1, p, &t->name, err) ||
	    get_string(root, "title", 0, p, &t->title, err) ||
	    get_string(root, "description", 0, p, &t->description, err))
		return -1;
	if (!valid_taxonomy_name(t->name))
		return path_error(p, err, "name",
		                  "only letters, digits, '-', '_' and '.' are allowed");
	return parse_dimensions(root, p, t, err) || parse_exclusions(root, p, t, err) ||
	                       tax_rules_parse(root, p->source, t, err)
	               ? -1
	               : 0;
}

int tax_parse(const char *text, size_t len, const char *source, struct taxonomy **out,
              struct error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(err, "%s: line %d, column %d: %s", source, jerr.line, jerr.column,
		                 jerr.text);
	struct taxonomy *t = xcalloc(1, sizeof(*t));
	struct path p = {source, ""};
	t->source = xstrdup(source);
	int rc = parse_root(root, &p, t, err);
	json_decref(root);
	if (rc) {
		tax_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int tax_load_file(const char *path, struct taxonomy **out, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = strbuf_read_file(&sb, path, err) || tax_parse(sb.buf, sb.len, path, out, err);
	strbuf_release(&sb);
	return rc ? -1 : 0;
}

int tax_load_builtin(const char *name, struct taxonomy **out, struct error *err)
{
	const struct builtin_file *f = builtin_find("taxonomy", name, "json");
	if (!f)
		return error_set(err, "no built-in taxonomy named '%s'", name);
	if (tax_parse(f->data, f->len, f->path, out, err))
		return -1;
	free((*out)->source);
	(*out)->source = xstrdup("builtin");
	return 0;
}

static void free_category(struct tax_category *c)
{
	free(c->key);
	free(c->name);
	free(c->definition);
	for (size_t i = 0; i < c->naliases; i++)
		free(c->aliases[i]);
	free(c->aliases);
	for (size_t i = 0; i < c->nsubs; i++)
		free_category(&c->subs[i]);
	free(c->subs);
}

void tax_free(struct taxonomy *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ndims; i++) {
		struct tax_dimension *d = &t->dims[i];
		for (size_t j = 0; j < d->ncats; j++)
			free_category(&d->cats[j]);
		free(d->cats);
		free(d->key);
		free(d->name);
		free(d->description);
	}
	free(t->dims);
	for (size_t i = 0; i < t->nreasons; i++) {
		free(t->reasons[i].key);
		free(t->reasons[i].name);
		free(t->reasons[i].definition);
	}
	free(t->reasons);
	tax_rules_free(t);
	free(t->hash);
	free(t->name);
	free(t->title);
	free(t->description);
	free(t->source);
	free(t);
}

/* --- lookups --- */

const struct tax_dimension *tax_find_dimension(const struct taxonomy *t, const char *word)
{
	for (size_t i = 0; i < t->ndims; i++)
		if (dimension_matches(&t->dims[i], word))
			return &t->dims[i];
	return NULL;
}

const struct tax_category *tax_find_category(const struct tax_dimension *d, const char *word)
{
	for (size_t i = 0; i < d->ncats; i++)
		if (category_matches(&d->cats[i], word))
			return &d->cats[i];
	return NULL;
}

const struct tax_category *tax_find_subcategory(const struct tax_category *c, const char *word)
{
	for (size_t i = 0; i < c->nsubs; i++)
		if (category_matches(&c->subs[i], word))
			return &c->subs[i];
	return NULL;
}

const struct tax_reason *tax_find_reason(const struct taxonomy *t, const char *word)
{
	for (size_t i = 0; i < t->nreasons; i++)
		if (reason_matches(&t->reasons[i], word))
			return &t->reasons[i];
	return NULL;
}

const struct tax_reason *tax_reason_by_id(const struct taxonomy *t, int64_t id)
{
	for (size_t i = 0; i < t->nreasons; i++)
		if (t->reasons[i].id == id)
			return &t->reasons[i];
	return NULL;
}

int tax_resolve_reason(const struct taxonomy *t, const char *word, const struct tax_reason **out,
                       struct error *err)
{
	*out = tax_find_reason(t, word);
	if (*out)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < t->nreasons; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", t->reasons[i].key);
	error_set(err, "exclusion: no reason '%s' in taxonomy %s (valid: %s)", word, t->name,
	          t->nreasons ? sb.buf : "none");
	strbuf_release(&sb);
	return -1;
}

long tax_dimension_index(const struct taxonomy *t, int64_t id)
{
	for (size_t i = 0; i < t->ndims; i++)
		if (t->dims[i].id == id)
			return (long)i;
	return -1;
}

const struct tax_dimension *tax_dimension_by_id(const struct taxonomy *t, int64_t id)
{
	long i = tax_dimension_index(t, id);
	return i < 0 ? NULL : &t->dims[i];
}

const struct tax_category *tax_category_by_id(const struct tax_dimension *d, int64_t id)
{
	for (size_t i = 0; i < d->ncats; i++) {
		if (d->cats[i].id == id)
			return &d->cats[i];
		for (size_t j = 0; j < d->cats[i].nsubs; j++)
			if (d->cats[i].subs[j].id == id)
				return &d->cats[i].subs[j];
	}
	return NULL;
}

int tax_code_from_ids(const struct taxonomy *t, const struct tax_dimension *d, int64_t cat_id,
                      int64_t sub_id, struct tax_code *out, struct error *err)
{
	out->dim = d;
	out->cat = tax_category_by_id(d, cat_id);
	out->sub = sub_id ? tax_category_by_id(d, sub_id) : NULL;
	if (!out->cat || out->cat->parent ||
	    (sub_id && (!out->sub || out->sub->parent != out->cat)))
		return error_set(err,
		                 "%s: a stored code (category %lld, sub-category %lld) does not "
		                 "fit taxonomy %s",
		                 d->key, (long long)cat_id, (long long)sub_id, t->name);
	return 0;
}

static void list_names(const struct tax_category *cats, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", cats[i].name);
}

static int unknown_word(struct error *err, const char *what, const char *word,
                        const struct tax_category *cats, size_t n, const char *scope)
{
	struct strbuf sb = STRBUF_INIT;
	list_names(cats, n, &sb);
	error_set(err, "%s: no %s '%s' (valid: %s)", scope, what, word, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int unknown_dimension(const struct taxonomy *t, const char *word, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < t->ndims; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", t->dims[i].key);
	error_set(err, "no dimension '%s' in taxonomy %s (valid: %s)", word, t->name, sb.buf);
	strbuf_release(&sb);
	return -1;
}

static int check_sub_rule(const struct tax_code *c, struct error *err)
{
	if (c->sub && c->dim->sub_rule == TAX_SUB_ABSENT)
		return error_set(err, "%s: sub-categories are not used in this dimension",
		                 c->dim->key);
	if (!c->sub && c->dim->sub_rule == TAX_SUB_REQUIRED && c->cat->nsubs > 0) {
		struct strbuf sb = STRBUF_INIT;
		list_names(c->cat->subs, c->cat->nsubs, &sb);
		error_set(err, "%s: %s needs a sub-category (valid: %s)", c->dim->key, c->cat->name,
		          sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	return 0;
}

int tax_resolve(const struct taxonomy *t, const char *dim, const char *cat, const char *sub,
                struct tax_code *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->dim = tax_find_dimension(t, dim);
	if (!out->dim)
		return unknown_dimension(t, dim, err);
	out->cat = tax_find_category(out->dim, cat);
	if (!out->cat)
		return unknown_word(err, "category", cat, out->dim->cats, out->dim->ncats,
		                    out->dim->key);
	if (sub && *sub) {
		if (out->cat->nsubs == 0)
			return error_set(err, "%s: %s has no sub-categories (got '%s')",
			                 out->dim->key, out->cat->name, sub);
		out->sub = tax_find_subcategory(out->cat, sub);
		if (!out->sub) {
			char scope[300];
			snprintf(scope, sizeof(scope), "%s: %s", out->dim->key, out->cat->name);
			return unknown_word(err, "sub-category", sub, out->cat->subs,
			                    out->cat->nsubs, scope);
		}
	}
	return check_sub_rule(out, err);
}

int tax_resolve_spec(const struct taxonomy *t, const char *spec, struct tax_code *out,
                     struct error *err)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1])
		return error_set(err,
		                 "'%s': expected dimension=category or "
		                 "dimension=category/sub-category",
		                 spec);
	char *dim = xstrndup(spec, (size_t)(eq - spec));
	const char *slash = strchr(eq + 1, '/');
	char *cat = slash ? xstrndup(eq + 1, (size_t)(slash - eq - 1)) : xstrdup(eq + 1);
	int rc = tax_resolve(t, dim, cat, slash ? slash + 1 : NULL, out, err);
	free(dim);
	free(cat);
	return rc;
}

void tax_code_label(const struct tax_code *code, char *buf, size_t size)
{
	if (code->sub)
		snprintf(buf, size, "%s/%s", code->cat->name, code->sub->name);
	else
		snprintf(buf, size, "%s", code->cat->name);
}

/* --- the file form, and the canonical text versions are hashed over --- */

static void set_string(json_t *o, const char *field, const char *value)
{
	if (value)
		json_object_set_new(o, field, json_string(value));
}

static json_t *category_to_json(const struct tax_category *c)
{
	json_t *o = json_object();
	set_string(o, "key", c->key);
	set_string(o, "name", c->name);
	set_string(o, "definition", c->definition);
	json_t *aliases = json_array();
	for (size_t i = 0; i < c->naliases; i++)
		json_array_append_new(aliases, json_string(c->aliases[i]));
	json_object_set_new(o, "aliases", aliases);
	if (c->nsubs) {
		json_t *subs = json_array();
		for (size_t i = 0; i < c->nsubs; i++)
			json_array_append_new(subs, category_to_json(&c->subs[i]));
		json_object_set_new(o, "subcategories", subs);
	}
	return o;
}

static json_t *dimension_to_json(const struct tax_dimension *d)
{
	json_t *o = json_object(), *cats = json_array();
	set_string(o, "key", d->key);
	set_string(o, "name", d->name);
	set_string(o, "description", d->description);
	set_string(o, "subcategory", tax_sub_rule_name(d->sub_rule));
	for (size_t i = 0; i < d->ncats; i++)
		json_array_append_new(cats, category_to_json(&d->cats[i]));
	json_object_set_new(o, "categories", cats);
	return o;
}

json_t *tax_to_json(const struct taxonomy *t)
{
	json_t *o = json_object(), *dims = json_array(), *reasons = json_array();
	set_string(o, "name", t->name);
	set_string(o, "title", t->title);
	set_string(o, "description", t->description);
	for (size_t i = 0; i < t->ndims; i++)
		json_array_append_new(dims, dimension_to_json(&t->dims[i]));
	json_object_set_new(o, "dimensions", dims);
	for (size_t i = 0; i < t->nreasons; i++) {
		json_t *r = json_object();
		set_string(r, "key", t->reasons[i].key);
		set_string(r, "name", t->reasons[i].name);
		set_string(r, "definition", t->reasons[i].definition);
		json_array_append_new(reasons, r);
	}
	/* (none only for a taxonomy read from a database not yet upgraded) */
	if (t->nreasons)
		json_object_set_new(o, "exclusions", reasons);
	else
		json_decref(reasons);
	/* Only when there are some: a taxonomy without rules keeps the hash it had. */
	json_t *rules = tax_rules_to_json(t);
	if (rules)
		json_object_set_new(o, "rules", rules);
	return o;
}

char *tax_canonical(const struct taxonomy *t)
{
	json_t *o = tax_to_json(t);
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}
