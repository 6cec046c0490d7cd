/*
 * report_release.c - issues attributed to releases, and Spearman's rho
 * between release size and issue counts (paper section 6.1.1; see report.h).
 *
 * The steps, in order: releases sharing a date become one bin; --merge joins
 * the bins holding versions A..B; each bin's period runs from its date to
 * the next bin's; bins whose period misses the issue window are left out;
 * --drop-first and --drop-last drop the first and last bins left; each issue
 * goes to the bin of the latest release dated on or before its creation day
 * (issues of left-out bins are counted as such, never moved elsewhere).
 */
#include "report.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const size_names[] = {"changes", "added", "updated"};

const char *report_size_name(enum report_size size)
{
	return size_names[size];
}

int report_size_parse(const char *name, enum report_size *out)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, size_names[i])) {
			*out = (enum report_size)i;
			return 0;
		}
	return -1;
}

/* A bin while it is being built: releases first..last of the series. */
struct span {
	size_t first, last;
	int merged; /* made by a --merge */
	int kept;
};

static size_t version_index(const struct release_series *rs, const char *v, size_t len)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strlen(rs->releases[i].version) == len &&
		    !strncmp(rs->releases[i].version, v, len))
			return i;
	return (size_t)-1;
}

/* Splits "A-B" at the one '-' that leaves two versions of the series (versions may hold '-'). */
static int parse_merge(const struct release_series *rs, const char *spec, size_t *a, size_t *b,
                       struct error *err)
{
	int found = 0;
	for (const char *dash = strchr(spec, '-'); dash; dash = strchr(dash + 1, '-')) {
		size_t x = version_index(rs, spec, (size_t)(dash - spec));
		size_t y = version_index(rs, dash + 1, strlen(dash + 1));
		if (x == (size_t)-1 || y == (size_t)-1)
			continue;
		if (found++)
			return error_set(err, "--merge %s: ambiguous (versions contain '-')", spec);
		*a = x;
		*b = y;
	}
	if (!found)
		return error_set(err, "--merge %s: expected FIRST-LAST, two versions of series %s",
		                 spec, rs->name);
	if (*a > *b)
		return error_set(err, "--merge %s: %s comes after %s in series %s", spec,
		                 rs->releases[*a].version, rs->releases[*b].version, rs->name);
	return 0;
}

/* Releases sharing a date become one span each. */
static struct span *spans_by_date(const struct release_series *rs, size_t *n)
{
	struct span *spans = xcalloc(rs->n + 1, sizeof(*spans));
	*n = 0;
	for (size_t i = 0; i < rs->n; i++) {
		if (*n && !strcmp(rs->releases[i].date, rs->releases[spans[*n - 1].last].date)) {
			spans[*n - 1].last = i;
			continue;
		}
		spans[(*n)++] = (struct span){i, i, 0, 1};
	}
	return spans;
}

static size_t span_of(const struct span *spans, size_t n, size_t release)
{
	for (size_t i = 0; i < n; i++)
		if (release >= spans[i].first && release <= spans[i].last)
			return i;
	return (size_t)-1;
}

/* Applies one --merge: the spans holding releases a..b become one. */
static int merge_spans(struct span *spans, size_t *n, size_t a, size_t b, const char *spec,
                       struct error *err)
{
	size_t from = span_of(spans, *n, a), to = span_of(spans, *n, b);
	for (size_t i = from; i <= to; i++)
		if (spans[i].merged)
			return error_set(err, "--merge %s overlaps an earlier --merge", spec);
	spans[from].last = spans[to].last;
	spans[from].merged = 1;
	memmove(&spans[from + 1], &spans[to + 1], (*n - to - 1) * sizeof(*spans));
	*n -= to - from;
	return 0;
}

static const char *span_end(const struct release_series *rs, const struct span *spans, size_t n,
                            size_t i)
{
	return i + 1 < n ? rs->releases[spans[i + 1].first].date : "";
}

/* Leaves out spans whose period [date, next date) misses the window, then drops first/last. */
static void choose_spans(const struct release_series *rs, struct span *spans, size_t n,
                         const struct report_release_options *o)
{
	for (size_t i = 0; i < n; i++) {
		const char *date = rs->releases[spans[i].first].date,
		           *end = span_end(rs, spans, n, i);
		if (o->from && *end && strcmp(end, o->from) <= 0)
			spans[i].kept = 0;
		if (o->to && strcmp(date, o->to) > 0)
			spans[i].kept = 0;
	}
	size_t first = 0, last = n;
	while (first < n && !spans[first].kept)
		first++;
	while (last > 0 && !spans[last - 1].kept)
		last--;
	if (o->drop_first && first < last)
		spans[first++].kept = 0;
	if (o->drop_last && last > first)
		spans[--last].kept = 0;
}

long report_release_size(const struct release *r, enum report_size size)
{
	return size == REPORT_SIZE_ADDED     ? r->added
	       : size == REPORT_SIZE_UPDATED ? r->updated
	                                     : r->added + r->updated;
}

static void fill_bin(const struct release_series *rs, const struct span *sp, enum report_size size,
                     struct report_bin *bin)
{
	const struct release *first = &rs->releases[sp->first], *last = &rs->releases[sp->last];
	memset(bin, 0, sizeof(*bin));
	bin->label = sp->first == sp->last ? xstrdup(first->version)
	                                   : xstrfmt("%s-%s", first->version, last->version);
	memcpy(bin->date, first->date, RELEASE_DATE_LEN);
	for (size_t i = sp->first; i <= sp->last; i++) {
		bin->added += rs->releases[i].added;
		bin->updated += rs->releases[i].updated;
		bin->size += report_release_size(&rs->releases[i], size);
	}
}

/* The span of the latest release dated on or before day, or -1 when day precedes them all. */
static size_t span_for_day(const struct release_series *rs, const struct span *spans, size_t n,
                           const char *day)
{
	size_t found = (size_t)-1;
	for (size_t i = 0; i < n; i++)
		if (strncmp(rs->releases[spans[i].first].date, day, 10) <= 0)
			found = i;
	return found;
}

static void attribute(const struct report_data *d, const struct release_series *rs,
                      const struct span *spans, size_t n, const size_t *bin_of,
                      const struct report_release_options *o, struct report_releases *r)
{
	for (size_t i = 0; i < d->nissues; i++) {
		const struct report_issue *is = &d->issues[i];
		if (!*is->created) {
			r->undated++;
			continue;
		}
		size_t sp = span_for_day(rs, spans, n, is->created);
		if (sp == (size_t)-1) {
			r->before_first++;
			continue;
		}
		if (!spans[sp].kept) {
			r->in_dropped++;
			continue;
		}
		struct report_bin *bin = &r->bins[bin_of[sp]];
		bin->issues++;
		r->attributed++;
		if (report_issue_has_cause(is, o->causes, o->ncauses))
			bin->selected++;
	}
	for (size_t b = 0; b < r->nbins; b++) {
		struct report_bin *bin = &r->bins[b];
		bin->has_share = bin->issues > 0;
		bin->share = bin->has_share ? (double)bin->selected / (double)bin->issues : 0;
	}
}

static void correlate(struct report_releases *r)
{
	double *size = xcalloc(r->nbins + 1, sizeof(double));
	double *issues = xcalloc(r->nbins + 1, sizeof(double));
	double *selected = xcalloc(r->nbins + 1, sizeof(double));
	double *share_size = xcalloc(r->nbins + 1, sizeof(double));
	double *share = xcalloc(r->nbins + 1, sizeof(double));
	size_t nshare = 0;
	for (size_t b = 0; b < r->nbins; b++) {
		size[b] = (double)r->bins[b].size;
		issues[b] = (double)r->bins[b].issues;
		selected[b] = (double)r->bins[b].selected;
		/* A bin without issues has no share: it is left out of that correlation. */
		if (r->bins[b].has_share) {
			share_size[nshare] = size[b];
			share[nshare++] = r->bins[b].share;
		}
	}
	r->corr[0].x = r->corr[1].x = r->corr[2].x = "size";
	r->corr[0].y = "issues";
	r->corr[1].y = "selected";
	r->corr[2].y = "selected_share";
	stats_spearman(size, issues, r->nbins, &r->corr[0].s);
	stats_spearman(size, selected, r->nbins, &r->corr[1].s);
	stats_spearman(share_size, share, nshare, &r->corr[2].s);
	free(size);
	free(issues);
	free(selected);
	free(share_size);
	free(share);
}

static int build_spans(const struct release_series *rs, const struct report_release_options *o,
                       struct span **out, size_t *n, struct error *err)
{
	struct span *spans = spans_by_date(rs, n);
	for (size_t m = 0; m < o->nmerges; m++) {
		size_t a = 0, b = 0;
		if (parse_merge(rs, o->merges[m], &a, &b, err) ||
		    merge_spans(spans, n, a, b, o->merges[m], err)) {
			free(spans);
			return -1;
		}
	}
	choose_spans(rs, spans, *n, o);
	*out = spans;
	return 0;
}

int report_releases(const struct report_data *d, const struct release_series *rs,
                    const struct report_release_options *o, struct report_releases **out,
                    struct error *err)
{
	struct span *spans;
	size_t n;
	if (rs->n == 0)
		return error_set(err, "release series %s is empty", rs->name);
	if (build_spans(rs, o, &spans, &n, err))
		return -1;
	struct report_releases *r = xcalloc(1, sizeof(*r));
	r->outside_window = d->outside_window;
	size_t *bin_of = xcalloc(n + 1, sizeof(size_t));
	r->bins = xcalloc(n + 1, sizeof(*r->bins));
	for (size_t i = 0; i < n; i++) {
		if (!spans[i].kept)
			continue;
		bin_of[i] = r->nbins;
		fill_bin(rs, &spans[i], o->size, &r->bins[r->nbins++]);
	}
	attribute(d, rs, spans, n, bin_of, o, r);
	correlate(r);
	free(bin_of);
	free(spans);
	*out = r;
	return 0;
}

void report_releases_free(struct report_releases *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nbins; i++)
		free(r->bins[i].label);
	free(r->bins);
	free(r);
}
