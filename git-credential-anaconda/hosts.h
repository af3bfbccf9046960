/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hosts.h - which hosts the helper answers for: exactly the configured
 * domain and the hosts named with --host, never a whole family of names.
 */
#ifndef GCA_HOSTS_H
#define GCA_HOSTS_H

/*
 * 1 when a request for protocol://host is ours: protocol is https and host
 * (what git sends: host[:port], any case) equals `domain` (the configured
 * host[:port]) or one of `extra` (NULL-terminated, may be NULL). Port 443
 * is the same as no port; subdomains are other hosts.
 */
int gca_host_is_ours(const char *protocol, const char *host,
		     const char *domain, const char *const *extra);

/* 1 when host and want (each host[:port]) name the same host and port. */
int gca_host_equal(const char *host, const char *want);

/* 1 when host is a plain DNS name with an optional decimal port. */
int gca_host_valid(const char *host);

#endif /* GCA_HOSTS_H */
