/*
 * verify_protocol.h - what pam_anaconda and its helper, pam_anaconda_verify,
 * say to each other. The key always travels on the helper's stdin (never
 * argv or the environment); the helper answers with one line on stdout.
 *
 *   pam_anaconda_verify verify --timeout-ms=N
 *       GET /api/account with "Authorization: Bearer <key>"; settings from
 *       the (clean) environment: ANACONDA_AUTH_DOMAIN, ANACONDA_AUTH_SSL_VERIFY.
 *       Answers: "ok <username> <email>"   ("-" for a missing field)
 *                "invalid <reason>"        (401/403, revoked, malformed)
 *                "expired <reason>"
 *                "unavailable <reason>"    (network, TLS, 5xx, garbage reply, timeout)
 *   pam_anaconda_verify store --keyring=PATH
 *       run as the user: store the key for ANACONDA_AUTH_DOMAIN in the
 *       keyring file PATH. Answers: "stored" or "error <reason>".
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

#define PA_REPLY_MAX 1024  /* longest answer line, newline included */
#define PA_KEY_MAX 16384   /* longest key the helper accepts on stdin */

#endif /* VERIFY_PROTOCOL_H */
