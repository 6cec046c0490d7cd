/*
 * fuzz_link.c - the Link header of GitHub's paginated answers (gh_link_url)
 * and the page number of its URLs (gh_url_page).
 *
 * A URL found is one written in the header, between its angle brackets.
 */
#include "fuzzlib.h"
#include "gh.h"
#include "xalloc.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		free(url);
	}
	(void)gh_url_page(header);
	free(header);
	return 0;
}
