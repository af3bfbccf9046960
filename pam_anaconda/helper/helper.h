/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helper.h - the two jobs of pam_anaconda_verify (see verify_protocol.h):
 * verify a key online, and store a verified key as the user.
 */
#ifndef PAM_HELPER_H
#define PAM_HELPER_H

#include "anaconda_auth.h"

/* Remember the request's nonce: every answer line starts with it. */
void helper_set_nonce(const char *nonce);

/* Print the one answer line on stdout: "<nonce> <word>[ <text>]". Control
 * characters in text are replaced so the line stays one line. */
void helper_reply(const char *word, const char *text);

/* The settings pam_anaconda chose: its environment (ANACONDA_CONFIG_TOML
 * is re-checked as root's, see verify_protocol.h) and the site `at`
 * (NULL: the file's default). Nothing to free on failure. */
aa_status helper_load_settings(const char *at, aa_config **cfg, aa_error *err);

/* GET /api/account with the key; settings from helper_load_settings. */
int helper_verify(const char *key, const char *at, long timeout_ms);

/* Store the key for the configured domain in <home>/<keyring>. */
int helper_store(const char *key, const char *at, const char *home,
		 const char *keyring);

#endif /* PAM_HELPER_H */
