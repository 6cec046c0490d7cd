/*
 * graphql_query.c - the GraphQL queries of a fetch, and their variables (see graphql.h).
 *
 * The texts are assembled from the tables below and depend only on their
 * shape: whether pull requests are asked for, how many issues a continuation
 * names. Search strings, cursors, numbers and item types travel as
 * variables, so nothing from outside is ever spliced into a query.
 *
 * GraphQL refuses one response name with two types in one selection
 * (IssueState and PullRequestState are both "state"), so a pull request's
 * state is asked for as "prState". Every query asks for rateLimit, which
 * gh_graphql() counts. The item fragments name each type's fields of GitHub's
 * published schema; types without a REST counterpart are not asked for.
 */
#include "graphql.h"
#include "strbuf.h"
#include "xalloc.h"

#include <string.h>

/*
 * Every IssueTimelineItemsItemType of the published schema: the REST
 * timeline returns each of them for issues.
 */
const char *const graphql_issue_item_types[] = {
        "ADDED_TO_PROJECT_EVENT",
        "ASSIGNED_EVENT",
        "CLOSED_EVENT",
        "COMMENT_DELETED_EVENT",
        "CONNECTED_EVENT",
        "CONVERTED_NOTE_TO_ISSUE_EVENT",
        "CONVERTED_TO_DISCUSSION_EVENT",
        "CROSS_REFERENCED_EVENT",
        "DEMILESTONED_EVENT",
        "DISCONNECTED_EVENT",
        "ISSUE_COMMENT",
        "LABELED_EVENT",
        "LOCKED_EVENT",
        "MARKED_AS_DUPLICATE_EVENT",
        "MENTIONED_EVENT",
        "MILESTONED_EVENT",
        "MOVED_COLUMNS_IN_PROJECT_EVENT",
        "PARENT_ISSUE_ADDED_EVENT",
        "PARENT_ISSUE_REMOVED_EVENT",
        "PINNED_EVENT",
        "REFERENCED_EVENT",
        "REMOVED_FROM_PROJECT_EVENT",
        "RENAMED_TITLE_EVENT",
        "REOPENED_EVENT",
        "SUBSCRIBED_EVENT",
        "SUB_ISSUE_ADDED_EVENT",
        "SUB_ISSUE_REMOVED_EVENT",
        "TRANSFERRED_EVENT",
        "UNASSIGNED_EVENT",
        "UNLABELED_EVENT",
        "UNLOCKED_EVENT",
        "UNMARKED_AS_DUPLICATE_EVENT",
        "UNPINNED_EVENT",
        "UNSUBSCRIBED_EVENT",
        "USER_BLOCKED_EVENT",
        NULL,
};

/*
 * PullRequestTimelineItemsItemType without the types the REST timeline does
 * not return: AUTOMATIC_BASE_CHANGE_FAILED_EVENT,
 * AUTOMATIC_BASE_CHANGE_SUCCEEDED_EVENT, BASE_REF_CHANGED_EVENT and
 * DEPLOYMENT_ENVIRONMENT_CHANGED_EVENT (REST's issue events only, its
 * documentation says), and PULL_REQUEST_REVISION_MARKER (where the viewer
 * last looked, not an event).
 */
const char *const graphql_pr_item_types[] = {
        "ADDED_TO_MERGE_QUEUE_EVENT",
        "ADDED_TO_PROJECT_EVENT",
        "ASSIGNED_EVENT",
        "AUTO_MERGE_DISABLED_EVENT",
        "AUTO_MERGE_ENABLED_EVENT",
        "AUTO_REBASE_ENABLED_EVENT",
        "AUTO_SQUASH_ENABLED_EVENT",
        "BASE_REF_DELETED_EVENT",
        "BASE_REF_FORCE_PUSHED_EVENT",
        "CLOSED_EVENT",
        "COMMENT_DELETED_EVENT",
        "CONNECTED_EVENT",
        "CONVERTED_NOTE_TO_ISSUE_EVENT",
        "CONVERTED_TO_DISCUSSION_EVENT",
        "CONVERT_TO_DRAFT_EVENT",
        "CROSS_REFERENCED_EVENT",
        "DEMILESTONED_EVENT",
        "DEPLOYED_EVENT",
        "DISCONNECTED_EVENT",
        "HEAD_REF_DELETED_EVENT",
        "HEAD_REF_FORCE_PUSHED_EVENT",
        "HEAD_REF_RESTORED_EVENT",
        "ISSUE_COMMENT",
        "LABELED_EVENT",
        "LOCKED_EVENT",
        "MARKED_AS_DUPLICATE_EVENT",
        "MENTIONED_EVENT",
        "MERGED_EVENT",
        "MILESTONED_EVENT",
        "MOVED_COLUMNS_IN_PROJECT_EVENT",
        "PARENT_ISSUE_ADDED_EVENT",
        "PARENT_ISSUE_REMOVED_EVENT",
        "PINNED_EVENT",
        "PULL_REQUEST_COMMIT",
        "PULL_REQUEST_COMMIT_COMMENT_THREAD",
        "PULL_REQUEST_REVIEW",
        "PULL_REQUEST_REVIEW_THREAD",
        "READY_FOR_REVIEW_EVENT",
        "REFERENCED_EVENT",
        "REMOVED_FROM_MERGE_QUEUE_EVENT",
        "REMOVED_FROM_PROJECT_EVENT",
        "RENAMED_TITLE_EVENT",
        "REOPENED_EVENT",
        "REVIEW_DISMISSED_EVENT",
        "REVIEW_REQUESTED_EVENT",
        "REVIEW_REQUEST_REMOVED_EVENT",
        "SUBSCRIBED_EVENT",
        "SUB_ISSUE_ADDED_EVENT",
        "SUB_ISSUE_REMOVED_EVENT",
        "TRANSFERRED_EVENT",
        "UNASSIGNED_EVENT",
        "UNLABELED_EVENT",
        "UNLOCKED_EVENT",
        "UNMARKED_AS_DUPLICATE_EVENT",
        "UNPINNED_EVENT",
        "UNSUBSCRIBED_EVENT",
        "USER_BLOCKED_EVENT",
        NULL,
};

#define EVENT    "actor { ...Actor } createdAt"
#define EVENT_DB "databaseId " EVENT
#define WHO      "assignee { __typename ... on User { login } }"
#define DUPLICATE                                                                                  \
	"canonical { __typename ... on Issue { number url } ... on PullRequest { number url } }"
#define CLOSER                                                                                     \
	"closer { __typename ... on Commit { oid url repository { nameWithOwner } } "              \
	"... on PullRequest { number url prState: state mergeCommit { oid } "                      \
	"repository { nameWithOwner } } }"

/* Which timeline unions a type belongs to. */
enum { IN_ISSUE = 1, IN_PR = 2, IN_BOTH = 3 };

/* The fields asked for on each timeline item type (besides __typename and id). */
static const struct item_fields {
	const char *type;
	int in;
	const char *fields;
} item_fields[] = {
        {"AddedToMergeQueueEvent", IN_PR, EVENT},
        {"AddedToProjectEvent", IN_BOTH, EVENT_DB},
        {"AssignedEvent", IN_BOTH, EVENT " " WHO},
        {"AutoMergeDisabledEvent", IN_PR, EVENT},
        {"AutoMergeEnabledEvent", IN_PR, EVENT},
        {"AutoRebaseEnabledEvent", IN_PR, EVENT},
        {"AutoSquashEnabledEvent", IN_PR, EVENT},
        {"BaseRefDeletedEvent", IN_PR, EVENT},
        {"BaseRefForcePushedEvent", IN_PR, EVENT},
        {"ClosedEvent", IN_BOTH, EVENT " stateReason " CLOSER},
        {"CommentDeletedEvent", IN_BOTH, EVENT_DB},
        {"ConnectedEvent", IN_BOTH,
         EVENT " isCrossRepository source { ...Subject } subject { ...Subject }"},
        {"ConvertToDraftEvent", IN_PR, EVENT},
        {"ConvertedNoteToIssueEvent", IN_BOTH, EVENT_DB},
        {"ConvertedToDiscussionEvent", IN_BOTH, EVENT},
        {"CrossReferencedEvent", IN_BOTH,
         EVENT " referencedAt isCrossRepository willCloseTarget source { ...Subject }"},
        {"DemilestonedEvent", IN_BOTH, EVENT " milestoneTitle"},
        {"DeployedEvent", IN_PR, EVENT_DB},
        {"DisconnectedEvent", IN_BOTH,
         EVENT " isCrossRepository source { ...Subject } subject { ...Subject }"},
        {"HeadRefDeletedEvent", IN_PR, EVENT},
        {"HeadRefForcePushedEvent", IN_PR, EVENT},
        {"HeadRefRestoredEvent", IN_PR, EVENT},
        {"IssueComment", IN_BOTH,
         "fullDatabaseId author { ...Actor } body createdAt updatedAt url"},
        {"LabeledEvent", IN_BOTH, EVENT " label { name color }"},
        {"LockedEvent", IN_BOTH, EVENT " lockReason"},
        {"MarkedAsDuplicateEvent", IN_BOTH, EVENT " isCrossRepository " DUPLICATE},
        {"MentionedEvent", IN_BOTH, EVENT_DB},
        {"MergedEvent", IN_PR, EVENT " mergeRefName commit { oid url }"},
        {"MilestonedEvent", IN_BOTH, EVENT " milestoneTitle"},
        {"MovedColumnsInProjectEvent", IN_BOTH, EVENT_DB},
        {"ParentIssueAddedEvent", IN_BOTH, EVENT},
        {"ParentIssueRemovedEvent", IN_BOTH, EVENT},
        {"PinnedEvent", IN_BOTH, EVENT},
        {"PullRequestCommit", IN_PR,
         "url commit { oid url message author { name email date } "
         "committer { name email date } }"},
        {"PullRequestCommitCommentThread", IN_PR, "path commit { oid }"},
        {"PullRequestReview", IN_PR,
         "fullDatabaseId author { ...Actor } body state submittedAt createdAt url commit { oid }"},
        {"PullRequestReviewThread", IN_PR, "path isResolved"},
        {"ReadyForReviewEvent", IN_PR, EVENT},
        {"ReferencedEvent", IN_BOTH,
         EVENT " isCrossRepository isDirectReference commit { oid url } "
               "commitRepository { nameWithOwner }"},
        {"RemovedFromMergeQueueEvent", IN_PR, EVENT},
        {"RemovedFromProjectEvent", IN_BOTH, EVENT_DB},
        {"RenamedTitleEvent", IN_BOTH, EVENT " previousTitle currentTitle"},
        {"ReopenedEvent", IN_BOTH, EVENT " stateReason"},
        {"ReviewDismissedEvent", IN_PR, EVENT_DB},
        {"ReviewRequestRemovedEvent", IN_PR, EVENT},
        {"ReviewRequestedEvent", IN_PR, EVENT},
        {"SubIssueAddedEvent", IN_BOTH, EVENT},
        {"SubIssueRemovedEvent", IN_BOTH, EVENT},
        {"SubscribedEvent", IN_BOTH, EVENT},
        {"TransferredEvent", IN_BOTH, EVENT " fromRepository { nameWithOwner }"},
        {"UnassignedEvent", IN_BOTH, EVENT " " WHO},
        {"UnlabeledEvent", IN_BOTH, EVENT " label { name color }"},
        {"UnlockedEvent", IN_BOTH, EVENT},
        {"UnmarkedAsDuplicateEvent", IN_BOTH, EVENT " isCrossRepository " DUPLICATE},
        {"UnpinnedEvent", IN_BOTH, EVENT},
        {"UnsubscribedEvent", IN_BOTH, EVENT},
        {"UserBlockedEvent", IN_BOTH, EVENT},
};

#define ISSUE_FIELDS                                                                               \
	"id databaseId number title body url createdAt updatedAt closedAt author { ...Actor } "    \
	"comments { totalCount } labels(first: 100) { totalCount nodes { id name color "           \
	"description isDefault } }"

#define TIMELINE_PAGE "totalCount pageInfo { hasNextPage endCursor } nodes"

static const char actor_fragment[] = "fragment Actor on Actor { __typename login }\n";

static const char subject_fragment[] =
        "fragment Subject on ReferencedSubject { __typename "
        "... on Issue { number title url state repository { nameWithOwner } } "
        "... on PullRequest { number title url prState: state mergedAt "
        "repository { nameWithOwner } } }\n";

/* fragment IssueItem on IssueTimelineItems { ... }, or PullRequestItem, from the table. */
static void add_item_fragment(struct strbuf *q, int which)
{
	if (which == IN_ISSUE)
		strbuf_adds(q, "fragment IssueItem on IssueTimelineItems {");
	else
		strbuf_adds(q, "fragment PullRequestItem on PullRequestTimelineItems {");
	strbuf_adds(q, " __typename ... on Node { id }");
	for (size_t i = 0; i < sizeof(item_fields) / sizeof(item_fields[0]); i++)
		if (item_fields[i].in & which)
			strbuf_addf(q, "\n  ... on %s { %s }", item_fields[i].type,
			            item_fields[i].fields);
	strbuf_adds(q, "\n}\n");
}

static void add_common_fragments(struct strbuf *q, int include_prs)
{
	add_item_fragment(q, IN_ISSUE);
	if (include_prs)
		add_item_fragment(q, IN_PR);
	strbuf_adds(q, actor_fragment);
	strbuf_adds(q, subject_fragment);
}

char *graphql_search_query(int include_prs)
{
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineSearch($q: String!, $first: Int!, $after: String, "
	                "$timeline: Int!, $issueTypes: [IssueTimelineItemsItemType!]!");
	if (include_prs)
		strbuf_adds(&q, ", $prTypes: [PullRequestTimelineItemsItemType!]!");
	strbuf_adds(&q, ") {\n"
	                "  rateLimit { cost limit remaining resetAt }\n"
	                "  search(type: ISSUE, query: $q, first: $first, after: $after) {\n"
	                "    issueCount pageInfo { hasNextPage endCursor }\n"
	                "    nodes { __typename ...IssueNode");
	if (include_prs)
		strbuf_adds(&q, " ...PullRequestNode");
	strbuf_adds(&q, " }\n  }\n}\n");
	strbuf_adds(&q, "fragment IssueNode on Issue { " ISSUE_FIELDS " state stateReason "
	                "timelineItems(first: $timeline, itemTypes: $issueTypes) { " TIMELINE_PAGE
	                " { ...IssueItem } } }\n");
	if (include_prs)
		strbuf_adds(&q,
		            "fragment PullRequestNode on PullRequest { " ISSUE_FIELDS
		            " prState: state mergedAt "
		            "timelineItems(first: $timeline, itemTypes: $prTypes) { " TIMELINE_PAGE
		            " { ...PullRequestItem } } }\n");
	add_common_fragments(&q, include_prs);
	return strbuf_detach(&q, NULL);
}

static json_t *types_array(const char *const *types)
{
	json_t *a = json_array();
	for (; *types; types++)
		json_array_append_new(a, json_string(*types));
	return a;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
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
	json_object_set_new(v, "issueTypes", types_array(graphql_issue_item_types));
	if (req->include_prs)
		json_object_set_new(v, "prTypes", types_array(graphql_pr_item_types));
	return v;
}

/* Which item fragments a continuation uses (GraphQL refuses unused fragments and variables). */
static int kinds_of(const struct graphql_continuation *c, size_t n)
{
	int kinds = 0;
	for (size_t i = 0; i < n; i++)
		kinds |= c[i].is_pr ? IN_PR : IN_ISSUE;
	return kinds;
}

char *graphql_timelines_query(const struct graphql_continuation *c, size_t n)
{
	int kinds = kinds_of(c, n);
	struct strbuf q = STRBUF_INIT;
	strbuf_adds(&q, "query IssuemineTimelines($owner: String!, $name: String!, $first: Int!");
	if (kinds & IN_ISSUE)
		strbuf_adds(&q, ", $issueTypes: [IssueTimelineItemsItemType!]!");
	if (kinds & IN_PR)
		strbuf_adds(&q, ", $prTypes: [PullRequestTimelineItemsItemType!]!");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&q, ", $n%zu: Int!, $c%zu: String", i, i);
	strbuf_adds(&q, ") {\n"
	                "  rateLimit { cost limit remaining resetAt }\n"
	                "  repository(owner: $owner, name: $name) {\n");
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&q,
		            "    t%zu: %s(number: $n%zu) { __typename number "
		            "timelineItems(first: $first, after: $c%zu, itemTypes: $%s) "
		            "{ " TIMELINE_PAGE " { ...%s } } }\n",
		            i, c[i].is_pr ? "pullRequest" : "issue", i, i,
		            c[i].is_pr ? "prTypes" : "issueTypes",
		            c[i].is_pr ? "PullRequestItem" : "IssueItem");
	strbuf_adds(&q, "  }\n}\n");
	if (kinds & IN_ISSUE)
		add_item_fragment(&q, IN_ISSUE);
	if (kinds & IN_PR)
		add_item_fragment(&q, IN_PR);
	strbuf_adds(&q, actor_fragment);
	strbuf_adds(&q, subject_fragment);
	return strbuf_detach(&q, NULL);
}

json_t *graphql_timelines_variables(const char *repo, const struct graphql_continuation *c,
                                    size_t n, int first)
{
	const char *slash = strchr(repo, '/');
	json_t *v = json_object();
	json_object_set_new(v, "owner",
	                    json_stringn(repo, slash ? (size_t)(slash - repo) : strlen(repo)));
	json_object_set_new(v, "name", json_string(slash ? slash + 1 : ""));
	json_object_set_new(v, "first", json_integer(first));
	int kinds = kinds_of(c, n);
	if (kinds & IN_ISSUE)
		json_object_set_new(v, "issueTypes", types_array(graphql_issue_item_types));
	if (kinds & IN_PR)
		json_object_set_new(v, "prTypes", types_array(graphql_pr_item_types));
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof(key), "n%zu", i);
		json_object_set_new(v, key, json_integer(c[i].number));
		snprintf(key, sizeof(key), "c%zu", i);
		json_object_set_new(v, key, string_or_null(c[i].after));
	}
	return v;
}
