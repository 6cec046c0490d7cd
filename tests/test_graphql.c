/*
 * test_graphql.c - the GraphQL side of the client: the endpoint, classifying
 * answers, the query texts and their variables, the translation of nodes into
 * REST objects, reading answers, and storing what they give.
 */
#include "gh.h"
#include "graphql.h"
#include "store.h"
#include "test.h"
#include "teststore.h"

#include <stdlib.h>
#include <string.h>

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		test_fail(__FILE__, __LINE__, "bad test JSON: %s at %d: %s", e.text, e.position,
		          text);
	return j;
}

static const char *str(json_t *obj, const char *path)
{
	/* a.b.c through objects */
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *cur = obj;
	for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
		cur = json_object_get(cur, tok);
	return json_string_value(cur);
}

static void test_endpoint(void)
{
	char *u = gh_graphql_url("https://api.github.com");
	CHECK_STR(u, "https://api.github.com/graphql");
	free(u);
	u = gh_graphql_url("https://api.github.com/");
	CHECK_STR(u, "https://api.github.com/graphql");
	free(u);
	u = gh_graphql_url("https://ghe.example.com/api/v3");
	CHECK_STR(u, "https://ghe.example.com/api/graphql");
	free(u);
	u = gh_graphql_url("https://ghe.example.com/api/v3/");
	CHECK_STR(u, "https://ghe.example.com/api/graphql");
	free(u);
	u = gh_graphql_url("http://127.0.0.1:8080");
	CHECK_STR(u, "http://127.0.0.1:8080/graphql");
	free(u);
	CHECK_STR(gh_resource_of("https://api.github.com", "https://api.github.com/graphql"),
	          "graphql");
	CHECK_STR(gh_resource_of("https://h/api/v3", "https://h/api/graphql"), "graphql");
	CHECK_STR(gh_resource_of("https://h/api/v3", "https://h/api/v3/search/issues?q=x"),
	          "search");
	CHECK_STR(gh_resource_of("https://h/api/v3", "https://h/api/v3/repos/o/r"), "core");
}

static enum gh_graphql_status classify(const char *text)
{
	json_t *j = parse(text);
	enum gh_graphql_status st = gh_graphql_classify(j);
	json_decref(j);
	return st;
}

static void test_classify(void)
{
	CHECK_INT(classify("{\"data\": {\"x\": 1}}"), GH_GRAPHQL_OK);
	CHECK_INT(classify("{\"data\": {\"x\": 1}, \"errors\": []}"), GH_GRAPHQL_OK);
	CHECK_INT(classify("{\"data\": null}"), GH_GRAPHQL_FAILED);
	CHECK_INT(classify("[]"), GH_GRAPHQL_FAILED);
	CHECK_INT(classify("{\"errors\": {}}"), GH_GRAPHQL_FAILED);
	CHECK_INT(
	        classify("{\"errors\": [{\"type\": \"RATE_LIMITED\", \"message\": \"API rate limit "
	                 "already exceeded for user ID 1.\"}]}"),
	        GH_GRAPHQL_RATE_LIMITED);
	CHECK_INT(
	        classify("{\"errors\": [{\"message\": \"You have exceeded a secondary rate limit. "
	                 "Please wait a few minutes before you try again.\"}]}"),
	        GH_GRAPHQL_SECONDARY);
	CHECK_INT(classify("{\"errors\": [{\"type\": \"MAX_NODE_LIMIT_EXCEEDED\", \"message\": "
	                   "\"This query requests up to 1,010,100 possible nodes\"}]}"),
	          GH_GRAPHQL_TOO_BIG);
	CHECK_INT(classify("{\"data\": {\"a\": null}, \"errors\": [{\"type\": "
	                   "\"RESOURCE_LIMITS_EXCEEDED\", \"message\": \"x\"}]}"),
	          GH_GRAPHQL_TOO_BIG);
	CHECK_INT(
	        classify("{\"data\": null, \"errors\": [{\"message\": \"Something went wrong while "
	                 "executing your query. This may be the result of a timeout, or it could "
	                 "be a GitHub bug.\"}]}"),
	        GH_GRAPHQL_TIMEOUT);
	CHECK_INT(
	        classify(
	                "{\"data\": {\"repository\": null}, \"errors\": [{\"type\": \"NOT_FOUND\", "
	                "\"path\": [\"repository\"], \"message\": \"Could not resolve\"}]}"),
	        GH_GRAPHQL_NOT_FOUND);
	CHECK_INT(classify("{\"data\": {\"a\": null}, \"errors\": [{\"type\": \"NOT_FOUND\"}, "
	                   "{\"type\": \"SERVICE_UNAVAILABLE\", \"path\": [\"a\"]}]}"),
	          GH_GRAPHQL_PARTIAL);
	/* A parse error has no data: it is final. */
	CHECK_INT(classify("{\"errors\": [{\"message\": \"Parse error on \\\"}\\\" (RCURLY) at [1, "
	                   "2]\"}]}"),
	          GH_GRAPHQL_FAILED);
	/* The rate limit wins over what else is said. */
	CHECK_INT(classify("{\"data\": {}, \"errors\": [{\"type\": \"NOT_FOUND\"}, {\"type\": "
	                   "\"RATE_LIMITED\"}]}"),
	          GH_GRAPHQL_RATE_LIMITED);
}

/* Every $variable declared in a query's header is used after it, and every fragment spread. */
static void check_well_formed(const char *q)
{
	const char *body = strchr(q, ')');
	CHECK(body != NULL);
	for (const char *p = strchr(q, '$'); p && p < body; p = strchr(p + 1, '$')) {
		char name[64];
		size_t n = strspn(p + 1,
		                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		snprintf(name, sizeof(name), "$%.*s", (int)n, p + 1);
		const char *use = strstr(body, name);
		while (use && strchr("abcdefghijklmnopqrstuvwxyz0123456789", use[strlen(name)]))
			use = strstr(use + 1, name);
		if (!use)
			test_fail(__FILE__, __LINE__, "variable %s is declared but not used", name);
	}
	for (const char *p = strstr(q, "fragment "); p; p = strstr(p + 1, "fragment ")) {
		char spread[80];
		size_t n = strcspn(p + 9, " ");
		snprintf(spread, sizeof(spread), "...%.*s ", (int)n, p + 9);
		if (!strstr(q, spread))
			test_fail(__FILE__, __LINE__, "fragment %s is defined but not used",
			          spread + 3);
	}
	/* Balanced braces. */
	int depth = 0;
	for (const char *p = q; *p; p++) {
		depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
		CHECK(depth >= 0);
	}
	CHECK_INT(depth, 0);
}

/* A schema as introspection gives it: a few types of each union, and their fields. */
static const char schema_answer[] =
        "{\"repository\": {\"nameWithOwner\": \"Acme/Widgets\"}, "
        "\"issueItems\": {\"possibleTypes\": ["
        "{\"name\": \"IssueComment\", \"fields\": [{\"name\": \"author\"}, {\"name\": \"body\"}, "
        "{\"name\": \"createdAt\"}, {\"name\": \"url\"}]}, "
        "{\"name\": \"ClosedEvent\", \"fields\": [{\"name\": \"actor\"}, {\"name\": "
        "\"createdAt\"}, {\"name\": \"closer\"}]}, "
        "{\"name\": \"IssueFieldChangedEvent\", \"fields\": [{\"name\": \"actor\"}, {\"name\": "
        "\"createdAt\"}, {\"name\": \"field\"}]}]}, "
        "\"prItems\": {\"possibleTypes\": ["
        "{\"name\": \"PullRequestReviewThread\", \"fields\": [{\"name\": \"path\"}, {\"name\": "
        "\"comments\"}]}, "
        "{\"name\": \"PullRequestRevisionMarker\", \"fields\": [{\"name\": \"createdAt\"}]}]}}";

static void test_schema(void)
{
	struct error err;
	struct graphql_schema schema = {0};
	char *name = NULL;
	json_t *data = parse(schema_answer);
	CHECK_INT(graphql_schema_parse(data, &name, &schema, &err), 0);
	CHECK_STR(name, "Acme/Widgets");
	free(name);
	char *q = graphql_search_query(&schema, 1);
	check_well_formed(q);
	/* Known types get the table's fields the server has (ClosedEvent has no stateReason here).
	 */
	CHECK(strstr(q, "... on ClosedEvent { actor { ...Actor } createdAt closer {") != NULL);
	CHECK(strstr(q, "stateReason closer") == NULL);
	/* A type added after this was written: its actor and time. */
	CHECK(strstr(q, "... on IssueFieldChangedEvent { actor { ...Actor } createdAt }") != NULL);
	/* Types the server lacks are not named; REST-less ones get no fields. */
	CHECK(strstr(q, "ConnectedEvent") == NULL);
	CHECK(strstr(q, "PullRequestRevisionMarker") == NULL);
	CHECK(strstr(q, "itemTypes") == NULL);
	free(q);
	graphql_schema_release(&schema);
	json_decref(data);
	/* A type name that is not a GraphQL name never reaches a query. */
	const char *const bad[] = {
	        ("{\"issueItems\": {\"possibleTypes\": [{\"name\": \"X } query { viewer\", "
	         "\"fields\": []}]}, \"prItems\": {\"possibleTypes\": []}}"),
	        "{\"issueItems\": {\"possibleTypes\": []}}",
	        "{\"issueItems\": {}, \"prItems\": {\"possibleTypes\": []}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		data = parse(bad[i]);
		memset(&schema, 0, sizeof(schema));
		CHECK_INT(graphql_schema_parse(data, &name, &schema, &err), -1);
		CHECK(schema.issue == NULL && schema.pr == NULL && name == NULL);
		json_decref(data);
	}
	/* A repository that does not resolve: no name, the schema all the same. */
	data = parse("{\"repository\": null, \"issueItems\": {\"possibleTypes\": []}, "
	             "\"prItems\": {\"possibleTypes\": []}}");
	CHECK_INT(graphql_schema_parse(data, &name, &schema, &err), 0);
	CHECK(name == NULL);
	graphql_schema_release(&schema);
	json_decref(data);
	q = graphql_repository_query();
	check_well_formed(q);
	CHECK(strstr(q, "__type(name: \"IssueTimelineItems\")") != NULL);
	CHECK(strstr(q, "__type(name: \"PullRequestTimelineItems\")") != NULL);
	free(q);
}

static void test_search_query(void)
{
	char *q = graphql_search_query(NULL, 0);
	check_well_formed(q);
	CHECK(strstr(q, "search(type: ISSUE, query: $q, first: $first, after: $after)") != NULL);
	CHECK(strstr(q, "rateLimit { cost limit remaining resetAt }") != NULL);
	CHECK(strstr(q, "pageInfo { hasNextPage endCursor }") != NULL);
	/* Every item type comes: no itemTypes. */
	CHECK(strstr(q, "timelineItems(first: $timeline) {") != NULL);
	CHECK(strstr(q, "itemTypes") == NULL);
	CHECK(strstr(q, "labels(first: 100)") != NULL);
	CHECK(strstr(q, "repository { nameWithOwner }") != NULL);
	CHECK(strstr(q, "... on ClosedEvent {") != NULL);
	CHECK(strstr(q, "mergeCommit { oid }") != NULL);
	CHECK(strstr(q, "... on ConnectedEvent {") != NULL);
	CHECK(strstr(q, "... on ProjectV2ItemStatusChangedEvent {") != NULL);
	CHECK(strstr(q, "... on SubIssueAddedEvent {") != NULL);
	CHECK(strstr(q, "... on BlockedByAddedEvent {") != NULL);
	CHECK(strstr(q, "PullRequestNode") == NULL);
	CHECK(strstr(q, "... on PullRequestCommit") == NULL); /* pull request items only with PRs */
	/* Thread comments are not asked inline: each would cost a request per item. */
	CHECK(strstr(q, "comments(first") == NULL);
	free(q);
	q = graphql_search_query(NULL, 1);
	check_well_formed(q);
	CHECK(strstr(q, "...PullRequestNode") != NULL);
	CHECK(strstr(q, "prState: state") != NULL);
	CHECK(strstr(q, "... on PullRequestCommit") != NULL);
	CHECK(strstr(q, "... on MergedEvent") != NULL);
	CHECK(strstr(q, "... on PullRequestReviewThread { path isResolved }") != NULL);
	CHECK(strstr(q, "comments(first") == NULL);
	free(q);
	q = graphql_count_query();
	check_well_formed(q);
	CHECK(strstr(q, "issueCount") != NULL);
	free(q);
	q = graphql_issue_query(NULL, 1);
	check_well_formed(q);
	CHECK(strstr(q, "issueOrPullRequest(number: $number)") != NULL);
	free(q);
	q = graphql_issue_query(NULL, 0);
	check_well_formed(q);
	CHECK(strstr(q, "issue(number: $number)") != NULL);
	CHECK(strstr(q, "PullRequestNode") == NULL);
	free(q);
}

static void test_search_variables(void)
{
	/* Whatever the search holds, it travels as a variable: the text never changes. */
	struct graphql_search_request req = {
	        "repo:a/b label:\"x\\\" } query { viewer\" created:2020-01-01..2020-02-01", NULL,
	        100, 100, 0};
	json_t *v = graphql_search_variables(&req);
	CHECK_STR(str(v, "q"),
	          "repo:a/b label:\"x\\\" } query { viewer\" created:2020-01-01..2020-02-01 "
	          "sort:created-asc");
	CHECK(json_is_null(json_object_get(v, "after")));
	CHECK_INT(json_integer_value(json_object_get(v, "first")), 100);
	CHECK_INT(json_integer_value(json_object_get(v, "timeline")), 100);
	CHECK(json_object_get(v, "issueTypes") == NULL);
	json_decref(v);
	req.after = "Y3Vyc29yOjEwMA==";
	req.include_prs = 1;
	req.first = 7;
	v = graphql_search_variables(&req);
	CHECK_STR(str(v, "after"), "Y3Vyc29yOjEwMA==");
	CHECK_INT(json_integer_value(json_object_get(v, "first")), 7);
	json_decref(v);
	char *a = graphql_search_query(NULL, 0);
	char *b = graphql_search_query(NULL, 0);
	CHECK_STR(a, b);
	free(a);
	free(b);
	/* What the REST timeline lacks is dropped on reading. */
	CHECK_INT(graphql_item_in_rest("PullRequestRevisionMarker"), 0);
	CHECK_INT(graphql_item_in_rest("BaseRefChangedEvent"), 0);
	CHECK_INT(graphql_item_in_rest("IssueComment"), 1);
	CHECK_INT(graphql_item_in_rest("IssueFieldChangedEvent"), 1);
}

static void test_timelines_query(void)
{
	struct graphql_continuation c[3] = {
	        {5, 0, "Y3Vyc29yOnYyOjEwMA=="}, {9, 1, "abc"}, {12, 0, "\" } mutation { x"}};
	struct graphql_thread_request h[2] = {{"PRRT_1", NULL}, {"CCE_2", "\" } mutation { y"}};
	char *q = graphql_timelines_query(NULL, c, 3, h, 2);
	check_well_formed(q);
	CHECK(strstr(q, "t0: issue(number: $n0)") != NULL);
	CHECK(strstr(q, "t1: pullRequest(number: $n1)") != NULL);
	CHECK(strstr(q, "t2: issue(number: $n2)") != NULL);
	CHECK(strstr(q, "timelineItems(first: $first, after: $c2)") != NULL);
	CHECK(strstr(q, "h1: node(id: $h1)") != NULL);
	CHECK(strstr(q, "comments(first: $first, after: $a1)") != NULL);
	CHECK(strstr(q, "mutation") == NULL);
	CHECK(strstr(q, "repository(owner: $owner, name: $name)") != NULL);
	json_t *v = graphql_timelines_variables("acme/widgets", c, 3, h, 2, 100);
	CHECK_STR(str(v, "owner"), "acme");
	CHECK_STR(str(v, "name"), "widgets");
	CHECK_INT(json_integer_value(json_object_get(v, "n1")), 9);
	CHECK_STR(str(v, "c2"), "\" } mutation { x");
	CHECK_STR(str(v, "h0"), "PRRT_1");
	CHECK(json_is_null(json_object_get(v, "a0")));
	CHECK_STR(str(v, "a1"), "\" } mutation { y");
	json_decref(v);
	free(q);
	/* Issues only: no pull request fragment (GraphQL refuses unused ones). */
	q = graphql_timelines_query(NULL, c, 1, NULL, 0);
	check_well_formed(q);
	CHECK(strstr(q, "PullRequestItem") == NULL);
	CHECK(strstr(q, "node(id") == NULL);
	v = graphql_timelines_variables("acme/widgets", c, 1, NULL, 0, 50);
	CHECK_INT(json_integer_value(json_object_get(v, "first")), 50);
	json_decref(v);
	free(q);
	/* Threads only: no repository, no owner or name variables. */
	q = graphql_timelines_query(NULL, NULL, 0, h, 1);
	check_well_formed(q);
	CHECK(strstr(q, "repository(") == NULL);
	CHECK(strstr(q, "$owner") == NULL);
	v = graphql_timelines_variables("acme/widgets", NULL, 0, h, 1, 100);
	CHECK(json_object_get(v, "owner") == NULL);
	json_decref(v);
	free(q);
}

static const char issue_node[] =
        "{\"__typename\": \"Issue\", \"id\": \"I_kwDOfake7\", \"databaseId\": 100000007, "
        "\"number\": 7, \"title\": \"Export fails\", \"body\": \"It fails.\", "
        "\"url\": \"https://github.com/acme/widgets/issues/7\", "
        "\"createdAt\": \"2020-01-02T03:04:05Z\", \"updatedAt\": \"2020-02-02T03:04:05Z\", "
        "\"closedAt\": \"2020-02-01T00:00:00Z\", "
        "\"author\": {\"__typename\": \"Bot\", \"login\": \"pytorch-bot\"}, "
        "\"comments\": {\"totalCount\": 3}, "
        "\"labels\": {\"totalCount\": 2, \"nodes\": [{\"id\": \"LA_1\", \"name\": \"module: "
        "onnx\", "
        "\"color\": \"f9d0c4\", \"description\": null, \"isDefault\": false}, "
        "{\"id\": \"LA_2\", \"name\": \"bug\", \"color\": \"d73a4a\", \"description\": \"\", "
        "\"isDefault\": true}]}, "
        "\"state\": \"CLOSED\", \"stateReason\": \"NOT_PLANNED\", "
        "\"timelineItems\": {\"totalCount\": 0, \"pageInfo\": {\"hasNextPage\": false, "
        "\"endCursor\": null}, \"nodes\": []}}";

static void test_issue_translation(void)
{
	struct error err;
	json_t *node = parse(issue_node);
	json_t *rest = graphql_issue_to_rest(node, &err);
	CHECK(rest != NULL);
	CHECK_INT(json_integer_value(json_object_get(rest, "id")), 100000007);
	CHECK_STR(str(rest, "node_id"), "I_kwDOfake7");
	CHECK_INT(json_integer_value(json_object_get(rest, "number")), 7);
	CHECK_STR(str(rest, "user.login"), "pytorch-bot[bot]");
	CHECK_STR(str(rest, "user.type"), "Bot");
	CHECK_STR(str(rest, "state"), "closed");
	CHECK_STR(str(rest, "state_reason"), "not_planned");
	CHECK_STR(str(rest, "html_url"), "https://github.com/acme/widgets/issues/7");
	CHECK_STR(str(rest, "closed_at"), "2020-02-01T00:00:00Z");
	CHECK_INT(json_integer_value(json_object_get(rest, "comments")), 3);
	CHECK_INT(json_array_size(json_object_get(rest, "labels")), 2);
	CHECK_STR(json_string_value(json_object_get(
	                  json_array_get(json_object_get(rest, "labels"), 1), "name")),
	          "bug");
	CHECK(json_is_true(
	        json_object_get(json_array_get(json_object_get(rest, "labels"), 1), "default")));
	CHECK(json_object_get(rest, "pull_request") == NULL);
	CHECK(json_object_get(rest, "timeline") == NULL);
	json_decref(rest);
	json_decref(node);

	/* A merged pull request by a deleted user. */
	node = parse("{\"__typename\": \"PullRequest\", \"number\": 8, \"prState\": \"MERGED\", "
	             "\"author\": null, \"mergedAt\": \"2020-03-01T00:00:00Z\", "
	             "\"url\": \"https://github.com/acme/widgets/pull/8\", \"labels\": {\"nodes\": "
	             "[]}}");
	rest = graphql_issue_to_rest(node, &err);
	CHECK_STR(str(rest, "state"), "closed");
	CHECK_STR(str(rest, "user.login"), "ghost");
	CHECK_STR(str(rest, "pull_request.merged_at"), "2020-03-01T00:00:00Z");
	CHECK_STR(str(rest, "pull_request.html_url"), "https://github.com/acme/widgets/pull/8");
	CHECK(json_object_get(rest, "state_reason") == NULL);
	json_decref(rest);
	json_decref(node);

	node = parse("{\"__typename\": \"Repository\", \"number\": 1}");
	CHECK(graphql_issue_to_rest(node, &err) == NULL);
	CHECK(strstr(err.msg, "not an Issue") != NULL);
	json_decref(node);
	node = parse("{\"__typename\": \"Issue\", \"number\": \"7\"}");
	CHECK(graphql_issue_to_rest(node, &err) == NULL);
	CHECK(strstr(err.msg, "positive number") != NULL);
	json_decref(node);
	CHECK(graphql_issue_to_rest(NULL, &err) == NULL);
}

static json_t *item(const char *text)
{
	struct error err;
	json_t *node = parse(text);
	json_t *ev = graphql_item_to_rest(node, &err);
	if (!ev)
		test_fail(__FILE__, __LINE__, "%s: %s", text, err.msg);
	json_decref(node);
	return ev;
}

static void test_comment_and_actors(void)
{
	json_t *ev = item(
	        "{\"__typename\": \"IssueComment\", \"id\": \"IC_1\", \"fullDatabaseId\": "
	        "\"12345678901\", \"author\": {\"__typename\": \"User\", \"login\": "
	        "\"alice\"}, \"body\": \"Same here.\", \"createdAt\": \"2020-01-03T00:00:00Z\", "
	        "\"updatedAt\": \"2020-01-04T00:00:00Z\", \"url\": \"https://x/1\"}");
	CHECK_STR(str(ev, "event"), "commented");
	CHECK_INT(json_integer_value(json_object_get(ev, "id")), 12345678901LL);
	CHECK_STR(str(ev, "node_id"), "IC_1");
	CHECK_STR(str(ev, "actor.login"), "alice");
	CHECK_STR(str(ev, "user.login"), "alice");
	CHECK_STR(str(ev, "body"), "Same here.");
	CHECK_STR(str(ev, "created_at"), "2020-01-03T00:00:00Z");
	CHECK_STR(str(ev, "html_url"), "https://x/1");
	json_decref(ev);
	/* A deleted user acts as ghost; a bot keeps one [bot] suffix. */
	ev = item("{\"__typename\": \"LabeledEvent\", \"actor\": null, \"createdAt\": "
	          "\"2020-01-03T00:"
	          "00:00Z\", \"label\": {\"name\": \"bug\", \"color\": \"d73a4a\"}}");
	CHECK_STR(str(ev, "event"), "labeled");
	CHECK_STR(str(ev, "actor.login"), "ghost");
	CHECK_STR(str(ev, "label.name"), "bug");
	CHECK(json_object_get(ev, "id") == NULL);
	json_decref(ev);
	ev = item("{\"__typename\": \"SubscribedEvent\", \"actor\": {\"__typename\": \"Bot\", "
	          "\"login\": \"dependabot[bot]\"}, \"createdAt\": \"2020-01-03T00:00:00Z\"}");
	CHECK_STR(str(ev, "event"), "subscribed");
	CHECK_STR(str(ev, "actor.login"), "dependabot[bot]");
	json_decref(ev);
	ev = item("{\"__typename\": \"MentionedEvent\", \"databaseId\": 42, \"actor\": "
	          "{\"__typename\": \"User\", \"login\": \"bob\"}, \"createdAt\": "
	          "\"2020-01-03T00:00:00Z\"}");
	CHECK_STR(str(ev, "event"), "mentioned");
	CHECK_INT(json_integer_value(json_object_get(ev, "id")), 42);
	json_decref(ev);
}

static void test_closed_and_commits(void)
{
	/* Closed by a commit. */
	json_t *ev = item(
	        "{\"__typename\": \"ClosedEvent\", \"actor\": {\"__typename\": \"User\", "
	        "\"login\": \"bob\"}, \"createdAt\": \"2020-01-05T00:00:00Z\", "
	        "\"stateReason\": \"COMPLETED\", \"closer\": {\"__typename\": \"Commit\", "
	        "\"oid\": \"abc123\", \"url\": \"https://github.com/acme/widgets/commit/abc123\", "
	        "\"repository\": {\"nameWithOwner\": \"acme/widgets\"}}}");
	CHECK_STR(str(ev, "event"), "closed");
	CHECK_STR(str(ev, "commit_id"), "abc123");
	CHECK_STR(str(ev, "state_reason"), "completed");
	CHECK_STR(str(ev, "closer.type"), "commit");
	CHECK_STR(str(ev, "closer.sha"), "abc123");
	CHECK_STR(str(ev, "closer.repository.full_name"), "acme/widgets");
	json_decref(ev);
	/* Closed by a merged pull request: its merge commit. */
	ev = item("{\"__typename\": \"ClosedEvent\", \"actor\": null, \"createdAt\": "
	          "\"2020-01-05T00:00:"
	          "00Z\", \"closer\": {\"__typename\": \"PullRequest\", \"number\": 99, \"url\": "
	          "\"https://github.com/acme/widgets/pull/99\", \"prState\": \"MERGED\", "
	          "\"mergeCommit\": "
	          "{\"oid\": \"def456\"}, \"repository\": {\"nameWithOwner\": \"acme/widgets\"}}}");
	CHECK_STR(str(ev, "commit_id"), "def456");
	CHECK_STR(str(ev, "closer.type"), "pull_request");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(ev, "closer"), "number")), 99);
	CHECK_STR(str(ev, "closer.state"), "closed");
	CHECK_STR(str(ev, "closer.html_url"), "https://github.com/acme/widgets/pull/99");
	json_decref(ev);
	/* Closed by hand: no commit. */
	ev = item("{\"__typename\": \"ClosedEvent\", \"actor\": {\"__typename\": \"User\", "
	          "\"login\": "
	          "\"bob\"}, \"createdAt\": \"2020-01-05T00:00:00Z\", \"closer\": null}");
	CHECK(json_is_null(json_object_get(ev, "commit_id")));
	CHECK(json_is_null(json_object_get(ev, "closer")));
	json_decref(ev);
	ev = item("{\"__typename\": \"ReferencedEvent\", \"actor\": {\"__typename\": \"User\", "
	          "\"login\": \"carol\"}, \"createdAt\": \"2020-01-06T00:00:00Z\", \"commit\": "
	          "{\"oid\": "
	          "\"0123abcd\"}, \"commitRepository\": {\"nameWithOwner\": \"acme/widgets\"}}");
	CHECK_STR(str(ev, "event"), "referenced");
	CHECK_STR(str(ev, "commit_id"), "0123abcd");
	json_decref(ev);
	ev = item("{\"__typename\": \"MergedEvent\", \"actor\": {\"__typename\": \"User\", "
	          "\"login\": "
	          "\"carol\"}, \"createdAt\": \"2020-01-06T00:00:00Z\", \"commit\": {\"oid\": "
	          "\"feed\"}}");
	CHECK_STR(str(ev, "event"), "merged");
	CHECK_STR(str(ev, "commit_id"), "feed");
	json_decref(ev);
	/* A commit of a pull request: no actor, its time is the committer's. */
	ev = item("{\"__typename\": \"PullRequestCommit\", \"id\": \"PURC_1\", \"url\": "
	          "\"https://x/c\", "
	          "\"commit\": {\"oid\": \"beef\", \"url\": \"https://x/c\", \"message\": \"Fix\", "
	          "\"author\": {\"name\": \"dave\", \"email\": \"d@x\", \"date\": "
	          "\"2020-01-07T00:00:00Z\"}, \"committer\": {\"name\": \"dave\", \"email\": "
	          "\"d@x\", "
	          "\"date\": \"2020-01-07T01:00:00Z\"}}}");
	CHECK_STR(str(ev, "event"), "committed");
	CHECK_STR(str(ev, "sha"), "beef");
	CHECK(json_object_get(ev, "actor") == NULL);
	CHECK_STR(str(ev, "committer.date"), "2020-01-07T01:00:00Z");
	json_decref(ev);
	ev = item("{\"__typename\": \"PullRequestReview\", \"fullDatabaseId\": \"77\", \"author\": "
	          "{\"__typename\": \"User\", \"login\": \"erin\"}, \"body\": \"LGTM\", \"state\": "
	          "\"APPROVED\", \"submittedAt\": \"2020-01-08T00:00:00Z\", \"createdAt\": "
	          "\"2020-01-07T23:00:00Z\", \"commit\": {\"oid\": \"cafe\"}}");
	CHECK_STR(str(ev, "event"), "reviewed");
	CHECK_STR(str(ev, "user.login"), "erin");
	CHECK_STR(str(ev, "state"), "approved");
	CHECK_STR(str(ev, "commit_id"), "cafe");
	CHECK_STR(str(ev, "submitted_at"), "2020-01-08T00:00:00Z");
	CHECK_INT(json_integer_value(json_object_get(ev, "id")), 77);
	json_decref(ev);
}

static void test_references(void)
{
	json_t *ev = item(
	        "{\"__typename\": \"CrossReferencedEvent\", \"actor\": {\"__typename\": \"User\", "
	        "\"login\": \"frank\"}, \"createdAt\": \"2020-01-09T00:00:00Z\", \"source\": "
	        "{\"__typename\": \"PullRequest\", \"number\": 1234, \"title\": \"Fix export\", "
	        "\"url\": "
	        "\"https://github.com/pytorch/pytorch/pull/1234\", \"prState\": \"MERGED\", "
	        "\"mergedAt\": \"2020-01-10T00:00:00Z\", \"repository\": {\"nameWithOwner\": "
	        "\"pytorch/pytorch\"}}}");
	CHECK_STR(str(ev, "event"), "cross-referenced");
	CHECK_STR(str(ev, "source.type"), "issue");
	CHECK_STR(str(ev, "source.issue.state"), "closed");
	CHECK_STR(str(ev, "source.issue.repository.full_name"), "pytorch/pytorch");
	CHECK_STR(str(ev, "source.issue.title"), "Fix export");
	CHECK_STR(str(ev, "source.issue.pull_request.merged_at"), "2020-01-10T00:00:00Z");
	CHECK_INT(json_integer_value(json_object_get(
	                  json_object_get(json_object_get(ev, "source"), "issue"), "number")),
	          1234);
	json_decref(ev);
	ev = item(
	        "{\"__typename\": \"CrossReferencedEvent\", \"actor\": null, \"createdAt\": "
	        "\"2020-01-09T00:00:00Z\", \"source\": {\"__typename\": \"Issue\", \"number\": 5, "
	        "\"state\": \"OPEN\", \"repository\": {\"nameWithOwner\": \"onnx/onnx\"}}}");
	CHECK_STR(str(ev, "source.issue.state"), "open");
	CHECK(json_object_get(json_object_get(json_object_get(ev, "source"), "issue"),
	                      "pull_request") == NULL);
	json_decref(ev);
	/* connected: REST does not say what; GraphQL's subject is kept. */
	ev = item("{\"__typename\": \"ConnectedEvent\", \"actor\": {\"__typename\": \"User\", "
	          "\"login\": \"grace\"}, \"createdAt\": \"2020-01-11T00:00:00Z\", "
	          "\"isCrossRepository\": false, \"source\": {\"__typename\": \"Issue\", "
	          "\"number\": 7, "
	          "\"state\": \"CLOSED\", \"repository\": {\"nameWithOwner\": \"acme/widgets\"}}, "
	          "\"subject\": {\"__typename\": \"PullRequest\", \"number\": 40001, \"prState\": "
	          "\"MERGED\", \"url\": \"https://github.com/acme/widgets/pull/40001\", "
	          "\"repository\": {\"nameWithOwner\": \"acme/widgets\"}}}");
	CHECK_STR(str(ev, "event"), "connected");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(ev, "subject"), "number")),
	          40001);
	CHECK(json_object_get(json_object_get(ev, "subject"), "pull_request") != NULL);
	CHECK_INT(json_integer_value(
	                  json_object_get(json_object_get(ev, "reference_source"), "number")),
	          7);
	CHECK(json_object_get(ev, "source") ==
	      NULL); /* the store reads source as a cross-reference's */
	json_decref(ev);
}

static void test_other_items(void)
{
	json_t *ev = item("{\"__typename\": \"RenamedTitleEvent\", \"actor\": {\"__typename\": "
	                  "\"User\", \"login\": \"a\"}, \"createdAt\": \"2020-01-01T00:00:00Z\", "
	                  "\"previousTitle\": \"old\", \"currentTitle\": \"new\"}");
	CHECK_STR(str(ev, "event"), "renamed");
	CHECK_STR(str(ev, "rename.from"), "old");
	CHECK_STR(str(ev, "rename.to"), "new");
	json_decref(ev);
	ev = item("{\"__typename\": \"MilestonedEvent\", \"milestoneTitle\": \"v1.2\"}");
	CHECK_STR(str(ev, "milestone.title"), "v1.2");
	json_decref(ev);
	ev = item("{\"__typename\": \"HeadRefDeletedEvent\"}");
	CHECK_STR(str(ev, "event"), "head_ref_deleted");
	json_decref(ev);
	ev = item("{\"__typename\": \"PullRequestReviewThread\", \"id\": \"PRRT_1\"}");
	CHECK_STR(str(ev, "event"), "line-commented");
	json_decref(ev);
	/* A thread's comments, when asked for, become REST's "comments" array. */
	ev = item("{\"__typename\": \"PullRequestReviewThread\", \"id\": \"PRRT_2\", "
	          "\"comments\": {\"nodes\": [{\"author\": {\"__typename\": \"User\", "
	          "\"login\": \"ann\"}, \"body\": \"nit\", \"createdAt\": "
	          "\"2020-01-01T00:00:00Z\", \"path\": \"a.py\", \"commit\": {\"oid\": "
	          "\"abc\"}}, {\"author\": null, \"body\": \"done\", \"createdAt\": "
	          "\"2020-01-02T00:00:00Z\"}]}}");
	json_t *cs = json_object_get(ev, "comments");
	CHECK_INT(json_array_size(cs), 2);
	CHECK_STR(json_string_value(
	                  json_object_get(json_object_get(json_array_get(cs, 0), "user"), "login")),
	          "ann");
	CHECK_STR(json_string_value(json_object_get(json_array_get(cs, 0), "commit_id")), "abc");
	CHECK_STR(json_string_value(json_object_get(json_array_get(cs, 1), "body")), "done");
	json_decref(ev);
	ev = item("{\"__typename\": \"PullRequestCommitCommentThread\", \"commit\": {\"oid\": "
	          "\"def\"}}");
	CHECK_STR(str(ev, "event"), "commit-commented");
	CHECK_STR(str(ev, "commit_id"), "def");
	CHECK_INT(json_array_size(json_object_get(ev, "comments")), 0);
	json_decref(ev);
	ev = item("{\"__typename\": \"MarkedAsDuplicateEvent\"}");
	CHECK_STR(str(ev, "event"), "marked_as_duplicate");
	json_decref(ev);
	/* Types added to GitHub after this was written get REST's way of naming. */
	ev = item("{\"__typename\": \"IssueTypeAddedEvent\", \"createdAt\": "
	          "\"2025-01-01T00:00:00Z\"}");
	CHECK_STR(str(ev, "event"), "issue_type_added");
	json_decref(ev);
	CHECK_STR(graphql_event_name("IssueComment"), "commented");
	CHECK(graphql_event_name("LabeledEvent") != NULL);
	CHECK(graphql_event_name("Nope") == NULL);
	struct error err;
	json_t *bad = parse("{\"actor\": null}");
	CHECK(graphql_item_to_rest(bad, &err) == NULL);
	CHECK(strstr(err.msg, "__typename") != NULL);
	json_decref(bad);
	bad = parse("[1]");
	CHECK(graphql_item_to_rest(bad, &err) == NULL);
	json_decref(bad);
}

static const char search_answer[] =
        "{\"search\": {\"issueCount\": 1234, \"pageInfo\": {\"hasNextPage\": true, \"endCursor\": "
        "\"Y3Vyc29yOjI=\"}, \"nodes\": [null, {\"__typename\": \"Issue\", \"number\": 2, "
        "\"title\": \"t\", \"state\": \"OPEN\", \"labels\": {\"nodes\": []}, "
        "\"timelineItems\": {\"totalCount\": 3, \"pageInfo\": {\"hasNextPage\": true, "
        "\"endCursor\": \"dGw6Mg==\"}, \"nodes\": [{\"__typename\": \"IssueComment\", \"body\": "
        "\"a\", \"author\": null}, {\"__typename\": \"SubscribedEvent\", \"actor\": null}]}}]}}";

static void test_page_parse(void)
{
	struct error err;
	json_t *data = parse(search_answer);
	json_t *not_found =
	        parse("[{\"type\": \"NOT_FOUND\", \"path\": [\"search\", \"nodes\", 0], "
	              "\"message\": \"Could not resolve to an Issue\"}]");
	json_t *other = parse(
	        "[{\"type\": \"SERVICE_UNAVAILABLE\", \"path\": [\"search\", \"nodes\", 0]}]");
	struct graphql_page p = {0};
	CHECK_INT(graphql_page_parse(data, not_found, &p, &err), 0);
	CHECK_INT(p.nissues, 1);
	CHECK_INT(p.skipped, 1);
	CHECK_INT(p.issue_count, 1234);
	CHECK_INT(p.has_next, 1);
	CHECK_STR(p.end_cursor, "Y3Vyc29yOjI=");
	CHECK_INT(p.issues[0].number, 2);
	CHECK_INT(p.issues[0].is_pr, 0);
	CHECK_INT(p.issues[0].total, 3);
	CHECK_STR(p.issues[0].cursor, "dGw6Mg==");
	CHECK_INT(json_array_size(p.issues[0].events), 2);
	CHECK_INT(json_array_size(p.issues[0].raw_events), 2);
	CHECK_STR(str(json_array_get(p.issues[0].events, 0), "event"), "commented");
	CHECK_STR(str(json_array_get(p.issues[0].raw_events, 0), "__typename"), "IssueComment");

	/* The next items of that issue. */
	struct graphql_issue *gi = &p.issues[0];
	json_t *more =
	        parse("{\"repository\": {\"t0\": {\"__typename\": \"Issue\", \"number\": 2, "
	              "\"timelineItems\": {\"totalCount\": 3, \"pageInfo\": {\"hasNextPage\": "
	              "false, \"endCursor\": \"dGw6Mw==\"}, \"nodes\": [{\"__typename\": "
	              "\"ClosedEvent\", \"closer\": null}]}}}}");
	CHECK_INT(graphql_timelines_parse(more, NULL, &gi, 1, NULL, 0, &err), 0);
	CHECK_INT(json_array_size(gi->events), 3);
	CHECK(gi->cursor == NULL);
	CHECK_STR(str(json_array_get(gi->events, 2), "event"), "closed");
	json_decref(more);
	graphql_page_release(&p);

	/* A null result with some other error is not skipped. */
	memset(&p, 0, sizeof(p));
	CHECK_INT(graphql_page_parse(data, other, &p, &err), -1);
	CHECK(strstr(err.msg, "search result 1 is null") != NULL);
	CHECK_INT(graphql_page_parse(data, NULL, &p, &err), -1);
	json_decref(data);

	/* Malformed answers. */
	const char *const bad[] = {
	        "{}",
	        "{\"search\": {\"nodes\": []}}",
	        "{\"search\": {\"pageInfo\": {\"hasNextPage\": true}, \"nodes\": []}}",
	        "{\"search\": {\"pageInfo\": {\"hasNextPage\": false}, \"nodes\": "
	        "[{\"__typename\": "
	        "\"Issue\", \"number\": 1}]}}",
	        "{\"search\": {\"pageInfo\": {\"hasNextPage\": false}, \"nodes\": "
	        "[{\"__typename\": "
	        "\"Issue\", \"number\": 1, \"timelineItems\": {\"nodes\": [{}]}}]}}",
	        "{\"search\": {\"pageInfo\": {\"hasNextPage\": false}, \"nodes\": [7]}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *j = parse(bad[i]);
		memset(&p, 0, sizeof(p));
		if (graphql_page_parse(j, NULL, &p, &err) != -1)
			test_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
		CHECK_INT(p.nissues, 0);
		json_decref(j);
	}
	json_decref(not_found);
	json_decref(other);
}

static void test_timelines_parse(void)
{
	struct error err;
	struct graphql_issue a = {0}, b = {0};
	a.number = 3;
	a.cursor = strdup("c3");
	a.events = json_array();
	a.raw_events = json_array();
	b.number = 4;
	b.cursor = strdup("c4");
	b.events = json_array();
	b.raw_events = json_array();
	struct graphql_issue *issues[2] = {&a, &b};
	/* #4 is gone; #3 gets one more item and another page. */
	json_t *data =
	        parse("{\"repository\": {\"t0\": {\"__typename\": \"Issue\", \"number\": 3, "
	              "\"timelineItems\": {\"pageInfo\": {\"hasNextPage\": true, \"endCursor\": "
	              "\"c3b\"}, \"nodes\": [{\"__typename\": \"PinnedEvent\"}]}}, \"t1\": null}}");
	json_t *errors = parse("[{\"type\": \"NOT_FOUND\", \"path\": [\"repository\", \"t1\"]}]");
	CHECK_INT(graphql_timelines_parse(data, errors, issues, 2, NULL, 0, &err), 0);
	CHECK_STR(a.cursor, "c3b");
	CHECK_INT(json_array_size(a.events), 1);
	CHECK_INT(b.gone, 1);
	CHECK(b.cursor == NULL);
	json_decref(data);
	/* A page that does not move on is refused, and nothing is appended. */
	data = parse(
	        "{\"repository\": {\"t0\": {\"number\": 3, \"timelineItems\": {\"pageInfo\": "
	        "{\"hasNextPage\": true, \"endCursor\": \"c3b\"}, \"nodes\": [{\"__typename\": "
	        "\"PinnedEvent\"}]}}}}");
	CHECK_INT(graphql_timelines_parse(data, NULL, issues, 1, NULL, 0, &err), -1);
	CHECK(strstr(err.msg, "does not advance") != NULL);
	CHECK_INT(json_array_size(a.events), 1);
	json_decref(data);
	data = parse("{\"repository\": {\"t0\": {\"number\": 5, \"timelineItems\": {}}}}");
	CHECK_INT(graphql_timelines_parse(data, NULL, issues, 1, NULL, 0, &err), -1);
	CHECK(strstr(err.msg, "another issue") != NULL);
	json_decref(data);
	data = parse("{\"repository\": null}");
	CHECK_INT(graphql_timelines_parse(data, errors, issues, 1, NULL, 0, &err), -1);
	json_decref(data);
	json_decref(errors);
	graphql_issue_release(&a);
	graphql_issue_release(&b);
}

/* A pull request node with two review threads (one with comments inline) and an item REST lacks. */
static const char pr_node[] =
        "{\"__typename\": \"PullRequest\", \"number\": 8, \"prState\": \"MERGED\", "
        "\"timelineItems\": {\"totalCount\": 4, \"pageInfo\": {\"hasNextPage\": true, "
        "\"endCursor\": \"p1\"}, \"nodes\": ["
        "{\"__typename\": \"PullRequestReviewThread\", \"id\": \"PRRT_a\", \"path\": \"x.py\"}, "
        "{\"__typename\": \"PullRequestRevisionMarker\", \"createdAt\": \"2020-01-01T00:00:00Z\"}, "
        "{\"__typename\": \"PullRequestCommitCommentThread\", \"id\": \"CCE_b\", "
        "\"comments\": {\"nodes\": []}}]}}";

static void test_threads(void)
{
	struct error err;
	json_t *node = parse(pr_node);
	struct graphql_issue gi;
	CHECK_INT(graphql_issue_read(node, &gi, &err), 0);
	/* The revision marker is dropped; the thread without comments is due. */
	CHECK_INT(json_array_size(gi.events), 2);
	CHECK_INT(gi.nthreads, 1);
	CHECK_INT(gi.threads[0].position, 0);
	CHECK_INT(graphql_issue_complete(&gi), 0);
	/* One answer: the timeline's last item, and the thread's first comments of two pages. */
	struct graphql_issue *issues[1] = {&gi};
	struct graphql_thread_ref ref = {&gi, 0};
	json_t *data =
	        parse("{\"repository\": {\"t0\": {\"__typename\": \"PullRequest\", \"number\": 8, "
	              "\"timelineItems\": {\"pageInfo\": {\"hasNextPage\": false}, \"nodes\": "
	              "[{\"__typename\": \"MergedEvent\", \"commit\": {\"oid\": \"abc\"}}]}}}, "
	              "\"h0\": {\"__typename\": \"PullRequestReviewThread\", \"id\": \"PRRT_a\", "
	              "\"comments\": {\"totalCount\": 2, \"pageInfo\": {\"hasNextPage\": true, "
	              "\"endCursor\": \"k1\"}, \"nodes\": [{\"author\": {\"__typename\": \"User\", "
	              "\"login\": \"ann\"}, \"body\": \"first\", \"createdAt\": "
	              "\"2020-02-02T00:00:00Z\", \"commit\": {\"oid\": \"c1\"}}]}}}");
	CHECK_INT(graphql_timelines_parse(data, NULL, issues, 1, &ref, 1, &err), 0);
	json_decref(data);
	CHECK(gi.cursor == NULL);
	CHECK_INT(json_array_size(gi.events), 3);
	CHECK_INT(gi.nthreads, 1);
	CHECK_STR(gi.threads[0].cursor, "k1");
	CHECK_INT(graphql_issue_complete(&gi), 0);
	/* The rest of the comments: the thread's event is translated again, with both. */
	data = parse("{\"h0\": {\"__typename\": \"PullRequestReviewThread\", \"comments\": "
	             "{\"totalCount\": 2, \"pageInfo\": {\"hasNextPage\": false}, \"nodes\": "
	             "[{\"author\": null, \"body\": \"second\", \"createdAt\": "
	             "\"2020-02-03T00:00:00Z\"}]}}}");
	CHECK_INT(graphql_timelines_parse(data, NULL, NULL, 0, &ref, 1, &err), 0);
	json_decref(data);
	CHECK_INT(gi.nthreads, 0);
	CHECK_INT(graphql_issue_complete(&gi), 1);
	json_t *ev = json_array_get(gi.events, 0);
	CHECK_STR(str(ev, "event"), "line-commented");
	json_t *comments = json_object_get(ev, "comments");
	CHECK_INT(json_array_size(comments), 2);
	CHECK_STR(str(json_array_get(comments, 0), "user.login"), "ann");
	CHECK_STR(str(json_array_get(comments, 0), "commit_id"), "c1");
	CHECK_STR(str(json_array_get(comments, 1), "user.login"), "ghost");
	/* The raw item holds them too, as if asked inline. */
	json_t *raw = json_array_get(gi.raw_events, 0);
	CHECK_INT(json_array_size(json_object_get(json_object_get(raw, "comments"), "nodes")), 2);
	graphql_issue_release(&gi);
	json_decref(node); /* its thread item holds the comments now: read a fresh one */
	/* A thread gone since (NOT_FOUND) has no comments; one that does not advance fails. */
	node = parse(pr_node);
	CHECK_INT(graphql_issue_read(node, &gi, &err), 0);
	ref.gi = &gi;
	data = parse("{\"h0\": null}");
	json_t *errors = parse("[{\"type\": \"NOT_FOUND\", \"path\": [\"h0\"]}]");
	CHECK_INT(graphql_timelines_parse(data, errors, NULL, 0, &ref, 1, &err), 0);
	CHECK_INT(gi.nthreads, 0);
	CHECK_INT(json_array_size(json_object_get(json_array_get(gi.events, 0), "comments")), 0);
	json_decref(data);
	json_decref(errors);
	graphql_issue_release(&gi);
	json_decref(node);
	node = parse(pr_node);
	CHECK_INT(graphql_issue_read(node, &gi, &err), 0);
	ref.gi = &gi;
	data = parse("{\"h0\": {\"comments\": {\"pageInfo\": {\"hasNextPage\": true, "
	             "\"endCursor\": \"k\"}, \"nodes\": []}}}");
	CHECK_INT(graphql_timelines_parse(data, NULL, NULL, 0, &ref, 1, &err), -1);
	CHECK(strstr(err.msg, "do not advance") != NULL);
	json_decref(data);
	/* A thread alias for a thread the issue does not have is refused. */
	ref.k = 5;
	data = parse("{\"h0\": null}");
	CHECK_INT(graphql_timelines_parse(data, NULL, NULL, 0, &ref, 1, &err), -1);
	json_decref(data);
	graphql_issue_release(&gi);
	json_decref(node);
}

static char *query_text(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void test_store_graphql(void)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "g.db");
	struct store *s;
	struct error err;
	CHECK_INT(store_open(path, STORE_READWRITE, &s, &err), 0);
	json_t *data = parse(search_answer);
	json_t *errors = parse("[{\"type\": \"NOT_FOUND\", \"path\": [\"search\", \"nodes\", 0]}]");
	struct graphql_page p = {0};
	CHECK_INT(graphql_page_parse(data, errors, &p, &err), 0);
	struct graphql_issue *gi = &p.issues[0];
	int64_t repo_id, issue_id;
	enum store_upsert_result result;
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_repo_id(s, "acme/widgets", 1, &repo_id, &err), 0);
	CHECK_INT(store_upsert_issue_raw(s, repo_id, gi->issue, gi->raw, STORE_API_GRAPHQL, 0,
	                                 &issue_id, &result, &err),
	          0);
	CHECK_INT(store_replace_timeline_raw(s, issue_id, gi->events, gi->raw_events,
	                                     STORE_API_GRAPHQL, &err),
	          0);
	/* Raw objects must pair with the events. */
	json_t *short_raws = json_array();
	CHECK_INT(store_replace_timeline_raw(s, issue_id, gi->events, short_raws, STORE_API_GRAPHQL,
	                                     &err),
	          -1);
	json_decref(short_raws);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(
	        test_query_int(
	                s, "SELECT count(*) FROM issues WHERE api = 'graphql' AND state = 'open'"),
	        1);
	CHECK_INT(test_query_int(s, "SELECT count(*) FROM events WHERE api = 'graphql'"), 2);
	CHECK_INT(test_query_int(
	                  s, "SELECT count(*) FROM events WHERE event = 'commented' AND actor = "
	                     "'ghost' AND body = 'a'"),
	          1);
	char *raw = query_text(s, "SELECT raw FROM issues");
	CHECK(raw && strstr(raw, "\"__typename\":\"Issue\"") && !strstr(raw, "timelineItems"));
	free(raw);
	raw = query_text(s, "SELECT raw FROM events WHERE position = 0");
	CHECK_STR(raw, "{\"__typename\":\"IssueComment\",\"body\":\"a\",\"author\":null}");
	free(raw);
	/* The REST entry points say rest. */
	json_t *rest = parse("{\"number\": 9, \"title\": \"x\", \"state\": \"open\", "
	                     "\"updated_at\": \"2020-01-01T00:00:00Z\", \"timeline\": []}");
	CHECK_INT(store_begin(s, &err), 0);
	CHECK_INT(store_upsert_issue(s, repo_id, rest, 0, &issue_id, &result, &err), 0);
	CHECK_INT(store_commit(s, &err), 0);
	CHECK_INT(
	        test_query_int(s, "SELECT count(*) FROM issues WHERE number = 9 AND api = 'rest'"),
	        1);
	json_decref(rest);
	graphql_page_release(&p);
	json_decref(data);
	json_decref(errors);
	store_close(s);
	free(path);
	free(dir);
}

int main(void)
{
	TEST(test_endpoint);
	TEST(test_classify);
	TEST(test_schema);
	TEST(test_search_query);
	TEST(test_search_variables);
	TEST(test_timelines_query);
	TEST(test_issue_translation);
	TEST(test_comment_and_actors);
	TEST(test_closed_and_commits);
	TEST(test_references);
	TEST(test_other_items);
	TEST(test_page_parse);
	TEST(test_timelines_parse);
	TEST(test_threads);
	TEST(test_store_graphql);
	return test_done();
}
