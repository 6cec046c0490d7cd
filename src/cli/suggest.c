/*
 * suggest.c - the closest names to a mistyped one (see suggest.h).
 */
#include "suggest.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define SUGGEST_MAX_EDITS 2
#define SUGGEST_MAX_SHOWN 3

size_t suggest_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* Three rows of the dynamic programme: the one before last, the last, this one. */
	size_t *rows = xcalloc(3 * (m + 1), sizeof(*rows));
	size_t *prev2 = rows, *prev = rows + m + 1, *cur = rows + 2 * (m + 1);
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	size_t d = prev[m];
	free(rows);
	return d;
}

/* How close name is to word: 0 for an abbreviation, the edits otherwise, or -1 if not close. */
static long closeness(const char *word, const char *name)
{
	size_t len = strlen(word);
	if (len && !strncmp(word, name, len))
		return 0;
	size_t d = suggest_distance(word, name);
	if (d > SUGGEST_MAX_EDITS || 2 * d >= len)
		return -1;
	return (long)d;
}

void suggest_append(struct strbuf *out, const char *word, const char *const *names, size_t n,
                    const char *prefix)
{
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		long c = closeness(word, names[i]);
		if (c >= 0 && (best < 0 || c < best))
			best = c;
	}
	if (best < 0)
		return;
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < n; i++)
		total += closeness(word, names[i]) == best;
	strbuf_adds(out, "; did you mean ");
	for (size_t i = 0; i < n && shown < SUGGEST_MAX_SHOWN; i++) {
		if (closeness(word, names[i]) != best)
			continue;
		shown++;
		const char *sep = shown == 1                                       ? ""
		                  : (shown == total || shown == SUGGEST_MAX_SHOWN) ? " or "
		                                                                   : ", ";
		strbuf_addf(out, "%s'%s%s'", sep, prefix ? prefix : "", names[i]);
	}
	strbuf_adds(out, "?");
}
