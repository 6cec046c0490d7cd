/*
 * fuzz_dump.c - JSON dumps: the streaming reader (dump_open, dump_next) and
 * their import into the store (import_file).
 *
 * A failed import names the file in a one-line message and leaves the
 * database as it was (one transaction per file); a successful one is
 * idempotent: importing the same file again changes nothing.
 */
#include "dump.h"
#include "fuzzlib.h"
#include "import.h"

#include <jansson.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One database for every input, emptied after each (a fresh one costs more than the run). */
static struct store *db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	db = fuzz_store();
	return 0;
}

static void empty(struct store *s)
{
	struct error err;
	FUZZ_CHECK(!store_exec(s,
	                       "DELETE FROM events; DELETE FROM labels; DELETE FROM "
	                       "timeline_state; DELETE FROM issues; DELETE FROM repositories",
	                       &err),
	           "%s", err.msg);
}

/* Reads the dump item by item, as import does. */
static void read_all(const char *path, const uint8_t *data, size_t size)
{
	struct dump_reader *r;
	struct error err;
	if (dump_open(path, &r, &err)) {
		fuzz_check_message("dump_open", err.msg, data, size);
		return;
	}
	json_t *item;
	int rc;
	while ((rc = dump_next(r, &item, &err)) > 0)
		json_decref(item);
	if (rc < 0)
		fuzz_check_message("dump_next", err.msg, data, size);
	FUZZ_CHECK(dump_offset(r) >= 0 && dump_offset(r) <= (long long)size + 1,
	           "offset %lld of %zu", dump_offset(r), size);
	dump_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("dump.json", data, size);
	read_all(path, data, size);
	struct store *s = db;
	struct import_options io = {NULL, NULL, NULL};
	struct import_counts counts = {0}, again = {0};
	struct error err;
	if (import_file(s, path, &io, &counts, &err)) {
		fuzz_check_message("import", err.msg, data, size);
		FUZZ_CHECK(!strncmp(err.msg, path, strlen(path)),
		           "the message does not name the file: %s", err.msg);
		FUZZ_CHECK(fuzz_count(s, "SELECT count(*) FROM issues") == 0 &&
		                   fuzz_count(s, "SELECT count(*) FROM repositories") == 0,
		           "a failed import left rows behind: %s", err.msg);
	} else {
		long long stored = fuzz_count(s, "SELECT count(*) FROM issues");
		FUZZ_CHECK(stored == counts.issues_new, "%lld issues stored, %ld new", stored,
		           counts.issues_new);
		FUZZ_CHECK(!import_file(s, path, &io, &again, &err), "a second import fails: %s",
		           err.msg);
		FUZZ_CHECK(again.issues_new == 0 && again.issues_updated == 0,
		           "a second import changed %ld new, %ld updated", again.issues_new,
		           again.issues_updated);
	}
	empty(s);
	return 0;
}
