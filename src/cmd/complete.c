/*
 * complete.c - "issuemine __complete WORD...": what the shell may complete.
 *
 * The completion scripts (completion/issuemine.bash, completion/_issuemine)
 * run "issuemine __complete [--describe] -- WORD... CURRENT" with the words
 * typed after "issuemine" and the word being completed (maybe ""), and
 * offer what it prints, one candidate per line ("candidate\tdescription"
 * with --describe), or complete file names when it prints ":files".
 *
 * Nothing here lists commands or options by hand: commands come from the
 * command table, options from the command itself. The command is run on the
 * words typed so far with an option hook set (opt_set_hook), so the first
 * parse_options it reaches (for "codes import", the subcommand's) hands over
 * its options and usage and the command goes no further. Subcommands and
 * positional arguments come from the usage lines; the values of options and
 * arguments that name things in the database (--sample, --rater, --query,
 * taxonomy show NAME...) are read from it, read-only, without creating it.
 * The command is hidden: help does not list it.
 */
#include "cli.h"
#include "commands.h"
#include "names.h"
#include "strbuf.h"
#include "xalloc.h"

#include <string.h>
#include <unistd.h>

/* What completion knows while the command runs up to its parse_options. */
static struct {
	const char **words; /* from the command's name to the word before the current one */
	size_t n;
	const char *cur;
	int describe;
} state;

/* Prints candidate if it starts with the current word (after prefix, which it keeps). */
static void offer(const char *prefix, const char *candidate, const char *description)
{
	size_t plen = strlen(prefix);
	if (strncmp(state.cur, prefix, plen) ||
	    strncmp(candidate, state.cur + plen, strlen(state.cur + plen)))
		return;
	if (state.describe && description && *description)
		printf("%s%s\t%s\n", prefix, candidate, description);
	else
		printf("%s%s\n", prefix, candidate);
}

static void offer_files(void)
{
	printf(":files\n");
}

static void offer_commands(void)
{
	for (const struct command *c = commands; c->name; c++)
		if (c->summary)
			offer("", c->name, c->summary);
}

/* --- names from the database --- */

struct offer_ctx {
	const char *prefix;
};

static void offer_name(const char *name, void *data)
{
	offer(((struct offer_ctx *)data)->prefix, name, NULL);
}

/* Offers the names of kind, after prefix (a list's earlier items: "alice,"). */
static void offer_names(enum names_kind kind, const char *prefix)
{
	struct store *s = NULL;
	struct error err;
	const char *path = cli_db_path();
	/* Only an existing database is read: completing must never create one. */
	if (access(path, R_OK) == 0 && store_open(path, STORE_READONLY, &s, &err))
		s = NULL;
	struct offer_ctx ctx = {prefix};
	names_list(s, kind, offer_name, &ctx, &err);
	store_close(s);
}

/* The names an option's value is, by the option's name; -1 when it is none of them. */
static int option_names(const char *long_name)
{
	static const struct {
		const char *option;
		enum names_kind kind;
	} table[] = {
	        {"sample", NAMES_SAMPLES},
	        {"from", NAMES_SETS},
	        {"set", NAMES_SETS},
	        {"rater", NAMES_RATERS},
	        {"raters", NAMES_RATERS},
	        {"as", NAMES_RATERS},
	        {"taxonomy", NAMES_TAXONOMIES},
	        {"releases", NAMES_RELEASES},
	        {"query", NAMES_QUERIES},
	        {"repo", NAMES_REPOSITORIES},
	        {"dimension", NAMES_DIMENSIONS},
	        {"clear", NAMES_DIMENSIONS},
	};
	for (size_t i = 0; long_name && i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].option, long_name))
			return (int)table[i].kind;
	return -1;
}

/* Offers "a|b|c" one by one. */
static void offer_choices(const char *prefix, const char *choices)
{
	while (*choices) {
		size_t len = strcspn(choices, "|");
		char *word = xstrndup(choices, len);
		offer(prefix, word, NULL);
		free(word);
		choices += len + (choices[len] == '|');
	}
}

/* Completes the value of option o; prefix is what precedes it in the word ("--format="). */
static void offer_value(const struct option *o, const char *prefix)
{
	if (o->type == OPT_CHOICE) {
		offer_choices(prefix, o->argh);
		return;
	}
	int kind = option_names(o->long_name);
	if (kind >= 0) {
		/* A list (--raters A,B): complete the item after the last comma. */
		const char *value = state.cur + strlen(prefix);
		const char *comma = strrchr(value, ',');
		struct strbuf p = STRBUF_INIT;
		strbuf_adds(&p, prefix);
		if (comma)
			strbuf_add(&p, value, (size_t)(comma - value) + 1);
		offer_names((enum names_kind)kind, p.buf);
		strbuf_release(&p);
		return;
	}
	if ((o->argh && strstr(o->argh, "FILE")) || !strcmp(o->long_name ? o->long_name : "", "db"))
		offer_files();
}

/* --- options --- */

static const struct option db_option = {OPT_STRING, 0, "db", NULL, "PATH", "database"};

static const struct option *find_option(const struct option *opts, const char *word)
{
	if (!strcmp(word, "--db"))
		return &db_option;
	for (const struct option *o = opts; o->type != OPT_END; o++) {
		if (!strncmp(word, "--", 2) && o->long_name && !strcmp(word + 2, o->long_name))
			return o;
		if (word[0] == '-' && word[1] && !word[2] && o->short_name == word[1])
			return o;
	}
	return NULL;
}

static void offer_options(const struct option *opts)
{
	char name[128];
	for (const struct option *o = opts; o->type != OPT_END; o++) {
		if (!o->long_name)
			continue;
		snprintf(name, sizeof(name), "--%s", o->long_name);
		offer("", name, o->help);
	}
	offer("", "--db", "the database");
	offer("", "--help", "show the command's help");
}

/* --- positional arguments, from the usage lines --- */

/* The words of the usage text of cmd, continuation lines joined, one string per usage line. */
static size_t usage_lines(const char *cmd, const char *const *usage, char ***out)
{
	size_t n = 0, alloc = 0;
	char **lines = NULL;
	char *head = xstrfmt("issuemine %s ", cmd);
	for (size_t i = 0; usage[i]; i++) {
		const char *u = usage[i];
		if (!strncmp(u, head, strlen(head)) || !strcmp(u, head)) {
			xgrow((void **)&lines, &alloc, n + 1, sizeof(*lines));
			lines[n++] = xstrdup(u + strlen(head));
		} else if (n && !strncmp(u, "issuemine ", 10)) {
			continue; /* another command's line: not ours */
		} else if (n) {
			char *joined = xstrfmt("%s %s", lines[n - 1], u);
			free(lines[n - 1]);
			lines[n - 1] = joined;
		}
	}
	free(head);
	*out = lines;
	return n;
}

/* A subcommand word: lower-case letters and '-', as "show" or "import". */
static int is_subcommand(const char *w, size_t len)
{
	if (!len || w[0] < 'a' || w[0] > 'z')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || w[i] == '-'))
			return 0;
	return 1;
}

/*
 * The placeholders of positional arguments in a usage line, in order
 * ("[NAME]" and "FILE..." give NAME and FILE...): bracketed option groups
 * ("[--format F]") and options with their values ("--sample S") are skipped.
 */
static size_t placeholders(const char *line, const struct option *opts, char ***out)
{
	size_t n = 0, alloc = 0;
	char **ph = NULL;
	const char *p = line;
	int skip_value = 0;
	while (*p) {
		p += strspn(p, " ");
		if (!*p)
			break;
		size_t len;
		if (*p == '[' || *p == '(') {
			/* A group: to its matching bracket. */
			int depth = 0;
			len = 0;
			do {
				depth += p[len] == '[' || p[len] == '(';
				depth -= p[len] == ']' || p[len] == ')';
				len++;
			} while (p[len] && depth);
			len += strspn(p + len, ".");
			const char *inner = p + 1;
			size_t ilen = strcspn(inner, " |])");
			if (*inner != '-' && *p == '[') {
				xgrow((void **)&ph, &alloc, n + 1, sizeof(*ph));
				ph[n++] = xstrndup(inner, ilen);
			} else if (*p == '(' && *inner != '-') {
				xgrow((void **)&ph, &alloc, n + 1, sizeof(*ph));
				ph[n++] = xstrndup(inner, ilen);
			}
			p += len;
			skip_value = 0;
			continue;
		}
		len = strcspn(p, " ");
		char *word = xstrndup(p, len);
		const struct option *o = word[0] == '-' ? find_option(opts, word) : NULL;
		if (word[0] == '-') {
			skip_value = o && o->type != OPT_BOOL;
		} else if (skip_value) {
			skip_value = 0;
		} else if (!is_subcommand(word, len)) {
			xgrow((void **)&ph, &alloc, n + 1, sizeof(*ph));
			ph[n++] = xstrdup(word);
		}
		free(word);
		p += len;
	}
	*out = ph;
	return n;
}

static void free_strings(char **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

/* Completes a positional argument named by placeholder ph of command name. */
static void offer_placeholder(const char *name, const char *ph)
{
	static const struct {
		const char *command;
		enum names_kind kind;
	} own[] = {
	        {"sets", NAMES_SETS},
	        {"taxonomy", NAMES_TAXONOMIES},
	        {"releases", NAMES_RELEASES},
	        {"queries", NAMES_SHIPPED_QUERIES},
	};
	if (!strcmp(ph, "COMMAND")) {
		offer_commands();
	} else if (!strcmp(ph, "OWNER/NAME")) {
		offer_names(NAMES_REPOSITORIES, "");
	} else if (strstr(ph, "FILE")) {
		offer_files();
	} else if (!strncmp(ph, "NAME", 4)) {
		for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			if (!strncmp(name, own[i].command, strlen(own[i].command)))
				offer_names(own[i].kind, "");
	}
}

/* The positional words typed after the command's own words, skipping options and values. */
static size_t positionals(size_t first, const struct option *opts, const char **out)
{
	size_t n = 0;
	for (size_t i = first; i < state.n; i++) {
		const char *w = state.words[i];
		if (!strcmp(w, "--")) {
			while (++i < state.n)
				out[n++] = state.words[i];
			break;
		}
		if (w[0] == '-' && w[1]) {
			const struct option *o = strchr(w, '=') ? NULL : find_option(opts, w);
			if (o && o->type != OPT_BOOL)
				i++;
			continue;
		}
		out[n++] = w;
	}
	return n;
}

static void offer_positional(const char *cmd, const struct option *opts, const char *const *usage,
                             size_t first)
{
	const char **pos = xcalloc(state.n + 1, sizeof(*pos));
	size_t npos = positionals(first, opts, pos);
	char **lines;
	size_t nlines = usage_lines(cmd, usage, &lines);
	/* Subcommands: the first word of usage lines such as "show NAME", each once. */
	int has_sub = 0;
	for (size_t l = 0; l < nlines; l++) {
		size_t len = strcspn(lines[l], " ");
		if (!is_subcommand(lines[l], len))
			continue;
		has_sub = 1;
		int seen = 0;
		for (size_t e = 0; e < l && !seen; e++)
			seen = strcspn(lines[e], " ") == len && !strncmp(lines[e], lines[l], len);
		if (npos == 0 && !seen) {
			char *sub = xstrndup(lines[l], len);
			offer("", sub, NULL);
			free(sub);
		}
	}
	for (size_t l = 0; l < nlines && (npos > 0 || !has_sub); l++) {
		size_t len = strcspn(lines[l], " ");
		if (has_sub && (strlen(pos[0]) != len || strncmp(lines[l], pos[0], len)))
			continue;
		char **ph;
		size_t nph = placeholders(lines[l], opts, &ph);
		size_t k = npos - (size_t)has_sub;
		if (nph && k >= nph && strstr(ph[nph - 1], "..."))
			k = nph - 1;
		if (k < nph)
			offer_placeholder(cmd, ph[k]);
		free_strings(ph, nph);
		break;
	}
	free_strings(lines, nlines);
	free(pos);
}

/* --- the hook --- */

static size_t count_words(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* A --db among the command's words names the database the names come from. */
static void take_db_option(void)
{
	for (size_t i = 1; i < state.n; i++) {
		if (!strcmp(state.words[i], "--db") && i + 1 < state.n)
			opt_set_db_path(state.words[i + 1]);
		else if (!strncmp(state.words[i], "--db=", 5))
			opt_set_db_path(state.words[i] + 5);
	}
}

/* Runs inside the command's parse_options: completes and exits. */
static void complete_hook(const char *cmd, const struct option *opts, const char *const *usage)
{
	take_db_option();
	const char *prev = state.n > 1 ? state.words[state.n - 1] : "";
	const struct option *o =
	        prev[0] == '-' && !strchr(prev, '=') ? find_option(opts, prev) : NULL;
	const char *eq = strchr(state.cur, '=');
	if (o && o->type != OPT_BOOL) {
		offer_value(o, "");
	} else if (!strncmp(state.cur, "--", 2) && eq) {
		char *name = xstrndup(state.cur, (size_t)(eq - state.cur));
		char *prefix = xstrndup(state.cur, (size_t)(eq - state.cur) + 1);
		o = find_option(opts, name);
		if (o && o->type != OPT_BOOL)
			offer_value(o, prefix);
		free(name);
		free(prefix);
	} else if (state.cur[0] == '-') {
		offer_options(opts);
	} else {
		offer_positional(cmd, opts, usage, count_words(cmd));
	}
	fflush(stdout);
	exit(EXIT_SUCCESS);
}

/* Completes the word after "issuemine" and its global options. */
static void complete_first(const char *prev)
{
	if (!strcmp(prev, "--db")) {
		offer_files();
	} else if (state.cur[0] == '-') {
		offer("", "--db", "the database (default: $ISSUEMINE_DB, else ./issuemine.db)");
		offer("", "--help", "list the commands");
		offer("", "--version", "print the version");
	} else {
		offer_commands();
	}
}

int cmd_complete(int argc, const char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--describe"))
			state.describe = 1;
		else if (!strcmp(argv[i], "--"))
			break;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		return EXIT_SUCCESS;
	const char **words = argv + i;
	size_t nwords = (size_t)(argc - i) - 1; /* the words before the current one */
	state.cur = argv[argc - 1];
	/* Global options before the command. */
	size_t w = 0;
	while (w < nwords && words[w][0] == '-') {
		if (!strcmp(words[w], "--db") && w + 1 < nwords)
			opt_set_db_path(words[++w]);
		else if (!strncmp(words[w], "--db=", 5))
			opt_set_db_path(words[w] + 5);
		w++;
	}
	if (w == nwords) {
		complete_first(w ? words[w - 1] : "");
		return EXIT_SUCCESS;
	}
	const struct command *c = command_find(words[w]);
	if (!c || !c->summary || c->fn == cmd_complete)
		return EXIT_SUCCESS;
	state.words = words + w;
	state.n = nwords - w;
	/* The command sees the words typed so far, as it would run them, and stops at its parser.
	 */
	const char **args = xcalloc(state.n + 1, sizeof(*args));
	memcpy(args, state.words, state.n * sizeof(*args));
	opt_set_hook(complete_hook);
	c->fn((int)state.n, args);
	free(args);
	return EXIT_SUCCESS;
}
