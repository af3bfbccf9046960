/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_runner.h - starting pam_anaconda_verify for `auth`: under which
 * account, with which environment, and the nonce-framed request and reply
 * of verify_protocol.h.
 */
#ifndef PAM_RUNNER_H
#define PAM_RUNNER_H

#include <pwd.h>
#include <stddef.h>
#include <sys/types.h>

#include <security/pam_modules.h>

#include "pam_options.h"
#include "verify_protocol.h"

#define PA_MAX_GROUPS 256

typedef struct pa_run_as {
	uid_t uid;
	gid_t gid;
	gid_t groups[PA_MAX_GROUPS];
	size_t n_groups;
	const char *home;
} pa_run_as;

/*
 * The verifier's account: o->verify_user, a dedicated system account that
 * must exist and be neither root nor nobody (a uid other services share
 * could take over the helper). A host that is not root cannot switch and
 * runs the helper as itself. PAM_SUCCESS or the code to return (logged).
 */
int pa_run_as_verifier(pam_handle_t *pamh, const pa_options *o, pa_run_as *who);

/* What to do about a helper readable by group or others. */
typedef enum pa_helper_read {
	PA_HELPER_READ_OK,
	PA_HELPER_READ_WARN,
	PA_HELPER_READ_REFUSE
} pa_helper_read;

/*
 * A readable helper is dumpable from execve on, so a process of the
 * verifier's uid can take it over: as root (as_root) the installed helper
 * (installed: no helper= option) must be execute-only and is refused
 * otherwise; one named by helper= (tests, readable script probes) only
 * earns a warning. Not as root there is no verifier uid to fear.
 */
pa_helper_read pa_helper_read_check(mode_t mode, int installed, int as_root);

/* The user themselves, with their groups (for `store`). 0 or -1. */
int pa_run_as_user(const struct passwd *pw, pa_run_as *who);

/* What the helper answered: the first bytes, and how many there were. */
typedef struct pa_answer {
	char nonce[PA_NONCE_LEN + 1];
	char text[PA_REPLY_MAX];
	size_t total;
} pa_answer;

/*
 * Run the helper (argv[0] included) as `who`, with a fresh nonce and the
 * key as its request. PAM_SUCCESS when it answered and exited 0, else the
 * PAM code to return (logged).
 */
int pa_run_helper(pam_handle_t *pamh, const pa_options *o,
		  const pa_run_as *who, const char *const *argv,
		  const char *key, pa_answer *ans);

#endif /* PAM_RUNNER_H */
