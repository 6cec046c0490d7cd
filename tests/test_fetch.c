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
	/* Qualifiers that widen the search would store other repositories' issues here. */
	const char *widening[] = {"repo:other/x", "comments:>2 ORG:acme", "user:bob is:locked"};
	for (size_t i = 0; i < sizeof(widening) / sizeof(widening[0]); i++) {
		struct fetch_options wide = {"a/b", NULL, 0, NULL, widening[i]};
		strbuf_reset(&sb);
		CHECK_INT(fetch_build_query(&wide, "a/b", &sb, &err), -1);
		CHECK(strstr(err.msg, "would search beyond a/b") != NULL);
	}
	CHECK(strstr(err.msg, "--query: user:bob would") != NULL);
	struct fetch_options narrowing = {"a/b", NULL, 0, NULL, "-repo:a/c -user:bob repository"};
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&narrowing, "a/b", &sb, &err), 0);
	/* --since is a created: window of its own. */
	struct fetch_options both = {"a/b", NULL, 0, NULL, "created:>2020-01-01"};
	both.since = "2021-01-01";
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&both, "a/b", &sb, &err), -1);
	CHECK(strstr(err.msg, "--since and a created: qualifier") != NULL);
	/* A query too long to name its run is refused, not cut short. */
	char *longq = malloc(FETCH_QUERY_MAX);
	memset(longq, 'x', FETCH_QUERY_MAX - 1);
	longq[FETCH_QUERY_MAX - 1] = '\0';
	struct fetch_options toolong = {"a/b", NULL, 0, NULL, longq};
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&toolong, "a/b", &sb, &err), -1);
	CHECK(strstr(err.msg, "more than GitHub takes") != NULL);
	longq[FETCH_QUERY_MAX - 100] = '\0';
	toolong.query = longq;
	strbuf_reset(&sb);
	CHECK_INT(fetch_build_query(&toolong, "a/b", &sb, &err), 0);
	free(longq);
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
	st.step = FETCH_STEP_BROAD;
	st.updated_since = strdup("2024-01-01T00:00:00+00:00");
	st.run = strdup("2024-06-01T00:00:00Z#7");
	struct fetch_window w1 = {100, 200}, w2 = {0, 99};
	fetch_state_push(&st, w1);
	fetch_state_push(&st, w2);
	st.cursor = json_pack("{s:I, s:[I, I]}", "after", (json_int_t)150, "seen", 3, 4);
	st.listed = 250;
	st.expected = 1234;
	st.limited = 1;
	char *text = fetch_state_to_json(&st);
	CHECK_INT(fetch_state_from_json(text, &back, &err), 0);
	CHECK_INT(back.step, FETCH_STEP_BROAD);
	CHECK_STR(back.updated_since, st.updated_since);
	CHECK_STR(back.run, st.run);
	CHECK(json_equal(back.cursor, st.cursor));
	CHECK_INT(back.nwindows, 2);
	CHECK_INT(back.windows[0].from, 100);
	CHECK_INT(back.windows[1].to, 99);
	CHECK_INT(back.listed, 250);
	CHECK_INT(back.expected, 1234);
	CHECK_INT(back.limited, 1);
	free(text);
	fetch_state_release(&back);
	/* A fresh state: no refresh bound, no cursor, nothing counted. */
	fetch_state_release(&st);
	struct fetch_window all = {-1, -1};
	fetch_state_push(&st, all);
	st.expected = -1;
	text = fetch_state_to_json(&st);
	CHECK_INT(fetch_state_from_json(text, &back, &err), 0);
	CHECK(back.updated_since == NULL && back.cursor == NULL);
	CHECK_INT(back.step, FETCH_STEP_LIST);
	CHECK_INT(back.expected, -1);
	CHECK_INT(back.windows[0].from, -1);
	free(text);
	fetch_state_release(&back);
	fetch_state_release(&st);
	/* A state an older issuemine saved: its page URL is the cursor, its flag the step. */
	CHECK_INT(fetch_state_from_json(
	                  "{\"windows\": [[0, 9]], \"next_url\": \"https://h/x?page=2\", "
	                  "\"listing_done\": false, \"listed\": 100}",
	                  &back, &err),
	          0);
	CHECK_INT(back.step, FETCH_STEP_LIST);
	CHECK_STR(json_string_value(json_object_get(back.cursor, "next")), "https://h/x?page=2");
	CHECK_INT(back.expected, -1);
	fetch_state_release(&back);
	CHECK_INT(fetch_state_from_json("{\"windows\": [], \"listing_done\": true}", &back, &err),
	          0);
	CHECK_INT(back.step, FETCH_STEP_DONE);
	fetch_state_release(&back);
	CHECK_INT(fetch_state_from_json("{\"windows\": 3}", &back, &err), -1);
	CHECK_INT(fetch_state_from_json("{\"windows\": [], \"step\": \"dance\"}", &back, &err), -1);
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

static int count_opens(void *data, struct store **s, struct error *err)
{
	++*(int *)data;
	return error_set(err, "not to be opened");
}

/*
 * Nothing answers, with the default tries: before the server ever answered,
 * a refused connection is tried twice, not eight times, and the database is
 * never opened (so no file is made).
 */
static void test_unreachable_fails_fast(void)
{
	struct error err;
	struct gh_options go = {"http://127.0.0.1:9", NULL, 0.001, 0};
	struct gh_client *gh = gh_client_new(&go, &err);
	int opens = 0;
	struct fetch_options fo = {"acme/widgets"};
	fo.open_store = count_opens;
	fo.open_data = &opens;
	struct fetch_counts counts = {0};
	CHECK_INT(fetch_run(NULL, gh, &fo, &counts, &err), -1);
	CHECK(strstr(err.msg, "(gave up after 2 tries)") != NULL);
	CHECK_INT(gh_client_stats(gh)->requests, GH_FIRST_TRIES);
	CHECK_INT(opens, 0);
	gh_client_free(gh);
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
	TEST(test_unreachable_fails_fast);
	curl_global_cleanup();
	return test_done();
}
