/*
 * import.c - JSON dumps into the store (see import.h).
 */
#include "import.h"
#include "dump.h"
#include "issueref.h"

#include <stdlib.h>
#include <string.h>

static int repo_of(json_t *issue, const struct import_options *opt, char *repo)
{
	if (opt->repo) {
		snprintf(repo, REPO_NAME_MAX, "%s", opt->repo);
		return 0;
	}
	const char *api = json_string_value(json_object_get(issue, "repository_url"));
	const char *html = json_string_value(json_object_get(issue, "html_url"));
	if (api && !repo_from_api_url(api, repo))
		return 0;
	if (html && !repo_from_html_url(html, repo))
		return 0;
	return -1;
}

/* A changed issue takes the dump's timeline; an unchanged one only if none is stored. */
static int import_timeline(struct store *s, int64_t issue_id, enum store_upsert_result result,
                           json_t *timeline, struct import_counts *counts, struct error *err)
{
	if (!timeline)
		return 0;
	if (result == STORE_ISSUE_UNCHANGED) {
		int64_t stored;
		if (store_event_count(s, issue_id, &stored, err))
			return -1;
		if (stored > 0 || json_array_size(timeline) == 0)
			return 0;
	}
	if (store_replace_timeline(s, issue_id, timeline, err))
		return -1;
	counts->events += (long)json_array_size(timeline);
	return 0;
}

static void count_result(struct import_counts *c, enum store_upsert_result result)
{
	if (result == STORE_ISSUE_NEW)
		c->issues_new++;
	else if (result == STORE_ISSUE_UPDATED)
		c->issues_updated++;
	else
		c->issues_unchanged++;
}

/* Checks an issue's "number": there, and a positive whole number (err says what it is else). */
static int check_number(const json_t *number, struct error *err)
{
	static const char *const kinds[] = {
	        [JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",  [JSON_STRING] = "a string",
	        [JSON_INTEGER] = "a number", [JSON_REAL] = "a fraction", [JSON_TRUE] = "true",
	        [JSON_FALSE] = "false",      [JSON_NULL] = "null",
	};
	if (!number)
		return error_set(err, "issue object without a \"number\"");
	if (json_is_integer(number) && json_integer_value(number) > 0)
		return 0;
	if (json_is_null(number) || json_is_boolean(number))
		return error_set(err, "\"number\" is %s, not a positive whole number",
		                 kinds[json_typeof(number)]);
	char *text = json_dumps(number, JSON_ENCODE_ANY | JSON_COMPACT);
	error_set(err, "\"number\" is %s (%.40s%s), not a positive whole number",
	          kinds[json_typeof(number)], text ? text : "?",
	          text && strlen(text) > 40 ? "..." : "");
	free(text);
	return -1;
}

static int import_item(struct store *s, json_t *issue, const struct import_options *opt,
                       struct import_counts *counts, struct error *err)
{
	char repo[REPO_NAME_MAX];
	int64_t repo_id, issue_id;
	enum store_upsert_result result;
	json_t *number = json_object_get(issue, "number");
	if (check_number(number, err))
		return -1;
	if (repo_of(issue, opt, repo))
		return error_set(err,
		                 "#%lld: no repository_url or html_url to tell its "
		                 "repository (use --repo OWNER/NAME)",
		                 (long long)json_integer_value(number));
	json_t *timeline = json_object_get(issue, "timeline");
	if (timeline && !json_is_array(timeline) && !json_is_null(timeline))
		return error_set(err, "%s#%lld: \"timeline\" is not an array", repo,
		                 (long long)json_integer_value(number));
	if (json_is_null(timeline))
		timeline = NULL;
	if (store_repo_id(s, repo, 1, &repo_id, err) ||
	    store_upsert_issue(s, repo_id, issue, 0, &issue_id, &result, err) ||
	    import_timeline(s, issue_id, result, timeline, counts, err))
		return error_prefix(err, "%s#%lld", repo, (long long)json_integer_value(number));
	count_result(counts, result);
	if (store_is_pull_request(issue))
		counts->pull_requests++;
	return 0;
}

static int import_items(struct store *s, struct dump_reader *r, const struct import_options *opt,
                        struct import_counts *counts, struct error *err)
{
	json_t *issue;
	int rc;
	while ((rc = dump_next(r, &issue, err)) > 0) {
		counts->items++;
		rc = import_item(s, issue, opt, counts, err);
		json_decref(issue);
		if (rc)
			return error_prefix(err, "%s: issue %ld", dump_name(r), counts->items);
		if (opt->progress)
			opt->progress(opt->progress_data, dump_name(r), dump_offset(r),
			              dump_size(r), counts);
	}
	return rc;
}

int import_file(struct store *s, const char *path, const struct import_options *opt,
                struct import_counts *counts, struct error *err)
{
	struct dump_reader *r;
	struct import_counts file_counts = {0};
	if (dump_open(path, &r, err))
		return -1;
	if (store_begin(s, err)) {
		dump_close(r);
		return -1;
	}
	int rc = import_items(s, r, opt, &file_counts, err);
	dump_close(r);
	if (rc < 0 || store_commit(s, err)) {
		store_rollback(s);
		return -1;
	}
	counts->items += file_counts.items;
	counts->issues_new += file_counts.issues_new;
	counts->issues_updated += file_counts.issues_updated;
	counts->issues_unchanged += file_counts.issues_unchanged;
	counts->pull_requests += file_counts.pull_requests;
	counts->events += file_counts.events;
	return 0;
}
