/*
 * sets.c - "issuemine sets": named sets of issues (filter results, samples).
 */
#include "cli.h"
#include "commands.h"
#include "issuelist.h"
#include "rater_progress.h"
#include "sets.h"

#include <jansson.h>
#include <string.h>

static const char *const sets_usage[] = {
        "issuemine sets [--format table|json]",
        "issuemine sets show NAME [--format table|csv|json]",
        "issuemine sets drop NAME",
        NULL,
        "List the named sets with their kind, size, origin and creation time; show one",
        "set's details, where every rater of it stands (issues coded, partly coded,",
        "excluded, not started, and the last change) and its members in order; or drop",
        "a set. A set that raters' codes, notes or exclusions refer to, or that samples",
        "were drawn from, is never dropped.",
        NULL,
};

static json_t *str_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *info_json(const struct set_info *info)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", str_or_null(info->name));
	json_object_set_new(o, "kind", str_or_null(info->kind));
	json_object_set_new(o, "size", json_integer(info->size));
	json_object_set_new(o, "origin", str_or_null(info->origin));
	json_object_set_new(o, "parent", str_or_null(info->parent));
	json_object_set_new(o, "seed", info->has_seed ? json_integer(info->seed) : json_null());
	json_object_set_new(o, "created_at", str_or_null(info->created_at));
	json_object_set_new(o, "codes", json_integer(info->codes));
	json_object_set_new(o, "exclusions", json_integer(info->exclusions));
	return o;
}

static json_t *progress_json(const struct rater_progress *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "rater",
		                                   p[i].rater, "coded", (json_int_t)p[i].coded,
		                                   "partly_coded", (json_int_t)p[i].partial,
		                                   "excluded", (json_int_t)p[i].excluded,
		                                   "not_started", (json_int_t)p[i].not_started,
		                                   "notes", (json_int_t)p[i].notes, "last_change",
		                                   str_or_null(p[i].last_change)));
	return a;
}

static void print_progress(const struct rater_progress *p, size_t n)
{
	if (!n)
		return;
	size_t w = strlen("rater");
	for (size_t i = 0; i < n; i++) {
		size_t rw = issuelist_text_width(p[i].rater);
		w = rw > w ? rw : w;
	}
	printf("raters:\n    %-*s  %6s  %12s  %8s  %11s  %5s  %s\n", (int)w, "rater", "coded",
	       "partly coded", "excluded", "not started", "notes", "last change");
	for (size_t i = 0; i < n; i++) {
		printf("    ");
		issuelist_print_cut(p[i].rater, (size_t)-1, w, 1);
		printf("  %6ld  %12ld  %8ld  %11ld  %5ld  %s\n", p[i].coded, p[i].partial,
		       p[i].excluded, p[i].not_started, p[i].notes,
		       p[i].last_change ? p[i].last_change : "-");
	}
}

/* The origin on one line: a query's first line that is not a comment, or the draw. */
static void print_origin_summary(const char *origin, size_t width)
{
	const char *line = origin ? origin : "";
	while (*line) {
		const char *p = line + strspn(line, " \t");
		size_t len = strcspn(p, "\n");
		if (len && *p != '#') {
			issuelist_print_cut(p, len, width, 0);
			return;
		}
		line = p[len] ? p + len + 1 : p + len;
	}
	printf("-");
}

static int list_sets(struct store *s, const char *format)
{
	struct set_info *infos;
	size_t n;
	struct error err;
	if (set_list(s, &infos, &n, &err))
		return cli_fail(&err);
	if (!strcmp(format, "json")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, info_json(&infos[i]));
		cli_print_json(arr);
	} else if (n == 0) {
		printf("no sets yet (see 'issuemine filter --save' and 'issuemine sample "
		       "--save')\n");
	} else {
		size_t w = strlen("NAME");
		for (size_t i = 0; i < n; i++) {
			size_t name_w = issuelist_text_width(infos[i].name);
			w = name_w > w ? name_w : w;
		}
		printf("%-*s  %-6s  %6s  %-20s  %s\n", (int)w, "NAME", "KIND", "SIZE", "CREATED",
		       "ORIGIN");
		for (size_t i = 0; i < n; i++) {
			issuelist_print_cut(infos[i].name, (size_t)-1, w, 1);
			printf("  %-6s  %6ld  %-20s  ", infos[i].kind, infos[i].size,
			       infos[i].created_at);
			print_origin_summary(infos[i].origin, 60);
			printf("\n");
		}
	}
	for (size_t i = 0; i < n; i++)
		set_info_release(&infos[i]);
	free(infos);
	return EXIT_SUCCESS;
}

static void print_info(const struct set_info *info, const struct rater_progress *p, size_t np)
{
	printf("name:     %s\nkind:     %s\nsize:     %ld\ncreated:  %s\n", info->name, info->kind,
	       info->size, info->created_at);
	if (info->parent)
		printf("from:     %s\n", info->parent);
	if (info->has_seed)
		printf("seed:     %lld\n", (long long)info->seed);
	if (info->codes || info->notes || info->exclusions)
		printf("coded:    %ld codes, %ld notes, %ld exclusions\n", info->codes, info->notes,
		       info->exclusions);
	if (info->origin) {
		printf("origin:\n");
		const char *line = info->origin;
		while (*line) {
			size_t len = strcspn(line, "\n");
			fputs("    ", stdout);
			issuelist_print_cut(line, len, (size_t)-1, 0); /* escaped, never cut */
			putchar('\n');
			line += len + (line[len] == '\n');
		}
	}
	print_progress(p, np);
	printf("\n");
}

static int show_set(struct store *s, const char *name, const char *format)
{
	struct set_info info;
	struct set_member *members;
	struct rater_progress *progress;
	size_t n, np;
	int found;
	struct error err;
	if (set_get(s, name, &info, &found, &err))
		return cli_fail(&err);
	if (!found) {
		cli_error("sets: no set named '%s' (see 'issuemine sets')", name);
		return EXIT_FAILURE;
	}
	if (progress_read(s, info.id, &progress, &np, &err)) {
		set_info_release(&info);
		return cli_fail(&err);
	}
	if (set_members(s, info.id, &members, &n, &err)) {
		progress_free(progress, np);
		set_info_release(&info);
		return cli_fail(&err);
	}
	if (!strcmp(format, "json")) {
		json_t *o = info_json(&info);
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I, s:o}", "repository",
			                                     members[i].repo, "number",
			                                     (json_int_t)members[i].number, "title",
			                                     str_or_null(members[i].title)));
		json_object_set_new(o, "members", arr);
		json_object_set_new(o, "raters", progress_json(progress, np));
		cli_print_json(o);
	} else {
		if (!strcmp(format, "table"))
			print_info(&info, progress, np);
		issuelist_print(members, n, issuelist_format(format));
	}
	for (size_t i = 0; i < n; i++)
		set_member_release(&members[i]);
	free(members);
	progress_free(progress, np);
	set_info_release(&info);
	return EXIT_SUCCESS;
}

static int drop_set(struct store *s, const char *name)
{
	struct error err;
	if (store_begin(s, &err))
		return cli_fail(&err);
	if (set_drop(s, name, &err)) {
		store_rollback(s);
		cli_error("sets drop: %s", err.msg);
		return EXIT_FAILURE;
	}
	if (store_commit(s, &err))
		return cli_fail(&err);
	printf("dropped set '%s'\n", name);
	return EXIT_SUCCESS;
}

int cmd_sets(int argc, const char **argv)
{
	const char *format = "table";
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "table|csv|json",
	         "output format (default table)"},
	        {OPT_END},
	};
	argc = parse_options("sets", argc, argv, opts, sets_usage);
	const char *action = argc ? argv[0] : "list";
	int is_list = !strcmp(action, "list");
	if (!is_list && strcmp(action, "show") && strcmp(action, "drop"))
		usage_error("sets", "unknown action '%s' (expected show or drop)", action);
	if (is_list ? argc > 1 : argc != 2)
		usage_error("sets", is_list ? "unexpected argument '%s'" : "%s takes one set NAME",
		            is_list ? argv[1] : action);
	if (is_list && !strcmp(format, "csv"))
		usage_error("sets", "the list of sets comes as a table or JSON");
	struct store *s;
	if (cli_open_store(strcmp(action, "drop") ? STORE_READONLY : STORE_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = is_list                   ? list_sets(s, format)
	         : !strcmp(action, "show") ? show_set(s, argv[1], format)
	                                   : drop_set(s, argv[1]);
	store_close(s);
	return rc;
}
