/*
 * cli.c - shared helpers of the command layer (see cli.h).
 */
#include "cli.h"
#include "strbuf.h"
#include "termsafe.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_vmessage(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT, line = STRBUF_INIT;
	strbuf_vaddf(&msg, fmt, ap);
	termsafe_add(&line, msg.buf, msg.len, 0);
	fprintf(stderr, "%s%s\n", prefix, line.buf);
	strbuf_release(&msg);
	strbuf_release(&line);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vmessage("issuemine: ", fmt, ap);
	va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_vmessage("issuemine: warning: ", fmt, ap);
	va_end(ap);
}

static const char *text_slot(const char *s, int flags)
{
	static char *slots[CLI_TEXT_SLOTS];
	static size_t next;
	char **slot = &slots[next++ % CLI_TEXT_SLOTS];
	free(*slot);
	*slot = termsafe_dup(s, flags);
	return *slot;
}

const char *cli_text(const char *s)
{
	return text_slot(s, 0);
}

const char *cli_text_lines(const char *s)
{
	return text_slot(s, TERMSAFE_KEEP_NEWLINES);
}

int cli_finish_stdout(int rc)
{
	struct stat sb;
	if (fstat(STDOUT_FILENO, &sb) || S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode))
		return rc;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	cli_error("standard output: %s", errno ? strerror(errno) : "write error");
	return EXIT_FAILURE;
}

int cli_fail(const struct error *err)
{
	cli_error("%s", err->msg);
	return EXIT_FAILURE;
}

const char *cli_db_path(void)
{
	return opt_db_path() ? opt_db_path() : store_default_path();
}

int cli_open_store(enum store_mode mode, struct store **out)
{
	struct error err;
	if (store_open(cli_db_path(), mode, out, &err)) {
		cli_fail(&err);
		return -1;
	}
	return 0;
}

int cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

void cli_print_json(json_t *value)
{
	json_dumpf(value, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(value);
}

double cli_wait_scale(void)
{
	const char *v = getenv("ISSUEMINE_WAIT_SCALE");
	if (!v || !*v)
		return 1.0;
	char *end;
	double d = strtod(v, &end);
	if (*end || !(d > 0)) {
		cli_warning("ISSUEMINE_WAIT_SCALE=%s is not a positive number; ignored", v);
		return 1.0;
	}
	return d;
}
