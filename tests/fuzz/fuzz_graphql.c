/*
 * fuzz_graphql.c - libFuzzer harness for what the GraphQL API answers: the
 * classification of an answer (gh_graphql_classify), reading it as a search
 * page or as a timeline and thread continuation (graphql_page_parse,
 * graphql_timelines_parse), reading it as the schema's introspection
 * (graphql_schema_parse), and translating every node in it that names a
 * __typename into the REST shape (graphql_issue_to_rest, graphql_item_to_rest).
 * Seeds: tests/fuzz/corpus/graphql/ (answers of the fake server, and of
 * GitHub's error shapes).
 */
#include "gh.h"
#include "graphql.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Translates every object with a __typename, however deep (bounded, as jansson's parser is). */
static void translate_all(json_t *v, int depth)
{
	struct error err;
	if (depth > 64)
		return;
	if (json_is_object(v) && json_string_value(json_object_get(v, "__typename"))) {
		json_decref(graphql_issue_to_rest(v, &err));
		json_decref(graphql_item_to_rest(v, &err));
	}
	const char *key;
	json_t *child;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach(v, key, child) translate_all(child, depth + 1);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child) translate_all(child, depth + 1);
	}
}

/* Reads the answer as a continuation of issues 1..4, each with a cursor to continue. */
static void continue_timelines(json_t *data, json_t *errors)
{
	struct graphql_issue issues[4];
	struct graphql_issue *ptrs[4];
	struct error err;
	for (int i = 0; i < 4; i++) {
		memset(&issues[i], 0, sizeof(issues[i]));
		issues[i].number = i + 1;
		issues[i].cursor = strdup("Y3Vyc29yOjE=");
		issues[i].events = json_array();
		issues[i].raw_events = json_array();
		ptrs[i] = &issues[i];
	}
	/* Issue 4 holds a review thread whose comments are due (alias h0). */
	json_array_append_new(
	        issues[3].raw_events,
	        json_pack("{s:s, s:s}", "__typename", "PullRequestReviewThread", "id", "PRRT_x"));
	json_array_append_new(issues[3].events, json_pack("{s:s}", "event", "line-commented"));
	issues[3].threads = calloc(1, sizeof(*issues[3].threads));
	issues[3].threads[0].comments = json_array();
	issues[3].nthreads = issues[3].alloc = 1;
	struct graphql_thread_ref ref = {&issues[3], 0};
	graphql_timelines_parse(data, errors, ptrs, 4, &ref, 1, &err);
	for (int i = 0; i < 4; i++)
		graphql_issue_release(&issues[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	json_t *body = json_loadb((const char *)bytes, size, 0, NULL);
	if (!body)
		return 0;
	(void)gh_graphql_classify(body);
	json_t *data = json_object_get(body, "data");
	json_t *errors = json_object_get(body, "errors");
	struct graphql_page page;
	struct error err;
	memset(&page, 0, sizeof(page));
	if (!graphql_page_parse(data, errors, &page, &err))
		graphql_page_release(&page);
	continue_timelines(data, errors);
	struct graphql_schema schema = {0};
	char *name = NULL;
	if (!graphql_schema_parse(data, &name, &schema, &err)) {
		free(graphql_search_query(&schema, 1));
		graphql_schema_release(&schema);
		free(name);
	}
	translate_all(body, 0);
	json_decref(body);
	return 0;
}
