/*
 * termsafe.c - escaping control characters for the terminal (see termsafe.h).
 */
#include "termsafe.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

size_t termsafe_utf8_len(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (!len)
		return 0;
	if (u[0] < 0x80) {
		if (cp)
			*cp = u[0];
		return 1;
	}
	size_t n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
	if (!n || n > len || u[0] > 0xF4)
		return 0;
	unsigned v = u[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (u[i] & 0x3F);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8. */
	static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (v < min[n] || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
		return 0;
	if (cp)
		*cp = v;
	return n;
}

/* The escape for code point cp, or NULL when it is shown as it is. */
static const char *escape_of(unsigned cp, int flags, char *buf, size_t size)
{
	if (cp == '\t' && (flags & TERMSAFE_KEEP_TABS))
		return NULL;
	if (cp == '\n' && (flags & TERMSAFE_KEEP_NEWLINES))
		return NULL;
	if (cp == '\n')
		return "\\n";
	if (cp == '\r')
		return "\\r";
	if (cp == '\t')
		return "\\t";
	if (cp < 0x20 || cp == 0x7F) {
		snprintf(buf, size, "\\x%02x", cp);
		return buf;
	}
	if (cp >= 0x80 && cp <= 0x9F) {
		snprintf(buf, size, "\\u%04x", cp);
		return buf;
	}
	return NULL;
}

void termsafe_add(struct strbuf *out, const char *s, size_t len, int flags)
{
	char buf[16];
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		size_t n = termsafe_utf8_len(s + i, len - i, &cp);
		if (!n) {
			snprintf(buf, sizeof(buf), "\\x%02x", (unsigned char)s[i]);
			strbuf_adds(out, buf);
			i++;
			continue;
		}
		const char *esc = escape_of(cp, flags, buf, sizeof(buf));
		if (esc)
			strbuf_adds(out, esc);
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
}

char *termsafe_dup(const char *s, int flags)
{
	struct strbuf sb = STRBUF_INIT;
	if (s)
		termsafe_add(&sb, s, strlen(s), flags);
	return strbuf_detach(&sb, NULL);
}

int termsafe_is_clean(const char *s, size_t len, int flags)
{
	char buf[16];
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = termsafe_utf8_len(s + i, len - i, &cp);
		if (!n || escape_of(cp, flags, buf, sizeof(buf)))
			return 0;
		i += n;
	}
	return 1;
}
