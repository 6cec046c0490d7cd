/*
 * graphql.c - GraphQL issues and timeline items in the REST API's shape (see graphql.h).
 *
 * The store extracts its columns from REST objects (store_issues.c), so an
 * answer of the GraphQL API is translated into them, and the object GraphQL
 * sent is kept as raw. Where the two APIs differ, and what is made of it:
 *
 *  - Event names: GraphQL has a type per item, REST an "event" string.
 *    IssueComment is "commented", CrossReferencedEvent "cross-referenced",
 *    PullRequestCommit "committed", PullRequestReview "reviewed",
 *    PullRequestReviewThread "line-commented", PullRequestCommitCommentThread
 *    "commit-commented", RenamedTitleEvent "renamed"; every other FooBarEvent
 *    is "foo_bar", as REST names them (also for types added later).
 *  - Actors: a GitHub App acts as a Bot whose login lacks the "[bot]" suffix
 *    REST shows ("pytorch-bot" is "pytorch-bot[bot]"); a deleted account is a
 *    null actor (or author), which REST shows as the user "ghost". Commits
 *    (committed) have no actor in either API.
 *  - Times: createdAt is created_at; a review's submittedAt is submitted_at
 *    and a commit's committer.date its time, as in REST.
 *  - Commits: REST's closed.commit_id is ClosedEvent.closer, a Commit (its
 *    oid) or a merged PullRequest (its mergeCommit.oid), null for a manual
 *    close; referenced.commit_id and merged.commit_id are commit.oid,
 *    reviewed.commit_id the reviewed commit's oid, committed.sha its oid.
 *  - Cross-references: REST's source.issue is CrossReferencedEvent.source,
 *    an Issue or a PullRequest (the latter gets REST's "pull_request"
 *    member); a merged pull request's state is MERGED where REST says
 *    "closed"; repository.nameWithOwner is repository.full_name.
 *  - What REST lacks, kept as members of the translated event: "closer" on
 *    closed ({"type": "pull_request"|"commit"|..., "number", "sha",
 *    "html_url", "repository": {"full_name"}}), and "subject" (the issue or
 *    pull request connected) and "reference_source" (the one that made the
 *    reference) on connected and disconnected, in the shape of source.issue.
 *  - Ids: REST's "id" is databaseId (fullDatabaseId for comments and
 *    reviews, a string of digits); most events have none in GraphQL, so
 *    their id stays absent. GraphQL's "id" is REST's "node_id".
 *  - Issues: state and stateReason are upper case (OPEN, NOT_PLANNED); a
 *    pull request has no stateReason, and its state is asked for as prState
 *    (see graphql_query.c); labels come from labels.nodes, "comments" from
 *    comments.totalCount, html_url from url.
 */
#include "graphql.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --- small readers --- */

static json_t *member(json_t *obj, const char *key)
{
	return json_object_get(obj, key);
}

static const char *str_of(json_t *obj, const char *key)
{
	return json_string_value(member(obj, key));
}

/* Sets key to a copy of src's member from (strings, numbers, booleans; nothing when absent). */
static void copy_value(json_t *dst, const char *key, json_t *src, const char *from)
{
	json_t *v = member(src, from);
	if (v && (json_is_string(v) || json_is_number(v) || json_is_boolean(v) || json_is_null(v)))
		json_object_set(dst, key, v);
}

/* A lower-case copy of s as a JSON string, or JSON null. */
static json_t *lower_string(const char *s)
{
	if (!s)
		return json_null();
	char *copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	json_t *j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static void set_lower(json_t *dst, const char *key, json_t *src, const char *from)
{
	json_t *v = member(src, from);
	if (v && (json_is_string(v) || json_is_null(v)))
		json_object_set_new(dst, key, lower_string(json_string_value(v)));
}

/* A database id: an integer, or a BigInt (a string of digits); 0 when none. */
static json_int_t database_id(json_t *node)
{
	json_t *v = member(node, "databaseId");
	if (json_is_integer(v))
		return json_integer_value(v);
	v = member(node, "fullDatabaseId");
	if (json_is_integer(v))
		return json_integer_value(v);
	const char *s = json_string_value(v);
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return 0;
	return (json_int_t)strtoll(s, NULL, 10);
}

/* --- people, repositories, subjects --- */

/*
 * The REST user of member key ("actor", "author"): NULL when the item has no
 * such member, the "ghost" user when it is null (a deleted account), else
 * its login with "[bot]" appended for a Bot.
 */
static json_t *rest_user(json_t *node, const char *key)
{
	json_t *a = member(node, key);
	if (!a)
		return NULL;
	if (!json_is_object(a))
		return json_pack("{s:s, s:s}", "login", "ghost", "type", "User");
	const char *type = str_of(a, "__typename");
	const char *login = str_of(a, "login");
	int bot = type && !strcmp(type, "Bot");
	json_t *u = json_object();
	if (login) {
		size_t n = strlen(login);
		int suffixed = n >= 5 && !strcmp(login + n - 5, "[bot]");
		char *full = xstrfmt("%s%s", login, bot && !suffixed ? "[bot]" : "");
		json_t *s = json_string(full);
		free(full);
		if (s)
			json_object_set_new(u, "login", s);
	}
	json_object_set_new(u, "type",
	                    json_string(bot                                     ? "Bot"
	                                : type && !strcmp(type, "Organization") ? "Organization"
	                                                                        : "User"));
	return u;
}

static void set_user(json_t *dst, const char *key, json_t *src, const char *from)
{
	json_t *u = rest_user(src, from);
	if (u)
		json_object_set_new(dst, key, u);
}

/* {"full_name": nameWithOwner} of a Repository object, or NULL. */
static json_t *rest_repository(json_t *repo)
{
	const char *name = str_of(repo, "nameWithOwner");
	return name ? json_pack("{s:s}", "full_name", name) : NULL;
}

/* OPEN/CLOSED/MERGED (an issue's state or a pull request's prState) as REST's open/closed. */
static json_t *rest_state(json_t *node)
{
	const char *s = str_of(node, "prState");
	if (!s)
		s = str_of(node, "state");
	if (!s)
		return json_null();
	return json_string(!strcmp(s, "OPEN") ? "open" : "closed");
}

static int is_pull_request(json_t *node)
{
	const char *t = str_of(node, "__typename");
	return t && !strcmp(t, "PullRequest");
}

/* REST's "pull_request" member, on a PullRequest node's object only. */
static void set_pull_request(json_t *out, json_t *node)
{
	if (!is_pull_request(node))
		return;
	json_t *pr = json_object();
	copy_value(pr, "html_url", node, "url");
	copy_value(pr, "merged_at", node, "mergedAt");
	json_object_set_new(out, "pull_request", pr);
}

/* An Issue or PullRequest reference (a cross-reference source, a connected subject) as REST's
 * issue. */
static json_t *rest_subject(json_t *node)
{
	if (!json_is_object(node))
		return json_null();
	json_t *out = json_object();
	copy_value(out, "number", node, "number");
	copy_value(out, "title", node, "title");
	json_object_set_new(out, "state", rest_state(node));
	copy_value(out, "html_url", node, "url");
	json_t *repo = rest_repository(member(node, "repository"));
	if (repo)
		json_object_set_new(out, "repository", repo);
	set_pull_request(out, node);
	return out;
}

/* --- issues --- */

static json_t *rest_labels(json_t *labels)
{
	json_t *out = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(member(labels, "nodes"), i, l)
	{
		if (!str_of(l, "name"))
			continue;
		json_t *r = json_object();
		copy_value(r, "node_id", l, "id");
		copy_value(r, "name", l, "name");
		copy_value(r, "color", l, "color");
		copy_value(r, "description", l, "description");
		copy_value(r, "default", l, "isDefault");
		json_array_append_new(out, r);
	}
	return out;
}

json_t *graphql_issue_to_rest(json_t *node, struct error *err)
{
	const char *type = str_of(node, "__typename");
	json_t *number = member(node, "number");
	if (!type || (strcmp(type, "Issue") && strcmp(type, "PullRequest"))) {
		error_set(err, "not an Issue or PullRequest node");
		return NULL;
	}
	if (!json_is_integer(number) || json_integer_value(number) <= 0) {
		error_set(err, "%s node without a positive number", type);
		return NULL;
	}
	json_t *out = json_object();
	json_int_t id = database_id(node);
	if (id)
		json_object_set_new(out, "id", json_integer(id));
	copy_value(out, "node_id", node, "id");
	json_object_set(out, "number", number);
	copy_value(out, "title", node, "title");
	copy_value(out, "body", node, "body");
	copy_value(out, "html_url", node, "url");
	set_user(out, "user", node, "author");
	json_object_set_new(out, "labels", rest_labels(member(node, "labels")));
	json_object_set_new(out, "state", rest_state(node));
	set_lower(out, "state_reason", node, "stateReason");
	copy_value(out, "comments", member(node, "comments"), "totalCount");
	copy_value(out, "created_at", node, "createdAt");
	copy_value(out, "updated_at", node, "updatedAt");
	copy_value(out, "closed_at", node, "closedAt");
	set_pull_request(out, node);
	return out;
}

/* --- timeline items --- */

static const char *commit_oid(json_t *commit)
{
	return str_of(commit, "oid");
}

static void set_commit_id(json_t *ev, const char *key, const char *oid)
{
	json_t *s = oid ? json_string(oid) : NULL;
	json_object_set_new(ev, key, s ? s : json_null());
}

/* What closed it: a Commit, a merged PullRequest, or something newer (a project). */
static json_t *rest_closer(json_t *closer, const char **oid)
{
	*oid = NULL;
	if (!json_is_object(closer))
		return json_null();
	const char *type = str_of(closer, "__typename");
	json_t *out = json_object();
	if (type && !strcmp(type, "Commit")) {
		*oid = commit_oid(closer);
		json_object_set_new(out, "type", json_string("commit"));
		copy_value(out, "sha", closer, "oid");
	} else if (type && !strcmp(type, "PullRequest")) {
		*oid = commit_oid(member(closer, "mergeCommit"));
		json_object_set_new(out, "type", json_string("pull_request"));
		copy_value(out, "number", closer, "number");
		json_object_set_new(out, "state", rest_state(closer));
		copy_value(out, "sha", member(closer, "mergeCommit"), "oid");
	} else {
		json_object_set_new(out, "type", lower_string(type ? type : "unknown"));
	}
	copy_value(out, "html_url", closer, "url");
	json_t *repo = rest_repository(member(closer, "repository"));
	if (repo)
		json_object_set_new(out, "repository", repo);
	return out;
}

static void fill_closed(json_t *item, json_t *ev)
{
	const char *oid;
	json_t *closer = rest_closer(member(item, "closer"), &oid);
	set_commit_id(ev, "commit_id", oid);
	set_lower(ev, "state_reason", item, "stateReason");
	json_object_set_new(ev, "closer", closer);
}

static void fill_commit_id(json_t *item, json_t *ev)
{
	set_commit_id(ev, "commit_id", commit_oid(member(item, "commit")));
}

static void fill_comment(json_t *item, json_t *ev)
{
	set_user(ev, "user", item, "author");
	copy_value(ev, "body", item, "body");
	copy_value(ev, "updated_at", item, "updatedAt");
	copy_value(ev, "html_url", item, "url");
}

static void fill_cross_reference(json_t *item, json_t *ev)
{
	json_t *source = json_object();
	json_object_set_new(source, "type", json_string("issue"));
	json_object_set_new(source, "issue", rest_subject(member(item, "source")));
	json_object_set_new(ev, "source", source);
}

static void fill_connected(json_t *item, json_t *ev)
{
	json_object_set_new(ev, "subject", rest_subject(member(item, "subject")));
	json_object_set_new(ev, "reference_source", rest_subject(member(item, "source")));
}

static void fill_label(json_t *item, json_t *ev)
{
	json_t *label = member(item, "label");
	json_t *l = json_object();
	copy_value(l, "name", label, "name");
	copy_value(l, "color", label, "color");
	json_object_set_new(ev, "label", l);
}

static void fill_assignee(json_t *item, json_t *ev)
{
	json_t *a = member(item, "assignee");
	if (!json_is_object(a))
		return;
	json_t *u = json_object();
	copy_value(u, "login", a, "login");
	json_object_set_new(ev, "assignee", u);
}

static void fill_renamed(json_t *item, json_t *ev)
{
	json_t *r = json_object();
	copy_value(r, "from", item, "previousTitle");
	copy_value(r, "to", item, "currentTitle");
	json_object_set_new(ev, "rename", r);
}

static void fill_milestone(json_t *item, json_t *ev)
{
	json_t *m = json_object();
	copy_value(m, "title", item, "milestoneTitle");
	json_object_set_new(ev, "milestone", m);
}

static void fill_locked(json_t *item, json_t *ev)
{
	set_lower(ev, "lock_reason", item, "lockReason");
}

static void fill_reopened(json_t *item, json_t *ev)
{
	set_lower(ev, "state_reason", item, "stateReason");
}

static json_t *git_person(json_t *p)
{
	json_t *out = json_object();
	copy_value(out, "name", p, "name");
	copy_value(out, "email", p, "email");
	copy_value(out, "date", p, "date");
	return out;
}

static void fill_committed(json_t *item, json_t *ev)
{
	json_t *commit = member(item, "commit");
	set_commit_id(ev, "sha", commit_oid(commit));
	copy_value(ev, "html_url", commit, "url");
	copy_value(ev, "message", commit, "message");
	json_object_set_new(ev, "author", git_person(member(commit, "author")));
	json_object_set_new(ev, "committer", git_person(member(commit, "committer")));
}

/*
 * A review thread's or commit thread's comments, as REST's "comments" array
 * of a line-commented or commit-commented event: who, when, what, on which
 * commit (the store takes the event's time, author and text from them).
 */
static void fill_thread_comments(json_t *item, json_t *ev)
{
	json_t *comments = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(member(member(item, "comments"), "nodes"), i, c)
	{
		json_t *rc = json_object();
		set_user(rc, "user", c, "author");
		copy_value(rc, "body", c, "body");
		copy_value(rc, "created_at", c, "createdAt");
		copy_value(rc, "node_id", c, "id");
		json_int_t id = database_id(c);
		if (id)
			json_object_set_new(rc, "id", json_integer(id));
		set_commit_id(rc, "commit_id", commit_oid(member(c, "commit")));
		json_array_append_new(comments, rc);
	}
	json_object_set_new(ev, "comments", comments);
}

static void fill_commit_thread(json_t *item, json_t *ev)
{
	set_commit_id(ev, "commit_id", commit_oid(member(item, "commit")));
	fill_thread_comments(item, ev);
}

static void fill_reviewed(json_t *item, json_t *ev)
{
	set_user(ev, "user", item, "author");
	copy_value(ev, "body", item, "body");
	set_commit_id(ev, "commit_id", commit_oid(member(item, "commit")));
	copy_value(ev, "submitted_at", item, "submittedAt");
	set_lower(ev, "state", item, "state");
	copy_value(ev, "html_url", item, "url");
}

/* Timeline item types REST names otherwise than by their type name, and what they carry. */
static const struct item_map {
	const char *type;
	const char *event;
	void (*fill)(json_t *item, json_t *ev);
} item_map[] = {
        {"AssignedEvent", "assigned", fill_assignee},
        {"ClosedEvent", "closed", fill_closed},
        {"ConnectedEvent", "connected", fill_connected},
        {"CrossReferencedEvent", "cross-referenced", fill_cross_reference},
        {"DemilestonedEvent", "demilestoned", fill_milestone},
        {"DisconnectedEvent", "disconnected", fill_connected},
        {"IssueComment", "commented", fill_comment},
        {"LabeledEvent", "labeled", fill_label},
        {"LockedEvent", "locked", fill_locked},
        {"MergedEvent", "merged", fill_commit_id},
        {"MilestonedEvent", "milestoned", fill_milestone},
        {"PullRequestCommit", "committed", fill_committed},
        {"PullRequestCommitCommentThread", "commit-commented", fill_commit_thread},
        {"PullRequestReview", "reviewed", fill_reviewed},
        {"PullRequestReviewThread", "line-commented", fill_thread_comments},
        {"ReferencedEvent", "referenced", fill_commit_id},
        {"RenamedTitleEvent", "renamed", fill_renamed},
        {"ReopenedEvent", "reopened", fill_reopened},
        {"UnassignedEvent", "unassigned", fill_assignee},
        {"UnlabeledEvent", "unlabeled", fill_label},
};

static const struct item_map *find_item_map(const char *type)
{
	for (size_t i = 0; i < sizeof(item_map) / sizeof(item_map[0]); i++)
		if (!strcmp(item_map[i].type, type))
			return &item_map[i];
	return NULL;
}

/* FooBarEvent as "foo_bar": how REST names the events it does not name otherwise. */
static char *snake_name(const char *type)
{
	size_t n = strlen(type);
	if (n > 5 && !strcmp(type + n - 5, "Event"))
		n -= 5;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)type[i];
		if (isupper(c) && i > 0)
			strbuf_addch(&sb, '_');
		strbuf_addch(&sb, tolower(c));
	}
	return strbuf_detach(&sb, NULL);
}

/* What GraphQL has and the REST timeline leaves out (REST's issue events only, or no event). */
static const char *const not_in_rest[] = {
        "AutomaticBaseChangeFailedEvent",
        "AutomaticBaseChangeSucceededEvent",
        "BaseRefChangedEvent",
        "DeploymentEnvironmentChangedEvent",
        "PullRequestRevisionMarker",
};

int graphql_item_in_rest(const char *type)
{
	for (size_t i = 0; i < sizeof(not_in_rest) / sizeof(not_in_rest[0]); i++)
		if (type && !strcmp(type, not_in_rest[i]))
			return 0;
	return 1;
}

const char *graphql_event_name(const char *type)
{
	const struct item_map *m = type ? find_item_map(type) : NULL;
	return m ? m->event : NULL;
}

json_t *graphql_item_to_rest(json_t *item, struct error *err)
{
	const char *type = str_of(item, "__typename");
	if (!type || !*type) {
		error_set(err, "timeline item without a __typename");
		return NULL;
	}
	const struct item_map *m = find_item_map(type);
	char *name = m ? xstrdup(m->event) : snake_name(type);
	json_t *ev = json_object();
	json_t *event = json_string(name);
	free(name);
	if (!event) {
		json_decref(ev);
		error_set(err, "timeline item of a type that is not UTF-8");
		return NULL;
	}
	json_object_set_new(ev, "event", event);
	json_int_t id = database_id(item);
	if (id)
		json_object_set_new(ev, "id", json_integer(id));
	copy_value(ev, "node_id", item, "id");
	set_user(ev, "actor", item, member(item, "actor") ? "actor" : "author");
	copy_value(ev, "created_at", item, "createdAt");
	if (m && m->fill)
		m->fill(item, ev);
	return ev;
}
