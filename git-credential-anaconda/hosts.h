/*
 * hosts.h - which hosts the helper answers for: the configured domain and
 * its subdomains, plus the Anaconda families unless --domain narrowed it.
 */
#ifndef GCA_HOSTS_H
#define GCA_HOSTS_H

/* The known Anaconda families (each with its subdomains), NULL-terminated. */
extern const char *const gca_anaconda_families[];

/*
 * 1 when a request for protocol://host is ours. `host` is what git sends
 * (host[:port], any case). `domain` is the configured host[:port]; when
 * `narrow` is non-zero only that domain and its subdomains count. Only
 * https is answered; port 443 is the same as no port.
 */
int gca_host_is_ours(const char *protocol, const char *host,
		     const char *domain, int narrow);

/* 1 when host (with optional :port) equals `domain` or is a subdomain of it. */
int gca_host_within(const char *host, const char *domain);

#endif /* GCA_HOSTS_H */
