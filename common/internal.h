/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * internal.h - helpers shared by the files of libanaconda-auth and by the
 * front-ends that link its static archive. Not installed; not exported
 * from the shared library (only aa_* symbols in anaconda_auth.h are).
 */
#ifndef AA_INTERNAL_H
#define AA_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "anaconda_auth.h"

#define AA_HIDDEN __attribute__((visibility("hidden")))
#define AA_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Set err (may be NULL) and return code, so callers can `return aa_fail(...)`. */
AA_HIDDEN aa_status aa_fail(aa_error *err, aa_status code, const char *fmt, ...)
	AA_PRINTF(3, 4);

/*
 * The one out-of-memory failure: AA_ERR_NOMEM, "out of memory". Inline so
 * that callers (and the static analysers) see it always returns the error.
 */
static inline aa_status aa_oom(aa_error *err)
{
	aa_fail(err, AA_ERR_NOMEM, "out of memory");
	return AA_ERR_NOMEM;
}

/* strdup that returns NULL for NULL. */
AA_HIDDEN char *aa_strdup0(const char *s);

/* malloc'd printf; NULL on failure. */
AA_HIDDEN char *aa_asprintf(const char *fmt, ...) AA_PRINTF(1, 2);

/* Number of entries in a NULL-terminated vector. */
AA_HIDDEN size_t aa_strv_len(char *const *v);

/*
 * Open `path` without following a symlink in ANY component (openat with
 * O_NOFOLLOW one component at a time from / or the cwd). `flags` are the
 * open(2) flags for the last component (O_NOFOLLOW|O_CLOEXEC|O_NOCTTY are
 * added; O_NONBLOCK is used for the open and then cleared unless asked).
 * The one exception: a directory symlink owned by root inside a root-owned
 * directory nobody else can write (/home -> /var/home) is followed.
 * Returns an fd or -1 with errno set (ELOOP for a symlink).
 * When create_dirs is non-zero, missing directories are made with mode 0700
 * (also the last component when flags include O_DIRECTORY).
 */
AA_HIDDEN int aa_open_nofollow(const char *path, int flags, mode_t mode,
			       int create_dirs);

/*
 * Make the directory `path` (or take the one there) and return it open,
 * O_RDONLY|O_DIRECTORY, without following a symlink anywhere (as
 * aa_open_nofollow). Missing parents are made 0700 when make_parents is
 * non-zero. A new directory is made inside a private staging directory,
 * set to exactly `mode` through its descriptor (fchmod, never by path) and
 * renamed into place without replacing anything (renameat2 NOREPLACE), so
 * nothing swapped in under a name in `path`'s directory ever has its mode
 * changed. An existing directory (also one that appeared meanwhile) is left
 * as it is. -1 with errno (ELOOP: a symlink; EBUSY: the staging directory
 * was swapped) on failure.
 */
AA_HIDDEN int aa_make_dir(const char *path, mode_t mode, int make_parents);

/*
 * 1-line verdict on a file only an administrator may have written
 * (trusted_file.c): `path` is absolute, no component is a symbolic link,
 * the file is regular and every directory from / down to it and the file
 * itself are owned by root (or by `uid`) and writable by nobody else (a
 * sticky directory such as /tmp may be). 0 if so, else -1 with `why`.
 */
AA_HIDDEN int aa_file_trusted(const char *path, uid_t uid, char *why,
			      size_t why_len);

/*
 * Read a whole open file of at most max_bytes into a malloc'd,
 * NUL-terminated buffer. -1 with errno EFBIG when larger.
 */
AA_HIDDEN int aa_read_fd(int fd, size_t max_bytes, char **out, size_t *out_len);

/*
 * 0 when the directory open on dirfd belongs to us (or root) and no one
 * else may write it: whoever can write a directory can swap the files in it
 * (the keyring, config.toml). Else -1 with errno EPERM (another owner, in
 * *owner), EACCES (group/world-writable), or fstat's.
 */
AA_HIDDEN int aa_dir_is_private(int dirfd, uid_t *owner);

/*
 * Split the path of a file into its directory ("." when there is none, "/"
 * at the root) and its last name, both malloc'd. 0; -1 when out of memory;
 * 1 when the path names no file (empty, ending in '/', "." or "..").
 */
AA_HIDDEN int aa_split_path(const char *path, char **dir, char **name);

/*
 * Text from a server or a browser, made safe to print on a terminal
 * (text_safe.c): control characters (C0, DEL, C1, bidi overrides) are
 * removed, bytes that are not UTF-8 become '?'. Never longer than the input.
 */
#define AA_TEXT_KEEP_NEWLINES 1u /* keep '\n' (a multi-line document) */
AA_HIDDEN void aa_text_safe_inplace(char *s, unsigned flags);
/* The same into a malloc'd copy; NULL for NULL or when out of memory. */
AA_HIDDEN char *aa_text_safe(const char *s, unsigned flags);

/* Largest keyring file we will read (1 MiB). */
#define AA_KEYRING_MAX_BYTES (1024u * 1024u)

#endif /* AA_INTERNAL_H */
