/*
 * testlib.c - the unit-test harness (see test.h).
 */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int failures, checks_failed_in_test;
static const char *current;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: %s: ", file, line, current ? current : "?");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	checks_failed_in_test++;
}

void test_run(const char *name, void (*fn)(void))
{
	current = name;
	checks_failed_in_test = 0;
	fn();
	printf("%s %s\n", checks_failed_in_test ? "FAIL" : "ok  ", name);
	if (checks_failed_in_test)
		failures++;
	current = NULL;
}

int test_done(void)
{
	if (failures)
		fprintf(stderr, "%d test%s failed\n", failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}

char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	size_t len = strlen(base ? base : "/tmp") + 32;
	char *path = malloc(len);
	snprintf(path, len, "%s/issuemine-test-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		abort();
	}
	return path;
}

char *test_path(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);
	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

int test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t len = strlen(text);
	int rc = fwrite(text, 1, len, f) == len ? 0 : -1;
	return fclose(f) ? -1 : rc;
}

char *test_data_path(const char *name)
{
	return test_path(ISSUEMINE_TEST_DATA, name);
}

char *test_replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at) {
		test_fail(__FILE__, __LINE__, "test text lacks '%s'", from);
		return strdup(text);
	}
	size_t len = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(len);
	snprintf(out, len, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}
