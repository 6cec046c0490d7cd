/*
 * fuzz_fixterms.c - libFuzzer harness for the query terms over fixes (query_fix.c).
 *
 * The first byte picks a fix term's key, the rest is its value: "KEY:VALUE"
 * goes through query_parse() (the lexer, the hook, globs, patterns, counts).
 * The bytes also go to query_fix_glob_to_regex() directly, and whatever glob
 * it accepts must make a pattern PCRE2 compiles: the parser relies on that.
 */
#include "query.h"
#include "query_fix.h"
#include "regexp.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {"fix",       "fixes",         "linked",       "fix.path",
                                   "fix.files", "fix.additions", "fix.deletions"};

static void parse_term(const uint8_t *data, size_t size)
{
	const char *key = keys[size ? data[0] % (sizeof(keys) / sizeof(keys[0])) : 0];
	struct strbuf text = STRBUF_INIT;
	strbuf_addf(&text, "%s:", key);
	if (size > 1)
		strbuf_add(&text, data + 1, size - 1);
	struct query *q;
	struct error err;
	if (!memchr(text.buf, '\0', text.len) && !query_parse(text.buf, &q, NULL, &err)) {
		query_where(q, NULL, NULL);
		query_free(q);
	}
	strbuf_release(&text);
}

static void check_glob(const uint8_t *data, size_t size)
{
	struct strbuf re = STRBUF_INIT;
	size_t at;
	const char *why;
	struct error err;
	if (!query_fix_glob_to_regex((const char *)data, size, &re, &at, &why)) {
		if (!memchr(data, '\0', size) && regexp_check(re.buf, "", NULL, &err))
			abort(); /* a glob made a pattern that does not compile */
	} else if (at > size) {
		abort(); /* an error outside the glob */
	}
	strbuf_release(&re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_term(data, size);
	check_glob(data, size);
	return 0;
}
