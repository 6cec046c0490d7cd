/*
 * fixview.c - the fix view: the changes that fixed the current issue (and
 * those only linked to it), a change's files, and its diff, in the manner
 * of tig's diff view.
 *
 * Three levels, each a step further in: the changes (kind, merged or not,
 * +/- counts, files, title), the files of the selected change (status,
 * +/-, path), and the diff of every file of that change, one after the
 * other, each under a header line: hunk headers and +/- lines in colour
 * (plain with $NO_COLOR), long lines wrapped to the width as the reader
 * wraps them. Enter (or l) goes in, h, q or Escape come back out, [ and ]
 * move between files (in the diff: to the previous or next file's
 * header), / searches the level shown. o shows the selected change's URL.
 *
 * What is shown is GitHub's data as "fixes fetch" stored it; nothing here
 * reads codes, so the view is as blind as the reader. The diff is built
 * once per change and wrapped once per width: scrolling and searching work
 * on rows already laid out, so a diff of tens of thousands of lines moves
 * as fast as a short one.
 */
#include "display.h"
#include "store_fixes.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum level { LEVEL_CHANGES, LEVEL_FILES, LEVEL_DIFF };

/* A change as stored (fix_row's fields, copied). */
struct change {
	int64_t id;
	char *role, *kind, *repo, *sha, *status, *title, *state, *url;
	int64_t number;
	long http_status;
	int merged;
	int64_t additions, deletions, file_count, files_stored;
	int truncated;
};

struct file {
	char *path, *previous, *status;
	int has_patch;
	int64_t additions, deletions;
	size_t header; /* its header's logical line in the diff */
};

/* A line of the diff, and a row of it as wrapped for the width. */
struct logical {
	size_t off, len;
	unsigned char style;
	unsigned file;
};

struct row {
	size_t off, len;
	size_t logical;
};

struct fixview {
	int64_t issue_id; /* whose changes are loaded; 0 before the first load */
	int resolved;
	long connected;
	struct change *changes;
	size_t nchanges, changes_alloc;
	enum level level;
	size_t change_cursor, change_top;
	/* the change whose files are loaded (index into changes), its files and diff */
	size_t change;
	int64_t files_of;
	struct file *files;
	size_t nfiles, files_alloc;
	size_t file_cursor, file_top;
	struct strbuf diff;
	struct logical *logical;
	size_t nlogical, logical_alloc;
	struct row *rows;
	size_t nrows, rows_alloc;
	int width; /* the rows' width; 0 when not laid out */
	size_t diff_top;
	/* the file [ and ] went to; SIZE_MAX once the diff scrolled (then: the file at the top) */
	size_t diff_file;
	int ref_w, counts_w; /* the changes' columns: widest reference and +/- counts */
	int file_counts_w;   /* the files' +/- column */
	struct strbuf line;  /* scratch: a list row's text */
	char *error;         /* a database error while loading, shown in the view */
};

static struct fixview *state_of(struct view *v)
{
	if (!v->data) {
		struct fixview *fv = xcalloc(1, sizeof(*fv));
		strbuf_init(&fv->diff, 0);
		strbuf_init(&fv->line, 0);
		v->data = fv;
	}
	return v->data;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void free_change(struct change *c)
{
	free(c->role);
	free(c->kind);
	free(c->repo);
	free(c->sha);
	free(c->status);
	free(c->title);
	free(c->state);
	free(c->url);
}

static void forget_files(struct fixview *fv)
{
	for (size_t i = 0; i < fv->nfiles; i++) {
		free(fv->files[i].path);
		free(fv->files[i].previous);
		free(fv->files[i].status);
	}
	fv->nfiles = 0;
	fv->files_of = 0;
	strbuf_reset(&fv->diff);
	fv->nlogical = fv->nrows = 0;
	fv->width = 0;
	fv->file_cursor = fv->file_top = fv->diff_top = 0;
	fv->diff_file = SIZE_MAX;
}

static void forget_changes(struct fixview *fv)
{
	forget_files(fv);
	for (size_t i = 0; i < fv->nchanges; i++)
		free_change(&fv->changes[i]);
	fv->nchanges = 0;
	fv->change_cursor = fv->change_top = 0;
	fv->level = LEVEL_CHANGES;
	free(fv->error);
	fv->error = NULL;
}

void fixview_free(struct view *v)
{
	struct fixview *fv = v->data;
	if (!fv)
		return;
	forget_changes(fv);
	free(fv->changes);
	free(fv->files);
	free(fv->logical);
	free(fv->rows);
	strbuf_release(&fv->diff);
	strbuf_release(&fv->line);
	free(fv);
	v->data = NULL;
}

/* --- loading --- */

static long long at_least_0(int64_t n);
static void measure_changes(struct fixview *fv);
static void measure_files(struct fixview *fv);

static int add_change(void *data, const struct fix_row *row, struct error *err)
{
	struct fixview *fv = data;
	fv->resolved = row->resolved;
	fv->connected = row->connected;
	if (!row->change_id)
		return 0;
	xgrow((void **)&fv->changes, &fv->changes_alloc, fv->nchanges + 1, sizeof(*fv->changes));
	struct change *c = &fv->changes[fv->nchanges++];
	memset(c, 0, sizeof(*c));
	c->id = row->change_id;
	c->role = dup_or_null(row->role);
	c->kind = dup_or_null(row->kind);
	c->repo = dup_or_null(row->repo);
	c->sha = dup_or_null(row->sha);
	c->status = dup_or_null(row->status);
	c->title = dup_or_null(row->title);
	c->state = dup_or_null(row->state);
	c->url = dup_or_null(row->url);
	c->number = row->number;
	c->http_status = row->http_status;
	c->merged = row->merged;
	c->additions = row->additions;
	c->deletions = row->deletions;
	c->file_count = row->file_count;
	c->files_stored = row->files_stored;
	c->truncated = row->truncated;
	return 0;
}

/* Reads the current issue's changes, unless they are the ones loaded. */
static void load_changes(struct tui *ui, struct fixview *fv)
{
	int64_t issue = ui->issue ? ui->issue->id : 0;
	if (fv->issue_id == issue)
		return;
	forget_changes(fv);
	fv->issue_id = issue;
	fv->resolved = 0;
	fv->connected = 0;
	struct error err;
	if (issue && store_fix_rows_of_issue(ui->opt->store, issue, add_change, fv, &err))
		fv->error = xstrdup(err.msg);
	measure_changes(fv);
}

/* Records the text appended to the diff since off as a line in style, for file number file. */
static void push_logical(struct fixview *fv, enum screen_style style, unsigned file, size_t off)
{
	xgrow((void **)&fv->logical, &fv->logical_alloc, fv->nlogical + 1, sizeof(*fv->logical));
	struct logical *l = &fv->logical[fv->nlogical++];
	l->off = off;
	l->len = fv->diff.len - off;
	l->style = (unsigned char)style;
	l->file = file;
	strbuf_addch(&fv->diff, '\n');
}

/* Appends a line of the diff (no newline in text) in style, for file number file. */
static void add_logical(struct fixview *fv, enum screen_style style, unsigned file,
                        const char *text, size_t len)
{
	size_t off = fv->diff.len;
	strbuf_add(&fv->diff, text, len);
	push_logical(fv, style, file, off);
}

static void add_logicalf(struct fixview *fv, enum screen_style style, unsigned file,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_logicalf(struct fixview *fv, enum screen_style style, unsigned file,
                         const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, clean = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	text_add_clean(&clean, sb.buf);
	add_logical(fv, style, file, clean.buf, clean.len);
	strbuf_release(&sb);
	strbuf_release(&clean);
}

/* The style of a line of a patch, by its first character, as git colours it. */
static enum screen_style patch_style(const char *line, size_t len)
{
	if (len >= 2 && line[0] == '@' && line[1] == '@')
		return STYLE_DIFF_HUNK;
	if (len && line[0] == '+')
		return STYLE_DIFF_ADD;
	if (len && line[0] == '-')
		return STYLE_DIFF_DEL;
	if (len && line[0] == '\\')
		return STYLE_DIM; /* "\ No newline at end of file" */
	return STYLE_NORMAL;
}

/*
 * Appends the line at *p of a patch as text_add_clean makes it safe (a tab
 * to the next multiple of 4, no carriage return, '?' for other control
 * characters), copying runs of plain bytes at once: a diff of tens of
 * thousands of lines is read in one pass. Advances *p past the line.
 */
static void append_clean_line(struct strbuf *sb, const char **p)
{
	const char *q = *p;
	size_t column = 0;
	for (;;) {
		const char *run = q;
		while ((unsigned char)*q >= 0x20 && *q != 0x7f)
			q++;
		strbuf_add(sb, run, (size_t)(q - run));
		column += (size_t)(q - run);
		if (!*q || *q == '\n')
			break;
		if (*q == '\t') {
			do
				strbuf_addch(sb, ' ');
			while (++column % 4);
		} else if (*q != '\r') {
			strbuf_addch(sb, '?');
			column++;
		}
		q++;
	}
	*p = *q ? q + 1 : q;
}

/* The lines of a patch, each styled by its first character. */
static void add_patch(struct fixview *fv, unsigned file, const char *patch)
{
	strbuf_grow(&fv->diff, strlen(patch) + 64);
	for (const char *p = patch; *p;) {
		size_t off = fv->diff.len;
		append_clean_line(&fv->diff, &p);
		push_logical(fv, patch_style(fv->diff.buf + off, fv->diff.len - off), file, off);
	}
}

static void add_file_header(struct fixview *fv, unsigned index, const struct fix_file_row *f)
{
	if (f->previous_path && strcmp(f->previous_path, f->path))
		add_logicalf(fv, STYLE_DIFF_FILE, index, "%s +%lld -%lld %s \u2192 %s", f->status,
		             at_least_0(f->additions), at_least_0(f->deletions), f->previous_path,
		             f->path);
	else
		add_logicalf(fv, STYLE_DIFF_FILE, index, "%s +%lld -%lld %s", f->status,
		             at_least_0(f->additions), at_least_0(f->deletions), f->path);
}

static int add_file(void *data, const struct fix_file_row *f, struct error *err)
{
	struct fixview *fv = data;
	xgrow((void **)&fv->files, &fv->files_alloc, fv->nfiles + 1, sizeof(*fv->files));
	unsigned index = (unsigned)fv->nfiles;
	struct file *file = &fv->files[fv->nfiles++];
	file->path = xstrdup(f->path ? f->path : "?");
	file->previous = dup_or_null(f->previous_path);
	file->status = xstrdup(f->status ? f->status : "changed");
	file->has_patch = f->has_patch && f->patch;
	file->additions = f->additions;
	file->deletions = f->deletions;
	file->header = fv->nlogical;
	add_file_header(fv, index, f);
	if (file->has_patch)
		add_patch(fv, index, f->patch);
	else
		add_logicalf(fv, STYLE_DIM, index,
		             "(no diff: GitHub sends none for a binary file or one too large to "
		             "show)");
	add_logical(fv, STYLE_NORMAL, index, "", 0);
	return 0;
}

/* Reads the files and patches of changes[i] and builds its diff; 0 or -1 after saying why. */
static int load_files(struct tui *ui, struct fixview *fv, size_t i)
{
	const struct change *c = &fv->changes[i];
	if (fv->files_of == c->id)
		return 0;
	forget_files(fv);
	struct error err;
	if (store_fix_files(ui->opt->store, c->id, add_file, fv, &err)) {
		forget_files(fv);
		display_status(ui, STYLE_ERROR, "cannot read the files: %s", err.msg);
		return -1;
	}
	fv->files_of = c->id;
	fv->change = i;
	measure_files(fv);
	return 0;
}

/* --- laying the diff out --- */

struct wrap_ctx {
	struct fixview *fv;
	size_t logical;
};

static void add_row(void *data, size_t off, size_t len)
{
	struct wrap_ctx *w = data;
	struct fixview *fv = w->fv;
	xgrow((void **)&fv->rows, &fv->rows_alloc, fv->nrows + 1, sizeof(*fv->rows));
	struct row *r = &fv->rows[fv->nrows++];
	r->off = fv->logical[w->logical].off + off;
	r->len = len;
	r->logical = w->logical;
}

/* Wraps the diff to width (when it changed), keeping the top row's line in view. */
static void lay_out(struct fixview *fv, int width)
{
	if (width < 10)
		width = 10;
	if (fv->width == width)
		return;
	size_t top_logical =
	        fv->nrows && fv->diff_top < fv->nrows ? fv->rows[fv->diff_top].logical : 0;
	fv->nrows = 0;
	for (size_t i = 0; i < fv->nlogical; i++) {
		struct wrap_ctx w = {fv, i};
		const struct logical *l = &fv->logical[i];
		/* A line of no more bytes than cells fits: no character takes more cells than
		 * bytes. */
		if (l->len <= (size_t)width)
			add_row(&w, 0, l->len);
		else
			text_wrap(fv->diff.buf + l->off, l->len, width, add_row, &w);
	}
	fv->width = width;
	fv->diff_top = 0;
	while (fv->diff_top + 1 < fv->nrows && fv->rows[fv->diff_top].logical < top_logical)
		fv->diff_top++;
}

/* The first row of logical line l. */
static size_t row_of_logical(const struct fixview *fv, size_t l)
{
	size_t lo = 0, hi = fv->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fv->rows[mid].logical < l)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --- the rows of the two lists --- */

static const char *or_else(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "pytorch/pytorch#88228" or "pytorch/pytorch@48b4aba" into sb. */
static void change_ref(const struct change *c, struct strbuf *sb)
{
	if (!strcmp(or_else(c->kind, ""), "pr"))
		strbuf_addf(sb, "%s#%lld", or_else(c->repo, "?"), (long long)c->number);
	else
		strbuf_addf(sb, "%s@%.7s", or_else(c->repo, "?"), or_else(c->sha, "?"));
}

/* "merged", "open", "closed", "commit", or "gone (404)". */
static void change_state(const struct change *c, char *buf, size_t size)
{
	if (c->status && !strcmp(c->status, "gone"))
		snprintf(buf, size, "gone %ld", c->http_status);
	else if (strcmp(or_else(c->kind, ""), "pr"))
		snprintf(buf, size, "commit");
	else if (c->merged > 0)
		snprintf(buf, size, "merged");
	else
		snprintf(buf, size, "%s", or_else(c->state, "?"));
}

static long long at_least_0(int64_t n)
{
	return n < 0 ? 0 : (long long)n;
}

/* "+120 -30, 12 files" of a change. */
static void change_counts(const struct change *c, char *buf, size_t size)
{
	snprintf(buf, size, "+%lld -%lld, %lld file%s", at_least_0(c->additions),
	         at_least_0(c->deletions), at_least_0(c->file_count),
	         c->file_count == 1 ? "" : "s");
}

/* "+12 -3" of a file, or "binary" when GitHub sent no diff and no counts. */
static void file_counts(const struct file *f, char *buf, size_t size)
{
	if (f->has_patch || f->additions > 0 || f->deletions > 0)
		snprintf(buf, size, "+%lld -%lld", at_least_0(f->additions),
		         at_least_0(f->deletions));
	else
		snprintf(buf, size, "binary");
}

/* The columns' widths, so that the lists line up like tig's main view. */
static void measure_changes(struct fixview *fv)
{
	fv->ref_w = fv->counts_w = 0;
	for (size_t i = 0; i < fv->nchanges; i++) {
		struct strbuf ref = STRBUF_INIT;
		char counts[96];
		change_ref(&fv->changes[i], &ref);
		change_counts(&fv->changes[i], counts, sizeof(counts));
		int w = text_width(ref.buf, ref.len), cw = (int)strlen(counts);
		fv->ref_w = w > fv->ref_w ? w : fv->ref_w;
		fv->counts_w = cw > fv->counts_w ? cw : fv->counts_w;
		strbuf_release(&ref);
	}
	if (fv->ref_w > 40)
		fv->ref_w = 40;
}

static void measure_files(struct fixview *fv)
{
	fv->file_counts_w = 0;
	for (size_t i = 0; i < fv->nfiles; i++) {
		char counts[64];
		file_counts(&fv->files[i], counts, sizeof(counts));
		int w = (int)strlen(counts);
		fv->file_counts_w = w > fv->file_counts_w ? w : fv->file_counts_w;
	}
}

/* Pads sb with spaces to width cells from start (no more than it holds). */
static void pad_to(struct strbuf *sb, size_t start, int width)
{
	int w = text_width(sb->buf + start, sb->len - start);
	while (w++ < width)
		strbuf_addch(sb, ' ');
}

static void change_line(const struct fixview *fv, const struct change *c, struct strbuf *sb)
{
	char state[32], counts[96];
	change_state(c, state, sizeof(state));
	change_counts(c, counts, sizeof(counts));
	strbuf_addf(sb, "%-6s  %-6s  ", or_else(c->role, "?"),
	            !strcmp(or_else(c->kind, ""), "pr") ? "PR" : "commit");
	size_t start = sb->len;
	change_ref(c, sb);
	pad_to(sb, start, fv->ref_w);
	strbuf_addf(sb, "  %-7s  %-*s  %s", state, fv->counts_w, counts, or_else(c->title, ""));
}

static void file_line(const struct fixview *fv, const struct file *f, struct strbuf *sb)
{
	char counts[64];
	file_counts(f, counts, sizeof(counts));
	strbuf_addf(sb, "%-8s  %*s  ", f->status, fv->file_counts_w, counts);
	if (f->previous && strcmp(f->previous, f->path))
		strbuf_addf(sb, "%s \u2192 %s", f->previous, f->path);
	else
		strbuf_adds(sb, f->path);
}

/* The text of row i of the level shown (borrowed until the next call); NULL past the end. */
static const char *level_line(struct fixview *fv, size_t i, size_t *len)
{
	if (fv->level == LEVEL_DIFF) {
		if (i >= fv->nrows)
			return NULL;
		*len = fv->rows[i].len;
		return fv->diff.buf + fv->rows[i].off;
	}
	strbuf_reset(&fv->line);
	if (fv->level == LEVEL_CHANGES && i < fv->nchanges)
		change_line(fv, &fv->changes[i], &fv->line);
	else if (fv->level == LEVEL_FILES && i < fv->nfiles)
		file_line(fv, &fv->files[i], &fv->line);
	else
		return NULL;
	struct strbuf clean = STRBUF_INIT;
	text_add_clean(&clean, fv->line.buf);
	strbuf_reset(&fv->line);
	strbuf_add(&fv->line, clean.buf, clean.len);
	strbuf_release(&clean);
	*len = fv->line.len;
	return fv->line.buf;
}

static size_t level_count(const struct fixview *fv)
{
	return fv->level == LEVEL_CHANGES ? fv->nchanges
	       : fv->level == LEVEL_FILES ? fv->nfiles
	                                  : fv->nrows;
}

/* --- drawing --- */

/* Draws text in style with every match of the search in the match style; returns cells used. */
static int draw_text(struct tui *ui, int y, int x, int w, enum screen_style style, const char *text,
                     size_t len)
{
	screen_style(style);
	int at = x;
	const char *p = text, *end = text + len, *m;
	size_t mlen = ui->search ? strlen(ui->search) : 0;
	while (mlen && p < end && (m = text_find(p, (size_t)(end - p), ui->search))) {
		at += screen_text(y, at, x + w - at, p, (size_t)(m - p));
		screen_style(STYLE_MATCH);
		at += screen_text(y, at, x + w - at, m, mlen);
		screen_style(style);
		p = m + mlen;
	}
	at += screen_text(y, at, x + w - at, p, (size_t)(end - p));
	return at - x;
}

static void draw_message(int y, int x, int w, enum screen_style style, const char *text)
{
	screen_style(style);
	screen_str(y, x + 1, w - 1, text);
}

/* What the view says when the issue has no change to show. */
static void draw_empty(struct tui *ui, struct fixview *fv, struct view *v)
{
	int y = v->y + 1;
	if (fv->error) {
		draw_message(y, v->x, v->w, STYLE_ERROR, "Cannot read the fixes:");
		draw_message(y + 1, v->x, v->w, STYLE_ERROR, fv->error);
		return;
	}
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "  issuemine fixes fetch --set %s", ui->opt->set_name);
	if (!fv->resolved) {
		draw_message(y, v->x, v->w, STYLE_NORMAL,
		             "No fixes fetched for this issue yet. They are fetched with:");
		draw_message(y + 2, v->x, v->w, STYLE_KEY, cmd);
		draw_message(
		        y + 4, v->x, v->w, STYLE_DIM,
		        "(the commits and pull requests its timeline names, with files and diffs)");
		return;
	}
	draw_message(y, v->x, v->w, STYLE_NORMAL,
	             "Fetched: the timeline of this issue names no pull request or commit.");
	if (fv->connected) {
		char note[200];
		snprintf(note, sizeof(note),
		         "It has %ld connected event%s: GitHub's REST API does not say which pull "
		         "request they link.",
		         fv->connected, fv->connected == 1 ? "" : "s");
		draw_message(y + 1, v->x, v->w, STYLE_DIM, note);
	}
}

static void draw_list(struct tui *ui, struct fixview *fv, struct view *v, size_t *cursor,
                      size_t *top)
{
	int h = v->h - 1;
	size_t n = level_count(fv);
	if (*cursor >= n)
		*cursor = n ? n - 1 : 0;
	if (*cursor < *top)
		*top = *cursor;
	if (h > 0 && *cursor >= *top + (size_t)h)
		*top = *cursor - (size_t)h + 1;
	for (int r = 0; r < h; r++) {
		size_t i = *top + (size_t)r, len;
		const char *text = level_line(fv, i, &len);
		if (!text)
			break;
		int selected = i == *cursor;
		enum screen_style style = selected ? STYLE_CURSOR : STYLE_NORMAL;
		if (!selected && fv->level == LEVEL_CHANGES &&
		    !strcmp(or_else(fv->changes[i].role, ""), "linked"))
			style = STYLE_DIM;
		screen_style(style);
		screen_fill(v->y + 1 + r, v->x, v->w);
		draw_text(ui, v->y + 1 + r, v->x + 1, v->w - 2, style, text, len);
	}
}

static void draw_diff(struct tui *ui, struct fixview *fv, struct view *v)
{
	int h = v->h - 1;
	lay_out(fv, v->w - 1);
	size_t last_top = fv->nrows > (size_t)h ? fv->nrows - (size_t)h : 0;
	if (fv->diff_top > last_top)
		fv->diff_top = last_top;
	for (int r = 0; r < h; r++) {
		size_t i = fv->diff_top + (size_t)r;
		if (i >= fv->nrows)
			break;
		const struct row *row = &fv->rows[i];
		enum screen_style style = (enum screen_style)fv->logical[row->logical].style;
		if (style == STYLE_DIFF_FILE) {
			screen_style(style);
			screen_fill(v->y + 1 + r, v->x, v->w);
		}
		draw_text(ui, v->y + 1 + r, v->x, v->w - 1, style, fv->diff.buf + row->off,
		          row->len);
	}
}

/*
 * The file shown: the one [, ] or Enter went to (near the end of the diff its
 * header cannot come to the top), else the one the top row belongs to.
 */
static size_t file_at_top(const struct fixview *fv)
{
	if (fv->diff_file < fv->nfiles)
		return fv->diff_file;
	return fv->diff_top < fv->nrows ? fv->logical[fv->rows[fv->diff_top].logical].file : 0;
}

static void header(struct tui *ui, struct fixview *fv, struct view *v)
{
	struct strbuf title = STRBUF_INIT;
	char right[96] = "";
	const struct label_issue *is = ui->issue;
	if (fv->level == LEVEL_CHANGES) {
		size_t fixes = 0;
		for (size_t i = 0; i < fv->nchanges; i++)
			fixes += !strcmp(or_else(fv->changes[i].role, ""), "fix");
		strbuf_addf(&title, "Fixes of %s#%lld", is ? is->repo : "?",
		            is ? (long long)is->number : 0LL);
		if (fv->nchanges)
			snprintf(right, sizeof(right), "%zu fix%s, %zu linked", fixes,
			         fixes == 1 ? "" : "es", fv->nchanges - fixes);
	} else {
		const struct change *c = &fv->changes[fv->change];
		change_ref(c, &title);
		strbuf_addf(&title, "  %s", or_else(c->title, ""));
		if (fv->level == LEVEL_FILES)
			snprintf(right, sizeof(right), "%zu file%s%s", fv->nfiles,
			         fv->nfiles == 1 ? "" : "s",
			         c->truncated ? " (GitHub stops at 3000)" : "");
		else if (fv->nfiles)
			snprintf(right, sizeof(right), "file %zu/%zu", file_at_top(fv) + 1,
			         fv->nfiles);
	}
	struct strbuf clean = STRBUF_INIT;
	text_add_clean(&clean, title.buf);
	display_rule(v->y, v->x, v->w, clean.buf, right[0] ? right : NULL);
	strbuf_release(&clean);
	strbuf_release(&title);
}

static void fixview_draw(struct tui *ui, struct view *v)
{
	struct fixview *fv = state_of(v);
	load_changes(ui, fv);
	if (v->h < 1)
		return;
	header(ui, fv, v);
	if (fv->level == LEVEL_CHANGES && !fv->nchanges)
		draw_empty(ui, fv, v);
	else if (fv->level == LEVEL_CHANGES)
		draw_list(ui, fv, v, &fv->change_cursor, &fv->change_top);
	else if (fv->level == LEVEL_FILES)
		draw_list(ui, fv, v, &fv->file_cursor, &fv->file_top);
	else
		draw_diff(ui, fv, v);
}

/* --- keys --- */

void fixview_open(struct tui *ui, struct view *v)
{
	struct fixview *fv = state_of(v);
	load_changes(ui, fv);
	v->matched = 0;
	ui->screen = TUI_SCREEN_FIXES;
}

static void close_view(struct tui *ui, struct view *v)
{
	v->matched = 0;
	ui->screen = TUI_SCREEN_ISSUE;
}

/* Enter on a change: its files, unless there is nothing to show. */
static void enter_change(struct tui *ui, struct fixview *fv)
{
	if (!fv->nchanges)
		return;
	const struct change *c = &fv->changes[fv->change_cursor];
	if (c->status && !strcmp(c->status, "gone")) {
		display_status(ui, STYLE_ERROR,
		               "this change is gone: GitHub answered %ld, nothing of it is stored",
		               c->http_status);
		return;
	}
	if (!c->files_stored) {
		display_status(ui, STYLE_NORMAL, "this change has no files stored");
		return;
	}
	if (!load_files(ui, fv, fv->change_cursor))
		fv->level = LEVEL_FILES;
}

/* Enter on a file: the diff, from that file's header. */
static void enter_file(struct fixview *fv, struct view *v)
{
	if (!fv->nfiles)
		return;
	fv->level = LEVEL_DIFF;
	lay_out(fv, v->w - 1);
	fv->diff_top = row_of_logical(fv, fv->files[fv->file_cursor].header);
	fv->diff_file = fv->file_cursor;
}

static void back(struct tui *ui, struct fixview *fv, struct view *v)
{
	v->matched = 0;
	if (fv->level == LEVEL_DIFF) {
		fv->file_cursor = file_at_top(fv);
		fv->level = LEVEL_FILES;
	} else if (fv->level == LEVEL_FILES) {
		fv->level = LEVEL_CHANGES;
	} else {
		close_view(ui, v);
	}
}

/* [ and ]: the previous or next file (the diff: its header at the top), or change. */
static void step_file(struct tui *ui, struct fixview *fv, struct view *v, int dir)
{
	v->matched = 0;
	if (fv->level == LEVEL_DIFF) {
		size_t f = file_at_top(fv);
		size_t header_row = fv->nfiles ? row_of_logical(fv, fv->files[f].header) : 0;
		int inside = dir < 0 && fv->diff_top > header_row; /* [: back to its header */
		if (!inside && dir < 0 && f == 0) {
			display_status(ui, STYLE_NORMAL, "this is the first file");
			return;
		}
		if (!inside && dir > 0 && f + 1 >= fv->nfiles) {
			display_status(ui, STYLE_NORMAL, "this is the last file");
			return;
		}
		if (!inside)
			f = dir > 0 ? f + 1 : f - 1;
		fv->diff_top = row_of_logical(fv, fv->files[f].header);
		fv->diff_file = f;
		return;
	}
	size_t *cursor = fv->level == LEVEL_FILES ? &fv->file_cursor : &fv->change_cursor;
	size_t n = level_count(fv);
	if (dir < 0 && *cursor > 0)
		(*cursor)--;
	else if (dir > 0 && *cursor + 1 < n)
		(*cursor)++;
}

/* o: the URL of the selected change (or of the issue when there is none). */
static void open_url(struct tui *ui, struct fixview *fv)
{
	const struct change *c = NULL;
	if (fv->level != LEVEL_CHANGES)
		c = &fv->changes[fv->change];
	else if (fv->nchanges)
		c = &fv->changes[fv->change_cursor];
	const char *url = c && c->url ? c->url : ui->issue ? ui->issue->html_url : NULL;
	display_open_url(ui, url);
}

static int move_in_level(struct fixview *fv, struct view *v, enum nav nav)
{
	int h = v->h > 1 ? v->h - 1 : 1;
	v->matched = 0; /* the next search starts from what is on screen */
	if (fv->level == LEVEL_DIFF) {
		fv->diff_top = display_scroll(nav, fv->diff_top, fv->nrows, h);
		fv->diff_file = SIZE_MAX;
	} else if (fv->level == LEVEL_FILES)
		fv->file_cursor = display_move(nav, fv->file_cursor, &fv->file_top, fv->nfiles, h);
	else
		fv->change_cursor =
		        display_move(nav, fv->change_cursor, &fv->change_top, fv->nchanges, h);
	return 1;
}

static int fixview_key(struct tui *ui, struct view *v, int key)
{
	struct fixview *fv = state_of(v);
	load_changes(ui, fv);
	switch (key) {
	case 'f':
		close_view(ui, v);
		return 1;
	case 'q':
	case 'h':
	case SCREEN_ESC:
	case SCREEN_KEY(KEY_LEFT):
	case SCREEN_BACKSPACE:
		back(ui, fv, v);
		return 1;
	case SCREEN_ENTER:
	case 'l':
	case SCREEN_KEY(KEY_RIGHT):
		if (fv->level == LEVEL_CHANGES)
			enter_change(ui, fv);
		else if (fv->level == LEVEL_FILES)
			enter_file(fv, v);
		return 1;
	case '[':
	case ']':
		step_file(ui, fv, v, key == ']' ? 1 : -1);
		return 1;
	case 'o':
		open_url(ui, fv);
		return 1;
	default:
		break;
	}
	enum nav nav = display_nav(key);
	return nav != NAV_NONE ? move_in_level(fv, v, nav) : 0;
}

/* --- search --- */

static size_t fixview_nlines(struct tui *ui, struct view *v)
{
	struct fixview *fv = state_of(v);
	if (fv->level == LEVEL_DIFF)
		lay_out(fv, v->w - 1);
	return level_count(fv);
}

static const char *fixview_line(struct tui *ui, struct view *v, size_t i, size_t *len)
{
	return level_line(state_of(v), i, len);
}

static void fixview_show_line(struct tui *ui, struct view *v, size_t i)
{
	struct fixview *fv = state_of(v);
	int h = v->h > 1 ? v->h - 1 : 1;
	if (fv->level == LEVEL_DIFF) {
		size_t last_top = fv->nrows > (size_t)h ? fv->nrows - (size_t)h : 0;
		fv->diff_top = i < last_top ? i : last_top;
		fv->diff_file = i < fv->nrows ? fv->logical[fv->rows[i].logical].file : SIZE_MAX;
	} else if (fv->level == LEVEL_FILES) {
		fv->file_cursor = i;
	} else {
		fv->change_cursor = i;
	}
}

static size_t fixview_position(struct tui *ui, struct view *v)
{
	struct fixview *fv = state_of(v);
	return fv->level == LEVEL_DIFF    ? fv->diff_top
	       : fv->level == LEVEL_FILES ? fv->file_cursor
	                                  : fv->change_cursor;
}

void fixview_describe_position(struct view *v, char *buf, size_t size)
{
	struct fixview *fv = state_of(v);
	size_t n = level_count(fv);
	if (fv->level != LEVEL_DIFF) {
		if (n)
			snprintf(buf, size, "%zu of %zu", fixview_position(NULL, v) + 1, n);
		else
			snprintf(buf, size, "no changes");
		return;
	}
	size_t h = v->h > 1 ? (size_t)v->h - 1 : 1, last = fv->diff_top + h;
	if (last > n)
		last = n;
	if (n <= h)
		snprintf(buf, size, "all %zu lines", n);
	else
		snprintf(buf, size, "lines %zu-%zu of %zu", fv->diff_top + 1, last, n);
}

const struct view_ops fixview_ops = {
        .name = "fixes",
        .draw = fixview_draw,
        .key = fixview_key,
        .nlines = fixview_nlines,
        .line = fixview_line,
        .show_line = fixview_show_line,
        .position = fixview_position,
        .hints = "Enter open  h/q back  [/] files  / search  o URL  1-9 code  f close  ? help",
};
