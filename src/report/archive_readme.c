/*
 * archive_readme.c - the README of a replication package: what is in it,
 * how to reproduce it, and the study's provenance (see archive_int.h).
 *
 * Everything comes from the slim database or from the results already
 * written (agreement, funnel), never from the clock: the same database
 * gives the same README.
 */
#include "archive_int.h"
#include "sample.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* --- small helpers --- */

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* A Markdown table cell: '|' escaped, line breaks as spaces. */
static void add_cell(struct strbuf *sb, const char *text)
{
	strbuf_adds(sb, " ");
	for (const char *c = or_dash(text); *c; c++) {
		if (*c == '|')
			strbuf_adds(sb, "\\|");
		else if (*c == '\n' || *c == '\r')
			strbuf_addch(sb, ' ');
		else
			strbuf_addch(sb, *c);
	}
	strbuf_adds(sb, " |");
}

/* Text in a fenced code block that no line of it can close. */
static void add_block(struct strbuf *sb, const char *text)
{
	const char *fence = strstr(text, "```") ? "~~~~" : "```";
	strbuf_addf(sb, "%s\n%s", fence, text);
	if (!*text || text[strlen(text) - 1] != '\n')
		strbuf_addch(sb, '\n');
	strbuf_addf(sb, "%s\n", fence);
}

static void add_code(struct strbuf *sb, const char *text)
{
	strbuf_addf(sb, "`%s`", text);
}

/* Runs sql (?1 bound to text when given) and calls row for each result row. */
static int each_row(struct store *s, const char *sql, const char *text,
                    void (*row)(sqlite3_stmt *st, struct strbuf *sb), struct strbuf *sb,
                    struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	if (text)
		store_bind_text(st, 1, text);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(st, sb);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* --- the sections --- */

static void add_intro(struct strbuf *sb, const struct archive_options *o)
{
	strbuf_addf(sb, "# Replication package: sample `%s`\n\n", o->sample);
	strbuf_addf(sb,
	            "The failure analysis of sample `%s` as issuemine holds it: the data in\n"
	            "`issuemine.db`, and every table, figure and listing made from it by\n"
	            "issuemine %s (`issuemine archive`). Tables and figures show the codes of\n"
	            "rater `%s`. `reproduce.sh` makes every one of them again from the\n"
	            "database and compares.\n\n",
	            o->sample, ISSUEMINE_VERSION, o->rater);
	strbuf_addf(sb, "## Reproducing\n\n");
	add_block(sb, "ISSUEMINE=/path/to/issuemine ./reproduce.sh\n");
	strbuf_addf(sb,
	            "\nIt runs the commands it lists on a copy of `issuemine.db` (in a temporary\n"
	            "directory) and compares what they write with the files here: it prints\n"
	            "the differences and exits 1 when there are any, 0 when every file is the\n"
	            "same. The database answers any other question too, e.g.\n"
	            "`issuemine --db issuemine.db report --sample %s --rater %s` or\n"
	            "`issuemine --db issuemine.db sql 'SELECT ...'` (tables: docs/schema.md of\n"
	            "issuemine).\n\n",
	            o->sample, o->rater);
}

static const char *dir_purpose(const char *dir)
{
	static const char *const purposes[][2] = {
	        {"codebook", "the taxonomy as raters read it (Markdown), and its versions"},
	        {"sampling", "the study's sets (`sets --format json`), the sample with where "
	                     "every rater stands and its members in order, and the sample drawn "
	                     "again from its seed (`draw.csv`)"},
	        {"tables", "every table of `report` in every format, one directory per format "
	                   "(text, csv, json, markdown, latex), with the funnel and the release "
	                   "correlation"},
	        {"figures", "the figures (SVG): release sizes, cumulative issues per quarter"},
	        {"agreement", "`agree` between the raters: text, JSON (every value) and CSV"},
	        {"codes", "each rater's codes, notes and exclusions as `codes import` reads them"},
	};
	for (size_t i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++)
		if (!strcmp(purposes[i][0], dir))
			return purposes[i][1];
	return "";
}

static void add_contents(struct strbuf *sb, const struct archive_plan *p,
                         const struct archive_result *res)
{
	strbuf_adds(sb, "## Contents\n\n| path | what it holds |\n| --- | --- |\n");
	strbuf_addf(sb,
	            "| `issuemine.db` | the slim database: the sample's %ld issues with their "
	            "timelines (%ld events) and fix evidence (%ld changes); the %ld other issues "
	            "of the sets it was drawn from as outlines (no body, no timeline); the sets, "
	            "raters, codes, notes, exclusions and the whole change log (%ld rows); the "
	            "codebook with every version; release series; settings |\n",
	            res->issues, res->events, res->changes, res->outline, res->log_rows);
	for (size_t i = 0; i < p->ndirs; i++)
		strbuf_addf(sb, "| `%s/` | %s |\n", p->dirs[i], dir_purpose(p->dirs[i]));
	strbuf_adds(sb, "| `reproduce.sh` | rebuilds all of the above from the database and "
	                "compares |\n\n");
}

/* --- provenance: the data --- */

static void repo_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_adds(sb, "|");
	add_cell(sb, col(st, 0));
	add_cell(sb, col(st, 1));
	add_cell(sb, col(st, 2));
	add_cell(sb, col(st, 3));
	add_cell(sb, col(st, 4));
	strbuf_adds(sb, "\n");
}

static void query_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_addf(sb, "- %s: ", col(st, 0));
	add_code(sb, col(st, 1));
	strbuf_addf(sb, " from %s, last complete run started %s\n", col(st, 2),
	            or_dash(col(st, 3)));
}

static void api_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_addf(sb, "- %s: %s issues of the sample, %s timeline events\n", col(st, 0),
	            col(st, 1), col(st, 2));
}

static void fix_row(sqlite3_stmt *st, struct strbuf *sb)
{
	if (sqlite3_column_int64(st, 0) == 0) {
		strbuf_adds(sb, "No fix evidence was fetched for the sample (`fixes fetch`).\n\n");
		return;
	}
	strbuf_addf(sb,
	            "Fix evidence (`fixes fetch`) of %s of the sample's issues, resolved from %s "
	            "to %s: %s changes (%s of them fixes).\n\n",
	            col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4));
}

/* The members of the sample: "m.set_id = (the sample)". */
#define SAMPLE_MEMBERS                                                                             \
	"(SELECT m.issue_id FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = ?1)"

static int add_data(struct store *s, struct strbuf *sb, const struct archive_options *o,
                    struct error *err)
{
	strbuf_adds(sb, "## Provenance\n\n### Data\n\n"
	                "| repository | fetched | issues stored | timelines stored | last fetch |\n"
	                "| --- | --- | --- | --- | --- |\n");
	if (each_row(s,
	             "SELECT r.full_name, a.issues, (SELECT min(i.stored_at) || ' to ' || "
	             "max(i.stored_at) FROM issues i WHERE i.repo_id = r.id AND i.id "
	             "IN " SAMPLE_MEMBERS "), (SELECT min(t.stored_at) || ' to ' || "
	             "max(t.stored_at) FROM timeline_state t "
	             "JOIN issues i ON i.id = t.issue_id WHERE i.repo_id = r.id), r.last_fetch_at "
	             "FROM repositories r LEFT JOIN archive_repositories a ON a.repo_id = r.id "
	             "ORDER BY r.full_name COLLATE NOCASE",
	             o->sample, repo_row, sb, err))
		return -1;
	strbuf_adds(sb,
	            "\n(fetched: issues and pull requests the source database held; issues "
	            "stored: when the sample's issues were last written, as GitHub sent them)\n\n"
	            "The searches that fetched them:\n\n");
	size_t before = sb->len;
	if (each_row(s,
	             "SELECT r.full_name, q.query, q.api_url, q.last_complete_at FROM "
	             "fetch_queries q JOIN repositories r ON r.id = q.repo_id ORDER BY "
	             "r.full_name COLLATE NOCASE, q.query",
	             NULL, query_row, sb, err))
		return -1;
	if (sb->len == before)
		strbuf_adds(sb, "- none recorded: the issues were imported (`issuemine import`)\n");
	strbuf_adds(sb, "\nThe APIs they came from (the shape of the raw JSON kept):\n\n");
	if (each_row(s,
	             "SELECT i.api, count(*), (SELECT count(*) FROM events e WHERE e.api = i.api "
	             "AND "
	             "e.issue_id IN " SAMPLE_MEMBERS ") FROM issues i WHERE i.id IN " SAMPLE_MEMBERS
	             " GROUP BY i.api ORDER BY i.api",
	             o->sample, api_row, sb, err))
		return -1;
	strbuf_adds(sb, "\n");
	return each_row(
	        s,
	        "SELECT count(*), min(f.resolved_at), max(f.resolved_at), (SELECT "
	        "count(DISTINCT x.change_id) FROM fixes x WHERE x.issue_id IN " SAMPLE_MEMBERS
	        "), (SELECT count(DISTINCT x.change_id) FROM fixes x WHERE x.role = 'fix' "
	        "AND x.issue_id IN " SAMPLE_MEMBERS
	        ") FROM fix_state f WHERE f.issue_id IN " SAMPLE_MEMBERS,
	        o->sample, fix_row, sb, err);
}

/* --- provenance: the sets --- */

static void set_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_addf(sb, "- `%s`: %s", col(st, 0), col(st, 1));
	if (col(st, 2))
		strbuf_addf(sb, " of `%s`", col(st, 2));
	strbuf_addf(sb, ", %s issues, made %s", col(st, 3), col(st, 4));
	if (col(st, 5))
		strbuf_addf(sb, ", seed %s", col(st, 5));
	if (col(st, 6))
		strbuf_addf(sb, " (%s %s)", col(st, 6), col(st, 7));
	strbuf_adds(sb, ". Its origin:\n\n");
	struct strbuf indented = STRBUF_INIT;
	add_block(&indented, or_dash(col(st, 8)));
	strbuf_adds(sb, indented.buf);
	strbuf_adds(sb, "\n");
	strbuf_release(&indented);
}

/* Whether the sample's first members are what its seed draws from its source again. */
static int add_redraw(struct store *s, struct strbuf *sb, const struct archive_options *o,
                      struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT p.name, s.draw_mode, s.seed, s.draw_count, s.id FROM "
	                              "sets s JOIN sets p ON p.id = s.parent_id WHERE s.name = ? "
	                              "AND s.seed IS NOT NULL AND s.draw_count > 0",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, o->sample);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		strbuf_adds(
		        sb,
		        "The sample was not drawn with a seed: there is no draw to repeat.\n\n");
		return 0;
	}
	char *from = store_column_dup(st, 0);
	struct sample_request req = {from, SAMPLE_TOTAL, sqlite3_column_int64(st, 3),
	                             (uint64_t)sqlite3_column_int64(st, 2)};
	int bad_mode = sample_mode_parse(col(st, 1), &req.mode);
	int64_t set_id = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);
	int64_t *drawn = NULL, *members = NULL;
	size_t ndrawn = 0, nmembers = 0;
	struct error why;
	int same = !bad_mode && !sample_draw(s, &req, &drawn, &ndrawn, &why);
	int rc = 0;
	if (same) {
		sqlite3_stmt *m =
		        store_stmt(s,
		                   "SELECT issue_id FROM set_members WHERE set_id = ? ORDER "
		                   "BY position",
		                   err);
		rc = m ? 0 : -1;
		if (m) {
			sqlite3_bind_int64(m, 1, set_id);
			size_t alloc = 0;
			while (sqlite3_step(m) == SQLITE_ROW) {
				xgrow((void **)&members, &alloc, nmembers + 1, sizeof(int64_t));
				members[nmembers++] = sqlite3_column_int64(m, 0);
			}
			sqlite3_reset(m);
		}
		same = ndrawn <= nmembers &&
		       (!ndrawn || !memcmp(drawn, members, ndrawn * sizeof(int64_t)));
	}
	if (same)
		strbuf_addf(
		        sb,
		        "Drawn again from `%s` with its seed (`sampling/draw.csv`), the sample is "
		        "the same %zu issues in the same order%s.\n\n",
		        from, ndrawn,
		        nmembers > ndrawn ? ", followed by the issues top-ups added" : "");
	else
		strbuf_addf(
		        sb,
		        "Drawn again from `%s` with its seed, the sample is NOT the same as its "
		        "members: they were changed after the draw.\n\n",
		        from);
	free(drawn);
	free(members);
	free(from);
	return rc;
}

static int add_sets(struct store *s, struct strbuf *sb, const struct archive_options *o,
                    struct error *err)
{
	strbuf_adds(sb,
	            "### Sets\n\nThe sample and the sets it was drawn from, outermost first:\n\n");
	if (each_row(s,
	             "WITH RECURSIVE lineage(id, depth) AS (SELECT id, 0 FROM sets WHERE name = ?1 "
	             "UNION SELECT s.parent_id, l.depth + 1 FROM sets s JOIN lineage l ON s.id = "
	             "l.id WHERE s.parent_id IS NOT NULL AND l.depth < 64) SELECT s.name, s.kind, "
	             "p.name, (SELECT count(*) FROM set_members m WHERE m.set_id = s.id), "
	             "s.created_at, s.seed, s.draw_mode, s.draw_count, s.origin FROM lineage l "
	             "JOIN sets s ON s.id = l.id LEFT JOIN sets p ON p.id = s.parent_id ORDER BY "
	             "l.depth DESC",
	             o->sample, set_row, sb, err))
		return -1;
	return add_redraw(s, sb, o, err);
}

/* --- provenance: codebook, raters, agreement, funnel, settings --- */

static void version_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_adds(sb, "|");
	for (int i = 0; i < 6; i++)
		add_cell(sb, col(st, i));
	strbuf_adds(sb, "\n");
}

static void rater_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_adds(sb, "|");
	for (int i = 0; i < 8; i++)
		add_cell(sb, col(st, i));
	strbuf_adds(sb, "\n");
}

static int add_codebook_and_raters(struct store *s, struct strbuf *sb,
                                   const struct archive_options *o, struct error *err)
{
	strbuf_adds(sb, "### Codebook\n\n| taxonomy | version | SHA-256 | loaded | source | codes "
	                "made under it |\n| --- | --- | --- | --- | --- | --- |\n");
	if (each_row(s,
	             "SELECT t.name, v.version, v.hash, v.loaded_at, v.source, (SELECT count(*) "
	             "FROM codes c JOIN sets s ON s.id = c.set_id WHERE s.name = ?1 AND "
	             "c.version_id = v.id) FROM taxonomy_versions v JOIN taxonomies t ON t.id = "
	             "v.taxonomy_id ORDER BY t.name, v.version",
	             o->sample, version_row, sb, err))
		return -1;
	strbuf_adds(sb, "\n### Raters\n\n| rater | codes | notes | exclusions | changes logged | "
	                "first change | last change | made with |\n| --- | --- | --- | --- | --- | "
	                "--- | --- | --- |\n");
	if (each_row(
	            s,
	            "SELECT r.name, (SELECT count(*) FROM codes c WHERE c.rater_id = r.id AND "
	            "c.set_id = s.id), (SELECT count(*) FROM notes n WHERE n.rater_id = r.id AND "
	            "n.set_id = s.id), (SELECT count(*) FROM exclusions x WHERE x.rater_id = r.id "
	            "AND x.set_id = s.id), (SELECT count(*) FROM code_log l WHERE l.rater_id = "
	            "r.id AND l.set_id = s.id), (SELECT min(at) FROM code_log l WHERE l.rater_id = "
	            "r.id AND l.set_id = s.id), (SELECT max(at) FROM code_log l WHERE l.rater_id = "
	            "r.id AND l.set_id = s.id), (SELECT group_concat(origin, ', ') FROM (SELECT "
	            "DISTINCT origin FROM code_log l WHERE l.rater_id = r.id AND l.set_id = s.id "
	            "ORDER BY origin)) FROM raters r, sets s WHERE s.name = ?1 AND r.id IN (SELECT "
	            "rater_id FROM code_log WHERE set_id = s.id UNION SELECT rater_id FROM codes "
	            "WHERE set_id = s.id) ORDER BY r.name",
	            o->sample, rater_row, sb, err))
		return -1;
	strbuf_adds(sb, "\n");
	return 0;
}

/* A result file shown in a code block (or as is), or a line saying it is missing. */
static void add_result_file(struct strbuf *sb, const char *root, const char *path, int as_block)
{
	char *full = xstrfmt("%s/%s", root, path);
	struct strbuf text = STRBUF_INIT;
	struct error ignored;
	if (strbuf_read_file(&text, full, &ignored) == 0) {
		if (as_block)
			add_block(sb, text.buf ? text.buf : "");
		else
			strbuf_adds(sb, text.buf ? text.buf : "");
	}
	strbuf_release(&text);
	free(full);
}

static void add_results(struct strbuf *sb, const struct archive_options *o, const char *root)
{
	strbuf_adds(sb, "### Agreement\n\n");
	if (o->raters && *o->raters) {
		strbuf_addf(sb, "`issuemine agree --sample %s --raters %s` (`agreement/`):\n\n",
		            o->sample, o->raters);
		add_result_file(sb, root, "agreement/agree.txt", 1);
	} else {
		strbuf_adds(sb, "Not measured: fewer than two raters coded the sample.\n");
	}
	strbuf_adds(sb, "\n### Funnel\n\n");
	add_result_file(sb, root, "tables/markdown/funnel.md", 0);
	strbuf_adds(sb, "\n### Tables\n\n");
	strbuf_addf(sb, "From the codes of `%s`", o->rater);
	if (o->releases) {
		strbuf_addf(sb, "; the release correlation against series `%s`", o->releases);
		if (o->drop_first || o->drop_last)
			strbuf_addf(sb, " (dropping the %s bin%s)",
			            o->drop_first && o->drop_last ? "first and last"
			            : o->drop_first               ? "first"
			                                          : "last",
			            o->drop_first && o->drop_last ? "s" : "");
		for (size_t i = 0; i < o->nmerges; i++)
			strbuf_addf(sb, "%s%s", i ? ", " : ", merging ", o->merges[i]);
	} else {
		strbuf_adds(sb, "; no release series was given: no release correlation, no release "
		                "figure");
	}
	strbuf_adds(sb, ". The study settings below shape them as they shaped the paper's.\n\n");
}

static void setting_row(sqlite3_stmt *st, struct strbuf *sb)
{
	strbuf_addf(sb, "%s = %s\n", col(st, 0), col(st, 1));
}

static int add_settings(struct store *s, struct strbuf *sb, struct error *err)
{
	strbuf_adds(sb, "### Settings\n\n");
	struct strbuf rows = STRBUF_INIT;
	int rc = each_row(s, "SELECT key, value FROM settings ORDER BY key", NULL, setting_row,
	                  &rows, err);
	if (!rc) {
		if (rows.len)
			add_block(sb, rows.buf);
		else
			strbuf_adds(sb, "None (`issuemine config`).\n");
	}
	strbuf_release(&rows);
	return rc;
}

int archive_readme(struct store *s, const struct archive_options *o, const struct archive_plan *p,
                   const struct archive_result *res, const char *root, char **out,
                   struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	add_intro(&sb, o);
	add_contents(&sb, p, res);
	int rc = add_data(s, &sb, o, err) || add_sets(s, &sb, o, err) ||
	         add_codebook_and_raters(s, &sb, o, err);
	if (!rc) {
		add_results(&sb, o, root);
		rc = add_settings(s, &sb, err);
	}
	if (rc) {
		strbuf_release(&sb);
		return -1;
	}
	*out = strbuf_detach(&sb, NULL);
	return 0;
}
