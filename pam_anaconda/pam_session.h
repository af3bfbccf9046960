/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_session.h - session open: find the person's stored key offline,
 * export it to the session and warn before it expires. No network.
 */
#ifndef PAM_SESSION_H
#define PAM_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <security/pam_modules.h>

#include "pam_options.h"

/* pam_sm_open_session's work. */
int pa_session_open(pam_handle_t *pamh, int flags, const pa_options *o);

/*
 * The sentence shown when the key expires at `exp` (seconds) and it is
 * `now`: "expires in N days (on YYYY-MM-DD)" or "has expired". Exposed
 * for unit tests.
 */
void pa_expiry_message(int64_t exp, time_t now, char *out, size_t out_len);

#endif /* PAM_SESSION_H */
