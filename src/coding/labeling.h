/*
 * labeling.h - what the labeling UI reads: a sample's issues with one
 * rater's progress, and one issue with its timeline.
 *
 * The UI must open a sample of many thousands of issues at once and show
 * the next issue without a pause, so the list is read with three queries
 * (the members with reference and title; this rater's codes; this rater's
 * exclusions) and an issue's body and timeline only when it is shown. The
 * codes and exclusions can be read again alone (label_list_refresh), to
 * pick up what another process changed for the same rater.
 *
 * Blind coding: nothing here reads another rater's codes. Every function
 * finishes its statements before it returns, so no read transaction stays
 * open while the UI waits for a key (another rater's process can write).
 */
#ifndef ISSUEMINE_LABELING_H
#define ISSUEMINE_LABELING_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "taxonomy.h"

enum label_status {
	LABEL_NONE,     /* nothing coded yet */
	LABEL_PARTIAL,  /* some dimensions coded */
	LABEL_DONE,     /* every dimension that counts is coded */
	LABEL_EXCLUDED, /* the rater excluded the issue: nothing to code */
};

/* One issue of the sample. Strings are offsets into the list's arena. */
struct label_entry {
	int64_t issue_id;
	int64_t number;
	size_t repo, title; /* offsets into label_list.arena */
	int ncoded;         /* dimensions coded (by the rater the list was read for) */
	int ntarget;        /* dimensions that must be coded for the issue to be done */
	const struct tax_reason *excluded; /* the rater's exclusion reason, or NULL */
	size_t position;                   /* in the sample's order */
};

struct label_list {
	struct label_entry *items; /* in the sample's order */
	size_t n;
	char *arena; /* NUL-terminated strings the entries point into */
	size_t arena_len, arena_alloc;
	/* The rater's codes: n x ndims, category and sub-category (NULL: none). */
	const struct taxonomy *tax;
	size_t ndims;
	const struct tax_category **cats, **subs;
};

/*
 * Reads the members of set_id in order, each with the codes of taxonomy t
 * rater_id gave it (ntarget is t's number of dimensions) and the rater's
 * exclusion. The caller releases the list; t must outlive it.
 */
int label_list_load(struct store *s, int64_t set_id, int64_t rater_id, const struct taxonomy *t,
                    struct label_list *out, struct error *err);
void label_list_release(struct label_list *l);

/* Reads the rater's codes and exclusions of every entry again (the entries stay). */
int label_list_refresh(struct store *s, int64_t set_id, int64_t rater_id, struct label_list *l,
                       struct error *err);

/* Entry i's code in dimension d: category and sub-category (both NULL when none). */
const struct tax_category *label_entry_cat(const struct label_list *l, size_t i, size_t d);
const struct tax_category *label_entry_sub(const struct label_list *l, size_t i, size_t d);

/* Sets entry i's codes (one per dimension, .cat NULL for none) and exclusion. */
void label_entry_set(struct label_list *l, size_t i, const struct tax_code *codes,
                     const struct tax_reason *excluded);

/* Borrowed strings of entry i: "owner/name" and the title. */
const char *label_entry_repo(const struct label_list *l, size_t i);
const char *label_entry_title(const struct label_list *l, size_t i);

enum label_status label_entry_status(const struct label_entry *e);

/* Whether an entry is left to do: neither done nor excluded. */
int label_entry_to_do(const struct label_entry *e);

/* How many entries are done; how many excluded. */
size_t label_list_done(const struct label_list *l);
size_t label_list_excluded(const struct label_list *l);

/* The index of the first entry left to do, or l->n when none is. */
size_t label_list_resume(const struct label_list *l);

/* The index of the entry for issue_id, or l->n. */
size_t label_list_find(const struct label_list *l, int64_t issue_id);

/* Keeps only the entries whose issue_id is in ids (n of them, any order). */
void label_list_keep(struct label_list *l, const int64_t *ids, size_t n);

/*
 * The members of set_id whose title, body, or rater_id's note or exclusion
 * text holds pattern (ignoring ASCII case, as the UI's search does), into
 * *ids sorted (caller frees). One query.
 */
int label_search(struct store *s, int64_t set_id, int64_t rater_id, const char *pattern,
                 int64_t **ids, size_t *n, struct error *err);

/* One event of an issue's timeline; NULL strings are absent in the database. */
struct label_event {
	char *event;      /* "commented", "closed", "cross-referenced", ... */
	char *created_at; /* stored form, or NULL */
	char *actor;
	char *commit_id;
	char *body;
	char *detail; /* a label name, "old → new" of a rename, an assignee... */
	char *source_repo;
	int64_t source_number;
	char *source_state;
	int source_is_pr;
	char *source_title;
};

/* An issue as the reader shows it. */
struct label_issue {
	int64_t id, number;
	char *repo, *title, *body, *state, *state_reason, *author;
	char *created_at, *closed_at, *html_url;
	int is_pull_request;
	char **labels;
	size_t nlabels;
	struct label_event *events; /* in timeline order */
	size_t nevents;
};

/* Reads issue_id with its labels and timeline (three queries); caller frees. */
int label_issue_load(struct store *s, int64_t issue_id, struct label_issue **out,
                     struct error *err);
void label_issue_free(struct label_issue *issue);

#endif
