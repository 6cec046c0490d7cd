/*
 * list.c - the issue list: every issue of the sample (when reconciling, every
 * issue the raters disagree on) with its status for this rater (done,
 * partial, none), one per row, the selected one highlighted and the one in
 * the reader marked with '>'.
 *
 * Rows are drawn straight from the list read at start-up (one query), so
 * moving through ten thousand issues costs nothing but drawing a screen.
 */
#include "display.h"
#include "session.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_state {
	struct strbuf line; /* scratch for line() */
	int ref_width;      /* the widest "owner/name#N", 0 until measured */
};

static struct list_state *state_of(struct view *v)
{
	if (!v->data) {
		struct list_state *st = xcalloc(1, sizeof(*st));
		strbuf_init(&st->line, 0);
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
	free(st);
	v->data = NULL;
}

static int ref_width(struct tui *ui, struct list_state *st)
{
	if (st->ref_width)
		return st->ref_width;
	int w = 5; /* "issue" */
	for (size_t i = 0; i < ui->list.n; i++) {
		const char *repo = label_entry_repo(&ui->list, i);
		char num[32];
		int n = snprintf(num, sizeof(num), "#%lld", (long long)ui->list.items[i].number);
		int rw = text_width(repo, strlen(repo)) + n;
		w = rw > w ? rw : w;
	}
	st->ref_width = w;
	return w;
}

static const char *const status_words[] = {"none", "partial", "done"};
static const enum screen_style status_styles[] = {STYLE_DIM, STYLE_PARTIAL, STYLE_SAVED};

static void draw_entry(struct tui *ui, size_t i, int y, int w, int ref_w)
{
	const struct label_entry *e = &ui->list.items[i];
	enum label_status status = label_entry_status(e);
	int selected = i == ui->list_view.cursor;
	screen_style(selected ? STYLE_CURSOR : STYLE_NORMAL);
	screen_fill(y, 0, w);
	if (i == ui->current && ui->issue)
		screen_str(y, 0, 1, ">");
	screen_style(selected ? STYLE_CURSOR : status_styles[status]);
	screen_str(y, 2, 7, status_words[status]);
	screen_style(selected ? STYLE_CURSOR : STYLE_META);
	char ref[320];
	snprintf(ref, sizeof(ref), "%s#%lld", label_entry_repo(&ui->list, i), (long long)e->number);
	screen_str(y, 11, ref_w, ref);
	screen_style(selected ? STYLE_CURSOR : STYLE_NORMAL);
	screen_str(y, 13 + ref_w, w - 13 - ref_w, label_entry_title(&ui->list, i));
}

static int rows_of(const struct view *v)
{
	return v->h > 1 ? v->h - 1 : 1; /* the first row is the header */
}

static void list_draw(struct tui *ui, struct view *v)
{
	struct list_state *st = state_of(v);
	int ref_w = ref_width(ui, st);
	if (ref_w > v->w / 2)
		ref_w = v->w / 2;
	screen_style(STYLE_HEADING);
	screen_fill(v->y, v->x, v->w);
	screen_str(v->y, 2, 7, "status");
	screen_str(v->y, 11, ref_w, "issue");
	screen_str(v->y, 13 + ref_w, v->w - 13 - ref_w, "title");
	int rows = rows_of(v);
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + (size_t)rows)
		v->top = v->cursor - (size_t)rows + 1;
	for (int r = 0; r < rows && v->top + (size_t)r < ui->list.n; r++)
		draw_entry(ui, v->top + (size_t)r, v->y + 1 + r, v->w, ref_w);
}

static int list_key(struct tui *ui, struct view *v, int key)
{
	enum nav nav = display_nav(key);
	if (nav != NAV_NONE) {
		v->cursor = display_move(nav, v->cursor, &v->top, ui->list.n, rows_of(v));
		return 1;
	}
	if (key == SCREEN_ENTER || key == 'l' || key == SCREEN_KEY(KEY_RIGHT)) {
		display_open_issue(ui, v->cursor);
		return 1;
	}
	if (key == ']' || key == '[') {
		size_t next = session_unfinished(ui, v->cursor, key == ']' ? 1 : -1);
		if (next < ui->list.n)
			v->cursor = next;
		else
			display_status(ui, STYLE_NORMAL, "no other issue left to do");
		return 1;
	}
	return 0;
}

static size_t list_nlines(struct tui *ui, struct view *v)
{
	return ui->list.n;
}

static const char *list_line(struct tui *ui, struct view *v, size_t i, size_t *len)
{
	struct list_state *st = state_of(v);
	if (i >= ui->list.n)
		return NULL;
	strbuf_reset(&st->line);
	strbuf_addf(&st->line, "%s#%lld %s", label_entry_repo(&ui->list, i),
	            (long long)ui->list.items[i].number, label_entry_title(&ui->list, i));
	*len = st->line.len;
	return st->line.buf;
}

static void list_show_line(struct tui *ui, struct view *v, size_t i)
{
	v->cursor = i;
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
        .hints = "Enter open  j/k move  ]/[ next/prev to do  / search  ? help  q quit",
};
