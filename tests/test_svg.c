/*
 * test_svg.c - the SVG writer: escaping, shapes, tick steps, and a small figure.
 */
#include "test.h"

#include "plot.h"
#include "svg.h"

#include <stdio.h>
#include <stdlib.h>

/* Runs fn into a memory stream and returns what it wrote (caller frees). */
#define CAPTURE(buf, stmt)                                                                         \
	do {                                                                                       \
		size_t len_ = 0;                                                                   \
		FILE *out = open_memstream(&(buf), &len_);                                         \
		stmt;                                                                              \
		fclose(out);                                                                       \
	} while (0)

static int count(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_escape_and_text(void)
{
	char *buf = NULL;
	CAPTURE(buf, svg_text(out, 10, 20.5, "a<b & \"c\" 'd'>", 11, SVG_MIDDLE, -90, NULL));
	CHECK_STR(buf, "<text x=\"10.00\" y=\"20.50\" font-size=\"11.0\" text-anchor=\"middle\" "
	               "transform=\"rotate(-90.0 10.00 20.50)\" fill=\"#222222\">"
	               "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;</text>\n");
	free(buf);
	CAPTURE(buf, svg_text(out, 1, 2, "Ünïcode ≥ 5", 10, SVG_START, 0, "#555"));
	CHECK_STR(buf, "<text x=\"1.00\" y=\"2.00\" font-size=\"10.0\" text-anchor=\"start\" "
	               "fill=\"#555\">Ünïcode ≥ 5</text>\n");
	free(buf);
	/* XML 1.0 has no place for control characters but tab and line breaks: they go. */
	CAPTURE(buf, svg_escape(out, "a\x01"
	                             "b\x1f"
	                             "\tc\x7f"));
	CHECK_STR(buf, "ab\tc\x7f");
	free(buf);
}

static void test_shapes(void)
{
	char *buf = NULL;
	CAPTURE(buf, svg_rect(out, 1, 2, 3, 4.25, "#fff", NULL));
	CHECK_STR(buf, "<rect x=\"1.00\" y=\"2.00\" width=\"3.00\" height=\"4.25\" fill=\"#fff\" "
	               "stroke=\"none\"/>\n");
	free(buf);
	CAPTURE(buf, svg_line(out, 0, 0, 10, 10, "#000", 1, "4 3"));
	CHECK_STR(buf, "<line x1=\"0.00\" y1=\"0.00\" x2=\"10.00\" y2=\"10.00\" stroke=\"#000\" "
	               "stroke-width=\"1.00\" stroke-dasharray=\"4 3\"/>\n");
	free(buf);
	double xs[] = {0, 1, 2}, ys[] = {5, 4, 3};
	CAPTURE(buf, svg_polyline(out, xs, ys, 3, "red", 2, NULL));
	CHECK_STR(buf, "<polyline fill=\"none\" points=\"0.00,5.00 1.00,4.00 2.00,3.00\" "
	               "stroke=\"red\" stroke-width=\"2.00\"/>\n");
	free(buf);
	CAPTURE(buf, svg_polyline(out, xs, ys, 0, "red", 2, NULL));
	CHECK_STR(buf, "");
	free(buf);
	CAPTURE(buf, svg_cross(out, 10, 10, 2, "blue"));
	CHECK(strstr(buf, "d=\"M8.00,8.00 L12.00,12.00 M8.00,12.00 L12.00,8.00\"") != NULL);
	free(buf);
}

static void test_document(void)
{
	char *buf = NULL;
	CAPTURE(buf, {
		svg_begin(out, 300, 200, "T & U");
		svg_end(out);
	});
	CHECK(!strncmp(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44));
	CHECK(strstr(buf, "width=\"300\" height=\"200\" viewBox=\"0 0 300 200\"") != NULL);
	CHECK(strstr(buf, "<title>T &amp; U</title>") != NULL);
	CHECK(strstr(buf, "</svg>\n") != NULL);
	free(buf);
}

static void test_nice_step(void)
{
	CHECK_NEAR(svg_nice_step(78 * 1.08, 5), 20, 0);
	CHECK_NEAR(svg_nice_step(7, 5), 2, 0);
	CHECK_NEAR(svg_nice_step(12, 5), 5, 0);
	CHECK_NEAR(svg_nice_step(950, 5), 200, 0);
	CHECK_NEAR(svg_nice_step(3000, 5), 1000, 0);
	/* Counts never get fractional ticks, and nothing divides by zero. */
	CHECK_NEAR(svg_nice_step(0.3, 5), 1, 0);
	CHECK_NEAR(svg_nice_step(0, 5), 1, 0);
	CHECK_NEAR(svg_nice_step(-4, 5), 1, 0);
}

static void test_plot_releases(void)
{
	struct release rel[] = {{"v1", "2020-01-01", 3, 0},
	                        {"v2", "2020-02-01", 0, 5},
	                        {"v<3>", "2020-03-01", 2, 2}};
	struct release_series rs = {"tiny", "builtin", rel, 3};
	char *buf = NULL;
	CAPTURE(buf, plot_releases(out, &rs));
	/* Two stacked rectangles per release, and two legend swatches. */
	CHECK_INT(count(buf, "fill=\"#0072B2\""), 3 + 1);
	CHECK_INT(count(buf, "fill=\"#E69F00\""), 3 + 1);
	CHECK(strstr(buf, ">v&lt;3&gt;</text>") != NULL);
	CHECK(strstr(buf, ">Added and updated per release: tiny</text>") != NULL);
	CHECK(strstr(buf, ">Changes (added + updated)</text>") != NULL);
	free(buf);
}

int main(void)
{
	TEST(test_escape_and_text);
	TEST(test_shapes);
	TEST(test_document);
	TEST(test_nice_step);
	TEST(test_plot_releases);
	return test_done();
}
