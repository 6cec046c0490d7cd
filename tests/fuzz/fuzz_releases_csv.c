/*
 * fuzz_releases_csv.c - release series as CSV (release_parse_csv).
 *
 * A refused file gets one line naming it; an accepted one holds at least one
 * release, each a valid day in date order with a unique version and sizes in
 * range.
 */
#include "fuzzlib.h"
#include "releases.h"
#include "timeutil.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fuzz_stream(data, size);
	struct release_series *rs;
	struct error err;
	int rc = release_parse_csv(f, "releases.csv", "fuzz", &rs, &err);
	fclose(f);
	if (rc) {
		fuzz_check_message("releases", err.msg, data, size);
		FUZZ_CHECK(!strncmp(err.msg, "releases.csv", 12), "the file is not named: %s",
		           err.msg);
		return 0;
	}
	FUZZ_CHECK(rs->n >= 1, "an accepted series without releases");
	for (size_t i = 0; i < rs->n; i++) {
		const struct release *r = &rs->releases[i];
		FUZZ_CHECK(time_is_date_only(r->date), "release %s: date '%s'", r->version,
		           r->date);
		FUZZ_CHECK(r->added >= 0 && r->updated >= 0, "release %s: negative size",
		           r->version);
		FUZZ_CHECK(*r->version, "an empty version");
		if (i)
			FUZZ_CHECK(strcmp(rs->releases[i - 1].date, r->date) <= 0,
			           "dates out of order");
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(rs->releases[j].version, r->version), "version %s twice",
			           r->version);
	}
	release_series_free(rs);
	return 0;
}
