/*
 * names.c - listing the names users type (see names.h).
 */
#include "names.h"
#include "builtin.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct name_list {
	char **items;
	size_t n, alloc;
};

static void add(struct name_list *l, const char *name)
{
	xgrow((void **)&l->items, &l->alloc, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = xstrdup(name);
}

static int add_builtin(const char *name, const struct builtin_file *file, void *data)
{
	(void)file;
	add(data, name);
	return 0;
}

static int add_rows(struct store *s, const char *sql, struct name_list *l, struct error *err)
{
	if (!s || !sql)
		return 0;
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_text(st, 0))
			add(l, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, err, NULL);
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query of each kind (NULL: nothing stored) and where its shipped names are. */
static const struct {
	const char *sql;
	const char *dir, *ext; /* shipped files, or NULL */
} sources[] = {
        [NAMES_SETS] = {"SELECT name FROM sets", NULL, NULL},
        [NAMES_SAMPLES] = {"SELECT name FROM sets WHERE kind IN ('sample', 'manual')", NULL, NULL},
        [NAMES_RATERS] = {"SELECT name FROM raters", NULL, NULL},
        [NAMES_TAXONOMIES] = {"SELECT name FROM taxonomies", "taxonomy", "json"},
        [NAMES_RELEASES] = {"SELECT name FROM release_series", "queries", "csv"},
        [NAMES_QUERIES] = {"SELECT name FROM sets WHERE kind = 'filter'", "queries", "query"},
        [NAMES_SHIPPED_QUERIES] = {NULL, "queries", "query"},
        [NAMES_REPOSITORIES] = {"SELECT full_name FROM repositories", NULL, NULL},
        [NAMES_DIMENSIONS] = {"SELECT key FROM dimensions", NULL, NULL},
};

int names_list(struct store *s, enum names_kind kind, names_fn fn, void *data, struct error *err)
{
	struct name_list l = {NULL, 0, 0};
	int rc = add_rows(s, sources[kind].sql, &l, err);
	if (!rc && sources[kind].dir && sources[kind].ext)
		builtin_each(sources[kind].dir, sources[kind].ext, add_builtin, &l);
	if (!rc && l.n)
		qsort(l.items, l.n, sizeof(*l.items), compare);
	for (size_t i = 0; !rc && i < l.n; i++)
		if (i == 0 || strcmp(l.items[i], l.items[i - 1]))
			fn(l.items[i], data);
	for (size_t i = 0; i < l.n; i++)
		free(l.items[i]);
	free(l.items);
	return rc;
}
