/*
 * screen.h - starting and ending the curses screen for issuemine's UIs.
 *
 * The only place that knows the terminal set-up: UTF-8 (the locale is set in
 * main), raw keys, no echo, and colours unless $NO_COLOR is set (any value,
 * see no-color.org).
 */
#ifndef ISSUEMINE_TUI_SCREEN_H
#define ISSUEMINE_TUI_SCREEN_H

/* Starts curses; returns 0, or -1 when standard input/output is not a terminal. */
int screen_start(void);
void screen_end(void);

/* True when colours are in use (a colour terminal and no $NO_COLOR). */
int screen_has_colour(void);

#endif
