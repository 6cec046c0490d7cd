/*
 * screen.c - curses set-up and tear-down (see screen.h).
 */
#include "screen.h"

#include <curses.h>
#include <stdlib.h>
#include <unistd.h>

static int colour;

int screen_has_colour(void)
{
	return colour;
}

int screen_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	if (!initscr())
		return -1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	const char *no_color = getenv("NO_COLOR");
	colour = has_colors() && !(no_color && *no_color);
	if (colour) {
		start_color();
		use_default_colors(); /* keep the user's background: readable on dark and light */
	}
	return 0;
}

void screen_end(void)
{
	if (!isendwin())
		endwin();
}
