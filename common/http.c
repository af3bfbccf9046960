/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * http.c - the authenticated HTTPS client (the C counterpart of the Python
 * BaseClient): base-URL join, headers, key resolution, TLS and timeouts,
 * and turning every failure into one typed sentence.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_struct.h"
#include "curl_lazy.h"
#include "net_internal.h"
#include "proxy.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 30000L

struct aa_client {
	const aa_config *cfg;   /* borrowed: must outlive the client */
	char *base;             /* "https://<domain>/" */
	char *user_agent;
	char *api_version;
	char *client_host;      /* X-Client-Hostname: the host name or its hash */
	aa_secret *explicit_key;
	aa_secret *stored_key;  /* found in the keyring, cached */
	int key_resolved;
};

/* ---- client lifetime ------------------------------------------------ */

aa_status aa_client_new(const aa_config *cfg, aa_client **out, aa_error *err)
{
	aa_client *c;

	*out = NULL;
	if (!cfg || !cfg->domain || !*cfg->domain)
		return aa_fail(err, AA_ERR_USAGE, "no domain is set; set ANACONDA_AUTH_DOMAIN or use --domain");
	c = calloc(1, sizeof(*c));
	if (!c)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	c->cfg = cfg;
	c->base = aa_asprintf("https://%s/", cfg->domain);
	c->user_agent = aa_strdup0("anaconda-auth-c/" AA_VERSION);
	c->api_version = aa_strdup0(cfg->api_version);
	c->client_host = aa_client_hostname(cfg->hash_hostname != 0);
	if (!c->base || !c->user_agent || !c->client_host ||
	    (cfg->api_version && !c->api_version)) {
		aa_client_free(c);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	*out = c;
	return AA_OK;
}

void aa_client_free(aa_client *c)
{
	if (!c)
		return;
	free(c->base);
	free(c->user_agent);
	free(c->api_version);
	free(c->client_host);
	aa_secret_free(c->explicit_key);
	aa_secret_free(c->stored_key);
	free(c);
}

const aa_config *aa_client_config(const aa_client *c)
{
	return c->cfg;
}

/* Header values go on one line; refuse anything that could split it. */
static int header_value_ok(const char *v)
{
	for (; *v; v++)
		if (*v == '\r' || *v == '\n')
			return 0;
	return 1;
}

static aa_status replace_header_value(char **slot, const char *v, const char *what, aa_error *err)
{
	char *copy = NULL;

	if (v && !header_value_ok(v))
		return aa_fail(err, AA_ERR_USAGE, "the %s must be a single line", what);
	if (v && !(copy = strdup(v)))
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	free(*slot);
	*slot = copy;
	return AA_OK;
}

aa_status aa_client_set_user_agent(aa_client *c, const char *ua)
{
	return replace_header_value(&c->user_agent, ua ? ua : "anaconda-auth-c/" AA_VERSION,
			   "User-Agent", NULL);
}

aa_status aa_client_set_api_version(aa_client *c, const char *v)
{
	return replace_header_value(&c->api_version, v, "Api-Version", NULL);
}

aa_status aa_client_set_api_key(aa_client *c, const char *key)
{
	aa_secret *s = NULL;

	if (key && !header_value_ok(key))
		return AA_ERR_USAGE;
	if (key && !(s = aa_secret_from_str(key)))
		return AA_ERR_NOMEM;
	aa_secret_free(c->explicit_key);
	c->explicit_key = s;
	return AA_OK;
}

/* ---- key resolution: explicit > settings/environment > store ------- */

static aa_status load_stored_key(aa_client *c, aa_error *err)
{
	aa_keyring *kr = NULL;
	aa_token_info *info = NULL;
	aa_status st;

	st = aa_keyring_open(c->cfg, &kr, err);
	if (st != AA_OK)
		return st;
	st = aa_keyring_get(kr, c->cfg->domain, &info, NULL, err);
	aa_keyring_close(kr);
	if (st == AA_ERR_NOT_FOUND) {
		aa_error_clear(err);
		return AA_OK;
	}
	if (st != AA_OK)
		return st;
	if (info->api_key) {
		c->stored_key = aa_secret_dup(info->api_key);
		if (!c->stored_key)
			st = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	}
	aa_token_info_free(info);
	return st;
}

aa_status aa_client_key(aa_client *c, const aa_secret **key, aa_error *err)
{
	char where[320];
	aa_status st;

	*key = NULL;
	if (c->explicit_key) {
		*key = c->explicit_key;
		return aa_check_not_expired(aa_secret_str(*key), time(NULL),
					    "the API key given to the client",
					    "use a current key", err);
	}
	if (c->cfg->api_key) {
		*key = c->cfg->api_key;
		snprintf(where, sizeof(where), "the API key in %s",
			 c->cfg->api_key_source ? c->cfg->api_key_source : "the settings");
		return aa_check_not_expired(aa_secret_str(*key), time(NULL), where,
					    "unset it, or set it to a current key", err);
	}
	if (!c->key_resolved) {
		st = load_stored_key(c, err);
		if (st != AA_OK)
			return st;
		c->key_resolved = 1;
	}
	*key = c->stored_key;
	if (!*key)
		return AA_OK;
	snprintf(where, sizeof(where), "the API key stored for %s", c->cfg->domain);
	return aa_check_not_expired(aa_secret_str(*key), time(NULL), where,
				    "run 'anaconda-auth login' to get a new one", err);
}

/* ---- headers --------------------------------------------------------- */

/* Length of the header name in "Name: value". */
static size_t header_name_len(const char *h)
{
	const char *colon = strchr(h, ':');

	return colon ? (size_t)(colon - h) : strlen(h);
}

static int header_is(const char *h, const char *name)
{
	size_t n = header_name_len(h);

	return n == strlen(name) && strncasecmp(h, name, n) == 0;
}

static int headers_have(const char *const *hs, const char *name)
{
	for (size_t i = 0; hs && hs[i]; i++)
		if (header_is(hs[i], name))
			return 1;
	return 0;
}

/* Names the transport owns: no configured header replaces them. */
static int header_transport(const char *h, int sending_auth)
{
	return header_is(h, "Host") || header_is(h, "Content-Length") ||
	       header_is(h, "X-Client-Hostname") ||
	       (sending_auth && header_is(h, "Authorization"));
}

/* Names our own headers own: extra headers never replace them (as in 0.15,
 * where extra_headers only add names the client does not send). */
static int header_reserved(const char *h, int sending_auth)
{
	return header_is(h, "User-Agent") || header_is(h, "Api-Version") ||
	       header_transport(h, sending_auth);
}

static int append(const aa_curl_api *cu, struct curl_slist **list, const char *h)
{
	struct curl_slist *next = cu->slist_append(*list, h);

	if (!next)
		return -1;
	*list = next;
	return 0;
}

/* Append "name: <prefix><value>"; wipe our copy when it holds a secret. */
static int append_fmt(const aa_curl_api *cu, struct curl_slist **list, const char *name,
		      const char *prefix, const char *v, int secret)
{
	/* One exact allocation: vasprintf grows and shrinks its buffer with
	 * realloc, which may free copies of the key unwiped. */
	size_t n = strlen(name) + strlen(prefix) + strlen(v) + 3;
	char *h = malloc(n);
	int rc;

	if (!h)
		return -1;
	snprintf(h, n, "%s: %s%s", name, prefix, v);
	rc = append(cu, list, h);
	if (secret)
		aa_free_secret_str(h);
	else
		free(h);
	return rc;
}

static int append_extra(const aa_curl_api *cu, struct curl_slist **list,
			const char *const *hs, int sending_auth)
{
	for (size_t i = 0; hs && hs[i]; i++) {
		if (header_reserved(hs[i], sending_auth) || !header_value_ok(hs[i]) ||
		    !strchr(hs[i], ':'))
			continue;
		if (append(cu, list, hs[i]) != 0)
			return -1;
	}
	return 0;
}

/* oidc_request_headers on a login-service request: its User-Agent replaces ours. */
static int append_oidc(const aa_curl_api *cu, struct curl_slist **list, const aa_client *c,
		       const aa_request *req)
{
	char *const *hs = c->cfg->oidc_request_headers;

	if (!(req->flags & AA_REQ_OIDC))
		return 0;
	for (size_t i = 0; hs && hs[i]; i++) {
		if (header_transport(hs[i], req->bearer != NULL) || !header_value_ok(hs[i]) ||
		    !strchr(hs[i], ':'))
			continue;
		if (append(cu, list, hs[i]) != 0)
			return -1;
	}
	return 0;
}

/* Our User-Agent, unless the login-service headers bring their own. */
static int sends_own_user_agent(const aa_client *c, const aa_request *req)
{
	return !(req->flags & AA_REQ_OIDC) ||
	       !headers_have((const char *const *)c->cfg->oidc_request_headers, "User-Agent");
}

/* Wipe every header (one may hold the bearer) and free the list. */
static void free_curl_headers(const aa_curl_api *cu, struct curl_slist *list)
{
	for (struct curl_slist *h = list; h; h = h->next)
		aa_memzero(h->data, strlen(h->data));
	cu->slist_free_all(list);
}

static int build_headers(const aa_curl_api *cu, const aa_client *c, const aa_request *req,
			 const char *bearer, struct curl_slist **out)
{
	struct curl_slist *list = NULL;
	int sending_auth = bearer != NULL;
	int ok = (!sends_own_user_agent(c, req) ||
		  append_fmt(cu, &list, "User-Agent", "", c->user_agent, 0) == 0) &&
		 append_oidc(cu, &list, c, req) == 0 &&
		 append_fmt(cu, &list, "X-Client-Hostname", "", c->client_host, 0) == 0 &&
		 (!c->api_version || append_fmt(cu, &list, "Api-Version", "", c->api_version, 0) == 0) &&
		 (!bearer || append_fmt(cu, &list, "Authorization", "Bearer ", bearer, 1) == 0) &&
		 (!req->content_type || headers_have(req->headers, "Content-Type") ||
		  append_fmt(cu, &list, "Content-Type", "", req->content_type, 0) == 0) &&
		 append_extra(cu, &list, req->headers, sending_auth) == 0 &&
		 append_extra(cu, &list, (const char *const *)c->cfg->extra_headers, sending_auth) == 0 &&
		 /* no "Expect: 100-continue" round trip for small bodies */
		 append(cu, &list, "Expect:") == 0;

	if (!ok) {
		free_curl_headers(cu, list);
		return -1;
	}
	*out = list;
	return 0;
}

/* ---- the request ----------------------------------------------------- */

typedef struct body_buf {
	char *data;
	size_t len, cap;
	int too_big;
} body_buf;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	body_buf *b = userdata;
	size_t n = size * nmemb;

	if (n > AA_HTTP_MAX_BODY - b->len) {
		b->too_big = 1;
		return 0;
	}
	/* copy and wipe rather than realloc: the old block may hold a token */
	if (aa_reserve_wiped(&b->data, &b->cap, b->len, b->len + n + 1, 4096) < 0)
		return 0;
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* ---- Min-Api-Version ------------------------------------------------ */

#define MIN_API_MAX 64

/* Where the one-line warnings of the HTTP layer go; none until a program says. */
static aa_log_fn warn_fn;
static void *warn_ctx;
static int warned;

void aa_http_set_warn(aa_log_fn fn, void *ctx)
{
	warn_fn = fn;
	warn_ctx = ctx;
}

/* Keeps the value of a Min-Api-Version reply header (the last one wins). */
static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	static const char name[] = "Min-Api-Version:";
	char *min = userdata;
	size_t n = size * nmemb, skip = sizeof(name) - 1, len;

	if (n <= skip || strncasecmp(ptr, name, skip) != 0)
		return n;
	while (skip < n && (ptr[skip] == ' ' || ptr[skip] == '\t'))
		skip++;
	len = n - skip;
	while (len > 0 && isspace((unsigned char)ptr[skip + len - 1]))
		len--;
	if (len >= MIN_API_MAX)
		len = MIN_API_MAX - 1;
	memcpy(min, ptr + skip, len);
	min[len] = '\0';
	return n;
}

static void clean_text(const char *in, char *out, size_t len);

/* Once per process, as a Python warning is: the server wants a newer API. */
static void check_min_api(const aa_client *c, const char *host, const char *min)
{
	char shown[MIN_API_MAX], line[384];

	if (!c->api_version || !*min || !aa_api_version_below(c->api_version, min) ||
	    !warn_fn || __atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		return;
	clean_text(min, shown, sizeof(shown));
	snprintf(line, sizeof(line),
		 "warning: %s needs API version %s or later, but the api_version setting is %s; "
		 "you may need to update your client", host, shown, c->api_version);
	warn_fn(warn_ctx, line);
}

/*
 * Is `host` (host[:port]) the domain the key belongs to? Only that one: not
 * the auth domain (login's, which may be set apart from the domain) and not
 * any other host, whether the key is stored or from the environment.
 */
static int host_is_ours(const aa_config *cfg, const char *host)
{
	return host && strcasecmp(host, cfg->domain) == 0;
}

static aa_status pick_bearer(aa_client *c, const aa_request *req, const char *host,
			     const char **bearer, aa_error *err)
{
	const aa_secret *key = NULL;
	aa_status st;

	*bearer = NULL;
	if (req->bearer) {
		*bearer = req->bearer;
		return AA_OK;
	}
	/* A caller-supplied Authorization header, or a host the key is not for,
	 * gets no key of ours: keys must not leak to other servers. */
	if ((req->flags & AA_REQ_ANONYMOUS) || headers_have(req->headers, "Authorization") ||
	    !host_is_ours(c->cfg, host))
		return AA_OK;
	st = aa_client_key(c, &key, err);
	if (st != AA_OK)
		return st;
	*bearer = key ? aa_secret_str(key) : NULL;
	return AA_OK;
}

static long positive_or(long v, long fallback)
{
	return v > 0 ? v : fallback;
}

/*
 * RFC 9110 5.6.2: a method is a token of tchar. Anything else (CR, LF, a
 * space) would let the method write its own request line and headers next
 * to our Authorization header.
 */
static int method_ok(const char *m)
{
	if (!*m)
		return 0;
	for (; *m; m++)
		if (!isalnum((unsigned char)*m) && !strchr("!#$%&'*+-.^_`|~", *m))
			return 0;
	return 1;
}

static int set_method(const aa_curl_api *cu, CURL *h, const aa_request *req)
{
	const char *m = req->method ? req->method : "GET";
	int rc = 0;

	if (req->body) {
		rc |= (int)cu->easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		rc |= (int)cu->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
					    (curl_off_t)req->body_len);
	}
	if (strcmp(m, "HEAD") == 0)
		rc |= (int)cu->easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (!(strcmp(m, "GET") == 0 && !req->body) && strcmp(m, "POST") != 0)
		rc |= (int)cu->easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	else if (strcmp(m, "POST") == 0 && !req->body)
		rc |= (int)cu->easy_setopt(h, CURLOPT_POSTFIELDS, "");
	return rc;
}

static int set_tls(const aa_curl_api *cu, CURL *h, const aa_config *cfg)
{
	int rc = 0;
	const char *env_ca;

	if (!cfg->ssl_verify) {
		rc |= (int)cu->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		rc |= (int)cu->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
		return rc;
	}
	if (cfg->ca_bundle)
		return (int)cu->easy_setopt(h, CURLOPT_CAINFO, cfg->ca_bundle);
	/* the same CA overrides Python requests honours, for parity */
	env_ca = getenv("REQUESTS_CA_BUNDLE");
	if (!env_ca || !*env_ca)
		env_ca = getenv("CURL_CA_BUNDLE");
	if (env_ca && *env_ca)
		rc |= (int)cu->easy_setopt(h, CURLOPT_CAINFO, env_ca);
	return rc;
}

/* The proxy_servers entry for host[:port]: requests matches the name without its port. */
static const char *proxy_of(const aa_config *cfg, const char *host)
{
	char name[300];
	size_t n = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":");

	snprintf(name, sizeof(name), "%.*s", (int)n, host);
	return aa_proxy_for(cfg->proxy_servers, "https", name);
}

/*
 * proxy_servers picks the proxy for this URL; with no entry for it,
 * libcurl keeps to the environment (https_proxy, no_proxy ...), as requests
 * merges its session proxies over the environment's.
 */
static int set_proxy(const aa_curl_api *cu, CURL *h, const aa_config *cfg,
		     const char *host)
{
	const char *proxy = proxy_of(cfg, host);
	int rc = 0;

	if (!proxy)
		return 0;
	rc |= (int)cu->easy_setopt(h, CURLOPT_PROXY, proxy);
	/* the setting names this host's proxy: the environment's no_proxy does
	 * not undo that (requests, too, applies no_proxy to its own lookups only) */
	rc |= (int)cu->easy_setopt(h, CURLOPT_NOPROXY, "");
	/* an https:// proxy is checked like the server, with the same trust */
	if (!cfg->ssl_verify) {
		rc |= (int)cu->easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYPEER, 0L);
		rc |= (int)cu->easy_setopt(h, CURLOPT_PROXY_SSL_VERIFYHOST, 0L);
	} else if (cfg->ca_bundle) {
		rc |= (int)cu->easy_setopt(h, CURLOPT_PROXY_CAINFO, cfg->ca_bundle);
	}
	return rc;
}

/* client_cert and client_cert_key: TLS client authentication (mTLS). */
static int set_client_cert(const aa_curl_api *cu, CURL *h, const aa_config *cfg)
{
	int rc = 0;

	if (cfg->client_cert)
		rc |= (int)cu->easy_setopt(h, CURLOPT_SSLCERT, cfg->client_cert);
	if (cfg->client_cert && cfg->client_cert_key)
		rc |= (int)cu->easy_setopt(h, CURLOPT_SSLKEY, cfg->client_cert_key);
	return rc;
}

static int configure(const aa_curl_api *cu, CURL *h, const aa_client *c,
		     const aa_request *req, const char *url, const char *host,
		     struct curl_slist *headers, body_buf *body, char *errbuf, char *min_api)
{
	int rc = 0;

	rc |= (int)cu->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	rc |= (int)cu->easy_setopt(h, CURLOPT_HEADERDATA, min_api);

	rc |= (int)cu->easy_setopt(h, CURLOPT_URL, url);
	rc |= (int)cu->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	/* Never follow a redirect: the key would go wherever Location says
	 * (libcurl's default, set so no one turns it on by accident). */
	rc |= (int)cu->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= (int)cu->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	rc |= (int)cu->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc |= (int)cu->easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	rc |= (int)cu->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	rc |= (int)cu->easy_setopt(h, CURLOPT_WRITEDATA, body);
	rc |= (int)cu->easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	rc |= (int)cu->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
				    positive_or(c->cfg->connect_timeout_ms, DEFAULT_CONNECT_TIMEOUT_MS));
	rc |= (int)cu->easy_setopt(h, CURLOPT_TIMEOUT_MS,
				    positive_or(c->cfg->timeout_ms, DEFAULT_TIMEOUT_MS));
	rc |= set_tls(cu, h, c->cfg);
	rc |= set_proxy(cu, h, c->cfg, host);
	rc |= set_client_cert(cu, h, c->cfg);
	rc |= set_method(cu, h, req);
	return rc;
}

/*
 * A failure of TLS client authentication or of the proxy, in words that name
 * the setting to fix; AA_OK when the failure is neither. The server's
 * verdict arrives as a TLS alert, which libcurl reports only in its text.
 */
static aa_status cert_or_proxy_error(const aa_config *cfg, CURLcode rc, const char *host,
				     const char *why, aa_error *err)
{
	char shown[160];
	const char *proxy;

	if (rc == CURLE_SSL_CERTPROBLEM)
		return aa_fail(err, AA_ERR_USAGE,
			       "cannot use the client certificate %s (%s); client_cert and "
			       "client_cert_key must be a PEM certificate and its unencrypted private key",
			       cfg->client_cert ? cfg->client_cert : "", why);
	if (strstr(why, "certificate required") ||
	    (!cfg->client_cert && strstr(why, "alert handshake failure")))
		return aa_fail(err, AA_ERR_NETWORK,
			       "%s asks for a TLS client certificate (%s); set client_cert "
			       "(ANACONDA_AUTH_CLIENT_CERT) and client_cert_key to your PEM files",
			       host, why);
	if (cfg->client_cert && (strstr(why, "unknown ca") || strstr(why, "bad certificate") ||
				 strstr(why, "certificate unknown") || strstr(why, "decrypt error") ||
				 strstr(why, "handshake failure")))
		return aa_fail(err, AA_ERR_NETWORK,
			       "%s refused the client certificate %s (%s); check client_cert and client_cert_key",
			       host, cfg->client_cert, why);
	if (rc == CURLE_PROXY || strstr(why, "CONNECT tunnel failed") ||
	    rc == CURLE_COULDNT_RESOLVE_PROXY) {
		proxy = proxy_of(cfg, host);
		return aa_fail(err, AA_ERR_NETWORK,
			       "the proxy %s did not connect us to %s (%s); check the proxy_servers "
			       "setting or https_proxy",
			       proxy ? aa_proxy_shown(proxy, shown, sizeof(shown)) : "in use", host, why);
	}
	return AA_OK;
}

/* One sentence for a transfer that failed before a complete reply. */
static aa_status transfer_error(const aa_curl_api *cu, const aa_config *cfg, CURLcode rc,
				const char *host, const char *errbuf, const body_buf *body,
				long timeout_ms, aa_error *err)
{
	/* libcurl quotes a URL it cannot parse whole, a proxy's password included */
	const char *why = errbuf[0] && !strchr(errbuf, '@') ? errbuf : cu->easy_strerror(rc);
	aa_status st = cert_or_proxy_error(cfg, rc, host, why, err);

	if (st != AA_OK)
		return st;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return aa_fail(err, AA_ERR_TIMEOUT,
			       "no complete reply from %s within %.1f s (%s); check your network, or try again later",
			       host, (double)timeout_ms / 1000.0, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return aa_fail(err, AA_ERR_NETWORK,
			       "cannot find the server %s (%s); check the domain setting and your network",
			       host, why);
	case CURLE_COULDNT_CONNECT:
		return aa_fail(err, AA_ERR_NETWORK,
			       "cannot connect to %s (%s); check the domain, your network and proxy settings",
			       host, why);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return aa_fail(err, AA_ERR_NETWORK,
			       "cannot verify the TLS certificate of %s (%s); if your network uses its own "
			       "certificate authority, set ANACONDA_AUTH_SSL_VERIFY to its CA file",
			       host, why);
	case CURLE_SSL_CONNECT_ERROR:
		return aa_fail(err, AA_ERR_NETWORK, "the TLS handshake with %s failed (%s)", host, why);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return aa_fail(err, AA_ERR_USAGE, "refusing to talk to %s: only https:// is allowed", host);
	case CURLE_WRITE_ERROR:
		if (body->too_big)
			return aa_fail(err, AA_ERR_SERVER,
				       "the reply from %s is larger than %u MiB; refusing it",
				       host, AA_HTTP_MAX_BODY >> 20);
		return aa_fail(err, AA_ERR_NOMEM, "out of memory while reading the reply from %s", host);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return aa_fail(err, AA_ERR_SERVER,
			       "the reply from %s was cut off (%s); try again later", host, why);
	default:
		return aa_fail(err, AA_ERR_NETWORK, "the request to %s failed (%s)", host, why);
	}
}

/* Copy a server-provided text into a message: printable ASCII, bounded. */
static void clean_text(const char *in, char *out, size_t len)
{
	size_t j = 0;

	for (size_t i = 0; in && in[i] && j + 1 < len; i++)
		out[j++] = isprint((unsigned char)in[i]) ? in[i] : ' ';
	out[j] = '\0';
}

/* Shortest piece of a credential that counts as the credential in a message. */
#define ECHO_MIN 16

/*
 * 1 if `text` holds ECHO_MIN or more characters in a row of `secret`: a
 * server that echoes the request's Authorization header must not put the
 * key (or a usable part of it) on the person's terminal or in a CI log.
 */
static int echoes_secret(const char *text, const char *secret)
{
	size_t tlen = strlen(text), slen = secret ? strlen(secret) : 0;

	if (slen < ECHO_MIN)
		return slen > 0 && strstr(text, secret) != NULL;
	for (size_t i = 0; i + ECHO_MIN <= tlen; i++) {
		if (memmem(secret, slen, text + i, ECHO_MIN))
			return 1;
	}
	return 0;
}

/* The server's own explanation, when its error reply carries one. */
static void server_reason(const aa_response *resp, const char *bearer, char *out, size_t len)
{
	json_object *doc = NULL, *e;
	const char *msg = NULL;

	out[0] = '\0';
	if (!resp->body || !(doc = json_tokener_parse(resp->body)) ||
	    !json_object_is_type(doc, json_type_object))
		goto done;
	if (json_object_object_get_ex(doc, "error", &e) && json_object_is_type(e, json_type_object))
		msg = aa_json_str(e, "message");
	if (!msg)
		msg = aa_json_str(doc, "error_description");
	if (!msg)
		msg = aa_json_str(doc, "detail");
	if (!msg)
		msg = aa_json_str(doc, "message");
	if (msg) {
		char text[200], fp[AA_FINGERPRINT_MAX];

		clean_text(msg, text, sizeof(text));
		if (echoes_secret(text, bearer)) {
			aa_fingerprint(bearer, fp, sizeof(fp));
			snprintf(out, len, ": its message repeats the credential %s and is not shown", fp);
		} else {
			snprintf(out, len, ": %s", text);
		}
		aa_memzero(text, sizeof(text));
	}
done:
	json_object_put(doc);
}

/* The path of an absolute URL, without its query, for messages. */
static void url_path(const char *url, char *out, size_t len)
{
	const char *p = strstr(url, "://");

	p = p ? strchr(p + 3, '/') : NULL;
	snprintf(out, len, "%.*s", p ? (int)strcspn(p, "?#") : 1, p ? p : "/");
}

/* 401/403 to a request we kept the key from: logging in would not help. */
static aa_status key_withheld(const aa_config *cfg, const aa_request *req, const aa_response *resp,
			      const char *host, const char *reason, aa_error *err)
{
	if (req->flags & AA_REQ_ANONYMOUS || headers_have(req->headers, "Authorization") ||
	    host_is_ours(cfg, host))
		return AA_OK;
	return aa_fail(err, AA_ERR_LOGIN_REQUIRED,
		       "%s refused the request (HTTP %ld%s): no API key was sent, because the key "
		       "for %s is withheld from other hosts (a login would not change that)",
		       host, resp->status, reason, cfg->domain);
}

static aa_status status_error(const aa_client *c, const aa_request *req, const char *url,
			      const aa_response *resp, const char *host, const char *bearer,
			      aa_error *err)
{
	char reason[220], fp[AA_FINGERPRINT_MAX], path[160];
	const char *m = req->method ? req->method : "GET";

	server_reason(resp, bearer, reason, sizeof(reason));
	if (resp->status == 401 || resp->status == 403) {
		aa_status withheld = resp->sent_auth ? AA_OK
					     : key_withheld(c->cfg, req, resp, host, reason, err);

		if (withheld != AA_OK)
			return withheld;
		if (!resp->sent_auth)
			return aa_fail(err, AA_ERR_LOGIN_REQUIRED,
				       "%s requires a login (HTTP %ld%s); run 'anaconda-auth login' "
				       "or set ANACONDA_AUTH_API_KEY", host, resp->status, reason);
		if (req->bearer)
			return aa_fail(err, AA_ERR_AUTH, "%s refused the credentials (HTTP %ld%s)",
				       host, resp->status, reason);
		aa_fingerprint(bearer, fp, sizeof(fp));
		return aa_fail(err, AA_ERR_AUTH,
			       "%s refused the API key %s (HTTP %ld%s): it is invalid or revoked; "
			       "run 'anaconda-auth login --force' to get a new one",
			       host, fp, resp->status, reason);
	}
	url_path(url, path, sizeof(path));
	return aa_fail(err, AA_ERR_SERVER, "%s answered HTTP %ld to %s %s%s", host,
		       resp->status, m, path, reason);
}

/* The absolute target of a 3xx reply into *redirect (malloc'd); 0 when it has none. */
static int take_location(const aa_curl_api *cu, CURL *h, long status, char **redirect)
{
	char *loc = NULL;

	if (!redirect || status < 300 || status > 399)
		return 0;
	cu->easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
	*redirect = loc ? strdup(loc) : NULL;
	return *redirect != NULL;
}

/*
 * One request. With `redirect` (only for anonymous requests) a 3xx reply
 * with a Location is AA_OK and its target goes to *redirect; without it,
 * a redirect is an error like any other non-2xx reply.
 */
static aa_status perform(const aa_curl_api *cu, aa_client *c, const aa_request *req,
			 const char *url, const char *host, const char *bearer,
			 aa_response *resp, char **redirect, aa_error *err)
{
	char errbuf[CURL_ERROR_SIZE] = "", min_api[MIN_API_MAX] = "";
	struct curl_slist *headers = NULL;
	body_buf body = {0};
	char *ctype = NULL;
	aa_status st = AA_OK;
	CURLcode rc;
	CURL *h;

	if (build_headers(cu, c, req, bearer, &headers) != 0)
		return aa_fail(err, AA_ERR_NOMEM, "out of memory");
	h = cu->easy_init();
	if (!h || configure(cu, h, c, req, url, host, headers, &body, errbuf, min_api) != 0) {
		st = aa_fail(err, AA_ERR_NETWORK, "cannot set up the request to %s", host);
		goto done;
	}
	rc = cu->easy_perform(h);
	resp->sent_auth = bearer != NULL;
	if (rc != CURLE_OK) {
		st = transfer_error(cu, c->cfg, rc, host, errbuf, &body,
				    positive_or(c->cfg->timeout_ms, DEFAULT_TIMEOUT_MS), err);
		goto done;
	}
	cu->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	check_min_api(c, host, min_api);
	cu->easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ctype);
	resp->content_type = aa_strdup0(ctype);
	resp->body = body.data ? body.data : calloc(1, 1);
	resp->body_len = body.len;
	body.data = NULL;
	if (!resp->body)
		st = aa_fail(err, AA_ERR_NOMEM, "out of memory");
	else if (take_location(cu, h, resp->status, redirect))
		st = AA_OK;
	else if (resp->status < 200 || resp->status > 299)
		st = status_error(c, req, url, resp, host, bearer, err);
done:
	if (body.data) {
		aa_memzero(body.data, body.cap);
		free(body.data);
	}
	free_curl_headers(cu, headers);
	cu->easy_cleanup(h);
	return st;
}

static aa_status request_core(aa_client *c, const aa_request *req, aa_response *resp,
			      char **redirect, aa_error *err)
{
	const aa_curl_api *cu;
	const char *bearer = NULL;
	char *url, *host = NULL;
	aa_status st;

	memset(resp, 0, sizeof(*resp));
	if (!req)
		return aa_fail(err, AA_ERR_USAGE, "no URL given for the request");
	if (req->version < 1 || req->version > AA_REQUEST_VERSION)
		return aa_fail(err, AA_ERR_USAGE,
			       "aa_request version %u is not one this library knows (1 to %d): "
			       "initialise it with AA_REQUEST_INIT", req->version, AA_REQUEST_VERSION);
	if (!req->url)
		return aa_fail(err, AA_ERR_USAGE, "no URL given for the request");
	if (req->bearer && !header_value_ok(req->bearer))
		return aa_fail(err, AA_ERR_USAGE, "the bearer token must be a single line");
	if (req->method && !method_ok(req->method))
		return aa_fail(err, AA_ERR_USAGE,
			       "the HTTP method must be one word of letters, digits and "
			       "!#$%%&'*+-.^_`|~ (e.g. GET, POST, DELETE)");
	url = aa_url_join(c->base, req->url, err);
	if (!url)
		return err ? err->code : AA_ERR_USAGE;
	host = aa_url_host(url);
	if (strncmp(url, "https://", 8) != 0 || !host) {
		st = aa_fail(err, AA_ERR_USAGE,
			     "refusing to send a request to '%s': only https:// URLs are allowed",
			     host ? host : "that URL");
		goto done;
	}
	st = pick_bearer(c, req, host, &bearer, err);
	if (st == AA_OK) {
		cu = aa_curl_for_transfers(err);
		/* a redirect is never followed with a credential (docs/security.md, 1) */
		st = cu ? perform(cu, c, req, url, host, bearer, resp, bearer ? NULL : redirect, err)
			: err ? err->code : AA_ERR_UNSUPPORTED;
	}
done:
	free(host);
	free(url);
	return st;
}

aa_status aa_client_request(aa_client *c, const aa_request *req, aa_response *resp,
			    aa_error *err)
{
	return request_core(c, req, resp, NULL, err);
}

/* ---- anonymous GETs that follow redirects ----------------------------- */

#define REDIRECT_MAX 5

/* A host from a server, for a message: host characters only. */
static void shown_host(const char *host, char *out, size_t len)
{
	size_t j = 0;

	for (size_t i = 0; host && host[i] && j + 1 < len; i++)
		out[j++] = aa_host_char((unsigned char)host[i]) || host[i] == ':' ||
				   host[i] == '[' || host[i] == ']' ? host[i] : '?';
	out[j] = '\0';
}

/* May the GET of `url` (from host `origin`) go on to `next`? One line if not. */
static aa_status check_redirect(const char *url, const char *origin, const char *next,
				int hops, aa_error *err)
{
	char *to = aa_url_host(next);
	char shown[128];
	size_t alen = strcspn(next + (strncasecmp(next, "https://", 8) ? 0 : 8), "/?#");
	aa_status st = AA_OK;

	shown_host(to ? to : "an invalid URL", shown, sizeof(shown));
	if (hops >= REDIRECT_MAX)
		st = aa_fail(err, AA_ERR_SERVER, "%s redirects more than %d times; not following it",
			     url, REDIRECT_MAX);
	else if (strncasecmp(next, "https://", 8) != 0)
		st = aa_fail(err, AA_ERR_SERVER,
			     "%s redirects to a URL that is not https:// (on %s); not following it",
			     url, shown);
	else if (!to || memchr(next + 8, '@', alen) || !aa_host_redirect_ok(origin, to))
		st = aa_fail(err, AA_ERR_SERVER,
			     "%s redirects to %s, which is not an Anaconda host of %s on the same port; "
			     "not following it (check the domain and auth_domain settings)",
			     url, shown, origin);
	free(to);
	return st;
}

aa_status aa_client_get_public(aa_client *c, const char *url, unsigned flags,
			       aa_response *resp, char **final_url, aa_error *err)
{
	aa_request req = AA_REQUEST_INIT;
	char *cur = strdup(url), *origin = aa_url_host(url), *next = NULL;
	aa_status st = cur && origin ? AA_OK : aa_fail(err, AA_ERR_NOMEM, "out of memory");

	*final_url = NULL;
	req.method = "GET";
	req.flags = flags | AA_REQ_ANONYMOUS;
	for (int hops = 0; st == AA_OK; hops++) {
		req.url = cur;
		st = request_core(c, &req, resp, &next, err);
		if (st != AA_OK || !next)
			break;
		st = check_redirect(url, origin, next, hops, err);
		if (st != AA_OK)
			break; /* resp stays: the caller sees the 3xx */
		aa_response_free(resp);
		free(cur);
		cur = next;
		next = NULL;
	}
	free(next);
	free(origin);
	if (st == AA_OK)
		*final_url = cur;
	else
		free(cur);
	return st;
}

void aa_response_free(aa_response *resp)
{
	if (!resp)
		return;
	/* replies carry access tokens and keys */
	if (resp->body) {
		aa_memzero(resp->body, resp->body_len);
		free(resp->body);
	}
	free(resp->content_type);
	memset(resp, 0, sizeof(*resp));
}

/* ---- JSON replies ---------------------------------------------------- */

const char *aa_json_str(json_object *obj, const char *name)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

aa_status aa_http_json(const aa_response *resp, const char *url, json_object **out,
		       aa_error *err)
{
	json_object *doc = NULL;
	char *host;
	aa_status st;

	*out = NULL;
	/* A body with a NUL in it is not JSON, whatever precedes the NUL. */
	if (resp->body && strlen(resp->body) == resp->body_len)
		doc = aa_json_parse_object(resp->body, resp->body_len,
					   JSON_TOKENER_DEFAULT_DEPTH,
					   AA_JSON_TRAILING_SPACE | AA_JSON_SECRET);
	if (doc) {
		*out = doc;
		return AA_OK;
	}
	host = url ? aa_url_host(url) : NULL;
	st = aa_fail(err, AA_ERR_SERVER, "the server at %s sent a reply that is not valid JSON",
		     host ? host : "the login service");
	free(host);
	return st;
}
