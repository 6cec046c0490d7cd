/*
 * format.h - the output formats of tables and reports.
 */
#ifndef ISSUEMINE_EXPORTS_FORMAT_H
#define ISSUEMINE_EXPORTS_FORMAT_H

enum export_format {
	EXPORT_TEXT,     /* aligned columns for the terminal */
	EXPORT_CSV,      /* RFC 4180 */
	EXPORT_JSON,     /* one JSON document */
	EXPORT_MARKDOWN, /* GitHub-flavoured pipe tables */
	EXPORT_LATEX,    /* booktabs tabular, ready for \input */
};

/* The choices as opt.h's OPT_CHOICE wants them. */
#define EXPORT_FORMAT_CHOICES "text|csv|json|markdown|latex"

/* Parses a format name; returns 0, or -1 for an unknown name. */
int export_format_parse(const char *name, enum export_format *out);

#endif
