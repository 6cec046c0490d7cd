/*
 * code.c - "issuemine code": set one rater's codes on an issue from a script,
 * or show them.
 *
 * The same validation as the labeling UI, in one transaction per command:
 * either every code given is stored, or none is. Only the rater's own codes
 * are ever printed (coding is blind). Given no change, it prints the
 * rater's codes on the issue and writes nothing.
 */
#include "cli.h"
#include "codes.h"
#include "commands.h"
#include "issueref.h"
#include "sets.h"
#include "strbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_usage[] = {
        "issuemine code --sample NAME --rater NAME [--taxonomy NAME] [--add-to-sample]",
        "               [--note TEXT] [--clear DIMENSION]... [--exclude REASON "
        "[--exclude-note TEXT] | --include]",
        "               [--format text|json] ISSUE [DIMENSION=CATEGORY[/SUB]]...",
        NULL,
        "Set a rater's codes on one issue of a sample without the UI, e.g.",
        "  issuemine code --sample study --rater alice pytorch/pytorch#84092 \\",
        "      symptom=crash cause=incompatibility/external location=\"Node Conversion\"",
        "ISSUE is OWNER/NAME#N or a GitHub issue URL. Dimensions, categories and",
        "sub-categories match a key, a display name or an alias, ignoring case; an",
        "unknown one is refused with the valid choices. --exclude marks the issue as not",
        "to be coded, with one of the taxonomy's exclusion reasons (see 'issuemine",
        "taxonomy show') and optional free text; --include takes the exclusion back. The",
        "issue must be in the sample (--add-to-sample adds it, creating the sample if",
        "needed). The rater is created on first use. Everything given is stored in one",
        "transaction, or nothing. With nothing to change, the rater's codes on the issue",
        "are printed.",
        NULL,
};

struct code_args {
	const char *sample, *rater, *taxonomy, *note, *exclude, *exclude_note, *format;
	int add_to_sample, has_note, include;
	struct string_list clear;
	struct issueref issue;
	const char **specs;
	int nspecs;
};

static int has_changes(const struct code_args *a)
{
	return a->nspecs || a->has_note || a->clear.nr || a->exclude || a->include;
}

/* The sample's id; creates it (and adds the issue) with --add-to-sample. */
static int find_sample(struct store *s, const struct code_args *a, int64_t issue_id,
                       int64_t *set_id, struct error *err)
{
	if (set_find(s, a->sample, set_id, err))
		return -1;
	int create = a->add_to_sample && has_changes(a);
	if (!*set_id && !create)
		return error_set(err, "no sample named '%s'%s", a->sample,
		                 has_changes(a) ? " (--add-to-sample creates it)" : "");
	if (!*set_id && set_create(s, a->sample, "manual", "issuemine code --add-to-sample", 0, 0,
	                           0, set_id, err))
		return -1;
	int member;
	if (set_has_member(s, *set_id, issue_id, &member, err))
		return -1;
	if (member)
		return 0;
	if (!create)
		return error_set(err, "%s#%lld is not in sample '%s'%s", a->issue.repo,
		                 (long long)a->issue.number, a->sample,
		                 has_changes(a) ? " (--add-to-sample adds it)" : "");
	return set_add_member(s, *set_id, issue_id, err);
}

/* What was done, for the summary: "symptom=Crash", "cause=(none)", "excluded: ...". */
struct done {
	struct strbuf text;
	json_t *changes;
};

static void did(struct done *d, const char *what, const char *value)
{
	strbuf_addf(&d->text, " %s=%s", what, value);
	json_array_append_new(d->changes, json_pack("{s:s, s:s}", "what", what, "value", value));
}

static int apply_exclusion(struct store *s, const struct taxonomy *t, const struct code_args *a,
                           int64_t set_id, int64_t issue_id, int64_t rater, struct done *done,
                           struct error *err)
{
	if (a->include) {
		if (exclusion_clear(s, set_id, issue_id, rater, "code", err))
			return -1;
		did(done, "exclusion", "(none)");
		return 0;
	}
	if (!a->exclude)
		return 0;
	const struct tax_reason *reason;
	if (tax_resolve_reason(t, a->exclude, &reason, err) ||
	    exclusion_set(s, set_id, issue_id, rater, reason, a->exclude_note, "code", err))
		return -1;
	did(done, "exclusion", reason->name);
	return 0;
}

static int apply_codes(struct store *s, const struct taxonomy *t, const struct code_args *a,
                       int64_t set_id, int64_t issue_id, int64_t rater, struct done *done,
                       struct error *err)
{
	for (size_t i = 0; i < a->clear.nr; i++) {
		const struct tax_dimension *d = tax_find_dimension(t, a->clear.items[i]);
		if (!d)
			return error_set(err, "--clear: no dimension '%s' in taxonomy %s",
			                 a->clear.items[i], t->name);
		if (code_clear(s, set_id, issue_id, rater, d, "code", err))
			return -1;
		did(done, d->key, "(none)");
	}
	for (int i = 0; i < a->nspecs; i++) {
		struct tax_code code;
		char label[512];
		if (tax_resolve_spec(t, a->specs[i], &code, err) ||
		    code_set(s, set_id, issue_id, rater, &code, "code", err))
			return -1;
		tax_code_label(&code, label, sizeof(label));
		did(done, code.dim->key, label);
	}
	if (a->has_note && note_set(s, set_id, issue_id, rater, a->note, "code", err))
		return -1;
	return apply_exclusion(s, t, a, set_id, issue_id, rater, done, err);
}

/* The rater's codes, note and exclusion on the issue now, as JSON. */
static json_t *current_json(struct store *s, const struct taxonomy *t, const struct code_args *a,
                            int64_t set_id, int64_t issue_id, int64_t rater, struct error *err)
{
	json_t *codes = json_object();
	for (size_t d = 0; d < t->ndims; d++) {
		struct tax_code c;
		int found = 0;
		if (rater &&
		    code_get(s, t, set_id, issue_id, rater, &t->dims[d], &c, &found, err)) {
			json_decref(codes);
			return NULL;
		}
		char label[512];
		if (found)
			tax_code_label(&c, label, sizeof(label));
		json_object_set_new(codes, t->dims[d].key,
		                    found ? json_pack("{s:s, s:s?, s:s}", "category", c.cat->key,
		                                      "subcategory", c.sub ? c.sub->key : NULL,
		                                      "label", label)
		                          : json_null());
	}
	char *note = NULL;
	struct exclusion x = {0};
	if (rater && (note_get(s, set_id, issue_id, rater, &note, err) ||
	              exclusion_get(s, t, set_id, issue_id, rater, &x, err))) {
		json_decref(codes);
		return NULL;
	}
	char ref[320];
	snprintf(ref, sizeof(ref), "%s#%lld", a->issue.repo, (long long)a->issue.number);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s?}", "sample", a->sample, "rater",
	                      a->rater, "issue", ref, "taxonomy", t->name, "version", t->version,
	                      "codes", codes, "note", note);
	json_object_set_new(o, "exclusion",
	                    x.reason ? json_pack("{s:s, s:s, s:s?}", "reason", x.reason->key,
	                                         "name", x.reason->name, "note", x.detail)
	                             : json_null());
	free(note);
	exclusion_release(&x);
	return o;
}

/* "symptom=Crash location=(none) ..." of the current codes in o, for the text listing. */
static void current_text(json_t *o, struct strbuf *sb)
{
	const char *dim;
	json_t *c;
	json_object_foreach(json_object_get(o, "codes"), dim, c)
	{
		strbuf_addf(sb, " %s=%s", dim,
		            json_is_object(c) ? json_string_value(json_object_get(c, "label"))
		                              : "(none)");
	}
	json_t *x = json_object_get(o, "exclusion");
	if (json_is_object(x))
		strbuf_addf(sb, " excluded: %s", json_string_value(json_object_get(x, "name")));
	if (json_is_string(json_object_get(o, "note")))
		strbuf_adds(sb, " (has a note)");
}

struct result {
	struct done done;
	json_t *now; /* the codes after the command */
};

static int run(struct store *s, const struct code_args *a, struct result *r, struct error *err)
{
	struct taxonomy *t;
	int64_t issue_id, set_id, rater = 0;
	if (tax_read(s, a->taxonomy, &t, err))
		return -1;
	int rc = -1, writes = has_changes(a);
	if (writes && store_begin(s, err))
		goto out;
	if (store_issue_id(s, a->issue.repo, a->issue.number, &issue_id, err))
		goto fail;
	if (!issue_id) {
		error_set(err, "%s#%lld: not in the database (fetch or import it first)",
		          a->issue.repo, (long long)a->issue.number);
		goto fail;
	}
	if (find_sample(s, a, issue_id, &set_id, err) ||
	    rater_id(s, a->rater, writes, &rater, err) ||
	    (writes && apply_codes(s, t, a, set_id, issue_id, rater, &r->done, err)))
		goto fail;
	r->now = current_json(s, t, a, set_id, issue_id, rater, err);
	if (!r->now)
		goto fail;
	rc = writes ? store_commit(s, err) : 0;
	goto out;
fail:
	if (writes)
		store_rollback(s);
out:
	tax_free(t);
	return rc;
}

static void print_result(const struct code_args *a, struct result *r)
{
	if (!strcmp(a->format, "json")) {
		json_object_set(r->now, "changed", r->done.changes);
		cli_print_json(json_incref(r->now));
		return;
	}
	if (!has_changes(a)) {
		struct strbuf sb = STRBUF_INIT;
		current_text(r->now, &sb);
		printf("%s: %s#%lld in %s:%s\n", a->rater, a->issue.repo,
		       (long long)a->issue.number, a->sample, sb.buf);
		strbuf_release(&sb);
		return;
	}
	printf("%s: %s#%lld in %s:%s%s\n", a->rater, a->issue.repo, (long long)a->issue.number,
	       a->sample, r->done.text.buf, a->has_note ? " (note saved)" : "");
}

static void check_args(struct code_args *a, int argc, const char **argv)
{
	if (!a->sample || !a->rater)
		usage_error("code", "--sample and --rater are required");
	if (argc == 0)
		usage_error("code", "no ISSUE given");
	struct error bad;
	if (issueref_parse_err(argv[0], &a->issue, &bad))
		usage_error("code", "%s", bad.msg);
	if (!rater_name_valid(a->rater))
		usage_error("code", "--rater: '%s' is not a valid rater name", a->rater);
	if (a->exclude && a->include)
		usage_error("code", "--exclude and --include contradict each other");
	if (a->exclude_note && !a->exclude)
		usage_error("code", "--exclude-note goes with --exclude REASON");
	a->has_note = a->note != NULL;
	a->specs = argv + 1;
	a->nspecs = argc - 1;
}

int cmd_code(int argc, const char **argv)
{
	struct code_args a = {0};
	a.format = "text";
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
	        {OPT_STRING, 0, "exclude", &a.exclude, "REASON",
	         "exclude the issue from coding, for this reason"},
	        {OPT_STRING, 0, "exclude-note", &a.exclude_note, "TEXT",
	         "with --exclude: why, in free text"},
	        {OPT_BOOL, 0, "include", &a.include, NULL, "take the rater's exclusion back"},
	        {OPT_CHOICE, 0, "format", &a.format, "text|json", "output format (default text)"},
	        {OPT_END},
	};
	argc = parse_options("code", argc, argv, opts, code_usage);
	check_args(&a, argc, argv);

	struct store *s;
	struct result r = {{STRBUF_INIT, json_array()}, NULL};
	struct error err;
	int rc = EXIT_FAILURE;
	if (!cli_open_store(has_changes(&a) ? STORE_READWRITE : STORE_READONLY, &s)) {
		rc = run(s, &a, &r, &err) ? cli_fail(&err) : EXIT_SUCCESS;
		store_close(s);
	}
	if (rc == EXIT_SUCCESS)
		print_result(&a, &r);
	string_list_clear(&a.clear);
	strbuf_release(&r.done.text);
	json_decref(r.done.changes);
	json_decref(r.now);
	return rc;
}
