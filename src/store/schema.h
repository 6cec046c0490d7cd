/*
 * schema.h - the database schema's migrations (see schema.c, docs/schema.md).
 */
#ifndef ISSUEMINE_SCHEMA_H
#define ISSUEMINE_SCHEMA_H

/* "ISMN": marks a SQLite file as an issuemine database (PRAGMA application_id). */
#define SCHEMA_APPLICATION_ID 0x49534D4E

/* schema_migrations[v] lists the statements (NULL-terminated) from version v to v + 1. */
extern const char *const *const schema_migrations[];
extern const int schema_version; /* the user_version this build writes */

#endif
