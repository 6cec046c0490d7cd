/*
 * text.h - UTF-8 text as the terminal shows it: characters, cell widths,
 * fitting and wrapping.
 *
 * Issue bodies come from anyone: CJK, emoji, combining accents, tabs, stray
 * control characters and broken UTF-8. Everything the UI draws goes through
 * these functions so that a line never takes more cells than it was given:
 * a wide character (two cells) is never split at the edge, invalid bytes
 * become U+FFFD, and characters the terminal cannot show become '?'.
 * No curses here.
 */
#ifndef ISSUEMINE_TUI_TEXT_H
#define ISSUEMINE_TUI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Call once after setlocale: whether the locale can show characters beyond ASCII. */
void text_init(void);
int text_locale_is_utf8(void);

/* Decodes the character at s[*i] (s has len bytes) and advances *i; bad bytes give U+FFFD. */
uint32_t text_next(const char *s, size_t len, size_t *i);

/* The character drawn for c: c itself, or '?' for controls and what the locale cannot show. */
uint32_t text_shown(uint32_t c);

/* Cells taken by text_shown(c): 0 (combining marks), 1 or 2 (CJK, most emoji). */
int text_char_width(uint32_t c);

/* Cells taken by s. */
int text_width(const char *s, size_t len);

/* Bytes of s that fit in width cells without splitting a character; *used gets the cells. */
size_t text_fit(const char *s, size_t len, int width, int *used);

/*
 * Splits one line (no '\n') into pieces of at most width cells, breaking
 * after a space where it can and inside a word only when a word is wider
 * than the line. Calls emit(ctx, offset, length) for each piece; an empty
 * line gives one empty piece.
 */
void text_wrap(const char *s, size_t len, int width,
               void (*emit)(void *ctx, size_t off, size_t len), void *ctx);

/* Appends c in UTF-8. */
void text_add_utf8(struct strbuf *sb, uint32_t c);

/* Removes the last character of sb (for Backspace). */
void text_drop_last(struct strbuf *sb);

/* The first match of needle in s[0..len), ignoring ASCII case; NULL when none. */
const char *text_find(const char *s, size_t len, const char *needle);

/*
 * Appends s with what a terminal must not get replaced: tabs become spaces
 * up to the next multiple of 4, carriage returns are dropped, other control
 * characters become '?'. Newlines are kept.
 */
void text_add_clean(struct strbuf *sb, const char *s);

#endif
