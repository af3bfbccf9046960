/* SPDX-License-Identifier: BSD-3-Clause */
/* secret.c - heap buffers for keys and tokens that are wiped before they are freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* One allocation: the length, then the bytes and a terminating NUL. */
struct aa_secret {
	size_t len;
	char bytes[];
};

void aa_memzero(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

aa_secret *aa_secret_new(const char *bytes, size_t len)
{
	aa_secret *s;

	if (!bytes && len)
		return NULL;
	if (len > SIZE_MAX - sizeof(*s) - 1)
		return NULL;
	s = malloc(sizeof(*s) + len + 1);
	if (!s)
		return NULL;
	s->len = len;
	if (len)
		memcpy(s->bytes, bytes, len);
	s->bytes[len] = '\0';
	return s;
}

aa_secret *aa_secret_from_str(const char *str)
{
	return str ? aa_secret_new(str, strlen(str)) : NULL;
}

aa_secret *aa_secret_dup(const aa_secret *s)
{
	return s ? aa_secret_new(s->bytes, s->len) : NULL;
}

const char *aa_secret_str(const aa_secret *s)
{
	return s ? s->bytes : NULL;
}

size_t aa_secret_len(const aa_secret *s)
{
	return s ? s->len : 0;
}

/*
 * Time depends only on the two lengths, never on where the bytes first
 * differ, so a caller comparing a presented key cannot be timed into
 * guessing it byte by byte.
 */
int aa_secret_equal(const aa_secret *a, const char *str)
{
	size_t n, i;
	unsigned char diff;

	if (!a || !str)
		return 0;
	n = strlen(str);
	diff = (unsigned char)(n != a->len);
	for (i = 0; i < a->len; i++) {
		unsigned char c = i < n ? (unsigned char)str[i] : 0;

		diff |= (unsigned char)((unsigned char)a->bytes[i] ^ c);
	}
	return diff == 0;
}

void aa_secret_free(aa_secret *s)
{
	if (!s)
		return;
	aa_memzero(s->bytes, s->len);
	s->len = 0;
	free(s);
}

void aa_free_secret_str(char *s)
{
	if (!s)
		return;
	aa_memzero(s, strlen(s));
	free(s);
}
