/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_settings.c - property checks for settings values (aa_config_set,
 * aa_domain_normalize: what a .env in a cloned repository or an environment
 * variable hands us) and for pam_anaconda's usermap file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_struct.h"
#include "checks.h"
#include "internal.h"
#include "pam_usermap.h"

static char *settings_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		if (size)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* ---- settings ------------------------------------------------------------ */

static const char *const setting_names[] = {
	"domain", "auth_domain", "auth_domain_override", "api_key", "ssl_verify",
	"extra_headers", "client_id", "redirect_uri", "openid_config_path",
	"login_success_path", "login_error_path", "preferred_token_storage", "storage",
	"keyring_path", "secret_collection", "use_device_flow", "use_unified_repo_api_key",
	"logging_level", "connect_timeout", "timeout",
};
#define N_SETTING_NAMES (sizeof(setting_names) / sizeof(setting_names[0]))

/* host[:port] only, lower case: nothing that could add a path or a user. */
static const char *domain_shape(const char *d)
{
	if (!*d)
		return "a normalised domain is empty";
	for (const char *p = d; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("/?#@\\", *p) || (*p >= 'A' && *p <= 'Z'))
			return "a normalised domain holds a character a host[:port] cannot";
	return NULL;
}

static const char *headers_shape(char *const *v)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strpbrk(v[i], "\r\n") || !strchr(v[i], ':'))
			return "an accepted extra header is not one \"Name: value\" line";
	return NULL;
}

/* The setting just applied reads back the way its validation promises. */
static const char *setting_applied(const aa_config *cfg, const char *name, const char *value)
{
	char *norm;
	const char *why = NULL;

	if (!strcmp(name, "domain")) {
		norm = aa_domain_normalize(value, NULL);
		if (!norm || !cfg->domain || strcmp(norm, cfg->domain))
			why = "the domain set differs from aa_domain_normalize of the value";
		else
			why = domain_shape(cfg->domain);
		free(norm);
	} else if (!strcmp(name, "extra_headers")) {
		why = headers_shape(cfg->extra_headers);
	} else if (!strcmp(name, "api_key")) {
		if (!cfg->api_key || strcmp(aa_secret_str(cfg->api_key), value))
			why = "the API key set is not the value given";
	} else if (!strcmp(name, "connect_timeout") || !strcmp(name, "timeout")) {
		if (cfg->connect_timeout_ms < 0 || cfg->timeout_ms < 0)
			why = "a timeout set is negative";
	}
	return why;
}

/* The first byte picks the setting; the rest is its value. */
const char *fuzz_check_settings(const uint8_t *data, size_t size)
{
	aa_config *cfg = NULL;
	aa_error err = { 0 };
	const char *name, *why = NULL;
	char *value, *norm;
	aa_status st;

	if (size == 0)
		return NULL;
	name = setting_names[data[0] % N_SETTING_NAMES];
	value = settings_cstr(data + 1, size - 1);
	if (!value || aa_config_load(&cfg, 0, NULL) != AA_OK) {
		free(value);
		return NULL;
	}
	st = aa_config_set(cfg, name, value, "--fuzz", &err);
	if (st == AA_OK)
		why = setting_applied(cfg, name, value);
	else if (!memchr(err.message, '\0', sizeof(err.message)) || !err.message[0])
		why = "a refused setting has no message";
	else if (!strcmp(name, "api_key") && strlen(value) >= 12 && strstr(err.message, value))
		why = "a refused API key is quoted in the message";
	aa_config_free(cfg);
	norm = aa_domain_normalize(value, NULL);
	if (!why && norm)
		why = domain_shape(norm);
	free(norm);
	aa_free_secret_str(value);
	return why;
}

/* ---- pam_anaconda usermap ------------------------------------------------- */

#define FZ_ID "0a0a0a0a-1111-4222-8333-444444444444"

static const char *usermap_queries(const char *text)
{
	static const char *const pairs[][2] = {
		{ "alice", "bob" }, { "root", "root" }, { "a", "b" } };

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		/* an id line is for ids: a username shaped like one never matches */
		if (pa_usermap_allows(text, NULL, FZ_ID, pairs[i][1]))
			return "the usermap matches a UUID-shaped username";
		if (pa_usermap_allows(text, pairs[i][0], NULL, pairs[i][1]))
			return "the usermap matches a non-UUID account id";
	}
	if (pa_usermap_allows(text, NULL, "", "bob") ||
	    pa_usermap_allows(text, NULL, NULL, "bob") ||
	    pa_usermap_allows(text, "", NULL, "bob"))
		return "the usermap allows an empty account";
	return NULL;
}

/* Any map text, then the same with one good line appended. */
const char *fuzz_check_usermap(const uint8_t *data, size_t size)
{
	char *text = settings_cstr(data, size), *more;
	const char *why;
	size_t bad;

	if (!text)
		return NULL;
	why = usermap_queries(text);
	bad = pa_usermap_bad_lines(text);
	more = aa_asprintf("%s\nfz-account fz-local\n" FZ_ID " fz-root\n", text);
	if (!why && more) {
		if (!pa_usermap_allows(more, NULL, "fz-account", "fz-local") ||
		    !pa_usermap_allows(more, "0A0A0A0A-1111-4222-8333-444444444444",
				       NULL, "fz-root"))
			why = "a well-formed line appended to the usermap is not honoured";
		else if (pa_usermap_allows(more, NULL, "fz-account", "fz") ||
			 pa_usermap_allows(more, FZ_ID, NULL, "fz-roo"))
			why = "the usermap matches a prefix of a local user";
		else if (pa_usermap_bad_lines(more) != bad)
			why = "appending a well-formed line changes the count of bad lines";
	}
	free(more);
	free(text);
	return why;
}
