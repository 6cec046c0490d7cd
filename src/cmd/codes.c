/*
 * codes.c - "issuemine codes import|export": raters' codes as CSV, in and out.
 *
 * The format and the rules of an import (the whole file checked first, one
 * transaction, idempotent) are in codes_csv.h; this file parses options,
 * prints the bad rows or the summary, and writes exports as CSV or JSON.
 */
#include "cli.h"
#include "codes.h"
#include "codes_csv.h"
#include "commands.h"
#include "csv.h"
#include "outfile.h"
#include "qdpx.h"
#include "sets.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

static const char *const codes_usage[] = {
        "issuemine codes import --sample S [--taxonomy NAME] [--add-to-sample] "
        "[--create-missing] FILE.csv",
        "issuemine codes export --sample S [--rater R] [--taxonomy NAME] [--format csv|json]",
        "issuemine codes export --sample S [--rater R] --format qdpx --output FILE.qdpx",
        NULL,
        "Bring raters' codes in from CSV (RFC 4180, header required) with the columns",
        "issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note, or",
        "write them out in the same format. See 'issuemine codes import --help' and",
        "'issuemine codes export --help'.",
        NULL,
};

static const char *const import_usage[] = {
        "issuemine codes import --sample S [--taxonomy NAME] [--add-to-sample] "
        "[--create-missing] [--format text|json] FILE.csv",
        NULL,
        "Import codes from CSV (RFC 4180, header required) with the columns",
        "issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note (all",
        "but the first four may be empty or absent). issue is owner/name#N or a GitHub",
        "issue URL; dimension, category and subcategory match a key, a name or an alias,",
        "ignoring case; exclusion is one of the taxonomy's exclusion reasons (key or",
        "name), exclusion_note its free text. A row with no dimension or category",
        "carries a note or an exclusion alone; notes may span lines (quoted). The whole",
        "file is checked first: every bad row is listed with its line and nothing is",
        "imported. A clean file is imported in one transaction; importing it again",
        "changes nothing. FILE '-' reads standard input.",
        NULL,
};

static const char *const export_usage[] = {
        "issuemine codes export --sample S [--rater R] [--taxonomy NAME] [--format csv|json]",
        "                       [--output FILE]",
        "issuemine codes export --sample S [--rater R] --format qdpx --output FILE.qdpx",
        NULL,
        "Write the sample's codes (and notes and exclusions) in the format 'codes",
        "import' reads, one row per code, with keys for dimensions, categories and",
        "exclusion reasons: an export imported into another database exports the same",
        "again. The note and the exclusion go on the first row of each issue and rater.",
        "",
        "--format qdpx writes a REFI-QDA project, the exchange format of qualitative",
        "analysis tools (MAXQDA, ATLAS.ti, NVivo, QDA Miner, QualCoder): a zip file with",
        "project.qde and one plain-text source per issue (what a rater reads: the",
        "issue and its timeline). The taxonomy is the codebook (dimensions group their",
        "categories and sub-categories, with definitions; the exclusion reasons sit",
        "under 'Excluded'); each rater is a user, and what a rater said about an issue",
        "is a selection of its whole text with a coding per code (an exclusion codes",
        "its reason); notes and the free text of exclusions are memos; a set per rater",
        "holds the issues the rater excluded. The same database writes the same file.",
        "",
        "--output FILE writes to FILE (whole or not at all) instead of standard output;",
        "qdpx needs it.",
        NULL,
};

static void print_summary(const char *format, const char *file, const char *sample,
                          const struct codes_import_result *r)
{
	if (!strcmp(format, "json")) {
		json_t *o = json_pack(
		        "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "file",
		        file, "sample", sample, "rows", (json_int_t)r->rows, "codes_new",
		        (json_int_t)r->codes_new, "codes_changed", (json_int_t)r->codes_changed,
		        "codes_unchanged", (json_int_t)r->codes_unchanged, "notes_set",
		        (json_int_t)r->notes_set, "notes_unchanged", (json_int_t)r->notes_unchanged,
		        "issues_created", (json_int_t)r->issues_created, "members_added",
		        (json_int_t)r->members_added, "raters_created",
		        (json_int_t)r->raters_created, "sample_created", r->sample_created);
		json_object_set_new(o, "exclusions_set", json_integer(r->exclusions_set));
		json_object_set_new(o, "exclusions_unchanged",
		                    json_integer(r->exclusions_unchanged));
		cli_print_json(o);
		return;
	}
	printf("imported %s into sample '%s'%s: %ld row%s; codes: %ld new, %ld changed, "
	       "%ld unchanged; notes: %ld set, %ld unchanged",
	       file, sample, r->sample_created ? " (created)" : "", r->rows,
	       r->rows == 1 ? "" : "s", r->codes_new, r->codes_changed, r->codes_unchanged,
	       r->notes_set, r->notes_unchanged);
	if (r->exclusions_set || r->exclusions_unchanged)
		printf("; exclusions: %ld set, %ld unchanged", r->exclusions_set,
		       r->exclusions_unchanged);
	printf("\n");
	if (r->issues_created || r->members_added || r->raters_created)
		printf("added %ld minimal issue%s, %ld issue%s to the sample, %ld rater%s\n",
		       r->issues_created, r->issues_created == 1 ? "" : "s", r->members_added,
		       r->members_added == 1 ? "" : "s", r->raters_created,
		       r->raters_created == 1 ? "" : "s");
}

static int run_import(struct store *s, const char *file, const char *taxonomy,
                      const struct codes_import_options *o, const char *format)
{
	struct error err;
	struct taxonomy *t;
	if (tax_read(s, taxonomy, &t, &err))
		return cli_fail(&err);
	int is_stdin = !strcmp(file, "-");
	FILE *f = is_stdin ? stdin : fopen(file, "rb");
	if (!f) {
		cli_error("%s: %s", file, strerror(errno));
		tax_free(t);
		return EXIT_FAILURE;
	}
	struct codes_import_result res;
	const char *name = is_stdin ? "<stdin>" : file;
	int rc = codes_import(s, t, f, name, o, &res, &err);
	if (!is_stdin)
		fclose(f);
	for (size_t i = 0; i < res.nerrors; i++)
		cli_error("%s: line %ld: %s", name, res.errors[i].line, res.errors[i].reason);
	if (rc)
		cli_fail(&err);
	else
		print_summary(format, name, o->sample, &res);
	codes_import_result_release(&res);
	tax_free(t);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int codes_import_cmd(int argc, const char **argv)
{
	const char *sample = NULL, *taxonomy = NULL, *format = "text";
	int add = 0, create = 0;
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &sample, "S",
	         "the sample the codes belong to (required)"},
	        {OPT_STRING, 0, "taxonomy", &taxonomy, "NAME",
	         "the taxonomy (default: the only one in the database)"},
	        {OPT_BOOL, 0, "add-to-sample", &add, NULL,
	         "add issues not in the sample to it (creating the sample if needed)"},
	        {OPT_BOOL, 0, "create-missing", &create, NULL,
	         "create minimal rows for issues not in the database"},
	        {OPT_CHOICE, 0, "format", &format, "text|json", "summary format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("codes import", argc, argv, opts, import_usage);
	if (!sample)
		usage_error("codes import", "--sample is required");
	if (!set_name_valid(sample))
		usage_error("codes import", "--sample: '%s' is not a valid set name", sample);
	if (argc != 1)
		usage_error("codes import", argc ? "one FILE at a time" : "no FILE given");
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct codes_import_options o = {sample, add, create};
	int rc = run_import(s, argv[0], taxonomy, &o, format);
	store_close(s);
	return rc;
}

/* The row's fields in the order of codes_csv_columns. */
static void row_fields(const struct codes_row *r, const char *f[CODES_CSV_NCOLUMNS])
{
	const char *v[CODES_CSV_NCOLUMNS] = {r->issue,     r->rater,         r->dimension,
	                                     r->category,  r->subcategory,   r->note,
	                                     r->exclusion, r->exclusion_note};
	memcpy(f, v, sizeof(v));
}

static void write_csv(FILE *out, const struct codes_row *rows, size_t n)
{
	csv_write_row(out, codes_csv_columns, CODES_CSV_NCOLUMNS);
	for (size_t i = 0; i < n; i++) {
		const char *f[CODES_CSV_NCOLUMNS];
		row_fields(&rows[i], f);
		csv_write_row(out, f, CODES_CSV_NCOLUMNS);
	}
}

static void write_json(FILE *out, const struct codes_row *rows, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *f[CODES_CSV_NCOLUMNS];
		row_fields(&rows[i], f);
		json_t *o = json_object();
		for (size_t c = 0; c < CODES_CSV_NCOLUMNS; c++)
			json_object_set_new(o, codes_csv_columns[c],
			                    f[c] ? json_string(f[c]) : json_null());
		json_array_append_new(a, o);
	}
	json_dumpf(a, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(a);
}

/* The rows as CSV or JSON, on standard output or whole into output. */
static int write_rows(const struct codes_row *rows, size_t n, const char *format,
                      const char *output)
{
	struct outfile o;
	struct error err;
	if (outfile_open(&o, output, &err))
		return cli_fail(&err);
	if (!strcmp(format, "json"))
		write_json(o.f, rows, n);
	else
		write_csv(o.f, rows, n);
	return outfile_commit(&o, &err) ? cli_fail(&err) : EXIT_SUCCESS;
}

/* The sample as a REFI-QDA project; takes t over. */
static int write_qdpx(struct store *s, struct taxonomy *t, int64_t set_id, int64_t rater_id,
                      const char *output)
{
	struct error err;
	struct qda_project *p;
	if (qda_project_load(s, t, set_id, rater_id, &p, &err))
		return cli_fail(&err);
	int rc = qdpx_write(p, output, &err) ? cli_fail(&err) : EXIT_SUCCESS;
	qda_project_free(p);
	return rc;
}

static int run_export(struct store *s, const char *sample, const char *rater, const char *taxonomy,
                      const char *format, const char *output)
{
	struct error err;
	int64_t set_id, rid = 0;
	if (set_find(s, sample, &set_id, &err))
		return cli_fail(&err);
	if (!set_id) {
		cli_error("no sample named '%s'", sample);
		return EXIT_FAILURE;
	}
	if (rater) {
		if (rater_id(s, rater, 0, &rid, &err))
			return cli_fail(&err);
		if (!rid) {
			cli_error("no rater named '%s'", rater);
			return EXIT_FAILURE;
		}
	}
	struct taxonomy *t;
	if (tax_read(s, taxonomy, &t, &err))
		return cli_fail(&err);
	if (!strcmp(format, "qdpx"))
		return write_qdpx(s, t, set_id, rid, output);
	struct codes_row *rows;
	size_t n;
	int rc = codes_export(s, t, set_id, rid, &rows, &n, &err);
	tax_free(t);
	if (rc)
		return cli_fail(&err);
	rc = write_rows(rows, n, format, output);
	codes_rows_free(rows, n);
	return rc;
}

static int codes_export_cmd(int argc, const char **argv)
{
	const char *sample = NULL, *rater = NULL, *taxonomy = NULL, *format = "csv", *output = NULL;
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &sample, "S", "the sample (required)"},
	        {OPT_STRING, 0, "rater", &rater, "R", "only this rater's codes"},
	        {OPT_STRING, 0, "taxonomy", &taxonomy, "NAME",
	         "the taxonomy (default: the only one in the database)"},
	        {OPT_CHOICE, 0, "format", &format, "csv|json|qdpx", "output format (default csv)"},
	        {OPT_STRING, 'o', "output", &output, "FILE",
	         "write to FILE (whole or not at all) instead of stdout"},
	        {OPT_END},
	};
	argc = parse_options("codes export", argc, argv, opts, export_usage);
	if (!sample)
		usage_error("codes export", "--sample is required");
	if (argc > 0)
		usage_error("codes export", "unexpected argument '%s'", argv[0]);
	if (!strcmp(format, "qdpx") && (!output || !strcmp(output, "-")))
		usage_error("codes export",
		            "--format qdpx writes a zip file: give --output FILE.qdpx");
	if (output && !*output)
		usage_error("codes export", "--output: give a file");
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	int rc = run_export(s, sample, rater, taxonomy, format, output);
	store_close(s);
	return rc;
}

int cmd_codes(int argc, const char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return codes_import_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "export"))
		return codes_export_cmd(argc - 1, argv + 1);
	struct option opts[] = {{OPT_END}};
	argc = parse_options("codes", argc, argv, opts, codes_usage);
	if (argc == 0)
		usage_error("codes", "no subcommand given (import or export)");
	usage_error("codes", "'%s' is not a codes subcommand (import or export)", argv[0]);
}
