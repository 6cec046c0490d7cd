/*
 * archive.c - a study's replication package, put together (see archive.h):
 * the options resolved, the directory built in a temporary place beside
 * the destination, and renamed into place once complete.
 */
#include "archive_int.h"
#include "fsutil.h"
#include "report.h"
#include "settings.h"
#include "strbuf.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- resolving the options --- */

static const char *keep(char ***owned, size_t *n, char *s)
{
	*owned = xrealloc(*owned, (*n + 1) * sizeof(char *));
	(*owned)[(*n)++] = s;
	return s;
}

/* The raters with codes or exclusions in the sample other than rater, "a,b,c" (caller frees). */
static int other_raters(struct store *s, const char *sample, const char *rater, char **out,
                        size_t *n, struct error *err)
{
	sqlite3_stmt *st = store_stmt(s,
	                              "SELECT r.name FROM raters r WHERE r.name <> ?2 AND r.id IN "
	                              "(SELECT rater_id FROM codes c JOIN sets s ON s.id = "
	                              "c.set_id WHERE s.name = ?1 UNION SELECT rater_id FROM "
	                              "exclusions x JOIN sets s ON s.id = x.set_id WHERE s.name = "
	                              "?1) ORDER BY r.name",
	                              err);
	if (!st)
		return -1;
	store_bind_text(st, 1, sample);
	store_bind_text(st, 2, rater);
	struct strbuf sb = STRBUF_INIT;
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strbuf_addf(&sb, "%s%s", (*n)++ ? "," : "",
		            (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		strbuf_release(&sb);
		return store_error(s, err, NULL);
	}
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

/* --raters names two or more raters, each with codes or exclusions in the sample. */
static int check_raters(struct store *s, const struct archive_options *o, struct error *err)
{
	char *all;
	size_t n;
	if (other_raters(s, o->sample, "", &all, &n, err))
		return -1;
	size_t given = 0;
	int rc = 0;
	for (const char *p = o->raters; *p && !rc; given++) {
		size_t len = strcspn(p, ",");
		int found = 0;
		for (const char *q = all; *q && !found;) {
			size_t qlen = strcspn(q, ",");
			found = qlen == len && !strncmp(p, q, len);
			q += qlen + (q[qlen] == ',');
		}
		if (!found)
			rc = error_set(err,
			               "--raters: '%.*s' has no codes in sample '%s' (raters: %s)",
			               (int)len, p, o->sample, *all ? all : "none");
		p += len + (p[len] == ',');
	}
	if (!rc && given < 2)
		rc = error_set(err, "--raters: give two or more raters, e.g. --raters A,B");
	free(all);
	return rc;
}

/* A setting's value kept in *owned, or NULL when it is not set. */
static int setting(struct store *s, const char *key, const char **value, char ***owned,
                   size_t *nowned, struct error *err)
{
	char *v = NULL;
	if (settings_get(s, key, &v, err))
		return -1;
	*value = v ? keep(owned, nowned, v) : NULL;
	return 0;
}

int archive_resolve(struct store *s, struct archive_options *o, char ***owned, size_t *nowned,
                    struct error *err)
{
	*owned = NULL;
	*nowned = 0;
	if (!o->rater && setting(s, "report.rater", &o->rater, owned, nowned, err))
		return -1;
	if (!o->releases && setting(s, "report.releases", &o->releases, owned, nowned, err))
		return -1;
	/* report_load checks the sample and the rater as report does, and finds the taxonomy. */
	struct report_options ro = {o->sample, o->rater, o->taxonomy, NULL, NULL};
	struct report_data *d;
	if (report_load(s, &ro, &d, err))
		return -1;
	o->rater = keep(owned, nowned, xstrdup(d->rater));
	o->taxonomy = keep(owned, nowned, xstrdup(d->tax->name));
	report_data_free(d);
	if (o->releases) {
		struct release_series *rs;
		if (release_series_read(s, o->releases, &rs, err))
			return -1;
		release_series_free(rs);
	}
	if (o->raters)
		return check_raters(s, o, err);
	char *others;
	size_t n;
	if (other_raters(s, o->sample, o->rater, &others, &n, err))
		return -1;
	if (n == 1) {
		char *pair = xstrfmt("%s,%s", o->rater, others);
		free(others);
		others = pair;
	}
	o->raters = keep(owned, nowned, others);
	return 0;
}

/* --- the directory, whole or not at all --- */

/* Where dir's parent ends (its length in dir) and dir's own name starts, trailing '/' aside. */
static void split_dir(const char *dir, size_t *parent_len, const char **name, size_t *name_len)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	const char *slash = NULL;
	for (size_t i = 0; i < len; i++)
		if (dir[i] == '/')
			slash = dir + i;
	*parent_len = slash ? (size_t)(slash - dir) + (slash == dir) : 0;
	*name = slash ? slash + 1 : dir;
	*name_len = len - (size_t)(*name - dir);
}

static void host_name(char *host, size_t size)
{
	if (gethostname(host, size) != 0)
		snprintf(host, size, "localhost");
	host[size - 1] = '\0';
}

/*
 * "parent/.name.WHAT.PID.HOST-XXXXXX" beside dir (caller frees): the pid
 * and host let a later run tell a directory a killed run left from one a
 * live run is writing.
 */
static char *temp_beside(const char *dir, const char *what)
{
	size_t parent_len, name_len;
	const char *name;
	split_dir(dir, &parent_len, &name, &name_len);
	char host[256];
	host_name(host, sizeof(host));
	return xstrfmt("%.*s%s.%.*s.%s.%ld.%s-XXXXXX", (int)parent_len, dir,
	               parent_len ? (parent_len == 1 && dir[0] == '/' ? "" : "/") : "",
	               (int)name_len, name, what, (long)getpid(), host);
}

/* Whether entry, of the form temp_beside makes for what, belongs to a process gone from this host.
 */
static int left_by_dead_run(const char *entry, const char *name, size_t name_len, const char *what,
                            const char *host)
{
	size_t what_len = strlen(what);
	if (entry[0] != '.' || strncmp(entry + 1, name, name_len) || entry[1 + name_len] != '.' ||
	    strncmp(entry + 2 + name_len, what, what_len) || entry[2 + name_len + what_len] != '.')
		return 0;
	const char *p = entry + 3 + name_len + what_len;
	char *end;
	errno = 0;
	long pid = strtol(p, &end, 10);
	if (end == p || *end != '.' || errno || pid <= 0 || pid == (long)getpid())
		return 0;
	const char *dash = strrchr(end + 1, '-');
	size_t host_len = strlen(host);
	if (!dash || (size_t)(dash - (end + 1)) != host_len || strncmp(end + 1, host, host_len))
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/*
 * Clears what a run of archive killed on this host left beside dir: its
 * half-built directory goes; the previous archive it had moved aside goes
 * back to dir when dir is missing (the kill came between the two renames),
 * else goes too. Best effort: what cannot be cleared is left alone.
 */
static void sweep_dead_runs(const char *dir)
{
	size_t parent_len, name_len;
	const char *name;
	split_dir(dir, &parent_len, &name, &name_len);
	char *parent = parent_len ? xstrfmt("%.*s", (int)parent_len, dir) : xstrdup(".");
	char host[256];
	host_name(host, sizeof(host));
	DIR *d = opendir(parent);
	struct dirent *e;
	struct error ignored;
	while (d && (e = readdir(d))) {
		int tmp = left_by_dead_run(e->d_name, name, name_len, "archive", host);
		int old = !tmp && left_by_dead_run(e->d_name, name, name_len, "old", host);
		if (!tmp && !old)
			continue;
		char *path = xstrfmt("%s/%s", parent, e->d_name);
		struct stat sb;
		if (old && lstat(dir, &sb) != 0 && errno == ENOENT && rename(path, dir) == 0) {
			free(path);
			continue;
		}
		fs_remove_tree(path, &ignored);
		free(path);
	}
	if (d)
		closedir(d);
	free(parent);
}

/* Refuses a destination that is a file, or a directory with something in it (unless force). */
static int check_destination(const struct archive_options *o, struct error *err)
{
	struct stat sb;
	if (stat(o->dir, &sb) != 0)
		return errno == ENOENT ? 0 : error_set(err, "%s: %s", o->dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return error_set(err, "%s: not a directory", o->dir);
	int empty;
	if (fs_dir_is_empty(o->dir, &empty, err))
		return -1;
	if (!empty && !o->force)
		return error_set(err, "%s: not empty (--force replaces it)", o->dir);
	return 0;
}

/* Moves the finished tmp to dir; an old dir is moved aside first and removed last. */
static int commit(const char *tmp, const struct archive_options *o, struct error *err)
{
	int empty = 1;
	struct stat sb;
	if (stat(o->dir, &sb) == 0 && fs_dir_is_empty(o->dir, &empty, err))
		return -1;
	if (empty) {
		if (rename(tmp, o->dir) != 0)
			return error_set(err, "%s: %s", o->dir, strerror(errno));
		return 0;
	}
	char *old = temp_beside(o->dir, "old");
	int rc = 0;
	if (!mkdtemp(old)) {
		rc = error_set(err, "%s: %s", o->dir, strerror(errno));
	} else if (rename(o->dir, old) != 0) {
		rc = error_set(err, "%s: %s", o->dir, strerror(errno));
		rmdir(old);
	} else if (rename(tmp, o->dir) != 0) {
		rc = error_set(err, "%s: %s", o->dir, strerror(errno));
		rename(old, o->dir);
	} else {
		struct error ignored;
		fs_remove_tree(old, &ignored);
	}
	free(old);
	return rc;
}

/* --- writing it --- */

/* The built-in release series the study uses, to store in the archive (NULL: none). */
static int series_to_store(struct store *src, const struct archive_options *o,
                           struct release_series **out, struct error *err)
{
	*out = NULL;
	if (!o->releases)
		return 0;
	struct release_series *rs;
	if (release_series_read(src, o->releases, &rs, err))
		return -1;
	if (rs->source && !strcmp(rs->source, "builtin"))
		*out = rs;
	else
		release_series_free(rs);
	return 0;
}

/* The results: every step run on a scratch copy of the slim database. */
static int write_results(const char *tmp, const char *db, const struct archive_options *o,
                         const struct archive_plan *plan, struct error *err)
{
	char *scratch = xstrfmt("%s/.work", tmp);
	char *copy = xstrfmt("%s/issuemine.db", scratch);
	int rc = mkdir(scratch, 0700) != 0 ? error_set(err, "%s: %s", scratch, strerror(errno)) : 0;
	if (!rc)
		rc = fs_copy_file(db, copy, err);
	if (!rc)
		rc = archive_plan_run(plan, o->program, copy, tmp, scratch, err);
	struct error ignored;
	fs_remove_tree(scratch, rc ? &ignored : err);
	free(copy);
	free(scratch);
	return rc;
}

static int write_texts(struct store *slim, const char *tmp, const struct archive_options *o,
                       const struct archive_plan *plan, const struct archive_result *res,
                       struct error *err)
{
	char *readme = NULL;
	if (archive_readme(slim, o, plan, res, tmp, &readme, err))
		return -1;
	char *path = xstrfmt("%s/README.md", tmp);
	int rc = fs_write_file(path, readme, 0666, err);
	free(path);
	free(readme);
	if (rc)
		return -1;
	char *script = archive_reproduce_script(plan, o);
	path = xstrfmt("%s/reproduce.sh", tmp);
	rc = fs_write_file(path, script, 0777, err);
	free(path);
	free(script);
	return rc;
}

/* Everything inside the temporary directory tmp. */
static int build(struct store *src, const char *tmp, const struct archive_options *o,
                 struct archive_result *res, struct error *err)
{
	struct release_series *extra;
	if (series_to_store(src, o, &extra, err))
		return -1;
	char *db = xstrfmt("%s/issuemine.db", tmp);
	int rc = archive_db_write(src->path, db, o->sample, extra, res, err);
	release_series_free(extra);
	struct store *slim = NULL;
	if (!rc)
		rc = store_open(db, STORE_READONLY, &slim, err);
	struct archive_plan plan = {0};
	if (!rc)
		rc = archive_plan_make(slim, o, &plan, err);
	if (!rc)
		rc = write_results(tmp, db, o, &plan, err);
	if (!rc)
		rc = fs_count_files(tmp, &res->files, err);
	if (!rc)
		res->files--; /* the database itself */
	if (!rc)
		rc = write_texts(slim, tmp, o, &plan, res, err);
	archive_plan_release(&plan);
	store_close(slim);
	free(db);
	return rc;
}

int archive_write(struct store *src, const struct archive_options *o, struct archive_result *res,
                  struct error *err)
{
	memset(res, 0, sizeof(*res));
	sweep_dead_runs(o->dir);
	if (check_destination(o, err))
		return -1;
	char *tmp = temp_beside(o->dir, "archive");
	if (!mkdtemp(tmp)) {
		error_set(err, "%s: %s", o->dir, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkdtemp makes it private; the archive gets the mode of any new directory. */
	int rc = chmod(tmp, (mode_t)fs_dir_mode()) != 0
	                 ? error_set(err, "%s: %s", tmp, strerror(errno))
	                 : build(src, tmp, o, res, err);
	if (!rc)
		rc = commit(tmp, o, err);
	if (rc) {
		struct error ignored;
		fs_remove_tree(tmp, &ignored);
	}
	free(tmp);
	return rc;
}
