/*
 * gh.c - the GitHub REST and GraphQL client on libcurl (see gh.h).
 *
 * One easy handle per client, so libcurl keeps one connection alive between
 * requests. get() loops over tries: before each, it waits out an exhausted
 * primary limit; after each, classify() decides whether the answer is final
 * (a success, or a failure give_up() words) or what get_once_more() waits
 * for before trying again. gh_get() wraps it and scrubs the token from any
 * failure; GitHub's own text (gh_error_message) is scrubbed before it is
 * cut short, so no part of a token is left at the cut. An answer that is a
 * web page, not JSON, is a wrong --api-url: final at once.
 *
 * gh_graphql() (at the end) POSTs a query on the same handle through
 * graphql_post(), the same loop with GraphQL's rules added: errors inside a
 * 200, RATE_LIMITED, timeouts and the node limit.
 */
#include "gh.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* --- the token --- */

struct gh_token {
	char *value;
	size_t len;
	size_t map_len; /* 0 when value came from malloc */
};

/* Overwrites memory in a way the compiler may not drop. */
static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

struct gh_token *gh_token_new(const char *value)
{
	struct gh_token *t = xcalloc(1, sizeof(*t));
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	t->len = strlen(value);
	t->map_len = (t->len / page + 1) * page;
	void *p =
	        mmap(NULL, t->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		t->map_len = 0;
		p = xmalloc(t->len + 1);
	} else {
#ifdef MADV_DONTDUMP
		madvise(p, t->map_len, MADV_DONTDUMP);
#endif
		mlock(p, t->map_len); /* best effort: keep it out of swap */
	}
	t->value = p;
	memcpy(t->value, value, t->len + 1);
	return t;
}

void gh_token_free(struct gh_token *t)
{
	if (!t)
		return;
	wipe(t->value, t->len);
	if (t->map_len) {
		munlock(t->value, t->map_len);
		munmap(t->value, t->map_len);
	} else {
		free(t->value);
	}
	free(t);
}

/* No core dump may carry the token: libcurl keeps copies of it on its heap. */
static void protect_process(void)
{
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

struct gh_token *gh_token_from_env(const char **name)
{
	static const char *const names[] = {"GH_TOKEN", "GITHUB_TOKEN"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = getenv(names[i]);
		if (!v || !*v)
			continue;
		if (name)
			*name = names[i];
		return gh_token_protected(v);
	}
	return NULL;
}

struct gh_token *gh_token_protected(const char *value)
{
	protect_process();
	return gh_token_new(value);
}

/* --- pure helpers --- */

/* True if the parameters [p, end) of one Link entry have rel among their relations. */
static int link_params_have_rel(const char *p, const char *end, const char *rel)
{
	size_t rel_len = strlen(rel);
	for (; p < end; p++) {
		if (strncasecmp(p, "rel=", 4))
			continue;
		p += 4;
		if (*p == '"')
			p++;
		/* rel may list several space-separated relations */
		while (p < end && *p != '"' && *p != ';') {
			while (*p == ' ')
				p++;
			const char *w = p;
			while (p < end && *p != ' ' && *p != '"' && *p != ';')
				p++;
			if ((size_t)(p - w) == rel_len && !strncasecmp(w, rel, rel_len))
				return 1;
		}
		return 0;
	}
	return 0;
}

char *gh_link_url(const char *link, const char *rel)
{
	/* A Link value is a comma-separated list of <url>; param=value; ... */
	for (const char *p = link; p && *p;) {
		const char *lt = strchr(p, '<');
		const char *gt = lt ? strchr(lt, '>') : NULL;
		if (!gt)
			return NULL;
		const char *end = strchr(gt, ','); /* URLs may hold commas, parameters do not */
		if (link_params_have_rel(gt + 1, end ? end : gt + strlen(gt), rel))
			return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

long gh_url_page(const char *url)
{
	const char *q = url ? strchr(url, '?') : NULL;
	while (q) {
		q++;
		if (!strncmp(q, "page=", 5))
			return strtol(q + 5, NULL, 10);
		q = strchr(q, '&');
	}
	return 0;
}

void gh_query_escape(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			strbuf_addch(out, *p);
		} else {
			strbuf_addch(out, '%');
			strbuf_addch(out, hex[*p >> 4]);
			strbuf_addch(out, hex[*p & 15]);
		}
	}
}

double gh_backoff_seconds(int attempt, double u)
{
	if (u < 0)
		u = 0;
	if (u > 1)
		u = 1;
	/* Most faults are one-offs: the first retry comes at once, with a little jitter. */
	if (attempt <= 0)
		return GH_BACKOFF_FIRST * u;
	double d = GH_BACKOFF_BASE * pow(2.0, attempt - 1);
	if (d > GH_BACKOFF_CAP)
		d = GH_BACKOFF_CAP;
	return d * (0.5 + u / 2); /* jitter keeps clients from retrying in step */
}

double gh_secondary_seconds(int hits)
{
	double d = GH_SECONDARY_MIN * pow(2.0, hits > 1 ? hits - 1 : 0);
	return d > GH_SECONDARY_CAP ? GH_SECONDARY_CAP : d;
}

int gh_parse_retry_after(const char *value, time_t now, double *seconds)
{
	if (!value)
		return -1;
	while (*value == ' ')
		value++;
	char *end;
	errno = 0;
	long n = strtol(value, &end, 10);
	if (end != value && !errno) {
		while (*end == ' ')
			end++;
		if (*end || n < 0)
			return -1;
		*seconds = (double)n;
		return 0;
	}
	time_t when = curl_getdate(value, NULL); /* an HTTP date */
	if (when < 0)
		return -1;
	*seconds = when > now ? (double)(when - now) : 0;
	return 0;
}

/* Length of the "scheme://host[:port]" prefix of url, or 0. */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return 0;
	p += 3;
	p += strcspn(p, "/?#");
	return (size_t)(p - url);
}

int gh_same_origin(const char *base, const char *url)
{
	size_t n = origin_len(base);
	return n && n == origin_len(url) && !strncasecmp(base, url, n);
}

const char *gh_resource_of(const char *api_url, const char *url)
{
	size_t n = strlen(api_url);
	const char *path = !strncmp(url, api_url, n) ? url + n : url + origin_len(url);
	if (!strcmp(path, "/graphql") || !strcmp(path, "/api/graphql"))
		return "graphql";
	return !strncmp(path, "/search/", 8) ? "search" : "core";
}

void gh_skew_narrow(double *low, double *high, int *known, double date, double sent,
                    double received)
{
	/*
	 * GitHub wrote date = floor(its time) at some moment between sent and
	 * received: date - received <= offset < date + 1 - sent.
	 */
	double lo = date - received, hi = date + 1 - sent;
	if (!*known || lo > *high || hi < *low) {
		*low = lo;
		*high = hi;
		*known = 1;
		return;
	}
	if (lo > *low)
		*low = lo;
	if (hi < *high)
		*high = hi;
}

/* --- the client --- */

struct rate_entry {
	char name[32];
	struct gh_rate rate;
};

struct gh_client {
	CURL *curl;
	char *api_url;
	const struct gh_token *token;
	double scale;
	int max_attempts;
	gh_wait_fn on_wait;
	void *wait_data;
	const char *token_source;
	gh_idle_fn idle;
	void *idle_data;
	struct gh_stats stats;
	struct rate_entry rates[8];
	int nrates;
	double skew_low, skew_high; /* bounds of GitHub's clock minus ours, from Date headers */
	int have_skew;              /* a Date header was seen */
	int answered;               /* the server has answered at least once */
	double sent_at;             /* our clock when the request in flight was sent */
	uint64_t rng;
	char errbuf[CURL_ERROR_SIZE];
	struct strbuf body;
	int body_too_big;
	struct gh_headers hdr;
	const struct strbuf *post; /* the body of the POST being sent; NULL for a GET */
};

void gh_headers_clear(struct gh_headers *h)
{
	free(h->etag);
	free(h->link);
	free(h->retry_after);
	free(h->resource);
	free(h->content_type);
	memset(h, 0, sizeof(*h));
}

static double random_unit(struct gh_client *c)
{
	/* xorshift64*: jitter needs no more than this */
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int header_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !strncasecmp(name, want, len);
}

static void keep_header(struct gh_headers *h, const char *name, size_t nlen, const char *value)
{
	if (header_is(name, nlen, "etag")) {
		free(h->etag);
		h->etag = xstrdup(value);
	} else if (header_is(name, nlen, "link")) {
		free(h->link);
		h->link = xstrdup(value);
	} else if (header_is(name, nlen, "retry-after")) {
		free(h->retry_after);
		h->retry_after = xstrdup(value);
	} else if (header_is(name, nlen, "content-type")) {
		free(h->content_type);
		h->content_type = xstrdup(value);
	} else if (header_is(name, nlen, "x-ratelimit-resource")) {
		free(h->resource);
		h->resource = xstrdup(value);
	} else if (header_is(name, nlen, "x-ratelimit-remaining")) {
		h->remaining = strtol(value, NULL, 10);
		h->have_remaining = 1;
	} else if (header_is(name, nlen, "x-ratelimit-limit")) {
		h->limit = strtol(value, NULL, 10);
		h->have_limit = 1;
	} else if (header_is(name, nlen, "x-ratelimit-reset")) {
		h->reset = (time_t)strtoll(value, NULL, 10);
		h->have_reset = 1;
	} else if (header_is(name, nlen, "date")) {
		time_t t = curl_getdate(value, NULL);
		h->date = t > 0 ? t : 0;
	}
}

void gh_headers_take(struct gh_headers *h, const char *line, size_t len)
{
	if (len >= 5 && !strncmp(line, "HTTP/", 5)) {
		gh_headers_clear(h); /* a new response: a redirect's headers do not count */
		return;
	}
	const char *nul = memchr(line, '\0', len); /* a C string ends there: so does the line */
	if (nul)
		len = (size_t)(nul - line);
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return;
	const char *v = colon + 1, *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	char *value = xstrndup(v, (size_t)(end - v));
	keep_header(h, line, (size_t)(colon - line), value);
	free(value);
}

static size_t on_header(char *buf, size_t size, size_t nmemb, void *data)
{
	struct gh_client *c = data;
	gh_headers_take(&c->hdr, buf, size * nmemb);
	return size * nmemb;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *data)
{
	struct gh_client *c = data;
	size_t len = size * nmemb;
	if (c->body.len + len > (size_t)GH_MAX_BODY) {
		c->body_too_big = 1;
		return 0;
	}
	strbuf_add(&c->body, buf, len);
	return len;
}

static int setup_handle(struct gh_client *c, struct error *err)
{
	CURL *h = c->curl;
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "issuemine/" ISSUEMINE_VERSION);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L); /* renamed repositories answer 301 */
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)GH_FIRST_CONNECT_TIMEOUT);
	/* A stalled transfer is a fault to retry, however long the body. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	if (c->token) {
		/* curl sends a lone Bearer method at once, and never to another host */
		if (curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER) != CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, c->token->value) != CURLE_OK)
			return error_set(err, "this libcurl cannot send Bearer tokens");
	}
	return 0;
}

struct gh_client *gh_client_new(const struct gh_options *opt, struct error *err)
{
	struct gh_client *c = xcalloc(1, sizeof(*c));
	const char *url = opt->api_url ? opt->api_url : GH_DEFAULT_API_URL;
	size_t len = strlen(url);
	while (len && url[len - 1] == '/')
		len--;
	c->api_url = xstrndup(url, len);
	c->token = opt->token;
	c->token_source = opt->token_source;
	c->scale = opt->wait_scale > 0 ? opt->wait_scale : 1.0;
	c->max_attempts = opt->max_attempts > 0 ? opt->max_attempts : GH_MAX_ATTEMPTS;
	c->on_wait = opt->on_wait;
	c->wait_data = opt->wait_data;
	c->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)c;
	if (!c->rng)
		c->rng = 88172645463325252ULL;
	strbuf_init(&c->body, 0);
	if (strncmp(c->api_url, "http://", 7) && strncmp(c->api_url, "https://", 8)) {
		error_set(err, "%s: not an http:// or https:// URL", c->api_url);
		gh_client_free(c);
		return NULL;
	}
	c->curl = curl_easy_init();
	if (!c->curl) {
		error_set(err, "cannot start libcurl");
		gh_client_free(c);
		return NULL;
	}
	if (setup_handle(c, err)) {
		gh_client_free(c);
		return NULL;
	}
	return c;
}

void gh_client_free(struct gh_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	gh_headers_clear(&c->hdr);
	strbuf_release(&c->body);
	free(c->api_url);
	free(c);
}

void gh_client_set_idle(struct gh_client *c, gh_idle_fn fn, void *data)
{
	c->idle = fn;
	c->idle_data = data;
}

const struct gh_stats *gh_client_stats(const struct gh_client *c)
{
	return &c->stats;
}

const char *gh_client_api_url(const struct gh_client *c)
{
	return c->api_url;
}

static struct gh_rate *rate_slot(struct gh_client *c, const char *resource, int create)
{
	for (int i = 0; i < c->nrates; i++)
		if (!strcmp(c->rates[i].name, resource))
			return &c->rates[i].rate;
	if (!create || c->nrates == (int)(sizeof(c->rates) / sizeof(c->rates[0])))
		return NULL;
	struct rate_entry *e = &c->rates[c->nrates++];
	snprintf(e->name, sizeof(e->name), "%s", resource);
	memset(&e->rate, 0, sizeof(e->rate));
	return &e->rate;
}

struct gh_rate gh_client_rate(const struct gh_client *c, const char *resource)
{
	struct gh_rate none = {0};
	for (int i = 0; i < c->nrates; i++)
		if (!strcmp(c->rates[i].name, resource))
			return c->rates[i].rate;
	return none;
}

/* Now on the real clock, with its fraction (never ISSUEMINE_NOW). */
static double real_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Now on GitHub's clock, which reset times count on, by the lower bound of
 * the offset: never ahead of GitHub, so waits err on the long side, by at
 * most the width of the bounds.
 */
static double github_now(const struct gh_client *c)
{
	return real_now() + (c->have_skew ? c->skew_low : 0);
}

/* Notes the rate limit an answer tells of, and how far our clock is from GitHub's. */
static void note_rate(struct gh_client *c, const char *url)
{
	struct gh_headers *h = &c->hdr;
	if (h->date)
		gh_skew_narrow(&c->skew_low, &c->skew_high, &c->have_skew, (double)h->date,
		               c->sent_at, real_now());
	if (!h->have_remaining || !h->have_reset)
		return;
	struct gh_rate *r =
	        rate_slot(c, h->resource ? h->resource : gh_resource_of(c->api_url, url), 1);
	if (!r)
		return;
	r->known = 1;
	r->remaining = h->remaining;
	r->reset = h->reset;
	r->limit = h->have_limit ? h->limit : r->limit;
}

/* Sleeps seconds (already scaled), reporting the countdown once a second. */
static void pause_for(struct gh_client *c, double seconds, const char *why)
{
	if (seconds <= 0)
		return;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		double done = (double)(now.tv_sec - start.tv_sec) +
		              (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		double left = seconds - done;
		if (left <= 0)
			break;
		if (c->on_wait)
			c->on_wait(c->wait_data, why, left);
		if (c->idle)
			c->idle(c->idle_data);
		double step = left < 1.0 ? left : 1.0;
		struct timespec ts = {(time_t)step, (long)((step - (double)(time_t)step) * 1e9)};
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	if (c->on_wait)
		c->on_wait(c->wait_data, NULL, 0);
	c->stats.waited += seconds;
}

static void backoff(struct gh_client *c, int attempt, const char *why)
{
	pause_for(c, gh_backoff_seconds(attempt, random_unit(c)) * c->scale, why);
}

void gh_backoff_wait(struct gh_client *c, int attempt, const char *why)
{
	backoff(c, attempt, why);
	c->stats.retries++;
}

static CURLcode perform(struct gh_client *c, const char *url, const char *etag, long *status);

/*
 * GET /rate_limit, which costs nothing against the primary limit: whether
 * resource has been reset (1) since the window that ended at reset, or not
 * yet, or no telling (0). A new window has a later reset; points left in the
 * old one do not count (a GraphQL query costing more than is left is
 * refused as RATE_LIMITED while some remain). Its Date header narrows the
 * bounds of GitHub's clock like any answer's.
 */
static int probe_reset(struct gh_client *c, const char *resource, time_t waited)
{
	char *url = xstrfmt("%s/rate_limit", c->api_url);
	long status;
	const struct strbuf *post = c->post; /* a GraphQL query may be waiting: this is a GET */
	c->post = NULL;
	CURLcode rc = perform(c, url, NULL, &status);
	c->post = post;
	if (rc == CURLE_OK)
		note_rate(c, url);
	free(url);
	if (rc != CURLE_OK || status != 200)
		return 0;
	json_t *body = json_loadb(c->body.buf, c->body.len, 0, NULL);
	json_t *r = json_object_get(json_object_get(body, "resources"), resource);
	json_t *left = json_object_get(r, "remaining");
	json_t *next = json_object_get(r, "reset");
	int reset = json_is_integer(next) ? json_integer_value(next) > (json_int_t)waited
	                                  : json_is_integer(left) && json_integer_value(left) > 0;
	json_decref(body);
	return reset;
}

/*
 * While the bounds of GitHub's clock are wider than GH_RESET_TOLERANCE, a
 * wait for a reset would end up to their width late. So from the earliest
 * moment the reset can come by the bounds, GitHub is asked, for free, every
 * GH_RESET_STEP seconds until it says the reset came (each "not yet" moves
 * the earliest moment on, and once the reset is seen the bounds are about a
 * step wide). Returns 1 when an answer said so.
 */
static int probe_until_reset(struct gh_client *c, const char *resource, time_t reset,
                             const char *why)
{
	double last = 0;
	for (int i = 0; i < GH_RESET_PROBES; i++) {
		if (!c->have_skew || !c->answered ||
		    c->skew_high - c->skew_low <= GH_RESET_TOLERANCE)
			return 0;
		double at = (double)reset - c->skew_high;
		if (i && at < last + GH_RESET_STEP)
			at = last + GH_RESET_STEP;
		if (at > (double)reset - c->skew_low || at - real_now() > 3660)
			return 0; /* past the latest moment: the bounds alone will do */
		pause_for(c, at - real_now(), why);
		last = real_now();
		if (probe_reset(c, resource, reset))
			return 1;
	}
	return 0;
}

/*
 * Waits until resource's reset time on GitHub's clock (and a second more if
 * no Date header told it); GitHub's clock counts, so this is never scaled.
 */
static void wait_until_reset(struct gh_client *c, const char *resource_name, time_t reset)
{
	char resource[32], why[96];
	snprintf(resource, sizeof(resource), "%s", resource_name); /* the probes reuse headers */
	snprintf(why, sizeof(why), "rate limit (%s) exhausted", resource);
	if (probe_until_reset(c, resource, reset, why)) {
		struct gh_rate *r = rate_slot(c, resource, 0);
		if (r)
			r->known = 0;
		return;
	}
	double seconds = (double)reset - github_now(c);
	seconds = seconds > 0 ? seconds + (c->have_skew ? 0 : 1) : 1;
	if (seconds > 3660)
		seconds = 3660; /* a primary window is an hour; a later reset is a bad clock */
	pause_for(c, seconds, why);
	struct gh_rate *r = rate_slot(c, resource, 0);
	if (r)
		r->known = 0; /* the next answer tells the new budget */
}

/* Before a request: if its resource is known to be spent, waits for the reset. */
static void wait_for_rate(struct gh_client *c, const char *url)
{
	const char *resource = gh_resource_of(c->api_url, url);
	struct gh_rate *r = rate_slot(c, resource, 0);
	if (!r || !r->known || r->remaining > 0)
		return;
	if ((double)r->reset > github_now(c))
		wait_until_reset(c, resource, r->reset);
	else
		r->known = 0;
}

/* --- one request --- */

static CURLcode perform(struct gh_client *c, const char *url, const char *etag, long *status)
{
	strbuf_reset(&c->body);
	c->body_too_big = 0;
	c->errbuf[0] = '\0';
	gh_headers_clear(&c->hdr);
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: application/vnd.github+json");
	h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
	if (etag) {
		char *line = xstrfmt("If-None-Match: %s", etag);
		h = curl_slist_append(h, line);
		free(line);
	}
	if (c->post) {
		h = curl_slist_append(h, "Content-Type: application/json");
		h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	if (c->post) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, c->post->buf);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)c->post->len);
	} else {
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	c->sent_at = real_now();
	CURLcode rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	*status = 0;
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	c->stats.requests++;
	if (*status && !c->answered) {
		c->answered = 1; /* the server is there: from now on, give faults time */
		curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 30L);
	}
	return rc;
}

/* Failures to reach the server at all: before its first answer, they end the try soon. */
static int curl_code_unreachable(CURLcode rc)
{
	return rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
	       rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT;
}

static int curl_code_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return 1;
	default:
		return 0;
	}
}

static const char *reason_phrase(long status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 410:
		return "Gone";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "";
	}
}

/* Replaces every copy of secret in text with "[token]". */
static void scrub_text(struct strbuf *text, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	if (!n || !text->len || !strstr(text->buf, secret))
		return;
	/* Rebuilt rather than patched in place: the mark may be longer than the secret. */
	struct strbuf out = STRBUF_INIT;
	const char *p = text->buf, *hit;
	while ((hit = strstr(p, secret))) {
		strbuf_add(&out, p, (size_t)(hit - p));
		strbuf_adds(&out, "[token]");
		p = hit + n;
	}
	strbuf_adds(&out, p);
	struct strbuf old = *text;
	*text = out;
	strbuf_release(&old);
}

void gh_client_scrub(const struct gh_client *c, struct strbuf *text)
{
	if (c->token)
		scrub_text(text, c->token->value);
}

void gh_client_scrub_error(const struct gh_client *c, struct error *err)
{
	if (c && c->token)
		gh_scrub(err, c->token->value);
}

void gh_error_message(const struct strbuf *body, const char *secret, struct strbuf *out)
{
	json_t *j = json_loadb(body->buf, body->len, 0, NULL);
	const char *msg = json_string_value(json_object_get(j, "message"));
	if (msg)
		strbuf_adds(out, msg);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(j, "errors"), i, e)
	{
		const char *m = json_string_value(json_object_get(e, "message"));
		if (!m)
			m = json_string_value(e);
		if (m)
			strbuf_addf(out, "%s%s", out->len ? ": " : "", m);
	}
	int is_object = json_is_object(j);
	json_decref(j);
	if (!out->len && body->len)
		strbuf_add(out, body->buf, body->len);
	/* One line, and no NUL to hide a token from the scrub: then the scrub, then the cut. */
	for (size_t k = 0; k < out->len; k++)
		if ((unsigned char)out->buf[k] < 32 || out->buf[k] == 127)
			out->buf[k] = ' ';
	scrub_text(out, secret);
	size_t max = is_object ? 400 : 200;
	if (out->len > max) {
		strbuf_setlen(out, max);
		strbuf_adds(out, "...");
	}
}

/* gh_error_message() with the client's token. */
static void github_message(const struct gh_client *c, const struct strbuf *body, struct strbuf *out)
{
	gh_error_message(body, c->token ? c->token->value : NULL, out);
}

static int mentions_secondary_limit(const struct gh_client *c, const struct strbuf *body)
{
	struct strbuf msg = STRBUF_INIT;
	github_message(c, body, &msg);
	for (char *p = msg.buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	int yes = strstr(msg.buf, "secondary rate limit") || strstr(msg.buf, "abuse");
	strbuf_release(&msg);
	return yes;
}

static int fail_http(struct gh_client *c, long status, struct error *err)
{
	struct strbuf msg = STRBUF_INIT;
	github_message(c, &c->body, &msg);
	char hint[96] = "";
	if (status == 401 && c->token)
		snprintf(hint, sizeof(hint), " (check the token%s%s)",
		         c->token_source ? " from " : "", c->token_source ? c->token_source : "");
	else if (status == 401)
		snprintf(hint, sizeof(hint),
		         " (this API wants a token: see 'issuemine fetch --help')");
	if (msg.len)
		error_set(err, "GitHub answered %ld %s: \"%s\"%s", status, reason_phrase(status),
		          msg.buf, hint);
	else
		error_set(err, "GitHub answered %ld %s%s", status, reason_phrase(status), hint);
	strbuf_release(&msg);
	return -1;
}

void gh_scrub(struct error *err, const char *secret)
{
	if (!err || !secret || !*secret || !strstr(err->msg, secret))
		return;
	struct strbuf text = STRBUF_INIT;
	strbuf_adds(&text, err->msg);
	scrub_text(&text, secret);
	snprintf(err->msg, sizeof(err->msg), "%s", text.buf);
	strbuf_release(&text);
}

enum verdict {
	V_DONE,      /* a 200 with JSON, or a 304 */
	V_FAULT,     /* retry after a backoff */
	V_SECONDARY, /* a secondary limit: wait, then retry */
	V_PRIMARY,   /* the primary limit: wait until reset, then retry */
	V_FAIL,      /* final failure */
	V_NOT_API,   /* a web page, not GitHub's API: final */
};

/*
 * True if an answer is a web page rather than an API's (an HTML 404 or 200
 * from a wrong --api-url). GitHub's own 5xx pages are HTML too: those stay
 * faults to retry.
 */
static int not_api(const struct gh_client *c, long status)
{
	const char *type = c->hdr.content_type;
	if (status >= 500 || status == 304 || !type)
		return 0;
	/* application/json, application/vnd.github+json, ...: any case */
	for (const char *p = type; *p; p++)
		if (!strncasecmp(p, "json", 4))
			return 0;
	return 1;
}

static enum verdict classify(struct gh_client *c, CURLcode rc, long status, json_t **body,
                             struct strbuf *why)
{
	if (rc != CURLE_OK) {
		if (c->body_too_big) {
			strbuf_addf(why, "response larger than %ld MB", GH_MAX_BODY >> 20);
			return V_FAIL;
		}
		strbuf_addf(why, "%s", c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
		return curl_code_retryable(rc) ? V_FAULT : V_FAIL;
	}
	if (not_api(c, status)) {
		const char *type = c->hdr.content_type;
		strbuf_addf(why, "it answered %ld%s%s with a %.*s page, not GitHub's JSON", status,
		            *reason_phrase(status) ? " " : "", reason_phrase(status),
		            (int)strcspn(type, "; "), type);
		return V_NOT_API;
	}
	if (status == 304)
		return V_DONE;
	if (status == 200) {
		*body = json_loadb(c->body.buf, c->body.len, 0, NULL);
		if (*body)
			return V_DONE;
		strbuf_addf(why, "truncated or non-JSON body (%zu bytes)", c->body.len);
		return V_FAULT;
	}
	if (status >= 500 && status <= 599) {
		strbuf_addf(why, "GitHub answered %ld %s", status, reason_phrase(status));
		return V_FAULT;
	}
	if (status == 403 || status == 429) {
		if (c->hdr.retry_after)
			return V_SECONDARY;
		if (c->hdr.have_remaining && c->hdr.remaining == 0 && c->hdr.have_reset)
			return V_PRIMARY;
		if (status == 429 || mentions_secondary_limit(c, &c->body))
			return V_SECONDARY;
	}
	return V_FAIL;
}

static void fill_response(struct gh_client *c, long status, json_t *body, struct gh_response *out)
{
	out->status = status;
	out->body = body;
	out->etag = c->hdr.etag ? xstrdup(c->hdr.etag) : NULL;
	out->next_url = c->hdr.link ? gh_link_url(c->hdr.link, "next") : NULL;
	out->last_url = c->hdr.link ? gh_link_url(c->hdr.link, "last") : NULL;
}

static char *absolute_url(struct gh_client *c, const char *url, struct error *err)
{
	if (url[0] == '/')
		return xstrfmt("%s%s", c->api_url, url);
	/* Only the API's own host may see the token. */
	if (!gh_same_origin(c->api_url, url)) {
		error_set(err, "%s: not on %s", url, c->api_url);
		return NULL;
	}
	return xstrdup(url);
}

/* What to wait after a secondary limit: retry-after if given, else 60 s doubling per hit. */
static double secondary_wait(struct gh_client *c, int hits)
{
	double seconds;
	if (gh_parse_retry_after(c->hdr.retry_after, (time_t)github_now(c), &seconds))
		seconds = gh_secondary_seconds(hits);
	return seconds * c->scale;
}

static int get_once_more(struct gh_client *c, enum verdict v, CURLcode cc, int *faults,
                         int *secondary, int *primary, const char *url, const struct strbuf *why)
{
	char line[320];
	switch (v) {
	case V_FAULT:
		++*faults;
		/* No answer yet and no way to the server: a dead network need not take half a
		 * minute. */
		if (!c->answered && curl_code_unreachable(cc) &&
		    *faults >=
		            (c->max_attempts < GH_FIRST_TRIES ? c->max_attempts : GH_FIRST_TRIES))
			return 0;
		if (*faults >= c->max_attempts)
			return 0;
		snprintf(line, sizeof(line), "%s; retry %d of %d", why->buf, *faults,
		         c->max_attempts - 1);
		backoff(c, *faults - 1, line);
		break;
	case V_SECONDARY:
		if (++*secondary > GH_MAX_SECONDARY)
			return 0;
		pause_for(c, secondary_wait(c, *secondary), "secondary rate limit");
		break;
	case V_PRIMARY:
		if (++*primary > GH_MAX_PRIMARY)
			return 0;
		wait_until_reset(
		        c, c->hdr.resource ? c->hdr.resource : gh_resource_of(c->api_url, url),
		        c->hdr.reset);
		break;
	default:
		return 0;
	}
	c->stats.retries++;
	return 1;
}

/* The message of a request that will not be tried again. */
static void give_up(struct gh_client *c, enum verdict v, CURLcode cc, long status, int faults,
                    const struct strbuf *why, struct error *err)
{
	if (v == V_FAULT)
		error_set(err, "%s (gave up after %d tries)", why->buf, faults);
	else if (v == V_SECONDARY)
		error_set(err, "still over GitHub's secondary rate limit after %d waits",
		          GH_MAX_SECONDARY);
	else if (v == V_PRIMARY)
		error_set(err, "rate limit still exhausted after %d waits", GH_MAX_PRIMARY);
	else if (v == V_NOT_API)
		error_set(err, "%s is not GitHub's API: %s (check --api-url)", c->api_url,
		          why->buf);
	else if (cc != CURLE_OK)
		error_set(err, "%s", why->buf);
	else
		fail_http(c, status, err);
}

/* gh_get() on an absolute URL of the API, without the scrubbing. */
static int get(struct gh_client *c, const char *url, const char *etag, struct gh_response *out,
               struct error *err)
{
	int faults = 0, secondary = 0, primary = 0;
	struct strbuf why = STRBUF_INIT;
	for (;;) {
		wait_for_rate(c, url);
		long status;
		json_t *body = NULL;
		CURLcode cc = perform(c, url, etag, &status);
		note_rate(c, url);
		strbuf_reset(&why);
		enum verdict v = classify(c, cc, status, &body, &why);
		if (v == V_DONE) {
			if (status == 304)
				c->stats.not_modified++;
			fill_response(c, status, body, out);
			strbuf_release(&why);
			return 0;
		}
		out->status = v == V_NOT_API ? 0 : status; /* not GitHub's 404: nothing is gone */
		if (get_once_more(c, v, cc, &faults, &secondary, &primary, url, &why))
			continue;
		give_up(c, v, cc, status, faults, &why, err);
		strbuf_release(&why);
		return -1;
	}
}

int gh_get(struct gh_client *c, const char *url, const char *etag, struct gh_response *out,
           struct error *err)
{
	memset(out, 0, sizeof(*out));
	char *full = absolute_url(c, url, err);
	int rc = full ? get(c, full, etag, out, err) : -1;
	free(full);
	/* GitHub never echoes the token, and libcurl never prints it: be sure anyway. */
	if (rc && c->token)
		gh_scrub(err, c->token->value);
	return rc;
}

void gh_response_release(struct gh_response *r)
{
	json_decref(r->body);
	free(r->etag);
	free(r->next_url);
	free(r->last_url);
	memset(r, 0, sizeof(*r));
}

/* --- GraphQL --- */

char *gh_graphql_url(const char *api_url)
{
	size_t len = strlen(api_url);
	while (len && api_url[len - 1] == '/')
		len--;
	/* GitHub Enterprise serves REST at /api/v3 and GraphQL at /api/graphql. */
	if (len >= 7 && !strncmp(api_url + len - 7, "/api/v3", 7))
		return xstrfmt("%.*s/api/graphql", (int)(len - 7), api_url);
	return xstrfmt("%.*s/graphql", (int)len, api_url);
}

/* A lower-case copy of an error's message into buf. */
static void error_message_lower(json_t *e, char *buf, size_t size)
{
	const char *m = json_string_value(json_object_get(e, "message"));
	snprintf(buf, size, "%s", m ? m : "");
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* What one entry of "errors" says, as a status (OK when it says nothing we know). */
static enum gh_graphql_status error_status(json_t *e)
{
	const char *type = json_string_value(json_object_get(e, "type"));
	char msg[512];
	error_message_lower(e, msg, sizeof(msg));
	if (type && !strcmp(type, "RATE_LIMITED"))
		return GH_GRAPHQL_RATE_LIMITED;
	if (strstr(msg, "secondary rate limit"))
		return GH_GRAPHQL_SECONDARY;
	if (type &&
	    (!strcmp(type, "MAX_NODE_LIMIT_EXCEEDED") || !strcmp(type, "RESOURCE_LIMITS_EXCEEDED")))
		return GH_GRAPHQL_TOO_BIG;
	if (strstr(msg, "this may be the result of a timeout") ||
	    strstr(msg, "couldn't respond to your request in time"))
		return GH_GRAPHQL_TIMEOUT;
	if (type && !strcmp(type, "NOT_FOUND"))
		return GH_GRAPHQL_NOT_FOUND;
	return GH_GRAPHQL_OK;
}

/* The more urgent of two statuses: limits first, then what asks for a smaller query. */
static int status_rank(enum gh_graphql_status st)
{
	switch (st) {
	case GH_GRAPHQL_RATE_LIMITED:
		return 6;
	case GH_GRAPHQL_SECONDARY:
		return 5;
	case GH_GRAPHQL_TOO_BIG:
		return 4;
	case GH_GRAPHQL_TIMEOUT:
		return 3;
	default:
		return 0;
	}
}

enum gh_graphql_status gh_graphql_classify(json_t *body)
{
	json_t *data = json_object_get(body, "data");
	json_t *errors = json_object_get(body, "errors");
	if (!json_is_object(body) || (errors && !json_is_array(errors)))
		return GH_GRAPHQL_FAILED;
	if (!json_array_size(errors))
		return json_is_object(data) ? GH_GRAPHQL_OK : GH_GRAPHQL_FAILED;
	enum gh_graphql_status worst = GH_GRAPHQL_OK;
	int all_not_found = 1;
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		enum gh_graphql_status st = error_status(e);
		if (st != GH_GRAPHQL_NOT_FOUND)
			all_not_found = 0;
		if (status_rank(st) > status_rank(worst))
			worst = st;
	}
	if (worst != GH_GRAPHQL_OK)
		return worst;
	if (!json_is_object(data))
		return GH_GRAPHQL_FAILED;
	return all_not_found ? GH_GRAPHQL_NOT_FOUND : GH_GRAPHQL_PARTIAL;
}

/* True if a 502 or 504 is GitHub giving up on a query that took too long. */
static int http_timeout(const struct gh_client *c, long status, const struct strbuf *body)
{
	if (status != 502 && status != 504)
		return 0;
	struct strbuf msg = STRBUF_INIT;
	github_message(c, body, &msg);
	for (char *p = msg.buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	int yes = strstr(msg.buf, "couldn't respond to your request in time") != NULL;
	strbuf_release(&msg);
	return yes;
}

/* Counts what rateLimit { cost remaining resetAt limit } says, and keeps it as "graphql". */
static void note_graphql_rate(struct gh_client *c, json_t *body, struct gh_graphql_response *out)
{
	json_t *rl = json_object_get(json_object_get(body, "data"), "rateLimit");
	json_t *cost = json_object_get(rl, "cost");
	json_t *remaining = json_object_get(rl, "remaining");
	time_t reset;
	if (json_is_integer(cost)) {
		out->cost = (long)json_integer_value(cost);
		c->stats.points += out->cost;
	}
	if (!json_is_integer(remaining) ||
	    time_parse_iso(json_string_value(json_object_get(rl, "resetAt")), &reset))
		return;
	struct gh_rate *r = rate_slot(c, "graphql", 1);
	if (!r)
		return;
	r->known = 1;
	r->remaining = (long)json_integer_value(remaining);
	r->reset = reset;
	if (json_is_integer(json_object_get(rl, "limit")))
		r->limit = (long)json_integer_value(json_object_get(rl, "limit"));
}

/* The one-line message of a final GraphQL answer (errors inside a 200, or a timeout). */
static void fail_graphql(struct gh_client *c, enum gh_graphql_status st, struct error *err)
{
	struct strbuf msg = STRBUF_INIT;
	github_message(c, &c->body, &msg);
	const char *what = st == GH_GRAPHQL_TIMEOUT   ? "GitHub gave up on the query in time"
	                   : st == GH_GRAPHQL_TOO_BIG ? "the query asks for too much"
	                                              : "GitHub's GraphQL API answered";
	if (msg.len)
		error_set(err, "%s: \"%s\"", what, msg.buf);
	else
		error_set(err, "%s", what);
	strbuf_release(&msg);
}

/*
 * After a 200 with JSON: V_DONE when the answer is final (out->status says
 * how), else the limit to wait for before asking again. RATE_LIMITED waits
 * for the reset its headers tell, else the one the last rateLimit told, else
 * as a secondary limit does.
 */
static enum verdict classify_graphql(struct gh_client *c, json_t *body,
                                     struct gh_graphql_response *out)
{
	enum gh_graphql_status st = gh_graphql_classify(body);
	out->status = st;
	if (st == GH_GRAPHQL_SECONDARY)
		return V_SECONDARY;
	if (st != GH_GRAPHQL_RATE_LIMITED)
		return V_DONE;
	if (!c->hdr.have_reset) {
		struct gh_rate *r = rate_slot(c, "graphql", 0);
		if (!r || !r->known)
			return V_SECONDARY;
		c->hdr.reset = r->reset;
		c->hdr.have_reset = 1;
	}
	if (!c->hdr.resource)
		c->hdr.resource = xstrdup("graphql");
	return V_PRIMARY;
}

/* Fills out from a final 200; returns 0 when it carries usable data, else -1 with err. */
static int take_answer(struct gh_client *c, json_t *body, struct gh_graphql_response *out,
                       struct error *err)
{
	out->body = body;
	out->data = json_object_get(body, "data");
	out->errors = json_object_get(body, "errors");
	if (!json_is_object(out->data))
		out->data = NULL;
	note_graphql_rate(c, body, out);
	if (out->status == GH_GRAPHQL_OK || out->status == GH_GRAPHQL_PARTIAL ||
	    out->status == GH_GRAPHQL_NOT_FOUND)
		return 0;
	fail_graphql(c, out->status, err);
	return -1;
}

/*
 * A 404 (or 405) for the GraphQL endpoint: a GitHub Enterprise Server
 * without it, or an --api-url that is not GitHub's. What GitHub said stays.
 */
static void no_graphql_here(const char *url, struct error *err)
{
	struct error said = *err;
	error_set(err, "%s: no GraphQL API there (%s); check --api-url, or fetch with --api rest",
	          url, said.msg);
}

/* The request loop of gh_graphql(): graphql_url, the POST body ready in c->post. */
static int graphql_post(struct gh_client *c, const char *url, struct gh_graphql_response *out,
                        struct error *err)
{
	int faults = 0, secondary = 0, primary = 0;
	struct strbuf why = STRBUF_INIT;
	for (;;) {
		wait_for_rate(c, url);
		long status;
		json_t *body = NULL;
		CURLcode cc = perform(c, url, NULL, &status);
		c->stats.graphql_queries++;
		note_rate(c, url);
		strbuf_reset(&why);
		out->http_status = status;
		enum verdict v;
		if (cc == CURLE_OK && http_timeout(c, status, &c->body)) {
			out->status = GH_GRAPHQL_TIMEOUT;
			fail_graphql(c, GH_GRAPHQL_TIMEOUT, err);
			strbuf_release(&why);
			return -1;
		}
		v = classify(c, cc, status, &body, &why);
		if (v == V_DONE && status == 200)
			v = classify_graphql(c, body, out);
		if (v == V_DONE) {
			strbuf_release(&why);
			return take_answer(c, body, out, err);
		}
		json_decref(body);
		if (get_once_more(c, v, cc, &faults, &secondary, &primary, url, &why))
			continue;
		out->status = GH_GRAPHQL_FAILED;
		give_up(c, v, cc, status, faults, &why, err);
		if (v == V_FAIL && cc == CURLE_OK && (status == 404 || status == 405))
			no_graphql_here(url, err);
		strbuf_release(&why);
		return -1;
	}
}

int gh_graphql(struct gh_client *c, const char *query, json_t *variables,
               struct gh_graphql_response *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->status = GH_GRAPHQL_FAILED;
	out->cost = -1;
	if (!c->token)
		return error_set(err, "the GraphQL API needs a token: set GH_TOKEN or GITHUB_TOKEN "
		                      "(GH_ENTERPRISE_TOKEN for another host), or log in with gh");
	json_t *vars = variables ? json_incref(variables) : json_object();
	json_t *req = json_pack("{s:s, s:o}", "query", query, "variables", vars);
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!text)
		return error_set(err, "GraphQL query or variables are not valid UTF-8 JSON");
	struct strbuf post = STRBUF_INIT;
	strbuf_adds(&post, text);
	free(text);
	char *url = gh_graphql_url(c->api_url);
	c->post = &post;
	int rc = graphql_post(c, url, out, err);
	c->post = NULL;
	free(url);
	strbuf_release(&post);
	if (rc && c->token)
		gh_scrub(err, c->token->value);
	return rc;
}

void gh_graphql_release(struct gh_graphql_response *r)
{
	json_decref(r->body);
	memset(r, 0, sizeof(*r));
}
