/*
 * fetch_lease.c - one run of a search at a time (see fetch.h).
 *
 * A lease is a row of fetch_leases for (api_url, query): who holds it (pid,
 * host, a random nonce) and when it last proved alive (heartbeat_at, epoch
 * seconds on the real clock, never ISSUEMINE_NOW). It is taken in a BEGIN
 * IMMEDIATE transaction, so two runs starting at once cannot both take it.
 * A lease is free when there is no row, when its holder is on this host and
 * its pid is gone (kill -9, a crash), or when its heartbeat is older than
 * FETCH_LEASE_STALE (a holder on another machine, or a pid reused).
 */
#include "fetch.h"
#include "xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

void fetch_lease_hostname(char *out, size_t size)
{
	if (gethostname(out, size) != 0 || !out[0])
		snprintf(out, size, "localhost");
	out[size - 1] = '\0';
}

static int64_t random_nonce(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x =
	        (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (int64_t)(x & 0x7fffffffffffffffULL);
}

/* True when the holder described by other is surely not running any more. */
static int holder_is_gone(const struct fetch_lease *other, const char *host, time_t now)
{
	if (now - other->beat > FETCH_LEASE_STALE)
		return 1;
	if (strcmp(other->host, host))
		return 0; /* another machine: only its heartbeat can tell */
	if (other->pid <= 0)
		return 1;
	return kill((pid_t)other->pid, 0) != 0 && errno == ESRCH;
}

static int read_holder(struct store *s, const char *api_url, const char *query, int *found,
                       struct fetch_lease *other, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT pid, host, nonce, started_at, heartbeat_at FROM "
	                              "fetch_leases WHERE api_url = ? AND query = ?",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, api_url);
	store_bind_text(st, 2, query);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		other->pid = (long)sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		snprintf(other->host, sizeof(other->host), "%s", h ? h : "?");
		other->nonce = sqlite3_column_int64(st, 2);
		other->started = (time_t)sqlite3_column_int64(st, 3);
		other->beat = (time_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, err, NULL);
	return 0;
}

static int write_lease(struct store *s, const struct fetch_lease *l, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT OR REPLACE INTO fetch_leases (api_url, query, pid, "
	                              "host, nonce, started_at, heartbeat_at) VALUES "
	                              "(?, ?, ?, ?, ?, ?, ?)",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, l->api_url);
	store_bind_text(st, 2, l->query);
	sqlite3_bind_int64(st, 3, l->pid);
	store_bind_text(st, 4, l->host);
	sqlite3_bind_int64(st, 5, l->nonce);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)l->started);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)l->beat);
	return store_step_done(s, st, err);
}

int fetch_lease_take(struct store *s, const char *api_url, const char *query,
                     struct fetch_lease *lease, struct fetch_lease *other, struct error *err)
{
	if (!lease->api_url) {
		lease->api_url = xstrdup(api_url);
		lease->query = xstrdup(query);
		lease->pid = (long)getpid();
		fetch_lease_hostname(lease->host, sizeof(lease->host));
		lease->nonce = random_nonce();
	}
	if (store_begin(s, err))
		return -1;
	int found = 0;
	time_t now = time(NULL);
	memset(other, 0, sizeof(*other));
	if (read_holder(s, api_url, query, &found, other, err)) {
		store_rollback(s);
		return -1;
	}
	if (found && other->nonce != lease->nonce && !holder_is_gone(other, lease->host, now)) {
		store_rollback(s);
		return 1;
	}
	lease->started = lease->beat = now;
	if (write_lease(s, lease, err) || store_commit(s, err)) {
		store_rollback(s);
		return -1;
	}
	lease->held = 1;
	return 0;
}

int fetch_lease_beat(struct store *s, struct fetch_lease *lease, struct error *err)
{
	time_t now = time(NULL);
	if (!s || !lease->held || now - lease->beat < FETCH_LEASE_BEAT ||
	    !sqlite3_get_autocommit(s->db))
		return 0;
	sqlite3_stmt *st = store_stmt(s,
	                              "UPDATE fetch_leases SET heartbeat_at = ? WHERE api_url = ? "
	                              "AND query = ? AND nonce = ?",
	                              err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	store_bind_text(st, 2, lease->api_url);
	store_bind_text(st, 3, lease->query);
	sqlite3_bind_int64(st, 4, lease->nonce);
	if (store_step_done(s, st, err))
		return -1;
	lease->beat = now;
	return 0;
}

void fetch_lease_release(struct store *s, struct fetch_lease *lease)
{
	if (s && lease->held && sqlite3_get_autocommit(s->db)) {
		struct error err;
		sqlite3_stmt *st = store_stmt(s,
		                              "DELETE FROM fetch_leases WHERE api_url = ? AND "
		                              "query = ? AND nonce = ?",
		                              &err);
		if (st) {
			store_bind_text(st, 1, lease->api_url);
			store_bind_text(st, 2, lease->query);
			sqlite3_bind_int64(st, 3, lease->nonce);
			store_step_done(s, st, &err);
		}
	}
	free(lease->api_url);
	free(lease->query);
	memset(lease, 0, sizeof(*lease));
}
