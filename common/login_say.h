/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * login_say.h - the messages the login flows show (login_say.c); their clock
 * is aa_monotonic_s() in util/. Below login.c: it never includes or calls back into it.
 */
#ifndef AA_LOGIN_SAY_H
#define AA_LOGIN_SAY_H

#include "internal.h"
#include "util/aa_util.h"

/* Tell the person something through the UI, if it listens. */
AA_HIDDEN void aa_login_say(const aa_login_options *opts, const char *fmt, ...)
	AA_PRINTF(2, 3);

#endif /* AA_LOGIN_SAY_H */
