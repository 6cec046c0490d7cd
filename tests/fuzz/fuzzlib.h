/*
 * fuzzlib.h - what the libFuzzer harnesses of tests/fuzz share.
 *
 * A harness is tests/fuzz/fuzz_<name>.c defining LLVMFuzzerTestOneInput (and
 * LLVMFuzzerInitialize when it needs one-time setup), with its seeds in
 * tests/fuzz/corpus/<name>/; tests/fuzz/CMakeLists.txt builds every
 * fuzz_*.c against the core and links this file in. Besides what the
 * sanitizers catch, a harness checks what a user would call a defect (a
 * message that is not one line, a partial write, a result that breaks the
 * parser's own contract) with FUZZ_CHECK, which aborts so that libFuzzer
 * keeps the input.
 */
#ifndef ISSUEMINE_FUZZLIB_H
#define ISSUEMINE_FUZZLIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__);                      \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input as a C string (cut at its first NUL); caller frees. */
char *fuzz_string(const uint8_t *data, size_t size);

/* Writes the input to this process's scratch file (name.ext under $TMPDIR) and returns its path. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* A stream reading the input (a NULL-safe fmemopen, also for size 0); caller fcloses. */
FILE *fuzz_stream(const uint8_t *data, size_t size);

/* A fresh in-memory database with the schema; caller closes. */
struct store *fuzz_store(void);

/*
 * A fresh copy of the database file at template (made once by the harness),
 * opened read-write; caller closes.
 */
struct store *fuzz_store_copy(const char *template_path);

/* The scratch directory of this process (made on first use). */
const char *fuzz_dir(void);

/* An integer from SQL on s (a count), aborting when it fails. */
long long fuzz_count(struct store *s, const char *sql);

/*
 * Checks a message as a user meets it: not empty, and one line however it
 * is printed: a control character in it (a newline above all) must come
 * from the input itself (as itself, or written as a JSON escape), which the
 * printers escape; issuemine may never add one. what names the message in
 * the report.
 */
void fuzz_check_message(const char *what, const char *msg, const uint8_t *input, size_t size);

#endif
