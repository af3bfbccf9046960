/* SPDX-License-Identifier: BSD-3-Clause */
/* test_proxy.c - unit tests for common/proxy.c and the proxy and client-certificate settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "settings_env.h"

#include "config_struct.h"
#include "anaconda_auth.h"
#include "proxy.h"

static char dir[64], oldcwd[4096];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aa-test-proxy-XXXXXX");
	if (!mkdtemp(dir) || !getcwd(oldcwd, sizeof(oldcwd)) || chdir(dir) != 0)
		return -1;
	clear_anaconda_env();
	setenv("HOME", dir, 1);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	clear_anaconda_env();
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return chdir(oldcwd);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void expect_load_error(const char *want)
{
	aa_config *cfg = NULL;
	aa_error err;

	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	if (!strstr(err.message, want))
		fail_msg("message '%s' lacks '%s'", err.message, want);
	assert_null(strchr(err.message, '\n'));
}

/* ---- proxy.c ------------------------------------------------------------ */

static void test_keys(void **state)
{
	static const char *const good[][2] = {
		{ "https", "https" }, { "HTTP", "http" }, { "all", "all" },
		{ "https://Repo.Example.com", "https://repo.example.com" },
		{ "all://proxy-me.example", "all://proxy-me.example" },
	};
	static const char *const bad[] = {
		"", "ftp", "socks5", "https://", "https://host:8443", "https://a b",
		"https://host/path", "https:/host", "gopher://x",
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *k = aa_proxy_key_normalize(good[i][0], &why);

		assert_non_null(k);
		assert_string_equal(k, good[i][1]);
		free(k);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (aa_proxy_key_normalize(bad[i], &why))
			fail_msg("key '%s' was accepted", bad[i]);
		assert_non_null(strstr(why, "http, https or all"));
	}
}

static void test_urls(void **state)
{
	static const char *const good[][2] = {
		{ "proxy.example:3128", "http://proxy.example:3128" },
		{ "HTTP://Proxy.Example:3128/", "http://proxy.example:3128" },
		{ "https://proxy.example", "https://proxy.example" },
		{ "socks5h://127.0.0.1:1080", "socks5h://127.0.0.1:1080" },
		{ "socks5://[::1]:1080", "socks5://[::1]:1080" },
		{ "http://user:p%40ss@proxy.example:8080", "http://user:p%40ss@proxy.example:8080" },
	};
	static const char *const bad[] = {
		"", "ftp://proxy.example", "socks4://proxy.example", "http://",
		"http://proxy.example:99999", "http://proxy.example/path",
		"http://proxy.example?x", "http://pro xy", "http://proxy\\@evil",
		"http://user@", "file:///etc/passwd",
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *u = aa_proxy_url_normalize(good[i][0], &why);

		if (!u)
			fail_msg("'%s' refused: %s", good[i][0], why);
		assert_string_equal(u, good[i][1]);
		free(u);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (aa_proxy_url_normalize(bad[i], &why))
			fail_msg("'%s' was accepted", bad[i]);
}

static void test_pick_in_requests_order(void **state)
{
	char *map[] = { "all", "http://all", "https", "http://https",
			"all://special.example", "http://all-host",
			"https://special.example", "http://https-host", NULL };
	char *only_all[] = { "all", "http://all", NULL };

	(void)state;
	assert_string_equal(aa_proxy_for(map, "https", "special.example"), "http://https-host");
	map[6] = "https://other.example";
	assert_string_equal(aa_proxy_for(map, "https", "special.example"), "http://https");
	assert_string_equal(aa_proxy_for(map + 2, "https", "special.example"), "http://https");
	assert_string_equal(aa_proxy_for(only_all, "https", "x.example"), "http://all");
	assert_null(aa_proxy_for(map + 2, "http", "x.example"));
	assert_null(aa_proxy_for(NULL, "https", "x.example"));
}

static void test_shown_without_credentials(void **state)
{
	char buf[80];

	(void)state;
	assert_string_equal(aa_proxy_shown("http://bob:hunter2@proxy:3128", buf, sizeof(buf)),
			    "http://***@proxy:3128");
	assert_string_equal(aa_proxy_shown("proxy:3128", buf, sizeof(buf)), "proxy:3128");
	assert_string_equal(aa_proxy_shown("a:b@c@proxy", buf, sizeof(buf)), "***@proxy");
	assert_null(strstr(aa_proxy_shown("http://bob:hunter2@proxy/@x", buf, sizeof(buf)),
			   "hunter2"));
}

/* ---- settings ------------------------------------------------------------ */

static void test_proxy_servers_from_json_and_nested_names(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	setenv("ANACONDA_AUTH_PROXY_SERVERS",
	       "{\"https\": \"proxy.example:3128\", \"all://x.example\": \"socks5h://s:1080\"}", 1);
	load_ok(&cfg, 0);
	assert_string_equal(aa_proxy_for(cfg->proxy_servers, "https", "anaconda.com"),
			    "http://proxy.example:3128");
	/* "https" comes before "all://host", as in requests */
	assert_string_equal(aa_proxy_for(cfg->proxy_servers, "https", "x.example"),
			    "http://proxy.example:3128");
	assert_string_equal(aa_proxy_for(cfg->proxy_servers, "http", "x.example"),
			    "socks5h://s:1080");
	aa_config_free(cfg);

	/* __HTTPS replaces that key of the JSON; the legacy prefix loses to the new */
	setenv("ANACONDA_AUTH_PROXY_SERVERS__HTTPS", "http://nested.example:8080", 1);
	setenv("ANACONDA_CLOUD_PROXY_SERVERS__HTTPS", "http://legacy.example:8080", 1);
	setenv("ANACONDA_CLOUD_PROXY_SERVERS__ALL", "http://legacy-all.example", 1);
	load_ok(&cfg, 0);
	assert_string_equal(aa_proxy_for(cfg->proxy_servers, "https", "anaconda.com"),
			    "http://nested.example:8080");
	assert_string_equal(aa_proxy_for(cfg->proxy_servers, "http", "anaconda.com"),
			    "http://legacy-all.example");
	aa_config_free(cfg);

	/* the nested form alone */
	unsetenv("ANACONDA_AUTH_PROXY_SERVERS");
	unsetenv("ANACONDA_CLOUD_PROXY_SERVERS__ALL");
	load_ok(&cfg, 0);
	assert_string_equal(cfg->proxy_servers[0], "https");
	assert_string_equal(cfg->proxy_servers[1], "http://nested.example:8080");
	assert_null(cfg->proxy_servers[2]);
	aa_config_free(cfg);
}

static void test_bad_proxies_name_the_variable_and_hide_the_password(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	setenv("ANACONDA_AUTH_PROXY_SERVERS", "[\"http://proxy\"]", 1);
	expect_load_error("ANACONDA_AUTH_PROXY_SERVERS: not a JSON object of schemes to proxy URLs");
	setenv("ANACONDA_AUTH_PROXY_SERVERS", "{\"ftp\": \"http://proxy\"}", 1);
	expect_load_error("'ftp' is not a proxy_servers key");
	setenv("ANACONDA_AUTH_PROXY_SERVERS", "{\"https\": \"ftp://bob:hunter2@proxy\"}", 1);
	expect_load_error("'ftp://***@proxy', is not usable (only http://, https://, socks5://");
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_null(strstr(err.message, "hunter2"));
	unsetenv("ANACONDA_AUTH_PROXY_SERVERS");
	setenv("ANACONDA_AUTH_PROXY_SERVERS__HTTPS", "gopher://bob:hunter2@proxy", 1);
	expect_load_error("ANACONDA_AUTH_PROXY_SERVERS__HTTPS: 'gopher://***@proxy' is not a usable proxy");
	assert_int_equal(aa_config_load(&cfg, 0, &err), AA_ERR_USAGE);
	assert_null(strstr(err.message, "hunter2"));
	unsetenv("ANACONDA_AUTH_PROXY_SERVERS__HTTPS");
	setenv("ANACONDA_AUTH_PROXY_SERVERS__FTP", "http://proxy", 1);
	expect_load_error("ANACONDA_AUTH_PROXY_SERVERS__FTP: 'ftp' is not a proxy_servers key");
}

static void test_client_cert_settings(void **state)
{
	aa_config *cfg = NULL;
	aa_error err;

	(void)state;
	write_file("client.pem", "-----BEGIN CERTIFICATE-----\n");
	write_file("client.key", "-----BEGIN PRIVATE KEY-----\n");
	setenv("ANACONDA_AUTH_CLIENT_CERT", "client.pem", 1);
	setenv("ANACONDA_CLOUD_CLIENT_CERT_KEY", "client.key", 1);
	load_ok(&cfg, 0);
	assert_string_equal(cfg->client_cert, "client.pem");
	assert_string_equal(cfg->client_cert_key, "client.key");
	assert_int_equal(aa_config_set(cfg, "client_cert", "missing.pem", "--client-cert", &err),
			 AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "--client-cert: 'missing.pem' is not a readable file"));
	assert_string_equal(cfg->client_cert, "client.pem");
	aa_config_free(cfg);
	setenv("ANACONDA_AUTH_CLIENT_CERT_KEY", ".", 1);
	expect_load_error("ANACONDA_AUTH_CLIENT_CERT_KEY: '.' is not a readable file");
}

/* A directory's .env never picks a proxy or a client certificate. */
static void test_dotenv_never_sets_them(void **state)
{
	aa_config *cfg = NULL;

	(void)state;
	write_file("cert.pem", "x\n");
	write_file(".env", "ANACONDA_AUTH_PROXY_SERVERS={\"https\": \"http://evil.example:3128\"}\n"
			   "ANACONDA_AUTH_CLIENT_CERT=cert.pem\n"
			   "ANACONDA_AUTH_CLIENT_CERT_KEY=cert.pem\n");
	load_ok(&cfg, AA_CONFIG_DOTENV);
	assert_null(cfg->proxy_servers);
	assert_null(cfg->client_cert);
	assert_null(cfg->client_cert_key);
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_AUTH_PROXY_SERVERS from ./.env: "
				"a .env file never picks a proxy or a client certificate"));
	assert_non_null(strstr(cfg->notices, "ignoring ANACONDA_AUTH_CLIENT_CERT from ./.env"));
	aa_config_free(cfg);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_keys),
		T(test_urls),
		T(test_pick_in_requests_order),
		T(test_shown_without_credentials),
		T(test_proxy_servers_from_json_and_nested_names),
		T(test_bad_proxies_name_the_variable_and_hide_the_password),
		T(test_client_cert_settings),
		T(test_dotenv_never_sets_them),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
