/*
 * taxonomy.c - "issuemine taxonomy load|list|show": the codebooks raters use.
 */
#include "cli.h"
#include "commands.h"
#include "taxonomy.h"

#include <jansson.h>
#include <string.h>

static const char *const taxonomy_usage[] = {
        "issuemine taxonomy load FILE",
        "issuemine taxonomy list [--format text|json]",
        "issuemine taxonomy show [NAME] [--format text|markdown|json]",
        NULL,
        "Load a taxonomy file (JSON; see taxonomy/onnx-converters.json), list the loaded",
        "taxonomies, or print one as a codebook (--format markdown: a document raters can",
        "print). Loading validates the whole file and names the JSON path of a problem.",
        "Reloading an edited file updates names and definitions and adds categories;",
        "removing a category that codes use is refused. A database without a taxonomy",
        "gets the built-in 'onnx-converters' on first use.",
        NULL,
};

/* Prints text wrapped at 78 columns, each line indented by indent spaces. */
static void print_wrapped(const char *text, int indent)
{
	int col = 0;
	const char *p = cli_text(text); /* a newline or an escape sequence, shown visibly */
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (col && col + 1 + (int)len > 78) {
			putchar('\n');
			col = 0;
		}
		if (!col)
			col = printf("%*s", indent, "");
		else
			col += printf(" ");
		col += printf("%.*s", (int)len, p);
		p += len;
	}
	if (col)
		putchar('\n');
}

static void print_aliases(const struct tax_category *c, int indent)
{
	if (!c->naliases)
		return;
	printf("%*salso: ", indent, "");
	for (size_t i = 0; i < c->naliases; i++)
		printf("%s%s", i ? ", " : "", cli_text(c->aliases[i]));
	printf("\n");
}

static void show_text_category(const struct tax_category *c, int indent)
{
	printf("%*s%s  [%s]\n", indent, "", cli_text(c->name), cli_text(c->key));
	print_aliases(c, indent + 4);
	print_wrapped(c->definition, indent + 4);
	for (size_t i = 0; i < c->nsubs; i++)
		show_text_category(&c->subs[i], indent + 4);
}

static void show_text(const struct taxonomy *t)
{
	printf("%s%s%s\n", cli_text(t->name), t->title ? ": " : "", cli_text(t->title));
	if (t->description)
		print_wrapped(t->description, 0);
	for (size_t i = 0; i < t->ndims; i++) {
		const struct tax_dimension *d = &t->dims[i];
		printf("\n%s  [%s]  (sub-categories: %s)\n", cli_text(d->name), cli_text(d->key),
		       tax_sub_rule_name(d->sub_rule));
		if (d->description)
			print_wrapped(d->description, 2);
		for (size_t j = 0; j < d->ncats; j++) {
			printf("\n");
			show_text_category(&d->cats[j], 2);
		}
	}
}

static void show_markdown_category(const struct tax_category *c, const char *heading)
{
	printf("\n%s %s (`%s`)\n\n%s\n", heading, cli_text(c->name), cli_text(c->key),
	       c->definition[0] ? cli_text_lines(c->definition) : "(no definition)");
	if (c->naliases) {
		printf("\nAlso called: ");
		for (size_t i = 0; i < c->naliases; i++)
			printf("%s%s", i ? ", " : "", cli_text(c->aliases[i]));
		printf(".\n");
	}
	for (size_t i = 0; i < c->nsubs; i++)
		show_markdown_category(&c->subs[i], "####");
}

static void show_markdown(const struct taxonomy *t)
{
	printf("# Codebook: %s\n", cli_text(t->title ? t->title : t->name));
	if (t->description)
		printf("\n%s\n", cli_text_lines(t->description));
	printf("\nTaxonomy `%s`.", cli_text(t->name));
	for (size_t i = 0; i < t->ndims; i++)
		printf("%s %s (`%s`)", i ? "," : " Dimensions:", cli_text(t->dims[i].name),
		       cli_text(t->dims[i].key));
	printf(".\n");
	for (size_t i = 0; i < t->ndims; i++) {
		const struct tax_dimension *d = &t->dims[i];
		printf("\n## %s (`%s`)\n", cli_text(d->name), cli_text(d->key));
		if (d->description)
			printf("\n%s\n", cli_text_lines(d->description));
		printf("\nSub-categories: %s.\n", tax_sub_rule_name(d->sub_rule));
		for (size_t j = 0; j < d->ncats; j++)
			show_markdown_category(&d->cats[j], "###");
	}
}

static json_t *category_json(const struct tax_category *c)
{
	json_t *aliases = json_array();
	for (size_t i = 0; i < c->naliases; i++)
		json_array_append_new(aliases, json_string(c->aliases[i]));
	json_t *obj = json_pack("{s:s, s:s, s:s, s:o}", "key", c->key, "name", c->name,
	                        "definition", c->definition, "aliases", aliases);
	if (c->nsubs) {
		json_t *subs = json_array();
		for (size_t i = 0; i < c->nsubs; i++)
			json_array_append_new(subs, category_json(&c->subs[i]));
		json_object_set_new(obj, "subcategories", subs);
	}
	return obj;
}

static json_t *taxonomy_json(const struct taxonomy *t)
{
	json_t *dims = json_array();
	for (size_t i = 0; i < t->ndims; i++) {
		const struct tax_dimension *d = &t->dims[i];
		json_t *cats = json_array();
		for (size_t j = 0; j < d->ncats; j++)
			json_array_append_new(cats, category_json(&d->cats[j]));
		json_array_append_new(
		        dims, json_pack("{s:s, s:s, s:s?, s:s, s:o}", "key", d->key, "name",
		                        d->name, "description", d->description, "subcategory",
		                        tax_sub_rule_name(d->sub_rule), "categories", cats));
	}
	return json_pack("{s:s, s:s?, s:s?, s:o}", "name", t->name, "title", t->title,
	                 "description", t->description, "dimensions", dims);
}

static int taxonomy_load(const char *path)
{
	struct taxonomy *t;
	struct store *s;
	struct error err;
	if (tax_load_file(path, &t, &err))
		return cli_fail(&err);
	if (cli_open_store(STORE_READWRITE, &s)) {
		tax_free(t);
		return EXIT_FAILURE;
	}
	int rc = store_begin(s, &err) || tax_store(s, t, &err) || store_commit(s, &err);
	if (rc)
		store_rollback(s);
	else
		printf("loaded taxonomy %s: %zu dimension%s\n", cli_text(t->name), t->ndims,
		       t->ndims == 1 ? "" : "s");
	tax_free(t);
	store_close(s);
	return rc ? cli_fail(&err) : EXIT_SUCCESS;
}

/* The loaded taxonomies as a JSON array (name, title, source, loaded_at, codes). */
static int read_list(struct store *s, json_t **out, struct error *err)
{
	sqlite3_stmt *st =
	        store_stmt(s,
	                   "SELECT t.name, coalesce(t.title, ''), t.source, t.loaded_at, "
	                   "(SELECT count(*) FROM codes c JOIN dimensions d ON d.id = "
	                   "c.dimension_id WHERE d.taxonomy_id = t.id) "
	                   "FROM taxonomies t ORDER BY t.name",
	                   err);
	if (!st)
		return -1;
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s, s:I}", "name",
		                                      sqlite3_column_text(st, 0), "title",
		                                      sqlite3_column_text(st, 1), "source",
		                                      sqlite3_column_text(st, 2), "loaded_at",
		                                      sqlite3_column_text(st, 3), "codes",
		                                      (json_int_t)sqlite3_column_int64(st, 4)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return store_error(s, err, "reading taxonomies");
	}
	*out = list;
	return 0;
}

static int taxonomy_list(const char *format)
{
	struct store *s;
	struct error err;
	json_t *list;
	if (cli_open_store(STORE_PREFER_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = (!s->readonly && tax_ensure_default(s, &err)) || read_list(s, &list, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "json")) {
		cli_print_json(list);
		return EXIT_SUCCESS;
	}
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
	{
		printf("%-20s %6lld codes  %s\n",
		       cli_text(json_string_value(json_object_get(t, "name"))),
		       (long long)json_integer_value(json_object_get(t, "codes")),
		       cli_text(json_string_value(json_object_get(t, "title"))));
	}
	json_decref(list);
	return EXIT_SUCCESS;
}

static int taxonomy_show(const char *name, const char *format)
{
	struct store *s;
	struct taxonomy *t;
	struct error err;
	if (cli_open_store(STORE_PREFER_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = tax_read(s, name, &t, &err);
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "markdown"))
		show_markdown(t);
	else if (!strcmp(format, "json"))
		cli_print_json(taxonomy_json(t));
	else
		show_text(t);
	tax_free(t);
	return EXIT_SUCCESS;
}

int cmd_taxonomy(int argc, const char **argv)
{
	const char *format = "text";
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "text|markdown|json",
	         "output format of list and show (default text)"},
	        {OPT_END},
	};
	argc = parse_options("taxonomy", argc, argv, opts, taxonomy_usage);
	if (argc == 0)
		usage_error("taxonomy", "say load, list or show");
	const char *sub = argv[0];
	if (!strcmp(sub, "load")) {
		if (argc != 2)
			usage_error("taxonomy", "load takes one FILE");
		return taxonomy_load(argv[1]);
	}
	if (!strcmp(sub, "list")) {
		if (argc != 1)
			usage_error("taxonomy", "list takes no arguments");
		if (!strcmp(format, "markdown"))
			usage_error("taxonomy", "list: --format is text or json");
		return taxonomy_list(format);
	}
	if (!strcmp(sub, "show")) {
		if (argc > 2)
			usage_error("taxonomy", "show takes at most one NAME");
		return taxonomy_show(argc == 2 ? argv[1] : NULL, format);
	}
	usage_error("taxonomy", "unknown subcommand '%s' (load, list or show)", sub);
}
