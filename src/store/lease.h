/*
 * lease.h - one run at a time of a job kept in the database.
 *
 * A lease is a row of a table (fetch_leases for a fetch of one search,
 * rater_leases for a "code --with" run of one rater on one sample), keyed
 * by two columns, saying who holds it: pid, host, a random nonce, and when
 * it last proved alive (heartbeat_at, epoch seconds on the real clock,
 * never ISSUEMINE_NOW). It is taken in a BEGIN IMMEDIATE transaction, so
 * two runs starting at once cannot both take it. A lease is free when there
 * is no row, when its holder is on this host and its pid is gone (kill -9,
 * a crash), or when its heartbeat is older than LEASE_STALE (a holder on
 * another machine, or a pid reused).
 *
 * Every lease table has the columns of the two keys, then pid, host, nonce,
 * started_at and heartbeat_at.
 */
#ifndef ISSUEMINE_LEASE_H
#define ISSUEMINE_LEASE_H

#include <stdint.h>
#include <time.h>

#include "store.h"

#define LEASE_BEAT     10  /* seconds between heartbeats of a lease */
#define LEASE_STALE    300 /* a lease not renewed for this long is abandoned */
#define LEASE_HOST_MAX 256

/*
 * Where the leases of one kind of job live: the statements on its table
 * (static text: the store caches statements by it), each taking the two
 * keys as its first parameters (after heartbeat_at in beat):
 *   select: SELECT pid, host, nonce, started_at, heartbeat_at WHERE keys
 *   write:  INSERT OR REPLACE (keys, pid, host, nonce, started_at, heartbeat_at)
 *   beat:   UPDATE SET heartbeat_at = ? WHERE keys AND nonce = ?
 *   remove: DELETE WHERE keys AND nonce = ?
 */
struct lease_table {
	const char *select, *write, *beat, *remove;
};

struct lease {
	const struct lease_table *table; /* set by lease_take */
	char *key[2];
	long pid;
	char host[LEASE_HOST_MAX];
	int64_t nonce;
	time_t started, beat;
	int held;
};

/*
 * Takes the lease of (key0, key1) in table t in one transaction (lease is
 * zeroed by the caller before the first try). Returns 0 when taken (over a
 * free, abandoned or dead run's), 1 when another live run holds it (*other
 * describes it), -1 on a database error.
 */
int lease_take(struct store *s, const struct lease_table *t, const char *key0, const char *key1,
               struct lease *lease, struct lease *other, struct error *err);

/* Renews the heartbeat if LEASE_BEAT seconds passed (outside transactions only). */
int lease_beat(struct store *s, struct lease *lease, struct error *err);

/* Gives the lease back (best effort) and frees what lease holds. */
void lease_release(struct store *s, struct lease *lease);

/* This machine's name, as leases record it. */
void lease_hostname(char *out, size_t size);

#endif
