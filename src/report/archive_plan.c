/*
 * archive_plan.c - the commands that make an archive's results, run now
 * and written out as reproduce.sh (see archive_int.h).
 *
 * One list serves both, so the shipped files are exactly what reproducing
 * gives. The commands run as child processes of the real binary, each on
 * the scratch copy of the slim database, with a fixed locale and time zone.
 */
#include "archive_int.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The formats of every table, and their file name extensions (as report --output-dir names them).
 */
static const char *const formats[][2] = {
        {"text", "txt"}, {"csv", "csv"}, {"json", "json"}, {"markdown", "md"}, {"latex", "tex"},
};

char *archive_file_name(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		int keep = isalnum(*p) || *p == '_' || *p == '-' ||
		           (*p == '.' && p != (const unsigned char *)name);
		if (keep)
			strbuf_addch(&sb, *p);
		else
			strbuf_addf(&sb, "%%%02X", *p);
	}
	return strbuf_detach(&sb, NULL);
}

static void add_string(char ***list, size_t *n, size_t *alloc, const char *s)
{
	xgrow((void **)list, alloc, *n + 1, sizeof(char *));
	(*list)[(*n)++] = xstrdup(s);
}

static void free_strings(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void archive_plan_release(struct archive_plan *p)
{
	for (size_t i = 0; i < p->nsteps; i++) {
		struct archive_step *st = &p->steps[i];
		for (size_t a = 0; a < st->nargs; a++)
			free(st->args[a].text);
		free(st->args);
		free(st->comment);
		free(st->stdout_path);
	}
	free(p->steps);
	free_strings(p->dirs, p->ndirs);
	free_strings(p->taxonomies, p->ntaxonomies);
	free_strings(p->coders, p->ncoders);
	memset(p, 0, sizeof(*p));
}

/* --- building the plan --- */

static struct archive_step *new_step(struct archive_plan *p, const char *comment)
{
	xgrow((void **)&p->steps, &p->alloc, p->nsteps + 1, sizeof(*p->steps));
	struct archive_step *st = &p->steps[p->nsteps++];
	memset(st, 0, sizeof(*st));
	st->comment = xstrdup(comment);
	return st;
}

static void add_arg(struct archive_step *st, const char *text, int is_path)
{
	xgrow((void **)&st->args, &st->alloc, st->nargs + 1, sizeof(*st->args));
	st->args[st->nargs].text = xstrdup(text);
	st->args[st->nargs].is_path = is_path;
	st->nargs++;
}

/* Appends plain arguments, up to a NULL. */
static void add_args(struct archive_step *st, ...)
{
	va_list ap;
	va_start(ap, st);
	const char *a;
	while ((a = va_arg(ap, const char *)))
		add_arg(st, a, 0);
	va_end(ap);
}

static void add_path_arg(struct archive_step *st, const char *path)
{
	add_arg(st, path, 1);
}

/* A top-level directory of results (created first, compared last). */
static void add_dir(struct archive_plan *p, const char *dir)
{
	for (size_t i = 0; i < p->ndirs; i++)
		if (!strcmp(p->dirs[i], dir))
			return;
	add_string(&p->dirs, &p->ndirs, &p->alloc_dirs, dir);
}

/* The options every report and agreement command of the study takes. */
static void add_sample_args(struct archive_step *st, const struct archive_options *o)
{
	add_args(st, "--sample", o->sample, "--taxonomy", o->taxonomy, NULL);
}

static void plan_codebook(struct archive_plan *p)
{
	add_dir(p, "codebook");
	for (size_t i = 0; i < p->ntaxonomies; i++) {
		char *file = archive_file_name(p->taxonomies[i]);
		struct archive_step *st = new_step(p, "the codebook as raters read it");
		add_args(st, "taxonomy", "show", p->taxonomies[i], "--format", "markdown", NULL);
		st->stdout_path = xstrfmt("codebook/%s.md", file);
		st = new_step(p, "its versions");
		add_args(st, "taxonomy", "history", p->taxonomies[i], NULL);
		st->stdout_path = xstrfmt("codebook/%s-history.txt", file);
		free(file);
	}
}

/* The sample's draw, when it was drawn from a set with a seed: parent, mode, count, seed. */
struct draw {
	char *from, *mode, *seed, *count;
};

static int read_draw(struct store *s, const char *sample, struct draw *d, struct error *err)
{
	memset(d, 0, sizeof(*d));
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT p.name, s.draw_mode, s.seed, s.draw_count FROM sets "
	                              "s JOIN sets p ON p.id = s.parent_id WHERE s.name = ? AND "
	                              "s.seed IS NOT NULL AND s.draw_mode IS NOT NULL AND "
	                              "s.draw_count > 0",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, sample);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		d->from = store_column_dup(st, 0);
		d->mode = store_column_dup(st, 1);
		d->seed = store_column_dup(st, 2);
		d->count = store_column_dup(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int plan_sampling(struct store *s, struct archive_plan *p, const struct archive_options *o,
                         struct error *err)
{
	add_dir(p, "sampling");
	struct archive_step *st = new_step(p, "the study's sets: kind, size, origin, seed");
	add_args(st, "sets", "--format", "json", NULL);
	st->stdout_path = xstrdup("sampling/sets.json");
	char *file = archive_file_name(o->sample);
	st = new_step(p, "the sample: where every rater stands, and its members in order");
	add_args(st, "sets", "show", o->sample, "--format", "json", NULL);
	st->stdout_path = xstrfmt("sampling/%s.json", file);
	free(file);
	struct draw d;
	if (read_draw(s, o->sample, &d, err))
		return -1;
	if (d.from) {
		st = new_step(p, "the sample drawn again from its source with its seed (its first "
		                 "members, before any top-up)");
		const char *size = !strcmp(d.mode, "per-repo")  ? "--per-repo"
		                   : !strcmp(d.mode, "tranche") ? "--tranche"
		                                                : "--n";
		add_args(st, "sample", "--from", d.from, size, d.count, "--seed", d.seed,
		         "--format", "csv", NULL);
		st->stdout_path = xstrdup("sampling/draw.csv");
	}
	free(d.from);
	free(d.mode);
	free(d.seed);
	free(d.count);
	return 0;
}

static void add_spearman_args(struct archive_step *st, const struct archive_options *o)
{
	add_args(st, "--spearman", "--releases", o->releases, NULL);
	if (o->drop_first)
		add_args(st, "--drop-first", NULL);
	if (o->drop_last)
		add_args(st, "--drop-last", NULL);
	for (size_t i = 0; i < o->nmerges; i++)
		add_args(st, "--merge", o->merges[i], NULL);
}

static void plan_tables(struct archive_plan *p, const struct archive_options *o)
{
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char *dir = xstrfmt("tables/%s", formats[f][0]);
		char *funnel = xstrfmt("%s/funnel.%s", dir, formats[f][1]);
		char *comment = xstrfmt("every table as %s", formats[f][0]);
		add_dir(p, "tables");
		struct archive_step *st = new_step(p, comment);
		add_args(st, "report", NULL);
		add_sample_args(st, o);
		add_args(st, "--rater", o->rater, "--format", formats[f][0], "--output-dir", NULL);
		add_path_arg(st, dir);
		st = new_step(p, "the funnel of the study");
		add_args(st, "report", NULL);
		add_sample_args(st, o);
		add_args(st, "--rater", o->rater, "--table", "funnel", "--format", formats[f][0],
		         "--output", NULL);
		add_path_arg(st, funnel);
		if (o->releases) {
			st = new_step(p, "the release correlation");
			add_args(st, "report", NULL);
			add_sample_args(st, o);
			add_args(st, "--rater", o->rater, NULL);
			add_spearman_args(st, o);
			add_args(st, "--format", formats[f][0], "--output-dir", NULL);
			add_path_arg(st, dir);
		}
		free(comment);
		free(funnel);
		free(dir);
	}
}

static void plan_figures(struct archive_plan *p, const struct archive_options *o)
{
	add_dir(p, "figures");
	struct archive_step *st = new_step(p, o->releases ? "both figures: release sizes, and "
	                                                    "cumulative issues per quarter"
	                                                  : "cumulative issues per quarter");
	add_args(st, "report", NULL);
	add_sample_args(st, o);
	add_args(st, "--rater", o->rater, NULL);
	if (o->releases) {
		add_args(st, "--releases", o->releases, "--plot-releases", NULL);
		add_path_arg(st, "figures/releases.svg");
	}
	add_args(st, "--plot-cumulative", NULL);
	add_path_arg(st, "figures/cumulative.svg");
}

static void plan_agreement(struct archive_plan *p, const struct archive_options *o)
{
	if (!o->raters || !*o->raters)
		return;
	static const char *const agree_formats[][2] = {
	        {"text", "txt"}, {"json", "json"}, {"csv", "csv"}};
	add_dir(p, "agreement");
	for (size_t f = 0; f < 3; f++) {
		struct archive_step *st = new_step(p, "agreement between the raters");
		add_args(st, "agree", NULL);
		add_sample_args(st, o);
		add_args(st, "--raters", o->raters, "--format", agree_formats[f][0], NULL);
		st->stdout_path = xstrfmt("agreement/agree.%s", agree_formats[f][1]);
	}
}

static void plan_codes(struct archive_plan *p, const struct archive_options *o)
{
	add_dir(p, "codes");
	for (size_t i = 0; i < p->ncoders; i++) {
		char *file = archive_file_name(p->coders[i]);
		struct archive_step *st = new_step(p, "a rater's codes, notes and exclusions");
		add_args(st, "codes", "export", NULL);
		add_sample_args(st, o);
		add_args(st, "--rater", p->coders[i], NULL);
		st->stdout_path = xstrfmt("codes/%s.csv", file);
		free(file);
	}
}

/* The rows of a one-column query, with ?1 bound to text (when given). */
static int read_names(struct store *s, const char *sql, const char *text, char ***out, size_t *n,
                      struct error *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	if (text)
		store_bind_text(st, 1, text);
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_string(out, n, &alloc, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

int archive_plan_make(struct store *s, const struct archive_options *o, struct archive_plan *p,
                      struct error *err)
{
	memset(p, 0, sizeof(*p));
	int rc =
	        read_names(s, "SELECT name FROM taxonomies ORDER BY name", NULL, &p->taxonomies,
	                   &p->ntaxonomies, err) ||
	        read_names(s,
	                   "SELECT r.name FROM raters r WHERE r.id IN (SELECT rater_id FROM codes "
	                   "c JOIN sets s ON s.id = c.set_id WHERE s.name = ?1 UNION SELECT "
	                   "rater_id FROM notes n JOIN sets s ON s.id = n.set_id WHERE s.name = ?1 "
	                   "UNION SELECT rater_id FROM exclusions x JOIN sets s ON s.id = x.set_id "
	                   "WHERE s.name = ?1) ORDER BY r.name",
	                   o->sample, &p->coders, &p->ncoders, err);
	if (!rc) {
		plan_codebook(p);
		rc = plan_sampling(s, p, o, err);
	}
	if (!rc) {
		plan_tables(p, o);
		plan_figures(p, o);
		plan_agreement(p, o);
		plan_codes(p, o);
	} else {
		archive_plan_release(p);
	}
	return rc;
}

/* --- running it --- */

/* In the child: the fixed environment, the files, then the program. Never returns. */
static void exec_step(const char *program, char **argv, const char *out, const char *errlog)
{
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", "UTC", 1);
	unsetenv("ISSUEMINE_DB");
	int fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	int efd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || efd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(efd, STDERR_FILENO) < 0)
		_exit(126);
	close(fd);
	close(efd);
	execv(program, argv);
	dprintf(STDERR_FILENO, "issuemine: %s: %s\n", program, strerror(errno));
	_exit(127);
}

/* "report --sample study ..." for messages (caller frees). */
static char *step_line(const struct archive_step *st)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < st->nargs; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", st->args[i].text);
	return strbuf_detach(&sb, NULL);
}

/* The first line of what a failed step printed on standard error. */
static void failure(const struct archive_step *st, const char *errlog, const char *why,
                    struct error *err)
{
	struct strbuf log = STRBUF_INIT;
	struct error ignored;
	strbuf_read_file(&log, errlog, &ignored);
	char *nl = log.buf ? strchr(log.buf, '\n') : NULL;
	if (nl)
		*nl = '\0';
	const char *msg = log.len ? log.buf : why;
	if (!strncmp(msg, "issuemine: ", 11))
		msg += 11;
	char *line = step_line(st);
	error_set(err, "archive: '%s' failed: %s", line, msg);
	free(line);
	strbuf_release(&log);
}

static int run_step(const struct archive_step *st, const char *program, const char *db,
                    const char *root, const char *errlog, struct error *err)
{
	char **argv = xcalloc(st->nargs + 4, sizeof(char *));
	argv[0] = xstrdup(program);
	argv[1] = xstrdup("--db");
	argv[2] = xstrdup(db);
	for (size_t i = 0; i < st->nargs; i++)
		argv[3 + i] = st->args[i].is_path ? xstrfmt("%s/%s", root, st->args[i].text)
		                                  : xstrdup(st->args[i].text);
	char *out = st->stdout_path ? xstrfmt("%s/%s", root, st->stdout_path) : NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		exec_step(program, argv, out, errlog);
	int status = 0, rc = 0;
	if (pid < 0)
		rc = error_set(err, "fork: %s", strerror(errno));
	else if (waitpid(pid, &status, 0) < 0)
		rc = error_set(err, "waitpid: %s", strerror(errno));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char why[64];
		snprintf(why, sizeof(why),
		         WIFEXITED(status) ? "exit status %d" : "killed by signal %d",
		         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		failure(st, errlog, why, err);
		rc = -1;
	}
	for (size_t i = 0; i < st->nargs + 3; i++)
		free(argv[i]);
	free(argv);
	free(out);
	return rc;
}

int archive_plan_run(const struct archive_plan *p, const char *program, const char *db,
                     const char *root, const char *scratch, struct error *err)
{
	for (size_t i = 0; i < p->ndirs; i++) {
		char *dir = xstrfmt("%s/%s", root, p->dirs[i]);
		int rc = mkdir(dir, 0777) != 0 && errno != EEXIST
		                 ? error_set(err, "%s: %s", dir, strerror(errno))
		                 : 0;
		free(dir);
		if (rc)
			return -1;
	}
	char *errlog = xstrfmt("%s/step.err", scratch);
	int rc = 0;
	for (size_t i = 0; i < p->nsteps && !rc; i++)
		rc = run_step(&p->steps[i], program, db, root, errlog, err);
	unlink(errlog);
	free(errlog);
	return rc;
}

/* --- reproduce.sh --- */

/* text as one shell word: bare when it is safe, else in single quotes. */
static void add_shell_word(struct strbuf *sb, const char *text)
{
	int safe = *text != '\0';
	for (const char *c = text; *c && safe; c++)
		safe = isalnum((unsigned char)*c) || strchr("_-./=:,@%+", *c);
	if (safe) {
		strbuf_adds(sb, text);
		return;
	}
	strbuf_addch(sb, '\'');
	for (const char *c = text; *c; c++) {
		if (*c == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addch(sb, *c);
	}
	strbuf_addch(sb, '\'');
}

static void add_script_step(struct strbuf *sb, const struct archive_step *st, const char *last)
{
	if (!last || strcmp(last, st->comment))
		strbuf_addf(sb, "\n# %s\n", st->comment);
	strbuf_adds(sb, "im");
	for (size_t i = 0; i < st->nargs; i++) {
		strbuf_addch(sb, ' ');
		if (st->args[i].is_path) {
			strbuf_adds(sb, "\"$out/");
			strbuf_adds(sb,
			            st->args[i].text); /* our own names: safe in double quotes */
			strbuf_addch(sb, '"');
		} else {
			add_shell_word(sb, st->args[i].text);
		}
	}
	if (st->stdout_path)
		strbuf_addf(sb, " >\"$out/%s\"", st->stdout_path);
	strbuf_addch(sb, '\n');
}

static const char script_head[] =
        "#!/bin/sh\n"
        "# reproduce.sh - rebuilds every table, figure and listing of this archive from\n"
        "# issuemine.db with issuemine, and compares them with the shipped ones.\n"
        "#\n"
        "#   ./reproduce.sh                            the issuemine on PATH\n"
        "#   ISSUEMINE=/path/to/issuemine ./reproduce.sh\n"
        "#\n"
        "# The commands run on a copy of issuemine.db in a temporary directory, so the\n"
        "# archive is left as it is (and may be read-only); the first one opens the\n"
        "# copy for writing, which upgrades it when this issuemine is newer. Exit\n"
        "# status: 0 when every file is the same, 1 when some differ (the\n"
        "# differences are printed), 2 when issuemine is missing or a command fails.\n"
        "set -eu\n"
        "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
        "ISSUEMINE=${ISSUEMINE:-issuemine}\n"
        "if ! command -v \"$ISSUEMINE\" >/dev/null 2>&1; then\n"
        "\techo \"reproduce.sh: '$ISSUEMINE' not found: set ISSUEMINE=/path/to/issuemine\" >&2\n"
        "\texit 2\n"
        "fi\n"
        "# The results do not depend on the locale or the time zone of the machine.\n"
        "LC_ALL=C.UTF-8 TZ=UTC\n"
        "export LC_ALL TZ\n"
        "unset ISSUEMINE_DB\n"
        "work=$(mktemp -d \"${TMPDIR:-/tmp}/issuemine-reproduce.XXXXXX\")\n"
        "trap 'rm -rf \"$work\"' EXIT\n"
        "trap 'exit 2' HUP INT TERM\n"
        "cp \"$here/issuemine.db\" \"$work/issuemine.db\"\n"
        "out=$work/out\n"
        "im() {\n"
        "\t\"$ISSUEMINE\" --db \"$work/issuemine.db\" \"$@\" || {\n"
        "\t\techo \"reproduce.sh: failed: issuemine $*\" >&2\n"
        "\t\texit 2\n"
        "\t}\n"
        "}\n";

char *archive_reproduce_script(const struct archive_plan *p, const struct archive_options *o)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, script_head);
	strbuf_addf(&sb,
	            "echo \"reproduce.sh: $(\"$ISSUEMINE\" --version) on issuemine.db (archived "
	            "by issuemine %s)\"\n",
	            ISSUEMINE_VERSION);
	strbuf_adds(&sb, "mkdir \"$out\"");
	for (size_t i = 0; i < p->ndirs; i++)
		strbuf_addf(&sb, " \"$out/%s\"", p->dirs[i]);
	strbuf_adds(&sb, "\n");
	const char *last = NULL;
	for (size_t i = 0; i < p->nsteps; i++) {
		add_script_step(&sb, &p->steps[i], last);
		last = p->steps[i].comment;
	}
	strbuf_adds(&sb, "\n# Compare: every file, both ways.\nstatus=0\nfor d in");
	for (size_t i = 0; i < p->ndirs; i++)
		strbuf_addf(&sb, " %s", p->dirs[i]);
	strbuf_adds(&sb, "; do\n\tdiff -ru \"$here/$d\" \"$out/$d\" || status=1\ndone\n");
	strbuf_adds(&sb, "files=$(find \"$out\" -type f | wc -l | tr -d ' ')\n"
	                 "if [ \"$status\" = 0 ]; then\n"
	                 "\techo \"reproduce.sh: all $files files are the same\"\n"
	                 "else\n"
	                 "\techo \"reproduce.sh: the files above differ\" >&2\n"
	                 "fi\n"
	                 "exit \"$status\"\n");
	return strbuf_detach(&sb, NULL);
}
