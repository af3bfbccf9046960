/* SPDX-License-Identifier: BSD-3-Clause */
/* sites_file.c - reading config.toml for `sites` and writing it back safely (backup, lock, atomic replace). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "config_engine.h"
#include "sites.h"
#include "toml.h"

#define BACKUPS_KEPT 5
#define LOCK_WAIT_MS 5000L

/* ---- reading ----------------------------------------------------------- */

static aa_status split_config_path(struct aa_sites *s, aa_error *err)
{
	int rc = aa_split_path(s->path, &s->dir, &s->name);

	if (rc < 0)
		return aa_oom(err);
	if (rc > 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "ANACONDA_CONFIG_TOML=%s does not name a file; give a file path",
			       s->path);
	return AA_OK;
}

static aa_status config_open_failed(const struct aa_sites *s, int e, aa_error *err)
{
	if (e == ELOOP)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot edit %s: it or a directory on its path is a symbolic link, which is refused (edit the real file by hand, or point ANACONDA_CONFIG_TOML at it)",
			       s->shown);
	return aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s", s->shown, strerror(e));
}

/* What another user could have planted or changed is not edited. */
static aa_status check_config_toml(const struct aa_sites *s, int fd, struct stat *st,
			    aa_error *err)
{
	if (fstat(fd, st) < 0)
		return aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s", s->shown,
			       strerror(errno));
	if (!S_ISREG(st->st_mode))
		return aa_fail(err, AA_ERR_STORAGE, "cannot edit %s: it is not a regular file",
			       s->shown);
	if (st->st_uid != geteuid())
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot edit %s: it is owned by another user (uid %u), not you",
			       s->shown, (unsigned)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot edit %s: it is writable by other users (run: chmod go-w %s)",
			       s->shown, s->shown);
	return AA_OK;
}

/*
 * The file's bytes and mode, read from dirfd (or by path when dirfd < 0)
 * without following a symbolic link; *exists 0 and "" when there is none.
 */
static aa_status read_current(const struct aa_sites *s, int dirfd, int *exists,
			      unsigned *mode, char **text, size_t *len, aa_error *err)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int fd = dirfd >= 0 ? openat(dirfd, s->name, flags) :
		 aa_open_nofollow(s->path, O_RDONLY, 0, 0);
	struct stat st;
	aa_status rc;

	*exists = 0;
	*mode = 0600;
	if (fd < 0) {
		if (errno != ENOENT)
			return config_open_failed(s, errno, err);
		*text = strdup("");
		*len = 0;
		return *text ? AA_OK : aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	rc = check_config_toml(s, fd, &st, err);
	if (rc == AA_OK && aa_read_fd(fd, AA_TOML_MAX_BYTES, text, len) < 0)
		rc = errno == EFBIG ?
		     aa_fail(err, AA_ERR_STORAGE, "cannot edit %s: it is larger than %u bytes",
			     s->shown, AA_TOML_MAX_BYTES) :
		     aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s", s->shown, strerror(errno));
	close(fd);
	*exists = rc == AA_OK;
	*mode = (unsigned)st.st_mode & 0777u;
	return rc;
}

/* The file's path, directory, name and the name shown to people. */
static aa_status locate(struct aa_sites *s, aa_error *err)
{
	aa_status rc = cfg_config_path(&s->path, err);

	if (rc != AA_OK)
		return rc;
	if (!s->path) {
		aa_fail(err, AA_ERR_USAGE,
			"no config.toml: HOME is not set; set ANACONDA_CONFIG_TOML to a file path");
		return AA_ERR_USAGE;
	}
	rc = split_config_path(s, err);
	if (rc != AA_OK)
		return rc;
	s->shown = cfg_shown_path(s->path);
	if (!s->shown) {
		aa_fail(err, AA_ERR_NOMEM, "out of memory");
		return AA_ERR_NOMEM;
	}
	return AA_OK;
}

aa_status aa_sites_open(struct aa_sites **out, aa_error *err)
{
	struct aa_sites *s = calloc(1, sizeof(*s));
	aa_status rc;

	*out = NULL;
	if (!s)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	rc = locate(s, err);
	if (rc == AA_OK)
		rc = read_current(s, -1, &s->exists, &s->mode, &s->orig, &s->orig_len, err);
	if (rc == AA_OK && !s->orig)
		rc = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	if (rc == AA_OK)
		rc = config_file_parse(s->orig, s->orig_len, s->path, s->shown, &s->file, err);
	if (rc == AA_OK && !(s->text = malloc(s->orig_len + 1)))
		rc = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	if (rc != AA_OK || !s->text || !s->orig) {
		aa_sites_free(s);
		return rc != AA_OK ? rc : AA_ERR_NOMEM;
	}
	memcpy(s->text, s->orig, s->orig_len + 1);
	s->len = s->orig_len;
	*out = s;
	return AA_OK;
}

void aa_sites_free(struct aa_sites *s)
{
	if (!s)
		return;
	if (s->orig)
		aa_memzero(s->orig, s->orig_len);
	if (s->text)
		aa_memzero(s->text, s->len);
	free(s->orig);
	free(s->text);
	config_file_free(s->file);
	free(s->path);
	free(s->dir);
	free(s->name);
	free(s->shown);
	free(s->notices);
	free(s);
}

const char *aa_sites_shown(const struct aa_sites *s)
{
	return s->shown;
}

int aa_sites_notice(struct aa_sites *s, const char *line)
{
	char *next = s->notices ? aa_asprintf("%s\n%s", s->notices, line) : strdup(line);

	if (!next)
		return -1;
	free(s->notices);
	s->notices = next;
	return 0;
}

const char *aa_sites_notices(const struct aa_sites *s)
{
	return s->notices;
}

int aa_sites_changed(const struct aa_sites *s)
{
	return s->len != s->orig_len || memcmp(s->text, s->orig, s->len) != 0;
}

/* ---- writing ----------------------------------------------------------- */

static aa_status open_config_dir(const struct aa_sites *s, int *dirfd, aa_error *err)
{
	uid_t owner = 0;
	int e;

	*dirfd = aa_make_dir(s->dir, 0700, 1);
	if (*dirfd < 0)
		return errno == ELOOP ? config_open_failed(s, ELOOP, err) :
		       aa_fail(err, AA_ERR_STORAGE, "cannot create the directory of %s: %s",
			       s->shown, strerror(errno));
	/* As for the keyring: whoever can write the directory can swap the file. */
	if (aa_dir_is_private(*dirfd, &owner) == 0)
		return AA_OK;
	e = errno;
	close(*dirfd);
	*dirfd = -1;
	if (e == EPERM)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot write %s: its directory %s belongs to another user (uid %u), who could replace it",
			       s->shown, s->dir, (unsigned)owner);
	if (e == EACCES)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot write %s: other users can write its directory %s and so replace it (run: chmod go-w %s)",
			       s->shown, s->dir, s->dir);
	return aa_fail(err, AA_ERR_STORAGE, "cannot use the directory of %s: %s", s->shown,
		       strerror(e));
}

/* Writers of config.toml exclude each other with flock on its directory. */
static aa_status lock_dir(const struct aa_sites *s, int dirfd, aa_error *err)
{
	long deadline = aa_monotonic_ms() + LOCK_WAIT_MS;

	while (flock(dirfd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec pause = { 0, 20L * 1000000L };

		if (errno != EWOULDBLOCK && errno != EINTR)
			return aa_fail(err, AA_ERR_STORAGE, "cannot lock the directory of %s: %s",
				       s->shown, strerror(errno));
		if (aa_monotonic_ms() >= deadline)
			return aa_fail(err, AA_ERR_STORAGE,
				       "cannot write %s: another process is changing it (try again when it has finished)",
				       s->shown);
		nanosleep(&pause, NULL);
	}
	return AA_OK;
}

/* What we read at the start must still be what is there. */
static aa_status still_same(const struct aa_sites *s, int dirfd, aa_error *err)
{
	char *now = NULL;
	size_t len = 0;
	unsigned mode;
	int exists, same;
	aa_status rc = read_current(s, dirfd, &exists, &mode, &now, &len, err);

	if (rc != AA_OK)
		return rc;
	if (!now)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	same = exists == s->exists && len == s->orig_len && memcmp(now, s->orig, len) == 0;
	aa_memzero(now, len);
	free(now);
	return same ? AA_OK :
	       aa_fail(err, AA_ERR_STORAGE,
		       "%s changed while this command ran; nothing was written (run it again)",
		       s->shown);
}

static int is_backup(const char *name)
{
	size_t n = strlen(name);

	return n > 19 && strncmp(name, "config.backup.", 14) == 0 &&
	       strcmp(name + n - 5, ".toml") == 0;
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Keep the newest BACKUPS_KEPT backups (their names sort by time); best effort. */
static void prune_backups(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **names = NULL;
	size_t n = 0;
	const struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (is_backup(e->d_name) && aa_strv_push(&names, &n, strdup(e->d_name)) < 0)
			break;
	}
	closedir(d);
	if (!names)
		return;
	qsort(names, n, sizeof(*names), newest_first);
	for (size_t i = BACKUPS_KEPT; i < n; i++)
		(void)unlinkat(dirfd, names[i], 0);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* 0.15's name: config.backup.YYYYmmdd_HHMMSS_ffffff.toml, local time. */
static aa_status backup(const struct aa_sites *s, int dirfd, aa_error *err)
{
	struct timeval tv;
	struct tm tm;
	char stamp[32], name[64];
	enum aa_replace_stage stage;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d_%H%M%S", &tm);
	snprintf(name, sizeof(name), "config.backup.%s_%06ld.toml", stamp, (long)tv.tv_usec);
	/* as private as the file: it may hold an API key */
	if (aa_replace_at(dirfd, name, s->orig, s->orig_len, s->mode & 0700u, &stage) < 0)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot back up %s to %s/%s: %s; nothing was written",
			       s->shown, s->dir, name, strerror(errno));
	prune_backups(dirfd);
	return AA_OK;
}

/* The new file's mode: the old one's, private when a secret goes into it. */
static unsigned new_mode(struct aa_sites *s)
{
	char line[512];

	if (!s->exists)
		return 0600;
	if (s->holds_secret && (s->mode & 077u)) {
		snprintf(line, sizeof(line),
			 "%s holds an API key, keyring or proxy password now; it was readable by others and is private (mode 600) now",
			 s->shown);
		(void)aa_sites_notice(s, line);
		return 0600;
	}
	return s->mode;
}

aa_status aa_sites_write(struct aa_sites *s, aa_error *err)
{
	enum aa_replace_stage stage;
	int dirfd;
	aa_status rc = open_config_dir(s, &dirfd, err);

	if (rc != AA_OK)
		return rc;
	rc = lock_dir(s, dirfd, err);
	if (rc == AA_OK)
		rc = still_same(s, dirfd, err);
	if (rc == AA_OK && s->exists)
		rc = backup(s, dirfd, err);
	if (rc == AA_OK &&
	    aa_replace_at(dirfd, s->name, s->text, s->len, new_mode(s), &stage) < 0)
		rc = aa_fail(err, AA_ERR_STORAGE, "cannot write %s: %s (it was left unchanged)",
			     s->shown, strerror(errno));
	close(dirfd); /* and the lock with it */
	return rc;
}
