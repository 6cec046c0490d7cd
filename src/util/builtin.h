/*
 * builtin.h - data files compiled into the binary.
 *
 * CMake embeds the .json files of taxonomy/ and the .query and .csv files of
 * queries/ (see cmake/embed.cmake), so "--query onnx-converters" or the
 * "onnx-opsets" release series work from any directory.
 */
#ifndef ISSUEMINE_BUILTIN_H
#define ISSUEMINE_BUILTIN_H

#include <stddef.h>

struct builtin_file {
	const char *path; /* relative to the source tree: "queries/onnx-converters.query" */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* Every embedded file, ending with an entry whose path is NULL. */
extern const struct builtin_file builtin_files[];

/* The file at dir/name.ext ("queries", "onnx-converters", "query"), or NULL. */
const struct builtin_file *builtin_find(const char *dir, const char *name, const char *ext);

/*
 * Calls fn for each embedded file in dir with extension ext, passing the bare
 * name ("onnx-converters"); stops early when fn returns non-zero and returns that.
 */
int builtin_each(const char *dir, const char *ext,
                 int (*fn)(const char *name, const struct builtin_file *file, void *data),
                 void *data);

#endif
