/*
 * taxonomy.c - "issuemine taxonomy load|list|show|history|diff": the
 * codebooks raters use, and their versions.
 */
#include "cli.h"
#include "commands.h"
#include "strbuf.h"
#include "tax_rules.h"
#include "tax_version.h"
#include "taxonomy.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const taxonomy_usage[] = {
        "issuemine taxonomy load FILE [--format text|json]",
        "issuemine taxonomy list [--format text|json]",
        "issuemine taxonomy show [NAME] [--version V] [--format text|markdown|json]",
        "issuemine taxonomy history NAME [--format text|json]",
        "issuemine taxonomy diff NAME V1 V2 [--format text|json]",
        NULL,
        "Load a taxonomy file (JSON; see taxonomy/onnx-converters.json), list the loaded",
        "taxonomies, or print one as a codebook (--format markdown: a document raters can",
        "print). Loading validates the whole file and names the JSON path of a problem.",
        "Reloading an edited file updates names and definitions and adds categories;",
        "removing a category that codes use (or an exclusion reason that exclusions",
        "use) is refused and changes nothing. Every load that changes a taxonomy records",
        "a version: its number, the SHA-256 of its content, and what changed (history);",
        "diff compares any two versions; show --version prints an old one. Every code",
        "records the version in force when it was made. A database without a taxonomy",
        "gets the built-in 'onnx-converters' on first use. A taxonomy's \"rules\" map",
        "globs of a fix's changed paths to a category (the labeling UI suggests it);",
        "they are checked on load and are part of the content: changing them is a new",
        "version.",
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

/* "Location = Node Conversion" (or "Cause = Incompatibility/External") of a rule. */
static void rule_target(const struct tax_rule *r, char *buf, size_t size)
{
	struct tax_code code = {r->dim, r->cat, r->sub};
	char label[512];
	tax_code_label(&code, label, sizeof(label));
	snprintf(buf, size, "%s = %s", cli_text(r->dim->name), cli_text(label));
}

static void show_text_rules(const struct taxonomy *t)
{
	if (!t->nrules)
		return;
	printf("\nSuggestion rules (a fix's changed files suggest a category: for each file the "
	       "first\nrule with a matching glob decides; the category with most files wins)\n");
	for (size_t i = 0; i < t->nrules; i++) {
		const struct tax_rule *r = &t->rules[i];
		char target[600];
		struct strbuf paths = STRBUF_INIT;
		rule_target(r, target, sizeof(target));
		tax_rule_paths_text(r, &paths);
		printf("\n  %s%s\n", target,
		       r->all ? "  (only when every changed file matches)" : "");
		print_wrapped(paths.buf, 6);
		if (r->source) {
			char *from = xstrfmt("from: %s", r->source);
			print_wrapped(from, 6);
			free(from);
		}
		strbuf_release(&paths);
	}
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
	printf("\nExclusion reasons (an issue that is not to be coded)\n");
	for (size_t i = 0; i < t->nreasons; i++) {
		printf("\n  %s  [%s]\n", t->reasons[i].name, t->reasons[i].key);
		print_wrapped(t->reasons[i].definition, 6);
	}
	show_text_rules(t);
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
	printf("\n## Exclusion reasons\n\nAn issue that is not to be coded is excluded with one "
	       "of these reasons.\n");
	for (size_t i = 0; i < t->nreasons; i++)
		printf("\n### %s (`%s`)\n\n%s\n", t->reasons[i].name, t->reasons[i].key,
		       t->reasons[i].definition[0] ? t->reasons[i].definition : "(no definition)");
	if (!t->nrules)
		return;
	printf("\n## Suggestion rules\n\nThe files a fix changed suggest a category: for each "
	       "file the first rule with a\nmatching glob decides, and the category with the most "
	       "files is suggested.\n\n");
	for (size_t i = 0; i < t->nrules; i++) {
		const struct tax_rule *r = &t->rules[i];
		char target[600];
		rule_target(r, target, sizeof(target));
		printf("- **%s**%s:", target,
		       r->all ? " (only when every changed file matches)" : "");
		for (size_t j = 0; j < r->npaths; j++)
			printf("%s `%s`", j ? "," : "", cli_text(r->paths[j]));
		printf(r->source ? ". Source: %s\n" : "\n", cli_text(r->source));
	}
}

static void print_load(const struct taxonomy *t, int changed, const char *format)
{
	if (!strcmp(format, "json")) {
		cli_print_json(json_pack("{s:s, s:i, s:s, s:b, s:I}", "taxonomy", t->name,
		                         "version", t->version, "hash", t->hash, "changed", changed,
		                         "dimensions", (json_int_t)t->ndims));
		return;
	}
	printf("loaded taxonomy %s: %zu dimension%s, version %d%s\n", cli_text(t->name), t->ndims,
	       t->ndims == 1 ? "" : "s", t->version, changed ? "" : " (unchanged: no new version)");
}

static int taxonomy_load(const char *path, const char *format)
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
	int changed = 0;
	int rc = store_begin(s, &err) || tax_store(s, t, &changed, &err) || store_commit(s, &err);
	if (rc)
		store_rollback(s);
	else
		print_load(t, changed, format);
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
	                   "c.dimension_id WHERE d.taxonomy_id = t.id), "
	                   "(SELECT max(version) FROM taxonomy_versions v WHERE v.taxonomy_id = "
	                   "t.id) FROM taxonomies t ORDER BY t.name",
	                   err);
	if (!st)
		return -1;
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list,
		                      json_pack("{s:s, s:s, s:s?, s:s, s:I, s:I}", "name",
		                                sqlite3_column_text(st, 0), "title",
		                                sqlite3_column_text(st, 1), "source",
		                                sqlite3_column_text(st, 2), "loaded_at",
		                                sqlite3_column_text(st, 3), "codes",
		                                (json_int_t)sqlite3_column_int64(st, 4), "version",
		                                (json_int_t)sqlite3_column_int64(st, 5)));
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
		printf("%-20s v%-3lld %6lld codes  %s\n",
		       cli_text(json_string_value(json_object_get(t, "name"))),
		       (long long)json_integer_value(json_object_get(t, "version")),
		       (long long)json_integer_value(json_object_get(t, "codes")),
		       cli_text(json_string_value(json_object_get(t, "title"))));
	}
	json_decref(list);
	return EXIT_SUCCESS;
}

/* A version number as given on the command line: a whole number from 1. */
static int parse_version(const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (!isdigit((unsigned char)text[0]) || *end || v < 1 || v > 1000000)
		usage_error("taxonomy", "'%s' is not a version number (1, 2, ...)", text);
	return (int)v;
}

static int taxonomy_show(const char *name, const char *version, const char *format)
{
	struct store *s;
	struct taxonomy *t;
	struct error err;
	if (version && !name)
		usage_error("taxonomy", "show --version needs the taxonomy's NAME");
	if (cli_open_store(STORE_PREFER_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = tax_read(s, name, &t, &err);
	if (!rc && version) {
		tax_free(t);
		rc = tax_version_read(s, name, parse_version(version), &t, &err);
	}
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "markdown"))
		show_markdown(t);
	else if (!strcmp(format, "json"))
		cli_print_json(tax_to_json(t));
	else
		show_text(t);
	tax_free(t);
	return EXIT_SUCCESS;
}

static json_t *history_json(const char *name, const struct tax_version *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		        arr,
		        json_pack("{s:i, s:s, s:s?, s:s, s:I, s:I, s:O}", "version", v[i].version,
		                  "hash", v[i].hash, "source", v[i].source, "loaded_at",
		                  v[i].loaded_at, "codes", (json_int_t)v[i].codes, "exclusions",
		                  (json_int_t)v[i].exclusions, "changes", v[i].changes));
	return json_pack("{s:s, s:o}", "taxonomy", name, "versions", arr);
}

static void print_changes(const json_t *changes, const char *indent)
{
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c)
	{
		struct strbuf sb = STRBUF_INIT;
		tax_change_describe(c, &sb);
		printf("%s%s\n", indent, cli_text(sb.buf)); /* names and globs come from files */
		strbuf_release(&sb);
	}
}

static void print_history(const char *name, const struct tax_version *v, size_t n)
{
	printf("taxonomy %s: %zu version%s\n", name, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		printf("\nversion %d  %.12s  %s  %s\n", v[i].version, v[i].hash, v[i].loaded_at,
		       v[i].source ? v[i].source : "");
		printf("    %ld code%s and %ld exclusion%s made under it\n", v[i].codes,
		       v[i].codes == 1 ? "" : "s", v[i].exclusions,
		       v[i].exclusions == 1 ? "" : "s");
		if (i == 0)
			printf("    first version\n");
		else if (!json_array_size(v[i].changes))
			printf("    (no change of content)\n");
		print_changes(v[i].changes, "    ");
	}
}

static int taxonomy_history(const char *name, const char *format)
{
	struct store *s;
	struct taxonomy *t;
	struct tax_version *v;
	size_t n;
	struct error err;
	if (cli_open_store(STORE_PREFER_READWRITE, &s))
		return EXIT_FAILURE;
	/*
	 * Reading it first records version 1 of a taxonomy stored before versions
	 * were kept (when the database may be written; read-only, as show does).
	 */
	int rc = tax_read(s, name, &t, &err);
	if (!rc) {
		tax_free(t);
		rc = tax_versions(s, name, &v, &n, &err);
	}
	store_close(s);
	if (rc)
		return cli_fail(&err);
	if (!strcmp(format, "json"))
		cli_print_json(history_json(name, v, n));
	else
		print_history(name, v, n);
	tax_versions_free(v, n);
	return EXIT_SUCCESS;
}

static int taxonomy_diff(const char *name, int v1, int v2, const char *format)
{
	struct store *s;
	struct taxonomy *t, *a = NULL, *b = NULL;
	struct error err;
	if (cli_open_store(STORE_PREFER_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = tax_read(s, name, &t, &err);
	if (!rc) {
		tax_free(t);
		rc = tax_version_read(s, name, v1, &a, &err) ||
		     tax_version_read(s, name, v2, &b, &err);
	}
	store_close(s);
	if (rc) {
		tax_free(a);
		return cli_fail(&err);
	}
	json_t *changes = tax_diff(a, b);
	if (!strcmp(format, "json")) {
		cli_print_json(json_pack("{s:s, s:i, s:i, s:o}", "taxonomy", name, "from", v1, "to",
		                         v2, "changes", changes));
	} else {
		printf("taxonomy %s, version %d \u2192 %d: %zu change%s\n", name, v1, v2,
		       json_array_size(changes), json_array_size(changes) == 1 ? "" : "s");
		print_changes(changes, "  ");
		json_decref(changes);
	}
	tax_free(a);
	tax_free(b);
	return EXIT_SUCCESS;
}

int cmd_taxonomy(int argc, const char **argv)
{
	const char *format = "text", *version = NULL;
	struct option opts[] = {
	        {OPT_CHOICE, 0, "format", &format, "text|markdown|json",
	         "output format (default text; markdown for show)"},
	        {OPT_STRING, 0, "version", &version, "V", "show: that version of the taxonomy"},
	        {OPT_END},
	};
	argc = parse_options("taxonomy", argc, argv, opts, taxonomy_usage);
	if (argc == 0)
		usage_error("taxonomy", "say load, list, show, history or diff");
	const char *sub = argv[0];
	if (version && strcmp(sub, "show"))
		usage_error("taxonomy", "--version goes with show");
	if (strcmp(sub, "show") && !strcmp(format, "markdown"))
		usage_error("taxonomy", "%s: --format is text or json", sub);
	if (!strcmp(sub, "load")) {
		if (argc != 2)
			usage_error("taxonomy", "load takes one FILE");
		return taxonomy_load(argv[1], format);
	}
	if (!strcmp(sub, "history")) {
		if (argc != 2)
			usage_error("taxonomy", "history takes one NAME");
		return taxonomy_history(argv[1], format);
	}
	if (!strcmp(sub, "diff")) {
		if (argc != 4)
			usage_error("taxonomy", "diff takes NAME V1 V2");
		return taxonomy_diff(argv[1], parse_version(argv[2]), parse_version(argv[3]),
		                     format);
	}
	if (!strcmp(sub, "list")) {
		if (argc != 1)
			usage_error("taxonomy", "list takes no arguments");
		return taxonomy_list(format);
	}
	if (!strcmp(sub, "show")) {
		if (argc > 2)
			usage_error("taxonomy", "show takes at most one NAME");
		return taxonomy_show(argc == 2 ? argv[1] : NULL, version, format);
	}
	usage_error("taxonomy", "unknown subcommand '%s' (load, list, show, history or diff)", sub);
}
