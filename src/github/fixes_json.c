/*
 * fixes_json.c - commit and pull request objects into struct fix_change (see fixes_json.h).
 */
#include "fixes_json.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *str_member(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static char *dup_member(json_t *obj, const char *key)
{
	const char *v = str_member(obj, key);
	return v ? xstrdup(v) : NULL;
}

/* A time member in the stored form, or NULL. */
static char *time_member(json_t *obj, const char *key)
{
	char buf[ISO_TIME_LEN];
	const char *v = str_member(obj, key);
	return v && !time_normalize(v, buf) ? xstrdup(buf) : NULL;
}

/* A non-negative integer member, or -1. */
static int64_t count_member(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v)
	                                                        : -1;
}

/* The object as JSON text without its "files". */
static char *raw_without_files(json_t *obj)
{
	if (!json_object_get(obj, "files"))
		return json_dumps(obj, JSON_COMPACT);
	json_t *copy = json_copy(obj);
	json_object_del(copy, "files");
	char *text = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	return text;
}

int fixes_json_files(json_t *files, struct fix_change *c, struct error *err)
{
	if (!json_is_array(files))
		return error_set(err, "files: not a JSON array");
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		const char *path = str_member(f, "filename");
		if (!json_is_object(f) || !path || !*path)
			return error_set(err, "file %zu: no \"filename\"", c->nfiles + 1);
		struct fix_file file = {
		        (char *)path,
		        (char *)str_member(f, "previous_filename"),
		        (char *)str_member(f, "status"),
		        (char *)str_member(f, "patch"),
		        count_member(f, "additions"),
		        count_member(f, "deletions"),
		};
		fix_change_add_file(c, &file);
	}
	return 0;
}

/* The commit's message: its first line is the title. */
static void take_message(struct fix_change *c, const char *message)
{
	if (!message)
		return;
	c->body = xstrdup(message);
	c->title = xstrndup(message, strcspn(message, "\r\n"));
}

static int commit_matches(json_t *commit, const struct fix_change *c, struct error *err)
{
	const char *sha = str_member(commit, "sha");
	if (!json_is_object(commit) || !sha)
		return error_set(err, "not a commit object");
	/* A short sha in the timeline is a prefix of the full one GitHub answers with. */
	if (strncasecmp(sha, c->key.sha, strlen(c->key.sha)))
		return error_set(err, "GitHub answered commit %s for %s", sha, c->key.sha);
	return 0;
}

int fixes_json_commit(json_t *commit, struct fix_change *c, struct error *err)
{
	if (commit_matches(commit, c, err))
		return -1;
	json_t *inner = json_object_get(commit, "commit");
	json_t *author = json_object_get(inner, "author");
	take_message(c, str_member(inner, "message"));
	c->author = dup_member(json_object_get(commit, "author"), "login");
	if (!c->author)
		c->author = dup_member(author, "name");
	c->created_at = time_member(author, "date");
	c->committed_at = time_member(json_object_get(inner, "committer"), "date");
	c->url = dup_member(commit, "html_url");
	json_t *stats = json_object_get(commit, "stats");
	c->additions = count_member(stats, "additions");
	c->deletions = count_member(stats, "deletions");
	c->raw = raw_without_files(commit);
	json_t *files = json_object_get(commit, "files");
	return files ? fixes_json_files(files, c, err) : 0;
}

int fixes_json_commit_page(json_t *commit, struct fix_change *c, struct error *err)
{
	if (commit_matches(commit, c, err))
		return -1;
	json_t *files = json_object_get(commit, "files");
	return files ? fixes_json_files(files, c, err) : 0;
}

int fixes_json_pull(json_t *pull, struct fix_change *c, struct error *err)
{
	json_t *number = json_object_get(pull, "number");
	if (!json_is_object(pull) || !json_is_integer(number))
		return error_set(err, "not a pull request object");
	if (json_integer_value(number) != c->key.number)
		return error_set(err, "GitHub answered pull request #%lld for #%lld",
		                 (long long)json_integer_value(number), (long long)c->key.number);
	c->title = dup_member(pull, "title");
	c->body = dup_member(pull, "body");
	c->author = dup_member(json_object_get(pull, "user"), "login");
	c->state = dup_member(pull, "state");
	c->merged_at = time_member(pull, "merged_at");
	json_t *merged = json_object_get(pull, "merged");
	/* The list shapes lack "merged"; merged_at tells it there. */
	c->merged = json_is_boolean(merged) ? json_is_true(merged) : c->merged_at != NULL;
	c->merge_commit_sha = dup_member(pull, "merge_commit_sha");
	c->created_at = time_member(pull, "created_at");
	c->url = dup_member(pull, "html_url");
	c->head_sha = dup_member(json_object_get(pull, "head"), "sha");
	c->additions = count_member(pull, "additions");
	c->deletions = count_member(pull, "deletions");
	c->file_count = count_member(pull, "changed_files");
	c->raw = json_dumps(pull, JSON_COMPACT);
	return 0;
}

void fixes_json_finish(struct fix_change *c)
{
	if (c->key.kind == FIX_COMMIT) {
		/* A commit says nothing of how many files it changed: past the cap, more. */
		c->file_count = (int64_t)c->nfiles;
		c->truncated = c->nfiles >= FIXES_FILES_CAP;
		return;
	}
	c->truncated = c->file_count > (int64_t)c->nfiles;
}

int fixes_json_pull_numbers(json_t *pulls, int64_t *numbers, size_t max, size_t *n,
                            struct error *err)
{
	*n = 0;
	if (!json_is_array(pulls))
		return error_set(err, "pull requests of a commit: not a JSON array");
	size_t i;
	json_t *p;
	json_array_foreach(pulls, i, p)
	{
		json_t *number = json_object_get(p, "number");
		if (!json_is_integer(number) || json_integer_value(number) <= 0 || *n == max)
			continue;
		numbers[(*n)++] = (int64_t)json_integer_value(number);
	}
	return 0;
}

int fixes_sha_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 7 || n >= FIX_SHA_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int fixes_commit_url_repo(const char *url, char *repo)
{
	return repo_from_api_url(url, repo) || !repo_name_valid(repo) ? -1 : 0;
}

const char *fixes_role(enum fix_kind kind, const char *via, int merged, const char *change_repo,
                       const char *issue_repo)
{
	if (kind == FIX_COMMIT)
		return via && !strcmp(via, "closed") ? "fix" : "linked";
	return merged == 1 && change_repo && issue_repo && !strcasecmp(change_repo, issue_repo)
	               ? "fix"
	               : "linked";
}
