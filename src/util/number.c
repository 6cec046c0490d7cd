/*
 * number.c - the one parser of whole numbers (see number.h).
 */
#include "number.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int number_parse_span(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
	if (!s)
		return NUMBER_SYNTAX;
	size_t i = 0;
	int negative = len > 0 && s[0] == '-';
	i += (size_t)negative;
	if (i == len)
		return NUMBER_SYNTAX;
	/* Accumulate as a negative number: INT64_MIN has no positive counterpart. */
	int64_t v = 0;
	int overflow = 0;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NUMBER_SYNTAX;
		int d = s[i] - '0';
		if (v < (INT64_MIN + d) / 10)
			overflow = 1;
		else
			v = v * 10 - d;
	}
	if (overflow || (!negative && v == INT64_MIN))
		return NUMBER_RANGE;
	if (!negative)
		v = -v;
	if (v < min || v > max)
		return NUMBER_RANGE;
	*out = v;
	return NUMBER_OK;
}

int number_parse(const char *s, int64_t min, int64_t max, int64_t *out)
{
	return s ? number_parse_span(s, strlen(s), min, max, out) : NUMBER_SYNTAX;
}

void number_range_text(int64_t min, int64_t max, char *buf, size_t size)
{
	if (min == INT64_MIN && max != INT64_MAX)
		snprintf(buf, size, "at most %" PRId64, max);
	else
		snprintf(buf, size, "%" PRId64 " to %" PRId64, min, max);
}

int number_error(struct error *err, const char *what, const char *text, int result, int64_t min,
                 int64_t max)
{
	char range[96];
	const char *sep = what ? ": " : "";
	what = what ? what : "";
	if (result != NUMBER_RANGE)
		return error_set(err, "%s%s'%s' is not a whole number", what, sep, text);
	number_range_text(min, max, range, sizeof(range));
	return error_set(err, "%s%s'%s' is out of range (%s)", what, sep, text, range);
}
