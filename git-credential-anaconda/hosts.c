/* SPDX-License-Identifier: BSD-3-Clause */
/* hosts.c - decides whether a git request is for a host this helper was set up to serve. */
#include <string.h>
#include <strings.h>

#include "hosts.h"
#include "util/aa_util.h"

/* Split "host[:port]" into its host length and port ("" when absent, "443" = ""). */
static size_t host_part(const char *s, const char **port)
{
	const char *colon = strrchr(s, ':');

	if (!colon) {
		*port = "";
		return strlen(s);
	}
	*port = colon + 1;
	if (!strcmp(*port, "443"))
		*port = "";
	return (size_t)(colon - s);
}

/*
 * Only plain DNS names (letters, digits, '-', '_', non-empty labels) and a
 * decimal port are compared, so nothing like "a@b", "[::1]" or a trailing
 * dot can make a foreign host look like ours.
 */
static int plain_name(const char *s, size_t n, const char *port)
{
	int label = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (aa_host_char((unsigned char)c)) {
			label++;
		} else {
			return 0;
		}
	}
	if (label == 0)
		return 0;
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* host and want split into name and port, or 0 when either is not a plain name. */
static int split_both(const char *host, const char *want, size_t *hn,
		      const char **hport, size_t *wn, const char **wport)
{
	const char *colon;

	if (!host || !want)
		return 0;
	/* "host:" with an empty port is not a name we recognise. */
	if (((colon = strrchr(host, ':')) && !colon[1]) ||
	    ((colon = strrchr(want, ':')) && !colon[1]))
		return 0;
	*hn = host_part(host, hport);
	*wn = host_part(want, wport);
	return plain_name(host, *hn, *hport) && plain_name(want, *wn, *wport);
}

int gca_host_valid(const char *host)
{
	size_t hn, wn;
	const char *hport, *wport;

	return split_both(host, host, &hn, &hport, &wn, &wport);
}

int gca_host_equal(const char *host, const char *want)
{
	size_t hn, wn;
	const char *hport, *wport;

	if (!split_both(host, want, &hn, &hport, &wn, &wport))
		return 0;
	return hn == wn && !strcmp(hport, wport) && strncasecmp(host, want, hn) == 0;
}

int gca_host_is_ours(const char *protocol, const char *host,
		     const char *domain, const char *const *extra)
{
	if (!protocol || strcmp(protocol, "https") || !host)
		return 0;
	if (gca_host_equal(host, domain))
		return 1;
	for (; extra && *extra; extra++)
		if (gca_host_equal(host, *extra))
			return 1;
	return 0;
}
