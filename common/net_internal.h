/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_internal.h - what the network files of libanaconda-auth (http, url,
 * form, pkce, browser_open, login*) share with each other and with their
 * unit tests. Not installed; nothing here is exported from the shared library.
 */
#ifndef AA_NET_INTERNAL_H
#define AA_NET_INTERNAL_H

#include "internal.h"
#include "json_util.h"
#include "util/aa_util.h"

/* Largest reply body we accept (replies are small JSON documents). */
#define AA_HTTP_MAX_BODY (8u * 1024u * 1024u)

/* ---- url.c ---------------------------------------------------------- */

/* "host[:port]" of an absolute URL (malloc'd), or NULL when it has none
 * (or libcurl cannot be loaded). */
AA_HIDDEN char *aa_url_host(const char *url);

/*
 * Split a loopback redirect URI ("http://127.0.0.1:8000/auth/oidc") into
 * its numeric host, port and path. Anything but http:// to 127.0.0.1,
 * localhost or [::1] is refused, since the login code would travel in clear.
 */
typedef struct aa_loopback_uri {
	char host[64];   /* numeric: "127.0.0.1" or "::1" */
	unsigned port;
	char *path;      /* malloc'd, "/" at least */
} aa_loopback_uri;
AA_HIDDEN aa_status aa_url_loopback(const char *uri, aa_loopback_uri *out,
				    aa_error *err);
AA_HIDDEN void aa_loopback_uri_free(aa_loopback_uri *u);

/* ---- url_shown.c ---------------------------------------------------- */

/*
 * A URL from a server that is to be shown or opened: https on the domain,
 * the auth domain or an Anaconda domain (anaconda.com/.cloud/.org and their
 * subdomains, port 443), no userinfo, plain ASCII, never '-'-leading.
 * AA_ERR_SERVER with one line naming `field` otherwise.
 */
AA_HIDDEN aa_status aa_url_check_shown(const aa_config *cfg, const char *field,
				       const char *url, aa_error *err);

/* ---- form.c --------------------------------------------------------- */

/*
 * application/x-www-form-urlencoded: `pairs` is name, value, name, value,
 * ..., NULL; a pair whose value is NULL is left out. Returns malloc'd text
 * (wipe it when a value was a secret) or NULL when out of memory.
 */
AA_HIDDEN char *aa_form_encode(const char *const *pairs);
/* The decoded value of `name` in a query string, malloc'd, or NULL. */
AA_HIDDEN char *aa_form_get(const char *query, const char *name);

/* ---- pkce.c --------------------------------------------------------- */

#define AA_PKCE_VERIFIER_LEN 128  /* 96 random bytes, base64url */
#define AA_PKCE_CHALLENGE_LEN 43  /* base64url(SHA-256), unpadded */

/* n bytes from the kernel CSPRNG (getrandom). */
AA_HIDDEN aa_status aa_random_bytes(void *buf, size_t n, aa_error *err);
/* A random URL-safe token of `nbytes` random bytes (malloc'd). */
AA_HIDDEN char *aa_random_token(size_t nbytes, aa_error *err);
/* A fresh RFC 7636 verifier (kept secret) and its S256 challenge. */
AA_HIDDEN aa_status aa_pkce_new(aa_secret **verifier,
				char challenge[AA_PKCE_CHALLENGE_LEN + 1],
				aa_error *err);
/* challenge = base64url(SHA-256(verifier)) without padding. */
AA_HIDDEN aa_status aa_pkce_challenge(const char *verifier,
				      char challenge[AA_PKCE_CHALLENGE_LEN + 1]);

/* ---- http.c --------------------------------------------------------- */

/*
 * The key the client would send to its own domain (explicit > settings or
 * environment > store), or NULL when there is none. AA_ERR_EXPIRED when the
 * key is known to have expired. The pointer belongs to the client.
 */
AA_HIDDEN aa_status aa_client_key(aa_client *c, const aa_secret **key,
				  aa_error *err);

/*
 * An anonymous GET (OIDC discovery) that follows up to 5 redirects, each
 * https:// and on a host aa_host_redirect_ok allows from `url`'s host.
 * Requests with a key or token never follow one (aa_client_request).
 * *final_url (malloc'd) is the URL that answered. A refused redirect is
 * AA_ERR_SERVER with one line; resp then holds the 3xx reply.
 */
AA_HIDDEN aa_status aa_client_get_public(aa_client *c, const char *url, unsigned flags,
					 aa_response *resp, char **final_url,
					 aa_error *err);

/* The settings the client was made with. */
AA_HIDDEN const aa_config *aa_client_config(const aa_client *c);

/*
 * Parse a reply body as a JSON object. AA_ERR_SERVER ("the server at <host>
 * sent a reply that is not valid JSON") for anything else, truncated or not.
 */
AA_HIDDEN aa_status aa_http_json(const aa_response *resp, const char *url,
				 json_object **out, aa_error *err);
/* The string member `name` of obj, or NULL. */
AA_HIDDEN const char *aa_json_str(json_object *obj, const char *name);

/* ---- client_host.c, api_version.c ----------------------------------- */

/* BLAKE2b-128 of `name`, personalisation "hostname", URL-safe base64
 * without padding (malloc'd), or NULL. */
AA_HIDDEN char *aa_hostname_hash(const char *name);
/* The X-Client-Hostname value: this host's name without a trailing
 * ".local", hashed when `hash` (malloc'd), or NULL when out of memory. */
AA_HIDDEN char *aa_client_hostname(int hash);
/* 1 when both are semantic versions and `ours` is below `minimum`. */
AA_HIDDEN int aa_api_version_below(const char *ours, const char *minimum);

/* ---- browser_open.c ------------------------------------------------- */

/*
 * Show `url` in a browser without waiting for it: each command in $BROWSER
 * (colon-separated, words split on blanks, "%s" replaced by the URL or the
 * URL appended), else xdg-open. fork+exec, never a shell. Only https://
 * and file:/// URLs (AA_ERR_USAGE otherwise), so never a '-'-leading argument.
 */
AA_HIDDEN aa_status aa_browser_open(const char *url, aa_error *err);
/* Split one $BROWSER command into a malloc'd argv holding the URL. */
AA_HIDDEN char **aa_browser_argv(const char *command, const char *url);

/* ---- login*.c ------------------------------------------------------- */

/* Endpoints from the OIDC discovery document. */
typedef struct aa_oidc {
	char *authorization_endpoint;
	char *token_endpoint;
	char *device_authorization_endpoint; /* NULL when not offered */
} aa_oidc;
AA_HIDDEN aa_status aa_oidc_discover(aa_client *c, const aa_config *cfg,
				     aa_oidc *out, aa_error *err);
AA_HIDDEN void aa_oidc_free(aa_oidc *o);

/* The scopes asked for in the browser and device flows. */
#define AA_LOGIN_SCOPES "openid email profile offline_access"

/* The flow aa_login runs for `requested` with these settings and environment. */
AA_HIDDEN aa_login_flow aa_login_pick_flow(const aa_config *cfg,
					   aa_login_flow requested);

/* The browser flow (PKCE + loopback) up to the access token. */
AA_HIDDEN aa_status aa_login_browser(aa_client *c, const aa_config *cfg,
				     const aa_oidc *oidc,
				     const aa_login_options *opts,
				     aa_secret **access, aa_error *err);
/* The device flow (RFC 8628) up to the access token. */
AA_HIDDEN aa_status aa_login_device(aa_client *c, const aa_config *cfg,
				    const aa_oidc *oidc,
				    const aa_login_options *opts,
				    aa_secret **access, aa_error *err);

/* The authorize URL of the browser flow (malloc'd). */
AA_HIDDEN char *aa_authorize_url(const char *endpoint, const char *client_id,
				 const char *state, const char *redirect_uri,
				 const char *challenge);

/*
 * A private page that forwards the browser to `target` (login_page.c):
 * login.html, mode 0600, in a fresh 0700 directory of ours under
 * $XDG_RUNTIME_DIR (else $TMPDIR or /tmp). The browser is given only
 * pg->url (file://...), so no other local user learns the target from its
 * command line. Remove it when the login is over, however it ended.
 */
typedef struct aa_login_page {
	int dirfd;   /* the private directory, -1 when none */
	char *dir;   /* its path */
	char *url;   /* file:// URL of the page */
} aa_login_page;
AA_HIDDEN aa_status aa_login_page_write(const char *target, aa_login_page *pg,
					aa_error *err);
AA_HIDDEN void aa_login_page_remove(aa_login_page *pg);
/* Write the page and start the browser on it (the page stays until removed). */
AA_HIDDEN aa_status aa_login_page_open(const char *target, aa_login_page *pg,
				       aa_error *err);

/* Loopback server for the browser flow's redirect. */
typedef struct aa_loopback {
	int fd;
	aa_loopback_uri uri;
} aa_loopback;
AA_HIDDEN aa_status aa_loopback_listen(const char *redirect_uri,
				       aa_loopback *lb, aa_error *err);
/*
 * Wait up to timeout_s for GET <path>?code=..&state=..; other paths get
 * 404 and the wait goes on. Answers the callback with a 307 to
 * success_url or error_url. AA_OK with the code (a secret).
 */
AA_HIDDEN aa_status aa_loopback_wait(aa_loopback *lb, const char *state,
				     const char *success_url,
				     const char *error_url, int timeout_s,
				     const aa_login_ui *ui, aa_secret **code,
				     aa_error *err);
AA_HIDDEN void aa_loopback_close(aa_loopback *lb);

#endif /* AA_NET_INTERNAL_H */
