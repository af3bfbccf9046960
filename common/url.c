/* SPDX-License-Identifier: BSD-3-Clause */
/* url.c - RFC 3986 reference resolution and the small URL questions the network code asks. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curl_lazy.h"
#include "net_internal.h"

/* A curl-owned string copied into malloc'd memory (curl_free is not free). */
static char *take_curl_str(const aa_curl_api *cu, char *s)
{
	char *copy = aa_strdup0(s);

	cu->free(s);
	return copy;
}

char *aa_url_join(const char *base, const char *ref, aa_error *err)
{
	const aa_curl_api *cu;
	CURLU *u;
	CURLUcode rc;
	char *out = NULL;

	if (!base || !*base) {
		aa_fail(err, AA_ERR_USAGE, "cannot resolve a URL without a base URL");
		return NULL;
	}
	cu = aa_curl(err);
	if (!cu)
		return NULL;
	u = cu->url();
	if (!u) {
		aa_fail(err, AA_ERR_NOMEM, "out of memory while building a URL");
		return NULL;
	}
	rc = cu->url_set(u, CURLUPART_URL, base, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		aa_fail(err, AA_ERR_USAGE, "'%s' is not a usable base URL: %s", base,
			cu->url_strerror(rc));
		goto done;
	}
	/* With a URL already in the handle, curl resolves `ref` against it. */
	if (ref && *ref) {
		rc = cu->url_set(u, CURLUPART_URL, ref, CURLU_NON_SUPPORT_SCHEME);
		if (rc != CURLUE_OK) {
			aa_fail(err, AA_ERR_USAGE, "'%s' is not a usable URL: %s", ref,
				cu->url_strerror(rc));
			goto done;
		}
	}
	if (cu->url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
		aa_fail(err, AA_ERR_USAGE, "cannot build a URL from '%s'", base);
		out = NULL;
		goto done;
	}
	out = take_curl_str(cu, out);
	if (!out)
		aa_fail(err, AA_ERR_NOMEM, "out of memory while building a URL");
done:
	cu->url_cleanup(u);
	return out;
}

char *aa_url_host(const char *url)
{
	const aa_curl_api *cu = aa_curl(NULL);
	CURLU *u = cu ? cu->url() : NULL;
	char *host = NULL, *port = NULL, *out = NULL;

	if (!u)
		return NULL;
	if (cu->url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    cu->url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (cu->url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			out = aa_asprintf("%s:%s", host, port);
		else
			out = aa_strdup0(host);
	}
	cu->free(host);
	cu->free(port);
	cu->url_cleanup(u);
	return out;
}

/* Loopback names we accept, mapped to the numeric address we bind. */
static const char *loopback_address(const char *host)
{
	if (strcmp(host, "127.0.0.1") == 0 || strcasecmp(host, "localhost") == 0)
		return "127.0.0.1";
	if (strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
		return "::1";
	return NULL;
}

static aa_status loopback_parts(const aa_curl_api *cu, CURLU *u, const char *uri,
				aa_loopback_uri *out, aa_error *err)
{
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	const char *addr;
	aa_status st = AA_ERR_USAGE;
	long n;

	if (cu->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strcmp(scheme, "http") != 0) {
		aa_fail(err, st, "the redirect URI '%s' must start with http:// "
			"(it is served on this machine)", uri);
		goto done;
	}
	if (cu->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    !(addr = loopback_address(host))) {
		aa_fail(err, st, "the redirect URI '%s' must name 127.0.0.1, localhost "
			"or [::1], so the login code never leaves this machine", uri);
		goto done;
	}
	cu->url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	n = port ? strtol(port, NULL, 10) : 0;
	if (n < 1 || n > 65535) {
		aa_fail(err, st, "the redirect URI '%s' has no usable port", uri);
		goto done;
	}
	if (cu->url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		path = NULL;
	out->path = aa_strdup0(path && *path ? path : "/");
	if (!out->path) {
		st = aa_oom(err);
		goto done;
	}
	snprintf(out->host, sizeof(out->host), "%s", addr);
	out->port = (unsigned)n;
	st = AA_OK;
done:
	cu->free(scheme);
	cu->free(host);
	cu->free(port);
	cu->free(path);
	return st;
}

aa_status aa_url_loopback(const char *uri, aa_loopback_uri *out, aa_error *err)
{
	const aa_curl_api *cu;
	CURLU *u;
	aa_status st;

	memset(out, 0, sizeof(*out));
	if (!uri || !*uri)
		return aa_fail(err, AA_ERR_USAGE, "no redirect URI is set");
	cu = aa_curl(err);
	if (!cu)
		return err ? err->code : AA_ERR_UNSUPPORTED;
	u = cu->url();
	if (!u)
		return aa_oom(err);
	if (cu->url_set(u, CURLUPART_URL, uri, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		st = aa_fail(err, AA_ERR_USAGE, "the redirect URI '%s' is not a URL", uri);
	else
		st = loopback_parts(cu, u, uri, out, err);
	cu->url_cleanup(u);
	return st;
}

void aa_loopback_uri_free(aa_loopback_uri *u)
{
	if (!u)
		return;
	free(u->path);
	u->path = NULL;
}
