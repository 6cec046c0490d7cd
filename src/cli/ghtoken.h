/*
 * ghtoken.h - the GitHub token a command sends, and the warnings and refusals
 * around it, the same for every command that talks to GitHub.
 */
#ifndef ISSUEMINE_GHTOKEN_H
#define ISSUEMINE_GHTOKEN_H

#include <stddef.h>

#include "gh.h"

/*
 * The token for api_url's host, as the gh CLI finds it (gh_token_for_host),
 * with the warnings a user needs: the 60-requests-an-hour one for
 * github.com without a token, and a word when a github.com token is set but
 * the host is another. source (size bytes) gets where the token came from.
 * A token bound over plain http for another machine is refused unless
 * insecure (then a warning): *refused is set, NULL is returned, and a
 * one-line error naming context has been printed. Caller frees the token.
 */
struct gh_token *cli_github_token(const char *context, const char *api_url, int insecure,
                                  char *source, size_t size, int *refused);

/*
 * The same for a command that cannot do without a token (why says what
 * needs it, e.g. "--api graphql"): no warning, but when there is none a
 * one-line error naming the variables to set, *refused set and NULL.
 */
struct gh_token *cli_github_token_required(const char *context, const char *api_url, int insecure,
                                           const char *why, char *source, size_t size,
                                           int *refused);

#endif
