/*
 * test_text.c - the small text modules: csv, timeutil, issueref, strbuf.
 */
#include "test.h"

#include "csv.h"
#include "issueref.h"
#include "strbuf.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>

static void test_csv_read(void)
{
	const char text[] = "\xEF\xBB\xBFissue,note\r\n"
	                    "a/b#1,\"with, comma\"\r\n"
	                    "\n"
	                    "a/b#2,\"two\nlines and \"\"quotes\"\"\"\n"
	                    "a/b#3\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct csv_reader *r = csv_open(f, "t.csv");
	struct csv_record rec;
	struct error err;
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_INT(rec.nfields, 2);
	CHECK_INT(csv_column(&rec, "NOTE"), 1);
	CHECK_INT(csv_column(&rec, "missing"), -1);
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_STR(rec.fields[1], "with, comma");
	CHECK_INT(rec.line, 2);
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_STR(rec.fields[1], "two\nlines and \"quotes\"");
	CHECK_INT(rec.line, 4);
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_INT(rec.line, 6);
	CHECK_INT(rec.nfields, 1);
	CHECK_STR(csv_field(&rec, 1), "");
	CHECK_INT(csv_read(r, &rec, &err), 0);
	csv_close(r);
	fclose(f);
}

static void test_csv_errors(void)
{
	const char text[] = "a,b\n1,\"unterminated\n2,3\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct csv_reader *r = csv_open(f, "bad.csv");
	struct csv_record rec;
	struct error err;
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_INT(csv_read(r, &rec, &err), -1);
	CHECK_STR(err.msg, "bad.csv: line 2: unterminated quoted field");
	csv_close(r);
	fclose(f);
	const char text2[] = "\"a\"x,b\n";
	f = fmemopen((void *)text2, sizeof(text2) - 1, "r");
	r = csv_open(f, "bad.csv");
	CHECK_INT(csv_read(r, &rec, &err), -1);
	CHECK(strstr(err.msg, "after closing quote") != NULL);
	csv_close(r);
	fclose(f);
}

static void test_csv_write_round_trip(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	const char *row[] = {"plain", "a,b", "say \"hi\"", "line\nbreak", " padded", NULL};
	csv_write_row(out, row, 6);
	fclose(out);
	CHECK_STR(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\" padded\",\r\n");
	FILE *in = fmemopen(buf, len, "r");
	struct csv_reader *r = csv_open(in, "mem");
	struct csv_record rec;
	struct error err;
	CHECK_INT(csv_read(r, &rec, &err), 1);
	CHECK_INT(rec.nfields, 6);
	for (int i = 0; i < 5; i++)
		CHECK_STR(rec.fields[i], row[i]);
	csv_close(r);
	fclose(in);
	free(buf);
}

static void test_time(void)
{
	char out[ISO_TIME_LEN];
	time_t t;
	CHECK_INT(time_normalize("2023-07-07", out), 0);
	CHECK_STR(out, "2023-07-07T00:00:00Z");
	CHECK_INT(time_normalize("2023-07-07T12:34:56Z", out), 0);
	CHECK_STR(out, "2023-07-07T12:34:56Z");
	CHECK_INT(time_normalize("2023-07-07T12:34:56.123+02:00", out), 0);
	CHECK_STR(out, "2023-07-07T10:34:56Z");
	CHECK_INT(time_normalize("2023-07-07T00:30:00-01:00", out), 0);
	CHECK_STR(out, "2023-07-07T01:30:00Z");
	CHECK_INT(time_parse_iso("2024-02-29", &t), 0);
	CHECK_INT(time_parse_iso("2023-02-29", &t), -1);
	CHECK_INT(time_parse_iso("2023-13-01", &t), -1);
	CHECK_INT(time_parse_iso("2023-1-01", &t), -1);
	CHECK_INT(time_parse_iso("2023-01-01T25:00:00Z", &t), -1);
	CHECK_INT(time_parse_iso("2023-01-01Tnoon", &t), -1);
	CHECK_INT(time_parse_iso("", &t), -1);
	CHECK(time_is_date_only("2023-01-01"));
	CHECK(!time_is_date_only("2023-01-01T00:00:00Z"));
	setenv("ISSUEMINE_NOW", "2020-05-05T05:05:05Z", 1);
	time_now_iso(out);
	CHECK_STR(out, "2020-05-05T05:05:05Z");
	unsetenv("ISSUEMINE_NOW");
}

static void test_issueref(void)
{
	struct issueref r;
	CHECK_INT(issueref_parse("pytorch/pytorch#84092", &r), 0);
	CHECK_STR(r.repo, "pytorch/pytorch");
	CHECK_INT(r.number, 84092);
	CHECK_INT(issueref_parse("https://github.com/onnx/tensorflow-onnx/issues/226", &r), 0);
	CHECK_STR(r.repo, "onnx/tensorflow-onnx");
	CHECK_INT(r.number, 226);
	CHECK_INT(issueref_parse("https://github.com/onnx/tensorflow-onnx/pull/1719#x", &r), 0);
	CHECK_INT(r.number, 1719);
	CHECK_INT(issueref_parse("https://ghe.example.com/api/v3/repos/a/b.c/issues/3", &r), 0);
	CHECK_STR(r.repo, "a/b.c");
	CHECK_INT(issueref_parse("pytorch/pytorch", &r), -1);
	CHECK_INT(issueref_parse("pytorch#1", &r), -1);
	CHECK_INT(issueref_parse("a/b#x", &r), -1);
	CHECK_INT(issueref_parse("a/b#0", &r), -1);
	CHECK_INT(issueref_parse("a/b#1 junk", &r), -1);
	CHECK_INT(issueref_parse("https://github.com/a/b/wiki/1", &r), -1);
	CHECK(repo_name_valid("onnx/tensorflow-onnx"));
	CHECK(!repo_name_valid("onnx"));
	CHECK(!repo_name_valid("a/b/c"));
	CHECK(!repo_name_valid("a/.."));
	char repo[REPO_NAME_MAX];
	CHECK_INT(repo_from_api_url("https://api.github.com/repos/pytorch/pytorch", repo), 0);
	CHECK_STR(repo, "pytorch/pytorch");
	CHECK_INT(repo_from_html_url("https://github.com/pytorch/pytorch/issues/1", repo), 0);
	CHECK_STR(repo, "pytorch/pytorch");
	CHECK_INT(repo_from_api_url("https://api.github.com/users/x", repo), -1);
}

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	CHECK_STR(sb.buf, "");
	strbuf_addf(&sb, "%d-%s", 7, "x");
	strbuf_adds(&sb, "  \n");
	strbuf_rtrim(&sb);
	CHECK_STR(sb.buf, "7-x");
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'a');
	CHECK_INT(sb.len, 1003);
	char *s = strbuf_detach(&sb, NULL);
	CHECK_STR(sb.buf, "");
	free(s);
	strbuf_release(&sb);
}

int main(void)
{
	TEST(test_csv_read);
	TEST(test_csv_errors);
	TEST(test_csv_write_round_trip);
	TEST(test_time);
	TEST(test_issueref);
	TEST(test_strbuf);
	return test_done();
}
