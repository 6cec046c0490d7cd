/*
 * test_dump.c - the streaming dump reader: shapes, positions in errors.
 */
#include "test.h"

#include "dump.h"

#include <stdlib.h>

/* Reads every item of text; returns the count, or -1 with err set. */
static int read_all(const char *text, struct error *err)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "d.json");
	test_write_file(path, text);
	struct dump_reader *r;
	int n = 0, rc;
	if (dump_open(path, &r, err)) {
		n = -1;
		goto out;
	}
	json_t *item;
	while ((rc = dump_next(r, &item, err)) > 0) {
		n++;
		json_decref(item);
	}
	if (rc < 0)
		n = -1;
	dump_close(r);
out:
	remove(path);
	free(path);
	free(dir);
	return n;
}

static void test_shapes(void)
{
	struct error err;
	CHECK_INT(read_all("[]", &err), 0);
	CHECK_INT(read_all("  [ ]\n", &err), 0);
	CHECK_INT(read_all("[{\"number\": 1}]", &err), 1);
	CHECK_INT(read_all("[{\"a\": [1, {\"b\": \"]}\"}]}, {\"n\": 2}\n]\n", &err), 2);
	CHECK_INT(read_all("\xEF\xBB\xBF[{}]", &err), 1);
	CHECK_INT(read_all("{\"n\": 1}\n{\"n\": 2}\n", &err), 2); /* JSON Lines */
}

static void test_errors_name_positions(void)
{
	struct error err;
	CHECK_INT(read_all("[{\"n\": 1},\n {\"n\": 2", &err), -1);
	CHECK(strstr(err.msg, "d.json: line 2") != NULL);
	CHECK_INT(read_all("[{\"n\": 1}", &err), -1);
	CHECK(strstr(err.msg, "truncated") != NULL);
	CHECK_INT(read_all("[{\"n\": 1},]", &err), -1);
	CHECK(strstr(err.msg, "column 11") != NULL);
	CHECK_INT(read_all("[1, 2]", &err), -1);
	CHECK(strstr(err.msg, "issue object") != NULL);
	CHECK_INT(read_all("[{}] trailing", &err), -1);
	CHECK(strstr(err.msg, "after the closing") != NULL);
	CHECK_INT(read_all("", &err), -1);
	CHECK(strstr(err.msg, "empty file") != NULL);
	CHECK_INT(read_all("\"just a string\"", &err), -1);
	CHECK_INT(read_all("[{\"n\": tru}]", &err), -1);
	CHECK(strstr(err.msg, "byte") != NULL);
}

static void test_missing_file(void)
{
	struct dump_reader *r;
	struct error err;
	CHECK_INT(dump_open("/nonexistent/x.json", &r, &err), -1);
	CHECK(strstr(err.msg, "/nonexistent/x.json") != NULL);
	/* A file that cannot be read is not called empty or truncated. */
	char *dir = test_tmpdir();
	CHECK_INT(dump_open(dir, &r, &err), -1);
	CHECK(strstr(err.msg, "cannot read: Is a directory") != NULL);
	CHECK(strstr(err.msg, "empty") == NULL);
	free(dir);
}

int main(void)
{
	TEST(test_shapes);
	TEST(test_errors_name_positions);
	TEST(test_missing_file);
	return test_done();
}
