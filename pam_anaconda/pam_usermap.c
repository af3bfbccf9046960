/* SPDX-License-Identifier: BSD-3-Clause */
/* pam_usermap.c - loads and queries the root-owned account-to-local-user map. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "pam_usermap.h"

int pa_usermap_load(const char *path, char **text, char *why, size_t why_len)
{
	struct stat st;
	size_t len;
	int fd, rc = PA_USERMAP_UNUSABLE;

	*text = NULL;
	fd = aa_open_nofollow(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0, 0);
	if (fd < 0) {
		snprintf(why, why_len, "cannot open it: %s", strerror(errno));
		return errno == ENOMEM ? PA_USERMAP_NOMEM : PA_USERMAP_UNUSABLE;
	}
	/* A map anyone but root can change would let them pick who logs in. */
	if (fstat(fd, &st) != 0)
		snprintf(why, why_len, "cannot stat it: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, why_len, "not a regular file");
	else if (st.st_uid != 0)
		snprintf(why, why_len, "not owned by root");
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		snprintf(why, why_len, "writable by group or others");
	else if (aa_read_fd(fd, PA_USERMAP_MAX_BYTES, text, &len) != 0) {
		snprintf(why, why_len, "cannot read it: %s", strerror(errno));
		*text = NULL;
		if (errno == ENOMEM)
			rc = PA_USERMAP_NOMEM;
	} else
		rc = PA_USERMAP_LOADED;
	close(fd);
	return rc;
}

/* Split one line into up to three whitespace-separated fields. */
static size_t fields(const char *line, size_t len, const char *f[3],
		     size_t flen[3])
{
	size_t n = 0, i = 0;

	while (i < len && n < 3) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' ||
				   line[i] == '\r'))
			i++;
		if (i >= len || line[i] == '#')
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t' &&
		       line[i] != '\r')
			i++;
		flen[n] = (size_t)(line + i - f[n]);
		n++;
	}
	return n;
}

static int field_is(const char *f, size_t flen, const char *s)
{
	return strlen(s) == flen && memcmp(f, s, flen) == 0;
}

int pa_is_uuid(const char *s, size_t len)
{
	if (len != 36)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/* Looks like an id but is not its canonical form (32 hex digits, {uuid},
 * urn:uuid:...): taken as a username it would bind whoever registers that
 * name, while the account meant is refused. */
static int id_misspelt(const char *f, size_t flen)
{
	size_t hexdash = 0;

	if (pa_is_uuid(f, flen))
		return 0;
	for (size_t i = 0; i < flen; i++) {
		if (f[i] == '{' || f[i] == '}' || f[i] == ':')
			return 1;
		if (isxdigit((unsigned char)f[i]) || f[i] == '-')
			hexdash++;
	}
	return hexdash == flen;
}

/* An account field against the verified account: ids by id only, so a
 * username that happens to look like a UUID never matches an id line. */
static int account_is(const char *f, size_t flen, const char *acct_id,
		      const char *acct_username)
{
	if (pa_is_uuid(f, flen))
		return acct_id && strlen(acct_id) == flen &&
		       strncasecmp(f, acct_id, flen) == 0;
	return !id_misspelt(f, flen) && acct_username && *acct_username &&
	       field_is(f, flen, acct_username);
}

int pa_usermap_allows(const char *text, const char *acct_id,
		      const char *acct_username, const char *local)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *f[3];
		size_t flen[3];

		if (fields(p, len, f, flen) == 2 &&
		    field_is(f[1], flen[1], local) &&
		    account_is(f[0], flen[0], acct_id, acct_username))
			return 1;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

size_t pa_usermap_bad_lines(const char *text)
{
	const char *p = text;
	size_t bad = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *f[3];
		size_t flen[3], n = fields(p, len, f, flen);

		if ((n != 0 && n != 2) || (n == 2 && id_misspelt(f[0], flen[0])))
			bad++;
		p = nl ? nl + 1 : NULL;
	}
	return bad;
}
