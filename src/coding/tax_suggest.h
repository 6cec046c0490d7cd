/*
 * tax_suggest.h - what a taxonomy's rules suggest for an issue, from the files
 * its fixes changed, and how well the suggestions agree with a rater.
 *
 * A suggestion reads GitHub data only (the issue's fixes and their files)
 * and the codebook's rules; it never looks at any rater's codes, so showing
 * it keeps blind coding blind. Accepting one in the UI saves an ordinary
 * code whose code_log row has origin "suggestion", which is how a study can
 * tell, later, which codes a rater took from the rules (suggest_evaluate).
 *
 * The rules themselves (what a glob is, which rule decides a file) are in
 * tax_rules.h.
 */
#ifndef ISSUEMINE_TAX_SUGGEST_H
#define ISSUEMINE_TAX_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"
#include "taxonomy.h"

/* A changed file: its path, and the path before a rename (or NULL). */
struct suggest_file {
	char *path, *previous;
};

/* The changed files of an issue's fixes, as the rules see them. */
struct suggest_files {
	int resolved; /* the issue's fixes were fetched (else nothing is known) */
	struct suggest_file *files;
	size_t n, alloc;
};

/* Reads issue_id's changed files (distinct paths of its fixes). Release with suggest_files_release.
 */
int suggest_files_read(struct store *s, int64_t issue_id, struct suggest_files *out,
                       struct error *err);
void suggest_files_release(struct suggest_files *f);

enum suggest_state {
	SUGGEST_NO_RULES,  /* the dimension has no rules */
	SUGGEST_NO_DATA,   /* the issue's fixes were never fetched */
	SUGGEST_NO_FILES,  /* fetched, but its fixes change no file (or it has none) */
	SUGGEST_NO_MATCH,  /* no rule matches any changed file */
	SUGGEST_SUGGESTED, /* cat (and sub) are suggested */
};

struct suggestion {
	enum suggest_state state;
	const struct tax_dimension *dim;
	const struct tax_category *cat, *sub; /* SUGGEST_SUGGESTED only */
	long matched;                         /* files of the suggested category */
	long files;                           /* files changed */
	/* "3 of 4 changed files match torch/onnx/symbolic_opset*.py", or why there is none */
	char why[512];
	char globs[400]; /* SUGGEST_SUGGESTED: the globs named in why */
};

/* The suggestion for dimension dim of t from the files f. */
void suggest_dimension(const struct taxonomy *t, const struct tax_dimension *dim,
                       const struct suggest_files *f, struct suggestion *out);

/* Whether dimension dim of t has rules. */
int suggest_has_rules(const struct taxonomy *t, const struct tax_dimension *dim);

/* --- measuring the rules against a rater --- */

/* One category of a dimension, over the issues the rater coded in it. */
struct suggest_row {
	const struct tax_category *cat;
	long suggested; /* the rules suggested it */
	long coded;     /* the rater coded it */
	long agreed;    /* both */
	long accepted;  /* the rater's code came from accepting the suggestion */
};

struct suggest_dimension_eval {
	const struct tax_dimension *dim;
	long coded;     /* issues the rater coded in the dimension */
	long suggested; /* of those, with a suggestion (coverage) */
	long agreed, accepted;
	struct suggest_row *rows; /* one per top-level category, in taxonomy order */
	size_t nrows;
};

struct suggest_eval {
	long issues;                         /* members of the set */
	long excluded;                       /* excluded by the rater: left out */
	long no_data;                        /* of the others, without fix data */
	struct suggest_dimension_eval *dims; /* the dimensions that have rules */
	size_t ndims;
};

/*
 * Compares the rules' suggestions with rater_id's codes on set_id (the
 * issues the rater did not exclude; only those of the n ids in only, when
 * only is not NULL), per dimension with rules and per category (top-level
 * categories: a suggestion's sub-category is not compared). A code counts
 * as accepted when the latest change to it in code_log has origin
 * "suggestion". Release with suggest_eval_release.
 */
int suggest_evaluate(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t rater_id,
                     const int64_t *only, size_t n, struct suggest_eval *out, struct error *err);
void suggest_eval_release(struct suggest_eval *e);

#endif
