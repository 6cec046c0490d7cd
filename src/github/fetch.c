/*
 * fetch.c - the run of a fetch: its query, created: windows, the listing
 * state, the lease, resume and refresh (see fetch.h).
 *
 * The state of a run lives in the database, never only in memory:
 * fetch_queries.state says which step the run is at, which created:
 * windows are left to list and where the last one continues; fetch_pending
 * holds the issues listed but not yet stored; fetch_members what the search
 * matched; timeline_state, per stored issue, the updated_at its timeline
 * matches and what the backend needs to skip unchanged parts. The listing
 * steps are in fetch_list.c, the writes in fetch_write.c, the network in
 * the backend (fetch_rest.c).
 */
#include "fetch_internal.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the query --- */

/* True if the query text has qualifier (e.g. "created:"), as a word of its own. */
static int has_qualifier(const char *query, const char *qualifier)
{
	for (const char *p = strstr(query, qualifier); p; p = strstr(p + 1, qualifier))
		if (p == query || p[-1] == ' ' || p[-1] == '-')
			return 1;
	return 0;
}

/*
 * The first word of query that would widen the search beyond one repository
 * (repo:, org:, user:), or NULL; *len gets its length. Its results would be
 * stored under the repository being fetched.
 */
static const char *scope_qualifier(const char *query, int *len)
{
	static const char *const widening[] = {"repo:", "org:", "user:"};
	for (const char *w = query; *w; w += strcspn(w, " ")) {
		w += strspn(w, " ");
		for (size_t i = 0; i < sizeof(widening) / sizeof(widening[0]); i++) {
			if (!strncasecmp(w, widening[i], strlen(widening[i]))) {
				*len = (int)strcspn(w, " ");
				return w;
			}
		}
	}
	return NULL;
}

/* Refuses --query qualifiers that clash with how a fetch searches. */
static int check_extra_qualifiers(const struct fetch_options *opt, const char *repo,
                                  struct error *err)
{
	if (opt->since && has_qualifier(opt->query, "created:"))
		return error_set(err, "--since and a created: qualifier in --query cannot be "
		                      "combined");
	int len;
	const char *scope = scope_qualifier(opt->query, &len);
	if (scope)
		return error_set(err,
		                 "--query: %.*s would search beyond %s; fetch one repository at "
		                 "a time",
		                 len, scope, repo);
	return 0;
}

/* The filter of opt: what the search asks for, as fields. */
static void filter_of(const struct fetch_options *opt, struct fetch_filter *out)
{
	const char *state = opt->state ? opt->state : "closed";
	memset(out, 0, sizeof(*out));
	out->issues_only = !opt->include_prs;
	out->state = !strcmp(state, "all") ? NULL : state;
	out->labels = opt->labels;
	out->nlabels = opt->nlabels;
	out->extra = opt->query && *opt->query ? opt->query : NULL;
}

void fetch_filter_text(const struct fetch_filter *filter, const char *repo, struct strbuf *out)
{
	strbuf_addf(out, "repo:%s", repo);
	if (filter->issues_only)
		strbuf_adds(out, " is:issue");
	if (filter->state)
		strbuf_addf(out, " is:%s", filter->state);
	for (size_t i = 0; i < filter->nlabels; i++)
		strbuf_addf(out, " label:\"%s\"", filter->labels[i]);
	if (filter->extra)
		strbuf_addf(out, " %s", filter->extra);
}

int fetch_build_query(const struct fetch_options *opt, const char *repo, struct strbuf *out,
                      struct error *err)
{
	const char *state = opt->state ? opt->state : "closed";
	if (strcmp(state, "closed") && strcmp(state, "open") && strcmp(state, "all"))
		return error_set(err, "state '%s': closed, open or all expected", state);
	for (size_t i = 0; i < opt->nlabels; i++) {
		const char *label = opt->labels[i];
		if (!*label || strchr(label, '"'))
			return error_set(err,
			                 "label '%s' cannot be searched for (empty, or has a \")",
			                 label);
	}
	if (opt->query && check_extra_qualifiers(opt, repo, err))
		return -1;
	struct fetch_filter filter;
	filter_of(opt, &filter);
	fetch_filter_text(&filter, repo, out);
	/* The query names the run in fetch_queries: cut short, two searches would share one. */
	if (out->len + sizeof(" created:>=") + ISO_TIME_LEN > FETCH_QUERY_MAX)
		return error_set(err, "the search is %zu bytes long, more than GitHub takes",
		                 out->len);
	return 0;
}

/* --- created: windows --- */

int fetch_window_split(const struct fetch_window *w, struct fetch_window *left,
                       struct fetch_window *right)
{
	if (w->from < 0 || w->to <= w->from)
		return -1;
	time_t mid = w->from + (w->to - w->from) / 2;
	left->from = w->from;
	left->to = mid;
	right->from = mid + 1;
	right->to = w->to;
	return 0;
}

void fetch_search_time(time_t t, char *out)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

void fetch_window_qualifier(const struct fetch_window *w, struct strbuf *out)
{
	if (w->from < 0)
		return;
	char from[32], to[32];
	fetch_search_time(w->from, from);
	fetch_search_time(w->to, to);
	strbuf_addf(out, " created:%s..%s", from, to);
}

int fetch_search_capped(long total_count, const char *last_url)
{
	if (total_count > FETCH_SEARCH_CAP)
		return 1;
	long last = last_url ? gh_url_page(last_url) : 0;
	return last > 0 && total_count > last * FETCH_PER_PAGE;
}

/* --- the listing state --- */

void fetch_state_push(struct fetch_state *st, struct fetch_window w)
{
	xgrow((void **)&st->windows, &st->alloc, st->nwindows + 1, sizeof(*st->windows));
	st->windows[st->nwindows++] = w;
}

void fetch_state_release(struct fetch_state *st)
{
	free(st->updated_since);
	free(st->windows);
	free(st->run);
	json_decref(st->cursor);
	memset(st, 0, sizeof(*st));
}

static const char *const step_names[] = {"list", "count", "broad", "sweep", "probe", "done"};

char *fetch_state_to_json(const struct fetch_state *st)
{
	json_t *windows = json_array();
	for (size_t i = 0; i < st->nwindows; i++)
		json_array_append_new(windows, json_pack("[I, I]", (json_int_t)st->windows[i].from,
		                                         (json_int_t)st->windows[i].to));
	json_t *j = json_pack("{s:s, s:s?, s:o, s:O?, s:s?, s:I, s:I, s:b}", "step",
	                      step_names[st->step], "updated_since", st->updated_since, "windows",
	                      windows, "cursor", st->cursor, "run", st->run, "listed",
	                      (json_int_t)st->listed, "expected", (json_int_t)st->expected,
	                      "limited", st->limited);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}

static int step_from_json(json_t *j, enum fetch_step *step)
{
	const char *name = json_string_value(json_object_get(j, "step"));
	if (!name) {
		/* A state from before steps: the listing, or done with it. */
		*step = json_is_true(json_object_get(j, "listing_done")) ? FETCH_STEP_DONE
		                                                         : FETCH_STEP_LIST;
		return 0;
	}
	for (size_t i = 0; i < sizeof(step_names) / sizeof(step_names[0]); i++) {
		if (!strcmp(name, step_names[i])) {
			*step = (enum fetch_step)i;
			return 0;
		}
	}
	return -1;
}

int fetch_state_from_json(const char *text, struct fetch_state *st, struct error *err)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);
	json_t *windows = json_object_get(j, "windows");
	if (!json_is_array(windows) || step_from_json(j, &st->step)) {
		json_decref(j);
		return error_set(err, "fetch_queries.state: not a fetch state");
	}
	const char *since = json_string_value(json_object_get(j, "updated_since"));
	const char *next = json_string_value(json_object_get(j, "next_url"));
	const char *run = json_string_value(json_object_get(j, "run"));
	json_t *cursor = json_object_get(j, "cursor");
	st->updated_since = since ? xstrdup(since) : NULL;
	st->run = run ? xstrdup(run) : NULL;
	if (json_is_object(cursor))
		st->cursor = json_incref(cursor);
	else if (next) /* a page URL, from before cursors */
		st->cursor = json_pack("{s:s}", "next", next);
	st->listed = (long)json_integer_value(json_object_get(j, "listed"));
	json_t *expected = json_object_get(j, "expected");
	st->expected = json_is_integer(expected) ? (long)json_integer_value(expected) : -1;
	st->limited = json_is_true(json_object_get(j, "limited"));
	size_t i;
	json_t *w;
	json_array_foreach(windows, i, w)
	{
		struct fetch_window win = {(time_t)json_integer_value(json_array_get(w, 0)),
		                           (time_t)json_integer_value(json_array_get(w, 1))};
		fetch_state_push(st, win);
	}
	json_decref(j);
	return 0;
}

/* --- a run --- */

void fetch_report(struct fetch *f, enum fetch_phase phase)
{
	f->phase = phase;
	if (f->opt->progress)
		f->opt->progress(f->opt->progress_data, phase, f->counts);
}

void fetch_tick(struct fetch_ctx *ctx)
{
	struct fetch *f = ctx->run;
	fetch_report(f, f->phase);
	struct error err;
	lease_beat(f->s, &f->lease, &err); /* a missed beat is retried at the next */
}

/* During the client's waits (up to an hour for a rate limit), the lease stays alive. */
static void on_idle(void *data)
{
	struct fetch *f = data;
	struct error err;
	lease_beat(f->s, &f->lease, &err);
}

int fetch_transaction(struct fetch *f, fetch_write_fn write, void *data, struct error *err)
{
	if (store_begin(f->s, err))
		return -1;
	int rc = write(f, data, err);
	if (rc) {
		store_rollback(f->s);
		return rc;
	}
	return store_commit(f->s, err);
}

int fetch_all_window(struct fetch *f, struct fetch_window *w, struct error *err)
{
	time_t started;
	if (time_parse_iso(f->started, &started))
		started = time(NULL);
	w->from = 0;
	w->to = started + 86400;
	if (f->opt->since && time_parse_iso(f->opt->since, &w->from))
		return error_set(err, "--since %s: not a date", f->opt->since);
	if (has_qualifier(f->base, "created:"))
		w->from = w->to = -1; /* the user's created: cannot be combined with ours */
	return 0;
}

/*
 * A new run: one window of every creation time (from --since, if given), and
 * when the query has completed before, the updated:>= bound of a refresh.
 */
static int start_run(struct fetch *f, const char *last_complete, struct error *err)
{
	time_t now = time(NULL); /* GitHub's clock, never ISSUEMINE_NOW */
	time_format_iso(now, f->started);
	f->st.run = xstrfmt("%s#%lld", f->started, (long long)(f->lease.nonce % 1000000007));
	f->st.expected = -1;
	struct fetch_window all;
	if (fetch_all_window(f, &all, err))
		return -1;
	fetch_state_push(&f->st, all);
	time_t t;
	if (last_complete && !has_qualifier(f->base, "updated:") &&
	    !time_parse_iso(last_complete, &t)) {
		char since[32];
		fetch_search_time(t - FETCH_REFRESH_MARGIN, since);
		f->st.updated_since = xstrdup(since);
		f->counts->refresh = 1;
	}
	return 0;
}

/* Loads the query's row; takes up its interrupted run, or starts a new one. */
static int load_run(struct fetch *f, struct error *err)
{
	sqlite3_stmt *st = store_stmt(f->s,
	                              "SELECT id, repo_id, started_at, state, last_complete_at "
	                              "FROM fetch_queries WHERE api_url = ? AND query = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, gh_client_api_url(f->gh));
	store_bind_text(st, 2, f->counts->query);
	int rc = sqlite3_step(st);
	char *started = NULL, *state = NULL, *last_complete = NULL;
	if (rc == SQLITE_ROW) {
		f->query_id = sqlite3_column_int64(st, 0);
		f->repo_id = sqlite3_column_int64(st, 1);
		started = store_column_dup(st, 2);
		state = store_column_dup(st, 3);
		last_complete = store_column_dup(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_error(f->s, err, NULL);
	} else if (started && state) {
		snprintf(f->started, sizeof(f->started), "%s", started);
		rc = fetch_state_from_json(state, &f->st, err);
		if (!rc && !f->st.run)
			f->st.run = xstrdup(started);
		f->counts->resumed = 1;
		f->counts->refresh = f->st.updated_since != NULL;
	} else {
		rc = start_run(f, last_complete, err);
	}
	free(started);
	free(state);
	free(last_complete);
	return rc;
}

/* Clears the run's state; a complete run is remembered for the next refresh. */
static int write_finish(struct fetch *f, void *data, struct error *err)
{
	int complete = *(int *)data;
	if (fetch_ensure_rows(f, err))
		return -1;
	sqlite3_stmt *st = store_stmt(f->s,
	                              "UPDATE fetch_queries SET started_at = NULL, state = NULL, "
	                              "last_complete_at = CASE WHEN ?1 THEN ?2 ELSE "
	                              "last_complete_at END WHERE id = ?3",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, complete);
	store_bind_text(st, 2, f->started);
	sqlite3_bind_int64(st, 3, f->query_id);
	if (store_step_done(f->s, st, err))
		return -1;
	if (!complete)
		return 0;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	st = store_stmt(f->s, "UPDATE repositories SET last_fetch_at = ? WHERE id = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, f->repo_id);
	return store_step_done(f->s, st, err);
}

/* Ends the run: remembers when it started, so the next one is a refresh. */
static int finish_run(struct fetch *f, struct error *err)
{
	int complete = !f->st.limited;
	if (fetch_transaction(f, write_finish, &complete, err))
		return -1;
	f->counts->complete = complete;
	return 0;
}

/* Sleeps a second between looks at a lease another run holds. */
static void lease_pause(void)
{
	struct timespec ts = {1, 0};
	while (nanosleep(&ts, &ts))
		;
}

/*
 * Takes the search's lease, or says who holds it (1), or with wait_lease
 * waits until that run ends (or dies) and takes it then.
 */
static int take_lease(struct fetch *f, struct error *err)
{
	for (;;) {
		struct lease other;
		int rc = fetch_lease_take(f->s, gh_client_api_url(f->gh), f->counts->query,
		                          &f->lease, &other, err);
		if (rc <= 0)
			return rc;
		f->counts->lease_pid = other.pid;
		snprintf(f->counts->lease_host, sizeof(f->counts->lease_host), "%s", other.host);
		if (!f->opt->wait_lease) {
			char since[ISO_TIME_LEN];
			time_format_iso(other.started, since);
			error_set(err,
			          "another fetch of this search is running (pid %ld on %s, since "
			          "%s); let it finish, or run with --wait to start after it",
			          other.pid, other.host, since);
			return 1;
		}
		fetch_report(f, FETCH_WAITING);
		lease_pause();
	}
}

/* The repository, then the query that names the run. */
static int prepare(struct fetch *f, struct error *err)
{
	fetch_report(f, FETCH_CHECKING);
	if (f->be->check_repo(&f->ctx, f->counts->repo, err))
		return -1;
	f->ctx.repo = f->counts->repo;
	struct strbuf q = STRBUF_INIT;
	if (fetch_build_query(f->opt, f->counts->repo, &q, err)) {
		strbuf_release(&q);
		return -1;
	}
	f->base = strbuf_detach(&q, NULL);
	/*
	 * The query as fetch_queries knows it says which issues it covers, so a
	 * run with --since never passes for a complete run of all issues.
	 */
	char since[ISO_TIME_LEN] = "";
	if (f->opt->since && time_normalize(f->opt->since, since))
		return error_set(err, "--since %s: not a date", f->opt->since);
	if (snprintf(f->counts->query, sizeof(f->counts->query), "%s%s%s", f->base,
	             *since ? " created:>=" : "", since) >= (int)sizeof(f->counts->query))
		return error_set(err, "the search is too long");
	f->ctx.query = f->counts->query;
	return 0;
}

static int run(struct fetch *f, struct error *err)
{
	if (prepare(f, err))
		return -1;
	if (!f->s && f->opt->open_store(f->opt->open_data, &f->s, err))
		return -1;
	int rc = take_lease(f, err);
	if (rc)
		return rc;
	gh_client_set_idle(f->gh, on_idle, f);
	if (load_run(f, err))
		return -1;
	while (f->st.step != FETCH_STEP_DONE)
		if (fetch_list_step(f, err))
			return -1;
	if (fetch_timelines(f, err))
		return -1;
	return finish_run(f, err);
}

int fetch_run(struct store *s, struct gh_client *gh, const struct fetch_options *opt,
              struct fetch_counts *counts, struct error *err)
{
	if (!repo_name_valid(opt->repo))
		return error_set(err, "'%s' is not OWNER/NAME", opt->repo);
	if (!s && !opt->open_store)
		return error_set(err, "no database to fetch into");
	struct fetch f = {s, gh, opt, opt->backend ? opt->backend : &fetch_rest_backend, counts};
	f.ctx.gh = gh;
	f.ctx.opt = opt;
	f.ctx.repo = opt->repo;
	f.ctx.query = opt->repo;
	f.ctx.run = &f;
	filter_of(opt, &f.filter);
	snprintf(counts->api, sizeof(counts->api), "%s", f.be->name);
	int rc = run(&f, err);
	if (f.be->release)
		f.be->release(&f.ctx);
	gh_client_set_idle(gh, NULL, NULL);
	lease_release(f.s, &f.lease);
	fetch_state_release(&f.st);
	free(f.base);
	return rc;
}
