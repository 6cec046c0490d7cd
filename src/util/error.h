/*
 * error.h - how the core reports failure.
 *
 * Core functions return 0 on success and -1 on failure, and describe the
 * failure in a caller-supplied struct error. The message names where and what
 * ("dump.json: byte 1234 (line 5): unexpected end of input") but carries no
 * "issuemine:" prefix: only the command layer prints, and it adds that.
 */
#ifndef ISSUEMINE_ERROR_H
#define ISSUEMINE_ERROR_H

struct error {
	char msg[1024];
};

/* Sets err's message (err may be NULL) and returns -1, for "return error_set(...)". */
int error_set(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Puts "prefix: " before the message already in err; returns -1. */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
