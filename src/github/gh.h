/*
 * gh.h - the GitHub REST and GraphQL client: one connection, serial requests,
 * and the rules GitHub asks of API clients.
 *
 * A struct gh_client wraps one libcurl easy handle, so every request reuses
 * one connection and requests are strictly serial (GitHub asks for that per
 * token). gh_get() does one logical GET and hides what GitHub's rules make
 * of it (gh_graphql() does the same for a GraphQL query, see below):
 *
 *  - headers: Accept: application/vnd.github+json, X-GitHub-Api-Version:
 *    2022-11-28, User-Agent: issuemine/VERSION, Authorization: Bearer TOKEN;
 *  - primary rate limit: x-ratelimit-* headers are tracked per resource
 *    ("core", "search", "graphql"); when a resource is exhausted the next request for
 *    it waits until its reset time, on GitHub's clock as its Date header
 *    tells it (a 403/429 with x-ratelimit-remaining: 0 waits the same way
 *    and is repeated);
 *  - secondary rate limit (403/429 with retry-after, or a "secondary rate
 *    limit" message): waits retry-after seconds, else at least 60 s doubling
 *    on every further hit, then repeats the request;
 *  - faults (5xx, timeouts, refused or reset connections, truncated or
 *    non-JSON bodies): the first retry comes at once (after at most a fifth
 *    of a second of jitter), the later ones after exponentially longer
 *    jittered waits, a bounded number of times;
 *  - failing fast: until the first answer from the server, a name that does
 *    not resolve or a connection refused or timed out (5 s) is tried once
 *    more and then fails, so a machine without network knows in seconds;
 *  - anything else (401, 404, 422...) fails at once with a one-line message
 *    quoting GitHub's.
 *
 * Reset times are on GitHub's clock. Each answer's Date header (whole
 * seconds) bounds the offset between GitHub's clock and ours from both
 * sides; the client keeps the intersection of those bounds and waits by the
 * lower one (never early), so a wait ends at most the width of the bounds
 * after the reset. While they are wider than GH_RESET_TOLERANCE, the wait
 * asks GET /rate_limit (free of the primary limit) from the earliest moment
 * the reset can come, every GH_RESET_STEP seconds, and goes as soon as it
 * says the reset came: a wait ends within a step and a round trip of the
 * reset, and the bounds are that narrow for the waits after.
 *
 * Waits call the client's on_wait callback about once a second, so the
 * command can show a countdown, and its idle hook (gh_client_set_idle), so
 * the fetcher can renew its lease. ISSUEMINE_WAIT_SCALE (a test-only setting
 * passed in as wait_scale) multiplies every wait whose length GitHub or the
 * backoff chooses; waits until a reset time are never scaled.
 *
 * The token is kept in a page excluded from core dumps, a process that takes
 * one from the environment is made non-dumpable (libcurl holds copies too),
 * and gh_get() scrubs it from any message it returns: it never reaches the
 * database, the output or an error. Verbose libcurl output is never enabled.
 */
#ifndef ISSUEMINE_GH_H
#define ISSUEMINE_GH_H

#include <jansson.h>
#include <time.h>

#include "error.h"

#define GH_DEFAULT_API_URL       "https://api.github.com"
#define GH_MAX_ATTEMPTS          8 /* tries of one request when faults repeat */
#define GH_FIRST_TRIES           2 /* tries of a request that cannot reach the server before any answer */
#define GH_FIRST_CONNECT_TIMEOUT 5   /* seconds to connect before the first answer (then 30) */
#define GH_MAX_SECONDARY         8   /* secondary-limit hits in a row before giving up */
#define GH_MAX_PRIMARY           12  /* primary-limit waits in a row before giving up */
#define GH_BACKOFF_FIRST         0.2 /* most seconds of jitter before the first retry of a fault */
#define GH_BACKOFF_BASE          0.5 /* seconds before the second retry; doubling after */
#define GH_BACKOFF_CAP           60.0
#define GH_RESET_TOLERANCE       0.15 /* seconds: bounds on GitHub's clock good enough for a reset */
#define GH_RESET_STEP            0.1  /* seconds between GET /rate_limit while they are not */
#define GH_RESET_PROBES          12   /* GET /rate_limit, at most, to find one reset */
#define GH_SECONDARY_MIN         60.0 /* wait after a secondary limit without retry-after */
#define GH_SECONDARY_CAP         900.0
#define GH_MAX_BODY              (64L * 1024 * 1024)

/* --- the token --- */

struct gh_token;

/*
 * The token for github.com from the environment, in the GitHub CLI's order:
 * $GH_TOKEN, else $GITHUB_TOKEN (an empty value counts as unset). The value
 * is copied into memory excluded from core dumps and locked out of swap,
 * and the process is made non-dumpable for the rest of its life (no core
 * file, no ptrace by others). Returns NULL when neither is set. *name (may
 * be NULL) gets the variable used. gh_token_for_host() (gh_auth.c) is the
 * whole rule, hosts other than github.com and the gh CLI included.
 */
struct gh_token *gh_token_from_env(const char **name);

/* A token from a string (tests); the string stays the caller's. */
struct gh_token *gh_token_new(const char *value);

/* A token from a string, with the process protected as gh_token_from_env() does. */
struct gh_token *gh_token_protected(const char *value);

/* Wipes and frees the token (NULL is fine). */
void gh_token_free(struct gh_token *t);

/* --- the client --- */

/* Called during waits: why ("secondary rate limit", ...) and seconds left; why is NULL at the end.
 */
typedef void (*gh_wait_fn)(void *data, const char *why, double seconds_left);

struct gh_options {
	const char *api_url;          /* NULL: GH_DEFAULT_API_URL; a trailing '/' is ignored */
	const struct gh_token *token; /* borrowed, must outlive the client; NULL: unauthenticated */
	double wait_scale;            /* 0 is taken as 1 */
	int max_attempts;             /* 0: GH_MAX_ATTEMPTS */
	gh_wait_fn on_wait;
	void *wait_data;
	const char *token_source; /* where the token came from ("GH_TOKEN"), for messages; may be
	                             NULL */
};

struct gh_rate {
	int known;
	long limit, remaining;
	time_t reset; /* epoch seconds */
};

struct gh_stats {
	long requests;        /* HTTP requests sent, repeats included */
	long not_modified;    /* 304 answers */
	long retries;         /* requests repeated after a fault or a limit */
	double waited;        /* seconds spent waiting (limits and backoff) */
	long graphql_queries; /* of the requests, GraphQL POSTs */
	long points;          /* GraphQL rate-limit points spent, as rateLimit.cost told */
};

struct gh_response {
	long status;    /* 200 or 304; after a failure the HTTP status, or 0 */
	json_t *body;   /* the parsed body of a 200 (owned); NULL otherwise */
	char *etag;     /* the ETag header (owned), or NULL */
	char *next_url; /* Link rel="next" (owned), or NULL on the last page */
	char *last_url; /* Link rel="last" (owned), or NULL */
};

struct gh_client;

/* Creates a client (curl_global_init must have been called). Returns NULL and fills err. */
struct gh_client *gh_client_new(const struct gh_options *opt, struct error *err);
void gh_client_free(struct gh_client *c);

/* Called about once a second while the client waits (a limit, a backoff). */
typedef void (*gh_idle_fn)(void *data);

/* Sets (fn NULL: clears) the hook called during waits, beside on_wait. */
void gh_client_set_idle(struct gh_client *c, gh_idle_fn fn, void *data);

/*
 * GETs url: a path ("/repos/o/r") joined to the API URL, or an absolute URL
 * on the API URL's origin (as Link headers give). etag, when not NULL, is
 * sent as If-None-Match. On success returns 0 with out filled (release it
 * with gh_response_release); a 304 is a success with status 304 and no body.
 * On failure returns -1, out->status holds the last HTTP status (0 for a
 * network failure) and err a one-line message.
 */
int gh_get(struct gh_client *c, const char *url, const char *etag, struct gh_response *out,
           struct error *err);

void gh_response_release(struct gh_response *r);

/*
 * Waits like a fault retry would before try attempt + 1, and counts a retry
 * (for callers that retry themselves, e.g. on incomplete search results).
 */
void gh_backoff_wait(struct gh_client *c, int attempt, const char *why);

const struct gh_stats *gh_client_stats(const struct gh_client *c);

/* The last known primary limit of resource ("core", "search"); known is 0 if never seen. */
struct gh_rate gh_client_rate(const struct gh_client *c, const char *resource);

/* The API URL without a trailing slash (borrowed). */
const char *gh_client_api_url(const struct gh_client *c);

/* --- pieces exposed for tests --- */

/* The URL of rel (e.g. "next") in a Link header value; caller frees; NULL if absent. */
char *gh_link_url(const char *link, const char *rel);

/* The page=N parameter of a URL, or 0. */
long gh_url_page(const char *url);

/* Appends s percent-encoded for a query string (RFC 3986 unreserved characters kept). */
struct strbuf;
void gh_query_escape(struct strbuf *out, const char *s);

/*
 * Seconds before retry number attempt + 1 of a fault, for u in [0, 1]: the
 * first retry after u * GH_BACKOFF_FIRST, retry k + 1 after
 * GH_BACKOFF_BASE * 2^(k-1) (capped) times (0.5 + u/2).
 */
double gh_backoff_seconds(int attempt, double u);

/* Seconds to wait after the hits-th secondary limit in a row without retry-after. */
double gh_secondary_seconds(int hits);

/* Parses a retry-after value (seconds or an HTTP date); returns 0 or -1. */
int gh_parse_retry_after(const char *value, time_t now, double *seconds);

/*
 * Replaces every copy of secret in err's message with "[token]" (the message
 * is cut to fit). gh_get() does this with its token on every failure.
 */
void gh_scrub(struct error *err, const char *secret);

/*
 * The one-line message of an error answer's body, into out: GitHub's
 * "message" and the messages of its "errors" list (else the body itself),
 * control characters as spaces, every copy of secret (when not NULL) as
 * "[token]", then cut to 400 bytes (200 of a body that is not JSON).
 */
void gh_error_message(const struct strbuf *body, const char *secret, struct strbuf *out);

/* What the client keeps of one answer's headers. */
struct gh_headers {
	char *etag, *link, *retry_after, *resource, *content_type;
	int have_remaining, have_reset, have_limit;
	long remaining, limit;
	time_t reset;
	time_t date; /* the Date header: GitHub's clock; 0 when absent */
};

/*
 * Takes one header line of an answer as libcurl hands it over ("Name:
 * value\r\n", len bytes, not NUL-terminated); a status line ("HTTP/...")
 * begins a new answer (after a redirect) and clears h.
 */
void gh_headers_take(struct gh_headers *h, const char *line, size_t len);

/* Frees what h holds and empties it. */
void gh_headers_clear(struct gh_headers *h);

/* Replaces the client's token in text with "[token]" (text from GitHub, before it is shown). */
void gh_client_scrub(const struct gh_client *c, struct strbuf *text);

/* gh_scrub() with the client's token: for a message built outside gh_get(), before it is shown. */
void gh_client_scrub_error(const struct gh_client *c, struct error *err);

/* True if url is on base's origin (scheme, host and port). */
int gh_same_origin(const char *base, const char *url);

/* The rate-limit resource a request for url on api_url counts against: "search", "graphql" or
 * "core". */
const char *gh_resource_of(const char *api_url, const char *url);

/*
 * Narrows [*low, *high], the known bounds of GitHub's clock minus ours, by
 * an answer sent at our time sent, received at received, whose Date header
 * said date (whole seconds, truncated). *known says whether the bounds hold
 * anything yet; bounds that contradict the answer (a clock was set) restart
 * from it.
 */
void gh_skew_narrow(double *low, double *high, int *known, double date, double sent,
                    double received);

/* --- gh_auth.c: hosts and tokens, as the GitHub CLI has them --- */

#define GH_HOST_MAX 256

/*
 * The host of url as a token belongs to it, lower case, into host: "github.com"
 * for api.github.com (and any *.github.com), else the URL's host without
 * port (an IPv6 address without brackets). Returns 0, or -1 if url does not
 * parse (libcurl's URL API) or has no host.
 */
int gh_token_host(const char *url, char *host, size_t size);

/*
 * The API URL of a host, as --hostname and $GH_HOST name it: https://api.github.com
 * for github.com, https://HOST/api/v3 (GitHub Enterprise Server) for others.
 * Caller frees; NULL when host is not a host name (empty, or with '/', '@'...).
 */
char *gh_api_url_for_host(const char *host);

/*
 * The token for host, found as gh finds it: for github.com $GH_TOKEN, then
 * $GITHUB_TOKEN; for any other host $GH_ENTERPRISE_TOKEN, then
 * $GITHUB_ENTERPRISE_TOKEN (a github.com token never goes elsewhere); then
 * the output of `gh auth token --hostname HOST` when the gh CLI ($GH_PATH,
 * else gh on $PATH) is installed and logged in for host (10 s at most).
 * Protected like gh_token_from_env(). NULL when none; source (may be NULL,
 * size bytes) gets where it came from ("GH_TOKEN", "gh auth token").
 */
struct gh_token *gh_token_for_host(const char *host, char *source, size_t size);

/*
 * True when url's parsed host (libcurl's URL API, so user info and odd
 * spellings do not fool it) is this machine: "localhost", 127.0.0.0/8, ::1.
 */
int gh_url_is_loopback(const char *url);

/*
 * The API a command talks to (caller frees): api_url, else hostname's,
 * else $GH_HOST's (as gh_api_url_for_host makes them), else github.com's.
 * NULL when the host is not a host name, *bad naming where it came from
 * ("--hostname" or "GH_HOST").
 */
char *gh_choose_api_url(const char *api_url, const char *hostname, const char **bad);

/*
 * True if url carries a user name or password ("https://user:secret@host"):
 * a URL is stored with a fetch and named in messages, so a secret in it
 * would be too.
 */
int gh_url_has_userinfo(const char *url);

/* Why a command refuses such a URL (it is not repeated: it holds the secret). */
#define GH_USERINFO_REFUSED                                                                        \
	"--api-url holds a user name or password, which would be stored with the fetch and "       \
	"shown in messages; give the token in GH_ENTERPRISE_TOKEN (GH_TOKEN for github.com)"

/* True when url is plain http:// (case-insensitive scheme). */
int gh_url_is_plain_http(const char *url);

/* --- GraphQL --- */

/*
 * The GraphQL endpoint of an API URL: https://api.github.com/graphql, or for
 * GitHub Enterprise's https://HOST/api/v3, https://HOST/api/graphql; any
 * other URL gets /graphql appended. Caller frees.
 */
char *gh_graphql_url(const char *api_url);

/* What a GraphQL answer is (see gh_graphql). */
enum gh_graphql_status {
	GH_GRAPHQL_OK,        /* data, no errors */
	GH_GRAPHQL_PARTIAL,   /* data with errors: what they point at is null or missing */
	GH_GRAPHQL_NOT_FOUND, /* data whose only errors are NOT_FOUND (those parts are null) */
	GH_GRAPHQL_TIMEOUT,   /* GitHub gave up on the query in time: ask for less */
	GH_GRAPHQL_TOO_BIG,   /* MAX_NODE_LIMIT_EXCEEDED, RESOURCE_LIMITS_EXCEEDED: ask for less */
	GH_GRAPHQL_FAILED,    /* anything else: parse or validation errors, 401, faults... */
	GH_GRAPHQL_RATE_LIMITED, /* RATE_LIMITED (gh_graphql waits and asks again) */
	GH_GRAPHQL_SECONDARY,    /* a secondary limit inside a 200 (waited out likewise) */
};

struct gh_graphql_response {
	enum gh_graphql_status status;
	long http_status; /* of the last answer; 0 when none came */
	json_t *body;     /* the whole answer (owned), when it was JSON */
	json_t *data;     /* body's "data" object (borrowed), or NULL */
	json_t *errors;   /* body's "errors" array (borrowed), or NULL */
	long cost;        /* the query's rateLimit.cost, or -1 when it did not ask */
};

/*
 * POSTs {"query": query, "variables": variables} (variables borrowed; NULL is
 * {}) to the GraphQL endpoint of the client's API URL, with the same
 * connection, headers, token, primary and secondary limits, fault retries and
 * scrubbing as gh_get(). A token is required: without one nothing is sent.
 * GraphQL's own rules on top:
 *
 *  - errors inside a 200: RATE_LIMITED waits for the reset (x-ratelimit-reset,
 *    else the last rateLimit.resetAt) and asks again, as does a secondary
 *    limit; the rest is classified into out->status;
 *  - a query GitHub gave up on in time (a 502/504 saying "We couldn't respond
 *    to your request in time", or "This may be the result of a timeout" in
 *    errors) is GH_GRAPHQL_TIMEOUT, and the node limit or other resource limits
 *    GH_GRAPHQL_TOO_BIG: neither is repeated, so the caller can ask for less;
 *  - a query that asks for rateLimit { cost remaining resetAt limit } has
 *    its cost added to the stats' points, and the "graphql" rate (also kept
 *    from x-ratelimit-resource: graphql headers) waited for when exhausted.
 *
 * Returns 0 when the answer carries data: out->status is OK, PARTIAL or
 * NOT_FOUND, and out->errors (with "path"s) says what is missing. Partial data
 * must never be stored as complete. Returns -1 otherwise, with out->status
 * TIMEOUT, TOO_BIG or FAILED and a one-line message in err (out->body may
 * still hold the answer). Release out with gh_graphql_release either way.
 */
int gh_graphql(struct gh_client *c, const char *query, json_t *variables,
               struct gh_graphql_response *out, struct error *err);

void gh_graphql_release(struct gh_graphql_response *r);

/* What a parsed 200 answer of the GraphQL API is (exposed for tests and the fuzzer). */
enum gh_graphql_status gh_graphql_classify(json_t *body);

#endif
