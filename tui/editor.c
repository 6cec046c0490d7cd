/*
 * editor.c - editing a text in $VISUAL or $EDITOR (see editor.h).
 *
 * The editor is run as git runs it: sh -c '<editor> "$@"' <editor> FILE, so
 * that an editor with arguments works. While it runs, this process ignores
 * SIGINT and SIGQUIT (a C-c in the editor is the editor's); the child gets
 * their default action back.
 */
#include "editor.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *editor_command(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

static int write_file(int fd, const char *path, const char *text, const char *about,
                      struct error *err)
{
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return error_set(err, "%s: %s", path, strerror(errno));
	}
	if (text && *text)
		fprintf(f, "%s%s", text, text[strlen(text) - 1] == '\n' ? "" : "\n");
	fprintf(f, "%s\n%s", EDITOR_SCISSORS, about);
	if (fclose(f))
		return error_set(err, "%s: write error", path);
	return 0;
}

static void child(const char *editor, const char *path, int quiet)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (quiet) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
	}
	char *script = xstrfmt("%s \"$@\"", editor);
	execl("/bin/sh", "sh", "-c", script, editor, path, (char *)NULL);
	_exit(127);
}

/* Runs the editor on path and waits; -1 with err set when it could not run or failed. */
static int run_editor(const char *editor, const char *path, int quiet, struct error *err)
{
	void (*old_int)(int) = signal(SIGINT, SIG_IGN);
	void (*old_quit)(int) = signal(SIGQUIT, SIG_IGN);
	pid_t pid = fork();
	if (pid == 0)
		child(editor, path, quiet);
	int status = 0, rc = 0;
	if (pid < 0)
		rc = error_set(err, "cannot start the editor: %s", strerror(errno));
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
	if (rc)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return error_set(err, "the editor '%s' exited with status %d", editor,
		                 WEXITSTATUS(status));
	return error_set(err, "the editor '%s' was killed by signal %d", editor,
	                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The text up to the scissors line, without trailing white space (caller frees). */
static char *cut_at_scissors(struct strbuf *sb)
{
	const char *cut = NULL;
	for (const char *p = sb->buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, EDITOR_SCISSORS, strlen(EDITOR_SCISSORS))) {
			cut = p;
			break;
		}
	}
	if (cut)
		strbuf_setlen(sb, (size_t)(cut - sb->buf));
	strbuf_rtrim(sb);
	return strbuf_detach(sb, NULL);
}

int editor_edit(const char *text, const char *about, int quiet, char **out, struct error *err)
{
	const char *editor = editor_command();
	*out = NULL;
	if (!strcmp(editor, ":"))
		return 1;
	const char *tmp = getenv("TMPDIR");
	char *path = xstrfmt("%s/issuemine-note-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 4);
	int rc = 0;
	if (fd < 0)
		rc = error_set(err, "%s: %s", path, strerror(errno));
	else if (write_file(fd, path, text, about, err) || run_editor(editor, path, quiet, err))
		rc = -1;
	if (!rc) {
		struct strbuf sb = STRBUF_INIT;
		if (strbuf_read_file(&sb, path, err)) {
			strbuf_release(&sb);
			rc = -1;
		} else {
			*out = cut_at_scissors(&sb);
		}
	}
	if (fd >= 0)
		unlink(path);
	free(path);
	return rc;
}
