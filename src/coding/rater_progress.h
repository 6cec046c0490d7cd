/*
 * rater_progress.h - where every rater of a sample stands: how many issues each
 * has coded, partly coded, excluded or not started, and when they last
 * changed anything.
 *
 * For the person running a study (issuemine sets show). An issue is coded
 * when the rater coded every dimension of the taxonomy their codes use,
 * partly coded when some, excluded when the rater excluded it (whatever its
 * codes), not started otherwise. One query; nothing here is blind, so the
 * UI never shows it to raters.
 */
#ifndef ISSUEMINE_RATER_PROGRESS_H
#define ISSUEMINE_RATER_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct rater_progress {
	char *rater;
	long coded, partial, excluded, not_started;
	long notes;
	char *last_change; /* the time of the rater's last change in the set, or NULL */
};

/* The progress of every rater with codes, notes or exclusions in set_id, by name. */
int progress_read(struct store *s, int64_t set_id, struct rater_progress **out, size_t *n,
                  struct error *err);
void progress_free(struct rater_progress *p, size_t n);

#endif
