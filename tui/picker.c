/*
 * picker.c - choices with keys and definitions (see picker.h).
 */
#include "picker.h"
#include "display.h"
#include "screen.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define DEFINITION_ROWS 6 /* at most, below the entries */

void picker_reset(struct picker *p, const char *title)
{
	picker_close(p);
	p->title = xstrdup(title);
	p->open = 1;
}

void picker_add(struct picker *p, int key, const char *label, const char *definition, int more,
                int current, int value)
{
	xgrow((void **)&p->entries, &p->alloc, p->n + 1, sizeof(*p->entries));
	struct picker_entry *e = &p->entries[p->n++];
	e->key = key;
	e->label = xstrdup(label);
	e->definition = definition;
	e->more = more;
	e->current = current;
	e->value = value;
	if (current)
		p->highlight = p->n - 1;
}

void picker_close(struct picker *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->entries[i].label);
	free(p->entries);
	free(p->title);
	memset(p, 0, sizeof(*p));
}

int picker_letter(size_t i)
{
	static const char letters[] = "abcdefghilmnoprstuvwxyzCDEFGHILMNOPRSTUVWXYZ";
	return i < sizeof(letters) - 1 ? letters[i] : 0;
}

enum picker_result picker_key(struct picker *p, int key, size_t *chosen)
{
	if (key == SCREEN_ESC || key == 'q')
		return PICKER_CANCELLED;
	if (key == SCREEN_ENTER && p->n) {
		*chosen = p->highlight;
		return PICKER_CHOSEN;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (p->entries[i].key && p->entries[i].key == key) {
			*chosen = i;
			return PICKER_CHOSEN;
		}
	}
	enum nav nav = display_nav(key);
	if (nav == NAV_NONE || !p->n)
		return PICKER_IGNORED;
	size_t top = p->top;
	p->highlight = display_move(nav, p->highlight, &top, p->n, (int)p->n);
	return PICKER_MOVED;
}

struct count {
	size_t n;
};

static void count_piece(void *ctx, size_t off, size_t len)
{
	(void)off, (void)len;
	((struct count *)ctx)->n++;
}

static size_t definition_rows(const char *definition, int width)
{
	struct count c = {0};
	if (definition && *definition)
		text_wrap(definition, strlen(definition), width, count_piece, &c);
	return c.n;
}

/* Rows for the definition: the longest definition's, so the layout does not jump. */
static int definition_height(const struct picker *p, int width)
{
	size_t rows = 0;
	for (size_t i = 0; i < p->n; i++) {
		size_t r = definition_rows(p->entries[i].definition, width - 2);
		rows = r > rows ? r : rows;
	}
	return rows ? (int)(rows > DEFINITION_ROWS ? DEFINITION_ROWS : rows) + 1 : 0;
}

int picker_height(const struct picker *p, int width, int avail)
{
	int want = 1 + (int)p->n + definition_height(p, width);
	return want < avail ? want : avail;
}

struct draw_def {
	const char *text;
	int y, x, w, rows;
};

static void draw_def_piece(void *ctx, size_t off, size_t len)
{
	struct draw_def *d = ctx;
	if (d->rows <= 0)
		return;
	screen_text(d->y++, d->x, d->w, d->text + off, len);
	d->rows--;
}

static void draw_entry(const struct picker *p, size_t i, int y, int x, int w)
{
	const struct picker_entry *e = &p->entries[i];
	int hl = i == p->highlight;
	screen_style(hl ? STYLE_CURSOR : STYLE_NORMAL);
	screen_fill(y, x, w);
	char key[8] = "";
	if (e->key) {
		struct strbuf sb = STRBUF_INIT;
		text_add_utf8(&sb, (uint32_t)e->key);
		snprintf(key, sizeof(key), "%s", sb.buf);
		strbuf_release(&sb);
	}
	screen_style(hl ? STYLE_CURSOR : STYLE_KEY);
	screen_str(y, x + 1, 2, key);
	screen_style(hl ? STYLE_CURSOR : STYLE_NORMAL);
	int used = screen_str(y, x + 4, w - 4, e->label);
	int at = x + 4 + used;
	if (e->more)
		at += screen_str(y, at, x + w - at, " >");
	if (e->current) {
		screen_style(hl ? STYLE_CURSOR : STYLE_DIM);
		screen_str(y, at, x + w - at, "  (current)");
	}
}

void picker_draw(struct picker *p, int y, int x, int h, int w)
{
	if (h <= 0)
		return;
	int has_none = 0; /* say so in the rule too: the entry may be scrolled out of sight */
	for (size_t i = 0; i < p->n; i++)
		has_none |= p->entries[i].key == '0';
	display_rule(y, x, w, p->title, has_none ? "0: none  Esc: cancel" : "Esc: cancel");
	int def_h = definition_height(p, w);
	int rows = h - 1 - def_h;
	if (rows < 3 && h - 1 >= 3) { /* the choices come first; the definition gets what is left */
		rows = (int)p->n < h - 1 ? (int)p->n : h - 1;
		def_h = h - 1 - rows;
	}
	if (rows < 0)
		rows = 0;
	if (p->highlight < p->top)
		p->top = p->highlight;
	if (rows > 0 && p->highlight >= p->top + (size_t)rows)
		p->top = p->highlight - (size_t)rows + 1;
	for (int r = 0; r < rows && p->top + (size_t)r < p->n; r++)
		draw_entry(p, p->top + (size_t)r, y + 1 + r, x, w);
	if (def_h <= 0 || !p->n)
		return;
	const struct picker_entry *e = &p->entries[p->highlight];
	int dy = y + 1 + rows;
	display_rule(dy, x, w, e->definition ? e->label : NULL, NULL);
	if (!e->definition)
		return;
	screen_style(STYLE_NORMAL);
	struct draw_def d = {e->definition, dy + 1, x + 1, w - 2, def_h - 1};
	text_wrap(e->definition, strlen(e->definition), w - 2, draw_def_piece, &d);
}
