/*
 * fuzz_taxcanon.c - libFuzzer harness for taxonomy files as codebook
 * versions see them: tax_parse (with exclusion reasons), the canonical text
 * a version's hash is of, and tax_diff.
 *
 * Whatever the input, parsing must not crash; a taxonomy it accepts must
 * give a canonical text that parses again into the same canonical text (a
 * version read back is the version stored), and differ from itself in
 * nothing.
 */
#include "sha256.h"
#include "tax_version.h"
#include "taxonomy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct taxonomy *t, *again;
	struct error err;
	if (tax_parse((const char *)data, size, "fuzz", &t, &err))
		return 0;
	char *text = tax_canonical(t);
	if (!text || tax_parse(text, strlen(text), "canonical", &again, &err))
		abort();
	char *text2 = tax_canonical(again);
	if (!text2 || strcmp(text, text2))
		abort();
	json_t *changes = tax_diff(t, again);
	if (json_array_size(changes) != 0)
		abort();
	json_decref(changes);
	char hex[SHA256_HEX_LEN];
	sha256_hex(text, strlen(text), hex);
	if (strlen(hex) != 64)
		abort();
	free(text);
	free(text2);
	tax_free(again);
	tax_free(t);
	return 0;
}
