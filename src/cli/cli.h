/*
 * cli.h - what every command file shares: messages, exit codes, the database.
 *
 * Only the command layer (src/main.c, src/cli/, src/cmd/) prints or decides
 * exit codes; the core returns status codes and struct error messages.
 * Messages go to stderr as "issuemine: <context>: <what>".
 */
#ifndef ISSUEMINE_CLI_H
#define ISSUEMINE_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "opt.h"
#include "store.h"

/* Exit codes: EXIT_SUCCESS (0); EXIT_FAILURE (1): bad input, network, database; and: */
#define EXIT_USAGE 2 /* the command line itself is wrong */

/*
 * "issuemine: <formatted>" on stderr, on one line: control characters of the
 * message (a newline or an escape sequence from a file or a title) are
 * written visibly (see termsafe.h). Every message goes through cli_vmessage.
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_vmessage(const char *prefix, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/*
 * s (NULL is "") with its control characters escaped for the terminal
 * (termsafe.h), for the arguments of text output: printf("%s\n",
 * cli_text(title)). The memory stays valid for the next CLI_TEXT_SLOTS calls.
 * cli_text_lines keeps newlines, for text that is meant to span lines.
 */
#define CLI_TEXT_SLOTS 8
const char *cli_text(const char *s);
const char *cli_text_lines(const char *s);

/*
 * The exit code of a command that returned rc, once its standard output is
 * flushed: EXIT_FAILURE, with a message, when the output could not be
 * written (a full disk, an I/O error), so a listing cut short never exits 0.
 * Pipes are left alone (a reader that stops early is not a failure).
 */
int cli_finish_stdout(int rc);

/* Prints err's message as an error and returns EXIT_FAILURE. */
int cli_fail(const struct error *err);

/*
 * $ISSUEMINE_WAIT_SCALE, a test-only factor on the waits GitHub or the
 * backoff choose (gh_options.wait_scale); 1 when unset, and with a warning
 * when it is not a positive number.
 */
double cli_wait_scale(void);

/* The database path: --db, else $ISSUEMINE_DB, else ./issuemine.db. */
const char *cli_db_path(void);

/* Opens the database, printing the error on failure; returns 0 or -1. */
int cli_open_store(enum store_mode mode, struct store **out);

/* True when standard error is a terminal (progress lines redraw in place). */
int cli_stderr_is_tty(void);

/* Writes a JSON value to stdout with a trailing newline, and decrefs it. */
struct json_t;
void cli_print_json(struct json_t *value);

#endif
