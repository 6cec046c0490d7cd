/*
 * progress.h - the one-line progress report of long commands.
 *
 * On a terminal the line is redrawn in place at most ten times a second and
 * erased at the end; off a terminal a plain line is printed every few seconds
 * so logs stay readable; quiet prints nothing.
 */
#ifndef ISSUEMINE_PROGRESS_H
#define ISSUEMINE_PROGRESS_H

#include <stddef.h>
#include <time.h>

struct progress;

struct progress *progress_start(int quiet);

/* Offers a new progress text; it is shown only when the throttle allows. */
void progress_update(struct progress *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Shows the text now, whatever the throttle (for waits and countdowns). */
void progress_force(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A wait of left seconds for why, after the command's own text line: a
 * countdown on a terminal; in a log, the start of the wait and a line now
 * and then. why NULL says the wait is over.
 */
void progress_wait(struct progress *p, const char *line, const char *why, double left);

/* Erases the line (on a terminal) and frees p. */
void progress_done(struct progress *p);

/* Erases the line so that a message can be printed; the next update redraws it. */
void progress_clear(struct progress *p);

/* Seconds since t (CLOCK_MONOTONIC), for an ETA. */
double progress_seconds_since(const struct timespec *t);

/* A duration as a progress line shows it: "45s", "3m05s", "2h10m". */
void progress_duration(double seconds, char *out, size_t size);

#endif
