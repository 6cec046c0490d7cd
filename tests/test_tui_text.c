/*
 * test_tui_text.c - the UI's UTF-8 text handling and keystroke scripts: cell
 * widths of CJK, emoji and combining marks, fitting without splitting a wide
 * character, wrapping, cleaning control characters, and the script format.
 */
#include "test.h"

#include "screen.h"
#include "script.h"
#include "strbuf.h"
#include "text.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static void test_decode(void)
{
	const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80";
	size_t i = 0, len = strlen(s);
	CHECK_INT(text_next(s, len, &i), 'a');
	CHECK_INT(text_next(s, len, &i), 0xe9);
	CHECK_INT(text_next(s, len, &i), 0x4e2d);
	CHECK_INT(text_next(s, len, &i), 0x1f600);
	CHECK_INT(i, len);
	/* Broken UTF-8: a lone continuation byte, a truncated sequence, an overlong form. */
	const char *bad = "\x80z\xe4\xb8";
	i = 0;
	CHECK_INT(text_next(bad, 4, &i), 0xfffd);
	CHECK_INT(text_next(bad, 4, &i), 'z');
	CHECK_INT(text_next(bad, 4, &i), 0xfffd);
	CHECK_INT(i, 3);
	i = 0;
	CHECK_INT(text_next("\xc0\xaf", 2, &i), 0xfffd);
	CHECK_INT(i, 1);
}

static void test_widths(void)
{
	CHECK_INT(text_char_width('a'), 1);
	CHECK_INT(text_char_width(0x4e2d), 2);  /* 中 */
	CHECK_INT(text_char_width(0x1f600), 2); /* 😀 */
	CHECK_INT(text_char_width(0x301), 0);   /* combining acute */
	CHECK_INT(text_char_width('\t'), 1);    /* shown as '?' */
	CHECK_INT(text_shown(0x07), '?');
	CHECK_INT(text_width("中文ab", strlen("中文ab")), 6);
	int used;
	/* "中文" in 3 cells: only the first fits; a wide character is never cut. */
	CHECK_INT(text_fit("中文", strlen("中文"), 3, &used), 3);
	CHECK_INT(used, 2);
	CHECK_INT(text_fit("ab", 2, 10, &used), 2);
	CHECK_INT(used, 2);
}

struct pieces {
	char text[16][64];
	int n;
	const char *src;
};

static void piece(void *ctx, size_t off, size_t len)
{
	struct pieces *p = ctx;
	if (p->n < 16)
		snprintf(p->text[p->n], sizeof(p->text[0]), "%.*s", (int)len, p->src + off);
	p->n++;
}

static struct pieces wrap(const char *s, int width)
{
	struct pieces p = {.src = s};
	text_wrap(s, strlen(s), width, piece, &p);
	return p;
}

static void test_wrap(void)
{
	struct pieces p = wrap("the quick brown fox", 10);
	CHECK_INT(p.n, 2);
	CHECK_STR(p.text[0], "the quick");
	CHECK_STR(p.text[1], "brown fox");
	p = wrap("abcdefghijkl", 5); /* a word longer than the line is cut */
	CHECK_INT(p.n, 3);
	CHECK_STR(p.text[2], "kl");
	p = wrap("中文中文中", 5); /* 10 cells: two per line, never a half */
	CHECK_INT(p.n, 3);
	CHECK_STR(p.text[0], "中文");
	CHECK_STR(p.text[2], "中");
	p = wrap("", 10);
	CHECK_INT(p.n, 1);
	CHECK_STR(p.text[0], "");
	p = wrap("ab    cd", 4); /* spaces at a break are shown by neither piece */
	CHECK_INT(p.n, 2);
	CHECK_STR(p.text[0], "ab");
	CHECK_STR(p.text[1], "cd");
	p = wrap("x 😀😀", 3);
	CHECK_INT(p.n, 3);
	CHECK_STR(p.text[0], "x");
	CHECK_STR(p.text[1], "😀");
	p = wrap("fits exactly", 12);
	CHECK_INT(p.n, 1);
}

static void test_edit_and_find(void)
{
	struct strbuf sb = STRBUF_INIT;
	text_add_utf8(&sb, 'a');
	text_add_utf8(&sb, 0x4e2d);
	text_add_utf8(&sb, 0x1f600);
	CHECK_STR(sb.buf, "a中😀");
	text_drop_last(&sb);
	CHECK_STR(sb.buf, "a中");
	text_drop_last(&sb);
	text_drop_last(&sb);
	text_drop_last(&sb);
	CHECK_STR(sb.buf, "");
	strbuf_reset(&sb);
	text_add_clean(&sb, "a\tb\r\nc\x01\t|");
	CHECK_STR(sb.buf, "a   b\nc?  |");
	strbuf_release(&sb);
	const char *hay = "Export of ONNX model";
	CHECK(text_find(hay, strlen(hay), "onnx") == hay + 10);
	CHECK(text_find(hay, strlen(hay), "tflite") == NULL);
	CHECK(text_find(hay, 3, "export") == NULL);
}

/* Opens a script of text; with want_error, expects script_open to fail with it. */
static struct script *script_of_checked(const char *text, const char *want_error)
{
	char *dir = test_tmpdir();
	char *path = test_path(dir, "keys");
	struct script *sc = NULL;
	struct error err = {{0}};
	test_write_file(path, text);
	int rc = script_open(path, &sc, &err);
	if (!want_error && rc)
		test_fail(__FILE__, __LINE__, "%s", err.msg);
	if (want_error && (!rc || !strstr(err.msg, want_error)))
		test_fail(__FILE__, __LINE__, "'%s': error '%s' lacks '%s'", text, err.msg,
		          want_error);
	if (want_error && !rc)
		script_close(sc);
	free(path);
	free(dir);
	return rc ? NULL : sc;
}

static struct script *script_of(const char *text)
{
	return script_of_checked(text, NULL);
}

static void test_script(void)
{
	struct script *sc = script_of("# comment\n3b\n<Enter><C-d><lt> é\n:resize 100x30\n"
	                              ":dump out.txt\n<Down>\n");
	struct script_action a;
	struct error err;
	int want[] = {'3', 'b', '\n', 4, '<', ' ', 0xe9};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_INT(script_next(sc, &a, &err), 1);
		CHECK_INT(a.step, SCRIPT_KEY);
		CHECK_INT(a.key, want[i]);
	}
	CHECK_INT(script_next(sc, &a, &err), 1);
	CHECK_INT(a.step, SCRIPT_RESIZE);
	CHECK_INT(a.cols, 100);
	CHECK_INT(a.rows, 30);
	CHECK_INT(script_next(sc, &a, &err), 1);
	CHECK_INT(a.step, SCRIPT_DUMP);
	CHECK_STR(a.path, "out.txt");
	CHECK_INT(script_next(sc, &a, &err), 1);
	CHECK_INT(a.key, SCREEN_KEY(KEY_DOWN));
	CHECK_INT(script_next(sc, &a, &err), 0);
	script_close(sc);

	/* A bad line anywhere fails the open: nothing of the script runs. */
	CHECK(script_of_checked("j\n<Nope>\n", "line 2: unknown key <Nope>") == NULL);
	script_of_checked(":explode\n", "line 1: unknown command ':explode'");
	script_of_checked("j\n:resize 80\n", "line 2: bad arguments in ':resize 80'");
	script_of_checked("j\n:dump\n", "line 2: bad arguments in ':dump'");
	script_of_checked("ab<Enter\n", "line 1: '<' without '>'");

	char name[32];
	script_key_name('\n', name, sizeof(name));
	CHECK_STR(name, "<Enter>");
	script_key_name(4, name, sizeof(name));
	CHECK_STR(name, "<C-d>");
	script_key_name(0x4e2d, name, sizeof(name));
	CHECK_STR(name, "中");
	int rows, cols;
	CHECK_INT(script_parse_size("80x24", &rows, &cols), 0);
	CHECK_INT(rows, 24);
	CHECK_INT(script_parse_size("80x", &rows, &cols), -1);
	CHECK_INT(script_parse_size("5x5", &rows, &cols), -1);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		printf("skipped: no C.UTF-8 locale\n");
		return 0;
	}
	text_init();
	TEST(test_decode);
	TEST(test_widths);
	TEST(test_wrap);
	TEST(test_edit_and_find);
	TEST(test_script);
	return test_done();
}
