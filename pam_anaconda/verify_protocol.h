/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * verify_protocol.h - what pam_anaconda and its helper, pam_anaconda_verify,
 * say to each other. Two pipes, one per direction, so the helper's reply
 * can never be read back as a request or the request as a reply:
 *
 *   request (the helper's stdin):  "<nonce>\n<key>" then EOF
 *   reply   (the helper's stdout): exactly one line "<nonce> <answer>\n"
 *
 * The nonce is fresh random hex for each run. The module accepts a reply
 * only if it is that one line with that nonce and nothing else follows:
 * a process that could write to the reply pipe but not read the request
 * cannot forge an answer, and any extra byte is a failure. The key is
 * never in argv or the environment.
 *
 *   pam_anaconda_verify verify --timeout-ms=N [--at=SITE]
 *       GET /api/account with "Authorization: Bearer <key>"; settings from
 *       the (clean) environment: ANACONDA_AUTH_DOMAIN, ANACONDA_AUTH_SSL_VERIFY,
 *       ANACONDA_CONFIG_TOML (the administrator's config=, or PA_NO_CONFIG:
 *       never a user's file), ANACONDA_SECRETS_DIR (PA_NO_SECRETS_DIR),
 *       and the site --at names in it.
 *       Answers: "ok <account-id> <username>" ("-" for a missing field)
 *                "invalid <reason>"        (401/403, revoked, malformed)
 *                "expired <reason>"
 *                "unavailable <reason>"    (network, TLS, 5xx, garbage reply, timeout)
 *   pam_anaconda_verify store --home=DIR --keyring=PATH [--at=SITE]
 *       run as the user: store the key for the domain verify used (the same
 *       environment and site) in the keyring file DIR/PATH.
 *       Answers: "stored" or "error <reason>" (either command: settings
 *       that cannot be used, such as an unknown site).
 */
#ifndef VERIFY_PROTOCOL_H
#define VERIFY_PROTOCOL_H

/* The Makefile passes the install location; this default only serves tools
 * (linters) that compile a file on its own. */
#ifndef AA_HELPERDIR
#define AA_HELPERDIR "/usr/local/libexec/anaconda-auth"
#endif

#define PA_HELPER_NAME "pam_anaconda_verify"
#define PA_HELPER_PATH AA_HELPERDIR "/" PA_HELPER_NAME

#define PA_REPLY_OK "ok"
#define PA_REPLY_INVALID "invalid"
#define PA_REPLY_EXPIRED "expired"
#define PA_REPLY_UNAVAILABLE "unavailable"
#define PA_REPLY_STORED "stored"
#define PA_REPLY_ERROR "error"
#define PA_REPLY_NONE "-"  /* a field the account did not have */

/* ANACONDA_CONFIG_TOML without config=: no file, so the user's own
 * ~/.anaconda/config.toml never steers where a key is checked or stored. */
#define PA_NO_CONFIG "/nonexistent/config.toml"
/* ANACONDA_SECRETS_DIR of every helper: none, whatever /run/secrets holds. */
#define PA_NO_SECRETS_DIR "/nonexistent/secrets"

#define PA_REPLY_MAX 1024  /* longest reply line, nonce and newline included */
#define PA_KEY_MAX 16384   /* longest key the helper accepts on stdin */
#define PA_NONCE_LEN 32    /* hex digits (128 random bits) */

#endif /* VERIFY_PROTOCOL_H */
