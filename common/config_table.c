/* SPDX-License-Identifier: BSD-3-Clause */
/* config_table.c - the settings, their names in every source, and lookups by name. */
#include <string.h>

#include "config_table.h"

const struct setting cfg_settings[] = {
	{ "domain", NULL, K_DOMAIN, D_ANNOUNCE, AT(domain),
	  { "ANACONDA_AUTH_DOMAIN", "ANACONDA_CLOUD_DOMAIN",
	    "ANACONDA_CLOUD_API_DOMAIN" } },
	{ "auth_domain", "auth_domain_override", K_DOMAIN, D_ANNOUNCE, AT(auth_domain),
	  { "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE",
	    "ANACONDA_CLOUD_AUTH_DOMAIN_OVERRIDE", "ANACONDA_CLOUD_AUTH_DOMAIN" } },
	{ "api_key", NULL, K_API_KEY, D_ANNOUNCE, AT(api_key),
	  { "ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY" } },
	{ "ssl_verify", NULL, K_SSL_VERIFY, D_TLS, AT(ssl_verify),
	  { "ANACONDA_AUTH_SSL_VERIFY", "ANACONDA_CLOUD_SSL_VERIFY",
	    "ANACONDA_CLOUD_API_SSL_VERIFY", "ANACONDA_CLOUD_AUTH_SSL_VERIFY" } },
	{ "extra_headers", NULL, K_HEADERS, D_PLAIN, AT(extra_headers),
	  { "ANACONDA_AUTH_EXTRA_HEADERS", "ANACONDA_CLOUD_EXTRA_HEADERS",
	    "ANACONDA_CLOUD_API_EXTRA_HEADERS" } },
	{ "client_id", NULL, K_TEXT, D_ANNOUNCE, AT(client_id),
	  { "ANACONDA_AUTH_CLIENT_ID", "ANACONDA_CLOUD_CLIENT_ID",
	    "ANACONDA_CLOUD_AUTH_CLIENT_ID" } },
	{ "redirect_uri", NULL, K_URL, D_ANNOUNCE, AT(redirect_uri),
	  { "ANACONDA_AUTH_REDIRECT_URI", "ANACONDA_CLOUD_REDIRECT_URI",
	    "ANACONDA_CLOUD_AUTH_REDIRECT_URI" } },
	{ "openid_config_path", NULL, K_PATH, D_ANNOUNCE, AT(openid_config_path),
	  { "ANACONDA_AUTH_OPENID_CONFIG_PATH", "ANACONDA_CLOUD_OPENID_CONFIG_PATH",
	    "ANACONDA_CLOUD_AUTH_OPENID_CONFIG_PATH" } },
	{ "login_success_path", NULL, K_PAGE_PATH, D_PLAIN, AT(login_success_path),
	  { "ANACONDA_AUTH_LOGIN_SUCCESS_PATH", "ANACONDA_CLOUD_LOGIN_SUCCESS_PATH" } },
	{ "login_error_path", NULL, K_PAGE_PATH, D_PLAIN, AT(login_error_path),
	  { "ANACONDA_AUTH_LOGIN_ERROR_PATH", "ANACONDA_CLOUD_LOGIN_ERROR_PATH" } },
	{ "preferred_token_storage", "storage", K_STORAGE, D_ANNOUNCE, AT(storage),
	  { "ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE",
	    "ANACONDA_CLOUD_PREFERRED_TOKEN_STORAGE" } },
	{ "keyring_path", NULL, K_KEYRING_PATH, D_ANNOUNCE, AT(keyring_path),
	  { "ANACONDA_AUTH_KEYRING_PATH", "ANACONDA_CLOUD_KEYRING_PATH" } },
	{ "secret_collection", NULL, K_TEXT, D_ANNOUNCE, AT(secret_collection),
	  { "ANACONDA_AUTH_SECRET_COLLECTION" } },
	{ "use_device_flow", NULL, K_BOOL, D_PLAIN, AT(use_device_flow),
	  { "ANACONDA_AUTH_USE_DEVICE_FLOW", "ANACONDA_CLOUD_USE_DEVICE_FLOW" } },
	{ "use_unified_repo_api_key", NULL, K_BOOL, D_PLAIN, AT(use_unified_repo_api_key),
	  { "ANACONDA_AUTH_USE_UNIFIED_REPO_API_KEY",
	    "ANACONDA_CLOUD_USE_UNIFIED_REPO_API_KEY" } },
	{ "logging_level", NULL, K_TEXT, D_PLAIN, AT(logging_level),
	  { "ANACONDA_AUTH_LOGGING_LEVEL", "ANACONDA_CLOUD_LOGGING_LEVEL" } },
	{ "connect_timeout", NULL, K_TIMEOUT, D_PLAIN, AT(connect_timeout_ms),
	  { "ANACONDA_AUTH_CONNECT_TIMEOUT" } },
	{ "timeout", NULL, K_TIMEOUT, D_PLAIN, AT(timeout_ms), { "ANACONDA_AUTH_TIMEOUT" } },
	{ "hash_hostname", NULL, K_BOOL, D_PLAIN, AT(hash_hostname),
	  { "ANACONDA_AUTH_HASH_HOSTNAME", "ANACONDA_CLOUD_HASH_HOSTNAME" } },
	{ "api_version", NULL, K_TEXT, D_PLAIN, AT(api_version),
	  { "ANACONDA_AUTH_API_VERSION" } },
	{ "oidc_request_headers", NULL, K_HEADERS, D_PLAIN, AT(oidc_request_headers),
	  { "ANACONDA_AUTH_OIDC_REQUEST_HEADERS", "ANACONDA_CLOUD_OIDC_REQUEST_HEADERS" } },
	{ "keyring", NULL, K_KEYRING, D_ANNOUNCE, AT(keyring_inline),
	  { "ANACONDA_AUTH_KEYRING", "ANACONDA_CLOUD_KEYRING" } },
	{ "proxy_servers", NULL, K_PROXIES, D_NEVER, AT(proxy_servers),
	  { "ANACONDA_AUTH_PROXY_SERVERS", "ANACONDA_CLOUD_PROXY_SERVERS" } },
	{ "client_cert", NULL, K_FILE, D_NEVER, AT(client_cert),
	  { "ANACONDA_AUTH_CLIENT_CERT", "ANACONDA_CLOUD_CLIENT_CERT" } },
	{ "client_cert_key", NULL, K_FILE, D_NEVER, AT(client_cert_key),
	  { "ANACONDA_AUTH_CLIENT_CERT_KEY", "ANACONDA_CLOUD_CLIENT_CERT_KEY" } },
};

#define N_SETTINGS (sizeof(cfg_settings) / sizeof(cfg_settings[0]))
_Static_assert(N_SETTINGS <= CFG_MAX_SETTINGS, "raise CFG_MAX_SETTINGS");

const size_t cfg_n_settings = N_SETTINGS;

size_t cfg_count(void)
{
	return N_SETTINGS;
}

const char *cfg_name(size_t i)
{
	return i < N_SETTINGS ? cfg_settings[i].name : NULL;
}

const char *cfg_alias(size_t i)
{
	return i < N_SETTINGS ? cfg_settings[i].alias : NULL;
}

const char *cfg_env(size_t i, size_t gen)
{
	return i < N_SETTINGS && gen < CFG_MAX_NAMES ? cfg_settings[i].env[gen] : NULL;
}

int cfg_find(const char *name)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (strcmp(name, cfg_settings[i].name) == 0 ||
		    (cfg_settings[i].alias && strcmp(name, cfg_settings[i].alias) == 0))
			return (int)i;
	}
	return -1;
}

int cfg_find_env(const char *var, size_t *gen)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		for (size_t j = 0; cfg_settings[i].env[j]; j++) {
			if (strcmp(var, cfg_settings[i].env[j]) == 0) {
				if (gen)
					*gen = j;
				return (int)i;
			}
		}
	}
	return -1;
}

int cfg_value_is_secret(const char *name)
{
	int i = cfg_find(name);

	if (i < 0)
		return 0;
	switch (cfg_settings[i].kind) {
	case K_API_KEY:
	case K_KEYRING:
	case K_HEADERS: /* header values may be credentials */
	case K_PROXIES: /* a proxy URL may hold user:password */
		return 1;
	default:
		return 0;
	}
}
