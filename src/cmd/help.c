/*
 * help.c - "issuemine help [COMMAND]": the list of commands, or one's --help.
 */
#include "cli.h"
#include "commands.h"
#include "strbuf.h"
#include "suggest.h"

#include <string.h>

static const char *const help_usage[] = {
        "issuemine help [COMMAND]",
        NULL,
        "Without a command, list the commands; with one, show its options",
        "(the same as 'issuemine COMMAND --help'). The manual is 'man issuemine'.",
        NULL,
};

static void list_commands(void)
{
	printf("usage: issuemine [--db PATH] [--version] <command> [options]\n\n");
	printf("commands:\n");
	for (const struct command *c = commands; c->name; c++)
		if (c->summary)
			printf("    %-10s  %s\n", c->name, c->summary);
	printf("\n'issuemine <command> --help' shows a command's options; "
	       "'man issuemine' the manual.\n");
}

/* Fails on a name that is no command, suggesting the closest (hidden ones never). */
static void unknown_command(const char *name) __attribute__((noreturn));

static void unknown_command(const char *name)
{
	size_t n;
	const char **names = command_names(&n);
	struct strbuf hint = STRBUF_INIT;
	suggest_append(&hint, name, names, n, "");
	usage_error("help", "'%s' is not an issuemine command%s", name, hint.buf);
}

int cmd_help(int argc, const char **argv)
{
	struct option opts[] = {{OPT_END}};
	argc = parse_options("help", argc, argv, opts, help_usage);
	if (argc == 0) {
		list_commands();
		return EXIT_SUCCESS;
	}
	if (argc > 1)
		usage_error("help", "too many arguments");
	const struct command *c = command_find(argv[0]);
	if (!c || !c->summary)
		unknown_command(argv[0]);
	const char *args[] = {c->name, "--help", NULL};
	return c->fn(2, args);
}
