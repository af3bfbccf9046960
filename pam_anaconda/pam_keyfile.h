/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_keyfile.h - read a user's keyring file from inside a root process
 * safely: as the user, never through a symlink, never blocking on a FIFO,
 * and only if the file is the user's own, private and small.
 */
#ifndef PAM_KEYFILE_H
#define PAM_KEYFILE_H

#include <pwd.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <security/pam_modules.h>

/* A real keyring file is a few KiB; anything bigger is refused. */
#define PA_KEYFILE_MAX_BYTES (64u * 1024u)

typedef enum pa_keyfile_status {
	PA_KF_OK = 0,
	PA_KF_MISSING,    /* no such file (or a path component is not a dir) */
	PA_KF_UNREADABLE, /* the user cannot read it (EACCES, EIO ...)     */
	PA_KF_UNSAFE,     /* symlink, not regular, foreign owner, writable by
			     others, or too big: refused on purpose        */
	PA_KF_NOMEM,      /* out of memory or descriptors                 */
	PA_KF_DROP_FAILED,   /* could not switch to the user's credentials */
	PA_KF_REGAIN_FAILED, /* could not switch back: the caller must fail */
} pa_keyfile_status;

typedef struct pa_keyfile {
	char *path;        /* the absolute path tried (malloc'd), for logs   */
	char *text;        /* the contents, NUL-terminated; wiped on free     */
	size_t len;
	int too_open;      /* readable by group/others: worth a notice       */
	char reason[200];  /* why it was refused, for syslog (no content)    */
} pa_keyfile;

/*
 * Read <home of pw>/<relpath> as pw's user. Privileges are dropped with
 * pam_modutil_drop_priv (a no-op when not running as root) and always
 * regained before returning.
 */
pa_keyfile_status pa_keyfile_read(pam_handle_t *pamh, const struct passwd *pw,
				  const char *relpath, pa_keyfile *out);

/* Wipe and free what pa_keyfile_read filled in. */
void pa_keyfile_free(pa_keyfile *kf);

/*
 * The unprivileged part, exposed for unit tests: open `path` with no
 * symlink in any component, check the open file, read it. Files must be
 * owned by `owner`.
 */
pa_keyfile_status pa_keyfile_open_read(const char *path, uid_t owner,
				       size_t max_bytes, pa_keyfile *out);

/* The checks applied to the open file; 0 when acceptable. */
int pa_keyfile_check_stat(const struct stat *st, uid_t owner,
			  size_t max_bytes, char *why, size_t why_len);

#endif /* PAM_KEYFILE_H */
