/*
 * picker.h - a list of choices, each with its own key, with the definition
 * of the highlighted one shown below: how raters pick a category.
 *
 * Each entry has a key shown next to its name (a letter for a category,
 * '0' for "none", 'A'/'B' for a rater's code when reconciling); pressing it
 * chooses at once. Up/Down (or j/k) move the highlight so the definition of
 * any entry can be read first, Enter chooses the highlighted one, Escape
 * (or q) closes the picker. The picker draws and reads keys; what a choice
 * means is up to its owner (panel.c).
 */
#ifndef ISSUEMINE_TUI_PICKER_H
#define ISSUEMINE_TUI_PICKER_H

#include <stddef.h>

struct picker_entry {
	int key;                /* 0 when the entry has no key */
	char *label;            /* owned */
	const char *definition; /* borrowed (the taxonomy); may be NULL */
	int more;               /* has sub-categories: marked with a '>' */
	int current;            /* the code chosen so far: marked "(current)" */
	int value;              /* the owner's meaning of the entry */
};

struct picker {
	int open;
	char *title;
	struct picker_entry *entries;
	size_t n, alloc;
	size_t highlight, top;
};

/* Empties p and opens it with a title (copied). */
void picker_reset(struct picker *p, const char *title);
void picker_add(struct picker *p, int key, const char *label, const char *definition, int more,
                int current, int value);
/* Closes p and frees its entries. */
void picker_close(struct picker *p);

/* The key of the i-th category: a-z without j, k and q (they move and quit), then capitals. */
int picker_letter(size_t i);

enum picker_result {
	PICKER_IGNORED,   /* not a picker key */
	PICKER_MOVED,     /* the highlight moved */
	PICKER_CHOSEN,    /* *chosen is the entry's index */
	PICKER_CANCELLED, /* Escape or q */
};

enum picker_result picker_key(struct picker *p, int key, size_t *chosen);

/* Rows the picker wants at width (title, entries, definition), at most avail. */
int picker_height(const struct picker *p, int width, int avail);

/* Draws p at (y, x) in h rows and w columns. */
void picker_draw(struct picker *p, int y, int x, int h, int w);

#endif
