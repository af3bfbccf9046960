/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * url_shown.c - whether a URL a server sent may be shown to the person or
 * opened in their browser: https, on the configured domain, the auth domain
 * or the Anaconda domains, and nothing a command line could take for an option.
 */
#include <string.h>
#include <strings.h>

#include "config_struct.h"
#include "net_internal.h"
#include "util/aa_util.h"

/* Printable ASCII without space, quotes, backslash or angle brackets. */
static int plain_url_text(const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p >= 0x7F || strchr("\"'\\<>`", *p))
			return 0;
	return 1;
}

static int same_text(const char *a, size_t alen, const char *b)
{
	return b && *b && strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/* host is an Anaconda domain or one of its subdomains (aa_host_char names). */
static int in_family(const char *host, size_t len)
{
	if (len == 0 || host[0] == '.' || host[0] == '-')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!aa_host_char((unsigned char)host[i]) ||
		    (host[i] == '.' && i + 1 < len && host[i + 1] == '.'))
			return 0;
	for (size_t f = 0; aa_anaconda_domains[f]; f++) {
		size_t flen = strlen(aa_anaconda_domains[f]);

		if (len == flen && strncasecmp(host, aa_anaconda_domains[f], flen) == 0)
			return 1;
		if (len > flen + 1 && host[len - flen - 1] == '.' &&
		    strncasecmp(host + len - flen, aa_anaconda_domains[f], flen) == 0)
			return 1;
	}
	return 0;
}

static int trusted_authority(const aa_config *cfg, const char *auth, size_t len)
{
	const char *colon = memchr(auth, ':', len);
	size_t hlen = colon ? (size_t)(colon - auth) : len;

	if (same_text(auth, len, cfg->domain) || same_text(auth, len, aa_config_auth_domain(cfg)))
		return 1;
	/* the Anaconda domains only on the standard port */
	if (colon && !(len - hlen == 4 && strncmp(colon, ":443", 4) == 0))
		return 0;
	return in_family(auth, hlen);
}

aa_status aa_url_check_shown(const aa_config *cfg, const char *field, const char *url,
			     aa_error *err)
{
	const char *auth;
	size_t len;

	/* an argument starting with '-' is an option to most browsers (--gpu-launcher=...) */
	if (!url || !*url || url[0] == '-' || !plain_url_text(url) ||
	    strncasecmp(url, "https://", 8) != 0)
		goto refuse;
	auth = url + 8;
	len = strcspn(auth, "/?#");
	/* user@host reads like one host and is another */
	if (len == 0 || memchr(auth, '@', len) || !trusted_authority(cfg, auth, len))
		goto refuse;
	return AA_OK;
refuse:
	return aa_fail(err, AA_ERR_SERVER,
		       "the login service sent an unsafe %s ('%.80s'): it must be an https:// URL on "
		       "%s or an Anaconda domain; not opening or showing it", field, url ? url : "",
		       cfg->domain);
}
