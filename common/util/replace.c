/* SPDX-License-Identifier: BSD-3-Clause */
/* replace.c - replacing a file atomically: temp file, fsync, rename. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/aa_util.h"

/* A fresh name next to `name`; O_EXCL protects us even if random fails. */
static void temp_name(char *tmp, size_t size, const char *name)
{
	unsigned char r[8];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	snprintf(tmp, size, ".%.200s.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", name,
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
}

static int fail_unlink(int dirfd, const char *tmp)
{
	int saved = errno;

	unlinkat(dirfd, tmp, 0);
	errno = saved;
	return -1;
}

int aa_replace_at(int dirfd, const char *name, const void *data, size_t len,
		  mode_t mode, enum aa_replace_stage *stage)
{
	char tmp[300];
	int fd, saved;

	temp_name(tmp, sizeof(tmp), name);
	*stage = AA_REPLACE_CREATE;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				O_CLOEXEC | O_NOCTTY, mode);
	if (fd < 0)
		return -1;
	*stage = AA_REPLACE_WRITE;
	/* the umask must not loosen or tighten what we ask for */
	if (fchmod(fd, mode) < 0 || aa_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return fail_unlink(dirfd, tmp);
	}
	if (close(fd) < 0)
		return fail_unlink(dirfd, tmp);
	*stage = AA_REPLACE_RENAME;
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		return fail_unlink(dirfd, tmp);
	(void)fsync(dirfd); /* best effort: the rename has happened */
	return 0;
}
