/*
 * list.c - the issue list: every issue of the sample (when reconciling,
 * every issue the raters disagree on), one per row, like tig's main view:
 * the status for this rater (none, partial, done, excluded), the rater's
 * own code in each dimension (keys), the issue and its title; the selected
 * row highlighted and the issue in the reader marked with '>'.
 *
 * F filters the list (by status, repository, or a dimension's category; x
 * and t shortcuts for excluded and to-do issues), o orders it (sample
 * order, issue, status, title, or a dimension's code; choosing the same
 * order again reverses it). The rows shown are ui->shown, which the
 * reader's h/l and ]/[ walk too. '/' searches titles, bodies and this
 * rater's notes (one query per search, see label_search).
 *
 * Rows are drawn straight from the list read at start-up, so moving through
 * ten thousand issues costs nothing but drawing a screen.
 */
#include "display.h"
#include "ids.h"
#include "session.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STATUS_X    2
#define STATUS_W    8 /* "excluded" */
#define COLUMNS_X   (STATUS_X + STATUS_W + 2)
#define CODE_MAX_W  16
#define CODE_MIN_W  3
#define TITLE_MIN_W 16

/* The status filter's values beyond enum label_status. */
enum {
	STATUS_ANY = -1,
	STATUS_TO_DO = LABEL_EXCLUDED + 1, /* none or partial */
};

/* The filters of the F picker's first step. */
enum { FILTER_STATUS, FILTER_REPOSITORY, FILTER_DIMENSION /* + d */ };

/* Orders; ORDER_DIMENSION + d orders by the code in dimension d. */
enum { ORDER_SAMPLE, ORDER_ISSUE, ORDER_STATUS, ORDER_TITLE, ORDER_DIMENSION };

struct list_state {
	struct strbuf line; /* scratch for line() */
	int ref_width;      /* the widest reference, 0 until measured */
	int short_refs;     /* references without the owner: no two repositories share a name */
	int code_width[TAX_MAX_DIMENSIONS]; /* the widest code per dimension */
	/* filters */
	int status;                      /* STATUS_ANY, a label_status or STATUS_TO_DO */
	const struct tax_reason *reason; /* with LABEL_EXCLUDED: only this reason, or NULL */
	char *repo;                      /* "owner/name", or NULL */
	int dim;                         /* -1, or the dimension filtered on */
	const struct tax_category *cat;  /* with dim: the category, NULL for "not coded" */
	/* order */
	int order, descending;
	/* search: the issues matching pattern, read at data version version */
	char *pattern;
	int64_t version;
	int64_t *hits;
	size_t nhits;
};

static struct list_state *state_of(struct view *v)
{
	if (!v->data) {
		struct list_state *st = xcalloc(1, sizeof(*st));
		strbuf_init(&st->line, 0);
		st->status = STATUS_ANY;
		st->dim = -1;
		v->data = st;
	}
	return v->data;
}

void list_free(struct view *v)
{
	struct list_state *st = v->data;
	if (!st)
		return;
	strbuf_release(&st->line);
	free(st->repo);
	free(st->pattern);
	free(st->hits);
	free(st);
	v->data = NULL;
}

/* --- what is shown: filter and order --- */

static int passes(const struct tui *ui, const struct list_state *st, size_t i)
{
	const struct label_entry *e = &ui->list.items[i];
	enum label_status status = label_entry_status(e);
	if (st->status == STATUS_TO_DO && !label_entry_to_do(e))
		return 0;
	if (st->status >= 0 && st->status != STATUS_TO_DO && (int)status != st->status)
		return 0;
	if (st->status == LABEL_EXCLUDED && st->reason && e->excluded != st->reason)
		return 0;
	if (st->repo && strcmp(label_entry_repo(&ui->list, i), st->repo))
		return 0;
	if (st->dim >= 0 && label_entry_cat(&ui->list, i, (size_t)st->dim) != st->cat)
		return 0;
	return 1;
}

/* The category's place in its dimension (sub-categories after their parent); uncoded last. */
static size_t code_rank(const struct tui *ui, size_t i, size_t d)
{
	const struct tax_dimension *dim = &ui->tax->dims[d];
	const struct tax_category *c = label_entry_cat(&ui->list, i, d);
	const struct tax_category *sub = label_entry_sub(&ui->list, i, d);
	if (!c)
		return (size_t)-1;
	size_t rank = (size_t)(c - dim->cats) * 64;
	return sub ? rank + 1 + (size_t)(sub - c->subs) : rank;
}

static const struct tui *sort_ui; /* qsort has no context argument */

static int compare_rows(const void *x, const void *y)
{
	const struct tui *ui = sort_ui;
	const struct list_state *st = ui->list_view.data;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	const struct label_entry *ea = &ui->list.items[a], *eb = &ui->list.items[b];
	int c = 0;
	if (st->order == ORDER_ISSUE) {
		c = strcasecmp(label_entry_repo(&ui->list, a), label_entry_repo(&ui->list, b));
		if (!c)
			c = (ea->number > eb->number) - (ea->number < eb->number);
	} else if (st->order == ORDER_STATUS) {
		c = (int)label_entry_status(ea) - (int)label_entry_status(eb);
	} else if (st->order == ORDER_TITLE) {
		c = strcasecmp(label_entry_title(&ui->list, a), label_entry_title(&ui->list, b));
	} else if (st->order >= ORDER_DIMENSION) {
		size_t ra = code_rank(ui, a, (size_t)(st->order - ORDER_DIMENSION));
		size_t rb = code_rank(ui, b, (size_t)(st->order - ORDER_DIMENSION));
		c = (ra > rb) - (ra < rb);
	}
	if (st->descending)
		c = -c;
	/* Ties keep the sample's order, so the order is the same every time. */
	return c ? c : (a > b) - (a < b);
}

static void measure_codes(struct tui *ui, struct list_state *st);

void list_rebuild(struct tui *ui)
{
	struct list_state *st = state_of(&ui->list_view);
	struct view *v = &ui->list_view;
	size_t selected = v->cursor < ui->nshown ? ui->shown[v->cursor] : ui->current;
	free(ui->shown);
	ui->shown = xmalloc((ui->list.n + 1) * sizeof(*ui->shown));
	ui->nshown = 0;
	for (size_t i = 0; i < ui->list.n; i++)
		if (passes(ui, st, i))
			ui->shown[ui->nshown++] = i;
	if (st->order != ORDER_SAMPLE || st->descending) {
		sort_ui = ui;
		qsort(ui->shown, ui->nshown, sizeof(*ui->shown), compare_rows);
	}
	size_t row = list_row_of(ui, selected);
	v->cursor = row < ui->nshown ? row : (v->cursor < ui->nshown ? v->cursor : 0);
	measure_codes(ui, st);
}

size_t list_row_of(const struct tui *ui, size_t index)
{
	for (size_t r = 0; r < ui->nshown; r++)
		if (ui->shown[r] == index)
			return r;
	return ui->nshown;
}

void list_select(struct tui *ui, size_t index)
{
	size_t row = list_row_of(ui, index);
	if (row < ui->nshown)
		ui->list_view.cursor = row;
}

/* --- drawing --- */

static const char *repo_shown(const struct list_state *st, const char *repo)
{
	const char *slash = strchr(repo, '/');
	return st->short_refs && slash ? slash + 1 : repo;
}

static size_t list_repos(const struct tui *ui, const char **names, size_t max);

#define MAX_REPOS 40

/* Whether two repositories of the list have the same name under different owners. */
static int names_clash(const struct tui *ui)
{
	const char *repos[MAX_REPOS + 1];
	size_t n = list_repos(ui, repos, MAX_REPOS + 1);
	if (n > MAX_REPOS)
		return 1; /* many repositories: keep their owners, to be sure */
	for (size_t i = 0; i < n; i++) {
		const char *a = strchr(repos[i], '/');
		for (size_t j = 0; j < i && a; j++) {
			const char *b = strchr(repos[j], '/');
			if (b && !strcasecmp(a, b))
				return 1;
		}
	}
	return 0;
}

static int ref_width(struct tui *ui, struct list_state *st)
{
	if (st->ref_width)
		return st->ref_width;
	st->short_refs = !names_clash(ui);
	int w = 5; /* "issue" */
	for (size_t i = 0; i < ui->list.n; i++) {
		const char *repo = repo_shown(st, label_entry_repo(&ui->list, i));
		char num[32];
		int n = snprintf(num, sizeof(num), "#%lld", (long long)ui->list.items[i].number);
		int rw = text_width(repo, strlen(repo)) + n;
		w = rw > w ? rw : w;
	}
	st->ref_width = w;
	return w;
}

/* s in at most w cells at (y, x), with an ellipsis when cut. */
static void draw_cut(int y, int x, int w, const char *s)
{
	if (w <= 0)
		return;
	int sw = text_width(s, strlen(s));
	if (sw <= w || w < 2) {
		screen_str(y, x, w, s);
		return;
	}
	int used = screen_str(y, x, w - 1, s);
	screen_str(y, x + used, 1, text_locale_is_utf8() ? "\u2026" : ".");
}

/* "incompatibility/external": the code of entry i in dimension d, as keys; "" when none. */
static void code_text(const struct tui *ui, size_t i, size_t d, char *buf, size_t size)
{
	const struct tax_category *c = label_entry_cat(&ui->list, i, d);
	const struct tax_category *sub = label_entry_sub(&ui->list, i, d);
	if (!c)
		snprintf(buf, size, "%s", "");
	else if (sub)
		snprintf(buf, size, "%s/%s", c->key, sub->key);
	else
		snprintf(buf, size, "%s", c->key);
}

static void measure_codes(struct tui *ui, struct list_state *st)
{
	for (size_t d = 0; d < ui->tax->ndims; d++) {
		int w = text_width(ui->tax->dims[d].key, strlen(ui->tax->dims[d].key));
		for (size_t i = 0; i < ui->list.n; i++) {
			char code[300];
			code_text(ui, i, d, code, sizeof(code));
			int cw = (int)strlen(code);
			w = cw > w ? cw : w;
		}
		st->code_width[d] = w > CODE_MAX_W ? CODE_MAX_W : w;
	}
}

/* Where the columns go at width w: the codes' widths (0: not shown), the issue's, the title's x. */
struct layout {
	int code_w[TAX_MAX_DIMENSIONS];
	int ref_x, ref_w, title_x;
};

/*
 * Narrow terminals: the code columns share what the issue and a title of
 * TITLE_MIN_W leave, each taking at most an equal share and the columns
 * that need less giving the rest to the others; below CODE_MIN_W they go.
 */
static void share_widths(const int *want, size_t n, int avail, int *out)
{
	int left = avail;
	size_t open = n;
	for (size_t d = 0; d < n; d++)
		out[d] = -1;
	for (int changed = 1; changed && open;) {
		changed = 0;
		int share = left / (int)open;
		for (size_t d = 0; d < n; d++) {
			if (out[d] >= 0 || want[d] > share)
				continue;
			out[d] = want[d];
			left -= want[d];
			open--;
			changed = 1;
		}
	}
	for (size_t d = 0; d < n; d++)
		if (out[d] < 0)
			out[d] = open ? left / (int)open : 0;
	for (size_t d = 0; d < n; d++)
		if (out[d] < CODE_MIN_W)
			out[d] = 0;
}

static void lay_out(struct tui *ui, struct list_state *st, int w, struct layout *l)
{
	size_t nd = ui->tax->ndims;
	l->ref_w = ref_width(ui, st);
	if (l->ref_w > w / 3)
		l->ref_w = w / 3;
	int avail = w - COLUMNS_X - l->ref_w - 2 - TITLE_MIN_W - 2 * (int)nd;
	share_widths(st->code_width, nd, avail, l->code_w);
	int x = COLUMNS_X;
	for (size_t d = 0; d < nd; d++)
		x += l->code_w[d] ? l->code_w[d] + 2 : 0;
	l->ref_x = x;
	l->title_x = x + l->ref_w + 2;
}

static const char *const status_words[] = {"none", "partial", "done", "excluded"};
static const enum screen_style status_styles[] = {STYLE_DIM, STYLE_PARTIAL, STYLE_SAVED,
                                                  STYLE_META};

static void draw_codes(struct tui *ui, size_t i, int y, const struct layout *l, int selected)
{
	const struct label_entry *e = &ui->list.items[i];
	int x = COLUMNS_X, span = 0;
	for (size_t d = 0; d < ui->tax->ndims; d++)
		span += l->code_w[d] ? l->code_w[d] + 2 : 0;
	if (e->excluded) { /* the reason across the code columns: its codes do not count */
		screen_style(selected ? STYLE_CURSOR : STYLE_META);
		draw_cut(y, x, span - 2, e->excluded->key);
		return;
	}
	for (size_t d = 0; d < ui->tax->ndims; d++) {
		if (!l->code_w[d])
			continue;
		char code[300];
		code_text(ui, i, d, code, sizeof(code));
		screen_style(selected ? STYLE_CURSOR : *code ? STYLE_NORMAL : STYLE_DIM);
		draw_cut(y, x, l->code_w[d], *code ? code : "-");
		x += l->code_w[d] + 2;
	}
}

static void draw_entry(struct tui *ui, size_t row, int y, int w, const struct layout *l)
{
	size_t i = ui->shown[row];
	const struct label_entry *e = &ui->list.items[i];
	enum label_status status = label_entry_status(e);
	int selected = row == ui->list_view.cursor;
	screen_style(selected ? STYLE_CURSOR : STYLE_NORMAL);
	screen_fill(y, 0, w);
	if (i == ui->current && ui->issue)
		screen_str(y, 0, 1, ">");
	screen_style(selected ? STYLE_CURSOR : status_styles[status]);
	screen_str(y, STATUS_X, STATUS_W, status_words[status]);
	draw_codes(ui, i, y, l, selected);
	screen_style(selected ? STYLE_CURSOR : STYLE_META);
	char ref[320];
	snprintf(ref, sizeof(ref), "%s#%lld",
	         repo_shown(ui->list_view.data, label_entry_repo(&ui->list, i)),
	         (long long)e->number);
	draw_cut(y, l->ref_x, l->ref_w, ref);
	screen_style(selected ? STYLE_CURSOR : STYLE_NORMAL);
	screen_str(y, l->title_x, w - l->title_x, label_entry_title(&ui->list, i));
}

/* "3/6 shown, by status (reversed)": when a filter or an order is in use; "" otherwise. */
static void describe_view(struct tui *ui, const struct list_state *st, char *buf, size_t size)
{
	static const char *const orders[] = {"sample order", "issue", "status", "title"};
	int filtered = st->status != STATUS_ANY || st->repo || st->dim >= 0;
	buf[0] = '\0';
	if (!filtered && st->order == ORDER_SAMPLE && !st->descending)
		return;
	char order[160];
	if (st->order >= ORDER_DIMENSION)
		snprintf(order, sizeof(order), "%s code",
		         ui->tax->dims[st->order - ORDER_DIMENSION].key);
	else
		snprintf(order, sizeof(order), "%s", orders[st->order]);
	if (st->order == ORDER_SAMPLE && !st->descending)
		snprintf(buf, size, "%zu/%zu shown", ui->nshown, ui->list.n);
	else
		snprintf(buf, size, "%zu/%zu shown, by %s%s", ui->nshown, ui->list.n, order,
		         st->descending ? " (reversed)" : "");
}

static void draw_header(struct tui *ui, struct list_state *st, struct view *v,
                        const struct layout *l)
{
	screen_style(STYLE_HEADING);
	screen_fill(v->y, v->x, v->w);
	screen_str(v->y, STATUS_X, STATUS_W, "status");
	int x = COLUMNS_X;
	for (size_t d = 0; d < ui->tax->ndims; d++) {
		if (!l->code_w[d])
			continue;
		draw_cut(v->y, x, l->code_w[d], ui->tax->dims[d].key);
		x += l->code_w[d] + 2;
	}
	screen_str(v->y, l->ref_x, l->ref_w, "issue");
	char what[200];
	describe_view(ui, st, what, sizeof(what));
	int ww = text_width(what, strlen(what));
	if (!ww) {
		screen_str(v->y, l->title_x, v->w - l->title_x, "title");
	} else if (l->title_x + 7 + ww < v->w) {
		screen_str(v->y, l->title_x, 5, "title");
		screen_style(STYLE_DIM);
		screen_str(v->y, v->w - ww - 1, ww, what);
	} else { /* no room for both: what is shown matters more than the word "title" */
		screen_style(STYLE_DIM);
		draw_cut(v->y, l->title_x, v->w - l->title_x, what);
	}
}

static int rows_of(const struct view *v, int picker_h)
{
	int h = v->h - picker_h;
	return h > 1 ? h - 1 : 1; /* the first row is the header */
}

static int picker_rows(struct tui *ui, const struct view *v)
{
	if (!ui->pick.picker.open)
		return 0;
	return picker_height(&ui->pick.picker, v->w, v->h > 4 ? v->h - 3 : 1);
}

static void list_draw(struct tui *ui, struct view *v)
{
	struct list_state *st = state_of(v);
	struct layout l;
	lay_out(ui, st, v->w, &l);
	draw_header(ui, st, v, &l);
	int ph = picker_rows(ui, v), rows = rows_of(v, ph);
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)rows)
		v->top = v->cursor - (size_t)rows + 1;
	for (int r = 0; r < rows && v->top + (size_t)r < ui->nshown; r++)
		draw_entry(ui, v->top + (size_t)r, v->y + 1 + r, v->w, &l);
	if (!ui->nshown) {
		screen_style(STYLE_DIM);
		screen_str(v->y + 1, 2, v->w - 2,
		           "(no issue passes the filter: F 0 shows them all)");
	}
	if (ph)
		picker_draw(&ui->pick.picker, v->y + v->h - ph, v->x, ph, v->w);
}

/* --- the filter and order pickers --- */

static void open_filter_picker(struct tui *ui, struct list_state *st)
{
	struct picker *p = &ui->pick.picker;
	picker_reset(p, "Filter the list");
	ui->pick.kind = PICK_FILTER;
	picker_add(p, 's', "by status", NULL, 1, st->status != STATUS_ANY, FILTER_STATUS);
	picker_add(p, 'r', "by repository", NULL, 1, st->repo != NULL, FILTER_REPOSITORY);
	for (size_t d = 0; d < ui->tax->ndims; d++) {
		char label[200];
		snprintf(label, sizeof(label), "by %s code", ui->tax->dims[d].name);
		picker_add(p, '1' + (int)d, label, ui->tax->dims[d].description, 1,
		           st->dim == (int)d, FILTER_DIMENSION + (int)d);
	}
	picker_add(p, 't', "to do only (not started or partly coded)", NULL, 0,
	           st->status == STATUS_TO_DO, -2);
	picker_add(p, 'x', "excluded only", NULL, 0, st->status == LABEL_EXCLUDED && !st->reason,
	           -3);
	picker_add(p, '0', "no filter: every issue", NULL, 0, 0, -1);
}

static void clear_filters(struct list_state *st)
{
	st->status = STATUS_ANY;
	st->reason = NULL;
	free(st->repo);
	st->repo = NULL;
	st->dim = -1;
	st->cat = NULL;
}

/* The distinct repositories of the list, in first-seen order, into names (borrowed). */
static size_t list_repos(const struct tui *ui, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < ui->list.n && n < max; i++) {
		const char *r = label_entry_repo(&ui->list, i);
		size_t j = 0;
		while (j < n && strcmp(names[j], r))
			j++;
		if (j == n)
			names[n++] = r;
	}
	return n;
}

#define STATUS_VALUES 5 /* to do, none, partial, done, excluded; then one per reason */

static void open_value_picker(struct tui *ui, struct list_state *st, int filter)
{
	static const char *const statuses[STATUS_VALUES] = {"to do (not started or partly coded)",
	                                                    "not started", "partly coded", "coded",
	                                                    "excluded"};
	static const int status_values[STATUS_VALUES] = {STATUS_TO_DO, LABEL_NONE, LABEL_PARTIAL,
	                                                 LABEL_DONE, LABEL_EXCLUDED};
	struct picker *p = &ui->pick.picker;
	ui->pick.kind = PICK_FILTER_VALUE;
	ui->pick.filter = filter;
	if (filter == FILTER_STATUS) {
		picker_reset(p, "Filter the list by status");
		for (int i = 0; i < STATUS_VALUES; i++)
			picker_add(p, picker_letter((size_t)i), statuses[i], NULL, 0,
			           st->status == status_values[i] && !st->reason, i);
		for (size_t i = 0; i < ui->tax->nreasons; i++) {
			char label[300];
			snprintf(label, sizeof(label), "excluded: %s", ui->tax->reasons[i].name);
			picker_add(p, picker_letter(STATUS_VALUES + i), label,
			           ui->tax->reasons[i].definition, 0,
			           st->reason == &ui->tax->reasons[i], STATUS_VALUES + (int)i);
		}
	} else if (filter == FILTER_REPOSITORY) {
		const char *names[MAX_REPOS];
		size_t n = list_repos(ui, names, MAX_REPOS);
		picker_reset(p, "Filter the list by repository");
		for (size_t i = 0; i < n; i++)
			picker_add(p, picker_letter(i), names[i], NULL, 0,
			           st->repo && !strcmp(st->repo, names[i]), (int)i);
	} else {
		const struct tax_dimension *d = &ui->tax->dims[filter - FILTER_DIMENSION];
		char title[200];
		snprintf(title, sizeof(title), "Filter the list by %s code", d->name);
		picker_reset(p, title);
		int here = st->dim == filter - FILTER_DIMENSION;
		for (size_t i = 0; i < d->ncats; i++)
			picker_add(p, picker_letter(i), d->cats[i].name, d->cats[i].definition, 0,
			           here && st->cat == &d->cats[i], (int)i);
		picker_add(p, picker_letter(d->ncats), "(not coded)", NULL, 0, here && !st->cat,
		           (int)d->ncats);
	}
	picker_add(p, '0', "any (no filter on it)", NULL, 0, 0, -1);
}

static void set_filter(struct tui *ui, struct list_state *st, int filter, int value)
{
	if (filter == FILTER_STATUS) {
		st->reason = NULL;
		st->status = value < 0               ? STATUS_ANY
		             : value == 0            ? STATUS_TO_DO
		             : value < STATUS_VALUES ? value - 1
		                                     : LABEL_EXCLUDED;
		if (value >= STATUS_VALUES)
			st->reason = &ui->tax->reasons[value - STATUS_VALUES];
	} else if (filter == FILTER_REPOSITORY) {
		const char *names[MAX_REPOS];
		size_t n = list_repos(ui, names, MAX_REPOS);
		free(st->repo);
		st->repo = value >= 0 && (size_t)value < n ? xstrdup(names[value]) : NULL;
	} else {
		const struct tax_dimension *d = &ui->tax->dims[filter - FILTER_DIMENSION];
		st->dim = value < 0 ? -1 : filter - FILTER_DIMENSION;
		st->cat = value >= 0 && (size_t)value < d->ncats ? &d->cats[value] : NULL;
	}
}

static void open_order_picker(struct tui *ui, struct list_state *st)
{
	static const char *const names[] = {"sample order", "issue (repository, number)", "status",
	                                    "title"};
	struct picker *p = &ui->pick.picker;
	picker_reset(p, "Order the list (the same again: reversed)");
	ui->pick.kind = PICK_SORT;
	for (int i = 0; i < ORDER_DIMENSION; i++)
		picker_add(p, picker_letter((size_t)i), names[i], NULL, 0, st->order == i, i);
	for (size_t d = 0; d < ui->tax->ndims; d++) {
		char label[200];
		snprintf(label, sizeof(label), "%s code (taxonomy order)", ui->tax->dims[d].name);
		picker_add(p, picker_letter(ORDER_DIMENSION + d), label, NULL, 0,
		           st->order == ORDER_DIMENSION + (int)d, ORDER_DIMENSION + (int)d);
	}
}

static void shown_message(struct tui *ui)
{
	char what[200];
	describe_view(ui, ui->list_view.data, what, sizeof(what));
	display_status(ui, STYLE_NORMAL, "%s", *what ? what : "every issue, in sample order");
}

static void chose(struct tui *ui, struct list_state *st, int value)
{
	enum pick_kind kind = ui->pick.kind;
	int filter = ui->pick.filter;
	picker_close(&ui->pick.picker);
	if (kind == PICK_FILTER && value >= 0) {
		open_value_picker(ui, st, value);
		return;
	}
	if (kind == PICK_FILTER && value == -1)
		clear_filters(st);
	else if (kind == PICK_FILTER) /* the shortcuts: to do (-2), excluded (-3) */
		set_filter(ui, st, FILTER_STATUS, value == -2 ? 0 : 4);
	else if (kind == PICK_FILTER_VALUE)
		set_filter(ui, st, filter, value);
	else if (kind == PICK_SORT) {
		st->descending = st->order == value ? !st->descending : 0;
		st->order = value;
	}
	list_rebuild(ui);
	shown_message(ui);
}

static int picker_key_of_list(struct tui *ui, struct list_state *st, int key)
{
	struct picker *p = &ui->pick.picker;
	size_t chosen;
	enum picker_result r = display_picker_key(ui, key, &chosen);
	if (r == PICKER_CHOSEN)
		chose(ui, st, p->entries[chosen].value);
	else if (r == PICKER_CANCELLED)
		picker_close(p);
	return 1;
}

/* --- keys --- */

static int list_key(struct tui *ui, struct view *v, int key)
{
	struct list_state *st = state_of(v);
	if (ui->pick.picker.open && key != '?' && key != SCREEN_KEY(KEY_RESIZE))
		return picker_key_of_list(ui, st, key);
	enum nav nav = display_nav(key);
	if (nav != NAV_NONE) {
		v->cursor = display_move(nav, v->cursor, &v->top, ui->nshown,
		                         rows_of(v, picker_rows(ui, v)));
		return 1;
	}
	if ((key == SCREEN_ENTER || key == 'l' || key == SCREEN_KEY(KEY_RIGHT)) && ui->nshown) {
		display_open_issue(ui, ui->shown[v->cursor]);
		return 1;
	}
	if (key == ']' || key == '[') {
		size_t from = ui->nshown ? ui->shown[v->cursor] : 0;
		size_t next = session_unfinished(ui, from, key == ']' ? 1 : -1);
		if (next < ui->list.n && list_row_of(ui, next) < ui->nshown)
			list_select(ui, next);
		else
			display_status(ui, STYLE_NORMAL, "no other issue left to do");
		return 1;
	}
	if (key == 'F') {
		open_filter_picker(ui, st);
		return 1;
	}
	if (key == 'o') {
		open_order_picker(ui, st);
		return 1;
	}
	return 0;
}

/* --- search --- */

static size_t list_nlines(struct tui *ui, struct view *v)
{
	return ui->nshown;
}

static const char *list_line(struct tui *ui, struct view *v, size_t row, size_t *len)
{
	struct list_state *st = state_of(v);
	if (row >= ui->nshown)
		return NULL;
	size_t i = ui->shown[row];
	strbuf_reset(&st->line);
	strbuf_addf(&st->line, "%s#%lld %s", label_entry_repo(&ui->list, i),
	            (long long)ui->list.items[i].number, label_entry_title(&ui->list, i));
	*len = st->line.len;
	return st->line.buf;
}

/* Whether row's issue holds pattern in its title, body or this rater's note (one query a pattern).
 */
static int list_matches(struct tui *ui, struct view *v, size_t row, const char *pattern)
{
	struct list_state *st = state_of(v);
	if (row >= ui->nshown)
		return 0;
	if (!st->pattern || strcmp(st->pattern, pattern) || st->version != ui->data_version) {
		const struct tui_options *o = ui->opt;
		struct error err;
		free(st->pattern);
		free(st->hits);
		st->pattern = xstrdup(pattern);
		st->version = ui->data_version;
		if (label_search(o->store, o->set_id, o->rater_id, pattern, &st->hits, &st->nhits,
		                 &err))
			display_status(ui, STYLE_ERROR, "cannot search: %s", err.msg);
	}
	int64_t id = ui->list.items[ui->shown[row]].issue_id;
	return ids_has(st->hits, st->nhits, id);
}

static void list_show_line(struct tui *ui, struct view *v, size_t row)
{
	v->cursor = row;
}

static size_t list_position(struct tui *ui, struct view *v)
{
	return v->cursor;
}

const struct view_ops list_ops = {
        .name = "list",
        .draw = list_draw,
        .key = list_key,
        .nlines = list_nlines,
        .line = list_line,
        .show_line = list_show_line,
        .position = list_position,
        .matches = list_matches,
        .hints = "Enter open  F filter  o order  / search  u undo  ]/[ to do  ? help  q quit",
};
