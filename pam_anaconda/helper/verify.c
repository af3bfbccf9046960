/* SPDX-License-Identifier: BSD-3-Clause */
/* verify.c - asks the service whose key this is: GET /api/account with the key as Bearer. */
#include <stdio.h>
#include <string.h>

#include "anaconda_auth.h"
#include "helper.h"
#include "verify_protocol.h"

/* One space-free printable word for the answer line, or "-". */
static const char *word_or_none(const char *s)
{
	if (!s || !*s)
		return PA_REPLY_NONE;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return PA_REPLY_NONE;
	return s;
}

/* libcurl gets most of the budget so it, not the alarm, reports the failure. */
static void set_timeouts(aa_config *cfg, long timeout_ms)
{
	long ms = timeout_ms > 2000 ? timeout_ms - 1000 : 1000;
	char secs[32];

	snprintf(secs, sizeof(secs), "%ld.%03ld", ms / 1000, ms % 1000);
	aa_config_set(cfg, "timeout", secs, "pam_anaconda timeout", NULL);
	aa_config_set(cfg, "connect_timeout", secs, "pam_anaconda timeout", NULL);
}

static int answer(aa_status st, const aa_account *acct, const aa_error *err)
{
	char line[PA_REPLY_MAX];

	switch (st) {
	case AA_OK:
		/* the id binds (usermap); the username is for match=username */
		snprintf(line, sizeof(line), "%s %s", word_or_none(acct->id),
			 word_or_none(acct->username));
		helper_reply(PA_REPLY_OK, line);
		break;
	case AA_ERR_AUTH:
	case AA_ERR_LOGIN_REQUIRED:
	case AA_ERR_PARSE:
	case AA_ERR_NOT_FOUND:
		helper_reply(PA_REPLY_INVALID, err->message);
		break;
	case AA_ERR_EXPIRED:
		helper_reply(PA_REPLY_EXPIRED, err->message);
		break;
	default:
		helper_reply(PA_REPLY_UNAVAILABLE,
			     err->message[0] ? err->message : aa_strerror(st));
		break;
	}
	return 0;
}

int helper_verify(const char *key, const char *at, long timeout_ms)
{
	aa_config *cfg = NULL;
	aa_client *c = NULL;
	aa_account acct;
	aa_error err;
	aa_status st;

	memset(&acct, 0, sizeof(acct));
	aa_error_clear(&err);
	st = helper_load_settings(at, &cfg, &err);
	if (st != AA_OK) {
		/* the administrator's settings, not the network: no retrying */
		helper_reply(st == AA_ERR_USAGE ? PA_REPLY_ERROR : PA_REPLY_UNAVAILABLE,
			     err.message);
		return 0;
	}
	set_timeouts(cfg, timeout_ms);
	st = aa_client_new(cfg, &c, &err);
	if (st == AA_OK)
		st = aa_client_set_api_key(c, key);
	if (st == AA_OK)
		st = aa_account_fetch(c, &acct, &err);
	answer(st, &acct, &err);
	aa_account_free(&acct);
	aa_client_free(c);
	aa_config_free(cfg);
	return 0;
}
