/*
 * validate.c - "issuemine validate": a query's precision and recall against
 * hand-labelled truth (the paper's filter validation, section 5.1.1).
 */
#include "cli.h"
#include "commands.h"
#include "csv.h"
#include "querysource.h"
#include "validate.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char *const validate_usage[] = {
        "issuemine validate (QUERY | --query NAME | --query-file FILE) --truth FILE.csv [--min X]",
        NULL,
        "Measure how well a query finds the relevant issues of a hand-labelled truth file:",
        "a CSV with columns issue (owner/name#N or a GitHub URL) and relevant (1/0, yes/no",
        "or true/false). Prints per repository and in total TP, FP, FN, TN, precision,",
        "recall and F1. With --min X, exits 1 when precision or recall of any repository",
        "or of the total is below X (or undefined). Issues of the truth file that are not",
        "in the database are listed and left out of the counts. For a query with terms",
        "over fixes, it says how many issues it classed have no fix data.",
        NULL,
};

static void print_metric_text(double v)
{
	if (isnan(v))
		printf("  %9s", "-");
	else
		printf("  %9.3f", v);
}

static void text_row(const char *name, const struct validate_counts *c)
{
	printf("%-28s %5ld %5ld %5ld %5ld", name, c->tp, c->fp, c->fn, c->tn);
	print_metric_text(validate_precision(c));
	print_metric_text(validate_recall(c));
	print_metric_text(validate_f1(c));
	printf("\n");
}

static void print_text(const struct validate_result *r)
{
	printf("%-28s %5s %5s %5s %5s  %9s  %9s  %9s\n", "REPOSITORY", "TP", "FP", "FN", "TN",
	       "PRECISION", "RECALL", "F1");
	for (size_t i = 0; i < r->nrepos; i++)
		text_row(r->repos[i].repo, &r->repos[i]);
	text_row("total", &r->total);
	if (r->nmissing) {
		printf("\nnot in the database (%zu of %zu):", r->nmissing, r->rows);
		for (size_t i = 0; i < r->nmissing; i++)
			printf(" %s", r->missing[i]);
		printf("\n");
	}
}

static void csv_row(const char *name, const struct validate_counts *c)
{
	char f[7][32];
	double m[3] = {validate_precision(c), validate_recall(c), validate_f1(c)};
	snprintf(f[0], 32, "%ld", c->tp);
	snprintf(f[1], 32, "%ld", c->fp);
	snprintf(f[2], 32, "%ld", c->fn);
	snprintf(f[3], 32, "%ld", c->tn);
	for (int i = 0; i < 3; i++)
		if (isnan(m[i]))
			f[4 + i][0] = '\0'; /* undefined: an empty field */
		else
			snprintf(f[4 + i], 32, "%.4f", m[i]);
	const char *row[] = {name, f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
	csv_write_row(stdout, row, 8);
}

static void print_csv(const struct validate_result *r)
{
	static const char *const header[] = {"repository", "tp",        "fp",     "fn",
	                                     "tn",         "precision", "recall", "f1"};
	csv_write_row(stdout, header, 8);
	for (size_t i = 0; i < r->nrepos; i++)
		csv_row(r->repos[i].repo, &r->repos[i]);
	csv_row("total", &r->total);
}

static json_t *metric_json(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *counts_json(const char *name, const struct validate_counts *c)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "repository", name, "tp",
	                 (json_int_t)c->tp, "fp", (json_int_t)c->fp, "fn", (json_int_t)c->fn, "tn",
	                 (json_int_t)c->tn, "precision", metric_json(validate_precision(c)),
	                 "recall", metric_json(validate_recall(c)), "f1",
	                 metric_json(validate_f1(c)));
}

static void print_json(const struct validate_result *r)
{
	json_t *repos = json_array(), *missing = json_array();
	for (size_t i = 0; i < r->nrepos; i++)
		json_array_append_new(repos, counts_json(r->repos[i].repo, &r->repos[i]));
	for (size_t i = 0; i < r->nmissing; i++)
		json_array_append_new(missing, json_string(r->missing[i]));
	cli_print_json(json_pack("{s:o, s:o, s:o, s:I}", "repositories", repos, "total",
	                         counts_json("total", &r->total), "missing", missing,
	                         "without_fix_data", (json_int_t)r->without_fix_data));
}

/* Says (on stderr) which measure falls below min; returns the number that do. */
static int check_one(const char *name, const struct validate_counts *c, double min)
{
	int below = 0;
	double v[2] = {validate_precision(c), validate_recall(c)};
	const char *what[2] = {"precision", "recall"};
	for (int i = 0; i < 2; i++) {
		if (isnan(v[i])) {
			cli_error("validate: %s: %s is undefined (below --min %g)", name, what[i],
			          min);
			below++;
		} else if (v[i] < min) {
			cli_error("validate: %s: %s %.3f is below --min %g", name, what[i], v[i],
			          min);
			below++;
		}
	}
	return below;
}

static int check_min(const struct validate_result *r, double min)
{
	int below = 0;
	for (size_t i = 0; i < r->nrepos; i++)
		below += check_one(r->repos[i].repo, &r->repos[i], min);
	below += check_one("total", &r->total, min);
	return below;
}

int cmd_validate(int argc, const char **argv)
{
	const char *truth = NULL, *format = "text";
	double min = NAN; /* none given (the option parser takes finite numbers only) */
	struct query_source src = {0};
	struct option opts[] = {
	        {OPT_STRING, 0, "query", &src.name, "NAME",
	         "a shipped query or a filter set's query"},
	        {OPT_STRING, 0, "query-file", &src.file, "FILE", "read the query from FILE"},
	        {OPT_STRING, 0, "truth", &truth, "FILE.csv", "the hand-labelled issues"},
	        {OPT_DOUBLE, 0, "min", &min, "X", "fail when precision or recall is below X"},
	        {OPT_CHOICE, 0, "format", &format, "text|csv|json", "output format (default text)"},
	        {OPT_END},
	};
	src.argc = parse_options("validate", argc, argv, opts, validate_usage);
	src.argv = argv;
	cli_query_check_usage("validate", &src);
	if (!truth)
		usage_error("validate", "no --truth FILE.csv given");
	if (!isnan(min) && (min < 0 || min > 1))
		usage_error("validate", "--min: %g is not between 0 and 1", min);

	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	struct query *q;
	struct validate_result r;
	struct error err;
	int rc = EXIT_FAILURE;
	if (cli_query_load("validate", &src, s, &q)) {
		store_close(s);
		return EXIT_FAILURE;
	}
	if (validate_run(s, q, truth, &r, &err)) {
		cli_fail(&err);
	} else {
		if (!strcmp(format, "json"))
			print_json(&r);
		else if (!strcmp(format, "csv"))
			print_csv(&r);
		else
			print_text(&r);
		if (r.nmissing)
			cli_warning("%s: %zu of %zu issues are not in the database (left out)",
			            truth, r.nmissing, r.rows);
		if (r.without_fix_data)
			cli_warning(
			        "%s: %zu of the issues classed have no fix data: a fix term does "
			        "not hold there, so its negation does (see 'issuemine fixes "
			        "fetch')",
			        truth, r.without_fix_data);
		rc = !isnan(min) && check_min(&r, min) ? EXIT_FAILURE : EXIT_SUCCESS;
		validate_result_release(&r);
	}
	query_free(q);
	store_close(s);
	return rc;
}
