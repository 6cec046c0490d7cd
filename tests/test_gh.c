/*
 * test_gh.c - the GitHub client's pure parts: Link headers, URLs, backoff
 * and rate-limit arithmetic, retry-after, and the token's lifetime.
 */
#include "gh.h"
#include "strbuf.h"
#include "test.h"

#include <curl/curl.h>
#include <stdlib.h>

static void check_link(const char *link, const char *rel, const char *want)
{
	char *got = gh_link_url(link, rel);
	if (want)
		CHECK_STR(got, want);
	else if (got)
		test_fail(__FILE__, __LINE__, "rel %s of %s: got %s, expected none", rel, link,
		          got);
	free(got);
}

static void test_link_header(void)
{
	const char *link =
	        "<https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=1>; "
	        "rel=\"prev\", "
	        "<https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=3>; "
	        "rel=\"next\", "
	        "<https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=4>; "
	        "rel=\"last\", "
	        "<https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=1>; "
	        "rel=\"first\"";
	check_link(link, "next",
	           "https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=3");
	check_link(link, "last",
	           "https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=4");
	check_link(link, "first",
	           "https://api.github.com/repositories/7/issues/5/timeline?per_page=100&page=1");
	check_link(link, "nope", NULL);
	/* The last page: no next. */
	check_link("<https://h/x?page=1>; rel=\"first\", <https://h/x?page=3>; rel=\"prev\"",
	           "next", NULL);
	/* Unquoted, upper case, extra parameters, several relations in one rel. */
	check_link("<https://h/a?page=2>;rel=next", "next", "https://h/a?page=2");
	check_link("<https://h/a?page=2>; REL=\"Next\"", "next", "https://h/a?page=2");
	check_link("<https://h/a?page=9>; title=\"x\"; rel=\"next last\"", "last",
	           "https://h/a?page=9");
	/* A comma inside the URL is not a separator. */
	check_link("<https://h/s?q=a,b&page=2>; rel=\"next\"", "next", "https://h/s?q=a,b&page=2");
	check_link("", "next", NULL);
	check_link("garbage", "next", NULL);
	check_link("<https://h/unterminated; rel=\"next\"", "next", NULL);
}

static void test_url_page(void)
{
	CHECK_INT(gh_url_page("https://h/search/issues?q=x&per_page=100&page=10"), 10);
	CHECK_INT(gh_url_page("https://h/x?page=3&per_page=100"), 3);
	CHECK_INT(gh_url_page("https://h/x?per_page=100"), 0); /* per_page is not page */
	CHECK_INT(gh_url_page("https://h/x"), 0);
	CHECK_INT(gh_url_page(NULL), 0);
}

static void test_query_escape(void)
{
	struct strbuf sb = STRBUF_INIT;
	gh_query_escape(&sb,
	                "repo:a/b label:\"module: onnx\" created:2020-01-01T00:00:00+00:00..x~_.-");
	CHECK_STR(sb.buf, "repo%3Aa%2Fb%20label%3A%22module%3A%20onnx%22%20created%3A2020-01-01T00%"
	                  "3A00%3A00%2B00%3A00..x~_.-");
	strbuf_reset(&sb);
	gh_query_escape(&sb, "é&=#");
	CHECK_STR(sb.buf, "%C3%A9%26%3D%23");
	strbuf_release(&sb);
}

static void test_backoff(void)
{
	CHECK_NEAR(gh_backoff_seconds(0, 0.0), 0.5, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(0, 1.0), 1.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(3, 1.0), 8.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(3, 0.5), 6.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(20, 1.0), GH_BACKOFF_CAP, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(-1, 2.0), 1.0, 1e-9); /* clamped */
	/* It grows with the attempt, whatever the jitter. */
	for (int a = 0; a < 5; a++)
		CHECK(gh_backoff_seconds(a + 1, 0.0) >= gh_backoff_seconds(a, 0.0));
	/* Five retries of a persistent fault take at most a minute. */
	double total = 0;
	for (int a = 0; a < GH_MAX_ATTEMPTS - 1; a++)
		total += gh_backoff_seconds(a, 1.0);
	CHECK(total <= 60.0);
}

static void test_secondary(void)
{
	CHECK_NEAR(gh_secondary_seconds(1), 60, 1e-9);
	CHECK_NEAR(gh_secondary_seconds(2), 120, 1e-9);
	CHECK_NEAR(gh_secondary_seconds(3), 240, 1e-9);
	CHECK_NEAR(gh_secondary_seconds(30), GH_SECONDARY_CAP, 1e-9);
	CHECK_NEAR(gh_secondary_seconds(0), 60, 1e-9);
}

static void test_retry_after(void)
{
	double s = -1;
	CHECK_INT(gh_parse_retry_after("30", 0, &s), 0);
	CHECK_NEAR(s, 30, 1e-9);
	CHECK_INT(gh_parse_retry_after(" 5 ", 0, &s), 0);
	CHECK_NEAR(s, 5, 1e-9);
	CHECK_INT(gh_parse_retry_after("0", 0, &s), 0);
	CHECK_NEAR(s, 0, 1e-9);
	CHECK_INT(gh_parse_retry_after("-3", 0, &s), -1);
	CHECK_INT(gh_parse_retry_after("12abc", 0, &s), -1);
	CHECK_INT(gh_parse_retry_after("soon", 0, &s), -1);
	CHECK_INT(gh_parse_retry_after(NULL, 0, &s), -1);
	/* An HTTP date: 2015-10-21T07:28:00Z is 1445412480. */
	CHECK_INT(gh_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470, &s), 0);
	CHECK_NEAR(s, 10, 1e-9);
	CHECK_INT(gh_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490, &s), 0);
	CHECK_NEAR(s, 0, 1e-9); /* already past */
}

static void test_same_origin(void)
{
	CHECK(gh_same_origin("https://api.github.com", "https://api.github.com/search/issues"));
	CHECK(gh_same_origin("https://API.github.com", "https://api.github.com/x"));
	CHECK(gh_same_origin("https://ghe.example.com/api/v3",
	                     "https://ghe.example.com/api/v3/repositories/1/issues?page=2"));
	CHECK(gh_same_origin("http://127.0.0.1:8080", "http://127.0.0.1:8080/x?page=2"));
	CHECK(!gh_same_origin("http://127.0.0.1:8080", "http://127.0.0.1:8081/x"));
	CHECK(!gh_same_origin("https://api.github.com", "http://api.github.com/x"));
	CHECK(!gh_same_origin("https://api.github.com", "https://api.github.com.evil.example/x"));
	CHECK(!gh_same_origin("https://api.github.com", "https://evil.example/api.github.com"));
	CHECK(!gh_same_origin("https://api.github.com", "/relative"));
}

static void test_resource(void)
{
	const char *api = "https://api.github.com";
	CHECK_STR(gh_resource_of(api, "https://api.github.com/search/issues?q=x"), "search");
	CHECK_STR(gh_resource_of(api, "https://api.github.com/repos/o/r/issues/1/timeline"),
	          "core");
	/* A repository called "search" is not the search API. */
	CHECK_STR(gh_resource_of(api, "https://api.github.com/repos/search/search/issues"), "core");
	const char *ghe = "https://ghe.example.com/api/v3";
	CHECK_STR(gh_resource_of(ghe, "https://ghe.example.com/api/v3/search/issues?q=x"),
	          "search");
	CHECK_STR(gh_resource_of(ghe, "https://ghe.example.com/api/v3/repos/o/r"), "core");
}

static void test_token(void)
{
	struct gh_token *t = gh_token_new("ghp_secret");
	CHECK(t != NULL);
	gh_token_free(t);
	gh_token_free(NULL);
	/* An empty variable is no token; GH_TOKEN is read when GITHUB_TOKEN is unset. */
	setenv("GITHUB_TOKEN", "", 1);
	unsetenv("GH_TOKEN");
	CHECK(gh_token_from_env(NULL) == NULL);
	setenv("GH_TOKEN", "ghp_other", 1);
	const char *name = NULL;
	t = gh_token_from_env(&name);
	CHECK(t != NULL);
	CHECK_STR(name, "GH_TOKEN");
	gh_token_free(t);
	setenv("GITHUB_TOKEN", "ghp_first", 1);
	t = gh_token_from_env(&name);
	CHECK_STR(name, "GITHUB_TOKEN");
	gh_token_free(t);
	unsetenv("GITHUB_TOKEN");
	unsetenv("GH_TOKEN");
}

static void test_client_options(void)
{
	struct error err;
	struct gh_options opt = {"ftp://example.com"};
	CHECK(gh_client_new(&opt, &err) == NULL);
	CHECK(strstr(err.msg, "not an http:// or https:// URL") != NULL);
	opt.api_url = "https://ghe.example.com/api/v3///";
	struct gh_client *c = gh_client_new(&opt, &err);
	CHECK(c != NULL);
	CHECK_STR(gh_client_api_url(c), "https://ghe.example.com/api/v3");
	CHECK_INT(gh_client_rate(c, "core").known, 0);
	CHECK_INT(gh_client_stats(c)->requests, 0);
	/* A URL on another host is refused before anything is sent: the token stays home. */
	struct gh_response r;
	CHECK_INT(gh_get(c, "https://evil.example/steal", NULL, &r, &err), -1);
	CHECK(strstr(err.msg, "not on https://ghe.example.com/api/v3") != NULL);
	CHECK_INT(gh_client_stats(c)->requests, 0);
	gh_client_free(c);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	TEST(test_link_header);
	TEST(test_url_page);
	TEST(test_query_escape);
	TEST(test_backoff);
	TEST(test_secondary);
	TEST(test_retry_after);
	TEST(test_same_origin);
	TEST(test_resource);
	TEST(test_token);
	TEST(test_client_options);
	curl_global_cleanup();
	return test_done();
}
