/*
 * fuzz_fetch_state.c - the listing state a fetch keeps in fetch_queries.state,
 * read back from a database that may be damaged or written by another
 * version. Parsing never crashes or leaks and fails with a one-line message;
 * a state that parses is written back to text that parses to the same text
 * again (a resumed run continues where the saved one stood).
 */
#include "fetch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct fetch_state st = {0}, back = {0};
	struct error err;
	if (fetch_state_from_json(text, &st, &err) == 0) {
		char *saved = fetch_state_to_json(&st);
		if (!saved || fetch_state_from_json(saved, &back, &err))
			abort(); /* what was saved must load */
		char *again = fetch_state_to_json(&back);
		if (!again || strcmp(saved, again))
			abort(); /* and load as what was saved */
		free(again);
		free(saved);
	} else if (strchr(err.msg, '\n') || !err.msg[0]) {
		abort(); /* a message of one line */
	}
	fetch_state_release(&st);
	fetch_state_release(&back);
	free(text);
	return 0;
}
