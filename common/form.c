/* SPDX-License-Identifier: BSD-3-Clause */
/* form.c - application/x-www-form-urlencoded encoding and query-string lookup. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "util/aa_util.h"

char *aa_form_encode(const char *const *pairs)
{
	size_t len = 1;
	char *out, *p;

	for (size_t i = 0; pairs[i]; i += 2) {
		if (!pairs[i + 1])
			continue;
		len += aa_percent_encoded_len(pairs[i]) + aa_percent_encoded_len(pairs[i + 1]) + 2;
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
		p = aa_percent_encode_into(p, pairs[i]);
		*p++ = '=';
		p = aa_percent_encode_into(p, pairs[i + 1]);
	}
	return out;
}

/* A query component decoded; a broken escape stays as written. */
static char *decode_component(const char *s, size_t len)
{
	int broken;

	return aa_percent_decode(s, len, NULL, &broken);
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
