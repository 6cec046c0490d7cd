/*
 * issueref.h - names of repositories and issues as users and GitHub write them.
 *
 * A repository is "owner/name". An issue is "owner/name#123" or a URL:
 * "https://github.com/owner/name/issues/123" (or /pull/123), or the API form
 * "https://api.github.com/repos/owner/name/issues/123", also on GitHub
 * Enterprise hosts ("https://host/api/v3/repos/...").
 */
#ifndef ISSUEMINE_ISSUEREF_H
#define ISSUEMINE_ISSUEREF_H

#include <stdint.h>

#include "error.h"

#define REPO_NAME_MAX 256

struct issueref {
	char repo[REPO_NAME_MAX]; /* "owner/name" */
	int64_t number;
};

/* True if s is "owner/name" with GitHub's characters (letters, digits, -, _, .). */
int repo_name_valid(const char *s);

/* Parses an issue reference; returns 0 or -1. Numbers are 1 to INT64_MAX. */
int issueref_parse(const char *s, struct issueref *out);

/*
 * The same, with err saying what is wrong: "'S' is not owner/name#N or a
 * GitHub issue URL", or that its number is out of range.
 */
int issueref_parse_err(const char *s, struct issueref *out, struct error *err);

/*
 * Finds "owner/name" in a repository_url ("…/repos/owner/name") or an html_url
 * ("https://host/owner/name/issues/N"); writes it to out (REPO_NAME_MAX bytes).
 * Returns 0 or -1.
 */
int repo_from_api_url(const char *url, char *out);
int repo_from_html_url(const char *url, char *out);

#endif
