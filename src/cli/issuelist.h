/*
 * issuelist.h - printing lists of issues as a table, CSV or JSON.
 *
 * "filter" and "sets show" list issues the same way: repository, number,
 * title, creation day and URL. The table is aligned for a terminal (titles
 * cut to fit); CSV (RFC 4180) and JSON carry every field untouched.
 */
#ifndef ISSUEMINE_ISSUELIST_H
#define ISSUEMINE_ISSUELIST_H

#include <stddef.h>

#include "sets.h"

enum issuelist_format { ISSUELIST_TABLE, ISSUELIST_CSV, ISSUELIST_JSON };

/* "table", "csv" or "json" to the enum (anything else is the table). */
enum issuelist_format issuelist_format(const char *name);

/* Prints n members to stdout in the format. */
void issuelist_print(const struct set_member *members, size_t n, enum issuelist_format format);

#endif
