/* SPDX-License-Identifier: BSD-3-Clause */
/* buf.c - growing memory that may hold secrets without leaving copies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/aa_util.h"

char *aa_grow_wiped(char *buf, size_t used, size_t cap)
{
	char *bigger = malloc(cap);

	if (!bigger)
		return NULL;
	if (buf) {
		if (used)
			memcpy(bigger, buf, used);
		aa_memzero(buf, used);
		free(buf);
	}
	return bigger;
}

int aa_reserve_wiped(char **buf, size_t *cap, size_t used, size_t need,
		     size_t first)
{
	size_t c = *cap ? *cap : first;
	char *bigger;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	bigger = aa_grow_wiped(*buf, used, c);
	if (!bigger)
		return -1;
	*buf = bigger;
	*cap = c;
	return 0;
}

void aa_kbuf_put(struct aa_kbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (n > SIZE_MAX / 4 - b->len ||
	    aa_reserve_wiped(&b->p, &b->cap, b->len, b->len + n + 1, 256) < 0) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void aa_kbuf_puts(struct aa_kbuf *b, const char *s)
{
	aa_kbuf_put(b, s, strlen(s));
}

void aa_kbuf_free(struct aa_kbuf *b)
{
	if (b->p) {
		aa_memzero(b->p, b->cap);
		free(b->p);
	}
	memset(b, 0, sizeof(*b));
}
