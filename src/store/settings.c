/*
 * settings.c - the known study settings, their checks, and the settings
 * table (see settings.h).
 */
#include "settings.h"
#include "number.h"

#include "codes.h"
#include "timeutil.h"
#include "xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct setting_key settings_keys[] = {
        {"report.rater", SETTING_RATER, NULL, "whose codes report uses (--rater)"},
        {"report.format", SETTING_CHOICE, "text|csv|json|markdown|latex",
         "report's output format (--format)"},
        {"report.releases", SETTING_NAME, NULL,
         "the release series of --spearman and the figures (--releases)"},
        {"report.top", SETTING_COUNT, NULL, "causes kept before binning into Other (--top)"},
        {"report.top-symptoms", SETTING_COUNT, NULL, "symptoms kept as columns (--top-symptoms)"},
        {"report.top-locations", SETTING_COUNT, NULL,
         "locations kept as columns (--top-locations)"},
        {"report.causes", SETTING_TEXT, NULL, "the selected causes (--causes)"},
        {"report.hide-empty", SETTING_BOOL, NULL, "drop all-zero rows and columns (--hide-empty)"},
        {"report.group-totals", SETTING_BOOL, NULL,
         "a total column in each group of joint tables (--[no-]group-totals)"},
        {"report.compact", SETTING_BOOL, NULL,
         "joint tables with repositories as rows (--compact)"},
        {"report.float", SETTING_BOOL, NULL,
         "LaTeX tables wrapped in table, \\caption and \\label (--float)"},
        {"report.name.", SETTING_TEXT, NULL,
         "the repository's column title in tables and figures (--label)"},
        {"agree.format", SETTING_CHOICE, "text|json|csv", "agree's output format (--format)"},
        {"agree.bootstrap", SETTING_COUNT, NULL, "bootstrap resamples of agree (--bootstrap)"},
        {"agree.seed", SETTING_SEED, NULL, "the bootstrap's seed (--seed)"},
        {NULL, 0, NULL, NULL},
};

/* "OWNER/NAME": two non-empty parts of GitHub's name characters. */
static int repo_name_valid(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (const char *p = s; *p; p++)
		if (p != slash && !isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return 0;
	return 1;
}

const struct setting_key *settings_find_key(const char *key)
{
	for (const struct setting_key *k = settings_keys; k->key; k++) {
		size_t len = strlen(k->key);
		if (k->key[len - 1] == '.') {
			if (!strncasecmp(key, k->key, len) && repo_name_valid(key + len))
				return k;
		} else if (!strcasecmp(key, k->key)) {
			return k;
		}
	}
	return NULL;
}

static int choice_valid(const char *choices, const char *value)
{
	size_t len = strlen(value);
	for (const char *p = choices; *p;) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, value, n))
			return 1;
		p += n + (end != NULL);
	}
	return 0;
}

/* Parses a whole number in [0, max]; returns 0 or -1. */
static int parse_whole(const char *value, long long max, long long *out)
{
	int64_t v;
	if (number_parse(value, 0, max, &v))
		return -1;
	*out = v;
	return 0;
}

static const char *bool_words[][2] = {{"true", "false"}, {"yes", "no"}, {"on", "off"}, {"1", "0"}};

static int parse_bool(const char *value, int *out)
{
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++)
		for (int b = 0; b < 2; b++)
			if (!strcasecmp(value, bool_words[i][b])) {
				*out = !b;
				return 0;
			}
	return -1;
}

static int has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return 1;
	return 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Checks value against k's type; fills *normalized (may be NULL). */
static int check_value(const char *key, const struct setting_key *k, const char *value,
                       char **normalized, struct error *err)
{
	long long n = 0;
	int b = 0;
	const char *bad = NULL;
	switch (k->type) {
	case SETTING_TEXT:
		bad = !*value || has_control(value) ? "is not text on one line" : NULL;
		break;
	case SETTING_RATER:
		bad = !rater_name_valid(value) ? "is not a rater name" : NULL;
		break;
	case SETTING_NAME:
		bad = !*value || has_space(value) || has_control(value) ? "is not a name" : NULL;
		break;
	case SETTING_COUNT:
		bad = parse_whole(value, 1000000000LL, &n) ? "is not a whole number >= 0" : NULL;
		break;
	case SETTING_SEED:
		bad = parse_whole(value, INT64_MAX, &n) ? "is not a whole number from 0 to "
		                                          "9223372036854775807"
		                                        : NULL;
		break;
	case SETTING_BOOL:
		bad = parse_bool(value, &b) ? "is not true or false" : NULL;
		break;
	case SETTING_CHOICE:
		bad = !choice_valid(k->choices, value) ? "is not one of the choices" : NULL;
		break;
	}
	if (bad && k->type == SETTING_CHOICE)
		return error_set(err, "%s: '%s' is not one of %s", key, value, k->choices);
	if (bad)
		return error_set(err, "%s: '%s' %s", key, value, bad);
	if (normalized)
		*normalized = xstrdup(k->type == SETTING_BOOL ? (b ? "true" : "false") : value);
	return 0;
}

int settings_check(const char *key, const char *value, char **normalized, struct error *err)
{
	const struct setting_key *k = settings_find_key(key);
	if (!k)
		return error_set(err, "unknown key '%s' (see 'issuemine config --help')", key);
	return value ? check_value(key, k, value, normalized, err) : 0;
}

int settings_bool(const char *value)
{
	int b = 0;
	return value && !parse_bool(value, &b) && b;
}

int settings_get(struct store *s, const char *key, char **value, struct error *err)
{
	*value = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM settings WHERE key = ?", err);
	if (!st)
		return -1;
	store_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = store_column_dup(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_error(s, err, "reading settings");
}

int settings_set(struct store *s, const char *key, const char *value, struct error *err)
{
	char *normal = NULL;
	if (settings_check(key, value, &normal, err))
		return -1;
	char now[ISO_TIME_LEN];
	time_now_iso(now);
	sqlite3_stmt *st = store_stmt(s,
	                              "INSERT INTO settings (key, value, set_at) VALUES (?, ?, ?) "
	                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
	                              "set_at = excluded.set_at",
	                              err);
	int rc = -1;
	if (st && !store_begin(s, err)) {
		store_bind_text(st, 1, key);
		store_bind_text(st, 2, normal);
		store_bind_text(st, 3, now);
		rc = store_step_done(s, st, err);
		if (!rc)
			rc = store_commit(s, err);
		else
			store_rollback(s);
	}
	free(normal);
	return rc;
}

int settings_unset(struct store *s, const char *key, int *removed, struct error *err)
{
	*removed = 0;
	if (settings_check(key, NULL, NULL, err))
		return -1;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM settings WHERE key = ?", err);
	if (!st || store_begin(s, err))
		return -1;
	store_bind_text(st, 1, key);
	if (store_step_done(s, st, err)) {
		store_rollback(s);
		return -1;
	}
	*removed = sqlite3_changes(sqlite3_db_handle(st)) > 0;
	return store_commit(s, err);
}

int settings_list(struct store *s, struct setting **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(
	        s, "SELECT key, value, set_at FROM settings ORDER BY key COLLATE NOCASE", err);
	if (!st)
		return -1;
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow((void **)out, &alloc, *n + 1, sizeof(**out));
		struct setting *x = &(*out)[(*n)++];
		x->key = store_column_dup(st, 0);
		x->value = store_column_dup(st, 1);
		x->set_at = store_column_dup(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		settings_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_error(s, err, "reading settings");
	}
	return 0;
}

void settings_free(struct setting *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].key);
		free(list[i].value);
		free(list[i].set_at);
	}
	free(list);
}
