/*
 * agree_against.h - one rater (typically an external one, a program)
 * measured against human raters: "agree --against".
 *
 * Per dimension, Cohen's kappa and observed agreement of the rater against
 * each human, and against the consensus: the codes of a consensus rater
 * when one is named (the adjudicator of "reconcile"), else the code every
 * human gave an issue where all of them coded it alike (issues where they
 * differ have no consensus and are counted). Each comparison is over the
 * issues both sides coded; the humans' own pairwise kappas come alongside,
 * the level a rater is usually held to.
 *
 * Each comparison is also split by the confidence the rater gave its codes
 * (code_confidence): bins between the edges given ([0, e1), [e1, e2), ...,
 * [ek, 1]) and one for codes without a confidence, so a paper can say how
 * well the rater agrees when it was sure and when it was not.
 *
 * Exclusions count as in agree.h: an excluded issue's codes are left out,
 * and agreement on exclusion itself is a last result (AGREE_EXCLUSION_KEY)
 * when some rater compared excluded an issue (its codes have no confidence).
 */
#ifndef ISSUEMINE_AGREE_AGAINST_H
#define ISSUEMINE_AGREE_AGAINST_H

#include <stddef.h>
#include <stdint.h>

#include "agree.h"

/* At most this many bin edges. */
#define AGAINST_MAX_EDGES 9

struct against_options {
	int64_t set_id;
	int64_t rater_id;      /* the rater measured */
	const int64_t *humans; /* one or more, none of them the rater */
	size_t nhumans;
	int64_t consensus_id; /* 0: the consensus is where the humans agree */
	enum agree_level level;
	const struct tax_dimension *dim; /* NULL: every dimension */
	int exclusion_only;              /* only agreement on exclusion */
	double edges[AGAINST_MAX_EDGES]; /* ascending, each in (0, 1) */
	size_t nedges;
};

/* Agreement over some issues: all the compared ones, or those of one confidence bin. */
struct against_cell {
	long n, agreed;
	struct stats_cohen cohen; /* over the classes of the dimension */
};

/* The rater against one other side (a human, or the consensus). */
struct against_comparison {
	struct against_cell all;
	struct against_cell *bins; /* nedges + 1 bins by confidence, then one without */
};

struct against_result {
	const struct tax_dimension *dim;
	long sample_issues;
	long rater_coded;  /* issues the rater coded in the dimension */
	long no_consensus; /* issues the humans all coded, differently (no consensus rater) */
	struct against_comparison *humans; /* per human, in the order given */
	struct against_comparison consensus;
	struct against_cell
	        *human_pairs; /* (0,1), (0,2), ..., (1,2), ...: the humans among themselves */
	size_t npairs;
};

struct against_report {
	size_t nhumans, nbins; /* nbins = nedges + 2 */
	double edges[AGAINST_MAX_EDGES];
	size_t nedges;
	struct against_result *results;
	size_t nresults;
	struct taxonomy *exclusion; /* the exclusion result's dimension (owned), or NULL */
};

/*
 * Computes the comparisons of o->rater_id on sample o->set_id under
 * taxonomy t (borrowed: results point into it). Fails on database errors
 * or a code whose category t does not know.
 */
int against_compute(struct store *s, const struct taxonomy *t, const struct against_options *o,
                    struct against_report **out, struct error *err);

void against_report_free(struct against_report *r);

/* "0-0.5", "0.5-0.8", "0.8-1", or "none" for bin b of r, into buf. */
void against_bin_label(const struct against_report *r, size_t b, char *buf, size_t size);

#endif
