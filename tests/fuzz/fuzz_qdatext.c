/*
 * fuzz_qdatext.c - libFuzzer harness for the cleaning of issue text into
 * the plain-text sources of REFI-QDA projects (qda_clean_text), which takes
 * whatever GitHub or a dump holds: titles, bodies, comments, notes.
 *
 * The input is the text (up to its first NUL, as a C string). The output
 * must be valid UTF-8 without control characters other than tab and line
 * feed (no CR), cleaning it again must change nothing, and its code points
 * must be counted as a UTF-8 decoder counts them.
 */
#include "qda.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An independent check of UTF-8 (RFC 3629); the number of code points, or -1. */
static long decode(const unsigned char *s, size_t n)
{
	long count = 0;
	for (size_t i = 0; i < n; count++) {
		unsigned c = s[i];
		size_t len = c < 0x80         ? 1
		             : (c >> 5) == 6  ? 2
		             : (c >> 4) == 14 ? 3
		             : (c >> 3) == 30 ? 4
		                              : 0;
		if (!len || i + len > n)
			return -1;
		unsigned long cp = len == 1 ? c : c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		if (cp < 0x20 && cp != '\t' && cp != '\n')
			return -1;
		i += len;
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;
	qda_clean_text(&once, text);
	const char *out = once.buf ? once.buf : "";
	long points = decode((const unsigned char *)out, once.len);
	if (points < 0 || (size_t)points != qda_code_points(out, once.len))
		abort();
	qda_clean_text(&twice, out);
	if (once.len != twice.len || (once.len && memcmp(once.buf, twice.buf, once.len)))
		abort();
	strbuf_release(&once);
	strbuf_release(&twice);
	free(text);
	return 0;
}
