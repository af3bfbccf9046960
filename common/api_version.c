/* SPDX-License-Identifier: BSD-3-Clause */
/* api_version.c - comparing the Api-Version we send with a server's Min-Api-Version (semantic versions). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#define MAX_TEXT 128

/* A version split into its core numbers and the prerelease text. */
typedef struct semver {
	unsigned long long core[3];
	char pre[MAX_TEXT]; /* "" when none */
} semver;

static int is_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * "MAJOR.MINOR.PATCH[-pre][+build]". Leading zeros of the numbers are
 * allowed (servers date their API, "2025.01.07"); 0.15 strips them before
 * parsing. Returns 0 when the text is not such a version.
 */
static int parse_semver(const char *text, semver *v)
{
	size_t len = strcspn(text, "+"); /* build metadata never counts */
	const char *p = text, *end = text + len, *dash;

	memset(v, 0, sizeof(*v));
	if (len == 0 || len >= MAX_TEXT)
		return 0;
	dash = memchr(text, '-', len);
	if (dash) {
		if (dash + 1 == end)
			return 0;
		memcpy(v->pre, dash + 1, (size_t)(end - dash - 1));
		end = dash;
	}
	for (int i = 0; i < 3; i++) {
		size_t n = strcspn(p, ".-+");

		if (p + n > end || !is_digits(p, n) || n > 18)
			return 0;
		v->core[i] = strtoull(p, NULL, 10);
		p += n;
		if (i < 2 && (p >= end || *p != '.'))
			return 0;
		p++;
	}
	return p - 1 == end;
}

/* SemVer 11.4: identifiers compared one by one, numbers below words. */
static int cmp_pre(const char *a, const char *b)
{
	if (!*a || !*b)
		return (!*a) - (!*b); /* no prerelease ranks higher */
	while (*a && *b) {
		size_t na = strcspn(a, "."), nb = strcspn(b, ".");
		int da = is_digits(a, na), db = is_digits(b, nb), c;

		if (da && db)
			c = na != nb ? (na < nb ? -1 : 1) : strncmp(a, b, na);
		else if (da || db)
			c = da ? -1 : 1;
		else if (!(c = strncmp(a, b, na < nb ? na : nb)))
			c = (na > nb) - (na < nb); /* a prefix ranks lower */
		if (c)
			return c < 0 ? -1 : 1;
		a += na + (a[na] == '.');
		b += nb + (b[nb] == '.');
	}
	return (*a != '\0') - (*b != '\0');
}

int aa_api_version_below(const char *ours, const char *minimum)
{
	semver a, b;

	if (!ours || !minimum || !parse_semver(ours, &a) || !parse_semver(minimum, &b))
		return 0; /* not comparable: say nothing, as 0.15 does */
	for (int i = 0; i < 3; i++)
		if (a.core[i] != b.core[i])
			return a.core[i] < b.core[i];
	return cmp_pre(a.pre, b.pre) < 0;
}
