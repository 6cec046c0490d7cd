/*
 * display.h - what the views of the UI share: the session state, the view
 * ops table, and the display code that lays views out, routes keys and
 * draws the title bar, the status line and prompts.
 *
 * In the manner of tig, each view lives in its own file (list.c, reader.c,
 * panel.c, help.c, reconcile.c, fixview.c) and exports a table of operations that the
 * display code calls: draw itself in its rectangle, handle a key, say how
 * many rows it wants, give a line's text for searching. The screen shows
 * the title bar (row 0), a body, and the status line (last row). The body
 * holds the issue list (with a picker below it while a filter or an order is
 * chosen); or the issue reader with the coding panel (or, when reconciling,
 * the reconcile panel) below it; or, in the reader's place, the fix view
 * (the issue's fixes, their files and diffs); or the help.
 */
#ifndef ISSUEMINE_TUI_DISPLAY_H
#define ISSUEMINE_TUI_DISPLAY_H

#include <stddef.h>

#include "codes.h"
#include "labeling.h"
#include "picker.h"
#include "reconcile.h"
#include "screen.h"
#include "strbuf.h"
#include "tax_suggest.h"
#include "tui.h"

struct tui;
struct view;

struct view_ops {
	const char *name;
	/* Draws the view in its rectangle (v->y, v->x, v->h, v->w). */
	void (*draw)(struct tui *ui, struct view *v);
	/* Handles a key; returns 1 when it did, 0 to let the display try it. */
	int (*key)(struct tui *ui, struct view *v, int key);
	/* For a view shown below another: the rows it wants out of avail. */
	int (*height)(struct tui *ui, struct view *v, int avail);
	/* For searchable views: how many lines there are to search. */
	size_t (*nlines)(struct tui *ui, struct view *v);
	/* For searchable views: line i's text (borrowed until the next call); NULL past the end. */
	const char *(*line)(struct tui *ui, struct view *v, size_t i, size_t *len);
	/* For searchable views: show line i (select it, or scroll to it). */
	void (*show_line)(struct tui *ui, struct view *v, size_t i);
	/* The first line a search starts after. */
	size_t (*position)(struct tui *ui, struct view *v);
	/* For views whose lines stand for more than their text: whether line i matches. */
	int (*matches)(struct tui *ui, struct view *v, size_t i, const char *pattern);
	/* Keys worth knowing, for the status line. */
	const char *hints;
};

struct view {
	const struct view_ops *ops;
	int y, x, h, w; /* where it was last laid out */
	size_t top;     /* first line shown */
	size_t cursor;  /* the selected line, in views that have one */
	size_t match;   /* the line of the last search match, when matched is set */
	int matched;
	void *data; /* the view's own state, owned by its file */
};

enum tui_screen {
	TUI_SCREEN_LIST,  /* the sample's issues */
	TUI_SCREEN_ISSUE, /* one issue and the codes */
	TUI_SCREEN_FIXES, /* the issue's fixes (fix view) and the codes */
};

/* An input line in the status row (search, note). */
struct prompt {
	int active;
	const char *label; /* "/", "Note: " */
	struct strbuf text;
	void (*done)(struct tui *ui, const char *text); /* on Enter */
	int multiline;              /* C-o starts a new line (shown as a return sign) */
	const char *cancel_message; /* what Escape says; "cancelled" when NULL */
};

/* What the open picker chooses. */
enum pick_kind {
	PICK_CODE,         /* a dimension's category (then, perhaps, a sub-category) */
	PICK_EXCLUSION,    /* an exclusion reason */
	PICK_FILTER,       /* the list: what to filter by */
	PICK_FILTER_VALUE, /* the list: the value of that filter */
	PICK_SORT,         /* the list: its order */
};

/* The choice in progress: which picker is open, and at what stage. */
struct pick {
	struct picker picker;
	enum pick_kind kind;
	size_t dim;                     /* PICK_CODE: index into the taxonomy's dimensions */
	const struct tax_category *cat; /* picking a sub-category of cat, or NULL */
	int filter;                     /* PICK_FILTER_VALUE: which filter (list.c) */
};

/* One change made in this UI, to undo (session.c). */
enum undo_kind { UNDO_CODE, UNDO_NOTE, UNDO_EXCLUSION };

struct undo_entry {
	enum undo_kind kind;
	unsigned group; /* entries of one group are undone together */
	int64_t issue_id;
	size_t dim; /* UNDO_CODE */
	struct tax_code before, after;
	const struct tax_reason *reason_before, *reason_after; /* UNDO_EXCLUSION */
	char *text_before, *text_after; /* the note, or the exclusion's free text (owned) */
};

struct tui {
	const struct tui_options *opt;
	const struct taxonomy *tax;
	struct label_list list; /* the issues walked (reconcile: those with disagreements) */
	size_t current;         /* the issue shown in the reader (index into list) */

	/* The list as shown: indices into list, filtered and sorted (list.c). */
	size_t *shown;
	size_t nshown;

	/* The current issue, loaded when first shown. */
	struct label_issue *issue;
	struct tax_code *codes; /* this rater's code per dimension; .cat NULL when none */
	char *note;
	struct exclusion exclusion; /* this rater's; reason NULL when the issue is included */
	/* Reconcile only: both raters' codes, notes and exclusions on the current issue. */
	struct tax_code *codes_a, *codes_b;
	double *conf_a, *conf_b; /* an external rater's confidence per code; < 0: none */
	char *note_a, *note_b;
	struct exclusion exclusion_a, exclusion_b;
	struct recon_list recon;
	/* Labeling: what the taxonomy's rules suggest for the current issue, per dimension. */
	struct suggestion *suggest;

	/* The changes made since the UI opened, the last one last (session.c). */
	struct undo_entry *undo;
	size_t nundo, undo_alloc;
	unsigned undo_group;
	int64_t data_version; /* PRAGMA data_version when the codes were last read */

	enum tui_screen screen;
	int help; /* the help is shown over the screen */
	struct view list_view, reader_view, panel_view, help_view, fix_view;
	struct pick pick;

	struct prompt prompt;
	struct strbuf status; /* a message for the status line, until the next key */
	enum screen_style status_style;
	char *search; /* the last search pattern, or NULL */
	int rows, cols;
	int quit;
};

/* Sets the status line's message (cleared by the next key). */
void display_status(struct tui *ui, enum screen_style style, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * picker_key on ui's open picker, for the views that open one: a key it
 * does not know is answered in the status line.
 */
enum picker_result display_picker_key(struct tui *ui, int key, size_t *chosen);

/* Opens an input line in the status row; done gets the text on Enter (Escape cancels). */
void display_prompt(struct tui *ui, const char *label, const char *initial,
                    void (*done)(struct tui *ui, const char *text));

/* Movement keys shared by the views. */
enum nav {
	NAV_NONE,
	NAV_DOWN,
	NAV_UP,
	NAV_PAGE_DOWN,
	NAV_PAGE_UP,
	NAV_HALF_DOWN,
	NAV_HALF_UP,
	NAV_TOP,
	NAV_BOTTOM,
};
enum nav display_nav(int key);

/* The new first line after moving by nav in a view of h rows over n lines. */
size_t display_scroll(enum nav nav, size_t top, size_t n, int h);
/* The new selected line after moving by nav; keeps *top so that it stays visible. */
size_t display_move(enum nav nav, size_t cursor, size_t *top, size_t n, int h);

/* Draws "── title ──────" across a row, with right-aligned text (may be NULL). */
void display_rule(int y, int x, int w, const char *title, const char *right);

/* Shows issue index of the list in the reader (loading it), on the issue screen. */
void display_open_issue(struct tui *ui, size_t index);

/*
 * Shows url in the status line and opens it with $BROWSER when that is set
 * (the screen is given to the browser meanwhile, as for $EDITOR).
 */
void display_open_url(struct tui *ui, const char *url);

/* "lines 12-28 of 340" of what is shown in the reader's place (the reader or the fix view). */
void display_describe_position(struct tui *ui, char *buf, size_t size);

/* Suspends the screen for a program that takes over the terminal ($EDITOR), and back. */
void display_pause(struct tui *ui);
void display_resume(struct tui *ui);

/* The views (one file each). */
extern const struct view_ops list_ops;
extern const struct view_ops reader_ops;
extern const struct view_ops panel_ops;
extern const struct view_ops help_ops;
extern const struct view_ops reconcile_ops;
extern const struct view_ops fixview_ops;

/* reader.c: builds the reader's text for the current issue. */
void reader_set_issue(struct tui *ui, struct view *v);
/* Builds it again (the codes, notes or exclusion changed), keeping what is on screen. */
void reader_refresh(struct tui *ui, struct view *v);
/* "lines 12-28 of 340" into buf. */
void reader_describe_position(struct view *v, char *buf, size_t size);
void reader_free(struct view *v);
/* fixview.c: opens the fix view of the current issue (TUI_SCREEN_FIXES), at its changes. */
void fixview_open(struct tui *ui, struct view *v);
/* "lines 1-20 of 20000" in the diff, "3 of 12" in the lists. */
void fixview_describe_position(struct view *v, char *buf, size_t size);
void fixview_free(struct view *v);
/* list.c: its state, and the list as shown (ui->shown): filtered and sorted. */
void list_free(struct view *v);
/* Applies the filter and the order again (after codes changed); keeps the selection. */
void list_rebuild(struct tui *ui);
/* The row of list index index in ui->shown, or ui->nshown when it is filtered out. */
size_t list_row_of(const struct tui *ui, size_t index);
/* Selects list index index in the list (when shown). */
void list_select(struct tui *ui, size_t index);

/* panel.c: the pickers that both panels use (reconcile adds the raters' codes). */
void panel_pick_dimension(struct tui *ui, size_t dim);
int panel_pick_key(struct tui *ui, int key); /* 1 when the open picker took the key */
int panel_pick_height(struct tui *ui, int width, int avail);
void panel_pick_draw(struct tui *ui, struct view *v);
/* The dimension whose key is key ('1'...'9'), or -1. */
int panel_dimension_key(const struct tui *ui, int key);
/* The prompt for the note (in the status line), or $VISUAL/$EDITOR (editor.c). */
void panel_edit_note(struct tui *ui);
void panel_edit_note_in_editor(struct tui *ui);
/* The exclusion reasons' picker (x). */
void panel_pick_exclusion(struct tui *ui);
/* The coding keys (1-9, the open picker's keys, e, E, x); the view_ops key of both panels. */
int panel_key(struct tui *ui, struct view *v, int key);
/* A note as one line: its first line, and "(+N lines)" when there are more. */
void panel_note_line(const char *note, char *buf, size_t size);
/*
 * reconcile.c: a rater's code as the reconcile panel and its pickers show
 * it, with the confidence conf (< 0: none) an external rater's answer gave
 * it: "Export (35% sure)"; "(none)" when there is no code.
 */
void reconcile_code_text(const struct tax_code *c, double conf, char *buf, size_t size);

#endif
