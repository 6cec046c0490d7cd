/*
 * outdir.h - a directory of output files written whole or not at all.
 *
 * "report --output-dir DIR" writes one file per table. Every file is
 * written into a temporary directory first; only when all of them are
 * complete are they moved into place: a new DIR is the temporary directory
 * renamed (one step, so DIR appears whole or not at all); into an existing
 * DIR the files are renamed one by one from a temporary directory inside
 * it, after every one was written and closed, so a failure while writing
 * (a full disk, a bad option found late) leaves DIR as it was. Other files
 * in an existing DIR are left alone.
 */
#ifndef ISSUEMINE_EXPORTS_OUTDIR_H
#define ISSUEMINE_EXPORTS_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct outdir {
	char *path;   /* the destination directory */
	char *tmp;    /* the temporary directory */
	int fresh;    /* the destination did not exist: rename the whole directory */
	char **names; /* the files written so far */
	size_t n, alloc;
};

/* Creates the temporary directory for path; fills err naming path on failure. */
int outdir_open(struct outdir *d, const char *path, struct error *err);

/*
 * Opens the file name (a plain file name, no '/') in the temporary
 * directory for writing; the caller writes and then calls outdir_close.
 */
FILE *outdir_create(struct outdir *d, const char *name, struct error *err);

/* Closes a file from outdir_create, failing (naming it) on a write error. */
int outdir_close(struct outdir *d, FILE *f, const char *name, struct error *err);

/* Moves every file into place; on failure removes what is left of the temporary directory. */
int outdir_commit(struct outdir *d, struct error *err);

/* Removes the temporary directory and its files; the destination is untouched. */
void outdir_abort(struct outdir *d);

#endif
