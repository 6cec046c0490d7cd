/*
 * opt.c - the option parser shared by all commands (see opt.h).
 */
#include "opt.h"
#include "cli.h"
#include "number.h"
#include "strbuf.h"
#include "suggest.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *db_path;
static opt_hook_fn hook;

void opt_set_hook(opt_hook_fn fn)
{
	hook = fn;
}

const char *opt_db_path(void)
{
	return db_path;
}

void opt_set_db_path(const char *path)
{
	db_path = path;
}

void string_list_append(struct string_list *list, const char *item)
{
	xgrow((void **)&list->items, &list->alloc, list->nr + 1, sizeof(*list->items));
	list->items[list->nr++] = item;
}

void string_list_clear(struct string_list *list)
{
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char prefix[128];
	snprintf(prefix, sizeof(prefix), "issuemine %s: ", cmd);
	va_start(ap, fmt);
	cli_vmessage(prefix, fmt, ap);
	va_end(ap);
	fprintf(stderr, "see 'issuemine %s --help'\n", cmd);
	exit(2);
}

static int takes_value(const struct option *o)
{
	return o->type != OPT_BOOL;
}

static void option_label(const struct option *o, char *buf, size_t size)
{
	int n = 0;
	if (o->short_name && o->long_name)
		n = snprintf(buf, size, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		n = snprintf(buf, size, "-%c", o->short_name);
	else
		n = snprintf(buf, size, "--%s", o->long_name);
	if (takes_value(o) && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " %s", o->argh ? o->argh : "VALUE");
}

static void print_option(const char *label, const char *help)
{
	if (strlen(label) <= 24)
		printf("    %-24s  %s\n", label, help);
	else
		printf("    %s\n    %-24s  %s\n", label, "", help);
}

void print_usage(const char *cmd, const struct option *opts, const char *const *usage)
{
	size_t i = 0;
	for (; usage[i]; i++)
		printf("%s%s\n", i ? "   or: " : "usage: ", usage[i]);
	if (usage[++i])
		printf("\n");
	for (; usage[i]; i++)
		printf("%s\n", usage[i]);
	printf("\noptions:\n");
	char label[128];
	for (const struct option *o = opts; o->type != OPT_END; o++) {
		option_label(o, label, sizeof(label));
		print_option(label, o->help ? o->help : "");
	}
	print_option("--db PATH", "database (default: $ISSUEMINE_DB, else ./issuemine.db)");
	print_option("-h, --help", "show this help");
	(void)cmd;
}

static void parse_int(const char *cmd, const struct option *o, const char *arg)
{
	int64_t v;
	int rc = number_parse(arg, LONG_MIN, LONG_MAX, &v);
	if (rc) {
		struct error err;
		char name[128];
		snprintf(name, sizeof(name), "--%s", o->long_name);
		number_error(&err, name, arg, rc, LONG_MIN, LONG_MAX);
		usage_error(cmd, "%s", err.msg);
	}
	*(long *)o->value = (long)v;
}

static void parse_double(const char *cmd, const struct option *o, const char *arg)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (!*arg || *end || errno || !isfinite(v))
		usage_error(cmd, "--%s: '%s' is not a number", o->long_name, arg);
	*(double *)o->value = v;
}

/* Writes "a, b or c" for the choices "a|b|c". */
static void choice_list(const char *choices, char *buf, size_t size)
{
	size_t n = 0;
	const char *p = choices;
	while (*p && n + 1 < size) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *sep = !bar ? "" : strchr(bar + 1, '|') ? ", " : " or ";
		n += (size_t)snprintf(buf + n, size - n, "%.*s%s", (int)len, p, sep);
		p = bar ? bar + 1 : p + len;
	}
}

static void parse_choice(const char *cmd, const struct option *o, const char *arg)
{
	const char *p = o->argh;
	size_t alen = strlen(arg);
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == alen && !strncmp(p, arg, len)) {
			*(const char **)o->value = arg;
			return;
		}
		p = bar ? bar + 1 : p + len;
	}
	char list[256];
	choice_list(o->argh, list, sizeof(list));
	usage_error(cmd, "--%s: '%s' is not one of %s", o->long_name, arg, list);
}

static void set_value(const char *cmd, const struct option *o, const char *arg)
{
	switch (o->type) {
	case OPT_BOOL:
		*(int *)o->value = 1;
		break;
	case OPT_STRING:
		*(const char **)o->value = arg;
		break;
	case OPT_INT:
		parse_int(cmd, o, arg);
		break;
	case OPT_DOUBLE:
		parse_double(cmd, o, arg);
		break;
	case OPT_STRING_LIST:
		string_list_append(o->value, arg);
		break;
	case OPT_CHOICE:
		parse_choice(cmd, o, arg);
		break;
	case OPT_END:
		break;
	}
}

static const struct option *find_long(const struct option *opts, const char *name, size_t len)
{
	for (const struct option *o = opts; o->type != OPT_END; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct option *find_short(const struct option *opts, int c)
{
	for (const struct option *o = opts; o->type != OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* Fails on the unknown "--name", suggesting the closest options. */
static void unknown_long(const char *cmd, const struct option *opts, const char *name, size_t len)
        __attribute__((noreturn));

static void unknown_long(const char *cmd, const struct option *opts, const char *name, size_t len)
{
	const char **names = NULL;
	size_t n = 0, alloc = 0;
	for (const struct option *o = opts; o->type != OPT_END; o++) {
		if (!o->long_name)
			continue;
		xgrow((void **)&names, &alloc, n + 1, sizeof(*names));
		names[n++] = o->long_name;
	}
	static const char *const common[] = {"db", "help"};
	for (size_t i = 0; i < 2; i++) {
		xgrow((void **)&names, &alloc, n + 1, sizeof(*names));
		names[n++] = common[i];
	}
	char *word = xstrndup(name, len);
	struct strbuf hint = STRBUF_INIT;
	suggest_append(&hint, word, names, n, "--");
	char text[512];
	snprintf(text, sizeof(text), "%s", hint.buf);
	strbuf_release(&hint);
	free(names);
	free(word);
	usage_error(cmd, "unknown option '--%.*s'%s", (int)len, name, text);
}

/* Handles argv[*i] = "--name[=value]"; may consume the next argument. */
static void parse_long(const char *cmd, int argc, const char **argv, int *i,
                       const struct option *opts, const char *const *usage)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option *o = find_long(opts, name, len);
	if (!o && len == 4 && !strncmp(name, "help", 4)) {
		print_usage(cmd, opts, usage);
		exit(0);
	}
	if (!o && len == 2 && !strncmp(name, "db", 2)) {
		static const struct option db = {OPT_STRING, 0, "db", &db_path, "PATH", NULL};
		o = &db;
	}
	if (!o && len > 3 && !strncmp(name, "no-", 3)) {
		const struct option *neg = find_long(opts, name + 3, len - 3);
		if (neg && neg->type == OPT_BOOL && eq)
			usage_error(cmd, "--%.*s takes no value", (int)len, name);
		if (neg && neg->type == OPT_BOOL) {
			*(int *)neg->value = 0;
			return;
		}
	}
	if (!o)
		unknown_long(cmd, opts, name, len);
	if (!takes_value(o)) {
		if (eq)
			usage_error(cmd, "--%s takes no value", o->long_name);
		set_value(cmd, o, NULL);
		return;
	}
	if (eq) {
		set_value(cmd, o, eq + 1);
		return;
	}
	if (*i + 1 >= argc)
		usage_error(cmd, "--%s needs a value (%s)", o->long_name,
		            o->argh ? o->argh : "VALUE");
	set_value(cmd, o, argv[++*i]);
}

/* Handles argv[*i] = "-abc" or "-nVALUE"; may consume the next argument. */
static void parse_short(const char *cmd, int argc, const char **argv, int *i,
                        const struct option *opts, const char *const *usage)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		if (*p == 'h') {
			print_usage(cmd, opts, usage);
			exit(0);
		}
		const struct option *o = find_short(opts, *p);
		if (!o)
			usage_error(cmd, "unknown option '-%c'", *p);
		if (!takes_value(o)) {
			set_value(cmd, o, NULL);
			continue;
		}
		if (p[1]) {
			set_value(cmd, o, p + 1);
			return;
		}
		if (*i + 1 >= argc)
			usage_error(cmd, "-%c needs a value (%s)", *p, o->argh ? o->argh : "VALUE");
		set_value(cmd, o, argv[++*i]);
		return;
	}
}

int parse_options(const char *cmd, int argc, const char **argv, const struct option *opts,
                  const char *const *usage)
{
	if (hook)
		hook(cmd, opts, usage); /* does not return */
	int out = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--")) {
			while (++i < argc)
				argv[out++] = argv[i];
			break;
		}
		if (!strncmp(arg, "--", 2))
			parse_long(cmd, argc, argv, &i, opts, usage);
		else if (arg[0] == '-' && arg[1])
			parse_short(cmd, argc, argv, &i, opts, usage);
		else
			argv[out++] = arg;
	}
	argv[out] = NULL;
	return out;
}
