/*
 * qda.h - a sample's coding as a qualitative data analysis project: what
 * a REFI-QDA project (exports/qdpx.h) is made of, read from the database.
 *
 * Each issue of the sample is a text source: its plain text is what a
 * rater reads in the labeling UI (title, state, labels, URL, body, then the
 * timeline with every comment), as valid UTF-8 with LF line ends. The
 * taxonomy is the codebook: a dimension is a code that groups its
 * categories, a category's sub-categories are codes under it, and the
 * exclusion reasons are codes under an "Excluded" group. What one rater
 * said about one issue (a mark) is a selection of the whole text carrying
 * that rater's codes and, for an exclusion, the reason's code; the rater's
 * note and the exclusion's free text are memos attached to it.
 *
 * Identifiers are GUIDs derived from names (qda_guid), so exporting the
 * same database twice gives the same project, and an issue is the same
 * source in every project.
 */
#ifndef ISSUEMINE_QDA_H
#define ISSUEMINE_QDA_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "taxonomy.h"

/* One code a rater gave an issue, and when. */
struct qda_code {
	struct tax_code code;
	char *at;
};

/* What one rater said about one issue. */
struct qda_mark {
	size_t rater; /* index into qda_project.raters */
	struct qda_code *codes;
	size_t ncodes;
	char *note, *noted_at;           /* NULL when none */
	const struct tax_reason *reason; /* NULL: not excluded */
	char *detail, *excluded_at;
	char *first_at; /* the earliest of the times above */
};

struct qda_source {
	int64_t issue_id, number;
	char *ref;  /* "owner/name#N" */
	char *repo; /* "owner/name" */
	char *title, *url, *created_at;
	char *text;             /* the plain text (valid UTF-8, LF line ends) */
	size_t length;          /* of text, in Unicode code points */
	struct qda_mark *marks; /* by rater name */
	size_t nmarks;
};

struct qda_project {
	char *sample, *origin, *created_at;
	char *modified_at; /* the sample's last recorded change (code_log), or created_at */
	struct taxonomy *tax;
	char **raters; /* with anything in the project, by name */
	size_t nraters;
	struct qda_source *sources; /* in the sample's order */
	size_t nsources;
};

/*
 * Reads sample set_id under taxonomy t (the project takes it over: freed
 * with the project), every rater's marks, or only rater_id's (0: all).
 * Caller frees with qda_project_free.
 */
int qda_project_load(struct store *s, struct taxonomy *t, int64_t set_id, int64_t rater_id,
                     struct qda_project **out, struct error *err);
void qda_project_free(struct qda_project *p);

/*
 * text made safe for a plain-text source: invalid UTF-8 and control
 * characters other than tab and line feed become U+FFFD, CR LF and lone CR
 * become LF. Appends to sb.
 */
struct strbuf;
void qda_clean_text(struct strbuf *sb, const char *text);

/* The number of Unicode code points in valid UTF-8 text of len bytes. */
size_t qda_code_points(const char *text, size_t len);

/* A GUID (RFC 9562 version 8, from SHA-256 of name) into out, lower-case, with a NUL. */
#define QDA_GUID_LEN 37
void qda_guid(const char *name, char out[QDA_GUID_LEN]);

#endif
