/*
 * table.c - the count-table model and its text, CSV, JSON, Markdown and
 * LaTeX writers (see table.h).
 */
#include "table.h"
#include "csv.h"
#include "strbuf.h"
#include "termsafe.h"
#include "xalloc.h"

#include <ctype.h>
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
	t->group_totals = 1;
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
	free(t->cols_title);
	free(t);
}

/* --- layouts for papers --- */

static int row_is_zero(const struct table *t, const struct table_row *row)
{
	for (size_t i = 0; i < t->ngroups * t->ncols; i++)
		if (row->counts[i])
			return 0;
	return 1;
}

static int group_is_zero(const struct table *t, size_t g)
{
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t c = 0; c < t->ncols; c++)
			if (cell_value(t, &t->rows[i], g, c))
				return 0;
	return 1;
}

static int col_is_zero(const struct table *t, size_t c)
{
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t g = 0; g < t->ngroups; g++)
			if (cell_value(t, &t->rows[i], g, c))
				return 0;
	return 1;
}

/* Keeps the groups and columns flagged in keep_g and keep_c, in every row. */
static void keep_cells(struct table *t, const char *keep_g, const char *keep_c)
{
	size_t ng = 0, nc = 0;
	for (size_t g = 0; g < t->ngroups; g++)
		ng += keep_g[g] != 0;
	for (size_t c = 0; c < t->ncols; c++)
		nc += keep_c[c] != 0;
	for (size_t i = 0; i < t->nrows; i++) {
		long *counts = xcalloc(ng * nc + 1, sizeof(long));
		size_t at = 0;
		for (size_t g = 0; g < t->ngroups; g++)
			for (size_t c = 0; c < t->ncols; c++)
				if (keep_g[g] && keep_c[c])
					counts[at++] = cell_value(t, &t->rows[i], g, c);
		free(t->rows[i].counts);
		t->rows[i].counts = counts;
	}
	size_t to = 0;
	for (size_t g = 0; t->groups && g < t->ngroups; g++) {
		if (keep_g[g])
			t->groups[to++] = t->groups[g];
		else
			free(t->groups[g]);
	}
	t->ngroups = ng;
	to = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		if (keep_c[c]) {
			t->cols[to] = t->cols[c];
			t->col_titles[to++] = t->col_titles[c];
		} else {
			free(t->cols[c]);
			free(t->col_titles[c]);
		}
	}
	t->ncols = nc;
}

void table_hide_empty(struct table *t)
{
	char *keep_g = xcalloc(t->ngroups, 1), *keep_c = xcalloc(t->ncols + 1, 1);
	for (size_t g = 0; g < t->ngroups; g++)
		keep_g[g] = !group_is_zero(t, g) || (t->total_group && g + 1 == t->ngroups);
	for (size_t c = 0; c < t->ncols; c++)
		keep_c[c] = !col_is_zero(t, c) || (t->total_col && c + 1 == t->ncols);
	keep_cells(t, keep_g, keep_c);
	free(keep_g);
	free(keep_c);
	size_t to = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct table_row *row = &t->rows[i];
		if (row->kind == TABLE_ROW_TOTAL || !row_is_zero(t, row)) {
			t->rows[to++] = *row;
			continue;
		}
		free(row->key[0]);
		free(row->key[1]);
		free(row->counts);
	}
	t->nrows = to;
}

static enum table_row_kind column_row_kind(const struct table *t, const struct table_row *row,
                                           size_t c)
{
	if (!t->total_col || c + 1 < t->ncols || row->kind == TABLE_ROW_TOTAL)
		return row->kind;
	return TABLE_ROW_SUBTOTAL;
}

struct table *table_repos_as_rows(const struct table *t, int with_totals)
{
	const char *kn[] = {t->key_names[0], "repository"},
	           *kt[] = {t->key_titles[0], "Repository"};
	const char **groups = xcalloc(t->ngroups, sizeof(char *));
	for (size_t g = 0; g < t->ngroups; g++)
		groups[g] = t->groups ? t->groups[g] : "count";
	struct table *r = table_new(t->name, t->title, 2, kn, kt, t->ngroups, groups, groups);
	free(groups);
	table_set_note(r, t->note);
	r->total_col = t->total_group;
	r->cols_title = t->group_title && *t->group_title ? xstrdup(t->group_title) : NULL;
	r->latex_float = t->latex_float;
	r->tex_rotate = 1;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct table_row *row = &t->rows[i];
		for (size_t c = 0; c < t->ncols; c++) {
			enum table_row_kind kind = column_row_kind(t, row, c);
			if (kind == TABLE_ROW_SUBTOTAL && !with_totals)
				continue;
			struct table_row *to =
			        table_add_row(r, kind, row->key[0], t->col_titles[c]);
			for (size_t g = 0; g < t->ngroups; g++)
				*table_cell(r, to, 0, g) = cell_value(t, row, g, c);
		}
	}
	return r;
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

/* --- strings tables --- */

struct table_strings *table_strings_new(const char *title, const char *note, size_t ncols,
                                        size_t nlabels, const char *const *headers)
{
	struct table_strings *t = xcalloc(1, sizeof(*t));
	t->title = xstrdup(title);
	t->note = note ? xstrdup(note) : NULL;
	t->ncols = ncols;
	t->nlabels = nlabels;
	t->headers = copy_strings(ncols, headers);
	return t;
}

void table_strings_add(struct table_strings *t, const char *const *cells, int rule_before)
{
	xgrow((void **)&t->rows, &t->alloc_rows, t->nrows + 1, sizeof(*t->rows));
	t->rows[t->nrows].cells = copy_strings(t->ncols, cells);
	t->rows[t->nrows].rule_before = rule_before;
	t->nrows++;
}

void table_strings_free(struct table_strings *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		free_strings(t->rows[i].cells, t->ncols);
	free(t->rows);
	free_strings(t->headers, t->ncols);
	if (t->tex_headers)
		for (size_t i = 0; i < t->ncols; i++)
			free(t->tex_headers[i]);
	free(t->tex_headers);
	free_strings(t->groups, t->ngroups);
	free(t->spans);
	free(t->corner);
	free(t->title);
	free(t->tex_title);
	free(t->name);
	free(t->note);
	free(t);
}

void table_strings_set_tex_header(struct table_strings *t, size_t col, const char *tex)
{
	if (!t->tex_headers)
		t->tex_headers = xcalloc(t->ncols, sizeof(char *));
	free(t->tex_headers[col]);
	t->tex_headers[col] = xstrdup(tex);
}

void table_strings_set_tex_title(struct table_strings *t, const char *tex)
{
	free(t->tex_title);
	t->tex_title = xstrdup(tex);
}

/* Whether a two-key row repeats the first key of the row above (it is then left blank). */
static int repeats_parent(const struct table *t, size_t i)
{
	return t->nkeys == 2 && i > 0 && !strcmp(t->rows[i].key[0], t->rows[i - 1].key[0]);
}

/* A rule goes above the first total row (a run of them, repositories as rows, gets one). */
static int rule_above(const struct table *t, size_t i)
{
	return t->rows[i].kind == TABLE_ROW_TOTAL &&
	       (i == 0 || t->rows[i - 1].kind != TABLE_ROW_TOTAL);
}

/* Whether the writers that draw the table show value column c of group g. */
static int shown(const struct table *t, size_t g, size_t c)
{
	if (t->group_totals || !t->groups || !t->total_col || c + 1 < t->ncols)
		return 1;
	return t->total_group && g + 1 == t->ngroups;
}

/* The count table as the text, Markdown and LaTeX writers show it. */
static struct table_strings *table_render(const struct table *t)
{
	size_t nvalues = 0, all = t->ngroups * t->ncols;
	size_t *value_at = xcalloc(all + 1, sizeof(size_t)); /* shown column -> g * ncols + c */
	for (size_t v = 0; v < all; v++)
		if (shown(t, v / t->ncols, v % t->ncols))
			value_at[nvalues++] = v;
	size_t ncols = t->nkeys + nvalues;
	const char **cells = xcalloc(ncols, sizeof(char *));
	for (size_t k = 0; k < t->nkeys; k++)
		cells[k] = t->groups ? "" : t->key_titles[k];
	for (size_t i = 0; i < nvalues; i++)
		cells[t->nkeys + i] = t->col_titles[value_at[i] % t->ncols];
	struct table_strings *r = table_strings_new(t->title, t->note, ncols, t->nkeys, cells);
	r->name = xstrdup(t->name);
	r->latex_float = t->latex_float;
	r->tex_rotate = t->tex_rotate;
	if (t->groups) {
		r->corner = t->group_title && *t->group_title
		                    ? xstrfmt("%s \\ %s", t->key_titles[0], t->group_title)
		                    : xstrdup(t->key_titles[0]);
		r->groups = copy_strings(t->ngroups, (const char *const *)t->groups);
		r->ngroups = t->ngroups;
		r->span = t->ncols;
		r->spans = xcalloc(t->ngroups, sizeof(size_t));
		for (size_t i = 0; i < nvalues; i++)
			r->spans[value_at[i] / t->ncols]++;
	} else if (t->cols_title) {
		r->corner = xstrdup("");
		r->groups = copy_strings(1, (const char *const *)&t->cols_title);
		r->ngroups = 1;
		r->span = nvalues;
	}
	char(*buf)[64] = xcalloc(nvalues ? nvalues : 1, sizeof(*buf));
	for (size_t i = 0; i < t->nrows; i++) {
		const struct table_row *row = &t->rows[i];
		cells[0] = repeats_parent(t, i) ? "" : row->key[0];
		if (t->nkeys == 2)
			cells[1] = row->key[1];
		for (size_t v = 0; v < nvalues; v++) {
			table_format_cell(t, row, value_at[v] / t->ncols, value_at[v] % t->ncols,
			                  buf[v], sizeof(buf[v]));
			cells[t->nkeys + v] = buf[v];
		}
		table_strings_add(r, cells, rule_above(t, i));
	}
	free(buf);
	free(cells);
	free(value_at);
	return r;
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

static void put_spaces(FILE *out, int n)
{
	for (int i = 0; i < n; i++)
		putc(' ', out);
}

static void put_padded(FILE *out, const char *s, int width, int right)
{
	int pad = width - text_width(s);
	if (right)
		put_spaces(out, pad);
	fputs(s, out);
	if (!right)
		put_spaces(out, pad);
}

/* Centres s in width columns; the last cell of a line gets no trailing blanks. */
static void put_centered(FILE *out, const char *s, int width, int last)
{
	int pad = width - text_width(s), left = pad > 0 ? pad / 2 : 0;
	put_spaces(out, left);
	fputs(s, out);
	if (!last)
		put_spaces(out, width - left - text_width(s));
}

/* --- text --- */

#define GAP 2 /* spaces between text columns */

/* The value columns group g spans, and the first of them. */
static size_t group_span(const struct table_strings *t, size_t g)
{
	return t->spans ? t->spans[g] : t->span;
}

static size_t group_first(const struct table_strings *t, size_t g)
{
	size_t first = t->nlabels;
	for (size_t i = 0; i < g; i++)
		first += group_span(t, i);
	return first;
}

/* The group value column c (c >= nlabels) is under. */
static size_t group_of(const struct table_strings *t, size_t c)
{
	size_t g = 0;
	while (g + 1 < t->ngroups && c >= group_first(t, g + 1))
		g++;
	return g;
}

static int span_width(const int *w, size_t first, size_t n)
{
	int span = 0;
	for (size_t c = first; c < first + n; c++)
		span += w[c] + (c > first ? GAP : 0);
	return span;
}

/* Column widths: the widest cell, widened so that the corner and group labels fit. */
static int *text_widths(const struct table_strings *t)
{
	int *w = xcalloc(t->ncols + 1, sizeof(int));
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->headers[c]);
		for (size_t i = 0; i < t->nrows; i++)
			if (text_width(t->rows[i].cells[c]) > w[c])
				w[c] = text_width(t->rows[i].cells[c]);
	}
	if (!t->groups || t->nlabels == 0)
		return w;
	int extra = text_width(t->corner) - span_width(w, 0, t->nlabels);
	if (extra > 0)
		w[t->nlabels - 1] += extra;
	for (size_t g = 0; g < t->ngroups; g++) {
		size_t first = group_first(t, g), span = group_span(t, g);
		extra = text_width(t->groups[g]) - span_width(w, first, span);
		if (extra > 0 && span)
			w[first + span - 1] += extra;
	}
	return w;
}

static void put_rule(FILE *out, int width)
{
	for (int i = 0; i < width; i++)
		putc('-', out);
	putc('\n', out);
}

static void text_line(FILE *out, const struct table_strings *t, const int *w, char **cells)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			put_spaces(out, GAP);
		put_padded(out, cells[c], w[c], c >= t->nlabels);
	}
	putc('\n', out);
}

static void text_groups(FILE *out, const struct table_strings *t, const int *w)
{
	put_padded(out, t->corner, span_width(w, 0, t->nlabels), 0);
	for (size_t g = 0; g < t->ngroups; g++) {
		put_spaces(out, GAP);
		put_centered(out, t->groups[g], span_width(w, group_first(t, g), group_span(t, g)),
		             g + 1 == t->ngroups);
	}
	putc('\n', out);
}

/* escaped[0..n) of strs, escaped for the terminal (caller frees). */
static char **escape_strings(char *const *strs, size_t n)
{
	if (!strs)
		return NULL;
	char **out = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		out[i] = termsafe_dup(strs[i], 0);
	return out;
}

/*
 * A copy of t with every string the text writer shows escaped (termsafe.h):
 * text tables go to terminals, and a label or key from an input file must
 * neither break the alignment nor send an escape sequence. Other members
 * (spans, the LaTeX forms) are t's, shared: free it with escaped_free.
 */
static struct table_strings *escape_table(const struct table_strings *t)
{
	struct table_strings *e = xcalloc(1, sizeof(*e));
	*e = *t;
	e->title = termsafe_dup(t->title, 0);
	e->note = t->note ? termsafe_dup(t->note, 0) : NULL;
	e->headers = escape_strings(t->headers, t->ncols);
	e->corner = t->corner ? termsafe_dup(t->corner, 0) : NULL;
	e->groups = escape_strings(t->groups, t->ngroups);
	e->rows = xcalloc(t->nrows ? t->nrows : 1, sizeof(*e->rows));
	e->alloc_rows = t->nrows;
	for (size_t i = 0; i < t->nrows; i++) {
		e->rows[i].cells = escape_strings(t->rows[i].cells, t->ncols);
		e->rows[i].rule_before = t->rows[i].rule_before;
	}
	return e;
}

/* Frees what escape_table made, and nothing it shares with the original. */
static void escaped_free(struct table_strings *e)
{
	for (size_t i = 0; i < e->nrows; i++)
		free_strings(e->rows[i].cells, e->ncols);
	free(e->rows);
	free_strings(e->headers, e->ncols);
	free_strings(e->groups, e->ngroups);
	free(e->corner);
	free(e->title);
	free(e->note);
	free(e);
}

static void strings_write_text(FILE *out, const struct table_strings *raw)
{
	struct table_strings *t = escape_table(raw);
	int *w = text_widths(t);
	int total = span_width(w, 0, t->ncols);
	fprintf(out, "%s\n", t->title);
	if (t->note)
		fprintf(out, "%s\n", t->note);
	putc('\n', out);
	if (t->groups)
		text_groups(out, t, w);
	text_line(out, t, w, t->headers);
	put_rule(out, total);
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].rule_before)
			put_rule(out, total);
		text_line(out, t, w, t->rows[i].cells);
	}
	free(w);
	escaped_free(t);
}

/* --- Markdown --- */

/*
 * Markdown text in a table cell: every character that could start a link,
 * an HTML tag or entity, code, emphasis, strikethrough or (on GitHub) math,
 * or end the cell, is backslash-escaped (CommonMark lets any ASCII
 * punctuation be); line breaks, which would end the row, become spaces.
 * Other control characters are first written visibly (termsafe.h: \x1b),
 * as Markdown is often read on the terminal it is printed to.
 */
static void md_text(FILE *out, const char *text)
{
	char *safe = termsafe_dup(text, TERMSAFE_KEEP_NEWLINES);
	for (const char *s = safe; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			putc(' ', out);
			continue;
		}
		if (strchr("\\`*_[]<>|~&$", *s))
			putc('\\', out);
		putc(*s, out);
	}
	free(safe);
}

static void md_header(FILE *out, const struct table_strings *t)
{
	fputs("|", out);
	for (size_t c = 0; c < t->ncols; c++) {
		putc(' ', out);
		if (t->groups && c == 0 && *t->corner) {
			md_text(out, t->corner);
		} else if (t->groups && c >= t->nlabels) {
			md_text(out, t->groups[group_of(t, c)]);
			fputs(": ", out);
			md_text(out, t->headers[c]);
		} else {
			md_text(out, t->headers[c]);
		}
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(c < t->nlabels ? " --- |" : " ---: |", out);
	putc('\n', out);
}

static void strings_write_markdown(FILE *out, const struct table_strings *t)
{
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
		for (size_t c = 0; c < t->ncols; c++) {
			putc(' ', out);
			md_text(out, t->rows[i].cells[c]);
			fputs(" |", out);
		}
		putc('\n', out);
	}
}

/* --- LaTeX (booktabs) --- */

/*
 * LaTeX text: the special characters escaped; <, > and | spelled out, as
 * the default OT1 encoding prints other glyphs for them; " as a straight
 * typewriter quote (OT1 has no other); ` spelled out and '' , , and -- kept
 * from becoming quotes and dashes (ligatures); line breaks (a blank line
 * would end the tabular) as spaces. Other control characters are first
 * written visibly (termsafe.h; TeX rejects most, and the output may be read
 * on a terminal). Other UTF-8 is written as it is.
 */
static void tex_text(FILE *out, const char *text)
{
	char *safe = termsafe_dup(text, TERMSAFE_KEEP_NEWLINES);
	for (const char *s = safe; *s; s++) {
		switch (*s) {
		case '"':
			fputs("\\texttt{\\char34}", out);
			break;
		case '`':
			fputs("\\textasciigrave{}", out);
			break;
		case '\'':
			fputs(s[1] == '\'' ? "'{}" : "'", out);
			break;
		case ',':
			fputs(s[1] == ',' ? ",{}" : ",", out);
			break;
		case '\\':
			fputs("\\textbackslash{}", out);
			break;
		case '~':
			fputs("\\textasciitilde{}", out);
			break;
		case '^':
			fputs("\\textasciicircum{}", out);
			break;
		case '<':
			fputs("\\textless{}", out);
			break;
		case '>':
			fputs("\\textgreater{}", out);
			break;
		case '|':
			fputs("\\textbar{}", out);
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
		case '\n':
		case '\r':
			putc(' ', out);
			break;
		case '-':
			fputs(s[1] == '-' ? "-{}" : "-", out);
			break;
		default:
			putc(*s, out);
		}
	}
	free(safe);
}

/* A comment line: only the line breaks of s (and its control characters) need care. */
static void tex_comment(FILE *out, const char *text)
{
	char *safe = termsafe_dup(text, TERMSAFE_KEEP_NEWLINES);
	fputs("% ", out);
	for (const char *s = safe; *s; s++)
		putc(*s == '\n' ? ' ' : *s, out);
	putc('\n', out);
	free(safe);
}

static void tex_groups(FILE *out, const struct table_strings *t)
{
	if (t->nlabels > 1)
		fprintf(out, "\\multicolumn{%zu}{@{}l}{", t->nlabels);
	tex_text(out, t->corner);
	if (t->nlabels > 1)
		putc('}', out);
	for (size_t g = 0; g < t->ngroups; g++) {
		fprintf(out, " & \\multicolumn{%zu}{c}{", group_span(t, g));
		tex_text(out, t->groups[g]);
		putc('}', out);
	}
	fputs(" \\\\\n", out);
	for (size_t g = 0; g < t->ngroups; g++) {
		size_t first = group_first(t, g) + 1, span = group_span(t, g);
		fprintf(out, "%s\\cmidrule(lr){%zu-%zu}", g ? " " : "", first, first + span - 1);
	}
	putc('\n', out);
}

/*
 * A row; raw, when given, holds LaTeX to write as it is (NULL entries:
 * escape the cell); rotate sets value cells upright (the header of a table
 * with many columns).
 */
static void tex_line(FILE *out, const struct table_strings *t, char **cells, char **raw, int rotate)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputs(" & ", out);
		int up = rotate && c >= t->nlabels;
		if (up)
			fputs("\\rotatebox{90}{", out);
		if (raw && raw[c])
			fputs(raw[c], out);
		else
			tex_text(out, cells[c]);
		if (up)
			putc('}', out);
	}
	fputs(" \\\\\n", out);
}

/* \begin{table} and the caption of a float, or nothing. */
static void tex_float_start(FILE *out, const struct table_strings *t)
{
	if (!t->latex_float)
		return;
	fputs("\\begin{table}\n\\centering\n\\caption{", out);
	if (t->tex_title)
		fputs(t->tex_title, out);
	else
		tex_text(out, t->title);
	fputs("}\n", out);
	if (t->name) {
		/* Label characters: letters, digits and - : . stay; anything else becomes -. */
		fputs("\\label{tab:", out);
		for (const char *p = t->name; *p; p++)
			putc(isalnum((unsigned char)*p) || strchr("-:.", *p) ? *p : '-', out);
		fputs("}\n", out);
	}
}

static void strings_write_latex(FILE *out, const struct table_strings *t)
{
	tex_comment(out, t->title);
	if (t->note)
		tex_comment(out, t->note);
	tex_float_start(out, t);
	fputs("\\begin{tabular}{@{}", out);
	for (size_t c = 0; c < t->ncols; c++)
		putc(c < t->nlabels ? 'l' : 'r', out);
	fputs("@{}}\n\\toprule\n", out);
	if (t->groups)
		tex_groups(out, t);
	tex_line(out, t, t->headers, t->tex_headers, t->tex_rotate);
	fputs("\\midrule\n", out);
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].rule_before)
			fputs("\\midrule\n", out);
		tex_line(out, t, t->rows[i].cells, NULL, 0);
	}
	fputs("\\bottomrule\n\\end{tabular}\n", out);
	if (t->latex_float)
		fputs("\\end{table}\n", out);
}

static void strings_write_csv(FILE *out, const struct table_strings *t)
{
	csv_write_row(out, (const char *const *)t->headers, t->ncols);
	for (size_t i = 0; i < t->nrows; i++)
		csv_write_row(out, (const char *const *)t->rows[i].cells, t->ncols);
}

void table_strings_write(FILE *out, const struct table_strings *t, enum export_format f)
{
	switch (f) {
	case EXPORT_TEXT:
		strings_write_text(out, t);
		break;
	case EXPORT_CSV:
		strings_write_csv(out, t);
		break;
	case EXPORT_MARKDOWN:
		strings_write_markdown(out, t);
		break;
	case EXPORT_LATEX:
		strings_write_latex(out, t);
		break;
	case EXPORT_JSON:
		break;
	}
}

/* --- CSV and JSON: one record per row and group --- */

/* The CSV kind column: what a record is, for scripts that drop totals. */
static const char *csv_kind(enum table_row_kind kind)
{
	switch (kind) {
	case TABLE_ROW_OTHERS:
		return "other";
	case TABLE_ROW_UNCODED:
		return "uncoded";
	case TABLE_ROW_TOTAL:
	case TABLE_ROW_SUBTOTAL:
		return "total";
	default:
		return "data";
	}
}

/*
 * The kind of the record of row in group g: a row of a total group totals
 * the others too.
 */
static enum table_row_kind record_kind(const struct table *t, const struct table_row *row, size_t g)
{
	if (row->kind == TABLE_ROW_CATEGORY && t->total_group && g + 1 == t->ngroups)
		return TABLE_ROW_SUBTOTAL;
	return row->kind;
}

static void csv_record(FILE *out, const struct table *t, const struct table_row *row, size_t g)
{
	char buf[32];
	for (size_t k = 0; k < t->nkeys; k++) {
		csv_write_field(out, row->key[k]);
		putc(',', out);
	}
	if (t->groups) {
		csv_write_field(out, t->groups[g]);
		putc(',', out);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		snprintf(buf, sizeof(buf), "%ld", cell_value(t, row, g, c));
		csv_write_field(out, buf);
		putc(',', out);
	}
	csv_write_field(out, csv_kind(record_kind(t, row, g)));
	csv_end_row(out);
}

static void table_write_csv(FILE *out, const struct table *t)
{
	for (size_t k = 0; k < t->nkeys; k++) {
		csv_write_field(out, t->key_names[k]);
		putc(',', out);
	}
	if (t->groups) {
		csv_write_field(out, t->group_name);
		putc(',', out);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		csv_write_field(out, t->cols[c]);
		putc(',', out);
	}
	csv_write_field(out, "kind");
	csv_end_row(out);
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t g = 0; g < t->ngroups; g++)
			csv_record(out, t, &t->rows[i], g);
}

static const char *kind_name(enum table_row_kind kind)
{
	switch (kind) {
	case TABLE_ROW_OTHERS:
		return "others";
	case TABLE_ROW_UNCODED:
		return "uncoded";
	case TABLE_ROW_TOTAL:
	case TABLE_ROW_SUBTOTAL:
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

void table_write(FILE *out, const struct table *t, enum export_format f)
{
	if (f == EXPORT_CSV) {
		table_write_csv(out,
		                t); /* long records with a kind column, not the rendered rows */
	} else if (f == EXPORT_JSON) {
		json_t *j = table_to_json(t);
		json_dumpf(j, out, TABLE_JSON_FLAGS);
		putc('\n', out);
		json_decref(j);
	} else {
		struct table_strings *r = table_render(t);
		table_strings_write(out, r, f);
		table_strings_free(r);
	}
}
