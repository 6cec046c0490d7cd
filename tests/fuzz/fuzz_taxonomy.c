/*
 * fuzz_taxonomy.c - taxonomy files (tax_parse), and what the store makes of
 * an accepted one (tax_store, tax_read).
 *
 * A rejected file gets a one-line message naming it. An accepted one can be
 * stored (its validation leaves nothing for the database's constraints to
 * refuse) and reads back with the same dimensions, categories and path
 * rules (the same canonical text).
 */
#include "fuzzlib.h"
#include "taxonomy.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const struct taxonomy *a, const struct taxonomy *b)
{
	FUZZ_CHECK(!strcmp(a->name, b->name) && a->ndims == b->ndims, "read back %s with %zu dims",
	           b->name, b->ndims);
	for (size_t i = 0; i < a->ndims; i++) {
		const struct tax_dimension *x = &a->dims[i], *y = &b->dims[i];
		FUZZ_CHECK(!strcmp(x->key, y->key) && x->ncats == y->ncats,
		           "dimension %zu: %s with %zu categories read back as %s with %zu", i,
		           x->key, x->ncats, y->key, y->ncats);
		for (size_t j = 0; j < x->ncats; j++)
			FUZZ_CHECK(!strcmp(x->cats[j].key, y->cats[j].key) &&
			                   x->cats[j].nsubs == y->cats[j].nsubs,
			           "category %s read back as %s", x->cats[j].key, y->cats[j].key);
	}
	/* Path rules too, with their canonical text (which versions hash). */
	FUZZ_CHECK(a->nrules == b->nrules, "%zu rules read back as %zu", a->nrules, b->nrules);
	char *ca = tax_canonical(a), *cb = tax_canonical(b);
	FUZZ_CHECK(!strcmp(ca, cb), "the canonical text changed when stored: %.200s", cb);
	free(ca);
	free(cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct taxonomy *t, *back;
	struct error err;
	if (tax_parse((const char *)data, size, "fuzz.json", &t, &err)) {
		fuzz_check_message("taxonomy", err.msg, data, size);
		FUZZ_CHECK(!strncmp(err.msg, "fuzz.json", 9),
		           "the message does not name the file: %s", err.msg);
		return 0;
	}
	struct store *s = fuzz_store();
	int changed;
	FUZZ_CHECK(!store_begin(s, &err) && !tax_store(s, t, &changed, &err) &&
	                   !store_commit(s, &err),
	           "an accepted taxonomy cannot be stored: %s", err.msg);
	FUZZ_CHECK(!tax_read(s, t->name, &back, &err), "a stored taxonomy cannot be read: %s",
	           err.msg);
	check_same(t, back);
	tax_free(back);
	tax_free(t);
	store_close(s);
	return 0;
}
