/*
 * screen.c - curses set-up and tear-down, styles, UTF-8 drawing and screen
 * dumps (see screen.h).
 */
#include "screen.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

static int colour;
static SCREEN *term; /* the screen in use: the terminal's, or a headless one */
static int headless; /* term draws into memory */
static FILE *headless_out, *headless_in;
static attr_t styles[STYLE_COUNT];

int screen_has_colour(void)
{
	return colour;
}

int screen_is_headless(void)
{
	return headless;
}

void screen_pause(void)
{
	if (headless || !term)
		return;
	def_prog_mode();
	endwin();
}

void screen_resume(void)
{
	if (headless || !term)
		return;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

/* Foreground colours only, on the terminal's own background (-1). */
static attr_t pair(short n, short fg, attr_t extra)
{
	init_pair(n, fg, -1);
	return COLOR_PAIR(n) | extra;
}

static void init_styles(void)
{
	for (int i = 0; i < STYLE_COUNT; i++)
		styles[i] = A_NORMAL;
	styles[STYLE_TITLE] = A_REVERSE | A_BOLD;
	styles[STYLE_CURSOR] = A_REVERSE;
	styles[STYLE_HEADING] = A_BOLD;
	styles[STYLE_KEY] = A_BOLD;
	styles[STYLE_MATCH] = A_REVERSE | A_UNDERLINE;
	styles[STYLE_DIM] = A_DIM;
	styles[STYLE_ERROR] = A_BOLD;
	styles[STYLE_DIFFER] = A_BOLD;
	styles[STYLE_DIFF_FILE] = A_BOLD;
	if (!colour)
		return; /* a diff without colour is plain text: its '+' and '-' say it all */
	styles[STYLE_ERROR] = pair(1, COLOR_RED, A_BOLD);
	styles[STYLE_SAVED] = pair(2, COLOR_GREEN, A_NORMAL);
	styles[STYLE_META] = pair(3, COLOR_MAGENTA, A_NORMAL);
	styles[STYLE_PARTIAL] = pair(4, COLOR_BLUE, A_BOLD);
	styles[STYLE_DIFFER] = pair(5, COLOR_RED, A_NORMAL);
	/* git's and tig's diff colours */
	styles[STYLE_DIFF_ADD] = pair(6, COLOR_GREEN, A_NORMAL);
	styles[STYLE_DIFF_DEL] = pair(7, COLOR_RED, A_NORMAL);
	styles[STYLE_DIFF_HUNK] = pair(8, COLOR_CYAN, A_NORMAL);
	styles[STYLE_DIFF_FILE] = pair(9, COLOR_YELLOW, A_BOLD);
}

static void set_modes(void)
{
	raw(); /* C-c and C-z arrive as keys: the UI quits or suspends cleanly, never mid-screen */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25); /* Escape cancels at once; terminals send sequences faster */
	const char *no_color = getenv("NO_COLOR");
	colour = has_colors() && !(no_color && *no_color);
	if (colour) {
		start_color();
		use_default_colors(); /* keep the user's background: readable on dark and light */
	}
	init_styles();
	text_init();
}

int screen_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	/*
	 * Ask terminfo first: when $TERM is unknown, initscr prints its own
	 * message and exits, and newterm leaks its half-made screen.
	 */
	int errret; /* given, so that setupterm returns rather than exits */
	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK)
		return -1;
	del_curterm(cur_term);
	term = newterm(NULL, stdout, stdin);
	if (!term)
		return -1;
	set_term(term);
	set_modes();
	return 0;
}

int screen_start_headless(int rows, int cols)
{
	static const char *const terms[] = {"xterm-256color", "xterm", "vt100", "dumb"};
	headless_out = fopen("/dev/null", "w");
	headless_in = fopen("/dev/null", "r");
	if (!headless_out || !headless_in) {
		screen_end();
		return -1;
	}
	for (size_t i = 0; !term && i < sizeof(terms) / sizeof(terms[0]); i++)
		term = newterm(terms[i], headless_out, headless_in);
	if (!term) {
		screen_end();
		return -1;
	}
	headless = 1;
	set_term(term);
	set_modes();
	screen_resize(rows, cols);
	return 0;
}

void screen_end(void)
{
	if (term) {
		if (!isendwin())
			endwin();
		delscreen(term);
		term = NULL;
	}
	headless = 0;
	if (headless_out)
		fclose(headless_out);
	if (headless_in)
		fclose(headless_in);
	headless_out = headless_in = NULL;
}

void screen_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void screen_resize(int rows, int cols)
{
	resizeterm(rows, cols);
}

void screen_style(enum screen_style style)
{
	attrset(styles[style]);
}

void screen_clear(void)
{
	attrset(A_NORMAL);
	erase();
}

int screen_text(int y, int x, int width, const char *s, size_t len)
{
	wchar_t small[256], *buf = small;
	if (width <= 0)
		return 0;
	if (len + 1 > sizeof(small) / sizeof(small[0]))
		buf = xmalloc((len + 1) * sizeof(*buf));
	size_t n = 0, i = 0;
	int used = 0;
	while (i < len) {
		uint32_t c = text_shown(text_next(s, len, &i));
		int w = text_char_width(c);
		if (used + w > width)
			break;
		if (w == 0 && n == 0) /* a combining mark needs a character to sit on */
			continue;
		buf[n++] = (wchar_t)c;
		used += w;
	}
	if (n)
		mvaddnwstr(y, x, buf, (int)n);
	if (buf != small)
		free(buf);
	return used;
}

int screen_str(int y, int x, int width, const char *s)
{
	return screen_text(y, x, width, s, strlen(s));
}

void screen_fill(int y, int x, int width)
{
	if (width > 0)
		mvhline(y, x, ' ', width);
}

void screen_update(void)
{
	refresh();
}

void screen_suspend(void)
{
	if (!headless)
		raise(SIGTSTP); /* curses' own handler restores the terminal, and the screen after
		                 */
}

void screen_repaint(void)
{
	clearok(curscr, TRUE);
}

void screen_dump(FILE *out)
{
	int rows, cols;
	screen_size(&rows, &cols);
	size_t size = (size_t)cols * CCHARW_MAX + 1;
	wchar_t *line = xmalloc(size * sizeof(*line));
	struct strbuf sb = STRBUF_INIT;
	for (int y = 0; y < rows; y++) {
		strbuf_reset(&sb);
		if (mvinnwstr(y, 0, line, (int)size - 1) != ERR)
			for (size_t i = 0; line[i]; i++)
				text_add_utf8(&sb, (uint32_t)line[i]);
		strbuf_rtrim(&sb);
		fprintf(out, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
	free(line);
}

/* A key read (rc, wc from get_wch) in the form screen.h gives keys. */
static int key_of(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return SCREEN_ENTER;
		if (wc == KEY_BACKSPACE)
			return SCREEN_BACKSPACE;
		return SCREEN_KEY((int)wc);
	}
	if (wc == '\r')
		return SCREEN_ENTER;
	if (wc == 8)
		return SCREEN_BACKSPACE;
	return (int)wc;
}

int screen_read_key(void)
{
	wint_t wc;
	timeout(-1);
	int rc = get_wch(&wc);
	return rc == ERR ? -1 : key_of(rc, wc);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

int screen_read_key_within(int ms)
{
	wint_t wc;
	double start = now_ms();
	timeout(ms);
	int rc = get_wch(&wc);
	timeout(-1);
	if (rc != ERR)
		return key_of(rc, wc);
	/*
	 * No key in time, or no more input: a terminal that went away says so,
	 * and input at its end answers at once instead of waiting.
	 */
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	if (poll(&pfd, 1, 0) > 0 &&
	    ((pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) || now_ms() - start < ms / 2.0))
		return -1;
	return SCREEN_IDLE;
}
