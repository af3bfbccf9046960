/* SPDX-License-Identifier: BSD-3-Clause */
/* keyring_file.c - the ~/.anaconda/keyring backend: safe reads, locked atomic rewrites. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "keyring_backend.h"
#include "keyring_json.h"
#include "util/aa_util.h"

struct file_be {
	struct aa_keyring_backend base;
	char *path;   /* as configured */
	char *dir;    /* its parent directory */
	char *name;   /* its last component */
	char *shown;  /* the path for messages, with ~ for $HOME */
	long lock_ms;
};

/* What reading the file found. */
enum load_state { LOADED, MISSING, CORRUPT };

struct loaded {
	json_object *doc;      /* always set on AA_OK (empty when not LOADED) */
	enum load_state state;
	const char *why;       /* for CORRUPT */
};

static struct file_be *fb_of(struct aa_keyring_backend *be)
{
	return (struct file_be *)be;
}

/* ---- reading --------------------------------------------------------- */

static aa_status open_error(struct file_be *fb, const char *verb, aa_error *err)
{
	int e = errno;

	if (e == ELOOP)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: it or a directory on its path is a symbolic link, which is refused (replace the link with the real file or directory, or point keyring_path at it)",
			       fb->shown);
	if (e == ENOTDIR)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: part of its path is not a directory (move that file away or set keyring_path elsewhere)",
			       fb->shown);
	return aa_fail(err, AA_ERR_STORAGE, "cannot %s %s: %s (check the permissions of the file and its directory)",
		       verb, fb->shown, strerror(e));
}

/* Refuse what another user could have planted or changed; warn about readable. */
static aa_status check_opened(struct file_be *fb, int fd, int for_write,
			      aa_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return aa_fail(err, AA_ERR_STORAGE, "cannot use %s: %s",
			       fb->shown, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: it is not a regular file (move it away and log in again)",
			       fb->shown);
	if (st.st_uid != geteuid())
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: it is owned by another user (uid %u), not you (move it away and log in again)",
			       fb->shown, (unsigned)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: it is writable by other users (run: chmod 600 %s)",
			       fb->shown, fb->shown);
	if ((unsigned long long)st.st_size > AA_KEYRING_MAX_BYTES)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot use %s: it is larger than %u bytes, which no keyring is (move it away and log in again)",
			       fb->shown, AA_KEYRING_MAX_BYTES);
	/* A write replaces it with a mode 600 file. */
	if ((st.st_mode & (S_IRGRP | S_IROTH)) && for_write)
		aa_reportf(fb->base.report, fb->base.report_ctx, AA_REPORT_NOTICE,
			"%s was readable by other users; it is private (mode 600) now",
			fb->shown);
	else if (st.st_mode & (S_IRGRP | S_IROTH))
		aa_reportf(fb->base.report, fb->base.report_ctx, AA_REPORT_NOTICE,
			"warning: %s is readable by other users; it will be made private (mode 600) on the next write, or run: chmod 600 %s",
			fb->shown, fb->shown);
	return AA_OK;
}

/* Read and parse an open keyring; an unparseable one is CORRUPT, not an error. */
static aa_status load_fd(struct file_be *fb, int fd, int for_write,
			 struct loaded *out, aa_error *err)
{
	char *text = NULL;
	size_t len = 0;
	aa_status rc;

	rc = check_opened(fb, fd, for_write, err);
	if (rc != AA_OK)
		return rc;
	if (aa_read_fd(fd, AA_KEYRING_MAX_BYTES, &text, &len) < 0) {
		if (errno == EFBIG)
			return aa_fail(err, AA_ERR_STORAGE,
				       "cannot use %s: it is larger than %u bytes, which no keyring is (move it away and log in again)",
				       fb->shown, AA_KEYRING_MAX_BYTES);
		return aa_fail(err, AA_ERR_STORAGE, "cannot read %s: %s",
			       fb->shown, strerror(errno));
	}
	rc = aa_keyring_json_parse(text, len, &out->doc, &out->why);
	aa_memzero(text, len);
	free(text);
	if (rc == AA_ERR_NOMEM)
		return aa_fail(err, rc, "out of memory reading %s", fb->shown);
	if (rc != AA_OK) {
		out->state = CORRUPT;
		out->doc = aa_keyring_json_new();
	} else {
		out->state = LOADED;
	}
	return out->doc ? AA_OK : aa_oom(err);
}

/* fd < 0 with errno ENOENT means no file: that is an empty keyring. */
static aa_status load_opened(struct file_be *fb, int fd, int for_write,
			     struct loaded *out, aa_error *err)
{
	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		if (errno != ENOENT)
			return open_error(fb, "read", err);
		out->state = MISSING;
		out->doc = aa_keyring_json_new();
		return out->doc ? AA_OK : aa_oom(err);
	}
	return load_fd(fb, fd, for_write, out, err);
}

/* Lock-free read: writers replace the file by rename, so we see old or new. */
static aa_status load_for_read(struct file_be *fb, struct loaded *out,
			       aa_error *err)
{
	int fd = aa_open_nofollow(fb->path, O_RDONLY, 0, 0);
	aa_status rc;

	rc = load_opened(fb, fd, 0, out, err);
	if (fd >= 0)
		close(fd);
	if (rc == AA_OK && out->state == CORRUPT) {
		json_object_put(out->doc);
		out->doc = NULL;
		return aa_fail(err, AA_ERR_STORAGE,
			       "%s %s; it will be moved aside on the next login",
			       fb->shown, out->why);
	}
	return rc;
}

static json_object *service_of(json_object *doc)
{
	json_object *svc = NULL;

	json_object_object_get_ex(doc, AA_KEYRING_SERVICE, &svc);
	return svc;
}

static aa_status file_get(struct aa_keyring_backend *be, const char *domain,
			  char **b64_out, aa_error *err)
{
	struct file_be *fb = fb_of(be);
	struct loaded ld;
	json_object *svc, *val;
	aa_status rc;

	*b64_out = NULL;
	rc = load_for_read(fb, &ld, err);
	if (rc != AA_OK)
		return rc;
	svc = service_of(ld.doc);
	if (!svc || !json_object_object_get_ex(svc, domain, &val)) {
		json_object_put(ld.doc);
		return aa_fail(err, AA_ERR_NOT_FOUND, "no key for %s in %s",
			       domain, fb->shown);
	}
	*b64_out = strdup(json_object_get_string(val));
	json_object_put(ld.doc);
	return *b64_out ? AA_OK : aa_oom(err);
}

static aa_status file_list(struct aa_keyring_backend *be, char ***domains,
			   aa_error *err)
{
	struct file_be *fb = fb_of(be);
	struct loaded ld;
	json_object *svc;
	char **v;
	size_t n = 0;
	aa_status rc;

	*domains = NULL;
	rc = load_for_read(fb, &ld, err);
	if (rc != AA_OK)
		return rc;
	svc = service_of(ld.doc);
	v = calloc((svc ? (size_t)json_object_object_length(svc) : 0) + 1,
		   sizeof(*v));
	if (!v) {
		json_object_put(ld.doc);
		return aa_oom(err);
	}
	if (svc) {
		json_object_object_foreach(svc, key, val) {
			(void)val;
			v[n] = strdup(key);
			if (!v[n++]) {
				aa_strv_free(v);
				json_object_put(ld.doc);
				return aa_oom(err);
			}
		}
	}
	json_object_put(ld.doc);
	*domains = v;
	return AA_OK;
}

/* flock on <name>.lock with a bounded wait: readers never take it. */
static int take_lock(struct file_be *fb, int dirfd, aa_error *err)
{
	char *lock_name = aa_asprintf("%s.lock", fb->name);
	struct stat st;
	long deadline;
	int fd;

	if (!lock_name) {
		aa_oom(err);
		return -1;
	}
	fd = openat(dirfd, lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
				      O_NOCTTY | O_NONBLOCK, 0600);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		aa_fail(err, AA_ERR_STORAGE,
			"cannot lock %s: %s.lock %s (remove it and try again)",
			fb->shown, fb->shown,
			fd < 0 && errno == ELOOP ? "is a symbolic link" :
			fd < 0 ? strerror(errno) : "is not a regular file");
		if (fd >= 0)
			close(fd);
		free(lock_name);
		return -1;
	}
	free(lock_name);
	/* someone else's lock file can be held forever by them */
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		aa_fail(err, AA_ERR_STORAGE,
			"cannot lock %s: %s.lock %s (remove it and try again)", fb->shown, fb->shown,
			st.st_uid != geteuid() ? "belongs to another user" : "is writable by other users");
		close(fd);
		return -1;
	}
	deadline = aa_monotonic_ms() + fb->lock_ms;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec pause = { 0, 20L * 1000000L };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			aa_fail(err, AA_ERR_STORAGE, "cannot lock %s: %s",
				fb->shown, strerror(errno));
			close(fd);
			return -1;
		}
		if (aa_monotonic_ms() >= deadline) {
			aa_fail(err, AA_ERR_STORAGE,
				"cannot write %s: the keyring is locked by another process (waited %ld ms; try again when it has finished)",
				fb->shown, fb->lock_ms);
			close(fd);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return fd;
}

/* An unparseable keyring is never overwritten: keep it under a dated name. */
static aa_status move_aside(struct file_be *fb, int dirfd, int fd,
			    const char *why, aa_error *err)
{
	char stamp[32], *aside = NULL;
	time_t now = time(NULL);
	struct tm tm;
	struct stat st;

	/*
	 * A second link means these bytes are also another file (one of the
	 * person's, or root's /etc/shadow, hard-linked here): changing its mode
	 * or name would change that file. Another owner's file is not ours.
	 */
	if (fstat(fd, &st) < 0)
		return aa_fail(err, AA_ERR_STORAGE, "cannot use %s: %s",
			       fb->shown, strerror(errno));
	if (st.st_nlink > 1)
		return aa_fail(err, AA_ERR_STORAGE,
			       "%s %s and has %lu hard links, so it may be another file linked here; it was left untouched (check what it is, move it away yourself and try again)",
			       fb->shown, why, (unsigned long)st.st_nlink);
	if (st.st_uid != geteuid())
		return aa_fail(err, AA_ERR_STORAGE,
			       "%s %s and is owned by another user (uid %u); it was left untouched (move it away and try again)",
			       fb->shown, why, (unsigned)st.st_uid);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 1; i < 100; i++) {
		free(aside);
		aside = i == 1 ? aa_asprintf("%s.corrupt-%s", fb->name, stamp)
			       : aa_asprintf("%s.corrupt-%s-%d", fb->name, stamp, i);
		if (!aside)
			return aa_oom(err);
		if (fstatat(dirfd, aside, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno == ENOENT)
			break;
	}
	/* It may hold keys: keep it as private as the new one (it is ours alone). */
	(void)fchmod(fd, 0600);
	if (renameat(dirfd, fb->name, dirfd, aside) < 0) {
		aa_status rc = aa_fail(err, AA_ERR_STORAGE,
				       "%s %s and could not be moved aside: %s (move it away yourself and try again)",
				       fb->shown, why, strerror(errno));
		free(aside);
		return rc;
	}
	aa_reportf(fb->base.report, fb->base.report_ctx, AA_REPORT_NOTICE,
		"%s %s; moved it aside to %s%s and started a new keyring",
		fb->shown, why, fb->shown, aside + strlen(fb->name));
	free(aside);
	return AA_OK;
}

/* One atomic replace (util/replace.c): the old file survives any failure. */
static aa_status save(struct file_be *fb, int dirfd, json_object *doc,
		      aa_error *err)
{
	struct aa_kbuf text;
	enum aa_replace_stage stage;
	aa_status rc;

	rc = aa_keyring_json_dump(doc, &text);
	if (rc != AA_OK)
		return aa_fail(err, rc, "out of memory writing %s", fb->shown);
	rc = AA_OK;
	if (aa_replace_at(dirfd, fb->name, text.p, text.len, 0600, &stage) < 0)
		rc = aa_fail(err, AA_ERR_STORAGE,
			     "cannot write %s: %s (the previous keyring was left unchanged)",
			     fb->shown, strerror(errno));
	aa_kbuf_free(&text);
	return rc;
}

/* An edit of our service's object; *changed says whether to write. */
typedef aa_status (*edit_fn)(json_object *svc, void *arg, int *changed,
			     aa_error *err);

/*
 * Whoever can write the keyring's directory can delete or swap the keyring
 * and its lock file: it must be ours (or root's) and writable by no one else.
 */
static aa_status check_dir(struct file_be *fb, int dirfd, aa_error *err)
{
	uid_t owner = 0;

	if (aa_dir_is_private(dirfd, &owner) == 0)
		return AA_OK;
	if (errno == EPERM)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot write %s: its directory %s belongs to another user (uid %u), who could replace it (keep the keyring in a directory of yours)",
			       fb->shown, fb->dir, (unsigned)owner);
	if (errno == EACCES)
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot write %s: other users can write its directory and so replace the keyring (run: chmod go-w %s)",
			       fb->shown, fb->dir);
	return aa_fail(err, AA_ERR_STORAGE, "cannot use the directory of %s: %s",
		       fb->shown, strerror(errno));
}

static aa_status open_dir(struct file_be *fb, int *dirfd, aa_error *err)
{
	*dirfd = aa_make_dir(fb->dir, 0700, 1);
	if (*dirfd < 0) {
		int e = errno;

		if (e == ELOOP)
			return aa_fail(err, AA_ERR_STORAGE,
				       "cannot use %s: a directory on its path is a symbolic link, which is refused (point keyring_path at the real location)",
				       fb->shown);
		if (e == EBUSY)
			return aa_fail(err, AA_ERR_STORAGE,
				       "cannot create the directory of %s: it was replaced while it was being made, so it was left alone (check who else can write to its parent, then try again)",
				       fb->shown);
		return aa_fail(err, AA_ERR_STORAGE,
			       "cannot create the directory of %s: %s", fb->shown,
			       strerror(e));
	}
	if (check_dir(fb, *dirfd, err) != AA_OK) {
		close(*dirfd);
		*dirfd = -1;
		return AA_ERR_STORAGE;
	}
	return AA_OK;
}

/* Load the current file, moving an unparseable one aside first. */
static aa_status load_for_write(struct file_be *fb, int dirfd,
				struct loaded *ld, aa_error *err)
{
	int fd = openat(dirfd, fb->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
					 O_NOCTTY | O_NONBLOCK);
	aa_status rc = load_opened(fb, fd, 1, ld, err);

	if (rc == AA_OK && ld->state == CORRUPT)
		rc = move_aside(fb, dirfd, fd, ld->why, err);
	if (fd >= 0)
		close(fd);
	if (rc != AA_OK) {
		json_object_put(ld->doc);
		ld->doc = NULL;
	}
	return rc;
}

/* The whole read-modify-write, under the lock. */
static aa_status update(struct file_be *fb, edit_fn edit, void *arg,
			aa_error *err)
{
	struct loaded ld = { 0 };
	json_object *svc;
	int dirfd, lockfd, changed = 0;
	aa_status rc;

	rc = open_dir(fb, &dirfd, err);
	if (rc != AA_OK)
		return rc;
	lockfd = take_lock(fb, dirfd, err);
	if (lockfd < 0) {
		close(dirfd);
		return err ? err->code : AA_ERR_STORAGE;
	}
	rc = load_for_write(fb, dirfd, &ld, err);
	if (rc != AA_OK)
		goto out;
	svc = service_of(ld.doc);
	if (!svc) {
		svc = json_object_new_object();
		if (!svc || json_object_object_add(ld.doc, AA_KEYRING_SERVICE, svc)) {
			json_object_put(svc);
			rc = aa_oom(err);
			goto out;
		}
	}
	rc = edit(svc, arg, &changed, err);
	if (rc == AA_OK && changed)
		rc = save(fb, dirfd, ld.doc, err);
out:
	json_object_put(ld.doc);
	close(lockfd);
	close(dirfd);
	return rc;
}

struct set_arg {
	const char *domain;
	const char *b64;
};

static aa_status edit_set(json_object *svc, void *arg, int *changed,
			  aa_error *err)
{
	const struct set_arg *a = arg;
	json_object *val = json_object_new_string(a->b64);

	if (!val || json_object_object_add(svc, a->domain, val)) {
		json_object_put(val);
		return aa_oom(err);
	}
	*changed = 1;
	return AA_OK;
}

static aa_status file_set(struct aa_keyring_backend *be, const char *domain,
			  const char *b64, aa_error *err)
{
	struct set_arg a = { domain, b64 };

	return update(fb_of(be), edit_set, &a, err);
}

struct edit_arg {
	const char *domain;
	aa_keyring_edit_fn fn;
	void *ctx;
	aa_keyring_edit_named_fn named; /* used instead of fn when set */
};

static aa_status edit_entry(json_object *svc, void *arg, int *changed,
			    aa_error *err)
{
	struct edit_arg *a = arg;
	json_object *cur = NULL, *val;
	char *next = NULL;
	aa_status rc;

	json_object_object_get_ex(svc, a->domain, &cur);
	if (a->named)
		rc = a->named(a->domain, cur ? json_object_get_string(cur) : NULL,
			      &next, a->ctx, err);
	else if (a->fn)
		rc = a->fn(cur ? json_object_get_string(cur) : NULL, &next, a->ctx, err);
	else
		rc = aa_fail(err, AA_ERR_USAGE, "no edit given for %s", a->domain);
	if (rc != AA_OK)
		return rc;
	if (!next) { /* the edit removes the entry */
		if (cur)
			json_object_object_del(svc, a->domain);
		*changed = cur != NULL;
		return AA_OK;
	}
	if (cur && !strcmp(next, json_object_get_string(cur))) {
		aa_free_secret_str(next); /* unchanged: leave the file alone */
		return AA_OK;
	}
	val = json_object_new_string(next);
	aa_free_secret_str(next);
	if (!val || json_object_object_add(svc, a->domain, val)) {
		json_object_put(val);
		return aa_oom(err);
	}
	*changed = 1;
	return AA_OK;
}

aa_status aa_keyring_file_edit(struct aa_keyring_backend *be,
			       const char *domain, aa_keyring_edit_fn fn,
			       void *ctx, aa_error *err)
{
	struct edit_arg a = { domain, fn, ctx, NULL };

	return update(fb_of(be), edit_entry, &a, err);
}

struct names_arg {
	const char *const *names;
	aa_keyring_edit_named_fn fn;
	void *ctx;
};

/* Every name in one pass over the loaded file: update() writes once or not at all. */
static aa_status edit_names(json_object *svc, void *arg, int *changed,
			    aa_error *err)
{
	struct names_arg *na = arg;

	for (size_t i = 0; na->names[i]; i++) {
		struct edit_arg a = { na->names[i], NULL, na->ctx, na->fn };
		int one = 0;
		aa_status rc;

		if (i > 0 && !json_object_object_get_ex(svc, na->names[i], NULL))
			continue;
		rc = edit_entry(svc, &a, &one, err);
		if (rc != AA_OK)
			return rc;
		*changed |= one;
	}
	return AA_OK;
}

aa_status aa_keyring_file_edit_names(struct aa_keyring_backend *be,
				     const char *const *names,
				     aa_keyring_edit_named_fn fn, void *ctx,
				     aa_error *err)
{
	struct names_arg na = { names, fn, ctx };

	return update(fb_of(be), edit_names, &na, err);
}

struct del_arg {
	const char *const *domains;
	int removed;
};

static aa_status edit_del(json_object *svc, void *arg, int *changed,
			  aa_error *err)
{
	struct del_arg *a = arg;

	(void)err;
	for (size_t i = 0; a->domains[i]; i++) {
		if (json_object_object_get_ex(svc, a->domains[i], NULL)) {
			json_object_object_del(svc, a->domains[i]);
			a->removed++;
		}
	}
	*changed = a->removed > 0;
	return AA_OK;
}

static aa_status file_del(struct aa_keyring_backend *be,
			  const char *const *domains, int *removed,
			  aa_error *err)
{
	struct del_arg a = { domains, 0 };
	struct file_be *fb = fb_of(be);
	struct stat st;
	aa_status rc;

	/* Logging out with no keyring must not create one. */
	if (fstatat(AT_FDCWD, fb->path, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT) {
		if (removed)
			*removed = 0;
		return AA_OK;
	}
	rc = update(fb, edit_del, &a, err);
	if (removed)
		*removed = a.removed;
	return rc;
}

/* ---- open / close ---------------------------------------------------- */

static void file_close(struct aa_keyring_backend *be)
{
	struct file_be *fb = fb_of(be);

	if (!fb)
		return;
	free(fb->path);
	free(fb->dir);
	free(fb->name);
	free(fb->shown);
	free(fb);
}

static char *shown_path(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return aa_asprintf("~%s", path + n);
	return strdup(path);
}

static long lock_timeout_from_env(void)
{
	const char *v = secure_getenv(AA_LOCK_TIMEOUT_ENV);
	char *end;
	double s;

	if (!v || !*v)
		return AA_LOCK_TIMEOUT_DEFAULT_MS;
	s = strtod(v, &end);
	if (*end || !(s >= 0.0 && s <= 3600.0))
		return AA_LOCK_TIMEOUT_DEFAULT_MS;
	return (long)(s * 1000.0);
}

static aa_status split_keyring_path(struct file_be *fb, aa_error *err)
{
	int rc = aa_split_path(fb->path, &fb->dir, &fb->name);

	if (rc < 0)
		return aa_oom(err);
	if (rc > 0)
		return aa_fail(err, AA_ERR_USAGE,
			       "the keyring path \"%s\" does not name a file; set keyring_path to a file path",
			       fb->path);
	return AA_OK;
}

aa_status aa_keyring_file_backend_open(const char *path,
				       struct aa_keyring_backend **out,
				       aa_error *err)
{
	struct file_be *fb;
	aa_status rc;

	*out = NULL;
	if (!path || !*path)
		return aa_fail(err, AA_ERR_USAGE,
			       "no keyring path is set; set HOME or keyring_path");
	fb = calloc(1, sizeof(*fb));
	if (!fb)
		return aa_oom(err);
	fb->path = strdup(path);
	fb->shown = fb->path ? shown_path(path) : NULL;
	if (!fb->path || !fb->shown) {
		file_close(&fb->base);
		return aa_oom(err);
	}
	rc = split_keyring_path(fb, err);
	if (rc != AA_OK) {
		file_close(&fb->base);
		return rc;
	}
	fb->lock_ms = lock_timeout_from_env();
	fb->base.abi = AA_KEYRING_BACKEND_ABI;
	fb->base.name = "file";
	fb->base.location = fb->path;
	fb->base.writable = 1;
	fb->base.get = file_get;
	fb->base.set = file_set;
	fb->base.del = file_del;
	fb->base.list = file_list;
	fb->base.close = file_close;
	*out = &fb->base;
	return AA_OK;
}

int aa_keyring_is_file(const struct aa_keyring_backend *be)
{
	return be && be->close == file_close;
}

void aa_keyring_file_set_lock_timeout(struct aa_keyring_backend *be, long ms)
{
	if (aa_keyring_is_file(be) && ms >= 0)
		fb_of(be)->lock_ms = ms;
}
