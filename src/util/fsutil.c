/*
 * fsutil.c - files and directories (see fsutil.h).
 */
#include "fsutil.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

unsigned fs_dir_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0777u & ~(unsigned)mask;
}

int fs_mkdirs(const char *dir, struct error *err)
{
	char *path = xstrdup(dir);
	int rc = 0;
	for (char *p = path + 1; !rc; p++) {
		int end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = error_set(err, "%s: %s", path, strerror(errno));
		if (end)
			break;
		*p = '/';
	}
	struct stat sb;
	if (!rc && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		rc = error_set(err, "%s: not a directory", dir);
	free(path);
	return rc;
}

int fs_remove_tree(const char *path, struct error *err)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : error_set(err, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return error_set(err, "%s: %s", path, strerror(errno));
		struct dirent *e;
		int rc = 0;
		while (!rc && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *child = xstrfmt("%s/%s", path, e->d_name);
			rc = fs_remove_tree(child, err);
			free(child);
		}
		closedir(d);
		if (rc)
			return -1;
		if (rmdir(path) != 0)
			return error_set(err, "%s: %s", path, strerror(errno));
		return 0;
	}
	if (unlink(path) != 0)
		return error_set(err, "%s: %s", path, strerror(errno));
	return 0;
}

int fs_copy_file(const char *src, const char *dst, struct error *err)
{
	int in = open(src, O_RDONLY);
	if (in < 0)
		return error_set(err, "%s: %s", src, strerror(errno));
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (out < 0) {
		error_set(err, "%s: %s", dst, strerror(errno));
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while (!rc && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			rc = errno == EINTR ? 0 : error_set(err, "%s: %s", src, strerror(errno));
			continue;
		}
		for (ssize_t done = 0; done < n && !rc;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				rc = error_set(err, "%s: %s", dst, strerror(errno));
			done += w > 0 ? w : 0;
		}
	}
	if (!rc && fsync(out) != 0)
		rc = error_set(err, "%s: %s", dst, strerror(errno));
	if (close(out) != 0 && !rc)
		rc = error_set(err, "%s: %s", dst, strerror(errno));
	close(in);
	return rc;
}

int fs_dir_is_empty(const char *path, int *empty, struct error *err)
{
	*empty = 0;
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOTDIR ? 0 : error_set(err, "%s: %s", path, strerror(errno));
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	*empty = n == 0;
	return 0;
}

int fs_write_file(const char *path, const char *text, unsigned mode, struct error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, (mode_t)mode);
	if (fd < 0)
		return error_set(err, "%s: %s", path, strerror(errno));
	size_t len = strlen(text), done = 0;
	int rc = 0;
	while (done < len && !rc) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno != EINTR)
			rc = error_set(err, "%s: %s", path, strerror(errno));
		done += w > 0 ? (size_t)w : 0;
	}
	if (close(fd) != 0 && !rc)
		rc = error_set(err, "%s: %s", path, strerror(errno));
	return rc;
}

int fs_count_files(const char *dir, size_t *n, struct error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return error_set(err, "%s: %s", dir, strerror(errno));
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *child = xstrfmt("%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(child, &sb) != 0)
			rc = error_set(err, "%s: %s", child, strerror(errno));
		else if (S_ISDIR(sb.st_mode))
			rc = fs_count_files(child, n, err);
		else if (S_ISREG(sb.st_mode))
			(*n)++;
		free(child);
	}
	closedir(d);
	return rc;
}
