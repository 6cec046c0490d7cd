/*
 * code.c - "issuemine code": set one rater's codes on an issue from a script,
 * or show them; or let a command code a sample as a rater (--with).
 *
 * The same validation as the labeling UI, in one transaction per command:
 * either every code given is stored, or none is. Only the rater's own codes
 * are ever printed (coding is blind). Given no change, it prints the
 * rater's codes on the issue and writes nothing.
 *
 * With --with COMMAND the core (external.h) runs COMMAND for each issue the
 * rater has not coded; this file shows the progress line, stops the run
 * cleanly on SIGINT, SIGTERM or SIGHUP, and prints the summary.
 */
#include "cli.h"
#include "codes.h"
#include "commands.h"
#include "external.h"
#include "issueref.h"
#include "progress.h"
#include "sets.h"
#include "strbuf.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const code_usage[] = {
        "issuemine code --sample NAME --rater NAME [--taxonomy NAME] [--add-to-sample]",
        "               [--note TEXT] [--clear DIMENSION]... [--exclude REASON "
        "[--exclude-note TEXT] | --include]",
        "               [--format text|json] ISSUE [DIMENSION=CATEGORY[/SUB]]...",
        "issuemine code --sample NAME --rater NAME --with COMMAND [-j N] [--timeout SECONDS]",
        "               [--max-issues N] [--no-patches] [--quiet] [--format text|json]",
        "issuemine code --sample NAME --rater NAME --document [--no-patches] ISSUE",
        NULL,
        "Set a rater's codes on one issue of a sample without the UI, e.g.",
        "  issuemine code --sample study --rater alice pytorch/pytorch#84092 \\",
        "      symptom=crash cause=incompatibility/external location=\"Node Conversion\"",
        "ISSUE is OWNER/NAME#N or a GitHub issue URL. Dimensions, categories and",
        "sub-categories match a key, a display name or an alias, ignoring case; an",
        "unknown one is refused with the valid choices. --exclude marks the issue as not",
        "to be coded, with one of the taxonomy's exclusion reasons (see 'issuemine",
        "taxonomy show') and optional free text; --include takes the exclusion back. The",
        "issue must be in the sample (--add-to-sample adds it, creating the sample if",
        "needed). The rater is created on first use. Everything given is stored in one",
        "transaction, or nothing. With nothing to change, the rater's codes on the issue",
        "are printed.",
        "",
        "--with COMMAND makes a program a rater: /bin/sh -c COMMAND runs once for each",
        "issue of the sample the rater has neither fully coded nor excluded, in sample",
        "order, reading one JSON document on standard input (the issue, its timeline, its",
        "fixes, the taxonomy; never another rater's codes or notes) and writing one JSON",
        "answer (a category per dimension, a note, an exclusion, confidence); answers",
        "are checked as 'codes import' checks rows and stored with origin 'external'. A",
        "command that fails, times out or answers wrongly is recorded and the run goes",
        "on; run it again to retry those (and to resume after a kill). One run per rater",
        "and sample at a time: a second refuses while the first lives. --document prints",
        "the document an issue's command would read. The protocol is in the man page.",
        NULL,
};

struct code_args {
	const char *sample, *rater, *taxonomy, *note, *exclude, *exclude_note, *format;
	int add_to_sample, has_note, include;
	const char *with;      /* --with COMMAND */
	int document, patches; /* --document; the fixes' diffs in documents */
	long jobs, max_issues;
	double timeout;
	int quiet;
	struct string_list clear;
	struct issueref issue;
	const char **specs;
	int nspecs;
};

static int has_changes(const struct code_args *a)
{
	return a->nspecs || a->has_note || a->clear.nr || a->exclude || a->include;
}

/* The sample's id; creates it (and adds the issue) with --add-to-sample. */
static int find_sample(struct store *s, const struct code_args *a, int64_t issue_id,
                       int64_t *set_id, struct error *err)
{
	if (set_find(s, a->sample, set_id, err))
		return -1;
	int create = a->add_to_sample && has_changes(a);
	if (!*set_id && !create)
		return error_set(err, "no sample named '%s'%s", a->sample,
		                 has_changes(a) ? " (--add-to-sample creates it)" : "");
	if (!*set_id && set_create(s, a->sample, "manual", "issuemine code --add-to-sample", 0, 0,
	                           0, set_id, err))
		return -1;
	int member;
	if (set_has_member(s, *set_id, issue_id, &member, err))
		return -1;
	if (member)
		return 0;
	if (!create)
		return error_set(err, "%s#%lld is not in sample '%s'%s", a->issue.repo,
		                 (long long)a->issue.number, a->sample,
		                 has_changes(a) ? " (--add-to-sample adds it)" : "");
	return set_add_member(s, *set_id, issue_id, err);
}

/* What was done, for the summary: "symptom=Crash", "cause=(none)", "excluded: ...". */
struct done {
	struct strbuf text;
	json_t *changes;
};

static void did(struct done *d, const char *what, const char *value)
{
	strbuf_addf(&d->text, " %s=%s", what, value);
	json_array_append_new(d->changes, json_pack("{s:s, s:s}", "what", what, "value", value));
}

static int apply_exclusion(struct store *s, const struct taxonomy *t, const struct code_args *a,
                           int64_t set_id, int64_t issue_id, int64_t rater, struct done *done,
                           struct error *err)
{
	if (a->include) {
		if (exclusion_clear(s, set_id, issue_id, rater, "code", err))
			return -1;
		did(done, "exclusion", "(none)");
		return 0;
	}
	if (!a->exclude)
		return 0;
	const struct tax_reason *reason;
	if (tax_resolve_reason(t, a->exclude, &reason, err) ||
	    exclusion_set(s, set_id, issue_id, rater, reason, a->exclude_note, "code", err))
		return -1;
	did(done, "exclusion", reason->name);
	return 0;
}

static int apply_codes(struct store *s, const struct taxonomy *t, const struct code_args *a,
                       int64_t set_id, int64_t issue_id, int64_t rater, struct done *done,
                       struct error *err)
{
	for (size_t i = 0; i < a->clear.nr; i++) {
		const struct tax_dimension *d = tax_find_dimension(t, a->clear.items[i]);
		if (!d)
			return error_set(err, "--clear: no dimension '%s' in taxonomy %s",
			                 a->clear.items[i], t->name);
		if (code_clear(s, set_id, issue_id, rater, d, "code", err))
			return -1;
		did(done, d->key, "(none)");
	}
	for (int i = 0; i < a->nspecs; i++) {
		struct tax_code code;
		char label[512];
		if (tax_resolve_spec(t, a->specs[i], &code, err) ||
		    code_set(s, set_id, issue_id, rater, &code, "code", err))
			return -1;
		tax_code_label(&code, label, sizeof(label));
		did(done, code.dim->key, label);
	}
	if (a->has_note && note_set(s, set_id, issue_id, rater, a->note, "code", err))
		return -1;
	return apply_exclusion(s, t, a, set_id, issue_id, rater, done, err);
}

/* The rater's codes, note and exclusion on the issue now, as JSON. */
static json_t *current_json(struct store *s, const struct taxonomy *t, const struct code_args *a,
                            int64_t set_id, int64_t issue_id, int64_t rater, struct error *err)
{
	json_t *codes = json_object();
	for (size_t d = 0; d < t->ndims; d++) {
		struct tax_code c;
		int found = 0;
		if (rater &&
		    code_get(s, t, set_id, issue_id, rater, &t->dims[d], &c, &found, err)) {
			json_decref(codes);
			return NULL;
		}
		char label[512];
		if (found)
			tax_code_label(&c, label, sizeof(label));
		json_object_set_new(codes, t->dims[d].key,
		                    found ? json_pack("{s:s, s:s?, s:s}", "category", c.cat->key,
		                                      "subcategory", c.sub ? c.sub->key : NULL,
		                                      "label", label)
		                          : json_null());
	}
	char *note = NULL;
	struct exclusion x = {0};
	if (rater && (note_get(s, set_id, issue_id, rater, &note, err) ||
	              exclusion_get(s, t, set_id, issue_id, rater, &x, err))) {
		json_decref(codes);
		return NULL;
	}
	char ref[320];
	snprintf(ref, sizeof(ref), "%s#%lld", a->issue.repo, (long long)a->issue.number);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s?}", "sample", a->sample, "rater",
	                      a->rater, "issue", ref, "taxonomy", t->name, "version", t->version,
	                      "codes", codes, "note", note);
	json_object_set_new(o, "exclusion",
	                    x.reason ? json_pack("{s:s, s:s, s:s?}", "reason", x.reason->key,
	                                         "name", x.reason->name, "note", x.detail)
	                             : json_null());
	free(note);
	exclusion_release(&x);
	return o;
}

/* "symptom=Crash location=(none) ..." of the current codes in o, for the text listing. */
static void current_text(json_t *o, struct strbuf *sb)
{
	const char *dim;
	json_t *c;
	json_object_foreach(json_object_get(o, "codes"), dim, c)
	{
		strbuf_addf(sb, " %s=%s", dim,
		            json_is_object(c) ? json_string_value(json_object_get(c, "label"))
		                              : "(none)");
	}
	json_t *x = json_object_get(o, "exclusion");
	if (json_is_object(x))
		strbuf_addf(sb, " excluded: %s", json_string_value(json_object_get(x, "name")));
	if (json_is_string(json_object_get(o, "note")))
		strbuf_adds(sb, " (has a note)");
}

struct result {
	struct done done;
	json_t *now; /* the codes after the command */
};

static int run(struct store *s, const struct code_args *a, struct result *r, struct error *err)
{
	struct taxonomy *t;
	int64_t issue_id, set_id, rater = 0;
	if (tax_read(s, a->taxonomy, &t, err))
		return -1;
	int rc = -1, writes = has_changes(a);
	if (writes && store_begin(s, err))
		goto out;
	if (store_issue_id(s, a->issue.repo, a->issue.number, &issue_id, err))
		goto fail;
	if (!issue_id) {
		error_set(err, "%s#%lld: not in the database (fetch or import it first)",
		          a->issue.repo, (long long)a->issue.number);
		goto fail;
	}
	if (find_sample(s, a, issue_id, &set_id, err) ||
	    rater_id(s, a->rater, writes, &rater, err) ||
	    (writes && apply_codes(s, t, a, set_id, issue_id, rater, &r->done, err)))
		goto fail;
	r->now = current_json(s, t, a, set_id, issue_id, rater, err);
	if (!r->now)
		goto fail;
	rc = writes ? store_commit(s, err) : 0;
	goto out;
fail:
	if (writes)
		store_rollback(s);
out:
	tax_free(t);
	return rc;
}

static void print_result(const struct code_args *a, struct result *r)
{
	if (!strcmp(a->format, "json")) {
		json_object_set(r->now, "changed", r->done.changes);
		cli_print_json(json_incref(r->now));
		return;
	}
	if (!has_changes(a)) {
		struct strbuf sb = STRBUF_INIT;
		current_text(r->now, &sb);
		printf("%s: %s#%lld in %s:%s\n", a->rater, a->issue.repo,
		       (long long)a->issue.number, a->sample, cli_text(sb.buf));
		strbuf_release(&sb);
		return;
	}
	printf("%s: %s#%lld in %s:%s%s\n", a->rater, a->issue.repo, (long long)a->issue.number,
	       a->sample, cli_text(r->done.text.buf), a->has_note ? " (note saved)" : "");
}

/* --- --with COMMAND: a program as a rater --- */

static volatile sig_atomic_t with_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	with_stop = 1;
}

/* SIGINT, SIGTERM and SIGHUP stop the run cleanly (what is done is kept); old[] restores them. */
static void catch_stop_signals(struct sigaction old[3])
{
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction old[3])
{
	static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
}

struct with_ui {
	struct progress *p;
	const char *rater;
	struct timespec start;
};

static long not_coded(const struct external_counts *c)
{
	return c->failed + c->timeouts + c->invalid;
}

/* "code gpt: 120/250 issues, 3 failed, 4 running, ETA 1m20s" */
static void on_with_progress(void *data, const struct external_counts *c)
{
	struct with_ui *ui = data;
	long finished = c->coded + c->excluded + not_coded(c), left = c->to_code - finished;
	char eta[48] = "", failed[48] = "";
	if (finished > 0 && left > 0) {
		char d[32];
		progress_duration(progress_seconds_since(&ui->start) / (double)finished *
		                          (double)left,
		                  d, sizeof(d));
		snprintf(eta, sizeof(eta), ", ETA %s", d);
	}
	if (not_coded(c))
		snprintf(failed, sizeof(failed), ", %ld failed", not_coded(c));
	progress_update(ui->p, "code %s: %ld/%ld issues%s, %ld running%s", ui->rater, finished,
	                c->to_code, failed, c->running, eta);
}

static void print_with_text(const struct code_args *a, const struct external_counts *c,
                            const struct external_failure *f, size_t nf)
{
	if (!c->to_code) {
		printf("%s on sample '%s': nothing to code (%ld of %ld issues coded or excluded)\n",
		       a->rater, a->sample, c->done, c->sample);
		return;
	}
	printf("%s on sample '%s': %ld issue%s to code", a->rater, a->sample, c->to_code,
	       c->to_code == 1 ? "" : "s");
	if (c->done)
		printf(" (%ld done before)", c->done);
	printf(": %ld coded, %ld excluded, %ld failed, %ld timed out, %ld invalid; %.1f s, %ld "
	       "at a time\n",
	       c->coded, c->excluded, c->failed, c->timeouts, c->invalid, c->wall, a->jobs);
	for (size_t i = 0; i < nf; i++)
		printf("  %s  %s: %s\n", f[i].issue, external_status_name(f[i].status),
		       cli_text(f[i].reason));
	long left = c->to_code - c->coded - c->excluded;
	if (c->interrupted)
		printf("interrupted: %ld issue%s not coded; run the same command again to resume\n",
		       left, left == 1 ? "" : "s");
	else if (left)
		printf("run the same command again to retry the %ld that failed\n", left);
}

static json_t *per_issue_ms(double seconds, long n)
{
	return json_real(n > 0 ? seconds * 1000.0 / (double)n : 0.0);
}

static json_t *timing_json(const struct external_counts *c)
{
	long n = c->coded + c->excluded + not_coded(c);
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "document_ms",
	                 per_issue_ms(c->document, n), "spawn_ms", per_issue_ms(c->spawn, n),
	                 "check_ms", per_issue_ms(c->check, n), "store_ms",
	                 per_issue_ms(c->store, n), "overhead_ms",
	                 per_issue_ms(c->document + c->check + c->store, n), "cpu_ms",
	                 per_issue_ms(c->cpu, n), "commits", (json_int_t)c->commits);
}

static json_t *failures_json(const struct external_failure *f, size_t nf)
{
	json_t *a = json_array();
	for (size_t i = 0; i < nf; i++)
		json_array_append_new(
		        a,
		        json_pack("{s:s, s:s, s:s, s:o, s:o, s:f, s:s}", "issue", f[i].issue,
		                  "status", external_status_name(f[i].status), "reason",
		                  f[i].reason, "exit_status",
		                  f[i].exit_status >= 0 ? json_integer(f[i].exit_status)
		                                        : json_null(),
		                  "signal", f[i].signal ? json_integer(f[i].signal) : json_null(),
		                  "seconds", f[i].seconds, "stderr", f[i].stderr_tail));
	return a;
}

static void print_with_json(const struct code_args *a, const struct external_counts *c,
                            const struct external_failure *f, size_t nf)
{
	json_t *o = json_pack(
	        "{s:s, s:s, s:s, s:o, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:f}",
	        "sample", a->sample, "rater", a->rater, "command", a->with, "run",
	        c->run_id ? json_integer(c->run_id) : json_null(), "jobs", (json_int_t)a->jobs,
	        "timeout", a->timeout, "sample_issues", (json_int_t)c->sample, "done_before",
	        (json_int_t)c->done, "to_code", (json_int_t)c->to_code, "coded",
	        (json_int_t)c->coded, "excluded", (json_int_t)c->excluded, "failed",
	        (json_int_t)c->failed, "timed_out", (json_int_t)c->timeouts, "invalid",
	        (json_int_t)c->invalid, "interrupted", c->interrupted, "seconds", c->wall);
	json_object_set_new(o, "timing", timing_json(c));
	json_object_set_new(o, "failures", failures_json(f, nf));
	cli_print_json(o);
}

static int find_set(struct store *s, const char *sample, int64_t *set_id, struct error *err)
{
	if (set_find(s, sample, set_id, err))
		return -1;
	return *set_id ? 0 : error_set(err, "no sample named '%s'", sample);
}

static int run_with(const struct code_args *a)
{
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct taxonomy *t = NULL;
	struct error err;
	int64_t set_id = 0;
	struct with_ui ui = {NULL, a->rater, {0, 0}};
	clock_gettime(CLOCK_MONOTONIC, &ui.start);
	struct external_options o = {
	        0,          a->sample,     a->rater,   a->with,          a->jobs,
	        a->timeout, a->max_issues, a->patches, on_with_progress, &ui,
	        &with_stop};
	struct external_counts c;
	struct external_failure *f = NULL;
	size_t nf = 0;
	int rc = tax_read(s, a->taxonomy, &t, &err) || find_set(s, a->sample, &set_id, &err);
	if (!rc) {
		struct sigaction old[3];
		o.set_id = set_id;
		ui.p = progress_start(a->quiet);
		catch_stop_signals(old);
		rc = external_run(s, t, &o, &c, &f, &nf, &err);
		restore_signals(old);
		progress_done(ui.p);
	}
	int exit_code = EXIT_SUCCESS;
	if (rc) {
		cli_error("code --with: %s", err.msg);
		exit_code = EXIT_FAILURE;
	}
	if (!rc) {
		if (!strcmp(a->format, "json"))
			print_with_json(a, &c, f, nf);
		else
			print_with_text(a, &c, f, nf);
		long left = c.to_code - c.coded - c.excluded;
		if (left) {
			cli_error("code --with: %ld of %ld issues not coded (%s)", left, c.to_code,
			          c.interrupted ? "interrupted; rerun to resume"
			                        : "rerun the same command to retry them");
			exit_code = EXIT_FAILURE;
		}
	}
	external_failures_free(f, nf);
	tax_free(t);
	store_close(s);
	return exit_code;
}

/* --document: what the command of one issue would read, pretty-printed. */
static int run_document(const struct code_args *a)
{
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	struct taxonomy *t = NULL;
	struct error err;
	int64_t set_id = 0, issue_id = 0;
	int member = 0;
	struct strbuf doc = STRBUF_INIT;
	int rc = tax_read(s, a->taxonomy, &t, &err) || find_set(s, a->sample, &set_id, &err) ||
	         store_issue_id(s, a->issue.repo, a->issue.number, &issue_id, &err);
	if (!rc && issue_id && set_has_member(s, set_id, issue_id, &member, &err))
		rc = -1;
	if (!rc && !member)
		rc = error_set(&err, "%s#%lld is not in sample '%s'", a->issue.repo,
		               (long long)a->issue.number, a->sample);
	if (!rc) {
		struct external_doc *d = external_doc_new(t, a->sample, a->rater, a->patches);
		rc = external_doc_build(s, d, issue_id, &doc, &err);
		external_doc_free(d);
	}
	if (!rc) {
		json_t *j = json_loadb(doc.buf, doc.len, 0, NULL);
		char *pretty = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
		printf("%s\n", pretty ? pretty : doc.buf);
		free(pretty);
		json_decref(j);
	}
	strbuf_release(&doc);
	tax_free(t);
	store_close(s);
	return rc ? cli_fail(&err) : EXIT_SUCCESS;
}

static void check_with_args(struct code_args *a, int argc, const char **argv)
{
	if (a->with && a->document)
		usage_error("code", "--with and --document do not go together");
	if (a->note || a->clear.nr || a->exclude || a->exclude_note || a->include ||
	    a->add_to_sample)
		usage_error("code",
		            "--%s codes no single issue: --note, --clear, --exclude, "
		            "--include and --add-to-sample do not apply",
		            a->with ? "with" : "document");
	if (a->with && !*a->with)
		usage_error("code", "--with: the command is empty");
	if (a->jobs < 1 || a->jobs > 256)
		usage_error("code", "-j: give 1 to 256 commands at once");
	if (!(a->timeout > 0) || a->timeout > 86400)
		usage_error("code", "--timeout: give a number of seconds above 0, at most 86400");
	if (a->max_issues < 0)
		usage_error("code", "--max-issues: %ld is negative", a->max_issues);
	if (a->with && argc > 0)
		usage_error("code", "--with codes the whole sample: unexpected argument '%s'",
		            argv[0]);
	if (a->document && argc != 1)
		usage_error("code", "--document takes one ISSUE");
	if (a->document && issueref_parse(argv[0], &a->issue))
		usage_error("code", "'%s' is not an issue (OWNER/NAME#N or a GitHub URL)", argv[0]);
	if (a->document && strcmp(a->format, "text"))
		usage_error("code", "--document prints JSON; --format does not apply");
}

static void check_args(struct code_args *a, int argc, const char **argv)
{
	if (!a->sample || !a->rater)
		usage_error("code", "--sample and --rater are required");
	if (!rater_name_valid(a->rater))
		usage_error("code", "--rater: '%s' is not a valid rater name", a->rater);
	if (a->with || a->document) {
		check_with_args(a, argc, argv);
		return;
	}
	if (argc == 0)
		usage_error("code", "no ISSUE given");
	struct error bad;
	if (issueref_parse_err(argv[0], &a->issue, &bad))
		usage_error("code", "%s", bad.msg);
	if (!rater_name_valid(a->rater))
		usage_error("code", "--rater: '%s' is not a valid rater name", a->rater);
	if (a->exclude && a->include)
		usage_error("code", "--exclude and --include contradict each other");
	if (a->exclude_note && !a->exclude)
		usage_error("code", "--exclude-note goes with --exclude REASON");
	a->has_note = a->note != NULL;
	a->specs = argv + 1;
	a->nspecs = argc - 1;
}

int cmd_code(int argc, const char **argv)
{
	struct code_args a = {0};
	a.format = "text";
	a.jobs = 1;
	a.timeout = 120;
	a.patches = 1;
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "NAME", "the sample the issue belongs to"},
	        {OPT_STRING, 0, "rater", &a.rater, "NAME", "whose codes these are"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "taxonomy (default: the only one)"},
	        {OPT_BOOL, 0, "add-to-sample", &a.add_to_sample, NULL,
	         "add the issue to the sample (creating it) if needed"},
	        {OPT_STRING, 0, "note", &a.note, "TEXT", "set the rater's note ('' removes it)"},
	        {OPT_STRING_LIST, 0, "clear", &a.clear, "DIMENSION",
	         "remove the code of a dimension"},
	        {OPT_STRING, 0, "exclude", &a.exclude, "REASON",
	         "exclude the issue from coding, for this reason"},
	        {OPT_STRING, 0, "exclude-note", &a.exclude_note, "TEXT",
	         "with --exclude: why, in free text"},
	        {OPT_BOOL, 0, "include", &a.include, NULL, "take the rater's exclusion back"},
	        {OPT_CHOICE, 0, "format", &a.format, "text|json", "output format (default text)"},
	        {OPT_STRING, 0, "with", &a.with, "COMMAND",
	         "code the sample with this command (run by /bin/sh -c)"},
	        {OPT_INT, 'j', "jobs", &a.jobs, "N", "with --with: N commands at once (default 1)"},
	        {OPT_DOUBLE, 0, "timeout", &a.timeout, "SECONDS",
	         "with --with: kill a command after this long (default 120)"},
	        {OPT_INT, 0, "max-issues", &a.max_issues, "N",
	         "with --with: at most N issues this run (a trial)"},
	        {OPT_BOOL, 0, "patches", &a.patches, NULL,
	         "the fixes' diffs in the documents (default; --no-patches leaves them out)"},
	        {OPT_BOOL, 'q', "quiet", &a.quiet, NULL, "with --with: no progress line"},
	        {OPT_BOOL, 0, "document", &a.document, NULL,
	         "print the document the command would read for ISSUE"},
	        {OPT_END},
	};
	argc = parse_options("code", argc, argv, opts, code_usage);
	check_args(&a, argc, argv);
	if (a.with || a.document) {
		int code = a.with ? run_with(&a) : run_document(&a);
		string_list_clear(&a.clear);
		return code;
	}

	struct store *s;
	struct result r = {{STRBUF_INIT, json_array()}, NULL};
	struct error err;
	int rc = EXIT_FAILURE;
	if (!cli_open_store(has_changes(&a) ? STORE_READWRITE : STORE_READONLY, &s)) {
		rc = run(s, &a, &r, &err) ? cli_fail(&err) : EXIT_SUCCESS;
		store_close(s);
	}
	if (rc == EXIT_SUCCESS)
		print_result(&a, &r);
	string_list_clear(&a.clear);
	strbuf_release(&r.done.text);
	json_decref(r.done.changes);
	json_decref(r.now);
	return rc;
}
