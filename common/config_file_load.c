/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config_file_load.c - turn ~/.anaconda/config.toml into struct config_file.
 * A stub until the TOML reader lands: no file is fine, a file is an error.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "config_file.h"

aa_status config_file_load(const char *path, struct config_file **out, aa_error *err)
{
	struct stat st;

	*out = NULL;
	if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return AA_OK;
	/* TODO(lead): parse with the aa_toml reader and fill a config_file. */
	return aa_fail(err, AA_ERR_USAGE,
		       "%s: cannot read TOML yet; move the file aside or set ANACONDA_CONFIG_TOML",
		       path);
}
