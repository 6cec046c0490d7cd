/*
 * fuzz_link.c - the Link header of GitHub's paginated answers (gh_link_url),
 * the page number of its URLs (gh_url_page), and whether the client may
 * follow one with its token (gh_same_origin).
 *
 * A URL found is one written in the header, between its angle brackets. A
 * URL taken as on the API's origin is one libcurl sends to the API's host
 * and port, never to another (the token goes with it).
 */
#include "fuzzlib.h"
#include "gh.h"
#include "xalloc.h"

#include <curl/curl.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* If url is taken as on the API's origin, libcurl's host and port of it are the API's. */
static void check_origin(const char *url)
{
	static const char base[] = "https://api.github.com";
	if (!gh_same_origin(base, url))
		return;
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		FUZZ_CHECK(curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		                   !strcasecmp(host, "api.github.com"),
		           "'%s' is on %s's origin, but libcurl sends it to %s", url, base,
		           host ? host : "(no host)");
		FUZZ_CHECK(curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
		                           CURLUE_OK &&
		                   !strcmp(port, "443"),
		           "'%s' is on %s's origin, but libcurl sends it to port %s", url, base,
		           port ? port : "(none)");
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const rels[] = {"next", "prev", "first", "last"};
	char *header = fuzz_string(data, size);
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		char *url = gh_link_url(header, rels[i]);
		if (!url)
			continue;
		char *bracketed = xstrfmt("<%s>", url);
		FUZZ_CHECK(strstr(header, bracketed), "rel=%s gave '%s', not a <URL> of the header",
		           rels[i], url);
		free(bracketed);
		(void)gh_url_page(url);
		check_origin(url);
		free(url);
	}
	(void)gh_url_page(header);
	check_origin(header);
	free(header);
	return 0;
}
