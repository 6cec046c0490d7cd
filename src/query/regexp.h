/*
 * regexp.h - PCRE2 regular expressions for queries, as a SQL function.
 *
 * regexp_register() adds to a connection
 *
 *	regexp(PATTERN, SUBJECT)          1 if SUBJECT matches, else 0
 *	regexp(PATTERN, SUBJECT, FLAGS)   FLAGS "i": case-insensitive
 *	regexp(PATTERN, SUBJECT, FLAGS, ISSUE)
 *	                                  ISSUE, the issues row id of SUBJECT, is
 *	                                  named (owner/name#N) if the match fails
 *
 * (the two-argument form also serves SQLite's "SUBJECT REGEXP PATTERN").
 * A NULL subject gives NULL. Patterns are UTF-8 with Unicode properties;
 * a subject that is not valid UTF-8 is matched as far as it is valid.
 * A compiled pattern is kept with the statement (sqlite3_set_auxdata) for as
 * long as the pattern argument stays the same, as it does for a bound
 * parameter, and JIT-compiled where PCRE2 supports it (unless
 * $ISSUEMINE_NO_JIT is set: valgrind takes the JIT's wide reads for errors).
 * The JIT gets a stack of a few MiB, and a match that outgrows it is run
 * again by the interpreter, so that patterns such as (.|\n)*X hold on the
 * longest bodies GitHub allows. A match that fails even so (PCRE2's match
 * or heap limit) fails the statement with an error naming the pattern, the
 * reason and, given ISSUE, the issue.
 */
#ifndef ISSUEMINE_REGEXP_H
#define ISSUEMINE_REGEXP_H

#include <sqlite3.h>
#include <stddef.h>

#include "error.h"

/* Registers regexp() on db; returns 0 or -1. */
int regexp_register(sqlite3 *db, struct error *err);

/*
 * Checks that pattern compiles with flags ("" or "i"). On failure returns -1
 * with err naming the pattern, PCRE2's message and the offset, and *offset
 * (if given) the byte offset in pattern where PCRE2 stopped.
 */
int regexp_check(const char *pattern, const char *flags, size_t *offset, struct error *err);

#endif
