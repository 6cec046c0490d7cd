/*
 * plot.c - release sizes as stacked bars, and cumulative issues per
 * quarter with release markers (see plot.h).
 */
#include "plot.h"
#include "svg.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Okabe-Ito colours: distinct for colour-blind readers, and in print. */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#F0E442"};
#define NCOLOURS (sizeof(palette) / sizeof(palette[0]))

#define AXIS "#333333"
#define GRID "#dddddd"

struct frame {
	double left, top, width, height; /* the plot area */
	double ymax, ystep;
};

static double frame_y(const struct frame *f, double v)
{
	return f->top + f->height - v / f->ymax * f->height;
}

/* Horizontal grid lines with labels on the left, the y axis title, and the axes. */
static void draw_y_axis(FILE *out, const struct frame *f, const char *label)
{
	char buf[32];
	for (double v = 0; v <= f->ymax + 1e-9; v += f->ystep) {
		double y = frame_y(f, v);
		if (v > 0)
			svg_line(out, f->left, y, f->left + f->width, y, GRID, 1, NULL);
		snprintf(buf, sizeof(buf), "%.0f", v);
		svg_text(out, f->left - 6, y + 4, buf, 11, SVG_END, 0, NULL);
	}
	svg_text(out, f->left - 42, f->top + f->height / 2, label, 12, SVG_MIDDLE, -90, NULL);
	svg_line(out, f->left, f->top, f->left, f->top + f->height, AXIS, 1, NULL);
	svg_line(out, f->left, f->top + f->height, f->left + f->width, f->top + f->height, AXIS, 1,
	         NULL);
}

static void set_y_scale(struct frame *f, double max)
{
	f->ystep = svg_nice_step(max, 5);
	f->ymax = ceil((max > 0 ? max : 1) / f->ystep) * f->ystep;
}

static void legend_box(FILE *out, double x, double y, const char *colour, const char *label)
{
	svg_rect(out, x, y - 9, 12, 10, colour, NULL);
	svg_text(out, x + 17, y, label, 11, SVG_START, 0, NULL);
}

/* --- Figure 5: release sizes --- */

#define ADDED_COLOUR   "#0072B2"
#define UPDATED_COLOUR "#E69F00"

void plot_releases(FILE *out, const struct release_series *rs)
{
	const double width = 760, height = 420;
	struct frame f = {64, 56, width - 64 - 24, height - 56 - 64, 0, 0};
	long max = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->releases[i].added + rs->releases[i].updated > max)
			max = rs->releases[i].added + rs->releases[i].updated;
	set_y_scale(&f, (double)max * 1.08);
	char *title = xstrfmt("Added and updated per release: %s", rs->name);
	svg_begin(out, width, height, title);
	svg_text(out, width / 2, 24, title, 15, SVG_MIDDLE, 0, NULL);
	free(title);
	draw_y_axis(out, &f, "Changes (added + updated)");
	double slot = rs->n ? f.width / (double)rs->n : f.width, bar = slot * 0.7;
	char buf[32];
	for (size_t i = 0; i < rs->n; i++) {
		const struct release *r = &rs->releases[i];
		double x = f.left + slot * (double)i + (slot - bar) / 2;
		double y_added = frame_y(&f, (double)r->added);
		double y_total = frame_y(&f, (double)(r->added + r->updated));
		svg_rect(out, x, y_added, bar, f.top + f.height - y_added, ADDED_COLOUR, NULL);
		svg_rect(out, x, y_total, bar, y_added - y_total, UPDATED_COLOUR, NULL);
		snprintf(buf, sizeof(buf), "%ld", r->added + r->updated);
		svg_text(out, x + bar / 2, y_total - 4, buf, 10, SVG_MIDDLE, 0, NULL);
		svg_text(out, x + bar / 2, f.top + f.height + 16, r->version, 11, SVG_MIDDLE, 0,
		         NULL);
	}
	svg_text(out, f.left + f.width / 2, f.top + f.height + 40, "Release (version)", 12,
	         SVG_MIDDLE, 0, NULL);
	double lx = f.left + f.width - 150;
	svg_rect(out, lx - 8, f.top + 4, 158, 44, "#ffffff", GRID);
	legend_box(out, lx, f.top + 22, ADDED_COLOUR, "added");
	legend_box(out, lx, f.top + 40, UPDATED_COLOUR, "updated");
	svg_end(out);
}

/* --- Figure 6: cumulative issues per quarter --- */

/* A day as a position in quarters (2021-01-01 is 2021 * 4, 2021-04-01 is 2021 * 4 + 1). */
static double day_position(const char *date)
{
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	return y * 4.0 + (m - 1) / 3 + (((m - 1) % 3) * 30.44 + (d - 1)) / 91.31;
}

struct time_axis {
	double start, end; /* positions in quarters */
};

static double frame_x(const struct frame *f, const struct time_axis *t, double position)
{
	return f->left + (position - t->start) / (t->end - t->start) * f->width;
}

static void draw_years(FILE *out, const struct frame *f, const struct time_axis *t)
{
	char buf[16];
	for (int year = (int)ceil(t->start / 4); year * 4.0 <= t->end; year++) {
		double x = frame_x(f, t, year * 4.0);
		svg_line(out, x, f->top + f->height, x, f->top + f->height + 5, AXIS, 1, NULL);
		snprintf(buf, sizeof(buf), "%d", year);
		svg_text(out, x, f->top + f->height + 18, buf, 11, SVG_MIDDLE, 0, NULL);
	}
	svg_text(out, f->left + f->width / 2, f->top + f->height + 38,
	         "Issue creation (quarters; a point counts issues up to the quarter's end)", 12,
	         SVG_MIDDLE, 0, NULL);
}

/* The size of releases first..last taken together (they share a date). */
static long release_group_size(const struct release_series *rs, size_t first, size_t last,
                               enum report_size size)
{
	long sum = 0;
	for (size_t i = first; i <= last; i++)
		sum += report_release_size(&rs->releases[i], size);
	return sum;
}

/* Dashed lines at releases (those sharing a date taken together) of at least the threshold. */
static void draw_releases(FILE *out, const struct frame *f, const struct time_axis *t,
                          const struct plot_cumulative *p)
{
	const struct release_series *rs = p->rs;
	int shown = 0;
	for (size_t i = 0; i < rs->n;) {
		size_t last = i;
		while (last + 1 < rs->n &&
		       !strcmp(rs->releases[last + 1].date, rs->releases[i].date))
			last++;
		double pos = day_position(rs->releases[i].date);
		if (release_group_size(rs, i, last, p->size) >= p->threshold && pos >= t->start &&
		    pos <= t->end) {
			double x = frame_x(f, t, pos);
			svg_line(out, x, f->top, x, f->top + f->height, "#777777", 1, "4 3");
			char *label = i == last ? xstrdup(rs->releases[i].version)
			                        : xstrfmt("%s-%s", rs->releases[i].version,
			                                  rs->releases[last].version);
			/* Three heights in turn, so that labels of close releases do not collide.
			 */
			svg_text(out, x + 3, f->top + 12 + (shown % 3) * 12, label, 10, SVG_START,
			         0, "#555555");
			free(label);
			shown++;
		}
		i = last + 1;
	}
}

static void draw_series(FILE *out, const struct frame *f, const struct time_axis *t,
                        const struct report_quarters *q, size_t repo, const long *counts,
                        int crosses)
{
	const char *colour = palette[repo % NCOLOURS];
	double *xs = xcalloc(q->n + 1, sizeof(double)), *ys = xcalloc(q->n + 1, sizeof(double));
	long running = 0;
	for (size_t i = 0; i < q->n; i++) {
		running += counts[i * q->nrepos + repo];
		xs[i] = frame_x(f, t, q->year[i] * 4.0 + q->quarter[i]); /* the quarter's end */
		ys[i] = frame_y(f, (double)running);
	}
	svg_polyline(out, xs, ys, q->n, colour, 1.2, crosses ? "3 2" : NULL);
	for (size_t i = 0; i < q->n; i++) {
		if (crosses)
			svg_cross(out, xs[i], ys[i], 3.5, colour);
		else
			svg_circle(out, xs[i], ys[i], 3.5, "#ffffff", colour);
	}
	free(xs);
	free(ys);
}

static double max_cumulative(const struct report_quarters *q)
{
	double max = 0;
	for (size_t r = 0; r < q->nrepos; r++) {
		long running = 0;
		for (size_t i = 0; i < q->n; i++)
			running += q->all[i * q->nrepos + r];
		if (running > max)
			max = (double)running;
	}
	return max;
}

static void cumulative_legend(FILE *out, const struct frame *f, const struct plot_cumulative *p,
                              double y)
{
	double x = f->left;
	for (size_t r = 0; r < p->q->nrepos; r++) {
		const char *colour = palette[r % NCOLOURS];
		svg_line(out, x, y - 4, x + 18, y - 4, colour, 2.5, NULL);
		svg_text(out, x + 24, y, p->repos[r], 11, SVG_START, 0, NULL);
		x += 24 + svg_text_width(p->repos[r], 11) + 20;
	}
	y += 20;
	x = f->left;
	svg_circle(out, x + 9, y - 4, 3.5, "#ffffff", AXIS);
	svg_text(out, x + 24, y, "all causes", 11, SVG_START, 0, NULL);
	x += 24 + svg_text_width("all causes", 11) + 20;
	svg_cross(out, x + 9, y - 4, 3.5, AXIS);
	svg_text(out, x + 24, y, p->selected, 11, SVG_START, 0, NULL);
	x += 24 + svg_text_width(p->selected, 11) + 20;
	if (p->rs) {
		char *label = xstrfmt("release of %s, %s ≥ %ld", p->rs->name,
		                      report_size_name(p->size), p->threshold);
		svg_line(out, x, y - 12, x, y + 2, "#777777", 1, "4 3");
		svg_text(out, x + 8, y, label, 11, SVG_START, 0, NULL);
		free(label);
	}
}

void plot_cumulative(FILE *out, const struct plot_cumulative *p)
{
	const struct report_quarters *q = p->q;
	const double width = 760, height = 460;
	struct frame f = {64, 48, width - 64 - 24, height - 48 - 118, 0, 0};
	set_y_scale(&f, max_cumulative(q) * 1.05);
	struct time_axis t = {0, 1};
	if (q->n) {
		t.start = q->year[0] * 4.0 + q->quarter[0] - 1;
		t.end = q->year[q->n - 1] * 4.0 + q->quarter[q->n - 1];
	}
	const char *title = "Cumulative issues per quarter of creation";
	svg_begin(out, width, height, title);
	svg_text(out, width / 2, 24, title, 15, SVG_MIDDLE, 0, NULL);
	draw_y_axis(out, &f, "Issues (cumulative)");
	if (q->n)
		draw_years(out, &f, &t);
	if (p->rs)
		draw_releases(out, &f, &t, p);
	for (size_t r = 0; r < q->nrepos; r++) {
		draw_series(out, &f, &t, q, r, q->all, 0);
		draw_series(out, &f, &t, q, r, q->selected, 1);
	}
	cumulative_legend(out, &f, p, f.top + f.height + 70);
	svg_end(out);
}
