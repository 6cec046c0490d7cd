/*
 * qdpx.h - a coded sample as a REFI-QDA project (.qdpx), the exchange
 * format of qualitative data analysis tools (MAXQDA, ATLAS.ti, NVivo,
 * QDA Miner, QualCoder).
 *
 * A .qdpx file is a zip archive holding project.qde, an XML document in
 * the namespace urn:QDA-XML:project:1.0 (REFI-QDA Project Exchange 1.0,
 * schema Project.xsd), and the plain-text sources under sources/, each
 * named by its GUID and referenced as plainTextPath="internal://GUID.txt".
 * What the project holds (src/coding/qda.h):
 *
 *	Users        one User per rater
 *	CodeBook     per dimension a code (not codable) holding its categories
 *	             (codable, with their definitions as Description) and
 *	             their sub-categories; an "Excluded" code holding the
 *	             exclusion reasons (codable, with their definitions)
 *	Variables    repository, number, url, created (per source)
 *	Sources      one TextSource per issue: per rater who said anything
 *	             about it one PlainTextSelection of the whole text
 *	             (startPosition 0, endPosition its length in Unicode code
 *	             points, as the standard counts), created by the rater,
 *	             with a Coding per code (the sub-category when there is one)
 *	             and for an exclusion the reason's Coding; NoteRefs to
 *	             the rater's memos
 *	Notes        the raters' notes, and each exclusion's free text, as memos
 *	Sets         per rater who excluded issues, "excluded by RATER": the
 *	             excluded sources, so a tool can leave them out at once
 *	Description  the sample's origin (how it was drawn)
 *
 * Exclusions are thus both codes (countable, filterable like any code) and
 * a set; agreement and reports of issuemine leave excluded issues out,
 * and a QDA tool can do the same with the set. Times come from the
 * database; the zip entries carry the sample's last change as their time:
 * the same database writes the same file.
 */
#ifndef ISSUEMINE_EXPORTS_QDPX_H
#define ISSUEMINE_EXPORTS_QDPX_H

#include "error.h"
#include "qda.h"
#include "strbuf.h"

/* The project.qde document of p (appended to sb). */
void qdpx_project_xml(struct strbuf *sb, const struct qda_project *p);

/*
 * Writes p as a .qdpx file at path: whole or not at all (libzip writes a
 * temporary file beside it and renames it at the end).
 */
int qdpx_write(const struct qda_project *p, const char *path, struct error *err);

#endif
