/* SPDX-License-Identifier: BSD-3-Clause */
/* dotenv_read.c - read ./.env only when the person owns it and no other user can change it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dotenv.h"

#define DOTENV_NAME ".env"
#define DOTENV_MAX_BYTES (64u * 1024u)

/* Root can change any file anyway; anyone else is another person. */
static int owner_trusted(uid_t uid)
{
	return uid == getuid() || uid == 0;
}

/*
 * Why a .env with these stat results must not be read, or NULL when it may
 * be. Group-writable counts as writable by others: a group is other people.
 * A sticky directory (/tmp) still lets others create the file, so it counts.
 */
static const char *dotenv_distrust(const struct stat *dir, const struct stat *file,
			    char *buf, size_t len)
{
	if (!owner_trusted(dir->st_uid)) {
		snprintf(buf, len, "the current directory belongs to uid %lu, not to you or root",
			 (unsigned long)dir->st_uid);
		return buf;
	}
	if (dir->st_mode & (S_IWGRP | S_IWOTH))
		return "the current directory is writable by other users (as /tmp is); "
		       "keep the settings in a directory only you can write";
	if (S_ISLNK(file->st_mode))
		return "it is a symbolic link; only a regular file is read";
	if (!S_ISREG(file->st_mode))
		return "it is not a regular file";
	if (!owner_trusted(file->st_uid)) {
		snprintf(buf, len, "it belongs to uid %lu, not to you or root",
			 (unsigned long)file->st_uid);
		return buf;
	}
	if (file->st_mode & (S_IWGRP | S_IWOTH))
		return "it is writable by other users (run: chmod go-w .env)";
	return NULL;
}

static aa_status read_text(int fd, char **text, size_t *len, aa_error *err)
{
	int saved;

	if (aa_read_fd(fd, DOTENV_MAX_BYTES, text, len) == 0)
		return AA_OK;
	saved = errno;
	if (saved == EFBIG)
		return aa_fail(err, AA_ERR_USAGE,
			       "./.env is larger than %u KiB; keep only settings in it",
			       DOTENV_MAX_BYTES / 1024u);
	return aa_fail(err, AA_ERR_GENERIC, "cannot read ./.env: %s", strerror(saved));
}

/* .env could not be opened: ignored if untrusted anyway, else an error. */
static aa_status open_failed(int dfd, const struct stat *dir, int saved,
			     char *why, size_t why_len, aa_error *err)
{
	struct stat st;
	const char *reason;

	if (saved == ENOENT)
		return AA_OK;
	if (fstatat(dfd, DOTENV_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		reason = dotenv_distrust(dir, &st, why, why_len);
		if (reason) {
			if (reason != why)
				snprintf(why, why_len, "%s", reason);
			return AA_OK;
		}
	}
	return aa_fail(err, AA_ERR_GENERIC,
		       "cannot open ./.env: %s; fix its permissions or remove it",
		       strerror(saved));
}

static aa_status read_from(int dfd, char **text, size_t *len, char *why,
			   size_t why_len, aa_error *err)
{
	struct stat dir, file;
	const char *reason;
	aa_status rc;
	int fd;

	if (fstat(dfd, &dir) != 0)
		return aa_fail(err, AA_ERR_GENERIC, "cannot examine the current directory: %s",
			       strerror(errno));
	/* O_NOFOLLOW: a symlink fails with ELOOP and is judged by lstat below. */
	fd = openat(dfd, DOTENV_NAME,
		    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return open_failed(dfd, &dir, errno, why, why_len, err);
	if (fstat(fd, &file) != 0) {
		rc = aa_fail(err, AA_ERR_GENERIC, "cannot examine ./.env: %s", strerror(errno));
		close(fd);
		return rc;
	}
	reason = dotenv_distrust(&dir, &file, why, why_len);
	if (reason) {
		if (reason != why)
			snprintf(why, why_len, "%s", reason);
		close(fd);
		return AA_OK;
	}
	rc = read_text(fd, text, len, err);
	close(fd);
	return rc;
}

aa_status aa_dotenv_read(char **text, size_t *len, char *why, size_t why_len,
			 aa_error *err)
{
	aa_status rc;
	int dfd;

	*text = NULL;
	*len = 0;
	why[0] = '\0';
	/* Like secure_getenv: a set-id program takes nothing from its caller's directory. */
	if (getuid() != geteuid() || getgid() != getegid())
		return AA_OK;
	/* O_PATH: the checks and the open see the same directory, readable or not. */
	dfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return AA_OK; /* no current directory (removed): no .env in it */
	rc = read_from(dfd, text, len, why, why_len, err);
	close(dfd);
	return rc;
}
