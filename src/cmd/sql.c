/*
 * sql.c - "issuemine sql QUERY": read-only SQL for power users, printed as CSV.
 *
 * The database is opened read-only (and PRAGMA query_only is set), so no
 * statement can change it. docs/schema.md describes the tables.
 */
#include "cli.h"
#include "commands.h"
#include "csv.h"
#include "strbuf.h"

#include <jansson.h>
#include <string.h>

static const char *const sql_usage[] = {
        "issuemine sql [--no-header] [--format csv|json] QUERY",
        NULL,
        "Run read-only SQL against the database and print the rows as CSV (RFC 4180)",
        "with a header, or as a JSON array of objects. QUERY '-' reads it from standard",
        "input; several statements separated by ';' run in turn. In JSON, a column name",
        "that repeats gets _2, _3... The tables are described in docs/schema.md and in",
        "the manual.",
        NULL,
};

static void print_csv_header(sqlite3_stmt *st)
{
	int cols = sqlite3_column_count(st);
	for (int i = 0; i < cols; i++) {
		if (i)
			putchar(',');
		csv_write_field(stdout, sqlite3_column_name(st, i));
	}
	csv_end_row(stdout);
}

static void print_csv_row(sqlite3_stmt *st)
{
	int cols = sqlite3_column_count(st);
	for (int i = 0; i < cols; i++) {
		if (i)
			putchar(',');
		csv_write_field(stdout, (const char *)sqlite3_column_text(st, i));
	}
	csv_end_row(stdout);
}

/* Sets row[name] to v; a name already taken (SELECT a.id, b.id) becomes name_2, name_3... */
static void set_column(json_t *row, const char *name, json_t *v)
{
	if (!json_object_get(row, name)) {
		json_object_set_new(row, name, v);
		return;
	}
	struct strbuf key = STRBUF_INIT;
	for (int n = 2;; n++) {
		strbuf_reset(&key);
		strbuf_addf(&key, "%s_%d", name, n);
		if (!json_object_get(row, key.buf))
			break;
	}
	json_object_set_new(row, key.buf, v);
	strbuf_release(&key);
}

static json_t *json_row(sqlite3_stmt *st)
{
	json_t *row = json_object();
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		json_t *v;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_string((const char *)sqlite3_column_text(st, i));
			if (!v) /* not UTF-8: keep the row, lose the value */
				v = json_null();
		}
		set_column(row, sqlite3_column_name(st, i), v);
	}
	return row;
}

/* Runs one prepared statement, printing its rows; returns SQLite's last code. */
static int run_statement(sqlite3_stmt *st, int header, int json, json_t *rows)
{
	int rc, first = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json) {
			json_array_append_new(rows, json_row(st));
			continue;
		}
		if (first && header)
			print_csv_header(st);
		first = 0;
		print_csv_row(st);
	}
	if (rc == SQLITE_DONE && first && header && !json && sqlite3_column_count(st) > 0)
		print_csv_header(st);
	return rc;
}

/* Set by the authorizer while a statement is prepared. */
static int saw_pragma;

static int note_pragma(void *data, int action, const char *a, const char *b, const char *c,
                       const char *d)
{
	(void)data, (void)a, (void)b, (void)c, (void)d;
	if (action == SQLITE_PRAGMA)
		saw_pragma = 1;
	return SQLITE_OK;
}

/* Says statement st may not run: its first line (without leading blanks) and why. */
static int refuse(sqlite3_stmt *st, const char *why)
{
	const char *text = sqlite3_sql(st);
	text += strspn(text, " \t\r\n");
	cli_error("sql: %.*s: only statements that read are allowed%s", (int)strcspn(text, "\n"),
	          text, why);
	return EXIT_FAILURE;
}

/* True if a PRAGMA failed for writing: the read-only connection stopped it. */
static int pragma_wrote(struct store *s)
{
	int code = sqlite3_errcode(s->db) & 0xff;
	return code == SQLITE_READONLY || code == SQLITE_IOERR || code == SQLITE_CANTOPEN;
}

static int run_all(struct store *s, const char *sql, int header, int json)
{
	json_t *rows = json ? json_array() : NULL;
	const char *tail = sql;
	sqlite3_set_authorizer(s->db, note_pragma, NULL);
	int status = EXIT_SUCCESS;
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		saw_pragma = 0;
		if (sqlite3_prepare_v2(s->db, tail, -1, &st, &tail) != SQLITE_OK) {
			cli_error("sql: %s", sqlite3_errmsg(s->db));
			status = EXIT_FAILURE;
			break;
		}
		if (!st) /* white space or a comment */
			continue;
		/*
		 * A statement that writes is refused before it runs (VACUUM INTO would
		 * create its file, then fail). A PRAGMA may read though SQLite calls it
		 * a write (journal_mode); the read-only connection stops it if it writes.
		 */
		if (!sqlite3_stmt_readonly(st) && !saw_pragma) {
			status = refuse(st, "");
			sqlite3_finalize(st);
			break;
		}
		int rc = run_statement(st, header, json, rows);
		if (rc != SQLITE_DONE) {
			status = EXIT_FAILURE;
			if (saw_pragma && pragma_wrote(s))
				refuse(st, " (this PRAGMA writes)");
			else
				cli_error("sql: %s", sqlite3_errmsg(s->db));
			sqlite3_finalize(st);
			break;
		}
		sqlite3_finalize(st);
	}
	if (json && status == EXIT_SUCCESS)
		cli_print_json(rows);
	else
		json_decref(rows);
	return status;
}

int cmd_sql(int argc, const char **argv)
{
	int header = 1;
	const char *format = "csv";
	struct option opts[] = {
	        {OPT_BOOL, 0, "header", &header, NULL,
	         "print the header row (default; --no-header)"},
	        {OPT_CHOICE, 0, "format", &format, "csv|json", "output format (default csv)"},
	        {OPT_END},
	};
	argc = parse_options("sql", argc, argv, opts, sql_usage);
	if (argc != 1)
		usage_error("sql", argc ? "give the query as one argument" : "no QUERY given");
	struct strbuf sb = STRBUF_INIT;
	struct error err;
	if (!strcmp(argv[0], "-") && strbuf_read_file(&sb, "-", &err)) {
		strbuf_release(&sb);
		return cli_fail(&err);
	}
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s)) {
		strbuf_release(&sb);
		return EXIT_FAILURE;
	}
	int rc = run_all(s, strcmp(argv[0], "-") ? argv[0] : sb.buf, header,
	                 !strcmp(format, "json"));
	store_close(s);
	strbuf_release(&sb);
	return rc;
}
