/*
 * cli.c - shared helpers of the command layer (see cli.h).
 */
#include "cli.h"

#include <jansson.h>
#include <stdarg.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("issuemine: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	fputs("issuemine: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
