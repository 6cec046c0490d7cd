/*
 * issuelist.h - printing lists of issues as a table, CSV or JSON.
 *
 * "filter" and "sets show" list issues the same way: repository, number,
 * title, creation day and URL. The table is aligned for a terminal (titles
 * cut to fit); CSV (RFC 4180) and JSON carry every field untouched.
 */
#ifndef ISSUEMINE_ISSUELIST_H
#define ISSUEMINE_ISSUELIST_H

#include <stddef.h>

#include "sets.h"

enum issuelist_format { ISSUELIST_TABLE, ISSUELIST_CSV, ISSUELIST_JSON };

/* "table", "csv" or "json" to the enum (anything else is the table). */
enum issuelist_format issuelist_format(const char *name);

/* Display width of UTF-8 text, counting each character as one column. */
size_t issuelist_text_width(const char *s);

/*
 * Prints the first len bytes of s (all of it when len is (size_t)-1) to
 * stdout cut to width characters, with "..." when cut (width >= 3), and
 * padded with spaces to width when pad is set. Control characters are
 * written visibly (termsafe.h) before the text is measured.
 */
void issuelist_print_cut(const char *s, size_t len, size_t width, int pad);

/* Prints n members to stdout in the format. */
void issuelist_print(const struct set_member *members, size_t n, enum issuelist_format format);

#endif
