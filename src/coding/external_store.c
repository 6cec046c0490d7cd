/*
 * external_store.c - external raters' runs, answers and confidence in the
 * database (tables rater_runs, rater_answers, code_confidence, and the
 * lease of a run in rater_leases; see external.h and docs/schema.md).
 *
 * An answer's codes, note, exclusion and confidence go through the codes
 * API (codes.h) with origin "external", so they are logged and versioned like any
 * rater's; one savepoint around an issue's writes makes them all or
 * nothing even when several issues share a transaction.
 */
#include "external.h"

#include "codes.h"
#include "lease.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

const char *external_status_name(enum external_status status)
{
	switch (status) {
	case EXTERNAL_CODED:
		return "coded";
	case EXTERNAL_EXCLUDED:
		return "excluded";
	case EXTERNAL_FAILED:
		return "failed";
	case EXTERNAL_TIMEOUT:
		return "timeout";
	case EXTERNAL_INVALID:
		return "invalid";
	}
	return "failed";
}

int external_run_begin(struct store *s, const struct external_run_row *r, int64_t *run_id,
                       struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO rater_runs (set_id, rater_id, command, protocol, jobs, timeout, "
	        "version_id, to_code, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, r->set_id);
	sqlite3_bind_int64(st, 2, r->rater_id);
	store_bind_text(st, 3, r->command);
	sqlite3_bind_int(st, 4, EXTERNAL_FORMAT);
	sqlite3_bind_int64(st, 5, r->jobs);
	sqlite3_bind_double(st, 6, r->timeout);
	if (r->version_id)
		sqlite3_bind_int64(st, 7, r->version_id);
	sqlite3_bind_int64(st, 8, r->to_code);
	store_bind_text(st, 9, now);
	if (store_step_done(s, st, err))
		return -1;
	*run_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int external_run_update(struct store *s, int64_t run_id, long coded, long excluded, long failed,
                        int finished, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "UPDATE rater_runs SET coded = ?, excluded = ?, failed = ?, "
	                              "finished_at = ? WHERE id = ?",
	                              err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, coded);
	sqlite3_bind_int64(st, 2, excluded);
	sqlite3_bind_int64(st, 3, failed);
	store_bind_text(st, 4, finished ? now : NULL);
	sqlite3_bind_int64(st, 5, run_id);
	return store_step_done(s, st, err);
}

static int insert_answer(struct store *s, int64_t run_id, int64_t set_id, int64_t rater_id,
                         const struct external_outcome *o, int64_t *answer_id, struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s,
	        "INSERT INTO rater_answers (run_id, set_id, issue_id, rater_id, status, reason, "
	        "exit_status, signal, seconds, answer, stderr, document_hash, answered_at) "
	        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	        err);
	if (!st)
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, set_id);
	sqlite3_bind_int64(st, 3, o->issue_id);
	sqlite3_bind_int64(st, 4, rater_id);
	store_bind_text(st, 5, external_status_name(o->status));
	store_bind_text(st, 6, o->reason);
	if (o->exit_status >= 0)
		sqlite3_bind_int(st, 7, o->exit_status);
	if (o->signal > 0)
		sqlite3_bind_int(st, 8, o->signal);
	sqlite3_bind_double(st, 9, o->seconds);
	if (o->answer && o->answer_len)
		sqlite3_bind_text(st, 10, o->answer, (int)o->answer_len, SQLITE_TRANSIENT);
	if (o->stderr_tail && *o->stderr_tail)
		store_bind_text(st, 11, o->stderr_tail);
	store_bind_text(st, 12, o->document_hash);
	store_bind_text(st, 13, now);
	if (store_step_done(s, st, err))
		return -1;
	*answer_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* The codes, note and exclusion of a checked answer, and its confidence (after the answer row). */
static int write_codes(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                       const struct external_checked *c, struct error *err)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].code.dim &&
		    code_set(s, set_id, issue_id, rater_id, &c->rows[i].code, EXTERNAL_ORIGIN, err))
			return -1;
	const struct codes_checked *first = &c->rows[0];
	if (first->note &&
	    note_set(s, set_id, issue_id, rater_id, first->note, EXTERNAL_ORIGIN, err))
		return -1;
	if (first->reason && exclusion_set(s, set_id, issue_id, rater_id, first->reason,
	                                   first->exclusion_note, EXTERNAL_ORIGIN, err))
		return -1;
	return code_confidence_forget(s, set_id, issue_id, rater_id, 0, err);
}

static int write_confidence(struct store *s, int64_t set_id, int64_t issue_id, int64_t rater_id,
                            const struct external_checked *c, int64_t answer_id, struct error *err)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].code.dim && c->confidence[i] >= 0 &&
		    code_confidence_put(s, set_id, issue_id, rater_id, c->rows[i].code.dim->id,
		                        c->confidence[i], answer_id, err))
			return -1;
	return 0;
}

/* Runs a statement without results from the cache (savepoints: parsed once, not per issue). */
static int run_cached(struct store *s, const char *sql, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	return st ? store_step_done(s, st, err) : -1;
}

int external_store_outcome(struct store *s, int64_t run_id, int64_t set_id, int64_t rater_id,
                           const struct external_outcome *o, const struct external_checked *c,
                           struct error *err)
{
	if (run_cached(s, "SAVEPOINT external_answer", err))
		return -1;
	int stored = o->status == EXTERNAL_CODED || o->status == EXTERNAL_EXCLUDED;
	int64_t answer_id = 0;
	int rc = stored ? write_codes(s, set_id, o->issue_id, rater_id, c, err) : 0;
	if (!rc)
		rc = insert_answer(s, run_id, set_id, rater_id, o, &answer_id, err);
	if (!rc && stored)
		rc = write_confidence(s, set_id, o->issue_id, rater_id, c, answer_id, err);
	if (rc) {
		struct error ignored;
		run_cached(s, "ROLLBACK TO external_answer", &ignored);
		run_cached(s, "RELEASE external_answer", &ignored);
		return -1;
	}
	return run_cached(s, "RELEASE external_answer", err);
}

int external_rater_has_runs(struct store *s, int64_t set_id, int64_t rater_id, int *yes,
                            struct error *err)
{
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT count(*) FROM rater_runs WHERE set_id = ? AND rater_id = ?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	int64_t n;
	if (store_step_int64(s, st, &n, NULL, err))
		return -1;
	*yes = n > 0;
	return 0;
}

int external_hand_codes(struct store *s, int64_t set_id, int64_t rater_id, long *n,
                        struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT count(*) FROM code_log WHERE set_id = ? AND "
	                              "rater_id = ? AND origin <> '" EXTERNAL_ORIGIN "'",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, set_id);
	sqlite3_bind_int64(st, 2, rater_id);
	int64_t v;
	if (store_step_int64(s, st, &v, NULL, err))
		return -1;
	*n = (long)v;
	return 0;
}

static const struct lease_table rater_leases = {
        .select = "SELECT pid, host, nonce, started_at, heartbeat_at FROM rater_leases WHERE "
                  "set_id = ? AND rater = ?",
        .write = "INSERT OR REPLACE INTO rater_leases (set_id, rater, pid, host, nonce, "
                 "started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        .beat = "UPDATE rater_leases SET heartbeat_at = ? WHERE set_id = ? AND rater = ? AND "
                "nonce = ?",
        .remove = "DELETE FROM rater_leases WHERE set_id = ? AND rater = ? AND nonce = ?",
};

int external_lease_take(struct store *s, int64_t set_id, const char *sample, const char *rater,
                        struct lease *lease, struct error *err)
{
	char key[32];
	snprintf(key, sizeof(key), "%lld",
	         (long long)set_id); /* the column's affinity makes it a number */
	struct lease other;
	int rc = lease_take(s, &rater_leases, key, rater, lease, &other, err);
	if (rc != 1)
		return rc;
	char since[ISO_TIME_LEN];
	time_format_iso(other.started, since);
	return error_set(err,
	                 "another run as rater '%s' on sample '%s' is running (pid "
	                 "%ld on %s, since %s); let it finish, or stop it",
	                 rater, sample, other.pid, other.host, since);
}
