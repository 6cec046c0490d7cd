/*
 * settings.h - study settings: git-config style keys kept in the database.
 *
 * "issuemine config KEY VALUE" stores a setting so that every run of a
 * command does not need the same flags; a flag given on the command line
 * always wins over the setting. The keys are fixed (settings_keys below):
 * an unknown key or a value of the wrong kind is refused with a message
 * naming it. Keys compare case-insensitively; a key ending in '.' in the
 * table is a family ("report.name." takes "report.name.OWNER/NAME").
 * Values are stored normalised (booleans as "true"/"false").
 */
#ifndef ISSUEMINE_SETTINGS_H
#define ISSUEMINE_SETTINGS_H

#include <stddef.h>

#include "error.h"
#include "store.h"

enum setting_type {
	SETTING_TEXT,   /* any non-empty text on one line */
	SETTING_RATER,  /* a rater name */
	SETTING_NAME,   /* a set or release series name: no spaces */
	SETTING_COUNT,  /* a whole number >= 0 */
	SETTING_SEED,   /* a whole number from 0 to 2^63 - 1 */
	SETTING_BOOL,   /* true/false, yes/no, on/off, 1/0 */
	SETTING_CHOICE, /* one of the '|'-separated words in choices */
};

struct setting_key {
	const char *key; /* "report.rater"; "report.name." for a family */
	enum setting_type type;
	const char *choices; /* SETTING_CHOICE only */
	const char *help;    /* one line: what it sets */
};

/* Every known key, ending with a NULL key. */
extern const struct setting_key settings_keys[];

/* The key's entry, or NULL when no key or family matches. */
const struct setting_key *settings_find_key(const char *key);

/*
 * Checks a key and a value for it (value NULL checks the key only). On
 * success *normalized (when given) gets the value to store (caller frees).
 * Fails with "unknown key 'x'" or "report.top: 'x' is not a whole number
 * >= 0" and the like.
 */
int settings_check(const char *key, const char *value, char **normalized, struct error *err);

/* The stored value of key (caller frees), or *value NULL when it is not set. */
int settings_get(struct store *s, const char *key, char **value, struct error *err);

/* Checks, then stores (or replaces) key = value in one transaction. */
int settings_set(struct store *s, const char *key, const char *value, struct error *err);

/* Removes key; *removed says whether it was set. */
int settings_unset(struct store *s, const char *key, int *removed, struct error *err);

struct setting {
	char *key, *value, *set_at;
};

/* Every stored setting, by key (caller frees with settings_free). */
int settings_list(struct store *s, struct setting **out, size_t *n, struct error *err);
void settings_free(struct setting *list, size_t n);

/* A stored boolean's value ("true" is 1). */
int settings_bool(const char *value);

#endif
