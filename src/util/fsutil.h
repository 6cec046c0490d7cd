/*
 * fsutil.h - files and directories: what writing a directory whole needs.
 *
 * Errors name the path and say what failed ("out/x: Permission denied").
 */
#ifndef ISSUEMINE_FSUTIL_H
#define ISSUEMINE_FSUTIL_H

#include <stddef.h>

#include "error.h"

/* Creates dir and any missing parents (mode 0777 less the umask); an existing dir is fine. */
int fs_mkdirs(const char *dir, struct error *err);

/* Removes path and, for a directory, everything under it (symbolic links are not followed). */
int fs_remove_tree(const char *path, struct error *err);

/* Copies the file src to dst (created or truncated), flushed to disk. */
int fs_copy_file(const char *src, const char *dst, struct error *err);

/* Sets *empty: path is a directory holding nothing (0 for a file or a full directory). */
int fs_dir_is_empty(const char *path, int *empty, struct error *err);

/* Writes text to path (created or truncated) with the given mode (less the umask). */
int fs_write_file(const char *path, const char *text, unsigned mode, struct error *err);

/* Sets *n to the number of regular files under dir (recursively). */
int fs_count_files(const char *dir, size_t *n, struct error *err);

/* 0777 less the process's umask: the mode mkdir would give a new directory. */
unsigned fs_dir_mode(void);

#endif
