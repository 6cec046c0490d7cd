/*
 * label.c - "issuemine label": code a sample's issues, blind, in the UI.
 *
 * Resolves the taxonomy, the sample and the rater (creating the rater on
 * first use), then runs the UI (tui/). Every code and note is saved by the
 * UI the moment it is chosen; this command prints nothing on success and
 * never shows another rater's codes.
 */
#include "cli.h"
#include "codes.h"
#include "commands.h"
#include "sets.h"
#include "tui.h"

static const char *const label_usage[] = {
        "issuemine label --sample NAME --rater NAME [--taxonomy NAME]",
        NULL,
        "Code the issues of a sample in a terminal UI, blind: the list shows each",
        "issue's status for this rater, the reader shows the issue and its timeline,",
        "the panel below it the rater's codes. Keys: 1-9 code a dimension, then a",
        "category's letter (and a sub-category's), e note, ]/[ next/previous issue",
        "not done, h/l previous/next issue, / search, ? every key, q quit.",
        "f shows the issue's fixes, their files and diffs (after 'issuemine fixes",
        "fetch'); o its URL ($BROWSER opens it). When the taxonomy has path rules,",
        "the panel shows the category the fix's files suggest and s accepts it.",
        "Every change is saved at once; reopening resumes at the first issue not",
        "fully coded. Two raters can work on the same database at the same time.",
        NULL,
};

struct label_args {
	const char *sample, *rater, *taxonomy;
};

/* Finds the sample and the rater (created on first use, in its own transaction). */
static int resolve(struct store *s, const struct label_args *a, struct tui_options *o,
                   struct error *err)
{
	if (set_find(s, a->sample, &o->set_id, err))
		return -1;
	if (!o->set_id)
		return error_set(err, "no sample named '%s'", a->sample);
	if (store_begin(s, err))
		return -1;
	if (rater_id(s, a->rater, 1, &o->rater_id, err)) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

int cmd_label(int argc, const char **argv)
{
	struct label_args a = {0};
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "NAME", "the sample to code"},
	        {OPT_STRING, 0, "rater", &a.rater, "NAME", "who is coding"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "taxonomy (default: the only one)"},
	        {OPT_END},
	};
	argc = parse_options("label", argc, argv, opts, label_usage);
	if (!a.sample || !a.rater)
		usage_error("label", "--sample and --rater are required");
	if (argc > 0)
		usage_error("label", "unexpected argument '%s'", argv[0]);
	if (!rater_name_valid(a.rater))
		usage_error("label", "--rater: '%s' is not a valid rater name", a.rater);

	struct error err;
	if (tui_check_terminal(&err))
		return cli_fail(&err);
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct taxonomy *t = NULL;
	struct tui_options o = {
	        .mode = TUI_LABEL,
	        .store = s,
	        .set_name = a.sample,
	        .rater = a.rater,
	};
	int rc = tax_read(s, a.taxonomy, &t, &err);
	if (!rc) {
		o.tax = t;
		rc = resolve(s, &a, &o, &err);
	}
	if (!rc)
		rc = tui_run(&o, &err);
	tax_free(t);
	store_close(s);
	return rc ? cli_fail(&err) : EXIT_SUCCESS;
}
