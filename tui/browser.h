/*
 * browser.h - opening a URL with $BROWSER.
 *
 * $BROWSER is the convention Python's webbrowser and xdg-utils follow: a
 * list of commands separated by ':', tried in order until one succeeds;
 * in a command "%s" stands for the URL (else the URL is its last
 * argument). Each command runs through the shell with the URL as a
 * separate, quoted argument, so a URL never becomes shell syntax. No
 * curses here: the caller gives the terminal to the browser and takes it
 * back.
 */
#ifndef ISSUEMINE_TUI_BROWSER_H
#define ISSUEMINE_TUI_BROWSER_H

#include "error.h"

/* $BROWSER, or NULL when it is unset or empty. */
const char *browser_command(void);

/* Whether url is one to hand to a browser: http or https, no spaces or control characters. */
int browser_url_ok(const char *url);

/*
 * Opens url with $BROWSER (quiet: its standard input, output and error are
 * /dev/null, for tests). Returns 0 when a command succeeded, 1 when
 * $BROWSER is not set, -1 with err set when every command failed.
 */
int browser_open(const char *url, int quiet, struct error *err);

#endif
