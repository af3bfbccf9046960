/* SPDX-License-Identifier: BSD-3-Clause */
/* login_say.c - what the login flows tell the person, and the clock their deadlines use. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "login_say.h"

double aa_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
