/* hosts.c - decides whether a git request is for an Anaconda host we serve. */
#include <string.h>
#include <strings.h>

#include "hosts.h"

const char *const gca_anaconda_families[] = {
	"anaconda.cloud", "anaconda.com", "anaconda.org", NULL,
};

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
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-' || c == '_') {
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

int gca_host_within(const char *host, const char *domain)
{
	const char *hport, *dport;
	size_t hn, dn;

	if (!host || !domain)
		return 0;
	/* "host:" with an empty port is not a name we recognise. */
	if ((hport = strrchr(host, ':')) && !hport[1])
		return 0;
	hn = host_part(host, &hport);
	dn = host_part(domain, &dport);
	if (!plain_name(host, hn, hport) || !plain_name(domain, dn, dport))
		return 0;
	if (strcmp(hport, dport))
		return 0;
	if (hn == dn)
		return strncasecmp(host, domain, hn) == 0;
	/* A subdomain: "<label(s)>." followed by exactly the domain. */
	return hn > dn && host[hn - dn - 1] == '.' &&
	       strncasecmp(host + hn - dn, domain, dn) == 0;
}

int gca_host_is_ours(const char *protocol, const char *host,
		     const char *domain, int narrow)
{
	if (!protocol || strcmp(protocol, "https") || !host)
		return 0;
	if (gca_host_within(host, domain))
		return 1;
	if (narrow)
		return 0;
	for (size_t i = 0; gca_anaconda_families[i]; i++)
		if (gca_host_within(host, gca_anaconda_families[i]))
			return 1;
	return 0;
}
