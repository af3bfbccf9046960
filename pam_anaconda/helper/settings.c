/* SPDX-License-Identifier: BSD-3-Clause */
/* settings.c - the helper's settings: its clean environment, the administrator's config.toml and the site pam_anaconda named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anaconda_auth.h"
#include "helper.h"
#include "internal.h"
#include "verify_protocol.h"

/* pam_anaconda checked the file already; a helper trusts no caller, and
 * whoever can write the file chooses the server that vouches for keys. */
static aa_status config_trusted(aa_error *err)
{
	const char *path = getenv("ANACONDA_CONFIG_TOML");
	char why[512];

	if (!path || strcmp(path, PA_NO_CONFIG) == 0)
		return AA_OK;
	if (aa_file_trusted(path, getuid(), why, sizeof(why)) == 0)
		return AA_OK;
	return aa_fail(err, AA_ERR_USAGE, "config=%s not used: %s", path, why);
}

aa_status helper_load_settings(const char *at, aa_config **cfg, aa_error *err)
{
	aa_status st;

	*cfg = NULL;
	st = config_trusted(err);
	/* No ./.env: the settings come only from the environment pam_anaconda built. */
	if (st == AA_OK)
		st = aa_config_load(cfg, 0, err);
	if (st == AA_OK && at)
		st = aa_config_set(*cfg, "site", at, "site=", err);
	if (st != AA_OK) {
		aa_config_free(*cfg);
		*cfg = NULL;
	}
	return st;
}
