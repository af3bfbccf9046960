/* buf.c - growing memory that may hold secrets without leaving copies. */
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
