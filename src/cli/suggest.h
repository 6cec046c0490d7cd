/*
 * suggest.h - "did you mean", for a mistyped command or option (as git does).
 *
 * A name is close to the mistyped word when the word starts it (an
 * abbreviation: "filt" for "filter") or when they differ by at most two
 * edits (a letter added, dropped, changed, or two neighbours swapped), and
 * by fewer than half the word's letters. The closest names are suggested.
 */
#ifndef ISSUEMINE_SUGGEST_H
#define ISSUEMINE_SUGGEST_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Appends "; did you mean 'x'?" (or "'x' or 'y'?") to out when some of
 * names[0..n) is close to word; each name is shown after prefix ("--" for
 * options). Appends nothing when none is close.
 */
void suggest_append(struct strbuf *out, const char *word, const char *const *names, size_t n,
                    const char *prefix);

/* The edit distance of a and b (optimal string alignment: swaps count once). */
size_t suggest_distance(const char *a, const char *b);

#endif
