/* form.c - application/x-www-form-urlencoded encoding and query-string lookup. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "util/aa_util.h"

static int is_unreserved(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
	       ch == '~';
}

/* Escaped length of s, so the output is allocated once. */
static size_t escaped_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (is_unreserved((unsigned char)*s) || *s == ' ') ? 1 : 3;
	return n;
}

static char *escape_into(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (is_unreserved(ch)) {
			*out++ = (char)ch;
		} else if (ch == ' ') {
			*out++ = '+';
		} else {
			*out++ = '%';
			*out++ = hex[ch >> 4];
			*out++ = hex[ch & 15];
		}
	}
	*out = '\0';
	return out;
}

char *aa_form_escape(const char *s)
{
	char *out = malloc(escaped_len(s) + 1);

	if (out)
		escape_into(out, s);
	return out;
}

char *aa_form_encode(const char *const *pairs)
{
	size_t len = 1;
	char *out, *p;

	for (size_t i = 0; pairs[i]; i += 2) {
		if (!pairs[i + 1])
			continue;
		len += escaped_len(pairs[i]) + escaped_len(pairs[i + 1]) + 2;
	}
	out = malloc(len);
	if (!out)
		return NULL;
	p = out;
	*p = '\0';
	for (size_t i = 0; pairs[i]; i += 2) {
		if (!pairs[i + 1])
			continue;
		if (p != out)
			*p++ = '&';
		p = escape_into(p, pairs[i]);
		*p++ = '=';
		p = escape_into(p, pairs[i + 1]);
	}
	return out;
}

/* Decode s[0..len) ('+' is a space, %XX a byte; a broken escape stays as is). */
static char *decode_component(const char *s, size_t len)
{
	char *out = malloc(len + 1), *p = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '+') {
			*p++ = ' ';
		} else if (s[i] == '%' && i + 2 < len &&
			   (hi = aa_hex_digit(s[i + 1])) >= 0 &&
			   (lo = aa_hex_digit(s[i + 2])) >= 0) {
			*p++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return out;
}

char *aa_form_get(const char *query, const char *name)
{
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		const char *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *key;
		int match;

		eq = memchr(p, '=', len);
		key = decode_component(p, eq ? (size_t)(eq - p) : len);
		if (!key)
			return NULL;
		match = strcmp(key, name) == 0;
		free(key);
		if (match)
			return eq ? decode_component(eq + 1, len - (size_t)(eq - p) - 1)
				  : aa_strdup0("");
		p = end ? end + 1 : NULL;
	}
	return NULL;
}
