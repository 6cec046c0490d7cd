/*
 * test_fetch.c - the fetcher's pure parts: the search query, created: windows
 * and their bisection, the cap, the listing state; and that a fetch that
 * cannot reach GitHub writes nothing.
 */
#include "fetch.h"
#include "strbuf.h"
#include "test.h"
#include "timeutil.h"

#include <curl/curl.h>
#include <stdlib.h>

static void check_query(const struct fetch_options *opt, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	struct error err;
	CHECK_INT(fetch_build_query(opt, "pytorch/pytorch", &sb, &err), 0);
	CHECK_STR(sb.buf, want);
	strbuf_release(&sb);
}

static void test_build_query(void)
{
	const char *labels[] = {"module: onnx", "triaged"};
	struct fetch_options opt = {"pytorch/pytorch"};
	check_query(&opt, "repo:pytorch/pytorch is:issue is:closed");
	opt.labels = labels;
	opt.nlabels = 1;
	check_query(&opt, "repo:pytorch/pytorch is:issue is:closed label:\"module: onnx\"");
	opt.nlabels = 2;
	opt.state = "open";
	check_query(&opt, "repo:pytorch/pytorch is:issue is:open label:\"module: onnx\" "
	                  "label:\"triaged\"");
	opt.nlabels = 0;
	opt.state = "all";
	opt.include_prs = 1;
	check_query(&opt, "repo:pytorch/pytorch");
	opt.state = "closed";
	opt.query = "-label:question comments:>2";
	check_query(&opt, "repo:pytorch/pytorch is:closed -label:question comments:>2");

	struct strbuf sb = STRBUF_INIT;
	struct error err;
	const char *bad[] = {"say \"hi\""};
	struct fetch_options quoted = {"a/b", bad, 1};
	CHECK_INT(fetch_build_query(&quoted, "a/b", &sb, &err), -1);
	CHECK(strstr(err.msg, "label 'say \"hi\"' cannot be searched for") != NULL);
	const char *empty[] = {""};
	struct fetch_options none = {"a/b", empty, 1};
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&none, "a/b", &sb, &err), -1);
	struct fetch_options state = {"a/b", NULL, 0, "merged"};
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&state, "a/b", &sb, &err), -1);
	CHECK(strstr(err.msg, "state 'merged'") != NULL);
	strbuf_release(&sb);
}

static void test_window_split(void)
{
	struct fetch_window w = {0, 10}, l, r;
	CHECK_INT(fetch_window_split(&w, &l, &r), 0);
	CHECK_INT(l.from, 0);
	CHECK_INT(l.to, 5);
	CHECK_INT(r.from, 6);
	CHECK_INT(r.to, 10);
	struct fetch_window two = {7, 8};
	CHECK_INT(fetch_window_split(&two, &l, &r), 0);
	CHECK_INT(l.to, 7);
	CHECK_INT(r.from, 8);
	struct fetch_window second = {5, 5}, unbounded = {-1, -1};
	CHECK_INT(fetch_window_split(&second, &l, &r), -1);
	CHECK_INT(fetch_window_split(&unbounded, &l, &r), -1);

	/* Halves cover the window exactly, and bisection ends within 64 levels. */
	srand(7);
	for (int i = 0; i < 1000; i++) {
		time_t from = rand() % 2000000000, len = 1 + rand() % 500000000;
		struct fetch_window x = {from, from + len};
		CHECK_INT(fetch_window_split(&x, &l, &r), 0);
		CHECK(l.from == x.from && r.to == x.to && l.to + 1 == r.from);
		CHECK(l.from <= l.to && r.from <= r.to);
		int depth = 0;
		while (!fetch_window_split(&x, &l, &r) && depth < 100) {
			x = (rand() & 1) ? l : r;
			depth++;
		}
		CHECK(depth <= 64);
		CHECK(x.from == x.to);
	}
}

static void test_window_qualifier(void)
{
	struct strbuf sb = STRBUF_INIT;
	time_t a, b;
	CHECK_INT(time_parse_iso("2019-01-01T00:00:00Z", &a), 0);
	CHECK_INT(time_parse_iso("2019-06-30T23:59:59Z", &b), 0);
	struct fetch_window w = {a, b};
	fetch_window_qualifier(&w, &sb);
	CHECK_STR(sb.buf, " created:2019-01-01T00:00:00+00:00..2019-06-30T23:59:59+00:00");
	strbuf_reset(&sb);
	struct fetch_window all = {-1, -1};
	fetch_window_qualifier(&all, &sb);
	CHECK_STR(sb.buf, "");
	strbuf_release(&sb);
}

static void test_search_capped(void)
{
	const char *last10 = "https://api.github.com/search/issues?q=x&per_page=100&page=10";
	const char *last2 = "http://127.0.0.1:1/search/issues?q=x&per_page=100&page=2";
	CHECK(fetch_search_capped(1001, last10));
	CHECK(fetch_search_capped(29512, last10));
	CHECK(!fetch_search_capped(1000, last10));
	CHECK(!fetch_search_capped(950, last10));
	CHECK(!fetch_search_capped(80, NULL));
	/* A server with a smaller cap says so in its last page. */
	CHECK(fetch_search_capped(450, last2));
	CHECK(!fetch_search_capped(200, last2));
	CHECK(fetch_search_capped(5000, NULL));
}

static void test_state_json(void)
{
	struct fetch_state st = {0}, back = {0};
	struct error err;
	st.updated_since = strdup("2024-01-01T00:00:00+00:00");
	struct fetch_window w1 = {100, 200}, w2 = {0, 99};
	fetch_state_push(&st, w1);
	fetch_state_push(&st, w2);
	st.next_url = strdup("https://api.github.com/search/issues?q=a&page=3");
	st.listed = 250;
	st.limited = 1;
	char *text = fetch_state_to_json(&st);
	CHECK_INT(fetch_state_from_json(text, &back, &err), 0);
	CHECK_STR(back.updated_since, st.updated_since);
	CHECK_STR(back.next_url, st.next_url);
	CHECK_INT(back.nwindows, 2);
	CHECK_INT(back.windows[0].from, 100);
	CHECK_INT(back.windows[1].to, 99);
	CHECK_INT(back.listed, 250);
	CHECK_INT(back.limited, 1);
	CHECK_INT(back.listing_done, 0);
	free(text);
	fetch_state_release(&back);
	/* A fresh state: no refresh bound, no next page. */
	fetch_state_release(&st);
	struct fetch_window all = {-1, -1};
	fetch_state_push(&st, all);
	text = fetch_state_to_json(&st);
	CHECK_INT(fetch_state_from_json(text, &back, &err), 0);
	CHECK(back.updated_since == NULL && back.next_url == NULL);
	CHECK_INT(back.windows[0].from, -1);
	free(text);
	fetch_state_release(&back);
	fetch_state_release(&st);
	CHECK_INT(fetch_state_from_json("{\"windows\": 3}", &back, &err), -1);
	CHECK_INT(fetch_state_from_json("not json", &back, &err), -1);
	fetch_state_release(&back);
}

/* Nothing answers on port 9: the fetch fails after its tries and writes nothing. */
static void test_unreachable_writes_nothing(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "t.db");
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	struct gh_options go = {"http://127.0.0.1:9", NULL, 0.001, 2};
	struct gh_client *gh = gh_client_new(&go, &err);
	struct fetch_options fo = {"acme/widgets"};
	struct fetch_counts counts = {0};
	CHECK_INT(fetch_run(s, gh, &fo, &counts, &err), -1);
	CHECK(strstr(err.msg, "repository acme/widgets: ") != NULL);
	CHECK(strstr(err.msg, "(gave up after 2 tries)") != NULL);
	CHECK_INT(gh_client_stats(gh)->requests, 2);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(s->db,
	                   "SELECT (SELECT count(*) FROM repositories) + (SELECT count(*) FROM "
	                   "fetch_queries) + (SELECT count(*) FROM issues)",
	                   -1, &st, NULL);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	/* A bad name never reaches the network. */
	struct fetch_options bad = {"not-a-repo"};
	CHECK_INT(fetch_run(s, gh, &bad, &counts, &err), -1);
	CHECK_STR(err.msg, "'not-a-repo' is not OWNER/NAME");
	CHECK_INT(gh_client_stats(gh)->requests, 2);
	gh_client_free(gh);
	store_close(s);
	free(path);
	free(dir);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	TEST(test_build_query);
	TEST(test_window_split);
	TEST(test_window_qualifier);
	TEST(test_search_capped);
	TEST(test_state_json);
	TEST(test_unreachable_writes_nothing);
	curl_global_cleanup();
	return test_done();
}
