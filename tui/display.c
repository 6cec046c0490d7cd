/*
 * display.c - the display code the views share: the main loop, layout, the
 * title bar and status line, prompts, search, and the keys that work
 * everywhere (see display.h).
 *
 * Each key is handled completely (a code saved and committed, an issue
 * read) before the screen is drawn again and the next key read; nothing is
 * left open in the database while the UI waits. Before each drawing, and
 * every second while no key comes, what another process changed for this
 * rater is picked up (session_poll).
 */
#include "display.h"
#include "browser.h"
#include "script.h"
#include "session.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_CTRL(c) ((c)&0x1f)
#define PROMPT_MAX  10000 /* bytes: a note is a note, not an essay ('E' edits longer ones) */
#define IDLE_MS     1000  /* how often changes made elsewhere are looked for, without keys */

void display_status(struct tui *ui, enum screen_style style, const char *fmt, ...)
{
	va_list ap;
	strbuf_reset(&ui->status);
	va_start(ap, fmt);
	strbuf_vaddf(&ui->status, fmt, ap);
	va_end(ap);
	ui->status_style = style;
}

enum picker_result display_picker_key(struct tui *ui, int key, size_t *chosen)
{
	enum picker_result r = picker_key(&ui->pick.picker, key, chosen);
	if (r == PICKER_IGNORED)
		display_status(ui, STYLE_ERROR, "press a key shown in the list, or Esc");
	return r;
}

void display_prompt(struct tui *ui, const char *label, const char *initial,
                    void (*done)(struct tui *ui, const char *text))
{
	ui->prompt.active = 1;
	ui->prompt.label = label;
	ui->prompt.done = done;
	ui->prompt.multiline = 0;
	ui->prompt.cancel_message = NULL;
	strbuf_reset(&ui->prompt.text);
	strbuf_adds(&ui->prompt.text, initial);
}

void display_pause(struct tui *ui)
{
	screen_pause();
}

void display_resume(struct tui *ui)
{
	screen_resume();
}

enum nav display_nav(int key)
{
	switch (key) {
	case 'j':
	case SCREEN_KEY(KEY_DOWN):
		return NAV_DOWN;
	case 'k':
	case SCREEN_KEY(KEY_UP):
		return NAV_UP;
	case ' ':
	case 'f':
	case KEY_CTRL('f'):
	case SCREEN_KEY(KEY_NPAGE):
		return NAV_PAGE_DOWN;
	case 'b':
	case KEY_CTRL('b'):
	case SCREEN_KEY(KEY_PPAGE):
		return NAV_PAGE_UP;
	case KEY_CTRL('d'):
		return NAV_HALF_DOWN;
	case KEY_CTRL('u'):
		return NAV_HALF_UP;
	case 'g':
	case SCREEN_KEY(KEY_HOME):
		return NAV_TOP;
	case 'G':
	case SCREEN_KEY(KEY_END):
		return NAV_BOTTOM;
	default:
		return NAV_NONE;
	}
}

/* The signed distance nav moves in a view of h rows. */
static long nav_delta(enum nav nav, int h)
{
	long page = h > 1 ? h - 1 : 1, half = h > 1 ? h / 2 : 1;
	switch (nav) {
	case NAV_DOWN:
		return 1;
	case NAV_UP:
		return -1;
	case NAV_PAGE_DOWN:
		return page;
	case NAV_PAGE_UP:
		return -page;
	case NAV_HALF_DOWN:
		return half;
	case NAV_HALF_UP:
		return -half;
	default:
		return 0;
	}
}

static size_t clamp_add(size_t at, long delta, size_t max)
{
	if (delta < 0 && (size_t)-delta > at)
		return 0;
	size_t to = delta < 0 ? at - (size_t)-delta : at + (size_t)delta;
	return to > max ? max : to;
}

size_t display_scroll(enum nav nav, size_t top, size_t n, int h)
{
	size_t last = n > (size_t)h ? n - (size_t)h : 0;
	if (nav == NAV_TOP)
		return 0;
	if (nav == NAV_BOTTOM)
		return last;
	return clamp_add(top > last ? last : top, nav_delta(nav, h), last);
}

size_t display_move(enum nav nav, size_t cursor, size_t *top, size_t n, int h)
{
	if (!n)
		return 0;
	if (nav == NAV_TOP)
		cursor = 0;
	else if (nav == NAV_BOTTOM)
		cursor = n - 1;
	else
		cursor = clamp_add(cursor, nav_delta(nav, h), n - 1);
	if (cursor < *top)
		*top = cursor;
	if (h > 0 && cursor >= *top + (size_t)h)
		*top = cursor - (size_t)h + 1;
	return cursor;
}

void display_rule(int y, int x, int w, const char *title, const char *right)
{
	screen_style(STYLE_DIM);
	const char *line = text_locale_is_utf8() ? "\u2500" : "-";
	for (int i = 0; i < w; i++)
		screen_str(y, x + i, 1, line);
	int at = x + 2;
	if (title && w > 6) {
		screen_style(STYLE_HEADING);
		at += screen_str(y, at, 1, " ");
		at += screen_str(y, at, x + w - at - 2, title);
		at += screen_str(y, at, x + w - at, " ");
	}
	if (right && w > 6) {
		int rw = text_width(right, strlen(right)) + 2;
		if (x + w - rw - 2 > at) {
			screen_style(STYLE_DIM);
			screen_str(y, x + w - rw - 2, rw, " ");
			screen_str(y, x + w - rw - 1, rw - 2, right);
			screen_str(y, x + w - 3, 1, " ");
		}
	}
}

void display_open_issue(struct tui *ui, size_t index)
{
	if (index >= ui->list.n)
		return;
	if (!ui->issue || ui->current != index) {
		picker_close(&ui->pick.picker);
		session_open(ui, index);
		reader_set_issue(ui, &ui->reader_view);
		ui->reader_view.matched = 0;
	}
	list_select(ui, index);
	ui->screen = TUI_SCREEN_ISSUE;
}

void display_open_url(struct tui *ui, const char *url)
{
	if (!url || !*url) {
		display_status(ui, STYLE_ERROR, "no URL is stored for this");
		return;
	}
	if (!browser_command()) {
		display_status(ui, STYLE_NORMAL, "%s", url); /* to copy ($BROWSER would open it) */
		return;
	}
	if (!browser_url_ok(url)) {
		display_status(ui, STYLE_ERROR, "not opened (not an http(s) URL): %s", url);
		return;
	}
	struct error err;
	display_pause(ui);
	int rc = browser_open(url, screen_is_headless(), &err);
	display_resume(ui);
	if (rc < 0)
		display_status(ui, STYLE_ERROR, "not opened: %s: %s", err.msg, url);
	else
		display_status(ui, STYLE_NORMAL, "opened %s", url);
}

void display_describe_position(struct tui *ui, char *buf, size_t size)
{
	if (ui->screen == TUI_SCREEN_FIXES)
		fixview_describe_position(&ui->fix_view, buf, size);
	else
		reader_describe_position(&ui->reader_view, buf, size);
}

/* The view in the reader's place: the reader, or the fix view. */
static struct view *issue_view(struct tui *ui)
{
	return ui->screen == TUI_SCREEN_FIXES ? &ui->fix_view : &ui->reader_view;
}

/* --- layout and drawing --- */

static void place(struct view *v, int y, int h, int w)
{
	v->y = y;
	v->x = 0;
	v->h = h > 0 ? h : 0;
	v->w = w;
}

static void layout(struct tui *ui)
{
	screen_size(&ui->rows, &ui->cols);
	int body = ui->rows - 2;
	if (ui->help) {
		place(&ui->help_view, 1, body, ui->cols);
	} else if (ui->screen == TUI_SCREEN_LIST) {
		place(&ui->list_view, 1, body, ui->cols);
	} else {
		struct view *panel = &ui->panel_view;
		panel->w = ui->cols;
		/* the reader keeps a row at least, unless a picker needs the room */
		int avail = ui->pick.picker.open || body < 2 ? body : body - 1;
		int ph = panel->ops->height(ui, panel, avail);
		place(issue_view(ui), 1, body - ph, ui->cols);
		place(panel, 1 + body - ph, ph, ui->cols);
	}
}

/* The title's right part: where the reader is and the progress, shorter when room is short. */
static void title_right(struct tui *ui, int left_width, char *buf, size_t size)
{
	char progress[64];
	session_progress(ui, progress, sizeof(progress));
	if (ui->screen == TUI_SCREEN_LIST || ui->help) {
		snprintf(buf, size, "%s ", progress);
		return;
	}
	snprintf(buf, size, "issue %zu/%zu - %s ", ui->current + 1, ui->list.n, progress);
	if (left_width + text_width(buf, strlen(buf)) >= ui->cols) /* "issue" goes first */
		snprintf(buf, size, "%zu/%zu - %s ", ui->current + 1, ui->list.n, progress);
}

static void draw_title(struct tui *ui)
{
	const struct tui_options *o = ui->opt;
	char left[512], right[128];
	if (o->mode == TUI_RECONCILE)
		snprintf(left, sizeof(left), " issuemine reconcile - %s - %s vs %s as %s",
		         o->set_name, o->name_a, o->name_b, o->rater);
	else
		snprintf(left, sizeof(left), " issuemine label - %s - rater %s", o->set_name,
		         o->rater);
	title_right(ui, text_width(left, strlen(left)), right, sizeof(right));
	screen_style(STYLE_TITLE);
	screen_fill(0, 0, ui->cols);
	int rw = text_width(right, strlen(right));
	int lw = screen_str(0, 0, ui->cols - rw - 1, left);
	if (lw + rw < ui->cols)
		screen_str(0, ui->cols - rw, rw, right);
}

static const char *hints(struct tui *ui)
{
	if (ui->help)
		return help_ops.hints;
	if (ui->pick.picker.open)
		return "a-z choose  0 none  j/k read definitions  Enter highlighted  Esc cancel";
	if (ui->screen == TUI_SCREEN_LIST)
		return list_ops.hints;
	if (ui->screen == TUI_SCREEN_FIXES)
		return fixview_ops.hints;
	return ui->panel_view.ops->hints;
}

static void draw_prompt(struct tui *ui, int y)
{
	screen_style(STYLE_NORMAL);
	int lw = screen_str(y, 0, ui->cols, ui->prompt.label);
	/* A line break of a note shows as a return sign. */
	struct strbuf shown = STRBUF_INIT;
	for (const char *p = ui->prompt.text.buf; *p; p++)
		if (*p == '\n')
			strbuf_adds(&shown, text_locale_is_utf8() ? "\u21b5" : "|");
		else
			strbuf_addch(&shown, *p);
	const char *text = shown.buf;
	size_t len = shown.len;
	int room = ui->cols - lw - 1;
	/* Show the end of a long text: that is where typing happens. */
	while (len && text_width(text, len) > room) {
		size_t i = 0;
		text_next(text, len, &i);
		text += i;
		len -= i;
	}
	int tw = screen_text(y, lw, room, text, len);
	screen_style(STYLE_CURSOR);
	screen_str(y, lw + tw, 1, " ");
	strbuf_release(&shown);
}

static void draw_status(struct tui *ui)
{
	int y = ui->rows - 1;
	screen_style(STYLE_NORMAL);
	screen_fill(y, 0, ui->cols);
	if (ui->prompt.active) {
		draw_prompt(ui, y);
		return;
	}
	if (ui->status.len) {
		screen_style(ui->status_style);
		screen_str(y, 0, ui->cols, ui->status.buf);
		return;
	}
	screen_style(STYLE_DIM);
	screen_str(y, 0, ui->cols, hints(ui));
}

static void draw_body(struct tui *ui)
{
	if (ui->help) {
		help_ops.draw(ui, &ui->help_view);
	} else if (ui->screen == TUI_SCREEN_LIST) {
		list_ops.draw(ui, &ui->list_view);
	} else {
		struct view *v = issue_view(ui);
		v->ops->draw(ui, v);
		if (ui->panel_view.h > 0)
			ui->panel_view.ops->draw(ui, &ui->panel_view);
	}
}

/* Below this the screen shows only a message, and keys that change things wait. */
static int too_small(const struct tui *ui)
{
	return ui->rows < 6 || ui->cols < 30;
}

static void draw(struct tui *ui)
{
	layout(ui);
	screen_clear();
	if (too_small(ui)) {
		screen_str(0, 0, ui->cols, "issuemine: the terminal is too small");
	} else {
		draw_title(ui);
		draw_body(ui);
		draw_status(ui);
	}
	screen_update();
}

/* --- search --- */

static struct view *searched_view(struct tui *ui)
{
	return ui->screen == TUI_SCREEN_LIST ? &ui->list_view : issue_view(ui);
}

/* Finds the next (dir 1) or previous (dir -1) match, from the current line when inclusive. */
static void search(struct tui *ui, int dir, int inclusive)
{
	if (!ui->search) {
		display_status(ui, STYLE_ERROR, "nothing to search for yet: / starts a search");
		return;
	}
	struct view *v = searched_view(ui);
	size_t n = v->ops->nlines(ui, v);
	size_t start = v->matched ? v->match : v->ops->position(ui, v);
	for (size_t step = inclusive ? 0 : 1; n && step <= n; step++) {
		size_t i = dir > 0 ? (start + step) % n : (start + n - step % n) % n;
		size_t len;
		const char *text = v->ops->matches ? NULL : v->ops->line(ui, v, i, &len);
		if (v->ops->matches ? !v->ops->matches(ui, v, i, ui->search)
		                    : !text || !text_find(text, len, ui->search))
			continue;
		v->match = i;
		v->matched = 1;
		v->ops->show_line(ui, v, i);
		if ((dir > 0 && i < start) || (dir < 0 && i > start))
			display_status(ui, STYLE_NORMAL, "search wrapped around");
		return;
	}
	display_status(ui, STYLE_ERROR, "no match for '%s'", ui->search);
}

static void search_done(struct tui *ui, const char *text)
{
	if (!*text) {
		free(ui->search);
		ui->search = NULL;
		return;
	}
	free(ui->search);
	ui->search = xstrdup(text);
	searched_view(ui)->matched = 0;
	search(ui, 1, 1);
}

/* --- keys --- */

static void prompt_key(struct tui *ui, int key)
{
	struct prompt *p = &ui->prompt;
	if (key == SCREEN_ENTER) {
		char *text = strbuf_detach(&p->text, NULL);
		p->active = 0;
		p->done(ui, text);
		free(text);
	} else if (key == SCREEN_ESC) {
		p->active = 0;
		display_status(ui, STYLE_NORMAL, "%s",
		               p->cancel_message ? p->cancel_message : "cancelled");
	} else if (key == KEY_CTRL('o') && p->multiline && p->text.len < PROMPT_MAX) {
		strbuf_addch(&p->text, '\n');
	} else if (key == SCREEN_BACKSPACE) {
		text_drop_last(&p->text);
	} else if (key == KEY_CTRL('u')) {
		strbuf_reset(&p->text);
	} else if (key >= 0x20 && key != 0x7f && key < 0x110000 && p->text.len < PROMPT_MAX) {
		text_add_utf8(&p->text, (uint32_t)key);
	}
}

static void go_unfinished(struct tui *ui, int dir)
{
	size_t next = session_unfinished(ui, ui->current, dir);
	if (next >= ui->list.n)
		display_status(ui, STYLE_NORMAL, "no other issue left to do");
	else
		display_open_issue(ui, next);
}

static void toggle_screen(struct tui *ui)
{
	picker_close(&ui->pick.picker);
	if (ui->screen != TUI_SCREEN_LIST) {
		ui->screen = TUI_SCREEN_LIST;
		list_select(ui, ui->current);
	} else if (ui->nshown) {
		display_open_issue(ui, ui->shown[ui->list_view.cursor]);
	} else {
		display_open_issue(ui, ui->current);
	}
}

/*
 * The issue screens: an open picker takes every key; then the fix view (in
 * the reader's place) gets first go, so that its h, l, q, [ and ] work as
 * in tig's diff view; then the panel; then the reader, which knows f (the
 * fix view) and o (the issue's URL) besides moving.
 */
static int issue_key(struct tui *ui, int key)
{
	struct view *panel = &ui->panel_view;
	if (ui->pick.picker.open)
		return panel->ops->key(ui, panel, key);
	if (ui->screen == TUI_SCREEN_FIXES)
		return fixview_ops.key(ui, &ui->fix_view, key) || panel->ops->key(ui, panel, key);
	if (panel->ops->key(ui, panel, key))
		return 1;
	if (key == 'f') {
		fixview_open(ui, &ui->fix_view);
		return 1;
	}
	if (key == 'o') {
		display_open_url(ui, ui->issue ? ui->issue->html_url : NULL);
		return 1;
	}
	return reader_ops.key(ui, &ui->reader_view, key);
}

static void global_key(struct tui *ui, int key)
{
	char name[32];
	switch (key) {
	case 'q':
	case KEY_CTRL('c'):
		ui->quit = 1;
		break;
	case KEY_CTRL('z'):
		screen_suspend();
		break;
	case '?':
		ui->help = 1;
		ui->help_view.top = 0;
		break;
	case SCREEN_TAB:
		toggle_screen(ui);
		break;
	case ']':
	case '[':
		go_unfinished(ui, key == ']' ? 1 : -1);
		break;
	case '/':
		display_prompt(ui, "/", "", search_done);
		break;
	case 'n':
	case 'N':
		search(ui, key == 'n' ? 1 : -1, 0);
		break;
	case 'u':
		picker_close(&ui->pick.picker);
		session_undo(ui);
		break;
	default:
		script_key_name(key, name, sizeof(name));
		display_status(ui, STYLE_ERROR, "%s: not a key here (? shows the keys)", name);
	}
}

static void handle_key(struct tui *ui, int key)
{
	if (key == SCREEN_KEY(KEY_RESIZE))
		return; /* the next draw lays the screen out again */
	if (key == KEY_CTRL('l')) {
		screen_repaint();
		return;
	}
	if (too_small(ui) && key != 'q' && key != KEY_CTRL('c') && key != KEY_CTRL('z'))
		return; /* nobody codes what they cannot see */
	if (ui->prompt.active) {
		prompt_key(ui, key);
		return;
	}
	strbuf_reset(&ui->status);
	if (ui->help) {
		help_ops.key(ui, &ui->help_view, key);
		return;
	}
	if (ui->screen != TUI_SCREEN_LIST) {
		if (!ui->issue && !ui->pick.picker.open &&
		    (key == 'e' || key == 'E' || key == 'x' || key == 's' || key == 'f' ||
		     panel_dimension_key(ui, key) >= 0)) {
			display_status(ui, STYLE_ERROR,
			               "this issue could not be read: nothing to code");
			return;
		}
		if (issue_key(ui, key))
			return;
	} else if (list_ops.key(ui, &ui->list_view, key)) {
		return;
	}
	global_key(ui, key);
}

/* --- running --- */

static void start(struct tui *ui)
{
	ui->list_view.ops = &list_ops;
	ui->reader_view.ops = &reader_ops;
	ui->help_view.ops = &help_ops;
	ui->fix_view.ops = &fixview_ops;
	ui->panel_view.ops = ui->opt->mode == TUI_RECONCILE ? &reconcile_ops : &panel_ops;
	size_t resume = label_list_resume(&ui->list);
	char progress[64];
	session_progress(ui, progress, sizeof(progress));
	if (resume < ui->list.n) {
		display_open_issue(ui, resume);
		if (!ui->status.len)
			display_status(ui, STYLE_NORMAL,
			               "%s - resuming at the first issue not done", progress);
	} else {
		ui->screen = TUI_SCREEN_LIST;
		display_status(ui, STYLE_SAVED, "all done: %s", progress);
	}
}

static int dump_to(const char *path, struct error *err)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return error_set(err, "%s: %s", path, strerror(errno));
	screen_dump(f);
	return fclose(f) ? error_set(err, "%s: write error", path) : 0;
}

/*
 * The next key from the script or the terminal: 1 with *key, 0 at the end,
 * -1 on error. From a terminal, SCREEN_IDLE after a second without a key.
 */
static int next_key(struct script *sc, int *key, struct error *err)
{
	if (!sc) {
		*key = screen_read_key_within(IDLE_MS);
		return *key >= 0;
	}
	for (;;) {
		struct script_action a;
		int rc = script_next(sc, &a, err);
		if (rc <= 0)
			return rc;
		if (a.step == SCRIPT_DUMP) {
			if (dump_to(a.path, err))
				return -1;
			continue;
		}
		if (a.step == SCRIPT_RESIZE) {
			screen_resize(a.rows, a.cols);
			*key = SCREEN_KEY(KEY_RESIZE);
		} else {
			*key = a.key;
		}
		return 1;
	}
}

/* Draws the screen; nothing may stay open in the database while the next key is awaited. */
static void draw_idle(struct tui *ui)
{
	session_poll(ui);
	if (session_check_idle(ui))
		trace_event("not-idle", ui->status.buf);
	draw(ui);
}

static int loop(struct tui *ui, struct script *sc, struct error *err)
{
	draw_idle(ui);
	trace_event("screen", NULL);
	int rc, key;
	while (!ui->quit && (rc = next_key(sc, &key, err)) > 0) {
		if (key == SCREEN_IDLE) {
			int64_t seen = ui->data_version;
			session_poll(ui);
			if (seen != ui->data_version)
				draw_idle(ui);
			continue;
		}
		char name[32];
		script_key_name(key, name, sizeof(name));
		trace_event("key", name);
		handle_key(ui, key);
		draw_idle(ui);
		trace_event("drawn", name);
	}
	return ui->quit ? 0 : rc;
}

static void release(struct tui *ui)
{
	session_release(ui);
	picker_close(&ui->pick.picker);
	reader_free(&ui->reader_view);
	fixview_free(&ui->fix_view);
	list_free(&ui->list_view);
	strbuf_release(&ui->status);
	strbuf_release(&ui->prompt.text);
	free(ui->search);
}

int tui_check_terminal(struct error *err)
{
	const char *script = getenv("ISSUEMINE_TUI_SCRIPT");
	if ((script && *script) || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)))
		return 0;
	return error_set(err, "the UI needs a terminal on standard input and output "
	                      "(or a keystroke script in ISSUEMINE_TUI_SCRIPT)");
}

/* The screen: in memory for a script (of $ISSUEMINE_TUI_SIZE), else the terminal. */
static int open_screen(struct script *sc, struct error *err)
{
	if (!sc) {
		const char *term = getenv("TERM");
		if (!screen_start())
			return 0;
		if (tui_check_terminal(err))
			return -1;
		if (!term || !*term)
			return error_set(err, "cannot start curses: TERM is not set");
		return error_set(err, "cannot start curses on terminal type '%s' (TERM)", term);
	}
	int rows = 24, cols = 80;
	const char *size = getenv("ISSUEMINE_TUI_SIZE");
	if (size && *size && script_parse_size(size, &rows, &cols))
		return error_set(err, "ISSUEMINE_TUI_SIZE: '%s' is not COLSxROWS (e.g. 80x24)",
		                 size);
	return screen_start_headless(rows, cols) ? error_set(err, "cannot start curses") : 0;
}

int tui_run(const struct tui_options *o, struct error *err)
{
	struct tui ui;
	memset(&ui, 0, sizeof(ui));
	ui.opt = o;
	strbuf_init(&ui.status, 0);
	strbuf_init(&ui.prompt.text, 0);
	struct script *sc = NULL;
	const char *script = getenv("ISSUEMINE_TUI_SCRIPT");
	if (script && *script && script_open(script, &sc, err))
		return -1;
	int rc = session_load(&ui, err);
	if (!rc)
		rc = open_screen(sc, err);
	if (!rc) {
		trace_open(getenv("ISSUEMINE_TUI_TRACE"));
		start(&ui);
		rc = loop(&ui, sc, err);
		if (!rc && sc)
			screen_dump(stdout);
		screen_end();
		trace_close();
	}
	release(&ui);
	script_close(sc);
	return rc;
}
