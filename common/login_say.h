/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * login_say.h - messages and the monotonic clock shared by the login flows
 * (login_say.c). Below login.c: it never includes or calls back into it.
 */
#ifndef AA_LOGIN_SAY_H
#define AA_LOGIN_SAY_H

#include "internal.h"

/* Tell the person something through the UI, if it listens. */
AA_HIDDEN void aa_login_say(const aa_login_options *opts, const char *fmt, ...)
	AA_PRINTF(2, 3);
/* Seconds since an arbitrary point (CLOCK_MONOTONIC). */
AA_HIDDEN double aa_monotonic_s(void);

#endif /* AA_LOGIN_SAY_H */
