/*
 * test_gh.c - the GitHub client's pure parts: Link headers, URLs, backoff
 * and rate-limit arithmetic, GitHub's clock, retry-after, hosts, which token
 * goes where (the gh CLI's rules, with a fake gh), and the token's lifetime.
 */
#include "gh.h"
#include "strbuf.h"
#include "test.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

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
	/* The first retry comes at once, or after a fifth of a second of jitter at most. */
	CHECK_NEAR(gh_backoff_seconds(0, 0.0), 0.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(0, 1.0), GH_BACKOFF_FIRST, 1e-9);
	CHECK(GH_BACKOFF_FIRST <= 0.2);
	/* Then exponential, jittered between half and all of it. */
	CHECK_NEAR(gh_backoff_seconds(1, 1.0), 0.5, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(1, 0.0), 0.25, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(4, 1.0), 4.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(4, 0.5), 3.0, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(20, 1.0), GH_BACKOFF_CAP, 1e-9);
	CHECK_NEAR(gh_backoff_seconds(-1, 2.0), GH_BACKOFF_FIRST, 1e-9); /* clamped */
	/* It grows with the attempt, whatever the jitter. */
	for (int a = 0; a < 8; a++)
		CHECK(gh_backoff_seconds(a + 1, 0.0) >= gh_backoff_seconds(a, 0.0));
	/* The retries of a persistent fault take half a minute or so, at most a minute. */
	double total = 0;
	for (int a = 0; a < GH_MAX_ATTEMPTS - 1; a++)
		total += gh_backoff_seconds(a, 1.0);
	CHECK(total >= 20.0 && total <= 60.0);
}

/* Answers bound GitHub's clock from both sides; their intersection is what a wait uses. */
static void test_skew(void)
{
	double lo = 0, hi = 0;
	int known = 0;
	/* GitHub 10.4 s ahead; requests take 2 ms. Date = floor(our time + 10.4). */
	double offset = 10.4;
	gh_skew_narrow(&lo, &hi, &known, 1009.0, 999.590, 999.592); /* GitHub at 1009.99 */
	CHECK(known);
	CHECK(lo <= offset && offset < hi);
	CHECK(hi - lo <= 1.01);
	/* An answer just after GitHub's next second pins the offset down. */
	gh_skew_narrow(&lo, &hi, &known, 1010.0, 999.601, 999.603); /* GitHub at 1010.00 */
	CHECK(lo <= offset && offset < hi);
	CHECK(hi - lo < 0.02);
	CHECK(offset - lo < 0.01); /* a wait by lo ends within 10 ms of the reset */
	/* A clock that was set: bounds that contradict the new answer start over. */
	gh_skew_narrow(&lo, &hi, &known, 5000.0, 1001.0, 1001.002);
	CHECK(lo > 3998.9 && hi <= 4000.0);
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
	/* An empty variable is no token; the gh CLI's order: GH_TOKEN, then GITHUB_TOKEN. */
	setenv("GH_TOKEN", "", 1);
	unsetenv("GITHUB_TOKEN");
	CHECK(gh_token_from_env(NULL) == NULL);
	setenv("GITHUB_TOKEN", "ghp_other", 1);
	const char *name = NULL;
	t = gh_token_from_env(&name);
	CHECK(t != NULL);
	CHECK_STR(name, "GITHUB_TOKEN");
	/* A process that holds a token from the environment leaves no core dump. */
	struct rlimit core;
	CHECK_INT(getrlimit(RLIMIT_CORE, &core), 0);
	CHECK_INT(core.rlim_cur, 0);
#ifdef __linux__
	CHECK_INT(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
#endif
	gh_token_free(t);
	setenv("GH_TOKEN", "ghp_first", 1);
	t = gh_token_from_env(&name);
	CHECK_STR(name, "GH_TOKEN");
	gh_token_free(t);
	unsetenv("GITHUB_TOKEN");
	unsetenv("GH_TOKEN");
}

static void test_hosts(void)
{
	char host[GH_HOST_MAX];
	CHECK_INT(gh_token_host("https://api.github.com", host, sizeof(host)), 0);
	CHECK_STR(host, "github.com");
	CHECK_INT(gh_token_host("https://API.GitHub.com/", host, sizeof(host)), 0);
	CHECK_STR(host, "github.com");
	CHECK_INT(gh_token_host("https://ghe.example.com:8443/api/v3", host, sizeof(host)), 0);
	CHECK_STR(host, "ghe.example.com");
	CHECK_INT(gh_token_host("http://127.0.0.1:5000", host, sizeof(host)), 0);
	CHECK_STR(host, "127.0.0.1");
	CHECK_INT(gh_token_host("http://[::1]:5000/x", host, sizeof(host)), 0);
	CHECK_STR(host, "::1");
	/* User info is not the host. */
	CHECK_INT(gh_token_host("https://api.github.com@evil.example/", host, sizeof(host)), 0);
	CHECK_STR(host, "evil.example");
	CHECK_INT(gh_token_host("not a url", host, sizeof(host)), -1);
	char *u = gh_api_url_for_host("github.com");
	CHECK_STR(u, "https://api.github.com");
	free(u);
	u = gh_api_url_for_host("GHE.Example.com");
	CHECK_STR(u, "https://ghe.example.com/api/v3");
	free(u);
	CHECK(gh_api_url_for_host("") == NULL);
	CHECK(gh_api_url_for_host("ghe.example.com/api") == NULL);
	CHECK(gh_api_url_for_host("user@ghe.example.com") == NULL);
}

static void test_loopback(void)
{
	CHECK(gh_url_is_loopback("http://127.0.0.1:5000"));
	CHECK(gh_url_is_loopback("http://127.9.8.7/"));
	CHECK(gh_url_is_loopback("http://localhost:80/api"));
	CHECK(gh_url_is_loopback("http://LOCALHOST./"));
	CHECK(gh_url_is_loopback("http://[::1]:9/"));
	/* Prefixes, user info and look-alikes are other machines. */
	CHECK(!gh_url_is_loopback("http://localhost.example.invalid"));
	CHECK(!gh_url_is_loopback("http://127.example.invalid"));
	CHECK(!gh_url_is_loopback("http://localhost:1@192.0.2.1:9"));
	CHECK(!gh_url_is_loopback("http://0.0.0.0:9"));
	CHECK(!gh_url_is_loopback("http://192.0.2.1"));
	CHECK(!gh_url_is_loopback("http://[::2]/"));
	CHECK(!gh_url_is_loopback("garbage"));
	CHECK(gh_url_is_plain_http("HTTP://x"));
	CHECK(!gh_url_is_plain_http("https://x"));
}

/* A fake gh: prints a token for ghe.example.com only, and records how it was called. */
static char *fake_gh(const char *dir)
{
	char *script = test_path(dir, "gh");
	char *log = test_path(dir, "gh.log");
	char text[1024];
	snprintf(text, sizeof(text),
	         "#!/bin/sh\n"
	         "echo \"$*\" >>'%s'\n"
	         "if [ \"$1 $2 $3 $4\" = \"auth token --hostname ghe.example.com\" ]; then\n"
	         "  echo ghp_from_cli; exit 0\n"
	         "fi\n"
	         "echo 'no oauth token found' >&2; exit 1\n",
	         log);
	test_write_file(script, text);
	chmod(script, 0755);
	free(log);
	return script;
}

static void test_token_for_host(void)
{
	static const char *const vars[] = {"GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN",
	                                   "GITHUB_ENTERPRISE_TOKEN", "GH_PATH"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	char *dir = test_tmpdir();
	char *script = fake_gh(dir);
	const char *old_path = getenv("PATH");
	char *path = malloc(strlen(dir) + strlen(old_path ? old_path : "") + 2);
	sprintf(path, "%s:%s", dir, old_path ? old_path : "");
	char *saved_path = old_path ? strdup(old_path) : NULL;
	setenv("PATH", path, 1);
	char source[64];
	struct gh_token *t;
	/* github.com: GH_TOKEN before GITHUB_TOKEN. */
	setenv("GITHUB_TOKEN", "ghp_b", 1);
	t = gh_token_for_host("github.com", source, sizeof(source));
	CHECK(t != NULL);
	CHECK_STR(source, "GITHUB_TOKEN");
	gh_token_free(t);
	setenv("GH_TOKEN", "ghp_a", 1);
	t = gh_token_for_host("github.com", source, sizeof(source));
	CHECK_STR(source, "GH_TOKEN");
	gh_token_free(t);
	/* Another host never gets a github.com token; its own variables, then gh. */
	t = gh_token_for_host("ghe.example.com", source, sizeof(source));
	CHECK(t != NULL);
	CHECK_STR(source, "gh auth token");
	gh_token_free(t);
	t = gh_token_for_host("other.example.com", source, sizeof(source));
	CHECK(t == NULL); /* the fake gh is not logged in there */
	setenv("GITHUB_ENTERPRISE_TOKEN", "ghp_e2", 1);
	t = gh_token_for_host("ghe.example.com", source, sizeof(source));
	CHECK_STR(source, "GITHUB_ENTERPRISE_TOKEN");
	gh_token_free(t);
	setenv("GH_ENTERPRISE_TOKEN", "ghp_e1", 1);
	t = gh_token_for_host("ghe.example.com", source, sizeof(source));
	CHECK_STR(source, "GH_ENTERPRISE_TOKEN");
	gh_token_free(t);
	/* github.com asks gh too when no variable is set; GH_PATH names another gh. */
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	CHECK(gh_token_for_host("github.com", source, sizeof(source)) == NULL);
	setenv("PATH", "/nonexistent", 1);
	CHECK(gh_token_for_host("ghe.example.com", source, sizeof(source)) == NULL);
	setenv("GH_PATH", script, 1);
	t = gh_token_for_host("ghe.example.com", source, sizeof(source));
	CHECK(t != NULL);
	gh_token_free(t);
	unsetenv("GH_PATH");
	char *log = test_path(dir, "gh.log");
	FILE *f = fopen(log, "r");
	char line[256];
	int calls = 0, github = 0;
	while (f && fgets(line, sizeof(line), f)) {
		calls++;
		github += !strcmp(line, "auth token --hostname github.com\n");
	}
	if (f)
		fclose(f);
	CHECK_INT(calls, 4);
	CHECK_INT(github, 1);
	if (saved_path)
		setenv("PATH", saved_path, 1);
	free(saved_path);
	free(path);
	free(log);
	free(script);
	free(dir);
}

static void test_scrub(void)
{
	struct error err;
	snprintf(err.msg, sizeof(err.msg), "a ghp_SECRET b ghp_SECRETghp_SECRET c");
	gh_scrub(&err, "ghp_SECRET");
	CHECK_STR(err.msg, "a [token] b [token][token] c");
	/* A token shorter than its mark, or found inside the mark, must not loop or overflow. */
	snprintf(err.msg, sizeof(err.msg), "token, token and x");
	gh_scrub(&err, "token");
	CHECK_STR(err.msg, "[token], [token] and x");
	memset(err.msg, 'x', sizeof(err.msg) - 1);
	err.msg[sizeof(err.msg) - 1] = '\0';
	gh_scrub(&err, "x");
	CHECK(strlen(err.msg) == sizeof(err.msg) - 1);
	CHECK(strchr(err.msg, 'x') == NULL);
	snprintf(err.msg, sizeof(err.msg), "nothing here");
	gh_scrub(&err, "");
	gh_scrub(&err, NULL);
	CHECK_STR(err.msg, "nothing here");
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
	TEST(test_skew);
	TEST(test_secondary);
	TEST(test_retry_after);
	TEST(test_same_origin);
	TEST(test_resource);
	TEST(test_token);
	TEST(test_hosts);
	TEST(test_loopback);
	TEST(test_token_for_host);
	TEST(test_scrub);
	TEST(test_client_options);
	curl_global_cleanup();
	return test_done();
}
