/*
 * regexp.c - the PCRE2-backed regexp() SQL function (see regexp.h).
 *
 * Compiling a pattern costs far more than matching one short title, so the
 * compiled pattern and its match data are attached to the pattern argument
 * with sqlite3_set_auxdata: SQLite keeps them across rows for as long as the
 * argument is constant (a literal or a bound parameter), and frees them with
 * the statement.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regexp.h"
#include "xalloc.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/*
 * PCRE2's JIT runs on a stack of its own, 32 KiB unless told otherwise: too
 * small for a pattern such as (.|\n)*X, which needs a frame per character,
 * on an ordinary 2,000-character body. One stack of JIT_STACK_MAX is made
 * the first time a match needs it and serves every match of the process
 * (matching is serial). A match that outgrows even that is run again by the
 * interpreter, which keeps its backtracking frames on the heap, up to
 * HEAP_LIMIT_KIB: GitHub's longest body (65,536 characters, up to 256 KiB)
 * fits either way.
 */
#define JIT_STACK_START (32 * 1024)
#define JIT_STACK_MAX   (8 * 1024 * 1024)
#define HEAP_LIMIT_KIB  (256 * 1024)

static pcre2_match_context *match_context;
static pcre2_jit_stack *jit_stack;

static void match_context_free(void)
{
	pcre2_jit_stack_free(jit_stack);
	pcre2_match_context_free(match_context);
	jit_stack = NULL;
	match_context = NULL;
}

/* The match context every match uses (NULL, PCRE2's defaults, if it cannot be made). */
static pcre2_match_context *the_match_context(void)
{
	if (match_context)
		return match_context;
	match_context = pcre2_match_context_create(NULL);
	if (!match_context)
		return NULL;
	pcre2_set_heap_limit(match_context, HEAP_LIMIT_KIB);
	jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, NULL);
	if (jit_stack)
		pcre2_jit_stack_assign(match_context, NULL, jit_stack);
	atexit(match_context_free);
	return match_context;
}

/* Matches with the JIT when the pattern has it, and with the interpreter when the JIT runs out. */
static int match(pcre2_code *code, const char *subject, size_t len, pcre2_match_data *md)
{
	pcre2_match_context *mc = the_match_context();
	int rc = pcre2_match(code, (PCRE2_SPTR)subject, len, 0, 0, md, mc);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_JIT, md, mc);
	return rc;
}

struct compiled {
	pcre2_code *code;
	pcre2_match_data *match;
	uint32_t options; /* the flags it was compiled with */
};

static void compiled_free(void *p)
{
	struct compiled *c = p;
	if (!c)
		return;
	pcre2_match_data_free(c->match);
	pcre2_code_free(c->code);
	free(c);
}

/* Parses flags ("" or "i") into PCRE2 options; returns -1 on an unknown flag. */
static int flag_options(const char *flags, uint32_t *options)
{
	*options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
	for (const char *f = flags ? flags : ""; *f; f++) {
		if (*f != 'i')
			return -1;
		*options |= PCRE2_CASELESS;
	}
	return 0;
}

/* Compiles pattern; on failure fills msg with PCRE2's message and *offset. */
static pcre2_code *compile(const char *pattern, size_t len, uint32_t options, char *msg,
                           size_t size, size_t *offset)
{
	int code;
	PCRE2_SIZE off = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, options, &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, size);
		*offset = off;
		return NULL;
	}
	/*
	 * JIT is an optimisation: without it (or with it refused) matching still
	 * works. $ISSUEMINE_NO_JIT turns it off for memory checkers, which take
	 * the JIT's wide reads near the end of a subject for errors.
	 */
	const char *no_jit = getenv("ISSUEMINE_NO_JIT");
	if (!no_jit || !*no_jit)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

int regexp_check(const char *pattern, const char *flags, size_t *offset, struct error *err)
{
	uint32_t options;
	char msg[256];
	size_t off = 0;
	if (flag_options(flags, &options))
		return error_set(err, "/%s/%s: unknown flag (only 'i' is known)", pattern, flags);
	pcre2_code *re = compile(pattern, strlen(pattern), options, msg, sizeof(msg), &off);
	if (!re) {
		if (offset)
			*offset = off;
		return error_set(err, "bad pattern /%s/: %s at offset %zu", pattern, msg, off);
	}
	pcre2_code_free(re);
	return 0;
}

/*
 * The compiled pattern of argument 0: the one kept with the statement when
 * it was compiled with the same flags, or a fresh one (*fresh set; the caller
 * hands it to sqlite3_set_auxdata once done with it, since SQLite may free it
 * at once). The flags are checked on every row because SQLite keeps the
 * auxiliary data for as long as the pattern alone stays the same. NULL after
 * reporting an error.
 */
static struct compiled *pattern_arg(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                                    int *fresh)
{
	const char *pattern = (const char *)sqlite3_value_text(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	const char *flags = argc > 2 ? (const char *)sqlite3_value_text(argv[2]) : "";
	uint32_t options;
	*fresh = 0;
	if (!pattern) {
		sqlite3_result_error(ctx, "regexp: the pattern is NULL", -1);
		return NULL;
	}
	if (flag_options(flags, &options)) {
		char *msg =
		        xstrfmt("regexp: /%s/%s: unknown flag (only 'i' is known)", pattern, flags);
		sqlite3_result_error(ctx, msg, -1);
		free(msg);
		return NULL;
	}
	struct compiled *c = sqlite3_get_auxdata(ctx, 0);
	if (c && c->options == options)
		return c;
	char pmsg[256];
	size_t off = 0;
	pcre2_code *re = compile(pattern, (size_t)len, options, pmsg, sizeof(pmsg), &off);
	if (!re) {
		char *msg = xstrfmt("bad pattern /%s/: %s at offset %zu", pattern, pmsg, off);
		sqlite3_result_error(ctx, msg, -1);
		free(msg);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->code = re;
	c->match = pcre2_match_data_create_from_pattern(re, NULL);
	c->options = options;
	if (!c->match) {
		compiled_free(c);
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	*fresh = 1;
	return c;
}

/* "owner/name#N" of the issue with row id issue_id, or NULL (caller frees). */
static char *issue_name(sqlite3 *db, sqlite3_int64 issue_id)
{
	sqlite3_stmt *st;
	char *name = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT r.full_name || '#' || i.number FROM issues i "
	                       "JOIN repositories r ON r.id = i.repo_id WHERE i.id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, issue_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		name = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return name;
}

/* Fails the call with PCRE2's reason, the pattern and (given a fourth argument) the issue. */
static void match_error(sqlite3_context *ctx, int argc, sqlite3_value **argv, int rc)
{
	char pmsg[256];
	pcre2_get_error_message(rc, (PCRE2_UCHAR *)pmsg, sizeof(pmsg));
	char *issue = NULL;
	if (argc > 3 && sqlite3_value_type(argv[3]) == SQLITE_INTEGER)
		issue = issue_name(sqlite3_context_db_handle(ctx), sqlite3_value_int64(argv[3]));
	char *msg = xstrfmt("regexp /%s/%s%s: %s", (const char *)sqlite3_value_text(argv[0]),
	                    issue ? " on " : "", issue ? issue : "", pmsg);
	sqlite3_result_error(ctx, msg, -1);
	free(msg);
	free(issue);
}

static void regexp_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	if (sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return; /* NULL result */
	int fresh;
	struct compiled *c = pattern_arg(ctx, argc, argv, &fresh);
	if (!c)
		return;
	const char *subject = (const char *)sqlite3_value_text(argv[1]);
	int len = sqlite3_value_bytes(argv[1]);
	int rc = match(c->code, subject, (size_t)len, c->match);
	if (rc >= 0)
		sqlite3_result_int(ctx, 1);
	else if (rc == PCRE2_ERROR_NOMATCH)
		sqlite3_result_int(ctx, 0);
	else
		match_error(ctx, argc, argv, rc);
	/* Last, as SQLite may free c before returning when the pattern is not constant. */
	if (fresh)
		sqlite3_set_auxdata(ctx, 0, c, compiled_free);
}

int regexp_register(sqlite3 *db, struct error *err)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	if (sqlite3_create_function_v2(db, "regexp", 2, flags, NULL, regexp_func, NULL, NULL,
	                               NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db, "regexp", 3, flags, NULL, regexp_func, NULL, NULL,
	                               NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db, "regexp", 4, flags, NULL, regexp_func, NULL, NULL,
	                               NULL) != SQLITE_OK)
		return error_set(err, "cannot register regexp(): %s", sqlite3_errmsg(db));
	return 0;
}
