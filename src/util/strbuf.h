/*
 * strbuf.h - growable, always NUL-terminated byte strings.
 *
 * A struct strbuf initialised with STRBUF_INIT is an empty string; appending
 * grows it. sb.buf is never NULL. strbuf_release frees and resets it;
 * strbuf_detach hands the buffer to the caller (who frees it).
 */
#ifndef ISSUEMINE_STRBUF_H
#define ISSUEMINE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

struct strbuf {
	size_t len;
	size_t alloc;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT                                                                                \
	{                                                                                          \
		0, 0, strbuf_empty                                                                 \
	}

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* Appends one item of a list of reasons: "; " before it unless sb is empty. */
void strbuf_vadd_reason(struct strbuf *sb, const char *fmt, va_list ap);

/* Removes trailing white space. */
void strbuf_rtrim(struct strbuf *sb);

/* Appends the whole file at path ("-" is standard input); errors name the path. */
int strbuf_read_file(struct strbuf *sb, const char *path, struct error *err);

#endif
