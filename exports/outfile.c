/*
 * outfile.c - atomic output files: temporary file, then rename (see outfile.h).
 */
#include "outfile.h"
#include "xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void clear(struct outfile *o)
{
	free(o->path);
	free(o->tmp);
	o->f = NULL;
	o->path = o->tmp = NULL;
}

int outfile_open(struct outfile *o, const char *path, struct error *err)
{
	o->f = NULL;
	o->path = o->tmp = NULL;
	if (!path || !strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	const char *slash = strrchr(path, '/');
	o->tmp = slash ? xstrfmt("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
	               : xstrfmt(".%s.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		error_set(err, "%s: %s", path, strerror(errno));
		clear(o);
		return -1;
	}
	/* mkstemp makes the file private; a report should get the usual permissions. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		error_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		clear(o);
		return -1;
	}
	o->path = xstrdup(path);
	return 0;
}

int outfile_commit(struct outfile *o, struct error *err)
{
	if (!o->path) {
		int failed = fflush(stdout) != 0 || ferror(stdout);
		clear(o);
		return failed ? error_set(err, "standard output: %s", strerror(errno)) : 0;
	}
	int failed = fflush(o->f) != 0 || ferror(o->f);
	int saved = errno;
	if (fclose(o->f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (!failed && rename(o->tmp, o->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		unlink(o->tmp);
		error_set(err, "%s: %s (nothing written)", o->path, strerror(saved ? saved : EIO));
	}
	clear(o);
	return failed ? -1 : 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->path) {
		fclose(o->f);
		unlink(o->tmp);
	}
	clear(o);
}
