/*
 * pam_usermap.h - the root-owned file that binds Anaconda account names to
 * local users for `auth ... usermap=FILE`: lines "account-username local-user",
 * '#' comments and blank lines allowed.
 */
#ifndef PAM_USERMAP_H
#define PAM_USERMAP_H

#include <stddef.h>

#define PA_USERMAP_MAX_BYTES (1024u * 1024u)

/*
 * Read the map: absolute path, no symlink anywhere, a regular file owned by
 * root, not writable by group or others. 0 on success (*text malloc'd),
 * -1 with a reason for syslog otherwise (-2: out of memory).
 */
int pa_usermap_load(const char *path, char **text, char *why, size_t why_len);

/* 1 if some line maps any account to `local`. */
int pa_usermap_has_local(const char *text, const char *local);

/* 1 if a line maps exactly `account` to `local`. */
int pa_usermap_allows(const char *text, const char *account, const char *local);

/* Number of lines that are neither blank, comments, nor two fields. */
size_t pa_usermap_bad_lines(const char *text);

#endif /* PAM_USERMAP_H */
