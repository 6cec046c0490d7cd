/*
 * fuzz_rater_answer.c - libFuzzer harness for an external rater's answer
 * (external_answer_parse), the outside input "issuemine code --with" reads
 * from any program.
 *
 * The input is the command's standard output, any bytes. Parsing must never
 * crash or leak; an answer it accepts is resolved against the built-in
 * taxonomy as the check that follows does (tax_resolve of every code,
 * tax_resolve_reason of the exclusion), and one it refuses must say why.
 */
#include "external.h"
#include "taxonomy.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct taxonomy *tax;

static void resolve(const struct external_answer *a)
{
	struct error err;
	for (size_t i = 0; i < a->ncodes; i++) {
		struct tax_code code;
		const struct external_code *c = &a->codes[i];
		if (!c->dimension || !c->category ||
		    (c->has_confidence && !(c->confidence >= 0 && c->confidence <= 1)))
			abort(); /* what parsing accepts is whole */
		tax_resolve(tax, c->dimension, c->category, c->subcategory, &code, &err);
	}
	const struct tax_reason *reason;
	if (a->exclusion)
		tax_resolve_reason(tax, a->exclusion, &reason, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error err;
	if (!tax && tax_load_builtin(TAX_DEFAULT_NAME, &tax, &err))
		abort();
	struct external_answer a;
	struct strbuf why = STRBUF_INIT;
	if (external_answer_parse((const char *)data, size, &a, &why) == 0) {
		if (why.len)
			abort(); /* accepted, yet with a complaint */
		resolve(&a);
	} else if (!why.len) {
		abort(); /* a refusal always says why */
	}
	external_answer_release(&a);
	strbuf_release(&why);
	return 0;
}
