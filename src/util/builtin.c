/*
 * builtin.c - lookup of compiled-in data files (see builtin.h).
 */
#include "builtin.h"

#include <stdio.h>
#include <string.h>

/* If path is dir/NAME.ext, copies NAME to name (size bytes) and returns 1. */
static int split_path(const char *path, const char *dir, const char *ext, char *name, size_t size)
{
	size_t dlen = strlen(dir), elen = strlen(ext), plen = strlen(path);
	if (strncmp(path, dir, dlen) || path[dlen] != '/')
		return 0;
	const char *base = path + dlen + 1;
	size_t blen = plen - dlen - 1;
	if (strchr(base, '/') || blen <= elen + 1 || base[blen - elen - 1] != '.' ||
	    strcmp(base + blen - elen, ext))
		return 0;
	if (blen - elen - 1 >= size)
		return 0;
	memcpy(name, base, blen - elen - 1);
	name[blen - elen - 1] = '\0';
	return 1;
}

const struct builtin_file *builtin_find(const char *dir, const char *name, const char *ext)
{
	char base[256];
	for (const struct builtin_file *f = builtin_files; f->path; f++)
		if (split_path(f->path, dir, ext, base, sizeof(base)) && !strcmp(base, name))
			return f;
	return NULL;
}

int builtin_each(const char *dir, const char *ext,
                 int (*fn)(const char *name, const struct builtin_file *file, void *data),
                 void *data)
{
	char base[256];
	for (const struct builtin_file *f = builtin_files; f->path; f++) {
		if (!split_path(f->path, dir, ext, base, sizeof(base)))
			continue;
		int rc = fn(base, f, data);
		if (rc)
			return rc;
	}
	return 0;
}
