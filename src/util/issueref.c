/*
 * issueref.c - parsing repository and issue references (see issueref.h).
 */
#include "issueref.h"
#include "number.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* Length of a run of name characters at s. */
static size_t name_span(const char *s)
{
	size_t n = 0;
	while (name_char((unsigned char)s[n]))
		n++;
	return n;
}

static int copy_repo(const char *owner, size_t olen, const char *name, size_t nlen, char *out)
{
	if (!olen || !nlen || olen + nlen + 2 > REPO_NAME_MAX)
		return -1;
	if ((nlen == 1 && name[0] == '.') || (nlen == 2 && !strncmp(name, "..", 2)))
		return -1;
	memcpy(out, owner, olen);
	out[olen] = '/';
	memcpy(out + olen + 1, name, nlen);
	out[olen + 1 + nlen] = '\0';
	return 0;
}

/* Parses "owner/name" at s; sets *end past it. */
static int parse_repo(const char *s, char *out, const char **end)
{
	size_t olen = name_span(s);
	if (s[olen] != '/')
		return -1;
	const char *name = s + olen + 1;
	size_t nlen = name_span(name);
	if (copy_repo(s, olen, name, nlen, out))
		return -1;
	*end = name + nlen;
	return 0;
}

int repo_name_valid(const char *s)
{
	char buf[REPO_NAME_MAX];
	const char *end;
	return s && !parse_repo(s, buf, &end) && !*end;
}

/* The issue number s[0..len): -1 if it is not a number, -2 if it is outside 1..INT64_MAX. */
static int parse_number(const char *s, size_t len, int64_t *out)
{
	if (!len || strspn(s, "0123456789") < len)
		return -1;
	return number_parse_span(s, len, 1, INT64_MAX, out) ? -2 : 0;
}

/* The number of a URL path at s, which ends there or goes on with '/', '#' or '?'. */
static int parse_url_number(const char *s, int64_t *out)
{
	size_t len = strspn(s, "0123456789");
	if (s[len] && s[len] != '/' && s[len] != '#' && s[len] != '?')
		return -1;
	return parse_number(s, len, out);
}

/* Skips "scheme://host" and returns the path, or NULL. */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	return strchr(p + 3, '/');
}

int repo_from_api_url(const char *url, char *out)
{
	const char *path = url ? url_path(url) : NULL;
	const char *p = path ? strstr(path, "/repos/") : NULL;
	const char *end;
	if (!p || parse_repo(p + 7, out, &end))
		return -1;
	return (*end == '\0' || *end == '/') ? 0 : -1;
}

int repo_from_html_url(const char *url, char *out)
{
	const char *path = url ? url_path(url) : NULL;
	const char *end;
	if (!path || parse_repo(path + 1, out, &end))
		return -1;
	return (*end == '\0' || *end == '/') ? 0 : -1;
}

static int parse_url(const char *s, struct issueref *out)
{
	const char *path = url_path(s);
	const char *end;
	if (!path)
		return -1;
	const char *repos = strstr(path, "/repos/");
	const char *start = repos ? repos + 7 : path + 1;
	if (parse_repo(start, out->repo, &end))
		return -1;
	if (!strncmp(end, "/issues/", 8))
		return parse_url_number(end + 8, &out->number);
	if (!strncmp(end, "/pull/", 6))
		return parse_url_number(end + 6, &out->number);
	if (!strncmp(end, "/pulls/", 7))
		return parse_url_number(end + 7, &out->number);
	return -1;
}

/* Parses s: 0, -1 when it is no issue reference, -2 when its number is out of range. */
static int parse_ref(const char *s, struct issueref *out)
{
	const char *end;
	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (strstr(s, "://"))
		return parse_url(s, out);
	if (parse_repo(s, out->repo, &end) || *end != '#')
		return -1;
	const char *digits = end + 1;
	size_t len = strspn(digits, "0123456789");
	for (end = digits + len; isspace((unsigned char)*end); end++)
		;
	if (*end)
		return -1;
	return parse_number(digits, len, &out->number);
}

int issueref_parse(const char *s, struct issueref *out)
{
	return parse_ref(s, out) ? -1 : 0;
}

int issueref_parse_err(const char *s, struct issueref *out, struct error *err)
{
	int rc = parse_ref(s, out);
	if (rc == -2)
		return error_set(err, "'%s': the issue number is out of range (1 to %" PRId64 ")",
		                 s, INT64_MAX);
	if (rc)
		return error_set(err, "'%s' is not owner/name#N or a GitHub issue URL", s ? s : "");
	return 0;
}
