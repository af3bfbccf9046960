/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * protocol.h - git's credential protocol: reading the key=value description
 * git sends on stdin and formatting the answer we print for `get`.
 */
#ifndef GCA_PROTOCOL_H
#define GCA_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "anaconda_auth.h"

/* git documents that a line, with its newline, may not exceed 65535 bytes. */
#define GCA_MAX_LINE 65535u
/* Total input we accept; a description is a few hundred bytes in practice. */
#define GCA_MAX_INPUT (4u * 1024u * 1024u)

/* A multi-valued attribute (key[]): values in the order git sent them. */
typedef struct gca_list {
	char **v;
	size_t n;
	size_t cap; /* slots allocated in v */
} gca_list;

/*
 * One credential description. Every string is NULL when the attribute was
 * absent and is wiped on free, because several of them hold secrets.
 */
typedef struct gca_request {
	char *protocol;
	char *host;
	char *path;
	char *username;
	char *password;
	char *password_expiry_utc;
	char *oauth_refresh_token;
	char *authtype;
	char *credential;
	char *ephemeral;
	gca_list capability; /* capability[] */
	gca_list wwwauth;    /* wwwauth[]    */
	gca_list state;      /* state[]      */
} gca_request;

/*
 * Parse a description from `text` (len bytes, may contain anything).
 * Lines end with LF or CRLF; input stops at a blank line or at the end.
 * A value with NUL or a bare CR, a line without '=', or a line longer than
 * GCA_MAX_LINE is AA_ERR_PARSE and leaves *req empty. Unknown keys are
 * ignored; the last of repeated single keys wins; an empty `key[]=` clears
 * that list. *consumed (may be NULL) gets the bytes up to and including the
 * terminating blank line, or len when there was none.
 */
aa_status gca_request_parse(const char *text, size_t len, gca_request *req,
			    size_t *consumed, aa_error *err);

/*
 * Read a description from fd until a blank line or EOF (no more than
 * GCA_MAX_INPUT bytes) and parse it. Every buffer is wiped before return.
 */
aa_status gca_request_read(int fd, gca_request *req, aa_error *err);

/* Wipe and free every value; the struct is left zeroed. */
void gca_request_free(gca_request *req);

/* 1 when git announced `capability[]=<name>` in this request. */
int gca_request_has_capability(const gca_request *req, const char *name);

/* What `get` answers; NULL fields are not printed. */
typedef struct gca_answer {
	const char *username;
	const char *password;
	int bearer;          /* 1: capability[]=authtype + authtype=Bearer + credential */
	int has_expiry;
	int64_t expiry_utc;
} gca_answer;

/*
 * Format the answer as protocol lines into a malloc'd NUL-terminated string
 * (free it with aa_free_secret_str: it holds the key). AA_ERR_PARSE when a
 * value could not travel (CR, LF or NUL in it, or too long a line).
 */
aa_status gca_answer_format(const gca_answer *a, char **out, size_t *out_len,
			    aa_error *err);

#endif /* GCA_PROTOCOL_H */
