/* SPDX-License-Identifier: BSD-3-Clause */
/* login_say.c - what the login flows tell the person. */
#include <stdarg.h>
#include <stdio.h>

#include "login_say.h"

void aa_login_say(const aa_login_options *opts, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* the lines carry what the login service sent (URLs, the user code) */
	aa_text_safe_inplace(line, 0);
	if (n >= 0 && opts && opts->ui.say)
		opts->ui.say(opts->ui.ctx, line);
}
