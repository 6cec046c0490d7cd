/*
 * tax_rules.h - a taxonomy's suggestion rules: changed paths that point at
 * a category.
 *
 * A rater decides a failure's location (and some causes) from its fix; a
 * codebook can say what its maintainers know about the converter's source
 * tree: a change under torch/onnx/symbolic_opset*.py is node conversion, one
 * under tf2onnx/optimizer/ an optimisation. A rule maps globs of changed
 * paths to a category (and, perhaps, a sub-category) of a dimension:
 *
 *	"rules": [
 *	 {"dimension": "location", "category": "node-conversion",
 *	  "paths": ["torch/onnx/symbolic_opset*.py", "tf2onnx/onnx_opset/"],
 *	  "source": "one symbolic_opsetN.py per ONNX opset: ..."},
 *	 {"dimension": "cause", "category": "testing", "all": true,
 *	  "paths": ["test/onnx/", "tests/"]}]
 *
 * Globs are those of the query language's fix.path: (query_fix.h): '*'
 * within a name, '**' across directories, a glob ending in '/' everything
 * under that directory, a glob without '/' a file name in any directory. Rules are tried in the
 *file's order, per dimension: the first rule with a glob that matches a file's path (or its
 *previous path, for a rename) gives that file its category; the category with the most files is
 *suggested (a tie goes to the one whose rule comes first). A rule with "all" counts only when every
 *changed file matches it (a fix that only touches tests is a Testing cause; one test among other
 *files says nothing), and such a rule, when it holds, wins outright.
 *
 * Rules are part of the taxonomy's canonical content, so a change of rules
 * is a new codebook version with its own lines in the diff (tax_version.h).
 * tax_suggest.h computes the suggestions and measures them against raters.
 */
#ifndef ISSUEMINE_TAX_RULES_H
#define ISSUEMINE_TAX_RULES_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "store.h"
#include "strbuf.h"
#include "taxonomy.h"

struct tax_rule {
	const struct tax_dimension *dim;
	const struct tax_category *cat; /* top-level */
	const struct tax_category *sub; /* a sub-category of cat, or NULL */
	char **paths;                   /* the globs as written */
	size_t npaths;
	void **patterns; /* each glob compiled (pcre2_code *), anchored */
	int all;         /* counts only when every changed file matches */
	char *source;    /* where the rule comes from, or NULL */
};

/*
 * Parses root's "rules" (absent: none) against t's dimensions, checking
 * every field and glob; errors name source and the JSON path
 * ("rules[2].paths[0]: bad glob 'torch/[onnx': ..."). On success t->rules
 * holds them.
 */
int tax_rules_parse(json_t *root, const char *source, struct taxonomy *t, struct error *err);

/* Frees t's rules. */
void tax_rules_free(struct taxonomy *t);

/* The rules in the file format (canonical: keys, not names), or NULL when there are none. */
json_t *tax_rules_to_json(const struct taxonomy *t);

/*
 * Whether a rule's glob matches path (NULL never matches); *which gets the
 * index of the first glob that does.
 */
int tax_rule_matches(const struct tax_rule *r, const char *path, size_t *which);

/* Stores t's rules (t's ids filled), replacing those stored. In a transaction. */
int tax_rules_store(struct store *s, const struct taxonomy *t, struct error *err);
/* Removes t's stored rules (before categories may go). In a transaction. */
int tax_rules_clear(struct store *s, int64_t taxonomy_id, struct error *err);
/* Reads the stored rules of t (read from the database, ids filled). */
int tax_rules_read(struct store *s, struct taxonomy *t, struct error *err);

/* Appends to out what changed in the rules from a to b (see tax_version.h). */
void tax_rules_diff(const struct taxonomy *a, const struct taxonomy *b, json_t *out);

/* Describes a rule change (its "change" starts with "rule"); 0 when it is not one. */
int tax_rules_describe(const json_t *change, struct strbuf *sb);

/* The rule's globs, comma-separated, into sb. */
void tax_rule_paths_text(const struct tax_rule *r, struct strbuf *sb);

/*
 * The first member of obj whose name is not in allowed (NULL-terminated),
 * or NULL: a misspelt field of a taxonomy file must not pass silently.
 */
const char *tax_unknown_field(json_t *obj, const char *const *allowed);

#endif
