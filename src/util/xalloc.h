/*
 * xalloc.h - allocation that cannot fail.
 *
 * Running out of memory is not an error issuemine can report usefully, so
 * these wrappers abort with a message instead of returning NULL; every other
 * failure in the core is returned as a status code.
 */
#ifndef ISSUEMINE_XALLOC_H
#define ISSUEMINE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A printf into freshly allocated memory; caller frees. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *alloc elements of size elem) so that it holds at least need. */
void xgrow(void **items, size_t *alloc, size_t need, size_t elem);

#endif
