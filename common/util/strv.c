/* SPDX-License-Identifier: BSD-3-Clause */
/* strv.c - building NULL-terminated vectors of malloc'd strings. */
#include <stdlib.h>
#include <string.h>

#include "util/aa_util.h"

int aa_strv_push(char ***v, size_t *n, char *s)
{
	char **grown;

	if (!s)
		return -1;
	grown = realloc(*v, (*n + 2) * sizeof(*grown));
	if (!grown) {
		free(s);
		return -1;
	}
	*v = grown;
	grown[(*n)++] = s;
	grown[*n] = NULL;
	return 0;
}

int aa_strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}
