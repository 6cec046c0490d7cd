/*
 * dump.h - reading JSON dumps of GitHub issues one issue at a time.
 *
 * A dump is a JSON array of issue objects (the REST API's shape), each
 * optionally carrying a "timeline" array, as the reference study's scripts
 * wrote them. A file of concatenated objects (JSON Lines) is read too. Only
 * one issue is in memory at a time, so a 1 GB dump needs a few megabytes.
 * Errors name the file, line, column and byte offset.
 */
#ifndef ISSUEMINE_DUMP_H
#define ISSUEMINE_DUMP_H

#include <jansson.h>
#include <stdio.h>

#include "error.h"

struct dump_reader;

/* Opens path ("-" is standard input) and checks that it starts like a dump. */
int dump_open(const char *path, struct dump_reader **out, struct error *err);
void dump_close(struct dump_reader *r);

/* Returns 1 with *item (caller decrefs), 0 at the end, -1 on malformed input. */
int dump_next(struct dump_reader *r, json_t **item, struct error *err);

long long dump_offset(const struct dump_reader *r); /* bytes read so far */
long long dump_size(const struct dump_reader *r);   /* file size, -1 if unknown */
const char *dump_name(const struct dump_reader *r);

#endif
