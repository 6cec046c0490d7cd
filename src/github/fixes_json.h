/*
 * fixes_json.h - GitHub's commit and pull request objects as struct fix_change.
 *
 * The REST API's shapes (2022-11-28): GET /repos/O/R/commits/SHA (a commit
 * with stats and its first 300 files; further pages repeat the commit with
 * the next files), GET /repos/O/R/pulls/N (a pull request with its counts),
 * GET /repos/O/R/pulls/N/files (pages of files), and GET
 * /repos/O/R/commits/SHA/pulls (the pull requests a commit came from).
 * Everything is checked against the shape, never trusted: a member of the
 * wrong type is taken as absent, and an object that is not the one asked
 * for is an error.
 *
 * Also here: which changes count as the fix (fixes_role) and how a timeline
 * event names a commit's repository.
 */
#ifndef ISSUEMINE_FIXES_JSON_H
#define ISSUEMINE_FIXES_JSON_H

#include <jansson.h>

#include "error.h"
#include "store_fixes.h"

#define FIXES_FILES_CAP 3000 /* files GitHub lists for one commit or pull request */

/* Fills c (initialised with its key) from a commit's first page, files included. */
int fixes_json_commit(json_t *commit, struct fix_change *c, struct error *err);

/* Appends the files of a further page of a commit. */
int fixes_json_commit_page(json_t *commit, struct fix_change *c, struct error *err);

/* Fills c (initialised with its key) from a pull request object. */
int fixes_json_pull(json_t *pull, struct fix_change *c, struct error *err);

/* Appends an array of file objects (a page of /pulls/N/files). */
int fixes_json_files(json_t *files, struct fix_change *c, struct error *err);

/*
 * After the last page: file_count for a commit (GitHub gives no count), and
 * truncated when GitHub listed fewer files than changed (its 3,000 cap).
 */
void fixes_json_finish(struct fix_change *c);

/*
 * The numbers of the pull requests in a /commits/SHA/pulls answer into
 * numbers (at most max); *n gets how many. Returns -1 if it is not an array.
 */
int fixes_json_pull_numbers(json_t *pulls, int64_t *numbers, size_t max, size_t *n,
                            struct error *err);

/* True for a commit sha GitHub could have written: 7 to 40 hex digits. */
int fixes_sha_valid(const char *s);

/*
 * The repository of a timeline event's commit_url (".../repos/O/R/commits/SHA")
 * into repo (REPO_NAME_MAX bytes); -1 when the URL names none.
 */
int fixes_commit_url_repo(const char *url, char *repo);

/*
 * The rule that makes a change the fix of an issue of issue_repo: a commit
 * that closed it (via "closed"), or a merged pull request of its own
 * repository. Anything else (a mention, an open or unmerged pull request, a
 * pull request of another repository or a fork) is "linked". merged is 1, 0,
 * or -1 when unknown (counted as not merged).
 */
const char *fixes_role(enum fix_kind kind, const char *via, int merged, const char *change_repo,
                       const char *issue_repo);

#endif
