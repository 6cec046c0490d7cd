/*
 * ghtoken.c - the GitHub token of a command (see ghtoken.h).
 */
#include "ghtoken.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The github.com variable set in the environment, or NULL. */
static const char *dotcom_variable(void)
{
	static const char *const names[] = {"GH_TOKEN", "GITHUB_TOKEN"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = getenv(names[i]);
		if (v && *v)
			return names[i];
	}
	return NULL;
}

/*
 * A token over plain http crosses the network readable by anyone on the way,
 * unless the server is on this machine: refused without insecure.
 */
static int check_transport(const char *context, const char *api_url, const char *source,
                           int insecure)
{
	if (!gh_url_is_plain_http(api_url) || gh_url_is_loopback(api_url))
		return 0;
	if (!insecure) {
		cli_error("%s: --api-url %s is plain http to another machine: the token (%s) would "
		          "cross the network unencrypted; use https, or --insecure-http to send it "
		          "anyway",
		          context, api_url, source);
		return -1;
	}
	cli_warning("--api-url %s is plain http: the token (%s) crosses the network unencrypted",
	            api_url, source);
	return 0;
}

static struct gh_token *find_token(const char *context, const char *api_url, int insecure, int warn,
                                   char *source, size_t size, int *refused)
{
	char host[GH_HOST_MAX];
	*refused = 0;
	source[0] = '\0';
	if (gh_token_host(api_url, host, sizeof(host)))
		return NULL;
	struct gh_token *token = gh_token_for_host(host, source, size);
	if (token) {
		if (!check_transport(context, api_url, source, insecure))
			return token;
		gh_token_free(token);
		*refused = 1;
		return NULL;
	}
	const char *other = dotcom_variable();
	if (!warn)
		return NULL;
	if (!strcmp(host, "github.com"))
		cli_warning("no token (GH_TOKEN, GITHUB_TOKEN, or 'gh auth login'): GitHub allows "
		            "60 unauthenticated requests an hour");
	else if (other)
		cli_warning("%s is only sent to github.com; for %s set GH_ENTERPRISE_TOKEN (or "
		            "log in with 'gh auth login --hostname %s')",
		            other, host, host);
	return NULL;
}

struct gh_token *cli_github_token(const char *context, const char *api_url, int insecure,
                                  char *source, size_t size, int *refused)
{
	return find_token(context, api_url, insecure, 1, source, size, refused);
}

struct gh_token *cli_github_token_required(const char *context, const char *api_url, int insecure,
                                           const char *why, char *source, size_t size, int *refused)
{
	struct gh_token *token = find_token(context, api_url, insecure, 0, source, size, refused);
	if (token || *refused)
		return token;
	char host[GH_HOST_MAX];
	int dotcom = !gh_token_host(api_url, host, sizeof(host)) && !strcmp(host, "github.com");
	cli_error("%s: %s needs a token: set %s, or log in with 'gh auth login%s%s'", context, why,
	          dotcom ? "GH_TOKEN or GITHUB_TOKEN" : "GH_ENTERPRISE_TOKEN",
	          dotcom ? "" : " --hostname ", dotcom ? "" : host);
	*refused = 1;
	return NULL;
}
