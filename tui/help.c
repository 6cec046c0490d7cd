/*
 * help.c - the help view: every key, shown over the screen by '?'.
 *
 * The text is the same list the manual gives (issuemine.1, label and
 * reconcile), so a rater never needs to leave the UI to find a key.
 */
#include "display.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

static const char *const keys[] = {
        "#Anywhere",
        "?                 this help (q, Esc or ? closes it)",
        "q, C-c            quit (everything is saved already)",
        "C-z               suspend (fg in the shell comes back)",
        "Tab               switch between the issue list and the issue",
        "] / [             next / previous issue left to do (in the list as shown)",
        "/                 search (list: titles, bodies, your notes; issue: its text)",
        "n / N             next / previous match",
        "u                 undo your last change (again: the one before, back to",
        "                  when the UI opened); an undo is saved as a change too",
        "C-l               redraw the screen (codes changed elsewhere show anyway)",
        "",
        "#Moving in the list and in the issue",
        "j, Down           down one line",
        "k, Up             up one line",
        "Space, C-f        down one page (also PgDown; f too, in the list)",
        "b, C-b            up one page (also PgUp)",
        "C-d / C-u         down / up half a page",
        "g, Home           to the top",
        "G, End            to the bottom",
        "",
        "#The issue list",
        "Enter, l, Right   open the selected issue",
        "F                 filter: by status, repository or a dimension's code;",
        "                  t to do, x excluded, 0 every issue again",
        "o                 order: sample, issue, status, title or a code (the",
        "                  same again: reversed)",
        "                  Columns: your status, your code per dimension (keys;",
        "                  an excluded issue shows its reason), issue, title.",
        "",
        "#The issue",
        "h, Left           previous issue (in the list as shown)",
        "l, Right          next issue",
        "1-9               code that dimension: shows its categories",
        "x                 exclude the issue (not a failure...): pick a reason,",
        "                  then a line of why (Enter keeps it); 0 includes it",
        "e                 edit the note here (Enter saves, Esc cancels, C-o",
        "                  starts a new line)",
        "E                 edit the note in $VISUAL or $EDITOR (as git commit)",
        "s                 accept what the taxonomy's rules suggest (shown after a",
        "                  dimension's code: the category, and how many changed",
        "                  files match which globs) in every dimension not coded",
        "                  yet; in a dimension's list, = takes it even over a code",
        "f                 the fix view: the fixes and linked changes of the issue",
        "o                 show the issue's URL; open it with $BROWSER if set",
        "",
        "#The fix view (in the issue's place; 1-9, s, x, e still code)",
        "j/k, Space, b...  move, page, as in the issue",
        "Enter, l, Right   open: a change's files, then a file's diff",
        "h, Left, q, Esc   back: from the diff to the files to the changes,",
        "                  then to the issue (f too, from anywhere)",
        "] / [             next / previous file (the diff: its header)",
        "/, n, N           search the changes, the files or the diff",
        "o                 show the selected change's URL; open it with $BROWSER",
        "                  Changes: fix or linked, PR or commit, merged or not,",
        "                  +/- lines and files. Diffs: hunks (@@), + and - lines",
        "                  in colour (plain with $NO_COLOR), long lines wrapped.",
        "",
        "#Picking a category",
        "a, b, c...        choose the category with that key: saved at once",
        "=                 the suggested category (its evidence is shown below)",
        "0                 no code (clears it); for a sub-category: none",
        "j/k, Up/Down      move the highlight, to read a definition",
        "Enter             choose the highlighted one",
        "Esc, q            close the list",
        "                  A category marked '>' has sub-categories: a third",
        "                  key picks one (an optional one may be left out).",
        "",
        "#Typing a search or a note",
        "Enter             accept",
        "Esc               cancel",
        "Backspace         delete a character (C-u: the whole line)",
        "C-o               a new line (notes)",
};

static const char *const reconcile_keys[] = {
        "",
        "#Reconciling",
        "A / B             in the category list: take the first or the",
        "                  second rater's code as it is; in the exclusion",
        "                  list (x): their decision (excluded, or included",
        "                  with their codes)",
        "                  Blind coding ends here: both raters' codes are",
        "                  shown. Where they agreed, the adjudicator was",
        "                  given their code when reconcile started.",
};

#define NKEYS      (sizeof(keys) / sizeof(keys[0]))
#define NRECONCILE (sizeof(reconcile_keys) / sizeof(reconcile_keys[0]))

static size_t help_lines(const struct tui *ui)
{
	return NKEYS + (ui->opt->mode == TUI_RECONCILE ? NRECONCILE : 0);
}

static const char *help_text(const struct tui *ui, size_t i)
{
	return i < NKEYS ? keys[i] : reconcile_keys[i - NKEYS];
}

static void help_draw(struct tui *ui, struct view *v)
{
	size_t n = help_lines(ui);
	if (v->top + (size_t)v->h > n)
		v->top = n > (size_t)v->h ? n - (size_t)v->h : 0;
	for (int row = 0; row < v->h && v->top + (size_t)row < n; row++) {
		const char *text = help_text(ui, v->top + (size_t)row);
		int heading = text[0] == '#';
		screen_style(heading ? STYLE_HEADING : STYLE_NORMAL);
		screen_str(v->y + row, v->x + (heading ? 1 : 3), v->w - (heading ? 1 : 3),
		           text + heading);
	}
}

static int help_key(struct tui *ui, struct view *v, int key)
{
	if (key == 'q' || key == SCREEN_ESC || key == '?') {
		ui->help = 0;
		return 1;
	}
	enum nav nav = display_nav(key);
	if (nav != NAV_NONE)
		v->top = display_scroll(nav, v->top, help_lines(ui), v->h);
	return 1; /* the help is modal: other keys do nothing */
}

const struct view_ops help_ops = {
        .name = "help",
        .draw = help_draw,
        .key = help_key,
        .hints = "j/k scroll  q, Esc or ? close",
};
