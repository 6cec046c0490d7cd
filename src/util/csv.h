/*
 * csv.h - RFC 4180 CSV, read and written.
 *
 * The reader takes quoted fields with embedded commas, quotes ("") and line
 * breaks, CRLF or LF line ends, and a UTF-8 byte-order mark at the start (as
 * spreadsheets write). Each record knows the line it started on, so callers
 * can name "file.csv: line 12" in errors. The writer quotes only when needed
 * and ends records with CRLF, as the RFC says.
 */
#ifndef ISSUEMINE_CSV_H
#define ISSUEMINE_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct csv_reader;

struct csv_record {
	size_t nfields;
	char **fields; /* borrowed: valid until the next csv_read or csv_close */
	long line;     /* line number (1-based) where the record starts */
};

/* Reads from f (not closed by csv_close); name is used in error messages. */
struct csv_reader *csv_open(FILE *f, const char *name);
void csv_close(struct csv_reader *r);

/* Returns 1 with a record, 0 at end of input, -1 on a malformed record. Blank lines are skipped. */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct error *err);

/* Index of the column named name (case-insensitive, surrounding blanks ignored), or -1. */
int csv_column(const struct csv_record *header, const char *name);

/* Field i of rec, or "" when the record is shorter. */
const char *csv_field(const struct csv_record *rec, int i);

void csv_write_field(FILE *out, const char *s);
/* Writes n fields (NULL is written as an empty field) and the record end. */
void csv_write_row(FILE *out, const char *const *fields, size_t n);
void csv_end_row(FILE *out);

#endif
