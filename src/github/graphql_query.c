/*
 * graphql_query.c - the GraphQL queries of a fetch, their variables, and the
 * server's schema they are built for (see graphql.h).
 *
 * The texts are assembled from the tables below and depend only on their
 * shape: the schema, whether pull requests are asked for, how many issues
 * and threads a continuation names. Search strings, cursors, numbers and ids
 * travel as variables, so nothing from outside is ever spliced into a query
 * but type and field names from introspection, which are checked to be
 * GraphQL names first.
 *
 * Timeline items: no query passes itemTypes, so GitHub returns every type
 * its timeline has, as the REST timeline does. An explicit list would name
 * every type this code knows of, so it would miss every type GitHub adds
 * later (it added projects-v2, issue type, sub-issue, blocking and issue
 * field events in 2024 and 2025), and would fail validation on a GitHub
 * Enterprise Server that lacks a type it names. The fragments follow the
 * schema the server announces: a type of the table gets the table's fields
 * (those of them the server's type has), any other type its actor,
 * createdAt and databaseId, so an event type added after this was written is
 * still stored with its name, time and actor.
 *
 * GraphQL refuses one response name with two types in one selection
 * (IssueState and PullRequestState are both "state"), so a pull request's
 * state is asked for as "prState". Every query asks for rateLimit, which
 * gh_graphql() counts.
 */
#include "graphql.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <string.h>

#define ACTOR   "actor { ...Actor }"
#define CREATED "createdAt"
#define DBID    "databaseId"
#define WHO     "assignee { __typename ... on User { login } }"
#define DUPLICATE                                                                                  \
	"canonical { __typename ... on Issue { number url } ... on PullRequest { number url } }"
#define CLOSER                                                                                     \
	"closer { __typename ... on Commit { oid url repository { nameWithOwner } } "              \
	"... on PullRequest { number url prState: state mergedAt mergeCommit { oid } "             \
	"repository { nameWithOwner } } }"
#define SUBJECTS "source { ...Subject }", "subject { ...Subject }"

/* Which timeline unions a type belongs to. */
enum { IN_ISSUE = 1, IN_PR = 2, IN_BOTH = 3 };

#define FIELDS_MAX 10

/*
 * The fields asked for on each timeline item type (besides __typename and
 * id), each selection beginning with the field's name. The plain events
 * (an actor and a time) would come as well without their entry; the table
 * names them for a server whose schema is not known (tests).
 */
static const struct item_fields {
	const char *type;
	int in;
	const char *fields[FIELDS_MAX];
} item_fields[] = {
        {"AddedToMergeQueueEvent", IN_PR, {ACTOR, CREATED}},
        {"AddedToProjectEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"AddedToProjectV2Event", IN_BOTH, {ACTOR, CREATED}},
        {"AssignedEvent", IN_BOTH, {ACTOR, CREATED, WHO}},
        {"AutoMergeDisabledEvent", IN_PR, {ACTOR, CREATED}},
        {"AutoMergeEnabledEvent", IN_PR, {ACTOR, CREATED}},
        {"AutoRebaseEnabledEvent", IN_PR, {ACTOR, CREATED}},
        {"AutoSquashEnabledEvent", IN_PR, {ACTOR, CREATED}},
        {"BaseRefDeletedEvent", IN_PR, {ACTOR, CREATED}},
        {"BaseRefForcePushedEvent", IN_PR, {ACTOR, CREATED}},
        {"BlockedByAddedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"BlockedByRemovedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"BlockingAddedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"BlockingRemovedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"ClosedEvent", IN_BOTH, {ACTOR, CREATED, "stateReason", CLOSER}},
        {"CommentDeletedEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"ConnectedEvent", IN_BOTH, {ACTOR, CREATED, "isCrossRepository", SUBJECTS}},
        {"ConvertToDraftEvent", IN_PR, {ACTOR, CREATED}},
        {"ConvertedFromDraftEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"ConvertedNoteToIssueEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"ConvertedToDiscussionEvent", IN_BOTH, {ACTOR, CREATED}},
        {"CrossReferencedEvent",
         IN_BOTH,
         {ACTOR, CREATED, "referencedAt", "isCrossRepository", "willCloseTarget",
          "source { ...Subject }"}},
        {"DemilestonedEvent", IN_BOTH, {ACTOR, CREATED, "milestoneTitle"}},
        {"DeployedEvent", IN_PR, {DBID, ACTOR, CREATED}},
        {"DisconnectedEvent", IN_BOTH, {ACTOR, CREATED, "isCrossRepository", SUBJECTS}},
        {"HeadRefDeletedEvent", IN_PR, {ACTOR, CREATED}},
        {"HeadRefForcePushedEvent", IN_PR, {ACTOR, CREATED}},
        {"HeadRefRestoredEvent", IN_PR, {ACTOR, CREATED}},
        {"IssueComment",
         IN_BOTH,
         {"fullDatabaseId", "author { ...Actor }", "body", CREATED, "updatedAt", "url"}},
        {"IssueTypeAddedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"IssueTypeChangedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"IssueTypeRemovedEvent", IN_ISSUE, {ACTOR, CREATED}},
        {"LabeledEvent", IN_BOTH, {ACTOR, CREATED, "label { name color }"}},
        {"LockedEvent", IN_BOTH, {ACTOR, CREATED, "lockReason"}},
        {"MarkedAsDuplicateEvent", IN_BOTH, {ACTOR, CREATED, "isCrossRepository", DUPLICATE}},
        {"MentionedEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"MergedEvent", IN_PR, {ACTOR, CREATED, "mergeRefName", "commit { oid url }"}},
        {"MilestonedEvent", IN_BOTH, {ACTOR, CREATED, "milestoneTitle"}},
        {"MovedColumnsInProjectEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"ParentIssueAddedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"ParentIssueRemovedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"PinnedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"ProjectV2ItemStatusChangedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"PullRequestCommit",
         IN_PR,
         {"url", "commit { oid url message author { name email date } "
                 "committer { name email date } }"}},
        {"PullRequestCommitCommentThread", IN_PR, {"path", "commit { oid }"}},
        {"PullRequestReview",
         IN_PR,
         {"fullDatabaseId", "author { ...Actor }", "body", "state", "submittedAt", CREATED, "url",
          "commit { oid }"}},
        {"PullRequestReviewThread", IN_PR, {"path", "isResolved"}},
        {"ReadyForReviewEvent", IN_PR, {ACTOR, CREATED}},
        {"ReferencedEvent",
         IN_BOTH,
         {ACTOR, CREATED, "isCrossRepository", "isDirectReference", "commit { oid url }",
          "commitRepository { nameWithOwner }"}},
        {"RemovedFromMergeQueueEvent", IN_PR, {ACTOR, CREATED}},
        {"RemovedFromProjectEvent", IN_BOTH, {DBID, ACTOR, CREATED}},
        {"RemovedFromProjectV2Event", IN_BOTH, {ACTOR, CREATED}},
        {"RenamedTitleEvent", IN_BOTH, {ACTOR, CREATED, "previousTitle", "currentTitle"}},
        {"ReopenedEvent", IN_BOTH, {ACTOR, CREATED, "stateReason"}},
        {"ReviewDismissedEvent", IN_PR, {DBID, ACTOR, CREATED}},
        {"ReviewRequestRemovedEvent", IN_PR, {ACTOR, CREATED}},
        {"ReviewRequestedEvent", IN_PR, {ACTOR, CREATED}},
        {"SubIssueAddedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"SubIssueRemovedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"SubscribedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"TransferredEvent", IN_BOTH, {ACTOR, CREATED, "fromRepository { nameWithOwner }"}},
        {"UnassignedEvent", IN_BOTH, {ACTOR, CREATED, WHO}},
        {"UnlabeledEvent", IN_BOTH, {ACTOR, CREATED, "label { name color }"}},
        {"UnlockedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"UnmarkedAsDuplicateEvent", IN_BOTH, {ACTOR, CREATED, "isCrossRepository", DUPLICATE}},
        {"UnpinnedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"UnsubscribedEvent", IN_BOTH, {ACTOR, CREATED}},
        {"UserBlockedEvent", IN_BOTH, {ACTOR, CREATED}},
};

/* What any other type of the server is asked for, when it has the field. */
static const char *const generic_fields[] = {DBID, ACTOR, CREATED, NULL};

#define ISSUE_FIELDS                                                                               \
	"id databaseId number title body url createdAt updatedAt closedAt author { ...Actor } "    \
	"repository { nameWithOwner } comments { totalCount } labels(first: 100) { totalCount "    \
	"nodes { id name color description isDefault } }"

#define TIMELINE_PAGE "totalCount pageInfo { hasNextPage endCursor } nodes"

#define RATE_LIMIT "  rateLimit { cost limit remaining resetAt }\n"

/* A thread's comments: review comments and commit comments answer the same fields. */
#define THREAD_COMMENTS                                                                            \
	"totalCount pageInfo { hasNextPage endCursor } nodes { id databaseId author { "            \
	"...Actor } body createdAt path commit { oid } }"

static const char actor_fragment[] = "fragment Actor on Actor { __typename login }\n";

static const char subject_fragment[] =
        "fragment Subject on ReferencedSubject { __typename "
        "... on Issue { number title url state repository { nameWithOwner } } "
        "... on PullRequest { number title url prState: state mergedAt "
        "repository { nameWithOwner } } }\n";

/* --- the schema --- */

static const char introspect_items[] = "possibleTypes { name fields { name } }";

char *graphql_repository_query(void)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineRepository($owner: String!, $name: String!) {\n" RATE_LIMIT
	                "  repository(owner: $owner, name: $name) { nameWithOwner }\n");
	strbuf_addf(&q, "  issueItems: __type(name: \"IssueTimelineItems\") { %s }\n",
	            introspect_items);
	strbuf_addf(&q, "  prItems: __type(name: \"PullRequestTimelineItems\") { %s }\n}\n",
	            introspect_items);
	return strbuf_detach(&q, NULL);
}

/* A GraphQL name: [_A-Za-z][_0-9A-Za-z]*, and not absurdly long. */
static int is_name(const char *s)
{
	if (!s || !*s || strlen(s) > 128 || (!isalpha((unsigned char)*s) && *s != '_'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	return 1;
}

/* possibleTypes of one union into an object {type: {field: true}}; NULL with err on nonsense. */
static json_t *read_union(json_t *type, const char *which, struct error *err)
{
	json_t *types = json_object_get(type, "possibleTypes");
	if (!json_is_array(types)) {
		error_set(err, "the schema has no %s", which);
		return NULL;
	}
	json_t *out = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		const char *name = json_string_value(json_object_get(t, "name"));
		json_t *fields = json_object_get(t, "fields");
		if (!is_name(name) || !json_is_array(fields)) {
			json_decref(out);
			error_set(err, "%s: a member type without a GraphQL name or fields", which);
			return NULL;
		}
		json_t *set = json_object();
		size_t k;
		json_t *f;
		json_array_foreach(fields, k, f)
		{
			const char *fname = json_string_value(json_object_get(f, "name"));
			if (is_name(fname))
				json_object_set_new(set, fname, json_true());
		}
		json_object_set_new(out, name, set);
	}
	return out;
}

int graphql_schema_parse(json_t *data, char **name, struct graphql_schema *out, struct error *err)
{
	*name = NULL;
	const char *full = json_string_value(
	        json_object_get(json_object_get(data, "repository"), "nameWithOwner"));
	out->issue = read_union(json_object_get(data, "issueItems"), "IssueTimelineItems", err);
	out->pr = out->issue ? read_union(json_object_get(data, "prItems"),
	                                  "PullRequestTimelineItems", err)
	                     : NULL;
	if (!out->pr) {
		graphql_schema_release(out);
		return -1;
	}
	*name = full ? xstrdup(full) : NULL;
	return 0;
}

void graphql_schema_release(struct graphql_schema *s)
{
	json_decref(s->issue);
	json_decref(s->pr);
	s->issue = s->pr = NULL;
}

/* --- item fragments --- */

static const struct item_fields *find_fields(const char *type)
{
	for (size_t i = 0; i < sizeof(item_fields) / sizeof(item_fields[0]); i++)
		if (!strcmp(item_fields[i].type, type))
			return &item_fields[i];
	return NULL;
}

/* Whether the server's type (fields NULL: not known) has the field a selection begins with. */
static int has_field(json_t *fields, const char *selection)
{
	if (!fields)
		return 1;
	char name[64];
	size_t n = strcspn(selection, " {(:");
	if (n >= sizeof(name))
		return 0;
	memcpy(name, selection, n);
	name[n] = '\0';
	return json_object_get(fields, name) != NULL;
}

/* "... on TYPE { selections }" for the selections its fields have; nothing when none. */
static void add_type(struct strbuf *q, const char *type, const char *const *selections, size_t max,
                     json_t *fields)
{
	size_t start = q->len;
	int any = 0;
	strbuf_addf(q, "\n  ... on %s {", type);
	for (size_t i = 0; i < max && selections[i]; i++) {
		if (!has_field(fields, selections[i]))
			continue;
		strbuf_addf(q, " %s", selections[i]);
		any = 1;
	}
	if (any)
		strbuf_adds(q, " }");
	else
		strbuf_setlen(q, start);
}

/* The fragment of one union: for a known schema, its types; else the table's. */
static void add_union_types(struct strbuf *q, int which, json_t *members)
{
	if (!members) {
		for (size_t i = 0; i < sizeof(item_fields) / sizeof(item_fields[0]); i++)
			if (item_fields[i].in & which)
				add_type(q, item_fields[i].type, item_fields[i].fields, FIELDS_MAX,
				         NULL);
		return;
	}
	const char *type;
	json_t *fields;
	json_object_foreach(members, type, fields)
	{
		if (!graphql_item_in_rest(type))
			continue; /* dropped on reading: its id and type name will do */
		const struct item_fields *known = find_fields(type);
		if (known)
			add_type(q, type, known->fields, FIELDS_MAX, fields);
		else
			add_type(q, type, generic_fields, FIELDS_MAX, fields);
	}
}

/* fragment IssueItem on IssueTimelineItems { ... }, or PullRequestItem. */
static void add_item_fragment(struct strbuf *q, int which, const struct graphql_schema *schema)
{
	if (which == IN_ISSUE)
		strbuf_adds(q, "fragment IssueItem on IssueTimelineItems {");
	else
		strbuf_adds(q, "fragment PullRequestItem on PullRequestTimelineItems {");
	strbuf_adds(q, " __typename ... on Node { id }");
	add_union_types(q, which, schema ? (which == IN_ISSUE ? schema->issue : schema->pr) : NULL);
	strbuf_adds(q, "\n}\n");
}

/* The Actor and Subject fragments, when the query uses them (GraphQL refuses unused ones). */
static void add_used_fragments(struct strbuf *q)
{
	int actor = strstr(q->buf, "...Actor") != NULL;
	int subject = strstr(q->buf, "...Subject") != NULL;
	if (actor)
		strbuf_adds(q, actor_fragment);
	if (subject)
		strbuf_adds(q, subject_fragment);
}

/* The fragments an issue (and, with include_prs, a pull request) node uses. */
static void add_node_fragments(struct strbuf *q, const struct graphql_schema *schema,
                               int include_prs)
{
	strbuf_adds(q,
	            "fragment IssueNode on Issue { " ISSUE_FIELDS " state stateReason "
	            "timelineItems(first: $timeline) { " TIMELINE_PAGE " { ...IssueItem } } }\n");
	if (include_prs)
		strbuf_adds(
		        q,
		        "fragment PullRequestNode on PullRequest { " ISSUE_FIELDS
		        " prState: state mergedAt timelineItems(first: $timeline) { " TIMELINE_PAGE
		        " { ...PullRequestItem } } }\n");
	add_item_fragment(q, IN_ISSUE, schema);
	if (include_prs)
		add_item_fragment(q, IN_PR, schema);
	add_used_fragments(q);
}

/* --- the queries --- */

char *graphql_search_query(const struct graphql_schema *schema, int include_prs)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineSearch($q: String!, $first: Int!, $after: String, "
	                "$timeline: Int!) {\n" RATE_LIMIT
	                "  search(type: ISSUE, query: $q, first: $first, after: $after) {\n"
	                "    issueCount pageInfo { hasNextPage endCursor }\n"
	                "    nodes { __typename ...IssueNode");
	if (include_prs)
		strbuf_adds(&q, " ...PullRequestNode");
	strbuf_adds(&q, " }\n  }\n}\n");
	add_node_fragments(&q, schema, include_prs);
	return strbuf_detach(&q, NULL);
}

static json_t *string_or_null(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

json_t *graphql_search_variables(const struct graphql_search_request *req)
{
	char *q = xstrfmt("%s sort:created-asc", req->query);
	json_t *v = json_object();
	json_t *qs = json_string(q);
	free(q);
	json_object_set_new(v, "q", qs ? qs : json_string(""));
	json_object_set_new(v, "first", json_integer(req->first));
	json_object_set_new(v, "after", string_or_null(req->after));
	json_object_set_new(v, "timeline", json_integer(req->timeline_first));
	return v;
}

char *graphql_count_query(void)
{
	return xstrdup("query IssuemineCount($q: String!) {\n" RATE_LIMIT
	               "  search(type: ISSUE, query: $q, first: 1) { issueCount }\n}\n");
}

char *graphql_issue_query(const struct graphql_schema *schema, int include_prs)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineIssue($owner: String!, $name: String!, $number: Int!, "
	                "$timeline: Int!) {\n" RATE_LIMIT
	                "  repository(owner: $owner, name: $name) {\n");
	if (include_prs)
		strbuf_adds(&q, "    issueOrPullRequest(number: $number) { __typename ...IssueNode "
		                "...PullRequestNode }\n");
	else
		strbuf_adds(&q, "    issue(number: $number) { __typename ...IssueNode }\n");
	strbuf_adds(&q, "  }\n}\n");
	add_node_fragments(&q, schema, include_prs);
	return strbuf_detach(&q, NULL);
}

/* Which item fragments a continuation uses (GraphQL refuses unused fragments and variables). */
static int kinds_of(const struct graphql_continuation *c, size_t n)
{
	int kinds = 0;
	for (size_t i = 0; i < n; i++)
		kinds |= c[i].is_pr ? IN_PR : IN_ISSUE;
	return kinds;
}

static void add_timeline_aliases(struct strbuf *q, const struct graphql_continuation *c, size_t n)
{
	strbuf_adds(q, "  repository(owner: $owner, name: $name) {\n");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(q,
		            "    t%zu: %s(number: $n%zu) { __typename number "
		            "timelineItems(first: $first, after: $c%zu) "
		            "{ " TIMELINE_PAGE " { ...%s } } }\n",
		            i, c[i].is_pr ? "pullRequest" : "issue", i, i,
		            c[i].is_pr ? "PullRequestItem" : "IssueItem");
	strbuf_adds(q, "  }\n");
}

static void add_thread_aliases(struct strbuf *q, size_t m)
{
	for (size_t i = 0; i < m; i++)
		strbuf_addf(
		        q,
		        "  h%zu: node(id: $h%zu) { __typename id "
		        "... on PullRequestReviewThread { comments(first: $first, after: $a%zu) "
		        "{ " THREAD_COMMENTS " } } "
		        "... on PullRequestCommitCommentThread { comments(first: $first, after: "
		        "$a%zu) { " THREAD_COMMENTS " } } }\n",
		        i, i, i, i);
}

char *graphql_timelines_query(const struct graphql_schema *schema,
                              const struct graphql_continuation *c, size_t n,
                              const struct graphql_thread_request *h, size_t m)
{
	(void)h;
	int kinds = kinds_of(c, n);
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineTimelines($first: Int!");
	if (n)
		strbuf_adds(&q, ", $owner: String!, $name: String!");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&q, ", $n%zu: Int!, $c%zu: String", i, i);
	for (size_t i = 0; i < m; i++)
		strbuf_addf(&q, ", $h%zu: ID!, $a%zu: String", i, i);
	strbuf_adds(&q, ") {\n" RATE_LIMIT);
	if (n)
		add_timeline_aliases(&q, c, n);
	add_thread_aliases(&q, m);
	strbuf_adds(&q, "}\n");
	if (kinds & IN_ISSUE)
		add_item_fragment(&q, IN_ISSUE, schema);
	if (kinds & IN_PR)
		add_item_fragment(&q, IN_PR, schema);
	add_used_fragments(&q);
	return strbuf_detach(&q, NULL);
}

json_t *graphql_timelines_variables(const char *repo, const struct graphql_continuation *c,
                                    size_t n, const struct graphql_thread_request *h, size_t m,
                                    int first)
{
	json_t *v = json_object();
	json_object_set_new(v, "first", json_integer(first));
	if (n) {
		const char *slash = strchr(repo, '/');
		json_object_set_new(
		        v, "owner",
		        json_stringn(repo, slash ? (size_t)(slash - repo) : strlen(repo)));
		json_object_set_new(v, "name", json_string(slash ? slash + 1 : ""));
	}
	char key[32];
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "n%zu", i);
		json_object_set_new(v, key, json_integer(c[i].number));
		snprintf(key, sizeof(key), "c%zu", i);
		json_object_set_new(v, key, string_or_null(c[i].after));
	}
	for (size_t i = 0; i < m; i++) {
		snprintf(key, sizeof(key), "h%zu", i);
		json_object_set_new(v, key, string_or_null(h[i].id));
		snprintf(key, sizeof(key), "a%zu", i);
		json_object_set_new(v, key, string_or_null(h[i].after));
	}
	return v;
}
