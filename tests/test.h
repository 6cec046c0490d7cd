/*
 * test.h - the small unit-test harness of tests/test_*.c.
 *
 * A test file defines static void test_x(void) functions and a main that
 * calls TEST(test_x) for each and returns test_done(). CHECK macros record a
 * failure with file and line and carry on, so one run shows every failure.
 */
#ifndef ISSUEMINE_TEST_H
#define ISSUEMINE_TEST_H

#include <math.h>
#include <stdint.h>
#include <string.h>

void test_fail(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void test_run(const char *name, void (*fn)(void));
int test_done(void);

/* A new empty directory under $TMPDIR (or /tmp); caller frees the path. */
char *test_tmpdir(void);
/* dir/name in fresh memory; caller frees. */
char *test_path(const char *dir, const char *name);
/* Writes text to path; returns 0 or -1. */
int test_write_file(const char *path, const char *text);
/* The file tests/data/name in the source tree; caller frees. */
char *test_data_path(const char *name);

/* text with the first occurrence of from replaced by to (caller frees); a test failure when from is
 * not there. */
char *test_replace(const char *text, const char *from, const char *to);

#define TEST(fn) test_run(#fn, fn)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                         \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_)                                                                      \
			test_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, a_,   \
			          #b, b_);                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_))                                                  \
			test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,         \
			          a_ ? a_ : "(null)", b_ ? b_ : "(null)");                         \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                                      \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps)))                                                     \
			test_fail(__FILE__, __LINE__, "%s == %.10g, expected %.10g (within %g)",   \
			          #a, a_, b_, (double)(eps));                                      \
	} while (0)

#endif
