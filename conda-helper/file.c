/* SPDX-License-Identifier: BSD-3-Clause */
/* file.c - small private files: nofollow reads, atomic 0600 replacement, removal. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "util/aa_util.h"

aa_status ch_read_file(const char *path, size_t max, char **out, size_t *len,
		       mode_t *mode, int *owner_ok, aa_error *err)
{
	struct stat st;
	int fd = aa_open_nofollow(path, O_RDONLY, 0, 0);

	*out = NULL;
	*len = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			return AA_ERR_NOT_FOUND;
		if (errno == ELOOP)
			return aa_fail(err, AA_ERR_STORAGE, "%s is (or passes through) a symbolic link; refusing to use it, give the real path", path);
		return aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return aa_fail(err, AA_ERR_STORAGE, "%s is not a regular file; move it away or give another path", path);
	}
	if (mode)
		*mode = st.st_mode & 07777;
	if (owner_ok)
		*owner_ok = st.st_uid == geteuid();
	if (aa_read_fd(fd, max, out, len) < 0) {
		int e = errno;

		close(fd);
		if (e == EFBIG)
			return aa_fail(err, AA_ERR_STORAGE, "%s is larger than %zu bytes; it is not a file we can safely rewrite", path, max);
		return aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s", path, strerror(e));
	}
	close(fd);
	return AA_OK;
}

/* Split path into an open directory fd and its last component. */
static int open_parent(const char *path, int make_dirs, char **base)
{
	char *d = strdup(path), *b = strdup(path);
	int dfd = -1;

	if (d && b) {
		*base = strdup(basename(b));
		dfd = make_dirs ? aa_make_dir(dirname(d), 0700, 1)
				: aa_open_nofollow(dirname(d), O_RDONLY | O_DIRECTORY, 0, 0);
	}
	free(d);
	free(b);
	return dfd;
}

aa_status ch_write_file(const char *path, const char *data, size_t len, mode_t mode,
			int make_dirs, aa_error *err)
{
	char *base = NULL;
	enum aa_replace_stage stage;
	struct stat st;
	aa_status s;
	int dfd = open_parent(path, make_dirs, &base);

	if (dfd < 0 || !base) {
		int e = errno;

		if (dfd >= 0)
			close(dfd);
		free(base);
		return aa_fail(err, AA_ERR_STORAGE, "cannot open the directory of %s: %s", path,
			       e == ELOOP ? "it passes through a symbolic link" :
			       e == EBUSY ? "it was replaced while it was being made (check who else can write to its parent)" :
			       strerror(e));
	}
	/* replacing a symlink would silently cut it; the person must decide */
	if (!fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode)) {
		close(dfd);
		free(base);
		return aa_fail(err, AA_ERR_STORAGE, "%s is a symbolic link; refusing to replace it, give the real path", path);
	}
	s = AA_OK;
	if (aa_replace_at(dfd, base, data, len, mode, &stage) < 0)
		s = aa_fail(err, AA_ERR_STORAGE, "cannot %s %s: %s",
			    stage == AA_REPLACE_CREATE ? "create a file next to" :
			    stage == AA_REPLACE_WRITE ? "write" : "replace",
			    path, strerror(errno));
	close(dfd);
	free(base);
	return s;
}

aa_status ch_remove_file(const char *path, aa_error *err)
{
	char *base = NULL;
	int dfd = open_parent(path, 0, &base);

	if (dfd < 0) {
		int e = errno;

		free(base);
		return e == ENOENT ? AA_OK : aa_fail(err, AA_ERR_STORAGE, "cannot open the directory of %s: %s", path, strerror(e));
	}
	if (base && unlinkat(dfd, base, 0) && errno != ENOENT) {
		int e = errno;

		close(dfd);
		free(base);
		return aa_fail(err, AA_ERR_STORAGE, "cannot remove %s: %s", path, strerror(e));
	}
	close(dfd);
	free(base);
	return AA_OK;
}
