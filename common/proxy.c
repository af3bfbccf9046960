/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * proxy.c - the proxy_servers setting: which keys and proxy URLs are taken,
 * which proxy a request uses (requests' and conda's rules), and how a proxy
 * URL is shown without the credentials it may carry.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "proxy.h"

/*
 * The proxy kinds libcurl and requests agree on. socks4 is left out: it
 * resolves names locally and carries no password.
 */
static const char *const proxy_schemes[] = { "http", "https", "socks5", "socks5h", NULL };

static int in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(s, *list, n) == 0)
			return 1;
	return 0;
}

static int plain_text(const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch <= 0x20 || ch >= 0x7f || ch == '\\')
			return 0;
	}
	return 1;
}

static char *lower_dup(const char *s)
{
	char *out = strdup(s);

	for (char *p = out; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

char *aa_proxy_key_normalize(const char *key, const char **why)
{
	static const char *const request_schemes[] = { "http", "https", "all", NULL };
	const char *sep = strstr(key, "://");

	*why = "a key is http, https or all, or one of them followed by ://host";
	if (!plain_text(key))
		return NULL;
	if (!sep)
		return in_list(key, strlen(key), request_schemes) ? lower_dup(key) : NULL;
	if (!in_list(key, (size_t)(sep - key), request_schemes) || !sep[3])
		return NULL;
	/* requests matches the host name alone: a port here would never match */
	for (const char *p = sep + 3; *p; p++)
		if (!aa_host_char((unsigned char)*p))
			return NULL;
	return lower_dup(key);
}

/* The scheme of a proxy URL, "http" when it names none. */
static const char *split_scheme(const char *url, const char **rest, const char **why)
{
	const char *sep = strstr(url, "://");

	if (!sep) {
		*rest = url;
		return "http";
	}
	*rest = sep + 3;
	for (size_t i = 0; proxy_schemes[i]; i++)
		if (strlen(proxy_schemes[i]) == (size_t)(sep - url) &&
		    strncasecmp(url, proxy_schemes[i], (size_t)(sep - url)) == 0)
			return proxy_schemes[i];
	*why = "only http://, https://, socks5:// and socks5h:// proxies are supported";
	return NULL;
}

char *aa_proxy_url_normalize(const char *url, const char **why)
{
	const char *rest = NULL, *scheme, *at, *hp;
	char *hostport, *norm, *out;
	size_t alen;

	*why = "it holds a space, backslash or control character";
	if (!url || !*url || !plain_text(url))
		return NULL;
	scheme = split_scheme(url, &rest, why);
	if (!scheme)
		return NULL;
	alen = strcspn(rest, "/?#");
	if (rest[alen] && strcmp(rest + alen, "/") != 0) {
		*why = "a proxy URL has no path, query or fragment";
		return NULL;
	}
	at = memrchr(rest, '@', alen);
	/* libcurl splits at the first '@', then quotes the whole URL in its error */
	if (at && memchr(rest, '@', (size_t)(at - rest))) {
		*why = "write '@' in a user name or password as %40";
		return NULL;
	}
	hp = at ? at + 1 : rest;
	hostport = strndup(hp, alen - (size_t)(hp - rest));
	norm = hostport && aa_hostport_valid(hostport) ? aa_hostport_normalize(hostport, why) : NULL;
	if (hostport && !norm)
		*why = "it names no valid host[:port]";
	out = norm ? aa_asprintf("%s://%.*s%s", scheme, (int)(at ? at + 1 - rest : 0), rest, norm)
		   : NULL;
	free(hostport);
	free(norm);
	return out;
}

const char *aa_proxy_for(char *const *map, const char *scheme, const char *host)
{
	char with_host[300], all_host[300];
	const char *order[4];

	snprintf(with_host, sizeof(with_host), "%s://%s", scheme, host);
	snprintf(all_host, sizeof(all_host), "all://%s", host);
	order[0] = with_host;
	order[1] = scheme;
	order[2] = all_host;
	order[3] = "all";
	for (size_t k = 0; map && k < 4; k++)
		for (size_t i = 0; map[i] && map[i + 1]; i += 2)
			if (strcasecmp(map[i], order[k]) == 0)
				return map[i + 1];
	return NULL;
}

const char *aa_proxy_shown(const char *url, char *buf, size_t size)
{
	const char *sep = strstr(url, "://"), *auth = sep ? sep + 3 : url;
	/* the last '@' anywhere: a password typed with '/', '?', '#' or '@' in it
	 * is still a password (a proxy URL has no path that could hold one) */
	const char *at = strrchr(auth, '@');
	size_t i;

	if (at)
		snprintf(buf, size, "%.*s***%s", (int)(auth - url), url, at);
	else
		snprintf(buf, size, "%s", url);
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] >= 0x7f)
			buf[i] = '?';
	if (size > 4 && i == size - 1 && strlen(url) >= size)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}
