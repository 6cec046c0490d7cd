/*
 * fuzz_headers.c - the headers of GitHub's answers as the client keeps them
 * (gh_headers_take, line by line as libcurl hands them over), then read as
 * the client reads them: the Link header's URLs (gh_link_url) and a
 * retry-after (gh_parse_retry_after).
 *
 * A value kept is the line's own text after "Name:", without the spaces and
 * line ends around it; a status line forgets the answer before it.
 */
#include "fuzzlib.h"
#include "gh.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A kept value never ends in the line's end or a space, and holds no line end. */
static void check_value(const char *name, const char *v)
{
	if (!v)
		return;
	size_t n = strlen(v);
	FUZZ_CHECK(!n || (v[n - 1] != ' ' && v[n - 1] != '\r'), "%s '%s' keeps its end", name, v);
	FUZZ_CHECK(!strchr(v, '\n'), "%s '%s' spans lines", name, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gh_headers h;
	memset(&h, 0, sizeof(h));
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		/* One line with its "\n", as libcurl's header callback gets it. */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		gh_headers_take(&h, p, len);
		p += len;
	}
	check_value("etag", h.etag);
	check_value("link", h.link);
	check_value("retry-after", h.retry_after);
	check_value("resource", h.resource);
	check_value("content-type", h.content_type);
	if (h.link) {
		char *next = gh_link_url(h.link, "next");
		FUZZ_CHECK(!next || strstr(h.link, next), "next '%s' is not in the Link header",
		           next);
		free(next);
	}
	double seconds;
	if (h.retry_after && !gh_parse_retry_after(h.retry_after, 1700000000, &seconds))
		FUZZ_CHECK(seconds >= 0, "retry-after '%s' is %g seconds", h.retry_after, seconds);
	gh_headers_clear(&h);
	return 0;
}
