/* SPDX-License-Identifier: BSD-3-Clause */
/* toml_load.c - reading a TOML file: a regular file, size-capped, its text wiped after parsing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toml.h"

aa_status aa_toml_load_fd(int fd, const char *shown, aa_toml **out, aa_error *err)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	aa_status rc;

	*out = NULL;
	if (fstat(fd, &st) != 0)
		return aa_fail(err, AA_ERR_GENERIC, "cannot examine %s: %s", shown,
			       strerror(errno));
	if (!S_ISREG(st.st_mode))
		return aa_fail(err, AA_ERR_USAGE, "%s is not a regular file", shown);
	if (aa_read_fd(fd, AA_TOML_MAX_BYTES, &text, &len) != 0) {
		if (errno == EFBIG)
			return aa_fail(err, AA_ERR_USAGE,
				       "%s is larger than %u KiB; it is not a settings file",
				       shown, AA_TOML_MAX_BYTES / 1024u);
		return aa_fail(err, AA_ERR_GENERIC, "cannot read %s: %s", shown,
			       strerror(errno));
	}
	rc = aa_toml_parse(text, len, shown, out, err);
	aa_memzero(text, len);
	free(text);
	return rc;
}

aa_status aa_toml_load_file(const char *path, const char *shown, aa_toml **out,
			    aa_error *err)
{
	aa_status rc;
	int fd;

	*out = NULL;
	if (!shown)
		shown = path;
	/* O_NONBLOCK: a FIFO put there must not hang the program; refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return aa_fail(err, AA_ERR_NOT_FOUND, "%s does not exist", shown);
		return aa_fail(err, AA_ERR_GENERIC, "cannot open %s: %s", shown,
			       strerror(errno));
	}
	rc = aa_toml_load_fd(fd, shown, out, err);
	close(fd);
	return rc;
}
