/*
 * browser.c - opening a URL with $BROWSER (see browser.h).
 *
 * A command "firefox" runs as sh -c 'firefox "$1"' sh URL, and "lynx %s"
 * as sh -c 'lynx "$1"' sh URL: the URL is always the shell's $1, never
 * pasted into the command text. SIGINT and SIGQUIT are ignored while the
 * browser runs, as while the editor does (editor.c).
 */
#include "browser.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *browser_command(void)
{
	const char *b = getenv("BROWSER");
	return b && *b ? b : NULL;
}

int browser_url_ok(const char *url)
{
	if (!url || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)))
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/* The shell script for one command of $BROWSER: %s becomes "$1", else "$1" goes last. */
static char *script_of(const char *command, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	int placed = 0;
	for (size_t i = 0; i < len; i++) {
		if (command[i] == '%' && i + 1 < len && command[i + 1] == 's') {
			strbuf_adds(&sb, "\"$1\"");
			placed = 1;
			i++;
		} else if (command[i] == '%' && i + 1 < len && command[i + 1] == '%') {
			strbuf_addch(&sb, '%');
			i++;
		} else {
			strbuf_addch(&sb, command[i]);
		}
	}
	if (!placed)
		strbuf_adds(&sb, " \"$1\"");
	return strbuf_detach(&sb, NULL);
}

static void child(const char *script, const char *url, int quiet)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (quiet) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) { /* and its messages: a test's screen is not its terminal */
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
	}
	execl("/bin/sh", "sh", "-c", script, "sh", url, (char *)NULL);
	_exit(127);
}

/* Runs one command and waits; its exit status, or -1 when it could not start. */
static int run(const char *script, const char *url, int quiet)
{
	void (*old_int)(int) = signal(SIGINT, SIG_IGN);
	void (*old_quit)(int) = signal(SIGQUIT, SIG_IGN);
	pid_t pid = fork();
	if (pid == 0)
		child(script, url, quiet);
	int status = 0;
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
	if (pid < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int browser_open(const char *url, int quiet, struct error *err)
{
	const char *browser = browser_command();
	if (!browser)
		return 1;
	int last = -1;
	for (const char *p = browser; *p;) {
		size_t len = strcspn(p, ":");
		if (len) {
			char *script = script_of(p, len);
			last = run(script, url, quiet);
			free(script);
			if (last == 0)
				return 0;
		}
		p += len;
		if (*p == ':')
			p++;
	}
	if (last < 0)
		return error_set(err, "cannot start $BROWSER: %s", strerror(errno));
	return error_set(err, "$BROWSER ('%s') exited with status %d", browser, last);
}
