/*
 * sample.c - "issuemine sample": a reproducible random sample of a set.
 */
#include "cli.h"
#include "commands.h"
#include "issuelist.h"
#include "number.h"
#include "sample.h"
#include "sample_topup.h"
#include "sets.h"
#include "xalloc.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

static const char *const sample_usage[] = {
        "issuemine sample --from SET (--n N | --per-repo N) --seed S [--save NAME]",
        "issuemine sample --from SAMPLE --tranche N --seed S [--save NAME]",
        "issuemine sample --top-up SAMPLE [--rater NAME]",
        NULL,
        "Draw a uniform random sample without replacement from a set: N issues in all,",
        "or N from each repository (--per-repo), or N issues of an existing sample for a",
        "second rater's drift check (--tranche). The same seed draws the same sample on",
        "any machine: members are ordered by repository and number, then drawn by a",
        "partial Fisher-Yates shuffle with xoshiro256** seeded by SplitMix64 (see the",
        "manual). --save keeps the sample as a named set with its seed and source;",
        "without it the sample is only printed. The draw is prefix-stable: drawing k + m",
        "gives the k of drawing k, then m more.",
        "--top-up adds to a saved sample replacements for the issues rater NAME",
        "excluded (by default the only rater who excluded any), so that it again holds",
        "N included issues (per repository): the next issues of the same seeded order,",
        "the same on any machine; the sample's origin records it.",
        NULL,
};

static int print_sample(struct store *s, const int64_t *ids, size_t n, const char *format)
{
	struct set_member *members = xcalloc(n ? n : 1, sizeof(*members));
	struct error err;
	int rc = EXIT_SUCCESS;
	for (size_t i = 0; i < n && rc == EXIT_SUCCESS; i++) {
		sqlite3_stmt *st =
		        store_stmt(s,
		                   "SELECT " SET_MEMBER_COLUMNS " FROM issues i "
		                   "JOIN repositories r ON r.id = i.repo_id WHERE i.id = ?",
		                   &err);
		if (!st) {
			rc = cli_fail(&err);
			break;
		}
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) == SQLITE_ROW)
			set_member_from_row(st, &members[i]);
		sqlite3_reset(st);
	}
	if (rc == EXIT_SUCCESS)
		issuelist_print(members, n, issuelist_format(format));
	for (size_t i = 0; i < n; i++)
		set_member_release(&members[i]);
	free(members);
	return rc;
}

/*
 * The seed, 0 to INT64_MAX: the range the sets table and JSON hold as
 * written, so that "sets show" gives back the very number to redraw with.
 */
static int64_t parse_seed(const char *text)
{
	int64_t seed;
	if (number_parse(text, 0, INT64_MAX, &seed))
		usage_error("sample", "--seed: '%s' is not a whole number from 0 to %" PRId64, text,
		            INT64_MAX);
	return seed;
}

/* The added issues as JSON objects: repository, number, title. */
static json_t *added_json(struct store *s, const struct topup_plan *p)
{
	json_t *added = json_array();
	for (size_t i = 0; i < p->nadded; i++) {
		struct error err;
		sqlite3_stmt *st =
		        store_stmt(s,
		                   "SELECT " SET_MEMBER_COLUMNS " FROM issues i "
		                   "JOIN repositories r ON r.id = i.repo_id WHERE i.id = ?",
		                   &err);
		if (!st)
			break;
		sqlite3_bind_int64(st, 1, p->added[i]);
		if (sqlite3_step(st) == SQLITE_ROW) {
			struct set_member m;
			set_member_from_row(st, &m);
			json_array_append_new(
			        added, json_pack("{s:s, s:I, s:s?}", "repository", m.repo, "number",
			                         (json_int_t)m.number, "title", m.title));
			set_member_release(&m);
		}
		sqlite3_reset(st);
	}
	return added;
}

static void print_topup(struct store *s, const struct topup_plan *p, const char *format)
{
	if (!strcmp(format, "json")) {
		json_t *repos = json_array();
		for (size_t i = 0; i < p->nrepos; i++)
			json_array_append_new(repos,
			                      json_pack("{s:s?, s:I, s:I, s:I}", "repository",
			                                p->repos[i].repo, "held",
			                                (json_int_t)p->repos[i].held, "excluded",
			                                (json_int_t)p->repos[i].excluded, "added",
			                                (json_int_t)p->repos[i].added));
		cli_print_json(json_pack("{s:s, s:s, s:I, s:s, s:I, s:s, s:o, s:o}", "sample",
		                         p->sample, "from", p->from, "seed", (json_int_t)p->seed,
		                         "mode", sample_mode_name(p->mode), "size",
		                         (json_int_t)p->count, "rater", p->rater, "repositories",
		                         repos, "added", added_json(s, p)));
		return;
	}
	if (!strcmp(format, "csv")) {
		print_sample(s, p->added, p->nadded, format);
		return;
	}
	if (!p->nadded) {
		printf("sample '%s' holds %ld included issue%s%s: nothing to top up\n", p->sample,
		       p->count, p->count == 1 ? "" : "s",
		       p->mode == SAMPLE_PER_REPO ? " per repository" : "");
		return;
	}
	printf("topped up sample '%s': %zu issue%s in place of those %s excluded, from '%s' "
	       "(seed %llu)\n",
	       p->sample, p->nadded, p->nadded == 1 ? "" : "s", p->rater, p->from,
	       (unsigned long long)p->seed);
	for (size_t i = 0; i < p->nrepos && p->mode == SAMPLE_PER_REPO; i++)
		printf("  %s: %ld held, %ld excluded, %ld added\n", p->repos[i].repo,
		       p->repos[i].held, p->repos[i].excluded, p->repos[i].added);
	print_sample(s, p->added, p->nadded, format);
}

static int run_topup(const char *sample, const char *rater, const char *format)
{
	struct store *s;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	struct topup_plan p;
	struct error err;
	int rc = EXIT_SUCCESS;
	if (topup_plan(s, sample, rater, &p, &err) || (p.nadded && topup_save(s, &p, &err)))
		rc = cli_fail(&err);
	else
		print_topup(s, &p, format);
	topup_plan_release(&p);
	store_close(s);
	return rc;
}

int cmd_sample(int argc, const char **argv)
{
	const char *from = NULL, *save = NULL, *format = "table", *seed_text = NULL;
	const char *top_up = NULL, *rater = NULL;
	long n = 0, per_repo = 0, tranche = 0;
	struct option opts[] = {
	        {OPT_STRING, 0, "from", &from, "SET", "the set to draw from"},
	        {OPT_INT, 0, "n", &n, "N", "draw N issues in all"},
	        {OPT_INT, 0, "per-repo", &per_repo, "N", "draw N issues from each repository"},
	        {OPT_INT, 0, "tranche", &tranche, "N", "draw N issues of the sample --from"},
	        {OPT_STRING, 0, "seed", &seed_text, "S", "the seed (a whole number, 0 to 2^63-1)"},
	        {OPT_STRING, 0, "save", &save, "NAME", "save the sample as set NAME"},
	        {OPT_STRING, 0, "top-up", &top_up, "SAMPLE",
	         "replace SAMPLE's excluded issues from its seeded order"},
	        {OPT_STRING, 0, "rater", &rater, "NAME", "--top-up: whose exclusions count"},
	        {OPT_CHOICE, 0, "format", &format, "table|csv|json",
	         "output format (default table)"},
	        {OPT_END},
	};
	argc = parse_options("sample", argc, argv, opts, sample_usage);
	if (argc)
		usage_error("sample", "unexpected argument '%s'", argv[0]);
	if (top_up && (from || n || per_repo || tranche || seed_text || save))
		usage_error("sample", "--top-up takes the sample's own source, size and seed: give "
		                      "it alone (with --rater)");
	if (rater && !top_up)
		usage_error("sample", "--rater goes with --top-up");
	if (top_up)
		return run_topup(top_up, rater, format);
	if (!from)
		usage_error("sample", "no --from SET given");
	if ((n > 0) + (per_repo > 0) + (tranche > 0) != 1 || n < 0 || per_repo < 0 || tranche < 0)
		usage_error("sample", "give one positive size: --n N, --per-repo N or --tranche N");
	if (!seed_text)
		usage_error("sample", "no --seed S given (the seed makes the sample reproducible)");
	int64_t seed = parse_seed(seed_text);
	if (save && !set_name_valid(save))
		usage_error("sample", "--save: '%s' is not a valid set name", save);

	struct sample_request req = {from, SAMPLE_TOTAL, n, (uint64_t)seed};
	if (per_repo) {
		req.mode = SAMPLE_PER_REPO;
		req.count = per_repo;
	} else if (tranche) {
		req.mode = SAMPLE_TRANCHE;
		req.count = tranche;
	}
	struct store *s;
	if (cli_open_store(save ? STORE_READWRITE : STORE_READONLY, &s))
		return EXIT_FAILURE;
	struct error err;
	int64_t *ids;
	size_t count;
	int rc = EXIT_SUCCESS;
	if (sample_draw(s, &req, &ids, &count, &err)) {
		rc = cli_fail(&err);
	} else if (!save) {
		rc = print_sample(s, ids, count, format);
	} else if (sample_save(s, &req, save, ids, count, &err)) {
		rc = cli_fail(&err);
	} else if (!strcmp(format, "json")) {
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I}", "set", save, "from", from, "seed",
		                         (json_int_t)seed, "count", (json_int_t)count));
	} else {
		printf("saved sample '%s': %zu issue%s from '%s' (seed %" PRId64 ")\n", save, count,
		       count == 1 ? "" : "s", from, seed);
	}
	free(ids);
	store_close(s);
	return rc;
}
