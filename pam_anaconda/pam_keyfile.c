/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_keyfile.c - reads the user's keyring file as the user, with every check on the open fd. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <security/pam_modutil.h>

#include "internal.h"
#include "pam_keyfile.h"

int pa_keyfile_check_stat(const struct stat *st, uid_t owner,
			  size_t max_bytes, char *why, size_t why_len)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, why_len, "not a regular file");
		return -1;
	}
	if (st->st_uid != owner) {
		snprintf(why, why_len, "owned by uid %lu, not by the user (uid %lu)",
			 (unsigned long)st->st_uid, (unsigned long)owner);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, why_len,
			 "writable by group or others (mode %03o; run chmod 600)",
			 (unsigned)(st->st_mode & 0777));
		return -1;
	}
	if (st->st_size < 0 || (unsigned long long)st->st_size > max_bytes) {
		snprintf(why, why_len, "larger than %zu bytes", max_bytes);
		return -1;
	}
	return 0;
}

/* Sort an open(2)/realpath(3) failure into the statuses callers act on. */
static pa_keyfile_status classify_errno(int e, char *why, size_t why_len)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		snprintf(why, why_len, "no such file");
		return PA_KF_MISSING;
	case ELOOP:
		snprintf(why, why_len, "a symbolic link in the path");
		return PA_KF_UNSAFE;
	case ENXIO:
	case EWOULDBLOCK:
		snprintf(why, why_len, "not a regular file");
		return PA_KF_UNSAFE;
	case EFBIG:
		snprintf(why, why_len, "too large");
		return PA_KF_UNSAFE;
	case ENOMEM:
	case EMFILE:
	case ENFILE:
		snprintf(why, why_len, "%s", strerror(e));
		return PA_KF_NOMEM;
	default:
		snprintf(why, why_len, "cannot be read by the user: %s",
			 strerror(e));
		return PA_KF_UNREADABLE;
	}
}

pa_keyfile_status pa_keyfile_open_read(const char *path, uid_t owner,
				       size_t max_bytes, pa_keyfile *out)
{
	struct stat st;
	pa_keyfile_status s = PA_KF_OK;
	int fd;

	/* O_NONBLOCK: a FIFO planted here must not hang the login. */
	fd = aa_open_nofollow(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0, 0);
	if (fd < 0)
		return classify_errno(errno, out->reason, sizeof(out->reason));
	if (fstat(fd, &st) != 0)
		s = classify_errno(errno, out->reason, sizeof(out->reason));
	else if (pa_keyfile_check_stat(&st, owner, max_bytes, out->reason,
				       sizeof(out->reason)) != 0)
		s = PA_KF_UNSAFE;
	else if (aa_read_fd(fd, max_bytes, &out->text, &out->len) != 0) {
		s = classify_errno(errno, out->reason, sizeof(out->reason));
		out->text = NULL;
		out->len = 0;
	} else
		out->too_open = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	close(fd);
	return s;
}

/* pw_dir with symlinks resolved: the admin's path may contain them
 * (/home -> /var/home); below the home directory nothing may. */
static pa_keyfile_status build_path(const struct passwd *pw,
				    const char *relpath, pa_keyfile *out)
{
	char *home;

	if (!pw->pw_dir || pw->pw_dir[0] != '/') {
		snprintf(out->reason, sizeof(out->reason),
			 "the home directory in the passwd entry is not absolute");
		return PA_KF_UNSAFE;
	}
	home = realpath(pw->pw_dir, NULL);
	if (!home)
		return classify_errno(errno, out->reason, sizeof(out->reason));
	out->path = aa_asprintf("%s/%s", strcmp(home, "/") == 0 ? "" : home,
				relpath);
	free(home);
	if (!out->path) {
		snprintf(out->reason, sizeof(out->reason), "out of memory");
		return PA_KF_NOMEM;
	}
	return PA_KF_OK;
}

static void wipe_text(pa_keyfile *kf)
{
	if (kf->text) {
		aa_memzero(kf->text, kf->len);
		free(kf->text);
	}
	kf->text = NULL;
	kf->len = 0;
}

pa_keyfile_status pa_keyfile_read(pam_handle_t *pamh, const struct passwd *pw,
				  const char *relpath, pa_keyfile *out)
{
	/* libpam's macro stores -1 in the gid fields of its own struct. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
	PAM_MODUTIL_DEF_PRIVS(privs);
#pragma GCC diagnostic pop
	pa_keyfile_status s;

	memset(out, 0, sizeof(*out));
	if (pam_modutil_drop_priv(pamh, &privs, pw) != 0) {
		snprintf(out->reason, sizeof(out->reason),
			 "cannot switch to the user's credentials");
		return PA_KF_DROP_FAILED;
	}
	s = build_path(pw, relpath, out);
	if (s == PA_KF_OK)
		s = pa_keyfile_open_read(out->path, pw->pw_uid,
					 PA_KEYFILE_MAX_BYTES, out);
	/* Whatever happened above, root must get its credentials back. */
	if (pam_modutil_regain_priv(pamh, &privs) != 0) {
		wipe_text(out);
		snprintf(out->reason, sizeof(out->reason),
			 "cannot switch back from the user's credentials");
		return PA_KF_REGAIN_FAILED;
	}
	return s;
}

void pa_keyfile_free(pa_keyfile *kf)
{
	if (!kf)
		return;
	wipe_text(kf);
	free(kf->path);
	kf->path = NULL;
}
