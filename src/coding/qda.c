/*
 * qda.c - a sample's coding as a qualitative data analysis project (see
 * qda.h): the sources' text, every rater's codes, notes and exclusions.
 */
#include "qda.h"
#include "labeling.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* --- text --- */

static void add_replacement(struct strbuf *sb)
{
	strbuf_adds(sb, "\xEF\xBF\xBD");
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
	if (!len || len > n || p[0] > 0xF4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	/* No overlong forms, no surrogates, nothing beyond U+10FFFF. */
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) ||
	    (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
		return 0;
	return len;
}

void qda_clean_text(struct strbuf *sb, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t n = strlen((const char *)p);
	while (n > 0) {
		if (*p == '\r') {
			strbuf_addch(sb, '\n');
			size_t skip = n > 1 && p[1] == '\n' ? 2 : 1;
			p += skip;
			n -= skip;
			continue;
		}
		if (*p < 0x20 && *p != '\t' && *p != '\n') {
			add_replacement(sb);
			p++;
			n--;
			continue;
		}
		size_t len = utf8_sequence(p, n);
		if (!len) {
			add_replacement(sb);
			len = 1;
		} else {
			strbuf_add(sb, p, len);
		}
		p += len;
		n -= len;
	}
}

size_t qda_code_points(const char *text, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)text[i] & 0xC0) != 0x80;
	return n;
}

void qda_guid(const char *name, char out[QDA_GUID_LEN])
{
	uint8_t d[SHA256_DIGEST_LEN];
	sha256(name, strlen(name), d);
	d[6] = (uint8_t)((d[6] & 0x0F) | 0x80); /* version 8: custom (here SHA-256 of a name) */
	d[8] = (uint8_t)((d[8] & 0x3F) | 0x80); /* the RFC 9562 variant */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 0x0F];
	}
	out[o] = '\0';
}

static const char *or_else(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "2021-03-02 10:00" from a stored time. */
static const char *short_time(const char *iso, char *buf, size_t size)
{
	if (!iso || strlen(iso) < 16)
		return or_else(iso, "?");
	snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
	return buf;
}

static void add_header(struct strbuf *sb, const struct label_issue *is)
{
	char t1[32], t2[32];
	strbuf_addf(sb, "%s#%lld: ", is->repo, (long long)is->number);
	qda_clean_text(sb, is->title);
	const char *state = or_else(is->state, "");
	strbuf_addf(sb, "\n%s%s",
	            !strcmp(state, "closed") ? "Closed "
	            : !strcmp(state, "open") ? "Open "
	                                     : "",
	            is->is_pull_request ? "pull request" : "issue");
	if (is->state_reason)
		strbuf_addf(sb, " (%s)", is->state_reason);
	strbuf_addf(sb, ", opened by %s on %s", or_else(is->author, "?"),
	            short_time(is->created_at, t1, sizeof(t1)));
	if (is->closed_at)
		strbuf_addf(sb, ", closed on %s", short_time(is->closed_at, t2, sizeof(t2)));
	strbuf_adds(sb, "\nLabels: ");
	for (size_t i = 0; i < is->nlabels; i++) {
		strbuf_adds(sb, i ? ", " : "");
		qda_clean_text(sb, is->labels[i]);
	}
	strbuf_addf(sb, "%s\n", is->nlabels ? "" : "(none)");
	if (is->html_url)
		strbuf_addf(sb, "%s\n", is->html_url);
	strbuf_adds(sb, "\n");
	if (is->body && *is->body)
		qda_clean_text(sb, is->body);
	else
		strbuf_adds(sb, "(no description)");
	strbuf_adds(sb, "\n");
}

/* One timeline event, as the labeling UI's reader words it. */
static void add_event(struct strbuf *sb, const struct label_event *e)
{
	char when[32];
	const char *date = short_time(e->created_at, when, sizeof(when));
	const char *who = or_else(e->actor, "someone"), *ev = or_else(e->event, "?");
	strbuf_addf(sb, "\n%s  %s ", date, who);
	if (!strcmp(ev, "commented"))
		strbuf_adds(sb, "commented:");
	else if (!strcmp(ev, "closed") && e->commit_id)
		strbuf_addf(sb, "closed this with commit %.10s", e->commit_id);
	else if (!strcmp(ev, "closed"))
		strbuf_adds(sb, "closed this");
	else if (!strcmp(ev, "referenced") && e->commit_id)
		strbuf_addf(sb, "referenced this in commit %.10s", e->commit_id);
	else if (!strcmp(ev, "cross-referenced")) {
		strbuf_addf(sb,
		            "mentioned this in %s#%lld (%s, %s): ", or_else(e->source_repo, "?"),
		            (long long)e->source_number, e->source_is_pr ? "pull request" : "issue",
		            or_else(e->source_state, "?"));
		qda_clean_text(sb, or_else(e->source_title, ""));
	} else if (!strcmp(ev, "connected"))
		strbuf_adds(sb, "linked a pull request or issue");
	else {
		strbuf_adds(sb, ev);
		if (e->detail) {
			strbuf_adds(sb, ": ");
			qda_clean_text(sb, e->detail);
		}
	}
	strbuf_adds(sb, "\n");
	if (e->body && *e->body) {
		qda_clean_text(sb, e->body);
		strbuf_adds(sb, "\n");
	}
}

static char *issue_text(const struct label_issue *is)
{
	struct strbuf sb = STRBUF_INIT;
	add_header(&sb, is);
	if (is->nevents)
		strbuf_adds(&sb, "\nTimeline:\n");
	for (size_t i = 0; i < is->nevents; i++)
		add_event(&sb, &is->events[i]);
	return strbuf_detach(&sb, NULL);
}

/* --- the project --- */

static void free_mark(struct qda_mark *m)
{
	for (size_t i = 0; i < m->ncodes; i++)
		free(m->codes[i].at);
	free(m->codes);
	free(m->note);
	free(m->noted_at);
	free(m->detail);
	free(m->excluded_at);
	free(m->first_at);
}

void qda_project_free(struct qda_project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsources; i++) {
		struct qda_source *src = &p->sources[i];
		for (size_t m = 0; m < src->nmarks; m++)
			free_mark(&src->marks[m]);
		free(src->marks);
		free(src->ref);
		free(src->repo);
		free(src->title);
		free(src->url);
		free(src->created_at);
		free(src->text);
	}
	free(p->sources);
	for (size_t i = 0; i < p->nraters; i++)
		free(p->raters[i]);
	free(p->raters);
	tax_free(p->tax);
	free(p->sample);
	free(p->origin);
	free(p->created_at);
	free(p->modified_at);
	free(p);
}

/* While loading: the raters' database ids beside their names. */
struct loading {
	struct qda_project *p;
	int64_t *rater_ids;
	int64_t set_id, only_rater;
};

static int load_set(struct store *s, struct loading *l, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT name, origin, created_at, coalesce((SELECT max(at) "
	                   "FROM code_log WHERE set_id = sets.id), created_at) FROM sets "
	                   "WHERE id = ?",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, l->set_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		l->p->sample = store_column_dup(st, 0);
		l->p->origin = store_column_dup(st, 1);
		l->p->created_at = store_column_dup(st, 2);
		l->p->modified_at = store_column_dup(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, "no set with id %lld", (long long)l->set_id);
	return rc == SQLITE_ROW ? 0 : store_error(s, err, NULL);
}

static int load_raters(struct store *s, struct loading *l, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT r.id, r.name FROM raters r WHERE (?2 = 0 OR r.id = ?2) "
	                   "AND r.id IN (SELECT rater_id FROM codes WHERE set_id = ?1 "
	                   "UNION SELECT rater_id FROM notes WHERE set_id = ?1 UNION "
	                   "SELECT rater_id FROM exclusions WHERE set_id = ?1) ORDER BY "
	                   "r.name",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, l->set_id);
	sqlite3_bind_int64(st, 2, l->only_rater);
	size_t alloc = 0, alloc_ids = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&l->p->raters, &alloc, l->p->nraters + 1, sizeof(char *));
		xgrow((void **)&l->rater_ids, &alloc_ids, l->p->nraters + 1, sizeof(int64_t));
		l->rater_ids[l->p->nraters] = sqlite3_column_int64(st, 0);
		l->p->raters[l->p->nraters++] = store_column_dup(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int load_sources(struct store *s, struct loading *l, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT issue_id FROM set_members WHERE set_id = ? ORDER BY "
	                              "position",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, l->set_id);
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&ids, &alloc, n + 1, sizeof(int64_t));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_error(s, err, NULL);
	}
	l->p->sources = xcalloc(n ? n : 1, sizeof(struct qda_source));
	for (size_t i = 0; i < n; i++) {
		struct label_issue *is;
		if (label_issue_load(s, ids[i], &is, err)) {
			free(ids);
			return -1;
		}
		struct qda_source *src = &l->p->sources[l->p->nsources++];
		src->issue_id = ids[i];
		src->number = is->number;
		src->repo = xstrdup(is->repo);
		src->ref = xstrfmt("%s#%lld", is->repo, (long long)is->number);
		struct strbuf title = STRBUF_INIT;
		qda_clean_text(&title, is->title);
		src->title = strbuf_detach(&title, NULL);
		src->url = is->html_url ? xstrdup(is->html_url) : NULL;
		src->created_at = is->created_at ? xstrdup(is->created_at) : NULL;
		src->text = issue_text(is);
		src->length = qda_code_points(src->text, strlen(src->text));
		label_issue_free(is);
	}
	free(ids);
	return 0;
}

static struct qda_source *source_of(struct qda_project *p, int64_t issue_id)
{
	for (size_t i = 0; i < p->nsources; i++)
		if (p->sources[i].issue_id == issue_id)
			return &p->sources[i];
	return NULL;
}

/* The mark of rater (a database id) on the issue, made when there is none yet. */
static struct qda_mark *mark_of(struct loading *l, int64_t issue_id, int64_t rater_id)
{
	struct qda_source *src = source_of(l->p, issue_id);
	size_t r = 0;
	while (r < l->p->nraters && l->rater_ids[r] != rater_id)
		r++;
	if (!src || r == l->p->nraters)
		return NULL;
	size_t m = 0;
	while (m < src->nmarks && src->marks[m].rater < r)
		m++;
	if (m < src->nmarks && src->marks[m].rater == r)
		return &src->marks[m];
	src->marks = xrealloc(src->marks, (src->nmarks + 1) * sizeof(*src->marks));
	memmove(&src->marks[m + 1], &src->marks[m], (src->nmarks - m) * sizeof(*src->marks));
	src->nmarks++;
	memset(&src->marks[m], 0, sizeof(*src->marks));
	src->marks[m].rater = r;
	return &src->marks[m];
}

static void note_time(struct qda_mark *m, const char *at)
{
	if (at && (!m->first_at || strcmp(at, m->first_at) < 0)) {
		free(m->first_at);
		m->first_at = xstrdup(at);
	}
}

static int load_codes(struct store *s, struct loading *l, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT c.issue_id, c.rater_id, c.dimension_id, c.category_id, "
	                   "coalesce(c.subcategory_id, 0), c.coded_at FROM codes c JOIN "
	                   "dimensions d ON d.id = c.dimension_id WHERE c.set_id = ?1 AND "
	                   "(?2 = 0 OR c.rater_id = ?2) ORDER BY c.issue_id, c.rater_id, "
	                   "d.position",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, l->set_id);
	sqlite3_bind_int64(st, 2, l->only_rater);
	int rc = 0, step;
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const struct tax_dimension *d =
		        tax_dimension_by_id(l->p->tax, sqlite3_column_int64(st, 2));
		struct qda_mark *m =
		        mark_of(l, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
		if (!d || !m)
			continue; /* a code of another taxonomy, or of an issue no longer a member
			           */
		struct tax_code code;
		rc = tax_code_from_ids(l->p->tax, d, sqlite3_column_int64(st, 3),
		                       sqlite3_column_int64(st, 4), &code, err);
		if (rc)
			break;
		m->codes = xrealloc(m->codes, (m->ncodes + 1) * sizeof(*m->codes));
		m->codes[m->ncodes].code = code;
		m->codes[m->ncodes].at = store_column_dup(st, 5);
		note_time(m, m->codes[m->ncodes].at);
		m->ncodes++;
	}
	sqlite3_reset(st);
	if (rc)
		return -1;
	return step == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int load_notes_and_exclusions(struct store *s, struct loading *l, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT issue_id, rater_id, 'note', note, noted_at, 0 FROM "
	                   "notes WHERE set_id = ?1 AND (?2 = 0 OR rater_id = ?2) UNION "
	                   "ALL SELECT issue_id, rater_id, 'exclusion', detail, "
	                   "excluded_at, reason_id FROM exclusions WHERE set_id = ?1 AND "
	                   "(?2 = 0 OR rater_id = ?2)",
	                   err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, l->set_id);
	sqlite3_bind_int64(st, 2, l->only_rater);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct qda_mark *m =
		        mark_of(l, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
		if (!m)
			continue;
		int note = !strcmp((const char *)sqlite3_column_text(st, 2), "note");
		char *text = store_column_dup(st, 3), *at = store_column_dup(st, 4);
		note_time(m, at);
		if (note) {
			m->note = text;
			m->noted_at = at;
		} else {
			m->reason = tax_reason_by_id(l->p->tax, sqlite3_column_int64(st, 5));
			m->detail = text;
			m->excluded_at = at;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

int qda_project_load(struct store *s, struct taxonomy *t, int64_t set_id, int64_t rater_id,
                     struct qda_project **out, struct error *err)
{
	struct qda_project *p = xcalloc(1, sizeof(*p));
	p->tax = t;
	struct loading l = {p, NULL, set_id, rater_id};
	int rc = load_set(s, &l, err) || load_raters(s, &l, err) || load_sources(s, &l, err) ||
	         load_codes(s, &l, err) || load_notes_and_exclusions(s, &l, err);
	free(l.rater_ids);
	if (rc) {
		qda_project_free(p);
		return -1;
	}
	*out = p;
	return 0;
}
