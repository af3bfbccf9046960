/* SPDX-License-Identifier: BSD-3-Clause */
/* test_conda_select.c - every rule that maps a conda channel URL to a credential. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "anaconda_auth.h"
#include "select.h"

#define NOW ((time_t)1800000000)

static char *make_jwt(long long exp)
{
	char payload[128], *body, *jwt;
	size_t n;

	snprintf(payload, sizeof(payload), "{\"sub\":\"u\",\"exp\":%lld}", exp);
	body = aa_base64url_encode(payload, strlen(payload));
	n = strlen(body) + 64;
	jwt = malloc(n);
	snprintf(jwt, n, "eyJhbGciOiJIUzI1NiJ9.%s.c2ln", body);
	free(body);
	return jwt;
}

static struct ch_target target_for(const char *url, const struct ch_select_opts *o)
{
	struct ch_target t;
	aa_error err;

	aa_error_clear(&err);
	assert_int_equal(ch_select_target(url, o, &t, &err), AA_OK);
	return t;
}

static const struct ch_select_opts defaults = { .domain = "anaconda.cloud" };

/* ---- URL parsing ---- */

static void test_url_parse_parts(void **state)
{
	struct ch_url u;
	(void)state;

	assert_int_equal(ch_url_parse("HTTPS://user:pw@Repo.Anaconda.Cloud:443/repo/x?q=1#f", &u, NULL), AA_OK);
	assert_string_equal(u.scheme, "https");
	assert_string_equal(u.host, "repo.anaconda.cloud");
	assert_string_equal(u.hostport, "repo.anaconda.cloud");
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/repo/x");
	ch_url_free(&u);

	assert_int_equal(ch_url_parse("https://127.0.0.1:8443", &u, NULL), AA_OK);
	assert_string_equal(u.hostport, "127.0.0.1:8443");
	assert_string_equal(u.path, "/");
	ch_url_free(&u);

	assert_int_equal(ch_url_parse("https://[::1]:8443/repo/", &u, NULL), AA_OK);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.hostport, "[::1]:8443");
	ch_url_free(&u);
}

static void test_url_parse_rejects(void **state)
{
	const char *bad[] = { "repo.anaconda.cloud/repo", "://x", "https://", "https:///path",
			      "https://host:0/", "https://host:99999/", "https://host:12a/",
			      "https://ho st/", "https://[::1/", "ht~tp://host/", "https://evil\\@repo.anaconda.com/",
			      "https://repo.anaconda.com\\.evil/", NULL };
	(void)state;

	for (int i = 0; bad[i]; i++) {
		struct ch_url u;
		aa_error err;

		aa_error_clear(&err);
		assert_int_equal(ch_url_parse(bad[i], &u, &err), AA_ERR_USAGE);
		assert_true(err.message[0] != '\0');
	}
}

static void test_repo_org(void **state)
{
	char *o;
	(void)state;

	o = ch_repo_org("/repo/acme/linux-64/repodata.json", "/repo/");
	assert_string_equal(o, "acme");
	free(o);
	o = ch_repo_org("/repo/acme", "/repo");
	assert_string_equal(o, "acme");
	free(o);
	assert_null(ch_repo_org("/repo/", "/repo/"));
	assert_null(ch_repo_org("/repository/acme/x", "/repo/"));
	assert_null(ch_repo_org("/other/acme/x", "/repo/"));
}

/* ---- URL -> target ---- */

static void test_repo_cloud_is_repo_token_for_org(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/noarch/repodata.json", &defaults);
	(void)state;

	assert_int_equal(t.type, CH_CRED_REPO_TOKEN);
	assert_string_equal(t.org, "acme");
	assert_string_equal(t.domain, "anaconda.com");
	assert_string_equal(t.host, "repo.anaconda.cloud");
	ch_target_free(&t);
}

static void test_repo_cloud_main_x_is_api_key(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/main-x/linux-64/repodata.json", &defaults);
	(void)state;

	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.domain, "anaconda.com");
	ch_target_free(&t);
}

static void test_repo_cloud_without_org(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/pkgs/x", &defaults);
	(void)state;

	assert_int_equal(t.type, CH_CRED_REPO_TOKEN);
	assert_null(t.org);
	ch_target_free(&t);
}

static void test_legacy_repo_hosts_are_api_key(void **state)
{
	const char *urls[] = { "https://repo.anaconda.com/pkgs/main/linux-64/repodata.json",
			       "https://REPO.continuum.io/pkgs/free", NULL };
	(void)state;

	for (int i = 0; urls[i]; i++) {
		struct ch_target t = target_for(urls[i], &defaults);

		assert_int_equal(t.type, CH_CRED_API_KEY);
		assert_string_equal(t.domain, "anaconda.com");
		assert_null(t.org);
		ch_target_free(&t);
	}
}

/* The Anaconda repo hosts on another port are other servers: not the anaconda.com entry. */
static void test_known_hosts_on_another_port_are_other_hosts(void **state)
{
	const char *urls[] = { "https://repo.anaconda.com:8443/pkgs/main/linux-64/repodata.json",
			       "https://repo.anaconda.cloud:8443/repo/acme/noarch/repodata.json",
			       "https://anaconda.cloud:8443/api/x", NULL };
	(void)state;

	for (int i = 0; urls[i]; i++) {
		struct ch_target t = target_for(urls[i], &defaults);

		assert_int_equal(t.type, CH_CRED_API_KEY);
		assert_string_not_equal(t.domain, "anaconda.com");
		assert_string_not_equal(t.domain, "anaconda.cloud");
		assert_non_null(strstr(t.domain, ":8443"));
		ch_target_free(&t);
	}
	/* :443 is https's own port: the same host */
	{
		struct ch_target t = target_for("https://repo.anaconda.com:443/pkgs/main", &defaults);

		assert_string_equal(t.domain, "anaconda.com");
		ch_target_free(&t);
	}
}

static void test_configured_domain_is_api_key(void **state)
{
	struct ch_select_opts o = { .domain = "conda.example.org:8443" };
	struct ch_target t = target_for("https://conda.example.org:8443/api/repo/x", &o);
	(void)state;

	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.domain, "conda.example.org:8443");
	ch_target_free(&t);
}

static void test_other_host_uses_its_own_domain(void **state)
{
	struct ch_target t = target_for("https://Mirror.Example.com:9443/conda/main", &defaults);
	(void)state;

	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.domain, "mirror.example.com:9443");
	assert_string_equal(t.host, "mirror.example.com:9443");
	ch_target_free(&t);
}

static void test_configured_repo_url(void **state)
{
	struct ch_select_opts o = { .domain = "127.0.0.1:8443", .repo_url = "https://127.0.0.1:8443/repo/" };
	struct ch_target t = target_for("https://127.0.0.1:8443/repo/acme/linux-64/repodata.json", &o);
	(void)state;

	assert_int_equal(t.type, CH_CRED_REPO_TOKEN);
	assert_string_equal(t.org, "acme");
	assert_string_equal(t.domain, "127.0.0.1:8443");
	ch_target_free(&t);

	/* the same host outside the repo base is the configured domain: API key */
	t = target_for("https://127.0.0.1:8443/repository/acme/x", &o);
	assert_int_equal(t.type, CH_CRED_API_KEY);
	ch_target_free(&t);

	/* the same path on another port is not the repo */
	t = target_for("https://127.0.0.1:9999/repo/acme/x", &o);
	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.domain, "127.0.0.1:9999");
	ch_target_free(&t);

	t = target_for("https://127.0.0.1:8443/repo/main-x/noarch/repodata.json", &o);
	assert_int_equal(t.type, CH_CRED_API_KEY);
	ch_target_free(&t);
}

static void test_unified_repo_api_key(void **state)
{
	struct ch_select_opts o = { .domain = "anaconda.cloud", .use_unified_repo_api_key = 1 };
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/x", &o);
	(void)state;

	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.org, "acme");
	ch_target_free(&t);
}

static void test_channel_settings_overrides(void **state)
{
	struct ch_select_opts o = { .domain = "anaconda.cloud", .credential_type = "repo-token",
				       .auth_domain = "my.site" };
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &o);
	(void)state;

	assert_int_equal(t.type, CH_CRED_REPO_TOKEN);
	assert_string_equal(t.domain, "my.site");
	ch_target_free(&t);

	o.credential_type = "api-key";
	o.auth_domain = NULL;
	t = target_for("https://repo.anaconda.cloud/repo/acme/x", &o);
	assert_int_equal(t.type, CH_CRED_API_KEY);
	assert_string_equal(t.domain, "anaconda.com");
	ch_target_free(&t);
}

static void test_target_rejects(void **state)
{
	struct ch_select_opts o = { .domain = "anaconda.cloud", .credential_type = "password" };
	struct ch_target t;
	aa_error err;
	(void)state;

	aa_error_clear(&err);
	assert_int_equal(ch_select_target("https://repo.anaconda.cloud/repo/a", &o, &t, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "api-key"));
	aa_error_clear(&err);
	assert_int_equal(ch_select_target("http://repo.anaconda.cloud/repo/a", &defaults, &t, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "https"));
	o.credential_type = NULL;
	o.repo_url = "not a url";
	assert_int_equal(ch_select_target("https://repo.anaconda.cloud/repo/a", &o, &t, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "CONDA_TOKEN_REPO_URL"));
}

/* ---- target + TokenInfo -> credential ---- */

static aa_token_info *info_with(const char *key, const char *const *orgs_tokens)
{
	aa_token_info *info = calloc(1, sizeof(*info));
	size_t n = 0;

	info->domain = strdup("anaconda.com");
	info->api_key = key ? aa_secret_from_str(key) : NULL;
	while (orgs_tokens && orgs_tokens[2 * n + 1])
		n++;
	info->repo_tokens = calloc(n + 1, sizeof(aa_repo_token));
	for (size_t i = 0; i < n; i++) {
		info->repo_tokens[i].org_name = orgs_tokens[2 * i] ? strdup(orgs_tokens[2 * i]) : NULL;
		info->repo_tokens[i].token = aa_secret_from_str(orgs_tokens[2 * i + 1]);
	}
	info->n_repo_tokens = n;
	return info;
}

static void free_info(aa_token_info *info)
{
	for (size_t i = 0; i < info->n_repo_tokens; i++) {
		free(info->repo_tokens[i].org_name);
		aa_secret_free(info->repo_tokens[i].token);
	}
	free(info->repo_tokens);
	aa_secret_free(info->api_key);
	free(info->domain);
	free(info);
}

/* aliases name where the key is stored, not where it may be sent */
static void test_configured_domain_alias_is_not_served(void **state)
{
	static const char *const urls[] = { "https://anaconda.com/api/x", "https://id.anaconda.cloud/api/x",
					    "https://anaconda.cloud:8443/api/x" };
	(void)state;

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct ch_target t = target_for(urls[i], &defaults);
		aa_token_info *info = info_with("stored", NULL);
		struct ch_credential c;

		assert_false(t.served);
		/* the account's entry is ignored; only a host's own entry could apply */
		if (t.keyring)
			assert_string_equal(t.domain, t.host);
		else
			assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_ERR_NOT_FOUND);
		assert_int_equal(ch_select_credential(&t, NULL, "envkey", NOW, &c, NULL), AA_ERR_NOT_FOUND);
		free_info(info);
		ch_target_free(&t);
	}
	/* the domain itself is served */
	struct ch_target t = target_for("https://anaconda.cloud/api/x", &defaults);
	assert_true(t.served);
	ch_target_free(&t);
}

/* the environment key goes only to hosts served for the configured domain */
static void test_env_key_not_for_other_hosts(void **state)
{
	static const char *const urls[] = { "https://evil.example/pkgs/main", "https://repo.anaconda.cloud.evil/x",
					    "https://repo.anaconda.com@evil/x", "https://[::1]/x",
					    "https://repo.anaconda.com./x" };
	(void)state;

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct ch_target t = target_for(urls[i], &defaults);
		struct ch_credential c;

		assert_false(t.served);
		assert_int_equal(ch_select_credential(&t, NULL, "envkey", NOW, &c, NULL), AA_ERR_NOT_FOUND);
		assert_null(c.secret);
		ch_target_free(&t);
	}
}

static const char *const two_orgs[] = { "first", "tok-first", "acme", "tok-acme", NULL, NULL };

static void test_env_key_wins_everywhere(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/x", &defaults);
	aa_token_info *info = info_with("stored", two_orgs);
	struct ch_credential c;
	char *key = make_jwt((long long)NOW + 3600);
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, key, NOW, &c, NULL), AA_OK);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(aa_secret_str(c.secret), key);
	assert_string_equal(c.source, "env");
	ch_credential_free(&c);
	free(key);
	free_info(info);
	ch_target_free(&t);
}

static void test_env_key_expired(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &defaults);
	struct ch_credential c;
	char *key = make_jwt((long long)NOW - 10);
	aa_error err;
	(void)state;

	aa_error_clear(&err);
	assert_int_equal(ch_select_credential(&t, NULL, key, NOW, &c, &err), AA_ERR_EXPIRED);
	assert_non_null(strstr(err.message, "anaconda-auth login"));
	assert_null(strstr(err.message, key));
	assert_null(c.secret);
	free(key);
	ch_target_free(&t);
}

static void test_api_key_target_sends_bearer(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &defaults);
	char *key = make_jwt((long long)NOW + 3600);
	aa_token_info *info = info_with(key, two_orgs);
	struct ch_credential c;
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.kind, "api-key");
	assert_string_equal(aa_secret_str(c.secret), key);
	ch_credential_free(&c);
	free_info(info);
	free(key);
	ch_target_free(&t);
}

static void test_api_key_expired_is_exit_4(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &defaults);
	char *key = make_jwt((long long)NOW - 1);
	aa_token_info *info = info_with(key, NULL);
	struct ch_credential c;
	aa_error err;
	(void)state;

	aa_error_clear(&err);
	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, &err), AA_ERR_EXPIRED);
	assert_int_equal(aa_exit_code(err.code), 4);
	assert_non_null(strstr(err.message, "anaconda-auth login"));
	free_info(info);
	free(key);
	ch_target_free(&t);
}

static void test_non_jwt_key_is_used(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &defaults);
	aa_token_info *info = info_with("opaque-key", NULL);
	struct ch_credential c;
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(aa_secret_str(c.secret), "opaque-key");
	ch_credential_free(&c);
	free_info(info);
	ch_target_free(&t);
}

static void test_api_key_target_falls_back_to_repo_token(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.com/pkgs/main", &defaults);
	aa_token_info *info = info_with(NULL, two_orgs);
	struct ch_credential c;
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(c.scheme, "token");
	assert_string_equal(aa_secret_str(c.secret), "tok-first");
	ch_credential_free(&c);
	free_info(info);
	ch_target_free(&t);
}

static void test_repo_token_for_org_then_first(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/linux-64/repodata.json", &defaults);
	aa_token_info *info = info_with("a-key", two_orgs);
	struct ch_credential c;
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(c.scheme, "token");
	assert_string_equal(c.kind, "repo-token");
	assert_string_equal(aa_secret_str(c.secret), "tok-acme");
	assert_string_equal(c.org, "acme");
	ch_credential_free(&c);
	ch_target_free(&t);

	t = target_for("https://repo.anaconda.cloud/repo/unknown/x", &defaults);
	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(aa_secret_str(c.secret), "tok-first");
	ch_credential_free(&c);
	ch_target_free(&t);
	free_info(info);
}

static void test_legacy_token_without_org(void **state)
{
	const char *legacy[] = { NULL, "tok-legacy", NULL, NULL };
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/x", &defaults);
	aa_token_info *info = info_with(NULL, legacy);
	struct ch_credential c;
	(void)state;

	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, NULL), AA_OK);
	assert_string_equal(aa_secret_str(c.secret), "tok-legacy");
	assert_null(c.org);
	ch_credential_free(&c);
	free_info(info);
	ch_target_free(&t);
}

static void test_repo_target_ignores_api_key(void **state)
{
	struct ch_target t = target_for("https://repo.anaconda.cloud/repo/acme/x", &defaults);
	aa_token_info *info = info_with("a-key", NULL);
	struct ch_credential c;
	aa_error err;
	(void)state;

	aa_error_clear(&err);
	assert_int_equal(ch_select_credential(&t, info, NULL, NOW, &c, &err), AA_ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "token install --org acme"));
	assert_int_equal(aa_exit_code(err.code), 3);
	free_info(info);
	ch_target_free(&t);
}

static void test_nothing_stored(void **state)
{
	struct ch_target t = target_for("https://mirror.example.com/x", &defaults);
	aa_token_info *info = info_with(NULL, NULL);
	struct ch_credential c;
	aa_error err;
	(void)state;

	aa_error_clear(&err);
	assert_int_equal(ch_select_credential(&t, NULL, NULL, NOW, &c, &err), AA_ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "mirror.example.com"));
	assert_int_equal(ch_select_credential(&t, info, "", NOW, &c, &err), AA_ERR_NOT_FOUND);
	free_info(info);
	ch_target_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parse_parts),
		cmocka_unit_test(test_url_parse_rejects),
		cmocka_unit_test(test_repo_org),
		cmocka_unit_test(test_repo_cloud_is_repo_token_for_org),
		cmocka_unit_test(test_known_hosts_on_another_port_are_other_hosts),
		cmocka_unit_test(test_repo_cloud_main_x_is_api_key),
		cmocka_unit_test(test_repo_cloud_without_org),
		cmocka_unit_test(test_legacy_repo_hosts_are_api_key),
		cmocka_unit_test(test_configured_domain_is_api_key),
		cmocka_unit_test(test_configured_domain_alias_is_not_served),
		cmocka_unit_test(test_env_key_not_for_other_hosts),
		cmocka_unit_test(test_other_host_uses_its_own_domain),
		cmocka_unit_test(test_configured_repo_url),
		cmocka_unit_test(test_unified_repo_api_key),
		cmocka_unit_test(test_channel_settings_overrides),
		cmocka_unit_test(test_target_rejects),
		cmocka_unit_test(test_env_key_wins_everywhere),
		cmocka_unit_test(test_env_key_expired),
		cmocka_unit_test(test_api_key_target_sends_bearer),
		cmocka_unit_test(test_api_key_expired_is_exit_4),
		cmocka_unit_test(test_non_jwt_key_is_used),
		cmocka_unit_test(test_api_key_target_falls_back_to_repo_token),
		cmocka_unit_test(test_repo_token_for_org_then_first),
		cmocka_unit_test(test_legacy_token_without_org),
		cmocka_unit_test(test_repo_target_ignores_api_key),
		cmocka_unit_test(test_nothing_stored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
