/* SPDX-License-Identifier: BSD-3-Clause */
/* time_text.c - the one way a moment in time and an expired key are shown. */
#include <stdio.h>

#include "util/aa_util.h"

void aa_format_utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "@%lld", (long long)t);
}

aa_status aa_check_not_expired(const char *key, time_t now, const char *what,
			       const char *fix, aa_error *err)
{
	int64_t exp = 0;
	char when[AA_UTC_TEXT];

	if (aa_key_expiry(key, now, &exp) != AA_EXPIRY_EXPIRED)
		return AA_OK;
	aa_format_utc(exp, when, sizeof(when));
	return aa_fail(err, AA_ERR_EXPIRED, "%s expired on %s; %s", what, when, fix);
}
