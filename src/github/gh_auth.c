/*
 * gh_auth.c - which host an API URL is, which token goes to it, and whether
 * a token may travel there (see gh.h).
 *
 * The rules are the GitHub CLI's (gh, and its library go-gh), so a machine
 * set up for gh works unchanged: github.com takes $GH_TOKEN or
 * $GITHUB_TOKEN, any other host $GH_ENTERPRISE_TOKEN or
 * $GITHUB_ENTERPRISE_TOKEN, and then `gh auth token --hostname HOST` is
 * asked. A github.com token is never sent to another host. URLs are taken
 * apart with libcurl's URL API, never by prefix, so "http://localhost.evil"
 * or "http://localhost:1@192.0.2.1" are what they are.
 */
#include "gh.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GH_CLI_TIMEOUT_MS 10000
#define GH_CLI_OUTPUT_MAX 4096

extern char **environ;

/* The host part of url as libcurl parses it (lower case, brackets of IPv6 removed). */
static int url_host(const char *url, char *host, size_t size)
{
	CURLU *u = curl_url();
	char *h = NULL;
	int rc = -1;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h && *h) {
		const char *p = h;
		size_t n = strlen(p);
		if (p[0] == '[' && n > 2 && p[n - 1] == ']') {
			p++;
			n -= 2;
		}
		if (n < size) {
			for (size_t i = 0; i < n; i++)
				host[i] = (char)tolower((unsigned char)p[i]);
			host[n] = '\0';
			rc = 0;
		}
	}
	curl_free(h);
	curl_url_cleanup(u);
	return rc;
}

static int is_github_com(const char *host)
{
	size_t n = strlen(host), k = strlen(".github.com");
	return !strcmp(host, "github.com") || (n > k && !strcmp(host + n - k, ".github.com"));
}

int gh_token_host(const char *url, char *host, size_t size)
{
	if (url_host(url, host, size))
		return -1;
	if (is_github_com(host))
		snprintf(host, size, "github.com");
	return 0;
}

char *gh_api_url_for_host(const char *host)
{
	if (!host || !*host || strlen(host) >= GH_HOST_MAX)
		return NULL;
	for (const char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]_", *p))
			return NULL;
	char lower[GH_HOST_MAX];
	size_t n = strlen(host);
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)host[i]);
	if (!strcmp(lower, "github.com") || !strcmp(lower, "api.github.com"))
		return xstrdup(GH_DEFAULT_API_URL);
	return xstrfmt("https://%s/api/v3", lower);
}

char *gh_choose_api_url(const char *api_url, const char *hostname, const char **bad)
{
	*bad = NULL;
	if (api_url)
		return xstrdup(api_url);
	const char *env = getenv("GH_HOST");
	const char *host = hostname ? hostname : env && *env ? env : NULL;
	if (!host)
		return xstrdup(GH_DEFAULT_API_URL);
	char *url = gh_api_url_for_host(host);
	if (!url)
		*bad = hostname ? "--hostname" : "GH_HOST";
	return url;
}

int gh_url_has_userinfo(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL, *password = NULL;
	int yes = 0;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		yes = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
		      curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
	}
	curl_free(user);
	curl_free(password);
	curl_url_cleanup(u);
	return yes;
}

int gh_url_is_plain_http(const char *url)
{
	return !strncasecmp(url, "http://", 7);
}

int gh_url_is_loopback(const char *url)
{
	char host[GH_HOST_MAX];
	if (url_host(url, host, sizeof(host)))
		return 0;
	size_t n = strlen(host);
	if (n && host[n - 1] == '.')
		host[--n] = '\0';
	/* libcurl answers "localhost" itself, without asking a resolver that could lie. */
	if (!strcmp(host, "localhost"))
		return 1;
	struct in_addr v4;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	struct in6_addr v6;
	if (inet_pton(AF_INET6, host, &v6) == 1) {
		if (IN6_IS_ADDR_LOOPBACK(&v6))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
	}
	return 0;
}

/* The first of names set (non-empty) in the environment, or NULL. */
static const char *first_set(const char *const *names, size_t n, const char **name)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = getenv(names[i]);
		if (v && *v) {
			*name = names[i];
			return v;
		}
	}
	return NULL;
}

/* Reads the child's output into buf until it closes, for at most GH_CLI_TIMEOUT_MS. */
static int read_output(int fd, char *buf, size_t size, size_t *len)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	*len = 0;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (long)(now.tv_sec - start.tv_sec) * 1000 +
		             (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= GH_CLI_TIMEOUT_MS)
			return -1;
		struct pollfd p = {fd, POLLIN, 0};
		int rc = poll(&p, 1, (int)(GH_CLI_TIMEOUT_MS - spent));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		if (*len + 1 >= size)
			return -1; /* not a token */
		ssize_t got = read(fd, buf + *len, size - 1 - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		*len += (size_t)got;
	}
}

static void wipe_buffer(char *buf, size_t n)
{
	volatile char *v = buf;
	while (n--)
		*v++ = 0;
}

/*
 * Runs `gh auth token --hostname host` (no shell; stdin and stderr on
 * /dev/null) and takes its one line of output as the token. Any failure
 * (no gh, not logged in, a timeout) is simply no token.
 */
static struct gh_token *token_from_gh_cli(const char *host)
{
	const char *gh = getenv("GH_PATH");
	if (!gh || !*gh)
		gh = "gh";
	if (host[0] == '-')
		return NULL; /* it would read as an option */
	int fds[2];
	if (pipe(fds))
		return NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	char *argv[] = {(char *)gh, "auth", "token", "--hostname", (char *)host, NULL};
	pid_t pid;
	int spawned = posix_spawnp(&pid, gh, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (spawned) {
		close(fds[0]);
		return NULL;
	}
	char buf[GH_CLI_OUTPUT_MAX];
	size_t len = 0;
	int rc = read_output(fds[0], buf, sizeof(buf), &len);
	close(fds[0]);
	if (rc)
		kill(pid, SIGKILL); /* ours, and stuck */
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	struct gh_token *t = NULL;
	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	buf[len] = '\0';
	if (!rc && WIFEXITED(status) && WEXITSTATUS(status) == 0 && len && !strpbrk(buf, " \n\r\t"))
		t = gh_token_protected(buf);
	wipe_buffer(buf, sizeof(buf));
	return t;
}

struct gh_token *gh_token_for_host(const char *host, char *source, size_t size)
{
	static const char *const dotcom[] = {"GH_TOKEN", "GITHUB_TOKEN"};
	static const char *const enterprise[] = {"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"};
	const char *name = NULL, *value;
	if (is_github_com(host))
		value = first_set(dotcom, 2, &name);
	else
		value = first_set(enterprise, 2, &name);
	struct gh_token *t = value ? gh_token_protected(value) : token_from_gh_cli(host);
	if (t && source && size)
		snprintf(source, size, "%s", value ? name : "gh auth token");
	return t;
}
