/*
 * table.c - the count-table model and its text, CSV, JSON, Markdown and
 * LaTeX writers (see table.h).
 */
#include "table.h"
#include "csv.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* --- the model --- */

static char **copy_strings(size_t n, const char *const *src)
{
	char **out = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(src[i] ? src[i] : "");
	return out;
}

static void free_strings(char **s, size_t n)
{
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

struct table *table_new(const char *name, const char *title, size_t nkeys,
                        const char *const *key_names, const char *const *key_titles, size_t ncols,
                        const char *const *cols, const char *const *col_titles)
{
	struct table *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->title = xstrdup(title);
	t->nkeys = nkeys < 1 ? 1 : nkeys > 2 ? 2 : nkeys;
	for (size_t i = 0; i < t->nkeys; i++) {
		t->key_names[i] = xstrdup(key_names[i]);
		t->key_titles[i] = xstrdup(key_titles[i]);
	}
	t->ncols = ncols;
	t->cols = copy_strings(ncols, cols);
	t->col_titles = copy_strings(ncols, col_titles ? col_titles : cols);
	t->ngroups = 1;
	return t;
}

void table_set_groups(struct table *t, const char *group_name, const char *group_title,
                      size_t ngroups, const char *const *groups)
{
	free(t->group_name);
	free(t->group_title);
	free_strings(t->groups, t->groups ? t->ngroups : 0);
	t->group_name = xstrdup(group_name);
	t->group_title = xstrdup(group_title);
	t->groups = copy_strings(ngroups, groups);
	t->ngroups = ngroups;
}

void table_set_note(struct table *t, const char *note)
{
	free(t->note);
	t->note = note ? xstrdup(note) : NULL;
}

struct table_row *table_add_row(struct table *t, enum table_row_kind kind, const char *key0,
                                const char *key1)
{
	xgrow((void **)&t->rows, &t->alloc_rows, t->nrows + 1, sizeof(*t->rows));
	struct table_row *row = &t->rows[t->nrows++];
	row->key[0] = xstrdup(key0 ? key0 : "");
	row->key[1] = t->nkeys == 2 ? xstrdup(key1 ? key1 : "") : NULL;
	row->kind = kind;
	size_t cells = t->ngroups * t->ncols;
	row->counts = xcalloc(cells > 0 ? cells : 1, sizeof(long));
	return row;
}

long *table_cell(const struct table *t, struct table_row *row, size_t g, size_t c)
{
	return &row->counts[g * t->ncols + c];
}

static long cell_value(const struct table *t, const struct table_row *row, size_t g, size_t c)
{
	return row->counts[g * t->ncols + c];
}

const struct table_row *table_total_row(const struct table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].kind == TABLE_ROW_TOTAL)
			return &t->rows[i];
	return NULL;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].key[0]);
		free(t->rows[i].key[1]);
		free(t->rows[i].counts);
	}
	free(t->rows);
	free(t->name);
	free(t->title);
	free(t->note);
	for (size_t i = 0; i < t->nkeys; i++) {
		free(t->key_names[i]);
		free(t->key_titles[i]);
	}
	free(t->group_name);
	free(t->group_title);
	free_strings(t->groups, t->groups ? t->ngroups : 0);
	free_strings(t->cols, t->ncols);
	free_strings(t->col_titles, t->ncols);
	free(t);
}

/* The column total a share is taken of, or 0 when the table shows no shares. */
static long share_base(const struct table *t, size_t g, size_t c)
{
	const struct table_row *total = t->shares ? table_total_row(t) : NULL;
	return total ? cell_value(t, total, g, c) : 0;
}

void table_format_cell(const struct table *t, const struct table_row *row, size_t g, size_t c,
                       char *buf, size_t size)
{
	long v = cell_value(t, row, g, c), base = share_base(t, g, c);
	if (!t->shares) {
		snprintf(buf, size, "%ld", v);
		return;
	}
	if (base <= 0) {
		snprintf(buf, size, "%ld (-)", v);
		return;
	}
	/* Whole percent, half rounded up, in integers: 1 of 200 is "1%" as in the paper. */
	long percent = (200 * v + base) / (2 * base);
	snprintf(buf, size, "%ld (%ld%%)", v, percent);
}

/* Whether a two-key row repeats the first key of the row above (writers then leave it blank). */
static int repeats_parent(const struct table *t, size_t i)
{
	return t->nkeys == 2 && i > 0 && t->rows[i].kind == TABLE_ROW_CATEGORY &&
	       t->rows[i - 1].kind == TABLE_ROW_CATEGORY &&
	       !strcmp(t->rows[i].key[0], t->rows[i - 1].key[0]);
}

static const char *shown_key(const struct table *t, size_t i, size_t k)
{
	if (k == 0 && repeats_parent(t, i))
		return "";
	return t->rows[i].key[k] ? t->rows[i].key[k] : "";
}

/* Display width of UTF-8 text: code points, which is right for the scripts tables hold. */
static int text_width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void put_padded(FILE *out, const char *s, int width, int right)
{
	int pad = width - text_width(s);
	if (right)
		for (int i = 0; i < pad; i++)
			putc(' ', out);
	fputs(s, out);
	if (!right)
		for (int i = 0; i < pad; i++)
			putc(' ', out);
}

static void put_centered(FILE *out, const char *s, int width)
{
	int pad = width - text_width(s), left = pad > 0 ? pad / 2 : 0;
	for (int i = 0; i < left; i++)
		putc(' ', out);
	fputs(s, out);
	for (int i = left + text_width(s); i < width; i++)
		putc(' ', out);
}

/* --- text --- */

#define GAP 2 /* spaces between text columns */

struct text_layout {
	int key[2];
	int *value; /* ngroups x ncols */
	int total;  /* width of a whole line */
};

static char *corner_label(const struct table *t)
{
	return xstrfmt("%s \\ %s", t->key_titles[0], t->group_title);
}

static int keys_width(const struct text_layout *l, const struct table *t)
{
	return t->nkeys == 2 ? l->key[0] + GAP + l->key[1] : l->key[0];
}

static void layout_values(const struct table *t, struct text_layout *l)
{
	char buf[64];
	for (size_t g = 0; g < t->ngroups; g++) {
		int span = 0;
		for (size_t c = 0; c < t->ncols; c++) {
			int *w = &l->value[g * t->ncols + c];
			*w = text_width(t->col_titles[c]);
			for (size_t i = 0; i < t->nrows; i++) {
				table_format_cell(t, &t->rows[i], g, c, buf, sizeof(buf));
				if (text_width(buf) > *w)
					*w = text_width(buf);
			}
			span += *w + (c ? GAP : 0);
		}
		/* A group label wider than its columns widens the last one. */
		if (t->groups && text_width(t->groups[g]) > span && t->ncols)
			l->value[g * t->ncols + t->ncols - 1] += text_width(t->groups[g]) - span;
	}
}

static void layout_text(const struct table *t, struct text_layout *l)
{
	for (size_t k = 0; k < t->nkeys; k++) {
		l->key[k] = text_width(t->key_titles[k]);
		for (size_t i = 0; i < t->nrows; i++)
			if (text_width(shown_key(t, i, k)) > l->key[k])
				l->key[k] = text_width(shown_key(t, i, k));
	}
	if (t->groups) {
		char *corner = corner_label(t);
		int extra = text_width(corner) - keys_width(l, t);
		if (extra > 0)
			l->key[t->nkeys - 1] += extra;
		free(corner);
	}
	layout_values(t, l);
	l->total = keys_width(l, t);
	for (size_t i = 0; i < t->ngroups * t->ncols; i++)
		l->total += GAP + l->value[i];
}

static void put_rule(FILE *out, int width)
{
	for (int i = 0; i < width; i++)
		putc('-', out);
	putc('\n', out);
}

static int group_span(const struct table *t, const struct text_layout *l, size_t g)
{
	int span = 0;
	for (size_t c = 0; c < t->ncols; c++)
		span += l->value[g * t->ncols + c] + (c ? GAP : 0);
	return span;
}

static void text_header(FILE *out, const struct table *t, const struct text_layout *l)
{
	if (t->groups) {
		char *corner = corner_label(t);
		put_padded(out, corner, keys_width(l, t), 0);
		free(corner);
		for (size_t g = 0; g < t->ngroups; g++) {
			fprintf(out, "%*s", GAP, "");
			put_centered(out, t->groups[g], group_span(t, l, g));
		}
		putc('\n', out);
		put_padded(out, "", keys_width(l, t), 0);
	} else {
		put_padded(out, t->key_titles[0], l->key[0], 0);
		if (t->nkeys == 2) {
			fprintf(out, "%*s", GAP, "");
			put_padded(out, t->key_titles[1], l->key[1], 0);
		}
	}
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t c = 0; c < t->ncols; c++) {
			fprintf(out, "%*s", GAP, "");
			put_padded(out, t->col_titles[c], l->value[g * t->ncols + c], 1);
		}
	putc('\n', out);
}

static void text_row(FILE *out, const struct table *t, const struct text_layout *l, size_t i)
{
	char buf[64];
	put_padded(out, shown_key(t, i, 0), l->key[0], 0);
	if (t->nkeys == 2) {
		fprintf(out, "%*s", GAP, "");
		put_padded(out, shown_key(t, i, 1), l->key[1], 0);
	}
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t c = 0; c < t->ncols; c++) {
			table_format_cell(t, &t->rows[i], g, c, buf, sizeof(buf));
			fprintf(out, "%*s", GAP, "");
			put_padded(out, buf, l->value[g * t->ncols + c], 1);
		}
	putc('\n', out);
}

void table_write_text(FILE *out, const struct table *t)
{
	struct text_layout l = {{0, 0}, xcalloc(t->ngroups * t->ncols + 1, sizeof(int)), 0};
	layout_text(t, &l);
	fprintf(out, "%s\n", t->title);
	if (t->note)
		fprintf(out, "%s\n", t->note);
	putc('\n', out);
	text_header(out, t, &l);
	put_rule(out, l.total);
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].kind == TABLE_ROW_TOTAL)
			put_rule(out, l.total);
		text_row(out, t, &l, i);
	}
	free(l.value);
}

/* --- CSV and JSON: one record per row and group --- */

void table_write_csv(FILE *out, const struct table *t)
{
	for (size_t k = 0; k < t->nkeys; k++) {
		csv_write_field(out, t->key_names[k]);
		putc(',', out);
	}
	if (t->groups) {
		csv_write_field(out, t->group_name);
		putc(',', out);
	}
	csv_write_row(out, (const char *const *)t->cols, t->ncols);
	char buf[32];
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t g = 0; g < t->ngroups; g++) {
			for (size_t k = 0; k < t->nkeys; k++) {
				csv_write_field(out, t->rows[i].key[k]);
				putc(',', out);
			}
			if (t->groups) {
				csv_write_field(out, t->groups[g]);
				putc(',', out);
			}
			for (size_t c = 0; c < t->ncols; c++) {
				snprintf(buf, sizeof(buf), "%ld", cell_value(t, &t->rows[i], g, c));
				if (c)
					putc(',', out);
				csv_write_field(out, buf);
			}
			csv_end_row(out);
		}
}

static const char *kind_name(enum table_row_kind kind)
{
	switch (kind) {
	case TABLE_ROW_OTHERS:
		return "others";
	case TABLE_ROW_UNCODED:
		return "uncoded";
	case TABLE_ROW_TOTAL:
		return "total";
	default:
		return "category";
	}
}

static json_t *json_record(const struct table *t, const struct table_row *row, size_t g)
{
	json_t *rec = json_object(), *counts = json_object();
	for (size_t k = 0; k < t->nkeys; k++)
		json_object_set_new(rec, t->key_names[k], json_string(row->key[k]));
	if (t->groups)
		json_object_set_new(rec, t->group_name, json_string(t->groups[g]));
	json_object_set_new(rec, "kind", json_string(kind_name(row->kind)));
	for (size_t c = 0; c < t->ncols; c++)
		json_object_set_new(counts, t->cols[c], json_integer(cell_value(t, row, g, c)));
	json_object_set_new(rec, "counts", counts);
	if (t->shares) {
		json_t *shares = json_object();
		for (size_t c = 0; c < t->ncols; c++) {
			long base = share_base(t, g, c);
			json_object_set_new(shares, t->cols[c],
			                    base > 0 ? json_real((double)cell_value(t, row, g, c) /
			                                         (double)base)
			                             : json_null());
		}
		json_object_set_new(rec, "shares", shares);
	}
	return rec;
}

json_t *table_to_json(const struct table *t)
{
	json_t *keys = json_array(), *cols = json_array(), *rows = json_array();
	for (size_t k = 0; k < t->nkeys; k++)
		json_array_append_new(keys, json_string(t->key_names[k]));
	for (size_t c = 0; c < t->ncols; c++)
		json_array_append_new(cols, json_string(t->cols[c]));
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t g = 0; g < t->ngroups; g++)
			json_array_append_new(rows, json_record(t, &t->rows[i], g));
	return json_pack("{s:s, s:s, s:s?, s:o, s:s?, s:o, s:o}", "table", t->name, "title",
	                 t->title, "note", t->note, "keys", keys, "group",
	                 t->groups ? t->group_name : NULL, "columns", cols, "rows", rows);
}

/* --- Markdown --- */

static void md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_')
			putc('\\', out);
		putc(*s, out);
	}
}

static void md_header(FILE *out, const struct table *t)
{
	fputs("|", out);
	for (size_t k = 0; k < t->nkeys; k++) {
		putc(' ', out);
		if (k == 0 && t->groups) {
			char *corner = corner_label(t);
			md_text(out, corner);
			free(corner);
		} else {
			md_text(out, t->key_titles[k]);
		}
		fputs(" |", out);
	}
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t c = 0; c < t->ncols; c++) {
			putc(' ', out);
			if (t->groups) {
				md_text(out, t->groups[g]);
				fputs(": ", out);
			}
			md_text(out, t->col_titles[c]);
			fputs(" |", out);
		}
	fputs("\n|", out);
	for (size_t k = 0; k < t->nkeys; k++)
		fputs(" --- |", out);
	for (size_t i = 0; i < t->ngroups * t->ncols; i++)
		fputs(" ---: |", out);
	putc('\n', out);
}

void table_write_markdown(FILE *out, const struct table *t)
{
	char buf[64];
	fputs("**", out);
	md_text(out, t->title);
	fputs("**", out);
	if (t->note) {
		fputs(" (", out);
		md_text(out, t->note);
		putc(')', out);
	}
	fputs("\n\n", out);
	md_header(out, t);
	for (size_t i = 0; i < t->nrows; i++) {
		fputs("|", out);
		for (size_t k = 0; k < t->nkeys; k++) {
			putc(' ', out);
			md_text(out, shown_key(t, i, k));
			fputs(" |", out);
		}
		for (size_t g = 0; g < t->ngroups; g++)
			for (size_t c = 0; c < t->ncols; c++) {
				table_format_cell(t, &t->rows[i], g, c, buf, sizeof(buf));
				fprintf(out, " %s |", buf);
			}
		putc('\n', out);
	}
}

/* --- LaTeX (booktabs) --- */

static void tex_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			fputs("\\textbackslash{}", out);
			break;
		case '~':
			fputs("\\textasciitilde{}", out);
			break;
		case '^':
			fputs("\\textasciicircum{}", out);
			break;
		case '&':
		case '%':
		case '$':
		case '#':
		case '_':
		case '{':
		case '}':
			putc('\\', out);
			putc(*s, out);
			break;
		default:
			putc(*s, out);
		}
	}
}

/* A comment line: only the line breaks of s need care. */
static void tex_comment(FILE *out, const char *s)
{
	fputs("% ", out);
	for (; *s; s++)
		putc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
	putc('\n', out);
}

static void tex_group_header(FILE *out, const struct table *t)
{
	char *corner = corner_label(t);
	if (t->nkeys == 2)
		fputs("\\multicolumn{2}{@{}l}{", out);
	tex_text(out, corner);
	if (t->nkeys == 2)
		putc('}', out);
	free(corner);
	for (size_t g = 0; g < t->ngroups; g++) {
		fprintf(out, " & \\multicolumn{%zu}{c}{", t->ncols);
		tex_text(out, t->groups[g]);
		putc('}', out);
	}
	fputs(" \\\\\n", out);
	for (size_t g = 0; g < t->ngroups; g++) {
		size_t first = t->nkeys + g * t->ncols + 1;
		fprintf(out, "%s\\cmidrule(lr){%zu-%zu}", g ? " " : "", first,
		        first + t->ncols - 1);
	}
	putc('\n', out);
}

static void tex_header(FILE *out, const struct table *t)
{
	fputs("\\toprule\n", out);
	if (t->groups)
		tex_group_header(out, t);
	for (size_t k = 0; k < t->nkeys; k++) {
		if (k)
			fputs(" & ", out);
		if (!t->groups)
			tex_text(out, t->key_titles[k]);
	}
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t c = 0; c < t->ncols; c++) {
			fputs(" & ", out);
			tex_text(out, t->col_titles[c]);
		}
	fputs(" \\\\\n\\midrule\n", out);
}

static void tex_row(FILE *out, const struct table *t, size_t i)
{
	char buf[64];
	for (size_t k = 0; k < t->nkeys; k++) {
		if (k)
			fputs(" & ", out);
		tex_text(out, shown_key(t, i, k));
	}
	for (size_t g = 0; g < t->ngroups; g++)
		for (size_t c = 0; c < t->ncols; c++) {
			table_format_cell(t, &t->rows[i], g, c, buf, sizeof(buf));
			fputs(" & ", out);
			tex_text(out, buf);
		}
	fputs(" \\\\\n", out);
}

void table_write_latex(FILE *out, const struct table *t)
{
	tex_comment(out, t->title);
	if (t->note)
		tex_comment(out, t->note);
	fputs("\\begin{tabular}{@{}", out);
	for (size_t k = 0; k < t->nkeys; k++)
		putc('l', out);
	for (size_t i = 0; i < t->ngroups * t->ncols; i++)
		putc('r', out);
	fputs("@{}}\n", out);
	tex_header(out, t);
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].kind == TABLE_ROW_TOTAL)
			fputs("\\midrule\n", out);
		tex_row(out, t, i);
	}
	fputs("\\bottomrule\n\\end{tabular}\n", out);
}

void table_write(FILE *out, const struct table *t, enum export_format f)
{
	switch (f) {
	case EXPORT_TEXT:
		table_write_text(out, t);
		break;
	case EXPORT_CSV:
		table_write_csv(out, t);
		break;
	case EXPORT_JSON: {
		json_t *j = table_to_json(t);
		json_dumpf(j, out, TABLE_JSON_FLAGS);
		putc('\n', out);
		json_decref(j);
		break;
	}
	case EXPORT_MARKDOWN:
		table_write_markdown(out, t);
		break;
	case EXPORT_LATEX:
		table_write_latex(out, t);
		break;
	}
}
