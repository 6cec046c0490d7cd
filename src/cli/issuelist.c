/*
 * issuelist.c - issue lists as a table, CSV or JSON (see issuelist.h).
 */
#include "issuelist.h"
#include "cli.h"
#include "csv.h"
#include "termsafe.h"
#include "xalloc.h"

#include <jansson.h>
#include <string.h>

#define TITLE_WIDTH 60

enum issuelist_format issuelist_format(const char *name)
{
	if (!strcmp(name, "csv"))
		return ISSUELIST_CSV;
	if (!strcmp(name, "json"))
		return ISSUELIST_JSON;
	return ISSUELIST_TABLE;
}

size_t issuelist_text_width(const char *s)
{
	size_t w = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void issuelist_print_cut(const char *raw, size_t len, size_t width, int pad)
{
	size_t w = 0, i = 0, cut = 0;
	struct strbuf safe = STRBUF_INIT;
	termsafe_add(&safe, raw ? raw : "", raw ? strnlen(raw, len) : 0, 0);
	const char *s = safe.buf;
	len = safe.len;
	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (w++ == width - 3)
			cut = i; /* where "..." goes if the text is too wide */
		if (w > width)
			break;
	}
	if (w > width)
		printf("%.*s...", (int)cut, s);
	else
		printf("%.*s%*s", (int)len, s, pad ? (int)(width - w) : 0, "");
	strbuf_release(&safe);
}

static void print_table(const struct set_member *m, size_t n)
{
	size_t repo_w = strlen("REPOSITORY"), title_w = strlen("TITLE");
	/* Titles as a terminal may show them: a newline or an escape sequence written visibly. */
	char **titles = xcalloc(n ? n : 1, sizeof(*titles));
	for (size_t i = 0; i < n; i++) {
		size_t r = issuelist_text_width(m[i].repo) + 1 +
		           (size_t)snprintf(NULL, 0, "%lld", (long long)m[i].number);
		repo_w = r > repo_w ? r : repo_w;
		titles[i] = termsafe_dup(m[i].title, 0);
		size_t t = issuelist_text_width(titles[i]);
		title_w = t > title_w ? t : title_w;
	}
	title_w = title_w > TITLE_WIDTH ? TITLE_WIDTH : title_w;
	printf("%-*s  %-*s  %-10s  %s\n", (int)repo_w, "ISSUE", (int)title_w, "TITLE", "CREATED",
	       "URL");
	for (size_t i = 0; i < n; i++) {
		char *ref = xstrfmt("%s#%lld", m[i].repo, (long long)m[i].number);
		char *url = termsafe_dup(m[i].url, 0);
		char *created = termsafe_dup(m[i].created_at ? m[i].created_at : "-", 0);
		issuelist_print_cut(ref, (size_t)-1, repo_w, 1);
		fputs("  ", stdout);
		free(ref);
		issuelist_print_cut(titles[i], (size_t)-1, title_w, 1);
		free(titles[i]);
		printf("  %-10.10s  %s\n", created, url);
		free(created);
		free(url);
	}
	free(titles);
}

static void print_csv(const struct set_member *m, size_t n)
{
	static const char *const header[] = {"repository", "number",     "title",
	                                     "state",      "created_at", "url"};
	csv_write_row(stdout, header, 6);
	for (size_t i = 0; i < n; i++) {
		char number[32];
		snprintf(number, sizeof(number), "%lld", (long long)m[i].number);
		const char *row[] = {m[i].repo,  number,          m[i].title,
		                     m[i].state, m[i].created_at, m[i].url};
		csv_write_row(stdout, row, 6);
	}
}

static json_t *json_string_or_null(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static void print_json(const struct set_member *m, size_t n)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_object();
		json_object_set_new(row, "repository", json_string_or_null(m[i].repo));
		json_object_set_new(row, "number", json_integer(m[i].number));
		json_object_set_new(row, "title", json_string_or_null(m[i].title));
		json_object_set_new(row, "state", json_string_or_null(m[i].state));
		json_object_set_new(row, "created_at", json_string_or_null(m[i].created_at));
		json_object_set_new(row, "url", json_string_or_null(m[i].url));
		json_array_append_new(rows, row);
	}
	cli_print_json(rows);
}

void issuelist_print(const struct set_member *members, size_t n, enum issuelist_format format)
{
	if (format == ISSUELIST_CSV)
		print_csv(members, n);
	else if (format == ISSUELIST_JSON)
		print_json(members, n);
	else
		print_table(members, n);
}
