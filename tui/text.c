/*
 * text.c - UTF-8 decoding, cell widths, fitting and wrapping (see text.h).
 *
 * Widths come from the C library's wcwidth(), as they do for ncurses and
 * for terminal emulators such as tmux, so that the three agree on where
 * each character ends.
 */
#include "text.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

static int utf8_locale;

void text_init(void)
{
	const char *codeset = nl_langinfo(CODESET);
	utf8_locale = codeset && (!strcasecmp(codeset, "UTF-8") || !strcasecmp(codeset, "utf8"));
}

int text_locale_is_utf8(void)
{
	return utf8_locale;
}

uint32_t text_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i;
	uint32_t c = p[0];
	size_t n;
	uint32_t min;
	if (c < 0x80) {
		(*i)++;
		return c;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, min = 0x80, c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, min = 0x800, c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, min = 0x10000, c &= 0x07;
	} else {
		(*i)++;
		return 0xfffd;
	}
	if (left < n) {
		(*i)++;
		return 0xfffd;
	}
	for (size_t k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		c = (c << 6) | (p[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		(*i)++;
		return 0xfffd;
	}
	*i += n;
	return c;
}

uint32_t text_shown(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return '?';
	if (c < 0x80)
		return c;
	if (!utf8_locale || wcwidth((wchar_t)c) < 0)
		return '?';
	return c;
}

int text_char_width(uint32_t c)
{
	c = text_shown(c);
	if (c < 0x80)
		return 1;
	return wcwidth((wchar_t)c);
}

int text_width(const char *s, size_t len)
{
	int w = 0;
	for (size_t i = 0; i < len;)
		w += text_char_width(text_next(s, len, &i));
	return w;
}

size_t text_fit(const char *s, size_t len, int width, int *used)
{
	size_t i = 0;
	int w = 0;
	while (i < len) {
		size_t next = i;
		int cw = text_char_width(text_next(s, len, &next));
		if (w + cw > width)
			break;
		w += cw;
		i = next;
	}
	if (used)
		*used = w;
	return i;
}

void text_wrap(const char *s, size_t len, int width,
               void (*emit)(void *ctx, size_t off, size_t len), void *ctx)
{
	if (width < 1)
		width = 1;
	if (!len) {
		emit(ctx, 0, 0);
		return;
	}
	size_t start = 0;
	while (start < len) {
		/* brk: where the last run of spaces begins; resume: the character after it */
		size_t i = start, brk = start, resume = start;
		int w = 0, in_space = 0;
		while (i < len) {
			size_t next = i;
			uint32_t c = text_next(s, len, &next);
			if (c == ' ') {
				if (!in_space && i > start)
					brk = i;
				in_space = 1;
				resume = next;
			} else {
				in_space = 0;
			}
			int cw = text_char_width(c);
			if (w + cw > width)
				break;
			w += cw;
			i = next;
		}
		if (i >= len) {
			emit(ctx, start, len - start);
			return;
		}
		if (brk > start) { /* break at the spaces, which no piece shows */
			emit(ctx, start, brk - start);
			start = resume;
			while (start < len && s[start] == ' ')
				start++;
			continue;
		}
		if (i == start) /* not even one character fits: take it anyway */
			text_next(s, len, &i);
		emit(ctx, start, i - start);
		start = i;
	}
}

void text_add_utf8(struct strbuf *sb, uint32_t c)
{
	char b[4];
	size_t n;
	if (c < 0x80) {
		b[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6)), b[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12)), b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		b[0] = (char)(0xf0 | (c >> 18)), b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f)), b[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	strbuf_add(sb, b, n);
}

void text_drop_last(struct strbuf *sb)
{
	size_t len = sb->len;
	while (len > 0 && ((unsigned char)sb->buf[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	strbuf_setlen(sb, len);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

const char *text_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	if (!n || n > len)
		return NULL;
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && lower((unsigned char)s[i + k]) == lower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return s + i;
	}
	return NULL;
}

void text_add_clean(struct strbuf *sb, const char *s)
{
	size_t column = 0; /* bytes since the last newline, close enough for tab stops */
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\t') {
			do
				strbuf_addch(sb, ' ');
			while (++column % 4);
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n')
			column = 0;
		else
			column++;
		strbuf_addch(sb, c != '\n' && (c < 0x20 || c == 0x7f) ? '?' : (char)c);
	}
}
