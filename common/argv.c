/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * argv.c - matching a "--name VALUE" / "--name=VALUE" option, shared by the
 * front-ends so they all read option values the same way.
 */
#include <string.h>

#include "internal.h"

int aa_arg_value(int argc, char **argv, int *i, const char *name,
		 const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	/* "--domainx" is some other option, not --domain. */
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}
