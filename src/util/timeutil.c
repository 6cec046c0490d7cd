/*
 * timeutil.c - parsing and formatting of stored timestamps (see timeutil.h).
 */
#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_day(const char *s, struct tm *tm)
{
	int y, m, d;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

static int parse_clock(const char *s, struct tm *tm, const char **end)
{
	int h, mi, sec;
	if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &mi))
		return -1;
	s += 5;
	sec = 0;
	if (*s == ':') {
		if (digits(s + 1, 2, &sec))
			return -1;
		s += 3;
		if (*s == '.')
			for (s++; isdigit((unsigned char)*s); s++)
				;
	}
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	*end = s;
	return 0;
}

static int parse_offset(const char *s, long *seconds)
{
	int h, m;
	if (!strcmp(s, "Z") || !strcmp(s, "z") || !*s) {
		*seconds = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h))
		return -1;
	const char *p = s + 3;
	if (*p == ':')
		p++;
	if (digits(p, 2, &m) || p[2])
		return -1;
	*seconds = (h * 3600L + m * 60L) * (s[0] == '-' ? -1 : 1);
	return 0;
}

int time_is_date_only(const char *s)
{
	struct tm tm;
	return strlen(s) == 10 && !parse_day(s, &tm);
}

int time_parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	long offset = 0;
	if (!s || strlen(s) < 10 || parse_day(s, &tm))
		return -1;
	if (s[10]) {
		const char *rest;
		if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
		    parse_clock(s + 11, &tm, &rest) || parse_offset(rest, &offset))
			return -1;
	}
	*out = timegm(&tm) - offset;
	return 0;
}

void time_format_iso(time_t t, char *out)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, ISO_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int time_normalize(const char *s, char *out)
{
	time_t t;
	if (time_parse_iso(s, &t))
		return -1;
	time_format_iso(t, out);
	return 0;
}

time_t time_now(void)
{
	const char *fixed = getenv("ISSUEMINE_NOW");
	time_t t;
	if (fixed && *fixed && !time_parse_iso(fixed, &t))
		return t;
	return time(NULL);
}

void time_now_iso(char *out)
{
	time_format_iso(time_now(), out);
}
