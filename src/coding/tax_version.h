/*
 * tax_version.h - codebook versions: a taxonomy's history in the database.
 *
 * A study's codebook changes while raters code: a definition is reworded, a
 * category added or renamed. Every load that changes a stored taxonomy
 * records a version: its number (1, 2, ... per taxonomy), the SHA-256 of its
 * canonical JSON (tax_canonical), the content itself, and what changed since
 * the version before, as a list of changes. A load that changes nothing adds
 * no version. Every code and exclusion records the version in force when it
 * was made, so reports can say when a sample's codes span versions.
 *
 * A change is a JSON object:
 *
 *	{"change": "added", "dimension": "cause", "category": "incompatibility/resource",
 *	 "name": "Resource"}
 *
 * with "change" one of title, description (of the taxonomy); dimension-added,
 * dimension-removed, dimension-renamed, dimension-described, rule (the
 * sub-category rule); added, removed, renamed, reworded, aliases, moved (to
 * another parent), reordered (of categories); reason-added, reason-removed,
 * reason-renamed, reason-reworded (of exclusion reasons); rule-added,
 * rule-removed, rule-sourced (its "source" text changed), with "paths" and
 * the target "category" (and "all" when set), and rules-reordered (of a
 * dimension's suggestion rules, tax_rules.h). "from" and "to" hold the old
 * and new text where there is one.
 */
#ifndef ISSUEMINE_TAX_VERSION_H
#define ISSUEMINE_TAX_VERSION_H

#include <jansson.h>
#include <stddef.h>

#include "sha256.h"
#include "strbuf.h"
#include "taxonomy.h"

/*
 * Records t (stored in the database, ids filled) as a new version of its
 * taxonomy when its content differs from the latest version's, setting
 * *changed (may be NULL); fills t's version fields either way. Must run in
 * a transaction.
 */
int tax_version_record(struct store *s, struct taxonomy *t, int *changed, struct error *err);

/* What changed from a to b (a new reference: an array of change objects). */
json_t *tax_diff(const struct taxonomy *a, const struct taxonomy *b);

/* One change as a line of text ("cause: category added: foo (Foo)") appended to sb. */
void tax_change_describe(const json_t *change, struct strbuf *sb);

struct tax_version {
	int version;
	char hash[SHA256_HEX_LEN];
	char *source;
	char *loaded_at;
	json_t *changes; /* owned */
	long codes;      /* codes made under this version (still stored) */
	long exclusions; /* likewise */
};

/* Every version of taxonomy name, oldest first. Caller frees with tax_versions_free. */
int tax_versions(struct store *s, const char *name, struct tax_version **out, size_t *n,
                 struct error *err);
void tax_versions_free(struct tax_version *v, size_t n);

/*
 * Version number version of taxonomy name as it was (parsed from its stored
 * content; no database ids). -1 with err naming the versions there are.
 */
int tax_version_read(struct store *s, const char *name, int version, struct taxonomy **out,
                     struct error *err);

/*
 * The distinct version numbers of taxonomy_id that the codes and exclusions
 * of the raters given (nraters 0: every rater) in set_id were made under,
 * ascending, into *versions (caller frees).
 */
int tax_versions_of_codes(struct store *s, int64_t set_id, const int64_t *raters, size_t nraters,
                          int64_t taxonomy_id, int **versions, size_t *n, struct error *err);

/*
 * "the codes span versions 1, 2 of taxonomy onnx-converters (see 'issuemine
 * taxonomy diff onnx-converters 1 2')" into sb when n > 1 (else nothing).
 */
void tax_versions_note(const char *taxonomy, const int *versions, size_t n, struct strbuf *sb);

#endif
