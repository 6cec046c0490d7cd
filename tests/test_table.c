/*
 * test_table.c - the count-table model and its five writers.
 */
#include "test.h"

#include "csv.h"
#include "table.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static const char *cols[] = {"a/x", "b/y", "total"};
static const char *col_titles[] = {"X", "Y", "Total"};

/* A one-key distribution table: two categories, Others, uncoded, total. */
static struct table *symptoms(void)
{
	const char *kn[] = {"symptom"}, *kt[] = {"Symptom"};
	struct table *t = table_new("symptoms", "Symptoms", 1, kn, kt, 3, cols, col_titles);
	t->shares = 1;
	table_set_note(t, "sample s, rater r");
	const long v[][3] = {{5, 1, 6}, {0, 0, 0}, {1, 1, 2}, {0, 1, 1}, {6, 3, 9}};
	const char *names[] = {"Crash", "Hang", "Others", "(uncoded)", "Total"};
	const enum table_row_kind kinds[] = {TABLE_ROW_CATEGORY, TABLE_ROW_CATEGORY,
	                                     TABLE_ROW_OTHERS, TABLE_ROW_UNCODED, TABLE_ROW_TOTAL};
	for (int i = 0; i < 5; i++) {
		struct table_row *row = table_add_row(t, kinds[i], names[i], NULL);
		for (size_t c = 0; c < 3; c++)
			*table_cell(t, row, 0, c) = v[i][c];
	}
	return t;
}

/* A joint table: causes by two symptom groups. */
static struct table *joint(void)
{
	const char *kn[] = {"cause"}, *kt[] = {"Cause"}, *groups[] = {"Crash", "Total"};
	struct table *t =
	        table_new("cause-symptom", "Causes by symptom", 1, kn, kt, 3, cols, col_titles);
	table_set_groups(t, "symptom", "Symptom", 2, groups);
	struct table_row *row = table_add_row(t, TABLE_ROW_CATEGORY, "Type_Problem", NULL);
	*table_cell(t, row, 0, 0) = 2;
	*table_cell(t, row, 0, 2) = 2;
	*table_cell(t, row, 1, 0) = 3;
	*table_cell(t, row, 1, 2) = 3;
	row = table_add_row(t, TABLE_ROW_TOTAL, "Total", NULL);
	*table_cell(t, row, 1, 2) = 3;
	return t;
}

/* A two-key table: sub-categories under their parent. */
static struct table *subcauses(void)
{
	const char *kn[] = {"cause", "subcause"}, *kt[] = {"Cause", "Sub-cause"};
	struct table *t = table_new("subcauses", "Causes", 2, kn, kt, 3, cols, NULL);
	t->shares = 1;
	struct table_row *row = table_add_row(t, TABLE_ROW_CATEGORY, "Incompatibility", "External");
	*table_cell(t, row, 0, 0) = 1;
	row = table_add_row(t, TABLE_ROW_CATEGORY, "Incompatibility", "Internal");
	*table_cell(t, row, 0, 0) = 199;
	row = table_add_row(t, TABLE_ROW_CATEGORY, "Typo", NULL);
	row = table_add_row(t, TABLE_ROW_TOTAL, "Total", NULL);
	*table_cell(t, row, 0, 0) = 200;
	return t;
}

static char *render(struct table *t, enum export_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	table_write(out, t, f);
	fclose(out);
	table_free(t);
	return buf;
}

static void test_text(void)
{
	char *s = render(symptoms(), EXPORT_TEXT);
	CHECK_STR(s, "Symptoms\n"
	             "sample s, rater r\n"
	             "\n"
	             "Symptom           X         Y     Total\n"
	             "---------------------------------------\n"
	             "Crash       5 (83%)   1 (33%)   6 (67%)\n"
	             "Hang         0 (0%)    0 (0%)    0 (0%)\n"
	             "Others      1 (17%)   1 (33%)   2 (22%)\n"
	             "(uncoded)    0 (0%)   1 (33%)   1 (11%)\n"
	             "---------------------------------------\n"
	             "Total      6 (100%)  3 (100%)  9 (100%)\n");
	free(s);
	s = render(joint(), EXPORT_TEXT);
	CHECK_STR(s, "Causes by symptom\n"
	             "\n"
	             "Cause \\ Symptom     Crash        Total\n"
	             "                 X  Y  Total  X  Y  Total\n"
	             "-----------------------------------------\n"
	             "Type_Problem     2  0      2  3  0      3\n"
	             "-----------------------------------------\n"
	             "Total            0  0      0  0  0      3\n");
	free(s);
}

static void test_text_two_keys_and_rounding(void)
{
	char *s = render(subcauses(), EXPORT_TEXT);
	/*
	 * Shares are whole percent rounded half up: 1 of 200 (0.5%) is 1%, as the
	 * paper prints it, and 199 of 200 (99.5%) is 100%. A zero total has no share.
	 */
	CHECK_STR(s, "Causes\n"
	             "\n"
	             "Cause            Sub-cause         a/x    b/y  total\n"
	             "----------------------------------------------------\n"
	             "Incompatibility  External       1 (1%)  0 (-)  0 (-)\n"
	             "                 Internal   199 (100%)  0 (-)  0 (-)\n"
	             "Typo                            0 (0%)  0 (-)  0 (-)\n"
	             "----------------------------------------------------\n"
	             "Total                       200 (100%)  0 (-)  0 (-)\n");
	free(s);
}

/* Parses CSV text back into a flat list of fields per record, joined by '|'. */
static char *csv_roundtrip(const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct csv_reader *r = csv_open(in, "t.csv");
	struct csv_record rec;
	struct error err;
	char *out = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	while (csv_read(r, &rec, &err) == 1) {
		for (size_t i = 0; i < rec.nfields; i++)
			fprintf(o, "%s%s", i ? "|" : "", rec.fields[i]);
		fputc('\n', o);
	}
	fclose(o);
	csv_close(r);
	fclose(in);
	return out;
}

static void test_csv(void)
{
	char *s = render(symptoms(), EXPORT_CSV);
	/* The kind column names what each record is. */
	CHECK_STR(s, "symptom,a/x,b/y,total,kind\r\nCrash,5,1,6,data\r\nHang,0,0,0,data\r\n"
	             "Others,1,1,2,other\r\n(uncoded),0,1,1,uncoded\r\nTotal,6,3,9,total\r\n");
	free(s);
	struct table *t = joint();
	t->total_group = 1;
	s = render(t, EXPORT_CSV);
	char *back = csv_roundtrip(s);
	/* A cause's record in the Total group totals its symptoms: kind total. */
	CHECK_STR(back, "cause|symptom|a/x|b/y|total|kind\n"
	                "Type_Problem|Crash|2|0|2|data\n"
	                "Type_Problem|Total|3|0|3|total\n"
	                "Total|Crash|0|0|0|total\n"
	                "Total|Total|0|0|3|total\n");
	free(back);
	free(s);
	s = render(subcauses(), EXPORT_CSV);
	back = csv_roundtrip(s);
	/* Every record carries both keys, the parent repeated. */
	CHECK(strstr(back, "Incompatibility|Internal|199|0|0|data\n") != NULL);
	CHECK(strstr(back, "Typo||0|0|0|data\n") != NULL);
	free(back);
	free(s);
}

static void test_json(void)
{
	char *s = render(symptoms(), EXPORT_JSON);
	json_error_t jerr;
	json_t *j = json_loads(s, 0, &jerr);
	CHECK(j != NULL);
	CHECK_STR(json_string_value(json_object_get(j, "table")), "symptoms");
	CHECK(json_is_null(json_object_get(j, "group")));
	json_t *rows = json_object_get(j, "rows");
	CHECK_INT(json_array_size(rows), 5);
	json_t *crash = json_array_get(rows, 0);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(crash, "counts"), "a/x")), 5);
	CHECK_NEAR(json_real_value(json_object_get(json_object_get(crash, "shares"), "a/x")),
	           5.0 / 6.0, 1e-14);
	CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 3), "kind")), "uncoded");
	json_decref(j);
	free(s);
	s = render(joint(), EXPORT_JSON);
	j = json_loads(s, 0, &jerr);
	CHECK_STR(json_string_value(json_object_get(j, "group")), "symptom");
	rows = json_object_get(j, "rows");
	CHECK_INT(json_array_size(rows), 4);
	CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 1), "symptom")), "Total");
	CHECK(json_object_get(json_array_get(rows, 1), "shares") == NULL);
	json_decref(j);
	free(s);
}

static void test_markdown(void)
{
	char *s = render(joint(), EXPORT_MARKDOWN);
	CHECK_STR(s, "**Causes by symptom**\n"
	             "\n"
	             "| Cause \\\\ Symptom | Crash: X | Crash: Y | Crash: Total | Total: X | "
	             "Total: Y | Total: Total |\n"
	             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
	             "| Type\\_Problem | 2 | 0 | 2 | 3 | 0 | 3 |\n"
	             "| Total | 0 | 0 | 0 | 0 | 0 | 3 |\n");
	free(s);
}

/* Checks that braces balance and every row has as many cells as the column spec. */
static void check_latex_shape(const char *s, int columns)
{
	int depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++; /* an escaped character */
			continue;
		}
		depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
		CHECK(depth >= 0);
	}
	CHECK_INT(depth, 0);
	const char *line = strstr(s, "\\midrule\n");
	CHECK(line != NULL);
	for (line = line ? line + 9 : s; *line && strncmp(line, "\\bottomrule", 11);) {
		const char *end = strchr(line, '\n');
		if (strncmp(line, "\\midrule", 8)) {
			int cells = 1;
			for (const char *p = line; p < end; p++)
				if (*p == '&' && (p == line || p[-1] != '\\'))
					cells++;
			CHECK_INT(cells, columns);
		}
		line = end + 1;
	}
}

static void test_latex(void)
{
	char *s = render(subcauses(), EXPORT_LATEX);
	CHECK(strstr(s, "% Causes\n\\begin{tabular}{@{}llrrr@{}}\n\\toprule\n"
	                "Cause & Sub-cause & a/x & b/y & total \\\\\n\\midrule\n") != NULL);
	CHECK(strstr(s, " & Internal & 199 (100\\%) & 0 (-) & 0 (-) \\\\\n") != NULL);
	CHECK(strstr(s, "\\midrule\nTotal &  & 200 (100\\%)") != NULL);
	check_latex_shape(s, 5);
	free(s);
	s = render(joint(), EXPORT_LATEX);
	CHECK(strstr(s, "Cause \\textbackslash{} Symptom & \\multicolumn{3}{c}{Crash} & "
	                "\\multicolumn{3}{c}{Total} \\\\\n"
	                "\\cmidrule(lr){2-4} \\cmidrule(lr){5-7}\n") != NULL);
	CHECK(strstr(s, "Type\\_Problem & 2 & 0 & 2 & 3 & 0 & 3 \\\\\n") != NULL);
	check_latex_shape(s, 7);
	free(s);
}

static void test_latex_escapes(void)
{
	const char *kn[] = {"k"}, *kt[] = {"K"}, *c[] = {"n"};
	struct table *t = table_new("t", "T", 1, kn, kt, 1, c, NULL);
	table_add_row(t, TABLE_ROW_CATEGORY, "a&b %c $d #e _f {g} ~h ^i \\j", NULL);
	char *s = render(t, EXPORT_LATEX);
	CHECK(strstr(s, "a\\&b \\%c \\$d \\#e \\_f \\{g\\} \\textasciitilde{}h "
	                "\\textasciicircum{}i \\textbackslash{}j & 0 \\\\\n") != NULL);
	check_latex_shape(s, 2);
	free(s);
}

static void test_latex_escapes_more(void)
{
	/* OT1 fonts print <, > and | as other glyphs; "--" would become a dash; a blank line ends
	 * the tabular. */
	const char *kn[] = {"k"}, *kt[] = {"K"}, *c[] = {"n"};
	struct table *t = table_new("t", "T", 1, kn, kt, 1, c, NULL);
	table_add_row(t, TABLE_ROW_CATEGORY, "I/O <a> | b -- c\n\nd", NULL);
	char *s = render(t, EXPORT_LATEX);
	CHECK(strstr(s, "I/O \\textless{}a\\textgreater{} \\textbar{} b -{}- c  d & 0 \\\\\n") !=
	      NULL);
	check_latex_shape(s, 2);
	free(s);
}

static void test_markdown_escapes(void)
{
	/* Nothing in a name may turn into a link, a tag, code, strikethrough or a new row. */
	const char *kn[] = {"k"}, *kt[] = {"K <x>"}, *c[] = {"n"};
	struct table *t = table_new("t", "T", 1, kn, kt, 1, c, NULL);
	table_add_row(t, TABLE_ROW_CATEGORY, "C# `x` [l](u) <b> ~~s~~ &amp; $m$ a|b *c* _d_ \\e\nf",
	              NULL);
	char *s = render(t, EXPORT_MARKDOWN);
	CHECK(strstr(s, "| K \\<x\\> | n |\n") != NULL);
	CHECK(strstr(s, "| C# \\`x\\` \\[l\\](u) \\<b\\> \\~\\~s\\~\\~ \\&amp; \\$m\\$ a\\|b "
	                "\\*c\\* \\_d\\_ \\\\e f | 0 |\n") != NULL);
	free(s);
}

static void test_strings_table(void)
{
	const char *headers[] = {"release", "date", "issues", "share"};
	struct table_strings *t = table_strings_new("Bins", "n = 2", 4, 2, headers);
	const char *a[] = {"2-7", "2018-03-21", "12", "0.42"};
	const char *b[] = {"8", "2018-08-30", "3", "-"};
	table_strings_add(t, a, 0);
	table_strings_add(t, b, 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	table_strings_write(out, t, EXPORT_TEXT);
	table_strings_write(out, t, EXPORT_CSV);
	table_strings_write(out, t, EXPORT_JSON);
	table_strings_write(out, t, EXPORT_LATEX);
	fclose(out);
	CHECK_STR(buf, "Bins\n"
	               "n = 2\n"
	               "\n"
	               "release  date        issues  share\n"
	               "----------------------------------\n"
	               "2-7      2018-03-21      12   0.42\n"
	               "----------------------------------\n"
	               "8        2018-08-30       3      -\n"
	               "release,date,issues,share\r\n"
	               "2-7,2018-03-21,12,0.42\r\n"
	               "8,2018-08-30,3,-\r\n"
	               "% Bins\n"
	               "% n = 2\n"
	               "\\begin{tabular}{@{}llrr@{}}\n"
	               "\\toprule\n"
	               "release & date & issues & share \\\\\n"
	               "\\midrule\n"
	               "2-7 & 2018-03-21 & 12 & 0.42 \\\\\n"
	               "\\midrule\n"
	               "8 & 2018-08-30 & 3 & - \\\\\n"
	               "\\bottomrule\n"
	               "\\end{tabular}\n");
	free(buf);
	table_strings_free(t);
}

static void test_hide_empty(void)
{
	struct table *t = symptoms();
	t->total_col = 1;
	table_hide_empty(t);
	char *s = render(t, EXPORT_CSV);
	/* Hang counts nothing; (uncoded) counts one issue and stays. */
	CHECK_STR(s, "symptom,a/x,b/y,total,kind\r\nCrash,5,1,6,data\r\nOthers,1,1,2,other\r\n"
	             "(uncoded),0,1,1,uncoded\r\nTotal,6,3,9,total\r\n");
	free(s);
	/* A joint table: the empty column b/y and the empty Total row's zeros; totals stay. */
	t = joint();
	t->total_col = t->total_group = 1;
	struct table_row *row = table_add_row(t, TABLE_ROW_UNCODED, "(uncoded)", NULL);
	(void)row;
	table_hide_empty(t);
	CHECK_INT(t->ncols, 2);
	CHECK_STR(t->cols[0], "a/x");
	CHECK_INT(t->nrows, 2);
	CHECK_INT(t->ngroups, 2);
	s = render(t, EXPORT_CSV);
	char *back = csv_roundtrip(s);
	CHECK_STR(back, "cause|symptom|a/x|total|kind\n"
	                "Type_Problem|Crash|2|2|data\n"
	                "Type_Problem|Total|3|3|total\n"
	                "Total|Crash|0|0|total\n"
	                "Total|Total|0|3|total\n");
	free(back);
	free(s);
}

static void test_group_totals(void)
{
	struct table *t = joint();
	t->total_col = t->total_group = 1;
	t->group_totals = 0;
	char *s = render(t, EXPORT_TEXT);
	/* Crash keeps X and Y, the Total group keeps its total. */
	CHECK(strstr(s, "Cause \\ Symptom  Crash     Total\n") != NULL);
	CHECK(strstr(s, "                 X   Y  X  Y  Total\n") != NULL);
	CHECK(strstr(s, "Type_Problem     2   0  3  0      3\n") != NULL);
	free(s);
	t = joint();
	t->total_col = t->total_group = 1;
	t->group_totals = 0;
	s = render(t, EXPORT_LATEX);
	CHECK(strstr(s, "\\multicolumn{2}{c}{Crash} & \\multicolumn{3}{c}{Total} \\\\\n"
	                "\\cmidrule(lr){2-3} \\cmidrule(lr){4-6}\n") != NULL);
	check_latex_shape(s, 6);
	free(s);
	t = joint();
	t->total_col = t->total_group = 1;
	t->group_totals = 0;
	s = render(t, EXPORT_MARKDOWN);
	CHECK(strstr(s, "| Cause \\\\ Symptom | Crash: X | Crash: Y | Total: X | Total: Y | Total: "
	                "Total |\n") != NULL);
	free(s);
}

static void test_repos_as_rows(void)
{
	struct table *t = joint();
	t->total_col = t->total_group = 1;
	struct table *r = table_repos_as_rows(t, 1);
	table_free(t);
	CHECK_INT(r->nkeys, 2);
	CHECK_INT(r->ncols, 2);
	CHECK_INT(r->nrows, 6);
	char *s = render(r, EXPORT_TEXT);
	CHECK(strstr(s, "                         Symptom\n") != NULL);
	CHECK(strstr(s, "Cause         Repository  Crash  Total\n") != NULL);
	CHECK(strstr(s, "Type_Problem  X               2      3\n"
	                "              Y               0      0\n"
	                "              Total           2      3\n") != NULL);
	/* One rule above the Total rows, none between them. */
	CHECK(strstr(s, "-\nTotal         X               0      0\n"
	                "              Y               0      0\n"
	                "              Total           0      3\n") != NULL);
	free(s);
	t = joint();
	t->total_col = t->total_group = 1;
	r = table_repos_as_rows(t, 1);
	table_free(t);
	s = render(r, EXPORT_CSV);
	char *back = csv_roundtrip(s);
	CHECK_STR(back, "cause|repository|Crash|Total|kind\n"
	                "Type_Problem|X|2|3|data\n"
	                "Type_Problem|Y|0|0|data\n"
	                "Type_Problem|Total|2|3|total\n"
	                "Total|X|0|0|total\n"
	                "Total|Y|0|0|total\n"
	                "Total|Total|0|3|total\n");
	free(back);
	free(s);
	t = joint();
	t->total_col = t->total_group = 1;
	r = table_repos_as_rows(t, 1);
	table_free(t);
	s = render(r, EXPORT_MARKDOWN);
	CHECK(strstr(s, "| Cause | Repository | Symptom: Crash | Symptom: Total |\n") != NULL);
	free(s);
	/* Without the per-cause totals. */
	t = joint();
	t->total_col = t->total_group = 1;
	r = table_repos_as_rows(t, 0);
	table_free(t);
	CHECK_INT(r->nrows, 5);
	s = render(r, EXPORT_LATEX);
	check_latex_shape(s, 4);
	free(s);
}

static void test_latex_float(void)
{
	struct table *t = subcauses();
	t->latex_float = 1;
	char *s = render(t, EXPORT_LATEX);
	CHECK(strstr(s, "% Causes\n\\begin{table}\n\\centering\n\\caption{Causes}\n"
	                "\\label{tab:subcauses}\n\\begin{tabular}") != NULL);
	CHECK(strstr(s, "\\end{tabular}\n\\end{table}\n") != NULL);
	free(s);
	/* Raw LaTeX in a header and the caption of a strings table. */
	const char *headers[] = {"x", "rho"};
	struct table_strings *st = table_strings_new("Spearman's rho", NULL, 2, 1, headers);
	table_strings_set_tex_header(st, 1, "$\\rho$");
	table_strings_set_tex_title(st, "Spearman's $\\rho$");
	st->latex_float = 1;
	st->name = strdup("corr_elations");
	const char *cells[] = {"size", "0.36"};
	table_strings_add(st, cells, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	table_strings_write(out, st, EXPORT_LATEX);
	table_strings_write(out, st, EXPORT_TEXT);
	fclose(out);
	CHECK(strstr(buf, "\\caption{Spearman's $\\rho$}\n\\label{tab:corr-elations}\n") != NULL);
	CHECK(strstr(buf, "x & $\\rho$ \\\\\n") != NULL);
	CHECK(strstr(buf, "x      rho\n") != NULL);
	free(buf);
	table_strings_free(st);
}

static void test_latex_quotes(void)
{
	/* OT1 has no straight double quote; `` '' ,, would be ligatures. */
	const char *kn[] = {"k"}, *kt[] = {"K"}, *c[] = {"n"};
	struct table *t = table_new("t", "T", 1, kn, kt, 1, c, NULL);
	table_add_row(t, TABLE_ROW_CATEGORY, "\"q\" ``a'' b,,c ?`d it's", NULL);
	char *s = render(t, EXPORT_LATEX);
	CHECK(strstr(s, "\\texttt{\\char34}q\\texttt{\\char34} "
	                "\\textasciigrave{}\\textasciigrave{}a'{}' b,{},c ?\\textasciigrave{}d "
	                "it's & 0 \\\\\n") != NULL);
	check_latex_shape(s, 2);
	free(s);
}

/*
 * Markdown and LaTeX go to a terminal as often as to a file: a control
 * character of a name (an escape sequence, a tab) is written visibly
 * (termsafe.h), then escaped as the format wants its backslash.
 */
static void test_control_characters(void)
{
	const char *kn[] = {"k"}, *kt[] = {"K\033[2J"}, *c[] = {"n"};
	struct table *t = table_new("t", "T\033]0;x\007", 1, kn, kt, 1, c, NULL);
	table_set_note(t, "note\033[1m");
	table_add_row(t, TABLE_ROW_CATEGORY, "a\033[2Jb\tc\302\233d", NULL);
	char *s = render(t, EXPORT_MARKDOWN);
	CHECK(strchr(s, '\033') == NULL && strchr(s, '\t') == NULL && !strstr(s, "\302\233"));
	CHECK(strstr(s, "| a\\\\x1b\\[2Jb\\\\tc\\\\u009bd | 0 |\n") != NULL);
	CHECK(strstr(s, "| K\\\\x1b\\[2J | n |\n") != NULL);
	free(s);
	t = table_new("t", "T\033]0;x\007", 1, kn, kt, 1, c, NULL);
	table_set_note(t, "note\033[1m");
	table_add_row(t, TABLE_ROW_CATEGORY, "a\033[2Jb\tc", NULL);
	s = render(t, EXPORT_LATEX);
	CHECK(strchr(s, '\033') == NULL && strchr(s, '\t') == NULL && strchr(s, '\007') == NULL);
	CHECK(strstr(s, "a\\textbackslash{}x1b[2Jb\\textbackslash{}tc & 0 \\\\\n") != NULL);
	CHECK(strstr(s, "% T\\x1b]0;x\\x07\n") != NULL);
	check_latex_shape(s, 2);
	free(s);
}

int main(void)
{
	TEST(test_text);
	TEST(test_text_two_keys_and_rounding);
	TEST(test_csv);
	TEST(test_json);
	TEST(test_markdown);
	TEST(test_latex);
	TEST(test_latex_escapes);
	TEST(test_latex_escapes_more);
	TEST(test_markdown_escapes);
	TEST(test_strings_table);
	TEST(test_hide_empty);
	TEST(test_group_totals);
	TEST(test_repos_as_rows);
	TEST(test_latex_float);
	TEST(test_latex_quotes);
	TEST(test_control_characters);
	return test_done();
}
