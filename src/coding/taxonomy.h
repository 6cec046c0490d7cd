/*
 * taxonomy.h - failure taxonomies: the categories raters code issues against.
 *
 * A taxonomy names dimensions (symptom, cause, location...); each dimension
 * has categories, each with a stable key, a display name, a definition,
 * optional aliases (other names that imports accept) and optional
 * sub-categories of the same shape. A dimension says whether a sub-category
 * is required, optional or absent when coding.
 *
 * Taxonomies are JSON files (taxonomy/onnx-converters.json is the reference
 * study's); the shipped ones are compiled in (builtin.h). Loading validates
 * the whole file and names the JSON path of the first problem
 * ("dimensions[2].categories[0].key: missing"). In the database, categories
 * keep their ids across reloads (matched by key), so editing a definition or
 * adding a category never breaks existing codes.
 *
 * A taxonomy also names the reasons an issue may be excluded for (it is not
 * a failure, not of the studied software...): a short list, each with a key,
 * a name and a definition. A file without "exclusions" gets the general
 * list TAX_DEFAULT_REASONS describes.
 *
 * Every load that changes a taxonomy in the database records a version (a
 * number, a SHA-256 content hash of the canonical JSON, what changed): see
 * tax_version.h.
 *
 * A taxonomy may carry rules that suggest a category from the paths a fix
 * changed ("rules": [...], see tax_rules.h); they are validated with the rest
 * and are part of the canonical content.
 *
 * The file format:
 *
 *	{"name": "onnx-converters", "title": "...", "description": "...",
 *	 "dimensions": [
 *	  {"key": "cause", "name": "Cause", "description": "...",
 *	   "subcategory": "optional",               (required | optional | absent)
 *	   "categories": [
 *	    {"key": "incompatibility", "name": "Incompatibility",
 *	     "definition": "...", "aliases": ["Incompat"],
 *	     "subcategories": [{"key": "external", "name": "External",
 *	                        "definition": "..."}]}]}],
 *	 "exclusions": [{"key": "not-a-failure", "name": "...", "definition": "..."}],
 *	 "rules": [{"dimension": "location", "category": "node-conversion",
 *	            "paths": ["torch/onnx/symbolic_opset*.py"], "source": "..."}]}
 */
#ifndef ISSUEMINE_TAXONOMY_H
#define ISSUEMINE_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "store.h"

enum tax_sub_rule {
	TAX_SUB_ABSENT,   /* the dimension's categories have no sub-categories */
	TAX_SUB_OPTIONAL, /* a code may name a sub-category */
	TAX_SUB_REQUIRED, /* a code must name one when its category has any */
};

struct tax_category {
	int64_t id; /* database id; 0 for a taxonomy parsed from a file */
	char *key;
	char *name;
	char *definition;
	char **aliases;
	size_t naliases;
	struct tax_category *subs; /* sub-categories (their subs are always empty) */
	size_t nsubs;
	const struct tax_category *parent; /* NULL for a top-level category */
};

struct tax_rule;

struct tax_dimension {
	int64_t id;
	char *key;
	char *name;
	char *description;
	enum tax_sub_rule sub_rule;
	struct tax_category *cats;
	size_t ncats;
};

/* A reason for excluding an issue from coding. */
struct tax_reason {
	int64_t id; /* database id; 0 for a taxonomy parsed from a file */
	char *key;
	char *name;
	char *definition;
};

struct taxonomy {
	int64_t id;
	char *name;
	char *title;
	char *description;
	char *source; /* the file it came from, or "builtin" */
	struct tax_dimension *dims;
	size_t ndims;
	struct tax_reason *reasons; /* never empty for a parsed taxonomy */
	size_t nreasons;
	struct tax_rule *rules; /* suggestion rules, in the file's order (tax_rules.h) */
	size_t nrules;
	/* Read from the database: the version in force (0 and NULL when none is recorded). */
	int64_t version_id;
	int version;
	char *hash;
};

/* "absent", "optional" or "required": how files and the database name a rule. */
const char *tax_sub_rule_name(enum tax_sub_rule rule);
/* The rule called name; -1 when name is none of them. */
int tax_sub_rule_parse(const char *name, enum tax_sub_rule *rule);

/* At most this many dimensions: the labeling UI picks one with the keys 1 to 9. */
#define TAX_MAX_DIMENSIONS 9

/*
 * The exclusion reasons of a file without "exclusions": not-a-failure,
 * out-of-scope, not-enough-information.
 */
#define TAX_DEFAULT_REASONS "not-a-failure, out-of-scope, not-enough-information"

/* The name of the taxonomy a database gets on first use. */
#define TAX_DEFAULT_NAME "onnx-converters"

/* Parses and validates a taxonomy file's text; source names it in errors. */
int tax_parse(const char *text, size_t len, const char *source, struct taxonomy **out,
              struct error *err);

/* tax_parse of a file's contents. */
int tax_load_file(const char *path, struct taxonomy **out, struct error *err);

/* A compiled-in taxonomy by name (taxonomy/NAME.json), or -1 with err set. */
int tax_load_builtin(const char *name, struct taxonomy **out, struct error *err);

void tax_free(struct taxonomy *t);

/*
 * Stores t in the database, or updates the stored taxonomy of the same name:
 * names, definitions and aliases are replaced, new dimensions and categories
 * added (matched by key). A category missing from t is deleted when no code
 * uses it, and refused (with the count of codes) when some do; so is moving a
 * used category to another parent; exclusion reasons likewise (a reason
 * exclusions use is never removed). When the stored content changes, a new
 * version is recorded with what changed (*changed is set; it may be NULL).
 * On success t's ids and version are filled in. Must run in a transaction.
 */
int tax_store(struct store *s, struct taxonomy *t, int *changed, struct error *err);

/*
 * Reads a taxonomy from the database, with ids. name NULL means the only one:
 * when the database holds none, the default (TAX_DEFAULT_NAME) is loaded
 * into it first (needs a writable store); when it holds several, the error
 * lists them. With a writable store, a taxonomy stored before versions were
 * kept gets its version 1 (and its exclusion reasons) here.
 */
int tax_read(struct store *s, const char *name, struct taxonomy **out, struct error *err);

/* Stores the default taxonomy if the database has no taxonomy at all. */
int tax_ensure_default(struct store *s, struct error *err);

/* Lookups by key, display name or alias, ignoring case; NULL when none matches. */
const struct tax_dimension *tax_find_dimension(const struct taxonomy *t, const char *word);
const struct tax_category *tax_find_category(const struct tax_dimension *d, const char *word);
const struct tax_category *tax_find_subcategory(const struct tax_category *c, const char *word);
/* Replaces t's exclusion reasons with the default list (TAX_DEFAULT_REASONS). */
void tax_default_reasons(struct taxonomy *t);

/* An exclusion reason by key or name, ignoring case; NULL when none matches. */
const struct tax_reason *tax_find_reason(const struct taxonomy *t, const char *word);
/* By database id; NULL when none. */
const struct tax_reason *tax_reason_by_id(const struct taxonomy *t, int64_t id);
/*
 * tax_find_reason, or -1 with "exclusion: no reason 'x' (valid: not-a-failure,
 * ...)" in err.
 */
int tax_resolve_reason(const struct taxonomy *t, const char *word, const struct tax_reason **out,
                       struct error *err);

/* By database id: a dimension of t; NULL when none. */
const struct tax_dimension *tax_dimension_by_id(const struct taxonomy *t, int64_t id);
/* By database id: the index of a dimension in t->dims; -1 when none. */
long tax_dimension_index(const struct taxonomy *t, int64_t id);
/* By database id, within a dimension (top-level or sub-category); NULL when none. */
const struct tax_category *tax_category_by_id(const struct tax_dimension *d, int64_t id);

/* A code in one dimension: a category and, perhaps, one of its sub-categories. */
struct tax_code {
	const struct tax_dimension *dim;
	const struct tax_category *cat;
	const struct tax_category *sub; /* NULL when none */
};

/*
 * The code a stored row names: category cat_id and sub-category sub_id (0
 * for none) of dimension d of t. -1 with err set when they are not in d or
 * the sub-category is not one of the category's.
 */
int tax_code_from_ids(const struct taxonomy *t, const struct tax_dimension *d, int64_t cat_id,
                      int64_t sub_id, struct tax_code *out, struct error *err);

/*
 * Resolves words (keys, names or aliases) to a code, checking the dimension's
 * sub-category rule. sub may be NULL or "". On an unknown word the error
 * lists the valid choices: "cause: no category 'Foo' (valid: API Misuse,
 * Incompatibility, ...)".
 */
int tax_resolve(const struct taxonomy *t, const char *dim, const char *cat, const char *sub,
                struct tax_code *out, struct error *err);

/* Resolves "dimension=category" or "dimension=category/sub" (as "issuemine code" takes). */
int tax_resolve_spec(const struct taxonomy *t, const char *spec, struct tax_code *out,
                     struct error *err);

/* "Category" or "Category/Sub" into buf (display names). */
void tax_code_label(const struct tax_code *code, char *buf, size_t size);

/*
 * t in the file format (a new reference): what tax_parse reads back into the
 * same taxonomy. Ids, source and version are not part of it.
 */
json_t *tax_to_json(const struct taxonomy *t);

/* tax_to_json as compact JSON with sorted keys: the text a version's hash is of (caller frees). */
char *tax_canonical(const struct taxonomy *t);

#endif
