/* SPDX-License-Identifier: BSD-3-Clause */
/* file.h - read and atomically replace small private files without following symlinks. */
#ifndef CONDA_FILE_H
#define CONDA_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "anaconda_auth.h"

/*
 * Read path (at most max bytes) without following a symlink anywhere in it.
 * A missing file gives AA_ERR_NOT_FOUND; *owner_ok is 0 when another user
 * owns it; *mode gets its permission bits. *out is malloc'd, NUL-terminated,
 * and may hold secrets (wipe it).
 */
aa_status ch_read_file(const char *path, size_t max, char **out, size_t *len,
		       mode_t *mode, int *owner_ok, aa_error *err);

/*
 * Replace path with data: a temp file in the same directory (O_EXCL,
 * `mode`), fsync, rename, fsync of the directory. Refuses when path is a
 * symlink. Missing parent directories are made 0700 when make_dirs is set
 * (through descriptors, see aa_make_dir).
 */
aa_status ch_write_file(const char *path, const char *data, size_t len, mode_t mode,
			int make_dirs, aa_error *err);

/* Remove path (not through a symlink). Absent is AA_OK. */
aa_status ch_remove_file(const char *path, aa_error *err);

#endif /* CONDA_FILE_H */
