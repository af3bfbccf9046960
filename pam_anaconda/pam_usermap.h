/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_usermap.h - the root-owned file that binds Anaconda accounts to local
 * users for `auth ... usermap=FILE`: lines "ACCOUNT local-user", '#'
 * comments and blank lines allowed. ACCOUNT shaped like a UUID is the
 * account id (user.id of /api/account, assigned by the service and never
 * reused); anything else is an account username, which is weaker: a name
 * that is given up can be registered again by someone else. An ACCOUNT
 * made only of hex digits and dashes, or containing '{', '}' or ':', that
 * is not the canonical 8-4-4-4-12 form is a misspelt id: the line is
 * malformed (ignored, counted by pa_usermap_bad_lines), never a username.
 */
#ifndef PAM_USERMAP_H
#define PAM_USERMAP_H

#include <stddef.h>

#define PA_USERMAP_MAX_BYTES (1024u * 1024u)

/* What pa_usermap_load found. */
enum pa_usermap_load_result {
	PA_USERMAP_LOADED = 0,    /* *text malloc'd */
	PA_USERMAP_UNUSABLE = -1, /* why says what is wrong with the file */
	PA_USERMAP_NOMEM = -2,    /* out of memory (why says where) */
};

/*
 * Read the map: absolute path, no symlink anywhere, a regular file owned by
 * root, not writable by group or others. An enum pa_usermap_load_result.
 */
int pa_usermap_load(const char *path, char **text, char *why, size_t why_len);

/*
 * 1 if a line maps the account to `local`: an id line whose id equals
 * acct_id (hex digits compared without regard to case), or a username line
 * equal to acct_username. Either may be NULL (the account had none).
 */
int pa_usermap_allows(const char *text, const char *acct_id,
		      const char *acct_username, const char *local);

/* 1 if s[0..len) has the 8-4-4-4-12 hex shape of a UUID. */
int pa_is_uuid(const char *s, size_t len);

/* Number of lines that are neither blank, comments, nor two fields, or
 * whose account field is a misspelt id. */
size_t pa_usermap_bad_lines(const char *text);

#endif /* PAM_USERMAP_H */
