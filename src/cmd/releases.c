/*
 * releases.c - "issuemine releases import|list|show": the release series of
 * the release correlation ("issuemine report --spearman --releases NAME").
 */
#include "cli.h"
#include "commands.h"
#include "csv.h"
#include "releases.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

static const char *const releases_usage[] = {
        "issuemine releases import [--format text|json] NAME FILE.csv",
        "issuemine releases list [--format text|csv|json]",
        "issuemine releases show [--format text|csv|json] NAME",
        NULL,
        "Release series say when a dependency released what: one row per release with",
        "the columns version,date,added,updated (date as YYYY-MM-DD, rows in date order,",
        "added and updated whole numbers: for ONNX, operators added and updated per",
        "opset). 'import' checks the whole file first and lists every bad row with its",
        "line; nothing is stored unless all rows are good. Importing a name again",
        "replaces that series; FILE '-' reads standard input. The series 'onnx-opsets'",
        "(the 18 ONNX opsets of the reference study) is built in; an imported series of",
        "the same name hides it. 'show --format csv' writes a file 'import' reads back.",
        NULL,
};

static json_t *series_json(const struct release_series *rs)
{
	json_t *releases = json_array();
	for (size_t i = 0; i < rs->n; i++) {
		const struct release *r = &rs->releases[i];
		json_array_append_new(releases,
		                      json_pack("{s:s, s:s, s:I, s:I, s:I}", "version", r->version,
		                                "date", r->date, "added", (json_int_t)r->added,
		                                "updated", (json_int_t)r->updated, "changes",
		                                (json_int_t)(r->added + r->updated)));
	}
	return json_pack("{s:s, s:s, s:o}", "name", rs->name, "source", rs->source, "releases",
	                 releases);
}

static int open_input(const char *path, FILE **f)
{
	if (!strcmp(path, "-")) {
		*f = stdin;
		return 0;
	}
	*f = fopen(path, "rb");
	if (!*f) {
		cli_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int releases_import(const char *name, const char *path, const char *format)
{
	if (!release_name_valid(name))
		usage_error("releases",
		            "'%s' is not a series name (letters, digits, '.', '_', '-')", name);
	FILE *f;
	if (open_input(path, &f))
		return EXIT_FAILURE;
	struct release_series *rs;
	struct error err;
	int rc = release_parse_csv(f, !strcmp(path, "-") ? "<stdin>" : path, name, &rs, &err);
	if (f != stdin)
		fclose(f);
	if (rc) {
		cli_error("%s (nothing imported)", err.msg);
		return EXIT_FAILURE;
	}
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s)) {
		release_series_free(rs);
		return EXIT_FAILURE;
	}
	int replaced = 0;
	rc = store_begin(s, &err) || release_series_store(s, rs, &replaced, &err) ||
	     store_commit(s, &err);
	if (rc)
		store_rollback(s);
	store_close(s);
	if (rc) {
		release_series_free(rs);
		return cli_fail(&err);
	}
	if (!strcmp(format, "json")) {
		json_t *out = series_json(rs);
		json_object_set_new(out, "replaced", json_boolean(replaced));
		cli_print_json(out);
	} else {
		printf("%s release series '%s': %zu release%s, %s .. %s\n",
		       replaced ? "replaced" : "imported", cli_text(rs->name), rs->n,
		       rs->n == 1 ? "" : "s", rs->releases[0].date, rs->releases[rs->n - 1].date);
	}
	release_series_free(rs);
	return EXIT_SUCCESS;
}

static void print_list(const struct release_series_info *infos, size_t n, const char *format)
{
	if (!strcmp(format, "json")) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr,
			                      json_pack("{s:s, s:s, s:I, s:s, s:s, s:b}", "name",
			                                infos[i].name, "source", infos[i].source,
			                                "releases", (json_int_t)infos[i].n, "first",
			                                infos[i].first, "last", infos[i].last,
			                                "hides_builtin", infos[i].hides_builtin));
		cli_print_json(arr);
		return;
	}
	if (!strcmp(format, "csv")) {
		const char *header[] = {"name", "releases", "first", "last", "source"};
		csv_write_row(stdout, header, 5);
		for (size_t i = 0; i < n; i++) {
			char count[32];
			snprintf(count, sizeof(count), "%zu", infos[i].n);
			const char *row[] = {infos[i].name, count, infos[i].first, infos[i].last,
			                     infos[i].source};
			csv_write_row(stdout, row, 5);
		}
		return;
	}
	int width = 4;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(infos[i].name) > width)
			width = (int)strlen(infos[i].name);
	printf("%-*s  %8s  %-10s  %-10s  %s\n", width, "name", "releases", "first", "last",
	       "source");
	for (size_t i = 0; i < n; i++)
		printf("%-*s  %8zu  %-10s  %-10s  %s%s\n", width, cli_text(infos[i].name),
		       infos[i].n, infos[i].first, infos[i].last, cli_text(infos[i].source),
		       infos[i].hides_builtin ? " (hides the built-in series)" : "");
}

/*
 * Opens the database read-only when it exists; without one, *s is NULL and
 * only the built-in series are known (so "releases show onnx-opsets" works
 * anywhere).
 */
static int open_store_if_any(struct store **s)
{
	*s = NULL;
	if (access(cli_db_path(), F_OK) != 0 && errno == ENOENT)
		return 0;
	return cli_open_store(STORE_READONLY, s);
}

static int releases_list(const char *format)
{
	struct store *s;
	if (open_store_if_any(&s))
		return EXIT_FAILURE;
	struct release_series_info *infos;
	size_t n;
	struct error err;
	int rc = release_series_list(s, &infos, &n, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	print_list(infos, n, format);
	release_series_infos_free(infos, n);
	return EXIT_SUCCESS;
}

static void print_series_text(const struct release_series *rs)
{
	int width = 7;
	long added = 0, updated = 0;
	for (size_t i = 0; i < rs->n; i++) {
		/* Versions come from a CSV file: measured and shown escaped (cli_text). */
		if ((int)strlen(cli_text(rs->releases[i].version)) > width)
			width = (int)strlen(cli_text(rs->releases[i].version));
		added += rs->releases[i].added;
		updated += rs->releases[i].updated;
	}
	printf("%s (%s): %zu release%s, %s .. %s\n", cli_text(rs->name), cli_text(rs->source),
	       rs->n, rs->n == 1 ? "" : "s", rs->releases[0].date, rs->releases[rs->n - 1].date);
	printf("%-*s  %-10s  %7s  %7s  %7s\n", width, "version", "date", "added", "updated",
	       "changes");
	for (size_t i = 0; i < rs->n; i++) {
		const struct release *r = &rs->releases[i];
		printf("%-*s  %-10s  %7ld  %7ld  %7ld\n", width, cli_text(r->version), r->date,
		       r->added, r->updated, r->added + r->updated);
	}
	printf("%-*s  %-10s  %7ld  %7ld  %7ld\n", width, "total", "", added, updated,
	       added + updated);
}

static void print_series_csv(const struct release_series *rs)
{
	const char *header[] = {"version", "date", "added", "updated"};
	csv_write_row(stdout, header, 4);
	for (size_t i = 0; i < rs->n; i++) {
		char added[32], updated[32];
		snprintf(added, sizeof(added), "%ld", rs->releases[i].added);
		snprintf(updated, sizeof(updated), "%ld", rs->releases[i].updated);
		const char *row[] = {rs->releases[i].version, rs->releases[i].date, added, updated};
		csv_write_row(stdout, row, 4);
	}
}

static int releases_show(const char *name, const char *format)
{
	struct store *s;
	if (open_store_if_any(&s))
		return EXIT_FAILURE;
	struct release_series *rs;
	struct error err;
	int rc = release_series_read(s, name, &rs, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "json"))
		cli_print_json(series_json(rs));
	else if (!strcmp(format, "csv"))
		print_series_csv(rs);
	else
		print_series_text(rs);
	release_series_free(rs);
	return EXIT_SUCCESS;
}

int cmd_releases(int argc, const char **argv)
{
	const char *format = "text";
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "text|csv|json", "output format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("releases", argc, argv, opts, releases_usage);
	if (argc == 0)
		usage_error("releases", "no subcommand given (import, list or show)");
	const char *sub = argv[0];
	if (!strcmp(sub, "import")) {
		if (argc != 3)
			usage_error("releases", "import takes NAME and FILE.csv");
		if (!strcmp(format, "csv"))
			usage_error("releases", "import prints text or json");
		return releases_import(argv[1], argv[2], format);
	}
	if (!strcmp(sub, "list")) {
		if (argc != 1)
			usage_error("releases", "list takes no arguments");
		return releases_list(format);
	}
	if (!strcmp(sub, "show")) {
		if (argc != 2)
			usage_error("releases", "show takes one NAME");
		return releases_show(argv[1], format);
	}
	usage_error("releases", "unknown subcommand '%s' (import, list or show)", sub);
}
