/*
 * script.c - keystroke scripts and timing traces (see script.h).
 */
#include "script.h"
#include "screen.h"
#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

struct script {
	char *path;
	char *text;      /* the whole file */
	size_t len, pos; /* where reading is */
	long line;       /* the line pos is on (1-based) */
	int in_keys;     /* pos is inside a line of keys */
	char *arg;       /* the argument of the last command */
};

static const struct {
	const char *name;
	int key;
} named_keys[] = {
        {"Enter", SCREEN_ENTER},
        {"Esc", SCREEN_ESC},
        {"Tab", SCREEN_TAB},
        {"Backspace", SCREEN_BACKSPACE},
        {"Space", ' '},
        {"LT", '<'},
        {"Up", SCREEN_KEY(KEY_UP)},
        {"Down", SCREEN_KEY(KEY_DOWN)},
        {"Left", SCREEN_KEY(KEY_LEFT)},
        {"Right", SCREEN_KEY(KEY_RIGHT)},
        {"PgUp", SCREEN_KEY(KEY_PPAGE)},
        {"PgDown", SCREEN_KEY(KEY_NPAGE)},
        {"Home", SCREEN_KEY(KEY_HOME)},
        {"End", SCREEN_KEY(KEY_END)},
};

static void rewind_script(struct script *sc)
{
	sc->pos = 0;
	sc->line = 1;
	sc->in_keys = 0;
}

/*
 * Reads the script through once, so that a bad line is an error before the
 * UI starts rather than after it has already saved the keys above it.
 */
static int check_script(struct script *sc, struct error *err)
{
	struct script_action a;
	int rc;
	rewind_script(sc);
	while ((rc = script_next(sc, &a, err)) > 0)
		;
	rewind_script(sc);
	return rc;
}

int script_open(const char *path, struct script **out, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	if (strbuf_read_file(&sb, path, err)) {
		strbuf_release(&sb);
		return -1;
	}
	struct script *sc = xcalloc(1, sizeof(*sc));
	sc->path = xstrdup(path);
	sc->len = sb.len;
	sc->text = strbuf_detach(&sb, NULL);
	if (check_script(sc, err)) {
		script_close(sc);
		return -1;
	}
	*out = sc;
	return 0;
}

void script_close(struct script *sc)
{
	if (!sc)
		return;
	free(sc->path);
	free(sc->text);
	free(sc->arg);
	free(sc);
}

int script_parse_size(const char *s, int *rows, int *cols)
{
	char *end;
	long c = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *r = end + 1;
	long l = strtol(r, &end, 10);
	if (end == r || *end || c < 20 || c > 1000 || l < 5 || l > 1000)
		return -1;
	*rows = (int)l;
	*cols = (int)c;
	return 0;
}

/* The rest of the current line (without its newline); advances past it. */
static const char *take_line(struct script *sc, size_t *len)
{
	const char *start = sc->text + sc->pos;
	const char *nl = memchr(start, '\n', sc->len - sc->pos);
	*len = nl ? (size_t)(nl - start) : sc->len - sc->pos;
	sc->pos += *len + (nl != NULL);
	sc->line++;
	if (*len && start[*len - 1] == '\r')
		(*len)--;
	return start;
}

static int command(struct script *sc, struct script_action *a, struct error *err)
{
	long line = sc->line;
	size_t len;
	const char *text = take_line(sc, &len);
	free(sc->arg);
	sc->arg = xstrndup(text + 1, len - 1);
	char *arg = strchr(sc->arg, ' ');
	if (arg)
		*arg++ = '\0';
	if (!strcmp(sc->arg, "dump") && arg && *arg) {
		a->step = SCRIPT_DUMP;
		a->path = arg;
		return 1;
	}
	if (!strcmp(sc->arg, "resize") && arg && !script_parse_size(arg, &a->rows, &a->cols)) {
		a->step = SCRIPT_RESIZE;
		return 1;
	}
	return error_set(err, "%s: line %ld: %s ':%.*s' (:dump FILE, :resize COLSxROWS)", sc->path,
	                 line,
	                 strcmp(sc->arg, "dump") && strcmp(sc->arg, "resize") ? "unknown command"
	                                                                      : "bad arguments in",
	                 (int)len - 1, text + 1);
}

static int named_key(struct script *sc, struct script_action *a, struct error *err)
{
	const char *start = sc->text + sc->pos + 1;
	const char *close = start;
	while (close < sc->text + sc->len && *close != '>' && *close != '\n')
		close++;
	if (close >= sc->text + sc->len || *close != '>')
		return error_set(err, "%s: line %ld: '<' without '>' (write <LT> for '<')",
		                 sc->path, sc->line);
	size_t len = (size_t)(close - start);
	a->step = SCRIPT_KEY;
	sc->pos = (size_t)(close - sc->text) + 1;
	if (len == 3 && (start[0] == 'C' || start[0] == 'c') && start[1] == '-' &&
	    ((start[2] >= 'a' && start[2] <= 'z') || (start[2] >= 'A' && start[2] <= 'Z'))) {
		a->key = (start[2] | 0x20) - 'a' + 1;
		return 1;
	}
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
		if (strlen(named_keys[i].name) == len &&
		    !strncasecmp(named_keys[i].name, start, len)) {
			a->key = named_keys[i].key;
			return 1;
		}
	}
	return error_set(err, "%s: line %ld: unknown key <%.*s>", sc->path, sc->line, (int)len,
	                 start);
}

int script_next(struct script *sc, struct script_action *a, struct error *err)
{
	for (;;) {
		if (sc->pos >= sc->len)
			return 0;
		char c = sc->text[sc->pos];
		if (sc->in_keys && (c == '\n' || c == '\r')) {
			sc->in_keys = 0;
			sc->pos +=
			        c == '\r' && sc->pos + 1 < sc->len && sc->text[sc->pos + 1] == '\n';
			sc->pos++;
			sc->line++;
			continue;
		}
		if (!sc->in_keys) {
			size_t len;
			if (c == '#' || c == '\n' || c == '\r') {
				take_line(sc, &len);
				continue;
			}
			if (c == ':')
				return command(sc, a, err);
			sc->in_keys = 1;
		}
		if (c == '<')
			return named_key(sc, a, err);
		a->step = SCRIPT_KEY;
		a->key = (int)text_next(sc->text, sc->len, &sc->pos);
		return 1;
	}
}

void script_key_name(int key, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
		if (named_keys[i].key == key) {
			snprintf(buf, size, "<%s>", named_keys[i].name);
			return;
		}
	}
	if (key > 0 && key < 27) {
		snprintf(buf, size, "<C-%c>", 'a' + key - 1);
	} else if (key >= SCREEN_KEY(0)) {
		snprintf(buf, size, "<key %d>", key - SCREEN_KEY(0));
	} else {
		struct strbuf sb = STRBUF_INIT;
		text_add_utf8(&sb, (uint32_t)key);
		snprintf(buf, size, "%s", sb.buf);
		strbuf_release(&sb);
	}
}

static FILE *trace_file;

void trace_open(const char *path)
{
	if (path && *path)
		trace_file = fopen(path, "a");
}

void trace_event(const char *event, const char *detail)
{
	if (!trace_file)
		return;
	struct timeval tv;
	gettimeofday(&tv, NULL);
	fprintf(trace_file, "%lld.%06ld %s%s%s\n", (long long)tv.tv_sec, (long)tv.tv_usec, event,
	        detail ? " " : "", detail ? detail : "");
	fflush(trace_file);
}

void trace_close(void)
{
	if (trace_file)
		fclose(trace_file);
	trace_file = NULL;
}
