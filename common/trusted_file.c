/* SPDX-License-Identifier: BSD-3-Clause */
/* trusted_file.c - is a file only an administrator could have written: owner, mode, and every directory above it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* Owned by root (or `uid`), writable by nobody else. A sticky directory
 * (/tmp) may be writable by all: others cannot rename or remove the
 * entries they do not own, so what root put there stays root's. */
static const char *component_distrust(const struct stat *st, uid_t uid, int is_dir)
{
	if (st->st_uid != 0 && st->st_uid != uid)
		return "is not owned by root";
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(is_dir && (st->st_mode & S_ISVTX)))
		return "is writable by group or others";
	return NULL;
}

/* Check one component (path[0..end)); 0 trusted, -1 with why. */
static int check_component(char *path, size_t end, int last, uid_t uid,
			   char *why, size_t why_len)
{
	char saved = path[end];
	const char *bad = NULL;
	struct stat st;

	path[end] = '\0';
	if (lstat(end ? path : "/", &st) != 0)
		snprintf(why, why_len, "%s: %s", end ? path : "/", strerror(errno));
	else if (S_ISLNK(st.st_mode))
		bad = "is a symbolic link";
	else if (last && !S_ISREG(st.st_mode))
		bad = "is not a regular file";
	else if (!last && !S_ISDIR(st.st_mode))
		bad = "is not a directory";
	else
		bad = component_distrust(&st, uid, !last);
	if (bad)
		snprintf(why, why_len, "%s %s", end ? path : "/", bad);
	path[end] = saved;
	return why[0] ? -1 : 0;
}

int aa_file_trusted(const char *path, uid_t uid, char *why, size_t why_len)
{
	char *copy;
	size_t i;
	int rc = 0;

	why[0] = '\0';
	if (!path || path[0] != '/' || strstr(path, "/./") ||
	    strstr(path, "/../") || path[strlen(path) - 1] == '/') {
		snprintf(why, why_len, "%s: not an absolute path to a file",
			 path ? path : "(null)");
		return -1;
	}
	copy = strdup(path);
	if (!copy) {
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	/* "/" itself, then each "/a", "/a/b", ... up to the file. */
	for (i = 0; rc == 0 && copy[i]; i++)
		if (copy[i] == '/' && i > 0 && copy[i - 1] != '/')
			rc = check_component(copy, i, 0, uid, why, why_len);
	if (rc == 0)
		rc = check_component(copy, 0, 0, uid, why, why_len);
	if (rc == 0)
		rc = check_component(copy, strlen(copy), 1, uid, why, why_len);
	free(copy);
	return rc;
}
