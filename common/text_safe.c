/* SPDX-License-Identifier: BSD-3-Clause */
/* text_safe.c - make text that came from a server (or a browser) safe to print on a terminal. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Length of the well-formed UTF-8 sequence at s (1-4), or 0 if there is none. */
static size_t utf8_len(const unsigned char *s, unsigned *cp)
{
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	*cp = s[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3Fu);
	}
	/* overlong forms, UTF-16 surrogates and values past U+10FFFF are not text */
	if ((n == 3 && *cp < 0x800) || (n == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)) ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

/*
 * C0 and C1 controls and DEL start terminal escape sequences; the bidi
 * marks, overrides and isolates make a line read differently from what it
 * says, and the Unicode line and paragraph separators break a line where
 * the reader sees none.
 */
static int is_control(unsigned cp, unsigned flags)
{
	if (cp == '\n' && (flags & AA_TEXT_KEEP_NEWLINES))
		return 0;
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void aa_text_safe_inplace(char *s, unsigned flags)
{
	unsigned char *in = (unsigned char *)s, *out = (unsigned char *)s;

	if (!s)
		return;
	while (*in) {
		unsigned cp = 0;
		size_t n = utf8_len(in, &cp);

		if (n == 0) {
			/* a stray byte could be an 8-bit control on a Latin-1 terminal */
			*out++ = '?';
			in++;
		} else if (is_control(cp, flags)) {
			in += n;
		} else {
			memmove(out, in, n);
			out += n;
			in += n;
		}
	}
	*out = '\0';
}

char *aa_text_safe(const char *s, unsigned flags)
{
	/* strdup, not aa_strdup0: text_safe.c stays a leaf below error.c */
	char *copy = s ? strdup(s) : NULL;

	aa_text_safe_inplace(copy, flags);
	return copy;
}
