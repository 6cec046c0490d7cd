/*
 * archive_int.h - what the files of the archive module share (see archive.h).
 *
 * archive_plan.c lists the commands that make an archive's results (the
 * plan), runs them, and writes them out as reproduce.sh; archive_readme.c
 * writes the README; archive.c puts it all together.
 */
#ifndef ISSUEMINE_ARCHIVE_INT_H
#define ISSUEMINE_ARCHIVE_INT_H

#include <stddef.h>

#include "archive.h"

/* One argument of a command: plain text, or a path under the results' root. */
struct archive_arg {
	char *text;
	int is_path;
};

/* One issuemine command of the plan, run as "issuemine --db DB ARGS...". */
struct archive_step {
	char *comment; /* a line saying what it makes, for reproduce.sh */
	struct archive_arg *args;
	size_t nargs, alloc;
	char *stdout_path; /* the file its output goes to (under the root); NULL: none */
};

struct archive_plan {
	struct archive_step *steps;
	size_t nsteps, alloc;
	char **dirs; /* the top-level directories of results: created first, compared last */
	size_t ndirs, alloc_dirs;
	char **taxonomies; /* the codebooks of the study, by name */
	size_t ntaxonomies;
	char **coders; /* raters with codes, notes or exclusions in the sample, by name */
	size_t ncoders;
};

/* A file name for name: letters, digits, '.', '_' and '-' kept, the rest as %XX. */
char *archive_file_name(const char *name);

/* The plan for o (resolved) over the slim database s. Release it afterwards. */
int archive_plan_make(struct store *s, const struct archive_options *o, struct archive_plan *p,
                      struct error *err);
void archive_plan_release(struct archive_plan *p);

/*
 * Runs every step with program on the database db, writing under root;
 * each command's standard error goes to a file in scratch, and the first
 * line of a failing one's is in err.
 */
int archive_plan_run(const struct archive_plan *p, const char *program, const char *db,
                     const char *root, const char *scratch, struct error *err);

/* The text of reproduce.sh for the plan (caller frees). */
char *archive_reproduce_script(const struct archive_plan *p, const struct archive_options *o);

/*
 * The text of README.md (caller frees): provenance read from the slim
 * database s, and the agreement and funnel from the results under root.
 */
int archive_readme(struct store *s, const struct archive_options *o, const struct archive_plan *p,
                   const struct archive_result *res, const char *root, char **out,
                   struct error *err);

#endif
