/*
 * outdir.c - directories of output files written whole (see outdir.h).
 */
#include "outdir.h"

#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void clear(struct outdir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	free(d->path);
	free(d->tmp);
	memset(d, 0, sizeof(*d));
}

/* "dir/.name.XXXXXX" for a new directory dir/name, "path/.issuemine.XXXXXX" inside an old one. */
static char *temp_template(const char *path, int fresh)
{
	if (!fresh)
		return xstrfmt("%s/.issuemine.XXXXXX", path);
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *slash = NULL;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			slash = path + i;
	if (!slash)
		return xstrfmt(".%.*s.XXXXXX", (int)len, path);
	return xstrfmt("%.*s/.%.*s.XXXXXX", (int)(slash - path), path,
	               (int)(len - (size_t)(slash - path) - 1), slash + 1);
}

int outdir_open(struct outdir *d, const char *path, struct error *err)
{
	memset(d, 0, sizeof(*d));
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return error_set(err, "%s: not a directory", path);
	d->fresh = stat(path, &sb) != 0;
	d->tmp = temp_template(path, d->fresh);
	if (!mkdtemp(d->tmp)) {
		error_set(err, "%s: %s", path, strerror(errno));
		clear(d);
		return -1;
	}
	d->path = xstrdup(path);
	return 0;
}

FILE *outdir_create(struct outdir *d, const char *name, struct error *err)
{
	char *file = xstrfmt("%s/%s", d->tmp, name);
	FILE *f = fopen(file, "w");
	free(file);
	if (!f) {
		error_set(err, "%s/%s: %s", d->path, name, strerror(errno));
		return NULL;
	}
	xgrow((void **)&d->names, &d->alloc, d->n + 1, sizeof(char *));
	d->names[d->n++] = xstrdup(name);
	return f;
}

int outdir_close(struct outdir *d, FILE *f, const char *name, struct error *err)
{
	int failed = fflush(f) != 0 || ferror(f);
	int saved = errno;
	if (fclose(f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed)
		return error_set(err, "%s/%s: %s (nothing written)", d->path, name,
		                 strerror(saved ? saved : EIO));
	return 0;
}

/* The permissions a directory made with mkdir would have had. */
static void usual_mode(const char *dir)
{
	mode_t mask = umask(0);
	umask(mask);
	chmod(dir, 0777 & ~mask);
}

int outdir_commit(struct outdir *d, struct error *err)
{
	int rc = 0;
	if (d->fresh) {
		usual_mode(d->tmp);
		if (rename(d->tmp, d->path) != 0)
			rc = error_set(err, "%s: %s (nothing written)", d->path, strerror(errno));
	} else {
		for (size_t i = 0; i < d->n && !rc; i++) {
			char *from = xstrfmt("%s/%s", d->tmp, d->names[i]);
			char *to = xstrfmt("%s/%s", d->path, d->names[i]);
			if (rename(from, to) != 0)
				rc = error_set(err, "%s: %s (%zu of %zu files moved into place)",
				               to, strerror(errno), i, d->n);
			free(from);
			free(to);
		}
		if (!rc)
			rmdir(d->tmp);
	}
	if (rc) {
		outdir_abort(d);
		return -1;
	}
	clear(d);
	return 0;
}

void outdir_abort(struct outdir *d)
{
	if (d->tmp) {
		for (size_t i = 0; i < d->n; i++) {
			char *file = xstrfmt("%s/%s", d->tmp, d->names[i]);
			unlink(file);
			free(file);
		}
		rmdir(d->tmp);
	}
	clear(d);
}
