/*
 * external_run.c - one run of an external rater over a sample (see
 * external.h): which issues are left, a document for each, the commands
 * o->jobs at a time (external_proc.h), their answers checked and stored.
 *
 * Answers are kept in memory until the next commit, which comes as soon as
 * EXTERNAL_COMMIT_MS have passed since the one before: an answer after a
 * quiet spell is committed at once, answers in a burst share a commit at
 * most that long after they arrive. A synchronous commit costs
 * milliseconds (an fsync), more than everything else an issue costs, so
 * fast raters share commits while a slow one's answers go in one by one.
 * The next issue's document is built ahead, and answers are checked and
 * committed while the next commands run.
 */
#include "external.h"

#include "codes.h"
#include "external_proc.h"
#include "labeling.h"
#include "sha256.h"
#include "xalloc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* One issue whose command is running. */
struct job {
	int64_t issue_id;
	char ref[REPO_NAME_MAX + 32]; /* "owner/name#N" */
	char hash[SHA256_HEX_LEN];
};

/* One outcome waiting for the next commit. */
struct pending {
	struct external_outcome o;
	struct external_checked c;
	struct job *job;
	char *reason;
	struct external_proc_result r;
};

struct run {
	struct store *s;
	const struct taxonomy *t;
	const struct external_options *o;
	struct external_counts *c;
	int64_t rater_id;
	struct external_doc *doc;
	struct external_pool *pool;
	struct label_list list;
	size_t *todo; /* indexes into list */
	size_t ntodo, next;
	struct pending *pending;
	size_t npending, alloc;
	double last_commit;
	struct external_failure *failures;
	size_t nfailures;
	struct strbuf docbuf; /* the document of the issue ready to start */
	struct job *ready;    /* that issue, or NULL */
	struct lease lease;   /* one run of the rater on the sample at a time */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User and system CPU seconds this process has used (its children not counted). */
static double cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int stopped(const struct run *r)
{
	return r->o->stop && *r->o->stop;
}

static long failed_total(const struct external_counts *c)
{
	return c->failed + c->timeouts + c->invalid;
}

/* The first EXTERNAL_FIRST_FAILURES commands all failed: the command itself is wrong. */
static int hopeless(const struct run *r)
{
	return !r->c->coded && !r->c->excluded && failed_total(r->c) >= EXTERNAL_FIRST_FAILURES;
}

/* --- before the run --- */

static int find_rater(struct run *r, struct error *err)
{
	if (!rater_name_valid(r->o->rater))
		return error_set(err, "'%s' is not a valid rater name", r->o->rater);
	if (rater_id(r->s, r->o->rater, 0, &r->rater_id, err))
		return -1;
	if (!r->rater_id)
		return 0; /* created with the run */
	int has_runs;
	long hand;
	if (external_rater_has_runs(r->s, r->o->set_id, r->rater_id, &has_runs, err) ||
	    external_hand_codes(r->s, r->o->set_id, r->rater_id, &hand, err))
		return -1;
	if (!has_runs && hand)
		return error_set(err,
		                 "rater '%s' has coded sample '%s' by hand (%ld change%s); an "
		                 "external rater needs a name of its own (e.g. %s-auto)",
		                 r->o->rater, r->o->sample, hand, hand == 1 ? "" : "s",
		                 r->o->rater);
	return 0;
}

static int list_todo(struct run *r, struct error *err)
{
	if (label_list_load(r->s, r->o->set_id, r->rater_id, r->t, &r->list, err))
		return -1;
	r->todo = xcalloc(r->list.n + 1, sizeof(*r->todo));
	r->c->sample = (long)r->list.n;
	for (size_t i = 0; i < r->list.n; i++) {
		if (!label_entry_to_do(&r->list.items[i])) {
			r->c->done++;
			continue;
		}
		if (r->o->max_issues <= 0 || (long)r->ntodo < r->o->max_issues)
			r->todo[r->ntodo++] = i;
	}
	r->c->to_code = (long)r->ntodo;
	return 0;
}

static int begin_run(struct run *r, struct error *err)
{
	if (store_begin(r->s, err))
		return -1;
	struct external_run_row row = {
	        r->o->set_id, 0, r->o->command, r->o->jobs, r->o->timeout, r->t->version_id,
	        r->c->to_code};
	int rc = rater_id(r->s, r->o->rater, 1, &r->rater_id, err);
	row.rater_id = r->rater_id;
	if (!rc)
		rc = external_run_begin(r->s, &row, &r->c->run_id, err);
	if (!rc)
		rc = store_commit(r->s, err);
	if (rc)
		store_rollback(r->s);
	return rc;
}

/* --- answers --- */

/* text on one line: control characters (newlines too) become spaces. */
static void one_line(char *text)
{
	for (unsigned char *p = (unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* The last non-empty line of a command's standard error, cut short, or "". */
static void last_line(const char *tail, char *out, size_t size)
{
	size_t end = strlen(tail);
	while (end && (tail[end - 1] == '\n' || tail[end - 1] == '\r' || tail[end - 1] == ' '))
		end--;
	size_t start = end;
	while (start && tail[start - 1] != '\n')
		start--;
	size_t n = end - start < size - 1 ? end - start : size - 1;
	memcpy(out, tail + start, n);
	out[n] = '\0';
	one_line(out);
}

/* What went wrong with a command that did not end well, or NULL when it exited 0. */
static char *process_problem(const struct external_proc_result *res, double timeout,
                             enum external_status *status)
{
	char line[240];
	last_line(res->err_tail, line, sizeof(line));
	const char *sep = *line ? ": " : "";
	*status = EXTERNAL_FAILED;
	if (res->timed_out) {
		*status = EXTERNAL_TIMEOUT;
		return xstrfmt("ran past the timeout of %g s and was killed%s%s", timeout, sep,
		               line);
	}
	if (res->too_long) {
		*status = EXTERNAL_INVALID;
		return xstrfmt("wrote more than %d bytes on standard output and was killed",
		               EXTERNAL_ANSWER_MAX);
	}
	if (*res->problem)
		return xstrfmt("%s", res->problem);
	if (res->signal)
		return xstrfmt("killed by signal %d (%s)%s%s", res->signal, strsignal(res->signal),
		               sep, line);
	if (res->exit_status != 0)
		return xstrfmt("exited with status %d%s%s", res->exit_status, sep, line);
	return NULL;
}

static int check_answer(struct run *r, struct pending *p, struct error *err)
{
	struct external_answer a;
	struct strbuf why = STRBUF_INIT;
	int rc = 0;
	if (external_answer_parse(p->r.out, p->r.out_len, &a, &why) == 0)
		rc = external_answer_check(r->s, r->t, r->o->set_id, r->o->sample, p->job->ref,
		                           r->o->rater, &a, &p->c, &why, err);
	external_answer_release(&a);
	if (why.len) {
		p->o.status = EXTERNAL_INVALID;
		p->reason = xstrfmt("invalid answer: %s", why.buf);
		external_checked_release(&p->c);
	} else if (!rc) {
		p->o.status = p->c.excluded ? EXTERNAL_EXCLUDED : EXTERNAL_CODED;
	}
	strbuf_release(&why);
	return rc;
}

static void count(struct run *r, enum external_status status)
{
	switch (status) {
	case EXTERNAL_CODED:
		r->c->coded++;
		break;
	case EXTERNAL_EXCLUDED:
		r->c->excluded++;
		break;
	case EXTERNAL_FAILED:
		r->c->failed++;
		break;
	case EXTERNAL_TIMEOUT:
		r->c->timeouts++;
		break;
	case EXTERNAL_INVALID:
		r->c->invalid++;
		break;
	}
}

static void add_failure(struct run *r, const struct pending *p)
{
	r->failures = xrealloc(r->failures, (r->nfailures + 1) * sizeof(*r->failures));
	struct external_failure *f = &r->failures[r->nfailures++];
	f->issue = xstrdup(p->job->ref);
	f->status = p->o.status;
	f->reason = xstrdup(p->reason ? p->reason : "");
	f->exit_status = p->r.exit_status;
	f->signal = p->r.signal;
	f->seconds = p->r.seconds;
	f->stderr_tail = xstrdup(p->r.err_tail ? p->r.err_tail : "");
}

/* Takes a finished command's result: checks its answer and queues the outcome. */
static int take(struct run *r, struct external_proc_result *res, struct error *err)
{
	xgrow((void **)&r->pending, &r->alloc, r->npending + 1, sizeof(*r->pending));
	struct pending *p = &r->pending[r->npending++];
	memset(p, 0, sizeof(*p));
	p->r = *res;
	p->job = res->tag;
	double t0 = now_seconds();
	p->reason = process_problem(&p->r, r->o->timeout, &p->o.status);
	int rc = p->reason ? 0 : check_answer(r, p, err);
	r->c->check += now_seconds() - t0;
	if (p->reason)
		one_line(p->reason);
	p->o.issue_id = p->job->issue_id;
	p->o.reason = p->reason;
	p->o.exit_status = p->r.exit_status;
	p->o.signal = p->r.signal;
	p->o.seconds = p->r.seconds;
	p->o.answer = p->r.out;
	p->o.answer_len = p->r.out_len;
	p->o.stderr_tail = p->r.err_tail;
	p->o.document_hash = p->job->hash;
	count(r, p->o.status);
	if (p->reason)
		add_failure(r, p);
	return rc;
}

/* --- starting commands --- */

/*
 * Builds the document of the next issue to start, so that it is ready the
 * moment a command ends (the time between two commands is then only the
 * start of a process).
 */
static int prepare_next(struct run *r, struct error *err)
{
	if (r->ready || r->next >= r->ntodo)
		return 0;
	const struct label_entry *e = &r->list.items[r->todo[r->next]];
	struct job *job = xcalloc(1, sizeof(*job));
	job->issue_id = e->issue_id;
	snprintf(job->ref, sizeof(job->ref), "%s#%lld", label_entry_repo(&r->list, e->position),
	         (long long)e->number);
	double t0 = now_seconds();
	if (external_doc_build(r->s, r->doc, e->issue_id, &r->docbuf, err)) {
		error_prefix(err, "%s", job->ref);
		free(job);
		return -1;
	}
	sha256_hex(r->docbuf.buf, r->docbuf.len, job->hash);
	r->c->document += now_seconds() - t0;
	r->ready = job;
	return 0;
}

/* Starts the command of the prepared issue. */
static int start_one(struct run *r, struct error *err)
{
	if (prepare_next(r, err))
		return -1;
	struct job *job = r->ready;
	r->ready = NULL;
	r->next++;
	double t0 = now_seconds();
	size_t len;
	char *input = strbuf_detach(&r->docbuf, &len);
	struct error spawn_err;
	int rc = external_pool_start(r->pool, r->o->command, input, len, r->o->timeout, job,
	                             &spawn_err);
	r->c->spawn += now_seconds() - t0;
	r->c->started++;
	if (rc && !external_pool_alive(r->pool)) { /* every issue would fail the same way */
		free(job);
		return error_set(err, "the process that started the commands died (killed from "
		                      "outside?); run the same command again to resume");
	}
	if (rc) { /* no process: this issue failed; the run goes on */
		struct external_proc_result res;
		memset(&res, 0, sizeof(res));
		res.tag = job;
		res.exit_status = -1;
		res.out = xstrdup("");
		res.err_tail = xstrdup("");
		snprintf(res.problem, sizeof(res.problem), "%s", spawn_err.msg);
		return take(r, &res, err);
	}
	return 0;
}

/* Starts commands while slots are free and issues are left. */
static int fill(struct run *r, struct error *err)
{
	while (!stopped(r) && !hopeless(r) && r->next < r->ntodo &&
	       external_pool_running(r->pool) < (size_t)r->o->jobs)
		if (start_one(r, err))
			return -1;
	return 0;
}

static void release_pending(struct pending *p)
{
	external_checked_release(&p->c);
	external_proc_result_release(&p->r);
	free(p->reason);
	free(p->job);
}

/* Stores one outcome; a code the store refuses (the issue left the sample...) becomes a failure. */
static int store_pending(struct run *r, struct pending *p, struct error *err)
{
	if (!external_store_outcome(r->s, r->c->run_id, r->o->set_id, r->rater_id, &p->o, &p->c,
	                            err))
		return 0;
	if (p->o.status != EXTERNAL_CODED && p->o.status != EXTERNAL_EXCLUDED)
		return -1;
	r->c->coded -= p->o.status == EXTERNAL_CODED;
	r->c->excluded -= p->o.status == EXTERNAL_EXCLUDED;
	p->o.status = EXTERNAL_INVALID;
	p->reason = xstrfmt("invalid answer: %s", err->msg);
	one_line(p->reason);
	p->o.reason = p->reason;
	count(r, p->o.status);
	add_failure(r, p);
	return external_store_outcome(r->s, r->c->run_id, r->o->set_id, r->rater_id, &p->o, &p->c,
	                              err);
}

static int flush(struct run *r, int finished, struct error *err)
{
	double t0 = now_seconds();
	int rc = store_begin(r->s, err);
	for (size_t i = 0; rc == 0 && i < r->npending; i++)
		rc = store_pending(r, &r->pending[i], err);
	if (!rc)
		rc = external_run_update(r->s, r->c->run_id, r->c->coded, r->c->excluded,
		                         failed_total(r->c), finished, err);
	if (!rc)
		rc = store_commit(r->s, err);
	if (rc)
		store_rollback(r->s);
	for (size_t i = 0; i < r->npending; i++)
		release_pending(&r->pending[i]);
	r->npending = 0;
	r->last_commit = now_seconds();
	r->c->store += r->last_commit - t0;
	r->c->commits++;
	return rc;
}

/* --- the loop --- */

static int due(const struct run *r)
{
	return r->npending && (now_seconds() - r->last_commit >= EXTERNAL_COMMIT_MS / 1000.0 ||
	                       r->npending >= 256);
}

/* How long to wait for commands: until the next commit is due, or a while to report progress. */
static int wait_ms(const struct run *r)
{
	if (!r->npending)
		return 200;
	double left = r->last_commit + EXTERNAL_COMMIT_MS / 1000.0 - now_seconds();
	return left <= 0 ? 0 : (int)(left * 1000.0) + 1;
}

static void report(struct run *r)
{
	struct error err;
	lease_beat(r->s, &r->lease, &err); /* a missed beat is retried at the next */
	r->c->running = (long)external_pool_running(r->pool);
	if (r->o->progress)
		r->o->progress(r->o->progress_data, r->c);
}

/*
 * One turn: wait for commands; as soon as some end, start the next ones
 * (their documents are ready), and only then check the answers, prepare the
 * next document and commit, while the new commands run.
 */
static int step(struct run *r, struct error *err)
{
	if (fill(r, err) || prepare_next(r, err))
		return -1;
	struct external_proc_result *done = NULL;
	size_t ndone = 0;
	int rc = external_pool_wait(r->pool, wait_ms(r), &done, &ndone, err);
	if (!rc && ndone)
		rc = fill(r, err);
	for (size_t i = 0; i < ndone; i++)
		if (take(r, &done[i], err))
			rc = -1;
	free(done);
	if (!rc)
		rc = prepare_next(r, err);
	if (!rc && due(r))
		rc = flush(r, 0, err);
	report(r);
	return rc;
}

static int loop(struct run *r, struct error *err)
{
	r->last_commit = now_seconds() - 1;
	while (!stopped(r) && !hopeless(r) &&
	       (external_pool_running(r->pool) || r->next < r->ntodo))
		if (step(r, err))
			return -1;
	if (hopeless(r))
		return error_set(err,
		                 "the first %d commands all failed, the last one: %s; stopped (fix "
		                 "the command, then run it again: it retries them)",
		                 EXTERNAL_FIRST_FAILURES, r->failures[r->nfailures - 1].reason);
	return 0;
}

static void release_run(struct run *r)
{
	free(r->ready);
	external_pool_free(r->pool, free);
	for (size_t i = 0; i < r->npending; i++)
		release_pending(&r->pending[i]);
	free(r->pending);
	external_doc_free(r->doc);
	label_list_release(&r->list);
	free(r->todo);
	strbuf_release(&r->docbuf);
	lease_release(r->s, &r->lease);
}

int external_run(struct store *s, const struct taxonomy *t, const struct external_options *o,
                 struct external_counts *c, struct external_failure **failures, size_t *nfailures,
                 struct error *err)
{
	memset(c, 0, sizeof(*c));
	*failures = NULL;
	*nfailures = 0;
	struct run r = {s, t, o, c};
	strbuf_init(&r.docbuf, 0);
	double start = now_seconds(), cpu = cpu_seconds();
	int rc = find_rater(&r, err) ||
	         external_lease_take(s, o->set_id, o->sample, o->rater, &r.lease, err) ||
	         list_todo(&r, err);
	if (!rc && r.ntodo) {
		rc = begin_run(&r, err);
		if (!rc) {
			r.doc = external_doc_new(t, o->sample, o->rater, o->patches);
			r.pool = external_pool_new(EXTERNAL_ANSWER_MAX, err);
			rc = r.pool ? loop(&r, err) : -1;
			c->interrupted =
			        stopped(&r) && (external_pool_running(r.pool) || r.next < r.ntodo);
			if (r.pool) /* none run after the loop, unless it failed or was stopped */
				external_pool_kill_all(r.pool, free);
			struct error flush_err;
			if (flush(&r, !rc && !c->interrupted, rc ? &flush_err : err))
				rc = -1;
		}
	}
	c->running = 0;
	c->wall = now_seconds() - start;
	c->cpu = cpu_seconds() - cpu;
	release_run(&r);
	*failures = r.failures;
	*nfailures = r.nfailures;
	return rc ? -1 : 0;
}

void external_failures_free(struct external_failure *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].issue);
		free(f[i].reason);
		free(f[i].stderr_tail);
	}
	free(f);
}
