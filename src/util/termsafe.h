/*
 * termsafe.h - text made safe to echo to a terminal.
 *
 * Input that is echoed to a terminal (issue titles, taxonomy keys, a CSV
 * field quoted in a message, a query) may hold control characters: a newline
 * splits a one-line message over several, and an escape sequence can
 * retitle, recolour or clear the terminal. termsafe_add() writes every
 * control character visibly instead:
 *
 *	C0 (U+0000..U+001F)   \n, \r, \t, else \xHH (ESC is \x1b)
 *	DEL (U+007F)          \x7f
 *	C1 (U+0080..U+009F)   \u0080 .. \u009f
 *	a byte that is not part of valid UTF-8   \xHH
 *
 * Everything else, backslashes included, is copied as it is. Only text
 * output is escaped: CSV and JSON keep the data exact.
 */
#ifndef ISSUEMINE_TERMSAFE_H
#define ISSUEMINE_TERMSAFE_H

#include <stddef.h>

#include "strbuf.h"

/* Flags of termsafe_add. */
#define TERMSAFE_KEEP_TABS     1 /* copy tabs (a caret line lines up under them) */
#define TERMSAFE_KEEP_NEWLINES 2 /* copy newlines (text that is meant to span lines) */

/* Appends s[0..len) to out with its control characters escaped. */
void termsafe_add(struct strbuf *out, const char *s, size_t len, int flags);

/* s (NULL is "") escaped, in fresh memory (caller frees). */
char *termsafe_dup(const char *s, int flags);

/* True if s[0..len) needs no escaping (with flags as termsafe_add takes them). */
int termsafe_is_clean(const char *s, size_t len, int flags);

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes), or 0 if
 * s does not start one. *cp (if given) gets the code point.
 */
size_t termsafe_utf8_len(const char *s, size_t len, unsigned *cp);

#endif
