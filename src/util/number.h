/*
 * number.h - whole numbers as users write them, refused when out of range.
 *
 * Every number issuemine reads from a user (an option such as --n, an issue
 * reference, a field of a CSV file, a count in a query) goes through
 * number_parse, so that "99999999999999999999" is an error everywhere rather
 * than a silent 9223372036854775807. A number is an optional '-' and decimal
 * digits, nothing else (no blanks, no '+', no 0x).
 */
#ifndef ISSUEMINE_NUMBER_H
#define ISSUEMINE_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum number_result {
	NUMBER_OK = 0,
	NUMBER_SYNTAX = -1, /* not a whole number */
	NUMBER_RANGE = -2,  /* a whole number outside [min, max] */
};

/* Parses s[0..len) as a whole number in [min, max] into *out (untouched on failure). */
int number_parse_span(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

/* The same for the whole string s (NULL is a syntax error). */
int number_parse(const char *s, int64_t min, int64_t max, int64_t *out);

/*
 * Fills err for a failed parse: "'TEXT' is not a whole number" or "'TEXT' is
 * out of range (MIN to MAX)", after "what: " when what is given. Returns -1.
 */
int number_error(struct error *err, const char *what, const char *text, int result, int64_t min,
                 int64_t max);

/* Writes the range as a message says it: "1 to 9223372036854775807". */
void number_range_text(int64_t min, int64_t max, char *buf, size_t size);

#endif
