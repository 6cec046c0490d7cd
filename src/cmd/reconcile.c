/*
 * reconcile.c - "issuemine reconcile": settle the disagreements of two
 * raters as a third rater (the adjudicator, e.g. "consensus").
 *
 * Without --list it opens the UI (tui/) on the issues where the raters
 * disagree, after giving the adjudicator the codes both raters agree on, so
 * that the adjudicator ends up with a complete coding that reports can use.
 * With --list it prints the disagreements (text, CSV or JSON) and writes
 * nothing. Blind coding ends here: both raters' codes are shown.
 */
#include "cli.h"
#include "codes.h"
#include "commands.h"
#include "csv.h"
#include "reconcile.h"
#include "sets.h"
#include "strbuf.h"
#include "text.h"
#include "tui.h"

#include <jansson.h>
#include <string.h>

static const char *const reconcile_usage[] = {
        "issuemine reconcile --sample NAME --raters A,B --as NAME [--taxonomy NAME]",
        "issuemine reconcile --sample NAME --raters A,B --list [--as NAME] [--format "
        "text|csv|json]",
        NULL,
        "Walk the issues where raters A and B disagree (both coded a dimension, with",
        "different categories or sub-categories) and decide each as rater NAME: 1-9",
        "picks a dimension, then A or B takes that rater's code, or a category's",
        "letter another one. Where A and B agree, NAME is given their code first.",
        "Blind coding ends here: both raters' codes are shown (an external rater's with",
        "the confidence its answer gave them). --list prints the disagreements (with",
        "NAME's decisions when --as is given) and changes nothing.",
        NULL,
};

struct reconcile_args {
	const char *sample, *raters, *as, *taxonomy, *format;
	int list;
	char name_a[128], name_b[128];
};

static void parse_raters(struct reconcile_args *a)
{
	const char *comma = strchr(a->raters, ',');
	size_t len = comma ? (size_t)(comma - a->raters) : 0;
	if (!comma || strchr(comma + 1, ',') || len >= sizeof(a->name_a) ||
	    strlen(comma + 1) >= sizeof(a->name_b))
		usage_error("reconcile", "--raters: give exactly two raters, as A,B");
	memcpy(a->name_a, a->raters, len);
	a->name_a[len] = '\0';
	strcpy(a->name_b, comma + 1);
	if (!rater_name_valid(a->name_a) || !rater_name_valid(a->name_b))
		usage_error("reconcile", "--raters: '%s' is not two valid rater names", a->raters);
	if (!strcmp(a->name_a, a->name_b))
		usage_error("reconcile", "--raters: the two raters must differ");
	if (a->as && !rater_name_valid(a->as))
		usage_error("reconcile", "--as: '%s' is not a valid rater name", a->as);
	if (a->as && (!strcmp(a->as, a->name_a) || !strcmp(a->as, a->name_b)))
		usage_error("reconcile",
		            "--as: the adjudicator must be another rater than %s and %s", a->name_a,
		            a->name_b);
}

/* The ids of the sample and the raters; the adjudicator is created when create_as is set. */
static int resolve(struct store *s, const struct reconcile_args *a, int create_as,
                   struct tui_options *o, struct error *err)
{
	if (set_find(s, a->sample, &o->set_id, err))
		return -1;
	if (!o->set_id)
		return error_set(err, "no sample named '%s'", a->sample);
	if (rater_id(s, a->name_a, 0, &o->rater_a, err) ||
	    rater_id(s, a->name_b, 0, &o->rater_b, err))
		return -1;
	if (!o->rater_a || !o->rater_b)
		return error_set(err, "no rater named '%s' (raters are created when they code)",
		                 o->rater_a ? a->name_b : a->name_a);
	if (!a->as)
		return 0;
	if (!create_as)
		return rater_id(s, a->as, 0, &o->rater_id, err);
	if (store_begin(s, err))
		return -1;
	if (rater_id(s, a->as, 1, &o->rater_id, err)) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

/* --- --list --- */

/* A code's label (with an external rater's confidence, conf >= 0), or "-". */
static void label_of(const struct tax_code *c, double conf, char *buf, size_t size)
{
	if (c->cat)
		recon_code_label(c, conf, buf, size);
	else
		snprintf(buf, size, "-");
}

/* An exclusion decision: "excluded: Not a failure", "included", or "-" (undecided). */
static void decision_of(const struct tax_reason *r, int included, char *buf, size_t size)
{
	if (r)
		snprintf(buf, size, "excluded: %s", r->name);
	else
		snprintf(buf, size, "%s", included ? "included" : "-");
}

/* The row's dimension key ("exclusion" for an exclusion row) and its three cells. */
static const char *row_cells(const struct recon_row *r, char a[512], char b[512], char as[512])
{
	if (r->exclusion) {
		decision_of(r->xa, 1, a, 512);
		decision_of(r->xb, 1, b, 512);
		decision_of(r->xas, r->as_coded, as, 512);
		return "exclusion";
	}
	label_of(&r->a, r->conf_a, a, 512);
	label_of(&r->b, r->conf_b, b, 512);
	label_of(&r->as, -1, as, 512);
	return r->a.dim->key;
}

static int cell_width(const char *s)
{
	return text_width(s, strlen(s));
}

static void print_padded(const char *s, int width)
{
	fputs(s, stdout);
	for (int w = cell_width(s); w < width; w++)
		fputc(' ', stdout);
}

static void list_text(const struct reconcile_args *a, const struct recon_list *l)
{
	const char *heads[5] = {"issue", "dimension", a->name_a, a->name_b, a->as ? a->as : NULL};
	int ncols = a->as ? 5 : 4, widths[5] = {0};
	char cells[5][512];
	text_init(); /* widths of names beyond ASCII, in the user's locale */
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i <= l->n; i++) {
			if (i == 0) {
				for (int c = 0; c < ncols; c++)
					snprintf(cells[c], sizeof(cells[c]), "%s", heads[c]);
			} else {
				const struct recon_row *r = &l->rows[i - 1];
				snprintf(cells[0], sizeof(cells[0]), "%s#%lld", r->repo,
				         (long long)r->number);
				snprintf(cells[1], sizeof(cells[1]), "%s",
				         row_cells(r, cells[2], cells[3], cells[4]));
			}
			for (int c = 0; c < ncols; c++) {
				/* names from a taxonomy file: measured and shown escaped */
				const char *shown = cli_text(cells[c]);
				int w = cell_width(shown);
				if (!pass) {
					widths[c] = w > widths[c] ? w : widths[c];
				} else if (c + 1 < ncols) {
					print_padded(shown, widths[c] + 2);
				} else {
					printf("%s\n", shown);
				}
			}
		}
	}
}

static void summary(const struct reconcile_args *a, const struct recon_list *l, FILE *out)
{
	int64_t *ids;
	size_t issues = recon_list_issues(l, &ids);
	free(ids);
	fprintf(out, "%zu disagreement%s on %zu issue%s of sample '%s'", l->n, l->n == 1 ? "" : "s",
	        issues, issues == 1 ? "" : "s", a->sample);
	if (l->one_sided)
		fprintf(out, "; %zu issue%s coded by only one of %s and %s left out", l->one_sided,
		        l->one_sided == 1 ? "" : "s", a->name_a, a->name_b);
	fputc('\n', out);
}

static void list_csv(const struct reconcile_args *a, const struct recon_list *l)
{
	static const char *const header[] = {"issue",       "title",      "dimension",
	                                     "rater_a",     "category_a", "subcategory_a",
	                                     "rater_b",     "category_b", "subcategory_b",
	                                     "adjudicator", "category",   "subcategory"};
	csv_write_row(stdout, header, sizeof(header) / sizeof(header[0]));
	for (size_t i = 0; i < l->n; i++) {
		const struct recon_row *r = &l->rows[i];
		char ref[320];
		snprintf(ref, sizeof(ref), "%s#%lld", r->repo, (long long)r->number);
		if (r->exclusion) {
			/* category: "excluded" or "included"; subcategory: the reason's key */
			const char *row[] = {
			        ref,
			        r->title,
			        "exclusion",
			        a->name_a,
			        r->xa ? "excluded" : "included",
			        r->xa ? r->xa->key : NULL,
			        a->name_b,
			        r->xb ? "excluded" : "included",
			        r->xb ? r->xb->key : NULL,
			        a->as,
			        r->xas                 ? "excluded"
			        : r->as_coded && a->as ? "included"
			                               : NULL,
			        r->xas ? r->xas->key : NULL,
			};
			csv_write_row(stdout, row, sizeof(row) / sizeof(row[0]));
			continue;
		}
		const char *row[] = {
		        ref,
		        r->title,
		        r->a.dim->key,
		        a->name_a,
		        r->a.cat->name,
		        r->a.sub ? r->a.sub->name : NULL,
		        a->name_b,
		        r->b.cat->name,
		        r->b.sub ? r->b.sub->name : NULL,
		        a->as,
		        r->as.cat ? r->as.cat->name : NULL,
		        r->as.sub ? r->as.sub->name : NULL,
		};
		csv_write_row(stdout, row, sizeof(row) / sizeof(row[0]));
	}
}

/* A rater's code; with "confidence" when an external rater's answer gave one (conf >= 0). */
static json_t *code_json(const char *rater, const struct tax_code *c, double conf)
{
	if (!c->cat)
		return json_null();
	char label[512];
	tax_code_label(c, label, sizeof(label));
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s}", "rater", rater, "category", c->cat->key,
	                      "subcategory", c->sub ? c->sub->key : NULL, "label", label);
	if (conf >= 0)
		json_object_set_new(o, "confidence", json_real(conf));
	return o;
}

static json_t *decision_json(const char *rater, const struct tax_reason *r, int included)
{
	if (!r && !included)
		return json_null();
	return json_pack("{s:s, s:b, s:s?, s:s?}", "rater", rater, "excluded", r != NULL, "reason",
	                 r ? r->key : NULL, "label", r ? r->name : "included");
}

static void list_json(const struct reconcile_args *a, const struct taxonomy *t,
                      const struct recon_list *l)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct recon_row *r = &l->rows[i];
		char ref[320];
		snprintf(ref, sizeof(ref), "%s#%lld", r->repo, (long long)r->number);
		if (r->exclusion) {
			json_array_append_new(
			        rows, json_pack("{s:s, s:s, s:s, s:[o, o], s:o}", "issue", ref,
			                        "title", r->title, "dimension", "exclusion",
			                        "codes", decision_json(a->name_a, r->xa, 1),
			                        decision_json(a->name_b, r->xb, 1), "resolution",
			                        a->as ? decision_json(a->as, r->xas, r->as_coded)
			                              : json_null()));
			continue;
		}
		json_array_append_new(
		        rows, json_pack("{s:s, s:s, s:s, s:[o, o], s:o}", "issue", ref, "title",
		                        r->title, "dimension", r->a.dim->key, "codes",
		                        code_json(a->name_a, &r->a, r->conf_a),
		                        code_json(a->name_b, &r->b, r->conf_b), "resolution",
		                        a->as ? code_json(a->as, &r->as, -1) : json_null()));
	}
	int64_t *ids;
	size_t issues = recon_list_issues(l, &ids);
	free(ids);
	cli_print_json(json_pack("{s:s, s:s, s:[s, s], s:s?, s:I, s:I, s:o}", "sample", a->sample,
	                         "taxonomy", t->name, "raters", a->name_a, a->name_b, "adjudicator",
	                         a->as, "issues", (json_int_t)issues, "left_out",
	                         (json_int_t)l->one_sided, "disagreements", rows));
}

static int run_list(struct reconcile_args *a)
{
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	struct error err;
	struct taxonomy *t = NULL;
	struct tui_options o = {0};
	struct recon_list l = {0};
	int rc = tax_read(s, a->taxonomy, &t, &err) || resolve(s, a, 0, &o, &err) ||
	         recon_list_load(s, t, o.set_id, o.rater_a, o.rater_b, o.rater_id, &l, &err);
	if (!rc && !strcmp(a->format, "json")) {
		list_json(a, t, &l);
	} else if (!rc && !strcmp(a->format, "csv")) {
		list_csv(a, &l);
		if (l.one_sided)
			summary(a, &l, stderr);
	} else if (!rc) {
		if (l.n)
			list_text(a, &l);
		summary(a, &l, stdout);
	}
	recon_list_release(&l);
	tax_free(t);
	store_close(s);
	return rc ? cli_fail(&err) : EXIT_SUCCESS;
}

/* --- the UI --- */

/*
 * With no disagreement there is nothing to show: the adjudicator still gets
 * the codes the raters agree on, and the command says so.
 */
static int nothing_to_reconcile(struct store *s, const struct reconcile_args *a,
                                const struct tui_options *o, const struct recon_list *l,
                                struct error *err)
{
	long copied;
	if (store_begin(s, err))
		return -1;
	if (recon_copy_agreed(s, o->tax, o->set_id, o->rater_a, o->rater_b, o->rater_id, &copied,
	                      err)) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, err))
		return -1;
	printf("nothing to reconcile: %s and %s agree wherever both coded in sample '%s'; "
	       "%ld agreed code%s given to %s\n",
	       a->name_a, a->name_b, a->sample, copied, copied == 1 ? "" : "s", a->as);
	if (l->one_sided)
		printf("%zu issue%s coded by only one of them left out\n", l->one_sided,
		       l->one_sided == 1 ? "" : "s");
	return 0;
}

static int run_ui(struct reconcile_args *a)
{
	struct error err;
	if (tui_check_terminal(&err))
		return cli_fail(&err);
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct taxonomy *t = NULL;
	struct recon_list l = {0};
	struct tui_options o = {
	        .mode = TUI_RECONCILE,
	        .store = s,
	        .set_name = a->sample,
	        .rater = a->as,
	        .name_a = a->name_a,
	        .name_b = a->name_b,
	};
	int rc = tax_read(s, a->taxonomy, &t, &err) || resolve(s, a, 1, &o, &err);
	if (!rc) {
		o.tax = t;
		rc = recon_list_load(s, t, o.set_id, o.rater_a, o.rater_b, o.rater_id, &l, &err);
	}
	if (!rc)
		rc = l.n ? tui_run(&o, &err) : nothing_to_reconcile(s, a, &o, &l, &err);
	recon_list_release(&l);
	tax_free(t);
	store_close(s);
	return rc ? cli_fail(&err) : EXIT_SUCCESS;
}

int cmd_reconcile(int argc, const char **argv)
{
	struct reconcile_args a = {0};
	a.format = "text";
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "NAME", "the sample both raters coded"},
	        {OPT_STRING, 0, "raters", &a.raters, "A,B", "the two raters to reconcile"},
	        {OPT_STRING, 0, "as", &a.as, "NAME", "the adjudicator, e.g. consensus"},
	        {OPT_BOOL, 0, "list", &a.list, NULL, "print the disagreements, no UI"},
	        {OPT_CHOICE, 0, "format", &a.format, "text|csv|json",
	         "--list output format (default text)"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "taxonomy (default: the only one)"},
	        {OPT_END},
	};
	argc = parse_options("reconcile", argc, argv, opts, reconcile_usage);
	if (!a.sample || !a.raters)
		usage_error("reconcile", "--sample and --raters are required");
	if (argc > 0)
		usage_error("reconcile", "unexpected argument '%s'", argv[0]);
	if (!a.list && !a.as)
		usage_error("reconcile", "--as NAME is required (the adjudicator), unless --list");
	if (!a.list && strcmp(a.format, "text"))
		usage_error("reconcile", "--format applies to --list only");
	parse_raters(&a);
	return a.list ? run_list(&a) : run_ui(&a);
}
