/*
 * archive.h - a study's replication package ("issuemine archive").
 *
 * archive_write makes a directory that stands on its own:
 *
 *	README.md        provenance: issuemine version, fetch dates and queries,
 *	                 APIs, sets and seeds, codebook versions, raters,
 *	                 agreement, the funnel, settings, and how to reproduce
 *	reproduce.sh     rebuilds every file below from issuemine.db with
 *	                 issuemine and compares them with the shipped ones
 *	issuemine.db     the slim database: only what the study needs (see
 *	                 archive_db_write), openable by issuemine
 *	tables/FORMAT/   every table of "report" in every format, the release
 *	                 correlation and the funnel (report --table funnel)
 *	figures/         the release sizes and the cumulative issues (SVG)
 *	codes/RATER.csv  each rater's codes, notes and exclusions
 *	agreement/       "agree" between the raters, as text, JSON and CSV
 *	codebook/        the taxonomy as raters read it, and its history
 *	sampling/        the sets as "sets" lists them, the sample's members,
 *	                 and the sample drawn again from its seed
 *
 * Every file under those directories is written by running issuemine
 * itself (o->program) on a scratch copy of the slim database, with the very
 * command lines reproduce.sh runs: what is shipped is what reproducing
 * gives, and a difference means the database or issuemine changed. Nothing
 * in them depends on the time or the machine (the commands run with
 * LC_ALL=C.UTF-8 and TZ=UTC; every date comes from the database).
 *
 * The directory appears whole or not at all: it is built in a temporary
 * directory beside DIR and renamed into place at the end. An existing DIR
 * that is not empty is refused unless o->force is set; then it is replaced
 * (only once the new one is complete).
 */
#ifndef ISSUEMINE_ARCHIVE_H
#define ISSUEMINE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "releases.h"
#include "store.h"

struct archive_options {
	const char *sample; /* the coded sample */
	const char *dir;    /* where the archive goes */
	const char *rater;  /* whose codes the tables show (resolved: see archive_resolve) */
	const char *raters; /* "A,B": agreement between them; NULL or "" for none */
	const char *taxonomy;
	const char
	        *releases; /* a release series, or NULL for no correlation and no release figure */
	int drop_first, drop_last; /* of the release correlation */
	const char *const *merges; /* its --merge A-B, nmerges of them */
	size_t nmerges;
	int force;           /* replace a DIR that is not empty */
	const char *program; /* the issuemine binary that writes the results */
};

/*
 * Fills in what the options leave open, from the source database: the rater
 * (the report.rater setting, else the only rater with codes in the sample),
 * the agreement raters (every other rater with codes in the sample, when
 * there are two or more; else those two: rater and the other one) and the
 * release series (the report.releases setting). The strings set are owned
 * by *owned (free each, then the array) and valid until then.
 */
int archive_resolve(struct store *s, struct archive_options *o, char ***owned, size_t *nowned,
                    struct error *err);

struct archive_result {
	size_t files; /* result files written (and compared by reproduce.sh) */
	long issues;  /* of the sample */
	long outline; /* issues of the parent sets kept without text or timeline */
	long events, changes, log_rows;
};

/* Writes the archive (see the top of this file). */
int archive_write(struct store *src, const struct archive_options *o, struct archive_result *res,
                  struct error *err);

/* --- archive_db.c: the slim database --- */

/*
 * Copies what the study needs from the database at src_path into a new
 * database at dst_path (which must not exist), with SQLite itself: the
 * source is attached, every table is filled by INSERT ... SELECT in one
 * transaction, foreign keys are checked, then the file is vacuumed and left
 * in rollback-journal mode (one file, readable on read-only media). Each
 * table of the schema has a rule (archive_db_rule); a table without one is
 * an error, so a new table is never left out silently. extra, when not
 * NULL, is a release series to store as well (a built-in one the study
 * used, so that the archive does not depend on the binary's copy).
 */
int archive_db_write(const char *src_path, const char *dst_path, const char *sample,
                     const struct release_series *extra, struct archive_result *res,
                     struct error *err);

/*
 * The rule that picks a table's rows for an archive: a SQL condition on the
 * source table's columns (over temp.archive_sets, temp.archive_issues and
 * the like), "" for every row, or NULL for a table that is not the study's
 * (fetch state) and is left empty. *known says whether the table has a rule
 * at all.
 */
const char *archive_db_rule(const char *table, int *known);

#endif
