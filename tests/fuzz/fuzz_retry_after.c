/*
 * fuzz_retry_after.c - the retry-after header of a secondary rate limit
 * (gh_parse_retry_after): seconds, or an HTTP date.
 *
 * A value it accepts is a wait of zero or more seconds; a number of seconds
 * is taken as written.
 */
#include "fuzzlib.h"
#include "gh.h"

#include <math.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);
	const time_t now = 1700000000;
	double seconds = -1;
	if (!gh_parse_retry_after(value, now, &seconds)) {
		FUZZ_CHECK(isfinite(seconds) && seconds >= 0, "'%s' gave %g seconds", value,
		           seconds);
		size_t digits = strspn(value + strspn(value, " "), "0123456789");
		if (digits && digits < 10 && strspn(value, " 0123456789") == strlen(value))
			FUZZ_CHECK(seconds == strtod(value, NULL), "'%s' gave %g seconds", value,
			           seconds);
	}
	free(value);
	return 0;
}
