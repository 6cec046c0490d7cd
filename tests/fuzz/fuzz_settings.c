/*
 * fuzz_settings.c - libFuzzer harness for the checks of study settings
 * (settings_check: a key and a value as "issuemine config" takes them).
 *
 * The input is "KEY\nVALUE": the key up to the first newline, the value
 * after it (no newline: the key alone). The check must never crash, must
 * accept or refuse with a message, and a value it accepts must normalise to
 * a value it accepts again, unchanged.
 */
#include "settings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *nl = strchr(text, '\n');
	const char *value = NULL;
	if (nl) {
		*nl = '\0';
		value = nl + 1;
	}
	struct error err;
	char *normal = NULL;
	if (settings_check(text, value, value ? &normal : NULL, &err) == 0 && normal) {
		char *again = NULL;
		if (settings_check(text, normal, &again, &err) != 0 || strcmp(again, normal) != 0)
			abort();
		free(again);
	} else if (!normal && strlen(err.msg) == 0 && settings_find_key(text) == NULL) {
		abort(); /* a refusal always says why */
	}
	free(normal);
	free(text);
	return 0;
}
