/*
 * fetch_lease.c - one run of a search at a time (see fetch.h and lease.h).
 *
 * A lease is a row of fetch_leases for (api_url, query); lease.c takes,
 * renews and gives it back.
 */
#include "fetch.h"

static const struct lease_table fetch_leases = {
        .select = "SELECT pid, host, nonce, started_at, heartbeat_at FROM fetch_leases WHERE "
                  "api_url = ? AND query = ?",
        .write = "INSERT OR REPLACE INTO fetch_leases (api_url, query, pid, host, nonce, "
                 "started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        .beat = "UPDATE fetch_leases SET heartbeat_at = ? WHERE api_url = ? AND query = ? AND "
                "nonce = ?",
        .remove = "DELETE FROM fetch_leases WHERE api_url = ? AND query = ? AND nonce = ?",
};

int fetch_lease_take(struct store *s, const char *api_url, const char *query, struct lease *lease,
                     struct lease *other, struct error *err)
{
	return lease_take(s, &fetch_leases, api_url, query, lease, other, err);
}
