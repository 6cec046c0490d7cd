/*
 * config.c - "issuemine config": study settings, git-config style.
 *
 * The keys, their checks and the table are in src/store/settings.c; this
 * file reads the command line, prints, and picks exit codes. Reads open the
 * database read-only; a set or an unset is one transaction.
 */
#include "cli.h"
#include "commands.h"
#include "settings.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const config_usage[] = {
        "issuemine config --list [--format text|json]",
        "issuemine config KEY",
        "issuemine config KEY VALUE",
        "issuemine config --unset KEY",
        NULL,
        "Study settings, kept in the database, so that every report does not need the",
        "same flags: a flag given on the command line always wins over a setting.",
        "KEY prints the value (exit 1 when it is not set); KEY VALUE sets it; --unset",
        "removes it; --list prints every setting as key=value (or a JSON object).",
        "Unknown keys and values of the wrong kind are refused. Booleans take",
        "true/false, yes/no, on/off or 1/0. The keys are listed below (--keys).",
        NULL,
};

static void print_keys(void)
{
	printf("\nkeys:\n");
	for (const struct setting_key *k = settings_keys; k->key; k++) {
		char *name = k->key[strlen(k->key) - 1] == '.' ? xstrfmt("%sOWNER/NAME", k->key)
		                                               : xstrdup(k->key);
		printf("  %-28s %s\n", name, k->help);
		free(name);
	}
}

/* A stored value as JSON: numbers and booleans typed, the rest strings. */
static json_t *typed_value(const char *key, const char *value)
{
	const struct setting_key *k = settings_find_key(key);
	if (k && (k->type == SETTING_COUNT || k->type == SETTING_SEED))
		return json_integer(strtoll(value, NULL, 10));
	if (k && k->type == SETTING_BOOL)
		return json_boolean(settings_bool(value));
	return json_string(value);
}

static int list(struct store *s, const char *format)
{
	struct setting *all;
	size_t n;
	struct error err;
	if (settings_list(s, &all, &n, &err))
		return cli_fail(&err);
	if (!strcmp(format, "json")) {
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(o, all[i].key, typed_value(all[i].key, all[i].value));
		cli_print_json(o);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s=%s\n", all[i].key, all[i].value);
	}
	settings_free(all, n);
	return EXIT_SUCCESS;
}

static int get(struct store *s, const char *key)
{
	char *value;
	struct error err;
	if (settings_get(s, key, &value, &err))
		return cli_fail(&err);
	if (!value) {
		cli_error("config: %s is not set", key);
		return EXIT_FAILURE;
	}
	printf("%s\n", value);
	free(value);
	return EXIT_SUCCESS;
}

static int set(const char *key, const char *value)
{
	struct store *s;
	struct error err;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = settings_set(s, key, value, &err) ? cli_fail(&err) : EXIT_SUCCESS;
	store_close(s);
	return rc;
}

static int unset(const char *key)
{
	struct store *s;
	struct error err;
	int removed = 0;
	if (cli_open_store(STORE_READWRITE, &s))
		return EXIT_FAILURE;
	int rc = settings_unset(s, key, &removed, &err) ? cli_fail(&err) : EXIT_SUCCESS;
	store_close(s);
	if (rc == EXIT_SUCCESS && !removed) {
		cli_error("config: %s is not set", key);
		rc = EXIT_FAILURE;
	}
	return rc;
}

/* Checks the key (and value) before the database is touched: one line, exit 1. */
static int check(const char *key, const char *value)
{
	struct error err;
	if (!settings_check(key, value, NULL, &err))
		return 0;
	cli_error("config: %s", err.msg);
	return -1;
}

static int read_only(int listing, const char *key, const char *format)
{
	struct store *s;
	if (cli_open_store(STORE_READONLY, &s))
		return EXIT_FAILURE;
	int rc = listing ? list(s, format) : get(s, key);
	store_close(s);
	return rc;
}

int cmd_config(int argc, const char **argv)
{
	int listing = 0, help_keys = 0;
	const char *unset_key = NULL, *format = "text";
	struct option opts[] = {
	        {OPT_BOOL, 'l', "list", &listing, NULL, "print every setting"},
	        {OPT_STRING, 0, "unset", &unset_key, "KEY", "remove a setting"},
	        {OPT_CHOICE, 0, "format", &format, "text|json", "--list as key=value or JSON"},
	        {OPT_BOOL, 0, "keys", &help_keys, NULL, "print the known keys"},
	        {OPT_END},
	};
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage("config", opts, config_usage);
			print_keys();
			return EXIT_SUCCESS;
		}
	argc = parse_options("config", argc, argv, opts, config_usage);
	if (help_keys) {
		print_keys();
		return EXIT_SUCCESS;
	}
	if ((listing || unset_key) && argc > 0)
		usage_error("config", "unexpected argument '%s'", argv[0]);
	if (listing && unset_key)
		usage_error("config", "--list and --unset go alone");
	if (!listing && !unset_key && argc < 1)
		usage_error("config", "give KEY, KEY VALUE, --unset KEY or --list");
	if (!listing && !unset_key && argc > 2)
		usage_error("config", "unexpected argument '%s'", argv[2]);
	if (unset_key)
		return check(unset_key, NULL) ? EXIT_FAILURE : unset(unset_key);
	if (listing)
		return read_only(1, NULL, format);
	if (check(argv[0], argc == 2 ? argv[1] : NULL))
		return EXIT_FAILURE;
	return argc == 2 ? set(argv[0], argv[1]) : read_only(0, argv[0], format);
}
