/*
 * report.c - "issuemine report": the paper's tables, the release correlation
 * and the two figures, from a coded sample.
 *
 * The counting is in src/report.c and src/report_release.c; the writers in
 * exports/ (table.c, plot.c). This file picks what to compute from the
 * options, turns report grids into tables, and writes them whole to stdout
 * or to --output (atomically, see exports/outfile.h).
 */
#include "cli.h"
#include "commands.h"
#include "format.h"
#include "funnel.h"
#include "outdir.h"
#include "outfile.h"
#include "plot.h"
#include "releases.h"
#include "report.h"
#include "settings.h"
#include "strbuf.h"
#include "tax_suggest.h"
#include "table.h"
#include "tax_version.h"
#include "timeutil.h"
#include "xalloc.h"

#include <jansson.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const report_usage[] = {
        "issuemine report --sample S [--rater R] [--table T] [--format F]",
        "                 [--output FILE | --output-dir DIR] [--float]",
        "                 [--top K] [--top-symptoms K] [--top-locations K] [--causes LIST]",
        "                 [--from DAY] [--to DAY] [--label OWNER/NAME=TEXT]...",
        "                 [--hide-empty] [--hide-empty-uncoded] [--no-group-totals] [--compact]",
        "issuemine report --sample S --spearman --releases NAME [--size changes|added|updated]",
        "                 [--drop-first] [--drop-last] [--merge A-B]... [--causes LIST]",
        "issuemine report [--sample S] --releases NAME --plot-releases FILE.svg",
        "issuemine report --sample S --plot-cumulative FILE.svg [--releases NAME] [--threshold N]",
        NULL,
        "Paper-ready tables from one rater's codes of a sample (--rater: a rater or a",
        "reconciled 'consensus'; without it, the only rater who coded the sample).",
        "",
        "Tables (--table, default all): symptoms, locations, causes (counts per",
        "repository and in total with shares of the column total; every category in",
        "taxonomy order, zeros included; issues without a code in the dimension count",
        "as '(uncoded)'), subcauses (causes with their sub-categories), cause-symptom and",
        "cause-location (joint tables, per repository), over-time (issues per quarter of",
        "creation, new and cumulative; --causes restricts it), exclusions (the issues",
        "the rater excluded, with reasons: they count in no table, and every table's",
        "note says how many were left out and why), funnel (only when asked for: the",
        "study's Figure 4, per repository the issues fetched, in each set the sample",
        "was drawn from, sampled, then excluded, incomplete and coded by the rater),",
        "suggestions (only when asked for: the taxonomy's path rules against the",
        "rater, per category: how often the rules suggested it, the rater coded it,",
        "both; precision, recall, how many codes were taken from the suggestion and",
        "the precision without them; coverage, the coded issues the rules suggest",
        "anything for). --top K keeps the K most",
        "frequent causes, by frequency, and bins the rest into 'Other'; --top-symptoms",
        "and --top-locations do the same for the columns of the joint tables.",
        "Formats: text, csv (one table: category, one column per repository, total,",
        "kind = data, total, uncoded or other; joint tables one record per cause and",
        "symptom), json, markdown, latex (booktabs; --float wraps each tabular in a",
        "table with \\caption and \\label{tab:NAME}).",
        "--output-dir DIR writes one file per table, NAME.EXT (symptoms.tex, causes.csv,",
        "...; .txt .csv .json .md .tex), all of them or none. --hide-empty drops rows,",
        "column groups and columns that count nothing, (uncoded) and (unspecified)",
        "included; --no-group-totals leaves out each symptom group's total column of the",
        "joint tables; --compact puts their repositories in rows and the symptoms",
        "(locations) in columns, so that the unabridged table fits a page.",
        "Settings (issuemine config) give defaults: report.rater, report.format,",
        "report.releases, report.top..., report.name.OWNER/NAME (a --label); flags win.",
        "",
        "--spearman attributes each issue to the latest release of series NAME dated on",
        "or before its creation (releases sharing a date count once, sizes summed) and",
        "prints the bins and Spearman's rho (average ranks for ties; two-sided p from",
        "t with n - 2 df) of release size against issues, issues with the selected",
        "--causes (default \"Incompatibility,Type Problem\") and their share. --table",
        "bins or correlations picks one of the two (csv needs one).",
        "",
        "The paper's tables and figures (Jajal et al., ISSTA 2024) come out as:",
        "  issuemine report --sample study --table locations \\",
        "      --label onnx/tensorflow-onnx=TF --label pytorch/pytorch=PT  # Table 8",
        "  issuemine report --sample study --table symptoms              # Table 9",
        "  issuemine report --sample study --table cause-symptom \\",
        "      --top 5 --top-symptoms 2                                  # Table 10",
        "  issuemine report --sample study --table subcauses --top 5    # Table 14",
        "  issuemine report --sample study --table cause-symptom         # Table 16",
        "  issuemine report --sample study --spearman --releases onnx-opsets \\",
        "      --drop-first --drop-last --merge 2-7                      # section 6.1.2",
        "  issuemine report --releases onnx-opsets --plot-releases fig5.svg   # Figure 5",
        "  issuemine report --sample study --releases onnx-opsets \\",
        "      --plot-cumulative fig6.svg                                # Figure 6",
        "Table 10 then reads (the paper's figures; Other and (uncoded) columns cut):",
        "  Cause \\ Symptom        Crash       Wrong Model   ...     Total",
        "                     TF  PT  Total  TF  PT  Total  ...  TF  PT  Total",
        "  Incompatibility    19  28     47   4   3      7  ...  25  32     57",
        "  Type Problem        8  14     22  17  13     30  ...  25  29     54",
        "  ...",
        "  Total              50  62    112  35  30     65  ... 100 100    200",
        "Add --format latex --output table.tex for a file ready for \\input.",
        NULL,
};

struct report_args {
	struct store *store; /* for the suggestions table, which reads fix data */
	const char *sample, *rater, *taxonomy, *table, *format_name, *output, *output_dir;
	const char *causes, *from, *to, *releases, *size_name;
	const char *plot_releases, *plot_cumulative;
	long top, top_symptoms, top_locations, threshold; /* NOT_GIVEN until set */
	int spearman, drop_first, drop_last, hide_empty_uncoded;
	int hide_empty, group_totals, compact, latex_float; /* -1 until set */
	struct string_list merges, labels;
	enum export_format format;
	enum report_size size;
	int causes_given;
	char **owned; /* setting values the fields above point to */
	size_t nowned, alloc_owned;
	char **names; /* "owner/name=TEXT" from report.name.* settings */
	size_t nnames, alloc_names;
};

#define NOT_GIVEN LONG_MIN

static const char *const table_names[] = {
        "symptoms",      "locations",      "causes",    "subcauses",
        "cause-symptom", "cause-location", "over-time", NULL};

/* Not a count table: the issues the rater excluded. */
#define EXCLUSIONS_TABLE "exclusions"
/* Not of the codes alone: the study's funnel (funnel.h); only when asked for. */
#define FUNNEL_TABLE "funnel"
/* Nor this one, which reads fix data: the rules' suggestions against the rater. */
#define SUGGESTIONS_TABLE "suggestions"

static int known_table(const char *name, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

static void check_day(const char *opt, const char *value)
{
	if (value && !time_is_date_only(value))
		usage_error("report", "--%s: '%s' is not a day (YYYY-MM-DD)", opt, value);
}

static void check_args(struct report_args *a)
{
	if (export_format_parse(a->format_name, &a->format))
		usage_error("report", "--format: '%s' is not one of %s", a->format_name,
		            EXPORT_FORMAT_CHOICES);
	if (report_size_parse(a->size_name, &a->size))
		usage_error("report", "--size: '%s' is not changes, added or updated",
		            a->size_name);
	if (a->top < 0 || a->top_symptoms < 0 || a->top_locations < 0)
		usage_error("report", "--top and --top-*: a whole number >= 0 (0 bins nothing)");
	if (a->output && a->output_dir)
		usage_error("report", "--output and --output-dir: choose one");
	if (a->output_dir && !*a->output_dir)
		usage_error("report", "--output-dir: give a directory");
	check_day("from", a->from);
	check_day("to", a->to);
	if (a->from && a->to && strcmp(a->from, a->to) > 0)
		usage_error("report", "--from %s is after --to %s", a->from, a->to);
	if ((a->spearman || a->plot_releases) && !a->releases)
		usage_error("report", "--%s needs --releases NAME",
		            a->spearman ? "spearman" : "plot-releases");
	int tables_wanted = a->spearman || a->table || (!a->plot_releases && !a->plot_cumulative);
	if ((tables_wanted || a->plot_cumulative) && !a->sample)
		usage_error("report", "--sample NAME is required");
	static const char *const spearman_tables[] = {"bins", "correlations", NULL};
	if (a->table && strcmp(a->table, "all") &&
	    !known_table(a->table, a->spearman ? spearman_tables : table_names) &&
	    (a->spearman || (strcmp(a->table, EXCLUSIONS_TABLE) && strcmp(a->table, FUNNEL_TABLE) &&
	                     strcmp(a->table, SUGGESTIONS_TABLE))))
		usage_error("report", "--table: '%s' is not one of all, %s", a->table,
		            a->spearman ? "bins, correlations"
		                        : "symptoms, locations, causes, subcauses, cause-symptom, "
		                          "cause-location, over-time, exclusions, funnel, "
		                          "suggestions");
	if (a->table && !strcmp(a->table, FUNNEL_TABLE) && !a->spearman && (a->from || a->to))
		usage_error("report", "--table funnel counts the whole study: --from and --to do "
		                      "not apply");
	if (a->format == EXPORT_CSV && (!a->table || !strcmp(a->table, "all")) && !a->output_dir)
		usage_error("report", "--format csv holds one table: choose it with --table (or "
		                      "use --output-dir)");
	if ((a->merges.nr || a->drop_first || a->drop_last) && !a->spearman)
		usage_error("report", "--%s goes with --spearman",
		            a->merges.nr    ? "merge"
		            : a->drop_first ? "drop-first"
		                            : "drop-last");
	for (size_t i = 0; i < a->labels.nr; i++) {
		const char *l = a->labels.items[i], *eq = strchr(l, '=');
		if (!eq || eq == l || !eq[1])
			usage_error("report", "--label '%s': expected OWNER/NAME=TEXT", l);
	}
}

/*
 * The column title of a repository in text, Markdown, LaTeX and figures: its
 * --label, else its report.name.OWNER/NAME setting, else its name without
 * the owner when no other repository of the sample has that name (CSV and
 * JSON always use owner/name).
 */
static const char *repo_label(const struct report_args *a, const struct report_data *d,
                              const char *repo)
{
	size_t len = strlen(repo);
	for (size_t i = 0; i < a->labels.nr; i++) {
		const char *l = a->labels.items[i];
		if (!strncasecmp(l, repo, len) && l[len] == '=')
			return l + len + 1;
	}
	for (size_t i = 0; i < a->nnames; i++) {
		const char *l = a->names[i];
		if (!strncasecmp(l, repo, len) && l[len] == '=')
			return l + len + 1;
	}
	const char *name = strchr(repo, '/') ? strchr(repo, '/') + 1 : repo;
	for (size_t i = 0; i < d->nrepos; i++) {
		const char *other = strchr(d->repos[i], '/');
		if (d->repos[i] != repo && other && !strcasecmp(other + 1, name))
			return repo;
	}
	return name;
}

/* Every --label (well formed: check_args) must name a repository of the sample. */
static int check_labels(const struct report_args *a, const struct report_data *d)
{
	for (size_t i = 0; i < a->labels.nr; i++) {
		const char *l = a->labels.items[i], *eq = strchr(l, '=');
		int known = 0;
		for (size_t r = 0; r < d->nrepos; r++)
			known |= strlen(d->repos[r]) == (size_t)(eq - l) &&
			         !strncasecmp(d->repos[r], l, (size_t)(eq - l));
		if (!known) {
			cli_error("report: --label '%s': no repository %.*s in sample '%s'", l,
			          (int)(eq - l), l, d->sample);
			return -1;
		}
	}
	return 0;
}

/* --- grids to tables --- */

static enum table_row_kind row_kind(enum report_kind k)
{
	switch (k) {
	case REPORT_LINE_OTHERS:
		return TABLE_ROW_OTHERS;
	case REPORT_LINE_UNCODED:
		return TABLE_ROW_UNCODED;
	case REPORT_LINE_TOTAL:
		return TABLE_ROW_TOTAL;
	default:
		return TABLE_ROW_CATEGORY;
	}
}

/* "; 3 excluded by R left out (Not a failure: 2, Not the converter: 1)", or nothing. */
static void excluded_note(const struct report_data *d, struct strbuf *sb)
{
	if (!d->nexcluded)
		return;
	strbuf_addf(sb, "; %zu excluded by %s left out (", d->nexcluded, d->rater);
	size_t listed = 0;
	for (size_t r = 0; r <= d->tax->nreasons; r++) {
		const struct tax_reason *reason = r < d->tax->nreasons ? &d->tax->reasons[r] : NULL;
		size_t n = 0;
		for (size_t i = 0; i < d->nexcluded; i++)
			n += d->excluded[i].reason == reason;
		if (n)
			strbuf_addf(sb, "%s%s: %zu", listed++ ? ", " : "",
			            reason ? reason->name : "another reason", n);
	}
	strbuf_adds(sb, ")");
}

/* The lines of context every table carries: sample, rater, what was left out. */
static void data_note(const struct report_data *d, struct strbuf *sb)
{
	strbuf_addf(sb, "sample %s, rater %s, %zu issue%s", d->sample, d->rater, d->nissues,
	            d->nissues == 1 ? "" : "s");
	if (d->outside_window)
		strbuf_addf(sb, " (%ld outside --from/--to left out)", d->outside_window);
	excluded_note(d, sb);
	struct strbuf versions = STRBUF_INIT;
	tax_versions_note(d->tax->name, d->versions, d->nversions, &versions);
	if (versions.len)
		strbuf_addf(sb, "; %s", versions.buf);
	strbuf_release(&versions);
}

static char *context_note(const struct report_data *d, const struct report_grid *g)
{
	struct strbuf sb = STRBUF_INIT;
	data_note(d, &sb);
	if (g->note)
		strbuf_addf(&sb, "; %s", g->note);
	return strbuf_detach(&sb, NULL);
}

static struct table *grid_to_table(const struct report_args *a, const struct report_data *d,
                                   const struct report_grid *g)
{
	const char **cols = xcalloc(g->ncols, sizeof(char *));
	const char **titles = xcalloc(g->ncols, sizeof(char *));
	for (size_t c = 0; c + 1 < g->ncols; c++) {
		cols[c] = d->repos[c];
		titles[c] = repo_label(a, d, d->repos[c]);
	}
	cols[g->ncols - 1] = "total";
	titles[g->ncols - 1] = "Total";
	const char *key_names[] = {g->row_key, g->sub_key},
	           *key_titles[] = {g->row_title, g->sub_title};
	struct table *t = table_new(g->name, g->title, g->sub_key ? 2 : 1, key_names, key_titles,
	                            g->ncols, cols, titles);
	free(cols);
	free(titles);
	char *note = context_note(d, g);
	table_set_note(t, note);
	free(note);
	t->shares = g->shares;
	if (g->ngroups) {
		const char **groups = xcalloc(g->ngroups, sizeof(char *));
		for (size_t i = 0; i < g->ngroups; i++)
			groups[i] = g->groups[i].label;
		table_set_groups(t, g->group_key, g->group_title, g->ngroups, groups);
		free(groups);
	}
	t->total_col = 1;
	t->total_group = g->ngroups && g->groups[g->ngroups - 1].kind == REPORT_LINE_TOTAL;
	for (size_t r = 0; r < g->nrows; r++) {
		struct table_row *row = table_add_row(t, row_kind(g->rows[r].kind),
		                                      g->rows[r].label, g->rows[r].sub);
		for (size_t gi = 0; gi < (g->ngroups ? g->ngroups : 1); gi++)
			for (size_t c = 0; c < g->ncols; c++)
				*table_cell(t, row, gi, c) = *report_grid_cell(g, r, gi, c);
	}
	return t;
}

/* --- the tables --- */

struct causes {
	struct report_cause *list;
	size_t n;
	char *label; /* "Incompatibility, Type Problem" */
};

/* "Incompatibility", or "Incompatibility/External" for a sub-category; caller frees. */
static char *cause_name(const struct report_cause *c)
{
	return c->sub ? xstrfmt("%s/%s", c->cat->name, c->sub->name) : xstrdup(c->cat->name);
}

static int parse_causes(const struct report_args *a, const struct report_data *d, struct causes *c,
                        struct error *err)
{
	const char *list = a->causes ? a->causes : "Incompatibility,Type Problem";
	if (report_parse_causes(d, list, &c->list, &c->n, err))
		return -1;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		char *name = cause_name(&c->list[i]);
		strbuf_addf(&sb, "%s%s", i ? ", " : "", name);
		free(name);
	}
	c->label = strbuf_detach(&sb, NULL);
	return 0;
}

static void free_causes(struct causes *c)
{
	free(c->list);
	free(c->label);
}

static int build_grid(const struct report_args *a, const struct report_data *d, const char *name,
                      struct report_grid **g, struct error *err)
{
	int hide = a->hide_empty_uncoded;
	if (!strcmp(name, "symptoms"))
		return report_distribution(d, REPORT_SYMPTOM, 0, 0, hide, g, err);
	if (!strcmp(name, "locations"))
		return report_distribution(d, REPORT_LOCATION, 0, 0, hide, g, err);
	if (!strcmp(name, "causes"))
		return report_distribution(d, REPORT_CAUSE, 0, (size_t)a->top, hide, g, err);
	if (!strcmp(name, "subcauses"))
		return report_distribution(d, REPORT_CAUSE, 1, (size_t)a->top, hide, g, err);
	if (!strcmp(name, "cause-symptom"))
		return report_joint(d, REPORT_CAUSE, REPORT_SYMPTOM, (size_t)a->top,
		                    (size_t)a->top_symptoms, hide, g, err);
	if (!strcmp(name, "cause-location"))
		return report_joint(d, REPORT_CAUSE, REPORT_LOCATION, (size_t)a->top,
		                    (size_t)a->top_locations, hide, g, err);
	/* over-time */
	struct causes c = {0};
	if (a->causes_given && parse_causes(a, d, &c, err))
		return -1;
	struct report_quarters q;
	report_quarters(d, a->from, a->to, c.list, c.n, &q);
	*g = report_over_time(d, &q, a->causes_given ? c.label : NULL);
	report_quarters_free(&q);
	free_causes(&c);
	return 0;
}

/* Whether "--table all" includes a table: not those of dimensions the taxonomy lacks. */
static int table_applies(const struct report_data *d, const char *name)
{
	if (!strcmp(name, "symptoms"))
		return d->dims[REPORT_SYMPTOM] != NULL;
	if (!strcmp(name, "locations"))
		return d->dims[REPORT_LOCATION] != NULL;
	if (!strcmp(name, "cause-symptom"))
		return d->dims[REPORT_CAUSE] && d->dims[REPORT_SYMPTOM];
	if (!strcmp(name, "cause-location"))
		return d->dims[REPORT_CAUSE] && d->dims[REPORT_LOCATION];
	if (!strcmp(name, "over-time"))
		return 1;
	return d->dims[REPORT_CAUSE] != NULL;
}

static void write_separator(FILE *out, enum export_format f, size_t index)
{
	if (index > 0 && f != EXPORT_JSON)
		putc('\n', out);
}

static json_t *exclusions_json(const struct report_data *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->nexcluded; i++) {
		const struct report_exclusion *x = &d->excluded[i];
		json_array_append_new(a, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?}", "issue",
		                                   x->issue, "title", x->title, "reason",
		                                   x->reason ? x->reason->key : NULL, "reason_name",
		                                   x->reason ? x->reason->name : NULL, "note",
		                                   x->detail));
	}
	return a;
}

static json_t *report_json_head(const struct report_data *d)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "sample", d->sample, "rater", d->rater,
	                      "taxonomy", d->tax->name, "issues", (json_int_t)d->nissues);
	json_object_set_new(o, "outside_window", json_integer(d->outside_window));
	/* Only when there is something to say, so that plain reports keep their shape. */
	if (d->nexcluded) {
		json_object_set_new(o, "excluded", json_integer((json_int_t)d->nexcluded));
		json_object_set_new(o, "exclusions", exclusions_json(d));
	}
	if (d->nversions > 1) {
		json_t *versions = json_array();
		for (size_t i = 0; i < d->nversions; i++)
			json_array_append_new(versions, json_integer(d->versions[i]));
		json_object_set_new(o, "taxonomy_versions", versions);
	}
	return o;
}

/* The issues the rater excluded, as a table of strings (any format but JSON). */
static void write_exclusions(const struct report_data *d, enum export_format f, FILE *out)
{
	const char *headers[] = {"issue", "reason", "note", "title"};
	struct strbuf note = STRBUF_INIT;
	data_note(d, &note);
	struct table_strings *t = table_strings_new("Excluded issues", note.buf, 4, 4, headers);
	for (size_t i = 0; i < d->nexcluded; i++) {
		const struct report_exclusion *x = &d->excluded[i];
		const char *cells[] = {x->issue, x->reason ? x->reason->name : "?", x->detail,
		                       x->title};
		table_strings_add(t, cells, 0);
	}
	table_strings_write(out, t, f);
	table_strings_free(t);
	strbuf_release(&note);
}

/*
 * Where the tables go: one stream (standard output or --output), or one
 * file per table in the --output-dir directory (see exports/outdir.h).
 */
struct sink {
	FILE *out;                          /* the stream; NULL with a directory */
	struct outdir *dir;                 /* or NULL */
	const struct report_funnel *funnel; /* --table funnel: what to write */
};

/* The file name extension of a format in --output-dir. */
static const char *format_extension(enum export_format f)
{
	static const char *const ext[] = {"txt", "csv", "json", "md", "tex"};
	return ext[f];
}

/* Opens NAME.EXT in the output directory; the caller writes and calls sink_close. */
static FILE *sink_open(const struct report_args *a, struct sink *sk, const char *name, char **file,
                       struct error *err)
{
	if (!sk->dir) {
		*file = NULL;
		return sk->out;
	}
	*file = xstrfmt("%s.%s", name, format_extension(a->format));
	FILE *f = outdir_create(sk->dir, *file, err);
	if (!f) {
		free(*file);
		*file = NULL;
	}
	return f;
}

static int sink_close(struct sink *sk, FILE *f, char *file, struct error *err)
{
	if (!sk->dir)
		return 0;
	int rc = outdir_close(sk->dir, f, file, err);
	free(file);
	return rc;
}

/*
 * The layout options: --hide-empty, --compact (repositories as rows, for
 * tables with a total group), --no-group-totals, --float. Takes t, returns
 * the table to write.
 */
static struct table *layout_table(const struct report_args *a, struct table *t)
{
	if (a->hide_empty > 0)
		table_hide_empty(t);
	if (a->compact > 0 && t->groups && t->total_group) {
		struct table *rows = table_repos_as_rows(t, a->group_totals != 0);
		table_free(t);
		t = rows;
		if (a->hide_empty > 0)
			table_hide_empty(t);
	} else {
		t->group_totals = a->group_totals != 0;
	}
	t->latex_float = a->latex_float > 0;
	return t;
}

/* One JSON document: the sample's head and the tables. */
static void write_json_tables(FILE *out, const struct report_data *d, json_t *tables)
{
	json_t *o = report_json_head(d);
	json_object_set(o, "tables", tables);
	json_dumpf(o, out, TABLE_JSON_FLAGS);
	putc('\n', out);
	json_decref(o);
}

/* Writes table t as a file of its own (directory) or after the others (stream). */
static int write_one_table(const struct report_args *a, const struct report_data *d,
                           struct sink *sk, const struct table *t, size_t written, json_t *tables,
                           struct error *err)
{
	if (!sk->dir) {
		if (a->format == EXPORT_JSON) {
			json_array_append_new(tables, table_to_json(t));
		} else {
			write_separator(sk->out, a->format, written);
			table_write(sk->out, t, a->format);
		}
		return 0;
	}
	char *file;
	FILE *f = sink_open(a, sk, t->name, &file, err);
	if (!f)
		return -1;
	if (a->format == EXPORT_JSON) {
		json_t *one = json_array();
		json_array_append_new(one, table_to_json(t));
		write_json_tables(f, d, one);
		json_decref(one);
	} else {
		table_write(f, t, a->format);
	}
	return sink_close(sk, f, file, err);
}

/*
 * The excluded issues (--table exclusions, or after the tables): on the
 * stream, or as a file of their own in the directory. JSON is the report's
 * head, which lists them.
 */
static int write_exclusions_to(const struct report_args *a, const struct report_data *d,
                               struct sink *sk, size_t written, struct error *err)
{
	char *file = NULL;
	FILE *f = sink_open(a, sk, EXCLUSIONS_TABLE, &file, err);
	if (!f)
		return -1;
	if (a->format == EXPORT_JSON) {
		json_t *o = report_json_head(d);
		if (!d->nexcluded)
			json_object_set_new(o, "exclusions", json_array());
		json_dumpf(o, f, TABLE_JSON_FLAGS);
		putc('\n', f);
		json_decref(o);
	} else {
		if (!sk->dir)
			write_separator(f, a->format, written);
		write_exclusions(d, a->format, f);
	}
	return sink_close(sk, f, file, err);
}

/* --- the rules' suggestions against the rater --- */

static void format_real(double v, int defined, int precise, const char *fmt, char *buf,
                        size_t size);

/* num / den for reading, or for scripts (precise); "-" (or "") when den is 0. */
static void format_ratio(long num, long den, int precise, char *buf, size_t size)
{
	format_real(den ? (double)num / (double)den : 0, den > 0, precise, "%.2f", buf, size);
}

static void add_suggestion_row(struct table_strings *t, const char *dim, const char *cat,
                               long suggested, long coded, long agreed, long accepted,
                               const char *coverage, int precise, int rule)
{
	char n[4][32], precision[32], recall[32], independent[32];
	snprintf(n[0], sizeof(n[0]), "%ld", suggested);
	snprintf(n[1], sizeof(n[1]), "%ld", coded);
	snprintf(n[2], sizeof(n[2]), "%ld", agreed);
	snprintf(n[3], sizeof(n[3]), "%ld", accepted);
	format_ratio(agreed, suggested, precise, precision, sizeof(precision));
	format_ratio(agreed, coded, precise, recall, sizeof(recall));
	format_ratio(agreed - accepted, suggested - accepted, precise, independent,
	             sizeof(independent));
	const char *cells[] = {dim,  cat,       n[0],   n[1],        n[2],
	                       n[3], precision, recall, independent, coverage};
	table_strings_add(t, cells, rule);
}

static char *suggestions_note(const struct report_data *d, const struct suggest_eval *e)
{
	struct strbuf sb = STRBUF_INIT;
	data_note(d, &sb);
	strbuf_addf(
	        &sb,
	        "; the path rules of taxonomy %s (version %d) on the files of each issue's "
	        "fixes, against the rater's codes (top-level categories): precision = agreed / "
	        "suggested, recall = agreed / coded, coverage = coded issues with a suggestion; "
	        "accepted = codes the rater took from the suggestion, left out of the last "
	        "precision",
	        d->tax->name, d->tax->version);
	if (e->no_data)
		strbuf_addf(&sb, "; %ld issue%s without fix data (see 'issuemine fixes fetch')",
		            e->no_data, e->no_data == 1 ? "" : "s");
	return strbuf_detach(&sb, NULL);
}

static struct table_strings *suggestions_table(const struct report_data *d,
                                               const struct suggest_eval *e, int precise)
{
	const char *headers[] = {"dimension", "category", "suggested",
	                         "coded",     "agreed",   "accepted",
	                         "precision", "recall",   "precision (not accepted)",
	                         "coverage"};
	char *note = suggestions_note(d, e);
	struct table_strings *t =
	        table_strings_new("Suggestions of the path rules", note, 10, 2, headers);
	free(note);
	for (size_t k = 0; k < e->ndims; k++) {
		const struct suggest_dimension_eval *de = &e->dims[k];
		for (size_t r = 0; r < de->nrows; r++) {
			const struct suggest_row *row = &de->rows[r];
			add_suggestion_row(t, de->dim->name, row->cat->name, row->suggested,
			                   row->coded, row->agreed, row->accepted, "", precise,
			                   k > 0 && r == 0);
		}
		char coverage[32];
		format_ratio(de->suggested, de->coded, precise, coverage, sizeof(coverage));
		add_suggestion_row(t, de->dim->name, "Total", de->suggested, de->coded, de->agreed,
		                   de->accepted, coverage, precise, 1);
	}
	return t;
}

static json_t *ratio_json(long num, long den)
{
	return den ? json_real((double)num / (double)den) : json_null();
}

static json_t *suggestions_json(const struct report_data *d, const struct suggest_eval *e)
{
	json_t *dims = json_array();
	for (size_t k = 0; k < e->ndims; k++) {
		const struct suggest_dimension_eval *de = &e->dims[k];
		json_t *cats = json_array();
		for (size_t r = 0; r < de->nrows; r++) {
			const struct suggest_row *row = &de->rows[r];
			json_array_append_new(
			        cats,
			        json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
			                  "category", row->cat->key, "name", row->cat->name,
			                  "suggested", (json_int_t)row->suggested, "coded",
			                  (json_int_t)row->coded, "agreed", (json_int_t)row->agreed,
			                  "accepted", (json_int_t)row->accepted, "precision",
			                  ratio_json(row->agreed, row->suggested), "recall",
			                  ratio_json(row->agreed, row->coded),
			                  "precision_not_accepted",
			                  ratio_json(row->agreed - row->accepted,
			                             row->suggested - row->accepted)));
		}
		json_array_append_new(
		        dims,
		        json_pack(
		                "{s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "dimension",
		                de->dim->key, "coded", (json_int_t)de->coded, "suggested",
		                (json_int_t)de->suggested, "agreed", (json_int_t)de->agreed,
		                "accepted", (json_int_t)de->accepted, "coverage",
		                ratio_json(de->suggested, de->coded), "precision",
		                ratio_json(de->agreed, de->suggested), "recall",
		                ratio_json(de->agreed, de->coded), "precision_not_accepted",
		                ratio_json(de->agreed - de->accepted, de->suggested - de->accepted),
		                "categories", cats));
	}
	json_t *o = report_json_head(d);
	json_object_set_new(o, "taxonomy_version", json_integer(d->tax->version));
	json_object_set_new(o, "without_fix_data", json_integer(e->no_data));
	json_object_set_new(o, "suggestions", dims);
	return o;
}

/* --table suggestions: the rules measured against the rater, on the issues the report counts. */
static int write_suggestions_to(const struct report_args *a, const struct report_data *d,
                                struct sink *sk, struct error *err)
{
	if (!d->tax->nrules)
		return error_set(
		        err,
		        "report: taxonomy %s has no path rules to measure (see \"rules\" in "
		        "issuemine(1), TAXONOMY FILES)",
		        d->tax->name);
	int64_t *ids = xcalloc(d->nissues + 1, sizeof(*ids));
	for (size_t i = 0; i < d->nissues; i++)
		ids[i] = d->issues[i].id;
	struct suggest_eval e;
	int rc = suggest_evaluate(a->store, d->tax, d->set_id, d->rater_id, ids, d->nissues, &e,
	                          err);
	free(ids);
	if (rc)
		return -1;
	char *file = NULL;
	FILE *f = sink_open(a, sk, SUGGESTIONS_TABLE, &file, err);
	if (f && a->format == EXPORT_JSON) {
		json_t *o = suggestions_json(d, &e);
		json_dumpf(o, f, TABLE_JSON_FLAGS);
		putc('\n', f);
		json_decref(o);
	} else if (f) {
		struct table_strings *t = suggestions_table(d, &e, a->format == EXPORT_CSV);
		t->name = xstrdup(SUGGESTIONS_TABLE);
		t->latex_float = a->latex_float > 0;
		table_strings_write(f, t, a->format);
		table_strings_free(t);
	}
	suggest_eval_release(&e);
	return f ? sink_close(sk, f, file, err) : -1;
}

/*
 * A repository's row key in the funnel: owner/name in CSV and JSON, else its
 * column title in the other tables (the funnel may hold repositories the
 * sample lacks: those keep owner/name but for a --label or setting).
 */
static const char *funnel_repo_label(const struct report_args *a, const struct report_data *d,
                                     const char *repo)
{
	if (a->format == EXPORT_CSV || a->format == EXPORT_JSON)
		return repo;
	for (size_t i = 0; i < d->nrepos; i++)
		if (!strcasecmp(d->repos[i], repo))
			return repo_label(a, d, d->repos[i]);
	size_t len = strlen(repo);
	for (size_t i = 0; i < a->labels.nr; i++)
		if (!strncasecmp(a->labels.items[i], repo, len) && a->labels.items[i][len] == '=')
			return a->labels.items[i] + len + 1;
	for (size_t i = 0; i < a->nnames; i++)
		if (!strncasecmp(a->names[i], repo, len) && a->names[i][len] == '=')
			return a->names[i] + len + 1;
	return repo;
}

/* The funnel as a count table: repositories in rows, stages in columns. */
static struct table *funnel_table(const struct report_args *a, const struct report_data *d,
                                  const struct report_funnel *f)
{
	const char **cols = xcalloc(f->nstages, sizeof(char *));
	const char **titles = xcalloc(f->nstages, sizeof(char *));
	for (size_t i = 0; i < f->nstages; i++) {
		cols[i] = f->stages[i].key;
		titles[i] = f->stages[i].title;
	}
	const char *key_name = "repository", *key_title = "Repository";
	struct table *t = table_new(FUNNEL_TABLE, "Funnel of the study", 1, &key_name, &key_title,
	                            f->nstages, cols, titles);
	free(cols);
	free(titles);
	table_set_note(t, f->note);
	for (size_t r = 0; r < f->nrepos; r++) {
		struct table_row *row = table_add_row(t, TABLE_ROW_CATEGORY,
		                                      funnel_repo_label(a, d, f->repos[r]), NULL);
		for (size_t i = 0; i < f->nstages; i++)
			*table_cell(t, row, 0, i) = report_funnel_count(f, r, i);
	}
	struct table_row *total = table_add_row(t, TABLE_ROW_TOTAL, "Total", NULL);
	for (size_t r = 0; r < f->nrepos; r++)
		for (size_t i = 0; i < f->nstages; i++)
			*table_cell(t, total, 0, i) += report_funnel_count(f, r, i);
	t->latex_float = a->latex_float > 0;
	return t;
}

static int write_funnel(const struct report_args *a, const struct report_data *d, struct sink *sk,
                        struct error *err)
{
	struct table *t = funnel_table(a, d, sk->funnel);
	int rc = 0;
	if (a->format == EXPORT_JSON && !sk->dir) {
		json_t *one = json_array();
		json_array_append_new(one, table_to_json(t));
		write_json_tables(sk->out, d, one);
		json_decref(one);
	} else {
		json_t *unused = json_array();
		rc = write_one_table(a, d, sk, t, 0, unused, err);
		json_decref(unused);
	}
	table_free(t);
	return rc;
}

static int write_tables(const struct report_args *a, const struct report_data *d, struct sink *sk,
                        struct error *err)
{
	const char *only = a->table && strcmp(a->table, "all") ? a->table : NULL;
	if (only && !strcmp(only, EXCLUSIONS_TABLE))
		return write_exclusions_to(a, d, sk, 0, err);
	if (only && !strcmp(only, SUGGESTIONS_TABLE))
		return write_suggestions_to(a, d, sk, err);
	if (only && !strcmp(only, FUNNEL_TABLE))
		return write_funnel(a, d, sk, err);
	json_t *tables = json_array();
	size_t written = 0;
	int rc = 0;
	for (size_t i = 0; table_names[i] && !rc; i++) {
		if (only ? strcmp(only, table_names[i]) : !table_applies(d, table_names[i]))
			continue;
		struct report_grid *g;
		if ((rc = build_grid(a, d, table_names[i], &g, err)))
			break;
		struct table *t = layout_table(a, grid_to_table(a, d, g));
		rc = write_one_table(a, d, sk, t, written++, tables, err);
		table_free(t);
		report_grid_free(g);
	}
	if (!rc && !only && d->nexcluded && (a->format != EXPORT_JSON || sk->dir))
		rc = write_exclusions_to(a, d, sk, written, err);
	if (!rc && a->format == EXPORT_JSON && !sk->dir)
		write_json_tables(sk->out, d, tables);
	json_decref(tables);
	return rc;
}

/* --- the release correlation --- */

/*
 * Values are rounded for reading (text, Markdown, LaTeX) and kept whole for
 * scripts (CSV: 15 significant digits, empty where there is no value).
 */
static void format_real(double v, int defined, int precise, const char *fmt, char *buf, size_t size)
{
	if (!defined)
		snprintf(buf, size, "%s", precise ? "" : "-");
	else
		snprintf(buf, size, precise ? "%.15g" : fmt, v);
}

static struct table_strings *bins_table(const struct report_releases *r, const char *note,
                                        int precise)
{
	const char *headers[] = {"release", "date",   "size",     "added",
	                         "updated", "issues", "selected", "share"};
	struct table_strings *t = table_strings_new("Release bins", note, 8, 2, headers);
	for (size_t i = 0; i < r->nbins; i++) {
		const struct report_bin *b = &r->bins[i];
		char size[32], added[32], updated[32], issues[32], selected[32], share[32];
		snprintf(size, sizeof(size), "%ld", b->size);
		snprintf(added, sizeof(added), "%ld", b->added);
		snprintf(updated, sizeof(updated), "%ld", b->updated);
		snprintf(issues, sizeof(issues), "%ld", b->issues);
		snprintf(selected, sizeof(selected), "%ld", b->selected);
		format_real(b->share, b->has_share, precise, "%.2f", share, sizeof(share));
		const char *cells[] = {b->label, b->date, size,     added,
		                       updated,  issues,  selected, share};
		table_strings_add(t, cells, 0);
	}
	return t;
}

static const char *y_title(const char *y)
{
	if (!strcmp(y, "issues"))
		return "issues";
	if (!strcmp(y, "selected"))
		return "issues with selected causes";
	return "share of selected causes";
}

static void format_rho(const struct stats_spearman *s, int precise, char *buf, size_t size)
{
	if (!s->defined && !precise)
		snprintf(buf, size, "undefined (%s)", s->why);
	else
		format_real(s->rho, s->defined, precise, "%.4f", buf, size);
}

static void format_p(const struct stats_spearman *s, int precise, char *buf, size_t size)
{
	if (s->p_defined && !precise && s->p < 0.0001)
		snprintf(buf, size, "< 0.0001");
	else
		format_real(s->p, s->p_defined, precise, "%.4f", buf, size);
}

static struct table_strings *correlations_table(const struct report_releases *r, int precise)
{
	const char *headers[] = {"x", "y", "rho", "p", "exact p", "n", "note"};
	struct table_strings *t =
	        table_strings_new("Spearman's rho",
	                          "ties get average ranks; p is two-sided, from t with n - 2 df; "
	                          "exact p by permutation of all pairings for n <= 10",
	                          precise ? 7 : 6, 2, headers);
	table_strings_set_tex_title(t, "Spearman's $\\rho$");
	table_strings_set_tex_header(t, 2, "$\\rho$");
	table_strings_set_tex_header(t, 3, "$p$");
	table_strings_set_tex_header(t, 4, "exact $p$");
	for (int i = 0; i < 3; i++) {
		const struct stats_spearman *s = &r->corr[i].s;
		char rho[96], p[32], exact[32], n[32];
		format_rho(s, precise, rho, sizeof(rho));
		format_p(s, precise, p, sizeof(p));
		format_real(s->exact_p, s->exact_defined, precise, "%.4f", exact, sizeof(exact));
		snprintf(n, sizeof(n), "%zu", s->n);
		const char *cells[] = {"release size",      y_title(r->corr[i].y), rho, p, exact, n,
		                       s->why ? s->why : ""};
		table_strings_add(t, cells, 0);
	}
	return t;
}

static char *spearman_note(const struct report_args *a, const struct report_data *d,
                           const struct release_series *rs, const struct causes *c,
                           const struct report_releases *r)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "sample %s, rater %s; series %s; size = %s; selected causes: %s; ",
	            d->sample, d->rater, rs->name,
	            a->size == REPORT_SIZE_CHANGES ? "added + updated" : report_size_name(a->size),
	            c->label);
	strbuf_addf(&sb, "%ld of %zu issues in these bins", r->attributed, d->nissues);
	if (r->before_first)
		strbuf_addf(&sb, ", %ld before the first release", r->before_first);
	if (r->in_dropped)
		strbuf_addf(&sb, ", %ld in bins left out", r->in_dropped);
	if (r->undated)
		strbuf_addf(&sb, ", %ld without a creation time", r->undated);
	if (d->outside_window)
		strbuf_addf(&sb, ", %ld outside --from/--to", d->outside_window);
	excluded_note(d, &sb);
	for (size_t i = 0; i < a->merges.nr; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "; merged ", a->merges.items[i]);
	if (a->drop_first || a->drop_last)
		strbuf_addf(&sb, "; dropped the %s bin%s",
		            a->drop_first && a->drop_last ? "first and last"
		            : a->drop_first               ? "first"
		                                          : "last",
		            a->drop_first && a->drop_last ? "s" : "");
	return strbuf_detach(&sb, NULL);
}

static json_t *spearman_json(const struct report_args *a, const struct report_data *d,
                             const struct release_series *rs, const struct causes *c,
                             const struct report_releases *r)
{
	json_t *bins = json_array(), *corrs = json_array(), *causes = json_array();
	for (size_t i = 0; i < r->nbins; i++) {
		const struct report_bin *b = &r->bins[i];
		json_array_append_new(
		        bins,
		        json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "release", b->label,
		                  "date", b->date, "size", (json_int_t)b->size, "added",
		                  (json_int_t)b->added, "updated", (json_int_t)b->updated, "issues",
		                  (json_int_t)b->issues, "selected", (json_int_t)b->selected,
		                  "share", b->has_share ? json_real(b->share) : json_null()));
	}
	for (int i = 0; i < 3; i++) {
		const struct stats_spearman *s = &r->corr[i].s;
		json_t *o =
		        json_pack("{s:s, s:s, s:o, s:o, s:o, s:I}", "x", r->corr[i].x, "y",
		                  r->corr[i].y, "rho", s->defined ? json_real(s->rho) : json_null(),
		                  "p", s->p_defined ? json_real(s->p) : json_null(), "p_exact",
		                  s->exact_defined ? json_real(s->exact_p) : json_null(), "n",
		                  (json_int_t)s->n);
		if (s->why)
			json_object_set_new(o, "note", json_string(s->why));
		json_array_append_new(corrs, o);
	}
	for (size_t i = 0; i < c->n; i++) {
		char *name = cause_name(&c->list[i]);
		json_array_append_new(causes, json_string(name));
		free(name);
	}
	json_t *o = report_json_head(d);
	json_object_set_new(o, "series", json_string(rs->name));
	json_object_set_new(o, "size", json_string(report_size_name(a->size)));
	json_object_set_new(o, "causes", causes);
	json_object_set_new(o, "attributed", json_integer(r->attributed));
	json_object_set_new(o, "before_first", json_integer(r->before_first));
	json_object_set_new(o, "in_dropped", json_integer(r->in_dropped));
	json_object_set_new(o, "undated", json_integer(r->undated));
	json_object_set_new(o, "bins", bins);
	json_object_set_new(o, "correlations", corrs);
	return o;
}

/* Writes one of the release tables, named name, to the stream or as name.EXT. */
static int write_release_table(const struct report_args *a, struct sink *sk,
                               struct table_strings *t, const char *name, struct error *err)
{
	t->name = xstrdup(name);
	t->latex_float = a->latex_float > 0;
	char *file;
	FILE *f = sink_open(a, sk, name, &file, err);
	if (!f)
		return -1;
	table_strings_write(f, t, a->format);
	return sink_close(sk, f, file, err);
}

/* The bins and correlations tables (--table picks one) in any format but JSON. */
static int write_spearman_tables(const struct report_args *a, const struct report_data *d,
                                 const struct release_series *rs, const struct causes *c,
                                 const struct report_releases *r, struct sink *sk,
                                 struct error *err)
{
	const char *only = a->table && strcmp(a->table, "all") ? a->table : NULL;
	int precise = a->format == EXPORT_CSV, rc = 0;
	if (!only || !strcmp(only, "bins")) {
		char *note = spearman_note(a, d, rs, c, r);
		struct table_strings *t = bins_table(r, note, precise);
		rc = write_release_table(a, sk, t, "bins", err);
		table_strings_free(t);
		free(note);
	}
	if (!only && !sk->dir)
		putc('\n', sk->out);
	if (!rc && (!only || !strcmp(only, "correlations"))) {
		struct table_strings *t = correlations_table(r, precise);
		rc = write_release_table(a, sk, t, "correlations", err);
		table_strings_free(t);
	}
	return rc;
}

static int write_spearman(const struct report_args *a, const struct report_data *d,
                          const struct release_series *rs, struct sink *sk, struct error *err)
{
	struct causes c = {0};
	if (parse_causes(a, d, &c, err))
		return -1;
	struct report_release_options o = {a->from,      a->to,           a->drop_first,
	                                   a->drop_last, a->merges.items, a->merges.nr,
	                                   a->size,      c.list,          c.n};
	struct report_releases *r;
	if (report_releases(d, rs, &o, &r, err)) {
		free_causes(&c);
		return -1;
	}
	int rc = 0;
	if (a->format == EXPORT_JSON) {
		char *file;
		FILE *f = sink_open(a, sk, "spearman", &file, err);
		if (f) {
			json_t *j = spearman_json(a, d, rs, &c, r);
			json_dumpf(j, f, TABLE_JSON_FLAGS);
			putc('\n', f);
			json_decref(j);
			rc = sink_close(sk, f, file, err);
		} else {
			rc = -1;
		}
	} else {
		rc = write_spearman_tables(a, d, rs, &c, r, sk, err);
	}
	report_releases_free(r);
	free_causes(&c);
	return rc;
}

/* --- figures --- */

static int write_plot_releases(const struct report_args *a, const struct release_series *rs)
{
	struct outfile o;
	struct error err;
	if (outfile_open(&o, a->plot_releases, &err))
		return cli_fail(&err);
	plot_releases(o.f, rs);
	return outfile_commit(&o, &err) ? cli_fail(&err) : EXIT_SUCCESS;
}

static int write_plot_cumulative(const struct report_args *a, const struct report_data *d,
                                 const struct release_series *rs)
{
	struct causes c = {0};
	struct error err;
	if (parse_causes(a, d, &c, &err))
		return cli_fail(&err);
	struct report_quarters q;
	report_quarters(d, a->from, a->to, c.list, c.n, &q);
	const char **labels = xcalloc(d->nrepos + 1, sizeof(char *));
	for (size_t i = 0; i < d->nrepos; i++)
		labels[i] = repo_label(a, d, d->repos[i]);
	struct plot_cumulative p = {&q, labels, c.label, rs, a->threshold, a->size};
	struct outfile o;
	int rc = EXIT_SUCCESS;
	if (outfile_open(&o, a->plot_cumulative, &err)) {
		rc = cli_fail(&err);
	} else {
		plot_cumulative(o.f, &p);
		if (outfile_commit(&o, &err))
			rc = cli_fail(&err);
	}
	free(labels);
	report_quarters_free(&q);
	free_causes(&c);
	return rc;
}

/* --- the command --- */

static int write_main(const struct report_args *a, const struct report_data *d,
                      const struct release_series *rs, struct sink *sk, struct error *err)
{
	return a->spearman ? write_spearman(a, d, rs, sk, err) : write_tables(a, d, sk, err);
}

/* --output-dir: every table a file of its own, all of them or none. */
static int write_output_dir(const struct report_args *a, const struct report_data *d,
                            const struct release_series *rs, const struct report_funnel *f)
{
	struct outdir dir;
	struct error err;
	if (outdir_open(&dir, a->output_dir, &err))
		return cli_fail(&err);
	struct sink sk = {NULL, &dir, f};
	if (write_main(a, d, rs, &sk, &err)) {
		outdir_abort(&dir);
		return cli_fail(&err);
	}
	return outdir_commit(&dir, &err) ? cli_fail(&err) : EXIT_SUCCESS;
}

static int write_main_output(const struct report_args *a, const struct report_data *d,
                             const struct release_series *rs, const struct report_funnel *f)
{
	if (a->output_dir)
		return write_output_dir(a, d, rs, f);
	struct outfile o;
	struct error err;
	if (outfile_open(&o, a->output, &err))
		return cli_fail(&err);
	struct sink sk = {o.f, NULL, f};
	if (write_main(a, d, rs, &sk, &err)) {
		outfile_abort(&o);
		return cli_fail(&err);
	}
	return outfile_commit(&o, &err) ? cli_fail(&err) : EXIT_SUCCESS;
}

/* --- settings --- */

/* Keeps a copy of a setting's value for the arguments to point to. */
static const char *own(struct report_args *a, const char *value)
{
	xgrow((void **)&a->owned, &a->alloc_owned, a->nowned + 1, sizeof(char *));
	return a->owned[a->nowned++] = xstrdup(value);
}

static void set_count(long *field, const char *value)
{
	if (*field == NOT_GIVEN)
		*field = strtol(value, NULL, 10);
}

static void set_flag(int *field, const char *value)
{
	if (*field < 0)
		*field = settings_bool(value);
}

/* One stored setting (checked when it was set) where the command line left a gap. */
static void apply_setting(struct report_args *a, const char *key, const char *value)
{
	if (!strncasecmp(key, "report.name.", 12)) {
		xgrow((void **)&a->names, &a->alloc_names, a->nnames + 1, sizeof(char *));
		a->names[a->nnames++] = xstrfmt("%s=%s", key + 12, value);
	} else if (!strcasecmp(key, "report.rater") && !a->rater) {
		a->rater = own(a, value);
	} else if (!strcasecmp(key, "report.format") && !a->format_name) {
		a->format_name = own(a, value);
	} else if (!strcasecmp(key, "report.releases") && !a->releases &&
	           (a->spearman || a->plot_releases || a->plot_cumulative)) {
		a->releases = own(a, value);
	} else if (!strcasecmp(key, "report.causes") && !a->causes) {
		a->causes = own(a, value);
	} else if (!strcasecmp(key, "report.top")) {
		set_count(&a->top, value);
	} else if (!strcasecmp(key, "report.top-symptoms")) {
		set_count(&a->top_symptoms, value);
	} else if (!strcasecmp(key, "report.top-locations")) {
		set_count(&a->top_locations, value);
	} else if (!strcasecmp(key, "report.hide-empty")) {
		set_flag(&a->hide_empty, value);
	} else if (!strcasecmp(key, "report.group-totals")) {
		set_flag(&a->group_totals, value);
	} else if (!strcasecmp(key, "report.compact")) {
		set_flag(&a->compact, value);
	} else if (!strcasecmp(key, "report.float")) {
		set_flag(&a->latex_float, value);
	}
}

/* The report.* settings fill what the command line did not give (s may be NULL). */
static int apply_settings(struct store *s, struct report_args *a)
{
	struct setting *all = NULL;
	size_t n = 0;
	struct error err;
	if (s && settings_list(s, &all, &n, &err))
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		apply_setting(a, all[i].key, all[i].value);
	settings_free(all, n);
	if (!a->format_name)
		a->format_name = "text";
	long *counts[] = {&a->top, &a->top_symptoms, &a->top_locations};
	for (size_t i = 0; i < 3; i++)
		if (*counts[i] == NOT_GIVEN)
			*counts[i] = 0;
	a->hide_empty = a->hide_empty > 0;
	a->group_totals = a->group_totals != 0;
	a->compact = a->compact > 0;
	a->latex_float = a->latex_float > 0;
	return 0;
}

static void free_args(struct report_args *a)
{
	for (size_t i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	for (size_t i = 0; i < a->nnames; i++)
		free(a->names[i]);
	free(a->names);
	string_list_clear(&a->merges);
	string_list_clear(&a->labels);
}

static int run(const struct report_args *a, struct store *s)
{
	struct error err;
	struct report_data *d = NULL;
	struct release_series *rs = NULL;
	struct report_options ro = {a->sample, a->rater, a->taxonomy, a->from, a->to};
	if (a->releases && release_series_read(s, a->releases, &rs, &err))
		return cli_fail(&err);
	if (a->sample && report_load(s, &ro, &d, &err)) {
		release_series_free(rs);
		return cli_fail(&err);
	}
	int rc = d && check_labels(a, d) ? EXIT_FAILURE : EXIT_SUCCESS;
	int tables_wanted = a->spearman || a->table || (!a->plot_releases && !a->plot_cumulative);
	struct report_funnel *funnel = NULL;
	if (rc == EXIT_SUCCESS && a->table && !a->spearman && !strcmp(a->table, FUNNEL_TABLE) &&
	    report_funnel(s, d, &funnel, &err))
		rc = cli_fail(&err);
	if (rc == EXIT_SUCCESS && tables_wanted)
		rc = write_main_output(a, d, rs, funnel);
	report_funnel_free(funnel);
	if (rc == EXIT_SUCCESS && a->plot_releases)
		rc = write_plot_releases(a, rs);
	if (rc == EXIT_SUCCESS && a->plot_cumulative)
		rc = write_plot_cumulative(a, d, rs);
	report_data_free(d);
	release_series_free(rs);
	return rc;
}

int cmd_report(int argc, const char **argv)
{
	struct report_args a = {0};
	a.size_name = "changes";
	a.threshold = 5;
	a.top = a.top_symptoms = a.top_locations = NOT_GIVEN;
	a.hide_empty = a.group_totals = a.compact = a.latex_float = -1;
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "NAME", "the coded sample"},
	        {OPT_STRING, 0, "rater", &a.rater, "NAME", "whose codes (default: the only rater)"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "the taxonomy (default: that of the codes)"},
	        {OPT_STRING, 0, "table", &a.table, "NAME", "one table (default all)"},
	        {OPT_CHOICE, 0, "format", &a.format_name, EXPORT_FORMAT_CHOICES,
	         "output format (default text)"},
	        {OPT_STRING, 'o', "output", &a.output, "FILE",
	         "write to FILE (whole or not at all) instead of stdout"},
	        {OPT_STRING, 0, "output-dir", &a.output_dir, "DIR",
	         "one file per table in DIR (NAME.EXT), all or none"},
	        {OPT_BOOL, 0, "float", &a.latex_float, NULL,
	         "LaTeX: wrap each table in table, \\caption, \\label{tab:NAME}"},
	        {OPT_BOOL, 0, "hide-empty", &a.hide_empty, NULL,
	         "leave out rows, groups and columns that count nothing"},
	        {OPT_BOOL, 0, "group-totals", &a.group_totals, NULL,
	         "joint tables: a total column in each group (--no-group-totals: none)"},
	        {OPT_BOOL, 0, "compact", &a.compact, NULL,
	         "joint tables: repositories as rows, symptoms or locations as columns"},
	        {OPT_INT, 0, "top", &a.top, "K", "keep the K most frequent causes, bin the rest"},
	        {OPT_INT, 0, "top-symptoms", &a.top_symptoms, "K",
	         "keep the K most frequent symptoms as columns"},
	        {OPT_INT, 0, "top-locations", &a.top_locations, "K",
	         "keep the K most frequent locations as columns"},
	        {OPT_STRING, 0, "causes", &a.causes, "LIST",
	         "selected causes (default \"Incompatibility,Type Problem\")"},
	        {OPT_STRING, 0, "from", &a.from, "DAY", "only issues created on or after DAY"},
	        {OPT_STRING, 0, "to", &a.to, "DAY", "only issues created on or before DAY"},
	        {OPT_STRING_LIST, 0, "label", &a.labels, "OWNER/NAME=TEXT",
	         "column title of a repository (repeatable)"},
	        {OPT_BOOL, 0, "hide-empty-uncoded", &a.hide_empty_uncoded, NULL,
	         "leave out (uncoded) rows and columns that count nothing"},
	        {OPT_BOOL, 0, "spearman", &a.spearman, NULL, "the release correlation"},
	        {OPT_STRING, 0, "releases", &a.releases, "NAME", "release series"},
	        {OPT_CHOICE, 0, "size", &a.size_name, "changes|added|updated",
	         "release size (default changes = added + updated)"},
	        {OPT_BOOL, 0, "drop-first", &a.drop_first, NULL, "leave out the first bin"},
	        {OPT_BOOL, 0, "drop-last", &a.drop_last, NULL, "leave out the last bin"},
	        {OPT_STRING_LIST, 0, "merge", &a.merges, "A-B",
	         "merge releases A..B into one bin (repeatable)"},
	        {OPT_STRING, 0, "plot-releases", &a.plot_releases, "FILE.svg",
	         "stacked bars of added and updated per release"},
	        {OPT_STRING, 0, "plot-cumulative", &a.plot_cumulative, "FILE.svg",
	         "cumulative issues per quarter and repository"},
	        {OPT_INT, 0, "threshold", &a.threshold, "N",
	         "release lines of --plot-cumulative: size >= N (default 5)"},
	        {OPT_END},
	};
	argc = parse_options("report", argc, argv, opts, report_usage);
	if (argc > 0)
		usage_error("report", "unexpected argument '%s'", argv[0]);
	struct store *s = NULL;
	int rc = EXIT_FAILURE;
	/* A figure of a built-in release series needs no database. */
	int need_db = a.sample || access(cli_db_path(), F_OK) == 0;
	if (need_db && cli_open_store(STORE_READONLY, &s)) {
		free_args(&a);
		return EXIT_FAILURE;
	}
	a.store = s;
	if (apply_settings(s, &a) == 0) {
		a.causes_given = a.causes != NULL;
		check_args(&a);
		rc = run(&a, s);
	}
	store_close(s);
	free_args(&a);
	return rc;
}
