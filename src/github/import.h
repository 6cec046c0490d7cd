/*
 * import.h - loading JSON dumps of issues into the store.
 *
 * Each file is imported in one transaction: a malformed file, or an issue the
 * store refuses, leaves nothing of that file behind. Issues are upserted by
 * repository and number: a newer updated_at replaces the row, its labels and
 * (when the dump has one) its timeline; otherwise the stored row stays, so
 * importing the same file twice changes nothing.
 */
#ifndef ISSUEMINE_IMPORT_H
#define ISSUEMINE_IMPORT_H

#include "store.h"

struct import_counts {
	long items;
	long issues_new, issues_updated, issues_unchanged;
	long pull_requests; /* of the items, how many were pull requests */
	long events;        /* timeline events written */
};

typedef void (*import_progress_fn)(void *data, const char *file, long long done, long long total,
                                   const struct import_counts *counts);

struct import_options {
	const char *repo; /* "owner/name" for every issue, or NULL to read it from the URLs */
	import_progress_fn progress;
	void *progress_data;
};

/* Imports one file ("-" is standard input), adding to *counts on success. */
int import_file(struct store *s, const char *path, const struct import_options *opt,
                struct import_counts *counts, struct error *err);

#endif
