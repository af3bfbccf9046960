/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helper.h - the two jobs of pam_anaconda_verify (see verify_protocol.h):
 * verify a key online, and store a verified key as the user.
 */
#ifndef PAM_HELPER_H
#define PAM_HELPER_H

/* Remember the request's nonce: every answer line starts with it. */
void helper_set_nonce(const char *nonce);

/* Print the one answer line on stdout: "<nonce> <word>[ <text>]". Control
 * characters in text are replaced so the line stays one line. */
void helper_reply(const char *word, const char *text);

/* GET /api/account with the key; settings from the environment. */
int helper_verify(const char *key, long timeout_ms);

/* Store the key for the configured domain in <home>/<keyring>. */
int helper_store(const char *key, const char *home, const char *keyring);

#endif /* PAM_HELPER_H */
