/*
 * querysource.c - reading and parsing a command's query (see querysource.h).
 */
#include "querysource.h"
#include "cli.h"
#include "strbuf.h"
#include "xalloc.h"

#include <string.h>

void cli_query_check_usage(const char *cmd, const struct query_source *src)
{
	int given = (src->argc > 0) + (src->name != NULL) + (src->file != NULL);
	if (given == 0)
		usage_error(cmd, "no query given (QUERY, --query NAME or --query-file FILE)");
	if (given > 1)
		usage_error(cmd, "give one query: QUERY, --query NAME or --query-file FILE");
}

/* The query text into *text (caller frees) and a label for errors into *label (caller frees). */
static int read_source(const struct query_source *src, struct store *s, char **text, char **label)
{
	struct error err;
	if (src->name) {
		const char *origin;
		if (query_lookup(s, src->name, text, &origin, &err)) {
			cli_fail(&err);
			return -1;
		}
		*label = xstrfmt("query '%s'", src->name);
		return 0;
	}
	if (src->file) {
		struct strbuf sb = STRBUF_INIT;
		if (strbuf_read_file(&sb, src->file, &err)) {
			cli_fail(&err);
			strbuf_release(&sb);
			return -1;
		}
		if (memchr(sb.buf, '\0', sb.len)) {
			cli_error("%s: not a text file", src->file);
			strbuf_release(&sb);
			return -1;
		}
		*text = strbuf_detach(&sb, NULL);
		*label = xstrdup(strcmp(src->file, "-") ? src->file : "standard input");
		return 0;
	}
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < src->argc; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", src->argv[i]);
	*text = strbuf_detach(&sb, NULL);
	*label = xstrdup("query");
	return 0;
}

int cli_query_load(const char *cmd, const struct query_source *src, struct store *s,
                   struct query **q)
{
	char *text, *label;
	cli_query_check_usage(cmd, src);
	if (read_source(src, s, &text, &label))
		return -1;
	struct error err;
	struct query_pos pos;
	int rc = query_parse(text, q, &pos, &err);
	if (rc) {
		struct strbuf caret = STRBUF_INIT;
		cli_error("%s: %s", label, err.msg);
		query_caret(text, &pos, 4, &caret);
		fputs(caret.buf, stderr);
		strbuf_release(&caret);
	}
	free(text);
	free(label);
	return rc;
}
