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
 *	                        "definition": "..."}]}]}]}
 */
#ifndef ISSUEMINE_TAXONOMY_H
#define ISSUEMINE_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

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

struct tax_dimension {
	int64_t id;
	char *key;
	char *name;
	char *description;
	enum tax_sub_rule sub_rule;
	struct tax_category *cats;
	size_t ncats;
};

struct taxonomy {
	int64_t id;
	char *name;
	char *title;
	char *description;
	char *source; /* the file it came from, or "builtin" */
	struct tax_dimension *dims;
	size_t ndims;
};

/* "absent", "optional" or "required": how files and the database name a rule. */
const char *tax_sub_rule_name(enum tax_sub_rule rule);
/* The rule called name; -1 when name is none of them. */
int tax_sub_rule_parse(const char *name, enum tax_sub_rule *rule);

/* At most this many dimensions: the labeling UI picks one with the keys 1 to 9. */
#define TAX_MAX_DIMENSIONS 9

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
 * used category to another parent. On success
 * t's ids are filled in. Must run in a transaction.
 */
int tax_store(struct store *s, struct taxonomy *t, struct error *err);

/*
 * Reads a taxonomy from the database, with ids. name NULL means the only one:
 * when the database holds none, the default (TAX_DEFAULT_NAME) is loaded
 * into it first (needs a writable store); when it holds several, the error
 * lists them.
 */
int tax_read(struct store *s, const char *name, struct taxonomy **out, struct error *err);

/* Stores the default taxonomy if the database has no taxonomy at all. */
int tax_ensure_default(struct store *s, struct error *err);

/* Lookups by key, display name or alias, ignoring case; NULL when none matches. */
const struct tax_dimension *tax_find_dimension(const struct taxonomy *t, const char *word);
const struct tax_category *tax_find_category(const struct tax_dimension *d, const char *word);
const struct tax_category *tax_find_subcategory(const struct tax_category *c, const char *word);
/* By database id: a dimension of t; NULL when none. */
const struct tax_dimension *tax_dimension_by_id(const struct taxonomy *t, int64_t id);
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

#endif
