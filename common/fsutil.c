/* SPDX-License-Identifier: BSD-3-Clause */
/* fsutil.c - opening and reading files without following symlinks anywhere on the path. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "util/aa_util.h"

/* Close fd without letting close() clobber the errno we want to report. */
static void close_keep_errno(int fd)
{
	int saved = errno;

	if (fd >= 0 && fd != AT_FDCWD)
		close(fd);
	errno = saved;
}

/*
 * After a failed O_NOFOLLOW open, tell a symlink (ELOOP) apart from the
 * other reasons: with O_PATH|O_DIRECTORY the kernel reports ENOTDIR.
 */
static void explain_symlink(int dirfd, const char *name)
{
	struct stat st;
	int saved = errno;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		errno = ELOOP;
	else
		errno = saved;
}

/*
 * A directory symlink only root could have made: owned by root, in a
 * directory owned by root that nobody else can write (/home -> /var/home,
 * /home -> /gpfs/home on clusters). Users cannot plant one of these.
 */
static int trusted_link(int dirfd, const char *name)
{
	struct stat link, dir;

	return fstatat(dirfd, name, &link, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISLNK(link.st_mode) && link.st_uid == 0 &&
	       fstat(dirfd, &dir) == 0 && dir.st_uid == 0 &&
	       !(dir.st_mode & (S_IWGRP | S_IWOTH));
}

/* Step from dirfd into the directory `name`, making it when asked. */
static int enter_dir(int dirfd, const char *name, int create)
{
	const int flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, flags);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
			return -1;
		fd = openat(dirfd, name, flags);
	}
	if (fd < 0 && errno == ENOTDIR && trusted_link(dirfd, name))
		return openat(dirfd, name, flags & ~O_NOFOLLOW);
	if (fd < 0)
		explain_symlink(dirfd, name);
	return fd;
}

/* Open the last component; the O_NONBLOCK keeps a FIFO from hanging us. */
static int open_last(int dirfd, const char *name, int flags, mode_t mode,
		     int create_dirs)
{
	int fd;
	int want = flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	/* A directory target is created like the directories above it. */
	if (create_dirs && (flags & O_DIRECTORY) && !(flags & O_PATH) &&
	    mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = openat(dirfd, name, want, mode);
	if (fd < 0) {
		explain_symlink(dirfd, name);
		return -1;
	}
	if (!(flags & O_NONBLOCK) && !(flags & O_PATH)) {
		int fl = fcntl(fd, F_GETFL);

		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
			close_keep_errno(fd);
			return -1;
		}
	}
	return fd;
}

int aa_open_nofollow(const char *path, int flags, mode_t mode, int create_dirs)
{
	char *copy, *p, *slash;
	int dirfd, fd = -1;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	copy = strdup(path);
	if (!copy)
		return -1;
	dirfd = open(copy[0] == '/' ? "/" : ".",
		     O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		free(copy);
		return -1;
	}
	p = copy;
	while (*p == '/')
		p++;
	/* Strip trailing slashes so "dir/" names "dir". */
	for (size_t n = strlen(p); n > 0 && p[n - 1] == '/'; n--)
		p[n - 1] = '\0';
	if (!*p) {
		/* The path is "/" itself. */
		fd = open_last(dirfd, ".", flags, mode, 0);
		close_keep_errno(dirfd);
		free(copy);
		return fd;
	}
	while ((slash = strchr(p, '/')) != NULL) {
		int next;

		*slash = '\0';
		if (*p && strcmp(p, ".") != 0) {
			next = enter_dir(dirfd, p, create_dirs);
			if (next < 0)
				goto out;
			close(dirfd);
			dirfd = next;
		}
		p = slash + 1;
	}
	fd = open_last(dirfd, p, flags, mode, create_dirs);
out:
	close_keep_errno(dirfd);
	free(copy);
	return fd;
}

/*
 * Is the directory open on fd one nobody else can change: a directory of
 * ours, empty, that no one else may write into? A directory someone swapped
 * in under our name after mkdirat fails one of these (or is harmless).
 */
static int just_made(int fd)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int empty = 1, dup_fd;

	/* Not st_nlink: btrfs counts 1 link for every directory. */
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		close_keep_errno(dup_fd);
		return 0;
	}
	while (empty && (e = readdir(d)) != NULL)
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

/* Split a copy of path into its directory and last component, in place. */
static void split_last(char *copy, const char **dir, const char **name)
{
	size_t n = strlen(copy);
	char *slash;

	/* "dir/" names "dir" (but "/" stays "/"). */
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	slash = strrchr(copy, '/');
	if (!slash) {
		*dir = ".";
		*name = copy;
	} else if (slash == copy) {
		*dir = "/";
		*name = slash[1] ? slash + 1 : ".";
	} else {
		*slash = '\0';
		*dir = copy;
		*name = slash + 1;
	}
}

#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)

/* An existing directory, never through a symlink. */
static int open_existing(int parent, const char *name)
{
	int fd = openat(parent, name, DIR_OPEN_FLAGS);

	if (fd < 0)
		explain_symlink(parent, name);
	return fd;
}

/* Make a private 0700 staging directory in parent: ".aa-mkdir-<random>". */
static int make_stage(int parent, char name[32])
{
	unsigned char rnd[8];
	int fd;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -1;
	snprintf(name, 32, ".aa-mkdir-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
		 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if (mkdirat(parent, name, 0700) < 0)
		return -1;
	fd = openat(parent, name, DIR_OPEN_FLAGS);
	if (fd >= 0 && !just_made(fd)) {
		close(fd);
		errno = EBUSY;
		return -1;
	}
	return fd;
}

/* Move stage/d to parent/name without replacing anything there. */
static int move_into_place(int stage, int parent, const char *name)
{
	struct stat st;

	if (renameat2(stage, "d", parent, name, RENAME_NOREPLACE) == 0)
		return 0;
	/* file systems without RENAME_NOREPLACE: renameat replaces only an empty directory */
	if (errno != EINVAL)
		return -1;
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(stage, "d", parent, name);
}

/*
 * Make parent/name with exactly mode. It is made as "d" inside a staging
 * directory only we can write, so the directory whose mode fchmod sets
 * is the one we made (someone who can write parent can rename entries of
 * parent, never of the staging directory), then renamed into place. If
 * name appears meanwhile, that one is used under the existing-directory
 * rules.
 */
static int make_new(int parent, const char *name, mode_t mode)
{
	char stage_name[32];
	int stage = make_stage(parent, stage_name), fd = -1, saved;

	if (stage < 0)
		return -1;
	if (mkdirat(stage, "d", 0700) == 0 && (fd = openat(stage, "d", DIR_OPEN_FLAGS)) >= 0 &&
	    (fchmod(fd, mode & 07777) < 0 || move_into_place(stage, parent, name) < 0)) {
		close_keep_errno(fd);
		fd = -1;
	}
	saved = errno;
	unlinkat(stage, "d", AT_REMOVEDIR); /* left only if something failed */
	unlinkat(parent, stage_name, AT_REMOVEDIR);
	close(stage);
	errno = saved;
	if (fd < 0 && saved == EEXIST)
		return open_existing(parent, name);
	return fd;
}

int aa_make_dir(const char *path, mode_t mode, int make_parents)
{
	const char *dir, *name;
	char *copy;
	int parent, fd = -1;

	if (!path || !*path) {
		errno = ENOENT;
		return -1;
	}
	copy = strdup(path);
	if (!copy)
		return -1;
	split_last(copy, &dir, &name);
	parent = aa_open_nofollow(dir, O_RDONLY | O_DIRECTORY, 0, make_parents);
	if (parent < 0)
		goto out;
	fd = openat(parent, name, DIR_OPEN_FLAGS);
	if (fd < 0 && errno == ENOENT)
		fd = make_new(parent, name, mode);
	else if (fd < 0)
		explain_symlink(parent, name);
out:
	close_keep_errno(parent);
	free(copy);
	return fd;
}

int aa_read_fd(int fd, size_t max_bytes, char **out, size_t *out_len)
{
	struct stat st;
	size_t cap = 4096, used = 0;
	char *buf;

	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size <= max_bytes)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf)
		return -1;
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			size_t ncap = cap * 2;
			char *nb;

			if (ncap > max_bytes + 2)
				ncap = max_bytes + 2;
			if (ncap <= cap)
				ncap = cap + 1;
			nb = aa_grow_wiped(buf, used, ncap);
			if (!nb)
				goto fail;
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max_bytes) {
			errno = EFBIG;
			goto fail;
		}
	}
	buf[used] = '\0';
	*out = buf;
	if (out_len)
		*out_len = used;
	return 0;
fail: {
	int saved = errno;

	aa_memzero(buf, cap);
	free(buf);
	errno = saved;
	return -1;
}
}

int aa_dir_is_private(int dirfd, uid_t *owner)
{
	struct stat st;

	if (fstat(dirfd, &st) < 0)
		return -1;
	*owner = st.st_uid;
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		errno = EPERM;
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int aa_split_path(const char *path, char **dir, char **name)
{
	const char *slash = strrchr(path, '/');

	*dir = *name = NULL;
	if (!*path || path[strlen(path) - 1] == '/')
		return 1;
	if (!slash) {
		*dir = strdup(".");
		*name = strdup(path);
	} else {
		*dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
		*name = strdup(slash + 1);
	}
	if (!*dir || !*name)
		return -1;
	return strcmp(*name, ".") == 0 || strcmp(*name, "..") == 0;
}
