/*
 * summary.h - what the database holds, per repository ("issuemine stats").
 */
#ifndef ISSUEMINE_SUMMARY_H
#define ISSUEMINE_SUMMARY_H

#include <jansson.h>

#include "store.h"

/*
 * Builds {"database": path, "repositories": [{"repository", "issues",
 * "pull_requests", "open", "closed", "events", "events_by_type": {type: n},
 * "oldest", "newest", "last_fetch"}, ...]} in repository order. Counts of
 * open and closed cover issues and pull requests alike. Caller decrefs *out.
 */
int summary_build(struct store *s, json_t **out, struct error *err);

#endif
