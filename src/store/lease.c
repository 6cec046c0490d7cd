/*
 * lease.c - one run at a time of a job kept in the database (see lease.h).
 */
#include "lease.h"
#include "xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

void lease_hostname(char *out, size_t size)
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
static int holder_is_gone(const struct lease *other, const char *host, time_t now)
{
	if (now - other->beat > LEASE_STALE)
		return 1;
	if (strcmp(other->host, host))
		return 0; /* another machine: only its heartbeat can tell */
	if (other->pid <= 0)
		return 1;
	return kill((pid_t)other->pid, 0) != 0 && errno == ESRCH;
}

static void bind_keys(sqlite3_stmt *st, int first, const struct lease *l)
{
	store_bind_text(st, first, l->key[0]);
	store_bind_text(st, first + 1, l->key[1]);
}

static int read_holder(struct store *s, const struct lease *l, int *found, struct lease *other,
                       struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, l->table->select, err);
	if (!st)
		return -1;
	bind_keys(st, 1, l);
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

static int write_lease(struct store *s, const struct lease *l, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, l->table->write, err);
	if (!st)
		return -1;
	bind_keys(st, 1, l);
	sqlite3_bind_int64(st, 3, l->pid);
	store_bind_text(st, 4, l->host);
	sqlite3_bind_int64(st, 5, l->nonce);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)l->started);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)l->beat);
	return store_step_done(s, st, err);
}

/* The first try fills in who this run is; later tries (waiting for a lease) keep it. */
static void lease_init(struct lease *l, const struct lease_table *t, const char *key0,
                       const char *key1)
{
	if (l->table)
		return;
	l->table = t;
	l->key[0] = xstrdup(key0);
	l->key[1] = xstrdup(key1);
	l->pid = (long)getpid();
	lease_hostname(l->host, sizeof(l->host));
	l->nonce = random_nonce();
}

int lease_take(struct store *s, const struct lease_table *t, const char *key0, const char *key1,
               struct lease *lease, struct lease *other, struct error *err)
{
	lease_init(lease, t, key0, key1);
	if (store_begin(s, err))
		return -1;
	int found = 0;
	time_t now = time(NULL);
	memset(other, 0, sizeof(*other));
	if (read_holder(s, lease, &found, other, err)) {
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

int lease_beat(struct store *s, struct lease *lease, struct error *err)
{
	time_t now = time(NULL);
	if (!s || !lease->held || now - lease->beat < LEASE_BEAT || !sqlite3_get_autocommit(s->db))
		return 0;
	sqlite3_stmt *st = store_stmt(s, lease->table->beat, err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	bind_keys(st, 2, lease);
	sqlite3_bind_int64(st, 4, lease->nonce);
	if (store_step_done(s, st, err))
		return -1;
	lease->beat = now;
	return 0;
}

void lease_release(struct store *s, struct lease *lease)
{
	if (s && lease->held && sqlite3_get_autocommit(s->db)) {
		struct error err;
		sqlite3_stmt *st = store_stmt(s, lease->table->remove, &err);
		if (st) {
			bind_keys(st, 1, lease);
			sqlite3_bind_int64(st, 3, lease->nonce);
			store_step_done(s, st, &err);
		}
	}
	free(lease->key[0]);
	free(lease->key[1]);
	memset(lease, 0, sizeof(*lease));
}
