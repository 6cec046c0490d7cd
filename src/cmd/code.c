/*
 * code.c - "issuemine code": set one rater's codes on an issue from a script.
 *
 * The same validation as the labeling UI, in one transaction per command:
 * either every code given is stored, or none is. Only the rater's own codes
 * are ever printed (coding is blind).
 */
#include "cli.h"
#include "codes.h"
#include "commands.h"
#include "issueref.h"
#include "sets.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *const code_usage[] = {
        "issuemine code --sample NAME --rater NAME [--taxonomy NAME] [--add-to-sample]",
        "               [--note TEXT] [--clear DIMENSION]... ISSUE [DIMENSION=CATEGORY[/SUB]]...",
        NULL,
        "Set a rater's codes on one issue of a sample without the UI, e.g.",
        "  issuemine code --sample study --rater alice pytorch/pytorch#84092 \\",
        "      symptom=crash cause=incompatibility/external location=\"Node Conversion\"",
        "ISSUE is OWNER/NAME#N or a GitHub issue URL. Dimensions, categories and",
        "sub-categories match a key, a display name or an alias, ignoring case; an",
        "unknown one is refused with the valid choices. The issue must be in the sample",
        "(--add-to-sample adds it, creating the sample if needed). The rater is created",
        "on first use. Everything given is stored in one transaction, or nothing.",
        NULL,
};

struct code_args {
	const char *sample, *rater, *taxonomy, *note;
	int add_to_sample, has_note;
	struct string_list clear;
	struct issueref issue;
	const char **specs;
	int nspecs;
};

/* The sample's id; creates it (and adds the issue) with --add-to-sample. */
static int find_sample(struct store *s, const struct code_args *a, int64_t issue_id,
                       int64_t *set_id, struct error *err)
{
	if (set_find(s, a->sample, set_id, err))
		return -1;
	if (!*set_id && !a->add_to_sample)
		return error_set(err, "no sample named '%s' (--add-to-sample creates it)",
		                 a->sample);
	if (!*set_id && set_create(s, a->sample, "manual", "issuemine code --add-to-sample", 0, 0,
	                           0, set_id, err))
		return -1;
	int member;
	if (set_has_member(s, *set_id, issue_id, &member, err))
		return -1;
	if (member)
		return 0;
	if (!a->add_to_sample)
		return error_set(err, "%s#%lld is not in sample '%s' (--add-to-sample adds it)",
		                 a->issue.repo, (long long)a->issue.number, a->sample);
	return set_add_member(s, *set_id, issue_id, err);
}

static int apply_codes(struct store *s, const struct taxonomy *t, const struct code_args *a,
                       int64_t set_id, int64_t issue_id, int64_t rater, struct strbuf *done,
                       struct error *err)
{
	for (size_t i = 0; i < a->clear.nr; i++) {
		const struct tax_dimension *d = tax_find_dimension(t, a->clear.items[i]);
		if (!d)
			return error_set(err, "--clear: no dimension '%s' in taxonomy %s",
			                 a->clear.items[i], t->name);
		if (code_clear(s, set_id, issue_id, rater, d, "code", err))
			return -1;
		strbuf_addf(done, " %s=(none)", d->key);
	}
	for (int i = 0; i < a->nspecs; i++) {
		struct tax_code code;
		char label[512];
		if (tax_resolve_spec(t, a->specs[i], &code, err) ||
		    code_set(s, set_id, issue_id, rater, &code, "code", err))
			return -1;
		tax_code_label(&code, label, sizeof(label));
		strbuf_addf(done, " %s=%s", code.dim->key, label);
	}
	if (a->has_note && note_set(s, set_id, issue_id, rater, a->note, "code", err))
		return -1;
	return 0;
}

static int run(struct store *s, const struct code_args *a, struct strbuf *done, struct error *err)
{
	struct taxonomy *t;
	int64_t issue_id, set_id, rater;
	if (tax_read(s, a->taxonomy, &t, err))
		return -1;
	int rc = -1;
	if (store_begin(s, err))
		goto out;
	if (store_issue_id(s, a->issue.repo, a->issue.number, &issue_id, err))
		goto fail;
	if (!issue_id) {
		error_set(err, "%s#%lld: not in the database (fetch or import it first)",
		          a->issue.repo, (long long)a->issue.number);
		goto fail;
	}
	if (find_sample(s, a, issue_id, &set_id, err) || rater_id(s, a->rater, 1, &rater, err) ||
	    apply_codes(s, t, a, set_id, issue_id, rater, done, err))
		goto fail;
	rc = store_commit(s, err);
	goto out;
fail:
	store_rollback(s);
out:
	tax_free(t);
	return rc;
}

int cmd_code(int argc, const char **argv)
{
	struct code_args a = {0};
	struct option opts[] = {
	        {OPT_STRING, 0, "sample", &a.sample, "NAME", "the sample the issue belongs to"},
	        {OPT_STRING, 0, "rater", &a.rater, "NAME", "whose codes these are"},
	        {OPT_STRING, 0, "taxonomy", &a.taxonomy, "NAME",
	         "taxonomy (default: the only one)"},
	        {OPT_BOOL, 0, "add-to-sample", &a.add_to_sample, NULL,
	         "add the issue to the sample (creating it) if needed"},
	        {OPT_STRING, 0, "note", &a.note, "TEXT", "set the rater's note ('' removes it)"},
	        {OPT_STRING_LIST, 0, "clear", &a.clear, "DIMENSION",
	         "remove the code of a dimension"},
	        {OPT_END},
	};
	argc = parse_options("code", argc, argv, opts, code_usage);
	if (!a.sample || !a.rater)
		usage_error("code", "--sample and --rater are required");
	if (argc == 0)
		usage_error("code", "no ISSUE given");
	struct error bad;
	if (issueref_parse_err(argv[0], &a.issue, &bad))
		usage_error("code", "%s", bad.msg);
	if (!rater_name_valid(a.rater))
		usage_error("code", "--rater: '%s' is not a valid rater name", a.rater);
	a.has_note = a.note != NULL;
	a.specs = argv + 1;
	a.nspecs = argc - 1;
	if (!a.nspecs && !a.has_note && !a.clear.nr)
		usage_error("code", "nothing to do: give DIMENSION=CATEGORY, --note or --clear");

	struct store *s;
	struct strbuf done = STRBUF_INIT;
	struct error err;
	if (cli_open_store(STORE_READWRITE, &s)) {
		string_list_clear(&a.clear);
		return EXIT_FAILURE;
	}
	int rc = run(s, &a, &done, &err);
	store_close(s);
	string_list_clear(&a.clear);
	if (rc) {
		strbuf_release(&done);
		return cli_fail(&err);
	}
	printf("%s: %s#%lld in %s:%s%s\n", a.rater, a.issue.repo, (long long)a.issue.number,
	       a.sample, done.buf, a.has_note ? " (note saved)" : "");
	strbuf_release(&done);
	return EXIT_SUCCESS;
}
