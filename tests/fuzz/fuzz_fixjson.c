/*
 * fuzz_fixjson.c - libFuzzer harness for GitHub's commit and pull request
 * objects as fixes_json.c reads them.
 *
 * The input is JSON (jansson parses it; what it refuses is skipped). The
 * value is then read as a commit's first and further pages, as a pull
 * request, as a page of files and as the pull requests of a commit, the way
 * fixes.c reads GitHub's answers: nothing it holds may crash them or leak.
 */
#include "fixes_json.h"
#include "store_fixes.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void as_commit(json_t *j)
{
	struct fix_key key = {FIX_COMMIT, "o/r", 0, "0123456789abcdef0123456789abcdef01234567"};
	struct fix_change c;
	struct error err;
	fix_change_init(&c, &key);
	if (!fixes_json_commit(j, &c, &err))
		fixes_json_commit_page(j, &c, &err);
	fixes_json_finish(&c);
	fix_change_release(&c);
}

static void as_pull(json_t *j)
{
	struct fix_key key = {FIX_PR, "o/r", 1, ""};
	struct fix_change c;
	struct error err;
	fix_change_init(&c, &key);
	fixes_json_pull(j, &c, &err);
	fixes_json_files(j, &c, &err);
	fixes_json_finish(&c);
	fix_change_release(&c);
	int64_t numbers[16];
	size_t n;
	fixes_json_pull_numbers(j, numbers, sizeof(numbers) / sizeof(numbers[0]), &n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (!j)
		return 0;
	as_commit(j);
	as_pull(j);
	json_decref(j);
	return 0;
}
