/*
 * queries.c - "issuemine queries": the filter queries shipped in the binary.
 */
#include "builtin.h"
#include "cli.h"
#include "commands.h"

#include <jansson.h>
#include <string.h>

static const char *const queries_usage[] = {
        "issuemine queries [--format table|json]",
        "issuemine queries show NAME [--format json]",
        NULL,
        "List the queries shipped with issuemine (queries/*.query, compiled in, so",
        "'issuemine filter --query NAME' works from any directory), or print one",
        "(with --format json: its name, description and text).",
        NULL,
};

/* The first comment line of a query, without '#', into buf. */
static void description(const char *text, char *buf, size_t size)
{
	const char *p = text + strspn(text, " \t\r\n");
	buf[0] = '\0';
	if (*p != '#')
		return;
	p += 1 + strspn(p + 1, " \t");
	size_t len = strcspn(p, "\r\n");
	snprintf(buf, size, "%.*s", (int)len, p);
}

static json_t *query_json(const char *name, const struct builtin_file *f)
{
	char desc[256];
	description(f->data, desc, sizeof(desc));
	return json_pack("{s:s, s:s, s:s}", "name", name, "description", desc, "text", f->data);
}

static int add_row(const char *name, const struct builtin_file *f, void *data)
{
	json_array_append_new(data, query_json(name, f));
	return 0;
}

int cmd_queries(int argc, const char **argv)
{
	const char *format = "table";
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "table|json",
	         "output format (default table; show prints the query's text)"},
	        {OPT_END},
	};
	argc = parse_options("queries", argc, argv, opts, queries_usage);
	if (argc && strcmp(argv[0], "show"))
		usage_error("queries", "unknown action '%s' (expected show)", argv[0]);
	if (argc && argc != 2)
		usage_error("queries", "show takes one query NAME");
	if (argc) {
		const struct builtin_file *f = builtin_find("queries", argv[1], "query");
		if (!f) {
			cli_error("queries: no shipped query named '%s' (see 'issuemine queries')",
			          argv[1]);
			return EXIT_FAILURE;
		}
		if (!strcmp(format, "json"))
			cli_print_json(query_json(argv[1], f));
		else
			fputs(f->data, stdout);
		return EXIT_SUCCESS;
	}
	json_t *rows = json_array();
	builtin_each("queries", "query", add_row, rows);
	if (!strcmp(format, "json")) {
		cli_print_json(rows);
		return EXIT_SUCCESS;
	}
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		printf("%-20s  %s\n", json_string_value(json_object_get(row, "name")),
		       json_string_value(json_object_get(row, "description")));
	}
	json_decref(rows);
	return EXIT_SUCCESS;
}
