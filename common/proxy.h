/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * proxy.h - the proxy_servers setting (proxy.c): its keys and URLs, the proxy
 * a request URL uses, and a proxy URL shown without its credentials.
 */
#ifndef AA_PROXY_H
#define AA_PROXY_H

#include <stddef.h>

#include "util/aa_util.h"

/*
 * A proxy_servers key as requests and conda read them: "http", "https",
 * "all", or one of those followed by "://host" (no port). Returns the key
 * normalised to lower case (malloc'd), or NULL with *why set.
 */
AA_HIDDEN char *aa_proxy_key_normalize(const char *key, const char **why);

/*
 * A proxy URL: http://, https://, socks5:// or socks5h:// (no scheme means
 * http://, as in requests), an optional user:password@, a host[:port] and at
 * most a "/". Returns the URL with its scheme (malloc'd; it may hold a
 * password, so wipe it), or NULL with *why set.
 */
AA_HIDDEN char *aa_proxy_url_normalize(const char *url, const char **why);

/*
 * The proxy for a request to `scheme`://`host` (host without port) from a
 * NULL-terminated key, URL, key, URL, ... list, in requests' order:
 * "scheme://host", "scheme", "all://host", "all". NULL when none applies.
 */
AA_HIDDEN const char *aa_proxy_for(char *const *map, const char *scheme, const char *host);

/* `url` for a message: any user:password@ becomes "***@"; bounded, printable. */
AA_HIDDEN const char *aa_proxy_shown(const char *url, char *buf, size_t size);

#endif /* AA_PROXY_H */
