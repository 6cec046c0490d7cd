/*
 * external.h - external raters: any program codes a sample, blind, as a rater.
 *
 * "issuemine code --with COMMAND" runs COMMAND once for each issue of a
 * sample that a rater has neither fully coded nor excluded. The protocol,
 * version EXTERNAL_FORMAT (the man page describes it for rater authors):
 *
 *  - the command reads one JSON document on its standard input: the issue,
 *    its timeline, its fixes when they were fetched, and the taxonomy in
 *    force (external_doc_build). It never holds another rater's codes,
 *    notes or exclusions: nothing here reads them.
 *  - it writes one JSON object on its standard output, its answer:
 *
 *	{"codes": {"symptom": "crash",
 *	           "cause": {"category": "incompatibility", "subcategory": "external",
 *	                     "confidence": 0.8}},
 *	 "note": "why, in a sentence or two",
 *	 "exclusion": null}
 *
 *    a category (key, name or alias) for every dimension unless the issue is
 *    excluded ("exclusion": "not-a-failure", or {"reason": ..., "note": ...}),
 *    with an optional sub-category and confidence (0 to 1), and optional
 *    "format" (1) and "meta" (anything the rater wants kept, e.g. its model).
 *
 * An answer is parsed (external_answer_parse, no database needed), then
 * checked row by row exactly as "codes import" checks a CSV row
 * (codes_check_row), and stored with origin "external", with the record of
 * the answer, all or nothing (external_store.c). A command that fails,
 * times out or answers wrongly gets a record too and nothing else.
 */
#ifndef ISSUEMINE_EXTERNAL_H
#define ISSUEMINE_EXTERNAL_H

#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "codes_csv.h"
#include "lease.h"
#include "store.h"
#include "strbuf.h"
#include "taxonomy.h"

/* The version of the document and of the answer. */
#define EXTERNAL_FORMAT 1

/* The code_log origin of what an external rater stores. */
#define EXTERNAL_ORIGIN "external"

/* At most this much of a command's standard output is read as its answer. */
#define EXTERNAL_ANSWER_MAX (1024 * 1024)

/* --- the document (external_doc.c) --- */

struct external_doc;

/*
 * A builder of documents for sample `sample` and rater `rater` under
 * taxonomy t (read from the database: its version is part of each
 * document). patches 0 leaves the fixes' diffs out. t must outlive it.
 */
struct external_doc *external_doc_new(const struct taxonomy *t, const char *sample,
                                      const char *rater, int patches);
void external_doc_free(struct external_doc *d);

/* The document of issue_id (UTF-8 JSON, one line, no trailing newline) into out (reset first). */
int external_doc_build(struct store *s, struct external_doc *d, int64_t issue_id,
                       struct strbuf *out, struct error *err);

/* --- the answer (external_answer.c) --- */

/* One code of an answer. Strings are borrowed from the answer's JSON. */
struct external_code {
	const char *dimension, *category, *subcategory; /* subcategory NULL when none */
	double confidence;                              /* when has_confidence */
	int has_confidence;
};

struct external_answer {
	json_t *root; /* owned */
	struct external_code *codes;
	size_t ncodes;
	const char *note;                       /* NULL when none */
	const char *exclusion, *exclusion_note; /* NULL when the issue is not excluded */
};

/*
 * Parses a command's output (text, len bytes: one JSON object, white space
 * around it allowed) into *out. Returns 0, or -1 with what is wrong in why
 * ("malformed JSON: ...", "codes.cause: confidence 2 is not a number from 0
 * to 1", ...). Reads no database: the taxonomy is checked afterwards.
 * Release *out either way.
 */
int external_answer_parse(const char *text, size_t len, struct external_answer *out,
                          struct strbuf *why);
void external_answer_release(struct external_answer *a);

/* An answer checked against the taxonomy and the sample, ready to store. */
struct external_checked {
	struct codes_checked *rows; /* as codes_check_row resolved them; rows[0] has the note */
	size_t nrows;
	double *confidence; /* per row; < 0 when the answer gave none */
	int excluded;
};

void external_checked_release(struct external_checked *c);

/*
 * Checks answer a for issue_ref ("owner/name#N") of sample set_id (named
 * sample) by rater: every row as "codes import" would (codes_check_row),
 * no dimension twice, and every dimension of t coded unless the issue is
 * excluded. What is wrong goes into why (empty when the answer is good);
 * -1 only on a database error.
 */
int external_answer_check(struct store *s, const struct taxonomy *t, int64_t set_id,
                          const char *sample, const char *issue_ref, const char *rater,
                          const struct external_answer *a, struct external_checked *out,
                          struct strbuf *why, struct error *err);

/* --- runs, answers and confidence in the database (external_store.c) --- */

/* What became of one issue: its answer was stored, or what went wrong. */
enum external_status {
	EXTERNAL_CODED,
	EXTERNAL_EXCLUDED,
	EXTERNAL_FAILED,  /* the command exited non-zero, was killed, or could not start */
	EXTERNAL_TIMEOUT, /* it ran past the timeout and was killed */
	EXTERNAL_INVALID, /* it wrote no answer, malformed JSON, or codes that do not check */
};

/* "coded", "excluded", "failed", "timeout", "invalid". */
const char *external_status_name(enum external_status status);

struct external_run_row {
	int64_t set_id, rater_id;
	const char *command;
	long jobs;
	double timeout;
	int64_t version_id; /* the codebook version in force */
	long to_code;
};

/* Records the start of a run; *run_id gets its id. Must run in a transaction. */
int external_run_begin(struct store *s, const struct external_run_row *r, int64_t *run_id,
                       struct error *err);

/* Updates the counts of run_id, and marks it finished when finished is set. */
int external_run_update(struct store *s, int64_t run_id, long coded, long excluded, long failed,
                        int finished, struct error *err);

/* The record of one answer (or failure). Strings may be NULL. */
struct external_outcome {
	int64_t issue_id;
	enum external_status status;
	const char *reason;      /* what went wrong; NULL when stored */
	int exit_status, signal; /* -1 when not known (killed, or never started) */
	double seconds;          /* how long the command ran */
	const char *answer;      /* its standard output as written */
	size_t answer_len;
	const char *stderr_tail;   /* the end of its standard error */
	const char *document_hash; /* SHA-256 (hex) of the document it was given */
};

/*
 * Stores one outcome of run_id: for EXTERNAL_CODED and EXTERNAL_EXCLUDED the
 * checked answer c (codes, note, exclusion, confidence, with origin
 * "external"), then the record of the answer, all or nothing (a
 * savepoint). Must run in a transaction.
 */
int external_store_outcome(struct store *s, int64_t run_id, int64_t set_id, int64_t rater_id,
                           const struct external_outcome *o, const struct external_checked *c,
                           struct error *err);

/* Whether the rater ever ran a command on the sample (*yes), for telling raters apart. */
int external_rater_has_runs(struct store *s, int64_t set_id, int64_t rater_id, int *yes,
                            struct error *err);

/*
 * How many changes to the rater's codes, notes and exclusions in the sample
 * were made by anything but a command (every code_log origin but
 * "external": label, suggestion, undo, code, import, reconcile): with no
 * run of a command there, such a rater is a human (or an adjudicator).
 */
int external_hand_codes(struct store *s, int64_t set_id, int64_t rater_id, long *n,
                        struct error *err);

/*
 * Takes the lease (lease.h) of rater's runs on sample set_id (named
 * sample), so that a second run does not ask about the same issues: 0, or
 * -1 when another live run holds it (err names it) or on a database error.
 * Give it back with lease_release.
 */
int external_lease_take(struct store *s, int64_t set_id, const char *sample, const char *rater,
                        struct lease *lease, struct error *err);

/* --- a run (external_run.c) --- */

struct external_counts {
	int64_t run_id;
	long sample;  /* issues in the sample */
	long done;    /* already coded or excluded by the rater before the run */
	long to_code; /* what the run set out to do (after --max-issues) */
	long started; /* commands started */
	long coded, excluded;
	long failed, timeouts, invalid;
	long running;    /* commands running now */
	int interrupted; /* stopped by a signal before the end */
	/* Where the time went (seconds, summed over issues). */
	double wall;     /* the whole run */
	double document; /* building the documents */
	double spawn;    /* starting the commands */
	double check;    /* parsing and checking the answers */
	double store;    /* storing them (commits included) */
	double cpu;      /* CPU time of this process (user and system), for the whole run */
	long commits;
};

/* One issue that failed in the run. Strings are owned. */
struct external_failure {
	char *issue; /* "owner/name#N" */
	enum external_status status;
	char *reason;
	int exit_status, signal;
	double seconds;
	char *stderr_tail;
};

void external_failures_free(struct external_failure *f, size_t n);

struct external_options {
	int64_t set_id;
	const char *sample;
	const char *rater;
	const char *command; /* run as /bin/sh -c COMMAND */
	long jobs;           /* commands at once, >= 1 */
	double timeout;      /* seconds per command, > 0 */
	long max_issues;     /* at most this many (0: all) */
	int patches;         /* the fixes' diffs in the documents */
	/* Called now and then (and when a command ends) with the counts so far. */
	void (*progress)(void *data, const struct external_counts *c);
	void *progress_data;
	/* Set (by a signal handler) to stop: running commands are killed, what is done kept. */
	volatile sig_atomic_t *stop;
};

/*
 * Runs o->command for every issue of sample o->set_id that o->rater has
 * neither fully coded nor excluded, in sample order, o->jobs at a time,
 * under taxonomy t (read from the database). Answers are stored as they
 * come (grouped into transactions at most EXTERNAL_COMMIT_MS apart, so a
 * kill loses at most the answers of the last moment, which a rerun asks
 * for again). Fills *c and the failures of this run (caller frees with
 * external_failures_free). Returns -1 only when the run itself could not
 * go on (the database, the rater's name, a rater coded by hand, the first
 * EXTERNAL_FIRST_FAILURES commands all failing, another live run of the
 * rater on the sample); one issue's failure is
 * recorded and the run goes on.
 */
int external_run(struct store *s, const struct taxonomy *t, const struct external_options *o,
                 struct external_counts *c, struct external_failure **failures, size_t *nfailures,
                 struct error *err);

/* Answers are committed at most this many milliseconds after they arrive. */
#define EXTERNAL_COMMIT_MS 50

/*
 * A run whose first this many commands all failed stops (a command that
 * cannot work: not found, a wrong key) instead of failing on every issue.
 */
#define EXTERNAL_FIRST_FAILURES 5

#endif
