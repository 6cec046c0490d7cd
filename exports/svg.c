/*
 * svg.c - the SVG primitives of the report figures (see svg.h).
 */
#include "svg.h"

#include <math.h>

#define FONT "DejaVu Sans, Helvetica, Arial, sans-serif"

void svg_escape(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* XML 1.0 forbids the other C0 controls: a stray one would make the file
			 * unreadable. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n' || *s == '\r')
				putc(*s, out);
		}
	}
}

void svg_begin(FILE *out, double width, double height, const char *title)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
	        "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n",
	        width, height, width, height, FONT);
	if (title) {
		fputs("<title>", out);
		svg_escape(out, title);
		fputs("</title>\n", out);
	}
	svg_rect(out, 0, 0, width, height, "#ffffff", NULL);
}

void svg_end(FILE *out)
{
	fputs("</svg>\n", out);
}

static void paint(FILE *out, const char *attr, const char *colour)
{
	fprintf(out, " %s=\"", attr);
	svg_escape(out, colour ? colour : "none");
	putc('"', out);
}

void svg_rect(FILE *out, double x, double y, double w, double h, const char *fill,
              const char *stroke)
{
	fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x, y, w, h);
	paint(out, "fill", fill);
	paint(out, "stroke", stroke);
	fputs("/>\n", out);
}

static void stroke_style(FILE *out, const char *stroke, double width, const char *dash)
{
	paint(out, "stroke", stroke);
	fprintf(out, " stroke-width=\"%.2f\"", width);
	if (dash) {
		fputs(" stroke-dasharray=\"", out);
		svg_escape(out, dash);
		putc('"', out);
	}
}

void svg_line(FILE *out, double x1, double y1, double x2, double y2, const char *stroke,
              double width, const char *dash)
{
	fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"", x1, y1, x2, y2);
	stroke_style(out, stroke, width, dash);
	fputs("/>\n", out);
}

void svg_polyline(FILE *out, const double *xs, const double *ys, size_t n, const char *stroke,
                  double width, const char *dash)
{
	if (n == 0)
		return;
	fputs("<polyline fill=\"none\" points=\"", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%.2f,%.2f", i ? " " : "", xs[i], ys[i]);
	putc('"', out);
	stroke_style(out, stroke, width, dash);
	fputs("/>\n", out);
}

void svg_circle(FILE *out, double cx, double cy, double r, const char *fill, const char *stroke)
{
	fprintf(out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"", cx, cy, r);
	paint(out, "fill", fill);
	paint(out, "stroke", stroke);
	fputs(" stroke-width=\"1.50\"/>\n", out);
}

void svg_cross(FILE *out, double cx, double cy, double r, const char *stroke)
{
	fprintf(out, "<path d=\"M%.2f,%.2f L%.2f,%.2f M%.2f,%.2f L%.2f,%.2f\" fill=\"none\"",
	        cx - r, cy - r, cx + r, cy + r, cx - r, cy + r, cx + r, cy - r);
	stroke_style(out, stroke, 1.8, NULL);
	fputs("/>\n", out);
}

void svg_text(FILE *out, double x, double y, const char *text, double size, enum svg_anchor anchor,
              double rotate, const char *fill)
{
	static const char *const anchors[] = {"start", "middle", "end"};
	fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" text-anchor=\"%s\"", x, y,
	        size, anchors[anchor]);
	if (rotate != 0)
		fprintf(out, " transform=\"rotate(%.1f %.2f %.2f)\"", rotate, x, y);
	paint(out, "fill", fill ? fill : "#222222");
	putc('>', out);
	svg_escape(out, text);
	fputs("</text>\n", out);
}

double svg_nice_step(double max, int target)
{
	if (!(max > 0) || target < 1)
		return 1;
	double raw = max / target, power = pow(10, floor(log10(raw)));
	double fraction = raw / power;
	double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
	double step = nice * power;
	return step < 1 ? 1 : step; /* counts: never a fractional tick */
}

double svg_text_width(const char *text, double size)
{
	size_t chars = 0;
	for (const char *p = text; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			chars++;
	return (double)chars * size * 0.6;
}
