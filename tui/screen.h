/*
 * screen.h - the curses screen of issuemine's UIs: starting and ending it,
 * styles, drawing UTF-8 text into a given number of cells, and reading the
 * screen back as text.
 *
 * The only place that knows the terminal set-up: UTF-8 (the locale is set in
 * main), raw keys, no echo, and colours unless $NO_COLOR is set to a
 * non-empty value (see no-color.org). Colours keep the terminal's own
 * background and use only attributes (bold, reverse, underline) and a few
 * foreground colours that read well on dark and light backgrounds.
 *
 * A headless screen (for keystroke scripts in tests and benchmarks) draws
 * into memory: curses writes its output to /dev/null and never reads the
 * keyboard, and screen_dump() prints what a terminal would show.
 */
#ifndef ISSUEMINE_TUI_SCREEN_H
#define ISSUEMINE_TUI_SCREEN_H

#include <stddef.h>
#include <stdio.h>

/*
 * Starts curses on the terminal; returns 0, or -1 when standard input/output
 * is not a terminal or curses does not know the terminal type ($TERM).
 */
int screen_start(void);
/* Starts a screen of rows x cols in memory, with no terminal; returns 0 or -1. */
int screen_start_headless(int rows, int cols);
void screen_end(void);

/* True when colours are in use (a colour terminal and no $NO_COLOR). */
int screen_has_colour(void);

/* True for a headless screen (keystroke scripts). */
int screen_is_headless(void);

/* Gives the terminal back (for an editor), and takes it again; nothing when headless. */
void screen_pause(void);
void screen_resume(void);

/* The screen's size, and changing it (headless, or after the terminal changed). */
void screen_size(int *rows, int *cols);
void screen_resize(int rows, int cols);

enum screen_style {
	STYLE_NORMAL,
	STYLE_TITLE,     /* the title bar */
	STYLE_STATUS,    /* the status line */
	STYLE_ERROR,     /* a failure in the status line */
	STYLE_SAVED,     /* "saved" in the status line, done issues */
	STYLE_CURSOR,    /* the selected line */
	STYLE_HEADING,   /* section headings of the reader */
	STYLE_META,      /* authors, dates, states */
	STYLE_KEY,       /* a key the user can press */
	STYLE_MATCH,     /* a search match */
	STYLE_PARTIAL,   /* partly coded issues */
	STYLE_DIM,       /* "(none)", hints */
	STYLE_DIFFER,    /* codes that differ (reconcile) */
	STYLE_DIFF_ADD,  /* an added line of a diff */
	STYLE_DIFF_DEL,  /* a removed line */
	STYLE_DIFF_HUNK, /* a hunk header (@@ -1,2 +1,3 @@) */
	STYLE_DIFF_FILE, /* a file's header line */
	STYLE_COUNT,
};

/* Draws from now on in style (until the next call). */
void screen_style(enum screen_style style);

/* Clears the whole screen (in the normal style). */
void screen_clear(void);

/*
 * Draws s (UTF-8, len bytes, no newlines) at row y, column x, in at most
 * width cells, in the current style; returns the cells used. Wide characters
 * that would cross the edge are left out.
 */
int screen_text(int y, int x, int width, const char *s, size_t len);
/* screen_text of a NUL-terminated string. */
int screen_str(int y, int x, int width, const char *s);
/* Fills width cells at (y, x) with spaces in the current style. */
void screen_fill(int y, int x, int width);

/* Sends what was drawn to the terminal. */
void screen_update(void);
/* Suspends the process as C-z does in a shell (not when headless). */
void screen_suspend(void);
/* Makes the next update repaint the whole terminal (Control-L). */
void screen_repaint(void);

/* Writes every row of the screen as UTF-8 text, trailing blanks removed. */
void screen_dump(FILE *out);

/*
 * Keys: a character is its Unicode code point; Enter is '\n', Escape 27,
 * Backspace 127, Tab '\t'; any other key is SCREEN_KEY(curses KEY_ code),
 * so that function keys never collide with characters.
 */
#define SCREEN_KEY(k)    (0x200000 + (k))
#define SCREEN_ENTER     '\n'
#define SCREEN_ESC       27
#define SCREEN_BACKSPACE 127
#define SCREEN_TAB       '\t'

/* Reads one key from the terminal, waiting. Returns -1 when input ended. */
int screen_read_key(void);

/* What screen_read_key_within returns when no key came in time. */
#define SCREEN_IDLE SCREEN_KEY(0x1fffff)

/* screen_read_key, but SCREEN_IDLE after ms milliseconds without a key. */
int screen_read_key_within(int ms);

#endif
