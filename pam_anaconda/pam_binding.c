/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_binding.c - binds verified accounts to local users and spots elevation. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pam_binding.h"
#include "pam_usermap.h"

/* The value of a "NAME value" line, or 0 when it is not one. */
static unsigned long setting(const char *line, const char *name)
{
	const char *p = line + strspn(line, " \t");
	size_t n = strlen(name);
	char *end = NULL;
	unsigned long v;

	if (strncmp(p, name, n) != 0 || !isspace((unsigned char)p[n]))
		return 0;
	p += n + strspn(p + n, " \t");
	errno = 0;
	v = strtoul(p, &end, 10);
	return errno || end == p || v >= 0x7fffffffUL ? 0 : v;
}

pa_uid_range pa_uid_range_read(const char *login_defs)
{
	pa_uid_range r = { PA_DEFAULT_UID_MIN, PA_DEFAULT_UID_MAX };
	FILE *f = fopen(login_defs, "re");
	char line[256];

	if (!f)
		return r;
	while (fgets(line, sizeof(line), f)) {
		unsigned long v;

		/* 0 would make root an ordinary account: keep the default */
		if ((v = setting(line, "UID_MIN")) > 0)
			r.min = (uid_t)v;
		else if ((v = setting(line, "UID_MAX")) > 0)
			r.max = (uid_t)v;
	}
	fclose(f);
	return r;
}

int pa_account_bound(const pa_options *o, const char *usermap_text,
		     const struct passwd *pw, const char *acct_id,
		     const char *acct_username, pa_uid_range ordinary)
{
	/* Root and system accounts: only a line that names them. */
	if (usermap_text &&
	    pa_usermap_allows(usermap_text, acct_id, acct_username, pw->pw_name))
		return 1;
	return o->match == PA_MATCH_USERNAME && acct_username &&
	       strcmp(acct_username, pw->pw_name) == 0 && pw->pw_uid != 0 &&
	       pw->pw_uid >= ordinary.min && pw->pw_uid <= ordinary.max;
}

int pa_host_is_setid(uid_t real_uid, uid_t effective_uid)
{
	return real_uid != effective_uid;
}

int pa_requester_is_other(const char *ruser, uid_t ruser_uid, uid_t real_uid,
			  const char *user)
{
	if (!ruser || !*ruser || strcmp(ruser, user) == 0)
		return 0;
	/* PAM_RUSER is the host's word: "root asks" only from a root host. */
	return !(ruser_uid == 0 && real_uid == 0);
}

int pa_caller_is_other(uid_t real_uid, const struct passwd *target)
{
	if (real_uid == 0)
		return 0; /* sshd, login: nobody else is asking */
	return !target || target->pw_uid != real_uid;
}
