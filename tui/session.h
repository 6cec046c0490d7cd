/*
 * session.h - the UI's data: the sample as the UI walks it, the issue on
 * screen with the codes it has, saving, undoing, and picking up what
 * changed elsewhere.
 *
 * Saving is what the UI must never get wrong: each change runs in its own
 * transaction (BEGIN IMMEDIATE ... COMMIT), and only after the commit are
 * the codes read back from the database and shown, so what the screen shows
 * as saved is on disk (SQLite's synchronous=FULL) and survives kill -9. No
 * statement or transaction stays open between keys, so another rater's UI
 * on the same database never waits for this one.
 *
 * Undo: every change made since the UI opened is kept (what was stored
 * before and after it), and 'u' writes the before back, the last change
 * first, as a change of its own (origin "undo" in code_log). A change is not
 * undone when what is stored is no longer what it wrote: another window, a
 * "code" or a "codes import" changed it since, and that is not overwritten.
 *
 * Live codes: before the screen is drawn, PRAGMA data_version tells whether
 * another connection committed; then this rater's codes are read again, in
 * the list and on the issue shown.
 *
 * Suggestions: when an issue is opened for labeling, what the taxonomy's
 * rules suggest from its fixes' changed files is worked out once per
 * dimension (tax_suggest.h); it depends on GitHub's data only.
 */
#ifndef ISSUEMINE_TUI_SESSION_H
#define ISSUEMINE_TUI_SESSION_H

#include "display.h"

/*
 * Reads the sample for the mode (label: every issue; reconcile: those with
 * disagreements, after copying agreed codes to the adjudicator) and picks
 * the issue to resume at. Returns 0 or -1 with err set.
 */
int session_load(struct tui *ui, struct error *err);
void session_release(struct tui *ui);

/* Loads issue index of the list with its codes; on failure says so in the status line. */
int session_open(struct tui *ui, size_t index);

/*
 * Saves the code of dimension dim on the current issue: cat with sub (may be
 * NULL), or, when cat is NULL, clears it. Returns 0, or -1 after showing why.
 */
int session_save_code(struct tui *ui, size_t dim, const struct tax_category *cat,
                      const struct tax_category *sub);

/*
 * Takes what the taxonomy's rules suggest for the current issue: in
 * dimension dim (even over a code), or, when dim is -1, in every dimension
 * not coded yet. One transaction, one undo; code_log says "suggestion".
 */
int session_accept_suggestions(struct tui *ui, int dim);

/* Saves the note on the current issue ("" removes it). */
int session_save_note(struct tui *ui, const char *note);

/* Excludes the current issue for reason with detail (may be NULL); reason NULL includes it. */
int session_save_exclusion(struct tui *ui, const struct tax_reason *reason, const char *detail);

/*
 * Reconcile: takes rater A's (which 'A') or B's decision on exclusion: their
 * exclusion, or, when they included the issue, no exclusion and their codes
 * where the adjudicator has none. One transaction, one undo.
 */
int session_take_decision(struct tui *ui, int which);

/* Undoes the last change not undone yet (see above); says what it did in the status line. */
int session_undo(struct tui *ui);

/* Reads this rater's codes again when another connection changed the database. */
void session_poll(struct tui *ui);

/*
 * The next (dir 1) or previous (dir -1) issue after from that is left to do,
 * in the list as shown (ui->shown) when from is in it, else in the whole
 * list, wrapping around; list.n if none.
 */
size_t session_unfinished(const struct tui *ui, size_t from, int dir);

/* The issue after (dir 1) or before (dir -1) from, in the same order, not wrapping; list.n if none.
 */
size_t session_step(const struct tui *ui, size_t from, int dir);

/*
 * Checks that nothing is left open in the database (a transaction, or a
 * statement not reset) before the UI waits for a key: either would block
 * another rater's UI. Resets what it finds and returns -1 after saying so
 * in the status line (a bug to fix, made visible to tests).
 */
int session_check_idle(struct tui *ui);

/* "37/100 coded" (with ", 3 excluded" when some are) or "3/12 resolved" into buf. */
void session_progress(const struct tui *ui, char *buf, size_t size);

#endif
