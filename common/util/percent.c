/* SPDX-License-Identifier: BSD-3-Clause */
/* percent.c - percent-encoding as HTML forms and Python's quote_plus do it. */
#include <stdlib.h>
#include <string.h>

#include "util/aa_util.h"

static int is_unreserved(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
	       ch == '~';
}

size_t aa_percent_encoded_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (is_unreserved((unsigned char)*s) || *s == ' ') ? 1 : 3;
	return n;
}

char *aa_percent_encode_into(char *out, const char *s)
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

char *aa_percent_encode(const char *s)
{
	char *out = malloc(aa_percent_encoded_len(s) + 1);

	if (out)
		aa_percent_encode_into(out, s);
	return out;
}

char *aa_percent_decode(const char *s, size_t len, size_t *out_len, int *broken)
{
	char *out = malloc(len + 1), *p = out;

	*broken = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int hi = -1, lo = -1;

		if (s[i] == '%' && i + 2 < len) {
			hi = aa_hex_digit(s[i + 1]);
			lo = hi < 0 ? -1 : aa_hex_digit(s[i + 2]);
		}
		if (s[i] == '+') {
			*p++ = ' ';
		} else if (s[i] == '%' && lo >= 0) {
			*p++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*broken += s[i] == '%';
			*p++ = s[i];
		}
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t)(p - out);
	return out;
}
