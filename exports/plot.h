/*
 * plot.h - the two figures of "issuemine report", as SVG (see svg.h).
 *
 *  - plot_releases: stacked bars of what each release added and updated,
 *    with the sum above each bar (paper Figure 5);
 *  - plot_cumulative: cumulative issues per quarter, one colour per
 *    repository, circles for all causes and crosses for the selected causes,
 *    dashed vertical lines at releases of at least a given size (paper
 *    Figure 6).
 *
 * Both include a title, axis labels and a legend. Write errors are left in
 * out's error flag for the caller to check.
 */
#ifndef ISSUEMINE_EXPORTS_PLOT_H
#define ISSUEMINE_EXPORTS_PLOT_H

#include <stdio.h>

#include "releases.h"
#include "report.h"

void plot_releases(FILE *out, const struct release_series *rs);

struct plot_cumulative {
	const struct report_quarters *q;
	const char *const *repos; /* labels, q->nrepos of them */
	const char *selected;     /* what the crosses count: "Incompatibility, Type Problem" */
	const struct release_series *rs; /* NULL: no release lines */
	long threshold;                  /* release lines where size >= threshold */
	enum report_size size;
};

void plot_cumulative(FILE *out, const struct plot_cumulative *p);

#endif
