/*
 * outfile.h - output files written whole or not at all.
 *
 * A report or figure goes to a temporary file next to its destination,
 * which is renamed over the destination only once everything is written and
 * flushed; a failure (a full disk, a bad option found late) removes the
 * temporary file and leaves any earlier file untouched. The path "-" (or
 * NULL) means standard output, written directly.
 */
#ifndef ISSUEMINE_EXPORTS_OUTFILE_H
#define ISSUEMINE_EXPORTS_OUTFILE_H

#include <stdio.h>

#include "error.h"

struct outfile {
	FILE *f;    /* where to write */
	char *path; /* the destination, NULL for standard output */
	char *tmp;  /* the temporary file */
};

/* Opens a temporary file beside path (or takes stdout); fills err naming path on failure. */
int outfile_open(struct outfile *o, const char *path, struct error *err);

/* Flushes, closes and renames into place; on any failure removes the temporary file. */
int outfile_commit(struct outfile *o, struct error *err);

/* Removes the temporary file (nothing happens to the destination). */
void outfile_abort(struct outfile *o);

#endif
