/*
 * releases.h - release series: what the release correlation compares issues with.
 *
 * A release series is a named list of releases in date order, each with a
 * version, a release day and two sizes: how many things it added and how
 * many it updated (for ONNX: operators added and updated per opset). It
 * comes from a CSV file with the columns version,date,added,updated (any
 * order, other columns ignored) or from a series compiled into the binary
 * (queries/NAME.csv, see builtin.h), such as "onnx-opsets".
 *
 * A series imported into the database under a name hides the built-in one
 * of the same name; "releases list" says so.
 */
#ifndef ISSUEMINE_RELEASES_H
#define ISSUEMINE_RELEASES_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "store.h"

#define RELEASE_DATE_LEN 11 /* "YYYY-MM-DD" and its NUL */

struct release {
	char *version;
	char date[RELEASE_DATE_LEN];
	long added;
	long updated;
};

struct release_series {
	char *name;
	char *source; /* the file it was imported from, or "builtin" */
	struct release *releases;
	size_t n;
};

/* A series name: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit. */
int release_name_valid(const char *name);

/*
 * Reads a series from CSV. The whole file is checked before anything is
 * returned: every bad row is named with its line in err's one-line message
 * ("opsets.csv: line 3: date '2018-13-01' is not a day (YYYY-MM-DD); line 9:
 * added '-2' is out of range (0 to 999999999)"). Rows must be in date order and
 * versions unique; a file without rows is refused. file_name names the
 * input in errors. On success the caller frees *out with release_series_free.
 */
int release_parse_csv(FILE *f, const char *file_name, const char *series_name,
                      struct release_series **out, struct error *err);

void release_series_free(struct release_series *rs);

/*
 * Stores rs under rs->name, replacing a stored series of that name (*replaced
 * tells). Must run in a transaction.
 */
int release_series_store(struct store *s, const struct release_series *rs, int *replaced,
                         struct error *err);

/*
 * The series called name: the one stored in the database, else the built-in
 * one. An unknown name is an error listing the known series. The caller
 * frees *out. s may be NULL (no database yet): only built-in series are known.
 */
int release_series_read(struct store *s, const char *name, struct release_series **out,
                        struct error *err);

struct release_series_info {
	char *name;
	char *source; /* file name, or "builtin" */
	size_t n;
	char first[RELEASE_DATE_LEN], last[RELEASE_DATE_LEN];
	int hides_builtin; /* a stored series whose name is also built in */
};

/*
 * Every known series, stored and built-in, by name (s may be NULL: built-in
 * only). Free with release_series_infos_free.
 */
int release_series_list(struct store *s, struct release_series_info **out, size_t *n,
                        struct error *err);
void release_series_infos_free(struct release_series_info *infos, size_t n);

#endif
