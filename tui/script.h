/*
 * script.h - keystroke scripts and timing traces, for tests and benchmarks.
 *
 * A keystroke script ($ISSUEMINE_TUI_SCRIPT) is a text file read line by
 * line, in the spirit of tig's test scripts:
 *
 *	# a comment
 *	3b              every character is a key, in order (spaces too)
 *	<Down><Enter>   named keys: Enter Esc Tab Backspace Space Up Down Left
 *	                Right PgUp PgDown Home End LT (a literal '<') and C-x
 *	                (Control-x)
 *	:resize 100x30  make the screen COLSxROWS, as a terminal resize does
 *	:dump FILE      write the screen as text to FILE now
 *
 * Lines end keys: a newline is not a key (write <Enter>).
 *
 * A trace ($ISSUEMINE_TUI_TRACE) gets one line per event, "SECONDS EVENT
 * [DETAIL]", SECONDS being the Unix time with microseconds, so a script
 * that noted the time before starting issuemine can measure the time to the
 * first screen and from each key to its screen.
 */
#ifndef ISSUEMINE_TUI_SCRIPT_H
#define ISSUEMINE_TUI_SCRIPT_H

#include <stddef.h>

#include "error.h"

struct script;

enum script_step {
	SCRIPT_KEY,    /* key */
	SCRIPT_DUMP,   /* path */
	SCRIPT_RESIZE, /* rows, cols */
};

struct script_action {
	enum script_step step;
	int key;
	const char *path; /* borrowed: valid until the next script_next */
	int rows, cols;
};

/*
 * Reads and checks the whole script; on a malformed line the error names the
 * file and line, and nothing has run yet.
 */
int script_open(const char *path, struct script **out, struct error *err);
void script_close(struct script *sc);

/* The next action: 1 with *a filled, 0 at the end, -1 on a bad line (err set). */
int script_next(struct script *sc, struct script_action *a, struct error *err);

/* Parses "COLSxROWS"; returns 0 or -1. */
int script_parse_size(const char *s, int *rows, int *cols);

/* A key as a script writes it ("j", "<Enter>", "<C-d>") into buf. */
void script_key_name(int key, char *buf, size_t size);

/* Traces to path (appending); does nothing when path is NULL. */
void trace_open(const char *path);
void trace_event(const char *event, const char *detail);
void trace_close(void);

#endif
