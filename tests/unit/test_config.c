/* SPDX-License-Identifier: BSD-3-Clause */
/* test_config.c - unit tests for common/config.c: sources, precedence, validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "settings_env.h"

#include "config_struct.h"
#include "anaconda_auth.h"

/* Every test runs in its own empty directory, which is also $HOME. */
struct fixture {
	char dir[64];
	char oldcwd[4096];
	char *oldhome;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *home;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/aa-test-config-XXXXXX");
	if (!mkdtemp(f->dir) || !getcwd(f->oldcwd, sizeof(f->oldcwd)) ||
	    chdir(f->dir) != 0) {
		free(f);
		return -1;
	}
	home = getenv("HOME");
	f->oldhome = home ? strdup(home) : NULL;
	clear_anaconda_env();
	setenv("HOME", f->dir, 1);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = chdir(f->oldcwd);

	clear_anaconda_env();
	unsetenv("AA_TEST_DIR");
	if (f->oldhome)
		setenv("HOME", f->oldhome, 1);
	else
		unsetenv("HOME");
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f->oldhome);
	free(f);
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Loading fails with `code` and a one-line message holding `want`. */
static void expect_load_error(unsigned flags, aa_status code, const char *want)
{
	aa_config *cfg = NULL;
	aa_error err;

	assert_int_equal(aa_config_load(&cfg, flags, &err), code);
	assert_int_equal(err.code, code);
	if (!strstr(err.message, want))
		fail_msg("message '%s' lacks '%s'", err.message, want);
	assert_null(strchr(err.message, '\n'));
	/* a failed load leaves nothing to free */
	assert_null(cfg);
}

/* One variable set to `value` makes loading fail naming the variable. */
static void expect_invalid(const char *var, const char *value)
{
	setenv(var, value, 1);
	expect_load_error(0, AA_ERR_USAGE, var);
	unsetenv(var);
}

/* ./.env is there but must not be read: nothing from it, one notice why. */
static void expect_ignored(const char *why)
{
	aa_config *cfg = NULL;

	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "anaconda.com");
	assert_null(cfg->api_key);
	assert_non_null(cfg->notices);
	if (!strstr(cfg->notices, "ignoring ./.env: ") || !strstr(cfg->notices, why))
		fail_msg("notice '%s' does not say '%s'", cfg->notices, why);
	assert_null(strchr(cfg->notices, '\n')); /* one line */
	aa_config_free(cfg);
}

/* ------------------------------------------------------------------ */

static void test_defaults(void **state)
{
	struct fixture *f = *state;
	aa_config *cfg = NULL;
	char path[256];

	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "anaconda.com");
	assert_null(cfg->auth_domain);
	assert_string_equal(aa_config_auth_domain(cfg), "anaconda.com");
	assert_null(cfg->api_key);
	assert_null(cfg->api_key_source);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_null(cfg->ca_bundle);
	assert_null(cfg->extra_headers);
	assert_string_equal(cfg->client_id, "b4ad7f1d-c784-46b5-a9fe-106e50441f5a");
	assert_string_equal(cfg->redirect_uri, "http://127.0.0.1:8000/auth/oidc");
	assert_string_equal(cfg->openid_config_path, "/.well-known/openid-configuration");
	assert_string_equal(cfg->login_success_path, "/app/local-login-success");
	assert_string_equal(cfg->login_error_path, "/app/local-login-error");
	assert_int_equal(cfg->storage, AA_STORAGE_FILE);
	snprintf(path, sizeof(path), "%s/.anaconda/keyring", f->dir);
	assert_string_equal(cfg->keyring_path, path);
	assert_null(cfg->secret_collection);
	assert_int_equal(cfg->use_device_flow, -1);
	assert_int_equal(cfg->use_unified_repo_api_key, 0);
	assert_string_equal(cfg->logging_level, "WARNING");
	assert_int_equal(cfg->connect_timeout_ms, 10000);
	assert_int_equal(cfg->timeout_ms, 30000);
	aa_config_free(cfg);
}

static void test_default_keyring_path_without_home(void **state)
{
	const struct passwd *pw = getpwuid(getuid());
	aa_config *cfg = NULL;
	char path[4096];

	(void)state;
	unsetenv("HOME");
	load_ok(&cfg, 0);
	if (pw && pw->pw_dir && *pw->pw_dir) {
		snprintf(path, sizeof(path), "%s/.anaconda/keyring", pw->pw_dir);
		assert_string_equal(cfg->keyring_path, path);
	} else {
		assert_null(cfg->keyring_path);
	}
	aa_config_free(cfg);
}

static const char *str_field(const aa_config *cfg, size_t offset)
{
	return *(char *const *)(const void *)((const char *)cfg + offset);
}

/* Each field, its names newest first: the first one set wins. */
static void check_generations(const char *const *names, size_t offset,
			      const char *const *values, const char *const *expect)
{
	size_t n = 0;

	while (names[n])
		n++;
	/* set oldest first; after each, the newest set so far must win */
	for (size_t i = n; i-- > 0;) {
		aa_config *cfg = NULL;

		setenv(names[i], values[i], 1);
		load_ok(&cfg, 0);
		assert_string_equal(str_field(cfg, offset), expect[i]);
		aa_config_free(cfg);
	}
}

static void test_domain_generations(void **state)
{
	const char *names[] = { "ANACONDA_AUTH_DOMAIN", "ANACONDA_CLOUD_DOMAIN",
				"ANACONDA_CLOUD_API_DOMAIN", NULL };
	const char *values[] = { "new.example", "https://Mid.Example/x", "old.example:8443" };
	const char *expect[] = { "new.example", "mid.example", "old.example:8443" };

	(void)state;
	check_generations(names, offsetof(aa_config, domain), values, expect);
}

static void test_auth_domain_generations(void **state)
{
	const char *names[] = { "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE",
				"ANACONDA_CLOUD_AUTH_DOMAIN_OVERRIDE",
				"ANACONDA_CLOUD_AUTH_DOMAIN", NULL };
	const char *values[] = { "auth-new.example", "auth-mid.example", "id.anaconda.cloud" };
	const char *expect[] = { "auth-new.example", "auth-mid.example", "id.anaconda.cloud" };
	aa_config *cfg = NULL;

	(void)state;
	check_generations(names, offsetof(aa_config, auth_domain), values, expect);
	setenv("ANACONDA_AUTH_DOMAIN", "api.example", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "api.example");
	assert_string_equal(aa_config_auth_domain(cfg), "auth-new.example");
	aa_config_free(cfg);
	assert_null(aa_config_auth_domain(NULL));
}

static void test_text_field_generations(void **state)
{
	static const struct {
		const char *names[4];
		size_t offset;
	} cases[] = {
		{ { "ANACONDA_AUTH_CLIENT_ID", "ANACONDA_CLOUD_CLIENT_ID",
		    "ANACONDA_CLOUD_AUTH_CLIENT_ID", NULL },
		  offsetof(aa_config, client_id) },
		{ { "ANACONDA_AUTH_REDIRECT_URI", "ANACONDA_CLOUD_REDIRECT_URI",
		    "ANACONDA_CLOUD_AUTH_REDIRECT_URI", NULL },
		  offsetof(aa_config, redirect_uri) },
		{ { "ANACONDA_AUTH_LOGGING_LEVEL", "ANACONDA_CLOUD_LOGGING_LEVEL", NULL },
		  offsetof(aa_config, logging_level) },
		{ { "ANACONDA_AUTH_SECRET_COLLECTION", NULL },
		  offsetof(aa_config, secret_collection) },
	};
	const char *values[] = { "http://gen0.example/a", "http://gen1.example/b",
				 "http://gen2.example/c" };
	static const char *success[] = { "ANACONDA_AUTH_LOGIN_SUCCESS_PATH",
					 "ANACONDA_CLOUD_LOGIN_SUCCESS_PATH", NULL };
	static const char *error[] = { "ANACONDA_AUTH_LOGIN_ERROR_PATH",
				       "ANACONDA_CLOUD_LOGIN_ERROR_PATH", NULL };
	const char *paths[] = { "/gen0/a", "/gen1/b", "/gen2/c" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_generations(cases[i].names, cases[i].offset, values, values);
		clear_anaconda_env();
	}
	check_generations(success, offsetof(aa_config, login_success_path), paths, paths);
	clear_anaconda_env();
	check_generations(error, offsetof(aa_config, login_error_path), paths, paths);
	clear_anaconda_env();
}

/* openid_config_path is a path on the auth domain, never a URL. */
static void test_openid_config_path_is_a_path(void **state)
{
	const char *names[] = { "ANACONDA_AUTH_OPENID_CONFIG_PATH",
				"ANACONDA_CLOUD_OPENID_CONFIG_PATH",
				"ANACONDA_CLOUD_AUTH_OPENID_CONFIG_PATH", NULL };
	const char *values[] = { "/a/.well-known/openid-configuration",
				 ".well-known/openid-configuration", "/c?x=1" };

	(void)state;
	check_generations(names, offsetof(aa_config, openid_config_path), values, values);
	clear_anaconda_env();
	expect_invalid("ANACONDA_AUTH_OPENID_CONFIG_PATH", "https://attacker.example/oidc");
	expect_invalid("ANACONDA_AUTH_OPENID_CONFIG_PATH", "HTTP://attacker.example/oidc");
	expect_invalid("ANACONDA_CLOUD_OPENID_CONFIG_PATH", "//attacker.example/oidc");
	expect_invalid("ANACONDA_CLOUD_AUTH_OPENID_CONFIG_PATH", "/\\attacker.example/oidc");
	expect_invalid("ANACONDA_AUTH_OPENID_CONFIG_PATH", "javascript:alert(1)");
}

static void test_login_page_paths_are_paths(void **state)
{
	const char *bad[] = { ".evil.example/x", "@evil.example/x", "//evil.example/x",
			      "/\\evil.example", "/a@b", "/a b", "/a\tb", "x/y", "/a\x7f" };
	aa_config *cfg = NULL;

	(void)state;
	clear_anaconda_env();
	setenv("ANACONDA_AUTH_LOGIN_SUCCESS_PATH", "/welcome?from=cli#top", 1);
	setenv("ANACONDA_CLOUD_LOGIN_ERROR_PATH", "/app/oops", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->login_success_path, "/welcome?from=cli#top");
	assert_string_equal(cfg->login_error_path, "/app/oops");
	aa_config_free(cfg);
	clear_anaconda_env();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_invalid("ANACONDA_AUTH_LOGIN_SUCCESS_PATH", bad[i]);
		expect_invalid("ANACONDA_AUTH_LOGIN_ERROR_PATH", bad[i]);
	}
}

static void test_api_key_sources(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("ANACONDA_CLOUD_API_KEY", "old-key", 1);
	load_ok(&cfg, 0);
	assert_string_equal(aa_secret_str(cfg->api_key), "old-key");
	assert_string_equal(cfg->api_key_source, "ANACONDA_CLOUD_API_KEY");
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_API_KEY", "new-key", 1);
	load_ok(&cfg, 0);
	assert_string_equal(aa_secret_str(cfg->api_key), "new-key");
	assert_string_equal(cfg->api_key_source, "ANACONDA_AUTH_API_KEY");
	aa_config_free(cfg);

	clear_anaconda_env();
	write_file(".env", "ANACONDA_AUTH_API_KEY=dotenv-key\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(aa_secret_str(cfg->api_key), "dotenv-key");
	assert_string_equal(cfg->api_key_source, ".env: ANACONDA_AUTH_API_KEY");
	aa_config_free(cfg);
}

static void test_api_key_is_never_echoed(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	setenv("ANACONDA_AUTH_API_KEY", "secret part two", 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "ANACONDA_AUTH_API_KEY"));
	assert_null(strstr(err.message, "secret"));
	unsetenv("ANACONDA_AUTH_API_KEY");

	load_ok(&cfg, 0);
	assert_int_equal(aa_config_set(cfg, "api_key", "secret\"quoted", "--api-key", &err),
			 AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--api-key"));
	assert_null(strstr(err.message, "secret"));
	assert_null(cfg->api_key);
	assert_int_equal(aa_config_set(cfg, "api_key", "flag-key", "--api-key", &err), AA_OK);
	assert_string_equal(aa_secret_str(cfg->api_key), "flag-key");
	assert_string_equal(cfg->api_key_source, "command line");
	aa_config_free(cfg);
}

static void test_ssl_verify_words(void **state)
{
	static const struct {
		const char *word;
		int verify;
	} cases[] = {
		{ "0", 0 }, { "1", 1 }, { "true", 1 }, { "FALSE", 0 }, { "Yes", 1 },
		{ "no", 0 }, { "on", 1 }, { "OFF", 0 }, { "truststore", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		aa_config *cfg = NULL;

		setenv("ANACONDA_AUTH_SSL_VERIFY", cases[i].word, 1);
		load_ok(&cfg, 0);
		assert_int_equal(cfg->ssl_verify, cases[i].verify);
		assert_null(cfg->ca_bundle);
		aa_config_free(cfg);
	}
}

static void test_ssl_verify_generations(void **state)
{
	const char *names[] = { "ANACONDA_AUTH_SSL_VERIFY", "ANACONDA_CLOUD_SSL_VERIFY",
				"ANACONDA_CLOUD_API_SSL_VERIFY",
				"ANACONDA_CLOUD_AUTH_SSL_VERIFY" };
	aa_config *cfg = NULL;

	(void)state;
	/* each name alone turns verification off */
	for (size_t i = 0; i < 4; i++) {
		setenv(names[i], "false", 1);
		load_ok(&cfg, 0);
		assert_int_equal(cfg->ssl_verify, 0);
		aa_config_free(cfg);
		unsetenv(names[i]);
	}
	/* a newer name wins over all older ones */
	setenv("ANACONDA_CLOUD_AUTH_SSL_VERIFY", "0", 1);
	setenv("ANACONDA_CLOUD_API_SSL_VERIFY", "0", 1);
	setenv("ANACONDA_CLOUD_SSL_VERIFY", "1", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 1);
	aa_config_free(cfg);
}

static void test_ssl_verify_ca_bundle(void **state)
{
	struct fixture *f = *state;
	aa_config *cfg = NULL;
	aa_error err;
	char path[128];

	snprintf(path, sizeof(path), "%s/ca.pem", f->dir);
	write_file(path, "-----BEGIN CERTIFICATE-----\n");
	setenv("ANACONDA_AUTH_SSL_VERIFY", path, 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_string_equal(cfg->ca_bundle, path);
	/* a later boolean drops the bundle */
	assert_int_equal(aa_config_set(cfg, "ssl_verify", "off", "--no-ssl-verify", &err), AA_OK);
	assert_int_equal(cfg->ssl_verify, 0);
	assert_null(cfg->ca_bundle);
	aa_config_free(cfg);

	/* missing file, a directory, a plain word */
	setenv("ANACONDA_AUTH_SSL_VERIFY", "maybe", 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_string_equal(err.message,
			    "ANACONDA_AUTH_SSL_VERIFY: 'maybe' is neither a boolean "
			    "(0/1/true/false/yes/no/on/off) nor an existing CA bundle file");
	unsetenv("ANACONDA_AUTH_SSL_VERIFY");
	expect_invalid("ANACONDA_CLOUD_API_SSL_VERIFY", f->dir);
	expect_invalid("ANACONDA_AUTH_SSL_VERIFY", "/nonexistent/ca.pem");
}

static void test_extra_headers(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("ANACONDA_CLOUD_API_EXTRA_HEADERS", "{\"X-Old\": \"1\"}", 1);
	load_ok(&cfg, 0);
	assert_non_null(cfg->extra_headers);
	assert_string_equal(cfg->extra_headers[0], "X-Old: 1");
	assert_null(cfg->extra_headers[1]);
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_EXTRA_HEADERS",
	       " {\"X-Team\": \"data science\", \"X-Trace\": \"a\\tb\"} ", 1);
	load_ok(&cfg, 0);
	assert_non_null(cfg->extra_headers);
	assert_string_equal(cfg->extra_headers[0], "X-Team: data science");
	assert_string_equal(cfg->extra_headers[1], "X-Trace: a\tb");
	assert_null(cfg->extra_headers[2]);
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_EXTRA_HEADERS", "{}", 1);
	load_ok(&cfg, 0);
	assert_null(cfg->extra_headers);
	aa_config_free(cfg);
}

/* The 0.15 wire settings: hash_hostname, api_version, oidc_request_headers. */
static void test_wire_settings(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	load_ok(&cfg, 0);
	assert_int_equal(cfg->hash_hostname, 1);
	assert_null(cfg->api_version);
	assert_null(cfg->oidc_request_headers);
	aa_config_free(cfg);

	setenv("ANACONDA_CLOUD_HASH_HOSTNAME", "false", 1);
	setenv("ANACONDA_AUTH_API_VERSION", "2025.01.07", 1);
	setenv("ANACONDA_AUTH_OIDC_REQUEST_HEADERS", "{\"User-Agent\": \"x/1\"}", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->hash_hostname, 0);
	assert_string_equal(cfg->api_version, "2025.01.07");
	assert_string_equal(cfg->oidc_request_headers[0], "User-Agent: x/1");
	assert_null(cfg->oidc_request_headers[1]);
	assert_null(cfg->extra_headers);
	aa_error_clear(&err);
	assert_int_equal(aa_config_set(cfg, "oidc_request_headers", "{\"A\": 1}", NULL, &err),
			 AA_ERR_USAGE);
	assert_string_equal(cfg->oidc_request_headers[0], "User-Agent: x/1");
	assert_int_equal(aa_config_set(cfg, "api_version", "1\n2", NULL, &err), AA_ERR_USAGE);
	aa_config_free(cfg);
	unsetenv("ANACONDA_CLOUD_HASH_HOSTNAME");
	unsetenv("ANACONDA_AUTH_API_VERSION");
	unsetenv("ANACONDA_AUTH_OIDC_REQUEST_HEADERS");
}

static void test_extra_headers_invalid(void **state)
{
	static const char *const bad[] = {
		"[1, 2]",
		"not json",
		"{\"X-A\": 1}",
		"{\"X-A\": null}",
		"{\"Bad Name\": \"v\"}",
		"{\"\": \"v\"}",
		"{\"X-A\": \"v\"} trailing",
		"{'X-A': 'v'}",
		"\"string\"",
	};
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_invalid("ANACONDA_AUTH_EXTRA_HEADERS", bad[i]);
	/* CR/LF/NUL in a value would split the request: refused, value not shown */
	setenv("ANACONDA_CLOUD_EXTRA_HEADERS",
	       "{\"Authorization\": \"Bearer s3cret\\r\\nX-Evil: 1\"}", 1);
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "ANACONDA_CLOUD_EXTRA_HEADERS"));
	assert_non_null(strstr(err.message, "Authorization"));
	assert_null(strstr(err.message, "s3cret"));
	expect_invalid("ANACONDA_AUTH_EXTRA_HEADERS", "{\"X-A\": \"a\\u0000b\"}");
	expect_invalid("ANACONDA_AUTH_EXTRA_HEADERS", "{\"X-A\": \"a\\nb\"}");
}

static void test_storage(void **state)
{
	static const struct {
		const char *value;
		aa_storage storage;
	} cases[] = {
		{ "anaconda-keyring", AA_STORAGE_FILE },
		{ "file", AA_STORAGE_FILE },
		{ "system", AA_STORAGE_SYSTEM },
	};
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("ANACONDA_CLOUD_PREFERRED_TOKEN_STORAGE", cases[i].value, 1);
		load_ok(&cfg, 0);
		assert_int_equal(cfg->storage, cases[i].storage);
		aa_config_free(cfg);
	}
	setenv("ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE", "anaconda-keyring", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->storage, AA_STORAGE_FILE); /* the newer name wins */
	assert_int_equal(aa_config_set(cfg, "storage", "system", NULL, &err), AA_OK);
	assert_int_equal(cfg->storage, AA_STORAGE_SYSTEM);
	assert_int_equal(aa_config_set(cfg, "preferred_token_storage", "file", NULL, &err),
			 AA_OK);
	assert_int_equal(cfg->storage, AA_STORAGE_FILE);
	aa_config_free(cfg);
	expect_invalid("ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE", "cloud");
}

static void test_keyring_path_expansion(void **state)
{
	struct fixture *f = *state;
	aa_config *cfg = NULL;
	char want[256];

	setenv("ANACONDA_CLOUD_KEYRING_PATH", "~/old/kr", 1);
	load_ok(&cfg, 0);
	snprintf(want, sizeof(want), "%s/old/kr", f->dir);
	assert_string_equal(cfg->keyring_path, want);
	aa_config_free(cfg);

	setenv("AA_TEST_DIR", "/srv/x", 1);
	setenv("ANACONDA_AUTH_KEYRING_PATH", "$AA_TEST_DIR/a/${AA_TEST_DIR}/$/b", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->keyring_path, "/srv/x/a//srv/x/$/b");
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_KEYRING_PATH", "~", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->keyring_path, f->dir);
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_KEYRING_PATH", "relative/kr", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->keyring_path, "relative/kr");
	aa_config_free(cfg);

	expect_invalid("ANACONDA_AUTH_KEYRING_PATH", "$AA_NOT_SET_ANYWHERE/kr");
	expect_invalid("ANACONDA_AUTH_KEYRING_PATH", "${AA_TEST_DIR/kr");
	expect_invalid("ANACONDA_AUTH_KEYRING_PATH", "~no-such-user-aa-test/kr");
}

static void test_keyring_path_tilde_user(void **state)
{
	const struct passwd *pw = getpwuid(getuid());
	aa_config *cfg = NULL;
	char value[256], want[4096];

	(void)state;
	if (!pw || !pw->pw_name || !pw->pw_dir) {
		skip();
		return;
	}
	snprintf(value, sizeof(value), "~%s/kr", pw->pw_name);
	snprintf(want, sizeof(want), "%s/kr", pw->pw_dir);
	setenv("ANACONDA_AUTH_KEYRING_PATH", value, 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->keyring_path, want);
	aa_config_free(cfg);
}

static void test_booleans(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("ANACONDA_CLOUD_USE_DEVICE_FLOW", "yes", 1);
	setenv("ANACONDA_CLOUD_USE_UNIFIED_REPO_API_KEY", "on", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->use_device_flow, 1);
	assert_int_equal(cfg->use_unified_repo_api_key, 1);
	aa_config_free(cfg);

	setenv("ANACONDA_AUTH_USE_DEVICE_FLOW", "0", 1);
	setenv("ANACONDA_AUTH_USE_UNIFIED_REPO_API_KEY", "False", 1);
	load_ok(&cfg, 0);
	assert_int_equal(cfg->use_device_flow, 0);
	assert_int_equal(cfg->use_unified_repo_api_key, 0);
	aa_config_free(cfg);

	clear_anaconda_env();
	expect_invalid("ANACONDA_AUTH_USE_DEVICE_FLOW", "sometimes");
	expect_invalid("ANACONDA_CLOUD_USE_UNIFIED_REPO_API_KEY", "2");
}

static void test_timeouts(void **state)
{
	static const struct {
		const char *value;
		long ms;
	} ok[] = {
		{ "10", 10000 }, { "2.5", 2500 }, { "0.001", 1 }, { "0.0001", 1 },
		{ ".5", 500 }, { "7.", 7000 }, { "1.2345", 1235 }, { "86400", 86400000 },
	};
	static const char *const bad[] = {
		"0", "0.0", "-1", "abc", "1e3", "inf", "nan", " 5", "5s", "86400.5",
		"99999999999999999999", ".", "1.2.3",
	};
	aa_config *cfg = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		setenv("ANACONDA_AUTH_CONNECT_TIMEOUT", ok[i].value, 1);
		setenv("ANACONDA_AUTH_TIMEOUT", ok[i].value, 1);
		load_ok(&cfg, 0);
		assert_int_equal(cfg->connect_timeout_ms, ok[i].ms);
		assert_int_equal(cfg->timeout_ms, ok[i].ms);
		aa_config_free(cfg);
	}
	unsetenv("ANACONDA_AUTH_CONNECT_TIMEOUT");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_invalid("ANACONDA_AUTH_TIMEOUT", bad[i]);
}

static void test_invalid_values_name_the_variable(void **state)
{
	(void)state;
	expect_invalid("ANACONDA_CLOUD_API_DOMAIN", "bad host");
	expect_invalid("ANACONDA_CLOUD_AUTH_DOMAIN", "ftp://x.example");
	expect_invalid("ANACONDA_AUTH_REDIRECT_URI", "127.0.0.1:8000/cb");
	expect_invalid("ANACONDA_CLOUD_CLIENT_ID", "a\tb\x01");
	expect_invalid("ANACONDA_AUTH_LOGGING_LEVEL", "DEBUG\n");
}

static void test_empty_value_counts_as_unset(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("ANACONDA_AUTH_DOMAIN", "", 1);
	setenv("ANACONDA_CLOUD_DOMAIN", "older.example", 1);
	setenv("ANACONDA_AUTH_SSL_VERIFY", "", 1);
	setenv("ANACONDA_AUTH_API_KEY", "", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "older.example");
	assert_int_equal(cfg->ssl_verify, 1);
	assert_null(cfg->api_key);
	aa_config_free(cfg);
}

static void test_names_are_case_sensitive(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("anaconda_auth_domain", "lower.example", 1);
	setenv("Anaconda_Auth_Domain", "mixed.example", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "anaconda.com");
	aa_config_free(cfg);
	unsetenv("anaconda_auth_domain");
	unsetenv("Anaconda_Auth_Domain");
}

/* ------------------------------------------------------------------ */
/* ./.env and precedence                                                */

static void test_dotenv_only_on_request(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=dotenv.example\n");
	load_ok(&cfg, 0);
	assert_string_equal(cfg->domain, "anaconda.com");
	aa_config_free(cfg);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "dotenv.example");
	aa_config_free(cfg);
}

static void test_dotenv_then_env_then_set(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	write_file(".env",
		   "# settings for this project\n"
		   "export ANACONDA_AUTH_DOMAIN=dotenv.example\n"
		   "ANACONDA_AUTH_CLIENT_ID='dotenv-client'\n"
		   "OTHER_TOOL_SETTING=ignored\n"
		   "ANACONDA_CLOUD_SSL_VERIFY=\"false\"  # dev box\r\n");
	setenv("ANACONDA_AUTH_DOMAIN", "env.example", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "env.example");
	assert_string_equal(cfg->client_id, "dotenv-client");
	assert_int_equal(cfg->ssl_verify, 1); /* never turned off from .env */
	assert_int_equal(aa_config_set(cfg, "domain", "https://Flag.Example/x", "--domain",
				       &err), AA_OK);
	assert_string_equal(cfg->domain, "flag.example");
	aa_config_free(cfg);
	assert_null(getenv("OTHER_TOOL_SETTING")); /* .env never touches the environment */
}

static void test_env_of_any_generation_beats_dotenv(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=dotenv-new.example\n");
	setenv("ANACONDA_CLOUD_API_DOMAIN", "env-old.example", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "env-old.example");
	aa_config_free(cfg);
}

/* A .env auth domain only when it is the domain; a .env domain only when it
 * is the environment's auth domain (or none is set there). */
static void test_dotenv_never_splits_domains(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=evil.example\n"
			   "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE=anaconda.cloud\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "evil.example");
	assert_null(cfg->auth_domain);
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE"));
	aa_config_free(cfg);

	write_file(".env", "ANACONDA_AUTH_DOMAIN=Team.Example\n"
			   "ANACONDA_CLOUD_AUTH_DOMAIN=https://team.example/\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(aa_config_auth_domain(cfg), "team.example");
	assert_int_equal(cfg->auth_domain_from_dotenv, 1);
	/* a flag's domain drops the .env auth domain rather than split them */
	aa_error_clear(&err);
	assert_int_equal(aa_config_set(cfg, "domain", "other.example", "--domain", &err), AA_OK);
	assert_string_equal(aa_config_auth_domain(cfg), "other.example");
	assert_non_null(strstr(cfg->notices, "ignoring the auth domain team.example"));
	aa_config_free(cfg);

	write_file(".env", "ANACONDA_AUTH_DOMAIN=evil.example\n");
	setenv("ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE", "id.anaconda.cloud", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "anaconda.com");
	assert_string_equal(aa_config_auth_domain(cfg), "id.anaconda.cloud");
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_AUTH_DOMAIN=evil.example"));
	aa_config_free(cfg);
	setenv("ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE", "evil.example", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "evil.example"); /* same as the auth domain: no split */
	aa_config_free(cfg);
	unsetenv("ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE");
}

static void test_dotenv_generations_and_repeats(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".env",
		   "ANACONDA_CLOUD_API_DOMAIN=oldest.example\n"
		   "ANACONDA_CLOUD_DOMAIN=middle.example\n"
		   "ANACONDA_CLOUD_CLIENT_ID=first\n"
		   "ANACONDA_CLOUD_CLIENT_ID=second\n"
		   "ANACONDA_AUTH_LOGGING_LEVEL=DEBUG\n"
		   "ANACONDA_AUTH_LOGGING_LEVEL=\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "middle.example");
	assert_string_equal(cfg->client_id, "second");
	assert_string_equal(cfg->logging_level, "WARNING"); /* emptied again: unset */
	aa_config_free(cfg);
}

static void test_dotenv_invalid_value_names_the_line(void **state)
{
	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=ok.example\n\nANACONDA_AUTH_USE_DEVICE_FLOW=maybe\n");
	expect_load_error(AA_CONFIG_DOTENV, AA_ERR_USAGE,
			  ".env line 3: ANACONDA_AUTH_USE_DEVICE_FLOW: 'maybe'");
	write_file(".env", "ANACONDA_AUTH_API_KEY='s3cret key'\n");
	expect_load_error(AA_CONFIG_DOTENV, AA_ERR_USAGE, ".env line 1: ANACONDA_AUTH_API_KEY");
}

static void test_dotenv_invalid_value_shadowed_by_env(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_SSL_VERIFY=maybe\n");
	setenv("ANACONDA_CLOUD_SSL_VERIFY", "1", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_int_equal(cfg->ssl_verify, 1);
	aa_config_free(cfg);
}

static void test_dotenv_malformed(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=x.example\nthis is not an assignment\n");
	expect_load_error(AA_CONFIG_DOTENV, AA_ERR_USAGE, ".env line 2");
	write_file(".env", "ANACONDA_AUTH_API_KEY=\"s3cret-unclosed\n");
	assert_int_equal(aa_config_load(&cfg, AA_CONFIG_DOTENV, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, ".env line 1"));
	assert_null(strstr(err.message, "s3cret"));
}

static void test_dotenv_absent_unreadable_or_too_big(void **state)
{
	aa_config *cfg = NULL;
	char *big;

	(void)state;
	load_ok(&cfg, AA_CONFIG_DOTENV); /* no .env: fine */
	aa_config_free(cfg);

	assert_int_equal(mkdir(".env", 0700), 0);
	expect_ignored("it is not a regular file");
	assert_int_equal(rmdir(".env"), 0);

	assert_int_equal(symlink(".env", ".env"), 0); /* a loop: cannot be opened */
	expect_ignored("it is a symbolic link");
	assert_int_equal(unlink(".env"), 0);

	big = malloc(70 * 1024);
	assert_non_null(big);
	memset(big, '#', 70 * 1024 - 1);
	big[70 * 1024 - 1] = '\0';
	write_file(".env", big);
	free(big);
	expect_load_error(AA_CONFIG_DOTENV, AA_ERR_USAGE, "64 KiB");
}

/* Settings that steer credentials are announced; the key never shown. */
static void test_dotenv_announces_what_steers_credentials(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=team.example\n"
		   "ANACONDA_AUTH_API_KEY=s3cret-dotenv-key\n"
		   "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE=team.example\n"
		   "ANACONDA_AUTH_KEYRING_PATH=/x/keyring\n"
		   "ANACONDA_AUTH_TIMEOUT=5\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "team.example");
	assert_string_equal(aa_secret_str(cfg->api_key), "s3cret-dotenv-key");
	assert_non_null(cfg->notices);
	assert_non_null(strstr(cfg->notices, "using ANACONDA_AUTH_DOMAIN=team.example from ./.env\n"));
	assert_non_null(strstr(cfg->notices,
			       "using ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE=team.example from ./.env"));
	assert_non_null(strstr(cfg->notices, "using ANACONDA_AUTH_KEYRING_PATH=/x/keyring from ./.env"));
	assert_non_null(strstr(cfg->notices, "using ANACONDA_AUTH_API_KEY from ./.env (key sha256:"));
	assert_null(strstr(cfg->notices, "s3cret"));
	assert_null(strstr(cfg->notices, "TIMEOUT")); /* a timeout steers nothing */
	aa_config_free(cfg);

	/* The environment wins, and then nothing from .env is announced. */
	setenv("ANACONDA_CLOUD_DOMAIN", "env.example", 1);
	setenv("ANACONDA_CLOUD_API_KEY", "env-key", 1);
	write_file(".env", "ANACONDA_AUTH_DOMAIN=team.example\nANACONDA_AUTH_API_KEY=k\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->domain, "env.example");
	assert_null(cfg->notices);
	aa_config_free(cfg);
}

/* TLS is never weakened from .env: off and CA bundles are refused. */
static void test_dotenv_never_weakens_tls(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file("evil-ca.pem", "-----BEGIN CERTIFICATE-----\n");
	write_file(".env", "ANACONDA_AUTH_SSL_VERIFY=false\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_non_null(cfg->notices);
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_AUTH_SSL_VERIFY from ./.env"));
	aa_config_free(cfg);

	write_file(".env", "ANACONDA_CLOUD_API_SSL_VERIFY=./evil-ca.pem\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_null(cfg->ca_bundle);
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_CLOUD_API_SSL_VERIFY from ./.env"));
	aa_config_free(cfg);

	write_file(".env", "ANACONDA_AUTH_SSL_VERIFY=truststore\n"); /* verifies: fine */
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_int_equal(cfg->ssl_verify, 1);
	assert_null(cfg->notices);
	aa_config_free(cfg);

	/* The same values from the environment are the person's choice. */
	setenv("ANACONDA_AUTH_SSL_VERIFY", "./evil-ca.pem", 1);
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_string_equal(cfg->ca_bundle, "./evil-ca.pem");
	aa_config_free(cfg);
}

/* A .env others can write, or in a directory others can write, is ignored. */
static void test_dotenv_writable_by_others_is_ignored(void **state)
{
	(void)state;
	write_file(".env", "ANACONDA_AUTH_DOMAIN=attacker.example\nANACONDA_AUTH_API_KEY=k\n");
	assert_int_equal(chmod(".env", 0664), 0);
	expect_ignored("it is writable by other users (run: chmod go-w .env)");
	assert_int_equal(chmod(".env", 0602), 0);
	expect_ignored("it is writable by other users");
	assert_int_equal(chmod(".env", 0600), 0);

	assert_int_equal(chmod(".", 01777), 0); /* sticky, as /tmp: others may still create .env */
	expect_ignored("the current directory is writable by other users");
	assert_int_equal(chmod(".", 0770), 0);
	expect_ignored("the current directory is writable by other users");
	assert_int_equal(chmod(".", 0700), 0);

	assert_int_equal(rename(".env", "real.env"), 0);
	assert_int_equal(symlink("real.env", ".env"), 0);
	expect_ignored("it is a symbolic link");
}

/* Owned by another user (needs root to set up): ignored, file or directory. */
static void test_dotenv_of_another_user_is_ignored(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	write_file(".env", "ANACONDA_AUTH_DOMAIN=attacker.example\n");
	assert_int_equal(chown(".env", 65534, 65534), 0);
	expect_ignored("it belongs to uid 65534, not to you or root");
	assert_int_equal(chown(".env", 0, 0), 0);
	assert_int_equal(chown(".", 65534, 65534), 0);
	expect_ignored("the current directory belongs to uid 65534");
	assert_int_equal(chown(".", 0, 0), 0);
}

/* ------------------------------------------------------------------ */
/* aa_config_set, free                                                  */

static void test_set_every_field_name(void **state)
{
	static const struct {
		const char *field;
		const char *value;
	} cases[] = {
		{ "domain", "d.example" }, { "auth_domain", "a.example" },
		{ "auth_domain_override", "b.example" },
		{ "api_key", "k" }, { "ssl_verify", "0" },
		{ "extra_headers", "{\"X-A\": \"b\"}" }, { "client_id", "c" },
		{ "redirect_uri", "http://127.0.0.1:9000/cb" },
		{ "openid_config_path", "/oidc" }, { "login_success_path", "/ok" },
		{ "login_error_path", "/err" }, { "preferred_token_storage", "system" },
		{ "storage", "file" }, { "keyring_path", "/tmp/kr" },
		{ "secret_collection", "session" }, { "use_device_flow", "true" },
		{ "use_unified_repo_api_key", "1" }, { "logging_level", "DEBUG" },
		{ "connect_timeout", "3" }, { "timeout", "4.5" },
	};
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	load_ok(&cfg, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (aa_config_set(cfg, cases[i].field, cases[i].value, NULL, &err) != AA_OK)
			fail_msg("%s: %s", cases[i].field, err.message);
	}
	assert_string_equal(cfg->domain, "d.example");
	assert_string_equal(cfg->auth_domain, "b.example");
	assert_string_equal(aa_secret_str(cfg->api_key), "k");
	assert_int_equal(cfg->ssl_verify, 0);
	assert_string_equal(cfg->extra_headers[0], "X-A: b");
	assert_string_equal(cfg->client_id, "c");
	assert_string_equal(cfg->redirect_uri, "http://127.0.0.1:9000/cb");
	assert_string_equal(cfg->openid_config_path, "/oidc");
	assert_string_equal(cfg->login_success_path, "/ok");
	assert_string_equal(cfg->login_error_path, "/err");
	assert_int_equal(cfg->storage, AA_STORAGE_FILE);
	assert_string_equal(cfg->keyring_path, "/tmp/kr");
	assert_string_equal(cfg->secret_collection, "session");
	assert_int_equal(cfg->use_device_flow, 1);
	assert_int_equal(cfg->use_unified_repo_api_key, 1);
	assert_string_equal(cfg->logging_level, "DEBUG");
	assert_int_equal(cfg->connect_timeout_ms, 3000);
	assert_int_equal(cfg->timeout_ms, 4500);
	aa_config_free(cfg);
}

static void test_set_errors(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	load_ok(&cfg, 0);
	assert_int_equal(aa_config_set(cfg, "colour", "blue", "--colour", &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "colour"));
	assert_int_equal(aa_config_set(cfg, "Domain", "x.example", NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_config_set(cfg, "domain", "", "--domain", &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--domain"));
	assert_int_equal(aa_config_set(cfg, "domain", NULL, "--domain", &err), AA_ERR_USAGE);
	/* a rejected value leaves the old one in place */
	assert_int_equal(aa_config_set(cfg, "domain", "bad host!", "--domain", &err),
			 AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--domain: 'bad host!'"));
	assert_string_equal(cfg->domain, "anaconda.com");
	assert_int_equal(aa_config_set(cfg, "timeout", "soon", NULL, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "timeout: 'soon'"));
	assert_int_equal(cfg->timeout_ms, 30000);
	assert_int_equal(aa_config_set(cfg, "extra_headers", "{\"A\": 1}", NULL, &err),
			 AA_ERR_USAGE);
	assert_null(cfg->extra_headers);
	assert_int_equal(aa_config_set(NULL, "domain", "x", NULL, &err), AA_ERR_USAGE);
	assert_int_equal(aa_config_set(cfg, NULL, "x", NULL, NULL), AA_ERR_USAGE);
	aa_config_free(cfg);
}

/* NULL is fine; settings holding a key and headers are freed whole (ASan/valgrind). */
static void test_free_is_idempotent(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	aa_config_free(NULL);
	setenv("ANACONDA_AUTH_API_KEY", "key", 1);
	setenv("ANACONDA_AUTH_EXTRA_HEADERS", "{\"A\": \"b\"}", 1);
	load_ok(&cfg, 0);
	assert_non_null(cfg->api_key);
	assert_non_null(cfg->extra_headers);
	aa_config_free(cfg);
}

/* ------------------------------------------------------------------ */
/* Domain normalisation                                                 */

static void test_domain_normalize_vectors(void **state)
{
	static const char *const cases[][2] = {
		{ "https://anaconda.cloud/foo", "anaconda.cloud" },
		{ "localhost:8443", "localhost:8443" },
		{ "HTTP://Example.COM:80/x?y", "example.com:80" },
		{ "anaconda.cloud", "anaconda.cloud" },
		{ "Anaconda.Com", "anaconda.com" },
		{ "https://user:pw@Host.Example:8443/p", "host.example:8443" },
		{ "[::1]:8443", "[::1]:8443" },
		{ "https://[FE80::1]/x", "[fe80::1]" },
		{ "anaconda.cloud?x=1", "anaconda.cloud" },
		{ "anaconda.cloud#frag", "anaconda.cloud" },
		{ "  spaced.example  ", "spaced.example" },
		{ "my_host.internal", "my_host.internal" },
		{ "127.0.0.1:8000", "127.0.0.1:8000" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		aa_error err;
		char *d = aa_domain_normalize(cases[i][0], &err);

		if (!d)
			fail_msg("'%s': %s", cases[i][0], err.message);
		assert_string_equal(d, cases[i][1]);
		free(d);
	}
}

static void test_domain_normalize_rejects(void **state)
{
	static const char *const bad[] = {
		"", "   ", "https://", "https:///path", "ftp://x.example", "bad host",
		"host:", "host:99999", "host:0", "host:8a", "[::1", "[]", "[::g]",
		"exa*mple.com", "user@", "x.example:80:90", "caf\xc3\xa9.example",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aa_error err;
		char *d = aa_domain_normalize(bad[i], &err);

		if (d)
			fail_msg("'%s' was accepted as '%s'", bad[i], d);
		assert_int_equal(err.code, AA_ERR_USAGE);
		assert_non_null(strstr(err.message, "not a valid domain"));
		assert_null(strchr(err.message, '\n'));
	}
	assert_null(aa_domain_normalize(NULL, NULL));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_default_keyring_path_without_home),
		T(test_domain_generations),
		T(test_auth_domain_generations),
		T(test_text_field_generations),
		T(test_openid_config_path_is_a_path),
		T(test_login_page_paths_are_paths),
		T(test_api_key_sources),
		T(test_api_key_is_never_echoed),
		T(test_ssl_verify_words),
		T(test_ssl_verify_generations),
		T(test_ssl_verify_ca_bundle),
		T(test_extra_headers),
		T(test_extra_headers_invalid),
		T(test_wire_settings),
		T(test_storage),
		T(test_keyring_path_expansion),
		T(test_keyring_path_tilde_user),
		T(test_booleans),
		T(test_timeouts),
		T(test_invalid_values_name_the_variable),
		T(test_empty_value_counts_as_unset),
		T(test_names_are_case_sensitive),
		T(test_dotenv_only_on_request),
		T(test_dotenv_then_env_then_set),
		T(test_env_of_any_generation_beats_dotenv),
		T(test_dotenv_never_splits_domains),
		T(test_dotenv_generations_and_repeats),
		T(test_dotenv_invalid_value_names_the_line),
		T(test_dotenv_invalid_value_shadowed_by_env),
		T(test_dotenv_malformed),
		T(test_dotenv_absent_unreadable_or_too_big),
		T(test_dotenv_announces_what_steers_credentials),
		T(test_dotenv_never_weakens_tls),
		T(test_dotenv_writable_by_others_is_ignored),
		T(test_dotenv_of_another_user_is_ignored),
		T(test_set_every_field_name),
		T(test_set_errors),
		T(test_free_is_idempotent),
		T(test_domain_normalize_vectors),
		T(test_domain_normalize_rejects),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
