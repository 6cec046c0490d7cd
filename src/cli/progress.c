/*
 * progress.c - throttled progress lines on stderr (see progress.h).
 */
#include "progress.h"
#include "cli.h"
#include "termsafe.h"
#include "xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TTY_INTERVAL_MS 100
#define LOG_INTERVAL_MS 5000

struct progress {
	int quiet;
	int tty;
	long long last_ms;
	size_t shown;      /* width of the line on screen */
	char waiting[128]; /* the why of the wait in progress, or "" */
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct progress *progress_start(int quiet)
{
	struct progress *p = xcalloc(1, sizeof(*p));
	p->quiet = quiet;
	p->tty = cli_stderr_is_tty();
	p->last_ms = now_ms();
	return p;
}

static void show(struct progress *p, const char *fmt, va_list ap)
{
	char raw[512];
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* A repository or file name with control characters must not move the cursor. */
	char *line = termsafe_dup(raw, 0);
	if (p->tty) {
		size_t len = strlen(line);
		fprintf(stderr, "\r%s", line);
		for (size_t i = len; i < p->shown; i++)
			fputc(' ', stderr);
		p->shown = len;
	} else {
		fprintf(stderr, "issuemine: %s\n", line);
	}
	fflush(stderr);
	free(line);
	p->last_ms = now_ms();
}

void progress_update(struct progress *p, const char *fmt, ...)
{
	if (!p || p->quiet)
		return;
	if (now_ms() - p->last_ms < (p->tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS))
		return;
	va_list ap;
	va_start(ap, fmt);
	show(p, fmt, ap);
	va_end(ap);
}

void progress_force(struct progress *p, const char *fmt, ...)
{
	if (!p || p->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	show(p, fmt, ap);
	va_end(ap);
}

void progress_wait(struct progress *p, const char *line, const char *why, double left)
{
	if (!p)
		return;
	if (!why) {
		p->waiting[0] = '\0';
		return;
	}
	int starting = strcmp(p->waiting, why) != 0;
	snprintf(p->waiting, sizeof(p->waiting), "%s", why);
	char countdown[32];
	progress_duration(ceil(left), countdown, sizeof(countdown)); /* never "0s" while waiting */
	if (starting || p->tty)
		progress_force(p, "%s; %s, waiting %s", line, why, countdown);
	else
		progress_update(p, "%s; %s, waiting %s", line, why, countdown);
}

void progress_clear(struct progress *p)
{
	if (!p || p->quiet || !p->tty || !p->shown)
		return;
	fputc('\r', stderr);
	for (size_t i = 0; i < p->shown; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	p->shown = 0;
}

void progress_done(struct progress *p)
{
	progress_clear(p);
	free(p);
}

double progress_seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

void progress_duration(double seconds, char *out, size_t size)
{
	long s = (long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(out, size, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(out, size, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(out, size, "%lds", s);
}
