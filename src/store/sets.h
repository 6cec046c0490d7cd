/*
 * sets.h - named sets of issues: filter results and samples.
 *
 * A set has a unique name, a kind ("filter", "sample" or "manual"), the text
 * that made it (a query, or a description of the draw), optionally the set
 * it was drawn from and the seed, and its members in order.
 */
#ifndef ISSUEMINE_SETS_H
#define ISSUEMINE_SETS_H

#include <stdint.h>

#include "store.h"

/* The id of the set called name, or 0 (and no error) when there is none. */
int set_find(struct store *s, const char *name, int64_t *id, struct error *err);

/*
 * Creates an empty set; fails if the name is taken. parent_id 0 means none;
 * seed is stored only when has_seed is set. Must run in a transaction.
 */
int set_create(struct store *s, const char *name, const char *kind, const char *origin,
               int64_t parent_id, int has_seed, int64_t seed, int64_t *id, struct error *err);

/* Appends an issue to the set (after the current last member); a member already there is kept. */
int set_add_member(struct store *s, int64_t set_id, int64_t issue_id, struct error *err);

/* Sets *yes when issue_id is in the set. */
int set_has_member(struct store *s, int64_t set_id, int64_t issue_id, int *yes, struct error *err);

/* Number of members. */
int set_size(struct store *s, int64_t set_id, long *size, struct error *err);

/*
 * The API the set's repositories were fetched from (fetch_queries), newly
 * allocated into *api_url; NULL when none was (imported data). *several is
 * set, and *api_url NULL, when they were fetched from more than one.
 */
int set_fetch_api(struct store *s, int64_t set_id, char **api_url, int *several, struct error *err);

/* A set name must be non-empty, printable, without white space at either end. */
int set_name_valid(const char *name);

/* What "issuemine sets" shows of a set. Strings are owned by the struct. */
struct set_info {
	int64_t id;
	char *name;
	char *kind;   /* "filter", "sample" or "manual" */
	char *origin; /* the query text or a description of the draw; may be NULL */
	char *parent; /* the name of the set a sample was drawn from, or NULL */
	char *created_at;
	int has_seed;
	int64_t seed;
	long size;
	long codes; /* codes given by raters on this set */
	long notes;
	long exclusions;
	char *draw_mode; /* a sample's: "total", "per-repo", "tranche"; else NULL */
	long draw_count; /* a sample's --n, --per-repo or --tranche */
};

void set_info_release(struct set_info *info);

/* Every set, by name; *infos is the caller's (release each, then free); nothing on failure. */
int set_list(struct store *s, struct set_info **infos, size_t *n, struct error *err);

/* The set called name into *info (*found 0 when there is none; info untouched then). */
int set_get(struct store *s, const char *name, struct set_info *info, int *found,
            struct error *err);

/*
 * Deletes the set called name and its members. Refused (err says why and how
 * many) when raters' codes, notes or exclusions refer to it, or when samples were drawn
 * from it. Must run in a transaction.
 */
int set_drop(struct store *s, const char *name, struct error *err);

/* A member of a set with what listings show. Strings are owned by the struct. */
struct set_member {
	int64_t issue_id;
	char *repo; /* "owner/name" */
	int64_t number;
	char *title;
	char *state;
	char *created_at;
	char *url;
};

void set_member_release(struct set_member *m);

/* The columns that fill a struct set_member from issues i and repositories r, in order. */
#define SET_MEMBER_COLUMNS                                                                         \
	"i.id, r.full_name, i.number, i.title, i.state, i.created_at, coalesce(i.html_url, "       \
	"'https://github.com/' || r.full_name || '/issues/' || i.number)"

/* Fills m from a row whose first columns are SET_MEMBER_COLUMNS. */
void set_member_from_row(sqlite3_stmt *st, struct set_member *m);

/*
 * The members in the set's order; *members is the caller's (release each,
 * then free); nothing on failure.
 */
int set_members(struct store *s, int64_t set_id, struct set_member **members, size_t *n,
                struct error *err);

#endif
