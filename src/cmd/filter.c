/*
 * filter.c - "issuemine filter QUERY": the issues a query matches, listed,
 * counted or saved as a named set.
 */
#include "cli.h"
#include "commands.h"
#include "issuelist.h"
#include "query.h"
#include "query_fix.h"
#include "querysource.h"
#include "regexp.h"
#include "sets.h"
#include "xalloc.h"

#include <jansson.h>
#include <string.h>

static const char *const filter_usage[] = {
        "issuemine filter (QUERY | --query NAME | --query-file FILE) [--count] [--format F]",
        "issuemine filter (QUERY | --query NAME | --query-file FILE) --save NAME [--replace]",
        "issuemine filter (QUERY | --query NAME | --query-file FILE) --explain",
        NULL,
        "List the issues that QUERY matches (repository, number, title, creation day and",
        "URL), ordered by repository and number; or count them; or save them as the named",
        "set NAME with the query text and the time. Terms side by side are ANDed; OR, NOT",
        "(or a leading '-') and parentheses combine them; '#' starts a comment. Bare words",
        "and \"quoted phrases\" are searched in titles and bodies, as on GitHub:",
        "'repo:o/r \"export fails\" lstm'. Quote the whole query for the shell.",
        "--query NAME runs a shipped query (see 'issuemine queries') or the query a",
        "filter set was saved with. See 'man issuemine' (QUERY LANGUAGE) for every term.",
        "",
        "Terms over fix evidence ('issuemine fixes fetch' first): fix:pr, fix:commit,",
        "fix:merged, fix:gone (has such a fix); fixes:N, linked:N (how many, N as >=1,",
        "<3, 2..5); fix.path:GLOB or fix.path:/RE/ (a file of a fix: torch/onnx/**,",
        "*.py, **/test_*.py); fix.files:N, fix.additions:N, fix.deletions:N (a fix",
        "that big). Where fixes were never fetched they do not hold; filter says how",
        "many issues that leaves undecided.",
        "",
        "Issues GitHub no longer serves (transferred or deleted since they were fetched)",
        "keep their rows and match as stored; is:gone finds them, -is:gone leaves them",
        "out, and filter says how many of the matches they are.",
        NULL,
};

struct filter_options {
	const char *save, *format;
	int replace, count, explain;
};

static const char *param_type(const struct query_param *p)
{
	return p->type == QUERY_PARAM_TEXT  ? "text"
	       : p->type == QUERY_PARAM_INT ? "integer"
	                                    : "real";
}

/* Prints the SQL, its parameters and (with a database) SQLite's plan. */
static int explain(struct store *s, const struct query *q)
{
	const struct query_param *params;
	size_t n;
	const char *where = query_where(q, &params, &n);
	printf("SELECT " SET_MEMBER_COLUMNS "\nFROM issues i JOIN repositories r ON r.id = "
	       "i.repo_id\nWHERE %s\nORDER BY r.full_name, i.number;\n",
	       where);
	for (size_t i = 0; i < n; i++) {
		if (params[i].type == QUERY_PARAM_TEXT)
			printf("-- ?%zu = '%s' (%s)\n", i + 1, params[i].text,
			       param_type(&params[i]));
		else if (params[i].type == QUERY_PARAM_INT)
			printf("-- ?%zu = %lld (%s)\n", i + 1, (long long)params[i].integer,
			       param_type(&params[i]));
		else
			printf("-- ?%zu = %g (%s)\n", i + 1, params[i].real,
			       param_type(&params[i]));
	}
	if (!s)
		return EXIT_SUCCESS;
	sqlite3_stmt *st;
	struct error err;
	if (regexp_register(s->db, &err))
		return cli_fail(&err);
	char *sql = xstrfmt("EXPLAIN QUERY PLAN SELECT i.id FROM issues i JOIN repositories r ON "
	                    "r.id = i.repo_id WHERE %s",
	                    where);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		query_bind(q, st);
		printf("-- plan:\n");
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("--   %s\n", (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
	}
	free(sql);
	return EXIT_SUCCESS;
}

static int list_matches(struct store *s, const struct query *q, const char *format,
                        struct error *err)
{
	sqlite3_stmt *st;
	if (query_prepare(s, q, SET_MEMBER_COLUMNS, "ORDER BY r.full_name, i.number", &st, NULL,
	                  err))
		return -1;
	struct set_member *members = NULL;
	size_t n = 0, alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)&members, &alloc, n + 1, sizeof(*members));
		set_member_from_row(st, &members[n++]);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		issuelist_print(members, n, issuelist_format(format));
		if (!strcmp(format, "table"))
			printf("%zu issue%s\n", n, n == 1 ? "" : "s");
	}
	for (size_t i = 0; i < n; i++)
		set_member_release(&members[i]);
	free(members);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, "query");
}

/* Saves the matches as set name in one transaction; nothing is written on failure. */
static int save(struct store *s, const struct query *q, const struct filter_options *o, long *count,
                struct error *err)
{
	int64_t id;
	if (store_begin(s, err))
		return -1;
	if (set_find(s, o->save, &id, err))
		goto fail;
	if (id && !o->replace) {
		error_set(err, "a set named '%s' already exists (add --replace to replace it)",
		          o->save);
		goto fail;
	}
	if (id && set_drop(s, o->save, err))
		goto fail;
	if (set_create(s, o->save, "filter", query_text(q), 0, 0, 0, &id, err) ||
	    query_fill_set(s, q, id, count, err))
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return -1;
}

/*
 * A query with fix terms cannot decide issues whose fixes were never
 * fetched: says how many of the matches have no fix data, and how many other
 * issues might match once fetched (on stderr, so listings stay clean).
 */
static int note_fix_data(struct store *s, struct query *q, long *without, long *might)
{
	struct error err;
	if (query_fix_unknowns(s, q, without, might, &err))
		return cli_fail(&err);
	const char *hint = "see 'issuemine fixes fetch'";
	if (*without && *might)
		cli_warning("%ld of the matches have no fix data, and %ld other issues without it "
		            "might match once their fixes are fetched (%s)",
		            *without, *might, hint);
	else if (*without)
		cli_warning(
		        "%ld of the matches have no fix data: a fix term does not hold there, so "
		        "its negation does (%s)",
		        *without, hint);
	else if (*might)
		cli_warning("%ld issues without fix data might match once their fixes are fetched "
		            "(%s)",
		            *might, hint);
	return 0;
}

/*
 * Issues GitHub no longer serves (transferred, deleted) match as their stored
 * rows say; says how many of the matches they are, unless the query asks
 * about them (is:gone), on stderr.
 */
static int note_gone(struct store *s, const struct query *q)
{
	struct error err;
	long gone;
	if (query_uses_gone(q))
		return 0;
	if (query_count_gone(s, q, &gone, &err))
		return cli_fail(&err);
	if (gone)
		cli_warning("%ld of the matches %s gone from GitHub (transferred or deleted; "
		            "'-is:gone' leaves them out)",
		            gone, gone == 1 ? "is" : "are");
	return 0;
}

/* The notes on stderr after the matches: fix data, gone issues. */
static int notes(struct store *s, struct query *q, long *without, long *might)
{
	if (note_fix_data(s, q, without, might))
		return -1;
	return note_gone(s, q) ? -1 : 0;
}

static int run(struct store *s, struct query *q, const struct filter_options *o)
{
	struct error err;
	long count, without = 0, might = 0;
	if (o->save) {
		if (save(s, q, o, &count, &err))
			return cli_fail(&err);
		if (notes(s, q, &without, &might))
			return EXIT_FAILURE;
		if (!strcmp(o->format, "json"))
			cli_print_json(json_pack("{s:s, s:I}", "set", o->save, "count",
			                         (json_int_t)count));
		else if (o->count)
			printf("%ld\n", count);
		else
			printf("saved %ld issue%s as set '%s'\n", count, count == 1 ? "" : "s",
			       o->save);
		return EXIT_SUCCESS;
	}
	if (o->count) {
		if (query_count(s, q, NULL, &count, &err))
			return cli_fail(&err);
		if (notes(s, q, &without, &might))
			return EXIT_FAILURE;
		if (!strcmp(o->format, "json") && query_uses_fixes(q))
			cli_print_json(json_pack("{s:I, s:I, s:I}", "count", (json_int_t)count,
			                         "without_fix_data", (json_int_t)without,
			                         "might_match", (json_int_t)might));
		else if (!strcmp(o->format, "json"))
			cli_print_json(json_pack("{s:I}", "count", (json_int_t)count));
		else
			printf("%ld\n", count);
		return EXIT_SUCCESS;
	}
	if (list_matches(s, q, o->format, &err))
		return cli_fail(&err);
	return notes(s, q, &without, &might) ? EXIT_FAILURE : EXIT_SUCCESS;
}

int cmd_filter(int argc, const char **argv)
{
	struct filter_options o = {NULL, "table", 0, 0, 0};
	struct query_source src = {0};
	struct option opts[] = {
	        {OPT_STRING, 0, "query", &src.name, "NAME",
	         "a shipped query or a filter set's query"},
	        {OPT_STRING, 0, "query-file", &src.file, "FILE",
	         "read the query from FILE ('-': stdin)"},
	        {OPT_STRING, 0, "save", &o.save, "NAME", "save the matches as set NAME"},
	        {OPT_BOOL, 0, "replace", &o.replace, NULL, "with --save: replace an existing set"},
	        {OPT_BOOL, 0, "count", &o.count, NULL, "print only the number of matches"},
	        {OPT_CHOICE, 0, "format", &o.format, "table|csv|json",
	         "output format (default table)"},
	        {OPT_BOOL, 0, "explain", &o.explain, NULL,
	         "show the SQL and its parameters, run nothing"},
	        {OPT_END},
	};
	src.argc = parse_options("filter", argc, argv, opts, filter_usage);
	src.argv = argv;
	cli_query_check_usage("filter", &src);
	if (o.replace && !o.save)
		usage_error("filter", "--replace goes with --save NAME");
	if (o.explain && (o.save || o.count))
		usage_error("filter", "--explain runs nothing: not with %s",
		            o.save ? "--save" : "--count");
	if (o.save && !set_name_valid(o.save))
		usage_error("filter", "--save: '%s' is not a valid set name", o.save);

	struct store *s = NULL;
	struct error err;
	if (o.explain) {
		/* The plan needs the database, the SQL does not. */
		if (store_open(cli_db_path(), STORE_READONLY, &s, &err))
			s = NULL;
	} else if (cli_open_store(o.save ? STORE_READWRITE : STORE_READONLY, &s)) {
		return EXIT_FAILURE;
	}
	struct query *q;
	int rc = EXIT_FAILURE;
	if (!cli_query_load("filter", &src, s, &q)) {
		rc = o.explain ? explain(s, q) : run(s, q, &o);
		query_free(q);
	}
	store_close(s);
	return rc;
}
