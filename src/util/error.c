/*
 * error.c - error messages for the core (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(struct error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char old[sizeof(err->msg)];
	memcpy(old, err->msg, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	size_t used = n < 0 ? 0 : (size_t)n;
	if (used + 3 >= sizeof(err->msg))
		return -1;
	size_t room = sizeof(err->msg) - used - 3;
	size_t len = strnlen(old, room);
	memcpy(err->msg + used, ": ", 2);
	memcpy(err->msg + used + 2, old, len);
	err->msg[used + 2 + len] = '\0';
	return -1;
}
