/* SPDX-License-Identifier: BSD-3-Clause */
/* store.c - saves a verified key in the user's keyring file, running as that user. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "anaconda_auth.h"
#include "helper.h"
#include "verify_protocol.h"

/* The keyring path pam_anaconda passes is relative to the home, with no
 * "." or ".." component (checked there too; a helper trusts no caller). */
static int relative_and_inside(const char *rel)
{
	const char *p = rel;

	if (!rel[0] || rel[0] == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

static char *keyring_path(const char *home, const char *rel)
{
	char *real = realpath(home, NULL);
	char *path = NULL;
	size_t n;

	if (!real)
		return NULL;
	n = strlen(real) + 1 + strlen(rel) + 1;
	path = malloc(n);
	if (path)
		snprintf(path, n, "%s/%s", real, rel);
	free(real);
	return path;
}

/* What the keyring reports while storing (an alias entry that held another
 * account's key now holds this one) goes to the system log: nobody reads
 * the helper's stderr. */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "pam_anaconda: %s", line);
}

int helper_store(const char *key, const char *at, const char *home,
		 const char *keyring)
{
	aa_config *cfg = NULL;
	aa_keyring *kr = NULL;
	aa_error err;
	aa_status st;
	char *path;

	if (!relative_and_inside(keyring) || home[0] != '/') {
		helper_reply(PA_REPLY_ERROR, "the keyring path must be relative to an absolute home");
		return 0;
	}
	path = keyring_path(home, keyring);
	if (!path) {
		helper_reply(PA_REPLY_ERROR, "the home directory cannot be resolved");
		return 0;
	}
	aa_error_clear(&err);
	st = helper_load_settings(at, &cfg, &err);
	if (st == AA_OK)
		st = aa_keyring_open_file(path, &kr, &err);
	if (st == AA_OK) {
		aa_keyring_set_log(kr, log_line, NULL);
		st = aa_keyring_store_api_key(kr, aa_config_domain(cfg), key, &err);
	}
	if (st == AA_OK)
		helper_reply(PA_REPLY_STORED, NULL);
	else
		helper_reply(PA_REPLY_ERROR, err.message[0] ? err.message : aa_strerror(st));
	aa_keyring_close(kr);
	aa_config_free(cfg);
	free(path);
	return 0;
}
