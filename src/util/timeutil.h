/*
 * timeutil.h - the timestamps issuemine stores and compares.
 *
 * Every time in the database is UTC in GitHub's form, "2023-07-07T12:34:56Z",
 * so that string order is time order. Dates given by users may be a bare day
 * ("2023-07-07") or any ISO 8601 time with an offset; both normalise to that
 * form.
 */
#ifndef ISSUEMINE_TIMEUTIL_H
#define ISSUEMINE_TIMEUTIL_H

#include <time.h>

#define ISO_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)". Returns 0 or -1. */
int time_parse_iso(const char *s, time_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (ISO_TIME_LEN bytes). */
void time_format_iso(time_t t, char *out);

/* Parses s and writes it back in the stored form; returns 0 or -1. */
int time_normalize(const char *s, char *out);

/* True if s is a bare day, "YYYY-MM-DD". */
int time_is_date_only(const char *s);

/* Now, or the time in $ISSUEMINE_NOW (an ISO time) so tests get stable output. */
time_t time_now(void);

/* time_now() in the stored form, into out (ISO_TIME_LEN bytes). */
void time_now_iso(char *out);

#endif
