/*
 * fuzz_error_message.c - the one-line message of an error answer
 * (gh_error_message): GitHub's "message" and "errors" list, or the body
 * itself, with the token scrubbed.
 *
 * The input's first 16 bytes choose a token (letters, digits and "_", as
 * GitHub's are); the rest is the body. Whatever the body, the message is one
 * line of at most 403 bytes and holds no copy of the token, even where a
 * control character or a NUL stood in it. (That a copy cut short is never
 * left at the cut, tests/e2e/fetch_token.sh shows.)
 */
#include "fuzzlib.h"
#include "gh.h"
#include "strbuf.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TOKEN_LEN 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char alphabet[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
	if (size < TOKEN_LEN)
		return 0;
	char token[TOKEN_LEN + 1];
	for (size_t i = 0; i < TOKEN_LEN; i++)
		token[i] = alphabet[data[i] % (sizeof(alphabet) - 1)];
	token[TOKEN_LEN] = '\0';
	struct strbuf body = STRBUF_INIT, out = STRBUF_INIT;
	strbuf_add(&body, data + TOKEN_LEN, size - TOKEN_LEN);
	gh_error_message(&body, token, &out);
	FUZZ_CHECK(out.len <= 403, "a message of %zu bytes", out.len);
	FUZZ_CHECK(strlen(out.buf) == out.len, "a NUL in the message");
	for (size_t i = 0; i < out.len; i++)
		FUZZ_CHECK((unsigned char)out.buf[i] >= 32, "a control character in '%s'", out.buf);
	FUZZ_CHECK(!strstr(out.buf, token), "the token is in '%s'", out.buf);
	strbuf_release(&body);
	strbuf_release(&out);
	return 0;
}
