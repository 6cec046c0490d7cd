/*
 * tui.h - the labeling and reconciliation UI, as commands start it.
 *
 * "issuemine label" and "issuemine reconcile" open the store, read the
 * taxonomy and resolve the sample and raters, then hand over to tui_run(),
 * which shows the sample's issues until the user quits. Every code and
 * note is saved in its own transaction the moment it is chosen.
 *
 * For tests and benchmarks the UI also runs without a terminal:
 *
 *	ISSUEMINE_TUI_SCRIPT=FILE  read keystrokes from FILE instead of the
 *	                           keyboard, draw into memory, and print the
 *	                           final screen to standard output as text
 *	                           (see script.h for the format)
 *	ISSUEMINE_TUI_SIZE=COLSxROWS  the size of that screen (default 80x24)
 *	ISSUEMINE_TUI_TRACE=FILE   append a time-stamped line to FILE when the
 *	                           first screen is drawn and after each key
 *	                           (works with a terminal too)
 */
#ifndef ISSUEMINE_TUI_H
#define ISSUEMINE_TUI_H

#include <stdint.h>

#include "error.h"
#include "store.h"
#include "taxonomy.h"

enum tui_mode {
	TUI_LABEL,     /* a rater codes the sample, blind */
	TUI_RECONCILE, /* an adjudicator settles where two raters disagree */
};

struct tui_options {
	enum tui_mode mode;
	struct store *store;
	const struct taxonomy *tax;
	int64_t set_id;
	const char *set_name;
	int64_t rater_id; /* whose codes the UI writes: the rater, or the adjudicator */
	const char *rater;
	/* TUI_RECONCILE: the two raters whose codes are compared */
	int64_t rater_a, rater_b;
	const char *name_a, *name_b;
};

/*
 * Whether the UI can start: a keystroke script is set, or standard input
 * and output are a terminal. Commands check it before they write anything.
 */
int tui_check_terminal(struct error *err);

/*
 * Runs the UI until the user quits (or the keystroke script ends). Returns
 * 0, or -1 with err set when it cannot start: no terminal, a bad keystroke
 * script, an empty sample or a database error while reading the sample.
 * Errors while running (a save that failed) are shown on the screen.
 */
int tui_run(const struct tui_options *o, struct error *err);

#endif
