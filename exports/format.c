/*
 * format.c - names of the output formats (see format.h).
 */
#include "format.h"

#include <string.h>

static const char *const names[] = {"text", "csv", "json", "markdown", "latex"};

int export_format_parse(const char *name, enum export_format *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(names[i], name)) {
			*out = (enum export_format)i;
			return 0;
		}
	}
	return -1;
}
