/*
 * svg.h - a small SVG writer: the shapes and text the report figures need.
 *
 * Coordinates are user units with the origin at the top left, written with
 * two decimals so that output is byte-for-byte reproducible. Text is escaped
 * for XML. Nothing here knows about reports; plot.h draws the figures.
 */
#ifndef ISSUEMINE_EXPORTS_SVG_H
#define ISSUEMINE_EXPORTS_SVG_H

#include <stddef.h>
#include <stdio.h>

/* The XML prologue and <svg> element with a white background; end with svg_end. */
void svg_begin(FILE *out, double width, double height, const char *title);
void svg_end(FILE *out);

/* fill or stroke NULL means "none". */
void svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
              const char *stroke);
/* dash NULL draws a solid line, else an SVG dash array ("4 3"). */
void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
              double width, const char *dash);
void svg_polyline(FILE *out, const double *xs, const double *ys, size_t n, const char *stroke,
                  double width, const char *dash);
void svg_circle(FILE *out, double cx, double cy, double r, const char *fill, const char *stroke);
/* An "x" marker of half-size r. */
void svg_cross(FILE *out, double cx, double cy, double r, const char *stroke);

enum svg_anchor { SVG_START, SVG_MIDDLE, SVG_END };

/* Text with its baseline at y; rotate (degrees) turns it around (x, y). */
void svg_text(FILE *out, double x, double y, const char *text, double size, enum svg_anchor anchor,
              double rotate, const char *fill);

/* Writes s with &, <, >, " and ' escaped, and control characters XML forbids left out. */
void svg_escape(FILE *out, const char *s);

/*
 * A "nice" step for about target ticks between 0 and max: 1, 2 or 5 times a
 * power of ten (max <= 0 gives 1).
 */
double svg_nice_step(double max, int target);

/* Rough width of text in the figures' sans-serif font, for layout. */
double svg_text_width(const char *text, double size);

#endif
