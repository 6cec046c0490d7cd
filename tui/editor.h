/*
 * editor.h - editing a text in the user's editor, as git commit does.
 *
 * The text goes into a temporary file, followed by a scissors line and a
 * few lines saying what the text is for; $VISUAL (else $EDITOR, else vi)
 * runs on it through the shell, so "code --wait" or "emacs -nw" work as
 * they do for git. When it exits successfully, the file up to the scissors
 * line is the new text, trailing blank lines and spaces removed; the rest,
 * and the file, are thrown away. An editor that is ":" leaves the text as
 * it was. No curses here: the caller suspends and restores the screen.
 */
#ifndef ISSUEMINE_TUI_EDITOR_H
#define ISSUEMINE_TUI_EDITOR_H

#include "error.h"

/* The line after which the file is ignored (git's, so editors' syntax files know it). */
#define EDITOR_SCISSORS "# ------------------------ >8 ------------------------"

/* The editor command: $VISUAL, else $EDITOR, else "vi". */
const char *editor_command(void);

/*
 * Edits text (may be NULL) with about (lines shown below the scissors) in
 * the editor; *out gets the result (caller frees; "" when emptied). When
 * quiet is set the editor's standard input and output are /dev/null (no
 * terminal: tests). Returns 0, 1 when the editor is ":" (nothing edited,
 * *out NULL), or -1 with err set (the editor failed: nothing changes).
 */
int editor_edit(const char *text, const char *about, int quiet, char **out, struct error *err);

#endif
