/* SPDX-License-Identifier: BSD-3-Clause */
/* test_url.c - unit tests for common/url.c: RFC 3986 joins, hosts, loopback redirect URIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net_internal.h"

static void expect_join(const char *base, const char *ref, const char *want)
{
	aa_error err = {0};
	char *got = aa_url_join(base, ref, &err);

	if (!got)
		fail_msg("join(%s, %s) failed: %s", base, ref, err.message);
	assert_string_equal(got, want);
	free(got);
}

static void test_join_relative_paths(void **state)
{
	(void)state;
	expect_join("https://anaconda.com", "api/x", "https://anaconda.com/api/x");
	expect_join("https://anaconda.com", "/api/x", "https://anaconda.com/api/x");
	expect_join("https://anaconda.com/", "api/x", "https://anaconda.com/api/x");
	expect_join("https://localhost:8443/", "/api/account?x=1",
		    "https://localhost:8443/api/account?x=1");
}

static void test_join_rfc3986_rules(void **state)
{
	(void)state;
	/* a base path without a trailing slash loses its last segment */
	expect_join("https://h/a/b", "c", "https://h/a/c");
	expect_join("https://h/a/b/", "c", "https://h/a/b/c");
	expect_join("https://h/a/b/", "../c", "https://h/a/c");
	expect_join("https://h/a/b", "/c", "https://h/c");
}

static void test_join_absolute_untouched(void **state)
{
	(void)state;
	expect_join("https://anaconda.com", "https://auth.example/t?x=1",
		    "https://auth.example/t?x=1");
	expect_join("https://anaconda.com", "http://plain.example/x", "http://plain.example/x");
	expect_join("https://anaconda.com/a", "", "https://anaconda.com/a");
}

static void test_join_bad_base(void **state)
{
	aa_error err = {0};

	(void)state;
	assert_null(aa_url_join("", "x", &err));
	assert_int_equal(err.code, AA_ERR_USAGE);
	assert_null(aa_url_join("not a url", "x", &err));
	assert_int_equal(err.code, AA_ERR_USAGE);
}

static void test_host(void **state)
{
	char *h;

	(void)state;
	h = aa_url_host("https://localhost:8443/a");
	assert_string_equal(h, "localhost:8443");
	free(h);
	h = aa_url_host("https://anaconda.com/a");
	assert_string_equal(h, "anaconda.com");
	free(h);
	assert_null(aa_url_host("no url"));
}

static void test_loopback_ok(void **state)
{
	aa_loopback_uri u;

	(void)state;
	assert_int_equal(aa_url_loopback("http://127.0.0.1:8000/auth/oidc", &u, NULL), AA_OK);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 8000);
	assert_string_equal(u.path, "/auth/oidc");
	aa_loopback_uri_free(&u);
	assert_int_equal(aa_url_loopback("http://localhost:9/x", &u, NULL), AA_OK);
	assert_string_equal(u.host, "127.0.0.1");
	aa_loopback_uri_free(&u);
	assert_int_equal(aa_url_loopback("http://[::1]:8000", &u, NULL), AA_OK);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.path, "/");
	aa_loopback_uri_free(&u);
	assert_int_equal(aa_url_loopback("http://127.0.0.1/cb", &u, NULL), AA_OK);
	assert_int_equal(u.port, 80);
	aa_loopback_uri_free(&u);
}

static void test_loopback_refused(void **state)
{
	aa_loopback_uri u;
	aa_error err = {0};

	(void)state;
	assert_int_equal(aa_url_loopback("https://127.0.0.1:8000/cb", &u, &err), AA_ERR_USAGE);
	assert_int_equal(aa_url_loopback("http://example.com:8000/cb", &u, &err), AA_ERR_USAGE);
	assert_non_null(strstr(err.message, "127.0.0.1"));
	assert_int_equal(aa_url_loopback("", &u, &err), AA_ERR_USAGE);
	assert_int_equal(aa_url_loopback(NULL, &u, &err), AA_ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_relative_paths),
		cmocka_unit_test(test_join_rfc3986_rules),
		cmocka_unit_test(test_join_absolute_untouched),
		cmocka_unit_test(test_join_bad_base),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_loopback_ok),
		cmocka_unit_test(test_loopback_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
