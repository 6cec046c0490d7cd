/*
 * reconcile.h - where two raters disagree, and the adjudicator's codes.
 *
 * Reconciliation ends blind coding: an adjudicator sees both raters' codes
 * on each issue where they differ and decides, as a rater of their own
 * (e.g. "consensus"), whose codes reports can then use.
 *
 * Two raters disagree on an issue in a dimension when both coded it and the
 * codes differ in category or sub-category (the full code: Incompatibility/
 * External and Incompatibility/Internal differ). A dimension coded by only
 * one of them is not compared, as agreement statistics do not compare it;
 * such issues are counted so that commands can say how many were left out.
 *
 * Exclusions: a rater's codes on an issue they excluded do not count. Two
 * raters disagree on exclusion when both decided on the issue (excluded it,
 * or coded it in some dimension) and their decisions differ: one excluded
 * and the other coded, or both excluded for different reasons. Such an
 * issue has one row more, an exclusion row, after its dimensions.
 */
#ifndef ISSUEMINE_RECONCILE_H
#define ISSUEMINE_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "taxonomy.h"

/* One dimension of one issue on which the two raters disagree, or their exclusion decision. */
struct recon_row {
	int64_t issue_id;
	char *repo; /* "owner/name" */
	int64_t number;
	char *title;
	int exclusion;         /* an exclusion row: a, b and as are empty (their dim NULL) */
	struct tax_code a, b;  /* the raters' codes (pointers into the taxonomy) */
	struct tax_code as;    /* the adjudicator's code; as.cat is NULL when there is none */
	double conf_a, conf_b; /* an external rater's confidence in a's and b's codes; < 0: none */
	/* Exclusion rows: each one's reason (NULL: not excluded), and whether as coded. */
	const struct tax_reason *xa, *xb, *xas;
	int as_coded;
	size_t order; /* sample position and dimension: the list's order */
};

struct recon_list {
	struct recon_row *rows; /* in the sample's order, then the taxonomy's dimension order */
	size_t n;
	size_t one_sided; /* issues with a dimension coded by one of the raters only */
};

/*
 * Reads the disagreements of raters a and b on set_id in taxonomy t, with
 * the adjudicator's codes when as is not 0. Pointers in the rows point
 * into t, which must outlive the list. Caller releases.
 */
int recon_list_load(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a, int64_t b,
                    int64_t as, struct recon_list *out, struct error *err);
void recon_list_release(struct recon_list *l);

/* The distinct issues of the list, in order, into *ids (caller frees); returns how many. */
size_t recon_list_issues(const struct recon_list *l, int64_t **ids);

/*
 * A rater's code (c->cat set) as reconcile shows it: its label, with the
 * confidence conf (< 0: none) an external rater's answer gave it, as in
 * "Export (35% sure)".
 */
void recon_code_label(const struct tax_code *c, double conf, char *buf, size_t size);

/* Whether an exclusion row is settled: the adjudicator excluded the issue, or coded it. */
int recon_row_resolved(const struct recon_row *row);

/*
 * Where a and b agree (both coded a dimension with the same code) and the
 * adjudicator as has no code yet, gives as that code (origin "reconcile"),
 * so that as ends up with a code wherever the raters agree; likewise an
 * exclusion both made for the same reason, when as has neither an exclusion
 * nor a code on the issue. Counts what was written in *copied. Must run in
 * a transaction.
 */
int recon_copy_agreed(struct store *s, const struct taxonomy *t, int64_t set_id, int64_t a,
                      int64_t b, int64_t as, long *copied, struct error *err);

#endif
