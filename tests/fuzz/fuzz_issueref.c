/*
 * fuzz_issueref.c - issue references (issueref_parse_err) and the whole
 * numbers inside them (number_parse).
 *
 * An accepted reference has a valid repository and a number from 1 up, and
 * written back as owner/name#N it parses to the same; a refused one gets a
 * one-line message. number_parse agrees with a strict strtoll on every
 * input, and never saturates.
 */
#include "fuzzlib.h"
#include "issueref.h"
#include "number.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a whole number is by strtoll, strictly: -1 not a number, -2 out of range. */
static int reference_number(const char *s, int64_t *out)
{
	const char *digits = s + (*s == '-');
	if (!*digits || strspn(digits, "0123456789") != strlen(digits))
		return NUMBER_SYNTAX;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return NUMBER_RANGE;
	*out = v;
	return NUMBER_OK;
}

static void check_number(const char *s)
{
	int64_t a = 0, b = 0;
	int got = number_parse(s, INT64_MIN, INT64_MAX, &a), want = reference_number(s, &b);
	FUZZ_CHECK(got == want && (got || a == b),
	           "number_parse('%s') = %d (%" PRId64 "), strtoll says %d (%" PRId64 ")", s, got,
	           a, want, b);
	/* A range narrower than int64 refuses what lies outside it. */
	if (!got) {
		int64_t c;
		int narrow = number_parse(s, 1, 1000, &c);
		FUZZ_CHECK((a >= 1 && a <= 1000) ? narrow == NUMBER_OK && c == a
		                                 : narrow == NUMBER_RANGE,
		           "number_parse('%s', 1, 1000) = %d", s, narrow);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct issueref ref;
	struct error err;
	check_number(s);
	if (issueref_parse_err(s, &ref, &err)) {
		fuzz_check_message("issue reference", err.msg, data, size);
		free(s);
		return 0;
	}
	FUZZ_CHECK(ref.number >= 1 && repo_name_valid(ref.repo), "'%s' gave %s#%" PRId64, s,
	           ref.repo, ref.number);
	char again[REPO_NAME_MAX + 32];
	snprintf(again, sizeof(again), "%s#%" PRId64, ref.repo, ref.number);
	struct issueref back;
	FUZZ_CHECK(!issueref_parse(again, &back) && !strcmp(back.repo, ref.repo) &&
	                   back.number == ref.number,
	           "'%s' written back as '%s' does not parse the same", s, again);
	free(s);
	return 0;
}
