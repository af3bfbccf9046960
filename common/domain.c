/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * domain.c - Anaconda's names in one place: the default domain, the alias
 * families of one account, the Anaconda domains, the repository hosts, and
 * the one host[:port] syntax every front-end accepts and normalises.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/aa_util.h"

/* ---- the Anaconda names ------------------------------------------------ */

const char *const aa_anaconda_domains[] = {
	"anaconda.cloud", "anaconda.com", "anaconda.org", NULL,
};

/*
 * The hosts upstream maps to the anaconda.com keyring entry. They are
 * compared with a URL's host[:port] (https, so port 443 is no port): the
 * same name on another port is another server and gets no key.
 */
const char *const aa_repo_token_hosts[] = { "repo.anaconda.cloud", NULL };
const char *const aa_repo_api_key_hosts[] = {
	"repo.anaconda.com", "repo.continuum.io", NULL,
};

/*
 * One account, three historical names. The order after the domain itself
 * follows the Python migrations: anaconda.com looks for id.anaconda.cloud,
 * then anaconda.cloud.
 */
static const char *const family_cloud[] = {
	"anaconda.cloud", "anaconda.com", "id.anaconda.cloud", NULL };
static const char *const family_com[] = {
	"anaconda.com", "id.anaconda.cloud", "anaconda.cloud", NULL };
static const char *const family_id[] = {
	"id.anaconda.cloud", "anaconda.com", "anaconda.cloud", NULL };

const char *const *aa_domain_aliases(const char *domain, const char *one[2])
{
	static const char *const *const families[] = {
		family_cloud, family_com, family_id };

	for (size_t i = 0; domain && i < sizeof(families) / sizeof(families[0]); i++)
		if (strcasecmp(domain, families[i][0]) == 0)
			return families[i];
	if (!one)
		return NULL;
	one[0] = domain;
	one[1] = NULL;
	return one;
}

/*
 * The host families a redirect may move within: one company's names for
 * one service. anaconda.org is another service (its own accounts).
 */
static const char *const redirect_families[][3] = {
	{ "anaconda.com", "anaconda.cloud", NULL },
	{ "anaconda.org", NULL, NULL },
};

/* name[0..n) is `domain` or a subdomain of it. */
static int under(const char *name, size_t n, const char *domain)
{
	size_t d = strlen(domain);

	return (n == d && strncasecmp(name, domain, d) == 0) ||
	       (n > d + 1 && name[n - d - 1] == '.' && strncasecmp(name + n - d, domain, d) == 0);
}

/* Index of the family of name[0..n), or -1. */
static int family_of(const char *name, size_t n)
{
	for (size_t f = 0; f < sizeof(redirect_families) / sizeof(redirect_families[0]); f++)
		for (size_t i = 0; redirect_families[f][i]; i++)
			if (under(name, n, redirect_families[f][i]))
				return (int)f;
	return -1;
}

/* Length of the host part of host[:port] and its port ("443" when none). */
static size_t split_port(const char *hp, const char **port)
{
	size_t n = hp[0] == '[' ? strcspn(hp, "]") + (hp[strcspn(hp, "]")] ? 1 : 0)
				: strcspn(hp, ":");

	*port = hp[n] == ':' ? hp + n + 1 : "443";
	return n;
}

int aa_host_redirect_ok(const char *from, const char *to)
{
	const char *pf, *pt;
	size_t nf, nt;
	int ff;

	if (!from || !to)
		return 0;
	nf = split_port(from, &pf);
	nt = split_port(to, &pt);
	if (strcmp(pf, pt) != 0)
		return 0;
	if (nf == nt && strncasecmp(from, to, nf) == 0)
		return 1;
	ff = family_of(from, nf);
	return ff >= 0 && ff == family_of(to, nt);
}

int aa_host_in_list(const char *hostport, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(hostport, *list))
			return 1;
	return 0;
}

/* ---- host[:port] -------------------------------------------------------- */

int aa_host_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_';
}

/* Skip an http:// or https:// prefix; *why is set for any other scheme. */
static const char *skip_scheme(const char *s, const char **why)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return s;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return s;
	if (!((p - s == 4 && strncasecmp(s, "http", 4) == 0) ||
	      (p - s == 5 && strncasecmp(s, "https", 5) == 0))) {
		*why = "only http:// and https:// URLs are allowed";
		return NULL;
	}
	return p + 3;
}

static int is_ipv6_char(int ch)
{
	return isxdigit(ch) || ch == ':' || ch == '.';
}

/* Length of a valid host at `s` (bracketed IPv6 or a name), 0 if none. */
static size_t host_length(const char *s, size_t n, const char **why)
{
	size_t i = 0;

	if (n > 0 && s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++) {
			if (!is_ipv6_char((unsigned char)s[i])) {
				*why = "the IPv6 address holds an invalid character";
				return 0;
			}
		}
		if (i >= n || i == 1) {
			*why = "the IPv6 address is not closed with ']'";
			return 0;
		}
		return i + 1;
	}
	while (i < n && s[i] != ':') {
		if (!aa_host_char((unsigned char)s[i])) {
			*why = "the host may only hold letters, digits, '-', '.' and '_'";
			return 0;
		}
		i++;
	}
	if (i == 0)
		*why = "the host is empty";
	return i;
}

int aa_port_valid(const char *s, size_t n)
{
	unsigned long port = 0;

	if (n == 0 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

char *aa_hostport_normalize(const char *input, const char **why)
{
	const char *s = input, *auth, *at;
	size_t n, end, hlen;
	char *out;

	while (isspace((unsigned char)*s))
		s++;
	end = strlen(s);
	while (end > 0 && isspace((unsigned char)s[end - 1]))
		end--;
	*why = "it is empty";
	if (end == 0)
		return NULL;
	auth = skip_scheme(s, why);
	if (!auth)
		return NULL;
	end -= (size_t)(auth - s);
	n = strcspn(auth, "/?#");
	if (n > end)
		n = end;
	at = memrchr(auth, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	hlen = host_length(auth, n, why);
	if (hlen == 0)
		return NULL;
	if (hlen < n && (auth[hlen] != ':' || !aa_port_valid(auth + hlen + 1, n - hlen - 1))) {
		*why = "the port must be a number from 1 to 65535";
		return NULL;
	}
	out = strndup(auth, n);
	if (!out) {
		*why = "out of memory";
		return NULL;
	}
	for (size_t i = 0; i < hlen; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

int aa_hostport_valid(const char *s)
{
	const char *why;
	char *out = aa_hostport_normalize(s, &why);
	int ok = out && strcasecmp(out, s) == 0;

	free(out);
	return ok;
}
