/* file.c - small private files: nofollow reads, atomic 0600 replacement, removal. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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

static aa_status write_temp(int dfd, const char *tmp, const char *data, size_t len,
			    mode_t mode, const char *path, aa_error *err)
{
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

	if (fd < 0)
		return aa_fail(err, AA_ERR_STORAGE, "cannot create a file next to %s: %s", path, strerror(errno));
	/* the umask must not loosen or tighten what we ask for */
	if (fchmod(fd, mode) || aa_write_all(fd, data, len) || fsync(fd)) {
		int e = errno;

		close(fd);
		unlinkat(dfd, tmp, 0);
		return aa_fail(err, AA_ERR_STORAGE, "cannot write %s: %s", path, strerror(e));
	}
	if (close(fd)) {
		unlinkat(dfd, tmp, 0);
		return aa_fail(err, AA_ERR_STORAGE, "cannot write %s: %s", path, strerror(errno));
	}
	return AA_OK;
}

aa_status ch_write_file(const char *path, const char *data, size_t len, mode_t mode,
			int make_dirs, aa_error *err)
{
	char *base = NULL, tmp[300];
	unsigned char rnd[6];
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
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	snprintf(tmp, sizeof(tmp), ".%.200s.tmp-%02x%02x%02x%02x%02x%02x", base,
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
	s = write_temp(dfd, tmp, data, len, mode, path, err);
	if (s == AA_OK && renameat(dfd, tmp, dfd, base)) {
		s = aa_fail(err, AA_ERR_STORAGE, "cannot replace %s: %s", path, strerror(errno));
		unlinkat(dfd, tmp, 0);
	}
	if (s == AA_OK)
		fsync(dfd);
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
