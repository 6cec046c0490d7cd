/*
 * reader.c - the issue reader: repository and number, title, state, labels
 * and dates, the body, then the timeline in order (comments with author and
 * date, closing commits, cross-references with their source's title and
 * state, and the smaller events on one line each).
 *
 * The rater's own note and exclusion come under the header (when
 * reconciling, both raters' too: blindness has ended there).
 *
 * The text is built once per issue as logical lines and wrapped to the
 * view's width when it is drawn; a resize wraps again and keeps the line at
 * the top of the view in sight, and so does building it again after a
 * change. Search ('/', n, N) works on wrapped lines and highlights every
 * match on screen.
 */
#include "display.h"
#include "session.h"
#include "text.h"
#include "xalloc.h"

#include <stdarg.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_INDENT 4

struct logical {
	size_t off, len; /* in reader.text */
	unsigned char style, indent;
};

struct line {
	size_t off, len;
	size_t logical; /* the logical line it is part of */
	unsigned char style, indent;
};

struct reader {
	struct strbuf text; /* every logical line, each followed by '\n' */
	struct logical *logical;
	size_t nlogical, logical_alloc;
	struct line *lines; /* wrapped for width */
	size_t nlines, lines_alloc;
	int width; /* 0: not wrapped yet */
	int keep;  /* the next wrap puts keep_logical at the top */
	size_t keep_logical;
};

static struct reader *reader_of(struct view *v)
{
	if (!v->data)
		v->data = xcalloc(1, sizeof(struct reader));
	return v->data;
}

static void add_text(struct reader *r, enum screen_style style, int indent, const char *text)
{
	struct strbuf clean = STRBUF_INIT;
	text_add_clean(&clean, text);
	const char *p = clean.buf, *end = clean.buf + clean.len;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		xgrow((void **)&r->logical, &r->logical_alloc, r->nlogical + 1,
		      sizeof(*r->logical));
		struct logical *l = &r->logical[r->nlogical++];
		l->off = r->text.len;
		l->len = len;
		l->style = (unsigned char)style;
		l->indent = (unsigned char)indent;
		strbuf_add(&r->text, p, len);
		strbuf_addch(&r->text, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	strbuf_release(&clean);
}

static void add_line(struct reader *r, enum screen_style style, int indent, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void add_line(struct reader *r, enum screen_style style, int indent, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	add_text(r, style, indent, sb.buf);
	strbuf_release(&sb);
}

/* "2021-03-02T10:05:00Z" as "2021-03-02 10:05"; "?" when unknown. */
static const char *short_time(const char *iso, char *buf, size_t size)
{
	if (!iso || strlen(iso) < 16)
		return iso ? iso : "?";
	snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
	return buf;
}

static const char *or_else(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "Closed issue (completed), opened by alice on 2021-03-02 10:00, closed on ..." */
static void add_state_line(struct reader *r, const struct label_issue *is)
{
	char t1[32], t2[32];
	struct strbuf sb = STRBUF_INIT;
	const char *state = or_else(is->state, "");
	const char *reason = or_else(is->state_reason, NULL);
	strbuf_addf(&sb, "%s%s",
	            !strcmp(state, "closed") ? "Closed "
	            : !strcmp(state, "open") ? "Open "
	                                     : "",
	            is->is_pull_request ? "pull request" : "issue");
	if (reason)
		strbuf_addf(&sb, " (%s)", reason);
	strbuf_addf(&sb, ", opened by %s on %s", or_else(is->author, "?"),
	            short_time(is->created_at, t1, sizeof(t1)));
	if (is->closed_at)
		strbuf_addf(&sb, ", closed on %s", short_time(is->closed_at, t2, sizeof(t2)));
	add_text(r, STYLE_META, 0, sb.buf);
	strbuf_release(&sb);
}

static void add_labels_line(struct reader *r, const struct label_issue *is)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < is->nlabels; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", is->labels[i]);
	add_line(r, STYLE_META, 0, "Labels: %s", is->nlabels ? sb.buf : "(none)");
	strbuf_release(&sb);
}

/* One rater's exclusion and note (of any number of lines) under the header; rater NULL: you. */
static void add_rater_note(struct reader *r, enum screen_style style, const char *rater,
                           const char *note, const struct exclusion *x)
{
	if (x->reason) {
		add_line(r, style, 0, "%s excluded this issue: %s", rater ? rater : "You",
		         x->reason->name);
		if (x->detail)
			add_text(r, STYLE_NORMAL, COMMENT_INDENT, x->detail);
	}
	if (note) {
		if (rater)
			add_line(r, style, 0, "%s's note:", rater);
		else
			add_text(r, style, 0, "Your note:");
		add_text(r, STYLE_NORMAL, COMMENT_INDENT, note);
	}
}

/* The rater's own note; reconciling, both raters' too (blindness has ended). */
static void add_rater_notes(struct tui *ui, struct reader *r)
{
	if (ui->opt->mode == TUI_RECONCILE) {
		add_rater_note(r, STYLE_DIFFER, ui->opt->name_a, ui->note_a, &ui->exclusion_a);
		add_rater_note(r, STYLE_DIFFER, ui->opt->name_b, ui->note_b, &ui->exclusion_b);
	}
	add_rater_note(r, STYLE_SAVED, NULL, ui->note, &ui->exclusion);
}

static void add_header(struct tui *ui, struct reader *r, const struct label_issue *is)
{
	add_line(r, STYLE_HEADING, 0, "%s#%lld  %s", is->repo, (long long)is->number, is->title);
	add_state_line(r, is);
	add_labels_line(r, is);
	if (is->html_url)
		add_text(r, STYLE_META, 0, is->html_url);
	add_rater_notes(ui, r);
	add_text(r, STYLE_NORMAL, 0, "");
	if (is->body && *is->body)
		add_text(r, STYLE_NORMAL, 0, is->body);
	else
		add_text(r, STYLE_DIM, 0, "(no description)");
	add_text(r, STYLE_NORMAL, 0, "");
}

static void short_commit(const char *id, char *buf, size_t size)
{
	snprintf(buf, size, "%.10s", id ? id : "?");
}

/* One event's line: "date  actor what". */
static void add_event(struct reader *r, const struct label_event *e)
{
	char when[32], commit[16];
	const char *date = short_time(e->created_at, when, sizeof(when));
	const char *who = or_else(e->actor, "someone");
	const char *ev = or_else(e->event, "?");
	short_commit(e->commit_id, commit, sizeof(commit));
	if (!strcmp(ev, "commented")) {
		add_line(r, STYLE_META, 0, "%s  %s commented:", date, who);
		add_text(r, STYLE_NORMAL, COMMENT_INDENT, or_else(e->body, ""));
	} else if (!strcmp(ev, "closed")) {
		if (e->commit_id)
			add_line(r, STYLE_HEADING, 0, "%s  %s closed this with commit %s", date,
			         who, commit);
		else
			add_line(r, STYLE_META, 0, "%s  %s closed this", date, who);
	} else if (!strcmp(ev, "referenced") && e->commit_id) {
		add_line(r, STYLE_HEADING, 0, "%s  %s referenced this in commit %s", date, who,
		         commit);
	} else if (!strcmp(ev, "cross-referenced")) {
		add_line(r, STYLE_HEADING, 0, "%s  %s mentioned this in %s#%lld (%s, %s): %s", date,
		         who, or_else(e->source_repo, "?"), (long long)e->source_number,
		         e->source_is_pr ? "pull request" : "issue", or_else(e->source_state, "?"),
		         or_else(e->source_title, ""));
	} else if (!strcmp(ev, "connected")) {
		add_line(r, STYLE_HEADING, 0, "%s  %s linked a pull request or issue", date, who);
	} else if (e->detail) {
		add_line(r, STYLE_DIM, 0, "%s  %s %s: %s", date, who, ev, e->detail);
	} else {
		add_line(r, STYLE_DIM, 0, "%s  %s %s", date, who, ev);
	}
	if (e->body && strcmp(ev, "commented"))
		add_text(r, STYLE_NORMAL, COMMENT_INDENT, e->body);
}

static void reader_reset(struct reader *r)
{
	strbuf_reset(&r->text);
	r->nlogical = r->nlines = 0;
	r->width = 0;
}

void reader_set_issue(struct tui *ui, struct view *v)
{
	struct reader *r = reader_of(v);
	reader_reset(r);
	v->top = 0;
	const struct label_issue *is = ui->issue;
	if (!is) {
		add_text(r, STYLE_ERROR, 0, "(this issue could not be read; see the status line)");
		return;
	}
	add_header(ui, r, is);
	add_line(r, STYLE_HEADING, 0, "Timeline: %zu event%s", is->nevents,
	         is->nevents == 1 ? "" : "s");
	for (size_t i = 0; i < is->nevents; i++)
		add_event(r, &is->events[i]);
}

void reader_refresh(struct tui *ui, struct view *v)
{
	struct reader *r = reader_of(v);
	size_t logical = r->nlines && v->top < r->nlines ? r->lines[v->top].logical : 0;
	int matched = v->matched;
	reader_set_issue(ui, v);
	r->keep = 1;
	r->keep_logical = logical;
	v->matched = matched;
}

void reader_free(struct view *v)
{
	struct reader *r = v->data;
	if (!r)
		return;
	strbuf_release(&r->text);
	free(r->logical);
	free(r->lines);
	free(r);
	v->data = NULL;
}

struct wrap_ctx {
	struct reader *r;
	size_t logical;
};

static void add_piece(void *ctx, size_t off, size_t len)
{
	struct wrap_ctx *w = ctx;
	struct reader *r = w->r;
	const struct logical *l = &r->logical[w->logical];
	xgrow((void **)&r->lines, &r->lines_alloc, r->nlines + 1, sizeof(*r->lines));
	struct line *line = &r->lines[r->nlines++];
	line->off = l->off + off;
	line->len = len;
	line->logical = w->logical;
	line->style = l->style;
	line->indent = l->indent;
}

/* Wraps to v's width when it changed, keeping the top line's logical line in view. */
static struct reader *wrapped(struct view *v)
{
	struct reader *r = reader_of(v);
	int width = v->w > 1 ? v->w - 1 : 1; /* one column of margin on the right */
	if (r->width == width)
		return r;
	size_t top_logical = r->nlines && v->top < r->nlines ? r->lines[v->top].logical : 0;
	if (r->keep)
		top_logical = r->keep_logical;
	r->keep = 0;
	r->nlines = 0;
	for (size_t i = 0; i < r->nlogical; i++) {
		struct wrap_ctx ctx = {r, i};
		const struct logical *l = &r->logical[i];
		int avail = width - l->indent > 10 ? width - l->indent : 10;
		text_wrap(r->text.buf + l->off, l->len, avail, add_piece, &ctx);
	}
	r->width = width;
	v->matched = 0; /* line numbers changed: the next search starts from what is shown */
	v->top = 0;
	while (v->top + 1 < r->nlines && r->lines[v->top].logical < top_logical)
		v->top++;
	return r;
}

/* Draws one line, with the matches of the search in their own style. */
static void draw_line(struct tui *ui, const struct line *l, const char *text, int y, int x, int w)
{
	screen_style((enum screen_style)l->style);
	int at = x + l->indent;
	const char *p = text, *end = text + l->len;
	const char *m;
	size_t mlen = ui->search ? strlen(ui->search) : 0;
	while (mlen && p < end && (m = text_find(p, (size_t)(end - p), ui->search))) {
		at += screen_text(y, at, x + w - at, p, (size_t)(m - p));
		screen_style(STYLE_MATCH);
		at += screen_text(y, at, x + w - at, m, mlen);
		screen_style((enum screen_style)l->style);
		p = m + mlen;
	}
	screen_text(y, at, x + w - at, p, (size_t)(end - p));
}

static void reader_draw(struct tui *ui, struct view *v)
{
	struct reader *r = wrapped(v);
	if (v->top >= r->nlines)
		v->top = r->nlines ? r->nlines - 1 : 0;
	for (int row = 0; row < v->h; row++) {
		size_t i = v->top + (size_t)row;
		if (i >= r->nlines)
			break;
		draw_line(ui, &r->lines[i], r->text.buf + r->lines[i].off, v->y + row, v->x, v->w);
	}
}

/* The previous or next issue in the list as shown (filtered and sorted). */
static void move_issue(struct tui *ui, int dir)
{
	size_t next = session_step(ui, ui->current, dir);
	if (next >= ui->list.n)
		display_status(ui, STYLE_NORMAL,
		               dir < 0 ? "this is the first issue" : "this is the last issue");
	else
		display_open_issue(ui, next);
}

static int reader_key(struct tui *ui, struct view *v, int key)
{
	struct reader *r = wrapped(v);
	enum nav nav = display_nav(key);
	if (nav != NAV_NONE) {
		v->top = display_scroll(nav, v->top, r->nlines, v->h);
		v->matched = 0; /* the next search starts from what is on screen */
		return 1;
	}
	if (key == 'h' || key == SCREEN_KEY(KEY_LEFT)) {
		move_issue(ui, -1);
		return 1;
	}
	if (key == 'l' || key == SCREEN_KEY(KEY_RIGHT)) {
		move_issue(ui, 1);
		return 1;
	}
	return 0;
}

static size_t reader_nlines(struct tui *ui, struct view *v)
{
	return wrapped(v)->nlines;
}

static const char *reader_line(struct tui *ui, struct view *v, size_t i, size_t *len)
{
	struct reader *r = wrapped(v);
	if (i >= r->nlines)
		return NULL;
	*len = r->lines[i].len;
	return r->text.buf + r->lines[i].off;
}

static void reader_show_line(struct tui *ui, struct view *v, size_t i)
{
	struct reader *r = wrapped(v);
	size_t last_top = r->nlines > (size_t)v->h ? r->nlines - (size_t)v->h : 0;
	v->top = i < last_top ? i : last_top;
}

static size_t reader_position(struct tui *ui, struct view *v)
{
	return v->top;
}

void reader_describe_position(struct view *v, char *buf, size_t size)
{
	struct reader *r = wrapped(v);
	size_t last = v->top + (size_t)v->h;
	if (last > r->nlines)
		last = r->nlines;
	if (r->nlines <= (size_t)v->h)
		snprintf(buf, size, "all %zu lines", r->nlines);
	else
		snprintf(buf, size, "lines %zu-%zu of %zu", v->top + 1, last, r->nlines);
}

const struct view_ops reader_ops = {
        .name = "reader",
        .draw = reader_draw,
        .key = reader_key,
        .nlines = reader_nlines,
        .line = reader_line,
        .show_line = reader_show_line,
        .position = reader_position,
};
